/* test_sigtran.c - SCTP DATA -> M2PA / M2UA / SUA / SGsAP -> MAP / CP-RP
 * through classify/sigtran.c, on the generated fixtures (sms_fixtures.h). */
#include "classify/sigtran.h"

#include <stdlib.h>

#include "tests/harness.h"
#include "tests/unit/sctp_user.h"
#include "tests/unit/sms_fixtures.h"
#include "tests/unit/sms_legs.h"

static struct legs L;

/* Feeds one fixture (SCTP chunks) with the ports of its capture. */
static const char *feed(struct sigtran *s, const uint8_t *p, size_t n, uint16_t port, int dir,
                        uint64_t ts)
{
    struct cursor u;
    uint32_t ppid;
    if (!sctp_user(p, n, &u, &ppid))
        return NULL;
    return sigtran_data(s, ppid, port, port, &u, dir, ts, legs_fn, &L);
}

TEST(m2pa_segmented_mt_forward)
{
    struct sigtran *s = sigtran_new();
    legs_reset(&L);
    CHECK_STR(feed(s, fx_m2pa_seg1, sizeof fx_m2pa_seg1, 3565, 0, 1000), "map");
    CHECK_EQ_INT(L.n, 0); /* waiting for the second segment */
    CHECK_STR(feed(s, fx_m2pa_seg2, sizeof fx_m2pa_seg2, 3565, 0, 2000), "map");
    CHECK_EQ_INT(L.n, 1);
    CHECK_STR(L.v[0].ev.operation, "deliver");
    CHECK_STR(L.v[0].ev.direction, "mt");
    CHECK_STR(L.v[0].ev.originator, "15551230001");
    CHECK_STR(L.v[0].ev.recipient, "001010000000002");
    CHECK_STR(L.v[0].ev.smsc, "15550000001");
    CHECK_STR(L.v[0].ev.detail,
              "op=44 v3 m2pa opc=100 dpc=200 cgpa=15550000001/8 cdpa=15550000002/8");
    CHECK(L.v[0].ev.content_present);
    CHECK_EQ_INT(L.v[0].ev.ts_us, 2000);
    feed(s, fx_m2pa_result, sizeof fx_m2pa_result, 3565, 1, 3000);
    CHECK_EQ_INT(L.n, 2);
    CHECK_EQ_INT(L.v[1].kind, SMS_LEG_RESPONSE);
    CHECK_EQ_INT(L.v[1].key1, L.v[0].key1);
    CHECK_EQ_INT(L.v[1].key2, L.v[0].key2);
    struct sigtran_stats st;
    sigtran_get_stats(s, &st);
    CHECK_EQ_INT(st.reasm.reassembled, 1);
    CHECK_EQ_INT(st.m2pa, 3);
    sigtran_free(s);
}

TEST(map_operations)
{
    struct sigtran *s = sigtran_new();
    legs_reset(&L);
    feed(s, fx_m2pa_v1, sizeof fx_m2pa_v1, 3565, 0, 1);
    feed(s, fx_m2pa_report, sizeof fx_m2pa_report, 3565, 0, 2);
    feed(s, fx_m2pa_alert, sizeof fx_m2pa_alert, 3565, 1, 3);
    feed(s, fx_m2pa_cont, sizeof fx_m2pa_cont, 3565, 1, 4);
    CHECK_EQ_INT(L.n, 4);
    /* MAP v1 forwardSM: MT from SM-RP-DA = imsi */
    CHECK_STR(L.v[0].ev.operation, "deliver");
    CHECK_STR(L.v[0].ev.direction, "mt");
    CHECK_STR(L.v[0].ev.recipient, "001010000000001");
    CHECK(strstr(L.v[0].ev.detail, "op=46 v1 m2pa") == L.v[0].ev.detail);
    CHECK_STR(L.v[1].ev.operation, "report-delivery");
    CHECK_STR(L.v[1].ev.recipient, "15551230002");
    CHECK(strstr(L.v[1].ev.detail, "cdpa=15550000003/6 outcome=successfulTransfer") != NULL);
    CHECK_STR(L.v[2].ev.operation, "alert-sc");
    CHECK_STR(L.v[2].ev.recipient, "15551230001");
    CHECK_STR(L.v[2].ev.smsc, "15550000001");
    /* mo-forwardSM in a TC-CONTINUE: keyed on the sender's OTID */
    CHECK_STR(L.v[3].ev.operation, "submit");
    CHECK_STR(L.v[3].ev.originator, "15551230001");
    CHECK_EQ_INT(L.v[3].key1, 0x602);
    sigtran_free(s);
}

