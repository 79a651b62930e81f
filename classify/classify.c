/* classify.c - per-flow classification driver (see classify.h).
 *
 * Order of evidence (signatures/README.md "Precedence and confidence"):
 *   carrier SMS decoders  >  our byte preambles  >  nDPI payload inspection
 *   >  server name (SNI, QUIC SNI, Host)  >  ALPN  >  DNS-learned name
 *   >  server address (CIDR)  >  server port.
 * Our metadata parsers (tls.c, http.c, dns.c, registered in registry.c) look
 * at a flow's first payload packet in each direction (DNS: every response
 * from port 53); match.c turns what they
 * found into rules.  A preamble, server-name or ALPN rule is decisive: nDPI is
 * released for that flow and never called again.  DNS-learned names, CIDRs
 * and ports are weaker: nDPI keeps running and a specific nDPI answer beats
 * them.  A port alone never yields ott-messaging: it is reported with class
 * other and confidence CONF_PORT.
 */
#include "classify/classify.h"

#include <stdlib.h>
#include <string.h>

#include "capture/str.h"
#include "classify/carrier.h"
#include "classify/dns.h"
#include "classify/dnsbind.h"
#include "classify/match.h"
#include "classify/ndpi.h"
#include "classify/registry.h"
#include "classify/sockbind.h"

/* nDPI 4.2 protocol ids fit in 16 bits; map id -> service index + 1 (0 = none). */
#define CLASSIFY_MAX_NDPI_ID 65536

struct classifier {
    const struct sig_set *sigs;
    int dns_id;
    struct ndpi_engine *ndpi;
    struct carrier *carrier;
    struct match_set *match;
    struct dnsbind *dnsbind;
    struct sockbind *sockbind;
    uint16_t *svc_by_ndpi; /* [CLASSIFY_MAX_NDPI_ID] */
    uint8_t *ndpi_transport; /* [CLASSIFY_MAX_NDPI_ID]: 1 = carries applications (TLS, STUN) */
    struct classify_events ev;
    uint64_t burst_gap_us;
    struct classify_stats st;
};

/* nDPI protocols that carry other applications: an application nDPI names on
 * top of them ("STUN.AmazonAWS") comes from the server's address owner, not
 * from the payload, so it is no stronger than our own address rules. */
static const char *const transport_protos[] = {
    "TLS", "QUIC", "HTTP", "STUN", "RTP", "RTCP", "SRTP", "DTLS", "HTTP_Proxy", "HTTP_Connect",
};

struct burst {
    uint64_t start_us, last_us, packets, bytes;
    uint8_t dirs; /* bit per direction */
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
    struct ndpi_engine_result res;
    void *carrier;    /* carrier SMS decoder state */
    struct carrier_verdict cv;
    int32_t rule;     /* best rule of ours, -1 none */
    uint8_t method;   /* enum cls_method of rule */
    uint8_t conf;
    struct meta_name name;    /* server name the flow carried (SNI, Host) */
    struct meta_name learned; /* name a DNS answer bound to the server address */
    struct burst burst;
};

size_t classify_ext_size(void) { return sizeof(struct cls_flow); }

