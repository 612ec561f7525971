/*
 * ikev2d/auth_cert.c -- X.509 credentials, chain validation and identity
 * binding for auth = pubkey (see auth_cert.h).
 *
 * cert_set_load() is the only function here that touches files; the rest
 * are functions of their arguments (and, for validity times, of the wall
 * clock that OpenSSL reads).
 */
#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "tandem/secbuf.h"
#include "tandem/util.h"
#include "auth_cert.h"
#include "crypto.h"
#include "ike_const.h"

#define FILE_MAX	(256 * 1024)	/* larger credential files are refused */

struct load_ctx {
	void		(*err)(void *, const char *);
	void		*arg;
	const char	*conn;
};

static void
lerr(struct load_ctx *l, const char *path, const char *what)
{
	char		 msg[512];
	unsigned long	 e = ERR_peek_last_error();
	const char	*r = e != 0 ? ERR_reason_error_string(e) : NULL;

	snprintf(msg, sizeof(msg), "conn %s: %s: %s%s%s", l->conn, path, what,
	    r != NULL ? ": " : "", r != NULL ? r : "");
	ERR_clear_error();
	if (l->err != NULL)
		l->err(l->arg, msg);
}

/*
 * The whole file in a buffer (wiped and freed by the caller with
 * file_free: it may hold a private key).  NULL with *why set.
 */
