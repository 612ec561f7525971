/*
 * include/tandem/cfg.h -- tandem.conf, validated into plain structs.
 *
 * One file configures the three daemons: `ike` (connections, secrets,
 * default proposals), `sync` (replication) and `ha` (VIP groups).  The
 * syntax is libconfig's; the connection layout follows swanctl.conf.
 * etc/tandem.conf documents every key (it becomes tandem.conf(5)).
 *
 * cfg_load() parses the file with libconfig and checks it against the
 * schema in lib/cfg_*.c in one pass: every key is typed and range-checked,
 * unknown keys and missing required keys are errors, references between
 * sections (a connection's vip_group, its pre-shared key) must resolve.
 * The result is plain data: no libconfig type leaks out of lib/.  Nothing
 * falls back to a default when a value is wrong; a key that is absent takes
 * the default documented in etc/tandem.conf.
 *
 * Errors are one line, "FILE:LINE: KEY: what is wrong", where FILE is the
 * file holding the offending setting (an @include'd file names itself),
 * LINE is that setting's line (for a missing key, the line of the group
 * that lacks it) and KEY is the setting's path, e.g.
 *
 *	tandem.conf:42: ike.connections.hq.children.net.local_ts[0]: ...
 *
 * libconfig's own syntax errors come out the same way without the KEY.
 * Values quoted back in a message have control characters shown as '?',
 * so a message is always one line.
 *
 * Pure apart from reading the file (and its @includes): no logging, no
 * sockets, no globals.  Ownership: cfg_load() hands the caller a struct
 * tnd_cfg that the caller releases with cfg_free(); every pointer inside
 * it is owned by it.
 */
#ifndef TANDEM_CFG_H
#define TANDEM_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tandem/secbuf.h"

#define CFG_NAME_MAX	64	/* connection, child, group, secret, node
				 * names: 1..63 of [A-Za-z0-9_-] */
#define CFG_IFNAME_MAX	16	/* IFNAMSIZ */
#define CFG_ERR_MAX	512	/* error buffer size that fits every message
				 * but one quoting a very long value (cut) */

/* Address families, equal to the kernel's AF_INET / AF_INET6. */
#define CFG_AF_ANY	0
#define CFG_AF_INET	2
#define CFG_AF_INET6	10

/*
 * IKEv2 transform types and ids used by proposals.  The values are IANA's
 * ("Internet Key Exchange Version 2 (IKEv2) Parameters"), so ikev2d can put
 * them on the wire as they are.
 */
enum cfg_xform_type {
	CFG_XF_ENCR	= 1,
	CFG_XF_PRF	= 2,
	CFG_XF_INTEG	= 3,
	CFG_XF_KE	= 4,
	CFG_XF_ESN	= 5,
};

enum cfg_encr {
	CFG_ENCR_AES_CBC		= 12,
	CFG_ENCR_AES_GCM_16		= 20,
	CFG_ENCR_CHACHA20_POLY1305	= 28,
};

enum cfg_prf {
	CFG_PRF_HMAC_SHA2_256	= 5,
	CFG_PRF_HMAC_SHA2_384	= 6,
	CFG_PRF_HMAC_SHA2_512	= 7,
};

enum cfg_integ {
	CFG_INTEG_HMAC_SHA2_256_128	= 12,
	CFG_INTEG_HMAC_SHA2_384_192	= 13,
	CFG_INTEG_HMAC_SHA2_512_256	= 14,
};

enum cfg_ke {
	CFG_KE_MODP2048		= 14,
	CFG_KE_ECP256		= 19,
	CFG_KE_ECP384		= 20,
	CFG_KE_ECP521		= 21,
	CFG_KE_CURVE25519	= 31,
	CFG_KE_CURVE448		= 32,
};

enum cfg_esn {
	CFG_ESN_NONE	= 0,
	CFG_ESN_ON	= 1,
};

#define CFG_PROP_XFORMS	8	/* transforms of one type in one proposal */

struct cfg_xform {
	uint16_t	 id;		/* IANA transform id */
	uint16_t	 keylen;	/* bits, for the Key Length attribute;
					 * 0 = send none (ChaCha20, PRFs ...) */
};

