#!/usr/bin/env python3
"""tests/suites/sms_oracle.py - SMS events of a capture as tshark dissects
it (the independent oracle) and as trapline stored them, normalised to
(time_us, protocol, operation, originator, recipient, status).

Usage: sms_oracle.py tshark PCAP          -> normalised tshark events
       sms_oracle.py trapline DB          -> normalised trapline events
       sms_oracle.py compare PCAP DB NAME -> one table row, exit 1 on mismatch

The tshark side never prints message text: only the address, code and
time fields listed below are read from the dissection.
"""
import json
import sqlite3
import subprocess
import sys

# nas-5gs.null_decipher: read 5GS NAS under NEA0 (Wireshark 4.0's default is
# not to; EPS NAS under EEA0 is read by default).
TSHARK_OPTS = ["-o", "tcp.desegment_tcp_streams:TRUE", "-o", "nas-5gs.null_decipher:TRUE"]


def as_list(v):
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def find(o, key):
    """All values of key anywhere below o, in document order."""
    out = []
    if isinstance(o, dict):
        for k, v in o.items():
            if k == key:
                out.extend(as_list(v))
            if isinstance(v, (dict, list)):
                out.extend(find(v, key))
    elif isinstance(o, list):
        for x in o:
            out.extend(find(x, key))
    return out


def first(o, key, default=""):
    v = find(o, key)
    return v[0] if v else default


def usec(epoch):
    s, _, frac = epoch.partition(".")
    return int(s) * 1000000 + int((frac + "000000")[:6])


def tshark_json(pcap, yfilter):
    out = subprocess.run(["tshark", "-r", pcap, "-T", "json", "--no-duplicate-keys", "-Y",
                          yfilter] + TSHARK_OPTS, capture_output=True, check=True).stdout
    return json.loads(out or b"[]")


def stream_key(layers):
    ip = layers.get("ip", {})
    tcp = layers.get("tcp", {})
    return (ip.get("ip.src"), tcp.get("tcp.srcport"), ip.get("ip.dst"), tcp.get("tcp.dstport"))


SMPP_OPS = {0x04: "submit", 0x05: "deliver", 0x103: "data", 0x21: "submit_multi",
            0x01: "bind_receiver", 0x02: "bind_transmitter", 0x09: "bind_transceiver"}


def smpp_events(pcap):
    pending, done = [], []
    for pkt in tshark_json(pcap, "smpp"):
        L = pkt["_source"]["layers"]
        t = usec(L["frame"]["frame.time_epoch"])
        sk = stream_key(L)
        for pdu in as_list(L.get("smpp")):
            cid = int(pdu["smpp.command_id"], 16)
            seq = pdu.get("smpp.sequence_number")
            if cid & 0x80000000:
                req_dir = (sk[2], sk[3], sk[0], sk[1])
                for e in pending:
                    if e["key"] == (req_dir, seq) and e["status"] == "":
                        e["status"] = pdu.get("smpp.command_status", "")
                continue
            op = SMPP_OPS.get(cid)
            if op is None:
                continue
            mtype = int(pdu.get("smpp.esm.submit.msg_type", "0x00"), 16)
            if cid in (0x05, 0x103) and mtype:
                op = "receipt"
            base = {"t": t, "op": op, "key": (sk, seq), "status": ""}
            if op.startswith("bind"):
                pending.append(dict(base, o="", r=""))
            elif cid == 0x21:
                dl = pdu.get("smpp.dlist", {})
                for d in as_list(dl.get("smpp.destination_addr")) + as_list(dl.get("smpp.dl_name")):
                    pending.append(dict(base, o=pdu.get("smpp.source_addr", ""), r=d))
            else:
                pending.append(dict(base, o=pdu.get("smpp.source_addr", ""),
                                    r=pdu.get("smpp.destination_addr", "")))
    for e in pending:
        done.append((e["t"], "smpp", e["op"], e["o"], e["r"], e["status"]))
    return done


