/* test_sccp_reasm.c - SCCP segmentation reassembly (classify/sccp_reasm.c):
 * in order, out of order, timeout, one outlying time, eviction at
 * capacity, oversize. */
#include "classify/sccp_reasm.h"

#include <stdio.h>

#include "tests/harness.h"

/* A segment of message ref from calling GT gt: part i of n, bytes d. */
static struct sccp_msg seg(const char *gt, uint32_t ref, unsigned i, unsigned n,
                           const uint8_t *d, size_t len)
{
    struct sccp_msg m;
    memset(&m, 0, sizeof m);
    m.type = SCCP_XUDT;
    m.calling.ssn = 8;
    m.calling.pc = -1;
    snprintf(m.calling.gt, sizeof m.calling.gt, "%s", gt);
    m.seg.present = true;
    m.seg.first = i == 1;
    m.seg.remaining = (uint8_t)(n - i);
    m.seg.local_ref = ref;
    m.data = cur_init(d, len);
    return m;
}

static const uint8_t A[] = {1, 2, 3}, B[] = {4, 5}, C[] = {6};

TEST(in_order)
{
    struct sccp_reasm *r = sccp_reasm_new();
    struct cursor w;
    struct sccp_msg m = seg("111", 7, 1, 3, A, sizeof A);
    CHECK_EQ_INT(sccp_reasm_push(r, &m, 10, &w), PARSE_NEED_MORE);
    m = seg("222", 7, 1, 2, C, sizeof C); /* same ref, another caller: separate */
    CHECK_EQ_INT(sccp_reasm_push(r, &m, 11, &w), PARSE_NEED_MORE);
    m = seg("111", 7, 2, 3, B, sizeof B);
    CHECK_EQ_INT(sccp_reasm_push(r, &m, 12, &w), PARSE_NEED_MORE);
    m = seg("111", 7, 3, 3, C, sizeof C);
    CHECK_EQ_INT(sccp_reasm_push(r, &m, 13, &w), PARSE_OK);
    CHECK_EQ_INT(cur_left(&w), 6);
    for (unsigned i = 0; i < 6; i++)
        CHECK_EQ_INT(cur_u8(&w), i + 1);
    m = seg("222", 7, 2, 2, A, sizeof A);
    CHECK_EQ_INT(sccp_reasm_push(r, &m, 14, &w), PARSE_OK);
    CHECK_EQ_INT(cur_left(&w), 4);
    struct sccp_reasm_stats st;
    sccp_reasm_get_stats(r, &st);
    CHECK_EQ_INT(st.reassembled, 2);
    CHECK_EQ_INT(st.segments, 5);
    sccp_reasm_free(r);
}

TEST(out_of_order_and_timeout)
{
    struct sccp_reasm *r = sccp_reasm_new();
    struct cursor w;
    struct sccp_msg m = seg("111", 1, 2, 2, B, sizeof B); /* no first segment */
    CHECK_EQ_INT(sccp_reasm_push(r, &m, 1, &w), PARSE_INVALID);
    m = seg("111", 1, 1, 3, A, sizeof A);
    CHECK_EQ_INT(sccp_reasm_push(r, &m, 2, &w), PARSE_NEED_MORE);
    m = seg("111", 1, 3, 3, C, sizeof C); /* skips part 2: the message is dropped */
    CHECK_EQ_INT(sccp_reasm_push(r, &m, 3, &w), PARSE_INVALID);
    m = seg("111", 2, 1, 2, A, sizeof A);
    CHECK_EQ_INT(sccp_reasm_push(r, &m, 100, &w), PARSE_NEED_MORE);
    m = seg("111", 2, 2, 2, B, sizeof B); /* too late: T(reassembly) expired */
    CHECK_EQ_INT(sccp_reasm_push(r, &m, 100 + SCCP_REASM_TIMEOUT_US + 1, &w), PARSE_INVALID);
    struct sccp_reasm_stats st;
    sccp_reasm_get_stats(r, &st);
    CHECK_EQ_INT(st.out_of_order, 3);
    CHECK_EQ_INT(st.timed_out, 1);
    CHECK_EQ_INT(st.reassembled, 0);
    sccp_reasm_free(r);
}

/* A segment stamped a day ahead (a corrupt or crafted record) costs at most
 * its own message: the messages waiting beside it are judged at the
 * association's clock (slots_clock), which the outlier alone does not move.
 * A real gap still times them out, at the second segment past it. */
