/*
 * ha/hamgrd.h -- the state hamgrd's edge files share (loop.c, vrrp_io.c,
 * vip.c, ike_cmd.c, ha_cpg.c, notify.c, track_io.c, hamgrd_ctl.c).
 *
 * One struct hamgrd per process (d->priv), one struct ha_group per VIP
 * group of the configuration, in the configuration's order.  The pure
 * cores (role_fsm, track, vrrp_codec, hamsg, ha_view) know nothing of
 * these structs; the edge fills their inputs from here.
 *
 * Ownership: groups[] and everything embedded in it belong to struct
 * hamgrd; cfg pointers are borrowed from d->cfg and re-pointed on reload
 * (hamgrd_reload refuses a reload that would change the group set).
 */
#ifndef HA_HAMGRD_H
#define HA_HAMGRD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <ev.h>

#include "tandem/cfg.h"
#include "tandem/daemon.h"
#include "tandem/hamsg.h"
#include "tandem/log.h"
#include "role_fsm.h"
#include "track.h"
#include "vmac_msg.h"
#include "vrrp_codec.h"

/* Drop reasons of received adverts besides the codec's VRRP_E_*. */
enum ha_drop {
	HA_DROP_IPHDR,		/* IPv4 header malformed */
	HA_DROP_OWN,		/* our own advert looped back */
	HA_DROP_TRUNC,		/* longer than our buffer */
	HA_DROP_NOINFO,		/* no hop limit / destination cmsg */
	HA_DROP_MAX
};

/* One family's VRRP endpoint of a group: a raw socket bound to the
 * group's interface (SO_BINDTODEVICE), joined to 224.0.0.18 / ff02::12. */
struct ha_vsock {
	int		 fd;		/* -1: closed */
	ev_io		 io;
	struct ha_group	*g;
	uint8_t		 family;	/* VRRP_AF_INET(6) */
	uint8_t		 src[16];	/* primary / link-local */
	bool		 have_src;
	/* the VIPs of this family, as the adverts list them */
	uint8_t		 addrs[VRRP_MAX_ADDRS * 16];
	uint8_t		 naddrs;
	/* use_vmac, IPv4: adverts leave through the macvlan (vmac.c) */
	int		 txfd;		/* -1: closed */
	int		 tx_ifindex;	/* the macvlan it is bound to */
};

/* use_vmac (vmac.c): the group's macvlan with the virtual MAC. */
struct ha_vmac {
	bool		 started;	/* use_vmac, vmac_start() ran */
	bool		 up;		/* brought up (MASTER) */
	int		 ifindex;	/* 0: not created */
	uint8_t		 mac[6];
	/* the lower device's ARP settings before ours, put back at stop */
	int		 base_ifindex;
	struct vmac_conf base_saved;
	bool		 base_set;
	uint64_t	 creates, err;
};

struct ha_vrrp_stats {
	uint64_t	 sent, send_err, recv;
	uint64_t	 bad[VRRP_NERR];	/* by -VRRP_E_* */
	uint64_t	 drop[HA_DROP_MAX];
	uint64_t	 other_vrid;	/* another VRID on our interface */
	struct log_rate	 rl;
};

/* What the last transition was: status and the lab's measurements. */
struct ha_trans {
	double		 at;		/* ev_time() */
	enum role	 from, to;
	char		 why[64];
	double		 act_ms;	/* the actions' run time */
	double		 ike_ms;	/* of which the ikev2d request */
};

struct ha_group {
	struct hamgrd	*hd;
	const struct cfg_group *cfg;	/* borrowed from d->cfg */
	size_t		 idx;
	enum role	 role;
	struct role_in	 in;
	double		 since;		/* ev_time() of the change */
	struct ha_trans	 last;
	uint64_t	 transitions;

	ev_timer	 down_tmr, preempt_tmr, advert_tmr, garp_tmr;
	ev_timer	 garp_refresh_tmr;	/* garp_master_refresh */
	uint32_t	 garp_left;
	/* GARP / NA packets sent and failed, refresh rounds started */
	uint64_t	 garp_sent, garp_err, garp_refreshes;
	uint8_t		 advert_prio;	/* from the last role_out */

