/* cpbind.c - control plane to subscriber bindings (see cpbind.h). */
#include "classify/cpbind.h"

#include <stdlib.h>
#include <string.h>

#include "capture/str.h"
#include "classify/diameter_gx.h"
#include "classify/gtpv1c.h"
#include "classify/gtpv2c.h"
#include "classify/radius.h"
#include "classify/sip_reg.h"

#define SIP_PORT 5060 /* RFC 3261 section 18.1.1 */
#define GTPV0_PORT 3386 /* GSM 09.60 section 7.2 (GTPv0 signalling and user plane) */

/* GTPv2 causes 16-19 accept a request (TS 29.274 table 8.4-1). */
#define V2_CAUSE_ACCEPTED_MIN 16
#define V2_CAUSE_ACCEPTED_MAX 19

struct pending {
    bool used;
    enum cp_proto proto;
    uint8_t type;        /* request message type / code / CC-Request-Type */
    bool aux;            /* GTPv2 Delete Bearer: LBI present */
    uint64_t key, ts_us;
    uint32_t hdr_teid;   /* request header TEID (the responder's control TEID) */
    uint8_t alen, dst[16];
    struct sub_binding ev;
};

struct cpbind {
    struct binding_table *t;
    struct pending pend[CPBIND_PAIR_MAX];
    struct cpbind_stats st;
};

struct cpbind *cpbind_new(struct binding_table *t)
{
    struct cpbind *cb = calloc(1, sizeof *cb);
    if (cb)
        cb->t = t;
    return cb;
}

void cpbind_free(struct cpbind *cb) { free(cb); }

const struct cpbind_stats *cpbind_stats(const struct cpbind *cb) { return &cb->st; }

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3u;
    return h;
}

/* Key of a transaction: protocol, its id, requester then responder address
 * (a response passes them swapped). */
static uint64_t pair_key(enum cp_proto proto, uint64_t id, const struct cp_packet *p,
                         bool response)
{
    uint64_t h = fnv(0xcbf29ce484222325u, &proto, sizeof proto);
    h = fnv(h, &id, sizeof id);
    const uint8_t *req = response ? p->dst : p->src, *resp = response ? p->src : p->dst;
    h = fnv(h, req, p->alen);
    return fnv(h, resp, p->alen);
}

/* Key of a session named by text (Acct-Session-Id, Diameter Session-Id)
 * within a protocol and application (Gx and Gy sessions may share an id). */
static uint64_t text_key(enum cp_proto proto, uint32_t app, const char *s)
{
    if (!s[0])
        return 0;
    uint64_t h = fnv(0xcbf29ce484222325u, &proto, sizeof proto);
    h = fnv(h, &app, sizeof app);
    h = fnv(h, s, strlen(s));
    return h | 1; /* never 0 (= no key) */
}

static void expire(struct cpbind *cb, uint64_t now)
{
    for (size_t i = 0; i < CPBIND_PAIR_MAX; i++) {
        struct pending *q = &cb->pend[i];
        if (q->used && now > q->ts_us && now - q->ts_us > CPBIND_PAIR_TIMEOUT_US) {
            q->used = false;
            cb->st.pair_timeouts++;
        }
    }
}

static struct pending *stash(struct cpbind *cb, enum cp_proto proto, uint64_t key,
                             const struct cp_packet *p)
{
    expire(cb, p->ts_us);
    struct pending *slot = NULL, *oldest = NULL;
    for (size_t i = 0; i < CPBIND_PAIR_MAX; i++) {
        struct pending *q = &cb->pend[i];
        if (q->used && q->proto == proto && q->key == key) {
            slot = q; /* a retransmission replaces the earlier copy */
            break;
        }
        if (!q->used && !slot)
            slot = q;
        if (q->used && (!oldest || q->ts_us < oldest->ts_us))
            oldest = q;
    }
    if (!slot) {
        slot = oldest;
        cb->st.pair_evicted++;
    }
    memset(slot, 0, sizeof *slot);
    slot->used = true;
    slot->proto = proto;
    slot->key = key;
    slot->ts_us = p->ts_us;
    slot->alen = p->alen;
    memcpy(slot->dst, p->dst, sizeof slot->dst);
    slot->ev.flow_id = p->flow_id;
    return slot;
}

/* Takes the pending request for key (copied to *out); false when none. */
static bool take(struct cpbind *cb, enum cp_proto proto, uint64_t key, struct pending *out)
{
    for (size_t i = 0; i < CPBIND_PAIR_MAX; i++) {
        struct pending *q = &cb->pend[i];
        if (q->used && q->proto == proto && q->key == key) {
            *out = *q;
            q->used = false;
            cb->st.paired++;
            return true;
        }
    }
    cb->st.unpaired_resp++;
    return false;
}

