/*
 * test/unit/test_vrrp.c -- the VRRPv3 advert codec (ha/vrrp_codec.h):
 * checksum known answers built by hand from the RFC 5798 5.1 layout,
 * round trips for IPv4 and IPv6, and every malformed case with its code.
 */
#include <stdio.h>
#include <string.h>

#include "tandem/util.h"
#include "tandem/wire.h"
#include "unit.h"
#include "../../ha/vrrp_codec.h"

/*
 * IPv4: 192.0.2.10 -> 224.0.0.18, VRID 51, priority 100, one address
 * 192.0.2.100, Max Adver Int 100 cs (1 s).  The 16-bit words:
 *   pseudo-header  c000 020a  e000 0012  0070  000c
 *   message        3133 6401  0064 0000  c000 0264
 * sum 0x2fa94, folded 0xfa96, complement 0x0569.
 */
static const uint8_t	 kat4[] = {
	0x31, 0x33, 0x64, 0x01, 0x00, 0x64, 0x05, 0x69,
	0xc0, 0x00, 0x02, 0x64,
};
static const uint8_t	 kat4_addr[] = { 192, 0, 2, 100 };

/*
 * IPv6: fe80::1 -> ff02::12, VRID 51, priority 200, two addresses
 * fe80::100 and 2001:db8::100, 10 cs; pseudo-header of RFC 8200 8.1
 * (length 0x28 as 32 bits, then 00 00 00 70).  Checksum 0xda56.
 */
static const uint8_t	 kat6[] = {
	0x31, 0x33, 0xc8, 0x02, 0x00, 0x0a, 0xda, 0x56,
	0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00,
};

static void
ph4(struct vrrp_ph *ph)
{
	static const uint8_t	 src[] = { 192, 0, 2, 10 };
	static const uint8_t	 dst[] = { 224, 0, 0, 18 };

	memset(ph, 0, sizeof(*ph));
	ph->family = VRRP_AF_INET;
	memcpy(ph->src, src, 4);
	memcpy(ph->dst, dst, 4);
}

static void
ph6(struct vrrp_ph *ph)
{
	memset(ph, 0, sizeof(*ph));
	ph->family = VRRP_AF_INET6;
	ph->src[0] = 0xfe;
	ph->src[1] = 0x80;
	ph->src[15] = 0x01;
	ph->dst[0] = 0xff;
	ph->dst[1] = 0x02;
	ph->dst[15] = 0x12;
}

static void
test_kat_v4(void)
{
	struct vrrp_adv	 a;
	struct vrrp_ph	 ph;
	struct wr	 w;
	uint8_t		 buf[64];

	ph4(&ph);
	CU_ASSERT_EQUAL(vrrp_csum(&ph, kat4, sizeof(kat4)), 0);
	CU_ASSERT_EQUAL(vrrp_check(kat4, sizeof(kat4), &ph, 255, 51, &a), 0);
	CU_ASSERT_EQUAL(a.version, 3);
	CU_ASSERT_EQUAL(a.type, 1);
	CU_ASSERT_EQUAL(a.vrid, 51);
	CU_ASSERT_EQUAL(a.prio, 100);
	CU_ASSERT_EQUAL(a.naddrs, 1);
	CU_ASSERT_EQUAL(a.adver_cs, 100);
	CU_ASSERT_EQUAL(a.csum, 0x0569);
	UNIT_ASSERT_BYTES(a.addrs, kat4_addr, 4);

	memset(&a, 0, sizeof(a));
	a.family = VRRP_AF_INET;
	a.vrid = 51;
	a.prio = 100;
	a.naddrs = 1;
	a.adver_cs = 100;
	a.addrs = kat4_addr;
	wr_init(&w, buf, sizeof(buf));
	CU_ASSERT_EQUAL(vrrp_encode(&w, &a, &ph), (int)sizeof(kat4));
	UNIT_ASSERT_BYTES(buf, kat4, sizeof(kat4));
}

static void
test_kat_v6(void)
{
	struct vrrp_adv	 a;
	struct vrrp_ph	 ph;
	struct wr	 w;
	uint8_t		 buf[64];

	ph6(&ph);
	CU_ASSERT_EQUAL(vrrp_check(kat6, sizeof(kat6), &ph, 255, 51, &a), 0);
	CU_ASSERT_EQUAL(a.prio, 200);
	CU_ASSERT_EQUAL(a.naddrs, 2);
	CU_ASSERT_EQUAL(a.adver_cs, 10);
	CU_ASSERT_EQUAL(a.csum, 0xda56);
	CU_ASSERT_PTR_EQUAL(a.addrs, kat6 + 8);

	a.addrs = kat6 + 8;
	wr_init(&w, buf, sizeof(buf));
	CU_ASSERT_EQUAL(vrrp_encode(&w, &a, &ph), (int)sizeof(kat6));
	UNIT_ASSERT_BYTES(buf, kat6, sizeof(kat6));
}

