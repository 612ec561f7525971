/*
 * lib/cfg_proposal.c -- proposal strings ("aes256gcm16-prfsha384-ecp384")
 * to IKEv2 transform ids, and back.  Pure.
 *
 * The keywords are strongSwan's, so a proposal copied from swanctl.conf
 * means the same here.  The ids are IANA's (cfg.h); ikev2d puts them on
 * the wire unchanged.  Only algorithms Tandem implements are listed: a
 * weak or unknown keyword is an error, never silently dropped.
 *
 * Rules (RFC 7296 3.3.3, and what strongSwan enforces):
 *  - every proposal has an encryption algorithm;
 *  - AEAD ciphers (GCM, ChaCha20-Poly1305) and classic ones do not mix,
 *    and an AEAD proposal has no integrity algorithm;
 *  - IKE needs a PRF (taken from the integrity algorithms when none is
 *    named; an AEAD proposal must name one) and a key exchange method;
 *  - ESP has no PRF; a key exchange method there means PFS; esn/noesn
 *    choose extended sequence numbers (default: noesn).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tandem/util.h"
#include "cfg_int.h"

struct alg {
	const char		*name;
	enum cfg_xform_type	 type;
	uint16_t		 id;
	uint16_t		 keylen;	/* bits, 0 = no attribute */
	bool			 aead;
};

/* The first name for a (type, id, keylen) is the canonical one. */
static const struct alg algs[] = {
	{ "aes128",		CFG_XF_ENCR, CFG_ENCR_AES_CBC, 128, false },
	{ "aes192",		CFG_XF_ENCR, CFG_ENCR_AES_CBC, 192, false },
	{ "aes256",		CFG_XF_ENCR, CFG_ENCR_AES_CBC, 256, false },
	{ "aes128gcm16",	CFG_XF_ENCR, CFG_ENCR_AES_GCM_16, 128, true },
	{ "aes192gcm16",	CFG_XF_ENCR, CFG_ENCR_AES_GCM_16, 192, true },
	{ "aes256gcm16",	CFG_XF_ENCR, CFG_ENCR_AES_GCM_16, 256, true },
	{ "aes128gcm128",	CFG_XF_ENCR, CFG_ENCR_AES_GCM_16, 128, true },
	{ "aes192gcm128",	CFG_XF_ENCR, CFG_ENCR_AES_GCM_16, 192, true },
	{ "aes256gcm128",	CFG_XF_ENCR, CFG_ENCR_AES_GCM_16, 256, true },
	/* RFC 7634 2: no Key Length attribute for ChaCha20-Poly1305 */
	{ "chacha20poly1305",	CFG_XF_ENCR, CFG_ENCR_CHACHA20_POLY1305, 0,
	    true },
	{ "sha256",		CFG_XF_INTEG, CFG_INTEG_HMAC_SHA2_256_128, 0,
	    false },
	{ "sha384",		CFG_XF_INTEG, CFG_INTEG_HMAC_SHA2_384_192, 0,
	    false },
	{ "sha512",		CFG_XF_INTEG, CFG_INTEG_HMAC_SHA2_512_256, 0,
	    false },
	{ "prfsha256",		CFG_XF_PRF, CFG_PRF_HMAC_SHA2_256, 0, false },
	{ "prfsha384",		CFG_XF_PRF, CFG_PRF_HMAC_SHA2_384, 0, false },
	{ "prfsha512",		CFG_XF_PRF, CFG_PRF_HMAC_SHA2_512, 0, false },
	{ "modp2048",		CFG_XF_KE, CFG_KE_MODP2048, 0, false },
	{ "ecp256",		CFG_XF_KE, CFG_KE_ECP256, 0, false },
	{ "ecp384",		CFG_XF_KE, CFG_KE_ECP384, 0, false },
	{ "ecp521",		CFG_XF_KE, CFG_KE_ECP521, 0, false },
	{ "x25519",		CFG_XF_KE, CFG_KE_CURVE25519, 0, false },
	{ "curve25519",		CFG_XF_KE, CFG_KE_CURVE25519, 0, false },
	{ "x448",		CFG_XF_KE, CFG_KE_CURVE448, 0, false },
	{ "curve448",		CFG_XF_KE, CFG_KE_CURVE448, 0, false },
	{ "noesn",		CFG_XF_ESN, CFG_ESN_NONE, 0, false },
	{ "esn",		CFG_XF_ESN, CFG_ESN_ON, 0, false },
};

