/* test_oom_sig_load.c - loading the shipped catalog under allocation failure
 * (fail allocation n for n = 1, 2, ... until a load completes without reaching
 * the failure; no crash, no leak, a clean error each time). */
#include <string.h>

#include "signatures/sig.h"
#include "tests/failalloc.h"
#include "tests/harness.h"

TEST(catalog_every_allocation_fails_once)
{
    const char *paths[] = {"signatures/catalog.yaml", "signatures"};
    for (int which = 0; which < 2; which++) {
        unsigned long n = 1;
        for (; n < 10000; n++) {
            long base = failalloc_live();
            struct err e = {""};
            failalloc_after(n);
            struct sig_set *s = sig_load_paths(&paths[which], 1, &e);
            bool hit = failalloc_hit();
            failalloc_after(0);
            if (s) {
                CHECK(s->nservices > 0);
                sig_set_free(s);
            } else {
                CHECK(hit);
                CHECK(strstr(e.msg, "out of memory") != NULL);
            }
            CHECK_EQ_INT(failalloc_live(), base);
            if (!hit) {
                CHECK(s != NULL);
                break;
            }
        }
        CHECK(n < 10000);
        printf("%s: %lu allocation points tried\n", paths[which], n);
    }
}

int main(void)
{
    RUN(catalog_every_allocation_fails_once);
    return harness_done();
}
