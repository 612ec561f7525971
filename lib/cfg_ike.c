/*
 * lib/cfg_ike.c -- the `ike` section: daemon-wide IKE settings, default
 * proposals, pre-shared keys (`secrets`) and the list of connections
 * (each one is read by cfg_conn.c), and the references a connection makes
 * to other sections (cfg_ike_refs).
 *
 * Order inside the section: the scalar keys first (a connection's
 * local_port defaults to ike.port), then proposals (connections copy the
 * defaults), then secrets, then connections.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/util.h"
#include "cfg_int.h"

/* Built-in defaults when ike.proposals leaves a list out: AEAD first,
 * then a CBC+HMAC fallback for peers without GCM. */
static const char *const default_ike[] = {
	"aes256gcm16-prfsha384-ecp384",
	"aes128gcm16-prfsha256-ecp256",
	"aes256-sha384-ecp384",
	"aes128-sha256-modp2048",
};

static const char *const default_esp[] = {
	"aes256gcm16",
	"aes128gcm16",
	"aes128-sha256",
};

static const struct cfg_kw secret_type_kw[] = {
	{ "ike",	1 },
	{ NULL,		0 },
};

void
cfg_ike_defaults(struct cfg_ike *ike)
{
	ike->port = 500;
	ike->port_nat_t = 4500;
	ike->cookie_threshold = 30;
	ike->block_threshold = 5;
	ike->init_limit_half_open = 0;
	ike->retransmit_timeout_ms = 4000;
	ike->retransmit_base = 1.8;
	ike->retransmit_tries = 5;
	ike->retransmit_jitter_pct = 0;
	ike->retransmit_limit_ms = 0;
	ike->fragment_size = 1280;
}

#define IK(f)	CFG_FIELD(struct cfg_ike, f)

static const struct cfg_key ike_keys[] = {
	{ "port",		  KT_INT, 0, IK(port), 1, 65535, NULL, NULL },
	{ "port_nat_t",		  KT_INT, 0, IK(port_nat_t), 1, 65535, NULL,
	    NULL },
	{ "cookie_threshold",	  KT_INT, 0, IK(cookie_threshold), 0,
	    1000000, NULL, NULL },
	{ "block_threshold",	  KT_INT, 0, IK(block_threshold), 0, 1000000,
	    NULL, NULL },
	{ "init_limit_half_open", KT_INT, 0, IK(init_limit_half_open), 0,
	    10000000, NULL, NULL },
	{ "retransmit_timeout",	  KT_DUR_MS, 0, IK(retransmit_timeout_ms),
	    100, 120000, NULL, NULL },
	{ "retransmit_base",	  KT_FLOAT, 0, IK(retransmit_base), 1, 10,
	    NULL, NULL },
	{ "retransmit_tries",	  KT_INT, 0, IK(retransmit_tries), 1, 100,
	    NULL, NULL },
	{ "retransmit_jitter",	  KT_INT, 0, IK(retransmit_jitter_pct), 0,
	    100, NULL, NULL },
	{ "retransmit_limit",	  KT_DUR_MS, 0, IK(retransmit_limit_ms), 0,
	    3600000, NULL, NULL },
	{ "fragment_size",	  KT_INT, 0, IK(fragment_size), 576, 65535,
	    NULL, NULL },
	{ "proposals",		  KT_LATER, 0, 0, 0, 0, 0, NULL, NULL },
	{ "secrets",		  KT_LATER, 0, 0, 0, 0, 0, NULL, NULL },
	{ "connections",	  KT_LATER, 0, 0, 0, 0, 0, NULL, NULL },
};

static int
h_prop_ike(struct cfg_ctx *c, const config_setting_t *s, void *obj)
{
	struct cfg_ike	*ike = obj;

	return cfg_proposal_list(c, s, CFG_PROP_IKE, &ike->ike_proposals,
	    &ike->nike_proposals);
}

static int
h_prop_esp(struct cfg_ctx *c, const config_setting_t *s, void *obj)
{
	struct cfg_ike	*ike = obj;

	return cfg_proposal_list(c, s, CFG_PROP_ESP, &ike->esp_proposals,
	    &ike->nesp_proposals);
}

static const struct cfg_key proposal_keys[] = {
	{ "ike", KT_FN, 0, 0, 0, 0, 0, NULL, h_prop_ike },
	{ "esp", KT_FN, 0, 0, 0, 0, 0, NULL, h_prop_esp },
};

