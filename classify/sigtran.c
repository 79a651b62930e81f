/* sigtran.c - SS7-over-IP stack walk (see sigtran.h). */
#include "classify/sigtran.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify/bssap.h"
#include "classify/dtap_sms.h"
#include "classify/m2pa.h"
#include "classify/m2ua.h"
#include "classify/m3ua.h"
#include "classify/mtp3.h"
#include "classify/proto.h"
#include "classify/ranap.h"
#include "classify/sccp.h"
#include "classify/sccp_conn.h"
#include "classify/sgsap.h"
#include "classify/sua.h"

/* Message classes the probe accepts per adaptation layer (RFC 4666 3.1.2,
 * RFC 4165 2.1, RFC 3331 3.1.2, RFC 3868 3.1.2). */
#define CLASS_M2PA 11
#define CLASS_M2UA_MAUP 6
#define CLASS_SUA_CL 7
#define CLASS_MAX_MGMT 4 /* MGMT 0, Transfer 1, SSNM 2, ASPSM 3, ASPTM 4 */

struct sigtran {
    struct sigtran_stats st;
    const char *service; /* what the association carries (proto_ops.service) */
    struct sccp_reasm *reasm;
    struct sccp_conn *conn;
};

struct sigtran *sigtran_new(void)
{
    struct sigtran *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    return s; /* the reassembly and connection tables come on first use */
}

void sigtran_free(struct sigtran *s)
{
    if (!s)
        return;
    sccp_reasm_free(s->reasm);
    sccp_conn_free(s->conn);
    free(s);
}

static bool port_is(uint16_t a, uint16_t b, uint16_t p) { return a == p || b == p; }

bool sigtran_probe(uint32_t ppid, uint16_t sport, uint16_t dport, struct span u)
{
    uint8_t cls = span_at(u, 2);
    if (u.n >= 8 && span_at(u, 0) == 1) {
        if (ppid == M3UA_PPID)
            return true;
        if (ppid == M2PA_PPID || (ppid == 0 && port_is(sport, dport, M2PA_PORT)))
            return cls == CLASS_M2PA;
        if (ppid == M2UA_PPID || (ppid == 0 && port_is(sport, dport, M2UA_PORT)))
            return cls == CLASS_M2UA_MAUP || cls <= CLASS_MAX_MGMT;
        if (ppid == SUA_PPID || (ppid == 0 && port_is(sport, dport, SUA_PORT)))
            return cls == CLASS_SUA_CL || cls <= CLASS_MAX_MGMT;
    }
    return ppid == SGSAP_PPID && port_is(sport, dport, SGSAP_PORT) && sgsap_probe(u);
}

/* Feeds a segment to the flow's reassembly table (made on first use):
 * true with *whole set when the message is complete. */
static bool reassemble(struct sigtran *s, const struct sccp_msg *m, uint64_t ts_us,
                       struct cursor *whole)
{
    if (!s->reasm && !(s->reasm = sccp_reasm_new())) {
        s->st.nomem++;
        return false;
    }
    return sccp_reasm_push(s->reasm, m, ts_us, whole) == PARSE_OK;
}

/* The L3 message of a connection's data: RANAP NAS-PDU or BSSAP DTAP /
 * Complete Layer 3, chosen by the CR's called SSN, else by the first
 * octet (BSSAP DTAP starts 0x01, a RANAP initiatingMessage 0x00). */
static const char *co_l3(struct cursor data, int ssn, struct cursor *l3, bool *initial)
{
    struct cursor c = data;
    bool ranap_first = ssn == RANAP_SSN || (ssn != BSSAP_SSN && cur_peek(&data, 0) != 0x01);
    for (int i = 0; i < 2; i++, ranap_first = !ranap_first) {
        c = data;
        if (ranap_first && ranap_nas_pdu(&c, l3, initial) == PARSE_OK)
            return "ranap";
        if (!ranap_first && bssap_l3(&c, l3, initial) == PARSE_OK)
            return "bssap";
        if (ssn == RANAP_SSN || ssn == BSSAP_SSN)
            break; /* the SSN decided */
    }
    return NULL;
}

