/*
 * ha/haadm_role.c -- `haadm failover [--group G] [--to NODE]` and
 * `haadm maintenance on|off`: role commands to the node's hamgrd
 * (CTL_FAILOVER, CTL_MAINT with struct ctl_role_req).
 *
 * failover: this node's hamgrd hands group G (default: every group it
 * is MASTER of) to NODE (default: the best other eligible node); the
 * target takes over at once, without waiting for VRRP timers.  On a
 * BACKUP, `--group G --to THIS-NODE` asks G's master to hand it here.
 * maintenance on drains the node (it resigns every group and never
 * becomes MASTER); off makes it eligible again.
 *
 * Exit: 0 done; 1 refused (hamgrd answered no, with the reason: not
 * MASTER, no such group or node, no cluster); 2 hamgrd unreachable or
 * the exchange failed; 64 usage.  --json prints the reply's lines as
 * one object, or {"refused": REASON} / {"error": REASON}.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "haadm.h"
#include "tandem/daemon.h"

static int
role_cmd(struct haadm *h, const char *name, uint8_t type,
    const struct ctl_role_req *rq)
{
	struct haadm_kv	 o;
	struct wr	 w;
	uint8_t		 body[256], buf[CTL_MAX_LEN];
	char		 path[512], err[512];
	const char	*why;
	size_t		 i;

	snprintf(path, sizeof(path), "%s/hamgrd.sock", h->rundir);
	/* Reachable at all?  Tells "refused" (1) from "failed" (2). */
	if (ctl_call(path, CTL_PING, buf, sizeof(buf), h->timeout_ms, err,
	    sizeof(err)) < 0) {
		if (h->json) {
			printf("{\"error\": ");
			json_str(stdout, err);
			printf("}\n");
		} else
			fprintf(stderr, "haadm %s: %s\n", name, err);
		return HAADM_FAILED;
	}
	wr_init(&w, body, sizeof(body));
	ctl_put_role_args(&w, rq);
	memset(&o, 0, sizeof(o));
	if (w.bad || ctl_request_body(path, type, body, w.len, h->timeout_ms,
	    haadm_kv_collect, &o, err, sizeof(err)) == -1) {
		/* err is "PATH: reason"; the reason is what matters. */
		why = strncmp(err, path, strlen(path)) == 0 &&
		    strncmp(err + strlen(path), ": ", 2) == 0 ?
		    err + strlen(path) + 2 : err;
		if (h->json) {
			printf("{\"refused\": ");
			json_str(stdout, why);
			printf("}\n");
		} else
			fprintf(stderr, "haadm %s: refused: %s\n", name, why);
		return HAADM_DEGRADED;
	}
	if (h->json) {
		haadm_kv_json(&o);
		return HAADM_OK;
	}
	for (i = 0; i < o.n; i++) {
		if (type == CTL_FAILOVER && strcmp(o.kv[i][0], "result") != 0 &&
		    strcmp(o.kv[i][1], "asked the master") == 0)
			printf("group %s: asked the master to hand it over "
			    "here (haadm status shows the move)\n",
			    o.kv[i][0]);
		else if (type == CTL_FAILOVER &&
		    strcmp(o.kv[i][0], "result") != 0)
			printf("group %s: handed over to %s\n", o.kv[i][0],
			    o.kv[i][1]);
		else if (type == CTL_MAINT)
			printf("%s: %s\n", o.kv[i][0], o.kv[i][1]);
	}
	return HAADM_OK;
}

static int
name_arg(const char *cmd, const char *opt, const char *v, char *dst)
{
	size_t	 n = strlen(v), i;

	for (i = 0; i < n; i++)
		if (v[i] < 0x21 || v[i] > 0x7e)
			break;
	if (n == 0 || n >= CTL_NAME_MAX || i != n) {
		fprintf(stderr, "haadm %s: %s: '%s' is not a name\n", cmd,
		    opt, v);
		return -1;
	}
	memcpy(dst, v, n + 1);
	return 0;
}

int
haadm_failover(struct haadm *h, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "group",	required_argument,	NULL, 'g' },
		{ "to",		required_argument,	NULL, 't' },
		{ NULL,		0,			NULL, 0 }
	};
	struct ctl_role_req	 rq;
	int			 c;

	memset(&rq, 0, sizeof(rq));
	optind = 1;
	while ((c = getopt_long(argc, argv, "g:t:", longopts, NULL)) != -1) {
		switch (c) {
		case 'g':
			if (name_arg("failover", "--group", optarg,
			    rq.group) == -1)
				return HAADM_USAGE;
			break;
		case 't':
			if (name_arg("failover", "--to", optarg,
			    rq.node) == -1)
				return HAADM_USAGE;
			break;
		default:
			fprintf(stderr, "usage: haadm failover [--group G] "
			    "[--to NODE]\n");
			return HAADM_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: haadm failover [--group G] "
		    "[--to NODE]\n");
		return HAADM_USAGE;
	}
	return role_cmd(h, "failover", CTL_FAILOVER, &rq);
}

int
haadm_maintenance(struct haadm *h, int argc, char **argv)
{
	struct ctl_role_req	 rq;

	memset(&rq, 0, sizeof(rq));
	if (argc != 2 || (strcmp(argv[1], "on") != 0 &&
	    strcmp(argv[1], "off") != 0)) {
		fprintf(stderr, "usage: haadm maintenance on|off\n");
		return HAADM_USAGE;
	}
	if (strcmp(argv[1], "on") == 0)
		rq.flags = CTL_RF_ON;
	return role_cmd(h, "maintenance", CTL_MAINT, &rq);
}
