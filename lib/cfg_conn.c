/*
 * lib/cfg_conn.c -- one ike.connections entry: its addresses, proposals,
 * timers, local and remote authentication and its children (Child SAs).
 * The keys and defaults are swanctl.conf's (swanctl.conf(5)); what
 * Tandem leaves out is an unknown key, never silently ignored.
 *
 * What is checked here is what the connection alone decides: types and
 * ranges, lifetimes that make sense together (life > rekey > 0 ...),
 * address families that can meet, an initiator that has somewhere to go.
 * What it names elsewhere (vip_group, its PSK) is checked by
 * cfg_ike_refs() once every section is read.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/util.h"
#include "cfg_int.h"

#define UNSET32		UINT32_MAX	/* "not in the file": derive it */
#define UNSET64		UINT64_MAX
#define DAY_S		86400
#define MAX_TIME_S	(365 * DAY_S)
#define MAX_VOLUME	(1LL << 60)	/* bytes or packets */
#define REPLAY_MAX	4096	/* XFRMA_REPLAY_ESN_MAX / 8 bits (kernel) */

/* KT_ENUM stores an int. */
_Static_assert(sizeof(enum cfg_auth_method) == sizeof(int), "enum size");
_Static_assert(sizeof(enum cfg_mode) == sizeof(int), "enum size");
_Static_assert(sizeof(enum cfg_start_action) == sizeof(int), "enum size");
_Static_assert(sizeof(enum cfg_dpd_action) == sizeof(int), "enum size");
_Static_assert(sizeof(enum cfg_frag) == sizeof(int), "enum size");
_Static_assert(sizeof(enum cfg_unique) == sizeof(int), "enum size");
_Static_assert(sizeof(enum cfg_send_cert) == sizeof(int), "enum size");

#define FAM_V4		0x1
#define FAM_V6		0x2

static const struct cfg_kw auth_kw[] = {
	{ "psk",	CFG_AUTH_PSK },
	{ "pubkey",	CFG_AUTH_PUBKEY },
	{ NULL,		0 },
};

static const struct cfg_kw mode_kw[] = {
	{ "tunnel",	CFG_MODE_TUNNEL },
	{ "transport",	CFG_MODE_TRANSPORT },
	{ NULL,		0 },
};

static const struct cfg_kw start_kw[] = {
	{ "none",	CFG_START_NONE },
	{ "start",	CFG_START_START },
	{ "trap",	CFG_START_TRAP },
	{ NULL,		0 },
};

static const struct cfg_kw dpd_kw[] = {
	{ "clear",	CFG_DPD_CLEAR },
	{ "restart",	CFG_DPD_RESTART },
	{ "none",	CFG_DPD_NONE },
	{ NULL,		0 },
};

static const struct cfg_kw frag_kw[] = {
	{ "yes",	CFG_FRAG_YES },
	{ "accept",	CFG_FRAG_ACCEPT },
	{ "force",	CFG_FRAG_FORCE },
	{ "no",		CFG_FRAG_NO },
	{ NULL,		0 },
};

static const struct cfg_kw unique_kw[] = {
	{ "no",		CFG_UNIQUE_NO },
	{ "never",	CFG_UNIQUE_NEVER },
	{ "keep",	CFG_UNIQUE_KEEP },
	{ "replace",	CFG_UNIQUE_REPLACE },
	{ NULL,		0 },
};

static const struct cfg_kw send_cert_kw[] = {
	{ "ifasked",	CFG_SEND_CERT_IFASKED },
	{ "always",	CFG_SEND_CERT_ALWAYS },
	{ "never",	CFG_SEND_CERT_NEVER },
	{ NULL,		0 },
};

const char *
cfg_auth_method_name(enum cfg_auth_method m)
{
	return cfg_kw_name(auth_kw, m);
}

const char *
cfg_mode_name(enum cfg_mode m)
{
	return cfg_kw_name(mode_kw, m);
}

const char *
cfg_start_action_name(enum cfg_start_action a)
{
	return cfg_kw_name(start_kw, a);
}

