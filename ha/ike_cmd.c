/*
 * ha/ike_cmd.c -- tell ikev2d that a VIP group is ours (CTL_ACTIVATE) or
 * no longer ours (CTL_STANDBY), over <rundir>/ikev2d.sock (all daemons
 * of a node share one run directory).
 *
 * Synchronous, with a 5 s deadline: at a takeover nothing else matters
 * more than ikev2d installing the group's SAs, and the role machine
 * wants the SAs in the kernel before the VIP draws traffic (its action
 * order).  A missing ikev2d or an error reply is logged loudly and
 * counted, and the role change goes on: the VIP still moves, because a
 * group with nobody on its VIP is worse than one whose SAs need
 * renegotiating.  ikev2d's reply lines (group, state, ike_sas,
 * child_sas, kernel_sas, fetch_ms, install_ms) are logged as they come.
 */
#include <stdio.h>
#include <string.h>

#include "hamgrd.h"

#define IKE_CMD_TIMEOUT_MS	5000

struct reply {
	char	 line[160];
	size_t	 used;
};

static void
on_reply(void *arg, const struct ctl_hdr *h, struct rd *tlvs)
{
	struct reply	*r = arg;
	struct ctl_tlv	 t;
	char		 k[64], v[128];
	int		 n;

	while (ctl_next(tlvs, &t) == 1) {
		if (t.tag != CTL_T_KV || ctl_kv(&t, k, sizeof(k), v,
		    sizeof(v)) != 0)
			continue;
		if (r->used >= sizeof(r->line))
			break;
		n = snprintf(r->line + r->used, sizeof(r->line) - r->used,
		    "%s%s=%s", r->used > 0 ? " " : "", k, v);
		if (n > 0)
			r->used += (size_t)n;
	}
}

int
ike_cmd(struct ha_group *g, bool activate, bool unclean)
{
	struct ctl_role_req	 req;
	struct reply		 r;
	struct wr		 w;
	uint8_t			 body[256];
	char			 path[PATH_MAX + 16], err[256];
	const char		*what = activate ? "ACTIVATE" : "STANDBY";

	memset(&req, 0, sizeof(req));
	snprintf(req.group, sizeof(req.group), "%s", g->cfg->name);
	if (activate && unclean)
		req.flags = CTL_RF_UNCLEAN;
	wr_init(&w, body, sizeof(body));
	ctl_put_role_args(&w, &req);
	snprintf(path, sizeof(path), "%s/ikev2d.sock", g->hd->d->rundir);
	memset(&r, 0, sizeof(r));
	if (w.bad || ctl_request_body(path, activate ? CTL_ACTIVATE :
	    CTL_STANDBY, body, w.len, IKE_CMD_TIMEOUT_MS, on_reply, &r, err,
	    sizeof(err)) == -1) {
		g->ike_fail++;
		snprintf(g->ike_last, sizeof(g->ike_last), "%s failed: %.140s",
		    what, w.bad ? "request too large" : err);
		log_err("group %s: ikev2d %s%s FAILED: %s; %s", g->cfg->name,
		    what, unclean && activate ? " (unclean)" : "",
		    w.bad ? "request too large" : err, activate ?
		    "the VIP moves anyway" : "going on");
		return -1;
	}
	g->ike_ok++;
	snprintf(g->ike_last, sizeof(g->ike_last), "%s: %.140s", what,
	    r.used > 0 ? r.line : "ok");
	log_notice("group %s: ikev2d %s%s: %s", g->cfg->name, what,
	    unclean && activate ? " (unclean)" : "", r.used > 0 ? r.line :
	    "ok");
	return 0;
}
