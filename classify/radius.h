/* radius.h - RADIUS access and accounting decoding for subscriber
 * attribution (metadata only).
 *
 * Specs: RFC 2865 section 3 (packet), 5 (attributes), 5.26 (Vendor-Specific);
 * RFC 2866 section 4.1 / 5.1 (Accounting-Request, Acct-Status-Type); RFC 3162
 * section 2.3 (Framed-IPv6-Prefix); 3GPP TS 29.061 section 16.4.7 (3GPP
 * vendor-specific attributes, vendor id 10415).
 *
 *   | code (1) | identifier (1) | length (2, 20..4096) | authenticator (16) |
 *   | attributes: type (1) | length (1, incl. these 2) | value ... |
 *   VSA (type 26): | vendor id (4) | vendor type (1) | vendor length (1) | value |
 *
 * User-Password (2) and CHAP-Password (3) are skipped by their length and
 * never copied anywhere; only their count is kept.
 */
#ifndef PR_CLASSIFY_RADIUS_H
#define PR_CLASSIFY_RADIUS_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "capture/rc.h"
#include "classify/tgpp.h"

#define RADIUS_AUTH_PORT 1812 /* RFC 2865 section 3 */
#define RADIUS_ACCT_PORT 1813 /* RFC 2866 section 3 */
#define RADIUS_HDR_LEN 20
#define RADIUS_MAX_LEN 4096   /* RFC 2865 section 3 */
/* Attributes examined per packet (a 3GPP accounting request carries ~40). */
#define RADIUS_MAX_ATTRS 96
#define RADIUS_SESSION_MAX 64 /* Acct-Session-Id kept; longer values are cut */

/* Codes (RFC 2865 section 3, RFC 2866 section 3). */
enum {
    RADIUS_ACCESS_REQUEST = 1,
    RADIUS_ACCESS_ACCEPT = 2,
    RADIUS_ACCESS_REJECT = 3,
    RADIUS_ACCT_REQUEST = 4,
    RADIUS_ACCT_RESPONSE = 5,
    RADIUS_ACCESS_CHALLENGE = 11,
};

/* Acct-Status-Type values (RFC 2866 section 5.1). */
enum {
    RADIUS_ACCT_START = 1,
    RADIUS_ACCT_STOP = 2,
    RADIUS_ACCT_INTERIM = 3,
    RADIUS_ACCT_ON = 7,
    RADIUS_ACCT_OFF = 8,
};

struct radius_msg {
    uint8_t code, id;
    int status_type;                 /* -1 = absent */
    bool has_v4;
    uint8_t v4[4];                   /* Framed-IP-Address */
    bool has_v6;
    uint8_t v6_plen;
    uint8_t v6[16];                  /* Framed-IPv6-Prefix, zero-filled past plen */
    char user_name[TGPP_USER_MAX];
    char calling[TGPP_USER_MAX];     /* Calling-Station-Id (MSISDN in 3GPP use) */
    char called[TGPP_APN_MAX];       /* Called-Station-Id (APN in 3GPP use) */
    char session[RADIUS_SESSION_MAX];/* Acct-Session-Id */
    char imsi[TGPP_IMSI_MAX];        /* 3GPP-IMSI (digits as text) */
    char imeisv[TGPP_IMEI_MAX];      /* 3GPP-IMEISV */
    char cell[TGPP_CELL_MAX];        /* 3GPP-User-Location-Info */
    int rat;                         /* 3GPP-RAT-Type, -1 = absent */
    bool cut;                        /* some identity did not fit and was cut */
    unsigned passwords_skipped;      /* User-Password / CHAP-Password seen (never copied) */
    unsigned attrs_over_limit;
};

/* True when s starts like a RADIUS packet of a known code whose length
 * field is within 20..4096 and within s. */
bool radius_probe(struct span s);

/* Decodes the RADIUS packet at c (untrusted, borrowed; a UDP payload) into
 * *out (overwritten).  Returns PARSE_OK, PARSE_TRUNCATED (the capture ends
 * before the claimed length; only the header is kept) or PARSE_INVALID (a
 * length outside 20..4096, an attribute length below 2 or past the end). */
enum parse_rc radius_parse(struct cursor *c, struct radius_msg *out);

#endif
