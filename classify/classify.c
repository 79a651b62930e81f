/* classify.c - per-flow classification: collects the evidence (see
 * classify.h); verdict.c weighs it.
 *
 * Evidence, per flow:
 *   - the signalling driver (carrier.c) over the registry's signalling rows;
 *   - the registry's metadata rows (TLS, HTTP, DNS; registry.h) on a flow's
 *     first payload packet in each direction (DNS: every response from port
 *     53), which match.c turns into rules, together with our byte preambles;
 *   - once per flow, what the server address, the port and earlier DNS
 *     answers (dnsbind.c) say;
 *   - nDPI (ndpi.c) until it decides or its budget ends;
 *   - a call seen on the same client UDP socket (sockbind.c);
 *   - when the flow ends or is peeked at, the service its server address
 *     served to decided flows of this run (srvlearn.c).
 * A preamble, server-name or ALPN rule is decisive: nDPI is released for
 * that flow and never called again.  The verdict (verdict.h) is computed
 * when asked and kept until the evidence changes.  Activity bursts of OTT
 * messaging flows (burst.h) are reported as they end.
 */
#include "classify/classify.h"

#include <stdlib.h>
#include <string.h>

#include "capture/str.h"
#include "classify/activity.h"
#include "classify/burst.h"
#include "classify/carrier.h"
#include "classify/dns.h"
#include "classify/dnsbind.h"
#include "classify/match.h"
#include "classify/names.h"
#include "classify/ndpi.h"
#include "classify/registry.h"
#include "classify/sockbind.h"
#include "classify/srvlearn.h"
#include "signatures/sig_query.h"

/* The classifier's own counters (run_stats names in classify_get_stats). */
struct cls_counters {
    uint64_t ndpi_packets;  /* packets handed to nDPI */
    uint64_t ndpi_decided;  /* flows nDPI decided before their end */
    uint64_t ndpi_giveup;   /* flows ended or out of budget before a decision */
    uint64_t ndpi_nomem;    /* nDPI flow state allocations that failed */
    uint64_t rules_decided; /* flows our rules decided before nDPI (nDPI stopped) */
    uint64_t dns_answers;   /* A/AAAA answers bound to a client */
    uint64_t dns_learned;   /* flows labelled with a DNS-learned name */
    uint64_t ott_bursts;    /* activity bursts emitted */
    uint64_t srv_shared;    /* learnt servers refused: another company's service in a vendor range */
};

struct classifier {
    const struct sig_set *sigs;
    struct ndpi_engine *ndpi;
    struct carrier *carrier;
    struct match_set *match;
    struct dnsbind *dnsbind;
    struct sockbind *sockbind;
    struct srvlearn *srvlearn;
    struct names *names;          /* the flows' server names (names.h) */
    struct classify_events ev;
    uint64_t burst_gap_us;
    struct cls_counters st;
    struct registry_counters cnt; /* the META rows' counters */
    /* The META rows' registry indices, in registry order: all of them for a
     * direction's first payload, the every_packet ones for the others (the
     * per-packet loop then skips the signalling rows without reading them). */
    uint8_t meta_first[REGISTRY_MAX_ROWS], meta_every[REGISTRY_MAX_ROWS];
    uint8_t nmeta_first, nmeta_every;
};

/* The verdict as last computed, valid until the flow's evidence changes
 * (the call-socket evidence, which other flows change, is compared). */
struct verdict_cache {
    bool valid;
    int32_t socket, server;
    int32_t rule, alt_rule;
    uint8_t cls, method, conf, alt_method;
    const char *service; /* cls_result.service_src: a string that outlives the flow */
};

/* nDPI's verdict as a flow keeps it (ndpi_engine_result without its
 * strings: the names come from the ids, the host name from c->names). */
struct ndpi_kept {
    bool set;         /* nDPI gave its verdict (decided or gave up) */
    bool guessed, app_by_ip;
    uint8_t conf;     /* enum ndpi_engine_conf */
    uint16_t master, app;
    uint32_t host;    /* c->names id */
};

