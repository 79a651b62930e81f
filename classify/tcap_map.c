/* tcap_map.c - TCAP / GSM MAP SMS decoding (see tcap_map.h). */
#include "classify/tcap_map.h"

#include <stdio.h>
#include <string.h>

#include "capture/str.h"
#include "classify/ber.h"
#include "classify/sms_tpdu.h"

enum {
    TCAP_UNI = 0x61, TCAP_BEGIN = 0x62, TCAP_END = 0x64, TCAP_CONTINUE = 0x65,
    TCAP_ABORT = 0x67, TCAP_OTID = 0x48, TCAP_DTID = 0x49, TCAP_DIALOGUE = 0x6b,
    TCAP_COMPONENTS = 0x6c,
    COMP_INVOKE = 0xa1, COMP_RESULT_LAST = 0xa2, COMP_ERROR = 0xa3, COMP_REJECT = 0xa4,
    COMP_RESULT_NOT_LAST = 0xa7,
    BER_INTEGER = 0x02, BER_OCTETS = 0x04, BER_ENUMERATED = 0x0a, BER_SEQUENCE = 0x30,
};

/* Dialogue portion (Q.773 section 4.2.2 / X.227 AARQ): EXTERNAL { ...,
 * single-ASN1-type [0] { AARQ/AARE [APPLICATION 0/1] { ..., application
 * context name [1] { OBJECT IDENTIFIER } } } }.  MAP ACs are
 * 0.4.0.0.1.0.<ac>.<version> (TS 29.002 section 17.3.2): the last arc is
 * the MAP version. */
static const uint8_t dialogue_aarq_ac[] = {0x28, 0xa0, 0x60, 0xa1, 0x06};
static const uint8_t dialogue_aare_ac[] = {0x28, 0xa0, 0x61, 0xa1, 0x06};

/* IMSI: 3-8 TBCD octets (TS 29.002 section 17.7.8) = at most 15 digits. */
#define MAP_IMSI_DIGITS 15

static uint64_t tid_value(struct cursor v)
{
    uint64_t t = 0;
    for (unsigned i = 0; i < 8 && cur_left(&v); i++)
        t = t << 8 | cur_u8(&v);
    return t;
}

static void address_string(struct cursor v, char *out, size_t n, int *ton, int *npi)
{
    sms_addr_toa_digits(cur_rest(&v), out, n, ton, npi);
}

/* The argument of a forwardSM-family invoke. */
static void forward_sm(struct cursor arg, int opcode, struct sms_event *ev)
{
    struct ber_tlv da, oa, ui, t;
    if (ber_next(&arg, &da) || ber_next(&arg, &oa) || ber_next(&arg, &ui) ||
        ui.id != BER_OCTETS)
        return;
    char imsi[SMS_ADDR_MAX] = "";
    char da_addr[SMS_ADDR_MAX] = "", oa_addr[SMS_ADDR_MAX] = "";
    int da_ton = -1, da_npi = -1, oa_ton = -1, oa_npi = -1;
    bool mo;
    /* SM-RP-DA [0] imsi, [1] lmsi, [4] SC address; SM-RP-OA [2] msisdn, [4] SC */
    if (da.id == 0x80)
        sms_addr_tbcd(cur_rest(&da.val), MAP_IMSI_DIGITS, imsi, sizeof imsi);
    else if (da.id == 0x84)
        address_string(da.val, da_addr, sizeof da_addr, &da_ton, &da_npi);
    if (oa.id == 0x82 || oa.id == 0x84)
        address_string(oa.val, oa_addr, sizeof oa_addr, &oa_ton, &oa_npi);
    if (opcode == MAP_OP_MT_FORWARD_SM)
        mo = false;
    else
        mo = da.id == 0x84 || oa.id == 0x82; /* forwardSM v1/v2 serves both */
    if (mo && ber_next(&arg, &t) == PARSE_OK && t.id == BER_OCTETS) /* optional imsi */
        sms_addr_tbcd(cur_rest(&t.val), MAP_IMSI_DIGITS, imsi, sizeof imsi);
    struct tpdu_info tp;
    struct cursor tpc = ui.val;
    static const char *const ops[] = {"deliver", "submit", "status-report", "command", "report"};
    if (sms_tpdu_parse(&tpc, mo, &tp) == PARSE_OK) {
        sms_tpdu_to_event(&tp, ev);
        snprintf(ev->operation, sizeof ev->operation, "%s", ops[tp.type]);
    } else {
        snprintf(ev->operation, sizeof ev->operation, "%s", mo ? "submit" : "deliver");
    }
    snprintf(ev->direction, sizeof ev->direction, "%s", mo ? "mo" : "mt");
    str_copy(ev->imsi, sizeof ev->imsi, imsi);
    if (mo) {
        str_copy(ev->originator, sizeof ev->originator, oa_addr);
        ev->originator_ton = oa_ton;
        ev->originator_npi = oa_npi;
        str_copy(ev->smsc, sizeof ev->smsc, da_addr);
    } else {
        str_copy(ev->recipient, sizeof ev->recipient, imsi);
        ev->recipient_ton = ev->recipient_npi = -1;
        str_copy(ev->smsc, sizeof ev->smsc, oa_addr);
    }
}

