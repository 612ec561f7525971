/*
 * test/unit/test_exch_cert.c -- IKE_AUTH with certificates (auth = pubkey),
 * two ikev2d cores back to back in memory (exch_pair.c) as in
 * test_exch_psk.c.
 *
 * The suite's init makes a PKI with OpenSSL's API in a mkdtemp directory
 * (PEM files; removed by the suite's fini):
 *
 *   ca  (ECDSA P-256) -- a   RSA-2048, DNS:a.example
 *                     -- b   ECDSA,    DNS:b.example, email b@example.net,
 *                                      IP 192.0.2.2
 *                     -- r   ECDSA,    DNS:r.example   (revoked in crl)
 *                     -- x   ECDSA,    DNS:x.example   (expired)
 *                     -- n   ECDSA,    DNS:other.example
 *   ca2 (ECDSA P-256) -- w   ECDSA,    DNS:w.example
 *
 *    A 192.0.2.1 [10.1.0.0/24]  <---- IKE datagrams ---->  B 192.0.2.2
 *                                                         [10.2.0.0/24]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "tandem/cfg.h"
#include "tandem/util.h"
#include "../../ikev2d/auth_cert.h"
#include "../../ikev2d/child_sa.h"
#include "../../ikev2d/ike_core.h"
#include "../../ikev2d/ike_sa.h"
#include "../../ikev2d/kernel_rec.h"
#include "exch_pair.h"
#include "unit.h"

static char	 dir[64];
static const char *const names[] = {
	"ca", "ca2", "a", "b", "r", "x", "n", "w"
};

#define CONF_FMT \
"ike = {\n" \
"  retransmit_timeout = \"1s\";\n" \
"  retransmit_tries = 3;\n" \
"  connections = { ab = {\n" \
"    vip_group = \"vg1\";\n" \
"    local_addrs = \"%s\"; remote_addrs = \"%s\";\n" \
"    local = { auth = \"pubkey\"; %s certs = [ \"%s/%s.pem\" ];\n" \
"      key = \"%s/%s.key\"; };\n" \
"    remote = { auth = \"pubkey\"; id = \"%s\";\n" \
"      cacerts = [ \"%s/%s.pem\" ]; %s };\n" \
"    proposals = [ \"aes128gcm16-prfsha256-x25519\" ];\n" \
"    children = { net = { local_ts = \"%s\"; remote_ts = \"%s\";\n" \
"      esp_proposals = [ \"aes128gcm16\" ]; }; };\n" \
"  }; };\n" \
"};\n" \
"ha = { groups = { vg1 = { vrid = 1; interface = \"eth0\";\n" \
"  vips = [ \"%s/24\" ]; }; }; };\n"

/* One side's credentials: cert/key name, ids, trust anchor, CRL. */
struct cred_opts {
	const char	*cert;		/* file stem */
	const char	*id;		/* our id; NULL: the cert's subject */
	const char	*peer_id;	/* what we expect of the peer */
	const char	*ca;		/* file stem of our trust anchor */
	bool		 crl;
};

/* --- the PKI ---------------------------------------------------------------- */

/* CUnit asserts cannot run in a suite's init: count failures instead. */
static int	 pki_errors;
#define PKI_CHECK(x)	do { if (!(x)) pki_errors++; } while (0)

static void
add_ext(X509 *x, X509V3_CTX *ctx, int nid, const char *v)
{
	X509_EXTENSION	*e = X509V3_EXT_conf_nid(NULL, ctx, nid, v);

	if (e == NULL) {
		pki_errors++;
		return;
	}
	PKI_CHECK(X509_add_ext(x, e, -1) == 1);
	X509_EXTENSION_free(e);
}

