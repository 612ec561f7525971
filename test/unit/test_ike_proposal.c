/*
 * test/unit/test_ike_proposal.c -- proposal selection (RFC 7296 2.7, 3.3).
 *
 * A table of peer SA payloads against configured proposals: AEAD vs
 * CBC+HMAC, Key Length rules, KE group mismatch, ESP with and without ESN
 * and PFS, IKE_AUTH (no KE), several proposals and protocols, our order
 * versus theirs.  Then the initiator's side: our SA offer on the wire and
 * the validation of the responder's one-proposal reply, including a
 * two-party round trip (offer -> select -> reply -> check).
 */
#include <stdio.h>
#include <string.h>

#include "tandem/util.h"
#include "tandem/wire.h"
#include "../../ikev2d/ike_msg.h"
#include "../../ikev2d/ike_names.h"
#include "../../ikev2d/ike_proposal.h"
#include "unit.h"

/* A peer proposal: transforms end at type 0. */
struct px {
	uint8_t		 t;
	uint16_t	 id;
	uint16_t	 kl;
};

struct pp {
	uint8_t		 proto;
	uint8_t		 spi_size;
	struct px	 xf[12];
};

#define E(id, kl)	{ IKE_XF_ENCR, IKE_ENCR_##id, kl }
#define P(id)		{ IKE_XF_PRF, IKE_PRF_##id, 0 }
#define I(id)		{ IKE_XF_INTEG, IKE_INTEG_##id, 0 }
#define K(id)		{ IKE_XF_KE, IKE_KE_##id, 0 }
#define S(id)		{ IKE_XF_ESN, IKE_ESN_##id, 0 }
#define IKE		IKE_PROTO_IKE, 0
#define ESP		IKE_PROTO_ESP, 4
#define AH		IKE_PROTO_AH, 4

/* Configured proposals. */
#define IKE_AEAD	{ \
	.proto = IKE_PROTO_IKE, \
	.nencr = 2, .encr = { { IKE_ENCR_AES_GCM_16, 256 }, \
	    { IKE_ENCR_AES_GCM_16, 128 } }, \
	.nprf = 1, .prf = { IKE_PRF_HMAC_SHA2_256 }, \
	.nke = 2, .ke = { IKE_KE_ECP_256, IKE_KE_CURVE25519 }, \
}
static const struct ike_cfg_prop ike_aead = IKE_AEAD;

#define IKE_CBC	{ \
	.proto = IKE_PROTO_IKE, \
	.nencr = 2, .encr = { { IKE_ENCR_AES_CBC, 256 }, \
	    { IKE_ENCR_AES_CBC, 128 } }, \
	.ninteg = 2, .integ = { IKE_INTEG_HMAC_SHA2_256_128, \
	    IKE_INTEG_HMAC_SHA1_96 }, \
	.nprf = 1, .prf = { IKE_PRF_HMAC_SHA2_256 }, \
	.nke = 2, .ke = { IKE_KE_MODP_2048, IKE_KE_ECP_256 }, \
}
static const struct ike_cfg_prop ike_cbc = IKE_CBC;

#define IKE_CHACHA	{ \
	.proto = IKE_PROTO_IKE, \
	.nencr = 1, .encr = { { IKE_ENCR_CHACHA20_POLY1305, 0 } }, \
	.nprf = 1, .prf = { IKE_PRF_HMAC_SHA2_256 }, \
	.nke = 1, .ke = { IKE_KE_CURVE25519 }, \
}
static const struct ike_cfg_prop ike_chacha = IKE_CHACHA;

#define ESP_AEAD	{	/* no PFS, ESN preferred */ \
	.proto = IKE_PROTO_ESP, \
	.nencr = 2, .encr = { { IKE_ENCR_AES_GCM_16, 128 }, \
	    { IKE_ENCR_AES_GCM_16, 256 } }, \
	.nesn = 2, .esn = { IKE_ESN_YES, IKE_ESN_NO }, \
}
static const struct ike_cfg_prop esp_aead = ESP_AEAD;

#define ESP_AEAD_DFLT	{	/* ESN: default NO */ \
	.proto = IKE_PROTO_ESP, \
	.nencr = 1, .encr = { { IKE_ENCR_AES_GCM_16, 128 } }, \
}
static const struct ike_cfg_prop esp_aead_dflt = ESP_AEAD_DFLT;

#define ESP_ESN_ONLY	{ \
	.proto = IKE_PROTO_ESP, \
	.nencr = 1, .encr = { { IKE_ENCR_AES_GCM_16, 128 } }, \
	.nesn = 1, .esn = { IKE_ESN_YES }, \
}
static const struct ike_cfg_prop esp_esn_only = ESP_ESN_ONLY;

#define ESP_CBC_PFS	{ \
	.proto = IKE_PROTO_ESP, \
	.nencr = 1, .encr = { { IKE_ENCR_AES_CBC, 128 } }, \
	.ninteg = 1, .integ = { IKE_INTEG_HMAC_SHA2_256_128 }, \
	.nke = 1, .ke = { IKE_KE_ECP_256 }, \
}
static const struct ike_cfg_prop esp_cbc_pfs = ESP_CBC_PFS;

