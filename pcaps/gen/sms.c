/* sms.c - carrier SMS fixture captures (see sms.h); sms_map and sms_sgd
 * are written by sms_core.c, the shared session helpers are in sms_util.c.
 *
 * sms_smpp.pcap  ESME <-> SMSC over TCP 2775 and 4001 (SMPP v3.4 sections
 *                4.1-4.7): bind with a password, submit_sm in three
 *                encodings, a PDU split over three segments, two PDUs in one
 *                segment, a retransmitted segment, a UDH-concatenated
 *                message, an alphanumeric originator, data_sm with
 *                message_payload, submit_multi, an MO deliver_sm, a delivery
 *                receipt, enquire_link/unbind; on 4001 a lost segment (gap).
 * sms_sip.pcap   SIP MESSAGE (TS 24.341 annex B): MO and MT RP-DATA over UDP,
 *                a 2-part concatenated MO over TCP (one message split over
 *                two segments), a status report, an RP-ACK, an RFC 3428
 *                text/plain MESSAGE, and an MO inside GTP-U.
 * sms_map.pcap   SCTP/M3UA/SCCP UDT/TCAP/MAP (TS 29.002): mo-forwardSM, SRI-SM,
 *                mt-forwardSM answered with an error, a TCAP Begin with two
 *                mt-forwardSM invokes, and two DATA chunks in one packet.
 * sms_sgd.pcap   Diameter SGd (TS 29.338): CER/CEA and OFR/OFA over TCP 3868,
 *                TFR/TFA (Experimental-Result) and OFR/OFA over SCTP 3868.
 */
#include "sms.h"

#include "build.h"
#include "payload.h"
#include "sess.h"
#include "sms_enc.h"
#include "sms_util.h"
#include "writer.h"

#include <stdio.h>
#include <string.h>

#define SMSC_DIGITS "15550000001"
#define MSC_DIGITS "15550000002"
#define ALICE "15551230001"
#define BOB "15551230002"
#define CAROL "15551230003"
#define IMSI_ALICE "001010000000001"
#define IMSI_BOB "001010000000002"
#define ALNUM "TrapBank"

/* ---- SMPP ------------------------------------------------------------ */

enum { SMPP_BIND_TRX = 0x09, SMPP_SUBMIT = 0x04, SMPP_DELIVER = 0x05, SMPP_DATA = 0x103,
       SMPP_MULTI = 0x21, SMPP_ENQUIRE = 0x15, SMPP_UNBIND = 0x06, SMPP_RESP = 0x80000000u };

static void smpp_tlv(struct build_buf *b, uint16_t tag, const void *p, size_t n)
{
    build_be16(b, tag);
    build_be16(b, (uint16_t)n);
    build_bytes(b, p, n);
}

static void smpp_bind(struct build_buf *b, uint32_t seq, const char *sysid)
{
    size_t st = sms_enc_smpp_begin(b, SMPP_BIND_TRX, 0, seq);
    sms_enc_cstr(b, sysid);
    sms_enc_cstr(b, SMS_CANARY_PASSWORD);
    sms_enc_cstr(b, "");
    build_u8(b, 0x34);
    build_u8(b, 0);
    build_u8(b, 0);
    sms_enc_cstr(b, "");
    sms_enc_smpp_end(b, st);
}

static void smpp_resp(struct build_buf *b, uint32_t id, uint32_t seq, uint32_t status,
                      const char *msgid)
{
    size_t st = sms_enc_smpp_begin(b, id | SMPP_RESP, status, seq);
    if (msgid)
        sms_enc_cstr(b, msgid);
    sms_enc_smpp_end(b, st);
}

struct smpp_sm {
    uint32_t id, seq;
    unsigned ston, snpi, dton, dnpi;
    const char *src, *dst;
    uint8_t esm, dcs;
    const struct build_buf *sm; /* short_message, NULL = empty */
    const struct build_buf *tlvs;
};

