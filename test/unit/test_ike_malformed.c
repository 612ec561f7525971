/*
 * test/unit/test_ike_malformed.c -- hostile input to the IKEv2 decoders.
 *
 * Every case asserts its precise IKE_E_* code: truncated and inconsistent
 * headers, payload lengths against the message and against their parents
 * (transform past its proposal, attribute past its transform, proposal
 * past its SA, selector past its payload), short and endless chains,
 * critical bits, absurd counts at and one past every cap, SKF numbering,
 * SK not last.  A deterministic mutation sweep then flips and truncates
 * valid messages and runs every typed decoder over what still decodes:
 * under ASan/UBSan it proves no read outside the buffers.
 */
#include <stdio.h>
#include <string.h>

#include "tandem/util.h"
#include "tandem/wire.h"
#include "../../ikev2d/ike_msg.h"
#include "../../ikev2d/ike_names.h"
#include "unit.h"

#define MAXMSG	8192

static uint8_t	 msg[MAXMSG];
static struct ike_msg	 m;

static size_t
unhex(const char *hex, uint8_t *out, size_t cap)
{
	long	 n = unit_unhex(hex, out, cap);

	CU_ASSERT_FATAL(n >= 0);
	return (size_t)n;
}

static void
put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void
put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* IKE header (first payload `first`, true length) + chain bytes. */
static size_t
mk(uint8_t first, const uint8_t *chain, size_t n)
{
	static const uint8_t	 hdr[IKE_HDR_LEN] = {
		0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
		0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
		0x00, 0x20, 0x25, 0x08, 0x00, 0x00, 0x00, 0x02,
	};

	CU_ASSERT_FATAL(n <= MAXMSG - IKE_HDR_LEN);
	memcpy(msg, hdr, IKE_HDR_LEN);
	msg[16] = first;
	if (n > 0)
		memmove(msg + IKE_HDR_LEN, chain, n);
	put_be32(msg + 24, (uint32_t)(IKE_HDR_LEN + n));
	return IKE_HDR_LEN + n;
}

static size_t
mkhex(uint8_t first, const char *hex)
{
	uint8_t	 chain[MAXMSG];

	return mk(first, chain, unhex(hex, chain, sizeof(chain)));
}

static int
check(const char *what, int got, int want)
{
	if (got != want)
		fprintf(stderr, "%s: got %s, want %s\n", what,
		    ike_err_name(got), ike_err_name(want));
	return got == want;
}

/* ------------------------------------------------------------------ */
/* The IKE header                                                       */

static void
test_header(void)
{
	size_t	 len, i;
	int	 rc;

	len = mkhex(IKE_PLD_VENDOR, "00 00 00 05 aa");
	CU_ASSERT_EQUAL_FATAL(ike_decode(msg, len, &m), 0);
	/* RFC 7296 3.1: every length 0..27 is a short header. */
	for (i = 0; i < IKE_HDR_LEN; i++)
		CU_ASSERT(check("truncated header", ike_decode(msg, i, &m),
		    IKE_E_SHORT_HDR));
	CU_ASSERT(check("NULL", ike_decode(NULL, 0, &m), IKE_E_SHORT_HDR));
	/* Length field past the buffer, short of it, absurd. */
	put_be32(msg + 24, (uint32_t)len + 1);
	CU_ASSERT(check("length > buffer", ike_decode(msg, len, &m),
	    IKE_E_LEN_MISMATCH));
	put_be32(msg + 24, (uint32_t)len - 1);
	CU_ASSERT(check("length < buffer", ike_decode(msg, len, &m),
	    IKE_E_LEN_MISMATCH));
	put_be32(msg + 24, 0);
	CU_ASSERT(check("length 0", ike_decode(msg, len, &m),
	    IKE_E_LEN_MISMATCH));
	put_be32(msg + 24, 0xffffffff);
	CU_ASSERT(check("length 2^32-1", ike_decode(msg, len, &m),
	    IKE_E_LEN_MISMATCH));
	put_be32(msg + 24, (uint32_t)len);
	/* Trailing garbage in the datagram: the header length says less. */
	CU_ASSERT(check("datagram longer", ike_decode(msg, len + 3, &m),
	    IKE_E_LEN_MISMATCH));

	/* RFC 7296 2.5: major > 2 answers INVALID_MAJOR_VERSION. */
	msg[17] = 0x30;
	rc = ike_decode(msg, len, &m);
	CU_ASSERT(check("major 3", rc, IKE_E_BAD_VERSION));
	CU_ASSERT_EQUAL(ike_err_notify(rc), IKE_N_INVALID_MAJOR_VERSION);
	CU_ASSERT_EQUAL(m.hdr.ispi, 0x0011223344556677ULL);
	CU_ASSERT_EQUAL(m.hdr.msgid, 2);
	msg[17] = 0xf0;
	CU_ASSERT(check("major 15", ike_decode(msg, len, &m),
	    IKE_E_BAD_VERSION));
	msg[17] = 0x10;
	rc = ike_decode(msg, len, &m);
	CU_ASSERT(check("IKEv1", rc, IKE_E_OLD_VERSION));
	CU_ASSERT_EQUAL(ike_err_notify(rc), 0);
	msg[17] = 0x2f;			/* minor version: ignored */
	CU_ASSERT(check("minor 15", ike_decode(msg, len, &m), 0));
	msg[17] = 0x20;
	msg[19] = 0xff;			/* reserved flag bits: ignored, kept */
	CU_ASSERT(check("flags", ike_decode(msg, len, &m), 0));
	CU_ASSERT_EQUAL(m.hdr.flags, 0xff);
	/* The header alone decodes on its own, for SPI demultiplexing. */
	CU_ASSERT_EQUAL(ike_hdr_decode(msg, len, &m.hdr), 0);
	CU_ASSERT_EQUAL(m.hdr.rspi, 0x8899aabbccddeeffULL);
}

/* ------------------------------------------------------------------ */
/* The payload chain                                                    */

