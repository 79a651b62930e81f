/* test_carrier.c - the carrier dispatcher: cheap exclusion, matching,
 * request/response folding, the bounded pending table. */
#include "classify/carrier.h"

#include <string.h>

#include "classify/pairing.h"
#include "classify/sctp_reasm.h"

#include "tests/harness.h"
#include "tests/unit/sms_fixtures.h"

static unsigned nev;
static struct sms_event last;

static void on_ev(const struct sms_event *ev, void *user)
{
    (void)user;
    nev++;
    last = *ev;
}

struct rig {
    struct carrier *c;
    struct flow f;
    void *state;
    struct carrier_verdict v;
    uint32_t seq[2];
    uint64_t t_us; /* added to every packet's time */
};

static void rig_init(struct rig *r)
{
    static const struct classify_events ev = {.sms = on_ev};
    memset(r, 0, sizeof *r);
    r->c = carrier_new(&ev, NULL);
    r->f.id = 7;
    r->seq[0] = 100;
    r->seq[1] = 900;
    nev = 0;
}

static void pkt(struct rig *r, uint8_t l4, int d, const uint8_t *p, size_t n)
{
    struct pkt_view v;
    memset(&v, 0, sizeof v);
    v.ts_us = r->t_us + 1000 + r->seq[d];
    v.l4proto = l4;
    v.has_ports = l4 != L4_ICMP;
    v.tcp_seq = r->seq[d];
    v.tcp_flags = TCPF_ACK;
    v.payload.p = p;
    v.payload.n = n;
    v.payload_len = (uint32_t)n;
    r->seq[d] += (uint32_t)n;
    carrier_packet(r->c, &r->state, &r->f, (enum dir)d, &v, &r->v);
}

static void rig_end(struct rig *r)
{
    carrier_flow_end(r->c, &r->state, &r->f);
    carrier_free(r->c);
}

TEST(tls_excluded_quickly)
{
    static const uint8_t tls[64] = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03};
    struct rig r;
    rig_init(&r);
    unsigned n = 0;
    while (r.v.state != CARRIER_EXCLUDED && n < 100) {
        pkt(&r, L4_TCP, (int)(n & 1), tls, sizeof tls);
        n++;
    }
    CHECK_EQ_INT(r.v.state, CARRIER_EXCLUDED);
    CHECK_EQ_INT(n, CARRIER_PROBE_PAYLOADS);
    CHECK(r.state == NULL); /* nothing was allocated */
    rig_end(&r);
    rig_init(&r);
    pkt(&r, L4_ICMP, 0, tls, 8);
    CHECK_EQ_INT(r.v.state, CARRIER_EXCLUDED);
    rig_end(&r);
    rig_init(&r);
    for (n = 0; n < 100 && r.v.state != CARRIER_EXCLUDED; n++)
        pkt(&r, L4_TCP, 0, NULL, 0);
    CHECK_EQ_INT(n, CARRIER_PROBE_PACKETS);
    rig_end(&r);
}

TEST(smpp_matched_and_folded)
{
    struct rig r;
    rig_init(&r);
    /* two submit_sm in segments of 50 bytes */
    for (size_t off = 0; off < sizeof fx_smpp_two; off += 50) {
        size_t k = sizeof fx_smpp_two - off < 50 ? sizeof fx_smpp_two - off : 50;
        pkt(&r, L4_TCP, 0, fx_smpp_two + off, k);
    }
    CHECK_EQ_INT(r.v.state, CARRIER_MATCHED);
    CHECK_STR(r.v.protocol, "smpp");
    CHECK_EQ_INT(r.v.cls, SIG_CLASS_CARRIER_SMS);
    CHECK_EQ_INT(nev, 0); /* waiting for the responses */
    /* submit_sm_resp seq 4, status 0 */
    static const uint8_t resp[] = {0, 0, 0, 0x16, 0x80, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 4,
                                   'm', '0', '0', '0', '4', 0};
    pkt(&r, L4_TCP, 1, resp, sizeof resp);
    CHECK_EQ_INT(nev, 1);
    CHECK_STR(last.status, "0x00000000");
    CHECK_EQ_INT(last.flow_id, 7);
    rig_end(&r); /* seq 5 flushed without a status */
    CHECK_EQ_INT(nev, 2);
    CHECK_STR(last.status, "");
    CHECK_STR(last.originator, "TrapBank");
}

