/* sink_pg.c - the PostgreSQL sink (see sink_pg.h).
 *
 * Size: about 1,400 lines, over the 800 of STYLE.md section 10, because one
 * backend keeps three things that only make sense together: the COPY text
 * of every record kind (a third of the file, one op per kind as in
 * store*.c; audit rows, scope snapshots and signatures among them, since
 * they travel in the same batches and spool), the batch/transaction
 * protocol with its idempotent merges, and the outage path (spool,
 * reconnect, replay).  The audit chain's server side (lock, head, verify
 * reads) is in pg_audit.c.  The schema dialect
 * (schema_pg.c), the spool file (spool.c) and the read side (pg_mirror.c)
 * are already apart; the row encoders are the next split if it grows.
 *
 * COPY text format: https://www.postgresql.org/docs/15/sql-copy.html
 * ("Text Format": tab-separated, \N for NULL, backslash escapes).
 */
#include "report/sink_pg.h"

#include <arpa/inet.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "capture/decode.h"
#include "capture/stop.h"
#include "capture/str.h"
#include "report/audit.h"
#include "report/pg_audit.h"
#include "report/schema.h"
#include "report/schema_pg.h"
#include "report/spool.h"
#include "report/store_binding.h"
#include "classify/binding.h"
#include "signatures/scope.h"
#include "report/pg_util.h"

/* Partition days remembered as existing (a cache; cleared when full). */
#define PG_DAYS_CACHE 1024
/* Advisory lock key serialising schema migrations across probes. */
#define PG_MIGRATE_LOCK 0x7472706cLL /* "trpl" */

enum pgt { PGT_INPUTS, PGT_FLOWS, PGT_OTT, PGT_SMS, PGT_SESSIONS, PGT_TEIDS, PGT_STATS,
           PGT_CAPTURE, PGT_AUDIT, PGT_SCOPE, PGT_SIG, PGT_RUN_END, PGT_COUNT };

#define FLOW_COLS_0                                                                        \
    "run_id, id, proto, src_ip, src_port, dst_ip, dst_port, first_ts_us, last_ts_us,"      \
    " pkts_c2s, bytes_c2s, pkts_s2c, bytes_s2c, vlan, ndpi_proto, service, class, method," \
    " confidence, server_name, server_name_cut, tunnel_teid, tunnel_teid_s2c, end_reason," \
    " rule, first_input, first_frame, last_input, last_frame, interface, activity,"        \
    " tunnel_node, tunnel_node_s2c, src_v6_64, dst_v6_64, rule_alt"
#define FLOW_COLS FLOW_COLS_0 ", wseq"
#define INPUT_COLS                                                                          \
    "run_id, seq, path, sha256, bytes, link_type, packets, first_ts_us, last_ts_us, status," \
    " detail, frames, filtered, other_link, ts_pre1990, ts_backwards, interfaces, compression"
#define OTT_COLS "run_id, flow_id, ts_us, end_ts_us, direction, packets, bytes, wseq"
#define SMS_COLS                                                                           \
    "id, run_id, flow_id, ts_us, protocol, operation, direction, originator, originator_ton," \
    " originator_npi, recipient, recipient_ton, recipient_npi, smsc, imsi, msg_ref,"        \
    " concat_ref, concat_part, concat_total, status, content_present, detail,"              \
    " originator_cut, recipient_cut, message_id"
#define STAT_COLS "run_id, name, value"
#define SESSION_COLS                                                                        \
    "run_id, binding_id, source, flow_id, evidence_ts_us, start_us, end_us, open_ended,"    \
    " mid_session, last_evidence_us, imsi, msisdn, imei, user_name, station, ue_ipv4,"      \
    " ue_ipv6_prefix, teids, apn, cell, conflict, ue_v6_64"
#define TEID_COLS "run_id, binding_id, teid, control, node"
#define CAPTURE_COLS "run_id, ts_utc, received, dropped, if_dropped"
#define AUDIT_COLS                                                                      \
    "probe, seq, ts_utc, operator, action, run_id, detail, prev_hash, hash"
#define SCOPE_COLS                                                                      \
    "run_id, file, sha256, bytes, liid, authority_kind, reference, issued_by, issued,"  \
    " window_from_us, window_to_us, outputs, operator, targets"
#define SIG_COLS "probe, seq, head_hash, algorithm, signature, public_key"
/* Longest targets text of a scope snapshot (as report/store_audit.c). */
#define PG_SCOPE_TARGETS_MAX (SCOPE_MAX_TARGETS * (SCOPE_VALUE_MAX + 64))

/* One table of a batch: its staging table (session-local, emptied at
 * COMMIT) and the statement moving staged rows into the shared table. */
