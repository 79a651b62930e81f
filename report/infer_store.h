/* infer_store.h - trapline infer: reads subjects' bursts and call flows from
 * the store, runs the contact inference (contact_infer.h) and writes the
 * inferred_contacts rows (schema.c migration 5).
 *
 * All SQL of the inference lives here; the detector itself sees only
 * "subject id + service + bursts".  The subject key is one SQL expression
 * (INFER_SUBJECT_SQL): the IMSI of the subscriber the flow is attributed to
 * (issue 10's flow_subscribers view: GTP-U TEID, else UE address inside the
 * session interval), else the flow's client address (a local endpoint).
 */
#ifndef PR_REPORT_INFER_STORE_H
#define PR_REPORT_INFER_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/rc.h"
#include "report/contact_infer.h"
#include "report/store.h"

/* The subject of a flow f (SQL over the flows table aliased f), read from
 * temp.infer_subject, which infer_store_run fills once per run with
 * flow_subscribers' answer for every flow it reads. */
#define INFER_SUBJECT_SQL                                                                  \
    "COALESCE((SELECT x.imsi FROM temp.infer_subject x"                                      \
    " WHERE x.run_id = f.run_id AND x.flow_id = f.id), f.src_ip)"

struct infer_stats {
    uint64_t subjects, bursts, calls;
    uint64_t message_pairs, call_pairs; /* rows written */
    struct ci_stats ci;
};

/* The authorisation recorded with the runs of s (issue 11): out->present
 * when any run was made under a scope file (runs.basis 'scope'), and
 * out->inferred_contact only when every such run's scope snapshot allows the
 * `inferred-contact` output; no scoped run = research mode (present false).
 * Returns 0 or RC_SQL with e set (out then says present, not allowed). */
int infer_store_scope(struct store *s, struct ci_scope *out, struct err *e);

/* Runs the inference over every OTT messaging burst and call flow in s and
 * writes the reported pairs as inferred_contacts rows of run run_id: a
 * message-correlation pair only when it is reported in at least min_windows
 * windows (1 = every reported window; more trades recall over a long
 * observation for fewer chance rows, see the README), and only
 * when infer_allowed(scope) (scope NULL = research mode); otherwise writes
 * nothing and returns 0 with st->message_pairs = st->call_pairs = 0.
 * p: the detector's parameters (borrowed).  Returns 0 or RC_SQL / RC_NOMEM /
 * RC_CONFIG with e set; rows already written stay in the open batch. */
int infer_store_run(struct store *s, int64_t run_id, const struct ci_scope *scope,
                    const struct ci_params *p, unsigned min_windows, struct infer_stats *st,
                    struct err *e);

#endif
