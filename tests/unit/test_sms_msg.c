/* test_sms_msg.c - one SMS, several legs (classify/sms_msg.c, issue 19).
 *
 * Events are built as the decoders emit them for pcaps/sms_legs.pcap: the
 * Iu-CS radio leg names the subscriber by IMSI only (originator = IMSI on
 * MO, recipient empty with a TMSI on MT), the MAP leg by MSISDN (and IMSI
 * in a v3 mo-forwardSM / the SM-RP-DA of an mt-forwardSM). */
#include <string.h>

#include "classify/sms_addr.h"
#include "classify/sms_msg.h"
#include "tests/harness.h"

#define ALICE "15551230001"
#define BOB "15551230002"
#define IMSI_ALICE "001010000000001"
#define SEC 1000000ull
#define T0 (1709290800ull * SEC)
#define SCTS_1000 0x42301001000000LL /* 24-03-01 10:00:00 +00 */
#define SCTS_1005 0x42301001500000LL /* 24-03-01 10:05:00 +00 */

static struct sms_event mo(const char *proto, uint64_t ts, int mr, const char *orig,
                           const char *imsi)
{
    struct sms_event ev;
    sms_addr_event_init(&ev, proto, ts);
    strcpy(ev.operation, "submit");
    strcpy(ev.direction, "mo");
    strcpy(ev.originator, orig);
    strcpy(ev.recipient, BOB);
    strcpy(ev.imsi, imsi);
    ev.msg_ref = mr;
    return ev;
}

static struct sms_event mt(const char *proto, uint64_t ts, int64_t scts, const char *recip,
                           const char *imsi)
{
    struct sms_event ev;
    sms_addr_event_init(&ev, proto, ts);
    strcpy(ev.operation, "deliver");
    strcpy(ev.direction, "mt");
    strcpy(ev.originator, BOB);
    strcpy(ev.recipient, recip);
    strcpy(ev.imsi, imsi);
    ev.tp_scts = scts;
    return ev;
}

TEST(mo_two_legs_one_message)
{
    struct sms_msg *t = sms_msg_new();
    CHECK(t != NULL);
    struct sms_event radio = mo("ranap", T0, 6, IMSI_ALICE, IMSI_ALICE);
    struct sms_event map = mo("map", T0 + SEC / 20, 6, ALICE, IMSI_ALICE);
    uint64_t a = sms_msg_assign(t, &radio), b = sms_msg_assign(t, &map);
    CHECK_EQ_INT(a, 1);
    CHECK_EQ_INT(b, a);
    /* a MAP v2 leg without IMSI, and a SIP leg writing the number with '+' */
    struct sms_event map2 = mo("map", T0 + SEC, 6, ALICE, "");
    struct sms_event sip = mo("sip", T0 + SEC, 6, "+" ALICE, "");
    CHECK_EQ_INT(sms_msg_assign(t, &map2), a);
    CHECK_EQ_INT(sms_msg_assign(t, &sip), a);
    struct sms_msg_stats st;
    sms_msg_get_stats(t, &st);
    CHECK_EQ_INT(st.messages, 1);
    CHECK_EQ_INT(st.joined, 3);
    sms_msg_free(t);
}

/* Same text, same parties, later: another SMS-SUBMIT has another TP-MR;
 * the same TP-MR after the window (the MS's reference wrapped) is another
 * message too. */
TEST(mo_same_parties_later_two_messages)
{
    struct sms_msg *t = sms_msg_new();
    struct sms_event a = mo("map", T0, 6, ALICE, IMSI_ALICE);
    struct sms_event b = mo("map", T0 + 300 * SEC, 7, ALICE, IMSI_ALICE);
    struct sms_event c = mo("map", T0 + 900 * SEC, 6, ALICE, IMSI_ALICE);
    uint64_t ia = sms_msg_assign(t, &a), ib = sms_msg_assign(t, &b), ic = sms_msg_assign(t, &c);
    CHECK(ia != ib && ib != ic && ia != ic);
    /* inside the window the same reference is the same message (a retry) */
    struct sms_event d = mo("ranap", T0 + 900 * SEC + 2 * SEC, 6, IMSI_ALICE, IMSI_ALICE);
    CHECK_EQ_INT(sms_msg_assign(t, &d), ic);
    sms_msg_free(t);
}