def sip_events(pcap):
    reqs, answers = [], {}
    for pkt in tshark_json(pcap, 'sip.Method == "MESSAGE" || sip.CSeq.method == "MESSAGE"'):
        L = pkt["_source"]["layers"]
        t = usec(L["frame"]["frame.time_epoch"])
        for sip in as_list(L.get("sip")):
            key = (first(sip, "sip.Call-ID"), first(sip, "sip.CSeq.seq"))
            code = first(sip, "sip.Status-Code")
            if code:
                if int(code) >= 200:
                    answers.setdefault(key, code)
                continue
            frm, to = first(sip, "sip.from.addr"), first(sip, "sip.to.addr")
            pai = first(sip, "sip.pai.addr")
            rp = first(L, "gsm_a.rp.msg_type")
            if rp == "":
                reqs.append((t, "message", frm, to, key))
                continue
            rp = int(rp, 16)
            mti = first(L, "gsm_sms.tp-mti")
            if rp not in (0, 1) or mti == "":
                continue  # RP-ACK / RP-ERROR / RP-SMMA: reports, not transfers
            mti = int(mti)
            if rp == 0:
                op = {1: "submit", 2: "command"}.get(mti, "report")
                reqs.append((t, op, pai or frm, first(L, "gsm_sms.tp-da"), key))
            elif mti == 2:
                reqs.append((t, "status-report", to, first(L, "gsm_sms.tp-ra"), key))
            else:
                reqs.append((t, "deliver", first(L, "gsm_sms.tp-oa"), to, key))
    return [(t, "sip", op, o, r, answers.get(k, "")) for t, op, o, r, k in reqs]


MAP_OPS = (44, 45, 46, 47, 49, 64)
TRANSPORTS = ("m3ua", "m2pa", "m2ua", "sua")
# an SS7 link capture (link types MTP2_WITH_PHDR, MTP2, MTP3): MTP3 with no
# SIGTRAN layer under it; trapline names it "mtp3" in detail
LINK_VIA = "mtp3"


def route_fields(L):
    """The SS7 routing fields trapline writes into detail, from tshark."""
    f = {}
    via = [x for x in TRANSPORTS if x in L]
    f["via"] = via[0] if via else (LINK_VIA if "mtp3" in L else "")
    if "sua" in L:
        s = L["sua"]
        f["cgpa"] = first(s, "sua.source.global_title_digits")
        f["cgssn"] = first(s, "sua.source.ssn")
        f["cdpa"] = first(s, "sua.destination.global_title_digits")
        f["cdssn"] = first(s, "sua.destination.ssn")
        return f
    opc = first(L, "m3ua.protocol_data_opc") or first(L, "mtp3.opc")
    dpc = first(L, "m3ua.protocol_data_dpc") or first(L, "mtp3.dpc")
    f["opc"], f["dpc"] = opc, dpc
    sc = as_list(L.get("sccp"))
    sc = sc[-1] if sc else {}
    f["cgpa"] = first(sc, "sccp.calling.digits")
    f["cgssn"] = first(sc, "sccp.calling.ssn")
    f["cdpa"] = first(sc, "sccp.called.digits")
    f["cdssn"] = first(sc, "sccp.called.ssn")
    return f


