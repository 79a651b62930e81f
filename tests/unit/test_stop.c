/* test_stop.c - helper threads take no signal (capture/stop.h
 * stop_thread_create): a thread started with it blocks SIGINT, SIGTERM and
 * SIGHUP, and the caller's own mask is left as it was, so a stop still
 * interrupts the reading thread's blocking read.
 */
#include "capture/stop.h"

#include <signal.h>
#include <string.h>

#include "tests/harness.h"

struct seen {
    sigset_t mask;
    int rc;
};

static void *record_mask(void *arg)
{
    struct seen *s = arg;
    s->rc = pthread_sigmask(SIG_SETMASK, NULL, &s->mask);
    return NULL;
}

TEST(helper_threads_block_the_stop_signals)
{
    sigset_t before, after;
    CHECK_EQ_INT(pthread_sigmask(SIG_SETMASK, NULL, &before), 0);
    CHECK(!sigismember(&before, SIGINT));
    struct seen s;
    memset(&s, 0, sizeof s);
    pthread_t t;
    CHECK_EQ_INT(stop_thread_create(&t, record_mask, &s), 0);
    CHECK_EQ_INT(pthread_join(t, NULL), 0);
    CHECK_EQ_INT(s.rc, 0);
    CHECK(sigismember(&s.mask, SIGINT));
    CHECK(sigismember(&s.mask, SIGTERM));
    CHECK(sigismember(&s.mask, SIGHUP));
    CHECK_EQ_INT(pthread_sigmask(SIG_SETMASK, NULL, &after), 0);
    CHECK(!sigismember(&after, SIGINT));
    CHECK(!sigismember(&after, SIGTERM));
    CHECK(!sigismember(&after, SIGHUP));
}

int main(void)
{
    RUN(helper_threads_block_the_stop_signals);
    return harness_done();
}
