/*
 * ikev2d/child_sa.h -- Child SAs: the table (by SPI, by uid, per IKE SA),
 * installation into the kernel through struct kernel_ops, lifetimes.
 *
 * A Child SA is owned by its IKE SA (list sa->children) and moves to the
 * new IKE SA when that one is rekeyed (RFC 7296 2.18).  Its keys are held
 * as child_keys (wiped on free) for the replicated record.
 *
 * Kernel layout, per Child SA: an inbound SA (dst = us, spi_in), an
 * outbound SA (dst = peer, spi_out), and for each (local prefix, remote
 * prefix) pair policies out/in/fwd bound to the reqid.  A rekey keeps
 * the reqid, so the policies stay and only the SAs are replaced: new SAs
 * are installed before the old ones are deleted, and traffic never hits a
 * policy without an SA.
 */
#ifndef IKEV2D_CHILD_SA_H
#define IKEV2D_CHILD_SA_H

#include <stdbool.h>
#include <stdint.h>

#include "ike_sa.h"

enum child_state {
	CHILD_S_INSTALLED = 0,
	CHILD_S_REKEYING,	/* our CREATE_CHILD_SA rekey is out */
	CHILD_S_REKEYED,	/* replaced; its delete is on the way */
	CHILD_S_DELETING,	/* our delete is out */
	CHILD_S_MAX
};

struct child_sa {
	struct child_sa	*next;
	struct ike_sa	*ike;
	struct child_sa	*h_reqid;	/* ike_sa_tab.c's reqid chain */
	bool		 filed;		/* on it */
	uint32_t	 uid;
	enum child_state state;
	char		 name[CFG_NAME_MAX];
	uint32_t	 spi_in, spi_out, reqid;
	bool		 initiator;	/* of the exchange that made it */
	bool		 owns_policies;	/* installed them (first of reqid) */
	struct ike_chosen esp;
	struct crypto_suite suite;
	struct child_keys keys;
	struct ike_ts_pld ts_local, ts_remote;
	uint32_t	 replay_window;
	uint64_t	 installed_ms, rekey_ms, expire_ms;
	/* 2.8.1: the peer rekeyed us while we were rekeying. */
	uint32_t	 peer_new_uid;
	uint8_t		 peer_nmin[IKE_NONCE_MAX];
	size_t		 peer_nmin_len;
	/*
	 * Imported from a replicated record (ike_takeover.c): standby
	 * while its group is (not in the kernel, no timers); ctr holds the
	 * replicated counters, oseq the outbound sequence number to install
	 * (the lease end), rec_flags the record's SA_CHILD_* (ESN and ESP in
	 * UDP as the old master had them).
	 */
	bool		 imported, standby;
	uint64_t	 gen;
	struct sa_ctr	 ctr;
	uint64_t	 oseq;
	uint8_t		 rec_flags;
	/*
	 * Parked (ike_park.c): a standby copy whose SAs are in the kernel
	 * already, with these counters and at these addresses; park_want:
	 * queued to be parked (ike_core_park_step()).
	 * moved: the core's live tick when its counters last moved (the
	 * busiest go first at a takeover).
	 */
	bool		 parked, park_want, park_pol;
	struct child_sa	*pk_next, **pk_pprev;	/* on c->park_q if want */
	bool		 resume_emit;	/* resumed: its CHILD_UP is due */
	bool		 park_encap;
	uint64_t	 park_oseq, park_in_top;
	uint32_t	 park_in_bitmap;
	struct sa_addr	 park_local, park_remote;
	uint64_t	 moved;
};

/* SPIs a kernel batch reported failed (ike_takeover.c, ike_park.c). */
struct spi_list {
	uint32_t	*spi;
	size_t		 n, cap;
	bool		 oom;		/* some could not be noted */
};

/* batch_end's sa_failed callback: arg is a struct spi_list. */
void		 spi_list_note(void *arg, uint32_t spi);

#define KDIRS_ALL	((1u << KDIR_IN) | (1u << KDIR_OUT) | (1u << KDIR_FWD))
#define KDIRS_IN_FWD	((1u << KDIR_IN) | (1u << KDIR_FWD))

const char	*child_state_name(unsigned int);

/*
 * Derive keys (Ni/Nr of the creating exchange, gir for PFS or NULL),
 * install inbound + outbound SAs and, unless a Child SA with that reqid
 * already has them, the policies; link into ike.  Returns the Child SA or
 * NULL (nothing left in the kernel, the inbound SPI released).
 */
struct child_sa	*child_sa_install(struct ike_sa *ike, const char *name,
		    bool initiator, const struct ike_chosen *esp,
		    uint32_t spi_in, uint32_t spi_out, uint32_t reqid,
		    const struct ike_ts_pld *tsl, const struct ike_ts_pld *tsr,
		    const struct ike_nonces *n, const struct secbuf *gir,
		    uint64_t now);
