/* pg_mirror.c - PostgreSQL rows into an in-memory SQLite store (see
 * pg_mirror.h).  COPY text format: tab-separated, \N = NULL, backslash
 * escapes (https://www.postgresql.org/docs/15/sql-copy.html). */
#include "report/pg_mirror.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/schema.h"
#include "report/store_audit.h"
#include "report/pg_util.h"

/* Tables and columns handled per table (a schema has far fewer). */
#define MIRROR_MAX_TABLES 64
#define MIRROR_MAX_COLS 64
#define MIRROR_SQL_MAX 8192
/* " IN (id, ...)" of a --run list (scope.h allows 256 runs). */
#define MIRROR_WHERE_MAX (256 * 24)

/* Decodes one COPY text field in place (s..end); returns false for \N. */
static bool unescape(char *s, size_t *len)
{
    if (*len == 2 && s[0] == '\\' && s[1] == 'N')
        return false;
    size_t o = 0;
    for (size_t i = 0; i < *len; i++) {
        char c = s[i];
        if (c == '\\' && i + 1 < *len) {
            char d = s[++i];
            c = d == 't' ? '\t' : d == 'n' ? '\n' : d == 'r' ? '\r' : d == 'b' ? '\b'
              : d == 'f' ? '\f' : d == 'v' ? '\v' : d;
        }
        s[o++] = c;
    }
    *len = o;
    return true;
}

static int hexdig(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 0;
}

/* Decodes n hex characters at s into bytes at s; returns n / 2. */
static size_t unhex_inplace(char *s, size_t n)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        s[i / 2] = (char)(hexdig(s[i]) << 4 | hexdig(s[i + 1]));
    return n / 2;
}

/* Splits one COPY text row (line, len bytes, its newline removed) at its
 * tabs and decodes each field in place: fs[i], fl[i] and null[i] for the
 * first max fields; returns how many fields the row has (at most max). */
static size_t split_row(char *line, size_t len, char **fs, size_t *fl, bool *null, size_t max)
{
    size_t nf = 0;
    char *f = line;
    for (;;) {
        char *tab = memchr(f, '\t', (size_t)(line + len - f));
        size_t l = tab ? (size_t)(tab - f) : (size_t)(line + len - f);
        if (nf < max) {
            null[nf] = !unescape(f, &l);
            fs[nf] = f;
            fl[nf] = l;
            nf++;
        }
        if (!tab)
            return nf;
        f = tab + 1;
    }
}

/* The next row of a COPY ... TO STDOUT (owned: PQfreemem), its newline
 * removed, or NULL at the end; *len is PQgetCopyData's value. */
static char *copy_row(PGconn *pg, int *len)
{
    char *line;
    *len = PQgetCopyData(pg, &line, 0);
    if (*len <= 0)
        return NULL;
    if (line[*len - 1] == '\n')
        line[--*len] = '\0';
    return line;
}

/* Ends a COPY ... TO STDOUT of table t: rows a caller stopped reading
 * (after its own error rc) are read to the end, since libpq keeps the
 * connection in COPY state until they are; then the command's result.
 * Returns rc, or the COPY's own error. */
static int copy_end(PGconn *pg, int len, int rc, const char *t, struct err *e)
{
    char *line;
    while (len > 0 && (len = PQgetCopyData(pg, &line, 0)) > 0)
        PQfreemem(line);
    if (!rc && len == -2)
        rc = pg_util_fail(e, RC_SQL, pg, t);
    PGresult *r;
    while ((r = PQgetResult(pg))) {
        if (!rc && PQresultStatus(r) != PGRES_COMMAND_OK)
            rc = pg_util_fail(e, RC_SQL, pg, t);
        PQclear(r);
    }
    return rc;
}

struct col {
    char name[64];
    bool integer;
    bool blob; /* BYTEA on the server: COPY text gives it as "\x" and hex */
};

/* The server's columns of table t (one per row), or NULL with e set. */
static PGresult *server_columns(PGconn *pg, const char *t, struct err *e)
{
    const char *pv[] = {t};
    PGresult *r = PQexecParams(pg,
                               "SELECT column_name, is_nullable FROM information_schema.columns"
                               " WHERE table_schema = current_schema() AND table_name = $1",
                               1, NULL, pv, NULL, NULL, 0);
    if (PQresultStatus(r) == PGRES_TUPLES_OK)
        return r;
    PQclear(r);
    pg_util_fail(e, RC_SQL, pg, "read columns");
    return NULL;
}

