/* test_hasher.c - SHA-256 on the helper thread (capture/hasher.h) and the
 * input stream over it (capture/instream.h): the digest of spans handed over
 * one after the other, for several streams at once, is the digest of their
 * concatenation; a span may be rewritten as soon as hasher_wait returns; an
 * input read through a hasher (plain and gzip, in odd read sizes, and cut
 * short and drained by instream_finish_hash) has the file's SHA-256, the
 * same as without one, and hands the parser exactly the file's bytes, also
 * when parked and reopened between fills.  Runs under ThreadSanitizer
 * (make SANITIZE=thread).
 */
#include "capture/hasher.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "capture/instream.h"
#include "tests/harness.h"

static char tmpdir[64];

static void sha(const uint8_t *p, size_t n, uint8_t out[32])
{
    unsigned len = 0;
    EVP_Digest(p, n, out, &len, EVP_sha256(), NULL);
}

/* Deterministic bytes (xorshift). */
static void fill(uint8_t *p, size_t n, uint32_t seed)
{
    uint32_t x = seed ? seed : 1;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (uint8_t)x;
    }
}

static void job_init(struct hasher_job *j)
{
    memset(j, 0, sizeof *j);
    j->md = EVP_MD_CTX_new();
    j->ok = true;
    EVP_DigestInit_ex(j->md, EVP_sha256(), NULL);
}

static void job_end(struct hasher *h, struct hasher_job *j, uint8_t out[32])
{
    unsigned len = 0;
    hasher_wait(h, j);
    EVP_DigestFinal_ex(j->md, out, &len);
    EVP_MD_CTX_free(j->md);
}

/* Two streams, each copying its next span into one reused buffer (as the
 * input window is reused) and handing it over: digests equal the one-shot
 * digests of everything each stream sent, with and without the thread. */
static void two_streams(struct hasher *h)
{
    enum { TOTAL = 3 << 20 };
    uint8_t *src[2], *win[2];
    struct hasher_job job[2];
    size_t off[2] = {0, 0};
    for (int k = 0; k < 2; k++) {
        src[k] = malloc(TOTAL);
        win[k] = malloc(65536);
        fill(src[k], TOTAL, 7 + (uint32_t)k);
        job_init(&job[k]);
    }
    uint32_t x = 12345;
    while (off[0] < TOTAL || off[1] < TOTAL) {
        for (int k = 0; k < 2; k++) {
            x = x * 1103515245u + 12345u;
            size_t n = 1 + (x >> 8) % 65536;
            if (n > TOTAL - off[k])
                n = TOTAL - off[k];
            if (n == 0)
                continue;
            hasher_wait(h, &job[k]); /* the window is about to be rewritten */
            memcpy(win[k], src[k] + off[k], n);
            hasher_update(h, &job[k], win[k], n);
            off[k] += n;
        }
    }
    for (int k = 0; k < 2; k++) {
        uint8_t got[32], want[32];
        job_end(h, &job[k], got);
        sha(src[k], TOTAL, want);
        CHECK(job[k].ok);
        CHECK(memcmp(got, want, 32) == 0);
        free(src[k]);
        free(win[k]);
    }
}

TEST(spans_in_order_per_stream)
{
    struct err e = {""};
    struct hasher *h = hasher_new(&e);
    CHECK(h != NULL);
    two_streams(h);
    CHECK(hasher_spans(h) > 100);
    hasher_free(h);
    two_streams(NULL); /* the one-thread mode: same digests */
    CHECK_EQ_INT(hasher_spans(NULL), 0);
}

TEST(free_with_nothing_queued)
{
    struct err e = {""};
    struct hasher *h = hasher_new(&e);
    CHECK(h != NULL);
    hasher_free(h);
    hasher_free(NULL);
}

/* Reads path through an instream (hasher h) in odd sizes, up to a whole
 * window now and then, consuming at most `stop` bytes (SIZE_MAX = all);
 * every byte handed over must be data's (when given), and with `park` the
 * stream is parked every few fills (its descriptor closed, reopened by the
 * next read).  Returns finish_hash's result. */
