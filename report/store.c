/* store.c - SQLite store (see store.h). */
#include "report/store.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture/decode.h"
#include "report/schema.h"

/* Waiting for a concurrent writer/checkpointer (live probe + report). */
#define STORE_BUSY_TIMEOUT_MS 10000

struct store {
    sqlite3 *db;
    bool readonly;
    bool in_tx;
    unsigned pending;     /* rows in the open transaction */
    int sticky;           /* first error, returned by every later write */
    char sticky_msg[ERR_MSG_MAX];
    sqlite3_stmt *ins_flow, *ins_input, *ins_stat;
    sqlite3_stmt *slots[STORE_SLOTS];
};

static int fail(struct store *s, struct err *e, const char *what)
{
    if (!s->sticky) {
        s->sticky = RC_SQL;
        snprintf(s->sticky_msg, sizeof s->sticky_msg, "database: %s: %s", what,
                 sqlite3_errmsg(s->db));
    }
    return err_set(e, s->sticky, "%s", s->sticky_msg);
}

int store_exec(struct store *s, const char *sql, struct err *e)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        if (!s->sticky) {
            s->sticky = RC_SQL;
            snprintf(s->sticky_msg, sizeof s->sticky_msg, "database: %s",
                     msg ? msg : sqlite3_errmsg(s->db));
        }
        sqlite3_free(msg);
        return err_set(e, s->sticky, "%s", s->sticky_msg);
    }
    return 0;
}

static int user_version(struct store *s, int *v, struct err *e)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        return fail(s, e, "read schema version");
    int rc = sqlite3_step(st);
    *v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : fail(s, e, "read schema version");
}

static int migrate(struct store *s, struct err *e)
{
    int v;
    if (user_version(s, &v, e))
        return RC_SQL;
    size_t want = schema_count();
    if (v < 0 || (size_t)v > want)
        return err_set(e, RC_SQL, "database schema version %d is newer than this build (%zu)", v,
                       want);
    for (size_t k = (size_t)v + 1; k <= want; k++) {
        char sql[64];
        if (store_exec(s, "BEGIN IMMEDIATE", e))
            return RC_SQL;
        snprintf(sql, sizeof sql, "PRAGMA user_version = %zu", k);
        if (store_exec(s, schema_migration(k), e) || store_exec(s, sql, e)) {
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            return RC_SQL;
        }
        if (store_exec(s, "COMMIT", e))
            return RC_SQL;
    }
    return 0;
}

static int prepare(struct store *s, sqlite3_stmt **st, const char *sql, struct err *e)
{
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
        return fail(s, e, "prepare");
    return 0;
}

