/*
 * ikev2d/xfrm_msg.c -- XFRM netlink message builders (see xfrm_msg.h).
 *
 * Netlink is a host ABI, not a network wire format: the kernel's structs
 * from <linux/xfrm.h> are filled field by field on the stack and copied in
 * with libmnl, which checks every attribute against the buffer.  SPIs and
 * ports are big-endian inside those structs, as the kernel expects.
 */
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/udp.h>
#include <linux/xfrm.h>
#include <netinet/in.h>
#include <string.h>

#include <libmnl/libmnl.h>

#include "ike_const.h"
#include "tandem/secbuf.h"
#include "tandem/util.h"
#include "xfrm_msg.h"

#ifndef UDP_ENCAP_ESPINUDP
#define UDP_ENCAP_ESPINUDP	2
#endif

/* IKE transform -> kernel algorithm (RFC 4106, RFC 7634, RFC 3602, 4868). */
static const struct {
	uint16_t	 encr;
	const char	*name;
	bool		 aead;
	uint8_t		 salt;		/* bytes of salt after the key */
} encrs[] = {
	{ IKE_ENCR_AES_GCM_16,		"rfc4106(gcm(aes))",		true,  4 },
	{ IKE_ENCR_CHACHA20_POLY1305,	"rfc7539esp(chacha20,poly1305)", true, 4 },
	{ IKE_ENCR_AES_CBC,		"cbc(aes)",			false, 0 },
};

static const struct {
	uint16_t	 integ;
	const char	*name;
	unsigned int	 key_len;	/* bytes */
	unsigned int	 trunc_bits;
} integs[] = {
	{ IKE_INTEG_HMAC_SHA2_256_128,	"hmac(sha256)", 32, 128 },
	{ IKE_INTEG_HMAC_SHA2_384_192,	"hmac(sha384)", 48, 192 },
	{ IKE_INTEG_HMAC_SHA2_512_256,	"hmac(sha512)", 64, 256 },
};

const char *
xfrm_encr_name(uint16_t encr)
{
	size_t	 i;

	for (i = 0; i < nitems(encrs); i++)
		if (encrs[i].encr == encr)
			return encrs[i].name;
	return NULL;
}

const char *
xfrm_integ_name(uint16_t integ, unsigned int *trunc_bits)
{
	size_t	 i;

	for (i = 0; i < nitems(integs); i++)
		if (integs[i].integ == integ) {
			if (trunc_bits != NULL)
				*trunc_bits = integs[i].trunc_bits;
			return integs[i].name;
		}
	return NULL;
}

static struct nlmsghdr *
msg_start(void *buf, size_t cap, uint16_t type, uint16_t flags, uint32_t seq,
    const void *body, size_t bodylen)
{
	struct nlmsghdr	*nlh;
	void		*p;

	if (cap < MNL_NLMSG_HDRLEN + MNL_ALIGN(bodylen))
		return NULL;
	memset(buf, 0, MNL_NLMSG_HDRLEN + MNL_ALIGN(bodylen));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = seq;
	p = mnl_nlmsg_put_extra_header(nlh, bodylen);
	memcpy(p, body, bodylen);
	return nlh;
}

static void
addr_put(xfrm_address_t *x, const struct kaddr *a)
{
	memset(x, 0, sizeof(*x));
	memcpy(x, a->addr, a->family == AF_INET ? 4 : 16);
}

static bool
family_ok(uint8_t family)
{
	return family == AF_INET || family == AF_INET6;
}

static void
sel_put(struct xfrm_selector *s, const struct ksel *k, uint8_t family)
{
	memset(s, 0, sizeof(*s));
	if (k->src.family == 0) {
		s->family = family;	/* "any": the kernel needs a family */
		return;
	}
	addr_put(&s->saddr, &k->src);
	addr_put(&s->daddr, &k->dst);
	s->family = k->src.family;
	s->prefixlen_s = k->src_plen;
	s->prefixlen_d = k->dst_plen;
	s->proto = k->proto;
	if (k->sport != 0) {
		s->sport = htons(k->sport);
		s->sport_mask = 0xffff;
	}
	if (k->dport != 0) {
		s->dport = htons(k->dport);
		s->dport_mask = 0xffff;
	}
}

static uint64_t
lim(uint64_t v)
{
	return v == 0 ? XFRM_INF : v;
}

static void
mark_put(struct nlmsghdr *nlh, size_t cap, uint32_t mark, uint32_t mask,
    bool *ok)
{
	struct xfrm_mark	 m = { .v = mark, .m = mask };

	if (mark == 0 && mask == 0)
		return;
	if (!mnl_attr_put_check(nlh, cap, XFRMA_MARK, sizeof(m), &m))
		*ok = false;
}

