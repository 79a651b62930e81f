/* test_report_html.c - the HTML report on the fixture database
 * (tests/unit/report_fixture.h): self-contained and script-free, viewport
 * meta, every table in its own scroll container, table of contents, summary
 * and findings before the subjects, charts inline, terms explained, hostile
 * values escaped. */
#include "report/report_html.h"

#include <string.h>

#include "tests/unit/report_fixture.h"

#define DB "build/test-out/test_report_html.db"
#define HDB "build/test-out/test_report_html_hostile.db"

TEST(structure)
{
    fx_build(DB, false);
    struct report_model *m = fx_model(DB);
    if (!m)
        return;
    char *s = NULL;
    struct err e = {""};
    FX_RENDER(CHECK_EQ_INT(report_html(m, out, &e), 0), &s);
    CHECK(strstr(s, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
    CHECK(strstr(s, "content=\"default-src 'none'; style-src 'unsafe-inline'\""));
    CHECK(strstr(s, "<script") == NULL);
    CHECK(strstr(s, " src=") == NULL && strstr(s, "href=\"http") == NULL);
    /* Every table sits in its own scroll container. */
    CHECK(fx_count(s, "<table") > 5);
    CHECK_EQ_INT(fx_count(s, "<table"), fx_count(s, "<div class=\"scroll\"><table"));
    /* Contents, then summary, findings, terms, subjects, graph, appendix. */
    const char *toc = strstr(s, "<nav class=\"toc\""), *sum = strstr(s, "<h2 id=\"summary\">"),
               *fin = strstr(s, "id=\"findings\""), *terms = strstr(s, "id=\"terms\""),
               *subj = strstr(s, "<section class=\"subject\""),
               *graph = strstr(s, "<svg class=\"contact-graph\""),
               *app = strstr(s, "id=\"appendix-provenance\"");
    CHECK(toc && sum && fin && terms && subj && graph && app);
    CHECK(toc < sum && sum < fin && fin < terms && terms < subj && subj < graph && graph < app);
    /* Every subject is linked from the contents and the summary. */
    CHECK_EQ_INT(fx_count(s, "<section class=\"subject\""), m->t[RM_SUBJECTS].nrows);
    CHECK_EQ_INT(fx_count(s, "href=\"#subject-1\""), 2);
    CHECK(strstr(s, "<dfn>missed</dfn>:</dt> <dd>OTT activity with no carrier SMS record of the"
                    " same subject within 60 s"));
    /* Charts: a timeline and a heatmap per subject with activity. */
    CHECK_EQ_INT(fx_count(s, "<svg class=\"timeline\""), m->t[RM_SUBJECTS].nrows);
    CHECK_EQ_INT(fx_count(s, "<svg class=\"heatmap\""), m->t[RM_SUBJECTS].nrows);
    CHECK(strstr(s, "<th>calls</th>"));
    /* Activity tables are replaced by the heatmap; bursts are folded. */
    CHECK(strstr(s, "<table class=\"activity_hour\"") == NULL);
    CHECK(strstr(s, "<details><summary>Inferred OTT activity bursts (6)</summary>"));
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
    FX_RENDER(CHECK_EQ_INT(report_html(m, out, &e), 0), &s);
    CHECK(strstr(s, "<script") == NULL);
    CHECK(strstr(s, "&lt;script&gt;document.title=&#39;PWNED&#39;&lt;/script&gt;"));
    CHECK(!fx_has_control(s, false));
    free(s);
    report_model_free(m);
}

int main(void)
{
    RUN(structure);
    RUN(hostile);
    return harness_done();
}