/* Flow class from evidence (issue 19): MAP answers to invokes that were no
 * SMS make the flow signalling, not carrier SMS, however long it runs; the
 * first SMS invoke turns it into carrier SMS. */
TEST(signalling_until_sms)
{
    struct rig r;
    rig_init(&r);
    for (unsigned i = 0; i < CARRIER_CANDIDATE_BUDGET + 4; i++)
        pkt(&r, L4_SCTP, 0, fx_map_bundle, sizeof fx_map_bundle);
    CHECK_EQ_INT(r.v.state, CARRIER_MATCHED);
    CHECK_EQ_INT(r.v.cls, SIG_CLASS_CARRIER_SIGNALLING);
    CHECK_STR(r.v.protocol, "map");
    CHECK_EQ_INT(nev, 0);
    pkt(&r, L4_SCTP, 0, fx_m2pa_v1, sizeof fx_m2pa_v1);
    CHECK_EQ_INT(r.v.state, CARRIER_MATCHED);
    CHECK_EQ_INT(r.v.cls, SIG_CLASS_CARRIER_SMS);
    CHECK_STR(r.v.protocol, "map");
    rig_end(&r);
    CHECK_EQ_INT(nev, 1);
    CHECK_STR(last.operation, "deliver");
    /* SGsAP on its port names the flow sgsap */
    rig_init(&r);
    struct pkt_view v;
    memset(&v, 0, sizeof v);
    v.ts_us = 5;
    v.l4proto = L4_SCTP;
    v.has_ports = true;
    v.sport = v.dport = 29118;
    v.payload.p = fx_sgsap_cpack;
    v.payload.n = sizeof fx_sgsap_cpack;
    carrier_packet(r.c, &r.state, &r.f, DIR_C2S, &v, &r.v);
    CHECK_EQ_INT(r.v.state, CARRIER_MATCHED);
    CHECK_EQ_INT(r.v.cls, SIG_CLASS_CARRIER_SIGNALLING);
    CHECK_STR(r.v.protocol, "sgsap");
    v.payload.p = fx_sgsap_mt;
    v.payload.n = sizeof fx_sgsap_mt;
    carrier_packet(r.c, &r.state, &r.f, DIR_S2C, &v, &r.v);
    CHECK_EQ_INT(r.v.state, CARRIER_MATCHED);
    CHECK_EQ_INT(r.v.cls, SIG_CLASS_CARRIER_SMS);
    CHECK_STR(r.v.protocol, "sgsap");
    rig_end(&r);
}

TEST(pending_table_bounded)
{
    struct rig r;
    rig_init(&r);
    uint8_t pdu[sizeof fx_smpp_submit];
    for (unsigned i = 0; i < CARRIER_MAX_PENDING + 8; i++) {
        memcpy(pdu, fx_smpp_submit, sizeof pdu);
        pdu[15] = (uint8_t)(i + 1); /* distinct sequence numbers */
        pkt(&r, L4_TCP, 0, pdu, sizeof pdu);
    }
    struct carrier_stats st;
    carrier_get_stats(r.c, &st);
    CHECK_EQ_INT(st.pending_evicted, 8);
    CHECK_EQ_INT(nev, 8);
    rig_end(&r);
    CHECK_EQ_INT(nev, CARRIER_MAX_PENDING + 8);
}

/* A submit_sm never answered (the tap sees one direction) is written
 * without a status once two packets in a row on the link come more than
 * PAIRING_TIMEOUT_US after it, not when the bind ends, and not on one
 * packet with an outlying time; the counter is exported only once it
 * happened. */
