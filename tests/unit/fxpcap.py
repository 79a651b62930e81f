"""tests/unit/fxpcap.py - test-only helper of the fixture builders
(mkmcore.py, mkfixtures.py): wraps built payloads in Ethernet/IPv4/UDP or TCP
frames and writes a classic pcap (link type EN10MB), so that `tshark -r` can
check every field of every fixture.  Checksums are computed (RFC 791 / 768 /
793), TCP segments of one connection carry consecutive sequence numbers and a
handshake precedes the first one, so no analysis warning comes from the
wrapping itself."""
import socket
import struct


def _csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def _ip(src, dst, proto, payload, ident):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, 0x4000, 64, proto, 0,
                      socket.inet_aton(src), socket.inet_aton(dst))
    hdr = hdr[:10] + struct.pack("!H", _csum(hdr)) + hdr[12:]
    return hdr + payload


def _pseudo(src, dst, proto, n):
    return socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, proto, n)


class Pcap:
    """Frames in memory; write() saves them.  Times advance 1 ms a frame."""

    def __init__(self):
        self.frames = []
        self.ident = 1
        self.tcp = {}  # (src, sport, dst, dport) -> next sequence number

    def _frame(self, ip):
        eth = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00"
        self.frames.append(eth + ip)
        self.ident += 1

    def udp(self, src, sport, dst, dport, payload):
        """One datagram; returns its frame number (from 1), as tcp_msg does."""
        u = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
        c = _csum(_pseudo(src, dst, 17, len(u)) + u) or 0xFFFF
        u = u[:6] + struct.pack("!H", c) + u[8:]
        self._frame(_ip(src, dst, 17, u, self.ident))
        return len(self.frames)

    def _seg(self, src, sport, dst, dport, flags, payload):
        k = (src, sport, dst, dport)
        seq = self.tcp[k]
        ack = self.tcp.get((dst, dport, src, sport), 0) if flags & 0x10 else 0
        t = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0)
        t += payload
        c = _csum(_pseudo(src, dst, 6, len(t)) + t)
        t = t[:16] + struct.pack("!H", c) + t[18:]
        self._frame(_ip(src, dst, 6, t, self.ident))
        self.tcp[k] = (seq + len(payload) + (1 if flags & 0x02 else 0)) & 0xFFFFFFFF

    def tcp_msg(self, src, sport, dst, dport, payload):
        """One message in one segment; a connection is opened on first use."""
        k, r = (src, sport, dst, dport), (dst, dport, src, sport)
        if k not in self.tcp and r not in self.tcp:
            self.tcp[k] = 1000
            self.tcp[r] = 5000
            self._seg(src, sport, dst, dport, 0x02, b"")          # SYN
            self._seg(dst, dport, src, sport, 0x12, b"")          # SYN ACK
            self._seg(src, sport, dst, dport, 0x10, b"")          # ACK
        self._seg(src, sport, dst, dport, 0x18, payload)          # PSH ACK
        return len(self.frames)

    def write(self, path):
        with open(path, "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
            for i, fr in enumerate(self.frames):
                f.write(struct.pack("<IIII", 1733184000 + i // 1000, (i % 1000) * 1000,
                                    len(fr), len(fr)))
                f.write(fr)
