/* sms_ran.c - s1ap.pcap and ngap.pcap: the LTE and 5G radio networks'
 * control planes (S1-MME, N2), with attribution and SMS over NAS (see sms.h
 * and pcaps/README.md).
 *
 * s1ap.pcap:
 * SCTP 10.0.13.1 (eNodeB) <-> 10.0.13.2:36412 (MME), PPID 18, S1AP
 * (TS 36.413, aligned PER) carrying EPS NAS (TS 24.301):
 *
 *  1. ALICE (eNB UE id 7, MME UE id 1) attaches: Initial UE Message with
 *     an Attach request naming her IMSI (TAI and E-UTRAN CGI), a Security
 *     mode command choosing EEA0 and asking for the IMEISV, its complete
 *     with the IMEISV (null-ciphered), the Initial Context Setup Request
 *     carrying the Attach accept (PDN address 10.45.13.9, APN internet,
 *     GUTI with M-TMSI 0xc0ffee01) and the serving gateway's S1-U tunnel
 *     (10.0.13.3, TEID 0x1001), the response with the eNodeB's (10.0.13.1,
 *     TEID 0x2001), and Attach complete.
 *  2. ALICE's UE looks up chat.signal.org through S1-U (GTP-U).
 *  3. MO SMS to BOB in Uplink NAS transport: CP-DATA / RP-DATA / SMS-SUBMIT,
 *     then CP-ACK, CP-DATA / RP-ACK, CP-ACK.
 *  4. Five seconds later ALICE comes back from idle on eNB UE id 8 (MME
 *     UE id 2): a Service Request with the S-TMSI of her GUTI, no IMSI.
 *     An MT SMS from BOB (RP-DATA / SMS-DELIVER, SC time stamp 10:45) and
 *     its RP-ACK; then she
 *     detaches (Detach request with her GUTI).
 *  5. CAROL (eNB UE id 9) attaches with her IMSI, the MME chooses EEA2:
 *     her Security mode complete and an Uplink NAS transport are ciphered
 *     and cannot be read.
 *
 * Expected: one s1ap subscriber session for ALICE (IMSI, IMEISV, UE
 * address, APN, cell, both S1-U tunnel ends), closed by the detach; her
 * DNS flow in GTP-U attributed to her by TEID; the MO and MT SMS with her
 * IMSI (the MT one through the M-TMSI); no session for CAROL.
 */
#include "sms.h"

#include "build.h"
#include "payload.h"
#include "sess.h"
#include "sms_enc.h"
#include "sms_util.h"
#include "ss7_enc.h"

#include <string.h>

#define IMSI_ALICE "001010000000001"
#define IMSI_CAROL "001010000000003"
#define IMEISV_ALICE "3520990017614823"
#define BOB "15551230002"
#define SMSC_DIGITS "15550000001"
#define ENB "10.0.13.1"
#define MME "10.0.13.2"
#define SGW "10.0.13.3"
#define UE_ALICE "10.45.13.9"
#define RESOLVER "10.0.13.53"
#define TMSI_ALICE 0xc0ffee01u
#define TMSI_5G 0xc0ffee02u /* ALICE's 5G-TMSI (ngap.pcap) */
#define TEID_SGW 0x00001001u
#define TEID_ENB 0x00002001u
#define ECI 105217u /* E-UTRAN cell identity (28 bits) */

/* S1AP procedure codes and IE ids (TS 36.413 section 9.3.7). */
enum {
    P_HO_RESOURCE = 1, P_HO_NOTIFY = 2, P_PATH_SWITCH = 3, P_ICS = 9, P_DL_NAS = 11,
    P_INITIAL_UE = 12, P_UL_NAS = 13
};
enum {
    IE_MME_ID = 0, IE_HO_TYPE = 1, IE_CAUSE = 2, IE_ENB_ID = 8, IE_ERAB_ADMITTED = 18,
    IE_ERAB_ADMITTED_ITEM = 20, IE_ERAB_SW_DL = 22, IE_ERAB_SW_DL_ITEM = 23,
    IE_ERAB_HO_REQ_ITEM = 27, IE_ERAB_HO_REQ = 53, IE_UE_AMBR = 66,
    IE_ERAB_CTX_REQ = 24, IE_NAS = 26, IE_SEC_CTX = 40, IE_ERAB_CTX_RES_ITEM = 50,
    IE_ERAB_CTX_RES = 51, IE_ERAB_CTX_REQ_ITEM = 52, IE_TAI = 67, IE_RADIO_CAP = 74,
    IE_SRC_MME_ID = 88, IE_S_TMSI = 96, IE_ECGI = 100, IE_UE_SEC_CAP = 107,
};
#define REJECT 0x00
#define IGNORE 0x40

static const uint8_t plmn[3] = {0x00, 0xf1, 0x10}; /* MCC 001, MNC 01 */

/* NGAP (TS 38.413 section 9.4.7). */
enum { NP_DL_NAS = 4, NP_ICS = 14, NP_INITIAL_UE = 15, NP_PDU_SETUP = 29, NP_UL_NAS = 46 };
enum {
    NIE_AMF_ID = 10, NIE_S_TMSI = 26, NIE_NAS = 38, NIE_PDU_SU_REQ = 74, NIE_PDU_SU_RES = 75,
    NIE_RAN_ID = 85, NIE_ULI = 121, NIE_PDU_TYPE = 134, NIE_UL_NGU = 139,
};

/* How send() cuts the next S1AP message into DATA chunks (sctp_frag.pcap;
 * RFC 9260 section 6.9): parts fragments of consecutive TSNs, one a packet;
 * late: the second fragment comes last, then the first again (a
 * retransmission); lose_end: the last never comes. */
struct frag_plan {
    unsigned parts;
    bool late, unordered, lose_end;
};

struct s1 {
    struct sess *s;
    struct sctp_link l;
    uint8_t nas_sqn;
    bool ng; /* NGAP and 5GS NAS, not S1AP and EPS NAS */
    /* S1AP: the UE's address, the S1-U ends, and the size of a UE radio
     * capability IE in the Initial Context Setup Request (0: none) */
    const char *ue, *sgw, *enb;
    uint32_t teid_sgw, teid_enb;
    size_t radio_cap;
    struct frag_plan frag; /* the next message only */
    uint32_t tmsi;         /* the M-TMSI of the UE's GUTI and S-TMSI; 0: TMSI_ALICE */
};

/* INTEGER UE ids: octet count less one in the top len_bits bits (2; NGAP's
 * AMF UE id 3), then the octets. */
static void ie_ue_id(struct build_buf *ies, uint16_t id, uint32_t v, unsigned len_bits)
{
    uint8_t b[5];
    size_t n = v > 0xffffffu ? 4 : v > 0xffffu ? 3 : v > 0xffu ? 2 : 1;
    b[0] = (uint8_t)((n - 1) << (8 - len_bits));
    for (size_t i = 0; i < n; i++)
        b[1 + i] = (uint8_t)(v >> (8 * (n - 1 - i)));
    ss7_enc_aper_ie(ies, id, REJECT, b, 1 + n);
}

/* The core's and the base station's UE ids. */
static void ie_ue_ids(const struct s1 *x, struct build_buf *ies, uint32_t ran, uint32_t cn)
{
    if (x->ng) {
        ie_ue_id(ies, NIE_AMF_ID, cn, 3);
        ie_ue_id(ies, NIE_RAN_ID, ran, 2);
    } else {
        ie_ue_id(ies, IE_MME_ID, cn, 2);
        ie_ue_id(ies, IE_ENB_ID, ran, 2);
    }
}

static void ie_nas(const struct s1 *x, struct build_buf *ies, const struct build_buf *nas)
{
    ss7_enc_aper_octets_ie(ies, x->ng ? NIE_NAS : IE_NAS, REJECT, nas);
}

/* A bit writer for the NGAP fields that are not octet-aligned. */
struct bitw {
    struct build_buf *out;
    unsigned acc, n;
};

static void bits(struct bitw *w, uint64_t v, unsigned n)
{
    while (n--) {
        w->acc = w->acc << 1 | (unsigned)((v >> n) & 1);
        if (++w->n == 8) {
            build_u8(w->out, (uint8_t)w->acc);
            w->acc = w->n = 0;
        }
    }
}

static void align(struct bitw *w)
{
    if (w->n)
        bits(w, 0, 8 - w->n);
}

#define NCI 0x000019b01ull /* NR cell identity (36 bits) */

/* UserLocationInformation: NR (choice 1), no timeStamp, NR-CGI, TAI (TAC 1). */
static void ie_uli(struct build_buf *ies)
{
    struct build_buf v;
    build_reset(&v);
    struct bitw w = {&v, 0, 0};
    bits(&w, 1, 2); /* userLocationInformationNR */
    bits(&w, 0, 3); /* ext, timeStamp, iE-Extensions */
    bits(&w, 0, 2); /* NR-CGI: ext, iE-Extensions */
    align(&w);
    build_bytes(&v, plmn, 3);
    bits(&w, NCI, 36);
    bits(&w, 0, 2); /* TAI: ext, iE-Extensions */
    align(&w);
    build_bytes(&v, plmn, 3);
    build_be24(&v, 1);
    ss7_enc_aper_ie(ies, NIE_ULI, IGNORE, v.b, v.len);
}