static const struct pgt_def {
    const char *table;  /* name in batches and the spool */
    const char *stage;  /* CREATE TEMP TABLE ... */
    const char *copy;   /* COPY ... FROM STDIN */
    const char *merge;  /* staged rows -> shared table, idempotent */
} defs[PGT_COUNT] = {
    /* An input is recorded 'reading' when opened and again when complete
     * (issue 17), maybe in one batch: the newest staged row wins, and a
     * final row is never turned back into 'reading' (a replayed batch). */
    [PGT_INPUTS] = {"inputs",
                    "CREATE TEMP TABLE stage_inputs ON COMMIT DELETE ROWS AS SELECT " INPUT_COLS
                    " FROM inputs WITH NO DATA; ALTER TABLE stage_inputs ADD COLUMN ord BIGSERIAL",
                    "COPY stage_inputs (" INPUT_COLS ") FROM STDIN",
                    "INSERT INTO inputs (" INPUT_COLS ") SELECT DISTINCT ON (run_id, seq) "
                    INPUT_COLS " FROM stage_inputs ORDER BY run_id, seq, ord DESC"
                    " ON CONFLICT (run_id, seq) DO UPDATE SET path=excluded.path,"
                    " sha256=excluded.sha256, bytes=excluded.bytes, link_type=excluded.link_type,"
                    " packets=excluded.packets, first_ts_us=excluded.first_ts_us,"
                    " last_ts_us=excluded.last_ts_us, status=excluded.status,"
                    " detail=excluded.detail, frames=excluded.frames, filtered=excluded.filtered,"
                    " other_link=excluded.other_link, ts_pre1990=excluded.ts_pre1990,"
                    " ts_backwards=excluded.ts_backwards, interfaces=excluded.interfaces,"
                    " compression=excluded.compression"
                    " WHERE inputs.status = 'reading' OR excluded.status <> 'reading'"},
    /* A live run sends interim rows of a flow (end_reason "active") and
     * later its final row, maybe in one batch: the newest staged row wins. */
    [PGT_FLOWS] = {"flows",
                   "CREATE TEMP TABLE stage_flows ON COMMIT DELETE ROWS AS SELECT " FLOW_COLS
                   " FROM flows WITH NO DATA; ALTER TABLE stage_flows ADD COLUMN ord BIGSERIAL",
                   "COPY stage_flows (" FLOW_COLS ") FROM STDIN",
                   /* wseq: the flow's first write, as SQLite's rowid */
                   "INSERT INTO flows (" FLOW_COLS ") SELECT DISTINCT ON (run_id, id) "
                   FLOW_COLS_0 ", w0 FROM (SELECT *, min(wseq) OVER (PARTITION BY run_id, id)"
                   " AS w0 FROM stage_flows) s ORDER BY run_id, id, ord DESC"
                   " ON CONFLICT (run_id, id, first_ts_us) DO UPDATE SET"
                   " last_ts_us=excluded.last_ts_us, pkts_c2s=excluded.pkts_c2s,"
                   " bytes_c2s=excluded.bytes_c2s, pkts_s2c=excluded.pkts_s2c,"
                   " bytes_s2c=excluded.bytes_s2c, ndpi_proto=excluded.ndpi_proto,"
                   " service=excluded.service, class=excluded.class, method=excluded.method,"
                   " confidence=excluded.confidence, server_name=excluded.server_name,"
                   " server_name_cut=excluded.server_name_cut,"
                   " tunnel_teid=excluded.tunnel_teid, tunnel_teid_s2c=excluded.tunnel_teid_s2c,"
                   " tunnel_node=excluded.tunnel_node, tunnel_node_s2c=excluded.tunnel_node_s2c,"
                   " end_reason=excluded.end_reason, rule=excluded.rule, activity=excluded.activity,"
                   " rule_alt=excluded.rule_alt,"
                   " last_input=excluded.last_input,"
                   " last_frame=excluded.last_frame"},
    [PGT_OTT] = {"ott_events",
                 "CREATE TEMP TABLE stage_ott_events ON COMMIT DELETE ROWS AS SELECT " OTT_COLS
                 " FROM ott_events WITH NO DATA",
                 "COPY stage_ott_events (" OTT_COLS ") FROM STDIN",
                 "INSERT INTO ott_events (" OTT_COLS ") SELECT " OTT_COLS
                 " FROM stage_ott_events ON CONFLICT DO NOTHING"},
    [PGT_SMS] = {"sms_events",
                 "CREATE TEMP TABLE stage_sms_events ON COMMIT DELETE ROWS AS SELECT " SMS_COLS
                 " FROM sms_events WITH NO DATA",
                 "COPY stage_sms_events (" SMS_COLS ") FROM STDIN",
                 "INSERT INTO sms_events (" SMS_COLS ") SELECT " SMS_COLS
                 " FROM stage_sms_events ON CONFLICT DO NOTHING"},
    [PGT_SESSIONS] = {"subscriber_sessions",
                      "CREATE TEMP TABLE stage_subscriber_sessions ON COMMIT DELETE ROWS AS SELECT "
                      SESSION_COLS " FROM subscriber_sessions WITH NO DATA",
                      "COPY stage_subscriber_sessions (" SESSION_COLS ") FROM STDIN",
                      "INSERT INTO subscriber_sessions (" SESSION_COLS ") SELECT " SESSION_COLS
                      " FROM stage_subscriber_sessions ON CONFLICT DO NOTHING"},
    /* SQLite: INSERT OR IGNORE (a binding may list a TEID twice): always merged. */
    [PGT_TEIDS] = {"subscriber_teids",
                   "CREATE TEMP TABLE stage_subscriber_teids ON COMMIT DELETE ROWS AS SELECT "
                   TEID_COLS " FROM subscriber_teids WITH NO DATA",
                   "COPY stage_subscriber_teids (" TEID_COLS ") FROM STDIN",
                   "INSERT INTO subscriber_teids (" TEID_COLS ") SELECT " TEID_COLS
                   " FROM stage_subscriber_teids ON CONFLICT DO NOTHING"},
    [PGT_STATS] = {"run_stats",
                   "CREATE TEMP TABLE stage_run_stats ON COMMIT DELETE ROWS AS SELECT " STAT_COLS
                   " FROM run_stats WITH NO DATA;"
                   " ALTER TABLE stage_run_stats ADD COLUMN ord BIGSERIAL",
                   "COPY stage_run_stats (" STAT_COLS ") FROM STDIN",
                   "INSERT INTO run_stats (" STAT_COLS ") SELECT DISTINCT ON (run_id, name) "
                   STAT_COLS " FROM stage_run_stats ORDER BY run_id, name, ord DESC"
                   " ON CONFLICT (run_id, name) DO UPDATE SET value = excluded.value"},
    [PGT_CAPTURE] = {"capture_stats",
                     "CREATE TEMP TABLE stage_capture_stats ON COMMIT DELETE ROWS AS SELECT "
                     CAPTURE_COLS " FROM capture_stats WITH NO DATA",
                     "COPY stage_capture_stats (" CAPTURE_COLS ") FROM STDIN",
                     "INSERT INTO capture_stats (" CAPTURE_COLS ") SELECT " CAPTURE_COLS
                     " FROM stage_capture_stats ON CONFLICT DO NOTHING"},
    /* Audit rows are hashed by the sink and keyed (probe, seq): a replayed
     * batch adds nothing, and rows go in seq order (pg_audit.h). */
    [PGT_AUDIT] = {"audit_log",
                   "CREATE TEMP TABLE stage_audit_log ON COMMIT DELETE ROWS AS SELECT " AUDIT_COLS
                   " FROM audit_log WITH NO DATA",
                   "COPY stage_audit_log (" AUDIT_COLS ") FROM STDIN",
                   "INSERT INTO audit_log (" AUDIT_COLS ") SELECT " AUDIT_COLS
                   " FROM stage_audit_log ORDER BY probe, seq ON CONFLICT DO NOTHING"},
    /* The scope snapshot of a run and its runs.basis (store_audit_scope). */
    [PGT_SCOPE] = {"scope_snapshots",
                   "CREATE TEMP TABLE stage_scope_snapshots ON COMMIT DELETE ROWS AS SELECT "
                   SCOPE_COLS " FROM scope_snapshots WITH NO DATA",
                   "COPY stage_scope_snapshots (" SCOPE_COLS ") FROM STDIN",
                   "INSERT INTO scope_snapshots (" SCOPE_COLS ") SELECT " SCOPE_COLS
                   " FROM stage_scope_snapshots ON CONFLICT DO NOTHING;"
                   "UPDATE runs r SET basis = 'scope' FROM stage_scope_snapshots s"
                   " WHERE r.id = s.run_id AND r.basis <> 'scope'"},
    [PGT_SIG] = {"audit_signatures",
                 "CREATE TEMP TABLE stage_audit_signatures ON COMMIT DELETE ROWS AS SELECT "
                 SIG_COLS " FROM audit_signatures WITH NO DATA",
                 "COPY stage_audit_signatures (" SIG_COLS ") FROM STDIN",
                 "INSERT INTO audit_signatures (" SIG_COLS ") SELECT " SIG_COLS
                 " FROM stage_audit_signatures ON CONFLICT DO NOTHING"},
    [PGT_RUN_END] = {"run_end",
                     "CREATE TEMP TABLE stage_run_end (id BIGINT, finished_utc BIGINT,"
                     " status TEXT) ON COMMIT DELETE ROWS",
                     "COPY stage_run_end (id, finished_utc, status) FROM STDIN",
                     "UPDATE runs r SET finished_utc = s.finished_utc, status = s.status"
                     " FROM stage_run_end s WHERE r.id = s.id;"
                     /* inputs the run never got to are not left 'reading' (as store.c) */
                     "UPDATE inputs i SET status = 'interrupted',"
                     " detail = coalesce(i.detail, 'the run ended before reading it')"
                     " FROM stage_run_end s WHERE i.run_id = s.id AND i.status = 'reading'"},
};

struct pgbuf {
    char *p;
    size_t len, cap;
    uint64_t rows;
    int64_t days[SINK_PG_BATCH_DAYS];
    size_t ndays;
    bool first; /* no field yet in the current row */
    bool nomem;
};

struct pg {
    PGconn *conn;            /* NULL while the server is away */
    char *conninfo;
    char *spool_path;
    uint64_t spool_max;
    bool quiet, warned_full, warned_down;
    struct spool *spool;     /* opened on first use */
    struct pgbuf buf[PGT_COUNT];
    uint64_t pending;        /* rows in buf */
    /* The sender thread: a full batch (row_end) is handed over in flight[]
     * and sent (or spooled) there while the writer fills buf[] with the
     * next, so the server's ingestion runs beside trapline instead of
     * stopping it.  One batch at most is in flight; every other use of the
     * connection or the spool first waits for it (wait_idle), so batches
     * reach the server, and the spool, in order.  An error of a handed-over
     * batch is returned by the next call that waits. */
    struct pgbuf flight[PGT_COUNT];
    uint64_t flight_pending;
    pthread_t sender;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool sender_up, busy, stop;
    int async_rc;
    struct err async_err;
    int64_t sms_seq;         /* per-run sms_events id */
    int64_t flow_seq, ott_seq; /* per-run write order (wseq, schema_pg.c) */
    bool direct_ok;          /* analyze run: fresh batches COPY straight in */
    /* The side connection (send_split): opened by the sender once per
     * session of conn, closed on any failure; NULL when not open. */
    PGconn *side;
    bool side_tried;         /* opened or tried since conn last came up */
    bool last_unique;        /* the last send failed on a unique key */
    unsigned staged;         /* staging tables made in this session (1 << enum pgt) */
    char target[256];        /* "db@host:port" of the first connection (the spool's tie) */
    long long last_try_ms;
    long long retry_ms;      /* wait before the next attempt: doubles to SINK_PG_RETRY_MAX_MS */
    int64_t days[PG_DAYS_CACHE]; /* "tableindex << 32 | day" known to exist */
    size_t ndays;
    struct sink_pg_stats st;
    /* The probe's audit chain (pg_audit.h): its lock is held by this
     * session from run_begin; seq and hash of the last row written. */
    char probe[AUDIT_TEXT_MAX];
    bool chain_locked;
    int64_t audit_seq;
    char audit_hash[AUDIT_HASH_HEX];
};

static long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ------------------------------------------------------------ URLs */

bool sink_pg_is_url(const char *db)
{
    return strncmp(db, "postgresql:", 11) == 0 || strncmp(db, "postgres:", 9) == 0;
}