static int
builtin(struct cfg_ctx *c, const config_setting_t *s,
    const char *const *strs, size_t n, enum cfg_prop_kind kind,
    struct cfg_proposal **out, size_t *nout)
{
	char	 why[CFG_ERR_MAX];
	size_t	 i;

	if (*out != NULL)
		return 0;
	if ((*out = cfg_calloc(c, s, n, sizeof(**out))) == NULL)
		return -1;
	*nout = n;
	for (i = 0; i < n; i++)
		if (cfg_proposal_parse(strs[i], kind, &(*out)[i], why,
		    sizeof(why)) == -1)
			return cfg_err(c, s, "built-in proposal: %s", why);
	return 0;
}

/* --- secrets ------------------------------------------------------------- */

struct secret_in {
	struct cfg_secret	*sec;
	int			 type;
};

static int
h_secret_id(struct cfg_ctx *c, const config_setting_t *s, void *obj)
{
	struct cfg_secret	*sec = ((struct secret_in *)obj)->sec;
	const config_setting_t	*w;
	char			 why[CFG_ERR_MAX];
	int			 i, j, n;

	if ((n = cfg_str_list_len(c, s)) == -1)
		return -1;
	if ((sec->ids = cfg_calloc(c, s, (size_t)n, sizeof(*sec->ids))) ==
	    NULL)
		return -1;
	sec->nids = (size_t)n;
	for (i = 0; i < n; i++) {
		if (cfg_id_parse(cfg_str_list_at(s, i, &w), &sec->ids[i], why,
		    sizeof(why)) == -1)
			return cfg_err(c, w, "%s", why);
		if (sec->ids[i].type == CFG_ID_ANY)
			return cfg_err(c, w, "%%any matches nothing here (leave "
			    "id out for a secret that matches any identity)");
		for (j = 0; j < i; j++)
			if (cfg_id_eq(&sec->ids[j], &sec->ids[i]))
				return cfg_err(c, w, "'%s' is listed twice",
				    sec->ids[i].text);
	}
	return 0;
}

/* "0x..." is hex; anything else is the key's bytes as written. */
static int
h_secret_value(struct cfg_ctx *c, const config_setting_t *s, void *obj)
{
	struct cfg_secret	*sec = ((struct secret_in *)obj)->sec;
	const char		*v;
	size_t			 n;

	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return cfg_err(c, s, "expected a string");
	v = config_setting_get_string(s);
	if (v[0] == '\0')
		return cfg_err(c, s, "empty secret");
	if (v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
		n = strlen(v + 2);
		if ((sec->psk = secbuf_new(n / 2)) == NULL)
			return cfg_err(c, s, "out of memory");
		if (cfg_hex_decode(v + 2, sec->psk->data, sec->psk->len) !=
		    (int)sec->psk->len || n == 0)
			return cfg_err(c, s, "not an even number of hex digits "
			    "after 0x");
	} else if ((sec->psk = secbuf_from(v, strlen(v))) == NULL)
		return cfg_err(c, s, "out of memory");
	return 0;
}

#define SI(f)	CFG_FIELD(struct secret_in, f)

static const struct cfg_key secret_keys[] = {
	{ "type",   KT_ENUM, KF_REQ, SI(type), 0, 0, secret_type_kw, NULL },
	{ "id",	    KT_FN, 0, 0, 0, 0, 0, NULL, h_secret_id },
	{ "secret", KT_FN, KF_REQ, 0, 0, 0, 0, NULL, h_secret_value },
};

static int
secrets(struct cfg_ctx *c, const config_setting_t *s, struct cfg_ike *ike)
{
	const config_setting_t	*m;
	struct secret_in	 in;
	struct cfg_secret	*sec;
	size_t			 i, j, k, l;

	if (!config_setting_is_group(s))
		return cfg_err(c, s, "expected a group { NAME { ... } }");
	ike->nsecrets = (size_t)config_setting_length(s);
	if ((ike->secrets = cfg_calloc(c, s, ike->nsecrets,
	    sizeof(*ike->secrets))) == NULL) {
		ike->nsecrets = 0;
		return -1;
	}
	for (i = 0; i < ike->nsecrets; i++) {
		m = config_setting_get_elem(s, (unsigned int)i);
		sec = &ike->secrets[i];
		in.sec = sec;
		in.type = 0;
		if (cfg_set_name(c, m, sec->name) == -1)
			return -1;
		if (cfg_apply(c, m, secret_keys, nitems(secret_keys), &in) ==
		    -1)
			return -1;
		/* One identity in two secrets: which key would be used
		 * would depend on the order in the file. */
		for (j = 0; j < i; j++)
			for (k = 0; k < sec->nids; k++)
				for (l = 0; l < ike->secrets[j].nids; l++)
					if (cfg_id_eq(&sec->ids[k],
					    &ike->secrets[j].ids[l]))
						return cfg_err(c,
						    cfg_member(m, "id"),
						    "'%s' is also in secret "
						    "'%s'", sec->ids[k].text,
						    ike->secrets[j].name);
	}
	return 0;
}

