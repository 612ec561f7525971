/*
 * lib/cfg.c -- cfg_load(): tandem.conf to a validated struct tnd_cfg.
 *
 * The steps, each of which can stop the load with one "FILE:LINE: what":
 *   1. read the file (cfg_load) or take the string (cfg_load_string, which
 *      refuses @include so the fuzzer cannot make libconfig open files);
 *   2. libconfig parses it (syntax errors come out with its file and line);
 *   3. cfg_scan_ints() refuses integer literals libconfig 1.5 would wrap;
 *   4. the schema: top-level keys in file order, each section checked on
 *      its own (cfg_ike.c, cfg_sync.c, cfg_ha.c), then missing sections,
 *      then references between sections (cfg_ike_refs).
 * Nothing of a failed load survives: the half-built struct is freed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/util.h"
#include "cfg_int.h"

#define FILE_MAX	(16 << 20)	/* bytes: a config, not a data set */

static const struct cfg_key root_keys[] = {
	{ "ike",  KT_FN, 0,	 0, 0, 0, 0, NULL, cfg_ike },
	{ "sync", KT_FN, 0,	 0, 0, 0, 0, NULL, cfg_sync },
	{ "ha",   KT_FN, KF_REQ, 0, 0, 0, 0, NULL, cfg_ha },
};

static int
syntax_error(struct cfg_ctx *c, const config_t *lc)
{
	const char	*f = config_error_file(lc);
	char		 buf[CFG_ERR_MAX];

	if (f == NULL)
		f = c->name;
	else if (c->dir != NULL && f[0] != '/') {
		snprintf(buf, sizeof(buf), "%s/%s", c->dir, f);
		f = buf;
	}
	return cfg_err_at(c, f, (unsigned int)config_error_line(lc), "%s",
	    config_error_text(lc) != NULL ? config_error_text(lc) :
	    "syntax error");
}

static int
load(struct cfg_ctx *c, const char *text, struct tnd_cfg **out)
{
	config_t		 lc;
	const config_setting_t	*root, *ike;
	struct tnd_cfg		*cfg = NULL;
	int			 ret = -1;

	config_init(&lc);
	if (c->dir != NULL)
		config_set_include_dir(&lc, c->dir);
	if (c->from_string && cfg_scan_no_include(c, text) == -1)
		goto done;
	if (config_read_string(&lc, text) != CONFIG_TRUE) {
		syntax_error(c, &lc);
		goto done;
	}
	if (cfg_scan_ints(c, text, c->name, 0) == -1)
		goto done;
	if ((cfg = calloc(1, sizeof(*cfg))) == NULL) {
		cfg_err_at(c, c->name, 1, "out of memory");
		goto done;
	}
	cfg_ike_defaults(&cfg->ike);
	cfg_sync_defaults(&cfg->sync);
	cfg_ha_defaults(&cfg->ha);
	c->cfg = cfg;
	root = config_root_setting(&lc);
	if (cfg_apply(c, root, root_keys, nitems(root_keys), cfg) == -1)
		goto done;
	if ((ike = cfg_member(root, "ike")) != NULL &&
	    cfg_ike_refs(c, ike) == -1)
		goto done;
	*out = cfg;
	cfg = NULL;
	ret = 0;
 done:
	cfg_free(cfg);
	c->cfg = NULL;
	cfg_ike_wipe(config_root_setting(&lc));
	config_destroy(&lc);
	return ret;
}

int
cfg_load_string(const char *text, const char *name, struct tnd_cfg **out,
    char *err, size_t errlen)
{
	struct cfg_ctx	 c;

	*out = NULL;
	if (errlen > 0)
		err[0] = '\0';
	memset(&c, 0, sizeof(c));
	c.name = name;
	c.err = err;
	c.errlen = errlen;
	c.from_string = true;
	return load(&c, text, out);
}

/* The whole file, NUL-terminated, or NULL with errno set. */
static char *
slurp(const char *path)
{
	FILE	*f;
	char	*text = NULL;
	long	 sz = 0;
	int	 e = 0;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == -1 || (sz = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) == -1)
		e = errno;
	else if (sz > FILE_MAX)
		e = EFBIG;
	else if ((text = calloc(1, (size_t)sz + 1)) == NULL)
		e = ENOMEM;
	else if (fread(text, 1, (size_t)sz, f) != (size_t)sz)
		e = ferror(f) ? EIO : EAGAIN;	/* changed under us */
	fclose(f);
	if (e != 0) {
		free(text);
		errno = e;
		return NULL;
	}
	if (strlen(text) != (size_t)sz) {
		free(text);
		errno = EILSEQ;		/* a NUL byte: not a text file */
		return NULL;
	}
	return text;
}

