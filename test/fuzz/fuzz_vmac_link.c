/*
 * test/fuzz/fuzz_vmac_link.c -- libFuzzer over use_vmac's RTM_NEWLINK
 * parser (ha/vmac_msg.h): the answers hamgrd reads back from the
 * kernel about its macvlan and the interface under it.
 *
 * Whatever parses must agree with the header (ifindex, flags), fields it
 * did not find must keep their "unknown" values, and a message the
 * header says is longer than the input must be refused.  abort() on any
 * mismatch.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "../../ha/vmac_msg.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Aligned copy: the parser reads the message in place. */
static uint32_t	 buf[65536 / 4];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vmac_link	 l;
	struct nlmsghdr		 h;
	struct ifinfomsg	 ifi;

	if (size > sizeof(buf))
		return 0;
	memcpy(buf, data, size);
	if (vmac_link_parse(buf, size, &l) != 0)
		return 0;
	if (size < NLMSG_HDRLEN + sizeof(ifi))
		abort();
	memcpy(&h, data, sizeof(h));
	memcpy(&ifi, data + NLMSG_HDRLEN, sizeof(ifi));
	if (h.nlmsg_len > size || h.nlmsg_type != RTM_NEWLINK ||
	    l.ifindex != ifi.ifi_index || l.flags != ifi.ifi_flags)
		abort();
	if (!l.have_mac && memcmp(l.mac, "\0\0\0\0\0\0", 6) != 0)
		abort();
	if (l.conf.arp_ignore < -1 || l.conf.arp_ignore > 255 ||
	    l.conf.arp_filter < -1 || l.conf.arp_filter > 255 ||
	    l.conf.arp_announce < -1 || l.conf.arp_announce > 255 ||
	    l.conf.rp_filter < -1 || l.conf.rp_filter > 255)
		abort();
	return 0;
}