/* The server_columns row of column name, or -1. */
static int column_row(const PGresult *r, const char *name)
{
    for (int i = 0; i < PQntuples(r); i++)
        if (strcmp(PQgetvalue(r, i, 0), name) == 0)
            return i;
    return -1;
}

static bool has_column(const PGresult *r, const char *name) { return column_row(r, name) >= 0; }

/* True when the server's column is declared NOT NULL. */
static bool not_null(const PGresult *r, const char *name)
{
    int i = column_row(r, name);
    return i >= 0 && strcmp(PQgetvalue(r, i, 1), "NO") == 0;
}

/* Columns of SQLite table t (in schema order) that the server's table has
 * too; sms_events.id is left to SQLite (see pg_mirror.h). */
static int columns(sqlite3 *db, PGconn *pg, const char *t, struct col *c, size_t *n,
                   struct err *e)
{
    sqlite3_stmt *st;
    *n = 0;
    if (sqlite3_prepare_v2(db, "SELECT name, type FROM pragma_table_info(?) ORDER BY cid", -1,
                           &st, NULL) != SQLITE_OK)
        return err_set(e, RC_SQL, "mirror: %s", sqlite3_errmsg(db));
    sqlite3_bind_text(st, 1, t, -1, SQLITE_STATIC);
    PGresult *r = server_columns(pg, t, e);
    if (!r) {
        sqlite3_finalize(st);
        return RC_SQL;
    }
    while (sqlite3_step(st) == SQLITE_ROW && *n < MIRROR_MAX_COLS) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        const char *type = (const char *)sqlite3_column_text(st, 1);
        if (!name || (strcmp(t, "sms_events") == 0 && strcmp(name, "id") == 0))
            continue;
        if (!has_column(r, name))
            continue;
        snprintf(c[*n].name, sizeof c[*n].name, "%s", name);
        c[*n].integer = type && strstr(type, "INT") != NULL;
        c[*n].blob = type && strcmp(type, "BLOB") == 0;
        (*n)++;
    }
    sqlite3_finalize(st);
    PQclear(r);
    return 0;
}

/* The copy order of table t: a record's natural key, so the mirror's
 * rowids follow the SQLite store's insertion order. */
static const char *order_of(const char *t)
{
    static const struct {
        const char *t, *o;
    } k[] = {
        {"runs", "id"},
        {"inputs", "run_id, seq"},
        {"flows", "run_id, wseq, id"},
        {"sms_events", "run_id, id"},
        {"ott_events", "run_id, wseq, flow_id, ts_us"},
        {"run_stats", "run_id, name"},
        {"capture_stats", "run_id, ts_utc"},
        {"subscriber_sessions", "run_id, binding_id"},
        {"subscriber_teids", "run_id, binding_id, teid, control, node"},
        {"scope_snapshots", "run_id"},
        {"audit_log", "probe, seq"},   /* one chain per probe (pg_audit.h) */
        {"audit_signatures", "id"},
    };
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        if (strcmp(k[i].t, t) == 0)
            return k[i].o;
    return NULL;
}

