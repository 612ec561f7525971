#!/bin/bash
# test/lab/uml-init.sh -- PID 1 inside User-Mode Linux (started by
# uml-run.sh, never by hand).
#
# Mounts what the lab needs, makes the kernel's module autoloading work
# from UML's own module folder, loads the modules, runs the requested
# script with a deadline, writes its exit status to the shared results
# folder and powers off.  PID 1 must never exit (the kernel would panic):
# no `set -e` here, and every path ends in poweroff.
#
# Boot arguments arrive as environment: LAB_RUN (host path of the results
# folder), LAB_TIMEOUT (s, for the whole boot).

export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8
umask 022

mount -t proc -o nosuid,nodev,noexec proc /proc
read -r up _ < /proc/uptime
# Kernel messages would interleave with the script's output on the console.
echo "1 4 1 7" > /proc/sys/kernel/printk

here=${BASH_SOURCE[0]%/*}
res=/tmp/lab-results

halt()
{
	exec poweroff -f > /dev/null 2>&1
}

fail()
{
	echo "uml-init: $*"
	[ ! -d "$res" ] || echo 125 > "$res/status"
	halt
}

mount -a -T "$here/uml-fstab" || fail "mounting file systems"
# UML's devtmpfs lacks the /dev/fd links that bash's <(...) needs.
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
# The results folder: writable hostfs, not under /run (daemons get a
# private /run that would hide it).
mkdir -p "$res"
mount -t hostfs -o "$LAB_RUN" none "$res" ||
    fail "mounting results folder $LAB_RUN"

# UML keeps its modules in its package's folder: point a modules tree at
# it and make the kernel's autoloader use modprobe -d on that tree.
read -r rel < /proc/sys/kernel/osrelease
mkdir -p /run/uml-mod/lib/modules
ln -s "/usr/lib/uml/modules/$rel" "/run/uml-mod/lib/modules/$rel"
printf '#!/bin/sh\nexec /sbin/modprobe -d /run/uml-mod "$@"\n' \
    > /run/uml-mod/modprobe
chmod 755 /run/uml-mod/modprobe
echo /run/uml-mod/modprobe > /proc/sys/kernel/modprobe
/run/uml-mod/modprobe -a overlay veth bridge esp4 xfrm_user xfrm4_tunnel \
    tunnel4 gcm ghash-generic seqiv chacha20poly1305 nf_tables esp6 \
    xfrm6_tunnel || fail "loading modules"
ip link set lo up || fail "lo up"

. "$res/env" || fail "no $res/env"
# A checkout under /tmp (CI clones anywhere) is hidden by the tmpfs above:
# bring the host's folder back at the same path.
if [ ! -d "$LAB_REPO/test/lab" ]; then
	mkdir -p "$LAB_REPO" &&
	    mount -t hostfs -o "$LAB_REPO" none "$LAB_REPO" ||
	    fail "mounting the repository $LAB_REPO"
fi
cd "$LAB_REPO" || fail "no repository $LAB_REPO"
read -r ready _ < /proc/uptime
echo "uml-init: kernel $rel, init at ${up}s, ready at ${ready}s"

# The script's own deadline leaves 20 s of the host's for power-off.
limit=$(( ${LAB_TIMEOUT:-600} - 20 ))
[ "$limit" -gt 30 ] || limit=30
{
	timeout -k 10 "$limit" bash "$LAB_SCRIPT" "${LAB_ARGS[@]}"
	rc=$?
	[ "$rc" != 124 ] ||
	    echo "uml-init: ${LAB_SCRIPT##*/} timed out after ${limit}s"
	echo "$rc" > "$res/status"
} 2>&1 < /dev/null | tee "$res/output.log"
halt
