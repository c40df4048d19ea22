#!/usr/bin/env python3
"""Paired A/B of single pinned transfers: the quick check used while changing the per-block path.

Starts every server given (each on its own port, pinned to CPU 1), warms each with 32 fetches of
the 1M file, then fetches the 32M file ROUNDS times from each in turn (interleaved, so a slow
minute of the VM hits every server alike) with a client pinned to CPU 1 as well. Prints, per
server, the median MB/s (10^6 bytes), its range, the server's CPU ms/MB (/proc/PID/stat, all
threads, dead ones included) and the wall ms/MB (server + client + kernel, one CPU).

Usage (root, under the CPU lock; files from bench/harness, i.e. a run.sh run before):
  flock /tmp/rackboot-cpu.lock bench/tftp/ab.py ROUNDS BLKSIZE NAME='CMD {PORT} {ROOT}' ...
  WIN=16 ... uses the atftp client with that windowsize instead of busybox.
"""
import os
import signal
import statistics
import subprocess
import sys
import time

ROOT = os.environ.get("BENCH_DATA_DIR", "/tmp/pxe-bench/tftp-root")
MB = 33554432 / 1e6
TICK = os.sysconf("SC_CLK_TCK")


def cpu_s(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / TICK


def fetch(port, blk, name):
    out = f"/dev/shm/ab-{port}"
    if os.environ.get("WIN"):
        cmd = ["atftp", "--option", f"blksize {blk}", "--option", f"windowsize {os.environ['WIN']}",
               "-g", "-r", name, "-l", out, "127.0.0.1", str(port)]
    else:
        cmd = ["busybox", "tftp", "-g", "-b", blk, "-r", name, "-l", out, "127.0.0.1", str(port)]
    t = time.perf_counter()
    subprocess.run(["taskset", "-c", "1"] + cmd, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def main():
    rounds, blk = int(sys.argv[1]), sys.argv[2]
    specs = [a.split("=", 1) for a in sys.argv[3:]]
    procs = []
    try:
        for i, (name, cmd) in enumerate(specs):
            port = 7100 + i
            line = cmd.replace("{PORT}", str(port)).replace("{ROOT}", ROOT)
            p = subprocess.Popen(["taskset", "-c", "1", "sh", "-c", "exec " + line],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            procs.append((name, port, p))
        time.sleep(3)
        for _, port, _ in procs:
            for _ in range(32):
                fetch(port, blk, "bench-1M.bin")
        res = {name: [] for name, _, _ in procs}
        for _ in range(rounds):
            for name, port, p in procs:
                c0 = cpu_s(p.pid)
                wall = fetch(port, blk, "bench-32M.bin")
                res[name].append((MB / wall, (cpu_s(p.pid) - c0) * 1000 / MB, wall * 1000 / MB))
        for name, v in res.items():
            rate = [x[0] for x in v]
            print(f"{name:14s} MB/s median {statistics.median(rate):6.2f} "
                  f"(min {min(rate):.2f} max {max(rate):.2f})  "
                  f"server ms/MB {statistics.median(x[1] for x in v):5.1f}  "
                  f"wall ms/MB {statistics.median(x[2] for x in v):5.1f}")
    finally:
        for _, _, p in procs:
            p.send_signal(signal.SIGTERM)
        for _, _, p in procs:
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()


if __name__ == "__main__":
    main()
