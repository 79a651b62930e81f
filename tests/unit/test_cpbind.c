/* test_cpbind.c - request/response pairing into bindings, and the whole
 * control plane of every shared mobile-core capture against its truth file
 * (identity tuples found / total, and no wrong binding). */
#include "classify/cpbind.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify/sip_sms.h"
#include "classify/slots.h"
#include "tests/harness.h"
#include "tests/unit/mcore_fixtures.h"
#include "tests/unit/mcore_reader.h"

/* ---- pairing on fixtures -------------------------------------------- */

/* A row fed message by message, as the signalling driver does. */
struct feeder {
    const struct proto_ops *row;
    void *state;
    struct binding_table *t;
    uint64_t counters[PROTO_MAX_COUNTERS];
    uint8_t src[4], dst[4]; /* of the packet being parsed */
    unsigned emitted, holds;
    struct slot_budget *budget; /* proto_emit.budget; NULL: none */
};

static void on_binding(void *ctx, const struct sub_binding *b)
{
    struct feeder *f = ctx;
    struct sub_binding e = *b;
    binding_resolve(&e, f->src, f->dst, 4);
    binding_table_apply(f->t, e.op, &e);
    f->emitted++;
}

static void on_hold(void *ctx)
{
    struct feeder *f = ctx;
    f->holds++;
}

static void feeder_init(struct feeder *f, const struct proto_ops *row)
{
    memset(f, 0, sizeof *f);
    f->row = row;
    f->state = row->state_new(PROTO_T_UDP);
    f->t = binding_table_new(0, NULL, NULL);
}

static void feeder_done(struct feeder *f)
{
    f->row->state_free(f->state);
    binding_table_free(f->t);
}

/* Feeds b from src to dst in direction d; returns the parse result. */
static enum parse_rc feed(struct feeder *f, const uint8_t *b, size_t n, const char *src,
                          const char *dst, enum dir d, uint64_t ts)
{
    inet_pton(AF_INET, src, f->src);
    inet_pton(AF_INET, dst, f->dst);
    struct proto_emit em = {.binding = on_binding, .hold = on_hold, .budget = f->budget,
                            .ctx = f, .counters = f->counters};
    struct cursor c = cur_init(b, n);
    return f->row->parse(f->state, d, &c, ts, &em);
}

#define FEED(f, fx, s, dd, d, ts) feed(f, fx, sizeof fx, s, dd, d, ts)

static struct proto_probe probe_of(const uint8_t *b, size_t n, uint16_t sport, uint16_t dport,
                                   uint8_t transport, uint32_t ppid)
{
    return (struct proto_probe){.transport = transport, .sport = sport, .dport = dport,
                                .ppid = ppid, .bytes = {b, n}};
}

