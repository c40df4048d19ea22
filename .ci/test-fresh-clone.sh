#!/usr/bin/env bash
# A new user's first minutes, on a fresh clone: README's first command starts a server that a
# PXE-booting machine reaches the discovery agent from.
#
#   clone  git clone of this checkout into a new temporary directory, at this checkout's HEAD
#          (only what is committed counts, as for anyone who clones the repository)
#   start  the first line of README's first ```sh block, exactly as written, as root in the
#          clone, inside network namespace rbfc-srv-<pid> (no link to the host network: Maven
#          works from ~/.m2, warm after the main build). It builds Rackboot and the agent
#          (var/agent), makes the discovery token and execs the server on the default ports;
#          the PID started here must be that server (build/run.sh execs java)
#   boot   a site dnsmasq (addresses only, no boot options: api/src/test/e2e/netns-up.sh) and a
#          diskless SeaBIOS+iPXE VM (TCG) on the namespace's bridge; it must take Rackboot's
#          proxy offer, fetch its iPXE script, boot the agent, which posts its facts to
#          /api/v1/discovery and powers the VM off
#   check  the server is stopped with SIGTERM (H2 takes one process at a time), an admin token
#          is made with the clone's jar, build/run.sh starts the server again, and the host with
#          the VM's MAC must be in the inventory, discovered
# Prints the time of each phase (and of the boot's steps, from the server's events) and one
# RESULT line; exits non-zero with the reason when the VM did not reach the agent.
#
# Usage: sudo bash .ci/test-fresh-clone.sh   (after the main build: ~/.m2 must be warm)
# Env: FC_START_TIMEOUT (seconds for the first command until /healthcheck answers, 900),
#      FC_VM_TIMEOUT (seconds for the VM to reach the agent and power off, 360),
#      FC_KEEP (1: keep the work directory, clone included)
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
E2E=$REPO/api/src/test/e2e
# The e2e harness's network and helpers, under names of our own: several runs (and the e2e
# tests' rbdhcp-* network) can share the machine.
export NS_SRV=rbfc-srv-$$ NS_SITE=rbfc-site-$$ NS_RLY=rbfc-rly-$$ NS_CLI=rbfc-cli-$$ BR=rbfc0
. "$E2E/lib.sh"
START_TIMEOUT=${FC_START_TIMEOUT:-900}
VM_TIMEOUT=${FC_VM_TIMEOUT:-360}
MAC=52:54:00:fc:00:01
TAP=rbfct0

