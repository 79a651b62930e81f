/* svg_graph.c - two-column contact graph (see svg_graph.h). */
#include "report/svg_graph.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/escape.h"
#include "report/svg_util.h"

#define G_TOP 44
#define G_ROW 18
#define G_XL 250   /* x of the subject nodes */
#define G_XR 600   /* x of the counterpart nodes */
#define G_LCHARS 34
#define G_RCHARS 44

struct pair {
    size_t subj;           /* index into the subject list */
    const char *peer;      /* node id "type:label", borrowed */
    long long sent, recv;  /* records towards / from the counterpart */
    bool ott;
    long row;              /* right-column row, -1 when not drawn */
};

static int cmp_pair(const void *x, const void *y)
{
    const struct pair *a = x, *b = y;
    if (a->subj != b->subj)
        return a->subj < b->subj ? -1 : 1;
    long long ta = a->sent + a->recv, tb = b->sent + b->recv;
    if (ta != tb)
        return ta > tb ? -1 : 1;
    return strcmp(a->peer, b->peer);
}

static int cmp_peer(const void *x, const void *y)
{
    const struct pair *a = x, *b = y;
    if (a->subj != b->subj)
        return a->subj < b->subj ? -1 : 1;
    return strcmp(a->peer, b->peer);
}

/* The label of a node id "type:label" or "type:scope|label" (a relay is
 * scoped by its subject, report_links.c). */
static const char *label_of(const char *id)
{
    const char *c = strchr(id, ':');
    if (c && strncmp(id, "relay:", 6) == 0 && strchr(c, '|'))
        return strchr(c, '|') + 1;
    return c ? c + 1 : id;
}

static const char *text(const struct rt_table *t, size_t r, size_t k)
{
    const struct rt_cell *c = rt_at(t, r, k);
    return c->type == RT_TEXT && c->s ? c->s : "";
}

