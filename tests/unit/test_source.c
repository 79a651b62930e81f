/* test_source.c - merged offline pcap/pcapng sources (capture/source.c).
 *
 * The captures are written by the test itself into a temp directory with
 * libpcap's pcap_open_dead/pcap_dump_open (pcap) or by hand (pcapng, whose
 * block layout is draft-ietf-opsawg-pcapng section 4); each frame's first
 * byte tags the file and packet it came from.
 */
#include "capture/source.h"

#include <openssl/evp.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/harness.h"

static char tmpdir[64];

static void tpath(char out[256], const char *name)
{
    snprintf(out, 256, "%s/%s", tmpdir, name);
}

/* Writes a pcap of n frames (link type dlt) with the given times in
 * microseconds; frame k is 60 bytes starting with tag + k. */
static void write_pcap(const char *path, int dlt, const uint64_t *ts, size_t n, uint8_t tag)
{
    pcap_t *p = pcap_open_dead(dlt, 65535);
    pcap_dumper_t *d = pcap_dump_open(p, path);
    CHECK(d != NULL);
    if (!d) {
        pcap_close(p);
        return;
    }
    for (size_t k = 0; k < n; k++) {
        uint8_t frame[60] = {0};
        frame[0] = (uint8_t)(tag + k);
        struct pcap_pkthdr h = {.caplen = sizeof frame, .len = sizeof frame + 4};
        h.ts.tv_sec = (time_t)(ts[k] / 1000000);
        h.ts.tv_usec = (suseconds_t)(ts[k] % 1000000);
        pcap_dump((u_char *)d, &h, frame);
    }
    pcap_dump_close(d);
    pcap_close(p);
}

static void put32(uint8_t *b, size_t *o, uint32_t v)
{
    memcpy(b + *o, &v, 4); /* host order; the SHB byte-order magic says which */
    *o += 4;
}

/* A minimal pcapng: SHB, one IDB (EN10MB, microsecond resolution), one EPB
 * per time; frame k is 60 bytes starting with tag + k. */
static void write_pcapng(const char *path, const uint64_t *ts, size_t n, uint8_t tag)
{
    uint8_t b[4096];
    size_t o = 0;
    put32(b, &o, 0x0a0d0d0a); /* SHB */
    put32(b, &o, 28);
    put32(b, &o, 0x1a2b3c4d);
    put32(b, &o, 0x00000001); /* version 1.0 */
    put32(b, &o, 0xffffffff); /* section length unknown (-1) */
    put32(b, &o, 0xffffffff);
    put32(b, &o, 28);
    put32(b, &o, 0x00000001); /* IDB */
    put32(b, &o, 20);
    put32(b, &o, 1);          /* link type EN10MB, reserved 0 */
    put32(b, &o, 65535);      /* snaplen */
    put32(b, &o, 20);
    for (size_t k = 0; k < n; k++) {
        put32(b, &o, 0x00000006); /* EPB */
        put32(b, &o, 32 + 60);
        put32(b, &o, 0);          /* interface 0 */
        put32(b, &o, (uint32_t)(ts[k] >> 32));
        put32(b, &o, (uint32_t)ts[k]);
        put32(b, &o, 60);
        put32(b, &o, 64);
        memset(b + o, 0, 60);
        b[o] = (uint8_t)(tag + k);
        o += 60;
        put32(b, &o, 32 + 60);
    }
    FILE *fp = fopen(path, "wb");
    fwrite(b, 1, o, fp);
    fclose(fp);
}

static void write_text(const char *path, const char *text)
{
    FILE *fp = fopen(path, "wb");
    fputs(text, fp);
    fclose(fp);
}

static void sha256_file(const char *path, uint8_t out[32])
{
    uint8_t buf[4096];
    unsigned int len = 0;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_DigestInit_ex(md, EVP_sha256(), NULL);
    FILE *fp = fopen(path, "rb");
    size_t n;
    while (fp && (n = fread(buf, 1, sizeof buf, fp)) > 0)
        EVP_DigestUpdate(md, buf, n);
    if (fp)
        fclose(fp);
    EVP_DigestFinal_ex(md, out, &len);
    EVP_MD_CTX_free(md);
}

