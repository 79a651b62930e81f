/* sccp.c - SCCP UDT/XUDT/LUDT decoding (see sccp.h). */
#include "classify/sccp.h"

#include <string.h>

#include "classify/sms_addr.h"

#define SCCP_OPT_SEGMENTATION 0x10 /* Q.713 section 3.17 */
#define SCCP_OPT_END 0x00
/* Encoding schemes (Q.713 section 3.4.2.3.3): 1 BCD odd, 2 BCD even. */
#define SCCP_ES_BCD_ODD 1

/* Digits of a GT: n octets of swapped BCD; odd drops the last high nibble
 * (a filler, whatever its value: Q.713 section 3.4.2.3.1). */
static void gt_digits(struct cursor v, bool odd, struct sccp_party *p)
{
    struct span d = cur_rest(&v);
    size_t max = d.n * 2;
    if (odd && max)
        max--;
    sms_addr_tbcd(d, max, p->gt, sizeof p->gt);
}

void sccp_party_parse(struct cursor v, struct sccp_party *p)
{
    p->ssn = p->pc = -1;
    p->gti = 0;
    p->tt = p->np = p->nai = -1;
    p->gt[0] = '\0';
    uint8_t ai = cur_u8(&v);
    if (ai & 0x01)
        p->pc = cur_le16(&v) & 0x3fff;
    if (ai & 0x02)
        p->ssn = cur_u8(&v);
    unsigned gti = (ai >> 2) & 0x0f;
    if (!cur_ok(&v)) {
        p->ssn = p->pc = -1;
        return;
    }
    bool odd = false;
    uint8_t b;
    switch (gti) {
    case 1: /* odd/even bit 8, NAI bits 7-1 */
        b = cur_u8(&v);
        odd = (b & 0x80) != 0;
        p->nai = b & 0x7f;
        break;
    case 2: /* TT only: no odd/even indication, a 0xF filler ends the digits */
        p->tt = cur_u8(&v);
        break;
    case 3:
    case 4:
        p->tt = cur_u8(&v);
        b = cur_u8(&v);
        p->np = b >> 4;
        odd = (b & 0x0f) == SCCP_ES_BCD_ODD;
        if (gti == 4)
            p->nai = cur_u8(&v) & 0x7f;
        break;
    default:
        return; /* 0: no GT; 5-15 spare/national */
    }
    if (!cur_ok(&v)) {
        p->tt = p->np = p->nai = -1;
        return;
    }
    p->gti = (int)gti;
    gt_digits(v, odd, p);
}

/* The variable part a pointer at offset at (in m) designates; LUDT uses
 * 2-octet pointers, and a 2-octet length for its data part (long_len). */
static enum parse_rc variable(struct cursor m, size_t at, bool ptr16, bool long_len,
                              struct cursor *out)
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
    size_t len = long_len ? cur_le16(&c) : cur_u8(&c);
    if (!cur_sub(&c, len, out))
        return PARSE_TRUNCATED;
    return PARSE_OK;
}

/* Optional part of XUDT / LUDT: name, length, value ... end of optional
 * parameters (0).  Only Segmentation is kept. */
static enum parse_rc optional(struct cursor m, size_t at, bool ptr16, struct sccp_segment *seg)
{
    struct cursor c = m;
    cur_skip(&c, at);
    size_t ptr = ptr16 ? cur_le16(&c) : cur_u8(&c);
    if (!cur_ok(&c))
        return PARSE_TRUNCATED;
    if (ptr == 0)
        return PARSE_OK; /* no optional part */
    c = m;
    if (!cur_skip(&c, at + ptr))
        return PARSE_TRUNCATED;
    for (unsigned i = 0; i < SCCP_MAX_OPTIONAL; i++) {
        uint8_t name = cur_u8(&c);
        if (!cur_ok(&c))
            return PARSE_TRUNCATED;
        if (name == SCCP_OPT_END)
            return PARSE_OK;
        struct cursor v;
        if (!cur_sub(&c, cur_u8(&c), &v))
            return PARSE_TRUNCATED;
        if (name != SCCP_OPT_SEGMENTATION)
            continue;
        uint8_t b = cur_u8(&v);
        /* the local reference is sent least significant octet first, as
         * the connection-oriented local references are (Wireshark agrees) */
        uint32_t ref = cur_u8(&v);
        ref |= (uint32_t)cur_u8(&v) << 8;
        ref |= (uint32_t)cur_u8(&v) << 16;
        if (!cur_ok(&v))
            return PARSE_INVALID; /* Q.713: the value is exactly 4 octets */
        seg->present = true;
        seg->first = (b & 0x80) != 0;
        seg->remaining = b & 0x0f;
        seg->local_ref = ref;
    }
    return PARSE_OK;
}

