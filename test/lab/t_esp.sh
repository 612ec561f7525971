#!/bin/bash
# t_esp -- kernel ESP between node A and the remote peer router, keyed by
# hand: AES-GCM (rfc4106(gcm(aes)), 128-bit key + 4-byte salt, 128-bit
# ICV), tunnel mode, IPv4 and IPv6, protecting the local protected subnet
# <-> the remote protected subnet.  Needs UML: the host kernel has no ESP.
#
#   $NS_LHOST --br-in-- $NS_A ==ESP==> $NS_RTR ----> $NS_PEER --rin0-- $NS_RHOST
#   198.51.100.10      192.0.2.2   (no route to     203.0.113.2   198.51.100.130
#                                   either subnet)
#
# The upstream router knows no route to the protected subnets, so a ping
# from the local host to the remote host can only pass through the
# tunnel.  Asserted: no ping before the SAs exist; every ping answered
# after; the packet counters of all four SAs on both ends are > 0.

set -eu
. "${BASH_SOURCE[0]%/*}/testlib.sh"
t_lab

REQID4=41 REQID6=61
SPI4_OUT=0xa0000401 SPI4_IN=0xa0000402		# OUT: A -> peer
SPI6_OUT=0xa0000601 SPI6_IN=0xa0000602
PINGS=3
ALG='rfc4106(gcm(aes))'

