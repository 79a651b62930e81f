#!/usr/bin/env python3
# tests/unit/mkfixtures.py - writes tests/unit/sms_fixtures.h from the generated
# captures of pcaps/ (built by pcaps/gen) and from fx_smpp_submit, which is built
# here field by field; nothing is read from ../shared.
# (run from the repository root: python3 tests/unit/mkfixtures.py > tests/unit/sms_fixtures.h;
#  `python3 tests/unit/mkfixtures.py --pcap X.pcap` writes fx_smpp_submit in a pcap
#  instead, for `tshark -r X.pcap -O smpp`: it decodes as built, no expert warning.)
import struct, sys
def cstr(s):
    return s.encode() + b'\0'
def smpp_submit_sm():
    # SMPP v3.4 section 4.4.1 submit_sm: header (command_length, command_id 0x00000004,
    # command_status 0, sequence_number 3), then the mandatory parameters
    body = (cstr('') + bytes([1, 1]) + cstr('15551230401') +   # service_type, source TON/NPI/addr
            bytes([1, 1]) + cstr('15551230402') +               # dest TON international, NPI E.164
            bytes([0, 0, 0]) + cstr('') + cstr('') +            # esm_class, protocol_id, priority,
            bytes([1, 0, 0, 0]))                                 # schedule, validity; registered_delivery,
    sm = b'Hello from trapline'                                  # replace, data_coding, sm_default_msg_id
    body += bytes([len(sm)]) + sm
    return struct.pack('>IIII', 16 + len(body), 0x00000004, 0, 3) + body
if len(sys.argv) == 3 and sys.argv[1] == '--pcap':
    sys.path.insert(0, 'tests/unit')
    from fxpcap import Pcap
    p = Pcap()
    p.tcp_msg('192.0.2.90', 40020, '192.0.2.91', 2775, smpp_submit_sm())
    p.write(sys.argv[2])
    sys.exit(0)
def frames(path):
    d = open(path,'rb').read()
    off = 24; n = 0
    while off + 16 <= len(d):
        ts, us, incl, orig = struct.unpack('<IIII', d[off:off+16]); off += 16
        n += 1
        yield n, d[off:off+incl]; off += incl
def l4payload(fr):
    p = fr[14:]
    et = struct.unpack('>H', fr[12:14])[0]
    assert et == 0x0800
    ihl = (p[0] & 15) * 4; proto = p[9]; tot = struct.unpack('>H', p[2:4])[0]
    ip = p[ihl:tot]
    if proto == 17:
        sport, dport = struct.unpack('>HH', ip[:4])
        if dport == 2152 or sport == 2152:
            g = ip[8:]; inner = g[8:]
            return l4payload(fr[:14] + inner)
        return ip[8:]
    if proto == 6:
        doff = (ip[12] >> 4) * 4; return ip[doff:]
    if proto == 132:
        return ip[12:]
    return b''
def carr(name, b, origin):
    out = ['/* %s */' % origin, 'static const uint8_t %s[%d] __attribute__((unused)) = {' % (name, len(b))]
    for i in range(0, len(b), 12):
        out.append('    ' + ', '.join('0x%02x' % x for x in b[i:i+12]) + ',')
    out.append('};')
    return '\n'.join(out)
