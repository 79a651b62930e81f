/* cpbind.c - control plane to subscriber bindings (see cpbind.h). */
#include "classify/cpbind.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "capture/str.h"
#include "classify/diameter.h"
#include "classify/diameter_gx.h"
#include "classify/gtpv1c.h"
#include "classify/gtpv2c.h"
#include "classify/radius.h"
#include "classify/sip_reg.h"
#include "classify/slots.h"

#define GTPV0_PORT 3386 /* GSM 09.60 section 7.2 (GTPv0 signalling and user plane) */

/* GTPv2 causes 16-19 accept a request (TS 29.274 table 8.4-1). */
#define V2_CAUSE_ACCEPTED_MIN 16
#define V2_CAUSE_ACCEPTED_MAX 19

/* What the scans of a flow's table read of a pending request: kept apart
 * from the request itself (its evidence is a sub_binding of 700-odd bytes),
 * so a busy link's table of a thousand is scanned in 24-byte steps. */
struct pend_head {
    uint64_t key, ts_us;
    bool used;
    uint8_t d; /* enum dir: direction of the request */
};

struct pending {
    uint8_t type;        /* request message type / code / CC-Request-Type */
    bool aux;            /* GTPv2 Delete Bearer: LBI present; SIP: expires 0 */
    uint32_t hdr_teid;   /* request header TEID (the responder's control TEID) */
    struct sub_binding ev;
};

/* Requests awaiting an answer: a table grown on demand up to
 * CPBIND_FLOW_PENDING slots (most control-plane flows hold one or two at a
 * time; a busy S11, Gx or RADIUS link carries every subscriber's
 * transactions on one flow, hundreds in flight).  Slots keep their index
 * when it grows, so the choice of slot and of the evicted request is that
 * of a full-size table.  head[i] and pend[i] are one request. */
struct cpflow {
    struct pend_head *head;
    struct pending *pend;
    size_t cap;
    struct slot_budget *budget; /* what the slots were taken from (proto_emit.budget) */
    uint64_t prev_us;           /* the flow's previous message time (slots_clock) */
};

/* What a row's parse works with. */
struct cpx {
    struct cpflow *f;
    enum dir d;
    uint64_t ts_us;
    const struct proto_emit *em;
    uint64_t clock_us; /* the timeouts' clock (cpx_at) */
};

/* The context of one message at ts_us on flow state; its timeouts run at
 * slots_clock, so one outlying message cannot time out every request
 * waiting on a busy S11 or RADIUS flow and lose their subscribers'
 * bindings. */
static struct cpx cpx_at(void *state, enum dir d, uint64_t ts_us, const struct proto_emit *em)
{
    struct cpflow *f = state;
    return (struct cpx){f, d, ts_us, em, slots_clock(&f->prev_us, ts_us)};
}

void *cpbind_state_new(uint8_t transport)
{
    (void)transport;
    return calloc(1, sizeof(struct cpflow));
}

void cpbind_state_free(void *state)
{
    struct cpflow *f = state;
    if (f) {
        slots_budget_give(f->budget, f->cap);
        free(f->head);
        free(f->pend);
    }
    free(f);
}

static void count(const struct cpx *x, int slot)
{
    if (x->em->counters)
        x->em->counters[slot]++;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3u;
    return h;
}

/* Key of a session named by text (Acct-Session-Id, Diameter Session-Id)
 * within a protocol and application (Gx and Gy sessions may share an id). */
static uint64_t text_key(unsigned proto, uint32_t app, const char *s)
{
    if (!s[0])
        return 0;
    uint64_t h = fnv(0xcbf29ce484222325u, &proto, sizeof proto);
    h = fnv(h, &app, sizeof app);
    h = fnv(h, s, strlen(s));
    return h | 1; /* never 0 (= no key) */
}