/*
 * One proposal, e.g. "aes256gcm16-prfsha384-ecp384".  Each type lists its
 * transforms in the order written.  For IKE, prf is filled from integ when
 * the string names no PRF (sha256 -> prfsha256, as strongSwan does); for
 * ESP, esn is { CFG_ESN_NONE } unless "esn"/"noesn" is written.
 */
struct cfg_proposal {
	struct cfg_xform encr[CFG_PROP_XFORMS];
	uint16_t	 prf[CFG_PROP_XFORMS];
	uint16_t	 integ[CFG_PROP_XFORMS];
	uint16_t	 ke[CFG_PROP_XFORMS];
	uint16_t	 esn[2];
	uint8_t		 nencr, nprf, ninteg, nke, nesn;
	bool		 aead;		/* encr are AEAD: no integ */
};

enum cfg_prop_kind {
	CFG_PROP_IKE,
	CFG_PROP_ESP,
};

/* An address, a prefix (plen < full) or a wildcard (%any, %any4, %any6). */
struct cfg_addr {
	uint8_t		 family;	/* CFG_AF_INET(6); CFG_AF_ANY = %any */
	uint8_t		 plen;		/* 32 / 128 for one address; 0 for
					 * %any4 / %any6 */
	uint8_t		 addr[16];	/* network order; IPv4 in addr[0..3] */
};

/*
 * A traffic selector (RFC 7296 3.13.1): an inclusive address range, a
 * protocol and an inclusive port range.  "dynamic" stands for the IKE
 * address (or the VIP) of that side, resolved when the SA is set up.
 */
struct cfg_ts {
	bool		 dynamic;	/* then family and addresses are unset */
	uint8_t		 family;	/* CFG_AF_INET or CFG_AF_INET6 */
	uint8_t		 proto;		/* IP protocol; 0 = any */
	uint16_t	 port_lo;	/* 0..65535 = any port; for ICMP the */
	uint16_t	 port_hi;	/* type/code as RFC 4301 4.4.1.3 */
	uint8_t		 start[16];	/* network order */
	uint8_t		 end[16];
};

/* IKE identity types, IANA values (RFC 7296 3.5); ANY is a wildcard. */
enum cfg_id_type {
	CFG_ID_ANY	= 0,
	CFG_ID_IPV4	= 1,
	CFG_ID_FQDN	= 2,
	CFG_ID_RFC822	= 3,
	CFG_ID_IPV6	= 5,
	CFG_ID_DN	= 9,	/* kept as text; ikev2d encodes it to DER */
	CFG_ID_KEY_ID	= 11,
};

struct cfg_id {
	enum cfg_id_type type;
	char		*text;		/* as written; NULL for CFG_ID_ANY */
	uint8_t		*data;		/* ID payload data: 4/16 address bytes,
					 * key id bytes, or the text after any
					 * prefix (no NUL) */
	size_t		 len;
	bool		 wildcard;	/* contains '*': match, don't send */
};

/* A list of strings (paths, ids as written). */
struct cfg_strv {
	char		**v;
	size_t		  n;
};

enum cfg_auth_method {
	CFG_AUTH_PSK	= 1,	/* shared key from ike.secrets */
	CFG_AUTH_PUBKEY	= 2,	/* certificates (RSA, ECDSA, EdDSA) */
};

struct cfg_auth {
	enum cfg_auth_method method;
	struct cfg_id	 id;		/* remote default: CFG_ID_ANY */
	struct cfg_strv	 certs;		/* absolute paths: local: ours (first is
					 * the end entity); remote: pinned */
	char		*key;		/* local pubkey: private key path */
	struct cfg_strv	 cacerts;	/* remote: trust anchors */
	struct cfg_strv	 crls;		/* remote: CRL files */
};

enum cfg_mode {
	CFG_MODE_TUNNEL	= 1,
	CFG_MODE_TRANSPORT,
};

enum cfg_start_action {		/* child start_action and close_action */
	CFG_START_NONE	= 0,
	CFG_START_START,	/* initiate at once (at start / on close) */
	CFG_START_TRAP,		/* install a trap policy, initiate on traffic */
};

enum cfg_dpd_action {
	CFG_DPD_CLEAR	= 0,	/* close the SAs */
	CFG_DPD_RESTART,	/* close and initiate again */
	CFG_DPD_NONE,		/* keep the SAs */
};

