/*
 * ikev2d/ike_import.c -- rebuild IKE and Child SAs from replicated
 * records (sa_rec.h) for a VIP group on standby: the first half of a
 * takeover (ike_takeover.c has the groups, activate and standby; the
 * contract is in ike_core.h, "VIP groups").  Pure core: no I/O, no
 * kernel op, no event.
 *
 * Every field of a record is checked before use: a record is data from
 * another node, decoded by syncmsg.c, and a bad one is refused with a
 * named, counted reason (enum ike_import_err), never a crash.  Keys go
 * from the record (the caller wipes it) into owned secbufs.
 *
 * Event sequence: a record's gen is its owner's event sequence (ike_sa.c,
 * child_sa.c: ev_seq + 1 when emitted) and syncd applies a record only if
 * its gen is newer.  An import raises our ev_seq to at least the record's
 * gen, so the first event this node emits for a resumed SA is newer than
 * every replica's copy (sync_out.c is told of the jump by the edge).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/replay.h"
#include "tandem/secbuf.h"
#include "tandem/syncmsg.h"
#include "tandem/util.h"
#include "child_sa.h"
#include "ike_const.h"
#include "ike_sa.h"
#include "ts.h"

#define AF_INET_		2
#define IPPROTO_ESP_		50
#define REQID_AUTO_BASE		0x10000	/* child_sa_reqid(), trap.c */

static const char *const imp_names[] = {
	[IKE_IMP_MALFORMED]	= "malformed",
	[IKE_IMP_NO_CONN]	= "no-conn",
	[IKE_IMP_GROUP]		= "group",
	[IKE_IMP_XFORM]		= "transform",
	[IKE_IMP_KEYS]		= "keys",
	[IKE_IMP_NO_IKE]	= "no-ike-sa",
	[IKE_IMP_LIVE]		= "live",
	[IKE_IMP_NOMEM]		= "no-memory",
};
_Static_assert(nitems(imp_names) == IKE_IMP_MAX, "name per import error");

const char *
ike_import_err_name(unsigned int e)
{
	return e < nitems(imp_names) ? imp_names[e] : "unknown";
}

/* --- the import index --------------------------------------------------------- */

/*
 * A takeover imports thousands of records, each looked up by its SPIs
 * (is it there already? which IKE SA is a Child SA's?): walking the SA
 * list for each made 10,000 imports take seconds (bench_takeover).  So
 * the SAs are indexed by SPIs in two open-addressing tables of pointers.
 * The index is rebuilt (O(n)) when stale: any SA created or freed since
 * marks it so (c->idx_dirty, set in ike_sa.c and child_sa.c), which never
 * happens between the imports of one takeover but makes a dangling
 * pointer impossible.
 */
