/* test_sctp_reasm.c - SCTP user messages over several DATA chunks and
 * duplicate TSNs (classify/sctp_reasm.c; RFC 9260 sections 6.2 and 6.9).
 *
 * Messages are cut into fragments of consecutive TSNs, B on the first and
 * E on the last, as section 6.9 says a sender does, and pushed in every
 * order; what comes out must be the message, once.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "classify/sctp_reasm.h"
#include "tests/harness.h"

#define MAXMSG 70000

struct got {
    unsigned n;
    uint32_t tsn, ppid;
    uint16_t stream, ssn;
    uint8_t flags;
    size_t len;
    uint8_t b[MAXMSG];
};

static bool take(const struct sctp_data *d, void *user)
{
    struct got *g = user;
    g->n++;
    CHECK(d->whole);
    g->tsn = d->tsn;
    g->ppid = d->ppid;
    g->stream = d->stream;
    g->ssn = d->ssn;
    g->flags = d->flags;
    struct cursor u = d->user;
    g->len = cur_left(&u);
    CHECK(g->len <= SCTP_REASM_MAX_BYTES);
    if (g->len <= sizeof g->b)
        (void)cur_copy(&u, g->b, g->len);
    return false;
}

static uint8_t pattern(size_t i) { return (uint8_t)(i * 13 + 5); }

/* Fragment k of n (each len bytes of the pattern, from off) at TSN tsn. */
static struct sctp_data frag(uint8_t *buf, uint32_t tsn, unsigned k, unsigned n, size_t off,
                             size_t len, uint8_t extra)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = pattern(off + i);
    uint8_t f = extra;
    if (k == 0)
        f |= SCTP_FLAG_B;
    if (k == n - 1)
        f |= SCTP_FLAG_E;
    return (struct sctp_data){.tsn = tsn, .ppid = 18, .stream = 3, .ssn = 77, .flags = f,
                              .whole = false, .user = cur_init(buf, len)};
}

static void push(struct sctp_reasm *r, uint32_t tsn, unsigned k, unsigned n, size_t each,
                 uint64_t ts, struct slot_budget *b, struct sctp_reasm_stats *st, struct got *g)
{
    static uint8_t buf[SCTP_REASM_MAX_BYTES + 8];
    struct sctp_data d = frag(buf, tsn, k, n, k * each, each, 0);
    sctp_reasm_push(r, &d, ts, b, st, take, g);
}

/* Fragment k of n at tsn (len bytes of the pattern from off, flags extra
 * added) pushed at time 1 without a budget. */
static void put(struct sctp_reasm *r, uint32_t tsn, unsigned k, unsigned n, size_t off, size_t len,
                uint8_t extra, struct sctp_reasm_stats *st, struct got *g)
{
    static uint8_t buf[64];
    struct sctp_data d = frag(buf, tsn, k, n, off, len, extra);
    sctp_reasm_push(r, &d, 1, NULL, st, take, g);
}

static bool is_pattern(const struct got *g, size_t len)
{
    if (g->len != len)
        return false;
    for (size_t i = 0; i < len; i++)
        if (g->b[i] != pattern(i))
            return false;
    return true;
}

TEST(in_order)
{
    struct sctp_reasm *r = sctp_reasm_new();
    struct sctp_reasm_stats st = {0, 0, 0};
    struct slot_budget b = {0, 1u << 20};
    static struct got g;
    memset(&g, 0, sizeof g);
    for (unsigned k = 0; k < 3; k++) {
        CHECK_EQ_INT(g.n, 0);
        push(r, 100 + k, k, 3, 1000, 5, &b, &st, &g);
    }
    CHECK_EQ_INT(g.n, 1);
    CHECK(is_pattern(&g, 3000));
    CHECK_EQ_INT(g.tsn, 100);
    CHECK_EQ_INT(g.ppid, 18);
    CHECK_EQ_INT(g.stream, 3);
    CHECK_EQ_INT(g.ssn, 77);
    CHECK(sctp_reasm_empty(r));
    CHECK_EQ_INT(b.used, 0);
    CHECK_EQ_INT(st.fragments, 3);
    CHECK_EQ_INT(st.messages, 1);
    CHECK_EQ_INT(st.dropped, 0);
    sctp_reasm_free(r, &b, &st);
    CHECK_EQ_INT(st.dropped, 0);
}

