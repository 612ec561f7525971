#!/bin/bash
# t_ike_cert -- ikev2d on node A against strongSwan's charon on the remote
# peer router, authenticated with X.509 certificates (auth = pubkey, RFC
# 7427 signatures, CERT / CERTREQ), tunnel 198.51.100.0/25 <->
# 198.51.100.128/25.  The PKI is made at test time with the openssl CLI
# (ike/mkcerts.sh): an ECDSA P-256 CA, RSA-2048 and P-256 end entities,
# a CRL that ikev2d checks.  Needs UML (ESP).
#
#   lhost --br-in-- A (ikev2d) ==IKE/ESP==> rtr --> peer (charon) --rin0-- rhost
#   198.51.100.10   192.0.2.2                 203.0.113.2    198.51.100.130
#   (namespaces $NS_LHOST, $NS_A, $NS_RTR, $NS_PEER, $NS_RHOST)
#
# ikev2d's identity is a.lab (a subjectAltName of its certificate), the
# peer's its subject DN "C=CH, O=Tandem Lab, CN=peer.lab".
#   1. charon (ECDSA) initiates, ikev2d (RSA) responds;
#   2. ikev2d (ECDSA) initiates at start-up, charon (RSA) responds;
#   3. charon presents a revoked certificate: ikev2d answers
#      AUTHENTICATION_FAILED, logs why, and installs nothing.
# Cases 1 and 2 assert: both ends hold the IKE and Child SA, node A's
# kernel the two ESP SAs, a ping from lhost to rhost passes and every ESP
# SA on both ends counted it.  Figures are printed as "# " lines.

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

t_on_exit "ip -n $NS_A xfrm state flush; ip -n $NS_A xfrm policy flush;" \
    "ip -n $NS_PEER xfrm state flush; ip -n $NS_PEER xfrm policy flush"
ike_setup
rm -rf "$CERTS"
t_on_exit rm -rf "$CERTS" "$IKE_PEER/private"	# throw-away keys
lab_now
t0=$LAB_NOW
mkcerts "$CERTS" || fail "openssl could not make the test PKI"
lab_now
lab_secs "$t0" "$LAB_NOW"
info "PKI (CA, 5 end entities, CRL) made with openssl in ${LAB_SECS}s"

# peer_cert NAME: charon authenticates with NAME.pem from now on.  swanctl
# reads credentials from x509/, x509ca/ and private/ beside its --file.
peer_cert()
{
	PEER_CERT=$1
	export PEER_CERT
	rm -rf "$IKE_PEER/x509" "$IKE_PEER/x509ca" "$IKE_PEER/private"
	mkdir -p "$IKE_PEER/x509" "$IKE_PEER/x509ca" "$IKE_PEER/private"
	cp "$CERTS/$1.pem" "$IKE_PEER/x509/"
	cp "$CERTS/ca.pem" "$IKE_PEER/x509ca/"
	cp "$CERTS/$1.key" "$IKE_PEER/private/"
	ike_render "$IKE_HERE/swanctl-cert.conf.in" "$IKE_PEER/swanctl.conf"
	[ -S "$IKE_PEER/charon.vici" ] || return 0
	ike_swanctl --load-all --clear --file "$IKE_PEER/swanctl.conf" > \
	    "$IKE_PEER/load.out" 2>&1 ||
	    { cat "$IKE_PEER/load.out"; fail "swanctl --load-all failed"; }
}

# a_start CERT START_ACTION: ikev2d on node A with CERT.pem / CERT.key.
a_start()
{
	A_CERT=$1 START_ACTION=$2
	export A_CERT START_ACTION
	ike_render "$IKE_HERE/tandem-cert.conf.in" "$IKE_A/tandem.conf"
	rm -rf "$IKE_A/run"
	lab_bg ikev2d-a "$NS_A" "$IKE_B/ikev2d" -f -d -c "$IKE_A/tandem.conf" \
	    -r "$IKE_A/run"
	IKE_IKEV2D_PID=$LAB_PID
	t_on_exit lab_stop "$IKE_IKEV2D_PID"
	t_poll 10 test -S "$IKE_A/run/ikev2d.sock" ||
	    { cat "$LAB_DIR/ikev2d-a.out"; fail "ikev2d did not start"; }
}