enum cfg_frag {			/* IKE fragmentation, RFC 7383 */
	CFG_FRAG_YES	= 0,	/* offer; fragment when the peer agrees */
	CFG_FRAG_ACCEPT,	/* accept fragments, never send them */
	CFG_FRAG_FORCE,		/* fragment IKE_AUTH even if not agreed */
	CFG_FRAG_NO,
};

enum cfg_unique {		/* swanctl "unique": duplicate IKE SAs */
	CFG_UNIQUE_NO	= 0,	/* allow several with one identity pair */
	CFG_UNIQUE_NEVER,	/* and ignore INITIAL_CONTACT */
	CFG_UNIQUE_KEEP,	/* keep the old one, refuse the new one */
	CFG_UNIQUE_REPLACE,	/* delete the old one */
};

enum cfg_send_cert {
	CFG_SEND_CERT_IFASKED = 0,
	CFG_SEND_CERT_ALWAYS,
	CFG_SEND_CERT_NEVER,
};

struct cfg_mark {		/* XFRM mark: (packet mark & mask) == value */
	uint32_t	 value;
	uint32_t	 mask;		/* 0 when no mark is set */
};

struct cfg_child {
	char		 name[CFG_NAME_MAX];
	struct cfg_ts	*local_ts;	/* default: one dynamic selector */
	size_t		 nlocal_ts;
	struct cfg_ts	*remote_ts;
	size_t		 nremote_ts;
	struct cfg_proposal *esp_proposals;	/* default: ike.proposals.esp */
	size_t		 nesp_proposals;
	enum cfg_mode	 mode;
	enum cfg_start_action start_action;
	enum cfg_start_action close_action;	/* START or TRAP or NONE */
	enum cfg_dpd_action dpd_action;		/* default: the connection's */
	uint32_t	 rekey_time_s;	/* 0 = never */
	uint32_t	 life_time_s;	/* hard expiry; > rekey_time_s */
	uint32_t	 rand_time_s;	/* rekey jitter, < life - rekey */
	uint64_t	 rekey_bytes, life_bytes, rand_bytes;	/* 0 = off */
	uint64_t	 rekey_packets, life_packets, rand_packets;
	uint32_t	 replay_window;	/* packets, 0..4096; 0 = off */
	uint32_t	 if_id_in, if_id_out;	/* XFRM interface id, 0 = none */
	struct cfg_mark	 mark_in, mark_out;
	uint32_t	 reqid;		/* 0 = assigned by ikev2d */
};

struct cfg_conn {
	char		 name[CFG_NAME_MAX];
	char		 vip_group[CFG_NAME_MAX];
	size_t		 vip_group_idx;	/* index in tnd_cfg.ha.groups */
	struct cfg_addr	*local_addrs;	/* default: { %any } */
	size_t		 nlocal_addrs;
	struct cfg_addr	*remote_addrs;	/* default: { %any } */
	size_t		 nremote_addrs;
	uint16_t	 local_port;	/* default: ike.port */
	uint16_t	 remote_port;	/* default: 500 */
	uint8_t		 version;	/* always 2 */
	struct cfg_proposal *proposals;	/* default: ike.proposals.ike */
	size_t		 nproposals;
	uint32_t	 dpd_delay_s;	/* 0 = no liveness checks */
	enum cfg_dpd_action dpd_action;
	uint32_t	 rekey_time_s;	/* IKE SA rekey; 0 = never */
	uint32_t	 reauth_time_s;	/* 0 = never */
	uint32_t	 over_time_s;	/* hard limit after rekey/reauth time */
	uint32_t	 rand_time_s;
	uint32_t	 keyingtries;	/* 0 = forever */
	bool		 encap;		/* force UDP encapsulation */
	bool		 mobike;
	bool		 send_certreq;
	enum cfg_frag	 fragmentation;
	enum cfg_unique	 unique;
	enum cfg_send_cert send_cert;
	struct cfg_auth	 local, remote;
	struct cfg_child *children;
	size_t		 nchildren;
};

struct cfg_secret {
	char		 name[CFG_NAME_MAX];
	struct cfg_id	*ids;		/* none: the secret matches any id */
	size_t		 nids;
	struct secbuf	*psk;		/* owned; wiped by cfg_free */
};

