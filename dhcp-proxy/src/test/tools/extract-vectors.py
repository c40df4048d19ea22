#!/usr/bin/env python3
"""Lists / extracts DHCP payloads (UDP 67, 68, 4011) from a classic pcap.

  extract-vectors.py CAPTURE.pcap                 # list: index, ports, message type, size
  extract-vectors.py CAPTURE.pcap INDEX OUT.hex   # write payload INDEX as hex, 32 bytes a line
"""
import struct
import sys


def packets(path):
    with open(path, 'rb') as f:
        data = f.read()
    magic = struct.unpack('<I', data[:4])[0]
    endian = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
    linktype = struct.unpack(endian + 'I', data[20:24])[0]
    off = 24
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack(endian + 'IIII', data[off:off + 16])
        frame = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if linktype == 1:
            eth_type = struct.unpack('>H', frame[12:14])[0]
            ip = frame[14:] if eth_type == 0x0800 else None
        elif linktype == 113:  # Linux cooked
            ip = frame[16:]
        else:
            ip = None
        if not ip or ip[9] != 17:
            continue
        ihl = (ip[0] & 15) * 4
        src = '.'.join(map(str, ip[12:16]))
        dst = '.'.join(map(str, ip[16:20]))
        sport, dport, ulen = struct.unpack('>HHH', ip[ihl:ihl + 6])
        if not ({sport, dport} & {67, 68, 4011}):
            continue
        yield src, sport, dst, dport, ip[ihl + 8:ihl + ulen]


def msgtype(p):
    i = 240
    while i < len(p):
        c = p[i]
        if c == 0:
            i += 1
            continue
        if c == 255:
            break
        if c == 53:
            return p[i + 2]
        i += 2 + p[i + 1]
    return None


pk = list(packets(sys.argv[1]))
if len(sys.argv) == 2:
    for n, (s, sp, d, dp, p) in enumerate(pk):
        print(n, f'{s}:{sp} -> {d}:{dp}', 'type', msgtype(p), 'len', len(p))
else:
    p = pk[int(sys.argv[2])][4]
    with open(sys.argv[3], 'w') as f:
        for i in range(0, len(p), 32):
            f.write(p[i:i + 32].hex() + '\n')
