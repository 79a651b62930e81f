/* sink_thread.c - the writer-thread sink decorator (see sink_thread.h).
 *
 * The ring: SINK_THREAD_RING_SLOTS value records; head (next slot the writer
 * reads) and tail (next slot the packet thread fills) only grow, and the slot
 * of a position is position % slots.  The producer fills slot tail and then
 * publishes tail + 1; the writer reads slot head, calls the inner sink and
 * then publishes head + 1, so head == tail means "empty and idle".
 *
 * Sleeping: a side that finds the ring empty (writer) or full (producer, or
 * a barrier waiting for empty) sets its waiting flag under the mutex,
 * re-checks, and waits on its condition variable.  The other side publishes
 * its index and then reads the flag (both sequentially consistent), so at
 * least one of them sees the other; it signals under the mutex, which the
 * sleeper holds from its re-check until it waits, so no wake-up is lost.
 * The producer wakes a sleeping writer once SINK_THREAD_WAKE_BATCH records
 * are queued, and always before it waits itself (so a barrier or a full
 * ring never waits on a writer that sleeps).  A producer that has to sleep
 * on a full ring sleeps until half of it is free (producer_limit), and the
 * writer wakes it only then: one wake-up per half ring, not one per record
 * while the writer is the slower side.
 */
#include "report/sink_thread.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/stop.h"
#include "classify/binding.h"

/* Longest run counter name queued; a longer one is written synchronously. */
#define SINK_THREAD_NAME_MAX 64
/* Polls of the other side's index before a side goes to sleep. */
#define SINK_THREAD_SPINS 64
/* A sleeping writer is woken when this many records are queued (or by a
 * barrier, or a full ring): one wake-up per batch, not per row. */
#define SINK_THREAD_WAKE_BATCH 64

enum msg_kind {
    MSG_FLOW = 1,
    MSG_SMS,
    MSG_OTT,
    MSG_STAT,
    MSG_CAPTURE,
    MSG_BINDING,
};

struct msg {
    uint8_t kind; /* enum msg_kind */
    int64_t run_id;
    union {
        struct flow_record flow;
        struct sms_event sms;
        struct ott_event ott;
        struct {
            char name[SINK_THREAD_NAME_MAX];
            uint64_t value;
        } stat;
        struct sink_capture_stats cs;
        struct sub_binding binding;
    } u;
};

struct sink_thread {
    struct sink *inner; /* owned */
    struct msg *ring;   /* SINK_THREAD_RING_SLOTS */
    _Atomic uint64_t head, tail;
    _Atomic bool writer_waiting, producer_waiting, stop;
    _Atomic uint64_t producer_limit; /* the sleeping producer's wait: queued <= this */
    _Atomic int err_rc; /* first error of a queued write (sticky) */
    char err_msg[ERR_MSG_MAX]; /* written by the writer before err_rc is published */
    pthread_mutex_t mu;
    pthread_cond_t nonempty, space;
    pthread_t thread;
    bool started;
};

static struct sink_thread *st_of(struct sink *s) { return sink_impl(s); }

static void wake(struct sink_thread *t, _Atomic bool *waiting, pthread_cond_t *cv)
{
    if (atomic_load(waiting)) {
        pthread_mutex_lock(&t->mu);
        pthread_cond_signal(cv);
        pthread_mutex_unlock(&t->mu);
    }
}

/* The writer: one inner call per record, in ring order.  After an error the
 * remaining records are consumed without being written. */
static void write_one(struct sink_thread *t, const struct msg *m)
{
    struct err e = {""};
    int rc = 0;
    if (atomic_load_explicit(&t->err_rc, memory_order_acquire))
        return;
    switch (m->kind) {
    case MSG_FLOW: rc = sink_flow(t->inner, m->run_id, &m->u.flow, &e); break;
    case MSG_SMS: rc = sink_sms_event(t->inner, m->run_id, &m->u.sms, &e); break;
    case MSG_OTT: rc = sink_ott_event(t->inner, m->run_id, &m->u.ott, &e); break;
    case MSG_STAT:
        rc = sink_run_stat(t->inner, m->run_id, m->u.stat.name, m->u.stat.value, &e);
        break;
    case MSG_CAPTURE: rc = sink_capture_stats(t->inner, m->run_id, &m->u.cs, &e); break;
    case MSG_BINDING: rc = sink_binding(t->inner, m->run_id, &m->u.binding, &e); break;
    default: break;
    }
    if (rc) {
        snprintf(t->err_msg, sizeof t->err_msg, "%s", e.msg[0] ? e.msg : "sink: write failed");
        atomic_store_explicit(&t->err_rc, rc, memory_order_release);
    }
}