static uint8_t *
file_read(const char *path, size_t *len, const char **why)
{
	FILE		*f;
	uint8_t		*buf;
	size_t		 n = 0, r;

	if ((f = fopen(path, "rb")) == NULL) {
		*why = "cannot open";
		return NULL;
	}
	setvbuf(f, NULL, _IONBF, 0);	/* no stdio copy of a key */
	if ((buf = malloc(FILE_MAX)) == NULL) {
		fclose(f);
		*why = "out of memory";
		return NULL;
	}
	while (n < FILE_MAX && (r = fread(buf + n, 1, FILE_MAX - n, f)) > 0)
		n += r;
	if (ferror(f) || n == FILE_MAX || n == 0) {
		*why = ferror(f) ? "read error" : n == 0 ? "empty" : "too large";
		fclose(f);
		secure_wipe(buf, FILE_MAX);
		free(buf);
		return NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

static void
file_free(uint8_t *buf)
{
	if (buf == NULL)
		return;
	secure_wipe(buf, FILE_MAX);
	free(buf);
}

/* Every certificate of a PEM file, or the one of a DER file. */
static STACK_OF(X509) *
certs_read(struct load_ctx *l, const char *path)
{
	STACK_OF(X509)	*sk = NULL;
	const uint8_t	*p;
	const char	*why = NULL;
	uint8_t		*buf;
	size_t		 len;
	X509		*x;
	BIO		*b = NULL;

	if ((buf = file_read(path, &len, &why)) == NULL) {
		lerr(l, path, why);
		return NULL;
	}
	if ((sk = sk_X509_new_null()) == NULL)
		goto fail;
	if ((b = BIO_new_mem_buf(buf, (int)len)) == NULL)
		goto fail;
	while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL) {
		if (sk_X509_push(sk, x) <= 0) {
			X509_free(x);
			goto fail;
		}
	}
	ERR_clear_error();		/* the end of the PEM stream */
	if (sk_X509_num(sk) == 0) {
		p = buf;
		if ((x = d2i_X509(NULL, &p, (long)len)) == NULL ||
		    sk_X509_push(sk, x) <= 0) {
			X509_free(x);
			goto fail;
		}
	}
	BIO_free(b);
	file_free(buf);
	return sk;
 fail:
	lerr(l, path, "no certificate (PEM or DER) in it");
	BIO_free(b);
	sk_X509_pop_free(sk, X509_free);
	file_free(buf);
	return NULL;
}

/* Encrypted keys are refused rather than prompting on a terminal. */
static int
no_pass(char *buf, int size, int rw, void *u)
{
	return -1;
}

static EVP_PKEY *
key_read(struct load_ctx *l, const char *path)
{
	EVP_PKEY	*k = NULL;
	const uint8_t	*p;
	const char	*why = NULL;
	uint8_t		*buf;
	size_t		 len;
	BIO		*b;

	if ((buf = file_read(path, &len, &why)) == NULL) {
		lerr(l, path, why);
		return NULL;
	}
	if ((b = BIO_new_mem_buf(buf, (int)len)) != NULL) {
		k = PEM_read_bio_PrivateKey(b, NULL, no_pass, NULL);
		BIO_free(b);
	}
	if (k == NULL) {
		ERR_clear_error();
		p = buf;
		k = d2i_AutoPrivateKey(NULL, &p, (long)len);
	}
	file_free(buf);
	if (k == NULL)
		lerr(l, path, "no private key (PEM or DER, unencrypted) in it");
	else if (!EVP_PKEY_is_a(k, "RSA") && !EVP_PKEY_is_a(k, "EC")) {
		lerr(l, path, "only RSA and ECDSA keys are supported");
		EVP_PKEY_free(k);
		k = NULL;
	}
	return k;
}

static int
crls_read(struct load_ctx *l, const char *path, X509_STORE *st)
{
	X509_CRL	*crl;
	const uint8_t	*p;
	const char	*why = NULL;
	uint8_t		*buf;
	size_t		 len;
	BIO		*b;
	int		 n = 0;

	if ((buf = file_read(path, &len, &why)) == NULL) {
		lerr(l, path, why);
		return -1;
	}
	if ((b = BIO_new_mem_buf(buf, (int)len)) != NULL) {
		while ((crl = PEM_read_bio_X509_CRL(b, NULL, NULL, NULL)) !=
		    NULL) {
			if (X509_STORE_add_crl(st, crl) == 1)
				n++;
			X509_CRL_free(crl);
		}
		BIO_free(b);
	}
	ERR_clear_error();
	if (n == 0) {
		p = buf;
		if ((crl = d2i_X509_CRL(NULL, &p, (long)len)) != NULL) {
			if (X509_STORE_add_crl(st, crl) == 1)
				n++;
			X509_CRL_free(crl);
		}
	}
	file_free(buf);
	if (n == 0) {
		lerr(l, path, "no CRL (PEM or DER) in it");
		return -1;
	}
	return 0;
}

/* SHA-1 of the SubjectPublicKeyInfo (RFC 7296 3.7). */
static int
spki_sha1(X509 *x, uint8_t out[CERT_HASH_LEN])
{
	uint8_t		*der = NULL;
	unsigned int	 olen = 0;
	int		 n, ret = -1;

	if ((n = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &der)) <= 0)
		return -1;
	if (EVP_Digest(der, (size_t)n, out, &olen, EVP_sha1(), NULL) == 1 &&
	    olen == CERT_HASH_LEN)
		ret = 0;
	OPENSSL_free(der);
	return ret;
}

static void
cred_local(struct load_ctx *l, const struct cfg_conn *cn,
    struct cert_cred *cr)
{
	STACK_OF(X509)	*sk;
	EVP_PKEY	*key;
	size_t		 i;

	if ((sk = sk_X509_new_null()) == NULL)
		return;
	for (i = 0; i < cn->local.certs.n; i++) {
		STACK_OF(X509) *one = certs_read(l, cn->local.certs.v[i]);

		if (one == NULL)
			goto fail;
		while (sk_X509_num(one) > 0)
			if (sk_X509_push(sk, sk_X509_shift(one)) <= 0) {
				sk_X509_pop_free(one, X509_free);
				goto fail;
			}
		sk_X509_free(one);
	}
	if (sk_X509_num(sk) == 0)
		goto fail;
	if ((key = key_read(l, cn->local.key)) == NULL)
		goto fail;
	if (X509_check_private_key(sk_X509_value(sk, 0), key) != 1) {
		lerr(l, cn->local.key, "does not match the certificate");
		EVP_PKEY_free(key);
		goto fail;
	}
	cr->key = key;
	cr->cert = sk_X509_shift(sk);
	cr->chain = sk;
	return;
 fail:
	sk_X509_pop_free(sk, X509_free);
}

