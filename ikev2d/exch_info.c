/*
 * ikev2d/exch_info.c -- INFORMATIONAL (RFC 7296 1.4): Delete of the IKE SA
 * or of Child SAs, the empty liveness check (DPD), and encrypted error
 * notifies.  Simultaneous deletes (1.4.1): a delete request for a Child
 * SA we are deleting ourselves is answered without a Delete payload and
 * the SA goes at once; a delete of the IKE SA while ours is outstanding
 * closes the SA on the spot.
 */
#include <string.h>

#include "tandem/secbuf.h"
#include "tandem/util.h"
#include "child_sa.h"
#include "ike_sa.h"

int
exch_send_notify(struct ike_sa *sa, uint8_t exch, uint32_t msgid,
    uint16_t type, const uint8_t *data, size_t len)
{
	struct ike_notify_pld	 n;
	struct ike_enc		 e;
	struct wr		 w;
	uint8_t			 inner[512];
	int			 l;

	memset(&n, 0, sizeof(n));
	n.type = type;
	n.data = data;
	n.len = len;
	wr_init(&w, inner, sizeof(inner));
	ike_enc_init_chain(&e, &w);
	ike_enc_notify(&e, &n);
	if ((l = ike_enc_finish(&e)) < 0)
		return -1;
	return ike_sa_send_response(sa, exch, msgid, inner, (size_t)l,
	    ike_enc_first(&e));
}

static int
send_info(struct ike_sa *sa, enum ike_req_kind kind, const struct ike_delete *d,
    uint64_t now)
{
	struct ike_enc	 e;
	struct wr	 w;
	uint8_t		 inner[512];
	int		 l;

	wr_init(&w, inner, sizeof(inner));
	ike_enc_init_chain(&e, &w);
	if (d != NULL)
		ike_enc_delete(&e, d);
	if ((l = ike_enc_finish(&e)) < 0)
		return -1;
	return ike_sa_send_request(sa, kind, IKE_EXCH_INFORMATIONAL, inner,
	    (size_t)l, ike_enc_first(&e), now);
}

int
exch_info_delete_ike(struct ike_sa *sa, uint64_t now)
{
	struct ike_delete	 d;

	memset(&d, 0, sizeof(d));
	d.proto = IKE_PROTO_IKE;
	if (send_info(sa, IKE_REQ_DELETE_IKE, &d, now) != 0)
		return -1;
	ike_sa_event(sa, IKE_FEV_DELETE_START, now);
	return 0;
}

int
exch_info_delete_child(struct ike_sa *sa, uint32_t spi_in, uint64_t now)
{
	struct ike_delete	 d;
	struct child_sa		*ch;
	uint8_t			 spi[4];

	spi[0] = (uint8_t)(spi_in >> 24);
	spi[1] = (uint8_t)(spi_in >> 16);
	spi[2] = (uint8_t)(spi_in >> 8);
	spi[3] = (uint8_t)spi_in;
	memset(&d, 0, sizeof(d));
	d.proto = IKE_PROTO_ESP;
	d.spi_size = 4;
	d.nspi = 1;
	d.spis = spi;
	if (send_info(sa, IKE_REQ_DELETE_CHILD, &d, now) != 0)
		return -1;
	sa->req.p.spi_in = spi_in;
	if ((ch = child_sa_by_spi_in(sa, spi_in)) != NULL)
		ch->state = CHILD_S_DELETING;
	return 0;
}

int
exch_info_dpd(struct ike_sa *sa, uint64_t now)
{
	core_log(sa->core, sa, IKE_LOG_DEBUG, IKE_LK_DPD,
	    "liveness check of %s", sa->peer_id);
	return send_info(sa, IKE_REQ_DPD, NULL, now);
}

int
exch_info_request(struct ike_sa *sa, const struct ike_rx *rx)
{
	const struct ike_pld_ref	*p;
	struct ike_delete		 d;
	struct child_sa			*ch;
	struct ike_enc			 e;
	struct wr			 w;
	uint8_t				 inner[1024], spis[4 * 64];
	size_t				 from = 0, i, nours = 0;
	uint32_t			 spi, msgid = rx->m->hdr.msgid;
	bool				 ike_del = false;
	int				 l;

	while ((p = ike_chain_find(rx->in, IKE_PLD_DELETE, &from)) != NULL) {
		if (ike_pld_delete_decode(p->body, p->len, &d) != 0)
			continue;
		if (d.proto == IKE_PROTO_IKE) {
			ike_del = true;
			continue;
		}
		if (d.proto != IKE_PROTO_ESP)
			continue;
		for (i = 0; i < d.nspi; i++) {
			spi = ike_delete_spi32(&d, i);
			if ((ch = child_sa_by_spi_out(sa, spi)) == NULL)
				continue;
			/* 1.4.1: answer with our inbound SPI, unless we
			 * are deleting it ourselves */
			if (ch->state != CHILD_S_DELETING &&
			    nours < sizeof(spis) / 4) {
				spis[4 * nours] = (uint8_t)(ch->spi_in >> 24);
				spis[4 * nours + 1] =
				    (uint8_t)(ch->spi_in >> 16);
				spis[4 * nours + 2] =
				    (uint8_t)(ch->spi_in >> 8);
				spis[4 * nours + 3] = (uint8_t)ch->spi_in;
				nours++;
			}
			child_sa_delete(ch, false);
		}
	}
	wr_init(&w, inner, sizeof(inner));
	ike_enc_init_chain(&e, &w);
	if (nours > 0 && !ike_del) {
		memset(&d, 0, sizeof(d));
		d.proto = IKE_PROTO_ESP;
		d.spi_size = 4;
		d.nspi = (uint16_t)nours;
		d.spis = spis;
		ike_enc_delete(&e, &d);
	}
	if ((l = ike_enc_finish(&e)) < 0)
		return -1;
	ike_sa_send_response(sa, IKE_EXCH_INFORMATIONAL, msgid, inner,
	    (size_t)l, ike_enc_first(&e));
	if (ike_del) {
		core_log(sa->core, sa, IKE_LOG_INFO, IKE_LK_IKE_DOWN,
		    "peer %s deletes the IKE SA", sa->peer_id);
		ike_sa_event(sa, IKE_FEV_PEER_DELETE, rx->now);
	}
	return 0;
}

int
exch_info_response(struct ike_sa *sa, const struct ike_rx *rx)
{
	enum ike_req_kind	 kind = sa->req.kind;
	uint32_t		 spi_in = sa->req.p.spi_in;
	struct child_sa		*ch;

	ike_sa_req_done(sa);
	switch (kind) {
	case IKE_REQ_DELETE_IKE:
		ike_sa_event(sa, IKE_FEV_DELETE_DONE, rx->now);
		break;
	case IKE_REQ_DELETE_CHILD:
		if ((ch = child_sa_by_spi_in(sa, spi_in)) != NULL)
			child_sa_delete(ch, false);
		break;
	case IKE_REQ_DPD:
		core_log(sa->core, sa, IKE_LOG_DEBUG, IKE_LK_DPD,
		    "peer %s is alive", sa->peer_id);
		break;
	default:
		break;
	}
	return 0;
}
