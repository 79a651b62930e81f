/* pipeline.c - analysis wiring (see pipeline.h). */
#include "report/pipeline.h"

#include "classify/binding.h"
#include "classify/suci.h"
#include "classify/sms_msg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "capture/decode.h"
#include "capture/ipfrag.h"
#include "capture/str.h"
#include "capture/flow_table.h"
#include "report/record.h"

/* A classifier replaced by pipeline_reload() that still has live flows: it
 * serves flows with ids up to last_id until they have all ended. */
struct cls_gen {
    struct classifier *cls;
    struct sig_set *sigs;       /* owned; NULL for the caller's original set */
    uint64_t last_id;           /* highest flow id it classifies */
    uint64_t live;              /* its flows still in the table */
};

struct pipeline {
    struct pipeline_config cfg;
    struct flow_table *ft;
    struct ipfrag *rf;          /* IP fragments being reassembled (capture/ipfrag.h) */
    struct classifier *cls;     /* classifies flows with id > gens[ngens-1].last_id */
    struct sig_set *cls_sigs;   /* owned after a reload; NULL = cfg.sigs */
    struct cls_gen gens[PIPELINE_MAX_DRAINING]; /* oldest first, last_id ascending */
    size_t ngens;
    uint64_t max_flow_id;       /* highest flow id seen so far */
    uint64_t reloads;
    uint64_t clock_us;          /* latest packet time seen */
    uint64_t interim_from_us;   /* packet time of the previous interim walk */
    struct classify_stats retired; /* stats of classifiers already freed */
    struct pipeline_stats st;
    const struct flow *cur_flow; /* flow being classified (OTT events are judged by it) */
    int sink_rc;                /* first sink error seen in a callback */
    struct err sink_err;
    struct binding_table *bt;   /* subscriber bindings of the run (classify/binding.h) */
    struct suci_keys suci_test; /* the Annex C.4 test keys, when cfg.suci_keys is NULL */
    struct sms_msg *msgs;       /* SMS legs -> messages (classify/sms_msg.h); outlives reloads */
};

/* The generation serving flow f, or NULL for the current classifier. */
static struct cls_gen *gen_of(struct pipeline *p, const struct flow *f)
{
    for (size_t i = 0; i < p->ngens; i++)
        if (f->id <= p->gens[i].last_id)
            return &p->gens[i];
    return NULL;
}

static struct classifier *cls_of(struct pipeline *p, const struct flow *f)
{
    struct cls_gen *g = gen_of(p, f);
    return g ? g->cls : p->cls;
}

static void retire_stats(struct pipeline *p, const struct classifier *c)
{
    struct classify_stats cs;
    classify_get_stats(c, &cs);
    classify_stats_add(&p->retired, &cs);
}

/* Frees the drained generation at index i (no flow of it is left). */
static void gen_drop(struct pipeline *p, size_t i)
{
    retire_stats(p, p->gens[i].cls);
    classify_free(p->gens[i].cls);
    sig_set_free(p->gens[i].sigs);
    memmove(&p->gens[i], &p->gens[i + 1], (p->ngens - i - 1) * sizeof p->gens[0]);
    p->ngens--;
}

/* ---- Authorisation scope (issue 11): the only place the pipeline asks the
 * filter.  Each helper returns true when the record may be stored; without a
 * scope (research mode) everything is. */

static enum scope_verdict scope_flow_verdict(struct pipeline *p, const struct flow *f,
                                             bool count)
{
    const uint8_t *c = flow_client_addr(f), *s = flow_server_addr(f);
    struct scope_tunnel tun;
    memset(&tun, 0, sizeof tun);
    for (int d = 0; d < 2; d++) {
        tun.teid[d] = flow_teid(f, d);
        const struct ip_addr *node = flow_teid_node(f, d);
        if (node) {
            tun.node_family[d] = node->family;
            tun.node[d] = node->a;
        }
    }
    const struct scope_tunnel *t = tun.teid[0] || tun.teid[1] ? &tun : NULL;
    return count ? scope_filter_flow(p->cfg.scope, f->key.family, c, s, f->first_us, t)
                 : scope_filter_flow_peek(p->cfg.scope, f->key.family, c, s, f->first_us, t);
}

