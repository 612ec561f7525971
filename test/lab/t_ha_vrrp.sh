#!/bin/bash
# t_ha_vrrp -- hamgrd's VRRPv3 election and VIP move, without ikev2d:
#
#   rtr (neighbour entry for the VIP; later keepalived, same VRID)
#    |  up0 192.0.2.254
#  ==+============ br-up: VRRPv3 adverts, GARP ============+==
#    | up0 192.0.2.2                          192.0.2.3 up0 |
#   A: hamgrd, priority 200  ==== cl0 + corosync ====  B: hamgrd, 100
#    | in0 (inside VIP 198.51.100.1)          in0 |
#
# group vg1, vrid 51, VIPs 192.0.2.1/24 and 2001:db8:0:1::1/64 on up0 and
# 198.51.100.1/25 on in0, adverts every 10 cs, IPv4 and IPv6 (B's
# Master_Down_Interval: 3 x 10 + 6 = 36 cs).
#
# 1. A is the one MASTER and alone holds the VIPs; the router's neighbour
#    entries (ARP, ND) for the VIPs are A's MAC.
# 2. Cluster link and corosync cut (cl0 down, A <-> B unicast refused):
#    both lose membership, adverts on the LAN keep exactly one MASTER.
# 3. SIGKILL hamgrd on A: B MASTER within the master-down interval plus
#    slack, VIPs on B, the router's entries move to B (GARP, NA).
# 4. A restarts (preempt): its stale VIPs go, it takes the group back.
#    Then A freezes (SIGSTOP): still a CPG member and MASTER there, but
#    silent: B takes over on master-down, without waiting for corosync.
# 5. A's up0 down: A in FAULT, B MASTER; up0 up: A takes back.
# 6. A restarts with preempt = false while B is MASTER: A stays BACKUP.
# 6b. use_vmac on both: the VIPs of up0 on macvlan vrrp.51 with
#    00:00:5e:00:01:33, up on the MASTER only (down on the BACKUP); the
#    router resolves the VIPs to that MAC (its up0 does not answer for
#    them), keeps it when A stops and B takes over, and the switch
#    learns it on B's port; A's macvlan is gone and its ARP settings
#    are back.  A returns and takes the MAC back; B, SIGKILLed as
#    BACKUP, restarts and replaces its stale macvlan; both stop: no
#    macvlan left.
# 7. keepalived on the router, same VRID: at priority 50 it stays BACKUP
#    under B; at 250 it becomes MASTER and B steps down to BACKUP.
# Throughout: keepalived's notify_master / _backup / _fault / _stop
# scripts ran for each change (role.log, the last line checked), and the
# MASTER repeats its GARPs every second (garp_master_refresh, G.garp).
# Figures: SIGKILL -> B MASTER (detection) and -> VIPs on B.

set -eu
. "${BASH_SOURCE[0]%/*}/testlib.sh"
t_lab

. "${BASH_SOURCE[0]%/*}/vrrp/vrrp-lib.sh"
t_on_exit '[ "$rc" = 0 ] || hv_dump'

# role_last NODE WORD: NODE's last per-state script was "role.sh WORD vg1".
role_last()
{
	ROLE_LAST=$(tail -n 1 "$HV/$1/role.log" 2>/dev/null)
	[ "$ROLE_LAST" = "$2 vg1" ]
}

# garp_counts NODE: GARP_SENT, GARP_REFR from NODE's G.garp.
garp_counts()
{
	local re='^sent ([0-9]+) failed ([0-9]+) refreshes ([0-9]+)$'

	hv_status "$1"
	[[ ${HST[vg1.garp]:-} =~ $re ]] || return 1
	GARP_SENT=${BASH_REMATCH[1]}
	GARP_REFR=${BASH_REMATCH[3]}
}

hv_mac a
MAC_A=$HV_MAC
hv_mac b
MAC_B=$HV_MAC

# --- 1. A master ------------------------------------------------------------
hv_conf a 200 true
hv_conf b 100 true
hv_start a
hv_start b
t_poll 10 hv_role_is a MASTER || fail "A did not become MASTER ($HV_ROLE)"
t_poll 5 hv_role_is b BACKUP || fail "B is not BACKUP ($HV_ROLE)"
t_poll 3 hv_vips a || fail "A does not hold the VIPs"
hv_novips b || fail "B holds a VIP while BACKUP"
ip netns exec "$NS_RTR" ping -c 1 -W 2 -q "$VIP4" > /dev/null ||
    fail "the router cannot ping the VIP on A"
