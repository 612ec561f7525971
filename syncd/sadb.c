/*
 * syncd/sadb.c -- the replicated SA database (contract in sadb.h).
 *
 * Three chained hash tables over two global lists.  The lists give the
 * snapshot order (IKE SAs, then children), O(1) delete and a trivial
 * rehash (empty the table, walk the list).  Tables double when they hold
 * more records than buckets, so chains stay ~1 long.
 *
 * An IKE SA is kept as the bytes of struct sa_ike before and after its
 * resp[SA_RESP_MAX] array, with the response in its own allocation:
 * 1.2 KB instead of 9.4 KB per IKE SA.  Fields are read and written at
 * their offsetof() in those bytes (memcpy: no aliasing games).
 *
 * The digest (sadb_digest()) is a sum of per-record SHA-256 hashes, so it
 * is kept up to date rather than recomputed: every record caches its
 * hash (a child two: with and without its counters) while the sums
 * db->dg_set and db->dg_full hold it.  A change takes the cached hash
 * out of the sums and queues the record on a dirty list; sadb_digest()
 * hashes only the dirty records.  Each record is thus hashed once per
 * digest in which it changed, not once per digest (a walk of 10,000
 * SA pairs hashed 30,000 records at every status and STATS).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "sadb.h"
#include "tandem/secbuf.h"
#include "tandem/util.h"
#include "tandem/wire.h"

#define IKE_HEAD_LEN	offsetof(struct sa_ike, resp)
#define IKE_TAIL_OFF	(offsetof(struct sa_ike, resp) + SA_RESP_MAX)
#define IKE_TAIL_LEN	(sizeof(struct sa_ike) - IKE_TAIL_OFF)
#define GROUPS_INT	256	/* groups counted internally */
#define TAB_MIN		64

_Static_assert(offsetof(struct sa_ike, gen) + 8 <= IKE_HEAD_LEN, "gen");
_Static_assert(offsetof(struct sa_ike, msgid_send) < IKE_HEAD_LEN, "msgid");
_Static_assert(offsetof(struct sa_ike, resp_len) < IKE_HEAD_LEN, "resp_len");
_Static_assert(offsetof(struct sa_ike, group) >= IKE_TAIL_OFF, "group");

struct child_node;

/* Digest upkeep (see the top): which cached hashes are in the sums. */
#define DG_SET		0x1	/* IKE: the record's; child: without ctr */
#define DG_FULL		0x2	/* child: with its counters */
#define DG_DIRTY	0x4	/* on the dirty list */

struct ike_node {
	struct ike_node		*hnext;		/* (spi_i, spi_r) chain */
	struct ike_node		*prev, *next;	/* global list */
	struct ike_node		*dprev, *dnext;	/* dirty list (DG_DIRTY) */
	struct child_node	*kids;		/* children (sibling list) */
	uint8_t			*resp;		/* resp_len bytes, owned */
	int			 gidx;		/* group slot, -1 = uncounted */
	uint8_t			 spi_i[SA_SPI_LEN], spi_r[SA_SPI_LEN];
	uint64_t		 gen;
	unsigned int		 dg;		/* DG_* */
	uint8_t			 h[SADB_DIGEST_LEN];
	uint8_t			 head[IKE_HEAD_LEN];	/* secret */
	uint8_t			 tail[IKE_TAIL_LEN];
};

struct child_node {
	struct child_node	*hin, *hout;	/* index chains */
	struct child_node	*prev, *next;	/* global list */
	struct child_node	*sprev, *snext;	/* parent's kids or orphans */
	struct ike_node		*parent;	/* NULL = orphan */
	struct child_node	*dprev, *dnext;	/* dirty list (DG_DIRTY) */
	unsigned int		 dg;		/* DG_* */
	uint8_t			 h_set[SADB_DIGEST_LEN];
	uint8_t			 h_full[SADB_DIGEST_LEN];
	struct sa_child		 c;		/* secret */
};

struct group_slot {
	char		 name[SA_NAME_MAX];
	uint64_t	 n_ike, n_child;
	bool		 used;
};

struct sadb {
	uint64_t		 seed[3];
	struct ike_node		**ike_tab;
	struct child_node	**in_tab, **out_tab;
	size_t			 ike_sz, child_sz;	/* powers of two */
	struct ike_node		*ike_head, *ike_tail;
	struct child_node	*child_head, *child_tail;
	struct child_node	*orphans;
	struct group_slot	 groups[GROUPS_INT];
	size_t			 n_groups;
	struct sadb_stats	 st;
	uint64_t		 set_changes;	/* sadb_set_changes() */
	/* The digest: sums of the cached hashes (DG_*), dirty records. */
	uint8_t			 dg_set[SADB_DIGEST_LEN];
	uint8_t			 dg_full[SADB_DIGEST_LEN];
	struct ike_node		*dirty_ike;
	struct child_node	*dirty_child;
	EVP_MD			*sha256;	/* fetched once; NULL: implicit */
};

/* --- hashing ------------------------------------------------------------- */

