/* sms_ss7.c - carrier SMS fixtures for the other SS7 transports and SGs
 * (see sms.h):
 *
 * sms_m2pa.pcap  SCTP 3565 / M2PA / MTP3 (ITU label) / SCCP / TCAP / MAP:
 *                a long mt-forwardSM split over two XUDT segments, a MAP v1
 *                forwardSM (shortMsgRelay v1 dialogue, MT by its SM-RP-DA),
 *                reportSM-DeliveryStatus, alertServiceCentre, and a v3
 *                mo-forwardSM sent in a TC-CONTINUE after an empty TC-BEGIN.
 * sms_m2ua.pcap  SCTP 2904 / M2UA / MTP3 / SCCP UDT: mo-forwardSM, SRI-SM; and a
 *                second link carrying only a MAP updateLocation (no SMS: the
 *                flow is carrier signalling, not carrier SMS).
 * sms_mtp2_phdr.pcap, sms_mtp2.pcap, sms_mtp3.pcap  SS7 link captures
 *                (link types 139, 140, 141): MTP2 (with the pseudo-header
 *                of link 3) or none / MTP3 / SCCP UDT / TCAP / MAP: a link
 *                status and a fill-in signal unit (MTP2 only), an
 *                mo-forwardSM and an mt-forwardSM with their TC-ENDs.
 * sms_legs.pcap  one SMS seen on two links: Iu-CS (RANAP over M3UA) and the
 *                MSC-SMSC MAP leg (M2PA), MO and MT, then the same text
 *                between the same parties again as new messages (issue 19).
 * sms_sua.pcap   SCTP 14001 / SUA CLDT / TCAP: mt-forwardSM (UCS-2).
 * sms_sgsap.pcap SCTP 29118 PPID 0 / SGsAP Uplink / Downlink Unitdata /
 *                CP-DATA / RP-DATA: an MO SMS acknowledged by RP-ACK, an MT
 *                SMS refused with RP-ERROR (memory capacity exceeded), and
 *                the CP-ACKs.
 * sms_bssap.pcap SCTP 2905 / M3UA / SCCP connection-oriented (CR, CC, DT1,
 *                RLSD) / BSSAP: an MO SMS on a connection opened by a CM
 *                Service Request with an IMSI, an MT SMS on one opened by a
 *                Paging Response with a TMSI (DTAP CP-DATA / RP-DATA / RP-ACK).
 * sms_ranap.pcap the same two transactions on Iu-CS: RANAP InitialUE-Message
 *                and DirectTransfer NAS-PDUs.
 */
#include "sms.h"

#include "build.h"
#include "sess.h"
#include "sms_enc.h"
#include "sms_util.h"
#include "ss7_enc.h"

#include <stdio.h>
#include <string.h>

#define SMSC_DIGITS "15550000001"
#define MSC_DIGITS "15550000002"
#define HLR_DIGITS "15550000003"
#define ALICE "15551230001"
#define BOB "15551230002"
#define IMSI_ALICE "001010000000001"
#define IMSI_BOB "001010000000002"

#define SSN_HLR 6
#define SSN_MSC 8
#define PC_SMSC 100
#define PC_MSC 200
#define PC_HLR 300

/* MAP application contexts (TS 29.002 section 17.3.2). */
#define AC_GATEWAY 20
#define AC_MO_RELAY 21 /* shortMsgRelayContext in v1 */
#define AC_ALERT 23
#define AC_MT_RELAY 25

/* One SCCP node: GT, SSN, point code. */
struct node {
    const char *gt;
    uint8_t ssn;
    uint16_t pc;
};

static const struct node smsc = {SMSC_DIGITS, SSN_MSC, PC_SMSC};
static const struct node msc = {MSC_DIGITS, SSN_MSC, PC_MSC};
static const struct node hlr = {HLR_DIGITS, SSN_HLR, PC_HLR};

/* How a TCAP message reaches the wire in one capture: over SCTP, or as a
 * frame of an SS7 link capture (link type MTP2_WITH_PHDR, MTP2 or MTP3). */
enum ss7_transport { T_M2PA, T_M2UA, T_MTP };

struct ss7_link {
    struct sctp_link sl;
    enum ss7_transport t;
    uint32_t fsn[2];
    uint32_t linktype; /* T_MTP */
};

/* Link number of the pseudo-header in sms_mtp2_phdr.pcap. */
#define MTP_LINK_NUMBER 3

/* One SS7 link frame (T_MTP) of the MTP3 message mtp3, in direction dir:
 * the MTP2 pseudo-header (sent, annex_a_used 0, link number big-endian:
 * wiretap pcap-common.c) and the basic MTP2 header (Q.703 2.2: BIB/BSN,
 * FIB/FSN, LI = the SIO+SIF length, 63 for 62 or more) as the link type
 * asks. */
static void mtp_frame(struct sess *s, struct ss7_link *l, int dir, const struct build_buf *mtp3)
{
    struct build_buf f;
    build_reset(&f);
    if (l->linktype == 139) {
        build_u8(&f, (uint8_t)(dir == 0));
        build_u8(&f, 0);
        build_be16(&f, MTP_LINK_NUMBER);
    }
    if (l->linktype != 141) {
        build_u8(&f, (uint8_t)(0x80 | (l->fsn[!dir] & 0x7f)));
        build_u8(&f, (uint8_t)(0x80 | (l->fsn[dir]++ & 0x7f)));
        build_u8(&f, (uint8_t)(mtp3->len < 63 ? mtp3->len : 63));
    }
    build_bytes(&f, mtp3->b, mtp3->len);
    if (s->rc == GEN_OK && writer_packet(s->w, s->ts_us, f.b, f.len, f.len) != GEN_OK)
        s->rc = GEN_RC_IO;
    s->ts_us += SESS_STEP_US;
}