static void *writer(void *arg)
{
    struct sink_thread *t = arg;
    for (;;) {
        uint64_t h = atomic_load_explicit(&t->head, memory_order_relaxed);
        uint64_t tl = atomic_load_explicit(&t->tail, memory_order_acquire);
        for (int spin = 0; h == tl && spin < SINK_THREAD_SPINS; spin++)
            tl = atomic_load_explicit(&t->tail, memory_order_acquire);
        if (h == tl) {
            pthread_mutex_lock(&t->mu);
            atomic_store(&t->writer_waiting, true);
            while ((tl = atomic_load(&t->tail)) == h && !atomic_load(&t->stop))
                pthread_cond_wait(&t->nonempty, &t->mu);
            atomic_store(&t->writer_waiting, false);
            pthread_mutex_unlock(&t->mu);
            if (tl == h)
                return NULL; /* stop, and nothing left */
        }
        for (; h != tl; h++) {
            write_one(t, &t->ring[h % SINK_THREAD_RING_SLOTS]);
            atomic_store(&t->head, h + 1);
            if (atomic_load(&t->producer_waiting) &&
                atomic_load(&t->tail) - (h + 1) <= atomic_load(&t->producer_limit))
                wake(t, &t->producer_waiting, &t->space);
        }
    }
}

/* Waits until fewer than `room` slots are free is false, i.e. until at most
 * SINK_THREAD_RING_SLOTS - room records are queued (room = slots: empty). */
static void wait_room(struct sink_thread *t, uint64_t room)
{
    const uint64_t limit = SINK_THREAD_RING_SLOTS - room;
    uint64_t tl = atomic_load_explicit(&t->tail, memory_order_relaxed);
    if (tl - atomic_load(&t->head) <= limit)
        return;
    wake(t, &t->writer_waiting, &t->nonempty);
    for (int spin = 0; spin < SINK_THREAD_SPINS; spin++)
        if (tl - atomic_load(&t->head) <= limit)
            return;
    /* asleep, wait for half the ring (or for what was asked, if more) */
    const uint64_t half = SINK_THREAD_RING_SLOTS / 2;
    const uint64_t sleep_limit = limit < half ? limit : half;
    pthread_mutex_lock(&t->mu);
    atomic_store(&t->producer_limit, sleep_limit);
    atomic_store(&t->producer_waiting, true);
    while (tl - atomic_load(&t->head) > sleep_limit)
        pthread_cond_wait(&t->space, &t->mu);
    atomic_store(&t->producer_waiting, false);
    pthread_mutex_unlock(&t->mu);
}

/* Barrier: the ring is empty and the writer idle; its writes happened before. */
static void drain(struct sink_thread *t) { wait_room(t, SINK_THREAD_RING_SLOTS); }

static int queued_error(struct sink_thread *t, struct err *e)
{
    int rc = atomic_load_explicit(&t->err_rc, memory_order_acquire);
    return rc ? err_set(e, rc, "%s", t->err_msg) : 0;
}

/* The slot the next record goes into (waits for room); publish() sends it. */
static struct msg *slot(struct sink_thread *t, enum msg_kind kind, int64_t run_id)
{
    wait_room(t, 1);
    struct msg *m = &t->ring[atomic_load_explicit(&t->tail, memory_order_relaxed) %
                             SINK_THREAD_RING_SLOTS];
    m->kind = (uint8_t)kind;
    m->run_id = run_id;
    return m;
}

static void publish(struct sink_thread *t)
{
    uint64_t tl = atomic_load_explicit(&t->tail, memory_order_relaxed) + 1;
    atomic_store(&t->tail, tl);
    /* Only when the queue reaches the batch: a writer only sleeps on an empty
     * ring, so once it holds a batch the writer has been signalled (or is
     * awake), and signalling again on every row while it waits to be
     * scheduled would cost a lock per row. */
    if (tl - atomic_load(&t->head) == SINK_THREAD_WAKE_BATCH)
        wake(t, &t->writer_waiting, &t->nonempty);
}

/* ---- queued ops ---- */

/* A queued op: the sticky error if a queued write failed, else value into
 * the next slot's u.field, published to the writer. */
#define QUEUE(t, e, kind, run_id, field, value)         \
    do {                                                \
        if (queued_error((t), (e)))                     \
            return queued_error((t), (e));              \
        slot((t), (kind), (run_id))->u.field = (value); \
        publish(t);                                     \
        return 0;                                       \
    } while (0)

static int op_flow(struct sink *s, int64_t run_id, const struct flow_record *r, struct err *e)
{
    QUEUE(st_of(s), e, MSG_FLOW, run_id, flow, *r);
}

static int op_sms(struct sink *s, int64_t run_id, const struct sms_event *ev, struct err *e)
{
    QUEUE(st_of(s), e, MSG_SMS, run_id, sms, *ev);
}

static int op_ott(struct sink *s, int64_t run_id, const struct ott_event *ev, struct err *e)
{
    QUEUE(st_of(s), e, MSG_OTT, run_id, ott, *ev);
}

static int op_run_stat(struct sink *s, int64_t run_id, const char *name, uint64_t value,
                       struct err *e)
{
    struct sink_thread *t = st_of(s);
    if (queued_error(t, e))
        return queued_error(t, e);
    if (strlen(name) >= SINK_THREAD_NAME_MAX) { /* too long to queue: write it in line */
        drain(t);
        if (queued_error(t, e))
            return queued_error(t, e);
        return sink_run_stat(t->inner, run_id, name, value, e);
    }
    struct msg *m = slot(t, MSG_STAT, run_id);
    snprintf(m->u.stat.name, sizeof m->u.stat.name, "%s", name);
    m->u.stat.value = value;
    publish(t);
    return 0;
}

