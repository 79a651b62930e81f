#!/usr/bin/env python3
"""tests/unit/mkmcore.py - builds the control-plane fixtures of
tests/unit/mcore_fixtures.h from field values chosen here, following the
specifications; no byte comes from a capture (../shared is never read).

    python3 tests/unit/mkmcore.py                 # writes tests/unit/mcore_fixtures.h
    python3 tests/unit/mkmcore.py --pcap X.pcap   # also every message in a pcap
    python3 tests/unit/mkmcore.py --check X.pcap  # ... and checks it with tshark

Specs: GTPv2-C 3GPP TS 29.274 (5.1 header, 7.2.1-7.2.10 messages, 8.x IEs);
GTPv1-C TS 29.060 (6 header, 7.3.1/7.3.2 Create PDP Context, 7.7 IEs, table 37
TV lengths) and GTPv0 GSM 09.60 (20-octet header, TID); RADIUS RFC 2865 (3
packet and authenticators, 5.2 User-Password hiding, 5.3 CHAP-Password with
the Request Authenticator as challenge), RFC 2866 (accounting authenticators,
Acct-Status-Type), RFC 3162 (Framed-IPv6-Prefix), RFC 3579 (EAP-Message,
Message-Authenticator), 3GPP TS 29.061 16.4.7 (3GPP vendor-specific
attributes); Diameter RFC 6733 (header, AVPs, padding), RFC 4006 (CCR/CCA,
Subscription-Id, User-Equipment-Info, Multiple-Services-Credit-Control),
TS 29.212 (Gx AVPs), TS 32.299 (Gy Service-Information/PS-Information).
Identities are test values (MCC 001 / MNC 01, 555 numbers, RFC 5737 and RFC
6598 addresses, 2001:db8::/32).

Checked with tshark 4.0.17 (Debian 12): `--check` wraps every message in
Ethernet/IPv4/UDP or TCP (tests/unit/fxpcap.py), asks tshark for the fields
listed in expected() (IMSI, MSISDN, MEI/IMEISV, APN, TEIDs, F-TEID and GSN
addresses, PAA / EUA / Framed addresses, causes, the decrypted User-Password,
Session-Id, Subscription-Ids, ...) and compares them with the values chosen
here; it also fails on any expert warning or malformed packet.  Result: all
85 values shown, no warning; the Access-Accept and Accounting-Response
authenticators are reported [correct] (radius.validate_authenticator).  Every
message was also read field by field in `tshark -V`.
"""
import hashlib
import hmac
import socket
import struct
import sys

# ---- the chosen values -------------------------------------------------

SECRET = b"trapline-test"  # RADIUS shared secret (authenticators, password hiding)
PAP_PASSWORD = b"Canary-pw-0001"  # never on the wire in clear (RFC 2865 5.2)
CHAP_PASSWORD = b"Canary-chap-02"

# GTPv2 session A: S5/S8, SGW -> PGW, PAA IPv4
A = dict(sgw="192.0.2.10", pgw="198.51.100.20", imsi="001010123456781", msisdn="15551230101",
         mei="352099001761481", apn="internet", ue4="100.64.0.17", tac=0x2A01, eci=0x01A2B3C,
         sgw_c=0x1000A001, sgw_u=0x1000A002, pgw_c=0x2000B001, pgw_u=0x2000B002,
         seq_cs=0x00A1B2, seq_ds=0x00A1B3, charging=0x0C0FFEE1)
# GTPv2 session B: S5 create with PAA IPv4v6, then an S11 Modify Bearer (MME -> SGW)
B = dict(mme="203.0.113.2", sgw="203.0.113.3", pgw="203.0.113.4", enb="203.0.113.50",
         imsi="001010123456782", msisdn="15551230102", mei="3520990017614802", apn="web.example",
         ue4="100.64.2.2", ue6="2001:db8:cafe:2::2", tac=2, eci=0x0000201,
         sgw_c=0x0000A101, sgw_u=0x0000A102, pgw_c=0x0000B101, pgw_u=0x0000B102,
         sgw_s11=0x0000C101, mme_s11=0x0000D101, enb_u=0x0000E101, sgw_s1u=0x0000A201,
         seq_cs=0x000101, seq_mb=0x000202, charging=0x0C0FFEE2)
# GTPv1 Gn: SGSN -> GGSN
V1 = dict(sgsn_c="192.0.2.50", sgsn_u="192.0.2.51", ggsn_c="198.51.100.60",
          ggsn_u="198.51.100.61", imsi="001010123456783", msisdn="15551230103",
          imeisv="3520990017614803", apn="gprs.example", ue4="100.64.1.30", lac=0x0101, rac=3,
          sac=0x0203, sgsn_teid_c=0x3000C001, sgsn_teid_u=0x3000C002, ggsn_teid_c=0x4000D001,
          ggsn_teid_u=0x4000D002, seq=0x1A2B, charging=0x0C0FFEE3)
# GTPv0 Create PDP Context Response
V0 = dict(imsi="001010123456784", nsapi=5, seq=0x0042, flow=0x0007, ue4="100.64.4.4",
          ggsn_c="198.51.100.62", ggsn_u="198.51.100.63", charging=0x0C0FFEE4)
# RADIUS
NAS = "192.0.2.70"
R = dict(server="192.0.2.71", ggsn="192.0.2.72", pap_user="bob", accept_ip="100.64.5.33",
         station_user="carol", station="00-00-5E-00-53-01", station_called="00-00-5E-00-53-FE:TrapNet",
         start=dict(user="user105", imsi="001010123456785", msisdn="15551230105",
                    imeisv="3520990017614805", ue4="100.64.6.5", ue6="2001:db8:0:105::",
                    apn="web.example", session="c0000269-0105", tac=5, eci=0x105),
         interim=dict(user="user106", imsi="001010123456786", msisdn="15551230106",
                      imeisv="3520990017614806", ue4="100.64.6.6", apn="web.example",
                      session="c0000269-0106", tac=6, eci=0x106))
# Diameter Gx / Gy
D = dict(pcef="192.0.2.80", pcrf="192.0.2.81", ocs="192.0.2.82", pcef_host="pgw.example.net",
         pcrf_host="pcrf.example.net", ocs_host="ocs.example.net", realm="example.net",
         imsi="001010123456787", msisdn="15551230107", imeisv="3520990017614807",
         ue4="100.64.7.7", ue6="2001:db8:0:107::", apn="internet", tac=7, eci=0x107,
         gx_session="pgw.example.net;1733184000;107;gx",
         gy_session="pgw.example.net;1733184000;107;gy", charging=0x0C0FFEE7)