static void parties(struct build_buf *cd, struct build_buf *cg, const struct node *from,
                    const struct node *to)
{
    build_reset(cd);
    build_reset(cg);
    ss7_enc_sccp_party(cd, to->ssn, to->gt, -1);
    ss7_enc_sccp_party(cg, from->ssn, from->gt, -1);
}

static void link_send(struct sess *s, struct ss7_link *l, int dir, const struct node *from,
                      const struct node *to, const struct build_buf *sccp)
{
    struct build_buf mtp3, m, ch;
    ss7_enc_mtp3(&mtp3, 3, from->pc, to->pc, 5, sccp);
    if (l->t == T_MTP) {
        mtp_frame(s, l, dir, &mtp3);
        return;
    }
    if (l->t == T_M2PA)
        ss7_enc_m2pa(&m, l->fsn[!dir], l->fsn[dir]++, &mtp3);
    else
        ss7_enc_m2ua(&m, 1, &mtp3);
    build_reset(&ch);
    sms_util_sctp_chunk(&l->sl, dir, l->t == T_M2PA ? 5 : 2, &m, &ch);
    sms_util_sctp_flush(s, &l->sl, dir, &ch);
}

/* One TCAP message from -> to in a UDT. */
static void udt(struct sess *s, struct ss7_link *l, int dir, const struct node *from,
                const struct node *to, const struct build_buf *tcap)
{
    struct build_buf cd, cg, m;
    parties(&cd, &cg, from, to);
    ss7_enc_sccp_udt(&m, &cd, &cg, tcap);
    link_send(s, l, dir, from, to, &m);
}

static void mt_arg(struct build_buf *arg, const char *imsi, const struct build_buf *tpdu)
{
    build_reset(arg);
    ss7_enc_tbcd_tlv(arg, 0x80, imsi);
    ss7_enc_addr_tlv(arg, 0x84, SMSC_DIGITS);
    sms_enc_ber(arg, 0x04, tpdu);
}

static void answer(struct sess *s, struct ss7_link *l, int dir, const struct node *from,
                   const struct node *to, uint32_t dtid, uint8_t id, uint8_t op)
{
    struct build_buf comps, t;
    build_reset(&comps);
    ss7_enc_result(&comps, id, op, NULL);
    ss7_enc_tcap(&t, 0x64, 0, dtid, 0, 0, &comps);
    udt(s, l, dir, from, to, &t);
}

static void msisdn_sc_arg(struct build_buf *arg, const char *msisdn, int outcome)
{
    build_reset(arg);
    ss7_enc_addr_tlv(arg, 0x04, msisdn);
    ss7_enc_addr_tlv(arg, 0x04, SMSC_DIGITS);
    if (outcome >= 0)
        sms_enc_ber_raw(arg, 0x0a, (uint8_t[]){(uint8_t)outcome}, 1);
}