const char *sink_pg_conninfo(const char *db)
{
    if (strcmp(db, "postgresql:") == 0 || strcmp(db, "postgres:") == 0)
        return "";
    return db;
}

bool sink_pg_scrub(const char *db, char *out, size_t n)
{
    /* Works on a full-size copy (a password shrinks to "***"), so a short
     * out never holds part of one. */
    size_t len = strlen(db);
    char *w = malloc(len + 8); /* room for ":***" in place of a shorter password */
    if (!w) {
        snprintf(out, n, "%s", "");
        return false;
    }
    memcpy(w, db, len + 1);
    bool found = false;
    /* URI userinfo: scheme://user:password@host */
    char *s = strstr(w, "://");
    if (s) {
        char *at = strchr(s + 3, '@'), *slash = strchr(s + 3, '/');
        char *colon = strchr(s + 3, ':');
        if (at && (!slash || at < slash) && colon && colon < at) {
            memmove(colon + 4, at, strlen(at) + 1); /* ":***" fits where ":x" was */
            memcpy(colon, ":***", 4);
            found = true;
        }
    }
    /* password=... as a URI query parameter or a conninfo keyword */
    for (char *p = w; (p = strstr(p, "password=")); p += 9) {
        if (p != w && !(p[-1] == '?' || p[-1] == '&' || p[-1] == ' '))
            continue;
        char *v = p + 9, *end = v;
        while (*end && *end != '&' && *end != ' ')
            end++;
        if (end - v >= 3) {
            memmove(v + 3, end, strlen(end) + 1);
            memcpy(v, "***", 3);
        } else {
            memset(v, '*', (size_t)(end - v));
        }
        found = true;
    }
    snprintf(out, n, "%s", w);
    free(w);
    return found;
}

/* ------------------------------------------------------------ COPY rows */

static bool reserve(struct pgbuf *b, size_t more)
{
    if (b->len + more <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 65536;
    while (cap < b->len + more)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        b->nomem = true;
        return false;
    }
    b->p = p;
    b->cap = cap;
    return true;
}

static void sep(struct pgbuf *b)
{
    if (!b->first && reserve(b, 1))
        b->p[b->len++] = '\t';
    b->first = false;
}

static void put_null(struct pgbuf *b)
{
    sep(b);
    if (reserve(b, 2)) {
        memcpy(b->p + b->len, "\\N", 2);
        b->len += 2;
    }
}

static void put_i64(struct pgbuf *b, long long v)
{
    sep(b);
    if (reserve(b, 24))
        b->len += (size_t)snprintf(b->p + b->len, 24, "%lld", v);
}

static void put_text(struct pgbuf *b, const char *s)
{
    if (!s) {
        put_null(b);
        return;
    }
    sep(b);
    size_t n = strlen(s);
    if (!reserve(b, 2 * n))
        return;
    for (size_t i = 0; i < n; i++) {
        char c = s[i], esc = c == '\\' ? '\\' : c == '\t' ? 't' : c == '\n' ? 'n'
                                             : c == '\r' ? 'r' : 0;
        if (esc) {
            b->p[b->len++] = '\\';
            b->p[b->len++] = esc;
        } else {
            b->p[b->len++] = c;
        }
    }
}

static void put_opt(struct pgbuf *b, long long v)
{
    if (v < 0)
        put_null(b);
    else
        put_i64(b, v);
}

static void row_start(struct pgbuf *b) { b->first = true; }

static void row_done(struct pg *p, struct pgbuf *b)
{
    if (reserve(b, 1))
        b->p[b->len++] = '\n';
    b->rows++;
    p->pending++;
}

static void buf_clear(struct pgbuf *b)
{
    b->len = 0;
    b->rows = 0;
    b->ndays = 0;
    b->nomem = false;
}

/* ------------------------------------------------------------ server */

static bool transient(PGconn *c, PGresult *r)
{
    if (!c || PQstatus(c) != CONNECTION_OK)
        return true;
    const char *st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    if (!st)
        return true; /* no SQLSTATE: the connection failed under the call */
    return strncmp(st, "08", 2) == 0 ||  /* connection exception */
           strncmp(st, "57", 2) == 0 ||  /* admin shutdown, crash, cannot connect now */
           strncmp(st, "53", 2) == 0 ||  /* insufficient resources (disk full) */
           strcmp(st, "25006") == 0 ||   /* read-only transaction (standby) */
           strcmp(st, "40001") == 0 || strcmp(st, "40P01") == 0; /* retry later */
}

/* Runs sql (no rows).  0, RC_IO (transient: the batch waits in the spool),
 * or RC_SQL with e set. */
static int exec(struct pg *p, const char *sql, struct err *e)
{
    PGresult *r = PQexec(p->conn, sql);
    ExecStatusType s = PQresultStatus(r);
    if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) {
        PQclear(r);
        return 0;
    }
    int rc = transient(p->conn, r) ? RC_IO : RC_SQL;
    pg_util_fail(e, rc, p->conn, "");
    PQclear(r);
    return rc;
}

/* name: the application_name the server shows (pg_stat_activity). */
static PGconn *connect_db(const struct pg *p, const char *name)
{
    /* Later keywords override earlier ones (libpq), so the connection
     * string (dbname, expanded) has the last word. */
    const char *const keys[] = {"application_name", "connect_timeout", "dbname", NULL};
    const char *const vals[] = {name, SINK_PG_CONNECT_TIMEOUT, p->conninfo, NULL};
    PGconn *c = PQconnectdbParams(keys, vals, 1);
    if (c)
        PQsetNoticeProcessor(c, pg_util_silent, NULL);
    return c;
}

/* Session state after every (re)connection.  Staging tables are made
 * on first use inside a batch transaction (send_once): each made on its own
 * would cost a catalog commit, several per run. */
static int session_setup(struct pg *p, struct err *e)
{
    p->staged = 0;
    return exec(p, "SET client_min_messages = warning", e);
}

/* The schema version on the server: 0 when there is no trapline schema. */
static int server_version(struct pg *p, long *v, struct err *e)
{
    PGresult *r = PQexec(p->conn, "SELECT CASE WHEN to_regclass('trapline_schema') IS NULL"
                                  " THEN 0 ELSE -1 END");
    int rc = 0;
    *v = 0;
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
        rc = pg_util_fail(e, RC_SQL, p->conn, "read schema version");
    else if (strcmp(PQgetvalue(r, 0, 0), "0") != 0) {
        PQclear(r);
        r = PQexec(p->conn, "SELECT COALESCE(MAX(version), 0) FROM trapline_schema");
        if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
            *v = strtol(PQgetvalue(r, 0, 0), NULL, 10);
        else
            rc = pg_util_fail(e, RC_SQL, p->conn, "read schema version");
    }
    PQclear(r);
    return rc;
}

static int migrate(struct pg *p, struct err *e)
{
    char sql[160];
    long cur;
    /* Up to date (the common case): no DDL, no lock, and a role without
     * CREATE rights gets as far as its first write. */
    int rc = server_version(p, &cur, e);
    if (rc || (size_t)cur == schema_count())
        return rc;
    if (cur > 0 && (size_t)cur > schema_count())
        return err_set(e, RC_SQL,
                       "postgresql: database schema version %ld is newer than this build (%zu);"
                       " upgrade trapline", cur, schema_count());
    rc = exec(p, "BEGIN", e);
    snprintf(sql, sizeof sql, "SELECT pg_advisory_xact_lock(%lld)", PG_MIGRATE_LOCK);
    if (!rc)
        rc = exec(p, sql, e);
    if (!rc)
        rc = exec(p, "CREATE TABLE IF NOT EXISTS trapline_schema (version INTEGER NOT NULL)", e);
    long v = 0;
    if (!rc) {
        PGresult *r = PQexec(p->conn, "SELECT COALESCE(MAX(version), 0) FROM trapline_schema");
        if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
            v = strtol(PQgetvalue(r, 0, 0), NULL, 10);
        else
            rc = pg_util_fail(e, RC_SQL, p->conn, "read schema version");
        PQclear(r);
    }
    size_t want = schema_count();
    if (!rc && (size_t)v > want)
        rc = err_set(e, RC_SQL,
                     "postgresql: database schema version %ld is newer than this build (%zu);"
                     " upgrade trapline", v, want);
    for (size_t k = (size_t)v + 1; !rc && k <= want; k++) {
        char *m = schema_pg_migration(k);
        if (!m)
            rc = err_set(e, RC_SQL, "postgresql: no PostgreSQL text for migration %zu", k);
        if (!rc)
            rc = exec(p, m, e);
        free(m);
    }
    if (!rc && (size_t)v < want) {
        snprintf(sql, sizeof sql, "DELETE FROM trapline_schema; INSERT INTO trapline_schema"
                                  " VALUES (%zu)", want);
        rc = exec(p, sql, e);
    }
    if (!rc)
        return exec(p, "COMMIT", e);
    struct err ignore;
    exec(p, "ROLLBACK", &ignore);
    return rc;
}

