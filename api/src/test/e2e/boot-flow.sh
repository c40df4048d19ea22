#!/usr/bin/env bash
# The whole boot flow with real firmware against the real Rackboot jar, in namespaces made here:
# dnsmasq is the site DHCP server (addresses only); Rackboot answers proxy-DHCP, TFTP and HTTP.
#
#   1 discovery  an unknown SeaBIOS+iPXE VM and an unknown OVMF VM (EDK2's PXE client, then the
#                iPXE EFI binary it loads over TFTP) boot the agent and appear as discovered,
#                with facts that match the VM (MAC, memory, CPUs, disk size)
#   2 install    role assigned, image v2 pinned, rebuild: both install v2 onto their virtual
#                disks (the bytes on disk are checked) and become deployed
#   3 local      their next PXE boot is told to boot from the local disk
#   4 rollback   the pin goes back to v1: both are in the drift list; a rebuild of the BIOS VM
#                installs v1 and takes it out of the list
#   5 corrupt    an image whose blob was corrupted in the store: the install fails cleanly, the
#                host is failed and the event says why
#   6 tftp-windows  OVMF's TFTP fetches (RFC 7440 windowsize 4) went out as segmented sends
#                (tftp.sends.segmented > 0: the README's JVM flags are in effect)
# The time of each phase (DHCP, TFTP, HTTP, agent report, install) is printed per VM.
#
# Usage: sudo boot-flow.sh        Env: E2E_WORK (work dir), E2E_VM_TIMEOUT (per boot, 300 s)
# Output: "RESULT <step> ok|failed ..." lines; exit 0 when every step passed.
set -euo pipefail
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
REPO=$(cd "$E2E_DIR/../../../.." && pwd)
JAR=${RACKBOOT_JAR:-$REPO/api/target/rackboot.jar}
VM_TIMEOUT=${E2E_VM_TIMEOUT:-300}
W=${E2E_WORK:-$(mktemp -d /tmp/rbboot-e2e.XXXXXX)}
mkdir -p "$W"
[ "$(id -u)" = 0 ] || e2e_die "must run as root"
for c in ip qemu-system-x86_64 dnsmasq python3 java curl cpio; do
  command -v "$c" > /dev/null || e2e_die "missing $c (run .ci/install-dhcp.sh and .ci/install-boot.sh)"
done
[ -r "$JAR" ] || e2e_die "no $JAR (./mvnw -B -q -DskipTests package)"

pids=()
cleanup() {
  set +e
  for p in "${pids[@]}"; do kill_pid "$p" 3; done
  "$E2E_DIR/netns-down.sh"
  e2e_log "logs in $W"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

failures=0
result() { # result STEP ok|failed DETAIL...
  echo "RESULT $*"
  [ "$2" = ok ] || failures=$((failures + 1))
}

"$E2E_DIR/netns-up.sh" "$W"

# --- Rackboot ---------------------------------------------------------------------------------
"$REPO/api/agent/build-agent.sh" "$W/agent" 2> "$W/agent-build.log"
mkdir -p "$W/tftp" "$W/images"
cp /usr/lib/ipxe/undionly.kpxe /usr/lib/ipxe/ipxe.efi "$W/tftp/"
DISCOVERY_TOKEN=e2e-discovery-$RANDOM$RANDOM
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
  bindAddress: 0.0.0.0
  port: 69
  root: $W/tftp
dhcpProxy:
  interfaces: [$BR]
api:
  discoveryToken: $DISCOVERY_TOKEN
boot:
  serverUrl: http://$SRV_IP:8080
  agentDir: $W/agent
  templateDir: $W/templates
  autoEnlistNetworks: [10.78.0.0/24]
  afterDiscovery: poweroff
  afterInstall: poweroff
  retrySeconds: 5
  cacheRefreshSeconds: 1
server:
  shutdownGracePeriod: 1s
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
YML
TOKEN=$(cd "$W" && java -jar "$JAR" token create --name e2e-admin --role admin "$W/rackboot.yml" 2> "$W/token.err" | tail -n 1)
[ -n "$TOKEN" ] || { cat "$W/token.err" >&2; e2e_die "no admin token"; }

# The README's run command, plain java -jar: TFTP windows go out as one UDP GSO send.
(cd "$W" && exec ip netns exec "$NS_SRV" java -jar "$JAR" server "$W/rackboot.yml") \
    > "$W/rackboot.log" 2>&1 &
rb_pid=$!
pids+=("$rb_pid")
if ! wait_listen "$NS_SRV" tcp 8080 120 || ! wait_listen "$NS_SRV" udp 69 10; then
  tail -30 "$W/rackboot.log" >&2
  e2e_die "Rackboot did not start"
fi
e2e_log "Rackboot is up"

# api METHOD PATH [JSON] -> body on stdout; fails on a non-2xx answer (body kept in $W/last.json)
api() {
  local code
  code=$(ip netns exec "$NS_SRV" curl -sS -o "$W/last.json" -w '%{http_code}' -X "$1" \
    -H "Authorization: Bearer $TOKEN" ${3:+-H 'Content-Type: application/json' --data "$3"} \
    "http://$SRV_IP:8080$2")
  cat "$W/last.json"
  case "$code" in 2*) return 0 ;; *) e2e_log "$1 $2 -> $code $(head -c 300 "$W/last.json")"; return 1 ;; esac
}
host_id() { api GET "/api/v1/hosts/by-mac/$1" > "$W/h.json" && python3 "$E2E_DIR/boot-flow.py" field "$W/h.json" id; }
host_field() { api GET "/api/v1/hosts/$1" > "$W/h.json" && python3 "$E2E_DIR/boot-flow.py" field "$W/h.json" "$2"; }

