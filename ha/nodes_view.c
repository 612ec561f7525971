/*
 * ha/nodes_view.c -- the cluster-wide node table of `haadm status`
 * (nodes_view.h).  Pure.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "nodes_view.h"
#include "tandem/util.h"

static struct nv_node *
node_get(struct nodes_view *v, uint32_t id)
{
	size_t	 i;

	for (i = 0; i < v->nn; i++)
		if (v->n[i].id == id)
			return &v->n[i];
	if (v->nn >= nitems(v->n))
		return NULL;
	memset(&v->n[v->nn], 0, sizeof(v->n[0]));
	v->n[v->nn].id = id;
	v->n[v->nn].ike = v->n[v->nn].child = NV_UNKNOWN;
	v->n[v->nn].lag_events = v->n[v->nn].lag_ms = NV_UNKNOWN;
	v->n[v->nn].ctr_age_ms = v->n[v->nn].stats_age_ms = NV_UNKNOWN;
	v->n[v->nn].xfrm_errors = NV_UNKNOWN;
	v->n[v->nn].differs_ms = 0;
	return &v->n[v->nn++];
}

const struct nv_node *
nodes_view_find(const struct nodes_view *v, uint32_t id)
{
	size_t	 i;

	for (i = 0; i < v->nn; i++)
		if (v->n[i].id == id)
			return &v->n[i];
	return NULL;
}

/* A decimal u32 of 1..10 digits at *s, ended by `end`; *s moves past. */
static bool
parse_u32(const char **s, char end, uint32_t *out)
{
	const char	*p = *s;
	uint64_t	 v = 0;

	if (*p < '0' || *p > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++)
		if ((v = v * 10 + (uint64_t)(*p - '0')) > UINT32_MAX)
			return false;
	if (*p != end)
		return false;
	*out = (uint32_t)v;
	*s = end == '\0' ? p : p + 1;
	return true;
}

/* A count, or NV_UNKNOWN ("-", anything not a number). */
static int64_t
num(const char *s)
{
	char		*end;
	long long	 v;

	if (*s < '0' || *s > '9')
		return NV_UNKNOWN;
	v = strtoll(s, &end, 10);
	return *end == '\0' && v >= 0 ? (int64_t)v : NV_UNKNOWN;
}

static void
copy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src);
}

static void
take(struct nv_node *n, const char *f, const char *val)
{
	if (strcmp(f, "state") == 0)
		n->stale = strcmp(val, "up") != 0;
	else if (strcmp(f, "stats_age_ms") == 0) {
		n->stats_age_ms = num(val);
		n->heard = n->stats_age_ms != NV_UNKNOWN;
	} else if (strcmp(f, "synced") == 0)
		copy(n->synced, sizeof(n->synced), val);
	else if (strcmp(f, "ring_crypto") == 0)
		copy(n->ring, sizeof(n->ring), val);
	else if (strcmp(f, "ike_sas") == 0)
		n->ike = num(val);
	else if (strcmp(f, "child_sas") == 0)
		n->child = num(val);
	else if (strcmp(f, "commit_lag_events") == 0)
		n->lag_events = num(val);
	else if (strcmp(f, "commit_lag_ms") == 0)
		n->lag_ms = num(val);
	else if (strcmp(f, "ctr_age_ms") == 0)
		n->ctr_age_ms = num(val);
	else if (strcmp(f, "xfrm_errors") == 0)
		n->xfrm_errors = num(val);
	else if (strcmp(f, "digest_differs_ms") == 0)
		n->differs_ms = num(val) > 0 ? num(val) : 0;
	else if (strcmp(f, "digest") == 0)
		copy(n->digest, sizeof(n->digest), strcmp(val, "-") == 0 ?
		    "" : val);
	else if (strcmp(f, "digest_equal") == 0)
		n->dg = strcmp(val, "yes") == 0 ? NV_DG_YES :
		    strcmp(val, "no") == 0 ? NV_DG_NO : NV_DG_UNKNOWN;
	else if (strncmp(f, "xfrm.", 5) == 0 && n->nx < nitems(n->x) &&
	    num(val) != NV_UNKNOWN && strlen(f + 5) < sizeof(n->x[0].name)) {
		copy(n->x[n->nx].name, sizeof(n->x[0].name), f + 5);
		n->x[n->nx].value = (uint64_t)num(val);
		n->nx++;
	}
}