static bool day_known(struct pg *p, int64_t key)
{
    for (size_t i = 0; i < p->ndays; i++)
        if (p->days[i] == key)
            return true;
    return false;
}

/* Creates the day partitions a chunk needs (each in its own short
 * transaction: no partition lock is held while batches are loaded). */
static int ensure_days(struct pg *p, int t, const char *days, struct err *e)
{
    for (const char *d = days; *d;) {
        char *end;
        long long day = strtoll(d, &end, 10);
        if (end == d)
            break;
        d = *end == ',' ? end + 1 : end;
        int64_t key = (int64_t)t << 32 | (day & 0xffffffffLL);
        if (day_known(p, key))
            continue;
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT trapline_day_partition('%s', %lld)", defs[t].table,
                 day);
        int rc = exec(p, sql, e);
        if (rc)
            return rc;
        if (p->ndays == PG_DAYS_CACHE)
            p->ndays = 0;
        p->days[p->ndays++] = key;
    }
    return 0;
}

static int table_index(const char *name)
{
    for (int i = 0; i < PGT_COUNT; i++)
        if (strcmp(defs[i].table, name) == 0)
            return i;
    return -1;
}

/* Sends one batch in one transaction.  0, RC_IO (transient: the connection
 * is dropped) or RC_SQL. */
/* The direct form of a table's COPY: "COPY stage_flows (...)" without
 * "stage_" loads the shared table itself. */
static void direct_copy(int t, char *out, size_t n)
{
    snprintf(out, n, "COPY %s", defs[t].copy + strlen("COPY stage_"));
}

static int send_once(struct pg *p, const struct spool_chunk *c, size_t n, bool direct,
                     struct err *e);
static int send_direct(struct pg *p, const struct spool_chunk *c, size_t n, struct err *e);
static int send_split(struct pg *p, const struct spool_chunk *c, size_t n, struct err *e);

/* Tables whose merge does more than insert new rows (updates by key, a
 * second statement, or rows that may repeat within a batch). */
static bool always_merge(int t)
{
    return t == PGT_STATS || t == PGT_RUN_END || t == PGT_TEIDS || t == PGT_SCOPE ||
           t == PGT_SIG;
}

/* Sends one batch in one transaction.  New rows of an analyze run are
 * COPYed straight into the shared tables (no staging pass: the fast path);
 * a replay, a live run (interim flow rows are updated in place) or a
 * unique-key clash (a batch the server had already committed) goes through
 * staging and ON CONFLICT.  0, RC_IO (transient: the connection is
 * dropped) or RC_SQL. */
static int send_batch(struct pg *p, const struct spool_chunk *c, size_t n, bool fresh,
                      struct err *e)
{
    if (fresh && p->direct_ok) {
        int rc = send_split(p, c, n, e);
        return rc >= 0 ? rc : send_direct(p, c, n, e);
    }
    return send_once(p, c, n, false, e);
}

/* Runs the COPY ... FROM STDIN sql on c and hands it len bytes of data.
 * Returns the first result that was not a success (owned by the caller:
 * its SQLSTATE says why), or NULL; *sent is false when the COPY did not
 * start or the data could not be handed over. */
static PGresult *copy_in(PGconn *c, const char *sql, const char *data, size_t len, bool *sent)
{
    PGresult *r = PQexec(c, sql);
    bool ok = PQresultStatus(r) == PGRES_COPY_IN;
    PQclear(r);
    *sent = ok && PQputCopyData(c, data, (int)len) == 1 && PQputCopyEnd(c, NULL) == 1;
    PGresult *bad = NULL;
    while ((r = PQgetResult(c))) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK && !bad)
            bad = r;
        else
            PQclear(r);
    }
    return bad;
}

/* send_once for a fresh batch: COPYed straight in, and through staging
 * when the server already holds some of its rows (a unique-key clash). */
static int send_direct(struct pg *p, const struct spool_chunk *c, size_t n, struct err *e)
{
    int rc = send_once(p, c, n, true, e);
    if (rc == RC_SQL && p->last_unique)
        rc = send_once(p, c, n, false, e);
    return rc;
}

static int send_once(struct pg *p, const struct spool_chunk *c, size_t n, bool direct,
                     struct err *e)
{
    p->last_unique = false;
    unsigned made = 0; /* staging tables created by this transaction */
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        int t = table_index(c[i].table);
        if (t < 0)
            rc = err_set(e, RC_SQL, "postgresql: spooled batch names table %s", c[i].table);
        else
            rc = ensure_days(p, t, c[i].days, e);
    }
    if (!rc)
        rc = exec(p, "BEGIN", e);
    for (size_t i = 0; i < n && !rc; i++) {
        int t = table_index(c[i].table);
        /* run_stats and run_end always merge (updates by key), teids too */
        bool d = direct && !always_merge(t);
        if (!d && !(p->staged & 1u << t) && !(made & 1u << t)) {
            if ((rc = exec(p, defs[t].stage, e)))
                break;
            made |= 1u << t;
        }
        char dsql[1024];
        direct_copy(t, dsql, sizeof dsql);
        bool sent;
        PGresult *bad = copy_in(p->conn, d ? dsql : defs[t].copy, c[i].data, c[i].len, &sent);
        if (bad) {
            rc = transient(p->conn, bad) ? RC_IO : RC_SQL;
            const char *st = PQresultErrorField(bad, PG_DIAG_SQLSTATE);
            p->last_unique = st && strcmp(st, "23505") == 0;
            PQclear(bad);
        } else if (!sent) {
            rc = RC_IO;
        }
        if (rc)
            pg_util_fail(e, rc, p->conn, defs[t].copy);
    }
    for (size_t i = 0; i < n && !rc; i++) {
        int t = table_index(c[i].table);
        if (!direct || always_merge(t))
            rc = exec(p, defs[t].merge, e);
    }
    if (!rc)
        rc = exec(p, "COMMIT", e);
    if (!rc)
        p->staged |= made; /* a rolled-back CREATE left nothing */
    if (rc) {
        if (PQstatus(p->conn) == CONNECTION_OK) {
            struct err ignore;
            exec(p, "ROLLBACK", &ignore);
        }
        if (rc == RC_IO) {
            PQfinish(p->conn);
            p->conn = NULL;
        }
        return rc;
    }
    for (size_t i = 0; i < n; i++)
        p->st.rows_sent += c[i].rows;
    p->st.batches_sent++;
    return 0;
}

/* ------------------------------------------------------------ side connection
 *
 * A fresh batch of an analyze run is mostly flows and ott_events rows, and
 * the server loads a COPY on one backend: at the end of input, when the
 * flush hands it the run's live flows at once, that one backend is the
 * whole wait (issue 12's bench: about 2.5 s of the server's CPU while
 * trapline and the second core idle).  So such a batch COPYs its flows
 * rows on a second connection, in a transaction of its own, while the
 * sender's connection loads the other tables as before.
 *
 * The batch is then two transactions, which the sink's idempotent merges
 * allow: a part that fails is sent again through staging and ON CONFLICT
 * (flows: DO UPDATE with the same values), and a batch that fails on the
 * main connection is spooled whole and replayed the same way, whether or
 * not its flows part was committed.  The side connection is only an aid:
 * when it cannot be opened, or fails, the flows rows go on the main
 * connection as before, and it is not tried again until the main one
 * reconnects. */

struct side_job {
    PGconn *conn;
    const struct spool_chunk *chunk;
    bool ok;
};

static bool side_exec(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    return ok;
}

/* Thread: BEGIN, the flows chunk COPYed straight into flows, COMMIT. */
static void *side_main(void *arg)
{
    struct side_job *j = arg;
    char sql[1024];
    direct_copy(PGT_FLOWS, sql, sizeof sql);
    bool ok = side_exec(j->conn, "BEGIN"), sent = false;
    if (ok) {
        PGresult *bad = copy_in(j->conn, sql, j->chunk->data, j->chunk->len, &sent);
        ok = !bad && sent;
        PQclear(bad);
    }
    j->ok = ok && side_exec(j->conn, "COMMIT");
    return NULL;
}

/* The side connection, opened on the first need after conn came up. */
static bool side_up(struct pg *p)
{
    if (p->side)
        return true;
    if (p->side_tried)
        return false;
    p->side_tried = true;
    p->side = connect_db(p, "trapline-side");
    if (p->side && PQstatus(p->side) == CONNECTION_OK &&
        side_exec(p->side, "SET client_min_messages = warning"))
        return true;
    PQfinish(p->side);
    p->side = NULL;
    return false;
}

