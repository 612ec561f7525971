/*
 * ikev2d/wa_queue.c -- datagrams held behind the write-ahead barrier
 * (wa_queue.h has the contract).
 *
 * A singly linked FIFO.  Push and release are linear in what is held:
 * the queue holds the datagrams of the exchanges in flight (the
 * initiators' window), a few hundred, each waiting one commit round.
 */
#include <stdlib.h>
#include <string.h>

#include "wa_queue.h"

struct wa_ent {
	struct wa_ent	*next;
	struct ike_dgram g;		/* g.buf points at data */
	uint8_t		 data[];
};

void
wa_queue_init(struct wa_queue *q, size_t max)
{
	memset(q, 0, sizeof(*q));
	q->max = max != 0 ? max : WA_QUEUE_MAX;
}

void
wa_queue_fini(struct wa_queue *q)
{
	struct wa_ent	*e;

	while ((e = q->head) != NULL) {
		q->head = e->next;
		free(e);
	}
	q->tail = NULL;
	q->n = 0;
}

/* The last held datagram of IKE SA uid, or NULL. */
static const struct wa_ent *
last_of(const struct wa_queue *q, uint32_t uid)
{
	const struct wa_ent	*e, *last = NULL;

	if (uid == 0)
		return NULL;
	for (e = q->head; e != NULL; e = e->next)
		if (e->g.ike_uid == uid)
			last = e;
	return last;
}

bool
wa_may_pass(const struct wa_queue *q, const struct ike_dgram *g,
    uint64_t upto)
{
	return g->ev_seq <= upto && last_of(q, g->ike_uid) == NULL;
}

int
wa_push(struct wa_queue *q, const struct ike_dgram *g)
{
	const struct wa_ent	*prev;
	struct wa_ent		*e;

	if (q->n >= q->max || (e = malloc(sizeof(*e) + g->len)) == NULL) {
		q->full++;
		return -1;
	}
	e->next = NULL;
	e->g = *g;
	e->g.buf = e->data;
	memcpy(e->data, g->buf, g->len);
	/* the SA's order: never ahead of its last held datagram */
	if ((prev = last_of(q, g->ike_uid)) != NULL &&
	    prev->g.ev_seq > e->g.ev_seq)
		e->g.ev_seq = prev->g.ev_seq;
	if (q->tail != NULL)
		q->tail->next = e;
	else
		q->head = e;
	q->tail = e;
	q->n++;
	q->held++;
	return 0;
}

size_t
wa_release(struct wa_queue *q, uint64_t upto,
    void (*send)(void *, const struct ike_dgram *), void *arg)
{
	struct wa_ent	*e, **pp, *prev = NULL;
	size_t		 n = 0;

	for (pp = &q->head; (e = *pp) != NULL; ) {
		if (e->g.ev_seq > upto) {
			prev = e;
			pp = &e->next;
			continue;
		}
		*pp = e->next;
		if (q->tail == e)
			q->tail = prev;
		q->n--;
		send(arg, &e->g);
		free(e);
		n++;
	}
	return n;
}

uint64_t
wa_min_barrier(const struct wa_queue *q)
{
	const struct wa_ent	*e;
	uint64_t		 m = UINT64_MAX;

	for (e = q->head; e != NULL; e = e->next)
		if (e->g.ev_seq < m)
			m = e->g.ev_seq;
	return m;
}
