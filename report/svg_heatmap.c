/* svg_heatmap.c - hour x weekday heatmap (see svg_heatmap.h). */
#include "report/svg_heatmap.h"

#include <string.h>

#include "report/svg_util.h"

#define HM_L 56
#define HM_TOP 34
#define HM_CH 24
#define HM_SHADES 5

static const char *const shade[HM_SHADES + 1] = {
    "#ffffff", "#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c",
};

/* Shade index 1..HM_SHADES of count v against the maximum mx (v > 0). */
static int level(long long v, long long mx)
{
    long long l = (v * HM_SHADES + mx - 1) / mx;
    return l < 1 ? 1 : l > HM_SHADES ? HM_SHADES : (int)l;
}

bool svg_heatmap(FILE *out, const struct report_model *m, const char *subject, bool standalone)
{
    static const char *const day[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    const struct rt_table *t = &m->t[RM_TL_HEAT];
    long long sms[7][24] = {{0}}, ott[7][24] = {{0}}, mx = 0;
    struct rt_sel sel;
    size_t r;
    rt_select(t, subject, &sel);
    while (rt_next(&sel, &r)) {
        const struct rt_cell *c = rt_at(t, r, 0);
        long long w = c[1].i, h = c[2].i;
        if (w < 0 || w > 6 || h < 0 || h > 23)
            continue;
        sms[w][h] += c[3].i;
        ott[w][h] += c[4].i;
        if (sms[w][h] + ott[w][h] > mx)
            mx = sms[w][h] + ott[w][h];
    }
    if (mx == 0)
        return false;
    const double cw = (HM_WIDTH - HM_L - 16) / 24.0;
    int legend_y = HM_TOP + 7 * HM_CH + 22, H = legend_y + 16;
    char title[600];
    snprintf(title, sizeof title, "Activity of %s by hour of day and weekday (UTC)", subject);
    svg_open(out, "heatmap", HM_WIDTH, H, title, standalone);
    for (int h = 0; h < 24; h++)
        fprintf(out, "<text class=\"hm-label\" x=\"%.1f\" y=\"%d\" font-size=\"11\""
                     " text-anchor=\"middle\">%02d</text>\n", HM_L + cw * (h + 0.5), HM_TOP - 8,
                h);
    fprintf(out, "<text x=\"4\" y=\"%d\" font-size=\"10\" fill=\"#555\">hour (UTC)</text>\n",
            HM_TOP - 8);
    for (int w = 0; w < 7; w++) {
        int y = HM_TOP + w * HM_CH;
        fprintf(out, "<text class=\"hm-label\" x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>\n",
                8, y + 16, day[w]);
        for (int h = 0; h < 24; h++) {
            long long v = sms[w][h] + ott[w][h];
            int lv = v ? level(v, mx) : 0;
            double x = HM_L + cw * h;
            fprintf(out, "<rect class=\"hm-cell\" x=\"%.1f\" y=\"%d\" width=\"%.1f\""
                         " height=\"%d\" fill=\"%s\" stroke=\"#d0d5db\"><title>%s %02d:00-%02d:59"
                         " UTC: %lld SMS, %lld OTT</title></rect>",
                    x, y, cw, HM_CH, shade[lv], day[w], h, h, sms[w][h], ott[w][h]);
            if (v)
                fprintf(out, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\""
                             " fill=\"%s\">%lld</text>", x + cw / 2, y + 16,
                        lv >= 4 ? "#fff" : "#111", v);
            fputc('\n', out);
        }
    }
    /* Legend: the count range of each shade. */
    fprintf(out, "<g class=\"legend\"><text x=\"8\" y=\"%d\" font-size=\"11\">records per"
                 " hour (SMS + OTT):</text>\n", legend_y + 10);
    double x = 190;
    fprintf(out, "<rect x=\"%.1f\" y=\"%d\" width=\"14\" height=\"12\" fill=\"%s\""
                 " stroke=\"#d0d5db\"/><text x=\"%.1f\" y=\"%d\" font-size=\"11\">0</text>\n",
            x, legend_y, shade[0], x + 18, legend_y + 10);
    x += 40;
    long long lo = 1;
    for (int l = 1; l <= HM_SHADES; l++) {
        long long hi = mx * l / HM_SHADES;
        if (hi < lo)
            continue;
        char lab[64];
        if (hi == lo)
            snprintf(lab, sizeof lab, "%lld", lo);
        else
            snprintf(lab, sizeof lab, "%lld-%lld", lo, hi);
        fprintf(out, "<rect x=\"%.1f\" y=\"%d\" width=\"14\" height=\"12\" fill=\"%s\""
                     " stroke=\"#d0d5db\"/><text x=\"%.1f\" y=\"%d\" font-size=\"11\">%s</text>\n",
                x, legend_y, shade[l], x + 18, legend_y + 10, lab);
        x += 30 + svg_text_width(lab, 11);
        lo = hi + 1;
    }
    fprintf(out, "</g>\n");
    svg_close(out);
    return true;
}
