#!/bin/busybox sh
# Stage 1, /init of the VM lab's initramfs (static busybox). Loads the virtio, 9p and overlay
# modules, mounts the host's / read-only over virtio-9p with a tmpfs overlay on top (the guest sees
# the host's tools and checkout, and never writes to the host), mounts the small writable export
# that carries the job in and the exit code out, and hands over to stage 2 (guest.sh) as PID 1 so
# that the kernel's modprobe helper sees the same root as everything else.
/bin/busybox mkdir -p /proc /sys /dev /lower /upper /newroot
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
/bin/busybox --install -s /bin
export PATH=/bin

fail() {
  echo "vm-lab init: $*" >/dev/ttyS0
  # Power off at once: the host sees no exit code and reports the console.
  echo b >/proc/sysrq-trigger
  sleep 1000
}

echo 1 >/proc/sys/kernel/sysrq
# modules.order lists the modules with their dependencies first.
while read -r ko; do
  insmod "/modules/$ko" 2>/dev/null || [ -d "/sys/module/$(basename "$ko" .ko | tr - _)" ] || fail "insmod $ko failed"
done </modules/order

mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=512000 hostroot /lower || fail 'cannot mount the host over 9p'
mount -t tmpfs -o mode=0755 tmpfs /upper || fail 'tmpfs'
mkdir -p /upper/data /upper/work
mount -t overlay -o lowerdir=/lower,upperdir=/upper/data,workdir=/upper/work overlay /newroot || fail 'overlay over 9p failed'
mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /newroot/run || fail 'tmpfs /run'
mkdir -p /newroot/run/vmlab
mount -t 9p -o trans=virtio,version=9p2000.L,cache=none,msize=65536 vmlab /newroot/run/vmlab || fail 'cannot mount the job export'
mount --move /dev /newroot/dev
mount --move /proc /newroot/proc
mount --move /sys /newroot/sys
exec switch_root /newroot /bin/sh /run/vmlab/guest.sh
