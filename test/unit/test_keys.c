/*
 * test/unit/test_keys.c -- IKEv2 key derivation against NIST vectors.
 *
 * Source: the NIST ACVP "kdf-components-ikev2-1.0" IKEv2 KDF (SP 800-135)
 * sample vectors for HMAC-SHA-256, as carried in OpenSSL's test data
 * (test/recipes/30-test_evp_data/evpkdf_ikev2.txt): one set with 8-byte
 * nonces and 128-byte g^ir giving SKEYSEED, the 224-byte DKM
 * {SK_d|SK_ai|SK_ar|SK_ei|SK_er|SK_pi|SK_pr}, the Child SA DKM with and
 * without a new g^ir, and the rekey SKEYSEED; plus ACVP tgId 7 / tcId
 * 121 (256-byte nonces, so the HMAC key Ni|Nr is hashed first).
 * 224 bytes is exactly what AES-CBC-256 + HMAC-SHA2-256-128 +
 * PRF-HMAC-SHA2-256 takes, so the split is checked against the vector.
 */
#include <string.h>

#include "tandem/secbuf.h"
#include "tandem/util.h"
#include "../../ikev2d/keys.h"
#include "unit.h"

static const char nist_ni[] = "3651FEF5C9C35E93";
static const char nist_nr[] = "C09A8B90A3F04D59";
static const char nist_gir[] =
    "D084A30166A50FB7325C3960874A839449EF9741C2F4F947D0201DD8C1269273"
    "D79509F37E3CA3EB4FA2FE2A28254E289CD3F34DAD4EB4DF1A07685A4B8A94FA"
    "61E2491F7598B3CE65547FF133B3F63D1AC4175EAA695033F3CEDB026A6873A3"
    "6455172A8540B8A5D23A0143BED0390EE49B168269D75FFFEE9FB62BE965993C";
static const char nist_skeyseed[] =
    "EFAA7AB0EAA85A3D0BE2100CD4B6FE00FF5025A9EAFDDB3EF518E9F0D3FE60E6";
static const char nist_spii[] = "8E5C3AE507221684";
static const char nist_spir[] = "B1F201BB155C3ACD";
static const char nist_dkm[] =
    "462B9DD525D4FD71169174272779E704BAF62C6231779AE9EFE8C58B21916B42"
    "010164AF2111EBD762F6916CA9A6F0EE05C8B320E4EE27705521DE2589ADEA18"
    "78F1A551738AF7C88DC4F0BB0C096A3F7D1F1A670FC79F49F678D60D665BB371"
    "0C8657F03BA9F62B9A818D7A228968C506E237AE9502AA6DB395C61EA6A3E795"
    "04F86B7368BFB5423DF79E48809BBCCD49FD826D024F63D7C2A5566400A12E73"
    "6AA034510428F5EA008FE2FC16886FA388274EA6C2B4FCFC6141BF04F8207EF8"
    "AFC224EA1059CB220DC0B23AC0E4CCDA495A4E131B1D56E223ABA5A48E8ED1F5";
static const char nist_child[] =
    "23647677E7D403FA1E3006F19840AEE18AD9FECC4215814C4131BDEBA98433D8"
    "B0E31BFBBDDF822ABCCE5E06486AA388022B75E27E1E68AA5983028B65282C73"
    "0C5D49EF7606770376CFDEC41F7CC435D816029989BC353D3B67B9FD1168DDCB"
    "8978850DA9B752AEE6A30D0086D2C4D74EC0E03648A0DAD334FAF5FE88084E67"
    "B0F3E8FEE8B5E1BD3850DB540F1FB8CFFE23C9E92CDA209373F354880C246C75"
    "3E2A0ECA9CB73B9910A8531C4010E6768FA29F909E60AF777FED6E739C3CFDA0"
    "3467E915D6F03FCE9C41F5F9D578F8912D66A75457E79EE1D5BCC2BE5C2F9BAE";
static const char nist_gir_new[] =
    "52F00AB174C25D5B7139AE5FF4E8E9EDDEE5992D2E36ADF8A559FFD90DAB1442"
    "E4FBE429D320C0F33552A17D1557FA41EA70E8FB916C4FA27ED52B5F8EBD8461"
    "AFA78F1159159A64055AC5F6319E29C28EAE58CBC6847770F32C3FED1D047504"
    "84F854790F95E9EC01BC5BC461F24966462E359511329305038E94DEB6DD42C2";