struct takeover_idx {
	struct ike_sa	**ike;		/* by (spi_i, spi_r) */
	size_t		 ike_cap;	/* power of 2; half full at most */
	struct child_sa	**ch;		/* by (spi_in, spi_out) */
	size_t		 ch_cap;
	size_t		 nike, nch;
};

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t	*b = p;
	size_t		 i;

	for (i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

static uint64_t
ike_hash(const uint8_t *spi_i, const uint8_t *spi_r)
{
	return fnv(fnv(0xcbf29ce484222325ULL, spi_i, SA_SPI_LEN), spi_r,
	    SA_SPI_LEN);
}

static uint64_t
ch_hash(uint32_t spi_in, uint32_t spi_out)
{
	return fnv(fnv(0xcbf29ce484222325ULL, &spi_in, 4), &spi_out, 4);
}

void
core_import_free(struct ike_core *c)
{
	if (c->idx == NULL)
		return;
	free(c->idx->ike);
	free(c->idx->ch);
	free(c->idx);
	c->idx = NULL;
}

static size_t
pow2_for(size_t n)
{
	size_t	 cap = 64;

	while (cap < 2 * n + 2)
		cap *= 2;
	return cap;
}

/* Slot of sa's SPIs: where it is, or the empty slot it would go to. */
static size_t
ike_slot(const struct takeover_idx *x, const uint8_t *spi_i,
    const uint8_t *spi_r)
{
	size_t	 i = (size_t)ike_hash(spi_i, spi_r) & (x->ike_cap - 1);

	while (x->ike[i] != NULL && (memcmp(x->ike[i]->spi_i, spi_i,
	    SA_SPI_LEN) != 0 || memcmp(x->ike[i]->spi_r, spi_r,
	    SA_SPI_LEN) != 0))
		i = (i + 1) & (x->ike_cap - 1);
	return i;
}

static size_t
ch_slot(const struct takeover_idx *x, uint32_t spi_in, uint32_t spi_out)
{
	size_t	 i = (size_t)ch_hash(spi_in, spi_out) & (x->ch_cap - 1);

	while (x->ch[i] != NULL && (x->ch[i]->spi_in != spi_in ||
	    x->ch[i]->spi_out != spi_out))
		i = (i + 1) & (x->ch_cap - 1);
	return i;
}

static int	idx_build(struct ike_core *, size_t more_ike, size_t more_ch);

static int
idx_put_ike(struct ike_core *c, struct ike_sa *sa)
{
	struct takeover_idx	*x = c->idx;
	size_t			 i;

	if (2 * (x->nike + 1) > x->ike_cap)
		return idx_build(c, x->nike + 1, x->nch);
	i = ike_slot(x, sa->spi_i, sa->spi_r);
	if (x->ike[i] == NULL)
		x->nike++;
	x->ike[i] = sa;
	return 0;
}

static int
idx_put_ch(struct ike_core *c, struct child_sa *ch)
{
	struct takeover_idx	*x = c->idx;
	size_t			 i;

	if (2 * (x->nch + 1) > x->ch_cap)
		return idx_build(c, x->nike, x->nch + 1);
	i = ch_slot(x, ch->spi_in, ch->spi_out);
	if (x->ch[i] == NULL)
		x->nch++;
	x->ch[i] = ch;
	return 0;
}

/* Index every SA of c (tables sized for at least n_ike / n_ch). */
static int
idx_build(struct ike_core *c, size_t n_ike, size_t n_ch)
{
	struct takeover_idx	*x;
	struct ike_sa		*sa;
	struct child_sa		*ch;
	size_t			 ni = 0, nc = 0;

	for (sa = c->sas; sa != NULL; sa = sa->next)
		for (ni++, ch = sa->children; ch != NULL; ch = ch->next)
			nc++;
	core_import_free(c);
	if ((x = calloc(1, sizeof(*x))) == NULL)
		return -1;
	x->ike_cap = pow2_for(ni > n_ike ? ni : n_ike);
	x->ch_cap = pow2_for(nc > n_ch ? nc : n_ch);
	if ((x->ike = calloc(x->ike_cap, sizeof(*x->ike))) == NULL ||
	    (x->ch = calloc(x->ch_cap, sizeof(*x->ch))) == NULL) {
		free(x->ike);
		free(x);
		return -1;
	}
	c->idx = x;
	c->idx_dirty = false;
	for (sa = c->sas; sa != NULL; sa = sa->next) {
		x->ike[ike_slot(x, sa->spi_i, sa->spi_r)] = sa;
		x->nike++;
		for (ch = sa->children; ch != NULL; ch = ch->next) {
			x->ch[ch_slot(x, ch->spi_in, ch->spi_out)] = ch;
			x->nch++;
		}
	}
	return 0;
}

static int
idx_fresh(struct ike_core *c)
{
	if (c->idx != NULL && !c->idx_dirty)
		return 0;
	return idx_build(c, 0, 0);
}

/* --- import ---------------------------------------------------------------- */

static int
refuse(struct ike_core *c, enum ike_import_err e, const char *what,
    const char *why)
{
	c->st.import_refused[e]++;
	core_log(c, NULL, IKE_LOG_WARN, IKE_LK_ACTION,
	    "import of %s refused (%s): %s", what, imp_names[e], why);
	return -1 - (int)e;
}

/* A replicated wall-clock time on the core's clock; 0 stays "none". */
static uint64_t
mono(uint64_t wall_ms, int64_t off)
{
	int64_t	 v;

	if (wall_ms == 0)
		return 0;
	v = (int64_t)wall_ms + off;
	return v > 0 ? (uint64_t)v : 1;		/* long past: due */
}

/* A key of exactly want bytes (0: absent) into *out; 0, -1 or -2 (OOM). */
/* Counters into *dst, each only forward (sadb.c's ctr_merge()). */
static void
ctr_forward(struct sa_ctr *dst, const struct sa_ctr *src)
{
	if (src->out_end > dst->out_end)
		dst->out_end = src->out_end;
	if (src->in_top > dst->in_top) {
		dst->in_top = src->in_top;
		dst->in_bitmap = src->in_bitmap;
	} else if (src->in_top == dst->in_top)
		dst->in_bitmap |= src->in_bitmap;
	if (src->gen > dst->gen)
		dst->gen = src->gen;
}

static int
key_load(const struct sa_key *k, size_t want, struct secbuf **out)
{
	*out = NULL;
	if (k->len != want)
		return -1;
	if (want == 0)
		return 0;
	return (*out = secbuf_from(k->data, k->len)) != NULL ? 0 : -2;
}

static void
raise_seq(struct ike_core *c, uint64_t gen)
{
	if (gen > c->ev_seq)
		c->ev_seq = gen;
	c->st.imported++;
}

/* Printable peer id for logs (never a secret: ids are public). */
static void
peer_text(const struct sa_id *id, char *buf, size_t len)
{
	size_t	 i, o = 0;

	if (id->type == IKE_ID_IPV4_ADDR && id->len == 4) {
		snprintf(buf, len, "%u.%u.%u.%u", id->data[0], id->data[1],
		    id->data[2], id->data[3]);
		return;
	}
	if (id->type == IKE_ID_FQDN || id->type == IKE_ID_RFC822_ADDR) {
		for (i = 0; i < id->len && o + 1 < len; i++)
			buf[o++] = id->data[i] >= 0x20 && id->data[i] < 0x7f ?
			    (char)id->data[i] : '?';
		buf[o] = '\0';
		return;
	}
	snprintf(buf, len, "(id type %u, %u bytes)", id->type, id->len);
}

static bool
ike_rec_ok(const struct sa_ike *r)
{
	static const uint8_t	 z[SA_SPI_LEN];

	return r->gen != 0 && memcmp(r->spi_i, z, SA_SPI_LEN) != 0 &&
	    memcmp(r->spi_r, z, SA_SPI_LEN) != 0 &&
	    (r->role == SA_ROLE_INITIATOR || r->role == SA_ROLE_RESPONDER) &&
	    (r->flags & ~SA_IKE_FLAGS_ALL) == 0 && sa_addr_ok(&r->local) &&
	    sa_addr_ok(&r->remote) && r->local.family == r->remote.family &&
	    r->local_id.len <= SA_ID_MAX && r->remote_id.len <= SA_ID_MAX &&
	    r->resp_len <= SA_RESP_MAX && sa_name_ok(r->conn, false) &&
	    sa_name_ok(r->group, true);
}

/* Call only with a fresh index (idx_fresh()). */
static struct ike_sa *
ike_by_spis(struct ike_core *c, const uint8_t *spi_i, const uint8_t *spi_r)
{
	return c->idx->ike[ike_slot(c->idx, spi_i, spi_r)];
}

static int
ike_keys_load(struct ike_sa *sa, const struct sa_ike *r)
{
	const struct crypto_suite	*s = &sa->suite;
	struct ike_keys			*k = &sa->keys;
	int				 rc = 0;

	/* stop at the first failure; ike_keys_free() takes the rest */
	if ((rc = key_load(&r->sk_d, s->prf_len, &k->sk_d)) == 0 &&
	    (rc = key_load(&r->sk_ai, s->akey_len, &k->sk_ai)) == 0 &&
	    (rc = key_load(&r->sk_ar, s->akey_len, &k->sk_ar)) == 0 &&
	    (rc = key_load(&r->sk_ei, s->ekey_len, &k->sk_ei)) == 0 &&
	    (rc = key_load(&r->sk_er, s->ekey_len, &k->sk_er)) == 0 &&
	    (rc = key_load(&r->sk_pi, s->prf_len, &k->sk_pi)) == 0)
		rc = key_load(&r->sk_pr, s->prf_len, &k->sk_pr);
	return rc;
}

int
ike_core_import_ike(struct ike_core *c, const struct sa_ike *r, int64_t off)
{
	const struct cfg_conn	*cn;
	struct ike_group_rt	*g;
	struct ike_sa		*sa = NULL, *old;
	struct child_sa		*ch;
	char			 what[SA_NAME_MAX + 16];
	int			 rc, ret;
	bool			 dirty;

	if (!ike_rec_ok(r))
		return refuse(c, IKE_IMP_MALFORMED, "an IKE SA",
		    "a field is out of range");
	snprintf(what, sizeof(what), "IKE SA of %s", r->conn);
	if ((cn = core_conn(c, r->conn)) == NULL)
		return refuse(c, IKE_IMP_NO_CONN, what, "no such connection");
	if ((r->group[0] != '\0' && strcmp(r->group, cn->vip_group) != 0) ||
	    (g = core_group_find(c, cn->vip_group)) == NULL)
		return refuse(c, IKE_IMP_GROUP, what,
		    "its group is not the connection's");
	if (g->state != IKE_GROUP_STANDBY)
		return refuse(c, IKE_IMP_GROUP, what,
		    "its group is active here: our SAs are the truth");
	if (idx_fresh(c) != 0)
		return refuse(c, IKE_IMP_NOMEM, what, "out of memory");
	if ((old = ike_by_spis(c, r->spi_i, r->spi_r)) != NULL) {
		if (!old->imported)
			return refuse(c, IKE_IMP_LIVE, what,
			    "an SA with these SPIs is live here");
		if (r->gen <= old->gen)
			return 1;
	}
	if ((sa = calloc(1, sizeof(*sa))) == NULL)
		return refuse(c, IKE_IMP_NOMEM, what, "out of memory");
	sa->core = c;
	sa->chosen.has_encr = sa->chosen.has_prf = true;
	sa->chosen.encr = r->encr;
	sa->chosen.encr_keylen = r->encr_bits;
	sa->chosen.prf = r->prf;
	sa->chosen.has_integ = r->integ != 0;
	sa->chosen.integ = r->integ;
	sa->chosen.has_ke = r->ke != 0;
	sa->chosen.ke = r->ke;
	if (r->prf == 0 || crypto_suite_init(&sa->suite, r->encr,
	    r->encr_bits, r->integ != 0 ? r->integ : IKE_INTEG_NONE, r->prf,
	    r->ke) != 0) {
		ret = refuse(c, IKE_IMP_XFORM, what, "transforms not ours");
		goto fail;
	}
	if ((rc = ike_keys_load(sa, r)) != 0) {
		ret = refuse(c, rc == -2 ? IKE_IMP_NOMEM : IKE_IMP_KEYS, what,
		    "key lengths do not fit the transforms");
		goto fail;
	}
	sa->uid = ++c->next_uid;
	sa->state = IKE_S_ESTABLISHED;
	sa->initiator = r->role == SA_ROLE_INITIATOR;
	memcpy(sa->spi_i, r->spi_i, SA_SPI_LEN);
	memcpy(sa->spi_r, r->spi_r, SA_SPI_LEN);
	sa->local = r->local;
	sa->remote = r->remote;
	sa->sa_flags = r->flags;
	sa->natt = (r->flags & SA_IKE_NATT_4500) != 0;
	sa->conn = cn;
	snprintf(sa->conn_name, sizeof(sa->conn_name), "%s", cn->name);
	sa->local_id = r->local_id;
	sa->remote_id = r->remote_id;
	peer_text(&sa->remote_id, sa->peer_id, sizeof(sa->peer_id));
	sa->msgid_send = r->msgid_send;
	sa->msgid_recv = r->msgid_recv;
	if (r->resp_len > 0 && r->msgid_recv > 0) {
		if ((sa->resp = malloc(r->resp_len)) == NULL) {
			ret = refuse(c, IKE_IMP_NOMEM, what, "out of memory");
			goto fail;
		}
		memcpy(sa->resp, r->resp, r->resp_len);
		sa->resp_len = r->resp_len;
		sa->resp_valid = true;
	}
	sa->established_ms = mono(r->established_ms, off);
	sa->rekey_ms = mono(r->rekey_ms, off);
	if (cn->rekey_time_s != 0 && sa->established_ms != 0)
		sa->expire_ms = sa->established_ms +
		    ((uint64_t)cn->rekey_time_s + cn->over_time_s) * 1000;
	sa->imported = sa->standby = true;
	sa->gen = r->gen;
	dirty = c->idx_dirty;
	if (ike_sa_link(c, sa) != 0) {
		ret = refuse(c, IKE_IMP_NOMEM, what, "out of memory");
		goto fail;
	}
	c->idx_dirty = dirty;	/* idx_put_ike() below keeps it */
	if (old != NULL) {
		/* the newer record replaces it; its Child SAs stay */
		while ((ch = old->children) != NULL) {
			old->children = ch->next;
			ch->ike = sa;
			ch->next = sa->children;
			sa->children = ch;
		}
		ike_sa_free(old);	/* the index is rebuilt next time */
	} else if (idx_put_ike(c, sa) != 0)
		core_import_free(c);		/* rebuilt next time */
	raise_seq(c, r->gen);
	core_log(c, sa, IKE_LOG_DEBUG, IKE_LK_ACTION, "imported (gen %llu, "
	    "msgid send %u recv %u) for group %s", (unsigned long long)r->gen,
	    r->msgid_send, r->msgid_recv, cn->vip_group);
	return 0;
 fail:
	ike_keys_free(&sa->keys);
	free(sa->resp);
	secure_wipe(sa, sizeof(*sa));
	free(sa);
	return ret;
}

static bool
child_rec_ok(const struct sa_child *r)
{
	size_t	 i;

	if (r->gen == 0 || r->spi_in == 0 || r->spi_out == 0 ||
	    (r->mode != SA_MODE_TUNNEL && r->mode != SA_MODE_TRANSPORT) ||
	    (r->flags & ~SA_CHILD_FLAGS_ALL) != 0 ||
	    r->replay_window > REPLAY_WINDOW_MAX || r->reqid == 0 ||
	    r->n_ts_local < 1 || r->n_ts_local > SA_TS_MAX ||
	    r->n_ts_remote < 1 || r->n_ts_remote > SA_TS_MAX)
		return false;
	for (i = 0; i < r->n_ts_local; i++)
		if (!sa_ts_ok(&r->ts_local[i]))
			return false;
	for (i = 0; i < r->n_ts_remote; i++)
		if (!sa_ts_ok(&r->ts_remote[i]))
			return false;
	return true;
}

static void
ts_from_rec(const struct sa_ts *r, size_t n, struct ike_ts_pld *out)
{
	size_t	 i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < n && i < IKE_MAX_TS; i++) {
		out->ts[i].type = r[i].family == AF_INET_ ?
		    IKE_TS_IPV4_ADDR_RANGE : IKE_TS_IPV6_ADDR_RANGE;
		out->ts[i].proto = r[i].proto;
		out->ts[i].sport = r[i].port_lo;
		out->ts[i].eport = r[i].port_hi;
		memcpy(out->ts[i].start, r[i].start, 16);
		memcpy(out->ts[i].end, r[i].end, 16);
	}
	out->n = (uint8_t)i;
}

