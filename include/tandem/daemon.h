/*
 * include/tandem/daemon.h -- what ikev2d, syncd and hamgrd share: command
 * line, configuration load, logging, pid file, run directory, control
 * socket, signals and the libev loop.
 *
 * A daemon's main() fills a struct daemon_desc and calls daemon_main(),
 * which returns the process exit status:
 *   0  clean exit (SIGTERM/SIGINT), --help, --version, --check-config OK
 *   1  runtime failure (already running, cannot create the run directory,
 *      start hook failed)
 *   2  usage error or invalid configuration ("file:line: what" on stderr)
 *
 * Two instances run side by side when they have different run directories
 * (--rundir): the pid file <rundir>/<name>.pid is locked with flock() for
 * the daemon's lifetime and the control socket is <rundir>/<name>.sock.
 */
#ifndef TANDEM_DAEMON_H
#define TANDEM_DAEMON_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <ev.h>

#include "tandem/ctlmsg.h"
#include "tandem/wire.h"

#define DAEMON_DEFAULT_CONFIG	"/etc/tandem/tandem.conf"
#define DAEMON_DEFAULT_RUNDIR	"/run/tandem"
#define DAEMON_MAX_CLIENTS	16

struct daemon;
struct tnd_cfg;

struct daemon_desc {
	const char	*name;		/* "ikev2d": program, log and file names */
	const char	*summary;	/* one line for --help */
	const char	*help;		/* the daemon's own paragraphs, or NULL */
	/* After the loop, logging, pid file and control socket exist;
	 * d->cfg is set.  Non-zero aborts start-up: exit 2 when it
	 * returns 2 (a valid setting this daemon cannot carry out), else
	 * exit 1. */
	int		(*start)(struct daemon *d);
	/* Optional: settings that validate but this daemon cannot carry
	 * out.  0, or -1 with one line into why; --check-config and start
	 * both exit 2 on it. */
	int		(*check)(const struct tnd_cfg *cfg, char *why,
			    size_t whylen);
	/* SIGHUP with a configuration that validated.  Return 0 to take it
	 * (the framework frees the old one), -1 to keep the old one. */
	int		(*reload)(struct daemon *d, struct tnd_cfg *next);
	void		(*stop)(struct daemon *d);
	/* Add the daemon's own status lines (ctl_put_kv) to a reply. */
	void		(*status)(struct daemon *d, struct wr *w);
	/* A control request of a type the frame does not handle (PING and
	 * STATUS are the frame's).  Answer through r; return -1 if the
	 * type is unknown to the daemon too. */
	int		(*request)(struct daemon *d, const struct ctl_hdr *h,
			    struct rd *tlvs, struct ctl_reply *r);
};

struct ctl_conn {
	ev_io		 io;
	struct daemon	*d;
	int		 fd;		/* -1 when the slot is free */
};

struct daemon {
	const struct daemon_desc *desc;
	struct ev_loop	*loop;
	struct tnd_cfg	*cfg;		/* owned; replaced on reload */
	const char	*config_path;
	char		 rundir[PATH_MAX];
	char		 pidfile[PATH_MAX];
	char		 ctlpath[PATH_MAX];
	bool		 foreground;
	int		 debug;
	int		 pidfd;
	uint64_t	 started_ms;	/* ev_now at start, for uptime */
	uint64_t	 reloads;
	uint64_t	 ctl_denied;	/* connections refused by credentials */
	uint64_t	 ctl_bad;	/* malformed control messages dropped */
	ev_signal	 sig_term, sig_int, sig_hup;
	ev_io		 ctl_listen;
	int		 ctl_fd;
	struct ctl_conn	 clients[DAEMON_MAX_CLIENTS];
	void		*priv;		/* the daemon's own state */
};

int	daemon_main(const struct daemon_desc *desc, int argc, char **argv);

/* Control server (lib/ctl_io.c), used by daemon_main(). */
int	ctl_server_start(struct daemon *d);
void	ctl_server_stop(struct daemon *d);

/*
 * Client side, for haadm and tests: send one request of type to the
 * socket at path and wait up to timeout_ms for the reply, which is written
 * to buf (cap bytes).  Returns the reply length, or -1 with a reason in
 * err.
 */
long	ctl_call(const char *path, uint8_t type, uint8_t *buf, size_t cap,
	    int timeout_ms, char *err, size_t errlen);
/*
 * The same for replies of any number of datagrams: fn is called for each
 * (header and its TLVs), in order.  Returns 0, or -1 with err set; an
 * error reply (CTL_F_ERROR) is reported through err as well.
 */
int	ctl_request(const char *path, uint8_t type, int timeout_ms,
	    void (*fn)(void *arg, const struct ctl_hdr *h, struct rd *tlvs),
	    void *arg, char *err, size_t errlen);
/* The same with TLVs after the header: body (bodylen <= 256 bytes) is
 * sent as is (ctl_put*() into a caller's buffer). */
int	ctl_request_body(const char *path, uint8_t type, const uint8_t *body,
	    size_t bodylen, int timeout_ms,
	    void (*fn)(void *arg, const struct ctl_hdr *h, struct rd *tlvs),
	    void *arg, char *err, size_t errlen);

#endif