static const char nist_child_dh[] =
    "6A919387A5FA2835FE8A8237E4A14845BD2B9930DB87EFF7ADF268F621860049"
    "02DBA9AA942D0259A0EDC4120B932A503865B57BA8FB88117EF5DF7B26799CD8"
    "BA37AA5438108CB1A4FE117907C9D0597B708C3F11151FEFD624D2317202B7C8"
    "1430600E6FCBB6E1A8DF2B4861EF2363D53DE1BE69057B0CF6634A7E7BFA97B3"
    "C2810623E2BD6757738777177036E9C3A39794456954BD41FC444A12507AB9CA"
    "C69A0540D13C29DB8510F566A691691BAA2D9569DACC990D56A454BB444BCBBE"
    "8751B0550A5278812FC5AB4F28990DD6D608538D7DDDE24DC81BDAACA7751FDE";
static const char nist_rekey[] =
    "90722C42BD849E9B72D240FC254174270FA8295DE6F0338DAFC303A9EC104F12";

/* ACVP tgId 7, tcId 121 (SHA-256, 2048-bit nonces and g^ir). */
static const char tc121_ni[] =
    "F096BC348F4C0BE7A0932E065F72DA82F9E312379CBEC86574837E535DEDD0F8"
    "1E86FE52F9D89336B17BF5DC030E766E71D25B60D724AAEFE8B60C2383BD6395"
    "703214D6E04C545443E95B47ADB11C80A60110C083402B335CDF9E4E2CD6200D"
    "C3A28D1F8E1D6F8293DEA1025707CE870439F9A3CB2638FE52A3F350CEE833E4"
    "EBB34F7C3920B9A0A4DCE7BC3E7DD6502F6D365FBB0BC0131FC74048BD145E7B"
    "9BE07F2E58FDF53A98B5AF8C3958C592ECB1642D63CEC46BE1A77A2E5B525554"
    "682114040FC201949B992E8076A2BA99F59C9B1368C69CB0E48FF0599290D4C6"
    "35262EF4F1BB2E87C4CDF4FF7EA9FAD2010CBF30198B7A961606BF3E49C5618F";
static const char tc121_nr[] =
    "AA241EAD5C65408AE109D09993DBA807FF23E00883A466F2F408BCED7A8BB377"
    "29ABB124DE79A7652CDD450911B4FF1A252D11B8D6EF065B48FD2703CB6D6827"
    "12E24E92F6CE3511DBB6F78AFFAFEF1B0B875AE2B3C559783EA7F2138B831C23"
    "6845B800D00AA28010C47D2F6744033A10B286E791D16DCBE31E9C994E45D659"
    "E65ECF03EAFFCD916FEBB320913C97DB41415961DC02823849A2009D9C126CC4"
    "E50F6CFE1F447C691463EA1309B66DE3BC39ABBB0ABC69525DEF486669E1F45A"
    "FFBDD6FE1F5314EDFC631E4655DF289108697F906C6C82BC0D8C52343278CD32"
    "A93FF33247764D3CCA18278C7876DEB0247ADE36149D99F3EF1E746D90DE0524";
static const char tc121_gir[] =
    "9E3D6F5B906FAC77CC7C877948F19113FF2AAC2B51DDA3D03803808E09B840E1"
    "E73DC8489C31659BDD78218B367DA86DC0EA41408ACADC67860C8DF60A8AF0EE"
    "07BEF7F05E51FD416B37F62D4429DCC5FA8A19FAA648A0DF2D279A9A72D0D2D4"
    "A666B51342A2F7D9E4E7882AA90A8F20A7FFC6DD5E9755BDD23A92562BE228F4"
    "62A037D34A84C4C1677791FB067219C07EC57C9BC43474DE3A009707635F5175"
    "E38F9DC3CA0DE6249A8B12D37590BE6942F6B67C580C83FF6402E130A85F4C79"
    "4A078CC4DC5BB73542D5A74734D8E11C313F67B0D99C7D6F53791F824228F942"
    "D346AC56ACEFA9A9A79018D57CD67983842459A1A21FC0F65E38B386045EC55B";
