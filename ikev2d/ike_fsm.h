/*
 * ikev2d/ike_fsm.h -- the IKE SA state machine (STYLE P3): an enum, one
 * pure step function, names.  The exchange handlers (exch_*.c) decide
 * *what* happened; ike_fsm_step() decides which state follows and which
 * actions the core runs (ike_core.c runs them and logs "a -> b (event)").
 *
 *  initiator                          responder
 *  ---------                          ---------
 *  (new) --SEND_INIT--> INIT_SENT     (new) --INIT_DONE--> HALF_OPEN
 *  INIT_SENT --INIT_OK--> AUTH_SENT   HALF_OPEN --AUTH_OK--> ESTABLISHED
 *  AUTH_SENT --AUTH_OK--> ESTABLISHED
 *
 *  ESTABLISHED --REKEY_START--> REKEYING --REKEY_FAIL--> ESTABLISHED
 *  ESTABLISHED, REKEYING --REKEYED--> REKEYED   (replaced by a new SA;
 *                                                children moved away)
 *  ESTABLISHED, REKEYING, REKEYED --DELETE_START--> DELETING
 *  any --PEER_DELETE / DELETE_DONE / AUTH_FAIL / TIMEOUT--> CLOSED
 *
 * An IKE SA made by a rekey (2.18) is born ESTABLISHED.  CLOSED SAs are
 * freed by the core once the step says IKE_ACT_FREE.
 */
#ifndef IKEV2D_IKE_FSM_H
#define IKEV2D_IKE_FSM_H

#include <stdbool.h>

enum ike_state {
	IKE_S_NEW = 0,
	IKE_S_INIT_SENT,	/* initiator: IKE_SA_INIT request out */
	IKE_S_HALF_OPEN,	/* responder: IKE_SA_INIT answered */
	IKE_S_AUTH_SENT,	/* initiator: IKE_AUTH request out */
	IKE_S_ESTABLISHED,
	IKE_S_REKEYING,		/* our IKE rekey request is out */
	IKE_S_REKEYED,		/* replaced; waiting for its delete */
	IKE_S_DELETING,		/* our delete request is out */
	IKE_S_CLOSED,
	IKE_S_MAX		/* keep last */
};

enum ike_fsm_ev {
	IKE_FEV_SEND_INIT = 0,
	IKE_FEV_INIT_DONE,	/* responder answered IKE_SA_INIT */
	IKE_FEV_INIT_OK,	/* initiator: good response, AUTH sent */
	IKE_FEV_AUTH_OK,
	IKE_FEV_AUTH_FAIL,	/* also: negotiation failed before UP */
	IKE_FEV_REKEY_START,
	IKE_FEV_REKEY_FAIL,
	IKE_FEV_REKEYED,
	IKE_FEV_DELETE_START,
	IKE_FEV_DELETE_DONE,	/* our delete was answered */
	IKE_FEV_PEER_DELETE,	/* the peer deleted the IKE SA */
	IKE_FEV_TIMEOUT,	/* retransmits exhausted, half-open expiry */
	IKE_FEV_MAX		/* keep last */
};

#define IKE_ACT_UP	0x01	/* emit IKE_UP, log established */
#define IKE_ACT_DOWN	0x02	/* remove children, emit IKE_DOWN */
#define IKE_ACT_FREE	0x04	/* unlink and free the SA */

struct ike_fsm_out {
	enum ike_state	 next;
	unsigned int	 act;		/* IKE_ACT_* */
	bool		 ok;		/* false: event not valid in cur */
};

/* Pure: no I/O, no clock, no globals. */
struct ike_fsm_out ike_fsm_step(enum ike_state cur, enum ike_fsm_ev ev);
const char	*ike_state_name(unsigned int);
const char	*ike_fsm_ev_name(unsigned int);
/* States in which the SA is up (keys usable, children may exist). */
bool		 ike_state_up(enum ike_state);

#endif /* IKEV2D_IKE_FSM_H */
