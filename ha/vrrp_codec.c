/*
 * ha/vrrp_codec.c -- VRRPv3 advert encode/decode/verify (vrrp_codec.h).
 * Pure: every field goes through the wire.h cursor.
 */
#include <string.h>

#include "tandem/util.h"
#include "vrrp_codec.h"

static const char *const vrrp_err_names[] = {
	[0]			= "OK",
	[-VRRP_E_SHORT]		= "SHORT",
	[-VRRP_E_VERSION]	= "VERSION",
	[-VRRP_E_TYPE]		= "TYPE",
	[-VRRP_E_COUNT]		= "COUNT",
	[-VRRP_E_LENGTH]	= "LENGTH",
	[-VRRP_E_INTERVAL]	= "INTERVAL",
	[-VRRP_E_FAMILY]	= "FAMILY",
	[-VRRP_E_TTL]		= "TTL",
	[-VRRP_E_VRID]		= "VRID",
	[-VRRP_E_CSUM]		= "CSUM",
	[-VRRP_E_BUFSZ]		= "BUFSZ",
};
_Static_assert(nitems(vrrp_err_names) == VRRP_NERR, "a name per error");

const char *
vrrp_err_name(int err)
{
	if (err > 0)
		return "UNKNOWN";
	return NAME_OF(vrrp_err_names, (unsigned int)-err);
}

size_t
vrrp_addr_len(uint8_t family)
{
	switch (family) {
	case VRRP_AF_INET:
		return 4;
	case VRRP_AF_INET6:
		return 16;
	default:
		return 0;
	}
}

static bool
v6_ll(const uint8_t *a)
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

bool
vrrp_v6_ll_first(uint8_t *addrs, size_t n)
{
	uint8_t	 ll[16];
	size_t	 i;

	for (i = 0; i < n && !v6_ll(addrs + 16 * i); i++)
		;
	if (i == n)
		return false;
	if (i > 0) {
		memcpy(ll, addrs + 16 * i, 16);
		memmove(addrs + 16, addrs, 16 * i);
		memcpy(addrs, ll, 16);
	}
	return true;
}

/* RFC 1071: add 16-bit big-endian words into a 32-bit accumulator. */
static uint32_t
csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t	 i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;	/* pad with zero */
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

uint16_t
vrrp_csum(const struct vrrp_ph *ph, const uint8_t *msg, size_t len)
{
	uint8_t		 tail[8];
	size_t		 alen = vrrp_addr_len(ph->family);
	uint32_t	 sum = 0;
	struct wr	 w;

	sum = csum_add(sum, ph->src, alen);
	sum = csum_add(sum, ph->dst, alen);
	wr_init(&w, tail, sizeof(tail));
	if (ph->family == VRRP_AF_INET6) {
		wr_be32(&w, (uint32_t)len);		/* upper-layer length */
		wr_be32(&w, VRRP_PROTO);		/* zero(3), next hdr */
	} else {
		wr_u8(&w, 0);
		wr_u8(&w, VRRP_PROTO);
		wr_be16(&w, (uint16_t)len);
	}
	sum = csum_add(sum, tail, w.len);
	sum = csum_add(sum, msg, len);
	return (uint16_t)~sum;
}

int
vrrp_decode(const uint8_t *buf, size_t len, uint8_t family,
    struct vrrp_adv *a)
{
	struct rd	 r;
	size_t		 alen;
	uint8_t		 vt;
	uint16_t	 ri;

	memset(a, 0, sizeof(*a));
	if ((alen = vrrp_addr_len(family)) == 0)
		return VRRP_E_FAMILY;
	a->family = family;
	rd_init(&r, buf, len);
	vt = rd_u8(&r);
	a->vrid = rd_u8(&r);
	a->prio = rd_u8(&r);
	a->naddrs = rd_u8(&r);
	ri = rd_be16(&r);
	a->csum = rd_be16(&r);
	if (r.bad)
		return VRRP_E_SHORT;
	a->version = vt >> 4;
	a->type = vt & 0x0f;
	a->rsvd = (uint8_t)(ri >> 12);
	a->adver_cs = ri & 0x0fff;
	if (a->version != VRRP_VERSION)
		return VRRP_E_VERSION;
	if (a->type != VRRP_TYPE_ADVERT)
		return VRRP_E_TYPE;
	if (a->naddrs == 0)
		return VRRP_E_COUNT;
	/* RFC 5798 7.1: the complete packet, and nothing after it. */
	if (r.left != (size_t)a->naddrs * alen)
		return VRRP_E_LENGTH;
	a->addrs = rd_bytes(&r, r.left);
	if (a->adver_cs == 0)
		return VRRP_E_INTERVAL;
	return 0;
}

int
vrrp_verify(const uint8_t *buf, size_t len, const struct vrrp_adv *a,
    const struct vrrp_ph *ph, uint8_t ttl, uint8_t vrid)
{
	/* RFC 5798 7.1: a packet from off the link is never believed. */
	if (ttl != VRRP_TTL)
		return VRRP_E_TTL;
	if (a->vrid != vrid)
		return VRRP_E_VRID;
	if (ph->family != a->family)
		return VRRP_E_FAMILY;
	if (vrrp_csum(ph, buf, len) != 0)
		return VRRP_E_CSUM;
	return 0;
}

int
vrrp_check(const uint8_t *buf, size_t len, const struct vrrp_ph *ph,
    uint8_t ttl, uint8_t vrid, struct vrrp_adv *a)
{
	int	 rc;

	if ((rc = vrrp_decode(buf, len, ph->family, a)) != 0)
		return rc;
	return vrrp_verify(buf, len, a, ph, ttl, vrid);
}

int
vrrp_encode(struct wr *w, const struct vrrp_adv *a, const struct vrrp_ph *ph)
{
	size_t		 alen = vrrp_addr_len(a->family);
	size_t		 start = w->len, n;

	if (alen == 0 || ph->family != a->family)
		return VRRP_E_FAMILY;
	if (a->naddrs == 0 || a->addrs == NULL)
		return VRRP_E_COUNT;
	if (a->adver_cs == 0 || a->adver_cs > VRRP_ADVER_MAX_CS)
		return VRRP_E_INTERVAL;
	wr_u8(w, VRRP_VERSION << 4 | VRRP_TYPE_ADVERT);
	wr_u8(w, a->vrid);
	wr_u8(w, a->prio);
	wr_u8(w, a->naddrs);
	wr_be16(w, a->adver_cs);		/* rsvd = 0 */
	wr_be16(w, 0);				/* checksum, patched below */
	wr_bytes(w, a->addrs, (size_t)a->naddrs * alen);
	if (w->bad)
		return VRRP_E_BUFSZ;
	n = w->len - start;
	wr_put_be16_at(w, start + 6, vrrp_csum(ph, w->p + start, n));
	return (int)n;
}
