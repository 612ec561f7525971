/*
 * test/tools/xfrmtool.c -- drive ikev2d's XFRM builders and netlink socket
 * from the shell, so lab tests check them against a real kernel (the
 * kernel in User-Mode Linux has ESP; the host kernel takes policies only).
 *
 *   xfrmtool sa-add SRC DST SPI REQID GCMKEYHEX [oseq N] [esn] [window W]
 *   xfrmtool sa-del DST SPI
 *   xfrmtool policy-add SRCNET DSTNET in|out|fwd TUNSRC TUNDST REQID
 *   xfrmtool policy-del SRCNET DSTNET in|out|fwd
 *   xfrmtool ae-get DST SPI          prints "oseq N seq N"
 *   xfrmtool ae-set SRC DST SPI REQID OSEQ SEQ [esn WINDOW]
 *   xfrmtool spi SRC DST REQID       prints a kernel-allocated SPI
 *   xfrmtool bench N                 times, batched as a takeover sends
 *       them, N SA pairs added, 3N policies (N each way) added, 2N
 *       counter presets (NEWAE), and their removal; prints one
 *       "OP COUNT MS" line per step.  Selectors in 198.18.0.0/15 (RFC
 *       2544's benchmark range), tunnel 192.0.2.1 <-> 192.0.2.2.
 *
 * SAs are ESP tunnel mode with AES-GCM-16 (key hex = key + 4-byte salt).
 * Exit 0 on success; 1 with the kernel's error on stderr.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../ikev2d/ike_const.h"
#include "../../ikev2d/xfrm.h"
#include "../../ikev2d/xfrm_msg.h"

static struct xfrm_batch	 batch;

struct answer {
	int		 err;
	struct kernel_ae ae;
	uint32_t	 spi;
	bool		 got_ae, got_spi;
};

static void
die(const char *why)
{
	fprintf(stderr, "xfrmtool: %s\n", why);
	exit(1);
}

static void
addr(struct kaddr *a, const char *s)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->addr) == 1)
		a->family = AF_INET;
	else if (inet_pton(AF_INET6, s, a->addr) == 1)
		a->family = AF_INET6;
	else
		die("bad address");
}

static void
prefix(struct kaddr *a, uint8_t *plen, const char *s)
{
	char	 tmp[64], *slash;

	snprintf(tmp, sizeof(tmp), "%s", s);
	if ((slash = strchr(tmp, '/')) == NULL)
		die("want ADDR/LEN");
	*slash = '\0';
	addr(a, tmp);
	*plen = (uint8_t)strtoul(slash + 1, NULL, 10);
}

static uint64_t
num(const char *s)
{
	char			*end;
	unsigned long long	 v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || *end != '\0')
		die("bad number");
	return v;
}

static enum kdir
dir(const char *s)
{
	if (strcmp(s, "in") == 0)
		return KDIR_IN;
	if (strcmp(s, "out") == 0)
		return KDIR_OUT;
	if (strcmp(s, "fwd") == 0)
		return KDIR_FWD;
	die("direction is in, out or fwd");
	return KDIR_IN;
}

static void
on_answer(void *arg, uint32_t seq, int err, const void *msg, size_t len)
{
	struct answer	*a = arg;

	a->err = err;
	if (msg == NULL)
		return;
	if (xfrm_parse_ae(msg, len, &a->ae) == 0)
		a->got_ae = true;
	else if (xfrm_parse_sa_spi(msg, len, &a->spi) == 0)
		a->got_spi = true;
}

/* Build one message with fn's result and send it. */
static struct answer
run(struct xfrm_sock *xs, long len)
{
	struct answer	 a;

	memset(&a, 0, sizeof(a));
	if (len < 0)
		die("cannot build that request");
	xfrm_batch_commit(&batch, (size_t)len);
	if (xfrm_batch_send(xs, &batch, on_answer, &a) == -1)
		die("netlink socket failed");
	if (a.err != 0) {
		fprintf(stderr, "xfrmtool: kernel: %s\n", strerror(-a.err));
		exit(1);
	}
	return a;
}

