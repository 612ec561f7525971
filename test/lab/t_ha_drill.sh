#!/bin/bash
# t_ha_drill -- `haadm drill` (issue 7, item 2) on the lab's live cluster:
# each kind passes on a healthy cluster, and a broken one FAILS with its
# reason.
#
#   lhost -- IVIP -- A | B -- VIP -- rtr -- peer (charon) -- rhost
#                     cl0 (corosync knet link 0; link 1 on up0)
#
# 1. The stack of ha-lib.sh on A (200) and B (100), preempt off; charon's
#    tunnel to the VIP; a ping every 10 ms from lhost to rhost throughout.
#    `haadm status` on A shows both nodes, their roles and equal digests.
# 2. `haadm drill --planned` on A: PASS, B MASTER, 0 renegotiations,
#    neither node's replay / integrity error counters rose;
#    then `drill --planned --back` on B (the human report): A takes the
#    group, B asks for it back (HAMSG_PULL through hamgrd): B MASTER.
# 3. `haadm drill --crash --max-outage 2s` on B: B's up0 and in0 go down
#    for 3 s (tracked, weight 0: B FAULT), A takes over by VRRP: PASS.
# 4. `haadm drill --link --link-if cl0` on A: corosync keeps the
#    membership over link 1, no role change: PASS.
# 5. SIGINT to a --link drill on A while cl0 is down: up again at once,
#    exit 2.
# 6. Refusal: a drill on the BACKUP says who the master is (exit 1).
# 7. Broken: B's syncd (the BACKUP's) SIGSTOPped, then `drill --crash`
#    on A: exit 1 with the reason -- either the gate sees replication
#    stalled (the kernel's counters move, the replicated ones do not) and
#    refuses, or B takes the group without a working syncd and the
#    drill FAILS (traffic does not resume).
# After each drill that passed, the ping gets through again.
# Figures: each drill's takeover and traffic gap, from its JSON.

set -eu
. "${BASH_SOURCE[0]%/*}/testlib.sh"
. "${BASH_SOURCE[0]%/*}/ike/ike-lib.sh"
. "${BASH_SOURCE[0]%/*}/ha/ha-lib.sh"
t_lab
ha_check_tools

t_on_exit '[ "$rc" = 0 ] || ha_dump'
for n in a b; do
	ns=$(ha_ns $n)
	t_on_exit "ip -n $ns link set $IF_UP up; ip -n $ns link set $IF_IN up;" \
	    "ip -n $ns link set $IF_CL up"
done
ha_setup
ike_charon_start

# drill NODE ARGS...: haadm drill --json on NODE (in its namespace, for
# the links); D_RC, D_OUT (stdout), D_ERR (stderr).
drill()
{
	local n=$1

	shift
	D_RC=0
	D_OUT=$(ip netns exec "$(ha_ns "$n")" "$IKE_B/haadm" \
	    -r "$(ha_run "$n")" drill -c "$HA_DIR/$n/tandem.conf" "$@" \
	    2> "$LAB_DIR/drill.err") || D_RC=$?
	D_ERR=$(cat "$LAB_DIR/drill.err")
}

# jfield NAME: the value of "NAME": in D_OUT (numbers, null, strings).
jfield()
{
	local re="\"$1\": (\"[^\"]*\"|[0-9a-z.-]+)"

	[[ $D_OUT =~ $re ]] || { echo "?"; return; }
	echo "${BASH_REMATCH[1]//\"/}"
}

figures()
{
	info "$1: $(jfield old_master) -> $(jfield new_master), takeover" \
	    "$(jfield takeover_ms) ms (decided $(jfield decided_ms) ms, active" \
	    "in $(jfield activation_ms) ms), traffic gap <=" \
	    "$(jfield traffic_gap_ms)" \
	    "ms (counters every $(jfield counter_sync_ms) ms), IKE kept" \
	    "$(jfield kept), renegotiations $(jfield renegotiations), rekeys" \
	    "$(jfield rekeys): $(jfield verdict)"
}

# links_up NODE: NODE's upstream, inside and cluster links are UP.
links_up()
{
	local ns i

	ns=$(ha_ns "$1")
	for i in "$IF_UP" "$IF_IN" "$IF_CL"; do
		ip -n "$ns" link show "$i" | grep -q 'state UP' || return 1
	done
}

healthy()
{
	ha_role_is "$1" MASTER && ha_role_is "$2" BACKUP && ha_sync_same
}

# flowing WHAT: the ping gets 50 more replies within 10 s.
flowing()
{
	local n

	n=$(grep -c 'bytes from' "$LAB_DIR/ping.out" || true)
	t_poll 10 replies $((n + 50)) || fail "$1: the ping does not get" \
	    "through (replies stuck at $n)"
}

# --- 1. both stacks, A master, the tunnel replicated, traffic ----------------
ha_start a 200
ha_start b 100
t_poll 30 ha_role_is a MASTER || fail "A did not become MASTER ($HA_ROLE)"
t_poll 10 ha_role_is b BACKUP || fail "B is not BACKUP ($HA_ROLE)"
t_poll 10 ha_ike_group_is a active || fail "ikev2d on A: vg1 '$HA_GROUP'"
out=$(ike_swanctl --initiate --child net --timeout 30 2>&1) ||
    { echo "$out"; fail "swanctl --initiate failed"; }
