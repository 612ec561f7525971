/*
 * test/unit/test_nodes_view.c -- `haadm status`'s node table
 * (ha/nodes_view.c): syncd's node.<id>.* lines joined with hamgrd's
 * names and roles, the health they imply, and the JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../ha/nodes_view.h"
#include "tandem/util.h"
#include "unit.h"

static struct nodes_view	 v;

static const struct nv_kv	 syncd_ok[] = {
	{ "node", "1" },
	{ "ike_sas", "3" },			/* not a node line */
	{ "node.1.state", "up" },
	{ "node.1.stats_age_ms", "200" },
	{ "node.1.synced", "yes" },
	{ "node.1.ring_crypto", "on" },
	{ "node.1.ike_sas", "3" },
	{ "node.1.child_sas", "6" },
	{ "node.1.commit_lag_events", "0" },
	{ "node.1.commit_lag_ms", "0" },
	{ "node.1.ctr_age_ms", "-" },
	{ "node.1.digest", "ab" },
	{ "node.1.digest_equal", "yes" },
	{ "node.1.xfrm_errors", "0" },
	{ "node.2.state", "up" },
	{ "node.2.stats_age_ms", "900" },
	{ "node.2.ike_sas", "3" },
	{ "node.2.child_sas", "6" },
	{ "node.2.commit_lag_events", "2" },
	{ "node.2.commit_lag_ms", "4999" },
	{ "node.2.ctr_age_ms", "150" },
	{ "node.2.digest", "ab" },
	{ "node.2.digest_equal", "yes" },
	{ "node.2.xfrm_errors", "5" },
	{ "node.2.xfrm.InStateSeqError", "4" },
	{ "node.2.xfrm.InNoStates", "1" },
	{ "node.3.state", "stale" },
	{ "node.3.stats_age_ms", "-" },
	{ "node.x.state", "up" },		/* ignored */
	{ "node.99999999999.state", "up" },	/* over u32: ignored */
	{ "node.4", "up" },			/* no field: ignored */
};

static const struct nv_kv	 hamgrd_ok[] = {
	{ "node", "a" },
	{ "node_ids", "1=a,2=b,junk,7=" },
	{ "g1.role", "MASTER" },
	{ "g1.masters", "a" },
	{ "g2.role", "BACKUP" },
	{ "g2.masters", "bb,b" },
};

