/*
 * test/bench/ikeload.c -- an IKEv2 load generator built on ikev2d's own
 * protocol core (ike_core.h), for test/bench/responder.sh.
 *
 * One core holds N connections "lNNNNN", one per simulated peer, all
 * from one local address and the IKE ports 500/4500 (both responders key
 * IKE SAs by SPI, so one source address and port serve every SA).  Each
 * connection is initiated once: IKE_SA_INIT + IKE_AUTH with one Child
 * SA; at most `window` negotiations are in flight.  The SAs are kept up
 * (no DELETE) so that the responder's memory can be read with all of
 * them established.  The kernel ops are kernel_null_ops: nothing is
 * installed on our side either.
 *
 *   ikeload -l LOCAL -r REMOTE -a psk|ecdsa -n N [-w WINDOW] [-k PSK]
 *           [-P PKIDIR] [-p RESPONDER_PID] [-m MARK[,MARK...]] [-t SECS]
 *
 * psk: our identity is load-NNNNN.example (one per SA), the responder's
 * responder.example.  ecdsa: PKIDIR holds ca.pem, init.pem and init.key
 * (P-256, subjectAltName DNS:initiator.example, our identity for every
 * SA); the responder must present a certificate for responder.example
 * issued by ca.pem.  Proposals: aes128gcm16-prfsha256-x25519 for IKE,
 * aes128gcm16 for ESP.  Child SA i (1..N) protects 2001:db8:1::<i hex>/128
 * <-> 2001:db8:2::/64 (documentation prefixes: a remote site per SA,
 * away from the IKE addresses, so that charon's libipsec routes do not
 * collide with IKE traffic); the responder narrows 2001:db8:1::/64.
 *
 * With -p, the responder process is read from /proc before the first SA
 * and at every mark (and at N): initiation pauses, the SAs in flight
 * complete, the responder is given SETTLE_MS to go idle, then its
 * user+sys CPU time (/proc/PID/stat) and VmRSS (/proc/PID/status).
 * Results are lines on stdout:
 *
 *   mark sas=1000 failed=0 active_s=1.234 rate=810.4 cpu_ms=740.1
 *        rss0_kb=4096 rss_kb=22400 self_cpu_ms=690.2
 *
 * (one line; cpu_ms is the responder's CPU since the start, self_cpu_ms
 * ikeload's own since the start, its set-up excluded; active_s the wall time spent negotiating, pauses
 * excluded).  Exit 0 when every SA
 * came up, 1 when some failed, 2 on usage or set-up errors.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tandem/clock.h"
#include "tandem/cfg.h"
#include "../../ikev2d/ike_core.h"
#include "../../ikev2d/kernel_null.h"

#define LOAD_RX_BUF	65536
#define LOAD_MARKS	8
#define SETTLE_MS	500
#define NON_ESP_MARKER	4
#define IKE_PROPOSAL	"aes128gcm16-prfsha256-x25519"
#define ESP_PROPOSAL	"aes128gcm16"
/* Child SA selectors: a host of ours per SA, the responder's subnet */
#define LOCAL_TS_PFX	"2001:db8:1::"
#define REMOTE_TS	"2001:db8:2::/64"

struct load {
	struct ike_core		*core;
	struct tnd_cfg		*cfg;
	struct kernel_null	 kn;
	int			 fd500, fd4500;
	struct sa_addr		 local, local4500;
	uint64_t		 ike_up;	/* IKE SAs established */
	uint64_t		 up;		/* Child SAs up = SAs done */
	uint64_t		 auth_failed, timeouts;
	unsigned int		 logged;
	uint8_t			 rbuf[LOAD_RX_BUF];
	uint8_t			 sbuf[LOAD_RX_BUF + NON_ESP_MARKER];
};

static uint64_t
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: ikeload -l LOCAL -r REMOTE -a psk|ecdsa "
	    "-n N [-w WINDOW] [-k PSK] [-P PKIDIR]\n"
	    "               [-p RESPONDER_PID] [-m MARK[,MARK...]] "
	    "[-t SECS]\n");
	exit(2);
}

