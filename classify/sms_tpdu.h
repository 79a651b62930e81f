/* sms_tpdu.h - the SMS transfer layer (TPDU) and the relay layer (RP),
 * metadata only: message type, reference, the one address each TPDU
 * carries, concatenation info from the user-data header.  TP-UD / TP-CD
 * (the message text) is never copied.
 *
 * Specs: 3GPP TS 23.040 section 9.2.2 (SMS-DELIVER 9.2.2.1, SMS-SUBMIT
 * 9.2.2.2, SMS-STATUS-REPORT 9.2.2.3, SMS-COMMAND 9.2.2.4), 9.2.3.24
 * (user data header; IEI 0x00 / 0x08 concatenation, 9.2.3.24.1 / .8);
 * TS 24.011 section 7.3 (RP-DATA, RP-ACK, RP-ERROR) and 8.2.5 (RP
 * addresses).
 *
 *   SMS-SUBMIT:  | fo | MR | DA (2-12) | PID | DCS | VP (0/1/7) | UDL | UD.. |
 *   SMS-DELIVER: | fo | OA (2-12) | PID | DCS | SCTS (7) | UDL | UD.. |
 *   STATUS-REP:  | fo | MR | RA (2-12) | SCTS (7) | DT (7) | ST | ...  |
 *   RP-DATA:     | MTI | MR | OA len+val | DA len+val | UD len + TPDU |
 */
#ifndef PR_CLASSIFY_SMS_TPDU_H
#define PR_CLASSIFY_SMS_TPDU_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "capture/rc.h"
#include "classify/events.h"

enum tpdu_type {
    TPDU_DELIVER = 0,
    TPDU_SUBMIT,
    TPDU_STATUS_REPORT,
    TPDU_COMMAND,
    TPDU_REPORT, /* SUBMIT-REPORT / DELIVER-REPORT: no address */
};

struct tpdu_info {
    enum tpdu_type type;
    int mr;                         /* TP-MR, -1 when the type has none */
    char addr[SMS_ADDR_MAX];        /* TP-DA (SUBMIT, COMMAND), TP-OA (DELIVER), TP-RA */
    int ton, npi;
    int concat_ref, concat_part, concat_total; /* -1 when absent */
    int status;                     /* TP-ST of a status report, else -1 */
    int64_t scts;                   /* TP-SCTS of an SMS-DELIVER (7 octets, big-endian), else -1 */
    int64_t shape;                  /* SUBMIT / DELIVER: TP-PID << 16 | TP-DCS << 8 | TP-UDL
                                       (the TPDU's form, never its text), else -1 */
    bool content_present;           /* TP-UDL / TP-CDL > 0 */
};

/* Parses one TPDU from c (bounded by the carrier's length).  ms_to_sc says
 * the direction (TS 23.040 9.2.3.1: the MTI meaning depends on it).
 * Returns PARSE_OK, PARSE_TRUNCATED or PARSE_INVALID; *out is complete
 * only on PARSE_OK. */
enum parse_rc sms_tpdu_parse(struct cursor *c, bool ms_to_sc, struct tpdu_info *out);

/* Reads concatenation IEs from a user-data header (UDHL byte + IEs, only
 * the header: never the text after it). */
void sms_tpdu_udh_concat(struct cursor *udh, int *ref, int *part, int *total);

/* RP message types (TS 24.011 section 8.2.2). */
enum rp_mti {
    RP_DATA_MS_N = 0,
    RP_DATA_N_MS = 1,
    RP_ACK_MS_N = 2,
    RP_ACK_N_MS = 3,
    RP_ERROR_MS_N = 4,
    RP_ERROR_N_MS = 5,
    RP_SMMA_MS_N = 6,
};

struct rp_info {
    uint8_t mti;                    /* enum rp_mti */
    uint8_t mr;
    char oa[SMS_ADDR_MAX], da[SMS_ADDR_MAX]; /* RP-OA / RP-DA digits ("" when empty) */
    bool has_tpdu;
    struct tpdu_info tp;            /* valid when has_tpdu */
    int cause;                      /* RP-Cause of RP-ERROR, else -1 */
};

/* Parses an RP message (SMS over IP has no CP layer).  Returns PARSE_OK,
 * PARSE_TRUNCATED or PARSE_INVALID. */
enum parse_rc sms_tpdu_rp_parse(struct cursor *c, struct rp_info *out);

/* Copies the TPDU's fields into ev: address as originator (DELIVER) or
 * recipient (SUBMIT, COMMAND, STATUS-REPORT), reference, concatenation,
 * content flag. */
void sms_tpdu_to_event(const struct tpdu_info *tp, struct sms_event *ev);

#endif
