/* m2ua.h - M2UA (MTP2 user adaptation) DATA decoding.
 *
 * Spec: RFC 3331 section 3.1 (common header as M3UA: version 1, spare,
 * class, type, length), 3.3.1.1 (MAUP class 6, type 1 DATA: Interface
 * Identifier (integer, tag 0x0001) and Protocol Data 1 (tag 0x0300:
 * the MTP3 message from the SIO on) or Protocol Data 2 (tag 0x0301: one
 * TTC priority octet first)).  SCTP payload protocol 2, port 2904.
 *
 *   | ver=1 | spare | class=6 | type=1 | length 32 |
 *   | 0x0001 | 8 | interface id 32 | 0x0300 | len | SIO | label | SIF | pad |
 */
#ifndef PR_CLASSIFY_M2UA_H
#define PR_CLASSIFY_M2UA_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "capture/rc.h"

#define M2UA_PPID 2 /* RFC 3331 section 1.5.3 */
#define M2UA_PORT 2904
/* Parameters examined per message. */
#define M2UA_MAX_PARAMS 16

struct m2ua_data {
    bool has_iid;
    uint32_t iid;             /* integer Interface Identifier */
    struct cursor mtp3;       /* the MTP3 message */
};

/* Decodes one M2UA message (c untrusted, borrowed by out).  Returns
 * PARSE_OK for MAUP DATA with Protocol Data, PARSE_NEED_MORE for other
 * valid messages, PARSE_TRUNCATED or PARSE_INVALID. */
enum parse_rc m2ua_parse(struct cursor *c, struct m2ua_data *out);

#endif
