/* report_text.c - text contact-record report (see report_text.h). */
#include "report/report_text.h"

#include <stdlib.h>
#include <string.h>

#include "report/escape.h"
#include "report/report_summary.h"

/* Distinct flows summarised in one subject's burst section at a time. */
#define TEXT_FLOWS_MAX 4096u

static size_t cell_width(const struct rt_cell *c)
{
    char buf[48];
    return escape_text_width(c->type == RT_NULL ? "-" : rt_str(c, buf));
}

/* Writes s (trusted or already escaped text) wrapped at width, the first
 * line after a prefix of `first` columns already written, later lines
 * indented by `indent`. */
static void wrap(FILE *out, const char *s, size_t first, size_t indent, size_t width)
{
    if (!width || width <= indent + 20) {
        fputs(s, out);
        fputc('\n', out);
        return;
    }
    size_t col = first;
    bool line_start = true;
    while (*s) {
        const char *sp = s;
        while (*sp == ' ')
            sp++;
        size_t wl = strcspn(sp, " ");
        /* Keep a number and its unit together ("60 s"). */
        if (wl && strspn(sp, "0123456789") == wl && sp[wl] == ' ' && sp[wl + 1] == 's' &&
            strchr(" .,:;)", sp[wl + 2]))
            wl += 1 + strcspn(sp + wl + 1, " ");
        if (!line_start && col + 1 + wl > width) {
            fprintf(out, "\n%*s", (int)indent, "");
            col = indent;
            line_start = true;
        }
        if (!line_start) {
            fputc(' ', out);
            col++;
        }
        fwrite(sp, 1, wl, out);
        col += wl;
        line_start = false;
        s = sp + wl;
    }
    fputc('\n', out);
}

/* escape_text() into a new string (owned; NULL when out of memory). */
static char *escaped(const char *s)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    if (!f)
        return NULL;
    escape_text(f, s);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* Prints each '\n'-separated line of text, escaped, after prefix, wrapped at
 * width (continuation lines indented by the prefix's length plus 2). */
static void text_lines(FILE *out, const char *text, const char *prefix, size_t width)
{
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        char *line = strndup(p, n);
        char *esc = line ? escaped(line) : NULL;
        fputs(prefix, out);
        wrap(out, esc ? esc : "?", strlen(prefix), strlen(prefix) + 2, width);
        free(esc);
        free(line);
        p += n + (p[n] == '\n');
    }
}

/* A table too wide for width: each row as "column: value" pairs packed
 * into lines of at most width columns (a pair longer than that gets a line
 * of its own and is never cut). */
static void kv_table_rows(FILE *out, const struct rt_table *t, const char *subject, bool skip0,
                          size_t width)
{
    size_t k0 = skip0 ? 1 : 0, r;
    struct rt_sel sel;
    rt_select(t, subject, &sel);
    while (rt_next(&sel, &r)) {
        size_t col = 0;
        for (size_t k = k0; k < t->ncols; k++) {
            const struct rt_cell *c = rt_at(t, r, k);
            char buf[48];
            const char *v = c->type == RT_NULL ? "-" : rt_str(c, buf);
            size_t w = escape_text_width(t->cols[k]) + 2 + escape_text_width(v);
            if (k == k0) {
                fputs("  - ", out);
                col = 4;
            } else if (col + 2 + w > width) {
                fputs("\n    ", out);
                col = 4;
            } else {
                fputs("  ", out);
                col += 2;
            }
            escape_text(out, t->cols[k]);
            fputs(": ", out);
            escape_text(out, v);
            col += w;
        }
        fputc('\n', out);
    }
}