#define AH_SHA	{ \
	.proto = IKE_PROTO_AH, \
	.ninteg = 1, .integ = { IKE_INTEG_HMAC_SHA2_256_128 }, \
}
static const struct ike_cfg_prop ah_sha = AH_SHA;

static const struct ike_cfg_prop ours_aead_cbc[] = { IKE_AEAD, IKE_CBC };
static const struct ike_cfg_prop ours_esp_mix[] = { ESP_CBC_PFS, ESP_AEAD };

#define NONE_	(-1)		/* transform type absent from the result */
#define NOPROP	IKE_E_NO_PROPOSAL, 0, 0, 0, 0, 0, 0, 0

static const struct sel_case {
	const char			*name;
	const struct ike_cfg_prop	*ours;
	size_t				 nours;
	uint8_t				 proto;
	unsigned int			 flags;
	struct pp			 peer[3];
	int				 want;
	/* the suite, when want == 0 */
	uint8_t				 num;
	uint16_t			 encr, keylen;
	int				 integ, prf, ke, esn;
} sel_cases[] = {
	{ "IKE AEAD, exact", &ike_aead, 1, IKE_PROTO_IKE, 0,
	    { { IKE, { E(AES_GCM_16, 256), P(HMAC_SHA2_256), K(ECP_256) } } },
	    0, 1, IKE_ENCR_AES_GCM_16, 256, NONE_, 5, 19, NONE_ },
	{ "IKE AEAD, INTEG NONE echoed", &ike_aead, 1, IKE_PROTO_IKE, 0,
	    { { IKE, { E(AES_GCM_16, 256), I(NONE), P(HMAC_SHA2_256),
	    K(ECP_256) } } },
	    0, 1, IKE_ENCR_AES_GCM_16, 256, 0, 5, 19, NONE_ },
	{ "IKE AEAD with a real INTEG only", &ike_aead, 1, IKE_PROTO_IKE, 0,
	    { { IKE, { E(AES_GCM_16, 256), I(HMAC_SHA2_256_128),
	    P(HMAC_SHA2_256), K(ECP_256) } } },
	    NOPROP },
	{ "IKE CBC: our key length and group order", &ike_cbc, 1,
	    IKE_PROTO_IKE, 0,
	    { { IKE, { E(AES_CBC, 128), E(AES_CBC, 256), I(HMAC_SHA1_96),
	    I(HMAC_SHA2_256_128), P(HMAC_SHA2_256), K(ECP_256),
	    K(MODP_2048) } } },
	    0, 1, IKE_ENCR_AES_CBC, 256, 12, 5, 14, NONE_ },
	{ "IKE CBC: Key Length mismatch", &ike_cbc, 1, IKE_PROTO_IKE, 0,
	    { { IKE, { E(AES_CBC, 192), I(HMAC_SHA2_256_128),
	    P(HMAC_SHA2_256), K(MODP_2048) } } },
	    NOPROP },
	{ "IKE CBC: AES without Key Length", &ike_cbc, 1, IKE_PROTO_IKE, 0,
	    { { IKE, { E(AES_CBC, 0), I(HMAC_SHA2_256_128),
	    P(HMAC_SHA2_256), K(MODP_2048) } } },
	    NOPROP },
	{ "IKE CBC without INTEG", &ike_cbc, 1, IKE_PROTO_IKE, 0,
	    { { IKE, { E(AES_CBC, 256), P(HMAC_SHA2_256), K(MODP_2048) } } },
	    NOPROP },
	{ "IKE CBC with INTEG NONE only", &ike_cbc, 1, IKE_PROTO_IKE, 0,
	    { { IKE, { E(AES_CBC, 256), I(NONE), P(HMAC_SHA2_256),
	    K(MODP_2048) } } },
	    NOPROP },
	{ "ChaCha20 without Key Length", &ike_chacha, 1, IKE_PROTO_IKE, 0,
	    { { IKE, { E(CHACHA20_POLY1305, 0), P(HMAC_SHA2_256),
	    K(CURVE25519) } } },
	    0, 1, IKE_ENCR_CHACHA20_POLY1305, 0, NONE_, 5, 31, NONE_ },
	{ "ChaCha20 with Key Length", &ike_chacha, 1, IKE_PROTO_IKE, 0,
	    { { IKE, { E(CHACHA20_POLY1305, 256), P(HMAC_SHA2_256),
	    K(CURVE25519) } } },
	    NOPROP },
	{ "KE group mismatch", &ike_aead, 1, IKE_PROTO_IKE, 0,
	    { { IKE, { E(AES_GCM_16, 256), P(HMAC_SHA2_256), K(ECP_384) } } },
	    NOPROP },
	{ "IKE without KE", &ike_aead, 1, IKE_PROTO_IKE, 0,
	    { { IKE, { E(AES_GCM_16, 256), P(HMAC_SHA2_256) } } },
	    NOPROP },
	{ "IKE KE NONE", &ike_aead, 1, IKE_PROTO_IKE, 0,
	    { { IKE, { E(AES_GCM_16, 256), P(HMAC_SHA2_256), K(NONE) } } },
	    NOPROP },
	{ "IKE without PRF", &ike_aead, 1, IKE_PROTO_IKE, 0,
	    { { IKE, { E(AES_GCM_16, 256), K(ECP_256) } } },
	    NOPROP },
	{ "ESN in an IKE proposal", &ike_aead, 1, IKE_PROTO_IKE, 0,
	    { { IKE, { E(AES_GCM_16, 256), P(HMAC_SHA2_256), K(ECP_256),
	    S(NO) } } },
	    NOPROP },
	{ "unknown transform type rejects its proposal", &ike_aead, 1,
	    IKE_PROTO_IKE, 0,
	    { { IKE, { E(AES_GCM_16, 256), P(HMAC_SHA2_256), K(ECP_256),
	    { 6, 1, 0 } } },
	      { IKE, { E(AES_GCM_16, 128), P(HMAC_SHA2_256),
	    K(CURVE25519) } } },
	    0, 2, IKE_ENCR_AES_GCM_16, 128, NONE_, 5, 31, NONE_ },
	{ "our proposal order over the peer's", ours_aead_cbc, 2,
	    IKE_PROTO_IKE, 0,
	    { { IKE, { E(AES_CBC, 256), I(HMAC_SHA2_256_128),
	    P(HMAC_SHA2_256), K(MODP_2048) } },
	      { IKE, { E(AES_GCM_16, 128), P(HMAC_SHA2_256), K(ECP_256) } } },
	    0, 2, IKE_ENCR_AES_GCM_16, 128, NONE_, 5, 19, NONE_ },
	{ "the peer's order among equals", &ike_cbc, 1, IKE_PROTO_IKE, 0,
	    { { IKE, { E(AES_CBC, 128), I(HMAC_SHA2_256_128),
	    P(HMAC_SHA2_256), K(ECP_256) } },
	      { IKE, { E(AES_CBC, 256), I(HMAC_SHA2_256_128),
	    P(HMAC_SHA2_256), K(MODP_2048) } } },
	    0, 1, IKE_ENCR_AES_CBC, 128, 12, 5, 19, NONE_ },
	{ "IKE rekey: 8-byte SPI", &ike_aead, 1, IKE_PROTO_IKE, 0,
	    { { IKE_PROTO_IKE, 8, { E(AES_GCM_16, 256), P(HMAC_SHA2_256),
	    K(ECP_256) } } },
	    0, 1, IKE_ENCR_AES_GCM_16, 256, NONE_, 5, 19, NONE_ },

	/* ESP */
	{ "ESP AEAD, ESN: ours preferred", &esp_aead, 1, IKE_PROTO_ESP, 0,
	    { { ESP, { E(AES_GCM_16, 256), E(AES_GCM_16, 128), S(NO),
	    S(YES) } } },
	    0, 1, IKE_ENCR_AES_GCM_16, 128, NONE_, NONE_, NONE_, 1 },
	{ "ESP ESN default NO", &esp_aead_dflt, 1, IKE_PROTO_ESP, 0,
	    { { ESP, { E(AES_GCM_16, 128), S(YES), S(NO) } } },
	    0, 1, IKE_ENCR_AES_GCM_16, 128, NONE_, NONE_, NONE_, 0 },
	{ "ESP ESN YES only vs default NO", &esp_aead_dflt, 1, IKE_PROTO_ESP,
	    0, { { ESP, { E(AES_GCM_16, 128), S(YES) } } },
	    NOPROP },
	{ "ESP without ESN transform", &esp_aead, 1, IKE_PROTO_ESP, 0,
	    { { ESP, { E(AES_GCM_16, 128) } } },
	    0, 1, IKE_ENCR_AES_GCM_16, 128, NONE_, NONE_, NONE_, NONE_ },
	{ "ESP without ESN, we need ESN", &esp_esn_only, 1, IKE_PROTO_ESP, 0,
	    { { ESP, { E(AES_GCM_16, 128) } } },
	    NOPROP },
	{ "ESP PFS required, none offered", &esp_cbc_pfs, 1, IKE_PROTO_ESP,
	    0, { { ESP, { E(AES_CBC, 128), I(HMAC_SHA2_256_128), S(NO) } } },
	    NOPROP },
	{ "ESP PFS", &esp_cbc_pfs, 1, IKE_PROTO_ESP, 0,
	    { { ESP, { E(AES_CBC, 128), I(HMAC_SHA2_256_128), K(ECP_384),
	    K(ECP_256), S(NO) } } },
	    0, 1, IKE_ENCR_AES_CBC, 128, 12, NONE_, 19, 0 },
	{ "ESP PFS group mismatch", &esp_cbc_pfs, 1, IKE_PROTO_ESP, 0,
	    { { ESP, { E(AES_CBC, 128), I(HMAC_SHA2_256_128), K(ECP_384),
	    S(NO) } } },
	    NOPROP },
	{ "IKE_AUTH: PFS config, no KE offered", &esp_cbc_pfs, 1,
	    IKE_PROTO_ESP, IKE_SEL_NO_KE,
	    { { ESP, { E(AES_CBC, 128), I(HMAC_SHA2_256_128), S(NO) } } },
	    0, 1, IKE_ENCR_AES_CBC, 128, 12, NONE_, NONE_, 0 },
	{ "IKE_AUTH: peer KE ignored", &esp_cbc_pfs, 1, IKE_PROTO_ESP,
	    IKE_SEL_NO_KE,
	    { { ESP, { E(AES_CBC, 128), I(HMAC_SHA2_256_128), K(ECP_384),
	    S(NO) } } },
	    0, 1, IKE_ENCR_AES_CBC, 128, 12, NONE_, NONE_, 0 },
	{ "ESP no PFS, KE NONE offered", &esp_aead, 1, IKE_PROTO_ESP, 0,
	    { { ESP, { E(AES_GCM_16, 128), K(ECP_256), K(NONE), S(NO) } } },
	    0, 1, IKE_ENCR_AES_GCM_16, 128, NONE_, NONE_, 0, 0 },
	{ "ESP no PFS, peer insists on a group", &esp_aead, 1, IKE_PROTO_ESP,
	    0, { { ESP, { E(AES_GCM_16, 128), K(ECP_256), S(NO) } } },
	    NOPROP },
	{ "PRF in an ESP proposal", &esp_aead, 1, IKE_PROTO_ESP, 0,
	    { { ESP, { E(AES_GCM_16, 128), P(HMAC_SHA2_256), S(NO) } } },
	    NOPROP },
	{ "AH then ESP: ESP chosen", &esp_aead, 1, IKE_PROTO_ESP, 0,
	    { { AH, { I(HMAC_SHA2_256_128), S(NO) } },
	      { ESP, { E(AES_GCM_16, 256), S(NO) } } },
	    0, 2, IKE_ENCR_AES_GCM_16, 256, NONE_, NONE_, NONE_, 0 },
	{ "ESP config against IKE request", &esp_aead, 1, IKE_PROTO_IKE, 0,
	    { { IKE, { E(AES_GCM_16, 128), P(HMAC_SHA2_256), K(ECP_256) } } },
	    NOPROP },
	{ "three ESP proposals, our mix", ours_esp_mix, 2, IKE_PROTO_ESP, 0,
	    { { ESP, { E(AES_GCM_16, 256), S(NO) } },
	      { ESP, { E(AES_CBC, 256), I(HMAC_SHA2_256_128), K(ECP_256),
	    S(NO) } },
	      { ESP, { E(AES_CBC, 128), I(HMAC_SHA2_256_128), K(ECP_256),
	    S(NO) } } },
	    0, 3, IKE_ENCR_AES_CBC, 128, 12, NONE_, 19, 0 },
	{ "AH", &ah_sha, 1, IKE_PROTO_AH, 0,
	    { { AH, { I(HMAC_SHA2_256_128), S(NO) } } },
	    0, 1, 0, 0, 12, NONE_, NONE_, 0 },
	{ "ENCR in an AH proposal", &ah_sha, 1, IKE_PROTO_AH, 0,
	    { { AH, { E(AES_CBC, 128), I(HMAC_SHA2_256_128), S(NO) } } },
	    NOPROP },
	{ "AH with INTEG NONE", &ah_sha, 1, IKE_PROTO_AH, 0,
	    { { AH, { I(NONE), S(NO) } } },
	    NOPROP },
};