static const struct chain_case {
	const char	*name;
	uint8_t		 first;
	const char	*hex;
	int		 want;
} chain_cases[] = {
	{ "payload length 0", IKE_PLD_VENDOR, "00 00 00 00",
	    IKE_E_PLD_SHORT },
	{ "payload length 3", IKE_PLD_VENDOR, "00 00 00 03 aa",
	    IKE_E_PLD_SHORT },
	{ "second payload length 0", IKE_PLD_VENDOR,
	    "2b 00 00 04 00 00 00 00", IKE_E_PLD_SHORT },
	{ "payload past the message", IKE_PLD_VENDOR, "00 00 00 10 aa bb",
	    IKE_E_PLD_PAST_END },
	{ "payload length 65535", IKE_PLD_NONCE, "00 00 ff ff 01 02 03 04",
	    IKE_E_PLD_PAST_END },
	{ "generic header cut", IKE_PLD_VENDOR, "00 00",
	    IKE_E_PLD_PAST_END },
	{ "next payload, no bytes", IKE_PLD_VENDOR, "29 00 00 04",
	    IKE_E_PLD_PAST_END },
	{ "next payload, 3 bytes", IKE_PLD_VENDOR, "29 00 00 04 00 00 00",
	    IKE_E_PLD_PAST_END },
	{ "first payload, no bytes", IKE_PLD_SA, "", IKE_E_PLD_PAST_END },
	{ "trailing bytes", IKE_PLD_VENDOR, "00 00 00 04 ff ff",
	    IKE_E_TRAILING },
	{ "no payload, trailing", IKE_PLD_NONE, "00", IKE_E_TRAILING },
	{ "no payload", IKE_PLD_NONE, "", 0 },
	{ "unknown critical", 99, "00 80 00 04", IKE_E_UNSUP_CRITICAL },
	{ "unknown critical, later", IKE_PLD_VENDOR,
	    "fe 00 00 04 00 80 00 06 aa bb", IKE_E_UNSUP_CRITICAL },
	{ "unknown critical after unknown", 99, "fe 00 00 04 00 ff 00 04",
	    IKE_E_UNSUP_CRITICAL },
	{ "unknown non-critical", 99, "00 7f 00 06 aa bb", 0 },
	{ "known, critical + reserved bits set", IKE_PLD_VENDOR,
	    "00 ff 00 05 aa", 0 },
	{ "SK with trailing bytes", IKE_PLD_SK, "23 00 00 08 aa bb cc dd ee",
	    IKE_E_SK_NOT_LAST },
	{ "SK before another payload", IKE_PLD_SK,
	    "2b 00 00 08 aa bb cc dd 00 00 00 04", IKE_E_SK_NOT_LAST },
	{ "SKF before another payload", IKE_PLD_SKF,
	    "00 00 00 0c 00 01 00 01 aa bb cc dd 00 00 00 04",
	    IKE_E_SK_NOT_LAST },
	{ "SK after a payload, last", IKE_PLD_NOTIFY,
	    "2e 00 00 08 00 00 40 00 23 00 00 06 aa bb", 0 },
	{ "SK empty body", IKE_PLD_SK, "00 00 00 04", 0 },
	{ "SKF number 0", IKE_PLD_SKF, "23 00 00 0c 00 00 00 02 aa bb cc dd",
	    IKE_E_SKF_NUM },
	{ "SKF total 0", IKE_PLD_SKF, "23 00 00 0c 00 01 00 00 aa bb cc dd",
	    IKE_E_SKF_NUM },
	{ "SKF number > total", IKE_PLD_SKF,
	    "00 00 00 0c 00 03 00 02 aa bb cc dd", IKE_E_SKF_NUM },
	{ "SKF 0 of 0", IKE_PLD_SKF, "00 00 00 08 00 00 00 00",
	    IKE_E_SKF_NUM },
	{ "SKF without fragment header", IKE_PLD_SKF, "00 00 00 06 00 01",
	    IKE_E_BODY_SHORT },
	{ "SKF 2 of 2", IKE_PLD_SKF, "00 00 00 0c 00 02 00 02 aa bb cc dd",
	    0 },
	{ "SKF 65535 of 65535", IKE_PLD_SKF, "00 00 00 08 ff ff ff ff", 0 },
};

static void
test_chain_table(void)
{
	size_t	 i, len;

	for (i = 0; i < nitems(chain_cases); i++) {
		len = mkhex(chain_cases[i].first, chain_cases[i].hex);
		CU_ASSERT(check(chain_cases[i].name, ike_decode(msg, len, &m),
		    chain_cases[i].want));
	}
	/* Details of a few. */
	len = mkhex(99, "00 80 00 04");
	CU_ASSERT_EQUAL(ike_decode(msg, len, &m), IKE_E_UNSUP_CRITICAL);
	CU_ASSERT_EQUAL(m.ch.unsup_type, 99);
	CU_ASSERT_EQUAL(ike_err_notify(IKE_E_UNSUP_CRITICAL),
	    IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD);
	len = mkhex(IKE_PLD_VENDOR, "fe 00 00 04 00 80 00 06 aa bb");
	CU_ASSERT_EQUAL(ike_decode(msg, len, &m), IKE_E_UNSUP_CRITICAL);
	CU_ASSERT_EQUAL(m.ch.unsup_type, 0xfe);
	len = mkhex(99, "2b 7f 00 06 aa bb 00 00 00 05 cc");
	CU_ASSERT_EQUAL_FATAL(ike_decode(msg, len, &m), 0);
	CU_ASSERT_EQUAL(m.ch.n, 2);		/* kept for re-encoding */
	CU_ASSERT_EQUAL(m.ch.nunknown, 1);	/* counted */
	CU_ASSERT_PTR_NULL(ike_chain_find(&m.ch, 99, NULL));	/* skipped */
	CU_ASSERT_PTR_NOT_NULL(ike_chain_find(&m.ch, IKE_PLD_VENDOR, NULL));
	CU_ASSERT_EQUAL(ike_chain_count(&m.ch, 99), 0);
	len = mkhex(IKE_PLD_VENDOR, "00 ff 00 05 aa");
	CU_ASSERT_EQUAL_FATAL(ike_decode(msg, len, &m), 0);
	CU_ASSERT_EQUAL(m.ch.pld[0].flags, 0xff);
	CU_ASSERT_EQUAL(m.ch.nunknown, 0);
	len = mkhex(IKE_PLD_NOTIFY,
	    "2e 00 00 08 00 00 40 00 23 00 00 06 aa bb");
	CU_ASSERT_EQUAL_FATAL(ike_decode(msg, len, &m), 0);
	CU_ASSERT(m.sk.present);
	CU_ASSERT_EQUAL(m.sk.hdr_off, 36);
	CU_ASSERT_EQUAL(m.sk.body_len, 2);
	CU_ASSERT_EQUAL(m.sk.first, IKE_PLD_IDI);
}

