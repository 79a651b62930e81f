/* pg_audit.c - per-probe audit chains on PostgreSQL (see pg_audit.h).
 * Advisory locks: https://www.postgresql.org/docs/15/functions-admin.html
 * ("Advisory Lock Functions"; session-level locks end with the session). */
#include "report/pg_audit.h"

#include <inttypes.h>
#include <stdbool.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/str.h"
#include "report/pg_mirror.h"
#include "report/schema.h"
#include "report/pg_util.h"

struct pg_audit {
    PGconn *conn;
    char *conninfo;
};

static PGconn *connect_to(const char *conninfo, struct err *e)
{
    const char *const keys[] = {"application_name", "connect_timeout", "dbname", NULL};
    const char *const vals[] = {"trapline-audit", "5", conninfo, NULL};
    PGconn *c = PQconnectdbParams(keys, vals, 1);
    if (!c || PQstatus(c) != CONNECTION_OK) {
        pg_util_fail(e, RC_IO, c, "cannot connect");
        PQfinish(c);
        return NULL;
    }
    PQsetNoticeProcessor(c, pg_util_silent, NULL);
    return c;
}

/* Runs sql with params; returns the result when it has status want, else
 * NULL with e set. */
static PGresult *run(PGconn *c, const char *sql, int n, const char *const *v,
                     ExecStatusType want, const char *what, struct err *e)
{
    PGresult *r = PQexecParams(c, sql, n, NULL, v, NULL, NULL, 0);
    if (PQresultStatus(r) != want) {
        pg_util_fail(e, RC_SQL, c, what);
        PQclear(r);
        return NULL;
    }
    return r;
}

int pg_audit_lock(PGconn *conn, const char *probe, struct err *e)
{
    char cls[16];
    snprintf(cls, sizeof cls, "%d", PG_AUDIT_LOCK_CLASS);
    const char *v[] = {cls, probe};
    PGresult *r = run(conn, "SELECT pg_try_advisory_lock($1::int, hashtext($2))", 2, v,
                      PGRES_TUPLES_OK, "lock the audit chain", e);
    if (!r)
        return RC_SQL;
    bool got = PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    PQclear(r);
    if (!got)
        return err_set(e, RC_CONFIG,
                       "postgresql: the audit chain of probe '%s' is held by another running"
                       " trapline (same --probe): one writer per probe chain; give this run"
                       " its own --probe", probe);
    return 0;
}

int pg_audit_head(PGconn *conn, const char *probe, int64_t *seq, char hash[AUDIT_HASH_HEX],
                  struct err *e)
{
    const char *v[] = {probe};
    PGresult *r = run(conn,
                      "SELECT seq, hash FROM audit_log WHERE probe = $1"
                      " ORDER BY seq DESC LIMIT 1",
                      1, v, PGRES_TUPLES_OK, "read the audit chain head", e);
    if (!r)
        return RC_SQL;
    if (PQntuples(r) == 1) {
        *seq = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        str_copy(hash, AUDIT_HASH_HEX, PQgetvalue(r, 0, 1));
    } else {
        *seq = 0;
        memcpy(hash, audit_genesis_hash, AUDIT_HASH_HEX);
    }
    PQclear(r);
    return 0;
}

/* The run-end digest over PostgreSQL, table by table in one snapshot:
 * straight from the COPY stream where pg_mirror_src_digest can give every
 * value exactly as a mirror would hold it, else (version 1, a REAL column)
 * through a mirror of that table.  Either way the digest is the one
 * store_audit_run_counts computes over a mirror of the run. */
int pg_audit_run_counts(const char *conninfo, int64_t run_id, int version,
                        struct store_audit_counts *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    struct pg_mirror_src *m = pg_mirror_src_open(conninfo, &run_id, 1, e);
    if (!m)
        return RC_SQL;
    struct store_audit_digest *g = store_audit_digest_new(version, e);
    int rc = g ? 0 : RC_NOMEM;
    for (size_t t = 0; !rc && t < store_audit_digest_tables(version); t++) {
        rc = pg_mirror_src_digest(m, g, t, run_id, &out->n[t], e);
        if (rc != 1)
            continue;
        struct store *s = pg_mirror_bare_store(e);
        rc = s ? pg_mirror_src_copy(m, s, store_audit_table_names[t], e) : RC_SQL;
        if (!rc)
            rc = store_audit_digest_table(g, s, t, run_id, out, e);
        store_close(s);
    }
    pg_mirror_src_close(m);
    if (rc) {
        store_audit_digest_free(g);
        return rc == RC_IO ? RC_SQL : rc;
    }
    return store_audit_digest_end(g, out, e);
}

