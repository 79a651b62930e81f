/* spool.c - bounded on-disk batch queue in an SQLite file (see spool.h). */
#include "report/spool.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct spool {
    sqlite3 *db;
    char *path;
    uint64_t max_bytes, bytes, batches;
};

static int fail(struct spool *sp, struct err *e, const char *what)
{
    return err_set(e, RC_SQL, "spool %s: %s: %s", sp->path, what, sqlite3_errmsg(sp->db));
}

static int count(struct spool *sp, struct err *e)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(sp->db,
                           "SELECT COALESCE(SUM(length(data)), 0), COUNT(DISTINCT batch)"
                           " FROM spool", -1, &st, NULL) != SQLITE_OK)
        return fail(sp, e, "count");
    if (sqlite3_step(st) == SQLITE_ROW) {
        sp->bytes = (uint64_t)sqlite3_column_int64(st, 0);
        sp->batches = (uint64_t)sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    return 0;
}

struct spool *spool_open(const char *path, uint64_t max_bytes, struct err *e)
{
    struct spool *sp = calloc(1, sizeof *sp);
    if (!sp || !(sp->path = strdup(path))) {
        free(sp);
        err_set(e, RC_NOMEM, "out of memory");
        return NULL;
    }
    sp->max_bytes = max_bytes;
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        err_set(e, RC_IO, "%s: cannot create spool: %m", path);
        goto fail;
    }
    close(fd);
    if (sqlite3_open_v2(path, &sp->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        err_set(e, RC_SQL, "spool %s: %s", path, sp->db ? sqlite3_errmsg(sp->db) : "open");
        goto fail;
    }
    sqlite3_busy_timeout(sp->db, 10000);
    /* synchronous=FULL: a batch acknowledged by spool_put survives a crash
     * of the machine, not just of the process. */
    if (sqlite3_exec(sp->db,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                     "CREATE TABLE IF NOT EXISTS spool (seq INTEGER PRIMARY KEY,"
                     " batch INTEGER NOT NULL, tbl TEXT NOT NULL, rows INTEGER NOT NULL,"
                     " days TEXT NOT NULL, data BLOB NOT NULL);"
                     "CREATE TABLE IF NOT EXISTS spool_meta (key TEXT PRIMARY KEY,"
                     " value TEXT NOT NULL);",
                     NULL, NULL, NULL) != SQLITE_OK ||
        count(sp, e)) {
        err_set(e, RC_SQL, "spool %s: %s", path, sqlite3_errmsg(sp->db));
        goto fail;
    }
    return sp;
fail:
    spool_close(sp, false);
    return NULL;
}