static bool read_through_ex(const char *path, struct hasher *h, size_t stop, uint8_t out[32],
                            size_t *consumed, const uint8_t *data, bool park)
{
    struct err e = {""};
    struct instream *s = instream_open(path, h, &e);
    CHECK(s != NULL);
    if (!s)
        return false;
    size_t got = 0, step = 1, fills = 0;
    for (;;) {
        const uint8_t *p;
        size_t want = step % 200000 + 1;
        if (step % 13 == 0)
            want = INSTREAM_BUF; /* a whole window */
        if (want > stop - got)
            want = stop - got;
        if (want == 0)
            break;
        long n = instream_fill(s, want, &p);
        CHECK(n >= 0);
        if (n <= 0)
            break;
        CHECK((size_t)n == want || instream_fill(s, want + 1, &p) == n);
        if (data && memcmp(p, data + got, (size_t)n) != 0) {
            CHECK(!"the bytes handed over are the file's");
            break;
        }
        /* consume part of it now and then: the tail moves with the window */
        size_t take = step % 5 == 0 && n > 1 ? (size_t)n / 2 : (size_t)n;
        instream_consume(s, take);
        got += take;
        if (park && ++fills % 7 == 0)
            instream_park(s);
        step = step * 31 + 7;
    }
    *consumed = got;
    bool ok = instream_finish_hash(s, true, out);
    instream_close(s);
    return ok;
}

static bool read_through(const char *path, struct hasher *h, size_t stop, uint8_t out[32],
                         size_t *consumed)
{
    return read_through_ex(path, h, stop, out, consumed, NULL, false);
}

TEST(instream_plain_and_gzip)
{
    enum { SIZE = 5 << 20 };
    uint8_t *data = malloc(SIZE);
    fill(data, SIZE, 99);
    char plain[128], gzp[128];
    snprintf(plain, sizeof plain, "%s/in.bin", tmpdir);
    snprintf(gzp, sizeof gzp, "%s/in.bin.gz", tmpdir);
    FILE *f = fopen(plain, "wb");
    CHECK(f && fwrite(data, 1, SIZE, f) == SIZE);
    if (f)
        fclose(f);
    gzFile gz = gzopen(gzp, "wb1");
    CHECK(gz != NULL);
    gzwrite(gz, data, SIZE);
    gzclose(gz);

    struct err e = {""};
    struct hasher *h = hasher_new(&e);
    CHECK(h != NULL);
    uint8_t want[32], got[32], got1[32];
    size_t consumed = 0;
    sha(data, SIZE, want);
    /* whole plain file, with and without the thread */
    CHECK(read_through(plain, h, SIZE_MAX, got, &consumed));
    CHECK_EQ_INT(consumed, SIZE);
    CHECK(memcmp(got, want, 32) == 0);
    CHECK(read_through(plain, NULL, SIZE_MAX, got1, &consumed));
    CHECK(memcmp(got1, want, 32) == 0);
    /* read a third, then finish_hash drains the rest: still the file's hash */
    CHECK(read_through(plain, h, SIZE / 3, got, &consumed));
    CHECK_EQ_INT(consumed, SIZE / 3);
    CHECK(memcmp(got, want, 32) == 0);
    /* gzip: the decoded bytes come through, the hash is the .gz file's */
    FILE *g = fopen(gzp, "rb");
    uint8_t *gzb = malloc(SIZE + 65536);
    size_t gn = g ? fread(gzb, 1, SIZE + 65536, g) : 0;
    if (g)
        fclose(g);
    uint8_t wantgz[32];
    sha(gzb, gn, wantgz);
    CHECK(read_through(gzp, h, SIZE_MAX, got, &consumed));
    CHECK_EQ_INT(consumed, SIZE);
    CHECK(memcmp(got, wantgz, 32) == 0);
    CHECK(read_through(gzp, h, SIZE / 5, got, &consumed));
    CHECK(memcmp(got, wantgz, 32) == 0);
    /* every byte handed over is the file's, with and without the thread,
     * parked or not */
    for (int park = 0; park < 2; park++) {
        CHECK(read_through_ex(plain, h, SIZE_MAX, got, &consumed, data, park));
        CHECK_EQ_INT(consumed, SIZE);
        CHECK(memcmp(got, want, 32) == 0);
        CHECK(read_through_ex(plain, NULL, SIZE_MAX, got, &consumed, data, park));
        CHECK(memcmp(got, want, 32) == 0);
        CHECK(read_through_ex(gzp, h, SIZE_MAX, got, &consumed, data, park));
        CHECK_EQ_INT(consumed, SIZE);
        CHECK(memcmp(got, wantgz, 32) == 0);
        /* cut short, parked: still the hash */
        CHECK(read_through_ex(plain, h, SIZE / 7, got, &consumed, data, park));
        CHECK(memcmp(got, want, 32) == 0);
    }

    /* closed without finishing: no use after free of the window (ASan/TSan) */
    struct instream *s = instream_open(plain, h, &e);
    const uint8_t *p;
    CHECK(s && instream_fill(s, 1000, &p) == 1000);
    instream_close(s);
    hasher_free(h);
    free(gzb);
    free(data);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_hasher.XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    RUN(spans_in_order_per_stream);
    RUN(free_with_nothing_queued);
    RUN(instream_plain_and_gzip);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", tmpdir);
    return harness_done();
}
