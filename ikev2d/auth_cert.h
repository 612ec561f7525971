/*
 * ikev2d/auth_cert.h -- X.509 credentials for auth = pubkey: our
 * certificate and private key, the trust anchors and CRLs a connection
 * accepts its peer against, chain validation and the binding of IKE
 * identities to certificates (RFC 7296 3.5-3.7, RFC 4945 3.1, 5).
 *
 * Files are read in one place, cert_set_load(), when the core is created
 * or its configuration replaced: the result is an in-memory set owned by
 * the core (struct ike_core.certs), one entry per connection that uses
 * pubkey on either side.  Nothing in the exchanges reads a file.  A
 * connection whose files do not load keeps an entry without credentials:
 * its IKE_AUTH fails with a logged reason instead of the daemon refusing
 * to start (the other connections keep working across a reload).
 *
 * Chain validation (cert_verify) uses OpenSSL's X509_STORE_CTX against the
 * connection's cacerts: signatures, validity times (the system's wall
 * clock, the one place the core depends on it), CA basic constraints, and
 * revocation of the end entity (X509_V_FLAG_CRL_CHECK) when crls are
 * configured.  An end entity with an extendedKeyUsage must allow IKE
 * (ipsecIKE, serverAuth, clientAuth or anyExtendedKeyUsage; RFC 4945
 * 5.1.3.12).  A peer certificate listed in remote.certs (pinned) is
 * accepted as is within its validity.
 *
 * Identities: the peer's IDi/IDr must satisfy the configured remote id
 * (cert_id_match: DN compared as X.509 names, '*' wildcards) and be bound
 * to the end-entity certificate (cert_id_bound: DER_ASN1_DN equal to the
 * subject, FQDN / RFC822 / IPv4 / IPv6 equal to a subjectAltName of that
 * kind).
 *
 * Ownership: the set owns every X509, EVP_PKEY and X509_STORE in it; the
 * private key is freed with it (OpenSSL clears key material on free) and
 * never leaves it except borrowed for signing.  Reason texts never hold
 * key material.
 */
#ifndef IKEV2D_AUTH_CERT_H
#define IKEV2D_AUTH_CERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "tandem/cfg.h"
#include "ike_msg.h"

#define CERT_HASH_LEN	20	/* SHA-1 of a CA's SubjectPublicKeyInfo */
#define CERT_WHY_MAX	200

struct cert_cred {
	char		 conn[CFG_NAME_MAX];
	/* local auth = pubkey; set when the files loaded */
	X509		*cert;		/* our end entity */
	STACK_OF(X509)	*chain;		/* our intermediates, to send */
	EVP_PKEY	*key;		/* our private key */
	/* remote auth = pubkey */
	bool		 remote_ok;	/* anchors (or pins) loaded */
	X509_STORE	*store;		/* trust anchors and CRLs */
	STACK_OF(X509)	*pinned;	/* remote.certs */
	bool		 crl_check;
	uint8_t		*ca_hashes;	/* nca * CERT_HASH_LEN, for CERTREQ */
	size_t		 nca;
};

struct cert_set {
	struct cert_cred *v;
	size_t		  n;
};

/*
 * Load the credentials of every connection of cfg that uses pubkey.  Each
 * failure is reported through err (text "conn NAME: PATH: what") and
 * leaves that connection's entry without the failed part.  Returns the
 * set (possibly empty), or NULL when out of memory.
 */
struct cert_set	*cert_set_load(const struct tnd_cfg *cfg,
		    void (*err)(void *arg, const char *msg), void *arg);
void		 cert_set_free(struct cert_set *);
/* The entry of connection conn, or NULL. */
const struct cert_cred *cert_set_find(const struct cert_set *,
		    const char *conn);

/*
 * Validate the peer's end entity leaf with the untrusted certificates it
 * sent (may be NULL) against cred's anchors, CRLs and pins.  0, or -1
 * with a reason in why.
 */
int	 cert_verify(const struct cert_cred *cred, X509 *leaf,
	    STACK_OF(X509) *untrusted, char *why, size_t whylen);

/* Does the peer's ID payload satisfy the configured id?  ANY: yes. */
bool	 cert_id_match(const struct cfg_id *want, const struct ike_id *peer);
/* Is the ID bound to cert (subject DN or a subjectAltName)?  0 or -1. */
int	 cert_id_bound(X509 *cert, const struct ike_id *id, char *why,
	    size_t whylen);

/* DER of a DN written as text ("C=CH, O=Example, CN=hub"); len or -1. */
int	 cert_dn_der(const char *text, uint8_t *out, size_t cap);
/* DER of cert's subject; len or -1. */
int	 cert_subject_der(X509 *cert, uint8_t *out, size_t cap);
/*
 * Our DER_ASN1_DN identity: the DN text (NULL: the subject of cert), and
 * when it names cert's subject, the subject exactly as encoded there (so
 * that a peer comparing bytes agrees).  len or -1.
 */
int	 cert_our_dn(X509 *cert, const char *text, uint8_t *out, size_t cap);
/* Printable form (RFC 2253) of a DER DN, for logs. */
void	 cert_dn_text(const uint8_t *der, size_t len, char *buf, size_t cap);

/*
 * Verify a RFC 7296 signature AUTH: method RSA_SIG (PKCS#1 v1.5, SHA-1)
 * or ECDSA_256/384/521 (r | s, RFC 4754) with cert's public key.
 * 0, or CRYPTO_EAUTH / CRYPTO_EUNSUPPORTED.
 */
int	 cert_verify_classic(X509 *cert, uint8_t method, const uint8_t *octets,
	    size_t len, const uint8_t *sig, size_t siglen);

#endif /* IKEV2D_AUTH_CERT_H */