static int op_capture_stats(struct sink *s, int64_t run_id, const struct sink_capture_stats *cs,
                            struct err *e)
{
    QUEUE(st_of(s), e, MSG_CAPTURE, run_id, cs, *cs);
}

/* A subscriber binding leaving the table: a value record (no pointers) no
 * larger than a flow's, so it is queued like one.  As a barrier, each of
 * the thousands a control-plane capture ends with stopped the packet thread
 * until the writer had emptied the ring (issue 12). */
static int op_binding(struct sink *s, int64_t run_id, const struct sub_binding *b,
                      struct err *e)
{
    QUEUE(st_of(s), e, MSG_BINDING, run_id, binding, *b);
}

/* ---- barrier ops: drain, then call the inner sink on this thread ---- */

#define BARRIER(t, e)                      \
    do {                                   \
        drain(t);                          \
        if (queued_error((t), (e)))        \
            return queued_error((t), (e)); \
    } while (0)

static int op_run_begin(struct sink *s, const struct sink_run_info *ri, int64_t *run_id,
                        struct err *e)
{
    struct sink_thread *t = st_of(s);
    BARRIER(t, e);
    return sink_run_begin(t->inner, ri, run_id, e);
}

static int op_input(struct sink *s, int64_t run_id, size_t seq, const struct source_input *in,
                    struct err *e)
{
    struct sink_thread *t = st_of(s);
    BARRIER(t, e);
    return sink_input(t->inner, run_id, seq, in, e);
}


static int op_audit(struct sink *s, struct audit_row *r, struct err *e)
{
    struct sink_thread *t = st_of(s);
    BARRIER(t, e);
    return sink_audit(t->inner, r, e);
}

static int op_find_input(struct sink *s, uint64_t bytes, const char *sha256_hex,
                         int64_t *run_id, struct err *e)
{
    struct sink_thread *t = st_of(s);
    BARRIER(t, e);
    return sink_find_input(t->inner, bytes, sha256_hex, run_id, e);
}

static int op_commit(struct sink *s, struct err *e)
{
    struct sink_thread *t = st_of(s);
    BARRIER(t, e);
    return sink_commit(t->inner, e);
}

/* Attempted even after an error, as sink_run_end promises. */
static int op_run_end(struct sink *s, int64_t run_id, uint64_t finished_us, const char *status,
                      struct err *e)
{
    struct sink_thread *t = st_of(s);
    drain(t);
    int rc = sink_run_end(t->inner, run_id, finished_us, status, e);
    return queued_error(t, e) ? queued_error(t, e) : rc;
}

static void stop_writer(struct sink_thread *t)
{
    if (!t->started)
        return;
    drain(t);
    pthread_mutex_lock(&t->mu);
    atomic_store(&t->stop, true);
    pthread_cond_signal(&t->nonempty);
    pthread_mutex_unlock(&t->mu);
    pthread_join(t->thread, NULL);
    t->started = false;
}

static void state_free(struct sink_thread *t)
{
    stop_writer(t);
    sink_close(t->inner);
    pthread_cond_destroy(&t->nonempty);
    pthread_cond_destroy(&t->space);
    pthread_mutex_destroy(&t->mu);
    free(t->ring);
    free(t);
}

static void op_close(struct sink *s) { state_free(st_of(s)); }

static const struct sink_ops thread_ops = {
    .name = "thread",
    .run_begin = op_run_begin,
    .input = op_input,
    .flow = op_flow,
    .sms_event = op_sms,
    .ott_event = op_ott,
    .run_stat = op_run_stat,
    .capture_stats = op_capture_stats,
    .binding = op_binding,
    .audit = op_audit,
    .find_input = op_find_input,
    .commit = op_commit,
    .run_end = op_run_end,
    .close = op_close,
};

struct sink *sink_thread_wrap(struct sink *inner, struct err *e)
{
    struct sink_thread *t = calloc(1, sizeof *t);
    if (!t) {
        sink_close(inner);
        err_set(e, RC_NOMEM, "out of memory for the writer thread");
        return NULL;
    }
    t->inner = inner;
    pthread_mutex_init(&t->mu, NULL);
    pthread_cond_init(&t->nonempty, NULL);
    pthread_cond_init(&t->space, NULL);
    t->ring = calloc(SINK_THREAD_RING_SLOTS, sizeof *t->ring);
    if (!t->ring) {
        state_free(t);
        err_set(e, RC_NOMEM, "out of memory for the writer ring");
        return NULL;
    }
    int rc = stop_thread_create(&t->thread, "tl-writer", writer, t);
    if (rc) {
        state_free(t);
        err_set(e, RC_NOMEM, "cannot start the writer thread: %s", strerror(rc));
        return NULL;
    }
    t->started = true;
    struct sink *s = sink_new(&thread_ops, t, e);
    if (!s)
        state_free(t);
    return s;
}

struct sink *sink_thread_inner(struct sink *s)
{
    return sink_name(s) == thread_ops.name ? st_of(s)->inner : NULL;
}
