/*
 * test/bench/bench_sadb.c -- the replicated SA database's speed and size:
 * CHILD_UP apply rate (records already decoded, as sync_apply hands
 * them), inbound-SPI lookup rate, digest time and heap per SA at 10,000
 * and 100,000 IKE SAs with one Child SA each.  The first digest hashes
 * every record; the next, after 1% of the children changed, only those
 * (sadb.c keeps the digest up to date).
 *
 * Figures: sadb_apply_child_up_rate, sadb_apply_ike_up_rate,
 * sadb_lookup_rate, sadb_digest_ms_10k, sadb_digest_ms_100k,
 * sadb_digest_1pct_ms_10k, sadb_digest_1pct_ms_100k,
 * sadb_bytes_per_sa (per IKE SA + its Child SA, at 100k).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "../../syncd/sadb.h"
#include "../unit/sadb_fix.h"

static struct sa_ike	 ike;

static double
ms_since(uint64_t t0)
{
	return (double)(bench_now_ns() - t0) / 1e6;
}

static void
run(uint32_t n, bool figures)
{
	struct sadb		*db = sadb_new(2 * (size_t)n);
	struct sa_child		*ch;
	struct sadb_digest	 d;
	struct sadb_stats	 st;
	uint64_t		 t0, found = 0;
	double			 ms_ike, ms_child, ms_look, ms_dig, ms_dig1;
	uint32_t		 i, j;
	char			 name[64];

	if (db == NULL || (ch = calloc(n, sizeof(*ch))) == NULL) {
		fprintf(stderr, "bench_sadb: out of memory\n");
		exit(2);
	}
	for (i = 0; i < n; i++)
		fix_child(&ch[i], i + 1, 1, 1);
	t0 = bench_now_ns();
	for (i = 0; i < n; i++) {
		fix_ike(&ike, i + 1, 1, i % 2 ? "a" : "b");
		if (sadb_ike_up(db, &ike) != SADB_OK)
			exit(2);
	}
	ms_ike = ms_since(t0);
	t0 = bench_now_ns();
	for (i = 0; i < n; i++)
		if (sadb_child_up(db, &ch[i]) != SADB_OK)
			exit(2);
	ms_child = ms_since(t0);
	t0 = bench_now_ns();
	for (j = 0; j < 10; j++)
		for (i = 0; i < n; i++)
			found += sadb_child_find_in(db, ch[(i * 7919) % n].spi_in,
			    &ch[0].local) != NULL;
	ms_look = ms_since(t0);
	bench_sink(&found, sizeof(found));
	t0 = bench_now_ns();
	if (sadb_digest(db, &d) != 0)
		exit(2);
	ms_dig = ms_since(t0);
	for (i = 0; i < n; i += 100) {
		ch[i].gen = 2;
		if (sadb_child_up(db, &ch[i]) != SADB_OK)
			exit(2);
	}
	t0 = bench_now_ns();
	if (sadb_digest(db, &d) != 0)
		exit(2);
	ms_dig1 = ms_since(t0);
	sadb_get_stats(db, &st);

	printf("%6u IKE + %6u Child SAs: IKE_UP %.0f/s, CHILD_UP %.0f/s, "
	    "lookup %.0f/s, digest %.1f ms (%.2f ms after 1%% changed), "
	    "%.0f bytes per IKE+Child\n",
	    n, n, n / (ms_ike / 1e3), n / (ms_child / 1e3),
	    10.0 * n / (ms_look / 1e3), ms_dig, ms_dig1,
	    (double)st.bytes / n);
	snprintf(name, sizeof(name), "sadb_digest_ms_%uk", n / 1000);
	bench_figure(name, ms_dig, "ms", -1, NULL);
	snprintf(name, sizeof(name), "sadb_digest_1pct_ms_%uk", n / 1000);
	bench_figure(name, ms_dig1, "ms", -1, "after 1% of the children changed");
	if (figures) {
		bench_figure("sadb_apply_child_up_rate", n / (ms_child / 1e3),
		    "events/s", -1, NULL);
		bench_figure("sadb_apply_ike_up_rate", n / (ms_ike / 1e3),
		    "events/s", -1, NULL);
		bench_figure("sadb_lookup_rate", 10.0 * n / (ms_look / 1e3),
		    "lookups/s", -1, NULL);
		bench_figure("sadb_bytes_per_sa", (double)st.bytes / n,
		    "bytes", -1, "one IKE SA + one Child SA");
	}
	for (i = 0; i < n; i++)
		sa_child_wipe(&ch[i]);
	free(ch);
	sa_ike_wipe(&ike);
	sadb_free(db);
}

int
main(int argc, char **argv)
{
	bench_open(argc, argv);
	run(10000, false);
	run(100000, true);
	bench_close();
	return 0;
}
