# shellcheck shell=bash
# Settings and helpers of Rackboot's proxy-DHCP end-to-end harness (sourced).
# Everything lives in network namespaces named rbdhcp-*; nothing touches the host's network.

E2E_DIR=${E2E_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}

NS_SRV=${NS_SRV:-rbdhcp-srv}      # bridge rbdhcp0 + Rackboot + VM taps
NS_SITE=${NS_SITE:-rbdhcp-site}   # the site DHCP server (dnsmasq, addresses only)
NS_RLY=${NS_RLY:-rbdhcp-rly}      # a DHCP relay (isc-dhcp-relay) to a second network
NS_CLI=${NS_CLI:-rbdhcp-cli}      # a PXE client on that second network
BR=${BR:-rbdhcp0}
SRV_IP=10.78.0.1
SITE_IP=10.78.0.2
RLY_UP_IP=10.78.0.3
RLY_DOWN_IP=10.79.0.1
REMOTE_NET=10.79.0.0/24

e2e_log() { printf '[e2e %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
e2e_die() { e2e_log "ERROR: $*"; exit "${2:-1}"; }
ns_exists() { ip netns list 2>/dev/null | awk '{print $1}' | grep -qx "$1"; }

# Stop one PID we started: TERM, then KILL after $2 seconds.
kill_pid() {
    local pid=$1 t=${2:-5} i
    [ -n "$pid" ] || return 0
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < t * 10; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
}

# Stop every process inside one of our namespaces (only this harness starts processes there).
kill_ns_pids() {
    local ns=$1 pids pid i
    ns_exists "$ns" || return 0
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    [ -n "$pids" ] || return 0
    for pid in $pids; do kill -TERM "$pid" 2>/dev/null || true; done
    for ((i = 0; i < 50; i++)); do
        pids=$(ip netns pids "$ns" 2>/dev/null || true)
        [ -n "$pids" ] || return 0
        sleep 0.1
    done
    for pid in $pids; do kill -KILL "$pid" 2>/dev/null || true; done
}

# Wait (bounded) until UDP/TCP port $3 is bound inside namespace $1.
wait_listen() {
    local ns=$1 proto=$2 port=$3 t=${4:-30} i flag
    [ "$proto" = udp ] && flag=-lun || flag=-ltn
    for ((i = 0; i < t * 10; i++)); do
        ip netns exec "$ns" ss -H $flag "sport = :$port" 2>/dev/null | grep -q . && return 0
        sleep 0.1
    done
    return 1
}
