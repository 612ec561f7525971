/*
 * lib/syncmsg.c -- the sync wire format: header, TLV walk, decoder and
 * the tables that drive it (syncmsg.h).  The per-record TLV encoders and
 * value decoders are in syncmsg_sa.c.
 *
 * Decoding is table-driven: tlv_spec[] gives each TLV id its legal value
 * lengths and how often it may appear; sync_ops[] gives each message type
 * its required and used TLVs, the function that stores one TLV's value,
 * the cross-field check and the encoder.  Pure; no statics but const
 * tables.
 */
#include <stddef.h>
#include <string.h>

#include "syncmsg_int.h"
#include "tandem/secbuf.h"
#include "tandem/util.h"

#define B(t)	(UINT64_C(1) << (t))

_Static_assert(SYNC_T_MAX <= 64, "TLV ids fit the 64-bit masks");
_Static_assert(SYNC_CTR_MAX <= UINT16_MAX && SYNC_ACK_MAX <= UINT16_MAX,
    "repeat caps fit their counters");
_Static_assert(SYNC_MAX_LEN <= UINT32_MAX, "length field holds the cap");

/* Worst-case sizes of each message: all under SYNC_MAX_LEN. */
#define TLVSZ(n)	(SYNC_TLV_HDR_LEN + (((n) + 3) & ~3))
#define SYNC_IKE_UP_WORST	(SYNC_HDR_LEN + TLVSZ(8) * 3 + TLVSZ(4) + \
	TLVSZ(20) * 2 + TLVSZ(1 + SA_ID_MAX) * 2 + TLVSZ(12) +		\
	TLVSZ(SA_KEY_MAX) * 7 + TLVSZ(12) + TLVSZ(SA_RESP_MAX) +	\
	TLVSZ(32) + TLVSZ(SA_NAME_MAX) * 2)
#define SYNC_CHILD_UP_WORST	(SYNC_HDR_LEN + TLVSZ(8) * 3 +		\
	TLVSZ(4) * 4 + TLVSZ(8) + TLVSZ(20) * 2 + TLVSZ(16) +		\
	TLVSZ(8) + TLVSZ(SA_KEY_MAX) * 4 + TLVSZ(40) * 2 * SYNC_TS_MAX + \
	TLVSZ(48) + TLVSZ(16) + TLVSZ(24))
#define SYNC_CTR_WORST		(SYNC_HDR_LEN + TLVSZ(36) * SYNC_CTR_MAX)
#define SYNC_STATS_WORST	(SYNC_HDR_LEN + TLVSZ(16) + TLVSZ(48) +	\
	TLVSZ(8 + SYNC_DIGEST_LEN) + TLVSZ(12) * SYNC_XSTAT_MAX)
_Static_assert(SYNC_STATS_WORST <= SYNC_MAX_LEN, "STATS fits");
#define SYNC_ACK_WORST		(SYNC_HDR_LEN + TLVSZ(4) +		\
	TLVSZ(12) * SYNC_ACK_MAX)
_Static_assert(SYNC_IKE_UP_WORST <= SYNC_MAX_LEN, "IKE_UP fits");
_Static_assert(SYNC_CHILD_UP_WORST <= SYNC_MAX_LEN, "CHILD_UP fits");
_Static_assert(SYNC_CTR_WORST <= SYNC_MAX_LEN, "CTR batch fits");
_Static_assert(SYNC_ACK_WORST <= SYNC_MAX_LEN, "ACK fits");
_Static_assert(SA_RESP_MAX <= UINT16_MAX, "RESP fits a TLV");

/*
 * Legal value lengths per TLV id: min..max, or (pair) exactly min or max;
 * `rep` is how often the TLV may appear in one message (1 = singleton).
 */
