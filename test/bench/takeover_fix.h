/*
 * test/bench/takeover_fix.h -- records for the takeover benchmarks
 * (bench_takeover.c, syncinject.c): N IKE SAs of connection "ab" in VIP
 * group vg1, each with one Child SA, valid for the configuration CONF
 * (their transforms, keys, selectors and reqids fit it).  Header-only.
 */
#ifndef TANDEM_BENCH_TAKEOVER_FIX_H
#define TANDEM_BENCH_TAKEOVER_FIX_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tandem/cfg.h"
#include "tandem/sa_rec.h"

#define TKFIX_CONF \
"ike = { connections = { ab = {\n" \
"  vip_group = \"vg1\";\n" \
"  local_addrs = \"192.0.2.2\"; remote_addrs = \"%any\";\n" \
"  local = { auth = \"psk\"; id = \"b.example\"; };\n" \
"  remote = { auth = \"psk\"; id = \"%any\"; };\n" \
"  proposals = [ \"aes128gcm16-prfsha256-x25519\" ];\n" \
"  dpd_delay = \"30s\"; rekey_time = \"4h\";\n" \
"  children = { net = { local_ts = \"10.0.0.0/16\";\n" \
"    remote_ts = \"10.128.0.0/9\"; esp_proposals = [ \"aes128gcm16\" ];\n" \
"    rekey_time = \"1h\"; }; };\n" \
"}; };\n" \
"  secrets = { s1 = { type = \"ike\"; secret = \"0x0102030405\"; }; };\n" \
"};\n" \
"ha = { groups = { vg1 = { vrid = 1; interface = \"eth0\";\n" \
"  vips = [ \"192.0.2.2/24\" ]; }; }; };\n"

#define WALL0	1700000000000ULL

static inline void
key(struct sa_key *k, size_t len, uint32_t seed)
{
	size_t	 i;

	k->len = (uint8_t)len;
	for (i = 0; i < len; i++)
		k->data[i] = (uint8_t)(seed * 31 + i);
}

static inline void
be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Peer i: 198.18.x.y, its own /30 behind it in 10.128.0.0/9. */
static inline void
fix_ike(struct sa_ike *r, uint32_t i)
{
	memset(r, 0, sizeof(*r));
	r->gen = 2 * (uint64_t)i + 1;
	be32(r->spi_i, 0x11000000 + i);
	be32(r->spi_i + 4, i * 2654435761u);
	be32(r->spi_r, 0x22000000 + i);
	be32(r->spi_r + 4, i * 40503u + 7);
	r->role = SA_ROLE_RESPONDER;
	r->local.family = r->remote.family = CFG_AF_INET;
	be32(r->local.addr, 0xc0000202);		/* 192.0.2.2 */
	be32(r->remote.addr, 0xc6120000 + i);	/* 198.18.0.0/15 */
	r->local.port = r->remote.port = 500;
	r->local_id.type = r->remote_id.type = 2;	/* FQDN */
	r->local_id.len = 9;
	memcpy(r->local_id.data, "b.example", 9);
	r->remote_id.len = (uint16_t)snprintf((char *)r->remote_id.data,
	    SA_ID_MAX, "peer%u.example", i);
	r->encr = 20;
	r->encr_bits = 128;
	r->prf = 5;
	r->ke = 31;
	key(&r->sk_d, 32, i);
	key(&r->sk_ei, 20, i + 1);
	key(&r->sk_er, 20, i + 2);
	key(&r->sk_pi, 32, i + 3);
	key(&r->sk_pr, 32, i + 4);
	r->msgid_send = 3;
	r->msgid_recv = 5;
	r->peer_window = 1;
	r->resp_len = 96;
	memset(r->resp, 0x5a, r->resp_len);
	r->established_ms = WALL0 - 60000;
	r->rekey_ms = WALL0 + 3600000;
	snprintf(r->conn, sizeof(r->conn), "ab");
	snprintf(r->group, sizeof(r->group), "vg1");
}

static inline void
fix_child(struct sa_child *c, const struct sa_ike *ike, uint32_t i)
{
	memset(c, 0, sizeof(*c));
	c->gen = 2 * (uint64_t)i + 2;
	memcpy(c->ike_spi_i, ike->spi_i, SA_SPI_LEN);
	memcpy(c->ike_spi_r, ike->spi_r, SA_SPI_LEN);
	c->spi_in = 0xc0000100 + i;
	c->spi_out = 0xd0000100 + i;
	c->proto = 50;
	c->mode = SA_MODE_TUNNEL;
	c->replay_window = 64;
	c->local = ike->local;
	c->remote = ike->remote;
	c->reqid = 0x10001 + i;		/* one per Child SA: its policies */
	c->encr = 20;
	c->encr_bits = 128;
	key(&c->encr_in, 20, i + 5);
	key(&c->encr_out, 20, i + 6);
	c->n_ts_local = c->n_ts_remote = 1;
	c->ts_local[0].family = c->ts_remote[0].family = CFG_AF_INET;
	c->ts_local[0].port_hi = c->ts_remote[0].port_hi = 65535;
	be32(c->ts_local[0].start, 0x0a000000);
	be32(c->ts_local[0].end, 0x0a00ffff);
	be32(c->ts_remote[0].start, 0x0a800000 + 4 * i);
	be32(c->ts_remote[0].end, 0x0a800000 + 4 * i + 3);
	c->lft.soft_s = 3600;
	c->lft.hard_s = 3960;
	c->installed_ms = WALL0 - 60000;
	c->rekey_ms = WALL0 + 1800000;
	c->ctr.out_end = 131072 + i;
	c->ctr.in_top = 1000 + i;
	c->ctr.in_bitmap = 0xffffffff;
	c->ctr.gen = 1;
}

#endif
