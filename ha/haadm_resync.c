/*
 * ha/haadm_resync.c -- `haadm resync`: this node's syncd re-fetches the
 * whole SA database from the cluster (CTL_RESYNC; syncd/resync_op.c says
 * how, and why it never drops or rolls back an SA this node holds).
 *
 *   1. syncd's status: the resyncs done so far;
 *   2. CTL_RESYNC: refused when this node is alone, replication is not
 *      running or refused (plain ring), or a bulk is already awaited;
 *   3. waits (status every 100 ms, at most RESYNC_WAIT_MS) for one more
 *      resync done: records received, the bulk's time;
 *   4. waits (at most DIGEST_WAIT_MS) until every other member's digest
 *      compares with this node's again (STATS, about every second), and
 *      reports whether they are all equal.
 *
 * Exit: 0 done and every digest equal; 1 done, but a digest differs (or
 * could not be compared in time); 2 refused or failed; 64 usage.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "haadm.h"
#include "tandem/clock.h"
#include "tandem/daemon.h"

#define RESYNC_WAIT_MS	60000
#define DIGEST_WAIT_MS	5000
#define POLL_MS		100

static struct haadm_skv	 st;
static struct nodes_view nv;

static void
pause_ms(int ms)
{
	struct timespec	 ts = { 0, (long)ms * 1000000L };

	(void)nanosleep(&ts, NULL);
}

static uint64_t
u64(const char *s)
{
	return s == NULL ? 0 : strtoull(s, NULL, 10);
}

static int
fail(const struct haadm *h, int rc, const char *what, const char *why)
{
	if (h->json) {
		printf("{\"result\": \"%s\", \"why\": ", what);
		json_str(stdout, why);
		printf("}\n");
	} else
		fprintf(stderr, "haadm resync: %s: %s\n", what, why);
	return rc;
}

/* Every other member's digest compared (yes or no); *equal: all yes. */
static bool
compared(const struct nodes_view *v, bool *equal, size_t *others)
{
	size_t	 i;
	bool	 all = true;

	*equal = true;
	*others = 0;
	for (i = 0; i < v->nn; i++) {
		if (v->n[i].self)
			continue;
		(*others)++;
		if (v->n[i].dg == NV_DG_UNKNOWN)
			all = false;
		else if (v->n[i].dg == NV_DG_NO)
			*equal = false;
	}
	return all;
}

int
haadm_resync(struct haadm *h, int argc, char **argv)
{
	struct haadm_kv	 o;
	char		 path[512], err[512];
	const char	*why;
	uint64_t	 done0, records, bulk_ms;
	int64_t		 t0, t1, dl;
	size_t		 i, others;
	bool		 equal = false, cmp = false;

	if (argc > 1) {
		fprintf(stderr, "haadm resync: unexpected argument '%s'\n",
		    argv[1]);
		return HAADM_USAGE;
	}
	if (haadm_ask_status(h, "syncd", &st, err, sizeof(err)) == -1)
		return fail(h, HAADM_FAILED, "failed", err);
	done0 = u64(haadm_skv_get(&st, "resync_done"));
	snprintf(path, sizeof(path), "%s/syncd.sock", h->rundir);
	memset(&o, 0, sizeof(o));
	t0 = mono_ms();
	if (ctl_request(path, CTL_RESYNC, h->timeout_ms, haadm_kv_collect, &o,
	    err, sizeof(err)) == -1) {
		why = strncmp(err, path, strlen(path)) == 0 &&
		    strncmp(err + strlen(path), ": ", 2) == 0 ?
		    err + strlen(path) + 2 : err;
		return fail(h, HAADM_FAILED, "refused", why);
	}
	/* 3. the bulk */
	for (dl = t0 + RESYNC_WAIT_MS;; pause_ms(POLL_MS)) {
		if (haadm_ask_status(h, "syncd", &st, err, sizeof(err)) == -1)
			return fail(h, HAADM_FAILED, "failed", err);
		if (u64(haadm_skv_get(&st, "resync_done")) > done0)
			break;
		if (mono_ms() >= dl)
			return fail(h, HAADM_FAILED, "failed", "no bulk "
			    "received within 60 s (syncd's log says why)");
	}
	t1 = mono_ms();
	records = u64(haadm_skv_get(&st, "resync_last_records"));
	bulk_ms = u64(haadm_skv_get(&st, "resync_last_ms"));
	/* 4. the digests, compared again after the bulk */
	for (dl = t1 + DIGEST_WAIT_MS;; pause_ms(POLL_MS)) {
		if (haadm_nodes(h, &nv, &st, err, sizeof(err)) == -1)
			return fail(h, HAADM_FAILED, "failed", err);
		if ((cmp = compared(&nv, &equal, &others)) || mono_ms() >= dl)
			break;
	}
	if (h->json) {
		printf("{\"result\": \"done\", \"records\": %" PRIu64
		    ", \"bulk_ms\": %" PRIu64 ", \"elapsed_ms\": %" PRId64
		    ", \"digest_equal\": %s, \"nodes\": ", records, bulk_ms,
		    t1 - t0, cmp && equal ? "true" : "false");
		nodes_view_json(stdout, &nv);
		printf("}\n");
	} else {
		printf("resync: %" PRIu64 " record(s) received, bulk %" PRIu64
		    " ms, %" PRId64 " ms in all\n", records, bulk_ms, t1 - t0);
		for (i = 0; i < nv.nn; i++) {
			if (nv.n[i].self)
				continue;
			printf("node %u%s%s%s: digest %s\n", nv.n[i].id,
			    nv.n[i].name[0] ? " (" : "", nv.n[i].name,
			    nv.n[i].name[0] ? ")" : "",
			    nv.n[i].dg == NV_DG_YES ? "equal to this node's" :
			    nv.n[i].dg == NV_DG_NO ? "DIFFERS from this "
			    "node's" : "not compared yet");
		}
		printf("%s\n", cmp && equal ? "digests equal: this node's "
		    "copy is the cluster's" : "digests NOT all equal");
	}
	return cmp && equal ? HAADM_OK : HAADM_DEGRADED;
}
