/* hasher.h - SHA-256 of the bytes an input stream reads, on a helper thread.
 *
 * An input's provenance hash (instream.h) is the SHA-256 of every byte read
 * from its descriptor.  Computed on the packet thread it cost about a fifth
 * of that thread's time on a large capture (issue 12); the hasher moves the
 * compression function to a second core without copying: a stream hands over
 * the span it has just read (hasher_update) and, before it overwrites or
 * frees that memory, waits until the span is hashed (hasher_wait).  The span
 * is the stream's own window, so the digest is still that of the bytes the
 * reader analysed, on its one pass over them.
 *
 * One hasher serves every stream of a run; each stream has at most one span
 * in flight (its struct hasher_job).  A NULL hasher hashes in the caller's
 * thread, at once, which is the one-thread mode (--threads 1).
 */
#ifndef PR_CAPTURE_HASHER_H
#define PR_CAPTURE_HASHER_H

#include <openssl/evp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/rc.h"

struct hasher;

/* One stream's digest and its span in flight.  Fields are the hasher's
 * while busy; the owner reads ok only after hasher_wait. */
struct hasher_job {
    EVP_MD_CTX *md;
    const uint8_t *p;
    size_t n;
    bool ok;   /* every update succeeded */
    bool busy; /* a span is queued or being hashed */
    struct hasher_job *next; /* in the hasher's queue */
};

/* Starts the helper thread.  NULL with e set when it cannot (the caller
 * then hashes in its own thread with a NULL hasher). */
struct hasher *hasher_new(struct err *e);

/* Hashes what is queued, stops the thread and frees.  NULL is a no-op. */
void hasher_free(struct hasher *h);

/* Queues p[0, n) for j's digest (after j's previous span); p must stay
 * unchanged until hasher_wait(h, j) returns.  With h NULL the bytes are
 * hashed before the call returns. */
void hasher_update(struct hasher *h, struct hasher_job *j, const uint8_t *p, size_t n);

/* Returns once j has no span in flight.  Cheap when it has none. */
void hasher_wait(struct hasher *h, struct hasher_job *j);

/* Spans hashed on the helper thread (0 for NULL). */
uint64_t hasher_spans(struct hasher *h);

#endif
