/* diameter.c - Diameter SGd decoding (see diameter.h). */
#include "classify/diameter.h"

#include <stdio.h>
#include <string.h>

#include "capture/str.h"
#include "classify/proto.h"
#include "classify/sms_tpdu.h"

#define FLAG_R 0x80
#define AVP_FLAG_V 0x80
#define VENDOR_3GPP 10415u

/* AVP codes: RFC 6733 (User-Name 1, Result-Code 268, Experimental-Result
 * 297, Experimental-Result-Code 298); TS 29.329 MSISDN 701; TS 29.336
 * User-Identifier 3102; TS 29.338 SC-Address 3300, SM-RP-UI 3301. */
enum { AVP_USER_NAME = 1, AVP_RESULT = 268, AVP_EXP_RESULT = 297, AVP_EXP_CODE = 298,
       AVP_MSISDN = 701, AVP_USER_ID = 3102, AVP_SC_ADDRESS = 3300, AVP_SM_RP_UI = 3301 };

bool diameter_probe(struct span s)
{
    struct cursor c = cur_init(s.p, s.n);
    uint8_t ver = cur_u8(&c);
    uint32_t len = cur_be24(&c);
    uint8_t flags = cur_u8(&c);
    return cur_ok(&c) && ver == 1 && len >= DIAMETER_HDR_LEN && len <= DIAMETER_MAX_MSG &&
           (len & 3u) == 0 && (flags & 0x0f) == 0;
}

enum parse_rc diameter_avp_next(struct cursor *c, struct diameter_avp *a)
{
    if (cur_left(c) == 0)
        return cur_ok(c) ? PARSE_NEED_MORE : PARSE_TRUNCATED;
    a->code = cur_be32(c);
    a->flags = cur_u8(c);
    uint32_t len = cur_be24(c);
    size_t hdr = 8;
    a->vendor = 0;
    if (a->flags & AVP_FLAG_V) {
        a->vendor = cur_be32(c);
        hdr = 12;
    }
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    if (len < hdr)
        return PARSE_INVALID;
    if (!cur_sub(c, len - hdr, &a->val))
        return PARSE_TRUNCATED;
    size_t pad = (4u - (len & 3u)) & 3u;
    cur_skip(c, pad < cur_left(c) ? pad : cur_left(c));
    return PARSE_OK;
}

struct sgd_fields {
    char user_name[SMS_ADDR_MAX], msisdn[SMS_ADDR_MAX], sc[SMS_ADDR_MAX];
    bool has_ui;
    struct cursor ui;
    int64_t result;
};

static void walk(struct cursor c, struct sgd_fields *f, bool in_group)
{
    struct diameter_avp a;
    for (unsigned i = 0; i < DIAMETER_MAX_AVPS; i++) {
        if (diameter_avp_next(&c, &a) != PARSE_OK)
            return;
        bool tgpp = a.vendor == VENDOR_3GPP;
        if (a.code == AVP_USER_NAME && !a.vendor)
            sms_addr_copy(cur_rest(&a.val), f->user_name, sizeof f->user_name);
        else if ((a.code == AVP_RESULT || a.code == AVP_EXP_CODE) && cur_left(&a.val) == 4)
            f->result = cur_be32(&a.val);
        else if (a.code == AVP_MSISDN && tgpp)
            sms_addr_tbcd(cur_rest(&a.val), sizeof f->msisdn - 1, f->msisdn, sizeof f->msisdn);
        else if (a.code == AVP_SC_ADDRESS && tgpp)
            sms_addr_tbcd(cur_rest(&a.val), sizeof f->sc - 1, f->sc, sizeof f->sc);
        else if (a.code == AVP_SM_RP_UI && tgpp) {
            f->has_ui = true;
            f->ui = a.val;
        } else if (!in_group && ((a.code == AVP_USER_ID && tgpp) ||
                                 (a.code == AVP_EXP_RESULT && !a.vendor)))
            walk(a.val, f, true); /* one level of grouping only: no recursion on data */
    }
}

