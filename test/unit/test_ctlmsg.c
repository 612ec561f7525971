/* test/unit/test_ctlmsg.c -- control messages: round trip and rejects. */
#include <stdio.h>
#include <string.h>

#include "tandem/ctlmsg.h"
#include "unit.h"

static long
build_status(uint8_t *buf, size_t cap)
{
	struct wr	 w;

	wr_init(&w, buf, cap);
	ctl_begin(&w, CTL_STATUS | CTL_REPLY, 0, 0xdeadbeef);
	ctl_put_kv(&w, "daemon", "ikev2d");
	ctl_put_kv(&w, "pid", "4242");
	ctl_put_kv(&w, "empty", "");
	return ctl_finish(&w);
}

static void
test_roundtrip(void)
{
	uint8_t		 buf[256];
	char		 k[32], v[32];
	struct ctl_hdr	 h;
	struct ctl_tlv	 t;
	struct rd	 r;
	long		 n = build_status(buf, sizeof(buf));

	CU_ASSERT_FATAL(n > CTL_HDR_LEN);
	CU_ASSERT_EQUAL_FATAL(ctl_decode(buf, (size_t)n, &h, &r), 0);
	CU_ASSERT_EQUAL(h.type, CTL_STATUS | CTL_REPLY);
	CU_ASSERT_EQUAL(h.id, 0xdeadbeef);
	CU_ASSERT_EQUAL(h.length, (uint32_t)n);
	CU_ASSERT_STRING_EQUAL(ctl_type_name(h.type), "STATUS");
	CU_ASSERT_EQUAL_FATAL(ctl_next(&r, &t), 1);
	CU_ASSERT_EQUAL_FATAL(ctl_kv(&t, k, sizeof(k), v, sizeof(v)), 0);
	CU_ASSERT_STRING_EQUAL(k, "daemon");
	CU_ASSERT_STRING_EQUAL(v, "ikev2d");
	CU_ASSERT_EQUAL_FATAL(ctl_next(&r, &t), 1);
	CU_ASSERT_EQUAL_FATAL(ctl_kv(&t, k, sizeof(k), v, sizeof(v)), 0);
	CU_ASSERT_STRING_EQUAL(v, "4242");
	CU_ASSERT_EQUAL_FATAL(ctl_next(&r, &t), 1);
	CU_ASSERT_EQUAL_FATAL(ctl_kv(&t, k, sizeof(k), v, sizeof(v)), 0);
	CU_ASSERT_STRING_EQUAL(v, "");
	CU_ASSERT_EQUAL(ctl_next(&r, &t), 0);
	/* "ikev2d" does not fit in 3 bytes: refused, not cut. */
	CU_ASSERT_EQUAL_FATAL(ctl_decode(buf, (size_t)n, &h, &r), 0);
	CU_ASSERT_EQUAL_FATAL(ctl_next(&r, &t), 1);
	CU_ASSERT_EQUAL(ctl_kv(&t, k, sizeof(k), v, 3), CTL_E_VALUE);
	CU_ASSERT_EQUAL(ctl_kv(&t, k, 3, v, sizeof(v)), CTL_E_VALUE);
}

static void
test_rejects(void)
{
	uint8_t		 buf[256];
	struct ctl_hdr	 h;
	struct ctl_tlv	 t;
	struct rd	 r;
	char		 k[8], v[8];
	long		 n = build_status(buf, sizeof(buf));
	size_t		 i;

	for (i = 0; i < CTL_HDR_LEN; i++)
		CU_ASSERT_EQUAL(ctl_decode(buf, i, &h, &r), CTL_E_SHORT);
	/* The length field must match the datagram exactly. */
	CU_ASSERT_EQUAL(ctl_decode(buf, (size_t)n - 1, &h, &r), CTL_E_LENGTH);
	CU_ASSERT_EQUAL(ctl_decode(buf, (size_t)n + 1, &h, &r), CTL_E_LENGTH);
	buf[0] = 9;
	CU_ASSERT_EQUAL(ctl_decode(buf, (size_t)n, &h, &r), CTL_E_VERSION);
	buf[0] = CTL_VERSION;
	/* First TLV claims more than the message holds. */
	buf[CTL_HDR_LEN + 2] = 0xff;
	CU_ASSERT_EQUAL_FATAL(ctl_decode(buf, (size_t)n, &h, &r), 0);
	CU_ASSERT_EQUAL(ctl_next(&r, &t), CTL_E_TLV);
	CU_ASSERT_EQUAL(ctl_next(&r, &t), CTL_E_TLV);	/* sticky */
	/* A KV without its separator. */
	t.tag = CTL_T_KV;
	t.len = 3;
	t.val = (const uint8_t *)"abc";
	CU_ASSERT_EQUAL(ctl_kv(&t, k, sizeof(k), v, sizeof(v)), CTL_E_VALUE);
	/* An empty key. */
	t.len = 2;
	t.val = (const uint8_t *)"\0x";
	CU_ASSERT_EQUAL(ctl_kv(&t, k, sizeof(k), v, sizeof(v)), CTL_E_VALUE);
}