/* --- the section --------------------------------------------------------- */

static int
conn_name_cmp(const void *a, const void *b)
{
	const struct cfg_conn	*x = *(const struct cfg_conn *const *)a;
	const struct cfg_conn	*y = *(const struct cfg_conn *const *)b;

	return strcmp(x->name, y->name);
}

int
cfg_ike(struct cfg_ctx *c, const config_setting_t *s, void *obj)
{
	struct cfg_ike		*ike = &((struct tnd_cfg *)obj)->ike;
	const config_setting_t	*m;
	unsigned int		 i;

	if (cfg_apply(c, s, ike_keys, nitems(ike_keys), ike) == -1)
		return -1;
	if (ike->port == ike->port_nat_t && cfg_member(s, "port_nat_t"))
		return cfg_err(c, cfg_member(s, "port_nat_t"), "must differ "
		    "from port (%u)", ike->port);
	if (ike->port == ike->port_nat_t)
		return cfg_err(c, cfg_member(s, "port"), "must differ from "
		    "port_nat_t (%u)", ike->port_nat_t);
	if (ike->init_limit_half_open != 0 &&
	    ike->init_limit_half_open < ike->cookie_threshold)
		return cfg_err(c, cfg_member(s, "init_limit_half_open"),
		    "below cookie_threshold (%" PRIu32 "): cookies would "
		    "never be asked for", ike->cookie_threshold);
	if ((m = cfg_member(s, "proposals")) != NULL &&
	    cfg_apply(c, m, proposal_keys, nitems(proposal_keys), ike) == -1)
		return -1;
	if (builtin(c, s, default_ike, nitems(default_ike), CFG_PROP_IKE,
	    &ike->ike_proposals, &ike->nike_proposals) == -1 ||
	    builtin(c, s, default_esp, nitems(default_esp), CFG_PROP_ESP,
	    &ike->esp_proposals, &ike->nesp_proposals) == -1)
		return -1;
	if ((m = cfg_member(s, "secrets")) != NULL && secrets(c, m, ike) == -1)
		return -1;
	if ((m = cfg_member(s, "connections")) == NULL)
		return 0;
	if (!config_setting_is_group(m))
		return cfg_err(c, m, "expected a group { NAME { ... } }");
	ike->nconns = (size_t)config_setting_length(m);
	if ((ike->conns = cfg_calloc(c, m, ike->nconns, sizeof(*ike->conns)))
	    == NULL) {
		ike->nconns = 0;
		return -1;
	}
	for (i = 0; i < ike->nconns; i++)
		if (cfg_conn(c, config_setting_get_elem(m, i),
		    &ike->conns[i]) == -1)
			return -1;
	/* libconfig refuses two members of one name: the names are unique */
	if (ike->nconns == 0)
		return 0;
	if ((ike->conns_by_name = cfg_calloc(c, m, ike->nconns,
	    sizeof(*ike->conns_by_name))) == NULL)
		return -1;
	for (i = 0; i < ike->nconns; i++)
		ike->conns_by_name[i] = &ike->conns[i];
	qsort(ike->conns_by_name, ike->nconns, sizeof(*ike->conns_by_name),
	    conn_name_cmp);
	return 0;
}

/* --- references ---------------------------------------------------------- */

static bool
is_vip(const struct cfg_group *g, const struct cfg_addr *a)
{
	size_t	 i;

	for (i = 0; i < g->nvips; i++)
		if (g->vips[i].family == a->family &&
		    memcmp(g->vips[i].addr, a->addr, 16) == 0)
			return true;
	return false;
}

