/*
 * test/unit/test_cfg.c -- tandem.conf: the sample loads with the values
 * it shows, every kind of error comes out as the exact one-line message,
 * and the string parsers (proposals, selectors, addresses, identities)
 * give IANA's numbers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/cfg.h"
#include "tandem/util.h"
#include "unit.h"

/* A valid ha section: appended after the text under test, so the lines
 * of the text above it are the lines in the messages. */
#define HA_OK								\
	"ha = { groups = { vg1 = { vrid = 1; interface = \"eth0\"; "	\
	"vips = [ \"192.0.2.1/24\" ]; }; }; };\n"

/*
 * A valid connection c1 with one child, then EXTRA on line 6 inside c1.
 * Lines: 1 ike/connections/c1, 2 vip_group, 3 local, 4 remote,
 * 5 children, 6 EXTRA, 7 end of c1, 8 secrets, 9 end of ike, 10 ha.
 */
#define CONN(vg, extra)							\
	"ike = { connections = { c1 = {\n"				\
	"vip_group = \"" vg "\";\n"					\
	"local = { auth = \"psk\"; id = \"a.example\"; };\n"		\
	"remote = { auth = \"psk\"; id = \"b.example\"; };\n"		\
	"children = { net = { remote_ts = [ \"203.0.113.0/25\" ]; }; };\n" \
	extra "\n"							\
	"}; };\n"							\
	"secrets = { s1 = { type = \"ike\"; id = \"a.example\"; "	\
	"secret = \"k\"; }; };\n"					\
	"};\n"								\
	HA_OK

/* The same with EXTRA on line 5 inside the child "net". */
#define CHILD(extra)							\
	"ike = { connections = { c1 = {\n"				\
	"vip_group = \"vg1\";\n"					\
	"local = { auth = \"psk\"; id = \"a.example\"; };\n"		\
	"remote = { auth = \"psk\"; id = \"b.example\"; };\n"		\
	"children = { net = {\n" extra "\n}; };\n"			\
	"}; };\n"							\
	"secrets = { s1 = { type = \"ike\"; secret = \"k\"; }; };\n"	\
	"};\n"								\
	HA_OK

#define NAME64	"n123456789012345678901234567890123456789012345678901234567890123"

static char	 errbuf[CFG_ERR_MAX];

static struct tnd_cfg *
load_str(const char *text)
{
	struct tnd_cfg	*cfg = (struct tnd_cfg *)&errbuf;	/* poison */

	if (cfg_load_string(text, "t.conf", &cfg, errbuf,
	    sizeof(errbuf)) == -1) {
		CU_ASSERT_PTR_NULL(cfg);	/* never partially succeeds */
		return NULL;
	}
	return cfg;
}

static struct tnd_cfg *
load_file(const char *rel)
{
	struct tnd_cfg	*cfg = NULL;
	char		 path[1024];

	snprintf(path, sizeof(path), "%s/%s", unit_datadir(), rel);
	if (cfg_load(path, &cfg, errbuf, sizeof(errbuf)) == -1) {
		CU_ASSERT_PTR_NULL(cfg);
		return NULL;
	}
	return cfg;
}

static void
prop_is(const struct cfg_proposal *p, enum cfg_prop_kind k, const char *want)
{
	char	 buf[256];

	CU_ASSERT_EQUAL_FATAL(cfg_proposal_fmt(p, k, buf, sizeof(buf)), 0);
	if (strcmp(buf, want) != 0)
		fprintf(stderr, "\nproposal: got %s want %s\n", buf, want);
	CU_ASSERT_STRING_EQUAL(buf, want);
}

static void
ts_is(const struct cfg_ts *ts, const char *want)
{
	char	 buf[128];

	CU_ASSERT_EQUAL_FATAL(cfg_ts_fmt(ts, buf, sizeof(buf)), 0);
	if (strcmp(buf, want) != 0)
		fprintf(stderr, "\nts: got %s want %s\n", buf, want);
	CU_ASSERT_STRING_EQUAL(buf, want);
}

/* --- the sample ---------------------------------------------------------- */

static void
test_sample(void)
{
	static const uint8_t	 vip[4] = { 192, 0, 2, 1 };
	static const uint8_t	 peer[4] = { 198, 51, 100, 2 };
	struct tnd_cfg		*cfg;
	const struct cfg_conn	*cn;
	const struct cfg_child	*ch;
	const struct cfg_group	*g;
	const struct secbuf	*psk;
	unsigned char		 key[32];

	cfg = load_file("../../../etc/tandem.conf");
	if (cfg == NULL)
		fprintf(stderr, "\nsample: %s\n", errbuf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);

	CU_ASSERT_EQUAL(cfg->ike.port, 500);
	CU_ASSERT_EQUAL(cfg->ike.port_nat_t, 4500);
	CU_ASSERT_EQUAL(cfg->ike.cookie_threshold, 30);
	CU_ASSERT_EQUAL(cfg->ike.block_threshold, 5);
	CU_ASSERT_EQUAL(cfg->ike.init_limit_half_open, 1000);
	CU_ASSERT_EQUAL(cfg->ike.retransmit_timeout_ms, 4000);
	CU_ASSERT_DOUBLE_EQUAL(cfg->ike.retransmit_base, 1.8, 1e-9);
	CU_ASSERT_EQUAL(cfg->ike.retransmit_tries, 5);
	CU_ASSERT_EQUAL(cfg->ike.retransmit_jitter_pct, 10);
	CU_ASSERT_EQUAL(cfg->ike.retransmit_limit_ms, 60000);
	CU_ASSERT_EQUAL(cfg->ike.fragment_size, 1280);
	CU_ASSERT_EQUAL_FATAL(cfg->ike.nike_proposals, 2);
	prop_is(&cfg->ike.ike_proposals[0], CFG_PROP_IKE,
	    "aes256gcm16-prfsha384-ecp384");
	prop_is(&cfg->ike.ike_proposals[1], CFG_PROP_IKE,
	    "aes128-sha256-prfsha256-modp2048");
	CU_ASSERT_EQUAL_FATAL(cfg->ike.nesp_proposals, 2);
	prop_is(&cfg->ike.esp_proposals[0], CFG_PROP_ESP, "aes256gcm16");

	CU_ASSERT_EQUAL_FATAL(cfg->ike.nconns, 1);
	cn = cfg_conn_find(cfg, "branch1");
	CU_ASSERT_PTR_EQUAL_FATAL(cn, &cfg->ike.conns[0]);
	CU_ASSERT_STRING_EQUAL(cn->vip_group, "vg1");
	CU_ASSERT_EQUAL(cn->vip_group_idx, 0);
	CU_ASSERT_EQUAL_FATAL(cn->nlocal_addrs, 1);
	CU_ASSERT_EQUAL(cn->local_addrs[0].family, CFG_AF_INET);
	CU_ASSERT_EQUAL(cn->local_addrs[0].plen, 32);
	UNIT_ASSERT_BYTES(cn->local_addrs[0].addr, vip, 4);
	CU_ASSERT_EQUAL_FATAL(cn->nremote_addrs, 1);
	UNIT_ASSERT_BYTES(cn->remote_addrs[0].addr, peer, 4);
	CU_ASSERT_EQUAL(cn->local_port, 500);
	CU_ASSERT_EQUAL(cn->remote_port, 500);
	CU_ASSERT_EQUAL(cn->version, 2);
	CU_ASSERT_EQUAL_FATAL(cn->nproposals, 3);
	/* IANA values, not just names */
	CU_ASSERT_EQUAL(cn->proposals[0].encr[0].id, 20);
	CU_ASSERT_EQUAL(cn->proposals[0].encr[0].keylen, 256);
	CU_ASSERT_EQUAL(cn->proposals[0].prf[0], 6);
	CU_ASSERT_EQUAL(cn->proposals[0].ke[0], 20);
	CU_ASSERT(cn->proposals[0].aead);
	CU_ASSERT_EQUAL(cn->proposals[1].encr[0].id, 28);
	CU_ASSERT_EQUAL(cn->proposals[1].encr[0].keylen, 0);
	CU_ASSERT_EQUAL(cn->proposals[1].prf[0], 5);
	CU_ASSERT_EQUAL(cn->proposals[1].ke[0], 31);
	CU_ASSERT_EQUAL(cn->proposals[2].encr[0].id, 12);
	CU_ASSERT_EQUAL(cn->proposals[2].encr[0].keylen, 128);
	CU_ASSERT_EQUAL(cn->proposals[2].integ[0], 12);
	CU_ASSERT_EQUAL(cn->proposals[2].prf[0], 5);
	CU_ASSERT_EQUAL(cn->proposals[2].ke[0], 14);
	CU_ASSERT_EQUAL(cn->dpd_delay_s, 30);
	CU_ASSERT_EQUAL(cn->dpd_action, CFG_DPD_RESTART);
	CU_ASSERT_EQUAL(cn->rekey_time_s, 4 * 3600);
	CU_ASSERT_EQUAL(cn->reauth_time_s, 0);
	CU_ASSERT_EQUAL(cn->over_time_s, 24 * 60);
	CU_ASSERT_EQUAL(cn->rand_time_s, 24 * 60);
	CU_ASSERT_EQUAL(cn->keyingtries, 0);
	CU_ASSERT(!cn->encap);
	CU_ASSERT(cn->mobike);
	CU_ASSERT(cn->send_certreq);
	CU_ASSERT_EQUAL(cn->send_cert, CFG_SEND_CERT_IFASKED);
	CU_ASSERT_EQUAL(cn->fragmentation, CFG_FRAG_YES);
	CU_ASSERT_EQUAL(cn->unique, CFG_UNIQUE_REPLACE);
	CU_ASSERT_EQUAL(cn->local.method, CFG_AUTH_PSK);
	CU_ASSERT_EQUAL(cn->local.id.type, CFG_ID_FQDN);
	CU_ASSERT_EQUAL(cn->local.id.len, strlen("hub.example.net"));
	UNIT_ASSERT_BYTES(cn->local.id.data, "hub.example.net", 15);
	CU_ASSERT_EQUAL(cn->remote.method, CFG_AUTH_PSK);
	CU_ASSERT_STRING_EQUAL(cn->remote.id.text, "branch1.example.com");

	CU_ASSERT_EQUAL_FATAL(cn->nchildren, 1);
	ch = &cn->children[0];
	CU_ASSERT_STRING_EQUAL(ch->name, "net");
	CU_ASSERT_EQUAL_FATAL(ch->nlocal_ts, 1);
	ts_is(&ch->local_ts[0], "203.0.113.128/25");
	CU_ASSERT_EQUAL_FATAL(ch->nremote_ts, 1);
	ts_is(&ch->remote_ts[0], "203.0.113.0/25");
	CU_ASSERT_EQUAL_FATAL(ch->nesp_proposals, 2);
	prop_is(&ch->esp_proposals[0], CFG_PROP_ESP, "aes256gcm16-ecp384");
	prop_is(&ch->esp_proposals[1], CFG_PROP_ESP,
	    "aes128-sha256-modp2048");
	CU_ASSERT_EQUAL(ch->esp_proposals[0].esn[0], CFG_ESN_NONE);
	CU_ASSERT_EQUAL(ch->mode, CFG_MODE_TUNNEL);
	CU_ASSERT_EQUAL(ch->start_action, CFG_START_START);
	CU_ASSERT_EQUAL(ch->close_action, CFG_START_NONE);
	CU_ASSERT_EQUAL(ch->dpd_action, CFG_DPD_RESTART);
	CU_ASSERT_EQUAL(ch->rekey_time_s, 3600);
	CU_ASSERT_EQUAL(ch->life_time_s, 66 * 60);
	CU_ASSERT_EQUAL(ch->rand_time_s, 6 * 60);
	CU_ASSERT_EQUAL(ch->rekey_bytes, 500ULL << 30);
	CU_ASSERT_EQUAL(ch->life_bytes, 550ULL << 30);
	CU_ASSERT_EQUAL(ch->rand_bytes, 50ULL << 30);
	CU_ASSERT_EQUAL(ch->rekey_packets, 0);
	CU_ASSERT_EQUAL(ch->life_packets, 0);
	CU_ASSERT_EQUAL(ch->replay_window, 1024);
	CU_ASSERT_EQUAL(ch->if_id_in, 0);
	CU_ASSERT_EQUAL(ch->mark_in.value, 0);
	CU_ASSERT_EQUAL(ch->mark_in.mask, 0);
	CU_ASSERT_EQUAL(ch->reqid, 0);

	CU_ASSERT_EQUAL_FATAL(cfg->ike.nsecrets, 1);
	CU_ASSERT_STRING_EQUAL(cfg->ike.secrets[0].name, "branch1");
	CU_ASSERT_EQUAL(cfg->ike.secrets[0].nids, 2);
	CU_ASSERT_EQUAL_FATAL(unit_unhex("6f1c0a3d5e7b92c48d1f3a6b0c9e2d4f"
	    "58a7b1c3e9d0f2a4b6c8e1d3f5a7b9c0", key, sizeof(key)), 32);
	psk = cfg_psk_find(cfg, &cn->local.id, &cn->remote.id);
	CU_ASSERT_PTR_NOT_NULL_FATAL(psk);
	CU_ASSERT_EQUAL_FATAL(psk->len, 32);
	UNIT_ASSERT_BYTES(psk->data, key, 32);

	CU_ASSERT_STRING_EQUAL(cfg->sync.cpg_group, "tandem");
	CU_ASSERT_STRING_EQUAL(cfg->sync.socket_group, "tandem");
	CU_ASSERT_EQUAL(cfg->sync.lease_packets, 131072);
	CU_ASSERT_EQUAL(cfg->sync.aevent_replay_threshold, 1024);
	CU_ASSERT_EQUAL(cfg->sync.aevent_timer_ms, 100);
	CU_ASSERT_EQUAL(cfg->sync.replay_batch, 64);
	CU_ASSERT_EQUAL(cfg->sync.ack_max_delay_ms, 2);
	CU_ASSERT(!cfg->sync.allow_unencrypted_ring);

	CU_ASSERT_STRING_EQUAL(cfg->ha.node, "hub-a");
	CU_ASSERT_EQUAL(cfg->ha.priority, 200);
	CU_ASSERT(!cfg->ha.maintenance);
	CU_ASSERT_EQUAL_FATAL(cfg->ha.ngroups, 1);
	g = cfg_group_find(cfg, "vg1");
	CU_ASSERT_PTR_EQUAL_FATAL(g, &cfg->ha.groups[0]);
	CU_ASSERT_EQUAL(g->vrid, 51);
	CU_ASSERT_STRING_EQUAL(g->interface, "eth0");
	CU_ASSERT_EQUAL_FATAL(g->nvips, 1);
	CU_ASSERT_EQUAL(g->vips[0].plen, 24);
	UNIT_ASSERT_BYTES(g->vips[0].addr, vip, 4);
	CU_ASSERT_EQUAL(g->priority, 200);
	CU_ASSERT(g->preempt);
	CU_ASSERT_EQUAL(g->preempt_delay_s, 30);
	CU_ASSERT_EQUAL(g->advert_interval_cs, 100);
	CU_ASSERT_EQUAL(g->garp_count, 5);
	CU_ASSERT_EQUAL(g->garp_interval_ms, 100);
	CU_ASSERT(!g->use_vmac);
	CU_ASSERT_STRING_EQUAL(g->vmac_name, "");
	CU_ASSERT_EQUAL(g->ntrack_ifs, 0);
	CU_ASSERT_EQUAL(g->ntrack_scripts, 0);
	CU_ASSERT_PTR_NULL(g->notify);
	CU_ASSERT_PTR_NULL(cfg_group_find(cfg, "vg2"));
	CU_ASSERT_PTR_NULL(cfg_conn_find(cfg, "branch2"));
	cfg_free(cfg);
}

