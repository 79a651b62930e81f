/* ndp.h - IPv6 Router Advertisements on the user plane: the /64 a mobile
 * network gives a UE's PDN connection (metadata only).
 *
 * A PDN / PDU address of type IPv6 carries only the UE's interface
 * identifier (TS 24.301 9.9.4.9, TS 24.501 9.11.4.10); the /64 the UE forms
 * its addresses in comes from the gateway in a Router Advertisement sent
 * down the UE's own tunnel (TS 23.401 5.3.1.2.2, TS 23.501 5.8.2.2.3;
 * RFC 6459 5.2), and the UE may use any interface identifier in it (a
 * privacy address, RFC 8981).  So S1AP / NGAP sessions of IPv6 UEs have no
 * address the user plane outside the tunnel, or the scope filter, could
 * match.  This row reads the Router Advertisement in a GTP-U tunnel and
 * gives its /64 to the session holding that tunnel, named by the TEID and
 * the node that owns it (the binding table merges it into that session,
 * whatever its source; it never opens one).
 *
 * Router Advertisement (RFC 4861 4.2), from the ICMPv6 Type octet:
 *   | type 134 | code 0 | checksum (2) | cur hop limit | M O H Prf P R R |
 *   | router lifetime (2) | reachable time (4) | retrans timer (4) | options |
 * Option (4.6): | type | length (units of 8 octets, 0 invalid) | ... |
 * Prefix Information (4.6.2): | 3 | 4 | prefix length | L A R ... |
 *   | valid lifetime (4) | preferred lifetime (4) | reserved (4) | prefix (16) |
 *
 * A prefix a UE forms addresses in (RFC 4862 5.5.3): the A flag set, not
 * the link-local prefix, a valid lifetime not 0 and not below the preferred
 * one, and 64 bits long (an interface identifier is 64 bits, RFC 4291
 * 2.5.1; 3GPP gives a /64 per PDN connection).  Options are skipped unread
 * otherwise; the first such prefix of a message is taken.
 */
#ifndef PR_CLASSIFY_NDP_H
#define PR_CLASSIFY_NDP_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "capture/rc.h"
#include "classify/proto.h"

#define NDP_ROUTER_ADVERTISEMENT 134
#define NDP_OPT_PREFIX_INFO 3

struct ndp_ra {
    bool has_prefix;      /* a prefix the UE forms addresses in (see above) */
    uint8_t prefix[8];    /* its 64 bits */
    unsigned prefixes;    /* Prefix Information options seen */
};

/* Decodes a Router Advertisement from its Type octet.  PARSE_INVALID: not a
 * Router Advertisement (type, code), a bad option length; PARSE_TRUNCATED:
 * cut short (out holds what came before the cut). */
enum parse_rc ndp_ra_decode(struct cursor *c, struct ndp_ra *out);

/* Row counters (slots after the shared ones; written only when not 0). */
enum {
    NDP_CNT_RAS = 3,      /* Router Advertisements read */
    NDP_CNT_PREFIXES,     /* a /64 given to the session of a tunnel (evidence emitted) */
    NDP_CNT_UNTUNNELLED,  /* a /64 outside a GTP-U tunnel: no session to give it to */
};

extern const struct proto_ops ndp_proto;

#endif