bool svg_graph(FILE *out, const struct report_model *m, bool standalone)
{
    const struct rt_table *nt = &m->t[RM_NODES], *et = &m->t[RM_EDGES];
    if (et->nrows == 0)
        return false;
    /* Subjects, in node order. */
    const char **subj = calloc(GRAPH_MAX_SUBJECTS, sizeof *subj);
    struct pair *pr = calloc(et->nrows * 2, sizeof *pr);
    long *more = calloc(GRAPH_MAX_SUBJECTS, sizeof *more);
    long *more_row = calloc(GRAPH_MAX_SUBJECTS, sizeof *more_row);
    double *sy = calloc(GRAPH_MAX_SUBJECTS, sizeof *sy);
    if (!subj || !pr || !more || !more_row || !sy) {
        free(subj);
        free(pr);
        free(more);
        free(more_row);
        free(sy);
        return false;
    }
    size_t ns = 0, subj_cut = 0;
    for (size_t r = 0; r < nt->nrows; r++)
        if (rt_at(nt, r, 3)->i) {
            if (ns < GRAPH_MAX_SUBJECTS)
                subj[ns++] = text(nt, r, 0);
            else
                subj_cut++;
        }
    /* One pair per (subject, counterpart), directions summed: one entry
     * per edge end that is a subject, then sorted and merged (n log n, so
     * a chart of 200k contacts stays fast). */
    size_t np = 0;
    for (size_t r = 0; r < et->nrows; r++) {
        const char *src = text(et, r, 0), *dst = text(et, r, 1);
        bool ott = strncmp(text(et, r, 2), "ott", 3) == 0; /* ott, ott-direct */
        long long cnt = rt_at(et, r, 4)->i;
        for (size_t i = 0; i < ns; i++) {
            bool out_dir = strcmp(subj[i], src) == 0, in_dir = strcmp(subj[i], dst) == 0;
            if ((!out_dir && !in_dir) || np == et->nrows * 2)
                continue;
            pr[np++] = (struct pair){i, out_dir ? dst : src, out_dir ? cnt : 0,
                                     out_dir ? 0 : cnt, ott, -1};
        }
    }
    qsort(pr, np, sizeof *pr, cmp_peer);
    size_t merged = 0;
    for (size_t j = 0; j < np; j++) {
        if (merged && pr[merged - 1].subj == pr[j].subj &&
            strcmp(pr[merged - 1].peer, pr[j].peer) == 0) {
            pr[merged - 1].sent += pr[j].sent;
            pr[merged - 1].recv += pr[j].recv;
        } else {
            pr[merged++] = pr[j];
        }
    }
    np = merged;
    qsort(pr, np, sizeof *pr, cmp_pair);
    /* Right column: top N per subject, a shared counterpart keeps the row
     * it got first; then a "+K more" row per subject. */
    long rows = 0;
    size_t ndrawn = 0;
    size_t *drawn = calloc((size_t)GRAPH_MAX_SUBJECTS * GRAPH_TOP_N, sizeof *drawn);
    if (!drawn) {
        free(subj);
        free(pr);
        free(more);
        free(more_row);
        free(sy);
        return false;
    }
    for (size_t a = 0, b; a < np; a = b) {
        size_t shown = 0;
        for (b = a; b < np && pr[b].subj == pr[a].subj; b++) {
            if (shown == GRAPH_TOP_N) {
                more[pr[b].subj]++;
                continue;
            }
            shown++;
            /* A counterpart drawn for an earlier subject keeps its row; only
             * drawn pairs (at most GRAPH_MAX_SUBJECTS * GRAPH_TOP_N) are
             * searched. */
            for (size_t k = 0; k < ndrawn && pr[b].row < 0; k++)
                if (strcmp(pr[drawn[k]].peer, pr[b].peer) == 0)
                    pr[b].row = pr[drawn[k]].row;
            if (pr[b].row < 0)
                pr[b].row = rows++;
            drawn[ndrawn++] = b;
        }
        if (more[pr[a].subj])
            more_row[pr[a].subj] = rows++;
    }
    /* Subjects at the mean row of their counterparts, pushed down so they
     * keep one row apart. */
    double last = -1e9;
    for (size_t i = 0; i < ns; i++) {
        double sum = 0;
        size_t k = 0;
        for (size_t d = 0; d < ndrawn; d++)
            if (pr[drawn[d]].subj == i) {
                sum += (double)pr[drawn[d]].row;
                k++;
            }
        double y = k ? sum / (double)k : last + 1;
        if (y < last + 1)
            y = last + 1;
        sy[i] = last = y;
    }
    long total_rows = rows > (long)ceil(last + 1) ? rows : (long)ceil(last + 1);
    int legend_y = G_TOP + (int)total_rows * G_ROW + 20;
    int H = legend_y + 64;
    svg_open(out, "contact-graph", GRAPH_WIDTH, H, "Contact graph", standalone);
    fprintf(out, "<defs><marker id=\"cg-arrow-sms\" viewBox=\"0 0 10 10\" refX=\"10\""
                 " refY=\"5\" markerWidth=\"9\" markerHeight=\"9\" markerUnits=\"userSpaceOnUse\""
                 " orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\""
                 " fill=\"#2e7d32\"/></marker><marker id=\"cg-arrow-ott\" viewBox=\"0 0 10 10\""
                 " refX=\"10\" refY=\"5\" markerWidth=\"9\" markerHeight=\"9\""
                 " markerUnits=\"userSpaceOnUse\" orient=\"auto-start-reverse\"><path"
                 " d=\"M0,0 L10,5 L0,10 z\" fill=\"#1565c0\"/></marker></defs>\n");
    fprintf(out, "<text class=\"cg-head\" x=\"%d\" y=\"18\" font-size=\"12\" font-weight=\"bold\""
                 " text-anchor=\"end\">subjects</text><text class=\"cg-head\" x=\"%d\" y=\"18\""
                 " font-size=\"12\" font-weight=\"bold\">counterparts (top %d per subject by"
                 " records)</text>\n", G_XL + 10, G_XR - 10, GRAPH_TOP_N);
    /* Edges first, nodes and labels on top. */
    for (size_t j = 0; j < np; j++) {
        if (pr[j].row < 0)
            continue;
        double y1 = G_TOP + sy[pr[j].subj] * G_ROW, y2 = G_TOP + (double)pr[j].row * G_ROW;
        long long n = pr[j].sent + pr[j].recv;
        double w = 1 + 1.5 * log((double)(n > 0 ? n : 1));
        if (w > 9)
            w = 9;
        const char *kind = pr[j].ott ? "ott" : "sms";
        fprintf(out, "<path class=\"edge\" d=\"M%d,%.1f C%d,%.1f %d,%.1f %d,%.1f\" fill=\"none\""
                     " stroke=\"%s\" stroke-width=\"%.1f\" opacity=\"0.55\"%s%s%s%s><title>",
                G_XL + 8, y1, (G_XL + G_XR) / 2, y1, (G_XL + G_XR) / 2, y2, G_XR - 8, y2,
                pr[j].ott ? "#1565c0" : "#2e7d32", w,
                pr[j].sent ? " marker-end=\"url(#cg-arrow-" : "", pr[j].sent ? kind : "",
                pr[j].sent ? ")\"" : "",
                pr[j].recv ? (pr[j].ott ? " marker-start=\"url(#cg-arrow-ott)\""
                                        : " marker-start=\"url(#cg-arrow-sms)\"")
                           : "");
        escape_html(out, label_of(subj[pr[j].subj]));
        fprintf(out, " - ");
        escape_html(out, label_of(pr[j].peer));
        if (pr[j].ott)
            fprintf(out, ": %lld OTT sessions</title></path>\n", pr[j].sent);
        else
            fprintf(out, ": %lld sent, %lld received</title></path>\n", pr[j].sent,
                    pr[j].recv);
    }
    for (size_t i = 0; i < ns; i++) {
        double y = G_TOP + sy[i] * G_ROW;
        char s[4 * G_LCHARS + 8];
        svg_shorten(label_of(subj[i]), G_LCHARS, s, sizeof s);
        fprintf(out, "<circle class=\"node subject\" cx=\"%d\" cy=\"%.1f\" r=\"7\""
                     " fill=\"#ffb300\" stroke=\"#222\"/><text class=\"label\" x=\"%d\""
                     " y=\"%.1f\" font-size=\"11\" text-anchor=\"end\"><title>",
                G_XL, y, G_XL - 12, y + 4);
        escape_html(out, label_of(subj[i]));
        fprintf(out, "</title>");
        escape_html(out, s);
        fprintf(out, "</text>\n");
        if (more[i]) {
            long row = more_row[i], k = more[i];
            fprintf(out, "<text class=\"label more\" x=\"%d\" y=\"%.1f\" font-size=\"11\""
                         " fill=\"#666\" font-style=\"italic\">+%ld more of ",
                    G_XR + 12, G_TOP + (double)row * G_ROW + 4, k);
            escape_html(out, s);
            fprintf(out, " (in the tables)</text>\n");
        }
    }
    for (size_t d = 0; d < ndrawn; d++) {
        size_t j = drawn[d];
        bool dup = false;
        for (size_t k = 0; k < d && !dup; k++)
            dup = pr[drawn[k]].row == pr[j].row;
        if (dup)
            continue;
        long long n = 0;
        for (size_t k = 0; k < ndrawn; k++)
            if (pr[drawn[k]].row == pr[j].row)
                n += pr[drawn[k]].sent + pr[drawn[k]].recv;
        double y = G_TOP + (double)pr[j].row * G_ROW;
        char s[4 * G_RCHARS + 8];
        svg_shorten(label_of(pr[j].peer), G_RCHARS, s, sizeof s);
        fprintf(out, "<circle class=\"node\" cx=\"%d\" cy=\"%.1f\" r=\"5\" fill=\"%s\""
                     " stroke=\"#222\"/><text class=\"label\" x=\"%d\" y=\"%.1f\""
                     " font-size=\"11\"><title>",
                G_XR, y, pr[j].ott ? "#90caf9" : "#a5d6a7", G_XR + 12, y + 4);
        escape_html(out, label_of(pr[j].peer));
        fprintf(out, "</title>");
        escape_html(out, s);
        fprintf(out, " \xc3\x97%lld</text>\n", n);
    }
    if (subj_cut)
        fprintf(out, "<text x=\"8\" y=\"%d\" font-size=\"11\">+%zu more subjects (in the"
                     " tables)</text>\n", legend_y - 6, subj_cut);
    int ly = legend_y + 14;
    fprintf(out, "<g class=\"legend\">"
                 "<circle cx=\"14\" cy=\"%d\" r=\"6\" fill=\"#ffb300\" stroke=\"#222\"/>"
                 "<text x=\"26\" y=\"%d\" font-size=\"11\">subject</text>"
                 "<circle cx=\"104\" cy=\"%d\" r=\"5\" fill=\"#a5d6a7\" stroke=\"#222\"/>"
                 "<text x=\"116\" y=\"%d\" font-size=\"11\">SMS address</text>"
                 "<circle cx=\"228\" cy=\"%d\" r=\"5\" fill=\"#90caf9\" stroke=\"#222\"/>"
                 "<text x=\"240\" y=\"%d\" font-size=\"11\">OTT relay endpoint (the peer is"
                 " not observable)</text>\n",
            ly - 4, ly, ly - 4, ly, ly - 4, ly);
    ly += 20;
    fprintf(out, "<line x1=\"8\" y1=\"%d\" x2=\"40\" y2=\"%d\" stroke=\"#2e7d32\""
                 " stroke-width=\"2\" marker-end=\"url(#cg-arrow-sms)\"/>"
                 "<text x=\"48\" y=\"%d\" font-size=\"11\">arrow towards the counterpart:"
                 " sent (SMS) or opened (OTT); towards the subject: received</text>\n",
            ly - 4, ly - 4, ly);
    ly += 20;
    fprintf(out, "<text x=\"8\" y=\"%d\" font-size=\"11\">edge width grows with the"
                 " records; \xc3\x97N after a counterpart = its records</text></g>\n", ly);
    svg_close(out);
    free(subj);
    free(pr);
    free(more);
    free(more_row);
    free(sy);
    free(drawn);
    return true;
}
