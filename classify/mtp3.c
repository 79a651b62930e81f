/* mtp3.c - MTP3 SIO and routing label (see mtp3.h). */
#include "classify/mtp3.h"

#include "capture/mtp.h"

enum parse_rc mtp3_parse(struct cursor *c, enum mtp3_variant v, struct mtp3_msg *out)
{
    if (v == MTP3_ITU) { /* the label the SS7 link types key flows by */
        struct mtp_label l;
        if (mtp_itu_label(c, &l) != PARSE_OK)
            return PARSE_TRUNCATED;
        out->si = l.si;
        out->ni = l.ni;
        out->dpc = l.dpc;
        out->opc = l.opc;
        out->sls = l.sls;
    } else {
        uint8_t sio = cur_u8(c);
        out->si = sio & 0x0f;
        out->ni = sio >> 6;
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
