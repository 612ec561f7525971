/* test/bench/bench.c -- timing and JSONL output for benchmarks (bench.h). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench.h"

static FILE		*out;
static volatile unsigned char sink;

uint64_t
bench_now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void
bench_open(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s OUT.jsonl\n", argv[0]);
		exit(2);
	}
	if ((out = fopen(argv[1], "w")) == NULL) {
		perror(argv[1]);
		exit(2);
	}
}

void
bench_figure(const char *figure, double value, const char *unit, double ratio,
    const char *vs)
{
	printf("  %-44s %14.3f %-8s", figure, value, unit);
	if (ratio >= 0)
		printf("  ratio %.3f vs %s", ratio, vs != NULL ? vs : "-");
	printf("\n");
	if (out == NULL)
		return;
	fprintf(out, "{\"figure\": \"%s\", \"value\": %.6g, \"unit\": \"%s\"",
	    figure, value, unit);
	if (ratio >= 0)
		fprintf(out, ", \"ratio\": %.6g", ratio);
	if (vs != NULL)
		fprintf(out, ", \"vs\": \"%s\"", vs);
	fprintf(out, "}\n");
}

void
bench_close(void)
{
	if (out != NULL && fclose(out) != 0) {
		perror("bench output");
		exit(2);
	}
	out = NULL;
}

void
bench_sink(const void *p, unsigned long n)
{
	const unsigned char	*b = p;
	unsigned long		 i;

	for (i = 0; i < n; i++)
		sink ^= b[i];
}