TEST(m2ua_sua_sgsap)
{
    struct sigtran *s = sigtran_new();
    legs_reset(&L);
    CHECK_STR(feed(s, fx_m2ua_mo, sizeof fx_m2ua_mo, 2904, 0, 1), "map");
    CHECK_STR(feed(s, fx_sua_mt, sizeof fx_sua_mt, 14001, 0, 2), "map");
    CHECK_EQ_INT(L.n, 2);
    CHECK_STR(L.v[0].ev.operation, "submit");
    CHECK_STR(L.v[0].ev.imsi, "001010000000001");
    CHECK(strstr(L.v[0].ev.detail, " m2ua opc=200 dpc=100 ") != NULL);
    CHECK_STR(L.v[1].ev.detail, "op=44 v3 sua cgpa=15550000001/8 cdpa=15550000002/8");
    legs_reset(&L);
    CHECK_STR(feed(s, fx_sgsap_mo, sizeof fx_sgsap_mo, 29118, 0, 1), "sgsap");
    CHECK_STR(feed(s, fx_sgsap_cpack, sizeof fx_sgsap_cpack, 29118, 1, 2), "sgsap");
    CHECK_STR(feed(s, fx_sgsap_rpack, sizeof fx_sgsap_rpack, 29118, 1, 3), "sgsap");
    CHECK_STR(feed(s, fx_sgsap_mt, sizeof fx_sgsap_mt, 29118, 1, 4), "sgsap");
    CHECK_STR(feed(s, fx_sgsap_rperror, sizeof fx_sgsap_rperror, 29118, 0, 5), "sgsap");
    CHECK_EQ_INT(L.n, 4);
    CHECK_STR(L.v[0].ev.protocol, "sgsap");
    CHECK_STR(L.v[0].ev.operation, "submit");
    CHECK_STR(L.v[0].ev.originator, "001010000000001");
    CHECK_STR(L.v[0].ev.recipient, "15551230002");
    CHECK_STR(L.v[0].ev.smsc, "15550000001");
    CHECK_EQ_INT(L.v[1].kind, SMS_LEG_RESPONSE);
    CHECK_STR(L.v[1].ev.status, "ok");
    CHECK_EQ_INT(L.v[1].key1, L.v[0].key1);
    CHECK_EQ_INT(L.v[1].key2, L.v[0].key2);
    CHECK_STR(L.v[2].ev.operation, "deliver");
    CHECK_STR(L.v[2].ev.recipient, "001010000000002");
    CHECK_STR(L.v[3].ev.status, "error 22");
    CHECK_EQ_INT(L.v[3].key2, L.v[2].key2);
    CHECK(L.v[3].key1 != L.v[0].key1); /* another subscriber */
    sigtran_free(s);
}

/* SCCP connections: the CR's initial L3 names the subscriber, the DT1s
 * carry the SMS; the answer pairs on the connection. */
