/* nas_5gs.c - 5GS NAS decoding for attribution and SMS (see nas_5gs.h). */
#include "classify/nas_5gs.h"

#include <string.h>

#include "capture/str.h"
#include "classify/dtap_sms.h"
#include "classify/sms_addr.h"
#include "classify/suci.h"

#define NAS5_MAC_SQN 5          /* MAC (4) and sequence number (1), section 9.1.1 */
#define IEI_GUTI_OR_IMEISV 0x77 /* 5GS mobile identity, TLV-E */
#define IEI_NAS_CONTAINER 0x71
#define IEI_PDU_ADDRESS 0x29
#define IEI_DNN 0x25
#define ID_SUCI 1
#define ID_GUTI 2
#define ID_IMEI 3
#define ID_S_TMSI 4
#define ID_IMEISV 5
#define GUTI_LEN 11  /* octet 1, PLMN 3, AMF region 1, set and pointer 2, 5G-TMSI 4 */
#define S_TMSI_LEN 7 /* octet 1, AMF set and pointer 2, 5G-TMSI 4 */
#define PAYLOAD_N1_SM 1
#define PAYLOAD_SMS 2
#define MAX_OPTIONAL_IES 32
#define MAX_DEPTH 2 /* a NAS message container inside a message */

static bool lve(struct cursor *c, struct cursor *v)
{
    return cur_sub(c, cur_be16(c), v);
}

static uint32_t be32_at(struct span v, size_t at)
{
    return (uint32_t)span_at(v, at) << 24 | (uint32_t)span_at(v, at + 1) << 16 |
           (uint32_t)span_at(v, at + 2) << 8 | span_at(v, at + 3);
}

/* A SUCI of SUPI format IMSI: PLMN digits, routing indicator (2), protection
 * scheme, home network key id, scheme output.  The null scheme: the MSIN in
 * clear (TBCD, 0xF filler); Profile A / B: the concealed MSIN, kept for the
 * row to de-conceal. */
static void suci(struct span v, struct nas_msg *m)
{
    if (v.n < 9 || ((span_at(v, 0) >> 4) & 0x07) != 0)
        return; /* a NAI, or a short value */
    char imsi[TGPP_IMSI_MAX];
    if (!tgpp_plmn_digits((struct span){v.p + 1, 3}, imsi, sizeof imsi))
        return;
    uint8_t scheme = span_at(v, 6) & 0x0f;
    if (scheme != SUCI_SCHEME_NULL) {
        if (scheme == SUCI_PROFILE_A || scheme == SUCI_PROFILE_B) {
            m->suci_scheme = scheme;
            m->suci_key_id = span_at(v, 7);
            str_copy(m->suci_plmn, sizeof m->suci_plmn, imsi);
            m->suci_out = (struct span){v.p + 8, v.n - 8};
        }
        return;
    }
    size_t n = strlen(imsi);
    sms_addr_tbcd((struct span){v.p + 8, v.n - 8}, sizeof imsi - 1 - n, imsi + n, sizeof imsi - n);
    if (ran_digits(imsi, RAN_IMSI_MIN_DIGITS))
        str_copy(m->imsi, sizeof m->imsi, imsi);
}

/* A 5GS mobile identity value (9.11.3.4). */
static void identity(struct span v, struct nas_msg *m)
{
    uint8_t b0 = span_at(v, 0), type = b0 & 0x07;
    if (type == ID_SUCI) {
        suci(v, m);
    } else if (type == ID_GUTI && v.n == GUTI_LEN) {
        m->has_guti = true;
        m->tmsi = be32_at(v, 7);
        m->tmsi_node = (uint16_t)(span_at(v, 5) << 8 | span_at(v, 6)); /* AMF set, pointer */
    } else if (type == ID_S_TMSI && v.n == S_TMSI_LEN) {
        m->has_guti = true;
        m->tmsi = be32_at(v, 3);
        m->tmsi_node = (uint16_t)(span_at(v, 1) << 8 | span_at(v, 2));
    } else if ((type == ID_IMEI || type == ID_IMEISV) && v.n >= 2 && v.n <= 9) {
        /* the same digits as a 24.008 Mobile Identity of type 2 / 3 */
        uint8_t b[9];
        memcpy(b, v.p, v.n);
        b[0] = (uint8_t)((b0 & 0xf8) | (type == ID_IMEI ? 2 : 3));
        char id[TGPP_IMEI_MAX];
        dtap_sms_mobile_identity((struct span){b, v.n}, id, sizeof id);
        if (ran_digits(id, RAN_IMEI_MIN_DIGITS))
            str_copy(m->imei, sizeof m->imei, id);
    }
}

