/* test_sig_load.c - the signature loader: valid files and every error path. */
#include "signatures/sig.h"

#include <stdlib.h>
#include <string.h>

#include "signatures/sig_query.h"
#include "tests/harness.h"

#define HEAD "version: 2\nservices:\n  - name: S\n    class: ott-messaging\n    rules:\n"
#define SRC "        source: \"x\"\n        stability: stable\n"

static struct sig_set *load(const char *text, struct err *e)
{
    e->msg[0] = '\0';
    return sig_load_buffer("t.yaml", text, strlen(text), e);
}

TEST(valid_all_kinds)
{
    static const char text[] = HEAD
        "      - ndpi: WhatsApp\n" SRC
        "      - server_name: [a.example.com, b.example]\n        match: suffix\n"
        "        on: [sni, dns]\n" SRC
        "      - server_name: wx.\n        match: prefix\n" SRC
        "      - cidr: [17.0.0.0/8, \"2620:149:a44::/48\"]\n        ports: [5223, 443]\n"
        "        transport: tcp\n" SRC
        "      - port: [tcp/5222, udp/3478-3481, sctp/2905]\n" SRC
        "      - preamble: \"57 41 ?? 03\"\n        offset: 2\n        direction: c2s\n"
        "        transport: tcp\n        ports: [5222]\n" SRC
        "      - alpn: apns-security-v3\n" SRC;
    struct err e;
    struct sig_set *s = load(text, &e);
    CHECK(s != NULL);
    if (!s) {
        fprintf(stderr, "%s\n", e.msg);
        return;
    }
    CHECK_EQ_INT(s->nservices, 1);
    CHECK_EQ_INT(s->nrules, 11);
    CHECK_EQ_INT(s->rules[1].kind, SIG_RULE_NAME);
    CHECK_EQ_INT(s->rules[1].match, SIG_MATCH_SUFFIX);
    CHECK_EQ_INT(s->rules[1].on, SIG_ON_SNI | SIG_ON_DNS);
    CHECK_EQ_INT(s->rules[1].where.line, 9); /* list items carry their own position */
    CHECK_EQ_INT(s->rules[4].plen, 8);
    CHECK_EQ_INT(s->rules[4].nports, 2);
    CHECK_EQ_INT(s->rules[5].family, 6);
    CHECK_EQ_INT(s->rules[7].port_lo, 3478);
    CHECK_EQ_INT(s->rules[7].port_hi, 3481);
    CHECK_EQ_INT(s->rules[8].l4proto, 132);
    CHECK_EQ_INT(s->rules[9].pre_len, 4);
    CHECK_EQ_INT(s->rules[9].pre_mask[2], 0);
    CHECK_EQ_INT(s->rules[9].pre_off, 2);
    CHECK_EQ_INT(s->rules[9].dir, SIG_DIR_C2S);
    CHECK_STR(s->rules[10].text, "apns-security-v3");
    CHECK_EQ_INT(strlen(s->sha256_hex), 64);
    sig_set_free(s);
}

TEST(version1_still_loads)
{
    static const char text[] = "version: 1\nservices:\n  - name: A\n    class: push\n    rules:\n"
                               "      - ndpi: ApplePush\n" SRC;
    struct err e;
    struct sig_set *s = load(text, &e);
    CHECK(s != NULL);
    sig_set_free(s);
    static const char v1_with_v2_rule[] = "version: 1\nservices:\n  - name: A\n    class: push\n"
                                          "    rules:\n      - alpn: h2\n" SRC;
    s = load(v1_with_v2_rule, &e);
    CHECK(s == NULL);
    CHECK(strstr(e.msg, "t.yaml:6:9: 'alpn' rules need schema version 2") != NULL);
}

