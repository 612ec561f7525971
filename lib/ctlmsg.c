/* lib/ctlmsg.c -- control-socket messages: encode and decode (ctlmsg.h). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "tandem/ctlmsg.h"
#include "tandem/util.h"

void
ctl_begin(struct wr *w, uint8_t type, uint16_t flags, uint32_t id)
{
	wr_u8(w, CTL_VERSION);
	wr_u8(w, type);
	wr_be16(w, flags);
	wr_be32(w, 0);			/* length, fixed by ctl_finish() */
	wr_be32(w, id);
}

void
ctl_put(struct wr *w, uint16_t tag, const void *v, size_t n)
{
	if (n > UINT16_MAX) {
		w->bad = true;
		return;
	}
	wr_be16(w, tag);
	wr_be16(w, (uint16_t)n);
	wr_bytes(w, v, n);
}

void
ctl_put_kv(struct wr *w, const char *key, const char *val)
{
	size_t	 kl = strlen(key), vl = strlen(val);
	uint8_t	*d;

	if (kl + 1 + vl > UINT16_MAX) {
		w->bad = true;
		return;
	}
	wr_be16(w, CTL_T_KV);
	wr_be16(w, (uint16_t)(kl + 1 + vl));
	if ((d = wr_reserve(w, kl + 1 + vl)) == NULL)
		return;
	memcpy(d, key, kl);
	d[kl] = '\0';
	memcpy(d + kl + 1, val, vl);
}

void
ctl_put_kv_u64(struct wr *w, const char *key, uint64_t v)
{
	char	 buf[24];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	ctl_put_kv(w, key, buf);
}

void
ctl_put_row(struct wr *w, uint16_t tag, const char *const *cells, size_t n)
{
	size_t	 i, len = 0;

	if (n == 0 || n > CTL_ROW_MAX) {
		w->bad = true;
		return;
	}
	for (i = 0; i < n; i++)
		len += strlen(cells[i]) + (i + 1 < n);
	if (len > UINT16_MAX) {
		w->bad = true;
		return;
	}
	wr_be16(w, tag);
	wr_be16(w, (uint16_t)len);
	for (i = 0; i < n; i++) {
		wr_bytes(w, cells[i], strlen(cells[i]));
		if (i + 1 < n)
			wr_u8(w, 0);
	}
}

long
ctl_finish(struct wr *w)
{
	if (w->bad || w->len < CTL_HDR_LEN || w->len > CTL_MAX_LEN)
		return -1;
	wr_put_be32_at(w, 4, (uint32_t)w->len);
	return w->bad ? -1 : (long)w->len;
}

int
ctl_decode(const uint8_t *buf, size_t len, struct ctl_hdr *h, struct rd *tlvs)
{
	struct rd	 r;

	rd_init(&r, buf, len);
	h->version = rd_u8(&r);
	h->type = rd_u8(&r);
	h->flags = rd_be16(&r);
	h->length = rd_be32(&r);
	h->id = rd_be32(&r);
	if (r.bad)
		return CTL_E_SHORT;
	if (h->version != CTL_VERSION)
		return CTL_E_VERSION;
	if (h->length != len || len > CTL_MAX_LEN)
		return CTL_E_LENGTH;
	*tlvs = r;
	return 0;
}

int
ctl_next(struct rd *tlvs, struct ctl_tlv *t)
{
	if (tlvs->bad)
		return CTL_E_TLV;
	if (tlvs->left == 0)
		return 0;
	t->tag = rd_be16(tlvs);
	t->len = rd_be16(tlvs);
	t->val = rd_bytes(tlvs, t->len);
	if (tlvs->bad)
		return CTL_E_TLV;
	return 1;
}

int
ctl_kv(const struct ctl_tlv *t, char *key, size_t keycap, char *val,
    size_t valcap)
{
	const uint8_t	*sep;
	size_t		 kl, vl;

	if (t->tag != CTL_T_KV || t->len == 0 ||
	    (sep = memchr(t->val, '\0', t->len)) == NULL)
		return CTL_E_VALUE;
	kl = (size_t)(sep - t->val);
	vl = t->len - kl - 1;
	if (kl == 0 || kl >= keycap || vl >= valcap ||
	    memchr(sep + 1, '\0', vl) != NULL)
		return CTL_E_VALUE;
	memcpy(key, t->val, kl);
	key[kl] = '\0';
	memcpy(val, sep + 1, vl);
	val[vl] = '\0';
	return 0;
}