/* A growing string for the generated tandem.conf. */
struct sbuf {
	char	*p;
	size_t	 len, cap;
};

static void __attribute__((format(printf, 2, 3)))
sb_add(struct sbuf *s, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(s->p + s->len, s->cap - s->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			fprintf(stderr, "ikeload: vsnprintf failed\n");
			exit(2);
		}
		if ((size_t)n < s->cap - s->len)
			break;
		s->cap = (s->cap + (size_t)n + 1) * 2;
		if ((s->p = realloc(s->p, s->cap)) == NULL) {
			fprintf(stderr, "ikeload: out of memory\n");
			exit(2);
		}
	}
	s->len += (size_t)n;
}

static char *
make_conf(const char *local, const char *remote, bool ecdsa, const char *psk,
    const char *pki, unsigned int n)
{
	struct sbuf	 s = { NULL, 0, 0 };
	unsigned int	 i;

	sb_add(&s, "ike = {\n port = 500;\n port_nat_t = 4500;\n"
	    " retransmit_timeout = 2.0;\n retransmit_base = 1.4;\n"
	    " retransmit_tries = 3;\n cookie_threshold = 1000000;\n"
	    " block_threshold = 0;\n connections = {\n");
	for (i = 1; i <= n; i++) {
		sb_add(&s, "  l%05u = {\n   vip_group = \"vg1\";\n"
		    "   local_addrs = [ \"%s\" ];\n"
		    "   remote_addrs = [ \"%s\" ];\n"
		    "   proposals = [ \"" IKE_PROPOSAL "\" ];\n"
		    "   dpd_delay = 0;\n   rekey_time = 0;\n"
		    "   fragmentation = \"no\";\n", i, local, remote);
		if (ecdsa)
			sb_add(&s, "   local = { auth = \"pubkey\"; "
			    "id = \"initiator.example\"; "
			    "certs = [ \"%s/init.pem\" ]; "
			    "key = \"%s/init.key\"; };\n"
			    "   remote = { auth = \"pubkey\"; "
			    "id = \"responder.example\"; "
			    "cacerts = [ \"%s/ca.pem\" ]; };\n", pki, pki, pki);
		else
			sb_add(&s, "   local = { auth = \"psk\"; "
			    "id = \"load-%05u.example\"; };\n"
			    "   remote = { auth = \"psk\"; "
			    "id = \"responder.example\"; };\n", i);
		sb_add(&s, "   children = { c = { esp_proposals = "
		    "[ \"" ESP_PROPOSAL "\" ]; start_action = \"none\"; "
		    "rekey_time = 0; life_time = \"1d\"; rand_time = 0;\n"
		    "    local_ts = [ \"" LOCAL_TS_PFX "%x/128\" ]; "
		    "remote_ts = [ \"" REMOTE_TS "\" ]; }; };\n  };\n", i);
	}
	sb_add(&s, " };\n");
	if (!ecdsa)
		sb_add(&s, " secrets = { load = { type = \"ike\"; "
		    "secret = \"%s\"; }; };\n", psk);
	sb_add(&s, "};\nsync = { allow_unencrypted_ring = true; };\n"
	    "ha = { node = \"load\"; groups = { vg1 = { vrid = 51; "
	    "interface = \"lo\"; vips = [ \"%s/24\" ]; }; }; };\n", local);
	return s.p;
}

static void
on_log(void *arg, const struct ike_log_msg *m)
{
	struct load	*ld = arg;

	if (m->kind == IKE_LK_AUTH_FAILED)
		ld->auth_failed++;
	else if (m->kind == IKE_LK_TIMEOUT)
		ld->timeouts++;
	if (m->level <= IKE_LOG_WARN && ld->logged < 20) {
		ld->logged++;
		fprintf(stderr, "ikeload: %s\n", m->msg);
	}
}

static void
on_event(void *arg, const struct ike_event *ev)
{
	struct load	*ld = arg;

	if (ev->type == IKE_EV_IKE_UP)
		ld->ike_up++;
	else if (ev->type == IKE_EV_CHILD_UP)
		ld->up++;
}

