/* scope_filter.c - target and window decisions (see scope_filter.h). */
#include "report/scope_filter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "capture/str.h"
#include "report/identity.h"

struct scope_filter {
    const struct scope *sc;
    scope_binding_lookup_fn lookup;
    void *lookup_user;
    scope_tunnel_lookup_fn tunnel_lookup;
    void *tunnel_user;
    struct scope_filter_stats st;
};

struct scope_filter *scope_filter_new(const struct scope *sc, struct err *e)
{
    struct scope_filter *f = calloc(1, sizeof *f);
    if (!f) {
        err_set(e, RC_NOMEM, "out of memory");
        return NULL;
    }
    f->sc = sc;
    return f;
}

void scope_filter_free(struct scope_filter *f) { free(f); }

void scope_filter_set_lookup(struct scope_filter *f, scope_binding_lookup_fn fn, void *user)
{
    f->lookup = fn;
    f->lookup_user = user;
}

void scope_filter_set_tunnel_lookup(struct scope_filter *f, scope_tunnel_lookup_fn fn,
                                    void *user)
{
    f->tunnel_lookup = fn;
    f->tunnel_user = user;
}

/* Accumulates the windows of the targets that matched one record. */
struct match {
    bool any, in_window;
    uint64_t min_from;
};

static void consider(struct match *m, const struct scope_target *t, uint64_t ts)
{
    if (ts >= t->window.from_us && ts < t->window.to_us)
        m->in_window = true;
    if (!m->any || t->window.from_us < m->min_from)
        m->min_from = t->window.from_us;
    m->any = true;
}

static enum scope_verdict verdict_of(const struct match *m, uint64_t ts)
{
    if (!m->any)
        return SCOPE_DROP_NO_TARGET;
    if (m->in_window)
        return SCOPE_KEEP;
    return ts < m->min_from ? SCOPE_DROP_BEFORE_WINDOW : SCOPE_DROP_AFTER_WINDOW;
}

static enum scope_verdict count(struct scope_filter *f, enum scope_record_kind k,
                                enum scope_verdict v)
{
    if (v == SCOPE_KEEP)
        f->st.kept[k]++;
    else
        f->st.dropped[k][v]++;
    return v;
}

static bool addr_in(const struct scope_target *t, uint8_t family, const uint8_t *a)
{
    if (t->kind != SCOPE_TARGET_IP || t->family != family)
        return false;
    unsigned full = t->prefix / 8u, rest = t->prefix % 8u;
    if (memcmp(a, t->addr, full) != 0)
        return false;
    if (rest) {
        uint8_t mask = (uint8_t)(0xffu << (8 - rest));
        if ((a[full] & mask) != (t->addr[full] & mask))
            return false;
    }
    return true;
}

/* Lower-cased "user@host" of a non-numeric sip: URI (no parameters). */
static void uri_key(const char *in, char *out, size_t cap)
{
    const char *u = in;
    if (strncasecmp(u, "sips:", 5) == 0)
        u += 5;
    else if (strncasecmp(u, "sip:", 4) == 0)
        u += 4;
    else {
        str_copy(out, cap, "");
        return;
    }
    size_t n = strcspn(u, ";?>");
    if (n >= cap)
        n = cap - 1;
    for (size_t i = 0; i < n; i++)
        out[i] = (char)(u[i] >= 'A' && u[i] <= 'Z' ? u[i] + 32 : u[i]);
    out[n] = '\0';
}

/* Does the address (any notation, untrusted) name target t? */
static bool addr_names(const struct scope_target *t, const char *canon, const char *ukey)
{
    switch (t->kind) {
    case SCOPE_TARGET_MSISDN: return strcmp(canon, t->value) == 0;
    case SCOPE_TARGET_URI:
        return t->uri_is_number ? strcmp(canon, t->value) == 0
                                : ukey[0] && strcmp(ukey, t->value) == 0;
    case SCOPE_TARGET_IMSI:
    case SCOPE_TARGET_IMEI:
    case SCOPE_TARGET_IP:
    case SCOPE_TARGET_KIND_COUNT: break;
    }
    return false;
}

static void match_address(const struct scope *sc, const char *addr, uint64_t ts,
                          struct match *m)
{
    if (!addr || !*addr)
        return;
    char canon[SMS_ADDR_MAX + 8], ukey[SCOPE_VALUE_MAX];
    identity_canon(addr, canon, sizeof canon);
    uri_key(addr, ukey, sizeof ukey);
    for (size_t i = 0; i < sc->ntargets; i++)
        if (addr_names(&sc->targets[i], canon, ukey))
            consider(m, &sc->targets[i], ts);
}

static void match_kind(const struct scope *sc, enum scope_target_kind k, const char *v,
                       uint64_t ts, struct match *m)
{
    if (!v || !*v)
        return;
    for (size_t i = 0; i < sc->ntargets; i++)
        if (sc->targets[i].kind == k && strcmp(sc->targets[i].value, v) == 0)
            consider(m, &sc->targets[i], ts);
}

static void match_subscriber(const struct scope *sc, const struct scope_subscriber *b,
                             uint64_t ts, struct match *m)
{
    match_kind(sc, SCOPE_TARGET_IMSI, b->imsi, ts, m);
    match_address(sc, b->msisdn, ts, m);
    if (strlen(b->imei) >= SCOPE_IMEI_KEY_DIGITS) {
        char key[SCOPE_IMEI_KEY_DIGITS + 1];
        memcpy(key, b->imei, SCOPE_IMEI_KEY_DIGITS);
        key[SCOPE_IMEI_KEY_DIGITS] = '\0';
        match_kind(sc, SCOPE_TARGET_IMEI, key, ts, m);
    }
}

