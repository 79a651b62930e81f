/* proto.h - the contract every payload parser implements: one row of the
 * protocol registry (classify/registry.c).
 *
 * In the spirit of Suricata's app-layer registration (one struct of
 * callbacks per protocol) and nDPI's dissector contract (three probe
 * outcomes: match, exclude, need more).  Adding a protocol costs:
 *
 *   1. classify/<proto>.c + .h: the decoder and one exported row
 *      `extern const struct proto_ops <proto>_proto;` in its header;
 *   2. one line in the table of classify/registry.c;
 *   3. tests/unit/test_<proto>.c (and a fuzz target).
 *
 * Nothing outside classify/ names a protocol or one of its counters: the
 * registry exports the counters by name (registry_export()).
 *
 * Roles.  A row is one of:
 *   PROTO_ROLE_SIGNALLING  takes over a flow (at most one row per TCP/UDP
 *       flow; SCTP: one row per DATA chunk).  classify/carrier.c probes the
 *       first payload packets of every flow; the first row whose probe says
 *       PROTO_MATCH is bound to the flow, gets its state (state_new) and then
 *       sees every later message of the flow through parse().  It reports
 *       what it decodes through emit (SMS legs, subscriber bindings) and
 *       says "the flow is mine" with proto_emit_claim() (an SMS leg claims
 *       too).  A flow that is not claimed is released when its row has
 *       parsed no message (PARSE_OK) in CARRIER_CANDIDATE_BUDGET packets in
 *       a row, unless the row emitted a binding or holds a request awaiting
 *       its answer (proto_emit_hold()).  A claimed flow's verdict is
 *       service = name, class = cls, method "decoder" (verdict.h).
 *   PROTO_ROLE_META  metadata parsers (TLS, HTTP, DNS): stateless, run by
 *       classify.c on the first payload packet of a direction (or on every
 *       packet when every_packet) next to the signalling rows; they report
 *       a struct proto_meta through proto_emit_meta().  One META row per
 *       packet: the first row whose parse does not return PARSE_INVALID.
 *   PROTO_ROLE_DETECTOR  probe only, asked by a signature rule that names
 *       the row ("detector: <name>", signatures/README.md).
 *
 * Transport units.  parse() always gets a cursor over one message unit:
 *   UDP   the datagram;
 *   MTP3  one MTP3 message of an SS7 link capture, from its SIO;
 *   ICMP6 one ICMPv6 message, from its Type octet (signalling rows only);
 *   SCTP  the user data of one whole DATA chunk (sctp_chunks_walk(); the
 *         chunk is handed to the first SCTP row whose probe matches its
 *         PPID, ports and bytes);
 *   TCP   what the shared reassembly adapter (tcp_reasm_msgs()) frames with
 *         the row's `tcp` framing: exactly one PDU when the framing has a
 *         pdu_len; otherwise (self-delimited text such as SIP) every
 *         buffered byte, and parse advances the cursor over the one whole
 *         message it consumed (PARSE_OK) or returns PARSE_NEED_MORE.
 *   A signalling row that lists PROTO_T_TCP must have `tcp` framing.
 *
 * Counters.  Each row owns PROTO_MAX_COUNTERS uint64_t counters (one set
 * per classifier), reached in parse() as emit->counters.  Slots
 * PROTO_CNT_INVALID, PROTO_CNT_RESYNC and PROTO_CNT_OVERSIZE are bumped by
 * the shared mechanisms (TCP adapter, SCTP and UDP drivers, META driver);
 * the rest are the row's own.  counter_names[i] names slot i in run_stats;
 * NULL keeps a slot internal.  Rows may share a name: the registry sums
 * them (every SMS decoder adds to "sms_pdus_invalid").
 *
 * Rules: probe() never decides on a port alone (a port or PPID may only
 * narrow what the bytes say); parse() reads packet bytes only through the
 * cursor, keeps no pointer into them after it returns, and never copies
 * message content.  All callbacks are called on the packet path: no
 * allocation except in state_new, no logging.
 */
#ifndef PR_CLASSIFY_PROTO_H
#define PR_CLASSIFY_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "capture/decode.h"
#include "capture/flow.h"
#include "capture/rc.h"
#include "classify/dns.h"
#include "classify/meta.h"
#include "classify/sms_addr.h"
#include "classify/stun.h"
#include "classify/tcp_reasm.h"
#include "classify/tls.h"
#include "classify/tls_cert.h"
#include "signatures/sig.h"

