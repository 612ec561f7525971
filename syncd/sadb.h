/*
 * syncd/sadb.h -- the replicated SA database every node holds (issue 5,
 * item 3).  Pure: no I/O, no clock, no logging; allocation only.
 *
 * Indexes (hash tables, O(1) expected, grown by doubling; sized from the
 * hint given to sadb_new(), e.g. 100000):
 *   IKE SAs     by (SPIi, SPIr)
 *   Child SAs   by inbound SPI   (+ local address: the kernel's (dst, spi))
 *               by outbound SPI  (+ remote address)
 * Bucket hashes are keyed with a per-database random seed.
 *
 * Apply rules (events arrive in CPG agreed order; sync_apply.c calls these):
 *   - A record replaces the one held only if its gen is newer (greater):
 *     an older or equal gen is ignored (SADB_IGN_STALE), so duplicates
 *     are harmless (sa_rec.h).
 *   - IKE_DOWN removes the IKE SA and every Child SA under it.
 *   - CHILD_UP whose IKE SA is not held yet is KEPT as an orphan (counted
 *     in sadb_stats.orphans) and adopted when that IKE SA arrives.  Why:
 *     a snapshot or a reordered producer may send a child first, and
 *     dropping it would lose keys with no way to ask again; a child whose
 *     parent never arrives is still deleted by its own CHILD_DOWN.
 *   - A Child SA's identity is its inbound kernel SA: (proto, spi_in,
 *     local address).  A CHILD_UP with the same identity and a newer gen
 *     replaces the record, and may move it to another IKE SA (IKE rekey
 *     re-parents children).  CHILD_DOWN carries no address: it removes
 *     the child matching (spi_in, spi_out, IKE SPIs).
 *   - Counters (CTR, LEASE, and the sa_ctr inside a newer CHILD_UP) only
 *     move forward: out_end = max, in_top = max; on an equal in_top the
 *     bitmaps are OR-ed (both views saw those packets).
 *   - Deleted and replaced records are wiped (sa_*_wipe / secure_wipe).
 *
 * Return values of the apply functions: 0 applied; a positive SADB_IGN_*
 * when ignored without harm (count it); a negative SADB_E_* on error.
 * sadb_res_name() names each.
 *
 * Digest (for comparing nodes): sum modulo 2^256 of SHA-256 over each
 * record's canonical encoding (the sync wire encoding of IKE_UP /
 * CHILD_UP with seq 0 and flags 0), so it is independent of order and of
 * memory layout, and pairs of equal records cannot cancel as with XOR.
 * Two digests: `set` covers the SA set with keys, message IDs and
 * everything but the ESP counters (which replicate in batches and lag by
 * design), `full` also covers sa_ctr.  Kept up to date (sadb.c): a
 * digest hashes only the records changed since the previous one.
 *
 * Memory: an IKE SA is stored without the 8 KiB response array (the
 * cached response is kept in an allocation of resp_len bytes); a Child SA
 * as struct sa_child.  Lookups of children return a pointer into the
 * database, borrowed until the next change of it; IKE SAs are copied out
 * into caller storage (the caller wipes it: sa_ike_wipe()).
 */
#ifndef SYNCD_SADB_H
#define SYNCD_SADB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tandem/sa_rec.h"
#include "tandem/syncmsg.h"

#define SADB_GROUPS_MAX		32	/* distinct VIP groups counted */
#define SADB_DIGEST_LEN		32

enum sadb_res {
	SADB_OK		= 0,
	SADB_IGN_STALE	= 1,	/* gen older or equal: duplicate or stale */
	SADB_IGN_ABSENT	= 2,	/* delete / update of a record not held */
	SADB_IGN_NOOP	= 3,	/* counter not ahead of the one held */
	SADB_E_NOMEM	= -1,
	SADB_E_INVAL	= -2,	/* record fails its minimum checks */
};

struct sadb;

struct sadb_stats {
	uint64_t	 n_ike;
	uint64_t	 n_child;
	uint64_t	 orphans;	/* children held without their IKE SA */
	uint64_t	 applied;	/* changes made */
	uint64_t	 ignored;	/* SADB_IGN_* returned */
	uint64_t	 bytes;		/* heap held: records + indexes */
};

struct sadb_group_stat {
	char		 group[SA_NAME_MAX];	/* "" = no group */
	uint64_t	 n_ike;
	uint64_t	 n_child;	/* children of this group's IKE SAs */
};

struct sadb_digest {
	uint8_t		 set[SADB_DIGEST_LEN];	/* SAs and keys, no counters */
	uint8_t		 full[SADB_DIGEST_LEN];	/* ... and counters */
	uint64_t	 n_ike, n_child;
};

/* sizing_hint: expected SAs (IKE + Child), 0 = a small default.  NULL on
 * allocation failure. */
struct sadb	*sadb_new(size_t sizing_hint);
/* Free, wiping every record.  NULL is a no-op. */
void		 sadb_free(struct sadb *);
/* Remove (and wipe) every record: a receiver before a bulk resync. */
void		 sadb_clear(struct sadb *);