static void expire(const struct cpx *x)
{
    for (size_t i = 0; i < x->f->cap; i++) {
        struct pend_head *q = &x->f->head[i];
        if (q->used && slots_due(q->ts_us, x->clock_us, CPBIND_PAIR_TIMEOUT_US)) {
            q->used = false;
            count(x, CPBIND_CNT_TIMEOUTS);
        }
    }
}

/* Doubles f's table (both arrays), up to CPBIND_FLOW_PENDING and within
 * its budget b; false when it is at a bound or memory is short. */
static bool grow(struct cpflow *f, struct slot_budget *b)
{
    if (!f->cap)
        f->budget = b; /* the table's first slots: from now on its budget */
    void *h = f->head, *p = f->pend;
    bool ok = slots_grow_pair(&h, sizeof *f->head, &p, sizeof *f->pend, &f->cap, 2,
                              CPBIND_FLOW_PENDING, f->budget);
    f->head = h;
    f->pend = p;
    return ok;
}

/* A slot for a request with `key` in direction x->d (a retransmission
 * replaces its earlier copy; when full the oldest is evicted). */
static struct pending *stash(const struct cpx *x, uint64_t key)
{
    expire(x);
    struct cpflow *f = x->f;
    ptrdiff_t slot = -1, oldest = -1;
    for (size_t i = 0; i < f->cap; i++) {
        const struct pend_head *q = &f->head[i];
        if (q->used && q->key == key && q->d == x->d) {
            slot = (ptrdiff_t)i;
            break;
        }
        if (!q->used && slot < 0)
            slot = (ptrdiff_t)i;
        if (q->used && (oldest < 0 || q->ts_us < f->head[oldest].ts_us))
            oldest = (ptrdiff_t)i;
    }
    if (slot < 0) {
        size_t was = f->cap;
        if (grow(f, x->em->budget))
            slot = (ptrdiff_t)was;
        else if (oldest < 0) { /* no memory for the first slot */
            count(x, CPBIND_CNT_NOMEM);
            return NULL;
        }
    }
    if (slot < 0) {
        slot = oldest;
        count(x, CPBIND_CNT_EVICTED);
    }
    proto_emit_hold(x->em);
    struct pend_head *h = &f->head[slot];
    h->used = true;
    h->d = (uint8_t)x->d;
    h->key = key;
    h->ts_us = x->ts_us;
    memset(&f->pend[slot], 0, sizeof f->pend[slot]);
    return &f->pend[slot];
}

/* Takes the request answered by a response with `key` in direction x->d. */
static bool take(const struct cpx *x, uint64_t key, struct pending *out)
{
    for (size_t i = 0; i < x->f->cap; i++) {
        struct pend_head *q = &x->f->head[i];
        if (q->used && q->key == key && q->d != x->d) {
            *out = x->f->pend[i];
            q->used = false;
            return true;
        }
    }
    count(x, CPBIND_CNT_ORPHANS);
    return false;
}

static void apply(const struct cpx *x, enum bind_op op, struct sub_binding *ev)
{
    ev->op = op;
    ev->evidence_us = x->ts_us;
    count(x, CPBIND_CNT_BINDINGS);
    proto_emit_binding(x->em, ev);
}

static bool nonzero(const uint8_t *a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i])
            return true;
    return false;
}

static void set_v4(struct sub_binding *ev, const uint8_t v4[4])
{
    if (nonzero(v4, 4)) {
        memcpy(ev->v4, v4, 4);
        ev->has_v4 = true;
    }
}

static void set_v6(struct sub_binding *ev, const uint8_t v6[16])
{
    if (nonzero(v6, BIND_V6_PREFIX)) {
        memcpy(ev->v6_prefix, v6, BIND_V6_PREFIX); /* the /64 (binding.h) */
        ev->has_v6 = true;
    }
}

/* ---- GTPv2-C ---------------------------------------------------------- */

/* Protocol tags of text_key(). */
enum { P_RADIUS = 1, P_DIAMETER };