static uint8_t	 sabuf[4096];

/* Encode peer proposals pp[0..] (until one without transforms). */
static size_t
peer_sa(const struct pp *pp, size_t max, uint8_t first_num, uint8_t *out,
    size_t cap)
{
	static struct ike_prop	 p[3];
	struct ike_xform	*x;
	struct wr		 w;
	size_t			 n, j;

	memset(p, 0, sizeof(p));
	for (n = 0; n < max && pp[n].xf[0].t != 0; n++) {
		p[n].num = (uint8_t)(first_num + n);
		p[n].proto = pp[n].proto;
		p[n].spi_size = pp[n].spi_size;
		for (j = 0; j < pp[n].spi_size; j++)
			p[n].spi[j] = (uint8_t)(0xc0 + n * 16 + j);
		for (j = 0; j < nitems(pp[n].xf) && pp[n].xf[j].t != 0; j++) {
			x = &p[n].xf[p[n].nxf++];
			x->type = pp[n].xf[j].t;
			x->id = pp[n].xf[j].id;
			x->keylen = pp[n].xf[j].kl;
		}
	}
	wr_init(&w, out, cap);
	CU_ASSERT_EQUAL_FATAL(ike_pld_sa_encode(&w, p, n), 0);
	return w.len;
}

static int
opt(bool has, uint16_t v)
{
	return has ? v : NONE_;
}