static const char tc121_skeyseed[] =
    "CB5B5E3729A6E797A257EE0124A6EA6143E753B7545C1266413119F5C108FE2E";

/* A secbuf holding the bytes of a hex string. */
static struct secbuf *
sbhex(const char *hex)
{
	uint8_t		 buf[512];
	long		 n = unit_unhex(hex, buf, sizeof(buf));

	CU_ASSERT_FATAL(n >= 0);
	return secbuf_from(buf, (size_t)n);
}

struct fixture {
	struct secbuf		*ni, *nr, *gir, *gir_new, *skeyseed, *dkm;
	struct secbuf		*child, *child_dh, *rekey, *spii, *spir;
	struct ike_nonces	 n;
};

static void
fixture_init(struct fixture *f)
{
	f->ni = sbhex(nist_ni);
	f->nr = sbhex(nist_nr);
	f->gir = sbhex(nist_gir);
	f->gir_new = sbhex(nist_gir_new);
	f->skeyseed = sbhex(nist_skeyseed);
	f->dkm = sbhex(nist_dkm);
	f->child = sbhex(nist_child);
	f->child_dh = sbhex(nist_child_dh);
	f->rekey = sbhex(nist_rekey);
	f->spii = sbhex(nist_spii);
	f->spir = sbhex(nist_spir);
	f->n.ni = f->ni->data;
	f->n.ni_len = f->ni->len;
	f->n.nr = f->nr->data;
	f->n.nr_len = f->nr->len;
	CU_ASSERT_EQUAL_FATAL(f->dkm->len, 224);
	CU_ASSERT_EQUAL_FATAL(f->child->len, 224);
}

static void
fixture_fini(struct fixture *f)
{
	secbuf_free(f->ni);
	secbuf_free(f->nr);
	secbuf_free(f->gir);
	secbuf_free(f->gir_new);
	secbuf_free(f->skeyseed);
	secbuf_free(f->dkm);
	secbuf_free(f->child);
	secbuf_free(f->child_dh);
	secbuf_free(f->rekey);
	secbuf_free(f->spii);
	secbuf_free(f->spir);
}

static void
test_skeyseed_nist(void)
{
	struct fixture		 f;
	struct secbuf		*s = NULL, *ni, *nr, *gir, *want;
	struct ike_nonces	 n;

	fixture_init(&f);
	CU_ASSERT_EQUAL(keys_skeyseed(IKE_PRF_HMAC_SHA2_256, &f.n, f.gir, &s),
	    0);
	CU_ASSERT(secbuf_eq(s, f.skeyseed));
	secbuf_free(s);
	fixture_fini(&f);

	ni = sbhex(tc121_ni);
	nr = sbhex(tc121_nr);
	gir = sbhex(tc121_gir);
	want = sbhex(tc121_skeyseed);
	CU_ASSERT_EQUAL_FATAL(ni->len, 256);
	n.ni = ni->data;
	n.ni_len = ni->len;
	n.nr = nr->data;
	n.nr_len = nr->len;
	s = NULL;
	CU_ASSERT_EQUAL(keys_skeyseed(IKE_PRF_HMAC_SHA2_256, &n, gir, &s), 0);
	CU_ASSERT(secbuf_eq(s, want));
	secbuf_free(s);
	secbuf_free(ni);
	secbuf_free(nr);
	secbuf_free(gir);
	secbuf_free(want);
}

