/*
 * ikev2d/kernel_rec.c -- the recording kernel backend (kernel_rec.h).
 * Behaves like XFRM where the core can tell: adding an SA that exists
 * fails with -EEXIST, deleting one that does not with -ENOENT; adding a
 * policy with the selector and direction of one that exists replaces it,
 * as xfrm.c's XFRM_MSG_UPDPOLICY does (a Child SA over a trap).
 */
#include <errno.h>
#include <string.h>

#include "tandem/secbuf.h"
#include "kernel_rec.h"

static int
rec_alloc_spi(void *arg, const struct kaddr *src, const struct kaddr *dst,
    uint8_t proto, uint32_t reqid, uint32_t *spi)
{
	struct kernel_rec	*k = arg;

	k->n_alloc++;
	*spi = k->next_spi++;
	return 0;
}

static int
rec_add_sa(void *arg, const struct kernel_sa *sa)
{
	struct kernel_rec	*k = arg;

	k->n_add_sa++;
	if (k->fail_add_sa && k->in_batch) {
		/* as xfrm_ops: the failure is known when the batch is sent */
		if (k->nfailed < KREC_MAX)
			k->failed_spi[k->nfailed++] = sa->spi;
		return 0;
	}
	if (k->fail_add_sa)
		return -ENOMEM;
	if (kernel_rec_sa(k, sa->spi) != NULL)
		return -EEXIST;
	if (k->nsa >= KREC_MAX)
		return -ENOSPC;
	k->sa[k->nsa++] = *sa;
	return 0;
}

static int
rec_del_sa(void *arg, const struct kaddr *dst, uint32_t spi, uint8_t proto)
{
	struct kernel_rec	*k = arg;
	size_t			 i;

	k->n_del_sa++;
	for (i = 0; i < k->nsa; i++)
		if (k->sa[i].spi == spi &&
		    memcmp(k->sa[i].dst.addr, dst->addr, 16) == 0) {
			secure_wipe(&k->sa[i], sizeof(k->sa[i]));
			k->sa[i] = k->sa[--k->nsa];
			return 0;
		}
	return -ENOENT;
}

static bool
pol_eq(const struct kernel_policy *a, const struct kernel_policy *b)
{
	return a->dir == b->dir && memcmp(&a->sel, &b->sel,
	    sizeof(a->sel)) == 0 && a->mark == b->mark;
}

static int
rec_add_policy(void *arg, const struct kernel_policy *p)
{
	struct kernel_rec	*k = arg;
	size_t			 i;

	k->n_add_pol++;
	for (i = 0; i < k->npol; i++)
		if (pol_eq(&k->pol[i], p)) {
			k->pol[i] = *p;
			return 0;
		}
	if (k->npol >= KREC_MAX)
		return -ENOSPC;
	k->pol[k->npol++] = *p;
	return 0;
}

static int
rec_del_policy(void *arg, const struct kernel_policy *p)
{
	struct kernel_rec	*k = arg;
	size_t			 i;

	k->n_del_pol++;
	for (i = 0; i < k->npol; i++)
		if (pol_eq(&k->pol[i], p)) {
			k->pol[i] = k->pol[--k->npol];
			return 0;
		}
	return -ENOENT;
}

static int
rec_set_counters(void *arg, const struct kernel_sa *sa)
{
	struct kernel_rec	*k = arg;
	size_t			 i;

	k->n_set_ctr++;
	for (i = 0; i < k->nsa; i++)
		if (k->sa[i].spi == sa->spi &&
		    memcmp(k->sa[i].dst.addr, sa->dst.addr, 16) == 0) {
			k->sa[i].oseq = sa->oseq;
			k->sa[i].seq = sa->seq;
			k->sa[i].replay_bitmap = sa->replay_bitmap;
			return 0;
		}
	return -ESRCH;
}

/* Batches are counted; the ops apply at once, as if each batch were
 * sent when it is ended, except the add_sa failures fail_add_sa makes,
 * which are reported then. */
static int
rec_batch_begin(void *arg)
{
	struct kernel_rec	*k = arg;

	if (k->in_batch)
		return -EBUSY;
	k->in_batch = true;
	return 0;
}

static int
rec_batch_end(void *arg, void (*sa_failed)(void *, uint32_t), void *cb_arg)
{
	struct kernel_rec	*k = arg;
	size_t			 i, n;

	if (!k->in_batch)
		return -EINVAL;
	k->in_batch = false;
	k->n_batches++;
	n = k->nfailed;
	k->nfailed = 0;
	for (i = 0; i < n && sa_failed != NULL; i++)
		sa_failed(cb_arg, k->failed_spi[i]);
	return (int)n;
}

const struct kernel_ops kernel_rec_ops = {
	.alloc_spi	= rec_alloc_spi,
	.add_sa		= rec_add_sa,
	.del_sa		= rec_del_sa,
	.add_policy	= rec_add_policy,
	.del_policy	= rec_del_policy,
	.set_counters	= rec_set_counters,
	.batch_begin	= rec_batch_begin,
	.batch_end	= rec_batch_end,
};

void
kernel_rec_init(struct kernel_rec *k, uint32_t spi_base)
{
	memset(k, 0, sizeof(*k));
	k->next_spi = spi_base;
}

void
kernel_rec_fini(struct kernel_rec *k)
{
	secure_wipe(k, sizeof(*k));
}

const struct kernel_sa *
kernel_rec_sa(const struct kernel_rec *k, uint32_t spi)
{
	size_t	 i;

	for (i = 0; i < k->nsa; i++)
		if (k->sa[i].spi == spi)
			return &k->sa[i];
	return NULL;
}
