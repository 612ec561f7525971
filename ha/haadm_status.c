/*
 * ha/haadm_status.c -- `haadm status`: ask each daemon of the node over its
 * control socket and show what answers.
 *
 * Health: healthy when all three daemons answer, degraded when some do,
 * failed when none does (exit 0 / 1 / 2).  With every daemon up, the
 * cluster-wide node table (nodes_view.h: syncd's view of every member,
 * hamgrd's names and roles) can still make it degraded: a member whose SA
 * database differs from this node's, or whose replication is stuck.
 */
#include <stdio.h>
#include <string.h>

#include "haadm.h"
#include "nodes_view.h"
#include "tandem/ctlmsg.h"
#include "tandem/daemon.h"
#include "tandem/util.h"

static const char *const daemons[] = { "ikev2d", "syncd", "hamgrd" };
#define SYNCD_I		1	/* daemons[] */
#define HAMGRD_I	2

#define KV_MAX	400	/* hamgrd: ~15 lines per VIP group; syncd: ~20
			 * per member */

struct kv {
	char	 key[64];
	char	 val[256];
};

struct answer {
	bool		 up;
	char		 err[256];
	struct kv	 kv[KV_MAX];
	size_t		 nkv;
};

static uint8_t	 reply[CTL_MAX_LEN];
static struct answer	 answers[nitems(daemons)];
static struct nodes_view nv;
static char		 nv_why[256];

/* An answer's lines as the node view takes them. */
static size_t
kv_list(const struct answer *a, struct nv_kv *out)
{
	size_t	 i;

	for (i = 0; a->up && i < a->nkv; i++) {
		out[i].key = a->kv[i].key;
		out[i].val = a->kv[i].val;
	}
	return a->up ? a->nkv : 0;
}

static void
ask(const struct haadm *h, const char *name, struct answer *a)
{
	char		 path[512];
	struct ctl_hdr	 hdr;
	struct ctl_tlv	 t;
	struct rd	 tlvs;
	long		 n;
	int		 rc;

	memset(a, 0, sizeof(*a));
	snprintf(path, sizeof(path), "%s/%s.sock", h->rundir, name);
	n = ctl_call(path, CTL_STATUS, reply, sizeof(reply), h->timeout_ms,
	    a->err, sizeof(a->err));
	if (n < 0)
		return;
	if (ctl_decode(reply, (size_t)n, &hdr, &tlvs) != 0)
		return;
	while ((rc = ctl_next(&tlvs, &t)) == 1) {
		if (t.tag == CTL_T_ERROR) {
			snprintf(a->err, sizeof(a->err), "%.*s", (int)t.len,
			    (const char *)t.val);
			return;
		}
		if (t.tag != CTL_T_KV || a->nkv >= KV_MAX)
			continue;
		if (ctl_kv(&t, a->kv[a->nkv].key, sizeof(a->kv[0].key),
		    a->kv[a->nkv].val, sizeof(a->kv[0].val)) == 0)
			a->nkv++;
	}
	if (rc < 0) {
		snprintf(a->err, sizeof(a->err), "malformed status reply");
		return;
	}
	a->up = true;
}

static const char *
kv_get(const struct answer *a, const char *key)
{
	size_t	 i;

	for (i = 0; i < a->nkv; i++)
		if (strcmp(a->kv[i].key, key) == 0)
			return a->kv[i].val;
	return "-";
}

static const char *
health_name(int rc)
{
	return rc == HAADM_OK ? "healthy" : rc == HAADM_DEGRADED ?
	    "degraded" : "failed";
}

static void
print_json(const struct haadm *h, const struct answer *ans, int rc)
{
	size_t	 i, j;

	printf("{\"rundir\": ");
	json_str(stdout, h->rundir);
	printf(", \"health\": \"%s\", ", health_name(rc));
	if (nv_why[0] != '\0') {
		printf("\"why\": ");
		json_str(stdout, nv_why);
		printf(", ");
	}
	printf("\"nodes\": ");
	nodes_view_json(stdout, &nv);
	printf(", \"daemons\": [");
	for (i = 0; i < nitems(daemons); i++) {
		printf("%s{\"name\": \"%s\", \"up\": %s", i ? ", " : "",
		    daemons[i], ans[i].up ? "true" : "false");
		if (!ans[i].up) {
			printf(", \"error\": ");
			json_str(stdout, ans[i].err);
		} else {
			printf(", \"status\": {");
			for (j = 0; j < ans[i].nkv; j++) {
				printf("%s", j ? ", " : "");
				json_str(stdout, ans[i].kv[j].key);
				printf(": ");
				json_str(stdout, ans[i].kv[j].val);
			}
			printf("}");
		}
		printf("}");
	}
	printf("]}\n");
}

