/*
 * ha/haadm_sa_cmd.c -- `haadm rekey ike|child UID` and `haadm delete
 * ike|child UID`: ask ikev2d to rekey or delete one SA now (CTL_REKEY /
 * CTL_DELETE).  UID is the first column of `haadm sas`.  ikev2d answers
 * once the exchange is started; `haadm sas` shows the outcome.
 *
 * --json prints {"action": ..., "kind": ..., "uid": ..., "result": ...}.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "haadm.h"
#include "tandem/daemon.h"

static int
sa_cmd(struct haadm *h, uint8_t type, const char *name, int argc,
    char **argv)
{
	struct haadm_kv		 o;
	enum ctl_sa_kind	 kind;
	struct wr		 w;
	uint8_t			 body[64];
	char			 path[512], err[512], *end;
	unsigned long		 v;

	if (argc != 3) {
		fprintf(stderr, "usage: haadm %s ike|child UID\n", name);
		return HAADM_USAGE;
	}
	if (strcmp(argv[1], "ike") == 0)
		kind = CTL_SA_IKE;
	else if (strcmp(argv[1], "child") == 0)
		kind = CTL_SA_CHILD;
	else {
		fprintf(stderr, "haadm %s: '%s' is not ike or child\n", name,
		    argv[1]);
		return HAADM_USAGE;
	}
	errno = 0;
	v = strtoul(argv[2], &end, 10);
	if (errno != 0 || end == argv[2] || *end != '\0' || v == 0 ||
	    v > UINT32_MAX) {
		fprintf(stderr, "haadm %s: '%s' is not an SA uid (see haadm "
		    "sas)\n", name, argv[2]);
		return HAADM_USAGE;
	}
	wr_init(&w, body, sizeof(body));
	ctl_put_sa_target(&w, kind, (uint32_t)v);
	memset(&o, 0, sizeof(o));
	snprintf(path, sizeof(path), "%s/ikev2d.sock", h->rundir);
	if (w.bad || ctl_request_body(path, type, body, w.len, h->timeout_ms,
	    haadm_kv_collect, &o, err, sizeof(err)) == -1) {
		fprintf(stderr, "haadm %s: %s\n", name,
		    w.bad ? "request too large" : err);
		return HAADM_FAILED;
	}
	if (h->json) {
		haadm_kv_json(&o);
	} else
		printf("%s %s SA %lu: started\n", name, argv[1], v);
	return HAADM_OK;
}

int
haadm_rekey(struct haadm *h, int argc, char **argv)
{
	return sa_cmd(h, CTL_REKEY, "rekey", argc, argv);
}

int
haadm_delete(struct haadm *h, int argc, char **argv)
{
	return sa_cmd(h, CTL_DELETE, "delete", argc, argv);
}