/*
 * The child config a replicated Child SA belongs to (records carry no
 * child name): the one with its configured reqid, else the one whose
 * selectors hold the SA's (narrowing only ever shrinks them, RFC 7296
 * 2.9), else the connection's only child.
 */
static const struct cfg_child *
child_cfg_match(const struct ike_sa *sa, const struct sa_child *r,
    const struct ike_ts_pld *tsl, const struct ike_ts_pld *tsr)
{
	const struct cfg_conn	*cn = sa->conn;
	const struct cfg_child	*cc;
	struct ike_ts_pld	 cl, cr;
	size_t			 i;

	for (i = 0; i < cn->nchildren; i++)
		if (cn->children[i].reqid != 0 &&
		    cn->children[i].reqid == r->reqid)
			return &cn->children[i];
	for (i = 0; i < cn->nchildren; i++) {
		cc = &cn->children[i];
		if (cc->reqid != 0)
			continue;
		if (ts_from_cfg(cc->local_ts, cc->nlocal_ts, &sa->local,
		    &cl) < 0 || ts_from_cfg(cc->remote_ts, cc->nremote_ts,
		    &sa->remote, &cr) < 0)
			continue;
		if (ts_subset(tsl, &cl) && ts_subset(tsr, &cr))
			return cc;
	}
	if (cn->nchildren == 1 && cn->children[0].reqid == 0)
		return &cn->children[0];
	return NULL;
}

