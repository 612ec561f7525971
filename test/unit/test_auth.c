/*
 * test/unit/test_auth.c -- AUTH payload data (ikev2d/auth.c).
 *
 * No published IKEv2 AUTH vector exists for these methods, so:
 *   - the signed octets and the PSK AUTH are checked against a second,
 *     independent computation written here with OpenSSL's one-shot
 *     EVP_Q_mac;
 *   - the RFC 7427 Appendix A AlgorithmIdentifier blobs are checked
 *     against the DER OpenSSL itself produces (i2d_X509_ALGOR) for the
 *     same OIDs;
 *   - signatures round-trip with RSA and ECDSA keys made here, verified
 *     against a self-signed certificate, and tampering is refused.
 */
#include <string.h>

#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "tandem/secbuf.h"
#include "tandem/util.h"
#include "../../ikev2d/auth.h"
#include "unit.h"

static size_t
ref_hmac(const char *md, const void *key, size_t klen, const void *data,
    size_t dlen, uint8_t *out)
{
	size_t	 n = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(EVP_Q_mac(NULL, "HMAC", NULL, md, NULL,
	    key, klen, data, dlen, out, 64, &n));
	return n;
}

static const uint8_t msg1[] = "IKE_SA_INIT request, as sent";
static const uint8_t nonce_r[] = "0123456789abcdefNONCE-R";
static const uint8_t id_rest[] = "\x02\x00\x00\x00" "vpn.example.org";

static void
test_octets_and_psk(void)
{
	static const struct {
		enum ike_prf	 prf;
		const char	*md;
	} prfs[] = {
		{ IKE_PRF_HMAC_SHA2_256, "SHA2-256" },
		{ IKE_PRF_HMAC_SHA2_384, "SHA2-384" },
		{ IKE_PRF_HMAC_SHA2_512, "SHA2-512" },
		{ IKE_PRF_HMAC_SHA1, "SHA1" },
	};
	struct secbuf	*sk_pi, *psk;
	uint8_t		 oct[256], ref[256], mac[64], pad[64], auth[64];
	size_t		 i, ml = sizeof(msg1) - 1, nl = sizeof(nonce_r) - 1;
	size_t		 il = sizeof(id_rest) - 1, pl, n;
	int		 len;

	sk_pi = secbuf_from("SK_pi-SK_pi-SK_pi-SK_pi-SK_pi-SK", 32);
	psk = secbuf_from("correct horse battery staple", 28);
	for (i = 0; i < nitems(prfs); i++) {
		pl = prf_len(prfs[i].prf);
		len = auth_octets(prfs[i].prf, sk_pi, msg1, ml, nonce_r, nl,
		    id_rest, il, oct, sizeof(oct));
		CU_ASSERT_EQUAL(len, (int)(ml + nl + pl));
		CU_ASSERT_EQUAL((size_t)len, auth_octets_len(prfs[i].prf, ml,
		    nl));
		/* independently: message | nonce | HMAC(SK_pi, RestOfID) */
		memcpy(ref, msg1, ml);
		memcpy(ref + ml, nonce_r, nl);
		n = ref_hmac(prfs[i].md, sk_pi->data, sk_pi->len, id_rest, il,
		    mac);
		CU_ASSERT_EQUAL_FATAL(n, pl);
		memcpy(ref + ml + nl, mac, pl);
		UNIT_ASSERT_BYTES(oct, ref, ml + nl + pl);

		/* AUTH = prf(prf(PSK, "Key Pad for IKEv2"), octets) */
		ref_hmac(prfs[i].md, psk->data, psk->len, "Key Pad for IKEv2",
		    17, pad);
		ref_hmac(prfs[i].md, pad, pl, oct, (size_t)len, mac);
		CU_ASSERT_EQUAL(auth_psk(prfs[i].prf, psk, oct, (size_t)len,
		    auth), 0);
		UNIT_ASSERT_BYTES(auth, mac, pl);
		CU_ASSERT_EQUAL(auth_psk_verify(prfs[i].prf, psk, oct,
		    (size_t)len, mac, pl), 0);
		/* tampered octets, AUTH, length or PSK: refused */
		oct[3] ^= 1;
		CU_ASSERT_EQUAL(auth_psk_verify(prfs[i].prf, psk, oct,
		    (size_t)len, mac, pl), CRYPTO_EAUTH);
		oct[3] ^= 1;
		mac[pl - 1] ^= 0x80;
		CU_ASSERT_EQUAL(auth_psk_verify(prfs[i].prf, psk, oct,
		    (size_t)len, mac, pl), CRYPTO_EAUTH);
		mac[pl - 1] ^= 0x80;
		CU_ASSERT_EQUAL(auth_psk_verify(prfs[i].prf, psk, oct,
		    (size_t)len, mac, pl - 1), CRYPTO_EAUTH);
		psk->data[0] ^= 1;
		CU_ASSERT_EQUAL(auth_psk_verify(prfs[i].prf, psk, oct,
		    (size_t)len, mac, pl), CRYPTO_EAUTH);
		psk->data[0] ^= 1;
	}
	/* errors */
	CU_ASSERT_EQUAL(auth_octets(IKE_PRF_HMAC_SHA2_256, sk_pi, msg1, ml,
	    nonce_r, nl, id_rest, il, oct, ml + nl), CRYPTO_ESPACE);
	CU_ASSERT_EQUAL(auth_octets(IKE_PRF_HMAC_SHA2_256, sk_pi, msg1, ml,
	    nonce_r, nl, id_rest, 3, oct, sizeof(oct)), CRYPTO_ELENGTH);
	CU_ASSERT_EQUAL(auth_octets(99, sk_pi, msg1, ml, nonce_r, nl, id_rest,
	    il, oct, sizeof(oct)), CRYPTO_EUNSUPPORTED);
	secbuf_free(psk);
	psk = secbuf_new(0);
	CU_ASSERT_EQUAL(auth_psk(IKE_PRF_HMAC_SHA2_256, psk, oct, 10, auth),
	    CRYPTO_ELENGTH);
	secbuf_free(psk);
	secbuf_free(sk_pi);
}