NTP_2024_12_03 = 1733184000 + 2208988800  # Event-Timestamp (RFC 6733 4.3.1 Time)

# ---- shared encodings (TS 23.003, TS 24.008) ---------------------------


def v4(a):
    return socket.inet_aton(a)


def v6(a):
    return socket.inet_pton(socket.AF_INET6, a)


def tbcd(digits):
    """TBCD, low nibble first, odd counts filled with F (TS 29.274 8.3)."""
    d = [int(x) for x in digits] + ([0xF] if len(digits) % 2 else [])
    return bytes(d[i] | d[i + 1] << 4 for i in range(0, len(d), 2))


def plmn(mcc="001", mnc="01"):
    """MCC / MNC in three octets (TS 24.008 10.5.1.3), F for a 2-digit MNC."""
    m3 = int(mnc[2]) if len(mnc) == 3 else 0xF
    return bytes([int(mcc[1]) << 4 | int(mcc[0]), m3 << 4 | int(mcc[2]),
                  int(mnc[1]) << 4 | int(mnc[0])])


def apn(name):
    """APN labels, each prefixed with its length (TS 23.003 9.1)."""
    return b"".join(bytes([len(x)]) + x.encode() for x in name.split("."))


def tai(tac):
    return plmn() + struct.pack("!H", tac)


def ecgi(eci):
    return plmn() + struct.pack("!I", eci & 0x0FFFFFFF)


def uli_typed_tai_ecgi(tac, eci):
    """3GPP-User-Location-Info / GTPv1 ULI: type 130 = TAI and ECGI
    (TS 29.061 16.4.7.2, TS 29.274 8.21.4 / 8.21.5)."""
    return bytes([130]) + tai(tac) + ecgi(eci)


# ---- GTPv2-C (TS 29.274) ---------------------------------------------

def ie2(t, v, inst=0):
    return struct.pack("!BHB", t, len(v), inst & 0x0F) + v


def gtpv2(mtype, teid, seq, ies):
    body = struct.pack("!I", teid) + struct.pack("!I", seq << 8) + b"".join(ies)
    return struct.pack("!BBH", 0x48, mtype, len(body)) + body  # version 2, T = 1


def fteid(iface, teid, addr, inst=0):
    return ie2(87, bytes([0x80 | iface]) + struct.pack("!I", teid) + v4(addr), inst)


def cause2(c):
    return ie2(2, bytes([c, 0]))


def ebi(n):
    return ie2(73, bytes([n]))


def bearer_qos(qci=9, pl=8):
    # PCI = 1 (may not pre-empt), PL, PVI = 0; QCI; MBR / GBR UL, DL (5 octets each)
    return ie2(80, bytes([0x40 | pl << 2, qci]) + bytes(20))


def uli_v2(tac, eci):
    return ie2(86, bytes([0x18]) + tai(tac) + ecgi(eci))  # TAI and ECGI present


def ambr(ul, dl):
    return ie2(72, struct.pack("!II", ul, dl))


def v2_csr_a():
    s = A
    return gtpv2(32, 0, s["seq_cs"], [
        ie2(1, tbcd(s["imsi"])),
        ie2(76, tbcd(s["msisdn"])),
        ie2(75, tbcd(s["mei"])),
        uli_v2(s["tac"], s["eci"]),
        ie2(83, plmn()),                       # Serving Network
        ie2(82, bytes([6])),                   # RAT Type EUTRAN
        fteid(6, s["sgw_c"], s["sgw"]),        # Sender F-TEID, S5/S8-C SGW
        ie2(71, apn(s["apn"])),
        ie2(128, bytes([0])),                  # Selection Mode
        ie2(99, bytes([1])),                   # PDN Type IPv4
        ie2(79, bytes([1]) + v4(s["ue4"])),    # PAA: the static address asked for
        ie2(127, bytes([0])),                  # Maximum APN Restriction
        ambr(50000, 150000),
        ie2(93, ebi(5) + fteid(4, s["sgw_u"], s["sgw"], inst=2) + bearer_qos()),
        ie2(3, bytes([17])),                   # Recovery
        ie2(114, bytes([0x40, 0])),            # UE Time Zone: GMT + 1 h
        ie2(95, bytes([0x08, 0x00])),          # Charging Characteristics
    ])


def v2_csresp_a():
    s = A
    return gtpv2(33, s["sgw_c"], s["seq_cs"], [
        cause2(16),
        fteid(7, s["pgw_c"], s["pgw"], inst=1),  # PGW S5/S8-C F-TEID
        ie2(79, bytes([1]) + v4(s["ue4"])),
        ie2(127, bytes([0])),
        ambr(50000, 150000),
        ie2(93, ebi(5) + cause2(16) + fteid(5, s["pgw_u"], s["pgw"], inst=2) +
            ie2(94, struct.pack("!I", s["charging"]))),
        ie2(3, bytes([23])),
    ])


def v2_dsr_a():
    s = A
    return gtpv2(36, s["pgw_c"], s["seq_ds"], [
        ebi(5),                                # Linked EPS Bearer ID
        uli_v2(s["tac"], s["eci"]),
        ie2(77, bytes([0x08, 0x00])),          # Indication: OI
    ])


def v2_dsresp_a():
    return gtpv2(37, A["sgw_c"], A["seq_ds"], [cause2(16), ie2(3, bytes([23]))])


def v2_csr_b():
    s = B
    return gtpv2(32, 0, s["seq_cs"], [
        ie2(1, tbcd(s["imsi"])),
        ie2(76, tbcd(s["msisdn"])),
        ie2(75, tbcd(s["mei"])),               # an IMEISV (16 digits)
        uli_v2(s["tac"], s["eci"]),
        ie2(83, plmn()),
        ie2(82, bytes([6])),
        fteid(6, s["sgw_c"], s["sgw"]),
        ie2(71, apn(s["apn"])),
        ie2(128, bytes([0])),
        ie2(99, bytes([3])),                   # PDN Type IPv4v6
        ie2(79, bytes([3, 64]) + bytes(16) + bytes(4)),  # PAA: 0.0.0.0 / ::, dynamic
        ie2(127, bytes([0])),
        ambr(100000, 300000),
        ie2(93, ebi(5) + fteid(4, s["sgw_u"], s["sgw"], inst=2) + bearer_qos()),
        ie2(114, bytes([0x40, 0])),
        ie2(95, bytes([0x08, 0x00])),
    ])


