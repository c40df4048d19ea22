#!/usr/bin/env bash
# Starts Rackboot (the api jar) as a proxy-DHCP responder for the benchmark harness, in the
# foreground (exec, so the harness's PID is the JVM). Writes its config into RUNDIR.
#   rackboot-server.sh IFACE RUNDIR
# Env: RACKBOOT_JAR (default <repo>/api/target/rackboot.jar), RACKBOOT_JAVA_OPTS.
set -euo pipefail
IFACE=$1 RUNDIR=$2
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
JAR=${RACKBOOT_JAR:-$REPO/api/target/rackboot.jar}
mkdir -p "$RUNDIR/images"
cat > "$RUNDIR/rackboot.yml" <<YML
database:
  driverClass: org.h2.Driver
  url: "jdbc:h2:$RUNDIR/db;MODE=MariaDB;DATABASE_TO_LOWER=TRUE"
  user: sa
  password: ""
images:
  storeDir: $RUNDIR/images
  minFreeSpace: 1KiB
tftp:
  enabled: false
dhcpProxy:
  interfaces: [$IFACE]
server:
  applicationConnectors:
    - type: http
      bindHost: 127.0.0.1
      port: 8080
  adminConnectors:
    - type: http
      bindHost: 127.0.0.1
      port: 8081
logging:
  # No per-packet logging on the hot path (nothing logs there above DEBUG anyway).
  level: WARN
  loggers:
    org.rackboot.dhcp.mina.ProxyDhcpServer: INFO
YML
cd "$RUNDIR"
# shellcheck disable=SC2086
exec java ${RACKBOOT_JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseParallelGC} -jar "$JAR" server "$RUNDIR/rackboot.yml"
