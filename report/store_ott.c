/* store_ott.c - ott_events rows (see store_ott.h; table in schema.c). */
#include "report/store_ott.h"

#include <sqlite3.h>
#include <stdlib.h>

struct store_ott {
    struct store *s;
    sqlite3_stmt *ins;
};

struct store_ott *store_ott_new(struct store *s, struct err *e)
{
    struct store_ott *o = calloc(1, sizeof *o);
    if (!o) {
        err_set(e, RC_NOMEM, "out of memory");
        return NULL;
    }
    o->s = s;
    if (sqlite3_prepare_v2(store_db(s),
                           "INSERT INTO ott_events (run_id, flow_id, ts_us, end_ts_us, direction,"
                           " packets, bytes) VALUES (?,?,?,?,?,?,?)",
                           -1, &o->ins, NULL) != SQLITE_OK) {
        err_set(e, RC_SQL, "database: prepare ott_events insert: %s",
                sqlite3_errmsg(store_db(s)));
        store_ott_free(o);
        return NULL;
    }
    return o;
}

int store_ott_event(struct store_ott *o, int64_t run_id, const struct ott_event *ev,
                    struct err *e)
{
    int rc = store_row_begin(o->s, e);
    if (rc)
        return rc;
    sqlite3_bind_int64(o->ins, 1, run_id);
    sqlite3_bind_int64(o->ins, 2, (sqlite3_int64)ev->flow_id);
    sqlite3_bind_int64(o->ins, 3, (sqlite3_int64)ev->ts_us);
    sqlite3_bind_int64(o->ins, 4, (sqlite3_int64)ev->end_ts_us);
    sqlite3_bind_text(o->ins, 5, ev->direction, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(o->ins, 6, (sqlite3_int64)ev->packets);
    sqlite3_bind_int64(o->ins, 7, (sqlite3_int64)ev->bytes);
    return store_row_end(o->s, o->ins, e, "insert ott event");
}

void store_ott_free(struct store_ott *o)
{
    if (!o)
        return;
    sqlite3_finalize(o->ins);
    free(o);
}
