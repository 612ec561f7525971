/*
 * test/bench/syncinject.c -- plays the master's ikev2d against a running
 * syncd: sends N IKE SAs with one Child SA each (takeover_fix.h: connection
 * "ab" of group vg1, times around now) as IKE_UP / CHILD_UP events, at
 * most 256 unacknowledged, and waits until syncd acknowledges the last
 * (every other member holds it).  Driven by takeover_cpg.sh.
 *
 *   syncinject SOCKET N
 *
 * Exit 0, 1 on usage or socket errors, 2 when syncd did not acknowledge
 * everything within 10 s of silence.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tandem/syncmsg.h"
#include "takeover_fix.h"

#define WINDOW	256

static uint8_t		 buf[SYNC_MAX_LEN];
static struct sa_ike	 ike;
static struct sa_child	 ch;
static struct sync_msg	 m;

/* Read one datagram; the acknowledged seq it carries, or *acked kept. */
static int
read_ack(int fd, uint64_t *acked)
{
	struct pollfd	 p;
	ssize_t		 r;

	p.fd = fd;
	p.events = POLLIN;
	if (poll(&p, 1, 10000) <= 0)
		return -1;
	if ((r = recv(fd, buf, sizeof(buf), 0)) <= 0)
		return -1;
	if (syncmsg_decode(buf, (size_t)r, &m) == 0 &&
	    m.hdr.type == SYNC_ACK && m.u.ack.n >= 1 &&
	    m.u.ack.e[0].seq > *acked)
		*acked = m.u.ack.e[0].seq;
	syncmsg_wipe(&m);
	return 0;
}

static int
send_one(int fd, uint64_t seq, bool child)
{
	struct wr	 w;
	long		 len;

	wr_init(&w, buf, sizeof(buf));
	len = child ? syncmsg_encode_child_up(&w, seq, 0, &ch) :
	    syncmsg_encode_ike_up(&w, seq, 0, &ike);
	return len > 0 && send(fd, buf, (size_t)len, 0) == len ? 0 : -1;
}

int
main(int argc, char **argv)
{
	struct sockaddr_un	 sun;
	struct timespec		 ts;
	uint64_t		 seq = 0, acked = 0, now;
	uint32_t		 i, n;
	int			 fd;

	if (argc != 3 || (n = (uint32_t)strtoul(argv[2], NULL, 10)) == 0) {
		fprintf(stderr, "usage: syncinject SOCKET N\n");
		return 1;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	now = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", argv[1]);
	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		fprintf(stderr, "syncinject: %s: %s\n", argv[1],
		    strerror(errno));
		return 1;
	}
	for (i = 0; i < n; i++) {
		fix_ike(&ike, i);
		fix_child(&ch, &ike, i);
		/* as the master would have them: up a second, due later */
		ike.established_ms = ch.installed_ms = now - 1000;
		ike.rekey_ms = now + 3600000;
		ch.rekey_ms = now + 1800000;
		ike.gen = ++seq;
		if (send_one(fd, seq, false) != 0)
			return 1;
		ch.gen = ++seq;
		if (send_one(fd, seq, true) != 0)
			return 1;
		while (seq - acked > WINDOW)
			if (read_ack(fd, &acked) != 0)
				return 2;
	}
	while (acked < seq)
		if (read_ack(fd, &acked) != 0) {
			fprintf(stderr, "syncinject: %llu of %llu events "
			    "acknowledged\n", (unsigned long long)acked,
			    (unsigned long long)seq);
			return 2;
		}
	sa_ike_wipe(&ike);
	sa_child_wipe(&ch);
	printf("syncinject: %u IKE + %u Child SAs held by the cluster\n", n,
	    n);
	close(fd);
	return 0;
}