/* Sends a fresh batch on both connections (see above).  -1 when it does
 * not apply (no flows rows beside others, no side connection, no thread):
 * the caller sends it on the main connection alone.  Else as send_once. */
static int send_split(struct pg *p, const struct spool_chunk *c, size_t n, struct err *e)
{
    size_t fi = n;
    for (size_t i = 0; i < n; i++)
        if (table_index(c[i].table) == PGT_FLOWS)
            fi = i;
    if (fi == n || n < 2 || n > PGT_COUNT || !p->conn || !side_up(p))
        return -1;
    /* The flows partitions are made here, on the main connection, before
     * the side one loads them. */
    int rc = ensure_days(p, PGT_FLOWS, c[fi].days, e);
    if (rc)
        return rc;
    struct side_job j = {.conn = p->side, .chunk = &c[fi]};
    pthread_t th;
    if (stop_thread_create(&th, "tl-pg-side", side_main, &j) != 0)
        return -1;
    struct spool_chunk rest[PGT_COUNT];
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (i != fi)
            rest[m++] = c[i];
    rc = send_direct(p, rest, m, e);
    pthread_join(th, NULL);
    if (!j.ok) {
        PQfinish(p->side);
        p->side = NULL;
        p->st.side_failures++;
    }
    if (rc) /* the caller spools the whole batch; its replay merges */
        return rc;
    if (j.ok) {
        p->st.rows_sent += c[fi].rows;
        return 0;
    }
    /* the flows rows on the main connection, as a batch of their own */
    rc = send_direct(p, &c[fi], 1, e);
    if (!rc)
        p->st.batches_sent--; /* one batch, sent in two transactions */
    return rc;
}

/* Reconnects when the server was lost (at most once per SINK_PG_RETRY_MS
 * unless force).  True when connected. */
static bool reconnect(struct pg *p, bool force)
{
    if (p->conn)
        return true;
    long long now = mono_ms();
    if (!force && now - p->last_try_ms < p->retry_ms)
        return false;
    p->last_try_ms = now;
    PGconn *c = connect_db(p, "trapline");
    if (!c || PQstatus(c) != CONNECTION_OK) {
        PQfinish(c);
        /* back off: an unreachable host costs up to connect_timeout per try */
        p->retry_ms = p->retry_ms < SINK_PG_RETRY_MS ? SINK_PG_RETRY_MS
                      : p->retry_ms * 2 > SINK_PG_RETRY_MAX_MS ? SINK_PG_RETRY_MAX_MS
                                                               : p->retry_ms * 2;
        return false;
    }
    p->retry_ms = SINK_PG_RETRY_MS;
    p->conn = c;
    p->side_tried = false;
    struct err e;
    if (session_setup(p, &e)) {
        PQfinish(p->conn);
        p->conn = NULL;
        return false;
    }
    /* The chain lock ended with the lost session: take it again before the
     * spooled audit rows go in.  Should another run of the same probe have
     * taken it meanwhile, the rows are still sent (ON CONFLICT DO NOTHING
     * keeps the first of two rows with one seq) and verify shows the fork. */
    if (p->chain_locked && pg_audit_lock(p->conn, p->probe, &e) && !p->quiet)
        fprintf(stderr, "trapline: %s (after the reconnection)\n", e.msg);
    p->st.reconnects++;
    if (!p->quiet)
        fprintf(stderr, "trapline: postgresql: connection back; replaying the spool\n");
    p->warned_down = false;
    return true;
}

static int open_spool(struct pg *p, struct err *e)
{
    if (p->spool)
        return 0;
    if (!(p->spool = spool_open(p->spool_path, p->spool_max, e)))
        return RC_IO;
    int rc = spool_target(p->spool, p->target, e);
    if (rc) {
        spool_close(p->spool, false);
        p->spool = NULL;
    }
    return rc;
}

/* Sends spooled batches oldest first while the server takes them.  0 when
 * the spool is empty (or absent), RC_IO when the server went away again,
 * RC_SQL on a batch the server refuses for good. */
static int drain(struct pg *p, struct err *e)
{
    while (p->spool && spool_batches(p->spool) > 0) {
        if (!p->conn)
            return RC_IO;
        struct spool_chunk c[SPOOL_MAX_CHUNKS];
        size_t n = 0;
        int64_t batch = 0;
        int rc = spool_oldest(p->spool, &batch, c, &n, e);
        if (rc <= 0)
            return rc;
        rc = send_batch(p, c, n, false, e);
        uint64_t rows = 0;
        for (size_t i = 0; i < n; i++)
            rows += c[i].rows;
        spool_chunks_free(c, n);
        if (rc)
            return rc;
        p->st.rows_replayed += rows;
        if ((rc = spool_drop(p->spool, batch, e)))
            return rc;
    }
    return 0;
}

static void days_text(const struct pgbuf *b, char *out, size_t n)
{
    size_t k = 0;
    out[0] = '\0';
    for (size_t i = 0; i < b->ndays && k < n; i++)
        k += (size_t)snprintf(out + k, n - k, "%s%lld", i ? "," : "", (long long)b->days[i]);
}

/* Sends (or spools) the rows of bufs (*pending of them) and empties bufs.
 * Returns 0 unless a row can be neither sent nor kept for a reason other
 * than a full spool. */
static int send_bufs(struct pg *p, struct pgbuf *bufs, uint64_t *pending, struct err *e)
{
    if (!*pending) {
        /* A quiet live probe still empties its spool once the server is back. */
        struct err ignore;
        if (p->spool && spool_batches(p->spool) > 0 && reconnect(p, false))
            drain(p, &ignore);
        return 0;
    }
    struct spool_chunk c[PGT_COUNT];
    char days[PGT_COUNT][SINK_PG_BATCH_DAYS * 12];
    size_t n = 0;
    for (int i = 0; i < PGT_COUNT; i++) {
        struct pgbuf *b = &bufs[i];
        if (b->nomem)
            return err_set(e, RC_NOMEM, "postgresql: out of memory for the batch");
        if (!b->rows)
            continue;
        days_text(b, days[i], sizeof days[i]);
        c[n++] = (struct spool_chunk){.table = (char *)defs[i].table, .rows = b->rows,
                                      .days = days[i], .data = b->p, .len = b->len};
    }
    int rc = RC_IO;
    struct err se = {""};
    if (reconnect(p, false)) {
        rc = drain(p, &se);
        if (!rc)
            rc = send_batch(p, c, n, true, &se);
    }
    if (rc) {
        if (!p->quiet && !p->warned_down) {
            fprintf(stderr, "trapline: postgresql: %s; spooling to %s\n", se.msg,
                    p->spool_path);
            p->warned_down = true;
        }
        int src = open_spool(p, e);
        if (!src)
            src = spool_put(p->spool, c, n, e);
        if (src == RC_LIMIT) {
            p->st.rows_dropped += *pending;
            if (!p->quiet && !p->warned_full)
                fprintf(stderr, "trapline: %s; rows are dropped (counted) until it drains\n",
                        e ? e->msg : "spool full");
            p->warned_full = true;
        } else if (src) {
            return src;
        } else {
            p->st.rows_spooled += *pending;
            p->st.batches_spooled++;
        }
        if (rc == RC_SQL) /* not an outage: the batch is kept, but the run fails */
            return err_set(e, RC_SQL, "%s", se.msg);
    }
    for (int i = 0; i < PGT_COUNT; i++)
        buf_clear(&bufs[i]);
    *pending = 0;
    return 0;
}

/* ------------------------------------------------------------ sender thread */

static void *sender_main(void *arg)
{
    struct pg *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->busy && !p->stop)
            pthread_cond_wait(&p->cv, &p->mu);
        if (!p->busy)
            break;
        pthread_mutex_unlock(&p->mu);
        struct err e = {""};
        int rc = send_bufs(p, p->flight, &p->flight_pending, &e);
        pthread_mutex_lock(&p->mu);
        if (rc && !p->async_rc) {
            p->async_rc = rc;
            p->async_err = e;
        }
        if (rc) { /* spooled or lost as send_bufs said; the error ends the run */
            for (int i = 0; i < PGT_COUNT; i++)
                buf_clear(&p->flight[i]);
            p->flight_pending = 0;
        }
        p->busy = false;
        pthread_cond_broadcast(&p->cv);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* Waits until no batch is in flight; returns (once) the error of one that
 * failed there. */
