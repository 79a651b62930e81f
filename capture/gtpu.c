/* gtpu.c - GTP-U v1 header decoding.
 *
 * Spec: 3GPP TS 29.281 section 5.1 (header), 5.2 (extension headers),
 * 6.1 (message types: 1 echo request, 2 echo response, 26 error indication,
 * 31 supported extension headers notification, 254 end marker, 255 G-PDU).
 *
 *    Bits  8   7   6   5   4   3   2   1
 *        +-----------+---+---+---+---+---+
 *   1    | Version=1 |PT | * | E | S |PN |
 *   2    |        Message Type           |
 *   3-4  |  Length (octets after the mandatory 8, incl. optional fields)
 *   5-8  |  Tunnel Endpoint Identifier   |
 *   9-10 |  Sequence Number      (present in the header when any of E, S, PN)
 *   11   |  N-PDU Number         (   "    )
 *   12   |  Next Extension Header Type (  "  ; meaningful only when E = 1)
 *        +-------------------------------+
 * Extension header (section 5.2.1), repeated while the next type is not 0:
 *   | Length (4-octet units, > 0) | contents ... | Next Extension Header Type |
 */
#include "capture/gtpu.h"

#define GTPU_HDR_LEN 8
#define GTPU_OPT_LEN 4       /* sequence, N-PDU, next extension type */
#define GTPU_VERSION 1
#define GTPU_FLAG_PT 0x10u   /* 1 = GTP, 0 = GTP' */
#define GTPU_FLAG_E 0x04u
#define GTPU_FLAGS_OPT 0x07u /* E | S | PN */
#define GTPU_TYPE_GPDU 0xffu
#define GTPU_EXT_UNIT 4

enum parse_rc gtpu_decode(struct cursor *c, uint32_t claimed, struct gtpu_info *out)
{
    out->gpdu = false;
    out->cut = false;
    out->inner = cur_init(NULL, 0);
    size_t captured = cur_left(c);
    uint8_t flags = cur_u8(c);
    uint8_t type = cur_u8(c);
    uint16_t len = cur_be16(c);
    uint32_t teid = cur_be32(c);
    if (!cur_ok(c))
        return captured < claimed ? PARSE_TRUNCATED : PARSE_INVALID;
    if (flags >> 5 != GTPU_VERSION || !(flags & GTPU_FLAG_PT))
        return PARSE_INVALID;
    out->msg_type = type;
    out->teid = teid;
    if (type != GTPU_TYPE_GPDU)
        return PARSE_OK;
    if (claimed < GTPU_HDR_LEN || len > claimed - GTPU_HDR_LEN)
        return PARSE_INVALID;

    bool cut;
    struct cursor body = cur_sub_clamped(c, len, &cut);
    out->cut = cut;
    if (flags & GTPU_FLAGS_OPT) {
        if (len < GTPU_OPT_LEN)
            return PARSE_INVALID;
        cur_skip(&body, 3); /* sequence number, N-PDU number */
        uint8_t next = cur_u8(&body);
        if (!(flags & GTPU_FLAG_E))
            next = 0;
        for (unsigned n = 0; next != 0 && cur_ok(&body); n++) {
            if (n >= GTPU_MAX_EXT)
                return PARSE_INVALID;
            uint8_t units = cur_u8(&body);
            if (!cur_ok(&body))
                break;
            if (units == 0)
                return PARSE_INVALID; /* would not advance */
            cur_skip(&body, (size_t)units * GTPU_EXT_UNIT - 2); /* contents */
            next = cur_u8(&body);
        }
        if (!cur_ok(&body))
            return cut ? PARSE_TRUNCATED : PARSE_INVALID;
    }
    struct span rest = cur_rest(&body);
    out->inner = cur_init(rest.p, rest.n);
    out->gpdu = true;
    return PARSE_OK;
}