/* SCCP connection-oriented message -> BSSAP / RANAP -> DTAP SMS.  Returns
 * the protocol name when the message parsed as SCCP CO. */
static const char *sccp_co(struct sigtran *s, struct cursor *c, int64_t opc, int64_t dpc,
                           uint64_t ts_us, sms_leg_fn fn, void *user)
{
    struct sccp_co co;
    if (sccp_co_parse(c, &co) != PARSE_OK)
        return NULL;
    if (!s->conn && !(s->conn = sccp_conn_new())) {
        s->st.nomem++;
        return "sccp";
    }
    uint64_t pcs = sccp_conn_pcs(opc, dpc);
    struct sccp_conn_entry *e = NULL;
    switch (co.type) {
    case SCCP_CR:
        e = sccp_conn_open(s->conn, pcs, co.src_ref, co.called.ssn, ts_us);
        break;
    case SCCP_CC:
        e = sccp_conn_find(s->conn, pcs, co.dst_ref, ts_us);
        if (e) {
            e->ref_b = co.src_ref;
            e->has_b = true;
        }
        break;
    case SCCP_DT1:
        e = sccp_conn_find(s->conn, pcs, co.dst_ref, ts_us);
        break;
    default: /* RLSD, RLC, CREF: the connection ends */
        sccp_conn_close(s->conn, sccp_conn_find(s->conn, pcs, co.dst_ref, ts_us));
        return "sccp";
    }
    if (!co.has_data)
        return "sccp";
    struct cursor l3;
    bool initial;
    const char *proto = co_l3(co.data, e ? e->ssn : -1, &l3, &initial);
    if (!proto)
        return "sccp";
    if (initial && e)
        e->id_type = dtap_sms_l3_identity(l3, e->id, sizeof e->id);
    if ((cur_peek(&l3, 0) & 0x0f) != DTAP_PD_SMS)
        return proto;
    char detail[48] = "";
    if (e && e->id_type == 4)
        snprintf(detail, sizeof detail, "tmsi=%s", e->id);
    struct dtap_sms_ctx x = {proto, e && e->id_type == 1 ? e->id : "",
                             e ? e->key : (uint64_t)co.dst_ref << 32 | 0xffffffffu, detail};
    if (dtap_sms_parse(&l3, &x, ts_us, fn, user) < 0)
        s->st.invalid++;
    return proto;
}

/* SCCP message -> (reassembly) -> TCAP/MAP.  Returns true when SCCP parsed. */
static bool sccp_tcap(struct sigtran *s, struct cursor *c, const char *via, int64_t opc,
                      int64_t dpc, int dir, uint64_t ts_us, sms_leg_fn fn, void *user)
{
    struct sccp_msg m;
    if (sccp_parse(c, &m) != PARSE_OK)
        return false;
    m.via = via;
    m.opc = opc;
    m.dpc = dpc;
    struct cursor data = m.data;
    if (m.seg.present && !(m.seg.first && m.seg.remaining == 0) &&
        !reassemble(s, &m, ts_us, &data))
        return true; /* waiting for more segments, or refused (counted) */
    if (tcap_map_parse(&data, &m, dir, ts_us, fn, user, &s->st.tcap) < 0)
        s->st.tcap.invalid++;
    return true;
}

/* MTP3 message -> SCCP.  The routing label's variant is not signalled in
 * the message: ITU first, then ANSI when the SCCP message does not parse
 * at the ITU offsets. */
static const char *mtp3_under(struct sigtran *s, struct cursor *c, const char *via, int dir,
                              uint64_t ts_us, sms_leg_fn fn, void *user)
{
    for (int v = MTP3_ITU; v <= MTP3_ANSI; v++) {
        struct cursor cc = *c;
        struct mtp3_msg m;
        if (mtp3_parse(&cc, (enum mtp3_variant)v, &m) != PARSE_OK || m.si != MTP3_SI_SCCP)
            return NULL;
        struct cursor co = m.payload;
        if (v == MTP3_ITU && cur_peek(&co, 0) != SCCP_UDT && cur_peek(&co, 0) != SCCP_XUDT &&
            cur_peek(&co, 0) != SCCP_LUDT) {
            const char *svc = sccp_co(s, &co, m.opc, m.dpc, ts_us, fn, user);
            if (svc)
                return svc;
        }
        if (sccp_tcap(s, &m.payload, via, m.opc, m.dpc, dir, ts_us, fn, user)) {
            if (v == MTP3_ANSI)
                s->st.mtp3_ansi++;
            return "map";
        }
    }
    s->st.invalid++;
    return NULL;
}

