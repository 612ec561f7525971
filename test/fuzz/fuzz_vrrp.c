/*
 * test/fuzz/fuzz_vrrp.c -- libFuzzer over the VRRPv3 advert decoder.
 *
 * The first input byte picks the family (bit 0: IPv6) and is not part of
 * the advert.  Whatever decodes must re-encode to the same bytes (with
 * the reserved bits cleared and the checksum recomputed over a fixed
 * pseudo-header), decode again to the same fields, and verify; an input
 * that already verified under that pseudo-header must come back byte for
 * byte.  Every error must be a named code.  abort() on any mismatch.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/wire.h"
#include "../../ha/vrrp_codec.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static uint8_t	 enc[VRRP_MAX_LEN];

static void
fixed_ph(struct vrrp_ph *ph, uint8_t family)
{
	memset(ph, 0, sizeof(*ph));
	ph->family = family;
	if (family == VRRP_AF_INET) {
		ph->src[0] = 192, ph->src[2] = 2, ph->src[3] = 10;
		ph->dst[0] = 224, ph->dst[3] = 18;	/* 224.0.0.18 */
	} else {
		ph->src[0] = 0xfe, ph->src[1] = 0x80, ph->src[15] = 1;
		ph->dst[0] = 0xff, ph->dst[1] = 0x02, ph->dst[15] = 0x12;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vrrp_adv	 a, b;
	struct vrrp_ph	 ph;
	struct wr	 w;
	uint8_t		 family;
	int		 rc, n, v;

	if (size < 1)
		return 0;
	family = data[0] & 1 ? VRRP_AF_INET6 : VRRP_AF_INET;
	data++, size--;
	fixed_ph(&ph, family);

	rc = vrrp_decode(data, size, family, &a);
	if (rc != 0) {
		if (rc > 0 || rc <= VRRP_E_MAX ||
		    strcmp(vrrp_err_name(rc), "UNKNOWN") == 0)
			abort();
		return 0;
	}
	if (a.addrs != data + VRRP_HDR_LEN ||
	    size != VRRP_HDR_LEN + a.naddrs * vrrp_addr_len(family))
		abort();
	v = vrrp_verify(data, size, &a, &ph, VRRP_TTL, a.vrid);
	if (v != 0 && v != VRRP_E_CSUM)
		abort();

	wr_init(&w, enc, sizeof(enc));
	if ((n = vrrp_encode(&w, &a, &ph)) < 0 || (size_t)n != size)
		abort();			/* decoded but not encodable */
	if (vrrp_check(enc, (size_t)n, &ph, VRRP_TTL, a.vrid, &b) != 0)
		abort();
	if (b.vrid != a.vrid || b.prio != a.prio || b.naddrs != a.naddrs ||
	    b.adver_cs != a.adver_cs || b.rsvd != 0 ||
	    memcmp(b.addrs, a.addrs, a.naddrs * vrrp_addr_len(family)) != 0)
		abort();
	/*
	 * A verified input comes back as it was, but for one's complement's
	 * two zeros: a sum field of 0xffff verifies as well as 0x0000, and
	 * the encoder writes 0x0000 (RFC 1071).
	 */
	if (v == 0 && a.rsvd == 0 && memcmp(enc, data, size) != 0 &&
	    !(a.csum == 0xffff && enc[6] == 0 && enc[7] == 0 &&
	    memcmp(enc, data, 6) == 0 &&
	    memcmp(enc + 8, data + 8, size - 8) == 0))
		abort();
	/* Only the reserved bits and the checksum may differ. */
	if (enc[0] != data[0] || enc[1] != data[1] || enc[2] != data[2] ||
	    enc[3] != data[3] || enc[5] != data[5] ||
	    (enc[4] & 0x0f) != (data[4] & 0x0f) ||
	    memcmp(enc + 8, data + 8, size - 8) != 0)
		abort();
	return 0;
}