static uint64_t timeouts_put;
static bool timeouts_named;

static void put_stat(void *user, const char *name, uint64_t v)
{
    (void)user;
    if (!strcmp(name, "sms_pending_timeouts")) {
        timeouts_named = true;
        timeouts_put += v;
    }
}

TEST(unanswered_submit_times_out)
{
    struct rig r;
    rig_init(&r);
    pkt(&r, L4_TCP, 0, fx_smpp_submit, sizeof fx_smpp_submit);
    CHECK_EQ_INT(r.v.state, CARRIER_MATCHED);
    CHECK_EQ_INT(nev, 0);
    /* an enquire_link (SMPP 3.4 section 4.11.1) a minute later: still waiting */
    static const uint8_t enq[16] = {0, 0, 0, 16, 0, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, 0x63};
    r.t_us = PAIRING_TIMEOUT_US / 10;
    pkt(&r, L4_TCP, 0, enq, sizeof enq);
    CHECK_EQ_INT(nev, 0);
    timeouts_named = false;
    carrier_export(r.c, put_stat, NULL);
    CHECK(!timeouts_named);
    /* one packet stamped a day later (a corrupt record), then the link's
     * time again: nothing is given up */
    r.t_us = 86400ull * 1000000u;
    pkt(&r, L4_TCP, 0, enq, sizeof enq);
    r.t_us = PAIRING_TIMEOUT_US / 5;
    pkt(&r, L4_TCP, 0, enq, sizeof enq);
    CHECK_EQ_INT(nev, 0);
    /* past the timeout: the first packet there is not enough on its own,
     * the second writes the submit */
    r.t_us = PAIRING_TIMEOUT_US + 1000;
    pkt(&r, L4_TCP, 0, enq, sizeof enq);
    CHECK_EQ_INT(nev, 0);
    r.t_us = PAIRING_TIMEOUT_US + 30000000u;
    pkt(&r, L4_TCP, 0, enq, sizeof enq);
    CHECK_EQ_INT(nev, 1);
    CHECK_STR(last.status, "");
    CHECK_EQ_INT(last.flow_id, 7);
    struct carrier_stats st;
    carrier_get_stats(r.c, &st);
    CHECK_EQ_INT(st.pending_timeouts, 1);
    timeouts_put = 0;
    carrier_export(r.c, put_stat, NULL);
    CHECK(timeouts_named);
    CHECK_EQ_INT(timeouts_put, 1);
    rig_end(&r); /* nothing left to flush */
    CHECK_EQ_INT(nev, 1);
}

/* One DATA chunk (M3UA, stream 0, SSN 0) of user data u[0..n), padded:
 * the chunk area of one SCTP packet (RFC 9260 section 3.3.1). */
static size_t data_chunk(uint8_t *out, uint8_t flags, uint32_t tsn, const uint8_t *u, size_t n)
{
    size_t len = 16 + n;
    uint8_t h[16] = {0, flags, (uint8_t)(len >> 8), (uint8_t)len, (uint8_t)(tsn >> 24),
                     (uint8_t)(tsn >> 16), (uint8_t)(tsn >> 8), (uint8_t)tsn, 0, 0, 0, 0,
                     0, 0, 0, 3};
    memcpy(out, h, 16);
    memcpy(out + 16, u, n);
    while (len & 3)
        out[len++] = 0;
    return len;
}

/* fx_map_mo's MO-ForwardSM cut into three fragments (RFC 9260 section
 * 6.9) that come first, last, middle: the same SMS as the whole chunk.
 * (Fragments that come before the flow is bound to a row are not kept: the
 * probe needs the first one's M3UA header.) */