static void ie_location(const struct s1 *x, struct build_buf *ies)
{
    if (x->ng) {
        ie_uli(ies);
        return;
    }
    uint8_t tai[6] = {0x00, plmn[0], plmn[1], plmn[2], 0x00, 0x01};
    uint32_t c = ECI << 4; /* BIT STRING (SIZE (28)), left-aligned */
    uint8_t cgi[8] = {0x00, plmn[0], plmn[1], plmn[2], (uint8_t)(c >> 24), (uint8_t)(c >> 16),
                      (uint8_t)(c >> 8), (uint8_t)c};
    ss7_enc_aper_ie(ies, IE_ECGI, IGNORE, cgi, sizeof cgi);
    ss7_enc_aper_ie(ies, IE_TAI, IGNORE, tai, sizeof tai);
}

/* m in x->frag.parts DATA chunks, one a packet, as x->frag says. */
static void send_fragments(struct s1 *x, int dir, uint32_t ppid, const struct build_buf *m)
{
    struct frag_plan f = x->frag;
    struct sctp_link *l = &x->l;
    uint32_t tsn = l->tsn[dir];
    uint16_t ssn = f.unordered ? 0 : l->ssn[dir]++;
    l->tsn[dir] += f.parts;
    size_t each = (m->len + f.parts - 1) / f.parts;
    unsigned order[8], n = 0;
    for (unsigned k = 0; k < f.parts && k < 8; k++)
        if (!(f.late && k == 1))
            order[n++] = k;
    if (f.late) {
        order[n++] = 1;
        order[n++] = 0;
    }
    if (f.lose_end)
        n--;
    for (unsigned i = 0; i < n; i++) {
        unsigned k = order[i];
        size_t off = k * each, len = off + each > m->len ? m->len - off : each;
        uint8_t flags = (uint8_t)((f.unordered ? 0x04 : 0) | (k == 0 ? 0x02 : 0) |
                                  (k == f.parts - 1 ? 0x01 : 0));
        struct build_buf ch;
        build_reset(&ch);
        payload_sctp_data_flags(&ch, flags, tsn + k, 1, ssn, ppid, m->b + off, len);
        sms_util_sctp_flush(x->s, l, dir, &ch);
    }
    x->frag = (struct frag_plan){0, false, false, false};
}

static void send(struct s1 *x, int dir, uint8_t outcome, uint8_t proc, unsigned count,
                 const struct build_buf *ies)
{
    struct build_buf m, ch;
    ss7_enc_aper_pdu(&m, outcome, proc, outcome ? IGNORE : REJECT, count, ies);
    if (x->frag.parts) {
        send_fragments(x, dir, x->ng ? 60 : 18, &m);
    } else {
        build_reset(&ch);
        sms_util_sctp_chunk(&x->l, dir, x->ng ? 60 : 18, &m, &ch);
        sms_util_sctp_flush(x->s, &x->l, dir, &ch);
    }
    sess_wait(x->s, MSEC(4));
}

/* Uplink (dir 0) or Downlink NAS Transport of UE (enb, mme). */
static void nas_transport(struct s1 *x, int dir, uint32_t enb, uint32_t mme,
                          const struct build_buf *nas)
{
    struct build_buf ies;
    build_reset(&ies);
    ie_ue_ids(x, &ies, enb, mme);
    ie_nas(x, &ies, nas);
    if (dir == 0)
        ie_location(x, &ies);
    unsigned loc = x->ng ? 1 : 2;
    send(x, dir, 0, x->ng ? (dir ? NP_DL_NAS : NP_UL_NAS) : (dir ? P_DL_NAS : P_UL_NAS),
         dir ? 3 : 3 + loc, &ies);
}

static void initial_ue(struct s1 *x, uint32_t enb, const struct build_buf *nas, bool stmsi)
{
    struct build_buf ies;
    build_reset(&ies);
    ie_ue_id(&ies, x->ng ? NIE_RAN_ID : IE_ENB_ID, enb, 2);
    ie_nas(x, &ies, nas);
    ie_location(x, &ies);
    unsigned loc = x->ng ? 1 : 2;
    if (stmsi && x->ng) { /* FiveG-S-TMSI: ext, iE-Extensions, AMF set 1, pointer 0 */
        struct build_buf v;
        build_reset(&v);
        struct bitw w = {&v, 0, 0};
        bits(&w, 0, 2);
        bits(&w, 1, 10);
        bits(&w, 0, 6);
        align(&w);
        build_be32(&v, TMSI_5G);
        ss7_enc_aper_ie(&ies, NIE_S_TMSI, REJECT, v.b, v.len);
    } else if (stmsi) {
        /* S-TMSI: ext, iE-Extensions, mMEC 1 (a one-octet string is not
         * aligned in PER, X.691 16.6: bits 2-9), padding, m-TMSI; the MME
         * code of her GUTI (the Attach accept) */
        uint32_t t = x->tmsi ? x->tmsi : TMSI_ALICE;
        uint8_t v[6] = {0x00, 0x40, (uint8_t)(t >> 24), (uint8_t)(t >> 16), (uint8_t)(t >> 8),
                        (uint8_t)t};
        ss7_enc_aper_ie(&ies, IE_S_TMSI, REJECT, v, sizeof v);
    }
    send(x, 0, 0, x->ng ? NP_INITIAL_UE : P_INITIAL_UE, 2 + loc + (stmsi ? 1 : 0), &ies);
}

/* A security-protected NAS message around plain (header type sec: 2
 * integrity protected and ciphered, 3 with a new context, 4 both). */
static void protect(struct s1 *x, struct build_buf *out, uint8_t sec, const struct build_buf *plain)
{
    build_reset(out);
    if (x->ng) { /* 5GS: EPD, then the security header type octet */
        build_u8(out, 0x7e);
        build_u8(out, sec);
    } else {
        build_u8(out, (uint8_t)(sec << 4 | 0x07));
    }
    build_be32(out, 0x5a17c0deu ^ x->nas_sqn); /* MAC: not checked by anyone here */
    build_u8(out, x->nas_sqn++);
    build_bytes(out, plain->b, plain->len);
}

static void emm(struct build_buf *out, uint8_t type)
{
    build_reset(out);
    build_u8(out, 0x07);
    build_u8(out, type);
}

/* A plain 5GMM message header: EPD, security header type 0, type. */
static void mm5(struct build_buf *out, uint8_t type)
{
    build_reset(out);
    build_u8(out, 0x7e);
    build_u8(out, 0x00);
    build_u8(out, type);
}

static void guti(const struct s1 *x, struct build_buf *out)
{
    build_u8(out, 11);
    build_u8(out, 0xf6); /* even, type GUTI */
    build_bytes(out, plmn, 3);
    build_be16(out, 0x0001); /* MME group */
    build_u8(out, 0x01);     /* MME code */
    build_be32(out, x->tmsi ? x->tmsi : TMSI_ALICE);
}

static void attach_request(struct build_buf *out, const char *imsi)
{
    struct build_buf mi;
    build_reset(&mi);
    ss7_enc_imsi_mi(&mi, imsi);
    emm(out, 0x41);
    build_u8(out, 0x71); /* no key (KSI 7), EPS attach */
    build_u8(out, (uint8_t)mi.len);
    build_bytes(out, mi.b, mi.len);
    static const uint8_t caps[] = {0x02, 0xe0, 0xe0}; /* UE network capability: EEA0-2, EIA0-2 */
    build_bytes(out, caps, sizeof caps);
    static const uint8_t esm[] = {0x00, 0x04, 0x02, 0x01, 0xd0, 0x11}; /* PDN connectivity request */
    build_bytes(out, esm, sizeof esm);
}

static void smc(struct s1 *x, struct build_buf *out, uint8_t alg)
{
    struct build_buf p;
    emm(&p, 0x5d);
    build_u8(&p, alg); /* ciphering in bits 7-5, integrity in 3-1 */
    build_u8(&p, 0x00); /* KSI 0 */
    static const uint8_t caps[] = {0x02, 0xe0, 0xe0};
    build_bytes(&p, caps, sizeof caps);
    build_u8(&p, 0xc1); /* IMEISV request: requested */
    protect(x, out, 3, &p);
}

static void attach_accept(struct s1 *x, struct build_buf *out)
{
    struct build_buf p;
    emm(&p, 0x42);
    build_u8(&p, 0x01); /* EPS only */
    build_u8(&p, 0x49); /* T3412: 54 min */
    build_u8(&p, 6);    /* TAI list: one TAC of one PLMN */
    build_u8(&p, 0x20);
    build_bytes(&p, plmn, 3);
    build_be16(&p, 0x0001);
    struct build_buf esm;
    build_reset(&esm);
    build_u8(&esm, 0x52); /* EPS bearer 5, ESM */
    build_u8(&esm, 0x01); /* PTI */
    build_u8(&esm, 0xc1); /* Activate default EPS bearer context request */
    build_u8(&esm, 1);
    build_u8(&esm, 9); /* QCI 9 */
    build_u8(&esm, 9);
    build_u8(&esm, 8);
    build_str(&esm, "internet");
    struct build_addr ue = build_addr(x->ue);
    if (ue.ver == 6) { /* PDN type IPv6: the interface identifier only (TS 24.301 9.9.4.9) */
        build_u8(&esm, 9);
        build_u8(&esm, 0x02);
        build_bytes(&esm, ue.a + 8, 8);
    } else {
        build_u8(&esm, 5);
        build_u8(&esm, 0x01); /* PDN type IPv4 */
        build_bytes(&esm, ue.a, 4);
    }
    build_be16(&p, (uint16_t)esm.len);
    build_bytes(&p, esm.b, esm.len);
    build_u8(&p, 0x50);
    guti(x, &p);
    protect(x, out, 2, &p);
}