const char *
cfg_dpd_action_name(enum cfg_dpd_action a)
{
	return cfg_kw_name(dpd_kw, a);
}

const char *
cfg_frag_name(enum cfg_frag f)
{
	return cfg_kw_name(frag_kw, f);
}

const char *
cfg_unique_name(enum cfg_unique u)
{
	return cfg_kw_name(unique_kw, u);
}

const char *
cfg_send_cert_name(enum cfg_send_cert s)
{
	return cfg_kw_name(send_cert_kw, s);
}

/* --- address and selector lists ---------------------------------------- */

int
cfg_addr_list(struct cfg_ctx *c, const config_setting_t *s,
    struct cfg_addr **out, size_t *nout)
{
	const config_setting_t	*w;
	struct cfg_addr		*a;
	char			 why[CFG_ERR_MAX];
	int			 i, j, n;

	if ((n = cfg_str_list_len(c, s)) == -1)
		return -1;
	if ((a = cfg_calloc(c, s, (size_t)n, sizeof(*a))) == NULL)
		return -1;
	free(*out);
	*out = a;
	*nout = (size_t)n;
	for (i = 0; i < n; i++) {
		if (cfg_addr_parse(cfg_str_list_at(s, i, &w), &a[i], why,
		    sizeof(why)) == -1)
			return cfg_err(c, w, "%s", why);
		if (cfg_addr_has_host_bits(&a[i]))
			return cfg_err(c, w, "'%s' has host bits set after "
			    "the prefix length", config_setting_get_string(w));
		if (a[i].family == CFG_AF_ANY && n > 1)
			return cfg_err(c, w, "%%any cannot be combined with "
			    "other addresses");
		for (j = 0; j < i; j++)
			if (memcmp(&a[j], &a[i], sizeof(a[i])) == 0)
				return cfg_err(c, w, "'%s' is listed twice",
				    config_setting_get_string(w));
	}
	return 0;
}

static int
ts_list(struct cfg_ctx *c, const config_setting_t *s, struct cfg_ts **out,
    size_t *nout)
{
	const config_setting_t	*w;
	struct cfg_ts		*ts;
	char			 why[CFG_ERR_MAX];
	int			 i, n;

	if ((n = cfg_str_list_len(c, s)) == -1)
		return -1;
	if ((ts = cfg_calloc(c, s, (size_t)n, sizeof(*ts))) == NULL)
		return -1;
	free(*out);
	*out = ts;
	*nout = (size_t)n;
	for (i = 0; i < n; i++)
		if (cfg_ts_parse(cfg_str_list_at(s, i, &w), &ts[i], why,
		    sizeof(why)) == -1)
			return cfg_err(c, w, "%s", why);
	return 0;
}

int
cfg_proposal_list(struct cfg_ctx *c, const config_setting_t *s,
    enum cfg_prop_kind kind, struct cfg_proposal **out, size_t *nout)
{
	const config_setting_t	*w;
	struct cfg_proposal	*p;
	char			 why[CFG_ERR_MAX];
	int			 i, n;

	if ((n = cfg_str_list_len(c, s)) == -1)
		return -1;
	if ((p = cfg_calloc(c, s, (size_t)n, sizeof(*p))) == NULL)
		return -1;
	free(*out);
	*out = p;
	*nout = (size_t)n;
	for (i = 0; i < n; i++)
		if (cfg_proposal_parse(cfg_str_list_at(s, i, &w), kind, &p[i],
		    why, sizeof(why)) == -1)
			return cfg_err(c, w, "%s", why);
	return 0;
}

static unsigned int
addr_families(const struct cfg_addr *a, size_t n)
{
	unsigned int	 f = 0;
	size_t		 i;

	for (i = 0; i < n; i++)
		f |= a[i].family == CFG_AF_INET ? FAM_V4 :
		    a[i].family == CFG_AF_INET6 ? FAM_V6 : FAM_V4 | FAM_V6;
	return f;
}