want = [
 ('fx_smpp_submit', None, smpp_submit_sm(), 'submit_sm built by tests/unit/mkfixtures.py (SMPP v3.4 4.4.1): sequence 3, 15551230401 -> 15551230402 (TON 1, NPI 1), registered_delivery 1, 19 octets of text'),
 ('fx_smpp_two', 'pcaps/sms_smpp.pcap', 12, 'pcaps/sms_smpp.pcap frame 12: two submit_sm PDUs (seq 4, 5) in one TCP segment'),
 ('fx_smpp_multi', 'pcaps/sms_smpp.pcap', 21, 'pcaps/sms_smpp.pcap frame 21: submit_multi (2 SME addresses + a distribution list)'),
 ('fx_smpp_receipt', 'pcaps/sms_smpp.pcap', 25, 'pcaps/sms_smpp.pcap frame 25: deliver_sm delivery receipt (esm_class 0x04)'),
 ('fx_smpp_data', 'pcaps/sms_smpp.pcap', 19, 'pcaps/sms_smpp.pcap frame 19: data_sm with message_payload and sar_* TLVs'),
 ('fx_smpp_bind', 'pcaps/sms_smpp.pcap', 4, 'pcaps/sms_smpp.pcap frame 4: bind_transceiver with a password'),
 ('fx_sip_mo', 'pcaps/sms_sip.pcap', 1, 'pcaps/sms_sip.pcap frame 1: SIP MESSAGE, RP-DATA MS->N, SMS-SUBMIT (UDP payload)'),
 ('fx_sip_202', 'pcaps/sms_sip.pcap', 2, 'pcaps/sms_sip.pcap frame 2: SIP/2.0 202 Accepted'),
 ('fx_sip_mt', 'pcaps/sms_sip.pcap', 5, 'pcaps/sms_sip.pcap frame 5: SIP MESSAGE, RP-DATA N->MS, SMS-DELIVER from an alphanumeric sender'),
 ('fx_map_mo', 'pcaps/sms_map.pcap', 1, 'pcaps/sms_map.pcap frame 1: SCTP chunks (after the common header): DATA/M3UA/SCCP UDT/TCAP Begin/mo-forwardSM'),
 ('fx_map_two_invokes', 'pcaps/sms_map.pcap', 6, 'pcaps/sms_map.pcap frame 6: SCTP chunks: TCAP Begin with two mt-forwardSM invokes'),
 ('fx_map_bundle', 'pcaps/sms_map.pcap', 7, 'pcaps/sms_map.pcap frame 7: two DATA chunks (TCAP End: returnError, two returnResultLast)'),
 ('fx_sgd_ofr', 'pcaps/sms_sgd.pcap', 6, 'pcaps/sms_sgd.pcap frame 6: Diameter OFR over TCP'),
 ('fx_sgd_ofa', 'pcaps/sms_sgd.pcap', 7, 'pcaps/sms_sgd.pcap frame 7: Diameter OFA (Result-Code 2001)'),
 ('fx_sgd_tfr_sctp', 'pcaps/sms_sgd.pcap', 11, 'pcaps/sms_sgd.pcap frame 11: SCTP chunks: DATA PPID 46, Diameter TFR'),
 ('fx_m2pa_seg1', 'pcaps/sms_m2pa.pcap', 1, 'pcaps/sms_m2pa.pcap frame 1: SCTP chunks: DATA PPID 5, M2PA/MTP3/SCCP XUDT, first of two segments of an mt-forwardSM'),
 ('fx_m2pa_seg2', 'pcaps/sms_m2pa.pcap', 2, 'pcaps/sms_m2pa.pcap frame 2: the second (last) XUDT segment'),
 ('fx_m2pa_result', 'pcaps/sms_m2pa.pcap', 3, 'pcaps/sms_m2pa.pcap frame 3: UDT TCAP End returnResultLast for the segmented mt-forwardSM'),
 ('fx_m2pa_v1', 'pcaps/sms_m2pa.pcap', 4, 'pcaps/sms_m2pa.pcap frame 4: MAP v1 forwardSM (shortMsgRelay v1 dialogue, SM-RP-DA imsi)'),
 ('fx_m2pa_report', 'pcaps/sms_m2pa.pcap', 6, 'pcaps/sms_m2pa.pcap frame 6: reportSM-DeliveryStatus (successfulTransfer)'),
 ('fx_m2pa_alert', 'pcaps/sms_m2pa.pcap', 8, 'pcaps/sms_m2pa.pcap frame 8: alertServiceCentre'),
 ('fx_m2pa_cont', 'pcaps/sms_m2pa.pcap', 12, 'pcaps/sms_m2pa.pcap frame 12: TCAP Continue carrying mo-forwardSM'),
 ('fx_m2ua_mo', 'pcaps/sms_m2ua.pcap', 1, 'pcaps/sms_m2ua.pcap frame 1: SCTP chunks: DATA PPID 2, M2UA/MTP3/SCCP UDT, mo-forwardSM'),
 ('fx_sua_mt', 'pcaps/sms_sua.pcap', 1, 'pcaps/sms_sua.pcap frame 1: SCTP chunks: DATA PPID 4, SUA CLDT, mt-forwardSM'),
 ('fx_sgsap_mo', 'pcaps/sms_sgsap.pcap', 1, 'pcaps/sms_sgsap.pcap frame 1: SCTP chunks: DATA PPID 0, SGsAP Uplink Unitdata, CP-DATA/RP-DATA/SMS-SUBMIT'),
 ('fx_sgsap_cpack', 'pcaps/sms_sgsap.pcap', 2, 'pcaps/sms_sgsap.pcap frame 2: Downlink Unitdata, CP-ACK'),
 ('fx_sgsap_rpack', 'pcaps/sms_sgsap.pcap', 3, 'pcaps/sms_sgsap.pcap frame 3: Downlink Unitdata, CP-DATA/RP-ACK'),
 ('fx_sgsap_mt', 'pcaps/sms_sgsap.pcap', 5, 'pcaps/sms_sgsap.pcap frame 5: Downlink Unitdata, CP-DATA/RP-DATA/SMS-DELIVER'),
 ('fx_sgsap_rperror', 'pcaps/sms_sgsap.pcap', 7, 'pcaps/sms_sgsap.pcap frame 7: Uplink Unitdata, CP-DATA/RP-ERROR cause 22'),
 ('fx_s1ap_attach', 'pcaps/s1ap.pcap', 1, 'pcaps/s1ap.pcap frame 1: SCTP DATA PPID 18, S1AP Initial UE Message, Attach request (IMSI ALICE), ECGI, TAI'),
 ('fx_s1ap_smc', 'pcaps/s1ap.pcap', 2, 'pcaps/s1ap.pcap frame 2: SCTP DATA PPID 18, S1AP Downlink NAS transport, Security mode command (EEA0, IMEISV requested)'),
 ('fx_s1ap_smc_done', 'pcaps/s1ap.pcap', 3, 'pcaps/s1ap.pcap frame 3: SCTP DATA PPID 18, S1AP Uplink NAS transport, Security mode complete (IMEISV), null-ciphered'),
 ('fx_s1ap_ics_req', 'pcaps/s1ap.pcap', 4, 'pcaps/s1ap.pcap frame 4: SCTP DATA PPID 18, S1AP Initial Context Setup Request, E-RAB 5 (SGW 10.0.13.3 TEID 0x1001), Attach accept'),
 ('fx_s1ap_ics_resp', 'pcaps/s1ap.pcap', 5, 'pcaps/s1ap.pcap frame 5: SCTP DATA PPID 18, S1AP Initial Context Setup Response, E-RAB 5 (eNB 10.0.13.1 TEID 0x2001)'),
 ('fx_s1ap_attach_done', 'pcaps/s1ap.pcap', 6, 'pcaps/s1ap.pcap frame 6: SCTP DATA PPID 18, S1AP Uplink NAS transport, Attach complete'),
 ('fx_s1ap_mo', 'pcaps/s1ap.pcap', 9, 'pcaps/s1ap.pcap frame 9: SCTP DATA PPID 18, S1AP Uplink NAS transport, CP-DATA/RP-DATA/SMS-SUBMIT to BOB'),
 ('fx_s1ap_mo_cpack', 'pcaps/s1ap.pcap', 10, 'pcaps/s1ap.pcap frame 10: SCTP DATA PPID 18, S1AP Downlink NAS transport, CP-ACK'),
 ('fx_s1ap_mo_rpack', 'pcaps/s1ap.pcap', 11, 'pcaps/s1ap.pcap frame 11: SCTP DATA PPID 18, S1AP Downlink NAS transport, CP-DATA/RP-ACK'),
 ('fx_s1ap_mo_cpack2', 'pcaps/s1ap.pcap', 12, 'pcaps/s1ap.pcap frame 12: SCTP DATA PPID 18, S1AP Uplink NAS transport, CP-ACK'),
 ('fx_s1ap_service', 'pcaps/s1ap.pcap', 13, 'pcaps/s1ap.pcap frame 13: SCTP DATA PPID 18, S1AP Initial UE Message (eNB UE id 8), Service request, S-TMSI 0xc0ffee01'),
 ('fx_s1ap_mt', 'pcaps/s1ap.pcap', 14, 'pcaps/s1ap.pcap frame 14: SCTP DATA PPID 18, S1AP Downlink NAS transport, CP-DATA/RP-DATA/SMS-DELIVER from BOB'),
 ('fx_s1ap_mt_cpack', 'pcaps/s1ap.pcap', 15, 'pcaps/s1ap.pcap frame 15: SCTP DATA PPID 18, S1AP Uplink NAS transport, CP-ACK'),
 ('fx_s1ap_mt_rpack', 'pcaps/s1ap.pcap', 16, 'pcaps/s1ap.pcap frame 16: SCTP DATA PPID 18, S1AP Uplink NAS transport, CP-DATA/RP-ACK'),
 ('fx_s1ap_mt_cpack2', 'pcaps/s1ap.pcap', 17, 'pcaps/s1ap.pcap frame 17: SCTP DATA PPID 18, S1AP Downlink NAS transport, CP-ACK'),
 ('fx_s1ap_detach', 'pcaps/s1ap.pcap', 18, 'pcaps/s1ap.pcap frame 18: SCTP DATA PPID 18, S1AP Uplink NAS transport, Detach request (GUTI)'),
 ('fx_s1ap_carol', 'pcaps/s1ap.pcap', 19, 'pcaps/s1ap.pcap frame 19: SCTP DATA PPID 18, S1AP Initial UE Message (eNB UE id 9), Attach request (IMSI CAROL)'),
 ('fx_s1ap_carol_smc', 'pcaps/s1ap.pcap', 20, 'pcaps/s1ap.pcap frame 20: SCTP DATA PPID 18, S1AP Downlink NAS transport, Security mode command (EEA2)'),
 ('fx_s1ap_carol_c1', 'pcaps/s1ap.pcap', 21, 'pcaps/s1ap.pcap frame 21: SCTP DATA PPID 18, S1AP Uplink NAS transport, ciphered (header type 4)'),
 ('fx_s1ap_carol_c2', 'pcaps/s1ap.pcap', 22, 'pcaps/s1ap.pcap frame 22: SCTP DATA PPID 18, S1AP Uplink NAS transport, ciphered (header type 2)'),
 ('fx_ngap_register', 'pcaps/ngap.pcap', 1, 'pcaps/ngap.pcap frame 1: SCTP DATA PPID 60, NGAP Initial UE Message, Registration request (SUCI, null scheme), NR user location'),
 ('fx_ngap_smc', 'pcaps/ngap.pcap', 2, 'pcaps/ngap.pcap frame 2: SCTP DATA PPID 60, NGAP Downlink NAS transport, Security mode command (NEA0, IMEISV requested)'),
 ('fx_ngap_smc_done', 'pcaps/ngap.pcap', 3, 'pcaps/ngap.pcap frame 3: SCTP DATA PPID 60, NGAP Uplink NAS transport, Security mode complete (IMEISV, the Registration request), null-ciphered'),
 ('fx_ngap_ics_req', 'pcaps/ngap.pcap', 4, 'pcaps/ngap.pcap frame 4: SCTP DATA PPID 60, NGAP Initial Context Setup Request, Registration accept (5G-GUTI)'),
 ('fx_ngap_ics_resp', 'pcaps/ngap.pcap', 5, 'pcaps/ngap.pcap frame 5: SCTP DATA PPID 60, NGAP Initial Context Setup Response'),
 ('fx_ngap_reg_done', 'pcaps/ngap.pcap', 6, 'pcaps/ngap.pcap frame 6: SCTP DATA PPID 60, NGAP Uplink NAS transport, Registration complete'),
 ('fx_ngap_est_req', 'pcaps/ngap.pcap', 7, 'pcaps/ngap.pcap frame 7: SCTP DATA PPID 60, NGAP Uplink NAS transport, UL NAS transport: PDU session establishment request'),
 ('fx_ngap_pdu_req', 'pcaps/ngap.pcap', 8, 'pcaps/ngap.pcap frame 8: SCTP DATA PPID 60, NGAP PDU Session Resource Setup Request: accept (10.46.14.9, DNN internet), UPF 10.0.14.3 TEID 0x3001'),
 ('fx_ngap_pdu_resp', 'pcaps/ngap.pcap', 9, 'pcaps/ngap.pcap frame 9: SCTP DATA PPID 60, NGAP PDU Session Resource Setup Response: gNB 10.0.14.1 TEID 0x4001'),
 ('fx_ngap_mo', 'pcaps/ngap.pcap', 12, 'pcaps/ngap.pcap frame 12: SCTP DATA PPID 60, NGAP Uplink NAS transport, UL NAS transport (SMS): CP-DATA/RP-DATA/SMS-SUBMIT to BOB'),
 ('fx_ngap_mo_cpack', 'pcaps/ngap.pcap', 13, 'pcaps/ngap.pcap frame 13: SCTP DATA PPID 60, NGAP Downlink NAS transport, CP-ACK'),
 ('fx_ngap_mo_rpack', 'pcaps/ngap.pcap', 14, 'pcaps/ngap.pcap frame 14: SCTP DATA PPID 60, NGAP Downlink NAS transport, CP-DATA/RP-ACK'),
 ('fx_ngap_mo_cpack2', 'pcaps/ngap.pcap', 15, 'pcaps/ngap.pcap frame 15: SCTP DATA PPID 60, NGAP Uplink NAS transport, CP-ACK'),
 ('fx_ngap_service', 'pcaps/ngap.pcap', 16, 'pcaps/ngap.pcap frame 16: SCTP DATA PPID 60, NGAP Initial UE Message (RAN UE id 8), Service request, FiveG-S-TMSI 0xc0ffee02'),
 ('fx_ngap_mt', 'pcaps/ngap.pcap', 17, 'pcaps/ngap.pcap frame 17: SCTP DATA PPID 60, NGAP Downlink NAS transport, CP-DATA/RP-DATA/SMS-DELIVER from BOB'),
 ('fx_ngap_mt_cpack', 'pcaps/ngap.pcap', 18, 'pcaps/ngap.pcap frame 18: SCTP DATA PPID 60, NGAP Uplink NAS transport, CP-ACK'),
 ('fx_ngap_mt_rpack', 'pcaps/ngap.pcap', 19, 'pcaps/ngap.pcap frame 19: SCTP DATA PPID 60, NGAP Uplink NAS transport, CP-DATA/RP-ACK'),
 ('fx_ngap_mt_cpack2', 'pcaps/ngap.pcap', 20, 'pcaps/ngap.pcap frame 20: SCTP DATA PPID 60, NGAP Downlink NAS transport, CP-ACK'),
 ('fx_ngap_dereg', 'pcaps/ngap.pcap', 21, 'pcaps/ngap.pcap frame 21: SCTP DATA PPID 60, NGAP Uplink NAS transport, Deregistration request (5G-GUTI)'),
 ('fx_ngap_dave', 'pcaps/ngap.pcap', 22, 'pcaps/ngap.pcap frame 22: SCTP DATA PPID 60, NGAP Initial UE Message (RAN UE id 9), Registration request (concealed SUCI)'),
 ('fx_ngap_dave_smc', 'pcaps/ngap.pcap', 23, 'pcaps/ngap.pcap frame 23: SCTP DATA PPID 60, NGAP Downlink NAS transport, Security mode command (NEA2)'),
 ('fx_ngap_dave_c1', 'pcaps/ngap.pcap', 24, 'pcaps/ngap.pcap frame 24: SCTP DATA PPID 60, NGAP Uplink NAS transport, ciphered (header type 4)'),
 ('fx_ngap_dave_c2', 'pcaps/ngap.pcap', 25, 'pcaps/ngap.pcap frame 25: SCTP DATA PPID 60, NGAP Uplink NAS transport, ciphered (header type 2)'),
 ('fx_ngap_fiona', 'pcaps/ngap.pcap', 26, 'pcaps/ngap.pcap frame 26: SCTP DATA PPID 60, NGAP Initial UE Message (RAN UE id 10), Registration request (SUCI of TS 33.501 Annex C.4.3.1, Profile A)'),
 ('fx_ngap_fiona_smc', 'pcaps/ngap.pcap', 27, 'pcaps/ngap.pcap frame 27: SCTP DATA PPID 60, NGAP Downlink NAS transport, Security mode command (NEA0)'),
 ('fx_ngap_fiona_smc_done', 'pcaps/ngap.pcap', 28, 'pcaps/ngap.pcap frame 28: SCTP DATA PPID 60, NGAP Uplink NAS transport, Security mode complete'),
 ('fx_ngap_fiona_ics_req', 'pcaps/ngap.pcap', 29, 'pcaps/ngap.pcap frame 29: SCTP DATA PPID 60, NGAP Initial Context Setup Request, Registration accept'),
 ('fx_ngap_fiona_ics_resp', 'pcaps/ngap.pcap', 30, 'pcaps/ngap.pcap frame 30: SCTP DATA PPID 60, NGAP Initial Context Setup Response'),
 ('fx_ngap_fiona_reg_done', 'pcaps/ngap.pcap', 31, 'pcaps/ngap.pcap frame 31: SCTP DATA PPID 60, NGAP Uplink NAS transport, Registration complete'),
 ('fx_ngap_fiona_est_req', 'pcaps/ngap.pcap', 32, 'pcaps/ngap.pcap frame 32: SCTP DATA PPID 60, NGAP Uplink NAS transport, PDU session establishment request'),
 ('fx_ngap_fiona_pdu_req', 'pcaps/ngap.pcap', 33, 'pcaps/ngap.pcap frame 33: SCTP DATA PPID 60, NGAP PDU Session Resource Setup Request: accept (10.46.14.10), UPF TEID 0x3002'),
 ('fx_ngap_fiona_pdu_resp', 'pcaps/ngap.pcap', 34, 'pcaps/ngap.pcap frame 34: SCTP DATA PPID 60, NGAP PDU Session Resource Setup Response: gNB TEID 0x4002'),
 ('fx_ngap_fiona_dereg', 'pcaps/ngap.pcap', 37, 'pcaps/ngap.pcap frame 37: SCTP DATA PPID 60, NGAP Uplink NAS transport, Deregistration request (the SUCI)'),
 ('fx_ngap_gus', 'pcaps/ngap.pcap', 38, 'pcaps/ngap.pcap frame 38: SCTP DATA PPID 60, NGAP Initial UE Message (RAN UE id 11), Registration request (SUCI of TS 33.501 Annex C.4.4.1, Profile B)'),
 ('fx_bssap_cr', 'pcaps/sms_bssap.pcap', 1, 'pcaps/sms_bssap.pcap frame 1: SCTP chunks: M3UA/SCCP CR/BSSMAP Complete Layer 3 (CM Service Request, IMSI)'),
 ('fx_bssap_cc', 'pcaps/sms_bssap.pcap', 2, 'pcaps/sms_bssap.pcap frame 2: SCCP CC'),
 ('fx_bssap_dt1', 'pcaps/sms_bssap.pcap', 3, 'pcaps/sms_bssap.pcap frame 3: SCCP DT1/DTAP CP-DATA/RP-DATA/SMS-SUBMIT'),
 ('fx_bssap_ack', 'pcaps/sms_bssap.pcap', 5, 'pcaps/sms_bssap.pcap frame 5: SCCP DT1/DTAP CP-DATA/RP-ACK'),
 ('fx_bssap_rlsd', 'pcaps/sms_bssap.pcap', 7, 'pcaps/sms_bssap.pcap frame 7: SCCP RLSD'),
 ('fx_ranap_initial', 'pcaps/sms_ranap.pcap', 8, 'pcaps/sms_ranap.pcap frame 8: SCCP CR/RANAP InitialUE-Message (Paging Response, TMSI)'),
 ('fx_ranap_cc', 'pcaps/sms_ranap.pcap', 9, 'pcaps/sms_ranap.pcap frame 9: SCCP CC'),
 ('fx_ranap_dt1', 'pcaps/sms_ranap.pcap', 10, 'pcaps/sms_ranap.pcap frame 10: SCCP DT1/RANAP DirectTransfer/CP-DATA/RP-DATA/SMS-DELIVER'),
 ('fx_ranap_ack', 'pcaps/sms_ranap.pcap', 12, 'pcaps/sms_ranap.pcap frame 12: DirectTransfer CP-DATA/RP-ACK MS->N'),
 ('fx_gan_register', 'pcaps/sms_gan.pcap', 4, 'pcaps/sms_gan.pcap frame 4: TCP payload: URR REGISTER REQUEST (IMSI ALICE)'),
 ('fx_gan_mo', 'pcaps/sms_gan.pcap', 5, 'pcaps/sms_gan.pcap frame 5: URR UPLINK DIRECT TRANSFER, CP-DATA/RP-DATA/SMS-SUBMIT'),
 ('fx_gan_ack', 'pcaps/sms_gan.pcap', 7, 'pcaps/sms_gan.pcap frame 7: URR DOWNLINK DIRECT TRANSFER, CP-DATA/RP-ACK'),
]
# pcaps/s1ap_handover.pcap's S1AP frames (the GTP-U look-ups left out): GINA's
# attach and MO SMS through the source eNodeB, the X2 handover's Path Switch
# Request and its acknowledge on the target's association, her MT SMS and detach there;
# then HANS's, handed over by S1 (Handover Request, acknowledge, Notify)
for fno, what in ((1, 'Initial UE Message (eNB UE id 51), Attach request (IMSI GINA)'),
                  (2, 'Downlink NAS transport, Security mode command (EEA0)'),
                  (3, 'Uplink NAS transport, Security mode complete (IMEISV)'),
                  (4, 'Initial Context Setup Request (MME UE id 61), SGW 10.0.17.3 TEID 0x9001, Attach accept'),
                  (5, 'Initial Context Setup Response, eNB 10.0.17.1 TEID 0xa001'),
                  (6, 'Uplink NAS transport, Attach complete'),
                  (9, 'Uplink NAS transport, CP-DATA/RP-DATA/SMS-SUBMIT to BOB'),
                  (10, 'Downlink NAS transport, CP-ACK'),
                  (11, 'Downlink NAS transport, CP-DATA/RP-ACK'),
                  (12, 'Uplink NAS transport, CP-ACK'),
                  (13, 'Path Switch Request from 10.0.17.4 (eNB UE id 71, SourceMME-UE-S1AP-ID 61, TEID 0xa002)'),
                  (14, 'Path Switch Request Acknowledge (MME UE id 62)'),
                  (17, 'Downlink NAS transport, CP-DATA/RP-DATA/SMS-DELIVER from BOB'),
                  (18, 'Uplink NAS transport, CP-ACK'),
                  (19, 'Uplink NAS transport, CP-DATA/RP-ACK'),
                  (20, 'Downlink NAS transport, CP-ACK'),
                  (21, 'Uplink NAS transport, Detach request (GUTI)'),
                  (22, 'Initial UE Message (eNB UE id 52), Attach request (IMSI HANS)'),
                  (23, 'Downlink NAS transport, Security mode command (EEA0)'),
                  (24, 'Uplink NAS transport, Security mode complete (IMEISV)'),
                  (25, 'Initial Context Setup Request (MME UE id 63), SGW 10.0.17.3 TEID 0x9003, Attach accept'),
                  (26, 'Initial Context Setup Response, eNB 10.0.17.1 TEID 0xa003'),
                  (27, 'Uplink NAS transport, Attach complete'),
                  (30, 'Uplink NAS transport, CP-DATA/RP-DATA/SMS-SUBMIT to BOB'),
                  (31, 'Downlink NAS transport, CP-ACK'),
                  (32, 'Downlink NAS transport, CP-DATA/RP-ACK'),
                  (33, 'Uplink NAS transport, CP-ACK'),
                  (34, 'Handover Request to 10.0.17.4 (MME UE id 64, E-RAB 5: SGW 10.0.17.3 TEID 0x9003)'),
                  (35, 'Handover Request Acknowledge (eNB UE id 72, E-RAB 5 admitted: 10.0.17.4 TEID 0xa004)'),
                  (36, 'Handover Notify (ECGI, TAI)'),
                  (39, 'Downlink NAS transport, CP-DATA/RP-DATA/SMS-DELIVER from BOB'),
                  (40, 'Uplink NAS transport, CP-ACK'),
                  (41, 'Uplink NAS transport, CP-DATA/RP-ACK'),
                  (42, 'Downlink NAS transport, CP-ACK'),
                  (43, 'Uplink NAS transport, Detach request (GUTI)')):
    want.append(('fx_ho_%d' % fno, 'pcaps/s1ap_handover.pcap', fno,
                 'pcaps/s1ap_handover.pcap frame %d: SCTP DATA PPID 18, S1AP %s' % (fno, what)))
