/* hasher.c - SHA-256 on a helper thread (see hasher.h).
 *
 * A FIFO of jobs under one mutex: hasher_update appends a job and signals
 * `work`; the thread takes the head, hashes its span without the lock,
 * clears busy under the lock and broadcasts `done`.  A stream waits on
 * `done` only when its own job is still busy, which happens when the helper
 * is behind (a span is a read(2) of up to 1 MiB, hashed at a few GB/s, and
 * the packet thread takes milliseconds to parse that much), so the hand-over
 * costs a lock and a signal per span, not per packet.
 */
#include "capture/hasher.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "capture/stop.h"

struct hasher {
    pthread_mutex_t mu;
    pthread_cond_t work; /* queue non-empty, or stop */
    pthread_cond_t done; /* a job finished */
    struct hasher_job *head, *tail;
    bool stop;
    pthread_t thread;
    uint64_t spans; /* under mu */
};

static void *run(void *arg)
{
    struct hasher *h = arg;
    pthread_mutex_lock(&h->mu);
    for (;;) {
        while (!h->head && !h->stop)
            pthread_cond_wait(&h->work, &h->mu);
        struct hasher_job *j = h->head;
        if (!j)
            break; /* stop, and nothing queued */
        h->head = j->next;
        if (!h->head)
            h->tail = NULL;
        pthread_mutex_unlock(&h->mu);
        bool ok = EVP_DigestUpdate(j->md, j->p, j->n) == 1;
        pthread_mutex_lock(&h->mu);
        if (!ok)
            j->ok = false;
        j->busy = false;
        j->next = NULL;
        h->spans++;
        pthread_cond_broadcast(&h->done);
    }
    pthread_mutex_unlock(&h->mu);
    return NULL;
}

struct hasher *hasher_new(struct err *e)
{
    struct hasher *h = calloc(1, sizeof *h);
    if (!h) {
        err_set(e, RC_NOMEM, "out of memory for the hashing thread");
        return NULL;
    }
    pthread_mutex_init(&h->mu, NULL);
    pthread_cond_init(&h->work, NULL);
    pthread_cond_init(&h->done, NULL);
    int rc = stop_thread_create(&h->thread, "tl-hasher", run, h);
    if (rc) {
        pthread_cond_destroy(&h->done);
        pthread_cond_destroy(&h->work);
        pthread_mutex_destroy(&h->mu);
        free(h);
        err_set(e, RC_NOMEM, "cannot start the hashing thread: %s", strerror(rc));
        return NULL;
    }
    return h;
}

void hasher_free(struct hasher *h)
{
    if (!h)
        return;
    pthread_mutex_lock(&h->mu);
    h->stop = true;
    pthread_cond_signal(&h->work);
    pthread_mutex_unlock(&h->mu);
    pthread_join(h->thread, NULL);
    pthread_cond_destroy(&h->done);
    pthread_cond_destroy(&h->work);
    pthread_mutex_destroy(&h->mu);
    free(h);
}

void hasher_wait(struct hasher *h, struct hasher_job *j)
{
    if (!h)
        return;
    pthread_mutex_lock(&h->mu);
    while (j->busy)
        pthread_cond_wait(&h->done, &h->mu);
    pthread_mutex_unlock(&h->mu);
}

void hasher_update(struct hasher *h, struct hasher_job *j, const uint8_t *p, size_t n)
{
    if (n == 0)
        return;
    if (!h) {
        if (EVP_DigestUpdate(j->md, p, n) != 1)
            j->ok = false;
        return;
    }
    hasher_wait(h, j);
    pthread_mutex_lock(&h->mu);
    j->p = p;
    j->n = n;
    j->busy = true;
    j->next = NULL;
    if (h->tail)
        h->tail->next = j;
    else
        h->head = j;
    h->tail = j;
    pthread_cond_signal(&h->work);
    pthread_mutex_unlock(&h->mu);
}

uint64_t hasher_spans(struct hasher *h)
{
    if (!h)
        return 0;
    pthread_mutex_lock(&h->mu);
    uint64_t v = h->spans;
    pthread_mutex_unlock(&h->mu);
    return v;
}
