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
# 1 GiB: with 256 MiB the old generation (MAC tables of 100,000 clients, H2's cache: about
# 75 MB live) filled within three minutes and a 90-210 ms full collection landed in a measured
# step. ParallelGC: young pauses of 2-6 ms; G1 and ZGC measured worse here (README.md).
# Every collection is logged with wall-clock time (RUNDIR/gc.log), so a run's slow answers can be
# laid beside its pauses (a young pause is one line, written after it ends).
# shellcheck disable=SC2086
exec java ${RACKBOOT_JAVA_OPTS:--Xms1g -Xmx1g -XX:+UseParallelGC} \
    "-Xlog:gc:file=$RUNDIR/gc.log:time,uptime" -jar "$JAR" server "$RUNDIR/rackboot.yml"
