/*
 * test/bench/bench_ikecodec.c -- IKEv2 codec throughput.
 *
 * Two messages a responder handles for every new tunnel:
 *  - the plaintext of a typical IKE_AUTH request (what ike_sk.c hands the
 *    codec after decryption): IDi, CERTREQ, N(INITIAL_CONTACT), IDr,
 *    AUTH (RFC 7427, 256-byte RSA signature), SA with 2 ESP proposals,
 *    TSi, TSr (IPv4 + IPv6), N(MOBIKE_SUPPORTED),
 *    N(IKEV2_MESSAGE_ID_SYNC_SUPPORTED);
 *  - a full IKE_SA_INIT request: SA with 2 IKE proposals, KE (ECP_256),
 *    Nonce, N(NAT_DETECTION_*) x2, N(IKEV2_FRAGMENTATION_SUPPORTED),
 *    N(SIGNATURE_HASH_ALGORITHMS), V.
 *
 * "decode" is ike_decode()/ike_decode_inner() plus the typed decoder of
 * every payload (SA walked to the last transform); "encode" rebuilds the
 * message from those structs with the ike_enc_* API; "decode_encode" is
 * both, the work of parsing a request and building its like.  Figures:
 * msg/s and MB/s (message bytes per second).  Also the proposal selection
 * rate against a strongSwan-sized default IKE proposal.
 *
 * Run: make B=build/h-codec bench-ikecodec
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/util.h"
#include "tandem/wire.h"
#include "../../ikev2d/ike_msg.h"
#include "../../ikev2d/ike_proposal.h"
#include "bench.h"

#define RUN_NS	700000000ULL	/* time per figure */

/* Everything a decoded message yields, ready to encode again. */
struct decoded {
	struct ike_hdr		 hdr;
	uint8_t			 type[IKE_MAX_PAYLOADS];
	size_t			 n;
	struct ike_prop		 prop[4];
	size_t			 nprop;
	struct ike_id		 id[2];
	struct ike_cert		 certreq;
	struct ike_auth		 auth;
	struct ike_ke_pld	 ke;
	struct ike_blob		 nonce, vendor;
	struct ike_notify_pld	 n_[8];
	struct ike_ts_pld	 ts[2];
};

static uint8_t	 auth_msg[2048], init_msg[2048], out[4096];
static size_t	 auth_len, init_len;
static uint8_t	 auth_first;

static void
die(const char *what, int rc)
{
	fprintf(stderr, "bench_ikecodec: %s: %d\n", what, rc);
	exit(1);
}

static void
xf(struct ike_prop *p, uint8_t type, uint16_t id, uint16_t keylen)
{
	struct ike_xform	*x = &p->xf[p->nxf++];

	memset(x, 0, sizeof(*x));
	x->type = type;
	x->id = id;
	x->keylen = keylen;
}

