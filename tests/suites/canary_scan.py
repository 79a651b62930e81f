#!/usr/bin/env python3
"""tests/suites/canary_scan.py - searches files for the SMS canary texts of
pcaps/gen/sms.h in every encoding the generator used: ASCII / 8-bit,
UCS-2 big-endian, and GSM 7-bit packed at each of the 7 bit alignments
(a UDH shifts the packing).  Prints one line per hit and exits 1 when any
file contains a canary.  With --expect, exits 1 unless every encoding of
every canary is found somewhere (a self-test of the scanner on the pcaps).
--canary STR (repeatable, before the files) adds STR, in ASCII and UCS-2, to
the strings searched for (tests/suites/scope.sh: a non-target subscriber's
numbers and addresses).
"""
import sys

CANARIES = ["Qz7Trapcanary7bitSeptets", "Qz2TrapcanaryUcsTwoWide", "Qz8TrapcanaryEightBitOct"]
PASSWORD = "Pw0rdCnY"


def gsm7_pack(text, fill):
    acc, bits, out = 0, fill, bytearray()
    for ch in text:
        acc |= (ord(ch) & 0x7F) << bits
        bits += 7
        while bits >= 8:
            out.append(acc & 0xFF)
            acc >>= 8
            bits -= 8
    if bits:
        out.append(acc & 0xFF)
    return bytes(out)


EXTRA = []


def patterns():
    pats = []
    for c in EXTRA:
        pats.append(("ascii", c, c.encode()))
        pats.append(("ucs2", c, c.encode("utf-16-be")))
    for c in CANARIES + ["Trapcanary"]:
        pats.append(("ascii", c, c.encode()))
        pats.append(("ucs2", c, c.encode("utf-16-be")))
    for c in CANARIES:
        for fill in range(7):
            # drop the first and last octet: they mix with neighbouring bits
            pats.append(("gsm7", c, gsm7_pack(c, fill)[1:-1]))
    pats.append(("ascii", PASSWORD, PASSWORD.encode()))
    return pats


def main():
    args = sys.argv[1:]
    while len(args) >= 2 and args[0] == "--canary":
        EXTRA.append(args[1])
        args = args[2:]
    expect = bool(args) and args[0] == "--expect"
    files = args[1:] if expect else args
    seen = set()
    hits = 0
    for f in files:
        try:
            data = open(f, "rb").read()
        except FileNotFoundError:
            continue
        for enc, name, pat in patterns():
            if pat in data:
                seen.add((enc, name))
                if not expect:
                    print("canary %s (%s) found in %s" % (name, enc, f))
                    hits += 1
    if expect:
        need = {("ascii", CANARIES[2]), ("ucs2", CANARIES[1]), ("gsm7", CANARIES[0]),
                ("ascii", PASSWORD)}
        missing = need - seen
        for enc, name in sorted(missing):
            print("scanner self-test: %s (%s) not found in the captures" % (name, enc))
        sys.exit(1 if missing else 0)
    sys.exit(1 if hits else 0)


if __name__ == "__main__":
    main()
