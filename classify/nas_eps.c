/* nas_eps.c - EPS NAS decoding for attribution and SMS (see nas_eps.h). */
#include "classify/nas_eps.h"

#include <string.h>

#include "capture/str.h"
#include "classify/dtap_sms.h"

#define NAS_HDR_SERVICE_REQUEST 12 /* 24.301 section 9.3.1 */
#define NAS_MAC_SQN 5              /* MAC (4) and sequence number (1), section 9.1 */
#define NAS_IEI_GUTI 0x50          /* EPS mobile identity, TLV (section 8.2.1.2) */
#define NAS_IEI_T3412 0x5a         /* TAU accept's first optional IE, TV 2 (8.2.26) */
#define NAS_IEI_IMEISV 0x23        /* Security mode complete (8.2.21.1) */
#define EPS_ID_IMSI 1
#define EPS_ID_IMEI 3
#define EPS_ID_GUTI 6
#define GUTI_LEN 11 /* octet 1, PLMN 3, MME group 2, MME code 1, M-TMSI 4 */

static bool lv(struct cursor *c, struct cursor *v)
{
    return cur_sub(c, cur_u8(c), v);
}

/* A 24.008 Mobile Identity (Identity response, IMEISV IE) or EPS mobile
 * identity (9.9.3.12: the same octet 1, or a GUTI). */
static void identity(struct span v, struct nas_msg *m)
{
    uint8_t type = span_at(v, 0) & 0x07;
    if (type == EPS_ID_GUTI && v.n == GUTI_LEN && (span_at(v, 0) & 0xf0) == 0xf0) {
        m->has_guti = true;
        m->tmsi = (uint32_t)span_at(v, 7) << 24 | (uint32_t)span_at(v, 8) << 16 |
                  (uint32_t)span_at(v, 9) << 8 | span_at(v, 10);
        m->tmsi_node = span_at(v, 6); /* MME code */
        return;
    }
    char id[TGPP_IMEI_MAX];
    int t = dtap_sms_mobile_identity(v, id, sizeof id);
    if (t == EPS_ID_IMSI && ran_digits(id, RAN_IMSI_MIN_DIGITS))
        str_copy(m->imsi, sizeof m->imsi, id);
    else if ((t == 2 || t == EPS_ID_IMEI) && ran_digits(id, RAN_IMEI_MIN_DIGITS))
        str_copy(m->imei, sizeof m->imei, id);
}

/* An ESM message after octet 1 (its EPS bearer identity ebi, 9.3.2).
 * Activate default EPS bearer context request (8.3.6): EPS QoS (LV), APN
 * (LV), PDN address (LV).  Deactivate EPS bearer context request (8.3.12):
 * the bearer that ends.  Other ESM messages: type only. */
static enum parse_rc esm(struct cursor *c, struct nas_msg *m, uint8_t ebi)
{
    m->pd = NAS_PD_ESM;
    cur_skip(c, 1); /* procedure transaction identity */
    uint8_t type = cur_u8(c);
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    m->type = type;
    m->bearer = ebi;
    m->release = type == NAS_ESM_DEACT_REQ;
    if (type != NAS_ESM_ACT_DEFAULT_REQ)
        return PARSE_OK;
    struct cursor qos, apn, pdn;
    if (!lv(c, &qos) || !lv(c, &apn) || !lv(c, &pdn))
        return PARSE_TRUNCATED;
    bool cut = false;
    tgpp_apn(cur_rest(&apn), m->apn, sizeof m->apn, &cut);
    return ran_pdn_address(pdn, m) ? PARSE_OK : PARSE_TRUNCATED;
}

/* The optional GUTI of an Attach / TAU accept, when it is the next IE:
 * the core gives it to the UE. */
static void opt_guti(struct cursor *c, struct nas_msg *m)
{
    struct cursor v;
    if (cur_left(c) && cur_peek(c, 0) == NAS_IEI_GUTI && cur_skip(c, 1) && lv(c, &v)) {
        identity(cur_rest(&v), m);
        m->guti_given = m->has_guti;
    }
}

