/* test_smpp.c - SMPP PDU decoder and its TCP stream handling. */
#include "classify/smpp.h"

#include <stdlib.h>

#include "tests/harness.h"
#include "tests/unit/sms_fixtures.h"
#include "tests/unit/sms_legs.h"

static struct legs L;
static struct smpp_stats st;

static enum parse_rc parse(const uint8_t *p, size_t n, bool from_client)
{
    struct cursor c = cur_init(p, n);
    return smpp_parse_pdu(&c, from_client, 42, legs_fn, &L, &st);
}

TEST(submit)
{
    /* built by mkfixtures.py: submit_sm seq 3, 15551230401 -> 15551230402 */
    legs_reset(&L);
    CHECK_EQ_INT(parse(fx_smpp_submit, sizeof fx_smpp_submit, true), PARSE_OK);
    CHECK_EQ_INT(L.n, 1);
    CHECK_EQ_INT(L.v[0].kind, SMS_LEG_REQUEST);
    CHECK_STR(L.v[0].ev.operation, "submit");
    CHECK_STR(L.v[0].ev.originator, "15551230401");
    CHECK_STR(L.v[0].ev.recipient, "15551230402");
    CHECK_EQ_INT(L.v[0].ev.recipient_ton, 1);
    CHECK_EQ_INT(L.v[0].key1, 3);
    CHECK(L.v[0].ev.content_present);
}

TEST(bind_never_copies_password)
{
    legs_reset(&L);
    CHECK_EQ_INT(parse(fx_smpp_bind, sizeof fx_smpp_bind, true), PARSE_OK);
    CHECK_EQ_INT(L.n, 1);
    CHECK_STR(L.v[0].ev.operation, "bind_transceiver");
    CHECK_STR(L.v[0].ev.detail, "system_id=esmeA");
    CHECK(mem_find(&L.v[0], sizeof L.v[0], "Pw0rdCnY", 8) == NULL);
}

TEST(multi_and_receipt)
{
    legs_reset(&L);
    CHECK_EQ_INT(parse(fx_smpp_multi, sizeof fx_smpp_multi, true), PARSE_OK);
    CHECK_EQ_INT(L.n, 3);
    CHECK_STR(L.v[0].ev.recipient, "15551230002");
    CHECK_STR(L.v[1].ev.recipient, "15551230003");
    CHECK_STR(L.v[2].ev.recipient, "friends");
    legs_reset(&L);
    CHECK_EQ_INT(parse(fx_smpp_receipt, sizeof fx_smpp_receipt, false), PARSE_OK);
    CHECK_EQ_INT(L.n, 1);
    CHECK_STR(L.v[0].ev.operation, "receipt");
    CHECK_STR(L.v[0].ev.detail, "receipted_message_id=m0002 message_state=DELIVERED");
    /* the receipt text (which repeats the message) is never kept */
    CHECK(mem_find(&L.v[0], sizeof L.v[0], "Trapcanary", 10) == NULL);
    legs_reset(&L);
    CHECK_EQ_INT(parse(fx_smpp_data, sizeof fx_smpp_data, true), PARSE_OK);
    CHECK_EQ_INT(L.n, 1);
    CHECK_STR(L.v[0].ev.operation, "data");
    CHECK_EQ_INT(L.v[0].ev.concat_ref, 0x0107);
    CHECK(L.v[0].ev.content_present);
}

/* Every prefix of a PDU parses to TRUNCATED or INVALID, never crashes,
 * never emits. */
TEST(every_prefix)
{
    const struct { const uint8_t *p; size_t n; } fx[] = {
        {fx_smpp_submit, sizeof fx_smpp_submit}, {fx_smpp_multi, sizeof fx_smpp_multi},
        {fx_smpp_receipt, sizeof fx_smpp_receipt}, {fx_smpp_data, sizeof fx_smpp_data},
        {fx_smpp_bind, sizeof fx_smpp_bind}};
    for (size_t i = 0; i < sizeof fx / sizeof fx[0]; i++)
        for (size_t k = 0; k < fx[i].n; k++) {
            uint8_t *b = malloc(k ? k : 1);
            memcpy(b, fx[i].p, k);
            legs_reset(&L);
            enum parse_rc rc = parse(b, k, true);
            CHECK(rc == PARSE_TRUNCATED || rc == PARSE_INVALID || rc == PARSE_OK);
            free(b);
        }
    CHECK(1);
}

static unsigned stream_in_chunks(const uint8_t *p, size_t n, size_t chunk, struct legs *out)
{
    struct tcp_reasm *r = tcp_reasm_new();
    bool resync = false;
    unsigned pdus = 0;
    legs_reset(out);
    for (size_t off = 0; off < n; off += chunk) {
        size_t k = n - off < chunk ? n - off : chunk;
        tcp_reasm_push(r, 1000u + (uint32_t)off, false, p + off, k, k);
        pdus += smpp_stream(r, &resync, true, 7, legs_fn, out, &st);
    }
    tcp_reasm_free(r);
    return pdus;
}

