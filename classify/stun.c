/* stun.c - STUN/TURN message metadata (see stun.h).
 *
 * RFC 5389 section 6:
 *
 *    0                   1                   2                   3
 *   |0 0|  STUN message type (14)   |      message length (16)      |
 *   |                  magic cookie 0x2112A442 (32)                 |
 *   |                  transaction id (96)                          |
 *   attributes: { type (16) | length (16) | value, padded to 4 }*
 *
 * Message type bits: M11..M7 C1 M6..M4 C0 M3..M0 (class C1C0, method M).
 * XOR-RELAYED-ADDRESS (RFC 8656 section 18.5, encoded as RFC 5389 section
 * 15.2 XOR-MAPPED-ADDRESS): reserved (8) | family (8: 1 IPv4, 2 IPv6) |
 * X-Port (16, port ^ cookie >> 16) | X-Address (address ^ cookie [^ txid]).
 */
#include "classify/stun.h"

#include <string.h>

#include "capture/cursor.h"
#include "classify/proto.h"

static void relay(struct cursor *v, const uint8_t txid[12], struct stun_msg *out)
{
    cur_skip(v, 1);
    uint8_t fam = cur_u8(v);
    uint16_t xport = cur_be16(v);
    size_t alen = fam == 1 ? 4 : fam == 2 ? 16 : 0;
    uint8_t a[16];
    if (!alen || !cur_copy(v, a, alen))
        return;
    static const uint8_t cookie[4] = {0x21, 0x12, 0xa4, 0x42};
    for (size_t i = 0; i < alen; i++)
        a[i] ^= i < 4 ? cookie[i] : txid[i - 4];
    out->has_relay = true;
    out->relay_family = fam == 1 ? 4 : 6;
    memset(out->relay_addr, 0, sizeof out->relay_addr);
    memcpy(out->relay_addr, a, alen);
    out->relay_port = (uint16_t)(xport ^ (STUN_MAGIC_COOKIE >> 16));
}

enum parse_rc stun_parse(const uint8_t *p, size_t n, struct stun_msg *out)
{
    memset(out, 0, sizeof *out);
    struct cursor c = cur_init(p, n);
    uint16_t type = cur_be16(&c);
    uint16_t len = cur_be16(&c);
    uint32_t cookie = cur_be32(&c);
    uint8_t txid[12];
    cur_copy(&c, txid, sizeof txid);
    if (!cur_ok(&c)) {
        /* only what is there so far can say "not STUN" */
        if ((n >= 1 && (p[0] & 0xc0)) || (n >= 4 && ((p[2] << 8 | p[3]) & 3)))
            return PARSE_INVALID;
        return PARSE_TRUNCATED;
    }
    if ((type & 0xc000) || (len & 3) || cookie != STUN_MAGIC_COOKIE)
        return PARSE_INVALID;
    out->cls = (uint8_t)((type >> 7 & 2) | (type >> 4 & 1));
    out->method = (uint16_t)((type & 0x000f) | (type >> 1 & 0x0070) | (type >> 2 & 0x0f80));
    bool cut;
    struct cursor body = cur_sub_clamped(&c, len, &cut);
    for (unsigned i = 0; i < STUN_MAX_ATTRS && cur_left(&body) > 0; i++) {
        uint16_t at = cur_be16(&body);
        uint16_t alen = cur_be16(&body);
        struct cursor v;
        if (!cur_sub(&body, alen, &v))
            return cut ? PARSE_TRUNCATED : PARSE_INVALID;
        cur_skip(&body, (4u - (alen & 3u)) & 3u); /* padding (may be cut at the end) */
        struct span s = cur_rest(&v);
        switch (at) {
        case STUN_ATTR_REALM:
            out->has_realm = true;
            meta_name_set(&out->realm, s.p, s.n);
            break;
        case STUN_ATTR_SOFTWARE:
            out->has_software = true;
            meta_name_set(&out->software, s.p, s.n);
            break;
        case STUN_ATTR_USERNAME:
            out->has_username = true;
            out->username_len = alen;
            out->username_ice = s.n > 2 && memchr(s.p, ':', s.n) != NULL;
            break;
        case STUN_ATTR_XOR_RELAYED_ADDRESS:
            if (out->method == STUN_METHOD_ALLOCATE && out->cls == STUN_CLASS_SUCCESS)
                relay(&v, txid, out);
            break;
        default: break;
        }
    }
    return cut ? PARSE_TRUNCATED : PARSE_OK;
}

/* Registry row (proto.h): every UDP datagram in either direction that starts
 * like STUN (top two bits zero, the magic cookie at bytes 4..7). */
enum { STUN_CNT_MSGS = PROTO_CNT_OVERSIZE + 1, STUN_CNT_RELAYS };

static enum proto_outcome probe(const struct proto_probe *pp)
{
    struct span s = pp->bytes;
    if (s.n < 1)
        return PROTO_NEED_MORE;
    if (span_at(s, 0) & 0xc0)
        return PROTO_EXCLUDE;
    if (s.n < 8)
        return PROTO_NEED_MORE;
    uint32_t cookie = (uint32_t)span_at(s, 4) << 24 | (uint32_t)span_at(s, 5) << 16 |
                      (uint32_t)span_at(s, 6) << 8 | span_at(s, 7);
    return cookie == STUN_MAGIC_COOKIE ? PROTO_MATCH : PROTO_EXCLUDE;
}

static enum parse_rc parse(void *state, enum dir d, struct cursor *c, uint64_t ts_us,
                           const struct proto_emit *emit)
{
    (void)state;
    (void)d;
    (void)ts_us;
    struct span s = cur_rest(c);
    struct proto_meta m = {.kind = PROTO_STUN};
    enum parse_rc rc = stun_parse(s.p, s.n, &m.stun);
    if (rc != PARSE_OK && rc != PARSE_TRUNCATED)
        return PARSE_INVALID;
    emit->counters[STUN_CNT_MSGS]++;
    if (m.stun.has_relay)
        emit->counters[STUN_CNT_RELAYS]++;
    proto_emit_meta(emit, &m);
    return rc;
}

static const char *const counter_names[] = {NULL, NULL, NULL, "stun_messages", "turn_relays_seen"};

const struct proto_ops stun_proto = {
    .name = "stun",
    .role = PROTO_ROLE_META,
    .transports = PROTO_T_UDP,
    .dirs = 1u << DIR_C2S | 1u << DIR_S2C,
    .every_packet = true,
    .probe = probe,
    .parse = parse,
    .counter_names = counter_names,
    .ncounters = sizeof counter_names / sizeof counter_names[0],
};