/* RoutingInfoForSM-Arg: msisdn [0], sm-RP-PRI [1], serviceCentreAddress [2]. */
static void sri_sm(struct cursor arg, struct sms_event *ev)
{
    struct ber_tlv t;
    snprintf(ev->operation, sizeof ev->operation, "sri-sm");
    if (ber_find(arg, 0x80, &t) == PARSE_OK)
        address_string(t.val, ev->recipient, sizeof ev->recipient, &ev->recipient_ton,
                       &ev->recipient_npi);
    if (ber_find(arg, 0x82, &t) == PARSE_OK)
        address_string(t.val, ev->smsc, sizeof ev->smsc, NULL, NULL);
}

/* RoutingInfoForSM-Res: imsi (OCTET STRING) first. */
static void sri_sm_result(struct cursor res, struct sms_event *ev)
{
    struct ber_tlv t;
    if (ber_find(res, BER_OCTETS, &t) == PARSE_OK)
        sms_addr_tbcd(cur_rest(&t.val), MAP_IMSI_DIGITS, ev->imsi, sizeof ev->imsi);
}

/* ReportSM-DeliveryStatusArg (TS 29.002 section 12.3): msisdn, SC
 * address (both OCTET STRING), sm-DeliveryOutcome ENUMERATED (v2+).
 * AlertServiceCentreArg (section 12.5): msisdn, SC address. */
static const char *msisdn_sc(struct cursor arg, int opcode, struct sms_event *ev)
{
    static const char *const outcomes[] = {"memoryCapacityExceeded", "absentSubscriber",
                                           "successfulTransfer"};
    struct ber_tlv t;
    snprintf(ev->operation, sizeof ev->operation, "%s",
             opcode == MAP_OP_REPORT_SM_DELIVERY_STATUS ? "report-delivery" : "alert-sc");
    if (ber_next(&arg, &t) == PARSE_OK && t.id == BER_OCTETS)
        address_string(t.val, ev->recipient, sizeof ev->recipient, &ev->recipient_ton,
                       &ev->recipient_npi);
    if (ber_next(&arg, &t) == PARSE_OK && t.id == BER_OCTETS)
        address_string(t.val, ev->smsc, sizeof ev->smsc, NULL, NULL);
    int64_t o = -1;
    if (opcode == MAP_OP_REPORT_SM_DELIVERY_STATUS && ber_next(&arg, &t) == PARSE_OK &&
        t.id == BER_ENUMERATED && ber_int(t.val, &o) && o >= 0 && o <= 2)
        return outcomes[o];
    return NULL;
}