static void
test_select_table(void)
{
	const struct sel_case	*c;
	struct ike_sa_pld	 sa;
	struct ike_chosen	 ch;
	size_t			 i, len;
	int			 rc;

	for (i = 0; i < nitems(sel_cases); i++) {
		c = &sel_cases[i];
		len = peer_sa(c->peer, nitems(c->peer), 1, sabuf,
		    sizeof(sabuf));
		CU_ASSERT_EQUAL_FATAL(ike_pld_sa_decode(sabuf, len, &sa), 0);
		rc = ike_proposal_select(c->ours, c->nours, &sa, c->proto,
		    c->flags, &ch);
		if (rc != c->want)
			fprintf(stderr, "%s: got %s want %s\n", c->name,
			    ike_err_name(rc), ike_err_name(c->want));
		CU_ASSERT_EQUAL(rc, c->want);
		if (rc != 0 || c->want != 0)
			continue;
		if (ch.num != c->num || ch.encr != c->encr ||
		    ch.encr_keylen != c->keylen ||
		    opt(ch.has_integ, ch.integ) != c->integ ||
		    opt(ch.has_prf, ch.prf) != c->prf ||
		    opt(ch.has_ke, ch.ke) != c->ke ||
		    opt(ch.has_esn, ch.esn) != c->esn)
			fprintf(stderr, "%s: got #%u %s/%u integ %d prf %d "
			    "ke %d esn %d\n", c->name, ch.num,
			    ike_encr_name(ch.encr), ch.encr_keylen,
			    opt(ch.has_integ, ch.integ),
			    opt(ch.has_prf, ch.prf), opt(ch.has_ke, ch.ke),
			    opt(ch.has_esn, ch.esn));
		CU_ASSERT_EQUAL(ch.num, c->num);
		CU_ASSERT_EQUAL(ch.proto, c->proto);
		CU_ASSERT_EQUAL(ch.has_encr, c->proto != IKE_PROTO_AH);
		CU_ASSERT_EQUAL(ch.encr, c->encr);
		CU_ASSERT_EQUAL(ch.encr_keylen, c->keylen);
		CU_ASSERT_EQUAL(opt(ch.has_integ, ch.integ), c->integ);
		CU_ASSERT_EQUAL(opt(ch.has_prf, ch.prf), c->prf);
		CU_ASSERT_EQUAL(opt(ch.has_ke, ch.ke), c->ke);
		CU_ASSERT_EQUAL(opt(ch.has_esn, ch.esn), c->esn);
		/* The peer's SPI, as encoded by peer_sa(). */
		CU_ASSERT_EQUAL(ch.spi_size, c->peer[ch.num - 1].spi_size);
		if (ch.spi_size > 0)
			CU_ASSERT_EQUAL(ch.spi[0], 0xc0 + (ch.num - 1) * 16);
	}
}

