/* sms_enc.h - message encoders for the SMS fixture captures (trusted
 * generator input; writes are bounded by struct build_buf).
 *
 * Specs: 3GPP TS 23.038 section 6.1.2.1 (GSM 7-bit packing), TS 23.040
 * section 9.1.2.5 (TP addresses), 9.2.2 (SMS-SUBMIT / SMS-DELIVER /
 * SMS-STATUS-REPORT), 9.2.3.24.1 (concatenation UDH); TS 24.011 section 7.3
 * (RP-DATA, RP-ACK); SMPP v3.4 sections 3.2 and 4; ITU-T X.690 (BER
 * definite lengths); RFC 6733 section 4 (Diameter AVPs).
 */
#ifndef PR_PCAPS_GEN_SMS_ENC_H
#define PR_PCAPS_GEN_SMS_ENC_H

#include "build.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Text encodings of TP-UD / short_message (TS 23.038 section 4 DCS). */
enum sms_enc_dcs { SMS_ENC_GSM7 = 0x00, SMS_ENC_8BIT = 0x04, SMS_ENC_UCS2 = 0x08 };

/* Appends text in the given encoding: GSM7 packed (fill_bits 0..6 leading
 * fill bits after a UDH), 8-bit as is, UCS-2 big-endian. */
void sms_enc_text(struct build_buf *out, const char *text, enum sms_enc_dcs dcs,
                  unsigned fill_bits);

/* Appends a TP address: digits (TOA 0x80 | ton << 4 | npi) or, for ton 5,
 * GSM 7-bit alphanumeric text. */
void sms_enc_tp_addr(struct build_buf *out, const char *addr, unsigned ton, unsigned npi);

/* Concatenation UDH (8-bit reference); NULL-safe: total 0 means no UDH. */
struct sms_enc_concat {
    uint8_t ref, total, part;
};

/* SMS-SUBMIT with relative validity, TP-SRR set. */
void sms_enc_submit(struct build_buf *out, uint8_t mr, const char *da, unsigned ton,
                    unsigned npi, enum sms_enc_dcs dcs, const char *text,
                    const struct sms_enc_concat *cc);

/* SMS-DELIVER with SCTS 2024-03-01 10:00:00 +00. */
void sms_enc_deliver(struct build_buf *out, const char *oa, unsigned ton, unsigned npi,
                     enum sms_enc_dcs dcs, const char *text, const struct sms_enc_concat *cc);
/* The same with SCTS 2024-03-01 10:<minute>:00 +00. */
void sms_enc_deliver_at(struct build_buf *out, const char *oa, unsigned ton, unsigned npi,
                        enum sms_enc_dcs dcs, const char *text, const struct sms_enc_concat *cc,
                        unsigned minute);

/* SMS-STATUS-REPORT for message reference mr to recipient ra, TP-ST 0. */
void sms_enc_status_report(struct build_buf *out, uint8_t mr, const char *ra);

/* TOA octet + TBCD digits (RP addresses, MAP AddressString). */
void sms_enc_toa_digits(struct build_buf *out, uint8_t toa, const char *digits);

/* TBCD digits only (IMSI, Diameter SC-Address / MSISDN). */
void sms_enc_tbcd(struct build_buf *out, const char *digits);

/* RP-DATA (mti 0 MS->N with RP-DA smsc, or 1 N->MS with RP-OA smsc). */
void sms_enc_rp_data(struct build_buf *out, uint8_t mti, uint8_t mr, const char *smsc,
                     const struct build_buf *tpdu);

/* RP-ACK (mti 2 or 3) without user data. */
void sms_enc_rp_ack(struct build_buf *out, uint8_t mti, uint8_t mr);

/* BER: appends tag, definite length and the content. */
void sms_enc_ber(struct build_buf *out, uint8_t tag, const struct build_buf *content);
void sms_enc_ber_raw(struct build_buf *out, uint8_t tag, const void *p, size_t n);

/* SMPP: starts a PDU (length patched by sms_enc_smpp_end). */
size_t sms_enc_smpp_begin(struct build_buf *out, uint32_t id, uint32_t status, uint32_t seq);
void sms_enc_smpp_end(struct build_buf *out, size_t start);
void sms_enc_cstr(struct build_buf *out, const char *s); /* with its NUL */

/* Diameter: header (length patched by sms_enc_diam_end), AVPs. */
size_t sms_enc_diam_begin(struct build_buf *out, bool request, uint32_t code, uint32_t app,
                          uint32_t hbh, uint32_t e2e);
void sms_enc_diam_end(struct build_buf *out, size_t start);
void sms_enc_avp(struct build_buf *out, uint32_t code, uint32_t vendor, const void *p, size_t n);
void sms_enc_avp_u32(struct build_buf *out, uint32_t code, uint32_t vendor, uint32_t v);
void sms_enc_avp_str(struct build_buf *out, uint32_t code, uint32_t vendor, const char *s);

#endif