int sms_gen_m2pa(const char *out, uint64_t start_us, char *err, size_t errlen)
{
    struct sess s;
    struct ss7_link l = {{build_addr("10.0.5.1"), build_addr("10.0.5.2"), 3565, {300, 400},
                          {0x4d325041u, 0x4d325042u}, {0, 0}},
                         T_M2PA,
                         {1, 1}, 0};
    struct build_buf tp, arg, comps, t, cd, cg, part, m;
    if (sms_util_open(out, start_us, &s, err, errlen))
        return GEN_RC_IO;

    /* 1. a long mt-forwardSM (SMSC -> MSC, dir 0) in two XUDT segments */
    char text[6 * sizeof SMS_CANARY_GSM7];
    snprintf(text, sizeof text, "%s %s %s %s %s %s", SMS_CANARY_GSM7, SMS_CANARY_GSM7,
             SMS_CANARY_GSM7, SMS_CANARY_GSM7, SMS_CANARY_GSM7, SMS_CANARY_GSM7);
    build_reset(&tp);
    sms_enc_deliver(&tp, ALICE, 1, 1, SMS_ENC_GSM7, text, NULL);
    mt_arg(&arg, IMSI_BOB, &tp);
    build_reset(&comps);
    ss7_enc_invoke(&comps, 1, 44, &arg);
    ss7_enc_tcap(&t, 0x62, 0x00000501u, 0, AC_MT_RELAY, 3, &comps);
    parties(&cd, &cg, &smsc, &msc);
    size_t half = t.len / 2;
    sms_util_slice(&part, &t, 0, half);
    ss7_enc_sccp_xudt(&m, &cd, &cg, &part, 2, 1, 0x00abcd);
    link_send(&s, &l, 0, &smsc, &msc, &m);
    sms_util_slice(&part, &t, half, t.len - half);
    ss7_enc_sccp_xudt(&m, &cd, &cg, &part, 2, 2, 0x00abcd);
    link_send(&s, &l, 0, &smsc, &msc, &m);
    answer(&s, &l, 1, &msc, &smsc, 0x00000501u, 1, 44);
    sess_wait(&s, MSEC(200));

    /* 2. MAP v1 forwardSM (opcode 46) towards the subscriber: MT, known
     * only from SM-RP-DA = imsi */
    build_reset(&tp);
    sms_enc_deliver(&tp, BOB, 1, 1, SMS_ENC_8BIT, SMS_CANARY_8BIT, NULL);
    mt_arg(&arg, IMSI_ALICE, &tp);
    build_reset(&comps);
    ss7_enc_invoke(&comps, 1, 46, &arg);
    ss7_enc_tcap(&t, 0x62, 0x00000502u, 0, AC_MO_RELAY, 1, &comps);
    udt(&s, &l, 0, &smsc, &msc, &t);
    answer(&s, &l, 1, &msc, &smsc, 0x00000502u, 1, 46);
    sess_wait(&s, MSEC(200));

    /* 3. reportSM-DeliveryStatus (SMSC -> HLR): delivered to BOB */
    msisdn_sc_arg(&arg, BOB, 2);
    build_reset(&comps);
    ss7_enc_invoke(&comps, 1, 47, &arg);
    ss7_enc_tcap(&t, 0x62, 0x00000503u, 0, AC_GATEWAY, 3, &comps);
    udt(&s, &l, 0, &smsc, &hlr, &t);
    answer(&s, &l, 1, &hlr, &smsc, 0x00000503u, 1, 47);
    sess_wait(&s, MSEC(200));

    /* 4. alertServiceCentre (HLR -> SMSC): ALICE is reachable again */
    msisdn_sc_arg(&arg, ALICE, -1);
    build_reset(&comps);
    ss7_enc_invoke(&comps, 1, 64, &arg);
    ss7_enc_tcap(&t, 0x62, 0x00000601u, 0, AC_ALERT, 2, &comps);
    udt(&s, &l, 1, &hlr, &smsc, &t);
    answer(&s, &l, 0, &smsc, &hlr, 0x00000601u, 1, 64);
    sess_wait(&s, MSEC(200));

    /* 5. v3 mo-forwardSM in a TC-CONTINUE after an empty TC-BEGIN (TS
     * 29.002 section 15.2.2: the MSC opens the dialogue first when the
     * message would not fit in the TC-BEGIN) */
    ss7_enc_tcap(&t, 0x62, 0x00000602u, 0, AC_MO_RELAY, 3, NULL);
    udt(&s, &l, 1, &msc, &smsc, &t);
    ss7_enc_tcap(&t, 0x65, 0x00000504u, 0x00000602u, AC_MO_RELAY, 3, NULL);
    udt(&s, &l, 0, &smsc, &msc, &t);
    build_reset(&tp);
    sms_enc_submit(&tp, 7, BOB, 1, 1, SMS_ENC_UCS2, SMS_CANARY_UCS2, NULL);
    build_reset(&arg);
    ss7_enc_addr_tlv(&arg, 0x84, SMSC_DIGITS);
    ss7_enc_addr_tlv(&arg, 0x82, ALICE);
    sms_enc_ber(&arg, 0x04, &tp);
    build_reset(&comps);
    ss7_enc_invoke(&comps, 1, 46, &arg);
    ss7_enc_tcap(&t, 0x65, 0x00000602u, 0x00000504u, 0, 0, &comps);
    udt(&s, &l, 1, &msc, &smsc, &t);
    answer(&s, &l, 0, &smsc, &msc, 0x00000602u, 1, 46);
    return sess_finish(&s, out, err, errlen);
}

int sms_gen_m2ua(const char *out, uint64_t start_us, char *err, size_t errlen)
{
    struct sess s;
    struct ss7_link l = {{build_addr("10.0.6.1"), build_addr("10.0.6.2"), 2904, {500, 600},
                          {0x4d325541u, 0x4d325542u}, {0, 0}},
                         T_M2UA,
                         {0, 0}, 0};
    struct build_buf tp, arg, comps, t;
    if (sms_util_open(out, start_us, &s, err, errlen))
        return GEN_RC_IO;
    /* mo-forwardSM (MSC -> SMSC, dir 0) */
    build_reset(&tp);
    sms_enc_submit(&tp, 3, BOB, 1, 1, SMS_ENC_GSM7, SMS_CANARY_GSM7, NULL);
    build_reset(&arg);
    ss7_enc_addr_tlv(&arg, 0x84, SMSC_DIGITS);
    ss7_enc_addr_tlv(&arg, 0x82, ALICE);
    sms_enc_ber(&arg, 0x04, &tp);
    ss7_enc_tbcd_tlv(&arg, 0x04, IMSI_ALICE);
    build_reset(&comps);
    ss7_enc_invoke(&comps, 1, 46, &arg);
    ss7_enc_tcap(&t, 0x62, 0x00000701u, 0, AC_MO_RELAY, 3, &comps);
    udt(&s, &l, 0, &msc, &smsc, &t);
    answer(&s, &l, 1, &smsc, &msc, 0x00000701u, 1, 46);
    sess_wait(&s, MSEC(200));
    /* sendRoutingInfoForSM (SMSC -> HLR, dir 1) */
    build_reset(&arg);
    ss7_enc_addr_tlv(&arg, 0x80, BOB);
    sms_enc_ber_raw(&arg, 0x81, (uint8_t[]){0xff}, 1);
    ss7_enc_addr_tlv(&arg, 0x82, SMSC_DIGITS);
    build_reset(&comps);
    ss7_enc_invoke(&comps, 1, 45, &arg);
    ss7_enc_tcap(&t, 0x62, 0x00000702u, 0, AC_GATEWAY, 3, &comps);
    udt(&s, &l, 1, &smsc, &hlr, &t);
    answer(&s, &l, 0, &hlr, &smsc, 0x00000702u, 1, 45);
    sess_wait(&s, MSEC(200));
    /* another link: updateLocation (opcode 2, networkLocUp v3) VLR -> HLR */
    struct ss7_link l2 = {{build_addr("10.0.6.3"), build_addr("10.0.6.4"), 2904, {1500, 1600},
                           {0x4d325543u, 0x4d325544u}, {0, 0}},
                          T_M2UA,
                          {0, 0}, 0};
    build_reset(&arg);
    ss7_enc_tbcd_tlv(&arg, 0x04, IMSI_BOB);
    ss7_enc_addr_tlv(&arg, 0x81, MSC_DIGITS);
    ss7_enc_addr_tlv(&arg, 0x04, MSC_DIGITS);
    build_reset(&comps);
    ss7_enc_invoke(&comps, 1, 2, &arg);
    ss7_enc_tcap(&t, 0x62, 0x00000703u, 0, 1, 3, &comps);
    udt(&s, &l2, 0, &msc, &hlr, &t);
    answer(&s, &l2, 1, &hlr, &msc, 0x00000703u, 1, 2);
    return sess_finish(&s, out, err, errlen);
}