static int
vip_group(struct cfg_ctx *c, const config_setting_t *cs, struct cfg_conn *cn)
{
	const struct cfg_ha	*ha = &c->cfg->ha;
	const config_setting_t	*la;
	const char		*names[64], *best;
	const struct cfg_addr	*a;
	size_t			 i;
	bool			 found = false;

	for (i = 0; i < ha->ngroups && !found; i++)
		if (strcmp(ha->groups[i].name, cn->vip_group) == 0) {
			cn->vip_group_idx = i;
			found = true;
		}
	if (!found) {
		for (i = 0; i < ha->ngroups && i < nitems(names); i++)
			names[i] = ha->groups[i].name;
		best = cfg_suggest(cn->vip_group, names, i);
		return cfg_err(c, cfg_member(cs, "vip_group"), "no group '%s' "
		    "in ha.groups%s%s%s", cn->vip_group,
		    best != NULL ? " (did you mean '" : "",
		    best != NULL ? best : "", best != NULL ? "'?)" : "");
	}
	/* The SAs must live on addresses that move with the group. */
	for (i = 0; i < cn->nlocal_addrs; i++) {
		a = &cn->local_addrs[i];
		if (a->family == CFG_AF_ANY ||
		    a->plen != (a->family == CFG_AF_INET ? 32 : 128))
			continue;
		if (is_vip(&ha->groups[cn->vip_group_idx], a))
			continue;
		la = cfg_member(cs, "local_addrs");
		if (config_setting_type(la) != CONFIG_TYPE_STRING)
			la = config_setting_get_elem(la, (unsigned int)i);
		return cfg_err(c, la, "'%s' is not a VIP of group '%s'",
		    config_setting_get_string(la), cn->vip_group);
	}
	return 0;
}

/* A PSK connection needs a key it could ever use. */
static int
psk(struct cfg_ctx *c, const config_setting_t *cs, const struct cfg_conn *cn)
{
	const struct tnd_cfg	*cfg = c->cfg;
	const config_setting_t	*w;
	const struct cfg_id	*r = &cn->remote.id;

	if (cn->local.method != CFG_AUTH_PSK &&
	    cn->remote.method != CFG_AUTH_PSK)
		return 0;
	w = cfg_member_or(cfg_member(cs, cn->local.method == CFG_AUTH_PSK ?
	    "local" : "remote"), "auth");
	/* A wildcard remote id is only known at run time: any secret may
	 * be the one; with none at all the connection can never work. */
	if ((r->type == CFG_ID_ANY || r->wildcard) && cfg->ike.nsecrets > 0)
		return 0;
	if (cfg_psk_find(cfg, &cn->local.id,
	    r->type == CFG_ID_ANY || r->wildcard ? NULL : r) != NULL)
		return 0;
	if (r->type == CFG_ID_ANY || r->wildcard)
		return cfg_err(c, w, "psk, but ike.secrets is empty");
	return cfg_err(c, w, "psk, but no entry in ike.secrets has id '%s' "
	    "or '%s'", cn->local.id.text, r->text);
}

int
cfg_ike_refs(struct cfg_ctx *c, const config_setting_t *s)
{
	struct cfg_ike		*ike = &c->cfg->ike;
	const config_setting_t	*conns, *cs;
	size_t			 i;

	if ((conns = cfg_member(s, "connections")) == NULL)
		return 0;
	for (i = 0; i < ike->nconns; i++) {
		cs = config_setting_get_elem(conns, (unsigned int)i);
		if (vip_group(c, cs, &ike->conns[i]) == -1 ||
		    psk(c, cs, &ike->conns[i]) == -1)
			return -1;
	}
	return 0;
}

/*
 * libconfig keeps its copy of every key's text until config_destroy(),
 * which does not wipe.  cfg_load() calls this first, on success and on
 * every error path.  (libconfig's scanner buffers are out of reach.)
 */
void
cfg_ike_wipe(const config_setting_t *root)
{
	const config_setting_t	*ike, *sec, *e, *v;
	const char		*str;
	unsigned int		 i;

	if (root == NULL || (ike = cfg_member(root, "ike")) == NULL ||
	    (sec = cfg_member(ike, "secrets")) == NULL ||
	    !config_setting_is_group(sec))
		return;
	for (i = 0; i < (unsigned int)config_setting_length(sec); i++) {
		e = config_setting_get_elem(sec, i);
		if ((v = cfg_member(e, "secret")) != NULL &&
		    config_setting_type(v) == CONFIG_TYPE_STRING &&
		    (str = config_setting_get_string(v)) != NULL)
			secure_wipe((char *)(uintptr_t)str, strlen(str));
	}
}
