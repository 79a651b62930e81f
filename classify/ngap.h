/* ngap.h - NGAP (gNB <-> AMF, the 5G radio network's control plane, N2):
 * the UE-associated messages that carry NAS-PDUs, the UE's cell, and its
 * N3 (GTP-U) tunnels.
 *
 * Spec: 3GPP TS 38.413 section 9.4 (ASN.1, ALIGNED PER; the PDU and IE
 * container as classify/aper.h reads them).  SCTP port 38412, payload
 * protocol identifier 60 (section 7; RFC 4960 PPID registry).
 *
 * Procedures read (9.4.7): 4 DownlinkNASTransport, 14 InitialContextSetup,
 * 15 InitialUEMessage, 29 PDUSessionResourceSetup, 46 UplinkNASTransport.
 * IEs: 10 AMF-UE-NGAP-ID (INTEGER (0..2^40-1): 3 bits of octet count),
 * 85 RAN-UE-NGAP-ID (INTEGER (0..2^32-1): 2 bits), 38 NAS-PDU,
 * 121 UserLocationInformation (CHOICE of 4: EUTRA (E-UTRA CGI, TAI) or NR
 * (NR CGI: PLMN, 36-bit cell identity; TAI: PLMN, 3-octet TAC)),
 * 26 FiveG-S-TMSI (AMF set 10 bits, pointer 6 bits, 5G-TMSI 4 octets),
 * 71 / 74 PDU session setup request lists (items, not IE containers:
 * PDU session ID, optional NAS-PDU, S-NSSAI, and the
 * PDUSessionResourceSetupRequestTransfer, whose IE 139
 * UL-NGU-UP-TNLInformation is the UPF's GTP tunnel), 72 / 75 response
 * lists (PDU session ID, PDUSessionResourceSetupResponseTransfer: the
 * gNB's DL GTP tunnel first).
 */
#ifndef PR_CLASSIFY_NGAP_H
#define PR_CLASSIFY_NGAP_H

#include <stdbool.h>

#include "capture/cursor.h"
#include "capture/rc.h"
#include "classify/ran.h"

#define NGAP_PORT 38412
#define NGAP_PPID 60

enum {
    NGAP_PROC_DL_NAS_TRANSPORT = 4,
    NGAP_PROC_HANDOVER_NOTIFY = 11, /* N2 handover: the target gNB has the UE, in this cell */
    NGAP_PROC_HANDOVER_RESOURCE_ALLOCATION = 13, /* N2 handover: the AMF to the target */
    NGAP_PROC_INITIAL_CONTEXT_SETUP = 14,
    NGAP_PROC_INITIAL_UE_MESSAGE = 15,
    NGAP_PROC_PATH_SWITCH = 25, /* Xn handover: the target gNB names the UE's AMF UE id */
    NGAP_PROC_PDU_SESSION_RELEASE = 28, /* its Command may carry the NAS release */
    NGAP_PROC_PDU_SESSION_SETUP = 29,
    NGAP_PROC_UL_NAS_TRANSPORT = 46,
};

/* IEs examined per message. */
#define NGAP_MAX_IES 64

/* Is s (an SCTP chunk's user data) plausibly one NGAP PDU? */
bool ngap_probe(struct span s);

/* Decodes one NGAP PDU (c untrusted) into m.  Procedures not listed above
 * are PARSE_OK with only outcome and proc set. */
enum parse_rc ngap_parse(struct cursor *c, struct ran_msg *m);

#endif
