/* svg_util.c - shared SVG helpers (see svg_util.h). */
#include "report/svg_util.h"

#include <stdlib.h>
#include <string.h>

#include "report/escape.h"

/* Okabe-Ito colour-blind-safe set plus two; index order fixed. */
static const char *const palette[SVG_PALETTE_SIZE] = {
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9",
    "#d55e00", "#7f3c8d", "#b8a000", "#11a579", "#3969ac",
};
static const char other_colour[] = "#8c8c8c";

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void svg_palette_build(const struct report_model *m, struct svg_palette *p)
{
    memset(p, 0, sizeof *p);
    const struct rt_table *t = &m->t[RM_TL_OTT];
    int k = rt_col(t, "service");
    for (size_t r = 0; k >= 0 && r < t->nrows; r++) {
        const struct rt_cell *c = rt_at(t, r, (size_t)k);
        const char *s = c->type == RT_TEXT && c->s ? c->s : "";
        bool have = false;
        for (size_t i = 0; i < p->n && !have; i++)
            have = strcmp(p->name[i], s) == 0;
        if (have)
            continue;
        if (p->n == SVG_MAX_SERVICES) {
            p->cut = true;
            continue;
        }
        p->name[p->n++] = s;
    }
    qsort(p->name, p->n, sizeof p->name[0], cmp_str);
}

const char *svg_palette_colour(const struct svg_palette *p, const char *name)
{
    for (size_t i = 0; name && i < p->n; i++)
        if (strcmp(p->name[i], name) == 0)
            return palette[i % SVG_PALETTE_SIZE];
    return other_colour;
}

void svg_open(FILE *out, const char *cls, int w, int h, const char *title, bool standalone)
{
    if (standalone)
        fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    fprintf(out, "<svg class=\"%s\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\"", cls);
    if (standalone)
        fprintf(out, " width=\"%d\" height=\"%d\"", w, h);
    fprintf(out, " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\"><title>", w, h);
    escape_html(out, title);
    fprintf(out, "</title>\n");
    if (standalone)
        fprintf(out, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", w, h);
}

void svg_close(FILE *out) { fprintf(out, "</svg>\n"); }

double svg_text_width(const char *s, double px)
{
    size_t chars = 0;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++)
        chars += (*c & 0xc0) != 0x80;
    return (double)chars * px * 0.62;
}

void svg_shorten(const char *s, size_t max, char *out, size_t n)
{
    size_t l = strlen(s);
    if (l <= max) {
        snprintf(out, n, "%s", s);
        return;
    }
    size_t k = max;
    while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
        k--;
    snprintf(out, n, "%.*s\xe2\x80\xa6", (int)k, s);
}