def map_events(pcap, extra=None):
    reqs, results, res_imsi = [], {}, {}
    for pkt in tshark_json(pcap, "tcap"):
        L = pkt["_source"]["layers"]
        t = usec(L["frame"]["frame.time_epoch"])
        tcaps = as_list(L.get("tcap"))
        maps = as_list(L.get("gsm_map"))
        smss = as_list(L.get("gsm_sms"))
        si = mi = 0
        for tc in tcaps:
            otid = first(tc, "tcap.otid")
            dtid = first(tc, "tcap.dtid")
            acn = first(tc, "tcap.application_context_name")
            # tshark adds one gsm_map layer per component, in order
            n = int(first(tc, "tcap.components", "0"))
            comps = []
            for gm in maps[mi:mi + n]:
                comps.extend(as_list(gm.get("gsm_map.old.Component_tree")))
            mi += n
            for comp in comps:
                for kind, c in comp.items():
                    inv_id = first(c, "gsm_old.invokeID")
                    if kind == "gsm_old.invoke_element":
                        op = int(first(c, "gsm_old.localValue", "-1"))
                        if op not in MAP_OPS:
                            continue
                        key = (otid, inv_id)
                        x = route_fields(L)
                        x["op"] = str(op)
                        x["v"] = acn.rsplit(".", 1)[-1] if acn.startswith("0.4.0.0.1.0.") else ""
                        x["imsi"] = first(c, "e212.imsi")
                        if op == 45:
                            sc = first(c, "gsm_map.sm.serviceCentreAddress_tree")
                            x["smsc"] = first(sc, "e164.msisdn")
                            reqs.append((t, "sri-sm", "", first(c, "e164.msisdn"), key, x))
                            continue
                        if op in (47, 49, 64):
                            sc = first(c, "gsm_map.sm.serviceCentreAddress_tree")
                            ms = first(c, "gsm_map.sm.msisdn_tree")
                            x["smsc"] = first(sc, "e164.msisdn")
                            opn = "report-delivery" if op == 47 else "alert-sc"
                            reqs.append((t, opn, "", first(ms, "e164.msisdn"), key, x))
                            continue
                        sms = smss[si] if si < len(smss) else {}
                        si += 1
                        # MAP v1 arguments are dissected under gsm_old.*
                        da = first(c, "gsm_map.sm.sm_RP_DA") or first(c, "gsm_old.sm_RP_DA")
                        oa = (first(c, "gsm_map.sm.sm_RP_OA_tree") or
                              first(c, "gsm_old.sm_RP_OA_tree"))
                        if da == "0" or op == 44:  # imsi: mobile terminated
                            mti = int(first(sms, "gsm_sms.tp-mti", "0"))
                            opn = {0: "deliver", 2: "status-report"}.get(mti, "report")
                            x["smsc"] = first(oa, "e164.msisdn")
                            reqs.append((t, opn, first(sms, "gsm_sms.tp-oa"),
                                         first(c, "e212.imsi"), key, x))
                        else:
                            rda = (first(c, "gsm_map.sm.sm_RP_DA_tree") or
                                   first(c, "gsm_old.sm_RP_DA_tree"))
                            x["smsc"] = first(rda, "e164.msisdn")
                            mti = int(first(sms, "gsm_sms.tp-mti", "1"))
                            opn = {1: "submit", 2: "command"}.get(mti, "report")
                            reqs.append((t, opn, first(oa, "e164.msisdn"),
                                         first(sms, "gsm_sms.tp-da"), key, x))
                    elif kind == "gsm_old.returnResultLast_element":
                        results[(dtid, inv_id)] = "ok"
                        res_imsi[(dtid, inv_id)] = first(c, "e212.imsi")
                    elif kind == "gsm_old.returnError_element":
                        results[(dtid, inv_id)] = "error " + first(c, "gsm_old.localValue",
                                                                   first(c, "gsm_old.errorCode"))
    out = []
    for t, op, o, r, k, x in reqs:
        if not x["imsi"]:
            x["imsi"] = res_imsi.get(k, "")
        ev = (t, "map", op, o, r, results.get(k, ""))
        out.append(ev)
        if extra is not None:
            extra[ev] = x
    return out


def rp_event(L, t, proto, imsi, reqs, answers, tmsi=""):
    """One CP-DATA's RP message (TS 24.011) as a request or an answer;
    requests and answers pair on (subscriber, RP-MR, direction of the data)."""
    rp = int(first(L, "gsm_a.rp.msg_type"), 16)
    mr = int(first(L, "gsm_a.rp.rp_message_reference", "0x00"), 16)
    who = imsi or tmsi
    if rp in (2, 3, 4, 5):
        # an MS->N answer (2, 4) acknowledges N->MS data (1) and v.v.
        cause = first(L, "gsm_a.rp.cause")
        answers[(who, mr, rp in (3, 5))] = "error " + cause if cause else "ok"
        return
    if rp not in (0, 1):
        return
    mti = int(first(L, "gsm_sms.tp-mti", "0"))
    x = {"imsi": imsi}
    if tmsi:
        x["tmsi"] = tmsi
    # tshark 4.0 names RP-OA's digits cld_party_bcd_num too
    smsc = first(L, "gsm_a.dtap.clg_party_bcd_num") or first(L, "gsm_a.dtap.cld_party_bcd_num")
    x["smsc"] = smsc
    if rp == 0:
        op = {1: "submit", 2: "command"}.get(mti, "report")
        reqs.append((t, proto, op, imsi, first(L, "gsm_sms.tp-da"), (who, mr, True), x))
    else:
        op = {0: "deliver", 2: "status-report"}.get(mti, "report")
        reqs.append((t, proto, op, first(L, "gsm_sms.tp-oa"), imsi, (who, mr, False), x))


