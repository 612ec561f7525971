#!/bin/bash
# t_sync_ringcheck -- syncd refuses to replicate keys over a corosync ring
# without knet crypto (issue 5, item 6; DESIGN guarantee 5).
#
#   netns tnd-<instance>-rc: one corosync (knet, crypto_cipher none,
#   crypto_hash none, a one-node cluster on lo) and syncd
#
# 1. sync.allow_unencrypted_ring = false: syncd exits 1 and says why.
# 2. allow_unencrypted_ring = true: syncd starts and logs a WARNING.
# Independent of the two-node lab (own namespace, own corosync).

set -eu
. "${BASH_SOURCE[0]%/*}/testlib.sh"

case $LAB_B in /*) B=$LAB_B ;; *) B=$LAB_REPO/$LAB_B ;; esac
[ -x "$B/syncd" ] || skip "no $B/syncd"
NS=${LAB_PREFIX}rc
D=$LAB_DIR/rc
mkdir -p "$D/state" "$D/run"
ip netns add "$NS"
t_on_exit "ip netns del $NS"
ip -n "$NS" link set lo up

cat > "$D/corosync.conf" <<EOC
totem {
	version: 2
	cluster_name: ${LAB_PREFIX}rc
	transport: knet
	crypto_cipher: none
	crypto_hash: none
}
nodelist {
	node {
		nodeid: 1
		name: rc
		ring0_addr: 127.0.0.1
	}
}
quorum {
	provider: corosync_votequorum
}
logging {
	to_stderr: no
	to_syslog: no
	to_logfile: yes
	logfile: $D/corosync.log
}
system {
	state_dir: $D/state
}
EOC
printf '127.0.0.1\tlocalhost rc\n' > "$D/hosts"
lab_bg corosync-rc "$NS" unshare -m -u sh -c '
    mount -t tmpfs -o size=4m tmpfs /run &&
    mount --bind "$1/hosts" /etc/hosts && hostname rc &&
    exec setpriv --bounding-set -ipc_lock,-sys_resource \
        corosync -f -c "$1/corosync.conf"' sh "$D"
t_on_exit lab_stop "$LAB_PID"
cmap_up() { ip netns exec "$NS" corosync-cmapctl -g totem.cluster_name \
    > /dev/null 2>&1; }
t_poll 30 cmap_up || { tail "$D/corosync.log"; fail "corosync did not start"; }

conf()
{
	printf 'sync = {\n\tallow_unencrypted_ring = %s;\n\tcpg_group = "rc";\n};\n' "$1"
	printf 'ha = {\n\tnode = "rc";\n\tgroups = {\n\t\tvg1 = {\n\t\t\tvrid = 51;\n'
	printf '\t\t\tinterface = "lo";\n\t\t\tvips = [ "192.0.2.1/24" ];\n'
	printf '\t\t};\n\t};\n};\n'
}

# --- 1. refused ---------------------------------------------------------------
conf false > "$D/refuse.conf"
rc=0
out=$(timeout 20 ip netns exec "$NS" "$B/syncd" -f -c "$D/refuse.conf" \
    -r "$D/run" 2>&1) || rc=$?
[ "$rc" = 1 ] || { echo "$out"; fail "syncd exit $rc on a plain ring, want 1"; }
[[ $out == *"refusing to replicate keys"* ]] ||
    { echo "$out"; fail "no clear message"; }
[[ $out == *"crypto_cipher 'none'"* ]] || { echo "$out"; fail "message does not name the setting"; }
info "plain ring, no override: syncd exit 1: ${out##*refusing}"
rc=0

# --- 2. the lab override ---------------------------------------------------------
conf true > "$D/allow.conf"
lab_bg syncd-rc "$NS" "$B/syncd" -f -c "$D/allow.conf" -r "$D/run"
pid=$LAB_PID
t_on_exit lab_stop "$pid"
t_poll 15 test -S "$D/run/syncd-ike.sock" ||
    { cat "$LAB_DIR/syncd-rc.out"; fail "syncd with the override did not start"; }
grep -q "WARNING: replicating keys over an UNENCRYPTED" "$LAB_DIR/syncd-rc.out" ||
    { cat "$LAB_DIR/syncd-rc.out"; fail "no warning with the override"; }
lab_stop "$pid" || fail "syncd did not stop"
info "override: syncd runs and warns (hourly repeat)"
