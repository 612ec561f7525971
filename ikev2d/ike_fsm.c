/*
 * ikev2d/ike_fsm.c -- the IKE SA state machine; see ike_fsm.h for the
 * picture.  Pure.
 */
#include "tandem/util.h"
#include "ike_fsm.h"

static const char *const state_names[] = {
	[IKE_S_NEW]		= "NEW",
	[IKE_S_INIT_SENT]	= "INIT_SENT",
	[IKE_S_HALF_OPEN]	= "HALF_OPEN",
	[IKE_S_AUTH_SENT]	= "AUTH_SENT",
	[IKE_S_ESTABLISHED]	= "ESTABLISHED",
	[IKE_S_REKEYING]	= "REKEYING",
	[IKE_S_REKEYED]		= "REKEYED",
	[IKE_S_DELETING]	= "DELETING",
	[IKE_S_CLOSED]		= "CLOSED",
};
_Static_assert(nitems(state_names) == IKE_S_MAX, "name per state");

static const char *const ev_names[] = {
	[IKE_FEV_SEND_INIT]	= "send-init",
	[IKE_FEV_INIT_DONE]	= "init-answered",
	[IKE_FEV_INIT_OK]	= "init-ok",
	[IKE_FEV_AUTH_OK]	= "auth-ok",
	[IKE_FEV_AUTH_FAIL]	= "auth-failed",
	[IKE_FEV_REKEY_START]	= "rekey-start",
	[IKE_FEV_REKEY_FAIL]	= "rekey-failed",
	[IKE_FEV_REKEYED]	= "rekeyed",
	[IKE_FEV_DELETE_START]	= "delete-start",
	[IKE_FEV_DELETE_DONE]	= "delete-done",
	[IKE_FEV_PEER_DELETE]	= "peer-delete",
	[IKE_FEV_TIMEOUT]	= "timeout",
};
_Static_assert(nitems(ev_names) == IKE_FEV_MAX, "name per event");

const char *
ike_state_name(unsigned int s)
{
	return s < nitems(state_names) ? state_names[s] : "UNKNOWN";
}

const char *
ike_fsm_ev_name(unsigned int e)
{
	return e < nitems(ev_names) ? ev_names[e] : "UNKNOWN";
}

bool
ike_state_up(enum ike_state s)
{
	return s == IKE_S_ESTABLISHED || s == IKE_S_REKEYING ||
	    s == IKE_S_REKEYED || s == IKE_S_DELETING;
}

struct ike_fsm_out
ike_fsm_step(enum ike_state cur, enum ike_fsm_ev ev)
{
	struct ike_fsm_out	 o = { cur, 0, false };

	switch (ev) {
	case IKE_FEV_SEND_INIT:
		if (cur == IKE_S_NEW || cur == IKE_S_INIT_SENT)
			o.next = IKE_S_INIT_SENT;	/* cookie, KE retry */
		break;
	case IKE_FEV_INIT_DONE:
		if (cur == IKE_S_NEW)
			o.next = IKE_S_HALF_OPEN;
		break;
	case IKE_FEV_INIT_OK:
		if (cur == IKE_S_INIT_SENT)
			o.next = IKE_S_AUTH_SENT;
		break;
	case IKE_FEV_AUTH_OK:
		if (cur == IKE_S_AUTH_SENT || cur == IKE_S_HALF_OPEN ||
		    cur == IKE_S_NEW) {		/* NEW: born by a rekey */
			o.next = IKE_S_ESTABLISHED;
			o.act = IKE_ACT_UP;
		}
		break;
	case IKE_FEV_AUTH_FAIL:
		if (!ike_state_up(cur) && cur != IKE_S_CLOSED) {
			o.next = IKE_S_CLOSED;
			o.act = IKE_ACT_FREE;
		}
		break;
	case IKE_FEV_REKEY_START:
		if (cur == IKE_S_ESTABLISHED)
			o.next = IKE_S_REKEYING;
		break;
	case IKE_FEV_REKEY_FAIL:
		if (cur == IKE_S_REKEYING)
			o.next = IKE_S_ESTABLISHED;
		break;
	case IKE_FEV_REKEYED:
		if (cur == IKE_S_ESTABLISHED || cur == IKE_S_REKEYING)
			o.next = IKE_S_REKEYED;
		break;
	case IKE_FEV_DELETE_START:
		if (cur == IKE_S_ESTABLISHED || cur == IKE_S_REKEYING ||
		    cur == IKE_S_REKEYED)
			o.next = IKE_S_DELETING;
		break;
	case IKE_FEV_DELETE_DONE:
	case IKE_FEV_PEER_DELETE:
	case IKE_FEV_TIMEOUT:
		if (cur != IKE_S_CLOSED) {
			o.next = IKE_S_CLOSED;
			o.act = (ike_state_up(cur) ? IKE_ACT_DOWN : 0) |
			    IKE_ACT_FREE;
		}
		break;
	case IKE_FEV_MAX:
		break;
	}
	o.ok = o.next != cur || ev == IKE_FEV_SEND_INIT;
	return o;
}
