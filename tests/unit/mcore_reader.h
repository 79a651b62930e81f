/* mcore_reader.h - test-only: runs the control-plane registry rows (gtpc2,
 * gtpc1, radius, gx; classify/cpbind.h) over a capture the way the
 * signalling driver (classify/carrier.c) does: a flow is bound to the first
 * UDP row whose probe matches, SCTP DATA chunks go to the first SCTP row
 * that matches, each row gets its own per-flow state, and the evidence it
 * emits has its owner addresses resolved from the packet and is applied to
 * a bindings table.  A small flow map (MCORE_MAX_FLOWS, linear) stands in
 * for the flow table. */
#ifndef PR_TESTS_MCORE_READER_H
#define PR_TESTS_MCORE_READER_H

#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "capture/decode.h"
#include "classify/binding.h"
#include "classify/cpbind.h"
#include "classify/sctp_chunks.h"

#define MCORE_MAX_FLOWS 64
#define MCORE_ROWS 4

struct mcore_flow {
    bool used;
    uint8_t l4, alen;
    uint8_t a[16], b[16]; /* a = the first packet's source */
    uint16_t pa, pb;
    int row;              /* bound UDP row, -1 = none yet */
    void *state[MCORE_ROWS];
    uint64_t id;
};

struct mcore_run {
    unsigned packets, cp_messages, skipped;
    struct binding_table *t;
    struct mcore_flow flows[MCORE_MAX_FLOWS];
    uint64_t counters[MCORE_ROWS][PROTO_MAX_COUNTERS];
    const struct pkt_view *v;
    uint64_t flow_id;
};

static const struct proto_ops *const mcore_rows[MCORE_ROWS] = {&gtpc2_proto, &gtpc1_proto,
                                                               &radius_proto, &gx_proto};

static void mcore_binding(void *ctx, const struct sub_binding *b)
{
    struct mcore_run *r = ctx;
    struct sub_binding e = *b;
    e.flow_id = r->flow_id;
    binding_resolve(&e, r->v->src.a, r->v->dst.a, r->v->src.family == 6 ? 16 : 4);
    binding_table_apply(r->t, e.op, &e);
}

static struct mcore_flow *mcore_flow_of(struct mcore_run *r, const struct pkt_view *v,
                                        enum dir *d)
{
    size_t alen = v->src.family == 6 ? 16 : 4;
    for (size_t i = 0; i < MCORE_MAX_FLOWS; i++) {
        struct mcore_flow *f = &r->flows[i];
        if (!f->used || f->l4 != v->l4proto || f->alen != alen)
            continue;
        if (!memcmp(f->a, v->src.a, alen) && !memcmp(f->b, v->dst.a, alen) &&
            f->pa == v->sport && f->pb == v->dport) {
            *d = DIR_C2S;
            return f;
        }
        if (!memcmp(f->a, v->dst.a, alen) && !memcmp(f->b, v->src.a, alen) &&
            f->pa == v->dport && f->pb == v->sport) {
            *d = DIR_S2C;
            return f;
        }
    }
    for (size_t i = 0; i < MCORE_MAX_FLOWS; i++) {
        struct mcore_flow *f = &r->flows[i];
        if (f->used)
            continue;
        memset(f, 0, sizeof *f);
        f->used = true;
        f->l4 = v->l4proto;
        f->alen = (uint8_t)alen;
        memcpy(f->a, v->src.a, alen);
        memcpy(f->b, v->dst.a, alen);
        f->pa = v->sport;
        f->pb = v->dport;
        f->row = -1;
        f->id = i + 1;
        *d = DIR_C2S;
        return f;
    }
    return NULL;
}

static void mcore_parse(struct mcore_run *r, struct mcore_flow *f, int row, enum dir d,
                        struct span bytes)
{
    if (!f->state[row])
        f->state[row] = mcore_rows[row]->state_new(PROTO_T_UDP);
    if (!f->state[row])
        return;
    struct proto_emit em = {.binding = mcore_binding, .ctx = r, .counters = r->counters[row]};
    struct cursor c = cur_init(bytes.p, bytes.n);
    r->flow_id = f->id;
    if (mcore_rows[row]->parse(f->state[row], d, &c, r->v->ts_us, &em) == PARSE_OK)
        r->cp_messages++;
}

struct mcore_sctp {
    struct mcore_run *r;
    struct mcore_flow *f;
    enum dir d;
};

static bool mcore_chunk(const struct sctp_data *dt, void *user)
{
    struct mcore_sctp *x = user;
    const struct pkt_view *v = x->r->v;
    struct proto_probe pp = {.transport = PROTO_T_SCTP, .dir = x->d, .sport = v->sport,
                             .dport = v->dport, .ppid = dt->ppid, .bytes = cur_rest(&dt->user)};
    for (int row = 0; row < MCORE_ROWS; row++) {
        if (!(mcore_rows[row]->transports & PROTO_T_SCTP) ||
            mcore_rows[row]->probe(&pp) != PROTO_MATCH)
            continue;
        if (!dt->whole) {
            x->r->skipped++;
            return false;
        }
        mcore_parse(x->r, x->f, row, x->d, pp.bytes);
        break;
    }
    return false;
}

static void mcore_packet(struct mcore_run *r, const struct pkt_view *v)
{
    if (!v->has_ports || v->frag || (v->l4proto != L4_UDP && v->l4proto != L4_SCTP))
        return;
    enum dir d;
    struct mcore_flow *f = mcore_flow_of(r, v, &d);
    if (!f)
        return;
    r->v = v;
    if (v->l4proto == L4_SCTP) {
        struct mcore_sctp x = {r, f, d};
        sctp_chunks_walk(v->payload, mcore_chunk, &x);
        return;
    }
    if (f->row < 0) {
        struct proto_probe pp = {.transport = PROTO_T_UDP, .dir = d, .sport = v->sport,
                                 .dport = v->dport, .bytes = v->payload};
        for (int row = 0; row < MCORE_ROWS && f->row < 0; row++)
            if ((mcore_rows[row]->transports & PROTO_T_UDP) &&
                mcore_rows[row]->probe(&pp) == PROTO_MATCH)
                f->row = row;
        if (f->row < 0)
            return;
    }
    mcore_parse(r, f, f->row, d, v->payload);
}

static void mcore_free_flows(struct mcore_run *r)
{
    for (size_t i = 0; i < MCORE_MAX_FLOWS; i++)
        for (int row = 0; row < MCORE_ROWS; row++)
            if (r->flows[i].state[row])
                mcore_rows[row]->state_free(r->flows[i].state[row]);
}

/* Reads path, applying its bindings to t; returns -1 when it cannot be opened. */
static int mcore_read(const char *path, struct binding_table *t, struct mcore_run *r)
{
    char eb[PCAP_ERRBUF_SIZE];
    memset(r, 0, sizeof *r);
    r->t = t;
    pcap_t *pc = pcap_open_offline(path, eb);
    if (!pc)
        return -1;
    int lt = pcap_datalink(pc);
    struct pcap_pkthdr *h;
    const u_char *bytes;
    while (pcap_next_ex(pc, &h, &bytes) == 1) {
        struct pkt_view v;
        uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec;
        r->packets++;
        if (decode_packet(lt, bytes, h->caplen, h->len, ts, &v) != PARSE_OK)
            continue;
        mcore_packet(r, &v);
    }
    pcap_close(pc);
    mcore_free_flows(r);
    return 0;
}

#endif
