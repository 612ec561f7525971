/*
 * ha/haadm.h -- shared between haadm's files: the invocation context and
 * the output helpers.
 */
#ifndef HA_HAADM_H
#define HA_HAADM_H

#include <stdbool.h>
#include <stdio.h>

#include "tandem/ctlmsg.h"
#include "nodes_view.h"

/* Exit codes a monitoring check can use (haadm(8)). */
#define HAADM_OK	0	/* healthy */
#define HAADM_DEGRADED	1	/* works, but something is down */
#define HAADM_FAILED	2	/* not working, or the command failed */
#define HAADM_USAGE	64	/* bad command line (EX_USAGE) */

struct haadm {
	const char	*rundir;	/* the node's run directory */
	bool		 json;
	int		 timeout_ms;
};

struct haadm_cmd {
	const char	*name;
	int		(*fn)(struct haadm *, int argc, char **argv);
	const char	*summary;
};

int	haadm_status(struct haadm *, int argc, char **argv);
int	haadm_sas(struct haadm *, int argc, char **argv);
int	haadm_rekey(struct haadm *, int argc, char **argv);
int	haadm_delete(struct haadm *, int argc, char **argv);
int	haadm_failover(struct haadm *, int argc, char **argv);
int	haadm_maintenance(struct haadm *, int argc, char **argv);
int	haadm_drill(struct haadm *, int argc, char **argv);
int	haadm_resync(struct haadm *, int argc, char **argv);

/*
 * Interfaces a drill sets down and up again (haadm_link.c, rtnetlink).
 * Zero-initialise; links_close() releases the socket.
 */
#define HAADM_LINKS_MAX	16
#define HAADM_EXCL_MAX	64

struct haadm_links {
	char		 name[HAADM_LINKS_MAX][16];	/* IFNAMSIZ */
	bool		 down[HAADM_LINKS_MAX];	/* set down by links_down() */
	size_t		 n;
	void		*nl;		/* struct mnl_socket, opened on use */
	uint32_t	 seq;
	char		 err[256];	/* why the last call failed */
	/*
	 * What the kernel drops with a link that goes down and does not
	 * give back when it comes up: the routes through it and its IPv6
	 * addresses (haadm_netsave.c).  Saved as the requests that restore
	 * them; VIPs (excl) are never restored: hamgrd owns them.
	 */
	uint8_t		*saved;
	size_t		 saved_len, saved_cap;
	unsigned int	 saved_addrs, saved_routes;
	uint8_t		 excl[HAADM_EXCL_MAX][16];
	uint8_t		 excl_family[HAADM_EXCL_MAX];
	size_t		 nexcl;
};

/* An address never to restore (a VIP); family AF_INET / AF_INET6. */
void	links_exclude(struct haadm_links *, uint8_t family,
	    const uint8_t addr[16]);
/* Save the routes and IPv6 addresses of the listed links (before they
 * go down); 0, or -1 with err.  links_restore() replays them after they
 * come up and says on stderr what it could not restore. */
int	links_save(struct haadm_links *);
int	links_restore(struct haadm_links *);

/* Add an interface (ignored: "", too long, a duplicate, a 17th). */
void	links_add(struct haadm_links *, const char *ifname);
/* Each down in turn; 0, or -1 with err (those done stay marked). */
int	links_down(struct haadm_links *);
/* Every one links_down() set down, up again; -1 if any failed (each
 * failure is printed on stderr). */
int	links_up(struct haadm_links *);
void	links_close(struct haadm_links *);
/* The rtnetlink socket of l, opened once (haadm_netsave.c); -1 with
 * l->err. */
int	links_open_nl(struct haadm_links *);

/* JSON string literal of s (quotes included) to f. */
void	json_str(FILE *f, const char *s);

/* A command's reply: its CTL_T_KV lines (the first HAADM_KV_MAX). */
#define HAADM_KV_MAX	16
struct haadm_kv {
	char	 kv[HAADM_KV_MAX][2][128];
	size_t	 n;
};
/* ctl_request()'s callback that collects the lines into a haadm_kv. */
void	haadm_kv_collect(void *arg, const struct ctl_hdr *h,
	    struct rd *tlvs);
/* The lines as one JSON object on a line of stdout. */
void	haadm_kv_json(const struct haadm_kv *);

/* A whole status reply (haadm_nodes.c): every line, up to the cap. */
#define HAADM_SKV_MAX	512
struct haadm_skv {
	char	 key[HAADM_SKV_MAX][64];
	char	 val[HAADM_SKV_MAX][256];
	size_t	 n;
};
void	 haadm_skv_collect(void *arg, const struct ctl_hdr *h,
	    struct rd *tlvs);
/* A line's value, or NULL. */
const char *haadm_skv_get(const struct haadm_skv *, const char *key);
/* CTL_STATUS of one daemon ("syncd") into o; 0, or -1 with err. */
int	 haadm_ask_status(const struct haadm *, const char *daemon,
	    struct haadm_skv *o, char *err, size_t errlen);
/* The cluster-wide node table: syncd's lines (kept in syncd_out) joined
 * with hamgrd's names and roles (when hamgrd answers).  0, or -1 with
 * err when syncd does not answer. */
int	 haadm_nodes(const struct haadm *, struct nodes_view *,
	    struct haadm_skv *syncd_out, char *err, size_t errlen);

/* Tables from a control reply (haadm_table.c). */
struct table {
	char		  name[32];
	size_t		  ncols, nrows, cap;
	char		 *cols[CTL_ROW_MAX];
	char		***rows;	/* nrows x ncols strings */
};

struct tables {
	struct table	 t[8];
	size_t		 n;
	bool		 bad;		/* a malformed table was received */
};

/* ctl_request() callback: collect the tables of one datagram. */
void		 tables_on_msg(void *arg, const struct ctl_hdr *h,
		    struct rd *tlvs);
const struct table *tables_find(const struct tables *, const char *name);
void		 table_print(FILE *, const struct table *);
void		 table_json(FILE *, const struct table *);
void		 tables_free(struct tables *);

#endif
