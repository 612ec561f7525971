/*
 * syncd/aevent.h -- ESP counters from the kernel (issue 5, item 4, the
 * edge part): a netlink socket on XFRMNLGRP_AEVENTS and XFRMNLGRP_EXPIRE.
 *
 *   NEWAE / EXPIRE --xfrm_parse_ae()--> which SA? (sadb: by inbound SPI +
 *   local address, or outbound SPI + remote address)
 *     inbound:  replay top --> ctr_batch (coalesced) --> SYNC_CTR (IN)
 *     outbound: oseq --> ctr_out_observe() --> SYNC_LEASE (wal seq) -->
 *               committed --> ctr_out_commit() --> fence
 *
 * The fence (DESIGN guarantee 1: the kernel itself stops at the lease
 * end).  When a lease end is committed (every other member holds it),
 * the owner's outbound SA is updated (XFRM_MSG_UPDSA: the kernel copies
 * the new lifetimes into the live state and clears its dying flag; the
 * message must carry the whole SA, keys from the sadb included, and is
 * wiped after sending) with packet limits from lease_kernel_fence()
 * (replay.h: packets are counted since install, hence the SA's base,
 * oseq - packets of the kernel's reports):
 *   hard = end - base: the kernel refuses the packet that would carry
 *          end + 1 and deletes the SA (XFRM EXPIRE hard);
 *   soft = hard - lease/4: an XFRM EXPIRE (soft) while a quarter of the
 *          lease is left, which asks for the next extension (ikev2d
 *          ignores it: below its own rekey limits, ike_core.h).
 * The child's own packet limits stay in force where lower.  Under normal
 * load the extension commits long before the soft margin is used up (a
 * CPG round trip against a quarter lease of packets); a hard EXPIRE of a
 * fenced outbound SA means the cluster could not commit a lease in time
 * (corosync gone, a member not acking): it is logged as an error and
 * counted (fence_hard_expires) -- the right failure: the SA stops rather
 * than send numbers no other member knows of.  A fence that cannot be
 * programmed (UPDSA refused, or the kernel already past the end) is
 * counted in fence_failures and logged.
 *
 * Requests (GETAE, UPDSA) go over a second, blocking netlink socket with
 * a 1 s timeout, one at a time: a fence per lease extension, a GETAE per
 * Child SA this node installs.
 *
 * Outbound SAs are tracked from the first observation (our own
 * CHILD_UP multicast: GETAE at once; else the first async event): a
 * table of (spi, dst) -> struct ctr_out whose acknowledged end starts at
 * what the sadb holds (the first lease rides in a new SA's CHILD_UP,
 * loop.c) or the oseq then seen.  Nothing assumes the SA was negotiated
 * here: an SA a takeover installed (oseq = the lease end it resumes at)
 * is followed and fenced the same way from its first report; until its
 * first extension commits it is not fenced (the standby's end equals
 * its install oseq, so no fence could let it send).  Entries go with
 * the SA's CHILD_DOWN or its hard expire.  Nothing here multicasts: the
 * ops do (loop.c).
 *
 * The first fence: while it replicates, ikev2d installs a new outbound
 * SA only once its CHILD_UP (and so its first lease) is committed, with
 * the packet limits of that lease (ikev2d/kernel_wa.c, the same
 * lease_kernel_fence()): fenced from its first packet.  The GETAE at
 * multicast (aevent_child_up()) then usually finds nothing yet; this
 * syncd follows the SA from its first async event (every
 * sync.aevent_replay_threshold packets, at most half a lease, which
 * ikev2d sets per SA) and programs the same fence again.  A takeover's
 * install still needs a lease committed before it.  XXX(issue 5)
 */
#ifndef SYNCD_AEVENT_H
#define SYNCD_AEVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tandem/log.h"
#include "tandem/syncmsg.h"
#include "ctr_batch.h"

struct sadb;
struct mnl_socket;

struct aevent_ops {
	/* Multicast a LEASE; the wal seq it went out with, 0 on failure. */
	uint64_t (*lease)(void *arg, const struct sync_lease *l);
	/* Multicast a CTR batch; 0 or -1. */
	int	 (*ctr)(void *arg, const struct sync_ctr_batch *b);
	void	*arg;
};

struct ae_out {
	uint32_t	 spi;
	struct sa_addr	 dst;
	struct ctr_out	 co;
};

struct aevent {
	struct mnl_socket *nl;
	struct aevent_ops ops;
	struct ctr_batch in;
	struct ae_out	*out;
	size_t		 nout, cap;
	uint64_t	 lease_packets;
	/* counters */
	uint64_t	 events, expires, parse_errors, unknown_sa;
	uint64_t	 in_records, ctr_sent, out_observed;
	uint64_t	 leases_asked, leases_committed;
	uint64_t	 fences_programmed, fence_failures, fence_hard_expires;
	uint64_t	 fence_soft_expires, unfenced_first;
	uint64_t	 read_errors;
	/* requests to the kernel (GETAE, UPDSA) */
	struct mnl_socket *req;
	uint32_t	 req_seq;
	struct log_rate	 rl_fence;
};

/* Open and join the groups.  0, or -1 with errno (logged by the caller). */
int	 aevent_open(struct aevent *, const struct aevent_ops *ops,
	    uint32_t lease_packets, uint32_t batch_n, uint32_t batch_ms);
void	 aevent_close(struct aevent *);
int	 aevent_fd(const struct aevent *);
/* Read what the socket has; 0, or -1 when the socket broke. */
int	 aevent_read(struct aevent *, const struct sadb *db, uint64_t now_ms);
/* Send the inbound batch if due (call from a timer too). */
void	 aevent_flush(struct aevent *, uint64_t now_ms, bool force);
/* UINT64_MAX when nothing waits. */
uint64_t aevent_deadline(const struct aevent *);
/* The write-ahead commit point moved (our wal seqs <= commit): fence
 * the kernel at every lease end now committed (keys from db). */
void	 aevent_commit(struct aevent *, const struct sadb *db,
	    uint64_t commit);
/* Our own CHILD_UP (c: the record as multicast, keys included): if its
 * outbound SA is in this kernel already, start following it now (GETAE)
 * and fence it at the first lease the record carries -- held by every
 * member that will ever hold the SA -- rather than wait for traffic.
 * Called as the record goes out: the SA is there when ikev2d installed
 * it before reporting it (not replicating then: re-sent on reconnect);
 * else its first async event does it (ikev2d installs a new SA once its
 * CHILD_UP commits, so asking again as the record comes back -- before
 * it can commit -- would find nothing either).  One GETAE per CHILD_UP. */
void	 aevent_child_up(struct aevent *, const struct sadb *db,
	    const struct sa_child *c);
/* A CHILD_DOWN was delivered: stop following its outbound SA (a new
 * SA that ever reuses the SPI starts afresh). */
void	 aevent_child_down(struct aevent *, const struct sa_child *c);
/* A configuration change: leases in flight may be lost, ask again. */
void	 aevent_confchg(struct aevent *);

#endif /* SYNCD_AEVENT_H */