static size_t
ike_hash(const struct sadb *db, const uint8_t *spi_i, const uint8_t *spi_r)
{
	uint64_t	 a, b;

	memcpy(&a, spi_i, 8);
	memcpy(&b, spi_r, 8);
	return (size_t)(mix64(a ^ db->seed[0]) ^ mix64(b + db->seed[0])) &
	    (db->ike_sz - 1);
}

static size_t
spi_hash(const struct sadb *db, uint32_t spi, int which)
{
	return (size_t)mix64(spi ^ db->seed[which]) & (db->child_sz - 1);
}

static bool
addr_eq(const struct sa_addr *a, const struct sa_addr *b)
{
	size_t	 n = sa_addr_len(a->family);

	/* Ports are not part of a kernel SA's name (dst, spi, proto). */
	return a->family == b->family && memcmp(a->addr, b->addr, n) == 0;
}

/* --- digest upkeep --------------------------------------------------------- */

/* acc += h, as 256-bit big-endian integers (mod 2^256). */
static void
acc_add(uint8_t acc[SADB_DIGEST_LEN], const uint8_t h[SADB_DIGEST_LEN])
{
	unsigned int	 carry = 0, s;
	int		 i;

	for (i = SADB_DIGEST_LEN - 1; i >= 0; i--) {
		s = (unsigned int)acc[i] + h[i] + carry;
		acc[i] = (uint8_t)s;
		carry = s >> 8;
	}
}

/* acc -= h (mod 2^256): undoes acc_add(acc, h). */
static void
acc_sub(uint8_t acc[SADB_DIGEST_LEN], const uint8_t h[SADB_DIGEST_LEN])
{
	unsigned int	 borrow = 0, d;
	int		 i;

	for (i = SADB_DIGEST_LEN - 1; i >= 0; i--) {
		d = (unsigned int)acc[i] - h[i] - borrow;
		acc[i] = (uint8_t)d;
		borrow = (d >> 8) & 1;
	}
}

/* n changes: its hash out of the sums, n on the dirty list. */
static void
ike_dg_dirty(struct sadb *db, struct ike_node *n)
{
	if (n->dg & DG_SET) {
		acc_sub(db->dg_set, n->h);
		acc_sub(db->dg_full, n->h);
		n->dg &= ~DG_SET;
	}
	if (n->dg & DG_DIRTY)
		return;
	n->dg |= DG_DIRTY;
	n->dprev = NULL;
	n->dnext = db->dirty_ike;
	if (n->dnext != NULL)
		n->dnext->dprev = n;
	db->dirty_ike = n;
}

/* n hashed, or going: off the dirty list. */
static void
ike_dg_unlink(struct sadb *db, struct ike_node *n)
{
	if (!(n->dg & DG_DIRTY))
		return;
	if (n->dprev != NULL)
		n->dprev->dnext = n->dnext;
	else
		db->dirty_ike = n->dnext;
	if (n->dnext != NULL)
		n->dnext->dprev = n->dprev;
	n->dprev = n->dnext = NULL;
	n->dg &= ~DG_DIRTY;
}

/* c changes; set: not only its counters (both hashes are stale). */
static void
child_dg_dirty(struct sadb *db, struct child_node *c, bool set)
{
	if (set && (c->dg & DG_SET)) {
		acc_sub(db->dg_set, c->h_set);
		c->dg &= ~DG_SET;
	}
	if (c->dg & DG_FULL) {
		acc_sub(db->dg_full, c->h_full);
		c->dg &= ~DG_FULL;
	}
	if (c->dg & DG_DIRTY)
		return;
	c->dg |= DG_DIRTY;
	c->dprev = NULL;
	c->dnext = db->dirty_child;
	if (c->dnext != NULL)
		c->dnext->dprev = c;
	db->dirty_child = c;
}

static void
child_dg_unlink(struct sadb *db, struct child_node *c)
{
	if (!(c->dg & DG_DIRTY))
		return;
	if (c->dprev != NULL)
		c->dprev->dnext = c->dnext;
	else
		db->dirty_child = c->dnext;
	if (c->dnext != NULL)
		c->dnext->dprev = c->dprev;
	c->dprev = c->dnext = NULL;
	c->dg &= ~DG_DIRTY;
}

/* --- IKE record bytes ------------------------------------------------------ */

static void
ike_store(struct ike_node *n, const struct sa_ike *ike)
{
	memcpy(n->head, ike, IKE_HEAD_LEN);
	memcpy(n->tail, (const uint8_t *)ike + IKE_TAIL_OFF, IKE_TAIL_LEN);
	memcpy(n->spi_i, ike->spi_i, SA_SPI_LEN);
	memcpy(n->spi_r, ike->spi_r, SA_SPI_LEN);
	n->gen = ike->gen;
}

static void
ike_load(const struct ike_node *n, struct sa_ike *out)
{
	uint16_t	 rl;

	memcpy(out, n->head, IKE_HEAD_LEN);
	memcpy((uint8_t *)out + IKE_TAIL_OFF, n->tail, IKE_TAIL_LEN);
	memset(out->resp, 0, SA_RESP_MAX);
	rl = out->resp_len;
	if (rl > 0 && n->resp != NULL)
		memcpy(out->resp, n->resp, rl);
}

