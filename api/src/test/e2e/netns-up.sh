#!/usr/bin/env bash
# Builds the test network (all inside namespaces; no link to the host network):
#
#  rbdhcp-site              rbdhcp-srv                          rbdhcp-rly            rbdhcp-cli
#  site0 10.78.0.2 --veth-- vsite -+- bridge rbdhcp0 10.78.0.1  rly0 10.78.0.3
#  dnsmasq: addresses only         +- vrly ------------veth----- |  dhcrelay  rly1 --veth-- cli0 (no address)
#                                  +- one tap per VM             |  10.79.0.1
#
# Unlike the shared lab, no route for 255.255.255.255 is added: Rackboot must reach clients
# without an address on its own (it sends from a socket bound to the interface address).
# Usage: netns-up.sh WORKDIR
set -euo pipefail
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
W=${1:?usage: netns-up.sh WORKDIR}
mkdir -p "$W"
[ "$(id -u)" = 0 ] || e2e_die "must run as root (namespaces, taps)"
for ns in "$NS_SRV" "$NS_SITE" "$NS_RLY" "$NS_CLI"; do
    ns_exists "$ns" && e2e_die "namespace $ns exists (another run? netns-down.sh cleans up)"
done

for ns in "$NS_SRV" "$NS_SITE" "$NS_RLY" "$NS_CLI"; do
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 || true
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 || true
done

ip -n "$NS_SRV" link add "$BR" type bridge stp_state 0 forward_delay 0
ip -n "$NS_SRV" addr add "$SRV_IP/24" dev "$BR"
ip -n "$NS_SRV" link set "$BR" up

ip -n "$NS_SRV" link add vsite type veth peer name site0 netns "$NS_SITE"
ip -n "$NS_SRV" link set vsite master "$BR" up
ip -n "$NS_SITE" addr add "$SITE_IP/24" dev site0
ip -n "$NS_SITE" link set site0 up

ip -n "$NS_SRV" link add vrly type veth peer name rly0 netns "$NS_RLY"
ip -n "$NS_SRV" link set vrly master "$BR" up
ip -n "$NS_RLY" addr add "$RLY_UP_IP/24" dev rly0
ip -n "$NS_RLY" link set rly0 up
ip -n "$NS_RLY" link add rly1 type veth peer name cli0 netns "$NS_CLI"
ip -n "$NS_RLY" addr add "$RLY_DOWN_IP/24" dev rly1
ip -n "$NS_RLY" link set rly1 up
ip -n "$NS_CLI" link set cli0 up
ip netns exec "$NS_RLY" sysctl -qw net.ipv4.ip_forward=1
# The server answers relayed requests to giaddr (10.79.0.1): route that network via the relay.
ip -n "$NS_SRV" route add "$REMOTE_NET" via "$RLY_UP_IP"

# The site DHCP server: addresses only, no PXE options, no ping check (saves 3 s per boot).
ip netns exec "$NS_SITE" dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0 \
    --user=root --interface=site0 --bind-interfaces --dhcp-authoritative --no-ping \
    --dhcp-range=10.78.0.100,10.78.0.199,255.255.255.0,1h \
    --dhcp-leasefile="$W/site.leases" --log-dhcp --log-facility="$W/site-dnsmasq.log" \
    > "$W/site-dnsmasq.out" 2>&1 &
echo $! > "$W/site-dnsmasq.pid"
wait_listen "$NS_SITE" udp 67 10 || e2e_die "site dnsmasq did not start (see $W/site-dnsmasq.*)"
e2e_log "network up (work dir $W)"
