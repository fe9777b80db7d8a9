#!/bin/busybox sh
# Stage 1, /init of the VM lab's initramfs (static busybox, fast under TCG: the host's dynamic
# binaries load their libraries over 9p). Loads the virtio, 9p and overlay modules, mounts the
# host's / read-only over virtio-9p with a tmpfs overlay on top (the guest sees the host's tools and
# checkout and never writes to the host), mounts the per-run export that carries the job in and the
# exit code out, prepares the new root, and hands over to stage 2 (guest.sh) as PID 1, so that the
# kernel's modprobe helper sees the same root as everything else.
/bin/busybox mkdir -p /proc /sys /dev /lower /upper /newroot
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
/bin/busybox --install -s /bin
export PATH=/bin

fail() {
  echo "vm-lab init: $*"
  # Reboot at once (qemu runs with -no-reboot, so it exits): the host sees no exit code and
  # reports the console.
  echo b >/proc/sysrq-trigger
  sleep 1000
}

echo 1 >/proc/sys/kernel/sysrq
# The order lists each module after its dependencies.
while read -r ko; do
  insmod "/modules/$ko" || [ -d "/sys/module/$(basename "$ko" .ko | tr - _)" ] || fail "insmod $ko failed"
done </modules/order

R=/newroot
mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=512000 hostroot /lower || fail 'cannot mount the host over 9p'
mount -t tmpfs -o mode=0755 tmpfs /upper || fail 'tmpfs'
mkdir -p /upper/data /upper/work
mount -t overlay -o lowerdir=/lower,upperdir=/upper/data,workdir=/upper/work overlay $R || fail 'overlay over 9p failed'
mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs $R/run || fail 'tmpfs /run'
mkdir -p $R/run/vmlab
mount -t 9p -o trans=virtio,version=9p2000.L,cache=none,msize=65536 vmlab $R/run/vmlab || fail 'cannot mount the job export'
# shellcheck source=/dev/null
. $R/run/vmlab/job

# The guest kernel's modules, unpacked on the host (never installed there), where modprobe looks.
# /lib is a relative link on the host (usr/lib), so the path stays inside the new root.
mkdir -p "$R/lib/modules/$(uname -r)"
mount --bind "$R$VMLAB_MODULES" "$R/lib/modules/$(uname -r)" || fail "cannot bind $VMLAB_MODULES"

# sudo looks its own host name up: it must resolve locally, or every call stalls on DNS.
echo wgt-vm >/proc/sys/kernel/hostname
printf '127.0.1.1\twgt-vm\n' >>$R/etc/hosts

# The command's stdout and stderr each have a virtio-serial port, found by name.
for port in /sys/class/virtio-ports/*; do
  read -r name <"$port/name"
  echo "VMLAB_$name=/dev/${port##*/}" >>/ports
done
. /ports
[ -n "$VMLAB_stdout" ] && [ -n "$VMLAB_stderr" ] || fail 'no stdout/stderr ports'
export VMLAB_stdout VMLAB_stderr

mkdir -p /dev/pts /dev/shm
mount -t devpts -o mode=0620,ptmxmode=0666 devpts /dev/pts
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /dev/shm
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
mount --move /dev $R/dev
mount --move /proc $R/proc
mount --move /sys $R/sys
exec switch_root $R /bin/sh /run/vmlab/guest.sh
