/* nas_eps.h - the EPS NAS messages (UE <-> MME, carried in S1AP NAS-PDUs)
 * that name a subscriber, give it an address, or carry its SMS.
 *
 * Spec: 3GPP TS 24.301.  Octet 1: bits 8-5 security header type (EMM) or
 * EPS bearer identity (ESM), bits 4-1 protocol discriminator (7 EMM, 2 ESM;
 * section 9.2, 9.3.1).  A security-protected EMM message (header types
 * 1-4) is octet 1, a 4-octet MAC and a sequence number, then the plain
 * message (section 9.1); types 2 and 4 are also ciphered, and read only
 * when the caller says the algorithm is EEA0 (null ciphering) or may be;
 * type 12 is the short Service Request.  Plain EMM: octet 1, message type
 * (section 9.8.1); plain ESM: octet 1, PTI, message type (9.8.2).
 *
 * What is read (section 8.2 / 8.3; IEs in 9.9):
 *   0x41 Attach request        EPS mobile identity (LV: IMSI or GUTI),
 *                              ESM container (LV-E: PDN connectivity request)
 *   0x42 Attach accept         ESM container (Activate default EPS bearer
 *                              context request: APN, PDN address), GUTI (0x50)
 *   0x45 Detach request        EPS mobile identity (UE originating)
 *   0x48 TAU request           old GUTI (LV)
 *   0x49 TAU accept            GUTI (0x50)
 *   0x50 GUTI reallocation cmd GUTI (LV)
 *   0x56 Identity response     Mobile identity (LV: IMSI, IMEI, IMEISV)
 *   0x5d Security mode command selected NAS algorithms (EEA in bits 7-5)
 *   0x5e Security mode complete IMEISV (0x23)
 *   0x62 / 0x63 Downlink / Uplink NAS transport: NAS message container (LV),
 *                              a 24.011 CP message (SMS over SGs' radio leg)
 *   ESM 0xc1 Activate default EPS bearer context request (APN, PDN address)
 *
 * PDN address (9.9.4.9): PDN type (1 IPv4, 2 IPv6, 3 IPv4v6), then the IPv4
 * address, the IPv6 interface identifier (8 octets), or both (identifier
 * first).  The identifier is not the UE's /64, so only IPv4 is kept.
 */
#ifndef PR_CLASSIFY_NAS_EPS_H
#define PR_CLASSIFY_NAS_EPS_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "capture/rc.h"
#include "classify/ran.h"

#define NAS_PD_ESM 0x02
#define NAS_PD_EMM 0x07

enum {
    NAS_ATTACH_REQUEST = 0x41,
    NAS_ATTACH_ACCEPT = 0x42,
    NAS_DETACH_REQUEST = 0x45,
    NAS_TAU_REQUEST = 0x48,
    NAS_TAU_ACCEPT = 0x49,
    NAS_SERVICE_REQUEST = 0x4d, /* pseudo type: header type 12 (no message type octet) */
    NAS_GUTI_REALLOC = 0x50,
    NAS_IDENTITY_RESPONSE = 0x56,
    NAS_SMC = 0x5d,
    NAS_SMC_COMPLETE = 0x5e,
    NAS_DL_TRANSPORT = 0x62,
    NAS_UL_TRANSPORT = 0x63,
    NAS_ESM_ACT_DEFAULT_REQ = 0xc1,
    NAS_ESM_DEACT_REQ = 0xcd, /* Deactivate EPS bearer context request (8.3.12) */
};

/* Decodes one NAS-PDU (c untrusted).  PARSE_OK with m filled (m->type 0:
 * a message not listed above, or one not read), PARSE_TRUNCATED when a
 * listed message is cut short, PARSE_INVALID when octet 1 is not EMM or ESM.
 * Nothing of a message's content is kept but the fields above. */
enum parse_rc nas_eps_parse(struct cursor *c, enum nas_cipher cipher, struct nas_msg *m);

#endif
