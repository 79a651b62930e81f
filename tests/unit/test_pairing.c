/* test_pairing.c - request/response pairing: folding, orphans, the bounded
 * table (oldest written first), flush order, FINAL legs. */
#include "classify/pairing.h"

#include <stdio.h>
#include <string.h>

#include "tests/harness.h"

static unsigned nout;
static struct sms_event last;

static void out(struct sms_event *ev, void *user)
{
    (void)user;
    nout++;
    last = *ev;
}

static struct sms_leg leg(enum sms_leg_kind k, uint64_t key, const char *status)
{
    struct sms_leg l;
    memset(&l, 0, sizeof l);
    sms_addr_event_init(&l.ev, "smpp", 1000 + key);
    l.kind = k;
    l.key1 = key;
    l.key2 = 9;
    snprintf(l.ev.status, sizeof l.ev.status, "%s", status);
    snprintf(l.ev.detail, sizeof l.ev.detail, "k=%u", (unsigned)key);
    return l;
}

TEST(fold_and_orphan)
{
    static struct pairing p;
    struct pairing_stats st = {0, 0, 0};
    memset(&p, 0, sizeof p);
    nout = 0;
    struct sms_leg req = leg(SMS_LEG_REQUEST, 4, "");
    pairing_leg(&p, &req, 77, out, NULL, &st);
    CHECK_EQ_INT(nout, 0);
    struct sms_leg resp = leg(SMS_LEG_RESPONSE, 4, "0x00000000");
    snprintf(resp.ev.imsi, sizeof resp.ev.imsi, "001010123456789");
    pairing_leg(&p, &resp, 77, out, NULL, &st);
    CHECK_EQ_INT(nout, 1);
    CHECK_STR(last.status, "0x00000000");
    CHECK_STR(last.imsi, "001010123456789");
    CHECK_STR(last.detail, "k=4 k=4");
    CHECK_EQ_INT(last.flow_id, 77);
    pairing_leg(&p, &resp, 77, out, NULL, &st); /* nobody waits any more */
    CHECK_EQ_INT(nout, 1);
    CHECK_EQ_INT(st.orphans, 1);
    struct sms_leg fin = leg(SMS_LEG_FINAL, 5, "");
    pairing_leg(&p, &fin, 78, out, NULL, &st);
    CHECK_EQ_INT(nout, 2);
    CHECK_EQ_INT(last.flow_id, 78);
    /* a response folds into every request with its key, in slot order,
     * across the table's growth: requests k=9 (slot 0), k=3, k=9 (slot 2,
     * after the table grew past 2) */
    struct sms_leg a = leg(SMS_LEG_REQUEST, 9, ""), b = leg(SMS_LEG_REQUEST, 3, "");
    snprintf(a.ev.originator, sizeof a.ev.originator, "first");
    pairing_leg(&p, &a, 1, out, NULL, &st);
    pairing_leg(&p, &b, 1, out, NULL, &st);
    snprintf(a.ev.originator, sizeof a.ev.originator, "second");
    pairing_leg(&p, &a, 1, out, NULL, &st);
    CHECK_EQ_INT(p.cap, 4);
    struct sms_leg r9 = leg(SMS_LEG_RESPONSE, 9, "ok");
    pairing_leg(&p, &r9, 1, out, NULL, &st);
    CHECK_EQ_INT(nout, 4);
    CHECK_STR(last.originator, "second");
    pairing_free(&p);
}

TEST(bounded_oldest_first)
{
    static struct pairing p;
    struct pairing_stats st = {0, 0, 0};
    memset(&p, 0, sizeof p);
    nout = 0;
    for (unsigned i = 0; i < PAIRING_MAX_PENDING + 3; i++) {
        struct sms_leg req = leg(SMS_LEG_REQUEST, i, "");
        pairing_leg(&p, &req, 1, out, NULL, &st);
    }
    CHECK_EQ_INT(st.evicted, 3);
    CHECK_EQ_INT(nout, 3);
    CHECK_STR(last.detail, "k=2"); /* requests 0, 1, 2 went out, oldest first */
    pairing_flush(&p, out, NULL);
    CHECK_EQ_INT(nout, PAIRING_MAX_PENDING + 3);
    char newest[16];
    snprintf(newest, sizeof newest, "k=%u", PAIRING_MAX_PENDING + 2);
    CHECK_STR(last.detail, newest); /* the newest last */
    CHECK_STR(last.status, "");
    pairing_flush(&p, out, NULL); /* empty: nothing more */
    CHECK_EQ_INT(nout, PAIRING_MAX_PENDING + 3);
    CHECK_EQ_INT(p.cap, PAIRING_MAX_PENDING); /* grown to the bound, not past it */
    pairing_free(&p);
}

