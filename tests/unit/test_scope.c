/* test_scope.c - the scope file loader (signatures/scope.c): a valid file in
 * every target notation, and every error path with its file:line:col. */
#include "signatures/scope.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/harness.h"

#define HEAD                                                                         \
    "version: 1\n"                                                                   \
    "case: LIID-1\n"                                                                 \
    "authority:\n"                                                                   \
    "  kind: pen-register\n"                                                         \
    "  reference: \"24-MJ-1\"\n"                                                     \
    "  issued-by: Court\n"                                                           \
    "  issued: 2024-02-28\n"                                                         \
    "window:\n"                                                                      \
    "  from: 2024-03-01T00:00:00Z\n"                                                 \
    "  to: 2024-04-01T00:00:00Z\n"                                                   \
    "outputs: [records]\n"                                                           \
    "operator: J. Doe\n"
/* HEAD has 12 lines: "targets:" is line 13, the first target line 14. */

static struct scope *load(const char *text, struct err *e)
{
    memset(e, 0, sizeof *e);
    return scope_load_buffer("s.yaml", (const uint8_t *)text, strlen(text), e);
}

/* The load must fail with "s.yaml:LINE:COL: ..." containing want. */
static void expect_error(const char *text, unsigned line, unsigned col, const char *want)
{
    char prefix[64];
    struct err e;
    struct scope *s = load(text, &e);
    CHECK(s == NULL);
    scope_free(s);
    snprintf(prefix, sizeof prefix, "s.yaml:%u:%u: ", line, col);
    bool ok = strncmp(e.msg, prefix, strlen(prefix)) == 0 && strstr(e.msg, want) != NULL;
    if (!ok)
        fprintf(stderr, "  got \"%s\"\n  want prefix \"%s\" and \"%s\"\n", e.msg, prefix, want);
    CHECK(ok);
}

TEST(valid_every_notation)
{
    struct err e;
    struct scope *s = load(HEAD "targets:\n"
                                "  - msisdn: \"+1 (555) 123-0001\"\n"
                                "  - msisdn: \"tel:+1-555-123-0002\"\n"
                                "  - msisdn: \"sip:+15551230003@ims.example;user=phone\"\n"
                                "  - imsi: \"001010000000001\"\n"
                                "  - imei: \"35-209900-176148-1\"\n"
                                "  - imei: \"4901542032375123\"\n"
                                "  - ip: 10.45.0.0/24\n"
                                "  - ip: \"2001:db8::1\"\n"
                                "  - uri: \"sip:Alice@IMS.example;transport=tcp\"\n"
                                "  - uri: \"tel:+1-555-123-0009\"\n"
                                "    window: {from: 2024-03-02T00:00:00Z, to: 2024-03-03T12:00:00.5Z}\n",
                           &e);
    CHECK(s != NULL);
    if (!s) {
        fprintf(stderr, "  %s\n", e.msg);
        return;
    }
    CHECK_STR(s->liid, "LIID-1");
    CHECK_STR(s->authority_kind, "pen-register");
    CHECK_STR(s->operator_name, "J. Doe");
    CHECK_EQ_INT(s->outputs, SCOPE_OUT_RECORDS);
    CHECK_EQ_INT(s->window.from_us, 1709251200ull * 1000000u);
    CHECK_EQ_INT(s->ntargets, 10);
    CHECK_STR(s->targets[0].value, "15551230001");
    CHECK_STR(s->targets[1].value, "15551230002");
    CHECK_STR(s->targets[2].value, "15551230003");
    CHECK_STR(s->targets[3].value, "001010000000001");
    CHECK_STR(s->targets[4].value, "35209900176148");
    CHECK_STR(s->targets[5].value, "49015420323751");
    CHECK_EQ_INT(s->targets[5].kind, SCOPE_TARGET_IMEI);
    CHECK_STR(s->targets[6].value, "10.45.0.0/24");
    CHECK_EQ_INT(s->targets[6].prefix, 24);
    CHECK_STR(s->targets[7].value, "2001:db8::1/128");
    CHECK_STR(s->targets[8].value, "alice@ims.example");
    CHECK(!s->targets[8].uri_is_number);
    CHECK_STR(s->targets[9].value, "15551230009");
    CHECK(s->targets[9].uri_is_number);
    CHECK(s->targets[9].own_window);
    CHECK_EQ_INT(s->targets[9].window.to_us, 1709467200ull * 1000000u + 500000u);
    CHECK(!s->targets[0].own_window);
    CHECK_EQ_INT(s->targets[0].window.to_us, s->window.to_us);
    CHECK_EQ_INT(s->targets[0].line, 14);
    CHECK_EQ_INT(strlen(s->sha256_hex), 64);
    CHECK(s->nbytes > strlen(HEAD) && memcmp(s->bytes, HEAD, strlen(HEAD)) == 0);
    scope_free(s);
}

