/* store_audit.c - audit_log, scope_snapshots and audit_signatures rows (see
 * store_audit.h). */
#include "report/store_audit.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/stop.h"
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
 * field cost more than the hashing itself).  With md NULL the bytes gather
 * in mem instead: a chunk of rows rendered ahead of the hash (see
 * digest_flows_par). */
struct dbuf {
    EVP_MD_CTX *md;
    uint8_t *mem; /* md NULL: the rendered bytes, mlen of mcap */
    size_t mlen, mcap;
    size_t n;
    bool bad;
    unsigned char b[1u << 16];
};

static void dsend(struct dbuf *d, const void *p, size_t n)
{
    if (d->md) {
        if (!EVP_DigestUpdate(d->md, p, n))
            d->bad = true;
        return;
    }
    if (n > d->mcap - d->mlen) {
        size_t cap = d->mcap ? d->mcap : 1u << 16;
        while (cap - d->mlen < n && cap <= SIZE_MAX / 2)
            cap *= 2;
        uint8_t *m = cap - d->mlen >= n ? realloc(d->mem, cap) : NULL;
        if (!m) {
            d->bad = true;
            return;
        }
        d->mem = m;
        d->mcap = cap;
    }
    memcpy(d->mem + d->mlen, p, n);
    d->mlen += n;
}

static void dflush(struct dbuf *d)
{
    if (d->n)
        dsend(d, d->b, d->n);
    d->n = 0;
}

