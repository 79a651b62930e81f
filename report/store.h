/* store.h - the SQLite store: runs, inputs, flows (and later record kinds).
 *
 * The schema is created and upgraded through numbered migrations tracked by
 * PRAGMA user_version (report/schema.c).  Writes use prepared statements and
 * batched transactions; the database runs in WAL mode so reports can read it
 * while a run writes.  Files are created with mode 0600.  Errors are sticky:
 * after the first failure every write returns it again, and the message
 * (with sqlite3_errmsg) stays in the handle's error.
 */
#ifndef PR_REPORT_STORE_H
#define PR_REPORT_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/rc.h"
#include "capture/source.h"
#include "report/record.h"

/* Rows per transaction in batch mode: `analyze` commits at this many rows or
 * after CLI_RUN_COMMIT_SECS (cli/run.h) of wall time, whichever comes first,
 * so a killed run loses at most that much (`live` commits at its
 * --commit-interval). */
#define STORE_BATCH_ROWS 20000

/* The run-liveness lock file next to the database (store_run_begin). */
#define STORE_LOCK_SUFFIX "-lock"

struct sqlite3;
struct sqlite3_stmt;
struct store;

struct store_run_info {
    uint64_t started_us;       /* wall clock, UTC microseconds (only runs carries wall time) */
    const char *mode;          /* "analyze" or "live" */
    const char *tool_version;
    const char *command_line;
    const char *signature_sha256;
    const char *ndpi_version;
    const char *probe;         /* NULL = '' */
    const char *home_net;      /* --home-net CIDR list ("" or NULL none) */
};

/* Process-wide SQLite settings, called once at start before any database
 * is opened (later it is a no-op): memory statistics off, so that
 * sqlite3_malloc/free take no global mutex (SQLITE_CONFIG_MEMSTATUS;
 * nothing here reads sqlite3_memory_used).  0 or RC_SQL. */
int store_global_init(void);

/* Opens (creating and migrating when !readonly) the database at path.
 * Read-only handles never write and fail when the schema is missing or
 * newer than this build.  A writable open forces mode 0600 on the database
 * and its existing -wal/-shm files, serializes schema creation with other
 * processes, and marks every run left 'running' by a process that is gone
 * (store_run_alive) as 'interrupted', with its inputs still 'reading'.
 * Returns owned or NULL with e set (the message names the file). */
struct store *store_open(const char *path, bool readonly, struct err *e);

/* Commits pending rows and closes.  NULL is a no-op. */
void store_close(struct store *s);

/* The underlying connection (borrowed) for report queries. */
struct sqlite3 *store_db(struct store *s);

/* The database file's path (borrowed), for a helper thread's own
 * connection; NULL for an in-memory store. */
const char *store_file(const struct store *s);

/* A second connection to the store file at path, for a helper thread (the
 * one thread to use it: NOMUTEX), read-only or read-write, with the store's
 * busy timeout and a page cache of cache_kib KiB.  Returns an SQLite result
 * code; *db is set (close it) whenever the open got that far. */
int store_aux_open(const char *path, bool readonly, int cache_kib, struct sqlite3 **db);

/* Schema version of the open database. */
int store_schema_version(struct store *s);

/* Records a run 'running' and holds its liveness lock (an OFD lock on one
 * byte of the file PATH-lock, created 0600, released by the kernel when the
 * process dies) until store_run_finish or store_close. */
int store_run_begin(struct store *s, const struct store_run_info *ri, int64_t *run_id,
                    struct err *e);

/* True when the process that recorded run_id still holds its lock (or when
 * that cannot be checked): a real liveness check, never a guess from age. */
bool store_run_alive(struct store *s, int64_t run_id);

/* Inserts or updates input seq of the run.  An input not yet read
 * (INPUT_PENDING) is stored as 'reading'; store_run_finish turns inputs
 * still 'reading' into 'interrupted'. */
int store_input(struct store *s, int64_t run_id, size_t seq, const struct source_input *in,
                struct err *e);
/* Re-runs: the run that analysed an input completely (status complete, in a
 * run that did not fail) with this size and, when sha256_hex is non-NULL,
 * this SHA-256.  Returns 1 with *run_id set, 0 when there is none, or a
 * negative enum rc. */
int store_find_input(struct store *s, uint64_t bytes, const char *sha256_hex, int64_t *run_id,
                     struct err *e);

int store_flow(struct store *s, int64_t run_id, const struct flow_record *r, struct err *e);
int store_run_stat(struct store *s, int64_t run_id, const char *name, uint64_t value,
                   struct err *e);
int store_run_finish(struct store *s, int64_t run_id, uint64_t finished_us, const char *status,
                     struct err *e);

/* Commits the open batch now (live mode calls it every commit interval). */
int store_commit(struct store *s, struct err *e);

/* Runs one statement with no result rows inside the current batch
 * (used by record kinds that add tables).  Internal helper for store_*.c. */
int store_exec(struct store *s, const char *sql, struct err *e);

/* Internal helpers for record kinds kept in other report/store_*.c files.
 * A slot holds one persistent prepared statement, finalized by store_close. */
enum store_slot { STORE_SLOT_SMS = 0, STORE_SLOT_OTT, STORE_SLOT_CAPTURE, STORE_SLOT_BINDING,
                  STORE_SLOT_BINDING_TEID, STORE_SLOTS = 5 };

/* Returns the slot's statement, preparing sql on first use (NULL on error
 * with e set; the error is sticky). */
struct sqlite3_stmt *store_slot_stmt(struct store *s, enum store_slot slot, const char *sql,
                                     struct err *e);

/* Opens the batch transaction when none is open (or returns the sticky error). */
int store_row_begin(struct store *s, struct err *e);

/* Steps the bound statement st (borrowed), resets it and counts the row in the
 * batch, committing when the batch is full; what names the row in errors. */
int store_row_end(struct store *s, struct sqlite3_stmt *st, struct err *e, const char *what);

#endif
