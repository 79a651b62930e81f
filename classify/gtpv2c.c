/* gtpv2c.c - GTPv2-C decoding (see gtpv2c.h). */
#include "classify/gtpv2c.h"

#include <string.h>

#define V2_VERSION 2
#define V2_FLAG_P 0x10u
#define V2_FLAG_T 0x08u
#define V2_HDR_MIN 8   /* without TEID */
#define V2_HDR_TEID 12 /* with TEID */

/* IE types (TS 29.274 table 8.1-1). */
enum { IE_IMSI = 1, IE_CAUSE = 2, IE_APN = 71, IE_EBI = 73, IE_MEI = 75, IE_MSISDN = 76, IE_PAA = 79,
       IE_RAT = 82, IE_ULI = 86, IE_FTEID = 87, IE_BEARER_CTX = 93 };

/* PAA PDN types (TS 29.274 section 8.14). */
enum { PDN_V4 = 1, PDN_V6 = 2, PDN_V4V6 = 3 };

bool gtpv2c_probe(struct span s)
{
    struct cursor c = cur_init(s.p, s.n);
    uint8_t flags = cur_u8(&c), type = cur_u8(&c);
    uint16_t len = cur_be16(&c);
    if (!cur_ok(&c) || flags >> 5 != V2_VERSION || type == 0)
        return false;
    size_t hdr = (flags & V2_FLAG_T) ? V2_HDR_TEID : V2_HDR_MIN;
    return (size_t)len + 4 >= hdr && (size_t)len + 4 <= s.n;
}

static void paa(struct cursor v, struct gtpv2c_msg *m)
{
    uint8_t t = cur_u8(&v) & 0x07u;
    if (!cur_ok(&v))
        return;
    if (t == PDN_V4) {
        if (cur_copy(&v, m->v4, 4))
            m->has_v4 = true;
    } else if (t == PDN_V6 || t == PDN_V4V6) {
        m->v6_plen = cur_u8(&v);
        if (cur_copy(&v, m->v6, 16))
            m->has_v6 = true;
        if (t == PDN_V4V6 && cur_copy(&v, m->v4, 4))
            m->has_v4 = true;
    }
    m->pdn_type = t;
}

static void fteid(struct cursor v, uint8_t inst, bool bearer, struct gtpv2c_msg *m)
{
    struct gtpv2c_fteid f;
    memset(&f, 0, sizeof f);
    uint8_t flags = cur_u8(&v);
    f.teid = cur_be32(&v);
    if (!cur_ok(&v))
        return;
    f.iface = flags & 0x3fu;
    f.instance = inst;
    f.bearer = bearer;
    if ((flags & 0x80u) && cur_copy(&v, f.v4, 4))
        f.has_v4 = true;
    if ((flags & 0x40u) && cur_copy(&v, f.v6, 16))
        f.has_v6 = true;
    if (m->nfteid >= GTPV2C_MAX_FTEIDS) {
        m->fteid_dropped++;
        return;
    }
    m->fteid[m->nfteid++] = f;
}

/* Walks the IEs of c; Bearer Context IEs are walked by a second call with
 * in_bearer set, which does not descend further (no recursion on data
 * beyond one level). */
static enum parse_rc walk(struct cursor c, bool in_bearer, struct gtpv2c_msg *m)
{
    for (unsigned i = 0; cur_left(&c) > 0; i++) {
        uint8_t type = cur_u8(&c);
        uint16_t len = cur_be16(&c);
        uint8_t inst = cur_u8(&c) & 0x0fu;
        struct cursor v;
        if (!cur_ok(&c) || !cur_sub(&c, len, &v))
            return PARSE_INVALID; /* the message length was captured whole */
        if (i >= GTPV2C_MAX_IES) {
            m->ies_over_limit++;
            continue;
        }
        struct span s = cur_rest(&v);
        switch (type) {
        case IE_IMSI:
            if (!in_bearer)
                tgpp_tbcd(s, TGPP_IMSI_MAX - 1, m->imsi, sizeof m->imsi);
            break;
        case IE_MSISDN: /* digits only, no nature/plan octet (section 8.11) */
            if (!in_bearer)
                tgpp_tbcd(s, TGPP_MSISDN_MAX - 1, m->msisdn, sizeof m->msisdn);
            break;
        case IE_MEI:
            if (!in_bearer)
                tgpp_tbcd(s, TGPP_IMEI_MAX - 1, m->mei, sizeof m->mei);
            break;
        case IE_APN:
            if (!in_bearer)
                tgpp_apn(s, m->apn, sizeof m->apn, &m->apn_cut);
            break;
        case IE_CAUSE:
            if (!in_bearer && len >= 1)
                m->cause = cur_u8(&v);
            break;
        case IE_RAT:
            if (!in_bearer && len >= 1)
                m->rat = cur_u8(&v);
            break;
        case IE_ULI:
            if (!in_bearer)
                tgpp_uli_v2(s, m->cell, sizeof m->cell);
            break;
        case IE_PAA:
            if (!in_bearer)
                paa(v, m);
            break;
        case IE_EBI:
            if (!in_bearer)
                m->has_lbi = true;
            break;
        case IE_FTEID:
            fteid(v, inst, in_bearer, m);
            break;
        case IE_BEARER_CTX:
            if (!in_bearer) {
                enum parse_rc rc = walk(v, true, m);
                if (rc != PARSE_OK)
                    return rc;
            }
            break;
        default:
            break;
        }
    }
    return PARSE_OK;
}

enum parse_rc gtpv2c_parse(struct cursor *c, struct gtpv2c_msg *out)
{
    memset(out, 0, sizeof *out);
    out->rat = -1;
    out->cause = -1;
    uint8_t flags = cur_u8(c);
    out->type = cur_u8(c);
    uint16_t len = cur_be16(c);
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    if (flags >> 5 != V2_VERSION)
        return PARSE_INVALID;
    size_t hdr = (flags & V2_FLAG_T) ? V2_HDR_TEID : V2_HDR_MIN;
    if ((size_t)len + 4 < hdr)
        return PARSE_INVALID;
    out->piggyback = (flags & V2_FLAG_P) != 0;
    out->has_teid = (flags & V2_FLAG_T) != 0;
    if (out->has_teid)
        out->teid = cur_be32(c);
    out->seq = cur_be24(c);
    cur_skip(c, 1);
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    struct cursor body;
    if (!cur_sub(c, (size_t)len + 4 - hdr, &body))
        return PARSE_TRUNCATED;
    return walk(body, false, out);
}
