/* mtp3.c - MTP3 SIO and routing label (see mtp3.h). */
#include "classify/mtp3.h"

enum parse_rc mtp3_parse(struct cursor *c, enum mtp3_variant v, struct mtp3_msg *out)
{
    uint8_t sio = cur_u8(c);
    out->si = sio & 0x0f;
    out->ni = sio >> 6;
    if (v == MTP3_ITU) {
        uint32_t rl = cur_le32(c);
        out->dpc = rl & 0x3fff;
        out->opc = (rl >> 14) & 0x3fff;
        out->sls = (uint8_t)(rl >> 28);
    } else {
        /* each point code: member, cluster, network (least significant first) */
        uint8_t d[3] = {0}, o[3] = {0};
        cur_copy(c, d, 3);
        cur_copy(c, o, 3);
        out->dpc = (uint32_t)d[2] << 16 | (uint32_t)d[1] << 8 | d[0];
        out->opc = (uint32_t)o[2] << 16 | (uint32_t)o[1] << 8 | o[0];
        out->sls = cur_u8(c);
    }
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    cur_sub(c, cur_left(c), &out->payload);
    return PARSE_OK;
}