#define HEAD_GET(n, field, v) \
	memcpy(&(v), (n)->head + offsetof(struct sa_ike, field), sizeof(v))
#define HEAD_SET(n, field, v) \
	memcpy((n)->head + offsetof(struct sa_ike, field), &(v), sizeof(v))

static const char *
ike_group(const struct ike_node *n)
{
	return (const char *)n->tail +
	    (offsetof(struct sa_ike, group) - IKE_TAIL_OFF);
}

static int
ike_set_resp(struct sadb *db, struct ike_node *n, const uint8_t *resp,
    uint16_t len)
{
	uint8_t		*p = NULL;
	uint16_t	 old;

	if (len > SA_RESP_MAX)
		return SADB_E_INVAL;
	if (len > 0) {
		if ((p = malloc(len)) == NULL)
			return SADB_E_NOMEM;
		memcpy(p, resp, len);
	}
	HEAD_GET(n, resp_len, old);
	if (n->resp != NULL) {
		secure_wipe(n->resp, old);
		free(n->resp);
		db->st.bytes -= old;
	}
	n->resp = p;
	db->st.bytes += len;
	HEAD_SET(n, resp_len, len);
	return 0;
}

/* --- groups ---------------------------------------------------------------- */

static int
group_slot(struct sadb *db, const char *name)
{
	size_t	 i, free_i = GROUPS_INT;

	for (i = 0; i < GROUPS_INT; i++) {
		if (db->groups[i].used) {
			if (strncmp(db->groups[i].name, name, SA_NAME_MAX) == 0)
				return (int)i;
		} else if (free_i == GROUPS_INT)
			free_i = i;
	}
	if (free_i == GROUPS_INT)
		return -1;
	memset(&db->groups[free_i], 0, sizeof(db->groups[free_i]));
	strncpy(db->groups[free_i].name, name, SA_NAME_MAX - 1);
	db->groups[free_i].used = true;
	db->n_groups++;
	return (int)free_i;
}

static void
group_put(struct sadb *db, int g)
{
	if (g < 0)
		return;
	if (db->groups[g].n_ike == 0 && db->groups[g].n_child == 0) {
		db->groups[g].used = false;
		db->n_groups--;
	}
}

/* --- tables ------------------------------------------------------------- */

static size_t
pow2_at_least(size_t n)
{
	size_t	 p = TAB_MIN;

	while (p < n && p < ((size_t)1 << 30))
		p <<= 1;
	return p;
}

static int
ike_tab_resize(struct sadb *db, size_t sz)
{
	struct ike_node	**t, *n;
	size_t		  h;

	if ((t = calloc(sz, sizeof(*t))) == NULL)
		return -1;
	db->st.bytes -= db->ike_sz * sizeof(*t);
	free(db->ike_tab);
	db->ike_tab = t;
	db->ike_sz = sz;
	db->st.bytes += sz * sizeof(*t);
	for (n = db->ike_head; n != NULL; n = n->next) {
		h = ike_hash(db, n->spi_i, n->spi_r);
		n->hnext = t[h];
		t[h] = n;
	}
	return 0;
}

static int
child_tab_resize(struct sadb *db, size_t sz)
{
	struct child_node	**ti, **to, *n;
	size_t			  h;

	ti = calloc(sz, sizeof(*ti));
	to = calloc(sz, sizeof(*to));
	if (ti == NULL || to == NULL) {
		free(ti);
		free(to);
		return -1;
	}
	db->st.bytes -= 2 * db->child_sz * sizeof(*ti);
	free(db->in_tab);
	free(db->out_tab);
	db->in_tab = ti;
	db->out_tab = to;
	db->child_sz = sz;
	db->st.bytes += 2 * sz * sizeof(*ti);
	for (n = db->child_head; n != NULL; n = n->next) {
		h = spi_hash(db, n->c.spi_in, 1);
		n->hin = ti[h];
		ti[h] = n;
		h = spi_hash(db, n->c.spi_out, 2);
		n->hout = to[h];
		to[h] = n;
	}
	return 0;
}

struct sadb *
sadb_new(size_t hint)
{
	struct sadb	*db;
	size_t		 sz = pow2_at_least(hint == 0 ? TAB_MIN : hint);

	if ((db = calloc(1, sizeof(*db))) == NULL)
		return NULL;
	db->st.bytes = sizeof(*db);
	if (RAND_bytes((unsigned char *)db->seed, sizeof(db->seed)) != 1)
		memset(db->seed, 0x5a, sizeof(db->seed));
	/* One fetch, not an implicit one per record hashed. */
	db->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	if (ike_tab_resize(db, sz) == -1 || child_tab_resize(db, sz) == -1) {
		sadb_free(db);
		return NULL;
	}
	return db;
}

