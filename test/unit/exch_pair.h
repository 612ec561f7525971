/*
 * test/unit/exch_pair.h -- two ikev2d protocol cores back to back, in
 * memory (STYLE P9), shared by the exchange tests (test_exch_psk.c,
 * test_exch_more.c, test_exch_cert.c): no sockets, the recording kernel
 * backend, a deterministic random source, time passed by hand.
 *
 *    A 192.0.2.1  <---- IKE datagrams (optionally through a NAT) ---->
 *                                                          B 192.0.2.2
 *
 * Each test file formats its own config text for a side; pair_start()
 * loads both and makes the two cores.  Failures are CUnit assertions.
 */
#ifndef TANDEM_TEST_EXCH_PAIR_H
#define TANDEM_TEST_EXCH_PAIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tandem/cfg.h"
#include "../../ikev2d/ike_core.h"
#include "../../ikev2d/kernel_rec.h"

#define PAIR_ADDR_A	"192.0.2.1"
#define PAIR_ADDR_B	"192.0.2.2"
#define PAIR_CONF_MAX	4096			/* a side's config text */

#define NAT_PUB		"\xc6\x33\x64\x01"	/* 198.51.100.1 */
#define NAT_PORT_OFF	40000
#define IKE_HDR_EXCH	18			/* exchange type offset */

struct side {
	struct ike_core		*core;
	struct tnd_cfg		*cfg;
	struct kernel_rec	 k;
	struct sa_addr		 addr;
	uint64_t		 rng;		/* xorshift state */
	unsigned int		 ev[IKE_EV_MAX];
	unsigned int		 auth_logs;
	char			 last_auth_log[512];
	/* datagrams sent after IKE_SA_INIT, with / without the marker */
	unsigned int		 tx_marker, tx_plain;
	uint16_t		 last_sport, last_dport;
	/* optional: sees every event after it is counted */
	void			(*on_event)(void *, const struct ike_event *);
	void			*on_event_arg;
};

struct pair {
	struct side	 a, b;
	uint64_t	 now;
	bool		 nat;		/* A sits behind a NAT */
};

/* A config from its text; a CUnit fatal failure if it does not load. */
struct tnd_cfg	*pair_conf(const char *);
/* Both sides from their config texts; now = 1000000 ms. */
void		 pair_start(struct pair *, const char *conf_a,
		    const char *conf_b);
void		 pair_fini(struct pair *);
/* One side on its own (a third node): address me, limits lim (NULL:
 * the defaults); release with side_fini(). */
void		 side_start(struct side *, const char *conf, const char *me,
		    uint64_t seed, uint32_t spi_base,
		    const struct ike_core_limits *lim);
void		 side_fini(struct side *);
/* Deliver (or drop) one datagram from -> to; returns 1 if there was one. */
int		 pair_step(struct pair *, struct side *from, struct side *to,
		    bool deliver);
/* Deliver everything both ways until quiet. */
void		 pair_run(struct pair *);
/* A initiates "ab"; both sides end up with an established IKE SA. */
void		 pair_establish(struct pair *);

struct ike_sa	*first_sa(struct side *);
struct child_sa	*first_child(struct side *);
size_t		 nsas(struct side *);

#endif /* TANDEM_TEST_EXCH_PAIR_H */
