/*
 * test/unit/test_hamsg.c -- hamgrd's CPG messages (include/tandem/hamsg.h):
 * a known-answer STATE, round trips of both types, every malformed case
 * with its code, encode refusals, and the cluster view of ha/ha_view.h
 * (better peer, handover target).
 */
#include <stdio.h>
#include <string.h>

#include "tandem/hamsg.h"
#include "tandem/util.h"
#include "tandem/wire.h"
#include "unit.h"
#include "../../ha/ha_view.h"

/* STATE, seq 7, node "a", maintenance, one group vg1 at 200, MASTER. */
static const uint8_t	 kat_state[] = {
	0x01, 0x01, 0x00, 0x00,  0x00, 0x00, 0x00, 0x1b,
	0, 0, 0, 0, 0, 0, 0, 7,
	0x01, 'a',  0x01, 0x01,
	0x03, 'v', 'g', '1',  200, 2, 0,
};

static void
state_one(struct hamsg_state *s, const char *node, uint8_t flags,
    const char *group, uint8_t prio, uint8_t role, uint8_t gflags)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->node, sizeof(s->node), "%s", node);
	s->flags = flags;
	s->ngroups = 1;
	snprintf(s->groups[0].name, sizeof(s->groups[0].name), "%s", group);
	s->groups[0].prio = prio;
	s->groups[0].role = role;
	s->groups[0].flags = gflags;
}

static void
test_kat(void)
{
	struct hamsg_state	 s;
	struct hamsg		 m;
	struct wr		 w;
	uint8_t			 buf[HAMSG_MAX_LEN];

	state_one(&s, "a", HAMSG_NF_MAINT, "vg1", 200, HAMSG_ROLE_MASTER, 0);
	wr_init(&w, buf, sizeof(buf));
	CU_ASSERT_EQUAL(hamsg_encode_state(&w, 7, &s), (int)sizeof(kat_state));
	UNIT_ASSERT_BYTES(buf, kat_state, sizeof(kat_state));
	CU_ASSERT_EQUAL(hamsg_decode(kat_state, sizeof(kat_state), &m), 0);
	CU_ASSERT_EQUAL(m.hdr.type, HAMSG_STATE);
	CU_ASSERT_EQUAL(m.hdr.seq, 7);
	CU_ASSERT_STRING_EQUAL(m.u.state.node, "a");
	CU_ASSERT_EQUAL(m.u.state.flags, HAMSG_NF_MAINT);
	CU_ASSERT_EQUAL(m.u.state.ngroups, 1);
	CU_ASSERT_STRING_EQUAL(m.u.state.groups[0].name, "vg1");
	CU_ASSERT_EQUAL(m.u.state.groups[0].prio, 200);
	CU_ASSERT_EQUAL(m.u.state.groups[0].role, HAMSG_ROLE_MASTER);
}

static void
test_roundtrip(void)
{
	static uint8_t		 buf[HAMSG_MAX_LEN];
	struct hamsg_state	 s;
	struct hamsg_handover	 h;
	struct hamsg		 m;
	struct wr		 w;
	size_t			 i;
	int			 n;

	/* The largest STATE fits HAMSG_MAX_LEN exactly. */
	memset(&s, 0, sizeof(s));
	memset(s.node, 'n', 63);
	s.ngroups = HAMSG_GROUPS_MAX;
	for (i = 0; i < s.ngroups; i++) {
		memset(s.groups[i].name, 'g', 63);
		s.groups[i].name[0] = (char)('A' + i % 26);
		s.groups[i].prio = (uint8_t)(1 + i);
		s.groups[i].role = (uint8_t)(i % HAMSG_ROLE_MAX);
		s.groups[i].flags = i & 1 ? HAMSG_GF_FAULT : 0;
	}
	wr_init(&w, buf, sizeof(buf));
	n = hamsg_encode_state(&w, UINT64_MAX, &s);
	CU_ASSERT_EQUAL(n, HAMSG_MAX_LEN);
	CU_ASSERT_EQUAL(hamsg_decode(buf, (size_t)n, &m), 0);
	CU_ASSERT_EQUAL(m.hdr.seq, UINT64_MAX);
	CU_ASSERT(memcmp(&m.u.state, &s, sizeof(s)) == 0);

	memset(&h, 0, sizeof(h));
	strcpy(h.group, "vg_1-x");
	strcpy(h.target, "hub-b");
	strcpy(h.from, "hub-a");
	wr_init(&w, buf, sizeof(buf));
	n = hamsg_encode_handover(&w, 3, &h);
	CU_ASSERT_EQUAL(n, HAMSG_HDR_LEN + 7 + 6 + 6);
	CU_ASSERT_EQUAL(hamsg_decode(buf, (size_t)n, &m), 0);
	CU_ASSERT_EQUAL(m.hdr.type, HAMSG_HANDOVER);
	CU_ASSERT(memcmp(&m.u.handover, &h, sizeof(h)) == 0);

	/* Too small a buffer: BUFSZ, never an overrun. */
	for (i = 0; i < (size_t)n; i++) {
		wr_init(&w, buf, i);
		CU_ASSERT_EQUAL(hamsg_encode_handover(&w, 3, &h),
		    HAMSG_E_BUFSZ);
	}
}

