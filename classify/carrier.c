/* carrier.c - the signalling driver: runs the registry's signalling rows
 * (registry.h, proto.h) over a flow (see carrier.h).
 *
 * Probes the first payload packets of a flow against the rows of its
 * transport (never the port alone), binds the flow to the first row that
 * matches and keeps the per-flow state: the row's own state, the shared
 * TCP reassembly buffers, and the request/response pairing table.
 *
 *   TCP  -> tcp_reasm (row's framing) -> row parse
 *   UDP  -> row parse, one datagram at a time
 *   MTP3 -> row parse, one MTP3 message (an SS7 link frame) at a time
 *   SCTP -> sctp_chunks_walk -> each new DATA chunk (sctp_reasm: duplicates
 *           dropped, fragments put together) to the first SCTP row
 *           whose probe matches its PPID, ports and bytes
 */
#include "classify/carrier.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify/binding.h"
#include "classify/pairing.h"
#include "classify/registry.h"
#include "classify/sctp_chunks.h"
#include "classify/sctp_reasm.h"
#include "classify/slots.h"
#include "classify/tcp_reasm.h"
#include "classify/verdict.h"

_Static_assert(REGISTRY_MAX_ROWS <= 32, "cflow.used has a bit per row");

/* Row states one flow keeps.  A flow is one protocol's (TCP and UDP flows
 * are bound to one row; each SCTP DATA chunk goes to the first row whose
 * probe takes it, in practice one or two per association); a row past
 * these is refused, counted as sms_nomem.  A flow's state once held one
 * pointer per registry row, 256 bytes, nearly all of them NULL. */
#define CFLOW_ROW_STATES 4

struct cflow {
    uint8_t transport;     /* PROTO_T_* */
    bool matched;
    bool sms_seen;         /* an SMS transfer (not only an answer) was decoded */
    bool cp;               /* a control-plane row emitted bindings or holds a request:
                              keep decoding, not SMS */
    size_t row;            /* bound row (TCP, UDP) */
    const struct proto_ops *namer; /* names the flow: the row that decoded last before the claim */
    size_t namer_row;      /* its index (its state names the service, proto_ops.service) */
    uint64_t flow_id;
    uint32_t quiet;        /* packets in a row in which no row parsed a message */
    uint64_t prev_us;      /* the flow's previous packet time (slots_clock) */
    bool parsed;           /* this packet: a row parsed a message */
    struct tcp_reasm *rs[2];
    bool resync[2];
    struct sctp_reasm *sr[2];       /* per direction, while fragments wait */
    struct sctp_tsn_window tsns[2]; /* per direction: duplicate DATA chunks */
    /* row states, created on a row's first message: state[i] is row
     * state_row[i]'s (see CFLOW_ROW_STATES) */
    void *state[CFLOW_ROW_STATES];
    uint8_t state_row[CFLOW_ROW_STATES], nstates;
    uint32_t used;         /* bit per row that saw a message (flow_end hooks) */
    struct pairing pair;   /* SMS legs awaiting their answers (grown on demand) */
};

struct carrier {
    struct classify_events ev;
    struct carrier_stats st;
    struct pairing_stats pst;
    struct registry_counters cnt;
    /* what the flows' request tables hold together: SMS legs (pairing.h)
     * and control-plane requests (cpbind.c) */
    struct slot_budget pair_budget, cp_budget;
    struct slot_budget frag_budget; /* bytes of SCTP fragments */
    struct sctp_reasm_stats rst;
    const struct proto_ops *const *rows;
    size_t nrows;
    void **shared; /* [nrows]: each row's state shared by its flows (proto_ops.shared_new) */
    const struct suci_keys *suci_keys; /* borrowed; NULL: none */
};

/* Emission context of one row's parse call. */
struct leg_ctx {
    struct carrier *c;
    struct cflow *s;
    const struct pkt_view *v; /* the packet (owner addresses of bindings); NULL at flow end */
};


void carrier_set_suci_keys(struct carrier *c, const struct suci_keys *k) { c->suci_keys = k; }