static const struct tlv_spec {
	const char	*name;
	uint16_t	 min, max;
	bool		 pair;
	uint16_t	 rep;
} tlv_spec[] = {
	[0]			= { NULL, 0, 0, false, 0 },
	[SYNC_T_GEN]		= { "GEN",	  8,  8,  false, 1 },
	[SYNC_T_IKE_SPI_I]	= { "IKE_SPI_I",  8,  8,  false, 1 },
	[SYNC_T_IKE_SPI_R]	= { "IKE_SPI_R",  8,  8,  false, 1 },
	[SYNC_T_IKE_SA]		= { "IKE_SA",	  4,  4,  false, 1 },
	[SYNC_T_LOCAL_ADDR]	= { "LOCAL_ADDR", 8,  20, true,  1 },
	[SYNC_T_REMOTE_ADDR]	= { "REMOTE_ADDR", 8, 20, true,  1 },
	[SYNC_T_LOCAL_ID]	= { "LOCAL_ID",	  1,  1 + SA_ID_MAX, false, 1 },
	[SYNC_T_REMOTE_ID]	= { "REMOTE_ID",  1,  1 + SA_ID_MAX, false, 1 },
	[SYNC_T_IKE_XFORM]	= { "IKE_XFORM",  12, 12, false, 1 },
	[SYNC_T_SK_D]		= { "SK_D",	  1,  SA_KEY_MAX, false, 1 },
	[SYNC_T_SK_AI]		= { "SK_AI",	  1,  SA_KEY_MAX, false, 1 },
	[SYNC_T_SK_AR]		= { "SK_AR",	  1,  SA_KEY_MAX, false, 1 },
	[SYNC_T_SK_EI]		= { "SK_EI",	  1,  SA_KEY_MAX, false, 1 },
	[SYNC_T_SK_ER]		= { "SK_ER",	  1,  SA_KEY_MAX, false, 1 },
	[SYNC_T_SK_PI]		= { "SK_PI",	  1,  SA_KEY_MAX, false, 1 },
	[SYNC_T_SK_PR]		= { "SK_PR",	  1,  SA_KEY_MAX, false, 1 },
	[SYNC_T_MSGID]		= { "MSGID",	  12, 12, false, 1 },
	[SYNC_T_RESP]		= { "RESP",	  0,  SA_RESP_MAX, false, 1 },
	[SYNC_T_IKE_TIMES]	= { "IKE_TIMES",  32, 32, false, 1 },
	[SYNC_T_CONN]		= { "CONN",	  2,  SA_NAME_MAX, false, 1 },
	[SYNC_T_GROUP]		= { "GROUP",	  2,  SA_NAME_MAX, false, 1 },
	[SYNC_T_SPI_IN]		= { "SPI_IN",	  4,  4,  false, 1 },
	[SYNC_T_SPI_OUT]	= { "SPI_OUT",	  4,  4,  false, 1 },
	[SYNC_T_CHILD_SA]	= { "CHILD_SA",	  8,  8,  false, 1 },
	[SYNC_T_REQID]		= { "REQID",	  4,  4,  false, 1 },
	[SYNC_T_IF_ID]		= { "IF_ID",	  4,  4,  false, 1 },
	[SYNC_T_MARK]		= { "MARK",	  16, 16, false, 1 },
	[SYNC_T_CHILD_XFORM]	= { "CHILD_XFORM", 8, 8,  false, 1 },
	[SYNC_T_ENCR_IN]	= { "ENCR_IN",	  1,  SA_KEY_MAX, false, 1 },
	[SYNC_T_ENCR_OUT]	= { "ENCR_OUT",	  1,  SA_KEY_MAX, false, 1 },
	[SYNC_T_INTEG_IN]	= { "INTEG_IN",	  1,  SA_KEY_MAX, false, 1 },
	[SYNC_T_INTEG_OUT]	= { "INTEG_OUT",  1,  SA_KEY_MAX, false, 1 },
	[SYNC_T_TS_LOCAL]	= { "TS_LOCAL",	  16, 40, true,  SYNC_TS_MAX },
	[SYNC_T_TS_REMOTE]	= { "TS_REMOTE",  16, 40, true,  SYNC_TS_MAX },
	[SYNC_T_LIFETIME]	= { "LIFETIME",	  48, 48, false, 1 },
	[SYNC_T_CHILD_TIMES]	= { "CHILD_TIMES", 16, 16, false, 1 },
	[SYNC_T_CHILD_CTR]	= { "CHILD_CTR",  24, 24, false, 1 },
	[SYNC_T_CTR]		= { "CTR",	  24, 36, true,  SYNC_CTR_MAX },
	[SYNC_T_LEASE_END]	= { "LEASE_END",  8,  8,  false, 1 },
	[SYNC_T_ACK_NODE]	= { "ACK_NODE",	  4,  4,  false, 1 },
	[SYNC_T_ACK_ENTRY]	= { "ACK_ENTRY",  12, 12, false, SYNC_ACK_MAX },
	[SYNC_T_RING]		= { "RING",	  12, 12, false, 1 },
	[SYNC_T_COUNT]		= { "COUNT",	  4,  4,  false, 1 },
	[SYNC_T_STATS_NODE]	= { "STATS_NODE", 16, 16, false, 1 },
	[SYNC_T_STATS_REPL]	= { "STATS_REPL", 48, 48, false, 1 },
	[SYNC_T_STATS_DIGEST]	= { "STATS_DIGEST", 8 + SYNC_DIGEST_LEN,
				    8 + SYNC_DIGEST_LEN, false, 1 },
	[SYNC_T_XSTAT]		= { "XSTAT",	  12, 12, false, SYNC_XSTAT_MAX },
	[SYNC_T_NODE]		= { "NODE",	  4,  4,  false, 1 },
};
_Static_assert(nitems(tlv_spec) == SYNC_T_MAX, "spec per TLV id");