static void
roundtrip(uint8_t family, uint8_t naddrs, uint8_t prio, uint16_t adver_cs)
{
	static uint8_t	 addrs[VRRP_MAX_ADDRS * 16], buf[VRRP_MAX_LEN + 8];
	struct vrrp_adv	 a, b;
	struct vrrp_ph	 ph;
	struct wr	 w;
	size_t		 alen = vrrp_addr_len(family), i;
	int		 n;

	for (i = 0; i < sizeof(addrs); i++)
		addrs[i] = (uint8_t)(i * 7 + 3);
	if (family == VRRP_AF_INET)
		ph4(&ph);
	else
		ph6(&ph);
	memset(&a, 0, sizeof(a));
	a.family = family;
	a.vrid = 7;
	a.prio = prio;
	a.naddrs = naddrs;
	a.adver_cs = adver_cs;
	a.addrs = addrs;
	wr_init(&w, buf, sizeof(buf));
	wr_u8(&w, 0xee);		/* encode appends: start mid-buffer */
	n = vrrp_encode(&w, &a, &ph);
	CU_ASSERT_EQUAL_FATAL(n, (int)(VRRP_HDR_LEN + naddrs * alen));
	CU_ASSERT_EQUAL(buf[0], 0xee);
	CU_ASSERT_EQUAL(vrrp_check(buf + 1, (size_t)n, &ph, 255, 7, &b), 0);
	CU_ASSERT_EQUAL(b.family, family);
	CU_ASSERT_EQUAL(b.vrid, 7);
	CU_ASSERT_EQUAL(b.prio, prio);
	CU_ASSERT_EQUAL(b.naddrs, naddrs);
	CU_ASSERT_EQUAL(b.adver_cs, adver_cs);
	CU_ASSERT_EQUAL(b.rsvd, 0);
	UNIT_ASSERT_BYTES(b.addrs, addrs, naddrs * alen);
}

static void
test_roundtrip(void)
{
	roundtrip(VRRP_AF_INET, 1, 100, 100);
	roundtrip(VRRP_AF_INET, 3, 0, 1);		/* resign */
	roundtrip(VRRP_AF_INET, 255, 255, 4095);	/* owner, limits */
	roundtrip(VRRP_AF_INET6, 1, 1, 10);
	roundtrip(VRRP_AF_INET6, 255, 254, 4095);	/* VRRP_MAX_LEN */
}

enum mut {
	M_NONE, M_TRUNC7, M_VERSION2, M_TYPE2, M_COUNT0, M_COUNT2,
	M_TRAIL, M_INTERVAL0, M_RSVD, M_ADDR_FLIP, M_CSUM_FLIP, M_PH_DST,
	M_FAMILY_BAD, M_AS_V6, M_TTL254, M_TTL64, M_VRID
};

/*
 * Every malformed advert and its code.  fix = recompute the checksum
 * after the change, so the check under test is the one that fires.
 */
static const struct {
	const char	*what;
	enum mut	 m;
	bool		 fix;
	int		 want;
} bad[] = {
	{ "good",			M_NONE,		false, 0 },
	{ "7 bytes",			M_TRUNC7,	false, VRRP_E_SHORT },
	{ "VRRPv2",			M_VERSION2,	true,  VRRP_E_VERSION },
	{ "type 2",			M_TYPE2,	true,  VRRP_E_TYPE },
	{ "count 0, no address",	M_COUNT0,	true,  VRRP_E_COUNT },
	{ "count 2, one address",	M_COUNT2,	true,  VRRP_E_LENGTH },
	{ "a byte after the list",	M_TRAIL,	false, VRRP_E_LENGTH },
	{ "interval 0",			M_INTERVAL0,	true, VRRP_E_INTERVAL },
	{ "rsvd set: ignored",		M_RSVD,		true,  0 },
	{ "address changed",		M_ADDR_FLIP,	false, VRRP_E_CSUM },
	{ "checksum changed",		M_CSUM_FLIP,	false, VRRP_E_CSUM },
	{ "other destination",		M_PH_DST,	false, VRRP_E_CSUM },
	{ "family 7",			M_FAMILY_BAD,	false, VRRP_E_FAMILY },
	{ "IPv4 advert read as IPv6",	M_AS_V6,	false, VRRP_E_LENGTH },
	{ "TTL 254 (routed)",		M_TTL254,	false, VRRP_E_TTL },
	{ "TTL 64",			M_TTL64,	false, VRRP_E_TTL },
	{ "other VRID",			M_VRID,		false, VRRP_E_VRID },
};

