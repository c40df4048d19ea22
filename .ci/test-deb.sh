#!/usr/bin/env bash
# Installs the Debian package that `./mvnw package` built (api/target/rackboot_*_all.deb),
# starts the server as its systemd unit would (rackboot user, the unit's capabilities, no
# new privileges) without needing a running systemd, uses it, upgrades the package over
# itself, checks the data survived, and purges it. Root; idempotent; the package is purged
# and the server stopped on every exit, failures included.
#
# The server binds the privileged ports 67, 69 and the HTTP ports 8080/8081 as in
# production, inside a network namespace of its own that has only loopback: other tests
# and servers on this machine use the same ports (proxy-DHCP binds 0.0.0.0:67 whatever its
# interfaces are). Its addresses are loopback ones too (tftp.bindAddress,
# dhcpProxy.interfaces, the HTTP connectors' bindHost).
set -euo pipefail
cd "$(dirname "$0")/.."

export DEBIAN_FRONTEND=noninteractive
UNIT=/lib/systemd/system/rackboot.service
PIDFILE=/run/rackboot-test-deb.pid
NS=rackboot-test-deb
DISCOVERY_TOKEN=test-deb-discovery
MAC=52:54:00:de:b0:01
U=http://127.0.0.1:8080
ADMIN=http://127.0.0.1:8081

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

[ "$(id -u)" = 0 ] || fail "run as root (installs a package, binds ports 67 and 69)"
DEB=$(ls -t api/target/rackboot_*_all.deb 2> /dev/null | head -n 1 || true)
[ -n "$DEB" ] || fail "no api/target/rackboot_*_all.deb: build it first (./mvnw -B -DskipTests package)"
DEB=$(readlink -f "$DEB")
echo "== $DEB"

WORK=$(mktemp -d)
PID=""

# The server this script started, if it still runs: SIGTERM, then SIGKILL after 30 s.
stop_server() {
  if [ -n "$PID" ] && kill -0 "$PID" 2> /dev/null; then
    kill -TERM "$PID"
    local deadline=$((SECONDS + 30))
    while kill -0 "$PID" 2> /dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
    kill -0 "$PID" 2> /dev/null && kill -KILL "$PID"
  fi
  if [ -n "$PID" ]; then
    wait "$PID" 2> /dev/null || true
  fi
  PID=""
  rm -f "$PIDFILE"
}

in_ns() { ip netns exec "$NS" "$@"; }

purge_package() {
  if dpkg-query -W -f='${Status}' rackboot 2> /dev/null | grep -qv 'not-installed'; then
    apt-get purge -y -q rackboot > "$WORK/purge.log" 2>&1 || { cat "$WORK/purge.log" >&2; return 1; }
  fi
}

cleanup() {
  local rc=$?
  stop_server
  purge_package || true
  ip netns del "$NS" 2> /dev/null || true
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT

# A server a killed earlier run left behind (recorded by PID, checked to be the packaged jar).
if [ -f "$PIDFILE" ]; then
  old=$(cat "$PIDFILE")
  if tr '\0' ' ' < "/proc/$old/cmdline" 2> /dev/null | grep -q /usr/share/rackboot/rackboot.jar; then
    kill -KILL "$old" || true
  fi
  rm -f "$PIDFILE"
fi
purge_package
ip netns del "$NS" 2> /dev/null || true
ip netns add "$NS"
ip -n "$NS" link set lo up

if ! command -v systemd-analyze > /dev/null; then
  apt-get install -y -q --no-install-recommends systemd > /dev/null
fi

echo "== install"
# Recommends (iPXE, signed shim and GRUB, a kernel) are what the boot flow serves, not what
# the server needs to start: left out to keep this quick.
apt-get install -y -q --no-install-recommends "$DEB" > "$WORK/install.log" 2>&1 \
  || { cat "$WORK/install.log" >&2; fail "apt-get install"; }
for f in /usr/bin/rackboot /usr/share/rackboot/rackboot.jar "$UNIT" /etc/rackboot/rackboot.yml \
    /etc/default/rackboot; do
  [ -e "$f" ] || fail "$f not installed"
done
conffiles=$(dpkg-query -W -f='${Conffiles}' rackboot)
for f in /etc/rackboot/rackboot.yml /etc/default/rackboot; do
  grep -q " $f " <<< "$conffiles" || fail "$f is not a conffile"
done
getent passwd rackboot | grep -q ':/var/lib/rackboot:/usr/sbin/nologin$' \
  || fail "no system user rackboot (home /var/lib/rackboot, shell nologin): $(getent passwd rackboot)"
[ "$(stat -c '%U:%G %a' /var/lib/rackboot)" = "rackboot:rackboot 750" ] \
  || fail "/var/lib/rackboot is $(stat -c '%U:%G %a' /var/lib/rackboot)"
[ "$(stat -c '%U:%G %a' /etc/default/rackboot)" = "root:rackboot 640" ] \
  || fail "/etc/default/rackboot is $(stat -c '%U:%G %a' /etc/default/rackboot)"

# The packaged configuration must keep every key of the repository's rackboot.yml.
keys() { grep -Eo '^ *[A-Za-z][A-Za-z0-9]*:' "$1" | tr -d ' '; }
diff <(keys rackboot.yml) <(keys /etc/rackboot/rackboot.yml) > "$WORK/keys.diff" \
  || { cat "$WORK/keys.diff" >&2; fail "api/src/deb/etc/rackboot.yml and rackboot.yml have different keys"; }

echo "== systemd-analyze verify"
systemd-analyze verify "$UNIT" > "$WORK/verify.log" 2>&1 \
  || { cat "$WORK/verify.log" >&2; fail "systemd-analyze verify $UNIT"; }
# Unknown keys and bad values are only warnings (exit 0) naming the file.
! grep -qi "$(basename "$UNIT")" "$WORK/verify.log" \
  || { cat "$WORK/verify.log" >&2; fail "systemd-analyze warns about the unit"; }
! grep -q '^MemoryDenyWriteExecute=yes' "$UNIT" || fail "MemoryDenyWriteExecute breaks the JIT"

# The unit's capabilities, as setpriv spells them (+net_bind_service,+sys_nice), and as the
# kernel shows them in /proc/PID/status (a hex mask).
unit_caps=$(sed -n 's/^AmbientCapabilities=//p' "$UNIT")
[ -n "$unit_caps" ] || fail "no AmbientCapabilities= in $UNIT"
[ "$(sed -n 's/^CapabilityBoundingSet=//p' "$UNIT")" = "$unit_caps" ] \
  || fail "CapabilityBoundingSet= differs from AmbientCapabilities= in $UNIT"
caps=$(tr 'A-Z' 'a-z' <<< "$unit_caps" | sed 's/cap_/+/g; s/ \{1,\}/,/g; s/,$//')
mask=0
for c in $unit_caps; do
  case "$c" in  # bit numbers from linux/capability.h
    CAP_NET_BIND_SERVICE) bit=10 ;;
    CAP_NET_RAW) bit=13 ;;
    CAP_SYS_NICE) bit=23 ;;
    *) fail "add $c's bit number here" ;;
  esac
  mask=$((mask | (1 << bit)))