/* Two PDUs in one segment, and the same bytes fed one byte at a time. */
TEST(byte_at_a_time)
{
    struct legs a;
    for (size_t chunk = 1; chunk <= sizeof fx_smpp_two; chunk++) {
        unsigned n = stream_in_chunks(fx_smpp_two, sizeof fx_smpp_two, chunk, &a);
        CHECK_EQ_INT(n, 2);
        CHECK_EQ_INT(a.n, 2);
    }
    CHECK_STR(a.v[1].ev.originator, "TrapBank");
    CHECK_EQ_INT(a.v[1].ev.originator_ton, 5);
}

/* A retransmitted segment gives no second event; a gap resynchronises on
 * the next PDU header and invents nothing for the lost one. */
TEST(retransmission_and_gap)
{
    struct tcp_reasm *r = tcp_reasm_new();
    bool resync = false;
    legs_reset(&L);
    tcp_reasm_push(r, 1, false, fx_smpp_two, sizeof fx_smpp_two, sizeof fx_smpp_two);
    smpp_stream(r, &resync, true, 1, legs_fn, &L, &st);
    tcp_reasm_push(r, 1, false, fx_smpp_two, sizeof fx_smpp_two, sizeof fx_smpp_two);
    smpp_stream(r, &resync, true, 2, legs_fn, &L, &st);
    CHECK_EQ_INT(L.n, 2);
    CHECK_EQ_INT(r->retrans, 1);
    /* lose the first 30 bytes of a copy of the two PDUs: only the second survives */
    uint32_t next = 1 + (uint32_t)sizeof fx_smpp_two;
    tcp_reasm_push(r, next + 30, false, fx_smpp_two + 30, sizeof fx_smpp_two - 30,
                   sizeof fx_smpp_two - 30);
    smpp_stream(r, &resync, true, 3, legs_fn, &L, &st);
    CHECK_EQ_INT(L.n, 3);
    CHECK_STR(L.v[2].ev.originator, "TrapBank");
    CHECK_EQ_INT(r->gaps, 1);
    tcp_reasm_free(r);
}

TEST(hostile)
{
    uint8_t b[64];
    memset(b, 0, sizeof b);
    /* command_length below the header */
    b[3] = 8; b[7] = 4;
    legs_reset(&L);
    CHECK_EQ_INT(parse(b, 16, true), PARSE_INVALID);
    CHECK(!smpp_probe((struct span){b, 16}));
    /* absurd length */
    b[0] = 0x7f; b[3] = 0;
    CHECK(!smpp_probe((struct span){b, 16}));
    /* a request with a non-zero status */
    memcpy(b, fx_smpp_submit, 16);
    b[11] = 1;
    CHECK(!smpp_probe((struct span){b, 16}));
    CHECK_EQ_INT(parse(b, 16, true), PARSE_INVALID);
    /* submit_sm whose address is not NUL-terminated within 21 bytes */
    uint8_t a[16 + 1 + 2 + 40];
    memcpy(a, fx_smpp_submit, 16);
    a[3] = sizeof a;
    memset(a + 16, 'A', sizeof a - 16);
    a[16] = 0; /* service_type "" */
    legs_reset(&L);
    CHECK_EQ_INT(parse(a, sizeof a, true), PARSE_INVALID);
    CHECK_EQ_INT(L.n, 0);
    /* an unknown command id */
    memcpy(b, fx_smpp_submit, 16);
    b[7] = 0x77;
    CHECK(!smpp_probe((struct span){b, 16}));
}

/* submit_multi claiming 255 destinations, each a 20-digit address. */
TEST(multi_limit)
{
    static uint8_t b[16 + 64 + 255 * 24 + 64];
    size_t n = 0;
    memcpy(b, "\0\0\0\0\0\0\0\x21\0\0\0\0\0\0\0\x09", 16);
    n = 16;
    b[n++] = 0;             /* service_type */
    b[n++] = 1; b[n++] = 1; /* ton npi */
    memcpy(b + n, "123", 4); n += 4;
    b[n++] = 255;
    for (int i = 0; i < 255; i++) {
        b[n++] = 1; b[n++] = 1; b[n++] = 1;
        memcpy(b + n, "12345678901234567890", 21); n += 21;
    }
    memset(b + n, 0, 10); n += 10; /* esm_class .. sm_length 0 */
    b[2] = (uint8_t)(n >> 8); b[3] = (uint8_t)n;
    legs_reset(&L);
    struct smpp_stats s2 = {0};
    struct cursor c = cur_init(b, n);
    CHECK_EQ_INT(smpp_parse_pdu(&c, true, 1, legs_fn, &L, &s2), PARSE_OK);
    CHECK_EQ_INT(L.n, SMPP_MAX_DESTS);
    CHECK_EQ_INT(s2.dests_dropped, 255 - SMPP_MAX_DESTS);
}

int main(void)
{
    RUN(submit);
    RUN(bind_never_copies_password);
    RUN(multi_and_receipt);
    RUN(every_prefix);
    RUN(byte_at_a_time);
    RUN(retransmission_and_gap);
    RUN(hostile);
    RUN(multi_limit);
    return harness_done();
}
