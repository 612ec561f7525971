/*
 * syncd/main.c -- the replication daemon's entry point: nothing but the
 * description handed to the shared daemon frame (lib/daemon.c).
 */
#include "tandem/daemon.h"

static const struct daemon_desc syncd_desc = {
	.name = "syncd",
	.summary =
"Tandem's replication daemon: joins the cluster's corosync CPG group and\n"
"keeps an exact copy of every IKE and Child SA on every node, as set in the\n"
"sync section of tandem.conf.",
	.help =
"Files:\n"
"  <rundir>/syncd.pid     pid file, locked while the daemon runs\n"
"  <rundir>/syncd.sock    control socket (haadm; root or the daemon's user)\n",
};

int
main(int argc, char **argv)
{
	return daemon_main(&syncd_desc, argc, argv);
}