static struct child_sa *
child_by_spis(struct ike_core *c, uint32_t spi_in, uint32_t spi_out)
{
	return c->idx->ch[ch_slot(c->idx, spi_in, spi_out)];
}

static int
child_keys_load(struct child_sa *ch, const struct sa_child *r)
{
	const struct crypto_suite	*s = &ch->suite;
	int				 rc;

	/*
	 * Records hold keys by direction (in: peer -> us).  We resume as
	 * the exchange's responder (ch->initiator false), for which the
	 * i keys are the inbound ones (RFC 7296 2.17, ksa_fill()).
	 */
	if ((rc = key_load(&r->encr_in, s->ekey_len, &ch->keys.encr_i)) ==
	    0 && (rc = key_load(&r->encr_out, s->ekey_len,
	    &ch->keys.encr_r)) == 0 && (rc = key_load(&r->integ_in,
	    s->akey_len, &ch->keys.integ_i)) == 0)
		rc = key_load(&r->integ_out, s->akey_len, &ch->keys.integ_r);
	return rc;
}

int
ike_core_import_child(struct ike_core *c, const struct sa_child *r,
    int64_t off)
{
	const struct cfg_child	*cc;
	struct ike_sa		*sa;
	struct child_sa		*ch = NULL, *old;
	struct ike_ts_pld	 tsl, tsr;
	char			 what[48];
	int			 rc, ret;

	snprintf(what, sizeof(what), "Child SA %08x_i", r->spi_in);
	if (!child_rec_ok(r))
		return refuse(c, IKE_IMP_MALFORMED, what,
		    "a field is out of range");
	if (r->proto != IPPROTO_ESP_)
		return refuse(c, IKE_IMP_XFORM, what, "not ESP");
	if (idx_fresh(c) != 0)
		return refuse(c, IKE_IMP_NOMEM, what, "out of memory");
	if ((sa = ike_by_spis(c, r->ike_spi_i, r->ike_spi_r)) == NULL)
		return refuse(c, IKE_IMP_NO_IKE, what,
		    "its IKE SA was not imported");
	if (!sa->standby)
		return refuse(c, IKE_IMP_LIVE, what, "its IKE SA is live here");
	if ((old = child_by_spis(c, r->spi_in, r->spi_out)) != NULL) {
		if (!old->imported || !old->standby)
			return refuse(c, IKE_IMP_LIVE, what,
			    "a Child SA with these SPIs is live here");
		if (r->gen <= old->gen) {
			struct sa_ctr	 was = old->ctr;

			/* counters only move forward, whatever the gen
			 * (sadb.c does the same): a live stream carries
			 * lease extensions as same-gen records */
			ctr_forward(&old->ctr, &r->ctr);
			if (memcmp(&was, &old->ctr, sizeof(was)) != 0)
				child_park_moved(old);
			return 1;
		}
	}
	ts_from_rec(r->ts_local, r->n_ts_local, &tsl);
	ts_from_rec(r->ts_remote, r->n_ts_remote, &tsr);
	if ((cc = child_cfg_match(sa, r, &tsl, &tsr)) == NULL ||
	    (cc->mode == CFG_MODE_TRANSPORT) != (r->mode ==
	    SA_MODE_TRANSPORT))
		return refuse(c, IKE_IMP_NO_CONN, what,
		    "no child of its connection matches");
	if ((ch = calloc(1, sizeof(*ch))) == NULL)
		return refuse(c, IKE_IMP_NOMEM, what, "out of memory");
	ch->esp.proto = IKE_PROTO_ESP;
	ch->esp.has_encr = true;
	ch->esp.encr = r->encr;
	/* ChaCha20-Poly1305 has no Key Length attribute (RFC 7634 2) */
	ch->esp.encr_keylen = r->encr == IKE_ENCR_CHACHA20_POLY1305 ? 0 :
	    r->encr_bits;
	ch->esp.has_integ = r->integ != 0;
	ch->esp.integ = r->integ;
	ch->esp.has_esn = true;
	ch->esp.esn = r->flags & SA_CHILD_ESN ? IKE_ESN_YES : IKE_ESN_NO;
	if (crypto_suite_init(&ch->suite, ch->esp.encr, ch->esp.encr_keylen,
	    r->integ != 0 ? r->integ : IKE_INTEG_NONE, 0, 0) != 0) {
		ret = refuse(c, IKE_IMP_XFORM, what, "transforms not ours");
		goto fail;
	}
	if ((rc = child_keys_load(ch, r)) != 0) {
		ret = refuse(c, rc == -2 ? IKE_IMP_NOMEM : IKE_IMP_KEYS, what,
		    "key lengths do not fit the transforms");
		goto fail;
	}
	ch->uid = ++c->next_uid;
	ch->state = CHILD_S_INSTALLED;
	snprintf(ch->name, sizeof(ch->name), "%s", cc->name);
	ch->initiator = false;
	ch->spi_in = r->spi_in;
	ch->spi_out = r->spi_out;
	ch->reqid = r->reqid;
	ch->ts_local = tsl;
	ch->ts_remote = tsr;
	ch->replay_window = r->replay_window;
	ch->installed_ms = mono(r->installed_ms, off);
	ch->rekey_ms = mono(r->rekey_ms, off);
	if (r->lft.hard_s != 0 && ch->installed_ms != 0)
		ch->expire_ms = ch->installed_ms + r->lft.hard_s * 1000;
	ch->ctr = r->ctr;
	ch->rec_flags = r->flags;
	ch->imported = ch->standby = true;
	ch->gen = r->gen;
	if (old != NULL) {
		ch->ike = sa;
		child_park_adopt(ch, old);	/* or unparks old */
		child_sa_free(old);	/* the index is rebuilt next time */
	}
	child_sa_link(sa, ch);
	if (old == NULL && idx_put_ch(c, ch) != 0)
		core_import_free(c);
	/* our own automatic reqids must not collide with the imported */
	if (r->reqid > REQID_AUTO_BASE && r->reqid - REQID_AUTO_BASE >
	    c->next_reqid)
		c->next_reqid = r->reqid - REQID_AUTO_BASE;
	raise_seq(c, r->gen);
	return 0;
 fail:
	child_keys_free(&ch->keys);
	secure_wipe(ch, sizeof(*ch));
	free(ch);
	return ret;
}

