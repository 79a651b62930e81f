/* test_sua.c - SUA CLDT (classify/sua.c). */
#include "classify/sua.h"

#include <stdlib.h>

#include "tests/harness.h"
#include "tests/unit/sctp_user.h"
#include "tests/unit/sms_fixtures.h"

TEST(cldt)
{
    struct cursor u;
    uint32_t ppid;
    CHECK(sctp_user(fx_sua_mt, sizeof fx_sua_mt, &u, &ppid));
    CHECK_EQ_INT(ppid, SUA_PPID);
    struct sccp_msg m;
    CHECK_EQ_INT(sua_parse(&u, &m), PARSE_OK);
    /* tshark: source 15550000001 SSN 8, destination 15550000002 SSN 8 */
    CHECK_STR(m.calling.gt, "15550000001");
    CHECK_EQ_INT(m.calling.ssn, 8);
    CHECK_EQ_INT(m.calling.gti, 4);
    CHECK_EQ_INT(m.calling.nai, 4);
    CHECK_STR(m.called.gt, "15550000002");
    CHECK_EQ_INT(m.called.ssn, 8);
    CHECK_EQ_INT(m.called.pc, -1);
    CHECK_STR(m.via, "sua");
    CHECK_EQ_INT(cur_peek(&m.data, 0), 0x62); /* TCAP Begin */
}

TEST(hostile)
{
    /* ASPSM BEAT: valid, not data */
    static const uint8_t beat[] = {1, 0, 3, 3, 0, 0, 0, 8};
    /* CLDT without Data */
    static const uint8_t nodata[] = {1, 0, 7, 1, 0, 0, 0, 16, 1, 0x15, 0, 8, 0, 0, 0, 0};
    /* Point Code sub-parameter of length 5 (value cut), GT with 40 digits
     * claimed but 1 octet of digits */
    static const uint8_t odd_addr[] = {
        1, 0, 7, 1, 0, 0, 0, 48,
        0x01, 0x02, 0, 32, 0, 1, 0, 7, 0x80, 0x02, 0, 5, 1, 0, 0, 0,
        0x80, 0x01, 0, 13, 0, 0, 0, 4, 40, 0, 1, 4, 0x21, 0, 0, 0,
        0x01, 0x0b, 0, 6, 0x62, 0x00, 0, 0};
    struct sccp_msg m;
    struct cursor c = cur_init(beat, sizeof beat);
    CHECK_EQ_INT(sua_parse(&c, &m), PARSE_NEED_MORE);
    c = cur_init(nodata, sizeof nodata);
    CHECK_EQ_INT(sua_parse(&c, &m), PARSE_INVALID);
    c = cur_init(odd_addr, sizeof odd_addr);
    CHECK_EQ_INT(sua_parse(&c, &m), PARSE_OK);
    CHECK_STR(m.calling.gt, "12");
    CHECK_EQ_INT(m.calling.pc, -1);
    CHECK_EQ_INT(cur_left(&m.data), 2);
}

TEST(every_prefix)
{
    struct cursor u;
    uint32_t ppid;
    CHECK(sctp_user(fx_sua_mt, sizeof fx_sua_mt, &u, &ppid));
    struct span w = cur_rest(&u);
    for (size_t k = 0; k + 3 < w.n; k++) {
        uint8_t *b = malloc(k ? k : 1);
        memcpy(b, w.p, k);
        struct cursor c = cur_init(b, k);
        struct sccp_msg m;
        CHECK_EQ_INT(sua_parse(&c, &m), PARSE_TRUNCATED);
        free(b);
    }
}

int main(void)
{
    RUN(cldt);
    RUN(hostile);
    RUN(every_prefix);
    return harness_done();
}