static void initial_context_setup(struct s1 *x, uint32_t enb, uint32_t mme)
{
    struct build_buf nas, item, list, ies;
    attach_accept(x, &nas);
    /* E-RABToBeSetupItemCtxtSUReq: ext 0, nAS-PDU present, iE-Extensions
     * absent, e-RAB-ID 5; QoS (no GBR, no extensions) QCI 9, ARP priority
     * 15; transport layer address of 32 bits; GTP-TEID; NAS-PDU */
    build_reset(&item);
    build_u8(&item, 0x40 | 5);
    build_u8(&item, 0x00);
    build_u8(&item, 9);
    build_u8(&item, 15 << 2);
    build_u8(&item, 0x0f); /* ext 0, length - 1 = 31 over this octet and the next */
    build_u8(&item, 0x80);
    struct build_addr sgw = build_addr(x->sgw);
    build_bytes(&item, sgw.a, 4);
    build_be32(&item, x->teid_sgw);
    ss7_enc_aper_octets(&item, &nas);
    build_reset(&list);
    build_u8(&list, 0); /* one item */
    ss7_enc_aper_ie(&list, IE_ERAB_CTX_REQ_ITEM, REJECT, item.b, item.len);
    build_reset(&ies);
    ie_ue_ids(x, &ies, enb, mme);
    ss7_enc_aper_ie(&ies, IE_ERAB_CTX_REQ, REJECT, list.b, list.len);
    if (x->radio_cap) { /* UERadioCapability: an OCTET STRING, opaque here */
        struct build_buf cap, v;
        build_reset(&cap);
        for (size_t i = 0; i < x->radio_cap; i++)
            build_u8(&cap, (uint8_t)(i * 29 + 7));
        build_reset(&v);
        ss7_enc_aper_octets(&v, &cap);
        ss7_enc_aper_ie(&ies, IE_RADIO_CAP, IGNORE, v.b, v.len);
    }
    send(x, 1, 0, P_ICS, x->radio_cap ? 4 : 3, &ies);
    /* E-RABSetupItemCtxtSURes: e-RAB-ID 5, the eNodeB's address and TEID */
    build_reset(&item);
    build_u8(&item, 5 << 1);
    build_u8(&item, 31);
    struct build_addr enb_a = build_addr(x->enb);
    build_bytes(&item, enb_a.a, 4);
    build_be32(&item, x->teid_enb);
    build_reset(&list);
    build_u8(&list, 0);
    ss7_enc_aper_ie(&list, IE_ERAB_CTX_RES_ITEM, IGNORE, item.b, item.len);
    build_reset(&ies);
    ie_ue_ids(x, &ies, enb, mme);
    ss7_enc_aper_ie(&ies, IE_ERAB_CTX_RES, IGNORE, list.b, list.len);
    send(x, 0, 1, P_ICS, 3, &ies);
}

/* Uplink (0x63) or Downlink (0x62) NAS transport of a CP message. */
static void sms_nas(struct s1 *x, int dir, uint32_t enb, uint32_t mme, const struct build_buf *cp)
{
    struct build_buf p, nas;
    if (x->ng) { /* 5GS UL (0x67) / DL (0x68) NAS transport, payload container type 2: SMS */
        mm5(&p, dir ? 0x68 : 0x67);
        build_u8(&p, 0x02);
        build_be16(&p, (uint16_t)cp->len);
    } else {
        emm(&p, dir ? 0x62 : 0x63);
        build_u8(&p, (uint8_t)cp->len);
    }
    build_bytes(&p, cp->b, cp->len);
    protect(x, &nas, 2, &p);
    nas_transport(x, dir, enb, mme, &nas);
}

/* One SMS on UE (enb, mme): CP-DATA with rp_data in direction dd, CP-ACK,
 * CP-DATA with rp_answer, CP-ACK (TS 24.011 section 5). */
static void sms(struct s1 *x, int dd, uint32_t enb, uint32_t mme, const struct build_buf *rp_data,
                const struct build_buf *rp_answer)
{
    struct build_buf cp;
    build_reset(&cp);
    ss7_enc_cp_data(&cp, 0, false, rp_data); /* from the transaction's originator */
    sms_nas(x, dd, enb, mme, &cp);
    ss7_enc_cp_ack(&cp, 0, true);
    sms_nas(x, !dd, enb, mme, &cp);
    build_reset(&cp);
    ss7_enc_cp_data(&cp, 0, true, rp_answer);
    sms_nas(x, !dd, enb, mme, &cp);
    ss7_enc_cp_ack(&cp, 0, false);
    sms_nas(x, dd, enb, mme, &cp);
}

/* UE (enb, mme) attaches with imsi under EEA0: Initial UE Message with the
 * Attach request, Security mode command, its complete with imeisv, the
 * Initial Context Setup Request (cut as ics says, with x->radio_cap octets
 * of UE radio capability) and its response, Attach complete. */
static void attach_eps(struct s1 *x, const char *imsi, const char *imeisv, uint32_t enb,
                       uint32_t mme, struct frag_plan ics)
{
    struct build_buf nas, p;
    attach_request(&nas, imsi);
    initial_ue(x, enb, &nas, false);
    smc(x, &nas, 0x02); /* EEA0, 128-EIA2 */
    nas_transport(x, 1, enb, mme, &nas);
    emm(&p, 0x5e);
    build_u8(&p, 0x23);
    build_u8(&p, 9);
    build_u8(&p, (uint8_t)((imeisv[0] - '0') << 4 | 0x03)); /* even, IMEISV */
    sms_enc_tbcd(&p, imeisv + 1);
    protect(x, &nas, 4, &p);
    nas_transport(x, 0, enb, mme, &nas);
    x->frag = ics;
    initial_context_setup(x, enb, mme);
    emm(&p, 0x43); /* Attach complete: Activate default EPS bearer context accept */
    static const uint8_t esm_accept[] = {0x00, 0x03, 0x52, 0x01, 0xc2};
    build_bytes(&p, esm_accept, sizeof esm_accept);
    protect(x, &nas, 2, &p);
    nas_transport(x, 0, enb, mme, &nas);
}

/* A DNS look-up of name (A record 13.248.212.111, 20 ms) by the UE through
 * the user-plane tunnel g, then 200 ms. */
static void tunnel_dns(struct sess *s, const struct build_gtp *g, const char *ue,
                       const char *resolver, uint16_t sport, uint16_t id, const char *name)
{
    s->gtp = g;
    sess_dns(s, ue, resolver, sport, id, name, 1, "13.248.212.111", MSEC(20));
    s->gtp = NULL;
    sess_wait(s, MSEC(200));
}

/* An MO SMS to BOB (SMS-SUBMIT, GSM 7-bit canary; TP-MR and RP-MR mr) and
 * its RP-ACK on UE (ran, cn). */
static void mo_sms_to_bob(struct s1 *x, uint8_t mr, uint32_t ran, uint32_t cn)
{
    struct build_buf tp, rp, ans;
    build_reset(&tp);
    sms_enc_submit(&tp, mr, BOB, 1, 1, SMS_ENC_GSM7, SMS_CANARY_GSM7, NULL);
    build_reset(&rp);
    sms_enc_rp_data(&rp, 0, mr, SMSC_DIGITS, &tp);
    build_reset(&ans);
    sms_enc_rp_ack(&ans, 3, mr);
    sms(x, 0, ran, cn, &rp, &ans);
}

/* An MT SMS from BOB (SMS-DELIVER, 8-bit canary, SC time stamp 10:scts_min,
 * RP-MR mr) and its RP-ACK on UE (ran, cn). */
static void mt_sms_from_bob(struct s1 *x, int scts_min, uint8_t mr, uint32_t ran, uint32_t cn)
{
    struct build_buf tp, rp, ans;
    build_reset(&tp);
    sms_enc_deliver_at(&tp, BOB, 1, 1, SMS_ENC_8BIT, SMS_CANARY_8BIT, NULL, scts_min);
    build_reset(&rp);
    sms_enc_rp_data(&rp, 1, mr, SMSC_DIGITS, &tp);
    build_reset(&ans);
    sms_enc_rp_ack(&ans, 2, mr);
    sms(x, 1, ran, cn, &rp, &ans);
}

/* A Detach request (normal, EPS) with the UE's GUTI on UE (enb, mme). */
static void detach_eps(struct s1 *x, uint32_t enb, uint32_t mme)
{
    struct build_buf nas, p;
    emm(&p, 0x45);
    build_u8(&p, 0x01); /* normal detach, EPS */
    guti(x, &p);
    protect(x, &nas, 2, &p);
    nas_transport(x, 0, enb, mme, &nas);
}

