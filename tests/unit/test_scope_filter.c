/* test_scope_filter.c - the scope decisions (report/scope_filter.c), table
 * driven: flows by IP/CIDR, through a stub binding table and through a
 * stub tunnel lookup (the GTP-U tunnel a flow was carried in), SMS events by
 * originator/recipient/IMSI in several notations, OTT events through their
 * flow and the allowed outputs, bindings; per-target windows; counters. */
#include "report/scope_filter.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "tests/harness.h"

#define T0 1709251200000000ull /* 2024-03-01T00:00:00Z */
#define HOUR 3600000000ull
#define DAY (24 * HOUR)

/* Window [03-01, 03-31); target 4 has its own window [03-10, 03-11). */
static const char scope_text[] =
    "version: 1\n"
    "case: LIID-T\n"
    "authority: {kind: pen-trap, reference: R1, issued-by: Court, issued: 2024-02-28}\n"
    "window: {from: 2024-03-01T00:00:00Z, to: 2024-03-31T00:00:00Z}\n"
    "outputs: [records, inferred-activity]\n"
    "operator: tester\n"
    "targets:\n"
    "  - msisdn: \"+1 555 123 0001\"\n"
    "  - imsi: \"001010000000009\"\n"
    "  - ip: 10.45.0.0/24\n"
    "  - ip: \"2001:db8:45::/48\"\n"
    "  - uri: \"sip:alice@ims.example\"\n"
    "    window: {from: 2024-03-10T00:00:00Z, to: 2024-03-11T00:00:00Z}\n"
    "  - imei: \"35209900176148\"\n";

static struct scope *load_scope(const char *text)
{
    struct err e;
    struct scope *s = scope_load_buffer("t.yaml", (const uint8_t *)text, strlen(text), &e);
    if (!s)
        fprintf(stderr, "  scope: %s\n", e.msg);
    return s;
}

/* ---- stub binding table (issue 10 will supply the real one) ---------- */

struct stub_binding {
    const char *addr;
    uint64_t from_us, to_us;
    struct scope_subscriber who;
};

static const struct stub_binding bindings[] = {
    /* UE 10.99.0.7 belongs to the target IMSI on day 2 only. */
    {"10.99.0.7", T0 + DAY, T0 + 2 * DAY, {"001010000000009", "", ""}},
    /* UE 10.99.0.8 is a non-target subscriber. */
    {"10.99.0.8", T0, T0 + 30 * DAY, {"001010000000002", "15559990002", ""}},
    /* UE 10.99.0.9 is bound to the target MSISDN in tel: notation. */
    {"10.99.0.9", T0, T0 + 30 * DAY, {"", "tel:+1-555-123-0001", ""}},
    /* UE 10.99.0.10 is bound to the target device (IMEISV form). */
    {"10.99.0.10", T0, T0 + 30 * DAY, {"", "", "3520990017614899"}},
};

static unsigned lookups;

static bool stub_lookup(void *user, uint8_t family, const uint8_t *addr, uint64_t t_us,
                        struct scope_subscriber *out)
{
    (void)user;
    lookups++;
    for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++) {
        uint8_t a[16];
        if (family != 4 || inet_pton(AF_INET, bindings[i].addr, a) != 1)
            continue;
        if (memcmp(a, addr, 4) == 0 && t_us >= bindings[i].from_us && t_us < bindings[i].to_us) {
            *out = bindings[i].who;
            return true;
        }
    }
    return false;
}

struct flow_case {
    const char *client, *server;
    uint64_t t;
    bool with_lookup;
    enum scope_verdict want;
};