static void
cred_remote(struct load_ctx *l, const struct cfg_conn *cn,
    struct cert_cred *cr)
{
	STACK_OF(X509)	*sk;
	X509		*x;
	size_t		 i;
	bool		 bad = false;

	if ((cr->store = X509_STORE_new()) == NULL ||
	    (cr->pinned = sk_X509_new_null()) == NULL)
		return;
	for (i = 0; i < cn->remote.cacerts.n; i++) {
		if ((sk = certs_read(l, cn->remote.cacerts.v[i])) == NULL) {
			bad = true;
			continue;
		}
		while ((x = sk_X509_shift(sk)) != NULL) {
			uint8_t	*nh = realloc(cr->ca_hashes,
			    (cr->nca + 1) * CERT_HASH_LEN);

			if (nh != NULL)
				cr->ca_hashes = nh;
			if (nh == NULL || spki_sha1(x, nh + cr->nca *
			    CERT_HASH_LEN) != 0 ||
			    X509_STORE_add_cert(cr->store, x) != 1) {
				lerr(l, cn->remote.cacerts.v[i],
				    "cannot add the CA certificate");
				bad = true;
			} else
				cr->nca++;
			X509_free(x);
		}
		sk_X509_free(sk);
	}
	for (i = 0; i < cn->remote.certs.n; i++) {
		if ((sk = certs_read(l, cn->remote.certs.v[i])) == NULL) {
			bad = true;
			continue;
		}
		while ((x = sk_X509_shift(sk)) != NULL)
			if (sk_X509_push(cr->pinned, x) <= 0) {
				X509_free(x);
				bad = true;
			}
		sk_X509_free(sk);
	}
	for (i = 0; i < cn->remote.crls.n; i++)
		if (crls_read(l, cn->remote.crls.v[i], cr->store) != 0)
			bad = true;
	cr->crl_check = cn->remote.crls.n > 0;
	/* a missing CRL or anchor must not widen what we accept */
	cr->remote_ok = !bad && (cr->nca > 0 || sk_X509_num(cr->pinned) > 0);
}

struct cert_set *
cert_set_load(const struct tnd_cfg *cfg,
    void (*err)(void *arg, const char *msg), void *arg)
{
	struct cert_set		*s;
	const struct cfg_conn	*cn;
	struct cert_cred	*cr;
	struct load_ctx		 l;
	size_t			 i;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	if (cfg->ike.nconns > 0 && (s->v = calloc(cfg->ike.nconns,
	    sizeof(*s->v))) == NULL) {
		free(s);
		return NULL;
	}
	l.err = err;
	l.arg = arg;
	for (i = 0; i < cfg->ike.nconns; i++) {
		cn = &cfg->ike.conns[i];
		if (cn->local.method != CFG_AUTH_PUBKEY &&
		    cn->remote.method != CFG_AUTH_PUBKEY)
			continue;
		cr = &s->v[s->n++];
		snprintf(cr->conn, sizeof(cr->conn), "%s", cn->name);
		l.conn = cn->name;
		if (cn->local.method == CFG_AUTH_PUBKEY)
			cred_local(&l, cn, cr);
		if (cn->remote.method == CFG_AUTH_PUBKEY)
			cred_remote(&l, cn, cr);
	}
	return s;
}

void
cert_set_free(struct cert_set *s)
{
	size_t	 i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++) {
		struct cert_cred *cr = &s->v[i];

		X509_free(cr->cert);
		sk_X509_pop_free(cr->chain, X509_free);
		EVP_PKEY_free(cr->key);		/* clears the key */
		X509_STORE_free(cr->store);
		sk_X509_pop_free(cr->pinned, X509_free);
		free(cr->ca_hashes);
	}
	free(s->v);
	free(s);
}

const struct cert_cred *
cert_set_find(const struct cert_set *s, const char *conn)
{
	size_t	 i;

	if (s == NULL)
		return NULL;
	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i].conn, conn) == 0)
			return &s->v[i];
	return NULL;
}

