/* smpp.c - SMPP PDU decoder (see smpp.h). */
#include "classify/smpp.h"

#include "classify/proto.h"

#include <stdio.h>
#include <string.h>

#include "classify/sms_tpdu.h"

/* command_id values (v3.4 section 5.1.2.1, v5.0 section 4.7.5). */
enum {
    SMPP_GENERIC_NACK = 0x80000000u,
    SMPP_BIND_RX = 0x01, SMPP_BIND_TX = 0x02, SMPP_QUERY = 0x03, SMPP_SUBMIT = 0x04,
    SMPP_DELIVER = 0x05, SMPP_UNBIND = 0x06, SMPP_REPLACE = 0x07, SMPP_CANCEL = 0x08,
    SMPP_BIND_TRX = 0x09, SMPP_OUTBIND = 0x0b, SMPP_ENQUIRE = 0x15, SMPP_SUBMIT_MULTI = 0x21,
    SMPP_ALERT = 0x102, SMPP_DATA = 0x103, SMPP_BCAST = 0x111, SMPP_QUERY_BCAST = 0x112,
    SMPP_CANCEL_BCAST = 0x113,
    SMPP_RESP = 0x80000000u,
};

/* TLV tags (v3.4 section 5.3.2). */
enum {
    TLV_RECEIPTED_ID = 0x001e, TLV_USER_MSG_REF = 0x0204, TLV_SAR_REF = 0x020c,
    TLV_SAR_TOTAL = 0x020e, TLV_SAR_SEQ = 0x020f, TLV_PAYLOAD = 0x0424, TLV_MSG_STATE = 0x0427,
};

/* C-Octet String maxima including the NUL (v3.4 section 4). */
enum { MAX_SVC = 6, MAX_ADDR21 = 21, MAX_ADDR65 = 65, MAX_SYSID = 16, MAX_PASSWD = 9,
       MAX_SYSTYPE = 13, MAX_TIME = 17, MAX_MSGID = 65 };

/* Bytes of other TLVs looked at per PDU before giving up. */
#define SMPP_MAX_TLVS 64

static bool known_id(uint32_t id)
{
    switch (id & ~SMPP_RESP) {
    case SMPP_BIND_RX: case SMPP_BIND_TX: case SMPP_QUERY: case SMPP_SUBMIT: case SMPP_DELIVER:
    case SMPP_UNBIND: case SMPP_REPLACE: case SMPP_CANCEL: case SMPP_BIND_TRX:
    case SMPP_OUTBIND: case SMPP_ENQUIRE: case SMPP_SUBMIT_MULTI: case SMPP_ALERT:
    case SMPP_DATA: case SMPP_BCAST: case SMPP_QUERY_BCAST: case SMPP_CANCEL_BCAST:
        return true;
    case 0:
        return id == SMPP_GENERIC_NACK;
    default:
        return false;
    }
}

static bool header_ok(struct span s)
{
    struct cursor c = cur_init(s.p, s.n);
    uint32_t len = cur_be32(&c), id = cur_be32(&c);
    if (!cur_ok(&c) || len < SMPP_HDR_LEN || len > SMPP_MAX_PDU || !known_id(id))
        return false;
    if (!(id & SMPP_RESP) && cur_has(&c, 4) && cur_be32(&c) != 0)
        return false; /* command_status is 0 in requests (section 3.2) */
    return true;
}

bool smpp_probe(struct span s) { return s.n >= 8 && header_ok(s); }

static void status_str(uint32_t st, char *out, size_t n) { snprintf(out, n, "0x%08x", st); }

static void append_detail(struct sms_event *ev, const char *k, const char *v)
{
    size_t used = strlen(ev->detail);
    snprintf(ev->detail + used, sizeof ev->detail - used, "%s%s=%s", used ? " " : "", k, v);
}

