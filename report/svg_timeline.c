/* svg_timeline.c - subject timeline (see svg_timeline.h). */
#include "report/svg_timeline.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report/escape.h"

#define L_MARGIN 104
#define R_MARGIN 16
#define BREAK_W 26
#define LANE_H 22
#define LANE_Y0 28 /* top of the first lane */
#define NLANES 4
#define LEGEND_ROW 20

struct iv {
    long long a, b;
};

struct seg {
    long long a, b; /* padded time range */
    double x, w;    /* pixels */
};

struct tl {
    struct seg seg[TL_MAX_SEGMENTS];
    size_t nseg;
};

static int cmp_iv(const void *x, const void *y)
{
    const struct iv *a = x, *b = y;
    return a->a < b->a ? -1 : a->a > b->a ? 1 : a->b < b->b ? -1 : a->b > b->b;
}

static int cmp_ll_desc(const void *x, const void *y)
{
    long long a = *(const long long *)x, b = *(const long long *)y;
    return a > b ? -1 : a < b;
}

/* Splits the subject's activity into at most TL_MAX_SEGMENTS segments and
 * places them on the x axis.  Returns false when there is no activity. */
static bool layout(const struct report_model *m, const char *subject, struct tl *tl)
{
    const struct rt_table *ts = &m->t[RM_TL_SMS], *to = &m->t[RM_TL_OTT];
    size_t n = 0, cap = 0;
    cap = rt_count(ts, subject) + rt_count(to, subject);
    if (!cap)
        return false;
    struct iv *v = malloc(cap * sizeof *v);
    long long *gaps = malloc(cap * sizeof *gaps);
    if (!v || !gaps) {
        free(v);
        free(gaps);
        return false;
    }
    struct rt_sel sel;
    size_t r;
    rt_select(ts, subject, &sel);
    while (rt_next(&sel, &r))
        v[n++] = (struct iv){rt_at(ts, r, 1)->i, rt_at(ts, r, 1)->i};
    rt_select(to, subject, &sel);
    while (rt_next(&sel, &r)) {
        long long a = rt_at(to, r, 1)->i, b = rt_at(to, r, 2)->i;
        v[n++] = (struct iv){a, b > a ? b : a};
    }
    qsort(v, n, sizeof *v, cmp_iv);
    /* Gaps between consecutive clusters (end = running maximum). */
    size_t ng = 0;
    long long end = v[0].b;
    for (size_t i = 1; i < n; i++) {
        if (v[i].a - end > TL_BREAK_US)
            gaps[ng++] = v[i].a - end;
        if (v[i].b > end)
            end = v[i].b;
    }
    long long min_gap = TL_BREAK_US + 1;
    if (ng > TL_MAX_SEGMENTS - 1) {
        qsort(gaps, ng, sizeof *gaps, cmp_ll_desc);
        min_gap = gaps[TL_MAX_SEGMENTS - 2];
    }
    tl->nseg = 0;
    struct seg *s = &tl->seg[0];
    s->a = v[0].a;
    s->b = v[0].b;
    tl->nseg = 1;
    for (size_t i = 1; i < n; i++) {
        long long gap = v[i].a - s->b;
        if (gap >= min_gap && gap > TL_BREAK_US && tl->nseg < TL_MAX_SEGMENTS) {
            s = &tl->seg[tl->nseg++];
            s->a = v[i].a;
            s->b = v[i].b;
        } else if (v[i].b > s->b) {
            s->b = v[i].b;
        }
    }
    free(v);
    free(gaps);
    /* Padding, then widths: half shared equally, half by duration. */
    long long total = 0;
    for (size_t i = 0; i < tl->nseg; i++) {
        long long d = tl->seg[i].b - tl->seg[i].a, pad = d / 30;
        if (pad < 2000000)
            pad = 2000000;
        tl->seg[i].a -= pad;
        tl->seg[i].b += pad;
        total += tl->seg[i].b - tl->seg[i].a;
    }
    double avail = TL_WIDTH - L_MARGIN - R_MARGIN - (double)(tl->nseg - 1) * BREAK_W, x = L_MARGIN;
    for (size_t i = 0; i < tl->nseg; i++) {
        double share = 0.5 / (double)tl->nseg +
                       0.5 * (double)(tl->seg[i].b - tl->seg[i].a) / (double)total;
        tl->seg[i].x = x;
        tl->seg[i].w = avail * share;
        x += tl->seg[i].w + BREAK_W;
    }
    return true;
}

static double xof(const struct tl *tl, long long t)
{
    for (size_t i = 0; i < tl->nseg; i++) {
        const struct seg *s = &tl->seg[i];
        if (t <= s->b || i + 1 == tl->nseg) {
            if (t < s->a)
                t = s->a;
            if (t > s->b)
                t = s->b;
            return s->x + s->w * (double)(t - s->a) / (double)(s->b - s->a);
        }
    }
    return L_MARGIN;
}

static const long long steps_s[] = {
    1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200,
    86400, 2 * 86400, 7 * 86400, 14 * 86400, 30 * 86400, 91 * 86400, 182 * 86400,
    365 * 86400, 730 * 86400, 1826 * 86400,
};