static X509 *
mkcert(EVP_PKEY *key, const char *cn, X509 *issuer, EVP_PKEY *ikey,
    long serial, long from_s, long to_s, const char *san)
{
	X509		*x = X509_new();
	X509_NAME	*n;
	X509V3_CTX	 ctx;

	PKI_CHECK(x);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	X509_gmtime_adj(X509_getm_notBefore(x), from_s);
	X509_gmtime_adj(X509_getm_notAfter(x), to_s);
	X509_set_pubkey(x, key);
	n = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(n, "C", MBSTRING_ASC,
	    (const unsigned char *)"CH", -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC,
	    (const unsigned char *)"Tandem Test", -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
	    (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, issuer != NULL ?
	    X509_get_subject_name(issuer) : n);
	X509V3_set_ctx(&ctx, issuer != NULL ? issuer : x, x, NULL, NULL, 0);
	if (issuer == NULL) {
		add_ext(x, &ctx, NID_basic_constraints, "critical,CA:TRUE");
		add_ext(x, &ctx, NID_key_usage, "critical,keyCertSign,cRLSign");
		add_ext(x, &ctx, NID_subject_key_identifier, "hash");
	} else {
		add_ext(x, &ctx, NID_basic_constraints, "CA:FALSE");
		add_ext(x, &ctx, NID_authority_key_identifier, "keyid");
		add_ext(x, &ctx, NID_subject_alt_name, san);
	}
	PKI_CHECK(X509_sign(x, ikey, EVP_sha256()) > 0);
	return x;
}

static void
write_pem(const char *stem, X509 *x, EVP_PKEY *k, X509_CRL *crl)
{
	char	 path[128];
	FILE	*f;

	if (x != NULL) {
		snprintf(path, sizeof(path), "%s/%s.pem", dir, stem);
		if ((f = fopen(path, "w")) == NULL) {
			pki_errors++;
			return;
		}
		PKI_CHECK(PEM_write_X509(f, x) == 1);
		fclose(f);
	}
	if (k != NULL) {
		snprintf(path, sizeof(path), "%s/%s.key", dir, stem);
		if ((f = fopen(path, "w")) == NULL) {
			pki_errors++;
			return;
		}
		PKI_CHECK(PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL,
		    NULL) == 1);
		fclose(f);
	}
	if (crl != NULL) {
		snprintf(path, sizeof(path), "%s/%s.pem", dir, stem);
		if ((f = fopen(path, "w")) == NULL) {
			pki_errors++;
			return;
		}
		PKI_CHECK(PEM_write_X509_CRL(f, crl) == 1);
		fclose(f);
	}
}

static X509_CRL *
mkcrl(X509 *ca, EVP_PKEY *cakey, long serial)
{
	X509_CRL	*crl = X509_CRL_new();
	X509_REVOKED	*r = X509_REVOKED_new();
	ASN1_INTEGER	*sn = ASN1_INTEGER_new();
	ASN1_TIME	*t1 = X509_gmtime_adj(NULL, -3600);
	ASN1_TIME	*t2 = X509_gmtime_adj(NULL, 86400);

	PKI_CHECK(crl != NULL && r != NULL && sn != NULL && t1 != NULL &&
	    t2 != NULL);
	X509_CRL_set_version(crl, 1);
	X509_CRL_set_issuer_name(crl, X509_get_subject_name(ca));
	X509_CRL_set1_lastUpdate(crl, t1);
	X509_CRL_set1_nextUpdate(crl, t2);
	ASN1_INTEGER_set(sn, serial);
	X509_REVOKED_set_serialNumber(r, sn);
	X509_REVOKED_set_revocationDate(r, t1);
	X509_CRL_add0_revoked(crl, r);
	X509_CRL_sort(crl);
	PKI_CHECK(X509_CRL_sign(crl, cakey, EVP_sha256()) > 0);
	ASN1_INTEGER_free(sn);
	ASN1_TIME_free(t1);
	ASN1_TIME_free(t2);
	return crl;
}

static void
leaf(const char *stem, EVP_PKEY *k, const char *cn, X509 *ca,
    EVP_PKEY *cakey, long serial, long from_s, long to_s, const char *san)
{
	X509	*x = mkcert(k, cn, ca, cakey, serial, from_s, to_s, san);

	write_pem(stem, x, k, NULL);
	X509_free(x);
	EVP_PKEY_free(k);
}

