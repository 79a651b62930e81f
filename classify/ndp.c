/* ndp.c - Router Advertisements in GTP-U tunnels (see ndp.h). */
#include "classify/ndp.h"

#include <string.h>

#include "classify/binding.h"

#define RA_FIXED 16       /* type .. retrans timer */
#define PIO_BODY 30       /* a Prefix Information option after its type and length */
#define PIO_FLAG_A 0x40   /* autonomous address-configuration (RFC 4861 4.6.2) */
#define SLAAC_PREFIX_BITS 64

static bool link_local(const uint8_t *a) { return a[0] == 0xfe && (a[1] & 0xc0) == 0x80; }

/* One Prefix Information option's body; whether it is a prefix a UE forms
 * its addresses in. */
static bool prefix_info(struct cursor *c, uint8_t prefix[8])
{
    uint8_t bits = cur_u8(c), flags = cur_u8(c);
    uint32_t valid = cur_be32(c), preferred = cur_be32(c);
    cur_skip(c, 4); /* reserved */
    uint8_t p[16];
    cur_copy(c, p, sizeof p);
    if (!cur_ok(c) || bits != SLAAC_PREFIX_BITS || !(flags & PIO_FLAG_A) || valid == 0 ||
        preferred > valid || link_local(p))
        return false;
    memcpy(prefix, p, 8);
    return true;
}

enum parse_rc ndp_ra_decode(struct cursor *c, struct ndp_ra *out)
{
    memset(out, 0, sizeof *out);
    if (cur_left(c) < 2)
        return PARSE_TRUNCATED;
    if (cur_u8(c) != NDP_ROUTER_ADVERTISEMENT || cur_u8(c) != 0)
        return PARSE_INVALID;
    if (!cur_skip(c, RA_FIXED - 2))
        return PARSE_TRUNCATED;
    while (cur_left(c) > 0) {
        if (cur_left(c) < 2)
            return PARSE_TRUNCATED;
        uint8_t type = cur_u8(c), units = cur_u8(c);
        if (units == 0) /* RFC 4861 4.6: such a packet is discarded */
            return PARSE_INVALID;
        size_t body = (size_t)units * 8 - 2;
        if (cur_left(c) < body)
            return PARSE_TRUNCATED;
        struct cursor opt;
        (void)cur_sub(c, body, &opt); /* the length was checked */
        if (type != NDP_OPT_PREFIX_INFO)
            continue;
        if (body != PIO_BODY) /* its length is 4 (4.6.2) */
            return PARSE_INVALID;
        out->prefixes++;
        if (!out->has_prefix)
            out->has_prefix = prefix_info(&opt, out->prefix);
    }
    return PARSE_OK;
}

/* ---- registry row ---------------------------------------------------- */

static enum proto_outcome ndp_probe(const struct proto_probe *pp)
{
    return pp->bytes.n >= 2 && pp->bytes.p[0] == NDP_ROUTER_ADVERTISEMENT && pp->bytes.p[1] == 0
               ? PROTO_MATCH
               : PROTO_EXCLUDE;
}

static enum parse_rc ndp_parse(void *state, enum dir d, struct cursor *c, uint64_t ts_us,
                               const struct proto_emit *emit)
{
    (void)state;
    (void)d;
    struct ndp_ra ra;
    enum parse_rc rc = ndp_ra_decode(c, &ra);
    /* a Router Advertisement comes from a router's link-local address
     * (RFC 4861 6.1.2) */
    if (rc == PARSE_OK && emit->src_addr && (emit->addr_len != 16 || !link_local(emit->src_addr)))
        rc = PARSE_INVALID;
    if (rc != PARSE_OK)
        return rc;
    emit->counters[NDP_CNT_RAS]++;
    if (!ra.has_prefix)
        return PARSE_OK;
    if (!emit->teid || !emit->tunnel_node) {
        emit->counters[NDP_CNT_UNTUNNELLED]++;
        return PARSE_OK;
    }
    struct sub_binding e;
    memset(&e, 0, sizeof e);
    e.op = BIND_UPDATE;
    e.src = BIND_SRC_NDP;
    e.evidence_us = ts_us;
    e.has_v6 = true;
    memcpy(e.v6_prefix, ra.prefix, BIND_V6_PREFIX);
    /* the downlink TEID, owned by the node the tunnel delivers to */
    binding_add_teid(&e, emit->teid, false, emit->tunnel_node, emit->tunnel_node_len, NULL);
    emit->counters[NDP_CNT_PREFIXES]++;
    proto_emit_binding(emit, &e);
    return PARSE_OK;
}

/* Slot 0 shares the control-plane rows' name: an NDP message refused is a
 * binding source's message refused. */
static const char *const ndp_counters[] = {"cp_invalid", NULL, NULL,
                                           "ndp_router_advertisements", "ndp_prefixes_given",
                                           "ndp_prefixes_outside_tunnels"};
_Static_assert(sizeof ndp_counters / sizeof ndp_counters[0] <= PROTO_MAX_COUNTERS,
               "ndp counters exceed the registry's per-row slots");

const struct proto_ops ndp_proto = {
    .name = "ndp", .role = PROTO_ROLE_SIGNALLING, .transports = PROTO_T_ICMP6,
    .probe = ndp_probe, .parse = ndp_parse, .counter_names = ndp_counters,
    .ncounters = sizeof ndp_counters / sizeof ndp_counters[0], .sparse_from = NDP_CNT_RAS,
};