t_poll 10 ha_sync_same || fail "B's syncd does not hold A's SAs"
t_poll 10 eval 'ha_status a hamgrd; [ -n "${HST[members]:-}" ]' ||
    fail "A's hamgrd sees no other member"
lab_bg ping "$NS_LHOST" ping -n -i 0.01 -W 1 "$RHOST4"
t_on_exit lab_stop "$LAB_PID"
replies()
{
	[ "$(grep -c 'bytes from' "$LAB_DIR/ping.out" || true)" -ge "$1" ]
}
t_poll 20 replies 100 ||
    { tail -n 5 "$LAB_DIR/ping.out"; ip -n "$NS_A" -s xfrm state;
    ip -n "$NS_A" xfrm policy; fail "no traffic through the tunnel"; }
info "A MASTER, tunnel up and replicated, ping every 10 ms"

# The node table on A: both nodes by name, their roles, equal digests.
node_table()
{
	NT_OUT=$("$IKE_B/haadm" -r "$(ha_run a)" status 2>&1) || return 1
	grep -Eq '^[0-9]+\* +a +up +1 +1 .* self +vg1=MASTER$' <<< "$NT_OUT" &&
	    grep -Eq '^[0-9]+ +b +up +1 +1 .* yes +vg1=BACKUP$' <<< "$NT_OUT"
}
t_poll 10 node_table || fail "haadm status on A, node table: $NT_OUT"
info "haadm status on A: nodes a (vg1 MASTER) and b (vg1 BACKUP), 1 IKE /" \
    "1 Child SA each, b's digest equal to a's"

# B's copy of the replicated SAs, from A (digest equal) and on B itself.
spis()
{
	grep -o '"spi_in": "[0-9a-f]*"' <<< "$1" | sort | tr '\n' ' '
}
sa_a=$("$IKE_B/haadm" -r "$(ha_run a)" --json sas --node b 2>&1) ||
    fail "haadm sas --node b on A: exit $?: $sa_a"
sa_b=$("$IKE_B/haadm" -r "$(ha_run b)" --json sas --replica 2>&1) ||
    fail "haadm sas --replica on B: exit $?: $sa_b"
[ -n "$(spis "$sa_a")" ] && [ "$(spis "$sa_a")" = "$(spis "$sa_b")" ] ||
    fail "haadm sas --node b on A ($sa_a) is not B's replica ($sa_b)"
rc=0; out=$("$IKE_B/haadm" -r "$(ha_run a)" sas --node nosuch 2>&1) || rc=$?
[ "$rc" = 2 ] && grep -q 'no member named nosuch' <<< "$out" ||
    fail "haadm sas --node nosuch: exit $rc: $out"
info "haadm sas --node b on A: B's replica, the same Child SA" \
    "$(grep -o '[0-9a-f]\{8\}' <<< "$(spis "$sa_b")")"

# --- 2. planned on A -----------------------------------------------------------
drill a --planned --settle 2s --json
[ "$D_RC" = 0 ] || fail "planned drill: exit $D_RC: $D_OUT $D_ERR"
[[ $D_OUT == *'"verdict": "pass"'* ]] || fail "planned drill: $D_OUT"
[[ $D_OUT == *'"renegotiations": 0,'* ]] || fail "planned: renegotiated"
[[ $D_OUT == *'"new_master": "b"'* ]] || fail "planned: $D_OUT"
# Both nodes' replay / integrity counters, before and after, none rose.
re='"xfrm_errors": \[\{"node": [0-9]+, "name": "a", "self": true, "before": \{[^}]*\}, "after": \{[^}]*\}, "rose": false\}, \{"node": [0-9]+, "name": "b", "self": false, "before": \{[^}]*\}, "after": \{[^}]*\}, "rose": false\}\]'
[[ $D_OUT =~ $re ]] || fail "planned: xfrm errors of both nodes: $D_OUT"
figures planned
t_poll 20 healthy b a || fail "after the planned drill: not B MASTER, A" \
    "BACKUP, in sync"
flowing "after the planned drill"

# there and back, the human report
drill b --planned --back --settle 1s --max-outage 2s --max-renegotiations 0
[ "$D_RC" = 0 ] || fail "planned drill --back on B: exit $D_RC: $D_OUT $D_ERR"
[[ $D_OUT == *"drill planned, group vg1, on node b: PASS"* ]] ||
    fail "planned drill, human report: $D_OUT"
[[ $D_OUT == *"back            b MASTER again"* ]] ||
    fail "planned drill --back: $D_OUT"
[[ $D_OUT == *"  xfrm errors     "* ]] &&
    [[ $D_OUT == *" b (this node): InStateSeqError 0 -> 0,"* ]] &&
    [[ $D_OUT == *" a: InStateSeqError 0 -> 0,"* ]] ||
    fail "planned drill --back: xfrm errors of both nodes: $D_OUT"
