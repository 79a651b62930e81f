/* test_verdict.c - the precedence table: evidence in -> service, class,
 * method, confidence out (one row per rule of verdict.c, plus the
 * boundaries between neighbouring rules). */
#include "classify/verdict.h"

#include <stdio.h>
#include <string.h>

#include "tests/harness.h"

#define SRC "        source: \"x\"\n        stability: stable\n"

/* service 0 Signal (ott-messaging), 1 Push (push) */
static const char catalog[] = "version: 2\nservices:\n"
                              "  - name: Signal\n    class: ott-messaging\n    rules:\n"
                              "      - server_name: signal.org\n        match: exact\n" SRC
                              "  - name: Push\n    class: push\n    rules:\n"
                              "      - server_name: push.example\n        match: exact\n" SRC;

enum { SIG = 0, PUSH = 1, NONE = -1 };

/* Evidence with nothing in it. */
static struct verdict_evidence nothing(void)
{
    return (struct verdict_evidence){.decoder_proto = "", .ours = NONE, .ours_rule = NONE,
                                     .ndpi = NONE, .ndpi_rule = NONE,
                                     .ndpi_method = METHOD_NDPI, .ndpi_app_name = "",
                                     .socket = NONE, .server = NONE};
}

struct vcase {
    const char *name;
    struct verdict_evidence ev;
    const char *service;
    enum sig_class cls;
    enum cls_method method;
    uint8_t conf;
    enum verdict_source src;
};

static void run(const struct sig_set *s, const struct vcase *c)
{
    struct cls_result r;
    memset(&r, 0x5a, sizeof r);
    enum verdict_source src = verdict_decide(&c->ev, s, &r);
    bool ok = strcmp(r.service, c->service) == 0 && r.cls == c->cls && r.method == c->method &&
              r.confidence == c->conf && src == c->src;
    if (!ok)
        fprintf(stderr, "  case '%s': got %s/%d/%s/%u src %d\n", c->name, r.service, (int)r.cls,
                verdict_method_name(r.method), r.confidence, (int)src);
    CHECK(ok);
}

