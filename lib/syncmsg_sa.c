/*
 * lib/syncmsg_sa.c -- what each sync message's TLVs hold: the value
 * decoders and the encoders of the SA records, counters, leases, acks
 * and bulk framing (value layouts in syncmsg.h; the TLV walk and the
 * tables are in syncmsg.c).
 *
 * The encoders check a record with the same rules the decoder applies,
 * so whatever they write decodes, and whatever decodes re-encodes to the
 * same bytes (the fuzz target checks both).  Field by field, through the
 * cursor: no struct dumps.
 */
#include <sys/socket.h>

#include <string.h>

#include "syncmsg_int.h"
#include "tandem/replay.h"

#define IPPROTO_ESP_NUM	50
#define IPPROTO_AH_NUM	51

/* --- helpers: families, TLV framing --------------------------------- */

/* The wire names address families 4 and 6, not the platform's AF_*. */
static uint8_t
fam_wire(uint8_t family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 6 : 0;
}

static uint8_t
fam_host(uint8_t wire)
{
	return wire == 4 ? AF_INET : wire == 6 ? AF_INET6 : 0;
}

static size_t
tlv_begin(struct wr *w, uint16_t id)
{
	size_t	 off = w->len;

	wr_be16(w, id);
	wr_be16(w, 0);		/* value length, set by tlv_end() */
	return off;
}

static void
tlv_end(struct wr *w, size_t off)
{
	size_t	 n;

	if (w->bad)
		return;
	n = w->len - off - SYNC_TLV_HDR_LEN;
	if (n > UINT16_MAX) {
		w->bad = true;
		return;
	}
	wr_put_be16_at(w, off + 2, (uint16_t)n);
	for (; n % 4 != 0; n++)
		wr_u8(w, 0);
}

static void
put_raw(struct wr *w, uint16_t id, const void *p, size_t n)
{
	size_t	 off = tlv_begin(w, id);

	wr_bytes(w, p, n);
	tlv_end(w, off);
}

static void
put_u32(struct wr *w, uint16_t id, uint32_t v)
{
	size_t	 off = tlv_begin(w, id);

	wr_be32(w, v);
	tlv_end(w, off);
}

static void
put_u64(struct wr *w, uint16_t id, uint64_t v)
{
	size_t	 off = tlv_begin(w, id);

	wr_be64(w, v);
	tlv_end(w, off);
}

static int
put_addr(struct wr *w, uint16_t id, const struct sa_addr *a)
{
	size_t	 off;

	if (!sa_addr_ok(a))
		return -1;
	off = tlv_begin(w, id);
	wr_u8(w, fam_wire(a->family));
	wr_u8(w, 0);
	wr_be16(w, a->port);
	wr_bytes(w, a->addr, sa_addr_len(a->family));
	tlv_end(w, off);
	return 0;
}

/* A key: absent when empty unless required. */
static int
put_key(struct wr *w, uint16_t id, const struct sa_key *k, bool required)
{
	if (k->len > SA_KEY_MAX || (required && k->len == 0))
		return -1;
	if (k->len > 0)
		put_raw(w, id, k->data, k->len);
	return 0;
}

/* A name with its NUL; an optional empty name is left out. */
static int
put_name(struct wr *w, uint16_t id, const char *name, bool optional)
{
	if (!sa_name_ok(name, optional))
		return -1;
	if (name[0] != '\0')
		put_raw(w, id, name, strlen(name) + 1);
	return 0;
}

static int
put_id(struct wr *w, uint16_t id, const struct sa_id *sid)
{
	size_t	 off;

	if (sid->type == 0 || sid->len > SA_ID_MAX)
		return -1;
	off = tlv_begin(w, id);
	wr_u8(w, sid->type);
	wr_bytes(w, sid->data, sid->len);
	tlv_end(w, off);
	return 0;
}

