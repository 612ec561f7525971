/*
 * lib/daemon.c -- the shared start-up and main loop of the three daemons
 * (see daemon.h for the contract and exit codes).
 *
 * Order matters: the configuration is validated before anything else
 * happens, so a bad file never leaves a half-started daemon behind; the
 * pid file is locked before the control socket is bound, so a second
 * instance with the same run directory fails cleanly instead of stealing
 * the socket; in the background the parent exits only when the child
 * reports that start-up finished, with the child's status.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tandem/cfg.h"
#include "tandem/daemon.h"
#include "tandem/log.h"
#include "tandem/util.h"

#define EXIT_RUNTIME	1
#define EXIT_CONFIG	2

static const struct option longopts[] = {
	{ "foreground",		no_argument,		NULL, 'f' },
	{ "debug",		no_argument,		NULL, 'd' },
	{ "config",		required_argument,	NULL, 'c' },
	{ "rundir",		required_argument,	NULL, 'r' },
	{ "check-config",	no_argument,		NULL, 'n' },
	{ "help",		no_argument,		NULL, 'h' },
	{ "version",		no_argument,		NULL, 'V' },
	{ NULL,			0,			NULL, 0 }
};

static void
usage(const struct daemon_desc *desc, FILE *f)
{
	fprintf(f,
"Usage: %s [-f] [-d]... [-c PATH] [-r DIR] [-n]\n"
"%s\n"
"\n"
"Options:\n"
"  -c, --config PATH    configuration file (default %s)\n"
"  -r, --rundir DIR     run directory for the pid file and the control\n"
"                       socket (default %s); give each instance its own\n"
"                       to run several on one machine\n"
"  -f, --foreground     stay in the foreground and log to stderr\n"
"                       (otherwise: detach and log to syslog)\n"
"  -d, --debug          log debug messages (secrets are never logged)\n"
"  -n, --check-config   validate the configuration and exit\n"
"  -h, --help           show this help\n"
"  -V, --version        show the version\n"
"\n"
"Signals: SIGTERM/SIGINT stop cleanly; SIGHUP reloads the configuration\n"
"(an invalid file is reported and the running configuration kept).\n"
"\n"
"Exit status: 0 clean stop or check passed; 1 runtime failure (already\n"
"running, run directory or socket unusable); 2 usage error or invalid\n"
"configuration, reported as FILE:LINE: PROBLEM.\n",
	    desc->name, desc->summary, DAEMON_DEFAULT_CONFIG,
	    DAEMON_DEFAULT_RUNDIR);
	if (desc->help != NULL)
		fprintf(f, "\n%s", desc->help);
}

/* 0: run; 1: exit 0 now (help/version); -1: usage error. */
static int
parse_args(struct daemon *d, int argc, char **argv, bool *check_only)
{
	const char	*rundir = DAEMON_DEFAULT_RUNDIR;
	int		 c;

	d->config_path = DAEMON_DEFAULT_CONFIG;
	while ((c = getopt_long(argc, argv, "fdc:r:nhV", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'f':
			d->foreground = true;
			break;
		case 'd':
			d->debug++;
			break;
		case 'c':
			d->config_path = optarg;
			break;
		case 'r':
			rundir = optarg;
			break;
		case 'n':
			*check_only = true;
			break;
		case 'h':
			usage(d->desc, stdout);
			return 1;
		case 'V':
			printf("%s (Tandem) %s\n", d->desc->name,
			    TANDEM_VERSION);
			return 1;
		default:
			usage(d->desc, stderr);
			return -1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n",
		    d->desc->name, argv[optind]);
		return -1;
	}
	if ((size_t)snprintf(d->rundir, sizeof(d->rundir), "%s", rundir) >=
	    sizeof(d->rundir) ||
	    (size_t)snprintf(d->pidfile, sizeof(d->pidfile), "%s/%s.pid",
	    rundir, d->desc->name) >= sizeof(d->pidfile) ||
	    (size_t)snprintf(d->ctlpath, sizeof(d->ctlpath), "%s/%s.sock",
	    rundir, d->desc->name) >= 108 /* sun_path */) {
		fprintf(stderr, "%s: run directory path too long: %s\n",
		    d->desc->name, rundir);
		return -1;
	}
	return 0;
}

/* mkdir -p with mode 0750 for what we create. */
static int
make_rundir(const char *path)
{
	char	 tmp[PATH_MAX], *p;

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (p = tmp + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) == -1 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(tmp, 0750) == -1 && errno != EEXIST)
		return -1;
	return 0;
}

