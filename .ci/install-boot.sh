#!/usr/bin/env bash
# The boot-flow end-to-end test: the agent initramfs is built from Debian's busybox-static and
# kernel; QEMU runs SeaBIOS with the iPXE ROM and OVMF; dnsmasq is the site DHCP server.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ensure_packages busybox-static linux-image-amd64 cpio kmod xz-utils file curl python3 \
  qemu-system-x86 ipxe-qemu ipxe ovmf dnsmasq iproute2