static const struct flow_case flow_cases[] = {
    {"10.45.0.2", "13.248.212.111", T0 + HOUR, false, SCOPE_KEEP},         /* client in CIDR */
    {"13.248.212.111", "10.45.0.255", T0 + HOUR, false, SCOPE_KEEP},       /* server in CIDR */
    {"10.46.0.2", "13.248.212.111", T0 + HOUR, false, SCOPE_DROP_NO_TARGET},
    {"10.45.0.2", "13.248.212.111", T0 - 1, false, SCOPE_DROP_BEFORE_WINDOW},
    {"10.45.0.2", "13.248.212.111", T0 + 30 * DAY, false, SCOPE_DROP_AFTER_WINDOW},
    {"2001:db8:45:ffff::1", "2001:db8::80", T0 + HOUR, false, SCOPE_KEEP},
    {"2001:db8:46::1", "2001:db8::80", T0 + HOUR, false, SCOPE_DROP_NO_TARGET},
    /* through the binding table */
    {"10.99.0.7", "13.248.212.111", T0 + DAY + HOUR, true, SCOPE_KEEP},
    {"10.99.0.7", "13.248.212.111", T0 + HOUR, true, SCOPE_DROP_NO_TARGET}, /* not bound yet */
    {"10.99.0.7", "13.248.212.111", T0 + DAY + HOUR, false, SCOPE_DROP_NO_TARGET},
    {"10.99.0.8", "13.248.212.111", T0 + HOUR, true, SCOPE_DROP_NO_TARGET},
    {"10.99.0.9", "13.248.212.111", T0 + HOUR, true, SCOPE_KEEP},
    {"13.248.212.111", "10.99.0.9", T0 + HOUR, true, SCOPE_KEEP},
    {"10.99.0.10", "13.248.212.111", T0 + HOUR, true, SCOPE_KEEP},
};

static void addr_of(const char *s, uint8_t *family, uint8_t a[16])
{
    memset(a, 0, 16);
    *family = inet_pton(AF_INET, s, a) == 1 ? 4 : (inet_pton(AF_INET6, s, a) == 1 ? 6 : 0);
}

/* The scope of scope_text in *sc and a filter over it (NULL: failed,
 * counted). */
static struct scope_filter *open_filter(struct scope **sc)
{
    *sc = load_scope(scope_text);
    CHECK(*sc != NULL);
    if (!*sc)
        return NULL;
    struct err e;
    struct scope_filter *f = scope_filter_new(*sc, &e);
    CHECK(f != NULL);
    return f;
}

TEST(flows)
{
    struct scope *sc;
    struct scope_filter *f = open_filter(&sc);
    for (size_t i = 0; f && i < sizeof flow_cases / sizeof flow_cases[0]; i++) {
        const struct flow_case *c = &flow_cases[i];
        uint8_t fa, fb, a[16], b[16];
        addr_of(c->client, &fa, a);
        addr_of(c->server, &fb, b);
        scope_filter_set_lookup(f, c->with_lookup ? stub_lookup : NULL, NULL);
        enum scope_verdict v = scope_filter_flow(f, fa, a, b, c->t, NULL);
        if (v != c->want)
            fprintf(stderr, "  flow case %zu (%s -> %s): %s, want %s\n", i, c->client, c->server,
                    scope_verdict_name(v), scope_verdict_name(c->want));
        CHECK_EQ_INT(v, c->want);
        CHECK_EQ_INT(scope_filter_flow_peek(f, fa, a, b, c->t, NULL), c->want);
    }
    struct scope_filter_stats st;
    if (f) {
        scope_filter_get_stats(f, &st);
        CHECK_EQ_INT(st.kept[SCOPE_REC_FLOW], 7);
        CHECK_EQ_INT(st.dropped[SCOPE_REC_FLOW][SCOPE_DROP_NO_TARGET], 5);
        CHECK_EQ_INT(st.dropped[SCOPE_REC_FLOW][SCOPE_DROP_BEFORE_WINDOW], 1);
        CHECK_EQ_INT(st.dropped[SCOPE_REC_FLOW][SCOPE_DROP_AFTER_WINDOW], 1);
    }
    CHECK(lookups > 0);
    scope_filter_free(f);
    scope_free(sc);
}

struct sms_case {
    const char *orig, *recip, *imsi;
    uint64_t t;
    enum scope_verdict want;
};

