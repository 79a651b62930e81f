/* test_report_svg.c - the SVG charts (svg_timeline.c, svg_heatmap.c,
 * svg_graph.c, svg_util.c) on the fixture database
 * (tests/unit/report_fixture.h) plus rows added here: axis ticks and
 * breaks, one colour per service, the heatmap's cells, the graph's top-N
 * cut, label rows that never overlap, escaping, standalone files. */
#include "report/svg_graph.h"
#include "report/svg_heatmap.h"
#include "report/svg_timeline.h"
#include "report/svg_util.h"

#include <string.h>

#include "tests/unit/report_fixture.h"

#define DB "build/test-out/test_report_svg.db"
#define HDB "build/test-out/test_report_svg_hostile.db"
#define DAY (86400LL * 1000000)

/* Colour of the first OTT bar of service svc in s ("" when none). */
static void bar_colour(const char *s, const char *svc, char out[8])
{
    out[0] = '\0';
    for (const char *p = s; (p = strstr(p, "<rect class=\"ott\"")); p++) {
        const char *end = strstr(p, "</rect>"), *f = strstr(p, "fill=\"");
        const char *t = strstr(p, "<title>");
        if (!end || !f || !t || f > end || t > end)
            continue;
        char want[64];
        snprintf(want, sizeof want, " %s ", svc);
        const char *w = strstr(t, want);
        if (w && w < end) {
            snprintf(out, 8, "%.7s", f + 6);
            return;
        }
    }
}

TEST(timeline)
{
    fx_build(DB, false);
    struct report_model *m = fx_model(DB);
    if (!m)
        return;
    struct svg_palette p;
    svg_palette_build(m, &p);
    CHECK_EQ_INT(p.n, 3); /* ApplePush, Signal, WhatsApp, sorted */
    CHECK_STR(p.name[0], "ApplePush");
    CHECK(strcmp(svg_palette_colour(&p, "ApplePush"), svg_palette_colour(&p, "Signal")) != 0);
    CHECK(strcmp(svg_palette_colour(&p, "Signal"), svg_palette_colour(&p, "WhatsApp")) != 0);
    char *s = NULL, *s2 = NULL;
    FX_RENDER(CHECK(svg_timeline(out, m, &p, "10.0.0.10", false)), &s);
    CHECK(strncmp(s, "<svg class=\"timeline\"", 21) == 0);
    CHECK(strstr(s, "viewBox=\"0 0 960 ") != NULL);
    CHECK(strstr(s, " width=\"") == NULL || strstr(s, " width=\"") > strstr(s, "<title>"));
    CHECK(fx_count(s, "class=\"tick\"") >= 4);
    CHECK(fx_count(s, "class=\"lane\"") == 4);
    CHECK(strstr(s, "<g class=\"legend\">") != NULL);
    CHECK_EQ_INT(fx_count(s, "class=\"break\""), 0);
    CHECK_EQ_INT(fx_count(s, "class=\"missed-period\""), 1);
    /* One colour per service, the same in every subject's chart. */
    char a[8], b[8], c[8], d[8];
    bar_colour(s, "Signal", a);
    bar_colour(s, "WhatsApp", b);
    bar_colour(s, "ApplePush", c);
    CHECK(a[0] && b[0] && c[0] && strcmp(a, b) != 0 && strcmp(a, c) != 0 && strcmp(b, c) != 0);
    FX_RENDER(CHECK(svg_timeline(out, m, &p, "10.45.0.2", false)), &s2);
    bar_colour(s2, "Signal", d);
    CHECK_STR(d, a);
    free(s2);
    /* The same model gives the same bytes. */
    FX_RENDER(CHECK(svg_timeline(out, m, &p, "10.0.0.10", false)), &s2);
    CHECK_STR(s2, s);
    free(s2);
    free(s);
    /* Nothing to draw for an unknown subject. */
    FX_RENDER(CHECK(!svg_timeline(out, m, &p, "192.0.2.1", false)), &s);
    CHECK_EQ_INT(strlen(s), 0);
    free(s);
    report_model_free(m);

    /* Activity 3 days and 400 days later: two axis breaks, three segments,
     * ticks in every segment. */
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO sms_events (run_id, flow_id, ts_us, protocol, operation, direction,"
             " originator, recipient, status, content_present) VALUES"
             " (1, 0, %lld, 'smpp', 'submit', 'mo', '+15550100', '+15550111', 'ESME_ROK', 1),"
             " (1, 0, %lld, 'smpp', 'submit', 'mo', '+15550100', '+15550111', 'ESME_ROK', 1);",
             FX_T0 + 3 * DAY, FX_T0 + 400 * DAY);
    fx_exec(DB, sql);
    m = fx_model(DB);
    if (!m)
        return;
    svg_palette_build(m, &p);
    FX_RENDER(CHECK(svg_timeline(out, m, &p, "15550100", true)), &s);
    CHECK(strncmp(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg", 43) == 0);
    CHECK(strstr(s, "xmlns=\"http://www.w3.org/2000/svg\" width=\"960\" height=\""));
    CHECK_EQ_INT(fx_count(s, "class=\"break\""), 2);
    CHECK_EQ_INT(fx_count(s, "class=\"segment-date\""), 3);
    CHECK(strstr(s, "2024-03-04 UTC") && strstr(s, "2025-04-05 UTC"));
    CHECK(strstr(s, "axis break: 397 days without activity"));
    CHECK(fx_count(s, "class=\"tick\"") >= 6);
    free(s);
    report_model_free(m);
}

TEST(heatmap)
{
    fx_build(DB, false);
    struct report_model *m = fx_model(DB);
    if (!m)
        return;
    char *s = NULL;
    FX_RENDER(CHECK(svg_heatmap(out, m, "15550100", false)), &s);
    CHECK(strncmp(s, "<svg class=\"heatmap\"", 20) == 0);
    CHECK_EQ_INT(fx_count(s, "class=\"hm-cell\""), 7 * 24);
    /* 2024-03-01 is a Friday: two SMS at 10h, one at 11h. */
    CHECK(strstr(s, "<title>Fri 10:00-10:59 UTC: 2 SMS, 0 OTT</title>"));
    CHECK(strstr(s, "<title>Fri 11:00-11:59 UTC: 1 SMS, 0 OTT</title>"));
    CHECK(strstr(s, "<title>Mon 10:00-10:59 UTC: 0 SMS, 0 OTT</title>"));
    CHECK(strstr(s, "<g class=\"legend\">"));
    free(s);
    FX_RENDER(CHECK(svg_heatmap(out, m, "10.0.0.10", false)), &s);
    CHECK(strstr(s, "<title>Fri 10:00-10:59 UTC: 0 SMS, 6 OTT</title>"));
    free(s);
    FX_RENDER(CHECK(!svg_heatmap(out, m, "192.0.2.1", false)), &s);
    free(s);
    report_model_free(m);
}

/* y of every <text class="label" x="X" ...> per x; false when two labels
 * of one column are closer than their font size. */
static bool labels_apart(const char *s, size_t *count)
{
    double xs[4096], ys[4096];
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, "<text class=\"label")) && n < 4096; p++) {
        const char *x = strstr(p, " x=\""), *y = strstr(p, " y=\"");
        if (!x || !y)
            break;
        xs[n] = atof(x + 4);
        ys[n++] = atof(y + 4);
    }
    *count = n;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (xs[i] == xs[j] && (ys[i] - ys[j] < 12 && ys[j] - ys[i] < 12))
                return false;
    return true;
}

