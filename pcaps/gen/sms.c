/* sms.c - carrier SMS fixture captures (see sms.h).
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
#include "writer.h"

#include <stdio.h>
#include <string.h>

#define MSEC(x) ((uint64_t)(x) * 1000u)
#define SMSC_DIGITS "15550000001"
#define MSC_DIGITS "15550000002"
#define ALICE "15551230001"
#define BOB "15551230002"
#define CAROL "15551230003"
#define IMSI_ALICE "001010000000001"
#define IMSI_BOB "001010000000002"
#define ALNUM "TrapBank"

static const struct build_link link_eth = {
    .kind = BUILD_LINK_ETH,
    .cli_mac = {0x02, 0x00, 0x00, 0x00, 0x00, 0x0a},
    .gw_mac = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01},
};

static int open_file(const char *out, uint64_t start, struct sess *s, char *err, size_t errlen)
{
    struct writer *w = writer_open(out, WRITER_PCAP, WRITER_LINK_EN10MB, err, errlen);
    if (w == NULL)
        return GEN_RC_IO;
    sess_init(s, w, &link_eth, start);
    return GEN_OK;
}

static int finish(struct sess *s, const char *out, char *err, size_t errlen)
{
    unsigned n = writer_count(s->w);
    int rc = s->rc;
    if (rc != GEN_OK)
        snprintf(err, errlen, "%s: packet build or write failed (%d)", out, rc);
    if (writer_close(s->w, err, errlen) != GEN_OK && rc == GEN_OK)
        rc = GEN_RC_IO;
    if (rc == GEN_OK)
        printf("%-20s %3u packets\n", strrchr(out, '/') ? strrchr(out, '/') + 1 : out, n);
    return rc;
}

static void tcp_open(struct sess *s, struct build_tcp_conn *c, const char *cli, uint16_t cport,
                     const char *srv, uint16_t sport, uint32_t isn)
{
    struct build_addr a = build_addr(cli), b = build_addr(srv);
    build_tcp_conn_init(c, &a, cport, &b, sport, isn, isn ^ 0x5a5a5a5au);
    sess_tcp(s, c, BUILD_C2S, BUILD_TCP_SYN, NULL);
    sess_wait(s, MSEC(1));
    sess_tcp(s, c, BUILD_S2C, BUILD_TCP_SYN | BUILD_TCP_ACK, NULL);
    sess_tcp(s, c, BUILD_C2S, BUILD_TCP_ACK, NULL);
}

static void tcp_close(struct sess *s, struct build_tcp_conn *c)
{
    sess_tcp(s, c, BUILD_C2S, BUILD_TCP_FIN | BUILD_TCP_ACK, NULL);
    sess_wait(s, MSEC(1));
    sess_tcp(s, c, BUILD_S2C, BUILD_TCP_FIN | BUILD_TCP_ACK, NULL);
    sess_tcp(s, c, BUILD_C2S, BUILD_TCP_ACK, NULL);
}

static void send(struct sess *s, struct build_tcp_conn *c, int dir, const struct build_buf *m)
{
    sess_tcp(s, c, dir, BUILD_TCP_PSH | BUILD_TCP_ACK, m);
    sess_wait(s, MSEC(2));
}

static void slice(struct build_buf *out, const struct build_buf *in, size_t off, size_t n)
{
    build_reset(out);
    build_bytes(out, in->b + off, n);
}

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
    tcp_open(s, &c, "10.0.0.10", 40100, "10.0.1.5", 2775, 0x11110000u);
    build_reset(&p);
    smpp_bind(&p, 1, "esmeA");
    send(s, &c, BUILD_C2S, &p);
    build_reset(&p);
    size_t st = sms_enc_smpp_begin(&p, SMPP_BIND_TRX | SMPP_RESP, 0, 1);
    sms_enc_cstr(&p, "SMSC1");
    sms_enc_smpp_end(&p, st);
    send(s, &c, BUILD_S2C, &p);
    sess_wait(s, MSEC(100));

    /* submit_sm, GSM default alphabet */
    text(&sm, SMS_CANARY_GSM7, SMS_ENC_GSM7);
    build_reset(&p);
    smpp_sm(&p, &(struct smpp_sm){SMPP_SUBMIT, 2, 1, 1, 1, 1, ALICE, BOB, 0, 0, &sm, NULL});
    send(s, &c, BUILD_C2S, &p);
    build_reset(&p);
    smpp_resp(&p, SMPP_SUBMIT, 2, 0, "m0002");
    send(s, &c, BUILD_S2C, &p);

    /* submit_sm, UCS-2, split over three segments.  The first holds the
     * whole header: tshark 4.0's heuristic SMPP dissector needs it to
     * reassemble (a header split is covered by tests/unit/test_smpp.c). */
    text(&sm, SMS_CANARY_UCS2, SMS_ENC_UCS2);
    build_reset(&p);
    smpp_sm(&p, &(struct smpp_sm){SMPP_SUBMIT, 3, 1, 1, 1, 1, ALICE, CAROL, 0, 8, &sm, NULL});
    slice(&part, &p, 0, 20);
    send(s, &c, BUILD_C2S, &part);
    slice(&part, &p, 20, 30);
    send(s, &c, BUILD_C2S, &part);
    slice(&part, &p, 50, p.len - 50);
    send(s, &c, BUILD_C2S, &part);
    build_reset(&p);
    smpp_resp(&p, SMPP_SUBMIT, 3, 0, "m0003");
    send(s, &c, BUILD_S2C, &p);

    /* two PDUs in one segment (8-bit; alphanumeric originator), sent twice:
     * the second copy is a retransmission */
    text(&sm, SMS_CANARY_8BIT, SMS_ENC_8BIT);
    build_reset(&p);
    smpp_sm(&p, &(struct smpp_sm){SMPP_SUBMIT, 4, 1, 1, 1, 1, ALICE, BOB, 0, 4, &sm, NULL});
    smpp_sm(&p, &(struct smpp_sm){SMPP_SUBMIT, 5, 5, 0, 1, 1, ALNUM, BOB, 0, 4, &sm, NULL});
    uint32_t seq0 = c.next_seq[BUILD_C2S];
    send(s, &c, BUILD_C2S, &p);
    sess_wait(s, MSEC(200));
    c.next_seq[BUILD_C2S] = seq0;
    send(s, &c, BUILD_C2S, &p);
    build_reset(&q);
    smpp_resp(&q, SMPP_SUBMIT, 4, 0, "m0004");
    smpp_resp(&q, SMPP_SUBMIT, 5, 0x45, NULL); /* ESME_RSUBMITFAIL */
    send(s, &c, BUILD_S2C, &q);

    /* a two-part message with a concatenation UDH (esm_class UDHI) */
    for (uint8_t i = 1; i <= 2; i++) {
        build_reset(&sm);
        uint8_t udh[6] = {5, 0x00, 3, 0x2a, 2, i};
        build_bytes(&sm, udh, sizeof udh);
        sms_enc_text(&sm, SMS_CANARY_8BIT, SMS_ENC_8BIT, 0);
        build_reset(&p);
        smpp_sm(&p, &(struct smpp_sm){SMPP_SUBMIT, 5u + i, 1, 1, 1, 1, BOB, ALICE, 0x40, 4, &sm,
                                      NULL});
        send(s, &c, BUILD_C2S, &p);
        build_reset(&p);
        smpp_resp(&p, SMPP_SUBMIT, 5u + i, 0, i == 1 ? "m0006" : "m0007");
        send(s, &c, BUILD_S2C, &p);
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
    send(s, &c, BUILD_C2S, &p);
    build_reset(&p);
    smpp_resp(&p, SMPP_DATA, 8, 0, "m0008");
    send(s, &c, BUILD_S2C, &p);

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
    send(s, &c, BUILD_C2S, &p);
    build_reset(&p);
    st = sms_enc_smpp_begin(&p, SMPP_MULTI | SMPP_RESP, 0, 9);
    sms_enc_cstr(&p, "m0009");
    build_u8(&p, 0); /* no_unsuccess */
    sms_enc_smpp_end(&p, st);
    send(s, &c, BUILD_S2C, &p);

    /* MO deliver_sm from the SMSC and a delivery receipt */
    text(&sm, SMS_CANARY_8BIT, SMS_ENC_8BIT);
    build_reset(&p);
    smpp_sm(&p, &(struct smpp_sm){SMPP_DELIVER, 1, 1, 1, 0, 1, CAROL, "12345", 0, 4, &sm, NULL});
    send(s, &c, BUILD_S2C, &p);
    build_reset(&p);
    smpp_resp(&p, SMPP_DELIVER, 1, 0, "");
    send(s, &c, BUILD_C2S, &p);
    build_reset(&sm);
    build_str(&sm, "id:m0002 sub:001 dlvrd:001 submit date:2403011000 done date:2403011001 "
                   "stat:DELIVRD err:000 text:" SMS_CANARY_GSM7);
    build_reset(&t);
    smpp_tlv(&t, 0x001e, "m0002", 6);
    smpp_tlv(&t, 0x0427, (uint8_t[]){2}, 1);
    build_reset(&p);
    smpp_sm(&p, &(struct smpp_sm){SMPP_DELIVER, 2, 1, 1, 1, 1, BOB, ALICE, 0x04, 0, &sm, &t});
    send(s, &c, BUILD_S2C, &p);
    build_reset(&p);
    smpp_resp(&p, SMPP_DELIVER, 2, 0, "");
    send(s, &c, BUILD_C2S, &p);

    build_reset(&p);
    st = sms_enc_smpp_begin(&p, SMPP_ENQUIRE, 0, 10);
    sms_enc_smpp_end(&p, st);
    send(s, &c, BUILD_C2S, &p);
    build_reset(&p);
    smpp_resp(&p, SMPP_ENQUIRE, 10, 0, NULL);
    send(s, &c, BUILD_S2C, &p);
    build_reset(&p);
    st = sms_enc_smpp_begin(&p, SMPP_UNBIND, 0, 11);
    sms_enc_smpp_end(&p, st);
    send(s, &c, BUILD_C2S, &p);
    build_reset(&p);
    smpp_resp(&p, SMPP_UNBIND, 11, 0, NULL);
    send(s, &c, BUILD_S2C, &p);
    tcp_close(s, &c);
}