say() { printf '[fresh-clone %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
fail() { echo "RESULT fresh-clone failed $*"; say "FAIL: $*"; exit 1; }
[ "$(id -u)" = 0 ] || { echo "fresh-clone: needs root (namespaces, taps, ports 67/69): sudo bash $0" >&2; exit 1; }
for c in git ip qemu-system-x86_64 dnsmasq curl python3 java; do
  command -v "$c" > /dev/null || fail "missing $c (build/test.sh installs what the tests need)"
done
[ -r /usr/lib/ipxe/qemu/pxe-virtio.rom ] || fail "no /usr/lib/ipxe/qemu/pxe-virtio.rom (apt-get install ipxe-qemu)"
# A user's shell has none of these; the CI's could.
for v in $(compgen -e | grep '^RACKBOOT_' || true); do unset "$v"; done

W=$(mktemp -d /tmp/rbfc.XXXXXX)
CLONE=$W/rackboot
L=$W/logs
mkdir -p "$L"
srv_pid="" vm_pid=""
# running PID: the process (a child of this script) exists and is not a zombie.
running() { local s; s=$(ps -o stat= -p "$1" 2> /dev/null) && [ "${s#Z}" = "$s" ]; }
# stop_server: SIGTERM to the PID started here, then wait (bounded) for it to exit.
stop_server() {
  [ -n "$srv_pid" ] || return 0
  kill -TERM "$srv_pid" 2> /dev/null || true
  local i
  for ((i = 0; i < 600; i++)); do running "$srv_pid" || break; sleep 0.1; done
  running "$srv_pid" && { say "server $srv_pid still up 60 s after SIGTERM: SIGKILL"; kill -KILL "$srv_pid" 2> /dev/null || true; }
  wait "$srv_pid" 2> /dev/null || true
  srv_pid=""
}
cleanup() {
  local rc=$?
  set +e
  kill_pid "$vm_pid" 3
  stop_server
  "$E2E/netns-down.sh"   # dnsmasq, and anything else left in our namespaces
  if [ "${FC_KEEP:-0}" = 1 ]; then
    say "work directory kept: $W"
  elif [ $rc -ne 0 ]; then
    [ -f "$CLONE/var/build-agent.log" ] && cp "$CLONE/var/build-agent.log" "$L/"
    rm -rf -- "$CLONE"
    say "logs in $L"
  else
    rm -rf -- "$W"
  fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

t_begin=$(date +%s.%N)
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
# The admin port is on every interface of the namespace; ask through its loopback.
health() { ip netns exec "$NS_SRV" curl -sf -m 5 -o "$L/health.json" http://127.0.0.1:8081/healthcheck; }
# wait_healthy PID TIMEOUT LOG: until /healthcheck answers 200, while PID runs.
wait_healthy() {
  local pid=$1 deadline=$(( $(date +%s) + $2 ))
  until health; do
    running "$pid" || { tail -n 30 "$3" >&2; return 1; }
    [ "$(date +%s)" -lt "$deadline" ] || { tail -n 30 "$3" >&2; return 2; }
    sleep 2
  done
}

# --- clone ----------------------------------------------------------------------------------------
t=$(date +%s.%N)
head=$(git -C "$REPO" rev-parse HEAD)
git clone -q "$REPO" "$CLONE"
git -C "$CLONE" checkout -q --detach "$head"
t_clone=$(since "$t")
first=$(awk '/^```sh[[:space:]]*$/ { in_block = 1; next } in_block { print; exit }' "$CLONE/README.md")
[ -n "$first" ] || fail "no \`\`\`sh block in README.md"
say "cloned $head in ${t_clone}s; README's first command: $first"

# --- start: README's first command in the server's namespace ----------------------------------
"$E2E/netns-up.sh" "$L"
t=$(date +%s.%N)
# bash -c execs the last command of the list (build/run.sh), which execs java: the PID recorded
# here ends up the server's.
(cd "$CLONE" && exec ip netns exec "$NS_SRV" bash -c "$first") > "$L/first-command.log" 2>&1 &
srv_pid=$!
if ! wait_healthy "$srv_pid" "$START_TIMEOUT" "$L/first-command.log"; then
  running "$srv_pid" && fail "README's first command did not answer /healthcheck within ${START_TIMEOUT}s ($L/first-command.log)"
  rc=0; wait "$srv_pid" || rc=$?; srv_pid=""
  fail "README's first command exited ($rc) before the server answered /healthcheck ($L/first-command.log)"
fi
t_start=$(since "$t")
comm=$(cat "/proc/$srv_pid/comm" 2> /dev/null || echo gone)
[ "$comm" = java ] || fail "the process the first command started is '$comm', not the server: build/run.sh must exec java, so that SIGTERM to it stops the server"
say "server up (PID $srv_pid) ${t_start}s after the first command began (build, agent, start)"
# What the server says a machine would still miss (README: WARN lines with the fix).
grep -E '^(WARN|ERROR) ' "$L/first-command.log" | cut -c1-300 | sed 's/^/  server: /' >&2 || true

# --- boot: a diskless SeaBIOS+iPXE VM on the bridge -----------------------------------------------
ip -n "$NS_SRV" tuntap add dev "$TAP" mode tap
ip -n "$NS_SRV" link set "$TAP" master "$BR" up
t_vm0=$(date +%s.%N)
# Debian's iPXE virtio ROM claims the modern device id only (lab FINDINGS): disable-legacy=on.
ip netns exec "$NS_SRV" qemu-system-x86_64 -name rbfc-vm -accel tcg -machine pc -m 256 -smp 1 \
  -display none -vga none -monitor none -no-user-config -nodefaults -no-reboot \
  -serial "file:$L/serial.log" \
  -netdev "tap,id=n0,ifname=$TAP,script=no,downscript=no" \
  -device "virtio-net-pci,netdev=n0,mac=$MAC,disable-legacy=on,bootindex=1,romfile=/usr/lib/ipxe/qemu/pxe-virtio.rom" \
  < /dev/null > "$L/qemu.log" 2>&1 &
vm_pid=$!
deadline=$(( $(date +%s) + VM_TIMEOUT ))
# The agent powers the VM off after its report (boot.afterDiscovery: poweroff).
while running "$vm_pid" && [ "$(date +%s)" -lt "$deadline" ]; do
  running "$srv_pid" || fail "the server exited while the VM booted (see $L/first-command.log)"
  sleep 2
done
t_vm=$(since "$t_vm0")
if running "$vm_pid"; then
  vm_state="still running after ${VM_TIMEOUT}s"
  kill_pid "$vm_pid" 3
else
  vm_state="powered off after ${t_vm}s"
fi
wait "$vm_pid" 2> /dev/null || true
vm_pid=""
# "done discovered {host JSON}": the JSON is in the inventory, checked below.
agent=$(grep -a -m1 -o 'RACKBOOT-AGENT: done [a-z]*' "$L/serial.log" 2> /dev/null || true)
say "VM $vm_state; agent: ${agent:-no 'RACKBOOT-AGENT: done' on its console}"

# --- check: the host with the VM's MAC is in the inventory ----------------------------------------
t=$(date +%s.%N)
stop_server
t_stop=$(since "$t")
t2=$(date +%s.%N)
token=$(cd "$CLONE" && java -jar api/target/rackboot.jar token create --name fresh-clone --role admin \
  rackboot.yml 2> "$L/token.err" | tail -n 1)
[ -n "$token" ] || { cat "$L/token.err" >&2; fail "no admin token from the clone's jar"; }
(cd "$CLONE" && exec ip netns exec "$NS_SRV" build/run.sh) > "$L/second-start.log" 2>&1 &
srv_pid=$!
wait_healthy "$srv_pid" 300 "$L/second-start.log" || fail "the server did not start again ($L/second-start.log)"
t_restart=$(since "$t2")
api() { # api PATH OUT: GET with the admin token; the HTTP status on stdout
  ip netns exec "$NS_SRV" curl -sS -m 30 -o "$2" -w '%{http_code}' -H "Authorization: Bearer $token" \
    "http://127.0.0.1:8080$1"
}
code=$(api "/api/v1/hosts/by-mac/$MAC" "$L/host.json") || true
if [ "$code" != 200 ]; then
  tail -n 15 "$L/serial.log" 2> /dev/null | tr -d '\r' | sed 's/^/  serial: /' >&2
  # The server's request log: which boot steps the VM got to (the agent's POST is the last).
  grep "^${SRV_IP%.*}\." "$L/first-command.log" | tail -n 8 | sed 's/^/  server: /' >&2
  fail "no host with MAC $MAC in the inventory (HTTP $code): the VM did not reach the discovery agent (VM $vm_state; agent: ${agent:-no marker})"
fi
id=$(python3 "$E2E/boot-flow.py" field "$L/host.json" id)
state=$(python3 "$E2E/boot-flow.py" field "$L/host.json" state)
[ "$state" = discovered ] || fail "host $id with MAC $MAC is $state, not discovered"
# The boot's steps from the server's events (boot.* are written in the background, and kept).
from=$(date -u -d "@${t_vm0%.*}" +%Y-%m-%dT%H:%M:%SZ)
api "/api/v1/events?from=$from&limit=1000" "$L/events.json" > /dev/null || true
api "/api/v1/hosts/$id/events?from=$from&limit=1000" "$L/host-events.json" > /dev/null || true
phases=$(python3 "$E2E/boot-flow.py" timeline "$L/events.json" "$L/host-events.json" "$MAC" "$t_vm0" vm 2> /dev/null || true)
stop_server
t_check=$(since "$t")

echo "${phases:-PHASES vm (no events)}"
echo "TIMINGS clone=${t_clone}s first-command=${t_start}s vm=${t_vm}s check=${t_check}s (stopped ${t_stop}s, token and second start healthy ${t_restart}s) total=$(since "$t_begin")s"
echo "RESULT fresh-clone ok host $id ($MAC) discovered; VM $vm_state"