static uint64_t file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

struct warns {
    size_t n;
    enum input_status last;
};

static void on_warn(const struct source_input *in, void *user)
{
    struct warns *w = user;
    w->n++;
    w->last = in->status;
}

/* Reads every packet; tags[] gets byte 0 of each frame, inputs[] the input. */
static size_t drain(struct source *s, uint8_t *tags, size_t *inputs, uint64_t *ts, size_t max)
{
    struct source_packet p;
    struct err e;
    size_t n = 0;
    int rc;
    while ((rc = source_next(s, &p, &e)) == 1) {
        if (n < max) {
            tags[n] = p.caplen ? p.data[0] : 0xff;
            inputs[n] = p.input;
            ts[n] = p.ts_us;
        }
        n++;
    }
    CHECK_EQ_INT(rc, 0);
    return n;
}

TEST(merge_interleaved)
{
    char a[256], b[256];
    tpath(a, "m_a.pcap");
    tpath(b, "m_b.pcap");
    static const uint64_t ta[] = {1000001, 1000003, 1000005};
    static const uint64_t tb[] = {1000002, 1000004, 1000006, 1000007};
    write_pcap(a, DLT_EN10MB, ta, 3, 0x10);
    write_pcap(b, DLT_EN10MB, tb, 4, 0x20);
    /* b is given first: order comes from time, not the argument list. */
    const char *paths[] = {b, a};
    struct err e;
    struct source *s = source_open_files(paths, 2, NULL, NULL, &e);
    CHECK(s != NULL);
    if (!s)
        return;
    CHECK_EQ_INT(source_input_count(s), 2);
    uint8_t tags[16];
    size_t in[16];
    uint64_t ts[16];
    size_t n = drain(s, tags, in, ts, 16);
    CHECK_EQ_INT(n, 7);
    static const uint8_t want[] = {0x10, 0x20, 0x11, 0x21, 0x12, 0x22, 0x23};
    for (size_t i = 0; i < 7; i++) {
        CHECK_EQ_INT(tags[i], want[i]);
        CHECK_EQ_INT(ts[i], 1000001 + i);
    }
    CHECK_EQ_INT(in[0], 1);
    CHECK_EQ_INT(in[1], 0);
    const struct source_input *ia = source_input_get(s, 1);
    CHECK_EQ_INT(ia->packets, 3);
    CHECK_EQ_INT(ia->first_ts_us, 1000001);
    CHECK_EQ_INT(ia->last_ts_us, 1000005);
    CHECK_EQ_INT(ia->status, INPUT_OK);
    CHECK_EQ_INT(ia->linktype, 1);
    CHECK(source_all_ok(s));
    CHECK(source_input_get(s, 2) == NULL);
    uint64_t done, total;
    source_progress(s, &done, &total);
    CHECK_EQ_INT(total, file_size(a) + file_size(b));
    source_free(s);
    source_free(NULL);
}

TEST(ties_by_input_order)
{
    char a[256], b[256];
    tpath(a, "t_a.pcap");
    tpath(b, "t_b.pcap");
    static const uint64_t t[] = {5000000, 5000000, 6000000};
    write_pcap(a, DLT_EN10MB, t, 3, 0x10);
    write_pcap(b, DLT_EN10MB, t, 3, 0x20);
    for (int order = 0; order < 2; order++) {
        const char *paths[2] = {order ? b : a, order ? a : b};
        uint8_t first = order ? 0x20 : 0x10, second = order ? 0x10 : 0x20;
        struct source *s = source_open_files(paths, 2, NULL, NULL, NULL);
        uint8_t tags[8];
        size_t in[8];
        uint64_t ts[8];
        CHECK_EQ_INT(drain(s, tags, in, ts, 8), 6);
        uint8_t want[6] = {first, (uint8_t)(first + 1), second, (uint8_t)(second + 1),
                           (uint8_t)(first + 2), (uint8_t)(second + 2)};
        for (int i = 0; i < 6; i++)
            CHECK_EQ_INT(tags[i], want[i]);
        source_free(s);
    }
}