/* Zero-progress and endless chains: bounded by IKE_MAX_PAYLOADS. */
static void
test_chain_caps(void)
{
	uint8_t	 chain[4 * (IKE_MAX_PAYLOADS + 8)];
	size_t	 i, n, len;

	/* n Vendor ID payloads of length 4, each naming the next. */
	for (n = IKE_MAX_PAYLOADS - 1; n <= IKE_MAX_PAYLOADS + 2; n++) {
		for (i = 0; i < n; i++) {
			chain[4 * i] = i + 1 < n ? IKE_PLD_VENDOR : 0;
			chain[4 * i + 1] = 0;
			put_be16(chain + 4 * i + 2, 4);
		}
		len = mk(IKE_PLD_VENDOR, chain, 4 * n);
		CU_ASSERT(check("chain of n", ike_decode(msg, len, &m),
		    n <= IKE_MAX_PAYLOADS ? 0 : IKE_E_CHAIN_TOO_LONG));
		CU_ASSERT(check("inner chain of n", ike_decode_inner(chain,
		    4 * n, IKE_PLD_VENDOR, &m.ch), n <= IKE_MAX_PAYLOADS ? 0 :
		    IKE_E_CHAIN_TOO_LONG));
	}
	/* A "loop": every payload names itself, the chain never ends. */
	for (i = 0; i < nitems(chain) / 4; i++) {
		chain[4 * i] = IKE_PLD_NOTIFY;
		chain[4 * i + 1] = 0;
		put_be16(chain + 4 * i + 2, 4);
	}
	len = mk(IKE_PLD_NOTIFY, chain, sizeof(chain));
	CU_ASSERT(check("self loop", ike_decode(msg, len, &m),
	    IKE_E_CHAIN_TOO_LONG));
	len = mk(IKE_PLD_NOTIFY, chain, 4 * 10);
	CU_ASSERT(check("loop to the end", ike_decode(msg, len, &m),
	    IKE_E_PLD_PAST_END));
	/* Inner chains: SK inside SK. */
	n = unhex("00 00 00 08 aa bb cc dd", chain, sizeof(chain));
	CU_ASSERT(check("SK in SK", ike_decode_inner(chain, n, IKE_PLD_SK,
	    &m.ch), IKE_E_SK_NESTED));
	CU_ASSERT(check("SKF in SK", ike_decode_inner(chain, n, IKE_PLD_SKF,
	    &m.ch), IKE_E_SK_NESTED));
	CU_ASSERT(check("empty inner", ike_decode_inner(NULL, 0,
	    IKE_PLD_NONE, &m.ch), 0));
	CU_ASSERT(check("inner cut", ike_decode_inner(chain, 2,
	    IKE_PLD_NONCE, &m.ch), IKE_E_PLD_PAST_END));
}

/* ------------------------------------------------------------------ */
/* Payload bodies                                                       */

static int
dec_sa(const uint8_t *b, size_t n)
{
	struct ike_sa_pld	 sa;
	struct ike_sa_iter	 it;
	static struct ike_prop	 p;
	int			 rc;

	if ((rc = ike_pld_sa_decode(b, n, &sa)) != 0)
		return rc;
	/* Validated: the iterator walks it all without failing. */
	ike_pld_sa_iter(&sa, &it);
	while (ike_pld_sa_next(&it, &p))
		;
	return it.r.bad ? -999 : 0;
}

static int
dec_ke(const uint8_t *b, size_t n)
{
	struct ike_ke_pld	 v;

	return ike_pld_ke_decode(b, n, &v);
}

static int
dec_id(const uint8_t *b, size_t n)
{
	struct ike_id	 v;

	return ike_pld_id_decode(b, n, &v);
}

static int
dec_cert(const uint8_t *b, size_t n)
{
	struct ike_cert	 v;

	return ike_pld_cert_decode(b, n, &v);
}

static int
dec_certreq(const uint8_t *b, size_t n)
{
	struct ike_cert	 v;

	return ike_pld_certreq_decode(b, n, &v);
}

static int
dec_auth(const uint8_t *b, size_t n)
{
	struct ike_auth	 v;

	return ike_pld_auth_decode(b, n, &v);
}

static int
dec_nonce(const uint8_t *b, size_t n)
{
	struct ike_blob	 v;

	return ike_pld_nonce_decode(b, n, &v);
}

static int
dec_notify(const uint8_t *b, size_t n)
{
	struct ike_notify_pld	 v;

	return ike_pld_notify_decode(b, n, &v);
}

static int
dec_delete(const uint8_t *b, size_t n)
{
	struct ike_delete	 v;

	return ike_pld_delete_decode(b, n, &v);
}

static int
dec_ts(const uint8_t *b, size_t n)
{
	static struct ike_ts_pld v;

	return ike_pld_ts_decode(b, n, &v);
}

static int
dec_cp(const uint8_t *b, size_t n)
{
	static struct ike_cp	 v;

	return ike_pld_cp_decode(b, n, &v);
}

static int
dec_eap(const uint8_t *b, size_t n)
{
	struct ike_eap	 v;

	return ike_pld_eap_decode(b, n, &v);
}

