/* spool.h - a bounded on-disk queue of write batches (the PostgreSQL sink's
 * outage buffer).
 *
 * A batch is what the sink sends in one server transaction: one chunk per
 * table, each the table's rows in COPY text format.  When the server is
 * unreachable or refuses writes, the batch goes here verbatim and is sent
 * again, in order, when the server is back; the chunks go through
 * INSERT ... ON CONFLICT, so a batch sent twice (a crash between the
 * server's COMMIT and spool_drop) adds nothing.
 *
 * The spool is an SQLite file (mode 0600; one table, batches in seq order)
 * so a crash loses nothing that spool_put returned 0 for.  Bound: the sum
 * of the chunk sizes never exceeds max_bytes; spool_put then returns
 * RC_LIMIT and keeps nothing of that batch (the caller counts the rows as
 * dropped).
 */
#ifndef PR_REPORT_SPOOL_H
#define PR_REPORT_SPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/rc.h"

/* Default bound of a spool file: 1 GiB of row text. */
#define SPOOL_DEFAULT_MAX_BYTES (1024ULL * 1024 * 1024)
/* Tables (chunks) in one batch. */
#define SPOOL_MAX_CHUNKS 16

struct spool;

struct spool_chunk {
    char *table;     /* target table name */
    uint64_t rows;
    char *days;      /* partition days touched, "19783,19784" ("" = none) */
    char *data;      /* COPY text rows */
    size_t len;
};

/* Opens (creating, mode 0600) the spool file at path.  Returns owned or
 * NULL with e set (RC_IO, RC_SQL, RC_NOMEM). */
struct spool *spool_open(const char *path, uint64_t max_bytes, struct err *e);

/* Ties the spool to one destination (e.g. "db@host:port"): recorded when
 * the spool has none, else compared.  Returns 0, RC_CONFIG when the spool
 * was written for another destination (its batches must not go there), or
 * RC_SQL. */
int spool_target(struct spool *sp, const char *target, struct err *e);

/* Appends one batch of n chunks (borrowed) as the newest.  Returns 0,
 * RC_LIMIT when it would pass the bound (nothing kept), or RC_SQL. */
int spool_put(struct spool *sp, const struct spool_chunk *c, size_t n, struct err *e);

/* The oldest batch: 1 with *batch and c[0..*n) filled (owned copies, release
 * with spool_chunks_free), 0 when the spool is empty, or a negative rc. */
int spool_oldest(struct spool *sp, int64_t *batch, struct spool_chunk *c, size_t *n,
                 struct err *e);

/* Removes batch (after the server committed it). */
int spool_drop(struct spool *sp, int64_t batch, struct err *e);

void spool_chunks_free(struct spool_chunk *c, size_t n);

/* Bytes and batches held now. */
uint64_t spool_bytes(const struct spool *sp);
uint64_t spool_batches(const struct spool *sp);

/* Closes; when empty and unlink_empty, removes the file.  NULL is a no-op. */
void spool_close(struct spool *sp, bool unlink_empty);

#endif