def finish(reqs, answers, extra):
    out = []
    for t, proto, op, o, r, k, x in reqs:
        ev = (t, proto, op, o, r, answers.get(k, ""))
        out.append(ev)
        if extra is not None:
            extra[ev] = x
    return out


def sgsap_events(pcap, extra=None):
    reqs, answers = [], {}
    for pkt in tshark_json(pcap, "sgsap && gsm_a.rp.msg_type"):
        L = pkt["_source"]["layers"]
        rp_event(L, usec(L["frame"]["frame.time_epoch"]), "sgsap", first(L, "e212.imsi"),
                 reqs, answers)
    return finish(reqs, answers, extra)


def cs_events(pcap, extra=None):
    """DTAP SMS on SCCP connections (BSSAP, RANAP): the subscriber comes
    from the connection's first message (CR), found again by the local
    references (sccp.slr / sccp.dlr)."""
    reqs, answers, ident = [], {}, {}
    for pkt in tshark_json(pcap, "sccp.slr || sccp.dlr"):
        L = pkt["_source"]["layers"]
        sc = L.get("sccp", {})
        slr, dlr = first(sc, "sccp.slr"), first(sc, "sccp.dlr")
        if slr and not dlr:  # CR: the initial L3 message names the subscriber
            tm = first(L, "3gpp.tmsi")
            ident[slr] = (first(L, "e212.imsi"), "%08x" % int(tm) if tm else "")
        elif slr and dlr in ident:  # CC: the responder's reference
            ident[slr] = ident[dlr]
        if not first(L, "gsm_a.rp.msg_type") or not ("bssap" in L or "ranap" in L):
            continue
        imsi, tmsi = ident.get(dlr, ("", ""))
        proto = "bssap" if "bssap" in L else "ranap"
        rp_event(L, usec(L["frame"]["frame.time_epoch"]), proto, imsi, reqs, answers, tmsi)
    return finish(reqs, answers, extra)


def ran_imsi(L):
    """The IMSI an S1AP / NGAP message's NAS names: EPS NAS gives e212.imsi,
    5GS NAS a SUCI whose MSIN is in clear under the null scheme (the
    fixtures' PLMN has a two-digit MNC)."""
    imsi = first(L, "e212.imsi")
    if imsi or first(L, "nas_5gs.mm.suci.scheme_id") != "0":
        return imsi
    msin, mcc, mnc = (first(L, "nas_5gs.mm.suci.msin"), first(L, "e212.mcc"),
                      first(L, "e212.mnc"))
    return "%03d%02d%s" % (int(mcc), int(mnc), msin) if msin and mcc and mnc else ""