static void
test_overflow(void)
{
	uint8_t		 buf[20];
	struct wr	 w;

	wr_init(&w, buf, sizeof(buf));
	ctl_begin(&w, CTL_PING, 0, 1);
	ctl_put_kv(&w, "too", "long for twenty");
	CU_ASSERT_EQUAL(ctl_finish(&w), -1);
	CU_ASSERT_STRING_EQUAL(ctl_type_name(77), "UNKNOWN");
}

static void
test_rows(void)
{
	static const char *const cols[] = { "uid", "state", "" };
	uint8_t		 buf[128];
	char		 cbuf[64];
	const char	*cells[4];
	struct ctl_hdr	 h;
	struct ctl_tlv	 t;
	struct wr	 w;
	struct rd	 r;
	long		 n;

	wr_init(&w, buf, sizeof(buf));
	ctl_begin(&w, CTL_SAS | CTL_REPLY, 0, 1);
	ctl_put_row(&w, CTL_T_COLUMNS, cols, 3);
	n = ctl_finish(&w);
	CU_ASSERT_FATAL(n > 0);
	CU_ASSERT_EQUAL_FATAL(ctl_decode(buf, (size_t)n, &h, &r), 0);
	CU_ASSERT_EQUAL_FATAL(ctl_next(&r, &t), 1);
	CU_ASSERT_EQUAL_FATAL(ctl_row(&t, cbuf, sizeof(cbuf), cells, 4), 3);
	CU_ASSERT_STRING_EQUAL(cells[0], "uid");
	CU_ASSERT_STRING_EQUAL(cells[1], "state");
	CU_ASSERT_STRING_EQUAL(cells[2], "");		/* empty last cell */
	/* Too many cells for the caller, or too long for its buffer. */
	CU_ASSERT_EQUAL(ctl_row(&t, cbuf, sizeof(cbuf), cells, 2), CTL_E_VALUE);
	CU_ASSERT_EQUAL(ctl_row(&t, cbuf, 5, cells, 4), CTL_E_VALUE);
	/* Zero cells cannot be written. */
	wr_init(&w, buf, sizeof(buf));
	ctl_put_row(&w, CTL_T_ROW, cols, 0);
	CU_ASSERT(w.bad);
}

/* The reply writer splits a long table over datagrams, losing nothing. */
struct sent {
	unsigned int	 n, rows, more;
	uint32_t	 bytes;
	int		 fail_at;	/* fail the n-th send (1-based), 0 never */
};

static int
record_send(void *arg, const uint8_t *msg, size_t len)
{
	struct sent	*s = arg;
	struct ctl_hdr	 h;
	struct ctl_tlv	 t;
	struct rd	 r;

	s->n++;
	if (s->fail_at != 0 && (int)s->n == s->fail_at)
		return -1;
	if (ctl_decode(msg, len, &h, &r) != 0 || len > 300)
		return -1;
	s->more += (h.flags & CTL_F_MORE) != 0;
	while (ctl_next(&r, &t) == 1)
		s->rows += t.tag == CTL_T_ROW;
	return 0;
}

static void
test_reply_chunks(void)
{
	static const char *const cols[] = { "uid", "name" };
	uint8_t			 buf[300];
	struct ctl_reply	 r;
	struct sent		 s = { 0 };
	char			 num[16];
	const char		*cells[2];
	int			 i;

	ctl_reply_init(&r, buf, sizeof(buf), CTL_SAS, 9, record_send, &s);
	ctl_reply_table(&r, "ike", cols, 2);
	for (i = 0; i < 100; i++) {
		snprintf(num, sizeof(num), "%d", i);
		cells[0] = num;
		cells[1] = "a-connection-name";
		ctl_reply_row(&r, cells, 2);
	}
	CU_ASSERT_EQUAL(ctl_reply_end(&r), 0);
	CU_ASSERT_EQUAL(s.rows, 100);
	CU_ASSERT(s.n > 5);
	CU_ASSERT_EQUAL(s.more, s.n - 1);	/* all but the last */

	/* A failed send stops the reply and is reported. */
	memset(&s, 0, sizeof(s));
	s.fail_at = 2;
	ctl_reply_init(&r, buf, sizeof(buf), CTL_SAS, 9, record_send, &s);
	for (i = 0; i < 100; i++) {
		cells[0] = "x";
		cells[1] = "a-connection-name";
		ctl_reply_row(&r, cells, 2);
	}
	CU_ASSERT_EQUAL(ctl_reply_end(&r), -1);
	CU_ASSERT_EQUAL(s.n, 2);
}