# Four fresh keys of 20 bytes (16 key + 4 salt, RFC 4106 8.1), one od.
hex=$(od -An -vtx1 -N80 /dev/urandom)
hex=${hex//[$' \n']/}
[ "${#hex}" = 160 ] || fail "could not read 80 random bytes"
K4_OUT=0x${hex:0:40} K4_IN=0x${hex:40:40}
K6_OUT=0x${hex:80:40} K6_IN=0x${hex:120:40}

# sa_batch VERB LOCAL4 REMOTE4 LOCAL6 REMOTE6 LNET4 RNET4 LNET6 RNET6
#     SPI4_TX SPI4_RX SPI6_TX SPI6_RX KEY4_TX KEY4_RX KEY6_TX KEY6_RX
# The ip -batch lines for one end: "add" or "delete".
sa_batch()
{
	local v=$1 l4=$2 r4=$3 l6=$4 r6=$5 ln4=$6 rn4=$7 ln6=$8 rn6=$9
	local s4t=${10} s4r=${11} s6t=${12} s6r=${13}
	local k4t=${14} k4r=${15} k6t=${16} k6r=${17} d
	local m4="reqid $REQID4 mode tunnel" m6="reqid $REQID6 mode tunnel"
	local rx="replay-window 32"

	if [ "$v" = add ]; then
		echo "xfrm state add src $l4 dst $r4 proto esp spi $s4t $m4" \
		    "aead $ALG $k4t 128"
		echo "xfrm state add src $r4 dst $l4 proto esp spi $s4r $m4" \
		    "$rx aead $ALG $k4r 128"
		echo "xfrm state add src $l6 dst $r6 proto esp spi $s6t $m6" \
		    "aead $ALG $k6t 128"
		echo "xfrm state add src $r6 dst $l6 proto esp spi $s6r $m6" \
		    "$rx aead $ALG $k6r 128"
		echo "xfrm policy add src $ln4 dst $rn4 dir out" \
		    "tmpl src $l4 dst $r4 proto esp $m4"
		echo "xfrm policy add src $ln6 dst $rn6 dir out" \
		    "tmpl src $l6 dst $r6 proto esp $m6"
		# Decapsulated packets are forwarded, not delivered: fwd policy.
		for d in in fwd; do
			echo "xfrm policy add src $rn4 dst $ln4 dir $d" \
			    "tmpl src $r4 dst $l4 proto esp $m4"
			echo "xfrm policy add src $rn6 dst $ln6 dir $d" \
			    "tmpl src $r6 dst $l6 proto esp $m6"
		done
	else
		echo "xfrm policy delete src $ln4 dst $rn4 dir out"
		echo "xfrm policy delete src $ln6 dst $rn6 dir out"
		for d in in fwd; do
			echo "xfrm policy delete src $rn4 dst $ln4 dir $d"
			echo "xfrm policy delete src $rn6 dst $ln6 dir $d"
		done
		echo "xfrm state delete src $l4 dst $r4 proto esp spi $s4t"
		echo "xfrm state delete src $r4 dst $l4 proto esp spi $s4r"
		echo "xfrm state delete src $l6 dst $r6 proto esp spi $s6t"
		echo "xfrm state delete src $r6 dst $l6 proto esp spi $s6r"
	fi
}

# sa_setup VERB: both ends.  A's outbound SA is the peer's inbound one.
sa_setup()
{
	local f=

	[ "$1" = add ] || f=-force	# delete what exists, after a failure too
	sa_batch "$1" "$A_UP4" "$PEER_NET4" "$A_UP6" "$PEER_NET6" \
	    "$LPROT4" "$RPROT4" "$LPROT6" "$RPROT6" \
	    "$SPI4_OUT" "$SPI4_IN" "$SPI6_OUT" "$SPI6_IN" \
	    "$K4_OUT" "$K4_IN" "$K6_OUT" "$K6_IN" |
	    ip $f -n "$NS_A" -batch - || return 1
	sa_batch "$1" "$PEER_NET4" "$A_UP4" "$PEER_NET6" "$A_UP6" \
	    "$RPROT4" "$LPROT4" "$RPROT6" "$LPROT6" \
	    "$SPI4_IN" "$SPI4_OUT" "$SPI6_IN" "$SPI6_OUT" \
	    "$K4_IN" "$K4_OUT" "$K6_IN" "$K6_OUT" |
	    ip $f -n "$NS_PEER" -batch -
}

# sa_packets NS: PKTS[spi] = packets counted on each ESP SA in NS.
declare -A PKTS
sa_packets()
{
	local line spi= want=0

	PKTS=()
	while IFS= read -r line; do
		if [[ $line =~ proto\ esp\ spi\ (0x[0-9a-f]+) ]]; then
			spi=${BASH_REMATCH[1]}
		elif [[ $line =~ lifetime\ current: ]]; then
			want=1
		elif [ "$want" = 1 ] && [[ $line =~ \(bytes\),\ ([0-9]+)\(packets\) ]]; then
			PKTS[$spi]=${BASH_REMATCH[1]}
			want=0
		fi
	done < <(ip -n "$1" -s xfrm state)
}

# The host kernel has no ESP (LAB-NOTES 1): skip there, fail in UML.
if ! ip -n "$NS_A" xfrm state add src "$A_UP4" dst "$PEER_NET4" proto esp \
    spi 0xa00004ff mode tunnel aead "$ALG" "$K4_OUT" 128 2> /dev/null; then
	[ "${LAB_IN_UML:-0}" = 1 ] || skip "this kernel has no ESP with AES-GCM"
	fail "cannot add an AES-GCM ESP SA"
fi
ip -n "$NS_A" xfrm state delete src "$A_UP4" dst "$PEER_NET4" proto esp \
    spi 0xa00004ff

# Before the tunnel exists the remote host must be unreachable.
if ip netns exec "$NS_LHOST" ping -n -c 1 -W 1 "$RHOST4" > /dev/null 2>&1; then
	fail "$RHOST4 answers without a tunnel: the lab routes around ESP"
fi
info "without SAs: $LHOST4 -> $RHOST4 unreachable (as it must be)"

t_on_exit sa_setup delete
sa_setup add || fail "could not add the SAs and policies"

for fam in 4 6; do
	dst=RHOST$fam
	dst=${!dst}
	out=$(ip netns exec "$NS_LHOST" ping -$fam -n -c "$PINGS" -i 0.2 -w 15 \
	    "$dst" 2>&1) ||
	    { echo "$out"; fail "IPv$fam ping $dst through ESP failed"; }
	sum=${out##*statistics ---$'\n'}
	info "IPv$fam lhost -> $dst through ESP: ${sum//$'\n'/; }"
done

for ns in "$NS_A" "$NS_PEER"; do
	sa_packets "$ns"
	for spi in "$SPI4_OUT" "$SPI4_IN" "$SPI6_OUT" "$SPI6_IN"; do
		n=${PKTS[$spi]:-}
		[ -n "$n" ] || fail "$ns: no SA with spi $spi"
		# Every echo request and reply went through ESP once per end.
		[ "$n" -ge "$PINGS" ] || {
			ip -n "$ns" -s xfrm state
			fail "$ns: SA $spi counted $n packets, want >= $PINGS"
		}
	done
	info "$ns SA packets: v4 out/in ${PKTS[$SPI4_OUT]}/${PKTS[$SPI4_IN]}," \
	    "v6 out/in ${PKTS[$SPI6_OUT]}/${PKTS[$SPI6_IN]}"
done
