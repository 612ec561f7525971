#!/bin/bash
# test/lab/lab.sh -- the Tandem network-namespace lab.
#
#   lab.sh up | down | status | env     (as root; in UML or on the host)
#   . test/lab/lab.sh                   (from bash: defines lab_* functions)
#
# Names and addresses come from lab.env; shown for LAB_INSTANCE=lab.
#
#  +-------------------------------+
#  | tnd-lab-rhost  remote host    |
#  |   rin0 198.51.100.130         |
#  +----|--------------------------+
#       |  remote protected LAN 198.51.100.128/25, 2001:db8:0:20::/64
#  +----|--------------------------+
#  |   rin0 198.51.100.129         |
#  | tnd-lab-peer  remote site's   |
#  |   router, the IPsec peer      |
#  |   net0 203.0.113.2            |
#  +----|--------------------------+
#       |  "internet" 203.0.113.0/25, 2001:db8:0:2::/64
#  +----|--------------------------+
#  |   net0 203.0.113.1            |
#  | tnd-lab-rtr  upstream router  |
#  |   up0 192.0.2.254             |
#  +----|--------------------------+
#       |
#  =====+==========+================================+====  br-up (tnd-lab-sw)
#   upstream LAN 192.0.2.0/24, 2001:db8:0:1::/64; VIP .1 / ::1 reserved
#                  |                                |
#  +---------------|-------------+  +---------------|-------------+
#  |   up0 192.0.2.2             |  |   up0 192.0.2.3             |
#  | tnd-lab-a  node A, nodeid 1 |  | tnd-lab-b  node B, nodeid 2 |
#  |   corosync: knet link 0 on  |  |   corosync                  |
#  |   cl0, link 1 on up0        |  |                             |
#  |   cl0 203.0.113.249 ========|==|== cl0 203.0.113.250         |
#  |   in0 198.51.100.2          |  |   in0 198.51.100.3          |
#  +---------------|-------------+  +---------------|-------------+
#                  | cluster link 203.0.113.248/29, 2001:db8:0:3::/64
#                  |                                |
#  =====+==========+================================+====  br-in (tnd-lab-sw)
#       |  local protected LAN 198.51.100.0/25, 2001:db8:0:10::/64;
#       |  inside VIP .1 / ::1 reserved
#  +----|--------------------------+
#  |   in0 198.51.100.10           |
#  | tnd-lab-lhost  local host     |
#  |   (default route via node A)  |
#  +-------------------------------+
#
# Every link has IPv4 and IPv6 (host part as in IPv4: ::2 for .2).  The
# upstream router knows no route to either protected subnet: traffic
# between them only passes through an IPsec tunnel (see t_esp.sh).
#
# Processes: one corosync 3 per node, `corosync -f` in the node's netns,
# under `unshare -m` with a private tmpfs on /run (its pid file path is
# fixed at build time).  knet with aes256/sha256 and a fresh authkey.  The
# lab records "name pid starttime" for every process it starts in
# $LAB_DIR/pids; `down` signals only those (the start time guards against
# a reused PID) and never kills anything by name.
#
# Process creation is slow in User-Mode Linux (fork+exec ~30 ms, `ip netns
# exec` ~80 ms), so the lab uses `ip -n NS -batch`, bash builtins and few
# processes.

set -eu