/* --- apply (delivery order) --------------------------------------------- */
int		 sadb_ike_up(struct sadb *, const struct sa_ike *);
/* gen 0 = unconditional; else removes only a record with gen <= gen. */
int		 sadb_ike_down(struct sadb *, const uint8_t spi_i[SA_SPI_LEN],
		    const uint8_t spi_r[SA_SPI_LEN], uint64_t gen);
/*
 * Message IDs advanced: msgid_send, msgid_recv, peer_window, resp (and
 * gen) of mid are applied when mid->gen is newer than the record's or,
 * with gen 0, when the IDs move forward and are not both equal.
 */
int		 sadb_ike_mid(struct sadb *, const struct sa_ike *mid);
int		 sadb_child_up(struct sadb *, const struct sa_child *);
/* Uses ike_spi_i/r, spi_in, spi_out and gen (0 = unconditional) of c. */
int		 sadb_child_down(struct sadb *, const struct sa_child *c);
/* One counter record (dir OUT: lease end by (spi, remote); IN: replay
 * top by (spi, local)). */
int		 sadb_ctr(struct sadb *, const struct sync_ctr *);
/* A lease extension: out_end = max(out_end, end). */
int		 sadb_lease(struct sadb *, const struct sync_lease *);

/* --- lookups ------------------------------------------------------------ */
bool		 sadb_ike_has(const struct sadb *,
		    const uint8_t spi_i[SA_SPI_LEN],
		    const uint8_t spi_r[SA_SPI_LEN]);
/* Copy an IKE SA into *out (caller wipes).  0, or -1 when absent. */
int		 sadb_ike_get(const struct sadb *,
		    const uint8_t spi_i[SA_SPI_LEN],
		    const uint8_t spi_r[SA_SPI_LEN], struct sa_ike *out);
/* dst NULL: the first child with that SPI. Borrowed pointer, or NULL. */
const struct sa_child *sadb_child_find_in(const struct sadb *,
		    uint32_t spi_in, const struct sa_addr *local);
const struct sa_child *sadb_child_find_out(const struct sadb *,
		    uint32_t spi_out, const struct sa_addr *remote);

/* --- snapshot iteration ------------------------------------------------- */
/*
 * A cursor walks every IKE SA, then every Child SA (so a receiver meets
 * parents first and holds no orphans).  group NULL = all; else only the
 * SAs of that VIP group (a child by its IKE SA's group; orphans only
 * with NULL).  The cursor stays valid only while the database is not
 * changed: resync.c freezes the sender's database for the whole bulk.
 */
enum sadb_item_type {
	SADB_ITEM_END	= 0,
	SADB_ITEM_IKE	= 1,
	SADB_ITEM_CHILD	= 2,
};

struct sadb_cursor {
	int		 phase;		/* internal */
	const void	*next;		/* internal */
	const char	*group;		/* filter, borrowed; NULL = all */
};

struct sadb_item {
	enum sadb_item_type	 type;
	union {
		struct sa_ike	 ike;	/* secrets: wipe after use */
		struct sa_child	 child;
	} u;
};

void		 sadb_cursor_init(const struct sadb *, struct sadb_cursor *,
		    const char *group);
/* Fill *it with the next record (copy: caller wipes); returns it->type,
 * SADB_ITEM_END when done. */
enum sadb_item_type sadb_cursor_next(const struct sadb *,
		    struct sadb_cursor *, struct sadb_item *it);

/* --- status, digest -------------------------------------------------------- */
void		 sadb_get_stats(const struct sadb *, struct sadb_stats *);
/* The highest outbound lease end held by any Child SA (0: none); a walk
 * of the children, for the status. */
uint64_t	 sadb_out_end_max(const struct sadb *);
/* Fills up to max groups; returns the number of groups held (may be >
 * max: the rest did not fit). */
size_t		 sadb_group_stats(const struct sadb *,
		    struct sadb_group_stat *out, size_t max);
/*
 * The sum (mod 2^256) of the SHA-256 of every record's IKE_UP / CHILD_UP
 * encoding (seq 0, no flags; `set`: children without their counters).
 * Kept up to date as records change: a call hashes only the records
 * changed since the last one.  0, or -1 (encoding or hashing failed:
 * should not happen; the next call tries again).
 */
int		 sadb_digest(struct sadb *, struct sadb_digest *);
/*
 * A counter that moves with every call that may change the `set` digest
 * (IKE / Child up, down, message IDs, clear; not counters): equal values
 * mean an equal `set` digest, so a caller may reuse one it computed.
 */
uint64_t	 sadb_set_changes(const struct sadb *);
/* Lower-case hex of a digest into out (2 * SADB_DIGEST_LEN + 1 bytes). */
void		 sadb_digest_hex(const uint8_t d[SADB_DIGEST_LEN], char *out);

const char	*sadb_res_name(int res);

#endif /* SYNCD_SADB_H */