	/* the interface */
	int		 ifindex;	/* 0: missing */
	bool		 if_running;
	struct ha_vsock	 vs[2];		/* [0] IPv4, [1] IPv6 */
	struct ha_vrrp_stats st;

	/* who we hear: the last advert that was not ours */
	uint8_t		 master_family;
	uint8_t		 master_addr[16];
	uint8_t		 master_prio;
	double		 master_at;

	/* trackers: [0] the group's interface (weight 0, keepalived's
	 * implicit tracking), then track_interfaces, then track_scripts */
	struct track	*tracks;
	size_t		 ntracks;
	struct ha_script *scripts;	/* ntrack_scripts, track_io.c */

	/* planned handover */
	bool		 yielded;	/* handed away: no preempt */
	bool		 handover_in;	/* next activation is clean */
	bool		 handing;	/* handing over: MASTER until the
					 * target is (handover.c) */
	char		 handing_to[CFG_NAME_MAX];
	double		 handing_since;	/* ev_time() */
	ev_timer	 handover_tmr;

	/* ikev2d */
	uint64_t	 ike_ok, ike_fail;
	char		 ike_last[160];	/* last reply or error */
	bool		 ike_synced;	/* ikev2d took the role */
	double		 ike_next_try;	/* ev_now() of next retry */
	double		 ike_backoff;	/* s */

	/* notify */
	uint64_t	 notify_runs, notify_fail;
	pid_t		 notify_pid;
	ev_child	 notify_child;
	ev_timer	 notify_tmr;

	/* VIP */
	uint64_t	 vip_err;
	struct ha_vmac	 vmac;

	/* the last transition of this group a peer announced (HAMSG_TRANS):
	 * haadm drill's detection and activation figures */
	struct hamsg_trans peer_last;
	bool		 have_peer_last;
};

/* A peer node as its HA_STATE messages describe it (ha_cpg.c). */
struct ha_peer {
	uint32_t	 nodeid;
	uint32_t	 pid;
	bool		 member;	/* in our CPG membership */
	bool		 have_state;
	struct hamsg_state st;
};

#define HA_PEERS_MAX	16

struct hamgrd {
	struct daemon	*d;
	struct ha_group	*groups;
	size_t		 ngroups;
	char		 node[CFG_NAME_MAX];
	bool		 maint;
	bool		 stopping;

	/* rtnetlink: link / address events (track_io.c) */
	int		 nl_fd;
	ev_io		 nl_io;
	uint64_t	 nl_err;

	/* corosync CPG (ha_cpg.c) */
	void		*cpg;		/* struct ha_cpg, opaque */
	bool		 cluster_up;	/* a peer is a member */
	struct ha_peer	 peers[HA_PEERS_MAX];
	size_t		 npeers;
	uint32_t	 nodeid;
	uint64_t	 state_seq;

	/* ikev2d watch (ike_cmd.c): roles again after a failure or when
	 * ikev2d restarts (it starts with every group on standby) */
	ev_timer	 ike_tmr;
	long		 ike_pid;	/* ikev2d's pid when last seen */
};

/* loop.c */
int	 ha_loop_start(struct hamgrd *);
void	 ha_loop_stop(struct hamgrd *);
/* Run one event through the role machine of g, with its actions. */
void	 ha_group_event(struct ha_group *, enum role_ev);
/* A verified advert of g's VRID from addr (family's length). */
void	 ha_group_advert(struct ha_group *, const struct vrrp_adv *,
	    const uint8_t *src);
/* The trackers' sum changed (or may have): recompute, ROLE_EV_TRACK. */
void	 ha_group_track(struct ha_group *);
/* Recompute peer_better / cluster_up from the peer table, with events. */
void	 ha_groups_peers(struct hamgrd *);
void	 ha_set_maint(struct hamgrd *, bool on);
/* A HANDOVER naming target for group (name); from ha_cpg.c. */
void	 ha_handover_seen(struct hamgrd *, const char *group,
	    const char *target, const char *from);
/* A PULL of group by requester; from ha_cpg.c.  The master hands over. */
void	 ha_pull_seen(struct hamgrd *, const char *group,
	    const char *requester);
/* Hand g to target (a node name, "" = best other).  0 or -1 with why. */
int	 ha_handover_start(struct ha_group *, const char *target, char *why,
	    size_t whylen);