/* --- the live stream --------------------------------------------------------- */

/* An IKE SA that is an imported standby copy, or NULL. */
static struct ike_sa *
standby_copy(struct ike_core *c, const uint8_t *spi_i, const uint8_t *spi_r)
{
	struct ike_sa	*sa;

	if (idx_fresh(c) != 0)
		return NULL;
	sa = ike_by_spis(c, spi_i, spi_r);
	return sa != NULL && sa->imported && sa->standby ? sa : NULL;
}

static void
forget_ike(struct ike_sa *sa)
{
	while (sa->children != NULL) {
		child_unpark(sa->children);
		child_sa_free(sa->children);
	}
	ike_sa_free(sa);
}

/* A standby copy applied live: queued for the kernel (ike_park.c). */
static void
park_applied_child(struct ike_core *c, const struct sa_child *r)
{
	struct child_sa	*ch;

	if (park_enabled(c) && idx_fresh(c) == 0 &&
	    (ch = child_by_spis(c, r->spi_in, r->spi_out)) != NULL &&
	    ch->imported && ch->standby && !ch->parked)
		child_park_queue(ch, true);
}

/* An IKE SA record applied live: its parked Child SAs follow it if its
 * addresses changed (NAT mapping, MOBIKE). */
static void
park_applied_ike(struct ike_core *c, const struct sa_ike *r)
{
	struct ike_sa	*sa;
	struct child_sa	*ch;

	if (!park_enabled(c) || (sa = standby_copy(c, r->spi_i, r->spi_r)) ==
	    NULL)
		return;
	for (ch = sa->children; ch != NULL; ch = ch->next)
		child_park_refresh(ch);
}