static struct ike_node *
ike_lookup(const struct sadb *db, const uint8_t *spi_i, const uint8_t *spi_r)
{
	struct ike_node	*n;

	for (n = db->ike_tab[ike_hash(db, spi_i, spi_r)]; n; n = n->hnext)
		if (memcmp(n->spi_i, spi_i, SA_SPI_LEN) == 0 &&
		    memcmp(n->spi_r, spi_r, SA_SPI_LEN) == 0)
			return n;
	return NULL;
}

static struct child_node *
child_lookup_in(const struct sadb *db, uint32_t spi, uint8_t proto,
    const struct sa_addr *local)
{
	struct child_node	*n;

	for (n = db->in_tab[spi_hash(db, spi, 1)]; n; n = n->hin)
		if (n->c.spi_in == spi &&
		    (proto == 0 || n->c.proto == proto) &&
		    (local == NULL || addr_eq(&n->c.local, local)))
			return n;
	return NULL;
}

static struct child_node *
child_lookup_out(const struct sadb *db, uint32_t spi,
    const struct sa_addr *remote)
{
	struct child_node	*n;

	for (n = db->out_tab[spi_hash(db, spi, 2)]; n; n = n->hout)
		if (n->c.spi_out == spi &&
		    (remote == NULL || addr_eq(&n->c.remote, remote)))
			return n;
	return NULL;
}

/* --- child list plumbing ------------------------------------------------------ */

static void
sib_unlink(struct sadb *db, struct child_node *c)
{
	if (c->sprev != NULL)
		c->sprev->snext = c->snext;
	else if (c->parent != NULL)
		c->parent->kids = c->snext;
	else
		db->orphans = c->snext;
	if (c->snext != NULL)
		c->snext->sprev = c->sprev;
	c->sprev = c->snext = NULL;
	if (c->parent != NULL) {
		if (c->parent->gidx >= 0)
			db->groups[c->parent->gidx].n_child--;
	} else
		db->st.orphans--;
	c->parent = NULL;
}

static void
sib_link(struct sadb *db, struct child_node *c, struct ike_node *parent)
{
	struct child_node	**head;

	c->parent = parent;
	head = parent != NULL ? &parent->kids : &db->orphans;
	c->sprev = NULL;
	c->snext = *head;
	if (*head != NULL)
		(*head)->sprev = c;
	*head = c;
	if (parent != NULL) {
		if (parent->gidx >= 0)
			db->groups[parent->gidx].n_child++;
	} else
		db->st.orphans++;
}

static void
hash_unlink_in(struct sadb *db, struct child_node *c)
{
	struct child_node	**pp;

	for (pp = &db->in_tab[spi_hash(db, c->c.spi_in, 1)]; *pp;
	    pp = &(*pp)->hin)
		if (*pp == c) {
			*pp = c->hin;
			break;
		}
}

static void
hash_unlink_out(struct sadb *db, struct child_node *c)
{
	struct child_node	**pp;

	for (pp = &db->out_tab[spi_hash(db, c->c.spi_out, 2)]; *pp;
	    pp = &(*pp)->hout)
		if (*pp == c) {
			*pp = c->hout;
			break;
		}
}

static void
hash_link_out(struct sadb *db, struct child_node *c)
{
	size_t	 h = spi_hash(db, c->c.spi_out, 2);

	c->hout = db->out_tab[h];
	db->out_tab[h] = c;
}

static void
child_destroy(struct sadb *db, struct child_node *c)
{
	child_dg_dirty(db, c, true);
	child_dg_unlink(db, c);
	hash_unlink_in(db, c);
	hash_unlink_out(db, c);
	sib_unlink(db, c);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		db->child_head = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	else
		db->child_tail = c->prev;
	sa_child_wipe(&c->c);
	free(c);
	db->st.n_child--;
	db->st.bytes -= sizeof(*c);
}

static void
ike_destroy(struct sadb *db, struct ike_node *n)
{
	struct ike_node	**pp;
	uint16_t	  rl;
	int		  g = n->gidx;

	while (n->kids != NULL)
		child_destroy(db, n->kids);
	ike_dg_dirty(db, n);
	ike_dg_unlink(db, n);
	for (pp = &db->ike_tab[ike_hash(db, n->spi_i, n->spi_r)]; *pp;
	    pp = &(*pp)->hnext)
		if (*pp == n) {
			*pp = n->hnext;
			break;
		}
	if (n->prev != NULL)
		n->prev->next = n->next;
	else
		db->ike_head = n->next;
	if (n->next != NULL)
		n->next->prev = n->prev;
	else
		db->ike_tail = n->prev;
	if (g >= 0) {
		db->groups[g].n_ike--;
		group_put(db, g);
	}
	HEAD_GET(n, resp_len, rl);
	if (n->resp != NULL) {
		secure_wipe(n->resp, rl);
		free(n->resp);
		db->st.bytes -= rl;
	}
	secure_wipe(n, sizeof(*n));
	free(n);
	db->st.n_ike--;
	db->st.bytes -= sizeof(*n);
}

void
sadb_clear(struct sadb *db)
{
	if (db == NULL)
		return;
	db->set_changes++;
	while (db->ike_head != NULL)
		ike_destroy(db, db->ike_head);
	while (db->child_head != NULL)
		child_destroy(db, db->child_head);
}

