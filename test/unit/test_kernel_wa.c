/*
 * test/unit/test_kernel_wa.c -- kernel installs behind the write-ahead
 * barrier (ikev2d/kernel_wa.c) over the recording backend: nothing
 * reaches the kernel before the event that follows it commits; order
 * kept; pass-through without syncd; late failures reported.
 */
#include <errno.h>
#include <string.h>

#include "../../ikev2d/kernel_rec.h"
#include "../../ikev2d/kernel_wa.h"
#include "tandem/util.h"
#include "unit.h"

static uint64_t	 upto_now;	/* what "syncd" has committed */

static uint64_t
upto(void *arg)
{
	return upto_now;
}

static struct kernel_sa
ksa(uint32_t spi)
{
	struct kernel_sa	 s;

	memset(&s, 0, sizeof(s));
	s.src.family = s.dst.family = 2;	/* AF_INET */
	s.dst.addr[3] = 2;
	s.spi = spi;
	s.proto = 50;
	s.enc_key_len = 20;
	memset(s.enc_key, 0x5a, 20);
	return s;
}

static struct kernel_policy
kpol(uint32_t reqid)
{
	struct kernel_policy	 p;

	memset(&p, 0, sizeof(p));
	p.sel.src.family = p.sel.dst.family = 2;
	p.dir = KDIR_OUT;
	p.reqid = reqid;
	return p;
}

static void
test_pass_through(void)
{
	struct kernel_rec	 rec;
	struct kernel_wa	 kw;
	const struct kernel_ops	*k;
	struct kernel_sa	 s = ksa(0x100);
	struct kernel_policy	 p = kpol(1);

	kernel_rec_init(&rec, 0x1000);
	kernel_wa_init(&kw, &kernel_rec_ops, &rec, upto, NULL);
	k = kernel_wa_ops_for(&kw);
	upto_now = UINT64_MAX;		/* no syncd: nothing held */
	CU_ASSERT_EQUAL(k->add_sa(&kw, &s), 0);
	CU_ASSERT_EQUAL(k->add_policy(&kw, &p), 0);
	CU_ASSERT_EQUAL(rec.nsa, 1);
	CU_ASSERT_EQUAL(rec.npol, 1);
	CU_ASSERT_EQUAL(kw.n, 0);
	/* errors reach the core at once */
	CU_ASSERT_EQUAL(k->add_sa(&kw, &s), -EEXIST);
	rec.fail_add_sa = true;
	s.spi = 0x101;
	CU_ASSERT_EQUAL(k->add_sa(&kw, &s), -ENOMEM);
	CU_ASSERT_EQUAL(kw.deferred, 0);
	kernel_wa_fini(&kw);
	kernel_rec_fini(&rec);
}

