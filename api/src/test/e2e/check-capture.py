#!/usr/bin/env python3
"""Checks a capture of the e2e bridge for each VM's boot steps that Rackboot controls:

  offer  a proxy reply (OFFER on 67 or ACK on 4011) from SERVER to the VM's MAC, yiaddr
         0.0.0.0, naming the expected boot file
  fetch  the VM then asks SERVER for exactly that file: a TFTP RRQ (tftp:NAME) or an HTTP GET
         (http:PATH)

  check-capture.py PCAP SERVER NAME,MAC,VIA,FILE,FETCH [...]
VIA is "any" (the reply may come from port 67 or 4011) or "4011" (only a boot-server ACK).
Prints one line per VM; exit 0 when every VM passed both steps.
"""
import struct
import sys
from urllib.parse import unquote


def packets(path):
    try:
        data = open(path, 'rb').read()
    except FileNotFoundError:
        return
    if len(data) < 24:
        return
    endian = '<' if struct.unpack('<I', data[:4])[0] in (0xa1b2c3d4, 0xa1b23c4d) else '>'
    off = 24
    while off + 16 <= len(data):
        incl = struct.unpack(endian + 'I', data[off + 8:off + 12])[0]
        frame = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if len(frame) < 34 or frame[12:14] != b'\x08\x00':
            continue
        ip = frame[14:]
        ihl = (ip[0] & 15) * 4
        src, dst, proto = ip[12:16], ip[16:20], ip[9]
        if proto == 17:
            sp, dp, ulen = struct.unpack('!HHH', ip[ihl:ihl + 6])
            yield 'udp', src, sp, dst, dp, ip[ihl + 8:ihl + ulen]
        elif proto == 6:
            sp, dp = struct.unpack('!HH', ip[ihl:ihl + 4])
            doff = (ip[ihl + 12] >> 4) * 4
            total = struct.unpack('!H', ip[2:4])[0]
            yield 'tcp', src, sp, dst, dp, ip[ihl + doff:total]


def dhcp_file(p):
    f = p[108:236].split(b'\0')[0]
    if f:
        return f.decode('latin-1')
    i = 240
    while i < len(p) and p[i] != 255:
        if p[i] == 0:
            i += 1
            continue
        if p[i] == 67:
            return p[i + 2:i + 2 + p[i + 1]].decode('latin-1')
        i += 2 + p[i + 1]
    return ''


def main():
    pcap, server = sys.argv[1], bytes(map(int, sys.argv[2].split('.')))
    vms = [v.split(',', 4) for v in sys.argv[3:]]
    state = {name: {'offer': None, 'fetch': None} for name, _, _, _, _ in vms}
    for proto, src, sp, dst, dp, payload in packets(pcap):
        for name, mac, via, file, fetch in vms:
            st = state[name]
            if (proto == 'udp' and src == server and sp in ((4011,) if via == '4011' else (67, 4011))
                    and len(payload) >= 240
                    and payload[0] == 2 and payload[28:34].hex(':') == mac.lower()
                    and payload[16:20] == bytes(4) and dhcp_file(payload) == file):
                st['offer'] = st['offer'] or 'port %d file %s' % (sp, file)
            kind, what = fetch.split(':', 1)
            if kind == 'tftp' and proto == 'udp' and dst == server and dp == 69 \
                    and payload[:2] == b'\x00\x01' and payload[2:].split(b'\0')[0].decode(
                        'latin-1', 'replace') == what:
                st['fetch'] = st['fetch'] or 'TFTP RRQ %s from %s' % (what, '.'.join(map(str, src)))
            # iPXE percent-encodes the colons of a MAC in the query: compare decoded.
            if kind == 'http' and proto == 'tcp' and dst == server and dp == 8080 \
                    and unquote(payload.split(b'\r\n')[0].decode('latin-1')).startswith(
                        'GET %s ' % what):
                st['fetch'] = st['fetch'] or 'HTTP GET %s from %s' % (what, '.'.join(map(str, src)))
    ok = True
    for name, _, _, _, _ in vms:
        st = state[name]
        passed = bool(st['offer'] and st['fetch'])
        ok &= passed
        print('%s %s offer=[%s] fetch=[%s]' % (name, 'ok' if passed else 'pending',
                                               st['offer'] or '-', st['fetch'] or '-'))
    return 0 if ok else 1


sys.exit(main())
