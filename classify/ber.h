/* ber.h - bounded BER (ITU-T X.690) element reader for TCAP and MAP.
 *
 * Spec: X.690 section 8.1.2 (identifier octets; tag numbers >= 31 in
 * base-128 continuation octets), 8.1.3 (definite length, short and long
 * form).  The indefinite form (8.1.3.6) is refused: TCAP over SCCP uses
 * definite lengths in practice, and refusing it keeps every element a
 * bounded child cursor.  Nothing here recurses: callers descend one level
 * at a time, at most BER_MAX_DEPTH levels.
 */
#ifndef PR_CLASSIFY_BER_H
#define PR_CLASSIFY_BER_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "capture/rc.h"

/* Longest length field: 4 octets (a 4 GiB element is already absurd). */
#define BER_MAX_LEN_OCTETS 4
/* Longest tag number field: 4 continuation octets (28 bits). */
#define BER_MAX_TAG_OCTETS 4
/* Deepest nesting a caller may follow (TCAP message -> component portion
 * -> component -> parameter -> choice -> value is 6). */
#define BER_MAX_DEPTH 8

struct ber_tlv {
    uint8_t id;          /* first identifier octet (class, constructed bit, short tag) */
    uint32_t tag;        /* tag number */
    bool constructed;
    struct cursor val;   /* the contents, bounded */
};

/* Reads the next element of c.  Returns PARSE_OK, PARSE_NEED_MORE at the
 * clean end of c, PARSE_TRUNCATED (the element runs past c) or
 * PARSE_INVALID (indefinite length, oversized length or tag field). */
enum parse_rc ber_next(struct cursor *c, struct ber_tlv *out);

/* Finds the first element of c whose identifier octet is id (same level
 * only).  Returns PARSE_OK with *out set, PARSE_NEED_MORE when absent. */
enum parse_rc ber_find(struct cursor c, uint8_t id, struct ber_tlv *out);

/* Follows path (depth identifier octets, each found with ber_find one
 * level further in).  depth > BER_MAX_DEPTH is PARSE_INVALID. */
enum parse_rc ber_descend(struct cursor c, const uint8_t *path, unsigned depth,
                          struct ber_tlv *out);

/* Decodes a two's-complement INTEGER of 1-8 octets. */
bool ber_int(struct cursor v, int64_t *out);

#endif