static void smpp_sm(struct build_buf *b, const struct smpp_sm *m)
{
    size_t st = sms_enc_smpp_begin(b, m->id, 0, m->seq);
    sms_enc_cstr(b, "");
    build_u8(b, (uint8_t)m->ston);
    build_u8(b, (uint8_t)m->snpi);
    sms_enc_cstr(b, m->src);
    build_u8(b, (uint8_t)m->dton);
    build_u8(b, (uint8_t)m->dnpi);
    sms_enc_cstr(b, m->dst);
    build_u8(b, m->esm);
    if (m->id == SMPP_DATA) {
        build_u8(b, 1); /* registered_delivery */
        build_u8(b, m->dcs);
    } else {
        build_u8(b, 0);
        build_u8(b, 0);
        sms_enc_cstr(b, "");
        sms_enc_cstr(b, "");
        build_u8(b, 1);
        build_u8(b, 0);
        build_u8(b, m->dcs);
        build_u8(b, 0);
        build_u8(b, (uint8_t)(m->sm ? m->sm->len : 0));
        if (m->sm)
            build_bytes(b, m->sm->b, m->sm->len);
    }
    if (m->tlvs)
        build_bytes(b, m->tlvs->b, m->tlvs->len);
    sms_enc_smpp_end(b, st);
}

static void text(struct build_buf *b, const char *t, enum sms_enc_dcs dcs)
{
    build_reset(b);
    /* SMPP data_coding 0 carries one septet per octet (unpacked) */
    sms_enc_text(b, t, dcs == SMS_ENC_GSM7 ? SMS_ENC_8BIT : dcs, 0);
}

