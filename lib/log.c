/* lib/log.c -- libqb logging set-up (see log.h). */
#include <stdio.h>
#include <time.h>

#include "tandem/log.h"

void
log_open(const char *ident, bool foreground, int debug)
{
	int	 prio = debug > 0 ? LOG_DEBUG : LOG_INFO;

	qb_log_init(ident, LOG_DAEMON, prio);
	qb_log_ctl(QB_LOG_SYSLOG, QB_LOG_CONF_ENABLED,
	    foreground ? QB_FALSE : QB_TRUE);
	qb_log_ctl(QB_LOG_STDERR, QB_LOG_CONF_ENABLED,
	    foreground ? QB_TRUE : QB_FALSE);
	qb_log_ctl(QB_LOG_BLACKBOX, QB_LOG_CONF_ENABLED, QB_FALSE);
	qb_log_filter_ctl(QB_LOG_SYSLOG, QB_LOG_FILTER_ADD, QB_LOG_FILTER_FILE,
	    "*", prio);
	qb_log_filter_ctl(QB_LOG_STDERR, QB_LOG_FILTER_ADD, QB_LOG_FILTER_FILE,
	    "*", prio);
	/* Foreground lines carry time and level; syslog adds its own. */
	qb_log_format_set(QB_LOG_STDERR, "%t %N[%P] %p: %b");
	qb_log_format_set(QB_LOG_SYSLOG, "%b");
}

void
log_close(void)
{
	qb_log_fini();
}

bool
log_rate_ok(struct log_rate *r)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	if ((uint64_t)ts.tv_sec == r->last_s) {
		r->suppressed++;
		return false;
	}
	r->last_s = (uint64_t)ts.tv_sec;
	if (r->suppressed > 0) {
		qb_log(LOG_NOTICE, "(%llu similar lines suppressed)",
		    (unsigned long long)r->suppressed);
		r->suppressed = 0;
	}
	return true;
}
