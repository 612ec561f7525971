/*
 * ha/vmac.c -- use_vmac: the group's virtual MAC (RFC 5798 7.3) on a
 * macvlan over the group's interface, as keepalived's use_vmac.
 *
 * Life cycle.  The macvlan (vmac_name, default "vrrp.<vrid>") is created
 * at start, down, and removed at stop; a macvlan of that name left by a
 * crashed run is removed and created afresh (an interface of that name
 * that is not a macvlan is not ours: hamgrd refuses to start).  It is up
 * only while MASTER: vip_add_all() brings it up before adding the VIPs,
 * vip_del_all() takes it down after removing them.  Down, a macvlan is
 * out of its lower device's address filter and sends nothing, so a
 * BACKUP never owns the virtual MAC on the LAN; the takeover costs one
 * RTM_NEWLINK (IFF_UP) instead of a create with its settings, and a
 * missing macvlan module or a name clash shows at start, not at the
 * first takeover.  When the lower device vanishes the kernel removes
 * the macvlan; vmac_up() creates it again.
 *
 * Mode private, as keepalived: the macvlan only talks to the LAN.  It
 * cannot reach the lower device or other macvlans anyway (no macvlan
 * mode forwards to its own lower device), and unlike bridge mode a
 * frame a hairpinning switch reflects back is not delivered to a
 * sibling macvlan with another group's virtual MAC.
 *
 * The settings (net.ipv4.conf.IF.*, through IFLA_AF_SPEC like `ip link
 * set`, so only this network namespace's interfaces are touched):
 *   macvlan: arp_ignore = 1 (answer ARP only for its own addresses,
 *            the VIPs), rp_filter = 0 (the VIPs' subnet is routed via
 *            the lower device too; a strict reverse-path check would
 *            drop what arrives on the macvlan), IPv6 addr_gen_mode none
 *            (no link-local of its own: it says nothing on the LAN but
 *            for the VIPs' GARP / NA, from the master).
 *   lower:   arp_ignore = 1 and arp_filter = 1, so it does not answer
 *            ARP for the VIPs (on the macvlan) with its own MAC, and
 *            arp_announce = 2: replies from a VIP leave through the
 *            lower device (its route to the subnet is the older), and
 *            the ARP requests they cause would otherwise name the VIP as
 *            sender with the lower device's MAC -- the router would
 *            learn the VIP at the node's own MAC.  The earlier values
 *            are put back at stop.
 * rp_filter's effective value is the larger of conf.all and the
 * interface's: with conf.all.rp_filter = 1 the macvlan stays strict, and
 * hamgrd warns (loose mode, 2, works).
 *
 * Adverts: IPv4 adverts leave through the macvlan (source MAC the
 * virtual MAC, 7.3; source address the lower device's primary), so the
 * switches keep the MAC on the master's port; vrrp_io.c.  IPv6 adverts
 * stay on the lower device (see hamgrd(8)).  Adverts are received on the
 * lower device as without use_vmac.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>

#include "hamgrd.h"
#include "vmac_msg.h"

static struct mnl_socket *vnl;
static unsigned int	 vnl_seq;
static int		 vnl_users;
static uint8_t		 vnl_buf[32768];

struct get_arg {
	struct vmac_link *l;
	bool		  found;
};

static int
on_link(const struct nlmsghdr *nlh, void *arg)
{
	struct get_arg	*ga = arg;

	if (vmac_link_parse(nlh, nlh->nlmsg_len, ga->l) == 0)
		ga->found = true;
	return MNL_CB_OK;
}

/* Send the request of length n in vnl_buf; read the ack (or the
 * answer, with ga).  0 or -errno. */
static int
talk(int n, struct get_arg *ga)
{
	const struct nlmsghdr	*nlh = (const struct nlmsghdr *)vnl_buf;
	unsigned int		 seq = nlh->nlmsg_seq, portid;
	ssize_t			 r;
	int			 rc;

	if (n < 0)
		return -EMSGSIZE;
	if (mnl_socket_sendto(vnl, vnl_buf, (size_t)n) < 0)
		return -errno;
	portid = mnl_socket_get_portid(vnl);
	for (;;) {
		if ((r = mnl_socket_recvfrom(vnl, vnl_buf,
		    sizeof(vnl_buf))) < 0)
			return -errno;
		errno = 0;
		rc = mnl_cb_run(vnl_buf, (size_t)r, seq, portid,
		    ga != NULL ? on_link : NULL, ga);
		if (rc == MNL_CB_ERROR)
			return errno != 0 ? -errno : -EIO;
		if (rc == MNL_CB_STOP || (ga != NULL && ga->found))
			return 0;
	}
}