static int
udp_bind(const struct sa_addr *a)
{
	struct sockaddr_in	 sin;
	int			 fd, sz = 8 << 20;

	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		return -1;
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	memcpy(&sin.sin_addr, a->addr, 4);
	sin.sin_port = htons(a->port);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
flush_out(struct load *ld)
{
	const struct ike_dgram	*d;
	struct sockaddr_in	 sin;
	const uint8_t		*p;
	size_t			 len;
	int			 fd;

	while ((d = ike_core_out_peek(ld->core)) != NULL) {
		fd = d->local.port == 4500 ? ld->fd4500 : ld->fd500;
		p = d->buf;
		len = d->len;
		if (d->marker && d->len <= LOAD_RX_BUF) {
			memset(ld->sbuf, 0, NON_ESP_MARKER);
			memcpy(ld->sbuf + NON_ESP_MARKER, d->buf, d->len);
			p = ld->sbuf;
			len = d->len + NON_ESP_MARKER;
		}
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		memcpy(&sin.sin_addr, d->remote.addr, 4);
		sin.sin_port = htons(d->remote.port);
		if (sendto(fd, p, len, 0, (struct sockaddr *)&sin,
		    sizeof(sin)) == -1 && errno != EAGAIN)
			perror("ikeload: sendto");
		ike_core_out_pop(ld->core);
	}
}

static void
drain(struct load *ld, int fd, bool natt)
{
	const struct sa_addr	*local = natt ? &ld->local4500 : &ld->local;
	struct sockaddr_in	 sin;
	struct sa_addr		 rem;
	socklen_t		 sl;
	ssize_t			 n;
	int			 i;

	for (i = 0; i < 256; i++) {
		sl = sizeof(sin);
		n = recvfrom(fd, ld->rbuf, sizeof(ld->rbuf), 0,
		    (struct sockaddr *)&sin, &sl);
		if (n == -1)
			return;
		memset(&rem, 0, sizeof(rem));
		rem.family = AF_INET;
		memcpy(rem.addr, &sin.sin_addr, 4);
		rem.port = ntohs(sin.sin_port);
		if (natt) {
			/* keepalive, ESP (zero marker missing) or short */
			if (n < NON_ESP_MARKER + 28 || ld->rbuf[0] | ld->rbuf[1] |
			    ld->rbuf[2] | ld->rbuf[3])
				continue;
			ike_core_input(ld->core, local, &rem,
			    ld->rbuf + NON_ESP_MARKER,
			    (size_t)n - NON_ESP_MARKER, now_ms());
		} else
			ike_core_input(ld->core, local, &rem, ld->rbuf,
			    (size_t)n, now_ms());
	}
}

/* Responder CPU (user+sys, ms) and VmRSS (kB); -1 on failure. */
static int
proc_read(long pid, double *cpu_ms, long *rss_kb)
{
	char		 path[64], buf[4096], *p;
	unsigned long	 ut, st;
	FILE		*f;
	size_t		 n;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* fields after the ")" of comm: state is field 3, utime 14 */
	if ((p = strrchr(buf, ')')) == NULL || sscanf(p + 2,
	    "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
	    &ut, &st) != 2)
		return -1;
	*cpu_ms = (double)(ut + st) * 1000.0 / (double)sysconf(_SC_CLK_TCK);
	snprintf(path, sizeof(path), "/proc/%ld/status", pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	*rss_kb = -1;
	while (fgets(buf, sizeof(buf), f) != NULL)
		if (sscanf(buf, "VmRSS: %ld kB", rss_kb) == 1)
			break;
	fclose(f);
	return *rss_kb < 0 ? -1 : 0;
}

static int
addr_parse(const char *s, uint16_t port, struct sa_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->family = AF_INET;
	a->port = port;
	return inet_pton(AF_INET, s, a->addr) == 1 ? 0 : -1;
}

/* This process's user+sys CPU time so far, ms (clock.h). */
static double
self_cpu_ms(void)
{
	return (double)self_cpu_us() / 1000.0;
}

/*
 * Run the core until no negotiation is in flight or until deadline.
 * ike_core_next_deadline() walks every SA: read at most every DL_EVERY_MS
 * (the core's timers here are retransmissions, seconds away), or the
 * walk of thousands of SAs per datagram made the initiator the slower
 * side of bench_ike_repl.sh.
 */
#define DL_EVERY_MS	10
static void
pump(struct load *ld, struct pollfd *pfd, uint64_t until_ms)
{
	static uint64_t	 dl = 0, dl_at = 0;
	uint64_t	 now;
	int		 tmo;

	flush_out(ld);
	now = now_ms();
	if (dl_at == 0 || now - dl_at >= DL_EVERY_MS) {
		dl = ike_core_next_deadline(ld->core);
		dl_at = now;
	}
	tmo = DL_EVERY_MS;
	if (dl <= now)
		tmo = 0;
	else if (dl - now < (uint64_t)tmo)
		tmo = (int)(dl - now);
	if (until_ms > now && until_ms - now < (uint64_t)tmo)
		tmo = (int)(until_ms - now);
	if (poll(pfd, 2, tmo) > 0) {
		if (pfd[0].revents & POLLIN)
			drain(ld, ld->fd500, false);
		if (pfd[1].revents & POLLIN)
			drain(ld, ld->fd4500, true);
	}
	now = now_ms();
	if (dl <= now) {
		ike_core_tick(ld->core, now);
		dl_at = 0;
	}
	flush_out(ld);
}

int
main(int argc, char **argv)
{
	struct ike_core_env	 env;
	struct ike_core_limits	 lim;
	struct load		*ld;
	struct pollfd		 pfd[2];
	const char		*local = NULL, *remote = NULL, *auth = "psk";
	const char		*psk = "bench-psk-0123456789abcdef", *pki = ".";
	char			 err[CFG_ERR_MAX], name[32], *conf, *tok;
	unsigned long		 marks[LOAD_MARKS];
	size_t			 nmarks = 0, mi;
	unsigned long		 n = 0, window = 64, started = 0, failed;
	/* an SA is done when its IKE SA is up; it counts when its Child SA
	 * is up too, else it failed */
	long			 pid = 0, rss0 = 0, rss;
	double			 cpu0 = 0, cpu, active_ms = 0, self0;
	uint64_t		 t0, limit_s = 600, t_start, inflight;
	bool			 ecdsa;
	int			 c;

	while ((c = getopt(argc, argv, "l:r:a:n:w:k:P:p:m:t:")) != -1) {
		switch (c) {
		case 'l': local = optarg; break;
		case 'r': remote = optarg; break;
		case 'a': auth = optarg; break;
		case 'n': n = strtoul(optarg, NULL, 10); break;
		case 'w': window = strtoul(optarg, NULL, 10); break;
		case 'k': psk = optarg; break;
		case 'P': pki = optarg; break;
		case 'p': pid = strtol(optarg, NULL, 10); break;
		case 't': limit_s = strtoull(optarg, NULL, 10); break;
		case 'm':
			for (tok = strtok(optarg, ","); tok != NULL &&
			    nmarks < LOAD_MARKS; tok = strtok(NULL, ","))
				marks[nmarks++] = strtoul(tok, NULL, 10);
			break;
		default:
			usage();
		}
	}
	if (local == NULL || remote == NULL || n == 0 || n > 99999 ||
	    window == 0 || (strcmp(auth, "psk") != 0 &&
	    strcmp(auth, "ecdsa") != 0))
		usage();
	ecdsa = strcmp(auth, "ecdsa") == 0;
	if (nmarks < LOAD_MARKS)
		marks[nmarks++] = n;

	if ((ld = calloc(1, sizeof(*ld))) == NULL)
		return 2;
	conf = make_conf(local, remote, ecdsa, psk, pki, (unsigned int)n);
	if (cfg_load_string(conf, "ikeload.conf", &ld->cfg, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "ikeload: %s\n", err);
		return 2;
	}
	free(conf);
	if (addr_parse(local, 500, &ld->local) != 0 ||
	    addr_parse(local, 4500, &ld->local4500) != 0) {
		fprintf(stderr, "ikeload: %s: not an IPv4 address\n", local);
		return 2;
	}
	if ((ld->fd500 = udp_bind(&ld->local)) == -1 ||
	    (ld->fd4500 = udp_bind(&ld->local4500)) == -1) {
		fprintf(stderr, "ikeload: bind %s:500/4500: %s\n", local,
		    strerror(errno));
		return 2;
	}
	kernel_null_init(&ld->kn, 0x10000000u);
	memset(&env, 0, sizeof(env));
	env.kernel = &kernel_null_ops;
	env.kernel_arg = &ld->kn;
	env.event = on_event;
	env.log = on_log;
	env.arg = ld;
	memset(&lim, 0, sizeof(lim));
	if ((ld->core = ike_core_new(ld->cfg, &env, &lim)) == NULL) {
		fprintf(stderr, "ikeload: cannot create the core\n");
		return 2;
	}
	pfd[0].fd = ld->fd500;
	pfd[1].fd = ld->fd4500;
	pfd[0].events = pfd[1].events = POLLIN;

	if (pid > 0 && proc_read(pid, &cpu0, &rss0) != 0) {
		fprintf(stderr, "ikeload: cannot read /proc/%ld\n", pid);
		return 2;
	}
	printf("start n=%lu auth=%s window=%lu rss0_kb=%ld\n", n, auth,
	    window, rss0);
	fflush(stdout);

	self0 = self_cpu_ms();
	t_start = now_ms();
	for (mi = 0; mi < nmarks; mi++) {
		t0 = now_ms();
		for (;;) {
			/* in flight: in the table, not established yet */
			inflight = ike_core_stats(ld->core)->ike_sas -
			    ld->ike_up;
			while (started < marks[mi] && inflight < window) {
				snprintf(name, sizeof(name), "l%05lu",
				    started + 1);
				if (ike_core_initiate(ld->core, name, NULL,
				    now_ms()) < 0) {
					fprintf(stderr, "ikeload: cannot "
					    "initiate %s\n", name);
					return 2;
				}
				started++;
				inflight++;
			}
			if (started >= marks[mi] && inflight == 0)
				break;
			if (now_ms() - t_start > limit_s * 1000) {
				fprintf(stderr, "ikeload: time limit (%" PRIu64
				    " s) reached\n", limit_s);
				break;
			}
			pump(ld, pfd, 0);
		}
		active_ms += (double)(now_ms() - t0);
		failed = started - ld->up;
		cpu = 0;
		rss = 0;
		if (pid > 0) {
			t0 = now_ms() + SETTLE_MS;
			while (now_ms() < t0)
				pump(ld, pfd, t0);
			if (proc_read(pid, &cpu, &rss) != 0) {
				fprintf(stderr, "ikeload: responder %ld "
				    "gone\n", pid);
				return 2;
			}
		}
		printf("mark sas=%" PRIu64 " failed=%lu active_s=%.3f "
		    "rate=%.1f cpu_ms=%.1f rss0_kb=%ld rss_kb=%ld "
		    "self_cpu_ms=%.1f\n", ld->up,
		    failed, active_ms / 1000.0,
		    active_ms > 0 ? (double)ld->up * 1000.0 / active_ms : 0,
		    cpu - cpu0, rss0, rss, self_cpu_ms() - self0);
		fflush(stdout);
		if (now_ms() - t_start > limit_s * 1000)
			break;
	}
	failed = started - ld->up;
	fprintf(stderr, "ikeload: %" PRIu64 " up, %lu failed (auth %" PRIu64
	    ", timeouts %" PRIu64 "), %" PRIu64 " retransmits\n", ld->up,
	    failed, ld->auth_failed, ld->timeouts,
	    ike_core_stats(ld->core)->retransmits);
	/* the SAs stay up on the responder: no DELETE is sent */
	ike_core_free(ld->core);
	cfg_free(ld->cfg);
	close(ld->fd500);
	close(ld->fd4500);
	free(ld);
	return failed == 0 ? 0 : 1;
}