static int
put_ts(struct wr *w, uint16_t id, const struct sa_ts *t)
{
	size_t	 off, n = sa_addr_len(t->family);

	if (!sa_ts_ok(t))
		return -1;
	off = tlv_begin(w, id);
	wr_u8(w, fam_wire(t->family));
	wr_u8(w, t->proto);
	wr_be16(w, t->port_lo);
	wr_be16(w, t->port_hi);
	wr_be16(w, 0);
	wr_bytes(w, t->start, n);
	wr_bytes(w, t->end, n);
	tlv_end(w, off);
	return 0;
}

/* --- helpers: value decoders (length already within the spec) ------- */

static int
get_addr(struct rd *v, uint16_t len, struct sa_addr *a)
{
	a->family = fam_host(rd_u8(v));
	rd_skip(v, 1);
	a->port = rd_be16(v);
	if (a->family == 0 || sa_addr_len(a->family) != (size_t)len - 4)
		return SYNC_E_VALUE;
	rd_copy(v, a->addr, sa_addr_len(a->family));
	return 0;
}

static int
get_key(struct rd *v, uint16_t len, struct sa_key *k)
{
	k->len = (uint8_t)len;		/* <= SA_KEY_MAX by the spec */
	rd_copy(v, k->data, len);
	return 0;
}

static int
get_name(struct rd *v, uint16_t len, char *dst)
{
	rd_copy(v, dst, len);		/* 2..SA_NAME_MAX by the spec */
	if (dst[len - 1] != '\0' || memchr(dst, '\0', len - 1U) != NULL)
		return SYNC_E_STRING;
	return 0;
}

static int
get_id(struct rd *v, uint16_t len, struct sa_id *sid)
{
	sid->type = rd_u8(v);
	sid->len = (uint16_t)(len - 1);
	rd_copy(v, sid->data, sid->len);
	return sid->type == 0 ? SYNC_E_VALUE : 0;
}

static int
get_ts(struct rd *v, uint16_t len, struct sa_ts *t)
{
	size_t	 n;

	t->family = fam_host(rd_u8(v));
	t->proto = rd_u8(v);
	t->port_lo = rd_be16(v);
	t->port_hi = rd_be16(v);
	rd_skip(v, 2);
	n = sa_addr_len(t->family);
	if (n == 0 || 8 + 2 * n != len)
		return SYNC_E_VALUE;
	rd_copy(v, t->start, n);
	rd_copy(v, t->end, n);
	return sa_ts_ok(t) ? 0 : SYNC_E_VALUE;
}

/* --- IKE SA ---------------------------------------------------------- */

