/*
 * test/fuzz/fuzz_sk_decrypt.c -- libFuzzer over ike_sk_unprotect().
 *
 * The input is a whole IKE message.  The SK / SKF payload is found by
 * walking the generic payload headers from the IKE header's Next Payload
 * (a tiny walker of our own: this target must not depend on the codec),
 * then unprotected with fixed keys for one AEAD suite (AES-GCM-16-256)
 * and one CBC suite (AES-CBC-256 + HMAC-SHA2-256-128).  Whatever opens is
 * fed to the fragment reassembler.  The input is also used as the inner
 * payloads of a protect -> unprotect round trip, which must give it back.
 * Nothing may crash, leak or read out of bounds.
 *
 * The seed corpus (test/fuzz/corpus/fuzz_sk_decrypt/) holds valid
 * messages under these keys.  It was written by this file built as a
 * program:
 *
 *   cc -DFUZZ_SK_GEN -Iinclude -o /tmp/gen test/fuzz/fuzz_sk_decrypt.c \
 *       lib/secbuf.c ikev2d/crypto.c ikev2d/crypto_ke.c ikev2d/ike_sk.c \
 *       -lcrypto && /tmp/gen test/fuzz/corpus/fuzz_sk_decrypt
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/secbuf.h"
#include "../../ikev2d/ike_sk.h"

#define FUZZ_MSG_MAX	8192

struct fuzz_dir {
	struct crypto_suite	 s;
	struct secbuf		*e, *a;
	struct ike_sk_keys	 k;
};

static struct fuzz_dir	 gcm, cbc;

static void
fuzz_dir_init(struct fuzz_dir *d, enum ike_encr encr, enum ike_integ integ)
{
	uint8_t	 key[64];
	size_t	 i;

	if (crypto_suite_init(&d->s, encr, 256, integ, IKE_PRF_HMAC_SHA2_256,
	    0) != 0)
		abort();
	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(0x40 + i);
	d->e = secbuf_from(key, d->s.ekey_len);
	d->a = d->s.akey_len > 0 ? secbuf_from(key + 1, d->s.akey_len) : NULL;
	d->k.suite = &d->s;
	d->k.ekey = d->e;
	d->k.akey = d->a;
}

static void
fuzz_init(void)
{
	if (gcm.e != NULL)
		return;
	fuzz_dir_init(&gcm, IKE_ENCR_AES_GCM_16, IKE_INTEG_NONE);
	fuzz_dir_init(&cbc, IKE_ENCR_AES_CBC, IKE_INTEG_HMAC_SHA2_256_128);
}

/*
 * The offset and type of the SK/SKF payload: walk the chain from the IKE
 * header.  Returns 0 if there is none within the message.
 */
static size_t
find_sk(const uint8_t *m, size_t len, enum ike_pld *type)
{
	size_t	 off = IKE_HDR_LEN, plen;
	uint8_t	 next;
	int	 hops;

	if (len < IKE_HDR_LEN)
		return 0;
	next = m[16];
	for (hops = 0; hops < 64; hops++) {
		if (next == IKE_PLD_SK || next == IKE_PLD_SKF) {
			*type = next;
			return off;
		}
		if (next == IKE_PLD_NONE || len - off < IKE_GENERIC_HDR_LEN)
			return 0;
		plen = (size_t)m[off + 2] << 8 | m[off + 3];
		if (plen < IKE_GENERIC_HDR_LEN || plen > len - off)
			return 0;
		next = m[off];
		off += plen;
	}
	return 0;
}

static void
try_unprotect(struct fuzz_dir *d, const uint8_t *m, size_t len, size_t off,
    enum ike_pld type, struct ike_frag *f)
{
	struct ike_sk_plain	 pl;
	uint8_t			*out;

	/* exactly the ciphertext's room at most: ASan sees any overrun */
	if ((out = malloc(len)) == NULL)
		return;
	if (ike_sk_unprotect(m, len, off, type, &d->k, out, len, &pl) == 0) {
		if (pl.len > len)
			abort();
		if (type == IKE_PLD_SKF)
			(void)ike_frag_add(f, &pl);
	}
	/* also with the type the other way round and a short buffer */
	(void)ike_sk_unprotect(m, len, off, type == IKE_PLD_SK ? IKE_PLD_SKF :
	    IKE_PLD_SK, &d->k, out, len / 2, &pl);
	free(out);
}

