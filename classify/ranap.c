/* ranap.c - RANAP NAS-PDU extraction (see ranap.h). */
#include "classify/ranap.h"

#define RANAP_IE_NAS_PDU 16

/* An aligned-PER length determinant (X.691 section 10.9.3.6-7). */
static bool per_len(struct cursor *c, size_t *len)
{
    uint8_t b = cur_u8(c);
    if ((b & 0x80) == 0) {
        *len = b;
    } else if ((b & 0xc0) == 0x80) {
        *len = (size_t)(b & 0x3f) << 8 | cur_u8(c);
    } else {
        return false; /* fragmented: 16K and more, never a NAS message */
    }
    return cur_ok(c);
}

static enum parse_rc open_type(struct cursor *c, struct cursor *out)
{
    size_t n;
    if (!per_len(c, &n))
        return cur_ok(c) ? PARSE_INVALID : PARSE_TRUNCATED;
    return cur_sub(c, n, out) ? PARSE_OK : PARSE_TRUNCATED;
}

enum parse_rc ranap_nas_pdu(struct cursor *c, struct cursor *nas, bool *initial)
{
    *nas = cur_init(NULL, 0);
    *initial = false;
    uint8_t choice = cur_u8(c);
    uint8_t proc = cur_u8(c);
    cur_skip(c, 1); /* criticality */
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    if (choice & 0x80)
        return PARSE_INVALID; /* extension choice: not in TS 25.413 */
    if ((choice >> 5) != 0 || (proc != RANAP_PROC_INITIAL_UE && proc != RANAP_PROC_DIRECT_TRANSFER))
        return PARSE_NEED_MORE; /* outcomes, other procedures */
    struct cursor msg;
    enum parse_rc rc = open_type(c, &msg);
    if (rc)
        return rc;
    cur_skip(&msg, 1); /* extension and optional bits */
    uint16_t count = cur_be16(&msg);
    if (!cur_ok(&msg))
        return PARSE_TRUNCATED;
    for (unsigned i = 0; i < count && i < RANAP_MAX_IES; i++) {
        uint16_t id = cur_be16(&msg);
        cur_skip(&msg, 1); /* criticality */
        struct cursor v;
        if (!cur_ok(&msg))
            return PARSE_TRUNCATED;
        if ((rc = open_type(&msg, &v)))
            return rc;
        if (id != RANAP_IE_NAS_PDU)
            continue;
        if ((rc = open_type(&v, nas)))
            return rc;
        *initial = proc == RANAP_PROC_INITIAL_UE;
        return PARSE_OK;
    }
    return PARSE_NEED_MORE;
}
