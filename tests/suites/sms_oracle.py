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

TSHARK_OPTS = ["-o", "tcp.desegment_tcp_streams:TRUE"]


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


def map_events(pcap):
    reqs, results = [], {}
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
                        if op not in (44, 45, 46):
                            continue
                        key = (otid, inv_id)
                        if op == 45:
                            reqs.append((t, "sri-sm", "", first(c, "e164.msisdn"), key))
                            continue
                        sms = smss[si] if si < len(smss) else {}
                        si += 1
                        da = first(c, "gsm_map.sm.sm_RP_DA")
                        if da == "0" or op == 44:  # imsi: mobile terminated
                            mti = int(first(sms, "gsm_sms.tp-mti", "0"))
                            opn = {0: "deliver", 2: "status-report"}.get(mti, "report")
                            reqs.append((t, opn, first(sms, "gsm_sms.tp-oa"),
                                         first(c, "e212.imsi"), key))
                        else:
                            oa = first(c, "gsm_map.sm.sm_RP_OA_tree")
                            mti = int(first(sms, "gsm_sms.tp-mti", "1"))
                            opn = {1: "submit", 2: "command"}.get(mti, "report")
                            reqs.append((t, opn, first(oa, "e164.msisdn"),
                                         first(sms, "gsm_sms.tp-da"), key))
                    elif kind == "gsm_old.returnResultLast_element":
                        results[(dtid, inv_id)] = "ok"
                    elif kind == "gsm_old.returnError_element":
                        results[(dtid, inv_id)] = "error " + first(c, "gsm_old.localValue",
                                                                   first(c, "gsm_old.errorCode"))
    return [(t, "map", op, o, r, results.get(k, "")) for t, op, o, r, k in reqs]


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


def tshark_events(pcap):
    ev = []
    for fn in (smpp_events, sip_events, map_events, sgd_events):
        ev.extend(fn(pcap))
    return sorted(ev)


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
        want, got = tshark_events(sys.argv[2]), trapline_events(sys.argv[3])
        ok = want == got
        print("%-34s %8d %8d  %s" % (sys.argv[4], len(got), len(want), "ok" if ok else "DIFFER"))
        if not ok:
            for e in sorted(set(want) - set(got)):
                print("    only tshark:   " + "\t".join(str(x) for x in e))
            for e in sorted(set(got) - set(want)):
                print("    only trapline: " + "\t".join(str(x) for x in e))
        sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