/* hamgrd's node_ids: "1=a,2=b". */
static void
names(struct nodes_view *v, const char *ids)
{
	char		 buf[512], *tok, *save = NULL, *eq;
	const char	*p;
	uint32_t	 id;
	struct nv_node	*n;

	copy(buf, sizeof(buf), ids);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if ((eq = strchr(tok, '=')) == NULL)
			continue;
		p = tok;
		if (!parse_u32(&p, '=', &id))
			continue;
		if ((n = (struct nv_node *)nodes_view_find(v, id)) != NULL)
			copy(n->name, sizeof(n->name), eq + 1);
	}
}

static bool
in_csv(const char *list, const char *name)
{
	size_t		 n = strlen(name);
	const char	*p = list;

	if (n == 0)
		return false;
	while ((p = strstr(p, name)) != NULL) {
		if ((p == list || p[-1] == ',') &&
		    (p[n] == '\0' || p[n] == ','))
			return true;
		p += n;
	}
	return false;
}

static void
role_add(struct nv_node *n, const char *group, const char *role)
{
	size_t	 l = strlen(n->roles);

	snprintf(n->roles + l, sizeof(n->roles) - l, "%s%s=%s",
	    l ? "," : "", group, role);
}

/* Each group: this node's role ("G.role"), the others' from "G.masters". */
static void
roles(struct nodes_view *v, const struct nv_kv *hk, size_t nhk)
{
	char		 g[NV_NAME_MAX], k[NV_NAME_MAX + 16];
	const char	*masters;
	size_t		 i, j, l, m;

	for (i = 0; i < nhk; i++) {
		l = strlen(hk[i].key);
		if (l <= 5 || strcmp(hk[i].key + l - 5, ".role") != 0 ||
		    l - 5 >= sizeof(g))
			continue;
		memcpy(g, hk[i].key, l - 5);
		g[l - 5] = '\0';
		snprintf(k, sizeof(k), "%s.masters", g);
		for (j = 0, masters = ""; j < nhk; j++)
			if (strcmp(hk[j].key, k) == 0)
				masters = hk[j].val;
		for (m = 0; m < v->nn; m++) {
			if (v->n[m].self)
				role_add(&v->n[m], g, hk[i].val);
			else if (v->n[m].name[0] != '\0')
				role_add(&v->n[m], g, in_csv(masters,
				    v->n[m].name) ? "MASTER" : "BACKUP");
		}
	}
}

size_t
nodes_view_build(struct nodes_view *v, const struct nv_kv *sk, size_t nsk,
    const struct nv_kv *hk, size_t nhk)
{
	const char	*p;
	char		 f[64];
	uint32_t	 id;
	struct nv_node	*n;
	size_t		 i;

	memset(v, 0, sizeof(*v));
	for (i = 0; i < nsk; i++) {
		if (strcmp(sk[i].key, "node") == 0) {
			p = sk[i].val;
			if (!parse_u32(&p, '\0', &v->self))
				v->self = 0;
			continue;
		}
		if (strncmp(sk[i].key, "node.", 5) != 0)
			continue;
		p = sk[i].key + 5;
		if (!parse_u32(&p, '.', &id) || strlen(p) >= sizeof(f) ||
		    (n = node_get(v, id)) == NULL)
			continue;
		copy(f, sizeof(f), p);
		take(n, f, sk[i].val);
	}
	for (i = 0; i < v->nn; i++)
		v->n[i].self = v->self != 0 && v->n[i].id == v->self;
	for (i = 0; i < nhk; i++)
		if (strcmp(hk[i].key, "node_ids") == 0)
			names(v, hk[i].val);
	roles(v, hk, nhk);
	return v->nn;
}

int
nodes_view_health(const struct nodes_view *v, char *why, size_t len)
{
	const struct nv_node	*n;
	size_t			 i;

	for (i = 0; i < v->nn; i++) {
		n = &v->n[i];
		if (n->dg == NV_DG_NO) {
			snprintf(why, len, "node %u%s%s%s: SA database differs "
			    "from this node's (for %" PRId64 " ms; haadm "
			    "resync)", n->id, n->name[0] ? " (" : "", n->name,
			    n->name[0] ? ")" : "", n->differs_ms);
			return 1;
		}
		if (!n->stale && n->lag_ms >= NV_LAG_DEGRADED_MS) {
			snprintf(why, len, "node %u%s%s%s: replication stuck "
			    "for %" PRId64 " ms with %" PRId64 " event(s) not "
			    "acknowledged by every member", n->id,
			    n->name[0] ? " (" : "", n->name,
			    n->name[0] ? ")" : "", n->lag_ms, n->lag_events);
			return 1;
		}
	}
	if (len > 0)
		why[0] = '\0';
	return 0;
}