/* kat_state with byte i set to v: the code decode must return. */
static int
mutate(size_t i, uint8_t v, size_t len)
{
	uint8_t		 b[sizeof(kat_state) + 1];
	struct hamsg	 m;

	memcpy(b, kat_state, sizeof(kat_state));
	b[sizeof(kat_state)] = 0;
	if (i < sizeof(b))
		b[i] = v;
	return hamsg_decode(b, len, &m);
}

static void
test_malformed(void)
{
	size_t	 n = sizeof(kat_state), i;

	for (i = 0; i < HAMSG_HDR_LEN; i++)
		CU_ASSERT_EQUAL(mutate(99, 0, i), HAMSG_E_SHORT);
	CU_ASSERT_EQUAL(mutate(0, 2, n), HAMSG_E_VERSION);
	CU_ASSERT_EQUAL(mutate(7, 0x1c, n), HAMSG_E_LENGTH);
	CU_ASSERT_EQUAL(mutate(7, 0x1a, n), HAMSG_E_LENGTH);
	CU_ASSERT_EQUAL(mutate(1, 0, n), HAMSG_E_TYPE);
	CU_ASSERT_EQUAL(mutate(1, HAMSG_TYPE_MAX, n), HAMSG_E_TYPE);
	CU_ASSERT_EQUAL(mutate(16, 0, n), HAMSG_E_NAME);	/* empty */
	CU_ASSERT_EQUAL(mutate(16, 64, n), HAMSG_E_SHORT);	/* past end */
	CU_ASSERT_EQUAL(mutate(17, '/', n), HAMSG_E_NAME);
	CU_ASSERT_EQUAL(mutate(17, 0, n), HAMSG_E_NAME);	/* NUL */
	CU_ASSERT_EQUAL(mutate(18, 0x02, n), HAMSG_E_VALUE);	/* flags */
	CU_ASSERT_EQUAL(mutate(19, HAMSG_GROUPS_MAX + 1, n), HAMSG_E_VALUE);
	CU_ASSERT_EQUAL(mutate(19, 2, n), HAMSG_E_SHORT);	/* count */
	CU_ASSERT_EQUAL(mutate(24, 0, n), HAMSG_E_VALUE);	/* prio 0 */
	CU_ASSERT_EQUAL(mutate(25, HAMSG_ROLE_MAX, n), HAMSG_E_VALUE);
	CU_ASSERT_EQUAL(mutate(26, 0x80, n), HAMSG_E_VALUE);
	/* A trailing byte, the length field agreeing. */
	CU_ASSERT_EQUAL(mutate(7, 0x1c, n + 1), HAMSG_E_TRAIL);
	for (i = HAMSG_HDR_LEN; i < n; i++) {
		uint8_t	 b[sizeof(kat_state)];
		struct hamsg m;

		/* Cut short, length field adjusted: never reads past. */
		memcpy(b, kat_state, sizeof(b));
		b[7] = (uint8_t)i;
		CU_ASSERT(hamsg_decode(b, i, &m) < 0);
	}
}

/* TRANS, seq 9: node "b", group "vg1", BACKUP -> MASTER at
 * 0x0102030405060708 ms, actions 12345 us. */
static const uint8_t	 kat_trans[] = {
	0x01, 0x03, 0x00, 0x00,  0x00, 0x00, 0x00, 0x24,
	0, 0, 0, 0, 0, 0, 0, 9,
	0x01, 'b',  0x03, 'v', 'g', '1',  1, 2,
	1, 2, 3, 4, 5, 6, 7, 8,  0x00, 0x00, 0x30, 0x39,
};