# --- VMs --------------------------------------------------------------------------------------
declare -A MAC KIND DISK
MAC[bios]=52:54:00:78:10:01; KIND[bios]=bios
MAC[uefi]=52:54:00:78:10:02; KIND[uefi]=uefi
VM_MEM=512
DISK_BYTES=$((64 * 1024 * 1024))
n=0
for vm in bios uefi; do
  n=$((n + 1))
  mkdir -p "$W/vm-$vm"
  DISK[$vm]=$W/vm-$vm/disk.raw
  truncate -s "$DISK_BYTES" "${DISK[$vm]}"
  ip -n "$NS_SRV" tuntap add dev "rbbt$n" mode tap
  ip -n "$NS_SRV" link set "rbbt$n" master "$BR" up
  [ "$vm" = uefi ] && cp /usr/share/OVMF/OVMF_VARS_4M.fd "$W/vm-$vm/vars.fd"
done

# boot_vm VM STEP: starts the VM in the background; its PID goes to $W/vm-VM/pid.
boot_vm() {
  local vm=$1 step=$2 mac=${MAC[$1]} tap dir=$W/vm-$1
  tap=rbbt$([ "$vm" = bios ] && echo 1 || echo 2)
  local args=(-name "rbboot-$vm" -accel tcg -m "$VM_MEM" -smp 1 -display none -vga none
    -monitor none -no-user-config -nodefaults -no-reboot -serial "file:$dir/serial-$step.log"
    -smbios "type=1,manufacturer=Rackboot E2E,product=VM,serial=E2E-${mac//:/},uuid=4c414230-0000-4000-8000-${mac//:/}"
    -netdev "tap,id=n0,ifname=$tap,script=no,downscript=no"
    -drive "file=${DISK[$vm]},format=raw,if=none,id=d0"
    -device "virtio-blk-pci,drive=d0,bootindex=2")
  # Debian's iPXE virtio ROM claims the modern device id only (lab FINDINGS).
  local nic="virtio-net-pci,netdev=n0,mac=$mac,disable-legacy=on,bootindex=1"
  if [ "${KIND[$vm]}" = bios ]; then
    args+=(-machine pc -device "$nic,romfile=/usr/lib/ipxe/qemu/pxe-virtio.rom")
  else
    args+=(-machine q35
      -drive "if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd"
      -drive "if=pflash,format=raw,unit=1,file=$dir/vars.fd"
      -device "$nic,romfile=")
  fi
  date +%s.%N > "$dir/t0-$step"
  ip netns exec "$NS_SRV" timeout --signal=KILL "$VM_TIMEOUT" qemu-system-x86_64 "${args[@]}" \
    < /dev/null > "$dir/qemu-$step.out" 2>&1 &
  echo $! > "$dir/pid"
  pids+=($!)
}

# wait_vm VM: until the VM powers off (the agent's last step); 0 when it did in time.
wait_vm() {
  local pid
  pid=$(cat "$W/vm-$1/pid")
  wait "$pid" 2> /dev/null
  local rc=$?
  # timeout(1) killed it: 137
  [ $rc -ne 137 ]
}

# phases VM STEP: prints the phase times of this boot from the event log.
phases() {
  local vm=$1 step=$2 t0 from id
  t0=$(cat "$W/vm-$vm/t0-$step")
  from=$(date -u -d "@${t0%.*}" +%Y-%m-%dT%H:%M:%SZ)
  api GET "/api/v1/events?from=$from&limit=1000" > "$W/events-$vm-$step.json" || true
  id=$(host_id "${MAC[$vm]}" 2> /dev/null || echo none)
  api GET "/api/v1/hosts/$id/events?from=$from&limit=1000" > "$W/host-events-$vm-$step.json" 2> /dev/null \
    || echo '{"items":[]}' > "$W/host-events-$vm-$step.json"
  python3 "$E2E_DIR/boot-flow.py" timeline "$W/events-$vm-$step.json" "$W/host-events-$vm-$step.json" \
    "${MAC[$vm]}" "$t0" "$vm/$step" || true
}

