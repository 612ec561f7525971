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
#define SA_VIEW_CHILD_COLS	18
#define SA_VIEW_MAX_COLS	18

extern const char *const sa_view_ike_cols[SA_VIEW_IKE_COLS];
extern const char *const sa_view_child_cols[SA_VIEW_CHILD_COLS];

/* "192.0.2.1[500]", "2001:db8::1[4500]"; "" for an unset address. */
void	sa_view_addr(char *buf, size_t len, const struct sa_addr *a);
/* An identity: addresses as text, names as text, others in hex. */
void	sa_view_id(char *buf, size_t len, const struct sa_id *id);
/* "198.51.100.0/25", "10.0.0.1-10.0.0.9", with "[tcp/443]" if narrowed. */
void	sa_view_ts(char *buf, size_t len, const struct sa_ts *ts);

/* What the kernel counted for a Child SA's two SAs. */
struct sa_view_ctr {
	bool		 have_in, have_out;
	uint64_t	 bytes_in, packets_in, bytes_out, packets_out;
	uint32_t	 drops_in;	/* replay + integrity failures */
};

/* The edge's way to read them (XFRM GETSA); 0 or -1. */
typedef int	(*sa_view_ctr_fn)(void *arg, const struct sa_child *rec,
		    struct sa_view_ctr *out);

/*
 * One row each; now_ms is the clock of the records (ages and "rekey
 * in"); ctr may be NULL (counters shown as "-").
 */
void	sa_view_ike_row(char cells[][SA_VIEW_CELL], uint32_t uid,
	    const char *state, const struct sa_ike *rec, uint64_t now_ms);
void	sa_view_child_row(char cells[][SA_VIEW_CELL], uint32_t uid,
	    uint32_t ike_uid, const char *state, const struct sa_child *rec,
	    const struct sa_view_ctr *ctr, uint64_t now_ms);

/* Both tables ("ike", "child") of every SA in core, into r; ctr may be
 * NULL. */
void	sa_view_reply(struct ike_core *core, uint64_t now_ms,
	    sa_view_ctr_fn ctr, void *ctr_arg, struct ctl_reply *r);

#endif
