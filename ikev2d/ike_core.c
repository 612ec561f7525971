/*
 * ikev2d/ike_core.c -- the core's entry points (ike_core.h): creation,
 * dispatch of received datagrams (decode -> find SA -> message ID ->
 * unprotect -> handler), commands, timers, the output queue, and the
 * sinks (log, events, randomness).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <sys/socket.h>

#include <openssl/rand.h>

#include "tandem/secbuf.h"
#include "tandem/util.h"
#include "child_sa.h"
#include "ike_names.h"
#include "ike_sa.h"
#include "ike_sk.h"
#include "trap.h"

static const char *const ev_names[] = {
	[0]			= "NONE",
	[IKE_EV_IKE_UP]		= "IKE_UP",
	[IKE_EV_IKE_REKEYED]	= "IKE_REKEYED",
	[IKE_EV_IKE_DOWN]	= "IKE_DOWN",
	[IKE_EV_IKE_MID]	= "IKE_MID",
	[IKE_EV_CHILD_UP]	= "CHILD_UP",
	[IKE_EV_CHILD_REKEYED]	= "CHILD_REKEYED",
	[IKE_EV_CHILD_DOWN]	= "CHILD_DOWN",
};
_Static_assert(nitems(ev_names) == IKE_EV_MAX, "name per event");

static const char *const drop_names[] = {
	[IKE_DROP_DECODE]		= "decode",
	[IKE_DROP_NO_SA]		= "no-sa",
	[IKE_DROP_MSGID_OLD]		= "msgid-old",
	[IKE_DROP_MSGID_FUTURE]		= "msgid-future",
	[IKE_DROP_RESP_UNEXPECTED]	= "response-unexpected",
	[IKE_DROP_SK]			= "sk-verify",
	[IKE_DROP_SYNTAX]		= "syntax",
	[IKE_DROP_EXCH]			= "exchange-state",
	[IKE_DROP_COOKIE]		= "cookie",
	[IKE_DROP_HALF_OPEN]		= "half-open-limit",
	[IKE_DROP_STANDBY]		= "standby",
};
_Static_assert(nitems(drop_names) == IKE_DROP_MAX, "name per drop");

static const char *const kind_names[] = {
	[IKE_LK_STATE]		= "state",
	[IKE_LK_IKE_UP]		= "ike-up",
	[IKE_LK_IKE_REKEYED]	= "ike-rekeyed",
	[IKE_LK_IKE_DOWN]	= "ike-down",
	[IKE_LK_CHILD_UP]	= "child-up",
	[IKE_LK_CHILD_REKEYED]	= "child-rekeyed",
	[IKE_LK_CHILD_DOWN]	= "child-down",
	[IKE_LK_AUTH_FAILED]	= "auth-failed",
	[IKE_LK_NEGOTIATION]	= "negotiation",
	[IKE_LK_RETRANSMIT]	= "retransmit",
	[IKE_LK_TIMEOUT]	= "timeout",
	[IKE_LK_DPD]		= "dpd",
	[IKE_LK_DROP]		= "drop",
	[IKE_LK_KERNEL]		= "kernel",
	[IKE_LK_NATT]		= "natt",
	[IKE_LK_TRAP]		= "trap",
	[IKE_LK_ACTION]		= "action",
};
_Static_assert(nitems(kind_names) == IKE_LK_MAX, "name per log kind");

const char *
ike_ev_type_name(unsigned int t)
{
	return t < nitems(ev_names) ? ev_names[t] : "UNKNOWN";
}

const char *
ike_drop_name(unsigned int d)
{
	return d < nitems(drop_names) ? drop_names[d] : "UNKNOWN";
}

const char *
ike_log_kind_name(unsigned int k)
{
	return k < nitems(kind_names) ? kind_names[k] : "UNKNOWN";
}

/* --- sinks ------------------------------------------------------------ */

int
core_random(struct ike_core *c, void *buf, size_t len)
{
	if (len == 0)
		return 0;
	if (c->env.random != NULL)
		return c->env.random(c->env.arg, buf, len);
	return RAND_bytes(buf, (int)len) == 1 ? 0 : -1;
}

void
core_event(struct ike_core *c, struct ike_event *ev)
{
	ev->seq = ++c->ev_seq;
	if (c->env.event != NULL)
		c->env.event(c->env.arg, ev);
}

static void
spi_hex(const uint8_t *spi, char *out)
{
	static const char	 hex[] = "0123456789abcdef";
	int			 i;

	for (i = 0; i < IKE_SPI_LEN; i++) {
		out[2 * i] = hex[spi[i] >> 4];
		out[2 * i + 1] = hex[spi[i] & 15];
	}
	out[16] = '\0';
}

void
core_log(struct ike_core *c, const struct ike_sa *sa, enum ike_log_level lvl,
    enum ike_log_kind kind, const char *fmt, ...)
{
	struct ike_log_msg	 m;
	char			 body[384], line[512], si[17], sr[17];
	va_list			 ap;