void report_text_table_w(FILE *out, const struct rt_table *t, const char *subject, bool skip0,
                         size_t width)
{
    size_t w[RT_MAX_COLS], k0 = skip0 ? 1 : 0, shown = 0, total = 1, r;
    for (size_t k = k0; k < t->ncols; k++)
        w[k] = escape_text_width(t->cols[k]);
    struct rt_sel sel;
    rt_select(t, subject, &sel);
    while (rt_next(&sel, &r)) {
        shown++;
        for (size_t k = k0; k < t->ncols; k++) {
            size_t cw = cell_width(rt_at(t, r, k));
            if (cw > w[k])
                w[k] = cw;
        }
    }
    if (shown == 0) {
        fprintf(out, "  (none)\n");
        return;
    }
    for (size_t k = k0; k < t->ncols; k++)
        total += 1 + w[k];
    if (width && total > width) {
        kv_table_rows(out, t, subject, skip0, width);
    } else {
        fputs(" ", out);
        for (size_t k = k0; k < t->ncols; k++) {
            fputc(' ', out);
            escape_text(out, t->cols[k]);
            if (k + 1 < t->ncols)
                fprintf(out, "%*s", (int)(w[k] - escape_text_width(t->cols[k])), "");
        }
        fputc('\n', out);
        rt_select(t, subject, &sel);
        while (rt_next(&sel, &r)) {
            fputs(" ", out);
            for (size_t k = k0; k < t->ncols; k++) {
                const struct rt_cell *c = rt_at(t, r, k);
                char buf[48];
                const char *s = c->type == RT_NULL ? "-" : rt_str(c, buf);
                size_t pad = w[k] - escape_text_width(s);
                bool num = c->type == RT_INT || c->type == RT_DUR;
                fputc(' ', out);
                if (num)
                    fprintf(out, "%*s", (int)pad, "");
                escape_text(out, s);
                if (!num && k + 1 < t->ncols)
                    fprintf(out, "%*s", (int)pad, "");
            }
            fputc('\n', out);
        }
    }
    if (t->truncated)
        fprintf(out, "  (cut at %u rows)\n", RT_MAX_ROWS);
}

void report_text_table(FILE *out, const struct rt_table *t, const char *subject, bool skip0)
{
    report_text_table_w(out, t, subject, skip0, 0);
}

/* One "key: value" block per row (runs, inputs). */
static void kv_rows(FILE *out, const struct rt_table *t)
{
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t k = 0; k < t->ncols; k++) {
            const struct rt_cell *c = rt_at(t, r, k);
            char buf[48];
            size_t w = escape_text_width(t->cols[k]);
            fputs(k ? "    " : "  - ", out);
            escape_text(out, t->cols[k]);
            fprintf(out, "%*s ", w < 18 ? (int)(18 - w) : 0, "");
            escape_text(out, c->type == RT_NULL ? "-" : rt_str(c, buf));
            fputc('\n', out);
        }
    }
    if (t->nrows == 0)
        fprintf(out, "  (none)\n");
}

static void heading(FILE *out, const struct rt_table *t, size_t width)
{
    char h[256];
    snprintf(h, sizeof h, "%s%s", t->title, t->inferred ? " [inferred]" : "");
    fputc('\n', out);
    wrap(out, h, 0, 2, width);
}

static void header(const struct report_model *m, FILE *out, size_t width)
{
    char gen[48], filt[512];
    rt_format_time(m->generated_us, gen);
    report_model_filter_text(m, filt, sizeof filt);
    char warn[RM_WARNING_MAX];
    report_model_warning(m, warn, sizeof warn);
    if (*warn)
        fprintf(out, "%s\n\n", warn);
    fprintf(out, "TRAPLINE CONTACT-RECORD REPORT (pen-register metadata)\n");
    char *ver = escaped(m->generator_version);
    char line[160];
    snprintf(line, sizeof line, "Generated (UTC): %s by trapline %s", gen, ver ? ver : "?");
    free(ver);
    wrap(out, line, 0, 2, width);
    fprintf(out, "Filter: ");
    escape_text(out, *filt ? filt : "none");
    fprintf(out, "\nAuthority:\n");
    text_lines(out, m->authority, "  ", width);
    text_lines(out, m->audit_head[0] ? m->audit_head : "none (the audit log is empty or absent)",
               "Audit chain head: ", width);
    fprintf(out, "Times: ");
    wrap(out, report_model_time_note, 7, 2, width);
}

