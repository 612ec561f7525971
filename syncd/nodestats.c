/*
 * syncd/nodestats.c -- every member's SYNC_STATS and the digest
 * comparison at one point of the agreed order (nodestats.h).  Pure.
 */
#include <string.h>

#include "nodestats.h"
#include "tandem/util.h"

void
nodestats_init(struct nodestats *ns, uint32_t self)
{
	memset(ns, 0, sizeof(*ns));
	ns->self = self;
}

const struct ns_peer *
nodestats_find(const struct nodestats *ns, uint32_t node)
{
	size_t	 i;

	for (i = 0; i < ns->n; i++)
		if (ns->p[i].node == node)
			return &ns->p[i];
	return NULL;
}

void
nodestats_members(struct nodestats *ns, const uint32_t *ids, size_t n)
{
	struct ns_peer		 keep[NODESTATS_MAX];
	const struct ns_peer	*old;
	size_t			 i, k = 0;

	for (i = 0; i < n && k < nitems(keep); i++) {
		if ((old = nodestats_find(ns, ids[i])) != NULL)
			keep[k] = *old;
		else {
			memset(&keep[k], 0, sizeof(keep[k]));
			keep[k].node = ids[i];
		}
		k++;
	}
	memcpy(ns->p, keep, k * sizeof(keep[0]));
	ns->n = k;
}

int
nodestats_deliver(struct nodestats *ns, uint32_t from, uint64_t seq,
    const struct sync_stats *s, const uint8_t *mine, uint64_t now_ms)
{
	struct ns_peer	*p = (struct ns_peer *)nodestats_find(ns, from);

	if (p == NULL || s->node != from) {
		ns->dropped++;
		return -1;
	}
	/* Its digest at the delivery of its previous STATS vs ours there. */
	if (from == ns->self)
		p->dg = NS_DG_EQUAL;
	else if (s->has_digest && p->heard && p->seq == s->digest_at &&
	    p->mine_valid) {
		if (memcmp(s->digest, p->mine, SYNC_DIGEST_LEN) == 0) {
			p->dg = NS_DG_EQUAL;
			p->differ_ms = 0;
		} else {
			if (p->dg != NS_DG_DIFFER || p->differ_ms == 0)
				p->differ_ms = now_ms != 0 ? now_ms : 1;
			p->dg = NS_DG_DIFFER;
		}
	} else
		p->dg = NS_DG_UNKNOWN;
	p->mine_valid = mine != NULL;
	if (mine != NULL)
		memcpy(p->mine, mine, SYNC_DIGEST_LEN);
	else
		memset(p->mine, 0, sizeof(p->mine));
	p->st = *s;
	p->seq = seq;
	p->heard = true;
	p->heard_ms = now_ms;
	p->received++;
	return 0;
}

void
nodestats_fill_digest(const struct nodestats *ns, struct sync_stats *s)
{
	const struct ns_peer	*me = nodestats_find(ns, ns->self);

	s->has_digest = me != NULL && me->heard && me->mine_valid;
	if (!s->has_digest) {
		s->digest_at = 0;
		memset(s->digest, 0, sizeof(s->digest));
		return;
	}
	s->digest_at = me->seq;
	memcpy(s->digest, me->mine, sizeof(s->digest));
}

bool
nodestats_stale(const struct ns_peer *p, uint64_t now_ms)
{
	return !p->heard || now_ms - p->heard_ms > NODESTATS_STALE_MS;
}

const char *
nodestats_dg_name(unsigned int dg)
{
	static const char *const names[] = {
		[NS_DG_UNKNOWN] = "unknown",
		[NS_DG_EQUAL] = "yes",
		[NS_DG_DIFFER] = "no",
	};
	_Static_assert(nitems(names) == NS_DG_MAX, "name per verdict");

	return dg < nitems(names) ? names[dg] : "unknown";
}

int
nodestats_parse_xfrm(const char *text, size_t len, struct sync_stats *s)
{
	const char	*p = text, *end = text + len, *eol, *q;
	char		 name[48];
	unsigned int	 id;
	uint64_t	 v;
	size_t		 n, i;
	bool		 dup;

	s->nx = 0;
	for (; p < end; p = eol + 1) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		for (q = p; q < eol && *q != ' ' && *q != '\t'; q++)
			;
		n = (size_t)(q - p);
		if (n == 0 || n >= sizeof(name))
			continue;
		memcpy(name, p, n);
		name[n] = '\0';
		if ((id = syncmsg_xstat_id(name)) == 0)
			continue;
		while (q < eol && (*q == ' ' || *q == '\t'))
			q++;
		if (q == eol)
			return -1;
		for (v = 0; q < eol && *q >= '0' && *q <= '9'; q++) {
			if (v > (UINT64_MAX - (uint64_t)(*q - '0')) / 10)
				return -1;
			v = v * 10 + (uint64_t)(*q - '0');
		}
		while (q < eol && (*q == ' ' || *q == '\t' || *q == '\r'))
			q++;
		if (q != eol)
			return -1;
		for (i = 0, dup = false; i < s->nx; i++)
			dup |= s->x[i].id == id;
		if (dup || s->nx >= SYNC_XSTAT_MAX)
			continue;
		s->x[s->nx].id = (uint16_t)id;
		s->x[s->nx].value = v;
		s->nx++;
	}
	return s->nx;
}