/* Per-flow state in the flow table's extension area. */
struct cls_flow {
    void *dpi;        /* nDPI adapter state while undecided */
    bool decided;     /* nDPI is done with this flow (decided, gave up or stopped) */
    bool ours;        /* a decisive rule of ours stopped nDPI */
    bool looked_up;   /* address, port and DNS-learned lookups done */
    uint8_t seen_payload; /* bit per direction: first payload packet examined */
    bool ech;
    bool name_direct;  /* name came from the flow itself (SNI, Host) */
    bool name_matched; /* ... and a name rule matched it */
    bool sock_learned; /* this flow taught sockbind its service */
    bool srv_learned;  /* this flow taught srvlearn what its server serves */
    bool dns;          /* our DNS parser read a DNS message of this flow */
    bool has_relay;    /* a TURN Allocate success gave this client a relay */
    bool stun;         /* a STUN/TURN message was parsed on this flow */
    uint8_t relay_family;
    uint16_t relay_port;
    uint8_t relay_addr[16];
    struct ndpi_kept res; /* nDPI's verdict, once it gave one */
    uint32_t name;    /* server name the flow carried (SNI, Host): c->names id */
    void *carrier;    /* carrier SMS decoder state */
    struct carrier_verdict cv;
    int32_t rule;     /* best rule of ours, -1 none */
    uint32_t learned; /* name a DNS answer bound to the server address: c->names id */
    uint8_t method;   /* enum cls_method of rule */
    uint8_t conf;
    struct burst burst;
    struct verdict_cache vc;
};

size_t classify_ext_size(void) { return sizeof(struct cls_flow); }

const char *classify_method_name(enum cls_method m) { return verdict_method_name(m); }

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
    c->burst_gap_us = CLASSIFY_DEFAULT_BURST_GAP_US;
    size_t nrows;
    const struct proto_ops *const *rows = registry_rows(&nrows);
    for (size_t i = 0; i < nrows && i < REGISTRY_MAX_ROWS; i++) {
        if (rows[i]->role != PROTO_ROLE_META)
            continue;
        c->meta_first[c->nmeta_first++] = (uint8_t)i;
        if (rows[i]->every_packet)
            c->meta_every[c->nmeta_every++] = (uint8_t)i;
    }
    if (ev)
        c->ev = *ev;
    c->ndpi = ndpi_engine_new(e);
    if (!c->ndpi || ndpi_engine_map_rules(c->ndpi, sigs, e))
        goto fail;
    c->carrier = carrier_new(ev, e);
    if (!c->carrier)
        goto fail;
    c->match = match_new(sigs, e);
    if (!c->match)
        goto fail;
    c->dnsbind = dnsbind_new(DNSBIND_DEFAULT_CAPACITY, e);
    if (!c->dnsbind)
        goto fail;
    c->sockbind = sockbind_new(SOCKBIND_DEFAULT_CAPACITY, e);
    if (!c->sockbind)
        goto fail;
    c->srvlearn = srvlearn_new(SRVLEARN_DEFAULT_CAPACITY, e);
    if (!c->srvlearn)
        goto fail;
    c->names = names_new(e);
    if (!c->names)
        goto fail;
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
    match_free(c->match);
    dnsbind_free(c->dnsbind);
    sockbind_free(c->sockbind);
    srvlearn_free(c->srvlearn);
    names_free(c->names);
    free(c);
}

void classify_set_burst_gap(struct classifier *c, uint64_t gap_us)
{
    if (gap_us)
        c->burst_gap_us = gap_us;
}

void classify_set_suci_keys(struct classifier *c, const struct suci_keys *k)
{
    carrier_set_suci_keys(c->carrier, k);
}

/* The flow's evidence changed: the verdict is computed again when asked. */
static void changed(struct cls_flow *cf) { cf->vc.valid = false; }

/* Keeps rule as the flow's best when it is more confident than the last. */
static void consider(struct cls_flow *cf, int rule, enum cls_method m, uint8_t conf)
{
    if (rule < 0 || (cf->rule >= 0 && conf <= cf->conf))
        return;
    cf->rule = rule;
    cf->method = (uint8_t)m;
    cf->conf = conf;
    changed(cf);
}