struct store *store_open(const char *path, bool readonly, struct err *e)
{
    struct store *s = calloc(1, sizeof *s);
    if (!s) {
        err_set(e, RC_NOMEM, "out of memory");
        return NULL;
    }
    s->readonly = readonly;
    if (!readonly) {
        /* Create the file 0600 ourselves: SQLite would use the umask. */
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0) {
            err_set(e, RC_IO, "%s: cannot create database: %m", path);
            free(s);
            return NULL;
        }
        close(fd);
    }
    /* URI names ("file:...?immutable=1") only for read-only report handles. */
    /* NOMUTEX: a handle is only ever used by the thread that opened it, so
     * SQLite's per-call connection mutexes (serialized mode) are pure cost. */
    int flags = (readonly ? SQLITE_OPEN_READONLY | SQLITE_OPEN_URI
                          : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
        err_set(e, RC_SQL, "%s: %s", path, s->db ? sqlite3_errmsg(s->db) : "cannot open");
        goto fail;
    }
    sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
    if (!readonly) {
        if (store_exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                          "PRAGMA cache_size=-16384;" /* 16 MiB: fewer re-reads at checkpoints */
                          "PRAGMA foreign_keys=ON;", e) ||
            migrate(s, e))
            goto fail;
        if (prepare(s, &s->ins_flow,
                    "INSERT INTO flows (run_id, id, proto, src_ip, src_port, dst_ip, dst_port,"
                    " first_ts_us, last_ts_us, pkts_c2s, bytes_c2s, pkts_s2c, bytes_s2c, vlan,"
                    " ndpi_proto, service, class, method, confidence, server_name,"
                    " server_name_cut, tunnel_teid, tunnel_teid_s2c, end_reason, rule,"
                    " activity, first_input, first_frame, last_input, last_frame, interface)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                    " ON CONFLICT(run_id, id) DO UPDATE SET"
                    " last_ts_us=excluded.last_ts_us, pkts_c2s=excluded.pkts_c2s,"
                    " bytes_c2s=excluded.bytes_c2s, pkts_s2c=excluded.pkts_s2c,"
                    " bytes_s2c=excluded.bytes_s2c, ndpi_proto=excluded.ndpi_proto,"
                    " service=excluded.service, class=excluded.class, method=excluded.method,"
                    " confidence=excluded.confidence, server_name=excluded.server_name,"
                    " server_name_cut=excluded.server_name_cut,"
                    " tunnel_teid=excluded.tunnel_teid, tunnel_teid_s2c=excluded.tunnel_teid_s2c,"
                    " end_reason=excluded.end_reason, rule=excluded.rule,"
                    " activity=excluded.activity,"
                    " last_input=excluded.last_input, last_frame=excluded.last_frame",
                    e) ||
            prepare(s, &s->ins_input,
                    "INSERT INTO inputs (run_id, seq, path, sha256, bytes, link_type, packets,"
                    " first_ts_us, last_ts_us, status, detail, frames, filtered, other_link,"
                    " ts_pre1990, ts_backwards, interfaces, compression)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    e) ||
            prepare(s, &s->ins_stat,
                    "INSERT OR REPLACE INTO run_stats (run_id, name, value) VALUES (?,?,?)", e))
            goto fail;
    } else {
        int v;
        if (user_version(s, &v, e))
            goto fail;
        if (v == 0) {
            err_set(e, RC_SQL, "%s: not a trapline database (no schema)", path);
            goto fail;
        }
        if ((size_t)v > schema_count()) {
            err_set(e, RC_SQL, "%s: schema version %d is newer than this build (%zu)", path, v,
                    schema_count());
            goto fail;
        }
    }
    return s;
fail:
    store_close(s);
    return NULL;
}

static int begin_if_needed(struct store *s, struct err *e)
{
    if (s->sticky)
        return err_set(e, s->sticky, "%s", s->sticky_msg);
    if (s->readonly) /* no prepared statements either: refuse before touching them */
        return err_set(e, RC_SQL, "database: opened read-only; writes are refused");
    if (!s->in_tx) {
        if (store_exec(s, "BEGIN IMMEDIATE", e))
            return RC_SQL;
        s->in_tx = true;
        s->pending = 0;
    }
    return 0;
}

int store_commit(struct store *s, struct err *e)
{
    if (s->sticky)
        return err_set(e, s->sticky, "%s", s->sticky_msg);
    if (s->in_tx) {
        if (store_exec(s, "COMMIT", e))
            return RC_SQL;
        s->in_tx = false;
        s->pending = 0;
    }
    return 0;
}

static int row_done(struct store *s, sqlite3_stmt *st, struct err *e, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE)
        return fail(s, e, what);
    if (++s->pending >= STORE_BATCH_ROWS)
        return store_commit(s, e);
    return 0;
}

int store_row_begin(struct store *s, struct err *e) { return begin_if_needed(s, e); }