TEST(directory_walk_sorted_filtered)
{
    char d[128], sub[160], p[256];
    snprintf(d, sizeof d, "%s/walk", tmpdir);
    mkdir(d, 0700);
    snprintf(sub, sizeof sub, "%s/sub", d);
    mkdir(sub, 0700);
    static const uint64_t t1[] = {1000000};
    snprintf(p, sizeof p, "%s/z.pcap", d);
    write_pcap(p, DLT_EN10MB, t1, 1, 0x30);
    snprintf(p, sizeof p, "%s/a.pcap", d);
    write_pcap(p, DLT_EN10MB, t1, 1, 0x10);
    snprintf(p, sizeof p, "%s/m.pcapng", sub);
    write_pcapng(p, t1, 1, 0x20);
    snprintf(p, sizeof p, "%s/notes.txt", d);
    write_text(p, "not a capture");
    snprintf(p, sizeof p, "%s/.hidden.pcap", d);
    write_pcap(p, DLT_EN10MB, t1, 1, 0x40);
    snprintf(p, sizeof p, "%s/x.pcap.bak", d);
    write_pcap(p, DLT_EN10MB, t1, 1, 0x50);
    /* A trailing slash is accepted. */
    char dslash[160];
    snprintf(dslash, sizeof dslash, "%s/", d);
    const char *paths[] = {dslash};
    struct err e;
    struct source *s = source_open_files(paths, 1, NULL, NULL, &e);
    CHECK(s != NULL);
    if (!s)
        return;
    CHECK_EQ_INT(source_input_count(s), 3);
    char want[256];
    snprintf(want, sizeof want, "%s/a.pcap", d);
    CHECK_STR(source_input_get(s, 0)->path, want);
    snprintf(want, sizeof want, "%s/m.pcapng", sub);
    CHECK_STR(source_input_get(s, 1)->path, want);
    snprintf(want, sizeof want, "%s/z.pcap", d);
    CHECK_STR(source_input_get(s, 2)->path, want);
    /* All three at the same time: ties follow the walk order. */
    uint8_t tags[8];
    size_t in[8];
    uint64_t ts[8];
    CHECK_EQ_INT(drain(s, tags, in, ts, 8), 3);
    CHECK_EQ_INT(tags[0], 0x10);
    CHECK_EQ_INT(tags[1], 0x20);
    CHECK_EQ_INT(tags[2], 0x30);
    source_free(s);

    /* A directory with no capture in it is an error. */
    char empty[256];
    tpath(empty, "emptydir");
    mkdir(empty, 0700);
    const char *pe[] = {empty};
    CHECK(source_open_files(pe, 1, NULL, NULL, &e) == NULL);
    CHECK(strstr(e.msg, "no capture files") != NULL);
}

/* Issue 17 item 5: a symlink loop in an input directory is skipped with a
 * warning (before: the walk hit the depth limit and the run aborted), and a
 * link to ".." or elsewhere outside the given directory is not followed. */