static const struct body_case {
	const char	*name;
	int		(*dec)(const uint8_t *, size_t);
	const char	*hex;
	int		 want;
} body_cases[] = {
	/* SA: proposals against the SA payload */
	{ "SA empty", dec_sa, "", IKE_E_SA_EMPTY },
	{ "proposal header cut", dec_sa, "00 00 00", IKE_E_PROP_PAST_SA },
	{ "proposal length 7", dec_sa, "00 00 00 07 01 01 00 01",
	    IKE_E_PROP_LEN },
	{ "proposal past SA", dec_sa,
	    "00 00 00 30 01 01 00 01 00 00 00 08 01 00 00 0c",
	    IKE_E_PROP_PAST_SA },
	{ "2nd proposal past SA", dec_sa,
	    "02 00 00 10 01 01 00 01 00 00 00 08 01 00 00 0c"
	    "00 00 00 10 02 01 00 01 00 00 00 08",
	    IKE_E_PROP_PAST_SA },
	{ "SPI past proposal", dec_sa, "00 00 00 0a 01 03 04 01 c1 00",
	    IKE_E_PROP_LEN },
	/* transforms against their proposal */
	{ "transform past proposal", dec_sa,
	    "00 00 00 10 01 01 00 01 00 00 00 0c 01 00 00 0c",
	    IKE_E_XFORM_PAST_PROP },
	{ "transform header cut", dec_sa,
	    "00 00 00 0c 01 01 00 01 00 00 00 08", IKE_E_XFORM_PAST_PROP },
	{ "transform length 7", dec_sa,
	    "00 00 00 10 01 01 00 01 00 00 00 07 01 00 00 0c",
	    IKE_E_XFORM_LEN },
	{ "transform length 0", dec_sa,
	    "00 00 00 10 01 01 00 01 00 00 00 00 01 00 00 0c",
	    IKE_E_XFORM_LEN },
	/* attributes against their transform */
	{ "attribute past transform", dec_sa,
	    "00 00 00 14 01 01 00 01 00 00 00 0c 01 00 00 0c 00 05 00 08",
	    IKE_E_ATTR_PAST_XFORM },
	{ "attribute header cut", dec_sa,
	    "00 00 00 12 01 01 00 01 00 00 00 0a 01 00 00 0c 80 0e",
	    IKE_E_ATTR_PAST_XFORM },
	{ "TLV attribute fits", dec_sa,
	    "00 00 00 16 01 01 00 01 00 00 00 0e 01 00 00 0c 00 05 00 02 aa bb",
	    0 },
	{ "Key Length as TLV", dec_sa,
	    "00 00 00 16 01 01 00 01 00 00 00 0e 01 00 00 0c 00 0e 00 02 01 00",
	    IKE_E_BAD_KEYLEN },
	{ "Key Length twice", dec_sa,
	    "00 00 00 18 01 01 00 01 00 00 00 10 01 00 00 0c"
	    "80 0e 00 80 80 0e 01 00", IKE_E_BAD_KEYLEN },
	{ "Key Length 0", dec_sa,
	    "00 00 00 14 01 01 00 01 00 00 00 0c 01 00 00 0c 80 0e 00 00",
	    IKE_E_BAD_KEYLEN },
	/* markers, counts, numbering, SPI sizes */
	{ "lone proposal says more", dec_sa,
	    "02 00 00 10 01 01 00 01 00 00 00 08 01 00 00 0c",
	    IKE_E_PROP_LAST },
	{ "first of two says last", dec_sa,
	    "00 00 00 10 01 01 00 01 00 00 00 08 01 00 00 0c"
	    "00 00 00 10 02 01 00 01 00 00 00 08 01 00 00 0c",
	    IKE_E_PROP_LAST },
	{ "proposal last = 1", dec_sa,
	    "01 00 00 10 01 01 00 01 00 00 00 08 01 00 00 0c",
	    IKE_E_PROP_LAST },
	{ "lone transform says more", dec_sa,
	    "00 00 00 10 01 01 00 01 03 00 00 08 01 00 00 0c",
	    IKE_E_XFORM_LAST },
	{ "first of two transforms says last", dec_sa,
	    "00 00 00 18 01 01 00 02 00 00 00 08 01 00 00 0c"
	    "00 00 00 08 02 00 00 05", IKE_E_XFORM_LAST },
	{ "count 2, one transform", dec_sa,
	    "00 00 00 10 01 01 00 02 03 00 00 08 01 00 00 0c",
	    IKE_E_XFORM_COUNT },
	{ "count 1, bytes left", dec_sa,
	    "00 00 00 14 01 01 00 01 00 00 00 08 01 00 00 0c 00 00 00 00",
	    IKE_E_XFORM_COUNT },
	{ "count 255, 1 transform", dec_sa,
	    "00 00 00 10 01 01 00 ff 00 00 00 08 01 00 00 0c",
	    IKE_E_TOO_MANY_XFORMS },
	{ "no transforms", dec_sa, "00 00 00 08 01 01 00 00",
	    IKE_E_NO_XFORMS },
	{ "numbering 1, 3", dec_sa,
	    "02 00 00 10 01 01 00 01 00 00 00 08 01 00 00 0c"
	    "00 00 00 10 03 01 00 01 00 00 00 08 01 00 00 0c",
	    IKE_E_PROP_NUM },
	{ "numbering 1, 1", dec_sa,
	    "02 00 00 10 01 01 00 01 00 00 00 08 01 00 00 0c"
	    "00 00 00 10 01 01 00 01 00 00 00 08 01 00 00 0c",
	    IKE_E_PROP_NUM },
	{ "numbering 255, 0", dec_sa,
	    "02 00 00 10 ff 01 00 01 00 00 00 08 01 00 00 0c"
	    "00 00 00 10 00 01 00 01 00 00 00 08 01 00 00 0c",
	    IKE_E_PROP_NUM },
	{ "response numbered 5", dec_sa,
	    "00 00 00 10 05 01 00 01 00 00 00 08 01 00 00 0c", 0 },
	{ "ESP without SPI", dec_sa,
	    "00 00 00 10 01 03 00 01 00 00 00 08 01 00 00 0c",
	    IKE_E_BAD_SPI_SIZE },
	{ "ESP SPI 8", dec_sa,
	    "00 00 00 18 01 03 08 01 01 02 03 04 05 06 07 08"
	    "00 00 00 08 01 00 00 0c", IKE_E_BAD_SPI_SIZE },
	{ "AH SPI 2", dec_sa,
	    "00 00 00 12 01 02 02 01 01 02 00 00 00 08 03 00 00 0c",
	    IKE_E_BAD_SPI_SIZE },
	{ "IKE SPI 4", dec_sa,
	    "00 00 00 14 01 01 04 01 01 02 03 04 00 00 00 08 01 00 00 0c",
	    IKE_E_BAD_SPI_SIZE },
	{ "IKE SPI 8 (rekey)", dec_sa,
	    "00 00 00 18 01 01 08 01 01 02 03 04 05 06 07 08"
	    "00 00 00 08 01 00 00 0c", 0 },
	{ "unknown protocol, SPI 9", dec_sa,
	    "00 00 00 19 01 09 09 01 01 02 03 04 05 06 07 08 09"
	    "00 00 00 08 01 00 00 0c", IKE_E_BAD_SPI_SIZE },
	{ "unknown protocol, SPI 2", dec_sa,
	    "00 00 00 12 01 09 02 01 01 02 00 00 00 08 01 00 00 0c", 0 },

	/* KE, ID, CERT, CERTREQ, AUTH, Nonce */
	{ "KE 3 bytes", dec_ke, "00 13 00", IKE_E_BODY_SHORT },
	{ "KE no data", dec_ke, "00 13 00 00", 0 },
	{ "ID 3 bytes", dec_id, "01 00 00", IKE_E_BODY_SHORT },
	{ "ID IPv4 3 bytes", dec_id, "01 00 00 00 c0 00 02", IKE_E_ID_LEN },
	{ "ID IPv4 5 bytes", dec_id, "01 00 00 00 c0 00 02 01 01",
	    IKE_E_ID_LEN },
	{ "ID IPv6 15 bytes", dec_id,
	    "05 00 00 00 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00",
	    IKE_E_ID_LEN },
	{ "ID IPv6 4 bytes", dec_id, "05 00 00 00 c0 00 02 01",
	    IKE_E_ID_LEN },
	{ "ID FQDN empty", dec_id, "02 00 00 00", IKE_E_ID_LEN },
	{ "ID RFC822 empty", dec_id, "03 00 00 00", IKE_E_ID_LEN },
	{ "ID DN empty", dec_id, "09 00 00 00", IKE_E_ID_LEN },
	{ "ID KEY_ID empty", dec_id, "0b 00 00 00", IKE_E_ID_LEN },
	{ "ID unknown type empty", dec_id, "c8 00 00 00", 0 },
	{ "CERT empty", dec_cert, "", IKE_E_BODY_SHORT },
	{ "CERTREQ empty", dec_certreq, "", IKE_E_BODY_SHORT },
	{ "CERTREQ 21 bytes of hashes", dec_certreq,
	    "04 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13 14",
	    IKE_E_CERTREQ_LEN },
	{ "CERTREQ other encoding, 3", dec_certreq, "0c 01 02 03", 0 },
	{ "AUTH 3 bytes", dec_auth, "02 00 00", IKE_E_BODY_SHORT },
	{ "AUTH no data", dec_auth, "02 00 00 00", IKE_E_AUTH_LEN },
	{ "AUTH 7427 algid length 0", dec_auth, "0e 00 00 00 00 aa",
	    IKE_E_AUTH_LEN },
	{ "AUTH 7427 no signature", dec_auth,
	    "0e 00 00 00 05 01 02 03 04 05", IKE_E_AUTH_LEN },
	{ "AUTH 7427 algid past end", dec_auth, "0e 00 00 00 09 01 02",
	    IKE_E_AUTH_LEN },
	{ "Nonce 0", dec_nonce, "", IKE_E_NONCE_LEN },
	{ "Nonce 15", dec_nonce, "00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e",
	    IKE_E_NONCE_LEN },
	{ "Nonce 16", dec_nonce,
	    "00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f", 0 },

	/* Notify */
	{ "N 3 bytes", dec_notify, "00 00 40", IKE_E_BODY_SHORT },
	{ "N SPI size 3", dec_notify, "03 03 00 0b 01 02 03", IKE_E_N_SPI },
	{ "N SPI size 255", dec_notify, "03 ff 00 0b 01 02 03", IKE_E_N_SPI },
	{ "N SPI 8 past body", dec_notify, "01 08 00 0b 01 02 03 04",
	    IKE_E_BODY_SHORT },
	{ "N SPI 4", dec_notify, "03 04 00 0b 01 02 03 04", 0 },

	/* Delete */
	{ "D 3 bytes", dec_delete, "03 04 00", IKE_E_BODY_SHORT },
	{ "D count 3, 2 SPIs", dec_delete,
	    "03 04 00 03 c1 00 00 01 c1 00 00 02", IKE_E_DEL_COUNT },
	{ "D count 1, 5 bytes", dec_delete, "03 04 00 01 c1 00 00 01 ff",
	    IKE_E_DEL_COUNT },
	{ "D count 65535, 1 SPI", dec_delete, "03 04 ff ff c1 00 00 01",
	    IKE_E_DEL_COUNT },
	{ "D count 0, 1 SPI", dec_delete, "03 04 00 00 c1 00 00 01",
	    IKE_E_DEL_COUNT },
	{ "D IKE with SPI size 8", dec_delete,
	    "01 08 00 01 01 02 03 04 05 06 07 08", IKE_E_DEL_PROTO },
	{ "D IKE count 1", dec_delete, "01 00 00 01", IKE_E_DEL_COUNT },
	{ "D IKE trailing", dec_delete, "01 00 00 00 00", IKE_E_DEL_COUNT },
	{ "D ESP SPI size 8", dec_delete,
	    "03 08 00 01 01 02 03 04 05 06 07 08", IKE_E_DEL_PROTO },
	{ "D protocol 7", dec_delete, "07 04 00 01 c1 00 00 01",
	    IKE_E_DEL_PROTO },
	{ "D AH 1 SPI", dec_delete, "02 04 00 01 c1 00 00 01", 0 },

	/* TSi / TSr */
	{ "TS 3 bytes", dec_ts, "01 00 00", IKE_E_BODY_SHORT },
	{ "TS count 0", dec_ts, "00 00 00 00", IKE_E_TS_COUNT },
	{ "TS count 17", dec_ts, "11 00 00 00 07 00 00 10 00 00 ff ff"
	    "c0 00 02 00 c0 00 02 ff", IKE_E_TOO_MANY_TS },
	{ "TS count 255", dec_ts, "ff 00 00 00", IKE_E_TOO_MANY_TS },
	{ "TS count 2, one selector", dec_ts,
	    "02 00 00 00 07 00 00 10 00 00 ff ff c0 00 02 00 c0 00 02 ff",
	    IKE_E_TS_COUNT },
	{ "TS count 1, bytes left", dec_ts,
	    "01 00 00 00 07 00 00 10 00 00 ff ff c0 00 02 00 c0 00 02 ff 00",
	    IKE_E_TS_COUNT },
	{ "TS v4 length 15", dec_ts,
	    "01 00 00 00 07 00 00 0f 00 00 ff ff c0 00 02 00 c0 00 02",
	    IKE_E_TS_LEN },
	{ "TS v4 length 3", dec_ts, "01 00 00 00 07 00 00 03",
	    IKE_E_TS_LEN },
	{ "TS v6 length 16", dec_ts,
	    "01 00 00 00 08 00 00 10 00 00 ff ff c0 00 02 00 c0 00 02 ff",
	    IKE_E_TS_LEN },
	{ "TS selector past payload", dec_ts,
	    "01 00 00 00 07 00 00 10 00 00 ff ff c0 00", IKE_E_TS_PAST_END },
	{ "TS selector header cut", dec_ts,
	    "02 00 00 00 07 00 00 10 00 00 ff ff c0 00 02 00 c0 00 02 ff 07 00",
	    IKE_E_TS_PAST_END },
	{ "TS inverted range (syntax ok)", dec_ts,
	    "01 00 00 00 07 00 00 10 ff ff 00 00 c0 00 02 ff c0 00 02 00", 0 },

	/* CP */
	{ "CP 3 bytes", dec_cp, "01 00 00", IKE_E_BODY_SHORT },
	{ "CP attribute past payload", dec_cp,
	    "01 00 00 00 00 01 00 04 c0 00", IKE_E_CP_ATTR_LEN },
	{ "CP attribute header cut", dec_cp, "01 00 00 00 00 01",
	    IKE_E_CP_ATTR_LEN },
	{ "CP no attributes", dec_cp, "02 00 00 00", 0 },

	/* EAP */
	{ "EAP 3 bytes", dec_eap, "01 01 00", IKE_E_BODY_SHORT },
	{ "EAP length 9, body 10", dec_eap,
	    "01 01 00 09 01 61 62 63 64 65", IKE_E_EAP_LEN },
	{ "EAP length 11, body 10", dec_eap,
	    "01 01 00 0b 01 61 62 63 64 65", IKE_E_EAP_LEN },
	{ "EAP code 5", dec_eap, "05 01 00 04", IKE_E_EAP_CODE },
	{ "EAP code 0", dec_eap, "00 01 00 04", IKE_E_EAP_CODE },
	{ "EAP success with data", dec_eap, "03 01 00 05 00", IKE_E_EAP_LEN },
	{ "EAP request without type", dec_eap, "01 01 00 04", IKE_E_EAP_LEN },
	{ "EAP failure", dec_eap, "04 01 00 04", 0 },
};

