#!/bin/bash
# t_ike_matrix -- the interop matrix of ikev2d (node A) with strongSwan's
# charon (remote peer router): both ways, each auth method, each
# proposal.  Tunnel 198.51.100.0/25 <-> 198.51.100.128/25.  Needs UML.
#
#   lhost --br-in-- A (ikev2d) ==IKE/ESP==> rtr --> peer (charon) --rin0-- rhost
#   198.51.100.10   192.0.2.2                 203.0.113.2    198.51.100.130
#   (namespaces $NS_LHOST, $NS_A, $NS_RTR, $NS_PEER, $NS_RHOST)
#
# The matrix (16 cases; each run both ways: "c>i" = charon initiates with
# swanctl --initiate, ikev2d responds; "i>c" = ikev2d initiates -- on the
# kernel's acquire for a ping from lhost, start_action = trap -- and
# charon responds):
#
#   auth          both ends' key   IKE proposal / ESP proposal
#   PSK           32-byte secret   aes128gcm16-prfsha256-x25519 / aes128gcm16
#                                  aes256gcm16-prfsha384-ecp384 / aes256gcm16
#                                  chacha20poly1305-prfsha256-x25519 / chacha20poly1305
#                                  aes256-sha256-modp2048 / aes256-sha256
#   ECDSA certs   P-256 (CA P-256) aes256gcm16-prfsha384-ecp384 / aes256gcm16
#                                  chacha20poly1305-prfsha256-x25519 / chacha20poly1305
#   RSA certs     RSA-2048         aes128gcm16-prfsha256-x25519 / aes128gcm16
#                                  aes256-sha256-modp2048 / aes256-sha256
#
# so every auth method runs both ways and every proposal runs at least
# twice each way (once with PSK, once with a certificate).  Both ends are
# configured with exactly the case's proposal.  One charon serves all
# cases (swanctl --load-all of a re-rendered swanctl.conf) and one ikev2d
# (SIGHUP after its tandem.conf is re-rendered; start_action none for
# c>i, trap for i>c).  Each case asserts: both ends established (charon's
# IKE SA names the case's algorithms), node A holds the two ESP SAs with
# the case's ESP algorithm and key length (so does the peer), a ping
# lhost -> rhost passes, and every ESP SA on both ends counted it (the
# upstream router has no route between the protected subnets: only ESP
# carries it); then a DELETE from charon empties both ends' kernels.  One "# " line
# per case with its time to establish.

set -eu
. "${BASH_SOURCE[0]%/*}/testlib.sh"
. "${BASH_SOURCE[0]%/*}/ike/ike-lib.sh"
. "${BASH_SOURCE[0]%/*}/ike/mkcerts.sh"
t_lab
ike_check_tools
command -v openssl > /dev/null || skip "no openssl CLI"

PINGS=5
CERTS=$IKE_DIR/certs
export CERTS
# auth:IKE/ESP, in the order run (LAB_IKE_MATRIX overrides).
MATRIX=${LAB_IKE_MATRIX:-"psk:aes128gcm16-prfsha256-x25519/aes128gcm16
    psk:aes256gcm16-prfsha384-ecp384/aes256gcm16
    psk:chacha20poly1305-prfsha256-x25519/chacha20poly1305
    psk:aes256-sha256-modp2048/aes256-sha256
    ecdsa:aes256gcm16-prfsha384-ecp384/aes256gcm16
    ecdsa:chacha20poly1305-prfsha256-x25519/chacha20poly1305
    rsa:aes128gcm16-prfsha256-x25519/aes128gcm16
    rsa:aes256-sha256-modp2048/aes256-sha256"}

t_on_exit "ip -n $NS_A xfrm state flush; ip -n $NS_A xfrm policy flush;" \
    "ip -n $NS_PEER xfrm state flush; ip -n $NS_PEER xfrm policy flush"
ike_setup
rm -rf "$CERTS"
t_on_exit rm -rf "$CERTS" "$IKE_PEER/private" "$IKE_PEER/x509" \
    "$IKE_PEER/x509ca"
t_on_exit '[ -z "$IKE_PING_PID" ] || kill "$IKE_PING_PID" 2> /dev/null'
lab_now
t0=$LAB_NOW
mkcerts "$CERTS" || fail "openssl could not make the test PKI"
lab_now
lab_secs "$t0" "$LAB_NOW"
info "PKI made with openssl in ${LAB_SECS}s"

# configure AUTH IKE ESP START_ACTION: render both ends' configs, load
# charon's, reload (or start) ikev2d.
configure()
{
	local auth=$1

	IKE_PROPOSAL=$2 ESP_PROPOSAL=$3 START_ACTION=$4
	CHILD_REKEY=1h CHILD_LIFE=66m
	export IKE_PROPOSAL ESP_PROPOSAL START_ACTION CHILD_REKEY CHILD_LIFE
	rm -rf "$IKE_PEER/x509" "$IKE_PEER/x509ca" "$IKE_PEER/private"
	case $auth in
	psk)
		ike_render "$IKE_HERE/swanctl.conf.in" "$IKE_PEER/swanctl.conf"
		ike_render "$IKE_HERE/tandem.conf.in" "$IKE_A/tandem.conf"
		;;
	ecdsa | rsa)
		[ "$auth" = ecdsa ] && k=ec || k=rsa
		PEER_CERT=peer-$k A_CERT=a-$k
		export PEER_CERT A_CERT
		mkdir -p "$IKE_PEER/x509" "$IKE_PEER/x509ca" "$IKE_PEER/private"
		cp "$CERTS/$PEER_CERT.pem" "$IKE_PEER/x509/"
		cp "$CERTS/ca.pem" "$IKE_PEER/x509ca/"
		cp "$CERTS/$PEER_CERT.key" "$IKE_PEER/private/"
		ike_render "$IKE_HERE/swanctl-cert.conf.in" \
		    "$IKE_PEER/swanctl.conf"
		ike_render "$IKE_HERE/tandem-cert.conf.in" "$IKE_A/tandem.conf"
		;;
	esac
	ike_swanctl --load-all --clear --file "$IKE_PEER/swanctl.conf" > \
	    "$IKE_PEER/load.out" 2>&1 ||
	    { cat "$IKE_PEER/load.out"; fail "swanctl --load-all failed"; }
	if [ -z "${IKE_IKEV2D_PID:-}" ]; then
		rm -rf "$IKE_A/run"
		lab_bg ikev2d-a "$NS_A" "$IKE_B/ikev2d" -f -d -c \
		    "$IKE_A/tandem.conf" -r "$IKE_A/run"
		IKE_IKEV2D_PID=$LAB_PID
		t_on_exit lab_stop "$IKE_IKEV2D_PID"
		t_poll 10 test -S "$IKE_A/run/ikev2d.sock" ||
		    { cat "$LAB_DIR/ikev2d-a.out"; fail "ikev2d did not start"; }
	else
		ike_ikev2d_reload
	fi
}