/* Optional parameters after the mandatory body. */
static enum parse_rc tlvs(struct cursor *c, struct sms_event *ev)
{
    struct sms_tlv t;
    enum parse_rc rc;
    char buf[MAX_MSGID];
    for (unsigned i = 0; i < SMPP_MAX_TLVS; i++) {
        rc = sms_addr_tlv16(c, false, false, &t);
        if (rc == PARSE_NEED_MORE)
            return PARSE_OK;
        if (rc)
            return rc;
        switch (t.tag) {
        case TLV_PAYLOAD: /* message text: length only */
            ev->content_present = ev->content_present || t.val.len > 0;
            break;
        case TLV_RECEIPTED_ID:
            sms_addr_copy(cur_rest(&t.val), buf, sizeof buf);
            append_detail(ev, "receipted_message_id", buf);
            break;
        case TLV_MSG_STATE: {
            static const char *const names[] = {"SCHEDULED", "ENROUTE", "DELIVERED", "EXPIRED",
                                                "DELETED", "UNDELIVERABLE", "ACCEPTED",
                                                "UNKNOWN", "REJECTED", "SKIPPED"};
            uint8_t s = cur_u8(&t.val);
            append_detail(ev, "message_state", s < 10 ? names[s] : "?");
            break;
        }
        case TLV_USER_MSG_REF:
            ev->msg_ref = cur_be16(&t.val);
            break;
        case TLV_SAR_REF:
            ev->concat_ref = cur_be16(&t.val);
            break;
        case TLV_SAR_TOTAL:
            ev->concat_total = cur_u8(&t.val);
            break;
        case TLV_SAR_SEQ:
            ev->concat_part = cur_u8(&t.val);
            break;
        default:
            break;
        }
    }
    return PARSE_OK;
}

static enum parse_rc addr(struct cursor *c, size_t max, char *out, size_t n, int *ton, int *npi)
{
    *ton = cur_u8(c);
    *npi = cur_u8(c);
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    return sms_addr_cstring(c, max, out, n);
}

/* esm_class ... short_message of submit_sm / deliver_sm / submit_multi. */
static enum parse_rc sm_tail(struct cursor *c, struct sms_event *ev, uint8_t *esm)
{
    char skip[1];
    enum parse_rc rc;
    *esm = cur_u8(c);
    cur_skip(c, 2); /* protocol_id, priority_flag */
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    if ((rc = sms_addr_cstring(c, MAX_TIME, skip, 1)) || (rc = sms_addr_cstring(c, MAX_TIME, skip, 1)))
        return rc;
    cur_skip(c, 4); /* registered_delivery, replace_if_present, data_coding, sm_default_msg_id */
    uint8_t sm_len = cur_u8(c);
    struct cursor sm;
    if (!cur_sub(c, sm_len, &sm))
        return PARSE_TRUNCATED;
    ev->content_present = sm_len > 0;
    if ((*esm & 0x40) && sm_len) { /* UDHI: only the header is read */
        uint8_t udhl = cur_u8(&sm);
        struct cursor udh;
        if (cur_sub(&sm, udhl, &udh))
            sms_tpdu_udh_concat(&udh, &ev->concat_ref, &ev->concat_part, &ev->concat_total);
    }
    return tlvs(c, ev);
}

/* esm_class bits 5-2 != 0 in deliver_sm / data_sm: a receipt or an ack
 * (v3.4 section 5.2.12). */
static const char *deliver_op(uint8_t esm, const char *plain)
{
    return (esm & 0x3c) ? "receipt" : plain;
}

