/*
 * ha/vmac_msg.h -- the virtual MAC of a VIP group (use_vmac): its
 * address and the rtnetlink messages that create, configure, bring up
 * or down, remove and describe its macvlan.  Pure: caller-owned buffers,
 * no sockets; ha/vmac.c sends them.
 *
 * RFC 5798 7.3: the virtual router MAC is 00-00-5E-00-01-{VRID} for
 * IPv4 and 00-00-5E-00-02-{VRID} for IPv6.  A group has one macvlan: a
 * group with any IPv4 VIP takes the IPv4 MAC, an IPv6-only group the
 * IPv6 one (a dual-stack group carries its IPv6 VIPs on the IPv4 MAC,
 * as keepalived's use_vmac does).
 *
 * Every builder writes one request (NLM_F_REQUEST | NLM_F_ACK) into
 * buf and returns its length, or -1 when buflen is too small.
 */
#ifndef TANDEM_HA_VMAC_MSG_H
#define TANDEM_HA_VMAC_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The group's virtual MAC: has_v4 = the group has an IPv4 VIP. */
void	 vmac_addr(uint8_t vrid, bool has_v4, uint8_t mac[6]);
/* "00:00:5e:00:01:33" into buf (>= 18 bytes). */
void	 vmac_addr_str(const uint8_t mac[6], char *buf, size_t len);

/* RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL: a macvlan name on link,
 * mode private, address mac, down. */
int	 vmac_msg_create(void *buf, size_t buflen, uint32_t seq,
	    const char *name, int link, const uint8_t mac[6]);
/* RTM_NEWLINK on ifindex: IFF_UP set or cleared. */
int	 vmac_msg_updown(void *buf, size_t buflen, uint32_t seq, int ifindex,
	    bool up);
/* RTM_DELLINK of ifindex. */
int	 vmac_msg_del(void *buf, size_t buflen, uint32_t seq, int ifindex);
/* RTM_GETLINK of name (no ack: the answer is an RTM_NEWLINK). */
int	 vmac_msg_get(void *buf, size_t buflen, uint32_t seq,
	    const char *name);

/* Per-interface IPv4 settings (net.ipv4.conf.IF.*) hamgrd sets; -1 in
 * a struct vmac_conf = leave alone. */
struct vmac_conf {
	int	 arp_ignore;
	int	 arp_filter;
	int	 arp_announce;
	int	 rp_filter;
};

/* RTM_NEWLINK on ifindex: IFLA_AF_SPEC / AF_INET / IFLA_INET_CONF with
 * the fields of c that are not -1.  -1 as well when c sets nothing. */
int	 vmac_msg_conf(void *buf, size_t buflen, uint32_t seq, int ifindex,
	    const struct vmac_conf *c);
/* RTM_NEWLINK on ifindex: IPv6 addr_gen_mode none (no link-local of
 * its own: the macvlan sends nothing while it has no VIP). */
int	 vmac_msg_nolladdr(void *buf, size_t buflen, uint32_t seq,
	    int ifindex);

/* What an RTM_NEWLINK says about a link. */
struct vmac_link {
	int		 ifindex;
	int		 link;		/* IFLA_LINK; 0 if absent */
	unsigned int	 flags;		/* IFF_* */
	uint8_t		 mac[6];
	bool		 have_mac;
	bool		 macvlan;	/* IFLA_INFO_KIND "macvlan" */
	uint32_t	 mode;		/* IFLA_MACVLAN_MODE, 0 if absent */
	struct vmac_conf conf;		/* from IFLA_INET_CONF, else -1 */
};

/* Parse one RTM_NEWLINK message (len bytes at msg).  0, or -1 when it
 * is not a well-formed RTM_NEWLINK. */
int	 vmac_link_parse(const void *msg, size_t len, struct vmac_link *l);

#endif /* TANDEM_HA_VMAC_MSG_H */