/* Every order of five fragments, each also pushed a second time right
 * after (a retransmission): one message, the right bytes. */
TEST(every_order_and_retransmissions)
{
    unsigned idx[5] = {0, 1, 2, 3, 4};
    unsigned perms = 0;
    static struct got g;
    for (;;) {
        struct sctp_reasm *r = sctp_reasm_new();
        struct sctp_reasm_stats st = {0, 0, 0};
        struct slot_budget b = {0, 1u << 20};
        memset(&g, 0, sizeof g);
        for (unsigned i = 0; i < 5; i++) {
            CHECK_EQ_INT(g.n, 0);
            push(r, 0xfffffffeu + idx[i], idx[i], 5, 333, 10 + i, &b, &st, &g);
            if (i < 4)
                push(r, 0xfffffffeu + idx[i], idx[i], 5, 333, 10 + i, &b, &st, &g);
        }
        CHECK_EQ_INT(g.n, 1); /* across the TSN wrap: 0xfffffffe .. 2 */
        CHECK(is_pattern(&g, 5 * 333));
        CHECK_EQ_INT(g.tsn, 0xfffffffeu);
        CHECK_EQ_INT(st.fragments, 5);
        CHECK_EQ_INT(st.messages, 1);
        CHECK_EQ_INT(st.dropped, 0);
        CHECK(sctp_reasm_empty(r));
        CHECK_EQ_INT(b.used, 0);
        sctp_reasm_free(r, &b, &st);
        perms++;
        /* next permutation (lexicographic) */
        int i = 3;
        while (i >= 0 && idx[i] > idx[i + 1])
            i--;
        if (i < 0)
            break;
        int j = 4;
        while (idx[j] < idx[i])
            j--;
        unsigned t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
        for (int a = i + 1, z = 4; a < z; a++, z--) {
            t = idx[a];
            idx[a] = idx[z];
            idx[z] = t;
        }
    }
    CHECK_EQ_INT(perms, 120);
}

/* A message whose end never came, then the next one: the next one is
 * delivered, the first one's fragments wait and are dropped at the end. */
TEST(lost_end_then_next_message)
{
    struct sctp_reasm *r = sctp_reasm_new();
    struct sctp_reasm_stats st = {0, 0, 0};
    struct slot_budget b = {0, 1u << 20};
    static struct got g;
    memset(&g, 0, sizeof g);
    push(r, 1, 0, 3, 100, 1, &b, &st, &g);
    push(r, 2, 1, 3, 100, 2, &b, &st, &g);
    /* TSN 3 lost for good; the next message is 4..5 */
    push(r, 5, 1, 2, 100, 3, &b, &st, &g);
    CHECK_EQ_INT(g.n, 0);
    push(r, 4, 0, 2, 100, 4, &b, &st, &g);
    CHECK_EQ_INT(g.n, 1);
    CHECK(is_pattern(&g, 200));
    CHECK_EQ_INT(g.tsn, 4);
    CHECK(!sctp_reasm_empty(r));
    CHECK_EQ_INT(b.used, 200);
    sctp_reasm_free(r, &b, &st);
    CHECK_EQ_INT(st.dropped, 2);
    CHECK_EQ_INT(b.used, 0);
}

/* Another stream, U on some fragments only, or an E flag before the last:
 * not one message. */
