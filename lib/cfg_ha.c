/*
 * lib/cfg_ha.c -- the `ha` section: this node's defaults and the VIP
 * groups hamgrd runs a VRRPv3 instance for (RFC 5798), with keepalived's
 * names where it has one (track_interfaces, track_scripts, notify,
 * notify_master / _backup / _fault / _stop, use_vmac, vmac_name, garp_*).
 *
 * Checked here: ranges (vrid 1..255, priority 1..254, advert_interval in
 * centiseconds 1..4095 as VRRPv3's 12-bit field), a VIP in one group only,
 * one vrid per interface, nothing that cannot take effect.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/util.h"
#include "cfg_int.h"

void
cfg_ha_defaults(struct cfg_ha *ha)
{
	ha->node[0] = '\0';
	ha->priority = 100;
	ha->maintenance = false;
	ha->takeover_rekey_spread_ms = 10000;
	ha->standby_preinstall = true;
	ha->takeover_rt_priority = 50;
}

/*
 * "ADDR[/PLEN][ dev IFNAME]": the address into a, the interface (or "")
 * into ifn.  -1 with why on error.
 */
static int
vip_parse(const char *s, struct cfg_addr *a, char *ifn, char *why,
    size_t whylen)
{
	char		 buf[128];
	const char	*dev;
	size_t		 n;

	ifn[0] = '\0';
	if ((dev = strstr(s, " dev ")) == NULL)
		return cfg_addr_parse(s, a, why, whylen);
	n = (size_t)(dev - s);
	if (n >= sizeof(buf)) {
		snprintf(why, whylen, "'%s' is too long", s);
		return -1;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	dev += strlen(" dev ");
	if (!cfg_is_ifname(dev)) {
		snprintf(why, whylen, "'%s': '%s' is not an interface name",
		    s, dev);
		return -1;
	}
	strcpy(ifn, dev);
	return cfg_addr_parse(buf, a, why, whylen);
}

/*
 * RFC 5798 5.2.4: 255 is the priority of the router that owns the
 * addresses.  Tandem's VIPs are added and removed by hamgrd, so no node
 * owns them and 255 would make a node win every election unconditionally.
 */
static int
h_priority(struct cfg_ctx *c, const config_setting_t *s, void *field)
{
	int64_t	 v;

	if (cfg_get_int(c, s, &v) == -1)
		return -1;
	if (v == 255)
		return cfg_err(c, s, "255 is for the address owner, and a VIP "
		    "has none (1..254)");
	if (v < 1 || v > 254)
		return cfg_err(c, s, "%" PRId64 " is out of range (1..254)", v);
	*(uint8_t *)field = (uint8_t)v;
	return 0;
}

static int
h_ha_priority(struct cfg_ctx *c, const config_setting_t *s, void *obj)
{
	return h_priority(c, s, &((struct cfg_ha *)obj)->priority);
}

static int
h_group_priority(struct cfg_ctx *c, const config_setting_t *s, void *obj)
{
	return h_priority(c, s, &((struct cfg_group *)obj)->priority);
}

static int
h_vips(struct cfg_ctx *c, const config_setting_t *s, void *obj)
{
	struct cfg_group	*g = obj;
	const config_setting_t	*w;
	char			 why[CFG_ERR_MAX];
	int			 i, j, n;

	if ((n = cfg_str_list_len(c, s)) == -1)
		return -1;
	if ((g->vips = cfg_calloc(c, s, (size_t)n, sizeof(*g->vips))) == NULL)
		return -1;
	if ((g->vip_ifs = cfg_calloc(c, s, (size_t)n,
	    sizeof(*g->vip_ifs))) == NULL)
		return -1;
	g->nvips = (size_t)n;
	for (i = 0; i < n; i++) {
		if (vip_parse(cfg_str_list_at(s, i, &w), &g->vips[i],
		    g->vip_ifs[i], why, sizeof(why)) == -1)
			return cfg_err(c, w, "%s", why);
		if (g->vips[i].family == CFG_AF_ANY || g->vips[i].plen == 0)
			return cfg_err(c, w, "'%s' is not an address with an "
			    "optional prefix length",
			    config_setting_get_string(w));
		for (j = 0; j < i; j++)
			if (g->vips[j].family == g->vips[i].family &&
			    memcmp(g->vips[j].addr, g->vips[i].addr, 16) == 0)
				return cfg_err(c, w, "'%s' is listed twice",
				    config_setting_get_string(w));
	}
	return 0;
}

/*
 * notify_master and its kin, keepalived's way: "/path/script arg ..." is
 * split at blanks (no quoting: the list form ( "/path", "an arg" ) takes
 * words with blanks in them as they are).  The first word is the program,
 * an absolute path; at most CFG_NOTIFY_ARGS words.
 */
static int
notify_cmd(struct cfg_ctx *c, const config_setting_t *s, struct cfg_strv *sv)
{
	const config_setting_t	*w;
	const char		*str, *p;
	char			*words[CFG_NOTIFY_ARGS];
	size_t			 n = 0, len;
	int			 i, nl;

	if ((nl = cfg_str_list_len(c, s)) == -1)
		return -1;
	for (i = 0; i < nl; i++) {
		str = cfg_str_list_at(s, i, &w);
		p = str;
		do {
			if (config_setting_type(s) == CONFIG_TYPE_STRING) {
				p += strspn(p, " \t");
				len = strcspn(p, " \t");
			} else
				len = strlen(p);
			if (len == 0 && config_setting_type(s) ==
			    CONFIG_TYPE_STRING)
				break;
			if (n == nitems(words)) {
				while (n > 0)
					free(words[--n]);
				return cfg_err(c, w, "more than %d words",
				    CFG_NOTIFY_ARGS);
			}
			if ((words[n] = strndup(p, len)) == NULL) {
				while (n > 0)
					free(words[--n]);
				return cfg_err(c, w, "out of memory");
			}
			n++;
			p += len;
		} while (*p != '\0');
	}
	if (n == 0 || words[0][0] != '/') {
		if (n == 0)
			return cfg_err(c, s, "empty command");
		cfg_err(c, s, "'%s' is not an absolute path", words[0]);
		while (n > 0)
			free(words[--n]);
		return -1;
	}
	if ((sv->v = calloc(n, sizeof(*sv->v))) == NULL) {
		while (n > 0)
			free(words[--n]);
		return cfg_err(c, s, "out of memory");
	}
	memcpy(sv->v, words, n * sizeof(*sv->v));
	sv->n = n;
	return 0;
}

static int
h_notify_master(struct cfg_ctx *c, const config_setting_t *s, void *obj)
{
	return notify_cmd(c, s, &((struct cfg_group *)obj)->notify_master);
}

static int
h_notify_backup(struct cfg_ctx *c, const config_setting_t *s, void *obj)
{
	return notify_cmd(c, s, &((struct cfg_group *)obj)->notify_backup);
}

static int
h_notify_fault(struct cfg_ctx *c, const config_setting_t *s, void *obj)
{
	return notify_cmd(c, s, &((struct cfg_group *)obj)->notify_fault);
}

static int
h_notify_stop(struct cfg_ctx *c, const config_setting_t *s, void *obj)
{
	return notify_cmd(c, s, &((struct cfg_group *)obj)->notify_stop);
}

#define TI(f)	CFG_FIELD(struct cfg_track_if, f)

static const struct cfg_key track_if_keys[] = {
	{ "name",   KT_IFNAME, KF_REQ, TI(name), 0, 0, NULL, NULL },
	{ "weight", KT_INT, 0, TI(weight), -253, 253, NULL, NULL },
};

#define TS(f)	CFG_FIELD(struct cfg_track_script, f)

static const struct cfg_key track_script_keys[] = {
	{ "path",     KT_PATH, KF_REQ, TS(path), 0, 0, NULL, NULL },
	{ "interval", KT_DUR_MS, 0, TS(interval_ms), 100, 3600000, NULL,
	    NULL },
	{ "timeout",  KT_DUR_MS, 0, TS(timeout_ms), 100, 3600000, NULL,
	    NULL },
	{ "weight",   KT_INT, 0, TS(weight), -253, 253, NULL, NULL },
	{ "rise",     KT_INT, 0, TS(rise), 1, 100, NULL, NULL },
	{ "fall",     KT_INT, 0, TS(fall), 1, 100, NULL, NULL },
};

/* ( { ... }, { ... } ): a list of groups, the count or -1. */
static int
group_list(struct cfg_ctx *c, const config_setting_t *s)
{
	int	 n;

	if (!config_setting_is_list(s))
		return cfg_err(c, s, "expected a list ( { ... }, ... )");
	if ((n = config_setting_length(s)) == 0)
		return cfg_err(c, s, "empty list (leave the key out instead)");
	return n;
}

static int
h_track_ifs(struct cfg_ctx *c, const config_setting_t *s, void *obj)
{
	struct cfg_group	*g = obj;
	const config_setting_t	*e;
	int			 i, j, n;

	if ((n = group_list(c, s)) == -1)
		return -1;
	if ((g->track_ifs = cfg_calloc(c, s, (size_t)n,
	    sizeof(*g->track_ifs))) == NULL)
		return -1;
	g->ntrack_ifs = (size_t)n;
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(s, (unsigned int)i);
		if (cfg_apply(c, e, track_if_keys, nitems(track_if_keys),
		    &g->track_ifs[i]) == -1)
			return -1;
		for (j = 0; j < i; j++)
			if (strcmp(g->track_ifs[j].name,
			    g->track_ifs[i].name) == 0)
				return cfg_err(c, cfg_member(e, "name"),
				    "'%s' is tracked twice",
				    g->track_ifs[i].name);
	}
	return 0;
}

