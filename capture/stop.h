/* stop.h - the stop flag set by SIGINT/SIGTERM.
 *
 * The one mutable global STYLE.md allows: a signal handler may only set a
 * volatile sig_atomic_t.  Installed with sigaction() and without SA_RESTART,
 * so a blocking read returns EINTR instead of resuming.  A live capture
 * registers its pcap handle so the handler can also call pcap_breakloop().
 */
#ifndef PR_CAPTURE_STOP_H
#define PR_CAPTURE_STOP_H

#include <pthread.h>
#include <stdbool.h>

struct pcap;

/* Installs the handlers for SIGINT and SIGTERM.  Returns 0 or RC_IO. */
int stop_install(void);

/* True once a stop signal arrived. */
bool stop_requested(void);

/* The signal that requested the stop (0 if none). */
int stop_signal(void);

/* Registers (or clears, with NULL) the live handle to break out of. */
void stop_set_pcap(struct pcap *p);

/* SIGHUP: reload requested (cleared by stop_take_reload). */
bool stop_take_reload(void);

/* Longest helper thread name kept (Linux's limit, TASK_COMM_LEN - 1). */
#define STOP_THREAD_NAME_MAX 15

/* pthread_create for a helper thread that takes no signal: it starts with
 * every signal blocked, so SIGINT/SIGTERM/SIGHUP reach the thread that
 * reads packets, whose blocking read (or pcap loop) they must interrupt.
 * The thread is named `name` (cut to STOP_THREAD_NAME_MAX bytes) before fn
 * runs, so top -H, ps -L and perf tell the helpers apart ("tl-writer").
 * The caller's mask is unchanged.  Returns pthread_create's result, or
 * ENOMEM. */
int stop_thread_create(pthread_t *t, const char *name, void *(*fn)(void *), void *arg);

#endif