/* hamgrd: one line per VIP group ("G.role" and its neighbours). */
static void
print_groups(const struct answer *a)
{
	char	 g[64], k[96];
	size_t	 i, n;

	printf("  node %s, maintenance %s, cluster %s%s%s\n",
	    kv_get(a, "node"), kv_get(a, "maintenance"), kv_get(a, "cluster"),
	    strcmp(kv_get(a, "members"), "-") != 0 ? ", members " : "",
	    strcmp(kv_get(a, "members"), "-") != 0 ? kv_get(a, "members") :
	    "");
	for (i = 0; i < a->nkv; i++) {
		n = strlen(a->kv[i].key);
		if (n <= 5 || strcmp(a->kv[i].key + n - 5, ".role") != 0 ||
		    n - 5 >= sizeof(g))
			continue;
		memcpy(g, a->kv[i].key, n - 5);
		g[n - 5] = '\0';
		printf("  group %s: %s, prio ", g, a->kv[i].val);
		snprintf(k, sizeof(k), "%s.prio", g);
		printf("%s, master ", kv_get(a, k));
		snprintf(k, sizeof(k), "%s.master", g);
		printf("%s\n", kv_get(a, k));
		snprintf(k, sizeof(k), "%s.last", g);
		printf("    last: %s\n", kv_get(a, k));
	}
}

static void
print_table(const struct haadm *h, const struct answer *ans, int rc)
{
	size_t	 i;

	printf("node %s: %s\n", h->rundir, health_name(rc));
	printf("%-8s %-5s %-8s %-10s %s\n", "DAEMON", "STATE", "PID",
	    "UPTIME", "DETAIL");
	for (i = 0; i < nitems(daemons); i++) {
		if (!ans[i].up) {
			printf("%-8s %-5s %-8s %-10s %s\n", daemons[i], "down",
			    "-", "-", ans[i].err);
			continue;
		}
		printf("%-8s %-5s %-8s %-10s config %s\n", daemons[i], "up",
		    kv_get(&ans[i], "pid"), kv_get(&ans[i], "uptime_s"),
		    kv_get(&ans[i], "config"));
		if (strcmp(daemons[i], "hamgrd") == 0)
			print_groups(&ans[i]);
	}
	if (nv.nn > 0) {
		printf("\nnodes (syncd's view; * this node):\n");
		nodes_view_print(stdout, &nv);
	}
	if (nv_why[0] != '\0')
		printf("\ndegraded: %s\n", nv_why);
}

int
haadm_status(struct haadm *h, int argc, char **argv)
{
	static struct nv_kv	 sk[KV_MAX], hk[KV_MAX];
	size_t			 i, up = 0, nsk, nhk;
	int			 rc;

	if (argc > 1) {
		fprintf(stderr, "haadm status: unexpected argument '%s'\n",
		    argv[1]);
		return HAADM_USAGE;
	}
	for (i = 0; i < nitems(daemons); i++) {
		ask(h, daemons[i], &answers[i]);
		up += answers[i].up;
	}
	rc = up == nitems(daemons) ? HAADM_OK : up > 0 ? HAADM_DEGRADED :
	    HAADM_FAILED;
	nsk = kv_list(&answers[SYNCD_I], sk);
	nhk = kv_list(&answers[HAMGRD_I], hk);
	nodes_view_build(&nv, sk, nsk, hk, nhk);
	nv_why[0] = '\0';
	if (nodes_view_health(&nv, nv_why, sizeof(nv_why)) != 0 &&
	    rc == HAADM_OK)
		rc = HAADM_DEGRADED;
	if (h->json)
		print_json(h, answers, rc);
	else
		print_table(h, answers, rc);
	return rc;
}
