/*
 * include/tandem/secbuf.h -- buffers that hold secrets (keys, shared
 * secrets, SKEYSEED, KEYMAT, pre-shared keys).
 *
 * A secbuf is wiped with OPENSSL_cleanse when freed and has no formatter:
 * nothing in Tandem can print one by accident.  Compare with secbuf_eq()
 * (constant time), never memcmp.
 *
 * Ownership: secbuf_new/secbuf_dup/secbuf_cat return a buffer the caller
 * owns and must release with secbuf_free (NULL-safe).
 */
#ifndef TANDEM_SECBUF_H
#define TANDEM_SECBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct secbuf {
	size_t	 len;
	uint8_t	 data[];	/* len bytes, wiped on free */
};

/* A zeroed buffer of len bytes, or NULL if out of memory. */
struct secbuf	*secbuf_new(size_t len);
/* A copy of len bytes at p (p may be NULL only if len is 0). */
struct secbuf	*secbuf_from(const void *p, size_t len);
struct secbuf	*secbuf_dup(const struct secbuf *);
/* a || b; either may be NULL (treated as empty). */
struct secbuf	*secbuf_cat(const struct secbuf *a, const struct secbuf *b);
/* Wipe and free; NULL is a no-op. */
void		 secbuf_free(struct secbuf *);
/* Constant-time equality (lengths compared first, not secret). */
bool		 secbuf_eq(const struct secbuf *, const struct secbuf *);
/* Wipe len bytes of any buffer (a stack key, a netlink request). */
void		 secure_wipe(void *p, size_t len);

#endif /* TANDEM_SECBUF_H */