static void
test_body_table(void)
{
	uint8_t	 b[1024];
	size_t	 i, n;

	for (i = 0; i < nitems(body_cases); i++) {
		n = unhex(body_cases[i].hex, b, sizeof(b));
		CU_ASSERT(check(body_cases[i].name, body_cases[i].dec(b, n),
		    body_cases[i].want));
	}
}

/* Counts at and one past every cap. */
static void
test_caps(void)
{
	static uint8_t	 b[65536];
	struct wr	 w;
	size_t		 i, n, off;

	/* Proposals: IKE_MAX_PROPOSALS fit, one more does not. */
	for (n = IKE_MAX_PROPOSALS; n <= IKE_MAX_PROPOSALS + 1; n++) {
		wr_init(&w, b, sizeof(b));
		for (i = 0; i < n; i++) {
			wr_u8(&w, i + 1 < n ? 2 : 0);
			wr_u8(&w, 0);
			wr_be16(&w, 16);
			wr_u8(&w, (uint8_t)(i + 1));
			wr_u8(&w, IKE_PROTO_IKE);
			wr_u8(&w, 0);
			wr_u8(&w, 1);
			wr_be32(&w, 0x00000008);
			wr_be32(&w, 0x0100000c);
		}
		CU_ASSERT(check("proposals", dec_sa(b, w.len),
		    n <= IKE_MAX_PROPOSALS ? 0 : IKE_E_TOO_MANY_PROPOSALS));
	}
	/* Transforms per proposal. */
	for (n = IKE_MAX_XFORMS; n <= IKE_MAX_XFORMS + 1; n++) {
		wr_init(&w, b, sizeof(b));
		wr_be32(&w, (uint32_t)(8 + 8 * n));
		wr_u8(&w, 1);
		wr_u8(&w, IKE_PROTO_IKE);
		wr_u8(&w, 0);
		wr_u8(&w, (uint8_t)n);
		for (i = 0; i < n; i++) {
			wr_u8(&w, i + 1 < n ? 3 : 0);
			wr_u8(&w, 0);
			wr_be16(&w, 8);
			wr_be32(&w, 0x04000000 | (uint32_t)(i + 1));
		}
		CU_ASSERT(check("transforms", dec_sa(b, w.len),
		    n <= IKE_MAX_XFORMS ? 0 : IKE_E_TOO_MANY_XFORMS));
	}
	/* Attributes per transform. */
	for (n = IKE_MAX_ATTRS; n <= IKE_MAX_ATTRS + 1; n++) {
		wr_init(&w, b, sizeof(b));
		wr_be32(&w, (uint32_t)(16 + 4 * n));
		wr_be32(&w, 0x01010001);
		wr_be16(&w, 0);
		wr_be16(&w, (uint16_t)(8 + 4 * n));
		wr_be32(&w, 0x01000017);
		for (i = 0; i < n; i++)
			wr_be32(&w, 0x80170000 | (uint32_t)i);
		CU_ASSERT(check("attributes", dec_sa(b, w.len),
		    n <= IKE_MAX_ATTRS ? 0 : IKE_E_TOO_MANY_ATTRS));
	}
	/* Traffic selectors. */
	for (n = IKE_MAX_TS; n <= IKE_MAX_TS + 1; n++) {
		wr_init(&w, b, sizeof(b));
		wr_be32(&w, (uint32_t)n << 24);
		for (i = 0; i < n; i++) {
			wr_be32(&w, 0x07000010);
			wr_be32(&w, 0x0000ffff);
			wr_be32(&w, 0xc0000200);
			wr_be32(&w, 0xc00002ff);
		}
		CU_ASSERT(check("selectors", dec_ts(b, w.len),
		    n <= IKE_MAX_TS ? 0 : IKE_E_TOO_MANY_TS));
	}
	/* CP attributes. */
	for (n = IKE_MAX_CP_ATTRS; n <= IKE_MAX_CP_ATTRS + 1; n++) {
		wr_init(&w, b, sizeof(b));
		wr_be32(&w, 0x01000000);
		for (i = 0; i < n; i++)
			wr_be32(&w, 0x00030000);
		CU_ASSERT(check("CP attributes", dec_cp(b, w.len),
		    n <= IKE_MAX_CP_ATTRS ? 0 : IKE_E_TOO_MANY_CP_ATTRS));
	}
	/* A huge Delete is fine when the count matches (nothing stored). */
	wr_init(&w, b, sizeof(b));
	wr_be32(&w, 0x03043fff);
	for (i = 0; i < 0x3fff; i++)
		wr_be32(&w, (uint32_t)i);
	CU_ASSERT(check("delete 16383 SPIs", dec_delete(b, w.len), 0));
	/* 10000 attributes in one (length-consistent) transform. */
	n = 10000;
	wr_init(&w, b, sizeof(b));
	wr_be32(&w, (uint32_t)(16 + 6 * n));
	wr_be32(&w, 0x01010001);
	wr_be16(&w, 0);
	wr_be16(&w, (uint16_t)(8 + 6 * n));
	wr_be32(&w, 0x01000017);
	for (i = 0; i < n; i++) {
		wr_be16(&w, 0x0017);
		wr_be16(&w, 2);
		wr_be16(&w, 0);
	}
	off = w.len;
	CU_ASSERT_EQUAL(off, 16 + 6 * n);
	CU_ASSERT(check("attribute bytes cap", dec_sa(b, w.len),
	    IKE_E_TOO_MANY_ATTRS));
}