/* CTL_REKEY / CTL_DELETE targets: what haadm writes, ikev2d reads. */
static void
test_sa_target(void)
{
	static const uint8_t uid3[3] = { 0, 0, 1 };
	uint8_t			 buf[64];
	enum ctl_sa_kind	 kind;
	uint32_t		 uid;
	struct ctl_hdr		 h;
	struct wr		 w;
	struct rd		 r;
	long			 n;

	wr_init(&w, buf, sizeof(buf));
	ctl_begin(&w, CTL_REKEY, 0, 1);
	ctl_put_sa_target(&w, CTL_SA_CHILD, 0x01020304);
	n = ctl_finish(&w);
	CU_ASSERT_FATAL(n > 0);
	CU_ASSERT_EQUAL_FATAL(ctl_decode(buf, (size_t)n, &h, &r), 0);
	CU_ASSERT_STRING_EQUAL(ctl_type_name(h.type), "REKEY");
	CU_ASSERT_EQUAL(ctl_sa_target(&r, &kind, &uid), 0);
	CU_ASSERT_EQUAL(kind, CTL_SA_CHILD);
	CU_ASSERT_EQUAL(uid, 0x01020304);

	wr_init(&w, buf, sizeof(buf));
	ctl_begin(&w, CTL_DELETE, 0, 1);
	ctl_put_sa_target(&w, CTL_SA_IKE, 7);
	n = ctl_finish(&w);
	CU_ASSERT_EQUAL_FATAL(ctl_decode(buf, (size_t)n, &h, &r), 0);
	CU_ASSERT_EQUAL(ctl_sa_target(&r, &kind, &uid), 0);
	CU_ASSERT_EQUAL(kind, CTL_SA_IKE);
	CU_ASSERT_EQUAL(uid, 7);

	/* no target at all */
	wr_init(&w, buf, sizeof(buf));
	ctl_begin(&w, CTL_DELETE, 0, 1);
	n = ctl_finish(&w);
	CU_ASSERT_EQUAL_FATAL(ctl_decode(buf, (size_t)n, &h, &r), 0);
	CU_ASSERT_EQUAL(ctl_sa_target(&r, &kind, &uid), CTL_E_VALUE);
	/* an unknown kind, a short uid, a repeated tag */
	wr_init(&w, buf, sizeof(buf));
	ctl_begin(&w, CTL_DELETE, 0, 1);
	ctl_put(&w, CTL_T_KIND, "esp", 3);
	ctl_put(&w, CTL_T_UID, "\0\0\0\1", 4);
	n = ctl_finish(&w);
	CU_ASSERT_EQUAL_FATAL(ctl_decode(buf, (size_t)n, &h, &r), 0);
	CU_ASSERT_EQUAL(ctl_sa_target(&r, &kind, &uid), CTL_E_VALUE);
	wr_init(&w, buf, sizeof(buf));
	ctl_begin(&w, CTL_DELETE, 0, 1);
	ctl_put(&w, CTL_T_KIND, "ike", 3);
	ctl_put(&w, CTL_T_UID, uid3, sizeof(uid3));
	n = ctl_finish(&w);
	CU_ASSERT_EQUAL_FATAL(ctl_decode(buf, (size_t)n, &h, &r), 0);
	CU_ASSERT_EQUAL(ctl_sa_target(&r, &kind, &uid), CTL_E_VALUE);
	wr_init(&w, buf, sizeof(buf));
	ctl_begin(&w, CTL_DELETE, 0, 1);
	ctl_put_sa_target(&w, CTL_SA_IKE, 1);
	ctl_put(&w, CTL_T_KIND, "child", 5);
	n = ctl_finish(&w);
	CU_ASSERT_EQUAL_FATAL(ctl_decode(buf, (size_t)n, &h, &r), 0);
	CU_ASSERT_EQUAL(ctl_sa_target(&r, &kind, &uid), CTL_E_VALUE);
}

static long
role_msg(uint8_t *buf, size_t cap, uint16_t tag, const void *v, size_t n)
{
	struct wr	 w;

	wr_init(&w, buf, cap);
	ctl_begin(&w, CTL_FAILOVER, 0, 1);
	ctl_put(&w, tag, v, n);
	return ctl_finish(&w);
}

