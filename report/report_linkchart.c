/* report_linkchart.c - nodes and edges CSV (see report_linkchart.h). */
#include "report/report_linkchart.h"

#include "report/report_csv.h"

int report_linkchart(const struct report_model *m, FILE *out, struct err *e)
{
    char warn[RM_WARNING_MAX];
    report_model_warning(m, warn, sizeof warn);
    if (*warn)
        fprintf(out, "# %s\r\n", warn);
    fputs("# nodes\r\n", out);
    int rc = report_csv_table(&m->t[RM_NODES], out, e);
    if (!rc) {
        fputs("\r\n# edges\r\n", out);
        rc = report_csv_table(&m->t[RM_EDGES], out, e);
    }
    return rc;
}
