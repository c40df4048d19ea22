#!/usr/bin/env bash
# Inventory API benchmark: 100,000 hosts x 2 NICs in MariaDB, lookup by MAC over HTTP on
# loopback, paging through all hosts, heap in use. Starts and stops its own Rackboot server
# (by PID); uses the local MariaDB (bash .ci/start-mariadb.sh) and a database it drops after.
# Usage: bench/api/run.sh [HOSTS] [LOOKUPS] [THREADS]   (defaults 100000 20000 1)
# Output: plain lines on stdout; keep them with  | tee bench/api/results/$(date -u +%F-%H%M).txt
set -euo pipefail
cd "$(dirname "$0")/../.."
HOSTS=${1:-100000}
LOOKUPS=${2:-20000}
THREADS=${3:-1}
HEAP=${BENCH_HEAP:-512m}
export BENCH_WORK=${BENCH_WORK:-$(mktemp -d /tmp/rackboot-api-bench.XXXXXX)}
export BENCH_PORT=${BENCH_PORT:-18480}
export BENCH_ADMIN_PORT=${BENCH_ADMIN_PORT:-18481}
DB=rackboot_test_bench
export RACKBOOT_DB_URL="jdbc:mariadb://127.0.0.1:3306/$DB"
export RACKBOOT_DB_USER=rackboot
export RACKBOOT_DB_PASSWORD=rackboot
JAR=api/target/rackboot.jar
MARIADB_JAR=$(ls ~/.m2/repository/org/mariadb/jdbc/mariadb-java-client/3.5.7/mariadb-java-client-3.5.7.jar)

[ -f "$JAR" ] || ./mvnw -B -q -pl api -am package -DskipTests
bash .ci/start-mariadb.sh >/dev/null
mariadb -e "DROP DATABASE IF EXISTS $DB; CREATE DATABASE $DB CHARACTER SET utf8mb4"

SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  fi
  mariadb -e "DROP DATABASE IF EXISTS $DB" || true
}
trap cleanup EXIT

java -jar "$JAR" db migrate bench/api/bench.yml >/dev/null
java -cp "$MARIADB_JAR" bench/api/Load.java "$RACKBOOT_DB_URL" rackboot rackboot "$HOSTS"
TOKEN=$(java -jar "$JAR" token create --name bench --role viewer bench/api/bench.yml | tail -1)

java -Xms"$HEAP" -Xmx"$HEAP" ${SERVER_JAVA_OPTS:-} -jar "$JAR" server bench/api/bench.yml >"$BENCH_WORK/server.log" 2>&1 &
SERVER_PID=$!
deadline=$((SECONDS + 120))
until curl -sf "http://127.0.0.1:$BENCH_ADMIN_PORT/healthcheck" >/dev/null; do
  if [ $SECONDS -ge $deadline ] || ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "server did not come up:" >&2; tail -20 "$BENCH_WORK/server.log" >&2; exit 1
  fi
  sleep 0.5
done

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "machine: $(nproc) cores, $(uname -r), $(java -version 2>&1 | head -1), server heap $HEAP"
echo "mariadb: $(mariadb-admin version | grep -m1 'Server version')"
java bench/api/Bench.java "http://127.0.0.1:$BENCH_PORT" "http://127.0.0.1:$BENCH_ADMIN_PORT" \
  "$TOKEN" "$HOSTS" "$LOOKUPS" "$THREADS"
# The same lookups with curl as the client: one curl process, one keep-alive connection,
# -w prints each transfer's total time.
awk -v n="$LOOKUPS" -v hosts="$HOSTS" -v port="$BENCH_PORT" 'BEGIN { srand(4);
  for (i = 0; i < n; i++) { v = int(rand() * 2 * hosts);
    printf "url = \"http://127.0.0.1:%d/api/v1/hosts/by-mac/0a:bb:%02x:%02x:%02x:%02x\"\noutput = \"/dev/null\"\n",
      port, int(v / 16777216) % 256, int(v / 65536) % 256, int(v / 256) % 256, v % 256 } }' \
  >"$BENCH_WORK/curl.cfg"
timeout 600 curl -s -H "Authorization: Bearer $TOKEN" -K "$BENCH_WORK/curl.cfg" \
  -w '%{http_code} %{time_total}\n' >"$BENCH_WORK/curl.times"
sort -k2 -n "$BENCH_WORK/curl.times" | awk -v ver="$(curl --version | head -1 | cut -d' ' -f2)" '$1 != 200 { bad++ } { t[NR] = $2 * 1000 }
  END { n = NR; 
    printf "lookup-by-mac (curl %s, one connection): n=%d non-200=%d p50=%.3f ms p90=%.3f ms p99=%.3f ms max=%.3f ms\n",
      ver, n, bad + 0, t[int(n * 0.50 + 0.999)], t[int(n * 0.90 + 0.999)], t[int(n * 0.99 + 0.999)], t[n] }'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
