/*
 * test/bench/bench_syncmsg.c -- sync format speed: encode + decode of a
 * full CHILD_UP (8+8 selectors, four keys) and of a CTR batch of 64
 * counters, the two messages syncd sends most.  One iteration is one
 * encode and one decode of the same message.
 *
 * Figures: syncmsg_child_up_rate, syncmsg_child_up_mbps,
 * syncmsg_ctr64_rate, syncmsg_ctr64_mbps, syncmsg_ctr64_counter_rate.
 */
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "tandem/syncmsg.h"

#define RUN_NS	700000000ULL	/* per figure */

static uint8_t		 buf[SYNC_MAX_LEN];
static struct sync_msg	 m;

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
fill_child(struct sa_child *c)
{
	int	 i;

	memset(c, 0, sizeof(*c));
	c->gen = 1;
	memset(c->ike_spi_i, 0x11, SA_SPI_LEN);
	memset(c->ike_spi_r, 0x22, SA_SPI_LEN);
	c->spi_in = 0xc0000001U;
	c->spi_out = 0xc0000002U;
	c->proto = 50;
	c->mode = SA_MODE_TUNNEL;
	c->flags = SA_CHILD_ESN;
	c->replay_window = 1024;
	addr(&c->local, 1, 4500);
	addr(&c->remote, 2, 4500);
	c->reqid = 7;
	c->encr = 12;
	c->encr_bits = 256;
	c->integ = 12;
	c->encr_in.len = c->encr_out.len = 32;
	c->integ_in.len = c->integ_out.len = 32;
	memset(c->encr_in.data, 1, 32);
	memset(c->encr_out.data, 2, 32);
	memset(c->integ_in.data, 3, 32);
	memset(c->integ_out.data, 4, 32);
	c->n_ts_local = c->n_ts_remote = SA_TS_MAX;
	for (i = 0; i < SA_TS_MAX; i++) {
		c->ts_local[i].family = c->ts_remote[i].family = AF_INET;
		c->ts_local[i].port_hi = c->ts_remote[i].port_hi = 65535;
		c->ts_local[i].start[0] = c->ts_local[i].end[0] = 10;
		c->ts_local[i].start[1] = c->ts_local[i].end[1] = (uint8_t)i;
		c->ts_local[i].end[2] = c->ts_local[i].end[3] = 255;
		c->ts_remote[i] = c->ts_local[i];
		c->ts_remote[i].start[0] = c->ts_remote[i].end[0] = 172;
	}
	c->lft.soft_s = 3000;
	c->lft.hard_s = 3600;
	c->installed_ms = 1700000000000ULL;
	c->ctr.out_end = 1 << 20;
}

static void
fill_ctr(struct sync_ctr_batch *b, unsigned int n)
{
	unsigned int	 i;

	memset(b, 0, sizeof(*b));
	b->n = (uint16_t)n;
	for (i = 0; i < n; i++) {
		b->c[i].dir = (uint8_t)(i % 2 ? SYNC_CTR_IN : SYNC_CTR_OUT);
		b->c[i].spi = 0xc0000000U + i;
		addr(&b->c[i].dst, (uint8_t)i, 0);
		b->c[i].value = 1000000 + i;
		b->c[i].bitmap = i % 2 ? 0xffffffffU : 0;
	}
}

/* Encode with enc(), decode, until RUN_NS passed; msgs/s and bytes. */
static void
run(const char *rate_fig, const char *mbps_fig, const char *per_fig,
    unsigned int per_msg, long (*enc)(struct wr *, const void *),
    const void *rec)
{
	uint64_t	 t0, t, n = 0, bytes = 0;
	struct wr	 w;
	long		 len;
	double		 s;

	t0 = bench_now_ns();
	do {
		for (int i = 0; i < 1000; i++) {
			wr_init(&w, buf, sizeof(buf));
			if ((len = enc(&w, rec)) < 0 ||
			    syncmsg_decode(buf, (size_t)len, &m) != 0) {
				fprintf(stderr, "%s: round trip failed\n",
				    rate_fig);
				exit(1);
			}
			bytes += (uint64_t)len;
		}
		n += 1000;
		bench_sink(&m.hdr, sizeof(m.hdr));
		t = bench_now_ns() - t0;
	} while (t < RUN_NS);
	s = (double)t / 1e9;
	bench_figure(rate_fig, (double)n / s, "msg/s", -1, NULL);
	bench_figure(mbps_fig, (double)bytes / s / 1e6, "MB/s", -1, NULL);
	if (per_fig != NULL)
		bench_figure(per_fig, (double)n * per_msg / s, "ctr/s", -1,
		    NULL);
	printf("    (%ld bytes per message)\n", (long)(bytes / n));
}

static long
enc_child(struct wr *w, const void *rec)
{
	return syncmsg_encode_child_up(w, 1, 0, rec);
}

static long
enc_ctr(struct wr *w, const void *rec)
{
	return syncmsg_encode_ctr(w, 1, 0, rec);
}

int
main(int argc, char **argv)
{
	static struct sa_child		 c;
	static struct sync_ctr_batch	 b;

	bench_open(argc, argv);
	printf("syncmsg: encode + decode, one core\n");
	fill_child(&c);
	run("syncmsg_child_up_rate", "syncmsg_child_up_mbps", NULL, 0,
	    enc_child, &c);
	fill_ctr(&b, 64);
	run("syncmsg_ctr64_rate", "syncmsg_ctr64_mbps",
	    "syncmsg_ctr64_counter_rate", 64, enc_ctr, &b);
	sa_child_wipe(&c);
	syncmsg_wipe(&m);
	bench_close();
	return 0;
}
