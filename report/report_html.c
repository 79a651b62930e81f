/* report_html.c - self-contained HTML report (see report_html.h). */
#include "report/report_html.h"

#include <math.h>
#include <string.h>

#include "report/escape.h"

/* Bytes of a node label drawn in the contact graph. */
#define HTML_LABEL_MAX 24

static const char css[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#111;background:#fff}"
    "h1{font-size:1.5em}h2{border-bottom:2px solid #345;margin-top:2em}"
    "h3{font-size:1.05em;margin:1.2em 0 .3em}"
    "table{border-collapse:collapse;margin:.3em 0 1em;font-size:12px}"
    "th,td{border:1px solid #bbb;padding:2px 6px;text-align:left;vertical-align:top}"
    "th{background:#e8edf3}td.n{text-align:right;font-variant-numeric:tabular-nums}"
    ".inferred{color:#8a4b00;font-weight:normal;font-size:.85em}"
    "section.subject{border-left:4px solid #345;padding-left:1em;margin-bottom:2em}"
    ".kv td:first-child{font-weight:600;background:#f4f6f8}"
    "svg{background:#fafbfc;border:1px solid #ccc;display:block;margin:.5em 0}"
    ".missed{color:#b00020;font-weight:600}"
    "details{margin:.5em 0}summary{cursor:pointer;font-weight:600}";

static void esc(FILE *out, const char *s) { escape_html(out, s); }

static const char *cell_text(const struct rt_cell *c, char buf[48])
{
    return c->type == RT_NULL ? "" : rt_str(c, buf);
}

static bool row_match(const struct rt_table *t, size_t r, const char *subject)
{
    if (!subject)
        return true;
    const struct rt_cell *c = rt_at(t, r, 0);
    return c->type == RT_TEXT && strcmp(c->s, subject) == 0;
}

static void table(FILE *out, const struct rt_table *t, const char *subject, bool skip0,
                  size_t limit)
{
    size_t k0 = skip0 ? 1 : 0, shown = 0, done = 0;
    fprintf(out, "<h3>");
    esc(out, t->title);
    if (t->inferred)
        fprintf(out, " <span class=\"inferred\">[inferred from traffic shape]</span>");
    fprintf(out, "</h3>\n");
    for (size_t r = 0; r < t->nrows; r++)
        shown += row_match(t, r, subject);
    if (!shown) {
        fprintf(out, "<p>(none)</p>\n");
        return;
    }
    fprintf(out, "<table class=\"%s\"><thead><tr>", t->name);
    for (size_t k = k0; k < t->ncols; k++) {
        fprintf(out, "<th>");
        esc(out, t->cols[k]);
        fprintf(out, "</th>");
    }
    fprintf(out, "</tr></thead><tbody>\n");
    int kview = rt_col(t, "carrier_only_view");
    for (size_t r = 0; r < t->nrows; r++) {
        if (!row_match(t, r, subject))
            continue;
        if (limit && done++ == limit) {
            fprintf(out, "</tbody></table>\n<p>(first %zu of %zu rows shown; every row is in the"
                         " csv and json exports)</p>\n", limit, shown);
            return;
        }
        bool missed = kview >= 0 && rt_at(t, r, (size_t)kview)->s &&
                      strcmp(rt_at(t, r, (size_t)kview)->s, "missed") == 0;
        fprintf(out, "<tr%s>", missed ? " class=\"missed\"" : "");
        for (size_t k = k0; k < t->ncols; k++) {
            const struct rt_cell *c = rt_at(t, r, k);
            char buf[48];
            bool num = c->type == RT_INT || c->type == RT_DUR;
            fprintf(out, "<td%s>", num ? " class=\"n\"" : "");
            esc(out, cell_text(c, buf));
            fprintf(out, "</td>");
        }
        fprintf(out, "</tr>\n");
    }
    fprintf(out, "</tbody></table>\n");
    if (t->truncated)
        fprintf(out, "<p>(cut at %u rows)</p>\n", RT_MAX_ROWS);
}

static void kv(FILE *out, const struct rt_table *t)
{
    for (size_t r = 0; r < t->nrows; r++) {
        fprintf(out, "<table class=\"kv %s\">", t->name);
        for (size_t k = 0; k < t->ncols; k++) {
            char buf[48];
            fprintf(out, "<tr><td>");
            esc(out, t->cols[k]);
            fprintf(out, "</td><td>");
            esc(out, cell_text(rt_at(t, r, k), buf));
            fprintf(out, "</td></tr>");
        }
        fprintf(out, "</table>\n");
    }
}

/* Timeline of one subject: OTT activity bars, SMS ticks, missed periods. */
static void timeline(FILE *out, const struct report_model *m, const char *subject)
{
    const struct rt_table *ts = &m->t[RM_TL_SMS], *to = &m->t[RM_TL_OTT],
                          *tp = &m->t[RM_OTT_PERIODS];
    long long lo = 0, hi = 0;
    bool any = false;
    for (size_t r = 0; r < ts->nrows; r++)
        if (row_match(ts, r, subject)) {
            long long t = rt_at(ts, r, 1)->i;
            lo = any && lo < t ? lo : t;
            hi = any && hi > t ? hi : t;
            any = true;
        }
    for (size_t r = 0; r < to->nrows; r++)
        if (row_match(to, r, subject)) {
            long long a = rt_at(to, r, 1)->i, b = rt_at(to, r, 2)->i;
            lo = any && lo < a ? lo : a;
            hi = any && hi > b ? hi : b;
            any = true;
        }
    if (!any)
        return;
    if (hi <= lo)
        hi = lo + 1000000;
    const int W = HTML_TL_WIDTH, L = 70, R = 20, H = 130;
    double span = (double)(hi - lo), pw = W - L - R;
#define X(t) (L + pw * (double)((t) - lo) / span)
    char a[48], b[48];
    rt_format_time(lo, a);
    rt_format_time(hi, b);
    fprintf(out, "<h3>Timeline (UTC)</h3>\n<svg class=\"timeline\" role=\"img\""
                 " xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                 " viewBox=\"0 0 %d %d\"><title>Timeline of ", W, H, W, H);
    esc(out, subject);
    fprintf(out, "</title>\n<text x=\"4\" y=\"30\" font-size=\"12\">OTT</text>"
                 "<text x=\"4\" y=\"60\" font-size=\"12\">SMS</text>"
                 "<text x=\"4\" y=\"90\" font-size=\"12\">missed</text>"
                 "<line x1=\"%d\" y1=\"102\" x2=\"%d\" y2=\"102\" stroke=\"#555\"/>"
                 "<text x=\"%d\" y=\"120\" font-size=\"11\">%s</text>"
                 "<text x=\"%d\" y=\"120\" font-size=\"11\" text-anchor=\"end\">%s</text>\n",
            L, W - R, L, a, W - R, b);
    for (size_t r = 0; r < tp->nrows; r++) {
        if (!row_match(tp, r, subject) || !rt_at(tp, r, 8)->s ||
            strcmp(rt_at(tp, r, 8)->s, "missed") != 0)
            continue;
        double x0 = X(rt_at(tp, r, 1)->i), x1 = X(rt_at(tp, r, 2)->i);
        fprintf(out, "<rect class=\"missed-period\" x=\"%.1f\" y=\"78\" width=\"%.1f\""
                     " height=\"16\" fill=\"#d32f2f\" opacity=\"0.75\"><title>missed: ",
                x0, x1 - x0 < 2 ? 2 : x1 - x0);
        esc(out, rt_at(tp, r, 4)->s);
        fprintf(out, "</title></rect>\n");
    }
    for (size_t r = 0; r < to->nrows; r++) {
        if (!row_match(to, r, subject))
            continue;
        double x0 = X(rt_at(to, r, 1)->i), x1 = X(rt_at(to, r, 2)->i);
        char t0[48];
        rt_format_time(rt_at(to, r, 1)->i, t0);
        fprintf(out, "<rect class=\"ott\" x=\"%.1f\" y=\"18\" width=\"%.1f\" height=\"16\""
                     " fill=\"%s\" opacity=\"0.7\"><title>%s ",
                x0, x1 - x0 < 2 ? 2 : x1 - x0, rt_at(to, r, 5)->i ? "#1565c0" : "#64b5f6", t0);
        esc(out, rt_at(to, r, 3)->s);
        fprintf(out, "</title></rect>\n");
    }
    for (size_t r = 0; r < ts->nrows; r++) {
        if (!row_match(ts, r, subject))
            continue;
        double x = X(rt_at(ts, r, 1)->i);
        char t0[48];
        rt_format_time(rt_at(ts, r, 1)->i, t0);
        fprintf(out, "<line class=\"sms\" x1=\"%.1f\" y1=\"46\" x2=\"%.1f\" y2=\"66\""
                     " stroke=\"#2e7d32\" stroke-width=\"2\"><title>%s ", x, x, t0);
        esc(out, rt_at(ts, r, 2)->s);
        fprintf(out, " ");
        esc(out, rt_at(ts, r, 3)->s);
        fprintf(out, "</title></line>\n");
    }
#undef X
    fprintf(out, "</svg>\n");
}

/* Contact graph: nodes on a circle, edges weighted by count. */
static void graph(FILE *out, const struct report_model *m)
{
    const struct rt_table *nt = &m->t[RM_NODES], *et = &m->t[RM_EDGES];
    fprintf(out, "<h3>Contact graph</h3>\n");
    if (nt->nrows == 0) {
        fprintf(out, "<p>(no contacts)</p>\n");
        return;
    }
    const int S = HTML_GRAPH_SIZE;
    const double cx = S / 2.0, cy = S / 2.0, rad = S / 2.0 - 150;
    size_t n = nt->nrows;
    fprintf(out, "<svg class=\"contact-graph\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\""
                 " width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\"><title>Contact graph"
                 "</title>\n", S, S, S, S);
    for (size_t r = 0; r < et->nrows; r++) {
        long a = -1, b = -1;
        for (size_t i = 0; i < n; i++) {
            if (strcmp(rt_at(nt, i, 0)->s, rt_at(et, r, 0)->s) == 0)
                a = (long)i;
            if (strcmp(rt_at(nt, i, 0)->s, rt_at(et, r, 1)->s) == 0)
                b = (long)i;
        }
        if (a < 0 || b < 0)
            continue;
        double ta = 2 * M_PI * (double)a / (double)n, tb = 2 * M_PI * (double)b / (double)n;
        double w = 1 + log((double)(rt_at(et, r, 4)->i > 0 ? rt_at(et, r, 4)->i : 1));
        bool sms = rt_at(et, r, 2)->s && strcmp(rt_at(et, r, 2)->s, "sms") == 0;
        fprintf(out, "<line class=\"edge\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\""
                     " stroke=\"%s\" stroke-width=\"%.1f\" opacity=\"0.6\"><title>",
                cx + rad * cos(ta), cy + rad * sin(ta), cx + rad * cos(tb), cy + rad * sin(tb),
                sms ? "#2e7d32" : "#1565c0", w);
        esc(out, rt_at(et, r, 3)->s);
        fprintf(out, " x%lld</title></line>\n", rt_at(et, r, 4)->i);
    }
    for (size_t i = 0; i < n; i++) {
        double t = 2 * M_PI * (double)i / (double)n;
        double x = cx + rad * cos(t), y = cy + rad * sin(t);
        bool subj = rt_at(nt, i, 3)->i != 0;
        const char *type = rt_at(nt, i, 2)->s ? rt_at(nt, i, 2)->s : "";
        fprintf(out, "<circle class=\"node\" cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"%s\""
                     " stroke=\"#222\"/>", x, y, subj ? 9 : 6,
                strcmp(type, "relay") == 0 ? "#90caf9" : subj ? "#ffb300" : "#a5d6a7");
        /* Long labels are shortened on the drawing only; the full value is the
         * label's <title> and is in the tables. */
        const char *label = rt_at(nt, i, 1)->s ? rt_at(nt, i, 1)->s : "";
        char shortl[HTML_LABEL_MAX + 1];
        snprintf(shortl, sizeof shortl, "%s", label);
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"%s\"><title>",
                x + (cos(t) >= 0 ? 12 : -12), y + 4, cos(t) >= 0 ? "start" : "end");
        esc(out, label);
        fprintf(out, "</title>");
        esc(out, shortl);
        fprintf(out, "%s</text>\n", strlen(label) > HTML_LABEL_MAX ? "\u2026" : "");
    }
    fprintf(out, "</svg>\n<p>Orange: subjects; green: SMS addresses and SMS edges; blue: OTT"
                 " relay endpoints and OTT edges (the OTT peer is not observable).</p>\n");
}