int
ctl_row(const struct ctl_tlv *t, char *buf, size_t cap, const char **cells,
    size_t max)
{
	size_t	 i, n = 0;

	if ((t->tag != CTL_T_ROW && t->tag != CTL_T_COLUMNS) ||
	    (size_t)t->len + 1 > cap || max == 0)
		return CTL_E_VALUE;
	memcpy(buf, t->val, t->len);
	buf[t->len] = '\0';
	cells[n++] = buf;
	for (i = 0; i < t->len; i++) {
		if (buf[i] != '\0')
			continue;
		if (n >= max)
			return CTL_E_VALUE;
		cells[n++] = buf + i + 1;
	}
	return (int)n;
}

int
ctl_sa_target(struct rd *tlvs, enum ctl_sa_kind *kind, uint32_t *uid)
{
	struct ctl_tlv	 t;
	struct rd	 v;
	bool		 have_kind = false, have_uid = false;
	int		 rc;

	while ((rc = ctl_next(tlvs, &t)) == 1) {
		switch (t.tag) {
		case CTL_T_KIND:
			if (have_kind)
				return CTL_E_VALUE;
			if (t.len == 3 && memcmp(t.val, "ike", 3) == 0)
				*kind = CTL_SA_IKE;
			else if (t.len == 5 && memcmp(t.val, "child", 5) == 0)
				*kind = CTL_SA_CHILD;
			else
				return CTL_E_VALUE;
			have_kind = true;
			break;
		case CTL_T_UID:
			if (have_uid || t.len != 4)
				return CTL_E_VALUE;
			rd_init(&v, t.val, t.len);
			*uid = rd_be32(&v);
			have_uid = true;
			break;
		default:
			break;		/* unknown tags are skipped */
		}
	}
	if (rc < 0)
		return rc;
	return have_kind && have_uid ? 0 : CTL_E_VALUE;
}

void
ctl_put_sa_target(struct wr *w, enum ctl_sa_kind kind, uint32_t uid)
{
	static const char	*const kinds[] = { "", "ike", "child" };
	const char		*k = kind < nitems(kinds) ? kinds[kind] : "";
	uint8_t			 b[4];

	b[0] = (uint8_t)(uid >> 24);
	b[1] = (uint8_t)(uid >> 16);
	b[2] = (uint8_t)(uid >> 8);
	b[3] = (uint8_t)uid;
	ctl_put(w, CTL_T_KIND, k, strlen(k));
	ctl_put(w, CTL_T_UID, b, sizeof(b));
}

static int
role_name_arg(const struct ctl_tlv *t, char *dst)
{
	size_t	 i;

	if (dst[0] != '\0' || t->len == 0 || t->len >= CTL_NAME_MAX)
		return CTL_E_VALUE;
	for (i = 0; i < t->len; i++)
		if (t->val[i] < 0x21 || t->val[i] > 0x7e)
			return CTL_E_VALUE;
	memcpy(dst, t->val, t->len);
	dst[t->len] = '\0';
	return 0;
}

int
ctl_role_args(struct rd *tlvs, struct ctl_role_req *r)
{
	struct ctl_tlv	 t;
	struct rd	 v;
	bool		 have_flags = false;
	int		 rc;

	memset(r, 0, sizeof(*r));
	while ((rc = ctl_next(tlvs, &t)) == 1) {
		switch (t.tag) {
		case CTL_T_GROUP:
			if (role_name_arg(&t, r->group) != 0)
				return CTL_E_VALUE;
			break;
		case CTL_T_NODE:
			if (role_name_arg(&t, r->node) != 0)
				return CTL_E_VALUE;
			break;
		case CTL_T_FLAGS:
			if (have_flags || t.len != 4)
				return CTL_E_VALUE;
			rd_init(&v, t.val, t.len);
			r->flags = rd_be32(&v);
			if ((r->flags & ~(uint32_t)CTL_RF_ALL) != 0)
				return CTL_E_VALUE;
			have_flags = true;
			break;
		default:
			break;		/* unknown tags are skipped */
		}
	}
	return rc < 0 ? rc : 0;
}

void
ctl_put_role_args(struct wr *w, const struct ctl_role_req *r)
{
	uint8_t	 b[4];

	if (r->group[0] != '\0')
		ctl_put(w, CTL_T_GROUP, r->group, strnlen(r->group,
		    CTL_NAME_MAX - 1));
	if (r->node[0] != '\0')
		ctl_put(w, CTL_T_NODE, r->node, strnlen(r->node,
		    CTL_NAME_MAX - 1));
	if (r->flags != 0) {
		b[0] = (uint8_t)(r->flags >> 24);
		b[1] = (uint8_t)(r->flags >> 16);
		b[2] = (uint8_t)(r->flags >> 8);
		b[3] = (uint8_t)r->flags;
		ctl_put(w, CTL_T_FLAGS, b, sizeof(b));
	}
}

