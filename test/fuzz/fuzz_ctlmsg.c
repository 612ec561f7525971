/* test/fuzz/fuzz_ctlmsg.c -- libFuzzer over the control-message decoder. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "tandem/ctlmsg.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctl_hdr	 h;
	struct ctl_tlv	 t;
	struct rd	 r;
	char		 k[64], v[256];
	int		 rc, n = 0;

	if (ctl_decode(data, size, &h, &r) != 0)
		return 0;
	while ((rc = ctl_next(&r, &t)) == 1) {
		if (t.tag == CTL_T_KV)
			(void)ctl_kv(&t, k, sizeof(k), v, sizeof(v));
		/* Each TLV costs at least 4 bytes: the loop must end. */
		if (++n > (int)(size / 4) + 1)
			abort();
	}
	return 0;
}