/* Once per flow: what the addresses, the port and earlier DNS answers say. */
static void first_lookups(struct classifier *c, struct flow *f, struct cls_flow *cf, uint64_t ts)
{
    uint8_t fam = f->key.family;
    const uint8_t *srv = flow_server_addr(f);
    uint16_t sport = flow_server_port(f);
    cf->looked_up = true;
    cf->rule = -1;
    changed(cf);
    if (fam == PKT_FAMILY_MTP3)
        return; /* point codes, not addresses: no DNS, CIDR or port rule applies */
    struct meta_name learned;
    if (dnsbind_lookup(c->dnsbind, fam, flow_client_addr(f), fam, srv, ts, &learned)) {
        int r = match_name(c->match, learned.s, SIG_ON_DNS);
        names_set(c->names, &cf->learned, &learned);
        if (r >= 0)
            c->st.dns_learned++;
        consider(cf, r, METHOD_DNS, CONF_DNS);
    }
    int r = match_addr(c->match, fam, srv, f->key.l4proto, sport);
    if (r >= 0)
        consider(cf, r, METHOD_CIDR, c->sigs->rules[r].nports ? CONF_CIDR_PORT : CONF_CIDR);
    consider(cf, match_port(c->match, f->key.l4proto, sport), METHOD_PORT, CONF_PORT);
}

/* The name a DNS answer binds its addresses to: the question, unless the
 * CNAME chain it followed reaches a name a rule knows and the question is
 * not one (chat.example.net CNAME e1.whatsapp.net: the address serves
 * WhatsApp's name). */
static const struct meta_name *dns_bind_name(const struct classifier *c, const struct dns_msg *m)
{
    if (match_name(c->match, m->qname.s, SIG_ON_DNS) >= 0)
        return &m->qname;
    for (unsigned i = 0; i < m->ncnames; i++)
        if (match_name(c->match, m->cnames[i].s, SIG_ON_DNS) >= 0)
            return &m->cnames[i];
    return &m->qname;
}

static void learn_dns(struct classifier *c, struct flow *f, const struct dns_msg *m, uint64_t ts)
{
    if (!m->response || m->rcode != 0 || !m->has_qname)
        return;
    const struct meta_name *name = dns_bind_name(c, m);
    for (unsigned i = 0; i < m->nanswers; i++) {
        dnsbind_add_name(c->dnsbind, f->key.family, flow_client_addr(f), m->answers[i].family,
                         m->answers[i].addr, name, m->answers[i].ttl, ts);
        c->st.dns_answers++;
    }
}

/* The server certificate's names (TLS 1.2), used when the flow carried no
 * usable SNI: the names that rules know must all name one service (a
 * certificate whose SANs span services - a shared front end - names none). */
static void apply_cert(struct classifier *c, struct cls_flow *cf, const struct tls_cert_names *cn)
{
    if (cf->name_direct && cf->name)
        return;
    int best = -1, svc = -1;
    for (unsigned i = 0; i < cn->n; i++) {
        int r = match_name(c->match, cn->names[i].s, SIG_ON_CERT);
        if (r < 0)
            continue;
        int s = c->sigs->rules[r].service;
        if (svc >= 0 && s != svc)
            return;
        svc = s;
        if (best < 0) {
            best = r;
            names_set(c->names, &cf->name, &cn->names[i]);
        }
    }
    if (best >= 0) {
        cf->name_matched = true;
        consider(cf, best, METHOD_CERT, CONF_NAME);
    }
}