int sms_gen_s1ap(const char *out, uint64_t start_us, char *err, size_t errlen)
{
    struct sess s;
    if (sms_util_open(out, start_us, &s, err, errlen))
        return GEN_RC_IO;
    struct s1 x = {.s = &s, .l = {build_addr(ENB), build_addr(MME), 36412, {5000, 6000},
                        {0x53314150u, 0x53314151u}, {0, 0}}, .ng = false};
    x.ue = UE_ALICE;
    x.sgw = SGW;
    x.enb = ENB;
    x.teid_sgw = TEID_SGW;
    x.teid_enb = TEID_ENB;
    struct build_buf nas, p;
    /* 1. ALICE attaches */
    attach_eps(&x, IMSI_ALICE, IMEISV_ALICE, 7, 1, (struct frag_plan){0, false, false, false});
    /* 2. a DNS look-up through S1-U */
    static const struct build_gtp s1u = {{4, {10, 0, 13, 1}}, {4, {10, 0, 13, 3}}, TEID_SGW,
                                         TEID_ENB};
    tunnel_dns(&s, &s1u, UE_ALICE, RESOLVER, 41300, 0x5131, "chat.signal.org");
    /* 3. MO SMS to BOB */
    mo_sms_to_bob(&x, 7, 7, 1);
    sess_wait(&s, MSEC(5000));
    /* 4. back from idle by S-TMSI; MT SMS from BOB; detach */
    build_reset(&nas);
    build_u8(&nas, 0xc7); /* Service request */
    build_u8(&nas, 0x05); /* KSI 0, sequence number 5 */
    build_be16(&nas, 0x1234);
    initial_ue(&x, 8, &nas, true);
    mt_sms_from_bob(&x, 45, 12, 8, 2);
    detach_eps(&x, 8, 2);
    sess_wait(&s, MSEC(500));
    /* 5. CAROL: EEA2, so her later NAS is ciphered */
    attach_request(&nas, IMSI_CAROL);
    initial_ue(&x, 9, &nas, false);
    smc(&x, &nas, 0x22); /* 128-EEA2, 128-EIA2 */
    nas_transport(&x, 1, 9, 3, &nas);
    struct xorshift r;
    build_rng_seed(&r, 0x53314133u);
    for (int k = 0; k < 2; k++) {
        build_reset(&p);
        build_rng_bytes(&p, &r, 24);
        protect(&x, &nas, 4 - 2 * k, &p);
        nas_transport(&x, 0, 9, 3, &nas);
    }
    return sess_finish(&s, out, err, errlen);
}

/* ---- ngap.pcap ----------------------------------------------------------
 *
 * SCTP 10.0.14.1 (gNB) <-> 10.0.14.2:38412 (AMF), PPID 60, NGAP (TS 38.413,
 * aligned PER) carrying 5GS NAS (TS 24.501):
 *
 *  1. ALICE (RAN UE id 7, AMF UE id 1) registers with a SUCI under the null
 *     protection scheme (her IMSI in clear); Security mode command (NEA0,
 *     IMEISV requested) and its complete with the IMEISV and the
 *     Registration request again; the Initial Context Setup Request
 *     carrying the Registration accept (5G-GUTI, 5G-TMSI 0xc0ffee02);
 *     Registration complete; a PDU session establishment request; the PDU
 *     Session Resource Setup Request whose item carries the accept (PDU
 *     address 10.46.14.9, DNN internet) and the UPF's N3 tunnel
 *     (10.0.14.3, TEID 0x3001); the response with the gNB's (10.0.14.1,
 *     TEID 0x4001).
 *  2. ALICE's UE looks up chat.signal.org through N3 (GTP-U).
 *  3. MO SMS to BOB in UL NAS transport (payload container type SMS).
 *  4. Back from idle on RAN UE id 8 by 5G-S-TMSI (Service request); an MT
 *     SMS from BOB; Deregistration request.
 *  5. DAVE (RAN UE id 9) registers with a concealed SUCI (profile A): no
 *     IMSI; the AMF chooses 128-NEA2, his later NAS is ciphered.
 *  6. FIONA (RAN UE id 10, AMF UE id 4) registers with the SUCI of TS 33.501
 *     Annex C.4.3.1 (IMSI 274012001002086 under ECIES Profile A, home
 *     network key id 27), under NEA0; PDU session with 10.46.14.10 (UPF TEID
 *     0x3002, gNB TEID 0x4002); looks up signal.org through N3; deregisters.
 *  7. GUS (RAN UE id 11, AMF UE id 5): the same with the SUCI of Annex
 *     C.4.4.1 (the same IMSI under Profile B), 10.46.14.11, TEIDs 0x3003 /
 *     0x4003.  The same IMSI for both is the Annex's; they are two UEs here.
 */
#define GNB "10.0.14.1"
#define AMF "10.0.14.2"
#define UE_ALICE_5G "10.46.14.9"
#define SGW_5G "10.0.14.3" /* the UPF */
#define TEID_UPF 0x00003001u
#define TEID_GNB 0x00004001u

/* 5GS mobile identity: a SUCI (SUPI format IMSI, routing indicator 0)
 * with the null scheme (the MSIN in clear) or, scheme 1, a concealed one. */
static void suci(struct build_buf *out, const char *msin, bool concealed)
{
    size_t at = out->len;
    build_be16(out, 0);
    build_u8(out, 0x01);
    build_bytes(out, plmn, 3);
    build_u8(out, 0xf0);
    build_u8(out, 0xff);
    build_u8(out, concealed ? 0x01 : 0x00);
    build_u8(out, concealed ? 0x01 : 0x00);
    if (concealed) { /* ECIES profile A: ephemeral key, ciphertext, MAC (not real ones) */
        for (int i = 0; i < 32 + 5 + 8; i++)
            build_u8(out, (uint8_t)(0x5a ^ i));
    } else {
        sms_enc_tbcd(out, msin);
    }
    build_patch_be16(out, at, (uint16_t)(out->len - at - 2));
}

static void guti5(struct build_buf *out, uint8_t iei)
{
    if (iei)
        build_u8(out, iei);
    build_be16(out, 11);
    build_u8(out, 0xf2);
    build_bytes(out, plmn, 3);
    build_u8(out, 0x01);    /* AMF region */
    build_be16(out, 0x0040); /* AMF set 1, pointer 0 */
    build_be32(out, TMSI_5G);
}

static void registration_request(struct build_buf *out, bool concealed)
{
    mm5(out, 0x41);
    build_u8(out, 0x71); /* no key (ngKSI 7), initial registration */
    suci(out, "0000000001", concealed);
    static const uint8_t caps[] = {0x2e, 0x02, 0xe0, 0xe0}; /* UE security capability */
    build_bytes(out, caps, sizeof caps);
}

static void smc5(struct s1 *x, struct build_buf *out, uint8_t alg, bool imeisv)
{
    struct build_buf p;
    mm5(&p, 0x5d);
    build_u8(&p, alg);  /* ciphering in bits 8-5, integrity in 4-1 */
    build_u8(&p, 0x00); /* ngKSI 0 */
    static const uint8_t caps[] = {0x02, 0xe0, 0xe0};
    build_bytes(&p, caps, sizeof caps);
    if (imeisv)
        build_u8(&p, 0xe1); /* IMEISV request: requested */
    protect(x, out, 3, &p);
}

/* A UE's PDU session: its address and the N3 tunnel ends. */
struct ng_pdu {
    const char *ue;
    uint32_t teid_upf, teid_gnb;
};

static const struct ng_pdu pdu_alice = {UE_ALICE_5G, TEID_UPF, TEID_GNB};

/* PDU session establishment accept (5GSM 0xc2) inside a DL NAS transport
 * (payload container type 1, N1 SM information). */
static void session_accept(struct s1 *x, struct build_buf *out, const struct ng_pdu *pdu)
{
    struct build_buf sm, p;
    build_reset(&sm);
    build_u8(&sm, 0x2e);
    build_u8(&sm, 0x01); /* PDU session ID */
    build_u8(&sm, 0x01); /* PTI */
    build_u8(&sm, 0xc2);
    build_u8(&sm, 0x11); /* SSC mode 1, IPv4 */
    static const uint8_t rules[] = {0x00, 0x09, 0x01, 0x00, 0x06, 0x31, 0x31, 0x01, 0x01, 0xff, 0x09};
    build_bytes(&sm, rules, sizeof rules);
    static const uint8_t ambr[] = {0x06, 0x06, 0x00, 0x64, 0x06, 0x00, 0x64};
    build_bytes(&sm, ambr, sizeof ambr);
    struct build_addr ue = build_addr(pdu->ue);
    build_u8(&sm, 0x29); /* PDU address: IPv4 */
    build_u8(&sm, 5);
    build_u8(&sm, 0x01);
    build_bytes(&sm, ue.a, 4);
    static const uint8_t snssai[] = {0x22, 0x01, 0x01};
    build_bytes(&sm, snssai, sizeof snssai);
    build_u8(&sm, 0x25); /* DNN */
    build_u8(&sm, 9);
    build_u8(&sm, 8);
    build_str(&sm, "internet");
    mm5(&p, 0x68);
    build_u8(&p, 0x01);
    build_be16(&p, (uint16_t)sm.len);
    build_bytes(&p, sm.b, sm.len);
    build_u8(&p, 0x12); /* PDU session ID */
    build_u8(&p, 0x01);
    protect(x, out, 2, &p);
}

/* PDU Session Resource Setup Request (one item: session 1, its NAS-PDU,
 * S-NSSAI SST 1, the request transfer with the UPF's N3 tunnel) and the
 * response (the gNB's tunnel, QoS flow 1). */
