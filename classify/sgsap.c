/* sgsap.c - SGsAP Unitdata decoding (see sgsap.h). */
#include "classify/sgsap.h"

#include <stdio.h>

#include "classify/dtap_sms.h"

#define SGSAP_IEI_IMSI 0x01
#define SGSAP_IEI_NAS_CONTAINER 0x16
/* Highest message type TS 29.118 section 9.2 assigns (UE-Unreachable). */
#define SGSAP_MAX_TYPE 0x1f

bool sgsap_probe(struct span s)
{
    uint8_t t = span_at(s, 0);
    /* RESET-INDICATION / RESET-ACK (0x15, 0x16) and STATUS (0x1d) carry no IMSI */
    if (s.n < 3 || t == 0 || t > SGSAP_MAX_TYPE)
        return false;
    if (t == 0x15 || t == 0x16 || t == 0x1d)
        return true;
    return span_at(s, 1) == SGSAP_IEI_IMSI && span_at(s, 2) >= 4 && span_at(s, 2) <= 8 &&
           (span_at(s, 3) & 0x07) == 1;
}

int sgsap_parse(struct cursor *c, uint64_t ts_us, sms_leg_fn fn, void *user)
{
    uint8_t type = cur_u8(c);
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    if (type == 0 || type > SGSAP_MAX_TYPE)
        return PARSE_INVALID;
    char imsi[SMS_ADDR_MAX] = "";
    struct cursor nas = cur_init(NULL, 0);
    bool have_nas = false;
    for (unsigned i = 0; i < SGSAP_MAX_IES && cur_left(c); i++) {
        uint8_t iei = cur_u8(c);
        struct cursor v;
        if (!cur_sub(c, cur_u8(c), &v))
            return PARSE_TRUNCATED;
        if (iei == SGSAP_IEI_IMSI)
            dtap_sms_mobile_identity(cur_rest(&v), imsi, sizeof imsi);
        else if (iei == SGSAP_IEI_NAS_CONTAINER) {
            nas = v;
            have_nas = true;
        }
    }
    if (!have_nas || (type != SGSAP_UPLINK_UNITDATA && type != SGSAP_DOWNLINK_UNITDATA))
        return 0;
    char detail[32];
    snprintf(detail, sizeof detail, "%s", type == SGSAP_UPLINK_UNITDATA ? "uplink-unitdata"
                                                                         : "downlink-unitdata");
    struct dtap_sms_ctx x = {"sgsap", imsi, dtap_sms_imsi_key(imsi), detail};
    return dtap_sms_parse(&nas, &x, ts_us, fn, user);
}