/* Turns what a metadata row found into rule candidates for the flow. */
static void apply_meta(struct classifier *c, struct flow *f, struct cls_flow *cf,
                       const struct proto_meta *pm, uint64_t ts)
{
    if (pm->kind == PROTO_DNS) {
        if (!cf->dns) {
            cf->dns = true;
            changed(cf);
        }
        learn_dns(c, f, &pm->dns, ts);
        return;
    }
    if (pm->kind == PROTO_TLS_CERT) {
        apply_cert(c, cf, &pm->cert);
        return;
    }
    if (pm->kind == PROTO_STUN) {
        cf->stun = true;
        /* a REALM is the TURN server's domain (RFC 8656 section 9.2) */
        if (pm->stun.has_realm)
            consider(cf, match_name(c->match, pm->stun.realm.s, SIG_ON_STUN), METHOD_STUN,
                     CONF_NAME);
        if (pm->stun.has_relay && f->key.l4proto == L4_UDP) {
            cf->has_relay = true;
            cf->relay_family = pm->stun.relay_family;
            cf->relay_port = pm->stun.relay_port;
            memcpy(cf->relay_addr, pm->stun.relay_addr, sizeof cf->relay_addr);
        }
        return;
    }
    if (pm->kind == PROTO_TLS) {
        if (pm->ech)
            cf->ech = true;
        for (unsigned i = 0; i < pm->nalpn; i++)
            consider(cf, match_alpn(c->match, pm->alpn[i]), METHOD_ALPN, CONF_ALPN);
    }
    if (!pm->has_name)
        return;
    bool tls = pm->kind == PROTO_TLS;
    int r = match_name(c->match, pm->name.s, tls ? SIG_ON_SNI : SIG_ON_HOST);
    names_set(c->names, &cf->name, &pm->name);
    /* With ECH the clear SNI is the outer "public name" of the client-facing
     * server, not the destination: it neither names nor contradicts. */
    cf->name_direct = !(tls && pm->ech);
    cf->name_matched = r >= 0;
    changed(cf);
    consider(cf, r, tls ? METHOD_SNI : METHOD_HOST, CONF_NAME);
}

struct meta_ctx {
    struct classifier *c;
    struct flow *f;
    struct cls_flow *cf;
    uint64_t ts;
};

static void on_meta(void *user, const struct proto_meta *m)
{
    struct meta_ctx *x = user;
    apply_meta(x->c, x->f, x->cf, m, x->ts);
}

/* Runs the registry's META rows that apply to this packet (proto.h): the
 * first row whose probe matches and whose parse accepts the packet wins. */
static void run_parsers(struct classifier *c, struct flow *f, struct cls_flow *cf, enum dir d,
                        const struct pkt_view *v, bool first)
{
    size_t n;
    const struct proto_ops *const *rows = registry_rows(&n);
    uint8_t t = proto_transport(f->key.l4proto);
    struct proto_probe pp = {.transport = t, .dir = d, .sport = v->sport, .dport = v->dport,
                             .bytes = v->payload};
    struct meta_ctx x = {c, f, cf, v->ts_us};
    const uint8_t *idx = first ? c->meta_first : c->meta_every;
    size_t nidx = first ? c->nmeta_first : c->nmeta_every;
    for (size_t k = 0; k < nidx; k++) {
        size_t i = idx[k];
        const struct proto_ops *o = rows[i];
        if (!(o->transports & t) || !(o->dirs & (1u << d)))
            continue;
        if (o->server_port && o->server_port != flow_server_port(f))
            continue;
        if (o->probe(&pp) != PROTO_MATCH)
            continue;
        struct proto_emit em = {.meta = on_meta, .ctx = &x, .counters = c->cnt.v[i]};
        struct cursor cur = cur_init(v->payload.p, v->payload.n);
        if (o->parse(NULL, d, &cur, v->ts_us, &em) == PARSE_INVALID) {
            em.counters[PROTO_CNT_INVALID]++;
            continue;
        }
        return; /* one protocol per packet */
    }
}

/* The engine's view of a kept verdict (host left empty: the engine's
 * queries read the ids and flags only). */
static const struct ndpi_engine_result *ndpi_view(const struct cls_flow *cf,
                                                  struct ndpi_engine_result *v)
{
    v->master = cf->res.master;
    v->app = cf->res.app;
    v->conf = (enum ndpi_engine_conf)cf->res.conf;
    v->guessed = cf->res.guessed;
    v->app_by_ip = cf->res.app_by_ip;
    v->host.s[0] = '\0';
    v->host.cut = false;
    return v;
}

