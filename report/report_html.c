/* report_html.c - self-contained HTML report (see report_html.h). */
#include "report/report_html.h"

#include <string.h>

#include "report/escape.h"
#include "report/report_summary.h"
#include "report/svg_graph.h"
#include "report/svg_heatmap.h"
#include "report/svg_timeline.h"
#include "report/svg_util.h"

static const char css[] =
    "*{box-sizing:border-box}html{-webkit-text-size-adjust:100%}"
    "body{font:14px/1.4 system-ui,sans-serif;margin:0 auto;padding:.8em 1em 3em;"
    "max-width:1240px;color:#111;background:#fff;overflow-wrap:anywhere}"
    "h1{font-size:1.5em}h2{border-bottom:2px solid #345;margin-top:2em}"
    "h3{font-size:1.05em;margin:1.2em 0 .3em}"
    ".scroll{overflow-x:auto;max-width:100%;margin:.3em 0 1em}"
    "table{border-collapse:collapse;font-size:12px}"
    "th,td{border:1px solid #bbb;padding:2px 6px;text-align:left;vertical-align:top;"
    "white-space:nowrap}"
    "th{background:#e8edf3}td.n{text-align:right;font-variant-numeric:tabular-nums}"
    ".kv td{white-space:normal;overflow-wrap:anywhere}"
    ".kv td:first-child{font-weight:600;background:#f4f6f8;white-space:nowrap}"
    ".inferred{color:#8a4b00;font-weight:normal;font-size:.85em}"
    "section.subject{border-left:4px solid #345;padding-left:.8em;margin-bottom:2em}"
    ".chart{overflow-x:auto;max-width:100%;margin:.5em 0}"
    /* Charts scale with the page down to a width where 11-unit text is
     * still about 7-9 px; below it their own container scrolls, never the
     * page. */
    ".chart svg{display:block;width:100%;height:auto;min-width:600px;background:#fafbfc;"
    "border:1px solid #ccc}.chart svg.contact-graph{min-width:760px}"
    "tr.missed td{color:#b00020;font-weight:600}.missed{color:#b00020;font-weight:600}"
    "nav.toc{background:#f4f6f8;border:1px solid #ccd;padding:.4em 1em;margin:1em 0}"
    "nav.toc ol{margin:.2em 0;padding-left:1.4em}nav.toc ol ol{columns:14em}"
    "dl.terms dt{font-weight:600;display:inline}dl.terms dd{display:inline;margin:0}"
    "dl.terms div{margin:.2em 0}ul.findings li{margin:.2em 0}p.note{color:#444;margin:.2em 0}"
    "details{margin:.5em 0}summary{cursor:pointer;font-weight:600}";

static void esc(FILE *out, const char *s) { escape_html(out, s); }

static const char *cell_text(const struct rt_cell *c, char buf[48])
{
    return c->type == RT_NULL ? "" : rt_str(c, buf);
}