static int wait_idle(struct pg *p, struct err *e)
{
    if (!p->sender_up)
        return 0;
    pthread_mutex_lock(&p->mu);
    while (p->busy)
        pthread_cond_wait(&p->cv, &p->mu);
    int rc = p->async_rc;
    if (rc) {
        if (e)
            *e = p->async_err;
        p->async_rc = 0;
    }
    pthread_mutex_unlock(&p->mu);
    return rc;
}

/* Sends (or spools) everything buffered and waits for it: a commit point. */
static int flush(struct pg *p, struct err *e)
{
    int rc = wait_idle(p, e);
    return rc ? rc : send_bufs(p, p->buf, &p->pending, e);
}

/* Hands the buffered batch to the sender thread (synchronous when it could
 * not be started). */
static int flush_async(struct pg *p, struct err *e)
{
    int rc = wait_idle(p, e);
    if (rc || !p->sender_up)
        return rc ? rc : send_bufs(p, p->buf, &p->pending, e);
    for (int i = 0; i < PGT_COUNT; i++) {
        struct pgbuf t = p->flight[i];
        p->flight[i] = p->buf[i];
        p->buf[i] = t;
    }
    p->flight_pending = p->pending;
    p->pending = 0;
    pthread_mutex_lock(&p->mu);
    p->busy = true;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return 0;
}



/* Stops the sender thread (after the batch in flight, if any). */
static void sender_stop(struct pg *p)
{
    if (!p->sender_up)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->sender, NULL);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    p->sender_up = false;
}

static struct pg *pg_of(struct sink *s) { return sink_impl(s); }

/* Notes day (of ts_us) for a partitioned table; sends the batch first when
 * its day list is full.  Then starts a row. */
static int row_begin(struct pg *p, int t, uint64_t ts_us, struct err *e)
{
    struct pgbuf *b = &p->buf[t];
    if (t == PGT_FLOWS || t == PGT_OTT || t == PGT_SMS) {
        int64_t day = (int64_t)(ts_us / (uint64_t)SCHEMA_PG_DAY_US);
        bool seen = false;
        for (size_t i = 0; i < b->ndays && !seen; i++)
            seen = b->days[i] == day;
        if (!seen) {
            if (b->ndays == SINK_PG_BATCH_DAYS) {
                int rc = flush_async(p, e);
                if (rc)
                    return rc;
            }
            b->days[b->ndays++] = day;
        }
    }
    row_start(b);
    return 0;
}

static int row_end(struct pg *p, int t, struct err *e)
{
    row_done(p, &p->buf[t]);
    size_t bytes = 0;
    for (int i = 0; i < PGT_COUNT; i++)
        bytes += p->buf[i].len;
    if (p->pending >= SINK_PG_BATCH_ROWS || bytes >= SINK_PG_BATCH_BYTES)
        return flush_async(p, e);
    return 0;
}

/* ------------------------------------------------------------ ops */

static int op_run_begin(struct sink *s, const struct sink_run_info *ri, int64_t *run_id,
                        struct err *e)
{
    struct pg *p = pg_of(s);
    int wrc = wait_idle(p, e);
    if (wrc)
        return wrc;
    if (!reconnect(p, true))
        return err_set(e, RC_IO, "postgresql: server unreachable at run start");
    /* The probe's audit chain: locked for this session (a second run of
     * the same probe is refused here, before its run row exists), head read
     * under the lock. */
    if (!p->chain_locked) {
        str_copy(p->probe, sizeof p->probe, ri->probe ? ri->probe : "");
        int lrc = pg_audit_lock(p->conn, p->probe, e);
        if (!lrc)
            lrc = pg_audit_head(p->conn, p->probe, &p->audit_seq, p->audit_hash, e);
        if (lrc)
            return lrc;
        p->chain_locked = true;
    }
    char started[24];
    snprintf(started, sizeof started, "%llu", (unsigned long long)ri->started_us);
    const char *v[] = {ri->mode, started, ri->tool_version, ri->command_line,
                       ri->signature_sha256, ri->ndpi_version, ri->probe ? ri->probe : "",
                       ri->home_net ? ri->home_net : ""};
    PGresult *r = PQexecParams(p->conn,
                               "INSERT INTO runs (mode, started_utc, tool_version, command_line,"
                               " signature_sha256, ndpi_version, status, probe, home_net)"
                               " VALUES ($1, $2, $3, $4, $5, $6, 'running', $7, $8) RETURNING id",
                               8, NULL, v, NULL, NULL, 0);
    int rc = 0;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
        *run_id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    else
        rc = pg_util_fail(e, RC_SQL, p->conn, "cannot record the run");
    PQclear(r);
    p->sms_seq = p->flow_seq = p->ott_seq = 0;
    p->direct_ok = ri->mode && strcmp(ri->mode, "analyze") == 0;
    return rc;
}

static int op_input(struct sink *s, int64_t run_id, size_t seq, const struct source_input *in,
                    struct err *e)
{
    struct pg *p = pg_of(s);
    struct pgbuf *b = &p->buf[PGT_INPUTS];
    char hex[65] = "";
    if (in->sha_done)
        for (int i = 0; i < 32; i++)
            snprintf(hex + 2 * i, 3, "%02x", in->sha256[i]);
    row_begin(p, PGT_INPUTS, 0, e);
    put_i64(b, run_id);
    put_i64(b, (long long)seq);
    put_text(b, in->path);
    put_text(b, in->sha_done ? hex : NULL);
    put_i64(b, (long long)in->size);
    put_text(b, in->linktype >= 0 ? decode_linktype_name(in->linktype) : NULL);
    put_i64(b, (long long)in->packets);
    if (in->packets) {
        put_i64(b, (long long)in->first_ts_us);
        put_i64(b, (long long)in->last_ts_us);
    } else {
        put_null(b);
        put_null(b);
    }
    put_text(b, in->status != INPUT_PENDING ? source_status_name(in->status) : "reading");
    put_text(b, in->detail[0] ? in->detail : NULL);
    put_i64(b, (long long)in->frames);
    put_i64(b, (long long)in->filtered);
    put_i64(b, (long long)in->other_link);
    put_i64(b, (long long)in->ts_pre1990);
    put_i64(b, (long long)in->ts_backwards);
    put_i64(b, (long long)in->interfaces);
    put_text(b, in->compression);
    return row_end(p, PGT_INPUTS, e);
}

static int op_flow(struct sink *s, int64_t run_id, const struct flow_record *r, struct err *e)
{
    struct pg *p = pg_of(s);
    struct pgbuf *b = &p->buf[PGT_FLOWS];
    int rc = row_begin(p, PGT_FLOWS, r->first_ts_us, e);
    if (rc)
        return rc;
    put_i64(b, run_id);
    put_i64(b, (long long)r->flow_id);
    put_i64(b, r->proto);
    put_text(b, r->src_ip);
    put_i64(b, r->src_port);
    put_text(b, r->dst_ip);
    put_i64(b, r->dst_port);
    put_i64(b, (long long)r->first_ts_us);
    put_i64(b, (long long)r->last_ts_us);
    put_i64(b, (long long)r->pkts_c2s);
    put_i64(b, (long long)r->bytes_c2s);
    put_i64(b, (long long)r->pkts_s2c);
    put_i64(b, (long long)r->bytes_s2c);
    put_i64(b, r->vlan);
    put_text(b, r->ndpi_proto);
    put_text(b, r->service);
    put_text(b, r->cls);
    put_text(b, r->method);
    put_i64(b, r->confidence);
    put_text(b, r->server_name);
    put_i64(b, r->server_name_cut);
    if (r->tunnel_teid || r->tunnel_teid_s2c) {
        put_i64(b, r->tunnel_teid);
        put_i64(b, r->tunnel_teid_s2c);
    } else {
        put_null(b);
        put_null(b);
    }
    put_text(b, r->end_reason);
    put_text(b, r->rule);
    if (r->first_frame) {
        put_i64(b, r->first_input);
        put_i64(b, (long long)r->first_frame);
        put_i64(b, r->last_input);
        put_i64(b, (long long)r->last_frame);
        put_i64(b, r->ifid);
    } else {
        for (int i = 0; i < 5; i++)
            put_null(b);
    }
    put_text(b, r->activity);
    if (r->tunnel_node[0])
        put_text(b, r->tunnel_node);
    else
        put_null(b);
    if (r->tunnel_node_s2c[0])
        put_text(b, r->tunnel_node_s2c);
    else
        put_null(b);
    if (r->has_v6_64) {
        put_i64(b, r->src_v6_64);
        put_i64(b, r->dst_v6_64);
    } else {
        put_null(b);
        put_null(b);
    }
    put_text(b, r->rule_alt);
    put_i64(b, ++p->flow_seq);
    return row_end(p, PGT_FLOWS, e);
}

