/* pg_audit.h - the hash-chained audit log (report/audit.h) on a shared
 * PostgreSQL store: one chain per probe (issues 11 and 13).
 *
 * Many probes write one store, each its own chain in audit_log, keyed
 * (probe, seq).  A writer of a probe's chain holds a session-level advisory
 * lock keyed on the probe name for as long as it writes (a run: from
 * run_begin to close), so two processes never append to one chain at once;
 * a second run with the same probe name is refused, not queued (a live
 * probe may run for weeks).  The head (last seq and hash) is read under
 * that lock, and every row is hashed on the client and sent with the run's
 * other rows (report/sink_pg.c), through the outage spool when the server
 * is away.
 *
 * The read side (verify) walks each probe's chain in seq order, and takes
 * a run's record counts and digest from the rows copied into an in-memory
 * SQLite store of that run alone (report/pg_mirror.h), so the digest is the
 * one store_audit_run_counts() gives on SQLite, over the same columns.
 */
#ifndef PR_REPORT_PG_AUDIT_H
#define PR_REPORT_PG_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/rc.h"
#include "report/audit.h"
#include "report/store_audit.h"

/* First key of the two-key advisory lock of a chain; the second is
 * hashtext(probe).  Two probe names with the same 32-bit hash share a lock
 * (one of them is then refused while the other runs: safe, and rare). */
#define PG_AUDIT_LOCK_CLASS 0x74726175 /* "trau" */

/* libpq's connection (PGconn is a typedef of it): declared here so that the
 * header needs no libpq include path. */
struct pg_conn;

/* Takes the advisory lock of probe's chain on conn for the session.
 * Returns 0, RC_CONFIG when another session holds it (e says so), or
 * RC_SQL/RC_IO. */
int pg_audit_lock(struct pg_conn *conn, const char *probe, struct err *e);

/* The head of probe's chain: *seq (0 when the chain is empty) and its hash
 * (audit_genesis_hash when empty).  Returns 0 or RC_SQL. */
int pg_audit_head(struct pg_conn *conn, const char *probe, int64_t *seq, char hash[AUDIT_HASH_HEX],
                  struct err *e);

/* Counts and digests run_id's records as store_audit_run_counts() does,
 * over a copy of that run's rows (its own connection to conninfo). */
int pg_audit_run_counts(const char *conninfo, int64_t run_id, int version,
                        struct store_audit_counts *out, struct err *e);

/* Appends r (caller sets ts_utc, operator_name, action, run_id, detail) to
 * probe's chain in one transaction on its own connection: lock, head, hash,
 * insert.  Fills r->seq, prev_hash, hash, probe.  For rows outside a run
 * (verify, report exports).  Returns 0, RC_CONFIG (the chain is locked by a
 * running probe of that name), RC_IO (cannot connect), RC_SQL. */
int pg_audit_append(const char *conninfo, const char *probe, struct audit_row *r,
                    struct err *e);

/* ---- read side (verify) ---- */

struct pg_audit;

/* Connects and checks the schema (a trapline store with per-probe chains,
 * not newer than this build).  Returns owned or NULL with e set (RC_IO,
 * RC_SQL). */
struct pg_audit *pg_audit_open(const char *conninfo, struct err *e);
void pg_audit_close(struct pg_audit *pa);

/* Distinct probes that have chain rows. */
int pg_audit_chains(struct pg_audit *pa, int64_t *n, struct err *e);

/* Calls fn for every audit row, ordered by probe (bytewise) then seq. */
int pg_audit_each(struct pg_audit *pa, store_audit_row_fn fn, void *user, struct err *e);

/* As store_audit_run_counts, store_audit_snapshot. */
int pg_audit_counts(struct pg_audit *pa, int64_t run_id, int version,
                    struct store_audit_counts *out, struct err *e);
int pg_audit_snapshot(struct pg_audit *pa, int64_t run_id, bool *found,
                      char recorded[AUDIT_HASH_HEX], char actual[AUDIT_HASH_HEX],
                      struct err *e);

/* The latest chain-head signature of probe's chain. */
int pg_audit_latest_signature(struct pg_audit *pa, const char *probe, bool *found,
                              int64_t *seq, char hash[AUDIT_HASH_HEX], char sig[AUDIT_SIG_HEX],
                              struct err *e);

/* True when the four append-only triggers of audit_log and scope_snapshots
 * exist and are enabled. */
bool pg_audit_triggers_present(struct pg_audit *pa);

/* Every run in id order: its status, whether it has a run-start and a
 * run-end audit row.  Stops at fn's first non-zero return. */
typedef int (*pg_audit_run_fn)(void *user, int64_t id, const char *status, bool started,
                               bool ended);
int pg_audit_runs(struct pg_audit *pa, pg_audit_run_fn fn, void *user, struct err *e);

/* True when audit_log has at least one row (an audited store). */
bool pg_audit_has_rows(const char *conninfo);

#endif
