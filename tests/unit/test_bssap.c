/* test_bssap.c - BSSAP DTAP and Complete Layer 3 (classify/bssap.c). */
#include "classify/bssap.h"

#include <stdlib.h>

#include "tests/harness.h"

/* Complete Layer 3 { Cell Identifier (LAC 1, CI 2), Layer 3 Information
 * { CM Service Request } } as pcaps/gen/ss7_enc.c writes it. */
static const uint8_t fx_cl3[] = {0x00, 0x12, 0x57, 0x05, 0x05, 0x01, 0x00, 0x01, 0x00, 0x02,
                                 0x17, 0x08, 0x05, 0x24, 0x04, 0x03, 0x57, 0x58, 0xa6, 0x00};
static const uint8_t fx_dtap[] = {0x01, 0x00, 0x02, 0x89, 0x04};

TEST(valid)
{
    struct cursor c = cur_init(fx_cl3, sizeof fx_cl3), l3;
    bool initial;
    CHECK_EQ_INT(bssap_l3(&c, &l3, &initial), PARSE_OK);
    CHECK(initial);
    CHECK_EQ_INT(cur_left(&l3), 8);
    CHECK_EQ_INT(cur_peek(&l3, 1), 0x24);
    c = cur_init(fx_dtap, sizeof fx_dtap);
    CHECK_EQ_INT(bssap_l3(&c, &l3, &initial), PARSE_OK);
    CHECK(!initial);
    CHECK_EQ_INT(cur_left(&l3), 2);
}

TEST(hostile_and_prefix)
{
    static const uint8_t assign[] = {0x00, 0x01, 0x01};       /* BSSMAP Assignment Request */
    static const uint8_t disc[] = {0x07, 0x00};
    static const uint8_t no_l3[] = {0x00, 0x03, 0x57, 0x05, 0x00};
    struct cursor c = cur_init(assign, sizeof assign), l3;
    bool initial;
    CHECK_EQ_INT(bssap_l3(&c, &l3, &initial), PARSE_NEED_MORE);
    c = cur_init(disc, sizeof disc);
    CHECK_EQ_INT(bssap_l3(&c, &l3, &initial), PARSE_INVALID);
    c = cur_init(no_l3, sizeof no_l3);
    CHECK_EQ_INT(bssap_l3(&c, &l3, &initial), PARSE_NEED_MORE);
    const struct { const uint8_t *p; size_t n; } fx[] = {{fx_cl3, sizeof fx_cl3},
                                                          {fx_dtap, sizeof fx_dtap}};
    for (size_t i = 0; i < 2; i++)
        for (size_t k = 0; k < fx[i].n; k++) {
            uint8_t *b = malloc(k ? k : 1);
            memcpy(b, fx[i].p, k);
            c = cur_init(b, k);
            CHECK_EQ_INT(bssap_l3(&c, &l3, &initial), PARSE_TRUNCATED);
            free(b);
        }
}

int main(void)
{
    RUN(valid);
    RUN(hostile_and_prefix);
    return harness_done();
}