def v2_csresp_b():
    s = B
    return gtpv2(33, s["sgw_c"], s["seq_cs"], [
        cause2(16),
        fteid(7, s["pgw_c"], s["pgw"], inst=1),
        ie2(79, bytes([3, 64]) + v6(s["ue6"]) + v4(s["ue4"])),  # PAA IPv4v6
        ie2(127, bytes([0])),
        ambr(100000, 300000),
        ie2(93, ebi(5) + cause2(16) + fteid(5, s["pgw_u"], s["pgw"], inst=2) +
            ie2(94, struct.pack("!I", s["charging"]))),
    ])


def v2_mbr_b():
    s = B
    return gtpv2(34, s["sgw_s11"], s["seq_mb"], [
        ie2(93, ebi(5) + fteid(0, s["enb_u"], s["enb"])),  # S1-U eNodeB F-TEID, instance 0
    ])


def v2_mbresp_b():
    s = B
    return gtpv2(35, s["mme_s11"], s["seq_mb"], [
        cause2(16),
        ie2(93, ebi(5) + cause2(16) + fteid(1, s["sgw_s1u"], s["sgw"])),  # S1-U SGW
    ])


# ---- GTPv1-C / GTPv0 (TS 29.060, GSM 09.60) ----------------------------

def tv(t, v):
    return bytes([t]) + v


def tlv1(t, v):
    return struct.pack("!BH", t, len(v)) + v


def gtpv1(mtype, teid, seq, ies):
    # version 1, PT 1, S: sequence number, N-PDU number and next extension follow
    body = struct.pack("!HBB", seq, 0, 0) + b"".join(ies)
    return struct.pack("!BBHI", 0x32, mtype, len(body), teid) + body


def qos_r97():
    # ARP 1; delay class 4 / reliability 3, peak 1 / precedence 2, mean: best effort
    return bytes([0x01, 0x23, 0x12, 0x1F])


def v1_cpdp_req():
    s = V1
    return gtpv1(16, 0, s["seq"], [
        tv(2, tbcd(s["imsi"])),
        tv(3, plmn() + struct.pack("!HB", s["lac"], s["rac"])),  # RAI
        tv(14, bytes([9])),                                     # Recovery
        tv(15, bytes([0xFC])),                                  # Selection mode 0
        tv(16, struct.pack("!I", s["sgsn_teid_u"])),            # TEID Data I
        tv(17, struct.pack("!I", s["sgsn_teid_c"])),            # TEID Control Plane
        tv(20, bytes([5])),                                     # NSAPI
        tv(26, bytes([0x08, 0x00])),                            # Charging Characteristics
        tlv1(128, bytes([0xF1, 0x21])),                         # EUA: IPv4, dynamic
        tlv1(131, apn(s["apn"])),
        tlv1(133, v4(s["sgsn_c"])),                             # GSN: signalling
        tlv1(133, v4(s["sgsn_u"])),                             # GSN: user traffic
        tlv1(134, bytes([0x91]) + tbcd(s["msisdn"])),           # international, E.164
        tlv1(135, qos_r97()),
        tlv1(151, bytes([1])),                                  # RAT Type UTRAN
        tlv1(152, bytes([1]) + plmn() + struct.pack("!HH", s["lac"], s["sac"])),  # ULI SAI
        tlv1(154, tbcd(s["imeisv"])),                           # IMEI(SV)
    ])


def v1_cpdp_resp():
    s = V1
    return gtpv1(17, s["sgsn_teid_c"], s["seq"], [
        tv(1, bytes([128])),                                    # Cause: request accepted
        tv(8, bytes([0xFE])),                                   # Reordering Required: no
        tv(14, bytes([4])),
        tv(16, struct.pack("!I", s["ggsn_teid_u"])),
        tv(17, struct.pack("!I", s["ggsn_teid_c"])),
        tv(127, struct.pack("!I", s["charging"])),              # Charging ID
        tlv1(128, bytes([0xF1, 0x21]) + v4(s["ue4"])),
        tlv1(133, v4(s["ggsn_c"])),
        tlv1(133, v4(s["ggsn_u"])),
        tlv1(135, qos_r97()),
    ])


def v0_cpdp_resp():
    s = V0
    tid = tbcd(s["imsi"])
    tid = tid[:7] + bytes([(tid[7] & 0x0F) | s["nsapi"] << 4])  # NSAPI in the last high nibble
    body = b"".join([
        tv(1, bytes([128])),
        tv(6, bytes([0x23, 0x12, 0x1F])),                       # QoS profile (3 octets)
        tv(8, bytes([0xFE])),
        tv(14, bytes([4])),
        tv(16, struct.pack("!H", 0x0101)),                      # flow label data I
        tv(17, struct.pack("!H", 0x0102)),                      # flow label signalling
        tv(127, struct.pack("!I", s["charging"])),
        tlv1(128, bytes([0xF1, 0x21]) + v4(s["ue4"])),
        tlv1(133, v4(s["ggsn_c"])),
        tlv1(133, v4(s["ggsn_u"])),
    ])
    # version 0, PT 1, spare 111, SNN 0; seq, flow label, SNDCP N-PDU (none), spare
    hdr = struct.pack("!BBHHHB3s", 0x1E, 17, len(body), s["seq"], s["flow"], 0xFF, b"\xff" * 3)
    return hdr + tid + body


# ---- RADIUS (RFC 2865 / 2866, TS 29.061) -------------------------------

def attr(t, v):
    return bytes([t, 2 + len(v)]) + v


def vsa3(t, v):
    """One 3GPP sub-attribute in its own Vendor-Specific attribute."""
    return attr(26, struct.pack("!I", 10415) + bytes([t, 2 + len(v)]) + v)


def u32(n):
    return struct.pack("!I", n)


def rad(code, ident, auth, attrs):
    body = b"".join(attrs)
    return struct.pack("!BBH", code, ident, 20 + len(body)) + auth + body


def req_auth(label):
    """A Request Authenticator (RFC 2865 3: unpredictable; fixed here so that
    the fixtures are reproducible)."""
    return hashlib.md5(b"trapline request authenticator " + label).digest()


def hide_password(pw, ra):
    """RFC 2865 5.2: p padded to 16 octets, c(i) = p(i) xor MD5(S + c(i-1))."""
    p = pw + bytes(-len(pw) % 16)
    out, prev = b"", ra
    for i in range(0, len(p), 16):
        b = hashlib.md5(SECRET + prev).digest()
        c = bytes(x ^ y for x, y in zip(p[i:i + 16], b))
        out += c
        prev = c
    return out