ip netns exec "$NS_RTR" ping -6 -c 1 -W 2 -q "$VIP6" > /dev/null ||
    fail "the router cannot ping the IPv6 VIP on A"
t_poll 3 rtr_neigh_is "$MAC_A" || fail "router: VIP not at A's MAC"
t_poll 20 hv_cluster_is a up || fail "A: no CPG membership with B"
t_poll 10 hv_cluster_is b up || fail "B: no CPG membership with A"
hv_status b
info "A MASTER, B BACKUP (master heard: ${HST[vg1.master]}), VIPs on A," \
    "cluster up"
t_poll 3 role_last a master || fail "A's notify_master: '$ROLE_LAST'"
grep -qx "backup vg1" "$HV/a/role.log" || fail "A's notify_backup at start"
t_poll 3 role_last b backup || fail "B's notify_backup: '$ROLE_LAST'"
info "notify_backup then notify_master ran on A, notify_backup on B"

# garp_master_refresh = 1s, repeat 2: A's count of refresh rounds and of
# packets (3 VIPs: 2 ARPs, 2 ARPs, 1 NA a round) rises; B sends none.
garp_counts a || fail "A: no G.garp in the status: '${HST[vg1.garp]:-}'"
g0=$GARP_SENT r0=$GARP_REFR
t_poll 5 eval 'garp_counts a && [ "$GARP_REFR" -ge $((r0 + 2)) ]' ||
    fail "A's GARP refreshes: ${HST[vg1.garp]:-} (was $r0 rounds)"
[ "$GARP_SENT" -ge $((g0 + 2 * 5)) ] ||
    fail "A: refreshed, but GARPs sent only $g0 -> $GARP_SENT"
g1=$GARP_SENT r1=$GARP_REFR
garp_counts b && [ "$GARP_SENT" = 0 ] && [ "$GARP_REFR" = 0 ] ||
    fail "B (BACKUP) sent GARPs: ${HST[vg1.garp]:-}"
info "GARP refresh on A: $r0 -> $r1 rounds, $g0 -> $g1 packets;" \
    "none from B"

# --- 2. cluster link cut ----------------------------------------------------
# cl0 down, and the peer's addresses blackholed (silently: an error
# returned at once would have knet retry in a tight loop at corosync's
# real-time priority, starving the one UML vCPU).  Multicast VRRP on up0
# is untouched.
hv_cut()
{
	ip -n "$NS_A" -batch - <<-EOF
	link set $IF_CL $1
	route $2 blackhole $B_UP4/32
	route $2 blackhole $B_CL4/32
	EOF
	ip -n "$NS_B" -batch - <<-EOF
	link set $IF_CL $1
	route $2 blackhole $A_UP4/32
	route $2 blackhole $A_CL4/32
	EOF
}
hv_cut down add
t_on_exit "hv_cut up del 2>/dev/null"
t_poll 20 hv_cluster_is b alone || fail "B still sees the cluster"
t_poll 10 hv_cluster_is a alone || fail "A still sees the cluster"
for i in 1 2 3 4 5; do
	one_master || fail "cluster link cut: masters: '${HV_MASTERS}'"
	[ "$HV_MASTERS" = "a " ] || fail "cluster link cut: B took over"
	sleep 0.3
done
hv_novips b || fail "cluster link cut: B holds a VIP"
hv_status b
[[ ${HST[vg1.last]:-} != *MASTER* ]] ||
    fail "cluster link cut: B was MASTER for a while: ${HST[vg1.last]}"
info "cluster link cut: both alone, A still the one MASTER (adverts)"
hv_cut up del

# --- 3. SIGKILL the master's hamgrd -----------------------------------------
lab_now
t_kill=$LAB_NOW
kill -KILL "$HV_PID_a"
t_poll 5 hv_role_is b MASTER || fail "B did not become MASTER ($HV_ROLE)"
hv_status b
det_ms=$(( ${HST[vg1.last_unix_ms]} - t_kill / 1000 ))
act_ms=${HST[vg1.last_act_ms]%.*}
vip_ms=$(( det_ms + act_ms ))
[ "$det_ms" -le $((DOWN_MS + SLACK_MS)) ] ||
    fail "B decided MASTER ${det_ms} ms after the kill (> $DOWN_MS + $SLACK_MS)"
