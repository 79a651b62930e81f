/* test_report_csv.c - CSV exports on the fixture database
 * (tests/unit/report_fixture.h): header row, CRLF, quoted text, hostile
 * cells neutralised, internal drawing tables never exported. */
#include "report/report_csv.h"

#include <string.h>

#include "tests/unit/report_fixture.h"

#define DB "build/test-out/test_report_csv.db"

TEST(structure_and_escaping)
{
    fx_build(DB, true);
    struct report_model *m = fx_model(DB);
    if (!m)
        return;
    const struct rt_table *t = report_csv_find(m, "sms_events", false);
    CHECK(t != NULL);
    char *s = NULL;
    struct err e = {""};
    FX_RENDER(CHECK_EQ_INT(report_csv_table(t, out, &e), 0), &s);
    CHECK(strncmp(s, "\"id\",\"run_id\",\"flow_id\",\"ts_us\"", 31) == 0);
    /* CRLF only, one line per row plus the header. */
    CHECK_EQ_INT(fx_count(s, "\r\n"), t->nrows + 1);
    CHECK_EQ_INT(fx_count(s, "\n"), t->nrows + 1);
    CHECK(!fx_has_control(s, true));
    CHECK(strstr(s, "\"'=cmd|' /C calc'!A0\""));
    CHECK(strstr(s, "\"'+SUM(1,2)\""));
    CHECK(strstr(s, "\"'@import\""));
    free(s);
    /* The heatmap and timeline inputs are drawing data, not exports. */
    CHECK(report_csv_find(m, "activity_heat", false) == NULL);
    CHECK(report_csv_find(m, "timeline_ott", false) == NULL);
    char names[2048];
    report_csv_names(m, false, names, sizeof names);
    CHECK(strstr(names, "activity_heat") == NULL && strstr(names, "sms_contacts"));
    report_model_free(m);
}

int main(void)
{
    RUN(structure_and_escaping);
    return harness_done();
}
