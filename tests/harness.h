/* harness.h - the unit-test harness (one binary per tests/unit/test_<stem>.c).
 *
 * CHECK(expr) records a failure with file:line and keeps going; TEST(name)
 * declares a test function; RUN(name) runs it.  main() ends with
 * `return harness_done();`, which prints "<binary>: N passed, N failed" (per check)
 * and returns non-zero when anything failed.
 */
#ifndef PR_TESTS_HARNESS_H
#define PR_TESTS_HARNESS_H

#include <stdio.h>
#include <string.h>

struct harness {
    unsigned passed, failed;
    const char *current;
};

static struct harness harness_state; /* test binaries only: one per process */

#define CHECK(expr)                                                                    \
    do {                                                                               \
        if (expr) {                                                                    \
            harness_state.passed++;                                                    \
        } else {                                                                       \
            harness_state.failed++;                                                    \
            fprintf(stderr, "%s:%d: %s: CHECK(%s) failed\n", __FILE__, __LINE__,       \
                    harness_state.current ? harness_state.current : "?", #expr);       \
        }                                                                              \
    } while (0)

#define CHECK_EQ_INT(a, b)                                                             \
    do {                                                                               \
        long long va_ = (long long)(a), vb_ = (long long)(b);                          \
        if (va_ == vb_) {                                                              \
            harness_state.passed++;                                                    \
        } else {                                                                       \
            harness_state.failed++;                                                    \
            fprintf(stderr, "%s:%d: %s: %s == %lld, expected %s == %lld\n", __FILE__,  \
                    __LINE__, harness_state.current ? harness_state.current : "?", #a, \
                    va_, #b, vb_);                                                     \
        }                                                                              \
    } while (0)

#define CHECK_STR(a, b)                                                                \
    do {                                                                               \
        const char *sa_ = (a), *sb_ = (b);                                             \
        if (sa_ && sb_ && strcmp(sa_, sb_) == 0) {                                     \
            harness_state.passed++;                                                    \
        } else {                                                                       \
            harness_state.failed++;                                                    \
            fprintf(stderr, "%s:%d: %s: %s == \"%s\", expected \"%s\"\n", __FILE__,    \
                    __LINE__, harness_state.current ? harness_state.current : "?", #a, \
                    sa_ ? sa_ : "(null)", sb_ ? sb_ : "(null)");                       \
        }                                                                              \
    } while (0)

#define TEST(name) static void test_##name(void)
#define RUN(name)                                                                      \
    do {                                                                               \
        harness_state.current = #name;                                                 \
        test_##name();                                                                 \
        harness_state.current = NULL;                                                  \
    } while (0)

static inline int harness_done(void)
{
    printf("%u passed, %u failed\n", harness_state.passed, harness_state.failed);
    return harness_state.failed ? 1 : 0;
}

#endif