int
ike_core_live_apply(struct ike_core *c, const struct sync_msg *m,
    int64_t off)
{
	const struct cfg_conn	*cn;
	struct ike_group_rt	*g;
	struct ike_sa		*sa;
	struct child_sa		*ch;
	int			 rc;

	switch (m->hdr.type) {
	case SYNC_IKE_UP:
		/* quietly not ours: unknown connection, or an active group */
		if ((cn = core_conn(c, m->u.ike.conn)) == NULL ||
		    (g = core_group_find(c, cn->vip_group)) == NULL ||
		    g->state != IKE_GROUP_STANDBY)
			return IKE_LIVE_NOT_OURS;
		if ((rc = ike_core_import_ike(c, &m->u.ike, off)) == 0)
			park_applied_ike(c, &m->u.ike);
		break;
	case SYNC_CHILD_UP:
		if (standby_copy(c, m->u.child.ike_spi_i,
		    m->u.child.ike_spi_r) == NULL)
			return IKE_LIVE_NOT_OURS;
		if ((rc = ike_core_import_child(c, &m->u.child, off)) == 0)
			park_applied_child(c, &m->u.child);
		break;
	case SYNC_IKE_DOWN:
		if ((sa = standby_copy(c, m->u.ike.spi_i, m->u.ike.spi_r)) ==
		    NULL)
			return IKE_LIVE_NOT_OURS;
		if (m->u.ike.gen != 0 && sa->gen > m->u.ike.gen)
			return IKE_LIVE_IGNORED;
		forget_ike(sa);
		c->st.live_forgotten++;
		return IKE_LIVE_APPLIED;
	case SYNC_CHILD_DOWN:
		if (idx_fresh(c) != 0 || (ch = child_by_spis(c,
		    m->u.child.spi_in, m->u.child.spi_out)) == NULL ||
		    !ch->imported || !ch->standby)
			return IKE_LIVE_NOT_OURS;
		if (m->u.child.gen != 0 && ch->gen > m->u.child.gen) {
			core_log(c, ch->ike, IKE_LOG_DEBUG, IKE_LK_ACTION,
			    "child %s: delete of gen %llu ignored: the copy is "
			    "gen %llu", ch->name,
			    (unsigned long long)m->u.child.gen,
			    (unsigned long long)ch->gen);
			return IKE_LIVE_IGNORED;
		}
		child_unpark(ch);
		child_sa_free(ch);
		c->st.live_forgotten++;
		return IKE_LIVE_APPLIED;
	default:
		return IKE_LIVE_NOT_OURS;
	}
	return rc == 0 ? IKE_LIVE_APPLIED : rc == 1 ? IKE_LIVE_IGNORED :
	    IKE_LIVE_REFUSED;
}
