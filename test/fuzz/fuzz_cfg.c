/*
 * test/fuzz/fuzz_cfg.c -- libFuzzer over cfg_load_string() (libconfig,
 * the integer scanner, the schema, the cross-references) and the string
 * parsers behind it.  Checks the contract too: a failure leaves *out NULL
 * and writes exactly one line naming the input; a success gives a config
 * whose proposals and selectors format back.  Leaks fail under ASan.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/cfg.h"

int		 LLVMFuzzerTestOneInput(const uint8_t *, size_t);
const char	*__lsan_default_suppressions(void);

/*
 * libconfig 1.5 (Debian 12) leaks a string token when a syntax error
 * follows it (its grammar has no %destructor) -- the two-byte input `""`
 * does it.  Token text is allocated by its scanner (libconfig_yylex,
 * strbuf_append) and by nothing of ours, so this suppresses exactly that:
 * a forgotten config_destroy() would still leak the settings themselves,
 * and the unit tests run every error path under ASan with no suppression.
 */
const char *
__lsan_default_suppressions(void)
{
	return "leak:strbuf_append\nleak:libconfig_yylex\n";
}

static void
walk(const struct tnd_cfg *cfg)
{
	const struct cfg_conn	*cn;
	const struct cfg_child	*ch;
	char			 buf[512];
	size_t			 i, j, k;

	for (i = 0; i < cfg->ike.nconns; i++) {
		cn = &cfg->ike.conns[i];
		if (cn->vip_group_idx >= cfg->ha.ngroups ||
		    strcmp(cfg->ha.groups[cn->vip_group_idx].name,
		    cn->vip_group) != 0)
			abort();	/* a reference that did not resolve */
		for (j = 0; j < cn->nproposals; j++)
			if (cfg_proposal_fmt(&cn->proposals[j], CFG_PROP_IKE,
			    buf, sizeof(buf)) != 0)
				abort();
		for (j = 0; j < cn->nchildren; j++) {
			ch = &cn->children[j];
			for (k = 0; k < ch->nlocal_ts; k++)
				if (cfg_ts_fmt(&ch->local_ts[k], buf,
				    sizeof(buf)) != 0)
					abort();
			if (ch->rekey_time_s > 0 &&
			    ch->life_time_s <= ch->rekey_time_s)
				abort();
		}
	}
	if (cfg->ha.ngroups == 0)
		abort();
}

static void
parsers(const char *s)
{
	struct cfg_proposal	 p;
	struct cfg_ts		 ts;
	struct cfg_addr		 a;
	struct cfg_id		 id;
	char			 why[256], buf[512];

	if (cfg_proposal_parse(s, CFG_PROP_IKE, &p, why, sizeof(why)) == 0 &&
	    cfg_proposal_fmt(&p, CFG_PROP_IKE, buf, sizeof(buf)) != 0)
		abort();
	if (cfg_proposal_parse(s, CFG_PROP_ESP, &p, why, sizeof(why)) == 0 &&
	    cfg_proposal_fmt(&p, CFG_PROP_ESP, buf, sizeof(buf)) != 0)
		abort();
	if (cfg_ts_parse(s, &ts, why, sizeof(why)) == 0 &&
	    cfg_ts_fmt(&ts, buf, sizeof(buf)) != 0)
		abort();
	(void)cfg_addr_parse(s, &a, why, sizeof(why));
	if (cfg_id_parse(s, &id, why, sizeof(why)) == 0)
		cfg_id_fini(&id);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tnd_cfg	*cfg = (struct tnd_cfg *)(uintptr_t)1;
	char		*text, err[CFG_ERR_MAX];

	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (size < 256)
		parsers(text);
	if (cfg_load_string(text, "fuzz.conf", &cfg, err, sizeof(err)) == 0) {
		if (cfg == NULL)
			abort();
		walk(cfg);
		cfg_free(cfg);
	} else if (cfg != NULL || strncmp(err, "fuzz.conf:", 10) != 0 ||
	    strchr(err, '\n') != NULL)
		abort();
	free(text);
	return 0;
}