/* A link status (LI 1, SIOS) or fill-in (LI 0) signal unit: no MTP3. */
static void mtp2_status(struct sess *s, struct ss7_link *l, int dir, int li)
{
    struct build_buf f;
    build_reset(&f);
    if (l->linktype == 139) {
        build_u8(&f, (uint8_t)(dir == 0));
        build_u8(&f, 0);
        build_be16(&f, MTP_LINK_NUMBER);
    }
    build_u8(&f, (uint8_t)(0x80 | (l->fsn[!dir] & 0x7f)));
    build_u8(&f, (uint8_t)(0x80 | (l->fsn[dir] & 0x7f)));
    build_u8(&f, (uint8_t)li);
    if (li == 1)
        build_u8(&f, 0x03); /* Q.703 11.1.3: status SIOS (out of service) */
    if (s->rc == GEN_OK && writer_packet(s->w, s->ts_us, f.b, f.len, f.len) != GEN_OK)
        s->rc = GEN_RC_IO;
    s->ts_us += SESS_STEP_US;
}

int sms_gen_mtp(const char *out, uint32_t linktype, uint64_t start_us, char *err, size_t errlen)
{
    static const struct build_link none;
    struct sess s;
    struct ss7_link l = {{build_addr("0.0.0.0"), build_addr("0.0.0.0"), 0, {0, 0}, {0, 0}, {0, 0}},
                         T_MTP,
                         {1, 1},
                         linktype};
    struct build_buf tp, arg, comps, t;
    struct writer *w = writer_open(out, WRITER_PCAP, linktype, err, errlen);
    if (!w)
        return GEN_RC_IO;
    sess_init(&s, w, &none, start_us);
    if (linktype != 141) { /* the link comes up: no MTP3 message in these */
        mtp2_status(&s, &l, 0, 1);
        mtp2_status(&s, &l, 1, 0);
    }
    /* mo-forwardSM (MSC -> SMSC, dir 0): ALICE to BOB, GSM 7-bit */
    build_reset(&tp);
    sms_enc_submit(&tp, 9, BOB, 1, 1, SMS_ENC_GSM7, SMS_CANARY_GSM7, NULL);
    build_reset(&arg);
    ss7_enc_addr_tlv(&arg, 0x84, SMSC_DIGITS);
    ss7_enc_addr_tlv(&arg, 0x82, ALICE);
    sms_enc_ber(&arg, 0x04, &tp);
    ss7_enc_tbcd_tlv(&arg, 0x04, IMSI_ALICE);
    build_reset(&comps);
    ss7_enc_invoke(&comps, 1, 46, &arg);
    ss7_enc_tcap(&t, 0x62, 0x00000901u, 0, AC_MO_RELAY, 3, &comps);
    udt(&s, &l, 0, &msc, &smsc, &t);
    answer(&s, &l, 1, &smsc, &msc, 0x00000901u, 1, 46);
    sess_wait(&s, MSEC(200));
    /* mt-forwardSM (SMSC -> MSC, dir 1): BOB to ALICE's IMSI, UCS-2 */
    build_reset(&tp);
    sms_enc_deliver(&tp, BOB, 1, 1, SMS_ENC_UCS2, SMS_CANARY_UCS2, NULL);
    mt_arg(&arg, IMSI_ALICE, &tp);
    build_reset(&comps);
    ss7_enc_invoke(&comps, 1, 44, &arg);
    ss7_enc_tcap(&t, 0x62, 0x00000902u, 0, AC_MT_RELAY, 3, &comps);
    udt(&s, &l, 1, &smsc, &msc, &t);
    answer(&s, &l, 0, &msc, &smsc, 0x00000902u, 1, 44);
    if (linktype != 141)
        mtp2_status(&s, &l, 1, 0);
    return sess_finish(&s, out, err, errlen);
}