/* Port 4001: the first 40 bytes of submit_sm seq 3 are lost (never
 * written); its tail comes alone, then submit_sm seq 4 in the next segment.
 * trapline must resynchronise on seq 4 and invent nothing for seq 3. */
static void smpp_gap_conn(struct sess *s)
{
    struct build_tcp_conn c;
    struct build_buf p, sm, part, two;
    tcp_open(s, &c, "10.0.0.11", 40200, "10.0.1.6", 4001, 0x22220000u);
    build_reset(&p);
    smpp_bind(&p, 1, "esmeB");
    send(s, &c, BUILD_C2S, &p);
    build_reset(&p);
    size_t st = sms_enc_smpp_begin(&p, SMPP_BIND_TRX | SMPP_RESP, 0, 1);
    sms_enc_cstr(&p, "SMSC2");
    sms_enc_smpp_end(&p, st);
    send(s, &c, BUILD_S2C, &p);
    text(&sm, SMS_CANARY_8BIT, SMS_ENC_8BIT);
    build_reset(&p);
    smpp_sm(&p, &(struct smpp_sm){SMPP_SUBMIT, 2, 1, 1, 1, 1, CAROL, BOB, 0, 4, &sm, NULL});
    send(s, &c, BUILD_C2S, &p);
    build_reset(&p);
    smpp_resp(&p, SMPP_SUBMIT, 2, 0, "n0002");
    send(s, &c, BUILD_S2C, &p);

    build_reset(&p);
    smpp_sm(&p, &(struct smpp_sm){SMPP_SUBMIT, 3, 1, 1, 1, 1, CAROL, ALICE, 0, 4, &sm, NULL});
    c.next_seq[BUILD_C2S] += 40; /* lost on the tap */
    slice(&two, &p, 40, p.len - 40);
    send(s, &c, BUILD_C2S, &two);
    build_reset(&p);
    smpp_sm(&p, &(struct smpp_sm){SMPP_SUBMIT, 4, 1, 1, 1, 1, CAROL, ALICE, 0, 4, &sm, NULL});
    send(s, &c, BUILD_C2S, &p);
    build_reset(&part);
    smpp_resp(&part, SMPP_SUBMIT, 3, 0, "n0003");
    smpp_resp(&part, SMPP_SUBMIT, 4, 0, "n0004");
    send(s, &c, BUILD_S2C, &part);
    tcp_close(s, &c);
}

