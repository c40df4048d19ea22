#!/usr/bin/env python3
"""Pools several interleaved proxy-DHCP runs (bench/dhcp/run-interleaved.sh) into one table.

usage: pool_runs.py [--bootstrap DRAWS [--bootstrap-rates 1000,5000]] RUN_DIR [RUN_DIR ...]
Every answered DISCOVER of every slice of every run given, per server and offered rate (the
runs' lat-SERVER-RATE.txt.xz dumps), and the percentiles of that pooled list. One run's p99 at
1,000/s rests on its 100 slowest answers out of 10,000, and a few tens of milliseconds of a slow
host in one server's slices move it; pooling runs taken the same way gives the tail more answers.

--bootstrap DRAWS: also resample each server's slices with replacement DRAWS times (a slice is
a run of answers without a gap over 0.5 s: the dumps hold send times) and print, per rate, the
pooled p99 of Rackboot minus dnsmasq's with its 95 % interval: whether the difference is there
or could be the slices the host happened to slow down. --bootstrap-rates limits it to those
rates (each draw sorts every pooled answer again: at 20,000/s and up that takes minutes).

Latency dumps are not committed (bench/.gitignore): they stay on the machine that ran the
benchmark. Those of the runs committed before that can be restored from history:
    git restore --source=93557a6 --worktree -- bench/dhcp/results/<run>/
"""
import glob
import lzma
import os
import random
import re
import sys

SLICE_GAP_S = 0.5
NO_DUMPS = __doc__[__doc__.index("Latency dumps are not committed"):]


def answers(path):
    """(send time, latency) of every answer in a dump, by send time."""
    with lzma.open(path, "rt") as f:
        return sorted(tuple(map(float, line.split())) for line in f if line.strip())


def slices(rows):
    out = [[]]
    for i, (t, lat) in enumerate(rows):
        if i and t - rows[i - 1][0] > SLICE_GAP_S:
            out.append([])
        out[-1].append(lat)
    return out


def pct(sorted_values, q):
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * q))]


def p99(slice_list):
    return pct(sorted(x for s in slice_list for x in s), 0.99)


def main(args):
    draws, boot_rates = 0, None
    while args[:1] and args[0].startswith("--"):
        if args[0] == "--bootstrap":
            draws = int(args[1])
        elif args[0] == "--bootstrap-rates":
            boot_rates = {int(r) for r in args[1].split(",")}
        else:
            sys.exit(f"unknown option {args[0]}\n{__doc__}")
        args = args[2:]
    runs = args
    pooled = {}
    for run in runs:
        dumps = glob.glob(os.path.join(run, "lat-*-*.txt.xz"))
        if not dumps:
            sys.exit(f"{run}: no lat-*-*.txt.xz latency dumps here.\n{NO_DUMPS}")
        for path in dumps:
            server, rate = re.match(r"lat-(\w+)-(\d+)\.txt\.xz", os.path.basename(path)).groups()
            pooled.setdefault((int(rate), server), []).extend(slices(answers(path)))
    print(f"Pooled over {len(runs)} runs: "
          + ", ".join(os.path.basename(r.rstrip("/")) for r in runs))
    print()
    print("| offered/s | server | slices | answers | p50 ms | p99 ms | p99.9 ms | max ms |")
    print("|---|---|---|---|---|---|---|---|")
    for (rate, server), sl in sorted(pooled.items()):
        values = sorted(x for s in sl for x in s)
        print(f"| {rate:,} | {server} | {len(sl)} | {len(values):,} "
              f"| {pct(values, 0.5) * 1e3:.3f} | {pct(values, 0.99) * 1e3:.3f} "
              f"| {pct(values, 0.999) * 1e3:.3f} | {values[-1] * 1e3:.1f} |")
    if draws:
        rng = random.Random(1)
        print()
        print(f"Bootstrap over slices ({draws} draws): Rackboot's pooled p99 minus dnsmasq's")
        print()
        print("| offered/s | observed ms | 95 % interval ms | draws below 0 |")
        print("|---|---|---|---|")
        for rate in sorted({r for r, _ in pooled if boot_rates is None or r in boot_rates}):
            a, b = pooled.get((rate, "dnsmasq")), pooled.get((rate, "rackboot"))
            if not a or not b:
                continue
            diffs = sorted(p99([rng.choice(b) for _ in b]) - p99([rng.choice(a) for _ in a])
                           for _ in range(draws))
            lo, hi = pct(diffs, 0.025), pct(diffs, 0.975)
            below = sum(d < 0 for d in diffs) / draws
            print(f"| {rate:,} | {(p99(b) - p99(a)) * 1e3:+.3f} | {lo * 1e3:+.3f} .. "
                  f"{hi * 1e3:+.3f} | {below:.0%} |")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
