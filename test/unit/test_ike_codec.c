/*
 * test/unit/test_ike_codec.c -- the IKEv2 codec on valid input.
 *
 *  - a hand-laid IKE_SA_INIT request (RFC 7296 3.1-3.12 layout, commented
 *    field by field) decodes to the expected structs, re-encodes to the
 *    same bytes, and the encoder API builds it byte for byte;
 *  - an IKE_SA_INIT request and response captured from strongSwan decode,
 *    re-encode exactly, select and check as proposals;
 *  - an IKE_AUTH request with an SK payload and its decrypted inner chain;
 *  - every payload type round-trips both ways: encode(decode(x)) == x and
 *    decode(encode(s)) == s;
 *  - the encoder's length fields and Next Payload chain, byte by byte;
 *  - names for every number;
 *  - the fuzz seed corpus: with IKE_WRITE_SEEDS=dir set, the seed
 *    messages are written there (how test/fuzz/corpus/fuzz_ike_decode was
 *    made); they are always checked to decode.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/util.h"
#include "tandem/wire.h"
#include "../../ikev2d/ike_msg.h"
#include "../../ikev2d/ike_names.h"
#include "../../ikev2d/ike_proposal.h"
#include "unit.h"

/* IKE_SA_INIT request, laid out by hand from RFC 7296 3.1-3.12. */
static const char sa_init_hex[] =
	/* IKE header: SPIi, SPIr 0, next SA, 2.0, IKE_SA_INIT, I, mid 0 */
	"00 11 22 33 44 55 66 77 00 00 00 00 00 00 00 00"
	"21 20 22 08 00 00 00 00 00 00 01 3e"
	/* SA: next KE, length 84 */
	"22 00 00 54"
	/* proposal 1 (more): IKE, no SPI, 3 transforms */
	"02 00 00 24 01 01 00 03"
	/*   ENCR AES_GCM_16, Key Length 256 */
	"03 00 00 0c 01 00 00 14 80 0e 01 00"
	/*   PRF HMAC_SHA2_256 */
	"03 00 00 08 02 00 00 05"
	/*   KE ECP_256 (last) */
	"00 00 00 08 04 00 00 13"
	/* proposal 2 (last): IKE, no SPI, 4 transforms */
	"00 00 00 2c 02 01 00 04"
	/*   ENCR AES_CBC, Key Length 256 */
	"03 00 00 0c 01 00 00 0c 80 0e 01 00"
	/*   PRF HMAC_SHA2_256 */
	"03 00 00 08 02 00 00 05"
	/*   INTEG HMAC_SHA2_256_128 */
	"03 00 00 08 03 00 00 0c"
	/*   KE ECP_256 (last) */
	"00 00 00 08 04 00 00 13"
	/* KE: next Nonce, group 19, 64 bytes */
	"28 00 00 48 00 13 00 00 01 02 03 04 05 06 07 08"
	"09 0a 0b 0c 0d 0e 0f 10 11 12 13 14 15 16 17 18"
	"19 1a 1b 1c 1d 1e 1f 20 21 22 23 24 25 26 27 28"
	"29 2a 2b 2c 2d 2e 2f 30 31 32 33 34 35 36 37 38"
	"39 3a 3b 3c 3d 3e 3f 40"
	/* Nonce: next N, 32 bytes */
	"29 00 00 24 a0 a1 a2 a3 a4 a5 a6 a7 a8 a9 aa ab"
	"ac ad ae af b0 b1 b2 b3 b4 b5 b6 b7 b8 b9 ba bb"
	"bc bd be bf"
	/* N(NAT_DETECTION_SOURCE_IP) */
	"29 00 00 1c 00 00 40 04 10 11 12 13 14 15 16 17"
	"18 19 1a 1b 1c 1d 1e 1f 20 21 22 23"
	/* N(NAT_DETECTION_DESTINATION_IP) */
	"29 00 00 1c 00 00 40 05 30 31 32 33 34 35 36 37"
	"38 39 3a 3b 3c 3d 3e 3f 40 41 42 43"
	/* N(IKEV2_FRAGMENTATION_SUPPORTED) */
	"29 00 00 08 00 00 40 2e"
	/* N(SIGNATURE_HASH_ALGORITHMS): SHA2_256, SHA2_384, SHA2_512; next V */
	"2b 00 00 0e 00 00 40 2f 00 02 00 03 00 04"
	/* V: last, 16 bytes */
	"00 00 00 14 e0 e1 e2 e3 e4 e5 e6 e7 e8 e9 ea eb"
	"ec ed ee ef";

/*
 * IKE_AUTH request protected by SK (RFC 7296 3.14): the decoder only
 * locates the body (IV | ciphertext | ICV); Next Payload is IDi.
 */
static const char auth_sk_hex[] =
	/* header: SPIi, SPIr, next SK, 2.0, IKE_AUTH, I, mid 1, len 112 */
	"00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff"
	"2e 20 23 08 00 00 00 01 00 00 00 70"
	/* SK: next IDi, length 84 = 4 + IV 16 + ciphertext 48 + ICV 16 */
	"23 00 00 54"
	"c0 c1 c2 c3 c4 c5 c6 c7 c8 c9 ca cb cc cd ce cf"
	"d0 d1 d2 d3 d4 d5 d6 d7 d8 d9 da db dc dd de df"
	"e0 e1 e2 e3 e4 e5 e6 e7 e8 e9 ea eb ec ed ee ef"
	"f0 f1 f2 f3 f4 f5 f6 f7 f8 f9 fa fb fc fd fe ff"
	"00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f";

/*
 * Captured from strongSwan 5.9 (charon, Debian 12) initiating to a UDP
 * listener and answering its own request replayed to it (the 4-byte
 * non-ESP marker of its non-500 port removed).  Proposals:
 * aes256-sha256-modp2048, aes128-aes256-sha256-sha384-prfsha256-
 * modp3072-modp2048.  Request: SA KE No N(NATD_S_IP) N(NATD_D_IP)
 * N(FRAG_SUP) N(HASH_ALG) N(REDIR_SUP); response: SA KE No N(NATD_S_IP)
 * N(NATD_D_IP) N(FRAG_SUP) N(HASH_ALG) N(CHDLESS_SUP) N(MULT_AUTH).
 */
static const char ss_init_req_hex[] =
	"ea ec 93 37 f7 6f 9c 43 00 00 00 00 00 00 00 00"
	"21 20 22 08 00 00 00 00 00 00 02 16 22 00 00 78"
	"02 00 00 2c 01 01 00 04 03 00 00 0c 01 00 00 0c"
	"80 0e 01 00 03 00 00 08 03 00 00 0c 03 00 00 08"
	"02 00 00 05 00 00 00 08 04 00 00 0e 00 00 00 48"
	"02 01 00 07 03 00 00 0c 01 00 00 0c 80 0e 00 80"
	"03 00 00 0c 01 00 00 0c 80 0e 01 00 03 00 00 08"
	"03 00 00 0c 03 00 00 08 03 00 00 0d 03 00 00 08"
	"02 00 00 05 03 00 00 08 04 00 00 0e 00 00 00 08"
	"04 00 00 0f 28 00 01 08 00 0e 00 00 a7 a7 6d 64"
	"37 42 5f a1 f6 2a e3 1b 1e 0d cb f9 7b 3f aa ab"
	"62 db 6a bb 64 83 19 2a f7 b2 2b b6 cd 08 0b ae"
	"18 e1 0d 86 9f 5a e3 88 e1 e0 34 4c 40 2d f3 4b"
	"61 3e 79 46 38 b5 ba ee 6f 6e 3d 64 0d 25 45 53"
	"8e a9 57 6b 27 f1 42 bc be d2 25 3a 58 23 cd 33"
	"03 fd f6 62 13 5b f1 ea 96 e2 21 2a 90 3f 3f 16"
	"88 17 4a 51 b8 34 8f e4 bc e6 81 a3 ca 51 a8 b3"
	"80 e5 13 b9 71 67 b0 31 d4 d7 0c 9e 27 64 14 59"
	"09 ef c0 4c b4 34 41 6b d7 75 79 1e 71 09 c8 04"
	"c5 b4 29 1b 6f a3 2c 2a 3d 20 98 8d 0f c7 c8 39"
	"bf ac 58 95 db 7f 8a 1a 62 9a 3b a8 20 5d a2 0c"
	"4f e8 9f 4e 30 da b8 b8 4e e6 20 04 cd fa c8 e2"
	"bc 71 7c b3 79 67 68 96 89 ce 01 c4 56 2e be a3"
	"71 af 41 1c 5d 1e ed 0f 1b c7 91 e6 0a 2f 37 03"
	"1f cd c2 c9 50 be 1d 5a 57 92 60 63 f8 0e 03 30"
	"bc 68 af 39 a5 ab f9 ef a8 58 25 95 29 00 00 24"
	"b8 e6 e9 86 12 e6 0a fd 02 90 85 7d 2d 21 03 8f"
	"bb 49 65 e8 ef 1a e9 4b 77 c2 97 d2 af 19 94 f3"
	"29 00 00 1c 00 00 40 04 49 e2 89 1f 86 55 d7 54"
	"7e 6c 36 61 45 7c 21 80 48 0c 4c ba 29 00 00 1c"
	"00 00 40 05 50 d1 52 07 d4 01 eb d4 ce 17 ea 45"
	"9c 0c 17 9e 98 ff 79 61 29 00 00 08 00 00 40 2e"
	"29 00 00 0e 00 00 40 2f 00 02 00 03 00 04 00 00"
	"00 08 00 00 40 16";

