/* test_burst.c - activity bursts: the idle gap splits, payload-less
 * packets are no activity, directions, out-of-order times. */
#include "classify/burst.h"

#include <string.h>

#include "tests/harness.h"

#define GAP 1000000u

/* Feeds one packet the way the classifier does: a burst that the packet
 * ends is reported (into *done) and a new one started. */
static bool feed(struct burst *b, enum dir d, uint64_t ts, uint32_t payload, struct ott_event *done)
{
    if (!burst_add(b, GAP, d, ts, payload, payload + 40))
        return false;
    CHECK(burst_event(b, 7, done));
    burst_reset(b);
    CHECK(!burst_add(b, GAP, d, ts, payload, payload + 40));
    return true;
}

TEST(gap_splits)
{
    struct burst b;
    struct ott_event ev;
    memset(&b, 0, sizeof b);
    CHECK(!burst_event(&b, 7, &ev)); /* nothing yet */
    CHECK(!feed(&b, DIR_C2S, 1000, 100, &ev));
    CHECK(!feed(&b, DIR_S2C, 1000 + GAP, 60, &ev)); /* exactly the gap: same burst */
    CHECK(!feed(&b, DIR_C2S, 1000 + GAP + 10, 0, &ev)); /* a bare ACK: ignored */
    CHECK(feed(&b, DIR_C2S, 1000 + 2 * GAP + 1, 50, &ev)); /* gap passed: the first burst ends */
    CHECK_EQ_INT(ev.flow_id, 7);
    CHECK_EQ_INT(ev.ts_us, 1000);
    CHECK_EQ_INT(ev.end_ts_us, 1000 + GAP);
    CHECK_EQ_INT(ev.packets, 2);
    CHECK_EQ_INT(ev.bytes, 100 + 40 + 60 + 40);
    CHECK_STR(ev.direction, "both");
    CHECK(burst_event(&b, 7, &ev)); /* the second burst: one packet */
    CHECK_EQ_INT(ev.ts_us, 1000 + 2 * GAP + 1);
    CHECK_EQ_INT(ev.packets, 1);
    CHECK_STR(ev.direction, "c2s");
}

TEST(directions_and_order)
{
    struct burst b;
    struct ott_event ev;
    memset(&b, 0, sizeof b);
    CHECK(!feed(&b, DIR_S2C, 5000, 10, &ev));
    CHECK(!feed(&b, DIR_S2C, 4000, 10, &ev)); /* older packet: does not move the end back */
    CHECK(burst_event(&b, 1, &ev));
    CHECK_STR(ev.direction, "s2c");
    CHECK_EQ_INT(ev.ts_us, 5000);
    CHECK_EQ_INT(ev.end_ts_us, 5000);
    CHECK_EQ_INT(ev.packets, 2);
    burst_reset(&b);
    CHECK(!burst_event(&b, 1, &ev));
    CHECK(!burst_add(&b, GAP, DIR_C2S, 1, 0, 40)); /* payload-less first packet: no burst */
    CHECK(!burst_event(&b, 1, &ev));
}

int main(void)
{
    RUN(gap_splits);
    RUN(directions_and_order);
    return harness_done();
}