#define IKE_REF		(B(SYNC_T_IKE_SPI_I) | B(SYNC_T_IKE_SPI_R))
#define CHILD_REF	(IKE_REF | B(SYNC_T_SPI_IN) | B(SYNC_T_SPI_OUT))
#define IKE_KEYS	(B(SYNC_T_SK_D) | B(SYNC_T_SK_EI) | B(SYNC_T_SK_ER) | \
			 B(SYNC_T_SK_PI) | B(SYNC_T_SK_PR))
#define IKE_UP_REQ	(B(SYNC_T_GEN) | IKE_REF | B(SYNC_T_IKE_SA) |	\
	B(SYNC_T_LOCAL_ADDR) | B(SYNC_T_REMOTE_ADDR) | B(SYNC_T_LOCAL_ID) | \
	B(SYNC_T_REMOTE_ID) | B(SYNC_T_IKE_XFORM) | IKE_KEYS |		\
	B(SYNC_T_MSGID) | B(SYNC_T_IKE_TIMES) | B(SYNC_T_CONN))
#define IKE_UP_USE	(IKE_UP_REQ | B(SYNC_T_SK_AI) | B(SYNC_T_SK_AR) | \
	B(SYNC_T_RESP) | B(SYNC_T_GROUP))
#define IKE_MID_REQ	(IKE_REF | B(SYNC_T_MSGID))
#define CHILD_KEYS	(B(SYNC_T_ENCR_IN) | B(SYNC_T_ENCR_OUT) |	\
	B(SYNC_T_INTEG_IN) | B(SYNC_T_INTEG_OUT))
#define CHILD_UP_REQ	(B(SYNC_T_GEN) | CHILD_REF | B(SYNC_T_CHILD_SA) | \
	B(SYNC_T_LOCAL_ADDR) | B(SYNC_T_REMOTE_ADDR) | B(SYNC_T_REQID) | \
	B(SYNC_T_CHILD_XFORM) | B(SYNC_T_TS_LOCAL) | B(SYNC_T_TS_REMOTE) | \
	B(SYNC_T_LIFETIME) | B(SYNC_T_CHILD_TIMES) | B(SYNC_T_CHILD_CTR))
#define CHILD_UP_USE	(CHILD_UP_REQ | CHILD_KEYS | B(SYNC_T_IF_ID) |	\
	B(SYNC_T_MARK))
#define LEASE_REQ	(B(SYNC_T_SPI_OUT) | B(SYNC_T_REMOTE_ADDR) |	\
	B(SYNC_T_LEASE_END))
#define ACK_REQ		(B(SYNC_T_ACK_NODE) | B(SYNC_T_ACK_ENTRY))
#define BULK_REQ	(B(SYNC_T_RING) | B(SYNC_T_COUNT))
#define STATS_REQ	(B(SYNC_T_STATS_NODE) | B(SYNC_T_STATS_REPL))
#define STATS_USE	(STATS_REQ | B(SYNC_T_STATS_DIGEST) | B(SYNC_T_XSTAT))

/* The bytes of sync_msg.u a type fills (decode zeroes, wipe wipes). */
#define U_SIZE(member)	sizeof(((struct sync_msg *)0)->u.member)

