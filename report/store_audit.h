/* store_audit.h - storage of the audit log (report/audit.h), the scope
 * snapshot and the chain-head signatures in the SQLite store, and the
 * per-run record counts and digest that run-end rows carry and `verify`
 * recomputes.
 *
 * Appends run in their own committed transaction (BEGIN IMMEDIATE holds the
 * write lock while the previous hash is read, so two processes appending at
 * once still form one chain).  Triggers (schema migration 11) refuse UPDATE
 * and DELETE on audit_log, scope_snapshots and audit_signatures.
 */
#ifndef PR_REPORT_STORE_AUDIT_H
#define PR_REPORT_STORE_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/rc.h"
#include "report/audit.h"
#include "report/store.h"
#include "signatures/scope.h"

/* Appends the row (r->ts_utc, operator_name, action, run_id, detail set by
 * the caller; borrowed) with the next seq, chained to the last row; fills
 * r->seq, r->prev_hash and r->hash, and commits.  Returns 0 or RC_SQL (e). */
int store_audit_append(struct store *s, struct audit_row *r, struct err *e);

/* Records the scope file sc (borrowed) of run_id: its bytes and authority
 * fields in scope_snapshots, and runs.basis = 'scope'.  Returns 0 or RC_SQL. */
int store_audit_scope(struct store *s, int64_t run_id, const struct scope *sc, struct err *e);

/* Records an Ed25519 signature of the chain head (seq, hash). */
int store_audit_signature(struct store *s, int64_t seq, const char *hash, const char *sig_hex,
                          const char *pub_hex, struct err *e);

/* What a run wrote: row counts and one SHA-256 over every row of the run in
 * a fixed order (flows by id, sms_events by id, ott_events, run_stats by
 * name, inputs by seq; each value typed and length-prefixed). */
/* Record tables of a run and their counts, in digest order; version 1
 * digests the first STORE_AUDIT_TABLES_V1 of them. */
enum { STORE_AUDIT_TABLES_V1 = 5, STORE_AUDIT_TABLES = 8 };
extern const char *const store_audit_table_names[STORE_AUDIT_TABLES];

/* The digest written by this version into run-end rows ("digest" key). */
#define STORE_AUDIT_DIGEST_VERSION 2

struct store_audit_counts {
    uint64_t n[STORE_AUDIT_TABLES]; /* rows per store_audit_table_names[k] */
    char digest[AUDIT_HASH_HEX];
    uint64_t helper_chunks; /* chunks of flows the helper thread read (0: one thread) */
    uint64_t early_rows;    /* flows rows digested during the flush (store_audit_early) */
};

/* Counts and digests run_id's records (read-only queries).
 * Version 1 (run-end rows without a "digest" key): flows, sms_events,
 * ott_events, run_stats, inputs, every column of SELECT * as of schema 15
 * (the columns migration 16 added are left out).  Version 2: also
 * subscriber_sessions, subscriber_teids and inferred_contacts, each row as
 * its (column name, value) pairs with NULL, '' and 0 left out, so that a
 * later migration adding a column with such a default does not change the
 * digest of the runs before it, and the back end's own columns (wseq)
 * never enter it.  Tables a schema lacks count 0.  Returns 0 or
 * RC_SQL/RC_NOMEM. */
int store_audit_run_counts(struct store *s, int64_t run_id, int version,
                           struct store_audit_counts *out, struct err *e);

/* The same; helper false keeps every read on the calling thread (--threads
 * 1).  With helper true (store_audit_run_counts) a store file's flows may be
 * read on a second connection by a helper thread as well, the bytes hashed
 * in the same order: the digest is the same. */
struct store_audit_early;
int store_audit_run_counts_ex(struct store *s, int64_t run_id, int version, bool helper,
                              struct store_audit_early *early, struct store_audit_counts *out,
                              struct err *e);

/* The flows part of a run's digest, started during the end-of-input flush
 * (version STORE_AUDIT_DIGEST_VERSION): a thread with its own read-only
 * connection to s's file digests the run's flows rows in id order as far
 * as the caller says they are committed and final
 * (store_audit_early_final: every flows row of the run with an id below
 * `below` is committed and will not change; flow ids start at 1).  Passed
 * to store_audit_run_counts_ex, which takes it, stops its thread and goes
 * on from where it stopped: the same digest as without it.  NULL when s is
 * not a file or the thread cannot start (then the run end does it all);
 * store_audit_early_free stops and frees one that is not used. */
struct store_audit_early *store_audit_early_start(struct store *s, int64_t run_id);
void store_audit_early_final(struct store_audit_early *x, int64_t below);
void store_audit_early_free(struct store_audit_early *x);
/* Waits until x has read every row below its mark (or has failed): for a
 * caller that wants that work done before it goes on (the tests). */
void store_audit_early_settle(struct store_audit_early *x);

/* The same digest table by table, for a caller whose tables sit in
 * different stores (pg_audit.c digests one while the next is copied):
 * new, then store_audit_digest_table for t = 0 .. store_audit_digest_tables
 * (version) - 1 in that order (out->n[t] is set), then end (which frees g
 * and writes out->digest) or free after an error. */
struct store_audit_digest;
struct store_audit_digest *store_audit_digest_new(int version, struct err *e);
size_t store_audit_digest_tables(int version);
int store_audit_digest_table(struct store_audit_digest *g, struct store *s, size_t t,
                             int64_t run_id, struct store_audit_counts *out, struct err *e);
int store_audit_digest_end(struct store_audit_digest *g, struct store_audit_counts *out,
                           struct err *e);
void store_audit_digest_free(struct store_audit_digest *g);

/* The same digest fed value by value, for rows read outside SQLite
 * (pg_mirror.c reads them from PostgreSQL's COPY stream): for table t,
 * table_begin, then per row (in store_audit_digest_order(t)) digest_row and
 * one digest_field per column of SELECT * in SQLite's column order, with
 * the value SQLite would hold: type SQLITE_NULL, SQLITE_INTEGER (i) or
 * SQLITE_TEXT / SQLITE_BLOB (p, len).  The caller leaves out the columns
 * the version leaves out (wseq; version 1's later columns).  Version 2
 * leaves out NULL, 0 and '' here, as store_audit_digest_table does. */
int store_audit_digest_version(const struct store_audit_digest *g);
const char *store_audit_digest_order(size_t t);
void store_audit_digest_table_begin(struct store_audit_digest *g, size_t t);
void store_audit_digest_row(struct store_audit_digest *g);
void store_audit_digest_field(struct store_audit_digest *g, const char *col, int type,
                              int64_t i, const void *p, size_t len);

/* Calls fn for every audit row in seq order (rows borrowed, valid during the
 * call); stops at fn's first non-zero return, which is returned. */
typedef int (*store_audit_row_fn)(void *user, const struct audit_row *r);
int store_audit_each(struct store *s, store_audit_row_fn fn, void *user, struct err *e);

/* The scope snapshot of run_id: *found, the recorded sha256 and the SHA-256
 * of the stored bytes. */
int store_audit_snapshot(struct store *s, int64_t run_id, bool *found,
                         char recorded[AUDIT_HASH_HEX], char actual[AUDIT_HASH_HEX],
                         struct err *e);

/* The latest chain-head signature: *found, its seq, hash and signature. */
int store_audit_latest_signature(struct store *s, bool *found, int64_t *seq,
                                 char hash[AUDIT_HASH_HEX], char sig[AUDIT_SIG_HEX],
                                 struct err *e);

/* True when every append-only trigger (migration 11) is still present. */
bool store_audit_triggers_present(struct store *s);

#endif
