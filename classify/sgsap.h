/* sgsap.h - SGsAP (MME <-> MSC/VLR) decoding for SMS over SGs: the
 * Uplink / Downlink Unitdata messages whose NAS message container holds a
 * 24.011 CP message (SMS for LTE without IMS), with the IMSI every message
 * carries.
 *
 * Spec: 3GPP TS 29.118 section 8.1 (message type octet, then IEs as IEI
 * (1) + length (1) + value), 8.22 (Uplink-Unitdata 0x08), 8.6
 * (Downlink-Unitdata 0x07), 9.4.6 (IMSI IEI 0x01: 24.008 Mobile Identity
 * value), 9.4.15 (NAS message container IEI 0x16).  SCTP payload protocol
 * 0, port 29118.
 *
 *   | type | 0x01 | len | IMSI | 0x16 | len | CP message | other IEs ... |
 */
#ifndef PR_CLASSIFY_SGSAP_H
#define PR_CLASSIFY_SGSAP_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "capture/rc.h"
#include "classify/sms_addr.h"

#define SGSAP_PORT 29118
#define SGSAP_PPID 0 /* TS 29.118 section 7.1: unspecified */
#define SGSAP_DOWNLINK_UNITDATA 0x07
#define SGSAP_UPLINK_UNITDATA 0x08
/* IEs examined per message. */
#define SGSAP_MAX_IES 32

/* Is s plausibly an SGsAP message (known type, first IE an IMSI)? */
bool sgsap_probe(struct span s);

/* Decodes one SGsAP message (c untrusted).  For Unitdata messages decodes
 * the NAS container's CP message and emits its legs (protocol "sgsap",
 * imsi from the message).  Returns the number of legs emitted (>= 0) or a
 * negative parse_rc. */
int sgsap_parse(struct cursor *c, uint64_t ts_us, sms_leg_fn fn, void *user);

#endif