def resp_auth(pkt, ra):
    """RFC 2865 3 / RFC 2866 3: MD5(Code+ID+Length+RequestAuth+Attributes+Secret)."""
    return hashlib.md5(pkt[:4] + ra + pkt[20:] + SECRET).digest()


def with_resp_auth(pkt, ra):
    return pkt[:4] + resp_auth(pkt, ra) + pkt[20:]


def acct_auth(pkt):
    """RFC 2866 3: MD5(Code+ID+Length+16 zero octets+Attributes+Secret)."""
    return pkt[:4] + hashlib.md5(pkt[:4] + bytes(16) + pkt[20:] + SECRET).digest() + pkt[20:]


RA_PAP, RA_CHAP, RA_STATION = req_auth(b"pap"), req_auth(b"chap"), req_auth(b"station")
PAP_HIDDEN = hide_password(PAP_PASSWORD, RA_PAP)
CHAP_ID = 0x2A
CHAP_VALUE = bytes([CHAP_ID]) + hashlib.md5(bytes([CHAP_ID]) + CHAP_PASSWORD + RA_CHAP).digest()


def rad_req_pap():
    return rad(1, 0x61, RA_PAP, [
        attr(1, R["pap_user"].encode()),
        attr(2, PAP_HIDDEN),
        attr(4, v4(NAS)),
        attr(5, u32(7)),                # NAS-Port
        attr(6, u32(2)),                # Service-Type Framed
        attr(7, u32(1)),                # Framed-Protocol PPP
    ])


def rad_accept():
    pkt = rad(2, 0x61, bytes(16), [
        attr(6, u32(2)),
        attr(7, u32(1)),
        attr(8, v4(R["accept_ip"])),    # Framed-IP-Address
        attr(9, v4("255.255.255.255")),  # Framed-IP-Netmask
        attr(12, u32(1500)),            # Framed-MTU
        attr(27, u32(3600)),            # Session-Timeout
    ])
    return with_resp_auth(pkt, RA_PAP)


def rad_req_chap():
    # no CHAP-Challenge: the Request Authenticator is the challenge (RFC 2865 5.3)
    return rad(1, 0x62, RA_CHAP, [
        attr(1, R["pap_user"].encode()),
        attr(3, CHAP_VALUE),
        attr(4, v4(NAS)),
        attr(5, u32(8)),
        attr(6, u32(2)),
        attr(7, u32(1)),
    ])


def rad_req_station():
    # 802.1X (RFC 3580): the station's MAC in Calling-Station-Id, EAP
    # Response/Identity, Message-Authenticator (RFC 3579 3.2)
    eap = bytes([2, 1]) + struct.pack("!H", 5 + len(R["station_user"])) + bytes([1]) + \
        R["station_user"].encode()
    attrs = [
        attr(1, R["station_user"].encode()),
        attr(4, v4(NAS)),
        attr(5, u32(3)),
        attr(30, R["station_called"].encode()),
        attr(31, R["station"].encode()),
        attr(61, u32(19)),              # NAS-Port-Type Wireless-802.11
        attr(6, u32(2)),
        attr(12, u32(1400)),
        attr(79, eap),
        attr(80, bytes(16)),
    ]
    pkt = rad(1, 0x63, RA_STATION, attrs)
    mac = hmac.new(SECRET, pkt, hashlib.md5).digest()
    return pkt[:-16] + mac


def rad_acct(ident, status, s, extra):
    attrs = [
        attr(40, u32(status)),
        attr(1, s["user"].encode()),
        attr(4, v4(R["ggsn"])),
        attr(6, u32(2)),
        attr(7, u32(7)),                # Framed-Protocol GPRS-PDP-Context
        attr(8, v4(s["ue4"])),
    ] + extra + [
        attr(30, s["apn"].encode()),    # Called-Station-Id: the APN
        attr(31, s["msisdn"].encode()),  # Calling-Station-Id: the MSISDN
        attr(44, s["session"].encode()),
        attr(41, u32(0)),               # Acct-Delay-Time
        attr(45, u32(1)),               # Acct-Authentic RADIUS
        vsa3(1, s["imsi"].encode()),    # 3GPP-IMSI
        vsa3(2, u32(0x0C0FF000 | ident)),  # 3GPP-Charging-ID
        vsa3(9, b"00101"),              # 3GPP-GGSN-MCC-MNC
        vsa3(10, b"5"),                 # 3GPP-NSAPI
        vsa3(12, b"0"),                 # 3GPP-Selection-Mode
        vsa3(13, b"0800"),              # 3GPP-Charging-Characteristics
        vsa3(20, s["imeisv"].encode()),  # 3GPP-IMEISV
        vsa3(21, bytes([6])),           # 3GPP-RAT-Type EUTRAN
        vsa3(22, uli_typed_tai_ecgi(s["tac"], s["eci"])),  # 3GPP-User-Location-Info
        vsa3(23, bytes([0x40, 0])),     # 3GPP-MS-TimeZone
    ]
    return acct_auth(rad(4, ident, bytes(16), attrs))


def rad_acct_start():
    s = R["start"]
    return rad_acct(0x64, 1, s, [attr(97, bytes([0, 64]) + v6(s["ue6"])[:8])])


def rad_acct_interim():
    return rad_acct(0x65, 3, R["interim"], [
        attr(46, u32(600)),             # Acct-Session-Time
        attr(42, u32(1234567)),         # Acct-Input-Octets
        attr(43, u32(7654321)),         # Acct-Output-Octets
        attr(47, u32(2345)),            # Acct-Input-Packets
        attr(48, u32(6789)),            # Acct-Output-Packets
    ])


def rad_acct_resp():
    req = rad_acct_interim()
    return with_resp_auth(rad(5, 0x65, bytes(16), []), req[4:20])


# ---- Diameter (RFC 6733, RFC 4006, TS 29.212, TS 32.299) ---------------

def avp(code, v, vendor=0, m=True):
    flags = (0x80 if vendor else 0) | (0x40 if m else 0)
    hdr = struct.pack("!IB", code, flags) + struct.pack("!I", 8 + (4 if vendor else 0) + len(v))[1:]
    if vendor:
        hdr += struct.pack("!I", vendor)
    return hdr + v + bytes(-len(v) % 4)


def avp3(code, v, m=True):
    return avp(code, v, 10415, m)


def txt(s):
    return s.encode()


def addr4(a):
    return struct.pack("!H", 1) + v4(a)  # Address: family 1 (IPv4)


