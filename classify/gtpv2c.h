/* gtpv2c.h - GTPv2-C decoding for subscriber attribution (metadata only).
 *
 * Spec: 3GPP TS 29.274 section 5.1 (header), 6.1 (message types), 8.2 (IE
 * format), 8.3 IMSI, 8.4 Cause, 8.6 APN, 8.10 MEI, 8.11 MSISDN, 8.14 PAA,
 * 8.17 RAT Type, 8.21 ULI, 8.22 F-TEID, 8.28 Bearer Context (grouped).
 *
 *    octet 1    | ver=2 (3) | P | T | MP | spare(2) |
 *    octet 2    | message type |
 *    octet 3-4  | length: octets after the first 4 |
 *    octet 5-8  | TEID (only when T = 1) |
 *    +3         | sequence number (24 bits) |
 *    +1         | spare / message priority |
 *    IEs        | type (1) | length (2, value only) | spare(4) instance(4) | value |
 *
 * Read: IMSI, MSISDN, MEI, APN, PAA (IPv4 / IPv6 prefix / both), F-TEIDs at
 * the top level and inside Bearer Context IEs (one level of grouping, never
 * recursive), ULI, RAT type and Cause.  Everything else is skipped by length.
 */
#ifndef PR_CLASSIFY_GTPV2C_H
#define PR_CLASSIFY_GTPV2C_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "capture/rc.h"
#include "classify/tgpp.h"

#define GTPC_PORT 2123 /* TS 29.274 section 4.4.2.1; GTPv1-C uses it too */

/* Message types (TS 29.274 table 6.1-1). */
enum {
    GTPV2C_CREATE_SESSION_REQ = 32,
    GTPV2C_CREATE_SESSION_RESP = 33,
    GTPV2C_MODIFY_BEARER_REQ = 34,
    GTPV2C_MODIFY_BEARER_RESP = 35,
    GTPV2C_DELETE_SESSION_REQ = 36,
    GTPV2C_DELETE_SESSION_RESP = 37,
    GTPV2C_DELETE_BEARER_REQ = 99,
    GTPV2C_DELETE_BEARER_RESP = 100,
};

/* IEs examined per message and per grouped IE (a Create Session message
 * carries ~25; more are counted in ies_over_limit and skipped). */
#define GTPV2C_MAX_IES 64
/* F-TEIDs kept per message: sender control + PGW control + two per bearer
 * for up to three bearers. */
#define GTPV2C_MAX_FTEIDS 8

/* F-TEID interface types (TS 29.274 table 8.22-1) used for attribution. */
enum {
    GTPV2C_IF_S1U_ENB = 0,
    GTPV2C_IF_S1U_SGW = 1,
    GTPV2C_IF_S5U_SGW = 4,
    GTPV2C_IF_S5U_PGW = 5,
    GTPV2C_IF_S5C_SGW = 6,
    GTPV2C_IF_S5C_PGW = 7,
    GTPV2C_IF_S11_MME = 10,
    GTPV2C_IF_S11_SGW = 11,
};

struct gtpv2c_fteid {
    uint8_t iface;    /* interface type, low 6 bits of the flags octet */
    uint8_t instance; /* IE instance */
    bool bearer;      /* inside a Bearer Context (user plane) */
    uint32_t teid;
    bool has_v4, has_v6;
    uint8_t v4[4], v6[16];
};

struct gtpv2c_msg {
    uint8_t type;
    bool piggyback;  /* P flag: another message follows (not decoded) */
    bool has_teid;
    uint32_t teid;   /* header TEID: the receiver's control TEID */
    uint32_t seq;
    char imsi[TGPP_IMSI_MAX], msisdn[TGPP_MSISDN_MAX], mei[TGPP_IMEI_MAX];
    char apn[TGPP_APN_MAX];
    bool apn_cut;
    uint8_t pdn_type;  /* PAA: 1 IPv4, 2 IPv6, 3 IPv4v6; 0 = no PAA */
    bool has_v4, has_v6;
    uint8_t v4[4];
    uint8_t v6_plen;
    uint8_t v6[16];
    char cell[TGPP_CELL_MAX];
    int rat;           /* -1 = absent */
    int cause;         /* top-level Cause value, -1 = absent */
    bool has_lbi;      /* top-level EPS Bearer ID (Linked EBI in Delete Bearer Request) */
    unsigned nfteid;
    struct gtpv2c_fteid fteid[GTPV2C_MAX_FTEIDS];
    unsigned fteid_dropped, ies_over_limit;
};

/* True when s (a UDP payload, borrowed) starts like a GTPv2-C message:
 * version 2, a non-zero type, a length that fits in s and the header. */
bool gtpv2c_probe(struct span s);

/* Decodes the GTPv2-C message at c (untrusted, borrowed; a UDP payload) into
 * *out (overwritten; no pointers into c).  Returns PARSE_OK, PARSE_TRUNCATED
 * when the capture ends before the length the header claims (out holds only
 * the header), or PARSE_INVALID (wrong version, a length below the header,
 * an IE running past its message or group). */
enum parse_rc gtpv2c_parse(struct cursor *c, struct gtpv2c_msg *out);

#endif
