/* classify.h - per-flow classification: nDPI plus the signature set.
 *
 * The classifier keeps its per-flow state inside the flow table's extension
 * area (classify_ext_size() bytes per flow).  Packets of a flow go to nDPI
 * until it decides (or its budget ends); the verdict is then mapped through
 * the signature set to a service and a class.  classify_flow_end() produces
 * the final result and releases every resource the flow held.
 */
#ifndef PR_CLASSIFY_CLASSIFY_H
#define PR_CLASSIFY_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/decode.h"
#include "capture/flow.h"
#include "capture/rc.h"
#include "classify/carrier.h"
#include "classify/events.h"
#include "classify/meta.h"
#include "classify/verdict.h"
#include "signatures/sig.h"

/* Idle gap that ends an activity burst inside an OTT messaging flow. */
#define CLASSIFY_DEFAULT_BURST_GAP_US 1000000u

/* Named counters (run_stats rows) of a classifier: its own, the
 * signalling driver's and every registry row's, each name once.  Names are
 * static strings. */
#define CLASSIFY_MAX_STATS 64
struct classify_stats {
    size_t n;
    const char *name[CLASSIFY_MAX_STATS];
    uint64_t v[CLASSIFY_MAX_STATS];
};

/* Adds v to the counter called name (static string), appending it when new;
 * names beyond CLASSIFY_MAX_STATS are dropped (a static assertion in
 * classify.c keeps today's set far below). */
void classify_stats_put(struct classify_stats *s, const char *name, uint64_t v);

struct classifier;

/* Builds a classifier over a signature set (borrowed; must outlive it);
 * events (copied; may be NULL) receive SMS and OTT activity records (OTT
 * bursts: runs of packets of an ott-messaging flow separated by less than
 * the burst gap, reported when the gap passes or the flow ends).
 * Fails with e naming file:line:col when a rule names an nDPI protocol that
 * nDPI 4.2 does not know.  Returns owned or NULL. */
struct classifier *classify_new(const struct sig_set *sigs, const struct classify_events *ev,
                               struct err *e);
void classify_free(struct classifier *c);

/* Sets the idle gap (microseconds, > 0) that ends an OTT activity burst. */
void classify_set_burst_gap(struct classifier *c, uint64_t gap_us);

/* Sets the home network keys (borrowed; must outlive c) that de-conceal
 * SUCIs on N2 (classify/suci.h); NULL: none. */
struct suci_keys;
void classify_set_suci_keys(struct classifier *c, const struct suci_keys *k);

/* Bytes of per-flow state to reserve in the flow table (flow_ext). */
size_t classify_ext_size(void);

/* Feeds one packet of flow f in direction d (v borrowed). */
void classify_packet(struct classifier *c, struct flow *f, enum dir d, const struct pkt_view *v);

/* Final verdict for an ending flow; frees the flow's classifier state.
 * Must be called exactly once per flow, from the flow table's end callback. */
void classify_flow_end(struct classifier *c, struct flow *f, struct cls_result *out);

/* Current verdict of a live flow without ending it (interim updates). */
void classify_flow_peek(struct classifier *c, struct flow *f, struct cls_result *out);

void classify_get_stats(const struct classifier *c, struct classify_stats *out);

/* Adds every counter of b to a (by name). */
void classify_stats_add(struct classify_stats *a, const struct classify_stats *b);

const char *classify_method_name(enum cls_method m);

/* The nDPI library version the classifier uses. */
const char *classify_ndpi_version(void);

#endif
