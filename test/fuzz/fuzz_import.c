/*
 * test/fuzz/fuzz_import.c -- libFuzzer over the takeover's import
 * (ikev2d/ike_import.c): records from the sync decoder into a standby
 * core, then activate and standby.
 *
 * Input: sync messages, each behind a 2-byte big-endian length.  IKE_UP
 * records go to ike_core_import_ike(), CHILD_UP to ..._child(), the rest
 * is skipped.  Then the group is activated and given up again.
 * Invariants (abort()): nothing imported reaches the kernel before the
 * activation; after the standby the recording kernel holds no SA and no
 * policy and the core no SA (standby removes what activate installed).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/cfg.h"
#include "tandem/syncmsg.h"
#include "../../ikev2d/ike_core.h"
#include "../../ikev2d/kernel_rec.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CONF \
"ike = { connections = { ab = {\n" \
"  vip_group = \"vg1\";\n" \
"  local_addrs = \"192.0.2.2\"; remote_addrs = \"%any\";\n" \
"  local = { auth = \"psk\"; id = \"b.example\"; };\n" \
"  remote = { auth = \"psk\"; id = \"%any\"; };\n" \
"  dpd_delay = \"30s\"; rekey_time = \"4h\";\n" \
"  children = { net = { local_ts = \"10.0.0.0/16\";\n" \
"    remote_ts = \"10.128.0.0/9\"; rekey_time = \"1h\"; }; };\n" \
"}; };\n" \
"  secrets = { s1 = { type = \"ike\"; secret = \"0x0102030405\"; }; };\n" \
"};\n" \
"ha = { takeover_rekey_spread = \"10s\";\n" \
"  groups = { vg1 = { vrid = 1; interface = \"eth0\";\n" \
"  vips = [ \"192.0.2.2/24\" ]; }; }; };\n"

static struct tnd_cfg	*cfg;
static struct sync_msg	 m;
static struct kernel_rec k;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ike_core_env	 env;
	struct ike_core_limits	 lim;
	struct ike_core		*core;
	char			 err[CFG_ERR_MAX];
	size_t			 off = 0, len;

	if (cfg == NULL && cfg_load_string(CONF, "fuzz.conf", &cfg, err,
	    sizeof(err)) != 0)
		abort();
	kernel_rec_init(&k, 0xc0000000u);
	memset(&env, 0, sizeof(env));
	env.kernel = &kernel_rec_ops;
	env.kernel_arg = &k;
	memset(&lim, 0, sizeof(lim));
	lim.start_standby = true;
	if ((core = ike_core_new(cfg, &env, &lim)) == NULL)
		return 0;
	while (size - off >= 2) {
		len = (size_t)data[off] << 8 | data[off + 1];
		off += 2;
		if (len > size - off)
			break;
		if (syncmsg_decode(data + off, len, &m) == 0) {
			if (m.hdr.type == SYNC_IKE_UP)
				(void)ike_core_import_ike(core, &m.u.ike,
				    -1700000000000LL);
			else if (m.hdr.type == SYNC_CHILD_UP)
				(void)ike_core_import_child(core, &m.u.child,
				    -1700000000000LL);
		}
		syncmsg_wipe(&m);
		off += len;
	}
	if (k.n_add_sa + k.n_add_pol + k.n_del_sa + k.n_del_pol != 0 ||
	    ike_core_out_count(core) != 0)
		abort();		/* imports touch nothing */
	(void)ike_core_group_activate(core, "vg1", size % 2 == 1, 1000, NULL);
	ike_core_tick(core, 20000);
	if (ike_core_group_standby(core, "vg1", 30000) < 0)
		abort();
	if (k.nsa != 0 || k.npol != 0 ||
	    ike_core_stats(core)->ike_sas != 0 ||
	    ike_core_stats(core)->child_sas != 0)
		abort();		/* standby left something behind */
	ike_core_free(core);
	kernel_rec_fini(&k);
	return 0;
}
