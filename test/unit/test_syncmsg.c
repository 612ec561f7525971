/*
 * test/unit/test_syncmsg.c -- the sync wire format: round trips of every
 * message type with full records, every reject with its precise code,
 * and no key bytes left behind by a failed decode or encode.
 */
#include <sys/socket.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "tandem/sa_rec.h"
#include "tandem/syncmsg.h"
#include "tandem/util.h"
#include "unit.h"

#define BUFSZ	(SYNC_MAX_LEN + 64)

static uint8_t		 buf[BUFSZ], buf2[BUFSZ], mbuf[BUFSZ];
static struct sync_msg	 m, m2;

/* --- fixtures -------------------------------------------------------- */

static void
fill_addr(struct sa_addr *a, bool v6, uint8_t last, uint16_t port)
{
	static const uint8_t	 p6[16] = { 0x20, 0x01, 0x0d, 0xb8 };

	memset(a, 0, sizeof(*a));
	if (v6) {
		a->family = AF_INET6;
		memcpy(a->addr, p6, 16);
		a->addr[15] = last;
	} else {
		a->family = AF_INET;
		a->addr[0] = 192;
		a->addr[2] = 2;
		a->addr[3] = last;
	}
	a->port = port;
}

static void
fill_key(struct sa_key *k, uint8_t len, uint8_t seed)
{
	int	 i;

	k->len = len;
	for (i = 0; i < len; i++)
		k->data[i] = (uint8_t)(seed + i * 3 + 1);
}

static void
fill_ike(struct sa_ike *k, bool v6)
{
	int	 i;

	memset(k, 0, sizeof(*k));
	k->gen = 0x0102030405060708ULL;
	for (i = 0; i < SA_SPI_LEN; i++) {
		k->spi_i[i] = (uint8_t)(0x11 + i);
		k->spi_r[i] = (uint8_t)(0xa1 + i);
	}
	k->role = SA_ROLE_RESPONDER;
	k->flags = SA_IKE_FLAGS_ALL;
	fill_addr(&k->local, v6, 1, 4500);
	fill_addr(&k->remote, v6, 2, 61234);
	k->local_id.type = 2;			/* FQDN */
	k->local_id.len = SA_ID_MAX;
	for (i = 0; i < SA_ID_MAX; i++)
		k->local_id.data[i] = (uint8_t)('a' + i % 26);
	k->remote_id.type = 9;			/* DER_ASN1_DN */
	k->remote_id.len = SA_ID_MAX;
	for (i = 0; i < SA_ID_MAX; i++)
		k->remote_id.data[i] = (uint8_t)i;
	k->encr = 12;
	k->encr_bits = 256;
	k->prf = 7;
	k->integ = 14;
	k->ke = 31;
	fill_key(&k->sk_d, 64, 0x10);
	fill_key(&k->sk_ai, 64, 0x20);
	fill_key(&k->sk_ar, 64, 0x30);
	fill_key(&k->sk_ei, SA_KEY_MAX, 0x40);
	fill_key(&k->sk_er, SA_KEY_MAX, 0x50);
	fill_key(&k->sk_pi, 64, 0x60);
	fill_key(&k->sk_pr, 64, 0x70);
	k->msgid_send = 7;
	k->msgid_recv = 0xfffffff0U;
	k->peer_window = 4;
	k->resp_len = SA_RESP_MAX;
	for (i = 0; i < SA_RESP_MAX; i++)
		k->resp[i] = (uint8_t)(i * 7);
	k->established_ms = 1700000000000ULL;
	k->rekey_ms = k->established_ms + 3600000;
	k->reauth_ms = k->established_ms + 86400000;
	k->dpd_ms = 30000;
	memset(k->conn, 'c', SA_NAME_MAX - 1);
	strcpy(k->group, "vip-group-1");
}

static void
fill_ts(struct sa_ts *t, bool v6, int i)
{
	memset(t, 0, sizeof(*t));
	t->proto = (uint8_t)(i == 0 ? 0 : 6);
	t->port_lo = (uint16_t)(i == 0 ? 0 : 1000 + i);
	t->port_hi = (uint16_t)(i == 0 ? 65535 : 2000 + i);
	if (v6) {
		t->family = AF_INET6;
		t->start[0] = t->end[0] = 0x20;
		t->start[1] = t->end[1] = 0x01;
		t->start[2] = t->end[2] = 0x0d;
		t->start[3] = t->end[3] = 0xb8;
		t->start[4] = t->end[4] = (uint8_t)i;
		memset(t->end + 5, 0xff, 11);
	} else {
		t->family = AF_INET;
		t->start[0] = t->end[0] = 10;
		t->start[1] = t->end[1] = (uint8_t)i;
		t->end[2] = t->end[3] = 255;
	}
}

static void
fill_child(struct sa_child *c, bool v6)
{
	int	 i;

	memset(c, 0, sizeof(*c));
	c->gen = 99;
	for (i = 0; i < SA_SPI_LEN; i++) {
		c->ike_spi_i[i] = (uint8_t)(0x11 + i);
		c->ike_spi_r[i] = (uint8_t)(0xa1 + i);
	}
	c->spi_in = 0xc0000001U;
	c->spi_out = 0xc1000002U;
	c->proto = 50;
	c->mode = SA_MODE_TUNNEL;
	c->flags = SA_CHILD_FLAGS_ALL;
	c->replay_window = 4096;
	fill_addr(&c->local, v6, 1, 4500);
	fill_addr(&c->remote, v6, 2, 61234);
	c->reqid = 42;
	c->if_id = 7;
	c->mark_in = 0x10;
	c->mark_in_mask = 0xff;
	c->mark_out = 0x20;
	c->mark_out_mask = 0xf0;
	c->encr = 12;
	c->encr_bits = 256;
	c->integ = 14;
	fill_key(&c->encr_in, SA_KEY_MAX, 0x80);
	fill_key(&c->encr_out, SA_KEY_MAX, 0x90);
	fill_key(&c->integ_in, 64, 0xa0);
	fill_key(&c->integ_out, 64, 0xb0);
	c->n_ts_local = c->n_ts_remote = SA_TS_MAX;
	for (i = 0; i < SA_TS_MAX; i++) {
		fill_ts(&c->ts_local[i], (i % 2) == v6, i);
		fill_ts(&c->ts_remote[i], (i % 2) != v6, i + 100);
	}
	c->lft.soft_bytes = 1;
	c->lft.hard_bytes = 2;
	c->lft.soft_packets = 3;
	c->lft.hard_packets = 4;
	c->lft.soft_s = 3000;
	c->lft.hard_s = 3600;
	c->installed_ms = 1700000000000ULL;
	c->rekey_ms = c->installed_ms + 3000000;
	c->ctr.out_end = 1ULL << 33;
	c->ctr.in_top = (1ULL << 32) + 5;
	c->ctr.in_bitmap = 0xdeadbeef;
	c->ctr.gen = 3;
}

static void
fill_ctr(struct sync_ctr_batch *b, unsigned int n)
{
	unsigned int	 i;

	memset(b, 0, sizeof(*b));
	b->n = (uint16_t)n;
	for (i = 0; i < n; i++) {
		b->c[i].dir = (uint8_t)(i % 2 ? SYNC_CTR_IN : SYNC_CTR_OUT);
		b->c[i].spi = 0xc0000000U + i;
		fill_addr(&b->c[i].dst, i % 3 == 0, (uint8_t)i, 0);
		b->c[i].value = (1ULL << 40) + i;
		b->c[i].bitmap = i % 2 ? 0xffff0000U + i : 0;
	}
}

/* --- field-by-field comparison ---------------------------------------- */

static void
addr_eq(const struct sa_addr *a, const struct sa_addr *b)
{
	CU_ASSERT_EQUAL(a->family, b->family);
	CU_ASSERT_EQUAL(a->port, b->port);
	UNIT_ASSERT_BYTES(a->addr, b->addr, sa_addr_len(b->family));
}

static void
key_eq(const struct sa_key *a, const struct sa_key *b)
{
	CU_ASSERT_EQUAL_FATAL(a->len, b->len);
	UNIT_ASSERT_BYTES(a->data, b->data, b->len);
}

static void
id_eq(const struct sa_id *a, const struct sa_id *b)
{
	CU_ASSERT_EQUAL(a->type, b->type);
	CU_ASSERT_EQUAL_FATAL(a->len, b->len);
	UNIT_ASSERT_BYTES(a->data, b->data, b->len);
}

static void
ike_eq(const struct sa_ike *a, const struct sa_ike *b)
{
	CU_ASSERT_EQUAL(a->gen, b->gen);
	UNIT_ASSERT_BYTES(a->spi_i, b->spi_i, SA_SPI_LEN);
	UNIT_ASSERT_BYTES(a->spi_r, b->spi_r, SA_SPI_LEN);
	CU_ASSERT_EQUAL(a->role, b->role);
	CU_ASSERT_EQUAL(a->flags, b->flags);
	addr_eq(&a->local, &b->local);
	addr_eq(&a->remote, &b->remote);
	id_eq(&a->local_id, &b->local_id);
	id_eq(&a->remote_id, &b->remote_id);
	CU_ASSERT_EQUAL(a->encr, b->encr);
	CU_ASSERT_EQUAL(a->encr_bits, b->encr_bits);
	CU_ASSERT_EQUAL(a->prf, b->prf);
	CU_ASSERT_EQUAL(a->integ, b->integ);
	CU_ASSERT_EQUAL(a->ke, b->ke);
	key_eq(&a->sk_d, &b->sk_d);
	key_eq(&a->sk_ai, &b->sk_ai);
	key_eq(&a->sk_ar, &b->sk_ar);
	key_eq(&a->sk_ei, &b->sk_ei);
	key_eq(&a->sk_er, &b->sk_er);
	key_eq(&a->sk_pi, &b->sk_pi);
	key_eq(&a->sk_pr, &b->sk_pr);
	CU_ASSERT_EQUAL(a->msgid_send, b->msgid_send);
	CU_ASSERT_EQUAL(a->msgid_recv, b->msgid_recv);
	CU_ASSERT_EQUAL(a->peer_window, b->peer_window);
	CU_ASSERT_EQUAL_FATAL(a->resp_len, b->resp_len);
	UNIT_ASSERT_BYTES(a->resp, b->resp, b->resp_len);
	CU_ASSERT_EQUAL(a->established_ms, b->established_ms);
	CU_ASSERT_EQUAL(a->rekey_ms, b->rekey_ms);
	CU_ASSERT_EQUAL(a->reauth_ms, b->reauth_ms);
	CU_ASSERT_EQUAL(a->dpd_ms, b->dpd_ms);
	CU_ASSERT_STRING_EQUAL(a->conn, b->conn);
	CU_ASSERT_STRING_EQUAL(a->group, b->group);
}

