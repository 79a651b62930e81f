/* sccp.c - SCCP UDT/XUDT decoding (see sccp.h). */
#include "classify/sccp.h"

#include <string.h>

#include "classify/sms_addr.h"

#define SCCP_UDT 0x09
#define SCCP_XUDT 0x11

static void party(struct cursor v, struct sccp_party *p)
{
    p->ssn = -1;
    p->gt[0] = '\0';
    uint8_t ai = cur_u8(&v);
    if (ai & 0x01)
        cur_skip(&v, 2); /* ITU point code */
    if (ai & 0x02)
        p->ssn = cur_u8(&v);
    unsigned gti = (ai >> 2) & 0x0f;
    static const uint8_t gt_hdr[5] = {0, 1, 1, 2, 3}; /* octets before the digits */
    if (gti == 0 || gti > 4 || !cur_ok(&v))
        return;
    if (!cur_skip(&v, gt_hdr[gti]))
        return;
    sms_addr_tbcd(cur_rest(&v), sizeof p->gt - 1, p->gt, sizeof p->gt);
}

/* The variable part a pointer at offset at (in m) designates. */
static enum parse_rc variable(struct cursor m, size_t at, bool ptr16, struct cursor *out)
{
    struct cursor c = m;
    cur_skip(&c, at);
    size_t ptr = ptr16 ? cur_le16(&c) : cur_u8(&c);
    if (!cur_ok(&c))
        return PARSE_TRUNCATED;
    if (ptr == 0)
        return PARSE_INVALID;
    c = m;
    if (!cur_skip(&c, at + ptr))
        return PARSE_TRUNCATED;
    size_t len = cur_u8(&c);
    if (!cur_sub(&c, len, out))
        return PARSE_TRUNCATED;
    return PARSE_OK;
}

enum parse_rc sccp_parse(struct cursor *c, struct sccp_msg *out)
{
    memset(out, 0, sizeof *out);
    struct cursor m = *c;
    out->type = cur_u8(c);
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    size_t first;
    if (out->type == SCCP_UDT)
        first = 2;
    else if (out->type == SCCP_XUDT)
        first = 3;
    else
        return PARSE_NEED_MORE;
    struct cursor cd, cg;
    enum parse_rc rc;
    if ((rc = variable(m, first, false, &cd)) || (rc = variable(m, first + 1, false, &cg)) ||
        (rc = variable(m, first + 2, false, &out->data)))
        return rc;
    party(cd, &out->called);
    party(cg, &out->calling);
    return PARSE_OK;
}
