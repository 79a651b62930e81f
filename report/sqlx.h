/* sqlx.h - schema questions asked of an SQLite database by the readers
 * (report model, scope, audit): which tables and columns a database has,
 * since one opened read-only may predate a migration. */
#ifndef PR_REPORT_SQLX_H
#define PR_REPORT_SQLX_H

#include <sqlite3.h>
#include <stdbool.h>

#include "capture/rc.h"

/* True when the main schema has a table (or, with views, a view) named
 * name; false on any error. */
bool sqlx_has_table(sqlite3 *db, const char *name, bool views);

/* True when table has a column col; false on any error. */
bool sqlx_has_column(sqlite3 *db, const char *table, const char *col);

/* Runs sql (statements that return no rows); on failure sets e to
 * "WHAT: <SQLite's message>" and returns RC_SQL. */
int sqlx_exec(sqlite3 *db, const char *what, const char *sql, struct err *e);

#endif
