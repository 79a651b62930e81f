/* test_yaml_guard.c - the YAML pre-pass (signatures/yaml_guard.c) and its use
 * by the signature loader: depth and node limits, duplicate keys, a second
 * document, aliases, each refused with file:line:col (issue 17 items 3, 6). */
#include "signatures/yaml_guard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "signatures/sig.h"
#include "tests/harness.h"

/* The check must fail with "f.yaml:LINE:COL: ..." containing want. */
static void expect(const char *text, unsigned line, unsigned col, const char *want)
{
    struct err e = {""};
    char prefix[64];
    int rc = yaml_guard_check("f.yaml", (const unsigned char *)text, strlen(text), NULL, &e);
    CHECK_EQ_INT(rc, RC_CONFIG);
    snprintf(prefix, sizeof prefix, "f.yaml:%u:%u: ", line, col);
    bool ok = strncmp(e.msg, prefix, strlen(prefix)) == 0 && strstr(e.msg, want) != NULL;
    if (!ok)
        fprintf(stderr, "  got \"%s\"\n  want prefix \"%s\" and \"%s\"\n", e.msg, prefix, want);
    CHECK(ok);
}

static int ok_text(const char *text)
{
    struct err e = {""};
    int rc = yaml_guard_check("f.yaml", (const unsigned char *)text, strlen(text), NULL, &e);
    if (rc)
        fprintf(stderr, "  unexpected: %s\n", e.msg);
    return rc;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

TEST(valid_documents)
{
    CHECK_EQ_INT(ok_text(""), 0);
    CHECK_EQ_INT(ok_text("a: 1\nb: [1, 2, {c: 3, d: 4}]\n"), 0);
    /* The same key in different mappings is fine. */
    CHECK_EQ_INT(ok_text("- name: x\n  v: 1\n- name: y\n  v: 2\n"), 0);
    CHECK_EQ_INT(ok_text("---\na: 1\n...\n"), 0);
}

TEST(duplicate_keys)
{
    expect("a: 1\nb: 2\na: 3\n", 3, 1, "duplicate key 'a' (first given at line 1, column 1)");
    expect("s:\n  - name: x\n    class: y\n    name: z\n", 4, 5, "duplicate key 'name'");
    /* Quoted and plain spellings are the same key. */
    expect("k: 1\n\"k\": 2\n", 2, 1, "duplicate key 'k'");
    /* The first duplicate in file order is the one reported. */
    expect("z: 1\na: 1\nz: 2\na: 2\n", 3, 1, "duplicate key 'z'");
}

TEST(second_document)
{
    expect("a: 1\n---\nb: 2\n", 2, 1, "a second YAML document");
    expect("--- 1\n--- 2\n", 2, 1, "a second YAML document");
}

TEST(aliases_refused)
{
    expect("a: &x [1, 2]\nb: *x\n", 2, 4, "aliases");
    struct yaml_guard_limits l;
    yaml_guard_defaults(&l);
    l.allow_aliases = true;
    struct err e = {""};
    const char *t = "a: &x [1, 2]\nb: *x\n";
    CHECK_EQ_INT(yaml_guard_check("f", (const unsigned char *)t, strlen(t), &l, &e), 0);
}

TEST(depth_limit)
{
    char buf[YAML_GUARD_MAX_DEPTH + 8];
    memset(buf, '[', YAML_GUARD_MAX_DEPTH + 1);
    buf[YAML_GUARD_MAX_DEPTH + 1] = '\0';
    expect(buf, 1, YAML_GUARD_MAX_DEPTH + 1, "nested deeper than 64");
    /* Exactly at the limit: fine. */
    char ok[2 * YAML_GUARD_MAX_DEPTH + 2];
    memset(ok, '[', YAML_GUARD_MAX_DEPTH);
    memset(ok + YAML_GUARD_MAX_DEPTH, ']', YAML_GUARD_MAX_DEPTH);
    ok[2 * YAML_GUARD_MAX_DEPTH] = '\0';
    CHECK_EQ_INT(ok_text(ok), 0);
}

/* The red-team case: 100 k nested '[' (200 KB) took over 60 s inside
 * libyaml; now it is refused at the 65th, through the loader, at once. */
TEST(nested_bomb_fast)
{
    size_t n = 100000;
    char *buf = malloc(2 * n + 1);
    CHECK(buf != NULL);
    if (!buf)
        return;
    memset(buf, '[', n);
    memset(buf + n, ']', n);
    buf[2 * n] = '\0';
    double t0 = now_s();
    struct err e = {""};
    struct sig_set *s = sig_load_buffer("bomb.yaml", buf, 2 * n, &e);
    double dt = now_s() - t0;
    CHECK(s == NULL);
    sig_set_free(s);
    CHECK(strncmp(e.msg, "bomb.yaml:1:65: ", 16) == 0);
    CHECK(strstr(e.msg, "nested deeper") != NULL);
    CHECK(dt < 1.0); /* a bound, not a speed goal: the unguarded parse took > 60 s */
    free(buf);
}

TEST(node_limit)
{
    struct yaml_guard_limits l;
    yaml_guard_defaults(&l);
    l.max_nodes = 10;
    struct err e = {""};
    const char *t = "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]";
    CHECK_EQ_INT(yaml_guard_check("f", (const unsigned char *)t, strlen(t), &l, &e), RC_CONFIG);
    CHECK(strstr(e.msg, "f:1:") == e.msg && strstr(e.msg, "more than 10 YAML nodes") != NULL);
    l.max_nodes = 12;
    CHECK_EQ_INT(yaml_guard_check("f", (const unsigned char *)t, strlen(t), &l, &e), 0);
}

TEST(syntax_error_located)
{
    expect("a: [1, 2\nb: 3\n", 2, 2, "YAML error");
}

/* Through the signature loader: a duplicate key and a second document in a
 * signature file are refused with file:line:col (before: silently accepted). */
TEST(sig_loader_refuses)
{
    static const char dup[] = "version: 1\nservices:\n  - name: W\n    class: ott-messaging\n"
                              "    class: other\n    rules: []\n";
    struct err e = {""};
    struct sig_set *s = sig_load_buffer("d.yaml", dup, strlen(dup), &e);
    CHECK(s == NULL);
    sig_set_free(s);
    CHECK(strncmp(e.msg, "d.yaml:5:5: duplicate key 'class'", 33) == 0);
    static const char two[] = "version: 1\nservices: []\n---\nversion: 1\nservices: []\n";
    s = sig_load_buffer("t.yaml", two, strlen(two), &e);
    CHECK(s == NULL);
    sig_set_free(s);
    CHECK(strncmp(e.msg, "t.yaml:3:1: a second YAML document", 34) == 0);
}

int main(void)
{
    RUN(valid_documents);
    RUN(duplicate_keys);
    RUN(second_document);
    RUN(aliases_refused);
    RUN(depth_limit);
    RUN(nested_bomb_fast);
    RUN(node_limit);
    RUN(syntax_error_located);
    RUN(sig_loader_refuses);
    return harness_done();
}
