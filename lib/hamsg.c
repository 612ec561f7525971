/*
 * lib/hamsg.c -- hamgrd's CPG messages: encode and decode (hamsg.h).
 * Pure: every field goes through the wire.h cursor; a peer node is
 * untrusted input like any other.
 */
#include <string.h>

#include "tandem/hamsg.h"
#include "tandem/util.h"

static const char *const hamsg_err_names[] = {
	[0]			= "OK",
	[-HAMSG_E_SHORT]	= "SHORT",
	[-HAMSG_E_VERSION]	= "VERSION",
	[-HAMSG_E_LENGTH]	= "LENGTH",
	[-HAMSG_E_TYPE]		= "TYPE",
	[-HAMSG_E_NAME]		= "NAME",
	[-HAMSG_E_VALUE]	= "VALUE",
	[-HAMSG_E_TRAIL]	= "TRAIL",
	[-HAMSG_E_BUFSZ]	= "BUFSZ",
};
_Static_assert(nitems(hamsg_err_names) == HAMSG_NERR, "a name per error");

static const char *const hamsg_type_names[] = {
	[HAMSG_STATE]		= "STATE",
	[HAMSG_HANDOVER]	= "HANDOVER",
	[HAMSG_TRANS]		= "TRANS",
	[HAMSG_PULL]		= "PULL",
};
_Static_assert(nitems(hamsg_type_names) == HAMSG_TYPE_MAX,
    "a name per type");

const char *
hamsg_err_name(int err)
{
	if (err > 0)
		return "UNKNOWN";
	return NAME_OF(hamsg_err_names, (unsigned int)-err);
}

const char *
hamsg_type_name(unsigned int type)
{
	return NAME_OF(hamsg_type_names, type);
}

static bool
name_char(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-';
}

bool
hamsg_name_ok(const char *s)
{
	size_t	 i, n = strnlen(s, HAMSG_NAME_MAX);

	if (n == 0 || n >= HAMSG_NAME_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!name_char((uint8_t)s[i]))
			return false;
	return true;
}

/* A name into dst (HAMSG_NAME_MAX bytes).  0, or HAMSG_E_SHORT/_NAME. */
static int
rd_name(struct rd *r, char *dst)
{
	const uint8_t	*p;
	uint8_t		 n;
	size_t		 i;

	n = rd_u8(r);
	p = rd_bytes(r, n);
	if (r->bad)
		return HAMSG_E_SHORT;
	if (n == 0 || n >= HAMSG_NAME_MAX)
		return HAMSG_E_NAME;
	for (i = 0; i < n; i++)
		if (!name_char(p[i]))
			return HAMSG_E_NAME;
	memcpy(dst, p, n);
	dst[n] = '\0';
	return 0;
}

static void
wr_name(struct wr *w, const char *s)
{
	size_t	 n = strlen(s);

	wr_u8(w, (uint8_t)n);
	wr_bytes(w, s, n);
}

static int
dec_state(struct rd *r, struct hamsg_state *s)
{
	struct hamsg_group	*g;
	size_t			 i;
	int			 rc;

	if ((rc = rd_name(r, s->node)) != 0)
		return rc;
	s->flags = rd_u8(r);
	s->ngroups = rd_u8(r);
	if (r->bad)
		return HAMSG_E_SHORT;
	if ((s->flags & ~HAMSG_NF_ALL) != 0 ||
	    s->ngroups > HAMSG_GROUPS_MAX)
		return HAMSG_E_VALUE;
	for (i = 0; i < s->ngroups; i++) {
		g = &s->groups[i];
		if ((rc = rd_name(r, g->name)) != 0)
			return rc;
		g->prio = rd_u8(r);
		g->role = rd_u8(r);
		g->flags = rd_u8(r);
		if (r->bad)
			return HAMSG_E_SHORT;
		if (g->prio == 0 || g->role >= HAMSG_ROLE_MAX ||
		    (g->flags & ~HAMSG_GF_ALL) != 0)
			return HAMSG_E_VALUE;
	}
	return 0;
}

static int
dec_handover(struct rd *r, struct hamsg_handover *h)
{
	int	 rc;

	if ((rc = rd_name(r, h->group)) != 0 ||
	    (rc = rd_name(r, h->target)) != 0 ||
	    (rc = rd_name(r, h->from)) != 0)
		return rc;
	return 0;
}

static int
dec_trans(struct rd *r, struct hamsg_trans *t)
{
	int	 rc;

	if ((rc = rd_name(r, t->node)) != 0 ||
	    (rc = rd_name(r, t->group)) != 0)
		return rc;
	t->from = rd_u8(r);
	t->to = rd_u8(r);
	t->at_unix_ms = rd_be64(r);
	t->act_us = rd_be32(r);
	if (r->bad)
		return HAMSG_E_SHORT;
	if (t->from >= HAMSG_ROLE_MAX || t->to >= HAMSG_ROLE_MAX)
		return HAMSG_E_VALUE;
	return 0;
}