int sms_gen_sua(const char *out, uint64_t start_us, char *err, size_t errlen)
{
    struct sess s;
    struct sctp_link l = {build_addr("10.0.7.1"), build_addr("10.0.7.2"), 14001, {700, 800},
                          {0x53554131u, 0x53554132u}, {0, 0}};
    struct build_buf tp, arg, comps, t, src, dst, m, ch;
    if (sms_util_open(out, start_us, &s, err, errlen))
        return GEN_RC_IO;
    /* mt-forwardSM (SMSC -> MSC): UCS-2 from ALICE to IMSI_BOB */
    build_reset(&tp);
    sms_enc_deliver(&tp, ALICE, 1, 1, SMS_ENC_UCS2, SMS_CANARY_UCS2, NULL);
    mt_arg(&arg, IMSI_BOB, &tp);
    build_reset(&comps);
    ss7_enc_invoke(&comps, 1, 44, &arg);
    ss7_enc_tcap(&t, 0x62, 0x00000801u, 0, AC_MT_RELAY, 3, &comps);
    ss7_enc_sua_addr(&src, SSN_MSC, SMSC_DIGITS);
    ss7_enc_sua_addr(&dst, SSN_MSC, MSC_DIGITS);
    ss7_enc_sua_cldt(&m, &src, &dst, &t);
    build_reset(&ch);
    sms_util_sctp_chunk(&l, 0, 4, &m, &ch);
    sms_util_sctp_flush(&s, &l, 0, &ch);
    build_reset(&comps);
    ss7_enc_result(&comps, 1, 44, NULL);
    ss7_enc_tcap(&t, 0x64, 0, 0x00000801u, 0, 0, &comps);
    ss7_enc_sua_cldt(&m, &dst, &src, &t);
    sms_util_sctp_chunk(&l, 1, 4, &m, &ch);
    sms_util_sctp_flush(&s, &l, 1, &ch);
    return sess_finish(&s, out, err, errlen);
}

static void sgsap_send(struct sess *s, struct sctp_link *l, int dir, uint8_t type,
                       const char *imsi, const struct build_buf *nas)
{
    struct build_buf m, ch;
    ss7_enc_sgsap_unitdata(&m, type, imsi, nas);
    build_reset(&ch);
    sms_util_sctp_chunk(l, dir, 0, &m, &ch);
    sms_util_sctp_flush(s, l, dir, &ch);
}

int sms_gen_sgsap(const char *out, uint64_t start_us, char *err, size_t errlen)
{
    enum { UP = 0x08, DOWN = 0x07 };
    struct sess s;
    /* a = MME (dir 0 = uplink towards the MSC/VLR), b = MSC/VLR */
    struct sctp_link l = {build_addr("10.0.8.1"), build_addr("10.0.8.2"), 29118, {900, 1000},
                          {0x53475331u, 0x53475332u}, {0, 0}};
    struct build_buf tp, rp, nas;
    if (sms_util_open(out, start_us, &s, err, errlen))
        return GEN_RC_IO;
    /* MO: ALICE's UE submits to BOB; CP-ACK, RP-ACK, CP-ACK */
    build_reset(&tp);
    sms_enc_submit(&tp, 4, BOB, 1, 1, SMS_ENC_GSM7, SMS_CANARY_GSM7, NULL);
    build_reset(&rp);
    sms_enc_rp_data(&rp, 0, 4, SMSC_DIGITS, &tp);
    build_reset(&nas);
    ss7_enc_cp_data(&nas, 0, false, &rp);
    sgsap_send(&s, &l, 0, UP, IMSI_ALICE, &nas);
    ss7_enc_cp_ack(&nas, 0, true);
    sgsap_send(&s, &l, 1, DOWN, IMSI_ALICE, &nas);
    build_reset(&rp);
    sms_enc_rp_ack(&rp, 3, 4);
    build_reset(&nas);
    ss7_enc_cp_data(&nas, 0, true, &rp);
    sgsap_send(&s, &l, 1, DOWN, IMSI_ALICE, &nas);
    ss7_enc_cp_ack(&nas, 0, false);
    sgsap_send(&s, &l, 0, UP, IMSI_ALICE, &nas);
    sess_wait(&s, MSEC(300));
    /* MT: a DELIVER to BOB's UE, refused with RP-ERROR 22 */
    build_reset(&tp);
    sms_enc_deliver(&tp, ALICE, 1, 1, SMS_ENC_8BIT, SMS_CANARY_8BIT, NULL);
    build_reset(&rp);
    sms_enc_rp_data(&rp, 1, 9, SMSC_DIGITS, &tp);
    build_reset(&nas);
    ss7_enc_cp_data(&nas, 1, false, &rp);
    sgsap_send(&s, &l, 1, DOWN, IMSI_BOB, &nas);
    ss7_enc_cp_ack(&nas, 1, true);
    sgsap_send(&s, &l, 0, UP, IMSI_BOB, &nas);
    build_reset(&rp);
    build_u8(&rp, 4);  /* RP-ERROR MS -> N */
    build_u8(&rp, 9);
    build_u8(&rp, 1);  /* RP-Cause length */
    build_u8(&rp, 22); /* memory capacity exceeded */
    build_reset(&nas);
    ss7_enc_cp_data(&nas, 1, true, &rp);
    sgsap_send(&s, &l, 0, UP, IMSI_BOB, &nas);
    ss7_enc_cp_ack(&nas, 1, false);
    sgsap_send(&s, &l, 1, DOWN, IMSI_BOB, &nas);
    return sess_finish(&s, out, err, errlen);
}

