/*
 * lib/cfg_schema.c -- the schema walker: error lines, typed and
 * range-checked values, unknown keys with "did you mean".
 *
 * Nothing here knows a section; the tables live with the sections
 * (cfg_ike.c, cfg_conn.c, cfg_sync.c, cfg_ha.c).  See cfg_int.h.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/util.h"
#include "cfg_int.h"

#define PATH_DEPTH	16	/* key path components shown in messages */

/* "ike.connections.hq.local_addrs[1]"; the deepest PATH_DEPTH parts. */
static void
key_path(const config_setting_t *s, char *buf, size_t len)
{
	const config_setting_t	*chain[PATH_DEPTH];
	const config_setting_t	*p;
	size_t			 n = 0, off = 0;
	bool			 cut = false;
	int			 w;

	buf[0] = '\0';
	for (p = s; p != NULL && !config_setting_is_root(p);
	    p = config_setting_parent(p)) {
		if (n == PATH_DEPTH) {
			cut = true;
			break;
		}
		chain[n++] = p;
	}
	if (cut) {
		w = snprintf(buf, len, "...");
		off = w > 0 ? (size_t)w : 0;
	}
	while (n > 0 && off < len) {
		p = chain[--n];
		if (config_setting_name(p) != NULL)
			w = snprintf(buf + off, len - off, "%s%s",
			    off > 0 ? "." : "", config_setting_name(p));
		else
			w = snprintf(buf + off, len - off, "[%d]",
			    config_setting_index(p));
		if (w < 0)
			break;
		off += (size_t)w;
	}
}

/* The file holding s as the user would open it: includes are relative to
 * the top file's directory. */
static const char *
setting_file(struct cfg_ctx *c, const config_setting_t *s, char *buf,
    size_t len)
{
	const char	*f = config_setting_source_file(s);

	if (f == NULL || strcmp(f, c->name) == 0)
		return c->name;
	if (c->dir == NULL || f[0] == '/')
		return f;
	snprintf(buf, len, "%s/%s", c->dir, f);
	return buf;
}

