/* sink_sqlite.h - the SQLite sink: report/sink.h over the store (report/store.h).
 *
 * Rows go through the store's prepared statements and batched transactions
 * (STORE_BATCH_ROWS per transaction); run_begin, commit and run_end commit at
 * once.  The database content is the store's schema (report/schema.c).
 */
#ifndef PR_REPORT_SINK_SQLITE_H
#define PR_REPORT_SINK_SQLITE_H

#include "capture/rc.h"
#include "report/sink.h"

struct store;

/* Opens (creating with mode 0600 and migrating) the database at path for
 * writing.  Returns the owned sink (release with sink_close) or NULL with e
 * set (RC_IO, RC_SQL, RC_NOMEM). */
struct sink *sink_sqlite_open(const char *path, struct err *e);

/* Wraps an open read-write store (taken: sink_close closes it).  Returns
 * owned or NULL (RC_NOMEM; the store is then closed too). */
struct sink *sink_sqlite_wrap(struct store *st, struct err *e);

/* The store behind a sink made here (borrowed; for tests). */
struct store *sink_sqlite_store(struct sink *s);

#endif