void
sadb_free(struct sadb *db)
{
	if (db == NULL)
		return;
	if (db->ike_tab != NULL && db->in_tab != NULL && db->out_tab != NULL)
		sadb_clear(db);
	free(db->ike_tab);
	free(db->in_tab);
	free(db->out_tab);
	EVP_MD_free(db->sha256);
	secure_wipe(db, sizeof(*db));
	free(db);
}

/* --- counters: forward only ------------------------------------------------- */

/* Merge counters into *dst; true when something moved. */
static bool
ctr_merge(struct sa_ctr *dst, const struct sa_ctr *src)
{
	bool	 moved = false;

	if (src->out_end > dst->out_end) {
		dst->out_end = src->out_end;
		moved = true;
	}
	if (src->in_top > dst->in_top) {
		dst->in_top = src->in_top;
		dst->in_bitmap = src->in_bitmap;
		moved = true;
	} else if (src->in_top == dst->in_top &&
	    (dst->in_bitmap | src->in_bitmap) != dst->in_bitmap) {
		dst->in_bitmap |= src->in_bitmap;
		moved = true;
	}
	if (src->gen > dst->gen) {
		dst->gen = src->gen;
		moved = true;
	}
	return moved;
}

/* --- apply ------------------------------------------------------------------- */

static int
applied(struct sadb *db, int r)
{
	if (r == SADB_OK)
		db->st.applied++;
	else if (r > 0)
		db->st.ignored++;
	return r;
}

static bool
spi_zero(const uint8_t *spi)
{
	static const uint8_t	 z[SA_SPI_LEN];

	return memcmp(spi, z, SA_SPI_LEN) == 0;
}

int
sadb_ike_up(struct sadb *db, const struct sa_ike *ike)
{
	struct ike_node		*n;
	struct child_node	*c, *nx;
	int			 r, g;
	size_t			 h;

	db->set_changes++;

	if (ike->gen == 0 || spi_zero(ike->spi_i) ||
	    ike->resp_len > SA_RESP_MAX ||
	    memchr(ike->group, '\0', SA_NAME_MAX) == NULL)
		return SADB_E_INVAL;
	if ((n = ike_lookup(db, ike->spi_i, ike->spi_r)) != NULL) {
		if (ike->gen <= n->gen)
			return applied(db, SADB_IGN_STALE);
		ike_dg_dirty(db, n);
		if ((r = ike_set_resp(db, n, ike->resp, ike->resp_len)) != 0)
			return r;
		if (strncmp(ike_group(n), ike->group, SA_NAME_MAX) != 0) {
			/* Moved to another VIP group: move its counts. */
			g = group_slot(db, ike->group);
			if (n->gidx >= 0)
				db->groups[n->gidx].n_ike--;
			for (c = n->kids; c != NULL; c = c->snext) {
				if (n->gidx >= 0)
					db->groups[n->gidx].n_child--;
				if (g >= 0)
					db->groups[g].n_child++;
			}
			group_put(db, n->gidx);
			n->gidx = g;
			if (g >= 0)
				db->groups[g].n_ike++;
		}
		ike_store(n, ike);
		HEAD_SET(n, resp_len, ike->resp_len);
		return applied(db, SADB_OK);
	}
	if (db->st.n_ike + 1 > db->ike_sz &&
	    ike_tab_resize(db, db->ike_sz * 2) == -1)
		return SADB_E_NOMEM;
	if ((n = calloc(1, sizeof(*n))) == NULL)
		return SADB_E_NOMEM;
	ike_store(n, ike);
	HEAD_SET(n, resp_len, (uint16_t){ 0 });
	if ((r = ike_set_resp(db, n, ike->resp, ike->resp_len)) != 0) {
		secure_wipe(n, sizeof(*n));
		free(n);
		return r;
	}
	h = ike_hash(db, n->spi_i, n->spi_r);
	n->hnext = db->ike_tab[h];
	db->ike_tab[h] = n;
	n->prev = db->ike_tail;
	if (db->ike_tail != NULL)
		db->ike_tail->next = n;
	else
		db->ike_head = n;
	db->ike_tail = n;
	n->gidx = group_slot(db, ike->group);
	if (n->gidx >= 0)
		db->groups[n->gidx].n_ike++;
	db->st.n_ike++;
	db->st.bytes += sizeof(*n);
	ike_dg_dirty(db, n);
	/* Adopt children that arrived first. */
	for (c = db->orphans; c != NULL; c = nx) {
		nx = c->snext;
		if (memcmp(c->c.ike_spi_i, n->spi_i, SA_SPI_LEN) == 0 &&
		    memcmp(c->c.ike_spi_r, n->spi_r, SA_SPI_LEN) == 0) {
			sib_unlink(db, c);
			sib_link(db, c, n);
		}
	}
	return applied(db, SADB_OK);
}

