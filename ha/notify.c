/*
 * ha/notify.c -- the group's notify script, keepalived's convention:
 *
 *	SCRIPT GROUP <name> <STATE> <priority>
 *
 * STATE is MASTER, BACKUP, FAULT or STOP (leaving for INIT at shutdown).
 * fork + exec, never waited for in the loop: libev reaps the child
 * (ev_child) and the exit status is logged; a script still running after
 * NOTIFY_TIMEOUT_S is killed (SIGKILL), counted as failed.  Runs of one
 * group may overlap: scripts must not assume they are serialised (as
 * with keepalived, which does not serialise them either).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tandem/util.h"
#include "hamgrd.h"

#define NOTIFY_TIMEOUT_S	30.0

struct notify_job {
	ev_child		 child;
	ev_timer		 tmr;
	struct ha_group		*g;
	char			 state[8];
	struct notify_job	*next;
};

/* Jobs of all groups, for notify_stop(); few and short-lived. */
static struct notify_job *jobs;

static const char *
state_word(enum role r)
{
	switch (r) {
	case ROLE_MASTER:
		return "MASTER";
	case ROLE_BACKUP:
		return "BACKUP";
	case ROLE_FAULT:
		return "FAULT";
	default:
		return "STOP";
	}
}

static void
job_free(struct ev_loop *loop, struct notify_job *j)
{
	struct notify_job	**pp;

	ev_child_stop(loop, &j->child);
	ev_timer_stop(loop, &j->tmr);
	for (pp = &jobs; *pp != NULL; pp = &(*pp)->next)
		if (*pp == j) {
			*pp = j->next;
			break;
		}
	free(j);
}

static void
on_exit_cb(struct ev_loop *loop, ev_child *w, int revents)
{
	struct notify_job	*j = container_of(w, struct notify_job, child);
	int			 st = w->rstatus;

	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		log_info("group %s: notify %s: exit 0", j->g->cfg->name,
		    j->state);
	else {
		j->g->notify_fail++;
		if (WIFEXITED(st))
			log_warn("group %s: notify %s: exit %d",
			    j->g->cfg->name, j->state, WEXITSTATUS(st));
		else
			log_warn("group %s: notify %s: killed by signal %d",
			    j->g->cfg->name, j->state, WTERMSIG(st));
	}
	job_free(loop, j);
}

static void
on_timeout(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct notify_job	*j = container_of(w, struct notify_job, tmr);

	log_warn("group %s: notify %s: still running after %.0f s, killed",
	    j->g->cfg->name, j->state, NOTIFY_TIMEOUT_S);
	kill(j->child.pid, SIGKILL);	/* the child watcher reaps it */
}

void
notify_run(struct ha_group *g, enum role r)
{
	struct ev_loop		*loop = g->hd->d->loop;
	struct notify_job	*j;
	char			 prio[8];
	const char		*st = state_word(r);
	pid_t			 pid;

	if (g->cfg->notify == NULL)
		return;
	snprintf(prio, sizeof(prio), "%u", g->in.prio_eff);
	if ((j = calloc(1, sizeof(*j))) == NULL) {
		g->notify_fail++;
		log_err("group %s: notify %s: out of memory", g->cfg->name, st);
		return;
	}
	if ((pid = fork()) == -1) {
		g->notify_fail++;
		log_err("group %s: notify %s: fork: %m", g->cfg->name, st);
		free(j);
		return;
	}
	if (pid == 0) {
		sigset_t	 none;

		/* libev blocks no signals, but a clean mask costs nothing. */
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		execl(g->cfg->notify, g->cfg->notify, "GROUP", g->cfg->name, st,
		    prio, (char *)NULL);
		_exit(127);
	}
	g->notify_runs++;
	j->g = g;
	snprintf(j->state, sizeof(j->state), "%s", st);
	ev_child_init(&j->child, on_exit_cb, pid, 0);
	ev_child_start(loop, &j->child);
	ev_timer_init(&j->tmr, on_timeout, NOTIFY_TIMEOUT_S, 0.0);
	ev_timer_start(loop, &j->tmr);
	j->next = jobs;
	jobs = j;
	log_info("group %s: notify %s GROUP %s %s %s (pid %ld)", g->cfg->name,
	    g->cfg->notify, g->cfg->name, st, prio, (long)pid);
}

/* Shutdown: stop watching g's scripts; they run on, as keepalived's. */
void
notify_stop(struct ha_group *g)
{
	struct notify_job	*j, *next;

	for (j = jobs; j != NULL; j = next) {
		next = j->next;
		if (j->g == g)
			job_free(g->hd->d->loop, j);
	}
}
