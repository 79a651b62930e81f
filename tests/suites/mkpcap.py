#!/usr/bin/env python3
"""tests/suites/mkpcap.py - small synthetic captures for the robustness suites.

  mkpcap.py flows OUT N      N UDP packets over N/4 flows, 2 ms apart (crash tests)
  mkpcap.py dnscut OUT       a DNS answer for a 300-character name (cut to 255),
                             then a TCP flow to the answered address
  mkpcap.py sessions OUT N OPEN   RADIUS accounting of N sessions, OPEN open at once
                             (the bench's control-plane capture)
  mkpcap.py sipprefix IN OUT N   IN after N SIP OPTIONS exchanges on the 5-tuple of
                             its first packet
  mkpcap.py gtpburst OUT N   N GTPv2-C Create Session Requests on one flow, then
                             their Responses (N transactions in flight at once)
  mkpcap.py crowd OUT N      RADIUS Accounting-Start (RFC 2866) for a target
                             (MSISDN 15557770001, IMSI 001010000777001, Framed-IP
                             100.64.0.1), then for N other subscribers (none
                             stopped), then a UDP flow of the target's address

Generated here (not committed) so the tests own their inputs; Ethernet/IPv4,
checksums zero (trapline does not verify them).
"""
import struct
import sys


def eth_ip(src, dst, proto, l4):
    ip = struct.pack('>BBHHHBBH4s4s', 0x45, 0, 20 + len(l4), 0, 0, 64, proto, 0,
                     bytes(src), bytes(dst)) + l4
    return b'\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\x08\x00' + ip


def eth_udp(src, dst, sport, dport, payload):
    return eth_ip(src, dst, 17, struct.pack('>HHHH', sport, dport, 8 + len(payload), 0) + payload)


