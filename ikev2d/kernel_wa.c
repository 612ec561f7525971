/*
 * ikev2d/kernel_wa.c -- kernel installs behind the write-ahead barrier
 * (kernel_wa.h has the contract).
 *
 * A singly linked FIFO of copied requests; `untagged` points at the
 * first one no event has tagged yet (all after it are untagged too).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/replay.h"
#include "tandem/secbuf.h"
#include "kernel_wa.h"

enum kwa_op { KWA_ADD_SA, KWA_DEL_SA, KWA_ADD_POL, KWA_DEL_POL, KWA_SET_CTR };

struct kwa_req {
	struct kwa_req	*next;
	enum kwa_op	 op;
	uint64_t	 tag;		/* valid once tagged */
	union {
		struct kernel_sa	 sa;	/* keys: wiped */
		struct kernel_policy	 pol;
		struct {
			struct kaddr	 dst;
			uint32_t	 spi;
			uint8_t		 proto;
		}			 del;
	} u;
};

static void
req_free(struct kwa_req *r)
{
	secure_wipe(r, sizeof(*r));
	free(r);
}

void
kernel_wa_init(struct kernel_wa *kw, const struct kernel_ops *next,
    void *next_arg, uint64_t (*upto)(void *), void *upto_arg)
{
	memset(kw, 0, sizeof(*kw));
	kw->next = next;
	kw->next_arg = next_arg;
	kw->upto = upto;
	kw->upto_arg = upto_arg;
}

void
kernel_wa_fini(struct kernel_wa *kw)
{
	struct kwa_req	*r;

	while ((r = kw->head) != NULL) {
		kw->head = r->next;
		req_free(r);
	}
	kw->tail = kw->untagged = NULL;
	kw->n = 0;
}

/* Pass this request straight through? */
static bool
direct(const struct kernel_wa *kw)
{
	return kw->batching || (kw->head == NULL &&
	    kw->upto(kw->upto_arg) == UINT64_MAX);
}

/* A new untagged request at the tail, or NULL (counted). */
static struct kwa_req *
push(struct kernel_wa *kw, enum kwa_op op)
{
	struct kwa_req	*r;

	if (kw->n >= KERNEL_WA_MAX || (r = calloc(1, sizeof(*r))) == NULL) {
		kw->full++;
		return NULL;
	}
	r->op = op;
	if (kw->tail != NULL)
		kw->tail->next = r;
	else
		kw->head = r;
	kw->tail = r;
	if (kw->untagged == NULL)
		kw->untagged = r;
	kw->n++;
	kw->deferred++;
	return r;
}

void
kernel_wa_settle(struct kernel_wa *kw, uint64_t seq)
{
	struct kwa_req	*r;

	for (r = kw->untagged; r != NULL; r = r->next)
		r->tag = seq;
	kw->untagged = NULL;
}

static void
failed(struct kernel_wa *kw, uint32_t spi)
{
	kw->late_failed++;
	if (kw->nfailed < KERNEL_WA_FAILED_MAX)
		kw->failed_spi[kw->nfailed++] = spi;
}

size_t
kernel_wa_release(struct kernel_wa *kw, uint64_t upto)
{
	const struct kernel_ops	*k = kw->next;
	struct kwa_req		*r;
	size_t			 n = 0;
	int			 rc;

	while ((r = kw->head) != NULL && r != kw->untagged && r->tag <= upto) {
		kw->head = r->next;
		if (kw->head == NULL)
			kw->tail = NULL;
		kw->n--;
		switch (r->op) {
		case KWA_ADD_SA:
			if ((rc = k->add_sa(kw->next_arg, &r->u.sa)) != 0)
				failed(kw, r->u.sa.spi);
			break;
		case KWA_DEL_SA:
			(void)k->del_sa(kw->next_arg, &r->u.del.dst,
			    r->u.del.spi, r->u.del.proto);
			break;
		case KWA_ADD_POL:
			(void)k->add_policy(kw->next_arg, &r->u.pol);
			break;
		case KWA_DEL_POL:
			(void)k->del_policy(kw->next_arg, &r->u.pol);
			break;
		case KWA_SET_CTR:
			if ((rc = k->set_counters(kw->next_arg, &r->u.sa)) != 0)
				failed(kw, r->u.sa.spi);
			break;
		}
		req_free(r);
		n++;
	}
	return n;
}

size_t
kernel_wa_take_failed(struct kernel_wa *kw, uint32_t *spi, size_t cap)
{
	size_t	 n = kw->nfailed < cap ? kw->nfailed : cap;

	memcpy(spi, kw->failed_spi, n * sizeof(*spi));
	memmove(kw->failed_spi, kw->failed_spi + n,
	    (kw->nfailed - n) * sizeof(*spi));
	kw->nfailed -= n;
	return n;
}

