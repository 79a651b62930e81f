/* sms_addr.c - shared SMS address and framing helpers (see sms_addr.h). */
#include "classify/sms_addr.h"

#include <stdio.h>
#include <string.h>

/* A TP address value holds at most 10 octets = 20 semi-octets
 * (TS 23.040 section 9.1.2.5). */
#define TP_ADDR_MAX_SEMIOCTETS 20

void sms_addr_event_init(struct sms_event *ev, const char *protocol, uint64_t ts_us)
{
    memset(ev, 0, sizeof *ev);
    snprintf(ev->protocol, sizeof ev->protocol, "%s", protocol);
    ev->ts_us = ts_us;
    ev->originator_ton = ev->originator_npi = -1;
    ev->recipient_ton = ev->recipient_npi = -1;
    ev->msg_ref = -1;
    ev->tp_scts = ev->tp_shape = -1;
    ev->concat_ref = ev->concat_part = ev->concat_total = -1;
}

bool sms_addr_tbcd(struct span in, size_t max_digits, char *out, size_t out_size)
{
    static const char digit[16] = "0123456789*#abc";
    size_t k = 0;
    bool ok = true;
    for (size_t i = 0; i < in.n; i++) {
        uint8_t nib[2] = {(uint8_t)(span_at(in, i) & 0x0f), (uint8_t)(span_at(in, i) >> 4)};
        for (int j = 0; j < 2; j++) {
            if (nib[j] == 0x0f)
                goto done;
            if (k >= max_digits || k + 1 >= out_size) {
                ok = false;
                goto done;
            }
            out[k++] = digit[nib[j]];
        }
    }
done:
    out[k] = '\0';
    return ok;
}

/* GSM 7-bit default alphabet (TS 23.038 section 6.2.1) code points that
 * equal printable ASCII; the rest is reported as '?'. */
static char gsm7_to_ascii(uint8_t v)
{
    if (v == 0x00)
        return '@';
    if (v == 0x02)
        return '$';
    if (v == 0x11)
        return '_';
    if ((v >= 0x20 && v <= 0x23) || (v >= 0x25 && v <= 0x3f) || (v >= 0x41 && v <= 0x5a) ||
        (v >= 0x61 && v <= 0x7a))
        return (char)v;
    return '?';
}

bool sms_addr_gsm7(struct span in, size_t nchars, char *out, size_t out_size)
{
    size_t k = 0;
    bool ok = true;
    for (size_t i = 0; i < nchars; i++) {
        size_t bit = i * 7, byte = bit / 8, shift = bit % 8;
        if (byte >= in.n || k + 1 >= out_size) {
            ok = false;
            break;
        }
        unsigned v = span_at(in, byte) >> shift;
        if (shift > 1) {
            if (byte + 1 >= in.n) {
                ok = false;
                break;
            }
            v |= (unsigned)span_at(in, byte + 1) << (8 - shift);
        }
        out[k++] = gsm7_to_ascii((uint8_t)(v & 0x7f));
    }
    out[k] = '\0';
    return ok;
}

bool sms_addr_copy(struct span in, char *out, size_t out_size)
{
    size_t k = 0;
    for (size_t i = 0; i < in.n; i++) {
        uint8_t b = span_at(in, i);
        if (b == 0)
            break;
        if (k + 1 >= out_size) {
            out[k] = '\0';
            return false;
        }
        out[k++] = (b >= 0x20 && b < 0x7f) ? (char)b : '?';
    }
    out[k] = '\0';
    return true;
}

enum parse_rc sms_addr_cstring(struct cursor *c, size_t max, char *out, size_t out_size)
{
    struct span rest = cur_rest(c);
    size_t lim = rest.n < max ? rest.n : max;
    const uint8_t *nul = lim ? memchr(rest.p, 0, lim) : NULL;
    out[0] = '\0';
    if (!nul)
        return rest.n < max ? PARSE_TRUNCATED : PARSE_INVALID;
    size_t n = (size_t)(nul - rest.p);
    struct span v;
    cur_span(c, n + 1, &v);
    v.n = n;
    if (out_size > 1) /* out_size 1: skip the field without copying it */
        sms_addr_copy(v, out, out_size);
    return PARSE_OK;
}

enum parse_rc sms_addr_tp(struct cursor *c, char *out, size_t out_size, int *ton, int *npi)
{
    uint8_t semi = cur_u8(c);
    uint8_t toa = cur_u8(c);
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    if (semi > TP_ADDR_MAX_SEMIOCTETS)
        return PARSE_INVALID;
    struct span v;
    if (!cur_span(c, (semi + 1u) / 2u, &v))
        return PARSE_TRUNCATED;
    *ton = (toa >> 4) & 0x07;
    *npi = toa & 0x0f;
    if (*ton == 5) /* alphanumeric: semi-octets * 4 bits / 7 bits per character */
        sms_addr_gsm7(v, semi * 4u / 7u, out, out_size);
    else
        sms_addr_tbcd(v, semi, out, out_size);
    return PARSE_OK;
}

void sms_addr_toa_digits(struct span in, char *out, size_t out_size, int *ton, int *npi)
{
    out[0] = '\0';
    if (in.n == 0)
        return;
    if (ton)
        *ton = (span_at(in, 0) >> 4) & 0x07;
    if (npi)
        *npi = span_at(in, 0) & 0x0f;
    struct span d = {in.p + 1, in.n - 1};
    sms_addr_tbcd(d, out_size, out, out_size);
}

enum parse_rc sms_addr_tlv16(struct cursor *c, bool len_has_hdr, bool pad4, struct sms_tlv *out)
{
    if (cur_left(c) == 0)
        return cur_ok(c) ? PARSE_NEED_MORE : PARSE_TRUNCATED;
    out->tag = cur_be16(c);
    uint16_t len = cur_be16(c);
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    if (len_has_hdr) {
        if (len < 4)
            return PARSE_INVALID;
        len = (uint16_t)(len - 4);
    }
    if (!cur_sub(c, len, &out->val))
        return PARSE_TRUNCATED;
    if (pad4 && (len & 3u)) {
        size_t pad = 4u - (len & 3u);
        /* the last parameter may omit its padding */
        cur_skip(c, pad < cur_left(c) ? pad : cur_left(c));
    }
    return PARSE_OK;
}
