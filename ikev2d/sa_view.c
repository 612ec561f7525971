/*
 * ikev2d/sa_view.c -- SA records as table rows (see sa_view.h).
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "ike_const.h"
#include "ike_core.h"
#include "ike_names.h"
#include "sa_view.h"
#include "tandem/util.h"

const char *const sa_view_ike_cols[SA_VIEW_IKE_COLS] = {
	"uid", "conn", "state", "role", "local", "remote", "local_id",
	"remote_id", "spi_i", "spi_r", "proposal", "age_s", "rekey_in_s",
	"msgids",
};

const char *const sa_view_child_cols[SA_VIEW_CHILD_COLS] = {
	"uid", "ike_uid", "state", "mode", "spi_in", "spi_out", "proposal",
	"local_ts", "remote_ts", "reqid", "esn", "age_s", "rekey_in_s",
	"bytes_in", "packets_in", "bytes_out", "packets_out", "drops_in",
};

void
sa_view_addr(char *buf, size_t len, const struct sa_addr *a)
{
	char	 txt[INET6_ADDRSTRLEN];

	if ((a->family != AF_INET && a->family != AF_INET6) ||
	    inet_ntop(a->family, a->addr, txt, sizeof(txt)) == NULL) {
		snprintf(buf, len, "%s", "");
		return;
	}
	if (a->port != 0)
		snprintf(buf, len, "%s[%u]", txt, a->port);
	else
		snprintf(buf, len, "%s", txt);
}

static bool
printable(const uint8_t *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return false;
	return n > 0;
}

static void
hex(char *buf, size_t len, const uint8_t *p, size_t n)
{
	size_t	 i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < n && o + 3 <= len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%02x", p[i]);
}

void
sa_view_id(char *buf, size_t len, const struct sa_id *id)
{
	char	 txt[INET6_ADDRSTRLEN];
	size_t	 n = id->len < SA_ID_MAX ? id->len : SA_ID_MAX;

	switch (id->type) {
	case IKE_ID_IPV4_ADDR:
	case IKE_ID_IPV6_ADDR:
		if (n == (id->type == IKE_ID_IPV4_ADDR ? 4u : 16u) &&
		    inet_ntop(id->type == IKE_ID_IPV4_ADDR ? AF_INET :
		    AF_INET6, id->data, txt, sizeof(txt)) != NULL) {
			snprintf(buf, len, "%s", txt);
			return;
		}
		break;
	case IKE_ID_FQDN:
	case IKE_ID_RFC822_ADDR:
		if (printable(id->data, n)) {
			snprintf(buf, len, "%.*s", (int)n, id->data);
			return;
		}
		break;
	case 0:
		snprintf(buf, len, "%s", "");
		return;
	}
	snprintf(buf, len, "%s:", ike_id_type_name(id->type));
	hex(buf + strlen(buf), len - strlen(buf), id->data, n);
}

/* Prefix length if [start, end] is exactly one prefix, else -1. */
static int
ts_prefix(const struct sa_ts *ts)
{
	size_t	 n = sa_addr_len(ts->family), i;
	int	 bits = 0;
	bool	 tail = false;

	for (i = 0; i < n; i++) {
		uint8_t	 diff = ts->start[i] ^ ts->end[i];
		uint8_t	 m;

		if (tail) {
			if (ts->start[i] != 0 || ts->end[i] != 0xff)
				return -1;
			continue;
		}
		if (diff == 0) {
			bits += 8;
			continue;
		}
		/* The differing bits must be a run of low bits, all 0 in
		 * start and all 1 in end. */
		for (m = 0x80; m != 0 && !(diff & m); m >>= 1)
			bits++;
		if ((uint8_t)(diff + 1) & diff)
			return -1;
		if ((ts->start[i] & diff) != 0 || (ts->end[i] & diff) != diff)
			return -1;
		tail = true;
	}
	return bits;
}

