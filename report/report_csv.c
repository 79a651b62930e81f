/* report_csv.c - CSV exports (see report_csv.h). */
#include "report/report_csv.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/escape.h"
#include "report/outfile.h"

int report_csv_table(const struct rt_table *t, FILE *out, struct err *e)
{
    for (size_t k = 0; k < t->ncols; k++) {
        if (k)
            fputc(',', out);
        escape_csv(out, t->cols[k]);
    }
    fputs("\r\n", out);
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t k = 0; k < t->ncols; k++) {
            const struct rt_cell *c = rt_at(t, r, k);
            char buf[48];
            if (k)
                fputc(',', out);
            if (c->type == RT_TEXT)
                escape_csv(out, c->s);
            else if (c->type != RT_NULL)
                fputs(rt_str(c, buf), out); /* digits, '.', ':', 'T', 'Z', '-' inside */
        }
        fputs("\r\n", out);
    }
    if (fflush(out) != 0 || ferror(out))
        return err_set(e, RC_IO, "writing CSV %s failed", t->name);
    return 0;
}

static bool exported(const struct rt_table *t, bool link)
{
    if (!t->present || !t->name)
        return false;
    if (link)
        return t->scope == RT_SCOPE_LINK;
    return t->scope != RT_SCOPE_LINK && t->scope != RT_SCOPE_INTERNAL;
}

const struct rt_table *report_csv_find(const struct report_model *m, const char *name,
                                       bool link)
{
    for (int i = 0; i < RM_TAB_COUNT; i++)
        if (exported(&m->t[i], link) && strcmp(m->t[i].name, name) == 0)
            return &m->t[i];
    return NULL;
}

void report_csv_names(const struct report_model *m, bool link, char *out, size_t n)
{
    size_t k = 0;
    out[0] = '\0';
    for (int i = 0; i < RM_TAB_COUNT && k < n; i++)
        if (exported(&m->t[i], link))
            k += (size_t)snprintf(out + k, n - k, "%s%s", k ? ", " : "", m->t[i].name);
}

int report_csv_dir(const struct report_model *m, const char *dir, bool link, struct err *e)
{
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return err_set(e, RC_IO, "%s: cannot create directory: %s", dir, strerror(errno));
    for (int i = 0; i < RM_TAB_COUNT; i++) {
        const struct rt_table *t = &m->t[i];
        if (!exported(t, link))
            continue;
        char path[4096];
        if ((size_t)snprintf(path, sizeof path, "%s/%s.csv", dir, t->name) >= sizeof path)
            return err_set(e, RC_IO, "%s: path too long", dir);
        /* 0600 (an export is as sensitive as the database), written whole
         * or not at all, never through a symlink (outfile.h). */
        struct outfile *o = outfile_open(path, e);
        if (!o)
            return RC_IO;
        int rc = report_csv_table(t, outfile_fp(o), e);
        if (rc)
            outfile_abort(o);
        else
            rc = outfile_commit(o, e);
        if (rc)
            return rc;
    }
    return 0;
}
