#!/bin/bash
# t_ike_rekey -- Child SA and IKE SA rekeys between ikev2d on node A and
# strongSwan's charon on the peer router, with a ping running across each
# (aes128gcm16-prfsha256-x25519 / aes128gcm16, PSK).  Needs UML (ESP).
#
#   lhost --br-in-- A (ikev2d) ==IKE/ESP==> rtr --> peer (charon) --rin0-- rhost
#   198.51.100.10   192.0.2.2                 203.0.113.2    198.51.100.130
#   (namespaces $NS_LHOST, $NS_A, $NS_RTR, $NS_PEER, $NS_RHOST)
#
# A. ikev2d initiates; charon rekeys the Child SA (swanctl --rekey
#    --child), then the IKE SA (--rekey --ike): node A ends with two new
#    ESP SAs and none of the old, ikev2d with one IKE SA and one Child SA.
# B. ikev2d rekeys the Child SA itself (rekey_time 3 s): node A's SPIs
#    change, and charon still lists one installed Child SA.
# In both the ping from the local host to the remote host that runs
# across the rekeys loses at most one echo.
# D. ikev2d rekeys on the operator's command, on A's SAs: `haadm rekey
#    child UID`, then `haadm rekey ike UID`, a ping running across both
#    (at most one echo lost per rekey; the count is printed).
# E. DELETE from ikev2d (`haadm delete child UID`, then `haadm delete ike
#    UID`) and a Child DELETE from charon (swanctl --terminate --child):
#    each removes the ESP state on both ends.
# C. The Child SA's hard lifetime (life_time 3 s, no rekey): ikev2d
#    deletes it (INFORMATIONAL with D): node A and charon both drop it,
#    the IKE SA stays.

set -eu
. "${BASH_SOURCE[0]%/*}/testlib.sh"
. "${BASH_SOURCE[0]%/*}/ike/ike-lib.sh"
t_lab
ike_check_tools

t_on_exit "ip -n $NS_A xfrm state flush; ip -n $NS_A xfrm policy flush;" \
    "ip -n $NS_PEER xfrm state flush; ip -n $NS_PEER xfrm policy flush"
ike_setup
ike_charon_start
t_on_exit '[ "$rc" = 0 ] || ike_dump'

# up WHO: both ends have the SAs; OLD_SPIS = node A's SPIs.
up()
{
	t_poll 20 ike_peer_up || { echo "$IKE_SAS"; fail "$1: charon not up"; }
	t_poll 10 ike_status_is child_sas 1 || fail "$1: ikev2d not up"
	t_poll 5 ike_xfrm_count "$NS_A" 2 ||
	    fail "$1: node A holds ${#IKE_SPIS[@]} ESP SAs, want 2"
	OLD_SPIS=" ${IKE_SPIS[*]} "
}

# rekeyed: node A holds two SAs, neither of them in OLD_SPIS.
rekeyed()
{
	local spi

	ike_xfrm_count "$NS_A" 2 || return 1
	for spi in "${IKE_SPIS[@]}"; do
		[[ $OLD_SPIS != *" $spi "* ]] || return 1
	done
}

# ike_rekeyed: charon's IKE SA line (it names the SPIs) is not ike_old.
ike_rekeyed()
{
	ike_peer_sas
	[ "${IKE_SAS%%$'\n'*}" != "$ike_old" ] &&
	    [[ $IKE_SAS == *ESTABLISHED* ]]
}

# ping_start N: N pings 0.2 s apart in the background.
ping_start()
{
	ip netns exec "$NS_LHOST" ping -n -c "$1" -i 0.2 -W 1 "$RHOST4" \
	    > "$IKE_DIR/ping.out" 2>&1 &
	PING_PID=$!
}
PING_PID=
t_on_exit '[ -z "$PING_PID" ] || kill "$PING_PID" 2> /dev/null'
t_on_exit '[ -z "$IKE_PING_PID" ] || kill "$IKE_PING_PID" 2> /dev/null'


# ping_check WHO: wait for the ping; at most one echo lost.
ping_check()
{
	local out sent recv

	wait "$PING_PID" || true
	PING_PID=
	out=$(< "$IKE_DIR/ping.out")
	[[ $out =~ ([0-9]+)\ packets\ transmitted,\ ([0-9]+)\ received ]] ||
	    { echo "$out"; fail "$1: no ping statistics"; }
	sent=${BASH_REMATCH[1]} recv=${BASH_REMATCH[2]}
	[ "$recv" -ge $((sent - 1)) ] ||
	    { echo "$out"; fail "$1: ping lost $((sent - recv)) of $sent"; }
	info "$1: ping across the rekeys: $recv of $sent answered"
}

# --- A. charon rekeys --------------------------------------------------
ike_ikev2d_start start
up "A"
ping_start 30
sleep 1
ike_peer_sas
ike_old=${IKE_SAS%%$'\n'*}
lab_now
t0=$LAB_NOW
ike_swanctl --rekey --child net > /dev/null 2>&1 ||
    fail "swanctl --rekey --child failed"
