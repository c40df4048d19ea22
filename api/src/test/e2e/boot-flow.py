#!/usr/bin/env python3
"""Helpers of boot-flow.sh: reads Rackboot's API answers (JSON on stdin or in files).

  boot-flow.py facts FACTS.json MAC MEM_MIB CPUS DISK_BYTES   check reported facts against the VM
  boot-flow.py timeline EVENTS.json HOST_EVENTS.json MAC T0 LABEL   phase times of one boot
  boot-flow.py field FILE.json PATH                            print one field (a.b.c)
"""
import json
import sys
from datetime import datetime


def load(path):
    with open(path) as f:
        return json.load(f)


def facts(path, mac, mem_mib, cpus, disk_bytes):
    """Checks the facts as the inventory stores them (GET /api/v1/hosts/{id}/facts)."""
    f = load(path)["facts"]
    problems = []
    macs = [n.get("mac", "").lower() for n in f.get("nics", [])]
    if mac.lower() not in macs:
        problems.append(f"mac {mac} not in {macs}")
    mem = int(f.get("memoryBytes") or 0)
    # The kernel keeps some memory for itself: MemTotal is a bit below what QEMU gives.
    if not (int(mem_mib) * 2**20 * 0.75 <= mem <= int(mem_mib) * 2**20):
        problems.append(f"memory {mem} bytes does not fit a {mem_mib} MiB VM")
    if int((f.get("cpu") or {}).get("count") or -1) != int(cpus):
        problems.append(f"cpu {f.get('cpu')} is not {cpus}")
    sizes = [int(d.get("sizeBytes") or 0) for d in f.get("disks", [])]
    if int(disk_bytes) not in sizes:
        problems.append(f"no disk of {disk_bytes} bytes in {sizes}")
    if problems:
        print("facts mismatch: " + "; ".join(problems))
        return 1
    print(f"facts ok: mac {mac}, {mem} bytes of memory, {cpus} cpu, disk {disk_bytes} bytes")
    return 0


def ts(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def timeline(path, host_path, mac, t0, label):
    events = load(path).get("items", [])
    host_events = load(host_path).get("items", [])
    t0 = float(t0)
    mac = mac.lower()
    ip = None
    marks = {}

    def mark(name, e):
        t = ts(e["occurredAt"])
        if t >= t0 and name not in marks:
            marks[name] = t - t0

    for e in events:
        if e["subject"] == mac and e["type"] == "boot.script":
            after = e.get("after") or {}
            if ts(e["occurredAt"]) >= t0:
                ip = ip or after.get("client")
    for e in events:
        typ, subj = e["type"], e.get("subject")
        if typ == "boot.dhcp" and subj == mac:
            mark("dhcp", e)
        elif typ == "boot.tftp" and ip and subj == ip:
            mark("tftp", e)
        elif typ == "boot.script" and subj == mac:
            mark("http-script", e)
        elif typ == "boot.http" and ip and subj == ip and "initrd" in json.dumps(e.get("after")):
            mark("http-initrd", e)
    # What the agent did is on its host; several VMs boot at once, so not from the global list.
    for e in host_events:
        typ = e["type"]
        if typ in ("host.discovered", "host.facts_reported"):
            mark("agent-report", e)
        elif typ == "boot.plan":
            mark("install-plan", e)
        elif typ in ("boot.install_succeeded", "boot.install_failed"):
            mark("install-result", e)
    order = ["dhcp", "tftp", "http-script", "http-initrd", "agent-report", "install-plan",
             "install-result"]
    print("PHASES " + label + " " + " ".join(f"{k}=+{marks[k]:.1f}s" for k in order if k in marks))
    return 0


def field(path, dotted):
    v = load(path)
    for part in dotted.split("."):
        v = v[int(part)] if isinstance(v, list) else v[part]
    print(v if not isinstance(v, (dict, list)) else json.dumps(v))
    return 0


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    sys.exit({"facts": facts, "timeline": timeline, "field": field}[cmd](*args))