static void fmt_tick(long long us, long long step_s, char *out, size_t n)
{
    time_t t = (time_t)(us / 1000000);
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        snprintf(out, n, "?");
        return;
    }
    strftime(out, n, step_s < 60 ? "%H:%M:%S" : step_s < 86400 ? "%H:%M" : "%Y-%m-%d", &tm);
}

static int axis(FILE *out, const struct tl *tl, int y)
{
    int ticks = 0;
    for (size_t i = 0; i < tl->nseg; i++) {
        const struct seg *s = &tl->seg[i];
        double span_s = (double)(s->b - s->a) / 1e6;
        long long step = steps_s[sizeof steps_s / sizeof steps_s[0] - 1];
        for (size_t k = 0; k < sizeof steps_s / sizeof steps_s[0]; k++)
            if (s->w / (span_s / (double)steps_s[k]) >= TL_TICK_MIN_PX) {
                step = steps_s[k];
                break;
            }
        fprintf(out, "<line class=\"axis\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\""
                     " stroke=\"#444\"/>\n", s->x, y, s->x + s->w, y);
        long long st_us = step * 1000000;
        long long t = (s->a / st_us + (s->a % st_us > 0)) * st_us;
        for (; t <= s->b; t += st_us) {
            double x = xof(tl, t);
            char lab[32];
            fmt_tick(t, step, lab, sizeof lab);
            fprintf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#444\"/>"
                         "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e3e6ea\"/>"
                         "<text class=\"tick\" x=\"%.1f\" y=\"%d\" font-size=\"11\""
                         " text-anchor=\"middle\">%s</text>\n",
                    x, y, x, y + 4, x, LANE_Y0, x, y, x, y + 16, lab);
            ticks++;
        }
        /* The date (and step) of each segment, under its first tick. */
        char day[32];
        fmt_tick(s->a, 86400, day, sizeof day);
        fprintf(out, "<text class=\"segment-date\" x=\"%.1f\" y=\"%d\" font-size=\"10\""
                     " fill=\"#555\">%s UTC</text>\n", s->x, y + 30, day);
        if (i + 1 < tl->nseg) {
            const struct seg *nx = &tl->seg[i + 1];
            double bx = s->x + s->w + BREAK_W / 2.0;
            long long gap_d = (nx->a - s->b + 43200000000LL) / 86400000000LL;
            fprintf(out, "<g class=\"break\"><title>axis break: %lld days without activity"
                         "</title><line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\""
                         " stroke=\"#444\"/><line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\""
                         " stroke=\"#444\"/><text x=\"%.1f\" y=\"%d\" font-size=\"9\""
                         " text-anchor=\"middle\" fill=\"#555\">%lldd</text></g>\n",
                    gap_d, bx - 6, y + 6, bx - 2, y - 6, bx + 2, y + 6, bx + 6, y - 6, bx,
                    LANE_Y0 - 6, gap_d);
        }
    }
    return ticks;
}

struct legend_item {
    const char *label, *colour, *shape; /* shape: "bar", "tick", "note" */
};

/* Lays legend items out in rows; returns the number of rows and, when out
 * is set, draws them from y. */
static int legend(FILE *out, const struct legend_item *it, size_t n, int y)
{
    double x = 8;
    int rows = 1;
    for (size_t i = 0; i < n; i++) {
        double w = 22 + svg_text_width(it[i].label, 11) + 18;
        if (x + w > TL_WIDTH - 8 && x > 8) {
            x = 8;
            rows++;
        }
        if (out) {
            int yy = y + (rows - 1) * LEGEND_ROW;
            if (strcmp(it[i].shape, "tick") == 0)
                fprintf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\""
                             " stroke-width=\"2\"/>", x + 7, yy - 10, x + 7, yy + 2,
                        it[i].colour);
            else if (strcmp(it[i].shape, "bar") == 0)
                fprintf(out, "<rect x=\"%.1f\" y=\"%d\" width=\"16\" height=\"10\""
                             " fill=\"%s\"/>", x, yy - 9, it[i].colour);
            fprintf(out, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\">", x + 22, yy);
            escape_html(out, it[i].label);
            fprintf(out, "</text>\n");
        }
        x += w;
    }
    return rows;
}

