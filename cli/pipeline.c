/* pipeline.c - analysis wiring (see pipeline.h). */
#include "cli/pipeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "capture/decode.h"
#include "capture/flow_table.h"
#include "report/record.h"
#include "report/store_sms.h"

struct pipeline {
    struct pipeline_config cfg;
    struct flow_table *ft;
    struct classifier *cls;
    struct pipeline_stats st;
    int store_rc;               /* first store error seen in a callback */
    struct err store_err;
};

static void on_flow_end(struct flow *f, void *user)
{
    struct pipeline *p = user;
    struct cls_result r;
    struct flow_record rec;
    classify_flow_end(p->cls, f, &r);
    record_from_flow(f, &r, &rec);
    if (p->store_rc)
        return;
    p->store_rc = store_flow(p->cfg.store, p->cfg.run_id, &rec, &p->store_err);
    if (!p->store_rc)
        p->st.flows_written++;
}

static void on_sms_event(const struct sms_event *ev, void *user)
{
    struct pipeline *p = user;
    if (p->store_rc)
        return;
    p->store_rc = store_sms_event(p->cfg.store, p->cfg.run_id, ev, &p->store_err);
}

struct pipeline *pipeline_new(const struct pipeline_config *cfg, struct err *e)
{
    struct pipeline *p = calloc(1, sizeof *p);
    if (!p) {
        err_set(e, RC_NOMEM, "out of memory");
        return NULL;
    }
    p->cfg = *cfg;
    struct classify_events events = {.sms = on_sms_event, .user = p};
    p->cls = classify_new(cfg->sigs, &events, e);
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
    return p;
fail:
    pipeline_free(p);
    return NULL;
}

int pipeline_packet(struct pipeline *p, const struct source_packet *pkt, struct err *e)
{
    struct pkt_view v;
    p->st.packets++;
    p->st.bytes += pkt->wirelen;
    enum parse_rc rc = decode_packet(pkt->linktype, pkt->data, pkt->caplen, pkt->wirelen,
                                     pkt->ts_us, &v);
    if (rc == PARSE_OK)
        p->st.decode_ok++;
    else if (rc == PARSE_TRUNCATED)
        p->st.decode_truncated++;
    else
        p->st.decode_invalid++;
    for (unsigned b = 0; b < 16; b++)
        if (v.anomalies & (1u << b))
            p->st.anomalies[b]++;
    if (rc == PARSE_OK || (rc == PARSE_TRUNCATED && v.ip_version)) {
        enum dir d;
        struct flow *f = flow_table_packet(p->ft, &v, &d);
        if (f)
            classify_packet(p->cls, f, d, &v);
    } else {
        flow_table_expire(p->ft, pkt->ts_us);
    }
    if (p->store_rc)
        return err_set(e, p->store_rc, "%s", p->store_err.msg);
    return 0;
}

void pipeline_tick(struct pipeline *p, uint64_t now_us) { flow_table_expire(p->ft, now_us); }

struct interim_ctx {
    struct pipeline *p;
};

static void interim_one(struct flow *f, void *user)
{
    struct pipeline *p = ((struct interim_ctx *)user)->p;
    struct cls_result r;
    struct flow_record rec;
    if (p->store_rc)
        return;
    classify_flow_peek(p->cls, f, &r);
    record_from_flow(f, &r, &rec);
    snprintf(rec.end_reason, sizeof rec.end_reason, "active");
    p->store_rc = store_flow(p->cfg.store, p->cfg.run_id, &rec, &p->store_err);
}

int pipeline_interim(struct pipeline *p, struct err *e)
{
    struct interim_ctx c = {p};
    flow_table_walk(p->ft, interim_one, &c);
    if (p->store_rc)
        return err_set(e, p->store_rc, "%s", p->store_err.msg);
    return 0;
}

static const char *const anomaly_names[16] = {
    "decode_truncated_header", "decode_bad_ip_length", "decode_bad_ip_version",
    "decode_encap_depth", "decode_ipv6_ext_limit", "decode_bad_l4", "decode_fragment",
    "decode_gtp_bad", "decode_non_ip",
};

int pipeline_finish(struct pipeline *p, struct err *e)
{
    flow_table_flush(p->ft);
    if (p->store_rc)
        return err_set(e, p->store_rc, "%s", p->store_err.msg);
    struct flow_table_stats fs;
    struct classify_stats cs;
    flow_table_get_stats(p->ft, &fs);
    classify_get_stats(p->cls, &cs);
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
        {"ndpi_packets", cs.ndpi_packets},
        {"ndpi_decided", cs.ndpi_decided},
        {"ndpi_giveup", cs.ndpi_giveup},
        {"ndpi_nomem", cs.ndpi_nomem},
        {"sms_events", cs.carrier.events},
        {"sms_pending_evicted", cs.carrier.pending_evicted},
        {"sms_orphan_responses", cs.carrier.orphan_responses},
        {"sms_pdus_invalid", cs.carrier.pdus_invalid},
        {"sms_resyncs", cs.carrier.resyncs},
        {"sms_tcp_retrans", cs.carrier.tcp_retrans},
        {"sms_tcp_gaps", cs.carrier.tcp_gaps},
        {"sms_tcp_overflows", cs.carrier.tcp_overflows},
        {"sms_sctp_fragments", cs.carrier.sctp_fragments},
        {"sms_nomem", cs.carrier.nomem},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (store_run_stat(p->cfg.store, p->cfg.run_id, rows[i].name, rows[i].v, e))
            return RC_SQL;
    for (unsigned b = 0; b < 16; b++)
        if (anomaly_names[b] &&
            store_run_stat(p->cfg.store, p->cfg.run_id, anomaly_names[b], p->st.anomalies[b], e))
            return RC_SQL;
    return 0;
}

void pipeline_get_stats(const struct pipeline *p, struct pipeline_stats *out) { *out = p->st; }

void pipeline_free(struct pipeline *p)
{
    if (!p)
        return;
    flow_table_free(p->ft);
    classify_free(p->cls);
    free(p);
}