const char *
ctl_type_name(unsigned int type)
{
	static const char *const names[] = {
		[CTL_PING] = "PING",
		[CTL_STATUS] = "STATUS",
		[CTL_SAS] = "SAS",
		[CTL_REKEY] = "REKEY",
		[CTL_DELETE] = "DELETE",
		[CTL_ACTIVATE] = "ACTIVATE",
		[CTL_STANDBY] = "STANDBY",
		[CTL_FAILOVER] = "FAILOVER",
		[CTL_MAINT] = "MAINT",
		[CTL_RESYNC] = "RESYNC",
	};
	_Static_assert(nitems(names) == CTL_TYPE_MAX, "name per ctl type");

	type &= ~(unsigned int)CTL_REPLY;
	return NAME_OF(names, type);
}

const char *
ctl_err_name(int err)
{
	switch (err) {
	case 0:
		return "ok";
	case CTL_E_SHORT:
		return "shorter than a control header";
	case CTL_E_VERSION:
		return "unknown control protocol version";
	case CTL_E_LENGTH:
		return "length field disagrees with datagram size";
	case CTL_E_TLV:
		return "TLV runs past the end of the message";
	case CTL_E_VALUE:
		return "malformed TLV value";
	}
	return "unknown error";
}

void
ctl_reply_init(struct ctl_reply *r, uint8_t *buf, size_t cap, uint8_t type,
    uint32_t id, int (*send)(void *, const uint8_t *, size_t), void *arg)
{
	memset(r, 0, sizeof(*r));
	r->buf = buf;
	r->cap = cap < CTL_MAX_LEN ? cap : CTL_MAX_LEN;
	r->type = type;
	r->id = id;
	r->send = send;
	r->arg = arg;
	wr_init(&r->w, r->buf, r->cap);
	ctl_begin(&r->w, type | CTL_REPLY, 0, id);
}

/* Send what is written, flagged as continued when more follows. */
static void
reply_flush(struct ctl_reply *r, bool more)
{
	long	 len;

	if (r->failed)
		return;
	if (more)
		wr_put_be16_at(&r->w, 2, CTL_F_MORE);
	if ((len = ctl_finish(&r->w)) == -1 ||
	    r->send(r->arg, r->buf, (size_t)len) == -1) {
		r->failed = true;
		return;
	}
	r->sent++;
}

/* Append with put(); if the datagram is full, send it and go on. */
static void
reply_put(struct ctl_reply *r, void (*put)(struct wr *, const void *),
    const void *arg)
{
	size_t	 mark = r->w.len;

	if (r->failed)
		return;
	put(&r->w, arg);
	if (!r->w.bad)
		return;
	r->w.bad = false;
	r->w.len = mark;
	reply_flush(r, true);
	wr_init(&r->w, r->buf, r->cap);
	ctl_begin(&r->w, r->type | CTL_REPLY, 0, r->id);
	put(&r->w, arg);
	if (r->w.bad)
		r->failed = true;	/* one TLV larger than a datagram */
}

struct cells {
	uint16_t		 tag;
	const char *const	*v;
	size_t			 n;
};

static void
put_cells(struct wr *w, const void *arg)
{
	const struct cells	*c = arg;

	ctl_put_row(w, c->tag, c->v, c->n);
}

static void
put_kv(struct wr *w, const void *arg)
{
	const char *const	*kv = arg;

	ctl_put_kv(w, kv[0], kv[1]);
}

static void
put_table(struct wr *w, const void *arg)
{
	ctl_put(w, CTL_T_TABLE, arg, strlen(arg));
}

void
ctl_reply_kv(struct ctl_reply *r, const char *key, const char *val)
{
	const char	*kv[2] = { key, val };

	reply_put(r, put_kv, kv);
}

void
ctl_reply_table(struct ctl_reply *r, const char *name, const char *const *cols,
    size_t n)
{
	struct cells	 c = { CTL_T_COLUMNS, cols, n };

	reply_put(r, put_table, name);
	reply_put(r, put_cells, &c);
}

void
ctl_reply_row(struct ctl_reply *r, const char *const *cells, size_t n)
{
	struct cells	 c = { CTL_T_ROW, cells, n };

	reply_put(r, put_cells, &c);
}

void
ctl_reply_error(struct ctl_reply *r, const char *why)
{
	wr_init(&r->w, r->buf, r->cap);
	ctl_begin(&r->w, r->type | CTL_REPLY, CTL_F_ERROR, r->id);
	ctl_put(&r->w, CTL_T_ERROR, why, strlen(why));
	r->failed = false;
}

int
ctl_reply_end(struct ctl_reply *r)
{
	reply_flush(r, false);
	return r->failed ? -1 : 0;
}