/* "dynamic" takes the family of the IKE addresses of its side. */
static unsigned int
ts_families(const struct cfg_ts *ts, size_t n, unsigned int dynfam)
{
	unsigned int	 f = 0;
	size_t		 i;

	for (i = 0; i < n; i++)
		f |= ts[i].dynamic ? dynfam :
		    ts[i].family == CFG_AF_INET ? FAM_V4 : FAM_V6;
	return f;
}

static const char *
fam_name(unsigned int f)
{
	return f == FAM_V4 ? "IPv4 only" : f == FAM_V6 ? "IPv6 only" :
	    "IPv4 and IPv6";
}

/* --- handlers ------------------------------------------------------------ */

static int
h_local_addrs(struct cfg_ctx *c, const config_setting_t *s, void *obj)
{
	struct cfg_conn	*cn = obj;

	return cfg_addr_list(c, s, &cn->local_addrs, &cn->nlocal_addrs);
}

static int
h_remote_addrs(struct cfg_ctx *c, const config_setting_t *s, void *obj)
{
	struct cfg_conn	*cn = obj;

	return cfg_addr_list(c, s, &cn->remote_addrs, &cn->nremote_addrs);
}

static int
h_version(struct cfg_ctx *c, const config_setting_t *s, void *obj)
{
	struct cfg_conn	*cn = obj;

	if (config_setting_type(s) != CONFIG_TYPE_INT ||
	    config_setting_get_int(s) != 2)
		return cfg_err(c, s, "only IKEv2 is supported (version = 2)");
	cn->version = 2;
	return 0;
}

static int
h_proposals(struct cfg_ctx *c, const config_setting_t *s, void *obj)
{
	struct cfg_conn	*cn = obj;

	return cfg_proposal_list(c, s, CFG_PROP_IKE, &cn->proposals,
	    &cn->nproposals);
}

static int
h_id(struct cfg_ctx *c, const config_setting_t *s, void *obj)
{
	struct cfg_auth	*a = obj;
	char		 why[CFG_ERR_MAX];

	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return cfg_err(c, s, "expected a string (one identity)");
	cfg_id_fini(&a->id);
	if (cfg_id_parse(config_setting_get_string(s), &a->id, why,
	    sizeof(why)) == -1)
		return cfg_err(c, s, "%s", why);
	return 0;
}

static int
h_ts_local(struct cfg_ctx *c, const config_setting_t *s, void *obj)
{
	struct cfg_child *ch = obj;

	return ts_list(c, s, &ch->local_ts, &ch->nlocal_ts);
}

static int
h_ts_remote(struct cfg_ctx *c, const config_setting_t *s, void *obj)
{
	struct cfg_child *ch = obj;

	return ts_list(c, s, &ch->remote_ts, &ch->nremote_ts);
}

static int
h_esp(struct cfg_ctx *c, const config_setting_t *s, void *obj)
{
	struct cfg_child *ch = obj;

	return cfg_proposal_list(c, s, CFG_PROP_ESP, &ch->esp_proposals,
	    &ch->nesp_proposals);
}

/* A 32-bit number in decimal or 0x hex, all of str[0..n). */
static int
parse_u32(const char *str, size_t n, uint32_t *v)
{
	char			 buf[16], *end;
	unsigned long long	 u;

	if (n == 0 || n >= sizeof(buf) || !isdigit((unsigned char)str[0]))
		return -1;
	memcpy(buf, str, n);
	buf[n] = '\0';
	errno = 0;
	u = strtoull(buf, &end, 0);
	if (errno != 0 || *end != '\0' || u > UINT32_MAX)
		return -1;
	*v = (uint32_t)u;
	return 0;
}

