#!/bin/bash
# t_ike_strongswan -- ikev2d on node A against strongSwan's charon on the
# remote peer router, PSK, tunnel 198.51.100.0/25 <-> 198.51.100.128/25,
# proposals aes128gcm16-prfsha256-x25519 / aes128gcm16, aes256-sha256-
# modp2048 / aes256-sha256 (CBC + HMAC) and chacha20poly1305-prfsha256-
# x25519 / chacha20poly1305 (LAB_IKE_PROPOSALS="IKE/ESP ..." overrides).
# Needs UML (ESP).
#
#   lhost --br-in-- A (ikev2d) ==IKE/ESP==> rtr --> peer (charon) --rin0-- rhost
#   198.51.100.10   192.0.2.2                 203.0.113.2    198.51.100.130
#   (namespaces $NS_LHOST, $NS_A, $NS_RTR, $NS_PEER, $NS_RHOST)
#
# Two cases, each asserted the same way: both ends hold the IKE SA and
# the Child SA (swanctl --list-sas, ikev2d's status, haadm sas), node A's
# kernel holds the two ESP SAs ikev2d installed, a ping from the local host to
# the remote host passes (the upstream router has no route between the
# protected subnets: only ESP carries it) and every ESP SA on both ends
# counted it; then a DELETE from charon removes both ends' state.
#   1. charon initiates, ikev2d responds (start_action = none), once per
#      proposal pair;
#   2. ikev2d initiates at start-up (start_action = start);
#   3. start_action = trap: a ping from the local host makes the kernel
#      acquire and ikev2d initiate; after a DELETE the trap is back.
# Figures (time to establish, ping RTT, packets) are printed as "# " lines.

set -eu
. "${BASH_SOURCE[0]%/*}/testlib.sh"
. "${BASH_SOURCE[0]%/*}/ike/ike-lib.sh"
t_lab
ike_check_tools

