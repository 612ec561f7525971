/*
 * include/tandem/replay.h -- ESP sequence numbers across a takeover: the
 * receiver's replay window (RFC 4303 3.4.3, Appendix A), ESN high-bit
 * inference, and the outbound sequence lease (DESIGN, guarantee 1).
 * Pure functions of their inputs; table-tested in test/unit/test_replay.c.
 *
 * The outbound lease.  The node that owns an outbound SA may send
 * sequence numbers up to lease `end`, and `end` is only ever raised after
 * every other member of the cluster has acknowledged the new value.  The
 * kernel is fenced to the lease with a packet-count hard lifetime: an SA
 * installed with oseq0 (the last number already sent) and hard packet
 * limit  end - oseq0  can send at most numbers oseq0+1 .. end (in the
 * kernel's own terms, lease_kernel_fence() below).  Extending
 * the lease raises the limit (XFRM_MSG_UPDSA takes new lifetimes); the
 * soft limit, `low_water` packets below the fence, makes the kernel send
 * an EXPIRE that asks for an extension before the fence is reached.
 *
 * Claim (the outbound bound): at every instant, every sequence number the
 * owner's kernel has sent is <= the `end` every other member holds.
 * Proof: the kernel sends n <= oseq0 + hard = end_local (the fence), and
 * end_local is set only from an acknowledged value, so end_local <=
 * end_acked <= the end each member holds (members apply lease records in
 * agreed order and a member's value never decreases).  A takeover
 * therefore installs oseq = end (lease_takeover_oseq): the first number
 * the new owner sends is end + 1, which no kernel has sent -- no (key,
 * nonce) pair is reused.  The skip is at most `size` + `low_water`
 * numbers, far below any replay window's concern (peers accept forward
 * jumps), and below 2^32 - window, the limit ESN inference imposes.
 *
 * The inbound bound.  The replicated receive top lags the kernel's by at
 * most rseqth packets or etime ms (XFRM async event thresholds): after a
 * takeover, at most that many already-received packets could be replayed
 * once.  replay_takeover() installs the replicated top with every bit of
 * the window set, so nothing at or below it is accepted again.
 */
#ifndef TANDEM_REPLAY_H
#define TANDEM_REPLAY_H

#include <stdbool.h>
#include <stdint.h>

#define REPLAY_WINDOW_MAX	4096	/* bits; the kernel's XFRMA limit */
#define SEQ_32_MAX		UINT32_MAX

enum replay_verdict {
	REPLAY_OK,		/* new: accept after the ICV checks */
	REPLAY_DUP,		/* seen already */
	REPLAY_OLD,		/* left of the window, or 0 */
};

struct replay_win {
	uint64_t	 top;		/* highest accepted, 0 = none yet */
	uint32_t	 size;		/* window in packets, 1..4096 */
	uint64_t	 bits[REPLAY_WINDOW_MAX / 64];	/* bit i: top - i seen */
};

/* size is clamped to 1..REPLAY_WINDOW_MAX. */
void			 replay_init(struct replay_win *w, uint32_t size);
/* Pure: *w is not modified.  seq is the full (ESN) number. */
enum replay_verdict	 replay_check(const struct replay_win *w, uint64_t seq);
/* Call only after the ICV verified (RFC 4303 3.4.3). */
void			 replay_accept(struct replay_win *w, uint64_t seq);
/* Takeover: a window at top with every slot marked seen. */
void			 replay_takeover(struct replay_win *w, uint32_t size,
			    uint64_t top);
const char		*replay_verdict_name(enum replay_verdict);

/*
 * RFC 4303 Appendix A2.2: the full 64-bit number a receiver with window
 * (top, size) infers for a packet carrying the low 32 bits seq_lo.
 */
uint64_t		 esn_infer(uint64_t top, uint32_t size, uint32_t seq_lo);

/* Owners ask for an extension when a quarter of a lease is left (syncd's
 * lease_init() low_water, and the first fence ikev2d installs with). */
#define LEASE_LOW_WATER_DIV	4

struct seq_lease {
	uint64_t	 oseq0;		/* last number sent when installed here */
	uint64_t	 end;		/* acknowledged lease end */
	uint64_t	 size;		/* packets added per extension */
	uint64_t	 low_water;	/* extend when fewer remain */
	bool		 esn;		/* 64-bit numbers; else 32-bit */
};

