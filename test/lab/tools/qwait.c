/*
 * qwait -- wait until the local corosync has a quorate view of N members.
 *
 *   qwait N [SECONDS]
 *
 * Run it inside a node's network namespace (corosync's IPC is per netns).
 * It keeps trying to connect while corosync starts, then follows the
 * quorum service's view changes.  One process per node, blocking on the
 * IPC fd: far cheaper in User-Mode Linux than polling corosync-quorumtool
 * (0.3-0.8 s a call there, LAB-NOTES 1).
 *
 * Prints "quorate view of N: ID ID ... after S s" and exits 0; exits 1
 * on the deadline (default 60 s) or a corosync error, 2 on bad usage.
 */

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <corosync/corotypes.h>
#include <corosync/quorum.h>

#define CONNECT_RETRY_MS	100	/* corosync not answering yet */
#define VIEW_MAX		64

struct view {
	bool		 seen;
	uint32_t	 quorate;
	uint32_t	 n;
	uint32_t	 ids[VIEW_MAX];
};

static struct view	 cur;	/* written by the callback; tool, not core */

static int64_t
now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void
notify_cb(quorum_handle_t h, uint32_t quorate, uint64_t ring_seq,
    uint32_t nview, uint32_t *view)
{
	uint32_t	 i;

	cur.seen = true;
	cur.quorate = quorate;
	cur.n = nview;
	for (i = 0; i < nview && i < VIEW_MAX; i++)
		cur.ids[i] = view[i];
}

int
main(int argc, char *argv[])
{
	quorum_callbacks_t	 cbs = { .quorum_notify_fn = notify_cb };
	quorum_handle_t		 h = 0;
	struct pollfd		 pfd;
	unsigned long		 want, secs = 60;
	uint32_t		 qtype, i;
	int64_t			 t0, deadline, left;
	cs_error_t		 e;
	char			*end;
	int			 fd, n, ret = 1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2 || argc > 3)
		goto usage;
	errno = 0;
	want = strtoul(argv[1], &end, 10);
	if (errno || *end != '\0' || want == 0 || want > VIEW_MAX)
		goto usage;
	if (argc == 3) {
		secs = strtoul(argv[2], &end, 10);
		if (errno || *end != '\0' || secs == 0 || secs > 86400)
			goto usage;
	}
	t0 = now_ns();
	deadline = t0 + (int64_t)secs * 1000000000;

	/* corosync may still be starting: CS_ERR_LIBRARY until it answers. */
	while ((e = quorum_initialize(&h, &cbs, &qtype)) != CS_OK) {
		if (now_ns() >= deadline) {
			fprintf(stderr, "qwait: quorum_initialize: %s\n",
			    cs_strerror(e));
			return 1;
		}
		poll(NULL, 0, CONNECT_RETRY_MS);
	}
	if ((e = quorum_trackstart(h, CS_TRACK_CURRENT | CS_TRACK_CHANGES)) !=
	    CS_OK) {
		fprintf(stderr, "qwait: quorum_trackstart: %s\n", cs_strerror(e));
		goto done;
	}
	if ((e = quorum_fd_get(h, &fd)) != CS_OK) {
		fprintf(stderr, "qwait: quorum_fd_get: %s\n", cs_strerror(e));
		goto done;
	}
	for (;;) {
		/* Without a provider (QUORUM_FREE) only the view size counts. */
		if (cur.seen && cur.n == want &&
		    (cur.quorate || qtype == QUORUM_FREE))
			break;
		if ((left = deadline - now_ns()) <= 0) {
			fprintf(stderr, "qwait: no quorate view of %lu in %lu s "
			    "(last: %u member(s), quorate %u)\n", want, secs,
			    cur.n, cur.quorate);
			goto done;
		}
		pfd.fd = fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		n = poll(&pfd, 1, (int)((left + 999999) / 1000000));
		if (n == -1 && errno != EINTR) {
			perror("qwait: poll");
			goto done;
		}
		if (n <= 0)
			continue;
		if (pfd.revents & (POLLERR | POLLHUP | POLLNVAL)) {
			fprintf(stderr, "qwait: corosync connection lost\n");
			goto done;
		}
		if ((e = quorum_dispatch(h, CS_DISPATCH_ALL)) != CS_OK) {
			fprintf(stderr, "qwait: quorum_dispatch: %s\n",
			    cs_strerror(e));
			goto done;
		}
	}
	printf("quorate view of %u:", cur.n);
	for (i = 0; i < cur.n && i < VIEW_MAX; i++)
		printf(" %u", cur.ids[i]);
	printf(" after %.3f s\n", (double)(now_ns() - t0) / 1e9);
	ret = 0;
 done:
	if ((e = quorum_finalize(h)) != CS_OK) {
		fprintf(stderr, "qwait: quorum_finalize: %s\n", cs_strerror(e));
		ret = 1;
	}
	return ret;
 usage:
	fprintf(stderr, "usage: qwait N [SECONDS]\n");
	return 2;
}