static void
build_inputs(void)
{
	static struct ike_prop	 esp[2], ike[2];
	static struct ike_ts_pld tsi, tsr;
	static uint8_t		 sig[256], ca[40], kd[64], nonce[32];
	static uint8_t		 natd[20], vid[16], hd[6] = { 0, 2, 0, 3, 0, 4 };
	static const uint8_t	 algid[] = { 0x30, 0x0d, 0x06, 0x09, 0x2a,
				    0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01,
				    0x0b, 0x05, 0x00 };
	struct ike_id		 idi = { IKE_ID_FQDN,
				    (const uint8_t *)"site-a.example.net", 18 };
	struct ike_id		 idr = { IKE_ID_FQDN,
				    (const uint8_t *)"hub.example.net", 15 };
	struct ike_cert		 cr = { IKE_CERT_X509_SIG, ca, sizeof(ca) };
	struct ike_auth		 au;
	struct ike_notify_pld	 n;
	struct ike_ke_pld	 ke = { IKE_KE_ECP_256, kd, sizeof(kd) };
	struct ike_hdr		 h;
	struct ike_enc		 e;
	struct wr		 w;
	int			 len;

	memset(sig, 0x5a, sizeof(sig));
	memset(ca, 0x77, sizeof(ca));
	memset(kd, 0x01, sizeof(kd));
	memset(nonce, 0xa0, sizeof(nonce));
	memset(natd, 0x10, sizeof(natd));
	memset(vid, 0xe0, sizeof(vid));
	esp[0].num = 1;
	esp[0].proto = IKE_PROTO_ESP;
	esp[0].spi_size = 4;
	memcpy(esp[0].spi, "\xc1\x00\x00\x01", 4);
	xf(&esp[0], IKE_XF_ENCR, IKE_ENCR_AES_GCM_16, 128);
	xf(&esp[0], IKE_XF_ENCR, IKE_ENCR_AES_GCM_16, 256);
	xf(&esp[0], IKE_XF_ESN, IKE_ESN_YES, 0);
	xf(&esp[0], IKE_XF_ESN, IKE_ESN_NO, 0);
	esp[1] = esp[0];
	esp[1].num = 2;
	esp[1].nxf = 0;
	xf(&esp[1], IKE_XF_ENCR, IKE_ENCR_AES_CBC, 128);
	xf(&esp[1], IKE_XF_ENCR, IKE_ENCR_AES_CBC, 256);
	xf(&esp[1], IKE_XF_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0);
	xf(&esp[1], IKE_XF_INTEG, IKE_INTEG_HMAC_SHA2_512_256, 0);
	xf(&esp[1], IKE_XF_ESN, IKE_ESN_NO, 0);
	tsi.n = 1;
	tsi.ts[0].type = IKE_TS_IPV4_ADDR_RANGE;
	tsi.ts[0].eport = 65535;
	memcpy(tsi.ts[0].start, "\xc6\x33\x64\x00", 4);
	memcpy(tsi.ts[0].end, "\xc6\x33\x64\xff", 4);
	tsr = tsi;
	tsr.n = 2;
	tsr.ts[1].type = IKE_TS_IPV6_ADDR_RANGE;
	memcpy(tsr.ts[1].start, "\x20\x01\x0d\xb8", 4);
	memset(tsr.ts[1].end, 0xff, 16);
	memcpy(tsr.ts[1].end, "\x20\x01\x0d\xb8", 4);

	wr_init(&w, auth_msg, sizeof(auth_msg));
	ike_enc_init_chain(&e, &w);
	ike_enc_id(&e, IKE_PLD_IDI, &idi);
	ike_enc_certreq(&e, &cr);
	memset(&n, 0, sizeof(n));
	n.type = IKE_N_INITIAL_CONTACT;
	ike_enc_notify(&e, &n);
	ike_enc_id(&e, IKE_PLD_IDR, &idr);
	memset(&au, 0, sizeof(au));
	au.method = IKE_AUTH_DIGITAL_SIG;
	au.algid = algid;
	au.algid_len = sizeof(algid);
	au.sig = sig;
	au.sig_len = sizeof(sig);
	ike_enc_auth(&e, &au);
	ike_enc_sa(&e, esp, 2);
	ike_enc_ts(&e, IKE_PLD_TSI, &tsi);
	ike_enc_ts(&e, IKE_PLD_TSR, &tsr);
	n.type = IKE_N_MOBIKE_SUPPORTED;
	ike_enc_notify(&e, &n);
	n.type = IKE_N_IKEV2_MESSAGE_ID_SYNC_SUPPORTED;
	ike_enc_notify(&e, &n);
	if ((len = ike_enc_finish(&e)) < 0)
		die("build IKE_AUTH", len);
	auth_len = (size_t)len;
	auth_first = ike_enc_first(&e);

	ike[0].num = 1;
	ike[0].proto = IKE_PROTO_IKE;
	xf(&ike[0], IKE_XF_ENCR, IKE_ENCR_AES_GCM_16, 256);
	xf(&ike[0], IKE_XF_ENCR, IKE_ENCR_CHACHA20_POLY1305, 0);
	xf(&ike[0], IKE_XF_PRF, IKE_PRF_HMAC_SHA2_256, 0);
	xf(&ike[0], IKE_XF_PRF, IKE_PRF_HMAC_SHA2_384, 0);
	xf(&ike[0], IKE_XF_KE, IKE_KE_ECP_256, 0);
	xf(&ike[0], IKE_XF_KE, IKE_KE_CURVE25519, 0);
	ike[1].num = 2;
	ike[1].proto = IKE_PROTO_IKE;
	xf(&ike[1], IKE_XF_ENCR, IKE_ENCR_AES_CBC, 256);
	xf(&ike[1], IKE_XF_PRF, IKE_PRF_HMAC_SHA2_256, 0);
	xf(&ike[1], IKE_XF_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0);
	xf(&ike[1], IKE_XF_KE, IKE_KE_ECP_256, 0);
	memset(&h, 0, sizeof(h));
	h.ispi = 0x0011223344556677ULL;
	h.version = IKE_VERSION;
	h.exch = IKE_EXCH_SA_INIT;
	h.flags = IKE_FLAG_INITIATOR;
	wr_init(&w, init_msg, sizeof(init_msg));
	ike_enc_init(&e, &w, &h);
	ike_enc_sa(&e, ike, 2);
	ike_enc_ke(&e, &ke);
	ike_enc_nonce(&e, nonce, sizeof(nonce));
	n.type = IKE_N_NAT_DETECTION_SOURCE_IP;
	n.data = natd;
	n.len = sizeof(natd);
	ike_enc_notify(&e, &n);
	n.type = IKE_N_NAT_DETECTION_DESTINATION_IP;
	ike_enc_notify(&e, &n);
	n.type = IKE_N_IKEV2_FRAGMENTATION_SUPPORTED;
	n.len = 0;
	ike_enc_notify(&e, &n);
	n.type = IKE_N_SIGNATURE_HASH_ALGORITHMS;
	n.data = hd;
	n.len = sizeof(hd);
	ike_enc_notify(&e, &n);
	ike_enc_vendor(&e, vid, sizeof(vid));
	if ((len = ike_enc_finish(&e)) < 0)
		die("build IKE_SA_INIT", len);
	init_len = (size_t)len;
}