struct carrier *carrier_new(const struct classify_events *ev, struct err *e)
{
    struct carrier *c = calloc(1, sizeof *c);
    if (!c) {
        err_set(e, RC_NOMEM, "out of memory");
        return NULL;
    }
    if (ev)
        c->ev = *ev;
    c->rows = registry_rows(&c->nrows);
    c->shared = calloc(c->nrows ? c->nrows : 1, sizeof *c->shared);
    if (!c->shared) {
        free(c);
        err_set(e, RC_NOMEM, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < c->nrows; i++)
        if (c->rows[i]->shared_new)
            c->shared[i] = c->rows[i]->shared_new(); /* NULL: the row works without */
    c->pair_budget.max = CARRIER_PENDING_BUDGET;
    c->cp_budget.max = CARRIER_PENDING_BUDGET;
    c->frag_budget.max = CARRIER_FRAG_BUDGET;
    return c;
}

void carrier_free(struct carrier *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nrows; i++)
        if (c->shared[i])
            c->rows[i]->shared_free(c->shared[i]);
    free(c->shared);
    free(c);
}

void carrier_get_stats(const struct carrier *c, struct carrier_stats *out)
{
    *out = c->st;
    out->pending_evicted = c->pst.evicted;
    out->orphan_responses = c->pst.orphans;
    out->pending_timeouts = c->pst.timeouts;
    out->sctp_fragments = c->rst.fragments;
    out->sctp_reassembled = c->rst.messages;
    out->sctp_frag_dropped = c->rst.dropped;
}