static void minimisation(const struct report_model *m, FILE *out, size_t width)
{
    fprintf(out, "\n=== Appendix B: minimisation (what is and is not recorded)\n");
    for (int i = 0; report_model_minimisation[i]; i++) {
        fprintf(out, "  - ");
        wrap(out, report_model_minimisation[i], 4, 4, width);
    }
    text_lines(out, m->scope_dropped, "  - ", width);
    char src[256];
    snprintf(src, sizeof src, "Sources in this database: flows yes, sms_events %s, ott_events %s.",
             m->has_sms ? "yes" : "no (no carrier SMS records)",
             m->has_ott_events ? "yes" : "no (no inferred bursts)");
    fprintf(out, "  - ");
    wrap(out, src, 4, 4, width);
}

/* Provenance in one line; the full tables are in the appendix. */
static void provenance(const struct report_summary *s, FILE *out, size_t width)
{
    char line[512];
    snprintf(line, sizeof line,
             "%zu run%s (%s), %zu input%s, %lld bytes, %lld packets, %s; per-input hashes and"
             " status in Appendix A.", s->runs, s->runs == 1 ? "" : "s", s->status, s->inputs,
             s->inputs == 1 ? "" : "s", s->input_bytes, s->input_packets,
             s->inputs_incomplete ? "NOT all inputs complete" : "all inputs complete");
    if (s->inputs_incomplete)
        snprintf(line + strlen(line), sizeof line - strlen(line),
                 " %zu input%s not complete.", s->inputs_incomplete,
                 s->inputs_incomplete == 1 ? "" : "s");
    fprintf(out, "Provenance: ");
    wrap(out, line, 12, 2, width);
}

/* Width of t as report_text_table_w() would print it. */
static size_t table_width(const struct rt_table *t)
{
    size_t total = 1;
    for (size_t k = 0; k < t->ncols; k++) {
        size_t w = escape_text_width(t->cols[k]);
        for (size_t r = 0; r < t->nrows; r++) {
            size_t cw = cell_width(rt_at(t, r, k));
            if (cw > w)
                w = cw;
        }
        total += 1 + w;
    }
    return total;
}

/* The summary table: one line per subject.  compact: days instead of
 * microsecond times, and the identities column only when some subject has
 * an identity other than itself (for narrow terminals). */
static int summary_rows(struct rt_table *t, const struct report_summary *s, bool compact,
                        struct err *e)
{
    bool ids_differ = false;
    for (size_t i = 0; i < s->n; i++)
        ids_differ |= s->s[i].nidentities != 1 || strcmp(s->s[i].identities[0], s->s[i].subject);
    bool with_ids = !compact || ids_differ;
    int rc = rt_init(t, "summary", "Summary (one line per subject)", RT_SCOPE_SUBJECT,
                     compact ? (with_ids ? "subject:s,identities:s,sms:i,ott:i,calls:i,missed:i,"
                                           "first_day:s,last_day:s"
                                         : "subject:s,sms:i,ott:i,calls:i,missed:i,"
                                           "first_day:s,last_day:s")
                             : "subject:s,identities:s,sms_records:i,ott_sessions:i,calls:i,"
                               "missed:i,first_seen:t,last_seen:t", e);
    for (size_t i = 0; i < s->n && !rc; i++) {
        const struct rs_subject *x = &s->s[i];
        struct rt_cell *row = rt_row(t, e);
        if (!row) {
            rc = t->truncated ? 0 : RC_NOMEM;
            break;
        }
        size_t c = 0;
        if (rt_set_text(&row[c++], x->subject, e))
            rc = RC_NOMEM;
        if (with_ids) {
            char ids[512];
            size_t k = 0;
            ids[0] = '\0';
            for (size_t j = 0; j < x->nidentities && k < sizeof ids; j++)
                k += (size_t)snprintf(ids + k, sizeof ids - k, "%s%s", j ? ", " : "",
                                      x->identities[j]);
            if (rt_set_text(&row[c++], ids, e))
                rc = RC_NOMEM;
        }
        rt_set_int(&row[c++], x->sms);
        rt_set_int(&row[c++], x->ott_sessions);
        rt_set_int(&row[c++], x->calls);
        rt_set_int(&row[c++], x->missed);
        if (x->seen && compact) {
            char a[48], b[48];
            rt_format_time(x->first_us, a);
            rt_format_time(x->last_us, b);
            a[10] = b[10] = '\0';
            if (rt_set_text(&row[c], a, e) || rt_set_text(&row[c + 1], b, e))
                rc = RC_NOMEM;
        } else if (x->seen) {
            rt_set_time(&row[c], x->first_us);
            rt_set_time(&row[c + 1], x->last_us);
        }
    }
    return rc;
}