static void smpp_main_conn(struct sess *s)
{
    struct build_tcp_conn c;
    struct build_buf p, q, sm, t, part;
    sms_util_tcp_open(s, &c, "10.0.0.10", 40100, "10.0.1.5", 2775, 0x11110000u);
    build_reset(&p);
    smpp_bind(&p, 1, "esmeA");
    sms_util_send(s, &c, BUILD_C2S, &p);
    build_reset(&p);
    size_t st = sms_enc_smpp_begin(&p, SMPP_BIND_TRX | SMPP_RESP, 0, 1);
    sms_enc_cstr(&p, "SMSC1");
    sms_enc_smpp_end(&p, st);
    sms_util_send(s, &c, BUILD_S2C, &p);
    sess_wait(s, MSEC(100));

    /* submit_sm, GSM default alphabet */
    text(&sm, SMS_CANARY_GSM7, SMS_ENC_GSM7);
    build_reset(&p);
    smpp_sm(&p, &(struct smpp_sm){SMPP_SUBMIT, 2, 1, 1, 1, 1, ALICE, BOB, 0, 0, &sm, NULL});
    sms_util_send(s, &c, BUILD_C2S, &p);
    build_reset(&p);
    smpp_resp(&p, SMPP_SUBMIT, 2, 0, "m0002");
    sms_util_send(s, &c, BUILD_S2C, &p);

    /* submit_sm, UCS-2, split over three segments.  The first holds the
     * whole header: tshark 4.0's heuristic SMPP dissector needs it to
     * reassemble (a header split is covered by tests/unit/test_smpp.c). */
    text(&sm, SMS_CANARY_UCS2, SMS_ENC_UCS2);
    build_reset(&p);
    smpp_sm(&p, &(struct smpp_sm){SMPP_SUBMIT, 3, 1, 1, 1, 1, ALICE, CAROL, 0, 8, &sm, NULL});
    sms_util_slice(&part, &p, 0, 20);
    sms_util_send(s, &c, BUILD_C2S, &part);
    sms_util_slice(&part, &p, 20, 30);
    sms_util_send(s, &c, BUILD_C2S, &part);
    sms_util_slice(&part, &p, 50, p.len - 50);
    sms_util_send(s, &c, BUILD_C2S, &part);
    build_reset(&p);
    smpp_resp(&p, SMPP_SUBMIT, 3, 0, "m0003");
    sms_util_send(s, &c, BUILD_S2C, &p);

    /* two PDUs in one segment (8-bit; alphanumeric originator), sent twice:
     * the second copy is a retransmission */
    text(&sm, SMS_CANARY_8BIT, SMS_ENC_8BIT);
    build_reset(&p);
    smpp_sm(&p, &(struct smpp_sm){SMPP_SUBMIT, 4, 1, 1, 1, 1, ALICE, BOB, 0, 4, &sm, NULL});
    smpp_sm(&p, &(struct smpp_sm){SMPP_SUBMIT, 5, 5, 0, 1, 1, ALNUM, BOB, 0, 4, &sm, NULL});
    uint32_t seq0 = c.next_seq[BUILD_C2S];
    sms_util_send(s, &c, BUILD_C2S, &p);
    sess_wait(s, MSEC(200));
    c.next_seq[BUILD_C2S] = seq0;
    sms_util_send(s, &c, BUILD_C2S, &p);
    build_reset(&q);
    smpp_resp(&q, SMPP_SUBMIT, 4, 0, "m0004");
    smpp_resp(&q, SMPP_SUBMIT, 5, 0x45, NULL); /* ESME_RSUBMITFAIL */
    sms_util_send(s, &c, BUILD_S2C, &q);

    /* a two-part message with a concatenation UDH (esm_class UDHI) */
    for (uint8_t i = 1; i <= 2; i++) {
        build_reset(&sm);
        uint8_t udh[6] = {5, 0x00, 3, 0x2a, 2, i};
        build_bytes(&sm, udh, sizeof udh);
        sms_enc_text(&sm, SMS_CANARY_8BIT, SMS_ENC_8BIT, 0);
        build_reset(&p);
        smpp_sm(&p, &(struct smpp_sm){SMPP_SUBMIT, 5u + i, 1, 1, 1, 1, BOB, ALICE, 0x40, 4, &sm,
                                      NULL});
        sms_util_send(s, &c, BUILD_C2S, &p);
        build_reset(&p);
        smpp_resp(&p, SMPP_SUBMIT, 5u + i, 0, i == 1 ? "m0006" : "m0007");
        sms_util_send(s, &c, BUILD_S2C, &p);
    }

    /* data_sm with message_payload and sar_* TLVs */
    build_reset(&t);
    build_reset(&sm);
    sms_enc_text(&sm, SMS_CANARY_UCS2, SMS_ENC_UCS2, 0);
    smpp_tlv(&t, 0x0424, sm.b, sm.len);
    smpp_tlv(&t, 0x020c, (uint8_t[]){0x01, 0x07}, 2);
    smpp_tlv(&t, 0x020e, (uint8_t[]){1}, 1);
    smpp_tlv(&t, 0x020f, (uint8_t[]){1}, 1);
    build_reset(&p);
    smpp_sm(&p, &(struct smpp_sm){SMPP_DATA, 8, 1, 1, 1, 1, CAROL, ALICE, 0, 8, NULL, &t});
    sms_util_send(s, &c, BUILD_C2S, &p);
    build_reset(&p);
    smpp_resp(&p, SMPP_DATA, 8, 0, "m0008");
    sms_util_send(s, &c, BUILD_S2C, &p);

    /* submit_multi: two SME addresses and a distribution list */
    text(&sm, SMS_CANARY_GSM7, SMS_ENC_GSM7);
    build_reset(&p);
    st = sms_enc_smpp_begin(&p, SMPP_MULTI, 0, 9);
    sms_enc_cstr(&p, "");
    build_u8(&p, 1);
    build_u8(&p, 1);
    sms_enc_cstr(&p, ALICE);
    build_u8(&p, 3);
    build_u8(&p, 1); build_u8(&p, 1); build_u8(&p, 1); sms_enc_cstr(&p, BOB);
    build_u8(&p, 1); build_u8(&p, 1); build_u8(&p, 1); sms_enc_cstr(&p, CAROL);
    build_u8(&p, 2); sms_enc_cstr(&p, "friends");
    build_u8(&p, 0); build_u8(&p, 0); build_u8(&p, 0);
    sms_enc_cstr(&p, ""); sms_enc_cstr(&p, "");
    build_u8(&p, 0); build_u8(&p, 0); build_u8(&p, 0); build_u8(&p, 0);
    build_u8(&p, (uint8_t)sm.len);
    build_bytes(&p, sm.b, sm.len);
    sms_enc_smpp_end(&p, st);
    sms_util_send(s, &c, BUILD_C2S, &p);
    build_reset(&p);
    st = sms_enc_smpp_begin(&p, SMPP_MULTI | SMPP_RESP, 0, 9);
    sms_enc_cstr(&p, "m0009");
    build_u8(&p, 0); /* no_unsuccess */
    sms_enc_smpp_end(&p, st);
    sms_util_send(s, &c, BUILD_S2C, &p);

    /* MO deliver_sm from the SMSC and a delivery receipt */
    text(&sm, SMS_CANARY_8BIT, SMS_ENC_8BIT);
    build_reset(&p);
    smpp_sm(&p, &(struct smpp_sm){SMPP_DELIVER, 1, 1, 1, 0, 1, CAROL, "12345", 0, 4, &sm, NULL});
    sms_util_send(s, &c, BUILD_S2C, &p);
    build_reset(&p);
    smpp_resp(&p, SMPP_DELIVER, 1, 0, "");
    sms_util_send(s, &c, BUILD_C2S, &p);
    build_reset(&sm);
    build_str(&sm, "id:m0002 sub:001 dlvrd:001 submit date:2403011000 done date:2403011001 "
                   "stat:DELIVRD err:000 text:" SMS_CANARY_GSM7);
    build_reset(&t);
    smpp_tlv(&t, 0x001e, "m0002", 6);
    smpp_tlv(&t, 0x0427, (uint8_t[]){2}, 1);
    build_reset(&p);
    smpp_sm(&p, &(struct smpp_sm){SMPP_DELIVER, 2, 1, 1, 1, 1, BOB, ALICE, 0x04, 0, &sm, &t});
    sms_util_send(s, &c, BUILD_S2C, &p);
    build_reset(&p);
    smpp_resp(&p, SMPP_DELIVER, 2, 0, "");
    sms_util_send(s, &c, BUILD_C2S, &p);

    build_reset(&p);
    st = sms_enc_smpp_begin(&p, SMPP_ENQUIRE, 0, 10);
    sms_enc_smpp_end(&p, st);
    sms_util_send(s, &c, BUILD_C2S, &p);
    build_reset(&p);
    smpp_resp(&p, SMPP_ENQUIRE, 10, 0, NULL);
    sms_util_send(s, &c, BUILD_S2C, &p);
    build_reset(&p);
    st = sms_enc_smpp_begin(&p, SMPP_UNBIND, 0, 11);
    sms_enc_smpp_end(&p, st);
    sms_util_send(s, &c, BUILD_C2S, &p);
    build_reset(&p);
    smpp_resp(&p, SMPP_UNBIND, 11, 0, NULL);
    sms_util_send(s, &c, BUILD_S2C, &p);
    sms_util_tcp_close(s, &c);
}