static void
ts_eq(const struct sa_ts *a, const struct sa_ts *b)
{
	CU_ASSERT_EQUAL(a->family, b->family);
	CU_ASSERT_EQUAL(a->proto, b->proto);
	CU_ASSERT_EQUAL(a->port_lo, b->port_lo);
	CU_ASSERT_EQUAL(a->port_hi, b->port_hi);
	UNIT_ASSERT_BYTES(a->start, b->start, sa_addr_len(b->family));
	UNIT_ASSERT_BYTES(a->end, b->end, sa_addr_len(b->family));
}

static void
child_eq(const struct sa_child *a, const struct sa_child *b)
{
	int	 i;

	CU_ASSERT_EQUAL(a->gen, b->gen);
	UNIT_ASSERT_BYTES(a->ike_spi_i, b->ike_spi_i, SA_SPI_LEN);
	UNIT_ASSERT_BYTES(a->ike_spi_r, b->ike_spi_r, SA_SPI_LEN);
	CU_ASSERT_EQUAL(a->spi_in, b->spi_in);
	CU_ASSERT_EQUAL(a->spi_out, b->spi_out);
	CU_ASSERT_EQUAL(a->proto, b->proto);
	CU_ASSERT_EQUAL(a->mode, b->mode);
	CU_ASSERT_EQUAL(a->flags, b->flags);
	CU_ASSERT_EQUAL(a->replay_window, b->replay_window);
	addr_eq(&a->local, &b->local);
	addr_eq(&a->remote, &b->remote);
	CU_ASSERT_EQUAL(a->reqid, b->reqid);
	CU_ASSERT_EQUAL(a->if_id, b->if_id);
	CU_ASSERT_EQUAL(a->mark_in, b->mark_in);
	CU_ASSERT_EQUAL(a->mark_in_mask, b->mark_in_mask);
	CU_ASSERT_EQUAL(a->mark_out, b->mark_out);
	CU_ASSERT_EQUAL(a->mark_out_mask, b->mark_out_mask);
	CU_ASSERT_EQUAL(a->encr, b->encr);
	CU_ASSERT_EQUAL(a->encr_bits, b->encr_bits);
	CU_ASSERT_EQUAL(a->integ, b->integ);
	key_eq(&a->encr_in, &b->encr_in);
	key_eq(&a->encr_out, &b->encr_out);
	key_eq(&a->integ_in, &b->integ_in);
	key_eq(&a->integ_out, &b->integ_out);
	CU_ASSERT_EQUAL_FATAL(a->n_ts_local, b->n_ts_local);
	CU_ASSERT_EQUAL_FATAL(a->n_ts_remote, b->n_ts_remote);
	for (i = 0; i < b->n_ts_local; i++)
		ts_eq(&a->ts_local[i], &b->ts_local[i]);
	for (i = 0; i < b->n_ts_remote; i++)
		ts_eq(&a->ts_remote[i], &b->ts_remote[i]);
	CU_ASSERT(memcmp(&a->lft, &b->lft, sizeof(a->lft)) == 0);
	CU_ASSERT_EQUAL(a->installed_ms, b->installed_ms);
	CU_ASSERT_EQUAL(a->rekey_ms, b->rekey_ms);
	CU_ASSERT_EQUAL(a->ctr.out_end, b->ctr.out_end);
	CU_ASSERT_EQUAL(a->ctr.in_top, b->ctr.in_top);
	CU_ASSERT_EQUAL(a->ctr.in_bitmap, b->ctr.in_bitmap);
	CU_ASSERT_EQUAL(a->ctr.gen, b->ctr.gen);
}

/*
 * Decode buf/n into m, check the header, re-encode into buf2 and require
 * the same bytes, then decode that into m2.
 */
static void
roundtrip(size_t n, uint8_t type, uint64_t seq, uint16_t flags)
{
	struct wr	 w;
	long		 n2;

	CU_ASSERT_EQUAL_FATAL(n % 4, 0);
	CU_ASSERT_EQUAL_FATAL(syncmsg_decode(buf, n, &m), 0);
	CU_ASSERT_EQUAL(m.hdr.version, SYNC_VERSION);
	CU_ASSERT_EQUAL(m.hdr.type, type);
	CU_ASSERT_EQUAL(m.hdr.flags, flags);
	CU_ASSERT_EQUAL(m.hdr.length, n);
	CU_ASSERT_EQUAL(m.hdr.seq, seq);
	CU_ASSERT_EQUAL(m.skipped, 0);
	wr_init(&w, buf2, sizeof(buf2));
	n2 = syncmsg_encode(&w, &m);
	CU_ASSERT_EQUAL_FATAL(n2, (long)n);
	UNIT_ASSERT_BYTES(buf2, buf, n);
	CU_ASSERT_EQUAL_FATAL(syncmsg_decode(buf2, (size_t)n2, &m2), 0);
}

/* --- round trips -------------------------------------------------------- */

static void
ike_rt(bool v6)
{
	struct sa_ike	 k;
	struct wr	 w;
	long		 n;

	fill_ike(&k, v6);
	wr_init(&w, buf, sizeof(buf));
	n = syncmsg_encode_ike_up(&w, 77, 0, &k);
	CU_ASSERT_FATAL(n > 0);
	roundtrip((size_t)n, SYNC_IKE_UP, 77, 0);
	ike_eq(&m.u.ike, &k);
	ike_eq(&m2.u.ike, &k);
	sa_ike_wipe(&k);
	syncmsg_wipe(&m);
	syncmsg_wipe(&m2);
}

static void
test_ike_up(void)
{
	ike_rt(false);
	ike_rt(true);
}

static void
test_ike_down_mid(void)
{
	struct sa_ike	 k, want;
	struct wr	 w;
	long		 n;

	fill_ike(&k, false);
	wr_init(&w, buf, sizeof(buf));
	n = syncmsg_encode_ike_down(&w, 1, SYNC_F_BULK, &k);
	CU_ASSERT_FATAL(n > 0);
	CU_ASSERT_EQUAL(n, SYNC_HDR_LEN + 3 * 12);
	roundtrip((size_t)n, SYNC_IKE_DOWN, 1, SYNC_F_BULK);
	memset(&want, 0, sizeof(want));
	want.gen = k.gen;
	memcpy(want.spi_i, k.spi_i, SA_SPI_LEN);
	memcpy(want.spi_r, k.spi_r, SA_SPI_LEN);
	CU_ASSERT(memcmp(&m.u.ike, &want, sizeof(want)) == 0);

	wr_init(&w, buf, sizeof(buf));
	n = syncmsg_encode_ike_mid(&w, UINT64_MAX, 0, &k);
	CU_ASSERT_FATAL(n > 0);
	roundtrip((size_t)n, SYNC_IKE_MID, UINT64_MAX, 0);
	CU_ASSERT_EQUAL(m.u.ike.msgid_send, k.msgid_send);
	CU_ASSERT_EQUAL(m.u.ike.msgid_recv, k.msgid_recv);
	CU_ASSERT_EQUAL(m.u.ike.peer_window, k.peer_window);
	CU_ASSERT_EQUAL_FATAL(m.u.ike.resp_len, SA_RESP_MAX);
	UNIT_ASSERT_BYTES(m.u.ike.resp, k.resp, SA_RESP_MAX);
	CU_ASSERT_EQUAL(m.u.ike.sk_d.len, 0);	/* MID carries no keys */

	/* No cached response: no RESP TLV. */
	k.resp_len = 0;
	wr_init(&w, buf, sizeof(buf));
	n = syncmsg_encode_ike_mid(&w, 2, 0, &k);
	CU_ASSERT_EQUAL(n, SYNC_HDR_LEN + 3 * 12 + 16);
	roundtrip((size_t)n, SYNC_IKE_MID, 2, 0);
	CU_ASSERT_EQUAL(m.u.ike.resp_len, 0);
	sa_ike_wipe(&k);
}

static void
child_rt(bool v6)
{
	struct sa_child	 c;
	struct wr	 w;
	long		 n;

	fill_child(&c, v6);
	wr_init(&w, buf, sizeof(buf));
	n = syncmsg_encode_child_up(&w, 5, 0, &c);
	CU_ASSERT_FATAL(n > 0);
	roundtrip((size_t)n, SYNC_CHILD_UP, 5, 0);
	child_eq(&m.u.child, &c);
	child_eq(&m2.u.child, &c);
	sa_child_wipe(&c);
}