static const char ss_init_resp_hex[] =
	"ea ec 93 37 f7 6f 9c 43 eb f8 9d 7a 61 11 db 8c"
	"21 20 22 20 00 00 00 00 00 00 01 d6 22 00 00 30"
	"00 00 00 2c 01 01 00 04 03 00 00 0c 01 00 00 0c"
	"80 0e 01 00 03 00 00 08 03 00 00 0c 03 00 00 08"
	"02 00 00 05 00 00 00 08 04 00 00 0e 28 00 01 08"
	"00 0e 00 00 52 ab c7 3f 32 82 28 3c df 8c 02 3e"
	"4a da da cb 07 f1 6f 37 8b 6e eb 6f 00 54 79 c1"
	"18 67 7b c0 c0 f1 0d 1f e3 52 09 53 0c 60 cb f5"
	"c8 64 c0 0b 2a 18 02 d3 51 24 59 4b 0b 18 a3 91"
	"77 34 f3 b2 4c 9d 4d 28 19 e0 ca 3b 07 30 50 48"
	"8c cb a2 98 3d c9 09 4f cd 48 1e 68 c7 05 24 5b"
	"8f 31 a5 a9 95 87 6c 90 8d 60 8b 46 df ac aa 2e"
	"c6 fc e1 12 c3 4d 8a de e2 e0 73 8a b0 e0 68 ab"
	"05 c2 38 31 b8 82 81 5d 02 8b e6 d4 4c 86 91 11"
	"b6 53 49 61 77 15 87 e3 53 a7 7b f0 34 78 cb 13"
	"03 8c 3c 7f 2e 2d 2c 7f 1d 42 8f c2 07 d2 37 38"
	"88 46 dd 14 7e 6e 79 f0 2b fa 2d b6 0f d0 c0 07"
	"ac 21 86 48 a1 c8 4f 92 7e 5a 80 28 91 d4 3e fb"
	"5c 1b be a0 f2 dc 71 2d 93 b6 ab e3 84 ca 6c 22"
	"93 9f 96 5d 63 13 91 c5 9c 94 20 61 26 91 b5 40"
	"8a 79 6c 76 56 da be c4 4a 81 54 e0 ce e8 57 8c"
	"5e a9 a8 82 29 00 00 24 ff ad 17 26 6d 84 84 f6"
	"e0 39 a6 9d d2 c3 02 cc f4 5a d1 b2 26 71 b9 ca"
	"85 1d 12 26 e8 ce 18 9c 29 00 00 1c 00 00 40 04"
	"c7 8e 52 08 63 59 84 52 e4 96 04 ee a4 d7 08 94"
	"a3 04 e1 6d 29 00 00 1c 00 00 40 05 13 57 94 7d"
	"98 e7 74 24 6f cc 3b 63 93 fc be 59 5c ba 74 9e"
	"29 00 00 08 00 00 40 2e 29 00 00 0e 00 00 40 2f"
	"00 02 00 03 00 04 29 00 00 08 00 00 40 22 00 00"
	"00 08 00 00 40 14";

static uint8_t	 buf[4096], buf2[4096];

static size_t
unhex(const char *hex, uint8_t *out, size_t cap)
{
	long	 n = unit_unhex(hex, out, cap);

	CU_ASSERT_FATAL(n > 0);
	return (size_t)n;
}

static struct ike_hdr
hdr_init(uint8_t exch, uint8_t flags, uint32_t msgid)
{
	struct ike_hdr	 h;

	memset(&h, 0, sizeof(h));
	h.ispi = 0x0011223344556677ULL;
	h.rspi = exch == IKE_EXCH_SA_INIT && !(flags & IKE_FLAG_RESPONSE) ?
	    0 : 0x8899aabbccddeeffULL;
	h.version = IKE_VERSION;
	h.exch = exch;
	h.flags = flags;
	h.msgid = msgid;
	return h;
}

static void
xf(struct ike_prop *p, uint8_t type, uint16_t id, uint16_t keylen)
{
	struct ike_xform	*x = &p->xf[p->nxf++];

	memset(x, 0, sizeof(*x));
	x->type = type;
	x->id = id;
	x->keylen = keylen;
}

/* The two proposals of the fixture. */
static size_t
fixture_props(struct ike_prop *p)
{
	memset(p, 0, 2 * sizeof(*p));
	p[0].num = 1;
	p[0].proto = IKE_PROTO_IKE;
	xf(&p[0], IKE_XF_ENCR, IKE_ENCR_AES_GCM_16, 256);
	xf(&p[0], IKE_XF_PRF, IKE_PRF_HMAC_SHA2_256, 0);
	xf(&p[0], IKE_XF_KE, IKE_KE_ECP_256, 0);
	p[1].num = 2;
	p[1].proto = IKE_PROTO_IKE;
	xf(&p[1], IKE_XF_ENCR, IKE_ENCR_AES_CBC, 256);
	xf(&p[1], IKE_XF_PRF, IKE_PRF_HMAC_SHA2_256, 0);
	xf(&p[1], IKE_XF_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0);
	xf(&p[1], IKE_XF_KE, IKE_KE_ECP_256, 0);
	return 2;
}

static void
fill(uint8_t *b, size_t n, uint8_t first)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		b[i] = (uint8_t)(first + i);
}

/* Build the fixture with the encoder API; returns its length. */
static int
build_sa_init(uint8_t *out, size_t cap)
{
	static struct ike_prop	 props[2];
	struct ike_enc		 e;
	struct ike_hdr		 h = hdr_init(IKE_EXCH_SA_INIT,
				    IKE_FLAG_INITIATOR, 0);
	struct ike_ke_pld	 ke;
	struct ike_notify_pld	 n;
	struct ike_n_hash_algs	 ha = { 3, { IKE_HASH_SHA2_256,
				    IKE_HASH_SHA2_384, IKE_HASH_SHA2_512 } };
	struct wr		 w, dw;
	uint8_t			 kd[64], nonce[32], ns[20], nd[20], vid[16];
	uint8_t			 hd[32];

	fill(kd, sizeof(kd), 0x01);
	fill(nonce, sizeof(nonce), 0xa0);
	fill(ns, sizeof(ns), 0x10);
	fill(nd, sizeof(nd), 0x30);
	fill(vid, sizeof(vid), 0xe0);
	wr_init(&w, out, cap);
	ike_enc_init(&e, &w, &h);
	ike_enc_sa(&e, props, fixture_props(props));
	ke.group = IKE_KE_ECP_256;
	ke.data = kd;
	ke.len = sizeof(kd);
	ike_enc_ke(&e, &ke);
	ike_enc_nonce(&e, nonce, sizeof(nonce));
	memset(&n, 0, sizeof(n));
	n.type = IKE_N_NAT_DETECTION_SOURCE_IP;
	n.data = ns;
	n.len = sizeof(ns);
	ike_enc_notify(&e, &n);
	n.type = IKE_N_NAT_DETECTION_DESTINATION_IP;
	n.data = nd;
	ike_enc_notify(&e, &n);
	n.type = IKE_N_IKEV2_FRAGMENTATION_SUPPORTED;
	n.data = NULL;
	n.len = 0;
	ike_enc_notify(&e, &n);
	wr_init(&dw, hd, sizeof(hd));
	CU_ASSERT_EQUAL(ike_n_hash_algs_encode(&dw, &ha), 0);
	n.type = IKE_N_SIGNATURE_HASH_ALGORITHMS;
	n.data = hd;
	n.len = dw.len;
	ike_enc_notify(&e, &n);
	ike_enc_vendor(&e, vid, sizeof(vid));
	return ike_enc_finish(&e);
}

