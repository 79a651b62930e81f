/* classify.c - per-flow classification driver (see classify.h). */
#include "classify/classify.h"

#include <stdlib.h>
#include <string.h>

#include "classify/carrier.h"
#include "classify/ndpi.h"

/* nDPI 4.2 protocol ids fit in 16 bits; map id -> service index + 1 (0 = none). */
#define CLASSIFY_MAX_NDPI_ID 65536

struct classifier {
    const struct sig_set *sigs;
    int dns_id;
    struct ndpi_engine *ndpi;
    struct carrier *carrier;
    uint16_t *svc_by_ndpi; /* [CLASSIFY_MAX_NDPI_ID] */
    struct classify_stats st;
};

/* Per-flow state in the flow table's extension area. */
struct cls_flow {
    void *dpi;        /* nDPI adapter state while undecided */
    bool decided;     /* nDPI is done with this flow */
    struct ndpi_engine_result res;
    void *carrier;    /* carrier SMS decoder state */
    struct carrier_verdict cv;
};

size_t classify_ext_size(void) { return sizeof(struct cls_flow); }

const char *classify_method_name(enum cls_method m)
{
    switch (m) {
    case METHOD_NDPI: return "ndpi";
    case METHOD_DECODER: return "decoder";
    case METHOD_NONE: break;
    }
    return "none";
}

const char *classify_ndpi_version(void) { return ndpi_engine_version(); }

struct classifier *classify_new(const struct sig_set *sigs, const struct classify_events *ev,
                               struct err *e)
{
    struct classifier *c = calloc(1, sizeof *c);
    if (!c) {
        err_set(e, RC_NOMEM, "out of memory for the classifier");
        return NULL;
    }
    c->sigs = sigs;
    c->svc_by_ndpi = calloc(CLASSIFY_MAX_NDPI_ID, sizeof *c->svc_by_ndpi);
    if (!c->svc_by_ndpi) {
        err_set(e, RC_NOMEM, "out of memory for the classifier");
        goto fail;
    }
    c->ndpi = ndpi_engine_new(e);
    if (!c->ndpi)
        goto fail;
    c->dns_id = ndpi_engine_proto_id(c->ndpi, "DNS");
    c->carrier = carrier_new(ev, e);
    if (!c->carrier)
        goto fail;
    for (size_t i = 0; i < sigs->nrules; i++) {
        const struct sig_rule *r = &sigs->rules[i];
        if (r->kind != SIG_RULE_NDPI)
            continue;
        int id = ndpi_engine_proto_id(c->ndpi, r->ndpi);
        if (id < 0 || id >= CLASSIFY_MAX_NDPI_ID) {
            err_set(e, RC_CONFIG, "%s:%u:%u: nDPI 4.2 has no protocol named '%s'",
                    r->where.file, r->where.line, r->where.col, r->ndpi);
            goto fail;
        }
        if (c->svc_by_ndpi[id] && c->svc_by_ndpi[id] != r->service + 1) {
            err_set(e, RC_CONFIG, "%s:%u:%u: nDPI protocol '%s' is already mapped to '%s'",
                    r->where.file, r->where.line, r->where.col, r->ndpi,
                    sigs->services[c->svc_by_ndpi[id] - 1].name);
            goto fail;
        }
        c->svc_by_ndpi[id] = (uint16_t)(r->service + 1);
    }
    return c;
fail:
    classify_free(c);
    return NULL;
}

void classify_free(struct classifier *c)
{
    if (!c)
        return;
    ndpi_engine_free(c->ndpi);
    carrier_free(c->carrier);
    free(c->svc_by_ndpi);
    free(c);
}

