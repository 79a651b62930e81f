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
#include "signatures/sig.h"

#define CLASSIFY_SERVICE_MAX 64
#define CLASSIFY_NDPI_NAME_MAX 64

/* How the service was decided. */
enum cls_method {
    METHOD_NONE = 0, /* nothing matched */
    METHOD_NDPI,     /* nDPI verdict mapped by an ndpi rule */
    METHOD_DECODER,  /* one of our protocol decoders (carrier SMS signalling) */
};

struct cls_result {
    char service[CLASSIFY_SERVICE_MAX];   /* "" when unknown */
    enum sig_class cls;
    enum cls_method method;
    uint8_t confidence;                   /* 0..100 */
    char ndpi_name[CLASSIFY_NDPI_NAME_MAX]; /* "TLS.Signal" */
    struct meta_name server_name;         /* SNI / Host / DNS name that was seen */
};

struct classify_stats {
    uint64_t ndpi_packets;  /* packets handed to nDPI */
    uint64_t ndpi_decided;  /* flows nDPI decided before their end */
    uint64_t ndpi_giveup;   /* flows ended or out of budget before a decision */
    uint64_t ndpi_nomem;    /* nDPI flow state allocations that failed */
    struct carrier_stats carrier; /* carrier SMS decoders */
};

struct classifier;

/* Builds a classifier over a signature set (borrowed; must outlive it);
 * events (copied; may be NULL) receive SMS and OTT activity records.
 * Fails with e naming file:line:col when a rule names an nDPI protocol that
 * nDPI 4.2 does not know.  Returns owned or NULL. */
struct classifier *classify_new(const struct sig_set *sigs, const struct classify_events *ev,
                               struct err *e);
void classify_free(struct classifier *c);

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

const char *classify_method_name(enum cls_method m);

/* The nDPI library version the classifier uses. */
const char *classify_ndpi_version(void);

#endif
