/* test_stop.c - helper threads take no signal (capture/stop.h
 * stop_thread_create): a thread started with it blocks SIGINT, SIGTERM and
 * SIGHUP, and the caller's own mask is left as it was, so a stop still
 * interrupts the reading thread's blocking read.  The thread carries the
 * name it was given (cut to Linux's 15 bytes) from its first instruction,
 * and the caller's name is unchanged.
 */
#include "capture/stop.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "tests/harness.h"

struct seen {
    sigset_t mask;
    int rc;
    char name[32]; /* the thread's own name, as it saw it on entry */
    int name_rc;
};

static void *record_mask(void *arg)
{
    struct seen *s = arg;
    s->rc = pthread_sigmask(SIG_SETMASK, NULL, &s->mask);
    s->name_rc = prctl(PR_GET_NAME, s->name, 0, 0, 0);
    return NULL;
}

/* Runs record_mask on a helper thread named name; s says what it saw. */
static void run_helper(const char *name, struct seen *s)
{
    memset(s, 0, sizeof *s);
    pthread_t t;
    CHECK_EQ_INT(stop_thread_create(&t, name, record_mask, s), 0);
    CHECK_EQ_INT(pthread_join(t, NULL), 0);
}

/* The calling thread's name (PR_GET_NAME fills 16 bytes). */
static void own_name(char out[32])
{
    memset(out, 0, 32);
    prctl(PR_GET_NAME, out, 0, 0, 0);
}

TEST(helper_threads_block_the_stop_signals)
{
    sigset_t before, after;
    CHECK_EQ_INT(pthread_sigmask(SIG_SETMASK, NULL, &before), 0);
    CHECK(!sigismember(&before, SIGINT));
    struct seen s;
    run_helper("tl-test", &s);
    CHECK_EQ_INT(s.rc, 0);
    CHECK(sigismember(&s.mask, SIGINT));
    CHECK(sigismember(&s.mask, SIGTERM));
    CHECK(sigismember(&s.mask, SIGHUP));
    CHECK_EQ_INT(pthread_sigmask(SIG_SETMASK, NULL, &after), 0);
    CHECK(!sigismember(&after, SIGINT));
    CHECK(!sigismember(&after, SIGTERM));
    CHECK(!sigismember(&after, SIGHUP));
}

TEST(helper_threads_carry_their_name)
{
    char mine[32], after[32];
    own_name(mine);
    struct seen s;
    run_helper("tl-writer", &s);
    CHECK_EQ_INT(s.name_rc, 0);
    CHECK_STR(s.name, "tl-writer");
    /* longer than Linux keeps: cut to STOP_THREAD_NAME_MAX, not refused */
    run_helper("tl-digest-early-and-more", &s);
    CHECK_EQ_INT((int)strlen(s.name), STOP_THREAD_NAME_MAX);
    CHECK_STR(s.name, "tl-digest-early");
    own_name(after);
    CHECK_STR(after, mine);
}

int main(void)
{
    RUN(helper_threads_block_the_stop_signals);
    RUN(helper_threads_carry_their_name);
    return harness_done();
}
