/*
 * ikev2d/ike_sa_tab.c -- the IKE SA table: the list every walk uses, and
 * the indexes for the lookups made per datagram or per Child SA (struct
 * ike_sa_tab: our SPI, the peer's SPIi, uid, connection name; Child SAs
 * by reqid).
 *
 * An SA is filed under the keys it had when linked or last refiled
 * (sa->k_spi, k_init, k_conn: ike_sa_refile() after SPIs or the name are
 * set), so that it can be unfiled after they changed.  A Child SA is on
 * its reqid's chain while its IKE SA is on the table.  Our own SPI is random, the peer's is chosen by the
 * peer: its hash is keyed with a per-core random seed so that a peer
 * cannot aim many SPIs at one chain.  Lookups check every field the
 * list walks checked; the indexes only narrow the candidates.
 */
#include <stdlib.h>
#include <string.h>

#include "tandem/util.h"
#include "child_sa.h"
#include "ike_sa.h"

#define TAB_CAP_MIN	64

static size_t
slot(const struct ike_sa_tab *t, uint64_t key)
{
	return (size_t)mix64(key ^ t->seed) & (t->cap - 1);
}

static uint64_t
key_spi(const struct ike_sa *sa)
{
	return be64_get(ike_sa_our_spi(sa));
}

/* FNV-1a over a connection name (the seed is mixed in by slot()). */
static uint64_t
key_name(const char *name)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;

	while (*name != '\0')
		h = (h ^ (uint8_t)*name++) * 0x100000001b3ULL;
	return h;
}

static void
tab_arrays_free(struct ike_sa_tab *t)
{
	free(t->spi);
	free(t->init);
	free(t->uid);
	free(t->conn);
	free(t->reqid);
}

static void
file_sa(struct ike_sa_tab *t, struct ike_sa *sa)
{
	size_t	 i;

	sa->k_spi = key_spi(sa);
	i = slot(t, sa->k_spi);
	sa->h_spi = t->spi[i];
	t->spi[i] = sa;
	if (!sa->initiator) {
		sa->k_init = be64_get(sa->spi_i);
		i = slot(t, sa->k_init);
		sa->h_init = t->init[i];
		t->init[i] = sa;
	}
	i = slot(t, sa->uid);
	sa->h_uid = t->uid[i];
	t->uid[i] = sa;
	sa->k_conn = key_name(sa->conn_name);
	i = slot(t, sa->k_conn);
	sa->h_conn = t->conn[i];
	t->conn[i] = sa;
}

/* Take sa out of the chain at head, linked through field. */
#define CHAIN_DEL(type, head, sa, field) do {				\
	type **pp_;							\
	for (pp_ = (head); *pp_ != NULL; pp_ = &(*pp_)->field)		\
		if (*pp_ == (sa)) {					\
			*pp_ = (sa)->field;				\
			break;						\
		}							\
	(sa)->field = NULL;						\
} while (0)

static void
unfile_sa(struct ike_sa_tab *t, struct ike_sa *sa)
{
	CHAIN_DEL(struct ike_sa, &t->spi[slot(t, sa->k_spi)], sa, h_spi);
	if (!sa->initiator)
		CHAIN_DEL(struct ike_sa, &t->init[slot(t, sa->k_init)], sa, h_init);
	CHAIN_DEL(struct ike_sa, &t->uid[slot(t, sa->uid)], sa, h_uid);
	CHAIN_DEL(struct ike_sa, &t->conn[slot(t, sa->k_conn)], sa, h_conn);
}

static void
file_child(struct ike_sa_tab *t, struct child_sa *ch)
{
	size_t	 i = slot(t, ch->reqid);

	ch->h_reqid = t->reqid[i];
	t->reqid[i] = ch;
	ch->filed = true;
}

void
ike_tab_child_file(struct ike_core *c, struct child_sa *ch)
{
	/* only the Child SAs of an IKE SA on the table */
	if (ch->ike != NULL && ch->ike->pprev != NULL && !ch->filed)
		file_child(&c->tab, ch);
}