const char *classify_method_name(enum cls_method m)
{
    switch (m) {
    case METHOD_NDPI: return "ndpi";
    case METHOD_DECODER: return "decoder";
    case METHOD_PREAMBLE: return "preamble";
    case METHOD_SNI: return "sni";
    case METHOD_HOST: return "host";
    case METHOD_ALPN: return "alpn";
    case METHOD_DNS: return "dns-learned";
    case METHOD_CIDR: return "cidr";
    case METHOD_PORT: return "port";
    case METHOD_SOCKET: return "call-socket";
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
    c->burst_gap_us = CLASSIFY_DEFAULT_BURST_GAP_US;
    if (ev)
        c->ev = *ev;
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
    c->match = match_new(sigs, e);
    if (!c->match)
        goto fail;
    c->dnsbind = dnsbind_new(DNSBIND_DEFAULT_CAPACITY, e);
    if (!c->dnsbind)
        goto fail;
    c->sockbind = sockbind_new(SOCKBIND_DEFAULT_CAPACITY, e);
    if (!c->sockbind)
        goto fail;
    c->ndpi_transport = calloc(CLASSIFY_MAX_NDPI_ID, 1);
    if (!c->ndpi_transport) {
        err_set(e, RC_NOMEM, "out of memory for the classifier");
        goto fail;
    }
    for (size_t i = 0; i < sizeof transport_protos / sizeof transport_protos[0]; i++) {
        int id = ndpi_engine_proto_id(c->ndpi, transport_protos[i]);
        if (id > 0 && id < CLASSIFY_MAX_NDPI_ID)
            c->ndpi_transport[id] = 1;
    }
    for (size_t i = 0; i < sigs->nrules; i++) {
        const struct sig_rule *r = &sigs->rules[i];
        if (r->kind != SIG_RULE_NDPI)
            continue;
        int id = ndpi_engine_proto_id(c->ndpi, r->text);
        if (id < 0 || id >= CLASSIFY_MAX_NDPI_ID) {
            err_set(e, RC_CONFIG, "%s:%u:%u: nDPI 4.2 has no protocol named '%s'",
                    r->where.file, r->where.line, r->where.col, r->text);
            goto fail;
        }
        if (c->svc_by_ndpi[id] && c->svc_by_ndpi[id] != r->service + 1) {
            err_set(e, RC_CONFIG, "%s:%u:%u: nDPI protocol '%s' is already mapped to '%s'",
                    r->where.file, r->where.line, r->where.col, r->text,
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
    match_free(c->match);
    dnsbind_free(c->dnsbind);
    sockbind_free(c->sockbind);
    free(c->svc_by_ndpi);
    free(c->ndpi_transport);
    free(c);
}

void classify_set_burst_gap(struct classifier *c, uint64_t gap_us)
{
    if (gap_us)
        c->burst_gap_us = gap_us;
}

/* Keeps rule as the flow's best when it is more confident than the last. */
static void consider(struct cls_flow *cf, int rule, enum cls_method m, uint8_t conf)
{
    if (rule < 0 || (cf->rule >= 0 && conf <= cf->conf))
        return;
    cf->rule = rule;
    cf->method = (uint8_t)m;
    cf->conf = conf;
}

static bool decisive(enum cls_method m)
{
    return m == METHOD_PREAMBLE || m == METHOD_SNI || m == METHOD_HOST || m == METHOD_ALPN;
}

/* Once per flow: what the addresses, the port and earlier DNS answers say. */
static void first_lookups(struct classifier *c, struct flow *f, struct cls_flow *cf, uint64_t ts)
{
    uint8_t fam = f->key.family;
    const uint8_t *srv = flow_server_addr(f);
    uint16_t sport = flow_server_port(f);
    cf->looked_up = true;
    cf->rule = -1;
    struct meta_name learned;
    if (dnsbind_lookup(c->dnsbind, fam, flow_client_addr(f), fam, srv, ts, &learned)) {
        int r = match_name(c->match, learned.s, SIG_ON_DNS);
        cf->learned = learned;
        if (r >= 0)
            c->st.dns_learned++;
        consider(cf, r, METHOD_DNS, CONF_DNS);
    }
    int r = match_addr(c->match, fam, srv, f->key.l4proto, sport);
    if (r >= 0)
        consider(cf, r, METHOD_CIDR, c->sigs->rules[r].nports ? CONF_CIDR_PORT : CONF_CIDR);
    consider(cf, match_port(c->match, f->key.l4proto, sport), METHOD_PORT, CONF_PORT);
}

static void learn_dns(struct classifier *c, struct flow *f, const struct dns_msg *m, uint64_t ts)
{
    if (!m->response || m->rcode != 0 || !m->has_qname)
        return;
    for (unsigned i = 0; i < m->nanswers; i++) {
        dnsbind_add_name(c->dnsbind, f->key.family, flow_client_addr(f), m->answers[i].family,
                         m->answers[i].addr, &m->qname, m->answers[i].ttl, ts);
        c->st.dns_answers++;
    }
}

/* Turns what a parser found into rule candidates for the flow. */
static void apply_meta(struct classifier *c, struct flow *f, struct cls_flow *cf,
                       const struct proto_meta *pm, uint64_t ts)
{
    if (pm->kind == PROTO_DNS) {
        learn_dns(c, f, &pm->dns, ts);
        return;
    }
    if (pm->kind == PROTO_TLS) {
        c->st.tls_hellos++;
        if (pm->ech) {
            cf->ech = true;
            c->st.tls_ech++;
        }
        for (unsigned i = 0; i < pm->nalpn; i++)
            consider(cf, match_alpn(c->match, pm->alpn[i]), METHOD_ALPN, CONF_ALPN);
    } else {
        c->st.http_requests++;
    }
    if (!pm->has_name)
        return;
    bool tls = pm->kind == PROTO_TLS;
    int r = match_name(c->match, pm->name.s, tls ? SIG_ON_SNI : SIG_ON_HOST);
    cf->name = pm->name;
    /* With ECH the clear SNI is the outer "public name" of the client-facing
     * server, not the destination: it neither names nor contradicts. */
    cf->name_direct = !(tls && pm->ech);
    cf->name_matched = r >= 0;
    consider(cf, r, tls ? METHOD_SNI : METHOD_HOST, CONF_NAME);
}

/* Runs the registered parsers that apply to this packet (registry.h). */
static void run_parsers(struct classifier *c, struct flow *f, struct cls_flow *cf, enum dir d,
                        const struct pkt_view *v, bool first)
{
    size_t np;
    const struct proto_ops *ops = registry_parsers(&np);
    for (size_t i = 0; i < np; i++) {
        const struct proto_ops *o = &ops[i];
        if (o->l4proto != f->key.l4proto || !(o->dirs & (1u << d)) || (!first && !o->every_packet))
            continue;
        if (o->server_port && o->server_port != flow_server_port(f))
            continue;
        struct proto_meta pm;
        enum proto_outcome out = o->parse(v->payload.p, v->payload.n, &pm);
        if (out == PROTO_EXCLUDE) {
            if (o->every_packet)
                c->st.dns_invalid++;
            continue;
        }
        apply_meta(c, f, cf, &pm, v->ts_us);
        return; /* one protocol per packet */
    }
}

static void map(const struct classifier *c, const struct flow *f, const struct cls_flow *cf,
                struct cls_result *out);

static void burst_emit(struct classifier *c, struct flow *f, struct cls_flow *cf)
{
    struct burst *b = &cf->burst;
    if (!b->packets || !c->ev.ott)
        return;
    struct cls_result r;
    map(c, f, cf, &r);
    if (r.cls == SIG_CLASS_OTT_MESSAGING) {
        struct ott_event ev = {.flow_id = f->id, .ts_us = b->start_us, .end_ts_us = b->last_us,
                               .packets = b->packets, .bytes = b->bytes};
        str_copy(ev.direction, sizeof ev.direction,
                 b->dirs == 3 ? "both" : b->dirs == 1 ? "c2s" : "s2c");
        c->ev.ott(&ev, c->ev.user);
        c->st.ott_bursts++;
    }
    memset(b, 0, sizeof *b);
}

/* Bursts count payload-carrying packets only: bare ACKs and keep-alives of
 * an idle connection are not activity. */
static void burst_packet(struct classifier *c, struct flow *f, struct cls_flow *cf, enum dir d,
                         const struct pkt_view *v)
{
    struct burst *b = &cf->burst;
    if (v->payload_len == 0)
        return;
    if (b->packets && v->ts_us > b->last_us && v->ts_us - b->last_us > c->burst_gap_us)
        burst_emit(c, f, cf);
    if (!b->packets)
        b->start_us = v->ts_us;
    b->last_us = v->ts_us > b->last_us ? v->ts_us : b->last_us;
    b->packets++;
    b->bytes += v->wirelen;
    b->dirs |= (uint8_t)(1u << d);
}

/* A UDP flow identified by payload evidence as a messaging service teaches
 * the client socket's other flows (sockbind.h). */
static void learn_socket(struct classifier *c, struct flow *f, struct cls_flow *cf, uint64_t ts)
{
    if (f->key.l4proto != L4_UDP || cf->sock_learned)
        return;
    struct cls_result r;
    map(c, f, cf, &r);
    if (r.cls != SIG_CLASS_OTT_MESSAGING || r.confidence < CONF_NAME)
        return;
    int svc = sig_find_service(c->sigs, r.service);
    if (svc < 0)
        return;
    cf->sock_learned = true;
    sockbind_learn(c->sockbind, f->key.family, flow_client_addr(f), flow_client_port(f), svc, ts);
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
        if (!cf->ours && cf->rule >= 0 && decisive((enum cls_method)cf->method)) {
            cf->ours = true;
            if (!cf->decided) {
                ndpi_engine_release(&cf->dpi); /* our rules decided: nDPI stops */
                cf->decided = true;
                c->st.rules_decided++;
            }
            learn_socket(c, f, cf, v->ts_us);
        }
    }
    burst_packet(c, f, cf, d, v);
    if (cf->decided || v->l3.n == 0)
        return;
    c->st.ndpi_packets++;
    bool had_state = cf->dpi != NULL;
    if (ndpi_engine_packet(c->ndpi, &cf->dpi, v->l3.p, v->l3.n, v->ts_us, &cf->res)) {
        cf->decided = true;
        c->st.ndpi_decided++;
        learn_socket(c, f, cf, v->ts_us);
    } else if (!had_state && !cf->dpi) {
        c->st.ndpi_nomem++;
    }
}

static uint8_t confidence_of(enum ndpi_engine_conf conf, bool guessed)
{
    if (guessed)
        return CONF_NDPI_GUESS;
    switch (conf) {
    case NDPI_CONF_DPI: return CONF_NDPI_DPI;
    case NDPI_CONF_CACHE: return CONF_NDPI_CACHE;
    case NDPI_CONF_IP: return CONF_NDPI_IP;
    case NDPI_CONF_PORT: return CONF_NDPI_PORT;
    case NDPI_CONF_NONE: break;
    }
    return 0;
}

static void set_service(const struct classifier *c, const struct cls_flow *cf, int svc,
                        enum cls_method m, uint8_t conf, struct cls_result *out)
{
    if (m == METHOD_DNS)
        out->server_name = cf->learned; /* the name that matched */
    const struct sig_service *s = &c->sigs->services[svc];
    str_copy(out->service, sizeof out->service, s->name);
    out->cls = s->cls;
    out->method = m;
    out->confidence = conf;
    /* A port is a tie-breaker, never evidence of a messaging (or SMS)
     * session, and neither is any verdict below CONF_CLASS_MIN (an nDPI
     * give-up guess): the service stays as a hint, the class is other. */
    if (m == METHOD_PORT || conf < CONF_CLASS_MIN)
        out->cls = SIG_CLASS_OTHER;
}

static void map(const struct classifier *c, const struct flow *f, const struct cls_flow *cf,
                struct cls_result *out)
{
    memset(out, 0, sizeof *out);
    const struct ndpi_engine_result *r = &cf->res;
    str_copy(out->ndpi_name, sizeof out->ndpi_name,
             cf->ours && !r->name[0] ? "not-run" : r->name[0] ? r->name : "Unknown");
    out->server_name = cf->name.s[0] ? cf->name : r->host.s[0] ? r->host : cf->learned;
    out->cls = SIG_CLASS_OTHER;
    if (cf->cv.state == CARRIER_MATCHED) {
        str_copy(out->service, sizeof out->service, cf->cv.protocol);
        out->cls = SIG_CLASS_CARRIER_SMS;
        out->method = METHOD_DECODER;
        out->confidence = cf->cv.confidence;
        return;
    }
    bool have_ours = cf->looked_up && cf->rule >= 0;
    /* A server name the flow itself carried and no rule knows contradicts
     * weaker guesses from the address, the port or an earlier DNS answer. */
    if (have_ours && cf->name_direct && !cf->name_matched && !decisive((enum cls_method)cf->method))
        have_ours = false;
    if (cf->ours && have_ours) {
        set_service(c, cf, c->sigs->rules[cf->rule].service, (enum cls_method)cf->method,
                    cf->conf, out);
        return;
    }
    /* A DNS lookup of a messaging host is DNS traffic, not a messaging
     * session: nDPI's DNS.Signal keeps service DNS (the name is kept). */
    if (r->master == (uint16_t)c->dns_id && c->dns_id > 0) {
        str_copy(out->service, sizeof out->service, "DNS");
        out->method = METHOD_NDPI;
        out->confidence = confidence_of(r->conf, r->guessed);
        return;
    }
    /* nDPI's candidate: a catalog service, or the server name nDPI saw
     * (QUIC SNI, certificate names) run through our name rules. */
    int nsvc = -1;
    enum cls_method nm = METHOD_NDPI;
    uint8_t nconf = confidence_of(r->conf, r->guessed);
    uint16_t svc = c->svc_by_ndpi[r->app];
    if (!svc)
        svc = c->svc_by_ndpi[r->master];
    if (svc)
        nsvc = svc - 1;
    if (r->host.s[0] && (!svc || nconf < CONF_NAME)) {
        int nr = match_name(c->match, r->host.s, SIG_ON_SNI | SIG_ON_HOST | SIG_ON_CERT);
        if (nr >= 0) {
            nsvc = c->sigs->rules[nr].service;
            nm = METHOD_SNI;
            nconf = CONF_NAME;
        }
    }
    /* An nDPI answer naming an application we do not catalogue (TLS.Google)
     * is specific evidence too: it outranks our weaker rules. */
    bool ndpi_specific = nsvc < 0 && r->app && r->app != r->master && !r->guessed &&
                         r->conf >= NDPI_CONF_CACHE && !c->ndpi_transport[r->app] &&
                         !c->ndpi_transport[r->master];
    /* Another flow of the same client UDP socket was identified as a call. */
    if (nsvc < 0 && !ndpi_specific && f->key.l4proto == L4_UDP && !cf->sock_learned &&
        (!have_ours || cf->conf < CONF_SOCKET)) {
        int ssvc = sockbind_find(c->sockbind, f->key.family, flow_client_addr(f),
                                 flow_client_port(f), f->first_us);
        if (ssvc >= 0) {
            set_service(c, cf, ssvc, METHOD_SOCKET, CONF_SOCKET, out);
            return;
        }
    }
    if (have_ours && (nsvc < 0 || cf->conf > nconf) &&
        !(ndpi_specific && cf->conf < CONF_NDPI_DPI)) {
        set_service(c, cf, c->sigs->rules[cf->rule].service, (enum cls_method)cf->method,
                    cf->conf, out);
        return;
    }
    if (nsvc >= 0) {
        set_service(c, cf, nsvc, nm, nconf, out);
    } else if (r->app || r->master) {
        /* Known to nDPI, not in the catalog: report nDPI's name, class other. */
        str_copy(out->service, sizeof out->service, r->app_name);
        out->method = METHOD_NDPI;
        out->confidence = nconf;
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
    learn_socket(c, f, cf, f->last_us);
    burst_emit(c, f, cf);
    map(c, f, cf, out);
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

void classify_get_stats(const struct classifier *c, struct classify_stats *out)
{
    struct dnsbind_stats ds;
    *out = c->st;
    dnsbind_get_stats(c->dnsbind, &ds);
    out->dnsbind_evicted = ds.evicted;
    out->dnsbind_expired = ds.expired;
    carrier_get_stats(c->carrier, &out->carrier);
}

void classify_stats_add(struct classify_stats *a, const struct classify_stats *b)
{
    _Static_assert(sizeof *a % sizeof(uint64_t) == 0, "classify_stats holds only uint64_t");
    uint64_t va[sizeof *a / sizeof(uint64_t)], vb[sizeof *b / sizeof(uint64_t)];
    memcpy(va, a, sizeof va);
    memcpy(vb, b, sizeof vb);
    for (size_t i = 0; i < sizeof va / sizeof va[0]; i++)
        va[i] += vb[i];
    memcpy(a, va, sizeof va);
}