static void
test_child_up(void)
{
	struct sa_child	 c;
	struct wr	 w;
	long		 n;

	child_rt(false);
	child_rt(true);

	/* AEAD: no integrity keys; AH: integrity keys only. */
	fill_child(&c, false);
	c.integ = 0;
	memset(&c.integ_in, 0, sizeof(c.integ_in));
	memset(&c.integ_out, 0, sizeof(c.integ_out));
	c.n_ts_local = c.n_ts_remote = 1;
	wr_init(&w, buf, sizeof(buf));
	n = syncmsg_encode_child_up(&w, 6, 0, &c);
	CU_ASSERT_FATAL(n > 0);
	roundtrip((size_t)n, SYNC_CHILD_UP, 6, 0);
	child_eq(&m.u.child, &c);
	fill_child(&c, true);
	c.proto = 51;
	memset(&c.encr_in, 0, sizeof(c.encr_in));
	memset(&c.encr_out, 0, sizeof(c.encr_out));
	wr_init(&w, buf, sizeof(buf));
	n = syncmsg_encode_child_up(&w, 7, 0, &c);
	CU_ASSERT_FATAL(n > 0);
	roundtrip((size_t)n, SYNC_CHILD_UP, 7, 0);
	child_eq(&m.u.child, &c);
	sa_child_wipe(&c);
}

static void
test_child_down(void)
{
	struct sa_child	 c;
	struct wr	 w;
	long		 n;

	fill_child(&c, true);
	wr_init(&w, buf, sizeof(buf));
	n = syncmsg_encode_child_down(&w, 8, 0, &c);
	CU_ASSERT_EQUAL_FATAL(n, SYNC_HDR_LEN + 3 * 12 + 2 * 8);
	roundtrip((size_t)n, SYNC_CHILD_DOWN, 8, 0);
	CU_ASSERT_EQUAL(m.u.child.gen, c.gen);
	CU_ASSERT_EQUAL(m.u.child.spi_in, c.spi_in);
	CU_ASSERT_EQUAL(m.u.child.spi_out, c.spi_out);
	UNIT_ASSERT_BYTES(m.u.child.ike_spi_i, c.ike_spi_i, SA_SPI_LEN);
	UNIT_ASSERT_BYTES(m.u.child.ike_spi_r, c.ike_spi_r, SA_SPI_LEN);
	CU_ASSERT_EQUAL(m.u.child.encr_in.len, 0);
	sa_child_wipe(&c);
}

static void
test_ctr(void)
{
	static struct sync_ctr_batch	 b;
	struct wr			 w;
	unsigned int			 i;
	long				 n;

	fill_ctr(&b, SYNC_CTR_MAX);
	wr_init(&w, buf, sizeof(buf));
	n = syncmsg_encode_ctr(&w, 9, 0, &b);
	CU_ASSERT_FATAL(n > 0);
	roundtrip((size_t)n, SYNC_CTR, 9, 0);
	CU_ASSERT_EQUAL_FATAL(m.u.ctr.n, SYNC_CTR_MAX);
	for (i = 0; i < SYNC_CTR_MAX; i++) {
		CU_ASSERT_EQUAL(m.u.ctr.c[i].dir, b.c[i].dir);
		CU_ASSERT_EQUAL(m.u.ctr.c[i].spi, b.c[i].spi);
		addr_eq(&m.u.ctr.c[i].dst, &b.c[i].dst);
		CU_ASSERT_EQUAL(m.u.ctr.c[i].value, b.c[i].value);
		CU_ASSERT_EQUAL(m.u.ctr.c[i].bitmap, b.c[i].bitmap);
	}
	/* Encoder caps: 0 and SYNC_CTR_MAX + 1 records are refused. */
	b.n = 0;
	wr_init(&w, buf, sizeof(buf));
	CU_ASSERT_EQUAL(syncmsg_encode_ctr(&w, 9, 0, &b), -1);
	b.n = SYNC_CTR_MAX + 1;
	wr_init(&w, buf, sizeof(buf));
	CU_ASSERT_EQUAL(syncmsg_encode_ctr(&w, 9, 0, &b), -1);
	/* The dst has no port on the wire: a port is refused, not dropped. */
	fill_ctr(&b, 1);
	b.c[0].dst.port = 1;
	wr_init(&w, buf, sizeof(buf));
	CU_ASSERT_EQUAL(syncmsg_encode_ctr(&w, 9, 0, &b), -1);
}

static void
test_lease_ack_bulk(void)
{
	struct sync_lease	 l;
	struct sync_ack		 a;
	struct sync_bulk	 bk;
	struct wr		 w;
	long			 n;
	int			 i;

	memset(&l, 0, sizeof(l));
	l.spi_out = 0xc1000002U;
	fill_addr(&l.dst, true, 9, 0);
	l.end = (1ULL << 32) + (1 << 20);
	wr_init(&w, buf, sizeof(buf));
	n = syncmsg_encode_lease(&w, 10, 0, &l);
	CU_ASSERT_FATAL(n > 0);
	roundtrip((size_t)n, SYNC_LEASE, 10, 0);
	CU_ASSERT_EQUAL(m.u.lease.spi_out, l.spi_out);
	addr_eq(&m.u.lease.dst, &l.dst);
	CU_ASSERT_EQUAL(m.u.lease.end, l.end);

	memset(&a, 0, sizeof(a));
	a.node = 2;
	a.n = SYNC_ACK_MAX;
	for (i = 0; i < SYNC_ACK_MAX; i++) {
		a.e[i].node = (uint32_t)i + 1;
		a.e[i].seq = 1000ULL * (uint64_t)i;
	}
	wr_init(&w, buf, sizeof(buf));
	n = syncmsg_encode_ack(&w, 11, 0, &a);
	CU_ASSERT_FATAL(n > 0);
	roundtrip((size_t)n, SYNC_ACK, 11, 0);
	CU_ASSERT_EQUAL(m.u.ack.node, 2);
	CU_ASSERT_EQUAL_FATAL(m.u.ack.n, SYNC_ACK_MAX);
	for (i = 0; i < SYNC_ACK_MAX; i++) {
		CU_ASSERT_EQUAL(m.u.ack.e[i].node, a.e[i].node);
		CU_ASSERT_EQUAL(m.u.ack.e[i].seq, a.e[i].seq);
	}
	a.n = SYNC_ACK_MAX + 1;
	wr_init(&w, buf, sizeof(buf));
	CU_ASSERT_EQUAL(syncmsg_encode_ack(&w, 11, 0, &a), -1);

	bk.ring_node = 1;
	bk.ring_seq = 0x123456789aULL;
	bk.count = 10000;
	wr_init(&w, buf, sizeof(buf));
	n = syncmsg_encode_bulk(&w, SYNC_BULK_BEGIN, 12, 0, &bk);
	CU_ASSERT_EQUAL_FATAL(n, SYNC_HDR_LEN + 16 + 8);
	roundtrip((size_t)n, SYNC_BULK_BEGIN, 12, 0);
	CU_ASSERT_EQUAL(m.u.bulk.ring_node, 1);
	CU_ASSERT_EQUAL(m.u.bulk.ring_seq, bk.ring_seq);
	CU_ASSERT_EQUAL(m.u.bulk.count, 10000);
	wr_init(&w, buf, sizeof(buf));
	n = syncmsg_encode_bulk(&w, SYNC_BULK_END, 13, SYNC_F_BULK, &bk);
	CU_ASSERT_FATAL(n > 0);
	roundtrip((size_t)n, SYNC_BULK_END, 13, SYNC_F_BULK);
	wr_init(&w, buf, sizeof(buf));
	CU_ASSERT_EQUAL(syncmsg_encode_bulk(&w, SYNC_CTR, 13, 0, &bk), -1);
	/* Unknown header flags are refused by the encoder too. */
	wr_init(&w, buf, sizeof(buf));
	CU_ASSERT_EQUAL(syncmsg_encode_bulk(&w, SYNC_BULK_END, 13, 4, &bk), -1);
}

/* The exact bytes of a small message: the format, pinned. */
static void
test_wire_bytes(void)
{
	static const uint8_t	 want[] = {
		0x01, 0x07, 0x00, 0x01, 0x00, 0x00, 0x00, 0x30,	/* hdr */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02,
		0x00, 0x17, 0x00, 0x04, 0xc1, 0x00, 0x00, 0x02,	/* SPI_OUT */
		0x00, 0x06, 0x00, 0x08, 0x04, 0x00, 0x11, 0x94,	/* ADDR */
		0xc0, 0x00, 0x02, 0x09,
		0x00, 0x27, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01,	/* END */
		0x00, 0x10, 0x00, 0x00,
	};
	struct sync_lease	 l;
	struct wr		 w;

	memset(&l, 0, sizeof(l));
	l.spi_out = 0xc1000002U;
	fill_addr(&l.dst, false, 9, 4500);
	l.end = 0x100100000ULL;
	wr_init(&w, buf, sizeof(buf));
	CU_ASSERT_EQUAL_FATAL(syncmsg_encode_lease(&w, 0x102, SYNC_F_BULK, &l),
	    (long)sizeof(want));
	UNIT_ASSERT_BYTES(buf, want, sizeof(want));
}

/* Two messages back to back: each decodes from its own length. */
static void
test_stream(void)
{
	struct sync_bulk	 bk = { 1, 2, 3 };
	struct sa_ike		 k;
	struct wr		 w;
	long			 n1, n2;

	fill_ike(&k, false);
	wr_init(&w, buf, sizeof(buf));
	n1 = syncmsg_encode_bulk(&w, SYNC_BULK_BEGIN, 1, 0, &bk);
	n2 = syncmsg_encode_ike_down(&w, 2, SYNC_F_BULK, &k);
	CU_ASSERT_FATAL(n1 > 0 && n2 > 0);
	CU_ASSERT_EQUAL(w.len, (size_t)(n1 + n2));
	CU_ASSERT_EQUAL_FATAL(syncmsg_decode(buf, w.len, &m), 0);
	CU_ASSERT_EQUAL(m.hdr.type, SYNC_BULK_BEGIN);
	CU_ASSERT_EQUAL(m.hdr.length, (uint32_t)n1);
	CU_ASSERT_EQUAL_FATAL(syncmsg_decode(buf + n1, (size_t)n2, &m), 0);
	CU_ASSERT_EQUAL(m.hdr.type, SYNC_IKE_DOWN);
	sa_ike_wipe(&k);
}