void carrier_export(const struct carrier *c, registry_put_fn put, void *user)
{
    struct carrier_stats s;
    carrier_get_stats(c, &s);
    const struct {
        const char *name;
        uint64_t v;
    } rows[] = {
        {"sms_events", s.events},
        {"sms_pending_evicted", s.pending_evicted},
        {"sms_orphan_responses", s.orphan_responses},
        {"sms_tcp_retrans", s.tcp_retrans},
        {"sms_tcp_gaps", s.tcp_gaps},
        {"sms_tcp_overflows", s.tcp_overflows},
        {"sms_sctp_fragments", s.sctp_fragments},
        {"sms_nomem", s.nomem},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        put(user, rows[i].name, rows[i].v);
    /* written only when it happened, so that a run's counters stay the set
     * they were before the timeout existed */
    if (s.pending_timeouts)
        put(user, "sms_pending_timeouts", s.pending_timeouts);
    if (s.sctp_reassembled)
        put(user, "sms_sctp_reassembled", s.sctp_reassembled);
    if (s.sctp_frag_dropped)
        put(user, "sms_sctp_frag_dropped", s.sctp_frag_dropped);
    if (s.sctp_duplicates)
        put(user, "sms_sctp_duplicates", s.sctp_duplicates);
    registry_export(&c->cnt, put, user);
}

static void out_event(struct sms_event *ev, void *user)
{
    struct carrier *c = user;
    c->st.events++;
    if (c->ev.sms)
        c->ev.sms(ev, c->ev.user);
}

static void on_leg(const struct sms_leg *leg, void *user)
{
    struct leg_ctx *x = user;
    x->s->matched = true;
    /* evidence of SMS: a transfer; an answer alone may answer any
     * operation (a MAP updateLocation result), which is signalling */
    if (leg->kind != SMS_LEG_RESPONSE)
        x->s->sms_seen = true;
    pairing_leg(&x->s->pair, leg, x->s->flow_id, out_event, x->c, &x->c->pst);
}

static void on_claim(void *user)
{
    struct leg_ctx *x = user;
    x->s->matched = true;
}

/* A control-plane row keeps a request for its answer: the flow is the
 * row's, however many requests come before the first answer (a mass
 * re-attach on one MME-SGW flow), so the candidate budget does not end it. */
static void on_hold(void *user)
{
    struct leg_ctx *x = user;
    x->s->cp = true;
}

/* Binding evidence from a control-plane row: the flow and the owner
 * addresses come from here (rows see neither), then the events' binding
 * callback (the pipeline keeps the bindings table, so that it outlives a
 * classifier replaced by a signature reload). */
static void on_binding(void *user, const struct sub_binding *b)
{
    struct leg_ctx *x = user;
    struct sub_binding e = *b;
    x->s->cp = true;
    e.flow_id = x->s->flow_id;
    if (x->v)
        binding_resolve(&e, x->v->src.a, x->v->dst.a, x->v->src.family == 6 ? 16 : 4);
    if (x->c->ev.binding)
        x->c->ev.binding(&e, x->c->ev.user);
}

static struct proto_emit emit_for(struct leg_ctx *x, size_t row)
{
    struct proto_emit e = {.sms = on_leg, .binding = on_binding, .claim = on_claim,
                           .hold = on_hold, .budget = &x->c->cp_budget, .ctx = x,
                           .counters = x->c->cnt.v[row], .shared = x->c->shared[row],
                           .suci_keys = x->c->suci_keys};
    if (x->v) {
        e.src_addr = x->v->src.a;
        e.dst_addr = x->v->dst.a;
        e.addr_len = x->v->src.family == 6 ? 16 : 4;
        if (x->v->tunnel && (x->v->tun_dst.family == 4 || x->v->tun_dst.family == 6)) {
            e.teid = x->v->teid;
            e.tunnel_node = x->v->tun_dst.a;
            e.tunnel_node_len = x->v->tun_dst.family == 6 ? 16 : 4;
        }
    }
    return e;
}

/* Row row's state for flow s, or NULL (none yet, or a row without state). */
static void *row_st(const struct cflow *s, size_t row)
{
    for (unsigned i = 0; i < s->nstates; i++)
        if (s->state_row[i] == row)
            return s->state[i];
    return NULL;
}

/* The row's state for this flow, created on first use (false: no memory,
 * or no room for another row's state). */
static bool row_state(struct carrier *c, struct cflow *s, size_t row)
{
    const struct proto_ops *o = c->rows[row];
    s->used |= 1u << row;
    if (!o->state_new || row_st(s, row))
        return true;
    void *st = s->nstates < CFLOW_ROW_STATES ? o->state_new(s->transport) : NULL;
    if (!st) {
        c->st.nomem++;
        return false;
    }
    s->state[s->nstates] = st;
    s->state_row[s->nstates++] = (uint8_t)row;
    return true;
}

static void free_flow(struct carrier *c, struct cflow *s)
{
    for (int d = 0; d < 2; d++)
        if (s->rs[d]) {
            c->st.tcp_retrans += s->rs[d]->retrans;
            c->st.tcp_gaps += s->rs[d]->gaps;
            c->st.tcp_overflows += s->rs[d]->overflows;
            tcp_reasm_free(s->rs[d]);
        }
    for (int d = 0; d < 2; d++)
        sctp_reasm_free(s->sr[d], &c->frag_budget, &c->rst);
    for (unsigned i = 0; i < s->nstates; i++)
        c->rows[s->state_row[i]]->state_free(s->state[i]);
    c->st.nomem += s->pair.nomem;
    pairing_free(&s->pair);
    free(s);
}

/* The first signalling row of this transport whose probe matches, or -1. */
static int probe_rows(const struct carrier *c, const struct proto_probe *pp)
{
    for (size_t i = 0; i < c->nrows; i++) {
        const struct proto_ops *o = c->rows[i];
        if (o->role == PROTO_ROLE_SIGNALLING && (o->transports & pp->transport) &&
            o->probe(pp) == PROTO_MATCH)
            return (int)i;
    }
    return -1;
}

/* One SCTP DATA chunk: probing (first packets) or decoding (bound flow). */
struct sctp_ctx {
    struct carrier *c;
    struct cflow *s;          /* NULL while probing */
    const struct pkt_view *v;
    enum dir d;
    bool found;
};

static struct proto_probe chunk_probe(const struct sctp_ctx *x, const struct sctp_data *dt)
{
    return (struct proto_probe){.transport = PROTO_T_SCTP, .dir = x->d, .sport = x->v->sport,
                                .dport = x->v->dport, .ppid = dt->ppid,
                                .bytes = cur_rest(&dt->user)};
}

static bool sctp_probe_chunk(const struct sctp_data *dt, void *user)
{
    struct sctp_ctx *x = user;
    struct proto_probe pp = chunk_probe(x, dt);
    x->found = probe_rows(x->c, &pp) >= 0;
    return x->found;
}

/* One message unit to row: an invalid one is counted, a parsed one keeps a
 * candidate flow bound (the candidate budget, carrier_packet). */
static void row_parse(struct carrier *c, struct cflow *s, size_t row, enum dir d,
                      struct cursor *m, uint64_t ts_us, const struct proto_emit *em)
{
    enum parse_rc rc = c->rows[row]->parse(row_st(s, row), d, m, ts_us, em);
    if (rc < 0)
        em->counters[PROTO_CNT_INVALID]++;
    else if (rc == PARSE_OK)
        s->parsed = true;
}

/* One whole user message (a DATA chunk, or fragments put together) to the
 * first SCTP row that takes it. */
static bool sctp_message(const struct sctp_data *dt, void *user)
{
    struct sctp_ctx *x = user;
    struct carrier *c = x->c;
    struct cflow *s = x->s;
    struct proto_probe pp = chunk_probe(x, dt);
    int row = probe_rows(c, &pp);
    if (row < 0 || !row_state(c, s, (size_t)row))
        return false;
    if (!s->matched || !s->sms_seen) {
        s->namer = c->rows[row]; /* the decoder that finds SMS first names the flow */
        s->namer_row = (size_t)row;
    }
    struct leg_ctx lx = {c, s, x->v};
    struct proto_emit em = emit_for(&lx, (size_t)row);
    struct cursor u = dt->user;
    row_parse(c, s, (size_t)row, x->d, &u, x->v->ts_us, &em);
    return false;
}

static bool sctp_chunk(const struct sctp_data *dt, void *user)
{
    struct sctp_ctx *x = user;
    struct carrier *c = x->c;
    struct cflow *s = x->s;
    if (sctp_tsn_seen(&s->tsns[x->d], dt->tsn)) {
        c->st.sctp_duplicates++; /* delivered once (RFC 9260 6.2) */
        return false;
    }
    struct sctp_reasm **r = &s->sr[x->d];
    if (dt->whole) {
        if (*r) /* fragments waiting: those past their age go */
            sctp_reasm_expire(*r, x->v->ts_us, &c->frag_budget, &c->rst);
    } else if (*r || (*r = sctp_reasm_new())) {
        sctp_reasm_push(*r, dt, x->v->ts_us, &c->frag_budget, &c->rst, sctp_message, x);
    } else {
        c->st.nomem++;
    }
    if (*r && sctp_reasm_empty(*r)) { /* holds no memory while nothing waits */
        sctp_reasm_free(*r, &c->frag_budget, &c->rst);
        *r = NULL;
    }
    return dt->whole ? sctp_message(dt, user) : false;
}

/* The shared TCP adapter's message callback: one framed message to the row. */
struct tcp_ctx {
    const struct proto_ops *o;
    struct cflow *s;
    void *state;
    enum dir d;
    uint64_t ts_us;
    const struct proto_emit *em;
};

static enum parse_rc tcp_msg(struct cursor *m, void *user)
{
    struct tcp_ctx *x = user;
    enum parse_rc rc = x->o->parse(x->state, x->d, m, x->ts_us, x->em);
    if (rc == PARSE_OK)
        x->s->parsed = true;
    return rc;
}

static void tcp_packet(struct carrier *c, struct cflow *s, enum dir d, const struct pkt_view *v)
{
    if (!s->rs[d]) {
        s->rs[d] = tcp_reasm_new();
        if (!s->rs[d]) {
            c->st.nomem++;
            return;
        }
    }
    struct tcp_reasm *r = s->rs[d];
    tcp_reasm_push(r, v->tcp_seq, (v->tcp_flags & TCPF_SYN) != 0, v->payload.p, v->payload.n,
                   v->payload_len);
    struct leg_ctx lx = {c, s, v};
    struct proto_emit em = emit_for(&lx, s->row);
    struct tcp_ctx x = {c->rows[s->row], s, row_st(s, s->row), d, v->ts_us, &em};
    struct tcp_reasm_pdu_stats ps = {0, 0, 0};
    tcp_reasm_msgs(r, &s->resync[d], x.o->tcp, tcp_msg, &x, &ps);
    em.counters[PROTO_CNT_INVALID] += ps.invalid;
    em.counters[PROTO_CNT_RESYNC] += ps.resyncs;
    em.counters[PROTO_CNT_OVERSIZE] += ps.oversize;
}

/* The message unit of a UDP or MTP3 packet (the payload) or of an ICMPv6
 * one (the message from its Type octet). */
static struct span unit_of(uint8_t transport, const struct pkt_view *v)
{
    return transport == PROTO_T_ICMP6 ? v->icmp_msg : v->payload;
}

/* One datagram (UDP), one MTP3 message (SS7 link) or one ICMPv6 message to
 * the bound row. */
static void unit_packet(struct carrier *c, struct cflow *s, enum dir d, const struct pkt_view *v)
{
    struct span u = unit_of(s->transport, v);
    if (!u.n)
        return;
    struct leg_ctx lx = {c, s, v};
    struct proto_emit em = emit_for(&lx, s->row);
    struct cursor m = cur_init(u.p, u.n);
    row_parse(c, s, s->row, d, &m, v->ts_us, &em);
}

/* Probes an unbound flow's packet: the row index (TCP/UDP), SCTP_BOUND (an
 * SCTP association: its rows are chosen per DATA chunk) or -1. */
#define SCTP_BOUND ((int)REGISTRY_MAX_ROWS)

static int probe_packet(struct carrier *c, uint8_t t, enum dir d, const struct pkt_view *v)
{
    if (t == PROTO_T_ICMP6) {
        struct proto_probe pp = {.transport = t, .dir = d, .bytes = v->icmp_msg};
        return v->icmp_msg.n ? probe_rows(c, &pp) : -1;
    }
    if (!v->has_ports || !v->payload.n)
        return -1;
    if (t == PROTO_T_SCTP) {
        struct sctp_ctx x = {c, NULL, v, d, false};
        sctp_chunks_walk(v->payload, sctp_probe_chunk, &x);
        return x.found ? SCTP_BOUND : -1;
    }
    struct proto_probe pp = {.transport = t, .dir = d, .sport = v->sport, .dport = v->dport,
                             .bytes = v->payload};
    return probe_rows(c, &pp);
}

/* Binds a new flow to row; NULL (counted) when out of memory. */
static struct cflow *bind_flow(struct carrier *c, const struct flow *f, uint8_t t, int row)
{
    struct cflow *s = calloc(1, sizeof *s);
    if (!s) {
        c->st.nomem++;
        return NULL;
    }
    s->transport = t;
    s->flow_id = f->id;
    s->pair.budget = &c->pair_budget;
    if (row != SCTP_BOUND) {
        s->row = (size_t)row;
        s->namer = c->rows[row];
        s->namer_row = (size_t)row;
        if (!row_state(c, s, s->row)) {
            free(s);
            return NULL;
        }
    }
    return s;
}

/* The class of a claimed flow from the evidence (issue 19): an SMS row's
 * flow is carrier SMS once an SMS was decoded on it, carrier signalling
 * until then. */
static enum sig_class flow_class(const struct cflow *s)
{
    if (s->namer->cls == SIG_CLASS_CARRIER_SMS && !s->sms_seen)
        return SIG_CLASS_CARRIER_SIGNALLING;
    return s->namer->cls;
}

/* The service name of the flow: what the naming row says it decoded, or
 * the row's name. */
static const char *flow_service(const struct cflow *s)
{
    const char *n = s->namer->service ? s->namer->service(row_st(s, s->namer_row)) : NULL;
    return n ? n : s->namer->name;
}

static void set_matched(struct cflow *s, struct carrier_verdict *out)
{
    out->state = CARRIER_MATCHED;
    /* matched implies a row parsed a message, so namer is set */
    out->protocol = flow_service(s);
    out->cls = flow_class(s);
    out->confidence = CONF_DECODER_DEFAULT;
}

void carrier_packet(struct carrier *c, void **state, const struct flow *f, enum dir d,
                    const struct pkt_view *v, struct carrier_verdict *out)
{
    struct cflow *s = *state;
    if (out->state == CARRIER_EXCLUDED)
        return;
    if (!s) {
        uint8_t t = proto_transport(v->l4proto);
        if (!t) {
            out->state = CARRIER_EXCLUDED;
            return;
        }
        out->probe_pkts++;
        int row = probe_packet(c, t, d, v);
        if (row < 0 && t == PROTO_T_ICMP6) {
            /* an ICMPv6 flow is its first message's kind (a Router
             * Advertisement flow is the router's to one UE) */
            out->state = CARRIER_EXCLUDED;
            return;
        }
        if (row < 0) {
            if (v->payload.n)
                out->probe_payloads++;
            if (out->probe_payloads >= CARRIER_PROBE_PAYLOADS ||
                out->probe_pkts >= CARRIER_PROBE_PACKETS)
                out->state = CARRIER_EXCLUDED;
            return;
        }
        s = bind_flow(c, f, t, row);
        if (!s) {
            out->state = CARRIER_EXCLUDED;
            return;
        }
        *state = s;
    }
    s->parsed = false;
    if (s->transport == PROTO_T_ICMP6) {
        unit_packet(c, s, d, v);
    } else if (v->has_ports) {
        if (s->transport == PROTO_T_UDP || s->transport == PROTO_T_MTP3) {
            unit_packet(c, s, d, v);
        } else if (s->transport == PROTO_T_SCTP) {
            struct sctp_ctx x = {c, s, v, d, false};
            sctp_chunks_walk(v->payload, sctp_chunk, &x);
        } else if (v->payload.n || v->payload_len) {
            tcp_packet(c, s, d, v);
        }
    }
    /* After the packet, so an answer in it is paired before its request is
     * given up; at slots_clock, so one outlying packet cannot write every
     * waiting request without its status. */
    pairing_expire(&s->pair, slots_clock(&s->prev_us, v->ts_us), out_event, c, &c->pst);
    if (s->matched && (out->state != CARRIER_MATCHED || out->cls != flow_class(s) ||
                       !out->protocol || strcmp(out->protocol, flow_service(s)) != 0)) {
        set_matched(s, out);
        return;
    }
    /* A candidate is released when its row has parsed nothing for
     * CARRIER_CANDIDATE_BUDGET packets: it is not that protocol after all.
     * One that keeps parsing stays, SMS or not yet: a SIP or Diameter link
     * between core nodes carries every other kind of message too, and its
     * first SMS may come after thousands of them. */
    s->quiet = s->parsed ? 0 : s->quiet + 1;
    if (!s->matched && !s->cp && s->quiet >= CARRIER_CANDIDATE_BUDGET) {
        out->state = CARRIER_EXCLUDED;
        free_flow(c, s);
        *state = NULL;
    }
}

void carrier_flow_end(struct carrier *c, void **state, const struct flow *f)
{
    (void)f;
    struct cflow *s = *state;
    if (!s)
        return;
    struct leg_ctx lx = {c, s, NULL};
    for (size_t i = 0; i < c->nrows; i++) {
        if (!(s->used & (1u << i)) || !c->rows[i]->flow_end)
            continue;
        struct proto_emit em = emit_for(&lx, i);
        c->rows[i]->flow_end(row_st(s, i), &em);
    }
    pairing_flush(&s->pair, out_event, c);
    free_flow(c, s);
    *state = NULL;
}
