/* sms_core.c - carrier SMS fixtures of the core network (see sms.h and
 * the file list at the top of sms.c): sms_map.pcap (SCTP/M3UA/SCCP/TCAP/MAP)
 * and sms_sgd.pcap (Diameter SGd over TCP and SCTP). */
#include "sms.h"

#include "build.h"
#include "payload.h"
#include "sess.h"
#include "sms_enc.h"
#include "sms_util.h"
#include "ss7_enc.h"

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

/* ---- GSM MAP over SIGTRAN -------------------------------------------- */

#define M3UA_PORT 2905 /* RFC 4666 section 1.4.8 */

/* M3UA DATA { Protocol Data { OPC, DPC, SI 3, SCCP UDT { cdpa, cgpa, tcap } } } */
static void m3ua_udt(struct build_buf *out, int dir, const struct build_buf *tcap)
{
    struct build_buf cd, cg, udt;
    build_reset(&cd);
    build_reset(&cg);
    ss7_enc_sccp_party(&cd, 8, dir ? MSC_DIGITS : SMSC_DIGITS, -1);
    ss7_enc_sccp_party(&cg, 8, dir ? SMSC_DIGITS : MSC_DIGITS, -1);
    ss7_enc_sccp_udt(&udt, &cd, &cg, tcap);
    ss7_enc_m3ua(out, dir ? 200 : 100, dir ? 100 : 200, 3, &udt);
}

/* TCAP with MAP v3 application contexts (ss7_enc_tcap). */
static void tcap(struct build_buf *out, uint8_t type, uint32_t otid, uint32_t dtid, uint8_t ac,
                 const struct build_buf *comps)
{
    ss7_enc_tcap(out, type, otid, dtid, ac, 3, comps);
}

static void mt_arg(struct build_buf *arg, const char *imsi, const struct build_buf *tpdu)
{
    build_reset(arg);
    ss7_enc_tbcd_tlv(arg, 0x80, imsi);
    ss7_enc_addr_tlv(arg, 0x84, SMSC_DIGITS);
    sms_enc_ber(arg, 0x04, tpdu);
}

static void map_send(struct sess *s, struct sctp_link *l, int dir, const struct build_buf *t)
{
    struct build_buf m, ch;
    build_reset(&ch);
    m3ua_udt(&m, dir, t);
    sms_util_sctp_chunk(l, dir, 3, &m, &ch);
    sms_util_sctp_flush(s, l, dir, &ch);
}

