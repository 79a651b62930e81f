/* test_sig_load.c - the v1 signature loader (signatures/sig_load.c): every
 * error path names file:line:col, and the shipped catalog loads. */
#include "signatures/sig.h"

#include <openssl/evp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "signatures/sig_query.h"
#include "tests/harness.h"

static char tmpdir[64];

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "wb");
    CHECK(fp != NULL);
    if (!fp)
        return;
    fputs(text, fp);
    fclose(fp);
}

/* Loads text from a file named name in the temp dir; returns the set (or
 * NULL with e set) and the file's path in path. */
static struct sig_set *load_text(const char *name, const char *text, struct err *e,
                                 char path[256])
{
    snprintf(path, 256, "%s/%s", tmpdir, name);
    write_file(path, text);
    const char *p = path;
    memset(e, 0, sizeof *e);
    return sig_load_paths(&p, 1, e);
}

/* The load must fail with "PATH:LINE:COL: ..." containing want. */
static void expect_error(const char *text, unsigned line, unsigned col, const char *want)
{
    char path[256], prefix[320];
    struct err e;
    struct sig_set *s = load_text("case.yaml", text, &e, path);
    CHECK(s == NULL);
    sig_set_free(s);
    snprintf(prefix, sizeof prefix, "%s:%u:%u: ", path, line, col);
    bool ok = strncmp(e.msg, prefix, strlen(prefix)) == 0 && strstr(e.msg, want) != NULL;
    if (!ok)
        fprintf(stderr, "  got \"%s\"\n  want prefix \"%s\" and \"%s\"\n", e.msg, prefix, want);
    CHECK(ok);
}

#define GOOD_RULE "      - ndpi: WhatsApp\n        source: \"test\"\n        stability: stable\n"
#define HEAD "version: 1\nservices:\n  - name: W\n    class: ott-messaging\n    rules:\n"

TEST(minimal_ok)
{
    char path[256];
    struct err e;
    struct sig_set *s = load_text("ok.yaml", HEAD GOOD_RULE, &e, path);
    CHECK(s != NULL);
    if (!s)
        return;
    CHECK_EQ_INT(s->nservices, 1);
    CHECK_EQ_INT(s->nrules, 1);
    CHECK_STR(s->services[0].name, "W");
    CHECK_EQ_INT(s->services[0].cls, SIG_CLASS_OTT_MESSAGING);
    CHECK_STR(s->rules[0].text, "WhatsApp");
    CHECK_EQ_INT(s->rules[0].stability, SIG_STABLE);
    CHECK_EQ_INT(s->rules[0].where.line, 6);
    CHECK_EQ_INT(s->rules[0].where.col, 9);
    CHECK_EQ_INT(s->services[0].where.line, 3);
    CHECK_EQ_INT(sig_find_service(s, "W"), 0);
    CHECK_EQ_INT(sig_find_service(s, "X"), -1);
    sig_set_free(s);
}

TEST(unknown_keys)
{
    expect_error("version: 1\nservicez: []\n", 2, 1, "unknown top-level key 'servicez'");
    expect_error("version: 1\nservices:\n  - name: W\n    klass: other\n", 4, 5,
                 "unknown service key 'klass'");
    expect_error(HEAD "      - ndpi: X\n        source: s\n        stability: stable\n"
                      "        sni: x.org\n",
                 9, 9, "unknown rule key 'sni'");
}

TEST(wrong_types)
{
    expect_error("version: 1\nservices: {a: 1}\n", 2, 11, "'services' must be a list");
    expect_error("version: 1\nservices:\n  - just a string\n", 3, 5, "a service must be a mapping");
    expect_error("version: 1\nservices:\n  - name: [a, b]\n    class: other\n", 3, 11,
                 "'name' must be a string");
    expect_error("version: 1\nservices:\n  - name: W\n    class: other\n    rules: x\n", 5, 12,
                 "'rules' must be a list");
    expect_error(HEAD "      - not a mapping\n", 6, 9, "a rule must be a mapping");
    expect_error(HEAD "      - ndpi: {x: 1}\n        source: s\n        stability: stable\n", 6, 15,
                 "'ndpi' must be a string");
    expect_error(HEAD "      - ndpi: \"\"\n        source: s\n        stability: stable\n", 6, 15,
                 "must be non-empty strings");
    expect_error("- a\n- b\n", 1, 1, "the top level must be a mapping");
    expect_error("version: 1\nservices:\n  - name: W\n    class: other\n    description: [x]\n", 5,
                 18, "'description' must be a string");
    expect_error("version: 1\n[a]: 1\n", 2, 1, "top-level keys must be strings");
}

