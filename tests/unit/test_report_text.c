/* test_report_text.c - the text report on the fixture database
 * (tests/unit/report_fixture.h): findings first, subject sections after,
 * bursts summarised per flow unless --detail, empty sections folded, width
 * respected, hostile values escaped. */
#include "report/report_text.h"

#include <string.h>

#include "tests/unit/report_fixture.h"

#define DB "build/test-out/test_report_text.db"
#define HDB "build/test-out/test_report_text_hostile.db"

TEST(order)
{
    fx_build(DB, false);
    struct report_model *m = fx_model(DB);
    if (!m)
        return;
    char *s = NULL;
    struct err e = {""};
    FX_RENDER(CHECK_EQ_INT(report_text(m, out, &e), 0), &s);
    const char *prov = strstr(s, "Provenance: 1 run (complete), 1 input, 19482 bytes");
    const char *sum = strstr(s, "Summary (one line per subject)");
    const char *fin = strstr(s, "\nFindings\n");
    const char *subj = strstr(s, "=== Subject ");
    const char *app = strstr(s, "=== Appendix A");
    CHECK(prov && sum && fin && subj && app);
    CHECK(prov < sum && sum < fin && fin < subj && subj < app);
    /* 10.0.0.10 has one missed period: a finding naming it. */
    CHECK(strstr(s, "  - 10.0.0.10: 1 of 1 OTT messaging periods with no carrier record") != NULL);
    /* The term is explained once, before the first subject. */
    const char *term = strstr(s, "missed: OTT activity with no carrier SMS record of the same"
                                 " subject within 60 s");
    CHECK(term != NULL && term < subj);
    /* The calls column is there (0 until call records exist). */
    CHECK(strstr(s, " calls ") != NULL);
    /* Empty sections folded into one line for an SMS-only subject. */
    CHECK(strstr(s, "No records: OTT messaging sessions; OTT calls; Inferred OTT activity bursts;"
                    " What a carrier-only pen register would have missed") != NULL);
    CHECK(strstr(s, "(none)") == NULL);
    /* Bursts: one line per flow (3 flows of 10.0.0.10, 1 of 10.45.0.2). */
    CHECK(strstr(s, "Inferred OTT activity bursts, one line per flow") != NULL);
    CHECK(strstr(s, "  service   flow_id bursts first") != NULL);
    CHECK_EQ_INT(fx_count(s, "Inferred OTT activity bursts, one line per flow"), 2);
    free(s);
    /* --detail: every burst row (2 per OTT flow in fixture.sql, 4 flows). */
    struct report_text_opts o = {true, 0};
    FX_RENDER(CHECK_EQ_INT(report_text_with(m, out, &o, &e), 0), &s);
    CHECK(strstr(s, "one line per flow") == NULL);
    CHECK_EQ_INT(fx_count(s, "\nInferred OTT activity bursts [inferred]\n"), 2);
    CHECK(strstr(s, "  service   flow_id start") != NULL);
    free(s);
    report_model_free(m);
}

TEST(width)
{
    fx_build(DB, false);
    struct report_model *m = fx_model(DB);
    if (!m)
        return;
    char *s = NULL;
    struct err e = {""};
    struct report_text_opts o = {false, 60};
    FX_RENDER(CHECK_EQ_INT(report_text_with(m, out, &o, &e), 0), &s);
    /* Every line fits, except "key value" lines whose single value is
     * longer than the width (hashes, paths): they are never cut. */
    size_t over = 0;
    for (char *line = s, *nl; line && *line; line = nl ? nl + 1 : NULL) {
        nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        if (len > 60) {
            const char *last = line + len;
            size_t words = 0;
            for (const char *p = line; p < last; p++)
                words += *p != ' ' && (p == line || p[-1] == ' ');
            if (words > 2) {
                over++;
                fprintf(stderr, "too wide: %.*s\n", (int)len, line);
            }
        }
    }
    CHECK_EQ_INT(over, 0);
    /* The summary keeps one line per subject (days instead of times);
     * other wide tables become one block per row. */
    CHECK(strstr(s, "  subject   sms ott calls missed first_day  last_day\n"));
    CHECK(strstr(s, "  10.0.0.10   0   3     0      1 2024-03-01 2024-03-01\n"));
    CHECK(strstr(s, "  - service: WhatsApp  relay: 157.240.0.53:443/tcp\n"));
    free(s);
    report_model_free(m);
}

TEST(hostile)
{
    fx_build(HDB, true);
    struct report_model *m = fx_model(HDB);
    if (!m)
        return;
    char *s = NULL;
    struct err e = {""};
    FX_RENDER(CHECK_EQ_INT(report_text(m, out, &e), 0), &s);
    CHECK(!fx_has_control(s, false));
    CHECK(strstr(s, "esc\\x1b[31m") != NULL);
    free(s);
    report_model_free(m);
}

int main(void)
{
    RUN(order);
    RUN(width);
    RUN(hostile);
    return harness_done();
}
