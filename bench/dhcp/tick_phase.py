#!/usr/bin/env python3
"""Where in a 4 ms period the slow answers of interleaved runs were sent.

usage: tick_phase.py [--rate 1000] [--slow-ms 0.35] RUN_DIR [RUN_DIR ...]
For each run and server: the slice with the most answers slower than --slow-ms, and how its slow
answers fall over the eight eighths of a 4 ms period of wall-clock send time (the generator
sends every 1 ms, so half the eighths hold no sends). A disturbance tied to a periodic 250 Hz
event puts nearly all of them in one eighth; host noise of no period spreads them like the sends.

Latency dumps are not committed (bench/.gitignore): they stay on the machine that ran the
benchmark. Those of the runs committed before that can be restored from history:
    git restore --source=93557a6 --worktree -- bench/dhcp/results/<run>/
"""
import argparse
import collections
import lzma
import os
import sys

PERIOD_S = 0.004


def slices(path):
    with lzma.open(path, "rt") as f:
        rows = sorted(tuple(map(float, line.split())) for line in f if line.strip())
    out = [[]]
    for i, (t, lat) in enumerate(rows):
        if i and t - rows[i - 1][0] > 0.5:
            out.append([])
        out[-1].append((t, lat))
    return out


def eighth(t):
    return int((t % PERIOD_S) / PERIOD_S * 8)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rate", type=int, default=1000)
    ap.add_argument("--slow-ms", type=float, default=0.35)
    ap.add_argument("runs", nargs="+")
    args = ap.parse_args()
    slow_s = args.slow_ms / 1000
    print(f"| run | server | slow answers per slice | worst slice: slow by eighth of 4 ms |")
    print("|---|---|---|---|")
    for run in args.runs:
        for server in ("dnsmasq", "rackboot"):
            path = f"{run}/lat-{server}-{args.rate}.txt.xz"
            if not os.path.exists(path):
                sys.exit(f"{path}: no such latency dump.\n"
                         + __doc__[__doc__.index("Latency dumps are not committed"):])
            ss = slices(path)
            counts = [sum(lat > slow_s for _, lat in s) for s in ss]
            worst = ss[counts.index(max(counts))]
            by = collections.Counter(eighth(t) for t, lat in worst if lat > slow_s)
            name = run.rstrip("/").split("/")[-1]
            print(f"| {name} | {server} | {' '.join(map(str, counts))} | "
                  f"{' '.join(str(by[i]) for i in range(8))} |")


if __name__ == "__main__":
    main()
