/* test_sockbind.c - per-socket call services: window, per socket, bounds. */
#include "classify/sockbind.h"

#include "tests/harness.h"

static const uint8_t cli[4] = {192, 168, 12, 169}, other[4] = {192, 168, 12, 170};

TEST(window_and_key)
{
    struct err e;
    struct sockbind *t = sockbind_new(16, &e);
    sockbind_learn(t, 4, cli, 37970, 3, 1000000000ull);
    CHECK_EQ_INT(sockbind_find(t, 4, cli, 37970, 1000000000ull - 5000000), 3); /* earlier flow */
    CHECK_EQ_INT(sockbind_find(t, 4, cli, 37970, 1000000000ull + SOCKBIND_WINDOW_US), 3);
    CHECK_EQ_INT(sockbind_find(t, 4, cli, 37970, 1000000000ull + SOCKBIND_WINDOW_US + 1), -1);
    CHECK_EQ_INT(sockbind_find(t, 4, cli, 37971, 1000000000ull), -1);  /* other port */
    CHECK_EQ_INT(sockbind_find(t, 4, other, 37970, 1000000000ull), -1); /* other host */
    sockbind_learn(t, 4, cli, 37970, 5, 1000000001ull);                 /* relearn */
    CHECK_EQ_INT(sockbind_find(t, 4, cli, 37970, 1000000000ull), 5);
    sockbind_free(t);
    sockbind_free(NULL);
}

TEST(bounded)
{
    struct err e;
    struct sockbind *t = sockbind_new(8, &e);
    for (unsigned p = 1; p <= 1000; p++)
        sockbind_learn(t, 4, cli, (uint16_t)p, 1, p);
    unsigned live = 0;
    for (unsigned p = 1; p <= 1000; p++)
        live += sockbind_find(t, 4, cli, (uint16_t)p, 1000) == 1;
    CHECK(live <= 8);
    struct sockbind_stats st;
    sockbind_get_stats(t, &st);
    CHECK_EQ_INT(st.learned, 1000);
    CHECK(st.replaced >= 1000 - 8);
    sockbind_free(t);
}

int main(void)
{
    RUN(window_and_key);
    RUN(bounded);
    return harness_done();
}
