/* bssap.h - BSSAP on the A interface (BSC <-> MSC over SCCP connections):
 * the layer-3 message a DTAP or BSSMAP Complete Layer 3 Information
 * carries.
 *
 * Spec: 3GPP TS 48.006 section 9.3 (distribution: discriminator octet 0x00
 * BSSMAP / 0x01 DTAP; DTAP: DLCI (1), length (1), L3 message), TS 48.008
 * section 3.2.1.32 (Complete Layer 3 Information 0x57: Cell Identifier
 * IE 0x05, Layer 3 Information IE 0x17 (length + L3 message)).
 *
 *   DTAP:   | 0x01 | DLCI | len | L3 ... |
 *   BSSMAP: | 0x00 | len | type | IEI | len | value | ... |
 */
#ifndef PR_CLASSIFY_BSSAP_H
#define PR_CLASSIFY_BSSAP_H

#include <stdbool.h>

#include "capture/cursor.h"
#include "capture/rc.h"

#define BSSAP_SSN 254 /* TS 23.003 / Q.713 Annex B: BSSAP */
/* IEs examined per BSSMAP message. */
#define BSSAP_MAX_IES 16

/* Extracts the L3 message (c untrusted; *l3 borrows it).  *initial says
 * it came in a Complete Layer 3 Information (the connection's first
 * message, which names the subscriber).  Returns PARSE_OK, PARSE_NEED_MORE
 * for BSSMAP messages without an L3 message, PARSE_TRUNCATED or
 * PARSE_INVALID (unknown discriminator). */
enum parse_rc bssap_l3(struct cursor *c, struct cursor *l3, bool *initial);

#endif