TEST(all_outputs)
{
    struct err e;
    char text[2048];
    snprintf(text, sizeof text, "%s", HEAD "targets:\n  - imsi: \"00101123456\"\n");
    char *o = strstr(text, "outputs: [records]");
    CHECK(o != NULL);
    if (!o)
        return;
    char fixed[2048];
    snprintf(fixed, sizeof fixed, "%.*soutputs: [records, inferred-activity, inferred-contact]%s",
             (int)(o - text), text, o + strlen("outputs: [records]"));
    struct scope *s = load(fixed, &e);
    CHECK(s != NULL);
    if (s)
        CHECK_EQ_INT(s->outputs, SCOPE_OUT_RECORDS | SCOPE_OUT_INFERRED_ACTIVITY |
                                     SCOPE_OUT_INFERRED_CONTACT);
    scope_free(s);
}

TEST(structure_errors)
{
    expect_error("", 1, 1, "empty scope file");
    expect_error("- a\n- b\n", 1, 1, "must be a mapping");
    expect_error("a: [\n", 2, 1, "YAML:");
    expect_error(HEAD "targets:\n  - imsi: \"001011234567\"\n---\nversion: 1\n", 15, 1,
                 "more than one YAML document");
    expect_error(HEAD "targets: &t\n  - imsi: \"001011234567\"\n", 13, 10, "anchors");
    expect_error("version: &v 1\ncase: *v\n", 1, 10, "anchors");
    expect_error("case: *v\n", 1, 7, "aliases");
    expect_error(HEAD "operator: again\ntargets:\n  - imsi: \"001011234567\"\n", 13, 1,
                 "duplicate key 'operator' (first at line 12)");
    expect_error(HEAD "targets:\n  - imsi: \"001011234567\"\n    imsi: \"001011234568\"\n", 15,
                 5, "duplicate key 'imsi'");
    expect_error("? [a]\n: b\n", 1, 3, "mapping keys must be plain strings");
    expect_error(HEAD "targets:\n  - imsi: \"001011234567\"\nextra: 1\n", 15, 1,
                 "unknown key 'extra'");
    expect_error("version: 1\n", 1, 1, "missing 'case'");
}