static const enum rm_tab per_subject[] = {
    RM_SMS_CONTACTS, RM_OTT_SESSIONS, RM_OTT_PERIODS, RM_ACTIVITY_HOUR,
    RM_ACTIVITY_WEEKDAY, RM_OTT_BURSTS,
};

int report_html(const struct report_model *m, FILE *out, struct err *e)
{
    char gen[48], filt[512];
    rt_format_time(m->generated_us, gen);
    report_model_filter_text(m, filt, sizeof filt);
    fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                 "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
                 " style-src 'unsafe-inline'\">\n<meta name=\"referrer\" content=\"no-referrer\">\n"
                 "<title>trapline contact-record report</title>\n<style>%s</style></head>\n"
                 "<body>\n", css);
    char warn[RM_WARNING_MAX];
    report_model_warning(m, warn, sizeof warn);
    if (*warn) {
        fprintf(out, "<p class=\"warning\"><strong>");
        esc(out, warn);
        fprintf(out, "</strong></p>\n");
    }
    fprintf(out, "<h1>trapline contact-record report</h1>\n");
    fprintf(out, "<table class=\"kv\"><tr><td>generated (UTC)</td><td>%s</td></tr>"
                 "<tr><td>generator</td><td>trapline ", gen);
    esc(out, m->generator_version);
    fprintf(out, "</td></tr><tr><td>filter</td><td>");
    esc(out, *filt ? filt : "none");
    fprintf(out, "</td></tr><tr><td>authority</td><td>%s</td></tr><tr><td>times</td><td>%s"
                 "</td></tr></table>\n", report_model_authority_note, report_model_time_note);
    fprintf(out, "<h2 id=\"provenance\">Runs and inputs</h2>\n<h3>Runs</h3>\n");
    kv(out, &m->t[RM_RUNS]);
    table(out, &m->t[RM_INPUTS], NULL, false, 0);
    fprintf(out, "<h2 id=\"minimisation\">Minimisation</h2>\n<ul>\n");
    for (int i = 0; report_model_minimisation[i]; i++) {
        fprintf(out, "<li>");
        esc(out, report_model_minimisation[i]);
        fprintf(out, "</li>\n");
    }
    fprintf(out, "<li>Sources in this database: flows yes, sms_events %s, ott_events %s.</li>"
                 "\n</ul>\n", m->has_sms ? "yes" : "no", m->has_ott_events ? "yes" : "no");
    const struct rt_table *subj = &m->t[RM_SUBJECTS];
    fprintf(out, "<h2 id=\"subjects\">Subjects</h2>\n");
    table(out, subj, NULL, false, 0);
    for (size_t r = 0; r < subj->nrows; r++) {
        const char *s = rt_at(subj, r, 0)->s ? rt_at(subj, r, 0)->s : "";
        fprintf(out, "<section class=\"subject\" id=\"subject-%zu\" data-subject=\"", r + 1);
        esc(out, s);
        fprintf(out, "\">\n<h2>Subject ");
        esc(out, s);
        fprintf(out, " <small>(");
        esc(out, rt_at(subj, r, 1)->s);
        fprintf(out, ")</small></h2>\n");
        timeline(out, m, s);
        for (size_t i = 0; i < sizeof per_subject / sizeof per_subject[0]; i++)
            if (m->t[per_subject[i]].present)
                table(out, &m->t[per_subject[i]], s, true, 0);
        fprintf(out, "</section>\n");
    }
    fprintf(out, "<h2 id=\"across\">Across subjects</h2>\n");
    table(out, &m->t[RM_COMMON_COUNTERPARTS], NULL, false, 0);
    table(out, &m->t[RM_COMMON_SERVICES], NULL, false, 0);
    graph(out, m);
    fprintf(out, "<h2 id=\"records\">Records</h2>\n");
    static const enum rm_tab recs[] = {RM_FLOWS, RM_SMS_EVENTS, RM_OTT_EVENTS, RM_RUN_STATS};
    for (size_t i = 0; i < sizeof recs / sizeof recs[0]; i++) {
        const struct rt_table *t = &m->t[recs[i]];
        if (!t->present)
            continue;
        fprintf(out, "<details><summary>");
        esc(out, t->title);
        fprintf(out, " (%zu)</summary>\n", t->nrows);
        table(out, t, NULL, false, HTML_MAX_RECORD_ROWS);
        fprintf(out, "</details>\n");
    }
    fprintf(out, "</body></html>\n");
    if (fflush(out) != 0 || ferror(out))
        return err_set(e, RC_IO, "writing HTML failed");
    return 0;
}
