/*
 * test/unit/test_crypto.c -- known-answer tests of ikev2d/crypto.c and
 * crypto_ke.c against published vectors, plus the rejection cases.
 *
 * Sources (values transcribed from the documents named at each table):
 *   RFC 4231 4.2-4.8   HMAC-SHA-256/384/512 test cases 1-7
 *   RFC 4868 2.7.2     HMAC-SHA-256-128 / HMAC-SHA-512-256 ICV (case 1)
 *   RFC 7748 5.2, 6.1, 6.2   X25519 and X448
 *   RFC 5903 8.1-8.3   ECP groups 19, 20, 21
 *   RFC 8439 2.8.2     ChaCha20-Poly1305 AEAD
 *   RFC 7634 App. B    the ESP example (ChaCha20-Poly1305 with salt)
 *   McGrew & Viega, "The Galois/Counter Mode of Operation", test cases
 *                      3, 4 (AES-128) and 15, 16 (AES-256), with the key's
 *                      last 4 bytes of nonce used as the RFC 4106 salt
 */
#include <stdio.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "tandem/secbuf.h"
#include "tandem/util.h"
#include "../../ikev2d/crypto.h"
#include "unit.h"

#define HX(hex, buf)	hx((hex), (buf), sizeof(buf))

static size_t
hx(const char *hex, uint8_t *buf, size_t cap)
{
	long	 n = unit_unhex(hex, buf, cap);

	CU_ASSERT_FATAL(n >= 0);
	return (size_t)n;
}

static void
fill(uint8_t *p, uint8_t v, size_t n)
{
	memset(p, v, n);
}

/* --- RFC 4231 ------------------------------------------------------------ */

static void
test_hmac_rfc4231(void)
{
	static const char t6[] =
	    "Test Using Larger Than Block-Size Key - Hash Key First";
	static const char t7[] =
	    "This is a test using a larger than block-size key and a larger "
	    "than block-size data. The key needs to be hashed before being "
	    "used by the HMAC algorithm.";
	static const struct {
		int		 tc;
		const char	*s256, *s384, *s512;
	} want[] = {
	    { 1,
	    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
	    "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
	    "faea9ea9076ede7f4af152e8b2fa9cb6",
	    "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
	    "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"
	    },
	    { 2,
	    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
	    "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
	    "8e2240ca5e69e2c78b3239ecfab21649",
	    "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
	    "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"
	    },
	    { 3,
	    "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
	    "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b"
	    "2a5ab39dc13814b94e3ab6e101a34f27",
	    "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
	    "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"
	    },
	    { 4,
	    "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
	    "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e"
	    "6801dd23c4a7d679ccf8a386c674cffb",
	    "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
	    "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"
	    },
	    /* test case 5: only the leftmost 128 bits are published */
	    { 5, "a3b6167473100ee06e0c796c2955552b",
	    "3abf34c3503b2a23a46efc619baef897",
	    "415fad6271580a531d4179bc891d87a6" },
	    { 6,
	    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
	    "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
	    "0c2ef6ab4030fe8296248df163f44952",
	    "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
	    "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"
	    },
	    { 7,
	    "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
	    "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5"
	    "a678cc31e799176d3860e6110c46523e",
	    "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
	    "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"
	    },
	};
	static const enum ike_prf ids[] = { IKE_PRF_HMAC_SHA2_256,
	    IKE_PRF_HMAC_SHA2_384, IKE_PRF_HMAC_SHA2_512 };
	uint8_t		 key[131], data[200], exp[64], out[64];
	size_t		 i, j, klen = 0, dlen = 0, elen;
	const char	*hexes[3];

	for (i = 0; i < nitems(want); i++) {
		switch (want[i].tc) {
		case 1:
			klen = 20, fill(key, 0x0b, klen);
			dlen = 8, memcpy(data, "Hi There", dlen);
			break;
		case 2:
			klen = 4, memcpy(key, "Jefe", klen);
			dlen = 28, memcpy(data, "what do ya want for nothing?",
			    dlen);
			break;
		case 3:
			klen = 20, fill(key, 0xaa, klen);
			dlen = 50, fill(data, 0xdd, dlen);
			break;
		case 4:
			for (klen = 0; klen < 25; klen++)
				key[klen] = (uint8_t)(klen + 1);
			dlen = 50, fill(data, 0xcd, dlen);
			break;
		case 5:
			klen = 20, fill(key, 0x0c, klen);
			dlen = 20, memcpy(data, "Test With Truncation", dlen);
			break;
		case 6:
			klen = 131, fill(key, 0xaa, klen);
			dlen = strlen(t6), memcpy(data, t6, dlen);
			break;
		case 7:
			klen = 131, fill(key, 0xaa, klen);
			dlen = strlen(t7), memcpy(data, t7, dlen);
			break;
		}
		hexes[0] = want[i].s256;
		hexes[1] = want[i].s384;
		hexes[2] = want[i].s512;
		for (j = 0; j < nitems(ids); j++) {
			elen = HX(hexes[j], exp);
			CU_ASSERT_EQUAL(prf(ids[j], key, klen, data, dlen, out),
			    (int)prf_len(ids[j]));
			/* test case 5 compares the truncated output */
			UNIT_ASSERT_BYTES(out, exp, elen);
		}
	}
}

