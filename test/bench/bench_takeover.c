/*
 * test/bench/bench_takeover.c -- the pure part of a takeover: import N
 * IKE SA + Child SA records into a standby core and activate the group
 * (ike_takeover.c), with the counting kernel backend (kernel_null.c), so
 * the figure is the core's own cost: decode-free import, lookups, kernel
 * request building, timers.  The netlink cost (xfrm.c batches) is
 * measured in the lab.
 *
 * Figures, for N = 1, 100, 1000, 10000: takeover_import_ms_N,
 * activate_sas_N_ms (import + activate), standby_sas_N_ms (giving the
 * group up again: kernel deletes and the SAs dropped),
 * takeover_sas_per_s_10k.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "tandem/cfg.h"
#include "tandem/sa_rec.h"
#include "../../ikev2d/ike_core.h"
#include "../../ikev2d/kernel_null.h"

#include "takeover_fix.h"

static double
ms_since(uint64_t t0)
{
	return (double)(bench_now_ns() - t0) / 1e6;
}

static void
run(const struct tnd_cfg *cfg, uint32_t n, const char *tag)
{
	struct ike_core_env		 env;
	struct ike_core_limits		 lim;
	struct ike_takeover_stats	 st;
	struct kernel_null		 kn;
	struct ike_core			*core;
	struct sa_ike			*ike;
	struct sa_child			*ch;
	uint64_t			 t0, del0;
	double				 ms_imp, ms_all, ms_sby;
	uint32_t			 i;
	char				 name[64];

	if ((ike = calloc(n, sizeof(*ike))) == NULL ||
	    (ch = calloc(n, sizeof(*ch))) == NULL) {
		fprintf(stderr, "bench_takeover: out of memory\n");
		exit(2);
	}
	for (i = 0; i < n; i++) {
		fix_ike(&ike[i], i);
		fix_child(&ch[i], &ike[i], i);
	}
	kernel_null_init(&kn, 0xe0000000u);
	memset(&env, 0, sizeof(env));
	env.kernel = &kernel_null_ops;
	env.kernel_arg = &kn;
	memset(&lim, 0, sizeof(lim));
	lim.start_standby = true;
	if ((core = ike_core_new(cfg, &env, &lim)) == NULL)
		exit(2);
	t0 = bench_now_ns();
	for (i = 0; i < n; i++)
		if (ike_core_import_ike(core, &ike[i], -(int64_t)WALL0) != 0)
			exit(2);
	for (i = 0; i < n; i++)
		if (ike_core_import_child(core, &ch[i], -(int64_t)WALL0) != 0)
			exit(2);
	ms_imp = ms_since(t0);
	if (ike_core_group_activate(core, "vg1", false, 1000, &st) != 0 ||
	    st.child_sas != n || st.failures != 0 ||
	    kn.n_add_sa != 2 * (uint64_t)n) {
		fprintf(stderr, "bench_takeover: activation of %u failed\n", n);
		exit(2);
	}
	ms_all = ms_since(t0);
	printf("takeover of %6u IKE + Child SAs: import %8.2f ms, import + "
	    "activate %8.2f ms (%llu kernel SAs, %llu policies)\n", n, ms_imp,
	    ms_all, (unsigned long long)kn.n_add_sa,
	    (unsigned long long)kn.n_add_pol);
	snprintf(name, sizeof(name), "takeover_import_ms_%s", tag);
	bench_figure(name, ms_imp, "ms", -1, NULL);
	snprintf(name, sizeof(name), "activate_sas_%s_ms", tag);
	bench_figure(name, ms_all, "ms", -1, NULL);
	if (n == 10000)
		bench_figure("takeover_sas_per_s_10k", n / (ms_all / 1e3),
		    "SAs/s", -1, NULL);
	del0 = kn.n_del_sa;	/* activation cleared stale SPIs first */
	t0 = bench_now_ns();
	if (ike_core_group_standby(core, "vg1", 2000) != (int)n ||
	    kn.n_del_sa - del0 != 2 * (uint64_t)n) {
		fprintf(stderr, "bench_takeover: standby of %u failed\n", n);
		exit(2);
	}
	ms_sby = ms_since(t0);
	printf("standby of  %6u IKE + Child SAs: %8.2f ms\n", n, ms_sby);
	snprintf(name, sizeof(name), "standby_sas_%s_ms", tag);
	bench_figure(name, ms_sby, "ms", -1, NULL);
	ike_core_free(core);
	for (i = 0; i < n; i++) {
		sa_ike_wipe(&ike[i]);
		sa_child_wipe(&ch[i]);
	}
	free(ike);
	free(ch);
}

int
main(int argc, char **argv)
{
	struct tnd_cfg	*cfg = NULL;
	char		 err[CFG_ERR_MAX];

	bench_open(argc, argv);
	if (cfg_load_string(TKFIX_CONF, "bench.conf", &cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	run(cfg, 1, "1");
	run(cfg, 100, "100");
	run(cfg, 1000, "1k");
	run(cfg, 10000, "10k");
	cfg_free(cfg);
	bench_close();
	return 0;
}
