/* lib/secbuf.c -- secret buffers, wiped on free (see secbuf.h). */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "tandem/secbuf.h"

struct secbuf *
secbuf_new(size_t len)
{
	struct secbuf	*b;

	if (len > SIZE_MAX - sizeof(*b))
		return NULL;
	if ((b = calloc(1, sizeof(*b) + len)) == NULL)
		return NULL;
	b->len = len;
	return b;
}

struct secbuf *
secbuf_from(const void *p, size_t len)
{
	struct secbuf	*b;

	if ((b = secbuf_new(len)) == NULL)
		return NULL;
	if (len > 0)
		memcpy(b->data, p, len);
	return b;
}

struct secbuf *
secbuf_dup(const struct secbuf *s)
{
	return s == NULL ? NULL : secbuf_from(s->data, s->len);
}

struct secbuf *
secbuf_cat(const struct secbuf *a, const struct secbuf *b)
{
	struct secbuf	*c;
	size_t		 la = a != NULL ? a->len : 0;
	size_t		 lb = b != NULL ? b->len : 0;

	if (la > SIZE_MAX - lb || (c = secbuf_new(la + lb)) == NULL)
		return NULL;
	if (la > 0)
		memcpy(c->data, a->data, la);
	if (lb > 0)
		memcpy(c->data + la, b->data, lb);
	return c;
}

void
secbuf_free(struct secbuf *b)
{
	if (b == NULL)
		return;
	OPENSSL_cleanse(b->data, b->len);
	free(b);
}

bool
secbuf_eq(const struct secbuf *a, const struct secbuf *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	if (a->len != b->len)
		return false;
	return CRYPTO_memcmp(a->data, b->data, a->len) == 0;
}

void
secure_wipe(void *p, size_t len)
{
	if (p != NULL && len > 0)
		OPENSSL_cleanse(p, len);
}