while IFS= read -r line; do info "  $line"; done <<< "$D_OUT"
t_poll 20 healthy b a || fail "after the planned drill --back: not B MASTER"
flowing "after the planned drill --back"

# --- 3. crash on B ----------------------------------------------------------------
drill b --crash --down 3s --settle 2s --max-outage 2s --json
[ "$D_RC" = 0 ] || fail "crash drill: exit $D_RC: $D_OUT $D_ERR"
[[ $D_OUT == *'"new_master": "a"'* ]] || fail "crash: $D_OUT"
[[ $D_OUT == *'"lost": 0,'* ]] || fail "crash: IKE SAs lost: $D_OUT"
figures crash
t_poll 5 links_up b || fail "crash drill left B's links down"
# ... and what the kernel drops with a link: B's routes, its IPv6 address
ip -n "$NS_B" route show default | grep -q "via $RTR_UP4" ||
    fail "crash drill left B without its default route"
ip -n "$NS_B" -6 route show default | grep -q "via $RTR_UP6" ||
    fail "crash drill left B without its IPv6 default route"
ip -n "$NS_B" -6 addr show dev "$IF_UP" | grep -q "$B_UP6/" ||
    fail "crash drill left B without its IPv6 address on $IF_UP"
t_poll 20 healthy a b || fail "after the crash drill: not A MASTER, B" \
    "BACKUP, in sync"
flowing "after the crash drill"

# --- 4. cluster link cut on A: no role change ---------------------------------------
drill a --link --link-if "$IF_CL" --down 3s --settle 2s --json
[ "$D_RC" = 0 ] || fail "link drill: exit $D_RC: $D_OUT $D_ERR"
[[ $D_OUT == *'"new_master": "a"'* ]] || fail "link: $D_OUT"
figures link
t_poll 5 links_up a || fail "link drill left $IF_CL down on A"
t_poll 20 healthy a b || fail "after the link drill: not A MASTER, B BACKUP"
flowing "after the link drill"

# --- 5. SIGINT while A's cluster link is down: restored at once, exit 2 --------
is_down()
{
	ip -n "$NS_A" link show "$IF_CL" | grep -q 'state DOWN'
}
ip netns exec "$NS_A" "$IKE_B/haadm" -r "$(ha_run a)" drill \
    -c "$HA_DIR/a/tandem.conf" --link --link-if "$IF_CL" --down 30s \
    > "$LAB_DIR/drill-int.out" 2>&1 &
dpid=$!
t_poll 10 is_down || { kill "$dpid"; fail "interrupt: $IF_CL never went down"; }
lab_now
t_int=$LAB_NOW
kill -INT "$dpid"
rc_int=0
wait "$dpid" || rc_int=$?
lab_now
[ "$rc_int" = 2 ] || fail "interrupted drill: exit $rc_int:" \
    "$(cat "$LAB_DIR/drill-int.out")"
grep -q 'interrupted by signal 2; links restored' "$LAB_DIR/drill-int.out" ||
    fail "interrupted drill: $(cat "$LAB_DIR/drill-int.out")"
# Admin state at once; the operational state follows (linkwatch).
ip -n "$NS_A" link show "$IF_CL" | grep -q '<.*[<,]UP[,>]' ||
    fail "the interrupted drill left A's $IF_CL down"
t_poll 5 links_up a || fail "A's links did not come up again"
info "SIGINT: $IF_CL restored and haadm out in" \
    "$(( (LAB_NOW - t_int) / 1000 )) ms (exit 2)"
t_poll 20 healthy a b || fail "after the interrupted drill: not A MASTER," \
    "B BACKUP, in sync"
flowing "after the interrupted drill"

# --- 6. refusal on the backup ---------------------------------------------------------
drill b --planned
[ "$D_RC" = 1 ] || fail "drill on the BACKUP: exit $D_RC"
[[ $D_ERR == *"drill: run it on the master of vg1 (node a)"* ]] ||
    fail "drill on the BACKUP: '$D_ERR'"
info "on the BACKUP: $D_ERR"

# --- 7. broken: B's syncd frozen, crash on A --------------------------------------
pid=$(ha_pid syncd-b) || fail "no syncd-b"
kill -STOP "$pid"
t_on_exit "kill -CONT $pid"
drill a --crash --down 3s --settle 2s --max-outage 2s --json
kill -CONT "$pid"
[ "$D_RC" = 1 ] || fail "broken lab: the drill did not fail: exit $D_RC:" \
    "$D_OUT $D_ERR"
[[ $D_OUT$D_ERR == *'"verdict": "fail"'* ||
    $D_OUT$D_ERR == *'"verdict": "refused"'* ]] ||
    fail "broken lab: no verdict: $D_OUT $D_ERR"
reason=$(jfield reasons)
[[ $D_OUT =~ \"reasons\":\ \[([^]]*)\] ]] && reason=${BASH_REMATCH[1]}
[ -n "$reason" ] || fail "broken lab: FAIL without a reason: $D_OUT"
figures broken
info "broken lab (syncd on B stopped): FAIL: $reason"
t_poll 5 links_up a || fail "the failed drill left A's links down"
exit 0