/* Numbering, unknown attributes, SPI capture, helpers. */
static void
test_select_details(void)
{
	static const struct pp	 pp[] = {
		{ ESP, { E(AES_GCM_16, 128), S(NO) } },
	};
	/* One transform with an attribute we do not know (type 0x17). */
	static const char	 unk_hex[] =
		"00 00 00 28 01 01 00 03"
		"03 00 00 10 01 00 00 14 80 0e 01 00 80 17 00 01"
		"03 00 00 08 02 00 00 05 00 00 00 08 04 00 00 13";
	static const char	 unk2_hex[] =
		"00 00 00 34 01 01 00 04"
		"03 00 00 10 01 00 00 14 80 0e 01 00 80 17 00 01"
		"03 00 00 0c 01 00 00 14 80 0e 00 80"
		"03 00 00 08 02 00 00 05 00 00 00 08 04 00 00 13";
	struct ike_sa_pld	 sa;
	struct ike_chosen	 ch;
	size_t			 len;

	/* A request must number its proposals from 1 (3.3.1). */
	len = peer_sa(pp, 1, 2, sabuf, sizeof(sabuf));
	CU_ASSERT_EQUAL_FATAL(ike_pld_sa_decode(sabuf, len, &sa), 0);
	CU_ASSERT_EQUAL(sa.first_num, 2);
	CU_ASSERT_EQUAL(ike_proposal_select(&esp_aead, 1, &sa, IKE_PROTO_ESP,
	    0, &ch), IKE_E_PROP_NUM);
	len = peer_sa(pp, 1, 1, sabuf, sizeof(sabuf));
	CU_ASSERT_EQUAL_FATAL(ike_pld_sa_decode(sabuf, len, &sa), 0);
	CU_ASSERT_EQUAL_FATAL(ike_proposal_select(&esp_aead, 1, &sa,
	    IKE_PROTO_ESP, 0, &ch), 0);
	CU_ASSERT_EQUAL(ch.spi_size, 4);
	CU_ASSERT_EQUAL(ike_chosen_spi32(&ch), 0xc0c1c2c3);
	CU_ASSERT_EQUAL(ch.cfg, 0);
	CU_ASSERT_EQUAL(ike_proposal_select(NULL, 0, &sa, IKE_PROTO_ESP, 0,
	    &ch), IKE_E_NO_PROPOSAL);

	/* 3.3.6: a transform with an unknown attribute is not acceptable. */
	len = (size_t)unit_unhex(unk_hex, sabuf, sizeof(sabuf));
	CU_ASSERT_EQUAL_FATAL(ike_pld_sa_decode(sabuf, len, &sa), 0);
	CU_ASSERT_EQUAL(ike_proposal_select(&ike_aead, 1, &sa, IKE_PROTO_IKE,
	    0, &ch), IKE_E_NO_PROPOSAL);
	/* ... but another transform of that type in the proposal is. */
	len = (size_t)unit_unhex(unk2_hex, sabuf, sizeof(sabuf));
	CU_ASSERT_EQUAL_FATAL(ike_pld_sa_decode(sabuf, len, &sa), 0);
	CU_ASSERT_EQUAL_FATAL(ike_proposal_select(&ike_aead, 1, &sa,
	    IKE_PROTO_IKE, 0, &ch), 0);
	CU_ASSERT_EQUAL(ch.encr_keylen, 128);

	CU_ASSERT(ike_encr_is_aead(IKE_ENCR_AES_GCM_16));
	CU_ASSERT(ike_encr_is_aead(IKE_ENCR_CHACHA20_POLY1305));
	CU_ASSERT(!ike_encr_is_aead(IKE_ENCR_AES_CBC));
	CU_ASSERT_EQUAL(ike_encr_needs_keylen(IKE_ENCR_AES_CTR), 1);
	CU_ASSERT_EQUAL(ike_encr_needs_keylen(IKE_ENCR_CHACHA20_POLY1305), 0);
	CU_ASSERT_EQUAL(ike_encr_needs_keylen(999), -1);
}