done
mask=$(printf '%016x' "$mask")

# Loopback-only addresses and a discovery token, the way an operator sets them.
cat >> /etc/default/rackboot << EOF
RACKBOOT_JAVA_OPTS="-Ddw.tftp.bindAddress=127.0.0.1 -Ddw.dhcpProxy.interfaces=lo -Ddw.server.applicationConnectors[0].bindHost=127.0.0.1 -Ddw.server.adminConnectors[0].bindHost=127.0.0.1"
RACKBOOT_DISCOVERY_TOKEN=$DISCOVERY_TOKEN
EOF

echo "== token (root runs the command; Java runs as rackboot)"
T=$(rackboot token create --name test-deb --role admin 2> "$WORK/token.log" | tail -n 1) \
  || { cat "$WORK/token.log" >&2; fail "rackboot token create"; }
[ -n "$T" ] || fail "rackboot token create printed no token"
bad=$(find /var/lib/rackboot/db -not -user rackboot)
[ -z "$bad" ] || fail "not owned by rackboot: $bad"
# The command's default configuration file is the installed one.
rackboot check > "$WORK/check.log" 2>&1 || { cat "$WORK/check.log" >&2; fail "rackboot check"; }

start_server() {
  local log=$1
  # `ip netns exec` and setpriv exec what follows: $! is the JVM's PID.
  ip netns exec "$NS" setpriv --reuid=rackboot --regid=rackboot --init-groups --inh-caps="$caps" \
    --ambient-caps="$caps" --bounding-set="-all,$caps" --no-new-privs \
    /usr/bin/rackboot server /etc/rackboot/rackboot.yml > "$log" 2>&1 &
  PID=$!
  echo "$PID" > "$PIDFILE"
  local deadline=$((SECONDS + 120)) code=""
  while [ "$SECONDS" -lt "$deadline" ]; do
    kill -0 "$PID" 2> /dev/null || { tail -n 40 "$log" >&2; fail "the server exited"; }
    code=$(in_ns curl -s -o "$WORK/health.json" -w '%{http_code}' "$ADMIN/healthcheck" || true)
    [ "$code" = 200 ] && break
    sleep 1
  done
  [ "$code" = 200 ] || { cat "$WORK/health.json" >&2; tail -n 40 "$log" >&2; fail "healthcheck: $code"; }
  echo "server $PID healthy"
}

