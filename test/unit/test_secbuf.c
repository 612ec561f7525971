/* test/unit/test_secbuf.c -- secret buffers and the wire cursor. */
#include <string.h>

#include "tandem/secbuf.h"
#include "tandem/util.h"
#include "tandem/wire.h"
#include "unit.h"

static void
test_secbuf_cat_eq(void)
{
	struct secbuf	*a = secbuf_from("ab", 2), *b = secbuf_from("cd", 2);
	struct secbuf	*c = secbuf_cat(a, b), *d = secbuf_from("abcd", 4);
	struct secbuf	*e = secbuf_from("abce", 4);

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(c->len, 4);
	CU_ASSERT(secbuf_eq(c, d));
	CU_ASSERT(!secbuf_eq(c, e));
	CU_ASSERT(!secbuf_eq(a, c));
	CU_ASSERT(secbuf_eq(NULL, NULL));
	CU_ASSERT(!secbuf_eq(a, NULL));
	secbuf_free(a);
	secbuf_free(b);
	secbuf_free(c);
	secbuf_free(d);
	secbuf_free(e);
	secbuf_free(NULL);
}

static void
test_rd_sticky(void)
{
	static const uint8_t	 buf[] = { 1, 2, 3, 4, 5, 6, 7 };
	struct rd		 r;

	rd_init(&r, buf, sizeof(buf));
	CU_ASSERT_EQUAL(rd_u8(&r), 1);
	CU_ASSERT_EQUAL(rd_be16(&r), 0x0203);
	CU_ASSERT_EQUAL(rd_be32(&r), 0x04050607);
	CU_ASSERT(!r.bad);
	CU_ASSERT_EQUAL(rd_u8(&r), 0);
	CU_ASSERT(r.bad);
	rd_init(&r, buf, 3);
	CU_ASSERT_EQUAL(rd_be32(&r), 0);	/* short: nothing consumed */
	CU_ASSERT(r.bad);
	CU_ASSERT_EQUAL(rd_u8(&r), 0);		/* and it stays bad */
	CU_ASSERT_PTR_NULL(rd_bytes(&r, 0));
}

static void
test_wr_roundtrip(void)
{
	uint8_t		 buf[16];
	struct wr	 w;
	struct rd	 r;

	wr_init(&w, buf, sizeof(buf));
	wr_u8(&w, 0xab);
	wr_be16(&w, 0);
	wr_be64(&w, 0x0102030405060708ULL);
	wr_put_be16_at(&w, 1, 0xbeef);
	CU_ASSERT(!w.bad);
	CU_ASSERT_EQUAL(w.len, 11);
	rd_init(&r, buf, w.len);
	CU_ASSERT_EQUAL(rd_u8(&r), 0xab);
	CU_ASSERT_EQUAL(rd_be16(&r), 0xbeef);
	CU_ASSERT_EQUAL(rd_be64(&r), 0x0102030405060708ULL);
	CU_ASSERT(!r.bad && r.left == 0);
	wr_be64(&w, 1);				/* 8 more do not fit in 5 */
	CU_ASSERT(w.bad);
	CU_ASSERT_EQUAL(w.len, 11);
	wr_put_be32_at(&w, 10, 1);
	CU_ASSERT(w.bad);
}

static void
test_sat(void)
{
	CU_ASSERT_EQUAL(sat_add64(UINT64_MAX - 1, 5), UINT64_MAX);
	CU_ASSERT_EQUAL(sat_add64(1, 2), 3);
	CU_ASSERT_EQUAL(sat_sub64(1, 2), 0);
	CU_ASSERT_EQUAL(sat_sub64(5, 2), 3);
}

UNIT_SUITE(secbuf, "secbuf+wire",
    { "secbuf cat/eq", test_secbuf_cat_eq },
    { "rd sticky errors", test_rd_sticky },
    { "wr round trip", test_wr_roundtrip },
    { "saturating math", test_sat });