static bool scope_keep_flow(struct pipeline *p, const struct flow *f, bool final)
{
    return !p->cfg.scope || scope_flow_verdict(p, f, final) == SCOPE_KEEP;
}

static bool scope_keep_sms(struct pipeline *p, const struct sms_event *ev)
{
    return !p->cfg.scope || scope_filter_sms(p->cfg.scope, ev) == SCOPE_KEEP;
}

static bool scope_keep_ott(struct pipeline *p, const struct ott_event *ev)
{
    if (!p->cfg.scope)
        return true;
    /* Bursts are emitted while their flow is being classified; an event of
     * any other flow (never expected) is dropped as untargeted. */
    enum scope_verdict fv = p->cur_flow && p->cur_flow->id == ev->flow_id
                                ? scope_flow_verdict(p, p->cur_flow, false)
                                : SCOPE_DROP_NO_TARGET;
    return scope_filter_ott(p->cfg.scope, ev, fv) == SCOPE_KEEP;
}

/* A non-target's binding may decide attribution in memory, never on disk. */
/* The identities of binding b as the scope filter takes them. */
static void subscriber_of(const struct sub_binding *b, struct scope_subscriber *sub)
{
    str_copy(sub->imsi, sizeof sub->imsi, b->imsi);
    str_copy(sub->msisdn, sizeof sub->msisdn, b->msisdn);
    str_copy(sub->imei, sizeof sub->imei, b->imei);
}

static bool scope_keep_binding(struct pipeline *p, const struct sub_binding *b)
{
    if (!p->cfg.scope)
        return true;
    struct scope_subscriber sub;
    subscriber_of(b, &sub);
    return scope_filter_binding(p->cfg.scope, &sub, b->start_us) == SCOPE_KEEP;
}

/* The bindings table's keep function: under a scope, the sessions of the
 * subscribers its targets name are the last to leave a full table, so a
 * busy tap's other sessions cannot push a target's binding out (and with it
 * the flows that the scope keeps through it). */
static bool binding_of_target(const struct sub_binding *b, void *user)
{
    struct pipeline *p = user;
    struct scope_subscriber sub;
    subscriber_of(b, &sub);
    return scope_filter_names_subscriber(p->cfg.scope, &sub);
}

static int scope_stat(void *user, const char *name, uint64_t value)
{
    struct pipeline *p = ((void **)user)[0];
    return sink_run_stat(p->cfg.sink, p->cfg.run_id, name, value, ((void **)user)[1]);
}

static int scope_write_counters(struct pipeline *p, struct err *e)
{
    void *ctx[2] = {p, e};
    return p->cfg.scope ? scope_filter_each_counter(p->cfg.scope, scope_stat, ctx) : 0;
}

/* A NULL sink drops the rows (pipeline_set_sink not called yet, or a test). */
static int write_flow(struct pipeline *p, const struct flow_record *rec)
{
    return p->cfg.sink ? sink_flow(p->cfg.sink, p->cfg.run_id, rec, &p->sink_err) : 0;
}

static void on_flow_end(struct flow *f, void *user)
{
    struct pipeline *p = user;
    struct cls_result r;
    struct flow_record rec;
    struct cls_gen *g = gen_of(p, f);
    const struct flow *outer = p->cur_flow;
    p->cur_flow = f;
    classify_flow_end(g ? g->cls : p->cls, f, &r);
    p->cur_flow = outer;
    /* Every flow the table creates is returned to pipeline_packet, so every
     * id up to last_id is counted in some generation's live: once it reaches
     * 0, no flow in its id range is left and it can go. */
    if (g && --g->live == 0)
        gen_drop(p, (size_t)(g - p->gens));
    if (p->sink_rc || !scope_keep_flow(p, f, true))
        return;
    record_from_flow(f, &r, &rec);
    p->sink_rc = write_flow(p, &rec);
    if (!p->sink_rc)
        p->st.flows_written++;
}

static void on_ott_event(const struct ott_event *ev, void *user)
{
    struct pipeline *p = user;
    if (p->sink_rc || !scope_keep_ott(p, ev))
        return;
    if (p->cfg.sink)
        p->sink_rc = sink_ott_event(p->cfg.sink, p->cfg.run_id, ev, &p->sink_err);
}

