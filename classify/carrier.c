/* carrier.c - carrier SMS signalling dispatcher (see carrier.h).
 *
 * Picks a decoder per flow from the first payload bytes (never from the
 * port alone), keeps the per-flow decoder state (TCP stream buffers,
 * resynchronisation flags, requests waiting for their response) and turns
 * decoder legs into struct sms_event callbacks.
 *
 *   TCP  -> tcp_reasm -> smpp | sip_sms | diameter
 *   UDP  -> sip_sms
 *   SCTP -> sctp_chunks -> sigtran: M3UA / M2PA / M2UA / SUA -> ... -> tcap_map,
 *                                   SGsAP (port 29118) -> CP / RP
 *                       -> (PPID 46/47, or port 3868) diameter
 */
#include "classify/carrier.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/str.h"
#include "classify/diameter.h"
#include "classify/sctp_chunks.h"
#include "classify/sigtran.h"
#include "classify/sip_sms.h"
#include "classify/smpp.h"
#include "classify/tcap_map.h"
#include "classify/tcp_reasm.h"

/* Diameter over SCTP PPIDs (RFC 6733 section 2.1; 47 = DTLS). */
#define SCTP_PPID_DIAMETER 46
#define SCTP_PPID_DIAMETER_DTLS 47

enum kind { K_SMPP = 1, K_SIP_TCP, K_SIP_UDP, K_DIAM_TCP, K_SCTP };

struct pending {
    bool used;
    uint64_t k1, k2, order;
    struct sms_event ev;
};

struct cflow {
    enum kind kind;
    bool matched;
    bool signalling; /* a SIGTRAN / SGsAP layer recognised the flow's messages */
    const char *proto;
    uint64_t flow_id;
    uint32_t pkts;
    struct tcp_reasm *rs[2];
    bool resync[2];
    uint64_t order;
    struct pending pend[CARRIER_MAX_PENDING];
};

struct carrier {
    struct classify_events ev;
    struct carrier_stats st;
    struct smpp_stats smpp;
    struct sip_stats sip;
    struct diameter_stats diam;
    struct sigtran *sg;
};

struct carrier *carrier_new(const struct classify_events *ev, struct err *e)
{
    struct carrier *c = calloc(1, sizeof *c);
    if (!c) {
        err_set(e, RC_NOMEM, "out of memory");
        return NULL;
    }
    if (ev)
        c->ev = *ev;
    c->sg = sigtran_new();
    if (!c->sg) {
        free(c);
        err_set(e, RC_NOMEM, "out of memory");
        return NULL;
    }
    return c;
}

void carrier_free(struct carrier *c)
{
    if (!c)
        return;
    sigtran_free(c->sg);
    free(c);
}

void carrier_get_stats(const struct carrier *c, struct carrier_stats *out)
{
    struct sigtran_stats sg;
    sigtran_get_stats(c->sg, &sg);
    *out = c->st;
    out->pdus_invalid = c->smpp.invalid + c->sip.invalid + c->diam.invalid + sg.tcap.invalid +
                        sg.invalid;
    out->resyncs = c->smpp.resyncs + c->sip.resyncs + c->diam.resyncs;
}

static void emit(struct carrier *c, struct sms_event *ev)
{
    c->st.events++;
    if (c->ev.sms)
        c->ev.sms(ev, c->ev.user);
}

struct leg_ctx {
    struct carrier *c;
    struct cflow *s;
};

static void append(char *dst, size_t n, const char *add)
{
    size_t used = strlen(dst);
    if (add[0])
        snprintf(dst + used, n - used, "%s%s", used ? " " : "", add);
}

