#!/usr/bin/env python3
"""Pools several interleaved proxy-DHCP runs (bench/dhcp/run-interleaved.sh) into one table.

usage: pool_runs.py RUN_DIR [RUN_DIR ...]
Every answered DISCOVER of every slice of every run given, per server and offered rate (the
runs' lat-SERVER-RATE.txt.xz dumps), and the percentiles of that pooled list. One run's p99 at
1,000/s rests on its 100 slowest answers out of 10,000, and a few tens of milliseconds of a slow
host in one server's slices move it; pooling runs taken the same way gives the tail more answers.
"""
import glob
import lzma
import os
import re
import sys


def latencies(path):
    with lzma.open(path, "rt") as f:
        return [float(line.split()[1]) for line in f if line.strip()]


def pct(sorted_values, q):
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * q))]


def main(runs):
    pooled = {}
    for run in runs:
        for path in glob.glob(os.path.join(run, "lat-*-*.txt.xz")):
            server, rate = re.match(r"lat-(\w+)-(\d+)\.txt\.xz", os.path.basename(path)).groups()
            pooled.setdefault((int(rate), server), []).extend(latencies(path))
    print(f"Pooled over {len(runs)} runs: " + ", ".join(os.path.basename(r.rstrip('/')) for r in runs))
    print()
    print("| offered/s | server | answers | p50 ms | p99 ms | p99.9 ms | max ms |")
    print("|---|---|---|---|---|---|---|")
    for (rate, server), values in sorted(pooled.items()):
        values.sort()
        print(f"| {rate:,} | {server} | {len(values):,} | {pct(values, 0.5) * 1e3:.3f} "
              f"| {pct(values, 0.99) * 1e3:.3f} | {pct(values, 0.999) * 1e3:.3f} "
              f"| {values[-1] * 1e3:.1f} |")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