def write(path, frames):
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for ts, fr in frames:
            f.write(struct.pack('<IIII', ts // 1000000, ts % 1000000, len(fr), len(fr)) + fr)


def flows(path, n):
    t0 = 1700000000 * 1000000

    def gen():
        for i in range(n):
            sport = 1024 + (i // 4) % 60000
            src = [10, (i >> 16) & 255, (i >> 8) & 255, 1]
            yield t0 + i * 2000, eth_udp(src, [192, 0, 2, 1], sport, 5353, b'x' * 32)
    write(path, gen())


def radius_acct(ident, msisdn, imsi, ip, session, status=1):
    """An Accounting-Request (RFC 2866 sections 4.1, 5.1), Start (status 1) or Stop
    (2), with User-Name, Framed-IP-Address, Calling-Station-Id, Acct-Session-Id and
    3GPP-IMSI (TS 29.061 16.4.7: Vendor-Specific 10415, type 1); authenticator zero
    (a tap does not check it)."""
    def attr(t, v):
        return struct.pack('>BB', t, len(v) + 2) + v
    body = (attr(40, struct.pack('>I', status)) + attr(1, msisdn.encode()) + attr(8, bytes(ip)) +
            attr(31, msisdn.encode()) + attr(44, session.encode()) +
            attr(26, struct.pack('>I', 10415) + struct.pack('>BB', 1, len(imsi) + 2) +
                 imsi.encode()))
    return struct.pack('>BBH', 4, ident & 255, 20 + len(body)) + bytes(16) + body


def crowd(path, n):
    t0 = 1700000000 * 1000000
    nas, aaa = [192, 0, 2, 30], [192, 0, 2, 31]
    ue, server = [100, 64, 0, 1], [192, 0, 2, 80]

    def gen():
        t = t0
        msg = radius_acct(0, '15557770001', '001010000777001', [100, 64, 0, 1], 't-000001')
        yield t, eth_udp(nas, aaa, 40813, 1813, msg)
        for i in range(1, n + 1):
            t += 1000
            msg = radius_acct(i, '1555880%04d' % i, '00101000088%04d' % i,
                               [100, 65, i >> 8 & 255, i & 255], 'o-%06d' % i)
            yield t, eth_udp(nas, aaa, 40813, 1813, msg)
        for k in range(3):
            t += 20000
            yield t, eth_udp(ue, server, 40000, 5000, b'q' * 40)
            t += 20000
            yield t, eth_udp(server, ue, 5000, 40000, b'r' * 40)
    write(path, gen())


def sessions(path, n, open_):
    """RADIUS accounting of n subscribers' sessions, one Start every 0.5 ms, each
    stopped open_ Starts later (so open_ sessions are open at once), from 4,096 NAS
    ports: the control-plane load of a busy access network for the bench."""
    t0 = 1700000000 * 1000000
    nas, aaa = [192, 0, 2, 30], [192, 0, 2, 31]

    def one(i, status):
        msg = radius_acct(i, '1556%07d' % i, '0010100%08d' % i,
                           [100, 64 + (i >> 16 & 63), i >> 8 & 255, i & 255], 's-%08d' % i,
                           status)
        return eth_udp(nas, aaa, 1024 + i % 4096, 1813, msg)

    def gen():
        for i in range(n):
            t = t0 + i * 500
            yield t, one(i, 1)
            if i >= open_:
                yield t + 250, one(i - open_, 2)
    write(path, gen())


def tbcd(digits):
    """TBCD digits (TS 29.274 section 8.3): low nibble first, 0xF pad."""
    d = digits + ('f' if len(digits) % 2 else '')
    return bytes(int(d[i + 1], 16) << 4 | int(d[i], 16) for i in range(0, len(d), 2))


def gtpv2_ie(t, v):
    return struct.pack('>BHB', t, len(v), 0) + v


def gtpv2(msg_type, teid, seq, ies):
    """A GTPv2-C message with a TEID (TS 29.274 section 5.1: flags 0x48)."""
    body = struct.pack('>I', teid) + struct.pack('>I', seq << 8) + ies
    return struct.pack('>BBH', 0x48, msg_type, len(body)) + body


def fteid(iface, teid, addr):
    return gtpv2_ie(87, struct.pack('>BI', 0x80 | iface, teid) + bytes(addr))


def gtpburst(path, n):
    """n Create Session Requests (TS 29.274 7.2.1) on one MME-SGW flow, then their
    accepted Responses (7.2.2) in the same order: n transactions in flight at once,
    as in a mass re-attach after an eNodeB restart.  Subscriber i: IMSI 0010100001%05d,
    MSISDN 1555100%04d, UE address 10.46.i/256.i%256."""
    t0 = 1700000000 * 1000000
    mme, sgw, enb = [192, 0, 2, 10], [192, 0, 2, 2], [192, 0, 2, 1]

    def udp(src, dst, payload):
        return eth_udp(src, dst, 2123, 2123, payload)

    def gen():
        t = t0
        for i in range(n):
            ies = (gtpv2_ie(1, tbcd('0010100001%05d' % i)) + gtpv2_ie(76, tbcd('1555100%04d' % i)) +
                   gtpv2_ie(82, b'\x06') + fteid(10, 0x100000 + i, mme) +
                   gtpv2_ie(71, b'\x08internet') +
                   gtpv2_ie(93, gtpv2_ie(73, b'\x05') + fteid(0, 0x200000 + i, enb)))
            t += 200
            yield t, udp(mme, sgw, gtpv2(32, 0, i + 1, ies))
        for i in range(n):
            ies = (gtpv2_ie(2, b'\x10\x00') + fteid(11, 0x300000 + i, sgw) +
                   gtpv2_ie(79, b'\x01' + bytes([10, 46, i >> 8 & 255, i & 255])) +
                   gtpv2_ie(93, gtpv2_ie(73, b'\x05') + gtpv2_ie(2, b'\x10\x00') +
                            fteid(1, 0x400000 + i, sgw)))
            t += 200
            yield t, udp(sgw, mme, gtpv2(33, 0x100000 + i, i + 1, ies))
    write(path, gen())


def sipprefix(src, dst, n):
    """src's packets after n SIP OPTIONS exchanges (RFC 3261 section 11) on the
    5-tuple of src's first packet (an Ethernet/IPv4/UDP SIP datagram), both
    ways, 0.1 s apart: a SIP link between core nodes carries other requests
    before its first MESSAGE.  src's packets keep their order, moved after
    the prefix."""
    with open(src, 'rb') as f:
        d = f.read()
    off, pk = 24, []
    while off + 16 <= len(d):
        ts, tu, cl, _ = struct.unpack('<IIII', d[off:off + 16])
        pk.append((ts, tu, d[off + 16:off + 16 + cl]))
        off += 16 + cl
    first = pk[0][2]
    ihl = (first[14] & 15) * 4

    def frame(payload, swap):
        eth, ip = first[:14], bytearray(first[14:14 + ihl])
        udp = bytearray(first[14 + ihl:14 + ihl + 8])
        if swap:
            eth = eth[6:12] + eth[0:6] + eth[12:14]
            ip[12:16], ip[16:20] = ip[16:20], ip[12:16]
            udp[0:2], udp[2:4] = udp[2:4], udp[0:2]
        struct.pack_into('>H', ip, 2, ihl + 8 + len(payload))
        struct.pack_into('>H', ip, 10, 0)
        struct.pack_into('>HH', udp, 4, 8 + len(payload), 0)
        return bytes(eth) + bytes(ip) + bytes(udp) + payload

    hdrs = ('Via: SIP/2.0/UDP core.example;branch=z9hG4bK%d\r\nFrom: <sip:pcscf@ims.example>;tag=a%d'
            '\r\nTo: <sip:scscf@ims.example>%s\r\nCall-ID: opt%d@ims.example\r\nCSeq: %d OPTIONS'
            '\r\nContent-Length: 0\r\n\r\n')
    t0 = (pk[0][0] - n // 10 - 2) * 1000000 + pk[0][1]
    frames = []
    for i in range(n):
        req = ('OPTIONS sip:scscf@ims.example SIP/2.0\r\nMax-Forwards: 70\r\n' +
               hdrs % (i, i, '', i, i + 1)).encode()
        resp = ('SIP/2.0 200 OK\r\n' + hdrs % (i, i, ';tag=b%d' % i, i, i + 1)).encode()
        frames.append((t0 + i * 100000, frame(req, False)))
        frames.append((t0 + i * 100000 + 10000, frame(resp, True)))
    frames += [(ts * 1000000 + tu, b) for ts, tu, b in pk]
    write(dst, frames)


def dnscut(path):
    t0 = 1700000000 * 1000000
    client, resolver, server = [10, 0, 0, 1], [10, 0, 0, 53], [198, 51, 100, 7]
    labels = [b'a' * 60] * 5  # 5 * 61 = 305 characters: longer than 255
    qname = b''.join(bytes([len(x)]) + x for x in labels) + b'\x00'
    q = qname + struct.pack('>HH', 1, 1)
    ans = b'\xc0\x0c' + struct.pack('>HHIH', 1, 1, 300, 4) + bytes(server)
    query = struct.pack('>HHHHHH', 0x1234, 0x0100, 1, 0, 0, 0) + q
    dns = struct.pack('>HHHHHH', 0x1234, 0x8180, 1, 1, 0, 0) + q + ans
    syn = struct.pack('>HHIIBBHHH', 40001, 443, 1, 0, 0x50, 0x02, 65535, 0, 0)
    write(path, [(t0, eth_udp(client, resolver, 40000, 53, query)),
                 (t0 + 500, eth_udp(resolver, client, 53, 40000, dns)),
                 (t0 + 1000, eth_ip(client, server, 6, syn))])


if __name__ == '__main__':
    if sys.argv[1] == 'flows':
        flows(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == 'dnscut':
        dnscut(sys.argv[2])
    elif sys.argv[1] == 'crowd':
        crowd(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == 'sipprefix':
        sipprefix(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif sys.argv[1] == 'gtpburst':
        gtpburst(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == 'sessions':
        sessions(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit('usage: mkpcap.py flows OUT N | dnscut OUT | crowd OUT N | sessions OUT N OPEN'
                 ' | gtpburst OUT N | sipprefix IN OUT N')