/* --- rejects ------------------------------------------------------------ */

static bool
union_zero(const struct sync_msg *p)
{
	const uint8_t	*b = (const uint8_t *)&p->u;
	size_t		 i;

	for (i = 0; i < sizeof(p->u); i++)
		if (b[i] != 0)
			return false;
	return p->skipped == 0;
}

/* Decode and expect err; a failure must leave nothing in u. */
#define REJECT(b, n, err) do {						\
	int	 rc_ = syncmsg_decode((b), (n), &m);			\
	CU_ASSERT_EQUAL(rc_, (err));					\
	if (rc_ != (err))						\
		fprintf(stderr, "\n%s:%d: got %d (%s), want %d\n",	\
		    __FILE__, __LINE__, rc_, syncmsg_err_name(rc_),	\
		    (int)(err));					\
	if (rc_ != 0)							\
		CU_ASSERT(union_zero(&m));				\
} while (0)

static void
put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void
test_header_rejects(void)
{
	struct sync_bulk	 bk = { 1, 2, 3 };
	struct wr		 w;
	size_t			 i;
	long			 n;

	wr_init(&w, buf, sizeof(buf));
	n = syncmsg_encode_bulk(&w, SYNC_BULK_BEGIN, 1, 0, &bk);
	CU_ASSERT_FATAL(n > SYNC_HDR_LEN);
	for (i = 0; i < SYNC_HDR_LEN; i++) {
		REJECT(buf, i, SYNC_E_SHORT);
		CU_ASSERT_EQUAL(m.hdr.type, 0);
	}
	REJECT(buf, (size_t)n - 1, SYNC_E_LENGTH);	/* past the buffer */
	memcpy(mbuf, buf, (size_t)n);
	mbuf[0] = 2;
	REJECT(mbuf, (size_t)n, SYNC_E_VERSION);
	mbuf[0] = 0;
	REJECT(mbuf, (size_t)n, SYNC_E_VERSION);
	memcpy(mbuf, buf, (size_t)n);
	put_be32(mbuf + 4, SYNC_HDR_LEN - 4);		/* shorter than hdr */
	REJECT(mbuf, (size_t)n, SYNC_E_LENGTH);
	put_be32(mbuf + 4, 0);
	REJECT(mbuf, (size_t)n, SYNC_E_LENGTH);
	put_be32(mbuf + 4, (uint32_t)n + 4);		/* past the buffer */
	REJECT(mbuf, (size_t)n, SYNC_E_LENGTH);
	put_be32(mbuf + 4, (uint32_t)n - 2);		/* not 4-aligned */
	REJECT(mbuf, (size_t)n, SYNC_E_LENGTH);
	put_be32(mbuf + 4, UINT32_MAX);
	REJECT(mbuf, (size_t)n, SYNC_E_LENGTH);
	memset(mbuf, 0, SYNC_MAX_LEN);
	memcpy(mbuf, buf, (size_t)n);
	put_be32(mbuf + 4, SYNC_MAX_LEN + 4);		/* over the cap */
	REJECT(mbuf, sizeof(mbuf), SYNC_E_LENGTH);
	/* A header alone is a valid frame; its type then wants TLVs. */
	memcpy(mbuf, buf, (size_t)n);
	put_be32(mbuf + 4, SYNC_HDR_LEN);
	REJECT(mbuf, SYNC_HDR_LEN, SYNC_E_MISSING);
	/* Flags: only SYNC_F_BULK and SYNC_F_LIVE are defined. */
	memcpy(mbuf, buf, (size_t)n);
	mbuf[3] = 0x04;
	REJECT(mbuf, (size_t)n, SYNC_E_FLAGS);
	mbuf[3] = 0;
	mbuf[2] = 0x80;
	REJECT(mbuf, (size_t)n, SYNC_E_FLAGS);
}

static void
test_type_rejects(void)
{
	static const uint8_t	 types[] = { 0, SYNC_TYPE_MAX, 0x7f, 0xff };
	struct sync_bulk	 bk = { 1, 2, 3 };
	struct wr		 w;
	size_t			 i;
	long			 n;

	wr_init(&w, buf, sizeof(buf));
	n = syncmsg_encode_bulk(&w, SYNC_BULK_END, 0x55, 0, &bk);
	CU_ASSERT_FATAL(n > 0);
	for (i = 0; i < nitems(types); i++) {
		memcpy(mbuf, buf, (size_t)n);
		mbuf[1] = types[i];
		/* Count and drop: the header stays for the drop counter. */
		REJECT(mbuf, (size_t)n, SYNC_E_TYPE);
		CU_ASSERT_EQUAL(m.hdr.type, types[i]);
		CU_ASSERT_EQUAL(m.hdr.seq, 0x55);
		CU_ASSERT_STRING_EQUAL(syncmsg_type_name(types[i]), "UNKNOWN");
	}
}

/*
 * Rebuild the message in buf (length n) into mbuf with one change to the
 * first TLV `id`: drop it, send it twice, replace its value, or (APPEND)
 * add a TLV `id` at the end.  Returns the new length.
 */
enum { OP_DROP, OP_DUP, OP_SET, OP_APPEND };

static void
put_tlv(struct wr *w, uint16_t id, const void *v, size_t len)
{
	wr_be16(w, id);
	wr_be16(w, (uint16_t)len);
	wr_bytes(w, v, len);
	while (len++ % 4 != 0)
		wr_u8(w, 0);
}

static size_t
mutate(size_t n, int op, uint16_t id, const void *val, size_t vlen)
{
	const uint8_t	*v;
	struct rd	 r;
	struct wr	 w;
	uint16_t	 t, l;
	bool		 done = false;

	wr_init(&w, mbuf, sizeof(mbuf));
	wr_bytes(&w, buf, SYNC_HDR_LEN);
	rd_init(&r, buf + SYNC_HDR_LEN, n - SYNC_HDR_LEN);
	while (r.left > 0) {
		t = rd_be16(&r);
		l = rd_be16(&r);
		v = rd_bytes(&r, (size_t)(l + 3) & ~(size_t)3);
		CU_ASSERT_FATAL(v != NULL);
		if (t == id && !done && op != OP_APPEND) {
			done = true;
			if (op == OP_DROP)
				continue;
			if (op == OP_SET) {
				put_tlv(&w, t, val, vlen);
				continue;
			}
			put_tlv(&w, t, v, l);
		}
		put_tlv(&w, t, v, l);
	}
	if (op == OP_APPEND)
		put_tlv(&w, id, val, vlen);
	else
		CU_ASSERT_FATAL(done);
	CU_ASSERT_FATAL(!w.bad);
	wr_put_be32_at(&w, 4, (uint32_t)w.len);
	return w.len;
}

/* mutate() and keep the result in buf, for the next change. */
static size_t
chain(size_t n, int op, uint16_t id)
{
	size_t	 k = mutate(n, op, id, NULL, 0);

	memcpy(buf, mbuf, k);
	return k;
}

static size_t
enc_ike(bool v6)
{
	struct sa_ike	 k;
	struct wr	 w;
	long		 n;

	fill_ike(&k, v6);
	wr_init(&w, buf, sizeof(buf));
	n = syncmsg_encode_ike_up(&w, 1, 0, &k);
	sa_ike_wipe(&k);
	CU_ASSERT_FATAL(n > 0);
	return (size_t)n;
}

static size_t
enc_child(bool v6)
{
	struct sa_child	 c;
	struct wr	 w;
	long		 n;

	fill_child(&c, v6);
	wr_init(&w, buf, sizeof(buf));
	n = syncmsg_encode_child_up(&w, 1, 0, &c);
	sa_child_wipe(&c);
	CU_ASSERT_FATAL(n > 0);
	return (size_t)n;
}