static void on_sms_event(const struct sms_event *in, void *user)
{
    struct pipeline *p = user;
    /* every leg gets its message id, kept or not, so the ids do not depend
     * on the scope */
    struct sms_event ev = *in;
    ev.message_id = sms_msg_assign(p->msgs, in);
    if (p->sink_rc || !scope_keep_sms(p, &ev))
        return;
    if (p->cfg.sink)
        p->sink_rc = sink_sms_event(p->cfg.sink, p->cfg.run_id, &ev, &p->sink_err);
}

/* Binding evidence from the control-plane rows (flow and owners filled). */
static void on_binding_event(const struct sub_binding *b, void *user)
{
    struct pipeline *p = user;
    binding_table_apply(p->bt, b->op, b);
}

/* A binding leaving the table (evicted, or at the end of the run) is a row. */
static void on_binding_final(const struct sub_binding *b, void *user)
{
    struct pipeline *p = user;
    if (p->sink_rc || !scope_keep_binding(p, b))
        return;
    if (p->cfg.sink)
        p->sink_rc = sink_binding(p->cfg.sink, p->cfg.run_id, b, &p->sink_err);
}

/* The one place classifiers are built (start-up and every reload), so both
 * get the same event wiring and options. */
static struct classifier *new_classifier(struct pipeline *p, const struct sig_set *sigs,
                                         struct err *e)
{
    struct classify_events ev = {.sms = on_sms_event, .ott = on_ott_event,
                                 .binding = on_binding_event, .user = p};
    struct classifier *c = classify_new(sigs, &ev, e);
    if (c && p->cfg.burst_gap_us)
        classify_set_burst_gap(c, p->cfg.burst_gap_us);
    if (c)
        classify_set_suci_keys(c, p->cfg.suci_keys ? p->cfg.suci_keys : &p->suci_test);
    return c;
}

/* The scope filter's question "is this address bound to a subscriber at t?"
 * answered from the run's bindings table (issue 11 targets are subscribers:
 * a target named by IMSI, MSISDN or IMEI keeps the flows of the UE address
 * its control plane bound).  Bindings seen so far in packet time count, so a
 * control plane that arrives after the user plane does not attribute here
 * (the report's interval join still does). */
static bool scope_lookup(void *user, uint8_t family, const uint8_t *addr, uint64_t t_us,
                         struct scope_subscriber *out)
{
    struct pipeline *p = user;
    const struct sub_binding *b[1];
    size_t n = family == 4   ? binding_table_by_ipv4(p->bt, addr, t_us, b, 1)
               : family == 6 ? binding_table_by_ipv6(p->bt, addr, t_us, b, 1)
                             : 0;
    if (n == 0)
        return false;
    memset(out, 0, sizeof *out);
    subscriber_of(b[0], out);
    return true;
}

/* The same question for a GTP-U tunnel: is this user-plane TEID, at this
 * node, a subscriber's session's at t? */
static bool scope_tunnel_lookup(void *user, uint32_t teid, uint8_t node_family,
                                const uint8_t *node, uint64_t t_us, struct scope_subscriber *out)
{
    struct pipeline *p = user;
    const struct sub_binding *b[1];
    size_t alen = node_family == 4 ? 4 : node_family == 6 ? 16 : 0;
    if (binding_table_by_teid(p->bt, teid, alen ? node : NULL, alen, t_us, b, 1) == 0)
        return false;
    memset(out, 0, sizeof *out);
    subscriber_of(b[0], out);
    return true;
}