int sms_gen_map(const char *out, uint64_t start_us, char *err, size_t errlen)
{
    struct sess s;
    struct sctp_link l = {build_addr("10.0.3.1"), build_addr("10.0.3.2"), M3UA_PORT,
                          {100, 900}, {0x4d534331u, 0x534d5343u}, {0, 0}};
    struct build_buf tp, arg, comps, t, res, inner, m, ch;
    if (sms_util_open(out, start_us, &s, err, errlen))
        return GEN_RC_IO;

    /* mo-forwardSM (MSC -> SMSC, shortMsgMO-Relay v3) */
    build_reset(&tp);
    sms_enc_submit(&tp, 5, BOB, 1, 1, SMS_ENC_GSM7, SMS_CANARY_GSM7, NULL);
    build_reset(&arg);
    ss7_enc_addr_tlv(&arg, 0x84, SMSC_DIGITS);
    ss7_enc_addr_tlv(&arg, 0x82, ALICE);
    sms_enc_ber(&arg, 0x04, &tp);
    ss7_enc_tbcd_tlv(&arg, 0x04, IMSI_ALICE);
    build_reset(&comps);
    ss7_enc_invoke(&comps, 1, 46, &arg);
    tcap(&t, 0x62, 0x00000101u, 0, 21, &comps);
    map_send(&s, &l, 0, &t);
    build_reset(&comps);
    ss7_enc_result(&comps, 1, 46, NULL);
    tcap(&t, 0x64, 0, 0x00000101u, 0, &comps);
    map_send(&s, &l, 1, &t);
    sess_wait(&s, MSEC(200));

    /* sendRoutingInfoForSM (SMSC -> HLR, shortMsgGateway v3) */
    build_reset(&arg);
    ss7_enc_addr_tlv(&arg, 0x80, BOB);
    sms_enc_ber_raw(&arg, 0x81, (uint8_t[]){0xff}, 1);
    ss7_enc_addr_tlv(&arg, 0x82, SMSC_DIGITS);
    build_reset(&comps);
    ss7_enc_invoke(&comps, 1, 45, &arg);
    tcap(&t, 0x62, 0x00000201u, 0, 20, &comps);
    map_send(&s, &l, 1, &t);
    build_reset(&inner);
    ss7_enc_addr_tlv(&inner, 0x81, MSC_DIGITS);
    build_reset(&res);
    ss7_enc_tbcd_tlv(&res, 0x04, IMSI_BOB);
    sms_enc_ber(&res, 0xa0, &inner);
    build_reset(&comps);
    ss7_enc_result(&comps, 1, 45, &res);
    tcap(&t, 0x64, 0, 0x00000201u, 0, &comps);
    map_send(&s, &l, 0, &t);
    sess_wait(&s, MSEC(200));

    /* mt-forwardSM to BOB (answered with absentSubscriberSM below) */
    build_reset(&tp);
    sms_enc_deliver(&tp, ALICE, 1, 1, SMS_ENC_GSM7, SMS_CANARY_GSM7, NULL);
    mt_arg(&arg, IMSI_BOB, &tp);
    build_reset(&comps);
    ss7_enc_invoke(&comps, 1, 44, &arg);
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
        ss7_enc_invoke(&comps, i, 44, &arg);
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
    sms_util_sctp_chunk(&l, 0, 3, &m, &ch);
    build_reset(&comps);
    ss7_enc_result(&comps, 1, 44, NULL);
    ss7_enc_result(&comps, 2, 44, NULL);
    tcap(&t, 0x64, 0, 0x00000401u, 0, &comps);
    m3ua_udt(&m, 0, &t);
    sms_util_sctp_chunk(&l, 0, 3, &m, &ch);
    sms_util_sctp_flush(&s, &l, 0, &ch);
    return sess_finish(&s, out, err, errlen);
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
    if (sms_util_open(out, start_us, &s, err, errlen))
        return GEN_RC_IO;

    /* TCP: CER/CEA, then OFR/OFA (MO from ALICE to BOB, GSM 7-bit) */
    sms_util_tcp_open(&s, &c, "10.0.4.1", 43868, "10.0.4.2", 3868, 0x44440000u);
    build_reset(&m);
    size_t st = sms_enc_diam_begin(&m, true, 257, 0, 1, 1);
    sms_enc_avp_str(&m, 264, 0, "mme.example");
    sms_enc_avp_str(&m, 296, 0, "example");
    sms_enc_avp_u32(&m, 258, 0, SGD_APP);
    sms_enc_diam_end(&m, st);
    m.b[4] = 0x80; /* CER is not proxiable */
    sms_util_send(&s, &c, BUILD_C2S, &m);
    build_reset(&m);
    st = sms_enc_diam_begin(&m, false, 257, 0, 1, 1);
    sms_enc_avp_u32(&m, 268, 0, 2001);
    sms_enc_avp_str(&m, 264, 0, "iwf.example");
    sms_enc_avp_str(&m, 296, 0, "example");
    sms_enc_diam_end(&m, st);
    m.b[4] = 0x00;
    sms_util_send(&s, &c, BUILD_S2C, &m);
    build_reset(&tp);
    sms_enc_submit(&tp, 9, BOB, 1, 1, SMS_ENC_GSM7, SMS_CANARY_GSM7, NULL);
    build_reset(&m);
    ofr(&m, 0x5001, IMSI_ALICE, ALICE, &tp);
    sms_util_send(&s, &c, BUILD_C2S, &m);
    build_reset(&m);
    answer(&m, 8388645u, 0x5001, 2001, false);
    sms_util_send(&s, &c, BUILD_S2C, &m);
    sms_util_tcp_close(&s, &c);
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
    sms_util_sctp_chunk(&l, 0, 46, &m, &ch);
    sms_util_sctp_flush(&s, &l, 0, &ch);
    build_reset(&m);
    answer(&m, 8388646u, 0x6001, 5550, true);
    sms_util_sctp_chunk(&l, 1, 46, &m, &ch);
    sms_util_sctp_flush(&s, &l, 1, &ch);
    build_reset(&tp);
    sms_enc_submit(&tp, 10, CAROL, 1, 1, SMS_ENC_8BIT, SMS_CANARY_8BIT, NULL);
    build_reset(&m);
    ofr(&m, 0x6002, IMSI_BOB, BOB, &tp);
    sms_util_sctp_chunk(&l, 1, 46, &m, &ch);
    sms_util_sctp_flush(&s, &l, 1, &ch);
    build_reset(&m);
    answer(&m, 8388645u, 0x6002, 2001, false);
    sms_util_sctp_chunk(&l, 0, 46, &m, &ch);
    sms_util_sctp_flush(&s, &l, 0, &ch);
    return sess_finish(&s, out, err, errlen);
}
