# test/lab/sync/sync-lib.sh -- sourced (bash) by t_sync_*.sh after
# testlib.sh and ike/ike-lib.sh: a syncd on each node, started by PID.
# Node A's syncd shares ikev2d's run directory ($IKE_A/run), so ikev2d
# finds <rundir>/syncd-ike.sock and `haadm -r $IKE_A/run status` shows
# both daemons; node B's syncd runs in $SYNC_B/run.

SYNC_B=$IKE_DIR/b

# sync_start NODE: syncd in NODE's netns (a or b), foreground, debug.
sync_start()
{
	local ns dir conf

	if [ "$1" = a ]; then
		ns=$NS_A dir=$IKE_A
	else
		ns=$NS_B dir=$SYNC_B
	fi
	mkdir -p "$dir/run"
	# Rendered by ike_ikev2d_start (which also empties $IKE_A/run: start
	# ikev2d first; it connects to syncd when syncd comes).
	conf=$IKE_A/tandem.conf
	[ -r "$conf" ] || fail "sync_start before ike_ikev2d_start"
	lab_bg "syncd-$1" "$ns" "$IKE_B/syncd" -f -d -c "$conf" -r "$dir/run"
	eval "SYNC_PID_$1=\$LAB_PID"
	t_on_exit lab_stop "$LAB_PID"
	t_poll 15 test -S "$dir/run/syncd-ike.sock" ||
	    { cat "$LAB_DIR/syncd-$1.out"; fail "syncd on $1 did not start"; }
}

sync_stop()
{
	local v=SYNC_PID_$1

	lab_stop "${!v}" || fail "syncd on $1 did not stop"
}

# sync_status NODE: SST[key] = that node's syncd status lines.
declare -A SST
sync_status()
{
	local out dir re='"([a-z0-9_]+)": "([^"]*)"'

	[ "$1" = a ] && dir=$IKE_A || dir=$SYNC_B
	SST=()
	out=$("$IKE_B/haadm" -r "$dir/run" --json status 2>&1) || true
	out=${out#*\"name\": \"syncd\"}
	out=${out%%\"name\": \"hamgrd\"*}
	while [[ $out =~ $re ]]; do
		SST[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
		out=${out#*"${BASH_REMATCH[0]}"}
	done
}

# sync_members NODE N: NODE's syncd sees N members (itself included).
sync_members()
{
	sync_status "$1"
	[ "${SST[nmembers]:-}" = "$2" ]
}

# sync_same IKE CHILD: both syncds hold IKE/CHILD SAs with equal digests
# (keys included); SYNC_DIGEST is the digest.
sync_same()
{
	local da

	sync_status a
	[ "${SST[ike_sas]:-}" = "$1" ] && [ "${SST[child_sas]:-}" = "$2" ] ||
	    return 1
	da=${SST[digest]:-x}
	sync_status b
	[ "${SST[ike_sas]:-}" = "$1" ] && [ "${SST[child_sas]:-}" = "$2" ] ||
	    return 1
	[ "${SST[digest]:-y}" = "$da" ] || return 1
	SYNC_DIGEST=$da
}

sync_dump()
{
	local n

	for n in a b; do
		echo "--- syncd $n (tail)"
		tail -n 40 "$LAB_DIR/syncd-$n.out" 2>/dev/null
		sync_status "$n"
		echo "--- syncd $n status: ikes=${SST[ike_sas]:-?}" \
		    "children=${SST[child_sas]:-?} digest=${SST[digest]:-?}" \
		    "members=${SST[members]:-?} tx=${SST[tx_seq]:-?}" \
		    "committed=${SST[committed_seq]:-?}"
	done
}
