/* rt.c - typed row tables of the report (see rt.h). */
#include "report/rt.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

void rt_format_time(long long us, char out[48])
{
    long long sec = us / 1000000, frac = us % 1000000;
    if (frac < 0) {
        frac += 1000000;
        sec--;
    }
    time_t t = (time_t)sec;
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        snprintf(out, 48, "%lld", us);
        return;
    }
    char base[32];
    strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, 48, "%s.%06lldZ", base, frac);
}

int rt_add_col(struct rt_table *t, const char *name, enum rt_type type, struct err *e)
{
    if (t->ncols >= RT_MAX_COLS)
        return err_set(e, RC_LIMIT, "table %s: more than %u columns", t->name, RT_MAX_COLS);
    if (t->nrows)
        return err_set(e, RC_CONFIG, "table %s: column added after rows", t->name);
    char *c = strdup(name);
    if (!c)
        return err_set(e, RC_NOMEM, "out of memory");
    t->cols[t->ncols] = c;
    t->coltype[t->ncols++] = type;
    return 0;
}

int rt_init(struct rt_table *t, const char *name, const char *title, enum rt_scope scope,
            const char *cols, struct err *e)
{
    memset(t, 0, sizeof *t);
    t->name = name;
    t->title = title;
    t->scope = scope;
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", cols);
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        enum rt_type ty = RT_NULL;
        char *colon = strchr(tok, ':');
        if (colon) {
            *colon = '\0';
            ty = colon[1] == 't' ? RT_TIME : colon[1] == 'd' ? RT_DUR
                 : colon[1] == 'i' ? RT_INT : RT_TEXT;
        }
        int rc = rt_add_col(t, tok, ty, e);
        if (rc)
            return rc;
    }
    return 0;
}

struct rt_cell *rt_row(struct rt_table *t, struct err *e)
{
    if (t->nrows >= RT_MAX_ROWS) {
        t->truncated = true;
        return NULL;
    }
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        struct rt_cell *c = realloc(t->cells, cap * t->ncols * sizeof *c);
        if (!c) {
            err_set(e, RC_NOMEM, "out of memory");
            return NULL;
        }
        t->cells = c;
        t->cap = cap;
    }
    struct rt_cell *row = t->cells + t->nrows * t->ncols;
    memset(row, 0, t->ncols * sizeof *row);
    t->nrows++;
    return row;
}

void rt_set_int(struct rt_cell *c, long long v)
{
    c->type = RT_INT;
    c->i = v;
}

void rt_set_time(struct rt_cell *c, long long us)
{
    c->type = RT_TIME;
    c->i = us;
}

int rt_set_text(struct rt_cell *c, const char *s, struct err *e)
{
    if (!s) {
        c->type = RT_NULL;
        return 0;
    }
    c->s = strdup(s);
    if (!c->s)
        return err_set(e, RC_NOMEM, "out of memory");
    c->type = RT_TEXT;
    return 0;
}

const struct rt_cell *rt_at(const struct rt_table *t, size_t r, size_t k)
{
    return t->cells + r * t->ncols + k;
}

int rt_col(const struct rt_table *t, const char *name)
{
    for (size_t k = 0; k < t->ncols; k++)
        if (strcmp(t->cols[k], name) == 0)
            return (int)k;
    return -1;
}

const char *rt_str(const struct rt_cell *c, char buf[48])
{
    switch (c->type) {
    case RT_INT: snprintf(buf, 48, "%lld", c->i); return buf;
    case RT_TIME: rt_format_time(c->i, buf); return buf;
    case RT_DUR: {
        /* In unsigned arithmetic: -LLONG_MIN does not fit a long long. */
        unsigned long long a = c->i < 0 ? 0ull - (unsigned long long)c->i
                                        : (unsigned long long)c->i;
        snprintf(buf, 48, "%s%llu.%06llu", c->i < 0 ? "-" : "", a / 1000000, a % 1000000);
        return buf;
    }
    case RT_TEXT: return c->s;
    case RT_NULL: break;
    }
    buf[0] = '\0';
    return buf;
}

void rt_free(struct rt_table *t)
{
    if (!t)
        return;
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t k = 0; k < t->ncols; k++)
            free(t->cells[r * t->ncols + k].s);
    free(t->cells);
    for (size_t k = 0; k < t->ncols; k++)
        free(t->cols[k]);
    memset(t, 0, sizeof *t);
}
