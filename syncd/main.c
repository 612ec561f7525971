/*
 * syncd/main.c -- the replication daemon's entry point: nothing but the
 * description handed to the shared daemon frame (lib/daemon.c); the edge
 * is loop.c, the status lines ctl.c.
 */
#include "tandem/daemon.h"
#include "loop.h"

static const struct daemon_desc syncd_desc = {
	.name = "syncd",
	.summary =
"Tandem's replication daemon: joins the cluster's corosync CPG group and\n"
"keeps an exact copy of every IKE and Child SA on every node, as set in the\n"
"sync section of tandem.conf.",
	.help =
"Files:\n"
"  <rundir>/syncd.pid       pid file, locked while the daemon runs\n"
"  <rundir>/syncd.sock      control socket (haadm; root or the daemon's user)\n"
"  <rundir>/syncd-ike.sock  ikev2d's SA events in, commit acknowledgements\n"
"                           out (root or sync.socket_group)\n"
"\n"
"Start-up fails (exit 1) when corosync's ring is not encrypted and\n"
"authenticated (knet crypto_cipher and crypto_hash), unless\n"
"sync.allow_unencrypted_ring is true.\n",
	.start = syncd_loop_start,
	.stop = syncd_loop_stop,
	.reload = syncd_loop_reload,
	.status = syncd_ctl_status,
};

int
main(int argc, char **argv)
{
	return daemon_main(&syncd_desc, argc, argv);
}
