#!/bin/bash
# t_cpg -- a CPG round trip between the nodes: cpgping serve on node B,
# cpgping ping from node A; every echo must come back from B's nodeid.

set -eu
. "${BASH_SOURCE[0]%/*}/testlib.sh"
t_lab

N=${T_CPG_N:-20}
group=${LAB_PREFIX}cpgping
[ -x "$LAB_TOOLS/cpgping" ] || fail "no $LAB_TOOLS/cpgping: make tools"

# The server has a deadline of its own, so it cannot outlive a lost test.
lab_bg cpgping-serve "$NS_B" "$LAB_TOOLS/cpgping" serve "$group" 120
srv=$LAB_PID
t_on_exit lab_stop "$srv"

# ping waits (bounded) until B's server is in the group: no sleep here.
out=$(ip netns exec "$NS_A" "$LAB_TOOLS/cpgping" ping "$group" "$N" 60 2>&1) ||
    { echo "$out"; fail "cpgping ping failed"; }
echo "$out"
[[ $out =~ $N/$N\ echoes ]] || fail "not $N/$N echoes"
[[ $out =~ echo\ from\ nodeid\ $B_NODEID ]] || fail "echoes not from node B"
info "A -> B -> A over CPG: ${out##*$'\n'}"

lab_stop "$srv"
grep -q "serve: $N echoed" "$LAB_DIR/cpgping-serve.out" ||
    { cat "$LAB_DIR/cpgping-serve.out"; fail "server did not echo $N"; }