static void dput(struct dbuf *d, const void *p, size_t n)
{
    if (n > sizeof d->b - d->n) {
        dflush(d);
        if (n > sizeof d->b) {
            dsend(d, p, n);
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
/* Room for a value header: tag, sign, 20 digits, terminator. */
#define VALUE_HDR_MAX 24

/* Writes tag, v in decimal and term so that they end at end; returns where
 * they start (at most VALUE_HDR_MAX bytes before end). */
static char *value_header(char *end, char tag, long long v, char term)
{
    *--end = term;
    char *q = fmt_i64(end, v);
    *--q = tag;
    return q;
}

static void put_value(struct dbuf *d, int type, int64_t i, const void *p, size_t len)
{
    char hdr[VALUE_HDR_MAX];
    char *end = hdr + sizeof hdr;
    if (type == SQLITE_NULL) {
        dput(d, "N", 1);
        return;
    }
    char *q = type == SQLITE_INTEGER
                  ? value_header(end, 'I', (long long)i, ';')
                  : value_header(end, type == SQLITE_BLOB ? 'B' : type == SQLITE_FLOAT ? 'F' : 'T',
                                 (long long)len, ':');
    dput(d, q, (size_t)(end - q));
    if (type == SQLITE_INTEGER)
        return;
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
/* Names up to this long (with the NUL) are copied as one block. */
#define DIGEST_NAME_COPY 32

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
    bool helper;  /* the flows table may be read by a helper thread too */
    uint64_t helper_chunks; /* chunks of flows the helper rendered */
    struct dbuf d; /* d.md: the SHA-256 context */
};

/* One value of a row under column col (clen bytes with its NUL): version 2
 * leaves out a value equal to its column's default (NULL, 0, '') and names
 * the column; version 1 hashes the value alone. */
static void feed(struct dbuf *d, int version, const char *col, size_t clen, int type, int64_t i,
                 const void *p, size_t len)
{
    if (version >= 2) {
        if (type == SQLITE_NULL || (type == SQLITE_INTEGER && i == 0) ||
            (type == SQLITE_TEXT && len == 0))
            return;
        dput(d, col, clen);
    }
    put_value(d, type, i, p, len);
}

size_t store_audit_digest_tables(int version)
{
    return version >= 2 ? STORE_AUDIT_TABLES : STORE_AUDIT_TABLES_V1;
}

struct store_audit_digest *store_audit_digest_new(int version, struct err *e)
{
    struct store_audit_digest *g = calloc(1, sizeof *g);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!g || !md || !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
        EVP_MD_CTX_free(md);
        free(g);
        err_set(e, RC_NOMEM, "out of memory");
        return NULL;
    }
    g->version = version;
    g->helper = true;
    g->d.md = md;
    return g;
}

void store_audit_digest_free(struct store_audit_digest *g)
{
    if (!g)
        return;
    EVP_MD_CTX_free(g->d.md);
    free(g);
}

/* The columns of a table's SELECT *, as the digest sees them.  The names
 * are copied: SQLite frees the strings sqlite3_column_name returns when it
 * prepares the statement again, which the first step does when another
 * connection changed the schema since the prepare (the run-end index build
 * does, on its own connection). */
struct digest_cols {
    int n;
    int version;
    const char *name[DIGEST_MAX_COLS];
    size_t len[DIGEST_MAX_COLS]; /* with the NUL */
    bool skip[DIGEST_MAX_COLS];  /* left out by the version */
    /* the names with their NULs, and DIGEST_NAME_COPY bytes of slack: a
     * name that short is copied as a fixed-size block (see feed_col) */
    char names[DIGEST_NAMES_MAX + DIGEST_NAME_COPY];
};

static int cols_init(struct digest_cols *c, sqlite3_stmt *st, int version, const char *table,
                     struct err *e)
{
    c->n = sqlite3_column_count(st);
    c->version = version;
    if (c->n > DIGEST_MAX_COLS)
        return err_set(e, RC_LIMIT, "audit: table %s has %d columns (limit %d)", table, c->n,
                       DIGEST_MAX_COLS);
    size_t used = 0;
    for (int k = 0; k < c->n; k++) {
        const char *nm = sqlite3_column_name(st, k);
        size_t l = nm ? strlen(nm) + 1 : 0;
        if (l > DIGEST_NAMES_MAX - used)
            return err_set(e, RC_LIMIT, "audit: table %s: column names longer than %d bytes",
                           table, DIGEST_NAMES_MAX);
        c->name[k] = nm ? memcpy(c->names + used, nm, l) : NULL;
        used += l;
        memset(c->names + used, 0, sizeof c->names - used);
        c->len[k] = l;
        c->skip[k] = !c->name[k] ||
                     (version < 2 ? v1_skips(c->name[k]) : strcmp(c->name[k], "wseq") == 0);
    }
    return 0;
}

/* feed for a column of c: the same bytes, with the common case (version 2,
 * an integer under a name of at most DIGEST_NAME_COPY bytes) written
 * straight into the buffer, the name as one fixed-size copy from c's
 * padded names, as this runs once per stored value. */
static void feed_col(struct dbuf *d, const struct digest_cols *c, int k, int type, int64_t i,
                     const void *p, size_t len)
{
    size_t clen = c->len[k];
    if (c->version < 2 || type != SQLITE_INTEGER || clen > DIGEST_NAME_COPY) {
        feed(d, c->version, c->name[k], clen, type, i, p, len);
        return;
    }
    if (i == 0)
        return;
    if (sizeof d->b - d->n < DIGEST_NAME_COPY + VALUE_HDR_MAX)
        dflush(d);
    unsigned char *o = d->b + d->n;
    memcpy(o, c->name[k], DIGEST_NAME_COPY);
    o += clen;
    char num[VALUE_HDR_MAX];
    char *end = num + sizeof num;
    char *q = value_header(end, 'I', (long long)i, ';');
    size_t hl = (size_t)(end - q);
    memcpy(o, q, hl);
    d->n += clen + hl;
}

/* Feeds every row st gives ("R", then the row's values); *n counts them.
 * Returns the last sqlite3_step result (SQLITE_DONE when all went well). */
static int render_rows(const struct digest_cols *c, sqlite3_stmt *st, struct dbuf *d, uint64_t *n)
{
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        (*n)++;
        dput(d, "R", 1);
        for (int k = 0; k < c->n; k++) {
            if (c->skip[k])
                continue;
            /* The column's value object, read with the sqlite3_value_*
             * calls: each sqlite3_column_* call costs an API entry and exit
             * again, and this runs once per stored value.  (SQLite calls
             * the object unprotected: safe here, where the connection is
             * used by this thread alone.) */
            sqlite3_value *val = sqlite3_column_value(st, k);
            int type = sqlite3_value_type(val);
            if (type == SQLITE_NULL || type == SQLITE_INTEGER) {
                feed_col(d, c, k, type, type == SQLITE_INTEGER ? sqlite3_value_int64(val) : 0,
                         NULL, 0);
                continue;
            }
            /* text (and a real as its text) or blob; bytes after the pointer
             * (sqlite3_value_bytes), NULL with bytes > 0 is out of memory */
            const void *v = type == SQLITE_BLOB ? sqlite3_value_blob(val)
                                                : (const void *)sqlite3_value_text(val);
            int len = sqlite3_value_bytes(val);
            feed_col(d, c, k, type, 0, v, len > 0 ? (size_t)len : 0);
        }
    }
    return step;
}

/* --- The flows table on two threads -------------------------------------
 *
 * flows holds most of a run's values, and reading them back (SQLite's
 * column calls and the formatting above) costs several times the SHA-256
 * over them.  So a helper thread, on its own read-only connection, renders
 * chunks of the run's flows (DIGEST_CHUNK_IDS consecutive ids, in id order)
 * into memory while this thread renders others and hashes every chunk in
 * chunk order: the same bytes in the same order as one pass, so the same
 * digest.  At most DIGEST_SLOTS chunks are rendered and not yet hashed.
 *
 * Both connections must see the same rows: the helper is used only when
 * this connection has no open transaction (its rows are committed) and the
 * store is a file; the rows of a finished run do not change (the run-end
 * index build only adds indexes).  When the helper cannot open or read, the
 * chunks it did not render are rendered here. */
#define DIGEST_CHUNK_IDS 1024
#define DIGEST_SLOTS 3
/* Below this many ids a second thread is not worth its start. */
#define DIGEST_PAR_MIN_IDS (8 * DIGEST_CHUNK_IDS)

static const char chunk_sql[] =
    "SELECT * FROM flows WHERE run_id = ?1 AND id >= ?2 AND id < ?3 ORDER BY id";

enum chunk_state { CHUNK_FREE, CHUNK_BUSY, CHUNK_READY, CHUNK_FAILED };

struct chunk {
    enum chunk_state state;
    uint64_t k;    /* chunk number */
    uint64_t rows;
    struct dbuf d; /* memory mode: d.mem[0, d.mlen) */
};

struct par {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    const char *path;
    const struct digest_cols *cols;
    int64_t run_id, lo;
    uint64_t nchunks;
    uint64_t claim; /* next chunk to render */
    uint64_t next;  /* next chunk to hash */
    uint64_t helped; /* chunks the helper rendered */
    bool stop;
    struct chunk slot[DIGEST_SLOTS];
};

/* A thread's own read-only connection to the store file at path, and
 * chunk_sql prepared on it (both NULL-safe to finalize and close). */
static bool open_chunk_reader(const char *path, sqlite3 **db, sqlite3_stmt **st)
{
    /* a small page cache: it reads each page once, in order */
    return store_aux_open(path, true, 256, db) == SQLITE_OK &&
           sqlite3_prepare_v2(*db, chunk_sql, -1, st, NULL) == SQLITE_OK;
}

/* Feeds the run's flows rows with ids in [from, to) to d with st (prepared
 * from chunk_sql); *n counts them.  True when every row was read (d->bad
 * may still be set by a later flush of d). */
static bool render_range(const struct digest_cols *c, sqlite3_stmt *st, int64_t run_id,
                         int64_t from, int64_t to, struct dbuf *d, uint64_t *n)
{
    sqlite3_reset(st);
    bool ok = sqlite3_bind_int64(st, 1, run_id) == SQLITE_OK &&
              sqlite3_bind_int64(st, 2, from) == SQLITE_OK &&
              sqlite3_bind_int64(st, 3, to) == SQLITE_OK &&
              render_rows(c, st, d, n) == SQLITE_DONE;
    sqlite3_reset(st);
    return ok;
}

/* Renders chunk k into ch (memory mode) with st, prepared from chunk_sql on
 * the calling thread's connection.  Returns 0, or -1 (the chunk is unusable). */
static int render_chunk(const struct par *P, sqlite3_stmt *st, uint64_t k, struct chunk *ch)
{
    ch->k = k;
    ch->rows = 0;
    ch->d.md = NULL;
    ch->d.mlen = 0;
    ch->d.n = 0;
    ch->d.bad = false;
    int64_t from = P->lo + (int64_t)(k * DIGEST_CHUNK_IDS);
    bool ok = render_range(P->cols, st, P->run_id, from, from + DIGEST_CHUNK_IDS, &ch->d,
                           &ch->rows);
    dflush(&ch->d);
    return ok && !ch->d.bad ? 0 : -1;
}

static void *par_helper(void *arg)
{
    struct par *P = arg;
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    bool ok = open_chunk_reader(P->path, &db, &st) && sqlite3_column_count(st) == P->cols->n;
    pthread_mutex_lock(&P->mu);
    while (ok) {
        while (!P->stop && P->claim < P->nchunks && P->claim - P->next >= DIGEST_SLOTS)
            pthread_cond_wait(&P->cv, &P->mu);
        if (P->stop || P->claim >= P->nchunks)
            break;
        uint64_t k = P->claim++;
        struct chunk *ch = &P->slot[k % DIGEST_SLOTS];
        ch->state = CHUNK_BUSY;
        pthread_mutex_unlock(&P->mu);
        int r = render_chunk(P, st, k, ch);
        pthread_mutex_lock(&P->mu);
        ch->state = r ? CHUNK_FAILED : CHUNK_READY;
        P->helped += r == 0;
        ok = r == 0; /* a failed chunk is rendered again by the main thread */
        pthread_cond_broadcast(&P->cv);
    }
    pthread_mutex_unlock(&P->mu);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return NULL;
}

/* Digests the run's flows (after table_begin) with the helper; *n = rows.
 * Returns 0, 1 when the helper could not be started (nothing was fed: the
 * caller does the one-thread pass), or RC_SQL/RC_NOMEM. */
static int digest_flows_par(struct store_audit_digest *g, struct store *s, int64_t run_id,
                            int64_t from, const struct digest_cols *cols, uint64_t *n,
                            struct err *e)
{
    sqlite3 *db = store_db(s);
    const char *path = store_file(s);
    if (!g->helper || !path || !sqlite3_get_autocommit(db))
        return 1;
    int64_t lo = 0, hi = -1;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT min(id), max(id) FROM flows WHERE run_id = ?", -1, &st,
                           NULL) != SQLITE_OK)
        return sql_fail(s, e, "flows");
    sqlite3_bind_int64(st, 1, run_id);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_INTEGER) {
        lo = sqlite3_column_int64(st, 0);
        hi = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    if (lo < from)
        lo = from; /* the ids below were digested during the flush */
    if (hi < lo || (uint64_t)(hi - lo) < DIGEST_PAR_MIN_IDS)
        return 1;
    if (sqlite3_prepare_v2(db, chunk_sql, -1, &st, NULL) != SQLITE_OK)
        return sql_fail(s, e, "flows");
    struct par *P = calloc(1, sizeof *P);
    bool mu = P && pthread_mutex_init(&P->mu, NULL) == 0;
    bool cv = mu && pthread_cond_init(&P->cv, NULL) == 0;
    if (cv) {
        P->path = path;
        P->cols = cols;
        P->run_id = run_id;
        P->lo = lo;
        P->nchunks = (uint64_t)(hi - lo) / DIGEST_CHUNK_IDS + 1;
    }
    pthread_t th;
    if (!cv || stop_thread_create(&th, "tl-digest", par_helper, P) != 0) {
        if (cv)
            pthread_cond_destroy(&P->cv);
        if (mu)
            pthread_mutex_destroy(&P->mu);
        free(P);
        sqlite3_finalize(st);
        return 1;
    }
    int rc = 0;
    uint64_t rows = 0;
    pthread_mutex_lock(&P->mu);
    while (!rc && P->next < P->nchunks) {
        struct chunk *ch = &P->slot[P->next % DIGEST_SLOTS];
        if (ch->state == CHUNK_READY && ch->k == P->next) {
            pthread_mutex_unlock(&P->mu);
            dput(&g->d, ch->d.mem, ch->d.mlen);
            rows += ch->rows;
            pthread_mutex_lock(&P->mu);
            ch->state = CHUNK_FREE;
            P->next++;
            pthread_cond_broadcast(&P->cv);
            continue;
        }
        /* a chunk to render here: the helper's failed one, or the next unclaimed */
        uint64_t k;
        if (ch->state == CHUNK_FAILED) {
            k = ch->k;
        } else if (P->claim < P->nchunks && P->claim - P->next < DIGEST_SLOTS) {
            k = P->claim++;
            ch = &P->slot[k % DIGEST_SLOTS];
        } else {
            pthread_cond_wait(&P->cv, &P->mu);
            continue;
        }
        ch->state = CHUNK_BUSY;
        pthread_mutex_unlock(&P->mu);
        int r = render_chunk(P, st, k, ch);
        pthread_mutex_lock(&P->mu);
        if (r)
            rc = ch->d.bad ? err_set(e, RC_NOMEM, "audit: out of memory reading flows")
                           : sql_fail(s, e, "flows");
        ch->state = r ? CHUNK_FAILED : CHUNK_READY;
    }
    P->stop = true;
    pthread_cond_broadcast(&P->cv);
    pthread_mutex_unlock(&P->mu);
    pthread_join(th, NULL);
    g->helper_chunks += P->helped;
    sqlite3_finalize(st);
    for (size_t i = 0; i < DIGEST_SLOTS; i++)
        free(P->slot[i].d.mem);
    pthread_cond_destroy(&P->cv);
    pthread_mutex_destroy(&P->mu);
    free(P);
    *n = rows;
    return rc;
}

