/*
 * test/lab/tools/espseen.c -- watch one interface and account for every
 * ESP packet on it: the takeover tests' witness that no (SPI, sequence
 * number) pair is ever sent twice (DESIGN guarantee 1) and their clock
 * for "last packet from the old master -> first from the new one".
 *
 *   espseen -i IFNAME [-d in|out|any]
 *
 * Captures (AF_PACKET, in the current network namespace) until SIGINT or
 * SIGTERM, then prints one line per (SPI, source MAC) and a summary:
 *
 *   flow spi=0x... src=aa:bb:cc:dd:ee:ff packets=N first_seq=S last_seq=S
 *       first_us=T last_us=T back=B
 *   total packets=N esp=N duplicates=D dup_first=spi/seq
 *
 * first_us/last_us are CLOCK_REALTIME microseconds of the first and last
 * packet of the flow; back counts packets whose sequence number was below
 * the flow's highest so far (reordering, or a restart at a lower number).
 * A duplicate is the same (SPI, sequence number) seen twice in the whole
 * capture, whichever MAC sent it.  ESP is recognised in IPv4 and IPv6
 * (next header 50, no extension headers) and in UDP on port 4500 with a
 * non-zero first word (RFC 3948).  Anything else is skipped.  "ready" is
 * printed on stderr once the socket is bound, so a test can wait for it.
 *
 * Test tool: exit 0 after the summary, 2 on usage or socket errors.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define FLOWS_MAX	256
#define SEEN_BITS	20		/* 1 M (SPI, seq) slots */

struct flow {
	uint32_t	 spi;
	uint8_t		 mac[6];
	uint64_t	 packets, back;
	uint32_t	 first_seq, last_seq, max_seq;
	uint64_t	 first_us, last_us;
};