int
syncmsg_ike_tlv(struct sync_msg *m, unsigned int id, struct rd *v,
    uint16_t len)
{
	struct sa_ike	*k = &m->u.ike;

	switch (id) {
	case SYNC_T_GEN:
		k->gen = rd_be64(v);
		return 0;
	case SYNC_T_IKE_SPI_I:
		rd_copy(v, k->spi_i, SA_SPI_LEN);
		return 0;
	case SYNC_T_IKE_SPI_R:
		rd_copy(v, k->spi_r, SA_SPI_LEN);
		return 0;
	case SYNC_T_IKE_SA:
		k->role = rd_u8(v);
		rd_skip(v, 1);
		k->flags = rd_be16(v);
		if (k->role == SA_ROLE_NONE || k->role >= SA_ROLE_MAX ||
		    (k->flags & ~SA_IKE_FLAGS_ALL) != 0)
			return SYNC_E_VALUE;
		return 0;
	case SYNC_T_LOCAL_ADDR:
		return get_addr(v, len, &k->local);
	case SYNC_T_REMOTE_ADDR:
		return get_addr(v, len, &k->remote);
	case SYNC_T_LOCAL_ID:
		return get_id(v, len, &k->local_id);
	case SYNC_T_REMOTE_ID:
		return get_id(v, len, &k->remote_id);
	case SYNC_T_IKE_XFORM:
		k->encr = rd_be16(v);
		k->encr_bits = rd_be16(v);
		k->prf = rd_be16(v);
		k->integ = rd_be16(v);
		k->ke = rd_be16(v);
		return 0;
	case SYNC_T_SK_D:
		return get_key(v, len, &k->sk_d);
	case SYNC_T_SK_AI:
		return get_key(v, len, &k->sk_ai);
	case SYNC_T_SK_AR:
		return get_key(v, len, &k->sk_ar);
	case SYNC_T_SK_EI:
		return get_key(v, len, &k->sk_ei);
	case SYNC_T_SK_ER:
		return get_key(v, len, &k->sk_er);
	case SYNC_T_SK_PI:
		return get_key(v, len, &k->sk_pi);
	case SYNC_T_SK_PR:
		return get_key(v, len, &k->sk_pr);
	case SYNC_T_MSGID:
		k->msgid_send = rd_be32(v);
		k->msgid_recv = rd_be32(v);
		k->peer_window = rd_be32(v);
		/* RFC 7296 2.3: the window is at least 1. */
		return k->peer_window == 0 ? SYNC_E_VALUE : 0;
	case SYNC_T_RESP:
		k->resp_len = len;
		rd_copy(v, k->resp, len);
		return 0;
	case SYNC_T_IKE_TIMES:
		k->established_ms = rd_be64(v);
		k->rekey_ms = rd_be64(v);
		k->reauth_ms = rd_be64(v);
		k->dpd_ms = rd_be64(v);
		return 0;
	case SYNC_T_CONN:
		return get_name(v, len, k->conn);
	case SYNC_T_GROUP:
		return get_name(v, len, k->group);
	}
	return 0;	/* not reached: the use mask admits only the above */
}

static bool
ike_keys_ok(const struct sa_ike *k)
{
	/* Each direction's keys come from one prf+ split: equal lengths. */
	return k->sk_ai.len == k->sk_ar.len && k->sk_ei.len == k->sk_er.len &&
	    k->sk_pi.len == k->sk_pr.len;
}

int
syncmsg_ike_check(const struct sync_msg *m)
{
	const struct sa_ike	*k = &m->u.ike;

	if (k->local.family != k->remote.family || !ike_keys_ok(k))
		return SYNC_E_VALUE;
	return 0;
}

static void
put_spis(struct wr *w, const uint8_t *spi_i, const uint8_t *spi_r)
{
	put_raw(w, SYNC_T_IKE_SPI_I, spi_i, SA_SPI_LEN);
	put_raw(w, SYNC_T_IKE_SPI_R, spi_r, SA_SPI_LEN);
}

static int
put_msgid(struct wr *w, const struct sa_ike *k)
{
	size_t	 off;

	if (k->peer_window == 0 || k->resp_len > SA_RESP_MAX)
		return -1;
	off = tlv_begin(w, SYNC_T_MSGID);
	wr_be32(w, k->msgid_send);
	wr_be32(w, k->msgid_recv);
	wr_be32(w, k->peer_window);
	tlv_end(w, off);
	if (k->resp_len > 0)
		put_raw(w, SYNC_T_RESP, k->resp, k->resp_len);
	return 0;
}

