/* store_sms.c - sms_events rows (see store_sms.h). */
#include "report/store_sms.h"

#include <sqlite3.h>

static const char insert_sql[] =
    "INSERT INTO sms_events (run_id, flow_id, ts_us, protocol, operation, direction,"
    " originator, originator_ton, originator_npi, recipient, recipient_ton, recipient_npi,"
    " smsc, imsi, msg_ref, concat_ref, concat_part, concat_total, status, content_present,"
    " detail, originator_cut, recipient_cut, message_id)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

/* -1 means absent: stored as NULL. */
static void bind_opt(sqlite3_stmt *st, int i, int64_t v)
{
    if (v < 0)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_int64(st, i, v);
}

/* Text is bound without a copy (SQLITE_STATIC): store_row_end steps the
 * row and clears its bindings before this returns. */
int store_sms_event(struct store *s, int64_t run_id, const struct sms_event *ev, struct err *e)
{
    if (store_row_begin(s, e))
        return RC_SQL;
    sqlite3_stmt *st = store_slot_stmt(s, STORE_SLOT_SMS, insert_sql, e);
    if (!st)
        return RC_SQL;
    int i = 1;
    sqlite3_bind_int64(st, i++, run_id);
    sqlite3_bind_int64(st, i++, (sqlite3_int64)ev->flow_id);
    sqlite3_bind_int64(st, i++, (sqlite3_int64)ev->ts_us);
    sqlite3_bind_text(st, i++, ev->protocol, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, i++, ev->operation, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, i++, ev->direction, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, i++, ev->originator, -1, SQLITE_STATIC);
    bind_opt(st, i++, ev->originator_ton);
    bind_opt(st, i++, ev->originator_npi);
    sqlite3_bind_text(st, i++, ev->recipient, -1, SQLITE_STATIC);
    bind_opt(st, i++, ev->recipient_ton);
    bind_opt(st, i++, ev->recipient_npi);
    sqlite3_bind_text(st, i++, ev->smsc, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, i++, ev->imsi, -1, SQLITE_STATIC);
    bind_opt(st, i++, ev->msg_ref);
    bind_opt(st, i++, ev->concat_ref);
    bind_opt(st, i++, ev->concat_part);
    bind_opt(st, i++, ev->concat_total);
    sqlite3_bind_text(st, i++, ev->status, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, i++, ev->content_present ? 1 : 0);
    sqlite3_bind_text(st, i++, ev->detail, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, i++, ev->originator_cut ? 1 : 0);
    sqlite3_bind_int(st, i++, ev->recipient_cut ? 1 : 0);
    sqlite3_bind_int64(st, i++, (sqlite3_int64)ev->message_id);
    return store_row_end(s, st, e, "insert sms event");
}