# assert_up WHO: both ends established, kernel state, traffic through ESP.
assert_up()
{
	local spi pk=

	t_poll 10 ike_peer_up || { echo "$IKE_SAS"; fail "$1: charon not up"; }
	t_poll 10 ike_status_is child_sas 1 ||
	    fail "$1: ikev2d reports child_sas=${IKE_ST[child_sas]:-?}"
	ike_xfrm_count "$NS_A" 2 ||
	    fail "$1: node A holds ${#IKE_SPIS[@]} ESP SAs, want 2"
	ike_peer_sas
	[[ $IKE_SAS == *"CN=peer.lab"* ]] || [[ $IKE_SAS == *"a.lab"* ]] ||
	    { echo "$IKE_SAS"; fail "$1: charon does not show the identities"; }
	ike_ping "$PINGS" || fail "$1: ping $RHOST4 through the tunnel failed"
	ike_assert_esp "$NS_A" "$PINGS"
	for spi in "${IKE_SPIS[@]}"; do
		pk+="${pk:+, }$spi ${IKE_PKTS[$spi]}"
	done
	ike_assert_esp "$NS_PEER" "$PINGS"
	info "$1: ping rtt min/avg/max/mdev $IKE_RTT ms, $IKE_LOSS;" \
	    "node A ESP packets: $pk"
}

# down WHO: charon deletes; node A is empty again.
down()
{
	ike_swanctl --terminate --ike a --timeout 10 > /dev/null 2>&1 ||
	    fail "$1: swanctl --terminate failed"
	t_poll 10 ike_xfrm_count "$NS_A" 0 ||
	    fail "$1: node A still holds ${#IKE_SPIS[@]} ESP SAs after DELETE"
	ike_ikev2d_stop
}

peer_cert peer-ec
ike_charon_start
t_on_exit '[ "$rc" = 0 ] || ike_dump'

# --- 1. charon (ECDSA) -> ikev2d (RSA) ----------------------------------
a_start a-rsa none
lab_now
t0=$LAB_NOW
out=$(ike_swanctl --initiate --child net --timeout 20 2>&1) ||
    { echo "$out"; fail "charon -> ikev2d: swanctl --initiate failed"; }
lab_now
lab_secs "$t0" "$LAB_NOW"
info "charon (ECDSA P-256) -> ikev2d (RSA-2048): IKE and Child SA up in" \
    "${LAB_SECS}s"
grep -q "peer CN=peer.lab,O=Tandem Lab,C=CH" "$LAB_DIR/ikev2d-a.out" ||
    { tail -n 20 "$LAB_DIR/ikev2d-a.out"; fail "ikev2d did not log the DN"; }
# charon names the RFC 7427 scheme it verified (RSA_EMSA_PKCS1_SHA2_256)
grep -q "authentication of 'a.lab' with RSA_EMSA_PKCS1_SHA2_256 successful" \
    "$IKE_PEER/charon.log" || fail "charon did not verify ikev2d's AUTH"
assert_up "charon -> ikev2d"
down "charon -> ikev2d"

# --- 2. ikev2d (ECDSA) -> charon (RSA) ----------------------------------
peer_cert peer-rsa
lab_now
t0=$LAB_NOW
a_start a-ec start
t_poll 20 ike_peer_up ||
    { echo "$IKE_SAS"; fail "ikev2d -> charon: charon not up"; }
lab_now
lab_secs "$t0" "$LAB_NOW"
info "ikev2d (ECDSA P-256) -> charon (RSA-2048): charon lists the SAs" \
    "${LAB_SECS}s after ikev2d was started"
grep -q "authentication of 'a.lab' with ECDSA_WITH_SHA256_DER successful" \
    "$IKE_PEER/charon.log" || fail "charon did not verify ikev2d's ECDSA AUTH"
assert_up "ikev2d -> charon"
down "ikev2d -> charon"

# --- 3. a revoked certificate -------------------------------------------
peer_cert revoked
a_start a-rsa none
if out=$(ike_swanctl --initiate --child net --timeout 10 2>&1); then
	echo "$out"
	fail "revoked: charon got an SA"
fi
t_poll 5 grep -q "certificate revoked" "$LAB_DIR/ikev2d-a.out" ||
    { tail -n 20 "$LAB_DIR/ikev2d-a.out";
    fail "revoked: ikev2d did not log the revocation"; }
grep -q "AUTHENTICATION_FAILED" "$IKE_PEER/charon.log" ||
    fail "revoked: charon saw no AUTHENTICATION_FAILED"
ike_xfrm_count "$NS_A" 0 ||
    fail "revoked: node A holds ${#IKE_SPIS[@]} ESP SAs"
ike_status_is ike_sas 0 ||
    fail "revoked: ikev2d reports ike_sas=${IKE_ST[ike_sas]:-?}"
info "revoked: $(grep -o 'authentication of peer.*' \
    "$LAB_DIR/ikev2d-a.out" | tail -n 1)"
ike_ikev2d_stop
