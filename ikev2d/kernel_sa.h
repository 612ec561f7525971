/*
 * ikev2d/kernel_sa.h -- what ikev2d asks of the kernel: Child SAs and
 * their policies, as plain data.
 *
 * The same records feed the XFRM netlink builders (xfrm_msg.c), the
 * netlink edge (xfrm.c) and the recording backend of the exchange tests,
 * and hold everything a takeover must preset: counters, replay window,
 * NAT-T encapsulation, marks and interface ids.
 *
 * Algorithms are named by their IKEv2 transform ids (ike_const.h); the
 * kernel's names are chosen in one table in xfrm_msg.c.
 */
#ifndef IKEV2D_KERNEL_SA_H
#define IKEV2D_KERNEL_SA_H

#include <stdbool.h>
#include <stdint.h>

#define KERNEL_KEY_MAX	68	/* AES-256 + salt, or HMAC-SHA2-512 = 64 */

struct kaddr {
	uint8_t		 family;	/* AF_INET or AF_INET6 */
	uint8_t		 addr[16];	/* network order; v4 in the first 4 */
};

/* A traffic selector as the kernel takes it: one prefix each way. */
struct ksel {
	struct kaddr	 src, dst;
	uint8_t		 src_plen, dst_plen;
	uint8_t		 proto;		/* 0 = any */
	uint16_t	 sport, dport;	/* 0 = any; host order */
};

struct klifetime {
	uint64_t	 soft_bytes, hard_bytes;	/* 0 = unlimited */
	uint64_t	 soft_packets, hard_packets;
	uint64_t	 soft_add_s, hard_add_s;	/* seconds after add */
};

struct kernel_sa {
	struct kaddr	 src, dst;	/* outer addresses */
	uint32_t	 spi;		/* host order */
	uint8_t		 proto;		/* IPPROTO_ESP */
	bool		 tunnel;	/* tunnel mode, else transport */
	uint32_t	 reqid;
	uint16_t	 encr;		/* enum ike_encr */
	uint16_t	 encr_bits;	/* key bits without salt (AES 128/256) */
	uint16_t	 integ;		/* enum ike_integ; NONE for AEAD */
	uint8_t		 enc_key[KERNEL_KEY_MAX];	/* incl. salt for AEAD */
	uint8_t		 enc_key_len;
	uint8_t		 int_key[KERNEL_KEY_MAX];
	uint8_t		 int_key_len;
	bool		 esn;
	uint32_t	 replay_window;	/* packets; 0 for outbound SAs */
	uint64_t	 oseq;		/* last sequence number sent (preset) */
	uint64_t	 seq;		/* highest sequence number received */
	uint32_t	 replay_bitmap;	/* low 32 bits of the window */
	/* Counter events (XFRM_MSG_NEWAE to XFRMNLGRP_AEVENTS) every this
	 * many packets either way: XFRMA_REPLAY_THRESH; 0 = the kernel's
	 * default (net.core.xfrm_aevent_rseqth).  Applies at NEWSA and at
	 * the UPDSA of a larval SPI, not to an UPDSA of a valid SA. */
	uint32_t	 replay_thresh;
	/* An outbound SA new here (its numbers start at 0): the first
	 * sequence lease (sync.lease_packets) its CHILD_UP carries.  While
	 * replicating, kernel_wa.c installs it fenced there (packet limits)
	 * once that event is committed; 0 / not replicating: no fence. */
	uint64_t	 first_lease;
	struct klifetime lft;
	bool		 encap;		/* NAT-T: ESP in UDP (RFC 3948) */
	uint16_t	 encap_sport, encap_dport;	/* host order */
	uint32_t	 if_id;		/* XFRM interface id, 0 = none */
	uint32_t	 mark, mark_mask;
	struct ksel	 sel;		/* optional, zero = any */
};

enum kdir {
	KDIR_IN		= 0,	/* XFRM_POLICY_IN */
	KDIR_OUT	= 1,
	KDIR_FWD	= 2,
};

struct kernel_policy {
	struct ksel	 sel;
	enum kdir	 dir;
	uint32_t	 priority;
	uint32_t	 reqid;
	bool		 tunnel;
	struct kaddr	 tmpl_src, tmpl_dst;	/* tunnel endpoints */
	uint8_t		 proto;			/* IPPROTO_ESP */
	uint32_t	 if_id;
	uint32_t	 mark, mark_mask;
};

#endif
