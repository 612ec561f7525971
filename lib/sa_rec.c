/* lib/sa_rec.c -- replicated SA records: wipe, predicates, names (sa_rec.h). */
#include <sys/socket.h>

#include <string.h>

#include "tandem/sa_rec.h"
#include "tandem/secbuf.h"
#include "tandem/util.h"

void
sa_ike_wipe(struct sa_ike *ike)
{
	if (ike != NULL)
		secure_wipe(ike, sizeof(*ike));
}

void
sa_child_wipe(struct sa_child *c)
{
	if (c != NULL)
		secure_wipe(c, sizeof(*c));
}

size_t
sa_addr_len(uint8_t family)
{
	switch (family) {
	case AF_INET:
		return 4;
	case AF_INET6:
		return 16;
	}
	return 0;
}

bool
sa_addr_ok(const struct sa_addr *a)
{
	return sa_addr_len(a->family) != 0;
}

bool
sa_ts_ok(const struct sa_ts *t)
{
	size_t	 n = sa_addr_len(t->family);

	/* RFC 7296 3.13.1: start <= end, both for ports and addresses. */
	return n != 0 && t->port_lo <= t->port_hi &&
	    memcmp(t->start, t->end, n) <= 0;
}

bool
sa_name_ok(const char *name, bool allow_empty)
{
	const char	*nul = memchr(name, '\0', SA_NAME_MAX);

	return nul != NULL && (allow_empty || nul != name);
}

const char *
sa_role_name(unsigned int role)
{
	static const char *const names[] = {
		[SA_ROLE_NONE] = "none",
		[SA_ROLE_INITIATOR] = "initiator",
		[SA_ROLE_RESPONDER] = "responder",
	};
	_Static_assert(nitems(names) == SA_ROLE_MAX, "name per role");

	return NAME_OF(names, role);
}

const char *
sa_mode_name(unsigned int mode)
{
	static const char *const names[] = {
		[SA_MODE_NONE] = "none",
		[SA_MODE_TUNNEL] = "tunnel",
		[SA_MODE_TRANSPORT] = "transport",
	};
	_Static_assert(nitems(names) == SA_MODE_MAX, "name per mode");

	return NAME_OF(names, mode);
}