TEST(directory_walk_loops_and_escapes)
{
    char d[128], sub[160], p[256], link[256];
    snprintf(d, sizeof d, "%s/loopy", tmpdir);
    mkdir(d, 0700);
    snprintf(sub, sizeof sub, "%s/sub", d);
    mkdir(sub, 0700);
    static const uint64_t t1[] = {1000000};
    snprintf(p, sizeof p, "%s/in.pcap", sub);
    write_pcap(p, DLT_EN10MB, t1, 1, 0x10);
    snprintf(p, sizeof p, "%s/loopy_outside.pcap", tmpdir);
    write_pcap(p, DLT_EN10MB, t1, 1, 0x20);
    snprintf(link, sizeof link, "%s/self", d);
    CHECK(symlink(".", link) == 0);
    snprintf(link, sizeof link, "%s/back", sub);
    CHECK(symlink("..", link) == 0);          /* a loop: sub/back is d */
    snprintf(link, sizeof link, "%s/up", sub);
    CHECK(symlink("../..", link) == 0);       /* leaves the given directory */
    snprintf(link, sizeof link, "%s/out.pcap", d);
    CHECK(symlink("../loopy_outside.pcap", link) == 0);
    snprintf(link, sizeof link, "%s/alias.pcap", d);
    CHECK(symlink("sub/in.pcap", link) == 0); /* inside: followed (a duplicate) */
    const char *paths[] = {d};
    struct warns w = {0};
    struct err e = {""};
    struct source *s = source_open_files(paths, 1, on_warn, &w, &e);
    CHECK(s != NULL);
    if (!s) {
        fprintf(stderr, "  %s\n", e.msg);
        return;
    }
    /* alias.pcap and sub/in.pcap (the same file: one is a duplicate). */
    CHECK_EQ_INT(source_input_count(s), 2);
    for (size_t i = 0; i < source_input_count(s); i++)
        CHECK(strstr(source_input_get(s, i)->path, "outside") == NULL);
    CHECK_EQ_INT(w.n, 5); /* self, back, up, out.pcap skipped, and the duplicate */
    uint8_t tags[4];
    size_t in[4];
    uint64_t ts[4];
    CHECK_EQ_INT(drain(s, tags, in, ts, 4), 1);
    source_free(s);
}

TEST(unreadable_inputs_do_not_stop_others)
{
    char good[256], missing[256], text[256];
    tpath(good, "u_good.pcap");
    tpath(missing, "u_missing.pcap");
    tpath(text, "u_text.pcap");
    static const uint64_t t[] = {1000000, 2000000};
    write_pcap(good, DLT_EN10MB, t, 2, 0x10);
    write_text(text, "hello, I am not a capture file at all, not even close\n");
    const char *paths[] = {missing, good, text};
    struct warns w = {0};
    struct err e;
    struct source *s = source_open_files(paths, 3, on_warn, &w, &e);
    CHECK(s != NULL);
    if (!s)
        return;
    CHECK_EQ_INT(w.n, 2);
    uint8_t tags[8];
    size_t in[8];
    uint64_t ts[8];
    CHECK_EQ_INT(drain(s, tags, in, ts, 8), 2);
    const struct source_input *m = source_input_get(s, 0), *g = source_input_get(s, 1),
                              *x = source_input_get(s, 2);
    CHECK_EQ_INT(m->status, INPUT_UNREADABLE);
    CHECK(strstr(m->detail, "cannot open") != NULL);
    CHECK(!m->sha_done);
    CHECK_EQ_INT(g->status, INPUT_OK);
    CHECK_EQ_INT(x->status, INPUT_UNREADABLE);
    CHECK(strstr(x->detail, "not a pcap") != NULL);
    CHECK(x->sha_done); /* provenance is kept for what was given */
    uint8_t want[32];
    sha256_file(text, want);
    CHECK(memcmp(x->sha256, want, 32) == 0);
    CHECK(!source_all_ok(s));
    CHECK_STR(source_status_name(m->status), "unreadable");
    source_free(s);
}