static void
test_tlv_rejects(void)
{
	uint8_t		 big[300];
	size_t		 n, k;

	memset(big, 0x41, sizeof(big));
	n = enc_ike(false);
	/* A TLV whose value (or padding) runs past the end. */
	memcpy(mbuf, buf, n);
	mbuf[SYNC_HDR_LEN + 2] = 0xff;		/* GEN length 8 -> 65535 */
	mbuf[SYNC_HDR_LEN + 3] = 0xff;
	REJECT(mbuf, n, SYNC_E_TLV);
	k = mutate(n, OP_APPEND, 999, big, 3);	/* 3 + 1 pad: fits */
	CU_ASSERT_EQUAL(syncmsg_decode(mbuf, k, &m), 0);
	mbuf[k - 6] = 0;
	mbuf[k - 5] = 5;			/* 5 + 3 pad: 4 too many */
	REJECT(mbuf, k, SYNC_E_TLV);
	mbuf[k - 5] = 0xff;
	mbuf[k - 6] = 0xff;
	REJECT(mbuf, k, SYNC_E_TLV);
	/* A value cut short: 4 bytes needed, the message ends first. */
	memcpy(mbuf, buf, n);
	put_be32(mbuf + 4, SYNC_HDR_LEN + 4);
	mbuf[SYNC_HDR_LEN + 2] = 0;
	mbuf[SYNC_HDR_LEN + 3] = 4;		/* GEN 4 bytes: no room */
	REJECT(mbuf, SYNC_HDR_LEN + 4, SYNC_E_TLV);

	/* Lengths that do not fit their id. */
	REJECT(mbuf, mutate(n, OP_SET, SYNC_T_IKE_SPI_I, big, 4),
	    SYNC_E_TLV_LEN);
	REJECT(mbuf, mutate(n, OP_SET, SYNC_T_IKE_SPI_R, big, 9),
	    SYNC_E_TLV_LEN);
	REJECT(mbuf, mutate(n, OP_SET, SYNC_T_GEN, big, 0), SYNC_E_TLV_LEN);
	REJECT(mbuf, mutate(n, OP_SET, SYNC_T_SK_D, big, SA_KEY_MAX + 1),
	    SYNC_E_TLV_LEN);
	REJECT(mbuf, mutate(n, OP_SET, SYNC_T_SK_EI, big, 0), SYNC_E_TLV_LEN);
	REJECT(mbuf, mutate(n, OP_SET, SYNC_T_LOCAL_ADDR, big, 12),
	    SYNC_E_TLV_LEN);
	REJECT(mbuf, mutate(n, OP_SET, SYNC_T_LOCAL_ID, big, SA_ID_MAX + 2),
	    SYNC_E_TLV_LEN);
	REJECT(mbuf, mutate(n, OP_SET, SYNC_T_CONN, big, SA_NAME_MAX + 1),
	    SYNC_E_TLV_LEN);
	REJECT(mbuf, mutate(n, OP_SET, SYNC_T_MSGID, big, 8), SYNC_E_TLV_LEN);
	REJECT(mbuf, mutate(n, OP_SET, SYNC_T_RESP, big, sizeof(big)), 0);

	/* Required TLVs, one at a time. */
	REJECT(mbuf, mutate(n, OP_DROP, SYNC_T_SK_D, NULL, 0),
	    SYNC_E_MISSING);
	REJECT(mbuf, mutate(n, OP_DROP, SYNC_T_GEN, NULL, 0), SYNC_E_MISSING);
	REJECT(mbuf, mutate(n, OP_DROP, SYNC_T_CONN, NULL, 0), SYNC_E_MISSING);
	REJECT(mbuf, mutate(n, OP_DROP, SYNC_T_IKE_SPI_R, NULL, 0),
	    SYNC_E_MISSING);
	/* ... but the optional ones may go. */
	REJECT(mbuf, mutate(n, OP_DROP, SYNC_T_GROUP, NULL, 0), 0);
	CU_ASSERT_STRING_EQUAL(m.u.ike.group, "");
	REJECT(mbuf, mutate(n, OP_DROP, SYNC_T_RESP, NULL, 0), 0);
	CU_ASSERT_EQUAL(m.u.ike.resp_len, 0);

	/* Singletons twice. */
	REJECT(mbuf, mutate(n, OP_DUP, SYNC_T_GEN, NULL, 0), SYNC_E_DUP);
	REJECT(mbuf, mutate(n, OP_DUP, SYNC_T_SK_PR, NULL, 0), SYNC_E_DUP);
	REJECT(mbuf, mutate(n, OP_DUP, SYNC_T_CONN, NULL, 0), SYNC_E_DUP);

	/* Unknown TLVs, and known ones this type does not use: skipped. */
	REJECT(mbuf, mutate(n, OP_APPEND, 0, big, 7), 0);
	CU_ASSERT_EQUAL(m.skipped, 1);
	REJECT(mbuf, mutate(n, OP_APPEND, 0xffff, big, 0), 0);
	CU_ASSERT_EQUAL(m.skipped, 1);
	REJECT(mbuf, mutate(n, OP_APPEND, SYNC_T_MAX, big, 13), 0);
	CU_ASSERT_EQUAL(m.skipped, 1);
	REJECT(mbuf, mutate(n, OP_APPEND, SYNC_T_CTR, big, 1), 0);
	CU_ASSERT_EQUAL(m.skipped, 1);
	CU_ASSERT_EQUAL(m.u.ike.sk_d.len, 64);
	syncmsg_wipe(&m);
}

static void
test_value_rejects(void)
{
	static const uint8_t	 role3[4] = { 3, 0, 0, 0 };
	static const uint8_t	 role0[4] = { 0, 0, 0, 0 };
	static const uint8_t	 flag[4] = { 1, 0, 0x01, 0x00 };
	static const uint8_t	 fam5[8] = { 5, 0, 0, 1, 192, 0, 2, 1 };
	static const uint8_t	 fam6s[8] = { 6, 0, 0, 1, 192, 0, 2, 1 };
	static const uint8_t	 id0[3] = { 0, 'a', 'b' };
	static const uint8_t	 win0[12] = { 0 };
	static const char	 noterm[4] = { 'a', 'b', 'c', 'd' };
	static const char	 inner[5] = { 'a', 0, 'c', 'd', 0 };
	uint8_t			 key[SA_KEY_MAX], v4[8] = { 4, 0, 0, 1, 192 };
	size_t			 n;

	memset(key, 0x42, sizeof(key));
	n = enc_ike(false);
	REJECT(mbuf, mutate(n, OP_SET, SYNC_T_IKE_SA, role3, 4), SYNC_E_VALUE);
	REJECT(mbuf, mutate(n, OP_SET, SYNC_T_IKE_SA, role0, 4), SYNC_E_VALUE);
	REJECT(mbuf, mutate(n, OP_SET, SYNC_T_IKE_SA, flag, 4), SYNC_E_VALUE);
	REJECT(mbuf, mutate(n, OP_SET, SYNC_T_LOCAL_ADDR, fam5, 8),
	    SYNC_E_VALUE);
	REJECT(mbuf, mutate(n, OP_SET, SYNC_T_LOCAL_ADDR, fam6s, 8),
	    SYNC_E_VALUE);
	REJECT(mbuf, mutate(n, OP_SET, SYNC_T_LOCAL_ID, id0, 3), SYNC_E_VALUE);
	REJECT(mbuf, mutate(n, OP_SET, SYNC_T_MSGID, win0, 12), SYNC_E_VALUE);
	REJECT(mbuf, mutate(n, OP_SET, SYNC_T_CONN, noterm, 4), SYNC_E_STRING);
	REJECT(mbuf, mutate(n, OP_SET, SYNC_T_GROUP, inner, 5), SYNC_E_STRING);
	/* Keys of one direction pair must match in length. */
	REJECT(mbuf, mutate(n, OP_SET, SYNC_T_SK_ER, key, 32), SYNC_E_VALUE);
	REJECT(mbuf, mutate(n, OP_DROP, SYNC_T_SK_AI, NULL, 0), SYNC_E_VALUE);
	/* Local and remote of one family. */
	n = enc_ike(true);
	REJECT(mbuf, mutate(n, OP_SET, SYNC_T_LOCAL_ADDR, v4, 8), SYNC_E_VALUE);
}

static void
test_child_rejects(void)
{
	uint8_t		 v[SA_KEY_MAX + 4], key[SA_KEY_MAX];
	size_t		 n, k, i;

	memset(key, 0x42, sizeof(key));
	n = enc_child(false);
	/* CHILD_SA: proto, mode, flags, window. */
	memcpy(v, (const uint8_t[]){ 17, 1, 0, 0, 0, 0, 0, 64 }, 8);
	REJECT(mbuf, mutate(n, OP_SET, SYNC_T_CHILD_SA, v, 8), SYNC_E_VALUE);
	memcpy(v, (const uint8_t[]){ 50, 3, 0, 0, 0, 0, 0, 64 }, 8);
	REJECT(mbuf, mutate(n, OP_SET, SYNC_T_CHILD_SA, v, 8), SYNC_E_VALUE);
	memcpy(v, (const uint8_t[]){ 50, 1, 4, 0, 0, 0, 0, 64 }, 8);
	REJECT(mbuf, mutate(n, OP_SET, SYNC_T_CHILD_SA, v, 8), SYNC_E_VALUE);
	memcpy(v, (const uint8_t[]){ 50, 1, 0, 0, 0, 0, 0x10, 1 }, 8);
	REJECT(mbuf, mutate(n, OP_SET, SYNC_T_CHILD_SA, v, 8), SYNC_E_VALUE);
	memcpy(v, (const uint8_t[]){ 50, 1, 0, 0, 0, 0, 0x10, 0 }, 8);
	REJECT(mbuf, mutate(n, OP_SET, SYNC_T_CHILD_SA, v, 8), 0);
	/* AH with an encryption key. */
	memcpy(v, (const uint8_t[]){ 51, 1, 0, 0, 0, 0, 0, 64 }, 8);
	REJECT(mbuf, mutate(n, OP_SET, SYNC_T_CHILD_SA, v, 8), SYNC_E_VALUE);
	/* Selectors: start > end, ports reversed, family, length/family. */
	memset(v, 0, sizeof(v));
	v[0] = 4;
	v[8] = 10;				/* start 10/8 > end 0.0.0.0 */
	REJECT(mbuf, mutate(n, OP_SET, SYNC_T_TS_LOCAL, v, 16), SYNC_E_VALUE);
	v[8] = 0;
	v[2] = 0;
	v[3] = 2;				/* port_lo 2 > port_hi 1 */
	v[5] = 1;
	REJECT(mbuf, mutate(n, OP_SET, SYNC_T_TS_REMOTE, v, 16), SYNC_E_VALUE);
	v[3] = v[5] = 0;
	REJECT(mbuf, mutate(n, OP_SET, SYNC_T_TS_REMOTE, v, 16), 0);
	v[0] = 6;
	REJECT(mbuf, mutate(n, OP_SET, SYNC_T_TS_LOCAL, v, 16), SYNC_E_VALUE);
	v[0] = 7;
	REJECT(mbuf, mutate(n, OP_SET, SYNC_T_TS_LOCAL, v, 40), SYNC_E_VALUE);
	REJECT(mbuf, mutate(n, OP_SET, SYNC_T_TS_LOCAL, v, 20), SYNC_E_TLV_LEN);
	/* Keys: too long; pairs; none at all. */
	REJECT(mbuf, mutate(n, OP_SET, SYNC_T_ENCR_IN, v, SA_KEY_MAX + 1),
	    SYNC_E_TLV_LEN);
	REJECT(mbuf, mutate(n, OP_SET, SYNC_T_INTEG_OUT, key, 20),
	    SYNC_E_VALUE);
	REJECT(mbuf, mutate(n, OP_DROP, SYNC_T_ENCR_OUT, NULL, 0),
	    SYNC_E_VALUE);
	k = chain(n, OP_DROP, SYNC_T_ENCR_OUT);
	k = chain(k, OP_DROP, SYNC_T_ENCR_IN);
	k = chain(k, OP_DROP, SYNC_T_INTEG_IN);
	REJECT(mbuf, mutate(k, OP_DROP, SYNC_T_INTEG_OUT, NULL, 0),
	    SYNC_E_MISSING);
	/* Required, duplicated, and too many selectors. */
	n = enc_child(true);
	REJECT(mbuf, mutate(n, OP_DROP, SYNC_T_CHILD_CTR, NULL, 0),
	    SYNC_E_MISSING);
	REJECT(mbuf, mutate(n, OP_DUP, SYNC_T_REQID, NULL, 0), SYNC_E_DUP);
	REJECT(mbuf, mutate(n, OP_DUP, SYNC_T_TS_LOCAL, NULL, 0),
	    SYNC_E_TOO_MANY);
	REJECT(mbuf, mutate(n, OP_DUP, SYNC_T_TS_REMOTE, NULL, 0),
	    SYNC_E_TOO_MANY);
	for (i = 0; i < SA_TS_MAX - 1; i++)
		n = chain(n, OP_DROP, SYNC_T_TS_LOCAL);
	REJECT(buf, n, 0);			/* one local selector left */
	CU_ASSERT_EQUAL(m.u.child.n_ts_local, 1);
	REJECT(mbuf, mutate(n, OP_DROP, SYNC_T_TS_LOCAL, NULL, 0),
	    SYNC_E_MISSING);			/* none */
}

