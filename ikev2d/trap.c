/*
 * ikev2d/trap.c -- start_action = trap: trap policies (trap.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/util.h"
#include "child_sa.h"
#include "trap.h"
#include "ts.h"

static void
addr_of(const struct cfg_addr *a, struct sa_addr *o)
{
	memset(o, 0, sizeof(*o));
	o->family = a->family;
	memcpy(o->addr, a->addr, sizeof(o->addr));
}

static bool
pol_same(const struct kernel_policy *a, const struct kernel_policy *b)
{
	return a->dir == b->dir && a->mark == b->mark &&
	    memcmp(&a->sel, &b->sel, sizeof(a->sel)) == 0;
}

struct collect {
	struct kernel_policy	*pol;
	size_t			 n, cap;
	bool			 oom;
};

static int
collect(void *arg, const struct kernel_policy *p)
{
	struct collect		*k = arg;
	struct kernel_policy	*np;
	size_t			 ncap;

	if (k->n == k->cap) {
		ncap = k->cap ? k->cap * 2 : 8;
		if ((np = realloc(k->pol, ncap * sizeof(*np))) == NULL) {
			k->oom = true;
			return -1;
		}
		k->pol = np;
		k->cap = ncap;
	}
	k->pol[k->n++] = *p;
	return 0;
}

const struct ike_trap *
trap_by_reqid(const struct ike_core *c, uint32_t reqid)
{
	size_t	 i;

	for (i = 0; i < c->ntraps; i++)
		if (c->traps[i].reqid == reqid)
			return &c->traps[i];
	return NULL;
}

const struct ike_trap *
trap_by_name(const struct ike_core *c, const char *conn, const char *child)
{
	size_t	 i;

	for (i = 0; i < c->ntraps; i++)
		if (strcmp(c->traps[i].conn, conn) == 0 &&
		    strcmp(c->traps[i].child, child) == 0)
			return &c->traps[i];
	return NULL;
}

static bool
reqid_in_use(struct ike_core *c, uint32_t reqid)
{
	struct ike_sa	*sa;
	struct child_sa	*ch;

	for (sa = c->sas; sa != NULL; sa = sa->next)
		for (ch = sa->children; ch != NULL; ch = ch->next)
			if (ch->reqid == reqid && !ch->standby)
				return true;
	return false;
}

static int
trap_install(struct ike_core *c, const struct cfg_conn *cn,
    const struct cfg_child *cc)
{
	const struct kernel_ops	*k = c->env.kernel;
	struct ike_trap		*nt, t;
	struct collect		 col;
	struct ike_ts_pld	 tsl, tsr;
	struct sa_addr		 l, r;
	size_t			 i;

	if (cn->nlocal_addrs == 0 || cn->local_addrs[0].family ==
	    CFG_AF_ANY || cn->nremote_addrs == 0 ||
	    cn->remote_addrs[0].family == CFG_AF_ANY) {
		core_log(c, NULL, IKE_LOG_WARN, IKE_LK_TRAP,
		    "conn %s child %s: start_action = trap needs one local "
		    "and one remote address: no trap", cn->name, cc->name);
		return -1;
	}
	addr_of(&cn->local_addrs[0], &l);
	addr_of(&cn->remote_addrs[0], &r);
	if (ts_from_cfg(cc->local_ts, cc->nlocal_ts, &l, &tsl) < 0 ||
	    ts_from_cfg(cc->remote_ts, cc->nremote_ts, &r, &tsr) < 0)
		return -1;
	memset(&t, 0, sizeof(t));
	snprintf(t.conn, sizeof(t.conn), "%s", cn->name);
	snprintf(t.child, sizeof(t.child), "%s", cc->name);
	t.reqid = cc->reqid != 0 ? cc->reqid : 0x10000 + ++c->next_reqid;
	memset(&col, 0, sizeof(col));
	if (child_policies_each(cc, &tsl, &tsr, t.reqid, &l, &r, collect,
	    &col) != 0 || col.n == 0 ||
	    (nt = realloc(c->traps, (c->ntraps + 1) * sizeof(*nt))) == NULL) {
		free(col.pol);
		return -1;
	}
	c->traps = nt;
	for (i = 0; i < col.n; i++)
		if (k->add_policy(c->env.kernel_arg, &col.pol[i]) != 0) {
			core_log(c, NULL, IKE_LOG_ERR, IKE_LK_KERNEL,
			    "conn %s child %s: trap policy %zu of %zu not "
			    "installed: no trap", cn->name, cc->name, i + 1,
			    col.n);
			while (i-- > 0)
				k->del_policy(c->env.kernel_arg, &col.pol[i]);
			free(col.pol);
			return -1;
		}
	t.pol = col.pol;
	t.npol = col.n;
	c->traps[c->ntraps++] = t;
	core_log(c, NULL, IKE_LOG_INFO, IKE_LK_TRAP,
	    "conn %s child %s: trap installed, %zu policies, reqid %u",
	    cn->name, cc->name, t.npol, t.reqid);
	return 0;
}

int
trap_install_all(struct ike_core *c)
{
	const struct cfg_conn	*cn;
	const struct cfg_child	*cc;
	size_t			 i, j;
	int			 n = 0;

	for (i = 0; i < c->cfg->ike.nconns; i++) {
		cn = &c->cfg->ike.conns[i];
		for (j = 0; j < cn->nchildren; j++) {
			cc = &cn->children[j];
			if (cc->start_action != CFG_START_TRAP ||
			    core_conn_standby(c, cn) ||
			    trap_by_name(c, cn->name, cc->name) != NULL)
				continue;
			if (trap_install(c, cn, cc) == 0)
				n++;
		}
	}
	return n;
}

static void
trap_remove(struct ike_core *c, size_t i)
{
	struct ike_trap	*t = &c->traps[i];
	size_t		 j;

	/* a Child SA of the reqid owns policies over the trap's now */
	if (!reqid_in_use(c, t->reqid))
		for (j = 0; j < t->npol; j++)
			c->env.kernel->del_policy(c->env.kernel_arg,
			    &t->pol[j]);
	core_log(c, NULL, IKE_LOG_INFO, IKE_LK_TRAP,
	    "conn %s child %s: trap removed (reqid %u)", t->conn, t->child,
	    t->reqid);
	free(t->pol);
	c->traps[i] = c->traps[--c->ntraps];
}

