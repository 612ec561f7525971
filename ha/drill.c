/*
 * ha/drill.c -- the pure parts of `haadm drill` (see drill.h).
 *
 * The JSON report (--json), one object per drill:
 *
 *   { "kind": "planned" | "crash" | "link",
 *     "verdict": "pass" | "fail",
 *     "reasons": [ string, ... ],          // why it failed; [] on pass
 *     "group": string, "node": string,     // the group, this node
 *     "old_master": string, "new_master": string | null,
 *     "masters_after": [ string, ... ],    // exactly one on a pass
 *     "failure": string,                   // what was done
 *     "failure_unix_ms": integer,
 *     "down_ms": integer,                  // links held down (0: planned)
 *     "takeover_ms": integer | null,       // failure -> new master seen
 *     "decided_ms": integer | null,        // failure -> new master's
 *                                          // transition, its clock
 *     "activation_ms": number | null,      // its actions (ikev2d, VIPs)
 *     "traffic_gap_ms": integer | null,    // upper bound, see below
 *     "counter_sync_ms": integer,          // the bound's granularity
 *     "settle_ms": integer,
 *     "ike":   { "before": n, "after": n, "kept": n, "lost": n, "new": n },
 *     "child": { "before": n, "after": n, "kept": n, "rekeyed": n,
 *                "new": n, "gone": n },
 *     "renegotiations": n, "rekeys": n,
 *     "xfrm_errors": [ { "node": id, "name": string, "self": bool,
 *                        "before": { counter: n } | null,
 *                        "after": { counter: n } | null,
 *                        "rose": bool }, ... ],  // every node (STATS)
 *     "back_ms": integer | null,           // --back: asked -> MASTER here
 *     "limits": { "max_outage_ms": n | null,
 *                 "max_renegotiations": n | null,
 *                 "max_rekeys": n | null } }
 *
 * traffic_gap_ms is the time from the last advance of an inbound replay
 * top this node's syncd held before the failure to the first advance
 * after traffic resumed (the takeover seen plus one counter-sync
 * interval): an upper bound of the outage, coarse by counter_sync_ms;
 * null when there was no traffic before, or it did not resume (the
 * reasons say which).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/util.h"
#include "drill.h"

static const char *const kind_names[] = {
	[DRILL_PLANNED]	= "planned",
	[DRILL_CRASH]	= "crash",
	[DRILL_LINK]	= "link",
};
_Static_assert(nitems(kind_names) == DRILL_KIND_MAX, "a name per kind");

const char *
drill_kind_name(enum drill_kind k)
{
	return (unsigned int)k < nitems(kind_names) ? kind_names[k] : "?";
}

/* Copy n hex digits of s, lower-cased, into dst (n + 1 bytes). */
static int
hex_copy(char *dst, const char *s, size_t n)
{
	size_t	 i;

	if (s == NULL || strlen(s) != n)
		return -1;
	for (i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return -1;
		dst[i] = (char)tolower((unsigned char)s[i]);
	}
	dst[n] = '\0';
	return 0;
}

static int
grow(void **p, size_t *cap, size_t n, size_t size)
{
	void	*q;
	size_t	 c;

	if (n < *cap)
		return 0;
	c = *cap ? *cap * 2 : 16;
	if (c > SIZE_MAX / size || (q = realloc(*p, c * size)) == NULL)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

int
drill_sas_add_ike(struct drill_sas *s, const char *spi_i, const char *spi_r)
{
	struct drill_ike	 e;

	if (hex_copy(e.spi_i, spi_i, 16) == -1 ||
	    hex_copy(e.spi_r, spi_r, 16) == -1 ||
	    grow((void **)&s->ike, &s->cap_ike, s->nike, sizeof(e)) == -1)
		return -1;
	s->ike[s->nike++] = e;
	s->sorted = false;
	return 0;
}

int
drill_sas_add_child(struct drill_sas *s, const char *ike_spi_i,
    const char *ike_spi_r, const char *spi_in, const char *spi_out,
    uint64_t in_top)
{
	struct drill_child	 c;

	if (hex_copy(c.ike_spi_i, ike_spi_i, 16) == -1 ||
	    hex_copy(c.ike_spi_r, ike_spi_r, 16) == -1 ||
	    hex_copy(c.spi_in, spi_in, 8) == -1 ||
	    hex_copy(c.spi_out, spi_out, 8) == -1 ||
	    grow((void **)&s->child, &s->cap_child, s->nchild,
	    sizeof(c)) == -1)
		return -1;
	c.in_top = in_top;
	s->child[s->nchild++] = c;
	s->sorted = false;
	return 0;
}

void
drill_sas_free(struct drill_sas *s)
{
	if (s == NULL)
		return;
	free(s->ike);
	free(s->child);
	memset(s, 0, sizeof(*s));
}

static int
ike_cmp(const void *a, const void *b)
{
	const struct drill_ike	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->spi_i, y->spi_i)) != 0)
		return c;
	return strcmp(x->spi_r, y->spi_r);
}