TEST(limits)
{
    /* Nesting: 17 nested flow sequences exceed SCOPE_MAX_DEPTH (16). */
    char deep[256] = "case: ";
    for (int i = 0; i < SCOPE_MAX_DEPTH + 1; i++)
        strcat(deep, "[");
    expect_error(deep, 1, 7 + SCOPE_MAX_DEPTH - 1, "nesting deeper than the limit of 16");
    /* Nodes: a list of SCOPE_MAX_NODES scalars. */
    size_t cap = (size_t)SCOPE_MAX_NODES * 3 + 64;
    char *big = malloc(cap);
    CHECK(big != NULL);
    if (!big)
        return;
    size_t n = (size_t)snprintf(big, cap, "x: [");
    for (int i = 0; i < SCOPE_MAX_NODES; i++)
        n += (size_t)snprintf(big + n, cap - n, "%s1", i ? "," : "");
    snprintf(big + n, cap - n, "]\n");
    struct err e;
    struct scope *s = load(big, &e);
    CHECK(s == NULL);
    CHECK(strstr(e.msg, "more than the limit of 4096 YAML nodes") != NULL);
    scope_free(s);
    free(big);
    /* Targets: SCOPE_MAX_TARGETS + 1. */
    cap = (size_t)(SCOPE_MAX_TARGETS + 1) * 40 + 1024;
    big = malloc(cap);
    CHECK(big != NULL);
    if (!big)
        return;
    n = (size_t)snprintf(big, cap, "%stargets:\n", HEAD);
    for (int i = 0; i <= SCOPE_MAX_TARGETS; i++)
        n += (size_t)snprintf(big + n, cap - n, "  - imsi: \"0010100%08d\"\n", i);
    s = load(big, &e);
    CHECK(s == NULL);
    CHECK(strstr(e.msg, "s.yaml:270:5: more than the limit of 256 targets") != NULL);
    scope_free(s);
    free(big);
    /* Size. */
    s = scope_load_buffer("s.yaml", (const uint8_t *)"x", SCOPE_FILE_MAX + 1u, &e);
    CHECK(s == NULL);
    CHECK(strstr(e.msg, "larger than the limit") != NULL);
}

/* Replaces one line of HEAD (which starts with key) by repl. */
static void head_with(char *out, size_t cap, const char *key, const char *repl, const char *tail)
{
    const char *h = HEAD;
    const char *p = strstr(h, key);
    const char *eol = p ? strchr(p, '\n') : NULL;
    if (!p || !eol) {
        out[0] = '\0';
        return;
    }
    snprintf(out, cap, "%.*s%s%s%s", (int)(p - h), h, repl, eol + 1, tail);
}

TEST(field_errors)
{
    char t[2048];
    const char *tg = "targets:\n  - imsi: \"001011234567\"\n";
    head_with(t, sizeof t, "version: 1", "version: 2\n", tg);
    expect_error(t, 1, 10, "unsupported scope version '2'");
    head_with(t, sizeof t, "case: LIID-1", "case: \"\"\n", tg);
    expect_error(t, 2, 7, "'case' must not be empty");
    head_with(t, sizeof t, "case: LIID-1", "case: \"LIID-000000000000000000001\"\n", tg);
    expect_error(t, 2, 7, "'case' is longer than 25 bytes");
    head_with(t, sizeof t, "case: LIID-1", "case: \"a\\tb\"\n", tg);
    expect_error(t, 2, 7, "control character");
    head_with(t, sizeof t, "case: LIID-1", "case: [a]\n", tg);
    expect_error(t, 2, 7, "'case' must be a string");
    head_with(t, sizeof t, "  kind: pen-register", "  kind: wiretap\n", tg);
    expect_error(t, 4, 9, "authority kind must be");
    head_with(t, sizeof t, "  issued: 2024-02-28", "  issued: yesterday\n", tg);
    expect_error(t, 7, 11, "'issued' must be a UTC time");
    head_with(t, sizeof t, "  issued: 2024-02-28", "", tg);
    expect_error(t, 4, 3, "'authority' needs 'issued'");
    head_with(t, sizeof t, "  reference: ", "  ref: x\n", tg);
    expect_error(t, 5, 3, "unknown key 'ref' in 'authority'");
    head_with(t, sizeof t, "  from: 2024-03-01T00:00:00Z", "  from: 2024-03-01T00:00:00+02:00\n",
              tg);
    expect_error(t, 9, 9, "'from' must be a UTC time");
    head_with(t, sizeof t, "  from: 2024-03-01T00:00:00Z", "  from: 2024-02-30T00:00:00Z\n", tg);
    expect_error(t, 9, 9, "'from' must be a UTC time");
    head_with(t, sizeof t, "  from: 2024-03-01T00:00:00Z", "  from: 2024-03-01T24:00:00Z\n", tg);
    expect_error(t, 9, 9, "'from' must be a UTC time");
    head_with(t, sizeof t, "  from: 2024-03-01T00:00:00Z", "  from: 2024-03-01T00:00:00.1234567Z\n",
              tg);
    expect_error(t, 9, 9, "'from' must be a UTC time");
    head_with(t, sizeof t, "  from: 2024-03-01T00:00:00Z", "  from: 2024-05-01T00:00:00Z\n", tg);
    expect_error(t, 10, 7, "'to' must be later than 'from'");
    head_with(t, sizeof t, "  from: 2024-03-01T00:00:00Z", "", tg);
    expect_error(t, 9, 3, "needs both 'from' and 'to'");
    head_with(t, sizeof t, "outputs: [records]", "outputs: [inferred-activity]\n", tg);
    expect_error(t, 11, 10, "'outputs' must include 'records'");
    head_with(t, sizeof t, "outputs: [records]", "outputs: [records, records]\n", tg);
    expect_error(t, 11, 20, "output 'records' is listed twice");
    head_with(t, sizeof t, "outputs: [records]", "outputs: [records, content]\n", tg);
    expect_error(t, 11, 20, "unknown output 'content'");
    head_with(t, sizeof t, "outputs: [records]", "outputs: records\n", tg);
    expect_error(t, 11, 10, "'outputs' must be a list");
    head_with(t, sizeof t, "operator: J. Doe", "operator: \"\"\n", tg);
    expect_error(t, 12, 11, "'operator' must not be empty");
    expect_error(HEAD "targets: []\n", 13, 10, "at least one target");
    expect_error(HEAD "targets: x\n", 13, 10, "'targets' must be a list");
}

