/* tgpp.c - 3GPP value encodings (see tgpp.h). */
#include "classify/tgpp.h"

#include <stdio.h>
#include <string.h>

#define PLMN_LEN 3

bool tgpp_tbcd(struct span s, size_t max_digits, char *out, size_t out_size)
{
    size_t n = 0;
    bool cut = false;
    if (out_size == 0)
        return false;
    for (size_t i = 0; i < s.n && !cut; i++) {
        uint8_t b = span_at(s, i);
        uint8_t d[2] = {(uint8_t)(b & 0x0f), (uint8_t)(b >> 4)};
        for (int k = 0; k < 2; k++) {
            if (d[k] > 9) {
                i = s.n; /* filler (0xF) or a non-digit ends the value */
                break;
            }
            if (n >= max_digits || n + 1 >= out_size) {
                cut = true;
                break;
            }
            out[n++] = (char)('0' + d[k]);
        }
    }
    out[n] = '\0';
    return n > 0 && !cut;
}

bool tgpp_digits(struct span s, char *out, size_t out_size)
{
    if (out_size == 0)
        return false;
    out[0] = '\0';
    if (s.n == 0 || s.n >= out_size)
        return false;
    for (size_t i = 0; i < s.n; i++)
        if (span_at(s, i) < '0' || span_at(s, i) > '9')
            return false;
    memcpy(out, s.p, s.n);
    out[s.n] = '\0';
    return true;
}

void tgpp_apn(struct span s, char *out, size_t out_size, bool *cut)
{
    size_t n = 0, i = 0;
    *cut = false;
    if (out_size == 0)
        return;
    while (i < s.n) {
        size_t lab = span_at(s, i++);
        if (n && n + 1 < out_size)
            out[n++] = '.';
        for (size_t k = 0; k < lab && i < s.n; k++, i++) {
            uint8_t ch = span_at(s, i);
            if (n + 1 >= out_size) {
                *cut = true;
                break;
            }
            out[n++] = (char)(ch >= 0x21 && ch < 0x7f ? ch : '?');
        }
        if (*cut)
            break;
    }
    out[n] = '\0';
}

static bool plmn(struct cursor *c, char *buf, size_t size)
{
    uint8_t a = cur_u8(c), b = cur_u8(c), d = cur_u8(c);
    if (!cur_ok(c))
        return false;
    unsigned mcc1 = a & 0xfu, mcc2 = a >> 4, mcc3 = b & 0xfu, mnc3 = b >> 4;
    unsigned mnc1 = d & 0xfu, mnc2 = d >> 4;
    if (mnc3 == 0xf)
        snprintf(buf, size, "%x%x%x-%x%x", mcc1, mcc2, mcc3, mnc1, mnc2);
    else
        snprintf(buf, size, "%x%x%x-%x%x%x", mcc1, mcc2, mcc3, mnc1, mnc2, mnc3);
    return true;
}

bool tgpp_plmn_digits(struct span s, char *out, size_t out_size)
{
    char p[16];
    struct cursor c = cur_init(s.p, s.n);
    if (s.n < 3 || !plmn(&c, p, sizeof p))
        return false;
    size_t n = 0;
    for (const char *q = p; *q; q++) {
        if (*q == '-')
            continue;
        if (*q < '0' || *q > '9' || n + 1 >= out_size)
            return false;
        out[n++] = *q;
    }
    out[n] = '\0';
    return true;
}

static void append(char *out, size_t out_size, const char *part)
{
    size_t n = strnlen(out, out_size);
    if (n + 1 >= out_size)
        return;
    snprintf(out + n, out_size - n, "%s%s", n ? ";" : "", part);
}

