#!/usr/bin/env bash
# Proxy-DHCP end to end, with real firmware, against the real Rackboot application:
#
#   * site DHCP: dnsmasq with addresses only; Rackboot (api jar) answers as proxy-DHCP
#   * bios      SeaBIOS + iPXE ROM (user class iPXE): must get Rackboot's proxy offer naming
#               the iPXE script URL and then GET exactly that URL from Rackboot
#   * uefi      OVMF with EDK2's own PXE client (arch 7): must get the proxy offer for
#               ipxe.efi (with option 43, so no 4011 round) and send a TFTP RRQ for ipxe.efi
#               to Rackboot
#   * bios-pxe  SeaBIOS + ipxe.lkrn acting as a plain PXE client (user class PXEClient,
#               arch 0): offer for undionly.kpxe, then a TFTP RRQ for it
#   * uefi-4011 like uefi, but run with E2E_PXE_DC=0 (offers without option 43): EDK2 must
#               ignore the offer's file, ask Rackboot's boot server on UDP 4011 (from port
#               4011) and TFTP the file named in that ACK
#   * relay     a PXE DISCOVER on another network, through isc-dhcp-relay (giaddr set): the
#               offer must come back through the relay
#
# The VMs run in parallel; each step is bounded. What is checked is what proxy-DHCP controls
# (offer + the firmware asking Rackboot for the decided file); check-capture.py is the place
# to extend to "fetched the whole file" once TFTP serves it.
#
# Usage: sudo run-e2e.sh [VM...]     (default: bios uefi bios-pxe)
# Env: E2E_PXE_DC (1: offers carry option 43 discovery control; 0: they do not),
#      RACKBOOT_CMD (default: the README's java command with <repo>/api/target/rackboot.jar), E2E_TIMEOUT (180 s
#      for the VMs), E2E_WORK (work dir, default a new mktemp -d; logs are kept), E2E_RELAY (1)
# Output: lines "RESULT <name> ok|failed ..." and exit 0 when all passed.
set -euo pipefail
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
REPO=$(cd "$E2E_DIR/../../../.." && pwd)
RACKBOOT_CMD=${RACKBOOT_CMD:-java -jar $REPO/api/target/rackboot.jar}
E2E_TIMEOUT=${E2E_TIMEOUT:-180}
VMS=("$@")
[ ${#VMS[@]} -gt 0 ] || VMS=(bios uefi bios-pxe)
W=${E2E_WORK:-$(mktemp -d /tmp/rbdhcp-e2e.XXXXXX)}
mkdir -p "$W"
[ "$(id -u)" = 0 ] || e2e_die "must run as root"
for c in ip qemu-system-x86_64 dnsmasq dhcrelay tcpdump python3 java; do
    command -v "$c" >/dev/null || e2e_die "missing $c (run .ci/install-dhcp.sh)"
done

pids=()
cleanup() {
    set +e
    for p in "${pids[@]}"; do kill_pid "$p" 3; done
    "$E2E_DIR/netns-down.sh"
    e2e_log "logs in $W"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

"$E2E_DIR/netns-up.sh" "$W"

# --- Rackboot --------------------------------------------------------------------------
mkdir -p "$W/tftp" "$W/images"
cat > "$W/rackboot.yml" <<YML
database:
  driverClass: org.h2.Driver
  url: "jdbc:h2:$W/db/rackboot;MODE=MariaDB;DATABASE_TO_LOWER=TRUE"
  user: sa
  password: ""
images:
  storeDir: $W/images
  minFreeSpace: 1KiB
tftp:
  enabled: true
  bindAddress: 0.0.0.0
  port: 69
  root: $W/tftp
dhcpProxy:
  pxeDiscoveryControl: $([ "${E2E_PXE_DC:-1}" = 1 ] && echo true || echo false)
  interfaces: [$BR]
  relayNetworks: [$REMOTE_NET]
server:
  applicationConnectors:
    - type: http
      bindHost: 0.0.0.0
      port: 8080
  adminConnectors:
    - type: http
      bindHost: 127.0.0.1
      port: 8081
logging:
  level: INFO
  loggers:
    org.rackboot.dhcp: DEBUG
YML
ip netns exec "$NS_SRV" tcpdump -i "$BR" -n -s 0 -U -w "$W/e2e.pcap" \
    'udp port 67 or udp port 68 or udp port 4011 or udp port 69 or tcp port 8080' \
    2> "$W/tcpdump.err" &
pids+=($!)
for _ in $(seq 1 50); do grep -q 'listening on' "$W/tcpdump.err" 2>/dev/null && break; sleep 0.1; done

e2e_log "starting Rackboot: $RACKBOOT_CMD server $W/rackboot.yml"
# shellcheck disable=SC2086
(cd "$W" && exec ip netns exec "$NS_SRV" $RACKBOOT_CMD server "$W/rackboot.yml") \
    > "$W/rackboot.log" 2>&1 &
rb_pid=$!
pids+=("$rb_pid")
if ! wait_listen "$NS_SRV" tcp 8080 90 || ! wait_listen "$NS_SRV" udp 4011 5; then
    tail -30 "$W/rackboot.log" >&2
    e2e_die "Rackboot did not start"
fi
kill -0 "$rb_pid" || { tail -30 "$W/rackboot.log" >&2; e2e_die "Rackboot exited"; }
e2e_log "Rackboot is up"

# --- VMs (parallel) ----------------------------------------------------------------------
declare -A MAC FILE FETCH VIA
i=0
for vm in "${VMS[@]}"; do
    i=$((i + 1))
    mac=$(printf '52:54:00:78:00:%02x' "$i")
    MAC[$vm]=$mac
    VIA[$vm]=any
    tap=rbdt$i
    dir=$W/vm-$vm
    mkdir -p "$dir"
    ip -n "$NS_SRV" tuntap add dev "$tap" mode tap
    ip -n "$NS_SRV" link set "$tap" master "$BR" up
    args=(-name "rbdhcp-$vm" -accel tcg -m 512 -smp 1 -display none -vga none -monitor none
          -no-user-config -nodefaults -no-reboot -serial "file:$dir/serial.log"
          -uuid "4c414230-0000-4000-8000-${mac//:/}"
          -netdev "tap,id=n0,ifname=$tap,script=no,downscript=no")
    # Debian's iPXE virtio ROMs claim 1af4:1041 (modern only): make the NIC modern-only, or
    # SeaBIOS skips the ROM (lab FINDINGS).
    nic="virtio-net-pci,netdev=n0,mac=$mac,disable-legacy=on"
    case "$vm" in
        bios)
            args+=(-machine pc -device "$nic,romfile=/usr/lib/ipxe/qemu/pxe-virtio.rom,bootindex=1")
            FILE[$vm]="http://$SRV_IP:8080/boot/ipxe?mac=$mac"
            FETCH[$vm]="http:/boot/ipxe?mac=$mac" ;;
        bios-pxe)
            # ipxe.lkrn as a plain PXE client: user class PXEClient, then TFTP the NBP.
            script='set user-class PXEClient && ifconf -c dhcp net0 && clear user-class && chain tftp://${proxydhcp/next-server}/${proxydhcp/filename}'
            args+=(-machine pc -kernel /usr/lib/ipxe/ipxe.lkrn -append "$script" -device "$nic,romfile=")
            FILE[$vm]=undionly.kpxe
            FETCH[$vm]=tftp:undionly.kpxe ;;
        uefi|uefi-4011)
            [ "$vm" = uefi-4011 ] && VIA[$vm]=4011
            cp /usr/share/OVMF/OVMF_VARS_4M.fd "$dir/vars.fd"
            args+=(-machine q35
                   -drive "if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd"
                   -drive "if=pflash,format=raw,unit=1,file=$dir/vars.fd"
                   -device "$nic,romfile=,bootindex=1")
            FILE[$vm]=ipxe.efi
            FETCH[$vm]=tftp:ipxe.efi ;;
        *) e2e_die "unknown VM kind $vm (bios, uefi, uefi-4011, bios-pxe)" ;;
    esac
    ip netns exec "$NS_SRV" timeout --signal=KILL "$((E2E_TIMEOUT + 10))" \
        qemu-system-x86_64 "${args[@]}" < /dev/null > "$dir/qemu.out" 2>&1 &
    pids+=($!)
    e2e_log "VM $vm started (mac $mac)"