/* Keeps nDPI's verdict r in the flow. */
static void ndpi_keep(struct classifier *c, struct cls_flow *cf, const struct ndpi_engine_result *r)
{
    cf->res.set = true;
    cf->res.master = r->master;
    cf->res.app = r->app;
    cf->res.conf = (uint8_t)r->conf;
    cf->res.guessed = r->guessed;
    cf->res.app_by_ip = r->app_by_ip;
    names_set(c->names, &cf->res.host, &r->host);
}

/* nDPI's candidate: a catalog service, or the server name nDPI saw (QUIC
 * SNI, certificate names) run through our name rules. */
static void ndpi_evidence(const struct classifier *c, const struct cls_flow *cf,
                          struct verdict_evidence *ev)
{
    struct ndpi_engine_result view;
    const struct ndpi_engine_result *r = ndpi_view(cf, &view);
    const char *host = names_str(c->names, cf->res.host);
    ev->ndpi_dns = ndpi_engine_is_dns(c->ndpi, r);
    /* an application nDPI took from its IP lists is a guess (ndpi.h) */
    ev->ndpi_conf = verdict_ndpi_conf(r->conf, r->guessed || r->app_by_ip);
    ev->ndpi = ndpi_engine_service(c->ndpi, r);
    ev->ndpi_rule = ndpi_engine_rule(c->ndpi, r);
    ev->ndpi_method = METHOD_NDPI;
    ev->ndpi_candidate_conf = ev->ndpi_conf;
    if (host[0] && (ev->ndpi < 0 || ev->ndpi_conf < CONF_NAME)) {
        int nr = match_name(c->match, host, SIG_ON_SNI | SIG_ON_HOST | SIG_ON_CERT);
        if (nr >= 0) {
            ev->ndpi = c->sigs->rules[nr].service;
            ev->ndpi_rule = nr;
            ev->ndpi_method = METHOD_SNI;
            ev->ndpi_candidate_conf = CONF_NAME;
        }
    }
    ev->ndpi_names_app = ndpi_engine_names_app(c->ndpi, r);
    ev->ndpi_known = r->app || r->master;
    ev->ndpi_app_name = cf->res.set ? ndpi_engine_app_name(c->ndpi, r->master, r->app) : "";
}

/* Another flow of the same client UDP socket was identified as a call. */
static int socket_evidence(const struct classifier *c, const struct flow *f,
                           const struct cls_flow *cf)
{
    if (f->key.l4proto != L4_UDP || cf->sock_learned)
        return -1;
    return sockbind_find(c->sockbind, f->key.family, flow_client_addr(f), flow_client_port(f),
                         f->first_us);
}

/* What the server address served to decided flows of this run (srvlearn.h),
 * for a flow that did not teach it: -1 none. */
static int server_evidence(const struct classifier *c, const struct flow *f,
                           const struct cls_flow *cf)
{
    if (cf->srv_learned || (f->key.l4proto != L4_TCP && f->key.l4proto != L4_UDP))
        return -1;
    return srvlearn_find(c->srvlearn, f->key.family, flow_server_addr(f), f->key.l4proto,
                         flow_server_port(f), f->last_us);
}

/* The flow's verdict into out (service, class, method, confidence and the
 * server name behind it), computed again only when the evidence changed. */
static void verdict(const struct classifier *c, const struct flow *f, struct cls_flow *cf,
                    struct cls_result *out)
{
    int socket = socket_evidence(c, f, cf);
    int server = server_evidence(c, f, cf);
    struct verdict_cache *vc = &cf->vc;
    if (!vc->valid || vc->socket != socket || vc->server != server) {
        struct verdict_evidence ev = {
            .dns = cf->dns,
            .ours_rule = cf->rule,
            .decoder = cf->cv.state == CARRIER_MATCHED,
            .decoder_proto = cf->cv.protocol,
            .decoder_class = cf->cv.cls,
            .decoder_conf = cf->cv.confidence,
            .ours = cf->looked_up && cf->rule >= 0 ? c->sigs->rules[cf->rule].service : -1,
            .ours_method = (enum cls_method)cf->method,
            .ours_conf = cf->conf,
            .ours_decisive = cf->ours,
            .name_contradicts = cf->name_direct && !cf->name_matched,
            .socket = socket,
            .server = server,
        };
        ndpi_evidence(c, cf, &ev);
        struct cls_result r;
        verdict_decide(&ev, c->sigs, &r);
        vc->valid = true;
        vc->socket = socket;
        vc->server = server;
        vc->rule = r.rule;
        vc->service = r.service_src ? r.service_src : "";
        vc->cls = (uint8_t)r.cls;
        vc->method = (uint8_t)r.method;
        vc->conf = r.confidence;
        vc->alt_rule = r.alt_rule;
        vc->alt_method = (uint8_t)r.alt_method;
    }
    str_copy(out->service, sizeof out->service, vc->service);
    out->cls = (enum sig_class)vc->cls;
    out->method = (enum cls_method)vc->method;
    out->confidence = vc->conf;
    out->rule = vc->rule;
    out->alt_rule = vc->alt_rule;
    out->alt_method = (enum cls_method)vc->alt_method;
}