static int
h_track_scripts(struct cfg_ctx *c, const config_setting_t *s, void *obj)
{
	struct cfg_group	*g = obj;
	struct cfg_track_script	*t;
	const config_setting_t	*e;
	int			 i, n;

	if ((n = group_list(c, s)) == -1)
		return -1;
	if ((g->track_scripts = cfg_calloc(c, s, (size_t)n,
	    sizeof(*g->track_scripts))) == NULL)
		return -1;
	g->ntrack_scripts = (size_t)n;
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(s, (unsigned int)i);
		t = &g->track_scripts[i];
		t->interval_ms = 2000;
		t->rise = t->fall = 1;
		if (cfg_apply(c, e, track_script_keys,
		    nitems(track_script_keys), t) == -1)
			return -1;
		if (t->timeout_ms == 0)
			t->timeout_ms = t->interval_ms;
		else if (t->timeout_ms > t->interval_ms)
			return cfg_err(c, cfg_member(e, "timeout"), "longer "
			    "than interval (%" PRIu32 " ms): runs would "
			    "overlap", t->interval_ms);
	}
	return 0;
}

#define GR(f)	CFG_FIELD(struct cfg_group, f)

static const struct cfg_key group_keys[] = {
	{ "vrid",	      KT_INT, KF_REQ, GR(vrid), 1, 255, NULL, NULL },
	{ "interface",	      KT_IFNAME, KF_REQ, GR(interface), 0, 0, NULL,
	    NULL },
	{ "vips",	      KT_FN, KF_REQ, 0, 0, 0, 0, NULL, h_vips },
	{ "priority",	      KT_FN, 0, 0, 0, 0, 0, NULL, h_group_priority },
	{ "preempt",	      KT_BOOL, 0, GR(preempt), 0, 0, NULL, NULL },
	{ "preempt_delay",    KT_DUR_S, 0, GR(preempt_delay_s), 0, 1000, NULL,
	    NULL },
	{ "advert_interval",  KT_INT, 0, GR(advert_interval_cs), 1, 4095,
	    NULL, NULL },
	{ "garp_count",	      KT_INT, 0, GR(garp_count), 0, 100, NULL, NULL },
	{ "garp_interval",    KT_DUR_MS, 0, GR(garp_interval_ms), 0, 10000,
	    NULL, NULL },
	{ "garp_master_refresh", KT_DUR_MS, 0, GR(garp_refresh_ms), 0,
	    86400000, NULL, NULL },
	{ "garp_master_refresh_repeat", KT_INT, 0, GR(garp_refresh_repeat),
	    1, 100, NULL, NULL },
	{ "use_vmac",	      KT_BOOL, 0, GR(use_vmac), 0, 0, NULL, NULL },
	{ "vmac_name",	      KT_IFNAME, 0, GR(vmac_name), 0, 0, NULL, NULL },
	{ "track_interfaces", KT_FN, 0, 0, 0, 0, 0, NULL, h_track_ifs },
	{ "track_scripts",    KT_FN, 0, 0, 0, 0, 0, NULL, h_track_scripts },
	{ "notify",	      KT_PATH, 0, GR(notify), 0, 0, NULL, NULL },
	{ "notify_master",    KT_FN, 0, 0, 0, 0, 0, NULL, h_notify_master },
	{ "notify_backup",    KT_FN, 0, 0, 0, 0, 0, NULL, h_notify_backup },
	{ "notify_fault",     KT_FN, 0, 0, 0, 0, 0, NULL, h_notify_fault },
	{ "notify_stop",      KT_FN, 0, 0, 0, 0, 0, NULL, h_notify_stop },
};

