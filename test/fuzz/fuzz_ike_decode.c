/*
 * test/fuzz/fuzz_ike_decode.c -- libFuzzer over the IKEv2 codec.
 *
 * For every input: ike_decode(); on success the message must re-encode to
 * exactly the input (header, flags, chain, SK body).  Then every payload
 * goes through its typed decoder, the SA iterator, the typed Notify
 * decoders and proposal selection; every payload that decodes is encoded
 * again, and that encoding must decode and re-encode to itself with the
 * same length (reserved bytes are the only thing allowed to differ from
 * the input).  The SK body is also decoded as a plaintext inner chain, so
 * the fuzzer reaches ike_decode_inner() too.  Any mismatch aborts.
 *
 * Seeds: test/fuzz/corpus/fuzz_ike_decode (written by the unit test
 * "ike codec/fuzz seeds" with IKE_WRITE_SEEDS=dir).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/util.h"
#include "tandem/wire.h"
#include "../../ikev2d/ike_msg.h"
#include "../../ikev2d/ike_names.h"
#include "../../ikev2d/ike_proposal.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do {							\
	if (!(c)) {							\
		fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c);	\
		abort();						\
	}								\
} while (0)

static uint8_t		 out1[70000], out2[70000];
static volatile size_t	 sink;

/* Configured proposals to select against. */
static const struct ike_cfg_prop cfgs[] = {
	{ .proto = IKE_PROTO_IKE,
	  .nencr = 2, .encr = { { IKE_ENCR_AES_GCM_16, 256 },
	      { IKE_ENCR_CHACHA20_POLY1305, 0 } },
	  .nprf = 2, .prf = { IKE_PRF_HMAC_SHA2_256, IKE_PRF_HMAC_SHA2_384 },
	  .nke = 2, .ke = { IKE_KE_ECP_256, IKE_KE_CURVE25519 } },
	{ .proto = IKE_PROTO_IKE,
	  .nencr = 1, .encr = { { IKE_ENCR_AES_CBC, 256 } },
	  .ninteg = 1, .integ = { IKE_INTEG_HMAC_SHA2_256_128 },
	  .nprf = 1, .prf = { IKE_PRF_HMAC_SHA2_256 },
	  .nke = 1, .ke = { IKE_KE_MODP_2048 } },
	{ .proto = IKE_PROTO_ESP,
	  .nencr = 2, .encr = { { IKE_ENCR_AES_GCM_16, 128 },
	      { IKE_ENCR_AES_CBC, 128 } },
	  .ninteg = 1, .integ = { IKE_INTEG_HMAC_SHA2_256_128 },
	  .nke = 2, .ke = { IKE_KE_NONE, IKE_KE_ECP_256 },
	  .nesn = 2, .esn = { IKE_ESN_YES, IKE_ESN_NO } },
	{ .proto = IKE_PROTO_AH,
	  .ninteg = 1, .integ = { IKE_INTEG_HMAC_SHA2_256_128 } },
};

typedef int (*enc_fn)(struct wr *, const void *);

/*
 * s was decoded from a body of len bytes: encode it (same length), decode
 * that with dec into s2, encode s2: the two encodings must be equal.
 */
static void
reencode(const void *s, void *s2, size_t len, enc_fn enc,
    int (*dec)(const uint8_t *, size_t, void *))
{
	struct wr	 w1, w2;

	wr_init(&w1, out1, sizeof(out1));
	CHECK(enc(&w1, s) == 0);
	CHECK(w1.len == len);
	CHECK(dec(out1, w1.len, s2) == 0);
	wr_init(&w2, out2, sizeof(out2));
	CHECK(enc(&w2, s2) == 0);
	CHECK(w2.len == w1.len && memcmp(out1, out2, w1.len) == 0);
}

/* Adapters with uniform signatures. */
#define ADAPT(name, type, decf, encf)					\
static int								\
dec_##name(const uint8_t *b, size_t n, void *s)				\
{									\
	return decf(b, n, (type *)s);					\
}									\
static int								\
enc_##name(struct wr *w, const void *s)					\
{									\
	return encf(w, (const type *)s);				\
}

ADAPT(ke, struct ike_ke_pld, ike_pld_ke_decode, ike_pld_ke_encode)
ADAPT(id, struct ike_id, ike_pld_id_decode, ike_pld_id_encode)
ADAPT(cert, struct ike_cert, ike_pld_cert_decode, ike_pld_cert_encode)
ADAPT(certreq, struct ike_cert, ike_pld_certreq_decode, ike_pld_cert_encode)
ADAPT(auth, struct ike_auth, ike_pld_auth_decode, ike_pld_auth_encode)
ADAPT(nonce, struct ike_blob, ike_pld_nonce_decode, ike_pld_blob_encode)
ADAPT(vendor, struct ike_blob, ike_pld_vendor_decode, ike_pld_blob_encode)
ADAPT(notify, struct ike_notify_pld, ike_pld_notify_decode,
    ike_pld_notify_encode)
