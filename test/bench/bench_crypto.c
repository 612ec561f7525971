/*
 * test/bench/bench_crypto.c -- cost of our crypto layer over raw OpenSSL.
 *
 * Key exchange, per group (14, 19, 20, 21, 31, 32): one key pair plus one
 * shared secret -- ke_new() (keygen and public value export), ke_shared()
 * (peer value validated, imported, derived) and the frees -- against a
 * plain EVP loop doing the same operations in the same run: keygen,
 * EVP_PKEY_get1_encoded_public_key, import of the same peer value,
 * derive.  Both sides run interleaved in rounds, so drift hits both.
 * Figure "ke_groupN_us": microseconds per pair+secret, ratio ours/raw.
 *
 * SK payload, 1 KB of inner payloads: ike_sk_protect() +
 * ike_sk_unprotect() for AES-GCM-16-256 and AES-CBC-256 +
 * HMAC-SHA2-256-128, in MB/s of inner payload, with the ratio of the time
 * per message against raw EVP doing the same cipher/MAC work with the
 * cipher and MAC pre-fetched and contexts reused (the best case; our API
 * is stateless and fetches per call).
 *
 * Run: make B=build/h-crypto bench-crypto  (or bench_crypto OUT.jsonl)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "tandem/secbuf.h"
#include "tandem/util.h"
#include "../../ikev2d/crypto.h"
#include "../../ikev2d/ike_sk.h"
#include "bench.h"

#define ROUNDS		5
#define ROUND_NS	150000000ULL	/* per side per round */

static const struct bench_group {
	enum ike_ke	 g;
	const char	*alg;
	const char	*name;		/* group name for keygen, or NULL */
	int		 ecp;
} groups[] = {
	{ IKE_KE_MODP_2048, "DH", "modp_2048", 0 },
	{ IKE_KE_ECP_256, "EC", "P-256", 1 },
	{ IKE_KE_ECP_384, "EC", "P-384", 1 },
	{ IKE_KE_ECP_521, "EC", "P-521", 1 },
	{ IKE_KE_CURVE25519, "X25519", NULL, 0 },
	{ IKE_KE_CURVE448, "X448", NULL, 0 },
};

static void
die(const char *what)
{
	fprintf(stderr, "bench_crypto: %s failed\n", what);
	exit(1);
}

/* --- ours ---------------------------------------------------------------- */

static void
ours_once(const struct bench_group *bg, const uint8_t *peer, size_t plen)
{
	struct ke	*k;
	struct secbuf	*s = NULL;
	const uint8_t	*pub;
	size_t		 n;

	if ((k = ke_new(bg->g)) == NULL)
		die("ke_new");
	pub = ke_public(k, &n);
	bench_sink(pub, 1);
	if (ke_shared(k, peer, plen, &s) != 0)
		die("ke_shared");
	bench_sink(s->data, 1);
	secbuf_free(s);
	ke_free(k);
}

/* --- raw OpenSSL, the same steps --------------------------------------- */