	if (c->env.log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	memset(&m, 0, sizeof(m));
	m.level = lvl;
	m.kind = kind;
	m.drop = -1;
	if (sa != NULL) {
		spi_hex(sa->spi_i, si);
		spi_hex(sa->spi_r, sr);
		snprintf(line, sizeof(line), "ike %s_i %s_r [%s]: %s", si, sr,
		    sa->conn_name, body);
		m.conn = sa->conn_name;
		m.peer = &sa->remote;
		m.peer_id = sa->peer_id;
		m.ike_uid = sa->uid;
	} else {
		snprintf(line, sizeof(line), "ike: %s", body);
		m.conn = "";
		m.peer_id = "";
	}
	m.msg = line;
	c->env.log(c->env.arg, &m);
}

void
core_drop(struct ike_core *c, const struct ike_sa *sa,
    const struct sa_addr *peer, enum ike_drop d, const char *why)
{
	struct ike_log_msg	 m;
	char			 line[256];

	c->st.drops[d]++;
	if (c->env.log == NULL)
		return;
	memset(&m, 0, sizeof(m));
	m.level = IKE_LOG_DEBUG;
	m.kind = IKE_LK_DROP;
	m.drop = (int)d;
	m.conn = sa != NULL ? sa->conn_name : "";
	m.peer = peer;
	m.peer_id = sa != NULL ? sa->peer_id : "";
	m.ike_uid = sa != NULL ? sa->uid : 0;
	snprintf(line, sizeof(line), "ike: dropped (%s): %s", drop_names[d],
	    why);
	m.msg = line;
	c->env.log(c->env.arg, &m);
}

static int
enqueue(struct ike_core *c, const struct sa_addr *local,
    const struct sa_addr *remote, bool marker, uint32_t ike_uid,
    uint64_t barrier, const uint8_t *buf, size_t len)
{
	struct ike_dgram	*d, *nq;
	size_t			 ncap, i;

	if (c->out_head + c->out_n == c->out_cap) {
		if (c->out_head > 0) {
			for (i = 0; i < c->out_n; i++)
				c->outq[i] = c->outq[c->out_head + i];
			c->out_head = 0;
		} else {
			ncap = c->out_cap ? c->out_cap * 2 : 16;
			if ((nq = realloc(c->outq, ncap * sizeof(*nq))) == NULL)
				return -1;
			c->outq = nq;
			c->out_cap = ncap;
		}
	}
	d = &c->outq[c->out_head + c->out_n];
	memset(d, 0, sizeof(*d));
	if ((d->buf = malloc(len)) == NULL)
		return -1;
	memcpy(d->buf, buf, len);
	d->len = len;
	d->local = *local;
	d->remote = *remote;
	d->marker = marker;
	d->ike_uid = ike_uid;
	d->ev_seq = barrier;
	c->out_n++;
	c->st.tx++;
	return 0;
}

int
core_queue(struct ike_core *c, const struct sa_addr *local,
    const struct sa_addr *remote, bool marker, const uint8_t *buf,
    size_t len)
{
	return enqueue(c, local, remote, marker, 0, 0, buf, len);
}

int
core_queue_sa(struct ike_sa *sa, const uint8_t *buf, size_t len)
{
	return enqueue(sa->core, &sa->local, &sa->remote, sa->natt, sa->uid,
	    sa->ev_last, buf, len);
}

/* --- configuration helpers --------------------------------------------- */

const struct cfg_conn *
core_conn(struct ike_core *c, const char *name)
{
	return cfg_conn_find(c->cfg, name);
}

const struct cfg_child *
core_child(const struct cfg_conn *cn, const char *name)
{
	size_t	 i;

	if (cn == NULL || cn->nchildren == 0)
		return NULL;
	if (name == NULL || name[0] == '\0')
		return &cn->children[0];
	for (i = 0; i < cn->nchildren; i++)
		if (strcmp(cn->children[i].name, name) == 0)
			return &cn->children[i];
	return NULL;
}

size_t
core_props(const struct cfg_proposal *p, size_t n, uint8_t proto,
    struct ike_cfg_prop *out, size_t cap)
{
	size_t	 i, j, k = 0;

