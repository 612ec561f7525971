#!/bin/bash
# t_ike_negative -- what ikev2d (node A) refuses, and that it keeps
# serving other peers meanwhile.  strongSwan's charon on the remote peer
# router has two connections: "a" from 203.0.113.2 (misconfigured in a
# different way per case) and "good" from a second address of the peer,
# 203.0.113.3 (right PSK).  Needs UML (ESP).
#
#   lhost --br-in-- A (ikev2d) ==IKE/ESP==> rtr --> peer (charon) --rin0-- rhost
#   198.51.100.10   192.0.2.2                 203.0.113.2    198.51.100.130
#                                             203.0.113.3 (conn "good")
#
# Cases (charon initiates "a"; ikev2d's connection "peer" responds):
#   1. wrong PSK             -> AUTHENTICATION_FAILED
#   2. untrusted certificate -> AUTHENTICATION_FAILED (charon's cert is
#      signed by a CA ikev2d does not trust; its names are the right ones)
#   3. no common proposal    -> NO_PROPOSAL_CHOSEN (IKE_SA_INIT)
#   4. traffic selectors that cannot be narrowed (charon's local_ts
#      198.18.0.0/24 is outside ikev2d's remote_ts) -> TS_UNACCEPTABLE
#      (IKE_AUTH; RFC 7296 leaves the IKE SA up, no Child SA)
# Each asserts: swanctl --initiate fails, charon's log shows the notify
# it received, ikev2d logs a line naming the peer (address or identity)
# and why, node A holds no ESP SA; then "good" is initiated right after
# and a ping lhost -> rhost passes through its ESP SAs (ikev2d still
# serves other peers), and it is deleted again.

set -eu
. "${BASH_SOURCE[0]%/*}/testlib.sh"
. "${BASH_SOURCE[0]%/*}/ike/ike-lib.sh"
. "${BASH_SOURCE[0]%/*}/ike/mkcerts.sh"
t_lab
ike_check_tools
command -v openssl > /dev/null || skip "no openssl CLI"

GOOD4=203.0.113.3
CERTS=$IKE_DIR/certs
PROP=aes128gcm16-prfsha256-x25519
export GOOD4 CERTS

t_on_exit "ip -n $NS_A xfrm state flush; ip -n $NS_A xfrm policy flush;" \
    "ip -n $NS_PEER xfrm state flush; ip -n $NS_PEER xfrm policy flush"
ip -n "$NS_PEER" addr add "$GOOD4/25" dev "$IF_NET" ||
    fail "could not add $GOOD4 to the peer"
t_on_exit "ip -n $NS_PEER addr del $GOOD4/25 dev $IF_NET"
ike_setup
rm -rf "$CERTS"
t_on_exit rm -rf "$CERTS" "$IKE_PEER/private" "$IKE_PEER/x509" \
    "$IKE_PEER/x509ca"
mkcerts "$CERTS" && mkcerts_rogue "$CERTS" ||
    fail "openssl could not make the test PKI"
mkdir -p "$IKE_PEER/x509" "$IKE_PEER/x509ca" "$IKE_PEER/private"
cp "$CERTS/rogue.pem" "$IKE_PEER/x509/"
cp "$CERTS/ca.pem" "$IKE_PEER/x509ca/"
cp "$CERTS/rogue.key" "$IKE_PEER/private/"
WRONG=0x$(od -An -vtx1 -N32 /dev/urandom | tr -d ' \n')