int sms_gen_smpp(const char *out, uint64_t start_us, char *err, size_t errlen)
{
    struct sess s;
    if (open_file(out, start_us, &s, err, errlen))
        return GEN_RC_IO;
    smpp_main_conn(&s);
    sess_wait(&s, MSEC(500));
    smpp_gap_conn(&s);
    return finish(&s, out, err, errlen);
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
    if (open_file(out, start_us, &s, err, errlen))
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
    tcp_open(&s, &c, "10.0.0.12", 45060, "10.0.2.1", 5060, 0x33330000u);
    for (uint8_t i = 1; i <= 2; i++) {
        struct sms_enc_concat cc = {0x51, 2, i};
        char cid[32];
        snprintf(cid, sizeof cid, "tcp%u@10.0.0.12", i);
        rp_mo(&body, (uint8_t)(10 + i), CAROL, SMS_ENC_8BIT, SMS_CANARY_8BIT, &cc);
        struct sip_req r = {PSI_URI, PEER_URI, PSI_URI, PEER_URI, cid,
                            "application/vnd.3gpp.sms", i, &body};
        sip_request(&m, &r);
        if (i == 1) {
            send(&s, &c, BUILD_C2S, &m);
        } else {
            slice(&part, &m, 0, 100);
            send(&s, &c, BUILD_C2S, &part);
            slice(&part, &m, 100, m.len - 100);
            send(&s, &c, BUILD_C2S, &part);
        }
        sip_answer(&m, "202 Accepted", &r);
        send(&s, &c, BUILD_S2C, &m);
    }
    tcp_close(&s, &c);
    sess_wait(&s, MSEC(300));

    /* MO inside GTP-U (S1-U): the UE's SIP in the bearer */
    s.gtp = &gtp_cfg;
    rp_mo(&body, 21, BOB, SMS_ENC_UCS2, SMS_CANARY_UCS2, NULL);
    struct sip_req g = {PSI_URI, "sip:+" CAROL "@" IMS, PSI_URI, "sip:+" CAROL "@" IMS,
                        "gtp1@10.45.0.2", "application/vnd.3gpp.sms", 1, &body};
    sip_udp_exchange(&s, "10.45.0.2", "10.0.2.1", true, &g, "202 Accepted");
    s.gtp = NULL;
    return finish(&s, out, err, errlen);
}

