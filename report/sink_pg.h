/* sink_pg.h - the PostgreSQL sink: report/sink.h over libpq, for many
 * probes writing one shared store.
 *
 * Writes: rows are kept in memory as COPY text, one buffer per table, and
 * sent every SINK_PG_BATCH_ROWS rows (or SINK_PG_BATCH_BYTES, or at
 * sink_commit / run end) as one transaction: COPY into session-local staging
 * tables, then INSERT ... SELECT ... ON CONFLICT into the shared tables.
 * Record keys are (run_id, record id) and run ids come from the server's
 * identity sequence, so they are unique per (probe, run, record): sending a
 * batch twice adds nothing (flows and run counters are updated in place:
 * a live run's interim flow rows are replaced by later ones).
 *
 * Outages: run_begin needs the server (an unreachable server at start is an
 * error).  After that, a batch the server cannot take (connection lost,
 * shutting down, read-only, out of disk) goes to the spool (report/spool.h)
 * and the sink keeps accepting rows; every later send first reconnects (at
 * most once per SINK_PG_RETRY_MS, backing off to SINK_PG_RETRY_MAX_MS while
 * attempts fail) and replays the spool oldest first, then
 * sends the new batch.  A spool left by a process that died is replayed by
 * the next sink opened on the same spool path.  The spool file is removed
 * when it empties.
 *
 * Audit (issue 11): audit rows are chained per probe (pg_audit.h) and go in
 * the batches with the records, so the spool keeps them in order and a
 * replay adds each once (key (probe, seq)).
 *
 * The record tables flows, sms_events and ott_events are partitioned by
 * UTC day of packet time; the sink creates a day's partition before the
 * first batch that needs it (schema_pg.h).
 */
#ifndef PR_REPORT_SINK_PG_H
#define PR_REPORT_SINK_PG_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/rc.h"
#include "report/sink.h"

/* Rows per server transaction. */
#define SINK_PG_BATCH_ROWS 50000
/* COPY text buffered before a send, whatever the row count. */
#define SINK_PG_BATCH_BYTES (32u * 1024 * 1024)
/* Distinct partition days one batch may touch before it is sent early. */
#define SINK_PG_BATCH_DAYS 32
/* Time between two reconnection attempts while the server is away: the
 * first wait, doubled after each failed attempt up to the most. */
#define SINK_PG_RETRY_MS 1000
#define SINK_PG_RETRY_MAX_MS 30000
/* libpq connect_timeout (seconds) unless the connection string sets one. */
#define SINK_PG_CONNECT_TIMEOUT "5"

struct sink_pg_config {
    const char *conninfo;    /* libpq URI or key=value string; "" = PG* variables */
    const char *spool_path;  /* the outage spool file */
    uint64_t spool_max_bytes;
    bool quiet;              /* no notes on stderr (outage, replay) */
};

/* Counters of one sink (also printed to stderr at close unless quiet). */
struct sink_pg_stats {
    uint64_t rows_sent;       /* rows the server committed, replays included */
    uint64_t batches_sent;
    uint64_t rows_spooled;    /* rows put in the spool */
    uint64_t batches_spooled;
    uint64_t rows_replayed;   /* spooled rows the server later committed */
    uint64_t rows_dropped;    /* rows lost because the spool was full */
    uint64_t reconnects;      /* successful reconnections after a loss */
    uint64_t spool_left;      /* batches still in the spool at close */
    uint64_t side_failures;   /* flows parts the side connection did not commit
                               * (sent again on the main one; sink_pg.c) */
};

/* True when db names a PostgreSQL server: "postgresql:" or "postgres:"
 * followed by a libpq URI ("postgresql://...") or nothing (PG* variables). */
bool sink_pg_is_url(const char *db);

/* The libpq connection string for db (sink_pg_is_url): the URI itself, or
 * "" for a bare "postgresql:". */
const char *sink_pg_conninfo(const char *db);

/* Copies db to out (n bytes) with a password in it replaced by "***"
 * ("postgresql://user:secret@host" and "password=secret").  Returns true
 * when a password was found. */
bool sink_pg_scrub(const char *db, char *out, size_t n);

/* Connects, creates or migrates the schema (refusing a newer one), replays
 * a spool left at cfg->spool_path.  Returns the owned sink (release with
 * sink_close) or NULL with e set (RC_IO: cannot connect or authenticate;
 * RC_SQL: schema newer than this build, permission denied, other SQL;
 * RC_NOMEM). */
struct sink *sink_pg_open(const struct sink_pg_config *cfg, struct err *e);

struct scope;
struct store_audit_counts;

/* The audit side of a run on PostgreSQL (issue 11; pg_audit.h): the
 * sink's audit op chains rows per probe (the probe of run_begin, whose
 * chain lock the sink holds until close; a second sink with the same probe
 * fails at run_begin with RC_CONFIG).  These three complete it for a sink
 * made here (RC_USAGE for another backend); each sends what is buffered,
 * or spools it while the server is away.  Call them between barrier ops
 * when the sink is under the writer-thread decorator (sink_thread.h). */

/* The scope snapshot of run_id (sc borrowed) and runs.basis = 'scope'. */
int sink_pg_audit_scope(struct sink *s, int64_t run_id, const struct scope *sc, struct err *e);

/* An Ed25519 signature of the probe's chain head (seq, hash). */
int sink_pg_audit_signature(struct sink *s, int64_t seq, const char *hash, const char *sig_hex,
                            const char *pub_hex, struct err *e);

/* Sends every pending and spooled batch, then counts and digests run_id's
 * records on the server as store_audit_run_counts does on SQLite.  RC_IO
 * when the server is away (spooled batches are not on it yet). */
int sink_pg_audit_counts(struct sink *s, int64_t run_id, int version,
                         struct store_audit_counts *c, struct err *e);

/* The counters of a sink made here (zeros for another backend). */
struct sink_pg_stats sink_pg_stats(struct sink *s);

#endif