static void
test_behind_the_event(void)
{
	struct kernel_rec	 rec;
	struct kernel_wa	 kw;
	const struct kernel_ops	*k;
	struct kernel_sa	 in = ksa(0x200), out = ksa(0x201);
	struct kernel_policy	 p = kpol(2);
	uint32_t		 spi;

	kernel_rec_init(&rec, 0x1000);
	kernel_wa_init(&kw, &kernel_rec_ops, &rec, upto, NULL);
	k = kernel_wa_ops_for(&kw);
	upto_now = 4;			/* syncd there, events up to 4 held */
	/* alloc_spi is never deferred */
	CU_ASSERT_EQUAL(k->alloc_spi(&kw, &in.src, &in.dst, 50, 2, &spi), 0);
	CU_ASSERT_EQUAL(spi, 0x1000);
	CU_ASSERT_EQUAL(rec.n_alloc, 1);
	/* a Child SA installed, then its CHILD_UP (5) */
	CU_ASSERT_EQUAL(k->add_sa(&kw, &in), 0);
	CU_ASSERT_EQUAL(k->add_sa(&kw, &out), 0);
	CU_ASSERT_EQUAL(k->add_policy(&kw, &p), 0);
	CU_ASSERT_EQUAL(rec.n_add_sa, 0);
	CU_ASSERT_EQUAL(kw.n, 3);
	/* not tagged yet: nothing goes, whatever is committed */
	CU_ASSERT_EQUAL(kernel_wa_release(&kw, UINT64_MAX - 1), 0);
	kernel_wa_settle(&kw, 5);	/* the core call ended at event 5 */
	kernel_wa_settle(&kw, 6);	/* does not retag */
	/* the caller's copy may be wiped: the queue has its own */
	memset(&in, 0, sizeof(in));
	CU_ASSERT_EQUAL(kernel_wa_release(&kw, 4), 0);
	CU_ASSERT_EQUAL(rec.nsa, 0);
	CU_ASSERT_EQUAL(kernel_wa_release(&kw, 5), 3);
	CU_ASSERT_EQUAL(rec.nsa, 2);
	CU_ASSERT_EQUAL(rec.npol, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(kernel_rec_sa(&rec, 0x200));
	CU_ASSERT_EQUAL(kernel_rec_sa(&rec, 0x200)->enc_key[0], 0x5a);
	CU_ASSERT_EQUAL(kw.n, 0);
	CU_ASSERT_PTR_NULL(kw.head);
	CU_ASSERT_PTR_NULL(kw.tail);
	CU_ASSERT_EQUAL(kw.deferred, 3);
	kernel_wa_fini(&kw);
	kernel_rec_fini(&rec);
}

static void
test_order_and_settle(void)
{
	struct kernel_rec	 rec;
	struct kernel_wa	 kw;
	const struct kernel_ops	*k;
	struct kernel_sa	 a = ksa(0x300), b = ksa(0x301);

	kernel_rec_init(&rec, 0x1000);
	kernel_wa_init(&kw, &kernel_rec_ops, &rec, upto, NULL);
	k = kernel_wa_ops_for(&kw);
	upto_now = 0;
	CU_ASSERT_EQUAL(k->add_sa(&kw, &a), 0);
	kernel_wa_settle(&kw, 7);
	/* the next call: a delete, then events 8 and 9 */
	CU_ASSERT_EQUAL(k->del_sa(&kw, &a.dst, a.spi, 50), 0);
	kernel_wa_settle(&kw, 9);
	CU_ASSERT_EQUAL(k->add_sa(&kw, &b), 0);
	kernel_wa_settle(&kw, 9);
	/* 7 commits: the add only; the delete (9) waits */
	CU_ASSERT_EQUAL(kernel_wa_release(&kw, 8), 1);
	CU_ASSERT_PTR_NOT_NULL(kernel_rec_sa(&rec, 0x300));
	CU_ASSERT_EQUAL(rec.n_del_sa, 0);
	CU_ASSERT_EQUAL(kernel_wa_release(&kw, 9), 2);
	CU_ASSERT_PTR_NULL(kernel_rec_sa(&rec, 0x300));
	CU_ASSERT_PTR_NOT_NULL(kernel_rec_sa(&rec, 0x301));
	/* syncd gone for good (upto = max) with nothing queued: direct */
	upto_now = UINT64_MAX;
	CU_ASSERT_EQUAL(k->del_sa(&kw, &b.dst, b.spi, 50), 0);
	CU_ASSERT_PTR_NULL(kernel_rec_sa(&rec, 0x301));
	/* ... but behind what is still queued: order first */
	upto_now = 3;
	CU_ASSERT_EQUAL(k->add_sa(&kw, &a), 0);
	upto_now = UINT64_MAX;
	CU_ASSERT_EQUAL(k->del_sa(&kw, &a.dst, a.spi, 50), 0);
	CU_ASSERT_EQUAL(kw.n, 2);
	kernel_wa_settle(&kw, 10);
	CU_ASSERT_EQUAL(kernel_wa_release(&kw, UINT64_MAX), 2);
	CU_ASSERT_PTR_NULL(kernel_rec_sa(&rec, 0x300));
	kernel_wa_fini(&kw);
	kernel_rec_fini(&rec);
}

static void
test_late_failure_and_batch(void)
{
	struct kernel_rec	 rec;
	struct kernel_wa	 kw;
	const struct kernel_ops	*k;
	struct kernel_sa	 a = ksa(0x400), b = ksa(0x401);
	uint32_t		 spi[4];

	kernel_rec_init(&rec, 0x1000);
	kernel_wa_init(&kw, &kernel_rec_ops, &rec, upto, NULL);
	k = kernel_wa_ops_for(&kw);
	CU_ASSERT_PTR_NOT_NULL(k->batch_begin);
	upto_now = 0;
	rec.fail_add_sa = true;
	CU_ASSERT_EQUAL(k->add_sa(&kw, &a), 0);	/* announced ... */
	kernel_wa_settle(&kw, 1);
	CU_ASSERT_EQUAL(kernel_wa_release(&kw, 1), 1);
	CU_ASSERT_EQUAL(kw.late_failed, 1);	/* ... and failed */
	CU_ASSERT_EQUAL(kernel_wa_take_failed(&kw, spi, nitems(spi)), 1);
	CU_ASSERT_EQUAL(spi[0], 0x400);
	CU_ASSERT_EQUAL(kernel_wa_take_failed(&kw, spi, nitems(spi)), 0);
	rec.fail_add_sa = false;
	/* a takeover's batch passes through, even while holding */
	CU_ASSERT_EQUAL(k->batch_begin(&kw), 0);
	CU_ASSERT_EQUAL(k->add_sa(&kw, &b), 0);
	CU_ASSERT_PTR_NOT_NULL(kernel_rec_sa(&rec, 0x401));
	CU_ASSERT_EQUAL(k->batch_end(&kw, NULL, NULL), 0);
	CU_ASSERT_EQUAL(rec.n_batches, 1);
	CU_ASSERT_EQUAL(kw.n, 0);
	/* queued requests are dropped by fini, never run */
	CU_ASSERT_EQUAL(k->del_sa(&kw, &b.dst, b.spi, 50), 0);
	kernel_wa_fini(&kw);
	CU_ASSERT_PTR_NOT_NULL(kernel_rec_sa(&rec, 0x401));
	kernel_rec_fini(&rec);
}

static void
test_first_lease_fence(void)
{
	struct kernel_rec	 rec;
	struct kernel_wa	 kw;
	const struct kernel_ops	*k;
	struct kernel_sa	 out = ksa(0x500), in = ksa(0x501);
	const struct kernel_sa	*r;

	kernel_rec_init(&rec, 0x1000);
	kernel_wa_init(&kw, &kernel_rec_ops, &rec, upto, NULL);
	k = kernel_wa_ops_for(&kw);
	/* not replicating: no fence, the SA's own (unlimited) lifetimes */
	upto_now = UINT64_MAX;
	out.first_lease = 1024;
	CU_ASSERT_EQUAL(k->add_sa(&kw, &out), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r = kernel_rec_sa(&rec, 0x500));
	CU_ASSERT_EQUAL(r->lft.hard_packets, 0);
	CU_ASSERT_EQUAL(r->lft.soft_packets, 0);
	/* replicating: hard at the lease end, soft a quarter below */
	upto_now = 0;
	out.spi = 0x502;
	CU_ASSERT_EQUAL(k->add_sa(&kw, &out), 0);
	CU_ASSERT_EQUAL(k->add_sa(&kw, &in), 0);	/* inbound: none */
	kernel_wa_settle(&kw, 1);
	CU_ASSERT_EQUAL(kernel_wa_release(&kw, 1), 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r = kernel_rec_sa(&rec, 0x502));
	CU_ASSERT_EQUAL(r->lft.hard_packets, 1024);
	CU_ASSERT_EQUAL(r->lft.soft_packets, 768);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r = kernel_rec_sa(&rec, 0x501));
	CU_ASSERT_EQUAL(r->lft.hard_packets, 0);
	/* the Child SA's own lower limits stay */
	out.spi = 0x503;
	out.lft.soft_packets = 500;
	out.lft.hard_packets = 900;
	CU_ASSERT_EQUAL(k->add_sa(&kw, &out), 0);
	kernel_wa_settle(&kw, 2);
	CU_ASSERT_EQUAL(kernel_wa_release(&kw, 2), 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r = kernel_rec_sa(&rec, 0x503));
	CU_ASSERT_EQUAL(r->lft.hard_packets, 900);
	CU_ASSERT_EQUAL(r->lft.soft_packets, 500);
	kernel_wa_fini(&kw);
	kernel_rec_fini(&rec);
}

static void
test_no_batch_backend(void)
{
	static const struct kernel_ops	 nob = { .add_sa = NULL };
	struct kernel_wa		 kw;

	kernel_wa_init(&kw, &nob, NULL, upto, NULL);
	CU_ASSERT_PTR_NULL(kernel_wa_ops_for(&kw)->batch_begin);
	CU_ASSERT_PTR_NULL(kernel_wa_ops_for(&kw)->batch_end);
	kernel_wa_init(&kw, &kernel_rec_ops, NULL, upto, NULL);
	CU_ASSERT_PTR_NOT_NULL(kernel_wa_ops_for(&kw)->batch_end);
}

UNIT_SUITE(kernel_wa, "kernel_wa: kernel installs behind the barrier",
    { "pass-through without syncd", test_pass_through },
    { "installs wait for the event after them", test_behind_the_event },
    { "order, settle, syncd gone", test_order_and_settle },
    { "late failure, takeover batch, fini", test_late_failure_and_batch },
    { "outbound SAs fenced at their first lease", test_first_lease_fence },
    { "backend without batches", test_no_batch_backend });
