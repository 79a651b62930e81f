/* ber.c - bounded BER reader (see ber.h). */
#include "classify/ber.h"

enum parse_rc ber_next(struct cursor *c, struct ber_tlv *out)
{
    if (cur_left(c) == 0)
        return cur_ok(c) ? PARSE_NEED_MORE : PARSE_TRUNCATED;
    out->id = cur_u8(c);
    out->constructed = (out->id & 0x20) != 0;
    out->tag = out->id & 0x1fu;
    if (out->tag == 0x1f) {
        out->tag = 0;
        for (unsigned i = 0;; i++) {
            if (i == BER_MAX_TAG_OCTETS)
                return PARSE_INVALID;
            uint8_t b = cur_u8(c);
            if (!cur_ok(c))
                return PARSE_TRUNCATED;
            out->tag = out->tag << 7 | (b & 0x7fu);
            if (!(b & 0x80))
                break;
        }
    }
    uint8_t l = cur_u8(c);
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    size_t len = l;
    if (l == 0x80)
        return PARSE_INVALID; /* indefinite form: refused */
    if (l & 0x80) {
        unsigned n = l & 0x7fu;
        if (n > BER_MAX_LEN_OCTETS)
            return PARSE_INVALID;
        len = 0;
        for (unsigned i = 0; i < n; i++)
            len = len << 8 | cur_u8(c);
        if (!cur_ok(c))
            return PARSE_TRUNCATED;
    }
    if (!cur_sub(c, len, &out->val))
        return PARSE_TRUNCATED;
    return PARSE_OK;
}

enum parse_rc ber_find(struct cursor c, uint8_t id, struct ber_tlv *out)
{
    for (;;) {
        enum parse_rc rc = ber_next(&c, out);
        if (rc)
            return rc;
        if (out->id == id)
            return PARSE_OK;
    }
}

enum parse_rc ber_descend(struct cursor c, const uint8_t *path, unsigned depth,
                          struct ber_tlv *out)
{
    if (depth == 0 || depth > BER_MAX_DEPTH)
        return PARSE_INVALID;
    for (unsigned i = 0; i < depth; i++) {
        enum parse_rc rc = ber_find(c, path[i], out);
        if (rc)
            return rc;
        c = out->val;
    }
    return PARSE_OK;
}

bool ber_int(struct cursor v, int64_t *out)
{
    size_t n = cur_left(&v);
    if (n < 1 || n > 8)
        return false;
    uint64_t u = (cur_peek(&v, 0) & 0x80) ? UINT64_MAX : 0;
    for (size_t i = 0; i < n; i++)
        u = u << 8 | cur_u8(&v);
    *out = (int64_t)u;
    return true;
}
