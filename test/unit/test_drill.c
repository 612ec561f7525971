/*
 * test/unit/test_drill.c -- the pure parts of `haadm drill` (ha/drill.h):
 * durations, SA set comparison (kept / lost / new, rekeyed children),
 * counter advances and the traffic gap, the verdict against each
 * threshold, and the JSON and human reports.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/util.h"
#include "unit.h"
#include "../../ha/drill.h"

#define IKE1_I	"0011223344556677"
#define IKE1_R	"8899aabbccddeeff"
#define IKE2_I	"1111111111111111"
#define IKE2_R	"2222222222222222"

static void
test_duration(void)
{
	static const struct {
		const char	*s;
		int		 rc;
		int64_t		 ms;
	} t[] = {
		{ "500ms", 0, 500 },	{ "2s", 0, 2000 },
		{ "1.5s", 0, 1500 },	{ "3", 0, 3000 },
		{ "0ms", 0, 0 },	{ "0.25", 0, 250 },
		{ "", -1, 0 },		{ "-1s", -1, 0 },
		{ "s", -1, 0 },		{ "2m", -1, 0 },
		{ "2 s", -1, 0 },	{ " 2s", -1, 0 },
		{ "nan", -1, 0 },	{ "inf", -1, 0 },
		{ "0x10", -1, 0 },	{ "86401s", -1, 0 },
		{ "1e3ms", 0, 1000 },
	};
	int64_t	 ms;
	size_t	 i;

	for (i = 0; i < nitems(t); i++) {
		ms = -7;
		CU_ASSERT_EQUAL(drill_parse_duration(t[i].s, &ms), t[i].rc);
		if (t[i].rc == 0)
			CU_ASSERT_EQUAL(ms, t[i].ms);
	}
	CU_ASSERT_EQUAL(drill_parse_duration(NULL, &ms), -1);
}

static void
test_add_refusals(void)
{
	struct drill_sas	 s;

	memset(&s, 0, sizeof(s));
	CU_ASSERT_EQUAL(drill_sas_add_ike(&s, IKE1_I, IKE1_R), 0);
	CU_ASSERT_EQUAL(drill_sas_add_ike(&s, "00112233445566", IKE1_R), -1);
	CU_ASSERT_EQUAL(drill_sas_add_ike(&s, IKE1_I, "8899aabbccddeefg"),
	    -1);
	CU_ASSERT_EQUAL(drill_sas_add_ike(&s, NULL, IKE1_R), -1);
	CU_ASSERT_EQUAL(drill_sas_add_child(&s, IKE1_I, IKE1_R, "c1", "0000",
	    0), -1);
	CU_ASSERT_EQUAL(drill_sas_add_child(&s, IKE1_I, IKE1_R, "c0000001",
	    "d000000g", 0), -1);
	CU_ASSERT_EQUAL(s.nike, 1);
	CU_ASSERT_EQUAL(s.nchild, 0);
	/* Case folds: ikev2d and syncd print lower case, an operator may
	 * not. */
	CU_ASSERT_EQUAL(drill_sas_add_ike(&s, "AABBCCDDEEFF0011",
	    "0011223344556677"), 0);
	CU_ASSERT_STRING_EQUAL(s.ike[1].spi_i, "aabbccddeeff0011");
	drill_sas_free(&s);
	CU_ASSERT_PTR_NULL(s.ike);
	drill_sas_free(NULL);
}