/*
 * use_vmac: the macvlan's name, "vrrp.<vrid>" (keepalived's) unless
 * vmac_name says otherwise; vmac_name alone would have no effect.  The
 * name must not be an interface the configuration uses otherwise.
 */
static int
group_vmac(struct cfg_ctx *c, const config_setting_t *gs,
    struct cfg_group *g)
{
	const config_setting_t	*vn = cfg_member(gs, "vmac_name");
	size_t			 i;

	if (!g->use_vmac) {
		if (vn != NULL)
			return cfg_err(c, vn, "has no effect without "
			    "use_vmac = true");
		return 0;
	}
	if (g->vmac_name[0] == '\0')
		snprintf(g->vmac_name, sizeof(g->vmac_name), "vrrp.%u",
		    g->vrid);
	if (strcmp(g->vmac_name, g->interface) == 0)
		return cfg_err(c, vn != NULL ? vn : gs, "'%s' is the group's "
		    "interface, not a name for its macvlan", g->vmac_name);
	for (i = 0; i < g->nvips; i++)
		if (strcmp(g->vip_ifs[i], g->vmac_name) == 0)
			return cfg_err(c, cfg_member(gs, "vips"), "a VIP on "
			    "%s, the macvlan: VIPs on the group's interface "
			    "go there by themselves", g->vmac_name);
	return 0;
}

