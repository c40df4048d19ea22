#!/usr/bin/env bash
# Image store benchmark: import of a 2 GiB artifact against dd writing the same bytes to the same
# disk, and HTTP serving of a 512 MiB artifact to 1, 8 and 32 concurrent curl clients against
# nginx serving the very same file. Rackboot and nginx run in the same script run, on loopback.
#
#   bash bench/images/run.sh            # writes bench/images/results/<UTC date>.md
#
# Env: BENCH_WORK (default /var/tmp/rackboot-images-bench, must be on the disk under test),
#      REPS (default 3; medians are reported), RACKBOOT_JAR (default api/target/rackboot.jar).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
W="${BENCH_WORK:-/var/tmp/rackboot-images-bench}"
REPS="${REPS:-3}"
JAR="${RACKBOOT_JAR:-$ROOT/api/target/rackboot.jar}"
OUT="$HERE/results/$(date -u +%Y-%m-%dT%H%M)Z.md"
IMPORT_MIB=2048
SERVE_MIB=512

[ -f "$JAR" ] || (cd "$ROOT" && ./mvnw -B -q -pl api -am package -DskipTests)
command -v nginx >/dev/null || { echo "nginx (Debian nginx-light) is needed" >&2; exit 1; }

RB_PID=""; NG_PID=""
cleanup() {
  [ -n "$RB_PID" ] && kill "$RB_PID" 2>/dev/null && wait "$RB_PID" 2>/dev/null || true
  [ -n "$NG_PID" ] && kill "$NG_PID" 2>/dev/null && wait "$NG_PID" 2>/dev/null || true
}
trap cleanup EXIT