static void
test_malformed(void)
{
	struct vrrp_adv	 a;
	struct vrrp_ph	 ph;
	uint8_t		 buf[32];
	size_t		 i, len;
	uint8_t		 ttl, vrid;
	uint16_t	 c;
	int		 rc;

	for (i = 0; i < nitems(bad); i++) {
		memcpy(buf, kat4, sizeof(kat4));
		len = sizeof(kat4);
		ttl = 255;
		vrid = 51;
		ph4(&ph);
		switch (bad[i].m) {
		case M_NONE:
			break;
		case M_TRUNC7:
			len = 7;
			break;
		case M_VERSION2:
			buf[0] = 0x21;
			break;
		case M_TYPE2:
			buf[0] = 0x32;
			break;
		case M_COUNT0:
			buf[3] = 0;
			len = 8;
			break;
		case M_COUNT2:
			buf[3] = 2;
			break;
		case M_TRAIL:
			buf[len++] = 0;
			break;
		case M_INTERVAL0:
			buf[4] = 0;
			buf[5] = 0;
			break;
		case M_RSVD:
			buf[4] |= 0xf0;
			break;
		case M_ADDR_FLIP:
			buf[11] ^= 1;
			break;
		case M_CSUM_FLIP:
			buf[7] ^= 0x80;
			break;
		case M_PH_DST:
			ph.dst[3] = 19;
			break;
		case M_FAMILY_BAD:
			ph.family = 7;
			break;
		case M_AS_V6:
			ph6(&ph);
			break;
		case M_TTL254:
			ttl = 254;
			break;
		case M_TTL64:
			ttl = 64;
			break;
		case M_VRID:
			vrid = 52;
			break;
		}
		if (bad[i].fix) {
			buf[6] = buf[7] = 0;
			c = vrrp_csum(&ph, buf, len);
			buf[6] = (uint8_t)(c >> 8);
			buf[7] = (uint8_t)c;
		}
		rc = vrrp_check(buf, len, &ph, ttl, vrid, &a);
		if (rc != bad[i].want)
			fprintf(stderr, "\n  %s: got %s, want %s", bad[i].what,
			    vrrp_err_name(rc), vrrp_err_name(bad[i].want));
		CU_ASSERT_EQUAL(rc, bad[i].want);
	}
}

static void
test_encode_errors(void)
{
	struct vrrp_adv	 a;
	struct vrrp_ph	 ph;
	struct wr	 w;
	uint8_t		 buf[64];

	ph4(&ph);
	memset(&a, 0, sizeof(a));
	a.family = VRRP_AF_INET;
	a.vrid = 1;
	a.prio = 100;
	a.naddrs = 1;
	a.adver_cs = 100;
	a.addrs = kat4_addr;

	wr_init(&w, buf, 11);			/* one byte short */
	CU_ASSERT_EQUAL(vrrp_encode(&w, &a, &ph), VRRP_E_BUFSZ);
	CU_ASSERT(w.bad);
	wr_init(&w, buf, sizeof(buf));
	a.adver_cs = 4096;			/* does not fit 12 bits */
	CU_ASSERT_EQUAL(vrrp_encode(&w, &a, &ph), VRRP_E_INTERVAL);
	a.adver_cs = 0;
	CU_ASSERT_EQUAL(vrrp_encode(&w, &a, &ph), VRRP_E_INTERVAL);
	a.adver_cs = 100;
	a.naddrs = 0;
	CU_ASSERT_EQUAL(vrrp_encode(&w, &a, &ph), VRRP_E_COUNT);
	a.naddrs = 1;
	ph.family = VRRP_AF_INET6;		/* pseudo-header mismatch */
	CU_ASSERT_EQUAL(vrrp_encode(&w, &a, &ph), VRRP_E_FAMILY);
	CU_ASSERT_EQUAL(w.len, 0);		/* nothing written */
}

/*
 * One's complement has two zeros: a message whose checksum computes to
 * 0x0000 also verifies with 0xffff in the field (RFC 1071).  Found by
 * fuzz_vrrp; the encoder always writes 0x0000.
 */