int store_row_end(struct store *s, sqlite3_stmt *st, struct err *e, const char *what)
{
    return row_done(s, st, e, what);
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

int store_run_begin(struct store *s, const struct store_run_info *ri, int64_t *run_id,
                    struct err *e)
{
    sqlite3_stmt *st;
    if (begin_if_needed(s, e))
        return RC_SQL;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO runs (mode, started_utc, tool_version, command_line,"
                           " signature_sha256, ndpi_version, home_net, status)"
                           " VALUES (?,?,?,?,?,?,?,'running')",
                           -1, &st, NULL) != SQLITE_OK)
        return fail(s, e, "prepare run");
    bind_text(st, 1, ri->mode);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)ri->started_us);
    bind_text(st, 3, ri->tool_version);
    bind_text(st, 4, ri->command_line);
    bind_text(st, 5, ri->signature_sha256);
    bind_text(st, 6, ri->ndpi_version);
    bind_text(st, 7, ri->home_net ? ri->home_net : "");
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return fail(s, e, "insert run");
    *run_id = sqlite3_last_insert_rowid(s->db);
    /* The run row is visible at once, so a report can say a run is going on. */
    return store_commit(s, e);
}

int store_input(struct store *s, int64_t run_id, size_t seq, const struct source_input *in,
                struct err *e)
{
    if (begin_if_needed(s, e))
        return RC_SQL;
    sqlite3_stmt *st = s->ins_input;
    char hex[65] = "";
    if (in->sha_done)
        for (int i = 0; i < 32; i++)
            snprintf(hex + 2 * i, 3, "%02x", in->sha256[i]);
    sqlite3_bind_int64(st, 1, run_id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
    bind_text(st, 3, in->path);
    bind_text(st, 4, in->sha_done ? hex : NULL);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)in->size);
    bind_text(st, 6, in->linktype >= 0 ? decode_linktype_name(in->linktype) : NULL);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)in->packets);
    if (in->packets) {
        sqlite3_bind_int64(st, 8, (sqlite3_int64)in->first_ts_us);
        sqlite3_bind_int64(st, 9, (sqlite3_int64)in->last_ts_us);
    }
    bind_text(st, 10, source_status_name(in->status));
    bind_text(st, 11, in->detail[0] ? in->detail : NULL);
    sqlite3_bind_int64(st, 12, (sqlite3_int64)in->frames);
    sqlite3_bind_int64(st, 13, (sqlite3_int64)in->filtered);
    sqlite3_bind_int64(st, 14, (sqlite3_int64)in->other_link);
    sqlite3_bind_int64(st, 15, (sqlite3_int64)in->ts_pre1990);
    sqlite3_bind_int64(st, 16, (sqlite3_int64)in->ts_backwards);
    sqlite3_bind_int64(st, 17, (sqlite3_int64)in->interfaces);
    bind_text(st, 18, in->compression);
    return row_done(s, st, e, "insert input");
}

int store_find_input(struct store *s, uint64_t bytes, const char *sha256_hex, int64_t *run_id,
                     struct err *e)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT i.run_id FROM inputs i JOIN runs r ON r.id = i.run_id"
                           " WHERE i.bytes = ?1 AND i.status = 'complete'"
                           " AND i.sha256 IS NOT NULL AND (?2 IS NULL OR i.sha256 = ?2)"
                           " AND r.status IN ('complete','partial') ORDER BY i.run_id LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return fail(s, e, "prepare input lookup");
    sqlite3_bind_int64(st, 1, (sqlite3_int64)bytes);
    bind_text(st, 2, sha256_hex);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *run_id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return fail(s, e, "input lookup");
    return rc == SQLITE_ROW;
}