static void
test_compare(void)
{
	struct drill_sas	 b, a;
	struct drill_cmp	 c;
	char			 spi[9];
	int			 i;

	memset(&b, 0, sizeof(b));
	memset(&a, 0, sizeof(a));
	/* Before: IKE1 with c1, c2; IKE2 with c3. */
	drill_sas_add_ike(&b, IKE1_I, IKE1_R);
	drill_sas_add_ike(&b, IKE2_I, IKE2_R);
	drill_sas_add_child(&b, IKE1_I, IKE1_R, "c0000001", "d0000001", 5);
	drill_sas_add_child(&b, IKE1_I, IKE1_R, "c0000002", "d0000002", 5);
	drill_sas_add_child(&b, IKE2_I, IKE2_R, "c0000003", "d0000003", 5);
	/* After: IKE1 kept, c1 kept, c2 rekeyed into c4; IKE2 lost, a new
	 * IKE3 (renegotiated) with c5. */
	drill_sas_add_ike(&a, "3333333333333333", "4444444444444444");
	drill_sas_add_ike(&a, IKE1_I, IKE1_R);
	drill_sas_add_child(&a, IKE1_I, IKE1_R, "C0000004", "d0000004", 0);
	drill_sas_add_child(&a, IKE1_I, IKE1_R, "c0000001", "D0000001", 9);
	drill_sas_add_child(&a, "3333333333333333", "4444444444444444",
	    "c0000005", "d0000005", 0);
	drill_compare(&b, &a, &c);
	CU_ASSERT_EQUAL(c.ike_before, 2);
	CU_ASSERT_EQUAL(c.ike_after, 2);
	CU_ASSERT_EQUAL(c.ike_kept, 1);
	CU_ASSERT_EQUAL(c.ike_lost, 1);
	CU_ASSERT_EQUAL(c.ike_new, 1);
	CU_ASSERT_EQUAL(c.child_before, 3);
	CU_ASSERT_EQUAL(c.child_after, 3);
	CU_ASSERT_EQUAL(c.child_kept, 1);
	CU_ASSERT_EQUAL(c.child_rekeyed, 1);
	CU_ASSERT_EQUAL(c.child_new, 1);
	CU_ASSERT_EQUAL(c.child_gone, 2);
	/* Same against itself: all kept. */
	drill_compare(&b, &b, &c);
	CU_ASSERT_EQUAL(c.ike_kept, 2);
	CU_ASSERT_EQUAL(c.child_kept, 3);
	CU_ASSERT_EQUAL(c.ike_new + c.ike_lost + c.child_gone, 0);
	drill_sas_free(&a);
	/* Empty after: everything lost; many SAs sort and find. */
	drill_compare(&b, &a, &c);
	CU_ASSERT_EQUAL(c.ike_lost, 2);
	CU_ASSERT_EQUAL(c.child_gone, 3);
	for (i = 0; i < 1000; i++) {
		snprintf(spi, sizeof(spi), "%08x", 1000 - i);
		CU_ASSERT_EQUAL_FATAL(drill_sas_add_child(&a, IKE1_I, IKE1_R,
		    spi, spi, 0), 0);
	}
	drill_sas_add_ike(&a, IKE1_I, IKE1_R);
	drill_compare(&b, &a, &c);
	CU_ASSERT_EQUAL(c.child_rekeyed, 1000);
	CU_ASSERT_EQUAL(c.ike_kept, 1);
	drill_sas_free(&a);
	drill_sas_free(&b);
}

static void
test_gap(void)
{
	struct drill_sas	 p, q;
	struct drill_gap	 g;

	memset(&p, 0, sizeof(p));
	memset(&q, 0, sizeof(q));
	drill_sas_add_child(&p, IKE1_I, IKE1_R, "c0000001", "d0000001", 10);
	drill_sas_add_child(&q, IKE1_I, IKE1_R, "c0000001", "d0000001", 10);
	CU_ASSERT_FALSE(drill_sas_advanced(&p, &q));
	q.child[0].in_top = 11;
	CU_ASSERT_TRUE(drill_sas_advanced(&p, &q));
	q.child[0].in_top = 9;	/* never backwards in syncd; not an advance */
	CU_ASSERT_FALSE(drill_sas_advanced(&p, &q));
	/* A new child with traffic is an advance, one without is not. */
	drill_sas_add_child(&q, IKE1_I, IKE1_R, "c0000002", "d0000002", 0);
	CU_ASSERT_FALSE(drill_sas_advanced(&p, &q));
	q.child[1].in_top = 1;
	CU_ASSERT_TRUE(drill_sas_advanced(&p, &q));
	drill_sas_free(&p);
	drill_sas_free(&q);

	drill_gap_init(&g, 1000);
	CU_ASSERT_EQUAL(drill_gap_ms(&g), DRILL_GAP_NO_BEFORE);
	drill_gap_note(&g, 900, true);
	drill_gap_note(&g, 950, true);
	drill_gap_note(&g, 990, false);
	CU_ASSERT_EQUAL(drill_gap_ms(&g), DRILL_GAP_NO_AFTER);
	/* Late batches of the old master's traffic before the resume
	 * point do not count as "after". */
	drill_gap_note(&g, 1050, true);
	CU_ASSERT_EQUAL(drill_gap_ms(&g), DRILL_GAP_NO_AFTER);
	drill_gap_resume(&g, 1500);
	drill_gap_resume(&g, 1700);		/* the first call wins */
	CU_ASSERT_EQUAL(g.resume_ms, 1500);
	drill_gap_note(&g, 1450, true);
	drill_gap_note(&g, 1550, false);
	drill_gap_note(&g, 1800, true);
	drill_gap_note(&g, 1850, true);		/* the first one counts */
	CU_ASSERT_EQUAL(drill_gap_ms(&g), 850);
	drill_gap_init(&g, 1000);
	drill_gap_resume(&g, 500);		/* never before the failure */
	CU_ASSERT_EQUAL(g.resume_ms, 1000);
	drill_gap_note(&g, 1100, true);		/* no traffic before */
	CU_ASSERT_EQUAL(drill_gap_ms(&g), DRILL_GAP_NO_BEFORE);
}

