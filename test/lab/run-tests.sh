#!/bin/bash
# test/lab/run-tests.sh [t_NAME.sh ...] -- run lab tests (default: every
# test/lab/t_*.sh, in name order) as root, normally inside UML through
# `make lab-check`.  Brings one lab up for all of them (timed on its own
# line); t_teardown.sh takes it down and checks; a final `down` is a
# no-op then.  One PASS/FAIL/SKIP line per test with its duration; a
# failed test's whole output follows its line, a passed test's "# " lines.
# A test exits 77 to be skipped (t_esp.sh on a host kernel without ESP).
#
#   LAB_TEST_TIMEOUT   seconds per test (default 180)

set -eu

here=${BASH_SOURCE[0]%/*}
. "$here/lab.sh"

LAB_TEST_TIMEOUT=${LAB_TEST_TIMEOUT:-180}
logs=${LAB_RESULTS:-$LAB_DIR-logs}
mkdir -p "$logs"

if [ $# -gt 0 ]; then
	tests=("$@")
else
	tests=("$here"/t_*.sh)
fi

pass=0
failed=()
lab_now
t_all=$LAB_NOW

# report NAME RC START LOG
report()
{
	local name=$1 rc=$2 log=$4

	lab_now
	lab_secs "$3" "$LAB_NOW"
	if [ "$rc" = 77 ]; then
		printf 'SKIP  %-16s %6ss\n' "$name" "$LAB_SECS"
		sed -n 's/^SKIP: /      # /p' "$log"
	elif [ "$rc" = 0 ]; then
		printf 'PASS  %-16s %6ss\n' "$name" "$LAB_SECS"
		[[ $name != t_* ]] || pass=$((pass + 1))
		grep '^# ' "$log" | sed 's/^/      /' || true
	else
		printf 'FAIL  %-16s %6ss  (exit %s)\n' "$name" "$LAB_SECS" "$rc"
		failed+=("$name")
		sed 's/^/      | /' "$log"
	fi
}

lab_now
t0=$LAB_NOW
rc=0
lab_up > "$logs/lab-up.log" 2>&1 || rc=$?
report lab-up "$rc" "$t0" "$logs/lab-up.log"
grep '^lab: up:' "$logs/lab-up.log" | sed 's/^/      # /' || true

for t in "${tests[@]}"; do
	name=${t##*/}
	name=${name%.sh}
	lab_now
	t0=$LAB_NOW
	rc=0
	timeout -k 5 "$LAB_TEST_TIMEOUT" bash "$t" > "$logs/$name.log" 2>&1 \
	    < /dev/null || rc=$?
	[ "$rc" != 124 ] ||
	    echo "timed out after ${LAB_TEST_TIMEOUT}s" >> "$logs/$name.log"
	report "$name" "$rc" "$t0" "$logs/$name.log"
done

lab_now
t0=$LAB_NOW
rc=0
lab_down > "$logs/lab-down.log" 2>&1 || rc=$?
report lab-down "$rc" "$t0" "$logs/lab-down.log"

lab_now
lab_secs "$t_all" "$LAB_NOW"
echo "lab-check: $pass test(s) passed, ${#failed[@]} step(s) failed," \
    "${LAB_SECS}s in all${failed[*]:+ (failed: ${failed[*]})}"
[ "${#failed[@]}" = 0 ]
