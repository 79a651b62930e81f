/* m2pa.h - M2PA (MTP2 peer-to-peer adaptation) User Data decoding.
 *
 * Spec: RFC 4165 section 2.1 (common header: version 1, spare, message
 * class 11, type 1 User Data / 2 Link Status, length incl. header), 2.2
 * (BSN, FSN: 8 spare bits + 24 bits each), 2.3.1 (User Data: one
 * priority/spare octet, then the MTP3 message: SIO, routing label, SIF).
 * SCTP payload protocol 5, port 3565.
 *
 *   | ver=1 | spare | class=11 | type | length 32 | BSN 32 | FSN 32 |
 *   | pri | SIO | routing label | SIF ... |
 */
#ifndef PR_CLASSIFY_M2PA_H
#define PR_CLASSIFY_M2PA_H

#include <stdint.h>

#include "capture/cursor.h"
#include "capture/rc.h"

#define M2PA_PPID 5 /* RFC 4165 section 1.6 */
#define M2PA_PORT 3565

struct m2pa_msg {
    uint8_t type;           /* 1 User Data, 2 Link Status */
    uint32_t bsn, fsn;
    struct cursor mtp3;     /* User Data: the MTP3 message (empty for Link Status) */
};

/* Decodes one M2PA message (c untrusted, borrowed by out).  Returns
 * PARSE_OK for User Data carrying an MTP3 message, PARSE_NEED_MORE for other
 * valid messages (Link Status, an empty User Data acknowledgement),
 * PARSE_TRUNCATED or PARSE_INVALID (version, class or length wrong). */
enum parse_rc m2pa_parse(struct cursor *c, struct m2pa_msg *out);

#endif