struct pipeline *pipeline_new(const struct pipeline_config *cfg, struct err *e)
{
    struct pipeline *p = calloc(1, sizeof *p);
    if (!p) {
        err_set(e, RC_NOMEM, "out of memory");
        return NULL;
    }
    p->cfg = *cfg;
    suci_keys_init(&p->suci_test);
    p->bt = binding_table_new(cfg->binding_capacity, on_binding_final, p);
    p->msgs = sms_msg_new();
    if (!p->bt || !p->msgs) {
        err_set(e, RC_NOMEM, "out of memory");
        goto fail;
    }
    if (p->cfg.scope) {
        scope_filter_set_lookup(p->cfg.scope, scope_lookup, p);
        scope_filter_set_tunnel_lookup(p->cfg.scope, scope_tunnel_lookup, p);
        binding_table_index_teids(p->bt);
        binding_table_set_keep(p->bt, binding_of_target, p);
    }
    p->cls = new_classifier(p, cfg->sigs, e);
    if (!p->cls)
        goto fail;
    struct flow_table_config fc;
    flow_table_config_default(&fc);
    if (cfg->flow_capacity)
        fc.capacity = cfg->flow_capacity;
    fc.ext_size = classify_ext_size();
    fc.on_end = on_flow_end;
    fc.user = p;
    /* Bucket placement only; output never depends on the key. */
    if (getrandom(fc.hash_key, sizeof fc.hash_key, 0) != (ssize_t)sizeof fc.hash_key)
        memcpy(fc.hash_key, "trapline-fallbk", sizeof fc.hash_key);
    p->ft = flow_table_new(&fc, e);
    if (!p->ft)
        goto fail;
    struct ipfrag_config ic = {0};
    memcpy(ic.hash_key, fc.hash_key, sizeof ic.hash_key);
    p->rf = ipfrag_new(&ic);
    if (!p->rf) {
        err_set(e, RC_NOMEM, "out of memory");
        goto fail;
    }
    return p;
fail:
    pipeline_free(p);
    return NULL;
}

void pipeline_set_sink(struct pipeline *p, struct sink *sink, int64_t run_id)
{
    p->cfg.sink = sink;
    p->cfg.run_id = run_id;
}

/* A decoded packet to its flow and the classifier; a packet with no IP
 * layer, or a fragment held for reassembly, only moves the table's clock. */
static void to_flow(struct pipeline *p, const struct pkt_view *v, enum parse_rc rc)
{
    if (decode_reaches_flow(rc, v)) {
        enum dir d;
        struct flow *f = flow_table_packet(p->ft, v, &d);
        if (f) {
            if (f->id > p->max_flow_id)
                p->max_flow_id = f->id;
            p->cur_flow = f;
            classify_packet(cls_of(p, f), f, d, v);
            p->cur_flow = NULL;
        }
    } else {
        flow_table_expire(p->ft, v->ts_us);
    }
}

/* First fragments of datagrams that did not complete go on alone, at their
 * own time, decoded as without reassembly (capture/ipfrag.h).  Their frames
 * were counted when they came. */
static void release_fragments(struct pipeline *p)
{
    struct source_packet fp;
    while (ipfrag_next_release(p->rf, &fp)) {
        struct pkt_view v;
        enum parse_rc rc = decode_packet_reasm(NULL, &fp, &v);
        v.late = true;
        to_flow(p, &v, rc);
    }
}

int pipeline_packet(struct pipeline *p, const struct source_packet *pkt, struct err *e)
{
    struct pkt_view v;
    p->st.packets++;
    p->st.bytes += pkt->wirelen;
    if (pkt->ts_us > p->clock_us)
        p->clock_us = pkt->ts_us;
    ipfrag_expire(p->rf, pkt->ts_us);
    release_fragments(p);
    enum parse_rc rc = decode_packet_reasm(p->rf, pkt, &v);
    if (rc == PARSE_OK)
        p->st.decode_ok++;
    else if (rc == PARSE_TRUNCATED)
        p->st.decode_truncated++;
    else
        p->st.decode_invalid++;
    for (unsigned b = 0; b < DECODE_ANOMALY_COUNT; b++)
        if (v.anomalies & (1u << b))
            p->st.anomalies[b]++;
    if (v.overlays | v.overlay_kept) {
        for (unsigned b = 0; b < DECODE_OVERLAY_COUNT; b++)
            if (v.overlays & (1u << b))
                p->st.overlays[b]++;
        p->st.overlay_kept += v.overlay_kept;
    }
    release_fragments(p); /* datagrams this fragment made the table give up: older */
    to_flow(p, &v, rc);
    if (p->sink_rc)
        return err_set(e, p->sink_rc, "%s", p->sink_err.msg);
    return 0;
}

void pipeline_tick(struct pipeline *p, uint64_t now_us)
{
    ipfrag_expire(p->rf, now_us);
    release_fragments(p);
    flow_table_expire(p->ft, now_us);
}


struct interim_ctx {
    struct pipeline *p;
};

