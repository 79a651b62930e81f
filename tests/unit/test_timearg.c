/* test_timearg.c - report --from/--to times (report/timearg.c). */
#include "report/timearg.h"

#include <string.h>

#include "tests/harness.h"

TEST(valid)
{
    long long us = 0;
    CHECK(timearg_parse("1970-01-01", &us));
    CHECK_EQ_INT(us, 0);
    CHECK(timearg_parse("2024-03-01T10:00:00.011240Z", &us));
    CHECK_EQ_INT(us, 1709287200011240LL);
    CHECK(timearg_parse("2024-03-01 10:00:00.5", &us));
    CHECK_EQ_INT(us, 1709287200500000LL);
    CHECK(timearg_parse("2024-03-01T10:00:00.1234567", &us)); /* digits past 6 ignored */
    CHECK_EQ_INT(us, 1709287200123456LL);
    CHECK(timearg_parse("9999-12-31T23:59:60", &us));
}

TEST(malformed)
{
    static const char *const bad[] = {
        "", "2024", "2024-13-01", "2024-00-01", "2024-01-32", "2024-01-01T24:00:00",
        "2024-01-01T10:60:00", "2024-01-01T10:00:61", "2024-01-01x", "2024-01-01T10:00",
        " 2024-01-01", "+024-01-01", "-024-01-01", "0000-01-01", "2024-01-01T-1:00:00",
        "2024-01-01T 1:00:00", "2024-01-01T10:-1:00", "2024-01-01T10:00:00ZZ",
        "2024-01-01T10:00:00.", "2024-01-01T10:00:00.1Zx",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        long long us = 42;
        bool ok = timearg_parse(bad[i], &us);
        if (ok)
            fprintf(stderr, "  accepted '%s'\n", bad[i]);
        CHECK(!ok);
        CHECK_EQ_INT(us, 42);
    }
}

int main(void)
{
    RUN(valid);
    RUN(malformed);
    return harness_done();
}
