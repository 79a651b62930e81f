/* aper.h - the pieces of ASN.1 ALIGNED PER (ITU-T X.691) that the 3GPP
 * application protocols' PDUs need (RANAP TS 25.413, S1AP TS 36.413): the
 * octet-aligned length determinant and open type, the ProtocolIE-Container
 * walk, and a bit reader for the few SEQUENCEs read field by field.
 *
 * The PDUs of both protocols open the same way:
 *
 *   | ext|choice|pad | procedureCode | criticality|pad | length | value |
 *   value: | ext|opt|pad | IE count (16) | id (16) | crit|pad | length |
 *          IE value | ...
 *
 * Length determinants (X.691 section 10.9.3.6-7): 0xxxxxxx = length,
 * 10xxxxxx xxxxxxxx = 14-bit length; 11xxxxxx (fragments of 16K and
 * more: never a signalling message) is refused.
 */
#ifndef PR_CLASSIFY_APER_H
#define PR_CLASSIFY_APER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "capture/rc.h"

/* An octet-aligned length determinant. */
static inline bool aper_len(struct cursor *c, size_t *len)
{
    uint8_t b = cur_u8(c);
    if ((b & 0x80) == 0)
        *len = b;
    else if ((b & 0xc0) == 0x80)
        *len = (size_t)(b & 0x3f) << 8 | cur_u8(c);
    else
        return false;
    return cur_ok(c);
}

/* An open type or unconstrained OCTET STRING: length determinant, then the
 * octets, which *out borrows. */
static inline enum parse_rc aper_open_type(struct cursor *c, struct cursor *out)
{
    size_t n;
    if (!aper_len(c, &n))
        return cur_ok(c) ? PARSE_INVALID : PARSE_TRUNCATED;
    return cur_sub(c, n, out) ? PARSE_OK : PARSE_TRUNCATED;
}

/* The PDU's opening: *outcome is the CHOICE (0 initiatingMessage, 1
 * successfulOutcome, 2 unsuccessfulOutcome), *proc the procedureCode.  An
 * extension CHOICE is PARSE_INVALID. */
static inline enum parse_rc aper_pdu_head(struct cursor *c, uint8_t *outcome, uint8_t *proc)
{
    uint8_t choice = cur_u8(c);
    *proc = cur_u8(c);
    cur_skip(c, 1); /* criticality */
    *outcome = (uint8_t)((choice >> 5) & 0x03);
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    return choice & 0x80 ? PARSE_INVALID : PARSE_OK;
}

/* After the head: *ies, the value's ProtocolIE-Container after its
 * extension / optional octet, and *count, its IE count. */
static inline enum parse_rc aper_pdu_ies(struct cursor *c, struct cursor *ies, unsigned *count)
{
    enum parse_rc rc = aper_open_type(c, ies);
    if (rc)
        return rc;
    cur_skip(ies, 1); /* extension (and optional) bits */
    *count = cur_be16(ies);
    return cur_ok(ies) ? PARSE_OK : PARSE_TRUNCATED;
}

/* Is s exactly one PDU: a root CHOICE (of 3), a procedure code up to
 * max_proc, a criticality (of 3), and an open type that fills it? */
static inline bool aper_pdu_shape(struct span s, uint8_t max_proc)
{
    uint8_t choice = span_at(s, 0), crit = span_at(s, 2), l0 = span_at(s, 3);
    if (s.n < 5 || (choice & 0x9f) != 0 || (choice >> 5) > 2 || span_at(s, 1) > max_proc ||
        (crit & 0x3f) != 0 || (crit >> 6) > 2)
        return false;
    if ((l0 & 0x80) == 0)
        return 4u + l0 == s.n;
    if ((l0 & 0xc0) != 0x80)
        return false;
    return 5u + ((size_t)(l0 & 0x3f) << 8 | span_at(s, 4)) == s.n;
}

