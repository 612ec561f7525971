/*
 * ikev2d/kernel_null.c -- the kernel backend that installs nothing
 * (kernel_null.h).
 */
#include <string.h>

#include "kernel_null.h"

static int
null_alloc_spi(void *arg, const struct kaddr *src, const struct kaddr *dst,
    uint8_t proto, uint32_t reqid, uint32_t *spi)
{
	struct kernel_null	*k = arg;

	/* SPIs 0..255 are reserved (RFC 4303 2.1) */
	if (k->next_spi < 256)
		k->next_spi = 256;
	*spi = k->next_spi++;
	k->n_alloc++;
	return 0;
}

static int
null_add_sa(void *arg, const struct kernel_sa *sa)
{
	struct kernel_null	*k = arg;

	k->n_add_sa++;
	return 0;
}

static int
null_del_sa(void *arg, const struct kaddr *dst, uint32_t spi, uint8_t proto)
{
	struct kernel_null	*k = arg;

	k->n_del_sa++;
	return 0;
}

static int
null_add_policy(void *arg, const struct kernel_policy *p)
{
	struct kernel_null	*k = arg;

	k->n_add_pol++;
	return 0;
}

static int
null_del_policy(void *arg, const struct kernel_policy *p)
{
	struct kernel_null	*k = arg;

	k->n_del_pol++;
	return 0;
}

const struct kernel_ops kernel_null_ops = {
	.alloc_spi = null_alloc_spi,
	.add_sa = null_add_sa,
	.del_sa = null_del_sa,
	.add_policy = null_add_policy,
	.del_policy = null_del_policy,
};

void
kernel_null_init(struct kernel_null *k, uint32_t spi_base)
{
	memset(k, 0, sizeof(*k));
	k->next_spi = spi_base;
}