static void interim_one(struct flow *f, void *user)
{
    struct pipeline *p = ((struct interim_ctx *)user)->p;
    struct cls_result r;
    struct flow_record rec;
    /* A flow with no packet since the previous walk has not changed since
     * its last interim row: skip it, so a commit on a large table writes
     * only the flows that moved. */
    if (p->sink_rc || f->last_us < p->interim_from_us || !scope_keep_flow(p, f, false))
        return;
    classify_flow_peek(cls_of(p, f), f, &r);
    record_from_flow(f, &r, &rec);
    snprintf(rec.end_reason, sizeof rec.end_reason, "active");
    p->sink_rc = write_flow(p, &rec);
}

int pipeline_interim(struct pipeline *p, struct err *e)
{
    struct interim_ctx c = {p};
    flow_table_walk(p->ft, interim_one, &c);
    p->interim_from_us = p->clock_us;
    if (p->sink_rc)
        return err_set(e, p->sink_rc, "%s", p->sink_err.msg);
    return 0;
}

int pipeline_finish(struct pipeline *p, struct err *e)
{
    return pipeline_finish_ex(p, 0, NULL, NULL, e);
}

int pipeline_finish_ex(struct pipeline *p, size_t every, flow_flush_fn fn, void *user,
                       struct err *e)
{
    ipfrag_flush(p->rf);
    release_fragments(p);
    flow_table_flush_ex(p->ft, every, fn, user);
    const struct binding_stats bs = *binding_table_stats(p->bt);
    binding_table_flush(p->bt); /* open ones leave open-ended */
    if (p->sink_rc)
        return err_set(e, p->sink_rc, "%s", p->sink_err.msg);
    struct flow_table_stats fs;
    struct ipfrag_stats is;
    ipfrag_get_stats(p->rf, &is);
    struct classify_stats cs;
    struct sms_msg_stats ms;
    sms_msg_get_stats(p->msgs, &ms);
    flow_table_get_stats(p->ft, &fs);
    classify_get_stats(p->cls, &cs);
    for (size_t i = 0; i < p->ngens; i++)
        retire_stats(p, p->gens[i].cls);
    classify_stats_add(&cs, &p->retired);
    struct {
        const char *name;
        uint64_t v;
    } rows[] = {
        {"packets", p->st.packets},
        {"bytes", p->st.bytes},
        {"decode_ok", p->st.decode_ok},
        {"decode_truncated", p->st.decode_truncated},
        {"decode_invalid", p->st.decode_invalid},
        {"flows_created", fs.created},
        {"flows_peak", fs.peak},
        {"flows_evicted", fs.evicted},
        {"flows_dropped_nomem", fs.dropped_nomem},
        {"packets_without_flow", fs.no_flow},
        {"flows_end_fin", fs.ended[END_FIN]},
        {"flows_end_rst", fs.ended[END_RST]},
        {"flows_end_idle", fs.ended[END_IDLE]},
        {"flows_end_reused", fs.ended[END_REUSED]},
        {"flows_end_shutdown", fs.ended[END_SHUTDOWN]},
        {"bindings_opened", bs.opened},
        {"bindings_closed", bs.closed},
        {"bindings_close_unmatched", bs.close_unmatched},
        {"bindings_conflicts", bs.conflicts},
        {"bindings_evicted", bs.evicted},
        {"bindings_teids_dropped", bs.dropped_teids},
        {"sms_messages", ms.messages},
        {"sms_legs_joined", ms.joined},
        {"sms_messages_evicted", ms.evicted},
    };
    if (!p->cfg.sink)
        return 0;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (sink_run_stat(p->cfg.sink, p->cfg.run_id, rows[i].name, rows[i].v, e))
            return sink_error(p->cfg.sink);
    /* Allocation failures that keep the run going, written only when they
     * happened, so that a run's counters stay the set they were before each
     * one could occur (issue 12): a tunnel record (the flow is kept, its
     * TEIDs are not), a bucket doubling (longer chains; at one flow per
     * bucket new flows are dropped), an address index's growth (the
     * binding is missed by address until its next evidence).  Overlay
     * tunnels and IP fragments are rare on a tap too: their rows follow the
     * same rule. */
    const struct {
        const char *name;
        uint64_t v;
    } rare[] = {
        {"flows_tunnel_nomem", fs.tunnel_nomem},
        {"flows_buckets_nomem", fs.buckets_nomem},
        {"bindings_addr_nomem", bs.addr_nomem},
#define OVERLAY_ROW_(name, bit, stat) {(stat), p->st.overlays[(bit)]},
        DECODE_OVERLAY_LIST(OVERLAY_ROW_)
#undef OVERLAY_ROW_
        {"decode_overlay_kept_outer", p->st.overlay_kept},
        {"ipfrag_fragments", is.fragments},
        {"ipfrag_reassembled", is.reassembled},
        {"ipfrag_incomplete", is.incomplete},
        {"ipfrag_timed_out", is.timed_out},
        {"ipfrag_open_at_end", is.at_end},
        {"ipfrag_evicted", is.evicted},
        {"ipfrag_overlaps", is.overlaps},
        {"ipfrag_conflicts", is.conflicts},
        {"ipfrag_first_alone", is.first_alone},
        {"ipfrag_frames_absorbed", is.absorbed},
        {"ipfrag_duplicates", is.duplicates},
        {"ipfrag_refused", is.refused},
        {"ipfrag_nomem", is.nomem},
        {"ipfrag_peak_datagrams", is.peak_datagrams},
        {"ipfrag_peak_bytes", is.peak_bytes},
    };
    for (size_t i = 0; i < sizeof rare / sizeof rare[0]; i++)
        if (rare[i].v && sink_run_stat(p->cfg.sink, p->cfg.run_id, rare[i].name, rare[i].v, e))
            return sink_error(p->cfg.sink);
    for (size_t i = 0; i < cs.n; i++) /* the classifier's counters, named by classify/ */
        if (sink_run_stat(p->cfg.sink, p->cfg.run_id, cs.name[i], cs.v[i], e))
            return sink_error(p->cfg.sink);
    for (unsigned b = 0; b < DECODE_ANOMALY_COUNT; b++)
        if (sink_run_stat(p->cfg.sink, p->cfg.run_id, decode_anomaly_name(b),
                          p->st.anomalies[b], e))
            return sink_error(p->cfg.sink);
    if (scope_write_counters(p, e))
        return sink_error(p->cfg.sink);
    return 0;
}

