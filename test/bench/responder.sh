#!/bin/bash
# test/bench/responder.sh B OUT.jsonl -- ikev2d against strongSwan's charon
# as IKEv2 responders, side by side in one run (`make bench-responder`;
# root).  Issue 4, "Must show", the last bullet.
#
#   netns tb-load (ikeload: ikev2d's core as N initiators, test/bench)
#     192.0.2.1    ---- veth ----  192.0.2.2     netns tb-ikev2d  (ikev2d)
#     198.51.100.1 ---- veth ----  198.51.100.2  netns tb-charon  (charon)
#
# On the host, with no kernel SA installation for either responder:
# ikev2d --no-kernel (kernel_null_ops), charon with kernel-libipsec (its
# userspace IPsec stack, LAB-NOTES 5; it forces UDP encapsulation, so the
# exchanges float to port 4500 after IKE_SA_INIT).  The same initiator
# binary, proposals (aes128gcm16-prfsha256-x25519, ESP aes128gcm16) and
# credentials for both; each IKE SA carries one Child SA and is kept up.
# For each auth method (PSK, ECDSA P-256 certificates) each responder is
# started fresh, its RSS read at 0 SAs, then ikeload establishes
# BENCH_IKE_N SAs (default 10000), pausing at 1,000 and at N to read the
# responder's user+sys CPU (/proc/PID/stat) and VmRSS (/proc/PID/status).
#
# Figures (JSONL as bench.h; ratio = ikev2d / charon):
#   ike_sa_rate_{ikev2d,charon}_{psk,ecdsa}       SA/s over the whole run
#   responder_cpu_per_sa_{psk,ecdsa}_ms           ikev2d over the first
#                                                 1,000 SAs, ratio vs charon
#   responder_cpu_per_sa_{psk,ecdsa}_10k_ms       the same over all N SAs
#   responder_cpu_per_sa_{psk,ecdsa}[_10k]_charon_ms  charon's own
#   rss_per_sa_{1k,10k}_kb                        PSK, (RSS_N - RSS_0) / N
#   rss_per_sa_ecdsa_{1k,10k}_kb, rss_per_sa_{1k,10k}_charon_kb
# Env: BENCH_IKE_N (SAs per run), BENCH_IKE_WINDOW (in flight, 64),
# BENCH_IKE_AUTH ("psk ecdsa"), BENCH_IKE_LIMIT (s per run, 240),
# BENCH_IKE_RESP ("ikev2d charon"), BENCH_CHARON_LOG (charon's log level,
# 0), BENCH_KEEP (keep the work directory with configs and logs).
set -eu
B=${1:?build dir}
OUT=${2:?out.jsonl}
case $B in /*) ;; *) B=$PWD/$B ;; esac
N=${BENCH_IKE_N:-10000}
WIN=${BENCH_IKE_WINDOW:-64}
AUTHS=${BENCH_IKE_AUTH:-psk ecdsa}
LIMIT=${BENCH_IKE_LIMIT:-240}
MARK=1000
[ "$N" -lt "$MARK" ] && MARK=$N
CHARON=/usr/lib/ipsec/charon
VS="strongSwan charon $(dpkg-query -W -f '${Version}' strongswan-charon \
    2>/dev/null | sed 's/-.*//')"
[ "$VS" = "strongSwan charon " ] && VS="strongSwan charon"
PSK=bench-psk-0123456789abcdef
IKE_PROP=aes128gcm16-prfsha256-x25519
ESP_PROP=aes128gcm16
NS_L=tb-load NS_I=tb-ikev2d NS_C=tb-charon
L_I=192.0.2.1 R_I=192.0.2.2
L_C=198.51.100.1 R_C=198.51.100.2

[ "$(id -u)" = 0 ] || { echo "responder.sh: needs root" >&2; exit 2; }
[ -x $CHARON ] || { echo "responder.sh: no $CHARON" >&2; exit 2; }
W=$(mktemp -d /tmp/tb-resp.XXXXXX)
PIDS=""

stop_pid()
{
	local p=$1 i

	kill -TERM "$p" 2> /dev/null || return 0
	for i in $(seq 50); do
		kill -0 "$p" 2> /dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$p" 2> /dev/null || true
}

cleanup()
{
	local p

	set +e
	for p in $PIDS; do stop_pid "$p"; done
	for n in $NS_L $NS_I $NS_C; do ip netns del $n 2> /dev/null; done
	if [ -n "${BENCH_KEEP:-}" ]; then echo "kept $W" >&2; else rm -rf "$W"; fi
}
trap cleanup EXIT

