/* store_ott.c - ott_events rows (see store_ott.h; table in schema.c). */
#include "report/store_ott.h"

#include <sqlite3.h>

static const char insert_sql[] =
    "INSERT INTO ott_events (run_id, flow_id, ts_us, end_ts_us, direction, packets, bytes)"
    " VALUES (?,?,?,?,?,?,?)";

/* Text is bound without a copy (SQLITE_STATIC): store_row_end steps the
 * row and clears its bindings before this returns. */
int store_ott_event(struct store *s, int64_t run_id, const struct ott_event *ev, struct err *e)
{
    if (store_row_begin(s, e))
        return RC_SQL;
    sqlite3_stmt *st = store_slot_stmt(s, STORE_SLOT_OTT, insert_sql, e);
    if (!st)
        return RC_SQL;
    sqlite3_bind_int64(st, 1, run_id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)ev->flow_id);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)ev->ts_us);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)ev->end_ts_us);
    sqlite3_bind_text(st, 5, ev->direction, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)ev->packets);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)ev->bytes);
    return store_row_end(s, st, e, "insert ott event");
}