static int
verr(struct cfg_ctx *c, const char *file, unsigned int line,
    const char *key, const char *fmt, va_list ap)
{
	char	*p;
	int	 w;

	if (c->errlen == 0)
		return -1;
	if (line == 0)
		line = 1;	/* the root group: "line 1" is the file */
	if (key != NULL && key[0] != '\0')
		w = snprintf(c->err, c->errlen, "%s:%u: %s: ", file, line,
		    key);
	else
		w = snprintf(c->err, c->errlen, "%s:%u: ", file, line);
	if (w >= 0 && (size_t)w < c->errlen)
		vsnprintf(c->err + w, c->errlen - (size_t)w, fmt, ap);
	/* Values are quoted back: keep the message on one line. */
	for (p = c->err; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return -1;
}

int
cfg_err(struct cfg_ctx *c, const config_setting_t *s, const char *fmt, ...)
{
	char		 path[CFG_ERR_MAX], fbuf[CFG_ERR_MAX];
	const char	*file;
	va_list		 ap;

	key_path(s, path, sizeof(path));
	file = setting_file(c, s, fbuf, sizeof(fbuf));
	va_start(ap, fmt);
	verr(c, file, config_setting_source_line(s), path, fmt, ap);
	va_end(ap);
	return -1;
}

int
cfg_err_at(struct cfg_ctx *c, const char *file, unsigned int line,
    const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	verr(c, file, line, NULL, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *
type_name(const config_setting_t *s)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_GROUP:
		return "a group";
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		return "an integer";
	case CONFIG_TYPE_FLOAT:
		return "a float";
	case CONFIG_TYPE_STRING:
		return "a string";
	case CONFIG_TYPE_BOOL:
		return "a boolean";
	case CONFIG_TYPE_ARRAY:
		return "an array";
	case CONFIG_TYPE_LIST:
		return "a list";
	default:
		return "nothing";
	}
}

static int
expected(struct cfg_ctx *c, const config_setting_t *s, const char *what)
{
	return cfg_err(c, s, "expected %s, got %s", what, type_name(s));
}

const config_setting_t *
cfg_member(const config_setting_t *grp, const char *name)
{
	if (!config_setting_is_group(grp))
		return NULL;
	return config_setting_get_member(grp, name);
}

const config_setting_t *
cfg_member_or(const config_setting_t *grp, const char *name)
{
	const config_setting_t	*m = cfg_member(grp, name);

	return m != NULL ? m : grp;
}

/*
 * Optimal string alignment distance (Levenshtein plus transpositions),
 * capped: strings longer than 63 get no suggestion.
 */
static unsigned int
edit_distance(const char *a, const char *b)
{
	unsigned int	 d[3][64];
	size_t		 la = strlen(a), lb = strlen(b), i, j;
	unsigned int	 v, *pp, *p, *cur, *t;

	if (la >= 64 || lb >= 64)
		return UINT_MAX;
	for (j = 0; j <= lb; j++)
		d[1][j] = (unsigned int)j;
	pp = d[0];
	p = d[1];
	cur = d[2];
	for (i = 1; i <= la; i++) {
		cur[0] = (unsigned int)i;
		for (j = 1; j <= lb; j++) {
			v = p[j - 1] + (a[i - 1] != b[j - 1]);
			if (p[j] + 1 < v)
				v = p[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			cur[j] = v;
		}
		t = pp;		/* rotate the rows */
		pp = p;
		p = cur;
		cur = t;
	}
	return p[lb];
}

const char *
cfg_suggest(const char *s, const char *const *cands, size_t n)
{
	const char	*best = NULL;
	unsigned int	 bd = 3, d;
	size_t		 i;

	for (i = 0; i < n; i++) {
		d = edit_distance(s, cands[i]);
		/* "ab" is 2 edits from "id": only suggest real near-misses */
		if (d < bd && d < strlen(s)) {
			bd = d;
			best = cands[i];
		}
	}
	return best;
}

const char *
cfg_kw_name(const struct cfg_kw *kw, int v)
{
	for (; kw->name != NULL; kw++)
		if (kw->value == v)
			return kw->name;
	return "?";
}

static int
unknown_key(struct cfg_ctx *c, const config_setting_t *m,
    const struct cfg_key *keys, size_t n)
{
	const char	*cands[64], *best;
	size_t		 i, nc = 0;

	for (i = 0; i < n && nc < nitems(cands); i++)
		cands[nc++] = keys[i].name;
	best = cfg_suggest(config_setting_name(m), cands, nc);
	if (best != NULL)
		return cfg_err(c, m, "unknown key (did you mean '%s'?)", best);
	return cfg_err(c, m, "unknown key");
}

static void
store_int(void *field, size_t size, int64_t v)
{
	uint8_t		 u8 = (uint8_t)v;
	uint16_t	 u16 = (uint16_t)v;
	uint32_t	 u32 = (uint32_t)v;
	uint64_t	 u64 = (uint64_t)v;

	switch (size) {
	case 1:
		memcpy(field, &u8, 1);
		break;
	case 2:
		memcpy(field, &u16, 2);
		break;
	case 4:
		memcpy(field, &u32, 4);
		break;
	default:
		memcpy(field, &u64, 8);
		break;
	}
}

/* An integer setting's value.  Hex literals are unsigned 32-bit
 * (0xffffffff is a mask, not -1); cfg_scan_ints() refused wider ones. */
int
cfg_get_int(struct cfg_ctx *c, const config_setting_t *s, int64_t *v)
{
	if (config_setting_type(s) == CONFIG_TYPE_INT) {
		if (config_setting_get_format((config_setting_t *)s) ==
		    CONFIG_FORMAT_HEX)
			*v = (uint32_t)config_setting_get_int(s);
		else
			*v = config_setting_get_int(s);
		return 0;
	}
	if (config_setting_type(s) == CONFIG_TYPE_INT64) {
		*v = config_setting_get_int64(s);
		return 0;
	}
	return expected(c, s, "an integer");
}

static int
range(struct cfg_ctx *c, const config_setting_t *s, int64_t v,
    const struct cfg_key *k, const char *unit)
{
	if (v >= k->min && v <= k->max)
		return 0;
	return cfg_err(c, s, "%" PRId64 "%s is out of range (%" PRId64 "..%"
	    PRId64 "%s)", v, unit, k->min, k->max, unit);
}

/* "64", "4k", "2M", "1g": a count with an optional 1024-based suffix. */
static int
parse_count(const char *str, uint64_t *out)
{
	char		*end;
	uint64_t	 v, mul = 1;

	if (!isdigit((unsigned char)str[0]))
		return -1;
	errno = 0;
	v = strtoull(str, &end, 10);
	if (errno != 0)
		return -1;
	switch (tolower((unsigned char)*end)) {
	case '\0':
		break;
	case 'k':
		mul = 1ULL << 10;
		end++;
		break;
	case 'm':
		mul = 1ULL << 20;
		end++;
		break;
	case 'g':
		mul = 1ULL << 30;
		end++;
		break;
	case 't':
		mul = 1ULL << 40;
		end++;
		break;
	default:
		return -1;
	}
	if (*end != '\0' || v > UINT64_MAX / mul)
		return -1;
	*out = v * mul;
	return 0;
}

static int
get_count64(struct cfg_ctx *c, const config_setting_t *s,
    const struct cfg_key *k, void *field)
{
	int64_t		 v;
	uint64_t	 u;
	const char	*str;

	if (config_setting_type(s) == CONFIG_TYPE_STRING) {
		str = config_setting_get_string(s);
		if (parse_count(str, &u) == -1)
			return cfg_err(c, s, "'%s' is not a count (N, or N "
			    "with k, m, g or t)", str);
		if (u > (uint64_t)k->max)
			return cfg_err(c, s, "'%s' is out of range (%" PRId64
			    "..%" PRId64 ")", str, k->min, k->max);
		v = (int64_t)u;
	} else if (cfg_get_int(c, s, &v) == -1)
		return -1;
	if (range(c, s, v, k, "") == -1)
		return -1;
	store_int(field, 8, v);
	return 0;
}

/*
 * Durations, in ms: an integer or float is seconds (swanctl), a string is
 * a whole number with a unit: "500ms", "30s", "10m", "4h", "1d".
 */
static int
get_duration(struct cfg_ctx *c, const config_setting_t *s, uint64_t *ms)
{
	const char	*str, *u;
	char		*end;
	uint64_t	 v, mul;
	double		 f;
	int64_t		 i;

	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		if (cfg_get_int(c, s, &i) == -1)
			return -1;
		if (i < 0 || i > INT64_MAX / 1000)
			return cfg_err(c, s, "%" PRId64 " is not a duration",
			    i);
		*ms = (uint64_t)i * 1000;
		return 0;
	case CONFIG_TYPE_FLOAT:
		f = config_setting_get_float(s);
		if (!(f >= 0 && f <= 1e12))
			return cfg_err(c, s, "%g is not a duration", f);
		*ms = (uint64_t)(f * 1000 + 0.5);	/* no libm in the core */
		return 0;
	case CONFIG_TYPE_STRING:
		break;
	default:
		return expected(c, s, "a duration (seconds, or \"30s\", "
		    "\"10m\", \"4h\", \"1d\", \"500ms\")");
	}
	str = config_setting_get_string(s);
	errno = 0;
	v = isdigit((unsigned char)str[0]) ? strtoull(str, &end, 10) : 0;
	if (!isdigit((unsigned char)str[0]) || errno != 0)
		goto bad;
	u = end;
	if (strcmp(u, "ms") == 0)
		mul = 1;
	else if (strcmp(u, "s") == 0 || *u == '\0')
		mul = 1000;
	else if (strcmp(u, "m") == 0)
		mul = 60 * 1000;
	else if (strcmp(u, "h") == 0)
		mul = 3600 * 1000;
	else if (strcmp(u, "d") == 0)
		mul = 86400 * 1000;
	else
		goto bad;
	if (v > UINT64_MAX / mul)
		goto bad;
	*ms = v * mul;
	return 0;
 bad:
	return cfg_err(c, s, "'%s' is not a duration (N with unit ms, s, m, "
	    "h or d)", str);
}

static int
duration_value(struct cfg_ctx *c, const config_setting_t *s,
    const struct cfg_key *k, void *field)
{
	uint64_t	 ms = 0, v;
	const char	*unit;

	if (get_duration(c, s, &ms) == -1)
		return -1;
	if (k->type == KT_DUR_S) {
		if (ms % 1000 != 0)
			return cfg_err(c, s, "must be a whole number of "
			    "seconds");
		v = ms / 1000;
		unit = " s";
	} else {
		v = ms;
		unit = " ms";
	}
	if (v > (uint64_t)k->max || (int64_t)v < k->min)
		return cfg_err(c, s, "%" PRIu64 "%s is out of range (%" PRId64
		    "..%" PRId64 "%s)", v, unit, k->min, k->max, unit);
	store_int(field, k->size, (int64_t)v);
	return 0;
}

static const char *
get_str(struct cfg_ctx *c, const config_setting_t *s)
{
	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		expected(c, s, "a string");
		return NULL;
	}
	return config_setting_get_string(s);
}