int
syncmsg_ike_up_body(struct wr *w, const void *rec)
{
	const struct sa_ike	*k = rec;
	size_t			 off;

	if (k->role == SA_ROLE_NONE || k->role >= SA_ROLE_MAX ||
	    (k->flags & ~SA_IKE_FLAGS_ALL) != 0 ||
	    k->local.family != k->remote.family || !ike_keys_ok(k))
		return -1;
	put_u64(w, SYNC_T_GEN, k->gen);
	put_spis(w, k->spi_i, k->spi_r);
	off = tlv_begin(w, SYNC_T_IKE_SA);
	wr_u8(w, k->role);
	wr_u8(w, 0);
	wr_be16(w, k->flags);
	tlv_end(w, off);
	if (put_addr(w, SYNC_T_LOCAL_ADDR, &k->local) != 0 ||
	    put_addr(w, SYNC_T_REMOTE_ADDR, &k->remote) != 0 ||
	    put_id(w, SYNC_T_LOCAL_ID, &k->local_id) != 0 ||
	    put_id(w, SYNC_T_REMOTE_ID, &k->remote_id) != 0)
		return -1;
	off = tlv_begin(w, SYNC_T_IKE_XFORM);
	wr_be16(w, k->encr);
	wr_be16(w, k->encr_bits);
	wr_be16(w, k->prf);
	wr_be16(w, k->integ);
	wr_be16(w, k->ke);
	wr_be16(w, 0);
	tlv_end(w, off);
	if (put_key(w, SYNC_T_SK_D, &k->sk_d, true) != 0 ||
	    put_key(w, SYNC_T_SK_AI, &k->sk_ai, false) != 0 ||
	    put_key(w, SYNC_T_SK_AR, &k->sk_ar, false) != 0 ||
	    put_key(w, SYNC_T_SK_EI, &k->sk_ei, true) != 0 ||
	    put_key(w, SYNC_T_SK_ER, &k->sk_er, true) != 0 ||
	    put_key(w, SYNC_T_SK_PI, &k->sk_pi, true) != 0 ||
	    put_key(w, SYNC_T_SK_PR, &k->sk_pr, true) != 0 ||
	    put_msgid(w, k) != 0)
		return -1;
	off = tlv_begin(w, SYNC_T_IKE_TIMES);
	wr_be64(w, k->established_ms);
	wr_be64(w, k->rekey_ms);
	wr_be64(w, k->reauth_ms);
	wr_be64(w, k->dpd_ms);
	tlv_end(w, off);
	if (put_name(w, SYNC_T_CONN, k->conn, false) != 0 ||
	    put_name(w, SYNC_T_GROUP, k->group, true) != 0)
		return -1;
	return 0;
}

int
syncmsg_ike_down_body(struct wr *w, const void *rec)
{
	const struct sa_ike	*k = rec;

	put_u64(w, SYNC_T_GEN, k->gen);
	put_spis(w, k->spi_i, k->spi_r);
	return 0;
}

int
syncmsg_ike_mid_body(struct wr *w, const void *rec)
{
	const struct sa_ike	*k = rec;

	put_u64(w, SYNC_T_GEN, k->gen);
	put_spis(w, k->spi_i, k->spi_r);
	return put_msgid(w, k);
}

/* --- Child SA -------------------------------------------------------- */

static bool
child_sa_ok(uint8_t proto, uint8_t mode, uint8_t flags, uint32_t window)
{
	return (proto == IPPROTO_ESP_NUM || proto == IPPROTO_AH_NUM) &&
	    mode != SA_MODE_NONE && mode < SA_MODE_MAX &&
	    (flags & ~SA_CHILD_FLAGS_ALL) == 0 && window <= REPLAY_WINDOW_MAX;
}