static void map(const struct classifier *c, const struct flow *f, struct cls_flow *cf,
                struct cls_result *out)
{
    memset(out, 0, sizeof *out);
    const struct ndpi_kept *r = &cf->res;
    if (r->set)
        ndpi_engine_name(c->ndpi, r->master, r->app, out->ndpi_name, sizeof out->ndpi_name);
    else
        str_copy(out->ndpi_name, sizeof out->ndpi_name, cf->ours ? "not-run" : "Unknown");
    names_get(c->names, cf->name ? cf->name : r->host ? r->host : cf->learned, &out->server_name);
    verdict(c, f, cf, out);
    sig_rule_id(c->sigs, out->rule, out->rule_id);
    if (out->alt_rule >= 0)
        sig_rule_id(c->sigs, out->alt_rule, out->alt_id);
    else if (out->alt_method != METHOD_NONE)
        snprintf(out->alt_id, sizeof out->alt_id, "(%s)", verdict_method_name(out->alt_method));
    if (out->method == METHOD_DNS)
        names_get(c->names, cf->learned, &out->server_name); /* the name that matched */
    out->activity = (uint8_t)activity_decide(out, cf->stun);
}

/* Reports the flow's finished burst when the flow is OTT messaging. */
static void burst_flush(struct classifier *c, struct flow *f, struct cls_flow *cf)
{
    struct ott_event ev;
    if (c->ev.ott && burst_event(&cf->burst, f->id, &ev)) {
        struct cls_result r; /* the verdict alone: no names or rule ids needed here */
        verdict(c, f, cf, &r);
        if (r.cls == SIG_CLASS_OTT_MESSAGING) {
            c->ev.ott(&ev, c->ev.user);
            c->st.ott_bursts++;
        }
    }
    burst_reset(&cf->burst);
}

static void burst_packet(struct classifier *c, struct flow *f, struct cls_flow *cf, enum dir d,
                         const struct pkt_view *v)
{
    if (!burst_add(&cf->burst, c->burst_gap_us, d, v->ts_us, v->payload_len, v->wirelen))
        return;
    burst_flush(c, f, cf);
    burst_add(&cf->burst, c->burst_gap_us, d, v->ts_us, v->payload_len, v->wirelen);
}

/* A UDP flow identified by payload evidence as a messaging service teaches
 * the client socket's other flows (sockbind.h). */
static void learn_socket(struct classifier *c, struct flow *f, struct cls_flow *cf, uint64_t ts)
{
    if (f->key.l4proto != L4_UDP || cf->sock_learned)
        return;
    struct cls_result r;
    verdict(c, f, cf, &r);
    if (r.cls != SIG_CLASS_OTT_MESSAGING || r.confidence < CONF_NAME)
        return;
    int svc = sig_find_service(c->sigs, r.service);
    if (svc < 0)
        return;
    cf->sock_learned = true;
    changed(cf);
    sockbind_learn(c->sockbind, f->key.family, flow_client_addr(f), flow_client_port(f), svc, ts);
}

/* A flow decided by payload evidence (a name, a preamble, nDPI's
 * inspection: confidence >= CONF_NAME) teaches srvlearn that its server
 * serves the service; a flow that shows the server serving anything else (a
 * name no rule knows, an application outside the catalog) marks the server
 * shared.  Once per flow. */
