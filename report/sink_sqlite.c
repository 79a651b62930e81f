/* sink_sqlite.c - the SQLite sink (see sink_sqlite.h).
 *
 * Each op is a thin call into report/store*.c, which own the SQL of the
 * flows, inputs, runs, run_stats, sms_events, ott_events and
 * subscriber_sessions tables (and store_audit.c of audit_log, migration 11); the
 * capture_stats insert (schema migration 2) lives here.
 */
#include "report/sink_sqlite.h"

#include <sqlite3.h>

#include "report/store.h"
#include "report/store_audit.h"
#include "report/store_binding.h"
#include "report/store_ott.h"
#include "report/store_sms.h"

static const char capture_sql[] =
    "INSERT INTO capture_stats (run_id, ts_utc, received, dropped, if_dropped)"
    " VALUES (?,?,?,?,?)";

static struct store *st_of(struct sink *s) { return sink_impl(s); }

static int op_run_begin(struct sink *s, const struct sink_run_info *ri, int64_t *run_id,
                        struct err *e)
{
    const struct store_run_info sri = {
        .started_us = ri->started_us,
        .mode = ri->mode,
        .tool_version = ri->tool_version,
        .command_line = ri->command_line,
        .signature_sha256 = ri->signature_sha256,
        .ndpi_version = ri->ndpi_version,
        .probe = ri->probe,
        .home_net = ri->home_net,
    };
    return store_run_begin(st_of(s), &sri, run_id, e);
}

static int op_input(struct sink *s, int64_t run_id, size_t seq, const struct source_input *in,
                    struct err *e)
{
    return store_input(st_of(s), run_id, seq, in, e);
}

static int op_flow(struct sink *s, int64_t run_id, const struct flow_record *r, struct err *e)
{
    return store_flow(st_of(s), run_id, r, e);
}

static int op_binding(struct sink *s, int64_t run_id, const struct sub_binding *b,
                      struct err *e)
{
    return store_binding(st_of(s), run_id, b, e);
}

static int op_sms(struct sink *s, int64_t run_id, const struct sms_event *ev, struct err *e)
{
    return store_sms_event(st_of(s), run_id, ev, e);
}

static int op_ott(struct sink *s, int64_t run_id, const struct ott_event *ev, struct err *e)
{
    return store_ott_event(st_of(s), run_id, ev, e);
}

static int op_run_stat(struct sink *s, int64_t run_id, const char *name, uint64_t value,
                       struct err *e)
{
    return store_run_stat(st_of(s), run_id, name, value, e);
}

/* One row per sample, inside the open batch like every other row. */
static int op_capture_stats(struct sink *s, int64_t run_id, const struct sink_capture_stats *cs,
                            struct err *e)
{
    struct store *st = st_of(s);
    if (store_row_begin(st, e))
        return RC_SQL;
    sqlite3_stmt *q = store_slot_stmt(st, STORE_SLOT_CAPTURE, capture_sql, e);
    if (!q)
        return RC_SQL;
    sqlite3_bind_int64(q, 1, run_id);
    sqlite3_bind_int64(q, 2, (sqlite3_int64)cs->ts_us);
    sqlite3_bind_int64(q, 3, (sqlite3_int64)cs->received);
    sqlite3_bind_int64(q, 4, (sqlite3_int64)cs->dropped);
    sqlite3_bind_int64(q, 5, (sqlite3_int64)cs->if_dropped);
    return store_row_end(st, q, e, "insert capture_stats");
}

static int op_commit(struct sink *s, struct err *e) { return store_commit(st_of(s), e); }

static int op_run_end(struct sink *s, int64_t run_id, uint64_t finished_us, const char *status,
                      struct err *e)
{
    return store_run_finish(st_of(s), run_id, finished_us, status, e);
}

static int op_find_input(struct sink *s, uint64_t bytes, const char *sha256_hex,
                         int64_t *run_id, struct err *e)
{
    return store_find_input(st_of(s), bytes, sha256_hex, run_id, e);
}

static int op_audit(struct sink *s, struct audit_row *r, struct err *e)
{
    return store_audit_append(st_of(s), r, e);
}

static void op_close(struct sink *s) { store_close(st_of(s)); }

static const struct sink_ops sqlite_ops = {
    .name = "sqlite",
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

struct sink *sink_sqlite_wrap(struct store *st, struct err *e)
{
    struct sink *s = sink_new(&sqlite_ops, st, e);
    if (!s)
        store_close(st);
    return s;
}

struct sink *sink_sqlite_open(const char *path, struct err *e)
{
    struct store *st = store_open(path, false, e);
    return st ? sink_sqlite_wrap(st, e) : NULL;
}

struct store *sink_sqlite_store(struct sink *s)
{
    return sink_name(s) == sqlite_ops.name ? st_of(s) : NULL;
}
