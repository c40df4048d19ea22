#!/usr/bin/env bash
# Rackboot's proxy-DHCP vs dnsmasq in proxy mode, same load generator, same run: for each
# repetition both servers are started afresh and take turns over the same offered loads.
#   sudo bench/dhcp/run-bench.sh [--rates 1000,5000,20000,30000] [--reps 2] [--duration 10]
#        [--warmup RATE:SECONDS[,...] | --warmup none]   (default
#         5000:20,20000:10,30000:5,1000:40,5000:30,20000:10, about two minutes, unreported, both
#         servers, 90,000 MACs of its own: the first step's answers are first answers, as in the
#         1,000/s step, the later ones repeats, as at 5,000/s and above; the harness then waits
#         for the server to go idle before each step, --idle-wait. Two minutes because the JVM's
#         C2 compiler works through the database path for that long after start, and a compile
#         running between packets slows the packets down; see README.md)
#        [--pin SERVER_CPUS/CLIENT_CPUS | --pin none]   (default 1/0: server and generator on
#         separate cores, the same for both servers)
#        [-- HARNESS OPTIONS]   (e.g. -- --bg-max 30 --bg-wait 60: wait for a quieter machine)
# Needs the api jar (./mvnw -B -q -pl api -am package -DskipTests), dnsmasq, python3.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RATES=1000,5000,20000,30000 REPS=2 DURATION=10 CLIENTS=10000 OUT="" WARMUP=5000:20,20000:10,30000:5,1000:40,5000:30,20000:10 PIN=1/0
while [ $# -gt 0 ]; do
    case $1 in
        --rates) RATES=$2; shift ;;
        --reps) REPS=$2; shift ;;
        --duration) DURATION=$2; shift ;;
        --clients) CLIENTS=$2; shift ;;
        --out) OUT=$2; shift ;;
        --warmup) WARMUP=$2; shift ;;
        --pin) PIN=$2; shift ;;
        --) shift; break ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
OUT=${OUT:-$HERE/results/$(date -u +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
WARM_OPT=()
[ "$WARMUP" = none ] || WARM_OPT=(--warmup "$WARMUP" --warmup-clients 90000)
PIN_OPT=()
[ "$PIN" = none ] || PIN_OPT=(--server-cpus "${PIN%/*}" --client-cpus "${PIN#*/}")
for rep in $(seq 1 "$REPS"); do
    for server in dnsmasq rackboot; do
        "$HERE/../harness/proxydhcp-bench.sh" --server "$server" --rates "$RATES" \
            --duration "$DURATION" --clients "$CLIENTS" --max-packets 400000 --reps 1 \
            --start-timeout 90 "${WARM_OPT[@]}" "${PIN_OPT[@]}" --out "$OUT/$server-rep$rep" "$@"
        # the harness numbers every run rep=1; record which repetition it really was
        sed -i "s/\"rep\": \"1\"/\"rep\": \"$rep\"/" "$OUT/$server-rep$rep/results.jsonl"
    done
done
cat "$OUT"/*/results.jsonl > "$OUT/results.jsonl"
python3 "$HERE/../harness/lib/summarize.py" dhcp "$OUT/results.jsonl" | tee "$OUT/summary.md"