enum parse_rc smpp_parse_pdu(struct cursor *c, bool from_client, uint64_t ts_us, sms_leg_fn fn,
                             void *user, struct smpp_stats *st)
{
    uint32_t len = cur_be32(c), id = cur_be32(c), status = cur_be32(c), seq = cur_be32(c);
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    if (len < SMPP_HDR_LEN || !known_id(id))
        return PARSE_INVALID;
    struct sms_leg leg;
    struct sms_event *ev = &leg.ev;
    memset(&leg, 0, sizeof leg);
    sms_addr_event_init(ev, "smpp", ts_us);
    leg.key1 = seq;
    leg.key2 = from_client ? 0 : 1; /* the requester's side */
    enum parse_rc rc = PARSE_OK;
    if (id & SMPP_RESP) {
        leg.kind = SMS_LEG_RESPONSE;
        leg.key2 = from_client ? 1 : 0;
        status_str(status, ev->status, sizeof ev->status);
        uint32_t req = id & ~SMPP_RESP;
        if (status == 0 && (req == SMPP_SUBMIT || req == SMPP_DATA || req == SMPP_SUBMIT_MULTI)) {
            char mid[MAX_MSGID];
            if (sms_addr_cstring(c, MAX_MSGID, mid, sizeof mid) == PARSE_OK && mid[0])
                append_detail(ev, "message_id", mid);
        }
        st->pdus++;
        /* only responses to PDUs that produce events (generic_nack: any) */
        if (req == 0 || req == SMPP_BIND_RX || req == SMPP_BIND_TX || req == SMPP_BIND_TRX ||
            req == SMPP_SUBMIT || req == SMPP_DELIVER || req == SMPP_DATA ||
            req == SMPP_SUBMIT_MULTI)
            fn(&leg, user);
        return PARSE_OK;
    }
    if (status != 0)
        return PARSE_INVALID;
    leg.kind = SMS_LEG_REQUEST;
    snprintf(ev->direction, sizeof ev->direction, "%s", from_client ? "mo" : "mt");
    char skip[1];
    uint8_t esm = 0;
    switch (id) {
    case SMPP_BIND_RX:
    case SMPP_BIND_TX:
    case SMPP_BIND_TRX: {
        char sysid[MAX_SYSID];
        static const char *const ops[] = {"", "bind_receiver", "bind_transmitter", "", "", "",
                                          "", "", "", "bind_transceiver"};
        snprintf(ev->operation, sizeof ev->operation, "%s", ops[id]);
        ev->direction[0] = '\0';
        if ((rc = sms_addr_cstring(c, MAX_SYSID, sysid, sizeof sysid)) ||
            (rc = sms_addr_cstring(c, MAX_PASSWD, skip, 1))) /* password: never copied */
            return rc;
        append_detail(ev, "system_id", sysid);
        break;
    }
    case SMPP_SUBMIT:
    case SMPP_DELIVER:
        if ((rc = sms_addr_cstring(c, MAX_SVC, skip, 1)) ||
            (rc = addr(c, MAX_ADDR21, ev->originator, sizeof ev->originator,
                       &ev->originator_ton, &ev->originator_npi)) ||
            (rc = addr(c, MAX_ADDR21, ev->recipient, sizeof ev->recipient, &ev->recipient_ton,
                       &ev->recipient_npi)) ||
            (rc = sm_tail(c, ev, &esm)))
            return rc;
        snprintf(ev->operation, sizeof ev->operation, "%s",
                 id == SMPP_SUBMIT ? "submit" : deliver_op(esm, "deliver"));
        break;
    case SMPP_DATA:
        if ((rc = sms_addr_cstring(c, MAX_SVC, skip, 1)) ||
            (rc = addr(c, MAX_ADDR65, ev->originator, sizeof ev->originator,
                       &ev->originator_ton, &ev->originator_npi)) ||
            (rc = addr(c, MAX_ADDR65, ev->recipient, sizeof ev->recipient, &ev->recipient_ton,
                       &ev->recipient_npi)))
            return rc;
        esm = cur_u8(c);
        cur_skip(c, 2); /* registered_delivery, data_coding */
        if (!cur_ok(c))
            return PARSE_TRUNCATED;
        if ((rc = tlvs(c, ev)))
            return rc;
        snprintf(ev->operation, sizeof ev->operation, "%s", deliver_op(esm, "data"));
        break;
    case SMPP_SUBMIT_MULTI: {
        struct sms_event dests[SMPP_MAX_DESTS];
        unsigned nd = 0;
        if ((rc = sms_addr_cstring(c, MAX_SVC, skip, 1)) ||
            (rc = addr(c, MAX_ADDR21, ev->originator, sizeof ev->originator,
                       &ev->originator_ton, &ev->originator_npi)))
            return rc;
        snprintf(ev->operation, sizeof ev->operation, "submit_multi");
        uint8_t n = cur_u8(c);
        for (unsigned i = 0; i < n; i++) {
            uint8_t flag = cur_u8(c);
            if (!cur_ok(c))
                return PARSE_TRUNCATED;
            struct sms_event *d = nd < SMPP_MAX_DESTS ? &dests[nd] : NULL;
            struct sms_event tmp;
            if (!d)
                d = &tmp;
            *d = *ev;
            if (flag == 1) {
                if ((rc = addr(c, MAX_ADDR21, d->recipient, sizeof d->recipient,
                               &d->recipient_ton, &d->recipient_npi)))
                    return rc;
            } else if (flag == 2) { /* distribution list name */
                if ((rc = sms_addr_cstring(c, MAX_ADDR21, d->recipient, sizeof d->recipient)))
                    return rc;
                append_detail(d, "dl", "1");
            } else {
                return PARSE_INVALID;
            }
            if (d != &tmp)
                nd++;
            else
                st->dests_dropped++;
        }
        struct sms_event tail = *ev;
        if ((rc = sm_tail(c, &tail, &esm)))
            return rc;
        st->pdus++;
        for (unsigned i = 0; i < nd; i++) {
            leg.ev = dests[i];
            leg.ev.content_present = tail.content_present;
            leg.ev.msg_ref = tail.msg_ref;
            leg.ev.concat_ref = tail.concat_ref;
            leg.ev.concat_part = tail.concat_part;
            leg.ev.concat_total = tail.concat_total;
            fn(&leg, user);
        }
        return PARSE_OK;
    }
    default:
        st->pdus++;
        return PARSE_OK; /* enquire_link, unbind, ...: no event */
    }
    st->pdus++;
    fn(&leg, user);
    return PARSE_OK;
}