/* store_audit_digest_table, where the early digest (below) has already fed
 * table t's name and its rows with ids below from (0: nothing fed). */
static int digest_table(struct store_audit_digest *g, struct store *s, size_t t, int64_t run_id,
                        int64_t from, struct store_audit_counts *out, struct err *e)
{
    sqlite3 *db = store_db(s);
    int version = g->version;
    const char *name = store_audit_table_names[t];
    if (version >= 2 && !sqlx_has_table(db, name, false))
        return 0;
    char sql[192];
    sqlite3_stmt *st;
    snprintf(sql, sizeof sql, "SELECT * FROM %s WHERE run_id = ?1%s ORDER BY %s", name,
             from ? " AND id >= ?2" : "", digest_order[t]);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return sql_fail(s, e, name);
    sqlite3_bind_int64(st, 1, run_id);
    if (from)
        sqlite3_bind_int64(st, 2, from);
    uint64_t n = 0;
    if (!from)
        store_audit_digest_table_begin(g, t);
    struct digest_cols *cols = malloc(sizeof *cols);
    int rc = cols ? cols_init(cols, st, version, name, e)
                  : err_set(e, RC_NOMEM, "out of memory");
    /* flows (t 0): on two threads when it can (digest_flows_par returns 1
     * when it fed nothing) */
    if (!rc)
        rc = t == 0 ? digest_flows_par(g, s, run_id, from, cols, &n, e) : 1;
    if (rc == 1) {
        rc = 0;
        if (render_rows(cols, st, &g->d, &n) != SQLITE_DONE)
            rc = sql_fail(s, e, name);
    }
    free(cols);
    sqlite3_finalize(st);
    out->n[t] += n;
    return rc;
}