/* Initiator: our offer on the wire. */
static void
test_offer(void)
{
	static const char	 want_hex[] =
		/* proposal 1 (more): ESP, SPI c1000001, 4 transforms */
		"02 00 00 30 01 03 04 04 c1 00 00 01"
		"03 00 00 0c 01 00 00 0c 80 0e 00 80"	/* AES_CBC 128 */
		"03 00 00 08 03 00 00 0c"		/* SHA2_256_128 */
		"03 00 00 08 04 00 00 13"		/* ECP_256 */
		"00 00 00 08 05 00 00 00"		/* no ESN (default) */
		/* proposal 2 (last): ESP, same SPI, 4 transforms */
		"00 00 00 34 02 03 04 04 c1 00 00 01"
		"03 00 00 0c 01 00 00 14 80 0e 00 80"	/* GCM16 128 */
		"03 00 00 0c 01 00 00 14 80 0e 01 00"	/* GCM16 256 */
		"03 00 00 08 05 00 00 01"		/* ESN */
		"00 00 00 08 05 00 00 00";		/* no ESN */
	static const uint8_t	 spi[4] = { 0xc1, 0, 0, 1 };
	static struct ike_prop	 p;
	uint8_t			 want[256];
	struct ike_sa_pld	 sa;
	struct ike_sa_iter	 it;
	struct wr		 w;
	size_t			 len;

	len = (size_t)unit_unhex(want_hex, want, sizeof(want));
	wr_init(&w, sabuf, sizeof(sabuf));
	CU_ASSERT_EQUAL_FATAL(ike_proposal_encode(&w, ours_esp_mix, 2, spi, 4,
	    0), 0);
	CU_ASSERT_EQUAL(w.len, len);
	UNIT_ASSERT_BYTES(sabuf, want, len);
	CU_ASSERT_EQUAL_FATAL(ike_pld_sa_decode(sabuf, w.len, &sa), 0);
	CU_ASSERT_EQUAL(sa.nprop, 2);
	/* IKE_AUTH: the KE transforms stay out of the offer (RFC 7296 1.2). */
	wr_init(&w, sabuf, sizeof(sabuf));
	CU_ASSERT_EQUAL_FATAL(ike_proposal_encode(&w, &esp_cbc_pfs, 1, spi, 4,
	    IKE_SEL_NO_KE), 0);
	CU_ASSERT_EQUAL_FATAL(ike_pld_sa_decode(sabuf, w.len, &sa), 0);
	ike_pld_sa_iter(&sa, &it);
	CU_ASSERT_FATAL(ike_pld_sa_next(&it, &p));
	CU_ASSERT_EQUAL(p.nxf, 3);
	CU_ASSERT_EQUAL(p.xf[2].type, IKE_XF_ESN);
	/* ChaCha20 carries no Key Length attribute. */
	wr_init(&w, sabuf, sizeof(sabuf));
	CU_ASSERT_EQUAL_FATAL(ike_proposal_encode(&w, &ike_chacha, 1, NULL, 0,
	    0), 0);
	CU_ASSERT_EQUAL(w.len, 8 + 3 * 8);
	/* Wrong SPI sizes and counts. */
	wr_init(&w, sabuf, sizeof(sabuf));
	CU_ASSERT_EQUAL(ike_proposal_encode(&w, &ike_aead, 1, spi, 4, 0),
	    IKE_E_ENC_ARG);
	CU_ASSERT_EQUAL(ike_proposal_encode(&w, &esp_aead, 1, NULL, 0, 0),
	    IKE_E_ENC_ARG);
	CU_ASSERT_EQUAL(ike_proposal_encode(&w, &esp_aead, 0, spi, 4, 0),
	    IKE_E_ENC_ARG);
	wr_init(&w, sabuf, 20);
	CU_ASSERT_EQUAL(ike_proposal_encode(&w, &esp_aead, 1, spi, 4, 0),
	    IKE_E_NOSPACE);
}

/*
 * Two parties: the initiator offers `offer`, the responder selects with
 * `resp`, encodes its reply, and the initiator checks it.
 */