t_poll 10 rekeyed || fail "charon's Child rekey: node A SPIs" \
    "${IKE_SPIS[*]:-none}, old$OLD_SPIS"
lab_now
lab_secs "$t0" "$LAB_NOW"
info "A: Child rekey by charon: node A has new SAs ${IKE_SPIS[*]}" \
    "after ${LAB_SECS}s"
OLD_SPIS=" ${IKE_SPIS[*]} "
ike_swanctl --rekey --ike a > /dev/null 2>&1 ||
    fail "swanctl --rekey --ike failed"
t_poll 10 ike_rekeyed ||
    { echo "$IKE_SAS"; fail "charon's IKE rekey did not complete"; }
t_poll 5 ike_status_is ike_sas 1 ||
    fail "after IKE rekey ikev2d reports ike_sas=${IKE_ST[ike_sas]:-?}"
[ "${IKE_ST[child_sas]:-}" = 1 ] ||
    fail "after IKE rekey ikev2d reports child_sas=${IKE_ST[child_sas]:-?}"
ike_xfrm_count "$NS_A" 2 || fail "after IKE rekey node A holds" \
    "${#IKE_SPIS[@]} ESP SAs"
info "A: IKE rekey by charon: ikev2d holds 1 IKE SA, 1 Child SA"
ping_check "A"

# --- D. ikev2d rekeys on the operator's command (haadm rekey) ----------
ike_uid child || fail "D: haadm sas lists no Child SA"
child_uid=$IKE_UID
ike_uid ike || fail "D: haadm sas lists no IKE SA"
ike_uid_old=$IKE_UID
OLD_SPIS=" ${IKE_SPIS[*]} "
ike_ping_start 25
sleep 0.6
lab_now
t0=$LAB_NOW
ike_haadm rekey child "$child_uid"
t_poll 10 rekeyed || fail "D: ikev2d's Child rekey (haadm rekey child" \
    "$child_uid): node A SPIs ${IKE_SPIS[*]:-none}, old$OLD_SPIS"
lab_now
lab_secs "$t0" "$LAB_NOW"
info "D: Child rekey by ikev2d (haadm rekey child $child_uid): node A" \
    "has new SAs ${IKE_SPIS[*]} after ${LAB_SECS}s"
t_poll 5 ike_status_is child_sas 1 ||
    fail "D: after the Child rekey ikev2d reports" \
    "child_sas=${IKE_ST[child_sas]:-?}"
sleep 1
ike_peer_sas
ike_old=${IKE_SAS%%$'\n'*}
lab_now
t0=$LAB_NOW
ike_haadm rekey ike "$ike_uid_old"
t_poll 10 ike_rekeyed ||
    { echo "$IKE_SAS"; fail "D: ikev2d's IKE rekey did not complete"; }
t_poll 5 eval 'ike_uid ike && [ "$IKE_UID" != "$ike_uid_old" ]' ||
    fail "D: ikev2d still lists IKE SA $ike_uid_old"
t_poll 5 ike_status_is ike_sas 1 ||
    fail "D: after the IKE rekey ikev2d reports ike_sas=${IKE_ST[ike_sas]:-?}"
[ "${IKE_ST[child_sas]:-}" = 1 ] ||
    fail "D: after the IKE rekey ikev2d reports child_sas=${IKE_ST[child_sas]:-?}"
ike_xfrm_count "$NS_A" 2 || fail "D: after the IKE rekey node A holds" \
    "${#IKE_SPIS[@]} ESP SAs"
lab_now
lab_secs "$t0" "$LAB_NOW"
info "D: IKE rekey by ikev2d (haadm rekey ike $ike_uid_old): new IKE SA" \
    "$IKE_UID after ${LAB_SECS}s, Child SA kept"
# one echo may be lost per rekey: two rekeys
ike_ping_check "D" 2
info "D: ping across ikev2d's Child and IKE rekeys: $PING_LOST of" \
    "$PING_SENT echoes lost"

# --- E. DELETE from ikev2d (haadm delete) ------------------------------
ike_uid child || fail "E: haadm sas lists no Child SA"
lab_now
t0=$LAB_NOW
ike_haadm delete child "$IKE_UID"
t_poll 10 ike_xfrm_count "$NS_A" 0 ||
    fail "E: node A holds ${#IKE_SPIS[@]} ESP SAs after haadm delete child"
t_poll 10 ike_xfrm_count "$NS_PEER" 0 ||
    fail "E: the peer holds ${#IKE_SPIS[@]} ESP SAs after the Child DELETE"
t_poll 5 eval 'ike_peer_sas; [[ $IKE_SAS != *INSTALLED* ]]' ||
    { echo "$IKE_SAS"; fail "E: charon still has the Child SA"; }