TEST(shipped_catalog_loads)
{
    const char *p = "signatures/catalog.yaml";
    struct err e;
    struct sig_set *s = sig_load_paths(&p, 1, &e);
    CHECK(s != NULL);
    if (!s) {
        fprintf(stderr, "%s\n", e.msg);
        return;
    }
    CHECK(s->nservices >= 18);
    for (size_t i = 0; i < s->nrules; i++) /* every rule is sourced */
        CHECK(s->rules[i].source[0] != '\0');
    CHECK(sig_find_service(s, "WhatsApp") >= 0);
    CHECK(sig_find_service(s, "GooglePush") >= 0);
    CHECK_EQ_INT(s->services[sig_find_service(s, "GooglePush")].cls, SIG_CLASS_PUSH);
    /* issue 18: every vendor-scope range sits in a class-other service, every
     * `vendor:` names such a service, and the messaging services of the
     * vendors with shared ranges name their vendor */
    for (size_t i = 0; i < s->nrules; i++)
        if (s->rules[i].kind == SIG_RULE_CIDR && s->rules[i].scope == SIG_SCOPE_VENDOR)
            CHECK_EQ_INT(s->services[s->rules[i].service].cls, SIG_CLASS_OTHER);
    for (size_t i = 0; i < s->nservices; i++)
        if (s->services[i].vendor[0]) {
            int v = sig_find_service(s, s->services[i].vendor);
            CHECK(v >= 0);
            CHECK(v >= 0 && s->services[v].cls == SIG_CLASS_OTHER);
        }
    static const char *const vendored[][2] = {
        {"WhatsApp", "Meta"},     {"Messenger", "Meta"},        {"WeChat", "Tencent"},
        {"GoogleChat", "Google"}, {"Skype/Teams", "Microsoft"}, {"ApplePush", "Apple"}};
    for (size_t i = 0; i < sizeof vendored / sizeof vendored[0]; i++) {
        int k = sig_find_service(s, vendored[i][0]);
        CHECK(k >= 0);
        if (k >= 0)
            CHECK_STR(s->services[k].vendor, vendored[i][1]);
    }
    sig_set_free(s);
}