PINGS=5
# IKE/ESP proposal pairs of case 1 (case 2 uses the first).
PROPOSALS=${LAB_IKE_PROPOSALS:-"aes128gcm16-prfsha256-x25519/aes128gcm16
    aes256-sha256-modp2048/aes256-sha256
    chacha20poly1305-prfsha256-x25519/chacha20poly1305"}

# ikev2d leaves its SAs in the kernel when it stops (for a standby):
# leave node A and the peer as clean as we found them.
t_on_exit "ip -n $NS_A xfrm state flush; ip -n $NS_A xfrm policy flush;" \
    "ip -n $NS_PEER xfrm state flush; ip -n $NS_PEER xfrm policy flush"
ike_setup
ike_charon_start
t_on_exit '[ "$rc" = 0 ] || ike_dump'

# assert_up WHO: both ends established, kernel state, traffic through ESP.
assert_up()
{
	t_poll 10 ike_peer_up || { echo "$IKE_SAS"; fail "$1: charon not up"; }
	t_poll 10 ike_status_is child_sas 1 ||
	    fail "$1: ikev2d reports child_sas=${IKE_ST[child_sas]:-?}"
	[ "${IKE_ST[ike_sas]:-}" = 1 ] ||
	    fail "$1: ikev2d reports ike_sas=${IKE_ST[ike_sas]:-?}"
	ike_xfrm_count "$NS_A" 2 ||
	    fail "$1: node A holds ${#IKE_SPIS[@]} ESP SAs, want 2"
	# The operator's view (ctl.c through the edge's request hook).
	sas=$("$IKE_B/haadm" -r "$IKE_A/run" sas 2>&1) ||
	    { echo "$sas"; fail "$1: haadm sas failed"; }
	[[ $sas == *"$PEER_NET4"* ]] && [[ $sas == *"${IKE_SPIS[0]#0x}"* ]] ||
	    { echo "$sas"; fail "$1: haadm sas does not show the SAs"; }
	ike_ping "$PINGS" || fail "$1: ping $RHOST4 through the tunnel failed"
	ike_assert_esp "$NS_A" "$PINGS"
	A_PKTS=
	for spi in "${IKE_SPIS[@]}"; do
		A_PKTS+="${A_PKTS:+, }$spi ${IKE_PKTS[$spi]}"
	done
	ike_assert_esp "$NS_PEER" "$PINGS"
	# haadm sas reads the same counters from the kernel (GETSA).
	sas=$("$IKE_B/haadm" -r "$IKE_A/run" --json sas) ||
	    fail "$1: haadm --json sas failed"
	for col in packets_in packets_out; do
		n=$(grep -o "\"$col\": \"[0-9]*\"" <<< "$sas" | grep -o '[0-9]*')
		[ "${n:-0}" -ge "$PINGS" ] ||
		    { echo "$sas"; fail "$1: haadm sas $col=${n:-none}, want >= $PINGS"; }
	done
	info "$1: haadm sas counts $n packets out"
	info "$1: ping rtt min/avg/max/mdev $IKE_RTT ms, $IKE_LOSS;" \
	    "node A ESP packets: $A_PKTS"
}

# assert_deleted WHO: a DELETE from charon empties node A.
assert_deleted()
{
	local t0

	lab_now
	t0=$LAB_NOW
	ike_swanctl --terminate --ike a --timeout 10 > /dev/null 2>&1 ||
	    fail "$1: swanctl --terminate failed"
	t_poll 10 ike_xfrm_count "$NS_A" 0 ||
	    fail "$1: node A still holds ${#IKE_SPIS[@]} ESP SAs after DELETE"
	t_poll 5 ike_status_is ike_sas 0 ||
	    fail "$1: ikev2d still reports ike_sas=${IKE_ST[ike_sas]:-?}"
	ike_peer_down || fail "$1: charon still lists SAs"
	lab_now
	lab_secs "$t0" "$LAB_NOW"
	info "$1: DELETE from charon: both ends clean after ${LAB_SECS}s"
}

# --- 1. charon initiates, once per proposal pair ------------------------
for pair in $PROPOSALS; do
	ike_proposals "${pair%/*}" "${pair#*/}"
	ike_ikev2d_start none
	lab_now
	t0=$LAB_NOW
	out=$(ike_swanctl --initiate --child net --timeout 20 2>&1) ||
	    { echo "$out"; fail "charon -> ikev2d ($pair): swanctl --initiate" \
	    "failed"; }
	lab_now
	lab_secs "$t0" "$LAB_NOW"
	info "charon -> ikev2d ($IKE_PROPOSAL, $ESP_PROPOSAL): IKE and Child" \
	    "SA up in ${LAB_SECS}s (swanctl --initiate)"
	assert_up "charon -> ikev2d ($ESP_PROPOSAL)"
	assert_deleted "charon -> ikev2d ($ESP_PROPOSAL)"
	ike_ikev2d_stop
done

# --- 2. ikev2d initiates -----------------------------------------------
read -r -a pairs <<< "${PROPOSALS//$'\n'/ }"
pair=${pairs[0]}
ike_proposals "${pair%/*}" "${pair#*/}"
lab_now
t0=$LAB_NOW
ike_ikev2d_start start
t_poll 20 ike_peer_up ||
    { echo "$IKE_SAS"; fail "ikev2d -> charon: charon not up"; }
lab_now
lab_secs "$t0" "$LAB_NOW"
info "ikev2d -> charon: charon lists the SAs ${LAB_SECS}s after ikev2d" \
    "was started"
assert_up "ikev2d -> charon"
assert_deleted "ikev2d -> charon"
ike_ikev2d_stop

# --- 3. start_action = trap: traffic brings the tunnel up ----------------
ike_ikev2d_start trap
t_poll 5 test "$(ip -n "$NS_A" xfrm policy | grep -c 'dir out')" -ge 1 ||
    { ip -n "$NS_A" xfrm policy; fail "trap: no trap policy on node A"; }
ike_peer_down || fail "trap: charon has SAs before any traffic"
lab_now
t0=$LAB_NOW
# The first packets wait for the SA (the kernel acquires, ikev2d
# initiates); some may be lost.
ip netns exec "$NS_LHOST" ping -n -c 3 -i 0.3 -w 5 "$RHOST4" > /dev/null 2>&1 ||
    true
t_poll 20 ike_peer_up || { echo "$IKE_SAS"; fail "trap: charon not up"; }
lab_now
lab_secs "$t0" "$LAB_NOW"
info "trap: a ping from lhost brought the tunnel up in ${LAB_SECS}s"
assert_up "trap"
assert_deleted "trap"
# the trap stays after the DELETE: traffic brings it up again
ip -n "$NS_A" xfrm policy | grep -q 'dir out' ||
    fail "trap: the trap policy went with the Child SA"
ip netns exec "$NS_LHOST" ping -n -c 3 -i 0.3 -w 5 "$RHOST4" > /dev/null 2>&1 ||
    true
t_poll 20 ike_peer_up || { echo "$IKE_SAS"; fail "trap: not up again"; }
info "trap: up again after the DELETE, on the next packets"
ike_ikev2d_stop