/* --- bench ----------------------------------------------------------------- */

struct bench_ctx {
	struct xfrm_sock	*xs;
	unsigned int		 failed;
};

static void
on_bench(void *arg, uint32_t seq, int err, const void *msg, size_t len)
{
	struct bench_ctx	*b = arg;

	(void)seq;
	(void)msg;
	(void)len;
	if (err != 0)
		b->failed++;
}

/* Room for one more request, sending the batch first when it is full. */
static void *
bench_slot(struct bench_ctx *b, uint32_t *seq)
{
	void	*m;

	/* at most 128 a batch, as ikev2d (xfrm_ops.h): the kernel's
	 * answers to more small requests overflow the receive buffer */
	if (batch.count < 128 &&
	    (m = xfrm_batch_next(b->xs, &batch, seq)) != NULL)
		return m;
	if (xfrm_batch_send(b->xs, &batch, on_bench, b) == -1)
		die("netlink socket failed");
	xfrm_batch_init(&batch);
	return xfrm_batch_next(b->xs, &batch, seq);
}

static void
bench_put(struct bench_ctx *b, void *m, long len)
{
	(void)m;
	if (len < 0)
		die("cannot build a bench request");
	xfrm_batch_commit(&batch, (size_t)len);
}

static double
bench_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void
bench_sa(struct kernel_sa *sa, unsigned int i, bool in)
{
	unsigned int	 k;

	memset(sa, 0, sizeof(*sa));
	addr(&sa->src, in ? "192.0.2.2" : "192.0.2.1");
	addr(&sa->dst, in ? "192.0.2.1" : "192.0.2.2");
	sa->spi = (in ? 0xc1000000u : 0xc2000000u) + i;
	sa->reqid = 100000 + i;
	sa->proto = IPPROTO_ESP;
	sa->tunnel = true;
	sa->encr = IKE_ENCR_AES_GCM_16;
	sa->encr_bits = 128;
	sa->enc_key_len = 20;
	for (k = 0; k < sa->enc_key_len; k++)
		sa->enc_key[k] = (uint8_t)(i * 7 + k);
	sa->replay_window = in ? 32 : 0;
	sa->oseq = in ? 0 : 5000 + i;
	sa->seq = in ? 4000 + i : 0;
}

static void
bench_pol(struct kernel_policy *p, unsigned int i, enum kdir d)
{
	struct kaddr	 local, remote;

	memset(p, 0, sizeof(*p));
	memset(&local, 0, sizeof(local));
	memset(&remote, 0, sizeof(remote));
	local.family = remote.family = AF_INET;
	local.addr[0] = remote.addr[0] = 198;
	local.addr[1] = 18;
	remote.addr[1] = 19;
	local.addr[2] = remote.addr[2] = (uint8_t)(i >> 8);
	local.addr[3] = remote.addr[3] = (uint8_t)i;
	p->sel.src = d == KDIR_OUT ? local : remote;
	p->sel.dst = d == KDIR_OUT ? remote : local;
	p->sel.src_plen = p->sel.dst_plen = 32;
	p->dir = d;
	p->tunnel = true;
	addr(&p->tmpl_src, d == KDIR_OUT ? "192.0.2.1" : "192.0.2.2");
	addr(&p->tmpl_dst, d == KDIR_OUT ? "192.0.2.2" : "192.0.2.1");
	p->reqid = 100000 + i;
	p->proto = IPPROTO_ESP;
	p->priority = 1000;
}

enum bench_step { BS_NEWSA, BS_NEWPOL_IN, BS_NEWPOL_OUT, BS_NEWAE,
	BS_DELPOL, BS_DELSA, BS_MAX };

