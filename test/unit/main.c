/*
 * test/unit/main.c -- the CUnit runner.
 *
 * Runs every suite that registered itself (see unit.h), in name order,
 * prints CUnit's summary and exits 1 if any assertion failed, 2 if CUnit
 * itself could not run.  Usage: unit [-s SUITE-SUBSTRING] [-d DATADIR]
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include "unit.h"

static struct unit_suite	*suites;
static const char		*datadir = "test/unit/data";

void
unit_register(struct unit_suite *s)
{
	struct unit_suite	**pp;

	/* Keep the list sorted so runs are repeatable. */
	for (pp = &suites; *pp != NULL; pp = &(*pp)->next)
		if (strcmp(s->name, (*pp)->name) < 0)
			break;
	s->next = *pp;
	*pp = s;
}

const char *
unit_datadir(void)
{
	return datadir;
}

int
unit_bytes_eq(const void *got, const void *want, size_t n, const char *what,
    const char *file, int line)
{
	const unsigned char	*g = got, *w = want;
	size_t			 i;

	if (g == NULL || w == NULL) {
		fprintf(stderr, "%s:%d: %s is NULL\n", file, line, what);
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (g[i] != w[i]) {
			fprintf(stderr, "%s:%d: %s differs at byte %zu: "
			    "got %02x want %02x\n", file, line, what, i,
			    g[i], w[i]);
			return 0;
		}
	}
	return 1;
}

long
unit_unhex(const char *hex, unsigned char *out, size_t cap)
{
	size_t	 n = 0;
	int	 hi = -1, v;

	for (; *hex != '\0'; hex++) {
		if (isspace((unsigned char)*hex))
			continue;
		if (*hex >= '0' && *hex <= '9')
			v = *hex - '0';
		else if (*hex >= 'a' && *hex <= 'f')
			v = *hex - 'a' + 10;
		else if (*hex >= 'A' && *hex <= 'F')
			v = *hex - 'A' + 10;
		else
			return -1;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n >= cap)
			return -1;
		out[n++] = (unsigned char)(hi << 4 | v);
		hi = -1;
	}
	return hi < 0 ? (long)n : -1;
}

int
main(int argc, char **argv)
{
	struct unit_suite	*s;
	const char		*only = NULL;
	CU_pSuite		 cs;
	CU_TestInfo		*t;
	unsigned int		 failed;
	int			 c, nsuites = 0;

	while ((c = getopt(argc, argv, "s:d:")) != -1) {
		switch (c) {
		case 's':
			only = optarg;
			break;
		case 'd':
			datadir = optarg;
			break;
		default:
			fprintf(stderr, "usage: %s [-s suite] [-d datadir]\n",
			    argv[0]);
			return 2;
		}
	}
	if (getenv("UNIT_DATADIR") != NULL)
		datadir = getenv("UNIT_DATADIR");
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	for (s = suites; s != NULL; s = s->next) {
		if (only != NULL && strstr(s->name, only) == NULL)
			continue;
		if ((cs = CU_add_suite(s->name, s->init, s->fini)) == NULL)
			goto fail;
		for (t = s->tests; t->pName != NULL; t++)
			if (CU_add_test(cs, t->pName, t->pTestFunc) == NULL)
				goto fail;
		nsuites++;
	}
	if (nsuites == 0) {
		fprintf(stderr, "unit: no suite matches\n");
		CU_cleanup_registry();
		return 2;
	}
	CU_basic_set_mode(CU_BRM_NORMAL);
	if (CU_basic_run_tests() != CUE_SUCCESS)
		goto fail;
	failed = CU_get_number_of_failures() +
	    CU_get_number_of_suites_failed() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return failed == 0 ? 0 : 1;
 fail:
	fprintf(stderr, "unit: CUnit error: %s\n", CU_get_error_msg());
	CU_cleanup_registry();
	return 2;
}