TEST(target_errors)
{
    expect_error(HEAD "targets:\n  - window: {from: 2024-03-01T00:00:00Z, to: 2024-03-02T00:00:00Z}\n",
                 14, 5, "needs one of msisdn");
    expect_error(HEAD "targets:\n  - imsi: \"001011234567\"\n    msisdn: \"15551230001\"\n", 14, 11,
                 "names one identifier ('msisdn' and 'imsi')");
    expect_error(HEAD "targets:\n  - color: red\n", 14, 5, "unknown key 'color' in a target");
    expect_error(HEAD "targets:\n  - x\n", 14, 5, "a target must be a mapping");
    expect_error(HEAD "targets:\n  - msisdn: \"12\"\n", 14, 13, "not a telephone number");
    expect_error(HEAD "targets:\n  - msisdn: \"1234567890123456\"\n", 14, 13,
                 "not a telephone number");
    expect_error(HEAD "targets:\n  - msisdn: \"+1 555 CALL NOW\"\n", 14, 13,
                 "not a telephone number");
    expect_error(HEAD "targets:\n  - msisdn: \"\"\n", 14, 13, "must be a non-empty string");
    expect_error(HEAD "targets:\n  - imsi: \"00101\"\n", 14, 11, "must be 6-15 digits");
    expect_error(HEAD "targets:\n  - imsi: \"0010112345678901\"\n", 14, 11, "must be 6-15 digits");
    expect_error(HEAD "targets:\n  - imsi: \"00101abc\"\n", 14, 11, "must be 6-15 digits");
    expect_error(HEAD "targets:\n  - imei: \"3520990017614\"\n", 14, 11, "14, 15 or 16 digits");
    expect_error(HEAD "targets:\n  - imei: \"352099001761482\"\n", 14, 11, "check digit");
    expect_error(HEAD "targets:\n  - imei: \"35209900176148x\"\n", 14, 11, "other than digits");
    expect_error(HEAD "targets:\n  - ip: 10.0.0.256\n", 14, 9, "not an IPv4 or IPv6 address");
    expect_error(HEAD "targets:\n  - ip: 10.0.0.0/33\n", 14, 9, "prefix length must be 0..32");
    expect_error(HEAD "targets:\n  - ip: 10.0.0.0/x\n", 14, 9, "prefix length must be 0..32");
    expect_error(HEAD "targets:\n  - ip: 10.0.0.1/24\n", 14, 9, "host bits set beyond /24");
    expect_error(HEAD "targets:\n  - ip: \"2001:db8::1/64\"\n", 14, 9, "host bits set");
    expect_error(HEAD "targets:\n  - uri: \"mailto:a@b\"\n", 14, 10, "sip:, sips: or tel: URI");
    expect_error(HEAD "targets:\n  - uri: \"tel:call-me\"\n", 14, 10, "not a telephone number");
    expect_error(HEAD "targets:\n  - uri: \"sip:alice\"\n", 14, 10, "needs user@host");
    expect_error(HEAD "targets:\n  - uri: \"sip:al ice@x\"\n", 14, 10, "space or non-ASCII");
    expect_error(HEAD "targets:\n  - imsi: \"001011234567\"\n    window: {from: 2024-02-01T00:00:00Z,"
                      " to: 2024-03-02T00:00:00Z}\n",
                 15, 13, "must lie inside the scope window");
    expect_error(HEAD "targets:\n  - imsi: \"001011234567\"\n    window: x\n", 15, 13,
                 "target window must be a mapping");
    expect_error(HEAD "targets:\n  - msisdn: \"+15551230001\"\n  - msisdn: \"tel:1-555-123-0001\"\n",
                 15, 13, "target '15551230001' repeats the one at line 14");
}