TEST(gtpv2_session_lifecycle)
{
    /* mkmcore.py session A: SGW 192.0.2.10:1024 <-> PGW 198.51.100.20:2123 */
    struct feeder f;
    feeder_init(&f, &gtpc2_proto);
    struct proto_probe pp = probe_of(fx_v2_csr, sizeof fx_v2_csr, 1024, 2123, PROTO_T_UDP, 0);
    CHECK_EQ_INT(gtpc2_proto.probe(&pp), PROTO_MATCH);
    CHECK_EQ_INT(gtpc1_proto.probe(&pp), PROTO_EXCLUDE);
    CHECK_EQ_INT(radius_proto.probe(&pp), PROTO_EXCLUDE);
    pp.sport = pp.dport = 53; /* the bytes alone never decide */
    CHECK_EQ_INT(gtpc2_proto.probe(&pp), PROTO_EXCLUDE);
    CHECK_EQ_INT(FEED(&f, fx_v2_csr, "192.0.2.10", "198.51.100.20", DIR_C2S, 1000), PARSE_OK);
    CHECK_EQ_INT(binding_table_count(f.t), 0); /* waits for the response */
    CHECK_EQ_INT(FEED(&f, fx_v2_csresp, "198.51.100.20", "192.0.2.10", DIR_S2C, 2000), PARSE_OK);
    CHECK_EQ_INT(binding_table_count(f.t), 1);
    const struct sub_binding *b = binding_table_at(f.t, 0);
    CHECK_EQ_INT(b->src, BIND_SRC_GTPV2);
    CHECK_STR(b->imsi, "001010123456781");
    CHECK_STR(b->msisdn, "15551230101");
    CHECK_STR(b->imei, "352099001761481");
    CHECK_STR(b->apn, "internet");
    /* ECI is 28 bits (TS 29.274 section 8.21.5): 0x1a2b3c */
    CHECK_STR(b->cell, "tai:001-01-10753;ecgi:001-01-1715004");
    CHECK(b->has_v4 && b->v4[0] == 100 && b->v4[1] == 64 && b->v4[2] == 0 && b->v4[3] == 17);
    CHECK(!b->has_v6);
    CHECK(b->open && !b->mid_session);
    CHECK_EQ_INT(b->start_us, 2000);
    /* the PGW's user-plane TEID 0x2000b002 at 198.51.100.20 finds it, the
     * SGW's 0x1000a002 at 192.0.2.10 too; not at another node */
    const uint8_t pgw[4] = {198, 51, 100, 20}, sgw[4] = {192, 0, 2, 10};
    const struct sub_binding *o[2];
    CHECK_EQ_INT(binding_table_by_teid(f.t, 0x2000b002u, pgw, 4, 2500, o, 2), 1);
    CHECK_EQ_INT(binding_table_by_teid(f.t, 0x1000a002u, sgw, 4, 2500, o, 2), 1);
    CHECK_EQ_INT(binding_table_by_teid(f.t, 0x2000b002u, sgw, 4, 2500, o, 2), 0);
    CHECK_EQ_INT(binding_table_by_imsi(f.t, "001010123456781", 1500, o, 2), 0); /* before */
    CHECK_EQ_INT(binding_table_by_imsi(f.t, "001010123456781", 2500, o, 2), 1);
    /* the Delete Session pair names the PGW's control TEID: it closes the session */
    CHECK_EQ_INT(FEED(&f, fx_v2_dsr, "192.0.2.10", "198.51.100.20", DIR_C2S, 3000), PARSE_OK);
    CHECK_EQ_INT(FEED(&f, fx_v2_dsresp, "198.51.100.20", "192.0.2.10", DIR_S2C, 4000), PARSE_OK);
    CHECK(!b->open);
    CHECK_EQ_INT(b->end_us, 4000);
    CHECK_EQ_INT(binding_table_by_ipv4(f.t, b->v4, 3999, o, 2), 1);
    CHECK_EQ_INT(binding_table_by_ipv4(f.t, b->v4, 4001, o, 2), 0);
    CHECK_EQ_INT(f.counters[CPBIND_CNT_BINDINGS], 2);
    /* a response in the request's own direction is not its answer */
    CHECK_EQ_INT(FEED(&f, fx_v2_csr, "192.0.2.10", "198.51.100.20", DIR_C2S, 5000), PARSE_OK);
    CHECK_EQ_INT(FEED(&f, fx_v2_csresp, "192.0.2.10", "198.51.100.20", DIR_C2S, 5001), PARSE_OK);
    CHECK_EQ_INT(f.counters[CPBIND_CNT_ORPHANS], 1);
    feeder_done(&f);
}

TEST(gtpv2_modify)
{
    /* mkmcore.py session B: an S5 create (SGW 203.0.113.3 -> PGW .4) opens a
     * session; the S11 modify (MME .2 -> SGW .3) names the SGW's S11 TEID
     * 0xc101, which only the (absent) S11 create carried: no identity, so
     * nothing is invented */
    struct feeder f;
    feeder_init(&f, &gtpc2_proto);
    CHECK_EQ_INT(FEED(&f, fx_v2_csr_v4v6, "203.0.113.3", "203.0.113.4", DIR_C2S, 10), PARSE_OK);
    CHECK_EQ_INT(FEED(&f, fx_v2_csresp_v4v6, "203.0.113.4", "203.0.113.3", DIR_S2C, 20),
                 PARSE_OK);
    CHECK_EQ_INT(binding_table_count(f.t), 1);
    const struct sub_binding *b = binding_table_at(f.t, 0);
    CHECK_STR(b->imsi, "001010123456782");
    CHECK_STR(b->imei, "3520990017614802");
    CHECK_STR(b->apn, "web.example");
    CHECK(b->has_v4 && b->v4[0] == 100 && b->v4[1] == 64 && b->v4[2] == 2 && b->v4[3] == 2);
    CHECK(b->has_v6);
    const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, 0xca, 0xfe, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0x99};
    const struct sub_binding *o[2];
    CHECK_EQ_INT(binding_table_by_ipv6(f.t, v6, 30, o, 2), 1); /* any address of the /64 */
    /* the S5 request's header TEID (0 here: a new session) adds nothing; the
     * PGW's control TEID 0xb101 at 203.0.113.4 came from the response F-TEID */
    const uint8_t pgw[4] = {203, 0, 113, 4};
    CHECK(b->nteid >= 3);
    bool pgw_ctl = false;
    for (unsigned i = 0; i < b->nteid; i++)
        pgw_ctl |= b->teid[i].control && b->teid[i].teid == 0xb101u &&
                   !memcmp(b->teid[i].addr, pgw, 4);
    CHECK(pgw_ctl);
    CHECK_EQ_INT(FEED(&f, fx_v2_mbr, "203.0.113.2", "203.0.113.3", DIR_C2S, 40), PARSE_OK);
    CHECK_EQ_INT(FEED(&f, fx_v2_mbresp, "203.0.113.3", "203.0.113.2", DIR_S2C, 50), PARSE_OK);
    CHECK_EQ_INT(binding_table_count(f.t), 1);
    /* the eNodeB's S1-U TEID was not attached to session B */
    const uint8_t enb[4] = {203, 0, 113, 50};
    CHECK_EQ_INT(binding_table_by_teid(f.t, 0xe101u, enb, 4, 60, o, 2), 0);
    feeder_done(&f);
}