static void
bench_step(struct bench_ctx *b, enum bench_step st, unsigned int n)
{
	static const char *const names[BS_MAX] = { "newsa", "newpolicy_in_fwd",
	    "newpolicy_out", "newae", "delpolicy", "delsa" };
	struct kernel_sa	 sa;
	struct kernel_policy	 p;
	struct kaddr		 dst;
	unsigned int		 i, d, count = 0;
	uint32_t		 seq;
	double			 t0;
	void			*m;

	b->failed = 0;
	xfrm_batch_init(&batch);
	t0 = bench_ms();
	for (i = 0; i < n; i++) {
		for (d = 0; d < 3; d++) {
			if ((st == BS_NEWSA || st == BS_NEWAE ||
			    st == BS_DELSA) && d == 2)
				break;
			if ((st == BS_NEWPOL_OUT && d != KDIR_OUT) ||
			    (st == BS_NEWPOL_IN && d == KDIR_OUT))
				continue;
			m = bench_slot(b, &seq);
			count++;
			switch (st) {
			case BS_NEWSA:
				bench_sa(&sa, i, d == 0);
				bench_put(b, m, xfrm_msg_newsa(m, XFRM_MSG_BUF,
				    seq, &sa, false));
				break;
			case BS_NEWAE:
				bench_sa(&sa, i, d == 0);
				sa.oseq += 100;
				bench_put(b, m, xfrm_msg_setae(m, XFRM_MSG_BUF,
				    seq, &sa));
				break;
			case BS_DELSA:
				bench_sa(&sa, i, d == 0);
				dst = sa.dst;
				bench_put(b, m, xfrm_msg_delsa(m, XFRM_MSG_BUF,
				    seq, &dst, sa.spi, IPPROTO_ESP, 0, 0));
				break;
			case BS_DELPOL:
				bench_pol(&p, i, (enum kdir)d);
				bench_put(b, m, xfrm_msg_delpolicy(m,
				    XFRM_MSG_BUF, seq, &p.sel, p.dir, 0, 0, 0));
				break;
			default:
				bench_pol(&p, i, (enum kdir)d);
				bench_put(b, m, xfrm_msg_newpolicy(m,
				    XFRM_MSG_BUF, seq, &p, false));
				break;
			}
		}
	}
	if (batch.count > 0 && xfrm_batch_send(b->xs, &batch, on_bench, b) ==
	    -1)
		die("netlink socket failed");
	printf("%s %u %.1f\n", names[st], count, bench_ms() - t0);
	if (b->failed != 0) {
		fprintf(stderr, "xfrmtool: bench %s: %u request(s) failed\n",
		    names[st], b->failed);
		exit(1);
	}
}

static void
bench(struct xfrm_sock *xs, unsigned int n)
{
	struct bench_ctx	 b;
	unsigned int		 st;

	memset(&b, 0, sizeof(b));
	b.xs = xs;
	for (st = 0; st < BS_MAX; st++)
		bench_step(&b, (enum bench_step)st, n);
}

