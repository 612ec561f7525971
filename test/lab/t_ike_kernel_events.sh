#!/bin/bash
# t_ike_kernel_events -- ikev2d's XFRM listener on node A hears the
# kernel's EXPIRE and ACQUIRE events (XFRMNLGRP_EXPIRE, _ACQUIRE) and
# hands them to the core; no IKE peer is involved.  Needs UML (ESP).
#
#   $NS_LHOST --br-in-- $NS_A (ikev2d, listener)
#   198.51.100.10      192.0.2.2
#
# 1. An ESP SA added by hand with packet limits soft 2 / hard 4, and a
#    policy that sends the local host's pings to an absent address through
#    it: the kernel sends a soft, then a hard EXPIRE; ikev2d counts both
#    (status kernel_expires) and logs them with the SPI.  (A time-based
#    soft limit of 1 s gave no soft EXPIRE in UML, only the hard one.)
# 2. An outbound policy with a template and no SA: a ping from the local
#    host through it makes the kernel send ACQUIRE with the policy's
#    reqid: ikev2d counts it (kernel_acquires) and logs the reqid.
# Neither SA nor reqid belongs to a connection, so the core answers "not
# mine" and ikev2d stays up (checked last).

set -eu
. "${BASH_SOURCE[0]%/*}/testlib.sh"
. "${BASH_SOURCE[0]%/*}/ike/ike-lib.sh"
t_lab
ike_check_tools

SPI=0xdead0001
REQID_SA=4242 REQID_POL=4243
DST_SA=198.51.100.201		# no host: the ping only counts on the SA
DST_NONE=198.51.100.200		# no host: the ping only raises ACQUIRE

# The ACQUIREs leave placeholder states (SPI 0) for 30 s: flush them too.
t_on_exit "ip -n $NS_A xfrm state flush; ip -n $NS_A xfrm policy flush"
ike_setup
ike_ikev2d_start none
t_on_exit '[ "$rc" = 0 ] || { tail -n 40 "$LAB_DIR/ikev2d-a.out"; ' \
    'ip -n "$NS_A" xfrm state; ip -n "$NS_A" xfrm policy; }'

# ike_status_ge KEY N
ike_status_ge()
{
	ike_status
	[ "${IKE_ST[$1]:-0}" -ge "$2" ]
}

# --- 1. EXPIRE --------------------------------------------------------
hex=$(od -An -vtx1 -N20 /dev/urandom)
hex=${hex//[$' \n']/}
t_on_exit "ip -n $NS_A xfrm state delete src $A_UP4 dst $PEER_NET4" \
    "proto esp spi $SPI 2> /dev/null;" \
    "ip -n $NS_A xfrm policy delete src $LHOST4/32 dst $DST_SA/32" \
    "dir out 2> /dev/null"
ip -n "$NS_A" xfrm state add src "$A_UP4" dst "$PEER_NET4" proto esp \
    spi "$SPI" reqid "$REQID_SA" mode tunnel \
    aead 'rfc4106(gcm(aes))' "0x$hex" 128 \
    limit packet-soft 2 limit packet-hard 4 ||
    fail "cannot add an ESP SA by hand"
ip -n "$NS_A" xfrm policy add src "$LHOST4/32" dst "$DST_SA/32" dir out \
    tmpl src "$A_UP4" dst "$PEER_NET4" proto esp reqid "$REQID_SA" \
    mode tunnel || fail "cannot add the policy of the SA"
lab_now
t0=$LAB_NOW
# Nobody answers (the peer has no SA): the requests only count.
ip netns exec "$NS_LHOST" ping -n -c 6 -i 0.2 -W 1 "$DST_SA" > /dev/null \
    2>&1 || true
t_poll 10 ike_status_ge kernel_expires 2 ||
    fail "ikev2d counted ${IKE_ST[kernel_expires]:-?} expires, want 2"
lab_now
lab_secs "$t0" "$LAB_NOW"
grep -q "child spi $SPI: kernel soft expire" "$LAB_DIR/ikev2d-a.out" ||
    fail "no soft expire logged for $SPI"
grep -q "child spi $SPI: kernel hard expire" "$LAB_DIR/ikev2d-a.out" ||
    fail "no hard expire logged for $SPI"
info "EXPIRE: soft and hard expire of spi $SPI (packet limits 2 / 4)" \
    "reached ikev2d within ${LAB_SECS}s"

# --- 2. ACQUIRE -------------------------------------------------------
t_on_exit "ip -n $NS_A xfrm policy delete src $LHOST4/32 dst $DST_NONE/32" \
    "dir out 2> /dev/null"
ip -n "$NS_A" xfrm policy add src "$LHOST4/32" dst "$DST_NONE/32" dir out \
    tmpl src "$A_UP4" dst "$PEER_NET4" proto esp reqid "$REQID_POL" \
    mode tunnel || fail "cannot add the trap policy"
ip netns exec "$NS_LHOST" ping -n -c 1 -W 1 "$DST_NONE" > /dev/null 2>&1 ||
    true
t_poll 10 ike_status_ge kernel_acquires 1 ||
    fail "ikev2d counted ${IKE_ST[kernel_acquires]:-?} acquires, want 1"
grep -q "policy reqid $REQID_POL: kernel acquire" "$LAB_DIR/ikev2d-a.out" ||
    fail "no acquire logged for reqid $REQID_POL"
info "ACQUIRE: reqid $REQID_POL reached ikev2d" \
    "(kernel_acquires ${IKE_ST[kernel_acquires]})"

kill -0 "$IKE_IKEV2D_PID" 2> /dev/null || fail "ikev2d died"
ike_ikev2d_stop