TEST(runs_that_are_not_one_message)
{
    static uint8_t buf[64];
    static struct got g;
    memset(&g, 0, sizeof g);
    struct sctp_reasm_stats st = {0, 0, 0};
    struct sctp_reasm *r = sctp_reasm_new();
    put(r, 20, 0, 2, 0, 8, 0, &st, &g);
    struct sctp_data d = frag(buf, 21, 1, 2, 8, 8, 0);
    d.stream = 4;
    sctp_reasm_push(r, &d, 1, NULL, &st, take, &g);
    CHECK_EQ_INT(g.n, 0);
    put(r, 40, 0, 2, 0, 8, 0, &st, &g);
    put(r, 41, 1, 2, 8, 8, SCTP_FLAG_U, &st, &g); /* U on the last only */
    CHECK_EQ_INT(g.n, 0);
    put(r, 60, 1, 2, 8, 8, 0, &st, &g); /* an E ... */
    put(r, 61, 1, 2, 8, 8, 0, &st, &g); /* ... and another after it */
    put(r, 59, 0, 2, 0, 8, 0, &st, &g); /* 59..60 is one */
    CHECK_EQ_INT(g.n, 1);
    CHECK_EQ_INT(g.tsn, 59);
    CHECK_EQ_INT(st.messages, 1);
    sctp_reasm_free(r, NULL, &st);
    CHECK_EQ_INT(st.dropped, 5); /* 20, 21, 40, 41, 61 */

    /* unordered fragments, all U: one message, U kept */
    memset(&g, 0, sizeof g);
    r = sctp_reasm_new();
    put(r, 30, 1, 2, 8, 8, SCTP_FLAG_U, &st, &g);
    put(r, 29, 0, 2, 0, 8, SCTP_FLAG_U, &st, &g);
    CHECK_EQ_INT(g.n, 1);
    CHECK(is_pattern(&g, 16));
    CHECK(g.flags & SCTP_FLAG_U);
    CHECK(sctp_reasm_empty(r));
    sctp_reasm_free(r, NULL, &st);
}

/* A B after a B: the first message lost its end; 11 (B) and 12 (E) are a
 * message of their own, while 10 waits. */
TEST(b_after_b)
{
    static struct got g;
    memset(&g, 0, sizeof g);
    struct sctp_reasm_stats st = {0, 0, 0};
    struct sctp_reasm *r = sctp_reasm_new();
    put(r, 10, 0, 3, 0, 8, 0, &st, &g);
    put(r, 11, 0, 2, 0, 8, 0, &st, &g);
    put(r, 12, 1, 2, 8, 8, 0, &st, &g);
    CHECK_EQ_INT(g.n, 1);
    CHECK_EQ_INT(g.tsn, 11);
    CHECK(is_pattern(&g, 16));
    CHECK(!sctp_reasm_empty(r));
    sctp_reasm_free(r, NULL, &st);
    CHECK_EQ_INT(st.dropped, 1);
}

TEST(bounds)
{
    static struct got g;
    memset(&g, 0, sizeof g);
    struct sctp_reasm_stats st = {0, 0, 0};
    struct slot_budget b = {0, 1u << 20};
    struct sctp_reasm *r = sctp_reasm_new();
    /* fragment count: 65 middle fragments, the oldest gives way */
    for (unsigned k = 0; k < SCTP_REASM_MAX_FRAGS + 1; k++)
        push(r, 1000 + k, 1, 3, 10, 1, &b, &st, &g);
    CHECK_EQ_INT(st.dropped, 1);
    CHECK_EQ_INT(b.used, SCTP_REASM_MAX_FRAGS * 10);
    sctp_reasm_free(r, &b, &st);
    CHECK_EQ_INT(st.dropped, SCTP_REASM_MAX_FRAGS + 1);
    CHECK_EQ_INT(b.used, 0);

    /* bytes: two fragments of 40,000 do not fit in 64 KiB together */
    memset(&st, 0, sizeof st);
    r = sctp_reasm_new();
    push(r, 1, 0, 3, 40000, 1, &b, &st, &g);
    push(r, 2, 1, 3, 40000, 1, &b, &st, &g);
    CHECK_EQ_INT(st.dropped, 1);
    CHECK_EQ_INT(b.used, 40000);
    /* too long for any message, and empty: dropped as they come */
    push(r, 3, 2, 3, SCTP_REASM_MAX_BYTES + 1, 1, &b, &st, &g);
    CHECK_EQ_INT(st.dropped, 2);
    push(r, 4, 1, 3, 0, 1, &b, &st, &g);
    CHECK_EQ_INT(st.dropped, 3);
    CHECK_EQ_INT(g.n, 0);
    sctp_reasm_free(r, &b, &st);
    CHECK_EQ_INT(b.used, 0);

    /* the largest message that fits: 64 KiB in 64 fragments of 1 KiB */
    memset(&st, 0, sizeof st);
    r = sctp_reasm_new();
    for (unsigned k = 0; k < 64; k++)
        push(r, 500 + k, k, 64, 1024, 1, &b, &st, &g);
    CHECK_EQ_INT(g.n, 1);
    CHECK(is_pattern(&g, SCTP_REASM_MAX_BYTES));
    CHECK_EQ_INT(st.dropped, 0);
    sctp_reasm_free(r, &b, &st);

    /* the shared budget: the new fragment is refused, the queue kept */
    memset(&st, 0, sizeof st);
    memset(&g, 0, sizeof g);
    struct slot_budget small = {0, 150};
    r = sctp_reasm_new();
    push(r, 1, 0, 3, 100, 1, &small, &st, &g);
    push(r, 2, 1, 3, 100, 1, &small, &st, &g);
    CHECK_EQ_INT(st.dropped, 1);
    CHECK_EQ_INT(small.used, 100);
    push(r, 2, 1, 2, 40, 1, &small, &st, &g); /* fits now: 1..2 is a message */
    CHECK_EQ_INT(g.n, 1);
    CHECK_EQ_INT(g.len, 140);
    CHECK_EQ_INT(small.used, 0);
    sctp_reasm_free(r, &small, &st);
}