/* RFC 7427 A.1/A.3 blobs == OpenSSL's own DER for those OIDs. */
static void
test_algid_der(void)
{
	static const struct {
		int		 nid;
		int		 ptype;
		const char	*hex;
	} ids[] = {
		{ NID_sha256WithRSAEncryption, V_ASN1_NULL,
		    "300d06092a864886f70d01010b0500" },
		{ NID_sha384WithRSAEncryption, V_ASN1_NULL,
		    "300d06092a864886f70d01010c0500" },
		{ NID_sha512WithRSAEncryption, V_ASN1_NULL,
		    "300d06092a864886f70d01010d0500" },
		{ NID_ecdsa_with_SHA256, V_ASN1_UNDEF,
		    "300a06082a8648ce3d040302" },
		{ NID_ecdsa_with_SHA384, V_ASN1_UNDEF,
		    "300a06082a8648ce3d040303" },
		{ NID_ecdsa_with_SHA512, V_ASN1_UNDEF,
		    "300a06082a8648ce3d040304" },
	};
	X509_ALGOR	*alg;
	unsigned char	*der;
	uint8_t		 want[32];
	size_t		 i;
	long		 n;
	int		 dlen;

	for (i = 0; i < nitems(ids); i++) {
		n = unit_unhex(ids[i].hex, want, sizeof(want));
		alg = X509_ALGOR_new();
		CU_ASSERT_PTR_NOT_NULL_FATAL(alg);
		CU_ASSERT_FATAL(X509_ALGOR_set0(alg, OBJ_nid2obj(ids[i].nid),
		    ids[i].ptype, NULL) == 1);
		der = NULL;
		dlen = i2d_X509_ALGOR(alg, &der);
		CU_ASSERT_EQUAL(dlen, n);
		if (dlen == n)
			UNIT_ASSERT_BYTES(der, want, (size_t)n);
		OPENSSL_free(der);
		X509_ALGOR_free(alg);
	}
}

/* curve NULL: RSA-2048. */
static EVP_PKEY *
make_key(const char *curve)
{
	EVP_PKEY	*k;

	if (curve != NULL)
		k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve);
	else
		k = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	CU_ASSERT_PTR_NOT_NULL_FATAL(k);
	return k;
}

