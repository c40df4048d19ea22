#!/usr/bin/env python3
"""A PXE client on one interface: broadcasts a DISCOVER shaped like EDK2's (arch 7, vendor
class PXEClient, UUID, broadcast flag) from 0.0.0.0:68 and prints the first proxy OFFER (one
with option 60 PXEClient) as JSON. Bounded: --tries DISCOVERs, --wait seconds each.

  pxe-client.py --iface cli0 --mac 52:54:00:79:00:01
"""
import argparse
import json
import os
import socket
import struct
import sys
import time


def discover(mac, xid):
    hdr = struct.pack('!BBBBIHH4s4s4s4s16s64s128s', 1, 1, 6, 0, xid, 0, 0x8000,
                      bytes(4), bytes(4), bytes(4), bytes(4), mac + bytes(10), b'', b'')
    vc = b'PXEClient:Arch:00007:UNDI:003000'
    opts = (b'\x63\x82\x53\x63' + b'\x35\x01\x01' + b'\x39\x02\x05\xc0'
            + b'\x37\x05\x01\x03\x2b\x3c\x43'
            + b'\x61\x11\x00' + b'\x30\x42\x41\x4c\x00\x00\x00\x40\x80\x00' + mac
            + b'\x5e\x03\x01\x03\x00' + b'\x5d\x02\x00\x07'
            + bytes([60, len(vc)]) + vc + b'\xff')
    return hdr + opts


def options(p):
    out, i = {}, 240
    while i < len(p) and p[i] != 255:
        if p[i] == 0:
            i += 1
            continue
        out[p[i]] = out.get(p[i], b'') + p[i + 2:i + 2 + p[i + 1]]
        i += 2 + p[i + 1]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--iface', required=True)
    ap.add_argument('--mac', required=True)
    ap.add_argument('--tries', type=int, default=5)
    ap.add_argument('--wait', type=float, default=2.0)
    a = ap.parse_args()
    mac = bytes.fromhex(a.mac.replace(':', ''))
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    # SO_BINDTODEVICE: no address and no route here, the interface is the only way out.
    s.setsockopt(socket.SOL_SOCKET, 25, a.iface.encode())
    s.bind(('0.0.0.0', 68))
    for attempt in range(a.tries):
        xid = struct.unpack('!I', os.urandom(4))[0]
        s.sendto(discover(mac, xid), ('255.255.255.255', 67))
        deadline = time.time() + a.wait
        while time.time() < deadline:
            s.settimeout(max(0.05, deadline - time.time()))
            try:
                p, src = s.recvfrom(2048)
            except socket.timeout:
                break
            if len(p) < 240 or p[0] != 2 or struct.unpack('!I', p[4:8])[0] != xid:
                continue
            o = options(p)
            if not o.get(60, b'').startswith(b'PXEClient'):
                continue  # an offer from a plain DHCP server, if any
            file = p[108:236].split(b'\0')[0].decode('latin-1') or o.get(67, b'').decode('latin-1')
            print(json.dumps({'ok': True, 'from': '%s:%d' % src, 'attempt': attempt + 1,
                              'type': o.get(53, b'\0')[0], 'yiaddr': socket.inet_ntoa(p[16:20]),
                              'siaddr': socket.inet_ntoa(p[20:24]),
                              'giaddr': socket.inet_ntoa(p[24:28]), 'file': file,
                              'opt43': o.get(43, b'').hex(), 'opt54': socket.inet_ntoa(o[54])
                              if 54 in o else None}))
            return 0
    print(json.dumps({'ok': False, 'error': 'no proxy offer after %d tries' % a.tries}))
    return 1


sys.exit(main())