static void v2_fteids(const struct gtpv2c_msg *m, struct sub_binding *ev)
{
    for (unsigned i = 0; i < m->nfteid; i++) {
        const struct gtpv2c_fteid *f = &m->fteid[i];
        if (f->teid == 0)
            continue; /* not allocated yet (e.g. the PGW's in a Create Session Request) */
        if (f->has_v4)
            binding_add_teid(ev, f->teid, !f->bearer, f->v4, 4, NULL);
        else if (f->has_v6)
            binding_add_teid(ev, f->teid, !f->bearer, f->v6, 16, NULL);
        else
            binding_add_teid(ev, f->teid, !f->bearer, NULL, 0, NULL);
    }
}

static void v2_request(const struct cpx *x, const struct gtpv2c_msg *m)
{
    struct pending *q = stash(x, m->seq);
    if (!q)
        return;
    q->type = m->type;
    q->hdr_teid = m->teid;
    q->aux = m->type == GTPV2C_DELETE_BEARER_REQ && m->has_lbi;
    struct sub_binding *ev = &q->ev;
    ev->src = BIND_SRC_GTPV2;
    str_copy(ev->imsi, sizeof ev->imsi, m->imsi);
    str_copy(ev->msisdn, sizeof ev->msisdn, m->msisdn);
    str_copy(ev->imei, sizeof ev->imei, m->mei);
    str_copy(ev->apn, sizeof ev->apn, m->apn);
    str_copy(ev->cell, sizeof ev->cell, m->cell);
    if (m->has_v4)
        set_v4(ev, m->v4);
    if (m->has_v6)
        set_v6(ev, m->v6);
    v2_fteids(m, ev);
}

static void v2_response(const struct cpx *x, const struct gtpv2c_msg *m)
{
    struct pending q;
    if (!take(x, m->seq, &q))
        return;
    if (m->cause >= 0 && (m->cause < V2_CAUSE_ACCEPTED_MIN || m->cause > V2_CAUSE_ACCEPTED_MAX)) {
        count(x, CPBIND_CNT_REJECTED);
        return;
    }
    struct sub_binding *ev = &q.ev;
    /* the request's header TEID is the responder's control TEID: the
     * responder sends this response */
    if (q.hdr_teid)
        binding_add_teid_owner(ev, q.hdr_teid, true, BIND_OWNER_SENDER);
    switch (q.type) {
    case GTPV2C_CREATE_SESSION_REQ:
        if (m->has_v4)
            set_v4(ev, m->v4);
        if (m->has_v6)
            set_v6(ev, m->v6);
        v2_fteids(m, ev);
        apply(x, BIND_OPEN, ev);
        break;
    case GTPV2C_MODIFY_BEARER_REQ:
        v2_fteids(m, ev);
        if (m->cell[0])
            str_copy(ev->cell, sizeof ev->cell, m->cell);
        apply(x, BIND_UPDATE, ev);
        break;
    case GTPV2C_DELETE_SESSION_REQ:
        apply(x, BIND_CLOSE, ev);
        break;
    case GTPV2C_DELETE_BEARER_REQ:
        apply(x, q.aux ? BIND_CLOSE : BIND_UPDATE, ev);
        break;
    default:
        break;
    }
}

static enum parse_rc gtpc2_parse(void *state, enum dir d, struct cursor *c, uint64_t ts_us,
                                 const struct proto_emit *em)
{
    struct gtpv2c_msg m;
    enum parse_rc rc = gtpv2c_parse(c, &m);
    if (rc != PARSE_OK)
        return rc;
    struct cpx x = cpx_at(state, d, ts_us, em);
    switch (m.type) {
    case GTPV2C_CREATE_SESSION_REQ:
    case GTPV2C_MODIFY_BEARER_REQ:
    case GTPV2C_DELETE_SESSION_REQ:
    case GTPV2C_DELETE_BEARER_REQ:
        v2_request(&x, &m);
        break;
    case GTPV2C_CREATE_SESSION_RESP:
    case GTPV2C_MODIFY_BEARER_RESP:
    case GTPV2C_DELETE_SESSION_RESP:
    case GTPV2C_DELETE_BEARER_RESP:
        v2_response(&x, &m);
        break;
    default:
        break;
    }
    return PARSE_OK;
}