/* ---- circuit-switched legs: A interface (BSSAP) and Iu-CS (RANAP) ------ */

enum cs_iface { CS_BSSAP, CS_RANAP };

struct cs_link {
    struct sctp_link sl;
    enum cs_iface iface;
};

/* The access side (BSC / RNC) is dir 0, the MSC dir 1. */
#define PC_ACCESS 400

static void cs_send(struct sess *s, struct cs_link *l, int dir, const struct build_buf *sccp)
{
    struct build_buf m, ch;
    ss7_enc_m3ua(&m, dir ? PC_MSC : PC_ACCESS, dir ? PC_ACCESS : PC_MSC, 3, sccp);
    build_reset(&ch);
    sms_util_sctp_chunk(&l->sl, dir, 3, &m, &ch);
    sms_util_sctp_flush(s, &l->sl, dir, &ch);
}

/* Wraps an L3 message for the interface: DTAP or DirectTransfer. */
static void cs_l3(const struct cs_link *l, struct build_buf *out, const struct build_buf *l3,
                  bool initial)
{
    if (l->iface == CS_BSSAP) {
        if (initial)
            ss7_enc_bssmap_complete_l3(out, l3);
        else
            ss7_enc_bssap_dtap(out, l3);
    } else if (initial) {
        ss7_enc_ranap_initial_ue(out, l3);
    } else {
        ss7_enc_ranap_direct_transfer(out, l3);
    }
}

static void cs_dt1(struct sess *s, struct cs_link *l, int dir, uint32_t dst,
                   const struct build_buf *l3)
{
    struct build_buf up, m;
    cs_l3(l, &up, l3, false);
    ss7_enc_sccp_dt1(&m, dst, &up);
    cs_send(s, l, dir, &m);
}

/* One SMS transaction on a new SCCP connection (access ref ra, MSC ref
 * rm): the initial L3 (CM Service Request for MO, Paging Response for
 * MT), CP-DATA with the RP-DATA, CP-ACK, CP-DATA with the answer, CP-ACK,
 * release. */
static void cs_sms(struct sess *s, struct cs_link *l, bool mo, uint32_t ra, uint32_t rm,
                   const char *imsi, uint32_t tmsi, const struct build_buf *rp_data,
                   const struct build_buf *rp_answer)
{
    struct build_buf l3, up, cd, m, nas;
    build_reset(&l3);
    if (mo)
        ss7_enc_l3_cm_service_request(&l3, imsi, tmsi);
    else
        ss7_enc_l3_paging_response(&l3, imsi, tmsi);
    cs_l3(l, &up, &l3, true);
    build_reset(&cd);
    build_u8(&cd, 0x42); /* route on SSN, SSN present */
    build_u8(&cd, l->iface == CS_BSSAP ? 254 : 142);
    ss7_enc_sccp_cr(&m, ra, &cd, &up);
    cs_send(s, l, 0, &m);
    ss7_enc_sccp_cc(&m, ra, rm);
    cs_send(s, l, 1, &m);
    int dd = mo ? 0 : 1; /* direction of the RP-DATA */
    build_reset(&nas);
    ss7_enc_cp_data(&nas, 0, !mo, rp_data);
    cs_dt1(s, l, dd, dd ? ra : rm, &nas);
    build_reset(&nas);
    build_u8(&nas, (uint8_t)((mo ? 0x80 : 0) | 0x09));
    build_u8(&nas, 0x04); /* CP-ACK */
    cs_dt1(s, l, !dd, dd ? rm : ra, &nas);
    build_reset(&nas);
    ss7_enc_cp_data(&nas, 0, mo, rp_answer);
    cs_dt1(s, l, !dd, dd ? rm : ra, &nas);
    build_reset(&nas);
    build_u8(&nas, (uint8_t)((mo ? 0 : 0x80) | 0x09));
    build_u8(&nas, 0x04);
    cs_dt1(s, l, dd, dd ? ra : rm, &nas);
    ss7_enc_sccp_rlsd(&m, ra, rm);
    cs_send(s, l, 1, &m);
}

static int cs_gen(const char *out, uint64_t start_us, enum cs_iface iface, const char *net,
                  char *err, size_t errlen)
{
    struct sess s;
    char a[16], b[16];
    snprintf(a, sizeof a, "%s.1", net);
    snprintf(b, sizeof b, "%s.2", net);
    struct cs_link l = {{build_addr(a), build_addr(b), 2905, {100, 200},
                         {0x43530001u, 0x43530002u}, {0, 0}},
                        iface};
    struct build_buf tp, rp, ans;
    if (sms_util_open(out, start_us, &s, err, errlen))
        return GEN_RC_IO;
    /* MO from ALICE's phone (IMSI in the CM Service Request), RP-ACK */
    build_reset(&tp);
    sms_enc_submit(&tp, 6, BOB, 1, 1, SMS_ENC_GSM7, SMS_CANARY_GSM7, NULL);
    build_reset(&rp);
    sms_enc_rp_data(&rp, 0, 6, SMSC_DIGITS, &tp);
    build_reset(&ans);
    sms_enc_rp_ack(&ans, 3, 6);
    cs_sms(&s, &l, true, 0x000101, 0x000a01, IMSI_ALICE, 0, &rp, &ans);
    sess_wait(&s, MSEC(300));
    /* MT to BOB's phone (TMSI in the Paging Response), RP-ACK */
    build_reset(&tp);
    sms_enc_deliver(&tp, ALICE, 1, 1, SMS_ENC_UCS2, SMS_CANARY_UCS2, NULL);
    build_reset(&rp);
    sms_enc_rp_data(&rp, 1, 11, SMSC_DIGITS, &tp);
    build_reset(&ans);
    sms_enc_rp_ack(&ans, 2, 11);
    cs_sms(&s, &l, false, 0x000102, 0x000a02, NULL, 0xc0ffee01u, &rp, &ans);
    return sess_finish(&s, out, err, errlen);
}