static int op_sms(struct sink *s, int64_t run_id, const struct sms_event *ev, struct err *e)
{
    struct pg *p = pg_of(s);
    struct pgbuf *b = &p->buf[PGT_SMS];
    int rc = row_begin(p, PGT_SMS, ev->ts_us, e);
    if (rc)
        return rc;
    put_i64(b, ++p->sms_seq);
    put_i64(b, run_id);
    put_i64(b, (long long)ev->flow_id);
    put_i64(b, (long long)ev->ts_us);
    put_text(b, ev->protocol);
    put_text(b, ev->operation);
    put_text(b, ev->direction);
    put_text(b, ev->originator);
    put_opt(b, ev->originator_ton);
    put_opt(b, ev->originator_npi);
    put_text(b, ev->recipient);
    put_opt(b, ev->recipient_ton);
    put_opt(b, ev->recipient_npi);
    put_text(b, ev->smsc);
    put_text(b, ev->imsi);
    put_opt(b, ev->msg_ref);
    put_opt(b, ev->concat_ref);
    put_opt(b, ev->concat_part);
    put_opt(b, ev->concat_total);
    put_text(b, ev->status);
    put_i64(b, ev->content_present ? 1 : 0);
    put_text(b, ev->detail);
    put_i64(b, ev->originator_cut ? 1 : 0);
    put_i64(b, ev->recipient_cut ? 1 : 0);
    put_i64(b, (long long)ev->message_id);
    return row_end(p, PGT_SMS, e);
}

static int op_ott(struct sink *s, int64_t run_id, const struct ott_event *ev, struct err *e)
{
    struct pg *p = pg_of(s);
    struct pgbuf *b = &p->buf[PGT_OTT];
    int rc = row_begin(p, PGT_OTT, ev->ts_us, e);
    if (rc)
        return rc;
    put_i64(b, run_id);
    put_i64(b, (long long)ev->flow_id);
    put_i64(b, (long long)ev->ts_us);
    put_i64(b, (long long)ev->end_ts_us);
    put_text(b, ev->direction);
    put_i64(b, (long long)ev->packets);
    put_i64(b, (long long)ev->bytes);
    put_i64(b, ++p->ott_seq);
    return row_end(p, PGT_OTT, e);
}

/* subscriber_sessions and subscriber_teids rows, as report/store_binding.c
 * writes them. */
static int op_binding(struct sink *s, int64_t run_id, const struct sub_binding *b,
                      struct err *e)
{
    struct pg *p = pg_of(s);
    struct pgbuf *q = &p->buf[PGT_SESSIONS];
    char v4[16], v6[STORE_BINDING_V6_MAX];
    char teids[STORE_BINDING_TEIDS_MAX];
    store_binding_addrs(b, v4, v6);
    store_binding_teids(b, teids, sizeof teids);
    row_begin(p, PGT_SESSIONS, 0, e);
    put_i64(q, run_id);
    put_i64(q, b->id);
    put_text(q, binding_src_name(b->src));
    put_i64(q, (long long)b->flow_id);
    put_i64(q, (long long)b->evidence_us);
    put_i64(q, (long long)b->start_us);
    if (b->open)
        put_null(q);
    else
        put_i64(q, (long long)b->end_us);
    put_i64(q, b->open ? 1 : 0);
    put_i64(q, b->mid_session ? 1 : 0);
    put_i64(q, (long long)b->evidence_us);
    put_text(q, b->imsi);
    put_text(q, b->msisdn);
    put_text(q, b->imei);
    put_text(q, b->user);
    put_text(q, b->station);
    put_text(q, v4);
    put_text(q, v6);
    put_text(q, teids);
    put_text(q, b->apn);
    put_text(q, b->cell);
    put_i64(q, b->conflict ? 1 : 0);
    int64_t v6_64;
    if (store_binding_v6_64(b, &v6_64))
        put_i64(q, v6_64);
    else
        put_null(q);
    int rc = row_end(p, PGT_SESSIONS, e);
    for (unsigned k = 0; k < b->nteid && !rc; k++) {
        const struct bind_teid *t = &b->teid[k];
        char node[INET6_ADDRSTRLEN] = "";
        if (t->alen == 4 || t->alen == 16)
            inet_ntop(t->alen == 4 ? AF_INET : AF_INET6, t->addr, node, sizeof node);
        struct pgbuf *tb = &p->buf[PGT_TEIDS];
        row_begin(p, PGT_TEIDS, 0, e);
        put_i64(tb, run_id);
        put_i64(tb, b->id);
        put_i64(tb, t->teid);
        put_i64(tb, t->control ? 1 : 0);
        put_text(tb, node);
        rc = row_end(p, PGT_TEIDS, e);
    }
    return rc;
}

static int op_run_stat(struct sink *s, int64_t run_id, const char *name, uint64_t value,
                       struct err *e)
{
    struct pg *p = pg_of(s);
    struct pgbuf *b = &p->buf[PGT_STATS];
    row_begin(p, PGT_STATS, 0, e);
    put_i64(b, run_id);
    put_text(b, name);
    put_i64(b, (long long)value);
    return row_end(p, PGT_STATS, e);
}

static int op_capture_stats(struct sink *s, int64_t run_id, const struct sink_capture_stats *cs,
                            struct err *e)
{
    struct pg *p = pg_of(s);
    struct pgbuf *b = &p->buf[PGT_CAPTURE];
    row_begin(p, PGT_CAPTURE, 0, e);
    put_i64(b, run_id);
    put_i64(b, (long long)cs->ts_us);
    put_i64(b, (long long)cs->received);
    put_i64(b, (long long)cs->dropped);
    put_i64(b, (long long)cs->if_dropped);
    return row_end(p, PGT_CAPTURE, e);
}

static int op_find_input(struct sink *s, uint64_t bytes, const char *sha256_hex,
                         int64_t *run_id, struct err *e)
{
    struct pg *p = pg_of(s);
    int wrc = wait_idle(p, e);
    if (wrc)
        return wrc;
    if (!reconnect(p, false))
        return 0; /* cannot tell: the input is analysed again (records are idempotent) */
    char nb[24];
    snprintf(nb, sizeof nb, "%llu", (unsigned long long)bytes);
    const char *v[] = {nb, sha256_hex};
    PGresult *r = PQexecParams(p->conn,
                               "SELECT i.run_id FROM inputs i JOIN runs r ON r.id = i.run_id"
                               " WHERE i.bytes = $1 AND i.status = 'complete'"
                               " AND i.sha256 IS NOT NULL AND ($2::text IS NULL OR i.sha256 = $2)"
                               " AND r.status IN ('complete','partial') ORDER BY i.run_id LIMIT 1",
                               2, NULL, v, NULL, NULL, 0);
    int rc;
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        rc = pg_util_fail(e, RC_SQL, p->conn, "input lookup");
    else if (PQntuples(r) == 0)
        rc = 0;
    else {
        *run_id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        rc = 1;
    }
    PQclear(r);
    return rc;
}

static int op_commit(struct sink *s, struct err *e) { return flush(pg_of(s), e); }

/* Chains r to the probe's last row and sends it (or spools it) with every
 * row buffered before it: "visible at once" (sink.h) as far as the server
 * is there. */
static int op_audit(struct sink *s, struct audit_row *r, struct err *e)
{
    struct pg *p = pg_of(s);
    if (!p->chain_locked)
        return err_set(e, RC_USAGE, "postgresql: audit row before run_begin");
    struct pgbuf *b = &p->buf[PGT_AUDIT];
    r->seq = p->audit_seq + 1;
    str_copy(r->prev_hash, sizeof r->prev_hash, p->audit_hash);
    str_copy(r->probe, sizeof r->probe, p->probe);
    if (audit_row_hash(r, r->prev_hash, r->hash))
        return err_set(e, RC_NOMEM, "audit: cannot hash row (detail too long?)");
    row_begin(p, PGT_AUDIT, 0, e);
    put_text(b, p->probe);
    put_i64(b, r->seq);
    put_i64(b, (long long)r->ts_utc);
    put_text(b, r->operator_name);
    put_text(b, r->action);
    put_i64(b, r->run_id);
    put_text(b, r->detail);
    put_text(b, r->prev_hash);
    put_text(b, r->hash);
    row_done(p, b);
    p->audit_seq = r->seq;
    str_copy(p->audit_hash, sizeof p->audit_hash, r->hash);
    return flush(p, e);
}

static bool is_pg(struct sink *s);