# assert_up WHO: both ends established with the case's algorithms, kernel
# state, traffic through ESP.
assert_up()
{
	local spi pk=

	t_poll 10 ike_peer_up || { echo "$IKE_SAS"; fail "$1: charon not up"; }
	t_poll 10 ike_status_is child_sas 1 ||
	    fail "$1: ikev2d reports child_sas=${IKE_ST[child_sas]:-?}"
	[ "${IKE_ST[ike_sas]:-}" = 1 ] ||
	    fail "$1: ikev2d reports ike_sas=${IKE_ST[ike_sas]:-?}"
	ike_ike_algo "$IKE_PROPOSAL" ||
	    fail "$1: charon's IKE SA does not use $IKE_PROPOSAL"
	t_poll 5 ike_xfrm_count "$NS_A" 2 ||
	    fail "$1: node A holds ${#IKE_SPIS[@]} ESP SAs, want 2"
	ike_esp_algo "$NS_A" "$ESP_PROPOSAL" ||
	    fail "$1: node A's ESP SAs do not use $ESP_PROPOSAL"
	ike_esp_algo "$NS_PEER" "$ESP_PROPOSAL" ||
	    fail "$1: the peer's ESP SAs do not use $ESP_PROPOSAL"
	ike_ping "$PINGS" || fail "$1: ping $RHOST4 through the tunnel failed"
	ike_assert_esp "$NS_A" "$PINGS"
	for spi in "${IKE_SPIS[@]}"; do
		pk+="${pk:+ }${IKE_PKTS[$spi]}"
	done
	ike_assert_esp "$NS_PEER" "$PINGS"
	A_PKTS=$pk
}

# assert_down WHO: a DELETE from charon empties node A and ikev2d.
assert_down()
{
	ike_swanctl --terminate --ike a --timeout 10 > /dev/null 2>&1 ||
	    fail "$1: swanctl --terminate failed"
	t_poll 10 ike_xfrm_count "$NS_A" 0 ||
	    fail "$1: node A still holds ${#IKE_SPIS[@]} ESP SAs after DELETE"
	t_poll 5 ike_status_is ike_sas 0 ||
	    fail "$1: ikev2d still reports ike_sas=${IKE_ST[ike_sas]:-?}"
	t_poll 5 ike_xfrm_count "$NS_PEER" 0 ||
	    fail "$1: the peer still holds ${#IKE_SPIS[@]} ESP SAs"
}

first=1
ncase=0
for c in $MATRIX; do
	auth=${c%%:*} pair=${c#*:}
	ike=${pair%/*} esp=${pair#*/}
	for way in 'c>i' 'i>c'; do
		[ "$way" = 'c>i' ] && sa=none || sa=trap
		who="$way $auth $ike/$esp"
		if [ "$first" = 1 ]; then
			# charon needs its swanctl.conf before it starts
			IKE_PROPOSAL=$ike ESP_PROPOSAL=$esp
			ike_render "$IKE_HERE/swanctl.conf.in" \
			    "$IKE_PEER/swanctl.conf"
			ike_charon_start
			t_on_exit '[ "$rc" = 0 ] || ike_dump'
			first=0
		fi
		configure "$auth" "$ike" "$esp" "$sa"
		lab_now
		t0=$LAB_NOW
		if [ "$way" = 'c>i' ]; then
			out=$(ike_swanctl --initiate --child net --timeout 20 \
			    2>&1) || { echo "$out"; fail "$who: swanctl" \
			    "--initiate failed"; }
		else
			t_poll 5 test "$(ip -n "$NS_A" xfrm policy |
			    grep -c 'dir out')" -ge 1 ||
			    fail "$who: no trap policy on node A"
			# the first echoes wait for the SA (acquire)
			ip netns exec "$NS_LHOST" ping -n -c 2 -i 0.5 -w 3 \
			    "$RHOST4" > /dev/null 2>&1 || true
			t_poll 20 ike_peer_up ||
			    { echo "$IKE_SAS"; fail "$who: charon not up"; }
		fi
		lab_now
		lab_secs "$t0" "$LAB_NOW"
		up=$LAB_SECS
		assert_up "$who"
		assert_down "$who"
		lab_now
		lab_secs "$t0" "$LAB_NOW"
		ncase=$((ncase + 1))
		info "$who: up in ${up}s, ping rtt $IKE_RTT ms, $IKE_LOSS," \
		    "node A ESP packets $A_PKTS; case ${LAB_SECS}s"
	done
done
info "matrix: $ncase cases passed"
