/* store_audit.c - audit_log, scope_snapshots and audit_signatures rows (see
 * store_audit.h). */
#include "report/store_audit.h"

#include <openssl/evp.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/str.h"
#include "report/sqlx.h"

/* Longest targets text kept in a snapshot row (a line per target). */
#define STORE_AUDIT_TARGETS_MAX (SCOPE_MAX_TARGETS * (SCOPE_VALUE_MAX + 64))

static int sql_fail(struct store *s, struct err *e, const char *what)
{
    return err_set(e, RC_SQL, "database: %s: %s", what, sqlite3_errmsg(store_db(s)));
}

int store_audit_append(struct store *s, struct audit_row *r, struct err *e)
{
    sqlite3 *db = store_db(s);
    sqlite3_stmt *st = NULL;
    if (store_row_begin(s, e))
        return RC_SQL;
    /* The write lock is held (BEGIN IMMEDIATE): the last row cannot change
     * between this read and the insert. */
    if (sqlite3_prepare_v2(db, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", -1,
                           &st, NULL) != SQLITE_OK)
        return sql_fail(s, e, "read audit head");
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        r->seq = sqlite3_column_int64(st, 0) + 1;
        const unsigned char *h = sqlite3_column_text(st, 1);
        str_copy(r->prev_hash, sizeof r->prev_hash, h ? (const char *)h : "");
    } else if (rc == SQLITE_DONE) {
        r->seq = 1;
        str_copy(r->prev_hash, sizeof r->prev_hash, audit_genesis_hash);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sql_fail(s, e, "read audit head");
    if (audit_row_hash(r, r->prev_hash, r->hash))
        return err_set(e, RC_NOMEM, "audit: cannot hash row (detail too long?)");
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO audit_log (seq, ts_utc, operator, action, run_id, detail,"
                           " prev_hash, hash) VALUES (?,?,?,?,?,?,?,?)",
                           -1, &st, NULL) != SQLITE_OK)
        return sql_fail(s, e, "prepare audit row");
    sqlite3_bind_int64(st, 1, r->seq);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)r->ts_utc);
    sqlite3_bind_text(st, 3, r->operator_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, r->action, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, r->run_id);
    sqlite3_bind_text(st, 6, r->detail, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, r->prev_hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, r->hash, -1, SQLITE_STATIC);
    rc = store_row_end(s, st, e, "insert audit row");
    sqlite3_finalize(st);
    return rc ? rc : store_commit(s, e);
}

int store_audit_scope(struct store *s, int64_t run_id, const struct scope *sc, struct err *e)
{
    sqlite3 *db = store_db(s);
    sqlite3_stmt *st = NULL;
    char outputs[96];
    char *targets = malloc(STORE_AUDIT_TARGETS_MAX);
    if (!targets)
        return err_set(e, RC_NOMEM, "out of memory");
    scope_targets_text(sc, targets, STORE_AUDIT_TARGETS_MAX);
    scope_outputs_text(sc->outputs, outputs, sizeof outputs);
    int rc = store_row_begin(s, e);
    if (rc)
        goto out;
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO scope_snapshots (run_id, file, sha256, bytes, liid,"
                           " authority_kind, reference, issued_by, issued, window_from_us,"
                           " window_to_us, outputs, operator, targets)"
                           " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = sql_fail(s, e, "prepare scope snapshot");
        goto out;
    }
    int i = 1;
    sqlite3_bind_int64(st, i++, run_id);
    sqlite3_bind_text(st, i++, sc->file, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, i++, sc->sha256_hex, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, i++, sc->bytes, (int)sc->nbytes, SQLITE_STATIC);
    sqlite3_bind_text(st, i++, sc->liid, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, i++, sc->authority_kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, i++, sc->reference, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, i++, sc->issued_by, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, i++, sc->issued, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, i++, (sqlite3_int64)sc->window.from_us);
    sqlite3_bind_int64(st, i++, (sqlite3_int64)sc->window.to_us);
    sqlite3_bind_text(st, i++, outputs, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, i++, sc->operator_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, i++, targets, -1, SQLITE_STATIC);
    rc = store_row_end(s, st, e, "insert scope snapshot");
    sqlite3_finalize(st);
    st = NULL;
    if (rc)
        goto out;
    if (sqlite3_prepare_v2(db, "UPDATE runs SET basis = 'scope' WHERE id = ?", -1, &st, NULL) !=
        SQLITE_OK) {
        rc = sql_fail(s, e, "prepare run basis");
        goto out;
    }
    sqlite3_bind_int64(st, 1, run_id);
    rc = store_row_end(s, st, e, "update run basis");
    if (!rc)
        rc = store_commit(s, e);
out:
    sqlite3_finalize(st);
    free(targets);
    return rc;
}

