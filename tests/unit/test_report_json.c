/* test_report_json.c - JSON and JSON Lines exports on the fixture database
 * (tests/unit/report_fixture.h), validated by SQLite's JSON parser:
 * well-formed, hostile values kept (decoded) but inert, record kinds
 * described, drawing tables not exported. */
#include "report/report_json.h"

#include <string.h>

#include "tests/unit/report_fixture.h"

#define DB "build/test-out/test_report_json.db"

static char *json_query(const char *doc, const char *sql)
{
    sqlite3 *h;
    sqlite3_stmt *st;
    char *r = NULL;
    if (sqlite3_open(":memory:", &h) != SQLITE_OK)
        return NULL;
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, doc, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
            r = strdup((const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    sqlite3_close(h);
    return r;
}

TEST(json)
{
    fx_build(DB, true);
    struct report_model *m = fx_model(DB);
    if (!m)
        return;
    char *s = NULL, *v;
    struct err e = {""};
    FX_RENDER(CHECK_EQ_INT(report_json(m, out, false, &e), 0), &s);
    CHECK((v = json_query(s, "SELECT json_valid(?1)")) && strcmp(v, "1") == 0);
    free(v);
    CHECK(!fx_has_control(s, false));
    CHECK(strstr(s, "<script") == NULL);
    v = json_query(s, "SELECT group_concat(value ->> 'originator', '|') FROM"
                      " json_each(?1, '$.sms_events')");
    CHECK(v && strstr(v, "<script>document.title='PWNED'</script>"));
    free(v);
    v = json_query(s, "SELECT count(*) FROM json_each(?1, '$.record_kinds')"
                      " WHERE value ->> 'name' IN ('activity_heat', 'timeline_ott')");
    CHECK(v && strcmp(v, "0") == 0);
    free(v);
    v = json_query(s, "SELECT json_array_length(?1, '$.subjects')");
    CHECK(v && atoi(v) == (int)m->t[RM_SUBJECTS].nrows);
    free(v);
    free(s);
    FX_RENDER(CHECK_EQ_INT(report_json(m, out, true, &e), 0), &s);
    size_t lines = 0, bad = 0;
    for (char *line = s, *nl; line && *line; line = nl ? nl + 1 : NULL) {
        nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        lines++;
        char *ok = json_query(line, "SELECT json_valid(?1)");
        bad += !(ok && strcmp(ok, "1") == 0);
        free(ok);
    }
    CHECK(lines > 10);
    CHECK_EQ_INT(bad, 0);
    free(s);
    report_model_free(m);
}

int main(void)
{
    RUN(json);
    return harness_done();
}
