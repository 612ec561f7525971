#!/bin/bash
# t_ha_takeover -- the core of the product (issue 6): the master fails
# abruptly and the standby resumes every SA without renegotiation, without
# replay drops, and without sending an ESP sequence number twice.
#
#   lhost -- IVIP -- A | B -- VIP -- rtr -- peer (charon) -- rhost
#
# 1. The whole stack on A (priority 200) and B (100), preempt off: A
#    becomes MASTER and holds both VIPs; ikev2d has vg1 active on A,
#    standby on B.  charon initiates to the VIP; B's syncd holds the SAs.
# 2. Round "kill": a ping every 10 ms from lhost to rhost; SIGKILL
#    hamgrd, ikev2d, syncd and corosync on A.
# 3. A's stack and corosync start again: A rejoins as BACKUP (no
#    preemption), nothing renegotiated.
# 4. Round "links": the same traffic; B (now master) loses every link
#    (upstream, inside, cluster) at once.
# After each round, asserted: the other node is MASTER with the VIPs; the
# ping resumes; charon's IKE SA and Child SAs are the same (unique ids and
# SPIs) and it sent no new IKE_SA_INIT; the peer's XFRM replay, integrity
# and no-state error counters did not move; no (SPI, seq) pair reached the
# peer twice (espseen on the peer), and the new master's first outbound
# sequence number is above the old one's last (espseen on the router,
# per source MAC).
# 5. B's links return (B rejoins as BACKUP); round "planned": `haadm
#    failover` on A hands the group back to B, with the same checks.
# 6. A rekey started by the peer, then one started by B (haadm rekey),
#    complete on the master; the IKE SA is still the first one.
# 7. Round "preempt": A is reloaded with preempt and preempt_delay 1s;
#    after the delay it asks B for the group (HAMSG_PULL) and B hands it
#    over: the same checks, and A's activation is clean (no rekeys).
# Figures per round: detection (failure -> the new master's hamgrd
# decides, its own clock), activation (decision -> first ESP from the new
# master on the LAN), the ESP gap old -> new, and the pings lost.

set -eu
. "${BASH_SOURCE[0]%/*}/testlib.sh"
. "${BASH_SOURCE[0]%/*}/ike/ike-lib.sh"
. "${BASH_SOURCE[0]%/*}/ha/ha-lib.sh"
t_lab
ha_check_tools

t_on_exit '[ "$rc" = 0 ] || ha_dump'
t_on_exit "ha_links b up"
ha_setup
ike_charon_start

# --- 1. both stacks, A master, the tunnel replicated -------------------------
ha_pair
t_poll 5 ha_has_vip a || fail "A does not hold the VIPs"
ha_no_vip b || fail "B holds a VIP while BACKUP"
t_poll 10 ha_ike_group_is a active || fail "ikev2d on A: vg1 '$HA_GROUP'"
ha_ike_group_is b standby || fail "ikev2d on B: vg1 '$HA_GROUP'"
info "A MASTER with both VIPs, B BACKUP; ikev2d active on A, standby on B"

out=$(ike_swanctl --initiate --child net --timeout 30 2>&1) ||
    { echo "$out"; fail "swanctl --initiate failed"; }
