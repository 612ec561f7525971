#!/bin/bash
# t_teardown -- `lab.sh down` leaves nothing behind, even after a crash:
# node A's corosync is SIGKILLed first (as a crashed run would leave it,
# with its libqb files in /dev/shm).  Then: no lab namespace in `ip netns
# list`, no lab interface in this namespace, no recorded PID alive, no
# qb-* file of a recorded corosync; a second `down` succeeds too.

set -eu
. "${BASH_SOURCE[0]%/*}/testlib.sh"
t_lab
T_OWN_LAB=0		# this test takes the lab down itself

cp "$LAB_PIDS" "$LAB_DIR/pids.t_teardown"
pids=()
cs=()
while read -r name pid start; do
	pids+=("$name $pid $start")
	case $name in corosync-*) cs+=("$pid") ;; esac
done < "$LAB_DIR/pids.t_teardown"
[ "${#cs[@]}" = 2 ] || fail "expected 2 recorded corosyncs, have ${#cs[@]}"

# Simulate a crash of node A's corosync.
read -r _ pid_a start_a < <(grep '^corosync-a ' "$LAB_DIR/pids.t_teardown")
kill -KILL "$pid_a"
lab_wait_gone 5 "$pid_a" "$start_a" || fail "corosync-a survived SIGKILL"
shm_left()
{
	local f p

	for f in /dev/shm/qb-*; do
		[ -e "$f" ] || continue
		for p in "${cs[@]}"; do
			case ${f##*/} in *-"$p"-*) echo "${f##*/}" ;; esac
		done
	done
}
left=$(shm_left)
n=$(grep -c "corosync-$pid_a-" <<< "$left" || true)
info "after SIGKILL of corosync-a: $n qb file(s) of pid $pid_a in /dev/shm"

lab_down || fail "lab.sh down failed"

netns=$(ip netns list)
for ns in $LAB_NSES; do
	[[ $'\n'$netns$'\n' != *$'\n'"$ns"[$' \n']* ]] ||
	    fail "namespace $ns still in ip netns list"
done
links=$(ip -o link show)
for l in "$BR_UP" "$BR_IN" a-up b-up rtr-up a-in b-in lhost-in; do
	[[ $links != *" $l:"* && $links != *" $l@"* ]] ||
	    fail "interface $l left in the root namespace"
done
for p in "${pids[@]}"; do
	read -r name pid start <<< "$p"
	! lab_alive "$pid" "$start" || fail "$name (pid $pid) still alive"
done
left=$(shm_left)
[ -z "$left" ] || fail "qb files of lab corosyncs left: $left"
read -r -a nses <<< "$LAB_NSES"
info "down: ${#pids[@]} recorded process(es) and ${#nses[@]} namespaces" \
    "gone, /dev/shm clean"

lab_down || fail "a second lab.sh down failed"
rm -f "$LAB_DIR/pids.t_teardown"