/* Typed decode of every payload of a chain into d. */
static int
decode_chain(const struct ike_chain *c, struct decoded *d)
{
	const struct ike_pld_ref	*p;
	struct ike_sa_pld		 sa;
	struct ike_sa_iter		 it;
	size_t				 i, nid = 0, nn = 0, nts = 0;
	int				 rc = 0;

	d->n = c->n;
	for (i = 0; i < c->n && rc == 0; i++) {
		p = &c->pld[i];
		d->type[i] = p->type;
		switch (p->type) {
		case IKE_PLD_SA:
			if ((rc = ike_pld_sa_decode(p->body, p->len, &sa)))
				break;
			ike_pld_sa_iter(&sa, &it);
			for (d->nprop = 0; d->nprop < nitems(d->prop) &&
			    ike_pld_sa_next(&it, &d->prop[d->nprop]);
			    d->nprop++)
				;
			break;
		case IKE_PLD_IDI:
		case IKE_PLD_IDR:
			rc = ike_pld_id_decode(p->body, p->len, &d->id[nid++]);
			break;
		case IKE_PLD_CERTREQ:
			rc = ike_pld_certreq_decode(p->body, p->len,
			    &d->certreq);
			break;
		case IKE_PLD_AUTH:
			rc = ike_pld_auth_decode(p->body, p->len, &d->auth);
			break;
		case IKE_PLD_KE:
			rc = ike_pld_ke_decode(p->body, p->len, &d->ke);
			break;
		case IKE_PLD_NONCE:
			rc = ike_pld_nonce_decode(p->body, p->len, &d->nonce);
			break;
		case IKE_PLD_VENDOR:
			rc = ike_pld_vendor_decode(p->body, p->len,
			    &d->vendor);
			break;
		case IKE_PLD_NOTIFY:
			rc = ike_pld_notify_decode(p->body, p->len,
			    &d->n_[nn++]);
			break;
		case IKE_PLD_TSI:
		case IKE_PLD_TSR:
			rc = ike_pld_ts_decode(p->body, p->len, &d->ts[nts++]);
			break;
		default:
			rc = -1;
			break;
		}
	}
	return rc;
}

