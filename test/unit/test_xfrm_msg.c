/*
 * test/unit/test_xfrm_msg.c -- the XFRM builders produce what the kernel
 * expects: parsed back with libmnl, field by field.
 */
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>
#include <netinet/in.h>
#include <string.h>

#include <libmnl/libmnl.h>

#include "../../ikev2d/ike_const.h"
#include "../../ikev2d/xfrm_msg.h"
#include "unit.h"

static uint8_t	 buf[XFRM_MSG_BUF];

static void
v4(struct kaddr *a, const char *s)
{
	memset(a, 0, sizeof(*a));
	a->family = AF_INET;
	inet_pton(AF_INET, s, a->addr);
}

static void
gcm_sa(struct kernel_sa *sa)
{
	int	 i;

	memset(sa, 0, sizeof(*sa));
	v4(&sa->src, "192.0.2.1");
	v4(&sa->dst, "198.51.100.2");
	sa->spi = 0xc0ffee01;
	sa->proto = IPPROTO_ESP;
	sa->tunnel = true;
	sa->reqid = 7;
	sa->encr = IKE_ENCR_AES_GCM_16;
	sa->encr_bits = 128;
	sa->enc_key_len = 20;
	for (i = 0; i < 20; i++)
		sa->enc_key[i] = (uint8_t)i;
	sa->replay_window = 32;
	sa->oseq = 1000;
	sa->lft.hard_packets = 5000;
}

/* Collect attributes of a message whose fixed header is hdrlen bytes. */
static const struct nlattr *attrs[XFRMA_MAX + 1];

static int
attr_cb(const struct nlattr *a, void *data)
{
	int	 t = mnl_attr_get_type(a);

	if (t <= XFRMA_MAX)
		attrs[t] = a;
	return MNL_CB_OK;
}

static const struct nlmsghdr *
parse(long len, size_t hdrlen)
{
	const struct nlmsghdr	*nlh = (const struct nlmsghdr *)buf;

	memset(attrs, 0, sizeof(attrs));
	CU_ASSERT_FATAL(len > 0);
	CU_ASSERT_EQUAL_FATAL(nlh->nlmsg_len, (uint32_t)len);
	CU_ASSERT_FATAL(mnl_nlmsg_ok(nlh, (int)len));
	CU_ASSERT_EQUAL_FATAL(mnl_attr_parse(nlh, (unsigned int)hdrlen,
	    attr_cb, NULL), MNL_CB_OK);
	return nlh;
}

