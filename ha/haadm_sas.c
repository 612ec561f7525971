/*
 * ha/haadm_sas.c -- `haadm sas`: the IKE and Child SAs of a node's ikev2d
 * (live and standby copies), or with --replica the replicated database
 * this node's syncd holds, or with --node NAME node NAME's copy of it.
 *
 * A node's replica is in that node's memory: --node NAME lists this
 * node's replica when NAME is this node, or when syncd's comparison
 * (every member's digest taken at the same point of the agreed order,
 * syncd(8) NODES) says NAME's copy equals it; else it says so and exits
 * 1 (run it on NAME).
 *
 * Human output is one table per kind; --json prints
 *   {"ike": [{column: value, ...}, ...], "child": [...]}
 * with every value a string, exactly as ikev2d formatted it.
 */
#include <stdio.h>
#include <string.h>

#include "haadm.h"
#include "tandem/daemon.h"
#include "nodes_view.h"

static struct haadm_skv	 st;
static struct nodes_view nv;

/* NAME's copy is ours: 0 yes, 1 no or unknown (why), -1 error (why). */
static int
node_copy_is_ours(const struct haadm *h, const char *name, char *why,
    size_t len)
{
	const struct nv_node	*n = NULL;
	size_t			 i;

	if (haadm_nodes(h, &nv, &st, why, len) == -1)
		return -1;
	for (i = 0; i < nv.nn; i++)
		if (strcmp(nv.n[i].name, name) == 0)
			n = &nv.n[i];
	if (n == NULL) {
		snprintf(why, len, "no member named %s (haadm status lists "
		    "them)", name);
		return -1;
	}
	if (n->self || n->dg == NV_DG_YES)
		return 0;
	snprintf(why, len, "node %s's copy %s this node's: run haadm sas "
	    "--replica on %s", name, n->dg == NV_DG_NO ? "differs from" :
	    "is not yet compared with", name);
	return 1;
}

int
haadm_sas(struct haadm *h, int argc, char **argv)
{
	static const char *const kinds[] = { "ike", "child" };
	static const char *const titles[] = { "IKE SAs", "Child SAs" };
	struct tables		 ts;
	const struct table	*t;
	const char		*daemon = "ikev2d", *node = NULL;
	char			 path[512], err[512];
	size_t			 i;
	int			 rc = HAADM_OK, k;

	for (k = 1; k < argc; k++) {
		if (strcmp(argv[k], "--replica") == 0)
			daemon = "syncd";
		else if (strcmp(argv[k], "--node") == 0 && k + 1 < argc) {
			daemon = "syncd";
			node = argv[++k];
		} else {
			fprintf(stderr, "haadm sas: unexpected argument "
			    "'%s' (usage: haadm sas [--replica | --node "
			    "NAME])\n", argv[k]);
			return HAADM_USAGE;
		}
	}
	if (node != NULL && (k = node_copy_is_ours(h, node, err,
	    sizeof(err))) != 0) {
		fprintf(stderr, "haadm sas: %s\n", err);
		return k < 0 ? HAADM_FAILED : HAADM_DEGRADED;
	}
	memset(&ts, 0, sizeof(ts));
	snprintf(path, sizeof(path), "%s/%s.sock", h->rundir, daemon);
	if (ctl_request(path, CTL_SAS, h->timeout_ms, tables_on_msg, &ts, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "haadm sas: %s\n", err);
		tables_free(&ts);
		return HAADM_FAILED;
	}
	if (ts.bad) {
		fprintf(stderr, "haadm sas: malformed reply from %s\n",
		    daemon);
		rc = HAADM_FAILED;
	}
	if (h->json)
		printf("{");
	for (i = 0; i < 2; i++) {
		t = tables_find(&ts, kinds[i]);
		if (h->json) {
			printf("%s\"%s\": ", i ? ", " : "", kinds[i]);
			if (t != NULL)
				table_json(stdout, t);
			else
				printf("[]");
			continue;
		}
		printf("%s%s: %zu\n", i ? "\n" : "", titles[i],
		    t != NULL ? t->nrows : 0);
		if (t != NULL && t->nrows > 0)
			table_print(stdout, t);
	}
	if (h->json)
		printf("}\n");
	tables_free(&ts);
	return rc;
}
