#!/bin/bash
# t_sync_lease -- the outbound sequence lease is fenced in A's kernel
# (DESIGN guarantee 1).  Needs UML (ESP).
#
#   lhost --> A: ikev2d + syncd ==ESP==> peer (charon) --> rhost
#                 || CPG (knet)
#               B: syncd (holds the lease end)
#
# syncd on both nodes with lease_packets = 1024 (the smallest), so a
# ping at 100/s crosses several leases in seconds.  The Child SA uses
# extended sequence numbers (the kernel keeps the ESN form: 64-bit
# oseq); t_sync_replicate covers a 32-bit SA at its first lease.
# 1. charon initiates; ikev2d installs the new outbound SA once its
#    CHILD_UP, which carries the first lease, is committed, fenced at
#    that lease (hard 1024 packets, soft 768 in A's kernel).
# 2. 2,200 echoes at 10 ms from lhost: while they flow, A's kernel oseq
#    (sampled first) never exceeds the lease end B's syncd holds (sampled
#    right after); the soft EXPIREs drive extensions (ikev2d ignores
#    them: no rekey), each committed extension is fenced, and the SA is
#    never hard-expired (same SPI throughout, no fence hard expires).
# 3. B's syncd is stopped (SIGSTOP): no extension can commit, so A's
#    kernel stops the SA at the lease end B holds -- the failure mode
#    the fence is for: A's oseq is still <= B's end, and A's syncd logs
#    and counts the hard expire.

set -eu
ESP_PROPOSAL=${ESP_PROPOSAL:-aes128gcm16-esn}
. "${BASH_SOURCE[0]%/*}/testlib.sh"
. "${BASH_SOURCE[0]%/*}/ike/ike-lib.sh"
. "${BASH_SOURCE[0]%/*}/sync/sync-lib.sh"
t_lab
ike_check_tools
[ -x "$IKE_B/syncd" ] || skip "no $IKE_B/syncd"

t_on_exit "ip -n $NS_A xfrm state flush; ip -n $NS_A xfrm policy flush;" \
    "ip -n $NS_PEER xfrm state flush; ip -n $NS_PEER xfrm policy flush"
t_on_exit '[ "$rc" = 0 ] || { ike_dump; sync_dump; ip -n $NS_A -s xfrm state; }'
ike_setup
ike_charon_start
ike_ikev2d_start none
# Small leases for this test: syncd reads them; ikev2d too, for the
# first lease it installs new outbound SAs with (kernel_wa.c) and the
# per-SA counter event threshold (a reload, for the SAs it installs next).
sed -i 's/^\tallow_unencrypted_ring = true;/&\n\tlease_packets = 1024;\n\taevent_replay_threshold = 16;/' \
    "$IKE_A/tandem.conf"
grep -q "lease_packets = 1024" "$IKE_A/tandem.conf" ||
    fail "could not set lease_packets"
ike_ikev2d_reload
sync_start a
sync_start b
t_poll 30 sync_members a 2 || fail "syncd A does not see B"
t_poll 30 sync_members b 2 || fail "syncd B does not see A"
t_poll 10 ike_status_is sync_mode on || fail "ikev2d not connected to syncd"

# a_out: A_SPI, A_OSEQ, A_SOFT, A_HARD of A's outbound ESP SA (src A).
a_out()
{
	local line mine=0 hi=0

	A_SPI= A_OSEQ= A_SOFT= A_HARD= A_ESN=0
	while IFS= read -r line; do
		if [[ $line =~ ^src\ ([^ ]+)\ dst ]]; then
			[ "${BASH_REMATCH[1]}" = "$A_UP4" ] && mine=1 || mine=0
			hi=0
			continue
		fi
		[ "$mine" = 1 ] || continue
		[[ $line =~ flag\ .*esn ]] && A_ESN=1
		if [[ $line =~ proto\ esp\ spi\ (0x[0-9a-f]+) ]]; then
			A_SPI=${BASH_REMATCH[1]}
		elif [[ $line =~ soft\ ([0-9]+)\(packets\),\ hard\ ([0-9]+)\(packets\) ]]; then
			A_SOFT=${BASH_REMATCH[1]}
			A_HARD=${BASH_REMATCH[2]}
		elif [[ $line =~ soft\ \(INF\)\(packets\) ]]; then
			A_SOFT=INF A_HARD=INF
		fi
		[[ $line =~ oseq-hi\ (0x[0-9a-f]+) ]] &&
		    hi=$((BASH_REMATCH[1]))
		[[ $line =~ oseq\ (0x[0-9a-f]+) ]] &&
		    A_OSEQ=$(((hi << 32) + BASH_REMATCH[1]))
	done < <(ip -n "$NS_A" -s xfrm state)
	[ -n "$A_SPI" ] && [ -n "$A_OSEQ" ]
}

# --- 1. the new SA is fenced at the first lease -----------------------------
out=$(ike_swanctl --initiate --child net --timeout 30 2>&1) ||
    { echo "$out"; fail "swanctl --initiate failed"; }
t_poll 10 sync_same 1 1 || fail "B's syncd does not hold A's SAs"
fenced()
{
	a_out && [ "$A_HARD" = 1024 ]
}
t_poll 10 fenced || fail "A's outbound SA not fenced at the first lease" \
    "(spi ${A_SPI:-?} oseq ${A_OSEQ:-?} limits ${A_SOFT:-?}/${A_HARD:-?})"
