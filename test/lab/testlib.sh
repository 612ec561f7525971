# test/lab/testlib.sh -- sourced (bash) by every test/lab/t_*.sh.
#
# A test either uses the lab that is already up (run-tests.sh brings one
# up for all tests) or brings it up itself and then also takes it down.
# Whatever a test adds, it undoes in its EXIT trap: t_on_exit CMD pushes
# a clean-up command, run in reverse order (also after a failure).

. "${BASH_SOURCE[0]%/*}/lab.sh"

T_NAME=${0##*/}
T_NAME=${T_NAME%.sh}
T_OWN_LAB=0
T_CLEANUP=()

# info MSG: a result worth seeing; run-tests.sh shows these lines.
info()
{
	echo "# $*"
}

fail()
{
	echo "FAIL: $T_NAME: $*" >&2
	exit 1
}

# skip MSG: this test cannot run here (exit 77, shown as SKIP).
skip()
{
	echo "SKIP: $T_NAME: $*"
	exit 77
}

t_on_exit()
{
	T_CLEANUP+=("$*")
}

t_exit()
{
	local rc=$? i

	trap - EXIT INT TERM
	set +e
	for ((i = ${#T_CLEANUP[@]} - 1; i >= 0; i--)); do
		eval "${T_CLEANUP[i]}"
	done
	if [ "$T_OWN_LAB" = 1 ]; then
		lab_down || rc=1
		# What to say once the lab is gone (the demo's last line).
		[ -z "${T_AFTER_DOWN:-}" ] || [ "$rc" != 0 ] ||
		    eval "$T_AFTER_DOWN"
	fi
	exit "$rc"
}
trap t_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Use the running lab, or bring one up (and down again at exit).
t_lab()
{
	if lab_is_up; then
		return 0
	fi
	T_OWN_LAB=1
	lab_up || fail "lab did not come up"
}

# t_poll SECONDS CMD...: run CMD until it succeeds or SECONDS pass.
t_poll()
{
	local deadline

	lab_now
	deadline=$(( LAB_NOW + $1 * 1000000 ))
	shift
	while ! "$@"; do
		lab_now
		[ "$LAB_NOW" -lt "$deadline" ] || return 1
		sleep 0.2
	done
}
