/*
 * ha/vrrp_codec.h -- the VRRPv3 advertisement (RFC 5798 5.1), IPv4 and
 * IPv6: the one definition of its wire format.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-------+-------+---------------+---------------+---------------+
 * |Version| Type  |     VRID      |   Priority    |Count IPvX Addr|
 * +-------+-------+---------------+---------------+---------------+
 * | rsvd  |  Max Adver Int (cs)   |           Checksum            |
 * +-------+-----------------------+-------------------------------+
 * |            IPvX address(es): Count x 4 or 16 bytes            |
 * +---------------------------------------------------------------+
 *
 * Version 3, Type 1 (advertisement).  Priority 0: the master resigns;
 * 255: the address owner.  rsvd is sent as 0 and ignored on receipt.
 * The checksum (5.2.8) is the Internet checksum (RFC 1071) over a
 * pseudo-header and the VRRP message, checksum field taken as 0:
 *   IPv4: src(4) dst(4) zero(1) proto=112(1) VRRP length(2)
 *   IPv6 (RFC 8200 8.1): src(16) dst(16) VRRP length(4) zero(3)
 *        next header=112(1)
 * The message is the IP payload; the IP header is the edge's (vrrp_io.c),
 * which passes the TTL / hop limit it saw (RFC 5798 5.1.1.3: 255).
 *
 * Pure: no I/O, no allocation, no globals.  Errors are negative VRRP_E_*
 * codes with names; each is a drop reason the edge counts (STYLE P8).
 */
#ifndef TANDEM_HA_VRRP_CODEC_H
#define TANDEM_HA_VRRP_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tandem/wire.h"

#define VRRP_VERSION		3
#define VRRP_TYPE_ADVERT	1
#define VRRP_PROTO		112	/* IP protocol number (IANA) */
#define VRRP_TTL		255	/* RFC 5798 5.1.1.3, 5.1.2.3 */
#define VRRP_HDR_LEN		8	/* bytes on the wire; never sizeof */
#define VRRP_MAX_ADDRS		255	/* the count is 8 bits */
#define VRRP_ADVER_MAX_CS	4095	/* 12 bits */
#define VRRP_PRIO_RESIGN	0
#define VRRP_PRIO_OWNER		255
/* Largest advert: header + 255 IPv6 addresses. */
#define VRRP_MAX_LEN		(VRRP_HDR_LEN + VRRP_MAX_ADDRS * 16)

/* Address families, equal to the kernel's AF_INET / AF_INET6. */
#define VRRP_AF_INET		2
#define VRRP_AF_INET6		10

enum vrrp_err {
	VRRP_E_SHORT	= -1,	/* fewer bytes than the fixed header */
	VRRP_E_VERSION	= -2,	/* version != 3 */
	VRRP_E_TYPE	= -3,	/* type != 1 */
	VRRP_E_COUNT	= -4,	/* count 0 (RFC 5798 5.2.5: minimum 1) */
	VRRP_E_LENGTH	= -5,	/* length != header + count x address */
	VRRP_E_INTERVAL	= -6,	/* Max Adver Int 0 */
	VRRP_E_FAMILY	= -7,	/* family neither IPv4 nor IPv6 */
	VRRP_E_TTL	= -8,	/* TTL / hop limit != 255 */
	VRRP_E_VRID	= -9,	/* not the VRID configured */
	VRRP_E_CSUM	= -10,	/* checksum does not verify */
	VRRP_E_BUFSZ	= -11,	/* encode: caller's buffer too small */
	VRRP_E_MAX	= -12	/* keep last: one below the lowest code */
};
#define VRRP_NERR	(-VRRP_E_MAX)	/* codes 0..VRRP_NERR-1 for counters */

/* One advertisement.  addrs is borrowed: from the decoded buffer, or the
 * caller's array when encoding (naddrs x 4 or 16 bytes, network order). */
struct vrrp_adv {
	uint8_t		 family;	/* VRRP_AF_INET(6) */
	uint8_t		 version;	/* as decoded; encode writes 3 */
	uint8_t		 type;		/* as decoded; encode writes 1 */
	uint8_t		 vrid;
	uint8_t		 prio;
	uint8_t		 naddrs;	/* 1..255 */
	uint8_t		 rsvd;		/* as decoded; encode writes 0 */
	uint16_t	 adver_cs;	/* 12 bits, centiseconds */
	uint16_t	 csum;		/* as decoded; encode computes it */
	const uint8_t	*addrs;
};

/* The IP source and destination the checksum covers. */
struct vrrp_ph {
	uint8_t		 family;	/* VRRP_AF_INET(6) */
	uint8_t		 src[16];	/* IPv4 in [0..3] */
	uint8_t		 dst[16];
};

/* 4 or 16, or 0 for an unknown family. */
size_t		 vrrp_addr_len(uint8_t family);

/*
 * Parse buf (the IP payload) as an advert of the given family into *a;
 * a->addrs points into buf.  Checks only what the bytes say by
 * themselves: length, version, type, count vs length, interval.
 * Returns 0 or VRRP_E_FAMILY, _SHORT, _VERSION, _TYPE, _COUNT, _LENGTH,
 * _INTERVAL (in that order of precedence).
 */
int		 vrrp_decode(const uint8_t *buf, size_t len, uint8_t family,
		    struct vrrp_adv *a);

/*
 * RFC 5798 7.1 receive checks on a decoded advert: TTL / hop limit,
 * VRID, then the checksum over ph + buf.  ph->family must be a->family.
 * Returns 0 or VRRP_E_TTL, _VRID, _FAMILY, _CSUM.
 */
int		 vrrp_verify(const uint8_t *buf, size_t len,
		    const struct vrrp_adv *a, const struct vrrp_ph *ph,
		    uint8_t ttl, uint8_t vrid);

/* decode + verify: what the edge calls on every packet. */
int		 vrrp_check(const uint8_t *buf, size_t len,
		    const struct vrrp_ph *ph, uint8_t ttl, uint8_t vrid,
		    struct vrrp_adv *a);

/*
 * Append the advert *a (family, vrid, prio, naddrs, adver_cs, addrs;
 * version, type and rsvd are written as 3, 1, 0) with its checksum over
 * ph to w.  Returns the bytes written, or VRRP_E_FAMILY, _COUNT,
 * _INTERVAL (0 or > 4095), _BUFSZ (w is left bad).
 */
int		 vrrp_encode(struct wr *w, const struct vrrp_adv *a,
		    const struct vrrp_ph *ph);

/*
 * The Internet checksum of ph + msg[0..len), msg's checksum field
 * included as it is: a message whose field is right sums to 0 here; one
 * whose field is 0 gets the value to write.
 */
uint16_t	 vrrp_csum(const struct vrrp_ph *ph, const uint8_t *msg,
		    size_t len);

/*
 * RFC 5798 5.2.9: in an IPv6 advert the first address is the virtual
 * router's IPv6 link-local address.  Move the first link-local address
 * (fe80::/10) of addrs (n x 16 bytes) to the front, the others keeping
 * their order.  True when addrs now starts with one; false when there
 * is none (keepalived sends such adverts and only notes it, or refuses
 * the instance in its strict mode).
 */
bool		 vrrp_v6_ll_first(uint8_t *addrs, size_t n);

/* "SHORT", "CSUM", ... for 0 ("OK") and every VRRP_E_* code. */
const char	*vrrp_err_name(int err);

#endif /* TANDEM_HA_VRRP_CODEC_H */
