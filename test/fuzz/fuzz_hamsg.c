/*
 * test/fuzz/fuzz_hamsg.c -- libFuzzer over hamgrd's CPG message decoder
 * (include/tandem/hamsg.h): a peer node's bytes are untrusted.
 *
 * Whatever decodes must re-encode to the same bytes (the format has no
 * slack: no reserved bits but the header's, no padding) and decode again
 * to the same message; every error must be a named code.  abort() on
 * any mismatch.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/hamsg.h"
#include "tandem/wire.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static uint8_t	 enc[HAMSG_MAX_LEN];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hamsg	 m, m2;
	struct wr	 w;
	int		 rc, n;

	rc = hamsg_decode(data, size, &m);
	if (rc != 0) {
		if (rc > 0 || rc <= HAMSG_E_MAX ||
		    strcmp(hamsg_err_name(rc), "UNKNOWN") == 0)
			abort();
		return 0;
	}
	if (size > HAMSG_MAX_LEN)
		abort();		/* nothing that long can be valid */
	wr_init(&w, enc, sizeof(enc));
	if (m.hdr.type == HAMSG_STATE)
		n = hamsg_encode_state(&w, m.hdr.seq, &m.u.state);
	else if (m.hdr.type == HAMSG_HANDOVER)
		n = hamsg_encode_handover(&w, m.hdr.seq, &m.u.handover);
	else if (m.hdr.type == HAMSG_TRANS)
		n = hamsg_encode_trans(&w, m.hdr.seq, &m.u.trans);
	else if (m.hdr.type == HAMSG_PULL)
		n = hamsg_encode_pull(&w, m.hdr.seq, &m.u.pull);
	else
		abort();	/* a type the decoder accepts must be known */
	if (n < 0 || (size_t)n != size)
		abort();
	/* Only the header's reserved field may differ. */
	if (memcmp(enc, data, 2) != 0 ||
	    memcmp(enc + 4, data + 4, size - 4) != 0)
		abort();
	if (hamsg_decode(enc, (size_t)n, &m2) != 0 ||
	    memcmp(&m2.u, &m.u, sizeof(m.u)) != 0 ||
	    m2.hdr.seq != m.hdr.seq || m2.hdr.type != m.hdr.type)
		abort();
	return 0;
}
