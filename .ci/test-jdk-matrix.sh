#!/usr/bin/env bash
# The newest JDK on the machine, after the main run (.ci/run: `./mvnw verify` on the default
# java, JDK 17) has built the tree: (a) the built jar starts with plain `java -jar` on it, answers
# its health check and logs whether TFTP segmentation offload is on; (b) the tftp module's
# real-client tests run on it. Needs root (the real-client tests use network namespaces).
#
# Env: RB_JDK (a JDK home; default the newest $RB_JVM_DIR/* of version 21 or later),
#      RB_JVM_DIR (/usr/lib/jvm),
#      RB_HTTP_PORT (8080), RB_ADMIN_PORT (8081), RB_TFTP_PORT (16969),
#      RB_DHCP_PORT (16767), RB_BOOT_SERVER_PORT (14011), RB_START_TIMEOUT (seconds, 120).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD

die() { echo "FAIL: $*" >&2; exit 1; }

# The feature version of a JDK home ("25" for 25.0.1, "8" for 1.8.0), from `java -version`.
jdk_version() {
  local v
  v=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9.]*\).*/\1/p' | head -1)
  v=${v#1.}
  echo "${v%%.*}"
}

if [ -n "${RB_JDK:-}" ]; then
  JDK=$RB_JDK
  [ -x "$JDK/bin/java" ] || die "RB_JDK=$JDK has no bin/java"
else
  JVM_DIR=${RB_JVM_DIR:-/usr/lib/jvm}
  JDK="" best=0
  for home in "$JVM_DIR"/*; do
    [ -x "$home/bin/java" ] || continue
    home=$(readlink -f "$home")
    v=$(jdk_version "$home") || continue
    if [ -n "$v" ] && [ "$v" -gt "$best" ]; then
      best=$v JDK=$home
    fi
  done
  [ "$best" -ge 21 ] || die "no JDK 21 or later under $JVM_DIR (newest: ${best/#0/none});" \
      "install one (e.g. Temurin 25) or set RB_JDK"
fi
VERSION=$(jdk_version "$JDK")
[ "$VERSION" -ge 21 ] || die "$JDK is JDK $VERSION; this check is for JDK 21 or later"
echo "== JDK matrix: JDK $VERSION at $JDK (the main run covered the default java:" \
    "$(java -version 2>&1 | head -1))"

JAR=$REPO/api/target/rackboot.jar
[ -r "$JAR" ] || die "no $JAR: run the main build first (./mvnw -B verify)"
[ -d "$REPO/tftp/target/test-classes" ] || die "tftp is not built: run ./mvnw -B verify first"

# --- (a) the application starts on this JDK with no JVM flag ---------------------------------
HTTP_PORT=${RB_HTTP_PORT:-8080}
ADMIN_PORT=${RB_ADMIN_PORT:-8081}
TFTP_PORT=${RB_TFTP_PORT:-16969}
DHCP_PORT=${RB_DHCP_PORT:-16767}
BOOT_SERVER_PORT=${RB_BOOT_SERVER_PORT:-14011}
DEADLINE=${RB_START_TIMEOUT:-120}

# A server already on a port would answer the health check for us, or make ours fail to bind.
for p in "$HTTP_PORT" "$ADMIN_PORT"; do
  ! ss -Hltn "sport = :$p" | grep -q . || die "TCP port $p is in use: set RB_HTTP_PORT/RB_ADMIN_PORT"
done
for p in "$TFTP_PORT" "$DHCP_PORT" "$BOOT_SERVER_PORT"; do
  ! ss -Hlun "sport = :$p" | grep -q . || die "UDP port $p is in use: set RB_TFTP_PORT/RB_DHCP_PORT/RB_BOOT_SERVER_PORT"
done

W=$(mktemp -d /tmp/rackboot-jdk$VERSION.XXXXXX)
LOG=$W/rackboot.log
pid=""
stop_server() {
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=""
}
trap stop_server EXIT

# From the work directory, so ./var (H2 database, image store, TFTP root) is a new one there.
echo "starting: $JDK/bin/java -jar $JAR server rackboot.yml (in $W, unprivileged ports)"
(cd "$W" && exec "$JDK/bin/java" \
    -Ddw.server.applicationConnectors[0].port="$HTTP_PORT" \
    -Ddw.server.adminConnectors[0].port="$ADMIN_PORT" \
    -Ddw.tftp.port="$TFTP_PORT" -Ddw.dhcpProxy.port="$DHCP_PORT" \
    -Ddw.dhcpProxy.bootServerPort="$BOOT_SERVER_PORT" \
    -jar "$JAR" server "$REPO/rackboot.yml") > "$LOG" 2>&1 &
pid=$!

end=$((SECONDS + DEADLINE))
code=""
until [ "$code" = 200 ]; do
  kill -0 "$pid" 2>/dev/null || { tail -40 "$LOG" >&2; die "the server exited before its health check answered (log: $LOG)"; }
  [ "$SECONDS" -lt "$end" ] || { tail -40 "$LOG" >&2; die "no 200 from :$ADMIN_PORT/healthcheck within ${DEADLINE}s (log: $LOG)"; }
  sleep 1
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
      "http://127.0.0.1:$ADMIN_PORT/healthcheck" || true)
done
echo "health check: 200"

offload=$(grep -E 'TFTP segmentation offload is (on|off, because )' "$LOG" || true)
[ "$(printf '%s' "$offload" | grep -c .)" -eq 1 ] \
    || { tail -40 "$LOG" >&2; die "expected one segmentation-offload INFO line in $LOG"; }
echo "log: ${offload#*- }"
# The jar's manifest (Enable-Native-Access) is meant to keep JDK 24+ quiet about JNA.
if grep -q 'WARNING: A restricted method' "$LOG"; then
  grep 'WARNING:' "$LOG" >&2
  die "the JVM warned about restricted native access (the jar's manifest should allow it)"
fi
stop_server
rm -rf "$W"  # kept only when a check above failed
echo "started and stopped on JDK $VERSION"

# --- (b) the tftp module's real-client tests on this JDK -------------------------------------
# Maven itself runs on the JDK, so surefire forks its tests there too. Classes come from the
# main run (release 17). The reports overwrite the main run's for these three classes.
echo "== tftp real-client tests on JDK $VERSION"
JAVA_HOME=$JDK ./mvnw -B -o -pl tftp surefire:test \
    -Dtest='RealClientsTest,SegmentedWindowsTest,SegmentationMtuTest'
echo "JDK $VERSION: OK"