/* --- every key, off its default (data/cfg/good/full.conf) ------------------ */

static void
test_full(void)
{
	static const uint8_t	 k_any[4] = { 0x00, 0xff, 0x10, 0xab };
	struct tnd_cfg		*cfg;
	const struct cfg_conn	*cn;
	const struct cfg_child	*ch;
	const struct cfg_group	*g;
	struct cfg_id		 ops, other;
	char			 why[128];

	cfg = load_file("cfg/good/full.conf");
	if (cfg == NULL)
		fprintf(stderr, "\nfull.conf: %s\n", errbuf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	CU_ASSERT_EQUAL(cfg->ike.port, 1500);
	CU_ASSERT_EQUAL(cfg->ike.port_nat_t, 14500);
	CU_ASSERT_EQUAL(cfg->ike.cookie_threshold, 0);
	CU_ASSERT_EQUAL(cfg->ike.retransmit_timeout_ms, 500);
	CU_ASSERT_DOUBLE_EQUAL(cfg->ike.retransmit_base, 2.0, 1e-9);
	CU_ASSERT_EQUAL(cfg->ike.retransmit_tries, 3);
	CU_ASSERT_EQUAL(cfg->ike.retransmit_jitter_pct, 20);
	CU_ASSERT_EQUAL(cfg->ike.retransmit_limit_ms, 30000);
	CU_ASSERT_EQUAL(cfg->ike.fragment_size, 1400);
	CU_ASSERT_EQUAL_FATAL(cfg->ike.nike_proposals, 1);
	prop_is(&cfg->ike.ike_proposals[0], CFG_PROP_IKE,
	    "chacha20poly1305-prfsha512-x448");
	CU_ASSERT_EQUAL(cfg->ike.ike_proposals[0].ke[0], 32);
	CU_ASSERT_EQUAL(cfg->ike.ike_proposals[0].prf[0], 7);
	CU_ASSERT_EQUAL_FATAL(cfg->ike.nesp_proposals, 1);
	prop_is(&cfg->ike.esp_proposals[0], CFG_PROP_ESP,
	    "aes128-aes256-sha512-sha256-esn-noesn");
	CU_ASSERT_EQUAL(cfg->ike.esp_proposals[0].integ[0], 14);
	CU_ASSERT_EQUAL(cfg->ike.esp_proposals[0].esn[0], CFG_ESN_ON);
	CU_ASSERT_EQUAL(cfg->ike.esp_proposals[0].nprf, 0);

	CU_ASSERT_EQUAL_FATAL(cfg->ike.nconns, 1);
	cn = &cfg->ike.conns[0];
	CU_ASSERT_STRING_EQUAL(cn->name, "v6");
	CU_ASSERT_EQUAL(cn->vip_group_idx, 1);
	CU_ASSERT_EQUAL(cn->local_addrs[0].family, CFG_AF_INET6);
	CU_ASSERT_EQUAL_FATAL(cn->nremote_addrs, 2);
	CU_ASSERT_EQUAL(cn->remote_addrs[1].plen, 48);
	CU_ASSERT_EQUAL(cn->local_port, 4501);
	CU_ASSERT_EQUAL(cn->remote_port, 4502);
	/* no proposals: ike.proposals.ike is copied */
	CU_ASSERT_EQUAL_FATAL(cn->nproposals, 1);
	CU_ASSERT_EQUAL(cn->proposals[0].encr[0].id, 28);
	CU_ASSERT_EQUAL(cn->dpd_delay_s, 60);
	CU_ASSERT_EQUAL(cn->dpd_action, CFG_DPD_NONE);
	CU_ASSERT_EQUAL(cn->rekey_time_s, 0);
	CU_ASSERT_EQUAL(cn->reauth_time_s, 7200);
	CU_ASSERT_EQUAL(cn->over_time_s, 720);	/* 10% of the longer */
	CU_ASSERT_EQUAL(cn->rand_time_s, 720);
	CU_ASSERT_EQUAL(cn->keyingtries, 7);
	CU_ASSERT(cn->encap);
	CU_ASSERT(!cn->mobike);
	CU_ASSERT(!cn->send_certreq);
	CU_ASSERT_EQUAL(cn->send_cert, CFG_SEND_CERT_ALWAYS);
	CU_ASSERT_EQUAL(cn->fragmentation, CFG_FRAG_FORCE);
	CU_ASSERT_EQUAL(cn->unique, CFG_UNIQUE_KEEP);
	CU_ASSERT_EQUAL(cn->local.method, CFG_AUTH_PUBKEY);
	CU_ASSERT_EQUAL(cn->local.id.type, CFG_ID_ANY);
	CU_ASSERT_EQUAL_FATAL(cn->local.certs.n, 2);
	CU_ASSERT_STRING_EQUAL(cn->local.certs.v[1],
	    "/etc/tandem/x509/ca-int.pem");
	CU_ASSERT_STRING_EQUAL(cn->local.key, "/etc/tandem/private/hub.key");
	CU_ASSERT_EQUAL(cn->remote.id.type, CFG_ID_DN);
	CU_ASSERT(cn->remote.id.wildcard);
	CU_ASSERT_EQUAL_FATAL(cn->remote.certs.n, 1);
	CU_ASSERT_STRING_EQUAL(cn->remote.certs.v[0],
	    "/etc/tandem/x509/peer.pem");
	CU_ASSERT_EQUAL(cn->remote.cacerts.n, 1);
	CU_ASSERT_EQUAL(cn->remote.crls.n, 1);

	CU_ASSERT_EQUAL_FATAL(cn->nchildren, 2);
	ch = &cn->children[0];
	CU_ASSERT_EQUAL_FATAL(ch->nlocal_ts, 2);
	ts_is(&ch->local_ts[0], "2001:db8:0:2::/64[6/443]");
	ts_is(&ch->local_ts[1], "2001:db8:0:3::1-2001:db8:0:3::9");
	ts_is(&ch->remote_ts[0], "dynamic[17/1000-2000]");
	CU_ASSERT_EQUAL(ch->mode, CFG_MODE_TRANSPORT);
	CU_ASSERT_EQUAL(ch->start_action, CFG_START_TRAP);
	CU_ASSERT_EQUAL(ch->close_action, CFG_START_START);
	CU_ASSERT_EQUAL(ch->dpd_action, CFG_DPD_CLEAR);
	CU_ASSERT_EQUAL(ch->rekey_time_s, 600);
	CU_ASSERT_EQUAL(ch->life_time_s, 660);	/* + 10% */
	CU_ASSERT_EQUAL(ch->rand_time_s, 60);	/* life - rekey */
	CU_ASSERT_EQUAL(ch->rekey_bytes, 1000000000);
	CU_ASSERT_EQUAL(ch->life_bytes, 1100000000);
	CU_ASSERT_EQUAL(ch->rand_bytes, 100000000);
	CU_ASSERT_EQUAL(ch->rekey_packets, 1048576);
	CU_ASSERT_EQUAL(ch->life_packets, 2000000);
	CU_ASSERT_EQUAL(ch->rand_packets, 2000000 - 1048576);
	CU_ASSERT_EQUAL(ch->replay_window, 0);
	CU_ASSERT_EQUAL(ch->if_id_in, 0xffffffffU);
	CU_ASSERT_EQUAL(ch->if_id_out, 42);
	CU_ASSERT_EQUAL(ch->mark_in.value, 0x10);
	CU_ASSERT_EQUAL(ch->mark_in.mask, 0xf0);
	CU_ASSERT_EQUAL(ch->mark_out.value, 7);
	CU_ASSERT_EQUAL(ch->mark_out.mask, 0xffffffffU);
	CU_ASSERT_EQUAL(ch->reqid, 99);
	/* child "ping": the defaults */
	ch = &cn->children[1];
	ts_is(&ch->local_ts[0], "dynamic[1/8]");
	CU_ASSERT_EQUAL(ch->local_ts[0].port_lo, 8 << 8);
	CU_ASSERT_EQUAL(ch->local_ts[0].port_hi, 8 << 8 | 0xff);
	CU_ASSERT_EQUAL_FATAL(ch->nremote_ts, 1);
	CU_ASSERT(ch->remote_ts[0].dynamic);
	CU_ASSERT_EQUAL(ch->dpd_action, CFG_DPD_NONE);	/* inherited */
	CU_ASSERT_EQUAL(ch->mode, CFG_MODE_TUNNEL);
	CU_ASSERT_EQUAL(ch->rekey_time_s, 3600);
	CU_ASSERT_EQUAL(ch->life_time_s, 3960);
	CU_ASSERT_EQUAL(ch->rand_time_s, 360);
	CU_ASSERT_EQUAL(ch->replay_window, 32);
	CU_ASSERT_EQUAL(ch->mark_in.mask, 0);
	prop_is(&ch->esp_proposals[0], CFG_PROP_ESP, "aes256gcm16-x25519");

	/* secrets came from an @include relative to full.conf */
	CU_ASSERT_EQUAL_FATAL(cfg->ike.nsecrets, 2);
	CU_ASSERT_EQUAL(cfg->ike.secrets[0].nids, 0);
	CU_ASSERT_EQUAL_FATAL(cfg->ike.secrets[0].psk->len, 4);
	UNIT_ASSERT_BYTES(cfg->ike.secrets[0].psk->data, k_any, 4);
	CU_ASSERT_EQUAL(cfg->ike.secrets[1].ids[0].type, CFG_ID_RFC822);
	CU_ASSERT_EQUAL_FATAL(cfg->ike.secrets[1].psk->len, 11);
	UNIT_ASSERT_BYTES(cfg->ike.secrets[1].psk->data, "text secret", 11);
	/* the secret naming the id beats the catch-all */
	CU_ASSERT_EQUAL_FATAL(cfg_id_parse("ops@", &ops, why, sizeof(why)),
	    0);
	cfg_id_fini(&ops);
	CU_ASSERT_EQUAL_FATAL(cfg_id_parse("@@ops", &ops, why, sizeof(why)),
	    0);
	CU_ASSERT_EQUAL_FATAL(cfg_id_parse("x.example", &other, why,
	    sizeof(why)), 0);
	CU_ASSERT_PTR_EQUAL(cfg_psk_find(cfg, &other, &ops),
	    cfg->ike.secrets[1].psk);
	CU_ASSERT_PTR_EQUAL(cfg_psk_find(cfg, &other, NULL),
	    cfg->ike.secrets[0].psk);
	cfg_id_fini(&ops);
	cfg_id_fini(&other);

	CU_ASSERT_STRING_EQUAL(cfg->sync.cpg_group, "lab-1");
	CU_ASSERT_STRING_EQUAL(cfg->sync.socket_group, "vpn");
	CU_ASSERT_EQUAL(cfg->sync.lease_packets, 4096);
	CU_ASSERT_EQUAL(cfg->sync.aevent_replay_threshold, 2048);
	CU_ASSERT_EQUAL(cfg->sync.aevent_timer_ms, 1000);
	CU_ASSERT_EQUAL(cfg->sync.replay_batch, 1);
	CU_ASSERT_EQUAL(cfg->sync.ack_max_delay_ms, 0);
	CU_ASSERT(cfg->sync.allow_unencrypted_ring);

	CU_ASSERT_STRING_EQUAL(cfg->ha.node, "node-b");
	CU_ASSERT(cfg->ha.maintenance);
	CU_ASSERT_EQUAL_FATAL(cfg->ha.ngroups, 2);
	g = &cfg->ha.groups[0];
	CU_ASSERT_EQUAL(g->priority, 1);	/* ha.priority */
	CU_ASSERT_EQUAL(g->vrid, 255);
	CU_ASSERT_EQUAL_FATAL(g->nvips, 2);
	CU_ASSERT_EQUAL(g->vips[1].plen, 25);
	CU_ASSERT_STRING_EQUAL(g->vip_ifs[0], "");
	CU_ASSERT_STRING_EQUAL(g->vip_ifs[1], "eth3");
	CU_ASSERT_EQUAL(cfg->ha.takeover_rekey_spread_ms, 30000);
	CU_ASSERT(!cfg->ha.standby_preinstall);
	CU_ASSERT_EQUAL(cfg->ha.takeover_rt_priority, 20);
	CU_ASSERT(g->preempt);
	CU_ASSERT_EQUAL(g->advert_interval_cs, 100);
	g = &cfg->ha.groups[1];
	CU_ASSERT_STRING_EQUAL(g->interface, "eth1.100");
	CU_ASSERT_EQUAL(g->vips[0].family, CFG_AF_INET6);
	CU_ASSERT_EQUAL(g->vips[0].plen, 64);
	CU_ASSERT_EQUAL(g->priority, 254);
	CU_ASSERT(!g->preempt);
	CU_ASSERT_EQUAL(g->advert_interval_cs, 4095);
	CU_ASSERT_EQUAL(g->garp_count, 0);
	CU_ASSERT_EQUAL(g->garp_interval_ms, 0);
	CU_ASSERT_EQUAL(g->garp_refresh_ms, 3600000);
	CU_ASSERT_EQUAL(g->garp_refresh_repeat, 100);
	CU_ASSERT_EQUAL_FATAL(g->notify_master.n, 2);
	CU_ASSERT_STRING_EQUAL(g->notify_master.v[1], "up");
	CU_ASSERT_EQUAL_FATAL(g->notify_backup.n, 2);
	CU_ASSERT_STRING_EQUAL(g->notify_backup.v[0], "/usr/libexec/tandem/vip");
	CU_ASSERT_EQUAL(g->notify_fault.n, 2);
	CU_ASSERT_EQUAL(g->notify_stop.n, 2);
	CU_ASSERT(g->use_vmac);
	CU_ASSERT_STRING_EQUAL(g->vmac_name, "vrrp.255");	/* default */
	CU_ASSERT_EQUAL_FATAL(g->ntrack_ifs, 2);
	CU_ASSERT_STRING_EQUAL(g->track_ifs[0].name, "eth2");
	CU_ASSERT_EQUAL(g->track_ifs[0].weight, -253);
	CU_ASSERT_EQUAL(g->track_ifs[1].weight, 0);
	CU_ASSERT_EQUAL_FATAL(g->ntrack_scripts, 1);
	CU_ASSERT_STRING_EQUAL(g->track_scripts[0].path,
	    "/usr/libexec/tandem/check");
	CU_ASSERT_EQUAL(g->track_scripts[0].interval_ms, 10000);
	CU_ASSERT_EQUAL(g->track_scripts[0].timeout_ms, 5000);
	CU_ASSERT_EQUAL(g->track_scripts[0].weight, 253);
	CU_ASSERT_EQUAL(g->track_scripts[0].rise, 100);
	CU_ASSERT_EQUAL(g->track_scripts[0].fall, 2);
	CU_ASSERT_STRING_EQUAL(g->notify, "/usr/libexec/tandem/notify");
	cfg_free(cfg);
}

/* --- defaults of a minimal file ------------------------------------------- */

static void
test_defaults(void)
{
	struct tnd_cfg		*cfg;
	const struct cfg_conn	*cn;
	const struct cfg_child	*ch;

	cfg = load_str(CONN("vg1", ""));
	if (cfg == NULL)
		fprintf(stderr, "\nminimal: %s\n", errbuf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	CU_ASSERT_EQUAL(cfg->ike.port, 500);
	CU_ASSERT_EQUAL(cfg->ike.retransmit_timeout_ms, 4000);
	CU_ASSERT_EQUAL(cfg->ike.nike_proposals, 4);
	prop_is(&cfg->ike.ike_proposals[3], CFG_PROP_IKE,
	    "aes128-sha256-prfsha256-modp2048");
	CU_ASSERT_EQUAL(cfg->ike.nesp_proposals, 3);
	cn = &cfg->ike.conns[0];
	CU_ASSERT_EQUAL_FATAL(cn->nlocal_addrs, 1);
	CU_ASSERT_EQUAL(cn->local_addrs[0].family, CFG_AF_ANY);
	CU_ASSERT_EQUAL(cn->remote_addrs[0].family, CFG_AF_ANY);
	CU_ASSERT_EQUAL(cn->nproposals, 4);
	CU_ASSERT_EQUAL(cn->rekey_time_s, 14400);
	CU_ASSERT_EQUAL(cn->over_time_s, 1440);
	CU_ASSERT_EQUAL(cn->dpd_delay_s, 0);
	CU_ASSERT_EQUAL(cn->dpd_action, CFG_DPD_CLEAR);
	CU_ASSERT_EQUAL(cn->keyingtries, 1);
	CU_ASSERT(cn->mobike);
	CU_ASSERT_EQUAL(cn->remote.id.type, CFG_ID_FQDN);
	ch = &cn->children[0];
	CU_ASSERT(ch->local_ts[0].dynamic);
	CU_ASSERT_EQUAL(ch->nesp_proposals, 3);
	CU_ASSERT_EQUAL(ch->start_action, CFG_START_NONE);
	CU_ASSERT_EQUAL(ch->life_time_s, 3960);
	CU_ASSERT_EQUAL(ch->life_bytes, 0);
	CU_ASSERT_EQUAL(cfg->sync.lease_packets, 131072);
	CU_ASSERT_STRING_EQUAL(cfg->sync.cpg_group, "tandem");
	CU_ASSERT_STRING_EQUAL(cfg->sync.socket_group, "");
	CU_ASSERT_EQUAL(cfg->ha.priority, 100);
	CU_ASSERT_EQUAL(cfg->ha.groups[0].priority, 100);
	CU_ASSERT_EQUAL(cfg->ha.groups[0].advert_interval_cs, 100);
	CU_ASSERT_STRING_EQUAL(cfg->ha.node, "");
	cfg_free(cfg);

	/* short lifetimes still leave life above rekey */
	cfg = load_str(CHILD("rekey_time = 5; rekey_bytes = 1; rekey_packets "
	    "= 20;"));
	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	ch = &cfg->ike.conns[0].children[0];
	CU_ASSERT_EQUAL(ch->life_time_s, 6);
	CU_ASSERT_EQUAL(ch->rand_time_s, 1);
	CU_ASSERT_EQUAL(ch->life_bytes, 2);
	CU_ASSERT_EQUAL(ch->rand_bytes, 1);
	CU_ASSERT_EQUAL(ch->life_packets, 22);
	CU_ASSERT_EQUAL(ch->rand_packets, 2);
	cfg_free(cfg);

	/* a node with no connections yet is a valid node */
	cfg = load_str(HA_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	CU_ASSERT_EQUAL(cfg->ike.nconns, 0);
	cfg_free(cfg);
}

/* --- errors: the exact message ------------------------------------------- */

static const struct {
	const char	*what;
	const char	*text;
	const char	*want;
} errors[] = {
	{ "syntax", "ike = {\n  port = ;\n};\n" HA_OK,
	  "t.conf:2: syntax error" },
	{ "duplicate connection (libconfig refuses it)",
	  "ike = { connections = {\n c1 = { };\n c1 = { };\n}; };\n" HA_OK,
	  "t.conf:3: duplicate setting name" },
	{ "unknown top-level key", "ikev2 = { };\n" HA_OK,
	  "t.conf:1: ikev2: unknown key (did you mean 'ike'?)" },
	{ "unknown key, near miss", "ike = {\n  prot = 500;\n};\n" HA_OK,
	  "t.conf:2: ike.prot: unknown key (did you mean 'port'?)" },
	{ "unknown key, no near miss", "ike = {\n  colour = 1;\n};\n" HA_OK,
	  "t.conf:2: ike.colour: unknown key" },
	{ "unknown key in a connection", CONN("vg1", "remote_adrs = \"%any\";"),
	  "t.conf:6: ike.connections.c1.remote_adrs: unknown key (did you "
	  "mean 'remote_addrs'?)" },
	{ "wrong type: string for int", "ike = {\n  port = \"500\";\n};\n"
	  HA_OK, "t.conf:2: ike.port: expected an integer, got a string" },
	{ "wrong type: int for bool", "sync = {\nallow_unencrypted_ring = 1;\n"
	  "};\n" HA_OK, "t.conf:2: sync.allow_unencrypted_ring: expected true "
	  "or false, got an integer" },
	{ "wrong type: group expected", "ha = 1;\n",
	  "t.conf:1: ha: expected a group { ... }, got an integer" },
	{ "out of range", "ike = { port = 70000; };\n" HA_OK,
	  "t.conf:1: ike.port: 70000 is out of range (1..65535)" },
	{ "out of range, negative", CHILD("replay_window = -1;"),
	  "t.conf:6: ike.connections.c1.children.net.replay_window: -1 is out "
	  "of range (0..4096)" },
	{ "out of range: duration", CONN("vg1", "dpd_delay = \"2d\";"),
	  "t.conf:6: ike.connections.c1.dpd_delay: 172800 s is out of range "
	  "(0..86400 s)" },
	{ "bad duration", CONN("vg1", "rekey_time = \"4 hours\";"),
	  "t.conf:6: ike.connections.c1.rekey_time: '4 hours' is not a "
	  "duration (N with unit ms, s, m, h or d)" },
	{ "sub-second duration for seconds", CONN("vg1", "dpd_delay = "
	  "\"1500ms\";"), "t.conf:6: ike.connections.c1.dpd_delay: must be a "
	  "whole number of seconds" },
	{ "bad count", CHILD("rekey_bytes = \"10X\";"),
	  "t.conf:6: ike.connections.c1.children.net.rekey_bytes: '10X' is "
	  "not a count (N, or N with k, m, g or t)" },
	{ "32-bit overflow libconfig would hide", CHILD("life_bytes = "
	  "5000000000;"), "t.conf:6: integer 5000000000 does not fit in 32 "
	  "bits (write 5000000000L for a 64-bit integer)" },
	{ "hex overflow", CHILD("if_id_in = 0x100000000;"),
	  "t.conf:6: integer 0x100000000 does not fit in 32 bits (write "
	  "0x100000000L for a 64-bit integer)" },
	{ "64-bit overflow", CHILD("life_bytes = 99999999999999999999L;"),
	  "t.conf:6: integer 99999999999999999999L does not fit in 64 bits" },
	{ "missing required key", "ha = {\n groups = {\n  vg1 = {\n"
	  "   interface = \"eth0\";\n   vips = [ \"192.0.2.1\" ];\n  };\n"
	  " };\n};\n", "t.conf:3: ha.groups.vg1: missing required key 'vrid'" },
	{ "missing required section", "sync = { };\n",
	  "t.conf:1: missing required section 'ha'" },
	{ "missing required sub-group", "ike = { connections = {\n c1 = {\n"
	  "  vip_group = \"vg1\";\n  local = { auth = \"psk\"; id = \"a\"; };\n"
	  "  children = { c = { }; };\n };\n}; };\n" HA_OK,
	  "t.conf:2: ike.connections.c1: missing required key 'remote'" },
	{ "missing id for psk", "ike = { connections = {\n c1 = {\n"
	  "  vip_group = \"vg1\";\n  local = {\n auth = \"psk\"; };\n"
	  "  remote = { auth = \"psk\"; };\n  children = { c = { }; };\n };\n"
	  "}; };\n" HA_OK, "t.conf:4: ike.connections.c1.local: missing "
	  "required key 'id' (auth = psk)" },
	{ "bad address", CONN("vg1", "remote_addrs = [ \"198.51.100.2\", "
	  "\"198.51.100.300\" ];"), "t.conf:6: ike.connections.c1."
	  "remote_addrs[1]: '198.51.100.300' is not an IPv4 or IPv6 address, "
	  "prefix or %any" },
	{ "a control character quoted back stays on one line", CONN("vg1",
	  "remote_addrs = \"a\\nb\";"), "t.conf:6: ike.connections.c1."
	  "remote_addrs: 'a?b' is not an IPv4 or IPv6 address, prefix or "
	  "%any" },
	{ "address with host bits", CONN("vg1", "remote_addrs = "
	  "\"198.51.100.1/24\";"), "t.conf:6: ike.connections.c1.remote_addrs: "
	  "'198.51.100.1/24' has host bits set after the prefix length" },
	{ "bad prefix length", CONN("vg1", "remote_addrs = \"2001:db8::/129\";"),
	  "t.conf:6: ike.connections.c1.remote_addrs: '2001:db8::/129' has a "
	  "bad prefix length" },
	{ "address family mismatch", CONN("vg1", "local_addrs = "
	  "\"192.0.2.1\"; remote_addrs = \"2001:db8::2\";"),
	  "t.conf:6: ike.connections.c1.remote_addrs: no address family in "
	  "common with local_addrs (local IPv4 only, remote IPv6 only)" },
	{ "ts family mismatch", CHILD("local_ts = \"2001:db8::/64\"; "
	  "remote_ts = [ \"10.0.0.0/8\", \"10.1.0.0/16\" ];"),
	  "t.conf:6: ike.connections.c1.children.net.remote_ts: no address "
	  "family in common with local_ts (local IPv6 only, remote IPv4 only)" },
	{ "dynamic ts takes the addresses' family", CONN("vg1",
	  "local_addrs = \"2001:db8::1\";"), "t.conf:5: ike.connections.c1."
	  "children.net.remote_ts: no address family in common with local_ts "
	  "(local IPv6 only, remote IPv4 only)" },
	{ "bad traffic selector", CHILD("local_ts = \"10.0.0.0/24[tcp/http]\";"),
	  "t.conf:6: ike.connections.c1.children.net.local_ts: "
	  "'10.0.0.0/24[tcp/http]' has a bad port or port range (0..65535)" },
	{ "port without protocol", CHILD("local_ts = \"10.0.0.0/24[/443]\";"),
	  "t.conf:6: ike.connections.c1.children.net.local_ts: "
	  "'10.0.0.0/24[/443]' has a port but no protocol (e.g. [tcp/443])" },
	{ "bad proposal keyword", CONN("vg1", "proposals = "
	  "[ \"aes256gcm-prfsha384-ecp384\" ];"), "t.conf:6: ike.connections."
	  "c1.proposals[0]: unknown algorithm 'aes256gcm' in "
	  "'aes256gcm-prfsha384-ecp384' (did you mean 'aes256gcm16'?)" },
	{ "weak proposal keyword", CHILD("esp_proposals = \"3des-sha1\";"),
	  "t.conf:6: ike.connections.c1.children.net.esp_proposals: '3des' in "
	  "'3des-sha1' is not supported (weak or obsolete)" },
	{ "IKE proposal without KE", "ike = { proposals = {\n ike = "
	  "\"aes128-sha256\"; }; };\n" HA_OK, "t.conf:2: ike.proposals.ike: "
	  "'aes128-sha256' has no key exchange method (e.g. ecp384)" },
	{ "AEAD with integrity", "ike = { proposals = {\n esp = "
	  "\"aes128gcm16-sha256\"; }; };\n" HA_OK, "t.conf:2: ike.proposals."
	  "esp: 'aes128gcm16-sha256': an AEAD cipher takes no integrity "
	  "algorithm" },
	{ "dangling vip_group", CONN("vg2", ""),
	  "t.conf:2: ike.connections.c1.vip_group: no group 'vg2' in "
	  "ha.groups (did you mean 'vg1'?)" },
	{ "local address not a VIP", CONN("vg1", "local_addrs = [ "
	  "\"192.0.2.1\", \"192.0.2.9\" ];"), "t.conf:6: ike.connections.c1."
	  "local_addrs[1]: '192.0.2.9' is not a VIP of group 'vg1'" },
	{ "no secret for a psk connection", "ike = { connections = {\n c1 = {\n"
	  "  vip_group = \"vg1\";\n  local = {\n   auth = \"psk\";\n"
	  "   id = \"a.example\";\n  };\n  remote = { auth = \"psk\"; id = "
	  "\"b.example\"; };\n  children = { c = { }; };\n };\n}; };\n" HA_OK,
	  "t.conf:5: ike.connections.c1.local.auth: psk, but no entry in "
	  "ike.secrets has id 'a.example' or 'b.example'" },
	{ "unknown enum value", CONN("vg1", "dpd_action = \"restrat\";"),
	  "t.conf:6: ike.connections.c1.dpd_action: 'restrat' is not one of: "
	  "clear, restart, none (did you mean 'restart'?)" },
	{ "IKEv1", CONN("vg1", "version = 1;"), "t.conf:6: ike.connections.c1."
	  "version: only IKEv2 is supported (version = 2)" },
	{ "life not above rekey", CHILD("rekey_time = \"1h\"; life_time = "
	  "\"1h\";"), "t.conf:6: ike.connections.c1.children.net.life_time: "
	  "must be greater than rekey_time (3600)" },
	{ "start without a peer address", CHILD("start_action = \"start\";"),
	  "t.conf:6: ike.connections.c1.children.net.start_action: start_action "
	  "= start initiates, but remote_addrs holds no single address to "
	  "initiate to" },
	{ "relative path", "ike = { connections = { c1 = {\n"
	  " vip_group = \"vg1\";\n local = { auth = \"pubkey\"; certs = "
	  "\"hub.pem\"; key = \"/k\"; };\n};};};\n" HA_OK,
	  "t.conf:3: ike.connections.c1.local.certs: 'hub.pem' is not an "
	  "absolute path" },
	{ "name too long", "ike = { connections = {\n " NAME64 " = { }; }; };\n"
	  HA_OK, "t.conf:2: ike.connections." NAME64 ": not a valid name "
	  "(1..63 of A-Z a-z 0-9 _ -)" },
	{ "'*' in a name", "ike = { connections = {\n a*b = { }; }; };\n"
	  HA_OK, "t.conf:2: ike.connections.a*b: not a valid name (1..63 of "
	  "A-Z a-z 0-9 _ -)" },
	{ "odd hex secret", "ike = { secrets = { s = {\n type = \"ike\";\n"
	  " secret = \"0xabc\"; }; }; };\n" HA_OK, "t.conf:3: ike.secrets.s."
	  "secret: not an even number of hex digits after 0x" },
	{ "one id in two secrets", "ike = { secrets = {\n"
	  " a = { type = \"ike\"; id = \"x.example\"; secret = \"1\"; };\n"
	  " b = { type = \"ike\"; id = [ \"y\", \"x.example\" ]; secret = \"2\";"
	  " };\n}; };\n" HA_OK, "t.conf:3: ike.secrets.b.id: 'x.example' is "
	  "also in secret 'a'" },
	{ "one id twice in a secret", "ike = { secrets = { a = {\n"
	  " type = \"ike\"; id = [ \"@x.example\",\n \"fqdn:x.example\" ];"
	  " secret = \"1\"; }; }; };\n" HA_OK, "t.conf:3: ike.secrets.a."
	  "id[1]: 'fqdn:x.example' is listed twice" },
	{ "empty list", CONN("vg1", "remote_addrs = [ ];"), "t.conf:6: "
	  "ike.connections.c1.remote_addrs: empty list (leave the key out "
	  "instead)" },
	{ "takeover_rt_priority above corosync's", "ha = { "
	  "takeover_rt_priority = 99; groups = { }; };\n",
	  "t.conf:1: ha.takeover_rt_priority: 99 is out of range (0..98)" },
	{ "standby_preinstall not a boolean", "ha = { "
	  "standby_preinstall = 1; groups = { }; };\n",
	  "t.conf:1: ha.standby_preinstall: expected true or false, got an "
	  "integer" },
	{ "priority 255", "ha = { priority = 255; groups = { }; };\n",
	  "t.conf:1: ha.priority: 255 is for the address owner, and a VIP has "
	  "none (1..254)" },
	{ "advert_interval range", "ha = { groups = { g = {\n vrid = 1; "
	  "interface = \"e\"; vips = \"192.0.2.1\";\n advert_interval = 4096;"
	  "\n}; }; };\n", "t.conf:3: ha.groups.g.advert_interval: 4096 is out "
	  "of range (1..4095)" },
	{ "VIP on a bad interface name", "ha = { groups = { g = {\n vrid = 1; "
	  "interface = \"e\";\n vips = \"192.0.2.1 dev a/b\";\n}; }; };\n",
	  "t.conf:3: ha.groups.g.vips: '192.0.2.1 dev a/b': 'a/b' is not an "
	  "interface name" },
	{ "no groups", "ha = {\n groups = { };\n};\n",
	  "t.conf:2: ha.groups: no VIP group defined" },
	{ "duplicate vrid on an interface", "ha = { groups = {\n"
	  " a = { vrid = 7; interface = \"eth0\"; vips = \"192.0.2.1\"; };\n"
	  " b = {\n  vrid = 7; interface = \"eth0\"; vips = \"192.0.2.2\"; };\n"
	  "}; };\n", "t.conf:4: ha.groups.b.vrid: vrid 7 on eth0 is already used "
	  "by group 'a'" },
	{ "one VIP in two groups", "ha = { groups = {\n"
	  " a = { vrid = 7; interface = \"eth0\"; vips = \"192.0.2.1/24\"; };\n"
	  " b = { vrid = 8; interface = \"eth0\"; vips = [ \"192.0.2.3\",\n"
	  " \"192.0.2.1/32\" ]; };\n}; };\n", "t.conf:4: ha.groups.b.vips[1]: "
	  "'192.0.2.1/32' is also a VIP of group 'a'" },
	{ "bad interface name", "ha = { groups = { g = { vrid = 1;\n"
	  "interface = \"a/b\"; vips = \"192.0.2.1\"; }; }; };\n",
	  "t.conf:2: ha.groups.g.interface: 'a/b' is not an interface name" },
	{ "track_scripts needs a path", "ha = { groups = { g = { vrid = 1; "
	  "interface = \"e\"; vips = \"192.0.2.1\";\n track_scripts = ( {\n"
	  " interval = 5; } ); }; }; };\n", "t.conf:2: ha.groups.g."
	  "track_scripts[0]: missing required key 'path'" },
	{ "preempt_delay without preempt", "ha = { groups = { g = { vrid = 1; "
	  "interface = \"e\"; vips = \"192.0.2.1\";\n preempt = false;\n"
	  " preempt_delay = 10; }; }; };\n", "t.conf:3: ha.groups.g."
	  "preempt_delay: has no effect with preempt = false" },
	{ "vmac_name without use_vmac", "ha = { groups = { g = { vrid = 1; "
	  "interface = \"e\"; vips = \"192.0.2.1\";\n vmac_name = \"v1\";"
	  " }; }; };\n", "t.conf:2: ha.groups.g.vmac_name: has no effect "
	  "without use_vmac = true" },
	{ "vmac_name too long", "ha = { groups = { g = { vrid = 1; "
	  "interface = \"e\"; vips = \"192.0.2.1\";\n use_vmac = true;\n"
	  " vmac_name = \"vrrp.0123456789a\"; }; }; };\n", "t.conf:3: "
	  "ha.groups.g.vmac_name: 'vrrp.0123456789a' is not an interface "
	  "name" },
	{ "vmac_name is the interface", "ha = { groups = { g = { vrid = 1; "
	  "interface = \"e\"; vips = \"192.0.2.1\";\n use_vmac = true;\n"
	  " vmac_name = \"e\"; }; }; };\n", "t.conf:3: ha.groups.g.vmac_name: "
	  "'e' is the group's interface, not a name for its macvlan" },
	{ "a VIP on the macvlan", "ha = { groups = { g = { vrid = 1; "
	  "interface = \"e\";\n vips = [ \"192.0.2.1 dev vrrp.1\" ];\n"
	  " use_vmac = true; }; }; };\n", "t.conf:2: ha.groups.g.vips: a VIP "
	  "on vrrp.1, the macvlan: VIPs on the group's interface go there by "
	  "themselves" },
	{ "two groups, one macvlan", "ha = { groups = {\n"
	  " a = { vrid = 7; interface = \"eth0\"; vips = \"192.0.2.1\";\n"
	  " use_vmac = true; };\n b = { vrid = 7; interface = \"eth1\";"
	  " vips = \"192.0.2.2\";\n use_vmac = true; }; }; };\n",
	  "t.conf:4: ha.groups.b: macvlan vrrp.7 clashes with group 'a' "
	  "(vmac_name sets another)" },
	{ "a group's interface is another's macvlan", "ha = { groups = {\n"
	  " a = { vrid = 7; interface = \"eth0\"; vips = \"192.0.2.1\";\n"
	  " use_vmac = true; };\n b = { vrid = 8;\n interface = \"vrrp.7\";"
	  " vips = \"192.0.2.2\"; }; }; };\n", "t.conf:5: ha.groups.b."
	  "interface: vrrp.7 is the macvlan of group 'a'" },
	{ "lease vs aevent threshold", "sync = { lease_packets = 4096;\n"
	  "aevent_replay_threshold = 4096; };\n" HA_OK, "t.conf:2: sync."
	  "aevent_replay_threshold: aevent_replay_threshold 4096 must be at "
	  "most half of lease_packets (4096)" },
	{ "lease below the default aevent threshold", "sync = {\n"
	  "lease_packets = 1024; };\n" HA_OK, "t.conf:1: sync: the default "
	  "aevent_replay_threshold 1024 must be at most half of lease_packets "
	  "(1024)" },
	{ "ports clash", "ike = { port = 4500; };\n" HA_OK, "t.conf:1: "
	  "ike.port: must differ from port_nat_t (4500)" },
	{ "unknown key, transposed", CONN("vg1", "rekey_tiem = 1;"),
	  "t.conf:6: ike.connections.c1.rekey_tiem: unknown key (did you mean "
	  "'rekey_time'?)" },
	{ "unknown key, too short to guess", "ike = { connections = { c1 = {\n"
	  " local = { ab = 1; }; }; }; };\n" HA_OK, "t.conf:2: ike.connections."
	  "c1.local.ab: unknown key" },
	{ "@include refused in a string", "ike = {\n  @include \"x.conf\"\n"
	  "};\n" HA_OK, "t.conf:2: @include is not allowed here (no directory "
	  "to resolve it against)" },
	{ "empty input", "", "t.conf:1: missing required section 'ha'" },
};

static void
test_errors(void)
{
	struct tnd_cfg	*cfg;
	size_t		 i;

	for (i = 0; i < nitems(errors); i++) {
		cfg = load_str(errors[i].text);
		CU_ASSERT_PTR_NULL(cfg);
		cfg_free(cfg);
		if (strcmp(errbuf, errors[i].want) != 0)
			fprintf(stderr, "\n%s:\n  got  %s\n  want %s\n",
			    errors[i].what, errbuf, errors[i].want);
		CU_ASSERT_STRING_EQUAL(errbuf, errors[i].want);
		CU_ASSERT_PTR_NULL(strchr(errbuf, '\n'));
	}
}

/* Errors from files: the file named is the one holding the problem. */
static void
test_error_files(void)
{
	static const struct {
		const char	*file;
		const char	*where;		/* file:line */
		const char	*want;
	} cases[] = {
		{ "cfg/bad/syntax.conf", "cfg/bad/syntax.conf:3",
		  "syntax error" },
		{ "cfg/bad/include_syntax.conf", "cfg/bad/syntax.conf:3",
		  "syntax error" },
		{ "cfg/bad/include.conf", "cfg/bad/include.inc:2",
		  "ike.prot: unknown key (did you mean 'port'?)" },
		{ "cfg/bad/int_overflow.conf", "cfg/bad/int_overflow.inc:3",
		  "integer 5000000000 does not fit in 32 bits (write "
		  "5000000000L for a 64-bit integer)" },
		{ "cfg/bad/no-such-file.conf", "cfg/bad/no-such-file.conf:1",
		  "cannot read: No such file or directory" },
	};
	struct tnd_cfg	*cfg;
	char		 want[CFG_ERR_MAX];
	size_t		 i;

	for (i = 0; i < nitems(cases); i++) {
		cfg = load_file(cases[i].file);
		CU_ASSERT_PTR_NULL(cfg);
		cfg_free(cfg);
		snprintf(want, sizeof(want), "%s/%s: %s", unit_datadir(),
		    cases[i].where, cases[i].want);
		if (strcmp(errbuf, want) != 0)
			fprintf(stderr, "\n%s:\n  got  %s\n  want %s\n",
			    cases[i].file, errbuf, want);
		CU_ASSERT_STRING_EQUAL(errbuf, want);
	}
}

/* A message that does not fit is cut, still NUL-terminated. */
static void
test_error_truncated(void)
{
	struct tnd_cfg	*cfg = NULL;
	char		 small[12];

	memset(small, 'x', sizeof(small));
	CU_ASSERT_EQUAL(cfg_load_string("ike = { port = 0; };\n", "t.conf",
	    &cfg, small, sizeof(small)), -1);
	CU_ASSERT_PTR_NULL(cfg);
	CU_ASSERT_STRING_EQUAL(small, "t.conf:1: i");
	CU_ASSERT_EQUAL(cfg_load_string("ha = 1;", "t.conf", &cfg, small, 0),
	    -1);
}

/* --- proposals ----------------------------------------------------------- */

static void
test_proposals(void)
{
	static const struct {
		const char		*in;
		enum cfg_prop_kind	 kind;
		const char		*out;	/* canonical, NULL = error */
		const char		*why;
	} t[] = {
		{ "aes256gcm16-prfsha384-ecp384", CFG_PROP_IKE,
		  "aes256gcm16-prfsha384-ecp384", NULL },
		{ "aes128-sha256-modp2048", CFG_PROP_IKE,
		  "aes128-sha256-prfsha256-modp2048", NULL },
		{ "aes256-sha512-sha384-ecp521-ecp256", CFG_PROP_IKE,
		  "aes256-sha512-sha384-prfsha512-prfsha384-ecp521-ecp256",
		  NULL },
		{ "chacha20poly1305-prfsha256-curve25519", CFG_PROP_IKE,
		  "chacha20poly1305-prfsha256-x25519", NULL },
		{ "aes128gcm128-prfsha256-x25519", CFG_PROP_IKE,
		  "aes128gcm16-prfsha256-x25519", NULL },
		{ "aes192gcm16-aes256gcm16", CFG_PROP_ESP,
		  "aes192gcm16-aes256gcm16", NULL },
		{ "aes256gcm16-esn", CFG_PROP_ESP, "aes256gcm16-esn", NULL },
		{ "aes256gcm16-noesn", CFG_PROP_ESP, "aes256gcm16", NULL },
		{ "aes192-sha384-x448", CFG_PROP_ESP, "aes192-sha384-x448",
		  NULL },
		{ "aes256gcm16-ecp384", CFG_PROP_IKE, NULL,
		  "'aes256gcm16-ecp384' has no PRF (an AEAD cipher needs one, "
		  "e.g. prfsha384)" },
		{ "aes128-ecp256", CFG_PROP_ESP, NULL, "'aes128-ecp256' has no "
		  "integrity algorithm (e.g. sha256)" },
		{ "sha256-ecp256", CFG_PROP_ESP, NULL, "'sha256-ecp256' has no "
		  "encryption algorithm (e.g. aes256gcm16)" },
		{ "aes128-aes128gcm16-sha256", CFG_PROP_ESP, NULL,
		  "'aes128-aes128gcm16-sha256' mixes AEAD and non-AEAD "
		  "ciphers" },
		{ "aes128-sha256-sha256", CFG_PROP_ESP, NULL, "'sha256' appears "
		  "twice in 'aes128-sha256-sha256'" },
		{ "aes128-sha256-esn-modp2048", CFG_PROP_IKE, NULL, "'esn' in "
		  "'aes128-sha256-esn-modp2048': esn/noesn are for ESP "
		  "proposals only" },
		{ "aes128-sha256-prfsha256", CFG_PROP_ESP, NULL, "'prfsha256' "
		  "in 'aes128-sha256-prfsha256': a PRF is for IKE proposals "
		  "only" },
		{ "aes128--sha256", CFG_PROP_ESP, NULL, "empty algorithm in "
		  "'aes128--sha256'" },
		{ "", CFG_PROP_ESP, NULL, "empty algorithm in ''" },
		{ "aes128-sha256-modp1024", CFG_PROP_ESP, NULL, "'modp1024' in "
		  "'aes128-sha256-modp1024' is not supported (weak or "
		  "obsolete)" },
		{ "aes128-sha265", CFG_PROP_ESP, NULL, "unknown algorithm "
		  "'sha265' in 'aes128-sha265' (did you mean 'sha256'?)" },
	};
	struct cfg_proposal	 p;
	char			 why[256], buf[256];
	size_t			 i;
	int			 rc;

	for (i = 0; i < nitems(t); i++) {
		why[0] = '\0';
		rc = cfg_proposal_parse(t[i].in, t[i].kind, &p, why,
		    sizeof(why));
		if (t[i].out == NULL) {
			CU_ASSERT_EQUAL(rc, -1);
			if (strcmp(why, t[i].why) != 0)
				fprintf(stderr, "\n%s: got %s\n", t[i].in,
				    why);
			CU_ASSERT_STRING_EQUAL(why, t[i].why);
			continue;
		}
		CU_ASSERT_EQUAL_FATAL(rc, 0);
		prop_is(&p, t[i].kind, t[i].out);
		/* canonical text parses back to the same proposal */
		CU_ASSERT_EQUAL_FATAL(cfg_proposal_fmt(&p, t[i].kind, buf,
		    sizeof(buf)), 0);
		prop_is(&p, t[i].kind, buf);
	}
	/* IANA numbers for every keyword family */
	CU_ASSERT_EQUAL_FATAL(cfg_proposal_parse("aes128-aes192-aes256-sha256-"
	    "sha384-sha512-modp2048-ecp256-ecp384-ecp521-x25519-x448",
	    CFG_PROP_IKE, &p, why, sizeof(why)), 0);
	CU_ASSERT_EQUAL(p.nencr, 3);
	CU_ASSERT_EQUAL(p.encr[0].id, 12);
	CU_ASSERT_EQUAL(p.encr[1].keylen, 192);
	CU_ASSERT_EQUAL(p.integ[0], 12);
	CU_ASSERT_EQUAL(p.integ[1], 13);
	CU_ASSERT_EQUAL(p.integ[2], 14);
	CU_ASSERT_EQUAL(p.nprf, 3);
	CU_ASSERT_EQUAL(p.prf[0], 5);
	CU_ASSERT_EQUAL(p.prf[1], 6);
	CU_ASSERT_EQUAL(p.prf[2], 7);
	CU_ASSERT_EQUAL(p.nke, 6);
	CU_ASSERT_EQUAL(p.ke[0], 14);
	CU_ASSERT_EQUAL(p.ke[1], 19);
	CU_ASSERT_EQUAL(p.ke[2], 20);
	CU_ASSERT_EQUAL(p.ke[3], 21);
	CU_ASSERT_EQUAL(p.ke[4], 31);
	CU_ASSERT_EQUAL(p.ke[5], 32);
	CU_ASSERT(!p.aead);
	CU_ASSERT_EQUAL_FATAL(cfg_proposal_parse("aes128gcm16-aes256gcm16-"
	    "chacha20poly1305-esn", CFG_PROP_ESP, &p, why, sizeof(why)), 0);
	CU_ASSERT_EQUAL(p.encr[0].id, 20);
	CU_ASSERT_EQUAL(p.encr[0].keylen, 128);
	CU_ASSERT_EQUAL(p.encr[2].id, 28);
	CU_ASSERT_EQUAL(p.nesn, 1);
	CU_ASSERT_EQUAL(p.esn[0], 1);
	CU_ASSERT(p.aead);
	CU_ASSERT_STRING_EQUAL(cfg_xform_name(CFG_XF_KE, 31, 0), "x25519");
	CU_ASSERT_STRING_EQUAL(cfg_xform_name(CFG_XF_ENCR, 12, 64), "?");
	CU_ASSERT_EQUAL(cfg_proposal_fmt(&p, CFG_PROP_ESP, buf, 10), -1);
}

/* --- selectors, addresses, identities ------------------------------------- */

static void
test_ts(void)
{
	static const struct {
		const char	*in;
		const char	*out;	/* NULL: must fail with why */
		const char	*why;
	} t[] = {
		{ "10.0.0.0/8", "10.0.0.0/8", NULL },
		{ "10.1.2.3", "10.1.2.3", NULL },
		{ "0.0.0.0/0", "0.0.0.0/0", NULL },
		{ "::/0", "::/0", NULL },
		{ "10.0.0.5-10.0.0.9", "10.0.0.5-10.0.0.9", NULL },
		{ "10.0.0.0-10.0.0.255", "10.0.0.0/24", NULL },
		{ "10.0.0.0/24[tcp]", "10.0.0.0/24[6]", NULL },
		{ "10.0.0.0/24[udp/53]", "10.0.0.0/24[17/53]", NULL },
		{ "10.0.0.0/24[sctp/1-1024]", "10.0.0.0/24[132/1-1024]", NULL },
		{ "10.0.0.0/24[47]", "10.0.0.0/24[47]", NULL },
		{ "10.0.0.0/24[%any/%any]", "10.0.0.0/24", NULL },
		{ "2001:db8::/32[ipv6-icmp/128]", "2001:db8::/32[58/128]", NULL },
		{ "dynamic", "dynamic", NULL },
		{ "dynamic[tcp/22]", "dynamic[6/22]", NULL },
		{ "10.0.0.1/24", NULL, "'10.0.0.1/24' has host bits set after "
		  "the prefix length" },
		{ "10.0.0.9-10.0.0.5", NULL, "'10.0.0.9-10.0.0.5' is an empty "
		  "range" },
		{ "10.0.0.1-2001:db8::1", NULL, "'10.0.0.1-2001:db8::1' mixes "
		  "IPv4 and IPv6" },
		{ "10.0.0.0/24[tcp/443", NULL, "'10.0.0.0/24[tcp/443' has an "
		  "unclosed [" },
		{ "10.0.0.0/24[tcp/2-1]", NULL, "'10.0.0.0/24[tcp/2-1]' has a "
		  "bad port or port range (0..65535)" },
		{ "10.0.0.0/24[tcp/65536]", NULL, "'10.0.0.0/24[tcp/65536]' has "
		  "a bad port or port range (0..65535)" },
		{ "10.0.0.0/24[foo]", NULL, "'10.0.0.0/24[foo]' has an unknown "
		  "protocol (tcp, udp, icmp, ipv6-icmp, sctp, gre or a "
		  "number)" },
		{ "10.0.0.0/24[icmp/256]", NULL, "'10.0.0.0/24[icmp/256]' has a "
		  "bad ICMP type (0..255)" },
		{ "10.0.0.0/33", NULL, "'10.0.0.0/33' has a bad prefix length" },
		{ "host.example", NULL, "'host.example' is not a traffic "
		  "selector (dynamic, an address, a prefix or a range, then "
		  "optionally [proto/port])" },
	};
	struct cfg_ts	 ts;
	char		 why[256];
	size_t		 i;

	for (i = 0; i < nitems(t); i++) {
		why[0] = '\0';
		if (t[i].out == NULL) {
			CU_ASSERT_EQUAL(cfg_ts_parse(t[i].in, &ts, why,
			    sizeof(why)), -1);
			if (strcmp(why, t[i].why) != 0)
				fprintf(stderr, "\n%s: got %s\n", t[i].in,
				    why);
			CU_ASSERT_STRING_EQUAL(why, t[i].why);
			continue;
		}
		if (cfg_ts_parse(t[i].in, &ts, why, sizeof(why)) != 0)
			fprintf(stderr, "\n%s: %s\n", t[i].in, why);
		CU_ASSERT_EQUAL_FATAL(cfg_ts_parse(t[i].in, &ts, why,
		    sizeof(why)), 0);
		ts_is(&ts, t[i].out);
	}
	CU_ASSERT_EQUAL_FATAL(cfg_ts_parse("10.0.0.0/24[tcp/80-88]", &ts, why,
	    sizeof(why)), 0);
	CU_ASSERT_EQUAL(ts.family, CFG_AF_INET);
	CU_ASSERT_EQUAL(ts.proto, 6);
	CU_ASSERT_EQUAL(ts.port_lo, 80);
	CU_ASSERT_EQUAL(ts.port_hi, 88);
	CU_ASSERT_EQUAL(ts.end[3], 255);
}

static void
test_addr(void)
{
	struct cfg_addr	 a;
	char		 why[256];

	CU_ASSERT_EQUAL(cfg_addr_parse("%any", &a, why, sizeof(why)), 0);
	CU_ASSERT_EQUAL(a.family, CFG_AF_ANY);
	CU_ASSERT_EQUAL(cfg_addr_parse("%any6", &a, why, sizeof(why)), 0);
	CU_ASSERT_EQUAL(a.family, CFG_AF_INET6);
	CU_ASSERT_EQUAL(a.plen, 0);
	CU_ASSERT_EQUAL(cfg_addr_parse("2001:db8::1", &a, why, sizeof(why)),
	    0);
	CU_ASSERT_EQUAL(a.plen, 128);
	CU_ASSERT_EQUAL(a.addr[0], 0x20);
	CU_ASSERT_EQUAL(a.addr[15], 1);
	CU_ASSERT_EQUAL(cfg_addr_parse("192.0.2.0/24", &a, why, sizeof(why)),
	    0);
	CU_ASSERT_EQUAL(a.plen, 24);
	CU_ASSERT_EQUAL(cfg_addr_parse("192.0.2.0/", &a, why, sizeof(why)),
	    -1);
	CU_ASSERT_STRING_EQUAL(why, "'192.0.2.0/' has a bad prefix length");
	CU_ASSERT_EQUAL(cfg_addr_parse("192.0.2", &a, why, sizeof(why)), -1);
	CU_ASSERT_EQUAL(cfg_addr_parse("192.0.2.1/+8", &a, why, sizeof(why)),
	    -1);
	CU_ASSERT_EQUAL(cfg_addr_parse("fe80::1%eth0", &a, why, sizeof(why)),
	    -1);
}

static void
test_id(void)
{
	static const struct {
		const char		*in;
		enum cfg_id_type	 type;
		const char		*data;	/* hex of the payload data */
	} t[] = {
		{ "192.0.2.1",		CFG_ID_IPV4,	"c0000201" },
		{ "ipv4:192.0.2.1",	CFG_ID_IPV4,	"c0000201" },
		{ "2001:db8::1",	CFG_ID_IPV6,
		  "20010db8000000000000000000000001" },
		{ "hub.example.net",	CFG_ID_FQDN,	"6875622e6578616d706c652e6e6574" },
		{ "@hub",		CFG_ID_FQDN,	"687562" },
		{ "fqdn:192.0.2.1",	CFG_ID_FQDN,	"3139322e302e322e31" },
		{ "ops@example.net",	CFG_ID_RFC822,
		  "6f7073406578616d706c652e6e6574" },
		{ "@@ops",		CFG_ID_RFC822,	"6f7073" },
		{ "email:ops",		CFG_ID_RFC822,	"6f7073" },
		{ "C=CH, O=X",		CFG_ID_DN,	"433d43482c204f3d58" },
		{ "@#0a1B",		CFG_ID_KEY_ID,	"0a1b" },
		{ "keyid:0xff00",	CFG_ID_KEY_ID,	"ff00" },
		{ "keyid:ab",		CFG_ID_KEY_ID,	"6162" },
		{ "%any",		CFG_ID_ANY,	"" },
	};
	struct cfg_id	 id, id2;
	unsigned char	 want[64];
	char		 why[256];
	long		 n;
	size_t		 i;

	for (i = 0; i < nitems(t); i++) {
		CU_ASSERT_EQUAL_FATAL(cfg_id_parse(t[i].in, &id, why,
		    sizeof(why)), 0);
		CU_ASSERT_EQUAL(id.type, t[i].type);
		n = unit_unhex(t[i].data, want, sizeof(want));
		CU_ASSERT_EQUAL(id.len, (size_t)n);
		if (n > 0)
			UNIT_ASSERT_BYTES(id.data, want, (size_t)n);
		CU_ASSERT_EQUAL_FATAL(cfg_id_parse(t[i].in, &id2, why,
		    sizeof(why)), 0);
		CU_ASSERT(cfg_id_eq(&id, &id2));
		cfg_id_fini(&id);
		cfg_id_fini(&id2);
	}
	CU_ASSERT_EQUAL(cfg_id_parse("ipv4:hub", &id, why, sizeof(why)), -1);
	CU_ASSERT_STRING_EQUAL(why, "identity 'ipv4:hub' is not an address of "
	    "its type");
	CU_ASSERT_EQUAL(cfg_id_parse("@#abc", &id, why, sizeof(why)), -1);
	CU_ASSERT_STRING_EQUAL(why, "identity '@#abc' has bad hex");
	CU_ASSERT_EQUAL(cfg_id_parse("fqdn:", &id, why, sizeof(why)), -1);
	CU_ASSERT_EQUAL(cfg_id_parse("", &id, why, sizeof(why)), -1);
	CU_ASSERT_STRING_EQUAL(why, "empty identity");
	/* same text, different types: not equal */
	CU_ASSERT_EQUAL_FATAL(cfg_id_parse("fqdn:ops", &id, why, sizeof(why)),
	    0);
	CU_ASSERT_EQUAL_FATAL(cfg_id_parse("email:ops", &id2, why,
	    sizeof(why)), 0);
	CU_ASSERT(!cfg_id_eq(&id, &id2));
	cfg_id_fini(&id);
	cfg_id_fini(&id2);
	cfg_id_fini(NULL);
}

/* --- secrets and their release -------------------------------------------- */

static void
test_secrets(void)
{
	static const uint8_t	 k[] = { 0x01, 0x23, 0xab, 0xcd };
	struct tnd_cfg		*cfg;
	size_t			 i;

	cfg = load_str(CONN("vg1", "") );
	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	CU_ASSERT_EQUAL_FATAL(cfg->ike.nsecrets, 1);
	CU_ASSERT_EQUAL(cfg->ike.secrets[0].psk->len, 1);
	CU_ASSERT_EQUAL(cfg->ike.secrets[0].psk->data[0], 'k');
	/* the secret names a.example: found for the connection's ids */
	CU_ASSERT_PTR_EQUAL(cfg_psk_find(cfg, &cfg->ike.conns[0].local.id,
	    &cfg->ike.conns[0].remote.id), cfg->ike.secrets[0].psk);
	CU_ASSERT_PTR_NULL(cfg_psk_find(cfg, NULL, NULL));
	cfg_free(cfg);

	cfg = load_str("ike = { secrets = { s = { type = \"ike\"; "
	    "secret = \"0X0123abCD\"; }; }; };\n" HA_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	CU_ASSERT_EQUAL_FATAL(cfg->ike.secrets[0].psk->len, sizeof(k));
	UNIT_ASSERT_BYTES(cfg->ike.secrets[0].psk->data, k, sizeof(k));
	/* a secret with no id matches anything */
	CU_ASSERT_PTR_EQUAL(cfg_psk_find(cfg, NULL, NULL),
	    cfg->ike.secrets[0].psk);
	cfg_free(cfg);

	CU_ASSERT_PTR_NULL(load_str("ike = { secrets = { s = { type = \"ike\";"
	    " secret = \"0xzz\"; }; }; };\n" HA_OK));
	CU_ASSERT_STRING_EQUAL(errbuf, "t.conf:1: ike.secrets.s.secret: not "
	    "an even number of hex digits after 0x");
	CU_ASSERT_PTR_NULL(load_str("ike = { secrets = { s = { type = \"ike\";"
	    " secret = \"0x\"; }; }; };\n" HA_OK));
	CU_ASSERT_PTR_NULL(load_str("ike = { secrets = { s = { type = \"ike\";"
	    " secret = \"\"; }; }; };\n" HA_OK));
	CU_ASSERT_STRING_EQUAL(errbuf, "t.conf:1: ike.secrets.s.secret: empty "
	    "secret");
	CU_ASSERT_PTR_NULL(load_str("ike = { secrets = { s = { type = \"ppk\";"
	    " secret = \"x\"; }; }; };\n" HA_OK));
	CU_ASSERT_STRING_EQUAL(errbuf, "t.conf:1: ike.secrets.s.type: 'ppk' is "
	    "not one of: ike");
	CU_ASSERT_PTR_NULL(load_str("ike = { secrets = { s = { type = \"ike\";"
	    " id = \"%any\"; secret = \"x\"; }; }; };\n" HA_OK));
	CU_ASSERT_STRING_EQUAL(errbuf, "t.conf:1: ike.secrets.s.id: %any "
	    "matches nothing here (leave id out for a secret that matches any "
	    "identity)");

	/*
	 * cfg_free wipes the keys (secbuf_free: OPENSSL_cleanse) and frees
	 * everything: under ASan a leak on any path fails the run.  Load
	 * and free repeatedly, and fail at every kind of error after
	 * secrets were read, so each partial state is released too.
	 */
	for (i = 0; i < 50; i++) {
		cfg = load_file("cfg/good/full.conf");
		CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
		cfg_free(cfg);
	}
	for (i = 0; i < nitems(errors); i++)
		cfg_free(load_str(errors[i].text));
	cfg_free(NULL);
}

/* cfg_conn_find(): names given in no order are all found (a binary
 * search of the sorted index), names between them are not. */
static void
test_conn_find_many(void)
{
	static char		 text[40000];
	struct tnd_cfg		*cfg;
	const struct cfg_conn	*cn;
	char			 name[16];
	size_t			 len = 0;
	unsigned int		 i, k;

	len += (size_t)snprintf(text + len, sizeof(text) - len,
	    "ike = { connections = {\n");
	for (i = 0; i < 97; i++) {
		k = (i * 37) % 97;	/* a permutation of 0..96 */
		len += (size_t)snprintf(text + len, sizeof(text) - len,
		    " c%03u = { vip_group = \"vg1\"; local_addrs = "
		    "\"192.0.2.1\"; remote_addrs = \"198.51.100.%u\";\n"
		    "  local = { auth = \"psk\"; id = \"a.example\"; };\n"
		    "  remote = { auth = \"psk\"; id = \"b.example\"; };\n"
		    "  children = { net = { local_ts = \"10.1.0.0/16\";"
		    " remote_ts = \"10.2.0.0/16\"; }; }; };\n", 2 * k,
		    k + 1);
	}
	len += (size_t)snprintf(text + len, sizeof(text) - len,
	    "}; secrets = { s = { type = \"ike\"; id = \"a.example\";"
	    " secret = \"0123456789abcdef\"; }; }; };\n" HA_OK);
	CU_ASSERT_FATAL(len < sizeof(text));
	cfg = load_str(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	CU_ASSERT_EQUAL_FATAL(cfg->ike.nconns, 97);
	for (k = 0; k < 97; k++) {
		snprintf(name, sizeof(name), "c%03u", 2 * k);
		cn = cfg_conn_find(cfg, name);
		CU_ASSERT_PTR_NOT_NULL_FATAL(cn);
		CU_ASSERT_STRING_EQUAL(cn->name, name);
		/* the odd ones, below the first and above the last: none */
		snprintf(name, sizeof(name), "c%03u", 2 * k + 1);
		CU_ASSERT_PTR_NULL(cfg_conn_find(cfg, name));
	}
	CU_ASSERT_PTR_NULL(cfg_conn_find(cfg, "a"));
	CU_ASSERT_PTR_NULL(cfg_conn_find(cfg, "c"));
	CU_ASSERT_PTR_NULL(cfg_conn_find(cfg, "z"));
	CU_ASSERT_PTR_NULL(cfg_conn_find(cfg, ""));
	cfg_free(cfg);
}

UNIT_SUITE(cfg, "cfg",
    { "sample etc/tandem.conf", test_sample },
    { "connections found by name", test_conn_find_many },
    { "every key off its default", test_full },
    { "defaults", test_defaults },
    { "error messages", test_errors },
    { "error messages from files", test_error_files },
    { "error truncated", test_error_truncated },
    { "proposals", test_proposals },
    { "traffic selectors", test_ts },
    { "addresses", test_addr },
    { "identities", test_id },
    { "secrets", test_secrets });