/* mark_in / mark_out: an integer, or "value[/mask]" (swanctl). */
static int
mark(struct cfg_ctx *c, const config_setting_t *s, struct cfg_mark *m)
{
	const char	*str, *slash;
	int64_t		 v;

	m->mask = UINT32_MAX;
	if (config_setting_type(s) == CONFIG_TYPE_INT ||
	    config_setting_type(s) == CONFIG_TYPE_INT64) {
		if (cfg_get_int(c, s, &v) == -1)
			return -1;
		if (v < 0 || v > UINT32_MAX)
			return cfg_err(c, s, "%" PRId64 " is not a 32-bit mark",
			    v);
		m->value = (uint32_t)v;
		return 0;
	}
	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return cfg_err(c, s, "expected a mark (an integer or "
		    "\"value/mask\")");
	str = config_setting_get_string(s);
	slash = strchr(str, '/');
	if (parse_u32(str, slash != NULL ? (size_t)(slash - str) :
	    strlen(str), &m->value) == -1 || (slash != NULL &&
	    parse_u32(slash + 1, strlen(slash + 1), &m->mask) == -1))
		return cfg_err(c, s, "'%s' is not a mark (value or "
		    "value/mask, 32-bit)", str);
	if ((m->value & ~m->mask) != 0)
		return cfg_err(c, s, "'%s' has value bits outside the mask",
		    str);
	return 0;
}

static int
h_mark_in(struct cfg_ctx *c, const config_setting_t *s, void *obj)
{
	return mark(c, s, &((struct cfg_child *)obj)->mark_in);
}

static int
h_mark_out(struct cfg_ctx *c, const config_setting_t *s, void *obj)
{
	return mark(c, s, &((struct cfg_child *)obj)->mark_out);
}

/* --- children ------------------------------------------------------------ */

#define CH(f)	CFG_FIELD(struct cfg_child, f)

static const struct cfg_key child_keys[] = {
	{ "local_ts",	   KT_FN, 0, 0, 0, 0, 0, NULL, h_ts_local },
	{ "remote_ts",	   KT_FN, 0, 0, 0, 0, 0, NULL, h_ts_remote },
	{ "esp_proposals", KT_FN, 0, 0, 0, 0, 0, NULL, h_esp },
	{ "mode",	   KT_ENUM, 0, CH(mode), 0, 0, mode_kw, NULL },
	{ "start_action",  KT_ENUM, 0, CH(start_action), 0, 0, start_kw,
	    NULL },
	{ "close_action",  KT_ENUM, 0, CH(close_action), 0, 0, start_kw,
	    NULL },
	{ "dpd_action",	   KT_ENUM, 0, CH(dpd_action), 0, 0, dpd_kw, NULL },
	{ "rekey_time",	   KT_DUR_S, 0, CH(rekey_time_s), 0, MAX_TIME_S,
	    NULL, NULL },
	{ "life_time",	   KT_DUR_S, 0, CH(life_time_s), 0, MAX_TIME_S,
	    NULL, NULL },
	{ "rand_time",	   KT_DUR_S, 0, CH(rand_time_s), 0, MAX_TIME_S,
	    NULL, NULL },
	{ "rekey_bytes",   KT_COUNT64, 0, CH(rekey_bytes), 0, MAX_VOLUME,
	    NULL, NULL },
	{ "life_bytes",	   KT_COUNT64, 0, CH(life_bytes), 0, MAX_VOLUME,
	    NULL, NULL },
	{ "rand_bytes",	   KT_COUNT64, 0, CH(rand_bytes), 0, MAX_VOLUME,
	    NULL, NULL },
	{ "rekey_packets", KT_COUNT64, 0, CH(rekey_packets), 0, MAX_VOLUME,
	    NULL, NULL },
	{ "life_packets",  KT_COUNT64, 0, CH(life_packets), 0, MAX_VOLUME,
	    NULL, NULL },
	{ "rand_packets",  KT_COUNT64, 0, CH(rand_packets), 0, MAX_VOLUME,
	    NULL, NULL },
	{ "replay_window", KT_INT, 0, CH(replay_window), 0, REPLAY_MAX, NULL,
	    NULL },
	{ "if_id_in",	   KT_INT, 0, CH(if_id_in), 0, UINT32_MAX, NULL,
	    NULL },
	{ "if_id_out",	   KT_INT, 0, CH(if_id_out), 0, UINT32_MAX, NULL,
	    NULL },
	{ "mark_in",	   KT_FN, 0, 0, 0, 0, 0, NULL, h_mark_in },
	{ "mark_out",	   KT_FN, 0, 0, 0, 0, 0, NULL, h_mark_out },
	{ "reqid",	   KT_INT, 0, CH(reqid), 0, UINT32_MAX, NULL, NULL },
};

