/* activity.h - what a classified flow was used for: a call, messaging, or a
 * push channel (issue 10).  One pure function decides it from the flow's
 * verdict and evidence; the record writes its name into flows.activity.
 *
 *   push     a push channel (APNs, FCM): class push, or the ApplePush /
 *            GooglePush services, whatever class the catalog gives them,
 *            so Apple and Google are reported the same way;
 *   call     media of a messaging service: STUN/TURN seen on the flow,
 *            an nDPI call or media verdict (WhatsAppCall, "*.Call", RTP,
 *            SRTP, RTCP, STUN), or a flow decided by the call-socket rule
 *            or a STUN attribute;
 *   message  every other flow of an OTT messaging or carrier SMS service
 *            (messages and their signalling);
 *   ""       anything else.
 */
#ifndef PR_CLASSIFY_ACTIVITY_H
#define PR_CLASSIFY_ACTIVITY_H

#include <stdbool.h>

#include "classify/verdict.h"

enum flow_activity {
    ACTIVITY_NONE = 0,
    ACTIVITY_MESSAGE,
    ACTIVITY_CALL,
    ACTIVITY_PUSH,
};

/* Decides the activity of a flow with verdict r (borrowed); stun is true
 * when a STUN/TURN message was parsed on the flow (classify/stun.c). */
enum flow_activity activity_decide(const struct cls_result *r, bool stun);

/* "message", "call", "push"; "" for ACTIVITY_NONE. */
const char *activity_name(enum flow_activity a);

#endif