static int
child_cmp(const void *a, const void *b)
{
	const struct drill_child	*x = a, *y = b;
	int				 c;

	if ((c = strcmp(x->spi_in, y->spi_in)) != 0)
		return c;
	return strcmp(x->spi_out, y->spi_out);
}

void
drill_sas_sort(struct drill_sas *s)
{
	if (s->sorted)
		return;
	if (s->nike > 1)
		qsort(s->ike, s->nike, sizeof(*s->ike), ike_cmp);
	if (s->nchild > 1)
		qsort(s->child, s->nchild, sizeof(*s->child), child_cmp);
	s->sorted = true;
}

static bool
has_ike(const struct drill_sas *s, const char *spi_i, const char *spi_r)
{
	struct drill_ike	 k;

	if (s->nike == 0)
		return false;
	memcpy(k.spi_i, spi_i, sizeof(k.spi_i));
	memcpy(k.spi_r, spi_r, sizeof(k.spi_r));
	return bsearch(&k, s->ike, s->nike, sizeof(k), ike_cmp) != NULL;
}

static const struct drill_child *
find_child(const struct drill_sas *s, const struct drill_child *k)
{
	if (s->nchild == 0)
		return NULL;
	return bsearch(k, s->child, s->nchild, sizeof(*k), child_cmp);
}

void
drill_compare(struct drill_sas *before, struct drill_sas *after,
    struct drill_cmp *o)
{
	const struct drill_child	*c;
	size_t				 i;

	memset(o, 0, sizeof(*o));
	drill_sas_sort(before);
	drill_sas_sort(after);
	o->ike_before = before->nike;
	o->ike_after = after->nike;
	o->child_before = before->nchild;
	o->child_after = after->nchild;
	for (i = 0; i < after->nike; i++)
		if (has_ike(before, after->ike[i].spi_i, after->ike[i].spi_r))
			o->ike_kept++;
		else
			o->ike_new++;
	o->ike_lost = before->nike - o->ike_kept;
	for (i = 0; i < after->nchild; i++) {
		c = &after->child[i];
		if (find_child(before, c) != NULL)
			o->child_kept++;
		else if (has_ike(before, c->ike_spi_i, c->ike_spi_r))
			o->child_rekeyed++;
		else
			o->child_new++;
	}
	o->child_gone = before->nchild - o->child_kept;
}

bool
drill_sas_advanced(struct drill_sas *prev, struct drill_sas *cur)
{
	const struct drill_child	*p;
	size_t				 i;

	drill_sas_sort(prev);
	for (i = 0; i < cur->nchild; i++) {
		p = find_child(prev, &cur->child[i]);
		if (p != NULL ? cur->child[i].in_top > p->in_top :
		    cur->child[i].in_top > 0)
			return true;
	}
	return false;
}

void
drill_gap_init(struct drill_gap *g, int64_t fail_ms)
{
	g->fail_ms = fail_ms;
	g->resume_ms = -1;
	g->last_before_ms = -1;
	g->first_after_ms = -1;
}

void
drill_gap_resume(struct drill_gap *g, int64_t t_ms)
{
	if (g->resume_ms < 0)
		g->resume_ms = t_ms < g->fail_ms ? g->fail_ms : t_ms;
}

void
drill_gap_note(struct drill_gap *g, int64_t t_ms, bool advanced)
{
	if (!advanced)
		return;
	if (t_ms < g->fail_ms)
		g->last_before_ms = t_ms;
	else if (g->resume_ms >= 0 && t_ms >= g->resume_ms &&
	    g->first_after_ms < 0)
		g->first_after_ms = t_ms;
}