/* ---- GSM MAP over SIGTRAN -------------------------------------------- */

#define M3UA_PORT 2905 /* RFC 4666 section 1.4.8 */

struct sctp_link {
    struct build_addr a, b;
    uint16_t port;
    uint32_t tsn[2], vtag[2];
    uint16_t ssn[2];
};

/* Appends one DATA chunk (PPID ppid) from a (dir 0) or b to ch. */
static void sctp_chunk(struct sctp_link *l, int dir, uint32_t ppid, const struct build_buf *m,
                       struct build_buf *ch)
{
    payload_sctp_data(ch, l->tsn[dir]++, l->ssn[dir]++, ppid, m->b, m->len);
}

static void sctp_flush(struct sess *s, struct sctp_link *l, int dir, struct build_buf *ch)
{
    struct build_buf pkt, ip;
    struct build_ip h;
    memset(&h, 0, sizeof h);
    h.proto = BUILD_PROTO_SCTP;
    h.ttl = 64;
    h.dont_frag = true;
    h.src = dir ? l->b : l->a;
    h.dst = dir ? l->a : l->b;
    h.id = s->ip_id++;
    build_sctp(&pkt, l->port, l->port, l->vtag[!dir], ch->b, ch->len);
    build_ip_packet(&ip, &h, pkt.b, pkt.len);
    if (ch->overflow || pkt.overflow)
        ip.overflow = true;
    sess_emit_ip(s, dir == 0, &ip);
    sess_wait(s, MSEC(3));
    build_reset(ch);
}

static void sccp_party(struct build_buf *out, uint8_t ssn, const char *gt)
{
    build_u8(out, 0x12); /* GTI 4, SSN present, route on GT */
    build_u8(out, ssn);
    build_u8(out, 0);    /* translation type */
    build_u8(out, (uint8_t)(0x10 | (strlen(gt) % 2 ? 1 : 2))); /* E.164, BCD odd/even */
    build_u8(out, 0x04); /* international */
    sms_enc_tbcd(out, gt);
}

