#!/usr/bin/env python3
"""Userspace impairing relay for the TFTP loss test.

This kernel has no sch_netem, so instead of `tc qdisc ... netem` two network namespaces are
joined by two TUN devices (one in each namespace) and this process copies IP packets between
them, dropping, duplicating and reordering them with a seeded random generator.

A client's RRQ (UDP to port 69, opcode 1) is never duplicated: a repeated RRQ makes common
servers start a second transfer (STACK.md). RRQs are not dropped either, so the test's run time
does not depend on each client's (multi-second) request retry timer.

usage: impair-relay.py NS_A TUN_A NS_B TUN_B SEED DROP DUP REORDER STATS_FILE MAX_SECONDS
Prints "ready" once both TUN devices exist; writes counters to STATS_FILE on SIGTERM or at the
deadline.
"""
import ctypes
import fcntl
import os
import random
import select
import signal
import struct
import sys
import time

CLONE_NEWNET = 0x40000000
TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
REORDER_HOLD_S = 0.02

libc = ctypes.CDLL(None, use_errno=True)


def enter_netns(name):
    fd = os.open("/run/netns/" + name, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, "setns %s: %s" % (name, os.strerror(err)))
    finally:
        os.close(fd)


def open_tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


def is_rrq(pkt):
    # IPv4, protocol 17 (UDP), destination port 69, TFTP opcode 1.
    if len(pkt) < 28 or pkt[0] >> 4 != 4 or pkt[9] != 17:
        return False
    ihl = (pkt[0] & 0x0F) * 4
    if len(pkt) < ihl + 10:
        return False
    dport = struct.unpack_from("!H", pkt, ihl + 2)[0]
    opcode = struct.unpack_from("!H", pkt, ihl + 8)[0]
    return dport == 69 and opcode == 1


def main():
    ns_a, tun_a, ns_b, tun_b, seed, drop, dup, reorder, stats_file, max_s = sys.argv[1:11]
    drop, dup, reorder = float(drop), float(dup), float(reorder)
    enter_netns(ns_a)
    fa = open_tun(tun_a)
    enter_netns(ns_b)
    fb = open_tun(tun_b)
    rnd = random.Random(int(seed))
    counts = {"packets": 0, "dropped": 0, "duplicated": 0, "reordered": 0, "rrq": 0}
    held = {fa: None, fb: None}  # per output: (packet, release time)
    deadline = time.monotonic() + float(max_s)
    stop = []

    def write_stats(*_):
        with open(stats_file, "w") as f:
            f.write(" ".join("%s=%d" % kv for kv in counts.items()) + "\n")
        stop.append(1)

    signal.signal(signal.SIGTERM, write_stats)
    print("ready", flush=True)

    def send(out, pkt, now):
        if held[out] is None and rnd.random() < reorder:
            held[out] = (pkt, now + REORDER_HOLD_S)
            counts["reordered"] += 1
            return
        os.write(out, pkt)
        if held[out] is not None:
            # The held packet goes out after a later one: reordered.
            os.write(out, held[out][0])
            held[out] = None

    while not stop and time.monotonic() < deadline:
        try:
            ready, _, _ = select.select([fa, fb], [], [], 0.005)
        except InterruptedError:
            continue
        now = time.monotonic()
        for fd in ready:
            try:
                pkt = os.read(fd, 65536)
            except OSError:
                continue
            out = fb if fd == fa else fa
            counts["packets"] += 1
            try:
                if is_rrq(pkt):
                    counts["rrq"] += 1
                    os.write(out, pkt)
                    continue
                if rnd.random() < drop:
                    counts["dropped"] += 1
                    continue
                send(out, pkt, now)
                if rnd.random() < dup:
                    counts["duplicated"] += 1
                    send(out, pkt, now)
            except OSError:
                pass  # the far side's device is down for a moment; the packet is lost
        for out, h in held.items():
            if h is not None and h[1] <= now:
                try:
                    os.write(out, h[0])
                except OSError:
                    pass
                held[out] = None
    if not stop:
        write_stats()


if __name__ == "__main__":
    main()