/* Typed notify data: sizes, types, SPIs. */
static void
test_notify_data(void)
{
	struct ike_notify_pld	 n;
	struct ike_n_hash_algs	 ha;
	struct ike_n_mid_sync	 ms;
	struct ike_n_replay_sync rs;
	struct ike_blob		 c;
	const uint8_t		*h;
	uint8_t			 d[64], proto;
	uint16_t		 g;
	uint32_t		 spi;
	size_t			 i;

	memset(d, 0xab, sizeof(d));
	memset(&n, 0, sizeof(n));
	n.data = d;
	n.type = IKE_N_NAT_DETECTION_SOURCE_IP;
	for (i = 0; i <= 40; i++) {
		n.len = i;
		CU_ASSERT(check("NATD", ike_n_natd_decode(&n, &h),
		    i == 20 ? 0 : IKE_E_N_DATA_LEN));
	}
	n.type = IKE_N_COOKIE;
	CU_ASSERT(check("NATD type", ike_n_natd_decode(&n, &h),
	    IKE_E_N_TYPE));
	for (i = 0; i <= 64; i++) {
		n.len = i;
		CU_ASSERT(check("COOKIE", ike_n_cookie_decode(&n, &c),
		    i >= 1 && i <= 64 ? 0 : IKE_E_N_DATA_LEN));
	}
	n.len = 65;
	CU_ASSERT(check("COOKIE 65", ike_n_cookie_decode(&n, &c),
	    IKE_E_N_DATA_LEN));
	n.type = IKE_N_INVALID_KE_PAYLOAD;
	for (i = 0; i <= 4; i++) {
		n.len = i;
		CU_ASSERT(check("INVALID_KE", ike_n_invalid_ke_decode(&n, &g),
		    i == 2 ? 0 : IKE_E_N_DATA_LEN));
	}
	n.type = IKE_N_REKEY_SA;
	n.len = 0;
	CU_ASSERT(check("REKEY_SA no SPI", ike_n_rekey_sa_decode(&n, &proto,
	    &spi), IKE_E_N_SPI));
	n.spi_size = 4;
	n.spi = d;
	n.proto = IKE_PROTO_IKE;
	CU_ASSERT(check("REKEY_SA IKE", ike_n_rekey_sa_decode(&n, &proto,
	    &spi), IKE_E_N_SPI));
	n.proto = IKE_PROTO_AH;
	n.len = 1;
	CU_ASSERT(check("REKEY_SA data", ike_n_rekey_sa_decode(&n, &proto,
	    &spi), IKE_E_N_DATA_LEN));
	n.len = 0;
	CU_ASSERT(check("REKEY_SA AH", ike_n_rekey_sa_decode(&n, &proto,
	    &spi), 0));
	CU_ASSERT_EQUAL(spi, 0xabababab);
	n.spi_size = 0;
	n.type = IKE_N_SIGNATURE_HASH_ALGORITHMS;
	for (i = 0; i <= 2 * IKE_MAX_HASH_ALGS + 2; i++) {
		n.len = i;
		CU_ASSERT(check("hash algs", ike_n_hash_algs_decode(&n, &ha),
		    i == 0 || i % 2 ? IKE_E_N_DATA_LEN :
		    i > 2 * IKE_MAX_HASH_ALGS ? IKE_E_TOO_MANY_ALGS : 0));
	}
	n.type = IKE_N_IKEV2_MESSAGE_ID_SYNC;
	for (i = 0; i <= 16; i++) {
		n.len = i;
		CU_ASSERT(check("MID sync", ike_n_mid_sync_decode(&n, &ms),
		    i == 12 ? 0 : IKE_E_N_DATA_LEN));
	}
	CU_ASSERT(check("MID sync type", ike_n_replay_sync_decode(&n, &rs),
	    IKE_E_N_TYPE));
	n.type = IKE_N_IPSEC_REPLAY_COUNTER_SYNC;
	for (i = 0; i <= 16; i++) {
		n.len = i;
		CU_ASSERT(check("replay sync", ike_n_replay_sync_decode(&n,
		    &rs), i == 4 || i == 8 ? 0 : IKE_E_N_DATA_LEN));
	}
}