/* M3UA DATA { Protocol Data { OPC, DPC, SI 3, SCCP UDT { cdpa, cgpa, tcap } } } */
static void m3ua_udt(struct build_buf *out, int dir, const struct build_buf *tcap)
{
    struct build_buf cd, cg, udt, pd;
    build_reset(&cd);
    build_reset(&cg);
    sccp_party(&cd, 8, dir ? MSC_DIGITS : SMSC_DIGITS);
    sccp_party(&cg, 8, dir ? SMSC_DIGITS : MSC_DIGITS);
    build_reset(&udt);
    build_u8(&udt, 0x09);
    build_u8(&udt, 0x80); /* class 0, return on error */
    build_u8(&udt, 3);
    build_u8(&udt, (uint8_t)(3 + cd.len));
    build_u8(&udt, (uint8_t)(3 + cd.len + cg.len));
    build_u8(&udt, (uint8_t)cd.len);
    build_bytes(&udt, cd.b, cd.len);
    build_u8(&udt, (uint8_t)cg.len);
    build_bytes(&udt, cg.b, cg.len);
    build_u8(&udt, (uint8_t)tcap->len);
    build_bytes(&udt, tcap->b, tcap->len);
    build_reset(&pd);
    build_be32(&pd, dir ? 200 : 100); /* OPC */
    build_be32(&pd, dir ? 100 : 200); /* DPC */
    build_u8(&pd, 3);                 /* SI: SCCP */
    build_u8(&pd, 2);                 /* NI: national */
    build_u8(&pd, 0);
    build_u8(&pd, 0);
    build_bytes(&pd, udt.b, udt.len);
    build_reset(out);
    build_u8(out, 1);
    build_u8(out, 0);
    build_u8(out, 1); /* Transfer */
    build_u8(out, 1); /* DATA */
    size_t plen = 4 + pd.len, padded = (plen + 3) & ~(size_t)3;
    build_be32(out, (uint32_t)(8 + padded));
    build_be16(out, 0x0210);
    build_be16(out, (uint16_t)plen);
    build_bytes(out, pd.b, pd.len);
    build_zero(out, padded - plen);
}

/* TCAP message: tag 0x62/0x64/0x65, OTID/DTID (0 = absent), dialogue for
 * application context ac (0 = none, else 0.4.0.0.1.0.ac.3), components. */
static void tcap(struct build_buf *out, uint8_t type, uint32_t otid, uint32_t dtid, uint8_t ac,
                 const struct build_buf *comps)
{
    struct build_buf body, t;
    uint8_t tid[4];
    build_reset(&body);
    if (otid) {
        tid[0] = (uint8_t)(otid >> 24); tid[1] = (uint8_t)(otid >> 16);
        tid[2] = (uint8_t)(otid >> 8); tid[3] = (uint8_t)otid;
        sms_enc_ber_raw(&body, 0x48, tid, 4);
    }
    if (dtid) {
        tid[0] = (uint8_t)(dtid >> 24); tid[1] = (uint8_t)(dtid >> 16);
        tid[2] = (uint8_t)(dtid >> 8); tid[3] = (uint8_t)dtid;
        sms_enc_ber_raw(&body, 0x49, tid, 4);
    }
    if (ac) {
        /* Q.773 dialogue portion: EXTERNAL { dialogue-as-id, AARQ { version, AC } } */
        static const uint8_t as_id[] = {0x00, 0x11, 0x86, 0x05, 0x01, 0x01, 0x01};
        uint8_t acn[] = {0x04, 0x00, 0x00, 0x01, 0x00, ac, 0x03};
        struct build_buf oid, aarq, a0, ext;
        build_reset(&oid);
        sms_enc_ber_raw(&oid, 0x06, acn, sizeof acn);
        build_reset(&aarq);
        sms_enc_ber_raw(&aarq, 0x80, (uint8_t[]){0x07, 0x80}, 2);
        sms_enc_ber(&aarq, 0xa1, &oid);
        build_reset(&a0);
        sms_enc_ber(&a0, type == 0x62 ? 0x60 : 0x61, &aarq);
        build_reset(&ext);
        sms_enc_ber_raw(&ext, 0x06, as_id, sizeof as_id);
        sms_enc_ber(&ext, 0xa0, &a0);
        build_reset(&t);
        sms_enc_ber(&t, 0x28, &ext);
        sms_enc_ber(&body, 0x6b, &t);
    }
    sms_enc_ber(&body, 0x6c, comps);
    build_reset(out);
    sms_enc_ber(out, type, &body);
}

static void invoke(struct build_buf *comps, uint8_t id, uint8_t op, const struct build_buf *arg)
{
    struct build_buf c;
    build_reset(&c);
    sms_enc_ber_raw(&c, 0x02, &id, 1);
    sms_enc_ber_raw(&c, 0x02, &op, 1);
    sms_enc_ber(&c, 0x30, arg);
    sms_enc_ber(comps, 0xa1, &c);
}

static void result(struct build_buf *comps, uint8_t id, uint8_t op, const struct build_buf *res)
{
    struct build_buf c, seq;
    build_reset(&c);
    sms_enc_ber_raw(&c, 0x02, &id, 1);
    if (res) {
        build_reset(&seq);
        sms_enc_ber_raw(&seq, 0x02, &op, 1);
        sms_enc_ber(&seq, 0x30, res);
        sms_enc_ber(&c, 0x30, &seq);
    }
    sms_enc_ber(comps, 0xa2, &c);
}

