#!/usr/bin/env python3
"""Pools the slices of an interleaved proxy-DHCP run (bench/dhcp/run-interleaved.sh).

usage: interleaved_pool.py OUT_DIR
Reads OUT_DIR/slices-SERVER.jsonl (one pxe_load.py record per slice), the latency dumps
OUT_DIR/lat-SERVER-RATE.txt[.xz|.gz] ("send_epoch latency_s" per answered DISCOVER, all slices of
that server at that rate) and OUT_DIR/schedule.tsv (what ran when, the idle wait before it, the
other server's CPU during it). Writes OUT_DIR/results.jsonl (one pooled record per server and
rate; the fields summarize.py's dhcp table reads) and OUT_DIR/summary.md.

Latency dumps are not committed (bench/.gitignore): they stay on the machine that ran the
benchmark. Those of the runs committed before that can be restored from history:
    git restore --source=93557a6 --worktree -- bench/dhcp/results/<run>/
Without a server's dump at a rate it stops before writing anything, so a committed run's
summary is never replaced by one without latencies.
"""
import glob
import gzip
import json
import lzma
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "harness", "lib"))
import benchutil as bu  # noqa: E402

NAMES = {"dnsmasq": "dnsmasq", "rackboot": "Rackboot"}


def read_lat(path):
    """(all latencies sorted, the latencies of answers sent later than 100 ms after their
    slice's first send, sorted): the second shows what the slices' starts (a server idle
    for a few seconds before each) add to the tail."""
    opener = (gzip.open if path.endswith(".gz") else lzma.open if path.endswith(".xz")
              else open)
    with opener(path, "rt") as f:
        pts = sorted(tuple(map(float, line.split()[:2])) for line in f if line.strip())
    steady, start, prev = [], None, None
    for t, d in pts:
        if prev is None or t - prev > 0.5:   # slices are >= 1 s apart
            start = t
        prev = t
        if t - start >= 0.1:
            steady.append(d)
    return sorted(d for _, d in pts), sorted(steady)


def fmt(v, nd=3):
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:,.{nd}f}"
    return f"{v:,}" if isinstance(v, int) else str(v)