static void apply(struct cpbind *cb, enum bind_op op, struct sub_binding *ev,
                  const struct cp_packet *p)
{
    ev->evidence_us = p->ts_us;
    if (!ev->flow_id)
        ev->flow_id = p->flow_id;
    if (binding_table_apply(cb->t, op, ev))
        cb->st.applied++;
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

static void v2_fteids(const struct gtpv2c_msg *m, struct sub_binding *ev)
{
    for (unsigned i = 0; i < m->nfteid; i++) {
        const struct gtpv2c_fteid *f = &m->fteid[i];
        if (f->has_v4)
            binding_add_teid(ev, f->teid, !f->bearer, f->v4, 4, NULL);
        else if (f->has_v6)
            binding_add_teid(ev, f->teid, !f->bearer, f->v6, 16, NULL);
        else
            binding_add_teid(ev, f->teid, !f->bearer, NULL, 0, NULL);
    }
}

static void v2_request(struct cpbind *cb, const struct gtpv2c_msg *m, const struct cp_packet *p)
{
    struct pending *q = stash(cb, CP_GTPV2, pair_key(CP_GTPV2, m->seq, p, false), p);
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

static void v2_response(struct cpbind *cb, const struct gtpv2c_msg *m, const struct cp_packet *p)
{
    struct pending q;
    if (!take(cb, CP_GTPV2, pair_key(CP_GTPV2, m->seq, p, true), &q))
        return;
    if (m->cause >= 0 && (m->cause < V2_CAUSE_ACCEPTED_MIN || m->cause > V2_CAUSE_ACCEPTED_MAX)) {
        cb->st.rejected++;
        return;
    }
    struct sub_binding *ev = &q.ev;
    /* the request's header TEID is the responder's control TEID */
    if (q.hdr_teid)
        binding_add_teid(ev, q.hdr_teid, true, q.dst, q.alen, NULL);
    switch (q.type) {
    case GTPV2C_CREATE_SESSION_REQ:
        if (m->has_v4)
            set_v4(ev, m->v4);
        if (m->has_v6)
            set_v6(ev, m->v6);
        v2_fteids(m, ev);
        apply(cb, BIND_OPEN, ev, p);
        break;
    case GTPV2C_MODIFY_BEARER_REQ:
        v2_fteids(m, ev);
        if (m->cell[0])
            str_copy(ev->cell, sizeof ev->cell, m->cell);
        apply(cb, BIND_UPDATE, ev, p);
        break;
    case GTPV2C_DELETE_SESSION_REQ:
        apply(cb, BIND_CLOSE, ev, p);
        break;
    case GTPV2C_DELETE_BEARER_REQ:
        apply(cb, q.aux ? BIND_CLOSE : BIND_UPDATE, ev, p);
        break;
    default:
        break;
    }
}

static bool feed_gtpv2(struct cpbind *cb, const struct cp_packet *p)
{
    struct gtpv2c_msg m;
    struct cursor c = cur_init(p->payload.p, p->payload.n);
    enum parse_rc rc = gtpv2c_parse(&c, &m);
    if (rc != PARSE_OK) {
        rc == PARSE_TRUNCATED ? cb->st.truncated++ : cb->st.invalid++;
        return false;
    }
    cb->st.messages[CP_GTPV2]++;
    switch (m.type) {
    case GTPV2C_CREATE_SESSION_REQ:
    case GTPV2C_MODIFY_BEARER_REQ:
    case GTPV2C_DELETE_SESSION_REQ:
    case GTPV2C_DELETE_BEARER_REQ:
        v2_request(cb, &m, p);
        break;
    case GTPV2C_CREATE_SESSION_RESP:
    case GTPV2C_MODIFY_BEARER_RESP:
    case GTPV2C_DELETE_SESSION_RESP:
    case GTPV2C_DELETE_BEARER_RESP:
        v2_response(cb, &m, p);
        break;
    default:
        break;
    }
    return true;
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

static bool feed_gtpv1(struct cpbind *cb, const struct cp_packet *p)
{
    struct gtpv1c_msg m;
    struct cursor c = cur_init(p->payload.p, p->payload.n);
    enum parse_rc rc = gtpv1c_parse(&c, &m);
    if (rc != PARSE_OK) {
        rc == PARSE_TRUNCATED ? cb->st.truncated++ : cb->st.invalid++;
        return false;
    }
    cb->st.messages[CP_GTPV1]++;
    bool v0 = m.version == 0;
    uint64_t key = pair_key(CP_GTPV1, (uint64_t)m.version << 32 | m.seq, p,
                            (m.type & 1u) != 0);
    switch (m.type) {
    case GTPV1C_CREATE_PDP_REQ:
    case GTPV1C_UPDATE_PDP_REQ:
    case GTPV1C_DELETE_PDP_REQ: {
        struct pending *q = stash(cb, CP_GTPV1, key, p);
        q->type = m.type;
        q->hdr_teid = v0 ? 0 : m.teid;
        struct sub_binding *ev = &q->ev;
        ev->src = v0 ? BIND_SRC_GTPV0 : BIND_SRC_GTPV1;
        if (m.type == GTPV1C_CREATE_PDP_REQ || !v0)
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
        if (!take(cb, CP_GTPV1, key, &q))
            break;
        if (m.cause != GTPV1C_CAUSE_ACCEPTED) {
            cb->st.rejected++;
            break;
        }
        struct sub_binding *ev = &q.ev;
        if (q.hdr_teid)
            binding_add_teid(ev, q.hdr_teid, true, q.dst, q.alen, NULL);
        if (m.has_v4)
            set_v4(ev, m.v4);
        if (m.has_v6)
            set_v6(ev, m.v6);
        if (!v0)
            v1_teids(&m, ev);
        enum bind_op op = q.type == GTPV1C_CREATE_PDP_REQ   ? BIND_OPEN
                          : q.type == GTPV1C_UPDATE_PDP_REQ ? BIND_UPDATE
                                                            : BIND_CLOSE;
        if (op == BIND_CLOSE) {
            /* the delete names the session by TEID / TID, not by identity */
            ev->imsi[0] = ev->msisdn[0] = ev->imei[0] = '\0';
        }
        apply(cb, op, ev, p);
        break;
    }
    default:
        break;
    }
    return true;
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

static bool feed_radius(struct cpbind *cb, const struct cp_packet *p)
{
    struct radius_msg m;
    struct cursor c = cur_init(p->payload.p, p->payload.n);
    enum parse_rc rc = radius_parse(&c, &m);
    if (rc != PARSE_OK) {
        rc == PARSE_TRUNCATED ? cb->st.truncated++ : cb->st.invalid++;
        return false;
    }
    cb->st.messages[CP_RADIUS]++;
    /* RFC 2865 section 5: identifier + the client's address and port */
    bool resp = m.code == RADIUS_ACCESS_ACCEPT || m.code == RADIUS_ACCESS_REJECT ||
                m.code == RADIUS_ACCESS_CHALLENGE;
    uint16_t cport = resp ? p->dport : p->sport;
    uint64_t key = pair_key(CP_RADIUS, (uint64_t)cport << 8 | m.id, p, resp);
    if (m.code == RADIUS_ACCESS_REQUEST) {
        struct pending *q = stash(cb, CP_RADIUS, key, p);
        q->type = m.code;
        radius_ev(&m, &q->ev);
    } else if (m.code == RADIUS_ACCESS_ACCEPT) {
        struct pending q;
        struct sub_binding ev;
        memset(&ev, 0, sizeof ev);
        if (take(cb, CP_RADIUS, key, &q))
            ev = q.ev;
        radius_ev(&m, &ev); /* the accept's address (and any identity it repeats) */
        if (ev.has_v4 || ev.has_v6)
            apply(cb, BIND_OPEN, &ev, p);
    } else if (m.code == RADIUS_ACCESS_REJECT || m.code == RADIUS_ACCESS_CHALLENGE) {
        struct pending q;
        if (m.code == RADIUS_ACCESS_REJECT && take(cb, CP_RADIUS, key, &q))
            cb->st.rejected++;
    } else if (m.code == RADIUS_ACCT_REQUEST) {
        struct sub_binding ev;
        memset(&ev, 0, sizeof ev);
        radius_ev(&m, &ev);
        ev.session_key = text_key(CP_RADIUS, 0, m.session);
        if (m.status_type == RADIUS_ACCT_START)
            apply(cb, BIND_OPEN, &ev, p);
        else if (m.status_type == RADIUS_ACCT_INTERIM)
            apply(cb, BIND_UPDATE, &ev, p);
        else if (m.status_type == RADIUS_ACCT_STOP)
            apply(cb, BIND_CLOSE, &ev, p);
    }
    return true;
}

/* ---- Diameter Gx / Gy ------------------------------------------------- */

static bool feed_diameter(struct cpbind *cb, const struct cp_packet *p)
{
    struct gx_msg m;
    struct cursor c = cur_init(p->payload.p, p->payload.n);
    enum parse_rc rc = diameter_gx_parse(&c, &m);
    if (rc != PARSE_OK) {
        rc == PARSE_TRUNCATED ? cb->st.truncated++ : cb->st.invalid++;
        return false;
    }
    if (m.app != DIAMETER_APP_GX && m.app != DIAMETER_APP_DCCA)
        return false;
    cb->st.messages[CP_DIAMETER]++;
    uint64_t key = pair_key(CP_DIAMETER, (uint64_t)m.hbh << 32 | m.e2e, p, !m.request);
    if (m.request) {
        struct pending *q = stash(cb, CP_DIAMETER, key, p);
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
        ev->session_key = text_key(CP_DIAMETER, m.app, m.session);
        return true;
    }
    struct pending q;
    if (!take(cb, CP_DIAMETER, key, &q))
        return true;
    if (m.result < 2000 || m.result > 2999) { /* RFC 6733 section 7.1.2: 2xxx = success */
        cb->st.rejected++;
        return true;
    }
    switch (q.type) {
    case GX_INITIAL:
        apply(cb, BIND_OPEN, &q.ev, p);
        break;
    case GX_UPDATE:
        apply(cb, BIND_UPDATE, &q.ev, p);
        break;
    case GX_TERMINATION:
        apply(cb, BIND_CLOSE, &q.ev, p);
        break;
    default:
        break;
    }
    return true;
}

/* ---- SIP REGISTER ----------------------------------------------------- */

static bool feed_sip(struct cpbind *cb, const struct cp_packet *p)
{
    struct sip_reg_msg m;
    struct cursor c = cur_init(p->payload.p, p->payload.n);
    if (sip_reg_parse(&c, &m) != PARSE_OK)
        return false;
    cb->st.messages[CP_SIP]++;
    uint64_t key = pair_key(CP_SIP, m.call_key ^ m.cseq, p, !m.request);
    if (m.request) {
        struct pending *q = stash(cb, CP_SIP, key, p);
        struct sub_binding *ev = &q->ev;
        ev->src = BIND_SRC_SIP;
        str_copy(ev->user, sizeof ev->user, m.impu);
        str_copy(ev->msisdn, sizeof ev->msisdn, m.msisdn);
        if (m.has_v4)
            set_v4(ev, m.v4);
        if (m.has_v6)
            set_v6(ev, m.v6);
        q->aux = m.expires == 0;
        return true;
    }
    struct pending q;
    if (!take(cb, CP_SIP, key, &q))
        return true;
    if (m.status < 200 || m.status > 299) {
        cb->st.rejected++;
        return true;
    }
    if (!q.ev.has_v4 && !q.ev.has_v6) {
        if (m.has_v4)
            set_v4(&q.ev, m.v4);
        if (m.has_v6)
            set_v6(&q.ev, m.v6);
    }
    apply(cb, q.aux || m.expires == 0 ? BIND_CLOSE : BIND_OPEN, &q.ev, p);
    return true;
}

/* ---- dispatch ---------------------------------------------------------- */

static bool port(const struct cp_packet *p, uint16_t a, uint16_t b)
{
    return p->sport == a || p->dport == a || p->sport == b || p->dport == b;
}

enum cp_proto cpbind_probe_udp(const struct cp_packet *p)
{
    struct span s = p->payload;
    /* a port only decides the order of the structural tests */
    if (port(p, GTPC_PORT, GTPV0_PORT)) {
        if (gtpv2c_probe(s))
            return CP_GTPV2;
        if (gtpv1c_probe(s))
            return CP_GTPV1;
    }
    if (port(p, RADIUS_AUTH_PORT, RADIUS_ACCT_PORT) && radius_probe(s))
        return CP_RADIUS;
    if (port(p, SIP_PORT, SIP_PORT) && s.n >= 9 &&
        (!memcmp(s.p, "REGISTER ", 9) || !memcmp(s.p, "SIP/2.0 ", 8)))
        return CP_SIP;
    return CP_NONE;
}

bool cpbind_feed(struct cpbind *cb, enum cp_proto proto, const struct cp_packet *p)
{
    if (p->alen != 4 && p->alen != 16)
        return false;
    switch (proto) {
    case CP_GTPV2: return feed_gtpv2(cb, p);
    case CP_GTPV1: return feed_gtpv1(cb, p);
    case CP_RADIUS: return feed_radius(cb, p);
    case CP_DIAMETER: return feed_diameter(cb, p);
    case CP_SIP: return feed_sip(cb, p);
    case CP_NONE: break;
    }
    return false;
}