static void addr_tlv(struct build_buf *out, uint8_t tag, const char *digits)
{
    struct build_buf a;
    build_reset(&a);
    sms_enc_toa_digits(&a, 0x91, digits);
    sms_enc_ber(out, tag, &a);
}

static void tbcd_tlv(struct build_buf *out, uint8_t tag, const char *digits)
{
    struct build_buf a;
    build_reset(&a);
    sms_enc_tbcd(&a, digits);
    sms_enc_ber(out, tag, &a);
}

static void mt_arg(struct build_buf *arg, const char *imsi, const struct build_buf *tpdu)
{
    build_reset(arg);
    tbcd_tlv(arg, 0x80, imsi);
    addr_tlv(arg, 0x84, SMSC_DIGITS);
    sms_enc_ber(arg, 0x04, tpdu);
}

static void map_send(struct sess *s, struct sctp_link *l, int dir, const struct build_buf *t)
{
    struct build_buf m, ch;
    build_reset(&ch);
    m3ua_udt(&m, dir, t);
    sctp_chunk(l, dir, 3, &m, &ch);
    sctp_flush(s, l, dir, &ch);
}

int sms_gen_map(const char *out, uint64_t start_us, char *err, size_t errlen)
{
    struct sess s;
    struct sctp_link l = {build_addr("10.0.3.1"), build_addr("10.0.3.2"), M3UA_PORT,
                          {100, 900}, {0x4d534331u, 0x534d5343u}, {0, 0}};
    struct build_buf tp, arg, comps, t, res, inner, m, ch;
    if (open_file(out, start_us, &s, err, errlen))
        return GEN_RC_IO;

    /* mo-forwardSM (MSC -> SMSC, shortMsgMO-Relay v3) */
    build_reset(&tp);
    sms_enc_submit(&tp, 5, BOB, 1, 1, SMS_ENC_GSM7, SMS_CANARY_GSM7, NULL);
    build_reset(&arg);
    addr_tlv(&arg, 0x84, SMSC_DIGITS);
    addr_tlv(&arg, 0x82, ALICE);
    sms_enc_ber(&arg, 0x04, &tp);
    tbcd_tlv(&arg, 0x04, IMSI_ALICE);
    build_reset(&comps);
    invoke(&comps, 1, 46, &arg);
    tcap(&t, 0x62, 0x00000101u, 0, 21, &comps);
    map_send(&s, &l, 0, &t);
    build_reset(&comps);
    result(&comps, 1, 46, NULL);
    tcap(&t, 0x64, 0, 0x00000101u, 0, &comps);
    map_send(&s, &l, 1, &t);
    sess_wait(&s, MSEC(200));

    /* sendRoutingInfoForSM (SMSC -> HLR, shortMsgGateway v3) */
    build_reset(&arg);
    addr_tlv(&arg, 0x80, BOB);
    sms_enc_ber_raw(&arg, 0x81, (uint8_t[]){0xff}, 1);
    addr_tlv(&arg, 0x82, SMSC_DIGITS);
    build_reset(&comps);
    invoke(&comps, 1, 45, &arg);
    tcap(&t, 0x62, 0x00000201u, 0, 20, &comps);
    map_send(&s, &l, 1, &t);
    build_reset(&inner);
    addr_tlv(&inner, 0x81, MSC_DIGITS);
    build_reset(&res);
    tbcd_tlv(&res, 0x04, IMSI_BOB);
    sms_enc_ber(&res, 0xa0, &inner);
    build_reset(&comps);
    result(&comps, 1, 45, &res);
    tcap(&t, 0x64, 0, 0x00000201u, 0, &comps);
    map_send(&s, &l, 0, &t);
    sess_wait(&s, MSEC(200));

    /* mt-forwardSM to BOB (answered with absentSubscriberSM below) */
    build_reset(&tp);
    sms_enc_deliver(&tp, ALICE, 1, 1, SMS_ENC_GSM7, SMS_CANARY_GSM7, NULL);
    mt_arg(&arg, IMSI_BOB, &tp);
    build_reset(&comps);
    invoke(&comps, 1, 44, &arg);
    tcap(&t, 0x62, 0x00000301u, 0, 25, &comps);
    map_send(&s, &l, 1, &t);

    /* one TCAP Begin with two mt-forwardSM invokes (a 2-part message from
     * an alphanumeric sender, UCS-2) */
    build_reset(&comps);
    for (uint8_t i = 1; i <= 2; i++) {
        struct sms_enc_concat cc = {0x33, 2, i};
        build_reset(&tp);
        sms_enc_deliver(&tp, ALNUM, 5, 0, SMS_ENC_UCS2, SMS_CANARY_UCS2, &cc);
        mt_arg(&arg, IMSI_ALICE, &tp);
        invoke(&comps, i, 44, &arg);
    }
    tcap(&t, 0x62, 0x00000401u, 0, 25, &comps);
    map_send(&s, &l, 1, &t);

    /* both answers bundled: two DATA chunks in one SCTP packet */
    build_reset(&ch);
    build_reset(&comps);
    {
        struct build_buf c;
        build_reset(&c);
        sms_enc_ber_raw(&c, 0x02, (uint8_t[]){1}, 1);
        sms_enc_ber_raw(&c, 0x02, (uint8_t[]){27}, 1); /* absentSubscriberSM */
        sms_enc_ber(&comps, 0xa3, &c);
    }
    tcap(&t, 0x64, 0, 0x00000301u, 0, &comps);
    m3ua_udt(&m, 0, &t);
    sctp_chunk(&l, 0, 3, &m, &ch);
    build_reset(&comps);
    result(&comps, 1, 44, NULL);
    result(&comps, 2, 44, NULL);
    tcap(&t, 0x64, 0, 0x00000401u, 0, &comps);
    m3ua_udt(&m, 0, &t);
    sctp_chunk(&l, 0, 3, &m, &ch);
    sctp_flush(&s, &l, 0, &ch);
    return finish(&s, out, err, errlen);
}

