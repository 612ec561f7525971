/* lib/ctlmsg.c -- control-socket messages: encode and decode (ctlmsg.h). */
#include <string.h>

#include "tandem/ctlmsg.h"
#include "tandem/util.h"

void
ctl_begin(struct wr *w, uint8_t type, uint16_t flags, uint32_t id)
{
	wr_u8(w, CTL_VERSION);
	wr_u8(w, type);
	wr_be16(w, flags);
	wr_be32(w, 0);			/* length, fixed by ctl_finish() */
	wr_be32(w, id);
}

void
ctl_put(struct wr *w, uint16_t tag, const void *v, size_t n)
{
	if (n > UINT16_MAX) {
		w->bad = true;
		return;
	}
	wr_be16(w, tag);
	wr_be16(w, (uint16_t)n);
	wr_bytes(w, v, n);
}

void
ctl_put_kv(struct wr *w, const char *key, const char *val)
{
	size_t	 kl = strlen(key), vl = strlen(val);
	uint8_t	*d;

	if (kl + 1 + vl > UINT16_MAX) {
		w->bad = true;
		return;
	}
	wr_be16(w, CTL_T_KV);
	wr_be16(w, (uint16_t)(kl + 1 + vl));
	if ((d = wr_reserve(w, kl + 1 + vl)) == NULL)
		return;
	memcpy(d, key, kl);
	d[kl] = '\0';
	memcpy(d + kl + 1, val, vl);
}

long
ctl_finish(struct wr *w)
{
	if (w->bad || w->len < CTL_HDR_LEN || w->len > CTL_MAX_LEN)
		return -1;
	wr_put_be32_at(w, 4, (uint32_t)w->len);
	return w->bad ? -1 : (long)w->len;
}

int
ctl_decode(const uint8_t *buf, size_t len, struct ctl_hdr *h, struct rd *tlvs)
{
	struct rd	 r;

	rd_init(&r, buf, len);
	h->version = rd_u8(&r);
	h->type = rd_u8(&r);
	h->flags = rd_be16(&r);
	h->length = rd_be32(&r);
	h->id = rd_be32(&r);
	if (r.bad)
		return CTL_E_SHORT;
	if (h->version != CTL_VERSION)
		return CTL_E_VERSION;
	if (h->length != len || len > CTL_MAX_LEN)
		return CTL_E_LENGTH;
	*tlvs = r;
	return 0;
}

int
ctl_next(struct rd *tlvs, struct ctl_tlv *t)
{
	if (tlvs->bad)
		return CTL_E_TLV;
	if (tlvs->left == 0)
		return 0;
	t->tag = rd_be16(tlvs);
	t->len = rd_be16(tlvs);
	t->val = rd_bytes(tlvs, t->len);
	if (tlvs->bad)
		return CTL_E_TLV;
	return 1;
}

int
ctl_kv(const struct ctl_tlv *t, char *key, size_t keycap, char *val,
    size_t valcap)
{
	const uint8_t	*sep;
	size_t		 kl, vl;

	if (t->tag != CTL_T_KV || t->len == 0 ||
	    (sep = memchr(t->val, '\0', t->len)) == NULL)
		return CTL_E_VALUE;
	kl = (size_t)(sep - t->val);
	vl = t->len - kl - 1;
	if (kl == 0 || kl >= keycap || vl >= valcap ||
	    memchr(sep + 1, '\0', vl) != NULL)
		return CTL_E_VALUE;
	memcpy(key, t->val, kl);
	key[kl] = '\0';
	memcpy(val, sep + 1, vl);
	val[vl] = '\0';
	return 0;
}

const char *
ctl_type_name(unsigned int type)
{
	static const char *const names[] = {
		[CTL_PING] = "PING",
		[CTL_STATUS] = "STATUS",
	};
	_Static_assert(nitems(names) == CTL_TYPE_MAX, "name per ctl type");

	type &= ~(unsigned int)CTL_REPLY;
	if (type >= nitems(names) || names[type] == NULL)
		return "UNKNOWN";
	return names[type];
}

const char *
ctl_err_name(int err)
{
	switch (err) {
	case 0:
		return "ok";
	case CTL_E_SHORT:
		return "shorter than a control header";
	case CTL_E_VERSION:
		return "unknown control protocol version";
	case CTL_E_LENGTH:
		return "length field disagrees with datagram size";
	case CTL_E_TLV:
		return "TLV runs past the end of the message";
	case CTL_E_VALUE:
		return "malformed TLV value";
	}
	return "unknown error";
}
