/* diameter_gx.c - Diameter Gx / Gy decoding (see diameter_gx.h). */
#include "classify/diameter_gx.h"

#include <string.h>

#include "classify/diameter.h"
#include "classify/sms_addr.h"
#include "classify/tgpp.h"

#define FLAG_R 0x80u
#define VENDOR_3GPP 10415u

/* AVP codes (RFC 6733, RFC 4006, RFC 7155, TS 29.061). */
enum { AVP_FRAMED_IP = 8, AVP_TGPP_ULI = 22, AVP_CALLED = 30, AVP_FRAMED_V6 = 97,
       AVP_SESSION = 263, AVP_RESULT = 268, AVP_REQ_TYPE = 416, AVP_SUB_ID = 443,
       AVP_SUB_DATA = 444, AVP_SUB_TYPE = 450, AVP_UE_INFO = 458, AVP_UE_TYPE = 459,
       AVP_UE_VALUE = 460 };

/* Subscription-Id-Type (RFC 4006 section 8.47). */
enum { SUB_E164 = 0, SUB_IMSI = 1, SUB_SIP_URI = 2, SUB_NAI = 3 };

#define UE_IMEISV 0 /* User-Equipment-Info-Type (RFC 4006 section 8.50) */

bool diameter_gx_probe(struct span s)
{
    struct cursor c = cur_init(s.p, s.n);
    if (!diameter_probe(s))
        return false;
    cur_skip(&c, 5);
    uint32_t code = cur_be24(&c), app = cur_be32(&c);
    return cur_ok(&c) && code == DIAMETER_CMD_CC &&
           (app == DIAMETER_APP_GX || app == DIAMETER_APP_DCCA);
}

static uint32_t u32(struct cursor v) { return cur_left(&v) == 4 ? cur_be32(&v) : UINT32_MAX; }

static void sub_id(struct cursor g, struct gx_msg *m)
{
    uint32_t type = UINT32_MAX;
    struct span data = {NULL, 0};
    struct diameter_avp a;
    for (unsigned i = 0; i < GX_MAX_AVPS && diameter_avp_next(&g, &a) == PARSE_OK; i++) {
        if (a.code == AVP_SUB_TYPE && !a.vendor)
            type = u32(a.val);
        else if (a.code == AVP_SUB_DATA && !a.vendor)
            data = cur_rest(&a.val);
    }
    if (!data.p)
        return;
    switch (type) {
    case SUB_E164:
        tgpp_digits(data, m->msisdn, sizeof m->msisdn);
        break;
    case SUB_IMSI:
        tgpp_digits(data, m->imsi, sizeof m->imsi);
        break;
    case SUB_SIP_URI:
        m->cut |= !sms_addr_copy(data, m->sip_uri, sizeof m->sip_uri);
        break;
    case SUB_NAI:
        m->cut |= !sms_addr_copy(data, m->nai, sizeof m->nai);
        break;
    default:
        break;
    }
}

static void ue_info(struct cursor g, struct gx_msg *m)
{
    uint32_t type = UINT32_MAX;
    struct span val = {NULL, 0};
    struct diameter_avp a;
    for (unsigned i = 0; i < GX_MAX_AVPS && diameter_avp_next(&g, &a) == PARSE_OK; i++) {
        if (a.code == AVP_UE_TYPE && !a.vendor)
            type = u32(a.val);
        else if (a.code == AVP_UE_VALUE && !a.vendor)
            val = cur_rest(&a.val);
    }
    if (type != UE_IMEISV || !val.p)
        return;
    /* text digits, else TBCD (TS 23.003 section 6.2.2) */
    if (!tgpp_digits(val, m->imei, sizeof m->imei) && val.n == 8)
        tgpp_tbcd(val, TGPP_IMEI_MAX - 1, m->imei, sizeof m->imei);
}

static void framed_v6(struct cursor v, struct gx_msg *m)
{
    m->has_v6 = tgpp_framed_v6_prefix(v, m->v6, &m->v6_plen) || m->has_v6;
}

enum parse_rc diameter_gx_parse(struct cursor *c, struct gx_msg *out)
{
    memset(out, 0, sizeof *out);
    out->req_type = -1;
    out->result = -1;
    uint8_t ver = cur_u8(c);
    uint32_t len = cur_be24(c);
    uint8_t flags = cur_u8(c);
    uint32_t code = cur_be24(c);
    out->app = cur_be32(c);
    out->hbh = cur_be32(c);
    out->e2e = cur_be32(c);
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    if (ver != 1 || len < DIAMETER_HDR_LEN)
        return PARSE_INVALID;
    out->request = (flags & FLAG_R) != 0;
    struct cursor body;
    if (!cur_sub(c, len - DIAMETER_HDR_LEN, &body))
        return PARSE_TRUNCATED;
    if (code != DIAMETER_CMD_CC ||
        (out->app != DIAMETER_APP_GX && out->app != DIAMETER_APP_DCCA))
        return PARSE_OK;
    struct diameter_avp a;
    for (unsigned i = 0;; i++) {
        enum parse_rc rc = diameter_avp_next(&body, &a);
        if (rc == PARSE_NEED_MORE)
            break;
        if (rc != PARSE_OK)
            return PARSE_INVALID; /* the whole message was captured */
        if (i >= GX_MAX_AVPS) {
            out->avps_over_limit++;
            continue;
        }
        struct span s = cur_rest(&a.val);
        bool tgpp = a.vendor == VENDOR_3GPP;
        if (a.vendor && !tgpp)
            continue;
        switch (a.code) {
        case AVP_SESSION:
            if (!tgpp)
                out->cut |= !sms_addr_copy(s, out->session, sizeof out->session);
            break;
        case AVP_REQ_TYPE:
            if (!tgpp)
                out->req_type = (int)u32(a.val);
            break;
        case AVP_RESULT:
            if (!tgpp && s.n == 4)
                out->result = u32(a.val);
            break;
        case AVP_SUB_ID:
            if (!tgpp)
                sub_id(a.val, out);
            break;
        case AVP_UE_INFO:
            if (!tgpp)
                ue_info(a.val, out);
            break;
        case AVP_FRAMED_IP:
            if (!tgpp && s.n == 4) {
                cur_copy(&a.val, out->v4, 4);
                out->has_v4 = true;
            }
            break;
        case AVP_FRAMED_V6:
            if (!tgpp)
                framed_v6(a.val, out);
            break;
        case AVP_CALLED:
            if (!tgpp)
                out->cut |= !sms_addr_copy(s, out->apn, sizeof out->apn);
            break;
        case AVP_TGPP_ULI:
            if (tgpp)
                tgpp_uli_typed(s, out->cell, sizeof out->cell);
            break;
        default:
            break;
        }
    }
    return PARSE_OK;
}
