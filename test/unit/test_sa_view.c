/* test/unit/test_sa_view.c -- the operator's view of SA records. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "../../ikev2d/ike_const.h"
#include "../../ikev2d/sa_view.h"
#include "tandem/util.h"
#include "unit.h"

static void
ts4(struct sa_ts *ts, const char *a, const char *b, uint8_t proto,
    uint16_t lo, uint16_t hi)
{
	memset(ts, 0, sizeof(*ts));
	ts->family = AF_INET;
	inet_pton(AF_INET, a, ts->start);
	inet_pton(AF_INET, b, ts->end);
	ts->proto = proto;
	ts->port_lo = lo;
	ts->port_hi = hi;
}

static void
test_ts(void)
{
	static const struct {
		const char	*a, *b;
		uint8_t		 proto;
		uint16_t	 lo, hi;
		const char	*want;
	} t[] = {
		{ "198.51.100.0", "198.51.100.127", 0, 0, 65535,
		    "198.51.100.0/25" },
		{ "198.51.100.5", "198.51.100.5", 0, 0, 65535,
		    "198.51.100.5/32" },
		{ "0.0.0.0", "255.255.255.255", 0, 0, 65535, "0.0.0.0/0" },
		{ "198.51.100.1", "198.51.100.9", 0, 0, 65535,
		    "198.51.100.1-198.51.100.9" },
		{ "198.51.100.0", "198.51.100.126", 0, 0, 65535,
		    "198.51.100.0-198.51.100.126" },
		{ "198.51.100.0", "198.51.100.255", 6, 443, 443,
		    "198.51.100.0/24[6/443]" },
		{ "198.51.100.0", "198.51.100.255", 17, 0, 65535,
		    "198.51.100.0/24[17]" },
		{ "198.51.100.0", "198.51.100.255", 6, 1000, 2000,
		    "198.51.100.0/24[6/1000-2000]" },
	};
	struct sa_ts	 ts;
	char		 buf[96];
	size_t		 i;

	for (i = 0; i < nitems(t); i++) {
		ts4(&ts, t[i].a, t[i].b, t[i].proto, t[i].lo, t[i].hi);
		sa_view_ts(buf, sizeof(buf), &ts);
		CU_ASSERT_STRING_EQUAL(buf, t[i].want);
	}
	memset(&ts, 0, sizeof(ts));
	ts.family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8:0:10::", ts.start);
	inet_pton(AF_INET6, "2001:db8:0:10:ffff:ffff:ffff:ffff", ts.end);
	ts.port_hi = 65535;
	sa_view_ts(buf, sizeof(buf), &ts);
	CU_ASSERT_STRING_EQUAL(buf, "2001:db8:0:10::/64");
}

static void
test_addr_id(void)
{
	struct sa_addr	 a;
	struct sa_id	 id;
	char		 buf[128];

	memset(&a, 0, sizeof(a));
	sa_view_addr(buf, sizeof(buf), &a);
	CU_ASSERT_STRING_EQUAL(buf, "");
	a.family = AF_INET;
	inet_pton(AF_INET, "192.0.2.1", a.addr);
	a.port = 4500;
	sa_view_addr(buf, sizeof(buf), &a);
	CU_ASSERT_STRING_EQUAL(buf, "192.0.2.1[4500]");

	memset(&id, 0, sizeof(id));
	id.type = IKE_ID_FQDN;
	id.len = 11;
	memcpy(id.data, "hub.example", 11);
	sa_view_id(buf, sizeof(buf), &id);
	CU_ASSERT_STRING_EQUAL(buf, "hub.example");
	id.type = IKE_ID_IPV4_ADDR;
	id.len = 4;
	inet_pton(AF_INET, "203.0.113.2", id.data);
	sa_view_id(buf, sizeof(buf), &id);
	CU_ASSERT_STRING_EQUAL(buf, "203.0.113.2");
	id.len = 3;				/* wrong length: shown raw */
	sa_view_id(buf, sizeof(buf), &id);
	CU_ASSERT_STRING_EQUAL(buf, "IPV4_ADDR:cb0071");
	id.type = IKE_ID_KEY_ID;
	id.len = 2;
	id.data[0] = 0xde;
	id.data[1] = 0xad;
	sa_view_id(buf, sizeof(buf), &id);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, ":dead"));
}