/* Port 4001: the first 40 bytes of submit_sm seq 3 are lost (never
 * written); its tail comes alone, then submit_sm seq 4 in the next segment.
 * trapline must resynchronise on seq 4 and invent nothing for seq 3. */
static void smpp_gap_conn(struct sess *s)
{
    struct build_tcp_conn c;
    struct build_buf p, sm, part, two;
    sms_util_tcp_open(s, &c, "10.0.0.11", 40200, "10.0.1.6", 4001, 0x22220000u);
    build_reset(&p);
    smpp_bind(&p, 1, "esmeB");
    sms_util_send(s, &c, BUILD_C2S, &p);
    build_reset(&p);
    size_t st = sms_enc_smpp_begin(&p, SMPP_BIND_TRX | SMPP_RESP, 0, 1);
    sms_enc_cstr(&p, "SMSC2");
    sms_enc_smpp_end(&p, st);
    sms_util_send(s, &c, BUILD_S2C, &p);
    text(&sm, SMS_CANARY_8BIT, SMS_ENC_8BIT);
    build_reset(&p);
    smpp_sm(&p, &(struct smpp_sm){SMPP_SUBMIT, 2, 1, 1, 1, 1, CAROL, BOB, 0, 4, &sm, NULL});
    sms_util_send(s, &c, BUILD_C2S, &p);
    build_reset(&p);
    smpp_resp(&p, SMPP_SUBMIT, 2, 0, "n0002");
    sms_util_send(s, &c, BUILD_S2C, &p);

    build_reset(&p);
    smpp_sm(&p, &(struct smpp_sm){SMPP_SUBMIT, 3, 1, 1, 1, 1, CAROL, ALICE, 0, 4, &sm, NULL});
    c.next_seq[BUILD_C2S] += 40; /* lost on the tap */
    sms_util_slice(&two, &p, 40, p.len - 40);
    sms_util_send(s, &c, BUILD_C2S, &two);
    build_reset(&p);
    smpp_sm(&p, &(struct smpp_sm){SMPP_SUBMIT, 4, 1, 1, 1, 1, CAROL, ALICE, 0, 4, &sm, NULL});
    sms_util_send(s, &c, BUILD_C2S, &p);
    build_reset(&part);
    smpp_resp(&part, SMPP_SUBMIT, 3, 0, "n0003");
    smpp_resp(&part, SMPP_SUBMIT, 4, 0, "n0004");
    sms_util_send(s, &c, BUILD_S2C, &part);
    sms_util_tcp_close(s, &c);
}

