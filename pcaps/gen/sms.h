/* sms.h - carrier SMS fixture captures (sms_smpp, sms_sip, sms_map,
 * sms_sgd, sms_m2pa, sms_m2ua, sms_sua, sms_sgsap, sms_bssap, sms_ranap, sms_gan).  Each writes one file; see pcaps/README.md for their content
 * and the canary strings their message bodies carry. */
#ifndef PR_PCAPS_GEN_SMS_H
#define PR_PCAPS_GEN_SMS_H

#include <stddef.h>
#include <stdint.h>

/* Canary texts (also documented in pcaps/README.md and tests/suites/sms.sh):
 * each is sent in exactly the encoding its name says. */
#define SMS_CANARY_GSM7 "Qz7Trapcanary7bitSeptets"
#define SMS_CANARY_UCS2 "Qz2TrapcanaryUcsTwoWide"
#define SMS_CANARY_8BIT "Qz8TrapcanaryEightBitOct"
#define SMS_CANARY_PASSWORD "Pw0rdCnY"

int sms_gen_smpp(const char *out, uint64_t start_us, char *err, size_t errlen);
int sms_gen_sip(const char *out, uint64_t start_us, char *err, size_t errlen);
int sms_gen_map(const char *out, uint64_t start_us, char *err, size_t errlen);
int sms_gen_sgd(const char *out, uint64_t start_us, char *err, size_t errlen);
/* sms_ss7.c: the other SS7 transports and SGs */
int sms_gen_m2pa(const char *out, uint64_t start_us, char *err, size_t errlen);
int sms_gen_m2ua(const char *out, uint64_t start_us, char *err, size_t errlen);
/* An SS7 link capture of link type 139 (MTP2_WITH_PHDR), 140 (MTP2) or
 * 141 (MTP3): mo- and mt-forwardSM over SCCP. */
int sms_gen_mtp(const char *out, uint32_t linktype, uint64_t start_us, char *err, size_t errlen);
int sms_gen_sua(const char *out, uint64_t start_us, char *err, size_t errlen);
int sms_gen_sgsap(const char *out, uint64_t start_us, char *err, size_t errlen);
int sms_gen_bssap(const char *out, uint64_t start_us, char *err, size_t errlen);
int sms_gen_ranap(const char *out, uint64_t start_us, char *err, size_t errlen);
/* sms_legs.pcap: one SMS on two legs (Iu-CS and MAP), MO and MT (issue 19). */
int sms_gen_legs(const char *out, uint64_t start_us, char *err, size_t errlen);
/* s1ap.pcap / ngap.pcap: S1-MME attach or N2 registration, SMS over NAS,
 * back from idle by S-TMSI, ciphered NAS (sms_ran.c). */
int sms_gen_s1ap(const char *out, uint64_t start_us, char *err, size_t errlen);
int sms_gen_ngap(const char *out, uint64_t start_us, char *err, size_t errlen);
/* sctp_frag.pcap: S1AP messages in several DATA chunks (RFC 9260 6.9). */
int sms_gen_sctp_frag(const char *out, uint64_t start_us, char *err, size_t errlen);
/* s1ap_move.pcap: a UE back from idle through another eNodeB, by S-TMSI. */
int sms_gen_s1ap_move(const char *out, uint64_t start_us, char *err, size_t errlen);

/* s1ap_handover.pcap: a UE handed over by X2 (a Path Switch Request). */
int sms_gen_s1ap_handover(const char *out, uint64_t start_us, char *err, size_t errlen);

/* s1ap_v6.pcap: a UE attached with an IPv6-only PDN connection. */
int sms_gen_s1ap_v6(const char *out, uint64_t start_us, char *err, size_t errlen);
int sms_gen_gan(const char *out, uint64_t start_us, char *err, size_t errlen);
/* scope_two_subs.pcap: SMPP SMS of a target, another subscriber and a third
 * party, and TLS sessions from both subscribers' UEs; part of it one hour
 * later (issue 11, tests/suites/scope.sh). */
int sms_gen_scope(const char *out, uint64_t start_us, char *err, size_t errlen);

#endif
