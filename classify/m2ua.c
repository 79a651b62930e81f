/* m2ua.c - M2UA DATA decoding (see m2ua.h). */
#include "classify/m2ua.h"

#include "classify/sms_addr.h"

#define M2UA_CLASS_MAUP 6
#define M2UA_TYPE_DATA 1
#define M2UA_TAG_IID_INT 0x0001
#define M2UA_TAG_PROTOCOL_DATA_1 0x0300
#define M2UA_TAG_PROTOCOL_DATA_2 0x0301

enum parse_rc m2ua_parse(struct cursor *c, struct m2ua_data *out)
{
    uint8_t ver = cur_u8(c);
    cur_skip(c, 1);
    uint8_t cls = cur_u8(c), type = cur_u8(c);
    uint32_t len = cur_be32(c);
    out->has_iid = false;
    out->iid = 0;
    out->mtp3 = cur_init(NULL, 0);
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    if (ver != 1 || len < 8)
        return PARSE_INVALID;
    bool cut;
    struct cursor body = cur_sub_clamped(c, len - 8u, &cut);
    if (cls != M2UA_CLASS_MAUP || type != M2UA_TYPE_DATA)
        return PARSE_NEED_MORE;
    struct sms_tlv t;
    for (unsigned i = 0; i < M2UA_MAX_PARAMS; i++) {
        enum parse_rc rc = sms_addr_tlv16(&body, true, true, &t);
        if (rc == PARSE_NEED_MORE)
            break;
        if (rc)
            return rc;
        if (t.tag == M2UA_TAG_IID_INT) {
            out->iid = cur_be32(&t.val);
            out->has_iid = cur_ok(&t.val);
        } else if (t.tag == M2UA_TAG_PROTOCOL_DATA_1 || t.tag == M2UA_TAG_PROTOCOL_DATA_2) {
            if (t.tag == M2UA_TAG_PROTOCOL_DATA_2)
                cur_skip(&t.val, 1); /* TTC priority */
            if (!cur_ok(&t.val) || cur_left(&t.val) == 0)
                return PARSE_TRUNCATED;
            out->mtp3 = t.val;
            return PARSE_OK;
        }
    }
    return cut ? PARSE_TRUNCATED : PARSE_INVALID;
}
