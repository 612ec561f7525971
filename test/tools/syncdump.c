/*
 * test/tools/syncdump.c -- a syncd's database, one line per record, every
 * field, for comparing two nodes' copies field by field (issue 5: "node
 * B's database equals A's, digest and field by field, keys included").
 *
 *   syncdump SOCK      SOCK: a syncd's ikev2d socket (<rundir>/syncd-ike.sock)
 *
 * It asks as a restarted ikev2d does (SYNC_BULK_BEGIN: every record, then
 * SYNC_BULK_END) and prints "ike ..." and "child ..." lines in the order
 * syncd streams them; sort them to compare.  Keys and the cached IKE
 * response are printed as the first 16 hex digits of their SHA-256: two
 * copies are compared key by key without the keys leaving the node.
 * Exit 0, 1 on a socket or decode failure.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "tandem/sa_rec.h"
#include "tandem/sock.h"
#include "tandem/syncmsg.h"
#include "tandem/wire.h"

static uint8_t		 buf[SYNC_MAX_LEN];
static struct sync_msg	 m;

static void
hash(const char *name, const uint8_t *p, size_t len)
{
	uint8_t		 md[EVP_MAX_MD_SIZE];
	unsigned int	 n = 0, i;

	if (len == 0) {
		printf(" %s=-", name);
		return;
	}
	if (EVP_Digest(p, len, md, &n, EVP_sha256(), NULL) != 1)
		n = 0;
	printf(" %s=", name);
	for (i = 0; i < 8 && i < n; i++)
		printf("%02x", md[i]);
	printf("/%zu", len);
}

static void
hex(const char *name, const uint8_t *p, size_t len)
{
	size_t	 i;

	printf(" %s=", name);
	for (i = 0; i < len; i++)
		printf("%02x", p[i]);
}

static void
addr(const char *name, const struct sa_addr *a)
{
	char	 s[INET6_ADDRSTRLEN] = "-";

	if (a->family == AF_INET || a->family == AF_INET6)
		inet_ntop(a->family, a->addr, s, sizeof(s));
	printf(" %s=%s:%u", name, s, a->port);
}

static void
id(const char *name, const struct sa_id *i)
{
	printf(" %s=%u:", name, i->type);
	hex("", i->data, i->len);
}

static void
ts(const char *name, const struct sa_ts *t, unsigned int n)
{
	unsigned int	 i;
	size_t		 l;

	printf(" %s=%u", name, n);
	for (i = 0; i < n && i < SA_TS_MAX; i++) {
		l = sa_addr_len(t[i].family);
		printf("[%u/%u/%u-%u", t[i].family, t[i].proto, t[i].port_lo,
		    t[i].port_hi);
		hex("s", t[i].start, l);
		hex("e", t[i].end, l);
		printf("]");
	}
}

static void
lft(const struct sa_lifetime *l)
{
	printf(" lft=%" PRIu64 "/%" PRIu64 "/%" PRIu64 "/%" PRIu64 "/%" PRIu64
	    "/%" PRIu64, l->soft_bytes, l->hard_bytes, l->soft_packets,
	    l->hard_packets, l->soft_s, l->hard_s);
}

static void
print_ike(const struct sa_ike *s)
{
	printf("ike");
	hex("spi_i", s->spi_i, SA_SPI_LEN);
	hex("spi_r", s->spi_r, SA_SPI_LEN);
	printf(" gen=%" PRIu64 " role=%u flags=%#x", s->gen, s->role, s->flags);
	addr("local", &s->local);
	addr("remote", &s->remote);
	id("lid", &s->local_id);
	id("rid", &s->remote_id);
	printf(" encr=%u/%u prf=%u integ=%u ke=%u", s->encr, s->encr_bits,
	    s->prf, s->integ, s->ke);
	hash("sk_d", s->sk_d.data, s->sk_d.len);
	hash("sk_ai", s->sk_ai.data, s->sk_ai.len);
	hash("sk_ar", s->sk_ar.data, s->sk_ar.len);
	hash("sk_ei", s->sk_ei.data, s->sk_ei.len);
	hash("sk_er", s->sk_er.data, s->sk_er.len);
	hash("sk_pi", s->sk_pi.data, s->sk_pi.len);
	hash("sk_pr", s->sk_pr.data, s->sk_pr.len);
	printf(" msgid=%u/%u window=%u", s->msgid_send, s->msgid_recv,
	    s->peer_window);
	hash("resp", s->resp, s->resp_len);
	printf(" times=%" PRIu64 "/%" PRIu64 "/%" PRIu64 "/%" PRIu64,
	    s->established_ms, s->rekey_ms, s->reauth_ms, s->dpd_ms);
	printf(" conn=%s group=%s\n", s->conn, s->group);
}

static void
print_child(const struct sa_child *c)
{
	printf("child spi_in=%08x spi_out=%08x", c->spi_in, c->spi_out);
	hex("ike_i", c->ike_spi_i, SA_SPI_LEN);
	hex("ike_r", c->ike_spi_r, SA_SPI_LEN);
	printf(" gen=%" PRIu64 " proto=%u mode=%u flags=%#x window=%u", c->gen,
	    c->proto, c->mode, c->flags, c->replay_window);
	addr("local", &c->local);
	addr("remote", &c->remote);
	printf(" reqid=%u if_id=%u marks=%x/%x,%x/%x", c->reqid, c->if_id,
	    c->mark_in, c->mark_in_mask, c->mark_out, c->mark_out_mask);
	printf(" encr=%u/%u integ=%u", c->encr, c->encr_bits, c->integ);
	hash("encr_in", c->encr_in.data, c->encr_in.len);
	hash("encr_out", c->encr_out.data, c->encr_out.len);
	hash("integ_in", c->integ_in.data, c->integ_in.len);
	hash("integ_out", c->integ_out.data, c->integ_out.len);
	ts("ts_l", c->ts_local, c->n_ts_local);
	ts("ts_r", c->ts_remote, c->n_ts_remote);
	lft(&c->lft);
	printf(" times=%" PRIu64 "/%" PRIu64, c->installed_ms, c->rekey_ms);
	printf(" ctr=%" PRIu64 "/%" PRIu64 "/%#x/%u\n", c->ctr.out_end,
	    c->ctr.in_top, c->ctr.in_bitmap, c->ctr.gen);
}

int
main(int argc, char **argv)
{
	struct sync_bulk	 b;
	struct wr		 w;
	long			 len;
	ssize_t			 r;
	const uint8_t		*p;
	long			 l;
	int			 fd, rc = 1;

	if (argc != 2) {
		fprintf(stderr, "usage: syncdump SYNCD-IKE-SOCKET\n");
		return 2;
	}
	if ((fd = sock_connect(argv[1])) == -1) {
		perror(argv[1]);
		return 1;
	}
	memset(&b, 0, sizeof(b));
	wr_init(&w, buf, sizeof(buf));
	if ((len = syncmsg_encode_bulk(&w, SYNC_BULK_BEGIN, 0, 0, &b)) < 0 ||
	    send(fd, buf, (size_t)len, 0) != len)
		goto done;
	for (;;) {
		if ((r = recv(fd, buf, sizeof(buf), 0)) <= 0) {
			fprintf(stderr, "syncdump: syncd closed\n");
			goto done;
		}
		/* syncd packs the stream: messages back to back */
		for (p = buf; r > 0; p += l, r -= l) {
			if ((l = syncmsg_frame_len(p, (size_t)r)) == -1 ||
			    syncmsg_decode(p, (size_t)l, &m) != 0) {
				fprintf(stderr, "syncdump: undecodable "
				    "record\n");
				goto done;
			}
			if (m.hdr.type == SYNC_BULK_END)
				goto end;
			/* not BULK: a live ack or the like, skipped */
			if ((m.hdr.flags & SYNC_F_BULK) &&
			    m.hdr.type == SYNC_IKE_UP)
				print_ike(&m.u.ike);
			else if ((m.hdr.flags & SYNC_F_BULK) &&
			    m.hdr.type == SYNC_CHILD_UP)
				print_child(&m.u.child);
			/* each message: the next decode clears only its own
			 * type's part of m */
			syncmsg_wipe(&m);
		}
	}
 end:
	rc = 0;
 done:
	syncmsg_wipe(&m);
	OPENSSL_cleanse(buf, sizeof(buf));
	close(fd);
	return rc;
}
