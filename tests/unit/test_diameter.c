/* test_diameter.c - Diameter SGd decoding over TCP streams and SCTP. */
#include "classify/diameter.h"

#include <stdlib.h>

#include "classify/sctp_chunks.h"
#include "tests/harness.h"
#include "tests/unit/sms_fixtures.h"
#include "tests/unit/sms_legs.h"

static struct legs L;
static struct diameter_stats st;

TEST(ofr_ofa)
{
    bool sms = false;
    legs_reset(&L);
    struct cursor c = cur_init(fx_sgd_ofr, sizeof fx_sgd_ofr);
    CHECK_EQ_INT(diameter_parse(&c, 1, legs_fn, &L, &sms, &st), PARSE_OK);
    c = cur_init(fx_sgd_ofa, sizeof fx_sgd_ofa);
    CHECK_EQ_INT(diameter_parse(&c, 2, legs_fn, &L, &sms, &st), PARSE_OK);
    CHECK(sms);
    CHECK_EQ_INT(L.n, 2);
    CHECK_STR(L.v[0].ev.operation, "submit");
    CHECK_STR(L.v[0].ev.originator, "15551230001");
    CHECK_STR(L.v[0].ev.recipient, "15551230002");
    CHECK_STR(L.v[0].ev.smsc, "15550000001");
    CHECK_STR(L.v[0].ev.imsi, "001010000000001");
    CHECK_STR(L.v[1].ev.status, "2001");
    CHECK(L.v[0].key1 == L.v[1].key1);
}

TEST(tfr_over_sctp)
{
    struct cursor c = cur_init(fx_sgd_tfr_sctp, sizeof fx_sgd_tfr_sctp);
    struct sctp_chunk ch;
    struct sctp_data d;
    CHECK_EQ_INT(sctp_chunks_next(&c, &ch), PARSE_OK);
    CHECK_EQ_INT(sctp_chunks_data(&ch, &d), PARSE_OK);
    CHECK_EQ_INT(d.ppid, 46);
    bool sms = false;
    legs_reset(&L);
    CHECK_EQ_INT(diameter_parse(&d.user, 1, legs_fn, &L, &sms, &st), PARSE_OK);
    CHECK_EQ_INT(L.n, 1);
    CHECK_STR(L.v[0].ev.operation, "deliver");
    CHECK_STR(L.v[0].ev.originator, "TrapBank");
    CHECK_STR(L.v[0].ev.recipient, "001010000000002");
}

TEST(every_prefix_and_bytes)
{
    for (size_t k = 0; k < sizeof fx_sgd_ofr; k++) {
        uint8_t *b = malloc(k ? k : 1);
        memcpy(b, fx_sgd_ofr, k);
        struct cursor c = cur_init(b, k);
        bool sms = false;
        legs_reset(&L);
        diameter_parse(&c, 1, legs_fn, &L, &sms, &st);
        free(b);
    }
    uint8_t two[sizeof fx_sgd_ofr + sizeof fx_sgd_ofa];
    memcpy(two, fx_sgd_ofr, sizeof fx_sgd_ofr);
    memcpy(two + sizeof fx_sgd_ofr, fx_sgd_ofa, sizeof fx_sgd_ofa);
    for (size_t chunk = 1; chunk <= 128; chunk *= 2) {
        struct tcp_reasm *r = tcp_reasm_new();
        bool resync = false, sms = false;
        unsigned n = 0;
        legs_reset(&L);
        for (size_t off = 0; off < sizeof two; off += chunk) {
            size_t k = sizeof two - off < chunk ? sizeof two - off : chunk;
            tcp_reasm_push(r, (uint32_t)off, false, two + off, k, k);
            n += diameter_stream(r, &resync, 1, legs_fn, &L, &sms, &st);
        }
        CHECK_EQ_INT(n, 2);
        CHECK_EQ_INT(L.n, 2);
        tcp_reasm_free(r);
    }
}

TEST(hostile)
{
    uint8_t b[sizeof fx_sgd_ofr];
    memcpy(b, fx_sgd_ofr, sizeof b);
    /* first AVP length 3: below its 8-byte header */
    b[20 + 5] = 0; b[20 + 6] = 0; b[20 + 7] = 3;
    struct cursor c = cur_init(b, sizeof b);
    bool sms = false;
    legs_reset(&L);
    CHECK_EQ_INT(diameter_parse(&c, 1, legs_fn, &L, &sms, &st), PARSE_OK);
    CHECK_EQ_INT(L.n, 1); /* the request is still a leg, its AVPs unread */
    CHECK_STR(L.v[0].ev.recipient, "");
    uint8_t v2[20] = {2, 0, 0, 20};
    CHECK(!diameter_probe((struct span){v2, sizeof v2}));
    uint8_t huge[20] = {1, 0xff, 0xff, 0xfc};
    CHECK(!diameter_probe((struct span){huge, sizeof huge}));
}

int main(void)
{
    RUN(ofr_ofa);
    RUN(tfr_over_sctp);
    RUN(every_prefix_and_bytes);
    RUN(hostile);
    return harness_done();
}
