/*
 * ikev2d/kernel_rec.h -- a recording struct kernel_ops for the exchange
 * tests: keeps the SAs and policies the core installed, as the kernel
 * would, and counts every call.  No netlink.
 */
#ifndef IKEV2D_KERNEL_REC_H
#define IKEV2D_KERNEL_REC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike_core.h"

#define KREC_MAX	64

struct kernel_rec {
	struct kernel_sa	 sa[KREC_MAX];	/* live SAs, keys included */
	size_t			 nsa;
	struct kernel_policy	 pol[KREC_MAX];
	size_t			 npol;
	uint32_t		 next_spi;	/* alloc_spi hands out these */
	unsigned int		 n_alloc, n_add_sa, n_del_sa;
	unsigned int		 n_add_pol, n_del_pol;
	unsigned int		 n_set_ctr;
	unsigned int		 n_batches;	/* batch_end calls */
	bool			 in_batch;	/* ops still apply at once */
	bool			 fail_add_sa;	/* make add_sa fail (in a batch:
						 * reported at batch_end) */
	uint32_t		 failed_spi[KREC_MAX];
	size_t			 nfailed;
};

extern const struct kernel_ops kernel_rec_ops;

void	 kernel_rec_init(struct kernel_rec *, uint32_t spi_base);
/* Wipes the recorded keys. */
void	 kernel_rec_fini(struct kernel_rec *);
/* The live SA with this SPI, or NULL. */
const struct kernel_sa *kernel_rec_sa(const struct kernel_rec *, uint32_t spi);

#endif /* IKEV2D_KERNEL_REC_H */
