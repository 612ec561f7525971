# test/lab/ike/ike-lib.sh -- sourced (bash) by the t_ike_*.sh tests after
# testlib.sh: node A's ikev2d and the remote peer's strongSwan charon,
# started by PID (lab_bg records them; lab_stop stops them), configured
# from the templates beside this file.
#
#   lhost --br-in-- A (ikev2d) ==IKE/ESP==> rtr --> peer (charon) --rin0-- rhost
#   198.51.100.10   192.0.2.2                 203.0.113.2    198.51.100.130
#   (namespaces $NS_LHOST, $NS_A, $NS_RTR, $NS_PEER, $NS_RHOST)
#
# Processes are slow to start in UML (LAB-NOTES 1): swanctl and haadm talk
# to UNIX sockets by path, so they run in the root namespace, without
# `ip netns exec`.

IKE_HERE=${BASH_SOURCE[0]%/*}
case $IKE_HERE in /*) ;; *) IKE_HERE=$PWD/$IKE_HERE ;; esac
case $LAB_B in /*) IKE_B=$LAB_B ;; *) IKE_B=$LAB_REPO/$LAB_B ;; esac
# On a local tmpfs (not hostfs, and not /run: charon gets its own there).
IKE_DIR=$LAB_DIR/ike
IKE_PEER=$IKE_DIR/peer
IKE_A=$IKE_DIR/a
IKE_VICI=unix://$IKE_PEER/charon.vici
IKE_PROPOSAL=${IKE_PROPOSAL:-aes128gcm16-prfsha256-x25519}
ESP_PROPOSAL=${ESP_PROPOSAL:-aes128gcm16}
# Force UDP encapsulation (NAT-T without a NAT): charon's encap (yes/no),
# ikev2d's connection encap (true/false).
PEER_ENCAP=${PEER_ENCAP:-no}
A_ENCAP=${A_ENCAP:-false}

# ike_check_tools: skip unless everything the test needs is here.
ike_check_tools()
{
	[ -x "$IKE_B/ikev2d" ] || skip "no $IKE_B/ikev2d (make B=$LAB_B all)"
	[ -x "$IKE_B/haadm" ] || skip "no $IKE_B/haadm"
	[ -x /usr/lib/ipsec/charon ] || skip "no strongSwan charon"
	command -v swanctl > /dev/null || skip "no swanctl"
	# The host kernel has no ESP (LAB-NOTES 1).
	[ "${LAB_IN_UML:-0}" = 1 ] || [ -d /sys/module/esp4 ] ||
	    skip "this kernel has no ESP: run inside UML"
}

# ike_render TEMPLATE OUT: fill @VAR@ from the environment.
ike_render()
{
	local line v

	: > "$2"
	while IFS= read -r line || [ -n "$line" ]; do
		while [[ $line =~ @([A-Z0-9_]+)@ ]]; do
			v=${BASH_REMATCH[1]}
			line=${line//@$v@/${!v}}
		done
		printf '%s\n' "$line" >> "$2"
	done < "$1"
}

# ike_setup: folders, a fresh PSK, charon's configs.
ike_setup()
{
	local hex

	mkdir -p "$IKE_PEER" "$IKE_A"
	hex=$(od -An -vtx1 -N32 /dev/urandom)
	hex=${hex//[$' \n']/}
	PSK=0x$hex
	DIR=$IKE_PEER
	export PSK DIR IKE_PROPOSAL ESP_PROPOSAL PEER_ENCAP A_ENCAP
	ike_render "$IKE_HERE/strongswan.conf.in" "$IKE_PEER/strongswan.conf"
	ike_render "$IKE_HERE/swanctl.conf.in" "$IKE_PEER/swanctl.conf"
}

# ike_proposals IKE ESP: use these proposals from now on: charon's
# connection is rewritten and reloaded (if charon runs); ikev2d takes them
# at its next ike_ikev2d_start.
ike_proposals()
{
	IKE_PROPOSAL=$1 ESP_PROPOSAL=$2
	export IKE_PROPOSAL ESP_PROPOSAL PEER_ENCAP A_ENCAP
	ike_render "$IKE_HERE/swanctl.conf.in" "$IKE_PEER/swanctl.conf"
	[ -S "$IKE_PEER/charon.vici" ] || return 0
	ike_swanctl --load-all --file "$IKE_PEER/swanctl.conf" > \
	    "$IKE_PEER/load.out" 2>&1 ||
	    { cat "$IKE_PEER/load.out"; fail "swanctl --load-all failed"; }
}

ike_swanctl()
{
	swanctl "$1" --uri "$IKE_VICI" "${@:2}"
}

# ike_charon_start: charon in the peer's netns, its own /run (pid file).
ike_charon_start()
{
	rm -f "$IKE_PEER/charon.vici"
	lab_bg charon-peer "$NS_PEER" unshare -m --propagation private sh -c \
	    'mount -t tmpfs -o size=4m tmpfs /run &&
	    STRONGSWAN_CONF=$1 exec /usr/lib/ipsec/charon' sh \
	    "$IKE_PEER/strongswan.conf"
	IKE_CHARON_PID=$LAB_PID
	t_on_exit lab_stop "$IKE_CHARON_PID"
	t_poll 15 test -S "$IKE_PEER/charon.vici" ||
	    { tail -n 20 "$LAB_DIR/charon-peer.out" "$IKE_PEER/charon.log";
	    fail "charon did not open its vici socket"; }
	ike_swanctl --load-all --file "$IKE_PEER/swanctl.conf" > \
	    "$IKE_PEER/load.out" 2>&1 ||
	    { cat "$IKE_PEER/load.out"; fail "swanctl --load-all failed"; }
}

# ike_ikev2d_start START_ACTION: ikev2d in node A's netns, foreground,
# debug log in $LAB_DIR/ikev2d-a.out.  CHILD_REKEY / CHILD_LIFE set the
# Child SA's rekey_time and life_time (default 1h / 66m).
ike_ikev2d_start()
{
	START_ACTION=$1
	CHILD_REKEY=${CHILD_REKEY:-1h} CHILD_LIFE=${CHILD_LIFE:-66m}
	export START_ACTION CHILD_REKEY CHILD_LIFE
	ike_render "$IKE_HERE/tandem.conf.in" "$IKE_A/tandem.conf"
	rm -rf "$IKE_A/run"
	lab_bg ikev2d-a "$NS_A" "$IKE_B/ikev2d" -f -d -c "$IKE_A/tandem.conf" \
	    -r "$IKE_A/run"
	IKE_IKEV2D_PID=$LAB_PID
	t_on_exit lab_stop "$IKE_IKEV2D_PID"
	t_poll 10 test -S "$IKE_A/run/ikev2d.sock" ||
	    { cat "$LAB_DIR/ikev2d-a.out"; fail "ikev2d did not start"; }
}

ike_ikev2d_stop()
{
	lab_stop "$IKE_IKEV2D_PID" || fail "ikev2d did not stop"
}

# ike_status: IKE_ST[key] = ikev2d's status lines (haadm --json status).
declare -A IKE_ST
ike_status()
{
	local out re='"([a-z0-9_]+)": "([^"]*)"'

	IKE_ST=()
	out=$("$IKE_B/haadm" -r "$IKE_A/run" --json status 2>&1) || true
	out=${out#*\"name\": \"ikev2d\"}
	out=${out%%\"name\": \"syncd\"*}
	while [[ $out =~ $re ]]; do
		IKE_ST[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
		out=${out#*"${BASH_REMATCH[0]}"}
	done
}

# ike_status_is KEY VALUE (for t_poll)
ike_status_is()
{
	ike_status
	[ "${IKE_ST[$1]:-}" = "$2" ]
}

# ike_peer_sas: IKE_SAS = swanctl --list-sas output.
ike_peer_sas()
{
	IKE_SAS=$(ike_swanctl --list-sas 2>&1) || true
}

ike_peer_up()
{
	ike_peer_sas
	[[ $IKE_SAS == *ESTABLISHED* ]] && [[ $IKE_SAS == *INSTALLED* ]]
}

ike_peer_down()
{
	ike_peer_sas
	[[ $IKE_SAS != *ESTABLISHED* ]] && [[ $IKE_SAS != *INSTALLED* ]]
}

# ike_xfrm NS: IKE_SPIS = the ESP SPIs in NS (not the kernel's acquire
# placeholders); IKE_PKTS[spi] = packets.
declare -A IKE_PKTS
ike_xfrm()
{
	local line spi= want=0

	IKE_SPIS=()
	IKE_PKTS=()
	while IFS= read -r line; do
		if [[ $line =~ proto\ esp\ spi\ (0x[0-9a-f]+) ]]; then
			spi=${BASH_REMATCH[1]}
			# SPI 0: the kernel's placeholder for an ACQUIRE.
			[ "$spi" = 0x00000000 ] || IKE_SPIS+=("$spi")
		elif [[ $line =~ lifetime\ current: ]]; then
			want=1
		elif [ "$want" = 1 ] &&
		    [[ $line =~ \(bytes\),\ ([0-9]+)\(packets\) ]]; then
			IKE_PKTS[$spi]=${BASH_REMATCH[1]}
			want=0
		fi
	done < <(ip -n "$1" -s xfrm state)
}

# ike_xfrm_count NS N: true when NS holds exactly N ESP SAs.
ike_xfrm_count()
{
	ike_xfrm "$1"
	[ "${#IKE_SPIS[@]}" = "$2" ]
}

# ike_ping COUNT: ping rhost from lhost; IKE_RTT = "min/avg/max" ms.
ike_ping()
{
	local out

	out=$(ip netns exec "$NS_LHOST" ping -n -c "$1" -i 0.2 -w 15 \
	    "$RHOST4" 2>&1) || { echo "$out"; return 1; }
	IKE_RTT=${out##*= }
	IKE_RTT=${IKE_RTT%% *}
	IKE_LOSS=${out##*received, }
	IKE_LOSS=${IKE_LOSS%%,*}
}

# ike_assert_esp NS MIN: every ESP SA in NS counted >= MIN packets.
ike_assert_esp()
{
	local spi n

	ike_xfrm "$1"
	[ "${#IKE_SPIS[@]}" -ge 2 ] || fail "$1: ${#IKE_SPIS[@]} ESP SAs"
	for spi in "${IKE_SPIS[@]}"; do
		n=${IKE_PKTS[$spi]:-0}
		[ "$n" -ge "$2" ] || { ip -n "$1" -s xfrm state;
		    fail "$1: SA $spi counted $n packets, want >= $2"; }
	done
}

# ike_progress: how far the exchanges got, from charon's log (a failing
# test says where it stopped).
ike_progress()
{
	local log=$IKE_PEER/charon.log p=()

	[ -r "$log" ] || return 0
	grep -q 'IKE_SA_INIT request 0' "$log" && p+=("IKE_SA_INIT sent")
	grep -q 'parsed IKE_SA_INIT response' "$log" &&
	    p+=("IKE_SA_INIT answered")
	grep -q 'parsed IKE_SA_INIT request' "$log" &&
	    p+=("IKE_SA_INIT received")
	grep -q 'parsed IKE_AUTH response' "$log" && p+=("IKE_AUTH answered")
	grep -q 'parsed IKE_AUTH request' "$log" && p+=("IKE_AUTH received")
	grep -q 'MAC mismatched' "$log" && p+=("ikev2d's AUTH did not verify")
	grep -q 'IKE_SA .* established' "$log" && p+=("IKE SA established")
	grep -q 'CHILD_SA .* established' "$log" && p+=("Child SA established")
	grep -q 'received DELETE for IKE_SA' "$log" &&
	    p+=("DELETE from ikev2d seen")
	local IFS=,
	echo "# charon saw: ${p[*]:-nothing}"
}

# ike_dump: what a failing test shows.
ike_dump()
{
	ike_progress
	echo "--- ikev2d (tail)"
	tail -n 60 "$LAB_DIR/ikev2d-a.out" 2>/dev/null
	echo "--- charon (tail)"
	tail -n 60 "$IKE_PEER/charon.log" 2>/dev/null
	echo "--- node A xfrm"
	ip -n "$NS_A" xfrm state 2>/dev/null
	ip -n "$NS_A" xfrm policy 2>/dev/null
}

# --- helpers of the matrix, operations, negative and DPD tests ----------

# ike_ikev2d_reload: SIGHUP the recorded ikev2d (it re-reads
# $IKE_A/tandem.conf: ike_core_set_cfg(), traps reconciled); returns once
# its status counts one more reload.
ike_ikev2d_reload()
{
	local n

	ike_status
	n=${IKE_ST[reloads]:-0}
	kill -HUP "$IKE_IKEV2D_PID" || fail "ikev2d (pid $IKE_IKEV2D_PID) is gone"
	t_poll 5 ike_status_is reloads $((n + 1)) ||
	    { tail -n 5 "$LAB_DIR/ikev2d-a.out"; fail "ikev2d did not reload"; }
}

# ike_uid KIND [N]: IKE_UID = the uid of ikev2d's Nth (default first) SA
# of KIND (ike or child), from haadm --json sas; false if there is none.
ike_uid()
{
	local out re='"uid": "([0-9]+)"' i=0

	IKE_UID=
	out=$("$IKE_B/haadm" -r "$IKE_A/run" --json sas 2>/dev/null) || return 1
	if [ "$1" = ike ]; then
		out=${out#*\"ike\": \[}
		out=${out%%\"child\": \[*}
	else
		out=${out#*\"child\": \[}
	fi
	while [[ $out =~ $re ]]; do
		IKE_UID=${BASH_REMATCH[1]}
		[ "$i" -lt "${2:-0}" ] || return 0
		i=$((i + 1))
		out=${out#*"${BASH_REMATCH[0]}"}
	done
	IKE_UID=
	return 1
}

# ike_haadm ARGS...: haadm against node A's ikev2d; fails the test when it
# fails.
ike_haadm()
{
	local out

	out=$("$IKE_B/haadm" -r "$IKE_A/run" "$@" 2>&1) ||
	    { echo "$out"; fail "haadm $* failed"; }
}

# ike_esp_algo NS ESP_PROPOSAL: every ESP SA in NS uses the algorithm
# (and key length) that ESP_PROPOSAL names.
ike_esp_algo()
{
	local want hexlen out n

	case $2 in
	aes128gcm16) want='aead rfc4106\(gcm\(aes\)\) 0x' hexlen=40 ;;
	aes256gcm16) want='aead rfc4106\(gcm\(aes\)\) 0x' hexlen=72 ;;
	chacha20poly1305)
		want='aead rfc7539esp\(chacha20,poly1305\) 0x' hexlen=72 ;;
	aes256-sha256) want='enc cbc\(aes\) 0x' hexlen=64 ;;
	*) fail "ike_esp_algo: no pattern for $2" ;;
	esac
	out=$(ip -n "$1" xfrm state)
	n=$(grep -cE "$want[0-9a-f]{$hexlen}( |\$)" <<< "$out") || true
	[ "$n" -ge 2 ] || { echo "$out"; return 1; }
	if [ "$2" = aes256-sha256 ]; then
		n=$(grep -c 'auth-trunc hmac(sha256) 0x[0-9a-f]\{64\} 128' \
		    <<< "$out") || true
		[ "$n" -ge 2 ] || { echo "$out"; return 1; }
	fi
}

# ike_ike_algo IKE_PROPOSAL: charon's IKE SA uses it (swanctl --list-sas
# names the algorithms).
ike_ike_algo()
{
	local want

	case $1 in
	aes128gcm16-prfsha256-x25519)
		want=AES_GCM_16-128/PRF_HMAC_SHA2_256/CURVE_25519 ;;
	aes256gcm16-prfsha384-ecp384)
		want=AES_GCM_16-256/PRF_HMAC_SHA2_384/ECP_384 ;;
	chacha20poly1305-prfsha256-x25519)
		want=CHACHA20_POLY1305/PRF_HMAC_SHA2_256/CURVE_25519 ;;
	aes256-sha256-modp2048)
		want=AES_CBC-256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048 ;;
	*) fail "ike_ike_algo: no pattern for $1" ;;
	esac
	ike_peer_sas
	[[ $IKE_SAS == *"$want"* ]] || { echo "$IKE_SAS"; return 1; }
}

# ike_ping_start N: N echoes 0.2 s apart from lhost in the background
# (PING_PID; reaped by ike_ping_check or the test's exit).
IKE_PING_PID=
ike_ping_start()
{
	ip netns exec "$NS_LHOST" ping -n -c "$1" -i 0.2 -W 1 "$RHOST4" \
	    > "$IKE_DIR/ping.out" 2>&1 &
	IKE_PING_PID=$!
}

# ike_ping_check WHO MAXLOST: wait for the ping; at most MAXLOST echoes
# lost; PING_SENT / PING_LOST are set.
ike_ping_check()
{
	local out

	wait "$IKE_PING_PID" || true
	IKE_PING_PID=
	out=$(< "$IKE_DIR/ping.out")
	[[ $out =~ ([0-9]+)\ packets\ transmitted,\ ([0-9]+)\ received ]] ||
	    { echo "$out"; fail "$1: no ping statistics"; }
	PING_SENT=${BASH_REMATCH[1]}
	PING_LOST=$((PING_SENT - BASH_REMATCH[2]))
	[ "$PING_LOST" -le "$2" ] ||
	    { echo "$out"; fail "$1: ping lost $PING_LOST of $PING_SENT" \
	    "(allowed $2)"; }
}