/*
 * swanctl's derivations: life = rekey + 10%, rand = life - rekey.  An
 * explicit life must exceed rekey, and rand may not eat the whole margin
 * (the SA would expire before it is rekeyed).
 */
static int
lifetimes(struct cfg_ctx *c, const config_setting_t *s, const char *what,
    uint64_t rekey, uint64_t *life, uint64_t *rand, uint64_t unset)
{
	char	 k[32];

	if (*life == unset)	/* + 10%, and at least one more */
		*life = rekey + (rekey >= 10 ? rekey / 10 : rekey > 0);
	else if (rekey > 0 && *life <= rekey) {
		snprintf(k, sizeof(k), "life_%s", what);
		return cfg_err(c, cfg_member_or(s, k), "must be greater than "
		    "rekey_%s (%" PRIu64 ")", what, rekey);
	}
	if (*rand == unset)
		*rand = *life - rekey;
	else if (rekey > 0 && *rand > *life - rekey) {
		snprintf(k, sizeof(k), "rand_%s", what);
		return cfg_err(c, cfg_member_or(s, k), "must not exceed "
		    "life_%s - rekey_%s (%" PRIu64 ")", what, what,
		    *life - rekey);
	}
	return 0;
}

static bool
has_host(const struct cfg_addr *a, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (a[i].family != CFG_AF_ANY &&
		    a[i].plen == (a[i].family == CFG_AF_INET ? 32 : 128))
			return true;
	return false;
}

static int
child(struct cfg_ctx *c, const config_setting_t *s, struct cfg_conn *cn,
    struct cfg_child *ch)
{
	const struct cfg_ike	*ike = &c->cfg->ike;
	const char		*key, *val;
	uint64_t		 life, rand;
	unsigned int		 lf, rf;

