# Stage 2 of the VM lab's guest, PID 1, run by the host's /bin/sh over the read-only overlay.
# /run/vmlab is the host's per-run export: it holds this script, `job` (written by the host: the
# modules folder and the command) and receives `booted` and `rc`. Everything written elsewhere goes
# to the guest's tmpfs and vanishes with it.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8 TERM=dumb
umask 022

say() { echo "vm-lab guest: $*" >/dev/ttyS0; }
off() {
  sync
  umount /run/vmlab 2>/dev/null
  echo b >/proc/sysrq-trigger
  sleep 1000
}

mkdir -p /dev/pts /dev/shm
mount -t devpts -o mode=0620,ptmxmode=0666 devpts /dev/pts
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /dev/shm
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /var/tmp
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd

# shellcheck source=/dev/null
. /run/vmlab/job

# The guest kernel's modules, unpacked on the host (never installed there), where modprobe looks.
mkdir -p "/lib/modules/$(uname -r)"
mount --bind "$VMLAB_MODULES" "/lib/modules/$(uname -r)" || {
  say "cannot bind $VMLAB_MODULES"
  off
}

# sudo looks its own host name up: it must resolve locally or every call stalls on DNS.
hostname wgt-vm
printf '127.0.1.1\twgt-vm\n' >>/etc/hosts
ip link set lo up

# The command's stdout and stderr each have a virtio-serial port, found by name.
for port in /sys/class/virtio-ports/*; do
  case "$(cat "$port/name")" in
  stdout) out=/dev/${port##*/} ;;
  stderr) err=/dev/${port##*/} ;;
  esac
done
[ -n "$out" ] && [ -n "$err" ] || {
  say 'no stdout/stderr ports'
  off
}

: >/run/vmlab/booted
(cd "$VMLAB_CWD" && . /run/vmlab/cmd) </dev/null >"$out" 2>"$err"
echo $? >/run/vmlab/rc.tmp
mv /run/vmlab/rc.tmp /run/vmlab/rc
off