int sms_gen_smpp(const char *out, uint64_t start_us, char *err, size_t errlen)
{
    struct sess s;
    if (sms_util_open(out, start_us, &s, err, errlen))
        return GEN_RC_IO;
    smpp_main_conn(&s);
    sess_wait(&s, MSEC(500));
    smpp_gap_conn(&s);
    return sess_finish(&s, out, err, errlen);
}

/* ---- SIP MESSAGE ------------------------------------------------------ */

#define IMS "ims.example"
#define UE_URI "sip:+" ALICE "@" IMS
#define PEER_URI "sip:+" BOB "@" IMS
#define PSI_URI "sip:sc@" IMS
#define GW_URI "sip:ipsmgw@" IMS

struct sip_req {
    const char *ruri, *from, *to, *pai, *call_id, *ctype;
    unsigned cseq;
    const struct build_buf *body;
};

static void sip_request(struct build_buf *b, const struct sip_req *r)
{
    char h[1024];
    snprintf(h, sizeof h,
             "MESSAGE %s SIP/2.0\r\n"
             "Via: SIP/2.0/UDP 10.0.0.10:5060;branch=z9hG4bK%s\r\n"
             "Max-Forwards: 70\r\n"
             "From: <%s>;tag=f%u\r\n"
             "To: <%s>\r\n"
             "Call-ID: %s\r\n"
             "CSeq: %u MESSAGE\r\n"
             "%s%s%s"
             "Content-Type: %s\r\n"
             "Content-Length: %zu\r\n\r\n",
             r->ruri, r->call_id, r->from, r->cseq, r->to, r->call_id, r->cseq,
             r->pai ? "P-Asserted-Identity: <" : "", r->pai ? r->pai : "", r->pai ? ">\r\n" : "",
             r->ctype, r->body->len);
    build_reset(b);
    build_str(b, h);
    build_bytes(b, r->body->b, r->body->len);
}