static void
test_build(void)
{
	const struct nv_node	*n;
	char			 why[256];

	CU_ASSERT_EQUAL_FATAL(nodes_view_build(&v, syncd_ok,
	    nitems(syncd_ok), hamgrd_ok, nitems(hamgrd_ok)), 3);
	CU_ASSERT_EQUAL(v.self, 1);
	n = nodes_view_find(&v, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	CU_ASSERT(n->self);
	CU_ASSERT_STRING_EQUAL(n->name, "a");
	CU_ASSERT_EQUAL(n->ike, 3);
	CU_ASSERT_EQUAL(n->child, 6);
	CU_ASSERT_EQUAL(n->ctr_age_ms, NV_UNKNOWN);
	CU_ASSERT_STRING_EQUAL(n->roles, "g1=MASTER,g2=BACKUP");
	n = nodes_view_find(&v, 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	CU_ASSERT(!n->self);
	CU_ASSERT(n->heard);
	CU_ASSERT_STRING_EQUAL(n->name, "b");
	CU_ASSERT_STRING_EQUAL(n->roles, "g1=BACKUP,g2=MASTER");
	CU_ASSERT_EQUAL(n->lag_events, 2);
	CU_ASSERT_EQUAL(n->dg, NV_DG_YES);
	CU_ASSERT_EQUAL(nodes_view_xstat(n, "XfrmInStateSeqError"), 4);
	CU_ASSERT_EQUAL(nodes_view_xstat(n, "InNoStates"), 1);
	CU_ASSERT_EQUAL(nodes_view_xstat(n, "XfrmOutStateSeqError"), 0);
	n = nodes_view_find(&v, 3);
	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	CU_ASSERT(n->stale);
	CU_ASSERT(!n->heard);
	CU_ASSERT_STRING_EQUAL(n->name, "");
	CU_ASSERT_STRING_EQUAL(n->roles, "");
	/* Lag under the limit, a stale node: healthy. */
	CU_ASSERT_EQUAL(nodes_view_health(&v, why, sizeof(why)), 0);
	CU_ASSERT_STRING_EQUAL(why, "");
	/* No hamgrd: no names, no roles. */
	CU_ASSERT_EQUAL(nodes_view_build(&v, syncd_ok, nitems(syncd_ok),
	    NULL, 0), 3);
	CU_ASSERT_STRING_EQUAL(nodes_view_find(&v, 2)->name, "");
	CU_ASSERT_STRING_EQUAL(nodes_view_find(&v, 1)->roles, "");
	/* Nothing from syncd at all. */
	CU_ASSERT_EQUAL(nodes_view_build(&v, NULL, 0, hamgrd_ok,
	    nitems(hamgrd_ok)), 0);
	CU_ASSERT_EQUAL(nodes_view_health(&v, why, sizeof(why)), 0);
}

static void
test_health(void)
{
	struct nv_kv	 k[nitems(syncd_ok)];
	char		 why[256];
	size_t		 i;

	memcpy(k, syncd_ok, sizeof(k));
	/* Stuck for the limit: degraded, with the reason. */
	for (i = 0; i < nitems(k); i++)
		if (strcmp(k[i].key, "node.2.commit_lag_ms") == 0)
			k[i].val = "5000";
	nodes_view_build(&v, k, nitems(k), hamgrd_ok, nitems(hamgrd_ok));
	CU_ASSERT_EQUAL(nodes_view_health(&v, why, sizeof(why)), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "node 2 (b): replication stuck "
	    "for 5000 ms with 2 event(s)"));
	/* A digest that differs: degraded. */
	memcpy(k, syncd_ok, sizeof(k));
	for (i = 0; i < nitems(k); i++)
		if (strcmp(k[i].key, "node.2.digest_equal") == 0)
			k[i].val = "no";
	nodes_view_build(&v, k, nitems(k), NULL, 0);
	CU_ASSERT_EQUAL(nodes_view_health(&v, why, sizeof(why)), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "node 2: SA database differs"));
	/* Unknown is not a difference. */
	for (i = 0; i < nitems(k); i++)
		if (strcmp(k[i].key, "node.2.digest_equal") == 0)
			k[i].val = "unknown";
	nodes_view_build(&v, k, nitems(k), NULL, 0);
	CU_ASSERT_EQUAL(nodes_view_health(&v, why, sizeof(why)), 0);
}

static void
test_output(void)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*f;

	nodes_view_build(&v, syncd_ok, nitems(syncd_ok), hamgrd_ok,
	    nitems(hamgrd_ok));
	CU_ASSERT_PTR_NOT_NULL_FATAL(f = open_memstream(&buf, &len));
	nodes_view_json(f, &v);
	fclose(f);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "{\"node\": 2, \"name\": \"b\", "
	    "\"self\": false, \"state\": \"up\", \"synced\": \"unknown\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"ctr_age_ms\": null"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"xfrm\": {\"InStateSeqError\": "
	    "4, \"InNoStates\": 1}"));
	CU_ASSERT_EQUAL(buf[0], '[');
	CU_ASSERT_EQUAL(buf[len - 1], ']');
	free(buf);
	buf = NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(f = open_memstream(&buf, &len));
	nodes_view_print(f, &v);
	fclose(f);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\n1*     a          up    3      6"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "2/4999ms"));
	free(buf);
}

UNIT_SUITE(nodes_view, "haadm status node table",
    { "syncd and hamgrd lines joined", test_build },
    { "health", test_health },
    { "table and JSON", test_output });