TEST(circuit_switched)
{
    struct sigtran *s = sigtran_new();
    legs_reset(&L);
    CHECK_STR(feed(s, fx_bssap_cr, sizeof fx_bssap_cr, 2905, 0, 1), "bssap");
    CHECK_STR(feed(s, fx_bssap_cc, sizeof fx_bssap_cc, 2905, 1, 2), "sccp");
    CHECK_STR(feed(s, fx_bssap_dt1, sizeof fx_bssap_dt1, 2905, 0, 3), "bssap");
    CHECK_STR(feed(s, fx_bssap_ack, sizeof fx_bssap_ack, 2905, 1, 4), "bssap");
    CHECK_STR(feed(s, fx_bssap_rlsd, sizeof fx_bssap_rlsd, 2905, 1, 5), "sccp");
    CHECK_EQ_INT(L.n, 2);
    CHECK_STR(L.v[0].ev.protocol, "bssap");
    CHECK_STR(L.v[0].ev.operation, "submit");
    CHECK_STR(L.v[0].ev.originator, "001010000000001");
    CHECK_STR(L.v[0].ev.imsi, "001010000000001");
    CHECK_STR(L.v[0].ev.recipient, "15551230002");
    CHECK_EQ_INT(L.v[1].kind, SMS_LEG_RESPONSE);
    CHECK_EQ_INT(L.v[1].key1, L.v[0].key1);
    CHECK_EQ_INT(L.v[1].key2, L.v[0].key2);
    legs_reset(&L);
    CHECK_STR(feed(s, fx_ranap_initial, sizeof fx_ranap_initial, 2905, 0, 6), "ranap");
    CHECK_STR(feed(s, fx_ranap_cc, sizeof fx_ranap_cc, 2905, 1, 7), "sccp");
    CHECK_STR(feed(s, fx_ranap_dt1, sizeof fx_ranap_dt1, 2905, 1, 8), "ranap");
    CHECK_STR(feed(s, fx_ranap_ack, sizeof fx_ranap_ack, 2905, 0, 9), "ranap");
    CHECK_EQ_INT(L.n, 2);
    CHECK_STR(L.v[0].ev.protocol, "ranap");
    CHECK_STR(L.v[0].ev.operation, "deliver");
    CHECK_STR(L.v[0].ev.imsi, "");
    CHECK_STR(L.v[0].ev.detail, "tmsi=c0ffee01");
    CHECK_EQ_INT(L.v[1].key2, L.v[0].key2);
    CHECK_EQ_INT(L.v[1].key1, L.v[0].key1);
    struct sigtran_stats st;
    sigtran_get_stats(s, &st);
    CHECK_EQ_INT(st.conn.opened, 2);
    CHECK_EQ_INT(st.conn.closed, 1);
    /* a DT1 of an unknown connection: decoded, without a subscriber */
    legs_reset(&L);
    struct sigtran *s2 = sigtran_new();
    CHECK_STR(feed(s2, fx_ranap_dt1, sizeof fx_ranap_dt1, 2905, 1, 8), "ranap");
    CHECK_EQ_INT(L.n, 1);
    CHECK_STR(L.v[0].ev.recipient, "");
    sigtran_get_stats(s2, &st);
    CHECK_EQ_INT(st.conn.unknown_ref, 1);
    sigtran_free(s2);
    sigtran_free(s);
}

TEST(probe)
{
    struct cursor u;
    uint32_t ppid;
    CHECK(sctp_user(fx_m2pa_v1, sizeof fx_m2pa_v1, &u, &ppid));
    CHECK(sigtran_probe(ppid, 1, 2, cur_rest(&u)));
    CHECK(!sigtran_probe(99, 1, 2, cur_rest(&u)));
    CHECK(sctp_user(fx_sgsap_mo, sizeof fx_sgsap_mo, &u, &ppid));
    CHECK(sigtran_probe(0, 29118, 5000, cur_rest(&u)));
    CHECK(!sigtran_probe(0, 5000, 5001, cur_rest(&u))); /* SGsAP only on its port */
}