int store_audit_digest_table(struct store_audit_digest *g, struct store *s, size_t t,
                             int64_t run_id, struct store_audit_counts *out, struct err *e)
{
    out->n[t] = 0;
    return digest_table(g, s, t, run_id, 0, out, e);
}

/* --- The flows table during the end-of-input flush ----------------------
 *
 * The flush ends the live flows in id order, and the caller commits and
 * calls store_audit_early_final as it goes, so the rows of ids below a
 * mark are committed and final while the flush still writes the rest.  A
 * thread of this object, on its own read-only connection, digests them in
 * id order, in spans of at most DIGEST_CHUNK_IDS ids, into a digest of its
 * own: "flows" and then the same bytes store_audit_digest_table would feed
 * for those rows.  At the run's end store_audit_run_counts_ex stops it (it
 * finishes the span it is in), takes that digest and goes on from the
 * first id it has not read: the same bytes in the same order, so the same
 * digest.  The flush is writer-bound; the packet thread is mostly idle in
 * it, which is the time this uses (issue 12).  Any failure here leaves the
 * whole digest to the run's end. */
struct store_audit_early {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char *path;
    int64_t run_id;
    struct store_audit_digest *g; /* the thread's until joined */
    int64_t below;                /* ids below are final (caller) */
    int64_t next;                 /* first id not digested yet (thread) */
    uint64_t rows;                /* rows digested (thread) */
    bool stop, failed, done;      /* done: the thread has left its loop */
};

