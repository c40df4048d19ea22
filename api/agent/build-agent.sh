#!/usr/bin/env bash
# Builds the Rackboot agent: initrd.img (busybox-static + the agent scripts + the NIC and
# disk drivers of the Debian kernel) and vmlinuz (that kernel), from Debian's packages only.
#
# Usage: build-agent.sh OUTDIR
# Env:   KERNEL (default: newest /boot/vmlinuz-*), BUSYBOX (default /bin/busybox),
#        AGENT_MODULES (drivers to include, each with its dependencies)
# Needs: busybox-static, linux-image-amd64, cpio, kmod, xz-utils (root for mknod).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:?usage: build-agent.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)

kernel=${KERNEL:-$(ls -1 /boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1)}
[ -r "$kernel" ] || { echo "no kernel (install linux-image-amd64 or set KERNEL)" >&2; exit 1; }
kver=$(basename "$kernel" | sed 's/^vmlinuz-//')
busybox=${BUSYBOX:-/bin/busybox}
"$busybox" --list | grep -qx wget || { echo "$busybox has no wget applet" >&2; exit 1; }
# virtio, SATA, NVMe and the common QEMU/datacenter NICs. ata_piix stays out: probing the
# empty IDE ports of QEMU's "pc" machine costs seconds under TCG.
modules=${AGENT_MODULES:-"virtio_pci virtio_net virtio_blk virtio_scsi sd_mod ahci nvme e1000 e1000e vmxnet3"}

stage=$(mktemp -d)
trap 'rm -rf -- "$stage"' EXIT
mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,etc/modules,proc,sys,dev,tmp,run,lib/rackboot}
cp "$busybox" "$stage/bin/busybox"
ln -s busybox "$stage/bin/sh"
install -m 0755 "$here/init" "$stage/init"
install -m 0644 "$here/agent-lib.sh" "$here/install.sh" "$stage/lib/rackboot/"
install -m 0755 "$here/udhcpc.script" "$stage/etc/udhcpc.script"
mknod -m 600 "$stage/dev/console" c 5 1
mknod -m 666 "$stage/dev/null" c 1 3

# Each module: its dependency chain in load order (NAME.deps) and its device aliases as
# anchored regular expressions (NAME.re), so /init loads only what the hardware needs.
for m in $modules; do
  deps=$(modprobe -S "$kver" --show-depends "$m" 2>/dev/null) || { echo "skip $m: not in $kver" >&2; continue; }
  : > "$stage/etc/modules/$m.deps"
  while read -r kind path _; do
    [ "$kind" = insmod ] || continue
    rel=${path#/lib/modules/$kver/}
    dst=$stage/lib/modules/$kver/${rel%.xz}
    if [ ! -e "$dst" ]; then
      mkdir -p "$(dirname "$dst")"
      case "$path" in *.xz) xz -dc "$path" > "$dst" ;; *) cp "$path" "$dst" ;; esac
    fi
    echo "${dst#$stage}" >> "$stage/etc/modules/$m.deps"
  done <<< "$deps"
  awk -v m="$m" '$1 == "alias" && $3 == m && $2 ~ /^(pci|virtio|scsi):/ {
      r = $2; gsub(/[.+(){}|^$]/, "\\\\&", r); gsub(/\*/, ".*", r); gsub(/\?/, ".", r); print "^" r "$" }' \
    "/lib/modules/$kver/modules.alias" > "$stage/etc/modules/$m.re"
  [ -s "$stage/etc/modules/$m.re" ] || rm -f "$stage/etc/modules/$m.re"
done

( cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 ) \
  | gzip -9n > "$out/initrd.img.tmp"
mv "$out/initrd.img.tmp" "$out/initrd.img"
cp "$kernel" "$out/vmlinuz"
echo "agent: $out/initrd.img ($(stat -c %s "$out/initrd.img") bytes), kernel $kver" >&2
