/*
 * ha/nodes_view.h -- `haadm status`'s cluster-wide node table (issue 7):
 * syncd's "node.<id>.*" status lines (every member's SYNC_STATS, see
 * syncd(8)) joined with hamgrd's node names and VIP group roles, the
 * health they imply, and the table and JSON that show them.  Pure: the
 * caller passes the status lines it received; output to a caller's FILE.
 *
 * Health (haadm(8), STATUS): degraded when a member's SA digest differs
 * from this node's (syncd compares them at one point of the agreed order,
 * so a difference is a real divergence), or when a member's commit point
 * has been stuck for NV_LAG_DEGRADED_MS or more with events waiting.  A
 * stale member (no STATS for 3 s) is shown as such but does not degrade:
 * corosync's membership says whether it is there.
 */
#ifndef HA_NODES_VIEW_H
#define HA_NODES_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tandem/syncmsg.h"

#define NV_NODES_MAX		32
#define NV_NAME_MAX		64
#define NV_LAG_DEGRADED_MS	5000
#define NV_UNKNOWN		(-1)

struct nv_kv {
	const char	*key, *val;
};

enum nv_dg {
	NV_DG_UNKNOWN = 0,
	NV_DG_YES,		/* equal to this node's */
	NV_DG_NO,
};

struct nv_xstat {
	char		 name[40];	/* "InStateSeqError" ("Xfrm" dropped) */
	uint64_t	 value;
};

struct nv_node {
	uint32_t	 id;		/* corosync node id */
	char		 name[NV_NAME_MAX];	/* hamgrd's; "" unknown */
	bool		 self;
	bool		 stale;
	bool		 heard;		/* any STATS at all */
	char		 synced[12];	/* yes | no | resyncing | "" */
	char		 ring[8];	/* on | off | "" */
	int64_t		 ike, child, lag_events, lag_ms, ctr_age_ms;
	int64_t		 stats_age_ms, xfrm_errors, differs_ms;
	char		 digest[2 * SYNC_DIGEST_LEN + 1];	/* "" unknown */
	enum nv_dg	 dg;
	char		 roles[192];	/* "G1=MASTER,G2=BACKUP" or "" */
	struct nv_xstat	 x[SYNC_XSTAT_MAX];	/* the non-zero ones */
	size_t		 nx;
};

struct nodes_view {
	struct nv_node	 n[NV_NODES_MAX];
	size_t		 nn;
	uint32_t	 self;		/* 0: syncd did not say */
};

/*
 * From syncd's status lines (sk, nsk) and hamgrd's (hk, nhk; either may
 * be empty).  Nodes in the order syncd lists them.  Returns the number
 * of nodes (lines that do not parse are ignored).
 */
size_t	 nodes_view_build(struct nodes_view *, const struct nv_kv *sk,
	    size_t nsk, const struct nv_kv *hk, size_t nhk);
/* 0 healthy, 1 degraded with the first reason in why. */
int	 nodes_view_health(const struct nodes_view *, char *why, size_t len);
const struct nv_node *nodes_view_find(const struct nodes_view *, uint32_t);
/* A node's XFRM counter by kernel name ("XfrmInStateSeqError"): 0 when
 * not listed (syncd lists only the non-zero ones). */
uint64_t nodes_view_xstat(const struct nv_node *, const char *name);
void	 nodes_view_print(FILE *, const struct nodes_view *);
/* A JSON array (haadm-status.schema.json, $defs/node). */
void	 nodes_view_json(FILE *, const struct nodes_view *);

#endif /* HA_NODES_VIEW_H */
