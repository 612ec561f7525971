/*
 * test/unit/test_ike_sa_tab.c -- ikev2d's IKE SA table (ike_sa_tab.c):
 * every lookup its indexes serve finds what a walk of the list finds,
 * through growth, SPI changes, unlinking and freeing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/util.h"
#include "../../ikev2d/child_sa.h"
#include "../../ikev2d/ike_core.h"
#include "../../ikev2d/ike_sa.h"
#include "exch_pair.h"
#include "unit.h"

#define NSA	3000	/* grows the table from 64 six times */

static const char conf[] =
"ike = { connections = {\n"
"  c1 = { vip_group = \"vg1\"; local_addrs = \"192.0.2.1\";\n"
"    remote_addrs = \"192.0.2.2\"; proposals = [ \"aes128gcm16-prfsha256-x25519\" ];\n"
"    local = { auth = \"psk\"; id = \"a.example\"; };\n"
"    remote = { auth = \"psk\"; id = \"b.example\"; };\n"
"    children = { net = { local_ts = \"10.1.0.0/16\"; remote_ts = \"10.2.0.0/16\";\n"
"      esp_proposals = [ \"aes128gcm16\" ]; }; }; };\n"
"  c2 = { vip_group = \"vg1\"; local_addrs = \"192.0.2.1\";\n"
"    remote_addrs = \"192.0.2.3\"; proposals = [ \"aes128gcm16-prfsha256-x25519\" ];\n"
"    local = { auth = \"psk\"; id = \"a.example\"; };\n"
"    remote = { auth = \"psk\"; id = \"c.example\"; };\n"
"    children = { net = { local_ts = \"10.1.0.0/16\"; remote_ts = \"10.3.0.0/16\";\n"
"      esp_proposals = [ \"aes128gcm16\" ]; }; }; };\n"
"  };\n"
"  secrets = { s1 = { type = \"ike\"; id = [ \"a.example\", \"b.example\",\n"
"    \"c.example\" ]; secret = \"0123456789abcdef\"; }; };\n"
"};\n"
"ha = { groups = { vg1 = { vrid = 1; interface = \"eth0\";\n"
"  vips = [ \"192.0.2.1/24\" ]; }; }; };\n";