t_poll 10 ha_sync_same || fail "B's syncd does not hold A's SAs"
ha_peer_ids
IDS=$HA_PEER_IDS
[[ $IDS == *ike\ vip:\ \#1*child\ net:\ \#1\ in*out* ]] ||
    fail "unexpected SAs at the peer: $IDS"
INITS=$(grep -c 'IKE_SA_INIT request 0' "$IKE_PEER/charon.log" || true)
info "tunnel up and replicated: $IDS"

replies()
{
	grep -c 'bytes from' "$LAB_DIR/ping-$ROUND.out" || true
}

replies_at_least()
{
	[ "$(replies)" -ge "$1" ]
}

# flow_field FILE MAC FIELD: FIELD of the busiest ESP flow from MAC.
flow_field()
{
	awk -v mac="$2" -v f="$3" '
	    $1 == "flow" && index($0, "src=" mac) {
		for (i = 2; i <= NF; i++) { split($i, kv, "=");
		    v[kv[1]] = kv[2] }
		if (v["packets"] + 0 > best) { best = v["packets"] + 0;
		    out = v[f] } }
	    END { print out }' "$1"
}

# round_dump: what the witnesses saw, for a round that failed.
round_dump()
{
	kill -TERM "$seen_peer" "$seen_rtr" 2>/dev/null
	t_poll 5 grep -q '^total' "$LAB_DIR/espseen-rtr-$ROUND.out"
	echo "--- espseen on the peer, on the router"
	cat "$LAB_DIR/espseen-peer-$ROUND.out" "$LAB_DIR/espseen-rtr-$ROUND.out"
	echo "--- ping (tail)"
	tail -n 5 "$LAB_DIR/ping-$ROUND.out"
	echo "--- xfrm on $new and on the peer"
	ip -n "$(ha_ns "$new")" -s xfrm state
	ip -n "$NS_PEER" -s xfrm state
	ip netns exec "$NS_PEER" grep -v ' 0$' /proc/net/xfrm_stat
}

# round NAME OLD NEW FAILCMD: traffic, the failure, the checks, figures.
round()
{
	local old=$2 new=$3 seen_peer seen_rtr ping_pid before t_fail
	local mac_old mac_new sum ping_sum lost xerr t_dec
	local o_last o_last_us n_first n_first_us

	ROUND=$1
	lab_bg "espseen-peer-$ROUND" "$NS_PEER" "$LAB_TOOLS/espseen" \
	    -i "$IF_NET" -d in
	seen_peer=$LAB_PID
	t_on_exit lab_stop "$seen_peer"
	lab_bg "espseen-rtr-$ROUND" "$NS_RTR" "$LAB_TOOLS/espseen" \
	    -i "$IF_UP" -d in
	seen_rtr=$LAB_PID
	t_on_exit lab_stop "$seen_rtr"
	t_poll 5 grep -q ready "$LAB_DIR/espseen-peer-$ROUND.out" ||
	    fail "espseen (peer) did not start"
	t_poll 5 grep -q ready "$LAB_DIR/espseen-rtr-$ROUND.out" ||
	    fail "espseen (rtr) did not start"
	mac_old=$(ip -n "$(ha_ns "$old")" -br link show "$IF_UP" |
	    awk '{ print $3 }')
	mac_new=$(ip -n "$(ha_ns "$new")" -br link show "$IF_UP" |
	    awk '{ print $3 }')

	lab_bg "ping-$ROUND" "$NS_LHOST" ping -n -D -i 0.01 -W 1 "$RHOST4"
	ping_pid=$LAB_PID
	t_on_exit lab_stop "$ping_pid"
	t_poll 20 replies_at_least 200 || fail "$ROUND: no traffic"
	ha_peer_xfrm_errors
	xerr=$HA_XERR

	before=$(replies)
	lab_now
	t_fail=$LAB_NOW
	eval "$4"
	t_poll 15 ha_role_is "$new" MASTER ||
	    fail "$ROUND: $new did not become MASTER ($HA_ROLE)"
	t_dec=${HST[vg1.last_unix_ms]:-0}
	t_poll 15 replies_at_least $((before + 100)) ||
	    { round_dump; fail "$ROUND: the ping did not resume on $new"; }
	t_poll 5 ha_has_vip "$new" || fail "$ROUND: $new lacks the VIPs"

	kill -INT "$ping_pid"
	t_poll 5 grep -q 'packets transmitted' "$LAB_DIR/ping-$ROUND.out" ||
	    fail "$ROUND: ping did not stop"
	kill -TERM "$seen_peer" "$seen_rtr"
	t_poll 5 grep -q '^total' "$LAB_DIR/espseen-peer-$ROUND.out" ||
	    fail "$ROUND: espseen (peer) did not report"
	t_poll 5 grep -q '^total' "$LAB_DIR/espseen-rtr-$ROUND.out" ||
	    fail "$ROUND: espseen (rtr) did not report"

	ha_peer_ids
	[ "$HA_PEER_IDS" = "$IDS" ] ||
	    fail "$ROUND: the peer's SAs changed: '$IDS' -> '$HA_PEER_IDS'"
	n=$(grep -c 'IKE_SA_INIT request 0' "$IKE_PEER/charon.log" || true)
	[ "$n" = "$INITS" ] ||
	    fail "$ROUND: the peer sent IKE_SA_INIT again ($INITS -> $n)"
	ha_peer_xfrm_errors
	[ "$HA_XERR" = "$xerr" ] ||
	    { ip -n "$NS_PEER" -s xfrm state;
	    fail "$ROUND: the peer's XFRM errors moved: $xerr -> $HA_XERR"; }
	sum=$(grep '^total' "$LAB_DIR/espseen-peer-$ROUND.out")
	[[ $sum == *" duplicates=0 "* ]] ||
	    { cat "$LAB_DIR/espseen-peer-$ROUND.out";
	    fail "$ROUND: an ESP sequence number was sent twice: $sum"; }

	f=$LAB_DIR/espseen-rtr-$ROUND.out
	o_last=$(flow_field "$f" "$mac_old" last_seq)
	o_last_us=$(flow_field "$f" "$mac_old" last_us)
	n_first=$(flow_field "$f" "$mac_new" first_seq)
	n_first_us=$(flow_field "$f" "$mac_new" first_us)
	[ -n "$o_last" ] && [ -n "$n_first" ] ||
	    { cat "$f"; fail "$ROUND: no ESP from $old and then $new"; }
	[ "$n_first" -gt "$o_last" ] ||
	    fail "$ROUND: $new's first sequence number $n_first <= $old's" \
	    "last $o_last"

	# The flows behind the figures, for the record.
	while read -r line; do
		info "$ROUND: rtr saw ${line#flow }"
	done < <(grep '^flow' "$f")
	ping_sum=$(grep 'packets transmitted' "$LAB_DIR/ping-$ROUND.out")
	[[ $ping_sum =~ ([0-9]+)\ packets\ transmitted,\ ([0-9]+)\ received ]]
	lost=$((BASH_REMATCH[1] - BASH_REMATCH[2]))
	info "$ROUND: $new MASTER $(( t_dec - t_fail / 1000 )) ms after the" \
	    "failure (its clock), first ESP from $new" \
	    "$(( n_first_us / 1000 - t_dec )) ms after it decided, ESP gap" \
	    "$old->$new $(( (n_first_us - o_last_us) / 1000 )) ms; ping lost" \
	    "$lost of ${BASH_REMATCH[1]} (10 ms apart); seq $o_last ->" \
	    "$n_first; same SAs, no IKE_SA_INIT, no replay/integrity" \
	    "errors, no (SPI, seq) twice"
}

# --- 2. SIGKILL of every process on A -------------------------------------------
round kill a b "ha_kill a"

# --- 3. A comes back: BACKUP, nothing renegotiated ------------------------------
lab_start_corosync a "$NS_A"
lab_wait_members 60 || fail "corosync on A did not rejoin"
ha_start a 200
t_poll 20 ha_role_is a BACKUP || fail "A did not rejoin as BACKUP ($HA_ROLE)"
ha_role_is b MASTER || fail "B lost MASTER when A returned ($HA_ROLE)"
t_poll 10 ha_ike_group_is a standby || fail "ikev2d on A: vg1 '$HA_GROUP'"
t_poll 20 ha_sync_same || fail "A's syncd did not resync from B"
ha_no_vip a || fail "A holds a VIP as BACKUP"
ha_peer_ids
[ "$HA_PEER_IDS" = "$IDS" ] || fail "A's return changed the peer's SAs"
info "A rejoined as BACKUP (no preemption), resynced, nothing renegotiated"

# --- 4. B loses every link ----------------------------------------------------------
round links b a "ha_links b down"

# --- 5. planned handover back to B, links restored ---------------------------
ha_links b up || fail "B's links did not come back"
t_poll 30 ha_role_is b BACKUP || fail "B did not return as BACKUP ($HA_ROLE)"
t_poll 20 ha_sync_same || fail "B's syncd did not resync from A"
round planned a b "\"$IKE_B/haadm\" -r \"$(ha_run a)\" failover > /dev/null"

# --- 6. a rekey on the final master ---------------------------------------------------
out=$(ike_swanctl --rekey --child net 2>&1) ||
    { echo "$out"; fail "swanctl --rekey failed"; }
rekeyed()
{
	ha_peer_ids
	[ "$HA_PEER_IDS" != "$IDS" ] && [[ $HA_PEER_IDS != *net:\ \#1\ * ]]
}
t_poll 15 rekeyed || fail "the peer's rekey did not complete on B"
out=$(ip netns exec "$NS_LHOST" ping -n -c 3 -i 0.2 -w 5 "$RHOST4" 2>&1) ||
    { echo "$out"; fail "no traffic after the peer's rekey"; }
info "the peer's Child SA rekey completed on B: $HA_PEER_IDS"

# ... and one B starts itself (haadm rekey, on the Child SA it now holds).
IDS=$HA_PEER_IDS
sas=$("$IKE_B/haadm" -r "$(ha_run b)" --json sas 2>&1) ||
    fail "haadm sas on B: $sas"
re='"child": \[[^]]*"uid": "([0-9]+)"'
[[ $sas =~ $re ]] || fail "no Child SA on B: $sas"
out=$("$IKE_B/haadm" -r "$(ha_run b)" rekey child "${BASH_REMATCH[1]}" 2>&1) ||
    { echo "$out"; fail "haadm rekey child on B failed"; }
rekeyed_by_b()
{
	ha_peer_ids
	[ "$HA_PEER_IDS" != "$IDS" ] && [[ $HA_PEER_IDS != *net:\ \#2\ * ]]
}
t_poll 15 rekeyed_by_b || fail "B's own rekey did not complete"
out=$(ip netns exec "$NS_LHOST" ping -n -c 3 -i 0.2 -w 5 "$RHOST4" 2>&1) ||
    { echo "$out"; fail "no traffic after B's rekey"; }
n=$(grep -c 'IKE_SA_INIT request 0' "$IKE_PEER/charon.log" || true)
[ "$n" = "$INITS" ] || fail "a rekey renegotiated the IKE SA ($INITS -> $n)"
info "B's own Child SA rekey completed: $HA_PEER_IDS; still one IKE SA"

# --- 7. A preempts (preempt_delay 1s): it asks B to hand the group over -------
# With the master in the cluster, a preempting backup pulls the group
# (HAMSG_PULL, make before break, a clean activation: no rekeys) instead of
# seizing it by its adverts (hamgrd(8)).
# hamgrd on A restarts with it: A handed the group away in round
# "planned", and a node does not preempt back what it handed away while
# it runs (hamgrd(8)).
preempt_a()
{
	local pid

	sed -i 's/preempt = false;/preempt = true; preempt_delay = "1s";/' \
	    "$HA_DIR/a/tandem.conf"
	grep -q 'preempt_delay = "1s"' "$HA_DIR/a/tandem.conf" ||
	    fail "could not switch preemption on in A's configuration"
	pid=$(ha_pid hamgrd-a)
	kill -TERM "$pid"
	t_poll 10 eval "! kill -0 $pid 2>/dev/null" ||
	    fail "hamgrd on A did not stop"
	lab_bg hamgrd-a "$NS_A" "$IKE_B/hamgrd" -f -d \
	    -c "$HA_DIR/a/tandem.conf" -r "$HA_DIR/a/run"
	t_on_exit lab_stop "$LAB_PID"
}
IDS=$HA_PEER_IDS
round preempt b a preempt_a
grep -q "preempting: asking the master to hand" "$LAB_DIR/hamgrd-a.out" ||
    fail "A did not ask B for the group"
last=$(grep 'standby -> active' "$LAB_DIR/ikev2d-a.out" | tail -1)
[[ $last == *"(clean)"* ]] ||
    fail "A's preemption was not a clean handover: $last"
[[ $last == *" 0 rekey(s) scheduled"* ]] ||
    fail "A's preemption scheduled rekeys: $last"
info "A preempted B after preempt_delay by asking for a handover: clean," \
    "no rekeys"
exit 0