enum parse_rc diameter_parse(struct cursor *c, uint64_t ts_us, sms_leg_fn fn, void *user,
                             bool *sms, struct diameter_stats *st)
{
    uint8_t ver = cur_u8(c);
    uint32_t len = cur_be24(c);
    uint8_t flags = cur_u8(c);
    uint32_t code = cur_be24(c);
    cur_skip(c, 4); /* application id */
    uint32_t hbh = cur_be32(c), e2e = cur_be32(c);
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    if (ver != 1 || len < DIAMETER_HDR_LEN)
        return PARSE_INVALID;
    st->messages++;
    if (code != DIAMETER_CMD_OFR && code != DIAMETER_CMD_TFR)
        return PARSE_OK;
    *sms = true;
    struct sgd_fields f;
    memset(&f, 0, sizeof f);
    f.result = -1;
    walk(*c, &f, false);
    struct sms_leg leg;
    memset(&leg, 0, sizeof leg);
    sms_addr_event_init(&leg.ev, "sgd", ts_us);
    leg.key1 = hbh;
    leg.key2 = e2e;
    struct sms_event *ev = &leg.ev;
    if (!(flags & FLAG_R)) {
        leg.kind = SMS_LEG_RESPONSE;
        if (f.result >= 0)
            snprintf(ev->status, sizeof ev->status, "%lld", (long long)f.result);
        else
            snprintf(ev->status, sizeof ev->status, "answer");
        fn(&leg, user);
        return PARSE_OK;
    }
    leg.kind = SMS_LEG_REQUEST;
    bool mo = code == DIAMETER_CMD_OFR;
    snprintf(ev->direction, sizeof ev->direction, "%s", mo ? "mo" : "mt");
    snprintf(ev->operation, sizeof ev->operation, "%s", mo ? "submit" : "deliver");
    str_copy(ev->smsc, sizeof ev->smsc, f.sc);
    if (f.has_ui) {
        struct tpdu_info tp;
        static const char *const ops[] = {"deliver", "submit", "status-report", "command",
                                          "report"};
        if (sms_tpdu_parse(&f.ui, mo, &tp) == PARSE_OK) {
            sms_tpdu_to_event(&tp, ev);
            snprintf(ev->operation, sizeof ev->operation, "%s", ops[tp.type]);
        }
    }
    if (mo) {
        /* User-Identifier: the sender's MSISDN, else its User-Name (IMSI) */
        str_copy(ev->originator, sizeof ev->originator, f.msisdn[0] ? f.msisdn : f.user_name);
        str_copy(ev->imsi, sizeof ev->imsi, f.user_name);
    } else {
        str_copy(ev->recipient, sizeof ev->recipient, f.user_name);
        str_copy(ev->imsi, sizeof ev->imsi, f.user_name);
    }
    fn(&leg, user);
    return PARSE_OK;
}

static bool header_ok(struct span s) { return s.n >= DIAMETER_HDR_LEN && diameter_probe(s); }

static size_t msg_len(struct span s)
{
    struct cursor c = cur_init(s.p, s.n);
    cur_skip(&c, 1);
    return cur_be24(&c);
}

static const struct tcp_reasm_framer framer = {DIAMETER_HDR_LEN, header_ok, msg_len};

struct stream_ctx {
    uint64_t ts_us;
    sms_leg_fn fn;
    void *user;
    bool *sms;
    struct diameter_stats *st;
};

static enum parse_rc one_msg(struct cursor *m, void *user)
{
    struct stream_ctx *x = user;
    return diameter_parse(m, x->ts_us, x->fn, x->user, x->sms, x->st);
}

unsigned diameter_stream(struct tcp_reasm *r, bool *resync, uint64_t ts_us, sms_leg_fn fn,
                         void *user, bool *sms, struct diameter_stats *st)
{
    struct stream_ctx x = {ts_us, fn, user, sms, st};
    struct tcp_reasm_pdu_stats ps = {0, 0, 0};
    unsigned n = tcp_reasm_msgs(r, resync, &framer, one_msg, &x, &ps);
    st->resyncs += ps.resyncs;
    st->invalid += ps.invalid;
    st->oversize += ps.oversize;
    return n;
}

/* Registry row (proto.h): Diameter SGd over TCP (framed by the adapter) or
 * SCTP (one message per DATA chunk).  Over SCTP the chunk must also say
 * Diameter by its PPID or port (RFC 6733 section 2.1), so that an M3UA
 * association is never read as Diameter.  An OFR/TFR (or its answer)
 * claims the flow. */
static enum proto_outcome probe(const struct proto_probe *pp)
{
    if (pp->transport == PROTO_T_SCTP && pp->ppid != DIAMETER_SCTP_PPID &&
        pp->ppid != DIAMETER_SCTP_PPID_DTLS && pp->sport != DIAMETER_PORT &&
        pp->dport != DIAMETER_PORT)
        return PROTO_EXCLUDE;
    if (pp->bytes.n < 8)
        return PROTO_NEED_MORE;
    return diameter_probe(pp->bytes) ? PROTO_MATCH : PROTO_EXCLUDE;
}

static enum parse_rc parse(void *state, enum dir d, struct cursor *c, uint64_t ts_us,
                           const struct proto_emit *emit)
{
    (void)state;
    (void)d;
    bool sms = false;
    enum parse_rc rc = diameter_parse(c, ts_us, emit->sms, emit->ctx, &sms,
                                      (struct diameter_stats *)emit->counters);
    if (sms)
        proto_emit_claim(emit);
    return rc;
}

static const char *const counter_names[] = {"sms_pdus_invalid", "sms_resyncs"};

_Static_assert(sizeof(struct diameter_stats) <= PROTO_MAX_COUNTERS * sizeof(uint64_t),
               "diameter_stats fits the row's counters");

const struct proto_ops diameter_proto = {
    .name = "sgd",
    .role = PROTO_ROLE_SIGNALLING,
    .cls = SIG_CLASS_CARRIER_SMS,
    .transports = PROTO_T_TCP | PROTO_T_SCTP,
    .probe = probe,
    .parse = parse,
    .tcp = &framer,
    .counter_names = counter_names,
    .ncounters = sizeof counter_names / sizeof counter_names[0],
};
