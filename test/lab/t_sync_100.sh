#!/bin/bash
# t_sync_100 -- 100 tunnels up on node A: node B's database equals A's,
# digest and field by field, keys included, within one second (issue 5,
# "Must show").  Needs UML (ikev2d installs ESP SAs).
#
#   peer (charon, 100 children c0..c99) ==IKE==> A: ikev2d -- syncd A
#                                                             || CPG
#                                                            syncd B
#
# charon's 100 children each protect one remote host 198.51.100.(128+i)
# against the local /25 and start when loaded (start_action = start):
# one IKE SA, 100 Child SAs, each CREATE_CHILD_SA answered by ikev2d only
# once B holds it (write-ahead).  When A's syncd holds them all, B's
# digests (SA set, and with counters) must equal A's within a second, and
# test/tools/syncdump's line per record (every field; keys as SHA-256
# prefixes) must be identical on both nodes.

set -eu
. "${BASH_SOURCE[0]%/*}/testlib.sh"
. "${BASH_SOURCE[0]%/*}/ike/ike-lib.sh"
. "${BASH_SOURCE[0]%/*}/sync/sync-lib.sh"
t_lab
ike_check_tools
[ -x "$IKE_B/syncd" ] || skip "no $IKE_B/syncd"
[ -x "$IKE_B/tools/syncdump" ] || skip "no $IKE_B/tools/syncdump"
N=100

t_on_exit "ip -n $NS_A xfrm state flush; ip -n $NS_A xfrm policy flush;" \
    "ip -n $NS_PEER xfrm state flush; ip -n $NS_PEER xfrm policy flush"
t_on_exit '[ "$rc" = 0 ] || { ike_dump; sync_dump; }'
ike_setup
# charon: the lab's connection with N children, started at load.
{
	cat <<-EOC
	connections {
		a {
			version = 2
			local_addrs = $PEER_NET4
			remote_addrs = $A_UP4
			proposals = $IKE_PROPOSAL
			mobike = no
			local {
				auth = psk
				id = $PEER_NET4
			}
			remote {
				auth = psk
				id = $A_UP4
			}
			children {
	EOC
	for i in $(seq 0 $((N - 1))); do
		printf '\t\t\tc%d {\n' "$i"
		printf '\t\t\t\tlocal_ts = 198.51.100.%d/32\n' $((128 + i))
		printf '\t\t\t\tremote_ts = %s\n' "$LPROT4"
		printf '\t\t\t\tesp_proposals = %s\n' "$ESP_PROPOSAL"
		printf '\t\t\t\tstart_action = start\n\t\t\t}\n'
	done
	cat <<-EOC
			}
		}
	}
	secrets {
		ike-a {
			id-1 = $PEER_NET4
			id-2 = $A_UP4
			secret = $PSK
		}
	}
	EOC
} > "$IKE_PEER/swanctl-$N.conf"
grep -q "c$((N - 1)) {" "$IKE_PEER/swanctl-$N.conf" ||
    fail "could not write charon's $N children"
ike_ikev2d_start none
sync_start a
sync_start b
t_poll 30 sync_members a 2 || fail "syncd A does not see B"
t_poll 30 sync_members b 2 || fail "syncd B does not see A"
t_poll 10 ike_status_is sync_mode on || fail "ikev2d not connected to syncd"
ike_charon_start
lab_now
t0=$LAB_NOW
ike_swanctl --load-all --file "$IKE_PEER/swanctl-$N.conf" > \
    "$IKE_PEER/load-$N.out" 2>&1 ||
    { cat "$IKE_PEER/load-$N.out"; fail "swanctl --load-all failed"; }

a_holds()
{
	sync_status a
	[ "${SST[ike_sas]:-}" = 1 ] && [ "${SST[child_sas]:-}" = "$N" ]
}
t_poll 240 a_holds || fail "A's syncd holds ${SST[ike_sas]:-?} IKE /" \
    "${SST[child_sas]:-?} Child SAs, want 1 / $N"
lab_now
ta=$LAB_NOW
lab_secs "$t0" "$ta"
up=$LAB_SECS
t_poll 10 sync_same 1 "$N" || fail "B's syncd differs from A's"
lab_now
lab_secs "$ta" "$LAB_NOW"
same=$LAB_SECS
awk -v s="$same" 'BEGIN { exit !(s <= 1.0) }' ||
    fail "B identical only ${same}s after A held all $N (want <= 1s)"
full_same()
{
	local fa

	sync_status a
	fa=${SST[digest_full]:-x}
	sync_status b
	[ "${SST[digest_full]:-y}" = "$fa" ]
}
t_poll 5 full_same || fail "A and B differ in their counters (digest_full)"
ike_xfrm "$NS_A"
[ "${#IKE_SPIS[@]}" = $((2 * N)) ] ||
    fail "A's kernel holds ${#IKE_SPIS[@]} ESP SAs, want $((2 * N))"

# Field by field: every record, every field, keys as hashes.
"$IKE_B/tools/syncdump" "$IKE_A/run/syncd-ike.sock" | sort > "$IKE_DIR/dump-a" ||
    fail "syncdump A failed"
"$IKE_B/tools/syncdump" "$SYNC_B/run/syncd-ike.sock" | sort > "$IKE_DIR/dump-b" ||
    fail "syncdump B failed"
lines=$(wc -l < "$IKE_DIR/dump-a")
[ "$lines" = $((N + 1)) ] || fail "A's dump has $lines records, want $((N + 1))"
diff "$IKE_DIR/dump-a" "$IKE_DIR/dump-b" > "$IKE_DIR/dump.diff" ||
    { head -n 20 "$IKE_DIR/dump.diff"; fail "A's and B's records differ"; }
# Keys are in the comparison: every Child SA carries its four (two with
# AEAD: encryption keys; integrity keys absent), the IKE SA its SK_*.
nokey=$(grep -c ' encr_in=- \| encr_out=- ' "$IKE_DIR/dump-a" || true)
[ "$nokey" = 0 ] || fail "$nokey Child SA record(s) without keys"
grep -q '^ike .* sk_d=[0-9a-f]' "$IKE_DIR/dump-a" || fail "IKE SA without SK_d"
fields=$(head -n 1 "$IKE_DIR/dump-a" | wc -w)
info "$N Child SAs (1 IKE SA) up on A in ${up}s with write-ahead; B's" \
    "digests (set and counters) equal A's ${same}s after A held them all;" \
    "$lines records identical field by field on both nodes (keys as" \
    "hashes; $fields fields in the IKE record line)"
