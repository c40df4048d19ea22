#!/usr/bin/env bash
# Rackboot TFTP vs tftp-hpa in.tftpd, atftpd and dnsmasq, in the same run, with the harness
# copied from the lab (../harness/, see ../harness/README.md; upstream: /work/shared/bench/README.md).
# Usage (root): bench/tftp/run.sh [quick|full] [extra tftp-bench.sh options]
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
export RACKBOOT_TFTP_CP="$REPO/tftp/target/classes:$MINA:$SLF4J"

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
# busybox: the lightest client (curl's start-up cost dominates on two cores).
case $PROFILE in
  quick)
    # Lock-step: all four servers, 1/8/64 clients, blksize 512 and 1468, a 32 MiB file.
    "$B" --server rackboot,tftpd-hpa,atftpd,dnsmasq --start-timeout 60 --client busybox \
      --sizes 32M --conc 64,8,1 --blksizes 512,1468 --reps 1 --out "$OUT/lockstep" "$@"
    # RFC 7440 windows: only atftpd has them among the peers; atftp is the only windowed client.
    "$B" --server rackboot,atftpd --start-timeout 60 --client atftp \
      --sizes 32M --conc 64,8,1 --blksizes 1468 --windowsizes 1,4,16 --reps 1 \
      --out "$OUT/windowed" "$@"
    ;;
  full)
    "$B" --server rackboot,tftpd-hpa,atftpd,dnsmasq --start-timeout 60 --client busybox \
      --sizes 32M --conc 64,8,1 --blksizes 512,1468 --reps 3 --out "$OUT/lockstep" "$@"
    "$B" --server rackboot,atftpd --start-timeout 60 --client atftp \
      --sizes 32M --conc 64,8,1 --blksizes 1468 --windowsizes 1,4,16 --reps 3 \
      --out "$OUT/windowed" "$@"
    ;;
  *) echo "profile: quick or full" >&2; exit 2 ;;
esac
python3 "$HERE/../harness/lib/summarize.py" tftp "$OUT"/*/results.jsonl > "$OUT/summary-all.md"
echo "results in $OUT"
