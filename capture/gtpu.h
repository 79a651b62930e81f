/* gtpu.h - GTP-U v1 header decoding (3GPP TS 29.281).  See gtpu.c. */
#ifndef PR_CAPTURE_GTPU_H
#define PR_CAPTURE_GTPU_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "capture/rc.h"

/* Extension headers followed before giving up (TS 29.281 section 5.2 sets
 * no limit; real traffic carries one or two, e.g. PDU Session Container). */
#define GTPU_MAX_EXT 8

struct gtpu_info {
    bool gpdu;           /* message type 0xFF: `inner` holds a T-PDU */
    bool cut;            /* the GTP length claims more than was captured */
    uint8_t msg_type;
    uint32_t teid;
    struct cursor inner; /* the T-PDU: captured bytes, never past the GTP length */
};

/* Decodes a GTP-U header at `c` (untrusted, borrowed: the UDP payload, at most
 * `claimed` bytes, the UDP payload length).  PARSE_OK with out->gpdu for a
 * G-PDU (out->inner then covers the T-PDU after the optional fields and the
 * extension header chain) and PARSE_OK with !out->gpdu for every other
 * message type (echo, error indication, end marker, ...), which are left to be
 * treated as plain UDP.  PARSE_TRUNCATED when the capture ends inside the
 * header or chain; PARSE_INVALID for version != 1, PT != 1, a GTP length
 * larger than the UDP payload or too small for the optional fields, an
 * extension of length 0, or more than GTPU_MAX_EXT extensions. */
enum parse_rc gtpu_decode(struct cursor *c, uint32_t claimed, struct gtpu_info *out);

#endif