/* ---- Diameter SGd ----------------------------------------------------- */

#define SGD_APP 16777313u
#define VENDOR_3GPP 10415u

static void ofr(struct build_buf *b, uint32_t hbh, const char *imsi, const char *msisdn,
                const struct build_buf *tpdu)
{
    struct build_buf uid, a;
    size_t st = sms_enc_diam_begin(b, true, 8388645u, SGD_APP, hbh, hbh ^ 0x10000u);
    sms_enc_avp_str(b, 263, 0, "mme.example;1;ofr");
    sms_enc_avp_u32(b, 277, 0, 1);  /* Auth-Session-State: NO_STATE_MAINTAINED */
    sms_enc_avp_str(b, 264, 0, "mme.example");
    sms_enc_avp_str(b, 296, 0, "example");
    sms_enc_avp_str(b, 283, 0, "example");
    build_reset(&a);
    sms_enc_tbcd(&a, SMSC_DIGITS);
    sms_enc_avp(b, 3300, VENDOR_3GPP, a.b, a.len);
    build_reset(&uid);
    sms_enc_avp_str(&uid, 1, 0, imsi);
    build_reset(&a);
    sms_enc_tbcd(&a, msisdn);
    sms_enc_avp(&uid, 701, VENDOR_3GPP, a.b, a.len);
    sms_enc_avp(b, 3102, VENDOR_3GPP, uid.b, uid.len);
    sms_enc_avp(b, 3301, VENDOR_3GPP, tpdu->b, tpdu->len);
    sms_enc_diam_end(b, st);
}

static void tfr(struct build_buf *b, uint32_t hbh, const char *imsi, const struct build_buf *tpdu)
{
    struct build_buf a;
    size_t st = sms_enc_diam_begin(b, true, 8388646u, SGD_APP, hbh, hbh ^ 0x10000u);
    sms_enc_avp_str(b, 263, 0, "iwf.example;1;tfr");
    sms_enc_avp_u32(b, 277, 0, 1);
    sms_enc_avp_str(b, 264, 0, "iwf.example");
    sms_enc_avp_str(b, 296, 0, "example");
    sms_enc_avp_str(b, 293, 0, "mme.example");
    sms_enc_avp_str(b, 283, 0, "example");
    sms_enc_avp_str(b, 1, 0, imsi);
    build_reset(&a);
    sms_enc_tbcd(&a, SMSC_DIGITS);
    sms_enc_avp(b, 3300, VENDOR_3GPP, a.b, a.len);
    sms_enc_avp(b, 3301, VENDOR_3GPP, tpdu->b, tpdu->len);
    sms_enc_diam_end(b, st);
}

