/* radius.c - RADIUS decoding (see radius.h). */
#include "classify/radius.h"

#include <string.h>

#include "classify/sms_addr.h"
#include "classify/tgpp.h"

#define AUTH_LEN 16
#define VENDOR_3GPP 10415u

/* Attribute types (RFC 2865 section 5, RFC 2866 section 5, RFC 3162). */
enum { A_USER_NAME = 1, A_USER_PASSWORD = 2, A_CHAP_PASSWORD = 3, A_FRAMED_IP = 8,
       A_VSA = 26, A_CALLED = 30, A_CALLING = 31, A_STATUS = 40, A_SESSION = 44,
       A_FRAMED_V6 = 97 };

/* 3GPP vendor attributes (TS 29.061 table 16.4.7.1). */
enum { V_IMSI = 1, V_IMEISV = 20, V_RAT = 21, V_ULI = 22 };

bool radius_probe(struct span s)
{
    struct cursor c = cur_init(s.p, s.n);
    uint8_t code = cur_u8(&c);
    cur_skip(&c, 1);
    uint16_t len = cur_be16(&c);
    if (!cur_ok(&c) || len < RADIUS_HDR_LEN || len > RADIUS_MAX_LEN || len > s.n)
        return false;
    return code == RADIUS_ACCESS_REQUEST || code == RADIUS_ACCESS_ACCEPT ||
           code == RADIUS_ACCESS_REJECT || code == RADIUS_ACCT_REQUEST ||
           code == RADIUS_ACCT_RESPONSE || code == RADIUS_ACCESS_CHALLENGE;
}

static void text(struct span s, char *out, size_t n, struct radius_msg *m)
{
    if (!sms_addr_copy(s, out, n))
        m->cut = true;
}

static void vsa(struct cursor v, struct radius_msg *m)
{
    if (cur_be32(&v) != VENDOR_3GPP)
        return;
    /* sub-attributes: each advances by its length (>= 2) or ends the walk */
    for (unsigned i = 0; cur_left(&v) > 0 && i < RADIUS_MAX_ATTRS; i++) {
        uint8_t t = cur_u8(&v), len = cur_u8(&v);
        struct cursor val;
        if (!cur_ok(&v) || len < 2 || !cur_sub(&v, (size_t)len - 2, &val))
            return;
        struct span s = cur_rest(&val);
        switch (t) {
        case V_IMSI:
            tgpp_digits(s, m->imsi, sizeof m->imsi);
            break;
        case V_IMEISV:
            tgpp_digits(s, m->imeisv, sizeof m->imeisv);
            break;
        case V_RAT:
            if (s.n >= 1)
                m->rat = cur_u8(&val);
            break;
        case V_ULI:
            tgpp_uli_typed(s, m->cell, sizeof m->cell);
            break;
        default:
            break;
        }
    }
}

static void framed_v6(struct cursor v, struct radius_msg *m)
{
    m->has_v6 = tgpp_framed_v6_prefix(v, m->v6, &m->v6_plen) || m->has_v6;
}

enum parse_rc radius_parse(struct cursor *c, struct radius_msg *out)
{
    memset(out, 0, sizeof *out);
    out->status_type = -1;
    out->rat = -1;
    out->code = cur_u8(c);
    out->id = cur_u8(c);
    uint16_t len = cur_be16(c);
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    if (len < RADIUS_HDR_LEN || len > RADIUS_MAX_LEN)
        return PARSE_INVALID;
    struct cursor body;
    if (!cur_skip(c, AUTH_LEN) || !cur_sub(c, (size_t)len - RADIUS_HDR_LEN, &body))
        return PARSE_TRUNCATED;
    for (unsigned i = 0; cur_left(&body) > 0; i++) {
        uint8_t t = cur_u8(&body), alen = cur_u8(&body);
        struct cursor v;
        if (!cur_ok(&body) || alen < 2 || !cur_sub(&body, (size_t)alen - 2, &v))
            return PARSE_INVALID;
        if (t == A_USER_PASSWORD || t == A_CHAP_PASSWORD) {
            out->passwords_skipped++; /* skipped by length, never read */
            continue;
        }
        if (i >= RADIUS_MAX_ATTRS) {
            out->attrs_over_limit++;
            continue;
        }
        struct span s = cur_rest(&v);
        switch (t) {
        case A_USER_NAME:
            text(s, out->user_name, sizeof out->user_name, out);
            break;
        case A_FRAMED_IP:
            if (s.n == 4) {
                cur_copy(&v, out->v4, 4);
                out->has_v4 = true;
            }
            break;
        case A_CALLING:
            text(s, out->calling, sizeof out->calling, out);
            break;
        case A_CALLED:
            text(s, out->called, sizeof out->called, out);
            break;
        case A_SESSION:
            text(s, out->session, sizeof out->session, out);
            break;
        case A_STATUS:
            if (s.n == 4)
                out->status_type = (int)cur_be32(&v);
            break;
        case A_FRAMED_V6:
            framed_v6(v, out);
            break;
        case A_VSA:
            vsa(v, out);
            break;
        default:
            break;
        }
    }
    return PARSE_OK;
}