static void learn_server(struct classifier *c, struct flow *f, struct cls_flow *cf, uint64_t ts)
{
    if (cf->srv_learned || (f->key.l4proto != L4_TCP && f->key.l4proto != L4_UDP))
        return;
    struct cls_result r;
    verdict(c, f, cf, &r);
    struct ndpi_engine_result view;
    int svc = -1;
    if (r.cls == SIG_CLASS_OTT_MESSAGING && r.confidence >= CONF_NAME &&
        r.method != METHOD_SERVER && r.method != METHOD_SOCKET)
        svc = sig_find_service(c->sigs, r.service);
    else if ((cf->name_direct && !cf->name_matched) ||
             (cf->decided && ndpi_engine_names_app(c->ndpi, ndpi_view(cf, &view)) &&
              ndpi_engine_service(c->ndpi, &view) < 0))
        svc = SRVLEARN_OTHER;
    if (svc == -1)
        return;
    /* A front end in a vendor's generic range serves the vendor's own
     * services; another company's service there (Snapchat on Google's
     * front ends) shares it with everyone else: not learnt. */
    int vr = match_addr(c->match, f->key.family, flow_server_addr(f), f->key.l4proto,
                        flow_server_port(f));
    if (svc >= 0 && vr >= 0 && c->sigs->rules[vr].scope == SIG_SCOPE_VENDOR &&
        strcmp(c->sigs->services[svc].vendor,
               c->sigs->services[c->sigs->rules[vr].service].name) != 0) {
        c->st.srv_shared++;
        svc = SRVLEARN_OTHER;
    }
    cf->srv_learned = true;
    changed(cf);
    srvlearn_learn(c->srvlearn, f->key.family, flow_server_addr(f), f->key.l4proto,
                   flow_server_port(f), svc, ts);
    /* the relay a TURN allocation of this call handed out carries its media
     * (RFC 8656 section 2.1): peers' flows to it are the same service */
    if (svc >= 0 && cf->has_relay)
        srvlearn_learn(c->srvlearn, cf->relay_family, cf->relay_addr, L4_UDP, cf->relay_port,
                       svc, ts);
}

/* nDPI stops for this flow (our evidence decided). */
static void stop_ndpi(struct cls_flow *cf)
{
    ndpi_engine_release(&cf->dpi);
    cf->decided = true;
    changed(cf);
}

void classify_packet(struct classifier *c, struct flow *f, enum dir d, const struct pkt_view *v)
{
    struct cls_flow *cf = flow_ext(f);
    /* Carrier signalling decoders see every packet of a flow until they
     * exclude it: a matched flow is decoded to its end. */
    if (cf->cv.state != CARRIER_EXCLUDED) {
        enum carrier_state was = cf->cv.state;
        enum sig_class was_cls = cf->cv.cls; /* signalling becomes SMS on the first SMS */
        carrier_packet(c->carrier, &cf->carrier, f, d, v, &cf->cv);
        if (cf->cv.state != was || cf->cv.cls != was_cls)
            changed(cf);
    }
    if (cf->cv.state == CARRIER_MATCHED && !cf->decided)
        stop_ndpi(cf); /* our decoder decided */
    if (!cf->looked_up)
        first_lookups(c, f, cf, v->ts_us);
    bool first = v->payload.n && !(cf->seen_payload & (1u << d));
    if (v->payload.n && !cf->ours)
        run_parsers(c, f, cf, d, v, first);
    if (first) {
        cf->seen_payload |= (uint8_t)(1u << d);
        if (!cf->ours)
            consider(cf, match_preamble(c->match, f->key.l4proto, flow_server_port(f), (int)d,
                                        v->payload.p, v->payload.n),
                     METHOD_PREAMBLE, CONF_PREAMBLE);
        if (!cf->ours && cf->rule >= 0 && verdict_method_decisive((enum cls_method)cf->method)) {
            cf->ours = true;
            changed(cf);
            if (!cf->decided) {
                stop_ndpi(cf); /* our rules decided */
                c->st.rules_decided++;
            }
            learn_socket(c, f, cf, v->ts_us);
            learn_server(c, f, cf, v->ts_us);
        }
    }
    burst_packet(c, f, cf, d, v);
    if (cf->decided || v->l3.n == 0)
        return;
    c->st.ndpi_packets++;
    bool had_state = cf->dpi != NULL;
    struct ndpi_engine_result res;
    if (ndpi_engine_packet(c->ndpi, &cf->dpi, v->l3.p, v->l3.n, v->ts_us, &res)) {
        ndpi_keep(c, cf, &res);
        cf->decided = true;
        changed(cf);
        c->st.ndpi_decided++;
        learn_socket(c, f, cf, v->ts_us);
        learn_server(c, f, cf, v->ts_us);
    } else if (!had_state && !cf->dpi) {
        c->st.ndpi_nomem++;
    }
}