void classify_packet(struct classifier *c, struct flow *f, enum dir d, const struct pkt_view *v)
{
    struct cls_flow *cf = flow_ext(f);
    /* Carrier signalling decoders see every packet of a flow until they
     * exclude it: a matched flow is decoded to its end. */
    if (cf->cv.state != CARRIER_EXCLUDED)
        carrier_packet(c->carrier, &cf->carrier, f, d, v, &cf->cv);
    if (cf->cv.state == CARRIER_MATCHED && !cf->decided) {
        ndpi_engine_release(&cf->dpi); /* our decoder decided: nDPI stops */
        cf->decided = true;
    }
    if (cf->decided || v->l3.n == 0)
        return;
    c->st.ndpi_packets++;
    bool had_state = cf->dpi != NULL;
    if (ndpi_engine_packet(c->ndpi, &cf->dpi, v->l3.p, v->l3.n, v->ts_us, &cf->res)) {
        cf->decided = true;
        c->st.ndpi_decided++;
    } else if (!had_state && !cf->dpi) {
        c->st.ndpi_nomem++;
    }
}

static uint8_t confidence_of(enum ndpi_engine_conf conf, bool guessed)
{
    if (guessed)
        return 30;
    switch (conf) {
    case NDPI_CONF_DPI: return 90;
    case NDPI_CONF_CACHE: return 70;
    case NDPI_CONF_IP: return 50;
    case NDPI_CONF_PORT: return 20;
    case NDPI_CONF_NONE: break;
    }
    return 0;
}

static uint16_t ndpi_dns_id(const struct classifier *c) { return (uint16_t)c->dns_id; }

static void map(const struct classifier *c, const struct cls_flow *cf, struct cls_result *out)
{
    memset(out, 0, sizeof *out);
    const struct ndpi_engine_result *r = &cf->res;
    snprintf(out->ndpi_name, sizeof out->ndpi_name, "%s", r->name[0] ? r->name : "Unknown");
    out->server_name = r->host;
    out->cls = SIG_CLASS_OTHER;
    if (cf->cv.state == CARRIER_MATCHED) {
        snprintf(out->service, sizeof out->service, "%s", cf->cv.protocol);
        out->cls = SIG_CLASS_CARRIER_SMS;
        out->method = METHOD_DECODER;
        out->confidence = cf->cv.confidence;
        return;
    }
    /* A DNS lookup of a messaging host is DNS traffic, not a messaging
     * session: nDPI's DNS.Signal keeps service DNS (the name is kept). */
    if (r->master == ndpi_dns_id(c)) {
        snprintf(out->service, sizeof out->service, "DNS");
        out->method = METHOD_NDPI;
        out->confidence = confidence_of(r->conf, r->guessed);
        return;
    }
    /* The application protocol is more specific than its master (TLS.Signal). */
    uint16_t svc = c->svc_by_ndpi[r->app];
    if (!svc)
        svc = c->svc_by_ndpi[r->master];
    if (svc) {
        const struct sig_service *s = &c->sigs->services[svc - 1];
        snprintf(out->service, sizeof out->service, "%s", s->name);
        out->cls = s->cls;
        out->method = METHOD_NDPI;
        out->confidence = confidence_of(r->conf, r->guessed);
    } else if (r->app || r->master) {
        /* Known to nDPI, not in the catalog: report nDPI's name, class other. */
        snprintf(out->service, sizeof out->service, "%s", r->app_name);
        out->method = METHOD_NDPI;
        out->confidence = confidence_of(r->conf, r->guessed);
    }
}

void classify_flow_end(struct classifier *c, struct flow *f, struct cls_result *out)
{
    struct cls_flow *cf = flow_ext(f);
    carrier_flow_end(c->carrier, &cf->carrier, f);
    if (!cf->decided) {
        ndpi_engine_giveup(c->ndpi, &cf->dpi, &cf->res);
        cf->decided = true;
        c->st.ndpi_giveup++;
    }
    map(c, cf, out);
}

void classify_flow_peek(struct classifier *c, struct flow *f, struct cls_result *out)
{
    struct cls_flow *cf = flow_ext(f);
    if (cf->decided) {
        map(c, cf, out);
        return;
    }
    memset(out, 0, sizeof *out);
    snprintf(out->ndpi_name, sizeof out->ndpi_name, "Unknown");
}

void classify_get_stats(const struct classifier *c, struct classify_stats *out)
{
    *out = c->st;
    carrier_get_stats(c->carrier, &out->carrier);
}