/* A plain EMM message after its octet 1. */
static enum parse_rc emm(struct cursor *c, struct nas_msg *m)
{
    m->pd = NAS_PD_EMM;
    uint8_t type = cur_u8(c);
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    struct cursor v, e;
    switch (type) {
    case NAS_ATTACH_REQUEST: /* KSI + attach type, identity (LV), UE capability (LV), ESM (LV-E) */
        cur_skip(c, 1);
        if (!lv(c, &v))
            return PARSE_TRUNCATED;
        identity(cur_rest(&v), m);
        break;
    case NAS_ATTACH_ACCEPT: { /* result, T3412, TAI list (LV), ESM (LV-E), [GUTI] */
        cur_skip(c, 2);
        if (!lv(c, &v) || !cur_sub(c, cur_be16(c), &e))
            return PARSE_TRUNCATED;
        uint8_t b0 = cur_peek(&e, 0);
        cur_skip(&e, 1);
        if ((b0 & 0x0f) != NAS_PD_ESM)
            return PARSE_INVALID;
        enum parse_rc rc = esm(&e, m, b0 >> 4);
        if (rc)
            return rc;
        opt_guti(c, m);
        break;
    }
    case NAS_DETACH_REQUEST: /* type + KSI, then (UE originating) identity (LV) */
        m->detach = true;
        cur_skip(c, 1);
        if (!cur_ok(c))
            return PARSE_TRUNCATED;
        if (cur_left(c) > 1 && cur_left(c) == 1u + cur_peek(c, 0) && lv(c, &v))
            identity(cur_rest(&v), m);
        break;
    case NAS_TAU_REQUEST: /* update type + KSI, old GUTI (LV) */
        cur_skip(c, 1);
        if (!lv(c, &v))
            return PARSE_TRUNCATED;
        identity(cur_rest(&v), m);
        break;
    case NAS_TAU_ACCEPT: /* result, [T3412 (TV 2)], [GUTI] */
        cur_skip(c, 1);
        if (cur_left(c) && cur_peek(c, 0) == NAS_IEI_T3412)
            cur_skip(c, 2);
        opt_guti(c, m);
        break;
    case NAS_GUTI_REALLOC:      /* GUTI (LV) */
    case NAS_IDENTITY_RESPONSE: /* Mobile identity (LV) */
        if (!lv(c, &v))
            return PARSE_TRUNCATED;
        identity(cur_rest(&v), m);
        m->guti_given = m->has_guti && type == NAS_GUTI_REALLOC;
        break;
    case NAS_SMC: { /* selected NAS security algorithms: ciphering in bits 7-5 */
        uint8_t alg = cur_u8(c);
        if (!cur_ok(c))
            return PARSE_TRUNCATED;
        m->has_alg = true;
        m->alg = (alg >> 4) & 0x07;
        break;
    }
    case NAS_SMC_COMPLETE: /* [IMEISV (TLV 0x23)] */
        if (cur_left(c) && cur_peek(c, 0) == NAS_IEI_IMEISV && cur_skip(c, 1) && lv(c, &v))
            identity(cur_rest(&v), m);
        break;
    case NAS_DL_TRANSPORT:
    case NAS_UL_TRANSPORT:
        if (!lv(c, &v) || cur_left(&v) < 2)
            return cur_ok(c) ? PARSE_INVALID : PARSE_TRUNCATED;
        m->has_container = true;
        m->uplink = type == NAS_UL_TRANSPORT;
        m->container = cur_rest(&v);
        break;
    default:
        break;
    }
    m->type = type;
    return PARSE_OK;
}

/* A plain message (octet 1 with security header 0, or ESM). */
static enum parse_rc plain(struct cursor *c, struct nas_msg *m)
{
    uint8_t b0 = cur_u8(c);
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    if ((b0 & 0x0f) == NAS_PD_ESM)
        return esm(c, m, b0 >> 4);
    if (b0 != NAS_PD_EMM)
        return PARSE_INVALID;
    return emm(c, m);
}

enum parse_rc nas_eps_parse(struct cursor *c, enum nas_cipher cipher, struct nas_msg *m)
{
    memset(m, 0, sizeof *m);
    uint8_t b0 = cur_peek(c, 0);
    if (!cur_left(c))
        return PARSE_TRUNCATED;
    uint8_t pd = b0 & 0x0f, sec = b0 >> 4;
    if (pd != NAS_PD_EMM && pd != NAS_PD_ESM)
        return PARSE_INVALID;
    if (pd == NAS_PD_ESM || sec == 0)
        return plain(c, m);
    m->protected_ = true;
    m->pd = NAS_PD_EMM;
    if (sec == NAS_HDR_SERVICE_REQUEST) {
        if (!cur_skip(c, 4)) /* octet 1, KSI and sequence number, short MAC (2) */
            return PARSE_TRUNCATED;
        m->type = NAS_SERVICE_REQUEST;
        return PARSE_OK;
    }
    if (sec > 4)
        return PARSE_OK; /* reserved header types */
    if (!cur_skip(c, 1 + NAS_MAC_SQN))
        return PARSE_TRUNCATED;
    return ran_nas_inner(c, sec, cipher, m, plain);
}