struct cfg_ike {
	uint16_t	 port;			/* 500 */
	uint16_t	 port_nat_t;		/* 4500 */
	uint32_t	 cookie_threshold;	/* half-open SAs; 0 = always */
	uint32_t	 block_threshold;	/* half-open per peer; 0 = off */
	uint32_t	 init_limit_half_open;	/* 0 = no limit */
	uint32_t	 retransmit_timeout_ms;
	double		 retransmit_base;
	uint32_t	 retransmit_tries;
	uint32_t	 retransmit_jitter_pct;
	uint32_t	 retransmit_limit_ms;	/* 0 = no cap */
	uint32_t	 fragment_size;		/* bytes */
	struct cfg_proposal *ike_proposals;	/* defaults for connections */
	size_t		 nike_proposals;
	struct cfg_proposal *esp_proposals;	/* defaults for children */
	size_t		 nesp_proposals;
	struct cfg_conn	*conns;
	size_t		 nconns;
	/* conns by name, for cfg_conn_find()'s binary search: an initiator
	 * of thousands of connections looked each up by a walk */
	const struct cfg_conn **conns_by_name;
	struct cfg_secret *secrets;
	size_t		 nsecrets;
};

struct cfg_sync {
	char		 cpg_group[128];	/* CPG name ("tandem") */
	char		 socket_group[33];	/* unix group; "" = root only */
	uint32_t	 lease_packets;		/* ESP sequence lease size */
	uint32_t	 aevent_replay_threshold;	/* packets per AE event */
	uint32_t	 aevent_timer_ms;
	uint32_t	 replay_batch;		/* counter records per message */
	uint32_t	 ack_max_delay_ms;	/* write-ahead ack batching */
	bool		 allow_unencrypted_ring;	/* lab only */
};

struct cfg_track_if {
	char		 name[CFG_IFNAME_MAX];
	int32_t		 weight;	/* -253..253; 0 = FAULT when down */
};

struct cfg_track_script {
	char		*path;		/* absolute */
	uint32_t	 interval_ms;
	uint32_t	 timeout_ms;	/* default: interval */
	int32_t		 weight;	/* -253..253; 0 = FAULT when failing */
	uint32_t	 rise, fall;	/* results needed to change state */
};

struct cfg_group {
	char		 name[CFG_NAME_MAX];
	uint8_t		 vrid;		/* 1..255, unique per interface */
	char		 interface[CFG_IFNAME_MAX];
	struct cfg_addr	*vips;		/* address + prefix length */
	/* Per VIP: the interface it is added to ("ADDR dev IF", as in
	 * keepalived's virtual_ipaddress); "" = the group's interface. */
	char		(*vip_ifs)[CFG_IFNAME_MAX];
	size_t		 nvips;
	uint8_t		 priority;	/* 1..254; default ha.priority */
	bool		 preempt;
	uint32_t	 preempt_delay_s;
	uint16_t	 advert_interval_cs;	/* centiseconds, 1..4095 */
	uint32_t	 garp_count;
	uint32_t	 garp_interval_ms;
	/* keepalived's garp_master_refresh(_repeat): while MASTER, every
	 * garp_refresh_ms (0: never) another garp_refresh_repeat rounds */
	uint32_t	 garp_refresh_ms;
	uint32_t	 garp_refresh_repeat;
	bool		 use_vmac;
	/* the macvlan of use_vmac: "" without, default "vrrp.<vrid>" */
	char		 vmac_name[CFG_IFNAME_MAX];
	struct cfg_track_if *track_ifs;
	size_t		 ntrack_ifs;
	struct cfg_track_script *track_scripts;
	size_t		 ntrack_scripts;
	char		*notify;	/* absolute path or NULL */
	/* keepalived's notify_master, _backup, _fault, _stop: argv
	 * (v[0] an absolute path, at most CFG_NOTIFY_ARGS words); n = 0
	 * when unset */
	struct cfg_strv	 notify_master, notify_backup, notify_fault,
			 notify_stop;
};

#define CFG_NOTIFY_ARGS	32

