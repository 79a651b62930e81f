/* test_activity.c - activity_decide(): call, message or push per flow
 * (classify/activity.h), from a table. */
#include "classify/activity.h"

#include <string.h>

#include "tests/harness.h"

struct row {
    enum sig_class cls;
    const char *service, *ndpi;
    enum cls_method method;
    bool stun;
    enum flow_activity want;
};

static const struct row rows[] = {
    /* messaging and its signalling */
    {SIG_CLASS_OTT_MESSAGING, "WhatsApp", "not-run", METHOD_PREAMBLE, false, ACTIVITY_MESSAGE},
    {SIG_CLASS_OTT_MESSAGING, "Signal", "TLS.Signal", METHOD_SNI, false, ACTIVITY_MESSAGE},
    {SIG_CLASS_OTT_MESSAGING, "WhatsApp", "TLS.WhatsAppFiles", METHOD_NDPI, false,
     ACTIVITY_MESSAGE},
    /* call media: nDPI call verdicts, media protocols, STUN, call socket */
    {SIG_CLASS_OTT_MESSAGING, "WhatsApp", "STUN.WhatsAppCall", METHOD_NDPI, false, ACTIVITY_CALL},
    {SIG_CLASS_OTT_MESSAGING, "WhatsApp", "WhatsAppCall", METHOD_NDPI, false, ACTIVITY_CALL},
    {SIG_CLASS_OTT_MESSAGING, "WhatsApp", "SRTP.WhatsAppCall", METHOD_NDPI, false, ACTIVITY_CALL},
    {SIG_CLASS_OTT_MESSAGING, "Signal", "STUN.SignalVoip", METHOD_NDPI, false, ACTIVITY_CALL},
    {SIG_CLASS_OTT_MESSAGING, "Signal", "RTP", METHOD_NDPI, false, ACTIVITY_CALL},
    {SIG_CLASS_OTT_MESSAGING, "Signal", "STUN.AmazonAWS", METHOD_SOCKET, false, ACTIVITY_CALL},
    {SIG_CLASS_OTT_MESSAGING, "Signal", "Unknown", METHOD_STUN, false, ACTIVITY_CALL},
    {SIG_CLASS_OTT_MESSAGING, "Telegram", "Unknown", METHOD_CIDR, true, ACTIVITY_CALL},
    /* names that only look alike are not calls */
    {SIG_CLASS_OTT_MESSAGING, "Telegram", "RTPX", METHOD_NDPI, false, ACTIVITY_MESSAGE},
    {SIG_CLASS_OTT_MESSAGING, "Telegram", "Callisto", METHOD_NDPI, false, ACTIVITY_MESSAGE},
    /* push channels, whatever class the catalog gives them */
    {SIG_CLASS_OTT_MESSAGING, "ApplePush", "ApplePush", METHOD_NDPI, false, ACTIVITY_PUSH},
    {SIG_CLASS_PUSH, "GooglePush", "GoogleServices", METHOD_SNI, false, ACTIVITY_PUSH},
    {SIG_CLASS_PUSH, "SomePush", "", METHOD_SNI, false, ACTIVITY_PUSH},
    /* carrier SMS signalling is messaging; other classes have none */
    {SIG_CLASS_CARRIER_SMS, "smpp", "", METHOD_DECODER, false, ACTIVITY_MESSAGE},
    {SIG_CLASS_OTHER, "", "STUN", METHOD_NDPI, true, ACTIVITY_NONE},
    {SIG_CLASS_CARRIER_SIGNALLING, "sgsap", "", METHOD_DECODER, false, ACTIVITY_NONE},
};

TEST(table)
{
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct cls_result r;
        memset(&r, 0, sizeof r);
        r.cls = rows[i].cls;
        strcpy(r.service, rows[i].service);
        strcpy(r.ndpi_name, rows[i].ndpi);
        r.method = rows[i].method;
        enum flow_activity a = activity_decide(&r, rows[i].stun);
        if (a != rows[i].want)
            fprintf(stderr, "row %zu (%s/%s): %s, expected %s\n", i, rows[i].service,
                    rows[i].ndpi, activity_name(a), activity_name(rows[i].want));
        CHECK_EQ_INT(a, rows[i].want);
    }
}

TEST(names)
{
    CHECK(strcmp(activity_name(ACTIVITY_CALL), "call") == 0);
    CHECK(strcmp(activity_name(ACTIVITY_MESSAGE), "message") == 0);
    CHECK(strcmp(activity_name(ACTIVITY_PUSH), "push") == 0);
    CHECK(strcmp(activity_name(ACTIVITY_NONE), "") == 0);
}

int main(void)
{
    RUN(table);
    RUN(names);
    return harness_done();
}
