/* pipeline.h - wiring of one analysis: decode -> flow table -> classifier,
 * and finished flows and events -> record -> sink (report/sink.h).  Used by
 * `analyze`, `live`, the pipeline unit test and fuzz_pipeline.
 *
 * The pipeline holds no analysis logic of its own; it connects the modules'
 * callbacks (STYLE.md section 1) and keeps the run counters.
 */
#ifndef PR_REPORT_PIPELINE_H
#define PR_REPORT_PIPELINE_H

#include <stdint.h>

#include "capture/flow_table.h"
#include "capture/pkt_view.h"
#include "capture/rc.h"
#include "capture/source.h"
#include "classify/classify.h"
#include "report/scope_filter.h"
#include "report/sink.h"
#include "signatures/sig.h"

struct pipeline_config {
    const struct sig_set *sigs; /* borrowed */
    struct sink *sink;          /* borrowed; NULL: records are dropped (pipeline_set_sink) */
    int64_t run_id;
    uint32_t flow_capacity;     /* 0 = default */
    uint32_t binding_capacity;  /* open and recent PDN sessions; 0 = BINDING_TABLE_MAX */
    uint64_t burst_gap_us;      /* OTT burst idle gap; 0 = CLASSIFY_DEFAULT_BURST_GAP_US */
    const struct suci_keys *suci_keys; /* borrowed: home network keys that de-conceal SUCIs
                                          (classify/suci.h); NULL: the test keys only */
    struct scope_filter *scope; /* borrowed; NULL = research mode (everything stored).
                                   Applied in pipeline.c's scope_* helpers before any
                                   sink write; its counters go to run_stats. */
};

struct pipeline_stats {
    uint64_t packets, bytes;
    uint64_t decode_ok, decode_truncated, decode_invalid;
    uint64_t anomalies[DECODE_ANOMALY_COUNT]; /* per enum decode_anomaly bit */
    uint64_t overlays[DECODE_OVERLAY_COUNT];  /* packets per enum decode_overlay bit */
    uint64_t overlay_kept;                    /* overlays that gave no inner IP packet */
    uint64_t flows_written;
    uint64_t signature_reloads; /* successful pipeline_reload() calls */
};

struct pipeline;

/* Builds the flow table and the classifier (which checks the signature set
 * against nDPI: RC_CONFIG with the rule in e).  Returns owned or NULL. */
struct pipeline *pipeline_new(const struct pipeline_config *cfg, struct err *e);

/* Sets the sink (borrowed) and the run id every later row is written with;
 * lets a caller build (and so validate) the pipeline before it opens the
 * database.  Call it before the first packet. */
void pipeline_set_sink(struct pipeline *p, struct sink *sink, int64_t run_id);

/* Processes one packet (borrowed).  Returns 0, or the sink's sticky error. */
int pipeline_packet(struct pipeline *p, const struct source_packet *pkt, struct err *e);

/* Runs the idle sweep at packet time now_us (live read timeouts). */
void pipeline_tick(struct pipeline *p, uint64_t now_us);

/* Writes interim rows (end_reason 'active') for every live flow that saw a
 * packet since the previous call (all of them on the first call) (live mode). */
int pipeline_interim(struct pipeline *p, struct err *e);

/* Ends every flow (shutdown), writes them and the run counters (run_stats
 * rows: packets, decode results, flow table, classifier, one per anomaly
 * bit). */
int pipeline_finish(struct pipeline *p, struct err *e);

/* The same, with the flow table's flush progress (flow_table_flush_ex):
 * fn(below, user) once every flow below `below` has ended and its rows
 * have been handed to the sink. */
int pipeline_finish_ex(struct pipeline *p, size_t every, flow_flush_fn fn, void *user,
                       struct err *e);

void pipeline_get_stats(const struct pipeline *p, struct pipeline_stats *out);

/* Signature sets replaced by reloads that may still serve live flows. */
#define PIPELINE_MAX_DRAINING 8

/* Replaces the signature set (SIGHUP); takes sigs (freed on failure too).
 * Flows already in the table keep the classifier they started with (their
 * per-flow nDPI state belongs to it), so a reload never changes a verdict in
 * mid-flow: the old classifier and its set stay alive until the last of
 * their flows has ended, and flows created after the reload use the new set.
 * Fails with RC_CONFIG (e names the rule) when the classifier cannot be built,
 * or RC_LIMIT when PIPELINE_MAX_DRAINING older sets still have live flows;
 * on failure the pipeline is unchanged. */
int pipeline_reload(struct pipeline *p, struct sig_set *sigs, struct err *e);

/* Number of replaced classifiers still serving live flows. */
size_t pipeline_draining(const struct pipeline *p);

void pipeline_free(struct pipeline *p);

#endif