/* A VIP in two groups, or two groups with one vrid on one interface,
 * or one macvlan name. */
static int
group_clash(struct cfg_ctx *c, const config_setting_t *gs,
    const struct cfg_ha *ha, size_t gi)
{
	const struct cfg_group	*g = &ha->groups[gi], *o;
	const config_setting_t	*vs, *w;
	size_t			 i, j, k;

	for (i = 0; i < gi; i++) {
		o = &ha->groups[i];
		if (g->use_vmac && (strcmp(g->vmac_name, o->interface) == 0 ||
		    (o->use_vmac && strcmp(g->vmac_name, o->vmac_name) == 0)))
			return cfg_err(c, cfg_member(gs, "vmac_name") != NULL ?
			    cfg_member(gs, "vmac_name") : gs, "macvlan %s "
			    "clashes with group '%s' (vmac_name sets another)",
			    g->vmac_name, o->name);
		if (o->use_vmac && strcmp(o->vmac_name, g->interface) == 0)
			return cfg_err(c, cfg_member(gs, "interface"), "%s is "
			    "the macvlan of group '%s'", g->interface,
			    o->name);
		if (o->vrid == g->vrid && strcmp(o->interface,
		    g->interface) == 0)
			return cfg_err(c, cfg_member(gs, "vrid"), "vrid %u on "
			    "%s is already used by group '%s'", g->vrid,
			    g->interface, o->name);
		for (j = 0; j < g->nvips; j++)
			for (k = 0; k < o->nvips; k++) {
				if (g->vips[j].family != o->vips[k].family ||
				    memcmp(g->vips[j].addr, o->vips[k].addr,
				    16) != 0)
					continue;
				vs = cfg_member(gs, "vips");
				w = config_setting_type(vs) ==
				    CONFIG_TYPE_STRING ? vs :
				    config_setting_get_elem(vs,
				    (unsigned int)j);
				return cfg_err(c, w, "'%s' is also a VIP of "
				    "group '%s'", config_setting_get_string(w),
				    o->name);
			}
	}
	return 0;
}