TEST(outlying_time_costs_only_its_message)
{
    const uint64_t day = 86400ull * 1000000u;
    struct sccp_reasm *r = sccp_reasm_new();
    struct cursor w;
    struct sccp_msg m = seg("111", 1, 1, 2, A, sizeof A);
    CHECK_EQ_INT(sccp_reasm_push(r, &m, 100, &w), PARSE_NEED_MORE);
    m = seg("222", 2, 1, 2, A, sizeof A);
    CHECK_EQ_INT(sccp_reasm_push(r, &m, 101, &w), PARSE_NEED_MORE);
    m = seg("222", 2, 2, 2, B, sizeof B); /* its own message: too late by its time */
    CHECK_EQ_INT(sccp_reasm_push(r, &m, 101 + day, &w), PARSE_INVALID);
    m = seg("111", 1, 2, 2, B, sizeof B); /* back on time: still waiting */
    CHECK_EQ_INT(sccp_reasm_push(r, &m, 102, &w), PARSE_OK);
    CHECK_EQ_INT(cur_left(&w), 5);
    struct sccp_reasm_stats st;
    sccp_reasm_get_stats(r, &st);
    CHECK_EQ_INT(st.timed_out, 1);
    CHECK_EQ_INT(st.reassembled, 1);

    /* a real gap: two segments past T(reassembly) drop the waiting one */
    m = seg("111", 3, 1, 2, A, sizeof A);
    CHECK_EQ_INT(sccp_reasm_push(r, &m, 200, &w), PARSE_NEED_MORE);
    const uint64_t late = 200 + SCCP_REASM_TIMEOUT_US + 1;
    m = seg("333", 4, 1, 3, A, sizeof A);
    CHECK_EQ_INT(sccp_reasm_push(r, &m, late, &w), PARSE_NEED_MORE);
    sccp_reasm_get_stats(r, &st);
    CHECK_EQ_INT(st.timed_out, 1); /* one segment past it is not yet enough */
    m = seg("333", 4, 2, 3, B, sizeof B);
    CHECK_EQ_INT(sccp_reasm_push(r, &m, late + 1, &w), PARSE_NEED_MORE);
    sccp_reasm_get_stats(r, &st);
    CHECK_EQ_INT(st.timed_out, 2);
    m = seg("111", 3, 2, 2, B, sizeof B);
    CHECK_EQ_INT(sccp_reasm_push(r, &m, late + 2, &w), PARSE_INVALID);
    sccp_reasm_free(r);
}

TEST(eviction_and_oversize)
{
    struct sccp_reasm *r = sccp_reasm_new();
    struct cursor w;
    struct sccp_msg m;
    for (uint32_t i = 0; i <= SCCP_REASM_SLOTS; i++) {
        m = seg("111", i, 1, 2, A, sizeof A);
        CHECK_EQ_INT(sccp_reasm_push(r, &m, 10 + i, &w), PARSE_NEED_MORE);
    }
    m = seg("111", 0, 2, 2, B, sizeof B); /* the oldest was evicted */
    CHECK_EQ_INT(sccp_reasm_push(r, &m, 100, &w), PARSE_INVALID);
    m = seg("111", SCCP_REASM_SLOTS, 2, 2, B, sizeof B);
    CHECK_EQ_INT(sccp_reasm_push(r, &m, 101, &w), PARSE_OK);
    static uint8_t big[SCCP_REASM_MAX_BYTES];
    m = seg("333", 9, 1, 2, big, sizeof big);
    CHECK_EQ_INT(sccp_reasm_push(r, &m, 102, &w), PARSE_NEED_MORE);
    m = seg("333", 9, 2, 2, A, sizeof A);
    CHECK_EQ_INT(sccp_reasm_push(r, &m, 103, &w), PARSE_INVALID);
    struct sccp_reasm_stats st;
    sccp_reasm_get_stats(r, &st);
    CHECK_EQ_INT(st.evicted, 1);
    CHECK_EQ_INT(st.oversize, 1);
    sccp_reasm_free(r);
    sccp_reasm_free(NULL);
}

int main(void)
{
    RUN(in_order);
    RUN(out_of_order_and_timeout);
    RUN(outlying_time_costs_only_its_message);
    RUN(eviction_and_oversize);
    return harness_done();
}