void classify_flow_end(struct classifier *c, struct flow *f, struct cls_result *out)
{
    struct cls_flow *cf = flow_ext(f);
    carrier_flow_end(c->carrier, &cf->carrier, f);
    if (!cf->decided) {
        struct ndpi_engine_result res;
        ndpi_engine_giveup(c->ndpi, &cf->dpi, &res);
        ndpi_keep(c, cf, &res);
        cf->decided = true;
        changed(cf);
        c->st.ndpi_giveup++;
    }
    learn_socket(c, f, cf, f->last_us);
    learn_server(c, f, cf, f->last_us);
    burst_flush(c, f, cf);
    map(c, f, cf, out);
    names_drop(c->names, &cf->name);
    names_drop(c->names, &cf->learned);
    names_drop(c->names, &cf->res.host);
}

void classify_flow_peek(struct classifier *c, struct flow *f, struct cls_result *out)
{
    struct cls_flow *cf = flow_ext(f);
    if (cf->decided) {
        map(c, f, cf, out);
        return;
    }
    memset(out, 0, sizeof *out);
    str_copy(out->ndpi_name, sizeof out->ndpi_name, "Unknown");
}

void classify_stats_put(struct classify_stats *s, const char *name, uint64_t v)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->name[i], name) == 0) {
            s->v[i] += v;
            return;
        }
    if (s->n == CLASSIFY_MAX_STATS)
        return;
    s->name[s->n] = name;
    s->v[s->n++] = v;
}

static void put(void *user, const char *name, uint64_t v) { classify_stats_put(user, name, v); }

void classify_get_stats(const struct classifier *c, struct classify_stats *out)
{
    struct dnsbind_stats ds;
    dnsbind_get_stats(c->dnsbind, &ds);
    struct srvlearn_stats ss;
    srvlearn_get_stats(c->srvlearn, &ss);
    struct names_stats ns;
    names_get_stats(c->names, &ns);
    const struct {
        const char *name;
        uint64_t v;
    } own[] = {
        {"ndpi_packets", c->st.ndpi_packets},
        {"ndpi_decided", c->st.ndpi_decided},
        {"ndpi_giveup", c->st.ndpi_giveup},
        {"ndpi_nomem", c->st.ndpi_nomem},
        {"rules_decided", c->st.rules_decided},
        {"dns_answers_bound", c->st.dns_answers},
        {"dns_learned_flows", c->st.dns_learned},
        {"dnsbind_evicted", ds.evicted},
        {"dnsbind_expired", ds.expired},
        {"ott_bursts", c->st.ott_bursts},
        {"names_peak", ns.peak},
        {"names_nomem", ns.nomem},
        {"srvlearn_learned", ss.learned},
        {"srvlearn_conflicts", ss.conflicts},
        {"srvlearn_replaced", ss.replaced},
        {"learnt_server_flows", ss.hits},
        {"srvlearn_shared_front_end", c->st.srv_shared},
    };
    out->n = 0;
    for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
        classify_stats_put(out, own[i].name, own[i].v);
    carrier_export(c->carrier, put, out);
    registry_export(&c->cnt, put, out);
}

void classify_stats_add(struct classify_stats *a, const struct classify_stats *b)
{
    for (size_t i = 0; i < b->n; i++)
        classify_stats_put(a, b->name[i], b->v[i]);
}