TEST(gtpv1_pdp)
{
    /* mkmcore.py: SGSN 192.0.2.50 -> GGSN 198.51.100.60 */
    struct feeder f;
    feeder_init(&f, &gtpc1_proto);
    struct proto_probe pp =
        probe_of(fx_v1_cpdp_req, sizeof fx_v1_cpdp_req, 2123, 2123, PROTO_T_UDP, 0);
    CHECK_EQ_INT(gtpc1_proto.probe(&pp), PROTO_MATCH);
    CHECK_EQ_INT(gtpc2_proto.probe(&pp), PROTO_EXCLUDE);
    CHECK_EQ_INT(FEED(&f, fx_v1_cpdp_req, "192.0.2.50", "198.51.100.60", DIR_C2S, 1), PARSE_OK);
    CHECK_EQ_INT(FEED(&f, fx_v1_cpdp_resp, "198.51.100.60", "192.0.2.50", DIR_S2C, 2), PARSE_OK);
    CHECK_EQ_INT(binding_table_count(f.t), 1);
    const struct sub_binding *b = binding_table_at(f.t, 0);
    CHECK_EQ_INT(b->src, BIND_SRC_GTPV1);
    CHECK_STR(b->imsi, "001010123456783");
    CHECK_STR(b->msisdn, "15551230103");
    CHECK_STR(b->imei, "3520990017614803");
    CHECK_STR(b->apn, "gprs.example");
    CHECK_STR(b->cell, "sai:001-01-257-515");
    const uint8_t ue[4] = {100, 64, 1, 30}, ggsn_u[4] = {198, 51, 100, 61},
                  sgsn_u[4] = {192, 0, 2, 51};
    const struct sub_binding *o[2];
    CHECK_EQ_INT(binding_table_by_ipv4(f.t, ue, 3, o, 2), 1);
    /* user-plane TEIDs at the GSN address each side gave for user traffic */
    CHECK_EQ_INT(binding_table_by_teid(f.t, 0x4000d002u, ggsn_u, 4, 3, o, 2), 1);
    CHECK_EQ_INT(binding_table_by_teid(f.t, 0x3000c002u, sgsn_u, 4, 3, o, 2), 1);
    feeder_done(&f);
}

TEST(gtpv0_pdp)
{
    /* a GTPv0 response with no request before it is an orphan, not a binding */
    struct feeder f;
    feeder_init(&f, &gtpc1_proto);
    CHECK_EQ_INT(FEED(&f, fx_v0_resp, "198.51.100.62", "192.0.2.52", DIR_S2C, 1), PARSE_OK);
    CHECK_EQ_INT(binding_table_count(f.t), 0);
    CHECK_EQ_INT(f.counters[CPBIND_CNT_ORPHANS], 1);
    feeder_done(&f);
}

TEST(radius_access_and_accounting)
{
    struct feeder f;
    feeder_init(&f, &radius_proto);
    /* mkmcore.py: Access-Request id 0x61 (with User-Password) and its Accept */
    struct proto_probe pp =
        probe_of(fx_rad_req_pap, sizeof fx_rad_req_pap, 40000, 1812, PROTO_T_UDP, 0);
    CHECK_EQ_INT(radius_proto.probe(&pp), PROTO_MATCH);
    CHECK_EQ_INT(FEED(&f, fx_rad_req_pap, "192.0.2.70", "192.0.2.71", DIR_C2S, 1), PARSE_OK);
    CHECK_EQ_INT(FEED(&f, fx_rad_accept, "192.0.2.71", "192.0.2.70", DIR_S2C, 2), PARSE_OK);
    CHECK_EQ_INT(binding_table_count(f.t), 1);
    const struct sub_binding *b = binding_table_at(f.t, 0);
    CHECK_EQ_INT(b->src, BIND_SRC_RADIUS);
    CHECK_STR(b->user, "bob");
    CHECK(b->has_v4 && b->v4[0] == 100 && b->v4[2] == 5 && b->v4[3] == 33);
    /* Accounting Start: opens with the 3GPP identities and both addresses */
    CHECK_EQ_INT(FEED(&f, fx_rad_acct_start, "192.0.2.72", "192.0.2.71", DIR_C2S, 4), PARSE_OK);
    CHECK_EQ_INT(binding_table_count(f.t), 2);
    b = binding_table_at(f.t, 1);
    CHECK(!b->mid_session);
    CHECK_STR(b->imsi, "001010123456785");
    CHECK_STR(b->msisdn, "15551230105"); /* an E.164 Calling-Station-Id */
    CHECK_STR(b->imei, "3520990017614805");
    CHECK_STR(b->station, "");
    CHECK_STR(b->apn, "web.example");
    CHECK_STR(b->cell, "tai:001-01-5;ecgi:001-01-261");
    CHECK(b->has_v4 && b->v4[3] == 5);
    const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0x01, 0x05, 0, 0, 0, 0, 0, 0, 0, 0x42};
    const struct sub_binding *o[2];
    CHECK(b->has_v6);
    CHECK_EQ_INT(binding_table_by_ipv6(f.t, v6, 4, o, 2), 1);
    /* an Interim-Update of another session opens mid-session */
    CHECK_EQ_INT(FEED(&f, fx_rad_acct_interim, "192.0.2.72", "192.0.2.71", DIR_C2S, 5),
                 PARSE_OK);
    CHECK_EQ_INT(binding_table_count(f.t), 3);
    b = binding_table_at(f.t, 2);
    CHECK(b->mid_session);
    CHECK_STR(b->imsi, "001010123456786");
    CHECK_STR(b->msisdn, "15551230106");
    CHECK_STR(b->user, "user106");
    CHECK(b->has_v4 && b->v4[3] == 6);
    feeder_done(&f);
}