static bool sms_opcode(int64_t op)
{
    return op == MAP_OP_MT_FORWARD_SM || op == MAP_OP_SRI_SM || op == MAP_OP_MO_FORWARD_SM ||
           op == MAP_OP_REPORT_SM_DELIVERY_STATUS || op == MAP_OP_ALERT_SC ||
           op == MAP_OP_ALERT_SC_WITHOUT_RESULT;
}

/* The MAP version from the dialogue portion's application context, or -1
 * (MAP v1 dialogues have no dialogue portion at all). */
static int ac_version(struct cursor dlg)
{
    struct ber_tlv oid;
    if (ber_descend(dlg, dialogue_aarq_ac, sizeof dialogue_aarq_ac, &oid) != PARSE_OK &&
        ber_descend(dlg, dialogue_aare_ac, sizeof dialogue_aare_ac, &oid) != PARSE_OK)
        return -1;
    struct span v = cur_rest(&oid.val);
    if (v.n < 2)
        return -1;
    return span_at(v, v.n - 1);
}

/* detail: opcode, MAP version, transport, point codes, SSNs and GTs. */
static void route_detail(char *out, size_t n, int opcode, int version, const struct sccp_msg *m)
{
    int k = snprintf(out, n, "op=%d", opcode);
    if (version > 0 && k >= 0 && (size_t)k < n)
        k += snprintf(out + k, n - (size_t)k, " v%d", version);
    if (!m)
        return;
    if (m->via && k >= 0 && (size_t)k < n)
        k += snprintf(out + k, n - (size_t)k, " %s", m->via);
    if (m->opc >= 0 && k >= 0 && (size_t)k < n)
        k += snprintf(out + k, n - (size_t)k, " opc=%lld dpc=%lld", (long long)m->opc,
                      (long long)m->dpc);
    if (k >= 0 && (size_t)k < n)
        k += snprintf(out + k, n - (size_t)k, " cgpa=%.15s", m->calling.gt);
    if (m->calling.ssn >= 0 && k >= 0 && (size_t)k < n)
        k += snprintf(out + k, n - (size_t)k, "/%d", m->calling.ssn);
    if (k >= 0 && (size_t)k < n)
        k += snprintf(out + k, n - (size_t)k, " cdpa=%.15s", m->called.gt);
    if (m->called.ssn >= 0 && k >= 0 && (size_t)k < n)
        snprintf(out + k, n - (size_t)k, "/%d", m->called.ssn);
}