# a_conf AUTH: node A's tandem.conf: "peer" (203.0.113.2) with AUTH
# (psk or pubkey), "good" (203.0.113.3, PSK).
a_conf()
{
	local peer_auth

	if [ "$1" = psk ]; then
		peer_auth="local = { auth = \"psk\"; id = \"$A_UP4\"; };
			remote = { auth = \"psk\"; id = \"$PEER_NET4\"; };"
	else
		peer_auth="local = { auth = \"pubkey\"; id = \"a.lab\";
			    certs = [ \"$CERTS/a-ec.pem\" ];
			    key = \"$CERTS/a-ec.key\"; };
			remote = { auth = \"pubkey\";
			    id = \"C=CH, O=Tandem Lab, CN=peer.lab\";
			    cacerts = [ \"$CERTS/ca.pem\" ]; };"
	fi
	cat > "$IKE_A/tandem.conf" <<-EOF
	ike = {
		retransmit_timeout = 1.0;
		retransmit_base = 1.4;
		retransmit_tries = 3;
		connections = {
		peer = {
			vip_group = "vg1";
			local_addrs = [ "$A_UP4" ];
			remote_addrs = [ "$PEER_NET4" ];
			proposals = [ "$PROP" ];
			$peer_auth
			children = { net = {
				local_ts = [ "$LPROT4" ];
				remote_ts = [ "$RPROT4" ];
				esp_proposals = [ "aes128gcm16" ];
			}; };
		};
		good = {
			vip_group = "vg1";
			local_addrs = [ "$A_UP4" ];
			remote_addrs = [ "$GOOD4" ];
			proposals = [ "$PROP" ];
			local = { auth = "psk"; id = "$A_UP4"; };
			remote = { auth = "psk"; id = "$GOOD4"; };
			children = { net = {
				local_ts = [ "$LPROT4" ];
				remote_ts = [ "$RPROT4" ];
				esp_proposals = [ "aes128gcm16" ];
			}; };
		};
		};
		secrets = {
			# one secret: an id may be in only one
			both = { type = "ike";
			    id = [ "$A_UP4", "$PEER_NET4", "$GOOD4" ];
			    secret = "$PSK"; };
		};
	};
	sync = { allow_unencrypted_ring = true; };
	ha = {
		node = "a";
		groups = { vg1 = { vrid = 51; interface = "up0";
		    vips = [ "$A_UP4/24" ]; }; };
	};
	EOF
}

# peer_conf CASE: charon's swanctl.conf: "a" broken as CASE says, "good"
# right.
peer_conf()
{
	local prop=$PROP a_auth ts=$RPROT4 secret=$PSK

	a_auth="local { auth = psk
				id = $PEER_NET4 }
			remote { auth = psk
				id = $A_UP4 }"
	case $1 in
	psk) secret=$WRONG ;;
	cert)
		a_auth="local { auth = pubkey
				certs = rogue.pem }
			remote { auth = pubkey
				id = a.lab
				cacerts = ca.pem }" ;;
	proposal) prop=aes256-sha512-modp4096 ;;
	ts) ts=198.18.0.0/24 ;;
	esac
	cat > "$IKE_PEER/swanctl.conf" <<-EOF
	connections {
		a {
			local_addrs = $PEER_NET4
			remote_addrs = $A_UP4
			proposals = $prop
			mobike = no
			$a_auth
			children {
				net {
					local_ts = $ts
					remote_ts = $LPROT4
					esp_proposals = aes128gcm16
				}
			}
		}
		good {
			local_addrs = $GOOD4
			remote_addrs = $A_UP4
			proposals = $PROP
			mobike = no
			local { auth = psk
				id = $GOOD4 }
			remote { auth = psk
				id = $A_UP4 }
			children {
				net {
					local_ts = $RPROT4
					remote_ts = $LPROT4
					esp_proposals = aes128gcm16
				}
			}
		}
	}
	secrets {
		ike-a {
			id-1 = $PEER_NET4
			id-2 = $A_UP4
			secret = $secret
		}
		ike-good {
			id-1 = $GOOD4
			id-2 = $A_UP4
			secret = $PSK
		}
	}
	EOF
	[ -S "$IKE_PEER/charon.vici" ] || return 0
	ike_swanctl --load-all --clear --file "$IKE_PEER/swanctl.conf" > \
	    "$IKE_PEER/load.out" 2>&1 ||
	    { cat "$IKE_PEER/load.out"; fail "swanctl --load-all failed"; }
}

# log_since FILE LINES: FILE's lines after the first LINES.
log_since()
{
	tail -n +"$(($2 + 1))" "$1" 2>/dev/null
}