TEST(diameter_gx_pairing)
{
    /* mkmcore.py: Gx CCR-I (PCEF 192.0.2.80 -> PCRF .81) and its CCA-I */
    struct feeder f;
    feeder_init(&f, &gx_proto);
    struct proto_probe pp = probe_of(fx_gx_ccr_i, sizeof fx_gx_ccr_i, 3868, 3868, PROTO_T_SCTP, 46);
    CHECK_EQ_INT(gx_proto.probe(&pp), PROTO_MATCH);
    pp.ppid = 0;
    pp.sport = pp.dport = 2905;
    CHECK_EQ_INT(gx_proto.probe(&pp), PROTO_EXCLUDE); /* not Diameter by PPID or port */
    CHECK_EQ_INT(FEED(&f, fx_gx_ccr_i, "192.0.2.80", "192.0.2.81", DIR_C2S, 1), PARSE_OK);
    CHECK_EQ_INT(binding_table_count(f.t), 0);
    CHECK_EQ_INT(FEED(&f, fx_gx_cca_i, "192.0.2.81", "192.0.2.80", DIR_S2C, 2), PARSE_OK);
    CHECK_EQ_INT(binding_table_count(f.t), 1);
    const struct sub_binding *b = binding_table_at(f.t, 0);
    CHECK_STR(b->imsi, "001010123456787");
    CHECK_STR(b->msisdn, "15551230107");
    CHECK_STR(b->apn, "internet");
    CHECK(b->has_v4 && b->v4[0] == 100 && b->v4[2] == 7 && b->v4[3] == 7);
    CHECK(b->has_v6);
    CHECK(b->session_key != 0);
    feeder_done(&f);
}

static const char sip_register[] =
    "REGISTER sip:ims.mnc001.mcc001.3gppnetwork.org SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 10.45.0.2:5060;branch=z9hG4bK1\r\n"
    "From: <tel:+15551230001>;tag=1\r\n"
    "To: <tel:+15551230001>\r\n"
    "Call-ID: reg-1@10.45.0.2\r\n"
    "CSeq: 7 REGISTER\r\n"
    "Contact: <sip:15551230001@10.45.0.2:5060>;expires=600\r\n"
    "Content-Length: 0\r\n\r\n";
static const char sip_200[] =
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/UDP 10.45.0.2:5060;branch=z9hG4bK1\r\n"
    "To: <tel:+15551230001>;tag=9\r\n"
    "Call-ID: reg-1@10.45.0.2\r\n"
    "CSeq: 7 REGISTER\r\n"
    "Contact: <sip:15551230001@10.45.0.2:5060>;expires=600\r\n"
    "Content-Length: 0\r\n\r\n";

TEST(sip_register)
{
    /* synthetic: no shared capture carries a REGISTER */
    struct binding_table *t = binding_table_new(0, NULL, NULL);
    struct feeder f;
    memset(&f, 0, sizeof f);
    f.t = t;
    void *st = cpbind_state_new(PROTO_T_UDP);
    struct proto_emit em = {.binding = on_binding, .ctx = &f, .counters = f.counters};
    struct cursor c = cur_init((const uint8_t *)sip_register, sizeof sip_register - 1);
    CHECK_EQ_INT(cpbind_sip(st, DIR_C2S, &c, 1, &em), PARSE_OK);
    c = cur_init((const uint8_t *)sip_200, sizeof sip_200 - 1);
    CHECK_EQ_INT(cpbind_sip(st, DIR_S2C, &c, 2, &em), PARSE_OK);
    CHECK_EQ_INT(binding_table_count(t), 1);
    const struct sub_binding *b = binding_table_at(t, 0);
    CHECK_STR(b->user, "tel:+15551230001");
    CHECK_STR(b->msisdn, "15551230001");
    CHECK(b->has_v4 && b->v4[0] == 10 && b->v4[3] == 2);
    CHECK_EQ_INT(b->src, BIND_SRC_SIP);
    cpbind_state_free(st);
    binding_table_free(t);
}

