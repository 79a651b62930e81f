/* test_tcap_map.c - SCTP chunks -> M3UA -> SCCP -> TCAP/MAP, and BER. */
#include "classify/tcap_map.h"

#include <stdlib.h>

#include "classify/ber.h"
#include "classify/m3ua.h"
#include "classify/sccp.h"
#include "classify/sctp_chunks.h"
#include "tests/harness.h"
#include "tests/unit/sms_fixtures.h"
#include "tests/unit/sms_legs.h"

static struct legs L;
static struct tcap_stats st;

/* Runs the whole chain over SCTP chunk bytes; returns MAP invokes found. */
static int chain(const uint8_t *p, size_t n, int dir)
{
    struct cursor c = cur_init(p, n);
    struct sctp_chunk ch;
    int found = 0;
    for (unsigned i = 0; i < SCTP_MAX_CHUNKS && sctp_chunks_next(&c, &ch) == PARSE_OK; i++) {
        struct sctp_data d;
        struct m3ua_data m;
        struct sccp_msg sc;
        if (ch.type != SCTP_CHUNK_DATA || sctp_chunks_data(&ch, &d) != PARSE_OK ||
            m3ua_parse(&d.user, &m) != PARSE_OK || sccp_parse(&m.payload, &sc) != PARSE_OK)
            continue;
        int r = tcap_map_parse(&sc.data, &sc, dir, 1, legs_fn, &L, &st);
        if (r > 0)
            found += r;
    }
    return found;
}

TEST(mo_forward)
{
    legs_reset(&L);
    CHECK_EQ_INT(chain(fx_map_mo, sizeof fx_map_mo, 0), 1);
    CHECK_EQ_INT(L.n, 1);
    CHECK_STR(L.v[0].ev.operation, "submit");
    CHECK_STR(L.v[0].ev.originator, "15551230001");
    CHECK_STR(L.v[0].ev.recipient, "15551230002");
    CHECK_STR(L.v[0].ev.smsc, "15550000001");
    CHECK_STR(L.v[0].ev.imsi, "001010000000001");
    CHECK_EQ_INT(L.v[0].key1, 0x101);
}

TEST(two_invokes_and_bundle)
{
    legs_reset(&L);
    CHECK_EQ_INT(chain(fx_map_two_invokes, sizeof fx_map_two_invokes, 1), 2);
    CHECK_EQ_INT(L.n, 2);
    CHECK_EQ_INT(L.v[0].ev.concat_part, 1);
    CHECK_EQ_INT(L.v[1].ev.concat_part, 2);
    CHECK_STR(L.v[1].ev.originator, "TrapBank");
    legs_reset(&L);
    chain(fx_map_bundle, sizeof fx_map_bundle, 0); /* two DATA chunks */
    CHECK_EQ_INT(L.n, 3);
    CHECK_STR(L.v[0].ev.status, "error 27");
    CHECK_STR(L.v[1].ev.status, "ok");
    CHECK_STR(L.v[2].ev.status, "ok");
    CHECK_EQ_INT(L.v[2].key1, 0x401);
    CHECK_EQ_INT(L.v[2].key2, 2u | 1u << 8); /* answers the direction-1 invoke id 2 */
}

TEST(every_prefix)
{
    const struct { const uint8_t *p; size_t n; } fx[] = {
        {fx_map_mo, sizeof fx_map_mo}, {fx_map_two_invokes, sizeof fx_map_two_invokes},
        {fx_map_bundle, sizeof fx_map_bundle}};
    for (size_t i = 0; i < 3; i++)
        for (size_t k = 0; k < fx[i].n; k++) {
            uint8_t *b = malloc(k ? k : 1);
            memcpy(b, fx[i].p, k);
            legs_reset(&L);
            chain(b, k, 0);
            free(b);
        }
    CHECK(1);
}