int sink_pg_audit_scope(struct sink *s, int64_t run_id, const struct scope *sc, struct err *e)
{
    if (!is_pg(s))
        return err_set(e, RC_USAGE, "not a PostgreSQL sink");
    struct pg *p = pg_of(s);
    struct pgbuf *b = &p->buf[PGT_SCOPE];
    char outputs[96];
    char *targets = malloc(PG_SCOPE_TARGETS_MAX);
    char *hex = malloc(2 * sc->nbytes + 3);
    if (!targets || !hex) {
        free(targets);
        free(hex);
        return err_set(e, RC_NOMEM, "out of memory");
    }
    scope_targets_text(sc, targets, PG_SCOPE_TARGETS_MAX);
    scope_outputs_text(sc->outputs, outputs, sizeof outputs);
    /* bytea in hex input form "\x..." (the COPY text escapes the backslash) */
    static const char hx[] = "0123456789abcdef";
    hex[0] = '\\';
    hex[1] = 'x';
    for (size_t i = 0; i < sc->nbytes; i++) {
        hex[2 + 2 * i] = hx[sc->bytes[i] >> 4];
        hex[3 + 2 * i] = hx[sc->bytes[i] & 15];
    }
    hex[2 + 2 * sc->nbytes] = '\0';
    row_begin(p, PGT_SCOPE, 0, e);
    put_i64(b, run_id);
    put_text(b, sc->file);
    put_text(b, sc->sha256_hex);
    put_text(b, hex);
    put_text(b, sc->liid);
    put_text(b, sc->authority_kind);
    put_text(b, sc->reference);
    put_text(b, sc->issued_by);
    put_text(b, sc->issued);
    put_i64(b, (long long)sc->window.from_us);
    put_i64(b, (long long)sc->window.to_us);
    put_text(b, outputs);
    put_text(b, sc->operator_name);
    put_text(b, targets);
    row_done(p, b);
    free(targets);
    free(hex);
    return flush(p, e);
}

int sink_pg_audit_signature(struct sink *s, int64_t seq, const char *hash, const char *sig_hex,
                            const char *pub_hex, struct err *e)
{
    if (!is_pg(s))
        return err_set(e, RC_USAGE, "not a PostgreSQL sink");
    struct pg *p = pg_of(s);
    struct pgbuf *b = &p->buf[PGT_SIG];
    row_begin(p, PGT_SIG, 0, e);
    put_text(b, p->probe);
    put_i64(b, seq);
    put_text(b, hash);
    put_text(b, "ed25519");
    put_text(b, sig_hex);
    put_text(b, pub_hex);
    row_done(p, b);
    return flush(p, e);
}

int sink_pg_audit_counts(struct sink *s, int64_t run_id, int version,
                         struct store_audit_counts *c, struct err *e)
{
    if (!is_pg(s))
        return err_set(e, RC_USAGE, "not a PostgreSQL sink");
    struct pg *p = pg_of(s);
    int rc = flush(p, e);
    if (rc)
        return rc;
    if (p->spool && spool_batches(p->spool) > 0) {
        struct err ignore;
        if (reconnect(p, true))
            drain(p, &ignore);
        if (spool_batches(p->spool) > 0)
            return err_set(e, RC_IO,
                           "postgresql: server unreachable at run end (%llu batches spooled):"
                           " the run's records cannot be counted",
                           (unsigned long long)spool_batches(p->spool));
    }
    return pg_audit_run_counts(p->conninfo, run_id, version, c, e) ? RC_IO : 0;
}

static int op_run_end(struct sink *s, int64_t run_id, uint64_t finished_us, const char *status,
                      struct err *e)
{
    struct pg *p = pg_of(s);
    struct pgbuf *b = &p->buf[PGT_RUN_END];
    row_begin(p, PGT_RUN_END, 0, e);
    put_i64(b, run_id);
    put_i64(b, (long long)finished_us);
    put_text(b, status);
    row_done(p, b);
    return flush(p, e);
}

static void op_close(struct sink *s)
{
    struct pg *p = pg_of(s);
    struct err e = {""};
    flush(p, &e);
    sender_stop(p);
    if (p->spool && spool_batches(p->spool) > 0 && reconnect(p, true))
        drain(p, &e);
    p->st.spool_left = p->spool ? spool_batches(p->spool) : 0;
    if (!p->quiet && p->st.side_failures)
        fprintf(stderr,
                "trapline: postgresql: the side connection did not commit %llu flows parts;"
                " they were sent on the main connection\n",
                (unsigned long long)p->st.side_failures);
    if (!p->quiet && (p->st.rows_spooled || p->st.rows_replayed || p->st.spool_left))
        fprintf(stderr,
                "trapline: postgresql: %llu rows sent in %llu batches; spooled %llu rows"
                " (%llu batches), replayed %llu, dropped %llu, reconnects %llu\n",
                (unsigned long long)p->st.rows_sent, (unsigned long long)p->st.batches_sent,
                (unsigned long long)p->st.rows_spooled,
                (unsigned long long)p->st.batches_spooled,
                (unsigned long long)p->st.rows_replayed, (unsigned long long)p->st.rows_dropped,
                (unsigned long long)p->st.reconnects);
    if (!p->quiet && p->st.spool_left)
        fprintf(stderr,
                "trapline: postgresql: server still unreachable; %llu batches kept in %s are"
                " sent by the next run with the same spool\n",
                (unsigned long long)p->st.spool_left, p->spool_path);
    spool_close(p->spool, true);
    PQfinish(p->side);
    PQfinish(p->conn);
    for (int i = 0; i < PGT_COUNT; i++) {
        free(p->buf[i].p);
        free(p->flight[i].p);
    }
    free(p->conninfo);
    free(p->spool_path);
    free(p);
}

static const struct sink_ops pg_ops = {
    .name = "postgresql",
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

static bool is_pg(struct sink *s) { return s && sink_name(s) == pg_ops.name; }

struct sink_pg_stats sink_pg_stats(struct sink *s)
{
    if (!is_pg(s))
        return (struct sink_pg_stats){0};
    struct pg *p = pg_of(s);
    struct err ignore;
    int rc = wait_idle(p, &ignore);
    if (rc) { /* keep it for the next call that can return it */
        p->async_rc = rc;
        p->async_err = ignore;
    }
    return p->st;
}

struct sink *sink_pg_open(const struct sink_pg_config *cfg, struct err *e)
{
    struct pg *p = calloc(1, sizeof *p);
    if (!p || !(p->conninfo = strdup(cfg->conninfo)) ||
        !(p->spool_path = strdup(cfg->spool_path))) {
        if (p)
            free(p->conninfo);
        free(p);
        err_set(e, RC_NOMEM, "out of memory");
        return NULL;
    }
    p->spool_max = cfg->spool_max_bytes ? cfg->spool_max_bytes : SPOOL_DEFAULT_MAX_BYTES;
    p->quiet = cfg->quiet;
    p->retry_ms = SINK_PG_RETRY_MS;
    p->conn = connect_db(p, "trapline");
    int rc = 0;
    if (!p->conn || PQstatus(p->conn) != CONNECTION_OK)
        rc = pg_util_fail(e, RC_IO, p->conn, "cannot connect");
    if (!rc)
        snprintf(p->target, sizeof p->target, "%s@%s:%s", PQdb(p->conn),
                 PQhost(p->conn) ? PQhost(p->conn) : "", PQport(p->conn) ? PQport(p->conn) : "");
    if (!rc)
        rc = migrate(p, e);
    if (!rc)
        rc = session_setup(p, e);
    /* A spool left by an earlier process goes first, in order. */
    if (!rc && access(p->spool_path, F_OK) == 0) {
        rc = open_spool(p, e);
        if (!rc && spool_batches(p->spool) > 0) {
            uint64_t before = spool_batches(p->spool);
            rc = drain(p, e);
            if (!rc && !p->quiet)
                fprintf(stderr, "trapline: postgresql: replayed %llu spooled batches from %s\n",
                        (unsigned long long)before, p->spool_path);
        }
    }
    /* Without the sender thread every batch is sent synchronously. */
    if (!rc && pthread_mutex_init(&p->mu, NULL) == 0) {
        if (pthread_cond_init(&p->cv, NULL) != 0)
            pthread_mutex_destroy(&p->mu);
        else if (stop_thread_create(&p->sender, "tl-pg-sender", sender_main, p) != 0) {
            pthread_cond_destroy(&p->cv);
            pthread_mutex_destroy(&p->mu);
        } else
            p->sender_up = true;
    }
    struct sink *s = rc ? NULL : sink_new(&pg_ops, p, e);
    if (!s) {
        sender_stop(p);
        spool_close(p->spool, true);
        PQfinish(p->conn);
        free(p->conninfo);
        free(p->spool_path);
        free(p);
    }
    return s;
}