static void pdu_session_setup(struct s1 *x, uint32_t ran, uint32_t amf, const struct ng_pdu *pdu)
{
    struct build_buf nas, tr, ie, list, ies;
    session_accept(x, &nas, pdu);
    /* PDUSessionResourceSetupRequestTransfer: IE 139 (UL-NGU-UP-TNLInformation),
     * IE 134 (PDU session type ipv4) */
    build_reset(&ie);
    struct bitw w = {&ie, 0, 0};
    bits(&w, 0, 1); /* gTPTunnel */
    bits(&w, 0, 2); /* ext, iE-Extensions */
    bits(&w, 0, 1); /* address within the root size */
    bits(&w, 31, 8);
    align(&w);
    struct build_addr upf = build_addr(SGW_5G);
    build_bytes(&ie, upf.a, 4);
    build_be32(&ie, pdu->teid_upf);
    build_reset(&tr);
    build_u8(&tr, 0x00);
    build_be16(&tr, 2);
    ss7_enc_aper_ie(&tr, NIE_UL_NGU, REJECT, ie.b, ie.len);
    ss7_enc_aper_ie(&tr, NIE_PDU_TYPE, REJECT, (uint8_t[]){0x00}, 1);
    build_reset(&list);
    w = (struct bitw){&list, 0, 0};
    bits(&w, 0, 8);   /* one item */
    bits(&w, 0x2, 3); /* ext 0, NAS-PDU present, no iE-Extensions */
    align(&w);
    build_u8(&list, 0x01); /* PDU session ID */
    ss7_enc_aper_octets(&list, &nas);
    bits(&w, 0, 3); /* S-NSSAI: ext, no SD, no iE-Extensions */
    bits(&w, 1, 8); /* SST 1 */
    align(&w);
    ss7_enc_aper_octets(&list, &tr);
    build_reset(&ies);
    ie_ue_ids(x, &ies, ran, amf);
    ss7_enc_aper_ie(&ies, NIE_PDU_SU_REQ, REJECT, list.b, list.len);
    send(x, 1, 0, NP_PDU_SETUP, 3, &ies);
    /* PDUSessionResourceSetupResponseTransfer: dLQosFlowPerTNLInformation
     * (the gNB's tunnel, QoS flow 1), nothing optional */
    build_reset(&tr);
    w = (struct bitw){&tr, 0, 0};
    bits(&w, 0, 5); /* ext, 4 optional fields absent */
    bits(&w, 0, 2); /* QosFlowPerTNLInformation: ext, iE-Extensions */
    bits(&w, 0, 1); /* gTPTunnel */
    bits(&w, 0, 2);
    bits(&w, 0, 1);
    bits(&w, 31, 8);
    align(&w);
    struct build_addr gnb = build_addr(GNB);
    build_bytes(&tr, gnb.a, 4);
    build_be32(&tr, pdu->teid_gnb);
    bits(&w, 0, 6); /* one associated QoS flow */
    bits(&w, 0, 2); /* ext, iE-Extensions */
    bits(&w, 0, 1); /* QFI within the root */
    bits(&w, 1, 6); /* QFI 1 */
    align(&w);
    build_reset(&list);
    w = (struct bitw){&list, 0, 0};
    bits(&w, 0, 8);
    bits(&w, 0, 2); /* ext, iE-Extensions */
    align(&w);
    build_u8(&list, 0x01);
    ss7_enc_aper_octets(&list, &tr);
    build_reset(&ies);
    ie_ue_ids(x, &ies, ran, amf);
    ss7_enc_aper_ie(&ies, NIE_PDU_SU_RES, IGNORE, list.b, list.len);
    send(x, 0, 1, NP_PDU_SETUP, 3, &ies);
}

/* The rest of a registration on UE (ran, amf) and its PDU session: the
 * Initial Context Setup Request carrying the plain Registration accept
 * `accept`, its response, Registration complete, a PDU session
 * establishment request and the PDU Session Resource Setup of pdu. */
static void ng_register_session(struct s1 *x, uint32_t ran, uint32_t amf,
                                const struct build_buf *accept, const struct ng_pdu *pdu)
{
    struct build_buf nas, p, ies;
    protect(x, &nas, 2, accept);
    build_reset(&ies);
    ie_ue_ids(x, &ies, ran, amf);
    ie_nas(x, &ies, &nas);
    send(x, 1, 0, NP_ICS, 3, &ies);
    build_reset(&ies);
    ie_ue_ids(x, &ies, ran, amf);
    send(x, 0, 1, NP_ICS, 2, &ies);
    mm5(&p, 0x43); /* Registration complete */
    protect(x, &nas, 2, &p);
    nas_transport(x, 0, ran, amf, &nas);
    mm5(&p, 0x67); /* UL NAS transport: PDU session establishment request */
    build_u8(&p, 0x01);
    static const uint8_t est[] = {0x2e, 0x01, 0x01, 0xc1, 0xff, 0xff, 0x91};
    build_be16(&p, sizeof est);
    build_bytes(&p, est, sizeof est);
    protect(x, &nas, 2, &p);
    nas_transport(x, 0, ran, amf, &nas);
    pdu_session_setup(x, ran, amf, pdu);
}

/* A UE that registers with a concealed SUCI (its raw 5GS mobile identity
 * value), under NEA0, and opens a PDU session; looks up signal.org through
 * N3 and deregisters. */
struct suci_ue {
    const uint8_t *suci;
    size_t suci_len;
    uint32_t ran, amf;
    struct ng_pdu pdu;
    uint16_t dns_port, dns_id;
};

/* TS 33.501 Annex C.4.3.1 and C.4.4.1: IMSI 274 012 001002086, routing
 * indicator 678, home network key id 27, under Profile A and Profile B
 * (their scheme outputs, published there with the keys that open them). */
static const uint8_t suci_annex_a[] = {
    0x01, 0x72, 0x24, 0x10, 0x76, 0xf8, 0x01, 0x1b,
    0xb2, 0xe9, 0x2f, 0x83, 0x60, 0x55, 0xa2, 0x55, 0x83, 0x7d, 0xeb, 0xf8, 0x50, 0xb5, 0x28, 0x99,
    0x7c, 0xe0, 0x20, 0x1c, 0xb8, 0x2a, 0xdf, 0xe4, 0xbe, 0x1f, 0x58, 0x7d, 0x07, 0xd8, 0x45, 0x7d,
    0xcb, 0x02, 0x35, 0x24, 0x10,
    0xcd, 0xdd, 0x9e, 0x73, 0x0e, 0xf3, 0xfa, 0x87};
static const uint8_t suci_annex_b[] = {
    0x01, 0x72, 0x24, 0x10, 0x76, 0xf8, 0x02, 0x1b,
    0x03, 0x9a, 0xab, 0x83, 0x76, 0x59, 0x70, 0x21, 0xe8, 0x55, 0x67, 0x9a, 0x97, 0x78, 0xea, 0x0b,
    0x67, 0x39, 0x6e, 0x68, 0xc6, 0x6d, 0xf3, 0x2c, 0x0f, 0x41, 0xe9, 0xac, 0xca, 0x2d, 0xa9, 0xb9,
    0xd1,
    0x46, 0xa3, 0x3f, 0xc2, 0x71,
    0x6a, 0xc7, 0xda, 0xe9, 0x6a, 0xa3, 0x0a, 0x4d};
static const struct suci_ue fiona = {suci_annex_a, sizeof suci_annex_a, 10, 4,
                                     {"10.46.14.10", 0x00003002u, 0x00004002u}, 41410, 0x4e41};
static const struct suci_ue gus = {suci_annex_b, sizeof suci_annex_b, 11, 5,
                                   {"10.46.14.11", 0x00003003u, 0x00004003u}, 41411, 0x4e42};

static void suci_leg(struct sess *s, struct s1 *x, const struct suci_ue *u)
{
    struct build_buf reg, nas, p;
    mm5(&reg, 0x41);
    build_u8(&reg, 0x71); /* no key (ngKSI 7), initial registration */
    build_be16(&reg, (uint16_t)u->suci_len);
    build_bytes(&reg, u->suci, u->suci_len);
    static const uint8_t caps[] = {0x2e, 0x02, 0xe0, 0xe0}; /* UE security capability */
    build_bytes(&reg, caps, sizeof caps);
    initial_ue(x, u->ran, &reg, false);
    smc5(x, &nas, 0x02, false); /* NEA0, 128-NIA2 */
    nas_transport(x, 1, u->ran, u->amf, &nas);
    mm5(&p, 0x5e); /* Security mode complete */
    protect(x, &nas, 4, &p);
    nas_transport(x, 0, u->ran, u->amf, &nas);
    mm5(&p, 0x42); /* Registration accept, no 5G-GUTI */
    build_u8(&p, 1);
    build_u8(&p, 0x01); /* 3GPP access */
    ng_register_session(x, u->ran, u->amf, &p, &u->pdu);
    const struct build_gtp n3 = {build_addr(GNB), build_addr(SGW_5G), u->pdu.teid_upf,
                                 u->pdu.teid_gnb};
    tunnel_dns(s, &n3, u->pdu.ue, RESOLVER, u->dns_port, u->dns_id, "signal.org");
    mm5(&p, 0x45); /* Deregistration request (normal, 3GPP access) naming the UE by its SUCI */
    build_u8(&p, 0x01);
    build_be16(&p, (uint16_t)u->suci_len);
    build_bytes(&p, u->suci, u->suci_len);
    protect(x, &nas, 2, &p);
    nas_transport(x, 0, u->ran, u->amf, &nas);
}

