#!/usr/bin/env bash
# Rackboot TFTP vs tftp-hpa in.tftpd, atftpd and dnsmasq, in the same run, with the harness
# copied from the lab (../harness/, see ../harness/README.md; upstream: /work/shared/bench/README.md).
# Usage (root): bench/tftp/run.sh [quick|full|recheck] [extra tftp-bench.sh options]
#   recheck: only the points that the full runs put within run-to-run noise of a peer (8
#   lock-step clients at blksize 512 and 1468, all four servers; atftp at windowsize 1 with 8 and
#   64 clients), with more repetitions (RECHECK_REPS, default 7; servers interleaved per rep).
# Results: bench/tftp/results/<timestamp>-<profile>/ (results.jsonl, summary.md, meta.txt).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
PROFILE=${1:-quick}
shift || true
[ "$(id -u)" = 0 ] || { echo "run as root (namespaces, cgroups)" >&2; exit 1; }

# Build the tftp module (never install: ~/.m2 is shared).
(cd "$REPO" && ./mvnw -B -q -o -pl tftp compile)
M2=${M2_REPO:-$HOME/.m2/repository}
MINA=$(ls "$M2"/org/apache/mina/mina-core/2.2.4/mina-core-2.2.4.jar)
SLF4J=$(ls "$M2"/org/slf4j/slf4j-api/2.*/slf4j-api-2.*.jar | grep -v sources | tail -1)
JNA=$(ls "$M2"/net/java/dev/jna/jna/5.19.1/jna-5.19.1.jar)
export RACKBOOT_TFTP_CP="$REPO/tftp/target/classes:$MINA:$SLF4J:$JNA"

# tftpd-hpa and atftpd conflict as packages: unpack both (../harness/setup.sh does the same).
TOOLS=${BENCH_TOOLS_DIR:-${BENCH_WORK:-/tmp/pxe-bench}/tools}
if [ ! -x "$TOOLS/tftpd-hpa-root/usr/sbin/in.tftpd" ] || [ ! -x "$TOOLS/atftpd-root/usr/sbin/atftpd" ]; then
  mkdir -p "$TOOLS/debs"
  (cd "$TOOLS/debs" && apt-get download tftpd-hpa atftpd)
  for p in tftpd-hpa atftpd; do
    rm -rf "$TOOLS/$p-root"
    dpkg-deb -x "$(ls "$TOOLS/debs/${p}"_*.deb | tail -1)" "$TOOLS/$p-root"
  done
fi

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT="$HERE/results/$STAMP-$PROFILE"
mkdir -p "$OUT"
B="$HERE/../harness/tftp-bench.sh"
case $PROFILE in
  quick) REPS=1 ;;
  full) REPS=3 ;;
  recheck) REPS=${RECHECK_REPS:-7} ;;
  *) echo "profile: quick, full or recheck" >&2; exit 2 ;;
esac
if [ "$PROFILE" = recheck ]; then
  "$B" --server rackboot,tftpd-hpa,atftpd,dnsmasq --start-timeout 60 --client busybox \
    --sizes 32M --conc 8 --blksizes 512,1468 --reps "$REPS" --out "$OUT/lockstep" "$@"
  "$B" --server rackboot,atftpd --start-timeout 60 --client atftp \
    --sizes 32M --conc 8,64 --blksizes 1468 --windowsizes 1 --reps "$REPS" \
    --out "$OUT/windowed" "$@"
else
  # The issue's method: a light client (busybox) for lock-step; pin client and server to one core
  # for single-transfer runs. A single lock-step transfer is a ping-pong with no parallelism: on
  # two idle vCPUs every block costs two cross-CPU wake-ups (IPIs), and whether the scheduler
  # happens to keep both ends on one CPU made the same server's result vary 28-52 MB/s from run
  # to run. Pinned, the run measures the CPU cost per block, which is what a server controls.
  # Single-transfer phases run a 1M file first (32 transfers, its own rows): the warm-up that the
  # 64- and 8-client runs give the concurrent phases, for every server alike.
  PIN="--server-cpus ${PIN_CPU:-1} --client-cpus ${PIN_CPU:-1}"
  # Lock-step, 64 and 8 clients: all four servers, blksize 512 and 1468, a 32 MiB file.
  "$B" --server rackboot,tftpd-hpa,atftpd,dnsmasq --start-timeout 60 --client busybox \
    --sizes 32M --conc 64,8 --blksizes 512,1468 --reps "$REPS" --out "$OUT/lockstep" "$@"
  # Lock-step, one client, pinned.
  # shellcheck disable=SC2086
  "$B" --server rackboot,tftpd-hpa,atftpd,dnsmasq --start-timeout 60 --client busybox \
    --sizes 1M,32M --conc 1 --blksizes 512,1468 --reps "$REPS" $PIN \
    --out "$OUT/lockstep-single" "$@"
  # RFC 7440 windows: only atftpd has them among the peers; atftp is the only windowed client.
  "$B" --server rackboot,atftpd --start-timeout 60 --client atftp \
    --sizes 32M --conc 64,8 --blksizes 1468 --windowsizes 1,4,16 --reps "$REPS" \
    --out "$OUT/windowed" "$@"
  # shellcheck disable=SC2086
  "$B" --server rackboot,atftpd --start-timeout 60 --client atftp \
    --sizes 1M,32M --conc 1 --blksizes 1468 --windowsizes 1,4,16 --reps "$REPS" $PIN \
    --out "$OUT/windowed-single" "$@"
fi
python3 "$HERE/../harness/lib/summarize.py" tftp "$OUT"/*/results.jsonl > "$OUT/summary-all.md"
echo "results in $OUT"
