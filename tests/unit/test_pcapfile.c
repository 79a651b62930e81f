/* test_pcapfile.c - pcap/pcapng reader (capture/pcapfile.c) over the input
 * stream (capture/instream.c): multi-interface pcapng in both byte orders,
 * if_tsresol, gzip, every-prefix truncation and hostile block lengths.
 *
 * Fixtures are built by the test in memory (layouts: draft-ietf-opsawg-pcapng
 * sections 4.1-4.4, pcap-savefile(5)) and written to a temp file, so the
 * reader runs on a real descriptor.
 */
#include "capture/pcapfile.h"

#include <openssl/evp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "capture/instream.h"
#include "tests/harness.h"

#define BUFMAX 4096

struct buf {
    uint8_t b[BUFMAX];
    size_t n;
    bool be;
};

static void put16(struct buf *b, uint16_t v)
{
    if (b->be) {
        b->b[b->n++] = (uint8_t)(v >> 8);
        b->b[b->n++] = (uint8_t)v;
    } else {
        b->b[b->n++] = (uint8_t)v;
        b->b[b->n++] = (uint8_t)(v >> 8);
    }
}

static void put32(struct buf *b, uint32_t v)
{
    if (b->be) {
        put16(b, (uint16_t)(v >> 16));
        put16(b, (uint16_t)v);
    } else {
        put16(b, (uint16_t)v);
        put16(b, (uint16_t)(v >> 16));
    }
}

static void put_bytes(struct buf *b, const void *p, size_t n)
{
    memcpy(b->b + b->n, p, n);
    b->n += n;
}

static void shb(struct buf *b)
{
    b->b[b->n++] = 0x0a; /* the type is a palindrome */
    b->b[b->n++] = 0x0d;
    b->b[b->n++] = 0x0d;
    b->b[b->n++] = 0x0a;
    put32(b, 28);
    put32(b, 0x1a2b3c4d);
    put16(b, 1);
    put16(b, 0);
    put32(b, 0xffffffffu);
    put32(b, 0xffffffffu);
    put32(b, 28);
}

/* IDB; tsresol 0xff = no option. */
static void idb(struct buf *b, uint16_t lt, uint32_t snap, uint8_t tsresol)
{
    uint32_t len = tsresol == 0xff ? 20 : 32;
    put32(b, 1);
    put32(b, len);
    put16(b, lt);
    put16(b, 0);
    put32(b, snap);
    if (tsresol != 0xff) {
        put16(b, 9);
        put16(b, 1);
        uint8_t opt[4] = {tsresol, 0, 0, 0};
        put_bytes(b, opt, 4);
        put16(b, 0);
        put16(b, 0);
    }
    put32(b, len);
}

static void epb(struct buf *b, uint32_t ifid, uint64_t ts, uint8_t tag, uint32_t caplen)
{
    uint32_t pad = (4 - (caplen & 3)) & 3, len = 32 + caplen + pad;
    put32(b, 6);
    put32(b, len);
    put32(b, ifid);
    put32(b, (uint32_t)(ts >> 32));
    put32(b, (uint32_t)ts);
    put32(b, caplen);
    put32(b, caplen + 10);
    for (uint32_t i = 0; i < caplen + pad; i++)
        b->b[b->n++] = i == 0 ? tag : 0;
    put32(b, len);
}

/* A 3-interface capture as dumpcap writes it: Ethernet in microseconds, RAW
 * in nanoseconds with snaplen 128, SLL with 2^-10 s units; an unknown block
 * (custom, 0x40000BAD) and a simple packet block in between. */
static void multi(struct buf *b, bool be)
{
    memset(b, 0, sizeof *b);
    b->be = be;
    shb(b);
    idb(b, 1, 262144, 0xff);
    idb(b, 101, 128, 9);
    idb(b, 113, 96, 0x80 | 10);
    epb(b, 0, 1709287200000000ull, 0x10, 60);
    put32(b, 0x40000bad); /* unknown block: skipped */
    put32(b, 16);
    put32(b, 0);
    put32(b, 16);
    epb(b, 1, 1709287200500000000ull, 0x20, 41);
    epb(b, 2, (1709287201ull << 10) | 512, 0x30, 44); /* .5 s */
    put32(b, 3);                                       /* SPB: interface 0 */
    put32(b, 16 + 8);
    put32(b, 8);
    uint8_t d[8] = {0x40};
    put_bytes(b, d, 8);
    put32(b, 16 + 8);
}

static char tmpdir[64];

static void write_file(const char *path, const uint8_t *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f)
        return;
    CHECK(fwrite(p, 1, n, f) == n);
    fclose(f);
}

