#!/usr/bin/env bash
# Rackboot's proxy-DHCP vs dnsmasq in proxy mode, interleaved: both servers run at the same
# time, each in its own pair of network namespaces, and for each offered rate the generator
# alternates short measured slices between them (ABBA: dnsmasq, Rackboot, Rackboot, dnsmasq,
# ...), pooling every answer's latency per server. run-bench.sh measures dnsmasq for ~7
# minutes and then Rackboot for ~7 minutes, so the host's noise (hypervisor steal) lands on
# them unevenly; here both get the same minutes of it. See README.md, "Interleaved".
#   sudo bench/dhcp/run-interleaved.sh [--rates 1000,5000,20000,30000]
#        [--slices N]          measured slices per server per rate (default 10)
#        [--slice-seconds S]   length of one slice (default 1): with 1 s at 1,000/s the 10
#                              slices cover the 10,000 measured MACs once, as run-bench's 10 s
#                              step does (the MAC sequence continues across a server's slices)
#        [--clients N]         measured MACs (default 10000, 02:b0:...)
#        [--warmup RATE:SECONDS[,...] | --warmup none]   (default as run-bench.sh:
#         5000:20,20000:10,30000:5,1000:40,5000:30,20000:10; each step dnsmasq then Rackboot,
#         unreported, 90,000 MACs of its own, 02:b1:...)
#        [--pin SERVER_CPUS/CLIENT_CPUS | --pin none]   (default 1/0: both servers on CPU 1,
#         the generator on CPU 0)
#        [--idle-wait S]       before each slice, wait at most S s (default 10) until both
#                              servers used under 3 % of a core over one second
#        [--bg-max PCT --bg-wait S]   before each slice (after the idle wait), wait at most S s
#                              (default 30) until the machine's CPU is under PCT % busy
#                              (pxe_load.py's own check; default 0: off, as run-bench.sh)
#        [--no-freeze]         do not freeze the other server during a slice (before session
#                              6's last run: the idle JVM then used ~13 ms of CPU per dnsmasq
#                              slice on the shared core; dnsmasq idles at 0)
#        [--out DIR]           (default results/<UTC yyyymmdd-HHMMSS>-interleaved)
# Needs the api jar (built offline if missing), dnsmasq, python3. Run it under the machine's
# benchmark lock: flock /tmp/rackboot-cpu.lock bench/dhcp/run-interleaved.sh ...
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BENCH_DIR=$(cd "$HERE/../harness" && pwd)
# shellcheck source=../harness/lib/common.sh
. "$BENCH_DIR/lib/common.sh"

RATES=1000,5000,20000,30000 SLICES=10 SLICE_S=1 CLIENTS=10000 OUT="" PIN=1/0 IDLE_WAIT=10
WARMUP=5000:20,20000:10,30000:5,1000:40,5000:30,20000:10
WARMUP_CLIENTS=90000 WARMUP_MAC_BASE=02:b1:00:00:00:00 MAC_BASE=02:b0:00:00:00:00
MAX_PACKETS=400000 DROP_TIMEOUT=1 START_TIMEOUT=90 BG_MAX=0 BG_WAIT=30 FREEZE=1
while [ $# -gt 0 ]; do
    case $1 in
        --rates) RATES=$2; shift ;;
        --slices) SLICES=$2; shift ;;
        --slice-seconds) SLICE_S=$2; shift ;;
        --clients) CLIENTS=$2; shift ;;
        --warmup) WARMUP=$2; shift ;;
        --pin) PIN=$2; shift ;;
        --idle-wait) IDLE_WAIT=$2; shift ;;
        --bg-max) BG_MAX=$2; shift ;;
        --bg-wait) BG_WAIT=$2; shift ;;
        --out) OUT=$2; shift ;;
        --no-freeze) FREEZE=0 ;;
        -h|--help) sed -n '2,/^set -uo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option $1 (--help)" ;;
    esac
    shift
