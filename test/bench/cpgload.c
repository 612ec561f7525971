/*
 * test/bench/cpgload.c -- plays ikev2d against a running syncd to measure
 * replication (driven by test/bench/bench_cpg.sh, `make bench-cpg`).
 *
 *   cpgload OUT.jsonl SOCKET N WINDOW LABEL [pairs]
 *
 * Connects to syncd's <rundir>/syncd-ike.sock, sends N SA events (one
 * IKE_UP, then CHILD_UPs, each a distinct SA with keys; with "pairs":
 * N/2 IKE SAs with one Child SA each) with at most
 * WINDOW unacknowledged at a time, and reads syncd's cumulative
 * acknowledgements (SYNC_ACK node 0: every other member holds the event).
 * The latency of an event is send -> its acknowledgement: the write-ahead
 * commit latency ikev2d waits for.  Figures, suffixed with LABEL:
 *   cpg_events_rate_LABEL        events/s acknowledged
 *   cpg_commit_p50_ms_LABEL, cpg_commit_p99_ms_LABEL
 * With "dump" instead of "pairs" it sends nothing but SYNC_BULK_BEGIN,
 * the request a restarted ikev2d makes, and times the stream of records
 * back to BULK_END (at least N records expected):
 *   cpg_local_reload_ms_LABEL, cpg_local_reload_rate_LABEL
 * Exit 0, or 1 (syncd unreachable, or not every event acknowledged
 * within 60 s).
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "tandem/syncmsg.h"

static uint8_t		 buf[SYNC_MAX_LEN];
static struct sync_msg	 m;
static struct sa_child	 c;
static struct sa_ike	 k;

static void
addr(struct sa_addr *a, uint8_t last, uint16_t port)
{
	memset(a, 0, sizeof(*a));
	a->family = AF_INET;
	a->addr[0] = 192;
	a->addr[2] = 2;
	a->addr[3] = last;
	a->port = port;
}

static void
fill(void)
{
	memset(&k, 0, sizeof(k));
	k.gen = 1;
	memset(k.spi_i, 0x11, SA_SPI_LEN);
	memset(k.spi_r, 0x22, SA_SPI_LEN);
	k.role = SA_ROLE_RESPONDER;
	addr(&k.local, 1, 500);
	addr(&k.remote, 2, 500);
	k.local_id.type = 1;
	k.local_id.len = 4;
	k.remote_id.type = 1;
	k.remote_id.len = 4;
	k.encr = 20;
	k.encr_bits = 128;
	k.prf = 5;
	k.ke = 31;
	k.sk_d.len = k.sk_ei.len = k.sk_er.len = 32;
	k.sk_pi.len = k.sk_pr.len = 32;
	k.msgid_send = 0;
	k.msgid_recv = 2;
	k.peer_window = 1;
	snprintf(k.conn, sizeof(k.conn), "bench");

	memset(&c, 0, sizeof(c));
	c.gen = 1;
	memset(c.ike_spi_i, 0x11, SA_SPI_LEN);
	memset(c.ike_spi_r, 0x22, SA_SPI_LEN);
	c.proto = 50;
	c.mode = SA_MODE_TUNNEL;
	c.replay_window = 64;
	addr(&c.local, 1, 0);
	addr(&c.remote, 2, 0);
	c.reqid = 1;
	c.encr = 20;
	c.encr_bits = 128;
	c.encr_in.len = c.encr_out.len = 20;
	memset(c.encr_in.data, 1, 20);
	memset(c.encr_out.data, 2, 20);
	c.n_ts_local = c.n_ts_remote = 1;
	c.ts_local[0].family = c.ts_remote[0].family = AF_INET;
	c.ts_local[0].port_hi = c.ts_remote[0].port_hi = 65535;
	memset(c.ts_local[0].end, 0xff, 4);
	memset(c.ts_remote[0].end, 0xff, 4);
}

static void
spi_set(uint8_t spi[SA_SPI_LEN], uint64_t v)
{
	int	 i;

	for (i = SA_SPI_LEN - 1; i >= 0; i--, v >>= 8)
		spi[i] = (uint8_t)v;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The ikev2d reload request: BULK_BEGIN, then count until BULK_END. */
static int
do_dump(int fd, uint64_t want, const char *label)
{
	struct sync_bulk	 b;
	struct wr		 w;
	uint64_t		 t0, t1, got = 0;
	char			 fig[96];
	long			 len;
	ssize_t			 r;
	const uint8_t		*p;
	long			 l;

	memset(&b, 0, sizeof(b));
	wr_init(&w, buf, sizeof(buf));
	if ((len = syncmsg_encode_bulk(&w, SYNC_BULK_BEGIN, 0, 0, &b)) < 0)
		return 1;
	t0 = bench_now_ns();
	if (send(fd, buf, (size_t)len, 0) != len)
		return 1;
	for (;;) {
		if ((r = recv(fd, buf, sizeof(buf), 0)) <= 0) {
			fprintf(stderr, "cpgload: syncd closed\n");
			return 1;
		}
		/* syncd packs the stream: messages back to back */
		for (p = buf; r > 0; p += l, r -= l) {
			if ((l = syncmsg_frame_len(p, (size_t)r)) == -1)
				break;
			if (syncmsg_decode(p, (size_t)l, &m) != 0)
				continue;
			if (m.hdr.type == SYNC_BULK_END)
				goto end;
			if (m.hdr.flags & SYNC_F_BULK)
				got++;
			syncmsg_wipe(&m);
		}
	}
 end:
	t1 = bench_now_ns();
	printf("cpgload %s: reload of %llu records from syncd in %.1f ms\n",
	    label, (unsigned long long)got, (t1 - t0) / 1e6);
	if (got < want) {
		fprintf(stderr, "cpgload: %llu records, want >= %llu\n",
		    (unsigned long long)got, (unsigned long long)want);
		return 1;
	}
	snprintf(fig, sizeof(fig), "cpg_local_reload_ms_%s", label);
	bench_figure(fig, (t1 - t0) / 1e6, "ms", -1, NULL);
	snprintf(fig, sizeof(fig), "cpg_local_reload_rate_%s", label);
	bench_figure(fig, got / ((t1 - t0) / 1e9), "records/s", -1, NULL);
	bench_close();
	return 0;
}