struct result {
    int open_rc, last_rc;
    size_t n;
    uint8_t tags[8];
    uint32_t ifid[8];
    int lt[8];
    uint64_t ts[8];
    uint32_t caplen[8];
    bool hash_ok;
    uint8_t sha[32];
};

static void read_path(const char *path, struct result *r)
{
    memset(r, 0, sizeof *r);
    struct instream *in = instream_open(path, NULL, NULL);
    CHECK(in != NULL);
    if (!in)
        return;
    struct pcapfile pf;
    r->open_rc = pcapfile_open(&pf, in);
    if (r->open_rc == PARSE_OK) {
        struct pcapfile_pkt p;
        int rc;
        while ((rc = pcapfile_next(&pf, &p)) == 1) {
            if (r->n < 8) {
                r->tags[r->n] = p.caplen ? p.data[0] : 0;
                r->ifid[r->n] = p.ifid;
                r->lt[r->n] = p.linktype;
                r->ts[r->n] = p.ts_us;
                r->caplen[r->n] = p.caplen;
            }
            r->n++;
        }
        r->last_rc = rc;
    }
    pcapfile_close(&pf);
    r->hash_ok = instream_finish_hash(in, true, r->sha);
    instream_close(in);
}

static void read_bytes(const uint8_t *p, size_t n, struct result *r)
{
    char path[128];
    snprintf(path, sizeof path, "%s/t.bin", tmpdir);
    write_file(path, p, n);
    read_path(path, r);
}

static void sha(const uint8_t *p, size_t n, uint8_t out[32])
{
    unsigned int len = 32;
    EVP_Digest(p, n, out, &len, EVP_sha256(), NULL);
}

TEST(multi_interface_both_orders)
{
    for (int be = 0; be < 2; be++) {
        struct buf b;
        multi(&b, be);
        struct result r;
        read_bytes(b.b, b.n, &r);
        CHECK_EQ_INT(r.open_rc, PARSE_OK);
        CHECK_EQ_INT(r.last_rc, 0);
        CHECK_EQ_INT(r.n, 4);
        CHECK_EQ_INT(r.tags[0], 0x10);
        CHECK_EQ_INT(r.tags[1], 0x20);
        CHECK_EQ_INT(r.tags[2], 0x30);
        CHECK_EQ_INT(r.tags[3], 0x40);
        CHECK_EQ_INT(r.ifid[1], 1);
        CHECK_EQ_INT(r.ifid[2], 2);
        CHECK_EQ_INT(r.lt[0], 1);
        CHECK_EQ_INT(r.lt[1], 12); /* LINKTYPE_RAW 101 -> DLT_RAW */
        CHECK_EQ_INT(r.lt[2], 113);
        CHECK_EQ_INT(r.ts[0], 1709287200000000ull);
        CHECK_EQ_INT(r.ts[1], 1709287200500000ull);
        CHECK_EQ_INT(r.ts[2], 1709287201500000ull);
        CHECK_EQ_INT(r.caplen[3], 8);
        uint8_t want[32];
        sha(b.b, b.n, want);
        CHECK(r.hash_ok && memcmp(r.sha, want, 32) == 0);
    }
}

/* Every prefix of the file: never a crash, never more packets than the
 * whole file, and a clean end only at a block boundary. */
TEST(every_prefix)
{
    struct buf b;
    multi(&b, false);
    size_t cuts_clean = 0;
    for (size_t k = 0; k < b.n; k++) {
        struct result r;
        read_bytes(b.b, k, &r);
        CHECK(r.n <= 4);
        if (k < 4) {
            CHECK(r.open_rc != PARSE_OK);
            continue;
        }
        CHECK(r.last_rc == 0 || r.last_rc == PARSE_TRUNCATED);
        if (r.last_rc == 0)
            cuts_clean++;
        uint8_t want[32];
        sha(b.b, k, want);
        CHECK(r.hash_ok && memcmp(r.sha, want, 32) == 0); /* the prefix, hashed whole */
    }
    /* Block boundaries: after the SHB, 3 IDBs, 3 EPBs, the custom block. */
    CHECK_EQ_INT(cuts_clean, 8);
}

static void hostile_one(struct buf *b, const char *what, int want_rc)
{
    struct result r;
    read_bytes(b->b, b->n, &r);
    harness_state.current = what;
    CHECK_EQ_INT(r.last_rc, want_rc);
}

