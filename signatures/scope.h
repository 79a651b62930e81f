/* scope.h - the authorisation scope: which targets an order names, for which
 * validity window, and which outputs it allows (DOMAIN.md §1.1, §1.6 item 1).
 *
 * A scope file (YAML, one document) is loaded once into a validated,
 * immutable struct scope, as signature files are (sig_load.c):
 *
 *   version: 1
 *   case: LIID-2024-0042            # LIID, 1-25 printable ASCII (TS 101 671)
 *   authority:
 *     kind: pen-register            # pen-register | trap-and-trace | pen-trap | iri-only
 *     reference: "24-MJ-1234"       # order / warrant number
 *     issued-by: "US District Court, District of Example"
 *     issued: 2024-02-28            # date or UTC date-time
 *   window:                         # UTC, ISO-8601, [from, to)
 *     from: 2024-03-01T00:00:00Z
 *     to: 2024-04-30T00:00:00Z
 *   outputs: [records, inferred-activity]   # records required; inferred-activity,
 *                                           # inferred-contact optional
 *   operator: "Det. J. Doe"
 *   targets:                        # one identifier key each, optional window
 *     - msisdn: "+1 (555) 123-0001" # any notation: kept as digits only
 *     - imsi: "001010000000001"
 *     - imei: "35-209900-176148-1"  # kept as TAC+SNR (14 digits): IMEI and IMEISV match
 *     - ip: 10.45.0.0/24            # address or CIDR, IPv4 or IPv6
 *     - uri: "sip:alice@ims.example"  # sip:/sips:/tel:; a numeric user is a number
 *       window: {from: 2024-03-02T00:00:00Z, to: 2024-03-03T00:00:00Z}
 *
 * Every error names file:line:col (libyaml marks are 0-based; we add 1).
 * Unknown keys, duplicate keys, anchors/aliases, several documents, a
 * nesting deeper than SCOPE_MAX_DEPTH or more than SCOPE_MAX_NODES nodes
 * are errors: a scope that does not say exactly one thing is refused.
 */
#ifndef PR_SIGNATURES_SCOPE_H
#define PR_SIGNATURES_SCOPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/rc.h"

/* Limits.  A scope names a handful of identifiers: 256 targets is far more
 * than an order lists, and bounds the filter's linear scan.  The depth and
 * node limits bound what the event parser builds from a hostile file (the
 * schema nests 4 deep; 16 leaves room for errors to be reported in place). */
#define SCOPE_MAX_TARGETS 256
#define SCOPE_MAX_DEPTH 16
#define SCOPE_MAX_NODES 4096
#define SCOPE_FILE_MAX (1u << 20)   /* 1 MiB: a scope is a page of text */
#define SCOPE_LIID_MAX 26           /* TS 101 671: LIID is 1..25 octets */
#define SCOPE_TEXT_MAX 128          /* reference, issuer, operator */
#define SCOPE_VALUE_MAX 128         /* a target's canonical value */
#define SCOPE_MSISDN_MIN_DIGITS 3   /* short codes */
#define SCOPE_MSISDN_MAX_DIGITS 15  /* E.164 §6.1: at most 15 digits */
#define SCOPE_IMSI_MIN_DIGITS 6     /* TS 23.003 §2.2: MCC(3) + MNC(2-3) + MSIN */
#define SCOPE_IMSI_MAX_DIGITS 15
#define SCOPE_IMEI_KEY_DIGITS 14    /* TS 23.003 §6.2: TAC(8) + SNR(6) */

enum scope_target_kind {
    SCOPE_TARGET_MSISDN,
    SCOPE_TARGET_IMSI,
    SCOPE_TARGET_IMEI,
    SCOPE_TARGET_IP,
    SCOPE_TARGET_URI,
    SCOPE_TARGET_KIND_COUNT
};

/* Allowed outputs (bit set). */
enum scope_output {
    SCOPE_OUT_RECORDS = 1u << 0,
    SCOPE_OUT_INFERRED_ACTIVITY = 1u << 1,
    SCOPE_OUT_INFERRED_CONTACT = 1u << 2,
};

/* [from_us, to_us): UTC microseconds since the epoch. */
struct scope_window {
    uint64_t from_us, to_us;
};

struct scope_target {
    enum scope_target_kind kind;
    /* Canonical value: MSISDN digits only; IMSI digits; IMEI's 14 TAC+SNR
     * digits; IP in text form with "/prefix"; URI: the digits of a numeric
     * user (so it matches that number in any notation), else the lower-cased
     * "user@host" without parameters. */
    char value[SCOPE_VALUE_MAX];
    bool uri_is_number;      /* URI whose user part is a telephone number */
    uint8_t family;          /* IP: 4 or 6 */
    uint8_t addr[16];        /* IP: network address */
    uint8_t prefix;          /* IP: prefix length */
    struct scope_window window; /* its own window, or the scope's */
    bool own_window;
    unsigned line, col;      /* where it was declared */
};

struct scope {
    char file[256];
    char liid[SCOPE_LIID_MAX];
    char authority_kind[32];
    char reference[SCOPE_TEXT_MAX];
    char issued_by[SCOPE_TEXT_MAX];
    char issued[32];         /* as written (a date or a UTC date-time), validated */
    struct scope_window window;
    unsigned outputs;        /* enum scope_output bits; RECORDS always set */
    char operator_name[SCOPE_TEXT_MAX];
    size_t ntargets;
    struct scope_target targets[SCOPE_MAX_TARGETS];
    char sha256_hex[65];     /* of the file's bytes */
    uint8_t *bytes;          /* owned copy of the file (the audit snapshot) */
    size_t nbytes;
};

/* Loads and validates the scope file at path.  Returns owned (scope_free)
 * or NULL with e set: RC_IO (cannot read), RC_CONFIG ("file:line:col: why"),
 * RC_LIMIT (larger than SCOPE_FILE_MAX), RC_NOMEM. */
struct scope *scope_load_file(const char *path, struct err *e);

/* The same from buf (untrusted, borrowed; len bytes, no NUL needed); name
 * is used in error messages and kept in ->file. */
struct scope *scope_load_buffer(const char *name, const uint8_t *buf, size_t len, struct err *e);

void scope_free(struct scope *s);

const char *scope_target_kind_name(enum scope_target_kind k);

/* Writes "records, inferred-activity" (the allowed outputs) into out. */
void scope_outputs_text(unsigned outputs, char *out, size_t cap);

/* Writes one line per target ("msisdn 15551230001",
 * "ip 10.45.0.0/24 [2024-03-02T00:00:00Z, 2024-03-03T00:00:00Z)" for its own
 * window), separated by "; ", into out (cut at cap, always terminated). */
void scope_targets_text(const struct scope *s, char *out, size_t cap);

/* Formats UTC microseconds as "YYYY-MM-DDTHH:MM:SSZ" (seconds) or with
 * ".ffffff" when the microseconds are not zero. */
void scope_format_time(uint64_t us, char out[32]);

/* Parses a UTC ISO-8601 time "YYYY-MM-DD[THH:MM:SS[.ffffff](Z|+00:00)]"
 * into microseconds.  Returns false when s is not one. */
bool scope_parse_time(const char *s, uint64_t *us);

/* Canonical MSISDN of s in any notation ("+1 (555) 123-0001",
 * "tel:+1-555-123-0001", "sip:+15551230001@host;user=phone", "15551230001"):
 * its digits, written to out.  Returns false when s is not a number of
 * SCOPE_MSISDN_MIN_DIGITS..SCOPE_MSISDN_MAX_DIGITS digits. */
bool scope_canon_msisdn(const char *s, char *out, size_t cap);

#endif
