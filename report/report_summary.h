/* report_summary.h - the "findings first" page every format opens with: a
 * compact provenance block, one line per subject and a short list of
 * findings, computed from the model's tables (no SQL here).
 *
 * A subject line lists the subject's identities.  Today a subject is one
 * SMS address or one OTT client address, so it has exactly one identity
 * (itself); once subjects are subscribers (attribution), the model lists
 * several and every renderer prints them unchanged.  Calls are counted
 * per subject (0 until call records exist) so the column is already there.
 */
#ifndef PR_REPORT_REPORT_SUMMARY_H
#define PR_REPORT_REPORT_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>

#include "capture/rc.h"
#include "report/report_model.h"

/* Identities listed on one subject line (more are counted, not listed). */
#define RS_MAX_IDENTITIES 8
/* Findings listed; beyond it "+K more findings" is printed. */
#define RS_MAX_FINDINGS 8
#define RS_FINDING_MAX 240

struct rs_subject {
    const char *subject;                          /* borrowed from the model */
    const char *kind;                             /* borrowed; "" when absent */
    const char *identities[RS_MAX_IDENTITIES];    /* borrowed */
    size_t nidentities;
    long long sms, ott_sessions, calls, missed, periods, bursts;
    long long first_us, last_us;
    bool seen;                                    /* first_us/last_us valid */
};

struct report_summary {
    struct rs_subject *s; /* owned */
    size_t n;
    /* provenance */
    size_t runs, inputs, inputs_incomplete;
    long long input_bytes, input_packets;
    char status[64];      /* "complete", or "N of M runs not complete" */
    /* findings */
    char findings[RS_MAX_FINDINGS][RS_FINDING_MAX];
    size_t nfindings, findings_more;
};

/* One-sentence definitions of the terms a reader meets first in the summary
 * (term, definition) pairs, NULL-terminated. */
extern const char *const report_summary_terms[][2];

/* Fills sum from m (borrowed; sum borrows strings from m and is valid while
 * m is).  Returns 0 or RC_NOMEM (sum left empty). */
int report_summary_build(const struct report_model *m, struct report_summary *sum,
                         struct err *e);

void report_summary_free(struct report_summary *sum);

#endif