/* The server's schema version, or -1 with e set. */
static long schema_version(PGconn *c, struct err *e)
{
    PGresult *r = PQexec(c, "SELECT COALESCE(MAX(version), 0) FROM trapline_schema");
    long v = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1
                 ? strtol(PQgetvalue(r, 0, 0), NULL, 10)
                 : 0;
    PQclear(r);
    /* The per-probe key is asked for by its column, not a version number
     * (migrations are renumbered when branches merge). */
    r = PQexec(c, "SELECT 1 FROM information_schema.columns WHERE table_schema ="
                  " current_schema() AND table_name = 'audit_log' AND column_name = 'probe'");
    bool per_probe = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
    PQclear(r);
    if (v <= 0)
        err_set(e, RC_SQL, "postgresql: not a trapline database (no schema)");
    else if ((size_t)v > schema_count())
        err_set(e, RC_SQL, "postgresql: schema version %ld is newer than this build (%zu)", v,
                schema_count());
    else if (!per_probe)
        err_set(e, RC_SQL,
                "postgresql: schema %ld has no per-probe audit log (a run of this build"
                " migrates it)", v);
    else
        return v;
    return -1;
}

int pg_audit_append(const char *conninfo, const char *probe, struct audit_row *r,
                    struct err *e)
{
    PGconn *c = connect_to(conninfo, e);
    if (!c)
        return RC_IO;
    int rc = schema_version(c, e) < 0 ? RC_SQL : pg_audit_lock(c, probe, e);
    if (!rc)
        rc = pg_audit_head(c, probe, &r->seq, r->prev_hash, e);
    if (!rc) {
        r->seq++;
        str_copy(r->probe, sizeof r->probe, probe);
        if (audit_row_hash(r, r->prev_hash, r->hash))
            rc = err_set(e, RC_NOMEM, "audit: cannot hash row (detail too long?)");
    }
    if (!rc) {
        char seq[24], ts[24], run_id[24];
        snprintf(seq, sizeof seq, "%" PRId64, r->seq);
        snprintf(ts, sizeof ts, "%" PRIu64, r->ts_utc);
        snprintf(run_id, sizeof run_id, "%" PRId64, r->run_id);
        const char *v[] = {probe,  seq,       ts,       r->operator_name, r->action,
                           run_id, r->detail, r->prev_hash, r->hash};
        PGresult *res = run(c,
                            "INSERT INTO audit_log (probe, seq, ts_utc, operator, action, run_id,"
                            " detail, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)",
                            9, v, PGRES_COMMAND_OK, "insert audit row", e);
        rc = res ? 0 : RC_SQL;
        PQclear(res);
    }
    PQfinish(c); /* ends the session: the lock goes with it */
    return rc;
}

bool pg_audit_has_rows(const char *conninfo)
{
    struct err e;
    PGconn *c = connect_to(conninfo, &e);
    if (!c)
        return false;
    PGresult *r = PQexec(c, "SELECT 1 FROM audit_log LIMIT 1");
    bool rows = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
    PQclear(r);
    PQfinish(c);
    return rows;
}

struct pg_audit *pg_audit_open(const char *conninfo, struct err *e)
{
    struct pg_audit *pa = calloc(1, sizeof *pa);
    if (!pa || !(pa->conninfo = strdup(conninfo))) {
        free(pa);
        err_set(e, RC_NOMEM, "out of memory");
        return NULL;
    }
    pa->conn = connect_to(conninfo, e);
    if (!pa->conn || schema_version(pa->conn, e) < 0) {
        pg_audit_close(pa);
        return NULL;
    }
    return pa;
}

void pg_audit_close(struct pg_audit *pa)
{
    if (!pa)
        return;
    PQfinish(pa->conn);
    free(pa->conninfo);
    free(pa);
}

int pg_audit_chains(struct pg_audit *pa, int64_t *n, struct err *e)
{
    PGresult *r = run(pa->conn, "SELECT count(DISTINCT probe) FROM audit_log", 0, NULL,
                      PGRES_TUPLES_OK, "read the audit log", e);
    if (!r)
        return RC_SQL;
    *n = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return 0;
}

int pg_audit_each(struct pg_audit *pa, store_audit_row_fn fn, void *user, struct err *e)
{
    /* COLLATE "C": the same bytewise order as SQLite's */
    PGresult *res = run(pa->conn,
                        "SELECT seq, ts_utc, operator, action, run_id, detail, prev_hash, hash,"
                        " probe FROM audit_log ORDER BY probe COLLATE \"C\", seq",
                        0, NULL, PGRES_TUPLES_OK, "read the audit log", e);
    if (!res)
        return RC_SQL;
    struct audit_row *r = malloc(sizeof *r);
    int rc = r ? 0 : err_set(e, RC_NOMEM, "out of memory");
    for (int i = 0; !rc && i < PQntuples(res); i++) {
        r->seq = strtoll(PQgetvalue(res, i, 0), NULL, 10);
        r->ts_utc = strtoull(PQgetvalue(res, i, 1), NULL, 10);
        str_copy(r->operator_name, sizeof r->operator_name, PQgetvalue(res, i, 2));
        str_copy(r->action, sizeof r->action, PQgetvalue(res, i, 3));
        r->run_id = strtoll(PQgetvalue(res, i, 4), NULL, 10);
        str_copy(r->detail, sizeof r->detail, PQgetvalue(res, i, 5));
        str_copy(r->prev_hash, sizeof r->prev_hash, PQgetvalue(res, i, 6));
        str_copy(r->hash, sizeof r->hash, PQgetvalue(res, i, 7));
        str_copy(r->probe, sizeof r->probe, PQgetvalue(res, i, 8));
        rc = fn(user, r);
    }
    free(r);
    PQclear(res);
    return rc;
}