/* The adaptation layer a DATA chunk carries, from its PPID, ports and
 * first bytes (sigtran_probe's decision), or -1. */
static int layer_of(uint32_t ppid, uint16_t sport, uint16_t dport, struct span u)
{
    if (!sigtran_probe(ppid, sport, dport, u))
        return -1;
    if (ppid == M3UA_PPID)
        return SIGTRAN_M3UA;
    if (span_at(u, 0) == 1 && span_at(u, 2) == CLASS_M2PA)
        return SIGTRAN_M2PA;
    if (ppid == M2UA_PPID || port_is(sport, dport, M2UA_PORT))
        return SIGTRAN_M2UA;
    if (ppid == SUA_PPID || port_is(sport, dport, SUA_PORT))
        return SIGTRAN_SUA;
    return SIGTRAN_SGSAP;
}

const char *sigtran_layer(struct sigtran *s, enum sigtran_layer layer, struct cursor *user,
                          int dir, uint64_t ts_us, sms_leg_fn fn, void *user_arg)
{
    enum parse_rc rc;
    const char *svc;
    switch (layer) {
    case SIGTRAN_M3UA: {
        struct m3ua_data m;
        rc = m3ua_parse(user, &m);
        if (rc == PARSE_NEED_MORE)
            return "m3ua"; /* management, ASP state, ...: signalling, no data */
        if (rc) {
            s->st.invalid++;
            return NULL;
        }
        s->st.m3ua++;
        if (m.si != M3UA_SI_SCCP)
            return "m3ua";
        struct cursor co = m.payload;
        if (sccp_tcap(s, &m.payload, "m3ua", m.opc, m.dpc, dir, ts_us, fn, user_arg))
            return "map";
        svc = sccp_co(s, &co, m.opc, m.dpc, ts_us, fn, user_arg);
        return svc ? svc : "m3ua";
    }
    case SIGTRAN_M2PA: {
        struct m2pa_msg m;
        rc = m2pa_parse(user, &m);
        if (rc != PARSE_OK) {
            s->st.invalid += rc != PARSE_NEED_MORE;
            return rc == PARSE_NEED_MORE ? "m2pa" : NULL;
        }
        s->st.m2pa++;
        svc = mtp3_under(s, &m.mtp3, "m2pa", dir, ts_us, fn, user_arg);
        return svc ? svc : "m2pa";
    }
    case SIGTRAN_M2UA: {
        struct m2ua_data m;
        rc = m2ua_parse(user, &m);
        if (rc != PARSE_OK) {
            s->st.invalid += rc != PARSE_NEED_MORE;
            return rc == PARSE_NEED_MORE ? "m2ua" : NULL;
        }
        s->st.m2ua++;
        svc = mtp3_under(s, &m.mtp3, "m2ua", dir, ts_us, fn, user_arg);
        return svc ? svc : "m2ua";
    }
    case SIGTRAN_SUA: {
        struct sccp_msg m;
        rc = sua_parse(user, &m);
        if (rc != PARSE_OK) {
            s->st.invalid += rc != PARSE_NEED_MORE;
            return rc == PARSE_NEED_MORE ? "sua" : NULL;
        }
        s->st.sua++;
        struct cursor data = m.data;
        if (m.seg.present && !(m.seg.first && m.seg.remaining == 0) &&
            !reassemble(s, &m, ts_us, &data))
            return "map";
        if (tcap_map_parse(&data, &m, dir, ts_us, fn, user_arg, &s->st.tcap) < 0)
            s->st.tcap.invalid++;
        return "map";
    }
    case SIGTRAN_SGSAP:
        s->st.sgsap++;
        if (sgsap_parse(user, ts_us, fn, user_arg) < 0) {
            s->st.invalid++;
            return NULL;
        }
        return "sgsap";
    }
    return NULL;
}