ADAPT(delete, struct ike_delete, ike_pld_delete_decode,
    ike_pld_delete_encode)
ADAPT(ts, struct ike_ts_pld, ike_pld_ts_decode, ike_pld_ts_encode)
ADAPT(cp, struct ike_cp, ike_pld_cp_decode, ike_pld_cp_encode)
ADAPT(eap, struct ike_eap, ike_pld_eap_decode, ike_pld_eap_encode)

static void
fuzz_notify(const struct ike_notify_pld *n)
{
	struct ike_n_hash_algs	 ha, ha2;
	struct ike_n_mid_sync	 ms, ms2;
	struct ike_n_replay_sync rs, rs2;
	struct ike_notify_pld	 n2;
	struct ike_blob		 c;
	const uint8_t		*h;
	struct wr		 w;
	uint32_t		 spi;
	uint16_t		 g;
	uint8_t			 proto;

	sink += strlen(ike_notify_name(n->type));
	if (ike_n_natd_decode(n, &h) == 0)
		sink += h[19];
	if (ike_n_cookie_decode(n, &c) == 0)
		CHECK(c.len >= 1 && c.len <= 64);
	if (ike_n_invalid_ke_decode(n, &g) == 0)
		sink += g;
	if (ike_n_rekey_sa_decode(n, &proto, &spi) == 0)
		sink += spi;
	n2 = *n;
	if (ike_n_hash_algs_decode(n, &ha) == 0) {
		wr_init(&w, out1, sizeof(out1));
		CHECK(ike_n_hash_algs_encode(&w, &ha) == 0);
		CHECK(w.len == n->len && memcmp(out1, n->data, w.len) == 0);
		n2.data = out1;
		CHECK(ike_n_hash_algs_decode(&n2, &ha2) == 0 && ha2.n == ha.n);
	}
	if (ike_n_mid_sync_decode(n, &ms) == 0) {
		wr_init(&w, out1, sizeof(out1));
		CHECK(ike_n_mid_sync_encode(&w, &ms) == 0);
		CHECK(w.len == n->len && memcmp(out1, n->data, w.len) == 0);
		n2.data = out1;
		CHECK(ike_n_mid_sync_decode(&n2, &ms2) == 0 &&
		    ms2.send_req == ms.send_req);
	}
	if (ike_n_replay_sync_decode(n, &rs) == 0) {
		wr_init(&w, out1, sizeof(out1));
		CHECK(ike_n_replay_sync_encode(&w, &rs) == 0);
		CHECK(w.len == n->len && memcmp(out1, n->data, w.len) == 0);
		n2.data = out1;
		CHECK(ike_n_replay_sync_decode(&n2, &rs2) == 0 &&
		    rs2.delta == rs.delta);
	}
}

