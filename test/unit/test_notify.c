/*
 * test/unit/test_notify.c -- the notify scripts of a VIP group
 * (ha/notify_plan.h): which run for which role, in which order, with
 * which argument vectors; the notify_* keys as lib/cfg_ha.c parses them
 * (keepalived's "path arg ..." split at blanks, or a list of words).
 */
#include <stdio.h>
#include <string.h>

#include "tandem/cfg.h"
#include "tandem/util.h"
#include "unit.h"
#include "../../ha/notify_plan.h"

#define GROUP_HEAD							\
	"ike = { connections = { }; };\n"				\
	"ha = { groups = { vg1 = { vrid = 1; interface = \"eth0\";\n"	\
	"vips = [ \"192.0.2.1/24\" ];\n"
#define GROUP_TAIL	"}; }; };\n"

static struct tnd_cfg *
load(const char *keys, char *err, size_t errlen)
{
	char		 text[2048];
	struct tnd_cfg	*cfg = NULL;

	snprintf(text, sizeof(text), "%s%s\n%s", GROUP_HEAD, keys, GROUP_TAIL);
	err[0] = '\0';
	if (cfg_load_string(text, "t.conf", &cfg, err, errlen) == -1)
		return NULL;
	return cfg;
}

/* "argv[0] argv[1] ..." of c, for one comparison per command. */
static const char *
joined(const struct notify_cmd *c, char *buf, size_t len)
{
	size_t	 i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < c->argc && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
		    i > 0 ? "|" : "", c->argv[i]);
	CU_ASSERT_PTR_NULL(c->argv[c->argc]);
	return buf;
}

static const struct plan_row {
	const char	*keys;
	enum role	 next;
	const char	*want[NOTIFY_PLAN_MAX];	/* NULL: no command */
	const char	*what[NOTIFY_PLAN_MAX];
} plan_rows[] = {
	{ "", ROLE_MASTER, { NULL, NULL }, { NULL, NULL } },
	{ "notify = \"/n\";", ROLE_MASTER,
	  { "/n|GROUP|vg1|MASTER|100", NULL }, { "notify", NULL } },
	{ "notify = \"/n\";", ROLE_INIT,
	  { "/n|GROUP|vg1|STOP|100", NULL }, { "notify", NULL } },
	{ "notify_master = \"/m master  now\"; notify = \"/n\";", ROLE_MASTER,
	  { "/m|master|now", "/n|GROUP|vg1|MASTER|100" },
	  { "notify_master", "notify" } },
	{ "notify_master = \"/m\"; notify = \"/n\";", ROLE_BACKUP,
	  { "/n|GROUP|vg1|BACKUP|100", NULL }, { "notify", NULL } },
	{ "notify_backup = \"\t/b\tx \";", ROLE_BACKUP,
	  { "/b|x", NULL }, { "notify_backup", NULL } },
	{ "notify_backup = \"/b\";", ROLE_MASTER, { NULL, NULL },
	  { NULL, NULL } },
	{ "notify_fault = [ \"/f\", \"two words\", \"\" ];", ROLE_FAULT,
	  { "/f|two words|", NULL }, { "notify_fault", NULL } },
	{ "notify_stop = \"/s\"; notify_fault = \"/f\"; notify = \"/n\";",
	  ROLE_INIT, { "/s", "/n|GROUP|vg1|STOP|100" },
	  { "notify_stop", "notify" } },
	{ "notify_stop = \"/s\"; notify_fault = \"/f\"; notify = \"/n\";",
	  ROLE_FAULT, { "/f", "/n|GROUP|vg1|FAULT|100" },
	  { "notify_fault", "notify" } },
};