def ran_events(pcap, proto, extra=None):
    """SMS over NAS on S1-MME or N2: the subscriber of a UE context (the
    base station's UE id) comes from the IMSI of its Attach / Registration
    request, or, for a context opened by an (5G-)S-TMSI, from the context
    whose accept allocated that (5G-)M-TMSI, or, for a context opened by a
    Path Switch Request (an X2 / Xn handover, TS 36.413 8.4.4, TS 38.413
    8.4.4), from the context the core node knew by the id the request gives
    as the source's (SourceMME-UE-S1AP-ID / Source AMF UE NGAP ID, which
    tshark shows as an MME / AMF UE id), or, for a context opened by a
    Handover Request (an S1 handover, TS 36.413 8.4.2), from the context whose
    setup request gave the gateway's uplink TEID that the request names."""
    ue_id, stmsi_f, guti_f, cn_f, pdu_f, pc_f, switch, horeq, setup = {
        "s1ap": ("s1ap.ENB_UE_S1AP_ID", "s1ap.m_TMSI", "nas_eps.emm.m_tmsi",
                 "s1ap.MME_UE_S1AP_ID", "s1ap.S1AP_PDU", "s1ap.procedureCode", "3", "1",
                 ("9", "5")),
        "ngap": ("ngap.RAN_UE_NGAP_ID", "ngap.fiveG_TMSI", "nas_5gs.5g_tmsi",
                 "ngap.AMF_UE_NGAP_ID", "ngap.NGAP_PDU", "ngap.procedureCode", "25", None,
                 ())}[proto]
    reqs, answers, ident, by_tmsi, by_cn = [], {}, {}, {}, {}
    by_teid, pending = {}, {}
    for pkt in tshark_json(pcap, proto):
        L = pkt["_source"]["layers"]
        enb = first(L, ue_id)
        cn = first(L, cn_f)
        pc, pdu = first(L, pc_f), first(L, pdu_f)
        if pc == switch and pdu == "0":
            if by_cn.get(cn) in ident:
                ident[enb] = ident[by_cn[cn]]
        elif pc == horeq and pdu == "0":
            for teid in find(L, "s1ap.gTP_TEID"):
                if by_teid.get(teid) in ident:
                    pending[cn] = ident[by_teid[teid]]
        elif pc == horeq and pdu == "1":
            if cn in pending:
                ident[enb] = pending[cn]
        elif cn and enb:
            by_cn[cn] = enb
        if pc in setup and pdu == "0":
            for teid in find(L, "s1ap.gTP_TEID"):
                by_teid[teid] = enb
        imsi = ran_imsi(L)
        if imsi:
            ident[enb] = imsi
        stmsi = first(L, stmsi_f)
        if stmsi and enb not in ident:
            ident[enb] = by_tmsi.get(stmsi, "")
        guti = first(L, guti_f)
        if guti and ident.get(enb):
            by_tmsi[guti] = ident[enb]
        if first(L, "gsm_a.rp.msg_type"):
            rp_event(L, usec(L["frame"]["frame.time_epoch"]), proto, ident.get(enb, ""), reqs,
                     answers)
    return finish(reqs, answers, extra)


def sgd_events(pcap):
    reqs, answers = [], {}
    for pkt in tshark_json(pcap, "diameter.cmd.code == 8388645 || diameter.cmd.code == 8388646"):
        L = pkt["_source"]["layers"]
        t = usec(L["frame"]["frame.time_epoch"])
        for d in as_list(L.get("diameter")):
            code = int(d["diameter.cmd.code"])
            if code not in (8388645, 8388646):
                continue
            hbh = d.get("diameter.hopbyhopid")
            if first(d, "diameter.flags.request") != "1":
                rc = first(d, "diameter.Result-Code") or first(d, "diameter.Experimental-Result-Code")
                answers[hbh] = rc or "answer"
                continue
            sms = first(d, "gsm_sms", {})
            if code == 8388645:
                uid = first(d, "diameter.User-Identifier_tree") or d
                o = first(uid, "e164.msisdn") or first(d, "diameter.User-Name")
                reqs.append((t, "submit", o, first(sms, "gsm_sms.tp-da"), hbh))
            else:
                reqs.append((t, "deliver", first(sms, "gsm_sms.tp-oa"),
                             first(d, "diameter.User-Name"), hbh))
    return [(t, "sgd", op, o, r, answers.get(k, "")) for t, op, o, r, k in reqs]


def gan_events(pcap, extra=None):
    """UMA / GAN URR direct transfers: the subscriber comes from the TCP
    connection's REGISTER REQUEST."""
    reqs, answers, imsi = [], {}, {}
    for pkt in tshark_json(pcap, "uma"):
        L = pkt["_source"]["layers"]
        st = first(L.get("tcp", {}), "tcp.stream")
        if first(L, "e212.imsi") and not first(L, "gsm_a.rp.msg_type"):
            imsi[st] = first(L, "e212.imsi")
            continue
        if first(L, "gsm_a.rp.msg_type"):
            rp_event(L, usec(L["frame"]["frame.time_epoch"]), "gan", imsi.get(st, ""), reqs,
                     answers)
    return finish(reqs, answers, extra)