static int
pki_init(void)
{
	EVP_PKEY	*cak, *ca2k;
	X509		*ca, *ca2;
	X509_CRL	*crl;
	const long	 day = 86400;

	snprintf(dir, sizeof(dir), "/tmp/tnd-cert-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	cak = EVP_EC_gen("P-256");
	ca2k = EVP_EC_gen("P-256");
	if (cak == NULL || ca2k == NULL)
		return -1;
	ca = mkcert(cak, "Tandem Test CA", NULL, cak, 1, -day, 3650 * day,
	    NULL);
	ca2 = mkcert(ca2k, "Tandem Other CA", NULL, ca2k, 1, -day, 3650 * day,
	    NULL);
	write_pem("ca", ca, NULL, NULL);
	write_pem("ca2", ca2, NULL, NULL);
	leaf("a", EVP_RSA_gen(2048), "a.example", ca, cak, 10, -day, 365 * day,
	    "DNS:a.example");
	leaf("b", EVP_EC_gen("P-256"), "b.example", ca, cak, 11, -day,
	    365 * day, "DNS:b.example,email:b@example.net,IP:192.0.2.2");
	leaf("r", EVP_EC_gen("P-256"), "r.example", ca, cak, 12, -day,
	    365 * day, "DNS:r.example");
	leaf("x", EVP_EC_gen("P-256"), "x.example", ca, cak, 13, -10 * day,
	    -day, "DNS:x.example");
	leaf("n", EVP_EC_gen("P-256"), "n.example", ca, cak, 14, -day,
	    365 * day, "DNS:other.example");
	leaf("w", EVP_EC_gen("P-256"), "w.example", ca2, ca2k, 10, -day,
	    365 * day, "DNS:w.example");
	crl = mkcrl(ca, cak, 12);
	write_pem("crl", NULL, NULL, crl);
	X509_CRL_free(crl);
	X509_free(ca);
	X509_free(ca2);
	EVP_PKEY_free(cak);
	EVP_PKEY_free(ca2k);
	return pki_errors == 0 ? 0 : -1;
}

static int
pki_fini(void)
{
	char	 path[128];
	size_t	 i;

	for (i = 0; i < nitems(names); i++) {
		snprintf(path, sizeof(path), "%s/%s.pem", dir, names[i]);
		unlink(path);
		snprintf(path, sizeof(path), "%s/%s.key", dir, names[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/crl.pem", dir);
	unlink(path);
	return rmdir(dir) == 0 ? 0 : -1;
}

/* --- two cores ------------------------------------------------------------- */

/* A side's config text: credentials o, the PKI in dir. */
static void
conf_fmt(char *buf, size_t len, const char *me, const char *peer,
    const char *lts, const char *rts, const struct cred_opts *o)
{
	char	 id[160], crl[128];

	id[0] = crl[0] = '\0';
	if (o->id != NULL)
		snprintf(id, sizeof(id), "id = \"%s\";", o->id);
	if (o->crl)
		snprintf(crl, sizeof(crl), "crls = [ \"%s/crl.pem\" ];", dir);
	snprintf(buf, len, CONF_FMT, me, peer, id, dir, o->cert, dir, o->cert,
	    o->peer_id, dir, o->ca, crl, lts, rts, me);
}

static void
pair_init(struct pair *p, const struct cred_opts *oa,
    const struct cred_opts *ob)
{
	char	 ca[PAIR_CONF_MAX], cb[PAIR_CONF_MAX];

	conf_fmt(ca, sizeof(ca), PAIR_ADDR_A, PAIR_ADDR_B, "10.1.0.0/24",
	    "10.2.0.0/24", oa);
	conf_fmt(cb, sizeof(cb), PAIR_ADDR_B, PAIR_ADDR_A, "10.2.0.0/24",
	    "10.1.0.0/24", ob);
	pair_start(p, ca, cb);
}

/* Both sides up, one Child SA pair installed, ids as expected. */
static void
check_up(struct pair *p, const char *a_sees, const char *b_sees)
{
	struct ike_sa	*a = p->a.core->sas, *b = p->b.core->sas;

	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(a->state, IKE_S_ESTABLISHED);
	CU_ASSERT_EQUAL(b->state, IKE_S_ESTABLISHED);
	CU_ASSERT_EQUAL(p->a.k.nsa, 2);
	CU_ASSERT_EQUAL(p->b.k.nsa, 2);
	CU_ASSERT_EQUAL(p->a.ev[IKE_EV_IKE_UP], 1);
	CU_ASSERT_EQUAL(p->b.ev[IKE_EV_IKE_UP], 1);
	CU_ASSERT_EQUAL(p->a.ev[IKE_EV_CHILD_UP], 1);
	CU_ASSERT_EQUAL(p->b.ev[IKE_EV_CHILD_UP], 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a->children);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b->children);
	CU_ASSERT_EQUAL(a->children->spi_out, b->children->spi_in);
	CU_ASSERT_EQUAL(a->children->spi_in, b->children->spi_out);
	CU_ASSERT_STRING_EQUAL(a->peer_id, a_sees);
	CU_ASSERT_STRING_EQUAL(b->peer_id, b_sees);
	CU_ASSERT_EQUAL(ike_core_stats(p->a.core)->auth_failed, 0);
	CU_ASSERT_EQUAL(ike_core_stats(p->b.core)->auth_failed, 0);
}

/* Nothing up or installed anywhere; the responder B refused. */
static void
check_refused(struct pair *p, const char *why)
{
	CU_ASSERT_EQUAL(nsas(&p->a), 0);
	CU_ASSERT_EQUAL(nsas(&p->b), 0);
	CU_ASSERT_EQUAL(p->a.k.nsa + p->b.k.nsa, 0);
	CU_ASSERT_EQUAL(p->a.k.npol + p->b.k.npol, 0);
	CU_ASSERT_EQUAL(p->a.k.n_add_sa + p->b.k.n_add_sa, 0);
	CU_ASSERT_EQUAL(ike_core_stats(p->b.core)->auth_failed, 1);
	/* A counts the AUTHENTICATION_FAILED it got */
	CU_ASSERT_EQUAL(ike_core_stats(p->a.core)->auth_failed, 1);
	CU_ASSERT_EQUAL(p->a.ev[IKE_EV_IKE_UP] + p->b.ev[IKE_EV_IKE_UP], 0);
	if (strstr(p->b.last_auth_log, why) == NULL) {
		fprintf(stderr, "\nlog: \"%s\", want \"%s\"\n",
		    p->b.last_auth_log, why);
		CU_FAIL("failure reason");
	}
	/* the reason names the peer's address */
	CU_ASSERT_PTR_NOT_NULL(strstr(p->b.last_auth_log, "192.0.2.1"));
}

static const struct cred_opts a_rsa = {
	"a", "a.example", "b.example", "ca", false
};
static const struct cred_opts b_ec = {
	"b", "b.example", "a.example", "ca", true
};

static void
test_rsa_to_ecdsa(void)
{
	struct pair	 p;

	pair_init(&p, &a_rsa, &b_ec);
	CU_ASSERT_FATAL(ike_core_initiate(p.a.core, "ab", NULL, p.now) > 0);
	pair_run(&p);
	check_up(&p, "b.example", "a.example");
	pair_fini(&p);
}

static void
test_ecdsa_to_rsa(void)
{
	struct pair	 p;

	pair_init(&p, &a_rsa, &b_ec);
	CU_ASSERT_FATAL(ike_core_initiate(p.b.core, "ab", NULL, p.now) > 0);
	pair_run(&p);
	check_up(&p, "b.example", "a.example");
	pair_fini(&p);
}

/* DN identities: A sends its subject (no id configured), B expects it;
 * B uses its email and IP subjectAltNames. */
static void
test_dn_and_san_ids(void)
{
	struct cred_opts	 oa = a_rsa, ob = b_ec;
	struct pair		 p;

	oa.id = NULL;
	oa.peer_id = "b@example.net";
	ob.id = "b@example.net";
	ob.peer_id = "C=CH, O=Tandem Test, CN=a.example";
	pair_init(&p, &oa, &ob);
	CU_ASSERT_FATAL(ike_core_initiate(p.a.core, "ab", NULL, p.now) > 0);
	pair_run(&p);
	check_up(&p, "b@example.net", "CN=a.example,O=Tandem Test,C=CH");
	pair_fini(&p);

	oa.peer_id = "192.0.2.2";
	ob.id = "192.0.2.2";
	ob.peer_id = "C=CH, O=Tandem Test, CN=*";
	pair_init(&p, &oa, &ob);
	CU_ASSERT_FATAL(ike_core_initiate(p.b.core, "ab", NULL, p.now) > 0);
	pair_run(&p);
	check_up(&p, "192.0.2.2", "CN=a.example,O=Tandem Test,C=CH");
	pair_fini(&p);
}

/* A's certificate from a CA that B does not trust. */
static void
test_wrong_ca(void)
{
	struct cred_opts	 oa = a_rsa, ob = b_ec;
	struct pair		 p;

	oa.cert = "w";
	oa.id = "w.example";
	ob.peer_id = "w.example";
	pair_init(&p, &oa, &ob);
	CU_ASSERT_FATAL(ike_core_initiate(p.a.core, "ab", NULL, p.now) > 0);
	pair_run(&p);
	check_refused(&p, "unable to get local issuer certificate");
	pair_fini(&p);
}

static void
test_revoked(void)
{
	struct cred_opts	 oa = a_rsa, ob = b_ec;
	struct pair		 p;

	oa.cert = "r";
	oa.id = "r.example";
	ob.peer_id = "r.example";
	pair_init(&p, &oa, &ob);
	CU_ASSERT_FATAL(ike_core_initiate(p.a.core, "ab", NULL, p.now) > 0);
	pair_run(&p);
	check_refused(&p, "certificate revoked");
	pair_fini(&p);

	/* without the CRL the same certificate passes */
	ob.crl = false;
	pair_init(&p, &oa, &ob);
	CU_ASSERT_FATAL(ike_core_initiate(p.a.core, "ab", NULL, p.now) > 0);
	pair_run(&p);
	check_up(&p, "b.example", "r.example");
	pair_fini(&p);
}

static void
test_expired(void)
{
	struct cred_opts	 oa = a_rsa, ob = b_ec;
	struct pair		 p;

	oa.cert = "x";
	oa.id = "x.example";
	ob.peer_id = "x.example";
	pair_init(&p, &oa, &ob);
	CU_ASSERT_FATAL(ike_core_initiate(p.a.core, "ab", NULL, p.now) > 0);
	pair_run(&p);
	check_refused(&p, "certificate has expired");
	pair_fini(&p);
}

/* A claims an identity its certificate does not carry. */
static void
test_id_not_in_cert(void)
{
	struct cred_opts	 oa = a_rsa, ob = b_ec;
	struct pair		 p;

	oa.cert = "n";
	oa.id = "n.example";
	ob.peer_id = "n.example";
	pair_init(&p, &oa, &ob);
	CU_ASSERT_FATAL(ike_core_initiate(p.a.core, "ab", NULL, p.now) > 0);
	pair_run(&p);
	check_refused(&p, "not a subjectAltName");
	pair_fini(&p);

	/* a valid certificate, but not the identity B wants */
	ob = b_ec;
	ob.peer_id = "z.example";
	pair_init(&p, &a_rsa, &ob);
	CU_ASSERT_FATAL(ike_core_initiate(p.a.core, "ab", NULL, p.now) > 0);
	pair_run(&p);
	check_refused(&p, "not the configured one");
	pair_fini(&p);
}

/* A signs with a key that is not its certificate's. */
static void
test_tampered_auth(void)
{
	struct cert_cred	*cr;
	struct pair		 p;
	EVP_PKEY		*other;

	pair_init(&p, &a_rsa, &b_ec);
	cr = (struct cert_cred *)cert_set_find(p.a.core->certs, "ab");
	CU_ASSERT_PTR_NOT_NULL_FATAL(cr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(other = EVP_RSA_gen(2048));
	EVP_PKEY_free(cr->key);
	cr->key = other;
	CU_ASSERT_FATAL(ike_core_initiate(p.a.core, "ab", NULL, p.now) > 0);
	pair_run(&p);
	check_refused(&p, "signature does not verify");
	pair_fini(&p);
}

/* The responder's certificate is bad: the initiator installs nothing. */
static void
test_responder_refused(void)
{
	struct cred_opts	 oa = a_rsa, ob = b_ec;
	struct pair		 p;

	oa.crl = true;
	oa.peer_id = "r.example";
	ob.cert = "r";
	ob.id = "r.example";
	pair_init(&p, &oa, &ob);
	CU_ASSERT_FATAL(ike_core_initiate(p.a.core, "ab", NULL, p.now) > 0);
	pair_run(&p);
	CU_ASSERT_EQUAL(nsas(&p.a), 0);
	CU_ASSERT_EQUAL(p.a.k.nsa, 0);
	CU_ASSERT_EQUAL(p.a.k.npol, 0);
	CU_ASSERT_EQUAL(p.a.ev[IKE_EV_IKE_UP], 0);
	CU_ASSERT_EQUAL(ike_core_stats(p.a.core)->auth_failed, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.a.last_auth_log,
	    "certificate revoked"));
	CU_ASSERT_PTR_NOT_NULL(strstr(p.a.last_auth_log, "192.0.2.2"));
	pair_fini(&p);
}

/* Helpers of auth_cert.c on their own. */
static void
test_id_helpers(void)
{
	struct cfg_id	 want;
	struct ike_id	 peer;
	uint8_t		 der[256];
	char		 why[CFG_ERR_MAX], txt[128];
	int		 n;

	n = cert_dn_der("C=CH, O=Tandem Test, CN=a.example", der,
	    sizeof(der));
	CU_ASSERT_FATAL(n > 0);
	cert_dn_text(der, (size_t)n, txt, sizeof(txt));
	CU_ASSERT_STRING_EQUAL(txt, "CN=a.example,O=Tandem Test,C=CH");
	peer.type = IKE_ID_DER_ASN1_DN;
	peer.data = der;
	peer.len = (size_t)n;
	CU_ASSERT_FATAL(cfg_id_parse("C=CH,O=Tandem Test,CN=a.example", &want,
	    why, sizeof(why)) == 0);
	CU_ASSERT(cert_id_match(&want, &peer));
	cfg_id_fini(&want);
	CU_ASSERT_FATAL(cfg_id_parse("C=CH, O=Tandem Test, CN=b.example",
	    &want, why, sizeof(why)) == 0);
	CU_ASSERT(!cert_id_match(&want, &peer));
	cfg_id_fini(&want);
	CU_ASSERT_FATAL(cfg_id_parse("*.example", &want, why,
	    sizeof(why)) == 0);
	peer.type = IKE_ID_FQDN;
	peer.data = (const uint8_t *)"gw.example";
	peer.len = 10;
	CU_ASSERT(cert_id_match(&want, &peer));
	peer.data = (const uint8_t *)"gw.example.org";
	peer.len = 14;
	CU_ASSERT(!cert_id_match(&want, &peer));
	cfg_id_fini(&want);
	CU_ASSERT(cert_dn_der("no equals sign", der, sizeof(der)) < 0);
}

UNIT_SUITE_FULL(exch_cert, "exch cert", pki_init, pki_fini,
    { "RSA initiator, ECDSA responder", test_rsa_to_ecdsa },
    { "ECDSA initiator, RSA responder", test_ecdsa_to_rsa },
    { "DN, RFC822 and IP identities", test_dn_and_san_ids },
    { "untrusted CA: AUTHENTICATION_FAILED", test_wrong_ca },
    { "revoked by CRL: AUTHENTICATION_FAILED", test_revoked },
    { "expired: AUTHENTICATION_FAILED", test_expired },
    { "identity not in the certificate", test_id_not_in_cert },
    { "AUTH not made by the certificate's key", test_tampered_auth },
    { "initiator refuses the responder's certificate",
	test_responder_refused },
    { "identity helpers", test_id_helpers });
