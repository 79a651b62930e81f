/* gtpv1c.h - GTPv1-C (and GTPv0) PDP context decoding for subscriber
 * attribution (metadata only).
 *
 * Specs: 3GPP TS 29.060 section 6 (GTPv1 header), 7.1 (message types), 7.7
 * (IEs; table 37: TV types < 128 have a fixed length and no length field,
 * types >= 128 are TLV with a 2-octet length); GSM 09.60 (GTPv0: 20-octet
 * header whose TID holds the IMSI and NSAPI).
 *
 *  v1:  | ver=1 PT=1 * E S PN | type | length (after 8) | TEID (4) |
 *       | seq (2) | N-PDU (1) | next ext (1) |   only when E, S or PN
 *  v0:  | ver=0 PT=1 111 SNN | type | length (after 20) | seq (2) |
 *       | flow label (2) | SNDCP N-PDU (1) | spare (3) | TID (8) |
 *  IE:  TV  | type < 128 | value (fixed length from the table) |
 *       TLV | type >= 128 | length (2) | value |
 *
 * An unknown TV type makes the rest of a message unparseable (its length is
 * unknown): the decoder stops there and keeps what it read so far.
 */
#ifndef PR_CLASSIFY_GTPV1C_H
#define PR_CLASSIFY_GTPV1C_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "capture/rc.h"
#include "classify/tgpp.h"

/* Message types (TS 29.060 table 1). */
enum {
    GTPV1C_CREATE_PDP_REQ = 16,
    GTPV1C_CREATE_PDP_RESP = 17,
    GTPV1C_UPDATE_PDP_REQ = 18,
    GTPV1C_UPDATE_PDP_RESP = 19,
    GTPV1C_DELETE_PDP_REQ = 20,
    GTPV1C_DELETE_PDP_RESP = 21,
};

/* IEs examined per message (a Create PDP Context Request carries ~20). */
#define GTPV1C_MAX_IES 64
/* GSN addresses kept: control plane then user plane (section 7.7.32). */
#define GTPV1C_MAX_GSN 2

/* Cause "Request accepted" (TS 29.060 section 7.7.1). */
#define GTPV1C_CAUSE_ACCEPTED 128

struct gtpv1c_msg {
    uint8_t version;      /* 0 or 1 */
    uint8_t type;
    uint32_t teid;        /* v1 header TEID: the receiver's control TEID */
    uint64_t tid;         /* v0 header TID (IMSI TBCD + NSAPI) */
    bool has_seq;
    uint16_t seq;
    char imsi[TGPP_IMSI_MAX], msisdn[TGPP_MSISDN_MAX], imei[TGPP_IMEI_MAX];
    char apn[TGPP_APN_MAX];
    bool apn_cut;
    uint8_t pdp_type;     /* End User Address PDP type number (0x21 IPv4, 0x57 IPv6, 0x8D v4v6) */
    bool has_eua;
    bool has_v4, has_v6;
    uint8_t v4[4], v6[16];
    bool has_teid_data, has_teid_ctl;
    uint32_t teid_data, teid_ctl;
    unsigned ngsn;
    uint8_t gsn[GTPV1C_MAX_GSN][16];
    uint8_t gsn_len[GTPV1C_MAX_GSN]; /* 4 or 16 */
    char cell[TGPP_CELL_MAX];
    int rat;              /* -1 = absent */
    int cause;            /* -1 = absent */
    int nsapi;            /* -1 = absent */
    bool stopped;         /* an unknown TV type ended the IE walk early */
    unsigned ies_over_limit;
};

/* Fixed value length of TV IE type t (< 128) for GTP version v (0 or 1),
 * from TS 29.060 table 37 / GSM 09.60; 0 when the type is unknown. */
unsigned gtpv1c_tv_len(uint8_t version, uint8_t t);

/* True when s starts like a GTPv0/v1-C message of a type this decoder
 * reads: PT = 1, version 0 or 1, and a length that fits in s. */
bool gtpv1c_probe(struct span s);

/* Decodes one message at c (untrusted, borrowed; a UDP payload) into *out
 * (overwritten).  Returns PARSE_OK, PARSE_TRUNCATED (the capture ends
 * before the claimed length; only the header is kept) or PARSE_INVALID (bad
 * version / PT, a length too small for the header, a TLV past the end). */
enum parse_rc gtpv1c_parse(struct cursor *c, struct gtpv1c_msg *out);

#endif