static int copy_table(sqlite3 *db, PGconn *pg, const char *t, const char *where,
                      struct err *e)
{
    struct col c[MIRROR_MAX_COLS];
    size_t n;
    int rc = columns(db, pg, t, c, &n, e);
    if (rc || n == 0)
        return rc;
    char sel[MIRROR_SQL_MAX], ins[MIRROR_SQL_MAX];
    size_t ks = 0, ki = 0;
    ks += (size_t)snprintf(sel + ks, sizeof sel - ks, "COPY (SELECT ");
    ki += (size_t)snprintf(ins + ki, sizeof ins - ki, "INSERT INTO \"%s\" (", t);
    bool has_run = false;
    for (size_t i = 0; i < n && ks < sizeof sel && ki < sizeof ins; i++) {
        ks += (size_t)snprintf(sel + ks, sizeof sel - ks, "%s\"%s\"", i ? ", " : "", c[i].name);
        ki += (size_t)snprintf(ins + ki, sizeof ins - ki, "%s\"%s\"", i ? ", " : "", c[i].name);
        has_run |= strcmp(c[i].name, "run_id") == 0;
    }
    const char *ord = order_of(t);
    bool is_runs = strcmp(t, "runs") == 0;
    if (ks < sizeof sel)
        ks += (size_t)snprintf(sel + ks, sizeof sel - ks, " FROM \"%s\"%s%s%s ORDER BY %s) TO STDOUT",
                               t, *where && (has_run || is_runs) ? " WHERE " : "",
                               *where && (has_run || is_runs) ? (is_runs ? "id" : "run_id") : "",
                               *where && (has_run || is_runs) ? where : "",
                               ord ? ord : "1");
    if (ord == NULL && ks < sizeof sel) { /* unknown table: every column orders */
        ks -= strlen(") TO STDOUT");
        for (size_t i = 1; i < n && ks < sizeof sel; i++)
            ks += (size_t)snprintf(sel + ks, sizeof sel - ks, ", %zu", i + 1);
        if (ks < sizeof sel)
            ks += (size_t)snprintf(sel + ks, sizeof sel - ks, ") TO STDOUT");
    }
    if (ki < sizeof ins)
        ki += (size_t)snprintf(ins + ki, sizeof ins - ki, ") VALUES (");
    for (size_t i = 0; i < n && ki < sizeof ins; i++)
        ki += (size_t)snprintf(ins + ki, sizeof ins - ki, "%s?", i ? "," : "");
    if (ki < sizeof ins)
        ki += (size_t)snprintf(ins + ki, sizeof ins - ki, ")");
    if (ks >= sizeof sel || ki >= sizeof ins)
        return err_set(e, RC_LIMIT, "mirror: table %s: statement too long", t);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, ins, -1, &st, NULL) != SQLITE_OK)
        return err_set(e, RC_SQL, "mirror: %s: %s", t, sqlite3_errmsg(db));
    PGresult *r = PQexec(pg, sel);
    if (PQresultStatus(r) != PGRES_COPY_OUT) {
        PQclear(r);
        sqlite3_finalize(st);
        return pg_util_fail(e, RC_SQL, pg, t);
    }
    PQclear(r);
    char *line, *fs[MIRROR_MAX_COLS];
    size_t fl[MIRROR_MAX_COLS];
    bool null[MIRROR_MAX_COLS];
    int len;
    while (!rc && (line = copy_row(pg, &len))) {
        size_t nf = split_row(line, (size_t)len, fs, fl, null, n);
        for (size_t i = 0; i < nf; i++) { /* fields a row lacks stay NULL */
            char *f = fs[i];
            if (null[i])
                sqlite3_bind_null(st, (int)i + 1);
            else if (c[i].integer) {
                f[fl[i]] = '\0';
                sqlite3_bind_int64(st, (int)i + 1, strtoll(f, NULL, 10));
            } else if (c[i].blob && fl[i] >= 2 && f[0] == '\\' && f[1] == 'x' && fl[i] % 2 == 0) {
                size_t nb = unhex_inplace(f + 2, fl[i] - 2);
                sqlite3_bind_blob(st, (int)i + 1, f + 2, (int)nb, SQLITE_STATIC);
            } else /* line outlives the step below: no copy */
                sqlite3_bind_text(st, (int)i + 1, f, (int)fl[i], SQLITE_STATIC);
        }
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = err_set(e, RC_SQL, "mirror: %s: %s", t, sqlite3_errmsg(db));
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        PQfreemem(line);
    }
    rc = copy_end(pg, len, rc, t, e);
    sqlite3_finalize(st);
    return rc;
}

/* Drops every secondary index of the mirror and its foreign keys (a copy
 * that is read once per table needs neither). */
static int bare(sqlite3 *db, struct err *e)
{
    char names[256][64];
    size_t n = 0;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'index'"
                               " AND sql IS NOT NULL", -1, &st, NULL) != SQLITE_OK)
        return err_set(e, RC_SQL, "mirror: %s", sqlite3_errmsg(db));
    while (sqlite3_step(st) == SQLITE_ROW && n < sizeof names / sizeof names[0])
        snprintf(names[n++], sizeof names[0], "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    char sql[128];
    for (size_t i = 0; i < n; i++) {
        snprintf(sql, sizeof sql, "DROP INDEX \"%.64s\"", names[i]);
        if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
            return err_set(e, RC_SQL, "mirror: %s", sqlite3_errmsg(db));
    }
    return sqlite3_exec(db, "PRAGMA foreign_keys=OFF", NULL, NULL, NULL) == SQLITE_OK
               ? 0 : err_set(e, RC_SQL, "mirror: %s", sqlite3_errmsg(db));
}

struct pg_mirror_src {
    PGconn *pg;
    char where[MIRROR_WHERE_MAX]; /* " IN (runs)" or "" */
    struct store *schema;         /* an empty store: SQLite's columns (digest) */
};

