#!/bin/bash
# t_ike_natt -- NAT-T between ikev2d on node A and strongSwan's charon on
# the peer router, without a NAT: one side forces UDP encapsulation (a
# NAT_DETECTION_SOURCE_IP that cannot match), both float IKE to UDP 4500
# from IKE_AUTH on and carry ESP in UDP 4500 (RFC 3948).  PSK,
# aes128gcm16-prfsha256-x25519 / aes128gcm16.  Needs UML (ESP).
#
#   lhost --br-in-- A (ikev2d) ==IKE+ESP in UDP 4500==> rtr --> peer (charon) --rin0-- rhost
#   198.51.100.10   192.0.2.2                            203.0.113.2    198.51.100.130
#   (namespaces $NS_LHOST, $NS_A, $NS_RTR, $NS_PEER, $NS_RHOST)
#
# Three cases, each asserted the same way: charon lists the IKE SA on
# [4500] and the Child SA as TUNNEL-in-UDP, node A's two ESP SAs are
# "encap type espinudp sport 4500 dport 4500", a ping from the local host
# to the remote host passes and every ESP SA on both ends counted it;
# then a DELETE from charon empties node A.
#   1. charon (encap = yes) initiates, ikev2d responds -- the responder
#      must follow the initiator to 4500 (the bug this test was made for);
#   2. ikev2d initiates, charon (encap = yes) responds;
#   3. ikev2d (encap = true) initiates, charon (encap = no) responds.
# Figures are printed as "# " lines.

set -eu
. "${BASH_SOURCE[0]%/*}/testlib.sh"
. "${BASH_SOURCE[0]%/*}/ike/ike-lib.sh"
t_lab
ike_check_tools

PINGS=5

t_on_exit "ip -n $NS_A xfrm state flush; ip -n $NS_A xfrm policy flush;" \
    "ip -n $NS_PEER xfrm state flush; ip -n $NS_PEER xfrm policy flush"
ike_setup
ike_charon_start
t_on_exit '[ "$rc" = 0 ] || ike_dump'

# encap_count NS: ENCAP = how many states of NS are ESP in UDP 4500/4500.
encap_count()
{
	ENCAP=$(ip -n "$1" xfrm state | grep -c \
	    'encap type espinudp sport 4500 dport 4500') || true
}

# assert_natt WHO
assert_natt()
{
	t_poll 20 ike_peer_up || { echo "$IKE_SAS"; fail "$1: charon not up"; }
	t_poll 10 ike_status_is child_sas 1 ||
	    fail "$1: ikev2d reports child_sas=${IKE_ST[child_sas]:-?}"
	[[ $IKE_SAS == *"$A_UP4[4500]"* ]] ||
	    { echo "$IKE_SAS"; fail "$1: charon's IKE SA is not on 4500"; }
	[[ $IKE_SAS == *TUNNEL-in-UDP* ]] ||
	    { echo "$IKE_SAS"; fail "$1: charon's Child SA is not in UDP"; }
	ike_xfrm_count "$NS_A" 2 ||
	    fail "$1: node A holds ${#IKE_SPIS[@]} ESP SAs, want 2"
	encap_count "$NS_A"
	[ "$ENCAP" = 2 ] || { ip -n "$NS_A" xfrm state;
	    fail "$1: $ENCAP of node A's ESP SAs in UDP 4500, want 2"; }
	ike_ping "$PINGS" || fail "$1: ping $RHOST4 through the tunnel failed"
	ike_assert_esp "$NS_A" "$PINGS"
	A_PKTS=
	for spi in "${IKE_SPIS[@]}"; do
		A_PKTS+="${A_PKTS:+, }$spi ${IKE_PKTS[$spi]}"
	done
	ike_assert_esp "$NS_PEER" "$PINGS"
	info "$1: IKE and ESP on UDP 4500; ping rtt min/avg/max/mdev" \
	    "$IKE_RTT ms, $IKE_LOSS; node A ESP-in-UDP packets: $A_PKTS"
}

# assert_deleted WHO: a DELETE from charon empties node A.
assert_deleted()
{
	ike_swanctl --terminate --ike a --timeout 10 > /dev/null 2>&1 ||
	    fail "$1: swanctl --terminate failed"
	t_poll 10 ike_xfrm_count "$NS_A" 0 ||
	    fail "$1: node A still holds ${#IKE_SPIS[@]} ESP SAs after DELETE"
	t_poll 5 ike_status_is ike_sas 0 ||
	    fail "$1: ikev2d still reports ike_sas=${IKE_ST[ike_sas]:-?}"
}

# --- 1. charon (encap = yes) initiates ----------------------------------
PEER_ENCAP=yes A_ENCAP=false
ike_proposals "$IKE_PROPOSAL" "$ESP_PROPOSAL"
ike_ikev2d_start none
lab_now
t0=$LAB_NOW
out=$(ike_swanctl --initiate --child net --timeout 20 2>&1) ||
    { echo "$out"; fail "charon -> ikev2d (encap): swanctl --initiate failed"; }
lab_now
lab_secs "$t0" "$LAB_NOW"
info "charon (encap = yes) -> ikev2d: IKE and Child SA up in ${LAB_SECS}s"
assert_natt "charon (encap) -> ikev2d"
grep -q 'endpoints .* now .*:4500 -> .*:4500 (NAT-T' "$LAB_DIR/ikev2d-a.out" ||
    fail "ikev2d did not log the float to 4500"
assert_deleted "charon (encap) -> ikev2d"
ike_ikev2d_stop

# --- 2. ikev2d initiates, charon (encap = yes) responds ------------------
ike_ikev2d_start start
t_poll 20 ike_peer_up ||
    { echo "$IKE_SAS"; fail "ikev2d -> charon (encap): charon not up"; }
assert_natt "ikev2d -> charon (encap)"
assert_deleted "ikev2d -> charon (encap)"
ike_ikev2d_stop

# --- 3. ikev2d (encap = true) initiates, charon (encap = no) -------------
PEER_ENCAP=no A_ENCAP=true
ike_proposals "$IKE_PROPOSAL" "$ESP_PROPOSAL"
ike_ikev2d_start start
t_poll 20 ike_peer_up ||
    { echo "$IKE_SAS"; fail "ikev2d (encap) -> charon: charon not up"; }
assert_natt "ikev2d (encap) -> charon"
assert_deleted "ikev2d (encap) -> charon"
ike_ikev2d_stop