int sms_gen_ngap(const char *out, uint64_t start_us, char *err, size_t errlen)
{
    struct sess s;
    if (sms_util_open(out, start_us, &s, err, errlen))
        return GEN_RC_IO;
    struct s1 x = {.s = &s, .l = {build_addr(GNB), build_addr(AMF), 38412, {7000, 8000},
                        {0x4e474150u, 0x4e474151u}, {0, 0}}, .ng = true};
    struct build_buf nas, p, reg;
    /* 1. ALICE registers and opens a PDU session */
    registration_request(&reg, false);
    initial_ue(&x, 7, &reg, false);
    smc5(&x, &nas, 0x02, true); /* NEA0, 128-NIA2 */
    nas_transport(&x, 1, 7, 1, &nas);
    mm5(&p, 0x5e);
    build_u8(&p, 0x77);
    build_be16(&p, 9);
    build_u8(&p, (uint8_t)((IMEISV_ALICE[0] - '0') << 4 | 0x05)); /* even, IMEISV */
    sms_enc_tbcd(&p, IMEISV_ALICE + 1);
    build_u8(&p, 0x71); /* NAS message container: the Registration request */
    build_be16(&p, (uint16_t)reg.len);
    build_bytes(&p, reg.b, reg.len);
    protect(&x, &nas, 4, &p);
    nas_transport(&x, 0, 7, 1, &nas);
    mm5(&p, 0x42);
    build_u8(&p, 1);
    build_u8(&p, 0x01); /* 3GPP access */
    guti5(&p, 0x77);
    ng_register_session(&x, 7, 1, &p, &pdu_alice);
    /* 2. a DNS look-up through N3 */
    static const struct build_gtp n3 = {{4, {10, 0, 14, 1}}, {4, {10, 0, 14, 3}}, TEID_UPF,
                                        TEID_GNB};
    tunnel_dns(&s, &n3, UE_ALICE_5G, RESOLVER, 41400, 0x4e31, "chat.signal.org");
    /* 3. MO SMS to BOB */
    mo_sms_to_bob(&x, 8, 7, 1);
    sess_wait(&s, MSEC(5000));
    /* 4. back from idle by 5G-S-TMSI; MT SMS from BOB; deregistration */
    mm5(&p, 0x4c);
    build_u8(&p, 0x01); /* ngKSI 0, service type data */
    build_be16(&p, 7);
    build_u8(&p, 0xf4);
    build_be16(&p, 0x0040);
    build_be32(&p, TMSI_5G);
    protect(&x, &nas, 1, &p);
    initial_ue(&x, 8, &nas, true);
    mt_sms_from_bob(&x, 46, 13, 8, 2);
    mm5(&p, 0x45);
    build_u8(&p, 0x01); /* normal de-registration, 3GPP access */
    guti5(&p, 0);
    protect(&x, &nas, 2, &p);
    nas_transport(&x, 0, 8, 2, &nas);
    sess_wait(&s, MSEC(500));
    /* 5. DAVE: a concealed SUCI, then NEA2 */
    registration_request(&reg, true);
    initial_ue(&x, 9, &reg, false);
    smc5(&x, &nas, 0x22, true); /* 128-NEA2, 128-NIA2 */
    nas_transport(&x, 1, 9, 3, &nas);
    struct xorshift r;
    build_rng_seed(&r, 0x4e474133u);
    for (int k = 0; k < 2; k++) {
        build_reset(&p);
        build_rng_bytes(&p, &r, 24);
        protect(&x, &nas, (uint8_t)(4 - 2 * k), &p);
        nas_transport(&x, 0, 9, 3, &nas);
    }
    /* 6, 7. FIONA and GUS: the SUCIs of TS 33.501 Annex C.4.3.1 / C.4.4.1 */
    sess_wait(&s, MSEC(500));
    suci_leg(&s, &x, &fiona);
    sess_wait(&s, MSEC(500));
    suci_leg(&s, &x, &gus);
    return sess_finish(&s, out, err, errlen);
}

/* ---- sctp_frag.pcap -----------------------------------------------------
 *
 * SCTP 10.0.15.1 (eNodeB) <-> 10.0.15.2:36412 (MME), S1AP as in s1ap.pcap,
 * with user messages larger than one DATA chunk (RFC 9260 section 6.9):
 *
 *  1. ERIN (eNB UE id 21, MME UE id 11) attaches as ALICE does in s1ap.pcap
 *     (IMEISV, EEA0).  Her Initial Context Setup Request also carries a UE
 *     radio capability of 2,400 octets, so it goes in three fragments of
 *     consecutive TSNs, one a packet: the first, the last, the middle one
 *     late, then the first again (a retransmission).  It holds the Attach
 *     accept (PDN address 10.45.15.9) and the gateway's S1-U tunnel
 *     (10.0.15.3, TEID 0x5001); the response, whole, the eNodeB's (10.0.15.1,
 *     TEID 0x6001).
 *  2. ERIN's UE looks up signal.org through S1-U.
 *  3. MO SMS to BOB: the Uplink NAS transport with the CP-DATA is sent
 *     unordered (U flag) in two fragments.
 *  4. A UE radio capability message whose last fragment never comes.
 *  5. ERIN detaches.
 *
 * Expected: an s1ap session for ERIN with her address and both tunnel ends,
 * her DNS flow attributed by TEID, the MO SMS with her IMSI;
 * sms_sctp_fragments 6 (the retransmission is a duplicate, 1),
 * sms_sctp_reassembled 2, sms_sctp_frag_dropped 1 (at the association's end).
 */
#define IMSI_ERIN "001010000000005"
#define IMEISV_ERIN "3520990017614831"
#define ENB_F "10.0.15.1"
#define MME_F "10.0.15.2"
#define SGW_F "10.0.15.3"
#define UE_ERIN "10.45.15.9"
#define RESOLVER_F "10.0.15.53"

int sms_gen_sctp_frag(const char *out, uint64_t start_us, char *err, size_t errlen)
{
    struct sess s;
    if (sms_util_open(out, start_us, &s, err, errlen))
        return GEN_RC_IO;
    struct s1 x = {.s = &s, .l = {build_addr(ENB_F), build_addr(MME_F), 36412, {9000, 9500},
                        {0x46524147u, 0x46524148u}, {0, 0}}, .ng = false};
    x.ue = UE_ERIN;
    x.sgw = SGW_F;
    x.enb = ENB_F;
    x.teid_sgw = 0x00005001u;
    x.teid_enb = 0x00006001u;
    /* 1. ERIN attaches; the Initial Context Setup Request in fragments */
    x.radio_cap = 2400;
    attach_eps(&x, IMSI_ERIN, IMEISV_ERIN, 21, 11, (struct frag_plan){3, true, false, false});
    x.radio_cap = 0;
    /* 2. a DNS look-up through S1-U */
    static const struct build_gtp s1u = {{4, {10, 0, 15, 1}}, {4, {10, 0, 15, 3}}, 0x00005001u,
                                         0x00006001u};
    tunnel_dns(&s, &s1u, UE_ERIN, RESOLVER_F, 41500, 0x5151, "signal.org");
    /* 3. MO SMS to BOB: the CP-DATA unordered, in two fragments */
    x.frag = (struct frag_plan){2, false, true, false}; /* the first CP-DATA's message */
    mo_sms_to_bob(&x, 9, 21, 11);
    sess_wait(&s, MSEC(300));
    /* 4. a UE Capability Info Indication (procedure 22) that never ends */
    struct build_buf ies, cap, v;
    build_reset(&ies);
    ie_ue_ids(&x, &ies, 21, 11);
    build_reset(&cap);
    for (size_t i = 0; i < 1800; i++)
        build_u8(&cap, (uint8_t)(i * 31 + 1));
    build_reset(&v);
    ss7_enc_aper_octets(&v, &cap);
    ss7_enc_aper_ie(&ies, IE_RADIO_CAP, IGNORE, v.b, v.len);
    x.frag = (struct frag_plan){2, false, false, true};
    send(&x, 0, 0, 22, 3, &ies);
    sess_wait(&s, MSEC(500));
    /* 5. ERIN detaches */
    detach_eps(&x, 21, 11);
    return sess_finish(&s, out, err, errlen);
}

/* The first leg of s1ap_move.pcap's, s1ap_handover.pcap's and
 * s1ap_v6.pcap's UEs: a UE attaches through one eNodeB (the link's a; its
 * S1-U to the gateway sgw), looks up chat.signal.org through that S1-U and
 * sends an MO SMS to BOB. */
struct first_leg {
    const char *imsi, *imeisv, *ue, *enb, *mme, *sgw, *resolver;
    uint32_t tsn[2]; /* the eNodeB's and the MME's first TSNs (first_leg() only) */
    uint32_t vtag[2];
    uint32_t teid_sgw, teid_enb, tmsi, enb_id, mme_id;
    uint16_t dns_port, dns_id;
    uint8_t mr;
    /* An IPv6 UE: its link-local address and the /64 the gateway
     * advertises, before the look-up (NULL: none) */
    const char *ue_ll, *prefix;
};

/* The UE's Router Solicitation up its tunnel g, to all routers, and the
 * gateway's Router Advertisement down it, from its link-local fe80::1 to the
 * UE's: the /64 of the UE's PDN connection, with A set (TS 23.401
 * 5.3.1.2.2; RFC 4861 4.1, 4.2, 4.6.2). */
static void tunnel_nd(struct sess *s, const struct build_gtp *g, const char *ue_ll,
                      const char *prefix)
{
    struct build_addr ue = build_addr(ue_ll), routers = build_addr("ff02::2"),
                      gw = build_addr("fe80::1"), p = build_addr(prefix);
    static const uint8_t rs[4] = {0}; /* reserved; no option on a point-to-point link */
    uint8_t ra[12 + 32] = {
        64, 0x00, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, /* hop limit, flags, lifetime, timers */
        3, 4, 64, 0x40, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0};
    memcpy(ra + 28, p.a, 16);
    s->gtp = g;
    sess_icmpv6(s, true, &ue, &routers, 133, rs, sizeof rs);
    sess_wait(s, MSEC(4));
    sess_icmpv6(s, false, &gw, &ue, 134, ra, sizeof ra);
    s->gtp = NULL;
    sess_wait(s, MSEC(20));
}