TEST(sip_row_register)
{
    /* the registry's SIP row hands REGISTER and its 200 to cpbind */
    struct feeder f;
    feeder_init(&f, &sip_sms_proto);
    CHECK_EQ_INT(feed(&f, (const uint8_t *)sip_register, sizeof sip_register - 1, "10.45.0.2",
                      "10.0.0.9", DIR_C2S, 1),
                 PARSE_OK);
    CHECK_EQ_INT(feed(&f, (const uint8_t *)sip_200, sizeof sip_200 - 1, "10.0.0.9", "10.45.0.2",
                      DIR_S2C, 2),
                 PARSE_OK);
    CHECK_EQ_INT(f.emitted, 1);
    CHECK_EQ_INT(binding_table_count(f.t), 1);
    CHECK_STR(binding_table_at(f.t, 0)->msisdn, "15551230001");
    feeder_done(&f);
}

TEST(pairing_bounds)
{
    struct feeder f;
    feeder_init(&f, &gtpc2_proto);
    /* CPBIND_FLOW_PENDING + 5 unanswered requests: the oldest are evicted */
    uint8_t b[sizeof fx_v2_csr];
    memcpy(b, fx_v2_csr, sizeof b);
    for (unsigned i = 0; i < CPBIND_FLOW_PENDING + 5; i++) {
        b[9] = (uint8_t)i; /* sequence number low byte */
        b[8] = (uint8_t)(i >> 8);
        CHECK_EQ_INT(FEED(&f, b, "192.0.2.10", "198.51.100.20", DIR_C2S, 100 + i), PARSE_OK);
    }
    CHECK_EQ_INT(f.counters[CPBIND_CNT_EVICTED], 5);
    /* b, the last request, resent stamped a day ahead (a corrupt record),
     * then again at the link's time: nothing times out */
    CHECK_EQ_INT(FEED(&f, b, "192.0.2.10", "198.51.100.20", DIR_C2S, 86400ull * 1000000u),
                 PARSE_OK);
    CHECK_EQ_INT(FEED(&f, b, "192.0.2.10", "198.51.100.20", DIR_C2S,
                      100 + CPBIND_FLOW_PENDING + 6),
                 PARSE_OK);
    CHECK_EQ_INT(f.counters[CPBIND_CNT_TIMEOUTS], 0);
    /* much later (after the last one's timeout): the first message there is
     * not enough on its own; at the second (a new request) every other
     * pending one times out (b was resent at that time) */
    const uint64_t late = 100 + CPBIND_FLOW_PENDING + CPBIND_PAIR_TIMEOUT_US + 1000;
    CHECK_EQ_INT(FEED(&f, b, "192.0.2.10", "198.51.100.20", DIR_C2S, late), PARSE_OK);
    CHECK_EQ_INT(f.counters[CPBIND_CNT_TIMEOUTS], 0);
    CHECK_EQ_INT(FEED(&f, fx_v2_csr, "192.0.2.10", "198.51.100.20", DIR_C2S, late + 500),
                 PARSE_OK);
    CHECK_EQ_INT(f.counters[CPBIND_CNT_TIMEOUTS], CPBIND_FLOW_PENDING - 1);
    CHECK_EQ_INT(f.counters[CPBIND_CNT_EVICTED], 5);
    /* a rejected create (cause 64 "Context not found") opens nothing */
    uint8_t rej[sizeof fx_v2_csresp];
    memcpy(rej, fx_v2_csresp, sizeof rej);
    for (size_t i = 12; i + 4 < sizeof rej; i++)
        if (rej[i] == 2 && rej[i + 1] == 0 && rej[i + 2] == 2) { /* Cause IE, length 2 */
            rej[i + 4] = 64;
            break;
        }
    CHECK_EQ_INT(FEED(&f, rej, "198.51.100.20", "192.0.2.10", DIR_S2C,
                      100 + CPBIND_FLOW_PENDING + CPBIND_PAIR_TIMEOUT_US + 2000),
                 PARSE_OK);
    CHECK_EQ_INT(f.counters[CPBIND_CNT_REJECTED], 1);
    CHECK_EQ_INT(binding_table_count(f.t), 0);
    feeder_done(&f);
}