static void table(FILE *out, const struct rt_table *t, const char *subject, bool skip0,
                  size_t limit)
{
    size_t k0 = skip0 ? 1 : 0, shown = rt_count(t, subject), done = 0;
    fprintf(out, "<h3>");
    esc(out, t->title);
    if (t->inferred)
        fprintf(out, " <span class=\"inferred\">[inferred from traffic shape]</span>");
    fprintf(out, "</h3>\n");
    if (!shown) {
        fprintf(out, "<p>(none)</p>\n");
        return;
    }
    fprintf(out, "<div class=\"scroll\"><table class=\"%s\"><thead><tr>", t->name);
    for (size_t k = k0; k < t->ncols; k++) {
        fprintf(out, "<th>");
        esc(out, t->cols[k]);
        fprintf(out, "</th>");
    }
    fprintf(out, "</tr></thead><tbody>\n");
    int kview = rt_col(t, "carrier_only_view");
    struct rt_sel sel;
    size_t r;
    rt_select(t, subject, &sel);
    while (rt_next(&sel, &r)) {
        if (limit && done++ == limit) {
            fprintf(out, "</tbody></table></div>\n<p>(first %zu of %zu rows shown; every row is in the"
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
    fprintf(out, "</tbody></table></div>\n");
    if (t->truncated)
        fprintf(out, "<p>(cut at %u rows)</p>\n", RT_MAX_ROWS);
}

static void kv(FILE *out, const struct rt_table *t)
{
    for (size_t r = 0; r < t->nrows; r++) {
        fprintf(out, "<div class=\"scroll\"><table class=\"kv %s\">", t->name);
        for (size_t k = 0; k < t->ncols; k++) {
            char buf[48];
            fprintf(out, "<tr><td>");
            esc(out, t->cols[k]);
            fprintf(out, "</td><td>");
            esc(out, cell_text(rt_at(t, r, k), buf));
            fprintf(out, "</td></tr>");
        }
        fprintf(out, "</table></div>\n");
    }
}


/* One-sentence notes printed under a table's heading where its term first
 * appears. */
static const char *table_note(enum rm_tab i)
{
    switch (i) {
    case RM_OTT_SESSIONS:
        return "One row per service and relay; the relay is the server the flow went to, not"
               " a person (OTT counterparts are not observable).";
    case RM_OTT_PERIODS:
        return "A period is OTT activity with no gap over 60 s; rows in red are missed: OTT"
               " activity with no carrier SMS record of the same subject within 60 s.";
    case RM_OTT_BURSTS:
        return "Bursts are runs of closely spaced packets inside a flow, inferred from packet"
               " timing; they are not observed messages.";
    default: return NULL;
    }
}

static void summary_section(FILE *out, const struct report_model *m,
                            const struct report_summary *sum)
{
    fprintf(out, "<h2 id=\"summary\">Summary</h2>\n<p class=\"provenance\"><b>Provenance:</b>"
                 " %zu run%s (%s), %zu input%s, %lld bytes, %lld packets, %s;"
                 " per-input hashes and status in <a href=\"#appendix-provenance\">the"
                 " appendix</a>.</p>\n", sum->runs, sum->runs == 1 ? "" : "s", sum->status,
            sum->inputs, sum->inputs == 1 ? "" : "s", sum->input_bytes, sum->input_packets,
            sum->inputs_incomplete ? "<span class=\"missed\">not all inputs complete</span>"
                                   : "all inputs complete");
    fprintf(out, "<p class=\"note\"><b>Scope:</b> metadata only (addresses, times, counts,"
                 " service labels); no message text or payload is stored or inferred (<a"
                 " href=\"#minimisation\">minimisation statement</a>).</p>\n");
    fprintf(out, "<div class=\"scroll\"><table class=\"summary\"><thead><tr><th>subject</th>"
                 "<th>identities</th><th>SMS records</th><th>OTT messaging sessions</th>"
                 "<th>calls</th><th>missed periods</th><th>first seen (UTC)</th>"
                 "<th>last seen (UTC)</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < sum->n; i++) {
        const struct rs_subject *x = &sum->s[i];
        char a[48] = "", b[48] = "";
        if (x->seen) {
            rt_format_time(x->first_us, a);
            rt_format_time(x->last_us, b);
        }
        fprintf(out, "<tr><td><a href=\"#subject-%zu\">", i + 1);
        esc(out, x->subject);
        fprintf(out, "</a></td><td>");
        for (size_t j = 0; j < x->nidentities; j++) {
            if (j)
                fprintf(out, "<br>");
            esc(out, x->identities[j]);
        }
        fprintf(out, "</td><td class=\"n\">%lld</td><td class=\"n\">%lld</td><td class=\"n\">"
                     "%lld</td><td class=\"n%s\">%lld</td><td>%s</td><td>%s</td></tr>\n",
                x->sms, x->ott_sessions, x->calls, x->missed ? " missed" : "", x->missed, a, b);
    }
    fprintf(out, "</tbody></table></div>\n<h3 id=\"findings\">Findings</h3>\n"
                 "<ul class=\"findings\">\n");
    if (!sum->nfindings)
        fprintf(out, "<li>none: no missed OTT periods, calls or shared counterparts</li>\n");
    for (size_t i = 0; i < sum->nfindings; i++) {
        fprintf(out, "<li>");
        esc(out, sum->findings[i]);
        fprintf(out, "</li>\n");
    }
    if (sum->findings_more)
        fprintf(out, "<li>+%zu more findings of the same kinds (see the subject sections)</li>\n",
                sum->findings_more);
    fprintf(out, "</ul>\n<h3 id=\"terms\">Terms used</h3>\n<dl class=\"terms\">\n");
    for (size_t i = 0; report_summary_terms[i][0]; i++)
        fprintf(out, "<div><dt><dfn>%s</dfn>:</dt> <dd>%s</dd></div>\n",
                report_summary_terms[i][0], report_summary_terms[i][1]);
    fprintf(out, "</dl>\n");
    (void)m;
}

static void toc(FILE *out, const struct report_model *m)
{
    const struct rt_table *subj = &m->t[RM_SUBJECTS];
    fprintf(out, "<nav class=\"toc\" aria-label=\"Contents\"><b>Contents</b><ol>"
                 "<li><a href=\"#summary\">Summary</a> (<a href=\"#findings\">findings</a>,"
                 " <a href=\"#terms\">terms</a>)</li><li><a href=\"#subjects\">Subjects</a> (%zu)"
                 "<ol>", subj->nrows);
    for (size_t r = 0; r < subj->nrows; r++) {
        fprintf(out, "<li><a href=\"#subject-%zu\">", r + 1);
        esc(out, rt_at(subj, r, 0)->s);
        fprintf(out, "</a></li>");
    }
    fprintf(out, "</ol></li><li><a href=\"#across\">Across subjects</a> (<a"
                 " href=\"#contact-graph\">contact graph</a>)</li><li><a href=\"#records\">"
                 "Records</a></li><li><a href=\"#appendix-provenance\">Appendix: runs and"
                 " inputs</a></li><li><a href=\"#minimisation\">Appendix: minimisation</a></li>"
                 "</ol></nav>\n");
}

static const enum rm_tab per_subject[] = {
    RM_SUBSCRIBER_IDS, RM_SMS_CONTACTS, RM_SMS_MESSAGES, RM_OTT_SESSIONS, RM_OTT_CALLS,
    RM_DIRECT_CONTACTS, RM_OTT_PERIODS,
};

static void subject_section(FILE *out, const struct report_model *m,
                            const struct svg_palette *pal, size_t r)
{
    const struct rt_table *subj = &m->t[RM_SUBJECTS];
    const char *s = rt_at(subj, r, 0)->s ? rt_at(subj, r, 0)->s : "";
    fprintf(out, "<section class=\"subject\" id=\"subject-%zu\" data-subject=\"", r + 1);
    esc(out, s);
    fprintf(out, "\">\n<h2>Subject ");
    esc(out, s);
    fprintf(out, " <small>(");
    esc(out, rt_at(subj, r, 1)->s);
    fprintf(out, ")</small></h2>\n");
    fprintf(out, "<h3>Timeline (UTC)</h3>\n<div class=\"chart\">\n");
    if (!svg_timeline(out, m, pal, s, false))
        fprintf(out, "<p>(no timed activity)</p>\n");
    fprintf(out, "</div>\n");
    char empty[512] = "";
    size_t ek = 0;
    for (size_t i = 0; i < sizeof per_subject / sizeof per_subject[0]; i++) {
        const struct rt_table *t = &m->t[per_subject[i]];
        if (!t->present)
            continue;
        if (!rt_count(t, s)) {
            ek += (size_t)snprintf(empty + ek, sizeof empty - ek, "%s%s", ek ? "; " : "",
                                   t->title);
            continue;
        }
        table(out, t, s, true, 0);
        const char *note = table_note(per_subject[i]);
        if (note)
            fprintf(out, "<p class=\"note\">%s</p>\n", note);
    }
    const struct rt_table *b = &m->t[RM_OTT_BURSTS];
    if (b->present && rt_count(b, s)) {
        fprintf(out, "<details><summary>Inferred OTT activity bursts (%zu)</summary>\n",
                rt_count(b, s));
        fprintf(out, "<p class=\"note\">%s</p>\n", table_note(RM_OTT_BURSTS));
        table(out, b, s, true, HTML_MAX_RECORD_ROWS);
        fprintf(out, "</details>\n");
    } else if (b->present) {
        ek += (size_t)snprintf(empty + ek, sizeof empty - ek, "%s%s", ek ? "; " : "",
                               b->title);
    }
    fprintf(out, "<h3>Activity by hour of day and weekday (UTC)</h3>\n<div class=\"chart\">\n");
    if (!svg_heatmap(out, m, s, false))
        fprintf(out, "<p>(no activity)</p>\n");
    fprintf(out, "</div>\n");
    if (ek) {
        fprintf(out, "<p class=\"note\">No records: ");
        esc(out, empty);
        fprintf(out, ".</p>\n");
    }
    fprintf(out, "</section>\n");
}

int report_html(const struct report_model *m, FILE *out, struct err *e)
{
    char gen[48], filt[512];
    struct report_summary sum;
    int rc = report_summary_build(m, &sum, e);
    if (rc)
        return rc;
    struct svg_palette pal;
    svg_palette_build(m, &pal);
    rt_format_time(m->generated_us, gen);
    report_model_filter_text(m, filt, sizeof filt);
    fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
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
    fprintf(out, "<div class=\"scroll\"><table class=\"kv\"><tr><td>generated (UTC)</td><td>%s"
                 "</td></tr><tr><td>generator</td><td>trapline ", gen);
    esc(out, m->generator_version);
    fprintf(out, "</td></tr><tr><td>filter</td><td>");
    esc(out, *filt ? filt : "none");
    fprintf(out, "</td></tr><tr><td>authority</td><td>");
    esc(out, m->authority);
    fprintf(out, "</td></tr><tr><td>audit chain head</td><td>");
    esc(out, m->audit_head[0] ? m->audit_head : "none (the audit log is empty or absent)");
    fprintf(out, "</td></tr><tr><td>times</td><td>%s</td></tr></table></div>\n",
            report_model_time_note);
    toc(out, m);
    summary_section(out, m, &sum);
    const struct rt_table *subj = &m->t[RM_SUBJECTS];
    fprintf(out, "<h2 id=\"subjects\">Subjects</h2>\n");
    for (size_t r = 0; r < subj->nrows; r++)
        subject_section(out, m, &pal, r);
    fprintf(out, "<h2 id=\"across\">Across subjects</h2>\n");
    static const enum rm_tab cross[] = {RM_COMMON_COUNTERPARTS, RM_COMMON_SERVICES};
    for (size_t i = 0; i < 2; i++) {
        const struct rt_table *t = &m->t[cross[i]];
        if (t->nrows) {
            table(out, t, NULL, false, 0);
        } else {
            fprintf(out, "<p class=\"note\">No records: ");
            esc(out, t->title);
            fprintf(out, ".</p>\n");
        }
    }
    if (m->t[RM_INFERRED_CONTACTS].present) {
        table(out, &m->t[RM_INFERRED_CONTACTS], NULL, false, 0);
        fprintf(out, "<ul class=\"caveats\">\n");
        for (int i = 0; report_model_inferred_caveats[i]; i++) {
            fprintf(out, "<li>");
            esc(out, report_model_inferred_caveats[i]);
            fprintf(out, "</li>\n");
        }
        fprintf(out, "</ul>\n");
    }
    fprintf(out, "<h3 id=\"contact-graph\">Contact graph</h3>\n<div class=\"chart\">\n");
    if (!svg_graph(out, m, false))
        fprintf(out, "<p>(no contacts)</p>\n");
    fprintf(out, "</div>\n");
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
    fprintf(out, "<h2 id=\"appendix-provenance\">Appendix: runs and inputs</h2>\n<h3>Runs</h3>\n");
    kv(out, &m->t[RM_RUNS]);
    table(out, &m->t[RM_INPUTS], NULL, false, 0);
    fprintf(out, "<h2 id=\"minimisation\">Appendix: minimisation</h2>\n<ul>\n");
    for (int i = 0; report_model_minimisation[i]; i++) {
        fprintf(out, "<li>");
        esc(out, report_model_minimisation[i]);
        fprintf(out, "</li>\n");
    }
    if (m->scope_dropped[0]) {
        fprintf(out, "<li>");
        esc(out, m->scope_dropped);
        fprintf(out, "</li>\n");
    }
    fprintf(out, "<li>Sources in this database: flows yes, sms_events %s, ott_events %s.</li>"
                 "\n</ul>\n", m->has_sms ? "yes" : "no", m->has_ott_events ? "yes" : "no");
    fprintf(out, "</body></html>\n");
    report_summary_free(&sum);
    if (fflush(out) != 0 || ferror(out))
        return err_set(e, RC_IO, "writing HTML failed");
    return 0;
}
