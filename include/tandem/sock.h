/*
 * include/tandem/sock.h -- UNIX SOCK_SEQPACKET sockets for local IPC
 * (control sockets, ikev2d <-> syncd).  One message per datagram; the
 * listener admits only root, the daemon's own user, or members of one
 * configured group (SO_PEERCRED).
 */
#ifndef TANDEM_SOCK_H
#define TANDEM_SOCK_H

#include <stdbool.h>
#include <sys/types.h>

/*
 * Bind and listen on path (unlinking a stale socket: callers hold the
 * pid-file lock, so no live daemon owns it).  Mode 0660.  Non-blocking,
 * close-on-exec.  Returns the fd or -1 with errno set.
 */
int	sock_listen(const char *path);
/* Accept one connection (non-blocking, close-on-exec); -1 on error. */
int	sock_accept(int lfd);
/*
 * May the peer of fd talk to us?  Root, our own effective uid, or gid
 * allowed_gid (if not (gid_t)-1).  *uid and *pid report who it was.
 */
bool	sock_peer_ok(int fd, gid_t allowed_gid, uid_t *uid, pid_t *pid);
/* Connect to path (blocking, close-on-exec).  -1 with errno on error. */
int	sock_connect(const char *path);

#endif