static void
report_ok(struct drill_report *r, enum drill_kind k)
{
	memset(r, 0, sizeof(*r));
	r->kind = k;
	snprintf(r->group, sizeof(r->group), "vg1");
	snprintf(r->node, sizeof(r->node), "a");
	snprintf(r->old_master, sizeof(r->old_master), "a");
	snprintf(r->new_master, sizeof(r->new_master), "%s",
	    k == DRILL_LINK ? "a" : "b");
	snprintf(r->masters_after, sizeof(r->masters_after), "%s",
	    r->new_master);
	r->nmasters_after = 1;
	r->role_changed = k != DRILL_LINK;
	snprintf(r->what, sizeof(r->what), "up0, in0 down");
	r->takeover_ms = 800;
	r->gap_ms = 1200;
	r->ctr_sync_ms = 1000;
	r->cmp.ike_before = r->cmp.ike_after = r->cmp.ike_kept = 1;
	r->cmp.child_before = r->cmp.child_after = r->cmp.child_kept = 1;
}

static bool
has_reason(const struct drill_report *r, const char *part)
{
	size_t	 i;

	for (i = 0; i < r->nreasons; i++)
		if (strstr(r->reasons[i], part) != NULL)
			return true;
	return false;
}

static void
test_verdict(void)
{
	const struct drill_limits none = { DRILL_NO_LIMIT, DRILL_NO_LIMIT,
	    DRILL_NO_LIMIT };
	struct drill_limits	 lim = { 2000, 0, 0 };
	struct drill_report	 r;

	report_ok(&r, DRILL_CRASH);
	drill_evaluate(&r, &lim);
	CU_ASSERT_TRUE(r.pass);
	CU_ASSERT_EQUAL(r.nreasons, 0);

	r.gap_ms = 2001;
	drill_evaluate(&r, &lim);
	CU_ASSERT_FALSE(r.pass);
	CU_ASSERT_TRUE(has_reason(&r, "traffic gap 2001 ms > --max-outage "
	    "2000 ms"));
	r.gap_ms = 2000;			/* at the limit passes */
	drill_evaluate(&r, &lim);
	CU_ASSERT_TRUE(r.pass);
	r.gap_ms = DRILL_GAP_NO_BEFORE;
	drill_evaluate(&r, &lim);
	CU_ASSERT_TRUE(has_reason(&r, "not measured: no inbound traffic "
	    "before"));
	r.gap_ms = DRILL_GAP_NO_AFTER;
	drill_evaluate(&r, &lim);
	CU_ASSERT_EQUAL(r.nreasons, 1);
	CU_ASSERT_TRUE(has_reason(&r, "traffic did not resume: no inbound "
	    "counter of vg1 advanced after the takeover"));
	drill_evaluate(&r, &none);		/* no limit: not judged */
	CU_ASSERT_TRUE(r.pass);

	report_ok(&r, DRILL_CRASH);
	r.cmp.ike_new = 1;
	r.cmp.ike_kept = 0;
	r.cmp.ike_lost = 1;
	r.cmp.child_rekeyed = 2;
	drill_evaluate(&r, &lim);
	CU_ASSERT_FALSE(r.pass);
	CU_ASSERT_EQUAL(r.nreasons, 3);
	CU_ASSERT_TRUE(has_reason(&r, "1 of 1 IKE SAs lost"));
	CU_ASSERT_TRUE(has_reason(&r, "1 renegotiation (new IKE SAs) > "
	    "--max-renegotiations 0"));
	CU_ASSERT_TRUE(has_reason(&r, "2 Child SA rekeys > --max-rekeys 0"));

	report_ok(&r, DRILL_PLANNED);
	snprintf(r.new_master, sizeof(r.new_master), "a");
	drill_evaluate(&r, &none);
	CU_ASSERT_TRUE(has_reason(&r, "no other node became MASTER of vg1"));
	r.new_master[0] = '\0';
	r.nmasters_after = 0;
	r.masters_after[0] = '\0';
	drill_evaluate(&r, &none);
	CU_ASSERT_EQUAL(r.nreasons, 2);
	CU_ASSERT_TRUE(has_reason(&r, "0 masters of vg1 after the drill"));

	report_ok(&r, DRILL_PLANNED);
	r.back = true;
	r.back_ms = 250;
	drill_evaluate(&r, &none);
	CU_ASSERT_TRUE(r.pass);
	r.back_ms = -1;
	snprintf(r.back_why, sizeof(r.back_why), "a not MASTER after 30 s");
	drill_evaluate(&r, &none);
	CU_ASSERT_TRUE(has_reason(&r, "the return trip failed: a not MASTER "
	    "after 30 s"));

	report_ok(&r, DRILL_LINK);
	drill_evaluate(&r, &none);
	CU_ASSERT_TRUE(r.pass);
	r.role_changed = true;
	snprintf(r.new_master, sizeof(r.new_master), "b");
	snprintf(r.masters_after, sizeof(r.masters_after), "a,b");
	r.nmasters_after = 2;
	drill_evaluate(&r, &none);
	CU_ASSERT_TRUE(has_reason(&r, "changed (a -> b)"));
	CU_ASSERT_TRUE(has_reason(&r, "2 masters of vg1 after the drill "
	    "(a,b)"));
}