/* A flow whose every request was answered holds no table (at a hundred
 * thousand live flows the emptied tables were 1.4 MiB, issue 12); one
 * still waiting keeps it. */
TEST(answered_table_is_freed)
{
    static struct pairing p;
    struct pairing_stats st = {0, 0, 0};
    memset(&p, 0, sizeof p);
    nout = 0;
    struct sms_leg r1 = leg(SMS_LEG_REQUEST, 1, ""), r2 = leg(SMS_LEG_REQUEST, 2, "");
    struct sms_leg a1 = leg(SMS_LEG_RESPONSE, 1, "ok"), a2 = leg(SMS_LEG_RESPONSE, 2, "ok");
    pairing_leg(&p, &r1, 7, out, NULL, &st);
    pairing_leg(&p, &r2, 7, out, NULL, &st);
    CHECK(p.pend != NULL);
    pairing_leg(&p, &a1, 7, out, NULL, &st);
    CHECK_EQ_INT(nout, 1);
    CHECK(p.pend != NULL); /* request 2 still waits */
    pairing_leg(&p, &a2, 7, out, NULL, &st);
    CHECK_EQ_INT(nout, 2);
    CHECK_STR(last.detail, "k=2 k=2");
    CHECK(p.pend == NULL);
    CHECK_EQ_INT(p.cap, 0);
    /* an orphan response to an empty table leaves it empty */
    pairing_leg(&p, &a2, 7, out, NULL, &st);
    CHECK(p.pend == NULL);
    CHECK_EQ_INT(st.orphans, 1);
    /* and the next request is paired as before */
    pairing_leg(&p, &r1, 7, out, NULL, &st);
    pairing_leg(&p, &a1, 7, out, NULL, &st);
    CHECK_EQ_INT(nout, 3);
    CHECK_STR(last.detail, "k=1 k=1");
    CHECK(p.pend == NULL);
    pairing_free(&p);
}

static unsigned with_status;

static void out_count(struct sms_event *ev, void *user)
{
    (void)user;
    nout++;
    with_status += ev->status[0] != '\0';
}

/* A request nobody answers (a one-way tap, a lost answer) is written
 * without a status once PAIRING_TIMEOUT_US of packet time has passed, in
 * the order the requests came, not when the link ends: an SMPP bind or an
 * M3UA association lives for days.  An answer within the timeout is still
 * paired; one after it is an orphan. */
#define MIN_US(m) ((uint64_t)(m) * 60u * 1000000u)
static unsigned order_out[8], norder;

static void out_order(struct sms_event *ev, void *user)
{
    (void)user;
    if (norder < 8)
        order_out[norder] = (unsigned)ev->message_id;
    norder++;
    last = *ev;
}

TEST(unanswered_requests_time_out)
{
    static struct pairing p;
    struct pairing_stats st = {0, 0, 0};
    memset(&p, 0, sizeof p);
    norder = 0;
    const uint64_t t0 = MIN_US(1000);
    for (unsigned k = 1; k <= 5; k++) { /* one a minute */
        struct sms_leg r = leg(SMS_LEG_REQUEST, k, "");
        r.ev.ts_us = t0 + MIN_US(k - 1);
        r.ev.message_id = k;
        pairing_leg(&p, &r, 5, out_order, NULL, &st);
    }
    pairing_expire(&p, t0 + MIN_US(10), out_order, NULL, &st); /* exactly 10 min: not yet */
    CHECK_EQ_INT(norder, 0);
    pairing_expire(&p, t0 + MIN_US(10) + 1, out_order, NULL, &st);
    CHECK_EQ_INT(norder, 1);
    CHECK_EQ_INT(order_out[0], 1);
    CHECK_STR(last.status, "");
    CHECK_EQ_INT(last.flow_id, 5);
    CHECK_EQ_INT(st.timeouts, 1);
    /* request 2's answer 9 minutes after it: paired */
    struct sms_leg a2 = leg(SMS_LEG_RESPONSE, 2, "0x00000000");
    pairing_leg(&p, &a2, 5, out_order, NULL, &st);
    CHECK_EQ_INT(norder, 2);
    CHECK_EQ_INT(order_out[1], 2);
    CHECK_STR(last.status, "0x00000000");
    /* nothing else is due until request 3's ten minutes pass */
    pairing_expire(&p, t0 + MIN_US(12), out_order, NULL, &st);
    CHECK_EQ_INT(norder, 2);
    /* half an hour on: 3, 4, 5 in the order they came, and the table goes */
    pairing_expire(&p, t0 + MIN_US(30), out_order, NULL, &st);
    CHECK_EQ_INT(norder, 5);
    CHECK_EQ_INT(order_out[2], 3);
    CHECK_EQ_INT(order_out[3], 4);
    CHECK_EQ_INT(order_out[4], 5);
    CHECK_EQ_INT(st.timeouts, 4);
    CHECK_EQ_INT(p.cap, 0);
    /* request 1's answer, far too late: an orphan */
    struct sms_leg a1 = leg(SMS_LEG_RESPONSE, 1, "0x00000000");
    pairing_leg(&p, &a1, 5, out_order, NULL, &st);
    CHECK_EQ_INT(norder, 5);
    CHECK_EQ_INT(st.orphans, 1);
    /* packet time going back changes nothing */
    struct sms_leg r9 = leg(SMS_LEG_REQUEST, 9, "");
    r9.ev.ts_us = t0 + MIN_US(40);
    pairing_leg(&p, &r9, 5, out_order, NULL, &st);
    pairing_expire(&p, t0, out_order, NULL, &st);
    CHECK_EQ_INT(norder, 5);
    pairing_flush(&p, out_order, NULL);
    CHECK_EQ_INT(norder, 6);
    pairing_free(&p);
}