static void sip_answer(struct build_buf *b, const char *status, const struct sip_req *r)
{
    char h[768];
    snprintf(h, sizeof h,
             "SIP/2.0 %s\r\n"
             "Via: SIP/2.0/UDP 10.0.0.10:5060;branch=z9hG4bK%s\r\n"
             "From: <%s>;tag=f%u\r\n"
             "To: <%s>;tag=t%u\r\n"
             "Call-ID: %s\r\n"
             "CSeq: %u MESSAGE\r\n"
             "Content-Length: 0\r\n\r\n",
             status, r->call_id, r->from, r->cseq, r->to, r->cseq, r->call_id, r->cseq);
    build_reset(b);
    build_str(b, h);
}

static void rp_mo(struct build_buf *body, uint8_t mr, const char *da, enum sms_enc_dcs dcs,
                  const char *t, const struct sms_enc_concat *cc)
{
    struct build_buf tp;
    build_reset(&tp);
    sms_enc_submit(&tp, mr, da, 1, 1, dcs, t, cc);
    build_reset(body);
    sms_enc_rp_data(body, 0, mr, SMSC_DIGITS, &tp);
}

static void sip_udp_exchange(struct sess *s, const char *ue, const char *gw, bool ue_sends,
                             const struct sip_req *r, const char *status)
{
    struct build_addr a = build_addr(ue), b = build_addr(gw);
    struct build_buf m;
    sip_request(&m, r);
    if (ue_sends)
        sess_udp(s, true, &a, &b, 5060, 5060, &m);
    else
        sess_udp(s, false, &b, &a, 5060, 5060, &m);
    sess_wait(s, MSEC(15));
    sip_answer(&m, status, r);
    if (ue_sends)
        sess_udp(s, false, &b, &a, 5060, 5060, &m);
    else
        sess_udp(s, true, &a, &b, 5060, 5060, &m);
    sess_wait(s, MSEC(300));
}