/* --- validation ----------------------------------------------------------- */

static void
name_text(X509_NAME *n, char *buf, size_t cap)
{
	BIO	*b;
	int	 len;

	buf[0] = '\0';
	if ((b = BIO_new(BIO_s_mem())) == NULL)
		return;
	if (X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253) >= 0 &&
	    (len = BIO_read(b, buf, (int)cap - 1)) > 0)
		buf[len] = '\0';
	BIO_free(b);
}

/* The EKU holds id-kp-ipsecIKE (RFC 4945 5.1.3.12)? */
static bool
eku_has_ipsec_ike(X509 *x)
{
	EXTENDED_KEY_USAGE	*eku;
	ASN1_OBJECT		*ike;
	bool			 found = false;
	int			 i;

	if ((eku = X509_get_ext_d2i(x, NID_ext_key_usage, NULL, NULL)) == NULL)
		return false;
	if ((ike = OBJ_txt2obj("1.3.6.1.5.5.7.3.17", 1)) != NULL) {
		for (i = 0; i < sk_ASN1_OBJECT_num(eku); i++)
			if (OBJ_cmp(sk_ASN1_OBJECT_value(eku, i), ike) == 0)
				found = true;
		ASN1_OBJECT_free(ike);
	}
	EXTENDED_KEY_USAGE_free(eku);
	return found;
}

/* An EKU, when present, must allow IKE (RFC 4945 5.1.3.12). */
static bool
eku_ok(X509 *x)
{
	uint32_t	 f = X509_get_extended_key_usage(x);

	if (f == UINT32_MAX)		/* no extension */
		return true;
	if ((f & (XKU_SSL_SERVER | XKU_SSL_CLIENT | XKU_ANYEKU)) != 0)
		return true;
	return eku_has_ipsec_ike(x);
}

int
cert_verify(const struct cert_cred *cr, X509 *leaf,
    STACK_OF(X509) *untrusted, char *why, size_t whylen)
{
	X509_STORE_CTX	*ctx = NULL;
	X509		*bad;
	char		 sub[128];
	int		 i, e, depth, ret = -1;

	if (cr == NULL || !cr->remote_ok) {
		snprintf(why, whylen, "no trust anchors loaded for this "
		    "connection");
		return -1;
	}
	if (!eku_ok(leaf)) {
		snprintf(why, whylen, "certificate's extendedKeyUsage does "
		    "not allow IKE");
		return -1;
	}
	for (i = 0; i < sk_X509_num(cr->pinned); i++) {
		if (X509_cmp(sk_X509_value(cr->pinned, i), leaf) != 0)
			continue;
		if (X509_cmp_current_time(X509_get0_notBefore(leaf)) >= 0 ||
		    X509_cmp_current_time(X509_get0_notAfter(leaf)) <= 0) {
			snprintf(why, whylen, "pinned certificate is not "
			    "valid now");
			return -1;
		}
		return 0;
	}
	if (cr->nca == 0) {
		snprintf(why, whylen, "certificate is not one of the pinned "
		    "ones");
		return -1;
	}
	if ((ctx = X509_STORE_CTX_new()) == NULL ||
	    X509_STORE_CTX_init(ctx, cr->store, leaf, untrusted) != 1) {
		snprintf(why, whylen, "out of memory");
		goto done;
	}
	if (cr->crl_check)
		X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_CRL_CHECK);
	if (X509_verify_cert(ctx) == 1) {
		ret = 0;
		goto done;
	}
	e = X509_STORE_CTX_get_error(ctx);
	depth = X509_STORE_CTX_get_error_depth(ctx);
	sub[0] = '\0';
	if ((bad = X509_STORE_CTX_get_current_cert(ctx)) != NULL)
		name_text(X509_get_subject_name(bad), sub, sizeof(sub));
	snprintf(why, whylen, "certificate chain: %s (depth %d%s%s)",
	    X509_verify_cert_error_string(e), depth, sub[0] ? ", " : "", sub);
 done:
	ERR_clear_error();
	X509_STORE_CTX_free(ctx);
	return ret;
}