TEST(sctp_fragments_reassembled)
{
    const uint8_t *user = fx_map_mo + 16;
    size_t n = sizeof fx_map_mo - 16;
    struct rig r;
    rig_init(&r);
    pkt(&r, L4_SCTP, 0, fx_map_mo, sizeof fx_map_mo);
    rig_end(&r);
    CHECK_EQ_INT(nev, 1);
    struct sms_event whole = last;

    rig_init(&r);
    uint8_t b[256];
    static const struct {
        uint8_t flags;
        size_t off, len;
    } part[3] = {{0x02, 0, 60}, {0x01, 120, 0}, {0x00, 60, 60}};
    for (int k = 0; k < 3; k++) {
        size_t len = part[k].len ? part[k].len : n - part[k].off;
        size_t m = data_chunk(b, part[k].flags, 200 + (uint32_t)(part[k].off / 60), user + part[k].off,
                              len);
        pkt(&r, L4_SCTP, 0, b, m);
        if (k < 2)
            CHECK(r.v.state != CARRIER_MATCHED && !r.v.protocol);
    }
    CHECK_EQ_INT(r.v.state, CARRIER_MATCHED);
    CHECK_STR(r.v.protocol, "map");
    struct carrier_stats st;
    carrier_get_stats(r.c, &st);
    CHECK_EQ_INT(st.sctp_fragments, 3);
    CHECK_EQ_INT(st.sctp_reassembled, 1);
    CHECK_EQ_INT(st.sctp_frag_dropped, 0);
    rig_end(&r);
    CHECK_EQ_INT(nev, 1);
    CHECK_STR(last.operation, whole.operation);
    CHECK_STR(last.originator, whole.originator);
    CHECK_STR(last.recipient, whole.recipient);
    CHECK_EQ_INT(last.msg_ref, whole.msg_ref);
}

/* The same DATA chunk twice (a retransmission, or the tap's copy of the
 * packet): one SMS (RFC 9260 section 6.2). */
TEST(sctp_duplicate_tsn_once)
{
    struct rig r;
    rig_init(&r);
    pkt(&r, L4_SCTP, 0, fx_map_mo, sizeof fx_map_mo);
    pkt(&r, L4_SCTP, 0, fx_map_mo, sizeof fx_map_mo);
    struct carrier_stats st;
    carrier_get_stats(r.c, &st);
    CHECK_EQ_INT(st.sctp_duplicates, 1);
    rig_end(&r);
    CHECK_EQ_INT(nev, 1);
}

/* A retransmission 200 TSNs after its original (the fast retransmit of an
 * association that bundles many messages per packet, RFC 9260 7.2.4):
 * still one SMS.  With the 64-TSN window it was decoded again. */
TEST(sctp_late_duplicate_once)
{
    const uint8_t *user = fx_map_mo + 16;
    size_t n = sizeof fx_map_mo - 16;
    /* M3UA NTFY (management class 0, type 1), no parameters: no SMS */
    static const uint8_t ntfy[8] = {1, 0, 0, 1, 0, 0, 0, 8};
    uint8_t b[1024];
    CHECK(n + 16 <= sizeof b);
    struct rig r;
    rig_init(&r);
    pkt(&r, L4_SCTP, 0, b, data_chunk(b, 0x03, 1000, user, n));
    for (uint32_t t = 1001; t <= 1200; t++)
        pkt(&r, L4_SCTP, 0, b, data_chunk(b, 0x03, t, ntfy, sizeof ntfy));
    pkt(&r, L4_SCTP, 0, b, data_chunk(b, 0x03, 1000, user, n));
    struct carrier_stats st;
    carrier_get_stats(r.c, &st);
    CHECK_EQ_INT(st.sctp_duplicates, 1);
    rig_end(&r);
    CHECK_EQ_INT(nev, 1);
}

/* One SCTP association whose DATA chunks go to six rows (PPIDs 3, 46, 4,
 * 2, 18, 60): a flow keeps the states of CFLOW_ROW_STATES (4) rows (SGd's
 * row keeps none); the fifth stateful row's message is refused and counted,
 * the others decode as alone. */