rm -rf "$W"; mkdir -p "$W/src" "$W/dd"
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
RAW_SERVE=""
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
blob_path() { echo "$W/store/blobs/${1:0:2}/$1"; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

echo "generating ${IMPORT_MIB} MiB and ${SERVE_MIB} MiB random artifacts in $W/src"
head -c $((IMPORT_MIB << 20)) /dev/urandom > "$W/src/big.img"
head -c $((SERVE_MIB << 20)) /dev/urandom > "$W/src/serve.img"
BIG_SHA=$(sha256sum "$W/src/big.img" | cut -d' ' -f1)
SERVE_SHA=$(sha256sum "$W/src/serve.img" | cut -d' ' -f1)   # also leaves both in page cache

APP=$(free_port); ADM=$(free_port); NGP=$(free_port)
cat > "$W/rackboot.yml" <<YML
database:
  driverClass: org.h2.Driver
  url: "jdbc:h2:$W/db/rackboot;MODE=MariaDB;DATABASE_TO_LOWER=TRUE"
  user: sa
  password: ""
images:
  storeDir: $W/store
  minFreeSpace: 1MiB
  gcInterval: 0s
tftp:
  enabled: false
dhcpProxy:
  enabled: false
server:
  requestLog:
    appenders: []
  applicationConnectors:
    - type: http
      bindHost: 127.0.0.1
      port: $APP
      # nginx's send_timeout is 60 s; Dropwizard's default idle timeout is 30 s.
      idleTimeout: 60s
  adminConnectors:
    - type: http
      bindHost: 127.0.0.1
      port: $ADM
logging:
  level: WARN
YML
# CLI import (JVM start + migrations included) of a directory holding the artifact and a manifest.
# Runs before the server starts: the embedded H2 file database admits one process at a time.
mkdir -p "$W/imgdir"; ln -f "$W/src/big.img" "$W/imgdir/disk.img" 2>/dev/null || cp "$W/src/big.img" "$W/imgdir/disk.img"
CLI=()
for r in $(seq 1 "$REPS"); do
  printf '{"name":"bench","version":"%s","os":"Debian 12","arch":"x86_64","artifacts":[{"name":"disk.img","part":"disk"}]}' "r$r" > "$W/imgdir/manifest.json"
  rm -f "$(blob_path "$BIG_SHA")"; sync
  t0=$(now); java -jar "$JAR" image-import "$W/imgdir" "$W/rackboot.yml" > "$W/cli.log" 2>&1 || { cat "$W/cli.log"; exit 1; }; t1=$(now)
  CLI+=("$(echo "$IMPORT_MIB / ($t1 - $t0)" | bc -l)")
done

# Uploads need an admin token; made before the server starts (the embedded H2 file is locked).
TOKEN=$(java -jar "$JAR" token create --name bench --role admin "$W/rackboot.yml" | tail -1)
AUTH="Authorization: Bearer $TOKEN"
java -jar "$JAR" server "$W/rackboot.yml" > "$W/rackboot.log" 2>&1 &
RB_PID=$!
for _ in $(seq 1 300); do
  curl -fsS -o /dev/null "http://127.0.0.1:$ADM/healthcheck" 2>/dev/null && break
  kill -0 "$RB_PID" 2>/dev/null || { cat "$W/rackboot.log"; exit 1; }
  sleep 0.2
done
BASE="http://127.0.0.1:$APP"

# ---- import: dd vs streamed upload (sha256 checked, fsync, rename) ----
DD=(); UP=()
for r in $(seq 1 "$REPS"); do
  rm -f "$W/dd/out.img"; sync
  t0=$(now); dd if="$W/src/big.img" of="$W/dd/out.img" bs=1M conv=fsync status=none; t1=$(now)
  DD+=("$(echo "$IMPORT_MIB / ($t1 - $t0)" | bc -l)")
  rm -f "$W/dd/out.img"; sync

  rm -f "$(blob_path "$BIG_SHA")"; sync
  t0=$(now)
  code=$(curl -sS -H "$AUTH" -o /dev/null -w '%{http_code}' --max-time 600 -T "$W/src/big.img" "$BASE/api/v1/images/_blobs/$BIG_SHA")
  t1=$(now)
  [ "$code" = 201 ] || { echo "upload failed: HTTP $code" >&2; exit 1; }
  UP+=("$(echo "$IMPORT_MIB / ($t1 - $t0)" | bc -l)")
  rm -f "$(blob_path "$BIG_SHA")"; sync
done

# ---- serving: Rackboot /files/blobs/<sha> vs nginx serving the same blob file ----
code=$(curl -sS -H "$AUTH" -o /dev/null -w '%{http_code}' --max-time 600 -T "$W/src/serve.img" "$BASE/api/v1/images/_blobs/$SERVE_SHA")
[ "$code" = 201 ] || [ "$code" = 200 ] || { echo "upload failed: HTTP $code" >&2; exit 1; }
mkdir -p "$W/nginx/logs"
cat > "$W/nginx/nginx.conf" <<NGX
worker_processes auto;
daemon off;
pid $W/nginx/nginx.pid;
error_log $W/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  server {
    listen 127.0.0.1:$NGP;
    location /files/blobs/ { alias $W/store/blobs/${SERVE_SHA:0:2}/; }
  }
}
NGX
nginx -p "$W/nginx" -c "$W/nginx/nginx.conf" &
NG_PID=$!
sleep 1
RB_URL="$BASE/files/blobs/$SERVE_SHA"
NG_URL="http://127.0.0.1:$NGP/files/blobs/$SERVE_SHA"
for u in "$RB_URL" "$NG_URL"; do   # warm-up; Rackboot verifies the blob's sha256 on first serve
  got=$(curl -sS --max-time 120 "$u" | sha256sum | cut -d' ' -f1)
  [ "$got" = "$SERVE_SHA" ] || { echo "wrong content from $u" >&2; exit 1; }
done