/* --- identities -------------------------------------------------------------- */

int
cert_dn_der(const char *text, uint8_t *out, size_t cap)
{
	X509_NAME	*n;
	char		*buf, *p, *q, *k, *v, *end;
	uint8_t		*o = out;
	int		 len = -1;
	char		 sep;

	if ((n = X509_NAME_new()) == NULL)
		return -1;
	if ((buf = strdup(text)) == NULL)
		goto done;
	/* "C=CH, O=Example, CN=hub" or "/C=CH/O=Example/CN=hub" */
	p = buf;
	sep = *p == '/' ? '/' : ',';
	if (*p == '/')
		p++;
	while (*p != '\0') {
		if ((q = strchr(p, sep)) != NULL)
			*q = '\0';
		k = p;
		if ((v = strchr(k, '=')) == NULL)
			goto done;
		*v++ = '\0';
		while (isspace((unsigned char)*k))
			k++;
		for (end = k + strlen(k); end > k &&
		    isspace((unsigned char)end[-1]); )
			*--end = '\0';
		while (isspace((unsigned char)*v))
			v++;
		for (end = v + strlen(v); end > v &&
		    isspace((unsigned char)end[-1]); )
			*--end = '\0';
		if (strcmp(k, "E") == 0)
			k = "emailAddress";
		if (X509_NAME_add_entry_by_txt(n, k, MBSTRING_UTF8,
		    (const unsigned char *)v, -1, -1, 0) != 1)
			goto done;
		if (q == NULL)
			break;
		p = q + 1;
	}
	if (X509_NAME_entry_count(n) == 0)
		goto done;
	if ((len = i2d_X509_NAME(n, NULL)) <= 0 || (size_t)len > cap)
		len = -1;
	else
		len = i2d_X509_NAME(n, &o);
 done:
	ERR_clear_error();
	free(buf);
	X509_NAME_free(n);
	return len;
}

int
cert_subject_der(X509 *cert, uint8_t *out, size_t cap)
{
	X509_NAME	*n = X509_get_subject_name(cert);
	uint8_t		*o = out;
	int		 len;

	if ((len = i2d_X509_NAME(n, NULL)) <= 0 || (size_t)len > cap)
		return -1;
	return i2d_X509_NAME(n, &o);
}

static X509_NAME	*dn_decode(const uint8_t *, size_t);

int
cert_our_dn(X509 *cert, const char *text, uint8_t *out, size_t cap)
{
	X509_NAME	*n;
	int		 len;
	bool		 same = false;

	if (text == NULL)
		return cert != NULL ? cert_subject_der(cert, out, cap) : -1;
	if ((len = cert_dn_der(text, out, cap)) < 0)
		return -1;
	if (cert != NULL && (n = dn_decode(out, (size_t)len)) != NULL) {
		same = X509_NAME_cmp(n, X509_get_subject_name(cert)) == 0;
		X509_NAME_free(n);
	}
	return same ? cert_subject_der(cert, out, cap) : len;
}

static X509_NAME *
dn_decode(const uint8_t *der, size_t len)
{
	const uint8_t	*p = der;
	X509_NAME	*n;

	n = d2i_X509_NAME(NULL, &p, (long)len);
	if (n != NULL && p != der + len) {
		X509_NAME_free(n);
		n = NULL;
	}
	ERR_clear_error();
	return n;
}

void
cert_dn_text(const uint8_t *der, size_t len, char *buf, size_t cap)
{
	X509_NAME	*n;

	if ((n = dn_decode(der, len)) == NULL) {
		snprintf(buf, cap, "(bad DN)");
		return;
	}
	name_text(n, buf, cap);
	X509_NAME_free(n);
}

