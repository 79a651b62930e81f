/* test_srvlearn.c - servers learnt in a run: key, TTL window, conflicts,
 * bounds. */
#include "classify/srvlearn.h"

#include "tests/harness.h"

static const uint8_t srv[4] = {157, 240, 9, 53}, srv2[4] = {157, 240, 9, 60};
static const uint8_t srv6[16] = {0x2a, 0x03, 0x28, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x35};
#define T0 1000000000000ull
#define TCP 6
#define UDP 17

TEST(key_and_window)
{
    struct err e;
    struct srvlearn *t = srvlearn_new(16, &e);
    CHECK(t != NULL);
    if (!t)
        return;
    srvlearn_learn(t, 4, srv, TCP, 443, 7, T0);
    CHECK_EQ_INT(srvlearn_find(t, 4, srv, TCP, 443, T0), 7);
    CHECK_EQ_INT(srvlearn_find(t, 4, srv, TCP, 443, T0 - SRVLEARN_TTL_US), 7); /* earlier flow */
    CHECK_EQ_INT(srvlearn_find(t, 4, srv, TCP, 443, T0 + SRVLEARN_TTL_US), 7);
    CHECK_EQ_INT(srvlearn_find(t, 4, srv, TCP, 443, T0 + SRVLEARN_TTL_US + 1), -1);
    CHECK_EQ_INT(srvlearn_find(t, 4, srv, TCP, 5222, T0), -1); /* other port */
    CHECK_EQ_INT(srvlearn_find(t, 4, srv, UDP, 443, T0), -1);  /* other transport */
    CHECK_EQ_INT(srvlearn_find(t, 4, srv2, TCP, 443, T0), -1); /* other address */
    srvlearn_learn(t, 6, srv6, TCP, 443, 3, T0);
    CHECK_EQ_INT(srvlearn_find(t, 6, srv6, TCP, 443, T0), 3);
    srvlearn_learn(t, 4, srv, TCP, 443, 7, T0 + SRVLEARN_TTL_US); /* refresh extends */
    CHECK_EQ_INT(srvlearn_find(t, 4, srv, TCP, 443, T0 + 2 * SRVLEARN_TTL_US), 7);
    struct srvlearn_stats st;
    srvlearn_get_stats(t, &st);
    CHECK_EQ_INT(st.learned, 2);
    CHECK_EQ_INT(st.refreshed, 1);
    CHECK_EQ_INT(st.hits, 5);
    srvlearn_free(t);
    srvlearn_free(NULL);
}

TEST(conflict_is_final)
{
    struct err e;
    struct srvlearn *t = srvlearn_new(16, &e);
    if (!t)
        return;
    srvlearn_learn(t, 4, srv, TCP, 443, 7, T0);
    srvlearn_learn(t, 4, srv, TCP, 443, 8, T0 + 1); /* another service */
    CHECK_EQ_INT(srvlearn_find(t, 4, srv, TCP, 443, T0), -1);
    srvlearn_learn(t, 4, srv, TCP, 443, 7, T0 + 2); /* never answers again */
    CHECK_EQ_INT(srvlearn_find(t, 4, srv, TCP, 443, T0), -1);
    srvlearn_learn(t, 4, srv2, TCP, 443, SRVLEARN_OTHER, T0); /* an unknown name first */
    srvlearn_learn(t, 4, srv2, TCP, 443, 7, T0);
    CHECK_EQ_INT(srvlearn_find(t, 4, srv2, TCP, 443, T0), -1);
    struct srvlearn_stats st;
    srvlearn_get_stats(t, &st);
    CHECK_EQ_INT(st.conflicts, 2);
    srvlearn_free(t);
}

TEST(only_other_answers_nothing)
{
    struct err e;
    struct srvlearn *t = srvlearn_new(16, &e);
    if (!t)
        return;
    srvlearn_learn(t, 4, srv, TCP, 443, SRVLEARN_OTHER, T0);
    CHECK_EQ_INT(srvlearn_find(t, 4, srv, TCP, 443, T0), -1);
    srvlearn_free(t);
}

TEST(bounded)
{
    struct err e;
    struct srvlearn *t = srvlearn_new(8, &e);
    if (!t)
        return;
    uint8_t a[4] = {10, 0, 0, 0};
    for (unsigned i = 0; i < 1000; i++) {
        a[2] = (uint8_t)(i >> 8), a[3] = (uint8_t)i;
        srvlearn_learn(t, 4, a, TCP, 443, 1, T0 + i);
    }
    unsigned live = 0;
    for (unsigned i = 0; i < 1000; i++) {
        a[2] = (uint8_t)(i >> 8), a[3] = (uint8_t)i;
        live += srvlearn_find(t, 4, a, TCP, 443, T0 + i) == 1;
    }
    CHECK(live <= 8);
    CHECK(live >= 1);
    a[2] = (uint8_t)(999 >> 8), a[3] = (uint8_t)999;
    CHECK_EQ_INT(srvlearn_find(t, 4, a, TCP, 443, T0), 1); /* the newest stays */
    struct srvlearn_stats st;
    srvlearn_get_stats(t, &st);
    CHECK_EQ_INT(st.learned, 1000);
    CHECK(st.replaced >= 992);
    srvlearn_free(t);
}

int main(void)
{
    RUN(key_and_window);
    RUN(conflict_is_final);
    RUN(only_other_answers_nothing);
    RUN(bounded);
    return harness_done();
}