TEST(age)
{
    static struct got g;
    memset(&g, 0, sizeof g);
    struct sctp_reasm_stats st = {0, 0, 0};
    struct sctp_reasm *r = sctp_reasm_new();
    uint64_t t0 = 1000000;
    push(r, 7, 0, 2, 50, t0, NULL, &st, &g);
    push(r, 8, 1, 2, 50, t0 + SCTP_REASM_MAX_AGE_US + 1, NULL, &st, &g);
    CHECK_EQ_INT(g.n, 0); /* the B fragment was too old */
    CHECK_EQ_INT(st.dropped, 1);
    /* at exactly the bound it is still kept */
    push(r, 9, 0, 2, 50, t0 + 2 * SCTP_REASM_MAX_AGE_US + 1, NULL, &st, &g);
    push(r, 10, 1, 2, 50, t0 + 3 * SCTP_REASM_MAX_AGE_US + 1, NULL, &st, &g);
    CHECK_EQ_INT(g.n, 1);
    CHECK_EQ_INT(g.tsn, 9);
    CHECK_EQ_INT(st.dropped, 2); /* TSN 8 aged out by the push of 10 */
    sctp_reasm_free(r, NULL, &st);
}

/* Arbitrary fragments: nothing read out of bounds, the byte count and the
 * budget agree, everything is accounted for. */
TEST(arbitrary_fragments)
{
    static uint8_t buf[3000];
    static struct got g;
    uint32_t x = 12345;
    for (int round = 0; round < 200; round++) {
        struct sctp_reasm_stats st = {0, 0, 0};
        struct slot_budget b = {0, 20000};
        struct sctp_reasm *r = sctp_reasm_new();
        memset(&g, 0, sizeof g);
        uint64_t dups = 0;
        for (int i = 0; i < 400; i++) {
            x = x * 1103515245u + 12345u;
            uint32_t tsn = (x >> 8) % 40 + 0xfffffff0u;
            size_t len = (x >> 16) % sizeof buf;
            for (size_t k = 0; k < len; k++)
                buf[k] = (uint8_t)(k + tsn);
            struct sctp_data d = {.tsn = tsn, .ppid = 3, .stream = (uint16_t)(x & 1),
                                  .flags = (uint8_t)((x >> 4) & 7), .user = cur_init(buf, len)};
            uint64_t before = st.fragments + st.dropped + g.n;
            sctp_reasm_push(r, &d, (uint64_t)i * 1000000u, &b, &st, take, &g);
            if (st.fragments + st.dropped + g.n == before)
                dups++;
        }
        sctp_reasm_free(r, &b, &st);
        CHECK_EQ_INT(b.used, 0);
        CHECK(st.messages == g.n);
        CHECK(dups + st.fragments <= 400);
        CHECK(st.dropped <= st.fragments);
    }
}