static void
test_role_args(void)
{
	struct ctl_role_req	 in, out;
	struct ctl_hdr		 h;
	struct rd		 r;
	struct wr		 w;
	uint8_t			 buf[512];
	char			 big[CTL_NAME_MAX];
	long			 n;

	memset(&in, 0, sizeof(in));
	snprintf(in.group, sizeof(in.group), "vg1");
	snprintf(in.node, sizeof(in.node), "hub-b");
	in.flags = CTL_RF_UNCLEAN;
	wr_init(&w, buf, sizeof(buf));
	ctl_begin(&w, CTL_ACTIVATE, 0, 7);
	ctl_put_role_args(&w, &in);
	n = ctl_finish(&w);
	CU_ASSERT_EQUAL_FATAL(ctl_decode(buf, (size_t)n, &h, &r), 0);
	CU_ASSERT_STRING_EQUAL(ctl_type_name(h.type), "ACTIVATE");
	CU_ASSERT_EQUAL_FATAL(ctl_role_args(&r, &out), 0);
	CU_ASSERT_STRING_EQUAL(out.group, "vg1");
	CU_ASSERT_STRING_EQUAL(out.node, "hub-b");
	CU_ASSERT_EQUAL(out.flags, CTL_RF_UNCLEAN);

	/* Nothing given: empty names, no flags. */
	memset(&in, 0, sizeof(in));
	wr_init(&w, buf, sizeof(buf));
	ctl_begin(&w, CTL_MAINT, 0, 8);
	ctl_put_role_args(&w, &in);
	n = ctl_finish(&w);
	CU_ASSERT_EQUAL_FATAL(ctl_decode(buf, (size_t)n, &h, &r), 0);
	CU_ASSERT_EQUAL_FATAL(ctl_role_args(&r, &out), 0);
	CU_ASSERT_STRING_EQUAL(out.group, "");
	CU_ASSERT_EQUAL(out.flags, 0);

	/* Rejects: empty, too long, control bytes, bad flags, repeats. */
	n = role_msg(buf, sizeof(buf), CTL_T_GROUP, "", 0);
	CU_ASSERT_EQUAL_FATAL(ctl_decode(buf, (size_t)n, &h, &r), 0);
	CU_ASSERT_EQUAL(ctl_role_args(&r, &out), CTL_E_VALUE);
	memset(big, 'g', sizeof(big));
	n = role_msg(buf, sizeof(buf), CTL_T_GROUP, big, sizeof(big));
	CU_ASSERT_EQUAL_FATAL(ctl_decode(buf, (size_t)n, &h, &r), 0);
	CU_ASSERT_EQUAL(ctl_role_args(&r, &out), CTL_E_VALUE);
	n = role_msg(buf, sizeof(buf), CTL_T_NODE, "a\nb", 3);
	CU_ASSERT_EQUAL_FATAL(ctl_decode(buf, (size_t)n, &h, &r), 0);
	CU_ASSERT_EQUAL(ctl_role_args(&r, &out), CTL_E_VALUE);
	n = role_msg(buf, sizeof(buf), CTL_T_FLAGS, "\0\0\1\0", 4);
	CU_ASSERT_EQUAL_FATAL(ctl_decode(buf, (size_t)n, &h, &r), 0);
	CU_ASSERT_EQUAL(ctl_role_args(&r, &out), CTL_E_VALUE);
	n = role_msg(buf, sizeof(buf), CTL_T_FLAGS, "\0\1", 2);
	CU_ASSERT_EQUAL_FATAL(ctl_decode(buf, (size_t)n, &h, &r), 0);
	CU_ASSERT_EQUAL(ctl_role_args(&r, &out), CTL_E_VALUE);
	wr_init(&w, buf, sizeof(buf));
	ctl_begin(&w, CTL_FAILOVER, 0, 1);
	ctl_put(&w, CTL_T_GROUP, "a", 1);
	ctl_put(&w, CTL_T_GROUP, "b", 1);
	n = ctl_finish(&w);
	CU_ASSERT_EQUAL_FATAL(ctl_decode(buf, (size_t)n, &h, &r), 0);
	CU_ASSERT_EQUAL(ctl_role_args(&r, &out), CTL_E_VALUE);
}

UNIT_SUITE(ctlmsg, "ctlmsg",
    { "round trip", test_roundtrip },
    { "malformed rejects", test_rejects },
    { "buffer overflow", test_overflow },
    { "rows and columns", test_rows },
    { "reply split over datagrams", test_reply_chunks },
    { "rekey/delete targets", test_sa_target },
    { "role command arguments", test_role_args });
