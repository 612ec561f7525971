# test/lab/ha/ha-lib.sh -- sourced (bash) by the t_ha_*.sh tests after
# testlib.sh and ike/ike-lib.sh: the whole Tandem stack on both nodes
# (syncd, ikev2d --standby, hamgrd, one run directory per node) with
# group vg1 owning the upstream VIP and the inside VIP, and the remote
# peer's charon tunnelling to the VIP.
#
#   lhost --(IVIP)-- A | B --(VIP)-- rtr --> peer (charon) -- rhost
#
# Every process is started with lab_bg (recorded by PID) and stopped by
# lab_stop or, for the crash tests, SIGKILLed by its recorded PID.

HA_HERE=${BASH_SOURCE[0]%/*}
case $HA_HERE in /*) ;; *) HA_HERE=$PWD/$HA_HERE ;; esac
HA_DIR=$IKE_DIR/ha
HA_LEASE=${HA_LEASE:-4096}
HA_ADVERT_CS=${HA_ADVERT_CS:-10}
HA_PREEMPT=${HA_PREEMPT:-false}
HA_SPREAD=${HA_SPREAD:-0}
# More connections / secrets for tandem.conf (the takeover bench adds
# ikeload's): text spliced into ike.connections / ike.secrets.
HA_EXTRA_CONN=${HA_EXTRA_CONN:-}
HA_EXTRA_SECRET=${HA_EXTRA_SECRET:-}

ha_check_tools()
{
	ike_check_tools
	local p

	for p in syncd hamgrd; do
		[ -x "$IKE_B/$p" ] || skip "no $IKE_B/$p"
	done
	[ -x "$LAB_TOOLS/espseen" ] || skip "no $LAB_TOOLS/espseen (make tools)"
}

# ha_setup: PSK and charon's configs (to the VIP); lhost routes via the
# inside VIP.
ha_setup()
{
	ike_setup
	mkdir -p "$HA_DIR"
	export VIP4 IVIP4 IF_UP IF_IN HA_LEASE HA_ADVERT_CS HA_PREEMPT \
	    HA_SPREAD HA_EXTRA_CONN HA_EXTRA_SECRET
	ike_render "$HA_HERE/swanctl-ha.conf.in" "$IKE_PEER/swanctl.conf"
	ip -n "$NS_LHOST" route replace default via "$IVIP4" ||
	    fail "lhost: no route via the inside VIP"
	t_on_exit "ip -n $NS_LHOST route replace default via $LHOST_GW4"
	t_on_exit ha_flush
	# LAB_KEEP_LOGS=1 (with uml-run.sh's LAB_KEEP=1): every daemon's log
	# lands in the run folder's results/, pass or fail.
	t_on_exit '[ -z "${LAB_KEEP_LOGS:-}" ] || [ -z "${LAB_RESULTS:-}" ] ||' \
	    'cp "$LAB_DIR"/*.out "$IKE_PEER/charon.log" "$LAB_RESULTS/"'
}

# ha_flush: what the stacks leave in the kernels (SAs, policies, VIPs).
ha_flush()
{
	local ns

	for ns in "$NS_A" "$NS_B" "$NS_PEER"; do
		ip -n "$ns" xfrm state flush || true
		ip -n "$ns" xfrm policy flush || true
	done
	# Absent (the normal case after a clean stop) is fine.
	for ns in "$NS_A" "$NS_B"; do
		ip -n "$ns" addr del "$VIP4/24" dev "$IF_UP" 2>/dev/null || true
		ip -n "$ns" addr del "$IVIP4/25" dev "$IF_IN" 2>/dev/null ||
		    true
	done
	return 0
}

ha_ns()
{
	[ "$1" = a ] && echo "$NS_A" || echo "$NS_B"
}

ha_run()
{
	echo "$HA_DIR/$1/run"
}

# ha_start NODE PRIO: syncd, ikev2d --standby and hamgrd on NODE.
ha_start()
{
	local n=$1 ns dir

	ns=$(ha_ns "$n")
	dir=$HA_DIR/$n
	mkdir -p "$dir"
	rm -rf "$dir/run"
	mkdir -p "$dir/run"
	HA_NODE=$n HA_PRIO=$2
	export HA_NODE HA_PRIO
	ike_render "$HA_HERE/tandem-ha.conf.in" "$dir/tandem.conf"
	# In the order a node's units start them (etc/systemd): hamgrd
	# last, so that its first activation finds ikev2d listening.
	lab_bg "syncd-$n" "$ns" "$IKE_B/syncd" -f -d -c "$dir/tandem.conf" \
	    -r "$dir/run"
	t_on_exit lab_stop "$LAB_PID"
	t_poll 15 test -S "$dir/run/syncd-ike.sock" ||
	    { ha_dump; fail "syncd on $n did not start"; }
	# LAB_IKEV2D_DEBUG (default -d): the benchmark runs ikev2d at its
	# default log level, as in production: a debug line per SA event
	# costs more than the takeover's own work in UML
	lab_bg "ikev2d-$n" "$ns" "$IKE_B/ikev2d" --standby -f \
	    ${LAB_IKEV2D_DEBUG--d} -c "$dir/tandem.conf" -r "$dir/run"
	t_on_exit lab_stop "$LAB_PID"
	t_poll 15 test -S "$dir/run/ikev2d.sock" ||
	    { ha_dump; fail "ikev2d on $n did not start"; }
	lab_bg "hamgrd-$n" "$ns" "$IKE_B/hamgrd" -f -d \
	    -c "$dir/tandem.conf" -r "$dir/run"
	t_on_exit lab_stop "$LAB_PID"
	t_poll 15 ha_sockets "$n" ||
	    { ha_dump; fail "the stack on $n did not start"; }
}

# ha_pair: the stacks on A (priority 200) and B (100); A MASTER, B BACKUP.
ha_pair()
{
	ha_start a 200
	ha_start b 100
	t_poll 30 ha_role_is a MASTER ||
	    fail "A did not become MASTER ($HA_ROLE)"
	t_poll 10 ha_role_is b BACKUP || fail "B is not BACKUP ($HA_ROLE)"
}

ha_sockets()
{
	local r

	r=$(ha_run "$1")
	[ -S "$r/syncd.sock" ] && [ -S "$r/ikev2d.sock" ] &&
	    [ -S "$r/hamgrd.sock" ]
}

# ha_stop NODE: stop NODE's stack (TERM, by recorded PID).
ha_stop()
{
	local p

	for p in hamgrd ikev2d syncd; do
		lab_stop "$p-$1" || fail "$p on $1 did not stop"
	done
}

# ha_links NODE up|down: every link of NODE (upstream, inside, cluster);
# up also restores the default routes the kernel dropped with the links.
ha_links()
{
	local ns i

	ns=$(ha_ns "$1")
	for i in "$IF_UP" "$IF_IN" "$IF_CL"; do
		ip -n "$ns" link set "$i" "$2" || return 1
	done
	[ "$2" = up ] || return 0
	# IPv6 addresses go with a link that goes down (keep_addr_on_down
	# is 0): put them back, as the lab set them (lab.env).
	local N=${1^^} up6 in6 cl6
	up6=${N}_UP6 in6=${N}_IN6 cl6=${N}_CL6
	ip -n "$ns" addr replace "${!up6}/64" dev "$IF_UP" nodad &&
	    ip -n "$ns" addr replace "${!in6}/64" dev "$IF_IN" nodad &&
	    ip -n "$ns" addr replace "${!cl6}/64" dev "$IF_CL" nodad &&
	    ip -n "$ns" route replace default via "$RTR_UP4" &&
	    ip -n "$ns" -6 route replace default via "$RTR_UP6"
}

# ha_pid NAME: the PID last recorded for lab process NAME (e.g. hamgrd-a).
ha_pid()
{
	local name pid start found=

	# the last one: a process started again is recorded again
	while read -r name pid start; do
		[ "$name" = "$1" ] && found=$pid
	done < "$LAB_PIDS"
	[ -n "$found" ] && echo "$found"
}

# ha_kill NODE: SIGKILL every Tandem process and corosync on NODE, by
# recorded PID -- the crash a takeover must survive.
ha_kill()
{
	local p pid

	for p in hamgrd ikev2d syncd corosync; do
		pid=$(ha_pid "$p-$1") || continue
		kill -KILL "$pid" 2>/dev/null || true
	done
}

# ha_status NODE DAEMON: HST[key] = DAEMON's status lines on NODE.
declare -A HST
ha_status()
{
	local out re='"([a-zA-Z0-9_.-]+)": "([^"]*)"'

	HST=()
	out=$("$IKE_B/haadm" -r "$(ha_run "$1")" --json status 2>&1) || true
	out=${out#*\"name\": \"$2\"}
	out=${out%%\"name\": *}
	while [[ $out =~ $re ]]; do
		HST[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
		out=${out#*"${BASH_REMATCH[0]}"}
	done
}

# ha_role NODE: HA_ROLE = hamgrd's role for vg1 on NODE ("" if unknown).
ha_role()
{
	ha_status "$1" hamgrd
	HA_ROLE=${HST[group_vg1_role]:-${HST[vg1_role]:-${HST[vg1.role]:-}}}
}

# ha_role_is NODE ROLE (for t_poll)
ha_role_is()
{
	ha_role "$1"
	[ "$HA_ROLE" = "$2" ]
}

# ha_has_vip NODE: NODE holds both VIPs.
ha_has_vip()
{
	local ns

	ns=$(ha_ns "$1")
	ip -n "$ns" -4 addr show dev "$IF_UP" | grep -q "inet $VIP4/" &&
	    ip -n "$ns" -4 addr show dev "$IF_IN" | grep -q "inet $IVIP4/"
}

ha_no_vip()
{
	local ns

	ns=$(ha_ns "$1")
	! ip -n "$ns" -4 addr show | grep -qE "inet ($VIP4|$IVIP4)/"
}

# ha_ike_group NODE: HA_GROUP = ikev2d's state of vg1 on NODE.
ha_ike_group()
{
	ha_status "$1" ikev2d
	HA_GROUP=${HST[group_vg1]:-}
}

ha_ike_group_is()
{
	ha_ike_group "$1"
	[ "$HA_GROUP" = "$2" ]
}

# ha_sync_same NODE_X NODE_Y: both syncds hold the same SAs (digest with
# keys) and at least one Child SA.
ha_sync_same()
{
	local d

	ha_status a syncd
	d=${HST[digest]:-x}
	[ "${HST[child_sas]:-0}" -ge 1 ] || return 1
	ha_status b syncd
	[ "${HST[digest]:-y}" = "$d" ]
}

# ha_peer_ids: HA_PEER_IDS = charon's IKE SAs (unique id and SPIs) and
# Child SAs (unique id and SPIs), one line: what must not change across
# a takeover.
ha_peer_ids()
{
	local line out=

	ike_peer_sas
	while IFS= read -r line; do
		line=${line#"${line%%[![:space:]]*}"}
		case $line in
		vip:\ \#*)
			out+="ike ${line%%,*} ${line##*IKEv2, } " ;;
		net:\ \#*)
			out+="child ${line%%,*} " ;;
		in\ \ *|out\ *)
			line=${line%%,*}
			out+="${line// /} " ;;
		esac
	done <<< "$IKE_SAS"
	HA_PEER_IDS=$out
}

# ha_peer_xfrm_errors: HA_XERR = the peer's inbound XFRM errors that a
# takeover could cause -- replay (XfrmInStateSeqError), integrity
# (XfrmInStateProtoError), unknown SPI (XfrmInNoStates) -- from its
# namespace's /proc/net/xfrm_stat, plus the per-SA replay and integrity
# counters of `ip -s xfrm state`.
ha_peer_xfrm_errors()
{
	local k v sum=0 line re='(replay|failed) ([0-9]+)'

	while read -r k v; do
		case $k in
		XfrmInStateSeqError|XfrmInStateProtoError|XfrmInNoStates)
			sum=$((sum + v)) ;;
		esac
	done < <(ip netns exec "$NS_PEER" cat /proc/net/xfrm_stat)
	while IFS= read -r line; do
		[[ $line == *replay-window* ]] || continue
		line=${line#*replay-window [0-9]*}
		while [[ $line =~ $re ]]; do
			sum=$((sum + BASH_REMATCH[2]))
			line=${line#*"${BASH_REMATCH[0]}"}
		done
	done < <(ip -n "$NS_PEER" -s xfrm state)
	HA_XERR=$sum
}

ha_dump()
{
	local n p

	ike_progress
	for n in a b; do
		for p in hamgrd ikev2d syncd; do
			echo "--- $p-$n (tail)"
			tail -n 30 "$LAB_DIR/$p-$n.out" 2>/dev/null
		done
		echo "--- node $n: addresses and xfrm"
		ip -n "$(ha_ns "$n")" -4 -br addr 2>/dev/null
		ip -n "$(ha_ns "$n")" xfrm state 2>/dev/null | grep -E '^src|proto'
	done
	echo "--- charon (tail)"
	tail -n 40 "$IKE_PEER/charon.log" 2>/dev/null
}