void
ike_tab_child_unfile(struct ike_core *c, struct child_sa *ch)
{
	struct ike_sa_tab	*t = &c->tab;

	if (ch->filed)
		CHAIN_DEL(struct child_sa, &t->reqid[slot(t, ch->reqid)], ch, h_reqid);
	ch->filed = false;
}

/*
 * New arrays of cap entries, every linked SA and its Child SAs filed
 * again, oldest first so that each chain keeps its newest first (as the
 * list walks found them); -1: no memory (the old arrays stay).
 */
static int
tab_resize(struct ike_core *c, size_t cap)
{
	struct ike_sa_tab	 *t = &c->tab, nt;
	struct ike_sa		**all = NULL, *sa;
	struct child_sa		 *ch;
	size_t			  n = 0;

	memset(&nt, 0, sizeof(nt));
	nt.cap = cap;
	nt.n = t->n;
	nt.seed = t->seed;
	if ((nt.spi = calloc(cap, sizeof(*nt.spi))) == NULL ||
	    (nt.init = calloc(cap, sizeof(*nt.init))) == NULL ||
	    (nt.uid = calloc(cap, sizeof(*nt.uid))) == NULL ||
	    (nt.conn = calloc(cap, sizeof(*nt.conn))) == NULL ||
	    (nt.reqid = calloc(cap, sizeof(*nt.reqid))) == NULL ||
	    (t->n > 0 && (all = calloc(t->n, sizeof(*all))) == NULL)) {
		tab_arrays_free(&nt);
		return -1;
	}
	for (sa = c->sas; sa != NULL && n < t->n; sa = sa->next)
		all[n++] = sa;
	while (n > 0) {
		sa = all[--n];
		file_sa(&nt, sa);
		for (ch = sa->children; ch != NULL; ch = ch->next)
			if (ch->filed)
				file_child(&nt, ch);
	}
	free(all);
	tab_arrays_free(t);
	*t = nt;
	return 0;
}

int
ike_sa_link(struct ike_core *c, struct ike_sa *sa)
{
	struct ike_sa_tab	*t = &c->tab;

	if (t->cap == 0) {
		if (core_random(c, &t->seed, sizeof(t->seed)) != 0 ||
		    tab_resize(c, TAB_CAP_MIN) != 0)
			return -1;
	} else if (t->n >= t->cap)
		(void)tab_resize(c, t->cap * 2);	/* else: longer chains */
	sa->core = c;
	sa->next = c->sas;
	if (c->sas != NULL)
		c->sas->pprev = &sa->next;
	c->sas = sa;
	sa->pprev = &c->sas;
	file_sa(t, sa);
	t->n++;
	c->st.ike_sas++;
	c->idx_dirty = true;	/* ike_import.c's index holds pointers */
	return 0;
}

void
ike_sa_unlink(struct ike_sa *sa)
{
	struct ike_core	*c = sa->core;
	struct child_sa	*ch;

	if (sa->pprev == NULL)
		return;
	unfile_sa(&c->tab, sa);
	/* its Child SAs leave the reqid chains with it: a reqid's policies
	 * are not handed to a Child SA that is off the table */
	for (ch = sa->children; ch != NULL; ch = ch->next)
		ike_tab_child_unfile(c, ch);
	*sa->pprev = sa->next;
	if (sa->next != NULL)
		sa->next->pprev = sa->pprev;
	sa->next = NULL;
	sa->pprev = NULL;
	c->tab.n--;
	c->st.ike_sas--;
	/* left without leaving HALF_OPEN by an event */
	if (sa->state == IKE_S_HALF_OPEN)
		c->st.half_open--;
	c->idx_dirty = true;
}