int64_t
drill_gap_ms(const struct drill_gap *g)
{
	if (g->last_before_ms < 0)
		return DRILL_GAP_NO_BEFORE;
	if (g->first_after_ms < 0)
		return DRILL_GAP_NO_AFTER;
	return g->first_after_ms - g->last_before_ms;
}

static void
reason(struct drill_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
reason(struct drill_report *r, const char *fmt, ...)
{
	va_list	 ap;

	r->pass = false;
	if (r->nreasons >= DRILL_REASONS_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(r->reasons[r->nreasons++], DRILL_REASON_LEN, fmt, ap);
	va_end(ap);
}

static void	xerr_evaluate(struct drill_report *);

void
drill_evaluate(struct drill_report *r, const struct drill_limits *lim)
{
	int64_t	 reneg = (int64_t)r->cmp.ike_new;
	int64_t	 rekeys = (int64_t)r->cmp.child_rekeyed;

	r->pass = true;
	r->nreasons = 0;
	r->lim = *lim;
	if (r->kind == DRILL_LINK) {
		if (r->role_changed)
			reason(r, "the master of %s changed (%s -> %s): a "
			    "cluster-link cut must not move the group",
			    r->group, r->old_master, r->new_master[0] ?
			    r->new_master : "none");
	} else if (r->new_master[0] == '\0' ||
	    strcmp(r->new_master, r->old_master) == 0)
		reason(r, "no other node became MASTER of %s", r->group);
	if (r->nmasters_after != 1)
		reason(r, "%zu masters of %s after the drill%s%s%s",
		    r->nmasters_after, r->group,
		    r->nmasters_after > 0 ? " (" : "", r->masters_after,
		    r->nmasters_after > 0 ? ")" : "");
	if (r->cmp.ike_lost > 0)
		reason(r, "%zu of %zu IKE SAs lost", r->cmp.ike_lost,
		    r->cmp.ike_before);
	if (lim->max_renegotiations != DRILL_NO_LIMIT &&
	    reneg > lim->max_renegotiations)
		reason(r, "%" PRId64 " renegotiation%s (new IKE SAs) > "
		    "--max-renegotiations %" PRId64, reneg, reneg == 1 ? "" :
		    "s", lim->max_renegotiations);
	if (lim->max_rekeys != DRILL_NO_LIMIT && rekeys > lim->max_rekeys)
		reason(r, "%" PRId64 " Child SA rekey%s > --max-rekeys %"
		    PRId64, rekeys, rekeys == 1 ? "" : "s", lim->max_rekeys);
	xerr_evaluate(r);
	if (r->back && r->back_ms < 0)
		reason(r, "the return trip failed: %s", r->back_why[0] !=
		    '\0' ? r->back_why : "the group did not come back");
	if (lim->max_outage_ms != DRILL_NO_LIMIT) {
		if (r->gap_ms == DRILL_GAP_NO_BEFORE)
			reason(r, "traffic gap not measured: no inbound "
			    "traffic before the failure (is anything "
			    "flowing?)");
		else if (r->gap_ms < 0)
			reason(r, "traffic did not resume: no inbound counter "
			    "of %s advanced after the takeover (by the end of "
			    "the settle period)", r->group);
		else if (r->gap_ms > lim->max_outage_ms)
			reason(r, "traffic gap %" PRId64 " ms > --max-outage "
			    "%" PRId64 " ms", r->gap_ms, lim->max_outage_ms);
	}
}

static const char *const xerr_names[] = {
	[DRILL_XE_IN_SEQ]	= "XfrmInStateSeqError",
	[DRILL_XE_IN_PROTO]	= "XfrmInStateProtoError",
	[DRILL_XE_OUT_SEQ]	= "XfrmOutStateSeqError",
};
_Static_assert(nitems(xerr_names) == DRILL_XE_MAX, "name per counter");

const char *
drill_xerr_name(unsigned int x)
{
	return x < nitems(xerr_names) ? xerr_names[x] : "?";
}

int
drill_xerr_note(struct drill_xerrs *xe, uint32_t id, const char *name,
    bool self, bool after, const uint64_t v[DRILL_XE_MAX])
{
	struct drill_xnode	*n = NULL;
	size_t			 i;

	for (i = 0; i < xe->nn; i++)
		if (xe->n[i].id == id)
			n = &xe->n[i];
	if (n == NULL) {
		if (xe->nn >= nitems(xe->n))
			return -1;
		n = &xe->n[xe->nn++];
		memset(n, 0, sizeof(*n));
		n->id = id;
	}
	if (name != NULL && name[0] != '\0')
		snprintf(n->name, sizeof(n->name), "%s", name);
	n->self = self;
	if (after) {
		memcpy(n->after, v, sizeof(n->after));
		n->have_after = true;
	} else {
		memcpy(n->before, v, sizeof(n->before));
		n->have_before = true;
	}
	return 0;
}

/* "a (this node)", "b", "node 2". */
static void
xnode_label(const struct drill_xnode *n, char *buf, size_t len)
{
	if (n->name[0] != '\0')
		snprintf(buf, len, "%s%s", n->name, n->self ? " (this node)" :
		    "");
	else
		snprintf(buf, len, "node %u%s", n->id, n->self ?
		    " (this node)" : "");
}

static void
xerr_evaluate(struct drill_report *r)
{
	const struct drill_xnode	*n;
	char				 who[DRILL_NAME_MAX + 16];
	size_t				 i, x;

	for (i = 0; i < r->xerr.nn; i++) {
		n = &r->xerr.n[i];
		if (!n->have_before || !n->have_after)
			continue;
		xnode_label(n, who, sizeof(who));
		for (x = 0; x < DRILL_XE_MAX; x++)
			if (n->after[x] > n->before[x])
				reason(r, "%s: %s rose by %" PRIu64 " (%" PRIu64
				    " -> %" PRIu64 ")", who, xerr_names[x],
				    n->after[x] - n->before[x], n->before[x],
				    n->after[x]);
	}
}

static void
print_ms(FILE *f, int64_t ms)
{
	if (ms < 0)
		fprintf(f, "none");
	else if (ms >= 10000)
		fprintf(f, "%.1f s", (double)ms / 1000.0);
	else
		fprintf(f, "%" PRId64 " ms", ms);
}

static void
print_limit(FILE *f, const char *name, int64_t v, bool ms)
{
	fprintf(f, "%s ", name);
	if (v == DRILL_NO_LIMIT)
		fprintf(f, "none");
	else if (ms)
		print_ms(f, v);
	else
		fprintf(f, "%" PRId64, v);
}

#define ROW	"  %-16s"

void
drill_print(FILE *f, const struct drill_report *r)
{
	const struct drill_cmp	*c = &r->cmp;
	size_t			 i;

	fprintf(f, "drill %s, group %s, on node %s: %s\n",
	    drill_kind_name(r->kind), r->group, r->node,
	    r->pass ? "PASS" : "FAIL");
	fprintf(f, ROW "%s -> %s\n", "master", r->old_master,
	    r->new_master[0] != '\0' ? r->new_master : "none");
	fprintf(f, ROW "%s", "failure", r->what);
	if (r->down_ms > 0) {
		fprintf(f, " for ");
		print_ms(f, r->down_ms);
	}
	fputc('\n', f);
	fprintf(f, ROW, "takeover");
	if (r->kind == DRILL_LINK && !r->role_changed)
		fprintf(f, "none (expected: the master stays)\n");
	else if (r->takeover_ms < 0)
		fprintf(f, "not seen\n");
	else
		fprintf(f, "%s MASTER %" PRId64 " ms after the failure "
		    "(as this node's hamgrd saw it)\n", r->new_master,
		    r->takeover_ms);
	if (r->have_decided && r->kind != DRILL_LINK)
		fprintf(f, ROW "%s decided %" PRId64 " ms after the failure "
		    "(its clock), active %.1f ms later\n", "", r->new_master,
		    r->decided_ms, (double)r->activation_us / 1000.0);
	fprintf(f, ROW, "traffic gap");
	if (r->gap_ms == DRILL_GAP_NO_BEFORE)
		fprintf(f, "not measured (no inbound traffic before the "
		    "failure)\n");
	else if (r->gap_ms < 0)
		fprintf(f, "traffic did not resume (no inbound counter "
		    "advanced after the takeover)\n");
	else
		fprintf(f, "at most %" PRId64 " ms (inbound replay tops; "
		    "counters sync every %" PRId64 " ms)\n", r->gap_ms,
		    r->ctr_sync_ms);
	fprintf(f, ROW "%zu before, %zu after: %zu kept, %zu lost, %zu new\n",
	    "IKE SAs", c->ike_before, c->ike_after, c->ike_kept, c->ike_lost,
	    c->ike_new);
	fprintf(f, ROW "%zu before, %zu after: %zu kept, %zu rekeyed, "
	    "%zu new, %zu gone\n", "Child SAs", c->child_before,
	    c->child_after, c->child_kept, c->child_rekeyed, c->child_new,
	    c->child_gone);
	fprintf(f, ROW "%zu renegotiation%s, %zu rekey%s\n", "changes",
	    c->ike_new, c->ike_new == 1 ? "" : "s", c->child_rekeyed,
	    c->child_rekeyed == 1 ? "" : "s");
	fprintf(f, ROW "%s\n", "masters after", r->nmasters_after > 0 ?
	    r->masters_after : "none");
	if (r->back && r->back_ms >= 0)
		fprintf(f, ROW "%s MASTER again %" PRId64 " ms after asking "
		    "for the group\n", "back", r->node, r->back_ms);
	else if (r->back)
		fprintf(f, ROW "failed: %s\n", "back", r->back_why);
	for (i = 0; i < r->xerr.nn; i++) {
		const struct drill_xnode	*n = &r->xerr.n[i];
		char				 who[DRILL_NAME_MAX + 16];
		size_t				 x;

		xnode_label(n, who, sizeof(who));
		fprintf(f, ROW "%s:", i == 0 ? "xfrm errors" : "", who);
		for (x = 0; x < DRILL_XE_MAX; x++) {
			fprintf(f, "%s %s ", x ? "," : "", xerr_names[x] + 4);
			if (n->have_before)
				fprintf(f, "%" PRIu64, n->before[x]);
			else
				fprintf(f, "?");
			if (n->have_after)
				fprintf(f, " -> %" PRIu64, n->after[x]);
			else
				fprintf(f, " -> ?");
		}
		fputc('\n', f);
	}
	fprintf(f, ROW, "limits");
	print_limit(f, "outage", r->lim.max_outage_ms, true);
	print_limit(f, ", renegotiations", r->lim.max_renegotiations, false);
	print_limit(f, ", rekeys", r->lim.max_rekeys, false);
	fputc('\n', f);
	if (r->pass)
		fprintf(f, ROW "PASS\n", "verdict");
	for (i = 0; i < r->nreasons; i++)
		fprintf(f, ROW "FAIL: %s\n", i == 0 ? "verdict" : "",
		    r->reasons[i]);
}

static void
jstr(FILE *f, const char *s)
{
	const unsigned char	*p;

	fputc('"', f);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void
jnum(FILE *f, int64_t v, bool null_if_neg)
{
	if (null_if_neg && v < 0)
		fprintf(f, "null");
	else
		fprintf(f, "%" PRId64, v);
}

void
drill_json(FILE *f, const struct drill_report *r)
{
	const struct drill_cmp	*c = &r->cmp;
	const char		*p, *q;
	size_t			 i;

	fprintf(f, "{\"kind\": ");
	jstr(f, drill_kind_name(r->kind));
	fprintf(f, ", \"verdict\": \"%s\", \"reasons\": [",
	    r->pass ? "pass" : "fail");
	for (i = 0; i < r->nreasons; i++) {
		fprintf(f, "%s", i ? ", " : "");
		jstr(f, r->reasons[i]);
	}
	fprintf(f, "], \"group\": ");
	jstr(f, r->group);
	fprintf(f, ", \"node\": ");
	jstr(f, r->node);
	fprintf(f, ", \"old_master\": ");
	jstr(f, r->old_master);
	fprintf(f, ", \"new_master\": ");
	if (r->new_master[0] != '\0')
		jstr(f, r->new_master);
	else
		fprintf(f, "null");
	fprintf(f, ", \"masters_after\": [");
	for (p = r->masters_after, i = 0; *p != '\0'; i++) {
		char	 one[DRILL_NAME_MAX];
		size_t	 n;

		q = strchr(p, ',');
		n = q != NULL ? (size_t)(q - p) : strlen(p);
		snprintf(one, sizeof(one), "%.*s", (int)n, p);
		fprintf(f, "%s", i ? ", " : "");
		jstr(f, one);
		p += n + (q != NULL);
	}
	fprintf(f, "], \"failure\": ");
	jstr(f, r->what);
	fprintf(f, ", \"failure_unix_ms\": %" PRId64 ", \"down_ms\": %" PRId64
	    ", \"takeover_ms\": ", r->fail_unix_ms, r->down_ms);
	jnum(f, r->takeover_ms, true);
	fprintf(f, ", \"decided_ms\": ");
	if (r->have_decided)
		fprintf(f, "%" PRId64 ", \"activation_ms\": %.1f",
		    r->decided_ms, (double)r->activation_us / 1000.0);
	else
		fprintf(f, "null, \"activation_ms\": null");
	fprintf(f, ", \"traffic_gap_ms\": ");
	jnum(f, r->gap_ms, true);
	fprintf(f, ", \"counter_sync_ms\": %" PRId64 ", \"settle_ms\": %"
	    PRId64, r->ctr_sync_ms, r->settle_ms);
	fprintf(f, ", \"ike\": {\"before\": %zu, \"after\": %zu, \"kept\": "
	    "%zu, \"lost\": %zu, \"new\": %zu}", c->ike_before, c->ike_after,
	    c->ike_kept, c->ike_lost, c->ike_new);
	fprintf(f, ", \"child\": {\"before\": %zu, \"after\": %zu, \"kept\": "
	    "%zu, \"rekeyed\": %zu, \"new\": %zu, \"gone\": %zu}",
	    c->child_before, c->child_after, c->child_kept, c->child_rekeyed,
	    c->child_new, c->child_gone);
	fprintf(f, ", \"renegotiations\": %zu, \"rekeys\": %zu", c->ike_new,
	    c->child_rekeyed);
	fprintf(f, ", \"xfrm_errors\": [");
	for (i = 0; i < r->xerr.nn; i++) {
		const struct drill_xnode	*n = &r->xerr.n[i];
		size_t				 x;
		bool				 rose = false;

		fprintf(f, "%s{\"node\": %u, \"name\": ", i ? ", " : "",
		    n->id);
		jstr(f, n->name);
		fprintf(f, ", \"self\": %s", n->self ? "true" : "false");
		fprintf(f, ", \"before\": ");
		for (x = 0; x < DRILL_XE_MAX && n->have_before; x++)
			fprintf(f, "%s\"%s\": %" PRIu64, x ? ", " : "{",
			    xerr_names[x], n->before[x]);
		fprintf(f, "%s, \"after\": ", n->have_before ? "}" : "null");
		for (x = 0; x < DRILL_XE_MAX && n->have_after; x++) {
			fprintf(f, "%s\"%s\": %" PRIu64, x ? ", " : "{",
			    xerr_names[x], n->after[x]);
			rose |= n->have_before && n->after[x] > n->before[x];
		}
		fprintf(f, "%s, \"rose\": %s}", n->have_after ? "}" : "null",
		    rose ? "true" : "false");
	}
	fprintf(f, "]");
	fprintf(f, ", \"back_ms\": ");
	jnum(f, r->back ? r->back_ms : -1, true);
	fprintf(f, ", \"limits\": {\"max_outage_ms\": ");
	jnum(f, r->lim.max_outage_ms, true);
	fprintf(f, ", \"max_renegotiations\": ");
	jnum(f, r->lim.max_renegotiations, true);
	fprintf(f, ", \"max_rekeys\": ");
	jnum(f, r->lim.max_rekeys, true);
	fprintf(f, "}}\n");
}

int
drill_parse_duration(const char *s, int64_t *ms)
{
	char	*end;
	double	 v;

	if (s == NULL || !(isdigit((unsigned char)s[0]) || s[0] == '.') ||
	    strchr(s, 'x') != NULL || strchr(s, 'X') != NULL)
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || !isfinite(v) || v < 0)
		return -1;
	if (strcmp(end, "ms") == 0)
		;
	else if (strcmp(end, "s") == 0 || *end == '\0')
		v *= 1000.0;
	else
		return -1;
	if (v > 86400000.0)
		return -1;
	*ms = (int64_t)(v + 0.5);
	return 0;
}
