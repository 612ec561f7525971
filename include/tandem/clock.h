/*
 * include/tandem/clock.h -- milliseconds on a clock, for the edges (the
 * pure cores are given their time, they never read a clock).
 */
#ifndef TANDEM_CLOCK_H
#define TANDEM_CLOCK_H

#include <stdint.h>
#include <sys/resource.h>
#include <time.h>

static inline uint64_t
clock_ms(clockid_t id)
{
	struct timespec	 ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* MONOTONIC microseconds, for durations of a few syscalls */
static inline uint64_t
mono_us(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* This process's CPU time so far (user + system), microseconds. */
static inline uint64_t
self_cpu_us(void)
{
	struct rusage	 ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 0;
	return (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 +
	    (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

/* MONOTONIC and REALTIME, as signed ms (differences, JSON) */
static inline int64_t
mono_ms(void)
{
	return (int64_t)clock_ms(CLOCK_MONOTONIC);
}

static inline int64_t
unix_ms(void)
{
	return (int64_t)clock_ms(CLOCK_REALTIME);
}

#endif /* TANDEM_CLOCK_H */