const char *sigtran_data(struct sigtran *s, uint32_t ppid, uint16_t sport, uint16_t dport,
                         struct cursor *user, int dir, uint64_t ts_us, sms_leg_fn fn,
                         void *user_arg)
{
    int layer = layer_of(ppid, sport, dport, cur_rest(user));
    if (layer < 0)
        return NULL;
    return sigtran_layer(s, (enum sigtran_layer)layer, user, dir, ts_us, fn, user_arg);
}

const char *sigtran_mtp3(struct sigtran *s, struct cursor *c, int dir, uint64_t ts_us,
                         sms_leg_fn fn, void *user_arg)
{
    s->st.mtp3++;
    return mtp3_under(s, c, "mtp3", dir, ts_us, fn, user_arg);
}

void sigtran_get_stats(const struct sigtran *s, struct sigtran_stats *out)
{
    *out = s->st;
    if (s->reasm)
        sccp_reasm_get_stats(s->reasm, &out->reasm);
    if (s->conn)
        sccp_conn_get_stats(s->conn, &out->conn);
}

/* ---- registry rows (classify/proto.h) --------------------------------- */

/* Counters of the rows: the shared PROTO_CNT_* slots, then the SCCP
 * tables' (summed over flows at flow end, by name, across the rows). */
enum { CNT_REASSEMBLED = 3, CNT_REASM_DROPPED, CNT_REASM_OVERSIZE, CNT_CONN_UNKNOWN, CNT_NOMEM };

static const char *const counter_names[] = {
    "sms_pdus_invalid", NULL, NULL, "sccp_reassembled", "sccp_reasm_dropped",
    "sccp_reasm_oversize", "sccp_conn_unknown_ref", "sms_nomem"};

_Static_assert(sizeof counter_names / sizeof counter_names[0] <= PROTO_MAX_COUNTERS,
               "sigtran counters fit a row");

static void *state_new(uint8_t transport)
{
    (void)transport;
    return sigtran_new();
}

static void state_free(void *state) { sigtran_free(state); }

/* Adds what the association's tables counted to the row's counters. */
static void flow_end(void *state, const struct proto_emit *emit)
{
    struct sigtran_stats st;
    if (!state || !emit->counters)
        return;
    sigtran_get_stats(state, &st);
    emit->counters[PROTO_CNT_INVALID] += st.invalid + st.tcap.invalid;
    emit->counters[CNT_REASSEMBLED] += st.reasm.reassembled;
    emit->counters[CNT_REASM_DROPPED] +=
        st.reasm.timed_out + st.reasm.evicted + st.reasm.out_of_order;
    emit->counters[CNT_REASM_OVERSIZE] += st.reasm.oversize;
    emit->counters[CNT_CONN_UNKNOWN] += st.conn.unknown_ref;
    emit->counters[CNT_NOMEM] += st.nomem + st.reasm.nomem;
}

/* How much a service name says: a user part (MAP, SMS over SGs, the
 * circuit-switched legs) > SCCP alone > the adaptation layer. */
static int service_rank(const char *svc)
{
    if (!svc)
        return 0;
    if (strcmp(svc, "sccp") == 0)
        return 2;
    if (strcmp(svc, "m3ua") == 0 || strcmp(svc, "m2pa") == 0 || strcmp(svc, "m2ua") == 0 ||
        strcmp(svc, "sua") == 0 || strcmp(svc, "mtp3") == 0)
        return 1;
    return 3;
}

static enum parse_rc parse_layer(enum sigtran_layer l, void *state, enum dir d,
                                 struct cursor *c, uint64_t ts_us,
                                 const struct proto_emit *emit)
{
    struct sigtran *s = state;
    if (!s)
        return PARSE_INVALID;
    /* a recognised message is evidence of signalling: the flow is claimed
     * (and classed carrier-signalling until an SMS is decoded on it) */
    const char *svc = sigtran_layer(s, l, c, (int)d, ts_us, emit->sms, emit->ctx);
    if (!svc)
        return PARSE_OK;
    if (service_rank(svc) > service_rank(s->service))
        s->service = svc;
    proto_emit_claim(emit);
    return PARSE_OK;
}