static void
test_plan(void)
{
	struct notify_cmd	 cmds[NOTIFY_PLAN_MAX];
	const struct plan_row	*r;
	struct tnd_cfg		*cfg;
	char			 err[256], buf[256];
	size_t			 i, j, n, want_n;

	for (i = 0; i < nitems(plan_rows); i++) {
		r = &plan_rows[i];
		cfg = load(r->keys, err, sizeof(err));
		CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
		memset(cmds, 0xa5, sizeof(cmds));
		n = notify_plan(&cfg->ha.groups[0], r->next, "100", cmds);
		for (want_n = 0; want_n < NOTIFY_PLAN_MAX &&
		    r->want[want_n] != NULL; want_n++)
			;
		if (n != want_n)
			fprintf(stderr, "row %zu: %zu commands, want %zu\n",
			    i, n, want_n);
		CU_ASSERT_EQUAL(n, want_n);
		for (j = 0; j < n && j < want_n; j++) {
			joined(&cmds[j], buf, sizeof(buf));
			if (strcmp(buf, r->want[j]) != 0)
				fprintf(stderr, "row %zu: '%s', want '%s'\n",
				    i, buf, r->want[j]);
			CU_ASSERT_STRING_EQUAL(buf, r->want[j]);
			CU_ASSERT_STRING_EQUAL(cmds[j].what, r->what[j]);
		}
		cfg_free(cfg);
	}
}

static void
test_words(void)
{
	struct tnd_cfg	*cfg;
	char		 err[256];

	CU_ASSERT_STRING_EQUAL(notify_state_word(ROLE_MASTER), "MASTER");
	CU_ASSERT_STRING_EQUAL(notify_state_word(ROLE_BACKUP), "BACKUP");
	CU_ASSERT_STRING_EQUAL(notify_state_word(ROLE_FAULT), "FAULT");
	CU_ASSERT_STRING_EQUAL(notify_state_word(ROLE_INIT), "STOP");
	cfg = load("notify_master = \"/m a b\";", err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	CU_ASSERT_EQUAL(cfg->ha.groups[0].notify_master.n, 3);
	CU_ASSERT_EQUAL(cfg->ha.groups[0].notify_backup.n, 0);
	cfg_free(cfg);
}

static const struct bad_row {
	const char	*keys;
	const char	*err;
} bad_rows[] = {
	{ "notify_master = \"m.sh\";",
	  "t.conf:4: ha.groups.vg1.notify_master: 'm.sh' is not an absolute "
	  "path" },
	{ "notify_backup = \"   \";",
	  "t.conf:4: ha.groups.vg1.notify_backup: empty command" },
	{ "notify_fault = 3;",
	  "t.conf:4: ha.groups.vg1.notify_fault: expected a string or a list "
	  "of strings, got an integer" },
	{ "notify_stop = \"/s 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 "
	  "20 21 22 23 24 25 26 27 28 29 30 31 32\";",
	  "t.conf:4: ha.groups.vg1.notify_stop: more than 32 words" },
	{ "garp_master_refresh = \"500ms\";",
	  "t.conf:4: ha.groups.vg1.garp_master_refresh: under 1 s: a refresh, "
	  "not a flood (0 turns it off)" },
	{ "garp_master_refresh = 1; garp_master_refresh_repeat = 10;",
	  "t.conf:4: ha.groups.vg1.garp_master_refresh_repeat: 10 rounds 100 "
	  "ms apart do not fit in the refresh period" },
	{ "garp_master_refresh_repeat = 0;",
	  "t.conf:4: ha.groups.vg1.garp_master_refresh_repeat: 0 is out of "
	  "range (1..100)" },
};

static void
test_bad(void)
{
	struct tnd_cfg	*cfg;
	char		 err[256];
	size_t		 i;

	for (i = 0; i < nitems(bad_rows); i++) {
		cfg = load(bad_rows[i].keys, err, sizeof(err));
		CU_ASSERT_PTR_NULL(cfg);
		if (strcmp(err, bad_rows[i].err) != 0)
			fprintf(stderr, "bad row %zu: '%s'\n", i, err);
		CU_ASSERT_STRING_EQUAL(err, bad_rows[i].err);
		cfg_free(cfg);
	}
	cfg = load("garp_master_refresh = 10; garp_master_refresh_repeat = 3;",
	    err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	CU_ASSERT_EQUAL(cfg->ha.groups[0].garp_refresh_ms, 10000);
	CU_ASSERT_EQUAL(cfg->ha.groups[0].garp_refresh_repeat, 3);
	cfg_free(cfg);
	cfg = load("", err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	CU_ASSERT_EQUAL(cfg->ha.groups[0].garp_refresh_ms, 0);
	CU_ASSERT_EQUAL(cfg->ha.groups[0].garp_refresh_repeat, 1);
	cfg_free(cfg);
}

UNIT_SUITE(notify, "notify scripts",
    { "which scripts, which argv", test_plan },
    { "state words, words parsed", test_words },
    { "bad notify and garp refresh keys", test_bad });