static void
fuzz_sa(const uint8_t *b, size_t len)
{
	static struct ike_prop	 p[IKE_MAX_PROPOSALS];
	static struct ike_sa_pld sa, sa2;
	struct ike_sa_iter	 it;
	struct ike_chosen	 ch;
	struct wr		 w;
	size_t			 n = 0, i, j;
	static const uint8_t	 spi[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t	 protos[] = { IKE_PROTO_IKE, IKE_PROTO_ESP,
				    IKE_PROTO_AH };
	unsigned int		 flags;

	if (ike_pld_sa_decode(b, len, &sa) != 0)
		return;
	ike_pld_sa_iter(&sa, &it);
	while (ike_pld_sa_next(&it, &p[n])) {
		CHECK(n < IKE_MAX_PROPOSALS);
		for (j = 0; j < p[n].nxf; j++)
			sink += strlen(ike_xform_id_name(p[n].xf[j].type,
			    p[n].xf[j].id));
		n++;
	}
	CHECK(!it.r.bad && n == sa.nprop);
	/* Raw attributes are kept, so the SA re-encodes to its length. */
	wr_init(&w, out1, sizeof(out1));
	CHECK(ike_pld_sa_encode(&w, p, n) == 0);
	CHECK(w.len == len);
	CHECK(ike_pld_sa_decode(out1, w.len, &sa2) == 0);
	CHECK(sa2.nprop == sa.nprop && sa2.first_num == sa.first_num);

	for (i = 0; i < nitems(protos); i++) {
		for (flags = 0; flags <= IKE_SEL_NO_KE; flags++) {
			if (ike_proposal_select(cfgs, nitems(cfgs), &sa,
			    protos[i], flags, &ch) != 0)
				continue;
			CHECK(ch.proto == protos[i] && ch.cfg < nitems(cfgs));
			/* Our reply must be a valid one-proposal SA. */
			wr_init(&w, out2, sizeof(out2));
			CHECK(ike_proposal_encode_chosen(&w, &ch, spi,
			    protos[i] == IKE_PROTO_IKE ? 0 : 4) == 0);
			CHECK(ike_pld_sa_decode(out2, w.len, &sa2) == 0);
			CHECK(sa2.nprop == 1 && sa2.first_num == ch.num);
		}
		/* The input as if it were a responder's reply to us. */
		(void)ike_proposal_check_reply(cfgs, nitems(cfgs), &sa,
		    protos[i], 0, &ch);
	}
}

/* Typed decode of every payload of a chain. */
static void
walk(const struct ike_chain *c)
{
	static struct ike_ts_pld ts, ts2;
	static struct ike_cp	 cp, cp2;
	const struct ike_pld_ref *p;
	union {
		struct ike_ke_pld	 ke;
		struct ike_id		 id;
		struct ike_cert		 cert;
		struct ike_auth		 auth;
		struct ike_blob		 blob;
		struct ike_notify_pld	 n;
		struct ike_delete	 d;
		struct ike_eap		 eap;
		struct ike_skf_pld	 skf;
	} u, u2;
	size_t			 i, j;

	for (i = 0; i < c->n; i++) {
		p = &c->pld[i];
		CHECK(p->body != NULL || p->len == 0);
		sink += strlen(ike_pld_name(p->type));
		switch (p->type) {
		case IKE_PLD_SA:
			fuzz_sa(p->body, p->len);
			break;
		case IKE_PLD_KE:
			if (dec_ke(p->body, p->len, &u) == 0)
				reencode(&u, &u2, p->len, enc_ke, dec_ke);
			break;
		case IKE_PLD_IDI:
		case IKE_PLD_IDR:
			if (dec_id(p->body, p->len, &u) == 0)
				reencode(&u, &u2, p->len, enc_id, dec_id);
			break;
		case IKE_PLD_CERT:
			if (dec_cert(p->body, p->len, &u) == 0)
				reencode(&u, &u2, p->len, enc_cert, dec_cert);
			break;
		case IKE_PLD_CERTREQ:
			if (dec_certreq(p->body, p->len, &u) == 0)
				reencode(&u, &u2, p->len, enc_certreq,
				    dec_certreq);
			break;
		case IKE_PLD_AUTH:
			if (dec_auth(p->body, p->len, &u) == 0)
				reencode(&u, &u2, p->len, enc_auth, dec_auth);
			break;
		case IKE_PLD_NONCE:
			if (dec_nonce(p->body, p->len, &u) == 0)
				reencode(&u, &u2, p->len, enc_nonce,
				    dec_nonce);
			break;
		case IKE_PLD_VENDOR:
			if (dec_vendor(p->body, p->len, &u) == 0)
				reencode(&u, &u2, p->len, enc_vendor,
				    dec_vendor);
			break;
		case IKE_PLD_NOTIFY:
			if (dec_notify(p->body, p->len, &u) != 0)
				break;
			fuzz_notify(&u.n);
			reencode(&u, &u2, p->len, enc_notify, dec_notify);
			break;
		case IKE_PLD_DELETE:
			if (dec_delete(p->body, p->len, &u) != 0)
				break;
			for (j = 0; j < u.d.nspi; j++)
				sink += ike_delete_spi32(&u.d, j);
			reencode(&u, &u2, p->len, enc_delete, dec_delete);
			break;
		case IKE_PLD_TSI:
		case IKE_PLD_TSR:
			if (dec_ts(p->body, p->len, &ts) != 0)
				break;
			for (j = 0; j < ts.n; j++)
				sink += ike_ts_ordered(&ts.ts[j]);
			reencode(&ts, &ts2, p->len, enc_ts, dec_ts);
			break;
		case IKE_PLD_CP:
			if (dec_cp(p->body, p->len, &cp) == 0)
				reencode(&cp, &cp2, p->len, enc_cp, dec_cp);
			break;
		case IKE_PLD_EAP:
			if (dec_eap(p->body, p->len, &u) == 0)
				reencode(&u, &u2, p->len, enc_eap, dec_eap);
			break;
		case IKE_PLD_SKF:
			if (ike_pld_skf_decode(p->body, p->len, &u.skf) == 0)
				CHECK(u.skf.num >= 1 &&
				    u.skf.num <= u.skf.total);
			break;
		default:
			break;
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ike_msg	 m;
	static struct ike_chain	 inner;
	struct wr		 w;
	int			 rc;

	rc = ike_decode(data, size, &m);
	CHECK(rc <= 0 && rc >= IKE_E_LAST);
	sink += strlen(ike_err_name(rc)) + (size_t)ike_err_notify(rc);
	if (rc != 0)
		return 0;
	CHECK(m.ch.n <= IKE_MAX_PAYLOADS);
	sink += strlen(ike_exch_name(m.hdr.exch));

	/* encode(decode(x)) == x, exactly */
	wr_init(&w, out1, sizeof(out1));
	CHECK(ike_encode(&w, &m) == (int)size);
	CHECK(memcmp(out1, data, size) == 0);

	walk(&m.ch);
	if (m.sk.present) {
		CHECK(m.sk.body_off + m.sk.body_len == size);
		/* The SK body as if it were the decrypted inner chain. */
		if (ike_decode_inner(data + m.sk.body_off, m.sk.body_len,
		    m.sk.first, &inner) == 0)
			walk(&inner);
	}
	return 0;
}
