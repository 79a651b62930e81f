/* sip_sms.c - SIP MESSAGE decoder (see sip_sms.h). */
#include "classify/sip_sms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify/cpbind.h"
#include "classify/proto.h"
#include "classify/sms_tpdu.h"

/* Request methods (RFC 3261 section 27.4 registry, the common ones). */
static const char *const methods[] = {"MESSAGE", "INVITE", "ACK", "BYE", "CANCEL", "OPTIONS",
                                      "REGISTER", "PRACK", "SUBSCRIBE", "NOTIFY", "PUBLISH",
                                      "INFO", "REFER", "UPDATE"};

static bool starts(struct span s, const char *lit)
{
    size_t n = strlen(lit);
    return s.n >= n && memcmp(s.p, lit, n) == 0;
}

bool sip_sms_ieq(struct span s, const char *lit)
{
    size_t n = strlen(lit);
    if (s.n != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        uint8_t a = span_at(s, i);
        if (a >= 'A' && a <= 'Z')
            a = (uint8_t)(a - 'A' + 'a');
        if (a != (uint8_t)lit[i])
            return false;
    }
    return true;
}

bool sip_sms_probe(struct span s)
{
    if (starts(s, "SIP/2.0 "))
        return true;
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        size_t n = strlen(methods[i]);
        if (starts(s, methods[i]) && s.n > n && span_at(s, n) == ' ')
            return true;
    }
    return false;
}

bool sip_sms_is_message(struct span s) { return starts(s, "MESSAGE "); }

/* Next line of c without its CR LF; false when no LF follows. */
bool sip_sms_line(struct cursor *c, struct span *line)
{
    struct span r = cur_rest(c);
    const uint8_t *lf = r.n ? memchr(r.p, '\n', r.n) : NULL;
    if (!lf)
        return false;
    size_t n = (size_t)(lf - r.p);
    cur_skip(c, n + 1);
    if (n && span_at(r, n - 1) == '\r')
        n--;
    line->p = r.p;
    line->n = n;
    return true;
}

struct span sip_sms_trim(struct span s)
{
    while (s.n && (span_at(s, 0) == ' ' || span_at(s, 0) == '\t')) {
        s.p++;
        s.n--;
    }
    while (s.n && (span_at(s, s.n - 1) == ' ' || span_at(s, s.n - 1) == '\t'))
        s.n--;
    return s;
}

/* The URI of a From/To/P-Asserted-Identity value: inside <...> when
 * present, else up to the first ';' (header parameters) or ','. */
struct span sip_sms_uri(struct span v)
{
    const uint8_t *lt = v.n ? memchr(v.p, '<', v.n) : NULL;
    if (lt) {
        size_t off = (size_t)(lt - v.p) + 1;
        struct span in = {v.p + off, v.n - off};
        const uint8_t *gt = in.n ? memchr(in.p, '>', in.n) : NULL;
        if (gt)
            in.n = (size_t)(gt - in.p);
        return sip_sms_trim(in);
    }
    for (size_t i = 0; i < v.n; i++)
        if (span_at(v, i) == ';' || span_at(v, i) == ',') {
            v.n = i;
            break;
        }
    return sip_sms_trim(v);
}

uint64_t sip_sms_hash(struct span s)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < s.n; i++)
        h = (h ^ span_at(s, i)) * 0x100000001b3u;
    return h;
}

uint64_t sip_sms_decimal(struct span s, bool *ok)
{
    uint64_t v = 0;
    size_t i = 0;
    s = sip_sms_trim(s);
    for (; i < s.n && span_at(s, i) >= '0' && span_at(s, i) <= '9' && i < 10; i++)
        v = v * 10 + (uint64_t)(span_at(s, i) - '0');
    *ok = i > 0;
    return v;
}

struct sip_hdrs {
    struct span from, to, pai, call_id, cseq, ctype, ruri;
    bool has_clen;
    uint64_t clen;
};