	if (cfg_set_name(c, s, ch->name) == -1)
		return -1;
	ch->mode = CFG_MODE_TUNNEL;
	ch->dpd_action = cn->dpd_action;
	ch->rekey_time_s = 3600;
	ch->life_time_s = ch->rand_time_s = UNSET32;
	ch->life_bytes = ch->rand_bytes = UNSET64;
	ch->life_packets = ch->rand_packets = UNSET64;
	ch->replay_window = 32;
	if (cfg_apply(c, s, child_keys, nitems(child_keys), ch) == -1)
		return -1;
	life = ch->life_time_s == UNSET32 ? UNSET64 : ch->life_time_s;
	rand = ch->rand_time_s == UNSET32 ? UNSET64 : ch->rand_time_s;
	if (lifetimes(c, s, "time", ch->rekey_time_s, &life, &rand,
	    UNSET64) == -1)
		return -1;
	if (life > MAX_TIME_S)
		return cfg_err(c, s, "life_time would exceed %d days",
		    MAX_TIME_S / DAY_S);
	ch->life_time_s = (uint32_t)life;
	ch->rand_time_s = (uint32_t)rand;
	if (lifetimes(c, s, "bytes", ch->rekey_bytes, &ch->life_bytes,
	    &ch->rand_bytes, UNSET64) == -1 ||
	    lifetimes(c, s, "packets", ch->rekey_packets, &ch->life_packets,
	    &ch->rand_packets, UNSET64) == -1)
		return -1;
	if (ch->local_ts == NULL) {
		if ((ch->local_ts = cfg_calloc(c, s, 1, sizeof(*ch->local_ts)))
		    == NULL)
			return -1;
		ch->nlocal_ts = 1;
		ch->local_ts->dynamic = true;
		ch->local_ts->port_hi = 65535;
	}
	if (ch->remote_ts == NULL) {
		if ((ch->remote_ts = cfg_calloc(c, s, 1,
		    sizeof(*ch->remote_ts))) == NULL)
			return -1;
		ch->nremote_ts = 1;
		ch->remote_ts->dynamic = true;
		ch->remote_ts->port_hi = 65535;
	}
	if (ch->esp_proposals == NULL) {
		if ((ch->esp_proposals = cfg_calloc(c, s, ike->nesp_proposals,
		    sizeof(*ch->esp_proposals))) == NULL)
			return -1;
		memcpy(ch->esp_proposals, ike->esp_proposals,
		    ike->nesp_proposals * sizeof(*ch->esp_proposals));
		ch->nesp_proposals = ike->nesp_proposals;
	}
	lf = ts_families(ch->local_ts, ch->nlocal_ts,
	    addr_families(cn->local_addrs, cn->nlocal_addrs));
	rf = ts_families(ch->remote_ts, ch->nremote_ts,
	    addr_families(cn->remote_addrs, cn->nremote_addrs));
	if ((lf & rf) == 0)
		return cfg_err(c, cfg_member_or(s, "remote_ts"), "no address "
		    "family in common with local_ts (local %s, remote %s)",
		    fam_name(lf), fam_name(rf));
	/* To initiate there must be an address to send IKE_SA_INIT to. */
	if (!has_host(cn->remote_addrs, cn->nremote_addrs)) {
		key = val = NULL;
		if (ch->start_action != CFG_START_NONE) {
			key = "start_action";
			val = cfg_start_action_name(ch->start_action);
		} else if (ch->close_action != CFG_START_NONE) {
			key = "close_action";
			val = cfg_start_action_name(ch->close_action);
		} else if (ch->dpd_action == CFG_DPD_RESTART) {
			key = "dpd_action";
			val = "restart";
		}
		if (key != NULL)
			return cfg_err(c, cfg_member_or(s, key), "%s = %s "
			    "initiates, but remote_addrs holds no single "
			    "address to initiate to", key, val);
	}
	return 0;
}

static int
h_children(struct cfg_ctx *c, const config_setting_t *s, void *obj)
{
	struct cfg_conn	*cn = obj;
	unsigned int	 n;

	if (!config_setting_is_group(s))
		return cfg_err(c, s, "expected a group { NAME { ... } }");
	if ((n = (unsigned int)config_setting_length(s)) == 0)
		return cfg_err(c, s, "no child SA defined");
	if ((cn->children = cfg_calloc(c, s, n, sizeof(*cn->children))) ==
	    NULL)
		return -1;
	cn->nchildren = n;
	return 0;	/* filled by cfg_conn() once every key is read */
}

/* --- local and remote ---------------------------------------------------- */

#define AU(f)	CFG_FIELD(struct cfg_auth, f)

static const struct cfg_key local_keys[] = {
	{ "auth",    KT_ENUM, KF_REQ, AU(method), 0, 0, auth_kw, NULL },
	{ "id",	     KT_FN, 0, 0, 0, 0, 0, NULL, h_id },
	{ "certs",   KT_PATHV, 0, AU(certs), 0, 0, NULL, NULL },
	{ "key",     KT_PATH, 0, AU(key), 0, 0, NULL, NULL },
};

static const struct cfg_key remote_keys[] = {
	{ "auth",    KT_ENUM, KF_REQ, AU(method), 0, 0, auth_kw, NULL },
	{ "id",	     KT_FN, 0, 0, 0, 0, 0, NULL, h_id },
	{ "certs",   KT_PATHV, 0, AU(certs), 0, 0, NULL, NULL },
	{ "cacerts", KT_PATHV, 0, AU(cacerts), 0, 0, NULL, NULL },
	{ "crls",    KT_PATHV, 0, AU(crls), 0, 0, NULL, NULL },
};

static int
no_use(struct cfg_ctx *c, const config_setting_t *s, const char *key)
{
	const config_setting_t	*m = cfg_member(s, key);

	if (m == NULL)
		return 0;
	return cfg_err(c, m, "has no use with auth = psk");
}