TEST(hostile_blocks)
{
    static const uint32_t bad_len[] = {0, 8, 13, 0xfffffff0u, PCAPFILE_MAX_BLOCK + 4};
    for (size_t i = 0; i < sizeof bad_len / sizeof bad_len[0]; i++) {
        struct buf b = {.be = false};
        shb(&b);
        idb(&b, 1, 65535, 0xff);
        put32(&b, 6);
        put32(&b, bad_len[i]);
        for (int k = 0; k < 40; k++)
            b.b[b.n++] = 0;
        hostile_one(&b, "bad block length", PARSE_INVALID);
    }
    /* Trailing length differs from the leading one. */
    struct buf b = {.be = false};
    shb(&b);
    idb(&b, 1, 65535, 0xff);
    epb(&b, 0, 1, 0x10, 4);
    b.b[b.n - 4] = 0x99;
    hostile_one(&b, "trailer mismatch", PARSE_INVALID);
    /* EPB captured length beyond its block. */
    b.n = 0;
    shb(&b);
    idb(&b, 1, 65535, 0xff);
    size_t at = b.n;
    epb(&b, 0, 1, 0x10, 4);
    b.n = at + 20;
    put32(&b, 0x7fffffff); /* caplen */
    b.n = at + 32 + 4;
    hostile_one(&b, "caplen overrun", PARSE_INVALID);
    /* A packet on an interface that was never described. */
    b.n = 0;
    shb(&b);
    idb(&b, 1, 65535, 0xff);
    epb(&b, 7, 1, 0x10, 4);
    hostile_one(&b, "unknown interface", PARSE_INVALID);
    /* Bad byte-order magic in a second section. */
    b.n = 0;
    shb(&b);
    size_t s2 = b.n;
    shb(&b);
    b.b[s2 + 8] = 0x77;
    hostile_one(&b, "bad byte-order magic", PARSE_INVALID);
    /* if_tsresol out of range. */
    b.n = 0;
    shb(&b);
    idb(&b, 1, 65535, 100);
    hostile_one(&b, "tsresol", PARSE_INVALID);
    /* A second section resets the interfaces. */
    b.n = 0;
    shb(&b);
    idb(&b, 1, 65535, 0xff);
    shb(&b);
    epb(&b, 0, 1, 0x10, 4);
    hostile_one(&b, "section resets interfaces", PARSE_INVALID);
    harness_state.current = NULL;
    /* Not a capture at all. */
    struct result r;
    read_bytes((const uint8_t *)"hello, world", 12, &r);
    CHECK_EQ_INT(r.open_rc, PARSE_INVALID);
}

TEST(classic_pcap_and_gzip)
{
    /* Big-endian nanosecond pcap, RAW, one record. */
    struct buf b = {.be = true};
    put32(&b, 0xa1b23c4d);
    put16(&b, 2);
    put16(&b, 4);
    put32(&b, 0);
    put32(&b, 0);
    put32(&b, 65535);
    put32(&b, 101);
    put32(&b, 1709287200);
    put32(&b, 123456789);
    put32(&b, 4);
    put32(&b, 20);
    uint8_t d[4] = {0x45};
    put_bytes(&b, d, 4);
    struct result r;
    read_bytes(b.b, b.n, &r);
    CHECK_EQ_INT(r.n, 1);
    CHECK_EQ_INT(r.ts[0], 1709287200123456ull);
    CHECK_EQ_INT(r.lt[0], 12);
    /* The same bytes gzip-compressed: same packets, hash of the .gz. */
    char path[128];
    snprintf(path, sizeof path, "%s/t.pcap.gz", tmpdir);
    gzFile gz = gzopen(path, "wb");
    CHECK(gz != NULL);
    gzwrite(gz, b.b, (unsigned)b.n);
    gzclose(gz);
    read_path(path, &r);
    CHECK_EQ_INT(r.open_rc, PARSE_OK);
    CHECK_EQ_INT(r.n, 1);
    CHECK_EQ_INT(r.ts[0], 1709287200123456ull);
    FILE *f = fopen(path, "rb");
    uint8_t gzb[BUFMAX];
    size_t gn = f ? fread(gzb, 1, sizeof gzb, f) : 0;
    if (f)
        fclose(f);
    uint8_t want[32];
    sha(gzb, gn, want);
    CHECK(r.hash_ok && memcmp(r.sha, want, 32) == 0);
    /* A cut .gz: a fault, and the hash is still that of the bytes given. */
    for (size_t k = 11; k + 1 < gn; k += 3) {
        read_bytes(gzb, k, &r);
        CHECK(r.open_rc != PARSE_OK || r.last_rc < 0);
        sha(gzb, k, want);
        CHECK(r.hash_ok && memcmp(r.sha, want, 32) == 0);
    }
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_pcapfile.XXXXXX");
    if (!mkdtemp(tmpdir))
        return 1;
    RUN(multi_interface_both_orders);
    RUN(every_prefix);
    RUN(hostile_blocks);
    RUN(classic_pcap_and_gzip);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0)
        return 1;
    return harness_done();
}