TEST(table)
{
    struct err e;
    struct sig_set *s = sig_load_buffer("t.yaml", catalog, strlen(catalog), &e);
    CHECK(s != NULL);
    if (!s) {
        fprintf(stderr, "%s\n", e.msg);
        return;
    }
    struct vcase cases[32];
    size_t n = 0;
    struct verdict_evidence ev;

    ev = nothing();
    cases[n++] = (struct vcase){"no evidence", ev, "", SIG_CLASS_OTHER, METHOD_NONE, 0,
                                VERDICT_NONE};

    ev = nothing();
    ev.decoder = true, ev.decoder_proto = "smpp", ev.decoder_conf = CONF_DECODER_DEFAULT;
    ev.decoder_class = SIG_CLASS_CARRIER_SMS;
    ev.ours = SIG, ev.ours_method = METHOD_SNI, ev.ours_conf = CONF_NAME, ev.ours_decisive = true;
    ev.ndpi_dns = true;
    cases[n++] = (struct vcase){"a decoder beats everything", ev, "smpp", SIG_CLASS_CARRIER_SMS,
                                METHOD_DECODER, CONF_DECODER_DEFAULT, VERDICT_DECODER};

    ev = nothing();
    ev.decoder = true, ev.decoder_proto = "gtpv2", ev.decoder_conf = CONF_DECODER_DEFAULT;
    ev.decoder_class = SIG_CLASS_OTHER, ev.ndpi = PUSH, ev.ndpi_conf = CONF_NDPI_DPI;
    cases[n++] = (struct vcase){"a decoder's row gives the class", ev, "gtpv2", SIG_CLASS_OTHER,
                                METHOD_DECODER, CONF_DECODER_DEFAULT, VERDICT_DECODER};

    ev = nothing();
    ev.ours = SIG, ev.ours_method = METHOD_SNI, ev.ours_conf = CONF_NAME, ev.ours_decisive = true;
    ev.ndpi_dns = true, ev.ndpi_conf = CONF_NDPI_DPI, ev.ndpi_known = true;
    cases[n++] = (struct vcase){"a DNS flow stays DNS even when a decisive rule liked it", ev,
                                "DNS", SIG_CLASS_OTHER, METHOD_NDPI, CONF_NDPI_DPI,
                                VERDICT_NDPI_DNS};

    ev = nothing();
    ev.dns = true, ev.ndpi = SIG, ev.ndpi_conf = CONF_NDPI_DPI, ev.ndpi_candidate_conf = CONF_NAME;
    ev.ndpi_method = METHOD_SNI;
    cases[n++] = (struct vcase){"our DNS parser read it: DNS, whatever name nDPI matched", ev,
                                "DNS", SIG_CLASS_OTHER, METHOD_NDPI, CONF_NDPI_DPI,
                                VERDICT_NDPI_DNS};

    ev = nothing();
    ev.server = SIG, ev.ours = PUSH, ev.ours_method = METHOD_CIDR, ev.ours_conf = CONF_CIDR;
    cases[n++] = (struct vcase){"a learnt server beats an address range", ev, "Signal",
                                SIG_CLASS_OTT_MESSAGING, METHOD_SERVER, CONF_SERVER,
                                VERDICT_SERVER};

    ev = nothing();
    ev.server = SIG, ev.ndpi = PUSH, ev.ndpi_conf = CONF_NDPI_GUESS;
    ev.ndpi_candidate_conf = CONF_NDPI_GUESS, ev.ndpi_known = true;
    cases[n++] = (struct vcase){"a learnt server beats nDPI's address guess", ev, "Signal",
                                SIG_CLASS_OTT_MESSAGING, METHOD_SERVER, CONF_SERVER,
                                VERDICT_SERVER};

    ev = nothing();
    ev.server = SIG, ev.ours = PUSH, ev.ours_method = METHOD_DNS, ev.ours_conf = CONF_DNS;
    cases[n++] = (struct vcase){"a DNS-learned name beats a learnt server", ev, "Push",
                                SIG_CLASS_PUSH, METHOD_DNS, CONF_DNS, VERDICT_OURS};

    ev = nothing();
    ev.server = SIG, ev.name_contradicts = true;
    cases[n++] = (struct vcase){"a name the flow carried contradicts a learnt server", ev, "",
                                SIG_CLASS_OTHER, METHOD_NONE, 0, VERDICT_NONE};

    ev = nothing();
    ev.ours = SIG, ev.ours_method = METHOD_CIDR, ev.ours_conf = CONF_CIDR;
    ev.ndpi_dns = true, ev.ndpi_conf = CONF_NDPI_DPI, ev.ndpi_known = true;
    cases[n++] = (struct vcase){"nDPI's DNS beats an address rule", ev, "DNS", SIG_CLASS_OTHER,
                                METHOD_NDPI, CONF_NDPI_DPI, VERDICT_NDPI_DNS};

    ev = nothing();
    ev.socket = SIG;
    cases[n++] = (struct vcase){"a call on the socket", ev, "Signal", SIG_CLASS_OTT_MESSAGING,
                                METHOD_SOCKET, CONF_SOCKET, VERDICT_SOCKET};

    ev = nothing();
    ev.socket = SIG, ev.ours = PUSH, ev.ours_method = METHOD_PORT, ev.ours_conf = CONF_PORT;
    cases[n++] = (struct vcase){"a call beats a port", ev, "Signal", SIG_CLASS_OTT_MESSAGING,
                                METHOD_SOCKET, CONF_SOCKET, VERDICT_SOCKET};

    ev = nothing();
    ev.socket = SIG, ev.ours = PUSH, ev.ours_method = METHOD_CIDR, ev.ours_conf = CONF_CIDR_PORT;
    cases[n++] = (struct vcase){"an address+port rule (60) is not below a call (60)", ev, "Push",
                                SIG_CLASS_PUSH, METHOD_CIDR, CONF_CIDR_PORT, VERDICT_OURS};

    ev = nothing();
    ev.socket = SIG, ev.ndpi = PUSH, ev.ndpi_conf = CONF_NDPI_DPI;
    ev.ndpi_candidate_conf = CONF_NDPI_DPI, ev.ndpi_known = true;
    cases[n++] = (struct vcase){"nDPI's catalog service beats a call", ev, "Push", SIG_CLASS_PUSH,
                                METHOD_NDPI, CONF_NDPI_DPI, VERDICT_NDPI};

    ev = nothing();
    ev.socket = SIG, ev.ndpi_names_app = true, ev.ndpi_known = true, ev.ndpi_app_name = "Google";
    ev.ndpi_conf = CONF_NDPI_DPI, ev.ndpi_candidate_conf = CONF_NDPI_DPI;
    cases[n++] = (struct vcase){"an app nDPI names beats a call", ev, "Google", SIG_CLASS_OTHER,
                                METHOD_NDPI, CONF_NDPI_DPI, VERDICT_NDPI_NAME};

    ev = nothing();
    ev.ours = SIG, ev.ours_method = METHOD_CIDR, ev.ours_conf = CONF_CIDR;
    cases[n++] = (struct vcase){"an address rule alone, at the class floor", ev, "Signal",
                                SIG_CLASS_OTT_MESSAGING, METHOD_CIDR, CONF_CIDR, VERDICT_OURS};

    ev = nothing();
    ev.ours = SIG, ev.ours_method = METHOD_PORT, ev.ours_conf = CONF_PORT;
    cases[n++] = (struct vcase){"a port never gives a class", ev, "Signal", SIG_CLASS_OTHER,
                                METHOD_PORT, CONF_PORT, VERDICT_OURS};

    ev = nothing();
    ev.ours = SIG, ev.ours_method = METHOD_DNS, ev.ours_conf = CONF_DNS;
    ev.ndpi = PUSH, ev.ndpi_conf = CONF_NDPI_DPI, ev.ndpi_candidate_conf = CONF_NDPI_DPI;
    ev.ndpi_known = true;
    cases[n++] = (struct vcase){"nDPI's service beats a weaker rule", ev, "Push", SIG_CLASS_PUSH,
                                METHOD_NDPI, CONF_NDPI_DPI, VERDICT_NDPI};

    ev.ndpi_conf = CONF_NDPI_IP, ev.ndpi_candidate_conf = CONF_NDPI_IP;
    cases[n++] = (struct vcase){"a rule beats nDPI's weaker service", ev, "Signal",
                                SIG_CLASS_OTT_MESSAGING, METHOD_DNS, CONF_DNS, VERDICT_OURS};

    ev.ndpi_conf = CONF_DNS, ev.ndpi_candidate_conf = CONF_DNS;
    cases[n++] = (struct vcase){"a tie goes to nDPI", ev, "Push", SIG_CLASS_PUSH, METHOD_NDPI,
                                CONF_DNS, VERDICT_NDPI};

    ev = nothing();
    ev.ours = SIG, ev.ours_method = METHOD_CIDR, ev.ours_conf = CONF_CIDR;
    ev.ndpi_names_app = true, ev.ndpi_known = true, ev.ndpi_app_name = "Google";
    ev.ndpi_conf = CONF_NDPI_DPI, ev.ndpi_candidate_conf = CONF_NDPI_DPI;
    cases[n++] = (struct vcase){"an app nDPI names beats an address rule", ev, "Google",
                                SIG_CLASS_OTHER, METHOD_NDPI, CONF_NDPI_DPI, VERDICT_NDPI_NAME};

    ev.ours_method = METHOD_PREAMBLE, ev.ours_conf = CONF_PREAMBLE;
    cases[n++] = (struct vcase){"a rule as strong as payload inspection beats it", ev, "Signal",
                                SIG_CLASS_OTT_MESSAGING, METHOD_PREAMBLE, CONF_PREAMBLE,
                                VERDICT_OURS};

    ev = nothing();
    ev.ours = SIG, ev.ours_method = METHOD_CIDR, ev.ours_conf = CONF_CIDR;
    ev.name_contradicts = true;
    cases[n++] = (struct vcase){"an unknown server name contradicts an address rule", ev, "",
                                SIG_CLASS_OTHER, METHOD_NONE, 0, VERDICT_NONE};

    ev.ours_method = METHOD_ALPN, ev.ours_conf = CONF_ALPN;
    cases[n++] = (struct vcase){"... but not a decisive ALPN rule", ev, "Signal",
                                SIG_CLASS_OTT_MESSAGING, METHOD_ALPN, CONF_ALPN, VERDICT_OURS};

    ev = nothing();
    ev.ndpi = SIG, ev.ndpi_conf = CONF_NDPI_GUESS, ev.ndpi_candidate_conf = CONF_NDPI_GUESS;
    ev.ndpi_known = true;
    cases[n++] = (struct vcase){"an nDPI guess keeps the service as a hint", ev, "Signal",
                                SIG_CLASS_OTHER, METHOD_NDPI, CONF_NDPI_GUESS, VERDICT_NDPI};

    ev = nothing();
    ev.ndpi = SIG, ev.ndpi_method = METHOD_SNI, ev.ndpi_conf = CONF_NDPI_CACHE;
    ev.ndpi_candidate_conf = CONF_NAME, ev.ndpi_known = true;
    cases[n++] = (struct vcase){"a name nDPI saw, matched by our rules", ev, "Signal",
                                SIG_CLASS_OTT_MESSAGING, METHOD_SNI, CONF_NAME, VERDICT_NDPI};

    ev = nothing();
    ev.ndpi_known = true, ev.ndpi_app_name = "BitTorrent", ev.ndpi_conf = CONF_NDPI_DPI;
    cases[n++] = (struct vcase){"known to nDPI only", ev, "BitTorrent", SIG_CLASS_OTHER,
                                METHOD_NDPI, CONF_NDPI_DPI, VERDICT_NDPI_NAME};

    for (size_t i = 0; i < n; i++)
        run(s, &cases[i]);
    sig_set_free(s);
}