# --- network -------------------------------------------------------------
for n in $NS_L $NS_I $NS_C; do
	if ip netns list | grep -qw "$n"; then
		echo "responder.sh: netns $n exists (another run?)" >&2
		trap - EXIT; rm -rf "$W"; exit 2
	fi
	ip netns add $n
	ip -n $n link set lo up
done
ip link add tbl-i netns $NS_L type veth peer name tbr-i netns $NS_I
ip link add tbl-c netns $NS_L type veth peer name tbr-c netns $NS_C
ip -n $NS_L addr add $L_I/24 dev tbl-i
ip -n $NS_L addr add $L_C/24 dev tbl-c
ip -n $NS_I addr add $R_I/24 dev tbr-i
ip -n $NS_C addr add $R_C/24 dev tbr-c
for l in "$NS_L tbl-i" "$NS_L tbl-c" "$NS_I tbr-i" "$NS_C tbr-c"; do
	set -- $l
	ip -n "$1" link set "$2" up
done
# the responders' protected subnet: charon's libipsec routes need a
# source address in it
ip -n $NS_I addr add 2001:db8:2::1/64 dev lo
ip -n $NS_C addr add 2001:db8:2::1/64 dev lo
ip netns exec $NS_L ping -c1 -W2 $R_I > /dev/null
ip netns exec $NS_L ping -c1 -W2 $R_C > /dev/null

# --- PKI: ECDSA P-256 CA, initiator and responder (openssl CLI) ----------
mkpki()
{
	local d=$W/pki n
	mkdir -p "$d"
	(
	set -e
	cd "$d"
	umask 077
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	    -out ca.key 2> /dev/null
	openssl req -x509 -new -key ca.key -sha256 -days 2 \
	    -subj "/O=Tandem Bench/CN=Bench CA" \
	    -addext "basicConstraints=critical,CA:TRUE" \
	    -addext "keyUsage=critical,keyCertSign,cRLSign" \
	    -addext "subjectKeyIdentifier=hash" -out ca.pem
	for n in init resp; do
		openssl genpkey -algorithm EC \
		    -pkeyopt ec_paramgen_curve:P-256 -out $n.key 2> /dev/null
		case $n in
		init) cn=initiator.example ;;
		*) cn=responder.example ;;
		esac
		openssl req -new -key $n.key -subj "/O=Tandem Bench/CN=$cn" \
		    -out $n.csr
		printf 'basicConstraints=CA:FALSE\nsubjectAltName=DNS:%s\n' \
		    $cn > $n.ext
		openssl x509 -req -in $n.csr -CA ca.pem -CAkey ca.key \
		    -CAcreateserial -days 2 -sha256 -extfile $n.ext \
		    -out $n.pem 2> /dev/null
	done
	chmod 644 *.pem
	)
}
mkpki