/*
 * An outbound SA new here goes in fenced at its first lease, which its
 * CHILD_UP carries and which every member holds once it is committed --
 * when this request runs: the limits syncd would program (the same
 * lease_kernel_fence(); its own fence follows at the SA's first counter
 * event), so the kernel cannot send a number the cluster does not hold,
 * from the first packet (DESIGN guarantee 1).  The Child SA's own packet
 * limits stay where they are lower.
 */
static void
first_fence(struct kernel_sa *sa)
{
	struct seq_lease	 l;
	struct lease_klimits	 kl;

	if (sa->first_lease == 0 || !lease_init(&l, sa->oseq, sa->first_lease,
	    sa->first_lease / LEASE_LOW_WATER_DIV, sa->esn))
		return;
	lease_ack(&l, sa->oseq + sa->first_lease);
	if (lease_kernel_fence(&l, sa->oseq, 0, sa->lft.soft_packets,
	    sa->lft.hard_packets, &kl) != LEASE_FENCE_OK)
		return;
	sa->lft.hard_packets = kl.hard_packets;
	sa->lft.soft_packets = kl.soft_packets;
}

/* --- the ops ------------------------------------------------------------ */

static int
wa_alloc_spi(void *arg, const struct kaddr *src, const struct kaddr *dst,
    uint8_t proto, uint32_t reqid, uint32_t *spi)
{
	struct kernel_wa	*kw = arg;

	return kw->next->alloc_spi(kw->next_arg, src, dst, proto, reqid, spi);
}

static int
wa_add_sa(void *arg, const struct kernel_sa *sa)
{
	struct kernel_wa	*kw = arg;
	struct kwa_req		*r;

	if (direct(kw))
		return kw->next->add_sa(kw->next_arg, sa);
	if ((r = push(kw, KWA_ADD_SA)) == NULL)
		return -ENOBUFS;
	r->u.sa = *sa;
	first_fence(&r->u.sa);
	return 0;
}

static int
wa_del_sa(void *arg, const struct kaddr *dst, uint32_t spi, uint8_t proto)
{
	struct kernel_wa	*kw = arg;
	struct kwa_req		*r;

	if (direct(kw))
		return kw->next->del_sa(kw->next_arg, dst, spi, proto);
	if ((r = push(kw, KWA_DEL_SA)) == NULL)
		return -ENOBUFS;
	r->u.del.dst = *dst;
	r->u.del.spi = spi;
	r->u.del.proto = proto;
	return 0;
}

static int
wa_policy(struct kernel_wa *kw, enum kwa_op op, const struct kernel_policy *p)
{
	struct kwa_req	*r;

	if (direct(kw))
		return op == KWA_ADD_POL ? kw->next->add_policy(kw->next_arg,
		    p) : kw->next->del_policy(kw->next_arg, p);
	if ((r = push(kw, op)) == NULL)
		return -ENOBUFS;
	r->u.pol = *p;
	return 0;
}

static int
wa_add_policy(void *arg, const struct kernel_policy *p)
{
	return wa_policy(arg, KWA_ADD_POL, p);
}

static int
wa_del_policy(void *arg, const struct kernel_policy *p)
{
	return wa_policy(arg, KWA_DEL_POL, p);
}

static int
wa_set_counters(void *arg, const struct kernel_sa *sa)
{
	struct kernel_wa	*kw = arg;
	struct kwa_req		*r;

	if (direct(kw))
		return kw->next->set_counters(kw->next_arg, sa);
	if ((r = push(kw, KWA_SET_CTR)) == NULL)
		return -ENOBUFS;
	r->u.sa = *sa;
	return 0;
}

static int
wa_batch_begin(void *arg)
{
	struct kernel_wa	*kw = arg;
	int			 rc;

	if ((rc = kw->next->batch_begin(kw->next_arg)) == 0)
		kw->batching = true;
	return rc;
}

static int
wa_batch_end(void *arg, void (*sa_failed)(void *, uint32_t), void *cb_arg)
{
	struct kernel_wa	*kw = arg;

	kw->batching = false;
	return kw->next->batch_end(kw->next_arg, sa_failed, cb_arg);
}

static const struct kernel_ops kernel_wa_ops = {
	.alloc_spi	= wa_alloc_spi,
	.add_sa		= wa_add_sa,
	.del_sa		= wa_del_sa,
	.add_policy	= wa_add_policy,
	.del_policy	= wa_del_policy,
	.set_counters	= wa_set_counters,
	.batch_begin	= wa_batch_begin,
	.batch_end	= wa_batch_end,
};

/* For a backend without batches: none here either (ike_takeover.c). */
static const struct kernel_ops kernel_wa_ops_nobatch = {
	.alloc_spi	= wa_alloc_spi,
	.add_sa		= wa_add_sa,
	.del_sa		= wa_del_sa,
	.add_policy	= wa_add_policy,
	.del_policy	= wa_del_policy,
	.set_counters	= wa_set_counters,
};

const struct kernel_ops *
kernel_wa_ops_for(const struct kernel_wa *kw)
{
	return kw->next->batch_begin != NULL && kw->next->batch_end != NULL ?
	    &kernel_wa_ops : &kernel_wa_ops_nobatch;
}
