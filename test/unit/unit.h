/*
 * test/unit/unit.h -- CUnit suites register themselves.
 *
 * A test file ends with
 *
 *	UNIT_SUITE(replay, "replay window",
 *	    { "steps", test_replay_steps },
 *	    { "margin corners", test_margin });
 *
 * and the runner (main.c) finds it: each suite adds itself to a list from
 * a constructor, so adding a test file to test/unit/ is all it takes --
 * the Makefile compiles every test/unit/test_*.c.
 */
#ifndef TANDEM_TEST_UNIT_H
#define TANDEM_TEST_UNIT_H

#include <CUnit/CUnit.h>

struct unit_suite {
	const char		*name;
	CU_TestInfo		*tests;
	CU_InitializeFunc	 init;
	CU_CleanupFunc		 fini;
	struct unit_suite	*next;
};

void	unit_register(struct unit_suite *);

/* Directory holding test data files (set by the runner from argv/env). */
const char *unit_datadir(void);

#define UNIT_SUITE_FULL(sym, title, initf, finif, ...)			\
	static CU_TestInfo sym##_unit_tests[] = {			\
		__VA_ARGS__,						\
		CU_TEST_INFO_NULL					\
	};								\
	static struct unit_suite sym##_unit_suite = {			\
		title, sym##_unit_tests, initf, finif, NULL		\
	};								\
	__attribute__((constructor)) static void			\
	sym##_unit_register(void)					\
	{								\
		unit_register(&sym##_unit_suite);			\
	}

#define UNIT_SUITE(sym, title, ...)					\
	UNIT_SUITE_FULL(sym, title, NULL, NULL, __VA_ARGS__)

/* Compare byte strings and say where they differ. */
#define UNIT_ASSERT_BYTES(got, want, n)					\
	CU_ASSERT(unit_bytes_eq((got), (want), (n), #got, __FILE__, __LINE__))

int	unit_bytes_eq(const void *got, const void *want, size_t n,
	    const char *what, const char *file, int line);
/* Parse hex (whitespace ignored) into out; returns bytes or -1. */
long	unit_unhex(const char *hex, unsigned char *out, size_t cap);

#endif
