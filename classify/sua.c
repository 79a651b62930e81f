/* sua.c - SUA CLDT decoding (see sua.h). */
#include "classify/sua.h"

#include <string.h>

#include "classify/sms_addr.h"

#define SUA_CLASS_CL 7
#define SUA_TYPE_CLDT 1
#define SUA_TAG_SRC_ADDR 0x0102
#define SUA_TAG_DST_ADDR 0x0103
#define SUA_TAG_DATA 0x010b
#define SUA_TAG_SEGMENTATION 0x0117
#define SUA_SUB_GT 0x8001
#define SUA_SUB_PC 0x8002
#define SUA_SUB_SSN 0x8003
/* GT digits per sub-parameter: Q.713 allows no more than the party-address
 * length; SMS_ADDR_MAX - 1 bounds the copy. */

static void address(struct cursor v, struct sccp_party *p)
{
    p->ssn = p->pc = -1;
    p->gti = 0;
    p->tt = p->np = p->nai = -1;
    p->gt[0] = '\0';
    cur_skip(&v, 4); /* routing indicator, address indicator */
    struct sms_tlv t;
    for (unsigned i = 0; i < SUA_MAX_PARAMS; i++) {
        if (sms_addr_tlv16(&v, true, true, &t) != PARSE_OK)
            return;
        if (t.tag == SUA_SUB_PC) {
            uint32_t pc = cur_be32(&t.val);
            if (cur_ok(&t.val))
                p->pc = (int)(pc & 0xffffff);
        } else if (t.tag == SUA_SUB_SSN) {
            cur_skip(&t.val, 3);
            uint8_t ssn = cur_u8(&t.val);
            if (cur_ok(&t.val))
                p->ssn = ssn;
        } else if (t.tag == SUA_SUB_GT) {
            cur_skip(&t.val, 3);
            uint8_t gti = cur_u8(&t.val), nd = cur_u8(&t.val);
            uint8_t tt = cur_u8(&t.val), np = cur_u8(&t.val), nai = cur_u8(&t.val);
            if (!cur_ok(&t.val))
                continue;
            p->gti = gti;
            p->tt = tt;
            p->np = np;
            p->nai = nai;
            sms_addr_tbcd(cur_rest(&t.val), nd, p->gt, sizeof p->gt);
        }
    }
}

enum parse_rc sua_parse(struct cursor *c, struct sccp_msg *out)
{
    memset(out, 0, sizeof *out);
    out->opc = out->dpc = -1;
    out->via = "sua";
    out->data = cur_init(NULL, 0);
    uint8_t ver = cur_u8(c);
    cur_skip(c, 1);
    uint8_t cls = cur_u8(c), type = cur_u8(c);
    uint32_t len = cur_be32(c);
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    if (ver != 1 || len < 8)
        return PARSE_INVALID;
    bool cut, have_data = false;
    struct cursor body = cur_sub_clamped(c, len - 8u, &cut);
    if (cls != SUA_CLASS_CL || type != SUA_TYPE_CLDT)
        return PARSE_NEED_MORE;
    address(cur_init(NULL, 0), &out->called);
    address(cur_init(NULL, 0), &out->calling);
    struct sms_tlv t;
    for (unsigned i = 0; i < SUA_MAX_PARAMS; i++) {
        enum parse_rc rc = sms_addr_tlv16(&body, true, true, &t);
        if (rc == PARSE_NEED_MORE)
            break;
        if (rc)
            return rc;
        if (t.tag == SUA_TAG_SRC_ADDR) {
            address(t.val, &out->calling);
        } else if (t.tag == SUA_TAG_DST_ADDR) {
            address(t.val, &out->called);
        } else if (t.tag == SUA_TAG_DATA) {
            out->data = t.val;
            have_data = true;
        } else if (t.tag == SUA_TAG_SEGMENTATION) {
            uint8_t b = cur_u8(&t.val);
            uint32_t ref = cur_be24(&t.val);
            if (cur_ok(&t.val)) {
                out->seg.present = true;
                out->seg.first = (b & 0x80) != 0;
                out->seg.remaining = b & 0x0f;
                out->seg.local_ref = ref;
            }
        }
    }
    if (have_data)
        return PARSE_OK;
    return cut ? PARSE_TRUNCATED : PARSE_INVALID;
}