/* Transport bits of proto_ops.transports and proto_probe.transport. */
#define PROTO_T_TCP 0x01u
#define PROTO_T_UDP 0x02u
#define PROTO_T_SCTP 0x04u
#define PROTO_T_MTP3 0x08u /* an SS7 link capture's MTP3 message (capture/mtp.h), SIO first */
#define PROTO_T_ICMP6 0x10u /* an ICMPv6 message, from its Type octet */

/* The PROTO_T_* bit of an IP protocol number (0: none of ours). */
static inline uint8_t proto_transport(uint8_t l4proto)
{
    switch (l4proto) {
    case L4_TCP: return PROTO_T_TCP;
    case L4_UDP: return PROTO_T_UDP;
    case L4_SCTP: return PROTO_T_SCTP;
    case L4_MTP3: return PROTO_T_MTP3;
    case L4_ICMPV6: return PROTO_T_ICMP6;
    default: return 0;
    }
}

/* Counters per row, and the slots the shared mechanisms bump. */
#define PROTO_MAX_COUNTERS 14
#define PROTO_CNT_INVALID 0  /* a message the row (or its framing) refused */
#define PROTO_CNT_RESYNC 1   /* the TCP adapter resynchronised the stream */
#define PROTO_CNT_OVERSIZE 2 /* a framed PDU larger than the TCP buffer, skipped */

enum proto_outcome {
    PROTO_MATCH = 0, /* the bytes are this protocol */
    PROTO_EXCLUDE,   /* not this protocol */
    PROTO_NEED_MORE, /* could be, too few bytes to say: ask again on the next packet */
};

enum proto_role { PROTO_ROLE_SIGNALLING = 0, PROTO_ROLE_META, PROTO_ROLE_DETECTOR };

/* Which metadata parser filled a struct proto_meta. */
enum proto_kind { PROTO_TLS = 0, PROTO_HTTP, PROTO_DNS, PROTO_STUN, PROTO_TLS_CERT };

/* What a metadata parser found (value type; bounded copies only). */
struct proto_meta {
    enum proto_kind kind;
    bool has_name;
    struct meta_name name;     /* TLS SNI or HTTP Host */
    bool ech;                  /* TLS encrypted_client_hello offered */
    unsigned nalpn;
    char alpn[TLS_MAX_ALPN][TLS_ALPN_MAX + 1];
    struct dns_msg dns;        /* PROTO_DNS */
    struct stun_msg stun;      /* PROTO_STUN */
    struct tls_cert_names cert; /* PROTO_TLS_CERT: the server certificate's names */
};

/* Subscriber identity bindings (IMSI <-> MSISDN <-> address), defined by
 * classify/binding.h (issue 10); rows only pass pointers through. */
struct sub_binding;
struct suci_keys; /* classify/suci.h */

/* Where a row's output goes (borrowed for the call).  Every callback may
 * be NULL: rows call them through the proto_emit_* helpers below. */
struct proto_emit {
    /* An SMS transfer leg (struct sms_leg wraps a struct sms_event; REQUEST
     * and RESPONSE legs are paired by key in classify/pairing.c, FINAL legs
     * are events as they are).  Same signature as the decoders' sms_leg_fn,
     * with ctx as user. */
    sms_leg_fn sms;
    void (*meta)(void *ctx, const struct proto_meta *m);
    void (*binding)(void *ctx, const struct sub_binding *b);
    /* The row is sure the flow is its protocol (no SMS needed). */
    void (*claim)(void *ctx);
    /* The row holds state the flow's later messages complete (a control-
     * plane request awaiting its answer): keep feeding it, as if it had
     * emitted a binding, without claiming the flow. */
    void (*hold)(void *ctx);
    /* Slots the rows' per-flow request tables of this classifier may hold
     * together (classify/slots.h); NULL: no budget. */
    struct slot_budget *budget;
    void *ctx;
    uint64_t *counters;        /* this row's PROTO_MAX_COUNTERS counters */
    void *shared;              /* the row's state shared by its flows (shared_new), or NULL */
    /* The packet's source and destination addresses, addr_len (4 or 16)
     * octets each; NULL at flow end and wherever no packet is at hand. */
    const uint8_t *src_addr, *dst_addr;
    uint8_t addr_len;
    /* The packet came out of a GTP-U tunnel: its TEID and the node that owns
     * it (the outer destination, tunnel_node_len 4 or 16 octets); teid 0
     * and tunnel_node NULL otherwise. */
    uint32_t teid;
    const uint8_t *tunnel_node;
    uint8_t tunnel_node_len;
    /* The home network keys that de-conceal a SUCI (classify/suci.h), or
     * NULL. */
    const struct suci_keys *suci_keys;
};