TEST(tables)
{
    CHECK(verdict_method_decisive(METHOD_PREAMBLE));
    CHECK(verdict_method_decisive(METHOD_SNI));
    CHECK(verdict_method_decisive(METHOD_HOST));
    CHECK(verdict_method_decisive(METHOD_ALPN));
    CHECK(!verdict_method_decisive(METHOD_DNS));
    CHECK(!verdict_method_decisive(METHOD_CIDR));
    CHECK(!verdict_method_decisive(METHOD_PORT));
    CHECK(!verdict_method_decisive(METHOD_NDPI));
    CHECK_EQ_INT(verdict_ndpi_conf(NDPI_CONF_DPI, false), CONF_NDPI_DPI);
    CHECK_EQ_INT(verdict_ndpi_conf(NDPI_CONF_CACHE, false), CONF_NDPI_CACHE);
    CHECK_EQ_INT(verdict_ndpi_conf(NDPI_CONF_IP, false), CONF_NDPI_IP);
    CHECK_EQ_INT(verdict_ndpi_conf(NDPI_CONF_PORT, false), CONF_NDPI_PORT);
    CHECK_EQ_INT(verdict_ndpi_conf(NDPI_CONF_NONE, false), 0);
    CHECK_EQ_INT(verdict_ndpi_conf(NDPI_CONF_DPI, true), CONF_NDPI_GUESS);
    CHECK_STR(verdict_method_name(METHOD_DNS), "dns-learned");
    CHECK_STR(verdict_method_name(METHOD_SOCKET), "call-socket");
    CHECK_STR(verdict_method_name(METHOD_NONE), "none");
    CHECK_STR(verdict_method_name(METHOD_SERVER), "learnt-server");
}