done

# --- relay: a PXE client on 10.79.0.0/24 behind isc-dhcp-relay ------------------------------
relay_ok=skipped
if [ "${E2E_RELAY:-1}" = 1 ]; then
    ip netns exec "$NS_RLY" dhcrelay -4 -d -iu rly0 -id rly1 "$SRV_IP" > "$W/dhcrelay.log" 2>&1 &
    pids+=($!)
    wait_listen "$NS_RLY" udp 67 10 || e2e_die "dhcrelay did not start (see $W/dhcrelay.log)"
    if ip netns exec "$NS_CLI" python3 "$E2E_DIR/pxe-client.py" --iface cli0 \
            --mac 52:54:00:79:00:01 --tries 5 --wait 2 > "$W/relay-client.json"; then
        # Through the relay: giaddr is the relay's address, the file is the arch-7 one and
        # next-server is Rackboot's address on the bridge, where the relay sent the request.
        if python3 - "$W/relay-client.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
sys.exit(0 if r['ok'] and r['giaddr'] == '10.79.0.1' and r['file'] == 'ipxe.efi'
         and r['siaddr'] == '10.78.0.1' and r['yiaddr'] == '0.0.0.0' and r['opt54'] == '10.78.0.1'
         and r['from'].startswith('10.79.0.1:') else 1)
PY
        then relay_ok=ok; else relay_ok=failed; fi
    else
        relay_ok=failed
    fi
    echo "RESULT relay $relay_ok $(cat "$W/relay-client.json")"
fi

# --- wait for every VM's offer + fetch in the capture ----------------------------------------
specs=()
for vm in "${VMS[@]}"; do specs+=("$vm,${MAC[$vm]},${VIA[$vm]},${FILE[$vm]},${FETCH[$vm]}"); done
deadline=$(( $(date +%s) + E2E_TIMEOUT ))
status=1
while [ "$(date +%s)" -lt "$deadline" ]; do
    if python3 "$E2E_DIR/check-capture.py" "$W/e2e.pcap" "$SRV_IP" "${specs[@]}" > "$W/check.txt"; then
        status=0
        break
    fi
    kill -0 "$rb_pid" 2>/dev/null || { e2e_log "Rackboot exited"; break; }
    sleep 3
done
python3 "$E2E_DIR/check-capture.py" "$W/e2e.pcap" "$SRV_IP" "${specs[@]}" > "$W/check.txt" || true
while read -r name st rest; do
    [ "$st" = ok ] || st=failed
    echo "RESULT $name $st $rest"
done < "$W/check.txt"
[ "$relay_ok" = failed ] && status=1
[ "$status" = 0 ] && e2e_log "all passed" || e2e_log "FAILED (logs in $W)"
exit $status
