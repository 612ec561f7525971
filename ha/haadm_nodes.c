/*
 * ha/haadm_nodes.c -- the cluster-wide node table for commands other than
 * `status` (resync, drill): syncd's status lines (every member's STATS)
 * and hamgrd's names, joined by nodes_view.c.
 */
#include <stdio.h>
#include <string.h>

#include "haadm.h"
#include "tandem/daemon.h"

void
haadm_skv_collect(void *arg, const struct ctl_hdr *h, struct rd *tlvs)
{
	struct haadm_skv	*o = arg;
	struct ctl_tlv		 t;

	(void)h;
	while (ctl_next(tlvs, &t) == 1)
		if (t.tag == CTL_T_KV && o->n < HAADM_SKV_MAX &&
		    ctl_kv(&t, o->key[o->n], sizeof(o->key[0]), o->val[o->n],
		    sizeof(o->val[0])) == 0)
			o->n++;
}

const char *
haadm_skv_get(const struct haadm_skv *o, const char *key)
{
	size_t	 i;

	for (i = 0; i < o->n; i++)
		if (strcmp(o->key[i], key) == 0)
			return o->val[i];
	return NULL;
}

static size_t
skv_list(const struct haadm_skv *o, struct nv_kv *out)
{
	size_t	 i;

	for (i = 0; i < o->n; i++) {
		out[i].key = o->key[i];
		out[i].val = o->val[i];
	}
	return o->n;
}

/* One daemon's status lines into o; 0, or -1 with err. */
int
haadm_ask_status(const struct haadm *h, const char *daemon,
    struct haadm_skv *o, char *err, size_t errlen)
{
	char	 path[512];

	snprintf(path, sizeof(path), "%s/%s.sock", h->rundir, daemon);
	o->n = 0;
	return ctl_request(path, CTL_STATUS, h->timeout_ms, haadm_skv_collect,
	    o, err, errlen);
}

int
haadm_nodes(const struct haadm *h, struct nodes_view *v,
    struct haadm_skv *syncd_out, char *err, size_t errlen)
{
	static struct haadm_skv	 ham;
	static struct nv_kv	 sk[HAADM_SKV_MAX], hk[HAADM_SKV_MAX];
	char			 herr[256];
	size_t			 nh = 0;

	if (haadm_ask_status(h, "syncd", syncd_out, err, errlen) == -1)
		return -1;
	if (haadm_ask_status(h, "hamgrd", &ham, herr, sizeof(herr)) == 0)
		nh = skv_list(&ham, hk);
	nodes_view_build(v, sk, skv_list(syncd_out, sk), hk, nh);
	return 0;
}
