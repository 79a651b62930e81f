#!/usr/bin/env python3
"""tests/fuzz/mkcorpus.py - writes the seed corpora tests/fuzz/corpus/<target>/
from the unit-test fixtures (tests/unit/sms_fixtures.h), as STYLE.md section 8
asks.  Run from the repository root after regenerating the fixtures."""
import os
import re

src = open("tests/unit/sms_fixtures.h").read()
fx = {}
for name, body in re.findall(r"static const uint8_t (\w+)\[\d+\][^=]*= \{(.*?)\};", src, re.S):
    fx[name] = bytes(int(x, 16) for x in re.findall(r"0x[0-9a-f]{2}", body))


def body_of(sip):
    return sip[sip.index(b"\r\n\r\n") + 4:]


def records(proto, pkts):
    out = bytearray([proto])
    for ctl, p in pkts:
        while p:
            out += bytes([ctl, min(len(p), 255)]) + p[:255]
            p = p[255:]
    return bytes(out)


def sctp_layers(chunks):
    """Splits the first DATA chunk of an SCTP chunk area into its M3UA
    message, the SCCP message inside it and the TCAP (BER) data."""
    clen = int.from_bytes(chunks[2:4], "big")
    m3ua = chunks[16:clen]
    off = 8
    while off + 4 <= len(m3ua):
        tag = int.from_bytes(m3ua[off:off + 2], "big")
        plen = int.from_bytes(m3ua[off + 2:off + 4], "big")
        if tag == 0x0210:
            sccp = m3ua[off + 4 + 12:off + plen]
            break
        off += (plen + 3) & ~3
    ptr = 4 if sccp[0] == 0x09 else 5
    d = ptr + sccp[ptr]
    tcap = sccp[d + 1:d + 1 + sccp[d]]
    return m3ua, sccp, tcap


layers = {k: sctp_layers(fx[k]) for k in fx if k.startswith("fx_map")}

seeds = {
    "fuzz_sctp_chunks": {k: fx[k] for k in fx if k.startswith("fx_map") or k == "fx_sgd_tfr_sctp"},
    "fuzz_m3ua": {k: v[0] for k, v in layers.items()},
    "fuzz_sccp": {k: v[1] for k, v in layers.items()},
    "fuzz_ber": {k: v[2] for k, v in layers.items()},
    "fuzz_smpp": {k: fx[k] for k in fx if k.startswith("fx_smpp")},
    "fuzz_sip_sms": {k: fx[k] for k in fx if k.startswith("fx_sip")},
    "fuzz_sms_tpdu": {"rp_mo": body_of(fx["fx_sip_mo"]), "rp_mt": body_of(fx["fx_sip_mt"]),
                      "tpdu_mt": body_of(fx["fx_sip_mt"])[12:]},
    "fuzz_tcap_map": {k: fx[k] for k in fx if k.startswith("fx_map")},
    "fuzz_diameter": {k: fx[k] for k in fx if k.startswith("fx_sgd_of")},
    "fuzz_carrier": {
        "tcp_smpp": records(0, [(0, fx["fx_smpp_bind"]), (1, fx["fx_smpp_submit"][:16]),
                                (0, fx["fx_smpp_two"]), (8, fx["fx_smpp_two"]),
                                (0x10, fx["fx_smpp_multi"])]),
        "udp_sip": records(1, [(0, fx["fx_sip_202"])]),
        "sctp_map": records(2, [(0, fx["fx_map_mo"][:255]), (1, fx["fx_map_bundle"])]),
        "tcp_diameter": records(0, [(0, fx["fx_sgd_ofr"]), (1, fx["fx_sgd_ofa"])]),
    },
}


def sctp_user(chunks):
    """User data of the first DATA chunk of an SCTP chunk fixture."""
    ln = int.from_bytes(chunks[2:4], "big")
    return chunks[16:ln]


def sigtran_seed(kind, names):
    out = bytearray([kind])
    for n in names:
        u = sctp_user(fx[n])
        out += len(u).to_bytes(2, "big") + u
    return bytes(out)


seeds["fuzz_sigtran"] = {
    "m3ua_mo": sigtran_seed(0, ["fx_map_mo"]),
    "m2pa_segmented": sigtran_seed(1, ["fx_m2pa_seg1", "fx_m2pa_seg2", "fx_m2pa_result"]),
    "m2pa_ops": sigtran_seed(1, ["fx_m2pa_v1", "fx_m2pa_report", "fx_m2pa_alert",
                                 "fx_m2pa_cont"]),
    "m2ua_mo": sigtran_seed(2, ["fx_m2ua_mo"]),
    "sua_mt": sigtran_seed(3, ["fx_sua_mt"]),
    "sgsap": sigtran_seed(4, ["fx_sgsap_mo", "fx_sgsap_cpack", "fx_sgsap_rpack", "fx_sgsap_mt",
                              "fx_sgsap_rperror"]),
    "bssap": sigtran_seed(0, ["fx_bssap_cr", "fx_bssap_cc", "fx_bssap_dt1", "fx_bssap_ack",
                              "fx_bssap_rlsd"]),
    "ranap": sigtran_seed(0, ["fx_ranap_initial", "fx_ranap_cc", "fx_ranap_dt1",
                              "fx_ranap_ack"]),
}
seeds["fuzz_gan"] = {k: fx[k] for k in fx if k.startswith("fx_gan")}
seeds["fuzz_gan"]["stream"] = fx["fx_gan_register"] + fx["fx_gan_mo"] + fx["fx_gan_ack"]


def s1ap_user(chunks):
    """The user data of the first DATA chunk (type 0: 16-octet header)."""
    clen = int.from_bytes(chunks[2:4], "big")
    return chunks[16:clen]


def s1ap_records(names):
    out = bytearray()
    for k in names:
        u = s1ap_user(fx[k])
        out += bytes([0]) + len(u).to_bytes(2, "big") + u
    return bytes(out)


for proto in ("s1ap", "ngap"):
    names = sorted((k for k in fx if k.startswith("fx_" + proto)), key=list(fx).index)
    seeds["fuzz_" + proto] = {k[3:]: s1ap_records([k]) for k in names}
    seeds["fuzz_" + proto]["stream"] = s1ap_records(names)
for target, files in seeds.items():
    d = os.path.join("tests/fuzz/corpus", target)
    os.makedirs(d, exist_ok=True)
    for name, data in files.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
# the stream-mode smpp seed: a chunk-size byte followed by two PDUs
with open("tests/fuzz/corpus/fuzz_smpp/stream_chunk7", "wb") as f:
    f.write(b"\x06" + fx["fx_smpp_two"])
