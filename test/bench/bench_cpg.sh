#!/bin/bash
# test/bench/bench_cpg.sh B OUT.jsonl -- replication between two nodes in
# host network namespaces (`make bench-cpg`; root).  LAB-NOTES 1: CPG in
# UML is ~100x slower, so this runs on the host, where no ESP is needed.
#
#   lab (LAB_INSTANCE=bench): corosync A and B (knet, aes256/sha256)
#   syncd A, syncd B; cpgload in A's netns plays ikev2d on A's socket
#
# Figures (cpgload.c): events/s and commit latency p50/p99 (event sent ->
# every other node holds it -> acknowledged to the sender), at window 1
# (one event at a time: pure latency) and 256 (pipelined, as many SAs in
# flight); and the bulk resync of 10,000 IKE SAs with one Child SA each
# into a restarted syncd on B (cpg_bulk_resync_10k_ms, B's own BEGIN..END
# time, and cpg_bulk_identical_10k_ms until B's digest equals A's); the
# local reload stream a restarted ikev2d asks for (cpg_local_reload_*).
set -eu
B=${1:?build dir}
OUT=${2:?out.jsonl}
case $B in /*) ;; *) B=$PWD/$B ;; esac
export LAB_INSTANCE=${LAB_INSTANCE:-bench} LAB_B=$B
here=${BASH_SOURCE[0]%/*}
. "$here/../lab/lab.sh"

W=$LAB_DIR/bench
cleanup()
{
	set +e
	lab_down
	rm -rf "$W"
}
trap cleanup EXIT
lab_up
mkdir -p "$W/a" "$W/b"
cat > "$W/tandem.conf" <<EOC
sync = {
	cpg_group = "tandem-bench";
	ack_max_delay = "${BENCH_ACK_DELAY:-2ms}";
};
ha = {
	node = "a";
	groups = { vg1 = { vrid = 51; interface = "up0";
	    vips = [ "192.0.2.1/24" ]; }; };
};
EOC

start_syncd()
{
	local ns=$NS_A

	[ "$1" = b ] && ns=$NS_B
	rm -f "$W/$1/syncd-ike.sock"
	lab_bg "syncd-$1" "$ns" "$B/syncd" -f -c "$W/tandem.conf" -r "$W/$1"
	eval "PID_$1=\$LAB_PID"
	while [ ! -S "$W/$1/syncd-ike.sock" ]; do sleep 0.05; done
}

# st NODE KEY: ST = the value of KEY in NODE's syncd status.
st()
{
	local out re="\"$2\": \"([^\"]*)\""

	ST=
	out=$("$B/haadm" -r "$W/$1" --json status 2>/dev/null) || true
	[[ $out =~ $re ]] && ST=${BASH_REMATCH[1]}
	return 0
}

members2()
{
	st a nmembers
	[ "$ST" = 2 ]
}

start_syncd a
start_syncd b
until members2; do sleep 0.05; done

: > "$OUT"
run()
{
	ip netns exec "$NS_A" "$B/bench/cpgload" "$W/out.jsonl" \
	    "$W/a/syncd-ike.sock" "$@"
	cat "$W/out.jsonl" >> "$OUT"
}
run 2000 1 w1
run 20000 256 w256
# 10,000 IKE SAs with one Child SA each, then B restarts.
run 20000 256 pairs10k pairs
# What a restarted ikev2d would ask its syncd for (item 5, syncd side).
run 20000 1 reload20k dump
lab_stop "$PID_b"
st a digest
want=$ST
lab_now
t0=$LAB_NOW
start_syncd b
while :; do
	st b digest
	[ "$ST" = "$want" ] && break
	lab_now
	[ $((LAB_NOW - t0)) -lt 60000000 ] || { echo "bench_cpg: B never identical" >&2; exit 1; }
	sleep 0.02
done
lab_now
ms=$(( (LAB_NOW - t0) / 1000 ))
st b bulk_ms
echo "bulk resync of 10,000 IKE + 10,000 Child SAs: $ST ms on B" \
    "(BEGIN..END); B identical ${ms} ms after its start"
printf '{"figure": "cpg_bulk_resync_10k_ms", "value": %s, "unit": "ms"}\n' "$ST" >> "$OUT"
printf '{"figure": "cpg_bulk_identical_10k_ms", "value": %s, "unit": "ms"}\n' "$ms" >> "$OUT"
lab_stop "$PID_a"
lab_stop "$PID_b"
