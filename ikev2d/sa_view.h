/*
 * ikev2d/sa_view.h -- the operator's view of the SAs: IKE and Child SA
 * records turned into table rows for the control socket (`haadm sas`).
 * Pure: formatting only, no keys ever (the walk hands records with keys
 * zeroed, and nothing here reads them).
 */
#ifndef IKEV2D_SA_VIEW_H
#define IKEV2D_SA_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "tandem/ctlmsg.h"
#include "tandem/sa_rec.h"

struct ike_core;

#define SA_VIEW_CELL	128	/* bytes per cell, NUL included */
#define SA_VIEW_IKE_COLS	14
#define SA_VIEW_CHILD_COLS	13

extern const char *const sa_view_ike_cols[SA_VIEW_IKE_COLS];
extern const char *const sa_view_child_cols[SA_VIEW_CHILD_COLS];

/* "192.0.2.1[500]", "2001:db8::1[4500]"; "" for an unset address. */
void	sa_view_addr(char *buf, size_t len, const struct sa_addr *a);
/* An identity: addresses as text, names as text, others in hex. */
void	sa_view_id(char *buf, size_t len, const struct sa_id *id);
/* "198.51.100.0/25", "10.0.0.1-10.0.0.9", with "[tcp/443]" if narrowed. */
void	sa_view_ts(char *buf, size_t len, const struct sa_ts *ts);

/* One row each; now_ms is wall-clock ms (ages and "rekey in"). */
void	sa_view_ike_row(char cells[][SA_VIEW_CELL], uint32_t uid,
	    const char *state, const struct sa_ike *rec, uint64_t now_ms);
void	sa_view_child_row(char cells[][SA_VIEW_CELL], uint32_t uid,
	    uint32_t ike_uid, const char *state, const struct sa_child *rec,
	    uint64_t now_ms);

/* Both tables ("ike", "child") of every SA in core, into r. */
void	sa_view_reply(struct ike_core *core, uint64_t now_ms,
	    struct ctl_reply *r);

#endif