enum scope_verdict scope_filter_flow_peek(struct scope_filter *f, uint8_t family,
                                          const uint8_t *client, const uint8_t *server,
                                          uint64_t first_us, const struct scope_tunnel *tun)
{
    struct match m = {0};
    const struct scope *sc = f->sc;
    for (size_t i = 0; i < sc->ntargets; i++)
        if (addr_in(&sc->targets[i], family, client) || addr_in(&sc->targets[i], family, server))
            consider(&m, &sc->targets[i], first_us);
    if (!m.in_window && f->lookup) {
        const uint8_t *ends[2] = {client, server};
        for (int k = 0; k < 2; k++) {
            struct scope_subscriber b;
            memset(&b, 0, sizeof b);
            if (f->lookup(f->lookup_user, family, ends[k], first_us, &b))
                match_subscriber(sc, &b, first_us, &m);
        }
    }
    for (int d = 0; d < 2 && !m.in_window && f->tunnel_lookup && tun; d++) {
        struct scope_subscriber b;
        memset(&b, 0, sizeof b);
        if (tun->teid[d] && f->tunnel_lookup(f->tunnel_user, tun->teid[d], tun->node_family[d],
                                             tun->node[d], first_us, &b))
            match_subscriber(sc, &b, first_us, &m);
    }
    return verdict_of(&m, first_us);
}

enum scope_verdict scope_filter_flow(struct scope_filter *f, uint8_t family,
                                     const uint8_t *client, const uint8_t *server,
                                     uint64_t first_us, const struct scope_tunnel *tun)
{
    return count(f, SCOPE_REC_FLOW,
                 scope_filter_flow_peek(f, family, client, server, first_us, tun));
}

enum scope_verdict scope_filter_sms(struct scope_filter *f, const struct sms_event *ev)
{
    struct match m = {0};
    match_address(f->sc, ev->originator, ev->ts_us, &m);
    match_address(f->sc, ev->recipient, ev->ts_us, &m);
    match_kind(f->sc, SCOPE_TARGET_IMSI, ev->imsi, ev->ts_us, &m);
    return count(f, SCOPE_REC_SMS, verdict_of(&m, ev->ts_us));
}

enum scope_verdict scope_filter_ott(struct scope_filter *f, const struct ott_event *ev,
                                    enum scope_verdict flow_verdict)
{
    enum scope_verdict v = flow_verdict;
    if (v == SCOPE_KEEP) {
        const struct scope_window *w = &f->sc->window;
        if (ev->ts_us < w->from_us)
            v = SCOPE_DROP_BEFORE_WINDOW;
        else if (ev->ts_us >= w->to_us)
            v = SCOPE_DROP_AFTER_WINDOW;
        else if (!(f->sc->outputs & SCOPE_OUT_INFERRED_ACTIVITY))
            v = SCOPE_DROP_OUTPUT_NOT_ALLOWED;
    }
    return count(f, SCOPE_REC_OTT, v);
}

enum scope_verdict scope_filter_binding(struct scope_filter *f, const struct scope_subscriber *b,
                                        uint64_t t_us)
{
    struct match m = {0};
    match_subscriber(f->sc, b, t_us, &m);
    return count(f, SCOPE_REC_BINDING, verdict_of(&m, t_us));
}

bool scope_filter_names_subscriber(const struct scope_filter *f,
                                   const struct scope_subscriber *b)
{
    struct match m = {0};
    match_subscriber(f->sc, b, 0, &m);
    return m.any;
}

void scope_filter_get_stats(const struct scope_filter *f, struct scope_filter_stats *out)
{
    *out = f->st;
}

const char *scope_verdict_name(enum scope_verdict v)
{
    switch (v) {
    case SCOPE_KEEP: return "kept";
    case SCOPE_DROP_NO_TARGET: return "no_target";
    case SCOPE_DROP_BEFORE_WINDOW: return "before_window";
    case SCOPE_DROP_AFTER_WINDOW: return "after_window";
    case SCOPE_DROP_OUTPUT_NOT_ALLOWED: return "output_not_allowed";
    case SCOPE_VERDICT_COUNT: break;
    }
    return "?";
}

const char *scope_record_kind_name(enum scope_record_kind k)
{
    switch (k) {
    case SCOPE_REC_FLOW: return "flows";
    case SCOPE_REC_SMS: return "sms_events";
    case SCOPE_REC_OTT: return "ott_events";
    case SCOPE_REC_BINDING: return "bindings";
    case SCOPE_REC_KIND_COUNT: break;
    }
    return "?";
}

int scope_filter_each_counter(const struct scope_filter *f, scope_counter_fn fn, void *user)
{
    char name[96];
    for (int k = 0; k < SCOPE_REC_KIND_COUNT; k++) {
        const char *kn = scope_record_kind_name((enum scope_record_kind)k);
        snprintf(name, sizeof name, "scope_kept_%s", kn);
        int rc = fn(user, name, f->st.kept[k]);
        for (int v = SCOPE_DROP_NO_TARGET; !rc && v < SCOPE_VERDICT_COUNT; v++) {
            snprintf(name, sizeof name, "scope_dropped_%s_%s", kn,
                     scope_verdict_name((enum scope_verdict)v));
            rc = fn(user, name, f->st.dropped[k][v]);
        }
        if (rc)
            return rc;
    }
    return 0;
}
