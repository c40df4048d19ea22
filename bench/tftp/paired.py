#!/usr/bin/env python3
"""Paired view of repeated TFTP bench runs: per point, how often Rackboot moved at least as much
as a peer in the same repetition (servers run interleaved within a repetition, so a repetition
is a pair measured under the same minute of the host), and where the CPU went per MB moved.

Usage: bench/tftp/paired.py [--peer atftpd] [--conc 8] RESULT_DIR...
  RESULT_DIR: a bench/tftp/results/<run> directory (its lockstep/ and windowed/ results.jsonl).
Only unpinned points are read (pinned single transfers are a different measurement).
"""
import argparse
import collections
import json
import pathlib
import statistics


def rows(run_dirs):
    for run in run_dirs:
        for jsonl in sorted(pathlib.Path(run).glob('*/results.jsonl')):
            for line in jsonl.read_text().splitlines():
                if line.strip():
                    yield pathlib.Path(run).name, json.loads(line)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--peer', default='atftpd')
    ap.add_argument('--conc', type=int, action='append', help='concurrency (repeatable; default all)')
    ap.add_argument('runs', nargs='+')
    args = ap.parse_args()

    by_rep = collections.defaultdict(dict)   # point -> (run, rep) -> server -> row
    for run, r in rows(args.runs):
        if r['pin'] != 'any/any' or (args.conc and r['conc'] not in args.conc):
            continue
        point = (r['client'], r['blksize'], r['windowsize'], r['conc'])
        by_rep[point].setdefault((run, r['rep']), {})[r['server']] = r

    print(f'| client | blksize | windowsize | clients | pairs | Rackboot >= {args.peer} | '
          'ratio per pair (sorted) |')
    print('|---|---|---|---|---|---|---|')
    for point in sorted(by_rep):
        pairs = [s for s in by_rep[point].values() if 'rackboot' in s and args.peer in s]
        if not pairs:
            continue
        ratios = sorted(s['rackboot']['agg_MBps'] / s[args.peer]['agg_MBps'] for s in pairs)
        wins = sum(x >= 1 for x in ratios)
        print(f'| {point[0]} | {point[1]} | {point[2] or "-"} | {point[3]} | {len(pairs)} | '
              f'{wins} | {" ".join(f"{x:.2f}" for x in ratios)} |')

    print()
    print('| client | blksize | windowsize | clients | server | runs | MB/s | server ms/MB | '
          'client ms/MB | other ms/MB | machine busy % |')
    print('|---|---|---|---|---|---|---|---|---|---|---|')
    for point in sorted(by_rep):
        per_server = collections.defaultdict(list)
        for servers in by_rep[point].values():
            for name, r in servers.items():
                mb = r['ok'] * r['file_size'] / 1e6
                per_server[name].append((r['agg_MBps'], 1e3 * r['server_cpu_s'] / mb,
                                         1e3 * r['client_cpu_s'] / mb, 1e3 * r['other_cpu_s'] / mb,
                                         r['sys_busy_pct']))
        for name in sorted(per_server):
            xs = per_server[name]
            med = [statistics.median(x[i] for x in xs) for i in range(5)]
            print(f'| {point[0]} | {point[1]} | {point[2] or "-"} | {point[3]} | {name} | {len(xs)} | '
                  f'{med[0]:.1f} | {med[1]:.1f} | {med[2]:.1f} | {med[3]:.2f} | {med[4]:.0f} |')


if __name__ == '__main__':
    main()
