#!/bin/bash
# test/lab/uml-run.sh SCRIPT [ARGS...] -- run SCRIPT inside one User-Mode
# Linux kernel and exit with SCRIPT's status.
#
# The host kernel has no ESP (LAB-NOTES 1); UML's 6.1 kernel loads esp4,
# gcm & co. as modules and boots in ~2-5 s with the host's root file system
# as its read-only root, so everything built here is visible inside.
#
#   per-run folder   $LAB_RUNS/run.XXXXXX (default build/lab/): UML's
#                    uml_dir (so nothing lands in ~/.uml), its log, and
#                    results/ -- mounted writable inside (hostfs); the
#                    script's output.log and status land there
#   environment      every LAB_* variable is passed in (results/env), plus
#                    LAB_REPO: the repository, and LAB_IN_UML=1
#   deadline         LAB_TIMEOUT seconds (default 600) for the whole boot;
#                    the script inside gets 20 s less, then UML is killed
#   clean-up         on exit, INT or TERM the UML process group is killed
#                    by its PID; the run folder is kept only on failure
#                    (or with LAB_KEEP=1)
#
# SCRIPT's output is shown live (UML console) and kept in output.log.

set -eu

if [ $# -lt 1 ]; then
	echo "usage: uml-run.sh SCRIPT [ARGS...]" >&2
	exit 2
fi

here=${BASH_SOURCE[0]%/*}
[ "$here" != "${BASH_SOURCE[0]}" ] || here=.
here=$(cd "$here" && pwd)
export LAB_REPO=${LAB_REPO:-${here%/test/lab}}
LAB_TIMEOUT=${LAB_TIMEOUT:-600}
LAB_RUNS=${LAB_RUNS:-$LAB_REPO/build/lab}
UML=${UML:-/usr/bin/linux.uml}

script=$1
shift
case $script in /*) ;; *) script=$PWD/$script ;; esac
if [ ! -r "$script" ]; then
	echo "uml-run: no script $script" >&2
	exit 2
fi
if [ ! -x "$UML" ]; then
	echo "uml-run: no $UML (Debian package user-mode-linux)" >&2
	exit 2
fi

mkdir -p "$LAB_RUNS"
run=$(mktemp -d "$LAB_RUNS/run.XXXXXX")
res=$run/results
mkdir -p "$res"

uml_pid=
dog_pid=
status=125

cleanup()
{
	trap - EXIT INT TERM
	# UML runs every guest address space as a host process in its own
	# process group (setsid below): kill the group, by UML's PID.
	if [ -n "$uml_pid" ] && kill -0 "$uml_pid" 2>/dev/null; then
		kill -KILL -- "-$uml_pid" 2>/dev/null || true
		wait "$uml_pid" 2>/dev/null || true
	fi
	if [ -n "$dog_pid" ]; then
		kill "$dog_pid" 2>/dev/null || true
		wait "$dog_pid" 2>/dev/null || true
	fi
	rm -rf "$run/uml"
	if [ "$status" = 0 ] && [ "${LAB_KEEP:-0}" != 1 ]; then
		rm -rf "$run"
	else
		echo "uml-run: run folder kept: $run" >&2
	fi
	exit "$status"
}
trap cleanup EXIT
trap 'status=130; exit 130' INT
trap 'status=143; exit 143' TERM

# The script and its environment, for uml-init.sh to source.
{
	while read -r v; do
		case $v in LAB_*) printf 'export %s=%q\n' "$v" "${!v}" ;; esac
	done < <(compgen -e)
	printf 'export LAB_IN_UML=1 LAB_RESULTS=/tmp/lab-results\n'
	printf 'LAB_SCRIPT=%q\n' "$script"
	printf 'LAB_ARGS=('
	for a in "$@"; do
		printf ' %q' "$a"
	done
	printf ' )\n'
} > "$res/env"

t0=$EPOCHREALTIME
# setsid: UML and all its helpers in one process group of their own.  As a
# background child of a non-interactive shell UML is not a group leader,
# so setsid does not fork and $! is UML's own PID.
setsid "$UML" mem=1536M root=/dev/root rootfstype=hostfs rootflags=/ ro \
    init="$here/uml-init.sh" con0=fd:0,fd:1 con=null loglevel=1 \
    umid=tandem-lab uml_dir="$run/uml" \
    LAB_RUN="$res" LAB_TIMEOUT="$LAB_TIMEOUT" < /dev/null 2> "$run/uml.log" &
uml_pid=$!

# Watchdog: a hung UML is killed at the deadline, and so is UML whose
# uml-run.sh was SIGKILLed (no trap runs then).  One check a second.
(
	trap - EXIT INT TERM
	end=$((SECONDS + LAB_TIMEOUT))
	while [ "$SECONDS" -lt "$end" ]; do
		kill -0 "$uml_pid" 2>/dev/null || exit 0
		if ! kill -0 "$$" 2>/dev/null; then
			kill -KILL -- "-$uml_pid" 2>/dev/null
			exit 0
		fi
		sleep 1
	done
	echo "uml-run: deadline of ${LAB_TIMEOUT}s passed, killing UML" >&2
	kill -KILL -- "-$uml_pid" 2>/dev/null || true
) &
dog_pid=$!

rc=0
wait "$uml_pid" || rc=$?
uml_pid=
t1=$EPOCHREALTIME

if [ -s "$res/status" ]; then
	read -r status < "$res/status"
else
	echo "uml-run: no exit status from inside UML (UML exit $rc)" >&2
	tail -n 20 "$run/uml.log" >&2 || true
	status=125
fi
us0=$(( ${t0%.*} * 1000000 + 10#${t0#*.} ))
us1=$(( ${t1%.*} * 1000000 + 10#${t1#*.} ))
d=$(( (us1 - us0) / 100000 ))
echo "uml-run: ${script##*/} exited $status;" \
    "UML ran $((d / 10)).$((d % 10)) s" >&2
