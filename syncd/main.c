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
"corosync: syncd starts without it and waits: it says once that corosync\n"
"is not reachable and retries (1 s, doubling to 10 s); it logs when\n"
"corosync is back, and a lost connection is retried the same way.\n"
"\n"
"Ring crypto: on each connection syncd checks through cmap that the ring\n"
"is encrypted and authenticated (knet crypto_cipher and crypto_hash).  If\n"
"not, and sync.allow_unencrypted_ring is false, syncd stays up but does\n"
"not join the group -- it replicates nothing -- logs the refusal once,\n"
"checks again with the same back-off, and its status shows replication:\n"
"REFUSED with the reason.  With the override it joins and warns hourly.\n"
"\n"
"Status (haadm status --json): corosync up|down, replication\n"
"on|REFUSED|waiting for corosync, corosync_why (the reason).\n"
"\n"
"A sync.socket_group that does not exist is logged and syncd-ike.sock\n"
"then accepts root only.\n",
	.start = syncd_loop_start,
	.stop = syncd_loop_stop,
	.reload = syncd_loop_reload,
	.status = syncd_ctl_status,
	.request = syncd_ctl_request,
};

int
main(int argc, char **argv)
{
	return daemon_main(&syncd_desc, argc, argv);
}