TEST(refused_link_type)
{
    char bad[256], good[256];
    tpath(bad, "r_user0.pcap");
    tpath(good, "r_good.pcap");
    static const uint64_t t[] = {1000000};
    write_pcap(bad, 147 /* DLT_USER0 */, t, 1, 0x10);
    write_pcap(good, DLT_EN10MB, t, 1, 0x20);
    const char *paths[] = {bad, good};
    struct warns w = {0};
    struct source *s = source_open_files(paths, 2, on_warn, &w, NULL);
    CHECK(s != NULL);
    if (!s)
        return;
    CHECK_EQ_INT(w.n, 1);
    CHECK_EQ_INT(w.last, INPUT_REFUSED);
    uint8_t tags[8];
    size_t in[8];
    uint64_t ts[8];
    CHECK_EQ_INT(drain(s, tags, in, ts, 8), 1);
    CHECK_EQ_INT(tags[0], 0x20);
    const struct source_input *r = source_input_get(s, 0);
    CHECK_EQ_INT(r->status, INPUT_REFUSED);
    CHECK_EQ_INT(r->linktype, 147);
    CHECK(strstr(r->detail, "147") != NULL);
    CHECK(strstr(r->detail, "not supported") != NULL);
    CHECK_STR(source_status_name(r->status), "refused");
    uint8_t want[32];
    sha256_file(bad, want);
    CHECK(r->sha_done && memcmp(r->sha256, want, 32) == 0);
    source_free(s);
}

TEST(truncated_file_is_partial)
{
    char p[256];
    tpath(p, "trunc.pcap");
    static const uint64_t t[] = {1000000, 2000000, 3000000};
    write_pcap(p, DLT_EN10MB, t, 3, 0x10);
    /* Cut the last record in the middle of its data. */
    uint64_t full = file_size(p);
    CHECK_EQ_INT(full, 24 + 3 * (16 + 60));
    CHECK_EQ_INT(truncate(p, (off_t)(full - 20)), 0);
    const char *paths[] = {p};
    struct warns w = {0};
    struct source *s = source_open_files(paths, 1, on_warn, &w, NULL);
    CHECK(s != NULL);
    if (!s)
        return;
    uint8_t tags[8];
    size_t in[8];
    uint64_t ts[8];
    CHECK_EQ_INT(drain(s, tags, in, ts, 8), 2);
    CHECK_EQ_INT(tags[0], 0x10);
    CHECK_EQ_INT(tags[1], 0x11);
    const struct source_input *i = source_input_get(s, 0);
    CHECK_EQ_INT(i->status, INPUT_PARTIAL);
    CHECK_EQ_INT(i->packets, 2);
    CHECK_EQ_INT(i->last_ts_us, 2000000);
    CHECK_EQ_INT(w.n, 1);
    CHECK_EQ_INT(w.last, INPUT_PARTIAL);
    /* The detail names the byte offset where reading stopped. */
    const char *at = strstr(i->detail, "at byte ");
    CHECK(at != NULL);
    if (at) {
        long off = strtol(at + 8, NULL, 10);
        CHECK(off >= (long)(24 + 2 * (16 + 60)));
        CHECK(off <= (long)(full - 20));
    }
    CHECK(!source_all_ok(s));
    CHECK_STR(source_status_name(i->status), "partial");
    uint8_t want[32];
    sha256_file(p, want);
    CHECK(i->sha_done && memcmp(i->sha256, want, 32) == 0);
    uint64_t done, total;
    source_progress(s, &done, &total);
    CHECK_EQ_INT(done, total);
    source_free(s);

    /* Cut inside a record header. */
    write_pcap(p, DLT_EN10MB, t, 3, 0x10);
    CHECK_EQ_INT(truncate(p, (off_t)(24 + 16 + 60 + 7)), 0);
    s = source_open_files(paths, 1, NULL, NULL, NULL);
    CHECK_EQ_INT(drain(s, tags, in, ts, 8), 1);
    CHECK_EQ_INT(source_input_get(s, 0)->status, INPUT_PARTIAL);
    source_free(s);

    /* Only the file header: a complete, empty input. */
    CHECK_EQ_INT(truncate(p, 24), 0);
    s = source_open_files(paths, 1, NULL, NULL, NULL);
    CHECK_EQ_INT(drain(s, tags, in, ts, 8), 0);
    CHECK_EQ_INT(source_input_get(s, 0)->status, INPUT_OK);
    CHECK_EQ_INT(source_input_get(s, 0)->packets, 0);
    source_free(s);

    /* Cut inside the file header: not a capture. */
    CHECK_EQ_INT(truncate(p, 10), 0);
    s = source_open_files(paths, 1, NULL, NULL, NULL);
    CHECK_EQ_INT(drain(s, tags, in, ts, 8), 0);
    CHECK_EQ_INT(source_input_get(s, 0)->status, INPUT_UNREADABLE);
    source_free(s);
}

