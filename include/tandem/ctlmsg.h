/*
 * include/tandem/ctlmsg.h -- THE control-socket wire format
 * (haadm -> ikev2d / syncd / hamgrd; hamgrd -> ikev2d role commands).
 *
 * One message per SOCK_SEQPACKET datagram:
 *
 *  0               1               2               3
 * +---------------+---------------+-------------------------------+
 * |    version    |     type      |             flags             |
 * +---------------+---------------+-------------------------------+
 * |                 length (header + TLVs, bytes)                 |
 * +---------------------------------------------------------------+
 * |              request id (echoed in the reply)                 |
 * +---------------------------------------------------------------+
 * | TLV: tag (16) | length (16, value only) | value (no padding)  |
 *
 * All integers big-endian.  A reply has the request's type with
 * CTL_REPLY set; a failed request gets flags CTL_F_ERROR and a CTL_T_ERROR
 * string.  Unknown TLV tags are skipped (newer haadm, older daemon).
 */
#ifndef TANDEM_CTLMSG_H
#define TANDEM_CTLMSG_H

#include <stddef.h>
#include <stdint.h>

#include "tandem/wire.h"

#define CTL_VERSION	1
#define CTL_HDR_LEN	12
#define CTL_MAX_LEN	65536	/* one datagram; larger answers are chunked */
#define CTL_REPLY	0x80

enum ctl_type {
	CTL_PING	= 1,	/* liveness; reply carries nothing */
	CTL_STATUS	= 2,	/* reply: CTL_T_KV pairs, in order */
	CTL_TYPE_MAX		/* keep last */
};

#define CTL_F_ERROR	0x0001

enum ctl_tag {
	CTL_T_ERROR	= 1,	/* string: why a request failed */
	CTL_T_KV	= 2,	/* "key" NUL "value": one status line */
};

enum ctl_err {
	CTL_E_SHORT	= -1,	/* shorter than a header */
	CTL_E_VERSION	= -2,	/* unknown version */
	CTL_E_LENGTH	= -3,	/* length field disagrees with datagram */
	CTL_E_TLV	= -4,	/* TLV runs past the message */
	CTL_E_VALUE	= -5,	/* TLV value malformed for its tag */
};

struct ctl_hdr {
	uint8_t		 version;
	uint8_t		 type;
	uint16_t	 flags;
	uint32_t	 length;
	uint32_t	 id;
};

struct ctl_tlv {
	uint16_t	 tag;
	uint16_t	 len;
	const uint8_t	*val;	/* borrowed from the message buffer */
};

/* Start a message in w (caller's buffer); finish with ctl_finish(). */
void		 ctl_begin(struct wr *w, uint8_t type, uint16_t flags,
		    uint32_t id);
void		 ctl_put(struct wr *w, uint16_t tag, const void *v, size_t n);
/* A status line; key and value must not contain NUL. */
void		 ctl_put_kv(struct wr *w, const char *key, const char *val);
/* Fix the length field.  Returns the message length, or -1 if it did not
 * fit in the buffer or exceeds CTL_MAX_LEN. */
long		 ctl_finish(struct wr *w);

/*
 * Decode the header of the datagram buf/len and point tlvs at its TLVs.
 * Pure.  Returns 0 or a CTL_E_* code.
 */
int		 ctl_decode(const uint8_t *buf, size_t len, struct ctl_hdr *h,
		    struct rd *tlvs);
/* Next TLV: 1 and *t filled, 0 at the end, CTL_E_TLV when malformed. */
int		 ctl_next(struct rd *tlvs, struct ctl_tlv *t);
/* Split a CTL_T_KV value into NUL-terminated key and value in the caller's
 * buffers.  Returns 0 or CTL_E_VALUE (no separator, embedded NUL, too
 * long). */
int		 ctl_kv(const struct ctl_tlv *t, char *key, size_t keycap,
		    char *val, size_t valcap);
const char	*ctl_type_name(unsigned int type);
const char	*ctl_err_name(int err);

#endif
