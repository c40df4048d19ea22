#!/usr/bin/env python3
"""Issue 4's targets, point by point, from one results directory of bench/tftp/run.sh.

Usage: bench/tftp/targets.py bench/tftp/results/<stamp>-<profile>
Medians over repetitions; 32M rows only (the 1M rows are the single-transfer warm-up).
MB = 10^6 bytes; CPU ms/MB = server cgroup CPU time / bytes moved.
"""
import collections
import json
import pathlib
import statistics
import sys


def load(out):
    rows = collections.defaultdict(list)
    for f in sorted(pathlib.Path(out).glob("*/results.jsonl")):
        for line in f.open():
            r = json.loads(line)
            if r.get("size") != "32M" or r.get("failed"):
                continue
            key = (r["server"], r["client"], r["blksize"], r.get("windowsize") or 0, r["conc"])
            mb = r["ok"] * r["file_size"] / 1e6
            rows[key].append((r["agg_MBps"], 1000 * r["server_cpu_s"] / mb, r.get("pin", "")))
    return {k: (statistics.median(v[0] for v in vs), statistics.median(v[1] for v in vs),
                vs[0][2]) for k, vs in rows.items()}


def main(out):
    m = load(out)
    peers = ("tftpd-hpa", "atftpd", "dnsmasq")
    print("### Lock-step (busybox client): throughput and server CPU\n")
    print("| blksize | clients | pinned | Rackboot MB/s | best peer MB/s | >= best? "
          "| Rackboot CPU ms/MB | dnsmasq CPU ms/MB | <= dnsmasq? |")
    print("|---|---|---|---|---|---|---|---|---|")
    best_lockstep = {}
    for bs in (512, 1468):
        for c in (1, 8, 64):
            rb = m.get(("rackboot", "busybox", bs, 0, c))
            pr = [(m[(p, "busybox", bs, 0, c)][0], p) for p in peers
                  if (p, "busybox", bs, 0, c) in m]
            dn = m.get(("dnsmasq", "busybox", bs, 0, c))
            if not rb or not pr:
                continue
            best = max(pr)
            best_lockstep[(bs, c)] = best
            print(f"| {bs} | {c} | {rb[2] if rb[2] != 'any/any' else 'no'} | {rb[0]:.1f} "
                  f"| {best[0]:.1f} {best[1]} | {'yes' if rb[0] >= best[0] else 'no'} "
                  f"| {rb[1]:.1f} | {dn[1]:.1f} | {'yes' if dn and rb[1] <= dn[1] else 'no'} |")
    print("\n### Windowed (atftp client, blksize 1468): Rackboot vs atftpd\n")
    print("| windowsize | clients | pinned | Rackboot MB/s | atftpd MB/s | ratio | >= 1? "
          "| Rackboot CPU ms/MB | atftpd CPU ms/MB |")
    print("|---|---|---|---|---|---|---|---|---|")
    for w in (1, 4, 16):
        for c in (1, 8, 64):
            rb = m.get(("rackboot", "atftp", 1468, w, c))
            at = m.get(("atftpd", "atftp", 1468, w, c))
            if not rb or not at:
                continue
            r = rb[0] / at[0]
            print(f"| {w} | {c} | {rb[2] if rb[2] != 'any/any' else 'no'} | {rb[0]:.1f} "
                  f"| {at[0]:.1f} | {r:.2f} | {'yes' if r >= 1 else 'no'} | {rb[1]:.1f} "
                  f"| {at[1]:.1f} |")
    print("\n### Windowsize 16 targets\n")
    print("| clients | Rackboot ws16 MB/s | / atftpd ws16 (target >= 1.2) "
          "| / best lock-step peer at 1468 (target >= 2) |")
    print("|---|---|---|---|")
    for c in (1, 8, 64):
        rb = m.get(("rackboot", "atftp", 1468, 16, c))
        at = m.get(("atftpd", "atftp", 1468, 16, c))
        bl = best_lockstep.get((1468, c))
        if not rb or not at or not bl:
            continue
        print(f"| {c} | {rb[0]:.1f} | {rb[0] / at[0]:.2f} ({at[0]:.1f}) "
              f"| {rb[0] / bl[0]:.2f} ({bl[0]:.1f} {bl[1]}) |")


if __name__ == "__main__":
    main(sys.argv[1])