void
sa_view_ts(char *buf, size_t len, const struct sa_ts *ts)
{
	char	 a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	int	 plen;
	size_t	 o;

	if ((ts->family != AF_INET && ts->family != AF_INET6) ||
	    inet_ntop(ts->family, ts->start, a, sizeof(a)) == NULL ||
	    inet_ntop(ts->family, ts->end, b, sizeof(b)) == NULL) {
		snprintf(buf, len, "%s", "?");
		return;
	}
	if ((plen = ts_prefix(ts)) >= 0)
		snprintf(buf, len, "%s/%d", a, plen);
	else
		snprintf(buf, len, "%s-%s", a, b);
	if (ts->proto == 0 && ts->port_lo == 0 && ts->port_hi == 0xffff)
		return;
	o = strlen(buf);
	if (ts->port_lo == 0 && ts->port_hi == 0xffff)
		snprintf(buf + o, len - o, "[%u]", ts->proto);
	else if (ts->port_lo == ts->port_hi)
		snprintf(buf + o, len - o, "[%u/%u]", ts->proto, ts->port_lo);
	else
		snprintf(buf + o, len - o, "[%u/%u-%u]", ts->proto,
		    ts->port_lo, ts->port_hi);
}

static void
ts_list(char *buf, size_t len, const struct sa_ts *ts, unsigned int n)
{
	char		 one[96];
	unsigned int	 i;
	size_t		 o = 0;

	buf[0] = '\0';
	for (i = 0; i < n && i < SA_TS_MAX; i++) {
		sa_view_ts(one, sizeof(one), &ts[i]);
		o += (size_t)snprintf(buf + o, o < len ? len - o : 0, "%s%s",
		    i ? "," : "", one);
		if (o >= len)
			break;
	}
}

static void
seconds(char *buf, uint64_t from_ms, uint64_t to_ms)
{
	if (from_ms == 0 || to_ms == 0)
		snprintf(buf, SA_VIEW_CELL, "-");
	else if (to_ms >= from_ms)
		snprintf(buf, SA_VIEW_CELL, "%" PRIu64, (to_ms - from_ms) /
		    1000);
	else
		snprintf(buf, SA_VIEW_CELL, "0");
}

void
sa_view_ike_row(char c[][SA_VIEW_CELL], uint32_t uid, const char *state,
    const struct sa_ike *rec, uint64_t now_ms)
{
	snprintf(c[0], SA_VIEW_CELL, "%" PRIu32, uid);
	snprintf(c[1], SA_VIEW_CELL, "%.63s", rec->conn);
	snprintf(c[2], SA_VIEW_CELL, "%s", state);
	snprintf(c[3], SA_VIEW_CELL, "%s", sa_role_name(rec->role));
	sa_view_addr(c[4], SA_VIEW_CELL, &rec->local);
	sa_view_addr(c[5], SA_VIEW_CELL, &rec->remote);
	sa_view_id(c[6], SA_VIEW_CELL, &rec->local_id);
	sa_view_id(c[7], SA_VIEW_CELL, &rec->remote_id);
	hex(c[8], SA_VIEW_CELL, rec->spi_i, SA_SPI_LEN);
	hex(c[9], SA_VIEW_CELL, rec->spi_r, SA_SPI_LEN);
	if (rec->encr == 0)
		snprintf(c[10], SA_VIEW_CELL, "-");	/* not negotiated yet */
	else if (rec->integ != IKE_INTEG_NONE)
		snprintf(c[10], SA_VIEW_CELL, "%s-%u/%s/%s/%s",
		    ike_encr_name(rec->encr), rec->encr_bits,
		    ike_integ_name(rec->integ), ike_prf_name(rec->prf),
		    ike_ke_name(rec->ke));
	else
		snprintf(c[10], SA_VIEW_CELL, "%s-%u/%s/%s",
		    ike_encr_name(rec->encr), rec->encr_bits,
		    ike_prf_name(rec->prf), ike_ke_name(rec->ke));
	seconds(c[11], rec->established_ms, now_ms);
	seconds(c[12], now_ms, rec->rekey_ms);
	snprintf(c[13], SA_VIEW_CELL, "%" PRIu32 "/%" PRIu32,
	    rec->msgid_send, rec->msgid_recv);
}

static void
count(char *buf, bool have, uint64_t v)
{
	if (have)
		snprintf(buf, SA_VIEW_CELL, "%" PRIu64, v);
	else
		snprintf(buf, SA_VIEW_CELL, "-");
}

