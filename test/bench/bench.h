/*
 * test/bench/bench.h -- shared by every benchmark (test/bench/bench_*.c).
 *
 * A benchmark is a program run as `bench_NAME OUT.jsonl`: it prints a human
 * summary on stdout and appends one JSON object per figure to OUT.jsonl:
 *   {"figure": "...", "value": N, "unit": "...", "ratio": N, "vs": "..."}
 * Figure names are stable once published.
 */
#ifndef TANDEM_BENCH_H
#define TANDEM_BENCH_H

#include <stdint.h>

/* Monotonic clock in nanoseconds. */
uint64_t	bench_now_ns(void);
/* Open the JSONL output (truncates it).  Exits 2 on failure. */
void		bench_open(int argc, char **argv);
/* Record a figure; ratio < 0 means "no ratio", vs may be NULL. */
void		bench_figure(const char *figure, double value, const char *unit,
		    double ratio, const char *vs);
void		bench_close(void);
/* Keep the optimiser from discarding a result. */
void		bench_sink(const void *p, unsigned long n);

#endif
