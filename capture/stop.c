/* stop.c - signal-driven stop flag (see stop.h). */
#include "capture/stop.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "capture/rc.h"

/* Signal-handler state: the only globals in trapline (STYLE.md section 7). */
static volatile sig_atomic_t stop_flag;
static volatile sig_atomic_t reload_flag;
static pcap_t *volatile stop_pcap;

static void on_stop(int sig)
{
    stop_flag = sig;
    pcap_t *p = stop_pcap;
    if (p)
        pcap_breakloop(p); /* async-signal-safe: it only sets a flag */
}

static void on_hup(int sig)
{
    (void)sig;
    reload_flag = 1;
}

int stop_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: blocking reads must return */
    if (sigaction(SIGINT, &sa, NULL) != 0 || sigaction(SIGTERM, &sa, NULL) != 0)
        return RC_IO;
    sa.sa_handler = on_hup;
    if (sigaction(SIGHUP, &sa, NULL) != 0)
        return RC_IO;
    return 0;
}

bool stop_requested(void) { return stop_flag != 0; }

int stop_signal(void) { return (int)stop_flag; }

void stop_set_pcap(struct pcap *p) { stop_pcap = p; }

bool stop_take_reload(void)
{
    if (!reload_flag)
        return false;
    reload_flag = 0;
    return true;
}

/* What a new helper thread needs before it runs its function. */
struct start {
    void *(*fn)(void *);
    void *arg;
    char name[STOP_THREAD_NAME_MAX + 1];
};

static void *start_named(void *p)
{
    struct start st = *(struct start *)p;
    free(p);
    /* Linux: the name shows in top -H, ps -L and perf's comm; it has no
     * effect on what the thread does, so a failure is ignored. */
    prctl(PR_SET_NAME, st.name, 0, 0, 0);
    return st.fn(st.arg);
}

int stop_thread_create(pthread_t *t, const char *name, void *(*fn)(void *), void *arg)
{
    struct start *st = malloc(sizeof *st);
    if (!st)
        return ENOMEM;
    st->fn = fn;
    st->arg = arg;
    snprintf(st->name, sizeof st->name, "%s", name);
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old); /* the new thread inherits this mask */
    int rc = pthread_create(t, NULL, start_named, st);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc)
        free(st);
    return rc;
}