static void
test_trans(void)
{
	struct hamsg_trans	 t;
	struct hamsg		 m;
	uint8_t			 buf[HAMSG_MAX_LEN], b[sizeof(kat_trans) + 1];
	struct wr		 w;
	size_t			 i;
	int			 n;

	memset(&t, 0, sizeof(t));
	strcpy(t.node, "b");
	strcpy(t.group, "vg1");
	t.from = HAMSG_ROLE_BACKUP;
	t.to = HAMSG_ROLE_MASTER;
	t.at_unix_ms = 0x0102030405060708ULL;
	t.act_us = 12345;
	wr_init(&w, buf, sizeof(buf));
	n = hamsg_encode_trans(&w, 9, &t);
	CU_ASSERT_EQUAL_FATAL(n, (int)sizeof(kat_trans));
	CU_ASSERT(memcmp(buf, kat_trans, sizeof(kat_trans)) == 0);
	CU_ASSERT_EQUAL(hamsg_decode(kat_trans, sizeof(kat_trans), &m), 0);
	CU_ASSERT_EQUAL(m.hdr.type, HAMSG_TRANS);
	CU_ASSERT(memcmp(&m.u.trans, &t, sizeof(t)) == 0);
	CU_ASSERT_STRING_EQUAL(hamsg_type_name(HAMSG_TRANS), "TRANS");

	/* Roles out of range, a trailing byte, every cut. */
	memcpy(b, kat_trans, sizeof(kat_trans));
	b[22] = HAMSG_ROLE_MAX;
	CU_ASSERT_EQUAL(hamsg_decode(b, sizeof(kat_trans), &m),
	    HAMSG_E_VALUE);
	memcpy(b, kat_trans, sizeof(kat_trans));
	b[23] = 0xff;
	CU_ASSERT_EQUAL(hamsg_decode(b, sizeof(kat_trans), &m),
	    HAMSG_E_VALUE);
	memcpy(b, kat_trans, sizeof(kat_trans));
	b[7] = sizeof(kat_trans) + 1;
	b[sizeof(kat_trans)] = 0;
	CU_ASSERT_EQUAL(hamsg_decode(b, sizeof(b), &m), HAMSG_E_TRAIL);
	memcpy(b, kat_trans, sizeof(kat_trans));
	b[17] = '.';
	CU_ASSERT_EQUAL(hamsg_decode(b, sizeof(kat_trans), &m), HAMSG_E_NAME);
	for (i = HAMSG_HDR_LEN; i < sizeof(kat_trans); i++) {
		memcpy(b, kat_trans, sizeof(kat_trans));
		b[7] = (uint8_t)i;
		CU_ASSERT(hamsg_decode(b, i, &m) < 0);
	}

	/* Encode refusals: names, roles, a short buffer. */
	t.to = HAMSG_ROLE_MAX;
	wr_init(&w, buf, sizeof(buf));
	CU_ASSERT_EQUAL(hamsg_encode_trans(&w, 1, &t), HAMSG_E_VALUE);
	t.to = HAMSG_ROLE_MASTER;
	strcpy(t.group, "v g");
	CU_ASSERT_EQUAL(hamsg_encode_trans(&w, 1, &t), HAMSG_E_NAME);
	strcpy(t.group, "vg1");
	for (i = 0; i < sizeof(kat_trans); i++) {
		wr_init(&w, buf, i);
		CU_ASSERT_EQUAL(hamsg_encode_trans(&w, 9, &t), HAMSG_E_BUFSZ);
	}
}

/* PULL, seq 5: group "vg1" to requester "a". */
static const uint8_t	 kat_pull[] = {
	0x01, 0x04, 0x00, 0x00,  0x00, 0x00, 0x00, 0x16,
	0, 0, 0, 0, 0, 0, 0, 5,
	0x03, 'v', 'g', '1',  0x01, 'a',
};

