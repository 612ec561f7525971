/*
 * ha/haadm.c -- the operator's CLI: global options, then one subcommand
 * from a table (the shape of wg(8)'s).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "haadm.h"
#include "tandem/daemon.h"
#include "tandem/util.h"

static int	cmd_help(struct haadm *, int, char **);
static int	cmd_version(struct haadm *, int, char **);

static const struct haadm_cmd cmds[] = {
	{ "status",  haadm_status, "show the node's daemons and their health" },
	{ "sas",     haadm_sas,	   "[--replica | --node NAME]: the IKE and Child SAs of\n"
	  "              ikev2d, or the replicated copy of syncd / of node NAME" },
	{ "rekey",   haadm_rekey,  "rekey ike|child UID: rekey one SA of ikev2d now" },
	{ "delete",  haadm_delete, "delete ike|child UID: delete one SA (sends DELETE)" },
	{ "failover", haadm_failover,
	    "[--group G] [--to NODE]: hand this node's groups over now" },
	{ "maintenance", haadm_maintenance,
	    "on|off: drain this node (never MASTER) or undrain it" },
	{ "resync",  haadm_resync,
	    "re-fetch this node's SA database from the cluster" },
	{ "drill",   haadm_drill,
	    "--planned|--crash|--link ...: a failover drill, PASS or FAIL" },
	{ "version", cmd_version,  "show the version" },
	{ "help",    cmd_help,	   "show this help" },
};

static void
usage(FILE *f)
{
	size_t	 i;

	fprintf(f,
"Usage: haadm [--rundir DIR] [--json] [--timeout MS] COMMAND [ARGS]\n"
"Operate a Tandem HA IPsec node: its ikev2d, syncd and hamgrd.\n"
"\n"
"Commands:\n");
	for (i = 0; i < nitems(cmds); i++)
		fprintf(f, "  %-11s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f,
"\n"
"Options:\n"
"  -r, --rundir DIR   the node's run directory, where the daemons' control\n"
"                     sockets are (default %s)\n"
"  -j, --json         machine-readable output (one JSON object)\n"
"  -t, --timeout MS   how long to wait for each daemon (default 2000)\n"
"\n"
"Exit status: 0 healthy; 1 degraded (a daemon is down or unhealthy);\n"
"2 failed (nothing answers, or the command failed); 64 usage error.\n"
"failover and maintenance: 0 done, 1 refused by hamgrd (the reason is\n"
"printed), 2 hamgrd unreachable.\n"
"resync: 0 done, digests equal; 1 done, a digest differs; 2 refused\n"
"(alone, replication off or refused) or failed.\n"
"drill: 0 PASS; 1 FAIL, or refused (not the master, unhealthy cluster);\n"
"2 the drill could not run ('haadm drill --help').\n",
	    DAEMON_DEFAULT_RUNDIR);
}

static int
cmd_help(struct haadm *h, int argc, char **argv)
{
	usage(stdout);
	return HAADM_OK;
}

static int
cmd_version(struct haadm *h, int argc, char **argv)
{
	if (h->json)
		printf("{\"version\": \"%s\"}\n", TANDEM_VERSION);
	else
		printf("haadm (Tandem) %s\n", TANDEM_VERSION);
	return HAADM_OK;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "rundir",	required_argument,	NULL, 'r' },
		{ "json",	no_argument,		NULL, 'j' },
		{ "timeout",	required_argument,	NULL, 't' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL,		0,			NULL, 0 }
	};
	struct haadm	 h = { DAEMON_DEFAULT_RUNDIR, false, 2000 };
	char		*end;
	size_t		 i;
	long		 v;
	int		 c;

	/* "+": options stop at the subcommand, which parses its own. */
	while ((c = getopt_long(argc, argv, "+r:jt:hV", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'r':
			h.rundir = optarg;
			break;
		case 'j':
			h.json = true;
			break;
		case 't':
			v = strtol(optarg, &end, 10);
			if (*end != '\0' || v < 1 || v > 600000) {
				fprintf(stderr, "haadm: --timeout: %s is not "
				    "a number of milliseconds (1..600000)\n",
				    optarg);
				return HAADM_USAGE;
			}
			h.timeout_ms = (int)v;
			break;
		case 'h':
			usage(stdout);
			return HAADM_OK;
		case 'V':
			return cmd_version(&h, 0, NULL);
		default:
			usage(stderr);
			return HAADM_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return HAADM_USAGE;
	}
	for (i = 0; i < nitems(cmds); i++)
		if (strcmp(argv[optind], cmds[i].name) == 0) {
			optind++;
			return cmds[i].fn(&h, argc - optind + 1,
			    argv + optind - 1);
		}
	fprintf(stderr, "haadm: unknown command '%s' (try 'haadm help')\n",
	    argv[optind]);
	return HAADM_USAGE;
}