/* A self-signed certificate for key: the peer's certificate stand-in. */
static X509 *
make_cert(EVP_PKEY *key)
{
	X509		*x = X509_new();
	X509_NAME	*name;

	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_FATAL(X509_set_version(x, X509_VERSION_3) == 1);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
	    (const unsigned char *)"peer.example.org", -1, -1, 0);
	CU_ASSERT_FATAL(X509_set_issuer_name(x, name) == 1);
	CU_ASSERT_FATAL(X509_set_pubkey(x, key) == 1);
	CU_ASSERT_FATAL(X509_sign(x, key, EVP_sha256()) > 0);
	return x;
}

static void
sig_roundtrip(EVP_PKEY *key, X509 *cert, X509 *other, int der_len)
{
	static const enum ike_hash hashes[] = { IKE_HASH_SHA2_256,
	    IKE_HASH_SHA2_384, IKE_HASH_SHA2_512 };
	static const enum ike_hash only256[] = { IKE_HASH_SHA2_256 };
	uint8_t		 oct[200], data[600];
	enum ike_hash	 used;
	size_t		 i, max = auth_sig_max_len(key);
	int		 len;

	memset(oct, 0x3c, sizeof(oct));
	CU_ASSERT_FATAL(max > 0 && max <= sizeof(data));
	for (i = 0; i < nitems(hashes); i++) {
		len = auth_sig_sign(key, hashes[i], oct, sizeof(oct), data,
		    sizeof(data));
		CU_ASSERT_FATAL(len > 1 + der_len);
		CU_ASSERT((size_t)len <= max);
		CU_ASSERT_EQUAL(data[0], der_len);
		used = 0;
		CU_ASSERT_EQUAL(auth_sig_verify(cert, oct, sizeof(oct), data,
		    (size_t)len, NULL, 0, &used), 0);
		CU_ASSERT_EQUAL(used, hashes[i]);
		/* tampered octets */
		oct[17] ^= 1;
		CU_ASSERT_EQUAL(auth_sig_verify(cert, oct, sizeof(oct), data,
		    (size_t)len, NULL, 0, NULL), CRYPTO_EAUTH);
		oct[17] ^= 1;
		/* tampered signature */
		data[len - 1] ^= 1;
		CU_ASSERT_EQUAL(auth_sig_verify(cert, oct, sizeof(oct), data,
		    (size_t)len, NULL, 0, NULL), CRYPTO_EAUTH);
		data[len - 1] ^= 1;
		/* somebody else's certificate */
		CU_ASSERT_EQUAL(auth_sig_verify(other, oct, sizeof(oct), data,
		    (size_t)len, NULL, 0, NULL), CRYPTO_EAUTH);
		/* a hash we did not allow */
		CU_ASSERT_EQUAL(auth_sig_verify(cert, oct, sizeof(oct), data,
		    (size_t)len, only256, 1, NULL), i == 0 ? CRYPTO_OK :
		    CRYPTO_EUNSUPPORTED);
		/* a mangled AlgorithmIdentifier, and truncations */
		data[1 + der_len - 1] ^= 0x10;
		CU_ASSERT_EQUAL(auth_sig_verify(cert, oct, sizeof(oct), data,
		    (size_t)len, NULL, 0, NULL), CRYPTO_EUNSUPPORTED);
		data[1 + der_len - 1] ^= 0x10;
		CU_ASSERT_EQUAL(auth_sig_verify(cert, oct, sizeof(oct), data,
		    (size_t)(1 + der_len), NULL, 0, NULL), CRYPTO_ELENGTH);
		CU_ASSERT_EQUAL(auth_sig_verify(cert, oct, sizeof(oct), data,
		    5, NULL, 0, NULL), CRYPTO_ELENGTH);
		CU_ASSERT_EQUAL(auth_sig_verify(cert, oct, sizeof(oct), data,
		    (size_t)len - 1, NULL, 0, NULL), CRYPTO_EAUTH);
	}
	CU_ASSERT_EQUAL(auth_sig_sign(key, IKE_HASH_SHA1, oct, sizeof(oct),
	    data, sizeof(data)), CRYPTO_EUNSUPPORTED);
	CU_ASSERT_EQUAL(auth_sig_sign(key, IKE_HASH_SHA2_256, oct, sizeof(oct),
	    data, 20), CRYPTO_ESPACE);
}

