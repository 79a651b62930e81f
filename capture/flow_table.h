/* flow_table.h - bounded, bidirectional flow table driven by packet time.
 *
 * Sessions are keyed canonically (address family, addresses, ports, L4
 * protocol, VLAN ids, tunnel discriminator) and hashed with SipHash-1-3 under a
 * key chosen at start-up.  Idle timeouts depend on the protocol state and are
 * evaluated against packet time, so a pcap gives the same flows every run.
 * Each timeout class keeps its flows in a list ordered by last activity; the
 * sweep looks only at list heads, a bounded amount of work per packet.  At
 * capacity the oldest idle flow is evicted (END_EVICTED) and counted: memory is
 * bounded by capacity * (sizeof(struct flow) + ext_size + about 16 bytes of
 * buckets), whatever the input; slots and buckets follow the live flows, so a
 * large capacity costs nothing until that many flows are live.
 *
 * Ending a flow calls the on_end callback (reason in f->end_reason) and then
 * frees it; the callback must release whatever the upper layers keep in
 * flow_ext(f).  This is how finished flows reach classify/ and report/ without
 * the table knowing them (Suricata's flow manager -> output modules).
 */
#ifndef PR_CAPTURE_FLOW_TABLE_H
#define PR_CAPTURE_FLOW_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "capture/decode.h"
#include "capture/flow.h"
#include "capture/rc.h"

enum flow_tclass {
    TCLASS_TCP_OPENING = 0, /* SYN seen, no data exchange yet */
    TCLASS_TCP_EST,
    TCLASS_TCP_CLOSED,      /* FIN both ways or RST: linger for trailing ACKs */
    TCLASS_UDP,
    TCLASS_ICMP,
    TCLASS_OTHER,           /* SCTP and other IP protocols */
    TCLASS_COUNT,
};

/* Default idle timeouts in seconds of packet time (Suricata's defaults for
 * established TCP and UDP; closed TCP lingers long enough for the final ACK
 * and a retransmitted FIN). */
#define FLOW_TIMEOUT_TCP_OPENING_S 120
#define FLOW_TIMEOUT_TCP_EST_S 3600
#define FLOW_TIMEOUT_TCP_CLOSED_S 10
#define FLOW_TIMEOUT_UDP_S 300
#define FLOW_TIMEOUT_ICMP_S 60
#define FLOW_TIMEOUT_OTHER_S 3600

/* Servers learnt from TCP handshakes (address + port), remembered to orient
 * later flows picked up mid-session; direct-mapped, a collision replaces. */
#define FLOW_LEARNT_SERVERS 4096
#define FLOW_DEFAULT_CAPACITY (256u * 1024u)
#define FLOW_MAX_CAPACITY (64u * 1024u * 1024u)
/* The table clock follows packet time but takes a forward jump larger than
 * this only when the next packet (or expire call) confirms it: one packet with
 * a corrupt far-future timestamp would otherwise age every flow at once and,
 * with the clock stuck in the future, end every later flow after one packet.
 * A genuine gap (capture paused, files days apart) costs one packet of delay. */
#define FLOW_CLOCK_MAX_JUMP_S 60

/* Flows ended per class per packet by the idle sweep: bounds per-packet work. */
#define FLOW_EXPIRE_BUDGET 64

typedef void (*flow_end_fn)(struct flow *f, void *user);

struct flow_table_config {
    uint32_t capacity;                  /* max live flows, 1..FLOW_MAX_CAPACITY */
    size_t ext_size;                    /* bytes of upper-layer state per flow */
    uint64_t timeout_us[TCLASS_COUNT];  /* 0 = default */
    uint8_t hash_key[16];
    flow_end_fn on_end;                 /* may be NULL */
    void *user;
};

struct flow_table_stats {
    uint64_t created;
    uint64_t ended[END_SHUTDOWN + 1];   /* by enum end_reason */
    uint64_t evicted;                   /* == ended[END_EVICTED] */
    uint64_t dropped_nomem;             /* packets whose new flow could not be allocated */
    uint64_t no_flow;                   /* packets with no flow key (non-first fragments, no IP) */
    uint64_t active, peak;
    /* TCP flows picked up without their handshake, oriented by: */
    uint64_t role_by_port;              /* service port vs ephemeral port */
    uint64_t role_by_learnt;            /* a server learnt from an earlier handshake */
    uint64_t role_by_first;             /* no evidence: the first sender is the client */
    uint64_t learnt_replaced;           /* learnt servers overwritten by a collision */
    uint64_t tunnel_nomem;              /* GTP-U TEIDs not kept: no memory for the record */
    uint64_t buckets;                   /* hash buckets now (they follow the live flows) */
    uint64_t buckets_nomem;             /* bucket doublings failed: no memory (longer chains;
                                           at one flow per bucket, new flows are dropped) */
};

struct flow_table;

/* Fills cfg with the defaults (capacity, timeouts; zero hash key). */
void flow_table_config_default(struct flow_table_config *cfg);

/* Returns an owned table (free with flow_table_free) or NULL with e set. */
struct flow_table *flow_table_new(const struct flow_table_config *cfg, struct err *e);

/* Frees the table and every flow in it WITHOUT calling on_end (use
 * flow_table_flush first to emit them).  NULL is a no-op. */
void flow_table_free(struct flow_table *t);

/* Accounts one decoded packet (borrowed).  Expires idle flows first (bounded),
 * then finds or creates the packet's flow, updates counters and TCP state,
 * and returns it with *dir set (DIR_C2S or DIR_S2C).  Returns NULL when the
 * packet has no flow key (no IP layer, non-first fragment) or a new flow could
 * not be allocated; both are counted.  The returned flow stays valid until the
 * next call into the table. */
struct flow *flow_table_packet(struct flow_table *t, const struct pkt_view *v, enum dir *dir);

/* Runs the idle sweep at packet time now_us (live captures call it on read
 * timeouts; flow_table_packet calls it itself). */
void flow_table_expire(struct flow_table *t, uint64_t now_us);

/* Ends every flow in creation (id) order: TCP sessions that had closed keep
 * END_FIN/END_RST, all others get END_SHUTDOWN.  Then frees the flow slots'
 * memory (the table stays usable and takes new slots on demand). */
void flow_table_flush(struct flow_table *t);

/* flow_table_flush, telling fn how far it got: fn(below, user) means every
 * flow with an id below `below` has ended (and no flow the table ever had
 * with such an id is live).  It is called before the first flow ends, after
 * every `every` flows (0: never in between) and at the end; `below` only
 * grows. */
typedef void (*flow_flush_fn)(uint64_t below, void *user);
void flow_table_flush_ex(struct flow_table *t, size_t every, flow_flush_fn fn, void *user);

/* Calls fn on every live flow in creation order without ending it (interim
 * updates of long-lived flows).  fn must not call into the table. */
void flow_table_walk(struct flow_table *t, flow_end_fn fn, void *user);

void flow_table_get_stats(const struct flow_table *t, struct flow_table_stats *out);

/* Builds the canonical key of a decoded packet; returns false when the packet
 * has none.  *src_is_a tells whether the packet's source is endpoint a. */
bool flow_table_key(const struct pkt_view *v, struct flow_key *key, bool *src_is_a);

#endif
