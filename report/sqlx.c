/* sqlx.c - schema questions (see sqlx.h). */
#include "report/sqlx.h"

#include <stddef.h>

static bool one_row(sqlite3 *db, const char *sql, const char *a, const char *b)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return false;
    sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
    if (b)
        sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
    bool ok = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return ok;
}

bool sqlx_has_table(sqlite3 *db, const char *name, bool views)
{
    return one_row(db,
                   views ? "SELECT 1 FROM main.sqlite_master WHERE type IN ('table','view')"
                           " AND name = ?"
                         : "SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = ?",
                   name, NULL);
}

bool sqlx_has_column(sqlite3 *db, const char *table, const char *col)
{
    return one_row(db, "SELECT 1 FROM pragma_table_info(?) WHERE name = ?", table, col);
}

int sqlx_exec(sqlite3 *db, const char *what, const char *sql, struct err *e)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return 0;
    int rc = err_set(e, RC_SQL, "%s: %s", what, msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    return rc;
}