static void
if_id_put(struct nlmsghdr *nlh, size_t cap, uint32_t if_id, bool *ok)
{
	if (if_id != 0 && !mnl_attr_put_u32_check(nlh, cap, XFRMA_IF_ID, if_id))
		*ok = false;
}

/* Does the SA keep its replay state in the ESN form?  LAB-NOTES 3. */
static bool
replay_esn_form(const struct kernel_sa *sa)
{
	return sa->esn || sa->replay_window > 32;
}

/* Replay state attribute: ESN form with a bitmap, or the legacy one. */
static void
replay_put(struct nlmsghdr *nlh, size_t cap, const struct kernel_sa *sa,
    bool *ok)
{
	uint8_t				 rbuf[sizeof(struct xfrm_replay_state_esn) +
					    XFRMA_REPLAY_ESN_MAX / 8];
	struct xfrm_replay_state_esn	 esn;
	struct xfrm_replay_state	 rs;
	uint32_t			 words;

	if (!replay_esn_form(sa)) {
		memset(&rs, 0, sizeof(rs));
		rs.oseq = (uint32_t)sa->oseq;
		rs.seq = (uint32_t)sa->seq;
		rs.bitmap = sa->replay_bitmap;
		if (!mnl_attr_put_check(nlh, cap, XFRMA_REPLAY_VAL, sizeof(rs),
		    &rs))
			*ok = false;
		return;
	}
	/* The kernel wants at least one bitmap word, even for window 0. */
	words = sa->replay_window == 0 ? 1 : (sa->replay_window + 31) / 32;
	memset(&esn, 0, sizeof(esn));
	esn.bmp_len = words;
	esn.oseq = (uint32_t)sa->oseq;
	esn.oseq_hi = (uint32_t)(sa->oseq >> 32);
	esn.seq = (uint32_t)sa->seq;
	esn.seq_hi = (uint32_t)(sa->seq >> 32);
	/* Linux before 6.10 (no SA direction) refuses an ESN state with
	 * window 0 (xfrm_init_replay: EINVAL), outbound ones included: an
	 * outbound SA never checks its window, so 1 is as good as 0. */
	esn.replay_window = sa->esn && sa->replay_window == 0 ? 1 :
	    sa->replay_window;
	memset(rbuf, 0, sizeof(rbuf));
	memcpy(rbuf, &esn, sizeof(esn));
	memcpy(rbuf + sizeof(esn), &sa->replay_bitmap,
	    sizeof(sa->replay_bitmap));
	if (!mnl_attr_put_check(nlh, cap, XFRMA_REPLAY_ESN_VAL,
	    sizeof(esn) + words * 4, rbuf))
		*ok = false;
}

static void
algs_put(struct nlmsghdr *nlh, size_t cap, const struct kernel_sa *sa,
    bool *ok)
{
	uint8_t			 abuf[sizeof(struct xfrm_algo_aead) +
				    KERNEL_KEY_MAX];
	struct xfrm_algo_aead	 aead;
	struct xfrm_algo_auth	 auth;
	struct xfrm_algo	 crypt;
	size_t			 i, e = nitems(encrs), g = nitems(integs);

	for (i = 0; i < nitems(encrs); i++)
		if (encrs[i].encr == sa->encr)
			e = i;
	for (i = 0; i < nitems(integs); i++)
		if (integs[i].integ == sa->integ)
			g = i;
	if (e == nitems(encrs) || sa->enc_key_len > KERNEL_KEY_MAX ||
	    sa->int_key_len > KERNEL_KEY_MAX) {
		*ok = false;
		return;
	}
	if (encrs[e].aead) {
		/* AEAD: key + salt in one attribute, no integrity transform
		 * (RFC 4106 8.1, RFC 7634 3). */
		if (sa->integ != IKE_INTEG_NONE ||
		    (sa->encr == IKE_ENCR_CHACHA20_POLY1305 ?
		    sa->enc_key_len != 32 + 4 :
		    (sa->encr_bits != 128 && sa->encr_bits != 192 &&
		    sa->encr_bits != 256) ||
		    sa->enc_key_len != sa->encr_bits / 8 + encrs[e].salt)) {
			*ok = false;
			return;
		}
		memset(&aead, 0, sizeof(aead));
		strcpy(aead.alg_name, encrs[e].name);
		aead.alg_key_len = sa->enc_key_len * 8u;
		aead.alg_icv_len = 128;
		memcpy(abuf, &aead, sizeof(aead));
		memcpy(abuf + sizeof(aead), sa->enc_key, sa->enc_key_len);
		if (!mnl_attr_put_check(nlh, cap, XFRMA_ALG_AEAD,
		    sizeof(aead) + sa->enc_key_len, abuf))
			*ok = false;
		secure_wipe(abuf, sizeof(abuf));
		return;
	}
	if (g == nitems(integs) || sa->int_key_len != integs[g].key_len ||
	    (sa->encr_bits != 128 && sa->encr_bits != 192 &&
	    sa->encr_bits != 256) || sa->enc_key_len != sa->encr_bits / 8) {
		*ok = false;
		return;
	}
	memset(&crypt, 0, sizeof(crypt));
	strcpy(crypt.alg_name, encrs[e].name);
	crypt.alg_key_len = sa->enc_key_len * 8u;
	memcpy(abuf, &crypt, sizeof(crypt));
	memcpy(abuf + sizeof(crypt), sa->enc_key, sa->enc_key_len);
	if (!mnl_attr_put_check(nlh, cap, XFRMA_ALG_CRYPT,
	    sizeof(crypt) + sa->enc_key_len, abuf))
		*ok = false;
	memset(&auth, 0, sizeof(auth));
	strcpy(auth.alg_name, integs[g].name);
	auth.alg_key_len = sa->int_key_len * 8u;
	auth.alg_trunc_len = integs[g].trunc_bits;
	memcpy(abuf, &auth, sizeof(auth));
	memcpy(abuf + sizeof(auth), sa->int_key, sa->int_key_len);
	if (!mnl_attr_put_check(nlh, cap, XFRMA_ALG_AUTH_TRUNC,
	    sizeof(auth) + sa->int_key_len, abuf))
		*ok = false;
	secure_wipe(abuf, sizeof(abuf));
}