static void
test_sig_rsa_ecdsa(void)
{
	EVP_PKEY	*rsa, *p256, *p384, *ed;
	X509		*crsa, *cp256, *cp384;
	uint8_t		 data[600], oct[16];
	int		 len;

	rsa = make_key(NULL);
	p256 = make_key("P-256");
	p384 = make_key("P-384");
	crsa = make_cert(rsa);
	cp256 = make_cert(p256);
	cp384 = make_cert(p384);
	sig_roundtrip(rsa, crsa, cp256, 15);
	sig_roundtrip(p256, cp256, cp384, 12);
	sig_roundtrip(p384, cp384, cp256, 12);

	/* an RSA AlgorithmIdentifier with an EC certificate */
	memset(oct, 1, sizeof(oct));
	len = auth_sig_sign(rsa, IKE_HASH_SHA2_256, oct, sizeof(oct), data,
	    sizeof(data));
	CU_ASSERT_FATAL(len > 0);
	CU_ASSERT_EQUAL(auth_sig_verify(cp256, oct, sizeof(oct), data,
	    (size_t)len, NULL, 0, NULL), CRYPTO_EAUTH);
	/* a key type we do not sign with */
	ed = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	CU_ASSERT_PTR_NOT_NULL_FATAL(ed);
	CU_ASSERT_EQUAL(auth_sig_sign(ed, IKE_HASH_SHA2_256, oct, sizeof(oct),
	    data, sizeof(data)), CRYPTO_EUNSUPPORTED);
	EVP_PKEY_free(ed);
	X509_free(crsa);
	X509_free(cp256);
	X509_free(cp384);
	EVP_PKEY_free(rsa);
	EVP_PKEY_free(p256);
	EVP_PKEY_free(p384);
}

static void
test_hash_negotiation(void)
{
	static const enum ike_hash pref[] = { IKE_HASH_SHA2_512,
	    IKE_HASH_SHA2_384, IKE_HASH_SHA2_256 };
	static const struct {
		const char	*peer;		/* notification data */
		int		 want;
	} table[] = {
		{ "0002" "0003" "0004", IKE_HASH_SHA2_512 },	/* ours first */
		{ "0004", IKE_HASH_SHA2_512 },
		{ "0001" "0002", IKE_HASH_SHA2_256 },
		{ "0003" "0001", IKE_HASH_SHA2_384 },
		{ "0005" "0002" "0003", IKE_HASH_SHA2_384 },	/* identity */
		{ "0001", 0 },					/* SHA1 only */
		{ "", 0 },
		{ "0009" "ffff", 0 },				/* unknown */
		{ "000400", CRYPTO_ELENGTH },			/* odd */
	};
	uint8_t		 buf[16];
	size_t		 i;
	long		 n;

	for (i = 0; i < nitems(table); i++) {
		n = unit_unhex(table[i].peer, buf, sizeof(buf));
		CU_ASSERT_FATAL(n >= 0);
		CU_ASSERT_EQUAL(auth_hash_pick(pref, nitems(pref), buf,
		    (size_t)n), table[i].want);
	}
	CU_ASSERT_EQUAL(auth_hash_encode(pref, nitems(pref), buf,
	    sizeof(buf)), 6);
	CU_ASSERT(memcmp(buf, "\x00\x04\x00\x03\x00\x02", 6) == 0);
	CU_ASSERT_EQUAL(auth_hash_encode(pref, nitems(pref), buf, 5),
	    CRYPTO_ESPACE);
}

UNIT_SUITE(auth, "auth",
    { "signed octets and PSK", test_octets_and_psk },
    { "RFC 7427 AlgorithmIdentifier DER", test_algid_der },
    { "RFC 7427 RSA/ECDSA sign+verify", test_sig_rsa_ecdsa },
    { "SIGNATURE_HASH_ALGORITHMS", test_hash_negotiation });