struct cfg_ha {
	char		 node[CFG_NAME_MAX];	/* "" = the host name */
	uint8_t		 priority;		/* default for groups */
	bool		 maintenance;		/* start drained */
	/* After an unclean takeover, rekey the group's Child SAs spread
	 * over this many ms (0: keep them). */
	uint32_t	 takeover_rekey_spread_ms;
	/* A standby ikev2d keeps the replicated Child SAs in the kernel
	 * (inbound and outbound SAs, inbound and forward policies) so that
	 * a takeover adds only the outbound policies and any counters that
	 * moved since (ikev2d/ike_park.c).  Default true. */
	bool		 standby_preinstall;
	/* ikev2d installs a takeover at this SCHED_RR priority (0: off). */
	uint8_t		 takeover_rt_priority;
	struct cfg_group *groups;		/* at least one */
	size_t		 ngroups;
};

struct tnd_cfg {
	struct cfg_ike	 ike;
	struct cfg_sync	 sync;
	struct cfg_ha	 ha;
};

/*
 * Load and validate path (@include is relative to path's directory).
 * Returns 0 and sets *out, or returns -1, leaves *out NULL and writes
 * exactly one line "PATH:LINE: what is wrong" (no newline) into err.
 * Never partially succeeds.
 */
int	 cfg_load(const char *path, struct tnd_cfg **out, char *err,
	    size_t errlen);
/* The same from a string; name stands for the file in messages.  @include
 * is refused (there is no directory to resolve it against).  text is the
 * caller's and is not wiped. */
int	 cfg_load_string(const char *text, const char *name,
	    struct tnd_cfg **out, char *err, size_t errlen);
/* NULL-safe; wipes the pre-shared keys. */
void	 cfg_free(struct tnd_cfg *);

/* Lookups; NULL when there is none.  The result is borrowed from cfg. */
const struct cfg_group	*cfg_group_find(const struct tnd_cfg *, const char *);
const struct cfg_conn	*cfg_conn_find(const struct tnd_cfg *, const char *);
/*
 * The pre-shared key for an exchange between local and remote (either may
 * be NULL: unknown yet).  Best match first, as swanctl: a secret naming
 * both ids, then one naming either, then one naming none.
 */
const struct secbuf	*cfg_psk_find(const struct tnd_cfg *,
			    const struct cfg_id *local,
			    const struct cfg_id *remote);

/*
 * The string parsers behind the schema; pure.  Each returns 0, or -1 with
 * a reason (no file, no key) in why.
 */
int	 cfg_proposal_parse(const char *, enum cfg_prop_kind,
	    struct cfg_proposal *, char *why, size_t whylen);
/* Canonical text (encr-integ-prf-ke[-esn]); -1 if buf is too small. */
int	 cfg_proposal_fmt(const struct cfg_proposal *, enum cfg_prop_kind,
	    char *buf, size_t len);
int	 cfg_addr_parse(const char *, struct cfg_addr *, char *why,
	    size_t whylen);
int	 cfg_ts_parse(const char *, struct cfg_ts *, char *why, size_t whylen);
/* Fills id; free its members with cfg_id_fini(). */
int	 cfg_id_parse(const char *, struct cfg_id *, char *why, size_t whylen);
void	 cfg_id_fini(struct cfg_id *);
bool	 cfg_id_eq(const struct cfg_id *, const struct cfg_id *);
/* "10.0.0.0/24[tcp/443]"-style text for logs. */
int	 cfg_ts_fmt(const struct cfg_ts *, char *buf, size_t len);

/* The keyword of a transform ("aes256gcm16", "prfsha384"), or "?". */
const char	*cfg_xform_name(enum cfg_xform_type, uint16_t id,
		    uint16_t keylen);
const char	*cfg_auth_method_name(enum cfg_auth_method);
const char	*cfg_mode_name(enum cfg_mode);
const char	*cfg_start_action_name(enum cfg_start_action);
const char	*cfg_dpd_action_name(enum cfg_dpd_action);
const char	*cfg_frag_name(enum cfg_frag);
const char	*cfg_unique_name(enum cfg_unique);
const char	*cfg_send_cert_name(enum cfg_send_cert);
const char	*cfg_id_type_name(enum cfg_id_type);

#endif /* TANDEM_CFG_H */