# pcaps/s1ap_v6.pcap: IRIS's attach with an IPv6-only PDN connection, and her detach
for fno, what in ((1, 'Initial UE Message (eNB UE id 81), Attach request (IMSI IRIS)'),
                  (2, 'Downlink NAS transport, Security mode command (EEA0)'),
                  (3, 'Uplink NAS transport, Security mode complete (IMEISV)'),
                  (4, 'Initial Context Setup Request, SGW 10.0.18.3 TEID 0xb001, Attach accept (PDN type IPv6, interface identifier ::9)'),
                  (5, 'Initial Context Setup Response, eNB 10.0.18.1 TEID 0xc001'),
                  (6, 'Uplink NAS transport, Attach complete'),
                  (17, 'Uplink NAS transport, Detach request (GUTI)')):
    want.append(('fx_v6_%d' % fno, 'pcaps/s1ap_v6.pcap', fno,
                 'pcaps/s1ap_v6.pcap frame %d: SCTP DATA PPID 18, S1AP %s' % (fno, what)))
print('/* sms_fixtures.h - wire fixtures for the SMS decoder unit tests and fuzz seeds.\n * Each array is the L4 payload of one frame of a capture generated by pcaps/gen, or\n * (fx_smpp_submit) a PDU built field by field; its origin is noted above it.  No\n * byte comes from ../shared/captures.  Generated with tests/unit/mkfixtures.py;\n * regenerate after `make pcaps` changes the captures. */')
print('#ifndef PR_TESTS_UNIT_SMS_FIXTURES_H\n#define PR_TESTS_UNIT_SMS_FIXTURES_H\n\n#include <stdint.h>\n')
for name, path, fno, origin in want:
    if path is None:  # built above
        print(carr(name, fno, origin)); print()
        continue
    for n, fr in frames(path):
        if n == fno:
            print(carr(name, l4payload(fr), origin)); print()
print('#endif')