static void
roundtrip(struct fuzz_dir *d, const uint8_t *inner, size_t len, int skf)
{
	struct ike_skf		 frag = { 1, 1 };
	struct ike_sk_plain	 pl;
	uint8_t			 msg[FUZZ_MSG_MAX + 256];
	uint8_t			 out[FUZZ_MSG_MAX + 256];
	int			 n;

	memset(msg, 0, IKE_HDR_LEN);
	msg[16] = skf ? IKE_PLD_SKF : IKE_PLD_SK;
	msg[17] = IKE_VERSION;
	n = ike_sk_protect(msg, sizeof(msg), IKE_HDR_LEN, skf ? &frag : NULL,
	    IKE_PLD_NOTIFY, inner, len, &d->k, NULL);
	if (n < 0)
		abort();
	if (ike_sk_unprotect(msg, (size_t)n, IKE_HDR_LEN, skf ? IKE_PLD_SKF :
	    IKE_PLD_SK, &d->k, out, sizeof(out), &pl) != 0)
		abort();
	if (pl.len != len || (len > 0 && memcmp(pl.p, inner, len) != 0) ||
	    pl.first != IKE_PLD_NOTIFY)
		abort();
}

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ike_frag	 f;
	enum ike_pld	 type = IKE_PLD_SK;
	size_t		 off;

	fuzz_init();
	if (size > FUZZ_MSG_MAX)
		return 0;
	ike_frag_init(&f, 4096);
	if ((off = find_sk(data, size, &type)) != 0) {
		try_unprotect(&gcm, data, size, off, type, &f);
		try_unprotect(&cbc, data, size, off, type, &f);
	}
	/* a few fixed offsets too, whatever the header says */
	try_unprotect(&gcm, data, size, IKE_HDR_LEN, IKE_PLD_SKF, &f);
	try_unprotect(&cbc, data, size, IKE_HDR_LEN, IKE_PLD_SK, &f);
	ike_frag_fini(&f);

	roundtrip(size % 2 ? &gcm : &cbc, data, size, size % 3 == 0);
	return 0;
}

#ifdef FUZZ_SK_GEN
/* Write the seed corpus: valid messages under the fixed keys. */
static void
put_seed(const char *dir, const char *name, const uint8_t *p, size_t len)
{
	char	 path[512];
	FILE	*fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fp = fopen(path, "wb")) == NULL || fwrite(p, 1, len, fp) != len ||
	    fclose(fp) != 0) {
		perror(path);
		exit(1);
	}
}

static void
gen(const char *dir, const char *name, struct fuzz_dir *d, int skf,
    int vendor, size_t inner_len)
{
	struct ike_skf		 frag = { 2, 3 };
	struct ike_sk_plain	 pl;
	uint8_t			 msg[2048], inner[1024], out[2048];
	size_t			 i, off = IKE_HDR_LEN;
	int			 n;

	for (i = 0; i < IKE_HDR_LEN; i++)
		msg[i] = (uint8_t)(0x10 + i);
	msg[16] = vendor ? IKE_PLD_VENDOR : (skf ? IKE_PLD_SKF : IKE_PLD_SK);
	msg[17] = IKE_VERSION;
	msg[18] = IKE_EXCH_INFORMATIONAL;
	msg[19] = IKE_FLAG_INITIATOR;
	if (vendor) {
		memcpy(msg + off, "\x00\x00\x00\x0c" "tandem!!", 12);
		msg[off] = skf ? IKE_PLD_SKF : IKE_PLD_SK;
		off += 12;
	}
	/* a Notify payload chain as the inner payloads */
	for (i = 0; i < inner_len; i++)
		inner[i] = (uint8_t)i;
	if (inner_len >= 8) {
		inner[0] = 0;
		inner[1] = 0;
		inner[2] = (uint8_t)(inner_len >> 8);
		inner[3] = (uint8_t)inner_len;
	}
	n = ike_sk_protect(msg, sizeof(msg), off, skf ? &frag : NULL,
	    skf ? 0 : IKE_PLD_NOTIFY, inner, inner_len, &d->k, NULL);
	if (n < 0) {
		fprintf(stderr, "%s: protect failed %d\n", name, n);
		exit(1);
	}
	/* a seed must open under the fuzzer's keys */
	if (ike_sk_unprotect(msg, (size_t)n, off, skf ? IKE_PLD_SKF :
	    IKE_PLD_SK, &d->k, out, sizeof(out), &pl) != 0 ||
	    pl.len != inner_len) {
		fprintf(stderr, "%s: does not open\n", name);
		exit(1);
	}
	put_seed(dir, name, msg, (size_t)n);
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUS-DIR\n", argv[0]);
		return 2;
	}
	fuzz_init();
	gen(argv[1], "gcm_sk_12", &gcm, 0, 0, 12);
	gen(argv[1], "gcm_sk_0", &gcm, 0, 0, 0);
	gen(argv[1], "gcm_skf_300", &gcm, 1, 0, 300);
	gen(argv[1], "gcm_vendor_sk_40", &gcm, 0, 1, 40);
	gen(argv[1], "cbc_sk_12", &cbc, 0, 0, 12);
	gen(argv[1], "cbc_sk_16", &cbc, 0, 0, 16);
	gen(argv[1], "cbc_skf_500", &cbc, 1, 0, 500);
	gen(argv[1], "cbc_vendor_skf_33", &cbc, 1, 1, 33);
	return 0;
}
#endif
