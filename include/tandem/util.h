/*
 * include/tandem/util.h -- small helpers shared by every program.
 * Pure and header-only: no I/O, no globals.
 */
#ifndef TANDEM_UTIL_H
#define TANDEM_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

#ifndef container_of
#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))
#endif

#define TANDEM_VERSION	"0.1.0"

/*
 * The name of value i in a designated-initializer table of names: the
 * shape every *_name() function uses.  "UNKNOWN" past the table or for a
 * hole.  Bounds are checked with >=, never > (STYLE).
 */
#define NAME_OF(table, i)	name_of((table), nitems(table), (i))

static inline const char *
name_of(const char *const *names, size_t n, unsigned int i)
{
	return i < n && names[i] != NULL ? names[i] : "UNKNOWN";
}

/* Saturating arithmetic for counters and sequence numbers. */
static inline uint64_t
sat_add64(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static inline uint64_t
sat_sub64(uint64_t a, uint64_t b)
{
	return a < b ? 0 : a - b;
}

/* A big-endian 64-bit value (an IKE SPI as the wire has it). */
static inline uint64_t
be64_get(const uint8_t *p)
{
	uint64_t	 v = 0;
	int		 i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* The splitmix64 finaliser: every input bit reaches every output bit
 * (hash table slots; the keys are seeded by the caller). */
static inline uint64_t
mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

#endif /* TANDEM_UTIL_H */
