#!/bin/bash
# t_sync_ringcheck -- syncd refuses to replicate keys over a corosync ring
# without knet crypto (issue 5, item 6; DESIGN guarantee 5).
#
#   netns tnd-<instance>-rc: one corosync (knet, crypto_cipher none,
#   crypto_hash none, a one-node cluster on lo) and syncd
#
# 1. sync.allow_unencrypted_ring = false: syncd stays up but refuses (does
#    not join the CPG group), says why once, and its status says so too.
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
lab_bg syncd-rf "$NS" "$B/syncd" -f -c "$D/refuse.conf" -r "$D/run"
pid=$LAB_PID
t_on_exit lab_stop "$pid"
refused() { grep -q "refusing to replicate keys" "$LAB_DIR/syncd-rf.out"; }
t_poll 15 refused ||
    { cat "$LAB_DIR/syncd-rf.out"; fail "no clear message on a plain ring"; }
grep -q "crypto_cipher 'none'" "$LAB_DIR/syncd-rf.out" ||
    { cat "$LAB_DIR/syncd-rf.out"; fail "message does not name the setting"; }
kill -0 "$pid" 2>/dev/null ||
    { cat "$LAB_DIR/syncd-rf.out"; fail "syncd exited on a plain ring"; }
st=$("$B/haadm" -r "$D/run" --json status) || true
[[ $st == *'"replication": "REFUSED"'* && $st == *'"cpg": "down"'* &&
   $st == *'"corosync": "up"'* ]] ||
    { echo "$st"; fail "status does not show the refusal"; }
sleep 3		# a retry or two: the refusal is logged once, not per retry
n=$(grep -c "refusing to replicate keys" "$LAB_DIR/syncd-rf.out")
[ "$n" = 1 ] || { cat "$LAB_DIR/syncd-rf.out"; fail "refusal logged $n times"; }
lab_stop "$pid" || fail "syncd did not stop"
info "plain ring, no override: syncd up, not joined, status REFUSED:" \
    "$(grep -o 'refusing to replicate keys: [^;]*' "$LAB_DIR/syncd-rf.out")"

# --- 2. the lab override ---------------------------------------------------------
conf true > "$D/allow.conf"
lab_bg syncd-rc "$NS" "$B/syncd" -f -c "$D/allow.conf" -r "$D/run"
pid=$LAB_PID
t_on_exit lab_stop "$pid"
# (step 1 left syncd-ike.sock behind: wait for this syncd's own words)
joined() { grep -q "joined cpg group rc" "$LAB_DIR/syncd-rc.out"; }
t_poll 15 joined ||
    { cat "$LAB_DIR/syncd-rc.out"; fail "syncd with the override did not join"; }
grep -q "WARNING: replicating keys over an UNENCRYPTED" "$LAB_DIR/syncd-rc.out" ||
    { cat "$LAB_DIR/syncd-rc.out"; fail "no warning with the override"; }
st=$("$B/haadm" -r "$D/run" --json status) || true
[[ $st == *'"replication": "on"'* && $st == *'"ring_crypto": "OFF"'* ]] ||
    { echo "$st"; fail "status with the override"; }
lab_stop "$pid" || fail "syncd did not stop"
info "override: syncd runs and warns (hourly repeat)"