int sms_gen_bssap(const char *out, uint64_t start_us, char *err, size_t errlen)
{
    return cs_gen(out, start_us, CS_BSSAP, "10.0.9", err, errlen);
}

int sms_gen_ranap(const char *out, uint64_t start_us, char *err, size_t errlen)
{
    return cs_gen(out, start_us, CS_RANAP, "10.0.10", err, errlen);
}

/* ---- one SMS, two legs (issue 19): Iu-CS radio leg + MAP MSC-SMSC leg ---- */

/* MO: the radio leg (RANAP, CM Service Request with IMSI ALICE) carrying
 * SMS-SUBMIT mr -> BOB, then the MSC's mo-forwardSM of the same TPDU to the
 * SMSC (M2PA); either leg can be left out (radio, map). */
static void legs_mo(struct sess *s, struct cs_link *cs, struct ss7_link *m, uint8_t mr,
                    uint32_t ref, uint32_t otid, bool radio, bool map)
{
    struct build_buf tp, rp, ans, arg, comps, t;
    build_reset(&tp);
    sms_enc_submit(&tp, mr, BOB, 1, 1, SMS_ENC_GSM7, SMS_CANARY_GSM7, NULL);
    if (radio) {
        build_reset(&rp);
        sms_enc_rp_data(&rp, 0, (uint8_t)(ref & 0xff), SMSC_DIGITS, &tp);
        build_reset(&ans);
        sms_enc_rp_ack(&ans, 3, (uint8_t)(ref & 0xff));
        cs_sms(s, cs, true, 0x000200 | ref, 0x000b00 | ref, IMSI_ALICE, 0, &rp, &ans);
        sess_wait(s, MSEC(40));
    }
    if (!map)
        return;
    build_reset(&arg);
    ss7_enc_addr_tlv(&arg, 0x84, SMSC_DIGITS);
    ss7_enc_addr_tlv(&arg, 0x82, ALICE);
    sms_enc_ber(&arg, 0x04, &tp);
    ss7_enc_tbcd_tlv(&arg, 0x04, IMSI_ALICE);
    build_reset(&comps);
    ss7_enc_invoke(&comps, 1, 46, &arg);
    ss7_enc_tcap(&t, 0x62, otid, 0, AC_MO_RELAY, 3, &comps);
    udt(s, m, 0, &msc, &smsc, &t);
    answer(s, m, 1, &smsc, &msc, otid, 1, 46);
}

/* MT: the SMSC's mt-forwardSM (BOB -> IMSI ALICE, SCTS 10:<minute>), then
 * the radio leg delivering the same TPDU (Paging Response with a TMSI). */
static void legs_mt(struct sess *s, struct cs_link *cs, struct ss7_link *m, unsigned minute,
                    uint32_t ref, uint32_t otid)
{
    struct build_buf tp, rp, ans, arg, comps, t;
    build_reset(&tp);
    sms_enc_deliver_at(&tp, BOB, 1, 1, SMS_ENC_UCS2, SMS_CANARY_UCS2, NULL, minute);
    mt_arg(&arg, IMSI_ALICE, &tp);
    build_reset(&comps);
    ss7_enc_invoke(&comps, 1, 44, &arg);
    ss7_enc_tcap(&t, 0x62, otid, 0, AC_MT_RELAY, 3, &comps);
    udt(s, m, 1, &smsc, &msc, &t);
    sess_wait(s, MSEC(30));
    build_reset(&rp);
    sms_enc_rp_data(&rp, 1, (uint8_t)(ref & 0xff), SMSC_DIGITS, &tp);
    build_reset(&ans);
    sms_enc_rp_ack(&ans, 2, (uint8_t)(ref & 0xff));
    cs_sms(s, cs, false, 0x000200 | ref, 0x000b00 | ref, NULL, 0xc0ffee10u + ref, &rp, &ans);
    sess_wait(s, MSEC(10));
    answer(s, m, 0, &msc, &smsc, otid, 1, 44);
}