LAB_HERE=${BASH_SOURCE[0]%/*}
[ "$LAB_HERE" != "${BASH_SOURCE[0]}" ] || LAB_HERE=.
case $LAB_HERE in /*) ;; *) LAB_HERE=$PWD/$LAB_HERE ;; esac
. "$LAB_HERE/lab.env"

LAB_REPO=${LAB_REPO:-${LAB_HERE%/test/lab}}
LAB_B=${LAB_B:-build}
case $LAB_B in /*) LAB_TOOLS=${LAB_TOOLS:-$LAB_B/tools} ;;
*) LAB_TOOLS=${LAB_TOOLS:-$LAB_REPO/$LAB_B/tools} ;; esac
LAB_PIDS=$LAB_DIR/pids

lab_log()
{
	printf 'lab: %s\n' "$*" >&2
}

# Command substitutions fork, and forks are slow in UML: these helpers
# return their results in variables.

# LAB_NOW: microseconds since the epoch (bash 5, no fork).
lab_now()
{
	local t=$EPOCHREALTIME

	LAB_NOW=$(( ${t%.*} * 1000000 + 10#${t#*.} ))
}

# LAB_SECS: seconds with one decimal between two LAB_NOW values.
lab_secs()
{
	local d=$(( ($2 - $1) / 100000 ))

	LAB_SECS=$(( d / 10 )).$(( d % 10 ))
}

# LAB_PST, LAB_PSTART: state letter and start time (clock ticks since
# boot) of process PID from /proc, both empty if it is gone.
lab_proc_stat()
{
	local line
	local -a f

	LAB_PST= LAB_PSTART=
	{ read -r line < "/proc/$1/stat"; } 2>/dev/null || return 0
	# The command name is in parentheses and may hold spaces.
	read -r -a f <<< "${line##*) }"
	LAB_PST=${f[0]} LAB_PSTART=${f[19]}
}

# True if process PID is alive (not a zombie).
lab_running()
{
	lab_proc_stat "$1"
	[ -n "$LAB_PST" ] && [ "$LAB_PST" != Z ]
}

# True if PID is alive (not a zombie) and started at START: the recorded
# process itself, not a later one that reused its PID.
lab_alive()
{
	lab_running "$1" && [ "$LAB_PSTART" = "$2" ]
}

# lab_bg NAME NS CMD...: start CMD in the background in netns NS ("" for
# none), output to $LAB_DIR/NAME.out; record it.  Sets LAB_PID.
lab_bg()
{
	local name=$1 ns=$2

	shift 2
	if [ -n "$ns" ]; then
		ip netns exec "$ns" "$@" > "$LAB_DIR/$name.out" 2>&1 < /dev/null &
	else
		"$@" > "$LAB_DIR/$name.out" 2>&1 < /dev/null &
	fi
	LAB_PID=$!
	# Out of the job table: no "Killed" notice when down kills it.
	disown "$LAB_PID"
	lab_proc_stat "$LAB_PID"
	# A process that already died leaves nothing to record or to kill.
	[ -z "$LAB_PSTART" ] || echo "$name $LAB_PID $LAB_PSTART" >> "$LAB_PIDS"
}

# lab_stop PID|NAME: TERM one recorded process, wait for it (<= 10 s),
# KILL it if need be; once it is gone, drop its record.
lab_stop()
{
	local name pid start rc=0
	local -a keep=()

	[ -s "$LAB_PIDS" ] || return 0
	while read -r name pid start; do
		if [ "$pid" != "$1" ] && [ "$name" != "$1" ]; then
			keep+=("$name $pid $start")
			continue
		fi
		lab_alive "$pid" "$start" || continue
		kill -TERM "$pid" 2>/dev/null || true
		lab_wait_gone 10 "$pid" "$start" && continue
		kill -KILL "$pid" 2>/dev/null || true
		lab_wait_gone 5 "$pid" "$start" && continue
		keep+=("$name $pid $start")
		rc=1
	done < "$LAB_PIDS"
	if [ "${#keep[@]}" = 0 ]; then
		: > "$LAB_PIDS"
	else
		printf '%s\n' "${keep[@]}" > "$LAB_PIDS"
	fi
	return "$rc"
}

# lab_wait_gone SECONDS PID START [PID START ...]: poll until all are gone.
lab_wait_gone()
{
	local deadline alive i
	local -a ps=("${@:2}")

	lab_now
	deadline=$(( LAB_NOW + $1 * 1000000 ))
	while :; do
		alive=0
		for ((i = 0; i < ${#ps[@]}; i += 2)); do
			if lab_alive "${ps[i]}" "${ps[i + 1]}"; then
				alive=1
				break
			fi
		done
		[ "$alive" = 1 ] || return 0
		lab_now
		[ "$LAB_NOW" -lt "$deadline" ] || return 1
		sleep 0.05
	done
}

lab_ns_exists()
{
	[ -e "/run/netns/$1" ]
}

# True if any part of this instance exists: a namespace or a record.
lab_any()
{
	local ns

	[ ! -s "$LAB_PIDS" ] || return 0
	for ns in $LAB_NSES; do
		lab_ns_exists "$ns" && return 0
	done
	return 1
}

# True if this instance is up: every namespace there, both recorded
# corosyncs alive.
lab_is_up()
{
	local ns name pid start n=0

	[ -s "$LAB_PIDS" ] || return 1
	for ns in $LAB_NSES; do
		lab_ns_exists "$ns" || return 1
	done
	while read -r name pid start; do
		case $name in corosync-*) ;; *) continue ;; esac
		lab_alive "$pid" "$start" || return 1
		n=$((n + 1))
	done < "$LAB_PIDS"
	[ "$n" = 2 ]
}

# --- up ---------------------------------------------------------------------

lab_links()
{
	local ns

	{
		for ns in $LAB_NSES; do
			echo "netns add $ns"
		done
		# Both ends are created in their namespaces directly, so the
		# host's namespace never holds a lab interface, even briefly.
		echo "link add $IF_UP netns $NS_A type veth peer name a-up netns $NS_SW"
		echo "link add $IF_UP netns $NS_B type veth peer name b-up netns $NS_SW"
		echo "link add $IF_UP netns $NS_RTR type veth peer name rtr-up netns $NS_SW"
		echo "link add $IF_IN netns $NS_A type veth peer name a-in netns $NS_SW"
		echo "link add $IF_IN netns $NS_B type veth peer name b-in netns $NS_SW"
		echo "link add $IF_IN netns $NS_LHOST type veth" \
		    "peer name lhost-in netns $NS_SW"
		echo "link add $IF_CL netns $NS_A type veth" \
		    "peer name $IF_CL netns $NS_B"
		echo "link add $IF_NET netns $NS_RTR type veth" \
		    "peer name $IF_NET netns $NS_PEER"
		echo "link add $IF_RIN netns $NS_PEER type veth" \
		    "peer name $IF_RIN netns $NS_RHOST"
	} | ip -batch -

	# STP off (the default) forwards at once; no snooping, so that IPv6
	# neighbour discovery needs no querier.
	ip -n "$NS_SW" -batch - <<-EOF
	link set lo up
	link add $BR_UP type bridge forward_delay 0 mcast_snooping 0
	link add $BR_IN type bridge forward_delay 0 mcast_snooping 0
	link set a-up master $BR_UP up
	link set b-up master $BR_UP up
	link set rtr-up master $BR_UP up
	link set a-in master $BR_IN up
	link set b-in master $BR_IN up
	link set lhost-in master $BR_IN up
	link set $BR_UP up
	link set $BR_IN up
	EOF

	# nodad: addresses are usable at once (no 1-2 s of DAD).
	lab_node_links "$NS_A" "$A_UP4" "$A_UP6" "$A_CL4" "$A_CL6" "$A_IN4" "$A_IN6"
	lab_node_links "$NS_B" "$B_UP4" "$B_UP6" "$B_CL4" "$B_CL6" "$B_IN4" "$B_IN6"

	ip -n "$NS_RTR" -batch - <<-EOF
	link set lo up
	link set $IF_UP up
	addr add $RTR_UP4/${UP_NET4#*/} dev $IF_UP
	addr add $RTR_UP6/${UP_NET6#*/} dev $IF_UP nodad
	link set $IF_NET up
	addr add $RTR_NET4/${NET_NET4#*/} dev $IF_NET
	addr add $RTR_NET6/${NET_NET6#*/} dev $IF_NET nodad
	EOF

	ip -n "$NS_PEER" -batch - <<-EOF
	link set lo up
	link set $IF_NET up
	addr add $PEER_NET4/${NET_NET4#*/} dev $IF_NET
	addr add $PEER_NET6/${NET_NET6#*/} dev $IF_NET nodad
	link set $IF_RIN up
	addr add $PEER_IN4/${RPROT4#*/} dev $IF_RIN
	addr add $PEER_IN6/${RPROT6#*/} dev $IF_RIN nodad
	route add 0.0.0.0/0 via $RTR_NET4
	route add ::/0 via $RTR_NET6
	EOF

	ip -n "$NS_RHOST" -batch - <<-EOF
	link set lo up
	link set $IF_RIN up
	addr add $RHOST4/${RPROT4#*/} dev $IF_RIN
	addr add $RHOST6/${RPROT6#*/} dev $IF_RIN nodad
	route add 0.0.0.0/0 via $PEER_IN4
	route add ::/0 via $PEER_IN6
	EOF

	ip -n "$NS_LHOST" -batch - <<-EOF
	link set lo up
	link set $IF_IN up
	addr add $LHOST4/${LPROT4#*/} dev $IF_IN
	addr add $LHOST6/${LPROT6#*/} dev $IF_IN nodad
	route add 0.0.0.0/0 via $LHOST_GW4
	route add ::/0 via $LHOST_GW6
	EOF

	# Routers and nodes forward; sysctls need a process in the netns.
	for ns in "$NS_A" "$NS_B" "$NS_RTR" "$NS_PEER"; do
		ip netns exec "$ns" sysctl -q -w net.ipv4.ip_forward=1 \
		    net.ipv6.conf.all.forwarding=1 > /dev/null
	done
}

# lab_node_links NS UP4 UP6 CL4 CL6 IN4 IN6
lab_node_links()
{
	ip -n "$1" -batch - <<-EOF
	link set lo up
	link set $IF_UP up
	addr add $2/${UP_NET4#*/} dev $IF_UP
	addr add $3/${UP_NET6#*/} dev $IF_UP nodad
	link set $IF_CL up
	addr add $4/${CL_NET4#*/} dev $IF_CL
	addr add $5/${CL_NET6#*/} dev $IF_CL nodad
	link set $IF_IN up
	addr add $6/${LPROT4#*/} dev $IF_IN
	addr add $7/${LPROT6#*/} dev $IF_IN nodad
	route add 0.0.0.0/0 via $RTR_UP4
	route add ::/0 via $RTR_UP6
	EOF
}

# lab_corosync_conf NODE: write $LAB_DIR/NODE/corosync.conf.
lab_corosync_conf()
{
	local d=$LAB_DIR/$1 tuning=

	[ "$LAB_COROSYNC_TUNING" = sample ] && tuning=$(sed -n \
	    's/^[[:space:]]*\(seqno_unchanged_const\|max_messages\|window_size\):/\1:/p' \
	    "$LAB_HERE/../../etc/corosync.conf")
	mkdir -p "$d/state"
	# knet crypto on the ring is a DESIGN guarantee (5); the cluster link
	# is link 0 and preferred, the upstream LAN is the fallback link 1.
	cat > "$d/corosync.conf" <<-EOF
	# generated by test/lab/lab.sh for node $1
	totem {
		version: 2
		cluster_name: ${LAB_PREFIX}cluster
		transport: knet
		crypto_cipher: aes256
		crypto_hash: sha256
		keyfile: $LAB_DIR/authkey
		token: $LAB_TOKEN
		$tuning
		interface {
			linknumber: 0
			knet_link_priority: 2
		}
		interface {
			linknumber: 1
			knet_link_priority: 1
		}
	}
	nodelist {
		node {
			nodeid: $A_NODEID
			name: a
			ring0_addr: $A_CL4
			ring1_addr: $A_UP4
		}
		node {
			nodeid: $B_NODEID
			name: b
			ring0_addr: $B_CL4
			ring1_addr: $B_UP4
		}
	}
	quorum {
		provider: corosync_votequorum
		two_node: 1
	}
	logging {
		to_stderr: no
		to_syslog: no
		to_logfile: yes
		logfile: $d/corosync.log
		timestamp: hires
	}
	system {
		state_dir: $d/state
		sched_rr: $LAB_SCHED_RR
	}
	EOF
}

# lab_start_corosync NODE NS: corosync -f for NODE in netns NS.
lab_start_corosync()
{
	# Private mount and UTS namespaces: a tmpfs on /run for the fixed pid
	# file, and a hosts file that resolves the node's hostname.  Without
	# it corosync's start-up lookup of its own hostname goes to DNS, which
	# the lab's default routes make reachable but never answered: 20 s
	# of resolver timeouts before knet starts.  Without CAP_SYS_RESOURCE
	# corosync cannot lift RLIMIT_MEMLOCK and skips mlockall (as on this
	# project's hosts anyway): 2 x ~130 MB locked would only slow UML.
	lab_bg "corosync-$1" "$2" unshare -m -u sh -c '
	    mount -t tmpfs -o size=4m tmpfs /run &&
	    mount --bind "$1/hosts" /etc/hosts &&
	    hostname "$2" &&
	    exec setpriv --bounding-set -ipc_lock,-sys_resource \
	        corosync -f -c "$1/$2/corosync.conf"' sh "$LAB_DIR" "$1"
}

# lab_wait_members SECONDS: wait until both nodes see a quorate view of 2.
lab_wait_members()
{
	local qa qb rc=0

	ip netns exec "$NS_A" "$LAB_TOOLS/qwait" 2 "$1" > "$LAB_DIR/qwait-a.out" 2>&1 &
	qa=$!
	ip netns exec "$NS_B" "$LAB_TOOLS/qwait" 2 "$1" > "$LAB_DIR/qwait-b.out" 2>&1 &
	qb=$!
	wait "$qa" || rc=1
	wait "$qb" || rc=1
	return "$rc"
}

lab_up()
{
	local t0 t1 t2 n

	if [ ! -x "$LAB_TOOLS/qwait" ]; then
		lab_log "no $LAB_TOOLS/qwait: run make tools (LAB_B=$LAB_B)"
		return 1
	fi
	# Leftovers of a crashed or interrupted run go first.
	if lab_any; then
		lab_log "cleaning up a previous $LAB_INSTANCE lab"
		lab_down || return 1
	fi
	lab_now
	t0=$LAB_NOW
	rm -rf "$LAB_DIR"
	mkdir -p "$LAB_DIR"
	: > "$LAB_PIDS"
	lab_links
	lab_now
	t1=$LAB_NOW

	# The authkey is secret: readable by root only, removed by down.
	(umask 077 && head -c 256 /dev/urandom > "$LAB_DIR/authkey")
	for n in a b; do
		lab_corosync_conf "$n"
	done
	printf '127.0.0.1\tlocalhost\n::1\tlocalhost\n%s\ta\n%s\tb\n' \
	    "$A_CL4" "$B_CL4" > "$LAB_DIR/hosts"
	lab_start_corosync a "$NS_A"
	lab_start_corosync b "$NS_B"
	if ! lab_wait_members "$LAB_UP_TIMEOUT"; then
		lab_log "corosync did not reach a 2-member membership in ${LAB_UP_TIMEOUT}s"
		for n in a b; do
			lab_log "--- node $n: qwait"
			cat "$LAB_DIR/qwait-$n.out" >&2 || true
			lab_log "--- node $n: corosync.out, corosync.log (tail)"
			cat "$LAB_DIR/corosync-$n.out" >&2 || true
			tail -n 20 "$LAB_DIR/$n/corosync.log" >&2 || true
		done
		return 1
	fi
	lab_now
	t2=$LAB_NOW
	lab_secs "$t0" "$t1"
	LAB_UP_NET_S=$LAB_SECS
	lab_secs "$t1" "$t2"
	LAB_UP_MEMBERS_S=$LAB_SECS
	lab_log "up: namespaces and links ${LAB_UP_NET_S}s," \
	    "corosync 2-member membership after ${LAB_UP_MEMBERS_S}s"
}

# --- down -------------------------------------------------------------------

# Remove libqb's shared-memory files left by corosyncs that were killed
# (SIGKILL skips their clean-up): the blackbox "qb-corosync-PID-blackbox-*"
# and the per-connection folders "qb-SERVERPID-CLIENTPID-N-RANDOM".  Only
# files of corosyncs this lab recorded, and only once every PID in the
# name is dead: a live process may still map them.
lab_shm_clean()
{
	local f base name pid start srv cli
	local -a cs=()

	[ -s "$LAB_PIDS" ] || return 0
	while read -r name pid start; do
		case $name in corosync-*) cs+=("$pid") ;; esac
	done < "$LAB_PIDS"
	for f in /dev/shm/qb-*; do
		[ -e "$f" ] || continue
		base=${f##*/qb-}
		case $base in
		corosync-*-blackbox-*)
			srv=${base#corosync-}; srv=${srv%%-*}; cli=$srv ;;
		[0-9]*-[0-9]*-*)
			srv=${base%%-*}; cli=${base#*-}; cli=${cli%%-*} ;;
		*)	continue ;;
		esac
		case " ${cs[*]} " in *" $srv "*) ;; *) continue ;; esac
		! lab_running "$srv" && ! lab_running "$cli" || continue
		rm -rf -- "$f"
	done
}

lab_down()
{
	local name pid start ns rc=0 del=""
	local -a live=()

	if [ -s "$LAB_PIDS" ]; then
		while read -r name pid start; do
			lab_alive "$pid" "$start" || continue
			kill -TERM "$pid" 2>/dev/null || true
			live+=("$pid" "$start")
		done < "$LAB_PIDS"
		if [ "${#live[@]}" -gt 0 ] && ! lab_wait_gone 15 "${live[@]}"; then
			lab_log "down: SIGKILL to what did not stop on SIGTERM"
			while read -r name pid start; do
				lab_alive "$pid" "$start" || continue
				kill -KILL "$pid" 2>/dev/null || true
			done < "$LAB_PIDS"
			lab_wait_gone 5 "${live[@]}" || true
		fi
	fi
	for ns in $LAB_NSES; do
		lab_ns_exists "$ns" && del+="netns del $ns"$'\n'
	done
	[ -z "$del" ] || printf '%s' "$del" | ip -batch - || rc=1
	lab_shm_clean
	rm -f "$LAB_DIR/authkey"

	# Verify: nothing of ours may be left.
	for ns in $LAB_NSES; do
		if lab_ns_exists "$ns"; then
			lab_log "down: namespace $ns is still there"
			rc=1
		fi
	done
	if [ -s "$LAB_PIDS" ]; then
		while read -r name pid start; do
			if lab_alive "$pid" "$start"; then
				lab_log "down: $name (pid $pid) is still alive"
				rc=1
			fi
		done < "$LAB_PIDS"
	fi
	[ "$rc" != 0 ] || rm -f "$LAB_PIDS"
	return "$rc"
}

# --- status -----------------------------------------------------------------

lab_status()
{
	local ns name pid start n rc=0

	for ns in $LAB_NSES; do
		if lab_ns_exists "$ns"; then
			echo "netns $ns: present"
		else
			echo "netns $ns: absent"
			rc=1
		fi
	done
	if [ -s "$LAB_PIDS" ]; then
		while read -r name pid start; do
			if lab_alive "$pid" "$start"; then
				echo "$name: pid $pid running"
			else
				echo "$name: pid $pid gone"
				rc=1
			fi
		done < "$LAB_PIDS"
	else
		echo "no processes recorded"
		rc=1
	fi
	for n in A B; do
		ns=NS_$n
		lab_ns_exists "${!ns}" || continue
		echo "--- node $n ($ns=${!ns}): corosync-quorumtool -s"
		ip netns exec "${!ns}" corosync-quorumtool -s || rc=1
		echo "--- node $n: corosync-cfgtool -s"
		ip netns exec "${!ns}" corosync-cfgtool -s || rc=1
	done
	return "$rc"
}

lab_env()
{
	local v

	for v in LAB_INSTANCE LAB_PREFIX LAB_DIR LAB_REPO LAB_B LAB_TOOLS \
	    LAB_TOKEN LAB_NSES; do
		printf '%s=%q\n' "$v" "${!v}"
	done
}

# --- CLI --------------------------------------------------------------------

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	case ${1:-} in
	up)	lab_up ;;
	down)	lab_down ;;
	status)	lab_status ;;
	env)	lab_env ;;
	*)	echo "usage: lab.sh up|down|status|env" >&2; exit 2 ;;
	esac
fi