static int summary_table(FILE *out, const struct report_summary *s, size_t width,
                         struct err *e)
{
    struct rt_table t;
    int rc = summary_rows(&t, s, false, e);
    if (!rc && width && table_width(&t) > width) {
        rt_free(&t);
        rc = summary_rows(&t, s, true, e);
    }
    if (!rc) {
        fprintf(out, "\n%s\n", t.title);
        report_text_table_w(out, &t, NULL, false, width);
        if (width && t.ncols == 7) {
            fprintf(out, "  ");
            wrap(out, "(each subject is its only identity; days in UTC; exact times in the"
                      " subject sections)", 2, 3, width);
        }
    }
    rt_free(&t);
    return rc;
}

static int findings(FILE *out, const struct report_summary *s, size_t width)
{
    fprintf(out, "\nFindings\n");
    if (!s->nfindings)
        fprintf(out, "  (none: no missed OTT periods, calls or shared counterparts)\n");
    for (size_t i = 0; i < s->nfindings; i++) {
        char *f = escaped(s->findings[i]);
        if (!f)
            return RC_NOMEM;
        fprintf(out, "  - ");
        wrap(out, f, 4, 4, width);
        free(f);
    }
    if (s->findings_more)
        fprintf(out, "  - +%zu more findings of the same kinds (see the subject sections)\n",
                s->findings_more);
    fprintf(out, "\nTerms\n");
    for (size_t i = 0; report_summary_terms[i][0]; i++) {
        char line[512];
        snprintf(line, sizeof line, "%s: %s", report_summary_terms[i][0],
                 report_summary_terms[i][1]);
        fprintf(out, "  ");
        wrap(out, line, 2, 4, width);
    }
    return 0;
}

/* Bursts of one subject, one line per flow (count, first start, last end,
 * bytes). */
static int bursts_per_flow(FILE *out, const struct rt_table *b, const char *subject,
                           size_t width, struct err *e)
{
    struct rt_table t;
    int rc = rt_init(&t, "ott_bursts_per_flow", "", RT_SCOPE_SUBJECT,
                     "subject:s,service:s,flow_id:i,bursts:i,first:t,last:t,bytes:i", e);
    int ksv = rt_col(b, "service"), kf = rt_col(b, "flow_id"), ks = rt_col(b, "start"),
        ke = rt_col(b, "end"), kb = rt_col(b, "bytes");
    if (!rc && (ksv < 0 || kf < 0 || ks < 0 || ke < 0 || kb < 0))
        rc = err_set(e, RC_CONFIG, "ott_bursts: unexpected columns");
    struct rt_sel sel;
    size_t r;
    rt_select(b, subject, &sel);
    while (!rc && rt_next(&sel, &r)) {
        const struct rt_cell *c = rt_at(b, r, 0);
        struct rt_cell *row = NULL;
        for (size_t j = 0; j < t.nrows && !row; j++) {
            struct rt_cell *x = t.cells + j * t.ncols;
            if (x[2].i == c[kf].i && strcmp(x[1].s ? x[1].s : "", c[ksv].s ? c[ksv].s : "") == 0)
                row = x;
        }
        if (!row) {
            if (t.nrows >= TEXT_FLOWS_MAX)
                continue; /* counted below as not summarised */
            if (!(row = rt_row(&t, e))) {
                rc = RC_NOMEM;
                break;
            }
            if (rt_set_text(&row[0], subject, e) || rt_set_text(&row[1], c[ksv].s, e)) {
                rc = RC_NOMEM;
                break;
            }
            rt_set_int(&row[2], c[kf].i);
            rt_set_int(&row[3], 0);
            rt_set_time(&row[4], c[ks].i);
            rt_set_time(&row[5], c[ke].type == RT_NULL ? c[ks].i : c[ke].i);
            rt_set_int(&row[6], 0);
        }
        row[3].i++;
        row[6].i += c[kb].i;
        if (c[ks].i < row[4].i)
            row[4].i = c[ks].i;
        if (c[ke].type != RT_NULL && c[ke].i > row[5].i)
            row[5].i = c[ke].i;
    }
    if (!rc) {
        fputc('\n', out);
        wrap(out, "Inferred OTT activity bursts, one line per flow [inferred] (--detail lists"
                  " every burst)", 0, 2, width);
        report_text_table_w(out, &t, subject, true, width);
        if (t.nrows >= TEXT_FLOWS_MAX)
            fprintf(out, "  (first %u flows; every burst is in --detail and the exports)\n",
                    TEXT_FLOWS_MAX);
    }
    rt_free(&t);
    return rc;
}