int
syncmsg_child_tlv(struct sync_msg *m, unsigned int id, struct rd *v,
    uint16_t len)
{
	struct sa_child	*c = &m->u.child;

	switch (id) {
	case SYNC_T_GEN:
		c->gen = rd_be64(v);
		return 0;
	case SYNC_T_IKE_SPI_I:
		rd_copy(v, c->ike_spi_i, SA_SPI_LEN);
		return 0;
	case SYNC_T_IKE_SPI_R:
		rd_copy(v, c->ike_spi_r, SA_SPI_LEN);
		return 0;
	case SYNC_T_SPI_IN:
		c->spi_in = rd_be32(v);
		return 0;
	case SYNC_T_SPI_OUT:
		c->spi_out = rd_be32(v);
		return 0;
	case SYNC_T_CHILD_SA:
		c->proto = rd_u8(v);
		c->mode = rd_u8(v);
		c->flags = rd_u8(v);
		rd_skip(v, 1);
		c->replay_window = rd_be32(v);
		return child_sa_ok(c->proto, c->mode, c->flags,
		    c->replay_window) ? 0 : SYNC_E_VALUE;
	case SYNC_T_LOCAL_ADDR:
		return get_addr(v, len, &c->local);
	case SYNC_T_REMOTE_ADDR:
		return get_addr(v, len, &c->remote);
	case SYNC_T_REQID:
		c->reqid = rd_be32(v);
		return 0;
	case SYNC_T_IF_ID:
		c->if_id = rd_be32(v);
		return 0;
	case SYNC_T_MARK:
		c->mark_in = rd_be32(v);
		c->mark_in_mask = rd_be32(v);
		c->mark_out = rd_be32(v);
		c->mark_out_mask = rd_be32(v);
		return 0;
	case SYNC_T_CHILD_XFORM:
		c->encr = rd_be16(v);
		c->encr_bits = rd_be16(v);
		c->integ = rd_be16(v);
		return 0;
	case SYNC_T_ENCR_IN:
		return get_key(v, len, &c->encr_in);
	case SYNC_T_ENCR_OUT:
		return get_key(v, len, &c->encr_out);
	case SYNC_T_INTEG_IN:
		return get_key(v, len, &c->integ_in);
	case SYNC_T_INTEG_OUT:
		return get_key(v, len, &c->integ_out);
	case SYNC_T_TS_LOCAL:		/* count capped by the spec */
		return get_ts(v, len, &c->ts_local[c->n_ts_local++]);
	case SYNC_T_TS_REMOTE:
		return get_ts(v, len, &c->ts_remote[c->n_ts_remote++]);
	case SYNC_T_LIFETIME:
		c->lft.soft_bytes = rd_be64(v);
		c->lft.hard_bytes = rd_be64(v);
		c->lft.soft_packets = rd_be64(v);
		c->lft.hard_packets = rd_be64(v);
		c->lft.soft_s = rd_be64(v);
		c->lft.hard_s = rd_be64(v);
		return 0;
	case SYNC_T_CHILD_TIMES:
		c->installed_ms = rd_be64(v);
		c->rekey_ms = rd_be64(v);
		return 0;
	case SYNC_T_CHILD_CTR:
		c->ctr.out_end = rd_be64(v);
		c->ctr.in_top = rd_be64(v);
		c->ctr.in_bitmap = rd_be32(v);
		c->ctr.gen = rd_be32(v);
		return 0;
	}
	return 0;
}

/* 0, or the SYNC_E_* code the decoder gives this record's keys. */
static int
child_keys_check(const struct sa_child *c)
{
	if (c->encr_in.len != c->encr_out.len ||
	    c->integ_in.len != c->integ_out.len)
		return SYNC_E_VALUE;
	if (c->encr_in.len == 0 && c->integ_in.len == 0)
		return SYNC_E_MISSING;
	/* AH authenticates only (RFC 4302). */
	if (c->proto == IPPROTO_AH_NUM &&
	    (c->encr_in.len != 0 || c->integ_in.len == 0))
		return SYNC_E_VALUE;
	return 0;
}

int
syncmsg_child_check(const struct sync_msg *m)
{
	const struct sa_child	*c = &m->u.child;

	if (c->local.family != c->remote.family)
		return SYNC_E_VALUE;
	return child_keys_check(c);
}

static void
put_child_ref(struct wr *w, const struct sa_child *c)
{
	put_u64(w, SYNC_T_GEN, c->gen);
	put_spis(w, c->ike_spi_i, c->ike_spi_r);
	put_u32(w, SYNC_T_SPI_IN, c->spi_in);
	put_u32(w, SYNC_T_SPI_OUT, c->spi_out);
}