/* The NOTIFY each error answers with. */
static void
test_err_notify(void)
{
	int	 e;

	CU_ASSERT_EQUAL(ike_err_notify(0), 0);
	CU_ASSERT_EQUAL(ike_err_notify(IKE_E_SHORT_HDR), 0);
	CU_ASSERT_EQUAL(ike_err_notify(IKE_E_LEN_MISMATCH), 0);
	CU_ASSERT_EQUAL(ike_err_notify(IKE_E_OLD_VERSION), 0);
	CU_ASSERT_EQUAL(ike_err_notify(IKE_E_BAD_VERSION),
	    IKE_N_INVALID_MAJOR_VERSION);
	CU_ASSERT_EQUAL(ike_err_notify(IKE_E_UNSUP_CRITICAL),
	    IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD);
	CU_ASSERT_EQUAL(ike_err_notify(IKE_E_NO_PROPOSAL),
	    IKE_N_NO_PROPOSAL_CHOSEN);
	CU_ASSERT_EQUAL(ike_err_notify(IKE_E_NOSPACE), 0);
	for (e = IKE_E_PLD_SHORT; e >= IKE_E_EAP_CODE; e--)
		if (e != IKE_E_UNSUP_CRITICAL)
			CU_ASSERT_EQUAL(ike_err_notify(e),
			    IKE_N_INVALID_SYNTAX);
}

/* ------------------------------------------------------------------ */
/* Mutation sweep                                                       */

