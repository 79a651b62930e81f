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
    free(t->by_subject); /* a new row: the index no longer covers the table */
    t->by_subject = NULL;
    t->nby_subject = 0;
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

static const char *subject_of(const struct rt_table *t, size_t r)
{
    const struct rt_cell *c = rt_at(t, r, 0);
    return c->type == RT_TEXT && c->s ? c->s : NULL;
}

struct subject_row {
    const char *s;
    size_t r;
};

/* By subject, then by row. */
static int by_subject_row(const void *x, const void *y)
{
    const struct subject_row *a = x, *b = y;
    int c = strcmp(a->s, b->s);
    return c ? c : (a->r > b->r) - (a->r < b->r);
}

int rt_index_subjects(struct rt_table *t, struct err *e)
{
    free(t->by_subject);
    t->by_subject = NULL;
    t->nby_subject = 0;
    if (t->ncols == 0 || t->nrows == 0)
        return 0;
    struct subject_row *p = malloc(t->nrows * sizeof *p);
    size_t *ix = malloc(t->nrows * sizeof *ix), n = 0;
    if (!p || !ix) {
        free(p);
        free(ix);
        return err_set(e, RC_NOMEM, "out of memory");
    }
    for (size_t r = 0; r < t->nrows; r++)
        if ((p[n].s = subject_of(t, r)))
            p[n++].r = r;
    qsort(p, n, sizeof *p, by_subject_row);
    for (size_t i = 0; i < n; i++)
        ix[i] = p[i].r;
    free(p);
    t->by_subject = ix;
    t->nby_subject = n;
    return 0;
}

/* First position in t->by_subject whose subject is >= s (or > s when
 * after). */
static size_t bound(const struct rt_table *t, const char *s, bool after)
{
    size_t lo = 0, hi = t->nby_subject;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(subject_of(t, t->by_subject[mid]), s);
        if (c < 0 || (after && c == 0))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void rt_select(const struct rt_table *t, const char *subject, struct rt_sel *s)
{
    *s = (struct rt_sel){.t = t, .subject = subject, .i = 0, .end = t->nrows, .scan = true};
    if (subject && t->by_subject) {
        s->scan = false;
        s->i = bound(t, subject, false);
        s->end = bound(t, subject, true);
    }
}

bool rt_next(struct rt_sel *s, size_t *row)
{
    if (!s->scan) {
        if (s->i >= s->end)
            return false;
        *row = s->t->by_subject[s->i++];
        return true;
    }
    while (s->i < s->end) {
        size_t r = s->i++;
        const char *v = s->subject ? subject_of(s->t, r) : NULL;
        if (!s->subject || (v && strcmp(v, s->subject) == 0)) {
            *row = r;
            return true;
        }
    }
    return false;
}

size_t rt_count(const struct rt_table *t, const char *subject)
{
    struct rt_sel s;
    rt_select(t, subject, &s);
    if (!s.scan)
        return s.end - s.i;
    size_t n = 0, r;
    while (rt_next(&s, &r))
        n++;
    return n;
}

long rt_find(const struct rt_table *t, const char *subject)
{
    struct rt_sel s;
    size_t r;
    rt_select(t, subject, &s);
    return rt_next(&s, &r) ? (long)r : -1;
}

void rt_free(struct rt_table *t)
{
    if (!t)
        return;
    free(t->by_subject);
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t k = 0; k < t->ncols; k++)
            free(t->cells[r * t->ncols + k].s);
    free(t->cells);
    for (size_t k = 0; k < t->ncols; k++)
        free(t->cols[k]);
    memset(t, 0, sizeof *t);
}
