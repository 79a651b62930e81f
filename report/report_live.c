/* report_live.c - the report section of the capture_stats rows (see report_live.h). */
#include "report/report_live.h"

#include "report/rt.h"

#include <sqlite3.h>

#include "report/report_text.h"

int report_live_capture_stats(struct store *s, FILE *out, struct err *e)
{
    sqlite3 *db = store_db(s);
    sqlite3_stmt *st;
    /* A database written before the table existed (opened read-only, so
     * not migrated) simply has no live runs. */
    if (sqlite3_table_column_metadata(db, NULL, "capture_stats", "run_id", NULL, NULL, NULL,
                                      NULL, NULL) != SQLITE_OK)
        return 0;
    /* The latest sample of each run holds its totals (counters are cumulative). */
    if (sqlite3_prepare_v2(db,
                           "SELECT c.run_id, c.ts_utc, c.received, c.dropped, c.if_dropped,"
                           " (SELECT COUNT(*) FROM capture_stats k WHERE k.run_id = c.run_id)"
                           " FROM capture_stats c WHERE c.rowid = (SELECT MAX(rowid) FROM"
                           " capture_stats m WHERE m.run_id = c.run_id) ORDER BY c.run_id",
                           -1, &st, NULL) != SQLITE_OK)
        return err_set(e, RC_SQL, "report query: %s", sqlite3_errmsg(db));
    int rc, n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n++ == 0)
            fprintf(out, "\nCapture statistics (live runs, pcap_stats)\n");
        char t[48];
        rt_format_time((long long)sqlite3_column_int64(st, 1), t);
        long long recv = sqlite3_column_int64(st, 2), drop = sqlite3_column_int64(st, 3),
                  ifdrop = sqlite3_column_int64(st, 4);
        /* On Linux ps_recv already counts the packets later dropped. */
        double lost = recv > 0 ? 100.0 * (double)drop / (double)recv : 0.0;
        fprintf(out,
                "  run %lld: %lld received, %lld dropped (%.3f%%), %lld dropped by the"
                " interface; %lld samples, last %s\n",
                (long long)sqlite3_column_int64(st, 0), recv, drop, lost, ifdrop,
                (long long)sqlite3_column_int64(st, 5), t);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return err_set(e, RC_SQL, "report query: %s", sqlite3_errmsg(db));
    return 0;
}