/* ---- GTPv1-C / GTPv0 -------------------------------------------------- */

static void v1_teids(const struct gtpv1c_msg *m, struct sub_binding *ev)
{
    /* GSN addresses: control plane first, then user plane (29.060 7.7.32) */
    const uint8_t *ca = m->ngsn > 0 ? m->gsn[0] : NULL, *ua = m->ngsn > 1 ? m->gsn[1] : ca;
    size_t cl = m->ngsn > 0 ? m->gsn_len[0] : 0, ul = m->ngsn > 1 ? m->gsn_len[1] : cl;
    if (m->has_teid_ctl)
        binding_add_teid(ev, m->teid_ctl, true, ca, cl, NULL);
    if (m->has_teid_data)
        binding_add_teid(ev, m->teid_data, false, ua, ul, NULL);
}

static enum parse_rc gtpc1_parse(void *state, enum dir d, struct cursor *c, uint64_t ts_us,
                                 const struct proto_emit *em)
{
    struct gtpv1c_msg m;
    enum parse_rc rc = gtpv1c_parse(c, &m);
    if (rc != PARSE_OK)
        return rc;
    struct cpx x = cpx_at(state, d, ts_us, em);
    bool v0 = m.version == 0;
    uint64_t key = (uint64_t)m.version << 32 | m.seq;
    switch (m.type) {
    case GTPV1C_CREATE_PDP_REQ:
    case GTPV1C_UPDATE_PDP_REQ:
    case GTPV1C_DELETE_PDP_REQ: {
        struct pending *q = stash(&x, key);
        if (!q)
            return PARSE_OK; /* no memory for the request: counted */
        q->type = m.type;
        q->hdr_teid = v0 ? 0 : m.teid;
        struct sub_binding *ev = &q->ev;
        ev->src = v0 ? BIND_SRC_GTPV0 : BIND_SRC_GTPV1;
        str_copy(ev->imsi, sizeof ev->imsi, m.imsi);
        str_copy(ev->msisdn, sizeof ev->msisdn, m.msisdn);
        str_copy(ev->imei, sizeof ev->imei, m.imei);
        str_copy(ev->apn, sizeof ev->apn, m.apn);
        str_copy(ev->cell, sizeof ev->cell, m.cell);
        if (m.has_v4)
            set_v4(ev, m.v4);
        if (m.has_v6)
            set_v6(ev, m.v6);
        if (v0)
            ev->session_key = m.tid | 1u;
        else
            v1_teids(&m, ev);
        break;
    }
    case GTPV1C_CREATE_PDP_RESP:
    case GTPV1C_UPDATE_PDP_RESP:
    case GTPV1C_DELETE_PDP_RESP: {
        struct pending q;
        if (!take(&x, key, &q))
            break;
        if (m.cause != GTPV1C_CAUSE_ACCEPTED) {
            count(&x, CPBIND_CNT_REJECTED);
            break;
        }
        struct sub_binding *ev = &q.ev;
        if (q.hdr_teid)
            binding_add_teid_owner(ev, q.hdr_teid, true, BIND_OWNER_SENDER);
        if (m.has_v4)
            set_v4(ev, m.v4);
        if (m.has_v6)
            set_v6(ev, m.v6);
        if (!v0)
            v1_teids(&m, ev);
        enum bind_op op = q.type == GTPV1C_CREATE_PDP_REQ   ? BIND_OPEN
                          : q.type == GTPV1C_UPDATE_PDP_REQ ? BIND_UPDATE
                                                            : BIND_CLOSE;
        if (op == BIND_CLOSE) /* the delete names the session by TEID / TID */
            ev->imsi[0] = ev->msisdn[0] = ev->imei[0] = '\0';
        apply(&x, op, ev);
        break;
    }
    default:
        break;
    }
    return PARSE_OK;
}