/* verdict_class is the one service -> class map (issue 18). */
TEST(class_map)
{
    struct err e;
    struct sig_set *s = sig_load_buffer("t.yaml", catalog, strlen(catalog), &e);
    CHECK(s != NULL);
    if (!s)
        return;
    CHECK_EQ_INT(verdict_class(s, SIG, METHOD_SNI, CONF_NAME, false), SIG_CLASS_OTT_MESSAGING);
    CHECK_EQ_INT(verdict_class(s, SIG, METHOD_SNI, CONF_NAME, true), SIG_CLASS_OTHER);
    CHECK_EQ_INT(verdict_class(s, SIG, METHOD_PORT, CONF_NAME, false), SIG_CLASS_OTHER);
    CHECK_EQ_INT(verdict_class(s, SIG, METHOD_NDPI, CONF_NDPI_GUESS, false), SIG_CLASS_OTHER);
    CHECK_EQ_INT(verdict_class(s, PUSH, METHOD_CIDR, CONF_CIDR, false), SIG_CLASS_PUSH);
    CHECK_EQ_INT(verdict_class(s, NONE, METHOD_SNI, CONF_NAME, false), SIG_CLASS_OTHER);
    CHECK_EQ_INT(verdict_class(s, 99, METHOD_SNI, CONF_NAME, false), SIG_CLASS_OTHER);
    sig_set_free(s);
}