int tcap_map_parse(struct cursor *c, const struct sccp_msg *sccp, int dir, uint64_t ts_us,
                   sms_leg_fn fn, void *user, struct tcap_stats *st)
{
    struct ber_tlv msg, t;
    enum parse_rc rc = ber_next(c, &msg);
    if (rc)
        return rc == PARSE_NEED_MORE ? PARSE_TRUNCATED : rc;
    if (msg.id != TCAP_BEGIN && msg.id != TCAP_END && msg.id != TCAP_CONTINUE &&
        msg.id != TCAP_UNI && msg.id != TCAP_ABORT)
        return PARSE_INVALID;
    st->messages++;
    uint64_t otid = 0, dtid = 0;
    int version = -1;
    struct cursor comps = cur_init(NULL, 0);
    bool have_comps = false;
    struct cursor m = msg.val;
    for (;;) {
        rc = ber_next(&m, &t);
        if (rc == PARSE_NEED_MORE)
            break;
        if (rc)
            return rc;
        if (t.id == TCAP_OTID)
            otid = tid_value(t.val);
        else if (t.id == TCAP_DTID)
            dtid = tid_value(t.val);
        else if (t.id == TCAP_DIALOGUE)
            version = ac_version(t.val);
        else if (t.id == TCAP_COMPONENTS) {
            comps = t.val;
            have_comps = true;
        }
    }
    if (!have_comps)
        return 0;
    int found = 0;
    for (unsigned i = 0;; i++) {
        struct ber_tlv comp, id, op;
        rc = ber_next(&comps, &comp);
        if (rc == PARSE_NEED_MORE)
            break;
        if (rc)
            return found ? found : rc;
        if (i >= TCAP_MAX_COMPONENTS) {
            st->components_dropped++;
            continue;
        }
        struct cursor cc = comp.val;
        int64_t invoke_id = -1;
        if (ber_next(&cc, &id) == PARSE_OK && id.id == BER_INTEGER)
            ber_int(id.val, &invoke_id);
        struct sms_leg leg;
        memset(&leg, 0, sizeof leg);
        sms_addr_event_init(&leg.ev, "map", ts_us);
        if (comp.id == COMP_INVOKE) {
            int64_t opcode = -1;
            if (ber_next(&cc, &op) != PARSE_OK)
                continue;
            if (op.id == 0x80 && ber_next(&cc, &op) != PARSE_OK) /* linkedID */
                continue;
            if (op.id != BER_INTEGER || !ber_int(op.val, &opcode) || !sms_opcode(opcode))
                continue;
            struct ber_tlv arg;
            if (ber_next(&cc, &arg) != PARSE_OK || arg.id != BER_SEQUENCE)
                continue;
            leg.kind = SMS_LEG_REQUEST;
            leg.key1 = otid;
            leg.key2 = (uint64_t)(invoke_id & 0xff) | (uint64_t)dir << 8;
            const char *outcome = NULL;
            if (opcode == MAP_OP_SRI_SM)
                sri_sm(arg.val, &leg.ev);
            else if (opcode == MAP_OP_MT_FORWARD_SM || opcode == MAP_OP_MO_FORWARD_SM)
                forward_sm(arg.val, (int)opcode, &leg.ev);
            else
                outcome = msisdn_sc(arg.val, (int)opcode, &leg.ev);
            if (opcode == MAP_OP_ALERT_SC_WITHOUT_RESULT) /* no answer will come */
                leg.kind = SMS_LEG_FINAL;
            route_detail(leg.ev.detail, sizeof leg.ev.detail, (int)opcode, version, sccp);
            if (outcome) {
                size_t used = strlen(leg.ev.detail);
                snprintf(leg.ev.detail + used, sizeof leg.ev.detail - used, " outcome=%s",
                         outcome);
            }
            found++;
            fn(&leg, user);
        } else if (comp.id == COMP_RESULT_LAST || comp.id == COMP_ERROR ||
                   comp.id == COMP_REJECT) {
            leg.kind = SMS_LEG_RESPONSE;
            leg.key1 = dtid;
            leg.key2 = (uint64_t)(invoke_id & 0xff) | (uint64_t)(dir ^ 1) << 8;
            if (comp.id == COMP_RESULT_LAST) {
                snprintf(leg.ev.status, sizeof leg.ev.status, "ok");
                struct ber_tlv seq, opc, res;
                int64_t opcode = -1;
                if (ber_next(&cc, &seq) == PARSE_OK && seq.id == BER_SEQUENCE &&
                    ber_next(&seq.val, &opc) == PARSE_OK && ber_int(opc.val, &opcode) &&
                    opcode == MAP_OP_SRI_SM && ber_next(&seq.val, &res) == PARSE_OK)
                    sri_sm_result(res.val, &leg.ev);
            } else if (comp.id == COMP_ERROR) {
                struct ber_tlv code;
                int64_t e = -1;
                if (ber_next(&cc, &code) == PARSE_OK)
                    ber_int(code.val, &e);
                snprintf(leg.ev.status, sizeof leg.ev.status, "error %lld", (long long)e);
            } else {
                snprintf(leg.ev.status, sizeof leg.ev.status, "reject");
            }
            fn(&leg, user);
        }
    }
    return found;
}