static void
test_pull(void)
{
	struct hamsg_pull	 p;
	struct hamsg		 m;
	uint8_t			 buf[HAMSG_MAX_LEN], b[sizeof(kat_pull) + 1];
	struct wr		 w;
	size_t			 i;

	memset(&p, 0, sizeof(p));
	strcpy(p.group, "vg1");
	strcpy(p.requester, "a");
	wr_init(&w, buf, sizeof(buf));
	CU_ASSERT_EQUAL_FATAL(hamsg_encode_pull(&w, 5, &p),
	    (int)sizeof(kat_pull));
	CU_ASSERT(memcmp(buf, kat_pull, sizeof(kat_pull)) == 0);
	CU_ASSERT_EQUAL(hamsg_decode(kat_pull, sizeof(kat_pull), &m), 0);
	CU_ASSERT_EQUAL(m.hdr.type, HAMSG_PULL);
	CU_ASSERT(memcmp(&m.u.pull, &p, sizeof(p)) == 0);
	CU_ASSERT_STRING_EQUAL(hamsg_type_name(HAMSG_PULL), "PULL");
	memcpy(b, kat_pull, sizeof(kat_pull));
	b[7] = sizeof(kat_pull) + 1;
	b[sizeof(kat_pull)] = 'x';
	CU_ASSERT_EQUAL(hamsg_decode(b, sizeof(b), &m), HAMSG_E_TRAIL);
	memcpy(b, kat_pull, sizeof(kat_pull));
	b[20] = 0;				/* empty requester */
	CU_ASSERT(hamsg_decode(b, sizeof(kat_pull), &m) < 0);
	for (i = HAMSG_HDR_LEN; i < sizeof(kat_pull); i++) {
		memcpy(b, kat_pull, sizeof(kat_pull));
		b[7] = (uint8_t)i;
		CU_ASSERT(hamsg_decode(b, i, &m) < 0);
	}
	strcpy(p.requester, "");
	CU_ASSERT_EQUAL(hamsg_encode_pull(&w, 5, &p), HAMSG_E_NAME);
	strcpy(p.requester, "a");
	for (i = 0; i < sizeof(kat_pull); i++) {
		wr_init(&w, buf, i);
		CU_ASSERT_EQUAL(hamsg_encode_pull(&w, 5, &p), HAMSG_E_BUFSZ);
	}
}

static void
test_encode_refusals(void)
{
	struct hamsg_state	 s;
	struct hamsg_handover	 h;
	uint8_t			 buf[HAMSG_MAX_LEN];
	struct wr		 w;

	wr_init(&w, buf, sizeof(buf));
	state_one(&s, "", 0, "vg1", 1, 0, 0);
	CU_ASSERT_EQUAL(hamsg_encode_state(&w, 1, &s), HAMSG_E_NAME);
	state_one(&s, "a b", 0, "vg1", 1, 0, 0);
	CU_ASSERT_EQUAL(hamsg_encode_state(&w, 1, &s), HAMSG_E_NAME);
	state_one(&s, "a", 0, "vg1", 0, 0, 0);
	CU_ASSERT_EQUAL(hamsg_encode_state(&w, 1, &s), HAMSG_E_VALUE);
	state_one(&s, "a", 0, "vg1", 1, HAMSG_ROLE_MAX, 0);
	CU_ASSERT_EQUAL(hamsg_encode_state(&w, 1, &s), HAMSG_E_VALUE);
	state_one(&s, "a", 0x80, "vg1", 1, 0, 0);
	CU_ASSERT_EQUAL(hamsg_encode_state(&w, 1, &s), HAMSG_E_VALUE);
	s.flags = 0;
	s.ngroups = HAMSG_GROUPS_MAX + 1;
	CU_ASSERT_EQUAL(hamsg_encode_state(&w, 1, &s), HAMSG_E_VALUE);
	memset(&h, 0, sizeof(h));
	strcpy(h.group, "vg1");
	strcpy(h.target, "b");
	CU_ASSERT_EQUAL(hamsg_encode_handover(&w, 1, &h), HAMSG_E_NAME);
	CU_ASSERT_EQUAL(w.len, 0);
	CU_ASSERT_FALSE(hamsg_name_ok("0123456789012345678901234567890123456789"
	    "012345678901234567890123"));		/* 64 */
	CU_ASSERT_TRUE(hamsg_name_ok("hub-a_1"));
}

