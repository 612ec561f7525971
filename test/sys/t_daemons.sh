#!/bin/bash
# test/sys/t_daemons.sh -- the daemon frame, end to end, on the host:
# two instances of each daemon side by side, one per network namespace as
# in the lab (each with its own run directory; ikev2d binds UDP 500/4500),
# a second instance on a taken run directory refused, bad configuration
# refused with FILE:LINE and exit 2, SIGHUP with a broken file keeps the
# running configuration, SIGTERM stops cleanly, and haadm status reports
# health with the documented exit codes.
#
# Usage: t_daemons.sh BUILD_DIR   (run from the repository root)
set -eu
B=${1:-build}
T=$(mktemp -d /tmp/tnd-sys.XXXXXX)
NS=tnd-sys$$-		# our namespaces: ${NS}a, ${NS}b
pids=()

cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${pids[@]}"; do
		wait_gone "$p" || true
	done
	for n in a b; do
		ip netns del "$NS$n" 2>/dev/null || true
	done
	rm -rf "$T"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# Wait (deadline 5 s) for a condition command to succeed.
wait_for() {
	local end=$((SECONDS + 5))
	until "$@"; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.05
	done
}
wait_gone() { wait_for sh -c "! kill -0 $1 2>/dev/null"; }

cp etc/tandem.conf "$T/good.conf"
printf 'ike = {\n  bogus_key = 1;\n};\n' > "$T/bad.conf"

# Bad configuration: one line naming file and line, exit 2, nothing left.
for d in ikev2d syncd hamgrd; do
	set +e
	msg=$("$B/$d" -f -c "$T/bad.conf" -r "$T/bad" 2>&1)
	rc=$?
	set -e
	[ $rc -eq 2 ] || fail "$d: bad config exit $rc, want 2"
	[ "$(printf '%s\n' "$msg" | wc -l)" -eq 1 ] ||
	    fail "$d: want one error line, got: $msg"
	case $msg in
	"$T/bad.conf:2:"*) ;;
	*) fail "$d: error does not name file:line: $msg" ;;
	esac
	[ ! -e "$T/bad" ] || fail "$d: created its run directory on bad config"
	"$B/$d" -n -c "$T/good.conf" >/dev/null ||
	    fail "$d --check-config rejects the sample config"
done

# use_vmac: both daemons' -n accept it (the macvlan is hamgrd's, made
# at start); vmac_name without it is refused with one line, exit 2.
sed 's/use_vmac = false;/use_vmac = true;/' etc/tandem.conf > "$T/vmac.conf"
grep -q 'use_vmac = true;' "$T/vmac.conf" || fail "no use_vmac in the sample"
for d in hamgrd ikev2d; do
	"$B/$d" -n -c "$T/vmac.conf" >/dev/null ||
	    fail "$d --check-config rejects use_vmac"
done
sed 's/use_vmac = false;/vmac_name = "v0";/' etc/tandem.conf \
    > "$T/novmac.conf"
set +e
msg=$("$B/hamgrd" -n -c "$T/novmac.conf" 2>&1)
rc=$?
set -e
[ $rc -eq 2 ] || fail "hamgrd -n: vmac_name alone: exit $rc, want 2"
case $msg in
*"vmac_name: has no effect without use_vmac = true") ;;
*) fail "hamgrd -n: vmac_name alone: $msg" ;;
esac

# Two nodes' worth of daemons side by side, in the background (detached).
for n in a b; do
	ip netns add "$NS$n"
	ip -n "$NS$n" link set lo up
	for d in ikev2d syncd hamgrd; do
		ip netns exec "$NS$n" "$B/$d" -c "$T/good.conf" -r "$T/$n" ||
		    fail "$d in $T/$n did not start"
		pids+=("$(cat "$T/$n/$d.pid")")
		[ -S "$T/$n/$d.sock" ] || fail "$d: no control socket in $T/$n"
	done
done
for n in a b; do
	"$B/haadm" -r "$T/$n" status >/dev/null || fail "node $n not healthy"
done
[ "$("$B/haadm" -r "$T/a" --json status | grep -o '"pid": "[0-9]*"' |
    sort -u | wc -l)" -eq 3 ] || fail "haadm --json: want three pids"

