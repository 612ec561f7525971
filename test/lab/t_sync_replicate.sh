#!/bin/bash
# t_sync_replicate -- node A's SAs reach node B's syncd, and node A's IKE
# responses wait for node B (write-ahead, DESIGN guarantee 3).  Needs UML
# (ikev2d installs ESP SAs).
#
#   peer (charon) ==IKE==> A: ikev2d --syncd-ike.sock--> syncd A
#                                                          || CPG (knet)
#                                                        syncd B
#
# 1. syncd on A and B see each other (2 members each); ikev2d on A
#    connects to its syncd (sync_mode on).
# 2. charon initiates: both syncds hold 1 IKE SA and 1 Child SA with the
#    same digest (keys included) -- timed.
# 2b. 20 pings through the tunnel: A's syncd hears the kernel's XFRM
#    async events, replicates inbound replay tops (CTR) and fences the
#    outbound SA at its first lease (t_sync_lease crosses leases); B's
#    counters equal A's.
# 3. Write-ahead: B's syncd is stopped (SIGSTOP); charon rekeys the Child
#    SA; ikev2d must NOT answer (its CREATE_CHILD_SA response is queued
#    and its event unacknowledged) for 3 s, and the new Child SA is not
#    in A's kernel either (kernel installs wait for the same commit);
#    SIGCONT to B: the SA is installed, the response goes out, the rekey
#    completes, and A and B agree again -- timed.
# 3b. Again with B's syncd stopped, but now corosync on B is stopped: the
#    configuration change that removes B releases A's response; corosync
#    on B starts again, B's syncd (continued) rejoins and resyncs.
# 4. Restart B's syncd: bulk resync from A makes B identical again.
# 5. Issue 7's node view and resync: `haadm --json status` on A lists
#    both nodes (STATS) with A's SA counts and B's digest equal to A's;
#    `haadm resync` on B re-fetches A's database and ends with equal
#    digests (exit 0); with A's syncd gone, B alone is refused (exit 2).

set -eu
. "${BASH_SOURCE[0]%/*}/testlib.sh"
. "${BASH_SOURCE[0]%/*}/ike/ike-lib.sh"
. "${BASH_SOURCE[0]%/*}/sync/sync-lib.sh"
t_lab
ike_check_tools
[ -x "$IKE_B/syncd" ] || skip "no $IKE_B/syncd"

t_on_exit "ip -n $NS_A xfrm state flush; ip -n $NS_A xfrm policy flush;" \
    "ip -n $NS_PEER xfrm state flush; ip -n $NS_PEER xfrm policy flush"
t_on_exit '[ "$rc" = 0 ] || { ike_dump; sync_dump; }'
ike_setup
ike_charon_start

# --- 1. two syncds, one ikev2d ---------------------------------------------
ike_ikev2d_start none
sync_start a
sync_start b
t_poll 30 sync_members a 2 || fail "syncd A does not see B"
t_poll 30 sync_members b 2 || fail "syncd B does not see A"
t_poll 10 ike_status_is sync_mode on || fail "ikev2d not connected to syncd"
info "syncd A and B in one CPG group; ikev2d on A connected"

# --- 2. replication ---------------------------------------------------------
lab_now
t0=$LAB_NOW
out=$(ike_swanctl --initiate --child net --timeout 30 2>&1) ||
    { echo "$out"; fail "swanctl --initiate failed"; }
lab_now
t1=$LAB_NOW
t_poll 10 sync_same 1 1 || fail "B's syncd does not hold A's SAs"
lab_now
lab_secs "$t0" "$t1"
est=$LAB_SECS
lab_secs "$t1" "$LAB_NOW"
info "established in ${est}s with write-ahead; B identical ${LAB_SECS}s" \
    "later (digest ${SYNC_DIGEST:0:16}...)"
ike_status
[ "${IKE_ST[sync_acked_seq]:-0}" -ge 2 ] ||
    fail "ikev2d: acked seq ${IKE_ST[sync_acked_seq]:-?}, want >= 2"
[ "${IKE_ST[sync_acked_seq]}" = "${IKE_ST[sync_last_seq]}" ] ||
    fail "ikev2d: not every event acknowledged"
# the write-ahead wait is measured per committed event
[ "${IKE_ST[sync_commit_n]:-0}" -ge 2 ] &&
    [ "${IKE_ST[sync_commit_p99_us]:-0}" -ge "${IKE_ST[sync_commit_p50_us]:-1}" ] &&
    [ "${IKE_ST[sync_commit_max_us]:-0}" -gt 0 ] ||
    fail "ikev2d: write-ahead wait not measured (n ${IKE_ST[sync_commit_n]:-?}," \
    "p50 ${IKE_ST[sync_commit_p50_us]:-?} p99 ${IKE_ST[sync_commit_p99_us]:-?})"
info "write-ahead: ${IKE_ST[sync_commit_n]} events, commit p50" \
    "${IKE_ST[sync_commit_p50_us]} us, p99 ${IKE_ST[sync_commit_p99_us]} us"

