/*
 * ikev2d/ctl.h -- ikev2d's own control requests (the frame in
 * lib/ctl_io.c answers PING and STATUS): CTL_SAS lists the SAs;
 * CTL_REKEY and CTL_DELETE start a rekey or delete of one SA by uid.
 */
#ifndef IKEV2D_CTL_H
#define IKEV2D_CTL_H

#include "tandem/ctlmsg.h"

struct ike_core;

/* The daemon_desc.request hook's body.  0, or -1 for an unknown type. */
int	ikev2d_ctl_request(struct ike_core *core, const struct ctl_hdr *h,
	    struct rd *tlvs, struct ctl_reply *r);

#endif
