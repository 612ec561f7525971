#!/bin/bash
# t_membership -- both corosyncs see a quorate 2-member membership over
# both knet links, and the ring is encrypted (DESIGN guarantee 5):
# aes256/sha256 configured, and knet's crypto counters moving.
#
#   tnd-lab-a  corosync ====== cl0: knet link 0 ====== corosync  tnd-lab-b
#                      \=== up0 via br-up: knet link 1 ===/

set -eu
. "${BASH_SOURCE[0]%/*}/testlib.sh"
t_lab

# node_ok NS: this node's corosync-quorumtool says 2 nodes, quorate.
node_ok()
{
	local out

	out=$(ip netns exec "$1" corosync-quorumtool -s 2>&1) || true
	[[ $out =~ Nodes:[[:space:]]+2[[:space:]] ]] &&
	    [[ $out =~ Quorate:[[:space:]]+Yes ]]
}

# links_ok NS PEER_NODEID: both knet links report the peer connected.
links_ok()
{
	local out up="nodeid: +$2:[[:space:]]+connected"

	out=$(ip netns exec "$1" corosync-cfgtool -s 2>&1) || return 1
	LINKS=$out
	[[ $out =~ LINK\ ID\ 0.*$up.*LINK\ ID\ 1.*$up ]]
}

for n in A B; do
	ns=NS_$n
	ns=${!ns}
	# Already quorate when the lab is up; the poll only absorbs a ring
	# re-forming at this moment.
	t_poll 10 node_ok "$ns" || fail "node $n: no quorate 2-node membership"
	info "node $n: quorate, 2 nodes"

	peer=$B_NODEID
	[ "$n" = A ] || peer=$A_NODEID
	t_poll 15 links_ok "$ns" "$peer" || {
		echo "$LINKS"
		fail "node $n: knet links 0 and 1 not both connected"
	}
	info "node $n: knet link 0 ($IF_CL) and link 1 ($IF_UP) connected"

	cmap=$(ip netns exec "$ns" corosync-cmapctl totem.crypto) ||
	    fail "node $n: corosync-cmapctl failed"
	[[ $cmap =~ totem.crypto_cipher\ \(str\)\ =\ aes256 ]] ||
	    fail "node $n: totem.crypto_cipher is not aes256: $cmap"
	[[ $cmap =~ totem.crypto_hash\ \(str\)\ =\ sha256 ]] ||
	    fail "node $n: totem.crypto_hash is not sha256: $cmap"

	stats=$(ip netns exec "$ns" corosync-cmapctl -m stats \
	    stats.knet.handle) || fail "node $n: corosync-cmapctl -m stats"
	[[ $stats =~ tx_crypt_packets\ \(u64\)\ =\ ([0-9]+) ]] &&
	    tx=${BASH_REMATCH[1]} || tx=0
	[[ $stats =~ rx_crypt_packets\ \(u64\)\ =\ ([0-9]+) ]] &&
	    rx=${BASH_REMATCH[1]} || rx=0
	[ "$tx" -gt 0 ] && [ "$rx" -gt 0 ] ||
	    fail "node $n: knet crypto counters tx=$tx rx=$rx"
	info "node $n: crypto aes256/sha256, knet encrypted tx=$tx rx=$rx packets"
done
