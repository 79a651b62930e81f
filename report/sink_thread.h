/* sink_thread.h - a sink that runs another sink on a writer thread.
 *
 * A decorator over any backend (report/sink.h): the packet thread hands the
 * row writes (flows, SMS and OTT events, run counters, capture samples) to a
 * writer thread through a bounded single-producer/single-consumer ring of
 * value records, so SQLite's work (binding, B-tree inserts, commits) runs on
 * the second core; subscriber bindings leaving their table go the same way.
 * Determinism: the writer calls the inner sink in exactly the caller's
 * order, and every other op (run_begin, input, audit, find_input, commit,
 * run_end, close) is a barrier: it waits until the ring is empty and the
 * writer idle, then calls the inner sink itself.  The inner
 * sink therefore sees the same calls in the same order as without the
 * decorator, and writes the same rows.
 *
 * Errors: the first error of a queued write is kept (sticky) and returned by
 * the next call of any kind; later queued rows are dropped.  A barrier
 * returns it, so checking commit and run_end is enough.
 *
 * One producer: all calls on the returned sink must come from one thread at
 * a time (the packet thread).
 */
#ifndef PR_REPORT_SINK_THREAD_H
#define PR_REPORT_SINK_THREAD_H

#include "capture/rc.h"
#include "report/sink.h"

/* Records in flight between the packet thread and the writer. */
#define SINK_THREAD_RING_SLOTS 1024u

/* Wraps inner (taken: closed by sink_close of the result, and also on
 * failure) and starts the writer thread.  Returns owned or NULL with e set. */
struct sink *sink_thread_wrap(struct sink *inner, struct err *e);

/* The wrapped sink (borrowed), or NULL when s is not a thread decorator. */
struct sink *sink_thread_inner(struct sink *s);

#endif