static const struct sms_case sms_cases[] = {
    {"15551230001", "15559990003", "", T0 + HOUR, SCOPE_KEEP},           /* target sends (MO) */
    {"15559990003", "+15551230001", "", T0 + HOUR, SCOPE_KEEP},          /* target receives */
    {"tel:+1-555-123-0001", "15559990003", "", T0 + HOUR, SCOPE_KEEP},
    {"sip:+15551230001@ims.example;user=phone", "x", "", T0 + HOUR, SCOPE_KEEP},
    {"15559990002", "15559990003", "", T0 + HOUR, SCOPE_DROP_NO_TARGET}, /* other subscriber */
    {"15559990002", "15559990003", "001010000000009", T0 + HOUR, SCOPE_KEEP}, /* target IMSI */
    {"15551230001", "15559990003", "", T0 - 1, SCOPE_DROP_BEFORE_WINDOW},
    {"15551230001", "15559990003", "", T0 + 30 * DAY, SCOPE_DROP_AFTER_WINDOW},
    /* The URI target has its own one-day window. */
    {"sip:Alice@ims.example", "15559990003", "", T0 + 9 * DAY + HOUR, SCOPE_KEEP},
    {"sip:alice@ims.example", "15559990003", "", T0 + HOUR, SCOPE_DROP_BEFORE_WINDOW},
    {"sip:alice@ims.example", "15559990003", "", T0 + 11 * DAY, SCOPE_DROP_AFTER_WINDOW},
    {"sip:bob@ims.example", "15559990003", "", T0 + 9 * DAY + HOUR, SCOPE_DROP_NO_TARGET},
    {"TrapBank", "15559990003", "", T0 + HOUR, SCOPE_DROP_NO_TARGET},    /* alphanumeric */
    {"", "", "", T0 + HOUR, SCOPE_DROP_NO_TARGET},
    /* a national-notation number is not the same identity (documented) */
    {"5551230001", "15559990003", "", T0 + HOUR, SCOPE_DROP_NO_TARGET},
};

/* ---- flows through a GTP-U tunnel (stub tunnel lookup) ---- */

/* TEID 0x100 at eNB 10.0.18.1 is the target IMSI's session on day 2 only;
 * TEID 0x200 (any node) is another subscriber's all month. */
static const uint8_t enb[4] = {10, 0, 18, 1};
static unsigned tunnel_lookups;

static bool stub_tunnel(void *user, uint32_t teid, uint8_t node_family, const uint8_t *node,
                        uint64_t t_us, struct scope_subscriber *out)
{
    (void)user;
    tunnel_lookups++;
    static const struct scope_subscriber target = {"001010000000009", "", ""};
    static const struct scope_subscriber other = {"001010000000002", "15559990002", ""};
    if (teid == 0x100 && node_family == 4 && node && !memcmp(node, enb, 4) &&
        t_us >= T0 + DAY && t_us < T0 + 2 * DAY) {
        *out = target;
        return true;
    }
    if (teid == 0x200) {
        *out = other;
        return true;
    }
    return false;
}

struct tunnel_case {
    uint32_t teid[2];
    bool at_enb;
    uint64_t t;
    bool with_lookup;
    enum scope_verdict want;
};

static const struct tunnel_case tunnel_cases[] = {
    {{0x100, 0}, true, T0 + DAY + HOUR, true, SCOPE_KEEP},          /* her uplink tunnel */
    {{0, 0x100}, true, T0 + DAY + HOUR, true, SCOPE_KEEP},          /* the other direction */
    {{0x200, 0x100}, true, T0 + DAY + HOUR, true, SCOPE_KEEP},      /* one of two is hers */
    {{0x100, 0}, false, T0 + DAY + HOUR, true, SCOPE_DROP_NO_TARGET}, /* at another node */
    {{0x100, 0}, true, T0 + HOUR, true, SCOPE_DROP_NO_TARGET},      /* not hers yet */
    {{0x200, 0}, true, T0 + DAY + HOUR, true, SCOPE_DROP_NO_TARGET}, /* a non-target's */
    {{0x100, 0}, true, T0 + DAY + HOUR, false, SCOPE_DROP_NO_TARGET}, /* no tunnel lookup */
};