void
ike_sa_refile(struct ike_sa *sa)
{
	if (sa->pprev == NULL)
		return;
	unfile_sa(&sa->core->tab, sa);
	file_sa(&sa->core->tab, sa);
	sa->core->idx_dirty = true;
}

struct ike_sa *
ike_sa_find(struct ike_core *c, const struct ike_hdr *h)
{
	struct ike_sa	*sa;
	uint64_t	 ours;
	bool		 we_init;

	if (c->tab.cap == 0)
		return NULL;
	/* The I flag names the sender as original initiator. */
	we_init = (h->flags & IKE_FLAG_INITIATOR) == 0;
	ours = we_init ? h->ispi : h->rspi;
	for (sa = c->tab.spi[slot(&c->tab, ours)]; sa != NULL; sa = sa->h_spi) {
		if (sa->initiator != we_init || key_spi(sa) != ours)
			continue;
		/* the peer's SPI must match once known */
		if (we_init && be64_get(sa->spi_r) != 0 &&
		    be64_get(sa->spi_r) != h->rspi)
			continue;
		if (!we_init && be64_get(sa->spi_i) != h->ispi)
			continue;
		return sa;
	}
	return NULL;
}

struct ike_sa *
ike_sa_find_init(struct ike_core *c, uint64_t ispi,
    const struct sa_addr *remote)
{
	struct ike_sa	*sa;

	if (c->tab.cap == 0)
		return NULL;
	for (sa = c->tab.init[slot(&c->tab, ispi)]; sa != NULL;
	    sa = sa->h_init)
		if (be64_get(sa->spi_i) == ispi &&
		    sa->remote.family == remote->family &&
		    memcmp(sa->remote.addr, remote->addr, 16) == 0 &&
		    sa->remote.port == remote->port)
			return sa;
	return NULL;
}

struct ike_sa *
ike_sa_by_uid(struct ike_core *c, uint32_t uid)
{
	struct ike_sa	*sa;

	if (c->tab.cap == 0)
		return NULL;
	for (sa = c->tab.uid[slot(&c->tab, uid)]; sa != NULL; sa = sa->h_uid)
		if (sa->uid == uid)
			return sa;
	return NULL;
}

struct ike_sa *
ike_sa_by_conn(struct ike_core *c, const char *conn)
{
	struct ike_sa	*sa;

	if (c->tab.cap == 0)
		return NULL;
	for (sa = c->tab.conn[slot(&c->tab, key_name(conn))]; sa != NULL;
	    sa = sa->h_conn)
		if (sa->state == IKE_S_ESTABLISHED && !sa->standby &&
		    strcmp(sa->conn_name, conn) == 0)
			return sa;
	return NULL;
}

uint32_t
ike_tab_conn_reqid(struct ike_sa *sa, const char *child)
{
	struct ike_core		*c = sa->core;
	struct ike_sa		*o;
	struct child_sa		*ch;

	if (c->tab.cap == 0)
		return 0;
	for (o = c->tab.conn[slot(&c->tab, key_name(sa->conn_name))];
	    o != NULL; o = o->h_conn) {
		if (strcmp(o->conn_name, sa->conn_name) != 0)
			continue;
		for (ch = o->children; ch != NULL; ch = ch->next)
			if (strcmp(ch->name, child) == 0)
				return ch->reqid;
	}
	return 0;
}

struct child_sa *
ike_tab_reqid_other(struct ike_core *c, uint32_t reqid,
    const struct child_sa *but, bool standby)
{
	struct child_sa	*ch;

	if (c->tab.cap == 0)
		return NULL;
	for (ch = c->tab.reqid[slot(&c->tab, reqid)]; ch != NULL;
	    ch = ch->h_reqid)
		if (ch != but && ch->reqid == reqid &&
		    (standby || !ch->standby))
			return ch;
	return NULL;
}

/* After every SA was freed. */
void
ike_sa_tab_free(struct ike_core *c)
{
	tab_arrays_free(&c->tab);
	memset(&c->tab, 0, sizeof(c->tab));
}