/* One entry per message type (P7): bounds checked once, in lookup(). */
static const struct sync_ops {
	const char	*name;
	size_t		 size;		/* of its member of sync_msg.u */
	uint64_t	 req;		/* TLVs that must be present */
	uint64_t	 use;		/* TLVs stored; others are skipped */
	int		(*tlv)(struct sync_msg *, unsigned int, struct rd *,
			    uint16_t);
	int		(*check)(const struct sync_msg *);
	int		(*body)(struct wr *, const void *rec);
} sync_ops[] = {
	[0] = { NULL, 0, 0, 0, NULL, NULL, NULL },
	[SYNC_IKE_UP] = { "IKE_UP", U_SIZE(ike), IKE_UP_REQ, IKE_UP_USE,
	    syncmsg_ike_tlv, syncmsg_ike_check, syncmsg_ike_up_body },
	[SYNC_IKE_DOWN] = { "IKE_DOWN", U_SIZE(ike),
	    IKE_REF, IKE_REF | B(SYNC_T_GEN),
	    syncmsg_ike_tlv, NULL, syncmsg_ike_down_body },
	[SYNC_IKE_MID] = { "IKE_MID", U_SIZE(ike), IKE_MID_REQ,
	    IKE_MID_REQ | B(SYNC_T_GEN) | B(SYNC_T_RESP),
	    syncmsg_ike_tlv, NULL, syncmsg_ike_mid_body },
	[SYNC_CHILD_UP] = { "CHILD_UP", U_SIZE(child),
	    CHILD_UP_REQ, CHILD_UP_USE,
	    syncmsg_child_tlv, syncmsg_child_check, syncmsg_child_up_body },
	[SYNC_CHILD_DOWN] = { "CHILD_DOWN", U_SIZE(child), CHILD_REF,
	    CHILD_REF | B(SYNC_T_GEN),
	    syncmsg_child_tlv, NULL, syncmsg_child_down_body },
	[SYNC_CTR] = { "CTR", U_SIZE(ctr), B(SYNC_T_CTR), B(SYNC_T_CTR),
	    syncmsg_misc_tlv, NULL, syncmsg_ctr_body },
	[SYNC_LEASE] = { "LEASE", U_SIZE(lease), LEASE_REQ, LEASE_REQ,
	    syncmsg_misc_tlv, NULL, syncmsg_lease_body },
	[SYNC_ACK] = { "ACK", U_SIZE(ack), ACK_REQ, ACK_REQ,
	    syncmsg_misc_tlv, NULL, syncmsg_ack_body },
	[SYNC_BULK_BEGIN] = { "BULK_BEGIN", U_SIZE(bulk), BULK_REQ, BULK_REQ,
	    syncmsg_misc_tlv, NULL, syncmsg_bulk_body },
	[SYNC_BULK_END] = { "BULK_END", U_SIZE(bulk), BULK_REQ, BULK_REQ,
	    syncmsg_misc_tlv, NULL, syncmsg_bulk_body },
	[SYNC_STATS] = { "STATS", U_SIZE(stats), STATS_REQ, STATS_USE,
	    syncmsg_stats_tlv, syncmsg_stats_check, syncmsg_stats_body },
	[SYNC_RESYNC_REQ] = { "RESYNC_REQ", U_SIZE(node),
	    B(SYNC_T_NODE), B(SYNC_T_NODE),
	    syncmsg_stats_tlv, NULL, syncmsg_resync_req_body },
};
_Static_assert(nitems(sync_ops) == SYNC_TYPE_MAX, "ops per sync type");

static const struct sync_ops *
lookup(unsigned int type)
{
	if (type >= nitems(sync_ops) || sync_ops[type].tlv == NULL)
		return NULL;		/* >=, not > */
	return &sync_ops[type];
}

int
syncmsg_hdr_decode(const uint8_t *buf, size_t len, struct sync_hdr *h)
{
	struct rd	 r;

	rd_init(&r, buf, len);
	h->version = rd_u8(&r);
	h->type = rd_u8(&r);
	h->flags = rd_be16(&r);
	h->length = rd_be32(&r);
	h->seq = rd_be64(&r);
	if (r.bad) {
		memset(h, 0, sizeof(*h));
		return SYNC_E_SHORT;
	}
	if (h->version != SYNC_VERSION)
		return SYNC_E_VERSION;
	if (h->length < SYNC_HDR_LEN || h->length > len ||
	    h->length > SYNC_MAX_LEN || h->length % 4 != 0)
		return SYNC_E_LENGTH;
	return 0;
}

static bool
tlv_len_ok(const struct tlv_spec *s, uint16_t len)
{
	if (s->pair)
		return len == s->min || len == s->max;
	return len >= s->min && len <= s->max;
}

/* Walk the TLVs of a message whose header is valid. */
static int
decode_tlvs(const uint8_t *buf, const struct sync_ops *ops,
    struct sync_msg *m)
{
	uint16_t		 count[SYNC_T_MAX];
	const struct tlv_spec	*s;
	const uint8_t		*v;
	struct rd		 r, val;
	uint64_t		 seen = 0;
	uint16_t		 id, tl;
	int			 rc;