def main(out):
    recs = []
    for fn in sorted(glob.glob(os.path.join(out, "slices-*.jsonl"))):
        with open(fn) as f:
            recs += [json.loads(line) for line in f if line.strip()]
    sched = []
    sp = os.path.join(out, "schedule.tsv")
    if os.path.exists(sp):
        with open(sp) as f:
            hdr = f.readline().split()
            sched = [dict(zip(hdr, line.split())) for line in f if line.strip()]
    groups = {}
    for r in recs:
        groups.setdefault((r["server"], r["rate"]), []).append(r)
    servers = sorted({k[0] for k in groups}, key=lambda s: (s != "dnsmasq", s))
    rates = sorted({k[1] for k in groups})
    pooled = []
    for s in servers:
        for rate in rates:
            g = sorted(groups.get((s, rate), []), key=lambda r: int(r.get("slice", 0)))
            if not g:
                continue
            lf = [p for p in (os.path.join(out, f"lat-{s}-{rate:g}.txt{z}") for z in ("", ".xz", ".gz"))
                  if os.path.exists(p)]
            if not lf:
                sys.exit(f"{out}: no lat-{s}-{rate:g}.txt[.xz|.gz] latency dump; nothing written.\n"
                         + __doc__[__doc__.index("Latency dumps are not committed"):])
            lat, steady = read_lat(lf[0])
            sent = sum(r["sent"] for r in g)
            offers = sum(r["offers"] for r in g)
            dur = sum(r["duration_s"] for r in g)
            srv = [r.get("server_cpu_s") for r in g]
            srv_sum = sum(srv) if None not in srv else None
            ms = (lambda v: round(v * 1000, 3) if v is not None else None)
            sch = [x for x in sched if x.get("server") == s and float(x.get("rate", -1)) == rate]
            other = [float(x["other_cpu_ms"]) for x in sch if x.get("other_cpu_ms") not in (None, "-")]
            rec = {
                "ts": time.strftime("%Y-%m-%dT%H:%M:%S"), "bench": "interleaved",
                "tool": "pxe_load.py", "mode": g[0].get("mode"), "dest": g[0].get("dest"),
                "server": s, "rep": "1", "rate": rate, "slices": len(g),
                "slice_s": g[0].get("slice_s"), "clients": g[0].get("clients"),
                "pin": g[0].get("pin"),
                "duration_s": round(dur, 3), "sent": sent, "offers": offers,
                "sent_per_s": round(sent / dur, 1) if dur else None,
                "offers_per_s": round(offers / dur, 1) if dur else None,
                "drop_pct": round(100 * (sent - offers) / sent, 3) if sent else None,
                "pooled_latencies": len(lat),
                "lat_p50_ms": ms(bu.pct(lat, 50)), "lat_p90_ms": ms(bu.pct(lat, 90)),
                "lat_p99_ms": ms(bu.pct(lat, 99)), "lat_p999_ms": ms(bu.pct(lat, 99.9)),
                "lat_avg_ms": ms(sum(lat) / len(lat) if lat else None),
                "lat_max_ms": ms(lat[-1] if lat else None),
                "lat_p99_after_100ms_ms": ms(bu.pct(steady, 99)),
                "lat_clock": g[0].get("lat_clock"),
                # recvfrom latencies are not dumped, so they cannot be pooled: the slices' median
                "app_lat_p99_ms": statistics.median(r["app_lat_p99_ms"] for r in g
                                                    if r.get("app_lat_p99_ms") is not None)
                if any(r.get("app_lat_p99_ms") is not None for r in g) else None,
                "client_cpu_s": round(sum(r["client_cpu_s"] for r in g), 3),
                "server_cpu_s": round(srv_sum, 3) if srv_sum is not None else None,
                "server_cpu_us_per_offer": round(srv_sum * 1e6 / offers, 1)
                if srv_sum is not None and offers else None,
                "sys_busy_pct": round(statistics.mean(r["sys_busy_pct"] for r in g), 1),
                "bg_busy_pct": round(statistics.mean(r["bg_busy_pct"] for r in g
                                                     if r.get("bg_busy_pct") is not None), 1)
                if any(r.get("bg_busy_pct") is not None for r in g) else None,
                "steal_pct": round(statistics.mean(r["steal_pct"] for r in g), 2),
                "steal_pct_max": max(r["steal_pct"] for r in g),
                "slice_p99_ms": [r.get("lat_p99_ms") for r in g],
                "slice_drop_pct": [r.get("drop_pct") for r in g],
                "slice_steal_pct": [r.get("steal_pct") for r in g],
                "other_server_cpu_ms": [round(v, 1) for v in other],
                "idle_wait_s": [int(x["idle_wait_s"]) for x in sch if x.get("idle_wait_s", "-") != "-"],
                "idle_timeouts": sum(1 for x in sch if x.get("idle") == "0"),
                "rcvbuf_drops_server_ns": sum(r.get("udp_server_ns", {}).get("RcvbufErrors", 0) for r in g),
                "rcvbuf_drops_client_ns": sum(r.get("udp_client_ns", {}).get("RcvbufErrors", 0) for r in g),
            }
            for c in ("late", "dup", "unknown", "non_offer", "invalid_proxy", "send_err"):
                rec[c] = sum(r.get(c, 0) for r in g)
            if lat and len(lat) != offers:
                rec["warning"] = f"{len(lat)} dumped latencies for {offers} offers"
            pooled.append(rec)
    with open(os.path.join(out, "results.jsonl"), "w") as f:
        for r in pooled:
            f.write(json.dumps(r, sort_keys=True) + "\n")

    L = []
    L.append("Pooled over all slices of a server at a rate (latencies: every answer of every "
             "slice; p50/p99/max from the pooled list).\n")
    L.append("| server | offered/s | slices | sent | answers | drop % | p50 ms | p99 ms | p99.9 ms "
             "| max ms | server CPU us/answer | steal % mean (max) | rcvbuf drops |")
    L.append("|" + "---|" * 13)
    for r in pooled:
        L.append(f"| {NAMES.get(r['server'], r['server'])} | {r['rate']:,.0f} | {r['slices']} "
                 f"| {r['sent']:,} | {r['offers']:,} | {fmt(r['drop_pct'], 2)} "
                 f"| {fmt(r['lat_p50_ms'])} | {fmt(r['lat_p99_ms'])} | {fmt(r['lat_p999_ms'])} "
                 f"| {fmt(r['lat_max_ms'], 1)} | {fmt(r['server_cpu_us_per_offer'], 1)} "
                 f"| {fmt(r['steal_pct'], 2)} ({fmt(r['steal_pct_max'], 2)}) "
                 f"| {r['rcvbuf_drops_server_ns']:,} |")
    L.append("")
    L.append("Side by side:\n")
    L.append("| offered/s | dnsmasq p50 / p99 ms | Rackboot p50 / p99 ms | dnsmasq drop % "
             "| Rackboot drop % |")
    L.append("|---|---|---|---|---|")
    by = {(r["server"], r["rate"]): r for r in pooled}
    for rate in rates:
        d, k = by.get(("dnsmasq", rate)), by.get(("rackboot", rate))
        if not d or not k:
            continue
        L.append(f"| {rate:,.0f} | {fmt(d['lat_p50_ms'])} / {fmt(d['lat_p99_ms'])} "
                 f"| {fmt(k['lat_p50_ms'])} / {fmt(k['lat_p99_ms'])} "
                 f"| {fmt(d['drop_pct'], 2)} | {fmt(k['drop_pct'], 2)} |")
    L.append("")
    L.append("Per-slice p99 (ms, in the order the server's slices ran) and the spread:\n")
    L.append("| server | offered/s | slice p99s ms | min | median | max "
             "| pooled p99 without each slice's first 100 ms | slice steal % max "
             "| other server's CPU during a slice, max ms | idle waits that hit the bound |")
    L.append("|" + "---|" * 10)
    for r in pooled:
        p = [v for v in r["slice_p99_ms"] if v is not None]
        L.append(f"| {NAMES.get(r['server'], r['server'])} | {r['rate']:,.0f} "
                 f"| {' '.join(fmt(v) for v in r['slice_p99_ms'])} "
                 f"| {fmt(min(p)) if p else '-'} | {fmt(statistics.median(p)) if p else '-'} "
                 f"| {fmt(max(p)) if p else '-'} | {fmt(r['lat_p99_after_100ms_ms'])} "
                 f"| {fmt(max(r['slice_steal_pct']), 2)} "
                 f"| {fmt(max(r['other_server_cpu_ms']), 1) if r['other_server_cpu_ms'] else '-'} "
                 f"| {r['idle_timeouts']} |")
    for r in pooled:
        if r.get("warning"):
            L.append(f"\nwarning ({r['server']} {r['rate']:g}/s): {r['warning']}")
    txt = "\n".join(L) + "\n"
    with open(os.path.join(out, "summary.md"), "w") as f:
        f.write(txt)
    print(txt, end="")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