int pg_audit_counts(struct pg_audit *pa, int64_t run_id, int version,
                    struct store_audit_counts *out, struct err *e)
{
    return pg_audit_run_counts(pa->conninfo, run_id, version, out, e);
}

int pg_audit_snapshot(struct pg_audit *pa, int64_t run_id, bool *found,
                      char recorded[AUDIT_HASH_HEX], char actual[AUDIT_HASH_HEX],
                      struct err *e)
{
    char id[24];
    snprintf(id, sizeof id, "%" PRId64, run_id);
    const char *v[] = {id};
    /* sha256(bytea) is the server's (PostgreSQL 11+): the stored bytes
     * never cross as text */
    PGresult *r = run(pa->conn,
                      "SELECT sha256, encode(sha256(bytes), 'hex') FROM scope_snapshots"
                      " WHERE run_id = $1",
                      1, v, PGRES_TUPLES_OK, "read scope snapshot", e);
    if (!r)
        return RC_SQL;
    *found = PQntuples(r) == 1;
    if (*found) {
        str_copy(recorded, AUDIT_HASH_HEX, PQgetvalue(r, 0, 0));
        str_copy(actual, AUDIT_HASH_HEX, PQgetvalue(r, 0, 1));
    }
    PQclear(r);
    return 0;
}

int pg_audit_latest_signature(struct pg_audit *pa, const char *probe, bool *found,
                              int64_t *seq, char hash[AUDIT_HASH_HEX], char sig[AUDIT_SIG_HEX],
                              struct err *e)
{
    const char *v[] = {probe};
    PGresult *r = run(pa->conn,
                      "SELECT seq, head_hash, signature FROM audit_signatures WHERE probe = $1"
                      " ORDER BY id DESC LIMIT 1",
                      1, v, PGRES_TUPLES_OK, "read signatures", e);
    if (!r)
        return RC_SQL;
    *found = PQntuples(r) == 1;
    if (*found) {
        *seq = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        str_copy(hash, AUDIT_HASH_HEX, PQgetvalue(r, 0, 1));
        str_copy(sig, AUDIT_SIG_HEX, PQgetvalue(r, 0, 2));
    }
    PQclear(r);
    return 0;
}

bool pg_audit_triggers_present(struct pg_audit *pa)
{
    /* tgenabled 'D': disabled (ALTER TABLE ... DISABLE TRIGGER) */
    PGresult *r = PQexec(pa->conn,
                         "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal"
                         " AND tgenabled <> 'D' AND (tgrelid, tgname) IN"
                         " (('audit_log'::regclass, 'audit_log_no_update'),"
                         "  ('audit_log'::regclass, 'audit_log_no_delete'),"
                         "  ('scope_snapshots'::regclass, 'scope_snapshots_no_update'),"
                         "  ('scope_snapshots'::regclass, 'scope_snapshots_no_delete'))");
    bool ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
              strcmp(PQgetvalue(r, 0, 0), "4") == 0;
    PQclear(r);
    return ok;
}

int pg_audit_runs(struct pg_audit *pa, pg_audit_run_fn fn, void *user, struct err *e)
{
    PGresult *r = run(pa->conn,
                      "SELECT r.id, r.status,"
                      " EXISTS (SELECT 1 FROM audit_log a WHERE a.run_id = r.id"
                      "         AND a.action = 'run-start'),"
                      " EXISTS (SELECT 1 FROM audit_log a WHERE a.run_id = r.id"
                      "         AND a.action = 'run-end')"
                      " FROM runs r ORDER BY r.id",
                      0, NULL, PGRES_TUPLES_OK, "runs", e);
    if (!r)
        return RC_SQL;
    int rc = 0;
    for (int i = 0; !rc && i < PQntuples(r); i++)
        rc = fn(user, strtoll(PQgetvalue(r, i, 0), NULL, 10), PQgetvalue(r, i, 1),
                strcmp(PQgetvalue(r, i, 2), "t") == 0, strcmp(PQgetvalue(r, i, 3), "t") == 0);
    PQclear(r);
    return rc;
}
