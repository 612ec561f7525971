#!/bin/bash
# test/lab/demo.sh -- `make demo`: boot User-Mode Linux, bring the lab up,
# show the cluster, take it down.  On the host it re-runs itself inside
# UML (uml-run.sh); inside, it runs the steps of DEMO_STEPS in order.
#
# To grow the demo (failover, drills ...), write a demo_NAME function and
# add NAME to DEMO_STEPS; `down` stays last and also runs on any failure.
#
#   sh test/lab/demo.sh [STEP ...]     (default: $DEMO_STEPS)

# `make demo` runs this with sh: switch to bash first (POSIX line).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

set -eu

here=${BASH_SOURCE[0]%/*}
[ "$here" != "${BASH_SOURCE[0]}" ] || here=.

if [ "${LAB_IN_UML:-0}" != 1 ]; then
	exec bash "$here/uml-run.sh" "$here/demo.sh" "$@"
fi

. "$here/lab.sh"

DEMO_STEPS="up membership down"

banner()
{
	printf '\n=== %s\n' "$*"
}

demo_up()
{
	banner "bring the lab up: 7 namespaces, 2 bridges, corosync on nodes A and B"
	lab_up
}

demo_membership()
{
	local n ns

	for n in A B; do
		ns=NS_$n
		banner "node $n (netns ${!ns}): corosync-quorumtool -s"
		ip netns exec "${!ns}" corosync-quorumtool -s
		banner "node $n (netns ${!ns}): corosync-cfgtool -s"
		ip netns exec "${!ns}" corosync-cfgtool -s
	done
}

demo_down()
{
	banner "take the lab down"
	lab_down
	echo "lab instance $LAB_INSTANCE is down: no namespace, no process left"
}

trap 'rc=$?; trap - EXIT; [ "$rc" = 0 ] || lab_down || true; exit "$rc"' EXIT

[ $# -gt 0 ] || set -- $DEMO_STEPS
for step in "$@"; do
	if ! declare -F "demo_$step" > /dev/null; then
		echo "demo: no step $step (steps: $DEMO_STEPS)" >&2
		exit 2
	fi
	"demo_$step"
done
