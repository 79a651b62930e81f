/* test_m2pa.c - M2PA User Data (classify/m2pa.c). */
#include "classify/m2pa.h"

#include <stdlib.h>

#include "tests/harness.h"
#include "tests/unit/sctp_user.h"
#include "tests/unit/sms_fixtures.h"

TEST(user_data)
{
    struct cursor u;
    uint32_t ppid;
    CHECK(sctp_user(fx_m2pa_v1, sizeof fx_m2pa_v1, &u, &ppid));
    CHECK_EQ_INT(ppid, M2PA_PPID);
    struct m2pa_msg m;
    CHECK_EQ_INT(m2pa_parse(&u, &m), PARSE_OK);
    CHECK_EQ_INT(m.type, 1);
    CHECK_EQ_INT(m.fsn, 3); /* tshark: BSN 2 FSN 3 on frame 4 */
    CHECK_EQ_INT(m.bsn, 2);
    CHECK_EQ_INT(cur_peek(&m.mtp3, 0), 0x83); /* SIO */
}

TEST(link_status_and_ack)
{
    /* Link Status (type 2), state 1 alignment */
    static const uint8_t ls[] = {1, 0, 11, 2, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    /* User Data with no payload: an acknowledgement */
    static const uint8_t ack[] = {1, 0, 11, 1, 0, 0, 0, 16, 0, 0, 0, 5, 0, 0, 0, 9};
    struct m2pa_msg m;
    struct cursor c = cur_init(ls, sizeof ls);
    CHECK_EQ_INT(m2pa_parse(&c, &m), PARSE_NEED_MORE);
    c = cur_init(ack, sizeof ack);
    CHECK_EQ_INT(m2pa_parse(&c, &m), PARSE_NEED_MORE);
    CHECK_EQ_INT(m.bsn, 5);
}

TEST(hostile)
{
    static const uint8_t short_len[] = {1, 0, 11, 1, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    static const uint8_t bad_ver[] = {2, 0, 11, 1, 0, 0, 0, 17, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    static const uint8_t bad_cls[] = {1, 0, 10, 1, 0, 0, 0, 17, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    static const uint8_t huge[] = {1, 0, 11, 1, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x83};
    struct m2pa_msg m;
    struct cursor c = cur_init(short_len, sizeof short_len);
    CHECK_EQ_INT(m2pa_parse(&c, &m), PARSE_INVALID);
    c = cur_init(bad_ver, sizeof bad_ver);
    CHECK_EQ_INT(m2pa_parse(&c, &m), PARSE_INVALID);
    c = cur_init(bad_cls, sizeof bad_cls);
    CHECK_EQ_INT(m2pa_parse(&c, &m), PARSE_INVALID);
    c = cur_init(huge, sizeof huge);
    CHECK_EQ_INT(m2pa_parse(&c, &m), PARSE_TRUNCATED);
}

TEST(every_prefix)
{
    struct cursor u;
    uint32_t ppid;
    CHECK(sctp_user(fx_m2pa_seg1, sizeof fx_m2pa_seg1, &u, &ppid));
    struct span w = cur_rest(&u);
    for (size_t k = 0; k < w.n; k++) {
        uint8_t *b = malloc(k ? k : 1);
        memcpy(b, w.p, k);
        struct cursor c = cur_init(b, k);
        struct m2pa_msg m;
        CHECK_EQ_INT(m2pa_parse(&c, &m), PARSE_TRUNCATED);
        free(b);
    }
}

int main(void)
{
    RUN(user_data);
    RUN(link_status_and_ack);
    RUN(hostile);
    RUN(every_prefix);
    return harness_done();
}