t_poll 3 hv_vips b || fail "B does not hold the VIPs"
t_poll 3 rtr_neigh_is "$MAC_B" || fail "router: VIP not moved to B's MAC"
t_poll 3 role_last b master || fail "B's notify_master: '$ROLE_LAST'"
info "SIGKILL A: B MASTER after ${det_ms} ms (master-down ${DOWN_MS} ms)," \
    "VIPs on B after ${vip_ms} ms (activation ${HST[vg1.last_act_ms]}" \
    "ms); router follows B's MAC"

# --- 4. A back, preempt ------------------------------------------------------
hv_start a
t_poll 5 hv_role_is a MASTER || fail "A did not take back ($HV_ROLE)"
t_poll 3 hv_role_is b BACKUP || fail "B did not step down ($HV_ROLE)"
grep -q "removed stale VIP" "$LAB_DIR/hamgrd-a.out" ||
    fail "A did not remove the VIPs its killed run left"
t_poll 3 hv_novips b || fail "B kept a VIP"
t_poll 3 hv_vips a || fail "A does not hold the VIPs"
t_poll 3 rtr_neigh_is "$MAC_A" || fail "router: VIP not back at A's MAC"
t_poll 3 role_last b backup || fail "B's notify_backup: '$ROLE_LAST'"
info "A restarted: stale VIPs removed, preempted B, router follows;" \
    "notify_backup on B"

# --- 4b. A frozen (SIGSTOP): still a CPG member, still MASTER there ------
# B must not wait for corosync: the adverts decide (master-down).
t_poll 10 eval 'hv_status b; [[ ${HST[vg1.master]:-} == "a "* ]]' ||
    fail "B does not see A as MASTER through CPG: ${HST[vg1.master]:-}"
lab_now
t_stop=$LAB_NOW
kill -STOP "$HV_PID_a"
t_on_exit "kill -CONT $HV_PID_a 2>/dev/null"
t_poll 5 hv_role_is b MASTER || fail "A frozen: B is $HV_ROLE"
hv_status b
frz_ms=$(( ${HST[vg1.last_unix_ms]} - t_stop / 1000 ))
[ "$frz_ms" -le $((DOWN_MS + SLACK_MS)) ] ||
    fail "A frozen: B MASTER only after ${frz_ms} ms"
hv_status b
[ "${HST[cluster]}" = up ] || fail "A frozen: B's cluster is ${HST[cluster]}"
kill -CONT "$HV_PID_a"
t_poll 5 hv_role_is a MASTER || fail "A thawed: A is $HV_ROLE"
t_poll 3 hv_role_is b BACKUP || fail "A thawed: B is $HV_ROLE"
info "A frozen (still a CPG member): B MASTER after ${frz_ms} ms;" \
    "A thawed: one MASTER again (A)"

