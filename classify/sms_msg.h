/* sms_msg.h - one SMS, several legs: groups the sms_events that carry the
 * same short message on different links (issue 19).
 *
 * An SMS crosses several interfaces: the radio leg (DTAP CP-DATA/RP-DATA on
 * Iu-CS/RANAP, A/BSSAP, SGs, GAN, or SIP MESSAGE on IMS), the MSC-SMSC leg
 * (MAP mo-forwardSM, Diameter SGd OFR) and, for delivery, the SMSC-MSC leg
 * (MAP mt-forwardSM, SGd TFR) and the radio leg again.  Each leg is one
 * sms_events row (kept: it is the evidence of what each link showed); this
 * table gives the legs of one message the same message id.
 *
 * What identifies one SMS across legs (the TPDU is relayed unchanged from
 * hop to hop, TS 23.040 section 9.2; the RP layer is not):
 *   MO (SMS-SUBMIT, operation "submit"): TP-MR + TP-DA, from the same
 *      originator.  TS 23.040 9.2.3.6: the MS sets TP-MR (0-255) per
 *      SMS-SUBMIT; 9.2.3.25 (TP-Reject-Duplicates): the SC takes an
 *      SMS-SUBMIT with the same TP-MR and TP-DA from the same originating
 *      address as a duplicate of the same message.  TP-MR wraps after 256
 *      submissions, so the legs must also lie within SMS_MSG_MO_WINDOW_US.
 *   MT (SMS-DELIVER, operation "deliver"): TP-OA + TP-SCTS.  SMS-DELIVER
 *      has no TP-MR (TS 23.040 9.2.2.1); TP-SCTS (9.2.3.11) is the time the
 *      SC received the message, set once by the SC and carried unchanged
 *      in every delivery attempt, so the same originator and SCTS (to the
 *      second, with its time zone) is the same message within
 *      SMS_MSG_MT_WINDOW_US (an SC's retry schedule).
 *   Both: the concatenation reference, part and total (TS 23.040
 *      9.2.3.24.1) must be equal: two parts of one long message are two
 *      messages here (two TPDUs); so must TP-PID, TP-DCS and TP-UDL (the
 *      form and length of the TPDU, never its text: the relayed TPDU keeps
 *      them, two different messages seldom share all of them with the key).  The parties the legs know must agree: an
 *      IMSI against an IMSI, a number against a number (a radio leg knows
 *      the subscriber by IMSI or TMSI only, the MAP leg by MSISDN and
 *      sometimes IMSI; an unknown identity never conflicts).
 *   Never: RP-MR (TS 24.011 section 8.2.3: a reference per RP hop, chosen
 *      anew on each link), SCCP/TCAP transaction ids, SMPP sequence numbers.
 *   SMPP legs are not grouped: submit_sm/deliver_sm carry no TPDU, and
 *      their references are the ESME's, not the MS's TP-MR.
 * Every other event (sri-sm, report-delivery, alert-sc, receipts, status
 * reports, bind_*) and a leg that lacks its key (no TP-MR, no SCTS) is a
 * message of its own.
 *
 * Grouping is done in the order events are emitted within one run
 * (deterministic); legs seen by different runs are not grouped.  The table
 * is bounded: SMS_MSG_SLOTS open messages, SMS_MSG_PROBE slots looked at
 * per leg; when all are in use the least recently seen is dropped
 * (counted), and a later leg of it starts a new message.
 */
#ifndef PR_CLASSIFY_SMS_MSG_H
#define PR_CLASSIFY_SMS_MSG_H

#include <stdint.h>

#include "classify/events.h"

#define SMS_MSG_SLOTS 4096                           /* open messages remembered */
#define SMS_MSG_PROBE 16                             /* slots tried per leg (open addressing) */
#define SMS_MSG_MO_WINDOW_US (120LL * 1000000)       /* legs of one SMS-SUBMIT */
#define SMS_MSG_MT_WINDOW_US (24LL * 3600 * 1000000) /* legs and retries of one SMS-DELIVER */

struct sms_msg_stats {
    uint64_t messages;  /* message ids given out */
    uint64_t joined;    /* legs that joined an earlier leg's message */
    uint64_t evicted;   /* open messages dropped because the table was full */
};

struct sms_msg;

/* Returns an owned table or NULL (out of memory). */
struct sms_msg *sms_msg_new(void);
/* NULL is a no-op. */
void sms_msg_free(struct sms_msg *t);

/* The message id (1, 2, ... in order of first leg) of event ev (borrowed):
 * the id of an earlier leg of the same SMS (rules above), else a new one. */
uint64_t sms_msg_assign(struct sms_msg *t, const struct sms_event *ev);

void sms_msg_get_stats(const struct sms_msg *t, struct sms_msg_stats *out);

#endif