/* Known to swanctl users, refused here on purpose. */
static const char *const weak[] = {
	"des", "3des", "blowfish", "cast128", "null", "md5", "sha", "sha1",
	"sha1_160", "aesxcbc", "aescmac", "prfmd5", "prfsha1", "prfaesxcbc",
	"modp768", "modp1024", "modp1536", "modp1024s160", "modp2048s224",
	"modp2048s256", "aes128ccm16", "aes256ccm16",
};

/* The PRF matching an integrity algorithm (RFC 4868). */
static uint16_t
prf_of_integ(uint16_t integ)
{
	switch (integ) {
	case CFG_INTEG_HMAC_SHA2_256_128:
		return CFG_PRF_HMAC_SHA2_256;
	case CFG_INTEG_HMAC_SHA2_384_192:
		return CFG_PRF_HMAC_SHA2_384;
	default:
		return CFG_PRF_HMAC_SHA2_512;
	}
}

static int __attribute__((format(printf, 3, 4)))
why(char *buf, size_t len, const char *fmt, ...)
{
	va_list	 ap;

	if (len > 0) {
		va_start(ap, fmt);
		vsnprintf(buf, len, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static const struct alg *
alg_find(const char *tok)
{
	size_t	 i;

	for (i = 0; i < nitems(algs); i++)
		if (strcmp(algs[i].name, tok) == 0)
			return &algs[i];
	return NULL;
}

static int
unknown_alg(const char *tok, const char *s, char *wbuf, size_t wlen)
{
	const char	*names[nitems(algs)], *best;
	size_t		 i;

	for (i = 0; i < nitems(weak); i++)
		if (strcmp(weak[i], tok) == 0)
			return why(wbuf, wlen, "'%s' in '%s' is not supported "
			    "(weak or obsolete)", tok, s);
	for (i = 0; i < nitems(algs); i++)
		names[i] = algs[i].name;
	if ((best = cfg_suggest(tok, names, nitems(names))) != NULL)
		return why(wbuf, wlen, "unknown algorithm '%s' in '%s' (did "
		    "you mean '%s'?)", tok, s, best);
	return why(wbuf, wlen, "unknown algorithm '%s' in '%s'", tok, s);
}

/* Append a transform; refuses duplicates and overflow. */
static int
add(struct cfg_proposal *p, const struct alg *a, const char *s, char *wbuf,
    size_t wlen)
{
	uint16_t	*ids;
	uint8_t		*n, cap = CFG_PROP_XFORMS, i;

	switch (a->type) {
	case CFG_XF_ENCR:
		for (i = 0; i < p->nencr; i++)
			if (p->encr[i].id == a->id &&
			    p->encr[i].keylen == a->keylen)
				goto dup;
		if (p->nencr == CFG_PROP_XFORMS)
			goto full;
		p->encr[p->nencr].id = a->id;
		p->encr[p->nencr++].keylen = a->keylen;
		return 0;
	case CFG_XF_PRF:
		ids = p->prf;
		n = &p->nprf;
		break;
	case CFG_XF_INTEG:
		ids = p->integ;
		n = &p->ninteg;
		break;
	case CFG_XF_KE:
		ids = p->ke;
		n = &p->nke;
		break;
	default:
		ids = p->esn;
		n = &p->nesn;
		cap = 2;
		break;
	}
	for (i = 0; i < *n; i++)
		if (ids[i] == a->id)
			goto dup;
	if (*n == cap)
		goto full;
	ids[(*n)++] = a->id;
	return 0;
 dup:
	return why(wbuf, wlen, "'%s' appears twice in '%s'", a->name, s);
 full:
	return why(wbuf, wlen, "too many algorithms of one kind in '%s' "
	    "(max %d)", s, CFG_PROP_XFORMS);
}

int
cfg_proposal_parse(const char *s, enum cfg_prop_kind kind,
    struct cfg_proposal *p, char *wbuf, size_t wlen)
{
	const struct alg	*a;
	char			 tok[32];
	const char		*t, *dash;
	size_t			 n, i;
	bool			 classic = false;

	memset(p, 0, sizeof(*p));
	for (t = s;; t = dash + 1) {
		dash = strchr(t, '-');
		n = dash != NULL ? (size_t)(dash - t) : strlen(t);
		if (n == 0)
			return why(wbuf, wlen, "empty algorithm in '%s'", s);
		if (n >= sizeof(tok))
			return why(wbuf, wlen, "unknown algorithm '%.*s' in "
			    "'%s'", (int)n, t, s);
		memcpy(tok, t, n);
		tok[n] = '\0';
		if ((a = alg_find(tok)) == NULL)
			return unknown_alg(tok, s, wbuf, wlen);
		if (a->type == CFG_XF_ENCR) {
			if ((a->aead && classic) ||
			    (!a->aead && p->aead))
				return why(wbuf, wlen, "'%s' mixes AEAD and "
				    "non-AEAD ciphers", s);
			p->aead = a->aead;
			classic = !a->aead;
		}
		if (kind == CFG_PROP_IKE && a->type == CFG_XF_ESN)
			return why(wbuf, wlen, "'%s' in '%s': esn/noesn are "
			    "for ESP proposals only", tok, s);
		if (kind == CFG_PROP_ESP && a->type == CFG_XF_PRF)
			return why(wbuf, wlen, "'%s' in '%s': a PRF is for IKE "
			    "proposals only", tok, s);
		if (add(p, a, s, wbuf, wlen) == -1)
			return -1;
		if (dash == NULL)
			break;
	}
	if (p->nencr == 0)
		return why(wbuf, wlen, "'%s' has no encryption algorithm "
		    "(e.g. aes256gcm16)", s);
	if (p->aead && p->ninteg > 0)
		return why(wbuf, wlen, "'%s': an AEAD cipher takes no "
		    "integrity algorithm", s);
	if (!p->aead && p->ninteg == 0)
		return why(wbuf, wlen, "'%s' has no integrity algorithm "
		    "(e.g. sha256)", s);
	if (kind == CFG_PROP_IKE) {
		if (p->nprf == 0 && p->aead)
			return why(wbuf, wlen, "'%s' has no PRF (an AEAD "
			    "cipher needs one, e.g. prfsha384)", s);
		/* one PRF per integrity algorithm; the map is one-to-one */
		if (p->nprf == 0) {
			for (i = 0; i < p->ninteg; i++)
				p->prf[i] = prf_of_integ(p->integ[i]);
			p->nprf = p->ninteg;
		}
		if (p->nke == 0)
			return why(wbuf, wlen, "'%s' has no key exchange method "
			    "(e.g. ecp384)", s);
	} else if (p->nesn == 0)
		p->esn[p->nesn++] = CFG_ESN_NONE;
	return 0;
}

const char *
cfg_xform_name(enum cfg_xform_type type, uint16_t id, uint16_t keylen)
{
	size_t	 i;

	for (i = 0; i < nitems(algs); i++)
		if (algs[i].type == type && algs[i].id == id &&
		    (type != CFG_XF_ENCR || algs[i].keylen == keylen))
			return algs[i].name;
	return "?";
}

int
cfg_proposal_fmt(const struct cfg_proposal *p, enum cfg_prop_kind kind,
    char *buf, size_t len)
{
	size_t	 off = 0, i;
	int	 w;

#define PUT(name) do {							\
	w = snprintf(buf + off, len - off, "%s%s", off > 0 ? "-" : "",	\
	    (name));							\
	if (w < 0 || (size_t)w >= len - off)				\
		return -1;						\
	off += (size_t)w;						\
} while (0)

	if (len == 0)
		return -1;
	buf[0] = '\0';
	for (i = 0; i < p->nencr; i++)
		PUT(cfg_xform_name(CFG_XF_ENCR, p->encr[i].id,
		    p->encr[i].keylen));
	for (i = 0; i < p->ninteg; i++)
		PUT(cfg_xform_name(CFG_XF_INTEG, p->integ[i], 0));
	for (i = 0; i < p->nprf; i++)
		PUT(cfg_xform_name(CFG_XF_PRF, p->prf[i], 0));
	for (i = 0; i < p->nke; i++)
		PUT(cfg_xform_name(CFG_XF_KE, p->ke[i], 0));
	/* ESP: "noesn" alone is the default and is left out */
	if (kind == CFG_PROP_ESP &&
	    !(p->nesn == 1 && p->esn[0] == CFG_ESN_NONE))
		for (i = 0; i < p->nesn; i++)
			PUT(cfg_xform_name(CFG_XF_ESN, p->esn[i], 0));
#undef PUT
	return 0;
}