static void
test_sa_init_fixture(void)
{
	static struct ike_msg	 m;
	const struct ike_pld_ref *p;
	struct ike_sa_pld	 sa;
	struct ike_sa_iter	 it;
	struct ike_prop		 prop;
	struct ike_ke_pld	 ke;
	struct ike_blob		 nonce;
	struct ike_notify_pld	 n;
	struct ike_n_hash_algs	 ha;
	const uint8_t		*hash;
	struct wr		 w;
	size_t			 len, from = 0;
	static const uint8_t	 types[] = { IKE_PLD_SA, IKE_PLD_KE,
				    IKE_PLD_NONCE, IKE_PLD_NOTIFY,
				    IKE_PLD_NOTIFY, IKE_PLD_NOTIFY,
				    IKE_PLD_NOTIFY, IKE_PLD_VENDOR };
	size_t			 i;

	len = unhex(sa_init_hex, buf, sizeof(buf));
	CU_ASSERT_EQUAL_FATAL(len, 318);
	CU_ASSERT_EQUAL_FATAL(ike_decode(buf, len, &m), 0);
	CU_ASSERT_EQUAL(m.hdr.ispi, 0x0011223344556677ULL);
	CU_ASSERT_EQUAL(m.hdr.rspi, 0);
	CU_ASSERT_EQUAL(m.hdr.exch, IKE_EXCH_SA_INIT);
	CU_ASSERT_EQUAL(m.hdr.flags, IKE_FLAG_INITIATOR);
	CU_ASSERT_EQUAL(m.hdr.msgid, 0);
	CU_ASSERT_EQUAL(m.hdr.length, 318);
	CU_ASSERT_FALSE(m.sk.present);
	CU_ASSERT_EQUAL_FATAL(m.ch.n, nitems(types));
	for (i = 0; i < nitems(types); i++)
		CU_ASSERT_EQUAL(m.ch.pld[i].type, types[i]);
	CU_ASSERT_EQUAL(m.ch.pld[0].off, 28);
	CU_ASSERT_EQUAL(m.ch.pld[0].len, 80);

	/* SA: both proposals, every transform, the Key Length attribute. */
	p = ike_chain_find(&m.ch, IKE_PLD_SA, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL_FATAL(ike_pld_sa_decode(p->body, p->len, &sa), 0);
	CU_ASSERT_EQUAL(sa.nprop, 2);
	CU_ASSERT_EQUAL(sa.first_num, 1);
	ike_pld_sa_iter(&sa, &it);
	CU_ASSERT_FATAL(ike_pld_sa_next(&it, &prop));
	CU_ASSERT_EQUAL(prop.num, 1);
	CU_ASSERT_EQUAL(prop.proto, IKE_PROTO_IKE);
	CU_ASSERT_EQUAL(prop.spi_size, 0);
	CU_ASSERT_EQUAL_FATAL(prop.nxf, 3);
	CU_ASSERT_EQUAL(prop.xf[0].type, IKE_XF_ENCR);
	CU_ASSERT_EQUAL(prop.xf[0].id, IKE_ENCR_AES_GCM_16);
	CU_ASSERT_EQUAL(prop.xf[0].keylen, 256);
	CU_ASSERT_EQUAL(prop.xf[0].nunknown, 0);
	CU_ASSERT_EQUAL(prop.xf[2].type, IKE_XF_KE);
	CU_ASSERT_EQUAL(prop.xf[2].id, IKE_KE_ECP_256);
	CU_ASSERT_FATAL(ike_pld_sa_next(&it, &prop));
	CU_ASSERT_EQUAL(prop.num, 2);
	CU_ASSERT_EQUAL_FATAL(prop.nxf, 4);
	CU_ASSERT_EQUAL(prop.xf[0].id, IKE_ENCR_AES_CBC);
	CU_ASSERT_EQUAL(prop.xf[2].type, IKE_XF_INTEG);
	CU_ASSERT_EQUAL(prop.xf[2].id, IKE_INTEG_HMAC_SHA2_256_128);
	CU_ASSERT_FALSE(ike_pld_sa_next(&it, &prop));

	p = ike_chain_find(&m.ch, IKE_PLD_KE, NULL);
	CU_ASSERT_EQUAL_FATAL(ike_pld_ke_decode(p->body, p->len, &ke), 0);
	CU_ASSERT_EQUAL(ke.group, IKE_KE_ECP_256);
	CU_ASSERT_EQUAL(ke.len, 64);
	CU_ASSERT_EQUAL(ke.data[0], 0x01);
	p = ike_chain_find(&m.ch, IKE_PLD_NONCE, NULL);
	CU_ASSERT_EQUAL_FATAL(ike_pld_nonce_decode(p->body, p->len, &nonce),
	    0);
	CU_ASSERT_EQUAL(nonce.len, 32);

	/* The four notifies, through their typed decoders. */
	CU_ASSERT_EQUAL(ike_chain_count(&m.ch, IKE_PLD_NOTIFY), 4);
	p = ike_chain_find(&m.ch, IKE_PLD_NOTIFY, &from);
	CU_ASSERT_EQUAL_FATAL(ike_pld_notify_decode(p->body, p->len, &n), 0);
	CU_ASSERT_EQUAL(n.type, IKE_N_NAT_DETECTION_SOURCE_IP);
	CU_ASSERT_EQUAL(ike_n_natd_decode(&n, &hash), 0);
	CU_ASSERT_EQUAL(hash[0], 0x10);
	CU_ASSERT_EQUAL(hash[19], 0x23);
	p = ike_chain_find(&m.ch, IKE_PLD_NOTIFY, &from);
	CU_ASSERT_EQUAL_FATAL(ike_pld_notify_decode(p->body, p->len, &n), 0);
	CU_ASSERT_EQUAL(ike_n_natd_decode(&n, &hash), 0);
	CU_ASSERT_EQUAL(hash[0], 0x30);
	p = ike_chain_find(&m.ch, IKE_PLD_NOTIFY, &from);
	CU_ASSERT_EQUAL_FATAL(ike_pld_notify_decode(p->body, p->len, &n), 0);
	CU_ASSERT_EQUAL(n.type, IKE_N_IKEV2_FRAGMENTATION_SUPPORTED);
	CU_ASSERT_EQUAL(n.len, 0);
	p = ike_chain_find(&m.ch, IKE_PLD_NOTIFY, &from);
	CU_ASSERT_EQUAL_FATAL(ike_pld_notify_decode(p->body, p->len, &n), 0);
	CU_ASSERT_EQUAL_FATAL(ike_n_hash_algs_decode(&n, &ha), 0);
	CU_ASSERT_EQUAL(ha.n, 3);
	CU_ASSERT_EQUAL(ha.alg[0], IKE_HASH_SHA2_256);
	CU_ASSERT_EQUAL(ha.alg[2], IKE_HASH_SHA2_512);
	CU_ASSERT_PTR_NULL(ike_chain_find(&m.ch, IKE_PLD_NOTIFY, &from));

	/* encode(decode(x)) == x */
	wr_init(&w, buf2, sizeof(buf2));
	CU_ASSERT_EQUAL(ike_encode(&w, &m), (int)len);
	UNIT_ASSERT_BYTES(buf2, buf, len);

	/* The encoder API builds the same bytes, lengths and chain included. */
	memset(buf2, 0xee, sizeof(buf2));
	CU_ASSERT_EQUAL_FATAL(build_sa_init(buf2, sizeof(buf2)), (int)len);
	UNIT_ASSERT_BYTES(buf2, buf, len);
}

/* Real strongSwan bytes: decode, re-encode, select, check the reply. */
static void
test_strongswan_capture(void)
{
	static struct ike_msg	 m;
	static struct ike_prop	 prop;
	static const struct ike_cfg_prop ours[] = {
		{ .proto = IKE_PROTO_IKE,
		  .nencr = 1, .encr = { { IKE_ENCR_AES_CBC, 256 } },
		  .ninteg = 1, .integ = { IKE_INTEG_HMAC_SHA2_256_128 },
		  .nprf = 1, .prf = { IKE_PRF_HMAC_SHA2_256 },
		  .nke = 1, .ke = { IKE_KE_MODP_2048 } },
	};
	static const uint16_t	 req_n[] = { 16388, 16389, 16430, 16431,
				    16406 };
	static const uint16_t	 resp_n[] = { 16388, 16389, 16430, 16431,
				    16418, 16404 };
	const struct ike_pld_ref *p;
	struct ike_notify_pld	 n;
	struct ike_sa_pld	 sa;
	struct ike_sa_iter	 it;
	struct ike_chosen	 ch;
	struct ike_ke_pld	 ke;
	struct wr		 w;
	size_t			 len, i, from;

	len = unhex(ss_init_req_hex, buf, sizeof(buf));
	CU_ASSERT_EQUAL_FATAL(len, 534);
	CU_ASSERT_EQUAL_FATAL(ike_decode(buf, len, &m), 0);
	CU_ASSERT_EQUAL(m.hdr.exch, IKE_EXCH_SA_INIT);
	CU_ASSERT_EQUAL(m.hdr.flags, IKE_FLAG_INITIATOR);
	CU_ASSERT_EQUAL(m.ch.n, 8);
	CU_ASSERT_EQUAL(m.ch.nunknown, 0);
	wr_init(&w, buf2, sizeof(buf2));
	CU_ASSERT_EQUAL(ike_encode(&w, &m), (int)len);
	UNIT_ASSERT_BYTES(buf2, buf, len);
	p = ike_chain_find(&m.ch, IKE_PLD_SA, NULL);
	CU_ASSERT_EQUAL_FATAL(ike_pld_sa_decode(p->body, p->len, &sa), 0);
	CU_ASSERT_EQUAL(sa.nprop, 2);
	ike_pld_sa_iter(&sa, &it);
	CU_ASSERT(ike_pld_sa_next(&it, &prop) && prop.nxf == 4);
	CU_ASSERT(ike_pld_sa_next(&it, &prop) && prop.nxf == 7);
	CU_ASSERT_EQUAL(prop.xf[0].keylen, 128);
	CU_ASSERT_EQUAL(prop.xf[6].id, IKE_KE_MODP_3072);
	CU_ASSERT_EQUAL_FATAL(ike_proposal_select(ours, 1, &sa,
	    IKE_PROTO_IKE, 0, &ch), 0);
	CU_ASSERT(ch.num == 1 && ch.encr_keylen == 256 && ch.ke == 14);
	p = ike_chain_find(&m.ch, IKE_PLD_KE, NULL);
	CU_ASSERT_EQUAL(ike_pld_ke_decode(p->body, p->len, &ke), 0);
	CU_ASSERT(ke.group == IKE_KE_MODP_2048 && ke.len == 256);
	for (i = 0, from = 0; i < nitems(req_n); i++) {
		p = ike_chain_find(&m.ch, IKE_PLD_NOTIFY, &from);
		CU_ASSERT_PTR_NOT_NULL_FATAL(p);
		CU_ASSERT_EQUAL(ike_pld_notify_decode(p->body, p->len, &n), 0);
		CU_ASSERT_EQUAL(n.type, req_n[i]);
	}

	len = unhex(ss_init_resp_hex, buf, sizeof(buf));
	CU_ASSERT_EQUAL_FATAL(len, 470);
	CU_ASSERT_EQUAL_FATAL(ike_decode(buf, len, &m), 0);
	CU_ASSERT_EQUAL(m.hdr.flags, IKE_FLAG_RESPONSE);
	CU_ASSERT_EQUAL(m.hdr.rspi, 0xebf89d7a6111db8cULL);
	CU_ASSERT_EQUAL(m.ch.n, 9);
	wr_init(&w, buf2, sizeof(buf2));
	CU_ASSERT_EQUAL(ike_encode(&w, &m), (int)len);
	UNIT_ASSERT_BYTES(buf2, buf, len);
	for (i = 0, from = 0; i < nitems(resp_n); i++) {
		p = ike_chain_find(&m.ch, IKE_PLD_NOTIFY, &from);
		CU_ASSERT_PTR_NOT_NULL_FATAL(p);
		CU_ASSERT_EQUAL(ike_pld_notify_decode(p->body, p->len, &n), 0);
		CU_ASSERT_EQUAL(n.type, resp_n[i]);
	}
	/* strongSwan's answer is a valid reply to an offer like its own. */
	p = ike_chain_find(&m.ch, IKE_PLD_SA, NULL);
	CU_ASSERT_EQUAL_FATAL(ike_pld_sa_decode(p->body, p->len, &sa), 0);
	CU_ASSERT_EQUAL(ike_proposal_check_reply(ours, 1, &sa, IKE_PROTO_IKE,
	    0, &ch), 0);
	CU_ASSERT(ch.has_integ && ch.integ == IKE_INTEG_HMAC_SHA2_256_128);
}

/* The chain inside SK of an IKE_AUTH request, as ike_sk.c would get it. */
static int
build_auth_inner(uint8_t *out, size_t cap, uint8_t *first)
{
	static const char	 fqdn[] = "site-a.example";
	static struct ike_prop	 esp[2];
	static struct ike_ts_pld tsi, tsr;
	struct ike_enc		 e;
	struct ike_id		 id;
	struct ike_auth		 auth;
	struct ike_notify_pld	 n;
	struct ike_cert		 cr;
	struct wr		 w;
	uint8_t			 psk[32], ca[20];
	int			 len;

	fill(psk, sizeof(psk), 0x55);
	fill(ca, sizeof(ca), 0x77);
	memset(esp, 0, sizeof(esp));
	esp[0].num = 1;
	esp[0].proto = IKE_PROTO_ESP;
	esp[0].spi_size = 4;
	memcpy(esp[0].spi, "\xc1\x00\x00\x01", 4);
	xf(&esp[0], IKE_XF_ENCR, IKE_ENCR_AES_GCM_16, 128);
	xf(&esp[0], IKE_XF_ESN, IKE_ESN_YES, 0);
	xf(&esp[0], IKE_XF_ESN, IKE_ESN_NO, 0);
	esp[1] = esp[0];
	esp[1].num = 2;
	esp[1].nxf = 0;
	xf(&esp[1], IKE_XF_ENCR, IKE_ENCR_AES_CBC, 128);
	xf(&esp[1], IKE_XF_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0);
	xf(&esp[1], IKE_XF_ESN, IKE_ESN_NO, 0);
	memset(&tsi, 0, sizeof(tsi));
	tsi.n = 1;
	tsi.ts[0].type = IKE_TS_IPV4_ADDR_RANGE;
	tsi.ts[0].eport = 65535;
	memcpy(tsi.ts[0].start, "\xc6\x33\x64\x00", 4);	/* 198.51.100.0 */
	memcpy(tsi.ts[0].end, "\xc6\x33\x64\xff", 4);
	tsr = tsi;
	tsr.n = 2;
	memcpy(tsr.ts[0].start, "\xcb\x00\x71\x00", 4);	/* 203.0.113.0 */
	memcpy(tsr.ts[0].end, "\xcb\x00\x71\xff", 4);
	tsr.ts[1].type = IKE_TS_IPV6_ADDR_RANGE;
	tsr.ts[1].eport = 65535;
	memcpy(tsr.ts[1].start, "\x20\x01\x0d\xb8", 4);	/* 2001:db8::/32 */
	memcpy(tsr.ts[1].end, "\x20\x01\x0d\xb8\xff\xff\xff\xff"
	    "\xff\xff\xff\xff\xff\xff\xff\xff", 16);

	wr_init(&w, out, cap);
	ike_enc_init_chain(&e, &w);
	id.type = IKE_ID_FQDN;
	id.data = (const uint8_t *)fqdn;
	id.len = strlen(fqdn);
	ike_enc_id(&e, IKE_PLD_IDI, &id);
	cr.enc = IKE_CERT_X509_SIG;
	cr.data = ca;
	cr.len = sizeof(ca);
	ike_enc_certreq(&e, &cr);
	memset(&n, 0, sizeof(n));
	n.type = IKE_N_INITIAL_CONTACT;
	ike_enc_notify(&e, &n);
	memset(&auth, 0, sizeof(auth));
	auth.method = IKE_AUTH_PSK;
	auth.data = psk;
	auth.len = sizeof(psk);
	ike_enc_auth(&e, &auth);
	ike_enc_sa(&e, esp, 2);
	ike_enc_ts(&e, IKE_PLD_TSI, &tsi);
	ike_enc_ts(&e, IKE_PLD_TSR, &tsr);
	n.type = IKE_N_MOBIKE_SUPPORTED;
	ike_enc_notify(&e, &n);
	n.type = IKE_N_IKEV2_MESSAGE_ID_SYNC_SUPPORTED;
	ike_enc_notify(&e, &n);
	len = ike_enc_finish(&e);
	*first = ike_enc_first(&e);
	return len;
}

static void
test_auth_sk(void)
{
	static struct ike_msg	 m;
	static struct ike_chain	 in;
	static struct ike_ts_pld ts;
	const struct ike_pld_ref *p;
	struct ike_id		 id;
	struct ike_auth		 auth;
	struct ike_sa_pld	 sa;
	struct ike_sa_iter	 it;
	struct ike_prop		 prop;
	struct wr		 w;
	size_t			 len, off;
	uint8_t			 first;
	int			 ilen;
	struct ike_enc		 e;
	struct ike_hdr		 h = hdr_init(IKE_EXCH_AUTH,
				    IKE_FLAG_INITIATOR, 1);

	len = unhex(auth_sk_hex, buf, sizeof(buf));
	CU_ASSERT_EQUAL_FATAL(ike_decode(buf, len, &m), 0);
	CU_ASSERT_EQUAL(m.hdr.exch, IKE_EXCH_AUTH);
	CU_ASSERT_EQUAL(m.hdr.msgid, 1);
	CU_ASSERT_EQUAL(m.ch.n, 1);
	CU_ASSERT_EQUAL(m.ch.sk, 0);
	CU_ASSERT(m.sk.present);
	CU_ASSERT_FALSE(m.sk.frag);
	CU_ASSERT_EQUAL(m.sk.first, IKE_PLD_IDI);
	CU_ASSERT_EQUAL(m.sk.hdr_off, 28);
	CU_ASSERT_EQUAL(m.sk.body_off, 32);
	CU_ASSERT_EQUAL(m.sk.body_len, 80);
	CU_ASSERT_EQUAL(buf[m.sk.body_off], 0xc0);
	wr_init(&w, buf2, sizeof(buf2));
	CU_ASSERT_EQUAL(ike_encode(&w, &m), (int)len);
	UNIT_ASSERT_BYTES(buf2, buf, len);

	/* The same outer bytes through ike_enc_sk(), body filled after. */
	wr_init(&w, buf2, sizeof(buf2));
	ike_enc_init(&e, &w, &h);
	ike_enc_sk(&e, IKE_PLD_IDI, 80, &off);
	CU_ASSERT_EQUAL(ike_enc_finish(&e), (int)len);
	CU_ASSERT_EQUAL(off, 32);
	memcpy(buf2 + off, buf + 32, 80);
	UNIT_ASSERT_BYTES(buf2, buf, len);

	/* The decrypted inner chain. */
	ilen = build_auth_inner(buf2, sizeof(buf2), &first);
	CU_ASSERT_FATAL(ilen > 0);
	CU_ASSERT_EQUAL(first, IKE_PLD_IDI);
	CU_ASSERT_EQUAL_FATAL(ike_decode_inner(buf2, (size_t)ilen, first,
	    &in), 0);
	CU_ASSERT_EQUAL(in.n, 9);
	CU_ASSERT_EQUAL(in.sk, -1);
	p = ike_chain_find(&in, IKE_PLD_IDI, NULL);
	CU_ASSERT_EQUAL_FATAL(ike_pld_id_decode(p->body, p->len, &id), 0);
	CU_ASSERT_EQUAL(id.type, IKE_ID_FQDN);
	CU_ASSERT_EQUAL(id.len, 14);
	CU_ASSERT(memcmp(id.data, "site-a.example", 14) == 0);
	p = ike_chain_find(&in, IKE_PLD_AUTH, NULL);
	CU_ASSERT_EQUAL_FATAL(ike_pld_auth_decode(p->body, p->len, &auth), 0);
	CU_ASSERT_EQUAL(auth.method, IKE_AUTH_PSK);
	CU_ASSERT_EQUAL(auth.len, 32);
	p = ike_chain_find(&in, IKE_PLD_SA, NULL);
	CU_ASSERT_EQUAL_FATAL(ike_pld_sa_decode(p->body, p->len, &sa), 0);
	ike_pld_sa_iter(&sa, &it);
	CU_ASSERT_FATAL(ike_pld_sa_next(&it, &prop));
	CU_ASSERT_EQUAL(prop.proto, IKE_PROTO_ESP);
	CU_ASSERT_EQUAL(prop.spi_size, 4);
	CU_ASSERT(memcmp(prop.spi, "\xc1\x00\x00\x01", 4) == 0);
	CU_ASSERT_EQUAL(prop.nxf, 3);
	p = ike_chain_find(&in, IKE_PLD_TSR, NULL);
	CU_ASSERT_EQUAL_FATAL(ike_pld_ts_decode(p->body, p->len, &ts), 0);
	CU_ASSERT_EQUAL(ts.n, 2);
	CU_ASSERT_EQUAL(ts.ts[1].type, IKE_TS_IPV6_ADDR_RANGE);
	CU_ASSERT_EQUAL(ts.ts[1].end[15], 0xff);
	CU_ASSERT(ike_ts_ordered(&ts.ts[0]));
	CU_ASSERT(ike_ts_ordered(&ts.ts[1]));
	CU_ASSERT_EQUAL(ike_chain_count(&in, IKE_PLD_NOTIFY), 3);
}

/*
 * Round trips for every payload type.  rt() checks, for one body:
 * decode(body) succeeds, and the encoding of the decoded struct equals
 * body byte for byte.
 */
typedef int (*rt_fn)(const uint8_t *, size_t, struct wr *);

static void
rt(const char *what, rt_fn f, const uint8_t *body, size_t len)
{
	uint8_t		 out[2048];
	struct wr	 w;
	int		 rc;

	wr_init(&w, out, sizeof(out));
	rc = f(body, len, &w);
	if (rc != 0 || w.len != len || memcmp(out, body, len) != 0)
		fprintf(stderr, "round trip %s: rc %s len %zu/%zu\n", what,
		    ike_err_name(rc), w.len, len);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(w.len, len);
	if (w.len == len)
		UNIT_ASSERT_BYTES(out, body, len);
}

static int
rt_sa(const uint8_t *b, size_t len, struct wr *w)
{
	static struct ike_prop	 p[8];
	struct ike_sa_pld	 sa;
	struct ike_sa_iter	 it;
	size_t			 n = 0;
	int			 rc;

	if ((rc = ike_pld_sa_decode(b, len, &sa)) != 0)
		return rc;
	ike_pld_sa_iter(&sa, &it);
	while (n < nitems(p) && ike_pld_sa_next(&it, &p[n]))
		n++;
	return ike_pld_sa_encode(w, p, n);
}

static int
rt_ke(const uint8_t *b, size_t len, struct wr *w)
{
	struct ike_ke_pld	 v;
	int			 rc;

	return (rc = ike_pld_ke_decode(b, len, &v)) ? rc :
	    ike_pld_ke_encode(w, &v);
}

static int
rt_id(const uint8_t *b, size_t len, struct wr *w)
{
	struct ike_id	 v;
	int		 rc;

	return (rc = ike_pld_id_decode(b, len, &v)) ? rc :
	    ike_pld_id_encode(w, &v);
}

static int
rt_cert(const uint8_t *b, size_t len, struct wr *w)
{
	struct ike_cert	 v;
	int		 rc;

	return (rc = ike_pld_cert_decode(b, len, &v)) ? rc :
	    ike_pld_cert_encode(w, &v);
}

static int
rt_certreq(const uint8_t *b, size_t len, struct wr *w)
{
	struct ike_cert	 v;
	int		 rc;

	return (rc = ike_pld_certreq_decode(b, len, &v)) ? rc :
	    ike_pld_cert_encode(w, &v);
}

static int
rt_auth(const uint8_t *b, size_t len, struct wr *w)
{
	struct ike_auth	 v;
	int		 rc;

	return (rc = ike_pld_auth_decode(b, len, &v)) ? rc :
	    ike_pld_auth_encode(w, &v);
}

static int
rt_nonce(const uint8_t *b, size_t len, struct wr *w)
{
	struct ike_blob	 v;
	int		 rc;

	return (rc = ike_pld_nonce_decode(b, len, &v)) ? rc :
	    ike_pld_blob_encode(w, &v);
}

static int
rt_vendor(const uint8_t *b, size_t len, struct wr *w)
{
	struct ike_blob	 v;
	int		 rc;

	return (rc = ike_pld_vendor_decode(b, len, &v)) ? rc :
	    ike_pld_blob_encode(w, &v);
}

static int
rt_notify(const uint8_t *b, size_t len, struct wr *w)
{
	struct ike_notify_pld	 v;
	int			 rc;

	return (rc = ike_pld_notify_decode(b, len, &v)) ? rc :
	    ike_pld_notify_encode(w, &v);
}

static int
rt_delete(const uint8_t *b, size_t len, struct wr *w)
{
	struct ike_delete	 v;
	int			 rc;

	return (rc = ike_pld_delete_decode(b, len, &v)) ? rc :
	    ike_pld_delete_encode(w, &v);
}

static int
rt_ts(const uint8_t *b, size_t len, struct wr *w)
{
	static struct ike_ts_pld v;
	int			 rc;

	return (rc = ike_pld_ts_decode(b, len, &v)) ? rc :
	    ike_pld_ts_encode(w, &v);
}

static int
rt_cp(const uint8_t *b, size_t len, struct wr *w)
{
	static struct ike_cp	 v;
	int			 rc;

	return (rc = ike_pld_cp_decode(b, len, &v)) ? rc :
	    ike_pld_cp_encode(w, &v);
}

static int
rt_eap(const uint8_t *b, size_t len, struct wr *w)
{
	struct ike_eap	 v;
	int		 rc;

	return (rc = ike_pld_eap_decode(b, len, &v)) ? rc :
	    ike_pld_eap_encode(w, &v);
}

static int
rt_skf(const uint8_t *b, size_t len, struct wr *w)
{
	struct ike_skf_pld	 v;
	int		 rc;

	if ((rc = ike_pld_skf_decode(b, len, &v)) != 0)
		return rc;
	wr_be16(w, v.num);
	wr_be16(w, v.total);
	wr_bytes(w, v.data, v.len);
	return w->bad ? IKE_E_NOSPACE : 0;
}

#define RT(f, hex) do {							\
	size_t	 n_ = unhex(hex, body, sizeof(body));			\
	rt(#f ": " hex, f, body, n_);					\
} while (0)

/* Wire bodies -> struct -> wire, for every payload type. */
static void
test_roundtrip_wire(void)
{
	uint8_t	 body[1024];

	/* SA: ESP with SPI; IKE rekey with 8-byte SPI; unknown attribute */
	RT(rt_sa, "00 00 00 28 01 03 04 03 c1 00 00 01"
	    "03 00 00 0c 01 00 00 14 80 0e 00 80"
	    "03 00 00 08 05 00 00 01 00 00 00 08 05 00 00 00");
	RT(rt_sa, "00 00 00 20 01 01 08 02 01 02 03 04 05 06 07 08"
	    "03 00 00 08 01 00 00 1c 00 00 00 08 04 00 00 1f");
	RT(rt_sa, "00 00 00 1c 01 03 04 01 c1 00 00 02"
	    "00 00 00 10 01 00 00 0c 80 0e 00 80 00 17 00 00");
	RT(rt_ke, "00 1f 00 00 01 02 03 04 05 06 07 08");
	RT(rt_id, "01 00 00 00 c0 00 02 01");
	RT(rt_id, "05 00 00 00 20 01 0d b8 00 00 00 00 00 00 00 00"
	    "00 00 00 01");
	RT(rt_id, "02 00 00 00 76 70 6e 2e 65 78 61 6d 70 6c 65");
	RT(rt_id, "03 00 00 00 61 40 62 2e 63");
	RT(rt_id, "09 00 00 00 30 0b 31 09 30 07 06 03 55 04 03 0c 00");
	RT(rt_id, "0b 00 00 00 6b 65 79");
	RT(rt_cert, "04 30 82 01 0a");
	RT(rt_certreq, "04 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f"
	    "10 11 12 13 20 21 22 23 24 25 26 27 28 29 2a 2b 2c 2d 2e 2f"
	    "30 31 32 33");
	RT(rt_certreq, "04");
	RT(rt_auth, "02 00 00 00 01 02 03 04 05 06 07 08 09 0a 0b 0c");
	RT(rt_auth, "0e 00 00 00 0f 30 0d 06 09 2a 86 48 86 f7 0d 01 01 0b"
	    "05 00 aa bb cc dd");
	RT(rt_nonce, "00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f");
	RT(rt_vendor, "88 2f e5 6d 6f d2 0d bc 22 86 22 d9 75 50 3b 10");
	RT(rt_notify, "00 00 40 00");			/* INITIAL_CONTACT */
	RT(rt_notify, "03 04 40 09 c1 00 00 03");		/* REKEY_SA */
	RT(rt_notify, "01 08 00 04 01 02 03 04 05 06 07 08");	/* IKE SPI */
	RT(rt_notify, "00 00 40 26 11 22 33 44 00 00 00 07 00 00 00 09");
	RT(rt_delete, "01 00 00 00");
	RT(rt_delete, "03 04 00 02 c1 00 00 01 c1 00 00 02");
	RT(rt_ts, "02 00 00 00 07 00 00 10 00 00 ff ff c0 00 02 00"
	    "c0 00 02 ff 07 11 00 10 01 f4 01 f4 c6 33 64 01 c6 33 64 01");
	RT(rt_ts, "01 00 00 00 08 06 00 28 00 50 00 50"
	    "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 00"
	    "20 01 0d b8 ff ff ff ff ff ff ff ff ff ff ff ff");
	RT(rt_ts, "01 00 00 00 0a 00 00 08 01 02 03 04");	/* unknown */
	RT(rt_ts, "01 00 00 00 07 00 00 10 ff ff 00 00 00 00 00 00"
	    "ff ff ff ff");					/* OPAQUE */
	RT(rt_cp, "01 00 00 00 00 01 00 00 00 03 00 00 00 08 00 00");
	RT(rt_cp, "02 00 00 00 00 01 00 04 c6 33 64 05 00 0d 00 08"
	    "c6 33 64 00 ff ff ff 00");
	RT(rt_eap, "01 07 00 0a 01 68 65 6c 6c 6f");		/* Identity */
	RT(rt_eap, "03 07 00 04");				/* Success */
	RT(rt_skf, "00 01 00 03 aa bb cc dd");
}

/* Structs -> wire -> structs. */
static void
test_roundtrip_struct(void)
{
	uint8_t			 out[2048];
	struct wr		 w;
	struct ike_ke_pld	 ke = { 14, (const uint8_t *)"abcdef", 6 }, ke2;
	struct ike_id		 id = { IKE_ID_IPV4_ADDR,
				    (const uint8_t *)"\xc0\0\2\1", 4 }, id2;
	struct ike_auth		 au, au2;
	struct ike_notify_pld	 n, n2;
	struct ike_delete	 d = { IKE_PROTO_ESP, 4, 3, (const uint8_t *)
				    "\0\0\0\1\0\0\0\2\xff\0\0\3" },
				 d2;
	static struct ike_cp	 cp, cp2;
	struct ike_eap		 eap = { IKE_EAP_RESPONSE, 9, 26,
				    (const uint8_t *)"xy", 2 }, eap2;
	struct ike_n_mid_sync	 ms = { 0xdeadbeef, 7, 9 }, ms2;
	struct ike_n_replay_sync rs = { 1ULL << 40, true }, rs2;
	struct ike_n_replay_sync rs4 = { 16384, false };
	struct ike_n_hash_algs	 ha = { 2, { 2, 4 } }, ha2;
	struct ike_blob		 cookie;
	uint16_t		 group;
	uint8_t			 proto;
	uint32_t		 spi;

	wr_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(ike_pld_ke_encode(&w, &ke), 0);
	CU_ASSERT_EQUAL(ike_pld_ke_decode(out, w.len, &ke2), 0);
	CU_ASSERT(ke2.group == 14 && ke2.len == 6 &&
	    memcmp(ke2.data, "abcdef", 6) == 0);

	wr_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(ike_pld_id_encode(&w, &id), 0);
	CU_ASSERT_EQUAL(ike_pld_id_decode(out, w.len, &id2), 0);
	CU_ASSERT(id2.type == IKE_ID_IPV4_ADDR && id2.len == 4 &&
	    id2.data[0] == 0xc0);

	/* RFC 7427: algid and signature given apart, split again. */
	memset(&au, 0, sizeof(au));
	au.method = IKE_AUTH_DIGITAL_SIG;
	au.algid = (const uint8_t *)"\x30\x0a\x06\x08";
	au.algid_len = 4;
	au.sig = (const uint8_t *)"SIGNATURE";
	au.sig_len = 9;
	wr_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(ike_pld_auth_encode(&w, &au), 0);
	CU_ASSERT_EQUAL(w.len, 4 + 1 + 4 + 9);
	CU_ASSERT_EQUAL(ike_pld_auth_decode(out, w.len, &au2), 0);
	CU_ASSERT(au2.method == IKE_AUTH_DIGITAL_SIG && au2.algid_len == 4 &&
	    au2.sig_len == 9 && memcmp(au2.sig, "SIGNATURE", 9) == 0 &&
	    au2.len == 14);

	/* Notify with the typed data of every decoder we have. */
	memset(&n, 0, sizeof(n));
	n.type = IKE_N_IKEV2_MESSAGE_ID_SYNC;
	wr_init(&w, out + 100, 100);
	CU_ASSERT_EQUAL(ike_n_mid_sync_encode(&w, &ms), 0);
	n.data = out + 100;
	n.len = w.len;
	wr_init(&w, out, 100);
	CU_ASSERT_EQUAL(ike_pld_notify_encode(&w, &n), 0);
	CU_ASSERT_EQUAL(ike_pld_notify_decode(out, w.len, &n2), 0);
	CU_ASSERT_EQUAL(ike_n_mid_sync_decode(&n2, &ms2), 0);
	CU_ASSERT(ms2.nonce == ms.nonce && ms2.send_req == 7 &&
	    ms2.recv_req == 9);
	CU_ASSERT_EQUAL(ike_n_replay_sync_decode(&n2, &rs2), IKE_E_N_TYPE);

	n.type = IKE_N_IPSEC_REPLAY_COUNTER_SYNC;
	wr_init(&w, out + 100, 100);
	CU_ASSERT_EQUAL(ike_n_replay_sync_encode(&w, &rs), 0);
	n.data = out + 100;
	n.len = w.len;
	CU_ASSERT_EQUAL(n.len, 8);
	CU_ASSERT_EQUAL(ike_n_replay_sync_decode(&n, &rs2), 0);
	CU_ASSERT(rs2.delta == rs.delta && rs2.wide);
	wr_init(&w, out + 100, 100);
	CU_ASSERT_EQUAL(ike_n_replay_sync_encode(&w, &rs4), 0);
	n.len = w.len;
	CU_ASSERT_EQUAL(n.len, 4);
	CU_ASSERT_EQUAL(ike_n_replay_sync_decode(&n, &rs2), 0);
	CU_ASSERT(rs2.delta == 16384 && !rs2.wide);
	rs4.delta = 1ULL << 32;
	CU_ASSERT_EQUAL(ike_n_replay_sync_encode(&w, &rs4), IKE_E_ENC_ARG);

	n.type = IKE_N_SIGNATURE_HASH_ALGORITHMS;
	wr_init(&w, out + 100, 100);
	CU_ASSERT_EQUAL(ike_n_hash_algs_encode(&w, &ha), 0);
	n.len = w.len;
	CU_ASSERT_EQUAL(ike_n_hash_algs_decode(&n, &ha2), 0);
	CU_ASSERT(ha2.n == 2 && ha2.alg[0] == 2 && ha2.alg[1] == 4);

	n.type = IKE_N_COOKIE;
	n.data = (const uint8_t *)"cookie";
	n.len = 6;
	CU_ASSERT_EQUAL(ike_n_cookie_decode(&n, &cookie), 0);
	CU_ASSERT_EQUAL(cookie.len, 6);
	n.type = IKE_N_INVALID_KE_PAYLOAD;
	n.data = (const uint8_t *)"\x00\x13";
	n.len = 2;
	CU_ASSERT_EQUAL(ike_n_invalid_ke_decode(&n, &group), 0);
	CU_ASSERT_EQUAL(group, IKE_KE_ECP_256);
	n.type = IKE_N_REKEY_SA;
	n.proto = IKE_PROTO_ESP;
	n.spi_size = 4;
	n.spi = (const uint8_t *)"\xc1\x02\x03\x04";
	n.len = 0;
	wr_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(ike_pld_notify_encode(&w, &n), 0);
	CU_ASSERT_EQUAL(ike_pld_notify_decode(out, w.len, &n2), 0);
	CU_ASSERT_EQUAL(ike_n_rekey_sa_decode(&n2, &proto, &spi), 0);
	CU_ASSERT(proto == IKE_PROTO_ESP && spi == 0xc1020304);

	wr_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(ike_pld_delete_encode(&w, &d), 0);
	CU_ASSERT_EQUAL(ike_pld_delete_decode(out, w.len, &d2), 0);
	CU_ASSERT_EQUAL(d2.nspi, 3);
	CU_ASSERT_EQUAL(ike_delete_spi32(&d2, 0), 1);
	CU_ASSERT_EQUAL(ike_delete_spi32(&d2, 2), 0xff000003);
	CU_ASSERT_EQUAL(ike_delete_spi32(&d2, 3), 0);

	memset(&cp, 0, sizeof(cp));
	cp.type = IKE_CP_REQUEST;
	cp.nattr = 2;
	cp.attr[0].type = IKE_CFG_INTERNAL_IP4_ADDRESS;
	cp.attr[1].type = IKE_CFG_INTERNAL_IP6_DNS;
	cp.attr[1].len = 3;
	cp.attr[1].val = (const uint8_t *)"abc";
	wr_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(ike_pld_cp_encode(&w, &cp), 0);
	CU_ASSERT_EQUAL(ike_pld_cp_decode(out, w.len, &cp2), 0);
	CU_ASSERT(cp2.type == IKE_CP_REQUEST && cp2.nattr == 2 &&
	    cp2.attr[1].type == IKE_CFG_INTERNAL_IP6_DNS &&
	    cp2.attr[1].len == 3 && cp2.attr[0].len == 0);

	wr_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(ike_pld_eap_encode(&w, &eap), 0);
	CU_ASSERT_EQUAL(w.len, 7);
	CU_ASSERT_EQUAL(ike_pld_eap_decode(out, w.len, &eap2), 0);
	CU_ASSERT(eap2.code == IKE_EAP_RESPONSE && eap2.ident == 9 &&
	    eap2.type == 26 && eap2.len == 2);
}

/* The encoder's bytes, one by one: lengths and the Next Payload chain. */
static void
test_encoder_bytes(void)
{
	static const char	 want_hex[] =
		/* header: next N(0x29), len 0x40 = 64 */
		"00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff"
		"29 20 25 20 00 00 00 05 00 00 00 40"
		/* N(COOKIE), next D(0x2a), length 12 */
		"2a 00 00 0c 00 00 40 06 aa bb cc dd"
		/* D(ESP, 1 SPI), next SKF(0x35), length 12 */
		"35 00 00 0c 03 04 00 01 c1 00 00 09"
		/* SKF: next IDi (first inner), length 12, fragment 1 of 2 */
		"23 00 00 0c 00 01 00 02 00 00 00 00";
	uint8_t			 want[128], out[128];
	struct ike_hdr		 h = hdr_init(IKE_EXCH_INFORMATIONAL,
				    IKE_FLAG_RESPONSE, 5);
	struct ike_notify_pld	 n;
	struct ike_delete	 d = { IKE_PROTO_ESP, 4, 1,
				    (const uint8_t *)"\xc1\x00\x00\x09" };
	struct ike_enc		 e;
	struct wr		 w;
	size_t			 len, off;
	static struct ike_msg	 m;

	len = unhex(want_hex, want, sizeof(want));
	memset(out, 0xee, sizeof(out));
	wr_init(&w, out, sizeof(out));
	ike_enc_init(&e, &w, &h);
	memset(&n, 0, sizeof(n));
	n.type = IKE_N_COOKIE;
	n.data = (const uint8_t *)"\xaa\xbb\xcc\xdd";
	n.len = 4;
	ike_enc_notify(&e, &n);
	ike_enc_delete(&e, &d);
	ike_enc_skf(&e, IKE_PLD_IDI, 1, 2, 4, &off);
	CU_ASSERT_EQUAL(ike_enc_finish(&e), (int)len);
	CU_ASSERT_EQUAL(off, 60);
	CU_ASSERT_EQUAL(out[16], IKE_PLD_NOTIFY);	/* header's next */
	CU_ASSERT_EQUAL(out[27], 64);			/* header length */
	CU_ASSERT_EQUAL(out[28], IKE_PLD_DELETE);	/* N -> D */
	CU_ASSERT_EQUAL(out[31], 12);			/* N length */
	CU_ASSERT_EQUAL(out[40], IKE_PLD_SKF);		/* D -> SKF */
	CU_ASSERT_EQUAL(out[43], 12);			/* D length */
	CU_ASSERT_EQUAL(out[52], IKE_PLD_IDI);		/* SKF -> inner */
	UNIT_ASSERT_BYTES(out, want, len);
	CU_ASSERT_EQUAL_FATAL(ike_decode(out, len, &m), 0);
	CU_ASSERT(m.sk.present && m.sk.frag);
	CU_ASSERT_EQUAL(m.sk.frag_num, 1);
	CU_ASSERT_EQUAL(m.sk.frag_total, 2);
	CU_ASSERT_EQUAL(m.sk.first, IKE_PLD_IDI);
	CU_ASSERT_EQUAL(m.sk.body_off, 60);
	CU_ASSERT_EQUAL(m.sk.body_len, 4);
	wr_init(&w, out, sizeof(out));
	CU_ASSERT_EQUAL(ike_encode(&w, &m), (int)len);
	UNIT_ASSERT_BYTES(out, want, len);
}

/* Encoder misuse and short buffers give precise errors, never overruns. */
static void
test_encoder_errors(void)
{
	uint8_t		 out[64];
	struct ike_hdr	 h = hdr_init(IKE_EXCH_INFORMATIONAL, 0, 1);
	struct ike_enc	 e;
	struct wr	 w;
	size_t		 off, cap;
	int		 rc;

	/* Every buffer size from 0 up: NOSPACE until it fits. */
	for (cap = 0; cap <= 40; cap++) {
		wr_init(&w, out, cap);
		ike_enc_init(&e, &w, &h);
		ike_enc_nonce(&e, (const uint8_t *)"0123456789abcdef", 8);
		rc = ike_enc_finish(&e);
		CU_ASSERT_EQUAL(rc, cap < 40 ? IKE_E_NOSPACE : 40);
	}
	/* Nothing may follow SK. */
	wr_init(&w, out, sizeof(out));
	ike_enc_init(&e, &w, &h);
	ike_enc_sk(&e, IKE_PLD_NONE, 8, &off);
	ike_enc_vendor(&e, (const uint8_t *)"x", 1);
	CU_ASSERT_EQUAL(ike_enc_finish(&e), IKE_E_ENC_STATE);
	/* A payload left open. */
	wr_init(&w, out, sizeof(out));
	ike_enc_init(&e, &w, &h);
	ike_enc_pld_begin(&e, IKE_PLD_VENDOR, 0);
	CU_ASSERT_EQUAL(ike_enc_finish(&e), IKE_E_ENC_STATE);
	/* end without begin */
	wr_init(&w, out, sizeof(out));
	ike_enc_init(&e, &w, &h);
	ike_enc_pld_end(&e);
	CU_ASSERT_EQUAL(ike_enc_finish(&e), IKE_E_ENC_STATE);
	/* RFC 7383 numbering, on the sending side too. */
	wr_init(&w, out, sizeof(out));
	ike_enc_init(&e, &w, &h);
	ike_enc_skf(&e, IKE_PLD_NONE, 3, 2, 0, &off);
	CU_ASSERT_EQUAL(ike_enc_finish(&e), IKE_E_ENC_ARG);
	wr_init(&w, out, sizeof(out));
	ike_enc_init(&e, &w, &h);
	ike_enc_id(&e, IKE_PLD_SA, NULL);
	CU_ASSERT_EQUAL(ike_enc_finish(&e), IKE_E_ENC_ARG);
	/* An empty message is fine: 28 bytes, next payload NONE. */
	wr_init(&w, out, sizeof(out));
	ike_enc_init(&e, &w, &h);
	CU_ASSERT_EQUAL(ike_enc_finish(&e), IKE_HDR_LEN);
	CU_ASSERT_EQUAL(out[16], IKE_PLD_NONE);
}

/* Every enumerator has a name; unknown values say so. */
static void
test_names(void)
{
	static const struct {
		const char	*(*fn)(unsigned int);
		unsigned int	 v;
		const char	*want;
	} t[] = {
		{ ike_exch_name, 34, "IKE_SA_INIT" },
		{ ike_exch_name, 36, "CREATE_CHILD_SA" },
		{ ike_exch_name, 43, "IKE_INTERMEDIATE" },
		{ ike_pld_name, 0, "NONE" },
		{ ike_pld_name, 35, "IDi" },
		{ ike_pld_name, 46, "SK" },
		{ ike_pld_name, 53, "SKF" },
		{ ike_proto_name, 3, "ESP" },
		{ ike_xform_type_name, 4, "KE" },
		{ ike_encr_name, 20, "AES_GCM_16" },
		{ ike_encr_name, 28, "CHACHA20_POLY1305" },
		{ ike_prf_name, 5, "HMAC_SHA2_256" },
		{ ike_integ_name, 0, "NONE" },
		{ ike_integ_name, 12, "HMAC_SHA2_256_128" },
		{ ike_ke_name, 31, "CURVE25519" },
		{ ike_esn_name, 1, "ESN" },
		{ ike_id_type_name, 2, "FQDN" },
		{ ike_cert_enc_name, 4, "X509_SIG" },
		{ ike_auth_method_name, 14, "DIGITAL_SIG" },
		{ ike_hash_name, 2, "SHA2_256" },
		{ ike_notify_name, 7, "INVALID_SYNTAX" },
		{ ike_notify_name, 16388, "NAT_DETECTION_SOURCE_IP" },
		{ ike_notify_name, 16422, "IKEV2_MESSAGE_ID_SYNC" },
		{ ike_notify_name, 16423, "IPSEC_REPLAY_COUNTER_SYNC" },
		{ ike_ts_type_name, 8, "TS_IPV6_ADDR_RANGE" },
		{ ike_cp_type_name, 2, "CFG_REPLY" },
		{ ike_cfg_attr_name, 1, "INTERNAL_IP4_ADDRESS" },
		{ ike_eap_code_name, 3, "SUCCESS" },
		{ ike_exch_name, 0, "UNKNOWN" },
		{ ike_pld_name, 99, "UNKNOWN" },
		{ ike_notify_name, 65535, "UNKNOWN" },
		{ ike_encr_name, 0x10000, "UNKNOWN" },
	};
	char	 b[32];
	size_t	 i;
	int	 e, f;

	for (i = 0; i < nitems(t); i++) {
		if (strcmp(t[i].fn(t[i].v), t[i].want) != 0)
			fprintf(stderr, "name %u: %s, want %s\n", t[i].v,
			    t[i].fn(t[i].v), t[i].want);
		CU_ASSERT_STRING_EQUAL(t[i].fn(t[i].v), t[i].want);
	}
	CU_ASSERT_STRING_EQUAL(ike_xform_id_name(IKE_XF_KE, 19), "ECP_256");
	CU_ASSERT_STRING_EQUAL(ike_xform_id_name(9, 19), "UNKNOWN");
	CU_ASSERT_STRING_EQUAL(ike_name_fmt(b, sizeof(b), ike_notify_name,
	    16390), "COOKIE");
	CU_ASSERT_STRING_EQUAL(ike_name_fmt(b, sizeof(b), ike_notify_name,
	    40000), "UNKNOWN(40000)");
	CU_ASSERT_STRING_EQUAL(ike_name_fmt(b, 8, ike_notify_name, 40000),
	    "UNKNOWN");
	/* Every error code: named, and names are distinct. */
	for (e = 0; e >= IKE_E_LAST; e--) {
		CU_ASSERT_STRING_NOT_EQUAL(ike_err_name(e), "UNKNOWN");
		for (f = e - 1; f >= IKE_E_LAST; f--)
			CU_ASSERT_STRING_NOT_EQUAL(ike_err_name(e),
			    ike_err_name(f));
	}
	CU_ASSERT_STRING_EQUAL(ike_err_name(IKE_E_SHORT_HDR), "SHORT_HDR");
	CU_ASSERT_STRING_EQUAL(ike_err_name(IKE_E_LAST - 1), "UNKNOWN");
	CU_ASSERT_STRING_EQUAL(ike_err_name(1), "UNKNOWN");
}

/* ------------------------------------------------------------------ */
/* The fuzz seed corpus                                                 */

/* An SA_INIT response: SA (one proposal), KE, Nonce, N(NATD) x2, CERTREQ */
static int
build_sa_init_resp(uint8_t *out, size_t cap)
{
	static struct ike_prop	 p;
	struct ike_hdr		 h = hdr_init(IKE_EXCH_SA_INIT,
				    IKE_FLAG_RESPONSE, 0);
	struct ike_ke_pld	 ke;
	struct ike_notify_pld	 n;
	struct ike_cert		 cr;
	struct ike_enc		 e;
	struct wr		 w;
	uint8_t			 kd[32], nonce[32], hash[20], ca[40];

	fill(kd, sizeof(kd), 0x61);
	fill(nonce, sizeof(nonce), 0x91);
	fill(hash, sizeof(hash), 0x21);
	fill(ca, sizeof(ca), 0x41);
	memset(&p, 0, sizeof(p));
	p.num = 1;
	p.proto = IKE_PROTO_IKE;
	xf(&p, IKE_XF_ENCR, IKE_ENCR_AES_GCM_16, 256);
	xf(&p, IKE_XF_PRF, IKE_PRF_HMAC_SHA2_256, 0);
	xf(&p, IKE_XF_KE, IKE_KE_CURVE25519, 0);
	wr_init(&w, out, cap);
	ike_enc_init(&e, &w, &h);
	ike_enc_sa(&e, &p, 1);
	ke.group = IKE_KE_CURVE25519;
	ke.data = kd;
	ke.len = sizeof(kd);
	ike_enc_ke(&e, &ke);
	ike_enc_nonce(&e, nonce, sizeof(nonce));
	memset(&n, 0, sizeof(n));
	n.type = IKE_N_NAT_DETECTION_SOURCE_IP;
	n.data = hash;
	n.len = sizeof(hash);
	ike_enc_notify(&e, &n);
	n.type = IKE_N_NAT_DETECTION_DESTINATION_IP;
	ike_enc_notify(&e, &n);
	cr.enc = IKE_CERT_X509_SIG;
	cr.data = ca;
	cr.len = sizeof(ca);
	ike_enc_certreq(&e, &cr);
	n.type = IKE_N_MULTIPLE_AUTH_SUPPORTED;
	n.len = 0;
	ike_enc_notify(&e, &n);
	return ike_enc_finish(&e);
}

/* A message whose SK body is the plaintext chain (no crypto here). */
static int
build_protected(uint8_t *out, size_t cap, uint8_t exch, uint8_t flags,
    uint32_t mid, const uint8_t *inner, size_t ilen, uint8_t first)
{
	struct ike_hdr	 h = hdr_init(exch, flags, mid);
	struct ike_enc	 e;
	struct wr	 w;
	size_t		 off;
	int		 len;

	wr_init(&w, out, cap);
	ike_enc_init(&e, &w, &h);
	ike_enc_sk(&e, first, 16 + ilen + 16, &off);
	if ((len = ike_enc_finish(&e)) > 0) {
		fill(out + off, 16, 0x10);
		if (ilen > 0)
			memcpy(out + off + 16, inner, ilen);
		fill(out + off + 16 + ilen, 16, 0x80);
	}
	return len;
}

/* Append the payloads of a bare chain, as they are. */
static void
enc_chain(struct ike_enc *e, const uint8_t *inner, size_t ilen, uint8_t first)
{
	static struct ike_chain	 c;
	size_t			 i;

	CU_ASSERT_EQUAL_FATAL(ike_decode_inner(inner, ilen, first, &c), 0);
	for (i = 0; i < c.n; i++)
		ike_enc_raw(e, c.pld[i].type, c.pld[i].flags, c.pld[i].body,
		    c.pld[i].len);
}

/* Unencrypted messages that carry every payload type (for the fuzzer). */
static int
build_every_payload(uint8_t *out, size_t cap)
{
	uint8_t			 inner[1024];
	struct ike_hdr		 h = hdr_init(IKE_EXCH_INFORMATIONAL, 0, 9);
	struct ike_cp		 cp;
	struct ike_eap		 eap = { IKE_EAP_REQUEST, 1, 1, NULL, 0 };
	struct ike_delete	 d = { IKE_PROTO_IKE, 0, 0, NULL };
	struct ike_cert		 c = { IKE_CERT_X509_SIG,
				    (const uint8_t *)"\x30\3\2\1\1", 5 };
	struct ike_ke_pld	 ke = { IKE_KE_MODP_2048, inner, 256 };
	struct ike_enc		 e;
	struct wr		 w;
	uint8_t			 first;
	int			 ilen;

	/* The AUTH inner chain carries ID, CERTREQ, AUTH, SA, TS, N. */
	if ((ilen = build_auth_inner(inner, sizeof(inner), &first)) < 0)
		return ilen;
	memset(&cp, 0, sizeof(cp));
	cp.type = IKE_CP_REQUEST;
	cp.nattr = 1;
	cp.attr[0].type = IKE_CFG_INTERNAL_IP4_ADDRESS;
	wr_init(&w, out, cap);
	ike_enc_init(&e, &w, &h);
	ike_enc_cert(&e, &c);
	ike_enc_ke(&e, &ke);
	ike_enc_cp(&e, &cp);
	ike_enc_eap(&e, &eap);
	ike_enc_delete(&e, &d);
	ike_enc_vendor(&e, (const uint8_t *)"tandem", 6);
	ike_enc_raw(&e, 49, 0, (const uint8_t *)"skip", 4); /* unknown */
	enc_chain(&e, inner, (size_t)ilen, first);
	return ike_enc_finish(&e);
}

struct seed {
	const char	*name;
	uint8_t		 data[1500];
	int		 len;
};

static size_t
make_seeds(struct seed *s)
{
	uint8_t			 inner[1024];
	struct ike_enc		 e;
	struct ike_notify_pld	 n;
	struct ike_delete	 d = { IKE_PROTO_ESP, 4, 2,
				    (const uint8_t *)"\xc1\0\0\1\xc1\0\0\2" };
	struct ike_n_mid_sync	 ms = { 0x01020304, 12, 34 };
	struct ike_hdr		 h;
	struct wr		 w;
	uint8_t			 first, data[16];
	size_t			 k = 0, off;
	int			 ilen;

	s[k].name = "sa_init_req";
	s[k].len = (int)unhex(sa_init_hex, s[k].data, sizeof(s[k].data));
	k++;
	s[k].name = "strongswan_sa_init_req";
	s[k].len = (int)unhex(ss_init_req_hex, s[k].data, sizeof(s[k].data));
	k++;
	s[k].name = "strongswan_sa_init_resp";
	s[k].len = (int)unhex(ss_init_resp_hex, s[k].data, sizeof(s[k].data));
	k++;
	s[k].name = "sa_init_resp";
	s[k].len = build_sa_init_resp(s[k].data, sizeof(s[k].data));
	k++;
	s[k].name = "auth_req_sk";
	s[k].len = (int)unhex(auth_sk_hex, s[k].data, sizeof(s[k].data));
	k++;
	ilen = build_auth_inner(inner, sizeof(inner), &first);
	s[k].name = "auth_req_inner_in_sk";
	s[k].len = build_protected(s[k].data, sizeof(s[k].data),
	    IKE_EXCH_AUTH, IKE_FLAG_INITIATOR, 1, inner, (size_t)ilen, first);
	k++;
	/* INFORMATIONAL: empty (DPD), delete, message ID sync */
	s[k].name = "info_empty";
	s[k].len = build_protected(s[k].data, sizeof(s[k].data),
	    IKE_EXCH_INFORMATIONAL, IKE_FLAG_RESPONSE, 7, NULL, 0,
	    IKE_PLD_NONE);
	k++;
	wr_init(&w, inner, sizeof(inner));
	ike_enc_init_chain(&e, &w);
	ike_enc_delete(&e, &d);
	ilen = ike_enc_finish(&e);
	s[k].name = "info_delete";
	s[k].len = build_protected(s[k].data, sizeof(s[k].data),
	    IKE_EXCH_INFORMATIONAL, IKE_FLAG_INITIATOR, 8, inner,
	    (size_t)ilen, ike_enc_first(&e));
	k++;
	wr_init(&w, data, sizeof(data));
	(void)ike_n_mid_sync_encode(&w, &ms);
	wr_init(&w, inner, sizeof(inner));
	ike_enc_init_chain(&e, &w);
	memset(&n, 0, sizeof(n));
	n.type = IKE_N_IKEV2_MESSAGE_ID_SYNC;
	n.data = data;
	n.len = IKE_MID_SYNC_LEN;
	ike_enc_notify(&e, &n);
	n.type = IKE_N_IPSEC_REPLAY_COUNTER_SYNC;
	n.len = 8;
	ike_enc_notify(&e, &n);
	ilen = ike_enc_finish(&e);
	s[k].name = "info_mid_sync";
	s[k].len = build_protected(s[k].data, sizeof(s[k].data),
	    IKE_EXCH_INFORMATIONAL, IKE_FLAG_INITIATOR, 0, inner,
	    (size_t)ilen, ike_enc_first(&e));
	k++;
	/* CREATE_CHILD_SA rekeying a Child SA: N(REKEY_SA) SA Ni KEi TS */
	wr_init(&w, inner, sizeof(inner));
	ike_enc_init_chain(&e, &w);
	n.type = IKE_N_REKEY_SA;
	n.proto = IKE_PROTO_ESP;
	n.spi_size = 4;
	n.spi = (const uint8_t *)"\xc1\0\0\1";
	n.len = 0;
	ike_enc_notify(&e, &n);
	ike_enc_nonce(&e, data, sizeof(data));
	ilen = build_auth_inner(buf2, sizeof(buf2), &first);
	enc_chain(&e, buf2, (size_t)ilen, first);	/* + SA, TSi, TSr */
	ilen = ike_enc_finish(&e);
	s[k].name = "create_child_rekey";
	s[k].len = build_protected(s[k].data, sizeof(s[k].data),
	    IKE_EXCH_CREATE_CHILD, IKE_FLAG_INITIATOR, 3, inner,
	    (size_t)ilen, ike_enc_first(&e));
	k++;
	/* IKE_AUTH fragments 1/2 and 2/2 (RFC 7383) */
	h = hdr_init(IKE_EXCH_AUTH, IKE_FLAG_INITIATOR, 1);
	wr_init(&w, s[k].data, sizeof(s[k].data));
	ike_enc_init(&e, &w, &h);
	ike_enc_skf(&e, IKE_PLD_IDI, 1, 2, 64, &off);
	s[k].name = "auth_skf_1of2";
	s[k].len = ike_enc_finish(&e);
	k++;
	wr_init(&w, s[k].data, sizeof(s[k].data));
	ike_enc_init(&e, &w, &h);
	ike_enc_skf(&e, IKE_PLD_NONE, 2, 2, 40, &off);
	s[k].name = "auth_skf_2of2";
	s[k].len = ike_enc_finish(&e);
	k++;
	s[k].name = "every_payload";
	s[k].len = build_every_payload(s[k].data, sizeof(s[k].data));
	k++;
	/* The IKE_AUTH inner chain alone, as a message (fuzzes TS/ID...) */
	ilen = build_auth_inner(inner, sizeof(inner), &first);
	h = hdr_init(IKE_EXCH_AUTH, IKE_FLAG_RESPONSE, 1);
	wr_init(&w, s[k].data, sizeof(s[k].data));
	ike_enc_init(&e, &w, &h);
	enc_chain(&e, inner, (size_t)ilen, first);
	s[k].name = "auth_inner_clear";
	s[k].len = ike_enc_finish(&e);
	k++;
	return k;
}

static void
test_seeds(void)
{
	static struct seed	 s[20];
	static struct ike_msg	 m;
	static struct ike_chain	 in;
	const char		*dir = getenv("IKE_WRITE_SEEDS");
	char			 path[512];
	FILE			*f;
	size_t			 n, i;

	n = make_seeds(s);
	CU_ASSERT(n >= 10);
	for (i = 0; i < n; i++) {
		CU_ASSERT_FATAL(s[i].len > 0);
		if (ike_decode(s[i].data, (size_t)s[i].len, &m) != 0)
			fprintf(stderr, "seed %s: %s\n", s[i].name,
			    ike_err_name(ike_decode(s[i].data,
			    (size_t)s[i].len, &m)));
		CU_ASSERT_EQUAL(ike_decode(s[i].data, (size_t)s[i].len, &m),
		    0);
		if (m.sk.present && !m.sk.frag && m.sk.body_len >= 32 &&
		    strstr(s[i].name, "_sk") == NULL)
			CU_ASSERT_EQUAL(ike_decode_inner(s[i].data +
			    m.sk.body_off + 16, m.sk.body_len - 32,
			    m.sk.first, &in), 0);
		if (dir == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%s.bin", dir, s[i].name);
		CU_ASSERT_PTR_NOT_NULL_FATAL(f = fopen(path, "wb"));
		CU_ASSERT_EQUAL(fwrite(s[i].data, 1, (size_t)s[i].len, f),
		    (size_t)s[i].len);
		fclose(f);
	}
}

UNIT_SUITE(ike_codec, "ike codec",
    { "IKE_SA_INIT fixture", test_sa_init_fixture },
    { "strongSwan IKE_SA_INIT capture", test_strongswan_capture },
    { "IKE_AUTH with SK", test_auth_sk },
    { "round trip: wire", test_roundtrip_wire },
    { "round trip: structs", test_roundtrip_struct },
    { "encoder bytes", test_encoder_bytes },
    { "encoder errors", test_encoder_errors },
    { "names", test_names },
    { "fuzz seeds", test_seeds });