# N clients each download the whole file once; MiB/s = N * size / wall time.
serve_run() {
  local url=$1 n=$2 pids=() t0 t1 i
  t0=$(now)
  for i in $(seq 1 "$n"); do
    curl -sS --max-time 300 -o /dev/null -w '%{size_download}\n' "$url" > "$W/c$i.out" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
  t1=$(now)
  for i in $(seq 1 "$n"); do
    [ "$(cat "$W/c$i.out")" = "$((SERVE_MIB << 20))" ] || { echo "short download from $url" >&2; exit 1; }
  done
  echo "$n * $SERVE_MIB / ($t1 - $t0)" | bc -l
}
# Repetitions alternate Rackboot and nginx, so a load spike from other jobs hits both alike.
declare -A SRV
for n in 1 8 32; do
  rb=(); ng=()
  for r in $(seq 1 "$REPS"); do
    rb+=("$(serve_run "$RB_URL" "$n")")
    ng+=("$(serve_run "$NG_URL" "$n")")
  done
  SRV[rackboot,$n]=$(printf '%s\n' "${rb[@]}" | median)
  SRV[nginx,$n]=$(printf '%s\n' "${ng[@]}" | median)
  RAW_SERVE+=" n=$n rackboot ${rb[*]} / nginx ${ng[*]};"
done

dd_m=$(printf '%s\n' "${DD[@]}" | median)
up_m=$(printf '%s\n' "${UP[@]}" | median)
cli_m=$(printf '%s\n' "${CLI[@]}" | median)
ratio() { echo "scale=2; $1 / $2" | bc -l; }
verdict() { [ "$(echo "$1 >= 0.8" | bc -l)" = 1 ] && echo met || echo "NOT met"; }
{
  echo "# Image store benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Command: \`bash bench/images/run.sh\` (REPS=$REPS, medians). Host: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)),"
  echo "$(free -g | awk '/Mem:/{print $2}') GiB RAM, disk under test: $(df -P "$W" | awk 'NR==2{print $1}') ($W). Java: $(java -version 2>&1 | head -1)."
  echo "nginx: $(nginx -v 2>&1 | cut -d/ -f2) (sendfile on). Client: curl $(curl --version | head -1 | cut -d' ' -f2). Sources are in page cache for both sides."
  echo
  echo "## Import of a ${IMPORT_MIB} MiB artifact (MiB/s)"
  echo
  echo "| method | MiB/s | vs dd |"
  echo "|---|---|---|"
  printf '| dd bs=1M conv=fsync | %.0f | 1.00 |\n' "$dd_m"
  printf '| Rackboot streamed upload (curl -T, PUT /api/v1/images/_blobs/sha: sha256 check, fsync, rename) | %.0f | %s |\n' "$up_m" "$(ratio "$up_m" "$dd_m")"
  printf '| Rackboot CLI image-import of a directory (JVM start, migrations, publish included) | %.0f | %s |\n' "$cli_m" "$(ratio "$cli_m" "$dd_m")"
  echo
  echo "Target import >= 0.8x dd (streamed upload): **$(verdict "$(ratio "$up_m" "$dd_m")")**."
  echo
  echo "## HTTP serving of a ${SERVE_MIB} MiB artifact (aggregate MiB/s, each client downloads it once)"
  echo
  echo "| clients | Rackboot | nginx | Rackboot / nginx |"
  echo "|---|---|---|---|"
  all_met=1
  for n in 1 8 32; do
    rr=$(ratio "${SRV[rackboot,$n]}" "${SRV[nginx,$n]}")
    [ "$(verdict "$rr")" = met ] || all_met=0
    printf '| %s | %.0f | %.0f | %s |\n' "$n" "${SRV[rackboot,$n]}" "${SRV[nginx,$n]}" "$rr"
  done
  echo
  echo "Target serving >= 0.8x nginx at every concurrency: **$([ $all_met = 1 ] && echo met || echo "NOT met")**."
  echo
  echo "Raw import samples (MiB/s): dd ${DD[*]}; upload ${UP[*]}; cli ${CLI[*]}"
  echo
  echo "Raw serving samples (MiB/s):$RAW_SERVE"
  echo
  echo "Load average at start: $LOAD0; at end: $(cut -d' ' -f1-3 /proc/loadavg) (other jobs share this machine)."
} > "$OUT"
cat "$OUT"
rm -rf "$W"