done
[ "$(id -u)" = 0 ] || die "must run as root (network namespaces, cgroups)"
need ip; need "$PYTHON"; need taskset; need timeout
[[ $RATES =~ ^[0-9]+(,[0-9]+)*$ ]] || die "--rates wants N[,N...]"
[[ $SLICES =~ ^[1-9][0-9]*$ ]] || die "--slices wants a positive integer"
[[ $SLICE_S =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--slice-seconds wants a number"
[[ $IDLE_WAIT =~ ^[0-9]+$ ]] || die "--idle-wait wants whole seconds"
[[ $BG_MAX =~ ^[0-9]+(\.[0-9]+)?$ ]] && [[ $BG_WAIT =~ ^[0-9]+$ ]] ||
    die "--bg-max wants a percentage, --bg-wait whole seconds"
[ "$WARMUP" = none ] || [[ $WARMUP =~ ^[0-9]+:[0-9]+(,[0-9]+:[0-9]+)*$ ]] ||
    die "--warmup wants RATE:SECONDS[,RATE:SECONDS...] or none"
SERVER_CPUS="" CLIENT_CPUS=""
if [ "$PIN" != none ]; then
    [[ $PIN == */* ]] || die "--pin wants SERVER_CPUS/CLIENT_CPUS or none"
    SERVER_CPUS=${PIN%/*} CLIENT_CPUS=${PIN#*/}
fi

JAR=${RACKBOOT_JAR:-$REPO/api/target/rackboot.jar}
if [ ! -r "$JAR" ]; then
    log "no $JAR: building it (offline)"
    (cd "$REPO" && ./mvnw -B -q -o -pl api -am package -DskipTests) || die "build failed"
fi

OUT=${OUT:-$HERE/results/$(date -u +%Y%m%d-%H%M%S)-interleaved}
mkdir -p "$OUT" || die "cannot create $OUT"
OUT=$(cd "$OUT" && pwd)
trap 'thaw_all; cleanup_all; freezers_remove' EXIT
trap 'exit 130' INT TERM

# The server not being measured is frozen during the other's slice (cgroup v1 freezer or v2
# cgroup.freeze), so neither server's idle housekeeping runs beside the other's answers.
declare -A FZ
freezer_create() { # server: a freezer holding every process of its (cpuacct) cgroup
    local s=$1 d p
    FZ[$s]=""
    [ "$FREEZE" = 1 ] && [ -n "${CG[$s]}" ] || return 0
    if [ -f "${CG[$s]}/cgroup.freeze" ]; then
        FZ[$s]=${CG[$s]}
    elif [ -d "$BENCH_CGROUP_ROOT/freezer" ]; then
        d=$BENCH_CGROUP_ROOT/freezer/$(basename "${CG[$s]}")
        mkdir -p "$d" || return 0
        for p in $(cat "${CG[$s]}/cgroup.procs"); do echo "$p" >"$d/cgroup.procs" 2>/dev/null; done
        FZ[$s]=$d
    fi
}
freezer_set() { # server FROZEN|THAWED: returns once the state holds (at most 2 s)
    local d=${FZ[$1]:-} i
    [ -n "$d" ] || return 0
    if [ -f "$d/cgroup.freeze" ]; then
        [ "$2" = FROZEN ] && echo 1 >"$d/cgroup.freeze" || echo 0 >"$d/cgroup.freeze"
        return 0
    fi
    echo "$2" >"$d/freezer.state"
    for i in $(seq 1 200); do
        [ "$(cat "$d/freezer.state")" = "$2" ] && return 0
        sleep 0.01
    done
    log "freezer of $1 did not reach $2"
}
thaw_all() { local s; for s in "${!FZ[@]}"; do freezer_set "$s" THAWED; done; }
freezers_remove() {
    local s
    for s in "${!FZ[@]}"; do
        [ -f "${FZ[$s]}/freezer.state" ] && rmdir "${FZ[$s]}" 2>/dev/null
    done
    return 0
}

SERVERS=(dnsmasq rackboot)
declare -A NS_S NS_C IF_S IF_C NET CMD DESC VER RUNDIR SPID CG
# two pairs of namespaces of our own, one /24 each out of 198.18.0.0/15 (RFC 2544)
NS_S[dnsmasq]=pxids-$$ NS_C[dnsmasq]=pxidc-$$ IF_S[dnsmasq]=pxds0 IF_C[dnsmasq]=pxdc0 NET[dnsmasq]=198.18.0
NS_S[rackboot]=pxirs-$$ NS_C[rackboot]=pxirc-$$ IF_S[rackboot]=pxrs0 IF_C[rackboot]=pxrc0 NET[rackboot]=198.18.1
DEST=255.255.255.255

for s in "${SERVERS[@]}"; do
    unset -f ADAPTER_CHECK
    # shellcheck disable=SC1090
    . "$BENCH_DIR/adapters/proxydhcp/$s.sh"
    declare -F ADAPTER_CHECK >/dev/null && ADAPTER_CHECK
    RUNDIR[$s]=$OUT/run-$s
    mkdir -p "${RUNDIR[$s]}"
    CMD[$s]=$(expand_template "$SERVER_CMD" IFACE="${IF_S[$s]}" SERVER_IP="${NET[$s]}.1" \
              CLIENT_IP="${NET[$s]}.2" SUBNET="${NET[$s]}.0" NETMASK=255.255.255.0 PREFIX=24 \
              RUNDIR="${RUNDIR[$s]}")
    [ -n "$SERVER_CPUS" ] && CMD[$s]="taskset -c $SERVER_CPUS ${CMD[$s]}"
    DESC[$s]=$ADAPTER_DESC
    VER[$s]=$(bash -c "$ADAPTER_VERSION_CMD" 2>&1 | tr '\n' ' ')
done

{
    echo "date: $(date -Is)"
    echo "command: $0 --rates $RATES --slices $SLICES --slice-seconds $SLICE_S --clients $CLIENTS --warmup $WARMUP --pin $PIN --idle-wait $IDLE_WAIT --bg-max $BG_MAX --bg-wait $BG_WAIT --out $OUT"
    echo "git: $(cd "$REPO" && git rev-parse --short HEAD) ($(cd "$REPO" && git status --short -- api dhcp-proxy tftp images pom.xml | wc -l) uncommitted paths under api/ dhcp-proxy/ tftp/ images/ at start)"
    echo "jar: $JAR $(stat -c '%y' "$JAR") sha256 $(sha256sum "$JAR" | cut -c1-16)"
    echo "machine: $(machine_info)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-)"
    echo "python: $("$PYTHON" --version 2>&1)"
    for s in "${SERVERS[@]}"; do
        echo "server[$s]: ${DESC[$s]}; version: ${VER[$s]}"
        echo "net[$s]: server ${NET[$s]}.1/${IF_S[$s]} in ${NS_S[$s]}, client ${NET[$s]}.2/${IF_C[$s]} in ${NS_C[$s]}, dest=$DEST"
    done
    echo "load: rates=$RATES slices=$SLICES per server per rate (ABBA) slice_seconds=$SLICE_S clients=$CLIENTS from $MAC_BASE max_packets=$MAX_PACKETS drop_timeout=$DROP_TIMEOUT"
    echo "pinning: server_cpus=${SERVER_CPUS:-none} (both servers) client_cpus=${CLIENT_CPUS:-none}"
    echo "warmup: $WARMUP (rate:seconds, each step dnsmasq then rackboot, unreported, $WARMUP_CLIENTS clients from $WARMUP_MAC_BASE)"
    echo "idle wait: before every slice and warm-up step, up to ${IDLE_WAIT}s until both servers' cgroups used < 3 % of a core over 1 s"
} >"$OUT/meta.txt"
log "results -> $OUT"

for s in "${SERVERS[@]}"; do
    netns_create "${NS_S[$s]}"
    netns_create "${NS_C[$s]}"
    veth_pair "${NS_S[$s]}" "${IF_S[$s]}" "${NET[$s]}.1/24" "${NS_C[$s]}" "${IF_C[$s]}" "${NET[$s]}.2/24"
done
echo "server netns rmem_default/rmem_max: $(ip netns exec "${NS_S[dnsmasq]}" cat /proc/sys/net/core/rmem_default)/$(ip netns exec "${NS_S[dnsmasq]}" cat /proc/sys/net/core/rmem_max)" >>"$OUT/meta.txt"

for s in "${SERVERS[@]}"; do
    cg_create "proxydhcp-interleaved-$$-$s"
    CG[$s]=$CG_DIR
    echo "server command[$s]: ip netns exec ${NS_S[$s]} ${CMD[$s]} (cgroup ${CG[$s]:-none})" >>"$OUT/meta.txt"
    log "starting $s in ${NS_S[$s]}: ${CMD[$s]}"
    start_bg "${NS_S[$s]}" "${RUNDIR[$s]}/server.log" "${CMD[$s]}" "${CG[$s]}"
    SPID[$s]=$BG_PID
done
for s in "${SERVERS[@]}"; do
    if ! "$PYTHON" "$BENCH_LIB/pxe_load.py" --netns "${NS_C[$s]}" --iface "${IF_C[$s]}" \
            --dest "$DEST" --probe "$START_TIMEOUT" >"${RUNDIR[$s]}/probe.json" 2>&1; then
        log "no offer from $s within ${START_TIMEOUT}s; server log:"
        tail -20 "${RUNDIR[$s]}/server.log" >&2
        exit 1
    fi
    { echo "first offer[$s]: $(cat "${RUNDIR[$s]}/probe.json")"
      echo "server sockets[$s]:"; ip netns exec "${NS_S[$s]}" ss -uanm 2>&1; } >>"$OUT/meta.txt"
done
for s in "${SERVERS[@]}"; do
    freezer_create "$s"
    echo "freezer[$s]: ${FZ[$s]:-none (the other server runs beside each slice)}" >>"$OUT/meta.txt"
done

# Before every slice and warm-up step, both servers idle (wait_cgroups_idle, lib/common.sh), so
# that one server's aftermath (Rackboot writes its boot events up to 1 s after a burst; a JIT
# compiling) is not measured inside the other's slice. Sets IDLE_WAITED, IDLE_OK.
wait_both_idle() {
    IDLE_WAITED=0 IDLE_OK=1
    if [ -z "${CG[dnsmasq]}" ] || [ -z "${CG[rackboot]}" ]; then sleep 1; return; fi
    wait_cgroups_idle "$IDLE_WAIT" "${CG[dnsmasq]}" "${CG[rackboot]}"
    [ "$IDLE_OK" = 1 ] || log "a server still used >= 3 % of a core after ${IDLE_WAIT}s; measuring anyway"
}

all_alive() {
    local s
    for s in "${SERVERS[@]}"; do
        pid_alive "${SPID[$s]}" || { log "$s died; see ${RUNDIR[$s]}/server.log"; return 1; }
    done
}

other_of() { [ "$1" = dnsmasq ] && echo rackboot || echo dnsmasq; }

# load SERVER RATE SECONDS OUTFILE [pxe_load.py options...]: one bounded generator run
load() {
    local s=$1 rate=$2 secs=$3 outf=$4
    shift 4
    timeout -k 5 "$(awk -v d="$secs" -v w="$BG_WAIT" 'BEGIN {print d + w + 30}')" \
        "$PYTHON" "$BENCH_LIB/pxe_load.py" --netns "${NS_C[$s]}" --iface "${IF_C[$s]}" \
        --dest "$DEST" --rate "$rate" --duration "$secs" --max-packets "$MAX_PACKETS" \
        --drop-timeout "$DROP_TIMEOUT" --server-pid "${SPID[$s]}" \
        ${CG[$s]:+--server-cgroup "${CG[$s]}"} ${CLIENT_CPUS:+--cpus "$CLIENT_CPUS"} \
        --out "$outf" --label server="$s" "$@"
}

rc_all=0
if [ "$WARMUP" != none ]; then
    for step in ${WARMUP//,/ }; do
        for s in "${SERVERS[@]}"; do
            wait_both_idle
            printf '%-9s warmup %6s/s %3ss ' "$s" "${step%%:*}" "${step##*:}" >&2
            load "$s" "${step%%:*}" "${step##*:}" "${RUNDIR[$s]}/warmup.jsonl" \
                --clients "$WARMUP_CLIENTS" --mac-base "$WARMUP_MAC_BASE" --label warmup=1 >&2 ||
                log "warm-up step failed (unreported; going on)"
        done
    done
    all_alive || exit 1
fi

printf 'order\trate\tserver\tslice\tfirst_seq\tidle_wait_s\tidle\tother_cpu_ms\n' >"$OUT/schedule.tsv"
order=0
for rate in ${RATES//,/ }; do
    uuid_seed=0x$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')
    declare -A next_seq=([dnsmasq]=0 [rackboot]=0) nslice=([dnsmasq]=0 [rackboot]=0)
    for i in $(seq 0 $((2 * SLICES - 1))); do
        # ABBA: pairs alternate which server goes first (d r, r d, d r, ...)
        if [ $(((i / 2 + i) % 2)) = 0 ]; then s=dnsmasq; else s=rackboot; fi
        o=$(other_of "$s")
        wait_both_idle
        jsonl=$OUT/slices-$s.jsonl
        lines0=$(cat "$jsonl" 2>/dev/null | wc -l)
        freezer_set "$o" FROZEN
        o0=$(cg_usage_us "${CG[$o]}")
        printf '%-9s %6s/s slice %2s ' "$s" "$rate" "${nslice[$s]}" >&2
        BENCH_LAT_DUMP=$OUT/lat-$s-$rate.txt load "$s" "$rate" "$SLICE_S" "$jsonl" \
            --clients "$CLIENTS" --mac-base "$MAC_BASE" --first-seq "${next_seq[$s]}" \
            --uuid-seed "$uuid_seed" --label slice="${nslice[$s]}" --label order="$order" \
            --label first_seq="${next_seq[$s]}" --label slice_s="$SLICE_S" \
            --label pin="${SERVER_CPUS:-any}/${CLIENT_CPUS:-any}" \
            --bg-max "$BG_MAX" --bg-wait "$BG_WAIT" >&2 || rc_all=1
        o1=$(cg_usage_us "${CG[$o]}")
        freezer_set "$o" THAWED
        other_ms=-
        [ -n "$o0" ] && [ -n "$o1" ] && other_ms=$(awk -v a="$o0" -v b="$o1" 'BEGIN {printf "%.1f", (b - a) / 1000}')
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$order" "$rate" "$s" "${nslice[$s]}" \
            "${next_seq[$s]}" "$IDLE_WAITED" "$IDLE_OK" "$other_ms" >>"$OUT/schedule.tsv"
        # the next slice of this server continues its MAC sequence where this one stopped
        if [ "$(wc -l <"$jsonl")" -gt "$lines0" ]; then
            sent=$(tail -n1 "$jsonl" | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["sent"])')
            next_seq[$s]=$((next_seq[$s] + sent))
        fi
        nslice[$s]=$((nslice[$s] + 1))
        order=$((order + 1))
        all_alive || { rc_all=1; break 2; }
    done
    unset next_seq nslice
done

thaw_all
for s in "${SERVERS[@]}"; do stop_tree "${SPID[$s]}"; forget_pid "${SPID[$s]}"; done
"$PYTHON" "$HERE/interleaved_pool.py" "$OUT" || rc_all=1
# the latency dumps (every answer's send time and latency; interleaved_pool.py reads them back)
if command -v xz >/dev/null; then xz -9f "$OUT"/lat-*.txt 2>/dev/null; else gzip -9f "$OUT"/lat-*.txt 2>/dev/null; fi
log "done: $OUT (rc=$rc_all)"
exit $rc_all