/* The candidate that disagreed (issue 18, `signatures audit`): the first
 * of ours, nDPI's mapping, the call socket and the learnt server that is not
 * the decider and names another catalog service. */
TEST(alternative)
{
    struct err e;
    struct sig_set *s = sig_load_buffer("t.yaml", catalog, strlen(catalog), &e);
    CHECK(s != NULL);
    if (!s)
        return;
    struct cls_result r;
    struct verdict_evidence ev = nothing();
    ev.ours = SIG, ev.ours_rule = 0, ev.ours_method = METHOD_SNI, ev.ours_conf = CONF_NAME;
    ev.ours_decisive = true;
    ev.ndpi = PUSH, ev.ndpi_rule = 1, ev.ndpi_candidate_conf = CONF_NDPI_DPI;
    CHECK_EQ_INT(verdict_decide(&ev, s, &r), VERDICT_OURS);
    CHECK_EQ_INT(r.alt_rule, 1);
    CHECK_EQ_INT(r.alt_method, METHOD_NDPI);
    ev.ndpi = SIG; /* agreement: no alternative */
    ev.server = PUSH;
    CHECK_EQ_INT(verdict_decide(&ev, s, &r), VERDICT_OURS);
    CHECK_EQ_INT(r.alt_rule, -1);
    CHECK_EQ_INT(r.alt_method, METHOD_SERVER);
    ev.server = NONE;
    CHECK_EQ_INT(verdict_decide(&ev, s, &r), VERDICT_OURS);
    CHECK_EQ_INT(r.alt_method, METHOD_NONE);
    /* nDPI decided; our weaker address rule named the other service */
    ev = nothing();
    ev.ours = SIG, ev.ours_rule = 0, ev.ours_method = METHOD_CIDR, ev.ours_conf = CONF_CIDR;
    ev.ndpi = PUSH, ev.ndpi_rule = 1, ev.ndpi_candidate_conf = CONF_NDPI_DPI;
    CHECK_EQ_INT(verdict_decide(&ev, s, &r), VERDICT_NDPI);
    CHECK_STR(r.service, "Push");
    CHECK_EQ_INT(r.alt_rule, 0);
    CHECK_EQ_INT(r.alt_method, METHOD_CIDR);
    /* nothing catalogued decided (DNS): no alternative is recorded */
    ev.ndpi_dns = true;
    CHECK_EQ_INT(verdict_decide(&ev, s, &r), VERDICT_NDPI_DNS);
    CHECK_EQ_INT(r.alt_method, METHOD_NONE);
    sig_set_free(s);
}

int main(void)
{
    RUN(table);
    RUN(tables);
    RUN(class_map);
    RUN(alternative);
    return harness_done();
}