TEST(graph)
{
    fx_build(DB, false);
    /* 20 more counterparts of +15550100, 1..20 SMS each. */
    for (int i = 1; i <= 20; i++) {
        char sql[1024];
        snprintf(sql, sizeof sql,
                 "WITH RECURSIVE c(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM c WHERE k < %d)"
                 " INSERT INTO sms_events (run_id, flow_id, ts_us, protocol, operation,"
                 " direction, originator, recipient, status, content_present)"
                 " SELECT 1, 0, %lld + k, 'smpp', 'submit', 'mo', '+15550100', '+155507%02d',"
                 " 'ESME_ROK', 1 FROM c;", i, FX_T0 + i * 1000000LL, i);
        fx_exec(DB, sql);
    }
    struct report_model *m = fx_model(DB);
    if (!m)
        return;
    char *s = NULL;
    FX_RENDER(CHECK(svg_graph(out, m, false)), &s);
    CHECK(strncmp(s, "<svg class=\"contact-graph\"", 26) == 0);
    /* 15550100 has 22 counterparts: 8 drawn, "+14 more". */
    CHECK(strstr(s, ">+14 more of 15550100 (in the tables)</text>"));
    CHECK(strstr(s, ">15550720 \xc3\x97" "20</text>"));
    CHECK(strstr(s, ">15550701 \xc3\x97") == NULL);
    /* Direction: sent SMS end in an arrow at the counterpart; the received
     * one from 15550111 has one at the subject. */
    CHECK(strstr(s, "marker-end=\"url(#cg-arrow-sms)\""));
    CHECK(strstr(s, "marker-start=\"url(#cg-arrow-sms)\""));
    CHECK(strstr(s, "marker-end=\"url(#cg-arrow-ott)\""));
    /* Edge width grows with the count. */
    CHECK(strstr(s, "stroke-width=\"1.0\"") && strstr(s, "stroke-width=\"5.5\""));
    size_t nl = 0;
    CHECK(labels_apart(s, &nl));
    CHECK(nl >= 8 + 5);
    CHECK(strstr(s, "<g class=\"legend\">"));
    free(s);
    report_model_free(m);
}

TEST(hostile)
{
    fx_build(HDB, true);
    struct report_model *m = fx_model(HDB);
    if (!m)
        return;
    struct svg_palette p;
    svg_palette_build(m, &p);
    char *s = NULL;
    size_t n = 0;
    FILE *out = open_memstream(&s, &n);
    for (size_t r = 0; r < m->t[RM_SUBJECTS].nrows; r++) {
        const char *subj = rt_at(&m->t[RM_SUBJECTS], r, 0)->s;
        svg_timeline(out, m, &p, subj ? subj : "", true);
        svg_heatmap(out, m, subj ? subj : "", true);
    }
    svg_graph(out, m, true);
    fclose(out);
    CHECK(n > 1000);
    CHECK(strstr(s, "<script") == NULL);
    CHECK(strstr(s, "Signal&lt;script&gt;x&lt;/script&gt;"));
    CHECK(!fx_has_control(s, false));
    free(s);
    /* svg_shorten never splits a UTF-8 sequence. */
    char buf[64];
    svg_shorten("abc\xc3\xa9\xc3\xa9", 4, buf, sizeof buf);
    CHECK_STR(buf, "abc\xe2\x80\xa6");
    svg_shorten("short", 10, buf, sizeof buf);
    CHECK_STR(buf, "short");
    report_model_free(m);
}

int main(void)
{
    RUN(timeline);
    RUN(heatmap);
    RUN(graph);
    RUN(hostile);
    return harness_done();
}