static void
raw_once(const struct bench_group *bg, EVP_PKEY *params, const uint8_t *peer,
    size_t plen)
{
	EVP_PKEY_CTX	*ctx, *dctx;
	EVP_PKEY	*key = NULL, *pk;
	unsigned char	*enc = NULL, buf[1 + 132], sec[256];
	size_t		 n, slen = sizeof(sec);

	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, bg->alg, NULL)) == NULL ||
	    EVP_PKEY_keygen_init(ctx) <= 0 ||
	    (bg->name != NULL && EVP_PKEY_CTX_set_group_name(ctx,
	    bg->name) <= 0) || EVP_PKEY_keygen(ctx, &key) <= 0)
		die("raw keygen");
	EVP_PKEY_CTX_free(ctx);
	if ((n = EVP_PKEY_get1_encoded_public_key(key, &enc)) == 0)
		die("raw export");
	bench_sink(enc, 1);
	OPENSSL_free(enc);
	if (params != NULL) {
		if ((pk = EVP_PKEY_new()) == NULL ||
		    !EVP_PKEY_copy_parameters(pk, params))
			die("raw peer");
		if (bg->ecp) {
			buf[0] = 0x04;
			memcpy(buf + 1, peer, plen);
			n = EVP_PKEY_set1_encoded_public_key(pk, buf, plen + 1);
		} else
			n = EVP_PKEY_set1_encoded_public_key(pk, peer, plen);
		if (n != 1)
			die("raw import");
	} else if ((pk = EVP_PKEY_new_raw_public_key_ex(NULL, bg->alg, NULL,
	    peer, plen)) == NULL)
		die("raw import");
	if ((dctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL)) == NULL ||
	    EVP_PKEY_derive_init(dctx) <= 0 ||
	    EVP_PKEY_derive_set_peer_ex(dctx, pk, 0) <= 0 ||
	    EVP_PKEY_derive(dctx, sec, &slen) <= 0)
		die("raw derive");
	bench_sink(sec, 1);
	OPENSSL_cleanse(sec, slen);
	EVP_PKEY_CTX_free(dctx);
	EVP_PKEY_free(pk);
	EVP_PKEY_free(key);
}

static void
bench_ke(const struct bench_group *bg)
{
	struct ke	*peer;
	EVP_PKEY_CTX	*pctx = NULL;
	EVP_PKEY	*params = NULL;
	const uint8_t	*pv;
	uint8_t		 pub[256];
	uint64_t	 t0, t_ours = 0, t_raw = 0, one;
	size_t		 plen, i, n, total = 0;
	int		 r;
	char		 fig[64];

	if ((peer = ke_new(bg->g)) == NULL)
		die("peer");
	pv = ke_public(peer, &plen);
	memcpy(pub, pv, plen);
	if (bg->name != NULL) {
		/* domain parameters for the raw side's peer import */
		if ((pctx = EVP_PKEY_CTX_new_from_name(NULL, bg->alg,
		    NULL)) == NULL || EVP_PKEY_paramgen_init(pctx) <= 0 ||
		    EVP_PKEY_CTX_set_group_name(pctx, bg->name) <= 0 ||
		    EVP_PKEY_paramgen(pctx, &params) <= 0)
			die("params");
	}
	/* warm up and calibrate */
	for (i = 0; i < 3; i++) {
		ours_once(bg, pub, plen);
		raw_once(bg, params, pub, plen);
	}
	t0 = bench_now_ns();
	ours_once(bg, pub, plen);
	one = bench_now_ns() - t0;
	n = (size_t)(ROUND_NS / (one > 0 ? one : 1));
	if (n < 5)
		n = 5;
	for (r = 0; r < ROUNDS; r++) {
		t0 = bench_now_ns();
		for (i = 0; i < n; i++)
			raw_once(bg, params, pub, plen);
		t_raw += bench_now_ns() - t0;
		t0 = bench_now_ns();
		for (i = 0; i < n; i++)
			ours_once(bg, pub, plen);
		t_ours += bench_now_ns() - t0;
		total += n;
	}
	snprintf(fig, sizeof(fig), "ke_group%d_us", (int)bg->g);
	bench_figure(fig, (double)t_ours / (double)total / 1000.0, "us",
	    (double)t_ours / (double)t_raw, "raw OpenSSL EVP");
	EVP_PKEY_free(params);
	EVP_PKEY_CTX_free(pctx);
	ke_free(peer);
}

/* --- SK payload throughput --------------------------------------------- */

#define SK_INNER	1024

struct raw_sk {
	EVP_CIPHER	*cipher;
	EVP_CIPHER_CTX	*ctx;
	EVP_MAC_CTX	*mac;	/* keyed once; duplicated per message */
};