TEST(mo_conflicts)
{
    struct sms_msg *t = sms_msg_new();
    struct sms_event a = mo("map", T0, 6, ALICE, IMSI_ALICE);
    struct sms_event other_imsi = mo("ranap", T0, 6, "001010000000009", "001010000000009");
    struct sms_event other_number = mo("map", T0, 6, "15551239999", "");
    struct sms_event other_part = mo("map", T0, 6, ALICE, IMSI_ALICE);
    other_part.concat_ref = 1;
    other_part.concat_part = 2;
    other_part.concat_total = 2;
    struct sms_event other_shape = mo("map", T0, 6, ALICE, IMSI_ALICE);
    other_shape.tp_shape = 0x000810; /* same key, another DCS/UDL: another TPDU */
    a.tp_shape = 0x000010;
    struct sms_event same_shape = mo("ranap", T0, 6, IMSI_ALICE, IMSI_ALICE);
    same_shape.tp_shape = 0x000010;
    struct sms_event other_dest = mo("map", T0, 6, ALICE, IMSI_ALICE);
    strcpy(other_dest.recipient, "15551230003");
    uint64_t ia = sms_msg_assign(t, &a);
    CHECK(sms_msg_assign(t, &other_imsi) != ia);
    CHECK(sms_msg_assign(t, &other_number) != ia);
    CHECK(sms_msg_assign(t, &other_part) != ia);
    CHECK(sms_msg_assign(t, &other_dest) != ia);
    CHECK(sms_msg_assign(t, &other_shape) != ia);
    CHECK_EQ_INT(sms_msg_assign(t, &same_shape), ia);
    sms_msg_free(t);
}

TEST(mt_scts)
{
    struct sms_msg *t = sms_msg_new();
    struct sms_event map = mt("map", T0, SCTS_1000, IMSI_ALICE, IMSI_ALICE);
    struct sms_event radio = mt("ranap", T0 + SEC / 10, SCTS_1000, "", "");
    uint64_t a = sms_msg_assign(t, &map);
    CHECK_EQ_INT(sms_msg_assign(t, &radio), a);
    /* an SGd leg naming the recipient by number: no conflict with an IMSI */
    struct sms_event sgd = mt("sgd", T0 + SEC, SCTS_1000, ALICE, IMSI_ALICE);
    CHECK_EQ_INT(sms_msg_assign(t, &sgd), a);
    /* a delivery retried by the SC an hour later carries the same SCTS */
    struct sms_event retry = mt("map", T0 + 3600 * SEC, SCTS_1000, IMSI_ALICE, IMSI_ALICE);
    CHECK_EQ_INT(sms_msg_assign(t, &retry), a);
    /* the same text from the same sender, received by the SC later */
    struct sms_event again = mt("map", T0 + 300 * SEC, SCTS_1005, IMSI_ALICE, IMSI_ALICE);
    CHECK(sms_msg_assign(t, &again) != a);
    /* another subscriber's copy (same OA and SCTS) is another message */
    struct sms_event other = mt("map", T0, SCTS_1000, "001010000000009", "001010000000009");
    CHECK(sms_msg_assign(t, &other) != a);
    /* no SCTS (a decoder that did not see the TPDU): its own message */
    struct sms_event none = mt("map", T0, -1, IMSI_ALICE, IMSI_ALICE);
    uint64_t n1 = sms_msg_assign(t, &none), n2 = sms_msg_assign(t, &none);
    CHECK(n1 != n2);
    sms_msg_free(t);
}

/* Never grouped: SMPP (no TPDU), operations that are not transfers. */
TEST(own_messages)
{
    struct sms_msg *t = sms_msg_new();
    struct sms_event smpp = mo("smpp", T0, 6, ALICE, "");
    CHECK(sms_msg_assign(t, &smpp) != sms_msg_assign(t, &smpp));
    struct sms_event sri;
    sms_addr_event_init(&sri, "map", T0);
    strcpy(sri.operation, "sri-sm");
    strcpy(sri.recipient, BOB);
    CHECK(sms_msg_assign(t, &sri) != sms_msg_assign(t, &sri));
    struct sms_event cut = mo("sip", T0, 6, ALICE, "");
    cut.recipient_cut = true;
    CHECK(sms_msg_assign(t, &cut) != sms_msg_assign(t, &cut));
    sms_msg_free(t);
}

/* More open messages than slots: bounded, the oldest go (counted), every
 * leg still gets an id, and ids keep increasing. */
TEST(bounded)
{
    struct sms_msg *t = sms_msg_new();
    uint64_t last = 0;
    for (int i = 0; i < 3 * SMS_MSG_SLOTS; i++) {
        struct sms_event ev = mo("map", T0 + (uint64_t)i, i % 256, ALICE, "");
        snprintf(ev.recipient, sizeof ev.recipient, "1555%07d", i);
        uint64_t id = sms_msg_assign(t, &ev);
        CHECK(id == last + 1);
        last = id;
    }
    struct sms_msg_stats st;
    sms_msg_get_stats(t, &st);
    CHECK_EQ_INT(st.messages, 3 * SMS_MSG_SLOTS);
    CHECK(st.evicted > 0);
    sms_msg_free(t);
    sms_msg_free(NULL);
}

int main(void)
{
    RUN(mo_two_legs_one_message);
    RUN(mo_same_parties_later_two_messages);
    RUN(mo_conflicts);
    RUN(mt_scts);
    RUN(own_messages);
    RUN(bounded);
    return harness_done();
}