enum parse_rc sccp_parse(struct cursor *c, struct sccp_msg *out)
{
    memset(out, 0, sizeof *out);
    out->opc = out->dpc = -1;
    struct cursor m = *c;
    out->type = cur_u8(c);
    out->pclass = cur_u8(c);
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    size_t first, w = 1;
    bool p16 = false;
    if (out->type == SCCP_UDT) {
        first = 2;
    } else if (out->type == SCCP_XUDT) {
        first = 3;
    } else if (out->type == SCCP_LUDT) {
        first = 3;
        w = 2;
        p16 = true;
    } else {
        return PARSE_NEED_MORE;
    }
    struct cursor cd, cg;
    enum parse_rc rc;
    if ((rc = variable(m, first, p16, false, &cd)) ||
        (rc = variable(m, first + w, p16, false, &cg)) ||
        (rc = variable(m, first + 2 * w, p16, p16, &out->data)))
        return rc;
    if (out->type != SCCP_UDT && (rc = optional(m, first + 3 * w, p16, &out->seg)))
        return rc;
    sccp_party_parse(cd, &out->called);
    sccp_party_parse(cg, &out->calling);
    return PARSE_OK;
}

#define SCCP_OPT_DATA 0x0f /* Q.713 section 3.16 */

static uint32_t local_ref(struct cursor *c)
{
    uint32_t r = cur_u8(c);
    r |= (uint32_t)cur_u8(c) << 8;
    r |= (uint32_t)cur_u8(c) << 16;
    return r;
}

/* The optional part at pointer offset at: keeps the data parameter. */
static enum parse_rc co_optional(struct cursor m, size_t at, struct sccp_co *out)
{
    struct cursor c = m;
    cur_skip(&c, at);
    size_t ptr = cur_u8(&c);
    if (!cur_ok(&c))
        return PARSE_TRUNCATED;
    if (ptr == 0)
        return PARSE_OK;
    c = m;
    if (!cur_skip(&c, at + ptr))
        return PARSE_TRUNCATED;
    for (unsigned i = 0; i < SCCP_MAX_OPTIONAL; i++) {
        uint8_t name = cur_u8(&c);
        if (!cur_ok(&c))
            return PARSE_TRUNCATED;
        if (name == SCCP_OPT_END)
            return PARSE_OK;
        struct cursor v;
        if (!cur_sub(&c, cur_u8(&c), &v))
            return PARSE_TRUNCATED;
        if (name == SCCP_OPT_DATA) {
            out->data = v;
            out->has_data = true;
        }
    }
    return PARSE_OK;
}

enum parse_rc sccp_co_parse(struct cursor *c, struct sccp_co *out)
{
    memset(out, 0, sizeof *out);
    out->called.ssn = out->called.pc = -1;
    out->data = cur_init(NULL, 0);
    struct cursor m = *c;
    out->type = cur_u8(c);
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    enum parse_rc rc;
    struct cursor cd;
    switch (out->type) {
    case SCCP_CR:
        out->src_ref = local_ref(c);
        out->has_src = true;
        cur_skip(c, 1); /* protocol class */
        if (!cur_ok(c))
            return PARSE_TRUNCATED;
        if ((rc = variable(m, 5, false, false, &cd)))
            return rc;
        sccp_party_parse(cd, &out->called);
        return co_optional(m, 6, out);
    case SCCP_CC:
    case SCCP_RLSD:
        out->dst_ref = local_ref(c);
        out->src_ref = local_ref(c);
        out->has_src = out->has_dst = true;
        cur_skip(c, 1); /* class / release cause */
        if (!cur_ok(c))
            return PARSE_TRUNCATED;
        return co_optional(m, 8, out);
    case SCCP_CREF:
    case SCCP_RLC:
        out->dst_ref = local_ref(c);
        out->has_dst = true;
        if (out->type == SCCP_RLC) {
            out->src_ref = local_ref(c);
            out->has_src = true;
        }
        return cur_ok(c) ? PARSE_OK : PARSE_TRUNCATED;
    case SCCP_DT1:
        out->dst_ref = local_ref(c);
        out->has_dst = true;
        cur_skip(c, 1); /* segmenting / reassembling */
        if (!cur_ok(c))
            return PARSE_TRUNCATED;
        if ((rc = variable(m, 5, false, false, &out->data)))
            return rc;
        out->has_data = true;
        return PARSE_OK;
    default:
        return PARSE_NEED_MORE;
    }
}
