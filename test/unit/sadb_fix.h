/*
 * test/unit/sadb_fix.h -- record fixtures for the syncd core tests and
 * the sadb benchmark: valid IKE and Child SA records (they pass the sync
 * encoder's checks) numbered by an id, so that many distinct ones can be
 * made.  Header-only (static functions) so a benchmark can include it.
 */
#ifndef TANDEM_TEST_SADB_FIX_H
#define TANDEM_TEST_SADB_FIX_H

#include <sys/socket.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tandem/sa_rec.h"

static inline void
fix_addr(struct sa_addr *a, uint32_t host, uint16_t port)
{
	memset(a, 0, sizeof(*a));
	a->family = AF_INET;
	a->addr[0] = 198;
	a->addr[1] = 51;
	a->addr[2] = (uint8_t)(host >> 8);
	a->addr[3] = (uint8_t)host;
	a->port = port;
}

static inline void
fix_key(struct sa_key *k, uint8_t len, uint32_t seed)
{
	int	 i;

	k->len = len;
	for (i = 0; i < len; i++)
		k->data[i] = (uint8_t)(seed * 31 + (uint32_t)i * 7 + 1);
}

static inline void
fix_spis(uint32_t id, uint8_t spi_i[SA_SPI_LEN], uint8_t spi_r[SA_SPI_LEN])
{
	int	 i;

	for (i = 0; i < 4; i++) {
		spi_i[i] = (uint8_t)(id >> (8 * i));
		spi_r[i] = (uint8_t)~(id >> (8 * i));
	}
	spi_i[4] = spi_r[4] = 0x5a;
	spi_i[5] = spi_i[6] = spi_i[7] = 0x11;
	spi_r[5] = spi_r[6] = spi_r[7] = 0x22;
}

/* IKE SA number id (1..), gen, VIP group ("" = none). */
static inline void
fix_ike(struct sa_ike *k, uint32_t id, uint64_t gen, const char *group)
{
	memset(k, 0, sizeof(*k));
	k->gen = gen;
	fix_spis(id, k->spi_i, k->spi_r);
	k->role = SA_ROLE_RESPONDER;
	fix_addr(&k->local, 1, 4500);
	fix_addr(&k->remote, 1000 + (id & 0x7fff), 4500);
	k->local_id.type = 2;
	k->local_id.len = 12;
	memcpy(k->local_id.data, "hub.example", 12);
	k->remote_id.type = 2;
	k->remote_id.len = (uint16_t)snprintf((char *)k->remote_id.data,
	    SA_ID_MAX, "site%u.example", id);
	k->encr = 20;
	k->encr_bits = 256;
	k->prf = 7;
	k->ke = 31;
	fix_key(&k->sk_d, 48, id);
	fix_key(&k->sk_ei, 36, id + 1);
	fix_key(&k->sk_er, 36, id + 2);
	fix_key(&k->sk_pi, 48, id + 3);
	fix_key(&k->sk_pr, 48, id + 4);
	k->msgid_send = 2;
	k->msgid_recv = 3;
	k->peer_window = 1;
	k->resp_len = 80;
	memset(k->resp, (int)(id & 0xff), 80);
	k->established_ms = 1700000000000ULL;
	k->dpd_ms = 30000;
	snprintf(k->conn, sizeof(k->conn), "site%u", id);
	snprintf(k->group, sizeof(k->group), "%s", group);
}

/* Child SA number n of IKE SA ike_id: SPIs derived from both. */
static inline void
fix_child(struct sa_child *c, uint32_t ike_id, uint32_t n, uint64_t gen)
{
	memset(c, 0, sizeof(*c));
	c->gen = gen;
	fix_spis(ike_id, c->ike_spi_i, c->ike_spi_r);
	c->spi_in = 0xc0000000U | (ike_id << 4) | n;
	c->spi_out = 0xd0000000U | (ike_id << 4) | n;
	c->proto = 50;
	c->mode = SA_MODE_TUNNEL;
	c->flags = SA_CHILD_ESN;
	c->replay_window = 1024;
	fix_addr(&c->local, 1, 0);
	fix_addr(&c->remote, 1000 + (ike_id & 0x7fff), 0);
	c->reqid = ike_id;
	c->encr = 20;
	c->encr_bits = 256;
	fix_key(&c->encr_in, 36, ike_id * 16 + n);
	fix_key(&c->encr_out, 36, ike_id * 16 + n + 8);
	c->n_ts_local = c->n_ts_remote = 1;
	c->ts_local[0].family = c->ts_remote[0].family = AF_INET;
	c->ts_local[0].port_hi = c->ts_remote[0].port_hi = 65535;
	c->ts_local[0].start[0] = c->ts_local[0].end[0] = 10;
	c->ts_local[0].end[1] = c->ts_local[0].end[2] = 255;
	c->ts_local[0].end[3] = 255;
	c->ts_remote[0].start[0] = c->ts_remote[0].end[0] = 172;
	c->ts_remote[0].start[1] = c->ts_remote[0].end[1] = 16;
	c->ts_remote[0].end[2] = c->ts_remote[0].end[3] = 255;
	c->lft.soft_s = 3000;
	c->lft.hard_s = 3600;
	c->installed_ms = 1700000000000ULL;
	c->ctr.out_end = 1000;
}

#endif /* TANDEM_TEST_SADB_FIX_H */
