#!/usr/bin/env python3
"""overlay_wrap.py KIND IN.pcap OUT.pcap - wraps every Ethernet frame of a
classic pcap in an overlay tunnel, as a probe fed by a tunnel or a remote
mirror sees it (tests/suites/sms.sh: SMS decoding and the canary test
through tunnels).  KIND is vxlan (RFC 7348: UDP to 4789, I flag, VNI 4242)
or erspan (ERSPAN type II over GRE: draft-foschiano-erspan-03 section 4.2,
session 42).  The outer packet goes 192.0.2.201 -> 192.0.2.202 in an
Ethernet frame; timestamps and the inner bytes are kept.

KIND fragment instead cuts every IPv4 packet longer than 84 octets into
fragments of 64 data octets (RFC 791 section 3.2; DF cleared, as if the
sender had not set it), sent last fragment first, each with the original
frame's time."""
import struct
import sys


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def ipv4(proto, payload, ident):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident & 0xFFFF, 0, 64,
                    proto, 0, bytes([192, 0, 2, 201]), bytes([192, 0, 2, 202]))
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload


def wrap(kind, frame, seq):
    if kind == "vxlan":
        body = struct.pack("!II", 0x08000000, 4242 << 8) + frame
        outer = ipv4(17, struct.pack("!HHHH", 49152, 4789, 8 + len(body), 0) + body, seq)
    else:
        erspan = struct.pack("!HHI", 0x1000, 0x1800 | 42, 0)
        outer = ipv4(47, struct.pack("!HHI", 0x1000, 0x88BE, seq) + erspan + frame, seq)
    return bytes([2, 0, 0, 0, 0, 0xFE, 2, 0, 0, 0, 0, 0xFD]) + b"\x08\x00" + outer


FRAG_DATA = 64


def fragments(frame):
    """The frame, or its IPv4 packet as fragments in reverse order."""
    if len(frame) < 34 or frame[12:14] != b"\x08\x00":
        return [frame]
    ip = frame[14:]
    hl = (ip[0] & 0x0F) * 4
    total = struct.unpack("!H", ip[2:4])[0]
    if total <= hl + FRAG_DATA + 20 or total > len(ip):
        return [frame]
    hdr, data = bytearray(ip[:hl]), ip[hl:total]
    out = []
    for off in range(0, len(data), FRAG_DATA):
        part = data[off:off + FRAG_DATA]
        more = off + FRAG_DATA < len(data)
        h = bytearray(hdr)
        struct.pack_into("!H", h, 2, hl + len(part))
        struct.pack_into("!H", h, 6, (0x2000 if more else 0) | off // 8)
        struct.pack_into("!H", h, 10, 0)
        struct.pack_into("!H", h, 10, csum(bytes(h)))
        out.append(frame[:14] + bytes(h) + part)
    return out[::-1]


def main():
    kind, src, dst = sys.argv[1:4]
    data = open(src, "rb").read()
    magic, = struct.unpack("<I", data[:4])
    if magic != 0xA1B2C3D4 or struct.unpack("<I", data[20:24])[0] != 1:
        sys.exit("overlay_wrap.py: %s is not a little-endian Ethernet pcap" % src)
    out = [data[:24]]
    off, seq = 24, 1
    while off + 16 <= len(data):
        ts, us, incl, orig = struct.unpack("<IIII", data[off:off + 16])
        frame = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if kind == "fragment":
            for w in fragments(frame):
                out.append(struct.pack("<IIII", ts, us, len(w), len(w)) + w)
            continue
        w = wrap(kind, frame, seq)
        seq += 1
        out.append(struct.pack("<IIII", ts, us, len(w), len(w) + orig - incl) + w)
    open(dst, "wb").write(b"".join(out))


if __name__ == "__main__":
    main()