static void *early_main(void *arg)
{
    struct store_audit_early *x = arg;
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    struct digest_cols *cols = malloc(sizeof *cols);
    struct err e = {""};
    bool ok = cols && open_chunk_reader(x->path, &db, &st) &&
              cols_init(cols, st, x->g->version, "flows", &e) == 0;
    if (ok)
        store_audit_digest_table_begin(x->g, 0);
    pthread_mutex_lock(&x->mu);
    while (ok) {
        while (!x->stop && x->next >= x->below)
            pthread_cond_wait(&x->cv, &x->mu);
        if (x->stop)
            break;
        int64_t from = x->next;
        int64_t to = x->below - from > DIGEST_CHUNK_IDS ? from + DIGEST_CHUNK_IDS : x->below;
        pthread_mutex_unlock(&x->mu);
        uint64_t n = 0;
        ok = render_range(cols, st, x->run_id, from, to, &x->g->d, &n) && !x->g->d.bad;
        pthread_mutex_lock(&x->mu);
        x->rows += n;
        x->next = to;
        pthread_cond_broadcast(&x->cv); /* a settle may wait */
    }
    x->failed = !ok;
    x->done = true;
    pthread_cond_broadcast(&x->cv);
    pthread_mutex_unlock(&x->mu);
    sqlite3_finalize(st);
    sqlite3_close(db);
    free(cols);
    return NULL;
}