TEST(pairing_burst)
{
    /* A mass re-attach on one MME-SGW flow: 1,000 Create Session Requests
     * in flight, then their answers in the same order.  Every answer finds
     * its request (16 slots per flow lost all but the last 16), and every
     * request kept tells the driver to hold the flow (the candidate budget
     * of 256 packets released it before the first answer). */
    struct feeder f;
    feeder_init(&f, &gtpc2_proto);
    uint8_t req[sizeof fx_v2_csr], resp[sizeof fx_v2_csresp];
    memcpy(req, fx_v2_csr, sizeof req);
    memcpy(resp, fx_v2_csresp, sizeof resp);
    for (unsigned i = 0; i < 1000; i++) {
        req[9] = (uint8_t)i;
        req[8] = (uint8_t)(i >> 8);
        CHECK_EQ_INT(FEED(&f, req, "192.0.2.10", "198.51.100.20", DIR_C2S, 100 + i), PARSE_OK);
    }
    CHECK_EQ_INT(f.holds, 1000);
    for (unsigned i = 0; i < 1000; i++) {
        resp[9] = (uint8_t)i;
        resp[8] = (uint8_t)(i >> 8);
        CHECK_EQ_INT(FEED(&f, resp, "198.51.100.20", "192.0.2.10", DIR_S2C, 5000 + i), PARSE_OK);
    }
    CHECK_EQ_INT(f.counters[CPBIND_CNT_BINDINGS], 1000);
    CHECK_EQ_INT(f.counters[CPBIND_CNT_ORPHANS], 0);
    CHECK_EQ_INT(f.counters[CPBIND_CNT_EVICTED], 0);
    CHECK_EQ_INT(f.emitted, 1000);
    feeder_done(&f);
}

TEST(pairing_budget)
{
    /* The classifier's budget bounds the tables of all its flows: a budget
     * of 4 slots keeps this flow's table at 4, so 6 requests evict 2, and
     * freeing the flow's state gives the 4 slots back. */
    struct slot_budget b = {0, 4};
    struct feeder f;
    feeder_init(&f, &gtpc2_proto);
    f.budget = &b;
    uint8_t req[sizeof fx_v2_csr];
    memcpy(req, fx_v2_csr, sizeof req);
    for (unsigned i = 0; i < 6; i++) {
        req[9] = (uint8_t)i;
        CHECK_EQ_INT(FEED(&f, req, "192.0.2.10", "198.51.100.20", DIR_C2S, 100 + i), PARSE_OK);
    }
    CHECK_EQ_INT(b.used, 4);
    CHECK_EQ_INT(f.counters[CPBIND_CNT_EVICTED], 2);
    feeder_done(&f);
    CHECK_EQ_INT(b.used, 0);
}

/* ---- the shared captures against their truth files ------------------- */

#define TRUTH_MAX_ROWS 512
#define TRUTH_MAX_TUPLES 64
#define TRUTH_COLS 13

struct row {
    char f[TRUTH_COLS][128];
};

struct tuple {
    char imsi[TGPP_IMSI_MAX], msisdn[TGPP_MSISDN_MAX], user[TGPP_USER_MAX],
        station[TGPP_USER_MAX];
    char ip[2][64];
    uint64_t ts; /* time of the evidence that completes it */
};

static uint64_t epoch_us(const char *s)
{
    return (uint64_t)(strtod(s, NULL) * 1e6 + 0.5);
}

static size_t read_truth(const char *path, struct row *rows, size_t max)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return 0;
    char line[2048];
    size_t n = 0;
    if (!fgets(line, sizeof line, fp)) { /* header */
        fclose(fp);
        return 0;
    }
    while (n < max && fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\r\n")] = '\0';
        memset(&rows[n], 0, sizeof rows[n]);
        char *s = line;
        for (int k = 0; k < TRUTH_COLS && s; k++) {
            char *tab = strchr(s, '\t');
            if (tab)
                *tab = '\0';
            size_t len = strnlen(s, sizeof rows[n].f[k] - 1);
            memcpy(rows[n].f[k], s, len);
            rows[n].f[k][len] = '\0';
            s = tab ? tab + 1 : NULL;
        }
        n++;
    }
    fclose(fp);
    return n;
}

enum { F_FRAME, F_TIME, F_PROTO, F_MSG, F_SRC, F_DST, F_IMSI, F_MSISDN, F_UEIP, F_APN, F_TEID,
       F_SUB, F_CAUSE };

static void set_ips(struct tuple *t, const char *ips)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", ips);
    int k = 0;
    for (char *tok = strtok(buf, "|"); tok && k < 2; tok = strtok(NULL, "|"))
        if (strcmp(tok, "0.0.0.0") && strcmp(tok, "::"))
            snprintf(t->ip[k++], sizeof t->ip[0], "%s", tok);
}

/* "Calling-Station-Id=X; User-Name=Y" or "Subscription-Id(type 1|0)=A|B" */
static void set_ids(struct tuple *t, const char *s)
{
    const char *c = strstr(s, "Calling-Station-Id="), *u = strstr(s, "User-Name=");
    if (c)
        sscanf(c + 19, "%63[^;]", t->station);
    if (u)
        sscanf(u + 10, "%63[^;]", t->user);
    const char *sub = strstr(s, "Subscription-Id(type ");
    if (sub) {
        char types[32] = "", vals[128] = "";
        sscanf(sub + 21, "%31[^)])=%127s", types, vals);
        char *ts = types, *vs = vals;
        for (;;) {
            char *tb = strchr(ts, '|'), *vb = strchr(vs, '|');
            if (tb)
                *tb = '\0';
            if (vb)
                *vb = '\0';
            if (!strcmp(ts, "1"))
                snprintf(t->imsi, sizeof t->imsi, "%s", vs);
            else if (!strcmp(ts, "0"))
                snprintf(t->msisdn, sizeof t->msisdn, "%s", vs);
            if (!tb || !vb)
                break;
            ts = tb + 1;
            vs = vb + 1;
        }
    }
}