bool svg_timeline(FILE *out, const struct report_model *m, const struct svg_palette *p,
                  const char *subject, bool standalone)
{
    struct tl tl;
    if (!layout(m, subject, &tl))
        return false;
    const struct rt_table *ts = &m->t[RM_TL_SMS], *to = &m->t[RM_TL_OTT],
                          *tp = &m->t[RM_OTT_PERIODS];
    /* Legend: lanes first, then the services this subject used. */
    struct legend_item it[4 + SVG_MAX_SERVICES + 1];
    size_t ni = 0;
    it[ni++] = (struct legend_item){"SMS record", "#2e7d32", "tick"};
    it[ni++] = (struct legend_item){"missed period", "#d32f2f", "bar"};
    if (tl.nseg > 1)
        it[ni++] = (struct legend_item){"axis break (//): > 1 day without activity", "#444",
                                        "note"};
    struct rt_sel sel;
    size_t r;
    if (rt_find(to, subject) >= 0)
        it[ni++] = (struct legend_item){"OTT messaging, colour = service:", "#000", "note"};
    for (size_t i = 0; i < p->n; i++) {
        bool used = false;
        rt_select(to, subject, &sel);
        while (!used && rt_next(&sel, &r))
            used = rt_at(to, r, 3)->s && strcmp(rt_at(to, r, 3)->s, p->name[i]) == 0;
        if (used)
            it[ni++] = (struct legend_item){*p->name[i] ? p->name[i] : "(unknown)",
                                            svg_palette_colour(p, p->name[i]), "bar"};
    }
    if (p->cut)
        it[ni++] = (struct legend_item){"other services", "#8c8c8c", "bar"};
    int axis_y = LANE_Y0 + NLANES * LANE_H + 8;
    int legend_y = axis_y + 56;
    int rows = legend(NULL, it, ni, legend_y);
    int H = legend_y + rows * LEGEND_ROW;
    char title[600];
    snprintf(title, sizeof title, "Timeline of %s (UTC)", subject);
    svg_open(out, "timeline", TL_WIDTH, H, title, standalone);
    static const char *const lanes[NLANES] = {"SMS", "OTT messaging", "calls", "missed"};
    for (int i = 0; i < NLANES; i++) {
        int y = LANE_Y0 + i * LANE_H;
        fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>"
                     "<text class=\"lane\" x=\"4\" y=\"%d\" font-size=\"12\">%s</text>\n",
                L_MARGIN, y, TL_WIDTH - L_MARGIN - R_MARGIN, LANE_H,
                i % 2 ? "#f4f6f8" : "#fbfcfd", y + 15, lanes[i]);
    }
    int ticks = axis(out, &tl, axis_y);
    (void)ticks;
    fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#777\">no call records"
                 " (not collected yet)</text>\n", L_MARGIN + 6, LANE_Y0 + 2 * LANE_H + 15);
    int kv = rt_col(tp, "carrier_only_view");
    rt_select(tp, subject, &sel);
    while (rt_next(&sel, &r)) {
        if (kv < 0 || !rt_at(tp, r, (size_t)kv)->s ||
            strcmp(rt_at(tp, r, (size_t)kv)->s, "missed") != 0)
            continue;
        double x0 = xof(&tl, rt_at(tp, r, 1)->i), x1 = xof(&tl, rt_at(tp, r, 2)->i);
        char a[48], b[48];
        rt_format_time(rt_at(tp, r, 1)->i, a);
        rt_format_time(rt_at(tp, r, 2)->i, b);
        fprintf(out, "<rect class=\"missed-period\" x=\"%.1f\" y=\"%d\" width=\"%.1f\""
                     " height=\"%d\" fill=\"#d32f2f\"><title>missed %s to %s: ",
                x0, LANE_Y0 + 3 * LANE_H + 3, x1 - x0 < 2 ? 2 : x1 - x0, LANE_H - 6, a, b);
        escape_html(out, rt_at(tp, r, 4)->s);
        fprintf(out, "</title></rect>\n");
    }
    rt_select(to, subject, &sel);
    while (rt_next(&sel, &r)) {
        double x0 = xof(&tl, rt_at(to, r, 1)->i), x1 = xof(&tl, rt_at(to, r, 2)->i);
        char a[48];
        rt_format_time(rt_at(to, r, 1)->i, a);
        fprintf(out, "<rect class=\"ott\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\""
                     " fill=\"%s\" opacity=\"%s\"><title>%s %s ",
                x0, LANE_Y0 + LANE_H + 3, x1 - x0 < 2 ? 2 : x1 - x0, LANE_H - 6,
                svg_palette_colour(p, rt_at(to, r, 3)->s), rt_at(to, r, 5)->i ? "0.85" : "0.45",
                a, rt_at(to, r, 5)->i ? "burst" : "flow");
        escape_html(out, rt_at(to, r, 3)->s);
        fprintf(out, " %lld bytes</title></rect>\n", rt_at(to, r, 4)->i);
    }
    rt_select(ts, subject, &sel);
    while (rt_next(&sel, &r)) {
        double x = xof(&tl, rt_at(ts, r, 1)->i);
        char a[48];
        rt_format_time(rt_at(ts, r, 1)->i, a);
        fprintf(out, "<line class=\"sms\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\""
                     " stroke=\"#2e7d32\" stroke-width=\"2\"><title>%s SMS ", x, LANE_Y0 + 3, x,
                LANE_Y0 + LANE_H - 3, a);
        escape_html(out, rt_at(ts, r, 2)->s);
        fprintf(out, " ");
        escape_html(out, rt_at(ts, r, 3)->s);
        fprintf(out, "</title></line>\n");
    }
    fprintf(out, "<g class=\"legend\">\n");
    legend(out, it, ni, legend_y);
    fprintf(out, "</g>\n");
    svg_close(out);
    return true;
}