/* RFC 4868 2.7.2.1 / 2.7.2.3 test case 1 through the truncating ICV. */
static void
test_integ_rfc4868(void)
{
	struct crypto_suite	 s;
	struct crypto_iov	 iov[2] = { { "Hi ", 3 }, { "There", 5 } };
	uint8_t			 key[64], exp[64], icv[32];
	size_t			 n;

	fill(key, 0x0b, sizeof(key));
	CU_ASSERT_EQUAL_FATAL(crypto_suite_init(&s, IKE_ENCR_AES_CBC, 128,
	    IKE_INTEG_HMAC_SHA2_256_128, IKE_PRF_HMAC_SHA2_256, 0), 0);
	CU_ASSERT_EQUAL(s.icv_len, 16);
	CU_ASSERT_EQUAL(s.akey_len, 32);
	n = HX("198a607eb44bfbc69903a0f1cf2bbdc5"
	    "ba0aa3f3d9ae3c1c7a3b1696a0b68cf7", exp);
	CU_ASSERT_EQUAL(n, 32);
	CU_ASSERT_EQUAL(crypto_integ(&s, key, iov, 2, icv), 0);
	UNIT_ASSERT_BYTES(icv, exp, 16);
	CU_ASSERT_EQUAL(crypto_integ_check(&s, key, iov, 2, exp), 0);
	exp[15] ^= 1;
	CU_ASSERT_EQUAL(crypto_integ_check(&s, key, iov, 2, exp),
	    CRYPTO_EAUTH);

	CU_ASSERT_EQUAL_FATAL(crypto_suite_init(&s, IKE_ENCR_AES_CBC, 256,
	    IKE_INTEG_HMAC_SHA2_512_256, IKE_PRF_HMAC_SHA2_512, 0), 0);
	CU_ASSERT_EQUAL(s.icv_len, 32);
	HX("637edc6e01dce7e6742a99451aae82df23da3e92439e590e43e761b33e910fb8"
	    "ac2878ebd5803f6f0b61dbce5e251ff8789a4722c1be65aea45fd464e89f8f5b",
	    exp);
	CU_ASSERT_EQUAL(crypto_integ(&s, key, iov, 2, icv), 0);
	UNIT_ASSERT_BYTES(icv, exp, 32);
}

static void
test_suite_sizes(void)
{
	struct crypto_suite	 s;

	CU_ASSERT_EQUAL(crypto_suite_init(&s, IKE_ENCR_AES_GCM_16, 256,
	    IKE_INTEG_NONE, IKE_PRF_HMAC_SHA2_384, IKE_KE_ECP_384), 0);
	CU_ASSERT(s.aead);
	CU_ASSERT_EQUAL(s.ekey_len, 36);
	CU_ASSERT_EQUAL(s.salt_len, 4);
	CU_ASSERT_EQUAL(s.akey_len, 0);
	CU_ASSERT_EQUAL(s.iv_len, 8);
	CU_ASSERT_EQUAL(s.icv_len, 16);
	CU_ASSERT_EQUAL(s.prf_len, 48);
	CU_ASSERT_EQUAL(crypto_suite_init(&s, IKE_ENCR_CHACHA20_POLY1305, 0,
	    IKE_INTEG_NONE, IKE_PRF_HMAC_SHA2_256, IKE_KE_CURVE25519), 0);
	CU_ASSERT_EQUAL(s.ekey_len, 36);
	CU_ASSERT_EQUAL(crypto_suite_init(&s, IKE_ENCR_AES_CBC, 256,
	    IKE_INTEG_HMAC_SHA2_384_192, IKE_PRF_HMAC_SHA2_512, 0), 0);
	CU_ASSERT(!s.aead);
	CU_ASSERT_EQUAL(s.ekey_len, 32);
	CU_ASSERT_EQUAL(s.akey_len, 48);
	CU_ASSERT_EQUAL(s.iv_len, 16);
	CU_ASSERT_EQUAL(s.block_len, 16);
	CU_ASSERT_EQUAL(s.icv_len, 24);
	CU_ASSERT_EQUAL(s.prf_len, 64);
	/* AEAD with INTEG, CBC without, unknown ids and key lengths */
	CU_ASSERT_EQUAL(crypto_suite_init(&s, IKE_ENCR_AES_GCM_16, 128,
	    IKE_INTEG_HMAC_SHA2_256_128, 0, 0), CRYPTO_EUNSUPPORTED);
	CU_ASSERT_EQUAL(crypto_suite_init(&s, IKE_ENCR_AES_CBC, 128,
	    IKE_INTEG_NONE, 0, 0), CRYPTO_EUNSUPPORTED);
	CU_ASSERT_EQUAL(crypto_suite_init(&s, IKE_ENCR_AES_CBC, 100,
	    IKE_INTEG_HMAC_SHA2_256_128, 0, 0), CRYPTO_EUNSUPPORTED);
	CU_ASSERT_EQUAL(crypto_suite_init(&s, IKE_ENCR_3DES, 0,
	    IKE_INTEG_HMAC_SHA2_256_128, 0, 0), CRYPTO_EUNSUPPORTED);
	CU_ASSERT_EQUAL(crypto_suite_init(&s, IKE_ENCR_AES_CBC, 128,
	    IKE_INTEG_HMAC_SHA2_256_128, 99, 0), CRYPTO_EUNSUPPORTED);
	CU_ASSERT_EQUAL(crypto_suite_init(&s, IKE_ENCR_AES_CBC, 128,
	    IKE_INTEG_HMAC_SHA2_256_128, 0, IKE_KE_MODP_3072),
	    CRYPTO_EUNSUPPORTED);
}

