/*
 * ikev2d/kernel_null.h -- a struct kernel_ops that installs nothing:
 * benchmarks and dry runs (ikev2d --no-kernel, test/bench/ikeload.c).
 * alloc_spi hands out SPIs from a counter so that every Child SA still
 * gets a distinct inbound SPI; every other op succeeds and does nothing.
 * Pure: no netlink, no allocation.  Ownership: the caller owns the
 * struct kernel_null and passes it as kernel_arg.
 */
#ifndef IKEV2D_KERNEL_NULL_H
#define IKEV2D_KERNEL_NULL_H

#include <stdint.h>

#include "ike_core.h"

struct kernel_null {
	uint32_t	 next_spi;	/* next SPI alloc_spi returns */
	uint64_t	 n_alloc, n_add_sa, n_del_sa;
	uint64_t	 n_add_pol, n_del_pol;
};

extern const struct kernel_ops kernel_null_ops;

/* SPIs from spi_base upward (0 and 1..255 are skipped, RFC 4303 2.1). */
void	 kernel_null_init(struct kernel_null *, uint32_t spi_base);

#endif /* IKEV2D_KERNEL_NULL_H */