# Each port is bound by the server's PID, as user rackboot; the process has exactly the
# unit's capabilities and no way to gain more.
check_process() {
  local log=$1 uid port
  uid=$(id -u rackboot)
  for port in 67 69 4011; do
    in_ns ss -Hlunpe "sport = :$port" 2> /dev/null | grep "pid=$PID," | grep -q "uid:$uid " \
      || fail "UDP $port not bound by $PID as rackboot: $(in_ns ss -Hlunpe "sport = :$port")"
  done
  for port in 8080 8081; do
    in_ns ss -Hltnpe "sport = :$port" 2> /dev/null | grep "pid=$PID," | grep -q "uid:$uid " \
      || fail "TCP $port not bound by $PID as rackboot: $(in_ns ss -Hltnpe "sport = :$port")"
  done
  local status=/proc/$PID/status
  grep -q "^Uid:[[:space:]]*$uid[[:space:]]" "$status" || fail "server runs as $(grep ^Uid "$status")"
  for set in CapEff CapAmb CapBnd; do
    grep -q "^$set:[[:space:]]*$mask$" "$status" || fail "$(grep "^$set" "$status"), expected $mask"
  done
  grep -q '^NoNewPrivs:[[:space:]]*1$' "$status" || fail "NoNewPrivs is not set"
  # CAP_SYS_NICE is there for this (dhcpProxy.realtimePriority, on by default).
  grep -q 'run at real-time priority' "$log" || fail "proxy-DHCP threads did not get SCHED_FIFO"
}

api() { in_ns curl -sf -H "Authorization: Bearer $T" -H 'Content-Type: application/json' "$@"; }
# The first "name": value of a JSON document on stdin (numbers and strings).
json_field() { grep -o "\"$1\" *: *\(\"[^\"]*\"\|[0-9]*\)" | head -n 1 | sed 's/^[^:]*: *//; s/"//g'; }

echo "== first start"
start_server "$WORK/server1.log"
check_process "$WORK/server1.log"

# A host, as the discovery agent enlists one, and an image: a blob and its manifest.
in_ns curl -sf -H "Authorization: Bearer $DISCOVERY_TOKEN" -H 'Content-Type: application/json' \
  "$U/api/v1/discovery" \
  -d '{"macs":["'$MAC'"],"dmi":{"product_serial":"DEB1"},"memory":{"total_kb":1048576}}' > /dev/null \
  || fail "discovery report refused"
ID=$(api "$U/api/v1/hosts/by-mac/$MAC" | json_field id)
[ -n "$ID" ] || fail "discovered host not found"
printf 'test-deb disk image' > "$WORK/disk.img"
SHA=$(sha256sum "$WORK/disk.img" | cut -d' ' -f1)
SIZE=$(stat -c %s "$WORK/disk.img")
in_ns curl -sf -H "Authorization: Bearer $T" -T "$WORK/disk.img" "$U/api/v1/images/_blobs/$SHA" > /dev/null \
  || fail "blob upload"
api "$U/api/v1/images" -d '{"name":"debtest","version":"1","os":"linux","arch":"x86_64",
  "artifacts":[{"name":"disk.img","part":"disk","sha256":"'$SHA'","size":'$SIZE'}]}' > /dev/null \
  || fail "image publish"
echo "host $ID, image debtest 1 ($SHA)"

stop_server

echo "== upgrade over itself"
dpkg -i "$DEB" > "$WORK/upgrade.log" 2>&1 || { cat "$WORK/upgrade.log" >&2; fail "dpkg -i (upgrade)"; }
cat "$WORK/upgrade.log"
# postinst ran its upgrade branch (configure <old-version>).
grep -q "rackboot: upgraded from " "$WORK/upgrade.log" || fail "postinst did not take the upgrade path"
grep -q "^RACKBOOT_DISCOVERY_TOKEN=$DISCOVERY_TOKEN$" /etc/default/rackboot \
  || fail "the upgrade replaced the changed /etc/default/rackboot"
[ "$(stat -c '%U:%G %a' /var/lib/rackboot)" = "rackboot:rackboot 750" ] || fail "state directory changed"

echo "== second start"
start_server "$WORK/server2.log"
check_process "$WORK/server2.log"
[ "$(api "$U/api/v1/hosts/by-mac/$MAC" | json_field id)" = "$ID" ] || fail "host $ID lost in the upgrade"
api "$U/api/v1/images" | grep -q '"debtest"' || fail "image debtest lost in the upgrade"
[ "$(in_ns curl -sf "$U/files/blobs/$SHA")" = "test-deb disk image" ] || fail "blob $SHA lost in the upgrade"
stop_server

echo "== purge"
apt-get purge -y -q rackboot > "$WORK/purge.log" 2>&1 || { cat "$WORK/purge.log" >&2; fail "apt-get purge"; }
! getent passwd rackboot > /dev/null || fail "user rackboot still there"
! getent group rackboot > /dev/null || fail "group rackboot still there"
for f in /var/lib/rackboot /etc/rackboot /etc/default/rackboot "$UNIT" /usr/bin/rackboot; do
  [ ! -e "$f" ] || fail "$f still there after purge"
done
links=$(find /etc/systemd/system -name rackboot.service 2> /dev/null)
[ -z "$links" ] || fail "unit links left: $links"

echo "PASS: Debian package installs, runs as rackboot with $unit_caps, upgrades over itself and purges"