TEST(ber_limits)
{
    struct ber_tlv t;
    /* indefinite length */
    uint8_t ind[] = {0x30, 0x80, 0x02, 0x01, 0x01, 0x00, 0x00};
    struct cursor c = cur_init(ind, sizeof ind);
    CHECK_EQ_INT(ber_next(&c, &t), PARSE_INVALID);
    /* 5-octet length field */
    uint8_t l5[] = {0x04, 0x85, 0, 0, 0, 0, 1, 0};
    c = cur_init(l5, sizeof l5);
    CHECK_EQ_INT(ber_next(&c, &t), PARSE_INVALID);
    /* length past the end */
    uint8_t past[] = {0x04, 0x82, 0xff, 0xff, 0x00};
    c = cur_init(past, sizeof past);
    CHECK_EQ_INT(ber_next(&c, &t), PARSE_TRUNCATED);
    /* endless tag continuation */
    uint8_t tag[] = {0x1f, 0x81, 0x81, 0x81, 0x81, 0x81, 0x01, 0x00};
    c = cur_init(tag, sizeof tag);
    CHECK_EQ_INT(ber_next(&c, &t), PARSE_INVALID);
    /* nesting: 200 levels of SEQUENCE; descend is capped at BER_MAX_DEPTH */
    static uint8_t deep[400];
    for (int i = 0; i < 200; i++) {
        deep[2 * i] = 0x30;
        deep[2 * i + 1] = (uint8_t)(400 - 2 * i - 2 > 127 ? 0 : 400 - 2 * i - 2);
    }
    uint8_t path[BER_MAX_DEPTH + 1];
    memset(path, 0x30, sizeof path);
    c = cur_init(deep, sizeof deep);
    CHECK_EQ_INT(ber_descend(c, path, BER_MAX_DEPTH + 1, &t), PARSE_INVALID);
    uint8_t nest[2 * BER_MAX_DEPTH];
    for (int i = 0; i < BER_MAX_DEPTH; i++) {
        nest[2 * i] = 0x30;
        nest[2 * i + 1] = (uint8_t)(2 * BER_MAX_DEPTH - 2 * i - 2);
    }
    c = cur_init(nest, sizeof nest);
    CHECK_EQ_INT(ber_descend(c, path, BER_MAX_DEPTH, &t), PARSE_OK);
    int64_t v;
    CHECK(ber_int(cur_init((const uint8_t *)"\xff", 1), &v) && v == -1);
    CHECK(!ber_int(cur_init((const uint8_t *)"123456789", 9), &v));
    /* a TCAP message nested far deeper than the walk follows: no crash */
    legs_reset(&L);
    c = cur_init(deep, sizeof deep);
    CHECK(tcap_map_parse(&c, NULL, 0, 1, legs_fn, &L, &st) < 0);
}

TEST(hostile_sccp_m3ua)
{
    struct sccp_msg sc;
    uint8_t zero_ptr[] = {0x09, 0x80, 0x00, 0x03, 0x03, 0x00};
    struct cursor c = cur_init(zero_ptr, sizeof zero_ptr);
    CHECK_EQ_INT(sccp_parse(&c, &sc), PARSE_INVALID);
    uint8_t far_ptr[] = {0x09, 0x80, 0xff, 0x03, 0x03};
    c = cur_init(far_ptr, sizeof far_ptr);
    CHECK_EQ_INT(sccp_parse(&c, &sc), PARSE_TRUNCATED);
    struct m3ua_data m;
    uint8_t short_len[] = {0x01, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00, 0x04};
    c = cur_init(short_len, sizeof short_len);
    CHECK_EQ_INT(m3ua_parse(&c, &m), PARSE_INVALID);
    struct sctp_chunk ch;
    uint8_t bad_chunk[] = {0x00, 0x03, 0x00, 0x02};
    c = cur_init(bad_chunk, sizeof bad_chunk);
    CHECK_EQ_INT(sctp_chunks_next(&c, &ch), PARSE_INVALID);
}

/* Found by fuzz_tcap_map (corpus crash-invoke-without-opcode): an Invoke
 * that ends after its invokeID or its linkedID must not reuse the previous
 * component's opcode element. */
TEST(invoke_without_opcode)
{
    static const uint8_t begin[] = {
        0x62, 0x1a, 0x48, 0x01, 0x01, 0x6c, 0x15,
        0xa1, 0x08, 0x02, 0x01, 0x01, 0x02, 0x01, 0x2e, 0x30, 0x00, /* op 46, empty arg */
        0xa1, 0x03, 0x02, 0x01, 0x02,                               /* no opcode */
        0xa1, 0x06, 0x02, 0x01, 0x03, 0x80, 0x01, 0x01};            /* linkedID only */
    legs_reset(&L);
    struct cursor c = cur_init(begin, sizeof begin);
    CHECK_EQ_INT(tcap_map_parse(&c, NULL, 0, 1, legs_fn, &L, &st), 1);
    CHECK_EQ_INT(L.n, 1);
}

/* ITU-T Q.713 section 4.18 XUDT (hop counter, four pointers), built by
 * hand: called GT 15550000001 SSN 8, calling SSN 6 only, data 2 bytes. */
TEST(xudt)
{
    static const uint8_t x[] = {0x11, 0x80, 0x0f, 0x04, 0x0f, 0x11, 0x00,
                                0x0b, 0x12, 0x08, 0x00, 0x11, 0x04, 0x51, 0x55, 0x00, 0x00, 0x00, 0xf1,
                                0x02, 0x42, 0x06,
                                0x02, 0x64, 0x00};
    struct sccp_msg sc;
    struct cursor c = cur_init(x, sizeof x);
    CHECK_EQ_INT(sccp_parse(&c, &sc), PARSE_OK);
    CHECK_STR(sc.called.gt, "15550000001");
    CHECK_EQ_INT(sc.called.ssn, 8);
    CHECK_EQ_INT(sc.calling.ssn, 6);
    CHECK_STR(sc.calling.gt, "");
    CHECK_EQ_INT(cur_left(&sc.data), 2);
}

int main(void)
{
    RUN(mo_forward);
    RUN(two_invokes_and_bundle);
    RUN(every_prefix);
    RUN(ber_limits);
    RUN(hostile_sccp_m3ua);
    RUN(invoke_without_opcode);
    RUN(xudt);
    return harness_done();
}
