/* report_text.c - text contact-record report (see report_text.h). */
#include "report/report_text.h"

#include <stdlib.h>
#include <string.h>

#include "report/escape.h"

static bool row_match(const struct rt_table *t, size_t r, const char *subject)
{
    if (!subject)
        return true;
    const struct rt_cell *c = rt_at(t, r, 0);
    return c->type == RT_TEXT && strcmp(c->s, subject) == 0;
}

static size_t cell_width(const struct rt_cell *c)
{
    char buf[48];
    return escape_text_width(c->type == RT_NULL ? "-" : rt_str(c, buf));
}

void report_text_table(FILE *out, const struct rt_table *t, const char *subject, bool skip0)
{
    size_t w[RT_MAX_COLS], k0 = skip0 ? 1 : 0, shown = 0;
    for (size_t k = k0; k < t->ncols; k++)
        w[k] = escape_text_width(t->cols[k]);
    for (size_t r = 0; r < t->nrows; r++) {
        if (!row_match(t, r, subject))
            continue;
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
    fputs(" ", out);
    for (size_t k = k0; k < t->ncols; k++) {
        fputc(' ', out);
        escape_text(out, t->cols[k]);
        if (k + 1 < t->ncols)
            fprintf(out, "%*s", (int)(w[k] - escape_text_width(t->cols[k])), "");
    }
    fputc('\n', out);
    for (size_t r = 0; r < t->nrows; r++) {
        if (!row_match(t, r, subject))
            continue;
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
    if (t->truncated)
        fprintf(out, "  (cut at %u rows)\n", RT_MAX_ROWS);
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

static void heading(FILE *out, const struct rt_table *t)
{
    fprintf(out, "\n%s%s\n", t->title, t->inferred ? " [inferred]" : "");
}

static void header(const struct report_model *m, FILE *out)
{
    char gen[48], filt[512];
    rt_format_time(m->generated_us, gen);
    report_model_filter_text(m, filt, sizeof filt);
    char warn[RM_WARNING_MAX];
    report_model_warning(m, warn, sizeof warn);
    if (*warn)
        fprintf(out, "%s\n\n", warn);
    fprintf(out, "TRAPLINE CONTACT-RECORD REPORT (pen-register metadata)\n");
    fprintf(out, "Generated (UTC): %s by trapline ", gen);
    escape_text(out, m->generator_version);
    fprintf(out, "\nFilter: ");
    escape_text(out, *filt ? filt : "none");
    fprintf(out, "\nAuthority: %s\nTimes: %s\n", report_model_authority_note,
            report_model_time_note);
    fprintf(out, "\nRuns (tool version, signature-set hash, status)\n");
    kv_rows(out, &m->t[RM_RUNS]);
    fprintf(out, "\nInputs (SHA-256, size, packets, time span)\n");
    kv_rows(out, &m->t[RM_INPUTS]);
    fprintf(out, "\nMinimisation\n");
    for (int i = 0; report_model_minimisation[i]; i++)
        fprintf(out, "  - %s\n", report_model_minimisation[i]);
    fprintf(out, "  - Sources in this database: flows yes, sms_events %s, ott_events %s.\n",
            m->has_sms ? "yes" : "no (no carrier SMS records)",
            m->has_ott_events ? "yes" : "no (no inferred bursts)");
}

static const enum rm_tab per_subject[] = {
    RM_SMS_CONTACTS, RM_OTT_SESSIONS, RM_OTT_BURSTS, RM_ACTIVITY_HOUR,
    RM_ACTIVITY_WEEKDAY, RM_OTT_PERIODS,
};

int report_text(const struct report_model *m, FILE *out, struct err *e)
{
    header(m, out);
    const struct rt_table *subj = &m->t[RM_SUBJECTS];
    heading(out, subj);
    report_text_table(out, subj, NULL, false);
    for (size_t r = 0; r < subj->nrows; r++) {
        const char *s = rt_at(subj, r, 0)->s ? rt_at(subj, r, 0)->s : "";
        fprintf(out, "\n=== Subject ");
        escape_text(out, s);
        fprintf(out, " (%s)\n", rt_at(subj, r, 1)->s ? rt_at(subj, r, 1)->s : "");
        for (size_t i = 0; i < sizeof per_subject / sizeof per_subject[0]; i++) {
            const struct rt_table *t = &m->t[per_subject[i]];
            if (!t->present)
                continue;
            heading(out, t);
            report_text_table(out, t, s, true);
        }
    }
    fprintf(out, "\n=== Across subjects\n");
    heading(out, &m->t[RM_COMMON_COUNTERPARTS]);
    report_text_table(out, &m->t[RM_COMMON_COUNTERPARTS], NULL, false);
    heading(out, &m->t[RM_COMMON_SERVICES]);
    report_text_table(out, &m->t[RM_COMMON_SERVICES], NULL, false);
    fprintf(out, "\nRecords in scope: %zu flows", m->t[RM_FLOWS].nrows);
    if (m->has_sms)
        fprintf(out, ", %zu SMS records", m->t[RM_SMS_EVENTS].nrows);
    else
        fprintf(out, ", no SMS record table");
    if (m->has_ott_events)
        fprintf(out, ", %zu OTT bursts", m->t[RM_OTT_EVENTS].nrows);
    else
        fprintf(out, ", no OTT burst table");
    fprintf(out, " (full records: --format csv or json).\n");
    if (fflush(out) != 0 || ferror(out))
        return err_set(e, RC_IO, "writing the report failed");
    return 0;
}
