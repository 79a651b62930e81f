/* test_tcp_reasm.c - bounded in-order TCP stream buffer. */
#include "classify/tcp_reasm.h"

#include <stdlib.h>

#include "tests/harness.h"

static struct tcp_reasm *fresh(void) { return tcp_reasm_new(); }

static size_t buffered(const struct tcp_reasm *r) { return cur_left(&(struct cursor){r->buf, r->len, 0, false}); }

TEST(in_order_and_syn)
{
    struct tcp_reasm *r = fresh();
    tcp_reasm_push(r, 99, true, NULL, 0, 0); /* SYN: data starts at 100 */
    tcp_reasm_push(r, 100, false, (const uint8_t *)"abc", 3, 3);
    tcp_reasm_push(r, 103, false, (const uint8_t *)"def", 3, 3);
    CHECK_EQ_INT(buffered(r), 6);
    CHECK(memcmp(r->buf, "abcdef", 6) == 0);
    CHECK(!tcp_reasm_take_gap(r));
    tcp_reasm_consume(r, 4);
    CHECK_EQ_INT(r->len, 2);
    CHECK(memcmp(r->buf, "ef", 2) == 0);
    tcp_reasm_free(r);
}

TEST(retransmission_and_overlap)
{
    struct tcp_reasm *r = fresh();
    tcp_reasm_push(r, 10, false, (const uint8_t *)"abcd", 4, 4);
    tcp_reasm_push(r, 10, false, (const uint8_t *)"abcd", 4, 4); /* full copy */
    tcp_reasm_push(r, 12, false, (const uint8_t *)"cdef", 4, 4); /* overlap */
    CHECK_EQ_INT(r->len, 6);
    CHECK(memcmp(r->buf, "abcdef", 6) == 0);
    CHECK_EQ_INT(r->retrans, 2);
    tcp_reasm_free(r);
}

TEST(gap_restarts)
{
    struct tcp_reasm *r = fresh();
    tcp_reasm_push(r, 10, false, (const uint8_t *)"abcd", 4, 4);
    tcp_reasm_push(r, 20, false, (const uint8_t *)"wxyz", 4, 4);
    CHECK(tcp_reasm_take_gap(r));
    CHECK(!tcp_reasm_take_gap(r));
    CHECK_EQ_INT(r->len, 4);
    CHECK(memcmp(r->buf, "wxyz", 4) == 0);
    /* a segment cut by the snaplen: the rest is lost, a gap follows */
    tcp_reasm_push(r, 24, false, (const uint8_t *)"12", 2, 10);
    CHECK(tcp_reasm_take_gap(r));
    CHECK_EQ_INT(r->next_seq, 34);
    tcp_reasm_free(r);
}

TEST(sequence_wrap)
{
    struct tcp_reasm *r = fresh();
    tcp_reasm_push(r, 0xfffffffeu, false, (const uint8_t *)"ab", 2, 2);
    tcp_reasm_push(r, 0u, false, (const uint8_t *)"cd", 2, 2);
    CHECK_EQ_INT(r->len, 4);
    CHECK(!tcp_reasm_take_gap(r));
    tcp_reasm_free(r);
}

TEST(overflow_and_skip)
{
    struct tcp_reasm *r = fresh();
    static uint8_t big[TCP_REASM_BUF + 10];
    tcp_reasm_push(r, 1, false, big, TCP_REASM_BUF, TCP_REASM_BUF);
    CHECK_EQ_INT(r->len, TCP_REASM_BUF);
    tcp_reasm_push(r, 1 + TCP_REASM_BUF, false, big, 10, 10);
    CHECK_EQ_INT(r->overflows, 1);
    CHECK(tcp_reasm_take_gap(r));
    CHECK_EQ_INT(r->len, 0);
    /* consuming past the buffer drops later bytes */
    tcp_reasm_push(r, 1 + TCP_REASM_BUF + 10, false, (const uint8_t *)"abc", 3, 3);
    tcp_reasm_consume(r, 5);
    tcp_reasm_push(r, 1 + TCP_REASM_BUF + 13, false, (const uint8_t *)"defg", 4, 4);
    CHECK_EQ_INT(r->len, 2);
    CHECK(memcmp(r->buf, "fg", 2) == 0);
    tcp_reasm_free(r);
}

/* A stream between PDUs holds no buffer (at a hundred thousand live flows
 * the empty buffers of idle carrier streams were 3.5 MiB, issue 12); a
 * partial PDU keeps one until the rest arrives; a gap leaves none. */
TEST(empty_stream_holds_no_buffer)
{
    struct tcp_reasm *r = fresh();
    tcp_reasm_push(r, 10, false, (const uint8_t *)"abcd", 4, 4);
    CHECK(r->buf != NULL);
    tcp_reasm_consume(r, 4); /* a whole PDU taken */
    CHECK(r->buf == NULL);
    CHECK_EQ_INT(r->cap, 0);
    tcp_reasm_push(r, 14, false, (const uint8_t *)"efgh", 4, 4);
    CHECK_EQ_INT(r->len, 4);
    CHECK(r->buf != NULL && memcmp(r->buf, "efgh", 4) == 0);
    tcp_reasm_consume(r, 2); /* half a PDU left */
    CHECK(r->buf != NULL && memcmp(r->buf, "gh", 2) == 0);
    tcp_reasm_push(r, 18, false, (const uint8_t *)"ij", 2, 2);
    CHECK(r->buf != NULL && memcmp(r->buf, "ghij", 4) == 0);
    tcp_reasm_consume(r, 10); /* more than held: the rest is skipped later */
    CHECK(r->buf == NULL);
    tcp_reasm_push(r, 20, false, (const uint8_t *)"klmnopqr", 8, 8);
    CHECK_EQ_INT(r->len, 2); /* 6 skipped */
    CHECK(memcmp(r->buf, "qr", 2) == 0);
    tcp_reasm_push(r, 40, false, (const uint8_t *)"s", 1, 10); /* a hole, then a cut */
    CHECK(tcp_reasm_take_gap(r));
    CHECK_EQ_INT(r->len, 0);
    CHECK(r->buf == NULL);
    tcp_reasm_free(r);
}

int main(void)
{
    RUN(in_order_and_syn);
    RUN(retransmission_and_overlap);
    RUN(gap_restarts);
    RUN(sequence_wrap);
    RUN(overflow_and_skip);
    RUN(empty_stream_holds_no_buffer);
    return harness_done();
}
