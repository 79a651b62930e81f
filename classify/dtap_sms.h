/* dtap_sms.h - SMS over the NAS / DTAP CP layer (the UE <-> core leg:
 * SGsAP NAS container, Iu-CS RANAP NAS-PDU, A-interface DTAP): CP-DATA
 * carrying RP-DATA / RP-ACK / RP-ERROR, and the 24.008 Mobile Identity
 * that names the subscriber.  Metadata only: TP-UD is never copied.
 *
 * Specs: 3GPP TS 24.011 section 7.2 (CP messages: octet 1 = transaction
 * identifier | protocol discriminator 9, octet 2 = type: CP-DATA 0x01,
 * CP-ACK 0x04, CP-ERROR 0x10; CP-User-Data = length + RPDU) and 8.1.4
 * (CP-Cause); TS 24.008 section 10.5.1.4 (Mobile Identity: octet 1 =
 * digit 1 | odd/even bit 4 | type bits 3-1, IMSI 1, IMEI 2, IMEISV 3,
 * TMSI 4).
 *
 *   | TI | PD=9 | type | len | RP-MTI | RP-MR | ... (sms_tpdu.h RP layout)
 */
#ifndef PR_CLASSIFY_DTAP_SMS_H
#define PR_CLASSIFY_DTAP_SMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "capture/rc.h"
#include "classify/sms_addr.h"

#define DTAP_PD_SMS 0x09
#define DTAP_CP_DATA 0x01
#define DTAP_CP_ACK 0x04
#define DTAP_CP_ERROR 0x10

/* What the CP message around an SMS names: the protocol for events, the
 * subscriber (IMSI, may be ""), a correlation key for this subscriber's
 * dialogue (responses pair with requests on it), and a detail prefix. */
struct dtap_sms_ctx {
    const char *protocol;    /* "sgsap", "ranap", ... (<= 7 characters) */
    const char *imsi;        /* borrowed, may be "" */
    uint64_t key;
    const char *detail;      /* borrowed, may be "" */
};

/* Decodes one CP message (nas untrusted) seen at ts_us.  CP-DATA with
 * RP-DATA emits a request leg (submit / deliver / status-report ...);
 * CP-DATA with RP-ACK / RP-ERROR emits the response leg for the RP-DATA of
 * the other direction with the same RP message reference; CP-ACK and
 * CP-ERROR (transport acknowledgements) emit nothing.  Returns the number
 * of legs emitted (>= 0), or a negative parse_rc (PARSE_TRUNCATED,
 * PARSE_INVALID: not a CP message of protocol discriminator 9). */
int dtap_sms_parse(struct cursor *nas, const struct dtap_sms_ctx *x, uint64_t ts_us,
                   sms_leg_fn fn, void *user);

/* Decodes a 24.008 Mobile Identity value.  For an IMSI (type 1), IMEI (2)
 * or IMEISV (3) writes the digits to out and returns the type; for a TMSI
 * (type 4) writes 8 hex digits and returns 4; other types: out = "",
 * returns the type; -1 when empty. */
int dtap_sms_mobile_identity(struct span v, char *out, size_t out_size);

/* A key for one subscriber's SMS dialogue (dtap_sms_ctx.key): the IMSI
 * digits folded (FNV-1a). */
uint64_t dtap_sms_imsi_key(const char *imsi);

/* The subscriber identity of a connection's initial L3 message (TS 24.008
 * section 9.2.9 CM Service Request: type 0x24, CKSN/service type, mobile
 * station classmark 2 (LV), mobile identity (LV); 9.2.15 Location Updating
 * Request 0x08: LAI (5) and classmark 1 (1) before the identity; TS 44.018
 * section 9.1.25 Paging Response: PD 6, type 0x27, CKSN, classmark 2 (LV),
 * mobile identity (LV)).  Writes it as dtap_sms_mobile_identity does and
 * returns its type, or -1 (not one of these messages, or cut short). */
int dtap_sms_l3_identity(struct cursor l3, char *out, size_t out_size);

#endif