/* Decode everything decodable in a chain; returns payloads decoded. */
static size_t
walk_chain(const struct ike_chain *c)
{
	static struct ike_ts_pld tsp;
	static struct ike_cp	 cp;
	static struct ike_prop	 prop;
	const struct ike_pld_ref *p;
	struct ike_sa_pld	 sa;
	struct ike_sa_iter	 it;
	struct ike_notify_pld	 n;
	struct ike_n_hash_algs	 ha;
	struct ike_n_mid_sync	 ms;
	struct ike_n_replay_sync rs;
	struct ike_blob		 bl;
	struct ike_delete	 d;
	size_t			 i, j, ok = 0;
	uint32_t		 sum = 0;
	const uint8_t		*h;
	uint16_t		 g;
	uint8_t			 pr;
	union {
		struct ike_ke_pld	 ke;
		struct ike_id		 id;
		struct ike_cert		 cert;
		struct ike_auth		 auth;
		struct ike_eap		 eap;
		struct ike_skf_pld	 skf;
	} u;
	int			 rc = 0;

	for (i = 0; i < c->n; i++) {
		p = &c->pld[i];
		switch (p->type) {
		case IKE_PLD_SA:
			if ((rc = ike_pld_sa_decode(p->body, p->len, &sa)))
				break;
			ike_pld_sa_iter(&sa, &it);
			while (ike_pld_sa_next(&it, &prop))
				for (j = 0; j < prop.nxf; j++)
					sum += prop.xf[j].id;
			break;
		case IKE_PLD_KE:
			rc = ike_pld_ke_decode(p->body, p->len, &u.ke);
			break;
		case IKE_PLD_IDI:
		case IKE_PLD_IDR:
			rc = ike_pld_id_decode(p->body, p->len, &u.id);
			break;
		case IKE_PLD_CERT:
			rc = ike_pld_cert_decode(p->body, p->len, &u.cert);
			break;
		case IKE_PLD_CERTREQ:
			rc = ike_pld_certreq_decode(p->body, p->len, &u.cert);
			break;
		case IKE_PLD_AUTH:
			rc = ike_pld_auth_decode(p->body, p->len, &u.auth);
			break;
		case IKE_PLD_NONCE:
			rc = ike_pld_nonce_decode(p->body, p->len, &bl);
			break;
		case IKE_PLD_VENDOR:
			rc = ike_pld_vendor_decode(p->body, p->len, &bl);
			break;
		case IKE_PLD_NOTIFY:
			if ((rc = ike_pld_notify_decode(p->body, p->len, &n)))
				break;
			(void)ike_n_natd_decode(&n, &h);
			(void)ike_n_cookie_decode(&n, &bl);
			(void)ike_n_invalid_ke_decode(&n, &g);
			(void)ike_n_rekey_sa_decode(&n, &pr, &sum);
			(void)ike_n_hash_algs_decode(&n, &ha);
			(void)ike_n_mid_sync_decode(&n, &ms);
			(void)ike_n_replay_sync_decode(&n, &rs);
			break;
		case IKE_PLD_DELETE:
			if ((rc = ike_pld_delete_decode(p->body, p->len, &d)))
				break;
			for (j = 0; j < d.nspi; j++)
				sum += ike_delete_spi32(&d, j);
			break;
		case IKE_PLD_TSI:
		case IKE_PLD_TSR:
			if ((rc = ike_pld_ts_decode(p->body, p->len, &tsp)))
				break;
			for (j = 0; j < tsp.n; j++)
				sum += ike_ts_ordered(&tsp.ts[j]);
			break;
		case IKE_PLD_CP:
			rc = ike_pld_cp_decode(p->body, p->len, &cp);
			break;
		case IKE_PLD_EAP:
			rc = ike_pld_eap_decode(p->body, p->len, &u.eap);
			break;
		case IKE_PLD_SKF:
			rc = ike_pld_skf_decode(p->body, p->len, &u.skf);
			break;
		default:
			rc = 0;
			break;
		}
		CU_ASSERT(rc <= 0 && rc >= IKE_E_LAST);
		if (rc == 0)
			ok++;
	}
	(void)sum;
	return ok;
}

static const char	 sweep_hex[] =
	/* header: IKE_SA_INIT, first payload SA */
	"00 11 22 33 44 55 66 77 00 00 00 00 00 00 00 00"
	"21 20 22 08 00 00 00 00 00 00 00 f6"
	/* SA: 1 proposal, ENCR AES_CBC/256, INTEG, PRF, KE */
	"22 00 00 30 00 00 00 2c 01 01 00 04 03 00 00 0c 01 00 00 0c"
	"80 0e 01 00 03 00 00 08 03 00 00 0c 03 00 00 08 02 00 00 05"
	"00 00 00 08 04 00 00 13"
	/* KE: group 19, 8 bytes */
	"28 00 00 10 00 13 00 00 01 02 03 04 05 06 07 08"
	/* Nonce: 16 bytes */
	"29 00 00 14 a0 a1 a2 a3 a4 a5 a6 a7 a8 a9 aa ab ac ad ae af"
	/* N(NAT_DETECTION_SOURCE_IP) */
	"2a 00 00 1c 00 00 40 04 10 11 12 13 14 15 16 17"
	"18 19 1a 1b 1c 1d 1e 1f 20 21 22 23"
	/* D(ESP, 2 SPIs) */
	"2c 00 00 10 03 04 00 02 c1 00 00 01 c1 00 00 02"
	/* TSi: one IPv4 selector */
	"2f 00 00 18 01 00 00 00 07 00 00 10 00 00 ff ff c0 00 02 00"
	"c0 00 02 ff"
	/* CP(REQUEST): INTERNAL_IP4_ADDRESS */
	"30 00 00 0c 01 00 00 00 00 01 00 00"
	/* EAP Response/Identity */
	"24 00 00 0e 02 01 00 0a 01 61 62 63 64 65"
	/* IDr FQDN, AUTH PSK */
	"27 00 00 0c 02 00 00 00 76 70 6e 2e"
	"35 00 00 10 02 00 00 00 01 02 03 04 05 06 07 08"
	/* SKF 1 of 1 */
	"23 00 00 0c 00 01 00 01 aa bb cc dd";

static void
test_mutation_sweep(void)
{
	static uint8_t	 base[512], mut[512];
	static const uint8_t vals[] = { 0x00, 0x01, 0x04, 0x7f, 0x80, 0xff };
	size_t		 len, i, j, cut, decoded = 0;
	int		 rc;

	len = unhex(sweep_hex, base, sizeof(base));
	CU_ASSERT_EQUAL_FATAL(len, 0xf6);
	CU_ASSERT_EQUAL_FATAL(ike_decode(base, len, &m), 0);
	CU_ASSERT_EQUAL(m.ch.n, 11);
	CU_ASSERT_EQUAL(walk_chain(&m.ch), 11);
	/* Every byte, a few values each. */
	for (i = 0; i < len; i++) {
		for (j = 0; j < nitems(vals) + 1; j++) {
			memcpy(mut, base, len);
			mut[i] = j < nitems(vals) ? vals[j] :
			    (uint8_t)(base[i] ^ 0x55);
			rc = ike_decode(mut, len, &m);
			CU_ASSERT(rc <= 0 && rc >= IKE_E_LAST);
			if (rc == 0)
				decoded += walk_chain(&m.ch);
		}
	}
	/* Every truncation, with the header length kept consistent. */
	for (cut = 0; cut <= len; cut++) {
		memcpy(mut, base, len);
		if (cut >= IKE_HDR_LEN)
			put_be32(mut + 24, (uint32_t)cut);
		rc = ike_decode(mut, cut, &m);
		CU_ASSERT(rc <= 0 && rc >= IKE_E_LAST);
		if (rc == 0)
			decoded += walk_chain(&m.ch);
	}
	CU_ASSERT(decoded > 0);
}

UNIT_SUITE(ike_malformed, "ike malformed input",
    { "header", test_header },
    { "chain table", test_chain_table },
    { "chain caps and loops", test_chain_caps },
    { "payload bodies", test_body_table },
    { "caps", test_caps },
    { "notify data", test_notify_data },
    { "error -> NOTIFY", test_err_notify },
    { "mutation sweep", test_mutation_sweep });
