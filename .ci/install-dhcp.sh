#!/usr/bin/env bash
# Packages of the proxy-DHCP end-to-end test (api/src/test/e2e): QEMU with SeaBIOS and the
# iPXE ROMs, OVMF, ipxe (ipxe.lkrn), the site DHCP server, a DHCP relay, tcpdump, iproute2.
# Benchmarks (bench/dhcp) use dnsmasq and python3 only.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ensure_packages qemu-system-x86 ipxe-qemu ipxe ovmf dnsmasq isc-dhcp-relay tcpdump iproute2 \
  python3