static void
spi_put(uint8_t *p, uint64_t v)
{
	int	 i;

	for (i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

/* The header of a message the peer sends to sa (after IKE_SA_INIT). */
static struct ike_hdr
hdr_to(const struct ike_sa *sa)
{
	struct ike_hdr	 h;

	memset(&h, 0, sizeof(h));
	h.ispi = be64_get(sa->spi_i);
	h.rspi = be64_get(sa->spi_r);
	/* the peer is the original initiator when we are not */
	h.flags = sa->initiator ? 0 : IKE_FLAG_INITIATOR;
	return h;
}

static struct sa_addr
peer(uint16_t port)
{
	struct sa_addr	 a;

	memset(&a, 0, sizeof(a));
	a.family = 2;
	memcpy(a.addr, "\xc0\x00\x02\x02", 4);
	a.port = port;
	return a;
}

/* i-th SA: even ones responders (the peer's SPIi set and refiled, as
 * exch_init.c does), odd ones initiators (the peer's SPIr set). */
static struct ike_sa *
make_sa(struct ike_core *c, unsigned int i, const char *conn)
{
	struct sa_addr	 l = peer(500), r = peer((uint16_t)(1000 + i % 7));
	struct ike_sa	*sa;

	sa = ike_sa_new(c, i % 2 == 1, &l, &r);
	CU_ASSERT_FATAL(sa != NULL);
	if (sa->initiator)
		spi_put(sa->spi_r, 0x5000000000000000ULL + i);
	else
		spi_put(sa->spi_i, 0x4000000000000000ULL + i);
	snprintf(sa->conn_name, sizeof(sa->conn_name), "%s", conn);
	ike_sa_refile(sa);
	return sa;
}

static struct child_sa *
make_child(struct ike_sa *sa, uint32_t reqid, bool standby)
{
	struct child_sa	*ch = calloc(1, sizeof(*ch));

	CU_ASSERT_FATAL(ch != NULL);
	snprintf(ch->name, sizeof(ch->name), "net");
	ch->reqid = reqid;
	ch->standby = standby;
	ch->uid = ++sa->core->next_uid;
	child_sa_link(sa, ch);
	return ch;
}

static size_t
list_len(const struct ike_core *c)
{
	const struct ike_sa	*sa;
	size_t			 n = 0;

	for (sa = c->sas; sa != NULL; sa = sa->next)
		n++;
	return n;
}

static void
test_lookups(void)
{
	static struct ike_sa	*sas[NSA];
	struct side		 s;
	struct ike_core		*c;
	struct ike_hdr		 h;
	struct sa_addr		 r;
	unsigned int		 i;

	side_start(&s, conf, "192.0.2.1", 7, 0x10000000, NULL);
	c = s.core;
	for (i = 0; i < NSA; i++)
		sas[i] = make_sa(c, i, i % 3 == 0 ? "c1" : "c2");
	CU_ASSERT_EQUAL(ike_core_stats(c)->ike_sas, NSA);
	CU_ASSERT_EQUAL(list_len(c), NSA);
	for (i = 0; i < NSA; i++) {
		h = hdr_to(sas[i]);
		CU_ASSERT_PTR_EQUAL(ike_sa_find(c, &h), sas[i]);
		CU_ASSERT_PTR_EQUAL(ike_sa_by_uid(c, sas[i]->uid), sas[i]);
		r = sas[i]->remote;
		CU_ASSERT_PTR_EQUAL(ike_sa_find_init(c, be64_get(sas[i]->spi_i),
		    &r), sas[i]->initiator ? NULL : sas[i]);
		/* the peer's SPI must match, and so must the address */
		h.flags ^= IKE_FLAG_INITIATOR;
		CU_ASSERT_PTR_NULL(ike_sa_find(c, &h));
		r.port++;
		if (!sas[i]->initiator)
			CU_ASSERT_PTR_NULL(ike_sa_find_init(c,
			    be64_get(sas[i]->spi_i), &r));
	}
	/* free every other one: gone from every index, the rest stay */
	for (i = 0; i < NSA; i += 2) {
		h = hdr_to(sas[i]);
		ike_sa_free(sas[i]);
		CU_ASSERT_PTR_NULL(ike_sa_find(c, &h));
		sas[i] = NULL;
	}
	CU_ASSERT_EQUAL(ike_core_stats(c)->ike_sas, NSA / 2);
	CU_ASSERT_EQUAL(list_len(c), NSA / 2);
	for (i = 1; i < NSA; i += 2) {
		h = hdr_to(sas[i]);
		CU_ASSERT_PTR_EQUAL(ike_sa_find(c, &h), sas[i]);
		CU_ASSERT_PTR_EQUAL(ike_sa_by_uid(c, sas[i]->uid), sas[i]);
	}
	side_fini(&s);
}

/* A rekey gives an SA new SPIs: found under them, not the old ones. */
static void
test_refile(void)
{
	struct side	 s;
	struct ike_sa	*sa;
	struct ike_hdr	 old, nw;

	side_start(&s, conf, "192.0.2.1", 7, 0x10000000, NULL);
	sa = make_sa(s.core, 3, "c1");
	old = hdr_to(sa);
	spi_put(sa->spi_i, 0x1111111111111111ULL);
	spi_put(sa->spi_r, 0x2222222222222222ULL);
	ike_sa_refile(sa);
	nw = hdr_to(sa);
	CU_ASSERT_PTR_NULL(ike_sa_find(s.core, &old));
	CU_ASSERT_PTR_EQUAL(ike_sa_find(s.core, &nw), sa);
	/* off the table: found nowhere, freed once */
	ike_sa_unlink(sa);
	CU_ASSERT_PTR_NULL(ike_sa_find(s.core, &nw));
	CU_ASSERT_PTR_NULL(ike_sa_by_uid(s.core, sa->uid));
	CU_ASSERT_EQUAL(ike_core_stats(s.core)->ike_sas, 0);
	ike_sa_free(sa);
	CU_ASSERT_EQUAL(ike_core_stats(s.core)->ike_sas, 0);
	side_fini(&s);
}

/* ike_sa_by_conn: established, not standby, that connection, the
 * newest first -- also after the table grew. */
static void
test_by_conn(void)
{
	struct side	 s;
	struct ike_sa	*a, *b, *x;
	unsigned int	 i;

	side_start(&s, conf, "192.0.2.1", 7, 0x10000000, NULL);
	CU_ASSERT_PTR_NULL(ike_sa_by_conn(s.core, "c1"));
	a = make_sa(s.core, 1, "c1");
	CU_ASSERT_PTR_NULL(ike_sa_by_conn(s.core, "c1"));	/* not up */
	a->state = IKE_S_ESTABLISHED;
	b = make_sa(s.core, 3, "c1");
	b->state = IKE_S_ESTABLISHED;
	CU_ASSERT_PTR_EQUAL(ike_sa_by_conn(s.core, "c1"), b);
	for (i = 0; i < 500; i++)
		make_sa(s.core, 5 + 2 * i, "c2")->state = IKE_S_ESTABLISHED;
	CU_ASSERT_PTR_EQUAL(ike_sa_by_conn(s.core, "c1"), b);
	b->standby = true;
	CU_ASSERT_PTR_EQUAL(ike_sa_by_conn(s.core, "c1"), a);
	x = ike_sa_by_conn(s.core, "c2");
	CU_ASSERT(x != NULL && strcmp(x->conn_name, "c2") == 0);
	CU_ASSERT_PTR_NULL(ike_sa_by_conn(s.core, "c3"));
	side_fini(&s);
}

/* Child SAs by reqid: others of the reqid, standby ones only when
 * asked; an IKE SA off the table takes its Child SAs off too. */
static void
test_reqid(void)
{
	struct side	 s;
	struct ike_sa	*a, *b;
	struct child_sa	*ca, *cb, *cs;
	unsigned int	 i;

	side_start(&s, conf, "192.0.2.1", 7, 0x10000000, NULL);
	a = make_sa(s.core, 1, "c1");
	b = make_sa(s.core, 3, "c1");
	ca = make_child(a, 77, false);
	CU_ASSERT_PTR_NULL(ike_tab_reqid_other(s.core, 77, ca, false));
	cs = make_child(b, 77, true);
	CU_ASSERT_PTR_NULL(ike_tab_reqid_other(s.core, 77, ca, false));
	CU_ASSERT_PTR_EQUAL(ike_tab_reqid_other(s.core, 77, ca, true), cs);
	cb = make_child(b, 77, false);
	CU_ASSERT_PTR_EQUAL(ike_tab_reqid_other(s.core, 77, ca, false), cb);
	CU_ASSERT_PTR_EQUAL(ike_tab_reqid_other(s.core, 77, cb, false), ca);
	CU_ASSERT_EQUAL(ike_tab_conn_reqid(a, "net"), 77);
	CU_ASSERT_EQUAL(ike_tab_conn_reqid(a, "other"), 0);
	/* growth refiles the Child SAs */
	for (i = 0; i < 300; i++)
		make_child(make_sa(s.core, 5 + 2 * i, "c2"), 1000 + i, false);
	CU_ASSERT_PTR_EQUAL(ike_tab_reqid_other(s.core, 77, ca, false), cb);
	cs = ike_tab_reqid_other(s.core, 1299, NULL, false);
	CU_ASSERT(cs != NULL && cs->reqid == 1299);
	/* b off the table: its Child SAs are no one's heirs */
	ike_sa_unlink(b);
	CU_ASSERT_PTR_NULL(ike_tab_reqid_other(s.core, 77, ca, true));
	ike_sa_free(b);
	child_sa_free(ca);
	CU_ASSERT_PTR_NULL(ike_tab_reqid_other(s.core, 77, NULL, true));
	side_fini(&s);
}

/* A freed collision partner is forgotten by the SA that pointed at it
 * (what the list walk in ike_sa_free() did). */
static void
test_rekey_partner(void)
{
	struct side	 s;
	struct ike_sa	*old, *nsa;

	side_start(&s, conf, "192.0.2.1", 7, 0x10000000, NULL);
	old = make_sa(s.core, 1, "c1");
	nsa = make_sa(s.core, 3, "c1");
	old->peer_rekey_new = nsa;
	nsa->peer_rekey_old = old;
	ike_sa_free(nsa);
	CU_ASSERT_PTR_NULL(old->peer_rekey_new);
	nsa = make_sa(s.core, 5, "c1");
	old->peer_rekey_new = nsa;
	nsa->peer_rekey_old = old;
	ike_sa_free(old);
	CU_ASSERT_PTR_NULL(nsa->peer_rekey_old);
	side_fini(&s);
}

UNIT_SUITE(ike_sa_tab, "ike_sa_tab: the IKE SA table's indexes",
    { "lookups through growth and frees", test_lookups },
    { "SPIs changed, SA unlinked", test_refile },
    { "by connection", test_by_conn },
    { "Child SAs by reqid", test_reqid },
    { "collision partner freed", test_rekey_partner });