bool tgpp_loc_append(struct cursor *c, enum tgpp_loc kind, char *out, size_t out_size)
{
    char p[16], part[48];
    if (!plmn(c, p, sizeof p))
        return false;
    switch (kind) {
    case TGPP_LOC_CGI:
    case TGPP_LOC_SAI: {
        unsigned lac = cur_be16(c), id = cur_be16(c);
        if (!cur_ok(c))
            return false;
        snprintf(part, sizeof part, "%s:%s-%u-%u", kind == TGPP_LOC_CGI ? "cgi" : "sai", p, lac,
                 id);
        break;
    }
    case TGPP_LOC_RAI: {
        unsigned lac = cur_be16(c), rac = cur_be16(c);
        if (!cur_ok(c))
            return false;
        snprintf(part, sizeof part, "rai:%s-%u-%u", p, lac, rac >> 8); /* octet 2 is 0xFF */
        break;
    }
    case TGPP_LOC_TAI: {
        unsigned tac = cur_be16(c);
        if (!cur_ok(c))
            return false;
        snprintf(part, sizeof part, "tai:%s-%u", p, tac);
        break;
    }
    case TGPP_LOC_ECGI: {
        uint32_t eci = cur_be32(c) & 0x0fffffffu; /* 4 spare bits, 28-bit ECI */
        if (!cur_ok(c))
            return false;
        snprintf(part, sizeof part, "ecgi:%s-%u", p, (unsigned)eci);
        break;
    }
    case TGPP_LOC_5GS_TAI: {
        uint32_t tac = cur_be24(c);
        if (!cur_ok(c))
            return false;
        snprintf(part, sizeof part, "tai:%s-%u", p, (unsigned)tac);
        break;
    }
    case TGPP_LOC_NCGI: {
        uint64_t nci = (uint64_t)(cur_u8(c) & 0x0fu) << 32;
        nci |= cur_be32(c);
        if (!cur_ok(c))
            return false;
        snprintf(part, sizeof part, "ncgi:%s-%llu", p, (unsigned long long)nci);
        break;
    }
    default:
        return false;
    }
    append(out, out_size, part);
    return true;
}

/* TS 29.274 section 8.21: flag bits and the fixed part lengths. */
enum { ULI_CGI = 0x01, ULI_SAI = 0x02, ULI_RAI = 0x04, ULI_TAI = 0x08, ULI_ECGI = 0x10,
       ULI_LAI = 0x20 };

bool tgpp_uli_v2(struct span s, char *out, size_t out_size)
{
    struct cursor c = cur_init(s.p, s.n);
    if (out_size)
        out[0] = '\0';
    uint8_t flags = cur_u8(&c);
    if (!cur_ok(&c))
        return false;
    bool ok = true;
    if (flags & ULI_CGI)
        ok = ok && tgpp_loc_append(&c, TGPP_LOC_CGI, out, out_size);
    if (flags & ULI_SAI)
        ok = ok && tgpp_loc_append(&c, TGPP_LOC_SAI, out, out_size);
    if (flags & ULI_RAI)
        ok = ok && tgpp_loc_append(&c, TGPP_LOC_RAI, out, out_size);
    if (flags & ULI_TAI)
        ok = ok && tgpp_loc_append(&c, TGPP_LOC_TAI, out, out_size);
    if (flags & ULI_ECGI)
        ok = ok && tgpp_loc_append(&c, TGPP_LOC_ECGI, out, out_size);
    if (flags & ULI_LAI) {
        char p[16], part[40];
        unsigned lac = 0;
        ok = ok && plmn(&c, p, sizeof p);
        lac = cur_be16(&c);
        if (ok && cur_ok(&c)) {
            snprintf(part, sizeof part, "lai:%s-%u", p, lac);
            append(out, out_size, part);
        } else {
            ok = false;
        }
    }
    return ok;
}

bool tgpp_uli_typed(struct span s, char *out, size_t out_size)
{
    struct cursor c = cur_init(s.p, s.n);
    if (out_size)
        out[0] = '\0';
    uint8_t type = cur_u8(&c);
    if (!cur_ok(&c))
        return false;
    bool ok;
    switch (type) {
    case TGPP_LOC_CGI:
    case TGPP_LOC_SAI:
    case TGPP_LOC_RAI:
    case TGPP_LOC_TAI:
    case TGPP_LOC_ECGI:
        ok = tgpp_loc_append(&c, (enum tgpp_loc)type, out, out_size);
        break;
    case TGPP_LOC_TAI_ECGI:
        ok = tgpp_loc_append(&c, TGPP_LOC_TAI, out, out_size) &&
             tgpp_loc_append(&c, TGPP_LOC_ECGI, out, out_size);
        break;
    default:
        ok = false;
    }
    if (!ok && out_size)
        out[0] = '\0';
    return ok;
}

bool tgpp_framed_v6_prefix(struct cursor v, uint8_t prefix[16], uint8_t *plen)
{
    cur_skip(&v, 1); /* reserved */
    uint8_t n = cur_u8(&v);
    size_t bytes = ((size_t)n + 7) / 8;
    if (!cur_ok(&v) || n > 128 || bytes > cur_left(&v))
        return false;
    memset(prefix, 0, 16);
    cur_copy(&v, prefix, bytes);
    *plen = n;
    return true;
}