static void
test_misc_rejects(void)
{
	static struct sync_ctr_batch	 b;
	struct sync_ack			 a;
	uint8_t				 v[36];
	struct wr			 w;
	long				 n;

	fill_ctr(&b, SYNC_CTR_MAX);
	wr_init(&w, buf, sizeof(buf));
	n = syncmsg_encode_ctr(&w, 1, 0, &b);
	CU_ASSERT_FATAL(n > 0);
	REJECT(mbuf, mutate((size_t)n, OP_DUP, SYNC_T_CTR, NULL, 0),
	    SYNC_E_TOO_MANY);
	memset(v, 0, sizeof(v));
	v[0] = 3;				/* dir */
	v[1] = 4;
	REJECT(mbuf, mutate((size_t)n, OP_SET, SYNC_T_CTR, v, 24),
	    SYNC_E_VALUE);
	v[0] = SYNC_CTR_IN;
	REJECT(mbuf, mutate((size_t)n, OP_SET, SYNC_T_CTR, v, 24), 0);
	REJECT(mbuf, mutate((size_t)n, OP_SET, SYNC_T_CTR, v, 36),
	    SYNC_E_VALUE);			/* v4 with a v6 length */
	REJECT(mbuf, mutate((size_t)n, OP_SET, SYNC_T_CTR, v, 28),
	    SYNC_E_TLV_LEN);
	fill_ctr(&b, 1);
	wr_init(&w, buf, sizeof(buf));
	n = syncmsg_encode_ctr(&w, 1, 0, &b);
	REJECT(mbuf, mutate((size_t)n, OP_DROP, SYNC_T_CTR, NULL, 0),
	    SYNC_E_MISSING);

	memset(&a, 0, sizeof(a));
	a.n = SYNC_ACK_MAX;
	wr_init(&w, buf, sizeof(buf));
	n = syncmsg_encode_ack(&w, 1, 0, &a);
	REJECT(mbuf, mutate((size_t)n, OP_DUP, SYNC_T_ACK_ENTRY, NULL, 0),
	    SYNC_E_TOO_MANY);
	REJECT(mbuf, mutate((size_t)n, OP_DUP, SYNC_T_ACK_NODE, NULL, 0),
	    SYNC_E_DUP);
	REJECT(mbuf, mutate((size_t)n, OP_DROP, SYNC_T_ACK_NODE, NULL, 0),
	    SYNC_E_MISSING);
}

/*
 * A failed decode leaves no key: decode a full IKE_UP, then every
 * truncation of it (length field moved back 4 bytes at a time) into the
 * same struct; and a bad last TLV after all keys were stored.
 */
static void
test_no_key_left(void)
{
	static const char	 noterm[2] = { 'x', 'y' };
	size_t			 n, cut;
	int			 rc, fails = 0;

	n = enc_ike(false);
	memcpy(mbuf, buf, n);
	for (cut = SYNC_HDR_LEN; cut < n; cut += 4) {
		CU_ASSERT_EQUAL_FATAL(syncmsg_decode(buf, n, &m), 0);
		put_be32(mbuf + 4, (uint32_t)cut);
		rc = syncmsg_decode(mbuf, cut, &m);
		if (rc == 0)		/* cut just before GROUP: optional */
			continue;
		CU_ASSERT(rc == SYNC_E_TLV || rc == SYNC_E_MISSING);
		CU_ASSERT(union_zero(&m));
		fails++;
	}
	CU_ASSERT_EQUAL(fails, (int)(n - SYNC_HDR_LEN) / 4 - 1);
	/* The group name is the last TLV: every key is in m by then. */
	CU_ASSERT_EQUAL_FATAL(syncmsg_decode(buf, n, &m), 0);
	REJECT(mbuf, mutate(n, OP_SET, SYNC_T_GROUP, noterm, 2),
	    SYNC_E_STRING);
	CU_ASSERT_EQUAL(m.hdr.type, SYNC_IKE_UP);

	n = enc_child(true);
	CU_ASSERT_EQUAL_FATAL(syncmsg_decode(buf, n, &m), 0);
	REJECT(mbuf, mutate(n, OP_DUP, SYNC_T_CHILD_CTR, NULL, 0), SYNC_E_DUP);
}

static bool
bytes_zero(const void *p, size_t n)
{
	const uint8_t	*b = p;
	size_t		 i;

	for (i = 0; i < n; i++)
		if (b[i] != 0)
			return false;
	return true;
}

/*
 * Decoding zeroes only the member of u its type fills, and
 * syncmsg_wipe() wipes the header and that member (all of u for a type
 * outside the table): a CHILD_UP decoded over garbage equals one decoded
 * over zeros, and after the wipe nothing it held is left.
 */
static void
test_member_wipe(void)
{
	size_t	 n, upto = offsetof(struct sync_msg, u);

	n = enc_child(false);
	memset(&m2, 0, sizeof(m2));
	CU_ASSERT_EQUAL_FATAL(syncmsg_decode(buf, n, &m2), 0);
	memset(&m, 0xa5, sizeof(m));
	CU_ASSERT_EQUAL_FATAL(syncmsg_decode(buf, n, &m), 0);
	CU_ASSERT(memcmp(&m.hdr, &m2.hdr, sizeof(m.hdr)) == 0);
	CU_ASSERT(memcmp(&m.u.child, &m2.u.child, sizeof(m.u.child)) == 0);
	CU_ASSERT(m.u.child.encr_in.len > 0);
	syncmsg_wipe(&m);
	CU_ASSERT(bytes_zero(&m, upto + sizeof(m.u.child)));
	/* An IKE_UP (keys and a response): all of it, from zero to zero. */
	n = enc_ike(true);
	memset(&m, 0, sizeof(m));
	CU_ASSERT_EQUAL_FATAL(syncmsg_decode(buf, n, &m), 0);
	CU_ASSERT(m.u.ike.sk_d.len > 0 && m.u.ike.resp_len > 0);
	syncmsg_wipe(&m);
	CU_ASSERT(bytes_zero(&m, sizeof(m)));
	/* A type no member belongs to: all of u. */
	memset(&m, 0xa5, sizeof(m));
	m.hdr.type = 0xee;
	syncmsg_wipe(&m);
	CU_ASSERT(bytes_zero(&m, sizeof(m)));
	/* A failed decode over garbage: all of u, as before. */
	n = enc_child(false);
	memcpy(mbuf, buf, n);
	put_be32(mbuf + 4, (uint32_t)(n - 4));
	memset(&m, 0xa5, sizeof(m));
	CU_ASSERT(syncmsg_decode(mbuf, n - 4, &m) < 0);
	CU_ASSERT(union_zero(&m));
}

