/*
 * ha/haadm_link.c -- interfaces set down and up again over rtnetlink
 * (libmnl), for `haadm drill`: RTM_NEWLINK with IFF_UP in ifi_change,
 * one request at a time, each acknowledged.
 *
 * Only the interfaces this module set down are set up again, so a link
 * an operator had down before stays down.  links_up() tries every one
 * and says on stderr which it could not restore: the operator must know.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include "haadm.h"

void
links_add(struct haadm_links *l, const char *ifname)
{
	size_t	 i;

	if (ifname == NULL || ifname[0] == '\0' ||
	    strlen(ifname) >= sizeof(l->name[0]))
		return;
	for (i = 0; i < l->n; i++)
		if (strcmp(l->name[i], ifname) == 0)
			return;
	if (l->n < HAADM_LINKS_MAX)
		snprintf(l->name[l->n++], sizeof(l->name[0]), "%s", ifname);
}

static int
link_set(struct haadm_links *l, const char *ifname, bool up)
{
	uint8_t			 buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket	*nl;
	struct nlmsghdr		*nlh;
	struct ifinfomsg	*ifi;
	unsigned int		 ifindex, portid;
	uint32_t		 seq;
	ssize_t			 n;
	int			 rc;

	if ((ifindex = if_nametoindex(ifname)) == 0) {
		snprintf(l->err, sizeof(l->err), "interface %s: %s", ifname,
		    strerror(errno));
		return -1;
	}
	if (links_open_nl(l) == -1)
		return -1;
	nl = l->nl;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq = ++l->seq;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)ifindex;
	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = up ? IFF_UP : 0;
	portid = mnl_socket_get_portid(nl);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		snprintf(l->err, sizeof(l->err), "%s %s: rtnetlink: %s",
		    ifname, up ? "up" : "down", strerror(errno));
		return -1;
	}
	/* The ack (an error message with error 0), or the error. */
	do
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	while (n < 0 && errno == EINTR);
	rc = n < 0 ? -1 : mnl_cb_run(buf, (size_t)n, seq, portid, NULL, NULL);
	if (rc == -1) {
		snprintf(l->err, sizeof(l->err), "%s %s: %s", ifname,
		    up ? "up" : "down", strerror(errno));
		return -1;
	}
	return 0;
}

int
links_down(struct haadm_links *l)
{
	size_t	 i;

	/* What the kernel drops with the links, to put back (netsave). */
	if (links_save(l) == -1)
		return -1;
	for (i = 0; i < l->n; i++) {
		if (link_set(l, l->name[i], false) == -1)
			return -1;
		l->down[i] = true;
	}
	return 0;
}

int
links_up(struct haadm_links *l)
{
	size_t	 i;
	int	 ret = 0;

	for (i = 0; i < l->n; i++) {
		if (!l->down[i])
			continue;
		if (link_set(l, l->name[i], true) == -1) {
			fprintf(stderr, "haadm: could not bring %s up again: "
			    "%s -- bring it up by hand\n", l->name[i],
			    l->err);
			ret = -1;
			continue;
		}
		l->down[i] = false;
	}
	if (links_restore(l) == -1)
		ret = -1;
	return ret;
}

void
links_close(struct haadm_links *l)
{
	if (l->nl != NULL)
		mnl_socket_close(l->nl);
	l->nl = NULL;
	free(l->saved);
	l->saved = NULL;
	l->saved_len = l->saved_cap = 0;
}