/* The link called name: 1 found (in *l), 0 none, -errno. */
static int
get_link(const char *name, struct vmac_link *l)
{
	struct get_arg	 ga = { l, false };
	int		 rc;

	rc = talk(vmac_msg_get(vnl_buf, sizeof(vnl_buf), ++vnl_seq, name),
	    &ga);
	if (rc == -ENODEV)
		return 0;
	if (rc < 0)
		return rc;
	return ga.found ? 1 : 0;
}

static void
verr(struct ha_group *g, const char *what, int rc)
{
	g->vmac.err++;
	log_err("group %s: virtual MAC %s: %s: %s", g->cfg->name,
	    g->cfg->vmac_name, what, strerror(-rc));
}

static int
conf_set(int ifindex, const struct vmac_conf *c)
{
	return talk(vmac_msg_conf(vnl_buf, sizeof(vnl_buf), ++vnl_seq,
	    ifindex, c), NULL);
}

/* rp_filter is max(conf.all, conf.IF): say so when all is strict. */
static void
check_all_rp_filter(const struct ha_group *g)
{
	char	 b[8] = "";
	ssize_t	 n;
	int	 fd;

	if ((fd = open("/proc/sys/net/ipv4/conf/all/rp_filter",
	    O_RDONLY | O_CLOEXEC)) == -1)
		return;
	n = read(fd, b, sizeof(b) - 1);
	close(fd);
	if (n > 0 && b[0] == '1')
		log_warn("group %s: net.ipv4.conf.all.rp_filter = 1 overrides "
		    "rp_filter = 0 on %s: traffic to the VIPs may be dropped "
		    "(set it to 0 or 2)", g->cfg->name, g->cfg->vmac_name);
}

/* The lower device's ARP settings: saved, then arp_ignore = arp_filter
 * = 1.  Again when it appears later. */
static void
base_conf(struct ha_group *g)
{
	struct vmac_link	 l;
	struct vmac_conf	 c = { 1, 1, 2, -1 };
	int			 rc;

	if (g->vmac.base_set)
		return;
	if ((rc = get_link(g->cfg->interface, &l)) <= 0) {
		if (rc < 0)
			verr(g, "reading the settings of the interface", rc);
		return;
	}
	g->vmac.base_ifindex = l.ifindex;
	g->vmac.base_saved = l.conf;
	g->vmac.base_saved.rp_filter = -1;
	if ((rc = conf_set(l.ifindex, &c)) < 0) {
		verr(g, "ARP settings of the interface", rc);
		return;
	}
	g->vmac.base_set = true;
	log_info("group %s: %s: arp_ignore 1 (was %d), arp_filter 1 (was "
	    "%d), arp_announce 2 (was %d)", g->cfg->name, g->cfg->interface,
	    l.conf.arp_ignore, l.conf.arp_filter, l.conf.arp_announce);
}

static int
create(struct ha_group *g)
{
	struct vmac_conf	 c = { 1, -1, -1, 0 };
	char			 ms[18];
	int			 base, rc, ifi;

	if ((base = (int)if_nametoindex(g->cfg->interface)) == 0) {
		g->vmac.err++;
		log_warn("group %s: no interface %s yet: virtual MAC %s not "
		    "created", g->cfg->name, g->cfg->interface,
		    g->cfg->vmac_name);
		return -1;
	}
	base_conf(g);
	rc = talk(vmac_msg_create(vnl_buf, sizeof(vnl_buf), ++vnl_seq,
	    g->cfg->vmac_name, base, g->vmac.mac), NULL);
	if (rc < 0) {
		verr(g, "creating the macvlan", rc);
		return -1;
	}
	if ((ifi = (int)if_nametoindex(g->cfg->vmac_name)) == 0) {
		verr(g, "created, then gone", -ENODEV);
		return -1;
	}
	g->vmac.ifindex = ifi;
	g->vmac.creates++;
	if ((rc = talk(vmac_msg_nolladdr(vnl_buf, sizeof(vnl_buf),
	    ++vnl_seq, ifi), NULL)) < 0 && rc != -EAFNOSUPPORT)
		verr(g, "IPv6 addr_gen_mode none", rc);
	if ((rc = conf_set(ifi, &c)) < 0)
		verr(g, "arp_ignore / rp_filter", rc);
	vmac_addr_str(g->vmac.mac, ms, sizeof(ms));
	log_info("group %s: virtual MAC %s on %s (macvlan on %s, down)",
	    g->cfg->name, ms, g->cfg->vmac_name, g->cfg->interface);
	return 0;
}