int store_audit_signature(struct store *s, int64_t seq, const char *hash, const char *sig_hex,
                          const char *pub_hex, struct err *e)
{
    sqlite3_stmt *st;
    if (store_row_begin(s, e))
        return RC_SQL;
    if (sqlite3_prepare_v2(store_db(s),
                           "INSERT INTO audit_signatures (seq, head_hash, algorithm, signature,"
                           " public_key) VALUES (?,?,'ed25519',?,?)",
                           -1, &st, NULL) != SQLITE_OK)
        return sql_fail(s, e, "prepare signature");
    sqlite3_bind_int64(st, 1, seq);
    sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, sig_hex, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, pub_hex, -1, SQLITE_STATIC);
    int rc = store_row_end(s, st, e, "insert signature");
    sqlite3_finalize(st);
    return rc ? rc : store_commit(s, e);
}

/* Writes v in decimal at the end of buf (which has room for 20 digits and
 * a sign); returns where the digits start. */
static char *fmt_i64(char *end, long long v)
{
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    char *p = end;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    return p;
}

/* The digest's input, gathered into large updates (one EVP call per
 * field cost more than the hashing itself). */
struct dbuf {
    EVP_MD_CTX *md;
    size_t n;
    bool bad;
    unsigned char b[1u << 16];
};

static void dflush(struct dbuf *d)
{
    if (d->n && !EVP_DigestUpdate(d->md, d->b, d->n))
        d->bad = true;
    d->n = 0;
}

static void dput(struct dbuf *d, const void *p, size_t n)
{
    if (n > sizeof d->b - d->n) {
        dflush(d);
        if (n > sizeof d->b) {
            if (!EVP_DigestUpdate(d->md, p, n))
                d->bad = true;
            return;
        }
    }
    memcpy(d->b + d->n, p, n);
    d->n += n;
}

/* Feeds one value, typed and length-prefixed, so that no two different row
 * sets hash alike: 'N' | 'I' int64 ';' | 'F' text-of-real | 'T'/'B' len ':'
 * bytes.  (The bytes of snprintf's "I%lld;" and "%c%d:", formatted by hand:
 * this runs once per stored value at every run end.)  type is a SQLite
 * fundamental type; p/len the text or blob bytes. */
static void put_value(struct dbuf *d, int type, int64_t i, const void *p, size_t len)
{
    char hdr[48];
    char *end = hdr + sizeof hdr;
    if (type == SQLITE_NULL) {
        dput(d, "N", 1);
        return;
    }
    if (type == SQLITE_INTEGER) {
        *--end = ';';
        char *q = fmt_i64(end, (long long)i);
        *--q = 'I';
        dput(d, q, (size_t)(hdr + sizeof hdr - q));
        return;
    }
    *--end = ':';
    char *q = fmt_i64(end, (long long)len);
    *--q = type == SQLITE_BLOB ? 'B' : type == SQLITE_FLOAT ? 'F' : 'T';
    dput(d, q, (size_t)(hdr + sizeof hdr - q));
    if (len > 0) {
        if (p)
            dput(d, p, len);
        else
            d->bad = true; /* out of memory converting the value */
    }
}

/* Columns of an audited table (flows has 38 today), and their names' bytes. */
#define DIGEST_MAX_COLS 128
#define DIGEST_NAMES_MAX 4096