/* Build the message (or bare chain) back from d. */
static int
encode(const struct decoded *d, bool bare, uint8_t *buf, size_t cap)
{
	struct ike_enc	 e;
	struct wr	 w;
	size_t		 i, nid = 0, nn = 0, nts = 0;

	wr_init(&w, buf, cap);
	if (bare)
		ike_enc_init_chain(&e, &w);
	else
		ike_enc_init(&e, &w, &d->hdr);
	for (i = 0; i < d->n; i++) {
		switch (d->type[i]) {
		case IKE_PLD_SA:
			ike_enc_sa(&e, d->prop, d->nprop);
			break;
		case IKE_PLD_IDI:
		case IKE_PLD_IDR:
			ike_enc_id(&e, d->type[i], &d->id[nid++]);
			break;
		case IKE_PLD_CERTREQ:
			ike_enc_certreq(&e, &d->certreq);
			break;
		case IKE_PLD_AUTH:
			ike_enc_auth(&e, &d->auth);
			break;
		case IKE_PLD_KE:
			ike_enc_ke(&e, &d->ke);
			break;
		case IKE_PLD_NONCE:
			ike_enc_nonce(&e, d->nonce.data, d->nonce.len);
			break;
		case IKE_PLD_VENDOR:
			ike_enc_vendor(&e, d->vendor.data, d->vendor.len);
			break;
		case IKE_PLD_NOTIFY:
			ike_enc_notify(&e, &d->n_[nn++]);
			break;
		case IKE_PLD_TSI:
		case IKE_PLD_TSR:
			ike_enc_ts(&e, d->type[i], &d->ts[nts++]);
			break;
		}
	}
	return ike_enc_finish(&e);
}

static int
decode_auth(struct decoded *d)
{
	static struct ike_chain	 c;
	int			 rc;

	if ((rc = ike_decode_inner(auth_msg, auth_len, auth_first, &c)) != 0)
		return rc;
	return decode_chain(&c, d);
}

static int
decode_init(struct decoded *d)
{
	static struct ike_msg	 m;
	int			 rc;

	if ((rc = ike_decode(init_msg, init_len, &m)) != 0)
		return rc;
	d->hdr = m.hdr;
	return decode_chain(&m.ch, d);
}

enum what { DECODE = 1, ENCODE = 2, BOTH = 3 };

/* Messages per second of `what` on one message kind. */
static double
rate(bool auth, enum what what)
{
	static struct decoded	 d;
	uint64_t		 t0, t, n = 0;
	size_t			 i;
	int			 rc;

	/* A decoded copy to encode from, and a check of the round trip. */
	if ((rc = auth ? decode_auth(&d) : decode_init(&d)) != 0)
		die("decode", rc);
	rc = encode(&d, auth, out, sizeof(out));
	if (rc != (int)(auth ? auth_len : init_len) ||
	    memcmp(out, auth ? auth_msg : init_msg, (size_t)rc) != 0)
		die("round trip", rc);
	t0 = bench_now_ns();
	do {
		for (i = 0; i < 1000; i++) {
			rc = 0;
			if (what & DECODE)
				rc = auth ? decode_auth(&d) : decode_init(&d);
			if (what & ENCODE)
				rc |= encode(&d, auth, out, sizeof(out)) < 0;
			if (rc != 0)
				die("loop", rc);
		}
		n += 1000;
		t = bench_now_ns() - t0;
	} while (t < RUN_NS);
	bench_sink(out, 64);
	return (double)n * 1e9 / (double)t;
}

