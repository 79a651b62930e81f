/* tgpp.h - 3GPP value encodings shared by the mobile-core control-plane
 * decoders (GTPv1-C, GTPv2-C, RADIUS 3GPP VSAs, Diameter Gx/Gy).
 *
 * Specs: 3GPP TS 23.003 section 2.2 (IMSI, at most 15 digits), 6.2 (IMEI 15 /
 * IMEISV 16 digits), 9.1 (APN: DNS labels, at most 100 octets); TS 24.008
 * section 10.5.1.3 (PLMN: MCC2|MCC1, MNC3|MCC3, MNC2|MNC1, MNC3 = 0xF for a
 * two-digit MNC); TS 29.274 section 8.21 (GTPv2 ULI); TS 29.061 section 16.4.7
 * (3GPP-User-Location-Info: a type octet then one location).
 *
 * Everything here reads untrusted bytes through a borrowed span and writes
 * bounded, NUL-terminated text.
 */
#ifndef PR_CLASSIFY_TGPP_H
#define PR_CLASSIFY_TGPP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/cursor.h"

#define TGPP_IMSI_MAX 16    /* 15 digits + NUL (TS 23.003 section 2.2) */
#define TGPP_MSISDN_MAX 16  /* E.164: 15 digits + NUL */
#define TGPP_IMEI_MAX 17    /* IMEISV: 16 digits + NUL */
#define TGPP_APN_MAX 101    /* 100 octets + NUL (TS 23.003 section 9.1) */
#define TGPP_CELL_MAX 64    /* "tai:mcc-mnc-tac;ecgi:mcc-mnc-eci" fits */
#define TGPP_USER_MAX 64    /* NAI / SIP URI / User-Name; longer values are cut */

/* Location kinds of TS 29.061 section 16.4.7.2 / TS 29.060 section 7.7.51. */
enum tgpp_loc {
    TGPP_LOC_CGI = 0,
    TGPP_LOC_SAI = 1,
    TGPP_LOC_RAI = 2,
    TGPP_LOC_TAI = 128,
    TGPP_LOC_ECGI = 129,
    TGPP_LOC_TAI_ECGI = 130,
    /* not GTP's numbers: 5GS locations (TS 38.413 9.3.3.x, TS 23.003 19.4.2.3) */
    TGPP_LOC_5GS_TAI = 256, /* PLMN, 3-octet TAC */
    TGPP_LOC_NCGI = 257,    /* PLMN, 36-bit NR cell identity right-aligned in 5 octets */
};

/* TBCD digits (low nibble first, 0xF filler) of s into out, at most
 * max_digits.  Non-decimal nibbles end the value.  Returns false when the
 * value was cut or empty. */
bool tgpp_tbcd(struct span s, size_t max_digits, char *out, size_t out_size);

/* Digits only of a text identity (3GPP-IMSI, Subscription-Id-Data E.164):
 * copies s into out when every byte is a decimal digit and it fits, else
 * leaves out empty and returns false. */
bool tgpp_digits(struct span s, char *out, size_t out_size);

/* An APN in DNS label form (TS 23.003 section 9.1) to dotted text; bytes
 * that are not printable become '?'.  *cut is set when it did not fit. */
void tgpp_apn(struct span s, char *out, size_t out_size, bool *cut);

/* The digits of a PLMN identity (3 octets, TS 24.008 10.5.1.3: MCC, then a
 * 2- or 3-digit MNC) into out ("00101"); false when short or not digits. */
bool tgpp_plmn_digits(struct span s, char *out, size_t out_size);

/* Appends one location of kind `kind` read from c to out (bounded, ';'
 * between parts).  Returns false when c was short (nothing appended). */
bool tgpp_loc_append(struct cursor *c, enum tgpp_loc kind, char *out, size_t out_size);

/* GTPv2 ULI value (TS 29.274 section 8.21): flags octet, then CGI, SAI,
 * RAI, TAI, ECGI, LAI (in that order, as flagged) into out.  The macro
 * eNodeB parts are ignored.  Returns false when the value was short. */
bool tgpp_uli_v2(struct span s, char *out, size_t out_size);

/* 3GPP-User-Location-Info / GTPv1 ULI value: a type octet, then one
 * location (TAI+ECGI for type 130).  Returns false when short or of an
 * unknown type (out left empty). */
bool tgpp_uli_typed(struct span s, char *out, size_t out_size);

/* Framed-IPv6-Prefix (RFC 3162 section 2.3; the same layout as a RADIUS
 * attribute and a Diameter AVP value): reserved octet, prefix length
 * (0..128), then the prefix octets the length needs.  v is the value
 * (untrusted, by value).  On success fills prefix[16] (zero-padded) and
 * *plen and returns true; on a short or contradictory value returns false
 * and leaves both unchanged. */
bool tgpp_framed_v6_prefix(struct cursor v, uint8_t prefix[16], uint8_t *plen);

#endif