static void
test_rows(void)
{
	char		 c[SA_VIEW_MAX_COLS][SA_VIEW_CELL];
	struct sa_view_ctr ctr = { .have_in = true, .bytes_in = 840,
			    .packets_in = 10, .drops_in = 1 };
	struct sa_ike	 ike;
	struct sa_child	 ch;

	memset(&ike, 0, sizeof(ike));
	strcpy(ike.conn, "site1");
	ike.role = SA_ROLE_RESPONDER;
	ike.spi_i[7] = 1;
	ike.encr = IKE_ENCR_AES_GCM_16;
	ike.encr_bits = 128;
	ike.prf = IKE_PRF_HMAC_SHA2_256;
	ike.ke = IKE_KE_CURVE25519;
	ike.established_ms = 10000;
	ike.rekey_ms = 70000;
	ike.msgid_send = 3;
	ike.msgid_recv = 5;
	sa_view_ike_row(c, 7, "ESTABLISHED", &ike, 40000);
	CU_ASSERT_STRING_EQUAL(c[0], "7");
	CU_ASSERT_STRING_EQUAL(c[1], "site1");
	CU_ASSERT_STRING_EQUAL(c[2], "ESTABLISHED");
	CU_ASSERT_STRING_EQUAL(c[8], "0000000000000001");
	CU_ASSERT_PTR_NOT_NULL(strstr(c[10], "128"));
	CU_ASSERT_STRING_EQUAL(c[11], "30");	/* age */
	CU_ASSERT_STRING_EQUAL(c[12], "30");	/* rekey in */
	CU_ASSERT_STRING_EQUAL(c[13], "3/5");
	ike.encr = 0;				/* before IKE_SA_INIT's reply */
	sa_view_ike_row(c, 7, "INIT_SENT", &ike, 40000);
	CU_ASSERT_STRING_EQUAL(c[10], "-");

	memset(&ch, 0, sizeof(ch));
	ch.spi_in = 0xc0000001;
	ch.spi_out = 0xabc;
	ch.mode = SA_MODE_TUNNEL;
	ch.encr = IKE_ENCR_AES_CBC;
	ch.encr_bits = 256;
	ch.integ = IKE_INTEG_HMAC_SHA2_256_128;
	ch.n_ts_local = 2;
	ts4(&ch.ts_local[0], "198.51.100.0", "198.51.100.127", 0, 0, 65535);
	ts4(&ch.ts_local[1], "198.51.100.200", "198.51.100.200", 0, 0, 65535);
	ch.flags = SA_CHILD_ESN;
	sa_view_child_row(c, 9, 7, "INSTALLED", &ch, &ctr, 5000);
	CU_ASSERT_STRING_EQUAL(c[4], "c0000001");
	CU_ASSERT_STRING_EQUAL(c[5], "00000abc");
	CU_ASSERT_STRING_EQUAL(c[7], "198.51.100.0/25,198.51.100.200/32");
	CU_ASSERT_STRING_EQUAL(c[8], "");
	CU_ASSERT_STRING_EQUAL(c[10], "yes");
	CU_ASSERT_STRING_EQUAL(c[11], "-");	/* not installed: no age */
	CU_ASSERT_PTR_NOT_NULL(strstr(c[6], "256"));
	CU_ASSERT_STRING_EQUAL(c[13], "840");
	CU_ASSERT_STRING_EQUAL(c[14], "10");
	CU_ASSERT_STRING_EQUAL(c[15], "-");	/* outbound not read */
	CU_ASSERT_STRING_EQUAL(c[17], "1");
	sa_view_child_row(c, 9, 7, "INSTALLED", &ch, NULL, 5000);
	CU_ASSERT_STRING_EQUAL(c[13], "-");
}

UNIT_SUITE(sa_view, "sa_view",
    { "traffic selectors", test_ts },
    { "addresses and identities", test_addr_id },
    { "IKE and Child rows", test_rows });
