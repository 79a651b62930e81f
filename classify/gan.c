/* gan.c - GAN / UMA URR direct transfers (see gan.h). */
#include "classify/gan.h"

#include <stdlib.h>
#include <string.h>

#include "classify/dtap_sms.h"
#include "classify/proto.h"

#define GAN_IEI_MOBILE_IDENTITY 1
#define GAN_IEI_L3_MESSAGE 26
#define GAN_HDR 4 /* length indicator, skip/PD, message type */
/* Largest URR message accepted: an L3 message is at most 251 octets (TS
 * 44.006); with the other IEs 1024 is ample. */
#define GAN_MAX_MSG 1024

static bool known_type(uint8_t t)
{
    return t == GAN_REGISTER_REQUEST || t == GAN_UL_DIRECT_TRANSFER ||
           t == GAN_DL_DIRECT_TRANSFER || (t >= 1 && t <= 3) || (t >= 16 && t <= 22) ||
           (t >= 32 && t <= 33) || (t >= 48 && t <= 53) || (t >= 64 && t <= 66) ||
           (t >= 80 && t <= 85) || (t >= 96 && t <= 97) || (t >= 112 && t <= 120) ||
           (t >= 128 && t <= 130);
}

bool gan_probe(struct span s)
{
    size_t len = (size_t)span_at(s, 0) << 8 | span_at(s, 1);
    return s.n >= GAN_HDR && len >= 2 && len <= GAN_MAX_MSG &&
           (span_at(s, 2) & 0x0f) == GAN_PD_URR && (span_at(s, 2) >> 4) == 0 &&
           known_type(span_at(s, 3));
}

/* A key for the subscriber's SMS dialogue (FNV-1a over the IMSI). */
static uint64_t key_of(const char *imsi)
{
    uint64_t h = 1469598103934665603ull;
    for (const char *p = imsi; *p; p++)
        h = (h ^ (uint8_t)*p) * 1099511628211ull;
    return h;
}

enum parse_rc gan_parse(struct gan_state *st, struct cursor *c, uint64_t ts_us, sms_leg_fn fn,
                        void *user)
{
    uint16_t len = cur_be16(c);
    struct cursor m;
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    if (!cur_sub(c, len, &m))
        return PARSE_TRUNCATED;
    uint8_t pd = cur_u8(&m), type = cur_u8(&m);
    if (!cur_ok(&m))
        return PARSE_TRUNCATED;
    if ((pd & 0x0f) != GAN_PD_URR)
        return PARSE_INVALID;
    struct cursor l3 = cur_init(NULL, 0);
    bool have_l3 = false;
    for (unsigned i = 0; i < GAN_MAX_IES && cur_left(&m); i++) {
        uint8_t iei = cur_u8(&m);
        size_t n = cur_u8(&m);
        if (n & 0x80) /* two-octet length: 15 bits */
            n = (n & 0x7f) << 8 | cur_u8(&m);
        struct cursor v;
        if (!cur_ok(&m) || !cur_sub(&m, n, &v))
            return PARSE_TRUNCATED;
        if (iei == GAN_IEI_MOBILE_IDENTITY && type == GAN_REGISTER_REQUEST) {
            char id[SMS_ADDR_MAX];
            if (dtap_sms_mobile_identity(cur_rest(&v), id, sizeof id) == 1)
                memcpy(st->imsi, id, sizeof st->imsi);
        } else if (iei == GAN_IEI_L3_MESSAGE) {
            l3 = v;
            have_l3 = true;
        }
    }
    if (!have_l3 || (type != GAN_UL_DIRECT_TRANSFER && type != GAN_DL_DIRECT_TRANSFER) ||
        (cur_peek(&l3, 0) & 0x0f) != DTAP_PD_SMS)
        return PARSE_OK;
    struct dtap_sms_ctx x = {"gan", st->imsi, key_of(st->imsi), ""};
    return dtap_sms_parse(&l3, &x, ts_us, fn, user) < 0 ? PARSE_INVALID : PARSE_OK;
}

/* ---- registry row ------------------------------------------------------ */

static bool header_ok(struct span s) { return gan_probe(s); }

static size_t pdu_len(struct span s) { return 2u + ((size_t)span_at(s, 0) << 8 | span_at(s, 1)); }

static const struct tcp_reasm_framer gan_framer = {GAN_HDR, header_ok, pdu_len};

static enum proto_outcome probe(const struct proto_probe *pp)
{
    if (pp->transport != PROTO_T_TCP)
        return PROTO_EXCLUDE;
    if (pp->bytes.n < GAN_HDR)
        return PROTO_NEED_MORE;
    /* URR's header is short: the port narrows what the bytes say */
    if (pp->sport != GAN_PORT && pp->dport != GAN_PORT)
        return PROTO_EXCLUDE;
    return gan_probe(pp->bytes) ? PROTO_MATCH : PROTO_EXCLUDE;
}

static void *state_new(uint8_t transport)
{
    (void)transport;
    return calloc(1, sizeof(struct gan_state));
}

static enum parse_rc parse(void *state, enum dir d, struct cursor *c, uint64_t ts_us,
                           const struct proto_emit *emit)
{
    (void)d;
    if (!state)
        return PARSE_INVALID;
    enum parse_rc rc = gan_parse(state, c, ts_us, emit->sms, emit->ctx);
    if (rc == PARSE_OK)
        proto_emit_claim(emit);
    return rc;
}

static const char *const counter_names[] = {"sms_pdus_invalid", "sms_resyncs"};

const struct proto_ops gan_proto = {
    .name = "gan",
    .role = PROTO_ROLE_SIGNALLING,
    .cls = SIG_CLASS_CARRIER_SMS,
    .transports = PROTO_T_TCP,
    .probe = probe,
    .state_new = state_new,
    .state_free = free,
    .parse = parse,
    .tcp = &gan_framer,
    .counter_names = counter_names,
    .ncounters = sizeof counter_names / sizeof counter_names[0],
};
