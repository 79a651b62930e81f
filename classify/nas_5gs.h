/* nas_5gs.h - the 5GS NAS messages (UE <-> AMF, carried in NGAP NAS-PDUs)
 * that name a subscriber, give it an address, or carry its SMS.
 *
 * Spec: 3GPP TS 24.501.  Octet 1 is the extended protocol discriminator
 * (0x7e 5GMM, 0x2e 5GSM; section 9.2).  5GMM: octet 2 = security header
 * type (low nibble; section 9.3.1): 0 plain, then the message type; 1-4
 * security protected: a 4-octet MAC and a sequence number, then the plain
 * message; 2 and 4 are also ciphered and read only under NEA0 (as
 * nas_eps.h).  5GSM: PDU session ID, PTI, message type (section 9.6-9.7).
 *
 * What is read (section 8.2 / 8.3; IEs in 9.11):
 *   0x41 Registration request   5GS mobile identity (LV-E): SUCI, 5G-GUTI
 *   0x42 Registration accept    5G-GUTI (0x77, the first optional IE)
 *   0x45 / 0x47 Deregistration request (UE / network originating)
 *   0x4c Service request        5G-S-TMSI (LV-E)
 *   0x5c Identity response      5GS mobile identity (LV-E)
 *   0x5d Security mode command  selected algorithms: ciphering in bits 8-5
 *   0x5e Security mode complete IMEISV (0x77), NAS message container (0x71:
 *                               the initial message again, read for its
 *                               identity)
 *   0x67 / 0x68 UL / DL NAS transport: payload container type (1 N1 SM
 *                               information: a 5GSM message, read; 2 SMS:
 *                               a 24.011 CP message), container (LV-E)
 *   5GSM 0xc2 PDU session establishment accept: PDU address (0x29: type
 *                               1 IPv4, 3 IPv4v6 with the interface
 *                               identifier first), DNN (0x25)
 *
 * SUCI (9.11.3.4): SUPI format IMSI, PLMN, routing indicator, protection
 * scheme, home network key id, scheme output.  Only the null scheme (0)
 * leaves the MSIN in clear (TS 33.501 section 6.12.2); a concealed SUCI
 * (Profile A or B) is kept in nas_msg for the row to de-conceal with the
 * home network's keys (classify/suci.h), and names nobody without them.  IMEI and IMEISV are types 3 and 5 here (24.008 numbers
 * them 2 and 3).
 */
#ifndef PR_CLASSIFY_NAS_5GS_H
#define PR_CLASSIFY_NAS_5GS_H

#include "capture/cursor.h"
#include "capture/rc.h"
#include "classify/ran.h"

#define NAS_EPD_5GMM 0x7e
#define NAS_EPD_5GSM 0x2e

enum {
    NAS5_REGISTRATION_REQUEST = 0x41,
    NAS5_REGISTRATION_ACCEPT = 0x42,
    NAS5_DEREGISTRATION_UE = 0x45,
    NAS5_DEREGISTRATION_NW = 0x47,
    NAS5_SERVICE_REQUEST = 0x4c,
    NAS5_CONFIG_UPDATE_CMD = 0x54, /* its 5G-GUTI: a new 5G-TMSI (8.2.19) */
    NAS5_IDENTITY_RESPONSE = 0x5c,
    NAS5_SMC = 0x5d,
    NAS5_SMC_COMPLETE = 0x5e,
    NAS5_UL_TRANSPORT = 0x67,
    NAS5_DL_TRANSPORT = 0x68,
    NAS5_PDU_SESSION_ACCEPT = 0xc2,
    NAS5_PDU_SESSION_RELEASE_CMD = 0xd3, /* PDU session release command (8.3.14) */
};

/* Decodes one 5GS NAS-PDU (c untrusted): as nas_eps_parse. */
enum parse_rc nas_5gs_parse(struct cursor *c, enum nas_cipher cipher, struct nas_msg *m);

#endif