int
hamsg_decode(const uint8_t *buf, size_t len, struct hamsg *m)
{
	struct rd	 r;
	int		 rc;

	memset(m, 0, sizeof(*m));
	rd_init(&r, buf, len);
	m->hdr.version = rd_u8(&r);
	m->hdr.type = rd_u8(&r);
	m->hdr.rsvd = rd_be16(&r);
	m->hdr.length = rd_be32(&r);
	m->hdr.seq = rd_be64(&r);
	if (r.bad)
		return HAMSG_E_SHORT;
	if (m->hdr.version != HAMSG_VERSION)
		return HAMSG_E_VERSION;
	if (m->hdr.length != len)
		return HAMSG_E_LENGTH;
	switch (m->hdr.type) {
	case HAMSG_STATE:
		rc = dec_state(&r, &m->u.state);
		break;
	case HAMSG_HANDOVER:
		rc = dec_handover(&r, &m->u.handover);
		break;
	case HAMSG_TRANS:
		rc = dec_trans(&r, &m->u.trans);
		break;
	case HAMSG_PULL:
		if ((rc = rd_name(&r, m->u.pull.group)) == 0)
			rc = rd_name(&r, m->u.pull.requester);
		break;
	default:
		return HAMSG_E_TYPE;
	}
	if (rc != 0)
		return rc;
	return r.left != 0 ? HAMSG_E_TRAIL : 0;
}

static void
enc_hdr(struct wr *w, uint8_t type, uint64_t seq)
{
	wr_u8(w, HAMSG_VERSION);
	wr_u8(w, type);
	wr_be16(w, 0);
	wr_be32(w, 0);			/* length, patched when done */
	wr_be64(w, seq);
}

static int
enc_done(struct wr *w, size_t start)
{
	size_t	 n = w->len - start;

	if (w->bad)
		return HAMSG_E_BUFSZ;
	wr_put_be32_at(w, start + 4, (uint32_t)n);
	return (int)n;
}

int
hamsg_encode_state(struct wr *w, uint64_t seq, const struct hamsg_state *s)
{
	const struct hamsg_group	*g;
	size_t				 i, start = w->len;

	if (!hamsg_name_ok(s->node))
		return HAMSG_E_NAME;
	if (s->ngroups > HAMSG_GROUPS_MAX || (s->flags & ~HAMSG_NF_ALL) != 0)
		return HAMSG_E_VALUE;
	for (i = 0; i < s->ngroups; i++) {
		g = &s->groups[i];
		if (!hamsg_name_ok(g->name))
			return HAMSG_E_NAME;
		if (g->prio == 0 || g->role >= HAMSG_ROLE_MAX ||
		    (g->flags & ~HAMSG_GF_ALL) != 0)
			return HAMSG_E_VALUE;
	}
	enc_hdr(w, HAMSG_STATE, seq);
	wr_name(w, s->node);
	wr_u8(w, s->flags);
	wr_u8(w, s->ngroups);
	for (i = 0; i < s->ngroups; i++) {
		g = &s->groups[i];
		wr_name(w, g->name);
		wr_u8(w, g->prio);
		wr_u8(w, g->role);
		wr_u8(w, g->flags);
	}
	return enc_done(w, start);
}

int
hamsg_encode_handover(struct wr *w, uint64_t seq,
    const struct hamsg_handover *h)
{
	size_t	 start = w->len;

	if (!hamsg_name_ok(h->group) || !hamsg_name_ok(h->target) ||
	    !hamsg_name_ok(h->from))
		return HAMSG_E_NAME;
	enc_hdr(w, HAMSG_HANDOVER, seq);
	wr_name(w, h->group);
	wr_name(w, h->target);
	wr_name(w, h->from);
	return enc_done(w, start);
}

int
hamsg_encode_trans(struct wr *w, uint64_t seq, const struct hamsg_trans *t)
{
	size_t	 start = w->len;

	if (!hamsg_name_ok(t->node) || !hamsg_name_ok(t->group))
		return HAMSG_E_NAME;
	if (t->from >= HAMSG_ROLE_MAX || t->to >= HAMSG_ROLE_MAX)
		return HAMSG_E_VALUE;
	enc_hdr(w, HAMSG_TRANS, seq);
	wr_name(w, t->node);
	wr_name(w, t->group);
	wr_u8(w, t->from);
	wr_u8(w, t->to);
	wr_be64(w, t->at_unix_ms);
	wr_be32(w, t->act_us);
	return enc_done(w, start);
}

int
hamsg_encode_pull(struct wr *w, uint64_t seq, const struct hamsg_pull *p)
{
	size_t	 start = w->len;

	if (!hamsg_name_ok(p->group) || !hamsg_name_ok(p->requester))
		return HAMSG_E_NAME;
	enc_hdr(w, HAMSG_PULL, seq);
	wr_name(w, p->group);
	wr_name(w, p->requester);
	return enc_done(w, start);
}