serial_marker() { grep -a -m1 "RACKBOOT-AGENT: done" "$W/vm-$1/serial-$2.log" 2> /dev/null || echo "(no agent marker)"; }

# --- 1 discovery --------------------------------------------------------------------------------
for vm in bios uefi; do boot_vm "$vm" discovery; done
for vm in bios uefi; do
  if wait_vm "$vm"; then :; fi
  phases "$vm" discovery
  id=$(host_id "${MAC[$vm]}" 2> /dev/null || true)
  if [ -z "$id" ]; then
    result "discovery-$vm" failed "no host with MAC ${MAC[$vm]}; agent: $(serial_marker "$vm" discovery)"
    continue
  fi
  state=$(host_field "$id" state)
  api GET "/api/v1/hosts/$id/facts" > "$W/facts-$vm.json" || true
  if [ "$state" = discovered ] && check=$(python3 "$E2E_DIR/boot-flow.py" facts "$W/facts-$vm.json" \
      "${MAC[$vm]}" "$VM_MEM" 1 "$DISK_BYTES"); then
    result "discovery-$vm" ok "host $id $state; $check"
  else
    result "discovery-$vm" failed "host $id state $state; ${check:-facts unreadable}"
  fi
done
[ $failures = 0 ] || e2e_die "discovery failed; later steps need the hosts"

# --- 2 install -------------------------------------------------------------------------------
# Two versions of a tiny "standard image": a disk image with a marker and random bytes.
publish() { # publish VERSION FILE
  local sha size
  sha=$(sha256sum "$2" | cut -d' ' -f1); size=$(stat -c %s "$2")
  ip netns exec "$NS_SRV" curl -sS -f -X PUT -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/octet-stream' --data-binary "@$2" \
    "http://$SRV_IP:8080/api/v1/images/_blobs/$sha" > /dev/null
  api POST /api/v1/images "{\"name\":\"e2e-base\",\"version\":\"$1\",\"os\":\"linux\",\"arch\":\"x86_64\",\"artifacts\":[{\"name\":\"disk.img\",\"part\":\"disk\",\"sha256\":\"$sha\",\"size\":$size}]}" > /dev/null
  echo "$sha"
}
for v in 1 2 3; do
  { printf 'RACKBOOT-E2E-IMAGE version %s\n' "$v"; head -c $((2 * 1024 * 1024)) /dev/urandom; } > "$W/image-v$v.img"
done
publish 1 "$W/image-v1.img" > /dev/null
publish 2 "$W/image-v2.img" > /dev/null
api POST /api/v1/environments '{"name":"e2e"}' > /dev/null
api POST /api/v1/roles '{"environment":"e2e","name":"web","imageName":"e2e-base","imageVersion":"1"}' > /dev/null
api PUT /api/v1/pins/web/e2e '{"image":"e2e-base","version":"1"}' > /dev/null
api PUT /api/v1/pins/web/e2e '{"image":"e2e-base","version":"2"}' > /dev/null
declare -A ID
for vm in bios uefi; do
  ID[$vm]=$(host_id "${MAC[$vm]}")
  api PUT "/api/v1/hosts/${ID[$vm]}/role" '{"environment":"e2e","role":"web"}' > /dev/null
  api POST "/api/v1/hosts/${ID[$vm]}/rebuild" > /dev/null
  boot_vm "$vm" install
done
on_disk() { # on_disk VM VERSION: the image's bytes are at the start of the VM's disk
  cmp -s -n "$(stat -c %s "$W/image-v$2.img")" "$W/image-v$2.img" "${DISK[$1]}"
}
for vm in bios uefi; do
  wait_vm "$vm" || true
  phases "$vm" install
  state=$(host_field "${ID[$vm]}" state)
  running=$(host_field "${ID[$vm]}" runningImage.version 2> /dev/null || echo none)
  if [ "$state" = deployed ] && [ "$running" = 2 ] && on_disk "$vm" 2; then
    result "install-$vm" ok "deployed, runs e2e-base:2, image v2 on its disk"
  else
    result "install-$vm" failed "state $state running $running disk-matches-v2=$(on_disk "$vm" 2 && echo yes || echo no); agent: $(serial_marker "$vm" install)"
  fi
done

