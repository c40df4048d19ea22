#!/usr/bin/env bash
# Time to a green health check: starts api/target/rackboot.jar N times per variant (default 5),
# each on a fresh H2 database and var/ directory, on unprivileged ports, and measures the wall
# time from exec to the first 200 from the admin port's /healthcheck. Prints median, min and max
# per variant:
#   plain   java -jar (the JDK's default CDS archive only)
#   appcds  with an AppCDS archive of the application's classes, made by one untimed run first
#           (-XX:ArchiveClassesAtExit on JDK 17, -XX:+AutoCreateSharedArchive on 19+), as
#           build/run.sh does
# Usage: bench/startup/run.sh [N]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
runs=${1:-5}
jar=$PWD/api/target/rackboot.jar
[ -f "$jar" ] || { echo "build first: ./mvnw -B -q -DskipTests package" >&2; exit 1; }
work=$(mktemp -d)
pid=""
trap '[ -z "$pid" ] || kill "$pid" 2> /dev/null || true; rm -rf -- "$work"' EXIT
# Ports no other Rackboot here is likely to hold.
http=28080 admin=28081
ports=(-Ddw.tftp.port=21069 -Ddw.dhcpProxy.port=21067 -Ddw.dhcpProxy.bootServerPort=24011
  -Ddw.server.applicationConnectors[0].port=$http -Ddw.server.adminConnectors[0].port=$admin)

# One start in a fresh directory; prints the seconds to the first green health check.
start_once() {
  local dir
  dir=$(mktemp -d "$work/run.XXXX")
  cp rackboot.yml "$dir/"
  local t0 t1
  t0=$(date +%s%N)
  (cd "$dir" && exec java "$@" "${ports[@]}" -jar "$jar" server rackboot.yml > log 2>&1) &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$admin/healthcheck"; do
    kill -0 "$pid" 2> /dev/null || { echo "the server died:" >&2; tail -n 5 "$dir/log" >&2; exit 1; }
    sleep 0.02
  done
  t1=$(date +%s%N)
  kill "$pid"
  wait "$pid" 2> /dev/null || true
  pid=""
  rm -rf -- "$dir"
  echo "scale=2; ($t1 - $t0) / 1000000000" | bc
}

summary() {
  local name=$1; shift
  local sorted
  sorted=$(printf '%s\n' "$@" | sort -n)
  printf '%-8s median %5.2f s  min %5.2f s  max %5.2f s  (%s)\n' "$name" \
    "$(echo "$sorted" | sed -n "$(( ($# + 1) / 2 ))p")" "$(echo "$sorted" | head -n 1)" \
    "$(echo "$sorted" | tail -n 1)" "$(echo "$*" | tr ' ' ,)"
}

java -version 2>&1 | head -n 1
echo "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $runs runs per variant"

times=()
for _ in $(seq "$runs"); do times+=("$(start_once)"); done
summary plain "${times[@]}"

cds=$work/app.jsa
feature=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ { print $2 }')
if [ "${feature%%.*}" -ge 19 ]; then
  cdsflags=(-XX:SharedArchiveFile="$cds" -XX:+AutoCreateSharedArchive -Xlog:cds=off)
  start_once "${cdsflags[@]}" > /dev/null
else
  start_once -XX:ArchiveClassesAtExit="$cds" -Xlog:cds=off -Xlog:cds+dynamic=off > /dev/null
  cdsflags=(-XX:SharedArchiveFile="$cds" -Xlog:cds=off)
fi
[ -f "$cds" ] || { echo "no archive was written" >&2; exit 1; }
times=()
for _ in $(seq "$runs"); do times+=("$(start_once "${cdsflags[@]}")"); done
summary appcds "${times[@]}"