TEST(flows_through_tunnels)
{
    struct scope *sc;
    struct scope_filter *f = open_filter(&sc);
    if (!f) {
        scope_free(sc);
        return;
    }
    /* link-local ends (a Router Solicitation): no address of a target, none
     * bound */
    uint8_t fa, a[16], b[16];
    addr_of("fe80::2", &fa, a);
    addr_of("ff02::2", &fa, b);
    const uint8_t other_node[4] = {10, 0, 18, 7};
    for (size_t i = 0; f && i < sizeof tunnel_cases / sizeof tunnel_cases[0]; i++) {
        const struct tunnel_case *c = &tunnel_cases[i];
        struct scope_tunnel tun = {{c->teid[0], c->teid[1]}, {4, 4},
                                   {c->at_enb ? enb : other_node, c->at_enb ? enb : other_node}};
        scope_filter_set_lookup(f, stub_lookup, NULL);
        scope_filter_set_tunnel_lookup(f, c->with_lookup ? stub_tunnel : NULL, NULL);
        enum scope_verdict v = scope_filter_flow(f, fa, a, b, c->t, &tun);
        if (v != c->want)
            fprintf(stderr, "  tunnel case %zu: %s, want %s\n", i, scope_verdict_name(v),
                    scope_verdict_name(c->want));
        CHECK_EQ_INT(v, c->want);
        CHECK_EQ_INT(scope_filter_flow_peek(f, fa, a, b, c->t, &tun), c->want);
        /* without its tunnel the same flow is nobody's */
        CHECK_EQ_INT(scope_filter_flow_peek(f, fa, a, b, c->t, NULL), SCOPE_DROP_NO_TARGET);
    }
    /* a flow kept by its address does not ask the tunnel */
    unsigned before = tunnel_lookups;
    uint8_t c4[16], s4[16];
    addr_of("10.45.0.2", &fa, c4);
    addr_of("13.248.212.111", &fa, s4);
    struct scope_tunnel tun = {{0x200, 0}, {4, 0}, {enb, NULL}};
    scope_filter_set_tunnel_lookup(f, stub_tunnel, NULL);
    CHECK_EQ_INT(scope_filter_flow_peek(f, fa, c4, s4, T0 + HOUR, &tun), SCOPE_KEEP);
    CHECK_EQ_INT(tunnel_lookups, before);
    scope_filter_free(f);
    scope_free(sc);
}

TEST(sms)
{
    struct scope *sc = load_scope(scope_text);
    struct err e;
    struct scope_filter *f = sc ? scope_filter_new(sc, &e) : NULL;
    CHECK(f != NULL);
    for (size_t i = 0; f && i < sizeof sms_cases / sizeof sms_cases[0]; i++) {
        const struct sms_case *c = &sms_cases[i];
        struct sms_event ev;
        memset(&ev, 0, sizeof ev);
        ev.ts_us = c->t;
        snprintf(ev.originator, sizeof ev.originator, "%s", c->orig);
        snprintf(ev.recipient, sizeof ev.recipient, "%s", c->recip);
        snprintf(ev.imsi, sizeof ev.imsi, "%s", c->imsi);
        enum scope_verdict v = scope_filter_sms(f, &ev);
        if (v != c->want)
            fprintf(stderr, "  sms case %zu (%s -> %s): %s, want %s\n", i, c->orig, c->recip,
                    scope_verdict_name(v), scope_verdict_name(c->want));
        CHECK_EQ_INT(v, c->want);
    }
    struct scope_filter_stats st;
    if (f) {
        scope_filter_get_stats(f, &st);
        CHECK_EQ_INT(st.kept[SCOPE_REC_SMS], 6);
        CHECK_EQ_INT(st.dropped[SCOPE_REC_SMS][SCOPE_DROP_NO_TARGET], 5);
        CHECK_EQ_INT(st.dropped[SCOPE_REC_SMS][SCOPE_DROP_BEFORE_WINDOW], 2);
        CHECK_EQ_INT(st.dropped[SCOPE_REC_SMS][SCOPE_DROP_AFTER_WINDOW], 2);
    }
    scope_filter_free(f);
    scope_free(sc);
}

struct ott_case {
    enum scope_verdict flow;
    uint64_t t;
    bool allow_inferred;
    enum scope_verdict want;
};

static const struct ott_case ott_cases[] = {
    {SCOPE_KEEP, T0 + HOUR, true, SCOPE_KEEP},
    {SCOPE_DROP_NO_TARGET, T0 + HOUR, true, SCOPE_DROP_NO_TARGET},
    {SCOPE_KEEP, T0 + 30 * DAY, true, SCOPE_DROP_AFTER_WINDOW},  /* flow began inside */
    {SCOPE_KEEP, T0 - 1, true, SCOPE_DROP_BEFORE_WINDOW},
    {SCOPE_KEEP, T0 + HOUR, false, SCOPE_DROP_OUTPUT_NOT_ALLOWED},
    {SCOPE_DROP_BEFORE_WINDOW, T0 + HOUR, false, SCOPE_DROP_BEFORE_WINDOW},
};