long
xfrm_msg_newsa(void *buf, size_t cap, uint32_t seq, const struct kernel_sa *sa,
    bool update)
{
	struct xfrm_usersa_info	 info;
	struct xfrm_encap_tmpl	 encap;
	struct nlmsghdr		*nlh;
	bool			 ok = true;

	if (!family_ok(sa->src.family) || sa->src.family != sa->dst.family ||
	    (sa->replay_window > XFRMA_REPLAY_ESN_MAX))
		return -1;
	memset(&info, 0, sizeof(info));
	sel_put(&info.sel, &sa->sel, sa->src.family);
	addr_put(&info.id.daddr, &sa->dst);
	info.id.spi = htonl(sa->spi);
	info.id.proto = sa->proto;
	addr_put(&info.saddr, &sa->src);
	info.lft.soft_byte_limit = lim(sa->lft.soft_bytes);
	info.lft.hard_byte_limit = lim(sa->lft.hard_bytes);
	info.lft.soft_packet_limit = lim(sa->lft.soft_packets);
	info.lft.hard_packet_limit = lim(sa->lft.hard_packets);
	info.lft.soft_add_expires_seconds = sa->lft.soft_add_s;
	info.lft.hard_add_expires_seconds = sa->lft.hard_add_s;
	info.reqid = sa->reqid;
	info.family = sa->src.family;
	info.mode = sa->tunnel ? XFRM_MODE_TUNNEL : XFRM_MODE_TRANSPORT;
	/* The legacy field is 8 bits; the ESN attribute carries the real
	 * window when it is larger. */
	info.replay_window = replay_esn_form(sa) ? 0 :
	    (uint8_t)sa->replay_window;
	if (sa->esn)
		info.flags |= XFRM_STATE_ESN;
	nlh = msg_start(buf, cap, update ? XFRM_MSG_UPDSA : XFRM_MSG_NEWSA,
	    update ? 0 : NLM_F_CREATE | NLM_F_EXCL, seq, &info, sizeof(info));
	if (nlh == NULL)
		return -1;
	algs_put(nlh, cap, sa, &ok);
	replay_put(nlh, cap, sa, &ok);
	if (sa->encap) {
		memset(&encap, 0, sizeof(encap));
		encap.encap_type = UDP_ENCAP_ESPINUDP;
		encap.encap_sport = htons(sa->encap_sport);
		encap.encap_dport = htons(sa->encap_dport);
		if (!mnl_attr_put_check(nlh, cap, XFRMA_ENCAP, sizeof(encap),
		    &encap))
			ok = false;
	}
	mark_put(nlh, cap, sa->mark, sa->mark_mask, &ok);
	if_id_put(nlh, cap, sa->if_id, &ok);
	/*
	 * The packet threshold only.  XFRMA_ETIMER_THRESH (the period) is
	 * taken raw as jiffies (x->replay_maxage), so its meaning depends
	 * on the kernel's CONFIG_HZ, which userspace cannot learn (the
	 * sysctl xfrm_aevent_etime, in 100 ms units, is converted by the
	 * kernel; the attribute is not): the period stays the kernel's.
	 */
	if (sa->replay_thresh != 0 && !mnl_attr_put_u32_check(nlh, cap,
	    XFRMA_REPLAY_THRESH, sa->replay_thresh))
		ok = false;
	return ok ? (long)nlh->nlmsg_len : -1;
}