static inline void proto_emit_sms(const struct proto_emit *e, const struct sms_leg *leg)
{
    if (e->sms)
        e->sms(leg, e->ctx);
}

static inline void proto_emit_meta(const struct proto_emit *e, const struct proto_meta *m)
{
    if (e->meta)
        e->meta(e->ctx, m);
}

static inline void proto_emit_binding(const struct proto_emit *e, const struct sub_binding *b)
{
    if (e->binding)
        e->binding(e->ctx, b);
}

static inline void proto_emit_claim(const struct proto_emit *e)
{
    if (e->claim)
        e->claim(e->ctx);
}

static inline void proto_emit_hold(const struct proto_emit *e)
{
    if (e->hold)
        e->hold(e->ctx);
}

/* What a probe sees (borrowed). */
struct proto_probe {
    uint8_t transport;         /* one PROTO_T_* bit */
    enum dir dir;              /* direction of the packet in its flow */
    uint16_t sport, dport;     /* the packet's ports */
    uint32_t ppid;             /* SCTP: the DATA chunk's payload protocol id; else 0 */
    struct span bytes;         /* first payload bytes (SCTP: the chunk's user data) */
};

struct proto_ops {
    const char *name;          /* registry key and, for signalling rows, the service name
                                  of a claimed flow ("smpp"); at most 7 characters */
    enum proto_role role;
    /* SIGNALLING rows: the class a claimed flow gets (the SMS decoders:
     * SIG_CLASS_CARRIER_SMS; a row that only yields subscriber bindings,
     * such as GTP-C or RADIUS: SIG_CLASS_OTHER). */
    enum sig_class cls;
    uint8_t transports;        /* PROTO_T_* bits */
    /* META rows only: directions looked at (bit 1 << enum dir), a server
     * port that must match (0 = any; a selection hint, the probe still
     * decides on bytes) and whether every packet or only the first
     * payload packet of a direction is parsed. */
    uint8_t dirs;
    uint16_t server_port;
    bool every_packet;
    /* Required.  Untrusted bytes; reads no state; no side effects. */
    enum proto_outcome (*probe)(const struct proto_probe *pp);
    /* Per-flow state: returns owned (freed with state_free) or NULL when
     * out of memory; NULL state_new = a stateless row (state is NULL). */
    void *(*state_new)(uint8_t transport);
    void (*state_free)(void *state);
    /* One message unit (see the top of this file) of direction d, packet
     * time ts_us.  Returns PARSE_OK, PARSE_NEED_MORE (TCP text framing:
     * nothing consumed yet), PARSE_TRUNCATED or PARSE_INVALID.  Required
     * for SIGNALLING and META rows. */
    enum parse_rc (*parse)(void *state, enum dir d, struct cursor *c, uint64_t ts_us,
                           const struct proto_emit *emit);
    /* The flow ends (may be NULL): report what is still held in state.
     * state is freed by the caller right after. */
    void (*flow_end)(void *state, const struct proto_emit *emit);
    /* SIGNALLING rows, optional: the service a claimed flow is named by,
     * from what the row decoded on it (state: the flow's; the returned
     * string is static, at most 7 characters).  NULL, or a NULL result:
     * the row's name.  (A SIGTRAN association carries MAP, SMS over SGs or
     * the circuit-switched legs under one adaptation layer.) */
    const char *(*service)(const void *state);
    /* TCP framing for the shared reassembly adapter (tcp_reasm.h). */
    const struct tcp_reasm_framer *tcp;
    const char *const *counter_names; /* [ncounters], NULL entries allowed */
    size_t ncounters;                 /* <= PROTO_MAX_COUNTERS */
    /* Counters from this index on (when not 0) are written only when not
     * 0, so that runs where they never happen keep the counter set they
     * had before the counters existed. */
    size_t sparse_from;
    /* Optional: state shared by every flow of the row (what one flow's
     * messages teach that another's need: the RAN rows' UE directory,
     * ran_dir.h), handed to parse as emit->shared.  Returns owned, or NULL
     * when out of memory (the row then works without it); freed with
     * shared_free when the classifier is.  Only the packet thread uses it,
     * in packet order. */
    void *(*shared_new)(void);
    void (*shared_free)(void *shared);
};

#endif