static void on_leg(const struct sms_leg *leg, void *user)
{
    struct leg_ctx *x = user;
    struct cflow *s = x->s;
    struct carrier *c = x->c;
    /* evidence of SMS: a transfer, or the answer to one (an answer to an
     * invoke that was not an SMS operation is no evidence: see below) */
    if (leg->kind != SMS_LEG_RESPONSE)
        s->matched = true;
    if (leg->kind == SMS_LEG_FINAL) {
        struct sms_event ev = leg->ev;
        ev.flow_id = s->flow_id;
        emit(c, &ev);
        return;
    }
    if (leg->kind == SMS_LEG_RESPONSE) {
        bool any = false;
        for (size_t i = 0; i < CARRIER_MAX_PENDING; i++) {
            struct pending *p = &s->pend[i];
            if (!p->used || p->k1 != leg->key1 || p->k2 != leg->key2)
                continue;
            snprintf(p->ev.status, sizeof p->ev.status, "%s", leg->ev.status);
            if (!p->ev.imsi[0])
                str_copy(p->ev.imsi, sizeof p->ev.imsi, leg->ev.imsi);
            append(p->ev.detail, sizeof p->ev.detail, leg->ev.detail);
            emit(c, &p->ev);
            p->used = false;
            any = true;
            s->matched = true;
        }
        if (!any)
            c->st.orphan_responses++;
        return;
    }
    struct pending *slot = NULL, *oldest = NULL;
    for (size_t i = 0; i < CARRIER_MAX_PENDING; i++) {
        struct pending *p = &s->pend[i];
        if (!p->used) {
            slot = p;
            break;
        }
        if (!oldest || p->order < oldest->order)
            oldest = p;
    }
    if (!slot) {
        c->st.pending_evicted++;
        emit(c, &oldest->ev);
        slot = oldest;
    }
    slot->used = true;
    slot->k1 = leg->key1;
    slot->k2 = leg->key2;
    slot->order = s->order++;
    slot->ev = leg->ev;
    slot->ev.flow_id = s->flow_id;
}

static void flush(struct carrier *c, struct cflow *s)
{
    for (;;) {
        struct pending *oldest = NULL;
        for (size_t i = 0; i < CARRIER_MAX_PENDING; i++)
            if (s->pend[i].used && (!oldest || s->pend[i].order < oldest->order))
                oldest = &s->pend[i];
        if (!oldest)
            return;
        emit(c, &oldest->ev);
        oldest->used = false;
    }
}

static void free_flow(struct carrier *c, struct cflow *s)
{
    for (int d = 0; d < 2; d++)
        if (s->rs[d]) {
            c->st.tcp_retrans += s->rs[d]->retrans;
            c->st.tcp_gaps += s->rs[d]->gaps;
            c->st.tcp_overflows += s->rs[d]->overflows;
            free(s->rs[d]);
        }
    free(s);
}

/* Does this SCTP packet carry SIGTRAN, SGsAP or Diameter DATA? */
static bool sctp_probe(const struct pkt_view *v)
{
    struct cursor c = cur_init(v->payload.p, v->payload.n);
    struct sctp_chunk ch;
    for (unsigned i = 0; i < SCTP_MAX_CHUNKS && sctp_chunks_next(&c, &ch) == PARSE_OK; i++) {
        struct sctp_data d;
        if (ch.type != SCTP_CHUNK_DATA || sctp_chunks_data(&ch, &d) != PARSE_OK)
            continue;
        struct span u = cur_rest(&d.user);
        if (sigtran_probe(d.ppid, v->sport, v->dport, u))
            return true;
        if ((d.ppid == SCTP_PPID_DIAMETER || d.ppid == SCTP_PPID_DIAMETER_DTLS ||
             v->sport == DIAMETER_PORT || v->dport == DIAMETER_PORT) &&
            diameter_probe(u))
            return true;
    }
    return false;
}

/* Chooses a decoder from the packet, or 0. */
static enum kind pick(const struct pkt_view *v)
{
    struct span p = v->payload;
    if (v->l4proto == L4_TCP) {
        if (smpp_probe(p))
            return K_SMPP;
        if (sip_sms_probe(p))
            return K_SIP_TCP;
        if (p.n >= 8 && diameter_probe(p))
            return K_DIAM_TCP;
    } else if (v->l4proto == L4_UDP) {
        if (sip_sms_probe(p))
            return K_SIP_UDP;
    } else if (v->l4proto == L4_SCTP) {
        if (sctp_probe(v))
            return K_SCTP;
    }
    return 0;
}

static void sctp_packet(struct carrier *c, struct cflow *s, enum dir d, const struct pkt_view *v,
                        struct leg_ctx *x)
{
    struct cursor cc = cur_init(v->payload.p, v->payload.n);
    struct sctp_chunk ch;
    for (unsigned i = 0; i < SCTP_MAX_CHUNKS && sctp_chunks_next(&cc, &ch) == PARSE_OK; i++) {
        struct sctp_data dt;
        if (ch.type != SCTP_CHUNK_DATA || sctp_chunks_data(&ch, &dt) != PARSE_OK)
            continue;
        if (!dt.whole) {
            c->st.sctp_fragments++; /* fragmented user messages are not reassembled */
            continue;
        }
        if (sigtran_probe(dt.ppid, v->sport, v->dport, cur_rest(&dt.user))) {
            bool was = s->matched;
            const char *svc = sigtran_data(c->sg, dt.ppid, v->sport, v->dport, &dt.user, (int)d,
                                           v->ts_us, on_leg, x);
            if (svc && !was) {
                s->proto = svc; /* the decoder that finds SMS first names the flow */
                s->signalling = true;
            }
        } else if (diameter_probe(cur_rest(&dt.user))) {
            bool sms = false;
            if (!s->matched)
                s->proto = "sgd";
            if (diameter_parse(&dt.user, v->ts_us, on_leg, x, &sms, &c->diam) != PARSE_OK)
                c->diam.invalid++;
        }
    }
}

