/*
 * test/unit/exch_pair.c -- two ikev2d protocol cores back to back, in
 * memory: the harness of the exchange tests (see exch_pair.h).  Not a
 * suite of its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/cfg.h"
#include "../../ikev2d/child_sa.h"
#include "../../ikev2d/ike_const.h"
#include "../../ikev2d/ike_core.h"
#include "../../ikev2d/ike_sa.h"
#include "../../ikev2d/kernel_rec.h"
#include "exch_pair.h"
#include "unit.h"

static int
t_random(void *arg, void *buf, size_t len)
{
	struct side	*s = arg;
	uint8_t		*p = buf;
	size_t		 i;

	for (i = 0; i < len; i++) {
		s->rng ^= s->rng << 13;
		s->rng ^= s->rng >> 7;
		s->rng ^= s->rng << 17;
		p[i] = (uint8_t)(s->rng >> 24);
	}
	return 0;
}

static void
t_event(void *arg, const struct ike_event *ev)
{
	struct side	*s = arg;

	if (ev->type < IKE_EV_MAX)
		s->ev[ev->type]++;
	if (s->on_event != NULL)
		s->on_event(s->on_event_arg, ev);
}

static void
t_log(void *arg, const struct ike_log_msg *m)
{
	struct side	*s = arg;

	if (m->kind == IKE_LK_AUTH_FAILED) {
		s->auth_logs++;
		snprintf(s->last_auth_log, sizeof(s->last_auth_log), "%s",
		    m->msg);
	}
	if (getenv("EXCH_LOG") != NULL)
		fprintf(stderr, "[%p] %s\n", arg, m->msg);
}

struct tnd_cfg *
pair_conf(const char *conf)
{
	struct tnd_cfg	*cfg = NULL;
	char		 err[CFG_ERR_MAX];

	if (cfg_load_string(conf, "test.conf", &cfg, err, sizeof(err)) !=
	    0) {
		fprintf(stderr, "%s\n", err);
		CU_FAIL_FATAL("config");
	}
	return cfg;
}

void
side_start(struct side *s, const char *conf, const char *me, uint64_t seed,
    uint32_t spi_base, const struct ike_core_limits *lim)
{
	struct ike_core_env	 env;

	memset(s, 0, sizeof(*s));
	s->cfg = pair_conf(conf);
	kernel_rec_init(&s->k, spi_base);
	s->rng = seed;
	s->addr.family = CFG_AF_INET;
	sscanf(me, "%hhu.%hhu.%hhu.%hhu", &s->addr.addr[0], &s->addr.addr[1],
	    &s->addr.addr[2], &s->addr.addr[3]);
	s->addr.port = 500;
	memset(&env, 0, sizeof(env));
	env.kernel = &kernel_rec_ops;
	env.kernel_arg = &s->k;
	env.event = t_event;
	env.log = t_log;
	env.random = t_random;
	env.arg = s;
	s->core = ike_core_new(s->cfg, &env, lim);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s->core);
}

void
side_fini(struct side *s)
{
	ike_core_free(s->core);
	cfg_free(s->cfg);
	kernel_rec_fini(&s->k);
	s->core = NULL;
	s->cfg = NULL;
}

void
pair_start(struct pair *p, const char *conf_a, const char *conf_b)
{
	memset(p, 0, sizeof(*p));
	p->now = 1000000;
	side_start(&p->a, conf_a, PAIR_ADDR_A, 0x1234567, 0xa0000000, NULL);
	side_start(&p->b, conf_b, PAIR_ADDR_B, 0x7654321, 0xb0000000, NULL);
}

void
pair_fini(struct pair *p)
{
	side_fini(&p->a);
	side_fini(&p->b);
}

/*
 * With p->nat, A's datagrams leave from NAT_PUB with their source port
 * moved up by NAT_PORT_OFF, and B's answers to that mapping come back to
 * A's real address and port: the NAT changes addresses *and* ports.
 */
int
pair_step(struct pair *p, struct side *from, struct side *to, bool deliver)
{
	const struct ike_dgram	*d;
	struct sa_addr		 src, dst;

	if ((d = ike_core_out_peek(from->core)) == NULL)
		return 0;
	src = d->local;
	dst = d->remote;
	if (d->len > IKE_HDR_EXCH && d->buf[IKE_HDR_EXCH] !=
	    IKE_EXCH_SA_INIT) {
		if (d->marker)
			from->tx_marker++;
		else
			from->tx_plain++;
	}
	from->last_sport = src.port;
	from->last_dport = dst.port;
	if (p->nat && from == &p->a) {
		memcpy(src.addr, NAT_PUB, 4);
		src.port = (uint16_t)(src.port + NAT_PORT_OFF);
	} else if (p->nat && from == &p->b) {
		CU_ASSERT(memcmp(dst.addr, NAT_PUB, 4) == 0);
		memcpy(dst.addr, p->a.addr.addr, 4);
		CU_ASSERT(dst.port > NAT_PORT_OFF);
		dst.port = (uint16_t)(dst.port - NAT_PORT_OFF);
	} else
		CU_ASSERT(dst.addr[3] == to->addr.addr[3]);
	if (deliver)
		ike_core_input(to->core, &dst, &src, d->buf, d->len, p->now);
	ike_core_out_pop(from->core);
	return 1;
}

void
pair_run(struct pair *p)
{
	int	 i, n;

	for (i = 0; i < 100; i++) {
		n = pair_step(p, &p->a, &p->b, true);
		n += pair_step(p, &p->b, &p->a, true);
		if (n == 0)
			return;
	}
	CU_FAIL("exchanges did not settle");
}

void
pair_establish(struct pair *p)
{
	CU_ASSERT_FATAL(ike_core_initiate(p->a.core, "ab", NULL, p->now) > 0);
	pair_run(p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(first_sa(&p->a));
	CU_ASSERT_PTR_NOT_NULL_FATAL(first_sa(&p->b));
	CU_ASSERT_EQUAL_FATAL(first_sa(&p->a)->state, IKE_S_ESTABLISHED);
	CU_ASSERT_EQUAL_FATAL(first_sa(&p->b)->state, IKE_S_ESTABLISHED);
}

struct ike_sa *
first_sa(struct side *s)
{
	return s->core->sas;
}

struct child_sa *
first_child(struct side *s)
{
	return s->core->sas != NULL ? s->core->sas->children : NULL;
}

size_t
nsas(struct side *s)
{
	return ike_core_stats(s->core)->ike_sas;
}
