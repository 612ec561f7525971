/*
 * ikev2d/keys.c -- SKEYSEED, SK_*, Child SA KEYMAT and IKE SA rekey
 * (RFC 7296 2.13-2.18).  See keys.h for the formulas and ownership.
 *
 * Every intermediate that holds key material (SKEYSEED, the prf+ output,
 * seeds that contain g^ir) lives in a secbuf and is freed -- wiped -- on
 * every path through the single done: label of each function.
 */
#include <string.h>

#include "tandem/secbuf.h"
#include "keys.h"

/* Ni | Nr as a secbuf (it becomes a PRF key or part of a secret seed). */
static struct secbuf *
nonces_cat(const struct ike_nonces *n, size_t extra)
{
	struct secbuf	*b;

	if (n->ni == NULL || n->nr == NULL || n->ni_len == 0 || n->nr_len == 0)
		return NULL;
	if ((b = secbuf_new(n->ni_len + n->nr_len + extra)) == NULL)
		return NULL;
	memcpy(b->data, n->ni, n->ni_len);
	memcpy(b->data + n->ni_len, n->nr, n->nr_len);
	return b;
}

/* A secbuf of len bytes copied from km at *off; advances *off. */
static struct secbuf *
take(const struct secbuf *km, size_t *off, size_t len)
{
	struct secbuf	*b;

	if (len == 0)
		return NULL;
	if ((b = secbuf_from(km->data + *off, len)) != NULL)
		*off += len;
	return b;
}

int
keys_skeyseed(enum ike_prf id, const struct ike_nonces *n,
    const struct secbuf *gir, struct secbuf **out)
{
	struct secbuf	*key = NULL, *seed = NULL;
	int		 ret = CRYPTO_EINTERNAL, r;

	*out = NULL;
	if (gir == NULL || prf_len(id) == 0) {
		ret = prf_len(id) == 0 ? CRYPTO_EUNSUPPORTED : CRYPTO_ELENGTH;
		goto done;
	}
	if ((key = nonces_cat(n, 0)) == NULL) {
		ret = CRYPTO_ELENGTH;
		goto done;
	}
	if ((seed = secbuf_new(prf_len(id))) == NULL)
		goto done;
	r = prf(id, key->data, key->len, gir->data, gir->len, seed->data);
	if (r != (int)seed->len) {
		ret = r < 0 ? r : CRYPTO_EINTERNAL;
		goto done;
	}
	*out = seed;
	seed = NULL;
	ret = CRYPTO_OK;
 done:
	secbuf_free(seed);
	secbuf_free(key);
	return ret;
}

int
keys_skeyseed_rekey(enum ike_prf old_prf, const struct secbuf *sk_d,
    const struct secbuf *gir, const struct ike_nonces *n, struct secbuf **out)
{
	struct secbuf		*seed = NULL;
	struct crypto_iov	 iov[3];
	int			 ret = CRYPTO_EINTERNAL, r;

	*out = NULL;
	if (prf_len(old_prf) == 0) {
		ret = CRYPTO_EUNSUPPORTED;
		goto done;
	}
	if (sk_d == NULL || gir == NULL || n->ni == NULL || n->nr == NULL) {
		ret = CRYPTO_ELENGTH;
		goto done;
	}
	if ((seed = secbuf_new(prf_len(old_prf))) == NULL)
		goto done;
	iov[0].p = gir->data;
	iov[0].len = gir->len;
	iov[1].p = n->ni;
	iov[1].len = n->ni_len;
	iov[2].p = n->nr;
	iov[2].len = n->nr_len;
	r = prf_iov(old_prf, sk_d->data, sk_d->len, iov, 3, seed->data);
	if (r != (int)seed->len) {
		ret = r < 0 ? r : CRYPTO_EINTERNAL;
		goto done;
	}
	*out = seed;
	seed = NULL;
	ret = CRYPTO_OK;
 done:
	secbuf_free(seed);
	return ret;
}

size_t
keys_ike_len(const struct crypto_suite *s)
{
	return 3 * s->prf_len + 2 * s->akey_len + 2 * s->ekey_len;
}

int
keys_ike_derive(const struct crypto_suite *s, const struct secbuf *skeyseed,
    const struct ike_nonces *n, const uint8_t spi_i[8],
    const uint8_t spi_r[8], struct ike_keys *out)
{
	struct secbuf	*seed = NULL, *km = NULL;
	struct ike_keys	 k;
	size_t		 off = 0, base;
	int		 ret = CRYPTO_EINTERNAL;

	memset(out, 0, sizeof(*out));
	memset(&k, 0, sizeof(k));
	if (s->prf_len == 0 || s->ekey_len == 0) {
		ret = CRYPTO_EUNSUPPORTED;
		goto done;
	}
	/* seed = Ni | Nr | SPIi | SPIr */
	if ((seed = nonces_cat(n, 16)) == NULL) {
		ret = CRYPTO_ELENGTH;
		goto done;
	}
	base = n->ni_len + n->nr_len;
	memcpy(seed->data + base, spi_i, 8);
	memcpy(seed->data + base + 8, spi_r, 8);
	if ((km = prf_plus(s->prf, skeyseed, seed, keys_ike_len(s),
	    &ret)) == NULL)
		goto done;
	ret = CRYPTO_EINTERNAL;
	if ((k.sk_d = take(km, &off, s->prf_len)) == NULL)
		goto done;
	if (s->akey_len > 0 &&
	    ((k.sk_ai = take(km, &off, s->akey_len)) == NULL ||
	    (k.sk_ar = take(km, &off, s->akey_len)) == NULL))
		goto done;
	if ((k.sk_ei = take(km, &off, s->ekey_len)) == NULL ||
	    (k.sk_er = take(km, &off, s->ekey_len)) == NULL ||
	    (k.sk_pi = take(km, &off, s->prf_len)) == NULL ||
	    (k.sk_pr = take(km, &off, s->prf_len)) == NULL)
		goto done;
	*out = k;
	memset(&k, 0, sizeof(k));
	ret = CRYPTO_OK;
 done:
	ike_keys_free(&k);
	secbuf_free(km);
	secbuf_free(seed);
	return ret;
}