void
sa_view_child_row(char c[][SA_VIEW_CELL], uint32_t uid, uint32_t ike_uid,
    const char *state, const struct sa_child *rec,
    const struct sa_view_ctr *ctr, uint64_t now_ms)
{
	struct sa_view_ctr	 none = { 0 };

	if (ctr == NULL)
		ctr = &none;
	snprintf(c[0], SA_VIEW_CELL, "%" PRIu32, uid);
	snprintf(c[1], SA_VIEW_CELL, "%" PRIu32, ike_uid);
	snprintf(c[2], SA_VIEW_CELL, "%s", state);
	snprintf(c[3], SA_VIEW_CELL, "%s", sa_mode_name(rec->mode));
	snprintf(c[4], SA_VIEW_CELL, "%08" PRIx32, rec->spi_in);
	snprintf(c[5], SA_VIEW_CELL, "%08" PRIx32, rec->spi_out);
	if (rec->encr == 0)
		snprintf(c[6], SA_VIEW_CELL, "-");
	else if (rec->integ != IKE_INTEG_NONE)
		snprintf(c[6], SA_VIEW_CELL, "%s-%u/%s",
		    ike_encr_name(rec->encr), rec->encr_bits,
		    ike_integ_name(rec->integ));
	else
		snprintf(c[6], SA_VIEW_CELL, "%s-%u",
		    ike_encr_name(rec->encr), rec->encr_bits);
	ts_list(c[7], SA_VIEW_CELL, rec->ts_local, rec->n_ts_local);
	ts_list(c[8], SA_VIEW_CELL, rec->ts_remote, rec->n_ts_remote);
	snprintf(c[9], SA_VIEW_CELL, "%" PRIu32, rec->reqid);
	snprintf(c[10], SA_VIEW_CELL, "%s", rec->flags & SA_CHILD_ESN ?
	    "yes" : "no");
	seconds(c[11], rec->installed_ms, now_ms);
	seconds(c[12], now_ms, rec->rekey_ms);
	count(c[13], ctr->have_in, ctr->bytes_in);
	count(c[14], ctr->have_in, ctr->packets_in);
	count(c[15], ctr->have_out, ctr->bytes_out);
	count(c[16], ctr->have_out, ctr->packets_out);
	count(c[17], ctr->have_in, ctr->drops_in);
}

struct view {
	struct ctl_reply	*r;
	uint64_t		 now_ms;
	bool			 child_pass;
	sa_view_ctr_fn		 ctr;
	void			*ctr_arg;
};

static void
rows(char cells[][SA_VIEW_CELL], size_t n, struct ctl_reply *r)
{
	const char	*p[SA_VIEW_MAX_COLS];
	size_t		 i;

	for (i = 0; i < n; i++)
		p[i] = cells[i];
	ctl_reply_row(r, p, n);
}

static void
on_ike(void *arg, uint32_t uid, const char *state, const struct sa_ike *rec)
{
	struct view	*v = arg;
	char		 cells[SA_VIEW_IKE_COLS][SA_VIEW_CELL];

	if (v->child_pass)
		return;
	sa_view_ike_row(cells, uid, state, rec, v->now_ms);
	rows(cells, SA_VIEW_IKE_COLS, v->r);
}

static void
on_child(void *arg, uint32_t uid, uint32_t ike_uid, const char *state,
    const struct sa_child *rec)
{
	struct view		*v = arg;
	struct sa_view_ctr	 ctr = { 0 };
	char			 cells[SA_VIEW_CHILD_COLS][SA_VIEW_CELL];

	if (!v->child_pass)
		return;
	if (v->ctr != NULL && v->ctr(v->ctr_arg, rec, &ctr) == -1)
		memset(&ctr, 0, sizeof(ctr));
	sa_view_child_row(cells, uid, ike_uid, state, rec, &ctr, v->now_ms);
	rows(cells, SA_VIEW_CHILD_COLS, v->r);
}

void
sa_view_reply(struct ike_core *core, uint64_t now_ms, sa_view_ctr_fn ctr,
    void *ctr_arg, struct ctl_reply *r)
{
	struct view	 v = { r, now_ms, false, ctr, ctr_arg };
	struct ike_walk	 w = { on_ike, on_child, &v };

	_Static_assert(SA_VIEW_CHILD_COLS <= SA_VIEW_MAX_COLS &&
	    SA_VIEW_IKE_COLS <= SA_VIEW_MAX_COLS, "row buffer");
	_Static_assert(SA_VIEW_MAX_COLS <= CTL_ROW_MAX, "cells per row");
	/* Two walks, so that each table's rows are contiguous. */
	ctl_reply_table(r, "ike", sa_view_ike_cols, SA_VIEW_IKE_COLS);
	ike_core_walk(core, &w);
	v.child_pass = true;
	ctl_reply_table(r, "child", sa_view_child_cols, SA_VIEW_CHILD_COLS);
	ike_core_walk(core, &w);
}