static void header(struct span line, struct sip_hdrs *h)
{
    const uint8_t *colon = memchr(line.p, ':', line.n);
    if (!colon)
        return;
    struct span name = sip_sms_trim((struct span){line.p, (size_t)(colon - line.p)});
    struct span val = sip_sms_trim((struct span){colon + 1, line.n - (size_t)(colon - line.p) - 1});
    if (sip_sms_ieq(name, "from") || sip_sms_ieq(name, "f"))
        h->from = val;
    else if (sip_sms_ieq(name, "to") || sip_sms_ieq(name, "t"))
        h->to = val;
    else if (sip_sms_ieq(name, "p-asserted-identity")) {
        if (!h->pai.n)
            h->pai = val;
    } else if (sip_sms_ieq(name, "call-id") || sip_sms_ieq(name, "i"))
        h->call_id = val;
    else if (sip_sms_ieq(name, "cseq"))
        h->cseq = val;
    else if (sip_sms_ieq(name, "content-type") || sip_sms_ieq(name, "c"))
        h->ctype = val;
    else if (sip_sms_ieq(name, "content-length") || sip_sms_ieq(name, "l")) {
        bool ok;
        h->clen = sip_sms_decimal(val, &ok);
        h->has_clen = ok;
    }
}

/* Copies a From/To/P-Asserted-Identity URI into out and sets *cut when it
 * did not fit: a cut URI is flagged and never taken as a subject (it may
 * have lost digits or its host). */
static void set_uri(struct span v, char *out, size_t n, bool *cut)
{
    *cut = !sms_addr_copy(sip_sms_uri(v), out, n);
}

static void message_event(const struct sip_hdrs *h, struct cursor *body, struct sms_leg *leg,
                          struct sip_stats *st)
{
    struct sms_event *ev = &leg->ev;
    struct span ct = h->ctype;
    for (size_t i = 0; i < ct.n; i++)
        if (span_at(ct, i) == ';') {
            ct.n = i;
            break;
        }
    ct = sip_sms_trim(ct);
    if (!sip_sms_ieq(ct, "application/vnd.3gpp.sms")) {
        /* RFC 3428 instant message: From/To only, the body is text. */
        snprintf(ev->operation, sizeof ev->operation, "message");
        set_uri(h->from, ev->originator, sizeof ev->originator, &ev->originator_cut);
        set_uri(h->to, ev->recipient, sizeof ev->recipient, &ev->recipient_cut);
        ev->content_present = cur_left(body) > 0;
        return;
    }
    struct rp_info rp;
    if (sms_tpdu_rp_parse(body, &rp) != PARSE_OK) {
        st->invalid++;
        snprintf(ev->operation, sizeof ev->operation, "rp-invalid");
        return;
    }
    if (!rp.has_tpdu) {
        /* RP-ACK / RP-ERROR / RP-SMMA: a report for an earlier transfer */
        leg->kind = SMS_LEG_FINAL;
        ev->operation[0] = '\0';
        return;
    }
    static const char *const ops[] = {"deliver", "submit", "status-report", "command", "report"};
    snprintf(ev->operation, sizeof ev->operation, "%s", ops[rp.tp.type]);
    sms_tpdu_to_event(&rp.tp, ev);
    if (rp.mti == RP_DATA_MS_N) {
        snprintf(ev->direction, sizeof ev->direction, "mo");
        set_uri(h->pai.n ? h->pai : h->from, ev->originator, sizeof ev->originator,
                &ev->originator_cut);
        snprintf(ev->smsc, sizeof ev->smsc, "%s", rp.da);
    } else if (rp.tp.type == TPDU_STATUS_REPORT) {
        /* the report goes to the original sender (To) about TP-RA */
        snprintf(ev->direction, sizeof ev->direction, "mt");
        set_uri(h->to, ev->originator, sizeof ev->originator, &ev->originator_cut);
        snprintf(ev->smsc, sizeof ev->smsc, "%s", rp.oa);
    } else {
        snprintf(ev->direction, sizeof ev->direction, "mt");
        set_uri(h->to, ev->recipient, sizeof ev->recipient, &ev->recipient_cut);
        snprintf(ev->smsc, sizeof ev->smsc, "%s", rp.oa);
    }
}