/* prf+(SKEYSEED, Ni | Nr | SPIi | SPIr) = DKM, and its split. */
static void
test_ike_keys_nist(void)
{
	struct fixture		 f;
	struct crypto_suite	 s;
	struct ike_keys		 k;
	const uint8_t		*d;

	fixture_init(&f);
	CU_ASSERT_EQUAL_FATAL(crypto_suite_init(&s, IKE_ENCR_AES_CBC, 256,
	    IKE_INTEG_HMAC_SHA2_256_128, IKE_PRF_HMAC_SHA2_256,
	    IKE_KE_MODP_2048), 0);
	CU_ASSERT_EQUAL(keys_ike_len(&s), 224);
	CU_ASSERT_EQUAL(keys_ike_derive(&s, f.skeyseed, &f.n, f.spii->data,
	    f.spir->data, &k), 0);
	d = f.dkm->data;
	CU_ASSERT_FATAL(k.sk_d != NULL && k.sk_ai != NULL && k.sk_ar != NULL &&
	    k.sk_ei != NULL && k.sk_er != NULL && k.sk_pi != NULL &&
	    k.sk_pr != NULL);
	CU_ASSERT(k.sk_d->len == 32 && k.sk_ai->len == 32 &&
	    k.sk_ei->len == 32 && k.sk_pr->len == 32);
	UNIT_ASSERT_BYTES(k.sk_d->data, d, 32);
	UNIT_ASSERT_BYTES(k.sk_ai->data, d + 32, 32);
	UNIT_ASSERT_BYTES(k.sk_ar->data, d + 64, 32);
	UNIT_ASSERT_BYTES(k.sk_ei->data, d + 96, 32);
	UNIT_ASSERT_BYTES(k.sk_er->data, d + 128, 32);
	UNIT_ASSERT_BYTES(k.sk_pi->data, d + 160, 32);
	UNIT_ASSERT_BYTES(k.sk_pr->data, d + 192, 32);
	ike_keys_free(&k);
	CU_ASSERT_PTR_NULL(k.sk_d);

	/* the whole IKE_SA_INIT path from g^ir */
	CU_ASSERT_EQUAL(keys_ike(&s, f.gir, &f.n, f.spii->data, f.spir->data,
	    &k), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(k.sk_pr);
	UNIT_ASSERT_BYTES(k.sk_pr->data, d + 192, 32);
	ike_keys_free(&k);
	ike_keys_free(NULL);
	fixture_fini(&f);
}

/* Split lengths per suite, checked against prefixes of the same prf+. */
static void
test_ike_split_suites(void)
{
	static const struct {
		enum ike_encr	 encr;
		unsigned int	 bits;
		enum ike_integ	 integ;
		size_t		 e, a, total;
	} suites[] = {
		{ IKE_ENCR_AES_GCM_16, 128, IKE_INTEG_NONE, 20, 0, 136 },
		{ IKE_ENCR_AES_GCM_16, 256, IKE_INTEG_NONE, 36, 0, 168 },
		{ IKE_ENCR_CHACHA20_POLY1305, 0, IKE_INTEG_NONE, 36, 0, 168 },
		{ IKE_ENCR_AES_CBC, 128, IKE_INTEG_HMAC_SHA2_256_128, 16, 32,
		    192 },
		{ IKE_ENCR_AES_CBC, 256, IKE_INTEG_HMAC_SHA2_512_256, 32, 64,
		    288 },
	};
	struct fixture		 f;
	struct crypto_suite	 s;
	struct ike_keys		 k;
	struct secbuf		*seed, *km;
	size_t			 i, o;
	int			 err;

	fixture_init(&f);
	seed = secbuf_new(32);
	CU_ASSERT_PTR_NOT_NULL_FATAL(seed);
	memcpy(seed->data, f.ni->data, 8);
	memcpy(seed->data + 8, f.nr->data, 8);
	memcpy(seed->data + 16, f.spii->data, 8);
	memcpy(seed->data + 24, f.spir->data, 8);
	km = prf_plus(IKE_PRF_HMAC_SHA2_256, f.skeyseed, seed, 288, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(km);
	UNIT_ASSERT_BYTES(km->data, f.dkm->data, 224);
	for (i = 0; i < nitems(suites); i++) {
		CU_ASSERT_EQUAL_FATAL(crypto_suite_init(&s, suites[i].encr,
		    suites[i].bits, suites[i].integ, IKE_PRF_HMAC_SHA2_256, 0),
		    0);
		CU_ASSERT_EQUAL(keys_ike_len(&s), suites[i].total);
		CU_ASSERT_EQUAL_FATAL(keys_ike_derive(&s, f.skeyseed, &f.n,
		    f.spii->data, f.spir->data, &k), 0);
		o = 32;
		if (suites[i].a == 0) {
			CU_ASSERT_PTR_NULL(k.sk_ai);
			CU_ASSERT_PTR_NULL(k.sk_ar);
		} else {
			CU_ASSERT_EQUAL(k.sk_ai->len, suites[i].a);
			UNIT_ASSERT_BYTES(k.sk_ai->data, km->data + o,
			    suites[i].a);
			UNIT_ASSERT_BYTES(k.sk_ar->data,
			    km->data + o + suites[i].a, suites[i].a);
			o += 2 * suites[i].a;
		}
		CU_ASSERT_EQUAL(k.sk_ei->len, suites[i].e);
		UNIT_ASSERT_BYTES(k.sk_ei->data, km->data + o, suites[i].e);
		UNIT_ASSERT_BYTES(k.sk_er->data, km->data + o + suites[i].e,
		    suites[i].e);
		o += 2 * suites[i].e;
		UNIT_ASSERT_BYTES(k.sk_pi->data, km->data + o, 32);
		UNIT_ASSERT_BYTES(k.sk_pr->data, km->data + o + 32, 32);
		CU_ASSERT_EQUAL(o + 64, suites[i].total);
		ike_keys_free(&k);
	}
	secbuf_free(km);
	secbuf_free(seed);
	fixture_fini(&f);
}

static void
test_child_nist(void)
{
	struct fixture		 f;
	struct crypto_suite	 cbc, gcm;
	struct child_keys	 k;
	struct secbuf		*sk_d;
	const uint8_t		*c;

	fixture_init(&f);
	sk_d = secbuf_from(f.dkm->data, 32);	/* SK_d = DKM[0..31] */
	CU_ASSERT_EQUAL_FATAL(crypto_suite_init(&cbc, IKE_ENCR_AES_CBC, 256,
	    IKE_INTEG_HMAC_SHA2_256_128, 0, 0), 0);
	CU_ASSERT_EQUAL_FATAL(crypto_suite_init(&gcm, IKE_ENCR_AES_GCM_16, 256,
	    IKE_INTEG_NONE, 0, 0), 0);
	CU_ASSERT_EQUAL(keys_child_len(&cbc), 128);
	CU_ASSERT_EQUAL(keys_child_len(&gcm), 72);

	/* without PFS: KEYMAT = prf+(SK_d, Ni | Nr) */
	CU_ASSERT_EQUAL(keys_child(IKE_PRF_HMAC_SHA2_256, sk_d, NULL, &f.n,
	    &cbc, &k), 0);
	c = f.child->data;
	CU_ASSERT_FATAL(k.encr_i != NULL && k.integ_i != NULL &&
	    k.encr_r != NULL && k.integ_r != NULL);
	UNIT_ASSERT_BYTES(k.encr_i->data, c, 32);
	UNIT_ASSERT_BYTES(k.integ_i->data, c + 32, 32);
	UNIT_ASSERT_BYTES(k.encr_r->data, c + 64, 32);
	UNIT_ASSERT_BYTES(k.integ_r->data, c + 96, 32);
	child_keys_free(&k);

	CU_ASSERT_EQUAL(keys_child(IKE_PRF_HMAC_SHA2_256, sk_d, NULL, &f.n,
	    &gcm, &k), 0);
	CU_ASSERT_FATAL(k.encr_i != NULL && k.encr_r != NULL);
	CU_ASSERT_PTR_NULL(k.integ_i);
	CU_ASSERT_PTR_NULL(k.integ_r);
	CU_ASSERT_EQUAL(k.encr_i->len, 36);	/* key | salt */
	UNIT_ASSERT_BYTES(k.encr_i->data, c, 36);
	UNIT_ASSERT_BYTES(k.encr_r->data, c + 36, 36);
	child_keys_free(&k);

	/* with PFS: KEYMAT = prf+(SK_d, g^ir (new) | Ni | Nr) */
	CU_ASSERT_EQUAL(keys_child(IKE_PRF_HMAC_SHA2_256, sk_d, f.gir_new,
	    &f.n, &cbc, &k), 0);
	c = f.child_dh->data;
	CU_ASSERT_FATAL(k.integ_r != NULL);
	UNIT_ASSERT_BYTES(k.encr_i->data, c, 32);
	UNIT_ASSERT_BYTES(k.integ_i->data, c + 32, 32);
	UNIT_ASSERT_BYTES(k.encr_r->data, c + 64, 32);
	UNIT_ASSERT_BYTES(k.integ_r->data, c + 96, 32);
	child_keys_free(&k);
	child_keys_free(NULL);
	secbuf_free(sk_d);
	fixture_fini(&f);
}

static void
test_rekey_nist(void)
{
	struct fixture		 f;
	struct crypto_suite	 s;
	struct ike_keys		 k, want;
	struct secbuf		*sk_d, *seed = NULL;

	fixture_init(&f);
	sk_d = secbuf_from(f.dkm->data, 32);
	CU_ASSERT_EQUAL(keys_skeyseed_rekey(IKE_PRF_HMAC_SHA2_256, sk_d,
	    f.gir_new, &f.n, &seed), 0);
	CU_ASSERT(secbuf_eq(seed, f.rekey));

	/* keys_ike_rekey = that SKEYSEED through keys_ike_derive */
	CU_ASSERT_EQUAL_FATAL(crypto_suite_init(&s, IKE_ENCR_AES_GCM_16, 256,
	    IKE_INTEG_NONE, IKE_PRF_HMAC_SHA2_384, 0), 0);
	CU_ASSERT_EQUAL(keys_ike_rekey(&s, IKE_PRF_HMAC_SHA2_256, sk_d,
	    f.gir_new, &f.n, f.spii->data, f.spir->data, &k), 0);
	CU_ASSERT_EQUAL(keys_ike_derive(&s, seed, &f.n, f.spii->data,
	    f.spir->data, &want), 0);
	CU_ASSERT(secbuf_eq(k.sk_d, want.sk_d));
	CU_ASSERT(secbuf_eq(k.sk_er, want.sk_er));
	CU_ASSERT_EQUAL(k.sk_d->len, 48);	/* the new suite's PRF */
	ike_keys_free(&k);
	ike_keys_free(&want);
	secbuf_free(seed);
	secbuf_free(sk_d);
	fixture_fini(&f);
}

static void
test_keys_errors(void)
{
	struct fixture		 f;
	struct crypto_suite	 s;
	struct ike_keys		 k;
	struct child_keys	 c;
	struct ike_nonces	 empty = { NULL, 0, NULL, 0 };
	struct secbuf		*sentinel, *out;

	fixture_init(&f);
	sentinel = secbuf_new(1);
	out = sentinel;		/* must be reset to NULL on failure */
	CU_ASSERT_EQUAL(keys_skeyseed(0, &f.n, f.gir, &out),
	    CRYPTO_EUNSUPPORTED);
	CU_ASSERT_PTR_NULL(out);
	secbuf_free(sentinel);
	CU_ASSERT_EQUAL(keys_skeyseed(IKE_PRF_HMAC_SHA2_256, &empty, f.gir,
	    &out), CRYPTO_ELENGTH);
	CU_ASSERT_EQUAL(keys_skeyseed(IKE_PRF_HMAC_SHA2_256, &f.n, NULL,
	    &out), CRYPTO_ELENGTH);
	CU_ASSERT_EQUAL(keys_skeyseed_rekey(IKE_PRF_HMAC_SHA2_256, NULL,
	    f.gir, &f.n, &out), CRYPTO_ELENGTH);
	CU_ASSERT_EQUAL_FATAL(crypto_suite_init(&s, IKE_ENCR_AES_GCM_16, 128,
	    IKE_INTEG_NONE, IKE_PRF_HMAC_SHA2_256, 0), 0);
	CU_ASSERT_EQUAL(keys_ike(&s, f.gir, &empty, f.spii->data,
	    f.spir->data, &k), CRYPTO_ELENGTH);
	CU_ASSERT_PTR_NULL(k.sk_d);
	CU_ASSERT_EQUAL(keys_child(IKE_PRF_HMAC_SHA2_256, f.skeyseed, NULL,
	    &empty, &s, &c), CRYPTO_ELENGTH);
	CU_ASSERT_PTR_NULL(c.encr_i);
	/* an ESP suite too long for 255 prf+ blocks cannot happen; a PRF
	 * without SK_d can */
	CU_ASSERT_EQUAL(keys_child(IKE_PRF_HMAC_SHA2_256, NULL, NULL, &f.n,
	    &s, &c), CRYPTO_ELENGTH);
	fixture_fini(&f);
}

UNIT_SUITE(keys, "keys",
    { "SKEYSEED NIST", test_skeyseed_nist },
    { "SK_* from DKM NIST", test_ike_keys_nist },
    { "split per suite", test_ike_split_suites },
    { "Child KEYMAT NIST, PFS", test_child_nist },
    { "IKE rekey NIST", test_rekey_nist },
    { "errors", test_keys_errors });
