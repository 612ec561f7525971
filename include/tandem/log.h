/*
 * include/tandem/log.h -- the logging facade over libqb.
 *
 * Daemons log to stderr in the foreground (-f) and to syslog otherwise;
 * each -d raises the level (info -> debug).  Log lines name their subject
 * first ("ike <spi>: ...", "group <name>: ...").  Secrets never reach a log
 * line at any level: struct secbuf has no formatter.
 *
 * Pure cores never log: they return errors and the edge logs them.
 */
#ifndef TANDEM_LOG_H
#define TANDEM_LOG_H

#include <stdbool.h>
#include <stdint.h>
#include <syslog.h>

#include <qb/qblog.h>

#define log_err(...)	qb_log(LOG_ERR, __VA_ARGS__)
#define log_warn(...)	qb_log(LOG_WARNING, __VA_ARGS__)
#define log_notice(...)	qb_log(LOG_NOTICE, __VA_ARGS__)
#define log_info(...)	qb_log(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	qb_log(LOG_DEBUG, __VA_ARGS__)

/*
 * Set up logging for program ident.  foreground: stderr, else syslog
 * (facility daemon).  debug: 0 = info and above, >= 1 = debug.
 */
void	log_open(const char *ident, bool foreground, int debug);
void	log_close(void);

/*
 * Rate limiting for remote-triggerable messages: at most one line per
 * second per limiter; the count of suppressed lines is reported with the
 * next one that gets through.
 */
struct log_rate {
	uint64_t	last_s;		/* monotonic second of the last line */
	uint64_t	suppressed;
};

/* True if a line may be logged now; counts a suppressed one otherwise. */
bool	log_rate_ok(struct log_rate *);

#endif