def diameter(flags, app, hbh, e2e, avps):
    body = b"".join(avps)
    return struct.pack("!I", 0x01000000 | (20 + len(body))) + \
        struct.pack("!I", flags << 24 | 272) + struct.pack("!III", app, hbh, e2e) + body


GX, DCCA = 16777238, 4


def sub_ids():
    return [avp(443, avp(450, u32(0)) + avp(444, txt(D["msisdn"]))),  # END_USER_E164
            avp(443, avp(450, u32(1)) + avp(444, txt(D["imsi"])))]    # END_USER_IMSI


def gx_ccr_i():
    return diameter(0xC0, GX, 0x0000A107, 0x5E0A1070, [
        avp(263, txt(D["gx_session"])),
        avp(258, u32(GX)),                                # Auth-Application-Id
        avp(264, txt(D["pcef_host"])),
        avp(296, txt(D["realm"])),
        avp(283, txt(D["realm"])),                        # Destination-Realm
        avp(416, u32(1)),                                 # CC-Request-Type INITIAL
        avp(415, u32(0)),                                 # CC-Request-Number
        *sub_ids(),
        avp3(1024, u32(1)),                               # Network-Request-Support
        avp(8, v4(D["ue4"])),                             # Framed-IP-Address
        avp(97, bytes([0, 64]) + v6(D["ue6"])[:8]),       # Framed-IPv6-Prefix
        avp3(1027, u32(5)),                               # IP-CAN-Type 3GPP-EPS
        avp3(1032, u32(1004)),                            # RAT-Type EUTRAN
        avp(458, avp(459, u32(0)) + avp(460, tbcd(D["imeisv"])), m=False),  # IMEISV, TBCD
        avp3(22, uli_typed_tai_ecgi(D["tac"], D["eci"]), m=False),  # 3GPP-User-Location-Info
        avp3(23, bytes([0x40, 0]), m=False),              # 3GPP-MS-TimeZone
        avp3(18, txt("00101"), m=False),                  # 3GPP-SGSN-MCC-MNC
        avp3(1050, addr4(D["pcef"])),                     # AN-GW-Address
        avp(30, txt(D["apn"])),                           # Called-Station-Id
        avp3(1049, avp3(1028, u32(9)) +                   # Default-EPS-Bearer-QoS: QCI 9, ARP 10
             avp3(1034, avp3(1046, u32(10)) + avp3(1047, u32(1)) + avp3(1048, u32(1)))),
    ])


def gx_cca_i():
    return diameter(0x40, GX, 0x0000A107, 0x5E0A1070, [
        avp(263, txt(D["gx_session"])),
        avp(258, u32(GX)),
        avp(264, txt(D["pcrf_host"])),
        avp(296, txt(D["realm"])),
        avp(268, u32(2001)),                              # Result-Code DIAMETER_SUCCESS
        avp(416, u32(1)),
        avp(415, u32(0)),
        avp3(1023, u32(2)),                               # Bearer-Control-Mode UE_NW
        avp3(1006, u32(13)),                              # Event-Trigger USER_LOCATION_CHANGE
        avp3(1001, avp3(1005, txt("default-internet"))),  # Charging-Rule-Install
        avp3(1016, avp3(1041, u32(50000000)) + avp3(1040, u32(150000000))),  # APN-AMBR
    ])


def gy_ccr_i():
    ps = b"".join([
        avp3(2, u32(D["charging"]), m=False),             # 3GPP-Charging-Id
        avp3(3, u32(0), m=False),                         # 3GPP-PDP-Type IPv4
        avp3(1227, addr4(D["ue4"])),                      # PDP-Address
        avp3(1228, addr4(D["pcef"])),                     # SGSN-Address
        avp3(847, addr4(D["pcef"])),                      # GGSN-Address
        avp(30, txt(D["apn"])),                           # Called-Station-Id
        avp3(22, uli_typed_tai_ecgi(D["tac"], D["eci"]), m=False),
        avp3(21, bytes([6]), m=False),                    # 3GPP-RAT-Type
        avp3(18, txt("00101"), m=False),
    ])
    return diameter(0xC0, DCCA, 0x0000A108, 0x5E0A1080, [
        avp(263, txt(D["gy_session"])),
        avp(264, txt(D["pcef_host"])),
        avp(296, txt(D["realm"])),
        avp(283, txt(D["realm"])),
        avp(258, u32(DCCA)),
        avp(461, txt("32251@3gpp.org")),                  # Service-Context-Id (PS)
        avp(416, u32(1)),
        avp(415, u32(0)),
        avp(55, u32(NTP_2024_12_03)),                     # Event-Timestamp
        *sub_ids(),
        avp(455, u32(1)),                                 # Multiple-Services-Indicator
        avp(456, avp(437, avp(421, struct.pack("!Q", 1000000))) +  # MSCC: RSU 1 MB,
                 avp(432, u32(100))),                     # Rating-Group 100
        avp(458, avp(459, u32(0)) + avp(460, txt(D["imeisv"])), m=False),  # IMEISV as text
        avp3(873, avp3(874, ps)),                         # Service-Information / PS-Information
    ])


def gx_ccr_t():
    return diameter(0xC0, GX, 0x0000A109, 0x5E0A1090, [
        avp(263, txt(D["gx_session"])),
        avp(258, u32(GX)),
        avp(264, txt(D["pcef_host"])),
        avp(296, txt(D["realm"])),
        avp(283, txt(D["realm"])),
        avp(416, u32(3)),                                 # CC-Request-Type TERMINATION
        avp(415, u32(1)),
        avp(295, u32(1)),                                 # Termination-Cause LOGOUT
        avp(55, u32(NTP_2024_12_03 + 3600)),
    ])


# ---- output -------------------------------------------------------------