void pg_mirror_src_close(struct pg_mirror_src *m)
{
    if (!m)
        return;
    PQfinish(m->pg);
    store_close(m->schema);
    free(m);
}

struct pg_mirror_src *pg_mirror_src_open(const char *conninfo, const int64_t *runs, size_t n,
                                         struct err *e)
{
    struct pg_mirror_src *m = calloc(1, sizeof *m);
    if (!m) {
        err_set(e, RC_NOMEM, "out of memory");
        return NULL;
    }
    const char *const keys[] = {"application_name", "connect_timeout", "dbname", NULL};
    const char *const vals[] = {"trapline-report", "5", conninfo, NULL};
    PGconn *pg = m->pg = PQconnectdbParams(keys, vals, 1);
    if (!pg || PQstatus(pg) != CONNECTION_OK) {
        pg_util_fail(e, RC_IO, pg, "cannot connect");
        goto fail;
    }
    PQsetNoticeProcessor(pg, pg_util_silent, NULL);
    PGresult *r = PQexec(pg, "SELECT COALESCE(MAX(version), 0) FROM trapline_schema");
    long v = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1
                 ? strtol(PQgetvalue(r, 0, 0), NULL, 10) : -1;
    PQclear(r);
    if (v <= 0) {
        err_set(e, RC_SQL, "postgresql: not a trapline database (no schema)");
        goto fail;
    }
    if ((size_t)v > schema_count()) {
        err_set(e, RC_SQL, "postgresql: schema version %ld is newer than this build (%zu)", v,
                schema_count());
        goto fail;
    }
    /* One snapshot for every table: a run writing meanwhile is seen at one
     * point in time. */
    r = PQexec(pg, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    PQclear(r);
    /* Every query here reads whole runs in key order.  Right after a run's
     * bulk load (the run-end digest) the planner's statistics still say the
     * partition is nearly empty and it sorted 200 k flows on disk instead of
     * reading the primary key in order (bench: 176 -> 80 ms for flows); a
     * sort is still used where no index gives the order. */
    r = PQexec(pg, "SET LOCAL enable_sort = off");
    PQclear(r);
    size_t k = 0;
    for (size_t i = 0; i < n && k < sizeof m->where; i++)
        k += (size_t)snprintf(m->where + k, sizeof m->where - k, "%s%lld", i ? ", " : " IN (",
                              (long long)runs[i]);
    if (n && k < sizeof m->where)
        snprintf(m->where + k, sizeof m->where - k, ")");
    return m;
fail:
    pg_mirror_src_close(m);
    return NULL;
}

int pg_mirror_src_copy(struct pg_mirror_src *m, struct store *dst, const char *table,
                       struct err *e)
{
    sqlite3 *db = store_db(dst);
    if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return err_set(e, RC_SQL, "mirror: %s", sqlite3_errmsg(db));
    int rc = copy_table(db, m->pg, table, m->where, e);
    if (!rc && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = err_set(e, RC_SQL, "mirror: %s", sqlite3_errmsg(db));
    if (rc)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

struct store *pg_mirror_bare_store(struct err *e)
{
    struct store *s = store_open(":memory:", false, e);
    if (s && bare(store_db(s), e)) {
        store_close(s);
        s = NULL;
    }
    return s;
}

struct store *pg_mirror_open(const char *conninfo, const int64_t *runs, size_t n,
                             struct err *e)
{
    struct pg_mirror_src *m = pg_mirror_src_open(conninfo, runs, n, e);
    if (!m)
        return NULL;
    struct store *s = store_open(":memory:", false, e);
    if (!s) {
        pg_mirror_src_close(m);
        return NULL;
    }
    sqlite3 *db = store_db(s);
    sqlite3_stmt *st;
    char names[MIRROR_MAX_TABLES][64];
    size_t nt = 0;
    if (sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table'"
                               " ORDER BY name <> 'runs', name", -1, &st, NULL) == SQLITE_OK) {
        while (sqlite3_step(st) == SQLITE_ROW && nt < MIRROR_MAX_TABLES)
            snprintf(names[nt++], sizeof names[0], "%s", sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    int rc = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK ? 0 : RC_SQL;
    for (size_t i = 0; i < nt && !rc; i++)
        rc = copy_table(db, m->pg, names[i], m->where, e);
    if (!rc && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = err_set(e, RC_SQL, "mirror: %s", sqlite3_errmsg(db));
    pg_mirror_src_close(m);
    if (rc) {
        store_close(s);
        s = NULL;
    }
    return s;
}

/* ---------------------------------------------------------------- digest */

/* Where a digested column's value comes from. */
enum dsrc { DS_SERVER, DS_ROWNUM, DS_DEFAULT };

struct dcol {
    char name[64];
    bool integer;     /* INTEGER affinity, else TEXT */
    enum dsrc src;
    int field;        /* DS_SERVER: index in the COPY row */
    int dtype;        /* DS_DEFAULT: SQLITE_NULL / SQLITE_INTEGER / SQLITE_TEXT */
    int64_t dint;
    char dtext[64];
};

/* The value SQLite gives a column default (dflt_value of table_info):
 * NULL, an integer literal or a quoted string; false for anything else. */
static bool parse_default(const char *v, struct dcol *c)
{
    if (!v) {
        c->dtype = SQLITE_NULL;
        return true;
    }
    size_t n = strlen(v);
    if (n >= 2 && v[0] == '\'' && v[n - 1] == '\'') {
        size_t o = 0;
        for (size_t i = 1; i + 1 < n && o + 1 < sizeof c->dtext; i++) {
            if (v[i] == '\'' && v[i + 1] == '\'')
                i++;
            c->dtext[o++] = v[i];
        }
        c->dtext[o] = '\0';
        c->dtype = SQLITE_TEXT;
        return o + 1 < sizeof c->dtext;
    }
    char *end;
    long long x = strtoll(v, &end, 10);
    if (end == v || *end)
        return false;
    c->dtype = SQLITE_INTEGER;
    c->dint = x;
    return true;
}

/* The affinity of a declared type (https://www.sqlite.org/datatype3.html
 * section 3.1): 1 INTEGER, 0 TEXT, -1 anything else. */
static int affinity(const char *type)
{
    char u[64];
    size_t i = 0;
    for (; type && type[i] && i + 1 < sizeof u; i++)
        u[i] = (char)(type[i] >= 'a' && type[i] <= 'z' ? type[i] - 32 : type[i]);
    u[i] = '\0';
    if (strstr(u, "INT"))
        return 1;
    if (strstr(u, "CHAR") || strstr(u, "CLOB") || strstr(u, "TEXT"))
        return 0;
    return -1;
}

/* Plans table t: its SQLite columns (SELECT * order) and where each value
 * comes from, and the COPY statement.  1 when a column cannot be given
 * exactly as the mirror would hold it (another affinity, a default that is
 * an expression, an order key the server lacks). */
static int plan(struct pg_mirror_src *m, const char *t, const char *order, int64_t run_id,
                struct dcol *c, size_t *n, char *sql, size_t cap, struct err *e)
{
    if (!m->schema && !(m->schema = store_open(":memory:", false, e)))
        return RC_NOMEM;
    sqlite3 *db = store_db(m->schema);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT name, type, dflt_value FROM pragma_table_info(?)"
                               " ORDER BY cid", -1, &st, NULL) != SQLITE_OK)
        return err_set(e, RC_SQL, "mirror: %s", sqlite3_errmsg(db));
    sqlite3_bind_text(st, 1, t, -1, SQLITE_STATIC);
    PGresult *r = server_columns(m->pg, t, e);
    if (!r) {
        sqlite3_finalize(st);
        return RC_SQL;
    }
    int rc = 0, nfield = 0;
    bool on_server_any = PQntuples(r) > 0;
    size_t k = (size_t)snprintf(sql, cap, "COPY (SELECT ");
    *n = 0;
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        if (*n == MIRROR_MAX_COLS) {
            rc = 1;
            break;
        }
        struct dcol *d = &c[(*n)++];
        memset(d, 0, sizeof *d);
        const char *name = (const char *)sqlite3_column_text(st, 0);
        snprintf(d->name, sizeof d->name, "%s", name ? name : "");
        int aff = affinity((const char *)sqlite3_column_text(st, 1));
        if (!name || aff < 0) {
            rc = 1;
            break;
        }
        d->integer = aff == 1;
        bool on_server = has_column(r, name);
        if (strcmp(t, "sms_events") == 0 && strcmp(name, "id") == 0) {
            d->src = DS_ROWNUM; /* the mirror numbers them again (pg_mirror.h) */
        } else if (on_server) {
            d->src = DS_SERVER;
            d->field = nfield++;
            k += (size_t)snprintf(sql + k, k < cap ? cap - k : 0, "%s\"%s\"", d->field ? ", " : "",
                                  name);
        } else {
            d->src = DS_DEFAULT;
            if (!parse_default((const char *)sqlite3_column_text(st, 2), d))
                rc = 1;
        }
    }
    sqlite3_finalize(st);
    if (!rc && on_server_any && nfield == 0)
        rc = 1;
    /* ORDER BY: the digest's keys, compared as SQLite compares them
     * (BINARY text: COLLATE "C"; NULLs first).  "NULLS FIRST" only where the
     * server's column can be NULL: it orders nothing on a NOT NULL column,
     * but it keeps the planner from reading the key's index in order (the
     * primary key (run_id, id) of flows), which cost a sort of every row. */
    if (!rc && on_server_any) {
        k += (size_t)snprintf(sql + k, k < cap ? cap - k : 0,
                              " FROM \"%s\" WHERE run_id = %lld ORDER BY ", t, (long long)run_id);
        char keys[256];
        snprintf(keys, sizeof keys, "%s", order);
        char *save = NULL;
        bool firstk = true;
        for (char *key = strtok_r(keys, ", ", &save); key && !rc;
             key = strtok_r(NULL, ", ", &save)) {
            const struct dcol *d = NULL;
            for (size_t i = 0; i < *n && !d; i++)
                if (strcmp(c[i].name, key) == 0)
                    d = &c[i];
            bool rownum = d && d->src == DS_ROWNUM; /* in the server's id order */
            if (!d || (d->src != DS_SERVER && !rownum)) {
                rc = 1;
                break;
            }
            k += (size_t)snprintf(sql + k, k < cap ? cap - k : 0, "%s\"%s\"%s%s",
                                  firstk ? "" : ", ", key, d->integer ? "" : " COLLATE \"C\"",
                                  not_null(r, key) ? "" : " NULLS FIRST");
            firstk = false;
        }
        k += (size_t)snprintf(sql + k, k < cap ? cap - k : 0, ") TO STDOUT");
        if (k >= cap)
            rc = err_set(e, RC_LIMIT, "mirror: table %s: statement too long", t);
    }
    if (!rc && !on_server_any)
        sql[0] = '\0'; /* no such table on the server: no rows */
    PQclear(r);
    return rc;
}

int pg_mirror_src_digest(struct pg_mirror_src *m, struct store_audit_digest *g, size_t t,
                         int64_t run_id, uint64_t *rows, struct err *e)
{
    *rows = 0;
    if (store_audit_digest_version(g) < 2)
        return 1;
    const char *name = store_audit_table_names[t];
    struct dcol c[MIRROR_MAX_COLS];
    size_t n = 0;
    char sql[MIRROR_SQL_MAX];
    int rc = plan(m, name, store_audit_digest_order(t), run_id, c, &n, sql, sizeof sql, e);
    if (rc)
        return rc;
    store_audit_digest_table_begin(g, t);
    if (!sql[0])
        return 0;
    PGresult *r = PQexec(m->pg, sql);
    if (PQresultStatus(r) != PGRES_COPY_OUT) {
        PQclear(r);
        return pg_util_fail(e, RC_SQL, m->pg, name);
    }
    PQclear(r);
    char *line, *fs[MIRROR_MAX_COLS];
    size_t fl[MIRROR_MAX_COLS];
    bool fnull[MIRROR_MAX_COLS];
    int len;
    while ((line = copy_row(m->pg, &len))) {
        size_t nf = split_row(line, (size_t)len, fs, fl, fnull, MIRROR_MAX_COLS);
        (*rows)++;
        store_audit_digest_row(g);
        for (size_t i = 0; i < n; i++) {
            const struct dcol *d = &c[i];
            if (d->src == DS_ROWNUM) {
                store_audit_digest_field(g, d->name, SQLITE_INTEGER, (int64_t)*rows, NULL, 0);
            } else if (d->src == DS_DEFAULT) {
                store_audit_digest_field(g, d->name, d->dtype, d->dint, d->dtext,
                                         d->dtype == SQLITE_TEXT ? strlen(d->dtext) : 0);
            } else if ((size_t)d->field >= nf || fnull[d->field]) {
                store_audit_digest_field(g, d->name, SQLITE_NULL, 0, NULL, 0);
            } else if (d->integer) {
                char *v = fs[d->field];
                v[fl[d->field]] = '\0';
                store_audit_digest_field(g, d->name, SQLITE_INTEGER, strtoll(v, NULL, 10), NULL, 0);
            } else {
                store_audit_digest_field(g, d->name, SQLITE_TEXT, 0, fs[d->field], fl[d->field]);
            }
        }
        PQfreemem(line);
    }
    return copy_end(m->pg, len, 0, name, e);
}