TEST(sha256_matches_file)
{
    char p[256];
    tpath(p, "sha.pcap");
    uint64_t t[200];
    for (int i = 0; i < 200; i++)
        t[i] = 1000000 + (uint64_t)i;
    write_pcap(p, DLT_EN10MB, t, 200, 0);
    /* Trailing bytes after the last record are hashed too. */
    const char *paths[] = {p};
    struct source *s = source_open_files(paths, 1, NULL, NULL, NULL);
    uint8_t tags[1];
    size_t in[1];
    uint64_t ts[1];
    CHECK_EQ_INT(drain(s, tags, in, ts, 1), 200);
    const struct source_input *i = source_input_get(s, 0);
    uint8_t want[32];
    sha256_file(p, want);
    CHECK(i->sha_done);
    CHECK(memcmp(i->sha256, want, 32) == 0);
    CHECK_EQ_INT(i->size, file_size(p));
    uint64_t done, total;
    source_progress(s, &done, &total);
    CHECK_EQ_INT(done, total);
    source_free(s);
    /* Stopping early (source_free before the end) still finishes cleanly. */
    s = source_open_files(paths, 1, NULL, NULL, NULL);
    struct source_packet pk;
    CHECK_EQ_INT(source_next(s, &pk, NULL), 1);
    source_free(s);
}

TEST(pcapng_input)
{
    char ng[256], pc[256];
    tpath(ng, "in.pcapng");
    tpath(pc, "in.pcap");
    static const uint64_t tn[] = {1500000, 3500000};
    static const uint64_t tp[] = {1000000, 2000000, 4000000};
    write_pcapng(ng, tn, 2, 0x50);
    write_pcap(pc, DLT_EN10MB, tp, 3, 0x10);
    const char *paths[] = {ng, pc};
    struct source *s = source_open_files(paths, 2, NULL, NULL, NULL);
    CHECK(s != NULL);
    if (!s)
        return;
    uint8_t tags[8];
    size_t in[8];
    uint64_t ts[8];
    CHECK_EQ_INT(drain(s, tags, in, ts, 8), 5);
    static const uint8_t want[] = {0x10, 0x50, 0x11, 0x51, 0x12};
    static const uint64_t wts[] = {1000000, 1500000, 2000000, 3500000, 4000000};
    for (int i = 0; i < 5; i++) {
        CHECK_EQ_INT(tags[i], want[i]);
        CHECK_EQ_INT(ts[i], wts[i]);
    }
    const struct source_input *i = source_input_get(s, 0);
    CHECK_EQ_INT(i->status, INPUT_OK);
    CHECK_EQ_INT(i->linktype, 1);
    CHECK_EQ_INT(i->packets, 2);
    uint8_t sha[32];
    sha256_file(ng, sha);
    CHECK(i->sha_done && memcmp(i->sha256, sha, 32) == 0);
    source_free(s);
}

TEST(no_inputs)
{
    struct err e = {""};
    CHECK(source_open_files(NULL, 0, NULL, NULL, &e) == NULL);
    CHECK(e.msg[0] != 0);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/trapline-src-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    RUN(merge_interleaved);
    RUN(ties_by_input_order);
    RUN(directory_walk_sorted_filtered);
    RUN(directory_walk_loops_and_escapes);
    RUN(unreadable_inputs_do_not_stop_others);
    RUN(refused_link_type);
    RUN(truncated_file_is_partial);
    RUN(sha256_matches_file);
    RUN(pcapng_input);
    RUN(no_inputs);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    return harness_done();
}