# (name, bytes, comment, how the pcap carries it: (transport, src, sport, dst, dport))
FIXTURES = [
    ("fx_v2_csr", v2_csr_a(), "GTPv2-C Create Session Request, S5/S8 SGW -> PGW: IMSI %s, "
     "MSISDN %s, MEI %s, ULI TAI %d + ECGI %d, RAT 6, sender F-TEID S5/S8-C SGW 0x%08x@%s, APN "
     "%s, PAA IPv4 %s, bearer 5 F-TEID S5/S8-U SGW (instance 2) 0x%08x" % (
         A["imsi"], A["msisdn"], A["mei"], A["tac"], A["eci"], A["sgw_c"], A["sgw"], A["apn"],
         A["ue4"], A["sgw_u"]), ("udp", A["sgw"], 2123, A["pgw"], 2123)),
    ("fx_v2_csresp", v2_csresp_a(), "Create Session Response (header TEID 0x%08x): cause 16, "
     "F-TEID S5/S8-C PGW 0x%08x@%s, PAA %s, bearer 5 F-TEID S5/S8-U PGW 0x%08x" % (
         A["sgw_c"], A["pgw_c"], A["pgw"], A["ue4"], A["pgw_u"]),
     ("udp", A["pgw"], 2123, A["sgw"], 2123)),
    ("fx_v2_dsr", v2_dsr_a(), "Delete Session Request to the PGW (header TEID 0x%08x), "
     "linked EBI 5" % A["pgw_c"], ("udp", A["sgw"], 2123, A["pgw"], 2123)),
    ("fx_v2_dsresp", v2_dsresp_a(), "Delete Session Response, cause 16",
     ("udp", A["pgw"], 2123, A["sgw"], 2123)),
    ("fx_v2_csr_v4v6", v2_csr_b(), "Create Session Request, S5 %s -> %s: IMSI %s, MEI "
     "(IMEISV) %s, PDN type IPv4v6, PAA 0.0.0.0 / ::/64 (dynamic)" % (
         B["sgw"], B["pgw"], B["imsi"], B["mei"]), ("udp", B["sgw"], 2123, B["pgw"], 2123)),
    ("fx_v2_csresp_v4v6", v2_csresp_b(), "Create Session Response: PAA IPv4v6 %s / %s/64, "
     "F-TEID S5/S8-C PGW 0x%08x@%s" % (B["ue4"], B["ue6"], B["pgw_c"], B["pgw"]),
     ("udp", B["pgw"], 2123, B["sgw"], 2123)),
    ("fx_v2_mbr", v2_mbr_b(), "Modify Bearer Request, S11 MME %s -> SGW (header TEID 0x%08x): "
     "bearer 5 F-TEID S1-U eNodeB 0x%08x@%s" % (B["mme"], B["sgw_s11"], B["enb_u"], B["enb"]),
     ("udp", B["mme"], 2123, B["sgw"], 2123)),
    ("fx_v2_mbresp", v2_mbresp_b(), "Modify Bearer Response (header TEID 0x%08x): cause 16, "
     "bearer 5 F-TEID S1-U SGW 0x%08x" % (B["mme_s11"], B["sgw_s1u"]),
     ("udp", B["sgw"], 2123, B["mme"], 2123)),
    ("fx_v1_cpdp_req", v1_cpdp_req(), "GTPv1-C Create PDP Context Request, SGSN -> GGSN: IMSI "
     "%s, TEID-U 0x%08x, TEID-C 0x%08x, EUA IPv4 dynamic, APN %s, GSN %s / %s, MSISDN %s, "
     "RAT UTRAN, ULI SAI, IMEISV %s" % (
         V1["imsi"], V1["sgsn_teid_u"], V1["sgsn_teid_c"], V1["apn"], V1["sgsn_c"],
         V1["sgsn_u"], V1["msisdn"], V1["imeisv"]),
     ("udp", V1["sgsn_c"], 2123, V1["ggsn_c"], 2123)),
    ("fx_v1_cpdp_resp", v1_cpdp_resp(), "Create PDP Context Response (header TEID 0x%08x): "
     "cause 128, TEID-U 0x%08x, TEID-C 0x%08x, EUA %s, GSN %s / %s" % (
         V1["sgsn_teid_c"], V1["ggsn_teid_u"], V1["ggsn_teid_c"], V1["ue4"], V1["ggsn_c"],
         V1["ggsn_u"]), ("udp", V1["ggsn_c"], 2123, V1["sgsn_c"], 2123)),
    ("fx_v0_resp", v0_cpdp_resp(), "GTPv0 Create PDP Context Response: TID IMSI %s NSAPI %d, "
     "cause 128, EUA %s" % (V0["imsi"], V0["nsapi"], V0["ue4"]),
     ("udp", V0["ggsn_c"], 3386, "192.0.2.52", 3386)),
    ("fx_rad_req_pap", rad_req_pap(), "RADIUS Access-Request id 0x61: User-Name %s, "
     "User-Password (hidden with the secret)" % R["pap_user"],
     ("udp", NAS, 40000, R["server"], 1812)),
    ("fx_rad_accept", rad_accept(), "Access-Accept id 0x61: Framed-IP-Address %s" %
     R["accept_ip"], ("udp", R["server"], 1812, NAS, 40000)),
    ("fx_rad_req_chap", rad_req_chap(), "Access-Request id 0x62: User-Name %s, CHAP-Password "
     "(ident 0x%02x)" % (R["pap_user"], CHAP_ID), ("udp", NAS, 40001, R["server"], 1812)),
    ("fx_rad_req_station", rad_req_station(), "Access-Request id 0x63 (802.1X): User-Name %s, "
     "Calling-Station-Id %s, Called-Station-Id %s, EAP-Message, Message-Authenticator" % (
         R["station_user"], R["station"], R["station_called"]),
     ("udp", NAS, 40002, R["server"], 1812)),
    ("fx_rad_acct_start", rad_acct_start(), "Accounting-Request id 0x64 Start: User-Name %s, "
     "Framed-IP %s, Framed-IPv6-Prefix %s/64, Called %s, Calling %s, Acct-Session-Id %s, "
     "3GPP-IMSI %s, 3GPP-IMEISV %s, 3GPP-ULI TAI %d + ECGI %d" % tuple(
         R["start"][k] for k in ("user", "ue4", "ue6", "apn", "msisdn", "session", "imsi",
                                 "imeisv", "tac", "eci")),
     ("udp", R["ggsn"], 40003, R["server"], 1813)),
    ("fx_rad_acct_interim", rad_acct_interim(), "Accounting-Request id 0x65 Interim-Update: "
     "User-Name %s, Framed-IP %s, Called %s, Calling %s, Acct-Session-Id %s, 3GPP-IMSI %s, "
     "3GPP-IMEISV %s, 3GPP-ULI TAI %d + ECGI %d" % tuple(
         R["interim"][k] for k in ("user", "ue4", "apn", "msisdn", "session", "imsi", "imeisv",
                                   "tac", "eci")),
     ("udp", R["ggsn"], 40003, R["server"], 1813)),
    ("fx_rad_acct_resp", rad_acct_resp(), "Accounting-Response id 0x65",
     ("udp", R["server"], 1813, R["ggsn"], 40003)),
    ("fx_gx_ccr_i", gx_ccr_i(), "Diameter Gx CCR-I: Session-Id %s, Subscription-Id E.164 %s "
     "and IMSI %s, Framed-IP %s, Framed-IPv6-Prefix %s/64, User-Equipment-Info IMEISV %s "
     "(TBCD), 3GPP-ULI TAI %d + ECGI %d, Called-Station-Id %s" % (
         D["gx_session"], D["msisdn"], D["imsi"], D["ue4"], D["ue6"], D["imeisv"], D["tac"],
         D["eci"], D["apn"]), ("tcp", D["pcef"], 40010, D["pcrf"], 3868)),
    ("fx_gx_cca_i", gx_cca_i(), "Gx CCA-I: Result-Code 2001",
     ("tcp", D["pcrf"], 3868, D["pcef"], 40010)),
    ("fx_gy_ccr_i", gy_ccr_i(), "Gy (DCCA) CCR-I: Session-Id %s, the same Subscription-Ids, "
     "User-Equipment-Info IMEISV as text; address, APN and ULI only inside "
     "Service-Information / PS-Information" % D["gy_session"],
     ("tcp", D["pcef"], 40011, D["ocs"], 3868)),
    ("fx_gx_ccr_t", gx_ccr_t(), "Gx CCR-T: CC-Request-Type 3, Termination-Cause 1",
     ("tcp", D["pcef"], 40010, D["pcrf"], 3868)),
    ("fx_rad_req_pap_pw", PAP_HIDDEN, "the User-Password value of fx_rad_req_pap (RFC 2865 5.2 "
     "hidden \"%s\"): must reach no output" % PAP_PASSWORD.decode(), None),
    ("fx_rad_req_chap_pw", CHAP_VALUE, "the CHAP-Password value of fx_rad_req_chap (ident + "
     "MD5 response): must reach no output", None),
]