enum parse_rc sip_sms_parse(struct cursor *c, bool stream, uint64_t ts_us, sms_leg_fn fn,
                            void *user, size_t *consumed, struct sip_stats *st)
{
    size_t start = cur_off(c);
    struct span first, line;
    struct sip_hdrs h;
    memset(&h, 0, sizeof h);
    if (!sip_sms_line(c, &first))
        return stream ? PARSE_NEED_MORE : PARSE_TRUNCATED;
    if (!sip_sms_probe(first))
        return PARSE_INVALID;
    unsigned n = 0;
    for (;;) {
        if (!sip_sms_line(c, &line))
            return stream ? PARSE_NEED_MORE : PARSE_TRUNCATED;
        if (line.n == 0)
            break;
        if (++n <= SIP_MAX_HEADERS)
            header(line, &h);
    }
    struct cursor body;
    if (h.has_clen) {
        if (h.clen > cur_left(c)) {
            if (stream)
                return PARSE_NEED_MORE;
            st->bodies_cut++;
            body = cur_sub_clamped(c, h.clen, &(bool){false});
        } else {
            cur_sub(c, (size_t)h.clen, &body);
        }
    } else if (stream) {
        return PARSE_INVALID; /* RFC 3261 section 18.3: mandatory on streams */
    } else {
        cur_sub(c, cur_left(c), &body);
    }
    *consumed = cur_off(c) - start;
    st->messages++;
    struct sms_leg leg;
    memset(&leg, 0, sizeof leg);
    sms_addr_event_init(&leg.ev, "sip", ts_us);
    leg.key1 = sip_sms_hash(h.call_id);
    bool ok;
    struct span cs = h.cseq;
    leg.key2 = sip_sms_decimal(cs, &ok);
    /* CSeq method: the response to a MESSAGE says "n MESSAGE" */
    bool cseq_message = cs.n >= 7 && memcmp(cs.p + cs.n - 7, "MESSAGE", 7) == 0;
    if (starts(first, "SIP/2.0 ")) {
        if (!cseq_message)
            return PARSE_OK;
        struct span code = {first.p + 8, first.n - 8};
        if (code.n > 3)
            code.n = 3;
        leg.kind = SMS_LEG_RESPONSE;
        sms_addr_copy(code, leg.ev.status, sizeof leg.ev.status);
        if (code.n && span_at(code, 0) == '1')
            return PARSE_OK; /* provisional: wait for the final answer */
        fn(&leg, user);
        return PARSE_OK;
    }
    if (!sip_sms_is_message(first))
        return PARSE_OK;
    leg.kind = SMS_LEG_REQUEST;
    message_event(&h, &body, &leg, st);
    if (!leg.ev.operation[0])
        return PARSE_OK;
    fn(&leg, user);
    return PARSE_OK;
}

static bool header_ok(struct span s) { return sip_sms_probe(s); }

/* Self-delimited: a message ends after its Content-Length body. */
static const struct tcp_reasm_framer sip_framer = {0, header_ok, NULL};

struct stream_ctx {
    uint64_t ts_us;
    sms_leg_fn fn;
    void *user;
    struct sip_stats *st;
};

/* Parses one message at the start of c and advances c over it. */
static enum parse_rc one_msg(struct cursor *c, bool stream, uint64_t ts_us, sms_leg_fn fn,
                             void *user, struct sip_stats *st)
{
    struct cursor m = *c;
    size_t used = 0;
    enum parse_rc rc = sip_sms_parse(&m, stream, ts_us, fn, user, &used, st);
    if (rc == PARSE_OK)
        cur_skip(c, used);
    return rc;
}