TEST(too_long)
{
    char text[512];
    char name[SIG_NAME_MAX + 8];
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = 0;
    snprintf(text, sizeof text, "version: 1\nservices:\n  - name: %s\n    class: other\n", name);
    expect_error(text, 3, 11, "'name' is too long");
}

TEST(duplicates)
{
    expect_error("version: 1\nservices:\n  - name: W\n    class: other\n"
                 "  - name: W\n    class: other\n",
                 5, 11, "duplicate service name 'W'");
    expect_error(HEAD "      - ndpi: A\n        ndpi: B\n        source: s\n"
                      "        stability: stable\n",
                 7, 9, "duplicate key 'ndpi' (first given at line 6, column 9)");
}

TEST(duplicate_across_files)
{
    char a[256], b[256];
    snprintf(a, sizeof a, "%s/dup_a.yaml", tmpdir);
    snprintf(b, sizeof b, "%s/dup_b.yaml", tmpdir);
    write_file(a, HEAD GOOD_RULE);
    write_file(b, HEAD GOOD_RULE);
    const char *paths[] = {a, b};
    struct err e;
    CHECK(sig_load_paths(paths, 2, &e) == NULL);
    char prefix[300];
    snprintf(prefix, sizeof prefix, "%s:3:11: duplicate service name 'W'", b);
    CHECK_STR(e.msg, prefix);
}

TEST(missing_fields)
{
    expect_error(HEAD "      - ndpi: X\n        stability: stable\n", 6, 9, "rule has no 'source'");
    expect_error(HEAD "      - ndpi: X\n        source: s\n", 6, 9, "rule has no 'stability'");
    expect_error(HEAD "      - source: s\n        stability: stable\n", 6, 9,
                 "rule has no match key");
    expect_error("version: 1\nservices:\n  - class: other\n", 3, 5, "service has no 'name'");
    expect_error("version: 1\nservices:\n  - name: W\n", 3, 5, "service 'W' has no 'class'");
    expect_error("services: []\n", 1, 1, "missing 'version'");
}

TEST(bad_values)
{
    expect_error("version: 1\nservices:\n  - name: W\n    class: sms\n", 4, 12, "unknown class 'sms'");
    expect_error(HEAD "      - ndpi: X\n        source: s\n        stability: solid\n", 8, 20,
                 "stability must be stable, medium or fragile, not 'solid'");
    expect_error("version: 3\nservices: []\n", 1, 10, "unsupported schema version '3'");
    expect_error("version: [1]\n", 1, 10, "unsupported schema version ''");
    expect_error("version: 1.0\n", 1, 10, "unsupported schema version '1.0'");
}

TEST(yaml_syntax_error)
{
    expect_error("version: 1\nservices:\n  - name: \"unterminated\n", 4, 1, "YAML error");
    expect_error("version: 1\nservices: [a, b\n", 3, 1, "YAML error");
    expect_error("a: b: c\n", 1, 5, "YAML error");
}

TEST(empty_file)
{
    expect_error("", 1, 1, "empty signature file");
    expect_error("# only a comment\n", 1, 1, "empty signature file");
    /* A valid file with no services is an error for the whole set. */
    char path[256];
    struct err e;
    CHECK(load_text("none.yaml", "version: 1\nservices: []\n", &e, path) == NULL);
    CHECK(strstr(e.msg, "no services") != NULL);
}

TEST(missing_file)
{
    const char *p = "/nonexistent/trapline/x.yaml";
    struct err e;
    CHECK(sig_load_paths(&p, 1, &e) == NULL);
    CHECK(strncmp(e.msg, "/nonexistent/trapline/x.yaml: cannot open", 41) == 0);
}

