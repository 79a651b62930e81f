/* ranap.h - RANAP (Iu-CS, RNC <-> MSC over SCCP connections): the NAS-PDU
 * of InitialUE-Message and DirectTransfer, which carries the same L3
 * messages as DTAP on the A interface.
 *
 * Spec: 3GPP TS 25.413 section 9.3 (ASN.1; ALIGNED PER, ITU-T X.691):
 * RANAP-PDU ::= CHOICE { initiatingMessage, successfulOutcome, ... }:
 * one octet (extension bit, 2-bit choice, padding); procedureCode (1
 * octet: 19 InitialUE-Message, 20 DirectTransfer); criticality (1 octet);
 * value: open type (length determinant + contents).  The message is a
 * SEQUENCE with an extension bit and one optional bit (1 octet), then
 * protocolIEs: a 16-bit count and per IE: id (16 bits), criticality (1
 * octet), open type value.  NAS-PDU (id 16) is an OCTET STRING (length
 * determinant + octets).  Length determinants (X.691 10.9): 0xxxxxxx =
 * length, 10xxxxxx xxxxxxxx = 14-bit length, 11xxxxxx (fragments) refused.
 *
 *   | 00 | proc | crit | len | 00 | count 16 | id 16 | crit | len | value | ...
 */
#ifndef PR_CLASSIFY_RANAP_H
#define PR_CLASSIFY_RANAP_H

#include <stdbool.h>

#include "capture/cursor.h"
#include "capture/rc.h"

#define RANAP_SSN 142 /* TS 23.003 section 8.2 */
#define RANAP_PROC_INITIAL_UE 19
#define RANAP_PROC_DIRECT_TRANSFER 20
/* IEs examined per message. */
#define RANAP_MAX_IES 32

/* Extracts the NAS-PDU of an InitialUE-Message or DirectTransfer (c
 * untrusted; *nas borrows it).  *initial is true for InitialUE-Message.
 * Returns PARSE_OK, PARSE_NEED_MORE for other procedures or a message
 * without NAS-PDU, PARSE_TRUNCATED or PARSE_INVALID. */
enum parse_rc ranap_nas_pdu(struct cursor *c, struct cursor *nas, bool *initial);

#endif