/* Lock the pid file; the lock lives as long as the process. */
static int
pidfile_lock(struct daemon *d)
{
	char	 buf[32];
	ssize_t	 n;

	d->pidfd = open(d->pidfile, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (d->pidfd == -1) {
		fprintf(stderr, "%s: %s: %s\n", d->desc->name, d->pidfile,
		    strerror(errno));
		return -1;
	}
	if (flock(d->pidfd, LOCK_EX | LOCK_NB) == -1) {
		n = pread(d->pidfd, buf, sizeof(buf) - 1, 0);
		buf[n > 0 ? n : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		fprintf(stderr, "%s: already running in %s (pid %s)\n",
		    d->desc->name, d->rundir, buf[0] != '\0' ? buf : "?");
		close(d->pidfd);
		d->pidfd = -1;
		return -1;
	}
	return 0;
}

static int
pidfile_write(struct daemon *d)
{
	char	 buf[32];
	int	 n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());

	if (ftruncate(d->pidfd, 0) == -1 ||
	    pwrite(d->pidfd, buf, (size_t)n, 0) != n)
		return -1;
	return 0;
}

static void
on_stop(struct ev_loop *loop, ev_signal *w, int revents)
{
	log_notice("%s: caught %s, stopping", (char *)w->data,
	    strsignal(w->signum));
	ev_break(loop, EVBREAK_ALL);
}

static void
on_hup(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct daemon	*d = w->data;
	struct tnd_cfg	*next = NULL;
	char		 err[512];

	if (cfg_load(d->config_path, &next, err, sizeof(err)) == -1) {
		log_err("reload: %s; keeping the running configuration", err);
		return;
	}
	if (d->desc->reload != NULL && d->desc->reload(d, next) == -1) {
		log_err("reload: %s refused the new configuration; keeping "
		    "the running one", d->desc->name);
		cfg_free(next);
		return;
	}
	cfg_free(d->cfg);
	d->cfg = next;
	d->reloads++;
	log_notice("reloaded configuration from %s", d->config_path);
}

/* Fork; the parent waits for the child's start-up status on a pipe. */
static int
detach(int *notify_fd)
{
	pid_t	 pid;
	int	 p[2], fd;
	char	 status = EXIT_RUNTIME;

	if (pipe2(p, O_CLOEXEC) == -1)
		return -1;
	if ((pid = fork()) == -1)
		return -1;
	if (pid > 0) {
		close(p[1]);
		if (read(p[0], &status, 1) != 1)
			status = EXIT_RUNTIME;	/* child died in start-up */
		_exit(status);
	}
	close(p[0]);
	if (setsid() == -1)
		return -1;
	if (chdir("/") == -1)
		return -1;
	if ((fd = open("/dev/null", O_RDWR)) != -1) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		/* stderr stays until start-up is over: errors still show. */
		if (fd > STDERR_FILENO)
			close(fd);
	}
	*notify_fd = p[1];
	return 0;
}

static void
report_started(int *notify_fd, char status)
{
	int	 fd;

	if (*notify_fd == -1)
		return;
	/* If the parent is gone there is nobody to tell: ignore. */
	(void)!write(*notify_fd, &status, 1);
	close(*notify_fd);
	*notify_fd = -1;
	if (status == 0 && (fd = open("/dev/null", O_WRONLY)) != -1) {
		dup2(fd, STDERR_FILENO);
		close(fd);
	}
}

int
daemon_main(const struct daemon_desc *desc, int argc, char **argv)
{
	struct daemon	 d;
	bool		 check_only = false;
	char		 err[512], abs_config[PATH_MAX];
	int		 ret = EXIT_RUNTIME, notify_fd = -1, rc;

	memset(&d, 0, sizeof(d));
	d.desc = desc;
	d.pidfd = -1;
	d.ctl_fd = -1;
	if ((rc = parse_args(&d, argc, argv, &check_only)) != 0)
		return rc > 0 ? 0 : EXIT_CONFIG;
	if (cfg_load(d.config_path, &d.cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "%s\n", err);
		return EXIT_CONFIG;
	}
	/* SIGHUP reloads after chdir("/"): keep an absolute path. */
	if (realpath(d.config_path, abs_config) != NULL)
		d.config_path = abs_config;
	if (desc->check != NULL && desc->check(d.cfg, err, sizeof(err)) ==
	    -1) {
		fprintf(stderr, "%s: %s\n", d.config_path, err);
		cfg_free(d.cfg);
		return EXIT_CONFIG;
	}
	if (check_only) {
		printf("%s: configuration OK\n", d.config_path);
		cfg_free(d.cfg);
		return 0;
	}
	if (make_rundir(d.rundir) == -1) {
		fprintf(stderr, "%s: run directory %s: %s\n", desc->name,
		    d.rundir, strerror(errno));
		goto done;
	}
	if (pidfile_lock(&d) == -1)
		goto done;
	if (!d.foreground && detach(&notify_fd) == -1) {
		fprintf(stderr, "%s: cannot detach: %s\n", desc->name,
		    strerror(errno));
		goto done;
	}
	log_open(desc->name, d.foreground, d.debug);
	if (pidfile_write(&d) == -1) {
		log_err("%s: %s", d.pidfile, strerror(errno));
		goto done;
	}
	d.loop = ev_default_loop(EVFLAG_AUTO);
	ev_signal_init(&d.sig_term, on_stop, SIGTERM);
	ev_signal_init(&d.sig_int, on_stop, SIGINT);
	ev_signal_init(&d.sig_hup, on_hup, SIGHUP);
	d.sig_term.data = d.sig_int.data = (void *)desc->name;
	d.sig_hup.data = &d;
	ev_signal_start(d.loop, &d.sig_term);
	ev_signal_start(d.loop, &d.sig_int);
	ev_signal_start(d.loop, &d.sig_hup);
	signal(SIGPIPE, SIG_IGN);
	d.started_ms = (uint64_t)(ev_now(d.loop) * 1000);
	if (ctl_server_start(&d) == -1)
		goto done;
	if (desc->start != NULL && (rc = desc->start(&d)) != 0) {
		log_err("%s: start-up failed", desc->name);
		if (rc == EXIT_CONFIG)
			ret = EXIT_CONFIG;	/* a setting it cannot run */
		goto done;
	}
	log_notice("%s %s started (config %s, rundir %s)", desc->name,
	    TANDEM_VERSION, d.config_path, d.rundir);
	report_started(&notify_fd, 0);
	ev_run(d.loop, 0);
	if (desc->stop != NULL)
		desc->stop(&d);
	log_notice("%s stopped", desc->name);
	ret = 0;
 done:
	report_started(&notify_fd, (char)ret);
	ctl_server_stop(&d);
	if (d.pidfd != -1) {
		unlink(d.pidfile);
		close(d.pidfd);
	}
	if (d.loop != NULL)
		ev_loop_destroy(d.loop);
	cfg_free(d.cfg);
	log_close();
	return ret;
}