def carr(name, b, comment):
    out = "/* %s (%d bytes) */\n" % (comment, len(b))
    out += "static const uint8_t %s[%d] __attribute__((unused)) = {\n" % (name, len(b))
    for i in range(0, len(b), 12):
        out += "    " + ", ".join("0x%02x" % x for x in b[i:i + 12]) + ",\n"
    return out + "};\n\n"


def write_header(path):
    with open(path, "w") as f:
        f.write("/* mcore_fixtures.h - generated by tests/unit/mkmcore.py (do not edit): mobile-core\n"
                " * control-plane messages built from field values chosen in mkmcore.py, following\n"
                " * TS 29.274, TS 29.060, GSM 09.60, RFC 2865 / 2866 / 3162 / 3579, TS 29.061,\n"
                " * RFC 6733 / 4006, TS 29.212 and TS 32.299.  No byte comes from a capture.\n"
                " * Each message decodes in tshark 4.0.17 as commented, without a malformed or\n"
                " * expert warning (mkmcore.py --check).  RADIUS shared secret: \"%s\". */\n"
                "#ifndef PR_TESTS_MCORE_FIXTURES_H\n#define PR_TESTS_MCORE_FIXTURES_H\n\n"
                "#include <stdint.h>\n\n" % SECRET.decode())
        for name, b, comment, _ in FIXTURES:
            f.write(carr(name, b, comment))
        f.write("#endif\n")


def write_pcap(path):
    """Writes every message into a pcap; returns {fixture name: frame number}."""
    sys.path.insert(0, "tests/unit")
    from fxpcap import Pcap
    p, frames = Pcap(), {}
    for name, b, _, how in FIXTURES:
        if how is None:
            continue
        kind, src, sport, dst, dport = how
        if kind == "udp":
            frames[name] = p.udp(src, sport, dst, dport, b)
        else:
            frames[name] = p.tcp_msg(src, sport, dst, dport, b)
    p.write(path)
    return frames


# What tshark must show for each message: (field, value) pairs, the values
# taken from the chosen values above, not from the encoders.
TSHARK_FIELDS = ["e212.imsi", "e164.msisdn", "gtpv2.mei", "gtpv2.apn", "gtpv2.f_teid_gre_key",
                 "gtpv2.f_teid_ipv4", "gtpv2.pdn_addr_and_prefix.ipv4",
                 "gtpv2.pdn_addr_and_prefix.ipv6", "gtpv2.cause", "gtpv2.tai_tac",
                 "gtpv2.ecgi_eci", "gtpv2.teid", "gtp.apn", "gtp.teid_cp", "gtp.teid_data",
                 "gtp.user_ipv4", "gtp.gsn_ipv4", "gtp.cause", "gtp.ext_imeisv", "gtp.tid",
                 "radius.User_Name", "radius.User_Password", "radius.CHAP_Password",
                 "radius.Framed-IP-Address", "radius.Framed_IPv6_Prefix",
                 "radius.Calling_Station_Id", "radius.Called_Station_Id",
                 "radius.Acct_Session_Id", "radius.Acct_Status_Type",
                 "radius.3GPP_IMEISV", "diameter.Session-Id", "diameter.Subscription-Id-Data",
                 "diameter.Framed-IP-Address", "diameter.Called-Station-Id",
                 "diameter.Result-Code", "diameter.CC-Request-Type"]


def hx(n):
    return "0x%08x" % n