TEST(ott)
{
    static const char no_inferred[] =
        "version: 1\ncase: L\n"
        "authority: {kind: iri-only, reference: R, issued-by: C, issued: 2024-02-28}\n"
        "window: {from: 2024-03-01T00:00:00Z, to: 2024-03-31T00:00:00Z}\n"
        "outputs: [records]\noperator: o\ntargets:\n  - ip: 10.0.0.1\n";
    struct scope *with = load_scope(scope_text), *without = load_scope(no_inferred);
    struct err e;
    struct scope_filter *fw = with ? scope_filter_new(with, &e) : NULL;
    struct scope_filter *fo = without ? scope_filter_new(without, &e) : NULL;
    CHECK(fw != NULL && fo != NULL);
    for (size_t i = 0; fw && fo && i < sizeof ott_cases / sizeof ott_cases[0]; i++) {
        const struct ott_case *c = &ott_cases[i];
        struct ott_event ev = {.flow_id = 1, .ts_us = c->t, .end_ts_us = c->t + 1};
        enum scope_verdict v = scope_filter_ott(c->allow_inferred ? fw : fo, &ev, c->flow);
        if (v != c->want)
            fprintf(stderr, "  ott case %zu: %s, want %s\n", i, scope_verdict_name(v),
                    scope_verdict_name(c->want));
        CHECK_EQ_INT(v, c->want);
    }
    struct scope_filter_stats st;
    if (fo) {
        scope_filter_get_stats(fo, &st);
        CHECK_EQ_INT(st.dropped[SCOPE_REC_OTT][SCOPE_DROP_OUTPUT_NOT_ALLOWED], 1);
    }
    scope_filter_free(fw);
    scope_filter_free(fo);
    scope_free(with);
    scope_free(without);
}

TEST(bindings)
{
    struct scope *sc = load_scope(scope_text);
    struct err e;
    struct scope_filter *f = sc ? scope_filter_new(sc, &e) : NULL;
    CHECK(f != NULL);
    if (!f) {
        scope_free(sc);
        return;
    }
    for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++) {
        enum scope_verdict v = scope_filter_binding(f, &bindings[i].who, T0 + HOUR);
        CHECK_EQ_INT(v, i == 1 ? SCOPE_DROP_NO_TARGET : SCOPE_KEEP);
    }
    struct scope_subscriber b = {"001010000000009", "", ""};
    CHECK_EQ_INT(scope_filter_binding(f, &b, T0 + 40 * DAY), SCOPE_DROP_AFTER_WINDOW);
    scope_filter_free(f);
    scope_free(sc);
}

struct counter_ctx {
    unsigned calls;
    uint64_t no_target_sms;
    bool saw_kept_flows;
};

static int collect(void *user, const char *name, uint64_t value)
{
    struct counter_ctx *c = user;
    c->calls++;
    if (strcmp(name, "scope_dropped_sms_events_no_target") == 0)
        c->no_target_sms = value;
    if (strcmp(name, "scope_kept_flows") == 0)
        c->saw_kept_flows = true;
    return 0;
}

TEST(counters)
{
    struct scope *sc = load_scope(scope_text);
    struct err e;
    struct scope_filter *f = sc ? scope_filter_new(sc, &e) : NULL;
    CHECK(f != NULL);
    if (!f) {
        scope_free(sc);
        return;
    }
    struct sms_event ev;
    memset(&ev, 0, sizeof ev);
    ev.ts_us = T0 + HOUR;
    snprintf(ev.originator, sizeof ev.originator, "15559990002");
    scope_filter_sms(f, &ev);
    scope_filter_sms(f, &ev);
    struct counter_ctx c = {0, 0, false};
    CHECK_EQ_INT(scope_filter_each_counter(f, collect, &c), 0);
    CHECK_EQ_INT(c.calls, SCOPE_REC_KIND_COUNT * SCOPE_VERDICT_COUNT);
    CHECK_EQ_INT(c.no_target_sms, 2);
    CHECK(c.saw_kept_flows);
    scope_filter_free(f);
    scope_free(sc);
}

int main(void)
{
    RUN(flows);
    RUN(flows_through_tunnels);
    RUN(sms);
    RUN(ott);
    RUN(bindings);
    RUN(counters);
    return harness_done();
}