int sms_gen_legs(const char *out, uint64_t start_us, char *err, size_t errlen)
{
    struct sess s;
    struct cs_link cs = {{build_addr("10.0.12.1"), build_addr("10.0.12.2"), 2905, {100, 200},
                          {0x4c454731u, 0x4c454732u}, {0, 0}},
                         CS_RANAP};
    struct ss7_link m = {{build_addr("10.0.12.2"), build_addr("10.0.12.3"), 3565, {300, 400},
                          {0x4c454733u, 0x4c454734u}, {0, 0}},
                         T_M2PA,
                         {1, 1},
                         0};
    if (sms_util_open(out, start_us, &s, err, errlen))
        return GEN_RC_IO;
    /* 1. one MO SMS on two legs: Iu-CS, then MAP */
    legs_mo(&s, &cs, &m, 6, 0x01, 0x00000a01u, true, true);
    sess_wait(&s, MSEC(500));
    /* 2. one MT SMS on two legs: MAP, then Iu-CS */
    legs_mt(&s, &cs, &m, 0, 0x02, 0x00000a02u);
    /* 3. five minutes later, the same text between the same parties again:
     * another SMS-SUBMIT (TP-MR 7) on both legs */
    sess_wait(&s, MSEC(300000));
    legs_mo(&s, &cs, &m, 7, 0x03, 0x00000a03u, true, true);
    sess_wait(&s, MSEC(500));
    /* 4. and another delivery of the same text from BOB (SCTS 10:05) */
    legs_mt(&s, &cs, &m, 5, 0x04, 0x00000a04u);
    /* 5. ten minutes later, TP-MR 6 again (the MS's reference wrapped) on
     * the MAP leg only: outside the MO window, a message of its own */
    sess_wait(&s, MSEC(600000));
    legs_mo(&s, &cs, &m, 6, 0x05, 0x00000a05u, false, true);
    return sess_finish(&s, out, err, errlen);
}

/* ---- GAN / UMA (TS 44.318 URR over TCP 14001) --------------------------- */

/* One URR message: length indicator, PD 1, type, IEs given as
 * IEI / value pairs (values below 128 octets). */
static void urr(struct build_buf *out, uint8_t type, uint8_t iei, const struct build_buf *v)
{
    build_reset(out);
    build_be16(out, (uint16_t)(2 + 2 + v->len));
    build_u8(out, 0x01); /* skip 0, PD URR */
    build_u8(out, type);
    build_u8(out, iei);
    build_u8(out, (uint8_t)v->len);
    build_bytes(out, v->b, v->len);
}

int sms_gen_gan(const char *out, uint64_t start_us, char *err, size_t errlen)
{
    enum { REG = 16, UL = 112, DL = 114, IEI_MI = 1, IEI_L3 = 26 };
    struct sess s;
    struct build_tcp_conn c;
    struct build_buf v, m, tp, rp;
    if (sms_util_open(out, start_us, &s, err, errlen))
        return GEN_RC_IO;
    sms_util_tcp_open(&s, &c, "10.0.11.1", 40001, "10.0.11.2", 14001, 0x47414e00u);
    /* REGISTER REQUEST naming the subscriber */
    build_reset(&v);
    ss7_enc_imsi_mi(&v, IMSI_ALICE);
    urr(&m, REG, IEI_MI, &v);
    sms_util_send(&s, &c, BUILD_C2S, &m);
    /* MO: CP-DATA / RP-DATA / SMS-SUBMIT to BOB, CP-ACK, CP-DATA / RP-ACK, CP-ACK */
    build_reset(&tp);
    sms_enc_submit(&tp, 8, BOB, 1, 1, SMS_ENC_8BIT, SMS_CANARY_8BIT, NULL);
    build_reset(&rp);
    sms_enc_rp_data(&rp, 0, 8, SMSC_DIGITS, &tp);
    build_reset(&v);
    ss7_enc_cp_data(&v, 0, false, &rp);
    urr(&m, UL, IEI_L3, &v);
    sms_util_send(&s, &c, BUILD_C2S, &m);
    build_reset(&v);
    build_u8(&v, 0x89);
    build_u8(&v, 0x04);
    urr(&m, DL, IEI_L3, &v);
    sms_util_send(&s, &c, BUILD_S2C, &m);
    build_reset(&rp);
    sms_enc_rp_ack(&rp, 3, 8);
    build_reset(&v);
    ss7_enc_cp_data(&v, 0, true, &rp);
    urr(&m, DL, IEI_L3, &v);
    sms_util_send(&s, &c, BUILD_S2C, &m);
    build_reset(&v);
    build_u8(&v, 0x09);
    build_u8(&v, 0x04);
    urr(&m, UL, IEI_L3, &v);
    sms_util_send(&s, &c, BUILD_C2S, &m);
    sess_wait(&s, MSEC(300));
    /* MT: CP-DATA / RP-DATA / SMS-DELIVER from BOB, refused with RP-ERROR 22 */
    build_reset(&tp);
    sms_enc_deliver(&tp, BOB, 1, 1, SMS_ENC_GSM7, SMS_CANARY_GSM7, NULL);
    build_reset(&rp);
    sms_enc_rp_data(&rp, 1, 12, SMSC_DIGITS, &tp);
    build_reset(&v);
    ss7_enc_cp_data(&v, 1, false, &rp);
    urr(&m, DL, IEI_L3, &v);
    sms_util_send(&s, &c, BUILD_S2C, &m);
    build_reset(&rp);
    build_u8(&rp, 4);
    build_u8(&rp, 12);
    build_u8(&rp, 1);
    build_u8(&rp, 22);
    build_reset(&v);
    ss7_enc_cp_data(&v, 1, true, &rp);
    urr(&m, UL, IEI_L3, &v);
    sms_util_send(&s, &c, BUILD_C2S, &m);
    sms_util_tcp_close(&s, &c);
    return sess_finish(&s, out, err, errlen);
}
