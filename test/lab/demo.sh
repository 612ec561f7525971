#!/bin/bash
# test/lab/demo.sh -- `make demo`: boot User-Mode Linux, bring the lab up
# (two Tandem nodes, the upstream LAN with the VIP, a strongSwan peer with
# a tunnel to the VIP, a host behind each side), start traffic, run a
# crash drill and a planned drill there and back, print both reports and `haadm
# status`, take everything down.  On the host it re-runs itself inside
# UML (uml-run.sh); inside, it runs the steps of DEMO_STEPS in order.
#
#   sh test/lab/demo.sh [STEP ...]     (default: $DEMO_STEPS)
#
# To grow the demo, write a demo_NAME function and add NAME to
# DEMO_STEPS.  Whatever a step starts is recorded (lab_bg) and stopped at
# the end, also after a failure; the lab goes down with it.

# `make demo` runs this with sh: switch to bash first (POSIX line).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

set -eu

here=${BASH_SOURCE[0]%/*}
[ "$here" != "${BASH_SOURCE[0]}" ] || here=.
case $here in /*) ;; *) here=$PWD/$here ;; esac

if [ "${LAB_IN_UML:-0}" != 1 ]; then
	exec bash "$here/uml-run.sh" "$here/demo.sh" "$@"
fi

. "$here/testlib.sh"
. "$here/ike/ike-lib.sh"
. "$here/ha/ha-lib.sh"

DEMO_STEPS="up membership stack tunnel traffic crash planned status down"

banner()
{
	printf '\n=== %s\n' "$*"
}

demo_up()
{
	banner "bring the lab up: 7 namespaces, 2 bridges, corosync on nodes A and B"
	t_lab
	ha_check_tools
}

demo_membership()
{
	banner "node A: corosync-quorumtool -s (knet, crypto on)"
	ip netns exec "$NS_A" corosync-quorumtool -s
}

demo_stack()
{
	banner "start syncd, ikev2d --standby and hamgrd on A (priority 200) and B (100)"
	ha_setup
	ike_charon_start
	ha_pair
	echo "A is MASTER of vg1 (VIPs $VIP4 and $IVIP4), B is BACKUP"
}

demo_tunnel()
{
	banner "the remote site's strongSwan connects to the VIP"
	ike_swanctl --initiate --child net --timeout 30 > /dev/null ||
	    fail "swanctl --initiate failed"
	t_poll 10 ha_sync_same || fail "B's syncd does not hold A's SAs"
	ike_peer_sas
	echo "$IKE_SAS" | sed -n '1p;/net:/p;/ in /p;/ out /p'
	echo "(replicated to B: same SAs, same keys, digest equal)"
}

demo_traffic()
{
	banner "traffic: lhost pings rhost every 10 ms through the tunnel"
	lab_bg demo-ping "$NS_LHOST" ping -n -i 0.01 -W 1 "$RHOST4"
	t_on_exit lab_stop "$LAB_PID"
	t_poll 20 eval '[ "$(grep -c "bytes from" "$LAB_DIR/demo-ping.out" ||
	    true)" -ge 100 ]' || fail "no traffic through the tunnel"
	echo "100 echoes answered"
}

# drill NODE ARGS...: haadm drill on NODE, in its namespace (a crash
# drill takes the node's own links down); its report on stdout.
drill()
{
	local n=$1 rc=0

	shift
	ip netns exec "$(ha_ns "$n")" "$IKE_B/haadm" -r "$(ha_run "$n")" \
	    drill -c "$HA_DIR/$n/tandem.conf" "$@" || rc=$?
	[ "$rc" = 0 ] || fail "the drill did not pass (exit $rc)"
}

demo_crash()
{
	banner "haadm drill --crash on A: A's LAN links drop for 3 s"
	drill a --crash --down 3s --settle 2s --max-outage 2s \
	    --max-renegotiations 0
	t_poll 20 eval 'ha_role_is b MASTER && ha_role_is a BACKUP &&
	    ha_sync_same' || fail "after the crash drill: not B MASTER"
}

demo_planned()
{
	banner "haadm drill --planned --back on B: vg1 to A and back, clean"
	drill b --planned --back --settle 2s --max-outage 1s \
	    --max-renegotiations 0 --max-rekeys 0
	t_poll 20 eval 'ha_role_is b MASTER && ha_role_is a BACKUP' ||
	    fail "after the planned drill and back: not B MASTER"
}

demo_status()
{
	banner "haadm status on A"
	"$IKE_B/haadm" -r "$(ha_run a)" status || true
	ping_pid=$(ha_pid demo-ping) || true
	[ -z "$ping_pid" ] || kill -INT "$ping_pid"
	t_poll 5 grep -q 'packets transmitted' "$LAB_DIR/demo-ping.out" &&
	    grep 'packets transmitted' "$LAB_DIR/demo-ping.out"
}

demo_down()
{
	banner "take everything down"
	# t_exit (testlib) stops what was started, by PID, then the lab
	# (lab_down checks that no namespace and no process is left).
	echo "stopping the daemons, charon, the witnesses and the lab"
	T_AFTER_DOWN='echo "lab $LAB_INSTANCE is down: no namespace, no process left"'
}

[ $# -gt 0 ] || set -- $DEMO_STEPS
for step in "$@"; do
	if ! declare -F "demo_$step" > /dev/null; then
		echo "demo: no step $step (steps: $DEMO_STEPS)" >&2
		exit 2
	fi
	"demo_$step"
done