int store_flow(struct store *s, int64_t run_id, const struct flow_record *r, struct err *e)
{
    if (begin_if_needed(s, e))
        return RC_SQL;
    sqlite3_stmt *st = s->ins_flow;
    int i = 1;
    sqlite3_bind_int64(st, i++, run_id);
    sqlite3_bind_int64(st, i++, (sqlite3_int64)r->flow_id);
    sqlite3_bind_int(st, i++, r->proto);
    bind_text(st, i++, r->src_ip);
    sqlite3_bind_int(st, i++, r->src_port);
    bind_text(st, i++, r->dst_ip);
    sqlite3_bind_int(st, i++, r->dst_port);
    sqlite3_bind_int64(st, i++, (sqlite3_int64)r->first_ts_us);
    sqlite3_bind_int64(st, i++, (sqlite3_int64)r->last_ts_us);
    sqlite3_bind_int64(st, i++, (sqlite3_int64)r->pkts_c2s);
    sqlite3_bind_int64(st, i++, (sqlite3_int64)r->bytes_c2s);
    sqlite3_bind_int64(st, i++, (sqlite3_int64)r->pkts_s2c);
    sqlite3_bind_int64(st, i++, (sqlite3_int64)r->bytes_s2c);
    sqlite3_bind_int64(st, i++, r->vlan);
    bind_text(st, i++, r->ndpi_proto);
    bind_text(st, i++, r->service);
    bind_text(st, i++, r->cls);
    bind_text(st, i++, r->method);
    sqlite3_bind_int(st, i++, r->confidence);
    bind_text(st, i++, r->server_name);
    sqlite3_bind_int(st, i++, r->server_name_cut);
    if (r->tunnel_teid || r->tunnel_teid_s2c) {
        sqlite3_bind_int64(st, i++, r->tunnel_teid);
        sqlite3_bind_int64(st, i++, r->tunnel_teid_s2c);
    } else {
        i += 2; /* NULL: not tunnelled */
    }
    bind_text(st, i++, r->end_reason);
    bind_text(st, i++, r->rule);
    bind_text(st, i++, r->activity);
    if (r->first_frame) { /* 0: no provenance (live capture) */
        sqlite3_bind_int64(st, i++, r->first_input);
        sqlite3_bind_int64(st, i++, (sqlite3_int64)r->first_frame);
        sqlite3_bind_int64(st, i++, r->last_input);
        sqlite3_bind_int64(st, i++, (sqlite3_int64)r->last_frame);
        sqlite3_bind_int64(st, i++, r->ifid);
    }
    return row_done(s, st, e, "insert flow");
}

int store_run_stat(struct store *s, int64_t run_id, const char *name, uint64_t value,
                   struct err *e)
{
    if (begin_if_needed(s, e))
        return RC_SQL;
    sqlite3_stmt *st = s->ins_stat;
    sqlite3_bind_int64(st, 1, run_id);
    bind_text(st, 2, name);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)value);
    return row_done(s, st, e, "insert run statistic");
}

int store_run_finish(struct store *s, int64_t run_id, uint64_t finished_us, const char *status,
                     struct err *e)
{
    sqlite3_stmt *st;
    if (begin_if_needed(s, e))
        return RC_SQL;
    if (sqlite3_prepare_v2(s->db, "UPDATE runs SET finished_utc = ?, status = ? WHERE id = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return fail(s, e, "prepare run update");
    sqlite3_bind_int64(st, 1, (sqlite3_int64)finished_us);
    bind_text(st, 2, status);
    sqlite3_bind_int64(st, 3, run_id);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return fail(s, e, "update run");
    return store_commit(s, e);
}

struct sqlite3_stmt *store_slot_stmt(struct store *s, enum store_slot slot, const char *sql,
                                     struct err *e)
{
    if (s->sticky) {
        err_set(e, s->sticky, "%s", s->sticky_msg);
        return NULL;
    }
    if (!s->slots[slot] && prepare(s, &s->slots[slot], sql, e))
        return NULL;
    return s->slots[slot];
}

struct sqlite3 *store_db(struct store *s) { return s->db; }

int store_schema_version(struct store *s)
{
    int v = -1;
    user_version(s, &v, NULL);
    return v;
}

void store_close(struct store *s)
{
    if (!s)
        return;
    if (s->db && s->in_tx && !s->sticky)
        store_commit(s, NULL);
    sqlite3_finalize(s->ins_flow);
    sqlite3_finalize(s->ins_input);
    sqlite3_finalize(s->ins_stat);
    for (int i = 0; i < STORE_SLOTS; i++)
        sqlite3_finalize(s->slots[i]);
    if (s->db)
        sqlite3_close(s->db);
    free(s);
}