/*
 * Put ch's inbound and outbound SAs into the kernel (the counters of a
 * takeover preset: ch->oseq, ch->ctr), then the policies unless another
 * installed Child SA of the reqid has them (ch->owns_policies says which:
 * owns -1 finds out by a walk of the core, 0 / 1 is the caller's answer,
 * for a takeover that installs thousands).  The one install path of
 * fresh and resumed Child SAs.  0, or -1 with the outbound SA and the
 * policies removed again; the inbound SA (or its larval SPI) is the
 * caller's to release.
 */
int		 child_sa_kernel_add(struct child_sa *ch, int owns);
/* The kernel's view of ch's inbound or outbound SA (keys included:
 * wipe it). */
void		 child_sa_ksa(const struct child_sa *ch, bool in,
		    struct kernel_sa *k);
/* Add or remove ch's policies of the directions in dirs (KDIRS_*). */
int		 child_sa_policies(struct child_sa *ch, bool add,
		    unsigned int dirs);
/*
 * Remove ch's two SAs from the kernel, and its policies too if
 * with_policies (the caller decided no other Child SA needs them: a
 * group going standby, ike_takeover.c).  ch stays in the core.
 */
void		 child_sa_kernel_del(struct child_sa *ch, bool with_policies);
/*
 * Remove from the kernel (SAs; policies when no other Child SA of the
 * core uses the reqid), emit CHILD_DOWN unless quiet, unlink and free.
 */
void		 child_sa_delete(struct child_sa *, bool quiet);
/* Free without kernel ops or events (core shutdown). */
void		 child_sa_free(struct child_sa *);
/* Link into ike's list (counted in the stats). */
void		 child_sa_link(struct ike_sa *ike, struct child_sa *ch);
struct child_sa	*child_sa_by_uid(struct ike_core *, uint32_t uid);
struct child_sa	*child_sa_by_spi_in(struct ike_sa *, uint32_t spi);
struct child_sa	*child_sa_by_spi_out(struct ike_sa *, uint32_t spi);
struct child_sa	*child_sa_core_by_spi(struct ike_core *, uint32_t spi);
void		 child_sa_rec(const struct child_sa *, struct sa_child *r,
		    bool with_keys);
void		 child_sa_emit(struct child_sa *, enum ike_ev_type,
		    const struct child_sa *old);
/* Allocate an inbound SPI through the kernel ops; 0 on failure. */
uint32_t	 child_sa_alloc_spi(struct ike_sa *, uint32_t reqid);
void		 child_sa_release_spi(struct ike_sa *, uint32_t spi);
uint32_t	 child_sa_reqid(struct ike_sa *, const struct cfg_child *);
/*
 * Call fn for every kernel policy (in/out/fwd per local x remote prefix)
 * a Child SA of child config cc with these selectors, reqid and tunnel
 * endpoints has; also builds trap policies (trap.c).  Returns 0, or -1
 * if any fn call returned non-zero (all are called).
 */
int		 child_policies_each(const struct cfg_child *cc,
		    const struct ike_ts_pld *tsl, const struct ike_ts_pld *tsr,
		    uint32_t reqid, const struct sa_addr *local,
		    const struct sa_addr *remote,
		    int (*fn)(void *arg, const struct kernel_policy *p),
		    void *arg);
/* Soft / hard deadlines; the earliest of a list. */
uint64_t	 child_sa_deadline(const struct child_sa *);
/* Expire timers due at now: soft queues a rekey, hard deletes. */
void		 child_sa_tick(struct child_sa *, uint64_t now);

/* --- ike_park.c: standby copies kept in the kernel ------------------- */

bool		 park_enabled(const struct ike_core *);
/* Put a standby copy's SAs (and, if no other parked copy did, its
 * reqid's inbound and forward policies) into the kernel. */
void		 child_park(struct child_sa *ch);
/* Queue it for ike_core_park_step() (or forget that it was queued). */
void		 child_park_queue(struct child_sa *ch, bool want);
/* Take them out again (a parked copy deleted, replaced or dropped). */
void		 child_unpark(struct child_sa *ch);
/* ch replaces old (same SPIs, newer record): ch takes over what old
 * parked if the kernel's view is unchanged, else old is unparked. */
void		 child_park_adopt(struct child_sa *ch, struct child_sa *old);
/* The counters of a parked copy moved (a live counter update). */
void		 child_park_moved(struct child_sa *ch);
/* Its IKE SA was replaced: park again if the addresses changed. */
void		 child_park_refresh(struct child_sa *ch);
/* Parked, and still what the kernel should have. */
bool		 child_park_usable(const struct child_sa *ch);
/* Activation of a parked copy: ch->oseq chosen by the caller (the
 * lease rule, at least ch->park_oseq); preset what moved (counted in
 * *presets), add the policies of dirs (the caller's ownership rule).
 * -1 when a synchronous request failed: drop the Child SA. */
int		 child_park_resume(struct child_sa *ch, unsigned int dirs,
		    uint32_t *presets);
void		 park_free(struct ike_core *);


#endif /* IKEV2D_CHILD_SA_H */