# refused CASE NOTIFY A_LOG: charon's "a" fails with NOTIFY, ikev2d logs
# A_LOG (an extended regular expression), nothing is installed; then
# "good" comes up and carries a ping.
refused()
{
	local c=$1 notify=$2 re=$3 n_peer n_a out line t0

	n_peer=$(wc -l < "$IKE_PEER/charon.log")
	n_a=$(wc -l < "$LAB_DIR/ikev2d-a.out")
	if out=$(ike_swanctl --initiate --ike a --child net --timeout 10 2>&1)
	then
		echo "$out"
		fail "$c: charon got its Child SA"
	fi
	t_poll 5 eval 'log_since "$IKE_PEER/charon.log" $n_peer |
	    grep -q "received $notify"' ||
	    { log_since "$IKE_PEER/charon.log" "$n_peer" | tail -n 20;
	    fail "$c: charon's log shows no $notify received"; }
	t_poll 5 eval 'log_since "$LAB_DIR/ikev2d-a.out" $n_a |
	    grep -Eq "$re"' ||
	    { log_since "$LAB_DIR/ikev2d-a.out" "$n_a" | tail -n 20;
	    fail "$c: ikev2d logged no line matching /$re/"; }
	line=$(log_since "$LAB_DIR/ikev2d-a.out" "$n_a" | grep -E "$re" |
	    head -n 1)
	ike_xfrm_count "$NS_A" 0 ||
	    fail "$c: node A holds ${#IKE_SPIS[@]} ESP SAs"
	info "$c: charon received $notify; ikev2d: ${line#*ike }"
	# RFC 7296: a Child failure leaves the IKE SA; clear it
	ike_swanctl --terminate --ike a --timeout 5 > /dev/null 2>&1 || true
	# ikev2d still serves other peers
	lab_now
	t0=$LAB_NOW
	out=$(ike_swanctl --initiate --ike good --child net --timeout 20 2>&1) ||
	    { echo "$out"; fail "$c: then \"good\" did not come up"; }
	t_poll 5 ike_xfrm_count "$NS_A" 2 ||
	    fail "$c: then \"good\": node A holds ${#IKE_SPIS[@]} ESP SAs"
	ike_ping 3 || fail "$c: then \"good\": the ping did not pass"
	ike_assert_esp "$NS_A" 3
	lab_now
	lab_secs "$t0" "$LAB_NOW"
	info "$c: then \"good\" from $GOOD4 up and a ping through it in" \
	    "${LAB_SECS}s"
	ike_swanctl --terminate --ike good --timeout 10 > /dev/null 2>&1 ||
	    fail "$c: swanctl --terminate good failed"
	t_poll 10 ike_xfrm_count "$NS_A" 0 ||
	    fail "$c: node A holds ${#IKE_SPIS[@]} ESP SAs after the DELETE"
	t_poll 5 ike_status_is ike_sas 0 ||
	    fail "$c: ikev2d reports ike_sas=${IKE_ST[ike_sas]:-?}"
}

# no charon yet (a socket left by an earlier test's killed charon is stale)
rm -f "$IKE_PEER/charon.vici"
peer_conf psk
ike_charon_start
t_on_exit '[ "$rc" = 0 ] || ike_dump'
a_conf psk
rm -rf "$IKE_A/run"
lab_bg ikev2d-a "$NS_A" "$IKE_B/ikev2d" -f -d -c "$IKE_A/tandem.conf" \
    -r "$IKE_A/run"
IKE_IKEV2D_PID=$LAB_PID
t_on_exit lab_stop "$IKE_IKEV2D_PID"
t_poll 10 test -S "$IKE_A/run/ikev2d.sock" ||
    { cat "$LAB_DIR/ikev2d-a.out"; fail "ikev2d did not start"; }

# --- 1. wrong PSK -------------------------------------------------------
refused "wrong PSK" AUTHENTICATION_FAILED \
    "authentication of peer $PEER_NET4 id $PEER_NET4 failed"
ike_status
[ "${IKE_ST[auth_failed]:-0}" -ge 1 ] ||
    fail "wrong PSK: ikev2d counts auth_failed=${IKE_ST[auth_failed]:-?}"

# --- 2. untrusted certificate -----------------------------------------
a_conf pubkey
ike_ikev2d_reload
peer_conf cert
refused "untrusted certificate" AUTHENTICATION_FAILED \
    "authentication of peer $PEER_NET4 id .*peer\.lab.* failed"

# --- 3. no common proposal ----------------------------------------------
a_conf psk
ike_ikev2d_reload
peer_conf proposal
refused "no common proposal" NO_PROPOSAL_CHOSEN \
    "IKE_SA_INIT from $PEER_NET4: no acceptable IKE proposal"

# --- 4. traffic selectors that cannot be narrowed ------------------------
peer_conf ts
refused "unnarrowable traffic selectors" TS_UNACCEPTABLE \
    "traffic selectors of peer $PEER_NET4 cannot be narrowed"
ike_ikev2d_stop