/* DN want (text, may hold '*' values) against the peer's DER DN. */
static bool
dn_match(const struct cfg_id *want, const struct ike_id *peer)
{
	X509_NAME	*w = NULL, *p = NULL;
	uint8_t		 der[1024];
	bool		 ok = false;
	int		 i, len;

	if ((len = cert_dn_der(want->text != NULL ? want->text : "", der,
	    sizeof(der))) < 0 || (w = dn_decode(der, (size_t)len)) == NULL ||
	    (p = dn_decode(peer->data, peer->len)) == NULL)
		goto done;
	if (!want->wildcard) {
		ok = X509_NAME_cmp(w, p) == 0;
		goto done;
	}
	if (X509_NAME_entry_count(w) != X509_NAME_entry_count(p))
		goto done;
	for (i = 0; i < X509_NAME_entry_count(w); i++) {
		X509_NAME_ENTRY	*ew = X509_NAME_get_entry(w, i);
		X509_NAME_ENTRY	*ep = X509_NAME_get_entry(p, i);
		ASN1_STRING	*dw = X509_NAME_ENTRY_get_data(ew);
		ASN1_STRING	*dp = X509_NAME_ENTRY_get_data(ep);

		if (OBJ_cmp(X509_NAME_ENTRY_get_object(ew),
		    X509_NAME_ENTRY_get_object(ep)) != 0)
			goto done;
		if (ASN1_STRING_length(dw) == 1 &&
		    ASN1_STRING_get0_data(dw)[0] == '*')
			continue;
		if (ASN1_STRING_length(dw) != ASN1_STRING_length(dp) ||
		    memcmp(ASN1_STRING_get0_data(dw), ASN1_STRING_get0_data(dp),
		    (size_t)ASN1_STRING_length(dw)) != 0)
			goto done;
	}
	ok = true;
 done:
	X509_NAME_free(w);
	X509_NAME_free(p);
	return ok;
}

bool
cert_id_match(const struct cfg_id *want, const struct ike_id *peer)
{
	char	 a[256], b[256];

	if (want->type == CFG_ID_ANY)
		return true;
	if ((uint8_t)want->type != peer->type)
		return false;
	if (want->type == CFG_ID_DN)
		return dn_match(want, peer);
	if (!want->wildcard)
		return want->len == peer->len &&
		    (want->type == CFG_ID_FQDN || want->type == CFG_ID_RFC822 ?
		    strncasecmp((const char *)want->data,
		    (const char *)peer->data, peer->len) == 0 :
		    memcmp(want->data, peer->data, peer->len) == 0);
	if (want->len >= sizeof(a) || peer->len >= sizeof(b) ||
	    memchr(peer->data, '\0', peer->len) != NULL)
		return false;
	memcpy(a, want->data, want->len);
	a[want->len] = '\0';
	memcpy(b, peer->data, peer->len);
	b[peer->len] = '\0';
	return fnmatch(a, b, FNM_CASEFOLD) == 0;
}

int
cert_id_bound(X509 *cert, const struct ike_id *id, char *why, size_t whylen)
{
	GENERAL_NAMES	*gens;
	GENERAL_NAME	*g;
	X509_NAME	*n;
	ASN1_STRING	*s;
	int		 i, want, type;
	bool		 ok = false;

	switch (id->type) {
	case IKE_ID_DER_ASN1_DN:
		if ((n = dn_decode(id->data, id->len)) == NULL) {
			snprintf(why, whylen, "identity is not a valid DN");
			return -1;
		}
		ok = X509_NAME_cmp(n, X509_get_subject_name(cert)) == 0;
		X509_NAME_free(n);
		if (!ok)
			snprintf(why, whylen, "identity is not the "
			    "certificate's subject");
		return ok ? 0 : -1;
	case IKE_ID_FQDN:
		want = GEN_DNS;
		break;
	case IKE_ID_RFC822_ADDR:
		want = GEN_EMAIL;
		break;
	case IKE_ID_IPV4_ADDR:
	case IKE_ID_IPV6_ADDR:
		want = GEN_IPADD;
		break;
	default:
		snprintf(why, whylen, "identity type %u cannot be bound to a "
		    "certificate", id->type);
		return -1;
	}
	gens = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
	for (i = 0; !ok && i < sk_GENERAL_NAME_num(gens); i++) {
		g = sk_GENERAL_NAME_value(gens, i);
		s = GENERAL_NAME_get0_value(g, &type);
		if (type != want || (size_t)ASN1_STRING_length(s) != id->len)
			continue;
		if (want == GEN_IPADD)
			ok = memcmp(ASN1_STRING_get0_data(s), id->data,
			    id->len) == 0;
		else
			ok = strncasecmp((const char *)ASN1_STRING_get0_data(s),
			    (const char *)id->data, id->len) == 0;
	}
	GENERAL_NAMES_free(gens);
	ERR_clear_error();
	if (!ok)
		snprintf(why, whylen, "identity is not a subjectAltName of "
		    "the certificate");
	return ok ? 0 : -1;
}