int sms_gen_sip(const char *out, uint64_t start_us, char *err, size_t errlen)
{
    static const struct build_gtp gtp_cfg = {{4, {192, 0, 2, 1}}, {4, {192, 0, 2, 2}},
                                             0x00a1b2c3u, 0x00d4e5f6u};
    struct sess s;
    struct build_buf body, tp, m, part;
    if (sms_util_open(out, start_us, &s, err, errlen))
        return GEN_RC_IO;

    /* MO over UDP: SMS-SUBMIT to BOB, GSM 7-bit packed */
    rp_mo(&body, 1, BOB, SMS_ENC_GSM7, SMS_CANARY_GSM7, NULL);
    struct sip_req mo = {PSI_URI, UE_URI, PSI_URI, UE_URI, "mo1@10.0.0.10",
                         "application/vnd.3gpp.sms", 1, &body};
    sip_udp_exchange(&s, "10.0.0.10", "10.0.2.1", true, &mo, "202 Accepted");
    /* the network's RP-ACK for it (a report: no event) */
    build_reset(&body);
    sms_enc_rp_ack(&body, 3, 1);
    struct sip_req ack = {UE_URI, GW_URI, UE_URI, GW_URI, "ack1@10.0.2.1",
                          "application/vnd.3gpp.sms", 1, &body};
    sip_udp_exchange(&s, "10.0.0.10", "10.0.2.1", false, &ack, "200 OK");

    /* MT over UDP: SMS-DELIVER from an alphanumeric sender, UCS-2 */
    build_reset(&tp);
    sms_enc_deliver(&tp, ALNUM, 5, 0, SMS_ENC_UCS2, SMS_CANARY_UCS2, NULL);
    build_reset(&body);
    sms_enc_rp_data(&body, 1, 7, SMSC_DIGITS, &tp);
    struct sip_req mt = {UE_URI, GW_URI, UE_URI, GW_URI, "mt1@10.0.2.1",
                         "application/vnd.3gpp.sms", 1, &body};
    sip_udp_exchange(&s, "10.0.0.10", "10.0.2.1", false, &mt, "200 OK");

    /* status report for the MO message */
    build_reset(&tp);
    sms_enc_status_report(&tp, 1, BOB);
    build_reset(&body);
    sms_enc_rp_data(&body, 1, 8, SMSC_DIGITS, &tp);
    struct sip_req sr = {UE_URI, GW_URI, UE_URI, GW_URI, "sr1@10.0.2.1",
                         "application/vnd.3gpp.sms", 1, &body};
    sip_udp_exchange(&s, "10.0.0.10", "10.0.2.1", false, &sr, "200 OK");

    /* RFC 3428 instant message (text/plain) */
    build_reset(&body);
    build_str(&body, "plain " SMS_CANARY_8BIT);
    struct sip_req im = {PEER_URI, UE_URI, PEER_URI, NULL, "im1@10.0.0.10", "text/plain", 1,
                         &body};
    sip_udp_exchange(&s, "10.0.0.10", "10.0.2.1", true, &im, "200 OK");

    /* MO over TCP: a two-part concatenated message, 8-bit; the second
     * MESSAGE is split over two segments */
    struct build_tcp_conn c;
    sms_util_tcp_open(&s, &c, "10.0.0.12", 45060, "10.0.2.1", 5060, 0x33330000u);
    for (uint8_t i = 1; i <= 2; i++) {
        struct sms_enc_concat cc = {0x51, 2, i};
        char cid[32];
        snprintf(cid, sizeof cid, "tcp%u@10.0.0.12", i);
        rp_mo(&body, (uint8_t)(10 + i), CAROL, SMS_ENC_8BIT, SMS_CANARY_8BIT, &cc);
        struct sip_req r = {PSI_URI, PEER_URI, PSI_URI, PEER_URI, cid,
                            "application/vnd.3gpp.sms", i, &body};
        sip_request(&m, &r);
        if (i == 1) {
            sms_util_send(&s, &c, BUILD_C2S, &m);
        } else {
            sms_util_slice(&part, &m, 0, 100);
            sms_util_send(&s, &c, BUILD_C2S, &part);
            sms_util_slice(&part, &m, 100, m.len - 100);
            sms_util_send(&s, &c, BUILD_C2S, &part);
        }
        sip_answer(&m, "202 Accepted", &r);
        sms_util_send(&s, &c, BUILD_S2C, &m);
    }
    sms_util_tcp_close(&s, &c);
    sess_wait(&s, MSEC(300));

    /* MO inside GTP-U (S1-U): the UE's SIP in the bearer */
    s.gtp = &gtp_cfg;
    rp_mo(&body, 21, BOB, SMS_ENC_UCS2, SMS_CANARY_UCS2, NULL);
    struct sip_req g = {PSI_URI, "sip:+" CAROL "@" IMS, PSI_URI, "sip:+" CAROL "@" IMS,
                        "gtp1@10.45.0.2", "application/vnd.3gpp.sms", 1, &body};
    sip_udp_exchange(&s, "10.45.0.2", "10.0.2.1", true, &g, "202 Accepted");
    s.gtp = NULL;
    return sess_finish(&s, out, err, errlen);
}


/* ---- scope_two_subs.pcap (issue 11: authorisation scope) ------------- */

/* Two subscribers and a third party.  SCOPE_TARGET is named by the test
 * scope; SCOPE_OTHER is not, and none of its identifiers may reach the
 * database, the reports or stderr (tests/suites/scope.sh scans for them). */
#define SCOPE_TARGET "15557770001"
#define SCOPE_OTHER "15558880002"
#define SCOPE_THIRD "15559990003"
#define SCOPE_UE_TARGET "10.77.0.1"
#define SCOPE_UE_OTHER "10.88.0.2"
#define SCOPE_RESOLVER "10.0.9.53"

/* One SMPP transceiver session: bind, then each message as submit_sm
 * (ESME -> SMSC, from the first party) or deliver_sm (SMSC -> ESME). */