int
sadb_ike_down(struct sadb *db, const uint8_t spi_i[SA_SPI_LEN],
    const uint8_t spi_r[SA_SPI_LEN], uint64_t gen)
{
	struct ike_node	*n;

	db->set_changes++;

	if ((n = ike_lookup(db, spi_i, spi_r)) == NULL)
		return applied(db, SADB_IGN_ABSENT);
	if (gen != 0 && n->gen > gen)
		return applied(db, SADB_IGN_STALE);
	ike_destroy(db, n);
	return applied(db, SADB_OK);
}

int
sadb_ike_mid(struct sadb *db, const struct sa_ike *mid)
{
	struct ike_node	*n;
	uint32_t	 snd, rcv;
	int		 r;

	db->set_changes++;

	if (mid->resp_len > SA_RESP_MAX)
		return SADB_E_INVAL;
	if ((n = ike_lookup(db, mid->spi_i, mid->spi_r)) == NULL)
		return applied(db, SADB_IGN_ABSENT);
	HEAD_GET(n, msgid_send, snd);
	HEAD_GET(n, msgid_recv, rcv);
	if (mid->gen != 0) {
		if (mid->gen <= n->gen)
			return applied(db, SADB_IGN_STALE);
	} else if (mid->msgid_send < snd || mid->msgid_recv < rcv ||
	    (mid->msgid_send == snd && mid->msgid_recv == rcv))
		return applied(db, SADB_IGN_STALE);
	ike_dg_dirty(db, n);
	if ((r = ike_set_resp(db, n, mid->resp, mid->resp_len)) != 0)
		return r;
	HEAD_SET(n, msgid_send, mid->msgid_send);
	HEAD_SET(n, msgid_recv, mid->msgid_recv);
	if (mid->peer_window != 0)
		HEAD_SET(n, peer_window, mid->peer_window);
	if (mid->gen != 0) {
		n->gen = mid->gen;
		HEAD_SET(n, gen, mid->gen);
	}
	return applied(db, SADB_OK);
}

int
sadb_child_up(struct sadb *db, const struct sa_child *c)
{
	struct child_node	*n;
	struct ike_node		*parent;
	struct sa_ctr		 ctr;
	size_t			 h;

	db->set_changes++;

	if (c->gen == 0 || c->spi_in == 0 || c->spi_out == 0 ||
	    sa_addr_len(c->local.family) == 0 ||
	    sa_addr_len(c->remote.family) == 0)
		return SADB_E_INVAL;
	parent = ike_lookup(db, c->ike_spi_i, c->ike_spi_r);
	if ((n = child_lookup_in(db, c->spi_in, c->proto, &c->local)) != NULL) {
		/*
		 * Not newer, but its counters may be: after a partition both
		 * sides' bulks cross, and the side that kept the SA active
		 * extended leases (counter records, not a gen) that the other
		 * never saw.  Counters only move forward, whatever the gen:
		 * a takeover must never resume below a lease end some member
		 * committed (DESIGN guarantee 1).
		 */
		if (c->gen <= n->c.gen) {
			ctr = c->ctr;
			ctr.gen = n->c.ctr.gen;
			if (ctr_merge(&n->c.ctr, &ctr)) {
				child_dg_dirty(db, n, false);
				secure_wipe(&ctr, sizeof(ctr));
				return applied(db, SADB_OK);
			}
			secure_wipe(&ctr, sizeof(ctr));
			return applied(db, SADB_IGN_STALE);
		}
		child_dg_dirty(db, n, true);
		ctr = n->c.ctr;
		if (n->c.spi_out != c->spi_out ||
		    !addr_eq(&n->c.remote, &c->remote)) {
			hash_unlink_out(db, n);
			n->c.spi_out = c->spi_out;
			hash_link_out(db, n);
		}
		if (n->parent != parent) {
			sib_unlink(db, n);
			sib_link(db, n, parent);
		}
		n->c = *c;
		/* Counters never move backwards (a rekey refresh may carry
		 * the counters of when it was built). */
		ctr_merge(&n->c.ctr, &ctr);
		secure_wipe(&ctr, sizeof(ctr));
		return applied(db, SADB_OK);
	}
	if (db->st.n_child + 1 > db->child_sz &&
	    child_tab_resize(db, db->child_sz * 2) == -1)
		return SADB_E_NOMEM;
	if ((n = calloc(1, sizeof(*n))) == NULL)
		return SADB_E_NOMEM;
	n->c = *c;
	h = spi_hash(db, c->spi_in, 1);
	n->hin = db->in_tab[h];
	db->in_tab[h] = n;
	hash_link_out(db, n);
	n->prev = db->child_tail;
	if (db->child_tail != NULL)
		db->child_tail->next = n;
	else
		db->child_head = n;
	db->child_tail = n;
	sib_link(db, n, parent);
	db->st.n_child++;
	db->st.bytes += sizeof(*n);
	child_dg_dirty(db, n, true);
	return applied(db, SADB_OK);
}