uint64_t
nodes_view_xstat(const struct nv_node *n, const char *name)
{
	size_t	 i;

	if (strncmp(name, "Xfrm", 4) == 0)
		name += 4;
	for (i = 0; i < n->nx; i++)
		if (strcmp(n->x[i].name, name) == 0)
			return n->x[i].value;
	return 0;
}

static const char *
num_str(char *buf, size_t cap, int64_t v, const char *unit)
{
	if (v == NV_UNKNOWN)
		snprintf(buf, cap, "-");
	else
		snprintf(buf, cap, "%" PRId64 "%s", v, unit);
	return buf;
}

static const char *
dg_name(enum nv_dg dg)
{
	return dg == NV_DG_YES ? "yes" : dg == NV_DG_NO ? "no" : "unknown";
}

void
nodes_view_print(FILE *f, const struct nodes_view *v)
{
	const struct nv_node	*n;
	char			 id[16], ike[24], ch[24], lag[48], ctr[24];
	char			 le[24], lm[24];
	size_t			 i;

	fprintf(f, "%-6s %-10s %-5s %-6s %-7s %-7s %-14s %-8s %-4s %-6s "
	    "%s\n", "NODE", "NAME", "STATE", "IKE", "CHILD", "SYNCED", "LAG",
	    "CTR-AGE", "RING", "DIGEST", "ROLES");
	for (i = 0; i < v->nn; i++) {
		n = &v->n[i];
		snprintf(id, sizeof(id), "%u%s", n->id, n->self ? "*" : "");
		snprintf(lag, sizeof(lag), "%s/%s",
		    num_str(le, sizeof(le), n->lag_events, ""),
		    num_str(lm, sizeof(lm), n->lag_ms, "ms"));
		fprintf(f, "%-6s %-10s %-5s %-6s %-7s %-7s %-14s %-8s %-4s "
		    "%-6s %s\n", id, n->name[0] ? n->name : "-",
		    n->stale ? "stale" : "up",
		    num_str(ike, sizeof(ike), n->ike, ""),
		    num_str(ch, sizeof(ch), n->child, ""),
		    n->synced[0] ? n->synced : "-", lag,
		    num_str(ctr, sizeof(ctr), n->ctr_age_ms, "ms"),
		    n->ring[0] ? n->ring : "-",
		    n->self ? "self" : dg_name(n->dg),
		    n->roles[0] ? n->roles : "-");
	}
}

static void
jstr(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void
jnum(FILE *f, const char *key, int64_t v)
{
	fprintf(f, ", \"%s\": ", key);
	if (v == NV_UNKNOWN)
		fprintf(f, "null");
	else
		fprintf(f, "%" PRId64, v);
}

void
nodes_view_json(FILE *f, const struct nodes_view *v)
{
	const struct nv_node	*n;
	size_t			 i, j;

	fprintf(f, "[");
	for (i = 0; i < v->nn; i++) {
		n = &v->n[i];
		fprintf(f, "%s{\"node\": %u, \"name\": ", i ? ", " : "", n->id);
		jstr(f, n->name);
		fprintf(f, ", \"self\": %s, \"state\": \"%s\", \"synced\": ",
		    n->self ? "true" : "false", n->stale ? "stale" : "up");
		jstr(f, n->synced[0] ? n->synced : "unknown");
		fprintf(f, ", \"ring_crypto\": ");
		jstr(f, n->ring[0] ? n->ring : "unknown");
		jnum(f, "stats_age_ms", n->stats_age_ms);
		jnum(f, "ike_sas", n->ike);
		jnum(f, "child_sas", n->child);
		jnum(f, "commit_lag_events", n->lag_events);
		jnum(f, "commit_lag_ms", n->lag_ms);
		jnum(f, "ctr_age_ms", n->ctr_age_ms);
		fprintf(f, ", \"digest\": ");
		jstr(f, n->digest);
		fprintf(f, ", \"digest_equal\": \"%s\"", n->self ? "yes" :
		    dg_name(n->dg));
		jnum(f, "digest_differs_ms", n->differs_ms);
		jnum(f, "xfrm_errors", n->xfrm_errors);
		fprintf(f, ", \"xfrm\": {");
		for (j = 0; j < n->nx; j++) {
			fprintf(f, "%s", j ? ", " : "");
			jstr(f, n->x[j].name);
			fprintf(f, ": %" PRIu64, n->x[j].value);
		}
		fprintf(f, "}, \"roles\": ");
		jstr(f, n->roles);
		fprintf(f, "}");
	}
	fprintf(f, "]");
}