const char *const store_audit_table_names[STORE_AUDIT_TABLES] = {
    "flows", "sms_events", "ott_events", "run_stats", "inputs",
    "subscriber_sessions", "subscriber_teids", "inferred_contacts",
};

/* ORDER BY of each table (a total order of the run's rows). */
static const char *const digest_order[STORE_AUDIT_TABLES] = {
    "id", "id", "flow_id, ts_us, end_ts_us, direction, packets, bytes", "name", "seq",
    "binding_id", "binding_id, teid, control, node",
    "subject_a, subject_b, service, method, window_start_us, window_end_us",
};

/* Columns that version 1 never saw (added by migration 16). */
static bool v1_skips(const char *col)
{
    static const char *const later[] = {"tunnel_node", "tunnel_node_s2c", "src_v6_64",
                                        "dst_v6_64"};
    for (size_t i = 0; i < sizeof later / sizeof later[0]; i++)
        if (strcmp(col, later[i]) == 0)
            return true;
    return false;
}

struct store_audit_digest {
    int version;
    struct dbuf d; /* d.md: the SHA-256 context */
};

/* One value of a row under column col (clen bytes with its NUL): version 2
 * leaves out a value equal to its column's default (NULL, 0, '') and names
 * the column; version 1 hashes the value alone. */
static void feed(struct store_audit_digest *g, const char *col, size_t clen, int type, int64_t i,
                 const void *p, size_t len)
{
    if (g->version >= 2) {
        if (type == SQLITE_NULL || (type == SQLITE_INTEGER && i == 0) ||
            (type == SQLITE_TEXT && len == 0))
            return;
        dput(&g->d, col, clen);
    }
    put_value(&g->d, type, i, p, len);
}

size_t store_audit_digest_tables(int version)
{
    return version >= 2 ? STORE_AUDIT_TABLES : STORE_AUDIT_TABLES_V1;
}

struct store_audit_digest *store_audit_digest_new(int version, struct err *e)
{
    struct store_audit_digest *g = malloc(sizeof *g);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!g || !md || !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
        EVP_MD_CTX_free(md);
        free(g);
        err_set(e, RC_NOMEM, "out of memory");
        return NULL;
    }
    g->version = version;
    g->d.md = md;
    g->d.n = 0;
    g->d.bad = false;
    return g;
}

void store_audit_digest_free(struct store_audit_digest *g)
{
    if (!g)
        return;
    EVP_MD_CTX_free(g->d.md);
    free(g);
}