static int
h_local(struct cfg_ctx *c, const config_setting_t *s, void *obj)
{
	struct cfg_auth	*a = &((struct cfg_conn *)obj)->local;

	if (cfg_apply(c, s, local_keys, nitems(local_keys), a) == -1)
		return -1;
	if (a->id.wildcard || (cfg_member(s, "id") != NULL &&
	    a->id.type == CFG_ID_ANY))
		return cfg_err(c, cfg_member(s, "id"), "our own identity "
		    "cannot be a wildcard");
	if (a->method == CFG_AUTH_PSK) {
		if (a->id.type == CFG_ID_ANY)
			return cfg_err(c, s, "missing required key 'id' "
			    "(auth = psk)");
		if (no_use(c, s, "certs") == -1 || no_use(c, s, "key") == -1)
			return -1;
	} else {
		if (a->certs.n == 0)
			return cfg_err(c, s, "missing required key 'certs' "
			    "(auth = pubkey)");
		if (a->key == NULL)
			return cfg_err(c, s, "missing required key 'key' "
			    "(auth = pubkey)");
	}
	return 0;
}

static int
h_remote(struct cfg_ctx *c, const config_setting_t *s, void *obj)
{
	struct cfg_auth	*a = &((struct cfg_conn *)obj)->remote;

	if (cfg_apply(c, s, remote_keys, nitems(remote_keys), a) == -1)
		return -1;
	if (a->method == CFG_AUTH_PSK) {
		if (no_use(c, s, "certs") == -1 ||
		    no_use(c, s, "cacerts") == -1 ||
		    no_use(c, s, "crls") == -1)
			return -1;
	} else if (a->certs.n == 0 && a->cacerts.n == 0)
		return cfg_err(c, s, "missing required key 'cacerts' (auth = "
		    "pubkey needs cacerts or certs)");
	return 0;
}

/* --- the connection ------------------------------------------------------ */

#define CN(f)	CFG_FIELD(struct cfg_conn, f)

static const struct cfg_key conn_keys[] = {
	{ "local_addrs",  KT_FN, 0, 0, 0, 0, 0, NULL, h_local_addrs },
	{ "remote_addrs", KT_FN, 0, 0, 0, 0, 0, NULL, h_remote_addrs },
	{ "local_port",	  KT_INT, 0, CN(local_port), 1, 65535, NULL, NULL },
	{ "remote_port",  KT_INT, 0, CN(remote_port), 1, 65535, NULL, NULL },
	{ "version",	  KT_FN, 0, 0, 0, 0, 0, NULL, h_version },
	{ "proposals",	  KT_FN, 0, 0, 0, 0, 0, NULL, h_proposals },
	{ "dpd_delay",	  KT_DUR_S, 0, CN(dpd_delay_s), 0, DAY_S, NULL,
	    NULL },
	{ "dpd_action",	  KT_ENUM, 0, CN(dpd_action), 0, 0, dpd_kw, NULL },
	{ "rekey_time",	  KT_DUR_S, 0, CN(rekey_time_s), 0, MAX_TIME_S,
	    NULL, NULL },
	{ "reauth_time",  KT_DUR_S, 0, CN(reauth_time_s), 0, MAX_TIME_S,
	    NULL, NULL },
	{ "over_time",	  KT_DUR_S, 0, CN(over_time_s), 0, MAX_TIME_S,
	    NULL, NULL },
	{ "rand_time",	  KT_DUR_S, 0, CN(rand_time_s), 0, MAX_TIME_S,
	    NULL, NULL },
	{ "keyingtries",  KT_INT, 0, CN(keyingtries), 0, 1000, NULL, NULL },
	{ "encap",	  KT_BOOL, 0, CN(encap), 0, 0, NULL, NULL },
	{ "mobike",	  KT_BOOL, 0, CN(mobike), 0, 0, NULL, NULL },
	{ "send_certreq", KT_BOOL, 0, CN(send_certreq), 0, 0, NULL, NULL },
	{ "fragmentation", KT_ENUM, 0, CN(fragmentation), 0, 0, frag_kw,
	    NULL },
	{ "unique",	  KT_ENUM, 0, CN(unique), 0, 0, unique_kw, NULL },
	{ "send_cert",	  KT_ENUM, 0, CN(send_cert), 0, 0, send_cert_kw,
	    NULL },
	{ "vip_group",	  KT_NAME, KF_REQ, CN(vip_group), 0, 0, NULL, NULL },
	{ "local",	  KT_FN, KF_REQ, 0, 0, 0, 0, NULL, h_local },
	{ "remote",	  KT_FN, KF_REQ, 0, 0, 0, 0, NULL, h_remote },
	{ "children",	  KT_FN, KF_REQ, 0, 0, 0, 0, NULL, h_children },
};

