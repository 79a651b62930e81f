/* svg_util.h - pieces shared by the SVG charts (svg_timeline.c,
 * svg_heatmap.c, svg_graph.c): the document opening, the service palette
 * and number formatting.
 *
 * Every chart is one <svg> element with a viewBox, so it scales with the
 * page (CSS width:100%) and, written standalone, opens at its natural size.
 * Values from the database are hostile and go through escape_html() (valid
 * for SVG text and attribute values alike).  Output depends only on the
 * model: the same database gives the same bytes.
 */
#ifndef PR_REPORT_SVG_UTIL_H
#define PR_REPORT_SVG_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "report/report_model.h"

/* Distinct services given their own colour; further services share the
 * last, grey "other" entry (and the legend says so). */
#define SVG_MAX_SERVICES 64
#define SVG_PALETTE_SIZE 10

struct svg_palette {
    const char *name[SVG_MAX_SERVICES]; /* borrowed from the model, sorted */
    size_t n;
    bool cut;                           /* more than SVG_MAX_SERVICES services */
};

/* Every OTT service of m (all subjects, so a service has the same colour in
 * every chart), sorted by byte value. */
void svg_palette_build(const struct report_model *m, struct svg_palette *p);

/* Colour of service name ("#rrggbb"): position in the sorted list modulo
 * SVG_PALETTE_SIZE; unknown services get the grey "other" colour. */
const char *svg_palette_colour(const struct svg_palette *p, const char *name);

/* Opens an <svg> of class cls with viewBox 0 0 w h and a <title> (escaped).
 * standalone adds the XML declaration and explicit width/height (a file
 * for a case folder); inline, the page's CSS sizes it. */
void svg_open(FILE *out, const char *cls, int w, int h, const char *title, bool standalone);

/* Closes it. */
void svg_close(FILE *out);

/* Approximate width in user units of s at font size px (no font metrics
 * are available; 0.62 em per byte is wide enough for the sans-serif fonts
 * of common browsers and is what the layouts reserve). */
double svg_text_width(const char *s, double px);

/* Copies at most max bytes of s into out (size max + 4), ending in "..."
 * (UTF-8 ellipsis) when cut; never splits a UTF-8 sequence. */
void svg_shorten(const char *s, size_t max, char *out, size_t n);

#endif