sync_status b
[ "${SST[ctr_out_end_max]:-0}" -ge 1024 ] ||
    fail "B holds lease end ${SST[ctr_out_end_max]:-?}, want >= 1024"
spi0=$A_SPI
case $ESP_PROPOSAL in
*esn*) [ "$A_ESN" = 1 ] || fail "A's outbound SA has no ESN flag" ;;
esac
info "SA $spi0 (ESN $A_ESN) fenced in A's kernel at install: packet" \
    "limits soft $A_SOFT / hard $A_HARD; B holds lease end" \
    "${SST[ctr_out_end_max]}"

# --- 2. traffic across several leases: A's oseq <= B's end, no hard expire --
ip netns exec "$NS_LHOST" ping -n -q -c 2200 -i 0.01 -W 1 "$RHOST4" \
    > "$IKE_DIR/flood.out" 2>&1 &
flood=$!
t_on_exit "kill $flood 2>/dev/null"
samples=0 worst=
while kill -0 "$flood" 2>/dev/null; do
	a_out || fail "A's outbound SA is gone (sample $samples)"
	oseq=$A_OSEQ
	sync_status b
	bend=${SST[ctr_out_end_max]:-0}
	[ "$oseq" -le "$bend" ] ||
	    fail "A's kernel sent oseq $oseq past B's lease end $bend"
	[ -z "$worst" ] || [ $((bend - oseq)) -lt "$worst" ] &&
	    worst=$((bend - oseq))
	samples=$((samples + 1))
done
wait "$flood" || { cat "$IKE_DIR/flood.out"; fail "ping failed"; }
sent=$(sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) received.*/\1 \2/p' \
    "$IKE_DIR/flood.out")
a_out || fail "A's outbound SA is gone after the traffic"
[ "$A_SPI" = "$spi0" ] || fail "the SA changed ($spi0 -> $A_SPI): rekeyed" \
    "or expired under traffic"
[ "$A_OSEQ" -ge 2200 ] || fail "only $A_OSEQ packets went out on $A_SPI"
sync_status a
[ "${SST[ctr_fence_hard_expires]:-1}" = 0 ] ||
    fail "A's syncd saw ${SST[ctr_fence_hard_expires]} fence hard expire(s)"
[ "${SST[ctr_fence_failures]:-1}" = 0 ] ||
    fail "A's syncd failed to program ${SST[ctr_fence_failures]} fence(s)"
[ "${SST[ctr_fences_programmed]:-0}" -ge 3 ] ||
    fail "A's syncd programmed ${SST[ctr_fences_programmed]:-0} fences," \
    "want >= 3 (first lease + 2 extensions)"
fences=${SST[ctr_fences_programmed]} leases=${SST[ctr_leases_committed]}
softs=${SST[ctr_fence_soft_expires]}
ike_status
[ "${IKE_ST[kernel_expires_lease]:-0}" -ge 1 ] ||
    fail "ikev2d saw no lease soft expire (${IKE_ST[kernel_expires_lease]:-?})"
sync_status b
info "2,200 echoes at 10 ms (sent/received: ${sent:-?}): $samples samples," \
    "A's oseq always <= B's lease end (closest ${worst:-?} below);" \
    "oseq $A_OSEQ, B's end ${SST[ctr_out_end_max]}; $leases lease(s)" \
    "committed, $fences fence(s) programmed (now soft $A_SOFT / hard" \
    "$A_HARD packets), $softs soft EXPIRE(s) (ikev2d ignored" \
    "${IKE_ST[kernel_expires_lease]}); same SA, never hard-expired"

# --- 3. B stops acknowledging: the fence stops the SA at B's end ---------------
# What B holds now is what it holds while stopped (it applies nothing).
sync_status b
bend=${SST[ctr_out_end_max]:-0}
kill -STOP "$SYNC_PID_b"
t_on_exit "kill -CONT $SYNC_PID_b 2>/dev/null"
ip netns exec "$NS_LHOST" ping -n -q -c 1500 -i 0.01 -W 1 "$RHOST4" \
    > "$IKE_DIR/flood2.out" 2>&1 &
flood=$!
stopped()
{
	sync_status a
	[ "${SST[ctr_fence_hard_expires]:-0}" -ge 1 ]
}
t_poll 30 stopped || fail "A's SA was not stopped by its fence" \
    "(hard expires ${SST[ctr_fence_hard_expires]:-?})"
kill "$flood" 2>/dev/null || true
wait "$flood" 2>/dev/null || true
grep -q "OUTBOUND SA STOPPED BY ITS LEASE FENCE" "$LAB_DIR/syncd-a.out" ||
    fail "A's syncd did not log the fence hard expire"
last=$(sed -n 's/.*STOPPED BY ITS LEASE FENCE at \([0-9]*\) packets (lease end \([0-9]*\)).*/\1 \2/p' \
    "$LAB_DIR/syncd-a.out" | tail -n 1)
kill -CONT "$SYNC_PID_b"
set -- $last
[ "${2:-x}" -le "$bend" ] ||
    fail "A was fenced at ${2:-?}, above B's lease end $bend"
# A fresh SA: base 0, so its last oseq is its packet count.
[ "${1:-x}" -le "$bend" ] ||
    fail "A sent up to oseq ${1:-?}, beyond B's end $bend"
t_poll 10 sync_members b 2 || fail "B's syncd did not come back"
info "B's syncd stopped: A's SA hard-expired by its fence at ${1:-?}" \
    "packets (lease end ${2:-?} <= B's $bend), logged and counted"
