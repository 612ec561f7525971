/*
 * ikev2d/ts.c -- traffic selector narrowing and conversions (RFC 7296
 * 2.9, 3.13.1).  Pure.
 *
 * Narrowing takes, for each pair (offered, allowed), the intersection of
 * the address ranges, the port ranges and the protocol (0 = any).  The
 * responder answers with every non-empty intersection; the initiator
 * checks that the answer lies inside what it offered.  This is the
 * "intersection" policy of 2.9: we never widen what either side allows.
 */
#include <string.h>

#include "tandem/util.h"
#include "ts.h"

#define AF_INET_	2
#define AF_INET6_	10

static size_t
ts_alen(uint8_t type)
{
	return type == IKE_TS_IPV4_ADDR_RANGE ? 4 : 16;
}

int
ts_from_cfg(const struct cfg_ts *c, size_t n, const struct sa_addr *dyn,
    struct ike_ts_pld *out)
{
	struct ike_ts	*t;
	size_t		 i, alen;

	memset(out, 0, sizeof(*out));
	if (n > IKE_MAX_TS)
		return -1;
	for (i = 0; i < n; i++) {
		t = &out->ts[i];
		if (c[i].dynamic) {
			if (dyn == NULL || (dyn->family != AF_INET_ &&
			    dyn->family != AF_INET6_))
				return -1;
			t->type = dyn->family == AF_INET_ ?
			    IKE_TS_IPV4_ADDR_RANGE : IKE_TS_IPV6_ADDR_RANGE;
			alen = ts_alen(t->type);
			memcpy(t->start, dyn->addr, alen);
			memcpy(t->end, dyn->addr, alen);
			t->sport = 0;
			t->eport = 65535;
		} else {
			t->type = c[i].family == AF_INET_ ?
			    IKE_TS_IPV4_ADDR_RANGE : IKE_TS_IPV6_ADDR_RANGE;
			alen = ts_alen(t->type);
			memcpy(t->start, c[i].start, alen);
			memcpy(t->end, c[i].end, alen);
		}
		t->proto = c[i].proto;
		t->sport = c[i].port_lo;
		t->eport = c[i].port_hi;
		if (t->sport == 0 && t->eport == 0)
			t->eport = 65535;
	}
	out->n = (uint8_t)n;
	return (int)n;
}

bool
ts_intersect(const struct ike_ts *a, const struct ike_ts *b,
    struct ike_ts *out)
{
	size_t	 alen;

	if (a->type != b->type || (a->type != IKE_TS_IPV4_ADDR_RANGE &&
	    a->type != IKE_TS_IPV6_ADDR_RANGE))
		return false;
	if (a->proto != 0 && b->proto != 0 && a->proto != b->proto)
		return false;
	alen = ts_alen(a->type);
	memset(out, 0, sizeof(*out));
	out->type = a->type;
	out->proto = a->proto != 0 ? a->proto : b->proto;
	out->sport = a->sport > b->sport ? a->sport : b->sport;
	out->eport = a->eport < b->eport ? a->eport : b->eport;
	memcpy(out->start, memcmp(a->start, b->start, alen) > 0 ? a->start :
	    b->start, alen);
	memcpy(out->end, memcmp(a->end, b->end, alen) < 0 ? a->end : b->end,
	    alen);
	return out->sport <= out->eport &&
	    memcmp(out->start, out->end, alen) <= 0;
}

static bool
ts_eq(const struct ike_ts *a, const struct ike_ts *b)
{
	size_t	 alen = ts_alen(a->type);

	return a->type == b->type && a->proto == b->proto &&
	    a->sport == b->sport && a->eport == b->eport &&
	    memcmp(a->start, b->start, alen) == 0 &&
	    memcmp(a->end, b->end, alen) == 0;
}

int
ts_narrow(const struct ike_ts_pld *offered, const struct ike_ts_pld *allowed,
    struct ike_ts_pld *out)
{
	struct ike_ts	 t;
	size_t		 i, j, k;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < offered->n; i++) {
		for (j = 0; j < allowed->n; j++) {
			if (!ts_intersect(&offered->ts[i], &allowed->ts[j], &t))
				continue;
			for (k = 0; k < out->n; k++)
				if (ts_eq(&out->ts[k], &t))
					break;
			if (k < out->n || out->n >= IKE_MAX_TS)
				continue;
			out->ts[out->n++] = t;
		}
	}
	return out->n;
}

bool
ts_subset(const struct ike_ts_pld *inner, const struct ike_ts_pld *outer)
{
	struct ike_ts	 t;
	size_t		 i, j;

	for (i = 0; i < inner->n; i++) {
		for (j = 0; j < outer->n; j++)
			if (ts_intersect(&inner->ts[i], &outer->ts[j], &t) &&
			    ts_eq(&t, &inner->ts[i]))
				break;
		if (j == outer->n)
			return false;
	}
	return inner->n > 0;
}

/* 128-bit big-endian helpers over unsigned __int128. */
static unsigned __int128
ts_load(const uint8_t *p, size_t alen)
{
	unsigned __int128	 v = 0;
	size_t			 i;

	for (i = 0; i < alen; i++)
		v = v << 8 | p[i];
	return v;
}

static void
ts_store(unsigned __int128 v, uint8_t *p, size_t alen)
{
	size_t	 i;

	for (i = alen; i > 0; i--) {
		p[i - 1] = (uint8_t)v;
		v >>= 8;
	}
}

int
ts_prefixes(const struct ike_ts *t, struct ts_prefix *out, size_t cap)
{
	unsigned __int128	 s, e, size;
	size_t			 alen = ts_alen(t->type), n = 0;
	unsigned int		 bits = (unsigned int)alen * 8, host;

	s = ts_load(t->start, alen);
	e = ts_load(t->end, alen);
	if (s > e)
		return 0;
	for (;;) {
		/* the largest aligned block at s that ends <= e */
		for (host = bits; host > 0; host--) {
			if (host < 128 && (s & (((unsigned __int128)1 << host) -
			    1)) != 0)
				continue;
			if (host == 128 && s != 0)
				continue;
			if (host < 128 && e - s >= ((unsigned __int128)1 <<
			    host) - 1)
				break;
			if (host == 128 && e == ~(unsigned __int128)0)
				break;
		}
		if (n >= cap)
			return -1;
		memset(&out[n], 0, sizeof(out[n]));
		out[n].a.family = alen == 4 ? AF_INET_ : AF_INET6_;
		ts_store(s, out[n].a.addr, alen);
		out[n].plen = (uint8_t)(bits - host);
		n++;
		if (host == 128)
			break;
		size = (unsigned __int128)1 << host;
		if (s + size - 1 == e)
			break;
		s += size;
	}
	return (int)n;
}

void
ts_to_rec(const struct ike_ts *t, struct sa_ts *r)
{
	size_t	 alen = ts_alen(t->type);

	memset(r, 0, sizeof(*r));
	r->family = alen == 4 ? AF_INET_ : AF_INET6_;
	r->proto = t->proto;
	r->port_lo = t->sport;
	r->port_hi = t->eport;
	memcpy(r->start, t->start, alen);
	memcpy(r->end, t->end, alen);
}