	for (i = 0; i < n && k < cap; i++, k++) {
		memset(&out[k], 0, sizeof(out[k]));
		out[k].proto = proto;
		out[k].nencr = p[i].nencr;
		for (j = 0; j < p[i].nencr && j < IKE_CFG_MAX_ALGS; j++) {
			out[k].encr[j].id = p[i].encr[j].id;
			out[k].encr[j].keylen = p[i].encr[j].keylen;
		}
		if (proto == IKE_PROTO_IKE) {
			out[k].nprf = p[i].nprf;
			memcpy(out[k].prf, p[i].prf, sizeof(out[k].prf));
		}
		out[k].ninteg = p[i].ninteg;
		memcpy(out[k].integ, p[i].integ, sizeof(out[k].integ));
		out[k].nke = p[i].nke;
		memcpy(out[k].ke, p[i].ke, sizeof(out[k].ke));
		if (proto != IKE_PROTO_IKE) {
			out[k].nesn = p[i].nesn;
			memcpy(out[k].esn, p[i].esn, sizeof(out[k].esn));
		}
	}
	return k;
}

const struct secbuf *
core_psk(struct ike_core *c, const struct cfg_conn *cn,
    const struct sa_id *peer)
{
	struct cfg_id	 rid;

	memset(&rid, 0, sizeof(rid));
	rid.type = (enum cfg_id_type)peer->type;
	rid.data = (uint8_t *)(uintptr_t)peer->data;
	rid.len = peer->len;
	return cfg_psk_find(c->cfg, &cn->local.id, &rid);
}

/* --- creation ------------------------------------------------------------ */

struct ike_core *
ike_core_new(const struct tnd_cfg *cfg, const struct ike_core_env *env,
    const struct ike_core_limits *lim)
{
	struct ike_core	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->cfg = cfg;
	c->env = *env;
	if (lim != NULL)
		c->lim = *lim;
	if (c->lim.half_open_timeout_ms == 0)
		c->lim.half_open_timeout_ms = IKE_HALF_OPEN_MS;
	if (core_random(c, c->cookie_secret, sizeof(c->cookie_secret)) != 0 ||
	    core_groups_sync(c) != 0) {
		core_groups_free(c);
		free(c);
		return NULL;
	}
	exch_auth_certs_load(c);
	return c;
}

void
ike_core_free(struct ike_core *c)
{
	if (c == NULL)
		return;
	while (c->sas != NULL)
		ike_sa_free(c->sas);
	ike_sa_tab_free(c);
	while (c->out_n > 0)
		ike_core_out_pop(c);
	free(c->outq);
	trap_free_all(c);
	exch_auth_certs_free(c);
	core_groups_free(c);
	park_free(c);		/* parked SAs stay: a restart parks again */
	secure_wipe(c, sizeof(*c));
	free(c);
}

void
ike_core_set_cfg(struct ike_core *c, const struct tnd_cfg *cfg)
{
	struct ike_sa	*sa;

	c->cfg = cfg;
	exch_auth_certs_load(c);
	if (core_groups_sync(c) != 0)
		core_log(c, NULL, IKE_LOG_ERR, IKE_LK_ACTION, "reload: out of "
		    "memory for the VIP groups: their states are stale");
	for (sa = c->sas; sa != NULL; sa = sa->next)
		sa->conn = cfg_conn_find(cfg, sa->conn_name);
	trap_prune(c);
	trap_install_all(c);
}

/* --- input ----------------------------------------------------------------- */

static int
drop(struct ike_core *c, const struct ike_sa *sa, const struct sa_addr *peer,
    enum ike_drop d, const char *why)
{
	core_drop(c, sa, peer, d, why);
	return -1 - (int)d;
}

static void
ep_str(const struct sa_addr *a, char *buf, size_t len)
{
	char	 h[64];

	if (inet_ntop(a->family == CFG_AF_INET6 ? AF_INET6 : AF_INET,
	    a->addr, h, sizeof(h)) == NULL)
		snprintf(h, sizeof(h), "?");
	snprintf(buf, len, a->family == CFG_AF_INET6 ? "[%s]:%u" : "%s:%u",
	    h, a->port);
}

static bool
ep_eq(const struct sa_addr *a, const struct sa_addr *b)
{
	return a->family == b->family && a->port == b->port &&
	    memcmp(a->addr, b->addr, sizeof(a->addr)) == 0;
}

/*
 * A valid, authenticated request names the SA's endpoints (RFC 7296
 * 2.23, RFC 3948).  The first one on the NAT-T port floats the SA there:
 * the initiator moves to 4500 from IKE_AUTH on when either side saw a NAT
 * (or it forces encapsulation), and from then on we answer from and to
 * those ports with the non-ESP marker.  Later, a peer behind a NAT may
 * show up from a new address or port when its mapping changes; we follow
 * it.  Without a NAT or the float, the endpoints stay (no MOBIKE yet).
 */
static void
endpoints_update(struct ike_sa *sa, const struct sa_addr *local,
    const struct sa_addr *remote)
{
	struct ike_core	*c = sa->core;
	uint16_t	 nat_t = c->cfg->ike.port_nat_t;
	bool		 on_natt = nat_t != 0 && local->port == nat_t;
	char		 ol[80], orr[80], nl[80], nr[80];

	if (ep_eq(&sa->local, local) && ep_eq(&sa->remote, remote))
		return;
	ep_str(&sa->local, ol, sizeof(ol));
	ep_str(&sa->remote, orr, sizeof(orr));
	ep_str(local, nl, sizeof(nl));
	ep_str(remote, nr, sizeof(nr));
	if (sa->natt && !on_natt) {
		/* 2.23: once floated, never back to the IKE port */
		core_log(c, sa, IKE_LOG_INFO, IKE_LK_NATT,
		    "request %s -> %s off the NAT-T port: endpoints stay "
		    "%s -> %s", nr, nl, orr, ol);
		return;
	}
	if (!on_natt && !(sa->sa_flags & SA_IKE_NAT_REMOTE)) {
		core_log(c, sa, IKE_LOG_INFO, IKE_LK_NATT,
		    "request %s -> %s but no NAT: endpoints stay %s -> %s", nr,
		    nl, orr, ol);
		return;
	}
	sa->local = *local;
	sa->remote = *remote;
	if (on_natt && !sa->natt) {
		sa->natt = true;
		sa->sa_flags |= SA_IKE_NATT_4500;
	}
	core_log(c, sa, IKE_LOG_NOTICE, IKE_LK_NATT,
	    "endpoints %s -> %s now %s -> %s%s", orr, ol, nr, nl,
	    sa->natt ? " (NAT-T, non-ESP marker)" : "");
	if (sa->children != NULL)
		core_log(c, sa, IKE_LOG_WARN, IKE_LK_NATT,
		    "Child SAs keep their old outer endpoints until rekeyed");
	if (ike_state_up(sa->state))
		ike_sa_emit(sa, IKE_EV_IKE_MID, NULL);
}

static int
resend_cached(struct ike_core *c, struct ike_sa *sa)
{
	c->st.resp_cache_hits++;
	core_log(c, sa, IKE_LOG_DEBUG, IKE_LK_RETRANSMIT,
	    "request %u again: answered from the cache", sa->msgid_recv - 1);
	return core_queue_sa(sa, sa->resp, sa->resp_len);
}

static int
input_sa_init(struct ike_core *c, const struct sa_addr *local,
    const struct sa_addr *remote, const struct ike_msg *m, uint64_t now)
{
	struct ike_sa	*sa;

	if ((m->hdr.flags & IKE_FLAG_RESPONSE) == 0) {
		if (m->hdr.rspi != 0 || m->hdr.msgid != 0 ||
		    (m->hdr.flags & IKE_FLAG_INITIATOR) == 0)
			return drop(c, NULL, remote, IKE_DROP_SYNTAX,
			    "IKE_SA_INIT request with SPIr / msgid");
		sa = ike_sa_find_init(c, m->hdr.ispi, remote);
		if (sa != NULL) {
			/* RFC 7296 2.1: a retransmitted IKE_SA_INIT */
			if (sa->state == IKE_S_HALF_OPEN && sa->init_resp &&
			    m->len == sa->init_req_len &&
			    memcmp(m->buf, sa->init_req, m->len) == 0) {
				c->st.resp_cache_hits++;
				return core_queue_sa(sa, sa->init_resp,
				    sa->init_resp_len);
			}
			return drop(c, sa, remote, IKE_DROP_EXCH,
			    "IKE_SA_INIT for an SA past it");
		}
		return exch_init_request(c, local, remote, m, now);
	}
	if ((sa = ike_sa_find(c, &m->hdr)) == NULL)
		return drop(c, NULL, remote, IKE_DROP_NO_SA,
		    "IKE_SA_INIT response for no SA");
	if (sa->standby)
		return drop(c, sa, remote, IKE_DROP_STANDBY,
		    "IKE_SA_INIT response for a standby SA");
	if (sa->state != IKE_S_INIT_SENT || sa->req.kind != IKE_REQ_INIT ||
	    m->hdr.msgid != 0)
		return drop(c, sa, remote, IKE_DROP_RESP_UNEXPECTED,
		    "IKE_SA_INIT response not expected");
	return exch_init_response(sa, m, now);
}

static int
dispatch(struct ike_sa *sa, const struct ike_rx *rx, bool response)
{
	uint8_t		 exch = rx->m->hdr.exch;

	if (!response) {
		switch (exch) {
		case IKE_EXCH_AUTH:
			if (sa->state == IKE_S_HALF_OPEN)
				return exch_auth_request(sa, rx);
			break;
		case IKE_EXCH_CREATE_CHILD:
			if (ike_state_up(sa->state))
				return exch_child_request(sa, rx);
			break;
		case IKE_EXCH_INFORMATIONAL:
			if (sa->state != IKE_S_HALF_OPEN)
				return exch_info_request(sa, rx);
			break;
		}
		return -1;
	}
	if (exch != sa->req.exch)
		return -1;
	switch (sa->req.kind) {
	case IKE_REQ_AUTH:
		return exch_auth_response(sa, rx);
	case IKE_REQ_CHILD_NEW:
	case IKE_REQ_CHILD_REKEY:
	case IKE_REQ_IKE_REKEY:
		return exch_child_response(sa, rx);
	case IKE_REQ_DELETE_CHILD:
	case IKE_REQ_DELETE_IKE:
	case IKE_REQ_DPD:
		return exch_info_response(sa, rx);
	case IKE_REQ_NONE:
	case IKE_REQ_INIT:
		break;
	}
	return -1;
}

int
ike_core_input(struct ike_core *c, const struct sa_addr *local,
    const struct sa_addr *remote, const uint8_t *buf, size_t len,
    uint64_t now)
{
	struct ike_msg		 m;
	struct ike_chain	 inner;
	struct ike_sk_keys	 k;
	struct ike_sk_plain	 pl;
	struct ike_rx		 rx;
	struct ike_sa		*sa;
	uint32_t		 uid, id;
	bool			 response, dup = false;
	int			 rc;

	c->st.rx++;
	if (ike_decode(buf, len, &m) != 0)
		return drop(c, NULL, remote, IKE_DROP_DECODE,
		    "header or payload chain");
	if (m.hdr.exch == IKE_EXCH_SA_INIT)
		return input_sa_init(c, local, remote, &m, now);
	if ((sa = ike_sa_find(c, &m.hdr)) == NULL)
		return drop(c, NULL, remote, IKE_DROP_NO_SA, "unknown SPIs");
	/* the group's master answers; a standby keeps quiet (DESIGN) */
	if (sa->standby || core_conn_standby(c, sa->conn))
		return drop(c, sa, remote, IKE_DROP_STANDBY,
		    "SA of a VIP group on standby here");
	if (!m.sk.present || m.sk.frag)
		return drop(c, sa, remote, IKE_DROP_SYNTAX,
		    "no SK payload (SKF not supported yet)");
	if (sa->state == IKE_S_NEW || sa->state == IKE_S_INIT_SENT ||
	    sa->state == IKE_S_CLOSED)
		return drop(c, sa, remote, IKE_DROP_EXCH, "SA has no keys");
	response = (m.hdr.flags & IKE_FLAG_RESPONSE) != 0;
	id = m.hdr.msgid;
	if (!response) {
		/* RFC 7296 2.3, window 1: recv - 1 is a retransmission */
		if (sa->msgid_recv > 0 && id == sa->msgid_recv - 1 &&
		    sa->resp_valid)
			dup = true;
		else if (id < sa->msgid_recv)
			return drop(c, sa, remote, IKE_DROP_MSGID_OLD,
			    "request ID below the window");
		else if (id > sa->msgid_recv)
			return drop(c, sa, remote, IKE_DROP_MSGID_FUTURE,
			    "request ID beyond the window");
	} else if (sa->req.kind == IKE_REQ_NONE || sa->req.kind ==
	    IKE_REQ_INIT || id != sa->req.msgid)
		return drop(c, sa, remote, IKE_DROP_RESP_UNEXPECTED,
		    "response to no outstanding request");
	if (len > sizeof(c->plain))
		return drop(c, sa, remote, IKE_DROP_SYNTAX, "too long");
	k.suite = &sa->suite;
	k.ekey = sa->initiator ? sa->keys.sk_er : sa->keys.sk_ei;
	k.akey = sa->initiator ? sa->keys.sk_ar : sa->keys.sk_ai;
	if (ike_sk_unprotect(buf, len, m.sk.hdr_off, IKE_PLD_SK, &k, c->plain,
	    sizeof(c->plain), &pl) != 0)
		return drop(c, sa, remote, IKE_DROP_SK, "SK does not verify");
	sa->last_rx_ms = now;
	if (!response)
		endpoints_update(sa, local, remote);
	if (sa->dpd_ms != 0 && sa->conn != NULL)
		sa->dpd_ms = now + (uint64_t)sa->conn->dpd_delay_s * 1000;
	if (dup) {
		/* authentic retransmission: answer, do not process again */
		secure_wipe(c->plain, pl.len);
		resend_cached(c, sa);
		return 0;
	}
	rc = ike_decode_inner(pl.p, pl.len, pl.first, &inner);
	if (rc != 0) {
		secure_wipe(c->plain, pl.len);
		if (!response) {
			sa->msgid_recv++;
			exch_send_notify(sa, m.hdr.exch, id,
			    IKE_N_INVALID_SYNTAX, NULL, 0);
		}
		return drop(c, sa, remote, IKE_DROP_SYNTAX, "inner chain");
	}
	if (!response) {
		sa->msgid_recv++;
		sa->resp_valid = false;
	}
	rx.m = &m;
	rx.in = &inner;
	rx.ibuf = pl.p;
	rx.now = now;
	uid = sa->uid;
	rc = dispatch(sa, &rx, response);
	secure_wipe(c->plain, pl.len);
	if ((sa = ike_sa_by_uid(c, uid)) == NULL)
		return 0;
	if (rc != 0 && !response && !sa->resp_valid && sa->state !=
	    IKE_S_CLOSED) {
		/* no handler answered: still answer, so the peer's window
		 * moves (2.3) */
		exch_send_notify(sa, m.hdr.exch, id, IKE_N_INVALID_SYNTAX,
		    NULL, 0);
	}
	if (rc != 0)
		core_drop(c, sa, remote, IKE_DROP_EXCH,
		    ike_exch_name(m.hdr.exch));
	ike_sa_task_run(sa, now);
	return 0;
}

int
ike_core_kernel_expire(struct ike_core *c, uint8_t proto, uint32_t spi,
    bool hard, uint64_t bytes, uint64_t packets, uint64_t now)
{
	const struct cfg_child	*cc;
	struct child_sa		*ch;
	struct ike_sa		*sa;
	struct ike_task		 t;

	if ((ch = child_sa_core_by_spi(c, spi)) == NULL || ch->standby)
		return -1;
	sa = ch->ike;
	cc = core_child(sa->conn, ch->name);
	/* Our soft limits are rekey_bytes / rekey_packets (child_sa.c puts
	 * them in the kernel); below both, the limit was syncd's lease
	 * fence (ike_core.h). */
	if (!hard && cc != NULL &&
	    !(cc->rekey_bytes != 0 && bytes >= cc->rekey_bytes) &&
	    !(cc->rekey_packets != 0 && packets >= cc->rekey_packets))
		return 1;
	memset(&t, 0, sizeof(t));
	t.uid = ch->uid;
	if (hard) {
		t.kind = IKE_TASK_CHILD_DELETE;
		t.spi = ch->spi_in;
		child_sa_delete(ch, false);
	} else
		t.kind = IKE_TASK_CHILD_REKEY;
	ike_sa_task_add(sa, &t);
	ike_sa_task_run(sa, now);
	return 0;
}

/* An IKE SA of conn on its way up (we initiated), or NULL. */
static struct ike_sa *
sa_starting(struct ike_core *c, const char *conn)
{
	struct ike_sa	*sa;

	for (sa = c->sas; sa != NULL; sa = sa->next)
		if (sa->initiator && strcmp(sa->conn_name, conn) == 0 &&
		    (sa->state == IKE_S_NEW || sa->state == IKE_S_INIT_SENT ||
		    sa->state == IKE_S_AUTH_SENT))
			return sa;
	return NULL;
}

static bool
reqid_live(struct ike_core *c, uint32_t reqid)
{
	struct ike_sa	*sa;
	struct child_sa	*ch;

	for (sa = c->sas; sa != NULL; sa = sa->next) {
		for (ch = sa->children; ch != NULL; ch = ch->next)
			if (ch->reqid == reqid)
				return true;
		/* our CREATE_CHILD_SA for it is out */
		if (sa->req.kind == IKE_REQ_CHILD_NEW &&
		    sa->req.p.reqid == reqid)
			return true;
	}
	return false;
}

/*
 * Initiate conn's child, or add it to an IKE SA of conn that is on its
 * way up (it then follows IKE_AUTH as a CREATE_CHILD_SA), so that several
 * children never make several IKE SAs.
 */
static int64_t
initiate_child(struct ike_core *c, const char *conn, const char *child,
    uint64_t now)
{
	struct ike_sa	*sa;
	struct ike_task	 t;

	if ((sa = sa_starting(c, conn)) == NULL)
		return ike_core_initiate(c, conn, child, now);
	if (strcmp(sa->first_child, child) != 0) {
		memset(&t, 0, sizeof(t));
		t.kind = IKE_TASK_CHILD_NEW;
		snprintf(t.name, sizeof(t.name), "%s", child);
		if (ike_sa_task_add(sa, &t) != 0)
			return -1;
	}
	return sa->uid;
}

int
ike_core_kernel_acquire(struct ike_core *c, uint32_t reqid, uint64_t now)
{
	const struct ike_trap	*t;
	const struct cfg_conn	*cn = NULL;
	struct ike_sa		*sa;
	const char		*child = NULL;
	size_t			 i, j;

	if ((t = trap_by_reqid(c, reqid)) != NULL) {
		cn = core_conn(c, t->conn);
		child = t->child;
	}
	for (i = 0; cn == NULL && i < c->cfg->ike.nconns; i++)
		for (j = 0; j < c->cfg->ike.conns[i].nchildren; j++)
			if (c->cfg->ike.conns[i].children[j].reqid == reqid) {
				cn = &c->cfg->ike.conns[i];
				child = cn->children[j].name;
				break;
			}
	if (cn == NULL || child == NULL)
		return -1;
	if (core_conn_standby(c, cn)) {
		/* a trap of ours left over from before standby */
		core_log(c, NULL, IKE_LOG_INFO, IKE_LK_TRAP, "conn %s child "
		    "%s: acquire for reqid %u ignored: group %s on standby",
		    cn->name, child, reqid, cn->vip_group);
		return -1;
	}
	/* the kernel repeats acquires until an SA is there */
	sa = sa_starting(c, cn->name);
	if (reqid_live(c, reqid) || (sa != NULL &&
	    strcmp(sa->first_child, child) == 0)) {
		core_log(c, NULL, IKE_LOG_DEBUG, IKE_LK_TRAP,
		    "conn %s child %s: acquire for reqid %u, already on its "
		    "way", cn->name, child, reqid);
		return 0;
	}
	core_log(c, NULL, IKE_LOG_NOTICE, IKE_LK_TRAP,
	    "conn %s child %s: kernel acquire for reqid %u: initiating",
	    cn->name, child, reqid);
	return initiate_child(c, cn->name, child, now) > 0 ? 0 : -1;
}

/* --- commands --------------------------------------------------------------- */

static void
addr_from_cfg(const struct cfg_addr *a, uint16_t port, struct sa_addr *o)
{
	memset(o, 0, sizeof(*o));
	o->family = a->family;
	memcpy(o->addr, a->addr, 16);
	o->port = port;
}

int64_t
ike_core_initiate(struct ike_core *c, const char *conn, const char *child,
    uint64_t now)
{
	const struct cfg_conn	*cn;
	const struct cfg_child	*ch;
	struct ike_sa		*sa;
	struct ike_task		 t;
	struct sa_addr		 l, r;

	if ((cn = core_conn(c, conn)) == NULL || core_conn_standby(c, cn))
		return -1;
	if ((ch = core_child(cn, child)) == NULL && child != NULL)
		return -1;
	if ((sa = ike_sa_by_conn(c, conn)) != NULL) {
		if (ch == NULL)
			return sa->uid;
		memset(&t, 0, sizeof(t));
		t.kind = IKE_TASK_CHILD_NEW;
		snprintf(t.name, sizeof(t.name), "%s", ch->name);
		if (ike_sa_task_add(sa, &t) != 0)
			return -1;
		ike_sa_task_run(sa, now);
		return sa->uid;
	}
	if (cn->nremote_addrs == 0 || cn->remote_addrs[0].family ==
	    CFG_AF_ANY || cn->nlocal_addrs == 0 ||
	    cn->local_addrs[0].family == CFG_AF_ANY)
		return -1;
	addr_from_cfg(&cn->local_addrs[0], cn->local_port ? cn->local_port :
	    c->cfg->ike.port, &l);
	addr_from_cfg(&cn->remote_addrs[0], cn->remote_port ? cn->remote_port :
	    500, &r);
	if ((sa = ike_sa_new(c, true, &l, &r)) == NULL)
		return -1;
	sa->conn = cn;
	snprintf(sa->conn_name, sizeof(sa->conn_name), "%s", cn->name);
	ike_sa_refile(sa);
	if (ch != NULL)
		snprintf(sa->first_child, sizeof(sa->first_child), "%s",
		    ch->name);
	if (exch_init_start(sa, now) != 0) {
		ike_sa_free(sa);
		return -1;
	}
	return sa->uid;
}

int
core_peer_dead(struct ike_sa *sa, uint64_t now)
{
	struct ike_core		*c = sa->core;
	const struct cfg_conn	*cn = sa->conn;
	const struct cfg_child	*cc;
	struct child_sa		*ch;
	char			 conn[CFG_NAME_MAX];
	char			 restart[IKE_TASKS_MAX][CFG_NAME_MAX];
	size_t			 n = 0, i;
	bool			 keep = true, dup;

	/* only an SA in use has an action; the rest just closes */
	if (cn == NULL || (sa->state != IKE_S_ESTABLISHED &&
	    sa->state != IKE_S_REKEYING)) {
		ike_sa_event(sa, IKE_FEV_TIMEOUT, now);
		return 1;
	}
	/* per child (it inherits the connection's); none only if all say so */
	for (ch = sa->children; ch != NULL; ch = ch->next) {
		cc = core_child(cn, ch->name);
		if (cc == NULL || cc->dpd_action != CFG_DPD_NONE)
			keep = false;
		if (cc == NULL || cc->dpd_action != CFG_DPD_RESTART)
			continue;
		for (i = 0, dup = false; i < n; i++)
			dup |= strcmp(restart[i], cc->name) == 0;
		if (!dup && n < nitems(restart))
			snprintf(restart[n++], sizeof(restart[0]), "%s",
			    cc->name);
	}
	if (sa->children == NULL) {
		keep = cn->dpd_action == CFG_DPD_NONE;
		if (cn->dpd_action == CFG_DPD_RESTART && cn->nchildren > 0)
			snprintf(restart[n++], sizeof(restart[0]), "%s",
			    cn->children[0].name);
	}
	if (keep) {
		core_log(c, sa, IKE_LOG_NOTICE, IKE_LK_ACTION,
		    "peer %s unresponsive, dpd_action = none: keeping the "
		    "SAs, still retransmitting", sa->peer_id);
		return 0;
	}
	core_log(c, sa, IKE_LOG_NOTICE, IKE_LK_ACTION,
	    "peer %s unresponsive, dpd_action = %s: closing the SAs%s",
	    sa->peer_id, n > 0 ? "restart" : "clear", n > 0 ?
	    ", then initiating again" : "");
	snprintf(conn, sizeof(conn), "%s", sa->conn_name);
	ike_sa_event(sa, IKE_FEV_TIMEOUT, now);		/* sa is gone */
	for (i = 0; i < n; i++) {
		core_log(c, NULL, IKE_LOG_NOTICE, IKE_LK_ACTION,
		    "conn %s child %s: dpd_action = restart: initiating",
		    conn, restart[i]);
		if (initiate_child(c, conn, restart[i], now) <= 0)
			core_log(c, NULL, IKE_LOG_WARN, IKE_LK_ACTION,
			    "conn %s child %s: restart failed", conn,
			    restart[i]);
	}
	return 1;
}

/* A Child SA of conn's child config exists (standby or not). */
static bool
child_exists(struct ike_core *c, const char *conn, const char *child)
{
	struct ike_sa	*sa;
	struct child_sa	*ch;

	for (sa = c->sas; sa != NULL; sa = sa->next)
		for (ch = sa->children; ch != NULL; ch = ch->next)
			if (strcmp(sa->conn_name, conn) == 0 &&
			    strcmp(ch->name, child) == 0)
				return true;
	return false;
}

int
core_start_conns(struct ike_core *c, const char *group, uint64_t now)
{
	size_t			 i, j;
	const struct cfg_conn	*cn;
	int			 n = 0;

	for (i = 0; i < c->cfg->ike.nconns; i++) {
		cn = &c->cfg->ike.conns[i];
		if (core_conn_standby(c, cn) || (group != NULL &&
		    strcmp(cn->vip_group, group) != 0))
			continue;
		for (j = 0; j < cn->nchildren; j++)
			if (cn->children[j].start_action == CFG_START_START &&
			    !child_exists(c, cn->name, cn->children[j].name) &&
			    initiate_child(c, cn->name, cn->children[j].name,
			    now) > 0)
				n++;
	}
	return n;
}

int
ike_core_start_all(struct ike_core *c, uint64_t now)
{
	ike_core_install_traps(c);
	return core_start_conns(c, NULL, now);
}

int
ike_core_install_traps(struct ike_core *c)
{
	return trap_install_all(c);
}

static struct ike_sa *
up_sa(struct ike_core *c, uint32_t uid)
{
	struct ike_sa	*sa = ike_sa_by_uid(c, uid);

	return sa != NULL && ike_state_up(sa->state) && !sa->standby ? sa :
	    NULL;
}

static int
task(struct ike_sa *sa, enum ike_task_kind kind, uint32_t uid, uint32_t spi,
    uint64_t now)
{
	struct ike_task	 t;

	memset(&t, 0, sizeof(t));
	t.kind = kind;
	t.uid = uid;
	t.spi = spi;
	if (ike_sa_task_add(sa, &t) != 0)
		return -1;
	ike_sa_task_run(sa, now);
	return 0;
}

int
ike_core_delete_ike(struct ike_core *c, uint32_t uid, uint64_t now)
{
	struct ike_sa	*sa;

	if ((sa = ike_sa_by_uid(c, uid)) == NULL || sa->standby)
		return -1;
	if (!ike_state_up(sa->state)) {
		/* not established: nothing to tell the peer */
		ike_sa_event(sa, IKE_FEV_TIMEOUT, now);
		return 0;
	}
	if (sa->state == IKE_S_DELETING)
		return 0;
	return task(sa, IKE_TASK_IKE_DELETE, 0, 0, now);
}

int
ike_core_delete_child(struct ike_core *c, uint32_t uid, uint64_t now)
{
	struct child_sa	*ch;

	if ((ch = child_sa_by_uid(c, uid)) == NULL || ch->standby)
		return -1;
	return task(ch->ike, IKE_TASK_CHILD_DELETE, uid, ch->spi_in, now);
}

int
ike_core_rekey_ike(struct ike_core *c, uint32_t uid, uint64_t now)
{
	struct ike_sa	*sa;

	if ((sa = up_sa(c, uid)) == NULL)
		return -1;
	return task(sa, IKE_TASK_IKE_REKEY, 0, 0, now);
}

int
ike_core_rekey_child(struct ike_core *c, uint32_t uid, uint64_t now)
{
	struct child_sa	*ch;

	if ((ch = child_sa_by_uid(c, uid)) == NULL || ch->standby)
		return -1;
	return task(ch->ike, IKE_TASK_CHILD_REKEY, uid, 0, now);
}

int
ike_core_dpd(struct ike_core *c, uint32_t uid, uint64_t now)
{
	struct ike_sa	*sa;

	if ((sa = up_sa(c, uid)) == NULL)
		return -1;
	return task(sa, IKE_TASK_DPD, 0, 0, now);
}

int
ike_core_delete_all(struct ike_core *c, uint64_t now)
{
	struct ike_sa	*sa;
	int		 n = 0;

	for (sa = c->sas; sa != NULL; sa = sa->next)
		if (sa->state == IKE_S_ESTABLISHED && !sa->standby &&
		    task(sa, IKE_TASK_IKE_DELETE, 0, 0, now) == 0)
			n++;
	return n;
}

/* --- timers ------------------------------------------------------------------ */

uint64_t
ike_core_next_deadline(const struct ike_core *c)
{
	const struct ike_sa	*sa;
	uint64_t		 d = UINT64_MAX, x;

	for (sa = c->sas; sa != NULL; sa = sa->next) {
		x = ike_sa_deadline(sa);
		if (x != 0 && x < d)
			d = x;
	}
	return d;
}

static void
sa_tick(struct ike_sa *sa, uint64_t now)
{
	struct ike_core	*c = sa->core;
	struct child_sa	*ch, *nx;
	uint32_t	 uid = sa->uid;

	if (sa->half_open_ms != 0 && now >= sa->half_open_ms &&
	    !ike_state_up(sa->state)) {
		core_log(c, sa, IKE_LOG_INFO, IKE_LK_TIMEOUT,
		    "half-open SA expired");
		ike_sa_event(sa, IKE_FEV_TIMEOUT, now);
		return;
	}
	ike_sa_retransmit_tick(sa, now);
	if ((sa = ike_sa_by_uid(c, uid)) == NULL)
		return;
	if (ike_state_up(sa->state) && sa->expire_ms != 0 &&
	    now >= sa->expire_ms) {
		core_log(c, sa, IKE_LOG_NOTICE, IKE_LK_TIMEOUT,
		    "hard lifetime reached");
		sa->expire_ms = 0;
		if (sa->req.kind == IKE_REQ_NONE && sa->state !=
		    IKE_S_DELETING)
			exch_info_delete_ike(sa, now);
		else
			ike_sa_event(sa, IKE_FEV_TIMEOUT, now);
		return;
	}
	if (sa->state == IKE_S_ESTABLISHED && sa->rekey_ms != 0 &&
	    now >= sa->rekey_ms) {
		sa->rekey_ms = 0;
		task(sa, IKE_TASK_IKE_REKEY, 0, 0, now);
	}
	if ((sa = ike_sa_by_uid(c, uid)) == NULL)
		return;
	if (sa->state == IKE_S_ESTABLISHED && sa->dpd_ms != 0 &&
	    now >= sa->dpd_ms) {
		sa->dpd_ms = now + (uint64_t)(sa->conn != NULL ?
		    sa->conn->dpd_delay_s : 30) * 1000;
		if (sa->req.kind == IKE_REQ_NONE)
			task(sa, IKE_TASK_DPD, 0, 0, now);
	}
	if ((sa = ike_sa_by_uid(c, uid)) == NULL)
		return;
	for (ch = sa->children; ch != NULL; ch = nx) {
		nx = ch->next;
		child_sa_tick(ch, now);
	}
	ike_sa_task_run(sa, now);
}

void
ike_core_tick(struct ike_core *c, uint64_t now)
{
	struct ike_sa	*sa;
	uint32_t	*uids;
	size_t		 n = 0, i;

	for (sa = c->sas; sa != NULL; sa = sa->next)
		n++;
	if (n == 0 || (uids = calloc(n, sizeof(*uids))) == NULL)
		return;
	n = 0;
	for (sa = c->sas; sa != NULL; sa = sa->next) {
		uint64_t d = ike_sa_deadline(sa);

		if (d != 0 && d <= now)
			uids[n++] = sa->uid;
	}
	for (i = 0; i < n; i++)
		if ((sa = ike_sa_by_uid(c, uids[i])) != NULL)
			sa_tick(sa, now);
	free(uids);
}

/* --- output queue -------------------------------------------------------------- */

const struct ike_dgram *
ike_core_out_peek(const struct ike_core *c)
{
	return c->out_n > 0 ? &c->outq[c->out_head] : NULL;
}

void
ike_core_out_pop(struct ike_core *c)
{
	if (c->out_n == 0)
		return;
	free(c->outq[c->out_head].buf);
	c->outq[c->out_head].buf = NULL;
	c->out_head++;
	c->out_n--;
	if (c->out_n == 0)
		c->out_head = 0;
}

size_t
ike_core_out_count(const struct ike_core *c)
{
	return c->out_n;
}

/* --- operator view ------------------------------------------------------------- */

const struct ike_core_stats *
ike_core_stats(const struct ike_core *c)
{
	return &c->st;
}

uint64_t
ike_core_event_seq(const struct ike_core *c)
{
	return c->ev_seq;
}

void
ike_core_walk(struct ike_core *c, const struct ike_walk *w)
{
	struct ike_sa	*sa;
	struct child_sa	*ch;
	struct sa_ike	*ri;
	struct sa_child	 rc;

	if ((ri = malloc(sizeof(*ri))) == NULL)
		return;
	for (sa = c->sas; sa != NULL; sa = sa->next) {
		if (w->ike != NULL) {
			ike_sa_rec(sa, ri, false);
			w->ike(w->arg, sa->uid, ike_state_name(sa->state), ri);
		}
		for (ch = sa->children; ch != NULL && w->child != NULL;
		    ch = ch->next) {
			child_sa_rec(ch, &rc, false);
			w->child(w->arg, ch->uid, sa->uid,
			    child_state_name(ch->state), &rc);
		}
	}
	free(ri);
}