TEST(tsn_window)
{
    struct sctp_tsn_window w = {0};
    CHECK(!sctp_tsn_seen(&w, 5));
    CHECK(sctp_tsn_seen(&w, 5));
    CHECK(!sctp_tsn_seen(&w, 4)); /* late, not seen before */
    CHECK(sctp_tsn_seen(&w, 4));
    CHECK(!sctp_tsn_seen(&w, 5 + SCTP_TSN_WINDOW)); /* the window restarts */
    CHECK(!sctp_tsn_seen(&w, 5));                   /* not remembered: new */
    CHECK(!sctp_tsn_seen(&w, 4 + SCTP_TSN_WINDOW));
    CHECK(sctp_tsn_seen(&w, 4 + SCTP_TSN_WINDOW));
    CHECK(!sctp_tsn_seen(&w, 6)); /* 255 behind: remembered from now on */
    CHECK(sctp_tsn_seen(&w, 6));
    CHECK(sctp_tsn_seen(&w, 5 + SCTP_TSN_WINDOW));
    struct sctp_tsn_window v = {0};
    CHECK(!sctp_tsn_seen(&v, 0xfffffffeu));
    CHECK(!sctp_tsn_seen(&v, 1)); /* across the wrap: 3 ahead */
    CHECK(!sctp_tsn_seen(&v, 0xffffffffu));
    CHECK(sctp_tsn_seen(&v, 0xffffffffu));
    CHECK(sctp_tsn_seen(&v, 0xfffffffeu));
    CHECK(sctp_tsn_seen(&v, 1));
    CHECK(!sctp_tsn_seen(&v, 0));
    CHECK_EQ_INT(v.high, 1);
}

/* A retransmission 200 TSNs after its original (a fast retransmit on an
 * association that bundles many messages per packet) is still a
 * duplicate; with the 64-TSN window it was decoded again. */
TEST(tsn_window_late_retransmission)
{
    struct sctp_tsn_window w = {0};
    for (uint32_t t = 1000; t <= 1200; t++)
        CHECK(!sctp_tsn_seen(&w, t));
    CHECK(sctp_tsn_seen(&w, 1000));
    CHECK(sctp_tsn_seen(&w, 1100));
    /* a slot reused by a later TSN no longer says the old one was seen */
    for (uint32_t t = 1201; t <= 1000 + SCTP_TSN_WINDOW; t++)
        CHECK(!sctp_tsn_seen(&w, t));
    CHECK(!sctp_tsn_seen(&w, 1000));
}

/* The window against a model that remembers every TSN: each answer is the
 * model's for TSNs within the window, "new" for older ones; random
 * sequences around the 32-bit wrap, with repeats, reordering and jumps. */
TEST(tsn_window_model)
{
    enum { N = 4000 };
    static uint32_t seen[N];
    uint64_t x = 0x9e3779b97f4a7c15ull;
    for (int run = 0; run < 200; run++) {
        struct sctp_tsn_window w = {0};
        size_t ns = 0;
        uint32_t high = 0, base = 0xffffff00u + (uint32_t)run * 7u;
        bool any = false;
        for (int i = 0; i < N; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            uint32_t t;
            if (any && x % 8 == 0)
                t = high + (uint32_t)(x >> 8) % 700u; /* ahead, maybe far */
            else if (any)
                t = high - (uint32_t)(x >> 8) % 400u; /* behind, maybe too far */
            else
                t = base;
            bool fresh = !any || ((uint32_t)(t - high) != 0 && (uint32_t)(t - high) < 0x80000000u);
            bool in_window = fresh || (uint32_t)(high - t) < SCTP_TSN_WINDOW;
            bool was = false;
            for (size_t k = 0; k < ns && in_window && !fresh; k++)
                was |= seen[k] == t && (uint32_t)(high - t) < SCTP_TSN_WINDOW;
            bool got = sctp_tsn_seen(&w, t);
            if (got != was) {
                CHECK_EQ_INT(got, was);
                return;
            }
            if (in_window && ns < N)
                seen[ns++] = t;
            if (fresh) {
                high = t;
                any = true;
            }
        }
    }
}

int main(void)
{
    RUN(in_order);
    RUN(every_order_and_retransmissions);
    RUN(lost_end_then_next_message);
    RUN(runs_that_are_not_one_message);
    RUN(b_after_b);
    RUN(bounds);
    RUN(age);
    RUN(arbitrary_fragments);
    RUN(tsn_window);
    RUN(tsn_window_late_retransmission);
    RUN(tsn_window_model);
    return harness_done();
}
