#!/bin/bash
# t_ike_dpd -- dead peer detection between ikev2d (node A) and strongSwan's
# charon (remote peer router), both ways, PSK, aes128gcm16-prfsha256-
# x25519 / aes128gcm16.  Needs UML (ESP).
#
#   lhost --br-in-- A (ikev2d) ==IKE/ESP==> rtr --> peer (charon) --rin0-- rhost
#   198.51.100.10   192.0.2.2                 203.0.113.2    198.51.100.130
#
# Both ends: dpd_delay 2 s, dpd_action clear, retransmit_timeout 1.0,
# retransmit_base 1.4, retransmit_tries 3: a liveness check that gets no
# answer is given up after 1.0 + 1.4 + 1.96 + 2.744 = 7.1 s (LAB-NOTES 5),
# so a dead peer is noticed within dpd_delay + 7.1 s = 9.1 s of its last
# word.  The bound asserted is that plus 3 s of slack (UML is slow to
# schedule), counted from the moment the peer is stopped.
#   1. ikev2d is frozen (SIGSTOP by its recorded PID): charon's DPD gives
#      up and removes its IKE SA, Child SA and kernel state.
#   2. charon is killed (SIGKILL by its recorded PID): ikev2d's DPD gives
#      up, logs it, and removes its SAs and node A's kernel state.

set -eu
. "${BASH_SOURCE[0]%/*}/testlib.sh"
. "${BASH_SOURCE[0]%/*}/ike/ike-lib.sh"
t_lab
ike_check_tools

DPD=2
BUDGET=7.1
LIMIT=$((DPD + 7 + 1 + 3))	# dpd_delay + ceil(7.1) + 3 s slack

t_on_exit "ip -n $NS_A xfrm state flush; ip -n $NS_A xfrm policy flush;" \
    "ip -n $NS_PEER xfrm state flush; ip -n $NS_PEER xfrm policy flush"
ike_setup
# charon: DPD on its connection
sed -i "s/^\(\t*\)mobike = no/&\n\1dpd_delay = ${DPD}s/" \
    "$IKE_PEER/swanctl.conf"
grep -q "dpd_delay = ${DPD}s" "$IKE_PEER/swanctl.conf" ||
    fail "could not set charon's dpd_delay"
ike_charon_start
t_on_exit '[ "$rc" = 0 ] || ike_dump'

# a_start: ikev2d with dpd_delay, initiating at start-up; both ends up.
a_start()
{
	START_ACTION=start CHILD_REKEY=1h CHILD_LIFE=66m
	export START_ACTION CHILD_REKEY CHILD_LIFE
	ike_render "$IKE_HERE/tandem.conf.in" "$IKE_A/tandem.conf"
	sed -i "s/^\(\t*\)encap = .*;/&\n\1dpd_delay = \"${DPD}s\";\n\1dpd_action = \"clear\";/" \
	    "$IKE_A/tandem.conf"
	grep -q "dpd_delay = \"${DPD}s\"" "$IKE_A/tandem.conf" ||
	    fail "could not set ikev2d's dpd_delay"
	rm -rf "$IKE_A/run"
	lab_bg ikev2d-a "$NS_A" "$IKE_B/ikev2d" -f -d -c "$IKE_A/tandem.conf" \
	    -r "$IKE_A/run"
	IKE_IKEV2D_PID=$LAB_PID
	t_on_exit "kill -CONT $IKE_IKEV2D_PID 2> /dev/null; lab_stop $IKE_IKEV2D_PID"
	t_poll 10 test -S "$IKE_A/run/ikev2d.sock" ||
	    { cat "$LAB_DIR/ikev2d-a.out"; fail "ikev2d did not start"; }
	t_poll 20 ike_peer_up || { echo "$IKE_SAS"; fail "$1: charon not up"; }
	t_poll 10 ike_status_is child_sas 1 || fail "$1: ikev2d not up"
	t_poll 5 ike_xfrm_count "$NS_A" 2 || fail "$1: node A has no ESP SAs"
	ike_ping 3 || fail "$1: no ping through the tunnel"
}

# --- 1. charon detects a frozen ikev2d -----------------------------------
a_start "1"
lab_now
t0=$LAB_NOW
kill -STOP "$IKE_IKEV2D_PID" || fail "could not SIGSTOP ikev2d"
t_poll "$LIMIT" ike_peer_down ||
    { echo "$IKE_SAS"; fail "1: charon still lists SAs ${LIMIT}s after" \
    "ikev2d was frozen"; }
lab_now
lab_secs "$t0" "$LAB_NOW"
t1=$LAB_SECS
t_poll 5 ike_xfrm_count "$NS_PEER" 0 ||
    fail "1: the peer still holds ${#IKE_SPIS[@]} ESP SAs"
grep -q "giving up after 3 retransmits" "$IKE_PEER/charon.log" ||
    fail "1: charon's log does not say it gave up on retransmits"
info "1: charon's DPD cleared its SAs ${t1}s after ikev2d was frozen" \
    "(bound ${LIMIT}s = dpd_delay ${DPD}s + retransmit budget ${BUDGET}s" \
    "+ slack)"
kill -CONT "$IKE_IKEV2D_PID"
ike_ikev2d_stop
ip -n "$NS_A" xfrm state flush
ip -n "$NS_A" xfrm policy flush

# --- 2. ikev2d detects a killed charon -----------------------------------
a_start "2"
lab_now
t0=$LAB_NOW
kill -KILL "$IKE_CHARON_PID" || fail "could not SIGKILL charon"
# a killed charon leaves its vici socket: later tests must not talk to it
t_on_exit rm -f "$IKE_PEER/charon.vici"
t_poll "$LIMIT" ike_xfrm_count "$NS_A" 0 ||
    fail "2: node A still holds ${#IKE_SPIS[@]} ESP SAs ${LIMIT}s after" \
    "charon was killed"
lab_now
lab_secs "$t0" "$LAB_NOW"
t2=$LAB_SECS
t_poll 3 ike_status_is ike_sas 0 ||
    fail "2: ikev2d still reports ike_sas=${IKE_ST[ike_sas]:-?}"
[ "${IKE_ST[child_sas]:-}" = 0 ] ||
    fail "2: ikev2d still reports child_sas=${IKE_ST[child_sas]}"
line=$(grep -iE "dpd|dead|gave up|giving up|timed out|timeout" \
    "$LAB_DIR/ikev2d-a.out" | tail -n 1)
[ -n "$line" ] || { tail -n 20 "$LAB_DIR/ikev2d-a.out";
    fail "2: ikev2d logged nothing about the dead peer"; }
info "2: ikev2d's DPD removed its SAs and node A's ESP state ${t2}s after" \
    "charon was killed (bound ${LIMIT}s)"
info "2: ikev2d: ${line#*ike }"
ike_ikev2d_stop