int
sadb_child_down(struct sadb *db, const struct sa_child *c)
{
	struct child_node	*n;

	db->set_changes++;

	for (n = db->in_tab[spi_hash(db, c->spi_in, 1)]; n; n = n->hin)
		if (n->c.spi_in == c->spi_in && n->c.spi_out == c->spi_out &&
		    memcmp(n->c.ike_spi_i, c->ike_spi_i, SA_SPI_LEN) == 0 &&
		    memcmp(n->c.ike_spi_r, c->ike_spi_r, SA_SPI_LEN) == 0)
			break;
	if (n == NULL)
		return applied(db, SADB_IGN_ABSENT);
	if (c->gen != 0 && n->c.gen > c->gen)
		return applied(db, SADB_IGN_STALE);
	child_destroy(db, n);
	return applied(db, SADB_OK);
}

int
sadb_ctr(struct sadb *db, const struct sync_ctr *r)
{
	struct child_node	*n;
	struct sa_ctr		 v;

	memset(&v, 0, sizeof(v));
	switch (r->dir) {
	case SYNC_CTR_OUT:
		n = child_lookup_out(db, r->spi, &r->dst);
		v.out_end = r->value;
		break;
	case SYNC_CTR_IN:
		n = child_lookup_in(db, r->spi, 0, &r->dst);
		v.in_top = r->value;
		v.in_bitmap = r->bitmap;
		break;
	default:
		return SADB_E_INVAL;
	}
	if (n == NULL)
		return applied(db, SADB_IGN_ABSENT);
	v.gen = n->c.ctr.gen;
	if (!ctr_merge(&n->c.ctr, &v))
		return applied(db, SADB_IGN_NOOP);
	child_dg_dirty(db, n, false);
	return applied(db, SADB_OK);
}

int
sadb_lease(struct sadb *db, const struct sync_lease *l)
{
	struct sync_ctr	 r;

	memset(&r, 0, sizeof(r));
	r.dir = SYNC_CTR_OUT;
	r.spi = l->spi_out;
	r.dst = l->dst;
	r.value = l->end;
	return sadb_ctr(db, &r);
}

/* --- lookups ------------------------------------------------------------------ */

bool
sadb_ike_has(const struct sadb *db, const uint8_t spi_i[SA_SPI_LEN],
    const uint8_t spi_r[SA_SPI_LEN])
{
	return ike_lookup(db, spi_i, spi_r) != NULL;
}

int
sadb_ike_get(const struct sadb *db, const uint8_t spi_i[SA_SPI_LEN],
    const uint8_t spi_r[SA_SPI_LEN], struct sa_ike *out)
{
	const struct ike_node	*n;

	if ((n = ike_lookup(db, spi_i, spi_r)) == NULL)
		return -1;
	ike_load(n, out);
	return 0;
}

const struct sa_child *
sadb_child_find_in(const struct sadb *db, uint32_t spi_in,
    const struct sa_addr *local)
{
	const struct child_node	*n = child_lookup_in(db, spi_in, 0, local);

	return n != NULL ? &n->c : NULL;
}

const struct sa_child *
sadb_child_find_out(const struct sadb *db, uint32_t spi_out,
    const struct sa_addr *remote)
{
	const struct child_node	*n = child_lookup_out(db, spi_out, remote);

	return n != NULL ? &n->c : NULL;
}

/* --- cursor -------------------------------------------------------------------- */

void
sadb_cursor_init(const struct sadb *db, struct sadb_cursor *cur,
    const char *group)
{
	cur->phase = 0;
	cur->next = db->ike_head;
	cur->group = group;
}

static bool
group_match(const struct ike_node *n, const char *group)
{
	if (group == NULL)
		return true;
	return n != NULL && strncmp(ike_group(n), group, SA_NAME_MAX) == 0;
}

enum sadb_item_type
sadb_cursor_next(const struct sadb *db, struct sadb_cursor *cur,
    struct sadb_item *it)
{
	const struct ike_node	*i;
	const struct child_node	*c;

	if (cur->phase == 0) {
		for (i = cur->next; i != NULL; i = i->next)
			if (group_match(i, cur->group))
				break;
		if (i != NULL) {
			cur->next = i->next;
			it->type = SADB_ITEM_IKE;
			ike_load(i, &it->u.ike);
			return it->type;
		}
		cur->phase = 1;
		cur->next = db->child_head;
	}
	if (cur->phase == 1) {
		for (c = cur->next; c != NULL; c = c->next)
			if (cur->group == NULL || group_match(c->parent,
			    cur->group))
				break;
		if (c != NULL) {
			cur->next = c->next;
			it->type = SADB_ITEM_CHILD;
			it->u.child = c->c;
			return it->type;
		}
		cur->phase = 2;
		cur->next = NULL;
	}
	it->type = SADB_ITEM_END;
	return it->type;
}

/* --- status ------------------------------------------------------------------- */

uint64_t
sadb_set_changes(const struct sadb *db)
{
	return db->set_changes;
}

void
sadb_get_stats(const struct sadb *db, struct sadb_stats *st)
{
	*st = db->st;
}

uint64_t
sadb_out_end_max(const struct sadb *db)
{
	const struct child_node	*n;
	uint64_t		 m = 0;

	for (n = db->child_head; n != NULL; n = n->next)
		if (n->c.ctr.out_end > m)
			m = n->c.ctr.out_end;
	return m;
}