[[ $IKE_SAS == *ESTABLISHED* ]] || fail "E: charon lost the IKE SA too"
t_poll 5 ike_status_is child_sas 0 ||
    fail "E: ikev2d reports child_sas=${IKE_ST[child_sas]:-?}"
lab_now
lab_secs "$t0" "$LAB_NOW"
info "E: Child DELETE from ikev2d: ESP state gone on both ends after" \
    "${LAB_SECS}s, IKE SA kept"
ike_uid ike || fail "E: haadm sas lists no IKE SA"
lab_now
t0=$LAB_NOW
ike_haadm delete ike "$IKE_UID"
t_poll 10 ike_peer_down || { echo "$IKE_SAS"; fail "E: charon still" \
    "lists SAs after haadm delete ike"; }
t_poll 5 ike_status_is ike_sas 0 ||
    fail "E: ikev2d reports ike_sas=${IKE_ST[ike_sas]:-?}"
lab_now
lab_secs "$t0" "$LAB_NOW"
info "E: IKE DELETE from ikev2d: both ends clean after ${LAB_SECS}s"
# unknown uid: haadm fails with a reason
if out=$("$IKE_B/haadm" -r "$IKE_A/run" delete ike 4000000 2>&1); then
	fail "E: haadm delete of an unknown SA succeeded: $out"
fi
[[ $out == *"no such SA"* ]] || fail "E: haadm's error names no reason: $out"

# a new Child SA, for the DELETE from charon
ike_swanctl --initiate --child net --timeout 20 > /dev/null 2>&1 ||
    fail "E: swanctl --initiate after the DELETEs failed"
t_poll 10 ike_xfrm_count "$NS_A" 2 || fail "E: not up again"
ike_swanctl --terminate --child net --timeout 10 > /dev/null 2>&1 ||
    fail "E: swanctl --terminate --child failed"
t_poll 10 ike_xfrm_count "$NS_A" 0 ||
    fail "E: node A holds ${#IKE_SPIS[@]} ESP SAs after charon's Child DELETE"
t_poll 5 ike_xfrm_count "$NS_PEER" 0 ||
    fail "E: the peer holds ${#IKE_SPIS[@]} ESP SAs after its Child DELETE"
t_poll 5 ike_status_is child_sas 0 ||
    fail "E: ikev2d reports child_sas=${IKE_ST[child_sas]:-?}"
info "E: Child DELETE from charon: ESP state gone on both ends"
ike_swanctl --terminate --ike a --timeout 10 > /dev/null 2>&1 || true
t_poll 10 ike_status_is ike_sas 0 || fail "E: IKE SA left"
ike_ikev2d_stop

# --- B. ikev2d rekeys the Child SA -------------------------------------
CHILD_REKEY=3s CHILD_LIFE=60s ike_ikev2d_start start
up "B"
ping_start 30
lab_now
t0=$LAB_NOW
t_poll 15 rekeyed || fail "ikev2d's Child rekey: node A SPIs" \
    "${IKE_SPIS[*]:-none}, old$OLD_SPIS"
lab_now
lab_secs "$t0" "$LAB_NOW"
t_poll 5 ike_peer_up || fail "B: charon lost the SAs after the rekey"
info "B: Child rekey by ikev2d (rekey_time 3 s): node A has new SAs" \
    "${IKE_SPIS[*]} ${LAB_SECS}s after it was up"
ping_check "B"
ike_swanctl --terminate --ike a --timeout 10 > /dev/null 2>&1 || true
t_poll 10 ike_xfrm_count "$NS_A" 0 || fail "B: SAs left after DELETE"
ike_ikev2d_stop

# --- C. the Child SA's hard lifetime: ikev2d deletes it ----------------
CHILD_REKEY=0 CHILD_LIFE=3s ike_ikev2d_start start
up "C"
lab_now
t0=$LAB_NOW
t_poll 15 ike_xfrm_count "$NS_A" 0 ||
    fail "C: node A still holds ${#IKE_SPIS[@]} ESP SAs after life_time"
t_poll 5 eval 'ike_peer_sas; [[ $IKE_SAS != *INSTALLED* ]]' ||
    { echo "$IKE_SAS"; fail "C: charon still has the Child SA"; }
[[ $IKE_SAS == *ESTABLISHED* ]] || fail "C: charon lost the IKE SA too"
t_poll 5 ike_status_is child_sas 0 ||
    fail "C: ikev2d reports child_sas=${IKE_ST[child_sas]:-?}"
lab_now
lab_secs "$t0" "$LAB_NOW"
info "C: Child SA deleted by ikev2d at its hard lifetime (3 s): both" \
    "ends clean ${LAB_SECS}s after it was up, IKE SA kept"
ike_swanctl --terminate --ike a --timeout 10 > /dev/null 2>&1 || true
ike_ikev2d_stop
