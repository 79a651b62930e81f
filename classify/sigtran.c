/* sigtran.c - SS7-over-IP stack walk (see sigtran.h). */
#include "classify/sigtran.h"

#include <stdio.h>
#include <stdlib.h>

#include "classify/bssap.h"
#include "classify/dtap_sms.h"
#include "classify/m2pa.h"
#include "classify/m2ua.h"
#include "classify/m3ua.h"
#include "classify/mtp3.h"
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
    struct sccp_reasm *reasm;
    struct sccp_conn *conn;
};

struct sigtran *sigtran_new(void)
{
    struct sigtran *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->reasm = sccp_reasm_new();
    s->conn = sccp_conn_new();
    if (!s->reasm || !s->conn) {
        sigtran_free(s);
        return NULL;
    }
    return s;
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
    if (m.seg.present && !(m.seg.first && m.seg.remaining == 0)) {
        if (sccp_reasm_push(s->reasm, &m, ts_us, &data) != PARSE_OK)
            return true; /* waiting for more segments, or refused (counted) */
    }
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

const char *sigtran_data(struct sigtran *s, uint32_t ppid, uint16_t sport, uint16_t dport,
                         struct cursor *user, int dir, uint64_t ts_us, sms_leg_fn fn,
                         void *user_arg)
{
    struct span u = cur_rest(user);
    if (!sigtran_probe(ppid, sport, dport, u))
        return NULL;
    uint8_t cls = span_at(u, 2);
    if (ppid == M3UA_PPID) {
        struct m3ua_data m;
        enum parse_rc rc = m3ua_parse(user, &m);
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
        const char *svc = sccp_co(s, &co, m.opc, m.dpc, ts_us, fn, user_arg);
        return svc ? svc : "m3ua";
    }
    if (cls == CLASS_M2PA) {
        struct m2pa_msg m;
        enum parse_rc rc = m2pa_parse(user, &m);
        if (rc != PARSE_OK) {
            s->st.invalid += rc != PARSE_NEED_MORE;
            return rc == PARSE_NEED_MORE ? "m2pa" : NULL;
        }
        s->st.m2pa++;
        const char *svc = mtp3_under(s, &m.mtp3, "m2pa", dir, ts_us, fn, user_arg);
        return svc ? svc : "m2pa";
    }
    if (ppid == M2UA_PPID || port_is(sport, dport, M2UA_PORT)) {
        struct m2ua_data m;
        enum parse_rc rc = m2ua_parse(user, &m);
        if (rc != PARSE_OK) {
            s->st.invalid += rc != PARSE_NEED_MORE;
            return rc == PARSE_NEED_MORE ? "m2ua" : NULL;
        }
        s->st.m2ua++;
        const char *svc = mtp3_under(s, &m.mtp3, "m2ua", dir, ts_us, fn, user_arg);
        return svc ? svc : "m2ua";
    }
    if (ppid == SUA_PPID || port_is(sport, dport, SUA_PORT)) {
        struct sccp_msg m;
        enum parse_rc rc = sua_parse(user, &m);
        if (rc != PARSE_OK) {
            s->st.invalid += rc != PARSE_NEED_MORE;
            return rc == PARSE_NEED_MORE ? "sua" : NULL;
        }
        s->st.sua++;
        struct cursor data = m.data;
        if (m.seg.present && !(m.seg.first && m.seg.remaining == 0) &&
            sccp_reasm_push(s->reasm, &m, ts_us, &data) != PARSE_OK)
            return "map";
        if (tcap_map_parse(&data, &m, dir, ts_us, fn, user_arg, &s->st.tcap) < 0)
            s->st.tcap.invalid++;
        return "map";
    }
    s->st.sgsap++;
    if (sgsap_parse(user, ts_us, fn, user_arg) < 0) {
        s->st.invalid++;
        return NULL;
    }
    return "sgsap";
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
    sccp_reasm_get_stats(s->reasm, &out->reasm);
    sccp_conn_get_stats(s->conn, &out->conn);
}