int store_audit_digest_table(struct store_audit_digest *g, struct store *s, size_t t,
                             int64_t run_id, struct store_audit_counts *out, struct err *e)
{
    sqlite3 *db = store_db(s);
    int version = g->version;
    const char *name = store_audit_table_names[t];
    out->n[t] = 0;
    if (version >= 2 && !sqlx_has_table(db, name, false))
        return 0;
    char sql[192];
    sqlite3_stmt *st;
    snprintf(sql, sizeof sql, "SELECT * FROM %s WHERE run_id = ? ORDER BY %s", name,
             digest_order[t]);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return sql_fail(s, e, name);
    sqlite3_bind_int64(st, 1, run_id);
    uint64_t n = 0;
    store_audit_digest_table_begin(g, t);
    /* the columns, once per table: name (with its NUL) and whether the
     * version leaves it out */
    int ncol = sqlite3_column_count(st);
    if (ncol > DIGEST_MAX_COLS) {
        sqlite3_finalize(st);
        return err_set(e, RC_LIMIT, "audit: table %s has %d columns (limit %d)", name, ncol,
                       DIGEST_MAX_COLS);
    }
    /* The names are copied: SQLite frees the strings sqlite3_column_name
     * returns when it prepares the statement again, which the first step
     * does when another connection changed the schema since the prepare
     * (the run-end index build does, on its own connection). */
    char names[DIGEST_NAMES_MAX];
    size_t used = 0;
    const char *cname[DIGEST_MAX_COLS];
    size_t clen[DIGEST_MAX_COLS];
    bool skip[DIGEST_MAX_COLS];
    for (int k = 0; k < ncol; k++) {
        const char *nm = sqlite3_column_name(st, k);
        size_t l = nm ? strlen(nm) + 1 : 0;
        if (l > sizeof names - used) {
            sqlite3_finalize(st);
            return err_set(e, RC_LIMIT, "audit: table %s: column names longer than %d bytes",
                           name, DIGEST_NAMES_MAX);
        }
        cname[k] = nm ? memcpy(names + used, nm, l) : NULL;
        used += l;
        clen[k] = l;
        skip[k] = !cname[k] || (version < 2 ? v1_skips(cname[k]) : strcmp(cname[k], "wseq") == 0);
    }
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        n++;
        store_audit_digest_row(g);
        for (int k = 0; k < ncol; k++) {
            if (skip[k])
                continue;
            int type = sqlite3_column_type(st, k);
            if (type == SQLITE_NULL || type == SQLITE_INTEGER) {
                feed(g, cname[k], clen[k], type,
                     type == SQLITE_INTEGER ? sqlite3_column_int64(st, k) : 0, NULL, 0);
                continue;
            }
            /* text (and a real as its text) or blob; bytes after the pointer
             * (sqlite3_column_bytes), NULL with bytes > 0 is out of memory */
            const void *v = type == SQLITE_BLOB ? sqlite3_column_blob(st, k)
                                                : (const void *)sqlite3_column_text(st, k);
            int len = sqlite3_column_bytes(st, k);
            feed(g, cname[k], clen[k], type, 0, v, len > 0 ? (size_t)len : 0);
        }
    }
    int rc = step != SQLITE_DONE ? sql_fail(s, e, name) : 0;
    sqlite3_finalize(st);
    out->n[t] = n;
    return rc;
}

int store_audit_digest_end(struct store_audit_digest *g, struct store_audit_counts *out,
                           struct err *e)
{
    unsigned char h[EVP_MAX_MD_SIZE];
    unsigned dl = 0;
    int rc = 0;
    dflush(&g->d);
    if (g->d.bad)
        rc = err_set(e, RC_NOMEM, "digest: out of memory reading a value");
    else if (EVP_DigestFinal_ex(g->d.md, h, &dl) && dl == 32) {
        for (unsigned i = 0; i < 32; i++)
            snprintf(out->digest + 2 * i, 3, "%02x", h[i]);
    } else {
        rc = err_set(e, RC_NOMEM, "digest failed");
    }
    store_audit_digest_free(g);
    return rc;
}

int store_audit_digest_version(const struct store_audit_digest *g) { return g->version; }

const char *store_audit_digest_order(size_t t)
{
    return t < STORE_AUDIT_TABLES ? digest_order[t] : NULL;
}

void store_audit_digest_table_begin(struct store_audit_digest *g, size_t t)
{
    const char *name = store_audit_table_names[t];
    dput(&g->d, name, strlen(name) + 1);
}

void store_audit_digest_row(struct store_audit_digest *g) { dput(&g->d, "R", 1); }

void store_audit_digest_field(struct store_audit_digest *g, const char *col, int type,
                              int64_t i, const void *p, size_t len)
{
    feed(g, col, strlen(col) + 1, type, i, p, len);
}

int store_audit_run_counts(struct store *s, int64_t run_id, int version,
                           struct store_audit_counts *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    struct store_audit_digest *g = store_audit_digest_new(version, e);
    if (!g)
        return RC_NOMEM;
    int rc = 0;
    for (size_t t = 0; !rc && t < store_audit_digest_tables(version); t++)
        rc = store_audit_digest_table(g, s, t, run_id, out, e);
    if (rc) {
        store_audit_digest_free(g);
        return rc;
    }
    return store_audit_digest_end(g, out, e);
}

static void col_text(sqlite3_stmt *st, int k, char *dst, size_t cap)
{
    const unsigned char *v = sqlite3_column_text(st, k);
    str_copy(dst, cap, v ? (const char *)v : "");
}

/* True when audit_log has its probe column (the per-probe migration): a
 * database opened read-only is not migrated, and verify reads older ones. */
