#!/bin/bash
# t_ha_handover -- planned moves with haadm, hamgrd alone (no ikev2d):
#
#   A: hamgrd, priority 200 ==== corosync CPG "tandem-ha" ==== B: hamgrd, 100
#          \__________ VRRPv3 vrid 51 on the upstream LAN __________/
#
# 1. A MASTER, both in one CPG membership.
# 2. `haadm failover` on A: B is MASTER at once (a HANDOVER message, no
#    master-down wait), its activation is a clean one (no UNCLEAN flag),
#    and A, though better and preempting, does not take the group back.
# 3. Refusals: failover on a BACKUP, to an unknown node (exit 1); on a
#    run directory without hamgrd (exit 2).
# 4. `haadm failover --group vg1 --to a` on B: A MASTER again.
# 5. `haadm maintenance on` on A: A hands vg1 over, B MASTER, A never master;
#    `maintenance off`: A preempts again.
# 6. The notify scripts ran with keepalived's arguments.
# 7. A's tracked script fails (weight -150: 200 -> 50): B preempts; it
#    succeeds again: A preempts back.
# Figure: command -> B MASTER.

set -eu
. "${BASH_SOURCE[0]%/*}/testlib.sh"
t_lab
. "${BASH_SOURCE[0]%/*}/vrrp/vrrp-lib.sh"
t_on_exit '[ "$rc" = 0 ] || hv_dump'

# hv_adm NODE ARGS...: haadm on NODE's run directory; HV_OUT, HV_RC.
hv_adm()
{
	local n=$1

	shift
	HV_RC=0
	HV_OUT=$("$HV_B/haadm" -r "$HV/$n" "$@" 2>&1) || HV_RC=$?
}

# --- 1. A master, one membership --------------------------------------------
hv_conf a 200 true track
hv_conf b 100 true
hv_start a
hv_start b
t_poll 10 hv_role_is a MASTER || fail "A did not become MASTER ($HV_ROLE)"
t_poll 5 hv_role_is b BACKUP || fail "B is not BACKUP ($HV_ROLE)"
t_poll 20 hv_cluster_is a up || fail "A: no CPG membership with B"
t_poll 10 hv_cluster_is b up || fail "B: no CPG membership with A"
# B must know A's state (and A B's) before a handover can name it.
t_poll 5 eval 'hv_status a; [[ ${HST[members]:-} == a,*b* ]]' ||
    fail "A does not know B: members '${HST[members]:-}'"

# --- 2. failover A -> B -----------------------------------------------------
lab_now
t_cmd=$LAB_NOW
hv_adm a --json failover
[ "$HV_RC" = 0 ] || fail "failover on A: exit $HV_RC: $HV_OUT"
[[ $HV_OUT == *'"vg1": "b"'* ]] || fail "failover on A: $HV_OUT"
t_poll 3 hv_role_is b MASTER || fail "handover: B is $HV_ROLE"
hv_status b
[[ ${HST[vg1.last]} == *"(handover)"* ]] ||
    fail "B became MASTER, but not by the handover: ${HST[vg1.last]}"
ho_ms=$(( ${HST[vg1.last_unix_ms]} - t_cmd / 1000 ))
t_poll 3 hv_vips b || fail "handover: B does not hold the VIPs"
hv_role_is a BACKUP || fail "handover: A is $HV_ROLE"
hv_novips a || fail "handover: A kept a VIP"
grep -q "ikev2d ACTIVATE FAILED" "$LAB_DIR/hamgrd-b.out" ||
    fail "B did not ask ikev2d to activate"
! grep -q "ikev2d ACTIVATE (unclean)" "$LAB_DIR/hamgrd-b.out" ||
    fail "a planned handover was sent to ikev2d as unclean"
sleep 1				# A prefers 200 > 100 and preempts ...
hv_role_is b MASTER || fail "A took the group back after the handover"
info "haadm failover on A: B MASTER after ${ho_ms} ms (clean activation);" \
    "A stays BACKUP"

# --- 3. refusals ------------------------------------------------------------
hv_adm a failover
[ "$HV_RC" = 1 ] || fail "failover on a BACKUP: exit $HV_RC, want 1: $HV_OUT"
[[ $HV_OUT == *"MASTER of no group"* ]] || fail "refusal: $HV_OUT"
hv_adm b failover --to nosuch
[ "$HV_RC" = 1 ] || fail "failover to an unknown node: exit $HV_RC: $HV_OUT"
hv_adm nowhere failover
[ "$HV_RC" = 2 ] || fail "failover without hamgrd: exit $HV_RC, want 2"
hv_role_is b MASTER || fail "a refused failover moved the group"
info "refused: failover on a BACKUP, to an unknown node (1); no hamgrd (2)"

# --- 4. failover back, named ------------------------------------------------
hv_adm b failover --group vg1 --to a
[ "$HV_RC" = 0 ] || fail "failover --to a on B: exit $HV_RC: $HV_OUT"
t_poll 3 hv_role_is a MASTER || fail "handover back: A is $HV_ROLE"
t_poll 3 hv_vips a || fail "handover back: A does not hold the VIPs"
info "haadm failover --group vg1 --to a on B: A MASTER"

# --- 5. maintenance ---------------------------------------------------------
# Draining the master hands its group over (clean), it does not resign.
n_ho=$(grep -c 'BACKUP -> MASTER (handover)' "$LAB_DIR/hamgrd-b.out" || true)
hv_adm a maintenance on
[ "$HV_RC" = 0 ] || fail "maintenance on: exit $HV_RC: $HV_OUT"
t_poll 3 hv_role_is b MASTER || fail "drain: B is $HV_ROLE"
[ "$(grep -c 'BACKUP -> MASTER (handover)' "$LAB_DIR/hamgrd-b.out")" -gt \
    "$n_ho" ] || fail "drain: B did not take vg1 by a handover"
hv_status a
[ "${HST[maintenance]}" = on ] ||
    fail "A's status: maintenance ${HST[maintenance]}"
sleep 1
hv_role_is a BACKUP || fail "drained A is $HV_ROLE"
hv_adm a maintenance off
[ "$HV_RC" = 0 ] || fail "maintenance off: exit $HV_RC: $HV_OUT"
t_poll 3 hv_role_is a MASTER || fail "undrained A did not preempt ($HV_ROLE)"
info "maintenance on A: handed over, B MASTER, A stays BACKUP; off: A" \
    "MASTER again"

# --- 6. notify --------------------------------------------------------------
t_poll 3 grep -qx "GROUP vg1 MASTER 100" "$HV/b/notify.log" ||
    fail "B's notify: $(cat "$HV/b/notify.log" 2>&1)"
grep -qx "GROUP vg1 BACKUP 200" "$HV/a/notify.log" ||
    fail "A's notify: $(cat "$HV/a/notify.log" 2>&1)"
info "notify scripts ran: B '$(tail -n 1 "$HV/b/notify.log")'," \
    "A $(wc -l < "$HV/a/notify.log") runs"

# --- 7. tracked script ------------------------------------------------------
touch "$HV/a/sick"
t_on_exit "rm -f $HV/a/sick"
t_poll 5 hv_role_is b MASTER || fail "A's script failing: B is $HV_ROLE"
hv_status a
[[ ${HST[vg1.prio]} == "50 "* ]] || fail "A's priority: ${HST[vg1.prio]}"
rm -f "$HV/a/sick"
t_poll 5 hv_role_is a MASTER || fail "A's script healthy: A is $HV_ROLE"
info "A's tracked script failing: priority 50, B MASTER; healthy: A back"