# --- 2b. ESP counters: traffic makes A's kernel report, A replicates ------------
ike_ping 20 || fail "ping through the tunnel failed"
sa_ctr_seen()
{
	sync_status a
	# The first lease rides in the CHILD_UP: fenced, no extension yet.
	[ "${SST[ctr_in_records]:-0}" -ge 1 ] &&
	    [ "${SST[ctr_fences_programmed]:-0}" -ge 1 ]
}
t_poll 10 sa_ctr_seen || fail "no counter records / lease fence on A" \
    "(aevents ${SST[ctr_aevents]:-?}, in ${SST[ctr_in_records]:-?}," \
    "fences ${SST[ctr_fences_programmed]:-?})"
full_same()
{
	local fa

	sync_status a
	fa=${SST[digest_full]:-x}
	sync_status b
	[ "${SST[digest_full]:-y}" = "$fa" ]
}
t_poll 10 full_same || fail "A and B differ in their counters (digest_full)"
sync_status a
# The node view on A: both nodes, B's figures equal to A's.
nodes_same()
{
	local out

	out=$("$IKE_B/haadm" -r "$IKE_A/run" --json status 2>&1) || true
	NV_OUT=$out
	# Two members, each with one IKE and one Child SA, B's digest
	# compared equal to A's, and A's XFRM counters carried.
	[ "$(grep -o '"node": [0-9]*, "name"' <<< "$out" | wc -l)" = 2 ] &&
	    [ "$(grep -o '"ike_sas": 1, "child_sas": 1,' <<< "$out" |
	    wc -l)" = 2 ] &&
	    grep -q '"self": false, "state": "up", "synced": "yes"' <<< "$out" &&
	    grep -q '"self": false, [^}]*"digest_equal": "yes"' <<< "$out" &&
	    grep -q '"self": true, [^}]*"xfrm_errors": [0-9]' <<< "$out"
}
t_poll 10 nodes_same || fail "haadm status on A: the nodes do not agree:" \
    "$NV_OUT"
info "haadm status on A: 2 nodes, 1 IKE / 1 Child SA each, B's digest" \
    "equal to A's (STATS)"

info "20 pings: A saw ${SST[ctr_aevents]} XFRM event(s), sent" \
    "${SST[ctr_batches_sent]} CTR batch(es), leases asked/committed" \
    "${SST[ctr_leases_asked]}/${SST[ctr_leases_committed]}; B's counters" \
    "equal A's (digest_full); ${SST[ctr_fences_programmed]} lease" \
    "fence(s) programmed in A's kernel"

