/*
 * ikev2d/main.c -- the IKEv2 daemon's entry point: nothing but the
 * description handed to the shared daemon frame (lib/daemon.c); the
 * hooks live in the edge (loop.c).
 */
#include <malloc.h>
#include <stdbool.h>
#include <string.h>

#include "tandem/daemon.h"
#include "loop.h"

static const struct daemon_desc ikev2d_desc = {
	.name = "ikev2d",
	.summary =
"Tandem's IKEv2 daemon: negotiates IKE and Child SAs (RFC 7296) for the\n"
"connections in the ike section of tandem.conf, installs them in the\n"
"kernel over XFRM, and reports every SA change to syncd for replication.",
	.help =
"Files:\n"
"  <rundir>/ikev2d.pid    pid file, locked while the daemon runs\n"
"  <rundir>/ikev2d.sock   control socket (haadm; root or the daemon's user)\n"
"\n"
"Sockets: UDP ike.port and ike.port_nat_t (default 500 and 4500), IPv4\n"
"and IPv6, on every address.  On SIGTERM the SAs and policies stay in\n"
"the kernel (a standby may take them over).\n"
"\n"
"  --no-kernel            benchmarks and dry runs: negotiate but install\n"
"                         nothing (no XFRM SAs, policies or events)\n"
"  --standby              a cluster node: start every VIP group on standby\n"
"                         (answer, initiate and install nothing for it)\n"
"                         until hamgrd activates it (CTL_ACTIVATE), which\n"
"                         resumes the group's SAs from syncd's copies\n",
	.start = loop_start,
	.stop = loop_stop,
	.reload = loop_reload,
	.status = loop_status,
	.request = loop_request,
};

/*
 * ikev2d's own options, taken out of argv before the frame's
 * getopt sees it (until "--", which ends the options).
 */
static int
take_own_options(int argc, char **argv)
{
	int	 i, j;

	for (i = j = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < argc)
				argv[j++] = argv[i++];
			break;
		}
		if (strcmp(argv[i], "--no-kernel") == 0)
			loop_set_no_kernel(true);
		else if (strcmp(argv[i], "--standby") == 0)
			loop_set_standby(true);
		else
			argv[j++] = argv[i];
	}
	argv[j] = NULL;
	return j;
}

int
main(int argc, char **argv)
{
	/*
	 * Keep freed heap memory instead of giving it back at once: a
	 * takeover allocates and frees per SA, and a heap that shrinks and
	 * grows again costs a system call and fresh page faults each time
	 * (in UML, ~0.1 ms an SA).  A few MB of slack is the price.
	 */
	(void)mallopt(M_TRIM_THRESHOLD, 32 * 1024 * 1024);
	(void)mallopt(M_TOP_PAD, 4 * 1024 * 1024);
	argc = take_own_options(argc, argv);
	return daemon_main(&ikev2d_desc, argc, argv);
}
