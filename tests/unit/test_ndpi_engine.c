/* test_ndpi_engine.c - the nDPI adapter's hold on memory (classify/ndpi.c
 * trim_tls_buffer, issue 12): nDPI 4.2 keeps a TLS record buffer for every
 * TCP flow it inspects; between packets of an undecided flow the adapter
 * frees it when it is empty, and frees it (excluding TLS) when its head is
 * not a TLS record header, while a partial record that is one is kept; a
 * flow nDPI named and follows for its certificate has it freed when empty.
 */
#include "classify/ndpi.h"

#include <stdlib.h>
#include <string.h>

#include "tests/harness.h"

#define PKT_MAX 1600

/* An IPv4/TCP packet 10.0.0.1:sport -> 10.0.0.2:dport, ACK|PSH, seq. */
static size_t tcp_packet(uint8_t *b, uint16_t sport, uint16_t dport, uint32_t seq,
                         const uint8_t *pl, size_t n)
{
    memset(b, 0, 40);
    size_t tot = 40 + n;
    b[0] = 0x45;
    b[2] = (uint8_t)(tot >> 8);
    b[3] = (uint8_t)tot;
    b[8] = 64;
    b[9] = 6;
    b[12] = 10, b[15] = 1;
    b[16] = 10, b[19] = 2;
    uint8_t *t = b + 20;
    t[0] = (uint8_t)(sport >> 8), t[1] = (uint8_t)sport;
    t[2] = (uint8_t)(dport >> 8), t[3] = (uint8_t)dport;
    t[4] = (uint8_t)(seq >> 24), t[5] = (uint8_t)(seq >> 16);
    t[6] = (uint8_t)(seq >> 8), t[7] = (uint8_t)seq;
    t[8] = 0, t[11] = 1;  /* ack */
    t[12] = 5 << 4;       /* data offset */
    t[13] = 0x18;         /* PSH|ACK */
    t[14] = 0xff, t[15] = 0xff;
    memcpy(b + 40, pl, n);
    return tot;
}

/* Feeds npkt packets of payload pl (n bytes each, consecutive sequence
 * numbers) and returns the TLS bytes buffered after the last one; *done
 * says whether the engine decided (the state is then gone). */
static size_t feed(struct ndpi_engine *n, void **st, uint16_t sport, const uint8_t *pl,
                   size_t len, int npkt, bool *done)
{
    uint8_t b[PKT_MAX];
    uint32_t seq = 1000;
    struct ndpi_engine_result r;
    *done = false;
    size_t most = 0;
    for (int i = 0; i < npkt && !*done; i++) {
        size_t tot = tcp_packet(b, sport, 40001, seq, pl, len);
        seq += (uint32_t)len;
        *done = ndpi_engine_packet(n, st, b, tot, 1700000000000000ull + (uint64_t)i * 1000, &r);
        size_t held = ndpi_engine_tls_buffered(*st);
        if (held > most)
            most = held;
    }
    return most;
}

TEST(not_a_record_is_not_kept)
{
    struct err e = {""};
    struct ndpi_engine *n = ndpi_engine_new(&e);
    CHECK(n != NULL);
    if (!n)
        return;
    /* 'A' (0x41) is no TLS content type; bytes 3..4 read as a record length
     * of 16705, which nDPI 4.2 would wait for, buffering every packet. */
    uint8_t pl[1200];
    memset(pl, 'A', sizeof pl);
    void *st = NULL;
    bool done;
    size_t most = feed(n, &st, 40000, pl, sizeof pl, 10, &done);
    CHECK_EQ_INT(most, 0);
    ndpi_engine_release(&st);

    /* A record header (handshake, TLS 1.0) announcing 4096 bytes: the
     * partial record is kept for nDPI to complete. */
    memset(pl, 0, sizeof pl);
    pl[0] = 0x16, pl[1] = 0x03, pl[2] = 0x01, pl[3] = 0x10, pl[4] = 0x00;
    st = NULL;
    most = feed(n, &st, 40002, pl, 100, 1, &done);
    CHECK(!done);
    CHECK(most >= 100);
    ndpi_engine_release(&st);

    /* Whole application-data records: nDPI consumes each, nothing stays. */
    memset(pl, 0x5a, sizeof pl);
    pl[0] = 0x17, pl[1] = 0x03, pl[2] = 0x03, pl[3] = 0x00, pl[4] = 0x20;
    st = NULL;
    most = feed(n, &st, 40004, pl, 5 + 0x20, 3, &done);
    CHECK(done || ndpi_engine_tls_buffered(st) == 0);
    ndpi_engine_release(&st);
    CHECK_EQ_INT(ndpi_engine_tls_buffered(NULL), 0);
    ndpi_engine_free(n);
}

/* A TLS ClientHello (RFC 8446 section 4.1.2) with one cipher suite and an
 * SNI of host (RFC 6066 section 3); returns its length. */
static size_t client_hello(uint8_t *b, const char *host)
{
    size_t hl = strlen(host), k = 0;
    size_t ext = 9 + hl;              /* server_name extension, whole */
    size_t body = 2 + 32 + 1 + 4 + 2 + 2 + ext;
    b[k++] = 0x16, b[k++] = 0x03, b[k++] = 0x01; /* handshake, TLS 1.0 record */
    b[k++] = (uint8_t)((body + 4) >> 8), b[k++] = (uint8_t)(body + 4);
    b[k++] = 0x01, b[k++] = 0, b[k++] = (uint8_t)(body >> 8), b[k++] = (uint8_t)body;
    b[k++] = 0x03, b[k++] = 0x03;     /* legacy_version */
    memset(b + k, 0x42, 32), k += 32; /* random */
    b[k++] = 0;                       /* no session id */
    b[k++] = 0, b[k++] = 2, b[k++] = 0x13, b[k++] = 0x01; /* TLS_AES_128_GCM_SHA256 */
    b[k++] = 1, b[k++] = 0;           /* null compression */
    b[k++] = (uint8_t)(ext >> 8), b[k++] = (uint8_t)ext;
    b[k++] = 0, b[k++] = 0;           /* server_name */
    b[k++] = (uint8_t)((5 + hl) >> 8), b[k++] = (uint8_t)(5 + hl);
    b[k++] = (uint8_t)((3 + hl) >> 8), b[k++] = (uint8_t)(3 + hl);
    b[k++] = 0;                       /* host_name */
    b[k++] = (uint8_t)(hl >> 8), b[k++] = (uint8_t)hl;
    memcpy(b + k, host, hl), k += hl;
    return k;
}

/* A flow nDPI named TLS from its ClientHello and follows further for the
 * certificate holds no buffer between records: the record was consumed. */
TEST(named_flow_between_records_holds_no_buffer)
{
    struct err e = {""};
    struct ndpi_engine *n = ndpi_engine_new(&e);
    CHECK(n != NULL);
    if (!n)
        return;
    uint8_t pl[512];
    size_t len = client_hello(pl, "www.example.org");
    void *st = NULL;
    bool done;
    feed(n, &st, 40010, pl, len, 1, &done);
    CHECK(!done); /* waiting for the server's certificate */
    CHECK(st != NULL);
    CHECK_EQ_INT(ndpi_engine_tls_buffered(st), 0);
    ndpi_engine_release(&st);
    ndpi_engine_free(n);
}

int main(void)
{
    RUN(not_a_record_is_not_kept);
    RUN(named_flow_between_records_holds_no_buffer);
    return harness_done();
}