static char *
capture(void (*fn)(FILE *, const struct drill_report *),
    const struct drill_report *r)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*f;

	f = open_memstream(&buf, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fn(f, r);
	fclose(f);
	return buf;
}

static void
test_report(void)
{
	struct drill_limits	 lim = { 2000, 0, DRILL_NO_LIMIT };
	struct drill_report	 r;
	char			*s;

	report_ok(&r, DRILL_CRASH);
	r.fail_unix_ms = 1764000000123;
	r.down_ms = 5000;
	r.settle_ms = 3000;
	r.have_decided = true;
	r.decided_ms = 640;
	r.activation_us = 4500;
	drill_evaluate(&r, &lim);
	s = capture(drill_json, &r);
	CU_ASSERT_STRING_EQUAL(s,
	    "{\"kind\": \"crash\", \"verdict\": \"pass\", \"reasons\": [], "
	    "\"group\": \"vg1\", \"node\": \"a\", \"old_master\": \"a\", "
	    "\"new_master\": \"b\", \"masters_after\": [\"b\"], "
	    "\"failure\": \"up0, in0 down\", "
	    "\"failure_unix_ms\": 1764000000123, \"down_ms\": 5000, "
	    "\"takeover_ms\": 800, \"decided_ms\": 640, "
	    "\"activation_ms\": 4.5, \"traffic_gap_ms\": 1200, "
	    "\"counter_sync_ms\": 1000, \"settle_ms\": 3000, "
	    "\"ike\": {\"before\": 1, \"after\": 1, \"kept\": 1, \"lost\": 0, "
	    "\"new\": 0}, \"child\": {\"before\": 1, \"after\": 1, "
	    "\"kept\": 1, \"rekeyed\": 0, \"new\": 0, \"gone\": 0}, "
	    "\"renegotiations\": 0, \"rekeys\": 0, \"xfrm_errors\": [], "
	    "\"back_ms\": null, "
	    "\"limits\": "
	    "{\"max_outage_ms\": 2000, \"max_renegotiations\": 0, "
	    "\"max_rekeys\": null}}\n");
	free(s);

	/* A failure: reasons escaped, nulls, two masters. */
	r.gap_ms = DRILL_GAP_NO_AFTER;
	r.takeover_ms = -1;
	r.have_decided = false;
	r.new_master[0] = '\0';
	snprintf(r.masters_after, sizeof(r.masters_after), "a,b");
	r.nmasters_after = 2;
	snprintf(r.what, sizeof(r.what), "say \"x\"\\");
	drill_evaluate(&r, &lim);
	s = capture(drill_json, &r);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"verdict\": \"fail\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"new_master\": null"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"masters_after\": [\"a\", "
	    "\"b\"]"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"failure\": \"say \\\"x\\\"\\\\\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"takeover_ms\": null, "
	    "\"decided_ms\": null, \"activation_ms\": null, "
	    "\"traffic_gap_ms\": null"));
	free(s);
	s = capture(drill_print, &r);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "drill crash, group vg1, on node a: "
	    "FAIL\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "  verdict         FAIL: "));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "  traffic gap     traffic did not "
	    "resume"));
	free(s);
	report_ok(&r, DRILL_PLANNED);
	drill_evaluate(&r, &lim);
	s = capture(drill_print, &r);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "  master          a -> b\n"));
	CU_ASSERT_PTR_NULL(strstr(s, "decided"));
	r.have_decided = true;
	r.decided_ms = 120;
	r.activation_us = 2250;
	free(s);
	s = capture(drill_print, &r);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\n                  b decided 120 "
	    "ms after the failure (its clock), active 2.2 ms later\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "  traffic gap     at most 1200 ms"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "  verdict         PASS\n"));
	free(s);
}

