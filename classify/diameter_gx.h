/* diameter_gx.h - Diameter Gx / Gy credit-control decoding for subscriber
 * attribution (metadata only).
 *
 * Specs: RFC 6733 section 3 (header); RFC 4006 section 3.1 / 3.2 (CCR / CCA,
 * command 272), 8.3 CC-Request-Type (416), 8.46-8.48 Subscription-Id (443,
 * grouped: Subscription-Id-Type 450, Subscription-Id-Data 444); RFC 7155
 * section 4.4.10 Framed-IP-Address (8), Framed-IPv6-Prefix (97); RFC 7155
 * Called-Station-Id (30); 3GPP TS 29.212 (Gx, application 16777238), TS
 * 32.299 (Gy = DCCA application 4), TS 29.061 section 16.4.7 (3GPP-User-
 * Location-Info, vendor 10415 code 22).
 *
 * AVPs are walked with diameter_avp_next() (classify/diameter.h), the one
 * iterator every Diameter decoder shares; grouped AVPs one level deep.
 */
#ifndef PR_CLASSIFY_DIAMETER_GX_H
#define PR_CLASSIFY_DIAMETER_GX_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "capture/rc.h"
#include "classify/tgpp.h"

#define DIAMETER_CMD_CC 272u          /* RFC 4006 section 3.1 */
#define DIAMETER_APP_DCCA 4u          /* RFC 4006 section 1.3 (Gy) */
#define DIAMETER_APP_GX 16777238u     /* TS 29.212 section 5.1 */
#define GX_SESSION_MAX 128            /* Session-Id kept (cut beyond) */
#define GX_MAX_AVPS 96                /* top-level AVPs examined per message */

/* CC-Request-Type (RFC 4006 section 8.3). */
enum { GX_INITIAL = 1, GX_UPDATE = 2, GX_TERMINATION = 3, GX_EVENT = 4 };

struct gx_msg {
    bool request;                 /* R flag: CCR; clear: CCA */
    uint32_t app;
    uint32_t hbh, e2e;
    int req_type;                 /* CC-Request-Type, -1 = absent */
    int64_t result;               /* Result-Code, -1 = absent */
    char session[GX_SESSION_MAX];
    char imsi[TGPP_IMSI_MAX];     /* Subscription-Id type 1 (END_USER_IMSI) */
    char msisdn[TGPP_MSISDN_MAX]; /* type 0 (END_USER_E164) */
    char sip_uri[TGPP_USER_MAX];  /* type 2 */
    char nai[TGPP_USER_MAX];      /* type 3 */
    char imei[TGPP_IMEI_MAX];     /* User-Equipment-Info IMEISV, when in text or TBCD */
    bool has_v4;
    uint8_t v4[4];
    bool has_v6;
    uint8_t v6_plen, v6[16];
    char apn[TGPP_APN_MAX];       /* Called-Station-Id */
    char cell[TGPP_CELL_MAX];
    bool cut;
    unsigned avps_over_limit;
};

/* True when s starts a Diameter credit-control message (command 272) of the
 * Gx or DCCA application. */
bool diameter_gx_probe(struct span s);

/* Decodes one whole Diameter message at c (untrusted, borrowed; exactly its
 * length or more) into *out (overwritten).  Returns PARSE_OK (also for
 * other commands or applications, with out->app set and nothing else),
 * PARSE_TRUNCATED (c is shorter than the header's length) or PARSE_INVALID
 * (version != 1, length below the header). */
enum parse_rc diameter_gx_parse(struct cursor *c, struct gx_msg *out);

#endif