/* The first leg of UE p on the association x->l is already on. */
static void attach_leg(struct sess *s, struct s1 *x, const struct first_leg *p)
{
    x->ue = p->ue;
    x->sgw = p->sgw;
    x->enb = p->enb;
    x->teid_sgw = p->teid_sgw;
    x->teid_enb = p->teid_enb;
    x->tmsi = p->tmsi;
    attach_eps(x, p->imsi, p->imeisv, p->enb_id, p->mme_id,
               (struct frag_plan){0, false, false, false});
    const struct build_gtp s1u = {build_addr(p->enb), build_addr(p->sgw), p->teid_sgw,
                                  p->teid_enb};
    if (p->prefix)
        tunnel_nd(s, &s1u, p->ue_ll, p->prefix);
    tunnel_dns(s, &s1u, p->ue, p->resolver, p->dns_port, p->dns_id, "chat.signal.org");
    mo_sms_to_bob(x, p->mr, p->enb_id, p->mme_id);
}

/* The first leg of UE p on a new association from its eNodeB to its MME. */
static void first_leg(struct sess *s, struct s1 *x, const struct first_leg *p)
{
    *x = (struct s1){.s = s, .l = {build_addr(p->enb), build_addr(p->mme), 36412,
                                  {p->tsn[0], p->tsn[1]}, {p->vtag[0], p->vtag[1]},
                                  {0, 0}}, .ng = false};
    attach_leg(s, x, p);
}

/* ---- s1ap_move.pcap --------------------------------------------------------
 *
 * FRANK attaches through one eNodeB (10.0.16.1, eNB UE id 31, MME UE id
 * 21; GUTI M-TMSI 0xc0ffee06, MME code 1), looks up chat.signal.org through
 * S1-U and sends an MO SMS to BOB.  Five seconds later, idle, he comes back
 * through another eNodeB (10.0.16.4, its own SCTP association to the same
 * MME 10.0.16.2; eNB UE id 41, MME UE id 22) by a Service request naming
 * him by his S-TMSI alone (TS 23.401 5.3.4.1), looks up signal.org through
 * that eNodeB's S1-U (the gateway's uplink TEID unchanged), gets an MT SMS
 * from BOB and detaches with his GUTI.
 *
 * Expected: one s1ap session for FRANK (IMSI, IMEISV, 10.45.16.9), updated
 * on the second association and closed by the detach there; both DNS flows
 * his by TEID; both SMS with his IMSI; s1ap_ues_moved 1.
 */
#define IMSI_FRANK "001010000000006"
#define IMEISV_FRANK "3520990017614856"
#define ENB_M "10.0.16.1"
#define ENB_M2 "10.0.16.4"
#define MME_M "10.0.16.2"
#define SGW_M "10.0.16.3"
#define UE_FRANK "10.45.16.9"
#define RESOLVER_M "10.0.16.53"
#define TMSI_FRANK 0xc0ffee06u

int sms_gen_s1ap_move(const char *out, uint64_t start_us, char *err, size_t errlen)
{
    struct sess s;
    if (sms_util_open(out, start_us, &s, err, errlen))
        return GEN_RC_IO;
    /* 1-3. FRANK attaches through the first eNodeB, looks up a name, MO SMS */
    static const struct first_leg frank = {
        IMSI_FRANK, IMEISV_FRANK, UE_FRANK, ENB_M, MME_M, SGW_M, RESOLVER_M, {11000, 11500},
        {0x4d4f5631u, 0x4d4f5632u}, 0x00007001u, 0x00008001u, TMSI_FRANK, 31, 21, 41600,
        0x5161, 11, NULL, NULL};
    struct s1 x;
    first_leg(&s, &x, &frank);
    struct build_buf nas;
    sess_wait(&s, MSEC(5000));
    /* 4. back from idle through the second eNodeB, by S-TMSI */
    x.l = (struct sctp_link){build_addr(ENB_M2), build_addr(MME_M), 36412, {12000, 12500},
                             {0x4d4f5633u, 0x4d4f5634u}, {0, 0}};
    x.enb = ENB_M2;
    build_reset(&nas);
    build_u8(&nas, 0xc7); /* Service request */
    build_u8(&nas, 0x06); /* KSI 0, sequence number 6 */
    build_be16(&nas, 0x5678);
    initial_ue(&x, 41, &nas, true);
    /* 5. a DNS look-up through the second eNodeB's S1-U */
    static const struct build_gtp s1u2 = {{4, {10, 0, 16, 4}}, {4, {10, 0, 16, 3}}, 0x00007001u,
                                          0x00008002u};
    tunnel_dns(&s, &s1u2, UE_FRANK, RESOLVER_M, 41601, 0x5162, "signal.org");
    /* 6. MT SMS from BOB; detach */
    mt_sms_from_bob(&x, 47, 13, 41, 22);
    detach_eps(&x, 41, 22);
    return sess_finish(&s, out, err, errlen);
}

/* ---- s1ap_handover.pcap -----------------------------------------------------
 *
 * GINA attaches through one eNodeB (10.0.17.1, eNB UE id 51, MME UE id 61;
 * GUTI M-TMSI 0xc0ffee07), looks up chat.signal.org through S1-U and sends
 * an MO SMS to BOB.  Two seconds later she is handed over, connected, to a
 * neighbour eNodeB over X2 (10.0.17.4, its own SCTP association to the same
 * MME 10.0.17.2): the target eNodeB sends a Path Switch Request (TS 36.413
 * 8.4.4; eNB UE id 71, SourceMME-UE-S1AP-ID 61, its downlink tunnel end
 * TEID 0xa002) and the MME acknowledges it with a new MME UE id, 62.  No
 * message on the target's association names her by IMSI, GUTI or S-TMSI.
 * She looks up signal.org through the target eNodeB's S1-U, gets an MT SMS
 * from BOB and detaches there.
 *
 * Expected: one s1ap session for GINA (IMSI, IMEISV, 10.45.17.9), updated
 * with the target eNodeB's tunnel end and cell and closed by the detach;
 * both DNS flows hers by TEID; both SMS with her IMSI; s1ap_ues_handed_over
 * 1.
 */
#define IMSI_GINA "001010000000007"
#define IMEISV_GINA "3520990017614864"
#define ENB_H "10.0.17.1"
#define ENB_H2 "10.0.17.4"
#define MME_H "10.0.17.2"
#define SGW_H "10.0.17.3"
#define UE_GINA "10.45.17.9"
#define RESOLVER_H "10.0.17.53"
#define TMSI_GINA 0xc0ffee07u
#define IMSI_HANS "001010000000008"
#define IMEISV_HANS "3520990017614880"
#define UE_HANS "10.45.17.10"
#define TMSI_HANS 0xc0ffee08u

/* UESecurityCapabilities: ext, iE-Extensions, then the encryption and
 * integrity algorithms (each an extension bit and 16 bits: EEA1-3,
 * EIA1-3). */
static void ie_security_caps(struct build_buf *ies, uint8_t crit)
{
    struct build_buf v;
    build_reset(&v);
    struct bitw w = {&v, 0, 0};
    bits(&w, 0, 2);
    bits(&w, 0, 1);
    bits(&w, 0xe000, 16);
    bits(&w, 0, 1);
    bits(&w, 0xe000, 16);
    align(&w);
    ss7_enc_aper_ie(ies, IE_UE_SEC_CAP, crit, v.b, v.len);
}

/* SecurityContext: ext, iE-Extensions, NCC 2, aligned; a 256-bit next hop. */
static void ie_security_context(struct build_buf *ies)
{
    struct build_buf v;
    build_reset(&v);
    build_u8(&v, 2 << 3);
    for (unsigned k = 0; k < 32; k++)
        build_u8(&v, (uint8_t)(0x5a ^ (k * 37)));
    ss7_enc_aper_ie(ies, IE_SEC_CTX, REJECT, v.b, v.len);
}

/* The Path Switch Request of UE enb on the target eNodeB (x->l, x->enb,
 * x->teid_enb: the target's) for the UE the MME knew as src_mme, and its
 * acknowledge giving the MME UE id mme. */
static void path_switch(struct s1 *x, uint32_t enb, uint32_t src_mme, uint32_t mme)
{
    struct build_buf item, list, ies;
    /* E-RABToBeSwitchedDLItem: e-RAB-ID 5, the target's address and TEID */
    build_reset(&item);
    build_u8(&item, 5 << 1);
    build_u8(&item, 31);
    struct build_addr enb_a = build_addr(x->enb);
    build_bytes(&item, enb_a.a, 4);
    build_be32(&item, x->teid_enb);
    build_reset(&list);
    build_u8(&list, 0); /* one item */
    ss7_enc_aper_ie(&list, IE_ERAB_SW_DL_ITEM, REJECT, item.b, item.len);
    build_reset(&ies);
    ie_ue_id(&ies, IE_ENB_ID, enb, 2);
    ss7_enc_aper_ie(&ies, IE_ERAB_SW_DL, REJECT, list.b, list.len);
    ie_ue_id(&ies, IE_SRC_MME_ID, src_mme, 2);
    ie_location(x, &ies);
    ie_security_caps(&ies, IGNORE);
    send(x, 0, 0, P_PATH_SWITCH, 6, &ies);
    /* the acknowledge: the MME's new UE id and the next hop's security
     * context */
    build_reset(&ies);
    ie_ue_ids(x, &ies, enb, mme);
    ie_security_context(&ies);
    send(x, 1, 1, P_PATH_SWITCH, 3, &ies);
}