static bool has_probe(sqlite3 *db)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info('audit_log') WHERE name = 'probe'",
                           -1, &st, NULL) != SQLITE_OK)
        return false;
    bool yes = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return yes;
}

int store_audit_each(struct store *s, store_audit_row_fn fn, void *user, struct err *e)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(store_db(s),
                           has_probe(store_db(s))
                               ? "SELECT seq, ts_utc, operator, action, run_id, detail, prev_hash,"
                                 " hash, probe FROM audit_log ORDER BY probe, seq"
                               : "SELECT seq, ts_utc, operator, action, run_id, detail, prev_hash,"
                                 " hash, '' FROM audit_log ORDER BY seq",
                           -1, &st, NULL) != SQLITE_OK)
        return sql_fail(s, e, "read audit log");
    struct audit_row *r = malloc(sizeof *r);
    if (!r) {
        sqlite3_finalize(st);
        return err_set(e, RC_NOMEM, "out of memory");
    }
    int rc = 0, step;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        r->seq = sqlite3_column_int64(st, 0);
        r->ts_utc = (uint64_t)sqlite3_column_int64(st, 1);
        col_text(st, 2, r->operator_name, sizeof r->operator_name);
        col_text(st, 3, r->action, sizeof r->action);
        r->run_id = sqlite3_column_int64(st, 4);
        col_text(st, 5, r->detail, sizeof r->detail);
        col_text(st, 6, r->prev_hash, sizeof r->prev_hash);
        col_text(st, 7, r->hash, sizeof r->hash);
        col_text(st, 8, r->probe, sizeof r->probe);
        rc = fn(user, r);
    }
    if (!rc && step != SQLITE_DONE)
        rc = sql_fail(s, e, "read audit log");
    free(r);
    sqlite3_finalize(st);
    return rc;
}

int store_audit_snapshot(struct store *s, int64_t run_id, bool *found,
                         char recorded[AUDIT_HASH_HEX], char actual[AUDIT_HASH_HEX],
                         struct err *e)
{
    sqlite3_stmt *st;
    *found = false;
    if (sqlite3_prepare_v2(store_db(s),
                           "SELECT sha256, bytes FROM scope_snapshots WHERE run_id = ?", -1, &st,
                           NULL) != SQLITE_OK)
        return sql_fail(s, e, "read scope snapshot");
    sqlite3_bind_int64(st, 1, run_id);
    int rc = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *found = true;
        col_text(st, 0, recorded, AUDIT_HASH_HEX);
        const void *b = sqlite3_column_blob(st, 1);
        int n = sqlite3_column_bytes(st, 1);
        if (audit_sha256_buf(b ? b : "", (size_t)n, actual))
            rc = err_set(e, RC_NOMEM, "digest failed");
    }
    sqlite3_finalize(st);
    return rc;
}

int store_audit_latest_signature(struct store *s, bool *found, int64_t *seq,
                                 char hash[AUDIT_HASH_HEX], char sig[AUDIT_SIG_HEX],
                                 struct err *e)
{
    sqlite3_stmt *st;
    *found = false;
    if (sqlite3_prepare_v2(store_db(s),
                           "SELECT seq, head_hash, signature FROM audit_signatures"
                           " ORDER BY id DESC LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return sql_fail(s, e, "read signatures");
    if (sqlite3_step(st) == SQLITE_ROW) {
        *found = true;
        *seq = sqlite3_column_int64(st, 0);
        col_text(st, 1, hash, AUDIT_HASH_HEX);
        col_text(st, 2, sig, AUDIT_SIG_HEX);
    }
    sqlite3_finalize(st);
    return 0;
}

bool store_audit_triggers_present(struct store *s)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(store_db(s),
                           "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN"
                           " ('audit_log_no_update','audit_log_no_delete',"
                           "  'scope_snapshots_no_update','scope_snapshots_no_delete')",
                           -1, &st, NULL) != SQLITE_OK)
        return false;
    bool ok = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 4;
    sqlite3_finalize(st);
    return ok;
}