static void scope_smpp(struct sess *s, uint16_t cport, uint32_t isn,
                       const char *const (*msgs)[3], size_t n)
{
    struct build_tcp_conn c;
    struct build_buf p, sm;
    sms_util_tcp_open(s, &c, "10.0.5.1", cport, "10.0.5.2", 2775, isn);
    build_reset(&p);
    smpp_bind(&p, 1, "esmeS");
    sms_util_send(s, &c, BUILD_C2S, &p);
    build_reset(&p);
    size_t st = sms_enc_smpp_begin(&p, SMPP_BIND_TRX | SMPP_RESP, 0, 1);
    sms_enc_cstr(&p, "SMSC9");
    sms_enc_smpp_end(&p, st);
    sms_util_send(s, &c, BUILD_S2C, &p);
    text(&sm, SMS_CANARY_GSM7, SMS_ENC_GSM7);
    for (size_t i = 0; i < n; i++) {
        bool mo = msgs[i][0][0] == 's';
        uint32_t id = mo ? SMPP_SUBMIT : SMPP_DELIVER, seq = (uint32_t)i + 2;
        build_reset(&p);
        smpp_sm(&p, &(struct smpp_sm){id, seq, 1, 1, 1, 1, msgs[i][1], msgs[i][2], 0, 0, &sm,
                                      NULL});
        sms_util_send(s, &c, mo ? BUILD_C2S : BUILD_S2C, &p);
        build_reset(&p);
        smpp_resp(&p, id, seq, 0, mo ? "s0001" : "");
        sms_util_send(s, &c, mo ? BUILD_S2C : BUILD_C2S, &p);
        sess_wait(s, MSEC(200));
    }
    sms_util_tcp_close(s, &c);
}

/* A DNS look-up and a TLS session from a UE. */
static void scope_ott(struct sess *s, const char *ue, const char *sni, const char *srv,
                      uint16_t port, uint32_t seed)
{
    struct sess_tls t = {sni, "h2", ue, srv, port, 443, MSEC(20), seed, 2,
                         {MSEC(300), MSEC(1500)}};
    sess_dns(s, ue, SCOPE_RESOLVER, (uint16_t)(port - 10000), (uint16_t)seed, sni,
             PAYLOAD_DNS_A, srv, MSEC(8));
    sess_wait(s, MSEC(3));
    sess_tls_flow(s, &t);
    sess_wait(s, MSEC(500));
}

int sms_gen_scope(const char *out, uint64_t start_us, char *err, size_t errlen)
{
    static const char *const early[][3] = {
        {"submit", SCOPE_TARGET, SCOPE_THIRD},  /* target MO: in scope */
        {"submit", SCOPE_OTHER, SCOPE_THIRD},   /* other subscriber: out */
        {"deliver", SCOPE_THIRD, SCOPE_TARGET}, /* target MT: in scope */
        {"deliver", SCOPE_THIRD, SCOPE_OTHER},  /* other subscriber: out */
    };
    static const char *const late[][3] = {
        {"submit", SCOPE_TARGET, SCOPE_THIRD},  /* one hour later: after the test window */
        {"submit", SCOPE_OTHER, SCOPE_THIRD},
    };
    struct sess s;
    if (sms_util_open(out, start_us, &s, err, errlen))
        return GEN_RC_IO;
    scope_smpp(&s, 40500, 0x55550000u, early, sizeof early / sizeof early[0]);
    sess_wait(&s, MSEC(500));
    scope_ott(&s, SCOPE_UE_TARGET, "chat.signal.org", "13.248.212.111", 50701, 0x53430001u);
    scope_ott(&s, SCOPE_UE_OTHER, "web.whatsapp.com", "157.240.0.53", 50702, 0x53430002u);
    sess_wait(&s, MSEC(3600u * 1000u));
    scope_smpp(&s, 40501, 0x55560000u, late, sizeof late / sizeof late[0]);
    scope_ott(&s, SCOPE_UE_TARGET, "chat.signal.org", "13.248.212.111", 50703, 0x53430003u);
    return sess_finish(&s, out, err, errlen);
}