/* The same cipher/MAC work as protect + unprotect, without our framing. */
static void
raw_sk_once(const struct crypto_suite *s, struct raw_sk *rs,
    const uint8_t *key, const uint8_t *msg, size_t hdr, uint8_t *ct,
    uint8_t *pt, size_t len)
{
	uint8_t		 nonce[12], iv[16], tag[64];
	EVP_MAC_CTX	*m;
	size_t		 tl;
	int		 outl;

	memset(iv, 0x5a, sizeof(iv));
	if (s->aead) {
		memcpy(nonce, key + 32, 4);
		memcpy(nonce + 4, iv, 8);
		if (!EVP_EncryptInit_ex2(rs->ctx, rs->cipher, key, nonce,
		    NULL) || !EVP_EncryptUpdate(rs->ctx, NULL, &outl, msg,
		    (int)hdr) || !EVP_EncryptUpdate(rs->ctx, ct, &outl, pt,
		    (int)len) ||
		    !EVP_EncryptFinal_ex(rs->ctx, ct + len, &outl) ||
		    !EVP_CIPHER_CTX_ctrl(rs->ctx, EVP_CTRL_AEAD_GET_TAG, 16,
		    tag))
			die("raw seal");
		if (!EVP_DecryptInit_ex2(rs->ctx, rs->cipher, key, nonce,
		    NULL) || !EVP_CIPHER_CTX_ctrl(rs->ctx,
		    EVP_CTRL_AEAD_SET_TAG, 16, tag) ||
		    !EVP_DecryptUpdate(rs->ctx, NULL, &outl, msg, (int)hdr) ||
		    !EVP_DecryptUpdate(rs->ctx, pt, &outl, ct, (int)len) ||
		    EVP_DecryptFinal_ex(rs->ctx, pt + len, &outl) <= 0)
			die("raw open");
		return;
	}
	/* CBC: encrypt, MAC; MAC, compare, decrypt */
	if (!EVP_EncryptInit_ex2(rs->ctx, rs->cipher, key, iv, NULL) ||
	    !EVP_CIPHER_CTX_set_padding(rs->ctx, 0) ||
	    !EVP_EncryptUpdate(rs->ctx, ct, &outl, pt, (int)len) ||
	    !EVP_EncryptFinal_ex(rs->ctx, ct + len, &outl))
		die("raw cbc");
	if ((m = EVP_MAC_CTX_dup(rs->mac)) == NULL ||
	    !EVP_MAC_update(m, msg, hdr) || !EVP_MAC_update(m, ct, len) ||
	    !EVP_MAC_final(m, tag, &tl, sizeof(tag)))
		die("raw mac");
	EVP_MAC_CTX_free(m);
	if ((m = EVP_MAC_CTX_dup(rs->mac)) == NULL ||
	    !EVP_MAC_update(m, msg, hdr) || !EVP_MAC_update(m, ct, len) ||
	    !EVP_MAC_final(m, tag + 32, &tl, 32) ||
	    CRYPTO_memcmp(tag, tag + 32, s->icv_len) != 0)
		die("raw mac check");
	EVP_MAC_CTX_free(m);
	if (!EVP_DecryptInit_ex2(rs->ctx, rs->cipher, key, iv, NULL) ||
	    !EVP_CIPHER_CTX_set_padding(rs->ctx, 0) ||
	    !EVP_DecryptUpdate(rs->ctx, pt, &outl, ct, (int)len) ||
	    !EVP_DecryptFinal_ex(rs->ctx, pt + len, &outl))
		die("raw cbc dec");
}

