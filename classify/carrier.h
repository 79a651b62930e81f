/* carrier.h - the signalling driver: carrier SMS signalling detection and
 * decoding through the registry's signalling rows (SMPP, SIP MESSAGE with
 * 3GPP SMS, GSM MAP over SIGTRAN, Diameter SGd; classify/proto.h).
 *
 * The classifier hands every packet of a flow to carrier_packet() until the
 * flow is recognised as carrier signalling or excluded.  Exclusion is cheap:
 * a flow whose first CARRIER_PROBE_PAYLOADS payload packets no row's probe
 * accepts is excluded without allocating anything; an ICMPv6 flow whose
 * first message none accepts, and other transports than TCP, UDP, SCTP and
 * ICMPv6, at once.  A flow bound to a row that parses no message
 * in CARRIER_CANDIDATE_BUDGET packets in a row (and claims nothing) is
 * excluded too.  Claimed flows
 * produce struct sms_event records through the event callbacks, one per
 * transfer leg with its response folded into status (pairing.h); message
 * text is skipped, never copied.
 */
#ifndef PR_CLASSIFY_CARRIER_H
#define PR_CLASSIFY_CARRIER_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/decode.h"
#include "capture/flow.h"
#include "capture/rc.h"
#include "classify/events.h"
#include "classify/pairing.h"
#include "classify/registry.h"
#include "signatures/sig.h"

/* Payload packets whose start is tested before a flow is excluded. */
#define CARRIER_PROBE_PAYLOADS 4
/* Packets (any) a flow may show before excluded when nothing fits. */
#define CARRIER_PROBE_PACKETS 16
/* Packets in a row a SIP / Diameter / SCTP candidate may carry without a
 * message its row parses before it is released (carrier.c). */
#define CARRIER_CANDIDATE_BUDGET 256
/* Requests that the flows of one classifier keep waiting for their answers
 * together, SMS legs and control-plane requests each (classify/slots.h):
 * about 17 MB and 24 MB when spent.  A link's burst stays far below it;
 * input crafted to leave every request unanswered on many flows stops there
 * (per flow alone: 1,024 each, up to 740 KB of one flow). */
#define CARRIER_PENDING_BUDGET 32768
/* Bytes of SCTP fragments that every flow's reassembly queues hold together
 * (classify/sctp_reasm.h; 64 KiB per direction of one flow). */
#define CARRIER_FRAG_BUDGET (8u << 20)
/* Requests per flow waiting for their response (classify/pairing.h). */
#define CARRIER_MAX_PENDING PAIRING_MAX_PENDING

enum carrier_state {
    CARRIER_UNDECIDED = 0, /* keep feeding packets */
    CARRIER_MATCHED,       /* the flow carries carrier SMS signalling */
    CARRIER_EXCLUDED,      /* not carrier signalling: stop calling */
};

struct carrier_verdict {
    const char *protocol;  /* "smpp", "sip", "map", "sgd" when matched (a static string:
                              the row's name or service), else NULL */
    enum carrier_state state;
    enum sig_class cls;    /* the row's class of a claimed flow (carrier-sms) */
    uint8_t confidence;    /* 0..100 */
    uint16_t probe_pkts, probe_payloads; /* detection budget used (before state exists) */
};

/* The driver's own counters (each row's are in the registry's block). */
struct carrier_stats {
    uint64_t events, pending_evicted, orphan_responses, nomem;
    uint64_t pending_timeouts; /* requests written unanswered after PAIRING_TIMEOUT_US */
    uint64_t tcp_retrans, tcp_gaps, tcp_overflows;
    /* SCTP (classify/sctp_reasm.h): fragment chunks queued, user messages
     * put together from them, fragments given up, DATA chunks whose TSN was
     * already received (not decoded again) */
    uint64_t sctp_fragments, sctp_reassembled, sctp_frag_dropped, sctp_duplicates;
};

struct carrier;

/* Returns an owned decoder set or NULL with e set; ev is copied. */
struct carrier *carrier_new(const struct classify_events *ev, struct err *e);
void carrier_free(struct carrier *c);

/* The home network keys (borrowed) the rows get in proto_emit.suci_keys. */
void carrier_set_suci_keys(struct carrier *c, const struct suci_keys *k);

/* Feeds one packet (v borrowed) of flow f.  *state is the flow's decoder state
 * (NULL at first; owned by this module).  Updates *out. */
void carrier_packet(struct carrier *c, void **state, const struct flow *f, enum dir d,
                    const struct pkt_view *v, struct carrier_verdict *out);

/* Flushes pending events of the flow (requests without responses) and frees
 * *state.  NULL state is a no-op. */
void carrier_flow_end(struct carrier *c, void **state, const struct flow *f);

void carrier_get_stats(const struct carrier *c, struct carrier_stats *out);

/* Every counter of the driver and of the signalling rows, by run_stats
 * name, to put (names may repeat: put adds). */
void carrier_export(const struct carrier *c, registry_put_fn put, void *user);

#endif
