/* sms_addr.h - shared SMS helpers: event defaults, address decoding
 * (semi-octet BCD / TBCD, GSM 7-bit alphanumeric, ASCII C-strings), the
 * 16-bit TLV walk (SMPP optional parameters, M3UA parameters) and the
 * decoder-to-dispatcher "leg" hand-off.
 *
 * Specs: 3GPP TS 23.040 section 9.1.2.3 (semi-octets) and 9.1.2.5 (address
 * fields), TS 23.038 section 6.2.1 (GSM 7-bit default alphabet), TS 29.002
 * section 17.7.8 (TBCD-STRING), SMPP v3.4 section 5.3 (TLV), RFC 4666
 * section 3.2 (M3UA parameter format).
 *
 * Every function reads untrusted bytes only through the byte cursor or a
 * borrowed span and writes bounded, NUL-terminated copies.  None of them is
 * ever given message text: callers skip content fields before calling.
 */
#ifndef PR_CLASSIFY_SMS_ADDR_H
#define PR_CLASSIFY_SMS_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "capture/rc.h"
#include "classify/events.h"

/* A decoded transfer leg handed from a protocol decoder to the dispatcher
 * (classify/carrier.c), which pairs requests with responses by key. */
enum sms_leg_kind {
    SMS_LEG_REQUEST = 0, /* ev filled; wait for a response with the same key */
    SMS_LEG_RESPONSE,    /* ev.status (and ev.imsi when known) for the request */
    SMS_LEG_FINAL,       /* a complete event with no response to wait for */
};

struct sms_leg {
    enum sms_leg_kind kind;
    uint64_t key1, key2; /* correlation (sequence number, transaction id, ...) */
    struct sms_event ev;
};

/* Receives one leg (borrowed for the call). */
typedef void (*sms_leg_fn)(const struct sms_leg *leg, void *user);

/* Sets ev to "nothing known": empty strings, -1 for absent numbers. */
void sms_addr_event_init(struct sms_event *ev, const char *protocol, uint64_t ts_us);

/* Decodes n bytes of swapped semi-octets (first digit in the low nibble;
 * 0xA '*', 0xB '#', 0xC 'a', 0xD 'b', 0xE 'c'; 0xF ends the value) into out
 * (NUL-terminated, at most max_digits digits).  Returns false when out was
 * too small (the value is cut).  out_size must be >= 1. */
bool sms_addr_tbcd(struct span in, size_t max_digits, char *out, size_t out_size);

/* Unpacks nchars GSM 7-bit default-alphabet characters from in (packed
 * LSB first, TS 23.038 section 6.1.2.1.1); characters outside printable
 * ASCII become '?'.  Returns false when in or out was too short. */
bool sms_addr_gsm7(struct span in, size_t nchars, char *out, size_t out_size);

/* Copies a C-Octet String field: at most max bytes up to and including its
 * NUL from c (advancing past the NUL).  Non-printable bytes become '?'.
 * Returns PARSE_OK, PARSE_TRUNCATED when c ends first, PARSE_INVALID when
 * no NUL comes within max bytes.  With out_size == 1 the field is skipped
 * and nothing is copied (SMPP passwords). */
enum parse_rc sms_addr_cstring(struct cursor *c, size_t max, char *out, size_t out_size);

/* Bounded printable copy of a span (stops at NUL; others become '?').
 * Returns false when the value was cut. */
bool sms_addr_copy(struct span in, char *out, size_t out_size);

/* Decodes a 23.040 TP address field (length in semi-octets, TOA, value)
 * from c.  TON 5 is decoded as GSM 7-bit text.  *ton / *npi get the type of
 * address fields.  Returns PARSE_OK, PARSE_TRUNCATED or PARSE_INVALID
 * (length over 20 semi-octets). */
enum parse_rc sms_addr_tp(struct cursor *c, char *out, size_t out_size, int *ton, int *npi);

/* Decodes an address with a leading type-of-address octet followed by TBCD
 * digits (RP address value, MAP AddressString, SCCP-less ISDN numbers). */
void sms_addr_toa_digits(struct span in, char *out, size_t out_size, int *ton, int *npi);

/* One 16-bit tag / 16-bit length TLV.  When len_has_hdr the length counts
 * the 4 header bytes (M3UA); when pad4 the value is padded to 4 bytes. */
struct sms_tlv {
    uint16_t tag;
    struct cursor val;
};

/* Reads the next TLV of c.  Returns PARSE_OK, PARSE_NEED_MORE at the clean
 * end of c, PARSE_TRUNCATED or PARSE_INVALID. */
enum parse_rc sms_addr_tlv16(struct cursor *c, bool len_has_hdr, bool pad4, struct sms_tlv *out);

#endif