int
main(int argc, char **argv)
{
	struct xfrm_sock	 xs;
	struct kernel_sa	 sa;
	struct kernel_policy	 p;
	struct kaddr		 dst;
	struct answer		 a;
	uint32_t		 seq;
	void			*m;
	int			 i;

	if (argc < 2)
		die("usage: see the header of test/tools/xfrmtool.c");
	if (xfrm_open(&xs, 0) == -1)
		die("cannot open the XFRM netlink socket");
	xfrm_batch_init(&batch);
	m = xfrm_batch_next(&xs, &batch, &seq);
	memset(&sa, 0, sizeof(sa));
	memset(&p, 0, sizeof(p));
	if (strcmp(argv[1], "sa-add") == 0 && argc >= 7) {
		addr(&sa.src, argv[2]);
		addr(&sa.dst, argv[3]);
		sa.spi = (uint32_t)num(argv[4]);
		sa.reqid = (uint32_t)num(argv[5]);
		sa.proto = IPPROTO_ESP;
		sa.tunnel = true;
		sa.encr = IKE_ENCR_AES_GCM_16;
		for (i = 0; argv[6][2 * i] != '\0' && argv[6][2 * i + 1] != '\0' &&
		    i < KERNEL_KEY_MAX; i++)
			sscanf(argv[6] + 2 * i, "%2hhx", &sa.enc_key[i]);
		sa.enc_key_len = (uint8_t)i;
		sa.encr_bits = (uint16_t)((i - 4) * 8);
		sa.replay_window = 32;
		for (i = 7; i < argc; i++) {
			if (strcmp(argv[i], "esn") == 0)
				sa.esn = true;
			else if (i + 1 >= argc)
				die("sa-add option without a value");
			else if (strcmp(argv[i], "oseq") == 0)
				sa.oseq = num(argv[++i]);
			else if (strcmp(argv[i], "window") == 0)
				sa.replay_window = (uint32_t)num(argv[++i]);
			else
				die("unknown sa-add option");
		}
		run(&xs, xfrm_msg_newsa(m, XFRM_MSG_BUF, seq, &sa, false));
	} else if (strcmp(argv[1], "sa-del") == 0 && argc == 4) {
		addr(&dst, argv[2]);
		run(&xs, xfrm_msg_delsa(m, XFRM_MSG_BUF, seq, &dst,
		    (uint32_t)num(argv[3]), IPPROTO_ESP, 0, 0));
	} else if (strcmp(argv[1], "policy-add") == 0 && argc == 8) {
		prefix(&p.sel.src, &p.sel.src_plen, argv[2]);
		prefix(&p.sel.dst, &p.sel.dst_plen, argv[3]);
		p.dir = dir(argv[4]);
		p.tunnel = true;
		addr(&p.tmpl_src, argv[5]);
		addr(&p.tmpl_dst, argv[6]);
		p.reqid = (uint32_t)num(argv[7]);
		p.proto = IPPROTO_ESP;
		p.priority = 1000;
		run(&xs, xfrm_msg_newpolicy(m, XFRM_MSG_BUF, seq, &p, false));
	} else if (strcmp(argv[1], "policy-del") == 0 && argc == 5) {
		prefix(&p.sel.src, &p.sel.src_plen, argv[2]);
		prefix(&p.sel.dst, &p.sel.dst_plen, argv[3]);
		run(&xs, xfrm_msg_delpolicy(m, XFRM_MSG_BUF, seq, &p.sel,
		    dir(argv[4]), 0, 0, 0));
	} else if (strcmp(argv[1], "ae-get") == 0 && argc == 4) {
		addr(&dst, argv[2]);
		a = run(&xs, xfrm_msg_getae(m, XFRM_MSG_BUF, seq, &dst,
		    (uint32_t)num(argv[3]), IPPROTO_ESP, 0, 0));
		if (!a.got_ae)
			die("no counters in the answer");
		printf("oseq %" PRIu64 " seq %" PRIu64 "\n", a.ae.oseq,
		    a.ae.seq);
	} else if (strcmp(argv[1], "ae-set") == 0 && (argc == 8 ||
	    (argc == 10 && strcmp(argv[8], "esn") == 0))) {
		addr(&sa.src, argv[2]);
		addr(&sa.dst, argv[3]);
		sa.spi = (uint32_t)num(argv[4]);
		sa.reqid = (uint32_t)num(argv[5]);
		sa.proto = IPPROTO_ESP;
		sa.oseq = num(argv[6]);
		sa.seq = num(argv[7]);
		sa.replay_window = 32;
		if (argc == 10) {
			sa.esn = true;
			sa.replay_window = (uint32_t)num(argv[9]);
		}
		run(&xs, xfrm_msg_setae(m, XFRM_MSG_BUF, seq, &sa));
	} else if (strcmp(argv[1], "bench") == 0 && argc == 3) {
		bench(&xs, (unsigned int)num(argv[2]));
	} else if (strcmp(argv[1], "spi") == 0 && argc == 5) {
		addr(&sa.src, argv[2]);
		addr(&dst, argv[3]);
		a = run(&xs, xfrm_msg_allocspi(m, XFRM_MSG_BUF, seq, &sa.src,
		    &dst, IPPROTO_ESP, (uint32_t)num(argv[4]), 0xc0000000,
		    0xcfffffff));
		if (!a.got_spi)
			die("no SPI in the answer");
		printf("0x%08x\n", a.spi);
	} else
		die("bad command or arguments; see test/tools/xfrmtool.c");
	xfrm_close(&xs);
	return 0;
}