static size_t pdu_len(struct span s)
{
    struct cursor c = cur_init(s.p, s.n);
    return cur_be32(&c);
}

static bool header_ok16(struct span s) { return s.n >= SMPP_HDR_LEN && header_ok(s); }

static const struct tcp_reasm_framer smpp_framer = {SMPP_HDR_LEN, header_ok16, pdu_len};

struct stream_ctx {
    bool from_client;
    uint64_t ts_us;
    sms_leg_fn fn;
    void *user;
    struct smpp_stats *st;
};

static enum parse_rc one_pdu(struct cursor *pdu, void *user)
{
    struct stream_ctx *x = user;
    return smpp_parse_pdu(pdu, x->from_client, x->ts_us, x->fn, x->user, x->st);
}

unsigned smpp_stream(struct tcp_reasm *r, bool *need_resync, bool from_client, uint64_t ts_us,
                     sms_leg_fn fn, void *user, struct smpp_stats *st)
{
    struct stream_ctx x = {from_client, ts_us, fn, user, st};
    struct tcp_reasm_pdu_stats ps = {0, 0, 0};
    unsigned n = tcp_reasm_msgs(r, need_resync, &smpp_framer, one_pdu, &x, &ps);
    st->resyncs += ps.resyncs;
    st->invalid += ps.invalid;
    st->oversize += ps.oversize;
    return n;
}

/* Registry row (proto.h).  The first bytes of either direction must be a
 * plausible PDU header; SMPP structure alone is carrier SMS signalling, so
 * every valid PDU claims the flow. */
static enum proto_outcome probe(const struct proto_probe *pp)
{
    if (pp->bytes.n < 8)
        return PROTO_NEED_MORE;
    return smpp_probe(pp->bytes) ? PROTO_MATCH : PROTO_EXCLUDE;
}

static enum parse_rc parse(void *state, enum dir d, struct cursor *c, uint64_t ts_us,
                           const struct proto_emit *emit)
{
    (void)state;
    enum parse_rc rc = smpp_parse_pdu(c, d == DIR_C2S, ts_us, emit->sms, emit->ctx,
                                      (struct smpp_stats *)emit->counters);
    if (rc == PARSE_OK)
        proto_emit_claim(emit);
    return rc;
}

static const char *const counter_names[] = {"sms_pdus_invalid", "sms_resyncs"};

_Static_assert(sizeof(struct smpp_stats) <= PROTO_MAX_COUNTERS * sizeof(uint64_t),
               "smpp_stats fits the row's counters");

const struct proto_ops smpp_proto = {
    .name = "smpp",
    .role = PROTO_ROLE_SIGNALLING,
    .cls = SIG_CLASS_CARRIER_SMS,
    .transports = PROTO_T_TCP,
    .probe = probe,
    .parse = parse,
    .tcp = &smpp_framer,
    .counter_names = counter_names,
    .ncounters = sizeof counter_names / sizeof counter_names[0],
};