static bool same_tuple(const struct tuple *a, const struct tuple *b)
{
    return !strcmp(a->imsi, b->imsi) && !strcmp(a->msisdn, b->msisdn) &&
           !strcmp(a->user, b->user) && !strcmp(a->station, b->station) &&
           !strcmp(a->ip[0], b->ip[0]) && !strcmp(a->ip[1], b->ip[1]);
}

static size_t add_tuple(struct tuple *v, size_t n, const struct tuple *t)
{
    for (size_t i = 0; i < n; i++)
        if (same_tuple(&v[i], t))
            return n;
    if (n < TRUTH_MAX_TUPLES)
        v[n++] = *t;
    return n;
}

static const struct row *answer(const struct row *rows, size_t n, size_t i, const char *want)
{
    for (size_t j = i + 1; j < n; j++)
        if (!strcmp(rows[j].f[F_PROTO], rows[i].f[F_PROTO]) &&
            !strcmp(rows[j].f[F_SRC], rows[i].f[F_DST]) &&
            !strcmp(rows[j].f[F_DST], rows[i].f[F_SRC]) &&
            (!want || !strcmp(rows[j].f[F_MSG], want)))
            return &rows[j];
    return NULL;
}

/* Identity tuples of a truth file: a GTP request joined with its
 * response's address, an Access-Request with its Access-Accept, an
 * accounting request or a CCR on its own. */
static size_t truth_tuples(const struct row *rows, size_t n, struct tuple *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const struct row *r = &rows[i];
        struct tuple t;
        memset(&t, 0, sizeof t);
        t.ts = epoch_us(r->f[F_TIME]);
        const char *proto = r->f[F_PROTO], *msg = r->f[F_MSG];
        if (!strncmp(proto, "GTPv", 4) && strstr(msg, "Request") &&
            (r->f[F_IMSI][0] || r->f[F_MSISDN][0])) {
            char want[64];
            snprintf(want, sizeof want, "%.*sResponse", (int)(strstr(msg, "Request") - msg), msg);
            const struct row *a = answer(rows, n, i, want);
            snprintf(t.imsi, sizeof t.imsi, "%s", r->f[F_IMSI]);
            snprintf(t.msisdn, sizeof t.msisdn, "%s", r->f[F_MSISDN]);
            set_ips(&t, r->f[F_UEIP]);
            if (a) {
                set_ips(&t, a->f[F_UEIP]);
                t.ts = epoch_us(a->f[F_TIME]);
            }
            k = add_tuple(out, k, &t);
        } else if (!strcmp(proto, "RADIUS") && !strcmp(msg, "Access-Request")) {
            const struct row *a = answer(rows, n, i, NULL);
            if (!a || strcmp(a->f[F_MSG], "Access-Accept") || !a->f[F_UEIP][0])
                continue;
            set_ids(&t, r->f[F_SUB]);
            set_ips(&t, a->f[F_UEIP]);
            t.ts = epoch_us(a->f[F_TIME]);
            k = add_tuple(out, k, &t);
        } else if ((!strcmp(proto, "RADIUS") && !strncmp(msg, "Accounting-Request", 18)) ||
                   (!strcmp(proto, "Diameter") && !strncmp(msg, "Credit-Control-Request", 22) &&
                    strstr(msg, "CC-Request-Type=1"))) {
            set_ids(&t, r->f[F_SUB]);
            set_ips(&t, r->f[F_UEIP]);
            if (!strcmp(proto, "Diameter")) {
                const struct row *a = answer(rows, n, i, NULL);
                if (a)
                    t.ts = epoch_us(a->f[F_TIME]);
            }
            k = add_tuple(out, k, &t);
        }
    }
    return k;
}

static bool has_ip(const struct sub_binding *b, const char *ip)
{
    uint8_t a[16];
    if (inet_pton(AF_INET, ip, a) == 1)
        return b->has_v4 && !memcmp(b->v4, a, 4);
    if (inet_pton(AF_INET6, ip, a) == 1)
        return b->has_v6 && !memcmp(b->v6_prefix, a, BIND_V6_PREFIX);
    return false;
}

static bool field_ok(const char *truth, const char *bound) { return !truth[0] || !strcmp(truth, bound); }