void
trap_prune(struct ike_core *c)
{
	const struct cfg_conn	*cn;
	const struct cfg_child	*cc;
	size_t			 i = 0;

	while (i < c->ntraps) {
		cn = core_conn(c, c->traps[i].conn);
		cc = core_child(cn, c->traps[i].child);
		/* a group on standby holds no trap: its master does */
		if (cc == NULL || strcmp(cc->name, c->traps[i].child) != 0 ||
		    cc->start_action != CFG_START_TRAP ||
		    core_conn_standby(c, cn))
			trap_remove(c, i);
		else
			i++;
	}
}

void
trap_free_all(struct ike_core *c)
{
	size_t	 i;

	for (i = 0; i < c->ntraps; i++)
		free(c->traps[i].pol);
	free(c->traps);
	c->traps = NULL;
	c->ntraps = 0;
}

struct restore {
	const struct ike_trap	*t;
	struct ike_core		*c;
};

static int
del_unless_trap(void *arg, const struct kernel_policy *p)
{
	struct restore	*r = arg;
	size_t		 i;

	for (i = 0; i < r->t->npol; i++)
		if (pol_same(&r->t->pol[i], p))
			return 0;
	r->c->env.kernel->del_policy(r->c->env.kernel_arg, p);
	return 0;
}

int
trap_restore(struct ike_core *c, const struct child_sa *ch)
{
	const struct ike_trap	*t;
	struct restore		 r;
	size_t			 i;

	if ((t = trap_by_reqid(c, ch->reqid)) == NULL)
		return -1;
	/* trap first: no moment without a policy for these selectors */
	for (i = 0; i < t->npol; i++)
		if (c->env.kernel->add_policy(c->env.kernel_arg,
		    &t->pol[i]) != 0)
			core_log(c, ch->ike, IKE_LOG_ERR, IKE_LK_KERNEL,
			    "child %s: trap policy %zu of %zu not restored",
			    ch->name, i + 1, t->npol);
	r.t = t;
	r.c = c;
	child_policies_each(core_child(ch->ike->conn, ch->name),
	    &ch->ts_local, &ch->ts_remote, ch->reqid, &ch->ike->local,
	    &ch->ike->remote, del_unless_trap, &r);
	core_log(c, ch->ike, IKE_LOG_INFO, IKE_LK_TRAP,
	    "child %s: trap policies back for reqid %u", ch->name, ch->reqid);
	return 0;
}