int spool_put(struct spool *sp, const struct spool_chunk *c, size_t n, struct err *e)
{
    uint64_t add = 0;
    for (size_t i = 0; i < n; i++)
        add += c[i].len;
    if (sp->bytes + add > sp->max_bytes)
        return err_set(e, RC_LIMIT, "spool %s: full (%llu of %llu bytes)", sp->path,
                       (unsigned long long)sp->bytes, (unsigned long long)sp->max_bytes);
    sqlite3_stmt *st = NULL;
    if (sqlite3_exec(sp->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return fail(sp, e, "begin");
    if (sqlite3_prepare_v2(sp->db,
                           "INSERT INTO spool (batch, tbl, rows, days, data) VALUES"
                           " ((SELECT COALESCE(MAX(batch), 0) + ?1 FROM spool), ?2, ?3, ?4, ?5)",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        sqlite3_bind_int(st, 1, i == 0 ? 1 : 0); /* chunks after the first join its batch */
        sqlite3_bind_text(st, 2, c[i].table, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)c[i].rows);
        sqlite3_bind_text(st, 4, c[i].days, -1, SQLITE_STATIC);
        sqlite3_bind_blob64(st, 5, c[i].data, c[i].len, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            goto fail;
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3_exec(sp->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    sp->bytes += add;
    sp->batches++;
    return 0;
fail:;
    int rc = fail(sp, e, "write");
    sqlite3_finalize(st);
    sqlite3_exec(sp->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

int spool_target(struct spool *sp, const char *target, struct err *e)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(sp->db, "SELECT value FROM spool_meta WHERE key = 'target'", -1, &st,
                           NULL) != SQLITE_OK)
        return fail(sp, e, "read target");
    int rc = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(st, 0);
        if (!v || strcmp(v, target) != 0)
            rc = err_set(e, RC_CONFIG,
                         "spool %s holds batches for %s, not %s: replay it with that --db, or"
                         " give another --spool", sp->path, v ? v : "?", target);
        sqlite3_finalize(st);
        return rc;
    }
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(sp->db, "INSERT INTO spool_meta (key, value) VALUES ('target', ?)",
                           -1, &st, NULL) != SQLITE_OK)
        return fail(sp, e, "write target");
    sqlite3_bind_text(st, 1, target, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = fail(sp, e, "write target");
    sqlite3_finalize(st);
    return rc;
}

static char *dup_n(const void *p, size_t n)
{
    char *s = malloc(n + 1);
    if (s) {
        if (n)
            memcpy(s, p, n);
        s[n] = '\0';
    }
    return s;
}

int spool_oldest(struct spool *sp, int64_t *batch, struct spool_chunk *c, size_t *n,
                 struct err *e)
{
    sqlite3_stmt *st;
    *n = 0;
    if (sqlite3_prepare_v2(sp->db,
                           "SELECT batch, tbl, rows, days, data FROM spool WHERE batch ="
                           " (SELECT MIN(batch) FROM spool) ORDER BY seq",
                           -1, &st, NULL) != SQLITE_OK)
        return fail(sp, e, "read");
    int rc = 0, step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW && *n < SPOOL_MAX_CHUNKS) {
        struct spool_chunk *k = &c[(*n)++];
        *batch = sqlite3_column_int64(st, 0);
        const char *t = (const char *)sqlite3_column_text(st, 1);
        k->table = dup_n(t ? t : "", t ? strlen(t) : 0);
        k->rows = (uint64_t)sqlite3_column_int64(st, 2);
        const char *d = (const char *)sqlite3_column_text(st, 3);
        k->days = dup_n(d ? d : "", d ? strlen(d) : 0);
        k->len = (size_t)sqlite3_column_bytes(st, 4);
        k->data = dup_n(sqlite3_column_blob(st, 4), k->len);
        if (!k->table || !k->days || !k->data) {
            rc = err_set(e, RC_NOMEM, "out of memory");
            break;
        }
    }
    if (!rc && step != SQLITE_ROW && step != SQLITE_DONE)
        rc = fail(sp, e, "read");
    sqlite3_finalize(st);
    if (rc) {
        spool_chunks_free(c, *n);
        *n = 0;
        return rc;
    }
    return *n > 0;
}

int spool_drop(struct spool *sp, int64_t batch, struct err *e)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(sp->db, "DELETE FROM spool WHERE batch = ?", -1, &st, NULL) !=
        SQLITE_OK)
        return fail(sp, e, "drop");
    sqlite3_bind_int64(st, 1, batch);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step != SQLITE_DONE)
        return fail(sp, e, "drop");
    return count(sp, e);
}

void spool_chunks_free(struct spool_chunk *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(c[i].table);
        free(c[i].days);
        free(c[i].data);
        c[i] = (struct spool_chunk){0};
    }
}

uint64_t spool_bytes(const struct spool *sp) { return sp->bytes; }
uint64_t spool_batches(const struct spool *sp) { return sp->batches; }

void spool_close(struct spool *sp, bool unlink_empty)
{
    if (!sp)
        return;
    bool empty = sp->db && sp->batches == 0;
    if (sp->db)
        sqlite3_close(sp->db);
    if (empty && unlink_empty) {
        char side[4096];
        unlink(sp->path);
        if ((size_t)snprintf(side, sizeof side, "%s-wal", sp->path) < sizeof side)
            unlink(side);
        if ((size_t)snprintf(side, sizeof side, "%s-shm", sp->path) < sizeof side)
            unlink(side);
    }
    free(sp->path);
    free(sp);
}