struct store_audit_early *store_audit_early_start(struct store *s, int64_t run_id)
{
    const char *path = store_file(s);
    struct store_audit_early *x = path ? calloc(1, sizeof *x) : NULL;
    if (!x)
        return NULL;
    x->run_id = run_id;
    x->next = 1; /* flow ids start at 1 */
    x->path = strdup(path);
    x->g = store_audit_digest_new(STORE_AUDIT_DIGEST_VERSION, NULL);
    bool mu = x->path && x->g && pthread_mutex_init(&x->mu, NULL) == 0;
    bool cv = mu && pthread_cond_init(&x->cv, NULL) == 0;
    if (cv && stop_thread_create(&x->th, "tl-digest-early", early_main, x) == 0)
        return x;
    if (cv)
        pthread_cond_destroy(&x->cv);
    if (mu)
        pthread_mutex_destroy(&x->mu);
    store_audit_digest_free(x->g);
    free(x->path);
    free(x);
    return NULL;
}

void store_audit_early_final(struct store_audit_early *x, int64_t below)
{
    if (!x)
        return;
    pthread_mutex_lock(&x->mu);
    if (below > x->below) {
        x->below = below;
        pthread_cond_broadcast(&x->cv);
    }
    pthread_mutex_unlock(&x->mu);
}

void store_audit_early_settle(struct store_audit_early *x)
{
    pthread_mutex_lock(&x->mu);
    while (!x->done && x->next < x->below)
        pthread_cond_wait(&x->cv, &x->mu);
    pthread_mutex_unlock(&x->mu);
}

/* Stops and joins x's thread and frees x.  Returns its digest (owned by
 * the caller) when it holds version's bytes, with the first flow id it has
 * not read in *next and the rows it read in *rows; else NULL, and 0 in
 * both. */
static struct store_audit_digest *early_take(struct store_audit_early *x, int version,
                                             int64_t *next, uint64_t *rows)
{
    pthread_mutex_lock(&x->mu);
    x->stop = true;
    pthread_cond_broadcast(&x->cv);
    pthread_mutex_unlock(&x->mu);
    pthread_join(x->th, NULL);
    struct store_audit_digest *g = x->failed || x->g->version != version ? NULL : x->g;
    if (!g)
        store_audit_digest_free(x->g);
    *next = g ? x->next : 0;
    *rows = g ? x->rows : 0;
    pthread_cond_destroy(&x->cv);
    pthread_mutex_destroy(&x->mu);
    free(x->path);
    free(x);
    return g;
}

void store_audit_early_free(struct store_audit_early *x)
{
    int64_t next;
    uint64_t rows;
    if (x)
        store_audit_digest_free(early_take(x, STORE_AUDIT_DIGEST_VERSION, &next, &rows));
}

int store_audit_digest_end(struct store_audit_digest *g, struct store_audit_counts *out,
                           struct err *e)
{
    unsigned char h[EVP_MAX_MD_SIZE];
    unsigned dl = 0;
    int rc = 0;
    dflush(&g->d);
    out->helper_chunks = g->helper_chunks;
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
    feed(&g->d, g->version, col, strlen(col) + 1, type, i, p, len);
}

int store_audit_run_counts(struct store *s, int64_t run_id, int version,
                           struct store_audit_counts *out, struct err *e)
{
    return store_audit_run_counts_ex(s, run_id, version, true, NULL, out, e);
}

int store_audit_run_counts_ex(struct store *s, int64_t run_id, int version, bool helper,
                              struct store_audit_early *early, struct store_audit_counts *out,
                              struct err *e)
{
    memset(out, 0, sizeof *out);
    /* what was read during the flush: the flows below `from`, counted in n[0] */
    int64_t from = 0;
    struct store_audit_digest *g =
        early ? early_take(early, version, &from, &out->early_rows) : NULL;
    out->n[0] = out->early_rows;
    if (!g)
        g = store_audit_digest_new(version, e);
    if (!g)
        return RC_NOMEM;
    g->helper = helper;
    int rc = 0;
    for (size_t t = 0; !rc && t < store_audit_digest_tables(version); t++)
        rc = digest_table(g, s, t, run_id, t == 0 ? from : 0, out, e);
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