# --- 5. A's upstream link down ----------------------------------------------
ip -n "$NS_A" link set "$IF_UP" down
t_on_exit "ip -n $NS_A link set $IF_UP up"
t_poll 5 hv_role_is b MASTER || fail "up0 down on A: B not MASTER ($HV_ROLE)"
t_poll 3 hv_role_is a FAULT || fail "up0 down on A: A is $HV_ROLE, not FAULT"
t_poll 3 hv_novips a || fail "A in FAULT kept a VIP"
t_poll 3 hv_vips b || fail "B does not hold the VIPs"
t_poll 3 role_last a fault || fail "A's notify_fault: '$ROLE_LAST'"
ip -n "$NS_A" link set "$IF_UP" up
# The link's routes and its IPv6 addresses went with it (lab.sh's).
ip -n "$NS_A" -batch - <<-EOF
route replace default via $RTR_UP4
addr replace $A_UP6/${UP_NET6#*/} dev $IF_UP nodad
route replace ::/0 via $RTR_UP6
EOF
t_poll 5 hv_role_is a MASTER || fail "up0 back on A: A not MASTER ($HV_ROLE)"
t_poll 3 hv_role_is b BACKUP || fail "up0 back on A: B is $HV_ROLE"
info "A's up0 down: A FAULT, B MASTER; up0 up: A took back"

# --- 6. preempt = false ------------------------------------------------------
lab_stop "$HV_PID_a" || fail "hamgrd on A did not stop"
t_poll 3 hv_role_is b MASTER || fail "A stopped: B not MASTER ($HV_ROLE)"
hv_novips a || fail "A stopped, a VIP left behind"
t_poll 3 role_last a stop || fail "A's notify_stop: '$ROLE_LAST'"
grep -qx "GROUP vg1 STOP 200" "$HV/a/notify.log" ||
    fail "A's notify STOP: $(tail -n 3 "$HV/a/notify.log")"
info "A stopped: notify_stop, then notify STOP"
hv_conf a 200 false
hv_start a
t_poll 5 hv_role_is a BACKUP || fail "nopreempt A: $HV_ROLE"
sleep 1.2			# > 3 master-down intervals
hv_role_is a BACKUP || fail "nopreempt A took over ($HV_ROLE)"
hv_role_is b MASTER || fail "B lost MASTER to a nopreempt A ($HV_ROLE)"
info "A back with preempt = false: stays BACKUP under B"
lab_stop "$HV_PID_a" || fail "hamgrd on A did not stop"

# --- 6b. use_vmac -------------------------------------------------------------
VMAC=00:00:5e:00:01:33		# RFC 5798 7.3, VRID 51
VMAC_IF=vrrp.51

# vmac_is NODE UP|DOWN: NODE's macvlan exists, private, with the
# virtual MAC, and is up / down.
vmac_is()
{
	local out re='<([^>]*)>'

	hv_ns "$1"
	VMAC_OUT=$(ip -n "$HV_NS" -d link show dev "$VMAC_IF" 2>&1) ||
	    return 1
	out=$VMAC_OUT
	[[ $out == *"link/ether $VMAC "* ]] &&
	    [[ $out == *"macvlan mode private"* ]] && [[ $out =~ $re ]] ||
	    return 1
	if [ "$2" = UP ]; then
		[[ ,${BASH_REMATCH[1]}, == *,UP,* ]]
	else
		[[ ,${BASH_REMATCH[1]}, != *,UP,* ]]
	fi
}

# no_vmac NODE: no macvlan at all on NODE.
no_vmac()
{
	hv_ns "$1"
	[ -z "$(ip -n "$HV_NS" link show type macvlan)" ]
}

# vmac_vips NODE: the up0 VIPs on the macvlan, the inside one on in0.
vmac_vips()
{
	hv_ns "$1"
	ip -n "$HV_NS" -4 addr show dev "$VMAC_IF" | grep -q "inet $VIP4/" &&
	    ip -n "$HV_NS" -6 addr show dev "$VMAC_IF" |
	    grep -q "inet6 $VIP6/" &&
	    ip -n "$HV_NS" -4 addr show dev "$IF_IN" | grep -q "inet $IVIP4/"
}

# fdb_at PORT: the switch (br-up) has learnt the virtual MAC on PORT.
fdb_at()
{
	FDB=$(bridge -n "$NS_SW" fdb show br "$BR_UP" | grep "^$VMAC " ||
	    true)
	[[ $FDB == "$VMAC dev $1 "* ]]
}

arp_conf()
{
	ip netns exec "$1" sh -c "cat /proc/sys/net/ipv4/conf/$IF_UP/arp_ignore \
	    /proc/sys/net/ipv4/conf/$IF_UP/arp_filter \
	    /proc/sys/net/ipv4/conf/$IF_UP/arp_announce" | tr '\n' ' '
}

rtr_ping()
{
	ip netns exec "$NS_RTR" ping -c 1 -W 2 -q "$VIP4" > /dev/null ||
	    fail "$1: the router cannot ping $VIP4"
	ip netns exec "$NS_RTR" ping -6 -c 1 -W 2 -q "$VIP6" > /dev/null ||
	    fail "$1: the router cannot ping $VIP6"
}

# adverts_from MAC ADDR: the next 3 IPv4 adverts the router sees come
# from MAC (Ethernet source) and ADDR (IP source).  ADV = what they were.
adverts_from()
{
	command -v python3 > /dev/null || { ADV="no python3"; return 0; }
	ADV=$(ip netns exec "$NS_RTR" timeout 5 python3 - "$IF_UP" <<-'PY'
	import socket, sys
	s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
	s.bind((sys.argv[1], 0))
	n = 0
	while n < 3:
	    f = s.recv(2048)
	    if len(f) < 34 or f[23] != 112:
	        continue
	    print(':'.join('%02x' % b for b in f[6:12]), socket.inet_ntoa(f[26:30]))
	    n += 1
	PY
	)
	[ "$ADV" = "$(printf '%s %s\n%s %s\n%s %s' "$1" "$2" "$1" "$2" \
	    "$1" "$2")" ]
}

lab_stop "$HV_PID_b" || fail "hamgrd on B did not stop"
no_vmac a && no_vmac b || fail "a macvlan before use_vmac"
arp_a0=$(arp_conf "$NS_A")
HV_EXTRA='use_vmac = true;'
hv_conf a 200 true
hv_conf b 100 true
HV_EXTRA=
hv_start a
hv_start b
t_poll 10 hv_role_is a MASTER || fail "vmac: A not MASTER ($HV_ROLE)"
t_poll 5 hv_role_is b BACKUP || fail "vmac: B not BACKUP ($HV_ROLE)"
t_poll 3 vmac_is a UP || fail "vmac: A's macvlan: $VMAC_OUT"
vmac_is b DOWN || fail "vmac: B (BACKUP): macvlan not down: $VMAC_OUT"
t_poll 3 vmac_vips a || fail "vmac: A's VIPs not on $VMAC_IF"
hv_novips b || fail "vmac: B holds a VIP while BACKUP"
hv_status a
[ "${HST[vg1.vmac]:-}" = "$VMAC_IF up $VMAC creates 1 errors 0" ] ||
    fail "vmac: A's G.vmac: '${HST[vg1.vmac]:-}'"
[[ ${HST[vg1.vips]:-} == "$VIP4/24 dev $VMAC_IF present, "* ]] ||
    fail "vmac: A's G.vips: '${HST[vg1.vips]:-}'"
hv_status b
[ "${HST[vg1.vmac]:-}" = "$VMAC_IF down $VMAC creates 1 errors 0" ] ||
    fail "vmac: B's G.vmac: '${HST[vg1.vmac]:-}'"
[ "$(arp_conf "$NS_A")" = "1 1 2 " ] ||
    fail "vmac: A's up0 arp_ignore/filter/announce: $(arp_conf "$NS_A")"
# Forget the VIPs' entries: the answer to a fresh ARP / NS must come
# from the macvlan (up0 does not answer for them).
ip -n "$NS_RTR" neigh flush dev "$IF_UP"
rtr_ping "vmac, A MASTER"
rtr_neigh_is "$VMAC" || fail "vmac: router: VIPs not at $VMAC:" \
    "$(ip -n "$NS_RTR" neigh show dev "$IF_UP")"
t_poll 3 fdb_at a-up || fail "vmac: switch: $VMAC not on a-up: '$FDB'"
adverts_from "$VMAC" "$A_UP4" ||
    fail "vmac: A's IPv4 adverts not from $VMAC / $A_UP4: $ADV"
info "use_vmac: A MASTER with $VMAC_IF up ($VMAC), B's down; router" \
    "resolves the VIPs to $VMAC, switch learnt it on a-up; A's IPv4" \
    "adverts leave from it (${ADV%%$'\n'*})"

lab_stop "$HV_PID_a" || fail "hamgrd on A did not stop"
t_poll 5 hv_role_is b MASTER || fail "vmac: A stopped, B is $HV_ROLE"
t_poll 3 vmac_is b UP || fail "vmac: B's macvlan: $VMAC_OUT"
t_poll 3 vmac_vips b || fail "vmac: B's VIPs not on $VMAC_IF"
no_vmac a || fail "vmac: A stopped, its macvlan is left"
[ "$(arp_conf "$NS_A")" = "$arp_a0" ] ||
    fail "vmac: A's ARP settings not restored: $(arp_conf "$NS_A")" \
    "(were $arp_a0)"
t_poll 3 fdb_at b-up || fail "vmac: switch: $VMAC not moved to b-up: '$FDB'"
adverts_from "$VMAC" "$B_UP4" ||
    fail "vmac: B's IPv4 adverts not from $VMAC / $B_UP4: $ADV"
rtr_ping "vmac, B MASTER"
rtr_neigh_is "$VMAC" || fail "vmac: router: VIPs left $VMAC:" \
    "$(ip -n "$NS_RTR" neigh show dev "$IF_UP")"
hv_status b
info "use_vmac: A stopped: B MASTER (activation" \
    "${HST[vg1.last_act_ms]:-?} ms, macvlan up included), the switch" \
    "learnt $VMAC on b-up, the router kept it; A's macvlan gone, ARP" \
    "settings back ($arp_a0)"

hv_start a
t_poll 5 hv_role_is a MASTER || fail "vmac: A back, A is $HV_ROLE"
t_poll 3 vmac_is b DOWN || fail "vmac: B's macvlan not down: $VMAC_OUT"
t_poll 3 vmac_is a UP || fail "vmac: A's macvlan: $VMAC_OUT"
t_poll 3 fdb_at a-up || fail "vmac: switch: $VMAC not back on a-up: '$FDB'"
rtr_ping "vmac, A back"
kill -KILL "$HV_PID_b"
lab_stop "$HV_PID_b" || fail "vmac: B's hamgrd survived SIGKILL"
vmac_is b DOWN || fail "vmac: B killed: its macvlan: $VMAC_OUT"
hv_start b
t_poll 5 hv_role_is b BACKUP || fail "vmac: B restarted: $HV_ROLE"
grep -q "removed stale macvlan $VMAC_IF" "$LAB_DIR/hamgrd-b.out" ||
    fail "vmac: B did not replace the macvlan of its killed run"
[ "$(ip -n "$NS_B" -o link show type macvlan | grep -c ": $VMAC_IF@")" = 1 ] ||
    fail "vmac: B's macvlans: $(ip -n "$NS_B" -o link show type macvlan)"
vmac_is b DOWN || fail "vmac: B restarted as BACKUP: $VMAC_OUT"
info "use_vmac: A back took $VMAC over (a-up); B SIGKILLed as BACKUP" \
    "and restarted: stale macvlan replaced, one $VMAC_IF, down"

lab_stop "$HV_PID_a" || fail "hamgrd on A did not stop"
lab_stop "$HV_PID_b" || fail "hamgrd on B did not stop"
no_vmac a && no_vmac b || fail "vmac: a macvlan left after both stopped"
info "use_vmac: both stopped, no macvlan left"
hv_conf b 100 true
hv_start b
t_poll 5 hv_role_is b MASTER || fail "B alone again: $HV_ROLE"

# --- 7. keepalived on the router, same VRID ----------------------------------
command -v keepalived > /dev/null || skip "no keepalived"
mkdir -p "$HV/ka"
cat > "$HV/ka/notify.sh" <<-EOF
#!/bin/sh
echo "\$3" > $HV/ka/state
EOF
chmod 755 "$HV/ka/notify.sh"
# ka_start PRIO: keepalived (VRRP only) in the router's namespace.
ka_start()
{
	rm -f "$HV/ka/state"
	cat > "$HV/ka/keepalived.conf" <<-EOF
	global_defs {
		router_id rtr
		vrrp_version 3
		script_user root
	}
	vrrp_instance vg1 {
		state BACKUP
		interface $IF_UP
		virtual_router_id 51
		priority $1
		advert_int 0.$ADVERT_CS
		# The same VIP list as hamgrd's adverts carry: keepalived
		# drops an advert whose address count differs.
		virtual_ipaddress {
			$VIP4/24
			$IVIP4/25
		}
		notify $HV/ka/notify.sh
	}
	EOF
	lab_bg keepalived "$NS_RTR" keepalived -n -l -D -P \
	    -f "$HV/ka/keepalived.conf" -p "$HV/ka/ka.pid" \
	    -r "$HV/ka/vrrp.pid"
	KA_PID=$LAB_PID
	t_on_exit lab_stop "$KA_PID"
}
ka_state_is()
{
	[ -r "$HV/ka/state" ] && [ "$(cat "$HV/ka/state")" = "$1" ]
}
rtr_has_vip()
{
	ip -n "$NS_RTR" -4 addr show dev "$IF_UP" | grep -q "inet $VIP4/"
}

ka_start 50
t_poll 10 ka_state_is BACKUP || fail "keepalived (50) not BACKUP"
sleep 1
hv_role_is b MASTER || fail "keepalived (50) present: B is $HV_ROLE"
ka_state_is BACKUP || fail "keepalived (50) left BACKUP"
! rtr_has_vip || fail "keepalived (50) added the VIP"
info "keepalived priority 50: BACKUP under hamgrd's B (100)"
lab_stop "$KA_PID" || fail "keepalived did not stop"

ka_start 250
t_poll 10 ka_state_is MASTER || fail "keepalived (250) not MASTER"
t_poll 3 hv_role_is b BACKUP || fail "keepalived (250) master: B is $HV_ROLE"
t_poll 3 hv_novips b || fail "B kept the VIP under keepalived"
hv_status b
info "keepalived priority 250: MASTER, B BACKUP (hears ${HST[vg1.master]})"
lab_stop "$KA_PID" || fail "keepalived did not stop"
t_poll 3 hv_role_is b MASTER || fail "keepalived gone: B is $HV_ROLE"
hv_status b
[ "${HST[vg1.bad]}" = none ] || info "B's dropped adverts: ${HST[vg1.bad]}"
info "keepalived stopped: B MASTER again"