TEST(helpers)
{
    char out[32];
    uint64_t us;
    CHECK(scope_canon_msisdn("+44 20 7946 0958", out, sizeof out));
    CHECK_STR(out, "442079460958");
    CHECK(!scope_canon_msisdn("+", out, sizeof out));
    CHECK(!scope_canon_msisdn("++15551230001", out, sizeof out));
    CHECK(!scope_canon_msisdn("15551230001", out, 5));
    CHECK(scope_parse_time("2024-02-29", &us));
    CHECK_EQ_INT(us, 1709164800ull * 1000000u);
    CHECK(!scope_parse_time("2023-02-29", &us));
    CHECK(!scope_parse_time("1969-12-31T23:59:59Z", &us));
    CHECK(!scope_parse_time("2024-03-01T00:00:00", &us));
    CHECK(!scope_parse_time("2024-03-01T00:00:00.Z", &us));
    CHECK(scope_parse_time("2024-03-01t00:00:00.000001z", &us));
    CHECK_EQ_INT(us, 1709251200ull * 1000000u + 1);
    scope_format_time(1709251200ull * 1000000u, out);
    CHECK_STR(out, "2024-03-01T00:00:00Z");
    scope_format_time(1709251200ull * 1000000u + 5, out);
    CHECK_STR(out, "2024-03-01T00:00:00.000005Z");
    char o[96];
    scope_outputs_text(SCOPE_OUT_RECORDS | SCOPE_OUT_INFERRED_CONTACT, o, sizeof o);
    CHECK_STR(o, "records, inferred-contact");
    CHECK_STR(scope_target_kind_name(SCOPE_TARGET_URI), "uri");
}

TEST(file_errors)
{
    struct err e;
    CHECK(scope_load_file("/nonexistent/scope.yaml", &e) == NULL);
    CHECK(strstr(e.msg, "/nonexistent/scope.yaml") != NULL);
    CHECK(scope_load_file("/", &e) == NULL);
    CHECK(strstr(e.msg, "not a regular file") != NULL);
    scope_free(NULL);
}

/* Every prefix of a valid file loads or fails cleanly (no crash, no leak
 * under ASan). */
TEST(every_prefix)
{
    const char *text = HEAD "targets:\n  - msisdn: \"+15551230001\"\n  - ip: 10.0.0.0/8\n";
    size_t n = strlen(text);
    for (size_t k = 0; k <= n; k++) {
        struct err e;
        struct scope *s = scope_load_buffer("p.yaml", (const uint8_t *)text, k, &e);
        CHECK(s != NULL || e.msg[0] != '\0');
        scope_free(s);
    }
}

int main(void)
{
    RUN(valid_every_notation);
    RUN(all_outputs);
    RUN(structure_errors);
    RUN(limits);
    RUN(field_errors);
    RUN(target_errors);
    RUN(helpers);
    RUN(file_errors);
    RUN(every_prefix);
    return harness_done();
}