static void
test_newsa_gcm(void)
{
	struct kernel_sa		 sa;
	const struct nlmsghdr		*nlh;
	const struct xfrm_usersa_info	*info;
	const struct xfrm_algo_aead	*aead;
	const struct xfrm_replay_state	*rs;

	gcm_sa(&sa);
	nlh = parse(xfrm_msg_newsa(buf, sizeof(buf), 42, &sa, false),
	    sizeof(*info));
	info = mnl_nlmsg_get_payload(nlh);
	CU_ASSERT_EQUAL(nlh->nlmsg_type, XFRM_MSG_NEWSA);
	CU_ASSERT_EQUAL(nlh->nlmsg_seq, 42);
	CU_ASSERT(nlh->nlmsg_flags & NLM_F_EXCL);
	CU_ASSERT(nlh->nlmsg_flags & NLM_F_ACK);
	CU_ASSERT_EQUAL(info->id.spi, htonl(0xc0ffee01));
	CU_ASSERT_EQUAL(info->id.proto, IPPROTO_ESP);
	CU_ASSERT_EQUAL(info->family, AF_INET);
	CU_ASSERT_EQUAL(info->mode, XFRM_MODE_TUNNEL);
	CU_ASSERT_EQUAL(info->reqid, 7);
	CU_ASSERT_EQUAL(info->replay_window, 32);
	CU_ASSERT_EQUAL(info->flags & XFRM_STATE_ESN, 0);
	CU_ASSERT_EQUAL(info->lft.hard_packet_limit, 5000);
	CU_ASSERT_EQUAL(info->lft.soft_byte_limit, XFRM_INF);
	CU_ASSERT_EQUAL(memcmp(&info->saddr, sa.src.addr, 4), 0);
	CU_ASSERT_EQUAL(memcmp(&info->id.daddr, sa.dst.addr, 4), 0);
	CU_ASSERT_PTR_NULL(attrs[XFRMA_ALG_CRYPT]);
	CU_ASSERT_PTR_NULL(attrs[XFRMA_ALG_AUTH_TRUNC]);
	CU_ASSERT_PTR_NULL(attrs[XFRMA_REPLAY_ESN_VAL]);
	CU_ASSERT_PTR_NULL(attrs[XFRMA_REPLAY_THRESH]);	/* 0: the default */
	CU_ASSERT_PTR_NULL(attrs[XFRMA_ETIMER_THRESH]);
	CU_ASSERT_PTR_NOT_NULL_FATAL(attrs[XFRMA_ALG_AEAD]);
	aead = mnl_attr_get_payload(attrs[XFRMA_ALG_AEAD]);
	CU_ASSERT_STRING_EQUAL(aead->alg_name, "rfc4106(gcm(aes))");
	CU_ASSERT_EQUAL(aead->alg_key_len, 160);	/* key + salt */
	CU_ASSERT_EQUAL(aead->alg_icv_len, 128);
	CU_ASSERT_EQUAL(memcmp(aead->alg_key, sa.enc_key, 20), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(attrs[XFRMA_REPLAY_VAL]);
	rs = mnl_attr_get_payload(attrs[XFRMA_REPLAY_VAL]);
	CU_ASSERT_EQUAL(rs->oseq, 1000);
}

static void
test_newsa_esn_cbc(void)
{
	struct kernel_sa			 sa;
	const struct nlmsghdr			*nlh;
	const struct xfrm_usersa_info		*info;
	const struct xfrm_replay_state_esn	*esn;
	const struct xfrm_algo			*crypt;
	const struct xfrm_algo_auth		*auth;
	const struct xfrm_encap_tmpl		*encap;
	const struct xfrm_mark			*mark;

	gcm_sa(&sa);
	sa.encr = IKE_ENCR_AES_CBC;
	sa.encr_bits = 256;
	sa.enc_key_len = 32;
	sa.integ = IKE_INTEG_HMAC_SHA2_256_128;
	sa.int_key_len = 32;
	sa.esn = true;
	sa.replay_window = 128;
	sa.oseq = 0x100000005ULL;	/* past 2^32: ESN high bits */
	sa.seq = 0x200000000ULL;
	sa.encap = true;
	sa.encap_sport = 4500;
	sa.encap_dport = 4501;
	sa.mark = 5;
	sa.mark_mask = 0xff;
	sa.if_id = 9;
	nlh = parse(xfrm_msg_newsa(buf, sizeof(buf), 1, &sa, true),
	    sizeof(*info));
	info = mnl_nlmsg_get_payload(nlh);
	CU_ASSERT_EQUAL(nlh->nlmsg_type, XFRM_MSG_UPDSA);
	CU_ASSERT_EQUAL(nlh->nlmsg_flags & NLM_F_EXCL, 0);
	CU_ASSERT(info->flags & XFRM_STATE_ESN);
	CU_ASSERT_EQUAL(info->replay_window, 0);
	CU_ASSERT_PTR_NULL(attrs[XFRMA_ALG_AEAD]);
	CU_ASSERT_PTR_NULL(attrs[XFRMA_REPLAY_VAL]);
	CU_ASSERT_PTR_NOT_NULL_FATAL(attrs[XFRMA_REPLAY_ESN_VAL]);
	esn = mnl_attr_get_payload(attrs[XFRMA_REPLAY_ESN_VAL]);
	CU_ASSERT_EQUAL(esn->bmp_len, 4);
	CU_ASSERT_EQUAL(esn->replay_window, 128);
	CU_ASSERT_EQUAL(esn->oseq, 5);
	CU_ASSERT_EQUAL(esn->oseq_hi, 1);
	CU_ASSERT_EQUAL(esn->seq, 0);
	CU_ASSERT_EQUAL(esn->seq_hi, 2);
	CU_ASSERT_EQUAL(mnl_attr_get_payload_len(attrs[XFRMA_REPLAY_ESN_VAL]),
	    sizeof(*esn) + 16);
	CU_ASSERT_PTR_NOT_NULL_FATAL(attrs[XFRMA_ALG_CRYPT]);
	crypt = mnl_attr_get_payload(attrs[XFRMA_ALG_CRYPT]);
	CU_ASSERT_STRING_EQUAL(crypt->alg_name, "cbc(aes)");
	CU_ASSERT_EQUAL(crypt->alg_key_len, 256);
	CU_ASSERT_PTR_NOT_NULL_FATAL(attrs[XFRMA_ALG_AUTH_TRUNC]);
	auth = mnl_attr_get_payload(attrs[XFRMA_ALG_AUTH_TRUNC]);
	CU_ASSERT_STRING_EQUAL(auth->alg_name, "hmac(sha256)");
	CU_ASSERT_EQUAL(auth->alg_trunc_len, 128);
	CU_ASSERT_PTR_NOT_NULL_FATAL(attrs[XFRMA_ENCAP]);
	encap = mnl_attr_get_payload(attrs[XFRMA_ENCAP]);
	CU_ASSERT_EQUAL(encap->encap_type, 2);		/* ESPINUDP */
	CU_ASSERT_EQUAL(encap->encap_sport, htons(4500));
	CU_ASSERT_EQUAL(encap->encap_dport, htons(4501));
	CU_ASSERT_PTR_NOT_NULL_FATAL(attrs[XFRMA_MARK]);
	mark = mnl_attr_get_payload(attrs[XFRMA_MARK]);
	CU_ASSERT(mark->v == 5 && mark->m == 0xff);
	CU_ASSERT_PTR_NOT_NULL_FATAL(attrs[XFRMA_IF_ID]);
	CU_ASSERT_EQUAL(mnl_attr_get_u32(attrs[XFRMA_IF_ID]), 9);
}

/* An outbound ESN SA: window 0 goes as 1 (Linux < 6.10 refuses 0). */
static void
test_newsa_esn_out(void)
{
	struct kernel_sa			 sa;
	const struct nlmsghdr			*nlh;
	const struct xfrm_usersa_info		*info;
	const struct xfrm_replay_state_esn	*esn;

	gcm_sa(&sa);
	sa.esn = true;
	sa.replay_window = 0;
	sa.oseq = 7;
	nlh = parse(xfrm_msg_newsa(buf, sizeof(buf), 1, &sa, false),
	    sizeof(*info));
	info = mnl_nlmsg_get_payload(nlh);
	CU_ASSERT(info->flags & XFRM_STATE_ESN);
	CU_ASSERT_EQUAL(info->replay_window, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(attrs[XFRMA_REPLAY_ESN_VAL]);
	esn = mnl_attr_get_payload(attrs[XFRMA_REPLAY_ESN_VAL]);
	CU_ASSERT_EQUAL(esn->bmp_len, 1);
	CU_ASSERT_EQUAL(esn->replay_window, 1);
	CU_ASSERT_EQUAL(esn->oseq, 7);
	/* Without ESN a window 0 stays 0 (legacy form). */
	sa.esn = false;
	nlh = parse(xfrm_msg_newsa(buf, sizeof(buf), 1, &sa, false),
	    sizeof(*info));
	CU_ASSERT_PTR_NOT_NULL(attrs[XFRMA_REPLAY_VAL]);
	CU_ASSERT_PTR_NULL(attrs[XFRMA_REPLAY_ESN_VAL]);
}

static void
test_newsa_rejects(void)
{
	struct kernel_sa	 sa;

	gcm_sa(&sa);
	sa.enc_key_len = 16;			/* salt missing */
	CU_ASSERT_EQUAL(xfrm_msg_newsa(buf, sizeof(buf), 1, &sa, false), -1);
	gcm_sa(&sa);
	sa.integ = IKE_INTEG_HMAC_SHA2_256_128;	/* AEAD takes no integ */
	CU_ASSERT_EQUAL(xfrm_msg_newsa(buf, sizeof(buf), 1, &sa, false), -1);
	gcm_sa(&sa);
	sa.encr = IKE_ENCR_3DES;		/* not offered */
	CU_ASSERT_EQUAL(xfrm_msg_newsa(buf, sizeof(buf), 1, &sa, false), -1);
	gcm_sa(&sa);
	sa.encr = IKE_ENCR_AES_CBC;		/* CBC without integrity */
	sa.enc_key_len = 16;
	CU_ASSERT_EQUAL(xfrm_msg_newsa(buf, sizeof(buf), 1, &sa, false), -1);
	gcm_sa(&sa);
	sa.dst.family = AF_INET6;		/* family mismatch */
	CU_ASSERT_EQUAL(xfrm_msg_newsa(buf, sizeof(buf), 1, &sa, false), -1);
	gcm_sa(&sa);
	sa.replay_window = XFRMA_REPLAY_ESN_MAX + 1;
	CU_ASSERT_EQUAL(xfrm_msg_newsa(buf, sizeof(buf), 1, &sa, false), -1);
	gcm_sa(&sa);
	CU_ASSERT_EQUAL(xfrm_msg_newsa(buf, 64, 1, &sa, false), -1);
	CU_ASSERT_EQUAL(xfrm_msg_newsa(buf, 300, 1, &sa, false), -1);
	gcm_sa(&sa);
	sa.encr = IKE_ENCR_CHACHA20_POLY1305;
	sa.enc_key_len = 36;
	CU_ASSERT(xfrm_msg_newsa(buf, sizeof(buf), 1, &sa, false) > 0);
	CU_ASSERT_PTR_NULL(xfrm_encr_name(IKE_ENCR_3DES));
}

static void
test_policy(void)
{
	struct kernel_policy			 p;
	const struct nlmsghdr			*nlh;
	const struct xfrm_userpolicy_info	*info;
	const struct xfrm_userpolicy_id		*id;
	const struct xfrm_user_tmpl		*t;

	memset(&p, 0, sizeof(p));
	v4(&p.sel.src, "203.0.113.128");
	v4(&p.sel.dst, "203.0.113.0");
	p.sel.src_plen = 25;
	p.sel.dst_plen = 25;
	p.sel.proto = IPPROTO_TCP;
	p.sel.dport = 443;
	p.dir = KDIR_OUT;
	p.priority = 1000;
	p.reqid = 7;
	p.tunnel = true;
	v4(&p.tmpl_src, "192.0.2.1");
	v4(&p.tmpl_dst, "198.51.100.2");
	p.proto = IPPROTO_ESP;
	nlh = parse(xfrm_msg_newpolicy(buf, sizeof(buf), 3, &p, false),
	    sizeof(*info));
	info = mnl_nlmsg_get_payload(nlh);
	CU_ASSERT_EQUAL(nlh->nlmsg_type, XFRM_MSG_NEWPOLICY);
	CU_ASSERT_EQUAL(info->dir, XFRM_POLICY_OUT);
	CU_ASSERT_EQUAL(info->priority, 1000);
	CU_ASSERT_EQUAL(info->sel.prefixlen_s, 25);
	CU_ASSERT_EQUAL(info->sel.dport, htons(443));
	CU_ASSERT_EQUAL(info->sel.dport_mask, 0xffff);
	CU_ASSERT_EQUAL(info->sel.sport_mask, 0);
	CU_ASSERT_EQUAL(info->sel.proto, IPPROTO_TCP);
	CU_ASSERT_PTR_NOT_NULL_FATAL(attrs[XFRMA_TMPL]);
	t = mnl_attr_get_payload(attrs[XFRMA_TMPL]);
	CU_ASSERT_EQUAL(t->mode, XFRM_MODE_TUNNEL);
	CU_ASSERT_EQUAL(t->reqid, 7);
	CU_ASSERT_EQUAL(t->id.proto, IPPROTO_ESP);
	CU_ASSERT_EQUAL(memcmp(&t->id.daddr, p.tmpl_dst.addr, 4), 0);
	CU_ASSERT_EQUAL(memcmp(&t->saddr, p.tmpl_src.addr, 4), 0);

	nlh = parse(xfrm_msg_delpolicy(buf, sizeof(buf), 4, &p.sel, KDIR_FWD,
	    3, 0, 0), sizeof(*id));
	id = mnl_nlmsg_get_payload(nlh);
	CU_ASSERT_EQUAL(nlh->nlmsg_type, XFRM_MSG_DELPOLICY);
	CU_ASSERT_EQUAL(id->dir, XFRM_POLICY_FWD);
	CU_ASSERT_PTR_NOT_NULL(attrs[XFRMA_IF_ID]);
	p.dir = 7;
	CU_ASSERT_EQUAL(xfrm_msg_newpolicy(buf, sizeof(buf), 3, &p, false), -1);
}

static void
test_spi_and_ae(void)
{
	struct kernel_sa		 sa;
	struct kaddr			 a, b;
	const struct nlmsghdr		*nlh;
	const struct xfrm_userspi_info	*spi;
	const struct xfrm_aevent_id	*ae;

	v4(&a, "192.0.2.1");
	v4(&b, "198.51.100.2");
	nlh = parse(xfrm_msg_allocspi(buf, sizeof(buf), 5, &b, &a,
	    IPPROTO_ESP, 7, 0xc0000000, 0xcfffffff), sizeof(*spi));
	spi = mnl_nlmsg_get_payload(nlh);
	CU_ASSERT_EQUAL(nlh->nlmsg_type, XFRM_MSG_ALLOCSPI);
	CU_ASSERT_EQUAL(spi->min, 0xc0000000);
	CU_ASSERT_EQUAL(spi->max, 0xcfffffff);
	CU_ASSERT_EQUAL(spi->info.reqid, 7);
	/* Reserved SPIs and empty ranges are refused. */
	CU_ASSERT_EQUAL(xfrm_msg_allocspi(buf, sizeof(buf), 5, &b, &a,
	    IPPROTO_ESP, 7, 1, 100), -1);
	CU_ASSERT_EQUAL(xfrm_msg_allocspi(buf, sizeof(buf), 5, &b, &a,
	    IPPROTO_ESP, 7, 5000, 4000), -1);

	gcm_sa(&sa);
	sa.oseq = 123456;
	nlh = parse(xfrm_msg_setae(buf, sizeof(buf), 6, &sa), sizeof(*ae));
	ae = mnl_nlmsg_get_payload(nlh);
	CU_ASSERT_EQUAL(nlh->nlmsg_type, XFRM_MSG_NEWAE);
	CU_ASSERT(nlh->nlmsg_flags & NLM_F_REPLACE);
	CU_ASSERT_EQUAL(ae->sa_id.spi, htonl(sa.spi));
	CU_ASSERT_PTR_NOT_NULL_FATAL(attrs[XFRMA_REPLAY_VAL]);
	CU_ASSERT_EQUAL(((const struct xfrm_replay_state *)
	    mnl_attr_get_payload(attrs[XFRMA_REPLAY_VAL]))->oseq, 123456);

	nlh = parse(xfrm_msg_getae(buf, sizeof(buf), 7, &sa.dst, sa.spi,
	    IPPROTO_ESP, 0, 0), sizeof(*ae));
	CU_ASSERT_EQUAL(nlh->nlmsg_type, XFRM_MSG_GETAE);
	CU_ASSERT_EQUAL(nlh->nlmsg_flags & NLM_F_ACK, 0);
	nlh = parse(xfrm_msg_delsa(buf, sizeof(buf), 8, &sa.dst, sa.spi,
	    IPPROTO_ESP, 0, 0), sizeof(struct xfrm_usersa_id));
	CU_ASSERT_EQUAL(nlh->nlmsg_type, XFRM_MSG_DELSA);
	nlh = parse(xfrm_msg_getsa(buf, sizeof(buf), 9, &sa.dst, sa.spi,
	    IPPROTO_ESP, 1, 1), sizeof(struct xfrm_usersa_id));
	CU_ASSERT_EQUAL(nlh->nlmsg_type, XFRM_MSG_GETSA);
	CU_ASSERT_EQUAL(nlh->nlmsg_flags & NLM_F_ACK, 0);
	CU_ASSERT_PTR_NOT_NULL(attrs[XFRMA_MARK]);
}


static void
test_parse_ae_roundtrip(void)
{
	struct kernel_sa	 sa;
	struct kernel_ae	 ae;
	long			 n;
	size_t			 i;

	/* Legacy form. */
	gcm_sa(&sa);
	sa.oseq = 77;
	sa.seq = 66;
	sa.replay_bitmap = 0xf0f0;
	n = xfrm_msg_setae(buf, sizeof(buf), 1, &sa);
	CU_ASSERT_EQUAL_FATAL(xfrm_parse_ae(buf, (size_t)n, &ae), 0);
	CU_ASSERT_EQUAL(ae.spi, sa.spi);
	CU_ASSERT_EQUAL(ae.oseq, 77);
	CU_ASSERT_EQUAL(ae.seq, 66);
	CU_ASSERT_EQUAL(ae.bitmap, 0xf0f0);
	CU_ASSERT(!ae.esn_form);
	CU_ASSERT_EQUAL(memcmp(ae.dst.addr, sa.dst.addr, 4), 0);
	/* ESN form, counters past 2^32. */
	sa.esn = true;
	sa.replay_window = 256;
	sa.oseq = 0x500000001ULL;
	sa.seq = 0x400000002ULL;
	n = xfrm_msg_setae(buf, sizeof(buf), 1, &sa);
	CU_ASSERT_EQUAL_FATAL(xfrm_parse_ae(buf, (size_t)n, &ae), 0);
	CU_ASSERT(ae.esn_form);
	CU_ASSERT_EQUAL(ae.oseq, 0x500000001ULL);
	CU_ASSERT_EQUAL(ae.seq, 0x400000002ULL);
	CU_ASSERT_EQUAL(ae.replay_window, 256);
	/* Every truncation is refused without reading past the end. */
	for (i = 0; i < (size_t)n; i++)
		CU_ASSERT_EQUAL(xfrm_parse_ae(buf, i, &ae), -1);
	/* A NEWSA is not an AE. */
	n = xfrm_msg_newsa(buf, sizeof(buf), 1, &sa, false);
	CU_ASSERT_EQUAL(xfrm_parse_ae(buf, (size_t)n, &ae), -1);
}

static void
test_parse_kernel_msgs(void)
{
	struct xfrm_user_expire	 ex;
	struct xfrm_user_acquire acq;
	struct xfrm_user_tmpl	 tmpl;
	struct xfrm_usersa_info	 info;
	struct nlmsgerr		 e;
	struct kernel_expire	 kex;
	struct kernel_acquire	 kacq;
	struct kernel_sa_stats	 st;
	struct nlmsghdr		*nlh;
	uint32_t		 spi;
	int			 err;
	size_t			 i;

	memset(&ex, 0, sizeof(ex));
	ex.state.family = AF_INET;
	ex.state.id.spi = htonl(0x1234);
	ex.state.id.proto = IPPROTO_ESP;
	ex.state.reqid = 9;
	ex.state.curlft.packets = 99;
	ex.hard = 1;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = XFRM_MSG_EXPIRE;
	memcpy(mnl_nlmsg_put_extra_header(nlh, sizeof(ex)), &ex, sizeof(ex));
	CU_ASSERT_EQUAL_FATAL(xfrm_parse_expire(buf, nlh->nlmsg_len, &kex), 0);
	CU_ASSERT(kex.hard && kex.spi == 0x1234 && kex.reqid == 9);
	CU_ASSERT_EQUAL(kex.packets, 99);
	for (i = 0; i < nlh->nlmsg_len; i++)
		CU_ASSERT_EQUAL(xfrm_parse_expire(buf, i, &kex), -1);
	ex.state.family = 99;			/* no such family */
	memcpy(mnl_nlmsg_get_payload(nlh), &ex, sizeof(ex));
	CU_ASSERT_EQUAL(xfrm_parse_expire(buf, nlh->nlmsg_len, &kex), -1);

	memset(&acq, 0, sizeof(acq));
	acq.sel.family = AF_INET;
	acq.sel.prefixlen_d = 32;
	acq.sel.dport = htons(80);
	acq.id.proto = IPPROTO_ESP;
	acq.policy.dir = XFRM_POLICY_OUT;
	memset(&tmpl, 0, sizeof(tmpl));
	tmpl.reqid = 5;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = XFRM_MSG_ACQUIRE;
	memcpy(mnl_nlmsg_put_extra_header(nlh, sizeof(acq)), &acq,
	    sizeof(acq));
	mnl_attr_put(nlh, XFRMA_TMPL, sizeof(tmpl), &tmpl);
	CU_ASSERT_EQUAL_FATAL(xfrm_parse_acquire(buf, nlh->nlmsg_len, &kacq),
	    0);
	CU_ASSERT_EQUAL(kacq.reqid, 5);
	CU_ASSERT_EQUAL(kacq.sel.dport, 80);
	CU_ASSERT_EQUAL(kacq.sel.dst_plen, 32);
	for (i = 0; i < nlh->nlmsg_len; i++)
		CU_ASSERT_EQUAL(xfrm_parse_acquire(buf, i, &kacq), -1);

	memset(&info, 0, sizeof(info));
	info.id.spi = htonl(0xc0000123);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = XFRM_MSG_NEWSA;
	memcpy(mnl_nlmsg_put_extra_header(nlh, sizeof(info)), &info,
	    sizeof(info));
	CU_ASSERT_EQUAL_FATAL(xfrm_parse_sa_spi(buf, nlh->nlmsg_len, &spi), 0);
	CU_ASSERT_EQUAL(spi, 0xc0000123);
	info.curlft.bytes = 12345;
	info.curlft.packets = 67;
	info.stats.replay = 2;
	info.stats.integrity_failed = 3;
	memcpy(mnl_nlmsg_get_payload(nlh), &info, sizeof(info));
	CU_ASSERT_EQUAL_FATAL(xfrm_parse_sa_stats(buf, nlh->nlmsg_len, &st),
	    0);
	CU_ASSERT(st.spi == 0xc0000123 && st.bytes == 12345 &&
	    st.packets == 67 && st.replay_drops == 2 &&
	    st.integrity_failed == 3);
	for (i = 0; i < nlh->nlmsg_len; i++)
		CU_ASSERT_EQUAL(xfrm_parse_sa_stats(buf, i, &st), -1);

	memset(&e, 0, sizeof(e));
	e.error = -17;				/* EEXIST */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	memcpy(mnl_nlmsg_put_extra_header(nlh, sizeof(e)), &e, sizeof(e));
	CU_ASSERT_EQUAL_FATAL(xfrm_parse_error(buf, nlh->nlmsg_len, &err), 0);
	CU_ASSERT_EQUAL(err, -17);
	CU_ASSERT_EQUAL(xfrm_parse_error(buf, nlh->nlmsg_len - 1, &err), -1);
}

/* The per-SA counter event threshold (sync.aevent_replay_threshold):
 * XFRMA_REPLAY_THRESH in packets, never the HZ-dependent timer. */
static void
test_newsa_replay_thresh(void)
{
	struct kernel_sa		 sa;
	const struct nlmsghdr		*nlh;
	const struct xfrm_usersa_info	*info;
	int				 upd;

	for (upd = 0; upd < 2; upd++) {
		gcm_sa(&sa);
		sa.replay_thresh = 1024;
		sa.esn = upd == 1;
		nlh = parse(xfrm_msg_newsa(buf, sizeof(buf), 3, &sa,
		    upd == 1), sizeof(*info));
		CU_ASSERT_EQUAL(nlh->nlmsg_type, upd ? XFRM_MSG_UPDSA :
		    XFRM_MSG_NEWSA);
		CU_ASSERT_PTR_NOT_NULL_FATAL(attrs[XFRMA_REPLAY_THRESH]);
		CU_ASSERT_EQUAL(mnl_attr_get_payload_len(
		    attrs[XFRMA_REPLAY_THRESH]), sizeof(uint32_t));
		CU_ASSERT_EQUAL(mnl_attr_get_u32(attrs[XFRMA_REPLAY_THRESH]),
		    1024);
		CU_ASSERT_PTR_NULL(attrs[XFRMA_ETIMER_THRESH]);
		/* the replay state still goes with it */
		CU_ASSERT_PTR_NOT_NULL(upd ? attrs[XFRMA_REPLAY_ESN_VAL] :
		    attrs[XFRMA_REPLAY_VAL]);
	}
	/* the largest the config allows (2^20) */
	gcm_sa(&sa);
	sa.replay_thresh = 1048576;
	nlh = parse(xfrm_msg_newsa(buf, sizeof(buf), 3, &sa, false),
	    sizeof(*info));
	CU_ASSERT_PTR_NOT_NULL_FATAL(attrs[XFRMA_REPLAY_THRESH]);
	CU_ASSERT_EQUAL(mnl_attr_get_u32(attrs[XFRMA_REPLAY_THRESH]),
	    1048576);
	/* no room for the attribute: refused, not truncated */
	CU_ASSERT_EQUAL(xfrm_msg_newsa(buf, (size_t)nlh->nlmsg_len - 4, 3,
	    &sa, false), -1);
}

UNIT_SUITE(xfrm_msg, "xfrm_msg",
    { "NEWSA AES-GCM", test_newsa_gcm },
    { "UPDSA ESN + CBC/HMAC + NAT-T + mark", test_newsa_esn_cbc },
    { "NEWSA outbound ESN: window 1", test_newsa_esn_out },
    { "NEWSA rejects", test_newsa_rejects },
    { "NEWSA / UPDSA replay threshold", test_newsa_replay_thresh },
    { "policy add/del", test_policy },
    { "ALLOCSPI and AE", test_spi_and_ae },
    { "parse AE round trip", test_parse_ae_roundtrip },
    { "parse EXPIRE/ACQUIRE/NEWSA/ERROR", test_parse_kernel_msgs });