/* Selection against a peer that sends strongSwan's default proposals. */
static double
select_rate(void)
{
	static const uint16_t	 ke[] = { 31, 32, 19, 20, 21, 15, 16, 14 };
	static struct ike_prop	 p[2];
	static const struct ike_cfg_prop ours = {
		.proto = IKE_PROTO_IKE,
		.nencr = 1, .encr = { { IKE_ENCR_AES_GCM_16, 256 } },
		.nprf = 1, .prf = { IKE_PRF_HMAC_SHA2_384 },
		.nke = 1, .ke = { IKE_KE_ECP_384 },
	};
	struct ike_sa_pld	 sa;
	struct ike_chosen	 ch;
	struct wr		 w;
	uint64_t		 t0, t, n = 0;
	size_t			 i, k;

	p[0].num = 1;
	p[0].proto = IKE_PROTO_IKE;
	for (k = 0; k < 3; k++)
		xf(&p[0], IKE_XF_ENCR, IKE_ENCR_AES_CBC,
		    (uint16_t)(128 + 64 * k));
	for (k = 0; k < 3; k++) {
		xf(&p[0], IKE_XF_INTEG, (uint16_t)(12 + k), 0);
		xf(&p[0], IKE_XF_PRF, (uint16_t)(5 + k), 0);
	}
	for (k = 0; k < nitems(ke); k++)
		xf(&p[0], IKE_XF_KE, ke[k], 0);
	p[1] = p[0];
	p[1].num = 2;
	p[1].nxf = 0;
	for (k = 0; k < 3; k++)
		xf(&p[1], IKE_XF_ENCR, IKE_ENCR_AES_GCM_16,
		    (uint16_t)(128 + 64 * k));
	for (k = 0; k < 3; k++)
		xf(&p[1], IKE_XF_PRF, (uint16_t)(5 + k), 0);
	for (k = 0; k < nitems(ke); k++)
		xf(&p[1], IKE_XF_KE, ke[k], 0);
	wr_init(&w, out, sizeof(out));
	if (ike_pld_sa_encode(&w, p, 2) != 0)
		die("select input", -1);
	t0 = bench_now_ns();
	do {
		for (i = 0; i < 1000; i++)
			if (ike_pld_sa_decode(out, w.len, &sa) != 0 ||
			    ike_proposal_select(&ours, 1, &sa, IKE_PROTO_IKE,
			    0, &ch) != 0 || ch.num != 2)
				die("select", -1);
		n += 1000;
		t = bench_now_ns() - t0;
	} while (t < RUN_NS);
	return (double)n * 1e9 / (double)t;
}

int
main(int argc, char **argv)
{
	double	 r;

	bench_open(argc, argv);
	build_inputs();
	printf("ike codec: IKE_AUTH plaintext %zu bytes, IKE_SA_INIT %zu "
	    "bytes\n", auth_len, init_len);
	r = rate(true, DECODE);
	bench_figure("ike_auth_decode_rate", r, "msg/s", -1, NULL);
	r = rate(true, ENCODE);
	bench_figure("ike_auth_encode_rate", r, "msg/s", -1, NULL);
	r = rate(true, BOTH);
	bench_figure("ike_auth_decode_encode_rate", r, "msg/s", -1, NULL);
	bench_figure("ike_auth_decode_encode_mbps", r * (double)auth_len / 1e6,
	    "MB/s", -1, NULL);
	r = rate(false, DECODE);
	bench_figure("ike_sa_init_decode_rate", r, "msg/s", -1, NULL);
	r = rate(false, ENCODE);
	bench_figure("ike_sa_init_encode_rate", r, "msg/s", -1, NULL);
	r = rate(false, BOTH);
	bench_figure("ike_sa_init_decode_encode_rate", r, "msg/s", -1, NULL);
	bench_figure("ike_sa_init_decode_encode_mbps",
	    r * (double)init_len / 1e6, "MB/s", -1, NULL);
	r = select_rate();
	bench_figure("ike_proposal_select_rate", r, "sel/s", -1, NULL);
	bench_close();
	return 0;
}