/* prf+ against a second, deliberately naive implementation. */
static void
test_prf_plus_naive(void)
{
	struct secbuf	*key, *seed, *out;
	uint8_t		 t[32], buf[32 + 40 + 1], want[255 * 32];
	size_t		 off, n, tl = 0;
	int		 i, err;

	key = secbuf_from("0123456789abcdef0123456789abcdef", 32);
	/* 40 bytes: Ni | Nr | SPIi | SPIr sized, content arbitrary */
	seed = secbuf_from("nonce-i.nonce-r.spi-i...spi-r...12345678", 40);
	CU_ASSERT_PTR_NOT_NULL_FATAL(key);
	CU_ASSERT_PTR_NOT_NULL_FATAL(seed);
	for (i = 1, off = 0; i <= 255; i++) {
		memcpy(buf, t, tl);
		memcpy(buf + tl, seed->data, seed->len);
		buf[tl + seed->len] = (uint8_t)i;
		n = tl + seed->len + 1;
		CU_ASSERT_EQUAL_FATAL(prf(IKE_PRF_HMAC_SHA2_256, key->data,
		    key->len, buf, n, t), 32);
		tl = 32;
		memcpy(want + off, t, 32);
		off += 32;
	}
	out = prf_plus(IKE_PRF_HMAC_SHA2_256, key, seed, 100, &err);
	CU_ASSERT_EQUAL(err, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	UNIT_ASSERT_BYTES(out->data, want, 100);
	secbuf_free(out);
	/* the 255-iteration limit, exactly and one byte past it */
	out = prf_plus(IKE_PRF_HMAC_SHA2_256, key, seed, 255 * 32, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	UNIT_ASSERT_BYTES(out->data, want, sizeof(want));
	secbuf_free(out);
	out = prf_plus(IKE_PRF_HMAC_SHA2_256, key, seed, 255 * 32 + 1, &err);
	CU_ASSERT_PTR_NULL(out);
	CU_ASSERT_EQUAL(err, CRYPTO_ELENGTH);
	out = prf_plus(77, key, seed, 32, &err);
	CU_ASSERT_PTR_NULL(out);
	CU_ASSERT_EQUAL(err, CRYPTO_EUNSUPPORTED);
	secbuf_free(key);
	secbuf_free(seed);
}

/* --- AEAD ------------------------------------------------------------- */

struct aead_kat {
	const char	*what;
	enum ike_encr	 encr;
	unsigned int	 bits;
	const char	*key;		/* key | salt */
	const char	*iv;
	const char	*aad;
	const char	*plain;
	const char	*cipher;	/* ciphertext | tag */
};

static const char gcm_plain[] =
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
static const char gcm_plain60[] =
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";
static const char gcm_aad[] = "feedfacedeadbeeffeedfacedeadbeefabaddad2";

static const struct aead_kat aead_kats[] = {
    { "GCM test case 3", IKE_ENCR_AES_GCM_16, 128,
      "feffe9928665731c6d6a8f9467308308" "cafebabe", "facedbaddecaf888", "",
      gcm_plain,
      "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
      "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985"
      "4d5c2af327cd64a62cf35abd2ba6fab4" },
    { "GCM test case 4", IKE_ENCR_AES_GCM_16, 128,
      "feffe9928665731c6d6a8f9467308308" "cafebabe", "facedbaddecaf888",
      gcm_aad, gcm_plain60,
      "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
      "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"
      "5bc94fbc3221a5db94fae95ae7121a47" },
    { "GCM test case 15", IKE_ENCR_AES_GCM_16, 256,
      "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"
      "cafebabe", "facedbaddecaf888", "", gcm_plain,
      "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
      "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad"
      "b094dac5d93471bdec1a502270e3cc6c" },
    { "GCM test case 16", IKE_ENCR_AES_GCM_16, 256,
      "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"
      "cafebabe", "facedbaddecaf888", gcm_aad, gcm_plain60,
      "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
      "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
      "76fc6ece0f4e1768cddf8853bb2d551b" },
    { "RFC 8439 2.8.2", IKE_ENCR_CHACHA20_POLY1305, 0,
      "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
      "07000000", "4041424344454647", "50515253c0c1c2c3c4c5c6c7",
      /* "Ladies and Gentlemen of the class of '99: ..." */
      "4c616469657320616e642047656e746c656d656e206f662074686520636c6173"
      "73206f66202739393a204966204920636f756c64206f6666657220796f75206f"
      "6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73"
      "637265656e20776f756c642062652069742e",
      "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
      "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
      "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
      "3ff4def08e4b7a9de576d26586cec64b6116"
      "1ae10b594f09e26a7e902ecbd0600691" },
    { "RFC 7634 B (ESP)", IKE_ENCR_CHACHA20_POLY1305, 0,
      "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
      "a0a1a2a3", "1011121314151617", "0102030400000005",
      "45000054a6f200004001e778c6336405c000020508005b7a3a080000553bec10"
      "000736270809 0a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20212223"
      "2425262728292a2b2c2d2e2f3031323334353637 01020204",
      "24039428b97f417e3c13753a4f05087b67c352e6a7fab1b982d466ef407ae5c6"
      "14ee8099d52844eb61aa95dfab4c02f72aa71e7c4c4f64c9befe2facc638e8f3"
      "cbec163fac469b502773f6fb94e664da9165b82829f641e076aaa8266b7fb0f7"
      "b11b369907e1ad43" },
};

static void
test_aead_kats(void)
{
	struct crypto_suite	 s;
	uint8_t			 key[36], iv[8], aad[32], pt[128], ct[160];
	uint8_t			 out[128], tag[16];
	size_t			 i, kl, ivl, al, pl, cl;

	for (i = 0; i < nitems(aead_kats); i++) {
		const struct aead_kat	*v = &aead_kats[i];

		CU_ASSERT_EQUAL_FATAL(crypto_suite_init(&s, v->encr, v->bits,
		    IKE_INTEG_NONE, 0, 0), 0);
		kl = HX(v->key, key);
		ivl = HX(v->iv, iv);
		al = HX(v->aad, aad);
		pl = HX(v->plain, pt);
		cl = HX(v->cipher, ct);
		CU_ASSERT_EQUAL_FATAL(kl, s.ekey_len);
		CU_ASSERT_EQUAL_FATAL(ivl, s.iv_len);
		CU_ASSERT_EQUAL_FATAL(cl, pl + s.icv_len);

		CU_ASSERT_EQUAL(crypto_aead_seal(&s, key, iv, aad, al, pt, pl,
		    out, tag), 0);
		if (!unit_bytes_eq(out, ct, pl, v->what, __FILE__, __LINE__) ||
		    !unit_bytes_eq(tag, ct + pl, 16, v->what, __FILE__,
		    __LINE__))
			CU_FAIL("AEAD seal differs from the published vector");

		memset(out, 0, sizeof(out));
		CU_ASSERT_EQUAL(crypto_aead_open(&s, key, iv, aad, al, ct, pl,
		    ct + pl, out), 0);
		UNIT_ASSERT_BYTES(out, pt, pl);
		/* a flipped tag, AAD or ciphertext bit: refused, wiped */
		ct[pl] ^= 0x80;
		CU_ASSERT_EQUAL(crypto_aead_open(&s, key, iv, aad, al, ct, pl,
		    ct + pl, out), CRYPTO_EAUTH);
		ct[pl] ^= 0x80;
		ct[0] ^= 1;
		CU_ASSERT_EQUAL(crypto_aead_open(&s, key, iv, aad, al, ct, pl,
		    ct + pl, out), CRYPTO_EAUTH);
		CU_ASSERT(out[0] == 0 && out[pl - 1] == 0);
		ct[0] ^= 1;
		if (al > 0) {
			aad[al - 1] ^= 1;
			CU_ASSERT_EQUAL(crypto_aead_open(&s, key, iv, aad, al,
			    ct, pl, ct + pl, out), CRYPTO_EAUTH);
		}
	}
}

/* AES-CBC round trip (no padding added by OpenSSL) and length check. */
static void
test_cbc(void)
{
	struct crypto_suite	 s;
	uint8_t			 key[32], iv[16], pt[64], ct[64], out[64];

	CU_ASSERT_EQUAL_FATAL(crypto_suite_init(&s, IKE_ENCR_AES_CBC, 256,
	    IKE_INTEG_HMAC_SHA2_256_128, 0, 0), 0);
	fill(key, 0x42, sizeof(key));
	fill(iv, 0x24, sizeof(iv));
	fill(pt, 0x5a, sizeof(pt));
	CU_ASSERT_EQUAL(crypto_cbc_encrypt(&s, key, iv, pt, 64, ct), 0);
	CU_ASSERT(memcmp(ct, pt, 64) != 0);
	CU_ASSERT_EQUAL(crypto_cbc_decrypt(&s, key, iv, ct, 64, out), 0);
	UNIT_ASSERT_BYTES(out, pt, 64);
	CU_ASSERT_EQUAL(crypto_cbc_encrypt(&s, key, iv, pt, 63, ct),
	    CRYPTO_ELENGTH);
}

/* --- key exchange: RFC 7748 --------------------------------------------- */

static void
ke_kat(enum ike_ke g, const char *priv, const char *peer, const char *shared)
{
	struct ke	*k;
	struct secbuf	*s = NULL;
	uint8_t		 p[66], u[132], z[66];
	size_t		 pl, ul, zl;

	pl = HX(priv, p);
	ul = HX(peer, u);
	zl = HX(shared, z);
	k = ke_new_private(g, p, pl);
	CU_ASSERT_PTR_NOT_NULL_FATAL(k);
	CU_ASSERT_EQUAL(ke_shared(k, u, ul, &s), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(s->len, zl);
	UNIT_ASSERT_BYTES(s->data, z, zl);
	secbuf_free(s);
	ke_free(k);
}

/* Private key -> public value, both directions agree on the secret. */
static void
ke_pair_kat(enum ike_ke g, const char *a_priv, const char *a_pub,
    const char *b_priv, const char *b_pub, const char *shared)
{
	struct ke	*a, *b;
	struct secbuf	*sa = NULL, *sb = NULL;
	const uint8_t	*pa, *pb;
	uint8_t		 p[66], exp[132], z[66];
	size_t		 n, la, lb, zl;

	a = ke_new_private(g, p, HX(a_priv, p));
	b = ke_new_private(g, p, HX(b_priv, p));
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	pa = ke_public(a, &la);
	pb = ke_public(b, &lb);
	n = HX(a_pub, exp);
	CU_ASSERT_EQUAL(la, n);
	UNIT_ASSERT_BYTES(pa, exp, n);
	n = HX(b_pub, exp);
	CU_ASSERT_EQUAL(lb, n);
	UNIT_ASSERT_BYTES(pb, exp, n);
	CU_ASSERT_EQUAL(ke_shared(a, pb, lb, &sa), 0);
	CU_ASSERT_EQUAL(ke_shared(b, pa, la, &sb), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sa);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sb);
	zl = HX(shared, z);
	CU_ASSERT_EQUAL(sa->len, zl);
	UNIT_ASSERT_BYTES(sa->data, z, zl);
	CU_ASSERT(secbuf_eq(sa, sb));
	CU_ASSERT_EQUAL(ke_group(a), g);
	secbuf_free(sa);
	secbuf_free(sb);
	ke_free(a);
	ke_free(b);
}

static void
test_x25519_rfc7748(void)
{
	/* 5.2: scalar, u-coordinate, output */
	ke_kat(IKE_KE_CURVE25519,
	    "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
	    "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
	    "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
	ke_kat(IKE_KE_CURVE25519,
	    "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
	    "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
	    "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");
	/* 6.1: Alice and Bob */
	ke_pair_kat(IKE_KE_CURVE25519,
	    "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
	    "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
	    "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
	    "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
	    "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
}

static void
test_x448_rfc7748(void)
{
	ke_kat(IKE_KE_CURVE448,
	    "3d262fddf9ec8e88495266fea19a34d28882acef045104d0d1aae121"
	    "700a779c984c24f8cdd78fbff44943eba368f54b29259a4f1c600ad3",
	    "06fce640fa3487bfda5f6cf2d5263f8aad88334cbd07437f020f08f9"
	    "814dc031ddbdc38c19c6da2583fa5429db94ada18aa7a7fb4ef8a086",
	    "ce3e4ff95a60dc6697da1db1d85e6afbdf79b50a2412d7546d5f239f"
	    "e14fbaadeb445fc66a01b0779d98223961111e21766282f73dd96b6f");
	ke_kat(IKE_KE_CURVE448,
	    "203d494428b8399352665ddca42f9de8fef600908e0d461cb021f8c5"
	    "38345dd77c3e4806e25f46d3315c44e0a5b4371282dd2c8d5be3095f",
	    "0fbcc2f993cd56d3305b0b7d9e55d4c1a8fb5dbb52f8e9a1e9b6201b"
	    "165d015894e56c4d3570bee52fe205e28a78b91cdfbde71ce8d157db",
	    "884a02576239ff7a2f2f63b2db6a9ff37047ac13568e1e30fe63c4a7"
	    "ad1b3ee3a5700df34321d62077e63633c575c1c954514e99da7c179d");
	/* 6.2 */
	ke_pair_kat(IKE_KE_CURVE448,
	    "9a8f4925d1519f5775cf46b04b5800d4ee9ee8bae8bc5565d498c28d"
	    "d9c9baf574a9419744897391006382a6f127ab1d9ac2d8c0a598726b",
	    "9b08f7cc31b7e3e67d22d5aea121074a273bd2b83de09c63faa73d2c"
	    "22c5d9bbc836647241d953d40c5b12da88120d53177f80e532c41fa0",
	    "1c306a7ac2a0e2e0990b294470cba339e6453772b075811d8fad0d1d"
	    "6927c120bb5ee8972b0d3e21374c9c921b09d1b0366f10b65173992d",
	    "3eb7a829b0cd20f5bcfc0b599b6feccf6da4627107bdb0d4f345b430"
	    "27d8b972fc3e34fb4232a13ca706dcb57aec3dae07bdc1c67bf33609",
	    "07fff4181ac6cc95ec1c16a94a0f74d12da232ce40a77552281d282b"
	    "b60c0b56fd2464c335543936521c24403085d59a449a5037514a879d");
}

/* --- key exchange: RFC 5903 ----------------------------------------------- */

static void
test_ecp_rfc5903(void)
{
	ke_pair_kat(IKE_KE_ECP_256,
	    "c88f01f510d9ac3f70a292daa2316de544e9aab8afe84049c62a9c57862d1433",
	    "dad0b65394221cf9b051e1feca5787d098dfe637fc90b9ef945d0c3772581180"
	    "5271a0461cdb8252d61f1c456fa3e59ab1f45b33accf5f58389e0577b8990bb3",
	    "c6ef9c5d78ae012a011164acb397ce2088685d8f06bf9be0b283ab46476bee53",
	    "d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf63"
	    "56fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab",
	    "d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de");
	ke_pair_kat(IKE_KE_ECP_384,
	    "099f3c7034d4a2c699884d73a375a67f7624ef7c6b3c0f160647b67414dce655"
	    "e35b538041e649ee3faef896783ab194",
	    "667842d7d180ac2cde6f74f37551f55755c7645c20ef73e31634fe72b4c55ee6"
	    "de3ac808acb4bdb4c88732aee95f41aa"
	    "9482ed1fc0eeb9cafc4984625ccfc23f65032149e0e144ada024181535a0f38e"
	    "eb9fcff3c2c947dae69b4c634573a81c",
	    "41cb0779b4bdb85d47846725fbec3c9430fab46cc8dc5060855cc9bda0aa2942"
	    "e0308312916b8ed2960e4bd55a7448fc",
	    "e558dbef53eecde3d3fccfc1aea08a89a987475d12fd950d83cfa41732bc509d"
	    "0d1ac43a0336def96fda41d0774a3571"
	    "dcfbec7aacf3196472169e838430367f66eebe3c6e70c416dd5f0c68759dd1ff"
	    "f83fa40142209dff5eaad96db9e6386c",
	    "11187331c279962d93d604243fd592cb9d0a926f422e47187521287e7156c5c4"
	    "d603135569b9e9d09cf5d4a270f59746");
	ke_pair_kat(IKE_KE_ECP_521,
	    "0037ade9319a89f4dabdb3ef411aaccca5123c61acab57b5393dce47608172a0"
	    "95aa85a30fe1c2952c6771d937ba9777f5957b2639bab072462f68c27a57382d"
	    "4a52",
	    "0015417e84dbf28c0ad3c278713349dc7df153c897a1891bd98bab4357c9ecbe"
	    "e1e3bf42e00b8e380aeae57c2d107564941885942af5a7f4601723c4195d176c"
	    "ed3e"
	    "017cae20b6641d2eeb695786d8c946146239d099e18e1d5a514c739d7cb4a10a"
	    "d8a788015ac405d7799dc75e7b7d5b6cf2261a6a7f1507438bf01beb6ca3926f"
	    "9582",
	    "0145ba99a847af43793fdd0e872e7cdfa16be30fdc780f97bccc3f078380201e"
	    "9c677d600b343757a3bdbf2a3163e4c2f869cca7458aa4a4effc311f5cb15168"
	    "5eb9",
	    "00d0b3975ac4b799f5bea16d5e13e9af971d5e9b984c9f39728b5e5739735a21"
	    "9b97c356436adc6e95bb0352f6be64a6c2912d4ef2d0433ced2b6171640012d9"
	    "460f"
	    "015c68226383956e3bd066e797b623c27ce0eac2f551a10c2c724d9852077b87"
	    "220b6536c5c408a1d2aebb8e86d678ae49cb57091f4732296579ab44fcd17f0f"
	    "c56a",
	    "01144c7d79ae6956bc8edb8e7c787c4521cb086fa64407f97894e5e6b2d79b04"
	    "d1427e73ca4baa240a34786859810c06b3c715a3a8cc3151f2bee417996d19f3"
	    "ddea");
}

/* --- random key pairs agree, for every group ---------------------------- */

static void
test_ke_agree_all(void)
{
	static const enum ike_ke groups[] = { IKE_KE_MODP_2048,
	    IKE_KE_ECP_256, IKE_KE_ECP_384, IKE_KE_ECP_521,
	    IKE_KE_CURVE25519, IKE_KE_CURVE448 };
	struct ke	*a, *b;
	struct secbuf	*sa, *sb;
	const uint8_t	*pa, *pb;
	size_t		 i, la, lb;

	for (i = 0; i < nitems(groups); i++) {
		a = ke_new(groups[i]);
		b = ke_new(groups[i]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(a);
		CU_ASSERT_PTR_NOT_NULL_FATAL(b);
		pa = ke_public(a, &la);
		pb = ke_public(b, &lb);
		CU_ASSERT_EQUAL(la, ke_public_len(groups[i]));
		CU_ASSERT_EQUAL(lb, ke_public_len(groups[i]));
		CU_ASSERT(memcmp(pa, pb, la) != 0);
		sa = sb = NULL;
		CU_ASSERT_EQUAL(ke_shared(a, pb, lb, &sa), 0);
		CU_ASSERT_EQUAL(ke_shared(b, pa, la, &sb), 0);
		CU_ASSERT_PTR_NOT_NULL_FATAL(sa);
		CU_ASSERT_EQUAL(sa->len, ke_shared_len(groups[i]));
		CU_ASSERT(secbuf_eq(sa, sb));
		secbuf_free(sa);
		secbuf_free(sb);
		/* wrong lengths, every group */
		sa = NULL;
		CU_ASSERT_EQUAL(ke_shared(a, pb, lb - 1, &sa), CRYPTO_ELENGTH);
		CU_ASSERT_EQUAL(ke_shared(a, pb, 0, &sa), CRYPTO_ELENGTH);
		CU_ASSERT_PTR_NULL(sa);
		ke_free(a);
		ke_free(b);
	}
	CU_ASSERT_PTR_NULL(ke_new(IKE_KE_MODP_3072));
	CU_ASSERT_PTR_NULL(ke_new(IKE_KE_NONE));
	CU_ASSERT_EQUAL(ke_public_len(IKE_KE_ECP_521), 132);
	ke_free(NULL);
}

/* --- rejection of invalid public values -------------------------------- */

static void
expect_invalid(struct ke *k, const uint8_t *peer, size_t len, const char *what)
{
	struct secbuf	*s = NULL;
	int		 r;

	r = ke_shared(k, peer, len, &s);
	if (r != CRYPTO_EINVALID)
		fprintf(stderr, "%s: ke_shared returned %d (%s)\n", what, r,
		    crypto_err_name(r));
	CU_ASSERT_EQUAL(r, CRYPTO_EINVALID);
	CU_ASSERT_PTR_NULL(s);
	secbuf_free(s);
}

static void
test_modp_reject(void)
{
	struct ke	*k, *peer;
	EVP_PKEY_CTX	*ctx;
	EVP_PKEY	*pk = NULL;
	BIGNUM		*p = NULL;
	struct secbuf	*s = NULL;
	const uint8_t	*pub;
	uint8_t		 y[256];
	size_t		 n;

	k = ke_new(IKE_KE_MODP_2048);
	peer = ke_new(IKE_KE_MODP_2048);
	CU_ASSERT_PTR_NOT_NULL_FATAL(k);
	CU_ASSERT_PTR_NOT_NULL_FATAL(peer);
	/* p, independently of crypto_ke.c: OpenSSL's RFC 3526 group */
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL);
	CU_ASSERT_FATAL(ctx != NULL && EVP_PKEY_paramgen_init(ctx) > 0 &&
	    EVP_PKEY_CTX_set_group_name(ctx, "modp_2048") > 0 &&
	    EVP_PKEY_paramgen(ctx, &pk) > 0);
	CU_ASSERT_FATAL(EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_FFC_P, &p));
	CU_ASSERT_EQUAL_FATAL(BN_num_bytes(p), 256);

	memset(y, 0, sizeof(y));
	expect_invalid(k, y, 256, "MODP y = 0");
	y[255] = 1;
	expect_invalid(k, y, 256, "MODP y = 1");
	CU_ASSERT_FATAL(BN_bn2binpad(p, y, 256) == 256);
	expect_invalid(k, y, 256, "MODP y = p");
	y[255] -= 1;
	expect_invalid(k, y, 256, "MODP y = p-1");
	memset(y, 0xff, sizeof(y));
	expect_invalid(k, y, 256, "MODP y = 2^2048-1");
	/* y = 2 and y = p-2 are in range: accepted */
	memset(y, 0, sizeof(y));
	y[255] = 2;
	CU_ASSERT_EQUAL(ke_shared(k, y, 256, &s), 0);
	secbuf_free(s);
	CU_ASSERT_FATAL(BN_bn2binpad(p, y, 256) == 256);
	y[255] -= 2;
	s = NULL;
	CU_ASSERT_EQUAL(ke_shared(k, y, 256, &s), 0);
	secbuf_free(s);
	/* a short (unpadded) y is a length error, RFC 7296 3.4 */
	pub = ke_public(peer, &n);
	CU_ASSERT_EQUAL(ke_shared(k, pub + 1, n - 1, &s), CRYPTO_ELENGTH);
	BN_free(p);
	EVP_PKEY_free(pk);
	EVP_PKEY_CTX_free(ctx);
	ke_free(k);
	ke_free(peer);
}

static void
test_ecp_reject(void)
{
	static const enum ike_ke groups[] = { IKE_KE_ECP_256,
	    IKE_KE_ECP_384, IKE_KE_ECP_521 };
	struct ke	*k, *peer;
	struct secbuf	*s = NULL;
	const uint8_t	*pub;
	uint8_t		 bad[132];
	size_t		 i, n;

	for (i = 0; i < nitems(groups); i++) {
		k = ke_new(groups[i]);
		peer = ke_new(groups[i]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(k);
		CU_ASSERT_PTR_NOT_NULL_FATAL(peer);
		pub = ke_public(peer, &n);
		/* off the curve: y changed by one */
		memcpy(bad, pub, n);
		bad[n - 1] ^= 1;
		expect_invalid(k, bad, n, "ECP y+-1");
		/* off the curve: x changed by one */
		memcpy(bad, pub, n);
		bad[n / 2 - 1] ^= 1;
		expect_invalid(k, bad, n, "ECP x+-1");
		/* (0, 0): what a point at infinity would be sent as */
		memset(bad, 0, n);
		expect_invalid(k, bad, n, "ECP (0,0)");
		/* coordinates >= p */
		memset(bad, 0xff, n);
		expect_invalid(k, bad, n, "ECP (ff..)");
		/* the right point with an extra (SEC1) prefix byte */
		bad[0] = 0x04;
		memcpy(bad + 1, pub, n - 1);
		CU_ASSERT_EQUAL(ke_shared(k, bad, n + 1, &s), CRYPTO_ELENGTH);
		ke_free(k);
		ke_free(peer);
	}
}

/* RFC 7748 6: small-order u-coordinates give an all-zero secret. */
static void
test_ecx_small_order(void)
{
	static const char *const x25519_bad[] = {
	    "0000000000000000000000000000000000000000000000000000000000000000",
	    "0100000000000000000000000000000000000000000000000000000000000000",
	    /* a point of order 8 */
	    "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
	    /* p - 1 and p + 1 (non-canonical 0 and 1... orders 2 and 4) */
	    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	};
	struct ke	*k;
	uint8_t		 u[56];
	size_t		 i, n;

	k = ke_new(IKE_KE_CURVE25519);
	CU_ASSERT_PTR_NOT_NULL_FATAL(k);
	for (i = 0; i < nitems(x25519_bad); i++) {
		n = HX(x25519_bad[i], u);
		expect_invalid(k, u, n, x25519_bad[i]);
	}
	ke_free(k);

	k = ke_new(IKE_KE_CURVE448);
	CU_ASSERT_PTR_NOT_NULL_FATAL(k);
	memset(u, 0, sizeof(u));
	expect_invalid(k, u, 56, "X448 u = 0");
	u[0] = 1;
	expect_invalid(k, u, 56, "X448 u = 1");
	ke_free(k);
}

UNIT_SUITE(crypto, "crypto",
    { "HMAC-SHA2 RFC 4231 1-7", test_hmac_rfc4231 },
    { "INTEG ICV RFC 4868", test_integ_rfc4868 },
    { "suite sizes", test_suite_sizes },
    { "prf+ vs naive, 255 limit", test_prf_plus_naive },
    { "AEAD GCM/ChaCha20 vectors", test_aead_kats },
    { "AES-CBC", test_cbc },
    { "X25519 RFC 7748", test_x25519_rfc7748 },
    { "X448 RFC 7748", test_x448_rfc7748 },
    { "ECP RFC 5903 8", test_ecp_rfc5903 },
    { "every group agrees", test_ke_agree_all },
    { "MODP rejects y", test_modp_reject },
    { "ECP rejects points", test_ecp_reject },
    { "X25519/X448 small order", test_ecx_small_order });
