/* activity.c - call, message or push per flow (see activity.h). */
#include "classify/activity.h"

#include <string.h>
#include <strings.h>

/* nDPI 4.2 names that mean call media or call set-up: the protocols below,
 * and any master.app pair whose app part ends in "Call" (WhatsAppCall,
 * "STUN.WhatsAppCall", "SRTP.FacebookVoip" is caught by Voip). */
static bool ndpi_is_call(const char *n)
{
    static const char *const media[] = {"RTP", "SRTP", "RTCP", "STUN", "DTLS"};
    if (!n || !n[0])
        return false;
    size_t l = strlen(n);
    if ((l >= 4 && strcmp(n + l - 4, "Call") == 0) || (l >= 4 && strcmp(n + l - 4, "Voip") == 0))
        return true;
    /* the master part ("RTP.WhatsApp") or the whole name */
    size_t m = strcspn(n, ".");
    for (size_t i = 0; i < sizeof media / sizeof media[0]; i++)
        if (strlen(media[i]) == m && strncasecmp(n, media[i], m) == 0)
            return true;
    return false;
}

enum flow_activity activity_decide(const struct cls_result *r, bool stun)
{
    if (r->cls == SIG_CLASS_PUSH || strcmp(r->service, "ApplePush") == 0 ||
        strcmp(r->service, "GooglePush") == 0)
        return ACTIVITY_PUSH;
    if (r->cls == SIG_CLASS_CARRIER_SMS)
        return ACTIVITY_MESSAGE;
    if (r->cls != SIG_CLASS_OTT_MESSAGING)
        return ACTIVITY_NONE;
    if (stun || r->method == METHOD_SOCKET || r->method == METHOD_STUN ||
        ndpi_is_call(r->ndpi_name))
        return ACTIVITY_CALL;
    return ACTIVITY_MESSAGE;
}

const char *activity_name(enum flow_activity a)
{
    switch (a) {
    case ACTIVITY_MESSAGE: return "message";
    case ACTIVITY_CALL: return "call";
    case ACTIVITY_PUSH: return "push";
    case ACTIVITY_NONE: break;
    }
    return "";
}
