/* scope.c - runs in a report and de-duplicated re-runs (see scope.h). */
#include "report/scope.h"
#include "report/sqlx.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An event is left out with its flow: when the flow it names exists but the
 * flows view leaves it out.  Events naming no recorded flow stay. */
#define LEFT_OUT_FLOW                                                                      \
    "SELECT 1 FROM main.flows m WHERE m.run_id = e.run_id AND m.id = e.flow_id"             \
    " AND NOT EXISTS (SELECT 1 FROM temp.flows v WHERE v.run_id = m.run_id AND v.id = m.id)"

/* Room for the scope list "IN (1,2,...)" with SCOPE_MAX_RUNS 20-digit ids. */
#define SCOPE_SQL_MAX 65536

static bool run_exists(sqlite3 *db, int64_t id)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM main.runs WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
        return false;
    sqlite3_bind_int64(st, 1, id);
    bool ok = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return ok;
}

/* "col IN (a,b,...)", or "1" (true) for every run. */
static void in_list(char *out, size_t n, const char *col, const int64_t *runs, size_t nruns)
{
    if (!nruns) {
        snprintf(out, n, "1");
        return;
    }
    size_t k = (size_t)snprintf(out, n, "%s IN (", col);
    for (size_t i = 0; i < nruns && k < n; i++)
        k += (size_t)snprintf(out + k, n - k, "%s%lld", i ? "," : "", (long long)runs[i]);
    if (k < n)
        snprintf(out + k, n - k, ")");
}

int report_scope(struct store *s, const int64_t *runs, size_t n, struct err *e)
{
    sqlite3 *db = store_db(s);
    if (n > SCOPE_MAX_RUNS)
        return err_set(e, RC_USAGE, "more than %d runs given", SCOPE_MAX_RUNS);
    for (size_t i = 0; i < n; i++)
        if (!run_exists(db, runs[i]))
            return err_set(e, RC_USAGE, "run %lld is not in the database", (long long)runs[i]);
    /* SCOPE_MAX_RUNS ids of up to 20 digits fit in 6 KiB per list. */
    char in[6144], runs_in[6144], in_f[6144], in_j[6144], in_e[6144];
    in_list(in, sizeof in, "run_id", runs, n);
    in_list(runs_in, sizeof runs_in, "id", runs, n);
    in_list(in_f, sizeof in_f, "f.run_id", runs, n);
    in_list(in_j, sizeof in_j, "j.run_id", runs, n);
    in_list(in_e, sizeof in_e, "e.run_id", runs, n);
    bool prov = store_schema_version(s) >= 5;
    char *sql = malloc(SCOPE_SQL_MAX);
    if (!sql)
        return err_set(e, RC_NOMEM, "out of memory");
    int k = snprintf(sql, SCOPE_SQL_MAX,
        "CREATE TEMP VIEW runs AS SELECT * FROM main.runs WHERE %s;"
        "CREATE TEMP VIEW inputs AS SELECT * FROM main.inputs WHERE %s;"
        "CREATE TEMP VIEW run_stats AS SELECT * FROM main.run_stats WHERE %s;",
        runs_in, in, in);
    if (prov)
        k += snprintf(sql + k, SCOPE_SQL_MAX - (size_t)k,
            "CREATE TEMP VIEW flows AS SELECT f.* FROM main.flows f WHERE %s"
            " AND NOT EXISTS (SELECT 1 FROM main.inputs i JOIN main.inputs j"
            " ON j.sha256 = i.sha256 AND j.run_id > i.run_id AND j.status = 'complete'"
            " AND %s WHERE i.run_id = f.run_id AND i.seq = f.first_input"
            " AND i.sha256 IS NOT NULL);",
            in_f, in_j);
    else
        k += snprintf(sql + k, SCOPE_SQL_MAX - (size_t)k,
                      "CREATE TEMP VIEW flows AS SELECT * FROM main.flows WHERE %s;", in);
    if (sqlx_has_table(db, "sms_events", false))
        k += snprintf(sql + k, SCOPE_SQL_MAX - (size_t)k,
            "CREATE TEMP VIEW sms_events AS SELECT e.* FROM main.sms_events e WHERE %s"
            " AND NOT EXISTS (" LEFT_OUT_FLOW ");",
            in_e);
    if (sqlx_has_table(db, "ott_events", false))
        snprintf(sql + k, SCOPE_SQL_MAX - (size_t)k,
            "CREATE TEMP VIEW ott_events AS SELECT e.* FROM main.ott_events e WHERE %s"
            " AND NOT EXISTS (" LEFT_OUT_FLOW ");",
            in_e);
    int rc = sqlx_exec(db, "report scope", sql, e);
    free(sql);
    return rc;
}

void report_scope_describe(struct store *s, char *out, size_t n)
{
    sqlite3 *db = store_db(s);
    sqlite3_stmt *st;
    size_t k = 0;
    out[0] = '\0';
    if (sqlite3_prepare_v2(db, "SELECT id FROM runs ORDER BY id", -1, &st, NULL) != SQLITE_OK)
        return;
    while (sqlite3_step(st) == SQLITE_ROW && k + 24 < n)
        k += (size_t)snprintf(out + k, n - k, "%s%lld", k ? "," : "",
                              (long long)sqlite3_column_int64(st, 0));
    sqlite3_finalize(st);
}
