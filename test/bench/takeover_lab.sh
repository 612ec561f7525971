#!/bin/bash
# test/bench/takeover_lab.sh NAME.jsonl -- the takeover benchmark of
# issue 6, inside the UML lab (`make bench-takeover-lab`; ESP needs UML,
# LAB-NOTES 1).  The host's tree is read-only inside UML: the figures go to
# $LAB_RESULTS/NAME.jsonl, which the Makefile copies out.  For each N of BENCH_TAKEOVER_N (default "1 100 1000"):
#
#   1. the whole stack on A (priority 200) and B (100), as t_ha_takeover;
#   2. charon's tunnel (the one that carries the ping) plus N-1 IKE SAs
#      with one Child SA each from ikeload (test/bench/ikeload.c) on the
#      upstream router's internet address (charon holds the peer router's
#      IKE ports) -- all replicated to B;
#   3. a ping every 10 ms from lhost to rhost; every link of A goes down
#      at once (crash: A's kernel stops forwarding too);
#   4. figures: detection = B's hamgrd decision (its own clock, status
#      vg1.last_unix_ms) - the failure; activation = B's actions for the
#      transition (hamgrd's vg1.last_act_ms: ikev2d draining its live
#      copies to a barrier -- or, when the live stream was not ready,
#      fetching from syncd and importing -- + kernel install, VIPs, GARP),
#      of which ikev2d's barrier (or fetch) and install (its log line); first ESP = first ESP packet from B's MAC
#      on the upstream LAN (espseen on the router) - the decision; the
#      pings lost;
#   5. planned handover back: A's links up (A returns as BACKUP), then
#      `haadm failover` on B with the same ping: the pings lost.
#
# Figures (JSONL, bench.h's format), for each N:
#   takeover_detect_ms_nN, takeover_activate_ms_nN,
#   takeover_ike_fetch_ms_nN, takeover_ike_install_ms_nN,
#   takeover_ike_install_cpu_ms_nN (ikev2d's CPU time in the install),
#   takeover_first_esp_ms_nN, takeover_total_ms_nN (failure -> first ESP
#   from B), takeover_ping_lost_nN, planned_ping_lost_nN.
# ikev2d runs at its default log level here (LAB_IKEV2D_DEBUG, ha-lib.sh):
# a debug line per SA event costs more in UML than the takeover's work.
# Standby copies are parked (ha.standby_preinstall, ikev2d/ike_park.c)
# by the time of the crash: the install adds the outbound policies and
# the counters that moved.
# UML has one slow vCPU on a shared host: these are upper bounds of what
# the code costs; bench_takeover (the pure import + activate, host) is
# the other half of the picture.
set -eu
OUT=${LAB_RESULTS:?run me in UML (uml-run.sh)}/${1:?name.jsonl}
LAB_TESTS=${LAB_TESTS:-}
export LAB_IKEV2D_DEBUG=${LAB_IKEV2D_DEBUG-}
here=${BASH_SOURCE[0]%/*}
case $here in /*) ;; *) here=$PWD/$here ;; esac
. "$here/../lab/testlib.sh"
. "$here/../lab/ike/ike-lib.sh"
. "$here/../lab/ha/ha-lib.sh"
t_lab
ha_check_tools
[ -x "$IKE_B/tools/ikeload" ] || skip "no $IKE_B/tools/ikeload"

# Only LAB_* variables reach inside UML (uml-run.sh): the Makefile passes
# BENCH_TAKEOVER_N as LAB_TAKEOVER_N.
NS=${LAB_TAKEOVER_N:-1 100 1000}
LOAD4=$RTR_NET4			# ikeload runs on the upstream router
: > "$OUT"

figure()	# NAME VALUE UNIT VS
{
	printf '{"figure": "%s", "value": %s, "unit": "%s", "vs": "%s"}\n' \
	    "$1" "$2" "$3" "$4" >> "$OUT"
	printf '  %-34s %10s %s\n' "$1" "$2" "$3"
}

t_on_exit '[ "$rc" = 0 ] || ha_dump'
t_on_exit "ha_links a up"

HA_EXTRA_CONN='
		load = {
			vip_group = "vg1";
			local_addrs = [ "'$VIP4'" ];
			remote_addrs = [ "'$LOAD4'" ];
			proposals = [ "aes128gcm16-prfsha256-x25519" ];
			unique = "never";
			dpd_delay = 0;
			rekey_time = 0;
			local = { auth = "psk"; id = "responder.example"; };
			remote = { auth = "psk"; };
			children = { c = {
				esp_proposals = [ "aes128gcm16" ];
				start_action = "none";
				local_ts = [ "2001:db8:2::/64" ];
				remote_ts = [ "2001:db8:1::/64" ];
				rekey_time = 0;
				life_time = "1d";
				rand_time = 0;
			}; };
		};'
LOAD_PSK=bench-$RANDOM$RANDOM$RANDOM
HA_EXTRA_SECRET='		load = { type = "ike"; secret = "'$LOAD_PSK'"; };'
ha_setup
ike_charon_start

replies()
{
	grep -c 'bytes from' "$LAB_DIR/ping-$1.out" || true
}

replies_at_least()
{
	[ "$(replies "$1")" -ge "$2" ]
}

child_sas_at_least()	# NODE N
{
	ha_status "$1" syncd
	[ "${HST[child_sas]:-0}" -ge "$2" ]
}

ping_lost()	# NAME: stop the ping, PING_LOST
{
	kill -INT "$(ha_pid "ping-$1")"
	t_poll 5 grep -q 'packets transmitted' "$LAB_DIR/ping-$1.out" ||
	    fail "ping $1 did not stop"
	[[ $(< "$LAB_DIR/ping-$1.out") =~ ([0-9]+)\ packets\ transmitted,\ ([0-9]+)\ received ]]
	PING_LOST=$((BASH_REMATCH[1] - BASH_REMATCH[2]))
}

# monitor_ready N: nudge up0 (txqueuelen there and back, which the
# kernel reports as a link change); true once linkmon-N reported it.
monitor_ready()
{
	ip -n "$NS_A" link set dev "$IF_UP" txqueuelen 999 &&
	    ip -n "$NS_A" link set dev "$IF_UP" txqueuelen 1000 &&
	    grep -q " $IF_UP[@:]" "$LAB_DIR/linkmon-$1.out"
}

# link_down_us FILE: the time (epoch us) of the first event of ip -ts
# monitor link in FILE that shows $IF_UP without UP, or nothing.
link_down_us()
{
	local ts

	ts=$(awk -v ifc="$IF_UP" '$0 ~ "^\\[" && $3 ~ "^" ifc "[@:]" &&
	    $4 !~ /[<,]UP[,>]/ { print substr($1, 2, length($1) - 2); exit }' "$1")
	[ -n "$ts" ] || return 0
	date -d "${ts/T/ }" +%s%6N 2>/dev/null || true
}

one()
{
	local n=$1 t_fail t_kern t_dec act first_us mac_b seen mon out fetch
	local inst src cpu

	echo "N = $n SAs"
	ha_pair
	out=$(ike_swanctl --initiate --child net --timeout 30 2>&1) ||
	    { echo "$out"; fail "swanctl --initiate failed"; }
	if [ "$n" -gt 1 ]; then
		ip netns exec "$NS_RTR" "$IKE_B/tools/ikeload" -l "$LOAD4" \
		    -r "$VIP4" -a psk -n $((n - 1)) -w 32 -k "$LOAD_PSK" \
		    -t 600 > "$LAB_DIR/ikeload-$n.out" 2>&1 ||
		    { tail -5 "$LAB_DIR/ikeload-$n.out";
		    fail "ikeload: not every SA came up"; }
	fi
	t_poll 120 child_sas_at_least b "$n" ||
	    fail "B's syncd holds ${HST[child_sas]:-0} Child SAs, want $n"

	lab_bg "espseen-$n" "$NS_RTR" "$LAB_TOOLS/espseen" -i "$IF_UP" -d in
	seen=$LAB_PID
	t_on_exit lab_stop "$seen"
	t_poll 5 grep -q ready "$LAB_DIR/espseen-$n.out" ||
	    fail "espseen did not start"
	mac_b=$(ip -n "$NS_B" -br link show "$IF_UP" | awk '{ print $3 }')
	lab_bg "ping-c$n" "$NS_LHOST" ping -n -i 0.01 -W 1 "$RHOST4"
	t_on_exit lab_stop "$LAB_PID"
	t_poll 20 replies_at_least "c$n" 100 || fail "no traffic"

	# The failure's time is when A's kernel took up0 down (its link
	# event, ip -ts monitor), not when this shell started the ip
	# command that does it: a process start costs tens of ms in UML.
	lab_bg "linkmon-$n" "$NS_A" stdbuf -oL ip -ts monitor link
	mon=$LAB_PID
	t_on_exit lab_stop "$mon"
	# ready once it reports a change of ours (set until it does)
	t_poll 10 monitor_ready "$n" || fail "ip monitor did not start"
	lab_now
	t_fail=$LAB_NOW
	ha_links a down
	t_poll 30 ha_role_is b MASTER || fail "B did not become MASTER"
	t_kern=$(link_down_us "$LAB_DIR/linkmon-$n.out")
	if [ -n "$t_kern" ] && [ "$t_kern" -ge "$t_fail" ]; then
		echo "# n=$n: up0 went down $(( (t_kern - t_fail) / 1000 )) ms" \
		    "after the shell started taking it down"
		t_fail=$t_kern
	else
		echo "# n=$n: no link-down event seen: failure time from the shell"
	fi
	lab_stop "$mon"
	t_dec=${HST[vg1.last_unix_ms]}
	act=${HST[vg1.last_act_ms]}
	t_poll 20 replies_at_least "c$n" $(( $(replies "c$n") + 100 )) ||
	    fail "the ping did not resume on B"
	ping_lost "c$n"
	kill -TERM "$seen"
	t_poll 5 grep -q '^total' "$LAB_DIR/espseen-$n.out" ||
	    fail "espseen did not report"
	first_us=$(awk -v mac="$mac_b" '$1 == "flow" &&
	    index($0, "src=" mac) { for (i = 2; i <= NF; i++) {
	    split($i, kv, "="); if (kv[1] == "first_us" &&
	    (best == "" || kv[2] < best)) best = kv[2] } } END { print best }' \
	    "$LAB_DIR/espseen-$n.out")
	[ -n "$first_us" ] || fail "no ESP from B"
	out=$(grep 'active (unclean takeover)' "$LAB_DIR/ikev2d-b.out" |
	    tail -1)
	# "barrier N ms" when the standby's live copies were used
	# (sa_live.h), "fetch N ms" when it fell back to fetching
	[[ $out =~ (fetch|barrier)\ ([0-9]+)\ ms,\ install\ ([0-9]+)\ ms\ \(cpu\ ([0-9]+)\ ms\) ]] ||
	    fail "no activation line in ikev2d's log"
	src=${BASH_REMATCH[1]} fetch=${BASH_REMATCH[2]} inst=${BASH_REMATCH[3]}
	cpu=${BASH_REMATCH[4]}
	[[ $out =~ ([0-9]+)\ parked,\ ([0-9]+)\ counter ]] ||
	    fail "no parked count in ikev2d's activation line"
	echo "# n=$n: ikev2d's records came from: $src (${fetch} ms);" \
	    "${BASH_REMATCH[1]} Child SA(s) were parked, ${BASH_REMATCH[2]}" \
	    "counter preset(s)"
	figure "takeover_detect_ms_n$n" $(( t_dec - t_fail / 1000 )) ms \
	    "links of the master down -> the backup decides MASTER"
	figure "takeover_activate_ms_n$n" "$act" ms \
	    "decision -> VIPs, GARP and every SA in the kernel"
	figure "takeover_ike_fetch_ms_n$n" "$fetch" ms \
	    "ikev2d: live copies drained to a barrier (fetch + import when the stream was not ready)"
	figure "takeover_ike_install_ms_n$n" "$inst" ms \
	    "ikev2d: batched kernel install + resume, $n SAs"
	figure "takeover_ike_install_cpu_ms_n$n" "$cpu" ms \
	    "ikev2d's own CPU in that install (the rest: the lab's one vCPU busy with the other nodes)"
	figure "takeover_first_esp_ms_n$n" $(( first_us / 1000 - t_dec )) ms \
	    "decision -> first ESP from the new master"
	figure "takeover_total_ms_n$n" $(( (first_us - t_fail) / 1000 )) ms \
	    "failure -> first ESP from the new master"
	figure "takeover_ping_lost_n$n" "$PING_LOST" packets \
	    "pings 10 ms apart lost across the crash takeover"

	# Planned handover back to A.
	ha_links a up || fail "A's links did not come back"
	t_poll 30 ha_role_is a BACKUP || fail "A did not return as BACKUP"
	t_poll 60 child_sas_at_least a "$n" || fail "A did not resync"
	lab_bg "ping-p$n" "$NS_LHOST" ping -n -i 0.01 -W 1 "$RHOST4"
	t_on_exit lab_stop "$LAB_PID"
	t_poll 20 replies_at_least "p$n" 100 || fail "no traffic via B"
	"$IKE_B/haadm" -r "$(ha_run b)" failover > /dev/null ||
	    fail "haadm failover on B failed"
	t_poll 20 ha_role_is a MASTER || fail "A did not take the group"
	t_poll 20 replies_at_least "p$n" $(( $(replies "p$n") + 100 )) ||
	    fail "the ping did not resume on A"
	ping_lost "p$n"
	figure "planned_ping_lost_n$n" "$PING_LOST" packets \
	    "pings 10 ms apart lost across haadm failover"

	ha_stop a
	ha_stop b
	ike_swanctl --terminate --ike vip > /dev/null 2>&1 || true
	ha_flush
	lab_wait_members 60 || fail "corosync: no 2-member membership"
}

for n in $NS; do
	one "$n"
done
exit 0
