/*
 * ikev2d/ctl.c -- ikev2d's control requests (see ctl.h).  Ages are taken
 * against CLOCK_MONOTONIC, the clock the core stamps its records with
 * (loop.c); sync_out.c converts to wall clock for replication.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tandem/log.h"
#include "ctl.h"
#include "ike_core.h"
#include "sa_view.h"
#include "xfrm.h"
#include "xfrm_msg.h"

struct ctr_query {
	struct xfrm_sock	 xs;
	struct xfrm_batch	 b;
	struct kernel_sa_stats	 st[2];
	bool			 got[2];
	uint32_t		 seq0;
};

static void
on_stats(void *arg, uint32_t seq, int err, const void *msg, size_t len)
{
	struct ctr_query	*q = arg;
	unsigned int		 i = seq - q->seq0;

	if (i < 2 && err == 0 && msg != NULL &&
	    xfrm_parse_sa_stats(msg, len, &q->st[i]) == 0)
		q->got[i] = true;
}

static void
kaddr_of(struct kaddr *k, const struct sa_addr *a)
{
	memset(k, 0, sizeof(*k));
	k->family = a->family;
	memcpy(k->addr, a->addr, sizeof(k->addr));
}

/* Read both SAs of a Child SA with one GETSA batch (sa_view_ctr_fn). */
static int
child_counters(void *arg, const struct sa_child *rec, struct sa_view_ctr *out)
{
	struct ctr_query	*q = arg;
	struct kaddr		 in_dst, out_dst;
	uint32_t		 seq;
	void			*m;
	long			 n;

	memset(out, 0, sizeof(*out));
	memset(q->got, 0, sizeof(q->got));
	kaddr_of(&in_dst, &rec->local);
	kaddr_of(&out_dst, &rec->remote);
	xfrm_batch_init(&q->b);
	m = xfrm_batch_next(&q->xs, &q->b, &seq);
	q->seq0 = seq;
	if ((n = xfrm_msg_getsa(m, XFRM_MSG_BUF, seq, &in_dst, rec->spi_in,
	    rec->proto, rec->mark_in, rec->mark_in_mask)) < 0)
		return -1;
	xfrm_batch_commit(&q->b, (size_t)n);
	m = xfrm_batch_next(&q->xs, &q->b, &seq);
	if ((n = xfrm_msg_getsa(m, XFRM_MSG_BUF, seq, &out_dst, rec->spi_out,
	    rec->proto, rec->mark_out, rec->mark_out_mask)) < 0)
		return -1;
	xfrm_batch_commit(&q->b, (size_t)n);
	if (xfrm_batch_send(&q->xs, &q->b, on_stats, q) == -1)
		return -1;
	out->have_in = q->got[0];
	out->bytes_in = q->st[0].bytes;
	out->packets_in = q->st[0].packets;
	out->drops_in = q->st[0].replay_drops + q->st[0].integrity_failed;
	out->have_out = q->got[1];
	out->bytes_out = q->st[1].bytes;
	out->packets_out = q->st[1].packets;
	return 0;
}

/* Counters come from the kernel; without netlink the tables still list
 * the SAs, with "-" for the counters. */
static void
sas_reply(struct ike_core *core, uint64_t now_ms, struct ctl_reply *r)
{
	struct ctr_query	*q = calloc(1, sizeof(*q));

	if (q != NULL && xfrm_open(&q->xs, 0) == 0) {
		sa_view_reply(core, now_ms, child_counters, q, r);
		xfrm_close(&q->xs);
	} else
		sa_view_reply(core, now_ms, NULL, NULL, r);
	free(q);
}

/*
 * CTL_REKEY / CTL_DELETE: start the exchange now, as the soft lifetime
 * (rekey) or an operator's delete would; the reply says it was started,
 * not that the peer answered (`haadm sas` shows the outcome).  The edge
 * drains the core's output after the request (loop_request()).
 */
static void
sa_cmd_reply(struct ike_core *core, uint8_t type, struct rd *tlvs,
    uint64_t now_ms, struct ctl_reply *r)
{
	enum ctl_sa_kind	 kind;
	uint32_t		 uid;
	const char		*what = type == CTL_REKEY ? "rekey" : "delete";
	const char		*k;
	char			 num[16], why[96];
	int			 rc;

	if (ctl_sa_target(tlvs, &kind, &uid) != 0) {
		ctl_reply_error(r, "want a kind (ike or child) and an SA uid");
		return;
	}
	k = kind == CTL_SA_IKE ? "ike" : "child";
	if (type == CTL_REKEY)
		rc = kind == CTL_SA_IKE ? ike_core_rekey_ike(core, uid, now_ms) :
		    ike_core_rekey_child(core, uid, now_ms);
	else
		rc = kind == CTL_SA_IKE ? ike_core_delete_ike(core, uid, now_ms) :
		    ike_core_delete_child(core, uid, now_ms);
	if (rc != 0) {
		log_info("ctl: %s %s SA %" PRIu32 " refused (no such SA, not "
		    "established, or an exchange is pending)", what, k, uid);
		snprintf(why, sizeof(why), "cannot %s %s SA %" PRIu32 ": no "
		    "such SA, not established, or busy", what, k, uid);
		ctl_reply_error(r, why);
		return;
	}
	log_info("ctl: %s %s SA %" PRIu32 " started by the operator", what, k,
	    uid);
	snprintf(num, sizeof(num), "%" PRIu32, uid);
	ctl_reply_kv(r, "action", what);
	ctl_reply_kv(r, "kind", k);
	ctl_reply_kv(r, "uid", num);
	ctl_reply_kv(r, "result", "started");
}

int
ikev2d_ctl_request(struct ike_core *core, const struct ctl_hdr *h,
    struct rd *tlvs, struct ctl_reply *r)
{
	struct timespec	 ts;
	uint64_t	 now_ms;

	switch (h->type) {
	case CTL_REKEY:
	case CTL_DELETE:
		if (core == NULL) {
			ctl_reply_error(r, "ikev2d has no IKE core running");
			return 0;
		}
		clock_gettime(CLOCK_MONOTONIC, &ts);
		now_ms = (uint64_t)ts.tv_sec * 1000 +
		    (uint64_t)ts.tv_nsec / 1000000;
		sa_cmd_reply(core, h->type, tlvs, now_ms, r);
		return 0;
	case CTL_SAS:
		clock_gettime(CLOCK_MONOTONIC, &ts);
		now_ms = (uint64_t)ts.tv_sec * 1000 +
		    (uint64_t)ts.tv_nsec / 1000000;
		if (core == NULL) {
			ctl_reply_error(r, "ikev2d has no IKE core running");
			return 0;
		}
		sas_reply(core, now_ms, r);
		return 0;
	}
	return -1;
}