# --- responders ----------------------------------------------------------
# start_ikev2d AUTH: PID = ikev2d's pid.
start_ikev2d()
{
	local d=$W/ikev2d-$1 local remote secrets=""

	mkdir -p "$d/run"
	if [ "$1" = psk ]; then
		local='local = { auth = "psk"; id = "responder.example"; };'
		remote='remote = { auth = "psk"; };'
		secrets="secrets = { load = { type = \"ike\"; secret = \"$PSK\"; }; };"
	else
		local="local = { auth = \"pubkey\"; id = \"responder.example\";
		    certs = [ \"$W/pki/resp.pem\" ];
		    key = \"$W/pki/resp.key\"; };"
		remote="remote = { auth = \"pubkey\";
		    cacerts = [ \"$W/pki/ca.pem\" ]; };"
	fi
	cat > "$d/tandem.conf" <<-EOC
	ike = {
		port = 500;
		port_nat_t = 4500;
		cookie_threshold = 1000000;
		block_threshold = 0;
		connections = {
			load = {
				vip_group = "vg1";
				local_addrs = [ "$R_I" ];
				proposals = [ "$IKE_PROP" ];
				unique = "never";
				dpd_delay = 0;
				rekey_time = 0;
				$local
				$remote
				children = { c = {
					esp_proposals = [ "$ESP_PROP" ];
					start_action = "none";
					local_ts = [ "2001:db8:2::/64" ];
					remote_ts = [ "2001:db8:1::/64" ];
					rekey_time = 0;
					life_time = "1d";
					rand_time = 0;
				}; };
			};
		};
		$secrets
	};
	sync = { allow_unencrypted_ring = true; };
	ha = { node = "r"; groups = { vg1 = { vrid = 51;
	    interface = "tbr-i"; vips = [ "$R_I/24" ]; }; }; };
	EOC
	ip netns exec $NS_I "$B/ikev2d" -f --no-kernel -c "$d/tandem.conf" \
	    -r "$d/run" > "$d/ikev2d.log" 2>&1 &
	PID=$!
	PIDS="$PIDS $PID"
	for i in $(seq 100); do
		[ -S "$d/run/ikev2d.sock" ] && return 0
		kill -0 $PID 2> /dev/null || break
		sleep 0.05
	done
	echo "responder.sh: ikev2d did not start:" >&2
	cat "$d/ikev2d.log" >&2
	exit 1
}

# start_charon AUTH: PID = charon's pid.
start_charon()
{
	local d=$W/charon-$1 auth_l auth_r

	mkdir -p "$d/x509" "$d/x509ca" "$d/private"
	cat > "$d/strongswan.conf" <<-EOC
	charon {
		load = random nonce openssl curve25519 aes gcm sha2 hmac kdf pem pkcs1 pkcs8 x509 pubkey constraints kernel-libipsec kernel-netlink socket-default vici
		install_routes = no
		port = 500
		port_nat_t = 4500
		# load-test settings (strongSwan's LoadTests page): no DoS
		# thresholds in the way, a hashed IKE SA table
		cookie_threshold = 1000000
		block_threshold = 1000000
		init_limit_half_open = 0
		ikesa_table_size = 4096
		ikesa_table_segments = 16
		filelog {
			resp {
				path = $d/charon.log
				default = ${BENCH_CHARON_LOG:-0}
			}
		}
		syslog {
			daemon {
				default = -1
			}
		}
		plugins {
			vici {
				socket = unix://$d/charon.vici
			}
		}
	}
	EOC
	if [ "$1" = psk ]; then
		auth_l="auth = psk
			id = responder.example"
		auth_r="auth = psk"
	else
		cp "$W/pki/resp.pem" "$d/x509/"
		cp "$W/pki/ca.pem" "$d/x509ca/"
		cp "$W/pki/resp.key" "$d/private/"
		auth_l="auth = pubkey
			certs = resp.pem
			id = responder.example"
		auth_r="auth = pubkey
			cacerts = ca.pem"
	fi
	cat > "$d/swanctl.conf" <<-EOC
	connections {
		load {
			version = 2
			local_addrs = $R_C
			proposals = $IKE_PROP
			unique = never
			mobike = no
			dpd_delay = 0
			rekey_time = 0
			local {
				$auth_l
			}
			remote {
				$auth_r
			}
			children {
				c {
					esp_proposals = $ESP_PROP
					start_action = none
					local_ts = 2001:db8:2::/64
					remote_ts = 2001:db8:1::/64
					rekey_time = 0
					life_time = 86400
				}
			}
		}
	}
	secrets {
		ike-load {
			secret = "$PSK"
		}
	}
	EOC
	ip netns exec $NS_C unshare -m --propagation private sh -c \
	    "mount -t tmpfs tmpfs /run && STRONGSWAN_CONF=$d/strongswan.conf \
	    exec $CHARON" > "$d/charon.out" 2>&1 &
	PID=$!
	PIDS="$PIDS $PID"
	for i in $(seq 100); do
		[ -S "$d/charon.vici" ] && break
		kill -0 $PID 2> /dev/null || break
		sleep 0.05
	done
	if [ ! -S "$d/charon.vici" ] || ! swanctl --load-all \
	    --uri "unix://$d/charon.vici" --file "$d/swanctl.conf" \
	    > "$d/swanctl.out" 2>&1; then
		echo "responder.sh: charon did not start:" >&2
		cat "$d/charon.out" "$d/swanctl.out" "$d/charon.log" >&2
		exit 1
	fi
	sleep 0.5	# let its threads settle before RSS_0
}

# run RESPONDER AUTH: R_<resp>_<auth>_{mark1,markN} = "mark ..." lines.
run()
{
	local resp=$1 auth=$2 local remote out rc=0

	if [ $resp = ikev2d ]; then
		start_ikev2d $auth
		local=$L_I remote=$R_I
	else
		start_charon $auth
		local=$L_C remote=$R_C
	fi
	out=$W/load-$resp-$auth.out
	ip netns exec $NS_L "$B/tools/ikeload" -l $local -r $remote \
	    -a $auth -n $N -w $WIN -k $PSK -P "$W/pki" -p $PID -m $MARK \
	    -t $LIMIT > "$out" 2> "$W/load-$resp-$auth.err" || rc=$?
	cat "$W/load-$resp-$auth.err" >&2
	printf '%-7s %-5s ' $resp $auth
	grep '^mark' "$out" | tr '\n' ' '
	echo
	stop_pid $PID
	[ $rc -le 1 ] || { echo "responder.sh: ikeload failed" >&2; exit 1; }
	eval "R_${resp}_${auth}_1=\$(grep '^mark' \"\$out\" | head -1)"
	eval "R_${resp}_${auth}_N=\$(grep '^mark' \"\$out\" | tail -1)"
}

# field LINE KEY: the value of KEY=... in a "mark" line.
field()
{
	echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

: > "$OUT"
fig()	# NAME VALUE UNIT [RATIO]
{
	if [ -n "${4:-}" ]; then
		printf '{"figure": "%s", "value": %s, "unit": "%s", "ratio": %s, "vs": "%s"}\n' \
		    "$1" "$2" "$3" "$4" "$VS" >> "$OUT"
	else
		printf '{"figure": "%s", "value": %s, "unit": "%s"}\n' \
		    "$1" "$2" "$3" >> "$OUT"
	fi
}
calc() { awk "BEGIN { printf \"%.4g\", $1 }"; }

echo "responder.sh: $N IKE SAs (+1 Child SA each) per run, window $WIN," \
    "marks at $MARK and $N; $(nproc) CPUs; $VS"
for auth in $AUTHS; do
	for r in ${BENCH_IKE_RESP:-ikev2d charon}; do run $r $auth; done
done

# --- figures -------------------------------------------------------------
echo
printf '%-36s %12s %12s %8s\n' figure ikev2d charon ratio
for auth in $AUTHS; do
	eval "i1=\$R_ikev2d_${auth}_1 iN=\$R_ikev2d_${auth}_N"
	eval "c1=\$R_charon_${auth}_1 cN=\$R_charon_${auth}_N"
	ni=$(field "$iN" sas) nc=$(field "$cN" sas)
	ri=$(field "$iN" rate) rc=$(field "$cN" rate)
	fig ike_sa_rate_ikev2d_$auth "$ri" "SA/s" "$(calc "$ri / $rc")"
	fig ike_sa_rate_charon_$auth "$rc" "SA/s"
	printf '%-36s %12s %12s %8s\n' "ike_sa_rate_$auth (SA/s)" $ri $rc \
	    "$(calc "$ri / $rc")"
	# CPU per SA over the first 1,000 SAs (both responders still scale
	# linearly there), then over the whole run
	for m in 1 N; do
		eval "li=\$i$m lc=\$c$m"
		sx=""
		[ $m = N ] && sx=_$((N / 1000))k
		[ $m = N ] && [ $sx = _1k ] && continue
		ci=$(calc "$(field "$li" cpu_ms) / $(field "$li" sas)")
		cc=$(calc "$(field "$lc" cpu_ms) / $(field "$lc" sas)")
		fig responder_cpu_per_sa_${auth}${sx}_ms "$ci" ms \
		    "$(calc "$ci / $cc")"
		fig responder_cpu_per_sa_${auth}${sx}_charon_ms "$cc" ms
		printf '%-36s %12s %12s %8s\n' \
		    "responder_cpu_per_sa_$auth$sx (ms)" $ci $cc \
		    "$(calc "$ci / $cc")"
	done
	sfx=""
	[ $auth = psk ] || sfx=_$auth
	for m in 1 N; do
		eval "li=\$i$m lc=\$c$m"
		k=1k
		[ $m = N ] && k=$((N / 1000))k
		[ $m = N ] && [ $k = 1k ] && continue
		ki=$(calc "(($(field "$li" rss_kb) - $(field "$li" rss0_kb))) / \
		    $(field "$li" sas)")
		kc=$(calc "(($(field "$lc" rss_kb) - $(field "$lc" rss0_kb))) / \
		    $(field "$lc" sas)")
		fig rss_per_sa${sfx}_${k}_kb "$ki" KiB "$(calc "$ki / $kc")"
		fig rss_per_sa${sfx}_${k}_charon_kb "$kc" KiB
		printf '%-36s %12s %12s %8s\n' "rss_per_sa${sfx}_$k (KiB)" \
		    $ki $kc "$(calc "$ki / $kc")"
	done
done
echo "figures: $OUT"