/* Encoders refuse what the decoder would, and leave no bytes behind. */
static void
test_encode_rejects(void)
{
	struct sa_ike	 k;
	struct sa_child	 c;
	struct wr	 w;
	size_t		 i;
	bool		 clean;

	fill_ike(&k, false);
	memset(buf, 0, sizeof(buf));
	wr_init(&w, buf, 4000);			/* too small for the RESP */
	CU_ASSERT_EQUAL(syncmsg_encode_ike_up(&w, 1, 0, &k), -1);
	CU_ASSERT_EQUAL(w.len, 0);
	CU_ASSERT(w.bad);
	for (clean = true, i = 0; i < 4000; i++)
		clean = clean && buf[i] == 0;
	CU_ASSERT(clean);			/* keys written, then wiped */
	/* A bad cursor is not written to. */
	CU_ASSERT_EQUAL(syncmsg_encode_ike_up(&w, 1, 0, &k), -1);

	/* After a good message, a failed one leaves the first intact. */
	wr_init(&w, buf, sizeof(buf));
	CU_ASSERT_FATAL(syncmsg_encode_ike_down(&w, 1, 0, &k) > 0);
	k.sk_pr.len = SA_KEY_MAX + 1;
	CU_ASSERT_EQUAL(syncmsg_encode_ike_up(&w, 2, 0, &k), -1);
	CU_ASSERT_EQUAL(w.len, SYNC_HDR_LEN + 36);
	CU_ASSERT_EQUAL(syncmsg_decode(buf, w.len, &m), 0);

#define IKE_BAD(stmt) do {						\
	fill_ike(&k, false);						\
	stmt;								\
	wr_init(&w, buf, sizeof(buf));					\
	CU_ASSERT_EQUAL(syncmsg_encode_ike_up(&w, 1, 0, &k), -1);	\
} while (0)
	IKE_BAD(k.sk_d.len = 0);
	IKE_BAD(k.sk_ei.len = SA_KEY_MAX + 1);
	IKE_BAD(k.sk_ai.len = 0);
	IKE_BAD(k.role = SA_ROLE_MAX);
	IKE_BAD(k.flags = 0x8000);
	IKE_BAD(k.local.family = 99);
	IKE_BAD(k.remote.family = AF_INET6);
	IKE_BAD(k.local_id.len = SA_ID_MAX + 1);
	IKE_BAD(k.remote_id.type = 0);
	IKE_BAD(k.peer_window = 0);
	IKE_BAD(k.resp_len = SA_RESP_MAX + 1);
	IKE_BAD(k.conn[0] = '\0');
	IKE_BAD(memset(k.conn, 'x', SA_NAME_MAX));
	IKE_BAD(memset(k.group, 'x', SA_NAME_MAX));
	sa_ike_wipe(&k);

#define CHILD_BAD(stmt) do {						\
	fill_child(&c, false);						\
	stmt;								\
	wr_init(&w, buf, sizeof(buf));					\
	CU_ASSERT_EQUAL(syncmsg_encode_child_up(&w, 1, 0, &c), -1);	\
} while (0)
	CHILD_BAD(c.n_ts_local = SA_TS_MAX + 1);
	CHILD_BAD(c.n_ts_remote = 0);
	CHILD_BAD(c.ts_local[3].port_lo = 65535);
	CHILD_BAD(c.proto = 17);
	CHILD_BAD(c.mode = 0);
	CHILD_BAD(c.replay_window = 4097);
	CHILD_BAD(c.encr_in.len = 16);
	CHILD_BAD(c.integ_out.len = SA_KEY_MAX + 1;
	    c.integ_in.len = SA_KEY_MAX + 1);
	CHILD_BAD(c.encr_in.len = c.encr_out.len = 0;
	    c.integ_in.len = c.integ_out.len = 0);
	sa_child_wipe(&c);
}

static void
test_names(void)
{
	unsigned int	 i;
	int		 e;

	for (i = 1; i < SYNC_TYPE_MAX; i++)
		CU_ASSERT_STRING_NOT_EQUAL(syncmsg_type_name(i), "UNKNOWN");
	for (i = 1; i < SYNC_T_MAX; i++)
		CU_ASSERT_STRING_NOT_EQUAL(syncmsg_tlv_name(i), "UNKNOWN");
	CU_ASSERT_STRING_EQUAL(syncmsg_tlv_name(0), "UNKNOWN");
	CU_ASSERT_STRING_EQUAL(syncmsg_tlv_name(SYNC_T_MAX), "UNKNOWN");
	CU_ASSERT_STRING_EQUAL(syncmsg_type_name(SYNC_CHILD_UP), "CHILD_UP");
	CU_ASSERT_STRING_EQUAL(syncmsg_tlv_name(SYNC_T_SK_D), "SK_D");
	for (e = SYNC_E_STRING; e <= 0; e++)
		CU_ASSERT_STRING_NOT_EQUAL(syncmsg_err_name(e),
		    "unknown error");
	CU_ASSERT_STRING_EQUAL(syncmsg_err_name(SYNC_E_STRING - 1),
	    "unknown error");
	CU_ASSERT_STRING_EQUAL(syncmsg_ctr_dir_name(SYNC_CTR_IN), "in");
	CU_ASSERT_STRING_EQUAL(syncmsg_ctr_dir_name(0), "UNKNOWN");
	CU_ASSERT_STRING_EQUAL(sa_role_name(SA_ROLE_RESPONDER), "responder");
	CU_ASSERT_STRING_EQUAL(sa_role_name(9), "UNKNOWN");
	CU_ASSERT_STRING_EQUAL(sa_mode_name(SA_MODE_TUNNEL), "tunnel");
	CU_ASSERT_STRING_EQUAL(sa_mode_name(SA_MODE_MAX), "UNKNOWN");
}

/* Packs: two messages back to back frame one by one; bad lengths stop. */
static void
test_frame_len(void)
{
	struct sync_bulk	 bk;
	struct wr		 w;
	long			 a, b, l;

	memset(&bk, 0, sizeof(bk));
	bk.count = 7;
	wr_init(&w, buf, sizeof(buf));
	a = syncmsg_encode_bulk(&w, SYNC_BULK_BEGIN, 1, 0, &bk);
	b = syncmsg_encode_bulk(&w, SYNC_BULK_END, 2, 0, &bk);
	CU_ASSERT_FATAL(a > 0 && b > 0);
	CU_ASSERT_EQUAL_FATAL((size_t)(a + b), w.len);
	l = syncmsg_frame_len(buf, w.len);
	CU_ASSERT_EQUAL_FATAL(l, a);
	CU_ASSERT_EQUAL(syncmsg_decode(buf, (size_t)l, &m), 0);
	CU_ASSERT_EQUAL(m.hdr.type, SYNC_BULK_BEGIN);
	l = syncmsg_frame_len(buf + a, w.len - (size_t)a);
	CU_ASSERT_EQUAL_FATAL(l, b);
	CU_ASSERT_EQUAL(syncmsg_decode(buf + a, (size_t)l, &m), 0);
	CU_ASSERT_EQUAL(m.hdr.type, SYNC_BULK_END);
	CU_ASSERT_EQUAL(m.u.bulk.count, 7);
	/* Short of a header, cut short, a length below a header. */
	CU_ASSERT_EQUAL(syncmsg_frame_len(buf, SYNC_HDR_LEN - 1), -1);
	CU_ASSERT_EQUAL(syncmsg_frame_len(buf, (size_t)a - 1), -1);
	buf[4] = buf[5] = buf[6] = 0;
	buf[7] = SYNC_HDR_LEN - 4;
	CU_ASSERT_EQUAL(syncmsg_frame_len(buf, w.len), -1);
	/* Above SYNC_MAX_LEN, even with the bytes there. */
	buf[5] = 0x01;
	buf[7] = 0x10;			/* 65552 */
	CU_ASSERT_EQUAL(syncmsg_frame_len(buf, 70000), -1);
}

/* --- STATS and RESYNC_REQ (not replicated state) ------------------------ */

static void
fix_stats(struct sync_stats *s)
{
	size_t	 i;

	memset(s, 0, sizeof(*s));
	s->node = 2;
	s->flags = SYNC_SF_RING_CRYPTO | SYNC_SF_SYNCED;
	s->ike_sas = 1000;
	s->child_sas = 2000;
	s->applied = 0x1122334455ULL;
	s->last_applied_seq = 77;
	s->tx_seq = 0xfedcba9876543210ULL;
	s->committed = 0xfedcba987654320fULL;
	s->lag_events = 1;
	s->lag_ms = 250;
	s->ctr_age_ms = UINT32_MAX;
	s->has_digest = true;
	s->digest_at = 41;
	for (i = 0; i < SYNC_DIGEST_LEN; i++)
		s->digest[i] = (uint8_t)(0xa0 + i);
	for (i = 1; i < SYNC_XS_MAX; i++) {
		s->x[s->nx].id = (uint16_t)i;
		s->x[s->nx].value = 1000 * i + 7;
		s->nx++;
	}
}