/* The optional IEs of a 5GSM PDU session establishment accept, after its
 * mandatory part: type 1 (TV, one octet) IEIs have the high bit set, 0x59
 * and 0x56 are TV of two octets, 0x70-0x7f TLV-E, the rest TLV (24.501
 * table 8.3.2.1.1). */
static void accept_ies(struct cursor *c, struct nas_msg *m)
{
    for (unsigned i = 0; i < MAX_OPTIONAL_IES && cur_left(c); i++) {
        uint8_t iei = cur_u8(c);
        struct cursor v;
        if (iei & 0x80) {
            continue;
        } else if (iei == 0x59 || iei == 0x56) {
            cur_skip(c, 1);
            continue;
        } else if ((iei & 0xf0) == 0x70) {
            if (!lve(c, &v))
                return;
            continue;
        } else if (!cur_sub(c, cur_u8(c), &v)) {
            return;
        }
        if (iei == IEI_PDU_ADDRESS) {
            ran_pdn_address(v, m);
        } else if (iei == IEI_DNN) {
            bool cut = false;
            tgpp_apn(cur_rest(&v), m->apn, sizeof m->apn, &cut);
        }
    }
}

/* A 5GSM message after its EPD. */
static enum parse_rc sm(struct cursor *c, struct nas_msg *m)
{
    m->pd = NAS_EPD_5GSM;
    uint8_t psi = cur_u8(c); /* PDU session ID (9.4) */
    cur_skip(c, 1);          /* PTI */
    uint8_t type = cur_u8(c);
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    m->type = type;
    m->bearer = psi;
    m->release = type == NAS5_PDU_SESSION_RELEASE_CMD;
    if (type != NAS5_PDU_SESSION_ACCEPT)
        return PARSE_OK;
    struct cursor rules, ambr;
    cur_skip(c, 1); /* selected PDU session type, SSC mode */
    if (!lve(c, &rules) || !cur_sub(c, cur_u8(c), &ambr))
        return PARSE_TRUNCATED;
    accept_ies(c, m);
    return PARSE_OK;
}

static enum parse_rc plain(struct cursor *c, struct nas_msg *m, unsigned depth);