TEST(busy_link_keeps_every_status)
{
    /* An SMSC link with 1,000 requests in flight (an ESME's window, the TCAP
     * dialogues of a busy M3UA link), answered in order: every event keeps
     * its answer's status.  With 32 slots, 968 went out without one. */
    static struct pairing p;
    struct pairing_stats st = {0, 0, 0};
    memset(&p, 0, sizeof p);
    nout = with_status = 0;
    for (unsigned i = 0; i < 1000; i++) {
        struct sms_leg r = leg(SMS_LEG_REQUEST, i, "");
        pairing_leg(&p, &r, 1, out_count, NULL, &st);
    }
    CHECK_EQ_INT(nout, 0);
    for (unsigned i = 0; i < 1000; i++) {
        struct sms_leg r = leg(SMS_LEG_RESPONSE, i, "0x00000000");
        pairing_leg(&p, &r, 1, out_count, NULL, &st);
    }
    CHECK_EQ_INT(nout, 1000);
    CHECK_EQ_INT(with_status, 1000);
    CHECK_EQ_INT(st.evicted, 0);
    CHECK_EQ_INT(st.orphans, 0);
    CHECK(p.pend == NULL); /* all answered: the table is gone */
}

TEST(budget_shared_by_flows)
{
    /* Two flows' tables under one budget of 8 slots: the first takes all 8
     * (2, 4, 8), the second cannot grow and writes its request at once;
     * once the first is answered and freed, the second grows again. */
    struct slot_budget b = {0, 8};
    static struct pairing p1, p2;
    struct pairing_stats st = {0, 0, 0};
    memset(&p1, 0, sizeof p1);
    memset(&p2, 0, sizeof p2);
    p1.budget = p2.budget = &b;
    nout = with_status = 0;
    for (unsigned i = 0; i < 8; i++) {
        struct sms_leg r = leg(SMS_LEG_REQUEST, i, "");
        pairing_leg(&p1, &r, 1, out_count, NULL, &st);
    }
    CHECK_EQ_INT(p1.cap, 8);
    CHECK_EQ_INT(b.used, 8);
    struct sms_leg r = leg(SMS_LEG_REQUEST, 100, "");
    pairing_leg(&p2, &r, 2, out_count, NULL, &st);
    CHECK_EQ_INT(p2.cap, 0);
    CHECK_EQ_INT(p2.nomem, 1);
    CHECK_EQ_INT(nout, 1); /* written without its answer */
    /* a ninth request on the first flow evicts its oldest: no growth */
    r = leg(SMS_LEG_REQUEST, 8, "");
    pairing_leg(&p1, &r, 1, out_count, NULL, &st);
    CHECK_EQ_INT(p1.cap, 8);
    CHECK_EQ_INT(st.evicted, 1);
    for (unsigned i = 1; i <= 8; i++) {
        struct sms_leg a = leg(SMS_LEG_RESPONSE, i, "0x00000000");
        pairing_leg(&p1, &a, 1, out_count, NULL, &st);
    }
    CHECK(p1.pend == NULL);
    CHECK_EQ_INT(b.used, 0);
    r = leg(SMS_LEG_REQUEST, 101, "");
    pairing_leg(&p2, &r, 2, out_count, NULL, &st);
    CHECK_EQ_INT(p2.cap, 2);
    CHECK_EQ_INT(b.used, 2);
    pairing_free(&p2);
    CHECK_EQ_INT(b.used, 0);
}

int main(void)
{
    RUN(fold_and_orphan);
    RUN(bounded_oldest_first);
    RUN(answered_table_is_freed);
    RUN(busy_link_keeps_every_status);
    RUN(unanswered_requests_time_out);
    RUN(budget_shared_by_flows);
    return harness_done();
}