static int
groups(struct cfg_ctx *c, const config_setting_t *s, struct cfg_ha *ha)
{
	const config_setting_t	*gs, *pd;
	struct cfg_group	*g;
	size_t			 i;

	if (!config_setting_is_group(s))
		return cfg_err(c, s, "expected a group { NAME { ... } }");
	if (config_setting_length(s) == 0)
		return cfg_err(c, s, "no VIP group defined");
	ha->ngroups = (size_t)config_setting_length(s);
	if ((ha->groups = cfg_calloc(c, s, ha->ngroups,
	    sizeof(*ha->groups))) == NULL) {
		ha->ngroups = 0;
		return -1;
	}
	for (i = 0; i < ha->ngroups; i++) {
		gs = config_setting_get_elem(s, (unsigned int)i);
		g = &ha->groups[i];
		if (cfg_set_name(c, gs, g->name) == -1)
			return -1;
		g->priority = ha->priority;
		g->preempt = true;
		g->advert_interval_cs = 100;
		g->garp_count = 5;
		g->garp_interval_ms = 100;
		g->garp_refresh_repeat = 1;
		if (cfg_apply(c, gs, group_keys, nitems(group_keys), g) == -1)
			return -1;
		if (g->garp_refresh_ms > 0 && g->garp_refresh_ms < 1000)
			return cfg_err(c, cfg_member(gs,
			    "garp_master_refresh"), "under 1 s: a refresh, "
			    "not a flood (0 turns it off)");
		if (g->garp_refresh_ms > 0 && (uint64_t)g->garp_interval_ms *
		    g->garp_refresh_repeat >= g->garp_refresh_ms)
			return cfg_err(c, cfg_member(gs,
			    "garp_master_refresh_repeat"), "%" PRIu32 " rounds "
			    "%" PRIu32 " ms apart do not fit in the refresh "
			    "period", g->garp_refresh_repeat,
			    g->garp_interval_ms);
		if (!g->preempt && (pd = cfg_member(gs, "preempt_delay")) !=
		    NULL)
			return cfg_err(c, pd, "has no effect with preempt = "
			    "false");
		if (group_vmac(c, gs, g) == -1 ||
		    group_clash(c, gs, ha, i) == -1)
			return -1;
	}
	return 0;
}

#define HA(f)	CFG_FIELD(struct cfg_ha, f)

static const struct cfg_key ha_keys[] = {
	{ "node",	 KT_NAME, 0, HA(node), 0, 0, NULL, NULL },
	{ "priority",	 KT_FN, 0, 0, 0, 0, 0, NULL, h_ha_priority },
	{ "maintenance", KT_BOOL, 0, HA(maintenance), 0, 0, NULL, NULL },
	{ "takeover_rekey_spread", KT_DUR_MS, 0, HA(takeover_rekey_spread_ms),
	    0, 3600000, NULL, NULL },
	{ "standby_preinstall", KT_BOOL, 0, HA(standby_preinstall), 0, 0, NULL,
	    NULL },
	{ "takeover_rt_priority", KT_INT, 0, HA(takeover_rt_priority), 0, 98,
	    NULL, NULL },
	{ "groups",	 KT_LATER, KF_REQ, 0, 0, 0, 0, NULL, NULL },
};

int
cfg_ha(struct cfg_ctx *c, const config_setting_t *s, void *obj)
{
	struct cfg_ha	*ha = &((struct tnd_cfg *)obj)->ha;

	if (cfg_apply(c, s, ha_keys, nitems(ha_keys), ha) == -1)
		return -1;
	return groups(c, cfg_member(s, "groups"), ha);
}
