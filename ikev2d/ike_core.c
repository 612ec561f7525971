/*
 * ikev2d/ike_core.c -- the IKEv2 protocol core (see ike_core.h).
 * First commit: the API only; every entry point fails cleanly.
 */
#include <stdlib.h>

#include "ike_core.h"

struct ike_core {
	struct ike_core_stats	 st;
};

const char *
ike_ev_type_name(unsigned int t)
{
	return "UNKNOWN";
}

const char *
ike_drop_name(unsigned int d)
{
	return "UNKNOWN";
}

const char *
ike_log_kind_name(unsigned int k)
{
	return "UNKNOWN";
}

struct ike_core *
ike_core_new(const struct tnd_cfg *cfg, const struct ike_core_env *env,
    const struct ike_core_limits *lim)
{
	return NULL;
}

void
ike_core_free(struct ike_core *c)
{
	free(c);
}

void
ike_core_set_cfg(struct ike_core *c, const struct tnd_cfg *cfg)
{
}

int
ike_core_input(struct ike_core *c, const struct sa_addr *local,
    const struct sa_addr *remote, const uint8_t *buf, size_t len,
    uint64_t now_ms)
{
	return -1;
}

int
ike_core_kernel_expire(struct ike_core *c, uint8_t proto, uint32_t spi,
    bool hard, uint64_t now_ms)
{
	return -1;
}

int
ike_core_kernel_acquire(struct ike_core *c, uint32_t reqid, uint64_t now_ms)
{
	return -1;
}

int64_t
ike_core_initiate(struct ike_core *c, const char *conn, const char *child,
    uint64_t now_ms)
{
	return -1;
}

int
ike_core_start_all(struct ike_core *c, uint64_t now_ms)
{
	return 0;
}

int
ike_core_delete_ike(struct ike_core *c, uint32_t uid, uint64_t now_ms)
{
	return -1;
}

int
ike_core_delete_child(struct ike_core *c, uint32_t uid, uint64_t now_ms)
{
	return -1;
}

int
ike_core_rekey_ike(struct ike_core *c, uint32_t uid, uint64_t now_ms)
{
	return -1;
}

int
ike_core_rekey_child(struct ike_core *c, uint32_t uid, uint64_t now_ms)
{
	return -1;
}

int
ike_core_dpd(struct ike_core *c, uint32_t uid, uint64_t now_ms)
{
	return -1;
}

int
ike_core_delete_all(struct ike_core *c, uint64_t now_ms)
{
	return 0;
}

uint64_t
ike_core_next_deadline(const struct ike_core *c)
{
	return UINT64_MAX;
}

void
ike_core_tick(struct ike_core *c, uint64_t now_ms)
{
}

const struct ike_dgram *
ike_core_out_peek(const struct ike_core *c)
{
	return NULL;
}

void
ike_core_out_pop(struct ike_core *c)
{
}

size_t
ike_core_out_count(const struct ike_core *c)
{
	return 0;
}

const struct ike_core_stats *
ike_core_stats(const struct ike_core *c)
{
	return &c->st;
}

void
ike_core_walk(struct ike_core *c, const struct ike_walk *w)
{
}