/* A constrained INTEGER whose range needs more than two octets (X.691
 * section 10.5.7.4): the octet count less one in the top len_bits bits of
 * the first octet, then the octets (S1AP's and NGAP's UE ids). */
static inline bool aper_uint(struct cursor v, unsigned len_bits, uint64_t *out)
{
    unsigned n = (unsigned)(cur_u8(&v) >> (8 - len_bits)) + 1;
    uint64_t x = 0;
    for (unsigned i = 0; i < n && i < 8; i++)
        x = x << 8 | cur_u8(&v);
    *out = x;
    return cur_ok(&v);
}

/* The next ProtocolIE-Field of a container: *id and its value's octets. */
static inline enum parse_rc aper_ie(struct cursor *ies, uint16_t *id, struct cursor *value)
{
    *id = cur_be16(ies);
    cur_skip(ies, 1); /* criticality */
    if (!cur_ok(ies))
        return PARSE_TRUNCATED;
    return aper_open_type(ies, value);
}

/* A bit reader over untrusted octets (most significant bit first).  Reads
 * past the end set err and return 0, as the byte cursor does. */
struct aper_bits {
    struct span s;
    size_t bit;
    bool err;
};

static inline struct aper_bits aper_bits_of(const struct cursor *c)
{
    return (struct aper_bits){cur_rest(c), 0, !cur_ok(c)};
}

/* n (<= 32) bits as an unsigned number. */
static inline uint32_t aper_bits(struct aper_bits *b, unsigned n)
{
    if (b->err || n > 32 || b->bit + n > b->s.n * 8) {
        b->err = true;
        return 0;
    }
    uint32_t v = 0;
    for (unsigned i = 0; i < n; i++, b->bit++)
        v = v << 1 | (uint32_t)((b->s.p[b->bit / 8] >> (7 - b->bit % 8)) & 1);
    return v;
}

static inline void aper_align(struct aper_bits *b)
{
    b->bit = (b->bit + 7) / 8 * 8;
}

/* n octets from the next octet boundary, borrowed by *out. */
static inline bool aper_octets(struct aper_bits *b, size_t n, struct span *out)
{
    aper_align(b);
    size_t at = b->bit / 8;
    if (b->err || at > b->s.n || n > b->s.n - at) {
        b->err = true;
        return false;
    }
    *out = (struct span){b->s.p + at, n};
    b->bit += n * 8;
    return true;
}

/* An octet-aligned length determinant read by the bit reader. */
static inline bool aper_bits_len(struct aper_bits *b, size_t *len)
{
    struct span one;
    if (!aper_octets(b, 1, &one))
        return false;
    uint8_t v = one.p[0];
    if ((v & 0x80) == 0) {
        *len = v;
        return true;
    }
    struct span two;
    if ((v & 0xc0) != 0x80 || !aper_octets(b, 1, &two)) {
        b->err = true;
        return false;
    }
    *len = (size_t)(v & 0x3f) << 8 | two.p[0];
    return true;
}

/* Skips a ProtocolExtensionContainer (SEQUENCE (SIZE (1..65535)) OF
 * ProtocolExtensionField: count - 1 in 16 aligned bits; per field an id (16
 * bits), criticality (2 bits) and an open type), at most max fields. */
static inline bool aper_skip_extensions(struct aper_bits *b, unsigned max)
{
    struct span cnt;
    if (!aper_octets(b, 2, &cnt))
        return false;
    unsigned n = ((unsigned)cnt.p[0] << 8 | cnt.p[1]) + 1u;
    if (n > max) {
        b->err = true;
        return false;
    }
    for (unsigned i = 0; i < n; i++) {
        struct span id, v;
        size_t len;
        if (!aper_octets(b, 2, &id))
            return false;
        aper_bits(b, 2); /* criticality */
        if (!aper_bits_len(b, &len) || !aper_octets(b, len, &v))
            return false;
    }
    return !b->err;
}

#endif