static bool tcp_packet(struct carrier *c, struct cflow *s, enum dir d, const struct pkt_view *v,
                       struct leg_ctx *x)
{
    if (!s->rs[d]) {
        s->rs[d] = calloc(1, sizeof *s->rs[d]);
        if (!s->rs[d]) {
            c->st.nomem++;
            return false;
        }
    }
    struct tcp_reasm *r = s->rs[d];
    tcp_reasm_push(r, v->tcp_seq, (v->tcp_flags & TCPF_SYN) != 0, v->payload.p, v->payload.n,
                   v->payload_len);
    bool sms = false;
    switch (s->kind) {
    case K_SMPP:
        if (smpp_stream(r, &s->resync[d], d == DIR_C2S, v->ts_us, on_leg, x, &c->smpp))
            s->matched = true; /* SMPP structure alone is carrier SMS signalling */
        break;
    case K_SIP_TCP:
        sip_sms_stream(r, &s->resync[d], v->ts_us, on_leg, x, &c->sip);
        break;
    case K_DIAM_TCP:
        diameter_stream(r, &s->resync[d], v->ts_us, on_leg, x, &sms, &c->diam);
        if (sms)
            s->matched = true;
        break;
    default:
        break;
    }
    return true;
}

static void set_matched(struct cflow *s, struct carrier_verdict *out)
{
    out->state = CARRIER_MATCHED;
    snprintf(out->protocol, sizeof out->protocol, "%s", s->proto);
    out->confidence = 95;
}

void carrier_packet(struct carrier *c, void **state, const struct flow *f, enum dir d,
                    const struct pkt_view *v, struct carrier_verdict *out)
{
    struct cflow *s = *state;
    if (out->state == CARRIER_EXCLUDED)
        return;
    if (!s) {
        if (v->l4proto != L4_TCP && v->l4proto != L4_UDP && v->l4proto != L4_SCTP) {
            out->state = CARRIER_EXCLUDED;
            return;
        }
        out->probe_pkts++;
        enum kind k = v->has_ports && v->payload.n ? pick(v) : 0;
        if (!k) {
            if (v->payload.n)
                out->probe_payloads++;
            if (out->probe_payloads >= CARRIER_PROBE_PAYLOADS ||
                out->probe_pkts >= CARRIER_PROBE_PACKETS)
                out->state = CARRIER_EXCLUDED;
            return;
        }
        s = calloc(1, sizeof *s);
        if (!s) {
            c->st.nomem++;
            out->state = CARRIER_EXCLUDED;
            return;
        }
        s->kind = k;
        s->flow_id = f->id;
        static const char *const names[] = {"", "smpp", "sip", "sip", "sgd", "map"};
        s->proto = names[k];
        *state = s;
    }
    s->pkts++;
    struct leg_ctx x = {c, s};
    if (v->has_ports) {
        if (s->kind == K_SIP_UDP) {
            struct cursor cc = cur_init(v->payload.p, v->payload.n);
            size_t used;
            if (v->payload.n && sip_sms_parse(&cc, false, v->ts_us, on_leg, &x, &used,
                                              &c->sip) < 0)
                c->sip.invalid++;
        } else if (s->kind == K_SCTP) {
            sctp_packet(c, s, d, v, &x);
        } else if (v->payload.n || v->payload_len) {
            tcp_packet(c, s, d, v, &x);
        }
    }
    if (s->matched && out->state != CARRIER_MATCHED) {
        set_matched(s, out);
        return;
    }
    if (!s->matched && s->signalling) {
        /* evidence of signalling, none of SMS: class from what was seen;
         * decoding goes on (the budget does not apply), so a later SMS
         * still turns the flow into carrier SMS */
        out->state = CARRIER_SIGNALLING;
        snprintf(out->protocol, sizeof out->protocol, "%s", s->proto);
        out->confidence = 90;
        return;
    }
    if (!s->matched && s->pkts >= CARRIER_CANDIDATE_BUDGET) {
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
    flush(c, s);
    free_flow(c, s);
    *state = NULL;
}