int
vmac_start(struct ha_group *g)
{
	struct vmac_link	 l;
	size_t			 i;
	bool			 v4 = false;
	int			 rc;

	if (!g->cfg->use_vmac)
		return 0;
	if (vnl == NULL) {
		if ((vnl = mnl_socket_open(NETLINK_ROUTE)) == NULL ||
		    mnl_socket_bind(vnl, 0, MNL_SOCKET_AUTOPID) == -1) {
			log_err("vmac: rtnetlink socket: %m");
			if (vnl != NULL)
				mnl_socket_close(vnl);
			vnl = NULL;
			return -1;
		}
		vnl_seq = (unsigned int)time(NULL);
	}
	vnl_users++;
	g->vmac.started = true;
	for (i = 0; i < g->cfg->nvips; i++)
		v4 |= g->cfg->vips[i].family == CFG_AF_INET;
	vmac_addr(g->cfg->vrid, v4, g->vmac.mac);
	if ((rc = get_link(g->cfg->vmac_name, &l)) < 0) {
		verr(g, "looking it up", rc);
		return -1;
	}
	if (rc == 1 && !l.macvlan) {
		log_err("group %s: vmac_name %s: an interface of that name "
		    "exists and is not a macvlan: not ours, choose another "
		    "name", g->cfg->name, g->cfg->vmac_name);
		return -1;
	}
	if (rc == 1) {
		/* Ours from a run that did not stop: start afresh. */
		if ((rc = talk(vmac_msg_del(vnl_buf, sizeof(vnl_buf),
		    ++vnl_seq, l.ifindex), NULL)) < 0) {
			verr(g, "removing the stale macvlan", rc);
			return -1;
		}
		log_notice("group %s: removed stale macvlan %s (left by an "
		    "earlier run)", g->cfg->name, g->cfg->vmac_name);
	}
	check_all_rp_filter(g);
	(void)create(g);	/* no interface yet: at the first takeover */
	return 0;
}

void
vmac_stop(struct ha_group *g)
{
	int	 rc, ifi;

	if (!g->vmac.started)
		return;
	g->vmac.started = false;
	/* Only the macvlan we made: not an interface that took its name. */
	if (g->vmac.ifindex != 0 && (ifi = (int)if_nametoindex(
	    g->cfg->vmac_name)) == g->vmac.ifindex) {
		rc = talk(vmac_msg_del(vnl_buf, sizeof(vnl_buf), ++vnl_seq,
		    ifi), NULL);
		if (rc < 0 && rc != -ENODEV)
			verr(g, "removing the macvlan", rc);
		else
			log_info("group %s: macvlan %s removed", g->cfg->name,
			    g->cfg->vmac_name);
	}
	g->vmac.ifindex = 0;
	g->vmac.up = false;
	if (g->vmac.base_set && (int)if_nametoindex(g->cfg->interface) ==
	    g->vmac.base_ifindex && (g->vmac.base_saved.arp_ignore >= 0 ||
	    g->vmac.base_saved.arp_filter >= 0 ||
	    g->vmac.base_saved.arp_announce >= 0) &&
	    (rc = conf_set(g->vmac.base_ifindex, &g->vmac.base_saved)) < 0)
		verr(g, "restoring the interface's ARP settings", rc);
	g->vmac.base_set = false;
	if (--vnl_users == 0) {
		mnl_socket_close(vnl);
		vnl = NULL;
	}
}

int
vmac_up(struct ha_group *g)
{
	int	 rc, ifi;

	if (!g->vmac.started)
		return 0;
	ifi = (int)if_nametoindex(g->cfg->vmac_name);
	if (ifi == 0) {
		/* The lower device went and took the macvlan with it. */
		if (create(g) == -1)
			return -1;
		ifi = g->vmac.ifindex;
	} else if (ifi != g->vmac.ifindex) {
		verr(g, "another interface took the macvlan's name", -EEXIST);
		return -1;
	}
	base_conf(g);		/* if the interface came after the start */
	if ((rc = talk(vmac_msg_updown(vnl_buf, sizeof(vnl_buf), ++vnl_seq,
	    ifi, true), NULL)) < 0) {
		verr(g, "up", rc);
		return -1;
	}
	g->vmac.up = true;
	return 0;
}

void
vmac_down(struct ha_group *g)
{
	int	 rc, ifi;

	if (!g->vmac.started)
		return;
	g->vmac.up = false;
	if ((ifi = (int)if_nametoindex(g->cfg->vmac_name)) == 0 ||
	    ifi != g->vmac.ifindex)
		return;
	rc = talk(vmac_msg_updown(vnl_buf, sizeof(vnl_buf), ++vnl_seq, ifi,
	    false), NULL);
	if (rc < 0 && rc != -ENODEV)
		verr(g, "down", rc);
}