static void
said_put(struct xfrm_usersa_id *id, const struct kaddr *dst, uint32_t spi,
    uint8_t proto)
{
	memset(id, 0, sizeof(*id));
	addr_put(&id->daddr, dst);
	id->spi = htonl(spi);
	id->family = dst->family;
	id->proto = proto;
}

/* A message that names one SA: DELSA (acknowledged) or GETSA (answered
 * with the SA itself). */
static long
said_msg(void *buf, size_t cap, uint16_t type, uint32_t seq,
    const struct kaddr *dst, uint32_t spi, uint8_t proto, uint32_t mark,
    uint32_t mark_mask)
{
	struct xfrm_usersa_id	 id;
	struct nlmsghdr		*nlh;
	bool			 ok = true;

	if (!family_ok(dst->family))
		return -1;
	said_put(&id, dst, spi, proto);
	if ((nlh = msg_start(buf, cap, type, 0, seq, &id, sizeof(id))) == NULL)
		return -1;
	if (type == XFRM_MSG_GETSA)
		nlh->nlmsg_flags &= (uint16_t)~NLM_F_ACK;
	mark_put(nlh, cap, mark, mark_mask, &ok);
	return ok ? (long)nlh->nlmsg_len : -1;
}

long
xfrm_msg_delsa(void *buf, size_t cap, uint32_t seq, const struct kaddr *dst,
    uint32_t spi, uint8_t proto, uint32_t mark, uint32_t mark_mask)
{
	return said_msg(buf, cap, XFRM_MSG_DELSA, seq, dst, spi, proto, mark,
	    mark_mask);
}

long
xfrm_msg_allocspi(void *buf, size_t cap, uint32_t seq, const struct kaddr *src,
    const struct kaddr *dst, uint8_t proto, uint32_t reqid, uint32_t min,
    uint32_t max)
{
	struct xfrm_userspi_info	 spi;
	struct nlmsghdr			*nlh;

	/* SPIs 1..255 are reserved by IANA (RFC 4303 2.1). */
	if (!family_ok(dst->family) || src->family != dst->family ||
	    min < 256 || min > max)
		return -1;
	memset(&spi, 0, sizeof(spi));
	addr_put(&spi.info.id.daddr, dst);
	spi.info.id.proto = proto;
	addr_put(&spi.info.saddr, src);
	spi.info.family = dst->family;
	spi.info.sel.family = dst->family;
	spi.info.reqid = reqid;
	spi.info.mode = XFRM_MODE_TUNNEL;
	spi.min = min;
	spi.max = max;
	if ((nlh = msg_start(buf, cap, XFRM_MSG_ALLOCSPI, 0, seq, &spi,
	    sizeof(spi))) == NULL)
		return -1;
	/* ALLOCSPI answers with the new SA, not an ACK. */
	nlh->nlmsg_flags &= (uint16_t)~NLM_F_ACK;
	return (long)nlh->nlmsg_len;
}

long
xfrm_msg_newpolicy(void *buf, size_t cap, uint32_t seq,
    const struct kernel_policy *p, bool update)
{
	struct xfrm_userpolicy_info	 info;
	struct xfrm_user_tmpl		 t;
	struct nlmsghdr			*nlh;
	bool				 ok = true;

	if (!family_ok(p->sel.src.family) || p->dir > KDIR_FWD ||
	    (p->tunnel && (!family_ok(p->tmpl_src.family) ||
	    p->tmpl_src.family != p->tmpl_dst.family)))
		return -1;
	memset(&info, 0, sizeof(info));
	sel_put(&info.sel, &p->sel, p->sel.src.family);
	info.lft.soft_byte_limit = XFRM_INF;
	info.lft.hard_byte_limit = XFRM_INF;
	info.lft.soft_packet_limit = XFRM_INF;
	info.lft.hard_packet_limit = XFRM_INF;
	info.priority = p->priority;
	info.dir = (uint8_t)p->dir;
	info.action = XFRM_POLICY_ALLOW;
	nlh = msg_start(buf, cap, update ? XFRM_MSG_UPDPOLICY :
	    XFRM_MSG_NEWPOLICY, update ? 0 : NLM_F_CREATE | NLM_F_EXCL, seq,
	    &info, sizeof(info));
	if (nlh == NULL)
		return -1;
	memset(&t, 0, sizeof(t));
	if (p->tunnel) {
		addr_put(&t.id.daddr, &p->tmpl_dst);
		addr_put(&t.saddr, &p->tmpl_src);
		t.family = p->tmpl_src.family;
		t.mode = XFRM_MODE_TUNNEL;
	} else {
		t.family = p->sel.src.family;
		t.mode = XFRM_MODE_TRANSPORT;
	}
	t.id.proto = p->proto;
	t.reqid = p->reqid;
	t.aalgos = t.ealgos = t.calgos = ~0u;
	if (!mnl_attr_put_check(nlh, cap, XFRMA_TMPL, sizeof(t), &t))
		ok = false;
	mark_put(nlh, cap, p->mark, p->mark_mask, &ok);
	if_id_put(nlh, cap, p->if_id, &ok);
	return ok ? (long)nlh->nlmsg_len : -1;
}