static const char *service(const void *state)
{
    const struct sigtran *s = state;
    return s ? s->service : NULL;
}

static enum proto_outcome probe_layer(enum sigtran_layer l, const struct proto_probe *pp)
{
    if (pp->transport != PROTO_T_SCTP)
        return PROTO_EXCLUDE;
    if (pp->bytes.n < 8 && l != SIGTRAN_SGSAP)
        return PROTO_NEED_MORE;
    return layer_of(pp->ppid, pp->sport, pp->dport, pp->bytes) == (int)l ? PROTO_MATCH
                                                                        : PROTO_EXCLUDE;
}

#define SIGTRAN_ROW(var, nm, layer)                                                       \
    static enum proto_outcome probe_##var(const struct proto_probe *pp)                   \
    {                                                                                     \
        return probe_layer(layer, pp);                                                    \
    }                                                                                     \
    static enum parse_rc parse_##var(void *state, enum dir d, struct cursor *c,           \
                                     uint64_t ts_us, const struct proto_emit *emit)       \
    {                                                                                     \
        return parse_layer(layer, state, d, c, ts_us, emit);                              \
    }                                                                                     \
    const struct proto_ops var = {                                                        \
        .name = nm,                                                                       \
        .role = PROTO_ROLE_SIGNALLING,                                                    \
        .cls = SIG_CLASS_CARRIER_SMS,                                                     \
        .transports = PROTO_T_SCTP,                                                       \
        .probe = probe_##var,                                                             \
        .state_new = state_new,                                                           \
        .state_free = state_free,                                                         \
        .parse = parse_##var,                                                             \
        .flow_end = flow_end,                                                             \
        .service = service,                                                               \
        .counter_names = counter_names,                                                   \
        .ncounters = sizeof counter_names / sizeof counter_names[0],                      \
    }

SIGTRAN_ROW(map_proto, "map", SIGTRAN_M3UA);
SIGTRAN_ROW(m2pa_proto, "m2pa", SIGTRAN_M2PA);
SIGTRAN_ROW(m2ua_proto, "m2ua", SIGTRAN_M2UA);
SIGTRAN_ROW(sua_proto, "sua", SIGTRAN_SUA);
SIGTRAN_ROW(sgsap_proto, "sgsap", SIGTRAN_SGSAP);

/* The MTP3 row (SS7 link captures): every packet is one MTP3 message. */
static enum proto_outcome probe_mtp3(const struct proto_probe *pp)
{
    if (pp->transport != PROTO_T_MTP3)
        return PROTO_EXCLUDE;
    struct cursor c = cur_init(pp->bytes.p, pp->bytes.n);
    struct mtp3_msg m;
    return mtp3_parse(&c, MTP3_ITU, &m) == PARSE_OK ? PROTO_MATCH : PROTO_EXCLUDE;
}

static enum parse_rc parse_mtp3(void *state, enum dir d, struct cursor *c, uint64_t ts_us,
                                const struct proto_emit *emit)
{
    struct sigtran *s = state;
    if (!s)
        return PARSE_INVALID;
    struct cursor lc = *c;
    struct mtp3_msg m;
    if (mtp3_parse(&lc, MTP3_ITU, &m) != PARSE_OK)
        return PARSE_INVALID;
    const char *svc = sigtran_mtp3(s, c, (int)d, ts_us, emit->sms, emit->ctx);
    if (!svc)
        svc = "mtp3"; /* ISUP, management, or an SCCP message we do not decode */
    if (service_rank(svc) > service_rank(s->service))
        s->service = svc;
    proto_emit_claim(emit);
    return PARSE_OK;
}

const struct proto_ops mtp3_proto = {
    .name = "mtp3",
    .role = PROTO_ROLE_SIGNALLING,
    .cls = SIG_CLASS_CARRIER_SMS,
    .transports = PROTO_T_MTP3,
    .probe = probe_mtp3,
    .state_new = state_new,
    .state_free = state_free,
    .parse = parse_mtp3,
    .flow_end = flow_end,
    .service = service,
    .counter_names = counter_names,
    .ncounters = sizeof counter_names / sizeof counter_names[0],
};
