/*
 * include/tandem/wire.h -- bounds-checked cursors over network buffers.
 *
 * Every protocol in Tandem (IKEv2, the sync format, control messages, VRRP)
 * is read through struct rd and written through struct wr, in network byte
 * order.  No struct casts over buffers, no unaligned loads.
 *
 * Errors are sticky: the first short read (or write past the end) sets
 * `bad`, every later call returns 0 / does nothing, so a decoder reads all
 * its fields and checks `bad` once.  Pure, header-only.
 */
#ifndef TANDEM_WIRE_H
#define TANDEM_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct rd {
	const uint8_t	*p;
	size_t		 left;
	bool		 bad;	/* set by the first short read, never cleared */
};

struct wr {
	uint8_t		*p;	/* start of the caller's buffer */
	size_t		 cap;	/* its size */
	size_t		 len;	/* bytes written so far */
	bool		 bad;	/* set by the first write that did not fit */
};

static inline void
rd_init(struct rd *r, const void *buf, size_t len)
{
	r->p = buf;
	r->left = len;
	r->bad = false;
}

static inline bool
rd_need(struct rd *r, size_t n)
{
	if (r->bad || r->left < n) {
		r->bad = true;
		return false;
	}
	return true;
}

static inline uint8_t
rd_u8(struct rd *r)
{
	uint8_t	 v;

	if (!rd_need(r, 1))
		return 0;
	v = r->p[0];
	r->p += 1;
	r->left -= 1;
	return v;
}

static inline uint16_t
rd_be16(struct rd *r)
{
	uint16_t v;

	if (!rd_need(r, 2))
		return 0;
	v = (uint16_t)(r->p[0] << 8 | r->p[1]);
	r->p += 2;
	r->left -= 2;
	return v;
}

static inline uint32_t
rd_be32(struct rd *r)
{
	uint32_t v;

	if (!rd_need(r, 4))
		return 0;
	v = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 |
	    (uint32_t)r->p[2] << 8 | (uint32_t)r->p[3];
	r->p += 4;
	r->left -= 4;
	return v;
}

static inline uint64_t
rd_be64(struct rd *r)
{
	uint64_t hi, lo;

	if (!rd_need(r, 8))
		return 0;
	hi = rd_be32(r);
	lo = rd_be32(r);
	return hi << 32 | lo;
}

/* Borrow n bytes: returns a pointer into the buffer, or NULL if short. */
static inline const uint8_t *
rd_bytes(struct rd *r, size_t n)
{
	const uint8_t	*v;

	if (!rd_need(r, n))
		return NULL;
	v = r->p;
	r->p += n;
	r->left -= n;
	return v;
}

/* Copy n bytes into dst (zero-filled when short). */
static inline void
rd_copy(struct rd *r, void *dst, size_t n)
{
	const uint8_t	*v = rd_bytes(r, n);

	if (v == NULL)
		memset(dst, 0, n);
	else if (n > 0)
		memcpy(dst, v, n);
}

static inline void
rd_skip(struct rd *r, size_t n)
{
	(void)rd_bytes(r, n);
}

static inline void
wr_init(struct wr *w, void *buf, size_t cap)
{
	w->p = buf;
	w->cap = cap;
	w->len = 0;
	w->bad = false;
}

/* Reserve n bytes and return where they go, or NULL (and bad) if full. */
static inline uint8_t *
wr_reserve(struct wr *w, size_t n)
{
	uint8_t	*v;

	if (w->bad || w->cap - w->len < n) {
		w->bad = true;
		return NULL;
	}
	v = w->p + w->len;
	w->len += n;
	return v;
}

static inline void
wr_u8(struct wr *w, uint8_t v)
{
	uint8_t	*d = wr_reserve(w, 1);

	if (d != NULL)
		d[0] = v;
}

static inline void
wr_be16(struct wr *w, uint16_t v)
{
	uint8_t	*d = wr_reserve(w, 2);

	if (d != NULL) {
		d[0] = (uint8_t)(v >> 8);
		d[1] = (uint8_t)v;
	}
}

static inline void
wr_be32(struct wr *w, uint32_t v)
{
	uint8_t	*d = wr_reserve(w, 4);

	if (d != NULL) {
		d[0] = (uint8_t)(v >> 24);
		d[1] = (uint8_t)(v >> 16);
		d[2] = (uint8_t)(v >> 8);
		d[3] = (uint8_t)v;
	}
}

static inline void
wr_be64(struct wr *w, uint64_t v)
{
	uint8_t	*d = wr_reserve(w, 8);
	int	 i;

	if (d != NULL)
		for (i = 0; i < 8; i++)
			d[i] = (uint8_t)(v >> (56 - 8 * i));
}

static inline void
wr_bytes(struct wr *w, const void *src, size_t n)
{
	uint8_t	*d = wr_reserve(w, n);

	if (d != NULL && n > 0)
		memcpy(d, src, n);
}

/* Patch a 16-bit field already written at offset off (length fix-ups). */
static inline void
wr_put_be16_at(struct wr *w, size_t off, uint16_t v)
{
	if (w->bad || off > w->len || w->len - off < 2) {
		w->bad = true;
		return;
	}
	w->p[off] = (uint8_t)(v >> 8);
	w->p[off + 1] = (uint8_t)v;
}

static inline void
wr_put_be32_at(struct wr *w, size_t off, uint32_t v)
{
	if (w->bad || off > w->len || w->len - off < 4) {
		w->bad = true;
		return;
	}
	w->p[off] = (uint8_t)(v >> 24);
	w->p[off + 1] = (uint8_t)(v >> 16);
	w->p[off + 2] = (uint8_t)(v >> 8);
	w->p[off + 3] = (uint8_t)v;
}

#endif /* TANDEM_WIRE_H */
