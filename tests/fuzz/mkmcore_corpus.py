#!/usr/bin/env python3
"""tests/fuzz/mkmcore_corpus.py - seeds tests/fuzz/corpus/fuzz_{gtpv2c,gtpv1c,
radius,diameter_gx,sip_reg,cpbind}/ from the fixtures of
tests/unit/mcore_fixtures.h, which tests/unit/mkmcore.py builds from chosen
field values (no capture bytes; STYLE.md section 8).  Run from the repository
root after mkmcore.py."""
import os
import re

src = open("tests/unit/mcore_fixtures.h").read()
fx = {}
for name, body in re.findall(r"static const uint8_t (\w+)\[\d+\][^=]*= \{(.*?)\};", src, re.S):
    fx[name] = bytes(int(x, 16) for x in re.findall(r"0x[0-9a-f]{2}", body))

REG = (b"REGISTER sip:ims.example SIP/2.0\r\nTo: <tel:+15551230001>\r\nCall-ID: r1\r\n"
       b"CSeq: 7 REGISTER\r\nContact: <sip:u@10.45.0.2:5060>;expires=600\r\n\r\n")
OK = (b"SIP/2.0 200 OK\r\nTo: <tel:+15551230001>;tag=9\r\nCall-ID: r1\r\n"
      b"CSeq: 7 REGISTER\r\nContact: <sip:u@10.45.0.2:5060>;expires=600\r\n\r\n")


def rec(proto, reply, b):
    # row: 0 gtpc2, 1 gtpc1, 2 radius, 3 gx, 4 SIP REGISTER (see fuzz_cpbind.c)
    b = b[:255]
    return bytes([proto, 1 if reply else 0, len(b)]) + b


seeds = {
    "fuzz_gtpv2c": {k: v for k, v in fx.items() if k.startswith("fx_v2")},
    "fuzz_gtpv1c": {k: v for k, v in fx.items() if k.startswith(("fx_v1", "fx_v0"))},
    # whole packets only (not the fx_rad_*_pw values the canary test looks for)
    "fuzz_radius": {k: v for k, v in fx.items() if k.startswith("fx_rad") and
                    not k.endswith("_pw")},
    "fuzz_diameter_gx": {k: v for k, v in fx.items() if k.startswith("fx_g")},
    "fuzz_sip_reg": {"register": REG, "ok200": OK},
    "fuzz_cpbind": {
        "gtpv2_session": rec(0, 0, fx["fx_v2_csr"]) + rec(0, 1, fx["fx_v2_csresp"]) +
        rec(0, 0, fx["fx_v2_dsr"]) + rec(0, 1, fx["fx_v2_dsresp"]),
        "gtpv2_v4v6_modify": rec(0, 0, fx["fx_v2_csr_v4v6"]) +
        rec(0, 1, fx["fx_v2_csresp_v4v6"]) + rec(0, 0, fx["fx_v2_mbr"]) +
        rec(0, 1, fx["fx_v2_mbresp"]),
        "gtpv1_pdp": rec(1, 0, fx["fx_v1_cpdp_req"]) + rec(1, 1, fx["fx_v1_cpdp_resp"]),
        "radius": rec(2, 0, fx["fx_rad_req_pap"]) + rec(2, 1, fx["fx_rad_accept"]) +
        rec(2, 0, fx["fx_rad_acct_start"]) + rec(2, 0, fx["fx_rad_acct_interim"]) +
        rec(2, 1, fx["fx_rad_acct_resp"]),
        "sip": rec(4, 0, REG) + rec(4, 1, OK),
    },
}
for target, files in seeds.items():
    d = os.path.join("tests/fuzz/corpus", target)
    os.makedirs(d, exist_ok=True)
    for name, data in files.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
