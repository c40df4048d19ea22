#!/usr/bin/env bash
# Stops everything left in the rbdhcp-* namespaces (by PID) and deletes them. Idempotent.
set -uo pipefail
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
for ns in "$NS_CLI" "$NS_RLY" "$NS_SITE" "$NS_SRV"; do
    if ns_exists "$ns"; then
        kill_ns_pids "$ns"
        ip netns del "$ns"
    fi
done
exit 0
