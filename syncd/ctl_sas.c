/*
 * syncd/ctl_sas.c -- CTL_SAS on syncd's control socket: the SAs this
 * node's replicated database holds, for `haadm drill` (which compares
 * them with ikev2d's before the drill and samples their counters during
 * it) and for the operator.
 *
 * Reply: two tables (include/tandem/ctlmsg.h), every cell a string:
 *   "ike":   group, spi_i, spi_r (16 hex digits each, as ikev2d's `sas`
 *            prints them), gen
 *   "child": group, ike_spi_i, ike_spi_r, spi_in, spi_out (8 hex digits),
 *            gen, out_end (acknowledged outbound lease end), in_top
 *            (inbound replay top), ctr_gen
 * Children are listed under their IKE SA's group; orphans (a child held
 * before its IKE SA) are not listed.  No key material leaves: the records
 * the cursor copies out are wiped after each row.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <openssl/crypto.h>

#include "tandem/ctlmsg.h"
#include "tandem/daemon.h"
#include "tandem/util.h"
#include "loop.h"
#include "sadb.h"

static const char *const ike_cols[] = { "group", "spi_i", "spi_r", "gen" };
static const char *const child_cols[] = {
	"group", "ike_spi_i", "ike_spi_r", "spi_in", "spi_out", "gen",
	"out_end", "in_top", "ctr_gen",
};

static void
spi_hex(char *buf, const uint8_t spi[SA_SPI_LEN])
{
	size_t	 i;

	for (i = 0; i < SA_SPI_LEN; i++)
		snprintf(buf + 2 * i, 3, "%02x", spi[i]);
}

/* The rows of one kind for every group; it is caller scratch. */
static void
rows(const struct sadb *db, const struct sadb_group_stat *gs, size_t ng,
    enum sadb_item_type kind, struct sadb_item *it, struct ctl_reply *r)
{
	struct sadb_cursor	 cur;
	char			 c[9][2 * SA_SPI_LEN + 1];
	const char		*cells[9];
	size_t			 g, i;

	for (i = 0; i < nitems(cells); i++)
		cells[i] = c[i];
	for (g = 0; g < ng; g++) {
		cells[0] = gs[g].group;
		sadb_cursor_init(db, &cur, gs[g].group);
		while (sadb_cursor_next(db, &cur, it) != SADB_ITEM_END) {
			if (it->type != kind) {
				if (it->type == SADB_ITEM_IKE) {
					sa_ike_wipe(&it->u.ike);
					continue;
				}
				sa_child_wipe(&it->u.child);
				break;	/* children come after IKE SAs */
			}
			if (kind == SADB_ITEM_IKE) {
				spi_hex(c[1], it->u.ike.spi_i);
				spi_hex(c[2], it->u.ike.spi_r);
				snprintf(c[3], sizeof(c[3]), "%" PRIu64,
				    it->u.ike.gen);
				sa_ike_wipe(&it->u.ike);
				ctl_reply_row(r, cells, nitems(ike_cols));
				continue;
			}
			spi_hex(c[1], it->u.child.ike_spi_i);
			spi_hex(c[2], it->u.child.ike_spi_r);
			snprintf(c[3], sizeof(c[3]), "%08" PRIx32,
			    it->u.child.spi_in);
			snprintf(c[4], sizeof(c[4]), "%08" PRIx32,
			    it->u.child.spi_out);
			snprintf(c[5], sizeof(c[5]), "%" PRIu64,
			    it->u.child.gen);
			snprintf(c[6], sizeof(c[6]), "%" PRIu64,
			    it->u.child.ctr.out_end);
			snprintf(c[7], sizeof(c[7]), "%" PRIu64,
			    it->u.child.ctr.in_top);
			snprintf(c[8], sizeof(c[8]), "%" PRIu32,
			    it->u.child.ctr.gen);
			sa_child_wipe(&it->u.child);
			ctl_reply_row(r, cells, nitems(child_cols));
		}
	}
}

static void
sas_reply(struct syncd *sd, struct ctl_reply *r)
{
	struct sadb_group_stat	 gs[SADB_GROUPS_MAX];
	struct sadb_item	*it;
	size_t			 ng;

	if ((it = calloc(1, sizeof(*it))) == NULL) {
		ctl_reply_error(r, "out of memory");
		return;
	}
	ng = sadb_group_stats(sd->db, gs, nitems(gs));
	if (ng > nitems(gs))
		ng = nitems(gs);
	ctl_reply_table(r, "ike", ike_cols, nitems(ike_cols));
	rows(sd->db, gs, ng, SADB_ITEM_IKE, it, r);
	ctl_reply_table(r, "child", child_cols, nitems(child_cols));
	rows(sd->db, gs, ng, SADB_ITEM_CHILD, it, r);
	OPENSSL_cleanse(it, sizeof(*it));
	free(it);
}

int
syncd_ctl_request(struct daemon *d, const struct ctl_hdr *h, struct rd *tlvs,
    struct ctl_reply *r)
{
	struct syncd	*sd = d->priv;
	char		 why[400];

	switch (h->type) {
	case CTL_SAS:
		if (sd == NULL || sd->db == NULL) {
			ctl_reply_error(r, "syncd holds no database yet");
			return 0;
		}
		sas_reply(sd, r);
		return 0;
	case CTL_RESYNC:
		if (sd == NULL) {
			ctl_reply_error(r, "syncd is not running yet");
			return 0;
		}
		if (syncd_resync_ask(sd, why, sizeof(why)) == -1) {
			ctl_reply_error(r, why);
			return 0;
		}
		snprintf(why, sizeof(why), "%" PRIu64, sd->rs_asked);
		ctl_reply_kv(r, "resync", "requested");
		ctl_reply_kv(r, "resync_requests", why);
		return 0;
	default:
		return -1;
	}
}
