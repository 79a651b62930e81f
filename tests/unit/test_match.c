/* test_match.c - compiled signature indexes: names, ALPN, CIDR, ports, preambles. */
#include "classify/match.h"

#include <arpa/inet.h>
#include <string.h>

#include "tests/harness.h"

#define SRC "        source: \"x\"\n        stability: stable\n"

static const char catalog[] =
    "version: 2\nservices:\n"
    "  - name: Apple\n    class: ott-messaging\n    rules:\n"
    "      - server_name: push.apple.com\n        match: suffix\n" SRC          /* 0 */
    "      - server_name: courier.push.apple.com\n        match: suffix\n" SRC  /* 1 */
    "      - cidr: 17.0.0.0/8\n        ports: [5223]\n        transport: tcp\n" SRC /* 2 */
    "      - cidr: 17.57.144.0/22\n        ports: [443]\n" SRC                 /* 3 */
    "      - cidr: \"2620:149:a44::/48\"\n" SRC                               /* 4 */
    "      - alpn: apns-security-v3\n" SRC                                    /* 5 */
    "  - name: WA\n    class: ott-messaging\n    rules:\n"
    "      - server_name: whatsapp.net\n        match: suffix\n        on: [sni]\n" SRC /* 6 */
    "      - server_name: whatsapp.\n        match: prefix\n" SRC             /* 7 */
    "      - server_name: web.whatsapp.com\n        match: exact\n" SRC       /* 8 */
    "      - preamble: \"57 41 ?? 03\"\n        direction: c2s\n        transport: tcp\n"
    "        ports: [5222, 443]\n" SRC                                        /* 9 */
    "      - port: [tcp/5222, udp/3478-3481]\n" SRC                           /* 10, 11 */
    "      - preamble: \"ff\"\n        offset: 3\n        direction: s2c\n" SRC /* 12 */;

static struct sig_set *sigs;
static struct match_set *m;

static int addr4(const char *s, uint8_t a[16])
{
    memset(a, 0, 16);
    return inet_pton(AF_INET, s, a);
}

TEST(names)
{
    CHECK_EQ_INT(match_name(m, "1.courier.push.apple.com", SIG_ON_SNI), 1); /* longest wins */
    CHECK_EQ_INT(match_name(m, "1-courier.push.apple.com", SIG_ON_SNI), 0); /* labels, not text */
    CHECK_EQ_INT(match_name(m, "init.push.apple.com", SIG_ON_SNI), 0);
    CHECK_EQ_INT(match_name(m, "push.apple.com", SIG_ON_DNS), 0);       /* the name itself */
    CHECK_EQ_INT(match_name(m, "xpush.apple.com", SIG_ON_SNI), -1);     /* label boundary */
    CHECK_EQ_INT(match_name(m, "push.apple.com.evil", SIG_ON_SNI), -1);
    CHECK_EQ_INT(match_name(m, "g.whatsapp.net", SIG_ON_SNI), 6);
    CHECK_EQ_INT(match_name(m, "g.whatsapp.net", SIG_ON_DNS), -1);      /* `on` filters 6 out */
    CHECK_EQ_INT(match_name(m, "whatsapp.net", SIG_ON_DNS), 7);         /* ... leaving the prefix */
    CHECK_EQ_INT(match_name(m, "notwhatsapp.example", SIG_ON_ALL), -1); /* decoy */
    CHECK_EQ_INT(match_name(m, "whatsapp.example", SIG_ON_ALL), 7);     /* prefix at start only */
    CHECK_EQ_INT(match_name(m, "x.whatsapp.example", SIG_ON_ALL), -1);
    CHECK_EQ_INT(match_name(m, "web.whatsapp.com", SIG_ON_ALL), 8);     /* exact beats prefix */
    CHECK_EQ_INT(match_name(m, "", SIG_ON_ALL), -1);
    CHECK_EQ_INT(match_name(m, ".", SIG_ON_ALL), -1);
    CHECK_EQ_INT(match_name(m, "..push.apple.com", SIG_ON_SNI), 0);
}

TEST(alpn)
{
    CHECK_EQ_INT(match_alpn(m, "apns-security-v3"), 5);
    CHECK_EQ_INT(match_alpn(m, "h2"), -1);
    CHECK_EQ_INT(match_alpn(m, "apns-security-v"), -1);
}

TEST(cidr)
{
    uint8_t a[16];
    addr4("17.57.145.3", a);
    CHECK_EQ_INT(match_addr(m, 4, a, 6, 443), 3);  /* narrower prefix, its port */
    CHECK_EQ_INT(match_addr(m, 4, a, 6, 5223), 2); /* /22 refuses 5223: /8 takes it */
    CHECK_EQ_INT(match_addr(m, 4, a, 6, 80), -1);  /* 17.x on port 80: no rule (decoy) */
    CHECK_EQ_INT(match_addr(m, 4, a, 17, 5223), -1); /* /8 is tcp only */
    addr4("18.0.0.1", a);
    CHECK_EQ_INT(match_addr(m, 4, a, 6, 5223), -1);
    uint8_t v6[16];
    inet_pton(AF_INET6, "2620:149:a44::1", v6);
    CHECK_EQ_INT(match_addr(m, 6, v6, 17, 9), 4);
    inet_pton(AF_INET6, "2620:149:a45::1", v6);
    CHECK_EQ_INT(match_addr(m, 6, v6, 17, 9), -1);
}

TEST(ports)
{
    CHECK_EQ_INT(match_port(m, 6, 5222), 10);
    CHECK_EQ_INT(match_port(m, 17, 5222), -1);
    CHECK_EQ_INT(match_port(m, 17, 3480), 11);
    CHECK_EQ_INT(match_port(m, 17, 3482), -1);
    CHECK_EQ_INT(match_port(m, 1, 3480), -1);
}

TEST(preambles)
{
    static const uint8_t wa[] = {0x57, 0x41, 0x06, 0x03, 0x00};
    static const uint8_t wa_bad[] = {0x57, 0x41, 0x06, 0x02};
    CHECK_EQ_INT(match_preamble(m, 6, 5222, 0, wa, sizeof wa), 9);
    CHECK_EQ_INT(match_preamble(m, 6, 5222, 1, wa, sizeof wa), -1); /* direction */
    CHECK_EQ_INT(match_preamble(m, 6, 80, 0, wa, sizeof wa), -1);   /* port list */
    CHECK_EQ_INT(match_preamble(m, 6, 443, 0, wa_bad, sizeof wa_bad), -1);
    for (size_t k = 0; k < sizeof wa; k++) /* every prefix: too short never matches */
        CHECK_EQ_INT(match_preamble(m, 6, 443, 0, wa, k) >= 0, k >= 4);
    static const uint8_t off[] = {0, 0, 0, 0xff};
    CHECK_EQ_INT(match_preamble(m, 17, 1, 1, off, 4), 12);
    CHECK_EQ_INT(match_preamble(m, 17, 1, 1, off, 3), -1);
    CHECK_EQ_INT(match_preamble(m, 17, 1, 1, NULL, 0), -1);
}

int main(void)
{
    struct err e;
    sigs = sig_load_buffer("t.yaml", catalog, strlen(catalog), &e);
    if (!sigs) {
        fprintf(stderr, "%s\n", e.msg);
        return 1;
    }
    m = match_new(sigs, &e);
    if (!m) {
        fprintf(stderr, "%s\n", e.msg);
        return 1;
    }
    RUN(names);
    RUN(alpn);
    RUN(cidr);
    RUN(ports);
    RUN(preambles);
    match_free(m);
    sig_set_free(sigs);
    return harness_done();
}
