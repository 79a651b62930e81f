/* test_oom_source.c - the merged file source under allocation failure: open
 * the bundled pcaps/ directory and read every packet, failing allocation n for
 * n = 1, 2, ... until a run completes without reaching the failure.  Each run
 * must end cleanly (an error or a complete read), with nothing leaked. */
#include "capture/source.h"

#include <string.h>

#include "tests/failalloc.h"
#include "tests/harness.h"

static bool one_run(unsigned long n, uint64_t *packets)
{
    long base = failalloc_live();
    const char *paths[] = {"pcaps", "pcaps/ott_tls.pcap"};
    struct err e = {""};
    failalloc_after(n);
    struct source *s = source_open_files(paths, 2, NULL, NULL, &e);
    uint64_t got = 0;
    if (s) {
        struct source_packet p;
        int rc;
        while ((rc = source_next(s, &p, &e)) == 1)
            got++;
        CHECK(rc == 0 || rc == RC_NOMEM);
        source_free(s);
    } else {
        CHECK(strstr(e.msg, "out of memory") != NULL);
    }
    bool hit = failalloc_hit();
    failalloc_after(0);
    CHECK_EQ_INT(failalloc_live(), base);
    *packets = got;
    return !hit;
}

TEST(every_allocation_fails_once)
{
    uint64_t want = 0, got = 0;
    CHECK(one_run(0, &want));
    CHECK(want > 0);
    unsigned long n = 1;
    while (!one_run(n, &got) && n < 5000)
        n++;
    CHECK(n < 5000);
    CHECK_EQ_INT(got, want);
    printf("source: %lu allocation points tried, %llu packets\n", n, (unsigned long long)want);
}

int main(void)
{
    RUN(every_allocation_fails_once);
    return harness_done();
}