TEST(directory_load_order_and_sha)
{
    char dir[128], p1[256], p2[256], p3[256];
    snprintf(dir, sizeof dir, "%s/dir", tmpdir);
    mkdir(dir, 0700);
    snprintf(p1, sizeof p1, "%s/b.yaml", dir);
    snprintf(p2, sizeof p2, "%s/a.yaml", dir);
    snprintf(p3, sizeof p3, "%s/c.yml", dir); /* not *.yaml: ignored */
    static const char ta[] = "version: 1\nservices:\n  - name: A\n    class: other\n";
    static const char tb[] = "version: 1\nservices:\n  - name: B\n    class: carrier-sms\n";
    write_file(p1, tb);
    write_file(p2, ta);
    write_file(p3, "garbage: [\n");
    const char *d = dir;
    struct err e;
    struct sig_set *s = sig_load_paths(&d, 1, &e);
    CHECK(s != NULL);
    if (!s)
        return;
    CHECK_EQ_INT(s->nservices, 2);
    CHECK_STR(s->services[0].name, "A");
    CHECK_STR(s->services[1].name, "B");
    CHECK_EQ_INT(s->services[1].cls, SIG_CLASS_CARRIER_SMS);
    /* sha256 over the files' bytes in load order (a.yaml then b.yaml). */
    uint8_t want[32];
    unsigned int wl = 0;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_DigestInit_ex(md, EVP_sha256(), NULL);
    EVP_DigestUpdate(md, ta, strlen(ta));
    EVP_DigestUpdate(md, tb, strlen(tb));
    EVP_DigestFinal_ex(md, want, &wl);
    EVP_MD_CTX_free(md);
    CHECK(memcmp(s->sha256, want, 32) == 0);
    char hex[65];
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", want[i]);
    CHECK_STR(s->sha256_hex, hex);
    /* Stable: loading again gives the same hash. */
    struct sig_set *s2 = sig_load_paths(&d, 1, &e);
    CHECK(s2 != NULL && strcmp(s2->sha256_hex, s->sha256_hex) == 0);
    sig_set_free(s2);
    /* The same files given in the other order hash differently. */
    const char *rev[] = {p1, p2};
    s2 = sig_load_paths(rev, 2, &e);
    CHECK(s2 != NULL && strcmp(s2->sha256_hex, s->sha256_hex) != 0);
    CHECK(s2 != NULL && strcmp(s2->services[0].name, "B") == 0);
    sig_set_free(s2);
    sig_set_free(s);
    /* An error in a directory's file names that file. */
    write_file(p1, "version: 1\nservices:\n  - name: B\n    class: bogus\n");
    CHECK(sig_load_paths(&d, 1, &e) == NULL);
    char prefix[300];
    snprintf(prefix, sizeof prefix, "%s:4:12: unknown class", p1);
    CHECK(strncmp(e.msg, prefix, strlen(prefix)) == 0);
    unlink(p1);
    unlink(p2);
    unlink(p3);
    rmdir(dir);
}

TEST(shipped_catalog)
{
    const char *p = "signatures/catalog.yaml";
    struct err e = {""};
    struct sig_set *s = sig_load_paths(&p, 1, &e);
    if (!s)
        fprintf(stderr, "  %s\n", e.msg);
    CHECK(s != NULL);
    if (!s)
        return;
    CHECK(s->nservices > 3);
    CHECK(sig_find_service(s, "WhatsApp") >= 0);
    CHECK(sig_find_service(s, "Signal") >= 0);
    CHECK_EQ_INT(strlen(s->sha256_hex), 64);
    for (size_t i = 0; i < s->nrules; i++) {
        CHECK(s->rules[i].source[0] != 0);
        CHECK(s->rules[i].service < s->nservices);
    }
    sig_set_free(s);
    sig_set_free(NULL);
}

TEST(class_names)
{
    CHECK_STR(sig_class_name(SIG_CLASS_OTHER), "other");
    CHECK_STR(sig_class_name(SIG_CLASS_OTT_MESSAGING), "ott-messaging");
    CHECK_STR(sig_class_name(SIG_CLASS_CARRIER_SMS), "carrier-sms");
    CHECK_STR(sig_class_name(SIG_CLASS_PUSH), "push");
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/trapline-sig-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    RUN(minimal_ok);
    RUN(unknown_keys);
    RUN(wrong_types);
    RUN(too_long);
    RUN(duplicates);
    RUN(duplicate_across_files);
    RUN(missing_fields);
    RUN(bad_values);
    RUN(yaml_syntax_error);
    RUN(empty_file);
    RUN(missing_file);
    RUN(directory_load_order_and_sha);
    RUN(shipped_catalog);
    RUN(class_names);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    return harness_done();
}