/* An S1 handover's target leg (TS 36.413 8.4.2, 8.4.3) on x->l (the target
 * eNodeB's association; x->enb, x->teid_enb its end, x->sgw, x->teid_sgw
 * the gateway's): the MME's Handover Request for the UE it now knows as
 * mme (HandoverType intralte, Cause unspecified, the UE-AMBR, E-RAB 5 with
 * the gateway's uplink end and QCI 9, the security IEs), the target's
 * acknowledge giving its id enb and its downlink end, and its Handover
 * Notify with the cell.  The transparent containers are left out. */
static void s1_handover(struct s1 *x, uint32_t enb, uint32_t mme)
{
    struct build_buf item, list, ies, v;
    build_reset(&ies);
    ie_ue_id(&ies, IE_MME_ID, mme, 2);
    ss7_enc_aper_ie(&ies, IE_HO_TYPE, REJECT, (uint8_t[]){0x00}, 1);
    ss7_enc_aper_ie(&ies, IE_CAUSE, IGNORE, (uint8_t[]){0x00, 0x00}, 2);
    build_reset(&v); /* ext, iE-Extensions, then DL and UL: 3 bits of octets - 1, the octets */
    build_u8(&v, 0x18);
    build_be32(&v, 100000000u);
    build_u8(&v, 0x60);
    build_be32(&v, 50000000u);
    ss7_enc_aper_ie(&ies, IE_UE_AMBR, REJECT, v.b, v.len);
    /* E-RABToBeSetupItemHOReq: ext, iE-Extensions, e-RAB-ID 5, the
     * gateway's address and TEID, then QoS: no GBR, QCI 9, ARP 15 */
    build_reset(&item);
    build_u8(&item, 5 << 1);
    build_u8(&item, 31);
    struct build_addr sgw = build_addr(x->sgw);
    build_bytes(&item, sgw.a, 4);
    build_be32(&item, x->teid_sgw);
    build_u8(&item, 0x00);
    build_u8(&item, 9);
    build_u8(&item, 15 << 2);
    build_reset(&list);
    build_u8(&list, 0);
    ss7_enc_aper_ie(&list, IE_ERAB_HO_REQ_ITEM, REJECT, item.b, item.len);
    ss7_enc_aper_ie(&ies, IE_ERAB_HO_REQ, REJECT, list.b, list.len);
    ie_security_caps(&ies, REJECT);
    ie_security_context(&ies);
    send(x, 1, 0, P_HO_RESOURCE, 7, &ies);
    /* E-RABAdmittedItem: ext, 5 optional fields absent, e-RAB-ID 5, the
     * target's address and TEID */
    build_reset(&item);
    struct bitw w = {&item, 0, 0};
    bits(&w, 0, 6);
    bits(&w, 5, 5);
    bits(&w, 0, 1);
    bits(&w, 31, 8);
    align(&w);
    struct build_addr enb_a = build_addr(x->enb);
    build_bytes(&item, enb_a.a, 4);
    build_be32(&item, x->teid_enb);
    build_reset(&list);
    build_u8(&list, 0);
    ss7_enc_aper_ie(&list, IE_ERAB_ADMITTED_ITEM, IGNORE, item.b, item.len);
    build_reset(&ies);
    ie_ue_ids(x, &ies, enb, mme);
    ss7_enc_aper_ie(&ies, IE_ERAB_ADMITTED, IGNORE, list.b, list.len);
    send(x, 0, 1, P_HO_RESOURCE, 3, &ies);
    build_reset(&ies);
    ie_ue_ids(x, &ies, enb, mme);
    ie_location(x, &ies);
    send(x, 0, 0, P_HO_NOTIFY, 4, &ies);
}

int sms_gen_s1ap_handover(const char *out, uint64_t start_us, char *err, size_t errlen)
{
    struct sess s;
    if (sms_util_open(out, start_us, &s, err, errlen))
        return GEN_RC_IO;
    /* 1-3. GINA attaches through the source eNodeB, looks up a name, MO SMS */
    static const struct first_leg gina = {
        IMSI_GINA, IMEISV_GINA, UE_GINA, ENB_H, MME_H, SGW_H, RESOLVER_H, {13000, 13500},
        {0x484f5631u, 0x484f5632u}, 0x00009001u, 0x0000a001u, TMSI_GINA, 51, 61, 41700,
        0x5171, 21, NULL, NULL};
    struct s1 x;
    first_leg(&s, &x, &gina);
    sess_wait(&s, MSEC(2000));
    /* 4. X2 handover to the target eNodeB: its Path Switch Request */
    struct sctp_link source = x.l;
    x.l = (struct sctp_link){build_addr(ENB_H2), build_addr(MME_H), 36412, {14000, 14500},
                             {0x484f5633u, 0x484f5634u}, {0, 0}};
    x.enb = ENB_H2;
    x.teid_enb = 0x0000a002u;
    path_switch(&x, 71, 61, 62);
    /* 5. a DNS look-up through the target eNodeB's S1-U */
    static const struct build_gtp s1u2 = {{4, {10, 0, 17, 4}}, {4, {10, 0, 17, 3}}, 0x00009001u,
                                          0x0000a002u};
    tunnel_dns(&s, &s1u2, UE_GINA, RESOLVER_H, 41701, 0x5172, "signal.org");
    /* 6. MT SMS from BOB; detach */
    mt_sms_from_bob(&x, 48, 23, 71, 62);
    detach_eps(&x, 71, 62);
    /* 7. HANS attaches through the source eNodeB (its association goes on),
     * looks up a name, sends an MO SMS */
    sess_wait(&s, MSEC(1000));
    struct sctp_link target = x.l;
    x.l = source;
    static const struct first_leg hans = {
        IMSI_HANS, IMEISV_HANS, UE_HANS, ENB_H, MME_H, SGW_H, RESOLVER_H, {0, 0}, {0, 0},
        0x00009003u, 0x0000a003u, TMSI_HANS, 52, 63, 41702, 0x5173, 27, NULL, NULL};
    attach_leg(&s, &x, &hans);
    sess_wait(&s, MSEC(2000));
    /* 8. S1 handover to the target eNodeB: the MME's Handover Request names
     * him by a new MME UE id, 64, and the gateway's uplink end */
    x.l = target;
    x.enb = ENB_H2;
    x.teid_enb = 0x0000a004u;
    s1_handover(&x, 72, 64);
    /* 9. a look-up through the target's S1-U; MT SMS; detach */
    static const struct build_gtp s1u4 = {{4, {10, 0, 17, 4}}, {4, {10, 0, 17, 3}}, 0x00009003u,
                                          0x0000a004u};
    tunnel_dns(&s, &s1u4, UE_HANS, RESOLVER_H, 41703, 0x5174, "signal.org");
    mt_sms_from_bob(&x, 49, 29, 72, 64);
    detach_eps(&x, 72, 64);
    return sess_finish(&s, out, err, errlen);
}

/* ---- s1ap_v6.pcap -----------------------------------------------------------
 *
 * IRIS attaches through an eNodeB (10.0.18.1, SCTP to the MME 10.0.18.2; eNB
 * UE id 81, MME UE id 91) with an IPv6-only PDN connection: the Attach
 * accept's PDN address has type IPv6 and carries only her interface
 * identifier, ::9 (TS 24.301 9.9.4.9; the /64 comes in a Router
 * Advertisement on the user plane, TS 23.401 5.3.1.2.2).  Her Router
 * Solicitation goes up her S1-U tunnel (gateway 10.0.18.3 TEID 0xb001) from
 * fe80::9, and the gateway's Router Advertisement comes down it (eNodeB TEID
 * 0xc001) with 2001:db8:45:18::/64.  She looks up chat.signal.org from
 * 2001:db8:45:18::9 through S1-U and sends an MO SMS to BOB; then a look-up
 * of signal.org from a privacy address in her /64,
 * 2001:db8:45:18:1c2d:3e4f:5a6b:7c8d (RFC 8981), is seen beyond the gateway
 * (SGi, no tunnel); she detaches.
 *
 * Expected: one s1ap session for IRIS (IMSI, IMEISV, APN, cell, both tunnel
 * ends, the /64 2001:db8:45:18::/64; no IPv4 address) closed by the detach;
 * her tunnel's flows (the Router Solicitation and Advertisement, the DNS
 * flow) hers by TEID, the SGi look-up hers by her /64; the SMS with her
 * IMSI.
 */
#define IMSI_IRIS "001010000000009"
#define IMEISV_IRIS "3520990017614899"

int sms_gen_s1ap_v6(const char *out, uint64_t start_us, char *err, size_t errlen)
{
    struct sess s;
    if (sms_util_open(out, start_us, &s, err, errlen))
        return GEN_RC_IO;
    static const struct first_leg iris = {
        IMSI_IRIS, IMEISV_IRIS, "2001:db8:45:18::9", "10.0.18.1", "10.0.18.2", "10.0.18.3",
        "2001:db8:18::53", {15000, 15500}, {0x49525331u, 0x49525332u}, 0x0000b001u,
        0x0000c001u, 0xc0ffee09u, 81, 91, 41800, 0x5181, 31, "fe80::9", "2001:db8:45:18::"};
    struct s1 x;
    first_leg(&s, &x, &iris);
    sess_dns(&s, "2001:db8:45:18:1c2d:3e4f:5a6b:7c8d", iris.resolver, 41802, 0x5182,
             "signal.org", 1, "13.248.212.111", MSEC(20));
    sess_wait(&s, MSEC(200));
    detach_eps(&x, 81, 91);
    return sess_finish(&s, out, err, errlen);
}