def expected():
    a, b, g, z, r, d = A, B, V1, V0, R, D
    st, it = r["start"], r["interim"]
    return {
        "fx_v2_csr": [("e212.imsi", a["imsi"]), ("e164.msisdn", a["msisdn"]),
                      ("gtpv2.mei", a["mei"]), ("gtpv2.apn", a["apn"]),
                      ("gtpv2.f_teid_gre_key", hx(a["sgw_c"])),
                      ("gtpv2.f_teid_gre_key", hx(a["sgw_u"])), ("gtpv2.f_teid_ipv4", a["sgw"]),
                      ("gtpv2.pdn_addr_and_prefix.ipv4", a["ue4"]),
                      ("gtpv2.tai_tac", "0x%04x" % a["tac"]), ("gtpv2.ecgi_eci", str(a["eci"]))],
        "fx_v2_csresp": [("gtpv2.cause", "16"), ("gtpv2.teid", hx(a["sgw_c"])),
                         ("gtpv2.f_teid_gre_key", hx(a["pgw_c"])),
                         ("gtpv2.f_teid_gre_key", hx(a["pgw_u"])),
                         ("gtpv2.f_teid_ipv4", a["pgw"]),
                         ("gtpv2.pdn_addr_and_prefix.ipv4", a["ue4"])],
        "fx_v2_dsr": [("gtpv2.teid", hx(a["pgw_c"]))],
        "fx_v2_dsresp": [("gtpv2.cause", "16"), ("gtpv2.teid", hx(a["sgw_c"]))],
        "fx_v2_csr_v4v6": [("e212.imsi", b["imsi"]), ("gtpv2.mei", b["mei"]),
                           ("gtpv2.apn", b["apn"]), ("gtpv2.pdn_addr_and_prefix.ipv4", "0.0.0.0"),
                           ("gtpv2.pdn_addr_and_prefix.ipv6", "::")],
        "fx_v2_csresp_v4v6": [("gtpv2.pdn_addr_and_prefix.ipv4", b["ue4"]),
                              ("gtpv2.pdn_addr_and_prefix.ipv6", b["ue6"]),
                              ("gtpv2.f_teid_gre_key", hx(b["pgw_c"])),
                              ("gtpv2.f_teid_ipv4", b["pgw"])],
        "fx_v2_mbr": [("gtpv2.teid", hx(b["sgw_s11"])), ("gtpv2.f_teid_gre_key", hx(b["enb_u"])),
                      ("gtpv2.f_teid_ipv4", b["enb"])],
        "fx_v2_mbresp": [("gtpv2.teid", hx(b["mme_s11"])), ("gtpv2.cause", "16"),
                         ("gtpv2.f_teid_gre_key", hx(b["sgw_s1u"]))],
        "fx_v1_cpdp_req": [("e212.imsi", g["imsi"]), ("e164.msisdn", g["msisdn"]),
                           ("gtp.apn", g["apn"]), ("gtp.teid_cp", hx(g["sgsn_teid_c"])),
                           ("gtp.teid_data", hx(g["sgsn_teid_u"])), ("gtp.gsn_ipv4", g["sgsn_c"]),
                           ("gtp.gsn_ipv4", g["sgsn_u"]), ("gtp.ext_imeisv", g["imeisv"])],
        "fx_v1_cpdp_resp": [("gtp.cause", "128"), ("gtp.teid_cp", hx(g["ggsn_teid_c"])),
                            ("gtp.teid_data", hx(g["ggsn_teid_u"])), ("gtp.user_ipv4", g["ue4"]),
                            ("gtp.gsn_ipv4", g["ggsn_c"]), ("gtp.gsn_ipv4", g["ggsn_u"])],
        "fx_v0_resp": [("gtp.cause", "128"), ("gtp.tid", z["imsi"] + str(z["nsapi"])),
                       ("gtp.user_ipv4", z["ue4"])],
        "fx_rad_req_pap": [("radius.User_Name", r["pap_user"]),
                           ("radius.User_Password", PAP_PASSWORD.decode())],
        "fx_rad_accept": [("radius.Framed-IP-Address", r["accept_ip"])],
        "fx_rad_req_chap": [("radius.User_Name", r["pap_user"]),
                            ("radius.CHAP_Password", CHAP_VALUE.hex())],
        "fx_rad_req_station": [("radius.User_Name", r["station_user"]),
                               ("radius.Calling_Station_Id", r["station"]),
                               ("radius.Called_Station_Id", r["station_called"])],
        "fx_rad_acct_start": [("radius.Acct_Status_Type", "1"), ("radius.User_Name", st["user"]),
                              ("radius.Framed-IP-Address", st["ue4"]),
                              ("radius.Calling_Station_Id", st["msisdn"]),
                              ("radius.Called_Station_Id", st["apn"]),
                              ("radius.Acct_Session_Id", st["session"]),
                              ("e212.imsi", st["imsi"]),
                              ("radius.3GPP_IMEISV", st["imeisv"])],
        "fx_rad_acct_interim": [("radius.Acct_Status_Type", "3"),
                                ("radius.User_Name", it["user"]),
                                ("radius.Framed-IP-Address", it["ue4"]),
                                ("radius.Calling_Station_Id", it["msisdn"]),
                                ("radius.Acct_Session_Id", it["session"]),
                                ("e212.imsi", it["imsi"]),
                                ("radius.3GPP_IMEISV", it["imeisv"])],
        "fx_rad_acct_resp": [],
        "fx_gx_ccr_i": [("diameter.Session-Id", d["gx_session"]),
                        ("diameter.Subscription-Id-Data", d["imsi"]),
                        ("diameter.Subscription-Id-Data", d["msisdn"]),
                        ("diameter.Framed-IP-Address", "64400707"),
                        ("diameter.Called-Station-Id", d["apn"]),
                        ("diameter.CC-Request-Type", "1")],
        "fx_gx_cca_i": [("diameter.Result-Code", "2001"), ("diameter.CC-Request-Type", "1")],
        "fx_gy_ccr_i": [("diameter.Session-Id", d["gy_session"]),
                        ("diameter.Subscription-Id-Data", d["imsi"])],
        "fx_gx_ccr_t": [("diameter.CC-Request-Type", "3")],
    }


def check(path):
    """Runs tshark on the pcap: the expected values, no expert warning or error."""
    import subprocess
    frames = write_pcap(path)
    tshark = ["tshark", "-r", path, "-o", "radius.shared_secret:" + SECRET.decode(),
              "-o", "radius.validate_authenticator:TRUE"]
    out = subprocess.run(tshark + ["-T", "fields", "-E", "separator=\t", "-E",
                                   "aggregator=\x01", "-e", "frame.number"] +
                         sum([["-e", f] for f in TSHARK_FIELDS], []),
                         capture_output=True, text=True, check=True).stdout
    seen = {}
    for line in out.splitlines():
        cols = line.split("\t")
        seen[int(cols[0])] = {(f, v) for f, c in zip(TSHARK_FIELDS, cols[1:])
                              for v in c.split("\x01") if v}
    bad = 0
    for name, want in expected().items():
        for fv in want:
            if fv not in seen.get(frames[name], set()):
                print("%s (frame %d): tshark does not show %s = %s" % (name, frames[name], *fv))
                bad += 1
    exp = subprocess.run(tshark + ["-q", "-z", "expert,warn"], capture_output=True, text=True,
                         check=True).stdout
    if "Warns" in exp or "Errors" in exp or "Malformed" in exp:
        print(exp)
        bad += 1
    print("tshark: %d messages, %d expected field values, %s" % (
        len(frames), sum(len(v) for v in expected().values()),
        "all shown, no warning" if not bad else "%d problems" % bad))
    return bad == 0


if __name__ == "__main__":
    write_header("tests/unit/mcore_fixtures.h")
    if len(sys.argv) == 3 and sys.argv[1] == "--pcap":
        write_pcap(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "--check":
        sys.exit(0 if check(sys.argv[2]) else 1)