	memset(count, 0, sizeof(count));
	rd_init(&r, buf + SYNC_HDR_LEN, m->hdr.length - SYNC_HDR_LEN);
	while (r.left > 0) {
		id = rd_be16(&r);
		tl = rd_be16(&r);
		/* The value and its padding must both be inside. */
		v = rd_bytes(&r, (size_t)tl + (size_t)((4 - tl % 4) % 4));
		if (r.bad || v == NULL)
			return SYNC_E_TLV;
		if (id >= SYNC_T_MAX || (ops->use & B(id)) == 0) {
			m->skipped++;
			continue;
		}
		s = &tlv_spec[id];
		if (!tlv_len_ok(s, tl))
			return SYNC_E_TLV_LEN;
		if (count[id] >= s->rep)
			return s->rep == 1 ? SYNC_E_DUP : SYNC_E_TOO_MANY;
		count[id]++;
		seen |= B(id);
		rd_init(&val, v, tl);
		if ((rc = ops->tlv(m, id, &val, tl)) != 0)
			return rc;
	}
	if ((seen & ops->req) != ops->req)
		return SYNC_E_MISSING;
	if (ops->check != NULL && (rc = ops->check(m)) != 0)
		return rc;
	return 0;
}

long
syncmsg_frame_len(const uint8_t *buf, size_t len)
{
	size_t	 l;

	if (len < SYNC_HDR_LEN)
		return -1;
	l = (size_t)buf[4] << 24 | (size_t)buf[5] << 16 |
	    (size_t)buf[6] << 8 | buf[7];
	if (l < SYNC_HDR_LEN || l > len || l > SYNC_MAX_LEN)
		return -1;
	return (long)l;
}

int
syncmsg_decode(const uint8_t *buf, size_t len, struct sync_msg *m)
{
	const struct sync_ops	*ops;
	int			 rc;

	m->skipped = 0;
	if ((rc = syncmsg_hdr_decode(buf, len, &m->hdr)) != 0)
		goto done;
	if ((m->hdr.flags & ~SYNC_F_ALL) != 0) {
		rc = SYNC_E_FLAGS;
		goto done;
	}
	if ((ops = lookup(m->hdr.type)) == NULL) {
		rc = SYNC_E_TYPE;
		goto done;
	}
	/* Only the type's member: a CHILD_UP need not clear 12 KB. */
	memset(&m->u, 0, ops->size);
	rc = decode_tlvs(buf, ops, m);
 done:
	if (rc != 0) {
		/* No partially decoded key survives an error. */
		secure_wipe(&m->u, sizeof(m->u));
		m->skipped = 0;
	}
	return rc;
}

void
syncmsg_wipe(struct sync_msg *m)
{
	const struct sync_ops	*ops;

	if (m == NULL)
		return;
	/* The member hdr.type fills; all of u for a type not in the table. */
	ops = lookup(m->hdr.type);
	secure_wipe(&m->u, ops != NULL ? ops->size : sizeof(m->u));
	secure_wipe(m, offsetof(struct sync_msg, u));
}

/*
 * Write one message: header, the type's TLVs from rec (the record or
 * union member the type uses), then the length.  On any failure the
 * bytes written are wiped (an IKE_UP holds keys) and w->len goes back to
 * where the message started.
 */
static long
encode_rec(struct wr *w, uint8_t type, uint64_t seq, uint16_t flags,
    const void *rec)
{
	const struct sync_ops	*ops = lookup(type);
	size_t			 start = w->len, n;

	if (w->bad)
		return -1;
	if (ops == NULL || (flags & ~SYNC_F_ALL) != 0)
		goto fail;
	wr_u8(w, SYNC_VERSION);
	wr_u8(w, type);
	wr_be16(w, flags);
	wr_be32(w, 0);			/* length, patched below */
	wr_be64(w, seq);
	if (ops->body(w, rec) != 0 || w->bad)
		goto fail;
	n = w->len - start;
	if (n > SYNC_MAX_LEN)
		goto fail;
	wr_put_be32_at(w, start + 4, (uint32_t)n);
	if (w->bad)
		goto fail;
	return (long)n;
 fail:
	if (w->len > start)
		secure_wipe(w->p + start, w->len - start);
	w->len = start;
	w->bad = true;
	return -1;
}