/*
 * Start a lease for an SA whose last sent number is oseq0.  The first
 * lease end is oseq0 + size (to be replicated and acknowledged before the
 * SA is installed).  Returns false if the SA is out of numbers.
 */
bool		 lease_init(struct seq_lease *l, uint64_t oseq0, uint64_t size,
		    uint64_t low_water, bool esn);
/* Should the owner ask for an extension, given the kernel's oseq? */
bool		 lease_should_extend(const struct seq_lease *l, uint64_t oseq);
/* The end to ask for: one `size` past the current end, capped at the
 * number space (2^32 - 1 without ESN).  Equal to end when exhausted. */
uint64_t	 lease_next_end(const struct seq_lease *l);
/* Apply an acknowledged end; never moves backwards.  */
void		 lease_ack(struct seq_lease *l, uint64_t end);
/*
 * Kernel fence for an SA installed with l->oseq0: hard and soft packet
 * limits.  0 means no lease is held yet: the SA must not be installed
 * (0 in struct klifetime would mean "unlimited").
 */
uint64_t	 lease_hard_packets(const struct seq_lease *l);
uint64_t	 lease_soft_packets(const struct seq_lease *l);
/* The oseq a new owner installs: the acknowledged end. */
uint64_t	 lease_takeover_oseq(uint64_t acked_end);

/*
 * The fence in the kernel's terms.  XFRM packet lifetimes count packets
 * since the SA was added (curlft.packets), not sequence numbers.  For each
 * packet it sends the kernel, under the state's lock, refuses it if
 * packets >= hard_packet_limit (xfrm_state_check_expire: the SA is then
 * expired and deleted), else raises oseq (replay overflow check) and then
 * packets, by one each.  So
 *
 *     base = oseq - packets
 *
 * is a constant of the SA: the oseq it was installed with (0 for a fresh
 * SA, the lease end a takeover installs, whatever a restart finds), in
 * 64-bit ESN terms when the SA has ESN (oseq_hi << 32 | oseq).
 *
 * Claim: with hard = end - base the kernel never sends a number above
 * end.  Proof: it sends only while packets < hard, so its last packet
 * has packets = hard and carries oseq = base + hard = end.  A report of
 * (oseq, packets) taken between the two increments (an async event sent
 * from the output path sees oseq already raised) gives base + 1: reports
 * never under-estimate base, and an over-estimate only tightens the
 * fence (the SA stops one short).  So the edge keeps the largest base
 * reported (lease_kernel_base()).  A base that grows (someone presets a
 * live SA's oseq with NEWAE) is caught by the next report, and the fence
 * is then programmed again.
 *
 * soft = hard - low_water: the kernel's soft EXPIRE asks for the next
 * extension while low_water numbers are left.  The child's own packet
 * lifetimes (rekey/life, also counted since install) are kept where they
 * are lower: a fence never loosens the configuration.
 */
enum lease_fence {
	LEASE_FENCE_OK = 0,	/* program *out */
	LEASE_FENCE_NONE,	/* no lease beyond base: nothing to program */
	LEASE_FENCE_BEHIND,	/* the kernel already counted hard packets:
				 * programming it would delete the SA */
};

struct lease_klimits {
	uint64_t	 hard_packets;	/* > 0: the kernel reads 0 as "none" */
	uint64_t	 soft_packets;	/* 1 .. hard_packets */
};

/*
 * A report (oseq, packets) of one SA: its base into *base, raised only
 * (the largest report wins, see above).  False when the report is
 * impossible (more packets than numbers) and *base is left alone.
 */
bool		 lease_kernel_base(uint64_t oseq, uint64_t packets,
		    uint64_t *base);
/*
 * Limits fencing the kernel at the lease's acknowledged end, for an SA
 * whose base is `base` and that has counted `packets_now` packets;
 * cfg_soft / cfg_hard are the child's own packet limits (0 = none).
 */
enum lease_fence lease_kernel_fence(const struct seq_lease *l, uint64_t base,
		    uint64_t packets_now, uint64_t cfg_soft, uint64_t cfg_hard,
		    struct lease_klimits *out);
const char	*lease_fence_name(enum lease_fence);

#endif