/* Answer with Result-Code, or Experimental-Result (3GPP) when exp. */
static void answer(struct build_buf *b, uint32_t code, uint32_t hbh, uint32_t result, bool exp)
{
    size_t st = sms_enc_diam_begin(b, false, code, SGD_APP, hbh, hbh ^ 0x10000u);
    sms_enc_avp_str(b, 263, 0, code == 8388645u ? "mme.example;1;ofr" : "iwf.example;1;tfr");
    sms_enc_avp_u32(b, 277, 0, 1);
    if (exp) {
        struct build_buf g;
        build_reset(&g);
        sms_enc_avp_u32(&g, 266, 0, VENDOR_3GPP);
        sms_enc_avp_u32(&g, 298, 0, result);
        sms_enc_avp(b, 297, 0, g.b, g.len);
    } else {
        sms_enc_avp_u32(b, 268, 0, result);
    }
    sms_enc_avp_str(b, 264, 0, "peer.example");
    sms_enc_avp_str(b, 296, 0, "example");
    sms_enc_diam_end(b, st);
}

int sms_gen_sgd(const char *out, uint64_t start_us, char *err, size_t errlen)
{
    struct sess s;
    struct build_buf tp, m, ch;
    struct build_tcp_conn c;
    if (open_file(out, start_us, &s, err, errlen))
        return GEN_RC_IO;

    /* TCP: CER/CEA, then OFR/OFA (MO from ALICE to BOB, GSM 7-bit) */
    tcp_open(&s, &c, "10.0.4.1", 43868, "10.0.4.2", 3868, 0x44440000u);
    build_reset(&m);
    size_t st = sms_enc_diam_begin(&m, true, 257, 0, 1, 1);
    sms_enc_avp_str(&m, 264, 0, "mme.example");
    sms_enc_avp_str(&m, 296, 0, "example");
    sms_enc_avp_u32(&m, 258, 0, SGD_APP);
    sms_enc_diam_end(&m, st);
    m.b[4] = 0x80; /* CER is not proxiable */
    send(&s, &c, BUILD_C2S, &m);
    build_reset(&m);
    st = sms_enc_diam_begin(&m, false, 257, 0, 1, 1);
    sms_enc_avp_u32(&m, 268, 0, 2001);
    sms_enc_avp_str(&m, 264, 0, "iwf.example");
    sms_enc_avp_str(&m, 296, 0, "example");
    sms_enc_diam_end(&m, st);
    m.b[4] = 0x00;
    send(&s, &c, BUILD_S2C, &m);
    build_reset(&tp);
    sms_enc_submit(&tp, 9, BOB, 1, 1, SMS_ENC_GSM7, SMS_CANARY_GSM7, NULL);
    build_reset(&m);
    ofr(&m, 0x5001, IMSI_ALICE, ALICE, &tp);
    send(&s, &c, BUILD_C2S, &m);
    build_reset(&m);
    answer(&m, 8388645u, 0x5001, 2001, false);
    send(&s, &c, BUILD_S2C, &m);
    tcp_close(&s, &c);
    sess_wait(&s, MSEC(300));

    /* SCTP 3868, PPID 46: TFR to BOB (alphanumeric sender, UCS-2) answered
     * with Experimental-Result 5550 (absent user), then an OFR (8-bit) */
    struct sctp_link l = {build_addr("10.0.4.2"), build_addr("10.0.4.1"), 3868,
                          {7000, 8000}, {0x53474431u, 0x53474432u}, {0, 0}};
    build_reset(&ch);
    build_reset(&tp);
    sms_enc_deliver(&tp, ALNUM, 5, 0, SMS_ENC_UCS2, SMS_CANARY_UCS2, NULL);
    build_reset(&m);
    tfr(&m, 0x6001, IMSI_BOB, &tp);
    sctp_chunk(&l, 0, 46, &m, &ch);
    sctp_flush(&s, &l, 0, &ch);
    build_reset(&m);
    answer(&m, 8388646u, 0x6001, 5550, true);
    sctp_chunk(&l, 1, 46, &m, &ch);
    sctp_flush(&s, &l, 1, &ch);
    build_reset(&tp);
    sms_enc_submit(&tp, 10, CAROL, 1, 1, SMS_ENC_8BIT, SMS_CANARY_8BIT, NULL);
    build_reset(&m);
    ofr(&m, 0x6002, IMSI_BOB, BOB, &tp);
    sctp_chunk(&l, 1, 46, &m, &ch);
    sctp_flush(&s, &l, 1, &ch);
    build_reset(&m);
    answer(&m, 8388645u, 0x6002, 2001, false);
    sctp_chunk(&l, 0, 46, &m, &ch);
    sctp_flush(&s, &l, 0, &ch);
    return finish(&s, out, err, errlen);
}