/* --- RFC 7296 signature methods ------------------------------------------ */

static int
verify_md(EVP_PKEY *k, const char *md, const uint8_t *octets, size_t len,
    const uint8_t *sig, size_t siglen)
{
	EVP_MD_CTX	*ctx;
	int		 rc = CRYPTO_EAUTH;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return CRYPTO_EINTERNAL;
	if (EVP_DigestVerifyInit_ex(ctx, NULL, md, NULL, NULL, k, NULL) == 1 &&
	    EVP_DigestVerify(ctx, sig, siglen, octets, len) == 1)
		rc = 0;
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return rc;
}

int
cert_verify_classic(X509 *cert, uint8_t method, const uint8_t *octets,
    size_t len, const uint8_t *sig, size_t siglen)
{
	static const struct {
		uint8_t		 method;
		const char	*group, *md;
		size_t		 half;
	} ec[] = {
		{ IKE_AUTH_ECDSA_256, "prime256v1", "SHA2-256", 32 },
		{ IKE_AUTH_ECDSA_384, "secp384r1", "SHA2-384", 48 },
		{ IKE_AUTH_ECDSA_521, "secp521r1", "SHA2-512", 66 },
	};
	EVP_PKEY	*k = X509_get0_pubkey(cert);
	ECDSA_SIG	*es = NULL;
	BIGNUM		*r = NULL, *s = NULL;
	uint8_t		*der = NULL;
	char		 grp[64];
	size_t		 i;
	int		 n, rc = CRYPTO_EUNSUPPORTED;

	if (k == NULL)
		return CRYPTO_EAUTH;
	if (method == IKE_AUTH_RSA_SIG)
		return EVP_PKEY_is_a(k, "RSA") ? verify_md(k, "SHA1", octets,
		    len, sig, siglen) : CRYPTO_EAUTH;
	for (i = 0; i < nitems(ec); i++)
		if (ec[i].method == method)
			break;
	if (i == nitems(ec))
		return CRYPTO_EUNSUPPORTED;
	if (!EVP_PKEY_is_a(k, "EC") || EVP_PKEY_get_utf8_string_param(k,
	    OSSL_PKEY_PARAM_GROUP_NAME, grp, sizeof(grp), NULL) != 1 ||
	    strcmp(grp, ec[i].group) != 0 || siglen != 2 * ec[i].half) {
		ERR_clear_error();
		return CRYPTO_EAUTH;
	}
	rc = CRYPTO_EINTERNAL;
	if ((es = ECDSA_SIG_new()) == NULL ||
	    (r = BN_bin2bn(sig, (int)ec[i].half, NULL)) == NULL ||
	    (s = BN_bin2bn(sig + ec[i].half, (int)ec[i].half, NULL)) == NULL)
		goto done;
	if (ECDSA_SIG_set0(es, r, s) != 1)
		goto done;
	r = s = NULL;
	if ((n = i2d_ECDSA_SIG(es, &der)) <= 0)
		goto done;
	rc = verify_md(k, ec[i].md, octets, len, der, (size_t)n);
 done:
	BN_free(r);
	BN_free(s);
	ECDSA_SIG_free(es);
	OPENSSL_free(der);
	return rc;
}