/* Each case: a document and the exact "file:line:col: reason" prefix expected. */
static const struct {
    const char *text;
    const char *want;
} bad[] = {
    {"", "t.yaml:1:1: empty signature file"},
    {"version: [1\n", "t.yaml:2:1: YAML error"},
    {"- a\n", "t.yaml:1:1: the top level must be a mapping"},
    {"services: []\n", "t.yaml:1:1: missing 'version'"},
    {"version: 3\nservices: []\n", "t.yaml:1:10: unsupported schema version '3'"},
    {"version: 2\nextra: 1\n", "t.yaml:2:1: unknown top-level key 'extra'"},
    {"version: 2\nservices: 1\n", "t.yaml:2:11: 'services' must be a list"},
    {"version: 2\nservices: []\n", "no services defined"},
    {"version: 2\nservices:\n  - 1\n", "t.yaml:3:5: a service must be a mapping"},
    {"version: 2\nservices:\n  - class: push\n", "t.yaml:3:5: service has no 'name'"},
    {"version: 2\nservices:\n  - name: A\n", "t.yaml:3:5: service 'A' has no 'class'"},
    {"version: 2\nservices:\n  - name: A\n    class: chat\n", "t.yaml:4:12: unknown class 'chat'"},
    {"version: 2\nservices:\n  - name: A\n    class: push\n    colour: red\n",
     "t.yaml:5:5: unknown service key 'colour'"},
    {"version: 2\nservices:\n  - name: [A]\n    class: push\n", "t.yaml:3:11: 'name' must be a string"},
    {"version: 2\nservices:\n  - name: A\n    class: push\n  - name: A\n    class: push\n",
     "t.yaml:5:11: duplicate service name 'A'"},
    {"version: 2\nservices:\n  - name: A\n    class: push\n    rules: 1\n",
     "t.yaml:5:12: 'rules' must be a list"},
    {HEAD "      - 1\n", "t.yaml:6:9: a rule must be a mapping"},
    {HEAD "      - source: x\n        stability: stable\n", "t.yaml:6:9: rule has no match key"},
    {HEAD "      - ndpi: A\n        alpn: b\n" SRC, "t.yaml:7:9: a rule has exactly one match key"},
    {HEAD "      - ndpi: A\n        stability: stable\n", "t.yaml:6:9: rule has no 'source'"},
    {HEAD "      - ndpi: A\n        source: x\n", "t.yaml:6:9: rule has no 'stability'"},
    {HEAD "      - ndpi: A\n        source: x\n        stability: solid\n",
     "t.yaml:8:20: stability must be stable, medium or fragile"},
    {HEAD "      - ndpi: A\n        sauce: x\n" SRC, "t.yaml:7:9: unknown rule key 'sauce'"},
    {HEAD "      - ndpi: A\n        source: x\n        source: y\n        stability: stable\n",
     "t.yaml:8:9: duplicate key 'source'"},
    {HEAD "      - ndpi: A\n        match: exact\n" SRC,
     "t.yaml:7:9: 'match' does not apply to a ndpi rule"},
    {HEAD "      - server_name: a.com\n" SRC, "t.yaml:6:9: a server_name rule must state 'match'"},
    {HEAD "      - server_name: a.com\n        match: fuzzy\n" SRC,
     "t.yaml:7:16: match must be exact, suffix or prefix"},
    {HEAD "      - server_name: A.com\n        match: exact\n" SRC, "t.yaml:6:22: server names are lower-case"},
    {HEAD "      - server_name: .a.com\n        match: suffix\n" SRC, "t.yaml:6:22: server name has an empty label"},
    {HEAD "      - server_name: wx\n        match: prefix\n" SRC, "t.yaml:6:22: a prefix pattern ends in"},
    {HEAD "      - server_name: a.\n        match: suffix\n" SRC, "t.yaml:6:22: only prefix patterns"},
    {HEAD "      - server_name: a.com\n        match: exact\n        on: [smtp]\n" SRC,
     "t.yaml:8:14: 'on' entries are sni, quic, host, cert, dns or stun"},
    {HEAD "      - server_name: a.com\n        match: exact\n        on: sni\n" SRC,
     "t.yaml:8:13: 'on' must be a list"},
    {HEAD "      - server_name: []\n        match: exact\n" SRC, "t.yaml:6:22: 'server_name' list is empty"},
    {HEAD "      - server_name: {a: b}\n        match: exact\n" SRC,
     "t.yaml:6:22: 'server_name' must be a string or a list"},
    {HEAD "      - cidr: 17.0.0.0\n" SRC, "t.yaml:6:15: CIDR needs a /prefix-length"},
    {HEAD "      - cidr: 17.0.0.300/8\n" SRC, "t.yaml:6:15: bad CIDR address"},
    {HEAD "      - cidr: 17.0.0.0/33\n" SRC, "t.yaml:6:15: bad CIDR prefix length"},
    {HEAD "      - cidr: 17.1.0.0/8\n" SRC, "t.yaml:6:15: CIDR has host bits set"},
    {HEAD "      - cidr: \"2620:149::1/48\"\n" SRC, "t.yaml:6:15: CIDR has host bits set"},
    {HEAD "      - cidr: [10.0.0.0/8, x/1]\n" SRC, "t.yaml:6:28: bad CIDR address"},
    {HEAD "      - cidr: 10.0.0.0/8\n        ports: [0]\n" SRC, "t.yaml:7:17: bad port number"},
    {HEAD "      - cidr: 10.0.0.0/8\n        ports: 5\n" SRC, "t.yaml:7:16: 'ports' must be a list"},
    {HEAD "      - cidr: 10.0.0.0/8\n        ports: [1,2,3,4,5,6,7,8,9]\n" SRC,
     "t.yaml:7:33: more than 8 ports"},
    {HEAD "      - cidr: 10.0.0.0/8\n        transport: icmp\n" SRC,
     "t.yaml:7:20: transport must be tcp, udp, sctp or any"},
    {HEAD "      - port: 5222\n" SRC, "t.yaml:6:15: port must be written transport/port"},
    {HEAD "      - port: tcp/70000\n" SRC, "t.yaml:6:15: bad port number"},
    {HEAD "      - port: tcp/9-3\n" SRC, "t.yaml:6:15: port range is reversed"},
    {HEAD "      - port: quic/443\n" SRC, "t.yaml:6:15: transport must be"},
    {HEAD "      - preamble: \"zz\"\n" SRC, "t.yaml:6:19: bad hex byte"},
    {HEAD "      - preamble: \"5\"\n" SRC, "t.yaml:6:19: bad hex: bytes are two digits"},
    {HEAD "      - preamble: \"5741\"\n" SRC, "t.yaml:6:19: bad hex: separate bytes with spaces"},
    {HEAD "      - preamble: \"?? ??\"\n" SRC, "t.yaml:6:19: preamble has only wildcards"},
    {HEAD "      - preamble: \" \"\n" SRC, "t.yaml:6:19: empty preamble"},
    {HEAD "      - preamble: \"00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
          "00 00 00 00 00 00 00 00 00 00\"\n" SRC,
     "t.yaml:6:19: preamble longer than 32 bytes"},
    {HEAD "      - preamble: \"57\"\n        offset: 65\n" SRC, "t.yaml:7:17: offset must be a number"},
    {HEAD "      - preamble: \"57\"\n        offset: -1\n" SRC, "t.yaml:7:17: offset must be a number"},
    {HEAD "      - preamble: \"57\"\n        direction: up\n" SRC,
     "t.yaml:7:20: direction must be c2s, s2c or any"},
    {HEAD "      - alpn: \"\"\n" SRC, "t.yaml:6:15: 'alpn' values must be non-empty strings"},
    /* issue 18: scope, vendor */
    {"version: 2\nservices:\n  - name: S\n    class: ott-messaging\n    vendor: [M]\n",
     "t.yaml:5:13: 'vendor' must be a string"},
    {HEAD "      - cidr: 10.0.0.0/8\n        scope: global\n" SRC,
     "t.yaml:7:16: scope must be service or vendor"},
    {HEAD "      - port: tcp/1\n        scope: vendor\n" SRC,
     "t.yaml:7:9: 'scope' does not apply to a port rule"},
    {"version: 2\nservices:\n  - name: M\n    class: ott-messaging\n    rules:\n"
     "      - cidr: 157.240.0.0/16\n        scope: vendor\n" SRC,
     "t.yaml:6:9: a 'scope: vendor' range may only name a service of class other"},
    {HEAD "      - ndpi: [[A]]\n" SRC, "t.yaml:6:16: 'ndpi' values must be non-empty strings"},
    {HEAD "      - detector: magic\n" SRC, "t.yaml:6:19: unknown detector"},
    {HEAD "      - cidr: [10.0.0.0/8, 10.0.0.0/8]\n" SRC,
     "t.yaml:6:28: duplicate cidr rule: the same value is already a rule of 'S' at t.yaml:6:16"},
    {"version: 2\nservices:\n  - name: A\n    class: push\n    rules:\n"
     "      - server_name: a.example\n        match: suffix\n" SRC
     "  - name: B\n    class: push\n    rules:\n"
     "      - server_name: a.example\n        match: suffix\n" SRC,
     "t.yaml:13:9: duplicate server_name rule: the same value is already a rule of 'A' at "
     "t.yaml:6:9"},
    {HEAD "      - detector: mtproto-obfuscated2\n        offset: 1\n" SRC,
     "t.yaml:7:9: 'offset' does not apply to a detector rule"},
};

