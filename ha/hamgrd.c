/*
 * ha/hamgrd.c -- the HA role manager's entry point: nothing but the
 * description handed to the shared daemon frame (lib/daemon.c).
 */
#include "tandem/daemon.h"

static const struct daemon_desc hamgrd_desc = {
	.name = "hamgrd",
	.summary =
"Tandem's HA role manager: decides which node is MASTER for each VIP group\n"
"of the ha section of tandem.conf, moves the virtual addresses and tells\n"
"ikev2d which SAs to activate.",
	.help =
"Files:\n"
"  <rundir>/hamgrd.pid    pid file, locked while the daemon runs\n"
"  <rundir>/hamgrd.sock   control socket (haadm; root or the daemon's user)\n",
};

int
main(int argc, char **argv)
{
	return daemon_main(&hamgrd_desc, argc, argv);
}
