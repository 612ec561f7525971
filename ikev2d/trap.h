/*
 * ikev2d/trap.h -- start_action = trap: trap policies and what the core
 * does when the kernel acquires an SA for one (RFC 4301 5.2's "on demand"
 * keying).
 *
 * A trap is the set of in/out/fwd policies a child config would have
 * (its configured selectors, the connection's addresses as tunnel
 * endpoints) bound to a reqid with no SA behind it: the first packet that
 * matches makes the kernel send XFRM_MSG_ACQUIRE for that reqid, and
 * ike_core_kernel_acquire() initiates the child.  The real Child SA gets
 * the trap's reqid and installs its own policies over the trap's (XFRM
 * UPDPOLICY, same selectors); when it goes without a successor, the trap
 * policies are put back (trap_restore()) so the next packet acquires
 * again.  A reload drops the traps whose child is gone or no longer trap.
 *
 * Ownership: the core owns its traps (c->traps) and each trap its policy
 * copies, so a trap can be removed after its config is gone.
 */
#ifndef IKEV2D_TRAP_H
#define IKEV2D_TRAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike_sa.h"

struct child_sa;

struct ike_trap {
	char			 conn[CFG_NAME_MAX];
	char			 child[CFG_NAME_MAX];
	uint32_t		 reqid;
	struct kernel_policy	*pol;		/* as installed, owned */
	size_t			 npol;
};

/* Install the traps of every start_action = trap child that has none;
 * returns how many were installed. */
int	 trap_install_all(struct ike_core *);
/* Remove the traps whose child is gone from c->cfg or no longer trap
 * (their policies too, unless a Child SA holds that reqid). */
void	 trap_prune(struct ike_core *);
/* Forget every trap without kernel ops (core shutdown). */
void	 trap_free_all(struct ike_core *);
const struct ike_trap *trap_by_reqid(const struct ike_core *, uint32_t reqid);
const struct ike_trap *trap_by_name(const struct ike_core *, const char *conn,
	    const char *child);
/*
 * ch, the last Child SA of its reqid, is going: put the trap policies of
 * that reqid back over ch's and remove those of ch's that the trap does
 * not have.  Returns 0, or -1 if there is no trap for the reqid (the
 * caller then removes ch's policies itself).
 */
int	 trap_restore(struct ike_core *, const struct child_sa *ch);

#endif /* IKEV2D_TRAP_H */