int
keys_ike(const struct crypto_suite *s, const struct secbuf *gir,
    const struct ike_nonces *n, const uint8_t spi_i[8],
    const uint8_t spi_r[8], struct ike_keys *out)
{
	struct secbuf	*skeyseed = NULL;
	int		 ret;

	memset(out, 0, sizeof(*out));
	if ((ret = keys_skeyseed(s->prf, n, gir, &skeyseed)) != CRYPTO_OK)
		goto done;
	ret = keys_ike_derive(s, skeyseed, n, spi_i, spi_r, out);
 done:
	secbuf_free(skeyseed);
	return ret;
}

int
keys_ike_rekey(const struct crypto_suite *s, enum ike_prf old_prf,
    const struct secbuf *old_sk_d, const struct secbuf *gir,
    const struct ike_nonces *n, const uint8_t spi_i[8],
    const uint8_t spi_r[8], struct ike_keys *out)
{
	struct secbuf	*skeyseed = NULL;
	int		 ret;

	memset(out, 0, sizeof(*out));
	if ((ret = keys_skeyseed_rekey(old_prf, old_sk_d, gir, n,
	    &skeyseed)) != CRYPTO_OK)
		goto done;
	ret = keys_ike_derive(s, skeyseed, n, spi_i, spi_r, out);
 done:
	secbuf_free(skeyseed);
	return ret;
}

void
ike_keys_free(struct ike_keys *k)
{
	if (k == NULL)
		return;
	secbuf_free(k->sk_d);
	secbuf_free(k->sk_ai);
	secbuf_free(k->sk_ar);
	secbuf_free(k->sk_ei);
	secbuf_free(k->sk_er);
	secbuf_free(k->sk_pi);
	secbuf_free(k->sk_pr);
	memset(k, 0, sizeof(*k));
}

size_t
keys_child_len(const struct crypto_suite *esp)
{
	return 2 * esp->ekey_len + 2 * esp->akey_len;
}

int
keys_child(enum ike_prf id, const struct secbuf *sk_d,
    const struct secbuf *gir, const struct ike_nonces *n,
    const struct crypto_suite *esp, struct child_keys *out)
{
	struct secbuf		*seed = NULL, *km = NULL;
	struct child_keys	 k;
	size_t			 off = 0, glen = gir != NULL ? gir->len : 0;
	int			 ret = CRYPTO_EINTERNAL;

	memset(out, 0, sizeof(*out));
	memset(&k, 0, sizeof(k));
	if (esp->ekey_len == 0) {
		ret = CRYPTO_EUNSUPPORTED;
		goto done;
	}
	/* seed = [g^ir (new) |] Ni | Nr */
	if ((seed = secbuf_new(glen + n->ni_len + n->nr_len)) == NULL)
		goto done;
	if (n->ni == NULL || n->nr == NULL || n->ni_len == 0 ||
	    n->nr_len == 0) {
		ret = CRYPTO_ELENGTH;
		goto done;
	}
	if (glen > 0)
		memcpy(seed->data, gir->data, glen);
	memcpy(seed->data + glen, n->ni, n->ni_len);
	memcpy(seed->data + glen + n->ni_len, n->nr, n->nr_len);
	if ((km = prf_plus(id, sk_d, seed, keys_child_len(esp), &ret)) == NULL)
		goto done;
	ret = CRYPTO_EINTERNAL;
	/* RFC 7296 2.17: i->r encryption, i->r integrity, then r->i. */
	if ((k.encr_i = take(km, &off, esp->ekey_len)) == NULL)
		goto done;
	if (esp->akey_len > 0 &&
	    (k.integ_i = take(km, &off, esp->akey_len)) == NULL)
		goto done;
	if ((k.encr_r = take(km, &off, esp->ekey_len)) == NULL)
		goto done;
	if (esp->akey_len > 0 &&
	    (k.integ_r = take(km, &off, esp->akey_len)) == NULL)
		goto done;
	*out = k;
	memset(&k, 0, sizeof(k));
	ret = CRYPTO_OK;
 done:
	child_keys_free(&k);
	secbuf_free(km);
	secbuf_free(seed);
	return ret;
}

void
child_keys_free(struct child_keys *k)
{
	if (k == NULL)
		return;
	secbuf_free(k->encr_i);
	secbuf_free(k->integ_i);
	secbuf_free(k->encr_r);
	secbuf_free(k->integ_r);
	memset(k, 0, sizeof(*k));
}