/* Hour-of-day and weekday activity in one line per kind: only the non-zero
 * cells ("10h:2 11h:1; fri:3"). */
static void activity(FILE *out, const struct report_model *m, const char *subject, size_t width)
{
    const struct rt_table *h = &m->t[RM_ACTIVITY_HOUR], *d = &m->t[RM_ACTIVITY_WEEKDAY];
    fprintf(out, "\nActivity by hour of day and weekday (UTC; non-zero only)\n");
    struct rt_sel sh, sd;
    size_t r, rd;
    rt_select(h, subject, &sh);
    while (rt_next(&sh, &r)) {
        const char *kind = rt_at(h, r, 1)->s ? rt_at(h, r, 1)->s : "";
        char line[1024];
        size_t k = (size_t)snprintf(line, sizeof line, "%s hours", kind);
        for (size_t c = 2; c < h->ncols && k < sizeof line; c++)
            if (rt_at(h, r, c)->i)
                k += (size_t)snprintf(line + k, sizeof line - k, " %s:%lld", h->cols[c] + 1,
                                      rt_at(h, r, c)->i);
        rt_select(d, subject, &sd);
        while (k < sizeof line && rt_next(&sd, &rd)) {
            if (!rt_at(d, rd, 1)->s || strcmp(rt_at(d, rd, 1)->s, kind) != 0)
                continue;
            k += (size_t)snprintf(line + k, sizeof line - k, "; days");
            for (size_t c = 2; c < d->ncols && k < sizeof line; c++)
                if (rt_at(d, rd, c)->i)
                    k += (size_t)snprintf(line + k, sizeof line - k, " %s:%lld", d->cols[c],
                                          rt_at(d, rd, c)->i);
        }
        fprintf(out, "  ");
        wrap(out, line, 2, 4, width);
    }
}

static int subject_detail(FILE *out, const struct report_model *m, const char *s,
                          const struct report_text_opts *o)
{
    static const enum rm_tab order[] = {RM_SUBSCRIBER_IDS, RM_SMS_CONTACTS, RM_SMS_MESSAGES,
                                        RM_OTT_SESSIONS,
                                        RM_OTT_CALLS,      RM_DIRECT_CONTACTS, RM_OTT_BURSTS,
                                        RM_OTT_PERIODS};
    char empty[512] = "";
    size_t ek = 0;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        const struct rt_table *t = &m->t[order[i]];
        if (!t->present)
            continue;
        if (rt_count(t, s) == 0) {
            /* identities and direct contacts apply to subscribers only */
            if (order[i] == RM_SUBSCRIBER_IDS || order[i] == RM_DIRECT_CONTACTS)
                continue;
            ek += (size_t)snprintf(empty + ek, sizeof empty - ek, "%s%s", ek ? "; " : "",
                                   t->title);
            continue;
        }
        if (order[i] == RM_OTT_BURSTS && !o->detail) {
            struct err e2 = {""};
            if (bursts_per_flow(out, t, s, o->width, &e2))
                return RC_NOMEM;
            continue;
        }
        heading(out, t, o->width);
        report_text_table_w(out, t, s, true, o->width);
    }
    if (rt_count(&m->t[RM_ACTIVITY_HOUR], s))
        activity(out, m, s, o->width);
    if (ek) {
        fprintf(out, "\nNo records: ");
        wrap(out, empty, 12, 2, o->width);
    }
    return 0;
}