static bool
is_name(const char *s, size_t max)
{
	size_t	 n;

	for (n = 0; s[n] != '\0'; n++)
		if (!isalnum((unsigned char)s[n]) && s[n] != '-' &&
		    s[n] != '_' && s[n] != '.')
			return false;
	return n > 0 && n < max;
}

int
cfg_set_name(struct cfg_ctx *c, const config_setting_t *s, char *dst)
{
	const char	*n = config_setting_name(s);

	if (n == NULL || !is_name(n, CFG_NAME_MAX) || strchr(n, '.') != NULL)
		return cfg_err(c, s, "not a valid name (1..%d of A-Z a-z "
		    "0-9 _ -)", CFG_NAME_MAX - 1);
	strcpy(dst, n);
	return 0;
}

/* Linux dev_valid_name(): 1..15 bytes, not "." or "..", no '/', ':' or
 * white space. */
bool
cfg_is_ifname(const char *s)
{
	size_t	 n;

	if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (n = 0; s[n] != '\0'; n++)
		if (s[n] == '/' || s[n] == ':' || isspace((unsigned char)s[n])
		    || !isprint((unsigned char)s[n]))
			return false;
	return n > 0 && n < CFG_IFNAME_MAX;
}

static int
path_ok(struct cfg_ctx *c, const config_setting_t *s, const char *p)
{
	if (p[0] != '/')
		return cfg_err(c, s, "'%s' is not an absolute path", p);
	if (strlen(p) >= PATH_MAX)
		return cfg_err(c, s, "path too long");
	return 0;
}