static void
test_stats(void)
{
	struct sync_stats	 s;
	struct wr		 w;
	long			 n;
	size_t			 i;

	fix_stats(&s);
	wr_init(&w, buf, sizeof(buf));
	n = syncmsg_encode_stats(&w, 9, &s);
	CU_ASSERT_EQUAL_FATAL(n, SYNC_HDR_LEN + 20 + 52 + 44 +
	    16 * (SYNC_XS_MAX - 1));
	roundtrip((size_t)n, SYNC_STATS, 9, 0);
	CU_ASSERT_EQUAL(m.u.stats.node, 2);
	CU_ASSERT_EQUAL(m.u.stats.flags, SYNC_SF_RING_CRYPTO | SYNC_SF_SYNCED);
	CU_ASSERT_EQUAL(m.u.stats.ike_sas, 1000);
	CU_ASSERT_EQUAL(m.u.stats.child_sas, 2000);
	CU_ASSERT_EQUAL(m.u.stats.applied, s.applied);
	CU_ASSERT_EQUAL(m.u.stats.last_applied_seq, 77);
	CU_ASSERT_EQUAL(m.u.stats.tx_seq, s.tx_seq);
	CU_ASSERT_EQUAL(m.u.stats.committed, s.committed);
	CU_ASSERT_EQUAL(m.u.stats.lag_events, 1);
	CU_ASSERT_EQUAL(m.u.stats.lag_ms, 250);
	CU_ASSERT_EQUAL(m.u.stats.ctr_age_ms, UINT32_MAX);
	CU_ASSERT(m.u.stats.has_digest);
	CU_ASSERT_EQUAL(m.u.stats.digest_at, 41);
	UNIT_ASSERT_BYTES(m.u.stats.digest, s.digest, SYNC_DIGEST_LEN);
	CU_ASSERT_EQUAL_FATAL(m.u.stats.nx, SYNC_XS_MAX - 1);
	for (i = 0; i < s.nx; i++) {
		CU_ASSERT_EQUAL(m.u.stats.x[i].id, s.x[i].id);
		CU_ASSERT_EQUAL(m.u.stats.x[i].value, s.x[i].value);
	}
	/* Without a digest (resyncing) and without counters. */
	s.has_digest = false;
	s.nx = 0;
	s.flags = SYNC_SF_RESYNCING;
	wr_init(&w, buf, sizeof(buf));
	n = syncmsg_encode_stats(&w, 10, &s);
	CU_ASSERT_EQUAL_FATAL(n, SYNC_HDR_LEN + 20 + 52);
	roundtrip((size_t)n, SYNC_STATS, 10, 0);
	CU_ASSERT(!m.u.stats.has_digest);
	CU_ASSERT_EQUAL(m.u.stats.nx, 0);
	CU_ASSERT_EQUAL(m.u.stats.flags, SYNC_SF_RESYNCING);
	/* RESYNC_REQ. */
	wr_init(&w, buf, sizeof(buf));
	n = syncmsg_encode_resync_req(&w, 3, 0x01020304);
	CU_ASSERT_EQUAL_FATAL(n, SYNC_HDR_LEN + 8);
	roundtrip((size_t)n, SYNC_RESYNC_REQ, 3, 0);
	CU_ASSERT_EQUAL(m.u.node, 0x01020304);
	/* Names both ways. */
	CU_ASSERT_STRING_EQUAL(syncmsg_xstat_name(SYNC_XS_IN_STATE_SEQ_ERROR),
	    "XfrmInStateSeqError");
	CU_ASSERT_EQUAL(syncmsg_xstat_id("XfrmOutStateSeqError"),
	    SYNC_XS_OUT_STATE_SEQ_ERROR);
	CU_ASSERT_EQUAL(syncmsg_xstat_id("XfrmNoSuchThing"), 0);
	CU_ASSERT_PTR_NULL(syncmsg_xstat_name(0));
	CU_ASSERT_PTR_NULL(syncmsg_xstat_name(SYNC_XS_MAX));
	for (i = 1; i < SYNC_XS_MAX; i++)
		CU_ASSERT_EQUAL(syncmsg_xstat_id(syncmsg_xstat_name(
		    (unsigned int)i)), i);
}

/* A STATS message by hand: header, then TLVs the caller writes. */
static size_t
stats_begin(struct wr *w, uint8_t type)
{
	wr_init(w, buf, sizeof(buf));
	wr_u8(w, SYNC_VERSION);
	wr_u8(w, type);
	wr_be16(w, 0);
	wr_be32(w, 0);
	wr_be64(w, 1);
	return w->len;
}

static size_t
stats_end(struct wr *w)
{
	wr_put_be32_at(w, 4, (uint32_t)w->len);
	CU_ASSERT_FATAL(!w->bad);
	return w->len;
}

static void
put_node(struct wr *w, uint16_t len, uint32_t flags)
{
	wr_be16(w, SYNC_T_STATS_NODE);
	wr_be16(w, len);
	wr_be32(w, 2);
	wr_be32(w, flags);
	wr_be32(w, 3);
	wr_be32(w, 4);
	for (; len > 16; len -= 4)
		wr_be32(w, 0);
}

static void
put_repl(struct wr *w)
{
	size_t	 i;

	wr_be16(w, SYNC_T_STATS_REPL);
	wr_be16(w, 48);
	for (i = 0; i < 12; i++)
		wr_be32(w, (uint32_t)i);
}

static void
put_xstat(struct wr *w, uint16_t id, uint64_t v)
{
	wr_be16(w, SYNC_T_XSTAT);
	wr_be16(w, 12);
	wr_be16(w, id);
	wr_be16(w, 0);
	wr_be64(w, v);
}

static void
test_stats_rejects(void)
{
	struct sync_stats	 s;
	struct wr		 w;
	size_t			 n, i;

	/* The minimum decodes. */
	stats_begin(&w, SYNC_STATS);
	put_node(&w, 16, SYNC_SF_SYNCED);
	put_repl(&w);
	n = stats_end(&w);
	CU_ASSERT_EQUAL(syncmsg_decode(buf, n, &m), 0);
	CU_ASSERT_EQUAL(m.u.stats.ike_sas, 3);
	CU_ASSERT_EQUAL(m.u.stats.ctr_age_ms, 11);
	/* Unknown flag bits. */
	stats_begin(&w, SYNC_STATS);
	put_node(&w, 16, 0x80);
	put_repl(&w);
	n = stats_end(&w);
	CU_ASSERT_EQUAL(syncmsg_decode(buf, n, &m), SYNC_E_VALUE);
	CU_ASSERT_EQUAL(m.u.stats.node, 0);	/* wiped */
	/* A TLV of the wrong length. */
	stats_begin(&w, SYNC_STATS);
	put_node(&w, 20, 0);
	put_repl(&w);
	n = stats_end(&w);
	CU_ASSERT_EQUAL(syncmsg_decode(buf, n, &m), SYNC_E_TLV_LEN);
	/* REPL missing; NODE twice. */
	stats_begin(&w, SYNC_STATS);
	put_node(&w, 16, 0);
	n = stats_end(&w);
	CU_ASSERT_EQUAL(syncmsg_decode(buf, n, &m), SYNC_E_MISSING);
	stats_begin(&w, SYNC_STATS);
	put_node(&w, 16, 0);
	put_node(&w, 16, 0);
	put_repl(&w);
	n = stats_end(&w);
	CU_ASSERT_EQUAL(syncmsg_decode(buf, n, &m), SYNC_E_DUP);
	/* One counter twice; over the cap; an unknown one is skipped. */
	stats_begin(&w, SYNC_STATS);
	put_node(&w, 16, 0);
	put_repl(&w);
	put_xstat(&w, SYNC_XS_IN_NO_STATES, 1);
	put_xstat(&w, SYNC_XS_IN_NO_STATES, 2);
	n = stats_end(&w);
	CU_ASSERT_EQUAL(syncmsg_decode(buf, n, &m), SYNC_E_DUP);
	stats_begin(&w, SYNC_STATS);
	put_node(&w, 16, 0);
	put_repl(&w);
	for (i = 0; i <= SYNC_XSTAT_MAX; i++)
		put_xstat(&w, 500, i);
	n = stats_end(&w);
	CU_ASSERT_EQUAL(syncmsg_decode(buf, n, &m), SYNC_E_TOO_MANY);
	stats_begin(&w, SYNC_STATS);
	put_node(&w, 16, 0);
	put_repl(&w);
	put_xstat(&w, 500, 9);
	put_xstat(&w, SYNC_XS_OUT_STATE_SEQ_ERROR, 5);
	n = stats_end(&w);
	CU_ASSERT_EQUAL(syncmsg_decode(buf, n, &m), 0);
	CU_ASSERT_EQUAL(m.skipped, 1);
	CU_ASSERT_EQUAL_FATAL(m.u.stats.nx, 1);
	CU_ASSERT_EQUAL(m.u.stats.x[0].value, 5);
	/* A digest cut short runs past the message. */
	stats_begin(&w, SYNC_STATS);
	put_node(&w, 16, 0);
	put_repl(&w);
	wr_be16(&w, SYNC_T_STATS_DIGEST);
	wr_be16(&w, 40);
	wr_be64(&w, 1);
	n = stats_end(&w);
	CU_ASSERT_EQUAL(syncmsg_decode(buf, n, &m), SYNC_E_TLV);
	/* RESYNC_REQ without its node. */
	stats_begin(&w, SYNC_RESYNC_REQ);
	n = stats_end(&w);
	CU_ASSERT_EQUAL(syncmsg_decode(buf, n, &m), SYNC_E_MISSING);
	/* The encoder refuses what the decoder would. */
	fix_stats(&s);
	s.flags = 0x100;
	wr_init(&w, buf, sizeof(buf));
	CU_ASSERT_EQUAL(syncmsg_encode_stats(&w, 1, &s), -1);
	CU_ASSERT_EQUAL(w.len, 0);
	fix_stats(&s);
	s.x[1].id = s.x[0].id;
	wr_init(&w, buf, sizeof(buf));
	CU_ASSERT_EQUAL(syncmsg_encode_stats(&w, 1, &s), -1);
	fix_stats(&s);
	s.x[0].id = 999;
	wr_init(&w, buf, sizeof(buf));
	CU_ASSERT_EQUAL(syncmsg_encode_stats(&w, 1, &s), -1);
	fix_stats(&s);
	s.nx = SYNC_XSTAT_MAX + 1;
	wr_init(&w, buf, sizeof(buf));
	CU_ASSERT_EQUAL(syncmsg_encode_stats(&w, 1, &s), -1);
}

UNIT_SUITE(syncmsg, "sync wire format",
    { "IKE_UP round trip v4/v6", test_ike_up },
    { "packs: framing", test_frame_len },
    { "IKE_DOWN/IKE_MID round trip", test_ike_down_mid },
    { "CHILD_UP round trip", test_child_up },
    { "CHILD_DOWN round trip", test_child_down },
    { "CTR batch round trip", test_ctr },
    { "LEASE/ACK/BULK round trip", test_lease_ack_bulk },
    { "wire bytes pinned", test_wire_bytes },
    { "messages back to back", test_stream },
    { "header rejects", test_header_rejects },
    { "unknown type: count and drop", test_type_rejects },
    { "TLV rejects and skips", test_tlv_rejects },
    { "IKE value rejects", test_value_rejects },
    { "Child rejects", test_child_rejects },
    { "CTR/ACK rejects", test_misc_rejects },
    { "no key left after a failed decode", test_no_key_left },
    { "decode zeroes and wipe wipes the type's member", test_member_wipe },
    { "encoder rejects", test_encode_rejects },
    { "names", test_names },
    { "STATS/RESYNC_REQ round trip", test_stats },
    { "STATS/RESYNC_REQ rejects", test_stats_rejects });
