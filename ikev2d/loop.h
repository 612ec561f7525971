/*
 * ikev2d/loop.h -- ikev2d's edge (loop.c): the daemon frame's hooks.
 *
 * start opens the IKE sockets (UDP ike.port and ike.port_nat_t, IPv4 and
 * IPv6), the XFRM sockets and the protocol core, and starts the
 * connections with start_action = start; stop frees the core and closes
 * the sockets but leaves every SA and policy in the kernel (a standby may
 * be taking over); reload hands the new configuration to the core; status
 * adds the core's and the edge's counters.
 */
#ifndef IKEV2D_LOOP_H
#define IKEV2D_LOOP_H

#include <stdbool.h>

struct ctl_hdr;
struct ctl_reply;
struct daemon;
struct rd;
struct tnd_cfg;
struct wr;

/* Before loop_start(): use kernel_null_ops instead of XFRM (--no-kernel). */
void	loop_set_no_kernel(bool on);
/* Before loop_start(): every VIP group starts standby (--standby). */
void	loop_set_standby(bool on);
int	loop_start(struct daemon *d);
void	loop_stop(struct daemon *d);
int	loop_reload(struct daemon *d, struct tnd_cfg *next);
void	loop_status(struct daemon *d, struct wr *w);
/* ikev2d's own control requests (ctl.c), answered from the core. */
int	loop_request(struct daemon *d, const struct ctl_hdr *h,
	    struct rd *tlvs, struct ctl_reply *r);

#endif
