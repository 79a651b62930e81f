/* identity.h - one canonical form for a subscriber identity seen in several
 * notations.
 *
 * The same subscriber appears as "15551230001" (SMPP, TON international),
 * "+15551230001", "tel:+1-555-123-0001" (RFC 3966) and
 * "sip:+15551230001@ims.example;user=phone" (RFC 3261 / 3GPP TS 24.229).  The
 * report groups contact records by the canonical form so that one person is
 * one subject; the raw forms stay in the SMS records table.
 */
#ifndef PR_REPORT_IDENTITY_H
#define PR_REPORT_IDENTITY_H

#include <stddef.h>

struct sqlite3;

/* Longest digit string taken as a number: E.164 allows 15 digits, IMSIs 15;
 * longer values are kept as they are. */
#define IDENTITY_MAX_DIGITS 20

/* Writes the canonical form of in (untrusted, NUL-terminated) to out (cap
 * bytes, always terminated): for a telephone-number identity (optionally
 * with a sip:/sips:/tel: scheme, '+', RFC 3966 visual separators in tel/sip
 * forms, ";params" and "@domain") its digits only; anything else (IP
 * addresses, alphanumeric senders, non-numeric URIs) unchanged (cut to cap). */
void identity_canon(const char *in, char *out, size_t cap);

/* Registers identity_canon as the deterministic SQL function
 * trapline_identity(text) on db.  Returns 0 or RC_SQL. */
int identity_register(struct sqlite3 *db);

#endif
