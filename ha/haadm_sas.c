/*
 * ha/haadm_sas.c -- `haadm sas`: the IKE and Child SAs of a node's ikev2d.
 *
 * Human output is one table per kind; --json prints
 *   {"ike": [{column: value, ...}, ...], "child": [...]}
 * with every value a string, exactly as ikev2d formatted it.
 */
#include <stdio.h>
#include <string.h>

#include "haadm.h"
#include "tandem/daemon.h"

int
haadm_sas(struct haadm *h, int argc, char **argv)
{
	static const char *const kinds[] = { "ike", "child" };
	static const char *const titles[] = { "IKE SAs", "Child SAs" };
	struct tables		 ts;
	const struct table	*t;
	char			 path[512], err[512];
	size_t			 i;
	int			 rc = HAADM_OK;

	if (argc > 1) {
		fprintf(stderr, "haadm sas: unexpected argument '%s'\n",
		    argv[1]);
		return HAADM_USAGE;
	}
	memset(&ts, 0, sizeof(ts));
	snprintf(path, sizeof(path), "%s/ikev2d.sock", h->rundir);
	if (ctl_request(path, CTL_SAS, h->timeout_ms, tables_on_msg, &ts, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "haadm sas: %s\n", err);
		tables_free(&ts);
		return HAADM_FAILED;
	}
	if (ts.bad) {
		fprintf(stderr, "haadm sas: malformed reply from ikev2d\n");
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