int report_text_with(const struct report_model *m, FILE *out, const struct report_text_opts *o,
                     struct err *e)
{
    static const struct report_text_opts defaults = {false, 0};
    if (!o)
        o = &defaults;
    struct report_summary sum;
    int rc = report_summary_build(m, &sum, e);
    if (rc)
        return rc;
    header(m, out, o->width);
    provenance(&sum, out, o->width);
    rc = summary_table(out, &sum, o->width, e);
    if (!rc && (rc = findings(out, &sum, o->width)))
        err_set(e, rc, "out of memory");
    if (!rc) {
        fprintf(out, "\nScope: ");
        wrap(out, "metadata only (addresses, times, counts, service labels); no message text"
                  " or payload is stored or inferred. Full statement in Appendix B.", 7, 2,
             o->width);
    }
    const struct rt_table *subj = &m->t[RM_SUBJECTS];
    for (size_t r = 0; r < subj->nrows && !rc; r++) {
        const char *s = rt_at(subj, r, 0)->s ? rt_at(subj, r, 0)->s : "";
        fprintf(out, "\n=== Subject ");
        escape_text(out, s);
        fprintf(out, " (%s)\n", rt_at(subj, r, 1)->s ? rt_at(subj, r, 1)->s : "");
        if ((rc = subject_detail(out, m, s, o)))
            err_set(e, rc, "out of memory");
    }
    if (!rc) {
        fprintf(out, "\n=== Across subjects\n");
        const struct rt_table *cc = &m->t[RM_COMMON_COUNTERPARTS],
                              *cs = &m->t[RM_COMMON_SERVICES];
        if (cc->nrows) {
            heading(out, cc, o->width);
            report_text_table_w(out, cc, NULL, false, o->width);
        }
        if (cs->nrows) {
            heading(out, cs, o->width);
            report_text_table_w(out, cs, NULL, false, o->width);
        }
        if (!cc->nrows || !cs->nrows)
            fprintf(out, "\nNo records: %s%s%s\n", cc->nrows ? "" : cc->title,
                    !cc->nrows && !cs->nrows ? "; " : "", cs->nrows ? "" : cs->title);
        const struct rt_table *ic = &m->t[RM_INFERRED_CONTACTS];
        if (ic->present) {
            heading(out, ic, o->width);
            for (int i = 0; report_model_inferred_caveats[i]; i++) {
                fputs("  ! ", out);
                wrap(out, report_model_inferred_caveats[i], 4, 4, o->width);
            }
            report_text_table_w(out, ic, NULL, false, o->width);
        }
        fputc('\n', out);
        char a[64], b[64], line2[256];
        if (m->has_sms)
            snprintf(a, sizeof a, "%zu SMS records", m->t[RM_SMS_EVENTS].nrows);
        else
            snprintf(a, sizeof a, "no SMS record table");
        if (m->has_ott_events)
            snprintf(b, sizeof b, "%zu OTT bursts", m->t[RM_OTT_EVENTS].nrows);
        else
            snprintf(b, sizeof b, "no OTT burst table");
        snprintf(line2, sizeof line2, "Records in scope: %zu flows, %s, %s (full records:"
                 " --format csv or json).", m->t[RM_FLOWS].nrows, a, b);
        wrap(out, line2, 0, 2, o->width);
        fprintf(out, "\n=== Appendix A: runs and inputs (provenance)\n");
        fprintf(out, "\nRuns (tool version, signature-set hash, status)\n");
        kv_rows(out, &m->t[RM_RUNS]);
        fprintf(out, "\nInputs (SHA-256, size, packets, time span)\n");
        kv_rows(out, &m->t[RM_INPUTS]);
        minimisation(m, out, o->width);
    }
    report_summary_free(&sum);
    if (rc)
        return rc;
    if (fflush(out) != 0 || ferror(out))
        return err_set(e, RC_IO, "writing the report failed");
    return 0;
}

int report_text(const struct report_model *m, FILE *out, struct err *e)
{
    return report_text_with(m, out, NULL, e);
}