/* ---- RADIUS ------------------------------------------------------------ */

static bool e164(const char *s)
{
    size_t i = s[0] == '+' ? 1 : 0, n = 0;
    for (; s[i]; i++, n++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return n >= 5; /* shorter digit strings are extensions, not E.164 */
}

static void radius_ev(const struct radius_msg *m, struct sub_binding *ev)
{
    ev->src = BIND_SRC_RADIUS;
    if (m->imsi[0] && !ev->imsi[0])
        str_copy(ev->imsi, sizeof ev->imsi, m->imsi);
    if (m->imeisv[0] && !ev->imei[0])
        str_copy(ev->imei, sizeof ev->imei, m->imeisv);
    if (m->user_name[0] && !ev->user[0])
        str_copy(ev->user, sizeof ev->user, m->user_name);
    if (m->calling[0]) {
        if (e164(m->calling) && !ev->msisdn[0])
            str_copy(ev->msisdn, sizeof ev->msisdn, m->calling + (m->calling[0] == '+'));
        else if (!e164(m->calling) && !ev->station[0])
            str_copy(ev->station, sizeof ev->station, m->calling);
    }
    if (m->called[0] && !ev->apn[0])
        str_copy(ev->apn, sizeof ev->apn, m->called);
    if (m->cell[0])
        str_copy(ev->cell, sizeof ev->cell, m->cell);
    if (m->has_v4)
        set_v4(ev, m->v4);
    if (m->has_v6)
        set_v6(ev, m->v6);
}

static enum parse_rc radius_row_parse(void *state, enum dir d, struct cursor *c, uint64_t ts_us,
                                      const struct proto_emit *em)
{
    struct radius_msg m;
    enum parse_rc rc = radius_parse(c, &m);
    if (rc != PARSE_OK)
        return rc;
    struct cpx x = cpx_at(state, d, ts_us, em);
    if (m.code == RADIUS_ACCESS_REQUEST) {
        struct pending *q = stash(&x, m.id);
        if (!q)
            return PARSE_OK; /* no memory for the request: counted */
        q->type = m.code;
        radius_ev(&m, &q->ev);
    } else if (m.code == RADIUS_ACCESS_ACCEPT) {
        struct pending q;
        struct sub_binding ev;
        memset(&ev, 0, sizeof ev);
        if (take(&x, m.id, &q))
            ev = q.ev;
        radius_ev(&m, &ev); /* the accept's address (and any identity it repeats) */
        if ((ev.has_v4 || ev.has_v6) && (ev.user[0] || ev.station[0] || ev.imsi[0] ||
                                         ev.msisdn[0]))
            apply(&x, BIND_OPEN, &ev);
    } else if (m.code == RADIUS_ACCESS_REJECT) {
        struct pending q;
        if (take(&x, m.id, &q))
            count(&x, CPBIND_CNT_REJECTED);
    } else if (m.code == RADIUS_ACCT_REQUEST) {
        struct sub_binding ev;
        memset(&ev, 0, sizeof ev);
        radius_ev(&m, &ev);
        ev.session_key = text_key(P_RADIUS, 0, m.session);
        if (m.status_type == RADIUS_ACCT_START)
            apply(&x, BIND_OPEN, &ev);
        else if (m.status_type == RADIUS_ACCT_INTERIM)
            apply(&x, BIND_UPDATE, &ev);
        else if (m.status_type == RADIUS_ACCT_STOP)
            apply(&x, BIND_CLOSE, &ev);
    }
    return PARSE_OK;
}

/* ---- Diameter Gx / Gy ------------------------------------------------- */

static enum parse_rc gx_parse(void *state, enum dir d, struct cursor *c, uint64_t ts_us,
                              const struct proto_emit *em)
{
    struct gx_msg m;
    enum parse_rc rc = diameter_gx_parse(c, &m);
    if (rc != PARSE_OK)
        return rc;
    if (m.app != DIAMETER_APP_GX && m.app != DIAMETER_APP_DCCA)
        return PARSE_OK;
    struct cpx x = cpx_at(state, d, ts_us, em);
    uint64_t key = (uint64_t)m.hbh << 32 | m.e2e;
    if (m.request) {
        struct pending *q = stash(&x, key);
        if (!q)
            return PARSE_OK; /* no memory for the request: counted */
        q->type = (uint8_t)(m.req_type < 0 ? 0 : m.req_type);
        struct sub_binding *ev = &q->ev;
        ev->src = BIND_SRC_DIAMETER;
        str_copy(ev->imsi, sizeof ev->imsi, m.imsi);
        str_copy(ev->msisdn, sizeof ev->msisdn, m.msisdn);
        str_copy(ev->imei, sizeof ev->imei, m.imei);
        str_copy(ev->user, sizeof ev->user, m.sip_uri[0] ? m.sip_uri : m.nai);
        str_copy(ev->apn, sizeof ev->apn, m.apn);
        str_copy(ev->cell, sizeof ev->cell, m.cell);
        if (m.has_v4)
            set_v4(ev, m.v4);
        if (m.has_v6)
            set_v6(ev, m.v6);
        ev->session_key = text_key(P_DIAMETER, m.app, m.session);
        return PARSE_OK;
    }
    struct pending q;
    if (!take(&x, key, &q))
        return PARSE_OK;
    if (m.result < 2000 || m.result > 2999) { /* RFC 6733 section 7.1.2: 2xxx = success */
        count(&x, CPBIND_CNT_REJECTED);
        return PARSE_OK;
    }
    if (q.type == GX_INITIAL)
        apply(&x, BIND_OPEN, &q.ev);
    else if (q.type == GX_UPDATE)
        apply(&x, BIND_UPDATE, &q.ev);
    else if (q.type == GX_TERMINATION)
        apply(&x, BIND_CLOSE, &q.ev);
    return PARSE_OK;
}

/* ---- SIP REGISTER ----------------------------------------------------- */

enum parse_rc cpbind_sip(void *state, enum dir d, struct cursor *c, uint64_t ts_us,
                         const struct proto_emit *em)
{
    struct sip_reg_msg m;
    enum parse_rc rc = sip_reg_parse(c, &m);
    if (rc != PARSE_OK)
        return rc;
    struct cpx x = cpx_at(state, d, ts_us, em);
    uint64_t key = m.call_key ^ m.cseq;
    if (m.request) {
        struct pending *q = stash(&x, key);
        if (!q)
            return PARSE_OK; /* no memory for the request: counted */
        struct sub_binding *ev = &q->ev;
        ev->src = BIND_SRC_SIP;
        str_copy(ev->user, sizeof ev->user, m.impu);
        str_copy(ev->msisdn, sizeof ev->msisdn, m.msisdn);
        if (m.has_v4)
            set_v4(ev, m.v4);
        if (m.has_v6)
            set_v6(ev, m.v6);
        q->aux = m.expires == 0;
        return PARSE_OK;
    }
    struct pending q;
    if (!take(&x, key, &q))
        return PARSE_OK;
    if (m.status < 200 || m.status > 299) {
        count(&x, CPBIND_CNT_REJECTED);
        return PARSE_OK;
    }
    if (!q.ev.has_v4 && !q.ev.has_v6) {
        if (m.has_v4)
            set_v4(&q.ev, m.v4);
        if (m.has_v6)
            set_v6(&q.ev, m.v6);
    }
    apply(&x, q.aux || m.expires == 0 ? BIND_CLOSE : BIND_OPEN, &q.ev);
    return PARSE_OK;
}

/* ---- registry rows ----------------------------------------------------- */

static bool port_is(const struct proto_probe *pp, uint16_t a, uint16_t b)
{
    return pp->sport == a || pp->dport == a || pp->sport == b || pp->dport == b;
}

/* The bytes decide; the GTP-C ports (2123, GTPv0 3386) only narrow. */
static enum proto_outcome gtpc2_probe(const struct proto_probe *pp)
{
    if (!port_is(pp, GTPC_PORT, GTPC_PORT))
        return PROTO_EXCLUDE;
    return gtpv2c_probe(pp->bytes) ? PROTO_MATCH : PROTO_EXCLUDE;
}

static enum proto_outcome gtpc1_probe(const struct proto_probe *pp)
{
    if (!port_is(pp, GTPC_PORT, GTPV0_PORT))
        return PROTO_EXCLUDE;
    return gtpv1c_probe(pp->bytes) ? PROTO_MATCH : PROTO_EXCLUDE;
}

static enum proto_outcome radius_row_probe(const struct proto_probe *pp)
{
    if (!port_is(pp, RADIUS_AUTH_PORT, RADIUS_ACCT_PORT))
        return PROTO_EXCLUDE;
    return radius_probe(pp->bytes) ? PROTO_MATCH : PROTO_EXCLUDE;
}

static enum proto_outcome gx_probe(const struct proto_probe *pp)
{
    /* as the SGd row: a PPID or the port narrows, the header decides */
    if (pp->ppid != DIAMETER_SCTP_PPID && pp->ppid != DIAMETER_SCTP_PPID_DTLS &&
        pp->sport != DIAMETER_PORT && pp->dport != DIAMETER_PORT)
        return PROTO_EXCLUDE;
    return diameter_gx_probe(pp->bytes) ? PROTO_MATCH : PROTO_EXCLUDE;
}

static const char *const cp_counters[] = {"cp_invalid", NULL, NULL, "cp_bindings",
                                          "cp_orphan_responses", "cp_pending_evicted",
                                          "cp_pending_timeouts", "cp_rejected", "cp_nomem"};
_Static_assert(sizeof cp_counters / sizeof cp_counters[0] <= PROTO_MAX_COUNTERS,
               "cpbind counters exceed the registry's per-row slots");

const struct proto_ops gtpc2_proto = {
    .name = "gtpc2", .role = PROTO_ROLE_SIGNALLING, .transports = PROTO_T_UDP,
    .probe = gtpc2_probe, .state_new = cpbind_state_new, .state_free = cpbind_state_free,
    .parse = gtpc2_parse, .counter_names = cp_counters,
    .ncounters = sizeof cp_counters / sizeof cp_counters[0],
};

const struct proto_ops gtpc1_proto = {
    .name = "gtpc1", .role = PROTO_ROLE_SIGNALLING, .transports = PROTO_T_UDP,
    .probe = gtpc1_probe, .state_new = cpbind_state_new, .state_free = cpbind_state_free,
    .parse = gtpc1_parse, .counter_names = cp_counters,
    .ncounters = sizeof cp_counters / sizeof cp_counters[0],
};

const struct proto_ops radius_proto = {
    .name = "radius", .role = PROTO_ROLE_SIGNALLING, .transports = PROTO_T_UDP,
    .probe = radius_row_probe, .state_new = cpbind_state_new, .state_free = cpbind_state_free,
    .parse = radius_row_parse, .counter_names = cp_counters,
    .ncounters = sizeof cp_counters / sizeof cp_counters[0],
};

/* SCTP only here: the shared TCP adapter would need this row's framing and
 * the captures carry Gx / Gy over SCTP. */
const struct proto_ops gx_proto = {
    .name = "gx", .role = PROTO_ROLE_SIGNALLING, .transports = PROTO_T_SCTP,
    .probe = gx_probe, .state_new = cpbind_state_new, .state_free = cpbind_state_free,
    .parse = gx_parse, .counter_names = cp_counters,
    .ncounters = sizeof cp_counters / sizeof cp_counters[0],
};