size_t
sadb_group_stats(const struct sadb *db, struct sadb_group_stat *out,
    size_t max)
{
	size_t	 i, n = 0;

	for (i = 0; i < GROUPS_INT; i++) {
		if (!db->groups[i].used)
			continue;
		if (n < max) {
			memcpy(out[n].group, db->groups[i].name, SA_NAME_MAX);
			out[n].n_ike = db->groups[i].n_ike;
			out[n].n_child = db->groups[i].n_child;
		}
		n++;
	}
	return n;
}

/* --- digest ------------------------------------------------------------------- */

static int
hash_rec(const struct sadb *db, const struct wr *w, long len,
    uint8_t h[SADB_DIGEST_LEN])
{
	unsigned int	 hl = 0;

	if (len <= 0 || EVP_Digest(w->p, (size_t)len, h, &hl,
	    db->sha256 != NULL ? db->sha256 : EVP_sha256(), NULL) != 1 ||
	    hl != SADB_DIGEST_LEN)
		return -1;
	return 0;
}

/* Hash the dirty records into the sums.  0, or -1 (the rest stay dirty). */
static int
dg_update(struct sadb *db)
{
	struct ike_node		*i;
	struct child_node	*c;
	struct sa_ike		*ike = NULL;
	struct sa_child		*ch = NULL;
	uint8_t			*buf = NULL;
	struct wr		 w;
	long			 len;
	int			 ret = -1;

	if (db->dirty_ike == NULL && db->dirty_child == NULL)
		return 0;
	if ((ike = malloc(sizeof(*ike))) == NULL ||
	    (ch = malloc(sizeof(*ch))) == NULL ||
	    (buf = malloc(SYNC_MAX_LEN)) == NULL)
		goto done;
	while ((i = db->dirty_ike) != NULL) {
		ike_load(i, ike);
		wr_init(&w, buf, SYNC_MAX_LEN);
		len = syncmsg_encode_ike_up(&w, 0, 0, ike);
		if (hash_rec(db, &w, len, i->h) == -1)
			goto done;
		acc_add(db->dg_set, i->h);
		acc_add(db->dg_full, i->h);
		i->dg |= DG_SET;
		ike_dg_unlink(db, i);
	}
	while ((c = db->dirty_child) != NULL) {
		if (!(c->dg & DG_FULL)) {
			wr_init(&w, buf, SYNC_MAX_LEN);
			len = syncmsg_encode_child_up(&w, 0, 0, &c->c);
			if (hash_rec(db, &w, len, c->h_full) == -1)
				goto done;
			acc_add(db->dg_full, c->h_full);
			c->dg |= DG_FULL;
		}
		if (!(c->dg & DG_SET)) {
			*ch = c->c;
			memset(&ch->ctr, 0, sizeof(ch->ctr));
			wr_init(&w, buf, SYNC_MAX_LEN);
			len = syncmsg_encode_child_up(&w, 0, 0, ch);
			if (hash_rec(db, &w, len, c->h_set) == -1)
				goto done;
			acc_add(db->dg_set, c->h_set);
			c->dg |= DG_SET;
		}
		child_dg_unlink(db, c);
	}
	ret = 0;
 done:
	if (ike != NULL) {
		sa_ike_wipe(ike);
		free(ike);
	}
	if (ch != NULL) {
		sa_child_wipe(ch);
		free(ch);
	}
	if (buf != NULL) {
		secure_wipe(buf, SYNC_MAX_LEN);
		free(buf);
	}
	return ret;
}

int
sadb_digest(struct sadb *db, struct sadb_digest *d)
{
	memset(d, 0, sizeof(*d));
	if (dg_update(db) == -1)
		return -1;
	memcpy(d->set, db->dg_set, SADB_DIGEST_LEN);
	memcpy(d->full, db->dg_full, SADB_DIGEST_LEN);
	d->n_ike = db->st.n_ike;
	d->n_child = db->st.n_child;
	return 0;
}

void
sadb_digest_hex(const uint8_t d[SADB_DIGEST_LEN], char *out)
{
	static const char	 hx[] = "0123456789abcdef";
	int			 i;

	for (i = 0; i < SADB_DIGEST_LEN; i++) {
		out[2 * i] = hx[d[i] >> 4];
		out[2 * i + 1] = hx[d[i] & 15];
	}
	out[2 * SADB_DIGEST_LEN] = '\0';
}

static const char *const res_names[] = {
	[SADB_OK]		= "OK",
	[SADB_IGN_STALE]	= "IGN_STALE",
	[SADB_IGN_ABSENT]	= "IGN_ABSENT",
	[SADB_IGN_NOOP]		= "IGN_NOOP",
};

const char *
sadb_res_name(int res)
{
	switch (res) {
	case SADB_E_NOMEM:
		return "E_NOMEM";
	case SADB_E_INVAL:
		return "E_INVAL";
	default:
		return res >= 0 ? NAME_OF(res_names, (unsigned int)res) :
		    "UNKNOWN";
	}
}