static enum parse_rc stream_msg(struct cursor *c, void *user)
{
    struct stream_ctx *x = user;
    return one_msg(c, true, x->ts_us, x->fn, x->user, x->st);
}

unsigned sip_sms_stream(struct tcp_reasm *r, bool *need_resync, uint64_t ts_us, sms_leg_fn fn,
                        void *user, struct sip_stats *st)
{
    struct stream_ctx x = {ts_us, fn, user, st};
    struct tcp_reasm_pdu_stats ps = {0, 0, 0};
    unsigned n = tcp_reasm_msgs(r, need_resync, &sip_framer, stream_msg, &x, &ps);
    st->resyncs += ps.resyncs;
    st->invalid += ps.invalid;
    st->oversize += ps.oversize;
    return n;
}

/* Registry row (proto.h): SIP over TCP (a stream of messages) or UDP (one
 * message per datagram).  A flow is claimed by its first SMS leg.  REGISTER
 * and its answers also go to classify/cpbind.c (IMS public identity <->
 * contact address bindings, issue 10), whose pairing state is made on the
 * first REGISTER. */
struct sip_state {
    bool stream;
    void *reg; /* cpbind pairing state; NULL until a REGISTER is seen */
};

static enum proto_outcome probe(const struct proto_probe *pp)
{
    return sip_sms_probe(pp->bytes) ? PROTO_MATCH : PROTO_EXCLUDE;
}

static void *state_new(uint8_t transport)
{
    struct sip_state *s = calloc(1, sizeof *s);
    if (s)
        s->stream = transport == PROTO_T_TCP;
    return s;
}

static void state_free(void *state)
{
    struct sip_state *s = state;
    if (s)
        cpbind_state_free(s->reg);
    free(s);
}

/* A REGISTER or a response (m covers exactly the message) to the bindings. */
static void registration(struct sip_state *s, enum dir d, struct cursor *m, uint64_t ts_us,
                         const struct proto_emit *emit)
{
    struct span r = cur_rest(m);
    bool reg = starts(r, "REGISTER ");
    if (!reg && !(s->reg && starts(r, "SIP/2.0 ")))
        return;
    if (!s->reg)
        s->reg = cpbind_state_new(s->stream ? PROTO_T_TCP : PROTO_T_UDP);
    if (!s->reg)
        return;
    struct proto_emit em = *emit;
    em.counters = NULL; /* this row's counter slots are struct sip_stats */
    cpbind_sip(s->reg, d, m, ts_us, &em);
}

static enum parse_rc parse(void *state, enum dir d, struct cursor *c, uint64_t ts_us,
                           const struct proto_emit *emit)
{
    struct sip_state *s = state;
    struct cursor start = *c;
    enum parse_rc rc =
        one_msg(c, s->stream, ts_us, emit->sms, emit->ctx, (struct sip_stats *)emit->counters);
    struct cursor m;
    if (rc == PARSE_OK && cur_sub(&start, cur_off(c) - cur_off(&start), &m))
        registration(s, d, &m, ts_us, emit);
    return rc;
}

static const char *const counter_names[] = {"sms_pdus_invalid", "sms_resyncs"};

_Static_assert(sizeof(struct sip_stats) <= PROTO_MAX_COUNTERS * sizeof(uint64_t),
               "sip_stats fits the row's counters");

const struct proto_ops sip_sms_proto = {
    .name = "sip",
    .role = PROTO_ROLE_SIGNALLING,
    .cls = SIG_CLASS_CARRIER_SMS,
    .transports = PROTO_T_TCP | PROTO_T_UDP,
    .probe = probe,
    .state_new = state_new,
    .state_free = state_free,
    .parse = parse,
    .tcp = &sip_framer,
    .counter_names = counter_names,
    .ncounters = sizeof counter_names / sizeof counter_names[0],
};