int
cfg_load(const char *path, struct tnd_cfg **out, char *err, size_t errlen)
{
	struct cfg_ctx	 c;
	char		*text, *dir = NULL, *slash;
	int		 ret = -1;

	*out = NULL;
	if (errlen > 0)
		err[0] = '\0';
	memset(&c, 0, sizeof(c));
	c.name = path;
	c.err = err;
	c.errlen = errlen;
	if ((text = slurp(path)) == NULL)
		return cfg_err_at(&c, path, 0, "cannot read: %s",
		    strerror(errno));
	/* @include is relative to the file's directory (libconfig's
	 * include_dir); without a '/' that is the working directory. */
	if ((slash = strrchr(path, '/')) != NULL) {
		if ((dir = strndup(path, slash == path ? 1 :
		    (size_t)(slash - path))) == NULL) {
			cfg_err_at(&c, path, 0, "out of memory");
			goto done;
		}
		c.dir = dir;
	}
	ret = load(&c, text, out);
 done:
	free(dir);
	secure_wipe(text, strlen(text));	/* it holds the PSKs */
	free(text);
	return ret;
}

static void
strv_free(struct cfg_strv *sv)
{
	size_t	 i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
}

static void
auth_fini(struct cfg_auth *a)
{
	cfg_id_fini(&a->id);
	strv_free(&a->certs);
	strv_free(&a->cacerts);
	strv_free(&a->crls);
	free(a->key);
}

void
cfg_conn_fini(struct cfg_conn *cn)
{
	size_t	 i;

	free(cn->local_addrs);
	free(cn->remote_addrs);
	free(cn->proposals);
	auth_fini(&cn->local);
	auth_fini(&cn->remote);
	for (i = 0; i < cn->nchildren; i++) {
		free(cn->children[i].local_ts);
		free(cn->children[i].remote_ts);
		free(cn->children[i].esp_proposals);
	}
	free(cn->children);
}

void
cfg_free(struct tnd_cfg *cfg)
{
	struct cfg_secret	*s;
	struct cfg_group	*g;
	size_t			 i, j;

	if (cfg == NULL)
		return;
	for (i = 0; i < cfg->ike.nconns; i++)
		cfg_conn_fini(&cfg->ike.conns[i]);
	free(cfg->ike.conns);
	free(cfg->ike.conns_by_name);
	for (i = 0; i < cfg->ike.nsecrets; i++) {
		s = &cfg->ike.secrets[i];
		for (j = 0; j < s->nids; j++)
			cfg_id_fini(&s->ids[j]);
		free(s->ids);
		secbuf_free(s->psk);	/* wipes */
	}
	free(cfg->ike.secrets);
	free(cfg->ike.ike_proposals);
	free(cfg->ike.esp_proposals);
	for (i = 0; i < cfg->ha.ngroups; i++) {
		g = &cfg->ha.groups[i];
		free(g->vips);
		free(g->vip_ifs);
		free(g->track_ifs);
		for (j = 0; j < g->ntrack_scripts; j++)
			free(g->track_scripts[j].path);
		free(g->track_scripts);
		free(g->notify);
		strv_free(&g->notify_master);
		strv_free(&g->notify_backup);
		strv_free(&g->notify_fault);
		strv_free(&g->notify_stop);
	}
	free(cfg->ha.groups);
	free(cfg);
}

const struct cfg_group *
cfg_group_find(const struct tnd_cfg *cfg, const char *name)
{
	size_t	 i;

	for (i = 0; i < cfg->ha.ngroups; i++)
		if (strcmp(cfg->ha.groups[i].name, name) == 0)
			return &cfg->ha.groups[i];
	return NULL;
}

const struct cfg_conn *
cfg_conn_find(const struct tnd_cfg *cfg, const char *name)
{
	size_t	 i;

	size_t	 lo = 0, hi;
	int	 d;

	if (cfg->ike.conns_by_name == NULL) {
		for (i = 0; i < cfg->ike.nconns; i++)
			if (strcmp(cfg->ike.conns[i].name, name) == 0)
				return &cfg->ike.conns[i];
		return NULL;
	}
	/* binary search of the names, sorted by cfg_ike() */
	for (hi = cfg->ike.nconns; lo < hi; ) {
		i = lo + (hi - lo) / 2;
		if ((d = strcmp(name, cfg->ike.conns_by_name[i]->name)) == 0)
			return cfg->ike.conns_by_name[i];
		if (d < 0)
			hi = i;
		else
			lo = i + 1;
	}
	return NULL;
}

static bool
has_id(const struct cfg_secret *s, const struct cfg_id *id)
{
	size_t	 i;

	if (id == NULL || id->type == CFG_ID_ANY)
		return false;
	for (i = 0; i < s->nids; i++)
		if (cfg_id_eq(&s->ids[i], id))
			return true;
	return false;
}

const struct secbuf *
cfg_psk_find(const struct tnd_cfg *cfg, const struct cfg_id *local,
    const struct cfg_id *remote)
{
	const struct cfg_secret	*s, *best = NULL;
	size_t			 i;
	int			 score, bscore = 0;

	for (i = 0; i < cfg->ike.nsecrets; i++) {
		s = &cfg->ike.secrets[i];
		if (s->nids == 0)
			score = 1;
		else
			score = (has_id(s, local) ? 2 : 0) +
			    (has_id(s, remote) ? 2 : 0);
		if (score > bscore) {
			bscore = score;
			best = s;
		}
	}
	return best != NULL ? best->psk : NULL;
}