# --- 3. write-ahead: B stopped holds A's response ----------------------------
# a_keyed: KEYED = the SPIs of A's ESP SAs that carry keys (an ALLOCSPI
# larval state has none), sorted, on one line.
a_keyed()
{
	KEYED=$(ip -n "$NS_A" xfrm state | awk '
	    /proto esp spi / {
		for (i = 1; i < NF; i++) if ($i == "spi") s = $(i + 1) }
	    /^[ \t]+(aead|enc) / { print s }' | sort | tr '\n' ' ')
}
a_keyed
keyed0=$KEYED
[ -n "$keyed0" ] || fail "no keyed ESP SA in A's kernel before the rekey"
new_keyed() { a_keyed; [ "$KEYED" != "$keyed0" ]; }
kill -STOP "$SYNC_PID_b"
t_on_exit "kill -CONT $SYNC_PID_b 2>/dev/null"
# charon's log may hold earlier tests' exchanges: look only past here.
log0=$(wc -l < "$IKE_PEER/charon.log")
ike_swanctl --rekey --child net > /dev/null 2>&1 ||
    fail "swanctl --rekey failed"
held=0
for i in $(seq 1 15); do
	sleep 0.2
	ike_status
	if [ "${IKE_ST[queued_out]:-0}" -ge 1 ] &&
	    [ "${IKE_ST[sync_unacked]:-0}" -ge 1 ]; then
		held=1
		break
	fi
done
[ "$held" = 1 ] || fail "ikev2d did not hold its response" \
    "(queued_out=${IKE_ST[queued_out]:-?} unacked=${IKE_ST[sync_unacked]:-?})"
sleep 2
ike_status
[ "${IKE_ST[queued_out]:-0}" -ge 1 ] ||
    fail "the response went out while B was stopped"
[ "${IKE_ST[kernel_held]:-0}" -ge 1 ] ||
    fail "no kernel request held while B was stopped" \
    "(kernel_held=${IKE_ST[kernel_held]:-?})"
a_keyed
[ "$KEYED" = "$keyed0" ] ||
    fail "the rekeyed Child SA entered A's kernel while B was stopped" \
    "(SPIs before: $keyed0; now: $KEYED)"
tail -n "+$((log0 + 1))" "$IKE_PEER/charon.log" |
    grep -q "parsed CREATE_CHILD_SA response" &&
    fail "charon saw a CREATE_CHILD_SA response while B was stopped"
info "B stopped: ikev2d held ${IKE_ST[queued_out]} datagram(s)," \
    "${IKE_ST[kernel_held]} kernel request(s) (A's kernel still has" \
    "only ${keyed0% }), ${IKE_ST[sync_unacked]} event(s) unacknowledged" \
    "for 2s+"
lab_now
t0=$LAB_NOW
kill -CONT "$SYNC_PID_b"
t_poll 10 ike_status_is queued_out 0 || fail "response still held after SIGCONT"
t_poll 10 new_keyed || fail "the rekeyed Child SA never reached A's kernel"
t_poll 10 ike_status_is kernel_held 0 ||
    fail "kernel requests still held after SIGCONT"
lab_now
lab_secs "$t0" "$LAB_NOW"
t_poll 10 eval 'tail -n "+$((log0 + 1))" "$IKE_PEER/charon.log" |
    grep -q "parsed CREATE_CHILD_SA response"' ||
    fail "charon never got the CREATE_CHILD_SA response"
info "SIGCONT to B: response released after ${LAB_SECS}s"
t_poll 15 sync_same 1 1 || fail "A and B differ after the rekey"
info "after the rekey: A and B identical (digest ${SYNC_DIGEST:0:16}...)"

# --- 3b. corosync on B dies while B holds A's response: the configuration
# change releases it; B's syncd rejoins a new corosync and resyncs ----------
kill -STOP "$SYNC_PID_b"
ike_swanctl --rekey --child net > /dev/null 2>&1 ||
    fail "swanctl --rekey failed"
held_now()
{
	ike_status
	[ "${IKE_ST[queued_out]:-0}" -ge 1 ] &&
	    [ "${IKE_ST[sync_unacked]:-0}" -ge 1 ]
}
t_poll 5 held_now || fail "ikev2d did not hold its second rekey response"
lab_now
t0=$LAB_NOW
lab_stop corosync-b || fail "corosync on B did not stop"
t_poll 15 ike_status_is queued_out 0 ||
    fail "the configuration change did not release the response"
lab_now
lab_secs "$t0" "$LAB_NOW"
info "corosync on B stopped: A's held response released by the" \
    "configuration change after ${LAB_SECS}s (token $LAB_TOKEN ms)"
kill -CONT "$SYNC_PID_b"
lab_start_corosync b "$NS_B"
lab_now
t0=$LAB_NOW
lab_wait_members 60 || fail "corosync on B did not rejoin"
t_poll 30 sync_same 1 1 || fail "B not identical after its corosync restart"
lab_now
lab_secs "$t0" "$LAB_NOW"
info "corosync on B restarted: B's syncd rejoined and is identical" \
    "${LAB_SECS}s after the membership formed"

# --- 4. restart B's syncd: bulk resync -----------------------------------------
sync_stop b
t_poll 15 sync_members a 1 || fail "A still sees B"
lab_now
t0=$LAB_NOW
sync_start b
t_poll 30 sync_same 1 1 || fail "B not identical after its restart"
lab_now
lab_secs "$t0" "$LAB_NOW"
sync_status b
info "B's syncd restarted: identical after ${LAB_SECS}s (bulk" \
    "${SST[bulk_ms]:-?} ms, bulks received ${SST[bulks_received]:-?})"
[ "${SST[bulks_received]:-0}" -ge 1 ] || fail "B received no bulk"

# --- 5. haadm resync on B; refused when B is alone ------------------------------
lab_now
t0=$LAB_NOW
out=$("$IKE_B/haadm" -r "$SYNC_B/run" resync 2>&1) ||
    fail "haadm resync on B: exit $?: $out"
lab_now
lab_secs "$t0" "$LAB_NOW"
grep -q '^resync: 2 record(s) received' <<< "$out" ||
    fail "haadm resync on B: not 2 records: $out"
grep -q '^digests equal' <<< "$out" || fail "haadm resync on B: $out"
sync_status b
[ "${SST[resync_done]:-0}" = 1 ] || fail "B: resync_done ${SST[resync_done]:-?}"
t_poll 10 sync_same 1 1 || fail "B differs from A after haadm resync"
info "haadm resync on B: ${SST[resync_last_records]} record(s) in" \
    "${SST[resync_last_ms]} ms (${LAB_SECS}s with the digest check);" \
    "digests equal"
sync_stop a
t_poll 15 sync_members b 1 || fail "B still sees A"
set +e
out=$("$IKE_B/haadm" -r "$SYNC_B/run" resync 2>&1)
rc=$?
set -e
[ "$rc" = 2 ] || fail "haadm resync on B alone: exit $rc, want 2: $out"
grep -q 'refused: this node is alone' <<< "$out" ||
    fail "haadm resync on B alone: $out"
info "haadm resync on B alone: refused (exit 2)"
