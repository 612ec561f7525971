/*
 * syncd/cpg.h -- syncd's corosync CPG edge: join the group, multicast in
 * agreed order, dispatch deliveries and configuration changes.
 *
 * What this file knows: libcpg.  What it does not: the sync wire format
 * or the database -- deliveries are handed to the ops as bytes, and the
 * caller (loop.c) decodes and applies them.
 *
 * Flow control: cpg_mcast_joined() answers CS_ERR_TRY_AGAIN when
 * corosync's IPC is full.  sync_cpg_send() then keeps the message in a
 * FIFO (a copy, wiped when freed: UP messages hold keys) and the loop
 * calls sync_cpg_flush() from a short timer until the FIFO is empty;
 * order is kept because nothing is sent directly while the FIFO holds
 * anything.
 *
 * Packing: sync_cpg_pack() appends a message to one outgoing CPG message
 * (up to SYNC_CPG_PACK_MAX bytes) instead of multicasting it alone;
 * sync_cpg_pack_flush() sends the pack (the loop calls it before it
 * blocks, so packing adds no delay).  Corosync's cost is per CPG message
 * (token, crypto, IPC), not per byte: a burst of events and acks then
 * costs one.  A receiver splits a pack by the length each message
 * carries (the caller's format).  sync_cpg_send() flushes the pack first,
 * so order is kept.
 * Ownership: struct sync_cpg is the caller's (embedded); every buffer
 * passed in is borrowed for the call.
 */
#ifndef SYNCD_CPG_H
#define SYNCD_CPG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <corosync/cpg.h>

#define SYNC_CPG_MEMBERS_MAX	32	/* == SYNC_ACK_MAX: nodes */
#define SYNC_CPG_QUEUE_MAX	65536	/* messages held under back-pressure */
#define SYNC_CPG_PACK_MAX	(128 * 1024)	/* bytes in one packed message */

struct sync_cpg_member {
	uint32_t	 nodeid;
	uint32_t	 pid;
};

/* One configuration change, in delivery order with the messages. */
struct sync_cpg_view {
	const struct sync_cpg_member *members, *left, *joined;
	size_t		 nmembers, nleft, njoined;
};

struct sync_cpg_ops {
	/* A message in agreed order, ours included.  buf is borrowed. */
	void	(*deliver)(void *arg, uint32_t nodeid, uint32_t pid,
		    const uint8_t *buf, size_t len);
	void	(*confchg)(void *arg, const struct sync_cpg_view *v);
	/* The totem ring changed: the ring id is the bulk-resync cut. */
	void	(*ring)(void *arg, uint32_t ring_node, uint64_t ring_seq);
	void	*arg;
};

struct sync_cpg_qent {
	struct sync_cpg_qent	*next;
	size_t			 len;
	uint8_t			 buf[];		/* wiped before free */
};

struct sync_cpg {
	cpg_handle_t		 h;
	bool			 open;
	int			 fd;
	uint32_t		 nodeid;	/* ours (cpg_local_get) */
	struct cpg_name		 group;
	struct sync_cpg_ops	 ops;
	struct sync_cpg_qent	*qhead, *qtail;
	size_t			 qlen;
	uint8_t			*pack;		/* SYNC_CPG_PACK_MAX; wiped */
	size_t			 pack_len;
	uint64_t		 packed;	/* messages sent inside packs */
	/* counters for status */
	uint64_t		 sent, send_retries, send_failed, queued_max;
	uint64_t		 delivered, confchgs;
	uint32_t		 ring_node;
	uint64_t		 ring_seq;
};

/*
 * Connect to corosync, join group and learn our node id.  Returns 0, or
 * -1 with the reason in why (corosync not running, group too long, ...).
 */
int	 sync_cpg_open(struct sync_cpg *, const char *group,
	    const struct sync_cpg_ops *ops, char *why, size_t whylen);
/* Leave and disconnect; drops (and wipes) anything still queued. */
void	 sync_cpg_close(struct sync_cpg *);
/* The fd to watch for reading; call sync_cpg_dispatch() when ready. */
int	 sync_cpg_fd(const struct sync_cpg *);
/* Run the callbacks for what corosync has; 0, or -1 (corosync gone). */
int	 sync_cpg_dispatch(struct sync_cpg *);
/*
 * Multicast buf (agreed order), or queue a copy under back-pressure.
 * 0 (sent or queued), -1 (queue full or a hard error: counted).
 */
int	 sync_cpg_send(struct sync_cpg *, const uint8_t *buf, size_t len);
/* Append buf to the pack (flushing it first when full; a message over
 * the pack's size goes alone).  0, or -1 as sync_cpg_send(). */
int	 sync_cpg_pack(struct sync_cpg *, const uint8_t *buf, size_t len);
/* Multicast the pack, if any (or queue it); 0, or -1 as above. */
int	 sync_cpg_pack_flush(struct sync_cpg *);
/* Send what is queued; 0 when the queue is now empty, 1 when corosync
 * still pushes back, -1 on a hard error. */
int	 sync_cpg_flush(struct sync_cpg *);
size_t	 sync_cpg_queued(const struct sync_cpg *);

#endif /* SYNCD_CPG_H */
