# test/lab/vrrp/vrrp-lib.sh -- sourced (bash) by t_ha_vrrp.sh and
# t_ha_handover.sh after testlib.sh: hamgrd alone (no ikev2d, no syncd)
# on nodes A and B, group vg1 (vrid 51) with VIPs $VIP4/24 and
# $VIP6/64 on up0 and $IVIP4/25 on in0, adverts every $ADVERT_CS cs
# (IPv4 and IPv6 adverts: the group has both); one run directory per
# node in $HV/NODE; processes started by PID (lab_bg) and stopped by PID.

case $LAB_B in /*) HV_B=$LAB_B ;; *) HV_B=$LAB_REPO/$LAB_B ;; esac
[ -x "$HV_B/hamgrd" ] || skip "no $HV_B/hamgrd (make B=$LAB_B all)"
HV=$LAB_DIR/havrrp
rm -rf "$HV"
mkdir -p "$HV/a" "$HV/b"
ADVERT_CS=10
DOWN_MS=360		# B: 3 x 10 cs + (256 - 100) x 10 / 256 cs
SLACK_MS=700		# UML: one vCPU, slow wakeups under load

# Each node's notify script logs its arguments to $HV/NODE/notify.log;
# its notify_master / _backup / _fault / _stop (keepalived's per-state
# scripts, "role.sh master" and so on) to $HV/NODE/role.log.
for n in a b; do
	printf '#!/bin/sh\necho "$*" >> %s/notify.log\n' "$HV/$n" \
	    > "$HV/$n/notify.sh"
	printf '#!/bin/sh\necho "$*" >> %s/role.log\n' "$HV/$n" \
	    > "$HV/$n/role.sh"
	chmod 755 "$HV/$n/notify.sh" "$HV/$n/role.sh"
done

# hv_conf NODE PRIO PREEMPT [TRACK]: write $HV/NODE.conf; TRACK adds a
# tracked script $HV/NODE/track.sh (every 500 ms, weight -150, fall and
# rise 2) that fails while $HV/NODE/sick exists.  $HV_EXTRA, if set, is
# added to the group (use_vmac = true;).
hv_conf()
{
	local track=

	if [ "${4:-}" = track ]; then
		printf '#!/bin/sh\n[ ! -e %s/sick ]\n' "$HV/$1" \
		    > "$HV/$1/track.sh"
		chmod 755 "$HV/$1/track.sh"
		track="track_scripts = ( { path = \"$HV/$1/track.sh\";
		    interval = \"500ms\"; weight = -150; rise = 2;
		    fall = 2; } );"
	fi
	cat > "$HV/$1.conf" <<-EOF
	ike = { connections = {}; };
	ha = {
		node = "$1";
		priority = $2;
		groups = {
			vg1 = {
				vrid = 51;
				interface = "$IF_UP";
				vips = [ "$VIP4/24", "$IVIP4/25 dev $IF_IN",
				    "$VIP6/64" ];
				advert_interval = $ADVERT_CS;
				preempt = $3;
				garp_count = 3;
				garp_interval = "20ms";
				garp_master_refresh = "1s";
				garp_master_refresh_repeat = 2;
				notify = "$HV/$1/notify.sh";
				notify_master = "$HV/$1/role.sh master vg1";
				notify_backup = "$HV/$1/role.sh backup vg1";
				notify_fault = "$HV/$1/role.sh fault vg1";
				notify_stop = "$HV/$1/role.sh stop vg1";
				$track
				${HV_EXTRA:-}
			};
		};
	};
	EOF
}

hv_ns()
{
	[ "$1" = a ] && HV_NS=$NS_A || HV_NS=$NS_B
}

# hv_start NODE: hamgrd on NODE with $HV/NODE.conf; HV_PID_NODE.
hv_start()
{
	hv_ns "$1"
	lab_bg "hamgrd-$1" "$HV_NS" "$HV_B/hamgrd" -f -d -c "$HV/$1.conf" \
	    -r "$HV/$1"
	eval "HV_PID_$1=\$LAB_PID"
	t_on_exit lab_stop "$LAB_PID"
	t_poll 10 test -S "$HV/$1/hamgrd.sock" ||
	    { cat "$LAB_DIR/hamgrd-$1.out"; fail "hamgrd on $1 did not start"; }
}

# hv_status NODE: HST[key] = hamgrd's status lines on NODE.
declare -A HST
hv_status()
{
	local out re='"([a-zA-Z0-9_.-]+)": "([^"]*)"'

	HST=()
	out=$("$HV_B/haadm" -r "$HV/$1" --json status 2>&1) || true
	out=${out#*\"name\": \"hamgrd\"}
	while [[ $out =~ $re ]]; do
		HST[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
		out=${out#*"${BASH_REMATCH[0]}"}
	done
}

hv_role_is()
{
	hv_status "$1"
	HV_ROLE=${HST[vg1.role]:-down}
	[ "$HV_ROLE" = "$2" ]
}

hv_cluster_is()
{
	hv_status "$1"
	[ "${HST[cluster]:-}" = "$2" ]
}

# hv_vips NODE: NODE holds every VIP / hv_novips NODE: none.
hv_vips()
{
	hv_ns "$1"
	ip -n "$HV_NS" -4 addr show dev "$IF_UP" | grep -q "inet $VIP4/" &&
	    ip -n "$HV_NS" -4 addr show dev "$IF_IN" | grep -q "inet $IVIP4/" &&
	    ip -n "$HV_NS" -6 addr show dev "$IF_UP" | grep -q "inet6 $VIP6/"
}

hv_novips()
{
	hv_ns "$1"
	! ip -n "$HV_NS" addr show | grep -qE "inet6? ($VIP4|$IVIP4|$VIP6)/"
}

hv_mac()
{
	local out

	hv_ns "$1"
	out=$(ip -n "$HV_NS" link show dev "$IF_UP")
	[[ $out =~ link/ether\ ([0-9a-f:]+) ]] && HV_MAC=${BASH_REMATCH[1]}
}

# rtr_neigh_is MAC: the router's neighbour entries for the VIPs (ARP
# and ND: gratuitous ARP and unsolicited NA move them).
rtr_neigh_is()
{
	local out

	out=$(ip -n "$NS_RTR" neigh show "$VIP4" dev "$IF_UP")
	[[ $out == *"lladdr $1"* ]] || return 1
	out=$(ip -n "$NS_RTR" -6 neigh show "$VIP6" dev "$IF_UP")
	[[ $out == *"lladdr $1"* ]]
}

# one_master: exactly one of A, B is MASTER; HV_MASTERS lists them.
one_master()
{
	local n

	HV_MASTERS=
	for n in a b; do
		hv_role_is "$n" MASTER && HV_MASTERS+="$n "
	done
	[ "$HV_MASTERS" = "a " ] || [ "$HV_MASTERS" = "b " ]
}

hv_dump()
{
	local n

	for n in a b; do
		echo "--- hamgrd $n (tail)"
		grep -v 'qb_ipcc' "$LAB_DIR/hamgrd-$n.out" 2>/dev/null |
		    tail -n 25
		hv_status "$n"
		echo "--- hamgrd $n: role=${HST[vg1.role]:-?}" \
		    "master=${HST[vg1.master]:-?}" \
		    "adverts=${HST[vg1.adverts]:-?}" \
		    "bad=${HST[vg1.bad]:-?} cluster=${HST[cluster]:-?}"
	done
	[ ! -e "$LAB_DIR/keepalived.out" ] ||
	    { echo "--- keepalived"; tail -n 20 "$LAB_DIR/keepalived.out"; }
}
