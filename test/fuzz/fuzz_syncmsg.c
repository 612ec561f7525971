/*
 * test/fuzz/fuzz_syncmsg.c -- libFuzzer over the sync decoder.
 *
 * Whatever decodes must re-encode (the encoders accept everything the
 * decoder does), decode again, and re-encode to the same bytes: the two
 * halves of the format cannot drift apart.  abort() on any mismatch.
 * Every message type has a seed in test/fuzz/corpus/fuzz_syncmsg (STATS
 * and RESYNC_REQ too: syncd's per-node figures and `haadm resync`).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/syncmsg.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct sync_msg	 m1, m2;
static uint8_t		 e1[SYNC_MAX_LEN], e2[SYNC_MAX_LEN];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wr	 w;
	long		 n1, n2;
	int		 rc;

	rc = syncmsg_decode(data, size, &m1);
	if (rc != 0) {
		if (rc > 0 || rc < SYNC_E_STRING)
			abort();		/* undocumented code */
		return 0;
	}
	if (m1.hdr.length > size || m1.hdr.length % 4 != 0)
		abort();
	wr_init(&w, e1, sizeof(e1));
	if ((n1 = syncmsg_encode(&w, &m1)) < 0)
		abort();			/* decoded but not encodable */
	if (syncmsg_decode(e1, (size_t)n1, &m2) != 0 || m2.skipped != 0)
		abort();
	if (m2.hdr.type != m1.hdr.type || m2.hdr.flags != m1.hdr.flags ||
	    m2.hdr.seq != m1.hdr.seq || m2.hdr.length != (uint32_t)n1)
		abort();
	wr_init(&w, e2, sizeof(e2));
	if ((n2 = syncmsg_encode(&w, &m2)) != n1 ||
	    memcmp(e1, e2, (size_t)n1) != 0)
		abort();
	syncmsg_wipe(&m1);
	syncmsg_wipe(&m2);
	return 0;
}