int
cfg_str_list_len(struct cfg_ctx *c, const config_setting_t *s)
{
	int	 i, n;

	if (config_setting_type(s) == CONFIG_TYPE_STRING)
		return 1;
	if (!config_setting_is_array(s) && !config_setting_is_list(s))
		return expected(c, s, "a string or a list of strings");
	if ((n = config_setting_length(s)) == 0)
		return cfg_err(c, s, "empty list (leave the key out instead)");
	for (i = 0; i < n; i++)
		if (get_str(c, config_setting_get_elem(s, (unsigned int)i)) ==
		    NULL)
			return -1;
	return n;
}

const char *
cfg_str_list_at(const config_setting_t *s, int i,
    const config_setting_t **where)
{
	if (config_setting_type(s) == CONFIG_TYPE_STRING) {
		*where = s;
		return config_setting_get_string(s);
	}
	*where = config_setting_get_elem(s, (unsigned int)i);
	return config_setting_get_string(*where);
}

static int
strv_value(struct cfg_ctx *c, const config_setting_t *s, bool paths,
    struct cfg_strv *sv)
{
	const config_setting_t	*w;
	const char		*str;
	int			 i, n;

	if ((n = cfg_str_list_len(c, s)) == -1)
		return -1;
	if ((sv->v = calloc((size_t)n, sizeof(*sv->v))) == NULL)
		return cfg_err(c, s, "out of memory");
	sv->n = (size_t)n;
	for (i = 0; i < n; i++) {
		str = cfg_str_list_at(s, i, &w);
		if (str[0] == '\0')
			return cfg_err(c, w, "empty string");
		if (paths && path_ok(c, w, str) == -1)
			return -1;
		if ((sv->v[i] = strdup(str)) == NULL)
			return cfg_err(c, w, "out of memory");
	}
	return 0;
}

static int
enum_value(struct cfg_ctx *c, const config_setting_t *s,
    const struct cfg_key *k, void *field)
{
	const struct cfg_kw	*kw;
	const char		*str, *cands[16], *best;
	char			 list[256];
	size_t			 n = 0, off = 0;
	int			 v;

	if ((str = get_str(c, s)) == NULL)
		return -1;
	for (kw = k->kw; kw->name != NULL; kw++) {
		if (strcmp(kw->name, str) == 0) {
			v = kw->value;
			memcpy(field, &v, sizeof(v));
			return 0;
		}
		if (n < nitems(cands))
			cands[n++] = kw->name;
		off += (size_t)snprintf(list + off, sizeof(list) - off,
		    "%s%s", kw == k->kw ? "" : ", ", kw->name);
		if (off >= sizeof(list))
			off = sizeof(list) - 1;
	}
	if ((best = cfg_suggest(str, cands, n)) != NULL)
		return cfg_err(c, s, "'%s' is not one of: %s (did you mean "
		    "'%s'?)", str, list, best);
	return cfg_err(c, s, "'%s' is not one of: %s", str, list);
}