static void
test_names(void)
{
	int	 e, f;

	CU_ASSERT_STRING_EQUAL(hamsg_err_name(0), "OK");
	for (e = HAMSG_E_SHORT; e > HAMSG_E_MAX; e--) {
		CU_ASSERT_STRING_NOT_EQUAL(hamsg_err_name(e), "UNKNOWN");
		for (f = e - 1; f > HAMSG_E_MAX; f--)
			CU_ASSERT_STRING_NOT_EQUAL(hamsg_err_name(e),
			    hamsg_err_name(f));
	}
	CU_ASSERT_STRING_EQUAL(hamsg_err_name(HAMSG_E_MAX), "UNKNOWN");
	CU_ASSERT_STRING_EQUAL(hamsg_type_name(HAMSG_HANDOVER), "HANDOVER");
	CU_ASSERT_STRING_EQUAL(hamsg_type_name(0), "UNKNOWN");
}

static void
test_view(void)
{
	struct hamsg_state		 a, b, c;
	const struct hamsg_state	*ps[3] = { &a, &b, &c };

	state_one(&a, "a", 0, "vg1", 200, HAMSG_ROLE_MASTER, 0);
	state_one(&b, "b", 0, "vg1", 150, HAMSG_ROLE_BACKUP, 0);
	state_one(&c, "c", 0, "vg2", 250, HAMSG_ROLE_BACKUP, 0);

	CU_ASSERT_TRUE(ha_view_better(ps, 3, "vg1", 100));	/* b */
	CU_ASSERT_FALSE(ha_view_better(ps, 3, "vg1", 150));	/* equal */
	/* The master is not a "better peer": its adverts speak for it. */
	CU_ASSERT_FALSE(ha_view_better(ps, 3, "vg1", 199));
	a.groups[0].role = HAMSG_ROLE_BACKUP;
	CU_ASSERT_TRUE(ha_view_better(ps, 3, "vg1", 199));
	CU_ASSERT_FALSE(ha_view_better(ps, 3, "vg1", 200));	/* equal */
	CU_ASSERT_FALSE(ha_view_better(ps, 3, "vg3", 1));	/* nobody */
	CU_ASSERT_TRUE(ha_view_better(ps, 3, "vg2", 249));
	CU_ASSERT_FALSE(ha_view_better(ps, 0, "vg1", 1));

	/* Ineligible: maintenance, fault flag, FAULT or INIT role (a is
	 * a BACKUP at 200 here). */
	CU_ASSERT_TRUE(ha_view_better(ps, 1, "vg1", 100));
	a.flags = HAMSG_NF_MAINT;
	CU_ASSERT_FALSE(ha_view_better(ps, 1, "vg1", 100));
	a.flags = 0;
	a.groups[0].flags = HAMSG_GF_FAULT;
	CU_ASSERT_FALSE(ha_view_better(ps, 1, "vg1", 100));
	a.groups[0].flags = 0;
	a.groups[0].role = HAMSG_ROLE_FAULT;
	CU_ASSERT_FALSE(ha_view_better(ps, 1, "vg1", 100));
	a.groups[0].role = HAMSG_ROLE_INIT;
	CU_ASSERT_FALSE(ha_view_better(ps, 1, "vg1", 100));
	a.groups[0].role = HAMSG_ROLE_MASTER;

	/* Target: best other eligible, or the one named. */
	CU_ASSERT_PTR_EQUAL(ha_view_target(ps, 3, "vg1", "a", ""), &b);
	CU_ASSERT_PTR_EQUAL(ha_view_target(ps, 3, "vg1", "x", ""), &a);
	CU_ASSERT_PTR_EQUAL(ha_view_target(ps, 3, "vg1", "x", "b"), &b);
	CU_ASSERT_PTR_NULL(ha_view_target(ps, 3, "vg1", "a", "c"));
	CU_ASSERT_PTR_NULL(ha_view_target(ps, 3, "vg1", "a", "a"));
	b.flags = HAMSG_NF_MAINT;
	CU_ASSERT_PTR_NULL(ha_view_target(ps, 3, "vg1", "a", ""));
	CU_ASSERT_PTR_NULL(ha_view_target(ps, 3, "vg1", "a", "b"));
}

UNIT_SUITE(hamsg, "hamgrd CPG messages and cluster view",
    { "known answer", test_kat },
    { "round trips", test_roundtrip },
    { "malformed messages", test_malformed },
    { "TRANS", test_trans },
    { "PULL", test_pull },
    { "encode refusals", test_encode_refusals },
    { "names", test_names },
    { "cluster view", test_view });
