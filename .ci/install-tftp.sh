#!/usr/bin/env bash
# The real TFTP clients the tftp module's tests run (RealClientsTest, ProtocolTest, LossTest),
# python3 for the loss test's impairing relay, iproute2 for its network namespaces.
# busybox-static rather than busybox: the two conflict, and either provides `busybox tftp`.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
if dpkg-query -W -f='${Status}' busybox 2>/dev/null | grep -q 'install ok installed'; then
  bb=busybox
else
  bb=busybox-static
fi
ensure_packages curl tftp-hpa atftp "$bb" python3 iproute2
