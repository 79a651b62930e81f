/* test_m2ua.c - M2UA DATA (classify/m2ua.c). */
#include "classify/m2ua.h"

#include <stdlib.h>

#include "tests/harness.h"
#include "tests/unit/sctp_user.h"
#include "tests/unit/sms_fixtures.h"

TEST(data)
{
    struct cursor u;
    uint32_t ppid;
    CHECK(sctp_user(fx_m2ua_mo, sizeof fx_m2ua_mo, &u, &ppid));
    CHECK_EQ_INT(ppid, M2UA_PPID);
    struct m2ua_data m;
    CHECK_EQ_INT(m2ua_parse(&u, &m), PARSE_OK);
    CHECK(m.has_iid);
    CHECK_EQ_INT(m.iid, 1);
    CHECK_EQ_INT(cur_peek(&m.mtp3, 0), 0x83);
}

TEST(other_and_hostile)
{
    /* MGMT NTFY: valid, not data */
    static const uint8_t ntfy[] = {1, 0, 0, 1, 0, 0, 0, 8};
    /* DATA without Protocol Data */
    static const uint8_t nodata[] = {1, 0, 6, 1, 0, 0, 0, 16, 0, 1, 0, 8, 0, 0, 0, 1};
    /* parameter length 3 (below its own header) */
    static const uint8_t badtlv[] = {1, 0, 6, 1, 0, 0, 0, 16, 3, 0, 0, 3, 0, 0, 0, 0};
    /* Protocol Data 2 holding only its priority octet */
    static const uint8_t pd2[] = {1, 0, 6, 1, 0, 0, 0, 13, 3, 1, 0, 5, 0};
    struct m2ua_data m;
    struct cursor c = cur_init(ntfy, sizeof ntfy);
    CHECK_EQ_INT(m2ua_parse(&c, &m), PARSE_NEED_MORE);
    c = cur_init(nodata, sizeof nodata);
    CHECK_EQ_INT(m2ua_parse(&c, &m), PARSE_INVALID);
    c = cur_init(badtlv, sizeof badtlv);
    CHECK_EQ_INT(m2ua_parse(&c, &m), PARSE_INVALID);
    c = cur_init(pd2, sizeof pd2);
    CHECK_EQ_INT(m2ua_parse(&c, &m), PARSE_TRUNCATED);
}

TEST(every_prefix)
{
    struct cursor u;
    uint32_t ppid;
    CHECK(sctp_user(fx_m2ua_mo, sizeof fx_m2ua_mo, &u, &ppid));
    struct span w = cur_rest(&u);
    for (size_t k = 0; k + 3 < w.n; k++) { /* the last parameter's padding may be cut */
        uint8_t *b = malloc(k ? k : 1);
        memcpy(b, w.p, k);
        struct cursor c = cur_init(b, k);
        struct m2ua_data m;
        CHECK_EQ_INT(m2ua_parse(&c, &m), PARSE_TRUNCATED);
        free(b);
    }
}

int main(void)
{
    RUN(data);
    RUN(other_and_hostile);
    RUN(every_prefix);
    return harness_done();
}