/* Every prefix of every fixture: no crash, no read past the end (ASan). */
TEST(every_prefix)
{
    const struct { const uint8_t *p; size_t n; uint16_t port; } fx[] = {
        {fx_m2pa_seg1, sizeof fx_m2pa_seg1, 3565}, {fx_m2pa_seg2, sizeof fx_m2pa_seg2, 3565},
        {fx_m2pa_v1, sizeof fx_m2pa_v1, 3565},     {fx_m2pa_report, sizeof fx_m2pa_report, 3565},
        {fx_m2pa_alert, sizeof fx_m2pa_alert, 3565}, {fx_m2pa_cont, sizeof fx_m2pa_cont, 3565},
        {fx_m2ua_mo, sizeof fx_m2ua_mo, 2904},     {fx_sua_mt, sizeof fx_sua_mt, 14001},
        {fx_sgsap_mo, sizeof fx_sgsap_mo, 29118},  {fx_sgsap_mt, sizeof fx_sgsap_mt, 29118},
        {fx_sgsap_rperror, sizeof fx_sgsap_rperror, 29118},
        {fx_bssap_cr, sizeof fx_bssap_cr, 2905},   {fx_bssap_dt1, sizeof fx_bssap_dt1, 2905},
        {fx_ranap_initial, sizeof fx_ranap_initial, 2905},
        {fx_ranap_dt1, sizeof fx_ranap_dt1, 2905}};
    struct sigtran *s = sigtran_new();
    unsigned legs_on_prefix = 0;
    for (size_t i = 0; i < sizeof fx / sizeof fx[0]; i++) {
        struct cursor u;
        uint32_t ppid;
        CHECK(sctp_user(fx[i].p, fx[i].n, &u, &ppid));
        struct span whole = cur_rest(&u);
        for (size_t k = 0; k < whole.n; k++) {
            uint8_t *b = malloc(k ? k : 1);
            memcpy(b, whole.p, k);
            struct cursor c = cur_init(b, k);
            legs_reset(&L);
            sigtran_data(s, ppid, fx[i].port, fx[i].port, &c, 0, 1, legs_fn, &L);
            if (k + 3 < whole.n) /* the last parameter may lack its padding */
                legs_on_prefix += L.n;
            free(b);
        }
    }
    /* every layer checks its length field against the capture: a cut
     * message is TRUNCATED and emits nothing */
    CHECK_EQ_INT(legs_on_prefix, 0);
    sigtran_free(s);
}

/* Flips every byte of every fixture to 0x00 and 0xff in turn. */
TEST(hostile_bytes)
{
    const struct { const uint8_t *p; size_t n; uint16_t port; } fx[] = {
        {fx_m2pa_seg1, sizeof fx_m2pa_seg1, 3565}, {fx_m2ua_mo, sizeof fx_m2ua_mo, 2904},
        {fx_sua_mt, sizeof fx_sua_mt, 14001},      {fx_sgsap_mt, sizeof fx_sgsap_mt, 29118},
        {fx_bssap_cr, sizeof fx_bssap_cr, 2905},   {fx_ranap_dt1, sizeof fx_ranap_dt1, 2905}};
    struct sigtran *s = sigtran_new();
    for (size_t i = 0; i < sizeof fx / sizeof fx[0]; i++) {
        struct cursor u;
        uint32_t ppid;
        CHECK(sctp_user(fx[i].p, fx[i].n, &u, &ppid));
        struct span whole = cur_rest(&u);
        uint8_t *b = malloc(whole.n);
        for (size_t k = 0; k < whole.n; k++)
            for (int v = 0; v < 2; v++) {
                memcpy(b, whole.p, whole.n);
                b[k] = v ? 0xff : 0x00;
                struct cursor c = cur_init(b, whole.n);
                legs_reset(&L);
                sigtran_data(s, ppid, fx[i].port, fx[i].port, &c, 0, 1, legs_fn, &L);
            }
        free(b);
    }
    CHECK(1);
    sigtran_free(s);
}

int main(void)
{
    RUN(m2pa_segmented_mt_forward);
    RUN(map_operations);
    RUN(m2ua_sua_sgsap);
    RUN(circuit_switched);
    RUN(probe);
    RUN(every_prefix);
    RUN(hostile_bytes);
    return harness_done();
}
