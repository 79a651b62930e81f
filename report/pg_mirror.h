/* pg_mirror.h - the report's read side over PostgreSQL: the rows in scope
 * are copied (COPY ... TO STDOUT) into an in-memory SQLite store with the
 * same schema, and the one report model (report_model.c, report_links.c,
 * report_live.c, scope.c) runs on it unchanged.  So `report` gives the same
 * bytes on either back end by construction: there is no second dialect of
 * the report's SQL to drift.
 *
 * What is copied: every table of the SQLite schema that exists on the
 * server, the columns both have, in a fixed order (runs first, for the
 * foreign keys).  sms_events ids are the server's per-run counters; the
 * mirror numbers them again in (run_id, id) order, which is the SQLite
 * store's order for runs written one after another.  With runs (n > 0)
 * only those runs' rows are copied.
 *
 * Cost: the copied rows live in memory for the report's duration (about
 * the SQLite file size of the same runs); select runs with --run on a
 * large shared store.
 */
#ifndef PR_REPORT_PG_MIRROR_H
#define PR_REPORT_PG_MIRROR_H

#include <stddef.h>
#include <stdint.h>

#include "capture/rc.h"
#include "report/store.h"

/* Connects with conninfo (libpq URI / key=value / "" for PG* variables),
 * refuses a server schema newer than this build, and returns an owned
 * read-write in-memory store holding the copy (release with store_close),
 * or NULL with e set (RC_IO cannot connect, RC_SQL, RC_NOMEM). */
struct store *pg_mirror_open(const char *conninfo, const int64_t *runs, size_t n,
                             struct err *e);

/* The pieces of pg_mirror_open for a caller that copies table by table
 * (the run-end digest, pg_audit.c, which digests one table while the next
 * is copied): a source is one connection and one snapshot (REPEATABLE
 * READ) of the server, restricted to runs[n] (all runs when n is 0);
 * pg_mirror_src_copy copies one table into dst, in the order and with the
 * columns pg_mirror_open uses; pg_mirror_bare_store is an empty in-memory
 * store without secondary indexes or foreign keys, for a table that is
 * read once in key order. */
struct pg_mirror_src;
struct pg_mirror_src *pg_mirror_src_open(const char *conninfo, const int64_t *runs, size_t n,
                                         struct err *e);
int pg_mirror_src_copy(struct pg_mirror_src *m, struct store *dst, const char *table,
                       struct err *e);
void pg_mirror_src_close(struct pg_mirror_src *m);
struct store *pg_mirror_bare_store(struct err *e);

/* Feeds table t (store_audit_table_names) of run_id straight from the COPY
 * stream into g, value for value as the mirror would hold it (SQLite's
 * columns in their order, INTEGER and TEXT affinity, defaults for columns
 * the server lacks, sms_events ids numbered again, the digest's order with
 * BINARY text comparison): the same digest without the copy into SQLite.
 * *rows gets the row count.  Returns 1, having fed nothing, when a column
 * cannot be given exactly that way (another affinity, a default that is an
 * expression) or g is version 1: the caller mirrors that table instead. */
struct store_audit_digest;
int pg_mirror_src_digest(struct pg_mirror_src *m, struct store_audit_digest *g, size_t t,
                         int64_t run_id, uint64_t *rows, struct err *e);

#endif