/* A plain 5GMM message after its EPD and security header octet. */
static enum parse_rc mm(struct cursor *c, struct nas_msg *m, unsigned depth)
{
    m->pd = NAS_EPD_5GMM;
    uint8_t type = cur_u8(c);
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    struct cursor v;
    switch (type) {
    case NAS5_REGISTRATION_REQUEST: /* registration type + ngKSI, identity (LV-E) */
    case NAS5_DEREGISTRATION_UE:    /* deregistration type + ngKSI, identity (LV-E) */
    case NAS5_SERVICE_REQUEST:      /* ngKSI + service type, 5G-S-TMSI (LV-E) */
        cur_skip(c, 1);
        if (!lve(c, &v))
            return PARSE_TRUNCATED;
        identity(cur_rest(&v), m);
        m->detach = type == NAS5_DEREGISTRATION_UE;
        break;
    case NAS5_DEREGISTRATION_NW:
        m->detach = true;
        break;
    case NAS5_REGISTRATION_ACCEPT: /* result (LV), [5G-GUTI (TLV-E)] */
        if (!cur_sub(c, cur_u8(c), &v))
            return PARSE_TRUNCATED;
        if (cur_left(c) && cur_peek(c, 0) == IEI_GUTI_OR_IMEISV && cur_skip(c, 1) && lve(c, &v))
            identity(cur_rest(&v), m);
        m->guti_given = m->has_guti; /* the AMF gives it */
        break;
    case NAS5_CONFIG_UPDATE_CMD:
        /* optional IEs in the order of 24.501 table 8.2.19.1.1: the
         * configuration update indication (type 1, IEI D-), then the 5G-GUTI
         * (TLV-E) the AMF reallocates, as TS 33.501 6.12.3 asks of it */
        if (cur_left(c) && (cur_peek(c, 0) & 0xf0) == 0xd0)
            cur_skip(c, 1);
        if (cur_left(c) && cur_peek(c, 0) == IEI_GUTI_OR_IMEISV && cur_skip(c, 1) && lve(c, &v))
            identity(cur_rest(&v), m);
        m->guti_given = m->has_guti;
        break;
    case NAS5_IDENTITY_RESPONSE:
        if (!lve(c, &v))
            return PARSE_TRUNCATED;
        identity(cur_rest(&v), m);
        break;
    case NAS5_SMC: {
        uint8_t alg = cur_u8(c);
        if (!cur_ok(c))
            return PARSE_TRUNCATED;
        m->has_alg = true;
        m->alg = alg >> 4;
        break;
    }
    case NAS5_SMC_COMPLETE: /* [IMEISV (TLV-E 0x77)], [NAS message container (TLV-E 0x71)] */
        for (unsigned i = 0; i < 4 && cur_left(c) >= 3; i++) {
            uint8_t iei = cur_u8(c);
            if ((iei & 0xf0) != 0x70 || !lve(c, &v))
                break;
            if (iei == IEI_GUTI_OR_IMEISV) {
                identity(cur_rest(&v), m);
            } else if (iei == IEI_NAS_CONTAINER && depth < MAX_DEPTH) {
                struct nas_msg in;
                memset(&in, 0, sizeof in);
                if (plain(&v, &in, depth + 1) == PARSE_OK && in.imsi[0] && !m->imsi[0])
                    str_copy(m->imsi, sizeof m->imsi, in.imsi);
            }
        }
        break;
    case NAS5_UL_TRANSPORT:
    case NAS5_DL_TRANSPORT: { /* payload container type, payload container (LV-E) */
        uint8_t ptype = cur_u8(c) & 0x0f;
        if (!lve(c, &v))
            return PARSE_TRUNCATED;
        if (ptype == PAYLOAD_SMS && cur_left(&v) >= 2) {
            m->has_container = true;
            m->uplink = type == NAS5_UL_TRANSPORT;
            m->container = cur_rest(&v);
        } else if (ptype == PAYLOAD_N1_SM && cur_u8(&v) == NAS_EPD_5GSM) {
            struct nas_msg in;
            memset(&in, 0, sizeof in);
            if (sm(&v, &in) == PARSE_OK && (in.has_v4 || in.has_v6)) {
                m->has_v4 = in.has_v4;
                m->has_v6 = in.has_v6;
                memcpy(m->v4, in.v4, 4);
                str_copy(m->apn, sizeof m->apn, in.apn);
                m->bearer = in.bearer;
            } else if (in.release) {
                m->release = true;
                m->bearer = in.bearer;
            }
        }
        break;
    }
    default:
        break;
    }
    m->type = type;
    return PARSE_OK;
}

/* A plain message: a 5GSM message, or a 5GMM one with security header 0. */
static enum parse_rc plain(struct cursor *c, struct nas_msg *m, unsigned depth)
{
    uint8_t epd = cur_u8(c);
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    if (epd == NAS_EPD_5GSM)
        return sm(c, m);
    if (epd != NAS_EPD_5GMM)
        return PARSE_INVALID;
    uint8_t sec = cur_u8(c);
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    if ((sec & 0x0f) != 0)
        return PARSE_INVALID;
    return mm(c, m, depth);
}

static enum parse_rc plain_top(struct cursor *c, struct nas_msg *m)
{
    return plain(c, m, 0);
}

enum parse_rc nas_5gs_parse(struct cursor *c, enum nas_cipher cipher, struct nas_msg *m)
{
    memset(m, 0, sizeof *m);
    if (!cur_left(c))
        return PARSE_TRUNCATED;
    uint8_t epd = cur_peek(c, 0), sec = cur_peek(c, 1) & 0x0f;
    if (epd != NAS_EPD_5GMM && epd != NAS_EPD_5GSM)
        return PARSE_INVALID;
    if (epd == NAS_EPD_5GSM || sec == 0)
        return plain(c, m, 0);
    m->protected_ = true;
    m->pd = NAS_EPD_5GMM;
    if (sec > 4)
        return PARSE_OK; /* reserved header types */
    if (!cur_skip(c, 2 + NAS5_MAC_SQN))
        return PARSE_TRUNCATED;
    return ran_nas_inner(c, sec, cipher, m, plain_top);
}