TEST(every_error_path)
{
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct err e;
        struct sig_set *s = load(bad[i].text, &e);
        CHECK(s == NULL);
        sig_set_free(s);
        if (!strstr(e.msg, bad[i].want)) {
            fprintf(stderr, "case %zu: got \"%s\", want \"%s\"\n", i, e.msg, bad[i].want);
            CHECK(0);
        } else {
            CHECK(1);
        }
    }
}

TEST(missing_file)
{
    const char *p = "/nonexistent/x.yaml";
    struct err e;
    CHECK(sig_load_paths(&p, 1, &e) == NULL);
    CHECK(strstr(e.msg, "/nonexistent/x.yaml: cannot open") != NULL);
}

TEST(sha_depends_on_bytes)
{
    static const char a[] = "version: 2\nservices:\n  - name: A\n    class: push\n";
    static const char b[] = "version: 2\nservices:\n  - name: B\n    class: push\n";
    struct err e;
    struct sig_set *sa = load(a, &e), *sb = load(b, &e), *sa2 = load(a, &e);
    CHECK(sa && sb && sa2);
    if (sa && sb && sa2) {
        CHECK(strcmp(sa->sha256_hex, sb->sha256_hex) != 0);
        CHECK_STR(sa->sha256_hex, sa2->sha256_hex);
    }
    sig_set_free(sa);
    sig_set_free(sb);
    sig_set_free(sa2);
}

int main(void)
{
    RUN(valid_all_kinds);
    RUN(version1_still_loads);
    RUN(shipped_catalog_loads);
    RUN(every_error_path);
    RUN(missing_file);
    RUN(sha_depends_on_bytes);
    return harness_done();
}
