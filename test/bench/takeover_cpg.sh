#!/bin/bash
# test/bench/takeover_cpg.sh B OUT.jsonl [N] -- an ikev2d takeover end to
# end on the host (root; corosync in host network namespaces, as
# bench_cpg.sh; no ESP needed: ikev2d runs with --no-kernel).
#
#   lab (LAB_INSTANCE=takeover): corosync A and B (knet), syncd A and B
#   syncinject in A's netns plays A's ikev2d: N IKE + N Child SAs of
#     group vg1 into syncd A -> CPG -> syncd B (acknowledged)
#   ikev2d B --standby --no-kernel; CTL_ACTIVATE vg1 (unclean): the reload
#     stream from syncd B, imports, activation; then CTL_STANDBY
#
# Checks the ctl reply (every SA resumed, none refused), that B replicates
# after the takeover (its events acknowledged past the imported gens), and
# records takeover_fetch_ms_N (reload stream + import) and
# takeover_install_ms_N (null kernel) into OUT.jsonl.  The injector is
# built here from test/bench/syncinject.c against B's libtandem_core.a.
set -eu
B=${1:?build dir}
OUT=${2:?out.jsonl}
N=${3:-5000}
case $B in /*) ;; *) B=$PWD/$B ;; esac
export LAB_INSTANCE=${LAB_INSTANCE:-takeover} LAB_B=$B
here=$(cd "${BASH_SOURCE[0]%/*}" && pwd)
. "$here/../lab/lab.sh"

W=$LAB_DIR/takeover
fail() { echo "FAIL: takeover_cpg: $*" >&2; exit 1; }
cleanup()
{
	set +e
	lab_down
	rm -rf "$W"
}
trap cleanup EXIT

mkdir -p "$B/bench"
cc -std=c11 -D_GNU_SOURCE -O2 -I"$here/../../include" \
    -o "$B/bench/syncinject" "$here/syncinject.c" "$B/libtandem_core.a" \
    -lconfig -lmnl -lcrypto
lab_up
mkdir -p "$W/a" "$W/b"
# the connection of takeover_fix.h (TKFIX_CONF: keep the two alike)
cat > "$W/tandem.conf" <<EOC
ike = { connections = { ab = {
  vip_group = "vg1";
  local_addrs = "192.0.2.2"; remote_addrs = "%any";
  local = { auth = "psk"; id = "b.example"; };
  remote = { auth = "psk"; id = "%any"; };
  proposals = [ "aes128gcm16-prfsha256-x25519" ];
  dpd_delay = "30s"; rekey_time = "4h";
  children = { net = { local_ts = "10.0.0.0/16";
    remote_ts = "10.128.0.0/9"; esp_proposals = [ "aes128gcm16" ];
    rekey_time = "1h"; }; };
}; };
  secrets = { s1 = { type = "ike"; secret = "0x0102030405"; }; };
};
sync = { cpg_group = "tandem-takeover"; };
ha = { node = "a"; takeover_rekey_spread = "10s";
  groups = { vg1 = { vrid = 51; interface = "up0";
  vips = [ "192.0.2.2/24" ]; }; }; };
EOC
"$B/ikev2d" -n -c "$W/tandem.conf" >/dev/null || fail "config"

for n in a b; do
	ns=$NS_A
	[ $n = b ] && ns=$NS_B
	lab_bg "syncd-$n" "$ns" "$B/syncd" -f -c "$W/tandem.conf" -r "$W/$n"
	while [ ! -S "$W/$n/syncd-ike.sock" ]; do sleep 0.05; done
done
for i in $(seq 200); do
	out=$("$B/haadm" -r "$W/a" --json status 2>/dev/null || true)
	[[ $out =~ \"nmembers\":\ \"2\" ]] && break
	sleep 0.05
done
ip netns exec "$NS_A" "$B/bench/syncinject" "$W/a/syncd-ike.sock" "$N" ||
    fail "syncinject"

lab_bg ikev2d-b "$NS_B" "$B/ikev2d" -f --standby --no-kernel \
    -c "$W/tandem.conf" -r "$W/b"
while [ ! -S "$W/b/ikev2d.sock" ]; do sleep 0.05; done

# kv TEXT KEY: V = the value of "KEY" in haadm's --json output TEXT
kv() { local re="\"$2\": \"([^\"]*)\""; V=; [[ $1 =~ $re ]] && V=${BASH_REMATCH[1]}; return 0; }

st=$("$B/haadm" -r "$W/b" --json status || true)
kv "$st" group_vg1
[ "$V" = standby ] || fail "B's vg1 is '$V' before the takeover, want standby"
rep=$(python3 - "$W/b/ikev2d.sock" <<'EOP'
import socket, struct, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.settimeout(30)
s.connect(sys.argv[1])
body = struct.pack(">HH", 8, 3) + b"vg1" + struct.pack(">HHI", 10, 4, 1)
s.send(struct.pack(">BBHII", 1, 6, 0, 12 + len(body), 1) + body)
m = s.recv(65536)
v, t, fl, ln, i = struct.unpack(">BBHII", m[:12])
p = 12
while p < ln:
    tag, l = struct.unpack(">HH", m[p:p+4]); val = m[p+4:p+4+l]; p += 4 + l
    if tag == 1: print("error=" + val.decode())
    if tag == 2: k, _, x = val.partition(b"\0"); print(k.decode() + "=" + x.decode())
EOP
)
echo "$rep" | tr '\n' ' '; echo
get() { echo "$rep" | sed -n "s/^$1=//p"; }
[ "$(get error)" = "" ] || fail "ACTIVATE: $(get error)"
[ "$(get ike_sas)" = "$N" ] || fail "ike_sas $(get ike_sas), want $N"
[ "$(get child_sas)" = "$N" ] || fail "child_sas $(get child_sas), want $N"
[ "$(get records)" = $((2 * N)) ] || fail "records $(get records)"
[ "$(get refused)" = 0 ] || fail "refused $(get refused)"
[ "$(get failures)" = 0 ] || fail "failures $(get failures)"
[ "$(get rekeys)" = "$N" ] || fail "rekeys $(get rekeys), want $N"

# B replicates: the spread rekeys emit events past the imported gens
# (2N), which syncd B acknowledges (write-ahead on).
for i in $(seq 100); do
	st=$("$B/haadm" -r "$W/b" --json status || true)
	kv "$st" sync_acked_seq
	[ "${V:-0}" -gt $((2 * N)) ] && break
	sleep 0.1
done
[ "${V:-0}" -gt $((2 * N)) ] || fail "B's events not acknowledged past $((2 * N)) (acked ${V:-0})"
kv "$st" sync_mode
[ "$V" = on ] || fail "sync_mode $V"

kv "$st" group_vg1
[ "$V" = active ] || fail "vg1 is '$V' on B after the takeover"
printf '{"figure": "takeover_fetch_ms_%s", "value": %s, "unit": "ms"}\n' \
    "$N" "$(get fetch_ms)" >> "$OUT"
printf '{"figure": "takeover_install_ms_%s", "value": %s, "unit": "ms"}\n' \
    "$N" "$(get install_ms)" >> "$OUT"
echo "PASS takeover_cpg: $N IKE + $N Child SAs: fetch + import" \
    "$(get fetch_ms) ms, install $(get install_ms) ms (null kernel)"