static void
bench_sk(const char *fig, enum ike_encr encr, enum ike_integ integ)
{
	struct crypto_suite	 s;
	struct ike_sk_keys	 k;
	struct ike_sk_plain	 pl;
	struct secbuf		*e, *a = NULL;
	struct raw_sk		 rs;
	EVP_MAC			*mac;
	OSSL_PARAM		 params[2];
	uint8_t			 inner[SK_INNER], msg[SK_INNER + 256];
	uint8_t			 out[SK_INNER + 256], ct[SK_INNER + 64];
	uint8_t			 pt[SK_INNER + 64];
	uint64_t		 t0, t_ours = 0, t_raw = 0;
	size_t			 i, n = 20000, ptlen;
	int			 r, len;
	char			 name[64];

	if (crypto_suite_init(&s, encr, 256, integ, IKE_PRF_HMAC_SHA2_256,
	    0) != 0)
		die("suite");
	e = secbuf_new(s.ekey_len);
	RAND_bytes(e->data, (int)e->len);
	if (s.akey_len > 0) {
		a = secbuf_new(s.akey_len);
		RAND_bytes(a->data, (int)a->len);
	}
	k.suite = &s;
	k.ekey = e;
	k.akey = a;
	RAND_bytes(inner, sizeof(inner));
	memset(msg, 0, IKE_HDR_LEN);
	msg[16] = IKE_PLD_SK;
	msg[17] = IKE_VERSION;

	/* raw side: pre-fetched, contexts reused */
	rs.cipher = EVP_CIPHER_fetch(NULL, s.cipher_name, NULL);
	rs.ctx = EVP_CIPHER_CTX_new();
	rs.mac = NULL;
	if (!s.aead) {
		mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
		rs.mac = EVP_MAC_CTX_new(mac);
		EVP_MAC_free(mac);
		params[0] = OSSL_PARAM_construct_utf8_string(
		    OSSL_MAC_PARAM_DIGEST, (char *)s.integ_md, 0);
		params[1] = OSSL_PARAM_construct_end();
		if (rs.mac == NULL || !EVP_MAC_init(rs.mac, a->data, a->len,
		    params))
			die("raw mac init");
	}
	if (rs.cipher == NULL || rs.ctx == NULL)
		die("raw fetch");
	ptlen = ike_sk_len(&s, 0, SK_INNER) - 4 - s.iv_len - s.icv_len;
	memset(pt, 0, sizeof(pt));
	memcpy(pt, inner, SK_INNER);

	for (r = 0; r < ROUNDS; r++) {
		t0 = bench_now_ns();
		for (i = 0; i < n / ROUNDS; i++)
			raw_sk_once(&s, &rs, e->data, msg, IKE_HDR_LEN + 4, ct,
			    pt, ptlen);
		t_raw += bench_now_ns() - t0;
		t0 = bench_now_ns();
		for (i = 0; i < n / ROUNDS; i++) {
			len = ike_sk_protect(msg, sizeof(msg), IKE_HDR_LEN,
			    NULL, IKE_PLD_NOTIFY, inner, SK_INNER, &k, NULL);
			if (len < 0 || ike_sk_unprotect(msg, (size_t)len,
			    IKE_HDR_LEN, IKE_PLD_SK, &k, out, sizeof(out),
			    &pl) != 0 || pl.len != SK_INNER)
				die("sk");
		}
		t_ours += bench_now_ns() - t0;
	}
	n = (n / ROUNDS) * ROUNDS;
	snprintf(name, sizeof(name), "%s_1k_us", fig);
	bench_figure(name, (double)t_ours / (double)n / 1000.0, "us",
	    (double)t_ours / (double)t_raw,
	    "raw OpenSSL EVP (pre-fetched, contexts reused)");
	snprintf(name, sizeof(name), "%s_1k_MBps", fig);
	/* protect + unprotect of SK_INNER bytes each message */
	bench_figure(name, (double)SK_INNER * (double)n / 1e6 /
	    ((double)t_ours / 1e9), "MB/s", -1, NULL);
	EVP_MAC_CTX_free(rs.mac);
	EVP_CIPHER_CTX_free(rs.ctx);
	EVP_CIPHER_free(rs.cipher);
	secbuf_free(e);
	secbuf_free(a);
}

int
main(int argc, char **argv)
{
	size_t	 i;

	bench_open(argc, argv);
	printf("bench_crypto: key exchange (pair + shared secret), ours vs "
	    "raw EVP\n");
	for (i = 0; i < nitems(groups); i++)
		bench_ke(&groups[i]);
	printf("bench_crypto: SK protect + unprotect, 1 KB inner payloads\n");
	bench_sk("sk_aes_gcm_256", IKE_ENCR_AES_GCM_16, IKE_INTEG_NONE);
	bench_sk("sk_aes_cbc_256_sha256", IKE_ENCR_AES_CBC,
	    IKE_INTEG_HMAC_SHA2_256_128);
	bench_close();
	return 0;
}
