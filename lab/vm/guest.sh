# Stage 2 of the VM lab's guest, PID 1, run by the host's /bin/sh over the overlay that stage 1
# (init.sh) prepared. /run/vmlab is the host's per-run export: it holds this script, `job` (the
# modules folder and working directory), `cmd` (the command, quoted by the host) and receives
# `booted` and `rc`. Everything written elsewhere goes to the guest's tmpfs and vanishes with it.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8 TERM=dumb
umask 022
. /run/vmlab/job
out=$VMLAB_stdout err=$VMLAB_stderr
unset VMLAB_stdout VMLAB_stderr

# A watchdog of the guest's own: past the deadline it reboots, which ends qemu.
(sleep "$VMLAB_DEADLINE" && echo b >/proc/sysrq-trigger) &
: >/run/vmlab/booted
(cd "$VMLAB_CWD" && . /run/vmlab/cmd) </dev/null >"$out" 2>"$err"
echo $? >/run/vmlab/rc.tmp
mv /run/vmlab/rc.tmp /run/vmlab/rc
sync
# Reboot at once; qemu runs with -no-reboot, so it exits.
echo b >/proc/sysrq-trigger
sleep 1000