# status_schema HEALTH RC: `haadm --json status` on node a validates
# against ha/haadm-status.schema.json (the documented schema), says
# HEALTH, and haadm exits RC.  Debian's python3 and python3-jsonschema
# (DEPS_DEB), whatever python3 comes first in PATH.
status_schema()
{
	local out rc=0

	out=$("$B/haadm" -r "$T/a" --json status) || rc=$?
	[ "$rc" = "$2" ] || fail "haadm --json status: exit $rc, want $2"
	printf '%s' "$out" | /usr/bin/python3 -c '
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(sys.stdin)
jsonschema.Draft202012Validator(schema).validate(doc)
if doc["health"] != sys.argv[2]:
    sys.exit("health %s, want %s" % (doc["health"], sys.argv[2]))
' ha/haadm-status.schema.json "$1" ||
	    fail "haadm --json status ($1) does not match its schema: $out"
}
status_schema healthy 0

# haadm sas: both tables.  hamgrd holds the sample's group on standby
# (ikev2d then has no SA of it) until this lone node becomes MASTER;
# ikev2d then initiates the sample's connection (start_action = start).
sas=$("$B/haadm" -r "$T/a" --json sas) || fail "haadm sas failed"
case $sas in
'{"ike": [], "child": []}') ;;
'{"ike": [{"uid": "'*'", "conn": "branch1", '*'"child": []}') ;;
*) fail "haadm sas --json: unexpected: $sas" ;;
esac
"$B/haadm" -r "$T/a" sas | grep -q '^IKE SAs: [01]$' || fail "haadm sas table"

# A second instance on a taken run directory is refused, exit 1.
set +e
msg=$(ip netns exec "${NS}b" "$B/ikev2d" -f -c "$T/good.conf" -r "$T/a" 2>&1)
rc=$?
set -e
[ $rc -eq 1 ] || fail "second ikev2d in $T/a: exit $rc, want 1"
case $msg in *"already running"*) ;; *) fail "second ikev2d: $msg" ;; esac

# SIGHUP with a broken file: still running, still answering, old config.
ike_a=$(cat "$T/a/ikev2d.pid")
cp "$T/bad.conf" "$T/good.conf"
kill -HUP "$ike_a"
"$B/haadm" -r "$T/a" status >/dev/null || fail "node a unhealthy after bad HUP"
"$B/haadm" -r "$T/a" --json status | grep -q '"reloads": "0"' ||
    fail "a broken reload was counted as a reload"
cp etc/tandem.conf "$T/good.conf"
kill -HUP "$ike_a"
wait_for sh -c "'$B/haadm' -r '$T/a' --json status | grep -q '\"reloads\": \"1\"'" ||
    fail "a good reload was not taken"

# haadm resync without a cluster (no corosync here): refused, exit 2,
# with the reason; the JSON says so too.
set +e
msg=$("$B/haadm" -r "$T/a" resync 2>&1); rc=$?
set -e
[ $rc -eq 2 ] || fail "haadm resync without a cluster: exit $rc, want 2"
case $msg in *"refused: not in the cluster"*) ;;
*) fail "haadm resync without a cluster: $msg" ;; esac
set +e
msg=$("$B/haadm" -r "$T/a" --json resync 2>&1); rc=$?
set -e
[ $rc -eq 2 ] || fail "haadm --json resync: exit $rc, want 2"
case $msg in '{"result": "refused", "why": "not in the cluster'*) ;;
*) fail "haadm --json resync: $msg" ;; esac

# Degraded and failed exit codes.
kill "$(cat "$T/a/syncd.pid")"
wait_for test ! -e "$T/a/syncd.sock" || fail "syncd left its socket"
set +e
"$B/haadm" -r "$T/a" status >/dev/null; rc=$?
set -e
[ $rc -eq 1 ] || fail "haadm status with syncd down: exit $rc, want 1"
status_schema degraded 1
for d in ikev2d hamgrd; do kill "$(cat "$T/a/$d.pid")"; done
wait_for test ! -e "$T/a/ikev2d.pid" -a ! -e "$T/a/hamgrd.pid" ||
    fail "pid files left after SIGTERM"
set +e
"$B/haadm" -r "$T/a" status >/dev/null; rc=$?
set -e
[ $rc -eq 2 ] || fail "haadm status with all down: exit $rc, want 2"
status_schema failed 2
set +e
"$B/haadm" -r "$T/a" sas >/dev/null 2>&1; rc=$?
set -e
[ $rc -eq 2 ] || fail "haadm sas with ikev2d down: exit $rc, want 2"
"$B/haadm" -r "$T/b" status >/dev/null || fail "node b hurt by node a's stop"
echo "PASS t_daemons"
