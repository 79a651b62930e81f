/* m3ua.c - M3UA DATA decoding (see m3ua.h). */
#include "classify/m3ua.h"

#include "classify/sms_addr.h"

#define M3UA_CLASS_TRANSFER 1
#define M3UA_TYPE_DATA 1
#define M3UA_TAG_PROTOCOL_DATA 0x0210

enum parse_rc m3ua_parse(struct cursor *c, struct m3ua_data *out)
{
    uint8_t ver = cur_u8(c);
    cur_skip(c, 1);
    uint8_t cls = cur_u8(c), type = cur_u8(c);
    uint32_t len = cur_be32(c);
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    if (ver != M3UA_VERSION || len < 8)
        return PARSE_INVALID;
    bool cut;
    struct cursor body = cur_sub_clamped(c, len - 8u, &cut);
    if (cls != M3UA_CLASS_TRANSFER || type != M3UA_TYPE_DATA)
        return PARSE_NEED_MORE;
    struct sms_tlv t;
    for (unsigned i = 0; i < M3UA_MAX_PARAMS; i++) {
        enum parse_rc rc = sms_addr_tlv16(&body, true, true, &t);
        if (rc == PARSE_NEED_MORE)
            break;
        if (rc)
            return rc;
        if (t.tag != M3UA_TAG_PROTOCOL_DATA)
            continue;
        out->opc = cur_be32(&t.val);
        out->dpc = cur_be32(&t.val);
        out->si = cur_u8(&t.val);
        cur_skip(&t.val, 3); /* NI, MP, SLS */
        if (!cur_ok(&t.val))
            return PARSE_TRUNCATED;
        out->payload = t.val;
        return PARSE_OK;
    }
    return cut ? PARSE_TRUNCATED : PARSE_INVALID;
}