static int
default_addrs(struct cfg_ctx *c, const config_setting_t *s,
    struct cfg_addr **a, size_t *n)
{
	if (*a != NULL)
		return 0;
	if ((*a = cfg_calloc(c, s, 1, sizeof(**a))) == NULL)
		return -1;
	*n = 1;		/* zeroed: %any */
	return 0;
}

int
cfg_conn(struct cfg_ctx *c, const config_setting_t *s, struct cfg_conn *cn)
{
	const struct cfg_ike	*ike = &c->cfg->ike;
	const config_setting_t	*kids;
	unsigned int		 lf, rf, i, longest;

	if (cfg_set_name(c, s, cn->name) == -1)
		return -1;
	cn->local_port = ike->port;
	cn->remote_port = 500;
	cn->version = 2;
	cn->dpd_action = CFG_DPD_CLEAR;
	cn->rekey_time_s = 4 * 3600;
	cn->over_time_s = cn->rand_time_s = UNSET32;
	cn->keyingtries = 1;
	cn->mobike = true;
	cn->send_certreq = true;
	/* Children inherit dpd_action and need the addresses (families,
	 * has_host), so read every other key first. */
	if (cfg_apply(c, s, conn_keys, nitems(conn_keys), cn) == -1)
		return -1;
	if (default_addrs(c, s, &cn->local_addrs, &cn->nlocal_addrs) == -1 ||
	    default_addrs(c, s, &cn->remote_addrs, &cn->nremote_addrs) == -1)
		return -1;
	lf = addr_families(cn->local_addrs, cn->nlocal_addrs);
	rf = addr_families(cn->remote_addrs, cn->nremote_addrs);
	if ((lf & rf) == 0)
		return cfg_err(c, cfg_member_or(s, "remote_addrs"), "no "
		    "address family in common with local_addrs (local %s, "
		    "remote %s)", fam_name(lf), fam_name(rf));
	if (cn->proposals == NULL) {
		if ((cn->proposals = cfg_calloc(c, s, ike->nike_proposals,
		    sizeof(*cn->proposals))) == NULL)
			return -1;
		memcpy(cn->proposals, ike->ike_proposals,
		    ike->nike_proposals * sizeof(*cn->proposals));
		cn->nproposals = ike->nike_proposals;
	}
	/* swanctl: over_time defaults to 10% of the longer of rekey and
	 * reauth, rand_time to over_time. */
	longest = cn->rekey_time_s > cn->reauth_time_s ? cn->rekey_time_s :
	    cn->reauth_time_s;
	if (cn->over_time_s == UNSET32)
		cn->over_time_s = longest / 10;
	if (cn->rand_time_s == UNSET32)
		cn->rand_time_s = cn->over_time_s;
	else if (cn->rekey_time_s > 0 && cn->rand_time_s >= cn->rekey_time_s)
		return cfg_err(c, cfg_member(s, "rand_time"), "must be less "
		    "than rekey_time (%" PRIu32 " s)", cn->rekey_time_s);
	kids = cfg_member(s, "children");
	for (i = 0; i < cn->nchildren; i++)
		if (child(c, config_setting_get_elem(kids, i), cn,
		    &cn->children[i]) == -1)
			return -1;
	return 0;
}