static struct flow	 flows[FLOWS_MAX];
static size_t		 nflows;
static uint64_t		*seen;		/* (spi << 32 | seq) + 1; 0 = empty */
static uint64_t		 total, esp, dups, dup_first;
static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t
now_us(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000;
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* Record key in the open-addressing set; true if it was there already. */
static bool
seen_add(uint64_t key)
{
	size_t	 mask = ((size_t)1 << SEEN_BITS) - 1;
	size_t	 i = (size_t)((key * 0x9e3779b97f4a7c15u) >> (64 - SEEN_BITS));
	size_t	 n;

	key++;
	for (n = 0; n <= mask; n++, i = (i + 1) & mask) {
		if (seen[i] == key)
			return true;
		if (seen[i] == 0) {
			seen[i] = key;
			return false;
		}
	}
	return false;		/* full: stop counting rather than loop */
}

static struct flow *
flow_get(uint32_t spi, const uint8_t *mac)
{
	size_t	 i;

	for (i = 0; i < nflows; i++)
		if (flows[i].spi == spi && memcmp(flows[i].mac, mac, 6) == 0)
			return &flows[i];
	if (nflows == FLOWS_MAX)
		return NULL;
	memset(&flows[nflows], 0, sizeof(flows[0]));
	flows[nflows].spi = spi;
	memcpy(flows[nflows].mac, mac, 6);
	return &flows[nflows++];
}

/*
 * The ESP header in an Ethernet frame: its offset, or -1.  Every length
 * is checked against len before it is used.
 */
static long
esp_offset(const uint8_t *f, size_t len)
{
	size_t		 off = 14, ihl;
	uint16_t	 type;
	uint8_t		 proto;

	if (len < off)
		return -1;
	type = (uint16_t)(f[12] << 8 | f[13]);
	if (type == 0x8100 && len >= 18) {	/* one VLAN tag */
		type = (uint16_t)(f[16] << 8 | f[17]);
		off = 18;
	}
	if (type == ETHERTYPE_IP) {
		if (len < off + 20 || (f[off] >> 4) != 4)
			return -1;
		ihl = (size_t)(f[off] & 0x0f) * 4;
		if (ihl < 20 || len < off + ihl)
			return -1;
		/* Fragments other than the first carry no ESP header. */
		if ((f[off + 6] & 0x1f) != 0 || f[off + 7] != 0)
			return -1;
		proto = f[off + 9];
		off += ihl;
	} else if (type == ETHERTYPE_IPV6) {
		if (len < off + 40)
			return -1;
		proto = f[off + 6];
		off += 40;
	} else
		return -1;
	if (proto == 50)
		return len >= off + 8 ? (long)off : -1;
	if (proto != 17 || len < off + 8 + 8)
		return -1;
	if ((f[off] << 8 | f[off + 1]) != 4500 &&
	    (f[off + 2] << 8 | f[off + 3]) != 4500)
		return -1;
	off += 8;
	if (be32(f + off) == 0)		/* non-ESP marker: IKE */
		return -1;
	return (long)off;
}

static void
account(const uint8_t *f, size_t len)
{
	struct flow	*fl;
	uint32_t	 spi, seq;
	uint64_t	 t = now_us();
	long		 off;

	total++;
	if ((off = esp_offset(f, len)) < 0)
		return;
	esp++;
	spi = be32(f + off);
	seq = be32(f + off + 4);
	if (seen_add((uint64_t)spi << 32 | seq)) {
		if (dups++ == 0)
			dup_first = (uint64_t)spi << 32 | seq;
	}
	if ((fl = flow_get(spi, f + 6)) == NULL)
		return;
	if (fl->packets++ == 0) {
		fl->first_seq = seq;
		fl->first_us = t;
	} else if (seq < fl->max_seq)
		fl->back++;
	if (seq > fl->max_seq)
		fl->max_seq = seq;
	fl->last_seq = seq;
	fl->last_us = t;
}

static void
report(void)
{
	const struct flow	*fl;
	size_t			 i;

	for (i = 0; i < nflows; i++) {
		fl = &flows[i];
		printf("flow spi=0x%08" PRIx32 " src=%02x:%02x:%02x:%02x:%02x:"
		    "%02x packets=%" PRIu64 " first_seq=%" PRIu32 " last_seq=%"
		    PRIu32 " first_us=%" PRIu64 " last_us=%" PRIu64 " back=%"
		    PRIu64 "\n", fl->spi, fl->mac[0], fl->mac[1], fl->mac[2],
		    fl->mac[3], fl->mac[4], fl->mac[5], fl->packets,
		    fl->first_seq, fl->last_seq, fl->first_us, fl->last_us,
		    fl->back);
	}
	printf("total packets=%" PRIu64 " esp=%" PRIu64 " duplicates=%" PRIu64
	    " dup_first=0x%08" PRIx32 "/%" PRIu32 "\n", total, esp, dups,
	    (uint32_t)(dup_first >> 32), (uint32_t)dup_first);
	fflush(stdout);
}

static void
usage(void)
{
	fprintf(stderr, "usage: espseen -i IFNAME [-d in|out|any]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct sockaddr_ll	 sll;
	struct sigaction	 sa;
	struct pollfd		 pfd;
	socklen_t		 sl;
	const char		*ifname = NULL, *dir = "any";
	uint8_t			 buf[65536];
	ssize_t			 n;
	int			 c, fd;

	while ((c = getopt(argc, argv, "i:d:")) != -1) {
		switch (c) {
		case 'i':
			ifname = optarg;
			break;
		case 'd':
			dir = optarg;
			break;
		default:
			usage();
		}
	}
	if (ifname == NULL || (strcmp(dir, "in") != 0 &&
	    strcmp(dir, "out") != 0 && strcmp(dir, "any") != 0))
		usage();
	if ((seen = calloc((size_t)1 << SEEN_BITS, sizeof(*seen))) == NULL) {
		perror("espseen: calloc");
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if ((fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL))) == -1) {
		perror("espseen: socket");
		return 2;
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	if ((sll.sll_ifindex = (int)if_nametoindex(ifname)) == 0) {
		fprintf(stderr, "espseen: no interface %s\n", ifname);
		return 2;
	}
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) == -1) {
		perror("espseen: bind");
		return 2;
	}
	fprintf(stderr, "ready\n");
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (!stop) {
		if (poll(&pfd, 1, 200) <= 0)
			continue;
		sl = sizeof(sll);
		n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
		    (struct sockaddr *)&sll, &sl);
		if (n <= 0)
			continue;
		if (strcmp(dir, "in") == 0 &&
		    sll.sll_pkttype == PACKET_OUTGOING)
			continue;
		if (strcmp(dir, "out") == 0 &&
		    sll.sll_pkttype != PACKET_OUTGOING)
			continue;
		account(buf, (size_t)n);
	}
	report();
	return 0;
}