long
xfrm_msg_delpolicy(void *buf, size_t cap, uint32_t seq, const struct ksel *sel,
    enum kdir dir, uint32_t if_id, uint32_t mark, uint32_t mark_mask)
{
	struct xfrm_userpolicy_id	 id;
	struct nlmsghdr			*nlh;
	bool				 ok = true;

	if (!family_ok(sel->src.family) || dir > KDIR_FWD)
		return -1;
	memset(&id, 0, sizeof(id));
	sel_put(&id.sel, sel, sel->src.family);
	id.dir = (uint8_t)dir;
	if ((nlh = msg_start(buf, cap, XFRM_MSG_DELPOLICY, 0, seq, &id,
	    sizeof(id))) == NULL)
		return -1;
	mark_put(nlh, cap, mark, mark_mask, &ok);
	if_id_put(nlh, cap, if_id, &ok);
	return ok ? (long)nlh->nlmsg_len : -1;
}

static struct nlmsghdr *
ae_start(void *buf, size_t cap, uint16_t type, uint16_t flags, uint32_t seq,
    const struct kaddr *src, const struct kaddr *dst, uint32_t spi,
    uint8_t proto, uint32_t reqid)
{
	struct xfrm_aevent_id	 ae;

	memset(&ae, 0, sizeof(ae));
	said_put(&ae.sa_id, dst, spi, proto);
	if (src != NULL)
		addr_put(&ae.saddr, src);
	ae.reqid = reqid;
	ae.flags = XFRM_AE_RVAL | XFRM_AE_LVAL;
	return msg_start(buf, cap, type, flags, seq, &ae, sizeof(ae));
}

long
xfrm_msg_setae(void *buf, size_t cap, uint32_t seq, const struct kernel_sa *sa)
{
	struct nlmsghdr	*nlh;
	bool		 ok = true;

	if (!family_ok(sa->dst.family) ||
	    sa->replay_window > XFRMA_REPLAY_ESN_MAX)
		return -1;
	/* NLM_F_REPLACE is required, or the kernel answers EINVAL. */
	if ((nlh = ae_start(buf, cap, XFRM_MSG_NEWAE, NLM_F_REPLACE, seq,
	    &sa->src, &sa->dst, sa->spi, sa->proto, sa->reqid)) == NULL)
		return -1;
	replay_put(nlh, cap, sa, &ok);
	mark_put(nlh, cap, sa->mark, sa->mark_mask, &ok);
	return ok ? (long)nlh->nlmsg_len : -1;
}

long
xfrm_msg_getae(void *buf, size_t cap, uint32_t seq, const struct kaddr *dst,
    uint32_t spi, uint8_t proto, uint32_t mark, uint32_t mark_mask)
{
	struct nlmsghdr	*nlh;
	bool		 ok = true;

	if (!family_ok(dst->family))
		return -1;
	if ((nlh = ae_start(buf, cap, XFRM_MSG_GETAE, 0, seq, NULL, dst, spi,
	    proto, 0)) == NULL)
		return -1;
	nlh->nlmsg_flags &= (uint16_t)~NLM_F_ACK;	/* answered with NEWAE */
	mark_put(nlh, cap, mark, mark_mask, &ok);
	return ok ? (long)nlh->nlmsg_len : -1;
}

long
xfrm_msg_getsa(void *buf, size_t cap, uint32_t seq, const struct kaddr *dst,
    uint32_t spi, uint8_t proto, uint32_t mark, uint32_t mark_mask)
{
	return said_msg(buf, cap, XFRM_MSG_GETSA, seq, dst, spi, proto, mark,
	    mark_mask);
}