static void
round_trip(const char *what, const struct ike_cfg_prop *offer, size_t noffer,
    const struct ike_cfg_prop *resp, size_t nresp, uint8_t proto,
    unsigned int flags)
{
	static const uint8_t	 ispi[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t	 rspi[8] = { 9, 10, 11, 12, 13, 14, 15, 16 };
	uint8_t			 reply[512];
	struct ike_sa_pld	 sa, rsa;
	struct ike_chosen	 r, i;
	struct wr		 w;
	uint8_t			 spisz = proto == IKE_PROTO_IKE ? 0 : 4;
	int			 rc;

	wr_init(&w, sabuf, sizeof(sabuf));
	CU_ASSERT_EQUAL_FATAL(ike_proposal_encode(&w, offer, noffer, ispi,
	    spisz, flags), 0);
	CU_ASSERT_EQUAL_FATAL(ike_pld_sa_decode(sabuf, w.len, &sa), 0);
	rc = ike_proposal_select(resp, nresp, &sa, proto, flags, &r);
	if (rc != 0)
		fprintf(stderr, "%s: select %s\n", what, ike_err_name(rc));
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	CU_ASSERT(spisz == 0 || memcmp(r.spi, ispi, 4) == 0);
	wr_init(&w, reply, sizeof(reply));
	CU_ASSERT_EQUAL_FATAL(ike_proposal_encode_chosen(&w, &r, rspi, spisz),
	    0);
	CU_ASSERT_EQUAL_FATAL(ike_pld_sa_decode(reply, w.len, &rsa), 0);
	CU_ASSERT_EQUAL(rsa.nprop, 1);
	CU_ASSERT_EQUAL(rsa.first_num, r.num);
	rc = ike_proposal_check_reply(offer, noffer, &rsa, proto, flags, &i);
	if (rc != 0)
		fprintf(stderr, "%s: check %s\n", what, ike_err_name(rc));
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	/* Both ends agree on the suite. */
	CU_ASSERT_EQUAL(i.num, r.num);
	CU_ASSERT(i.has_encr == r.has_encr && i.encr == r.encr &&
	    i.encr_keylen == r.encr_keylen);
	CU_ASSERT(i.has_integ == r.has_integ && i.integ == r.integ);
	CU_ASSERT(i.has_prf == r.has_prf && i.prf == r.prf);
	CU_ASSERT(i.has_ke == r.has_ke && i.ke == r.ke);
	CU_ASSERT(i.has_esn == r.has_esn && i.esn == r.esn);
	CU_ASSERT(spisz == 0 || memcmp(i.spi, rspi, 4) == 0);
	CU_ASSERT_EQUAL(i.cfg, (size_t)(r.num - 1));
}

static void
test_round_trip(void)
{
	static const struct ike_cfg_prop cbc_first[] = { IKE_CBC, IKE_AEAD };

	round_trip("IKE AEAD", ours_aead_cbc, 2, &ike_aead, 1,
	    IKE_PROTO_IKE, 0);
	round_trip("IKE CBC", ours_aead_cbc, 2, &ike_cbc, 1, IKE_PROTO_IKE,
	    0);
	round_trip("IKE responder prefers CBC", ours_aead_cbc, 2, cbc_first,
	    2, IKE_PROTO_IKE, 0);
	round_trip("ChaCha20", &ike_chacha, 1, &ike_chacha, 1,
	    IKE_PROTO_IKE, 0);
	round_trip("ESP ESN", &esp_aead, 1, &esp_aead, 1, IKE_PROTO_ESP, 0);
	round_trip("ESP default ESN", &esp_aead_dflt, 1, &esp_aead, 1,
	    IKE_PROTO_ESP, 0);
	round_trip("ESP PFS", ours_esp_mix, 2, &esp_cbc_pfs, 1,
	    IKE_PROTO_ESP, 0);
	round_trip("ESP in IKE_AUTH", ours_esp_mix, 2, &esp_cbc_pfs, 1,
	    IKE_PROTO_ESP, IKE_SEL_NO_KE);
	round_trip("AH", &ah_sha, 1, &ah_sha, 1, IKE_PROTO_AH, 0);
}

/* Initiator: replies that are not a subset of our offer. */
static const struct reply_case {
	const char	*name;
	uint8_t		 proto;
	unsigned int	 flags;
	uint8_t		 num;		/* 0: use n proposals from 1 */
	struct pp	 reply[2];
	int		 want;
} reply_cases[] = {
	{ "valid CBC reply", IKE_PROTO_IKE, 0, 2,
	    { { IKE, { E(AES_CBC, 128), I(HMAC_SHA1_96), P(HMAC_SHA2_256),
	    K(ECP_256) } } }, 0 },
	{ "two proposals", IKE_PROTO_IKE, 0, 0,
	    { { IKE, { E(AES_GCM_16, 256), P(HMAC_SHA2_256), K(ECP_256) } },
	      { IKE, { E(AES_GCM_16, 256), P(HMAC_SHA2_256),
	    K(ECP_256) } } }, IKE_E_REPLY_COUNT },
	{ "Key Length not offered", IKE_PROTO_IKE, 0, 1,
	    { { IKE, { E(AES_GCM_16, 192), P(HMAC_SHA2_256), K(ECP_256) } } },
	    IKE_E_REPLY_MISMATCH },
	{ "group not offered", IKE_PROTO_IKE, 0, 1,
	    { { IKE, { E(AES_GCM_16, 256), P(HMAC_SHA2_256), K(ECP_384) } } },
	    IKE_E_REPLY_MISMATCH },
	{ "missing KE", IKE_PROTO_IKE, 0, 1,
	    { { IKE, { E(AES_GCM_16, 256), P(HMAC_SHA2_256) } } },
	    IKE_E_REPLY_MISMATCH },
	{ "two ENCR", IKE_PROTO_IKE, 0, 1,
	    { { IKE, { E(AES_GCM_16, 256), E(AES_GCM_16, 128),
	    P(HMAC_SHA2_256), K(ECP_256) } } }, IKE_E_REPLY_MISMATCH },
	{ "INTEG from the other proposal", IKE_PROTO_IKE, 0, 1,
	    { { IKE, { E(AES_GCM_16, 256), I(HMAC_SHA2_256_128),
	    P(HMAC_SHA2_256), K(ECP_256) } } }, IKE_E_REPLY_MISMATCH },
	{ "CBC reply without INTEG", IKE_PROTO_IKE, 0, 2,
	    { { IKE, { E(AES_CBC, 256), P(HMAC_SHA2_256), K(ECP_256) } } },
	    IKE_E_REPLY_MISMATCH },
	{ "number 3 of 2", IKE_PROTO_IKE, 0, 3,
	    { { IKE, { E(AES_GCM_16, 256), P(HMAC_SHA2_256), K(ECP_256) } } },
	    IKE_E_REPLY_MISMATCH },
	{ "number mismatching the suite", IKE_PROTO_IKE, 0, 2,
	    { { IKE, { E(AES_GCM_16, 256), P(HMAC_SHA2_256), K(ECP_256) } } },
	    IKE_E_REPLY_MISMATCH },
	{ "unknown transform type", IKE_PROTO_IKE, 0, 1,
	    { { IKE, { E(AES_GCM_16, 256), P(HMAC_SHA2_256), K(ECP_256),
	    { 7, 1, 0 } } } }, IKE_E_REPLY_MISMATCH },
	{ "ESP reply to an IKE offer", IKE_PROTO_IKE, 0, 1,
	    { { ESP, { E(AES_GCM_16, 256) } } }, IKE_E_REPLY_MISMATCH },
};

static void
test_reply_table(void)
{
	const struct reply_case	*c;
	struct ike_sa_pld	 sa;
	struct ike_chosen	 ch;
	size_t			 i, len;
	int			 rc;

	for (i = 0; i < nitems(reply_cases); i++) {
		c = &reply_cases[i];
		len = peer_sa(c->reply, nitems(c->reply),
		    c->num ? c->num : 1, sabuf, sizeof(sabuf));
		CU_ASSERT_EQUAL_FATAL(ike_pld_sa_decode(sabuf, len, &sa), 0);
		rc = ike_proposal_check_reply(ours_aead_cbc, 2, &sa, c->proto,
		    c->flags, &ch);
		if (rc != c->want)
			fprintf(stderr, "%s: got %s want %s\n", c->name,
			    ike_err_name(rc), ike_err_name(c->want));
		CU_ASSERT_EQUAL(rc, c->want);
		if (rc == 0) {
			CU_ASSERT_EQUAL(ch.cfg, (size_t)(c->num - 1));
			CU_ASSERT_EQUAL(ch.encr_keylen, 128);
			CU_ASSERT_EQUAL(ch.integ, IKE_INTEG_HMAC_SHA1_96);
		}
	}
	CU_ASSERT_EQUAL(ike_err_notify(IKE_E_REPLY_MISMATCH),
	    IKE_N_NO_PROPOSAL_CHOSEN);
}

/* IKE_AUTH: a reply echoing KE NONE is tolerated; a real group is not. */
static void
test_reply_no_ke(void)
{
	static const struct pp	 none[] = {
		{ ESP, { E(AES_CBC, 128), I(HMAC_SHA2_256_128), K(NONE),
		    S(NO) } },
	};
	static const struct pp	 grp[] = {
		{ ESP, { E(AES_CBC, 128), I(HMAC_SHA2_256_128), K(ECP_256),
		    S(NO) } },
	};
	struct ike_sa_pld	 sa;
	struct ike_chosen	 ch;
	size_t			 len;

	len = peer_sa(none, 1, 1, sabuf, sizeof(sabuf));
	CU_ASSERT_EQUAL_FATAL(ike_pld_sa_decode(sabuf, len, &sa), 0);
	CU_ASSERT_EQUAL(ike_proposal_check_reply(&esp_cbc_pfs, 1, &sa,
	    IKE_PROTO_ESP, IKE_SEL_NO_KE, &ch), 0);
	CU_ASSERT_FALSE(ch.has_ke);
	len = peer_sa(grp, 1, 1, sabuf, sizeof(sabuf));
	CU_ASSERT_EQUAL_FATAL(ike_pld_sa_decode(sabuf, len, &sa), 0);
	CU_ASSERT_EQUAL(ike_proposal_check_reply(&esp_cbc_pfs, 1, &sa,
	    IKE_PROTO_ESP, IKE_SEL_NO_KE, &ch), IKE_E_REPLY_MISMATCH);
	CU_ASSERT_EQUAL(ike_proposal_check_reply(&esp_cbc_pfs, 1, &sa,
	    IKE_PROTO_ESP, 0, &ch), 0);
	CU_ASSERT_EQUAL(ch.ke, IKE_KE_ECP_256);
}

UNIT_SUITE(ike_proposal, "ike proposal",
    { "select table", test_select_table },
    { "select details", test_select_details },
    { "initiator offer", test_offer },
    { "offer -> select -> reply -> check", test_round_trip },
    { "reply table", test_reply_table },
    { "reply in IKE_AUTH", test_reply_no_ke });