/* Replay / integrity error counters of every node, before and after. */
static void
test_xerr(void)
{
	struct drill_limits	 lim = { DRILL_NO_LIMIT, DRILL_NO_LIMIT,
				    DRILL_NO_LIMIT };
	struct drill_report	 r;
	uint64_t		 a0[DRILL_XE_MAX] = { 5, 0, 0 };
	uint64_t		 b0[DRILL_XE_MAX] = { 0, 1, 0 };
	uint64_t		 b1[DRILL_XE_MAX] = { 0, 4, 0 };
	char			*s;
	size_t			 i;

	report_ok(&r, DRILL_CRASH);
	CU_ASSERT_EQUAL(drill_xerr_note(&r.xerr, 1, "a", true, false, a0), 0);
	CU_ASSERT_EQUAL(drill_xerr_note(&r.xerr, 2, "b", false, false, b0),
	    0);
	/* Unchanged on both: pass. */
	CU_ASSERT_EQUAL(drill_xerr_note(&r.xerr, 1, NULL, true, true, a0), 0);
	CU_ASSERT_EQUAL(drill_xerr_note(&r.xerr, 2, "", false, true, b0), 0);
	CU_ASSERT_EQUAL(r.xerr.nn, 2);
	CU_ASSERT_STRING_EQUAL(r.xerr.n[1].name, "b");	/* "" keeps it */
	drill_evaluate(&r, &lim);
	CU_ASSERT_TRUE(r.pass);
	/* The peer's integrity errors rose: fail, naming node and counter. */
	CU_ASSERT_EQUAL(drill_xerr_note(&r.xerr, 2, "b", false, true, b1), 0);
	drill_evaluate(&r, &lim);
	CU_ASSERT_FALSE(r.pass);
	CU_ASSERT_EQUAL(r.nreasons, 1);
	CU_ASSERT_TRUE(has_reason(&r, "b: XfrmInStateProtoError rose by 3 "
	    "(1 -> 4)"));
	s = capture(drill_print, &r);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "  xfrm errors     a (this node): "
	    "InStateSeqError 5 -> 5, InStateProtoError 0 -> 0, "
	    "OutStateSeqError 0 -> 0\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "b: InStateSeqError 0 -> 0, "
	    "InStateProtoError 1 -> 4,"));
	free(s);
	s = capture(drill_json, &r);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"xfrm_errors\": [{\"node\": 1, "
	    "\"name\": \"a\", \"self\": true, \"before\": "
	    "{\"XfrmInStateSeqError\": 5, \"XfrmInStateProtoError\": 0, "
	    "\"XfrmOutStateSeqError\": 0}, \"after\": "
	    "{\"XfrmInStateSeqError\": 5, "));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"rose\": false}, {\"node\": 2"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"rose\": true}]"));
	free(s);
	/* A node not heard after the drill: shown, not judged. */
	report_ok(&r, DRILL_CRASH);
	drill_xerr_note(&r.xerr, 2, "b", false, false, b0);
	drill_evaluate(&r, &lim);
	CU_ASSERT_TRUE(r.pass);
	s = capture(drill_json, &r);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"after\": null, \"rose\": false}"));
	free(s);
	/* At most DRILL_XNODES_MAX nodes. */
	for (i = 0; i < DRILL_XNODES_MAX - 1; i++)
		CU_ASSERT_EQUAL(drill_xerr_note(&r.xerr, 10 + (uint32_t)i, "",
		    false, false, b0), 0);
	CU_ASSERT_EQUAL(drill_xerr_note(&r.xerr, 99, "", false, false, b0),
	    -1);
	CU_ASSERT_STRING_EQUAL(drill_xerr_name(DRILL_XE_OUT_SEQ),
	    "XfrmOutStateSeqError");
}

UNIT_SUITE(drill, "haadm drill: SA sets, gap, verdict, report",
    { "durations", test_duration },
    { "SA set refusals", test_add_refusals },
    { "SA set comparison", test_compare },
    { "counter advances and gap", test_gap },
    { "verdict per threshold", test_verdict },
    { "JSON and human report", test_report },
    { "XFRM error counters of every node", test_xerr });