int pipeline_reload(struct pipeline *p, struct sig_set *sigs, struct err *e)
{
    struct flow_table_stats fs;
    flow_table_get_stats(p->ft, &fs);
    if (fs.active > 0 && p->ngens == PIPELINE_MAX_DRAINING) {
        sig_set_free(sigs);
        return err_set(e, RC_LIMIT,
                       "%d earlier signature sets still classify live flows; reload refused",
                       PIPELINE_MAX_DRAINING);
    }
    struct classifier *c = new_classifier(p, sigs, e);
    if (!c) {
        sig_set_free(sigs);
        return RC_CONFIG;
    }
    uint64_t older = 0;
    for (size_t i = 0; i < p->ngens; i++)
        older += p->gens[i].live;
    if (fs.active > older) {
        /* The current classifier keeps serving its live flows. */
        p->gens[p->ngens++] = (struct cls_gen){
            .cls = p->cls, .sigs = p->cls_sigs, .last_id = p->max_flow_id,
            .live = fs.active - older};
    } else {
        retire_stats(p, p->cls);
        classify_free(p->cls);
        sig_set_free(p->cls_sigs);
    }
    p->cls = c;
    p->cls_sigs = sigs;
    p->reloads++;
    p->st.signature_reloads = p->reloads;
    return 0;
}

size_t pipeline_draining(const struct pipeline *p) { return p->ngens; }

void pipeline_get_stats(const struct pipeline *p, struct pipeline_stats *out) { *out = p->st; }

void pipeline_free(struct pipeline *p)
{
    if (!p)
        return;
    /* Flows still in the table (a run that failed before pipeline_finish)
     * hold per-flow classifier state: end them, with the sink detached so
     * that nothing more is written, before the table goes. */
    p->cfg.sink = NULL;
    if (p->ft)
        flow_table_flush(p->ft);
    flow_table_free(p->ft);
    ipfrag_free(p->rf);
    for (size_t i = 0; i < p->ngens; i++) {
        classify_free(p->gens[i].cls);
        sig_set_free(p->gens[i].sigs);
    }
    classify_free(p->cls);
    sig_set_free(p->cls_sigs);
    binding_table_free(p->bt);
    sms_msg_free(p->msgs);
    free(p);
}