int
syncmsg_child_up_body(struct wr *w, const void *rec)
{
	const struct sa_child	*c = rec;
	size_t			 off, i;

	if (!child_sa_ok(c->proto, c->mode, c->flags, c->replay_window) ||
	    c->local.family != c->remote.family || child_keys_check(c) != 0 ||
	    c->n_ts_local == 0 || c->n_ts_local > SYNC_TS_MAX ||
	    c->n_ts_remote == 0 || c->n_ts_remote > SYNC_TS_MAX)
		return -1;
	put_child_ref(w, c);
	off = tlv_begin(w, SYNC_T_CHILD_SA);
	wr_u8(w, c->proto);
	wr_u8(w, c->mode);
	wr_u8(w, c->flags);
	wr_u8(w, 0);
	wr_be32(w, c->replay_window);
	tlv_end(w, off);
	if (put_addr(w, SYNC_T_LOCAL_ADDR, &c->local) != 0 ||
	    put_addr(w, SYNC_T_REMOTE_ADDR, &c->remote) != 0)
		return -1;
	put_u32(w, SYNC_T_REQID, c->reqid);
	put_u32(w, SYNC_T_IF_ID, c->if_id);
	off = tlv_begin(w, SYNC_T_MARK);
	wr_be32(w, c->mark_in);
	wr_be32(w, c->mark_in_mask);
	wr_be32(w, c->mark_out);
	wr_be32(w, c->mark_out_mask);
	tlv_end(w, off);
	off = tlv_begin(w, SYNC_T_CHILD_XFORM);
	wr_be16(w, c->encr);
	wr_be16(w, c->encr_bits);
	wr_be16(w, c->integ);
	wr_be16(w, 0);
	tlv_end(w, off);
	if (put_key(w, SYNC_T_ENCR_IN, &c->encr_in, false) != 0 ||
	    put_key(w, SYNC_T_ENCR_OUT, &c->encr_out, false) != 0 ||
	    put_key(w, SYNC_T_INTEG_IN, &c->integ_in, false) != 0 ||
	    put_key(w, SYNC_T_INTEG_OUT, &c->integ_out, false) != 0)
		return -1;
	for (i = 0; i < c->n_ts_local; i++)
		if (put_ts(w, SYNC_T_TS_LOCAL, &c->ts_local[i]) != 0)
			return -1;
	for (i = 0; i < c->n_ts_remote; i++)
		if (put_ts(w, SYNC_T_TS_REMOTE, &c->ts_remote[i]) != 0)
			return -1;
	off = tlv_begin(w, SYNC_T_LIFETIME);
	wr_be64(w, c->lft.soft_bytes);
	wr_be64(w, c->lft.hard_bytes);
	wr_be64(w, c->lft.soft_packets);
	wr_be64(w, c->lft.hard_packets);
	wr_be64(w, c->lft.soft_s);
	wr_be64(w, c->lft.hard_s);
	tlv_end(w, off);
	off = tlv_begin(w, SYNC_T_CHILD_TIMES);
	wr_be64(w, c->installed_ms);
	wr_be64(w, c->rekey_ms);
	tlv_end(w, off);
	off = tlv_begin(w, SYNC_T_CHILD_CTR);
	wr_be64(w, c->ctr.out_end);
	wr_be64(w, c->ctr.in_top);
	wr_be32(w, c->ctr.in_bitmap);
	wr_be32(w, c->ctr.gen);
	tlv_end(w, off);
	return 0;
}

int
syncmsg_child_down_body(struct wr *w, const void *rec)
{
	put_child_ref(w, rec);
	return 0;
}

/* --- counters, leases, acks, bulk framing ---------------------------- */

static int
get_ctr(struct rd *v, uint16_t len, struct sync_ctr *c)
{
	size_t	 n;

	c->dir = rd_u8(v);
	c->dst.family = fam_host(rd_u8(v));
	rd_skip(v, 2);
	c->spi = rd_be32(v);
	c->value = rd_be64(v);
	c->bitmap = rd_be32(v);
	n = sa_addr_len(c->dst.family);
	if (c->dir == 0 || c->dir >= SYNC_CTR_DIR_MAX || n == 0 ||
	    20 + n != len)
		return SYNC_E_VALUE;
	rd_copy(v, c->dst.addr, n);
	return 0;
}