static void
test_csum_negzero(void)
{
	static const uint8_t	 m[] = {
		0x31, 0x01, 0x01, 0x01, 0x00, 0x0a, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xd1, 0x52, 0xfe, 0x80, 0x00, 0x01,
	};
	struct vrrp_adv	 a;
	struct vrrp_ph	 ph;
	struct wr	 w;
	uint8_t		 buf[32];

	ph6(&ph);
	CU_ASSERT_EQUAL(vrrp_check(m, sizeof(m), &ph, 255, 1, &a), 0);
	wr_init(&w, buf, sizeof(buf));
	CU_ASSERT_EQUAL(vrrp_encode(&w, &a, &ph), (int)sizeof(m));
	CU_ASSERT_EQUAL(buf[6], 0);
	CU_ASSERT_EQUAL(buf[7], 0);
	CU_ASSERT_EQUAL(vrrp_check(buf, sizeof(m), &ph, 255, 1, &a), 0);
}

static void
test_err_names(void)
{
	int	 e, f;

	CU_ASSERT_STRING_EQUAL(vrrp_err_name(0), "OK");
	for (e = VRRP_E_SHORT; e > VRRP_E_MAX; e--) {
		CU_ASSERT_STRING_NOT_EQUAL(vrrp_err_name(e), "UNKNOWN");
		for (f = e - 1; f > VRRP_E_MAX; f--)
			CU_ASSERT_STRING_NOT_EQUAL(vrrp_err_name(e),
			    vrrp_err_name(f));
	}
	CU_ASSERT_STRING_EQUAL(vrrp_err_name(VRRP_E_MAX), "UNKNOWN");
	CU_ASSERT_STRING_EQUAL(vrrp_err_name(1), "UNKNOWN");
}

/* RFC 5798 5.2.9: the link-local virtual address goes first. */
static void
test_v6_ll_first(void)
{
	static const struct {
		const char	*in, *want;	/* one letter per address */
		bool		 ok;
	} rows[] = {
		{ "L", "L", true },
		{ "G", "G", false },
		{ "GGL", "LGG", true },
		{ "GLHM", "LGHM", true },	/* the first link-local only */
		{ "LGM", "LGM", true },
		{ "GHI", "GHI", false },
		{ "", "", false },
	};
	uint8_t		 addrs[8 * 16], want[8 * 16];
	size_t		 i, j, n;

	for (i = 0; i < nitems(rows); i++) {
		n = strlen(rows[i].in);
		memset(addrs, 0, sizeof(addrs));
		memset(want, 0, sizeof(want));
		for (j = 0; j < n; j++) {
			/* L and M: fe80::/10 (febf:: is inside), others
			 * 2001:db8::; the last byte tells them apart */
			addrs[16 * j] = rows[i].in[j] == 'L' ? 0xfe :
			    rows[i].in[j] == 'M' ? 0xfe : 0x20;
			addrs[16 * j + 1] = rows[i].in[j] == 'L' ? 0x80 :
			    rows[i].in[j] == 'M' ? 0xbf : 0x01;
			addrs[16 * j + 15] = (uint8_t)rows[i].in[j];
			want[16 * j] = rows[i].want[j] == 'L' ? 0xfe :
			    rows[i].want[j] == 'M' ? 0xfe : 0x20;
			want[16 * j + 1] = rows[i].want[j] == 'L' ? 0x80 :
			    rows[i].want[j] == 'M' ? 0xbf : 0x01;
			want[16 * j + 15] = (uint8_t)rows[i].want[j];
		}
		/* fec0:: (site-local, deprecated) is not link-local */
		if (n == 1 && rows[i].in[0] == 'G')
			addrs[0] = want[0] = 0xfe, addrs[1] = want[1] = 0xc0;
		CU_ASSERT_EQUAL(vrrp_v6_ll_first(addrs, n), rows[i].ok);
		UNIT_ASSERT_BYTES(addrs, want, 16 * n);
	}
}

UNIT_SUITE(vrrp, "VRRPv3 advert codec",
    { "checksum known answer, IPv4", test_kat_v4 },
    { "checksum known answer, IPv6", test_kat_v6 },
    { "round trips", test_roundtrip },
    { "malformed adverts", test_malformed },
    { "encode errors", test_encode_errors },
    { "checksum negative zero", test_csum_negzero },
    { "error names", test_err_names },
    { "IPv6: link-local address first", test_v6_ll_first });
