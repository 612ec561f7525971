/*
 * lib/cfg_int.h -- private to lib/cfg*.c: the load context, the schema
 * tables and the typed value readers.  Only this layer sees libconfig.
 *
 * A section's schema is a table of struct cfg_key, one row per key: its
 * type, range and where the value goes in the target struct.  cfg_apply()
 * walks a group's settings in file order, rejects unknown keys (with a
 * "did you mean"), converts and range-checks each value into the struct,
 * then names the first required key that is missing.  Keys that need more
 * than a scalar (lists of addresses, sub-groups) have a handler.
 *
 * Memory: arrays hanging off struct tnd_cfg are allocated zeroed with
 * their count set at once, so cfg_free() can release a half-built config
 * on any error path.
 */
#ifndef TANDEM_CFG_INT_H
#define TANDEM_CFG_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libconfig.h>

#include "tandem/cfg.h"

struct cfg_ctx {
	const char	*name;		/* the top file as named by the caller */
	const char	*dir;		/* its directory if it has one, or NULL */
	bool		 from_string;	/* cfg_load_string: no @include */
	char		*err;
	size_t		 errlen;
	struct tnd_cfg	*cfg;		/* being built */
};

/* Write "FILE:LINE: KEY: fmt" for setting s into c->err; returns -1. */
int	 cfg_err(struct cfg_ctx *c, const config_setting_t *s,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The same with an explicit file and line (and no key). */
int	 cfg_err_at(struct cfg_ctx *c, const char *file, unsigned int line,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

enum cfg_kt {
	KT_LATER,	/* known key, handled by the caller after cfg_apply */
	KT_BOOL,	/* bool */
	KT_INT,		/* integer of size 1, 2, 4 or 8, in [min, max] */
	KT_COUNT64,	/* uint64: integer, or "N" with k/m/g/t (1024^n) */
	KT_FLOAT,	/* double: integer or float, in [min, max] */
	KT_DUR_S,	/* uint32 seconds: N (s), 1.5 (s), "N[ms|s|m|h|d]" */
	KT_DUR_MS,	/* uint32 milliseconds, same forms */
	KT_NAME,	/* char[size]: 1.. of [A-Za-z0-9._-] */
	KT_IFNAME,	/* char[IFNAMSIZ]: a network interface name */
	KT_PATH,	/* char *: an absolute path */
	KT_STRV,	/* struct cfg_strv: string or list of strings */
	KT_PATHV,	/* struct cfg_strv of absolute paths */
	KT_ENUM,	/* int (an enum): one of kw[] */
	KT_FN,		/* handler fn(c, setting, obj) */
};

#define KF_REQ	0x01	/* required */

struct cfg_kw {
	const char	*name;
	int		 value;
};

struct cfg_key {
	const char		*name;
	enum cfg_kt		 type;
	unsigned int		 flags;
	size_t			 off;	/* of the field in the target struct */
	size_t			 size;	/* of the field */
	int64_t			 min, max;
	const struct cfg_kw	*kw;	/* KT_ENUM: NULL-terminated */
	int			(*fn)(struct cfg_ctx *,
				    const config_setting_t *, void *obj);
};

#define CFG_FIELD(st, f)	offsetof(st, f), sizeof(((st *)0)->f)

/* Check grp is a group and apply the schema keys[0..n) to obj. */
int	 cfg_apply(struct cfg_ctx *, const config_setting_t *grp,
	    const struct cfg_key *keys, size_t n, void *obj);
/* An integer setting's value (hex literals read as unsigned 32-bit), or
 * -1 with "expected an integer, got ..." written. */
int	 cfg_get_int(struct cfg_ctx *, const config_setting_t *, int64_t *);
/* grp's member called name, or NULL. */
const config_setting_t *cfg_member(const config_setting_t *grp,
	    const char *name);
/* The member called name if present, else grp (for error lines). */
const config_setting_t *cfg_member_or(const config_setting_t *grp,
	    const char *name);

/* Settings that carry a list: a single string, or [ ... ] / ( ... ) of
 * strings.  Returns the count (>= 1) or -1 (message written). */
int	 cfg_str_list_len(struct cfg_ctx *, const config_setting_t *);
/* Element i of such a setting, and the setting to blame for it. */
const char *cfg_str_list_at(const config_setting_t *, int i,
	    const config_setting_t **where);

/* calloc(n, size) for the elements of s, or NULL (message written). */
void	*cfg_calloc(struct cfg_ctx *, const config_setting_t *s, size_t n,
	    size_t size);
/* Copy a libconfig setting's name into a CFG_NAME_MAX buffer, checking
 * that it is a usable name (libconfig admits '*' in names). */
int	 cfg_set_name(struct cfg_ctx *, const config_setting_t *, char *dst);

/* The closest of cands[] to s within edit distance 2, or NULL. */
const char *cfg_suggest(const char *s, const char *const *cands, size_t n);

/* Enum keyword tables: the name of value v, or "?". */
const char *cfg_kw_name(const struct cfg_kw *, int v);

/*
 * Sections.  Each has defaults (set before the file is read, so an absent
 * section has them too) and a handler for cfg_apply() (KT_FN).  The
 * handlers check what lies within their section; cfg_ike_refs() checks
 * what a connection names elsewhere, once every section is read.
 */
void	 cfg_ike_defaults(struct cfg_ike *);
int	 cfg_ike(struct cfg_ctx *, const config_setting_t *, void *);
int	 cfg_ike_refs(struct cfg_ctx *, const config_setting_t *);
/* Wipe the PSK text in libconfig's tree before config_destroy(). */
void	 cfg_ike_wipe(const config_setting_t *root);
void	 cfg_sync_defaults(struct cfg_sync *);
int	 cfg_sync(struct cfg_ctx *, const config_setting_t *, void *);
void	 cfg_ha_defaults(struct cfg_ha *);
int	 cfg_ha(struct cfg_ctx *, const config_setting_t *, void *);

/* lib/cfg_conn.c: one connection (with its children) from its group;
 * cfg_conn_fini() (lib/cfg.c) releases what it holds. */
int	 cfg_conn(struct cfg_ctx *, const config_setting_t *,
	    struct cfg_conn *);
void	 cfg_conn_fini(struct cfg_conn *);

/* Proposal and address list handlers shared by connections and ike. */
int	 cfg_proposal_list(struct cfg_ctx *, const config_setting_t *,
	    enum cfg_prop_kind, struct cfg_proposal **, size_t *);
int	 cfg_addr_list(struct cfg_ctx *, const config_setting_t *,
	    struct cfg_addr **, size_t *);

/* lib/cfg_scan.c: libconfig 1.5 wraps integers beyond 32 bits silently;
 * find such literals first.  Returns 0 or -1 (message written). */
int	 cfg_scan_ints(struct cfg_ctx *, const char *text, const char *file,
	    int depth);
/* For cfg_load_string(): refuse @include before libconfig follows it. */
int	 cfg_scan_no_include(struct cfg_ctx *, const char *text);

/* Pure helpers from lib/cfg_addr.c. */
int	 cfg_addr_has_host_bits(const struct cfg_addr *);
int	 cfg_hex_decode(const char *hex, uint8_t *out, size_t cap);

/* Linux dev_valid_name(): 1..15 bytes, not "." or "..", no '/', ':' or
 * white space. */
bool	 cfg_is_ifname(const char *);

#endif /* TANDEM_CFG_INT_H */
