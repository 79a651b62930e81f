/* dtap_sms.c - CP / RP layer SMS decoding (see dtap_sms.h). */
#include "classify/dtap_sms.h"

#include <stdio.h>
#include <string.h>

#include "capture/str.h"
#include "classify/sms_tpdu.h"

/* 24.008 section 10.5.1.4: IMSI and IMEI are at most 15 digits, IMEISV 16. */
#define DTAP_IMSI_DIGITS 15
#define DTAP_IMEISV_DIGITS 16
#define DTAP_MI_IMSI 1
#define DTAP_MI_IMEI 2
#define DTAP_MI_IMEISV 3
#define DTAP_MI_TMSI 4

int dtap_sms_mobile_identity(struct span v, char *out, size_t out_size)
{
    out[0] = '\0';
    if (v.n == 0 || out_size < 2)
        return -1;
    uint8_t b0 = span_at(v, 0);
    int type = b0 & 0x07;
    if (type == DTAP_MI_TMSI && v.n == 5 && out_size > 8) {
        snprintf(out, out_size, "%02x%02x%02x%02x", span_at(v, 1), span_at(v, 2), span_at(v, 3),
                 span_at(v, 4));
        return type;
    }
    if (type != DTAP_MI_IMSI && type != DTAP_MI_IMEI && type != DTAP_MI_IMEISV)
        return type;
    bool odd = (b0 & 0x08) != 0;
    size_t digits = 1 + (v.n - 1) * 2 - (odd ? 0 : 1);
    size_t most = type == DTAP_MI_IMEISV ? DTAP_IMEISV_DIGITS : DTAP_IMSI_DIGITS;
    if (digits > most)
        digits = most;
    out[0] = (char)('0' + ((b0 >> 4) > 9 ? 0 : (b0 >> 4)));
    struct span rest = {v.p + 1, v.n - 1};
    sms_addr_tbcd(rest, digits - 1, out + 1, out_size - 1);
    return type;
}

#define DTAP_PD_MM 0x05
#define DTAP_PD_RR 0x06
#define DTAP_MM_LU_REQUEST 0x08
#define DTAP_MM_CM_SERVICE_REQUEST 0x24
#define DTAP_RR_PAGING_RESPONSE 0x27

uint64_t dtap_sms_imsi_key(const char *imsi)
{
    uint64_t h = 1469598103934665603ull;
    for (const char *p = imsi; *p; p++)
        h = (h ^ (uint8_t)*p) * 1099511628211ull;
    return h;
}

int dtap_sms_l3_identity(struct cursor l3, char *out, size_t out_size)
{
    out[0] = '\0';
    uint8_t pd = cur_u8(&l3) & 0x0f, type = cur_u8(&l3) & 0x3f;
    if (!cur_ok(&l3))
        return -1;
    struct cursor skip, mi;
    if (pd == DTAP_PD_MM && type == DTAP_MM_CM_SERVICE_REQUEST) {
        cur_skip(&l3, 1);
        cur_sub(&l3, cur_u8(&l3), &skip); /* classmark 2 */
    } else if (pd == DTAP_PD_MM && type == DTAP_MM_LU_REQUEST) {
        cur_skip(&l3, 1 + 5 + 1);
    } else if (pd == DTAP_PD_RR && type == DTAP_RR_PAGING_RESPONSE) {
        cur_skip(&l3, 1);
        cur_sub(&l3, cur_u8(&l3), &skip);
    } else {
        return -1;
    }
    if (!cur_sub(&l3, cur_u8(&l3), &mi))
        return -1;
    return dtap_sms_mobile_identity(cur_rest(&mi), out, out_size);
}

static void rp_data_event(const struct rp_info *rp, const struct dtap_sms_ctx *x,
                          struct sms_event *ev)
{
    static const char *const ops[] = {"deliver", "submit", "status-report", "command", "report"};
    bool mo = rp->mti == RP_DATA_MS_N;
    sms_tpdu_to_event(&rp->tp, ev);
    snprintf(ev->operation, sizeof ev->operation, "%s", ops[rp->tp.type]);
    snprintf(ev->direction, sizeof ev->direction, "%s", mo ? "mo" : "mt");
    str_copy(ev->imsi, sizeof ev->imsi, x->imsi);
    if (mo) {
        str_copy(ev->originator, sizeof ev->originator, x->imsi);
        str_copy(ev->smsc, sizeof ev->smsc, rp->da);
    } else {
        str_copy(ev->recipient, sizeof ev->recipient, x->imsi);
        str_copy(ev->smsc, sizeof ev->smsc, rp->oa);
    }
}

int dtap_sms_parse(struct cursor *nas, const struct dtap_sms_ctx *x, uint64_t ts_us,
                   sms_leg_fn fn, void *user)
{
    uint8_t pd = cur_u8(nas), type = cur_u8(nas);
    if (!cur_ok(nas))
        return PARSE_TRUNCATED;
    if ((pd & 0x0f) != DTAP_PD_SMS)
        return PARSE_INVALID;
    if (type == DTAP_CP_ACK || type == DTAP_CP_ERROR)
        return 0;
    if (type != DTAP_CP_DATA)
        return PARSE_INVALID;
    struct cursor rpdu;
    if (!cur_sub(nas, cur_u8(nas), &rpdu))
        return PARSE_TRUNCATED;
    struct rp_info rp;
    enum parse_rc rc = sms_tpdu_rp_parse(&rpdu, &rp);
    if (rc)
        return rc;
    struct sms_leg leg;
    memset(&leg, 0, sizeof leg);
    sms_addr_event_init(&leg.ev, x->protocol, ts_us);
    leg.key1 = x->key;
    snprintf(leg.ev.detail, sizeof leg.ev.detail, "%s", x->detail ? x->detail : "");
    switch (rp.mti) {
    case RP_DATA_MS_N:
    case RP_DATA_N_MS:
        if (!rp.has_tpdu)
            return 0;
        leg.kind = SMS_LEG_REQUEST;
        /* the answer travels the other way: key on the data's direction */
        leg.key2 = rp.mr | (uint64_t)(rp.mti == RP_DATA_MS_N) << 8;
        rp_data_event(&rp, x, &leg.ev);
        fn(&leg, user);
        return 1;
    case RP_ACK_MS_N:
    case RP_ACK_N_MS:
    case RP_ERROR_MS_N:
    case RP_ERROR_N_MS:
        leg.kind = SMS_LEG_RESPONSE;
        /* an MS->N answer acknowledges N->MS data and vice versa */
        leg.key2 = rp.mr | (uint64_t)(rp.mti == RP_ACK_N_MS || rp.mti == RP_ERROR_N_MS) << 8;
        if (rp.cause >= 0)
            snprintf(leg.ev.status, sizeof leg.ev.status, "error %d", rp.cause);
        else
            snprintf(leg.ev.status, sizeof leg.ev.status, "ok");
        leg.ev.detail[0] = '\0';
        fn(&leg, user);
        return 1;
    default:
        return 0; /* RP-SMMA: memory available, no transfer */
    }
}