int
main(int argc, char **argv)
{
	struct sockaddr_un	 sun;
	struct pollfd		 pfd;
	struct wr		 w;
	uint64_t		*sent_ns, *lat, n, win, seq = 0, acked = 0;
	uint64_t		 i, t0, t1, deadline, a;
	char			 fig[96];
	long			 len;
	ssize_t			 r;
	int			 fd;
	bool			 pairs, dump;

	if (argc != 6 && !(argc == 7 && (strcmp(argv[6], "pairs") == 0 ||
	    strcmp(argv[6], "dump") == 0))) {
		fprintf(stderr, "usage: cpgload OUT.jsonl SOCKET N WINDOW "
		    "LABEL [pairs|dump]\n");
		return 2;
	}
	pairs = argc == 7 && strcmp(argv[6], "pairs") == 0;
	dump = argc == 7 && strcmp(argv[6], "dump") == 0;
	n = strtoull(argv[3], NULL, 10);
	win = strtoull(argv[4], NULL, 10);
	if (n < 2 || win < 1)
		return 2;
	bench_open(argc, argv);
	sent_ns = calloc(n + 1, sizeof(*sent_ns));
	lat = calloc(n + 1, sizeof(*lat));
	if (sent_ns == NULL || lat == NULL)
		return 1;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", argv[2]);
	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		fprintf(stderr, "cpgload: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	fill();
	if (dump)
		return do_dump(fd, n, argv[5]);
	t0 = bench_now_ns();
	deadline = t0 + 60000000000ULL;
	while (acked < n) {
		/* Send while the window allows. */
		while (seq < n && seq - acked < win) {
			seq++;
			wr_init(&w, buf, sizeof(buf));
			if (pairs) {
				/* IKE SA (seq + 1) / 2, then its child. */
				spi_set(k.spi_i, (seq + 1) / 2);
				memcpy(c.ike_spi_i, k.spi_i, SA_SPI_LEN);
				c.spi_in = 0xc0000000U + (uint32_t)seq;
				c.spi_out = 0xd0000000U + (uint32_t)seq;
				len = seq % 2 == 1 ?
				    syncmsg_encode_ike_up(&w, seq, 0, &k) :
				    syncmsg_encode_child_up(&w, seq, 0, &c);
			} else if (seq == 1) {
				len = syncmsg_encode_ike_up(&w, seq, 0, &k);
			} else {
				c.spi_in = 0xc0000000U + (uint32_t)seq;
				c.spi_out = 0xd0000000U + (uint32_t)seq;
				len = syncmsg_encode_child_up(&w, seq, 0, &c);
			}
			if (len < 0) {
				fprintf(stderr, "cpgload: encode failed\n");
				return 1;
			}
			sent_ns[seq] = bench_now_ns();
			if (send(fd, buf, (size_t)len, 0) != len) {
				fprintf(stderr, "cpgload: send: %s\n",
				    strerror(errno));
				return 1;
			}
		}
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 1000) < 0)
			return 1;
		if (bench_now_ns() > deadline) {
			fprintf(stderr, "cpgload: %llu/%llu acknowledged in "
			    "60 s\n", (unsigned long long)acked,
			    (unsigned long long)n);
			return 1;
		}
		if (!(pfd.revents & POLLIN))
			continue;
		if ((r = recv(fd, buf, sizeof(buf), 0)) <= 0) {
			fprintf(stderr, "cpgload: syncd closed\n");
			return 1;
		}
		if (syncmsg_decode(buf, (size_t)r, &m) != 0 ||
		    m.hdr.type != SYNC_ACK || m.u.ack.n < 1)
			continue;
		a = m.u.ack.e[0].seq;
		t1 = bench_now_ns();
		for (i = acked + 1; i <= a && i <= n; i++)
			lat[i] = t1 - sent_ns[i];
		if (a > acked)
			acked = a > n ? n : a;
	}
	t1 = bench_now_ns();
	qsort(lat + 1, n, sizeof(*lat), cmp_u64);
	printf("cpgload %s: %llu events, window %llu: %.0f events/s, "
	    "commit p50 %.3f ms, p99 %.3f ms\n", argv[5],
	    (unsigned long long)n, (unsigned long long)win,
	    n / ((t1 - t0) / 1e9), lat[1 + n / 2] / 1e6,
	    lat[1 + (n * 99) / 100 - 1] / 1e6);
	snprintf(fig, sizeof(fig), "cpg_events_rate_%s", argv[5]);
	bench_figure(fig, n / ((t1 - t0) / 1e9), "events/s", -1, NULL);
	snprintf(fig, sizeof(fig), "cpg_commit_p50_ms_%s", argv[5]);
	bench_figure(fig, lat[1 + n / 2] / 1e6, "ms", -1, NULL);
	snprintf(fig, sizeof(fig), "cpg_commit_p99_ms_%s", argv[5]);
	bench_figure(fig, lat[1 + (n * 99) / 100 - 1] / 1e6, "ms", -1,
	    NULL);
	bench_close();
	close(fd);
	return 0;
}
