/* report_json.c - JSON and JSON Lines exports (see report_json.h). */
#include "report/report_json.h"

#include "report/escape.h"

static void value(FILE *out, const struct rt_cell *c)
{
    char buf[48];
    switch (c->type) {
    case RT_NULL: fputs("null", out); break;
    case RT_INT: fprintf(out, "%lld", c->i); break;
    case RT_DUR: fputs(rt_str(c, buf), out); break;
    case RT_TIME: escape_json(out, rt_str(c, buf)); break;
    case RT_TEXT: escape_json(out, c->s); break;
    }
}

static void row(FILE *out, const struct rt_table *t, size_t r, const char *record_type)
{
    fputc('{', out);
    if (record_type) {
        fputs("\"record_type\":", out);
        escape_json(out, record_type);
        if (t->inferred)
            fputs(",\"inferred\":true", out);
    }
    for (size_t k = 0; k < t->ncols; k++) {
        if (k || record_type)
            fputc(',', out);
        escape_json(out, t->cols[k]);
        fputc(':', out);
        value(out, rt_at(t, r, k));
    }
    fputc('}', out);
}

static bool exported(const struct rt_table *t)
{
    return t->present && t->scope != RT_SCOPE_INTERNAL;
}

/* The column dictionary: every record kind with its title, flags and
 * columns with their types, so the export describes itself. */
static void kinds(const struct report_model *m, FILE *out)
{
    static const char *const tn[] = {"", "integer", "text", "time", "duration_s"};
    fputs(",\"record_kinds\":[", out);
    bool first = true;
    for (int i = 0; i < RM_TAB_COUNT; i++) {
        const struct rt_table *t = &m->t[i];
        if (!exported(t))
            continue;
        fputs(first ? "{\"name\":" : ",{\"name\":", out);
        first = false;
        escape_json(out, t->name);
        fputs(",\"title\":", out);
        escape_json(out, t->title);
        fprintf(out, ",\"inferred\":%s,\"truncated\":%s,\"rows\":%zu,\"columns\":[",
                t->inferred ? "true" : "false", t->truncated ? "true" : "false", t->nrows);
        for (size_t k = 0; k < t->ncols; k++) {
            fputs(k ? ",{\"name\":" : "{\"name\":", out);
            escape_json(out, t->cols[k]);
            if (t->coltype[k] != RT_NULL) {
                fputs(",\"type\":", out);
                escape_json(out, tn[t->coltype[k]]);
            }
            fputc('}', out);
        }
        fputs("]}", out);
    }
    fputc(']', out);
}

static void header(const struct report_model *m, FILE *out)
{
    char gen[48], filt[512];
    rt_format_time(m->generated_us, gen);
    report_model_filter_text(m, filt, sizeof filt);
    char warn[RM_WARNING_MAX];
    report_model_warning(m, warn, sizeof warn);
    fputs("{", out);
    if (*warn) {
        fputs("\"warning\":", out);
        escape_json(out, warn);
        fputs(",", out);
    }
    fputs("\"generated_utc\":", out);
    escape_json(out, gen);
    fputs(",\"generator\":\"trapline\",\"generator_version\":", out);
    escape_json(out, m->generator_version);
    fputs(",\"filter\":", out);
    escape_json(out, filt);
    fputs(",\"times\":", out);
    escape_json(out, report_model_time_note);
    fputs(",\"authority\":", out);
    escape_json(out, m->authority);
    fputs(",\"audit_chain_head\":", out);
    escape_json(out, m->audit_head);
    fputs(",\"community_id\":\"v1, seed 0\",\"minimisation\":[", out);
    for (int i = 0; report_model_minimisation[i]; i++) {
        if (i)
            fputc(',', out);
        escape_json(out, report_model_minimisation[i]);
    }
    if (m->scope_dropped[0]) {
        fputc(',', out);
        escape_json(out, m->scope_dropped);
    }
    fprintf(out, "],\"sources\":{\"flows\":true,\"sms_events\":%s,\"ott_events\":%s}",
            m->has_sms ? "true" : "false", m->has_ott_events ? "true" : "false");
    if (m->t[RM_INFERRED_CONTACTS].present) {
        fputs(",\"inferred_contact_caveats\":[", out);
        for (int i = 0; report_model_inferred_caveats[i]; i++) {
            if (i)
                fputc(',', out);
            escape_json(out, report_model_inferred_caveats[i]);
        }
        fputc(']', out);
    }
    kinds(m, out);
    fputc('}', out);
}

int report_json(const struct report_model *m, FILE *out, bool lines, struct err *e)
{
    if (lines) {
        fputs("{\"record_type\":\"report\",\"report\":", out);
        header(m, out);
        fputs("}\n", out);
        for (int i = 0; i < RM_TAB_COUNT; i++) {
            const struct rt_table *t = &m->t[i];
            if (!exported(t))
                continue;
            for (size_t r = 0; r < t->nrows; r++) {
                row(out, t, r, t->name);
                fputc('\n', out);
            }
        }
    } else {
        fputs("{\"report\":", out);
        header(m, out);
        for (int i = 0; i < RM_TAB_COUNT; i++) {
            const struct rt_table *t = &m->t[i];
            if (!exported(t))
                continue;
            fputs(",\n", out);
            escape_json(out, t->name);
            fputs(":[", out);
            for (size_t r = 0; r < t->nrows; r++) {
                fputs(r ? ",\n " : "\n ", out);
                row(out, t, r, NULL);
            }
            fputc(']', out);
        }
        fputs("}\n", out);
    }
    if (fflush(out) != 0 || ferror(out))
        return err_set(e, RC_IO, "writing JSON failed");
    return 0;
}