long
syncmsg_encode_ike_up(struct wr *w, uint64_t seq, uint16_t flags,
    const struct sa_ike *ike)
{
	return encode_rec(w, SYNC_IKE_UP, seq, flags, ike);
}

long
syncmsg_encode_ike_down(struct wr *w, uint64_t seq, uint16_t flags,
    const struct sa_ike *ike)
{
	return encode_rec(w, SYNC_IKE_DOWN, seq, flags, ike);
}

long
syncmsg_encode_ike_mid(struct wr *w, uint64_t seq, uint16_t flags,
    const struct sa_ike *ike)
{
	return encode_rec(w, SYNC_IKE_MID, seq, flags, ike);
}

long
syncmsg_encode_child_up(struct wr *w, uint64_t seq, uint16_t flags,
    const struct sa_child *c)
{
	return encode_rec(w, SYNC_CHILD_UP, seq, flags, c);
}

long
syncmsg_encode_child_down(struct wr *w, uint64_t seq, uint16_t flags,
    const struct sa_child *c)
{
	return encode_rec(w, SYNC_CHILD_DOWN, seq, flags, c);
}

long
syncmsg_encode_ctr(struct wr *w, uint64_t seq, uint16_t flags,
    const struct sync_ctr_batch *b)
{
	return encode_rec(w, SYNC_CTR, seq, flags, b);
}

long
syncmsg_encode_lease(struct wr *w, uint64_t seq, uint16_t flags,
    const struct sync_lease *l)
{
	return encode_rec(w, SYNC_LEASE, seq, flags, l);
}

long
syncmsg_encode_ack(struct wr *w, uint64_t seq, uint16_t flags,
    const struct sync_ack *a)
{
	return encode_rec(w, SYNC_ACK, seq, flags, a);
}

long
syncmsg_encode_bulk(struct wr *w, uint8_t type, uint64_t seq,
    uint16_t flags, const struct sync_bulk *b)
{
	if (type != SYNC_BULK_BEGIN && type != SYNC_BULK_END) {
		w->bad = true;
		return -1;
	}
	return encode_rec(w, type, seq, flags, b);
}

long
syncmsg_encode_stats(struct wr *w, uint64_t seq, const struct sync_stats *s)
{
	return encode_rec(w, SYNC_STATS, seq, 0, s);
}

long
syncmsg_encode_resync_req(struct wr *w, uint64_t seq, uint32_t node)
{
	return encode_rec(w, SYNC_RESYNC_REQ, seq, 0, &node);
}

long
syncmsg_encode(struct wr *w, const struct sync_msg *m)
{
	return encode_rec(w, m->hdr.type, m->hdr.seq, m->hdr.flags,
	    &m->u);
}

const char *
syncmsg_type_name(unsigned int type)
{
	const struct sync_ops	*ops = lookup(type);

	return ops == NULL ? "UNKNOWN" : ops->name;
}

const char *
syncmsg_tlv_name(unsigned int tlv)
{
	if (tlv >= nitems(tlv_spec) || tlv_spec[tlv].name == NULL)
		return "UNKNOWN";
	return tlv_spec[tlv].name;
}

const char *
syncmsg_ctr_dir_name(unsigned int dir)
{
	static const char *const names[] = {
		[0] = NULL,
		[SYNC_CTR_OUT] = "out",
		[SYNC_CTR_IN] = "in",
	};
	_Static_assert(nitems(names) == SYNC_CTR_DIR_MAX, "name per dir");

	return NAME_OF(names, dir);
}

const char *
syncmsg_err_name(int err)
{
	switch (err) {
	case 0:
		return "ok";
	case SYNC_E_SHORT:
		return "shorter than a sync header";
	case SYNC_E_VERSION:
		return "unknown sync protocol version";
	case SYNC_E_LENGTH:
		return "length field invalid for the buffer";
	case SYNC_E_FLAGS:
		return "unknown header flags";
	case SYNC_E_TYPE:
		return "unknown message type";
	case SYNC_E_TLV:
		return "TLV runs past the end of the message";
	case SYNC_E_TLV_LEN:
		return "TLV length invalid for its id";
	case SYNC_E_DUP:
		return "singleton TLV repeated";
	case SYNC_E_TOO_MANY:
		return "repeated TLV over its cap";
	case SYNC_E_MISSING:
		return "required TLV missing";
	case SYNC_E_VALUE:
		return "TLV value out of range";
	case SYNC_E_STRING:
		return "name not NUL-terminated or with NUL inside";
	}
	return "unknown error";
}
