/* s1ap.h - S1AP (eNodeB <-> MME, the LTE radio network's control plane):
 * the UE-associated messages that carry NAS-PDUs, the UE's cell, and its
 * S1-U tunnels.
 *
 * Spec: 3GPP TS 36.413 section 9.3 (ASN.1, ALIGNED PER; the PDU and IE
 * container as classify/aper.h reads them).  SCTP port 36412, payload
 * protocol identifier 18 (section 7; RFC 4960 PPID registry).
 *
 * Procedures read (9.3.7): 5 E-RABSetup, 9 InitialContextSetup, 11
 * downlinkNASTransport, 12 initialUEMessage, 13 uplinkNASTransport, 16
 * NASNonDeliveryIndication (its NAS-PDU is not read: it was not delivered).
 * IEs: 0 MME-UE-S1AP-ID, 8 eNB-UE-S1AP-ID (INTEGER: 2 bits of octet count,
 * then the octets), 26 NAS-PDU (OCTET STRING), 67 TAI (ext/opt octet, PLMN
 * 3, TAC 2), 100 EUTRAN-CGI (ext/opt octet, PLMN 3, cell identity: 28 bits
 * left-aligned in 4 octets), 96 S-TMSI (ext/opt octet, MMEC 1, M-TMSI 4),
 * 24 / 16 E-RAB to-be-setup lists (request: items 52 / 17, each an E-RAB
 * ID, QoS parameters, transport layer address (BIT STRING 1..160: IPv4,
 * IPv6 or both), GTP-TEID (4 octets) and a NAS-PDU), 51 / 28 E-RAB setup
 * lists (response: items 50 / 39, E-RAB ID, address, TEID).
 */
#ifndef PR_CLASSIFY_S1AP_H
#define PR_CLASSIFY_S1AP_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "capture/rc.h"
#include "classify/ran.h"

#define S1AP_PORT 36412
#define S1AP_PPID 18

enum {
    S1AP_PROC_HANDOVER_RESOURCE_ALLOCATION = 1, /* S1 handover: the MME to the target */
    S1AP_PROC_HANDOVER_NOTIFY = 2, /* ... the target: the UE arrived, in this cell */
    S1AP_PROC_PATH_SWITCH = 3, /* X2 handover: the target eNodeB names the UE's MME UE id */
    S1AP_PROC_E_RAB_SETUP = 5,
    S1AP_PROC_E_RAB_RELEASE = 7, /* its Command may carry the NAS deactivation */
    S1AP_PROC_INITIAL_CONTEXT_SETUP = 9,
    S1AP_PROC_DL_NAS_TRANSPORT = 11,
    S1AP_PROC_INITIAL_UE_MESSAGE = 12,
    S1AP_PROC_UL_NAS_TRANSPORT = 13,
};

/* IEs examined per message. */
#define S1AP_MAX_IES 64

/* Is s (an SCTP chunk's user data) plausibly one S1AP PDU: a root CHOICE,
 * a criticality, and an open type that fills it exactly? */
bool s1ap_probe(struct span s);

/* Decodes one S1AP PDU (c untrusted) into m.  Procedures not listed above
 * are PARSE_OK with only outcome and proc set. */
enum parse_rc s1ap_parse(struct cursor *c, struct ran_msg *m);

#endif