def tshark_events(pcap, extra=None):
    ev = []
    for fn in (smpp_events, sip_events, sgd_events):
        ev.extend(fn(pcap))
    ev.extend(map_events(pcap, extra))
    ev.extend(sgsap_events(pcap, extra))
    ev.extend(cs_events(pcap, extra))
    ev.extend(gan_events(pcap, extra))
    ev.extend(ran_events(pcap, "s1ap", extra))
    ev.extend(ran_events(pcap, "ngap", extra))
    return sorted(ev)


def detail_fields(detail):
    """Parses trapline's MAP detail ("op=44 v3 m2pa opc=100 dpc=200
    cgpa=GT/SSN cdpa=GT/SSN ...") into the fields route_fields names."""
    f = {"v": "", "via": ""}
    for tok in detail.split():
        k, eq, v = tok.partition("=")
        if not eq:
            if k[:1] == "v" and k[1:].isdigit():
                f["v"] = k[1:]
            elif k in TRANSPORTS or k == LINK_VIA:
                f["via"] = k
            continue
        if k in ("cgpa", "cdpa"):
            gt, _, ssn = v.partition("/")
            f[k], f[k[:2] + "ssn"] = gt, ssn
        elif k in ("op", "opc", "dpc"):
            f[k] = v
    return f


def trapline_extra(db):
    con = sqlite3.connect(db)
    rows = con.execute("SELECT ts_us, protocol, operation, originator, recipient, status,"
                       " smsc, imsi, detail FROM sms_events ORDER BY ts_us, id").fetchall()
    con.close()
    out = {}
    for r in rows:
        if r[1] not in ("map", "sgsap", "ranap", "bssap", "gan", "s1ap", "ngap"):
            continue
        f = detail_fields(r[8]) if r[1] == "map" else {}
        if r[8].startswith("tmsi="):
            f["tmsi"] = r[8][5:]
        f["smsc"], f["imsi"] = r[6], r[7]
        out[tuple(r[:6])] = f
    return out


def field_score(want_x, got_x, mismatches):
    """Fields matched / compared over the events both sides have: the six
    event columns plus, for MAP and SGsAP, every routing and identity field
    tshark shows."""
    m = n = 0
    for ev, x in want_x.items():
        g = got_x.get(ev)
        if g is None:
            continue
        for k, v in sorted(x.items()):
            n += 1
            if g.get(k, "") == v:
                m += 1
            else:
                mismatches.append("%s %s %s: trapline %r, tshark %r" % (ev[0], ev[2], k,
                                                                        g.get(k, ""), v))
    return m, n


def trapline_events(db):
    con = sqlite3.connect(db)
    rows = con.execute("SELECT ts_us, protocol, operation, originator, recipient, status"
                       " FROM sms_events ORDER BY ts_us, id").fetchall()
    con.close()
    return sorted(tuple(r) for r in rows)


def show(ev):
    for e in ev:
        print("\t".join(str(x) for x in e))


def main():
    if sys.argv[1] == "tshark":
        show(tshark_events(sys.argv[2]))
    elif sys.argv[1] == "trapline":
        show(trapline_events(sys.argv[2]))
    elif sys.argv[1] == "compare":
        want_x = {}
        want, got = tshark_events(sys.argv[2], want_x), trapline_events(sys.argv[3])
        mism = []
        m, n = field_score(want_x, trapline_extra(sys.argv[3]), mism)
        common = sum(1 for e in want if e in set(got))
        m, n = m + 6 * common, n + 6 * len(want)
        ok = want == got and m == n
        print("%-34s %8d %8d %9s  %s" % (sys.argv[4], len(got), len(want), "%d/%d" % (m, n),
                                         "ok" if ok else "DIFFER"))
        if not ok:
            for e in sorted(set(want) - set(got)):
                print("    only tshark:   " + "\t".join(str(x) for x in e))
            for e in sorted(set(got) - set(want)):
                print("    only trapline: " + "\t".join(str(x) for x in e))
            for x in mism:
                print("    field: " + x)
        sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