int
syncmsg_misc_tlv(struct sync_msg *m, unsigned int id, struct rd *v,
    uint16_t len)
{
	struct sync_ack	*a = &m->u.ack;

	switch (id) {
	case SYNC_T_CTR:		/* count capped by the spec */
		return get_ctr(v, len, &m->u.ctr.c[m->u.ctr.n++]);
	case SYNC_T_SPI_OUT:
		m->u.lease.spi_out = rd_be32(v);
		return 0;
	case SYNC_T_REMOTE_ADDR:
		return get_addr(v, len, &m->u.lease.dst);
	case SYNC_T_LEASE_END:
		m->u.lease.end = rd_be64(v);
		return 0;
	case SYNC_T_ACK_NODE:
		a->node = rd_be32(v);
		return 0;
	case SYNC_T_ACK_ENTRY:
		a->e[a->n].node = rd_be32(v);
		a->e[a->n].seq = rd_be64(v);
		a->n++;
		return 0;
	case SYNC_T_RING:
		m->u.bulk.ring_node = rd_be32(v);
		m->u.bulk.ring_seq = rd_be64(v);
		return 0;
	case SYNC_T_COUNT:
		m->u.bulk.count = rd_be32(v);
		return 0;
	}
	return 0;
}

int
syncmsg_ctr_body(struct wr *w, const void *rec)
{
	const struct sync_ctr_batch	*b = rec;
	const struct sync_ctr		*c;
	size_t				 off, i;

	if (b->n == 0 || b->n > SYNC_CTR_MAX)
		return -1;
	for (i = 0; i < b->n; i++) {
		c = &b->c[i];
		/* The dst names the SA: no port on the wire. */
		if (c->dir == 0 || c->dir >= SYNC_CTR_DIR_MAX ||
		    !sa_addr_ok(&c->dst) || c->dst.port != 0)
			return -1;
		off = tlv_begin(w, SYNC_T_CTR);
		wr_u8(w, c->dir);
		wr_u8(w, fam_wire(c->dst.family));
		wr_be16(w, 0);
		wr_be32(w, c->spi);
		wr_be64(w, c->value);
		wr_be32(w, c->bitmap);
		wr_bytes(w, c->dst.addr, sa_addr_len(c->dst.family));
		tlv_end(w, off);
	}
	return 0;
}

int
syncmsg_lease_body(struct wr *w, const void *rec)
{
	const struct sync_lease	*l = rec;

	put_u32(w, SYNC_T_SPI_OUT, l->spi_out);
	if (put_addr(w, SYNC_T_REMOTE_ADDR, &l->dst) != 0)
		return -1;
	put_u64(w, SYNC_T_LEASE_END, l->end);
	return 0;
}

int
syncmsg_ack_body(struct wr *w, const void *rec)
{
	const struct sync_ack	*a = rec;
	size_t			 off, i;

	if (a->n == 0 || a->n > SYNC_ACK_MAX)
		return -1;
	put_u32(w, SYNC_T_ACK_NODE, a->node);
	for (i = 0; i < a->n; i++) {
		off = tlv_begin(w, SYNC_T_ACK_ENTRY);
		wr_be32(w, a->e[i].node);
		wr_be64(w, a->e[i].seq);
		tlv_end(w, off);
	}
	return 0;
}

int
syncmsg_bulk_body(struct wr *w, const void *rec)
{
	const struct sync_bulk	*b = rec;
	size_t			 off;

	off = tlv_begin(w, SYNC_T_RING);
	wr_be32(w, b->ring_node);
	wr_be64(w, b->ring_seq);
	tlv_end(w, off);
	put_u32(w, SYNC_T_COUNT, b->count);
	return 0;
}