TEST(row_states_bounded)
{
    static const struct {
        const uint8_t *b;
        size_t n;
    } msg[6] = {{fx_map_mo, sizeof fx_map_mo},   {fx_sgd_tfr_sctp, sizeof fx_sgd_tfr_sctp},
                {fx_sua_mt, sizeof fx_sua_mt},   {fx_m2ua_mo, sizeof fx_m2ua_mo},
                {fx_s1ap_attach, sizeof fx_s1ap_attach},
                {fx_ngap_register, sizeof fx_ngap_register}};
    struct rig r;
    rig_init(&r);
    uint8_t b[512];
    struct carrier_stats st;
    for (int k = 0; k < 6; k++) {
        CHECK(msg[k].n <= sizeof b);
        memcpy(b, msg[k].b, msg[k].n);
        b[4] = b[5] = b[6] = 0;
        b[7] = (uint8_t)(10 + k); /* distinct TSNs: not duplicates */
        pkt(&r, L4_SCTP, 0, b, msg[k].n);
        carrier_get_stats(r.c, &st);
        CHECK_EQ_INT(st.nomem, k < 5 ? 0 : 1);
    }
    CHECK_EQ_INT(st.sctp_duplicates, 0);
    rig_end(&r);
    CHECK_EQ_INT(nev, 4);
}

/* Forty DATA chunks bundled in one packet (RFC 9260 section 6.10; a host's
 * own capture of a loopback or offloaded link holds packets far larger
 * than an MTU): every one is decoded. */
TEST(sctp_bundle_of_forty)
{
    static uint8_t b[40 * sizeof fx_map_mo];
    size_t n = 0;
    for (int k = 0; k < 40; k++) {
        memcpy(b + n, fx_map_mo, sizeof fx_map_mo);
        b[n + 4] = b[n + 5] = b[n + 6] = 0;
        b[n + 7] = (uint8_t)(20 + k); /* TSN */
        n += sizeof fx_map_mo;
    }
    struct rig r;
    rig_init(&r);
    pkt(&r, L4_SCTP, 0, b, n);
    rig_end(&r);
    CHECK_EQ_INT(nev, 40);
}

/* A fragment whose message never completes goes once SCTP_REASM_MAX_AGE_US
 * has passed, at the next DATA chunk of its direction, whole or not (not
 * only at the association's end). */
TEST(sctp_fragment_ages_out)
{
    struct rig r;
    rig_init(&r);
    uint8_t b[256];
    size_t m = data_chunk(b, 0x02, 300, fx_map_mo + 16, 60); /* B, never completed */
    pkt(&r, L4_SCTP, 0, b, m);
    r.t_us = SCTP_REASM_MAX_AGE_US / 2;
    pkt(&r, L4_SCTP, 0, fx_map_mo, sizeof fx_map_mo); /* whole, TSN 100 */
    struct carrier_stats st;
    carrier_get_stats(r.c, &st);
    CHECK_EQ_INT(st.sctp_frag_dropped, 0);
    uint8_t w[sizeof fx_map_mo];
    memcpy(w, fx_map_mo, sizeof w);
    w[7] = 101;
    r.t_us = SCTP_REASM_MAX_AGE_US + 1000000u;
    pkt(&r, L4_SCTP, 0, w, sizeof w);
    carrier_get_stats(r.c, &st);
    CHECK_EQ_INT(st.sctp_frag_dropped, 1);
    rig_end(&r);
    CHECK_EQ_INT(nev, 2);
}

int main(void)
{
    RUN(tls_excluded_quickly);
    RUN(smpp_matched_and_folded);
    RUN(signalling_until_sms);
    RUN(pending_table_bounded);
    RUN(unanswered_submit_times_out);
    RUN(sctp_fragments_reassembled);
    RUN(sctp_duplicate_tsn_once);
    RUN(sctp_late_duplicate_once);
    RUN(row_states_bounded);
    RUN(sctp_bundle_of_forty);
    RUN(sctp_fragment_ages_out);
    return harness_done();
}