static bool covers(const struct sub_binding *b, const struct tuple *t)
{
    return field_ok(t->imsi, b->imsi) && field_ok(t->msisdn, b->msisdn) &&
           field_ok(t->user, b->user) && field_ok(t->station, b->station) &&
           (!t->ip[0][0] || has_ip(b, t->ip[0])) && (!t->ip[1][0] || has_ip(b, t->ip[1])) &&
           b->start_us <= t->ts && (b->open || b->end_us >= t->ts);
}

/* A binding is right when some truth tuple agrees with every identity
 * both carry and holds its address. */
static bool right(const struct sub_binding *b, const struct tuple *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct tuple *t = &v[i];
        bool ids = (!t->imsi[0] || !b->imsi[0] || !strcmp(t->imsi, b->imsi)) &&
                   (!t->msisdn[0] || !b->msisdn[0] || !strcmp(t->msisdn, b->msisdn)) &&
                   (!t->user[0] || !b->user[0] || !strcmp(t->user, b->user)) &&
                   (!t->station[0] || !b->station[0] || !strcmp(t->station, b->station));
        bool addr = (!b->has_v4 && !b->has_v6) || (t->ip[0][0] && has_ip(b, t->ip[0])) ||
                    (t->ip[1][0] && has_ip(b, t->ip[1]));
        if (ids && addr)
            return true;
    }
    return false;
}

static const char *shared_dir(void)
{
    const char *s = getenv("TRAPLINE_SHARED");
    return s && *s ? s : "../shared";
}

TEST(shared_captures)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/captures/MANIFEST.tsv", shared_dir());
    FILE *mf = fopen(path, "r");
    if (!mf) {
        const char *ci = getenv("CI");
        if (ci && !strcmp(ci, "true")) {
            fprintf(stderr, "%s missing under CI=true\n", path);
            CHECK(!"shared captures present");
        } else {
            printf("SKIP shared_captures: %s not found\n", path);
        }
        return;
    }
    static struct row rows[TRUTH_MAX_ROWS];
    static struct tuple tuples[TRUTH_MAX_TUPLES];
    char line[8192];
    unsigned files = 0, all_found = 0, all_total = 0, all_wrong = 0;
    while (fgets(line, sizeof line, mf)) {
        char cat[64], file[512];
        if (sscanf(line, "%63[^\t]\t%511[^\t]", cat, file) != 2 || strcmp(cat, "mobile-core"))
            continue;
        const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
        snprintf(path, sizeof path, "%s/captures/truth/%s.tsv", shared_dir(), base);
        size_t nrows = read_truth(path, rows, TRUTH_MAX_ROWS);
        size_t nt = truth_tuples(rows, nrows, tuples);
        struct binding_table *t = binding_table_new(0, NULL, NULL);
        static struct mcore_run run;
        snprintf(path, sizeof path, "%s/captures/%s", shared_dir(), file);
        CHECK_EQ_INT(mcore_read(path, t, &run), 0);
        unsigned found = 0, wrong = 0;
        for (size_t i = 0; i < nt; i++) {
            bool ok = false;
            for (size_t j = 0; j < binding_table_count(t) && !ok; j++)
                ok = covers(binding_table_at(t, j), &tuples[i]);
            if (ok)
                found++;
            else
                fprintf(stderr, "  %s: missing %s/%s/%s/%s/%s|%s\n", base, tuples[i].imsi,
                        tuples[i].msisdn, tuples[i].user, tuples[i].station, tuples[i].ip[0],
                        tuples[i].ip[1]);
        }
        for (size_t j = 0; j < binding_table_count(t); j++) {
            const struct sub_binding *b = binding_table_at(t, j);
            if (!right(b, tuples, nt) || b->conflict) {
                wrong++;
                fprintf(stderr, "  %s: wrong binding %u imsi=%s msisdn=%s user=%s\n", base,
                        (unsigned)b->id, b->imsi, b->msisdn, b->user);
            }
        }
        printf("%-45s identity tuples %u/%zu, bindings %zu, wrong %u (%u control messages)\n",
               base, found, nt, binding_table_count(t), wrong, run.cp_messages);
        files++;
        all_found += found;
        all_total += (unsigned)nt;
        all_wrong += wrong;
        binding_table_free(t);
    }
    fclose(mf);
    printf("mobile-core: %u captures, identity tuples %u/%u, wrong bindings %u\n", files,
           all_found, all_total, all_wrong);
    CHECK(files > 0);
    CHECK_EQ_INT(all_wrong, 0);
    CHECK_EQ_INT(all_found, all_total);
}

int main(void)
{
    RUN(gtpv2_session_lifecycle);
    RUN(gtpv2_modify);
    RUN(gtpv1_pdp);
    RUN(gtpv0_pdp);
    RUN(radius_access_and_accounting);
    RUN(diameter_gx_pairing);
    RUN(sip_register);
    RUN(sip_row_register);
    RUN(pairing_bounds);
    RUN(pairing_burst);
    RUN(pairing_budget);
    RUN(shared_captures);
    return harness_done();
}