# --- 3 local boot ------------------------------------------------------------------------------
for vm in bios uefi; do boot_vm "$vm" local; done
for vm in bios uefi; do
  ok=0
  for _ in $(seq 1 $((VM_TIMEOUT / 2))); do
    api GET "/api/v1/hosts/${ID[$vm]}/events?type=boot.script&limit=1000" > "$W/local-$vm.json" 2> /dev/null || true
    if grep -q '"script":"local"' "$W/local-$vm.json"; then ok=1; break; fi
    sleep 2
  done
  kill_pid "$(cat "$W/vm-$vm/pid")" 2
  phases "$vm" local
  [ $ok = 1 ] && result "local-$vm" ok "told to boot from its disk" \
    || result "local-$vm" failed "no local-boot script served"
done

# --- 4 rollback, drift, rebuild ---------------------------------------------------------------
api POST /api/v1/pins/web/e2e/rollback > /dev/null
api GET "/api/v1/drift?environment=e2e" > "$W/drift1.json"
drifted=$(python3 -c "import json,sys; print(' '.join(sorted(h['id'] for r in json.load(open(sys.argv[1]))['roles'] for h in r['hosts'])))" "$W/drift1.json")
want=$(printf '%s\n' "${ID[bios]}" "${ID[uefi]}" | sort | tr '\n' ' ' | sed 's/ $//')
[ "$drifted" = "$want" ] && result rollback-drift ok "both hosts drifted after the rollback to v1" \
  || result rollback-drift failed "drift list '$drifted', expected '$want'"
api POST "/api/v1/hosts/${ID[bios]}/rebuild" > /dev/null
boot_vm bios reinstall
wait_vm bios || true
phases bios reinstall
api GET "/api/v1/drift?environment=e2e" > "$W/drift2.json"
if on_disk bios 1 && ! grep -q "${ID[bios]}" "$W/drift2.json" && grep -q "${ID[uefi]}" "$W/drift2.json"; then
  result rebuild-in-sync ok "bios VM reinstalled v1 and left the drift list; uefi VM still drifted"
else
  result rebuild-in-sync failed "drift after rebuild: $(cat "$W/drift2.json"); agent: $(serial_marker bios reinstall)"
fi

# --- 5 a corrupted artifact --------------------------------------------------------------------
sha3=$(publish 3 "$W/image-v3.img")
blob=$(find "$W/images" -type f -name "*$sha3*" | head -n 1)
if [ -z "$blob" ]; then
  result corrupt-artifact failed "blob $sha3 not found under $W/images"
else
  printf 'CORRUPTED' | dd of="$blob" bs=1 seek=100 conv=notrunc 2> /dev/null
  api PUT /api/v1/pins/web/e2e '{"image":"e2e-base","version":"3"}' > /dev/null
  api POST "/api/v1/hosts/${ID[bios]}/rebuild" > /dev/null
  boot_vm bios corrupt
  wait_vm bios || true
  phases bios corrupt
  state=$(host_field "${ID[bios]}" state)
  api GET "/api/v1/hosts/${ID[bios]}/events?type=boot.install_failed&limit=100" > "$W/failed.json" || true
  why=$(python3 -c "import json,sys; i=json.load(open(sys.argv[1]))['items']; print(i[-1]['detail'] if i else '')" "$W/failed.json")
  # The store found the mismatch when asked to serve it: quarantined, never served.
  api GET /api/v1/images/_quarantine > "$W/quarantine.json" || true
  if [ "$state" = failed ] && [ -n "$why" ] && ! on_disk bios 3 && grep -q "$sha3" "$W/quarantine.json"; then
    result corrupt-artifact ok "host failed: $why; blob quarantined"
  else
    result corrupt-artifact failed "state $state, reason '$why', quarantine $(cat "$W/quarantine.json"); agent: $(serial_marker bios corrupt)"
  fi
fi

# --- 6 OVMF's TFTP windows (RFC 7440, windowsize 4) went out as segmented sends ------------
seg=$(ip netns exec "$NS_SRV" curl -sS http://127.0.0.1:8081/metrics 2> /dev/null | python3 -c \
  "import json,sys; g=json.load(sys.stdin)['gauges']; print(g['tftp.sends.segmented']['value'], g['tftp.transfers.completed']['value'])" \
  2> /dev/null || echo "0 0")
if [ "${seg% *}" -gt 0 ]; then
  result tftp-windows ok "${seg% *} segmented sends in ${seg#* } completed TFTP transfers"
else
  result tftp-windows failed "no segmented send (metrics: $seg); see $W/rackboot.log"
fi

kill -0 "$rb_pid" 2> /dev/null || { result rackboot-alive failed "Rackboot exited"; }
[ $failures = 0 ] && e2e_log "all passed" || e2e_log "$failures step(s) FAILED (logs in $W)"
[ $failures = 0 ]