struct ha_group *ha_group_find(struct hamgrd *, const char *name);

/* handover.c: the old master's side of a planned handover */
void	 ha_handover_init(struct ha_group *);
void	 ha_handover_begin(struct ha_group *, const char *target);
void	 ha_handover_trans(struct hamgrd *, const struct hamsg_trans *);
void	 ha_handover_left(struct ha_group *);
uint8_t	 ha_advert_prio(const struct ha_group *);
/* (Re)arm or stop g's garp_master_refresh timer for its role and cfg. */
void	 ha_garp_refresh_arm(struct ha_group *);

/* vrrp_io.c */
int	 vrrp_io_open(struct ha_group *);
void	 vrrp_io_close(struct ha_group *);
/* Our primary / link-local addresses again (address events). */
void	 vrrp_io_refresh(struct ha_group *);
/* Read whatever adverts are queued now (before a timer decides). */
void	 vrrp_io_drain(struct ha_group *);
/* One advert with prio on every family the group has VIPs in. */
void	 vrrp_io_send(struct ha_group *, uint8_t prio);
const char *ha_drop_name(enum ha_drop);

/* vip.c */
int	 vip_init(void);
void	 vip_fini(void);
/* Add / remove every VIP of g; quiet: do not log "absent". */
/* The interface VIP i of g goes on: its "dev", the macvlan (use_vmac)
 * or the group's interface. */
const char *vip_ifname(const struct ha_group *, size_t i);
int	 vip_add_all(struct ha_group *);
int	 vip_del_all(struct ha_group *, bool quiet);
/* One round of gratuitous ARP / unsolicited NA for every VIP, counted
 * in g->garp_sent / garp_err (ARP request and reply: 2 packets). */
void	 vip_garp(struct ha_group *);

/* vmac.c: use_vmac; no-ops for a group without it.  vmac_start()
 * replaces a stale macvlan and creates the group's, down; -1 when it
 * cannot be ours (a name clash, no rtnetlink).  vip_add_all() calls
 * vmac_up() first, vip_del_all() vmac_down() last. */
int	 vmac_start(struct ha_group *);
void	 vmac_stop(struct ha_group *);
int	 vmac_up(struct ha_group *);
void	 vmac_down(struct ha_group *);

/* ike_cmd.c: CTL_ACTIVATE / CTL_STANDBY to <rundir>/ikev2d.sock. */
int	 ike_cmd(struct ha_group *, bool activate, bool unclean);
void	 ike_watch_start(struct hamgrd *);
void	 ike_watch_stop(struct hamgrd *);

/* notify.c */
void	 notify_run(struct ha_group *, enum role);
void	 notify_stop(struct ha_group *);

/* track_io.c */
int	 track_io_start(struct hamgrd *);
void	 track_io_stop(struct hamgrd *);
/* The trackers of g, initialised from cfg (interfaces looked up). */
int	 track_io_group_init(struct ha_group *);
void	 track_io_group_fini(struct ha_group *);
void	 track_io_reload(struct ha_group *);

/* ha_cpg.c */
void	 ha_cpg_start(struct hamgrd *);
void	 ha_cpg_stop(struct hamgrd *);
/* Multicast our state (on every change); no-op without corosync. */
void	 ha_cpg_state(struct hamgrd *);
/* Multicast HANDOVER; -1 when there is no cluster to send it to. */
int	 ha_cpg_handover(struct hamgrd *, const char *group,
	    const char *target);
/* Multicast PULL (this node asks for group); -1 without a cluster. */
int	 ha_cpg_pull(struct hamgrd *, const char *group);
/* Multicast g's last transition (HAMSG_TRANS); no-op without corosync. */
void	 ha_cpg_trans(struct hamgrd *, const struct ha_group *);
bool	 ha_cpg_up(const struct hamgrd *);
void	 ha_cpg_status(struct hamgrd *, struct wr *);

/* hamgrd_ctl.c */
void	 hamgrd_status(struct daemon *, struct wr *);
int	 hamgrd_request(struct daemon *, const struct ctl_hdr *,
	    struct rd *, struct ctl_reply *);

#endif /* HA_HAMGRD_H */
