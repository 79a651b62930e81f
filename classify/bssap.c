/* bssap.c - BSSAP DTAP / Complete Layer 3 (see bssap.h). */
#include "classify/bssap.h"

#define BSSAP_BSSMAP 0x00
#define BSSAP_DTAP 0x01
#define BSSMAP_COMPLETE_L3 0x57
#define BSSMAP_IEI_CELL_ID 0x05
#define BSSMAP_IEI_L3_INFO 0x17

enum parse_rc bssap_l3(struct cursor *c, struct cursor *l3, bool *initial)
{
    *initial = false;
    *l3 = cur_init(NULL, 0);
    uint8_t disc = cur_u8(c);
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    if (disc == BSSAP_DTAP) {
        cur_skip(c, 1); /* DLCI */
        if (!cur_sub(c, cur_u8(c), l3))
            return PARSE_TRUNCATED;
        return PARSE_OK;
    }
    if (disc != BSSAP_BSSMAP)
        return PARSE_INVALID;
    struct cursor m;
    if (!cur_sub(c, cur_u8(c), &m))
        return PARSE_TRUNCATED;
    uint8_t type = cur_u8(&m);
    if (!cur_ok(&m))
        return PARSE_TRUNCATED;
    if (type != BSSMAP_COMPLETE_L3)
        return PARSE_NEED_MORE;
    for (unsigned i = 0; i < BSSAP_MAX_IES && cur_left(&m); i++) {
        uint8_t iei = cur_u8(&m);
        struct cursor v;
        if (!cur_sub(&m, cur_u8(&m), &v))
            return PARSE_TRUNCATED;
        if (iei == BSSMAP_IEI_L3_INFO) {
            *l3 = v;
            *initial = true;
            return PARSE_OK;
        }
    }
    return cur_ok(&m) ? PARSE_NEED_MORE : PARSE_TRUNCATED;
}
