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
 * The fence (programming hard/soft packet limits with XFRM_MSG_UPDSA on
 * the owner's outbound SA once a lease extension is committed) is NOT
 * wired yet: fences are computed and counted (fences_due) but the kernel
 * is not told, so today the outbound bound relies on the lease being
 * extended ahead of need (lease_packets / low water) rather than on the
 * kernel stopping at the lease end.  XXX(issue 5).
 *
 * Outbound SAs are tracked from the first observation: a table of
 * (spi, dst) -> struct ctr_out, whose first lease starts at the oseq then
 * seen.  Nothing here multicasts: the ops do (loop.c).
 */
#ifndef SYNCD_AEVENT_H
#define SYNCD_AEVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
	uint64_t	 leases_asked, leases_committed, fences_due;
	uint64_t	 read_errors;
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
/* The write-ahead commit point moved (our wal seqs <= commit). */
void	 aevent_commit(struct aevent *, uint64_t commit);
/* A configuration change: leases in flight may be lost, ask again. */
void	 aevent_confchg(struct aevent *);

#endif /* SYNCD_AEVENT_H */
