/* m2pa.c - M2PA User Data decoding (see m2pa.h). */
#include "classify/m2pa.h"

#define M2PA_CLASS 11
#define M2PA_TYPE_USER_DATA 1
#define M2PA_HDR 16 /* common header 8 + BSN 4 + FSN 4 */

enum parse_rc m2pa_parse(struct cursor *c, struct m2pa_msg *out)
{
    uint8_t ver = cur_u8(c);
    cur_skip(c, 1);
    uint8_t cls = cur_u8(c);
    out->type = cur_u8(c);
    uint32_t len = cur_be32(c);
    out->bsn = cur_be32(c) & 0xffffff;
    out->fsn = cur_be32(c) & 0xffffff;
    out->mtp3 = cur_init(NULL, 0);
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    if (ver != 1 || cls != M2PA_CLASS || len < M2PA_HDR)
        return PARSE_INVALID;
    bool cut;
    struct cursor body = cur_sub_clamped(c, len - M2PA_HDR, &cut);
    if (out->type != M2PA_TYPE_USER_DATA || (!cut && len == M2PA_HDR))
        return PARSE_NEED_MORE; /* an empty User Data only acknowledges */
    cur_skip(&body, 1); /* priority (RFC 4165 section 2.3.1) */
    if (!cur_ok(&body) || cur_left(&body) == 0 || cut)
        return PARSE_TRUNCATED;
    out->mtp3 = body;
    return PARSE_OK;
}