static int
value(struct cfg_ctx *c, const config_setting_t *s, const struct cfg_key *k,
    void *obj)
{
	void		*field = (char *)obj + k->off;
	const char	*str;
	char		*dup, **pp;
	int64_t		 v;
	double		 f;
	bool		 b;

	switch (k->type) {
	case KT_LATER:
		return 0;
	case KT_BOOL:
		if (config_setting_type(s) != CONFIG_TYPE_BOOL)
			return expected(c, s, "true or false");
		b = config_setting_get_bool(s) != 0;
		memcpy(field, &b, sizeof(b));
		return 0;
	case KT_INT:
		if (cfg_get_int(c, s, &v) == -1 || range(c, s, v, k, "") == -1)
			return -1;
		store_int(field, k->size, v);
		return 0;
	case KT_COUNT64:
		return get_count64(c, s, k, field);
	case KT_FLOAT:
		if (config_setting_type(s) == CONFIG_TYPE_FLOAT)
			f = config_setting_get_float(s);
		else if (cfg_get_int(c, s, &v) == 0)
			f = (double)v;
		else
			return -1;
		if (!(f >= (double)k->min && f <= (double)k->max))
			return cfg_err(c, s, "%g is out of range (%" PRId64
			    "..%" PRId64 ")", f, k->min, k->max);
		memcpy(field, &f, sizeof(f));
		return 0;
	case KT_DUR_S:
	case KT_DUR_MS:
		return duration_value(c, s, k, field);
	case KT_NAME:
		if ((str = get_str(c, s)) == NULL)
			return -1;
		if (!is_name(str, k->size))
			return cfg_err(c, s, "'%s' is not a valid name "
			    "(1..%zu of A-Z a-z 0-9 . _ -)", str, k->size - 1);
		strcpy(field, str);
		return 0;
	case KT_IFNAME:
		if ((str = get_str(c, s)) == NULL)
			return -1;
		if (!cfg_is_ifname(str))
			return cfg_err(c, s, "'%s' is not an interface name",
			    str);
		strcpy(field, str);
		return 0;
	case KT_PATH:
		if ((str = get_str(c, s)) == NULL || path_ok(c, s, str) == -1)
			return -1;
		if ((dup = strdup(str)) == NULL)
			return cfg_err(c, s, "out of memory");
		pp = field;
		free(*pp);
		*pp = dup;
		return 0;
	case KT_STRV:
	case KT_PATHV:
		return strv_value(c, s, k->type == KT_PATHV, field);
	case KT_ENUM:
		return enum_value(c, s, k, field);
	case KT_FN:
		return k->fn(c, s, obj);
	}
	return cfg_err(c, s, "internal error: key type %d", (int)k->type);
}

int
cfg_apply(struct cfg_ctx *c, const config_setting_t *grp,
    const struct cfg_key *keys, size_t n, void *obj)
{
	const config_setting_t	*m;
	const struct cfg_key	*k;
	unsigned int		 i;
	size_t			 j;

	if (!config_setting_is_group(grp))
		return expected(c, grp, "a group { ... }");
	for (i = 0; i < (unsigned int)config_setting_length(grp); i++) {
		m = config_setting_get_elem(grp, i);
		for (j = 0, k = NULL; j < n && k == NULL; j++)
			if (strcmp(keys[j].name, config_setting_name(m)) == 0)
				k = &keys[j];
		if (k == NULL)
			return unknown_key(c, m, keys, n);
		if (value(c, m, k, obj) == -1)
			return -1;
	}
	for (j = 0; j < n; j++) {
		if (!(keys[j].flags & KF_REQ) ||
		    cfg_member(grp, keys[j].name) != NULL)
			continue;
		return cfg_err(c, grp, "missing required %s '%s'",
		    config_setting_is_root(grp) ? "section" : "key",
		    keys[j].name);
	}
	return 0;
}

void *
cfg_calloc(struct cfg_ctx *c, const config_setting_t *s, size_t n,
    size_t size)
{
	void	*p;

	if ((p = calloc(n == 0 ? 1 : n, size)) == NULL)
		cfg_err(c, s, "out of memory");
	return p;
}
