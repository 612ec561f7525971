/*
 * syncd/ringcheck.c -- read corosync's ring crypto settings through cmap
 * (ringcheck.h).  Values are corosync's own: knet's crypto_cipher is
 * none|aes256|aes192|aes128|..., crypto_hash none|md5|sha1|sha256|...;
 * anything but "none" is taken as on (corosync rejects unknown names).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <corosync/corotypes.h>
#include <corosync/cmap.h>

#include "ringcheck.h"

/* Value of key into out ("" when the key is absent). */
static int
get_str(cmap_handle_t h, const char *key, char *out, size_t outlen,
    char *why, size_t whylen)
{
	char		*v = NULL;
	cs_error_t	 e;

	out[0] = '\0';
	e = cmap_get_string(h, key, &v);
	if (e == CS_ERR_NOT_EXIST)
		return 0;
	if (e != CS_OK) {
		snprintf(why, whylen, "cmap %s: %s", key, cs_strerror(e));
		return -1;
	}
	snprintf(out, outlen, "%s", v);
	free(v);
	return 0;
}

static bool
is_on(const char *v)
{
	return v[0] != '\0' && strcmp(v, "none") != 0;
}

int
ringcheck_query(struct ringcheck *rc, char *why, size_t whylen)
{
	cmap_handle_t	 h;
	cs_error_t	 e;
	int		 ret = -1;

	memset(rc, 0, sizeof(*rc));
	if ((e = cmap_initialize(&h)) != CS_OK) {
		snprintf(why, whylen, "cmap_initialize: %s (is corosync "
		    "running in this network namespace?)", cs_strerror(e));
		return -1;
	}
	if (get_str(h, "totem.crypto_cipher", rc->cipher, sizeof(rc->cipher),
	    why, whylen) == -1 ||
	    get_str(h, "totem.crypto_hash", rc->hash, sizeof(rc->hash), why,
	    whylen) == -1)
		goto done;
	rc->encrypted = is_on(rc->cipher) && is_on(rc->hash);
	ret = 0;
 done:
	cmap_finalize(h);
	return ret;
}
