#!/usr/bin/env bash
# Builds the Rackboot agent: initrd.img (busybox-static + the agent scripts + the NIC and
# disk drivers of the Debian kernel) and vmlinuz (that kernel), from Debian's packages only.
#
# Usage: build-agent.sh OUTDIR
# Env:   KERNEL (default: newest readable /boot/vmlinuz-* with its modules), BUSYBOX (default
#        /bin/busybox), AGENT_MODULES (drivers to include, each with its dependencies)
# Needs: cpio, kmod, xz-utils, gzip. Root is not needed: a kernel that is missing or unreadable
# (Debian installs /boot/vmlinuz-* mode 0600) and a busybox without wget are taken from Debian's
# linux-image-amd64 and busybox-static packages, fetched with apt-get download and unpacked
# with dpkg-deb -x into a temporary directory. As root, the device nodes are made with mknod;
# without root they are written into the archive directly.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:?usage: build-agent.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
# depmod and modprobe live in /usr/sbin, which a user's PATH may lack.
PATH=$PATH:/usr/sbin:/sbin

work=$(mktemp -d)
trap 'rm -rf -- "$work"' EXIT
# Unpacks Debian package $1 into $work/root, as any user.
unpack() {
  (cd "$work" && apt-get download -q "$1" >&2) || { echo "cannot download $1 with apt-get" >&2; exit 1; }
  dpkg-deb -x "$work/$1"_*.deb "$work/root"
}

modroot=""    # the tree holding lib/modules/KVER: "" is this system's
if [ -n "${KERNEL:-}" ]; then
  kernel=$KERNEL
else
  kernel=""
  for k in $(ls -1 /boot/vmlinuz-* 2>/dev/null | sort -V); do
    [ -r "$k" ] && [ -d "/lib/modules/${k##*/vmlinuz-}" ] && kernel=$k
  done
  if [ -z "$kernel" ]; then
    pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }')
    [ -n "$pkg" ] || { echo "no readable kernel in /boot and no linux-image-amd64 known to apt (apt-get update?)" >&2; exit 1; }
    echo "no readable kernel in /boot: using Debian's $pkg" >&2
    unpack "$pkg"
    modroot=$work/root
    if [ ! -d "$modroot/lib/modules" ] && [ -d "$modroot/usr/lib/modules" ]; then
      ln -s usr/lib "$modroot/lib"
    fi
    kernel=$(ls -1 "$modroot"/boot/vmlinuz-* | sort -V | tail -n 1)
  fi
fi
[ -r "$kernel" ] || { echo "cannot read kernel $kernel (install linux-image-amd64 or set KERNEL)" >&2; exit 1; }
kver=$(basename "$kernel" | sed 's/^vmlinuz-//')
if [ -n "$modroot" ]; then
  # The package's modules.dep is made by its postinst, which did not run.
  depmod -b "$modroot" "$kver"
fi
busybox=${BUSYBOX:-/bin/busybox}
if [ -z "${BUSYBOX:-}" ] && ! { [ -x "$busybox" ] && "$busybox" --list 2>/dev/null | grep -qx wget; }; then
  echo "$busybox is missing or has no wget applet: using Debian's busybox-static" >&2
  unpack busybox-static
  busybox=$work/root/bin/busybox
fi
"$busybox" --list | grep -qx wget || { echo "$busybox has no wget applet" >&2; exit 1; }
# virtio, SATA, NVMe and the common QEMU/datacenter NICs. ata_piix stays out: probing the
# empty IDE ports of QEMU's "pc" machine costs seconds under TCG.
modules=${AGENT_MODULES:-"virtio_pci virtio_net virtio_blk virtio_scsi sd_mod ahci nvme e1000 e1000e vmxnet3"}
modprobe=(modprobe -S "$kver")
[ -z "$modroot" ] || modprobe+=(-d "$modroot")
moddir=$modroot/lib/modules/$kver

# One newc cpio header with no data (a device node, or the trailer): what mknod would make,
# written without root. Fields: magic, ino, mode, uid, gid, nlink, mtime, filesize, devmajor,
# devminor, rdevmajor, rdevminor, namesize (with its NUL), check; name and header padded to 4.
newc_entry() {
  local name=$1 ino=$2 mode=$3 major=$4 minor=$5
  local namesize=$(( ${#name} + 1 ))
  printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
    "$ino" "$mode" 0 0 1 0 0 0 0 "$major" "$minor" "$namesize" 0
  printf '%s\0' "$name"
  head -c $(( (4 - (110 + namesize) % 4) % 4 )) /dev/zero
}

stage=$work/stage
mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,etc/modules,proc,sys,dev,tmp,run,lib/rackboot}
cp "$busybox" "$stage/bin/busybox"
ln -s busybox "$stage/bin/sh"
install -m 0755 "$here/init" "$stage/init"
install -m 0644 "$here/agent-lib.sh" "$here/install.sh" "$stage/lib/rackboot/"
install -m 0755 "$here/udhcpc.script" "$stage/etc/udhcpc.script"
if [ "$(id -u)" = 0 ]; then
  mknod -m 600 "$stage/dev/console" c 5 1
  mknod -m 666 "$stage/dev/null" c 1 3
fi

# Each module: its dependency chain in load order (NAME.deps) and its device aliases as
# anchored regular expressions (NAME.re), so /init loads only what the hardware needs.
for m in $modules; do
  deps=$("${modprobe[@]}" --show-depends "$m" 2>/dev/null) || { echo "skip $m: not in $kver" >&2; continue; }
  : > "$stage/etc/modules/$m.deps"
  while read -r kind path _; do
    [ "$kind" = insmod ] || continue
    rel=${path#"$moddir"/}
    dst=$stage/lib/modules/$kver/${rel%.xz}
    if [ ! -e "$dst" ]; then
      mkdir -p "$(dirname "$dst")"
      case "$path" in *.xz) xz -dc "$path" > "$dst" ;; *) cp "$path" "$dst" ;; esac
    fi
    echo "${dst#$stage}" >> "$stage/etc/modules/$m.deps"
  done <<< "$deps"
  awk -v m="$m" '$1 == "alias" && $3 == m && $2 ~ /^(pci|virtio|scsi):/ {
      r = $2; gsub(/[.+(){}|^$]/, "\\\\&", r); gsub(/\*/, ".*", r); gsub(/\?/, ".", r); print "^" r "$" }' \
    "$moddir/modules.alias" > "$stage/etc/modules/$m.re"
  [ -s "$stage/etc/modules/$m.re" ] || rm -f "$stage/etc/modules/$m.re"
done

{
  ( cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 )
  if [ "$(id -u)" != 0 ]; then
    # A second archive after the first: the kernel unpacks both (dev/ exists by then).
    newc_entry dev/console 900001 $(( 0020600 )) 5 1
    newc_entry dev/null 900002 $(( 0020666 )) 1 3
    newc_entry 'TRAILER!!!' 0 0 0 0
  fi
} | gzip -9n > "$out/initrd.img.tmp"
mv "$out/initrd.img.tmp" "$out/initrd.img"
cp "$kernel" "$out/vmlinuz"
echo "agent: $out/initrd.img ($(stat -c %s "$out/initrd.img") bytes), kernel $kver" >&2
