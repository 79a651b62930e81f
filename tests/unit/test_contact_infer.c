/* test_contact_infer.c - message correlation, circular-shift p-values, call
 * pairing and the scope seam (report/contact_infer.c), and the store side
 * (report/infer_store.c): no row without inferred-contact allowed. */
#include "report/contact_infer.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/infer_store.h"
#include "report/store.h"
#include "tests/harness.h"

#define S 1000000LL
/* A window-aligned start (a multiple of 900 s and 180 s). */
#define T0 (1767225600LL * S)

static struct ci_params params(void)
{
    struct ci_params p;
    ci_params_default(&p);
    return p;
}

TEST(match_basic)
{
    struct ci_params p = params();
    const struct ci_burst a[] = {{T0, 500, CI_SEND}, {T0 + 10 * S, 700, CI_SEND},
                                 {T0 + 20 * S, 400, CI_SEND}};
    const struct ci_burst b[] = {{T0 + S / 2, 600, CI_RECV}, {T0 + 10 * S + 400000, 650, CI_RECV},
                                 {T0 + 20 * S + 200000, 300, CI_RECV}};
    CHECK_EQ_INT(ci_match_count(a, 3, b, 3, &p), 3);
    /* Symmetric: the same events seen from the other side (b sends nothing). */
    CHECK_EQ_INT(ci_match_count(b, 3, a, 3, &p), 3);
    /* A receive before the send, or later than delta, is no match. */
    const struct ci_burst early[] = {{T0 - S, 500, CI_RECV}};
    const struct ci_burst late[] = {{T0 + 3 * S + 1, 500, CI_RECV}};
    const struct ci_burst edge[] = {{T0 + 3 * S, 500, CI_RECV}};
    CHECK_EQ_INT(ci_match_count(a, 1, early, 1, &p), 0);
    CHECK_EQ_INT(ci_match_count(a, 1, late, 1, &p), 0);
    CHECK_EQ_INT(ci_match_count(a, 1, edge, 1, &p), 1);
    /* Sizes: 1,250 B absolute, or 10% of the larger. */
    const struct ci_burst big[] = {{T0 + S, 500 + 1251, CI_RECV}};
    const struct ci_burst ok[] = {{T0 + S, 500 + 1250, CI_RECV}};
    CHECK_EQ_INT(ci_match_count(a, 1, big, 1, &p), 0);
    CHECK_EQ_INT(ci_match_count(a, 1, ok, 1, &p), 1);
    const struct ci_burst media_a[] = {{T0, 200000, CI_SEND}};
    const struct ci_burst media_b[] = {{T0 + S, 215000, CI_RECV}};
    const struct ci_burst media_far[] = {{T0 + S, 230000, CI_RECV}};
    CHECK_EQ_INT(ci_match_count(media_a, 1, media_b, 1, &p), 1);
    CHECK_EQ_INT(ci_match_count(media_a, 1, media_far, 1, &p), 0);
    /* Direction: two sends never match, nor two receives. */
    const struct ci_burst send_b[] = {{T0 + S, 500, CI_SEND}};
    CHECK_EQ_INT(ci_match_count(a, 1, send_b, 1, &p), 0);
    CHECK_EQ_INT(ci_match_count(early, 1, late, 1, &p), 0);
}

TEST(match_each_event_once)
{
    struct ci_params p = params();
    /* Two sends, one receive: one match. */
    const struct ci_burst a[] = {{T0, 500, CI_SEND}, {T0 + 100000, 500, CI_SEND}};
    const struct ci_burst b[] = {{T0 + S, 500, CI_RECV}};
    CHECK_EQ_INT(ci_match_count(a, 2, b, 1, &p), 1);
    /* A "both" burst serves as a send or a receive, but once. */
    const struct ci_burst x[] = {{T0, 500, CI_BOTH}};
    const struct ci_burst y[] = {{T0 + S, 500, CI_BOTH}};
    CHECK_EQ_INT(ci_match_count(x, 1, y, 1, &p), 1);
    /* Both directions count: a->b then b->a. */
    const struct ci_burst c[] = {{T0, 500, CI_SEND}, {T0 + 60 * S, 400, CI_RECV}};
    const struct ci_burst d[] = {{T0 + S, 500, CI_RECV}, {T0 + 59 * S, 400, CI_SEND}};
    CHECK_EQ_INT(ci_match_count(c, 2, d, 2, &p), 2);
    CHECK_EQ_INT(ci_match_count(NULL, 0, d, 2, &p), 0);
}

/* Deterministic pseudo-random numbers for fixtures. */
static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 33;
}

/* Subject 0 and 1 talk (n messages), subjects 2..k-1 have unrelated bursts. */
struct fixture {
    struct ci_burst b[8][200];
    size_t n[8];
    struct ci_subject s[8];
    char ids[8][8];
};

static void add(struct fixture *f, int i, int64_t t, uint64_t bytes, uint8_t dir)
{
    f->b[i][f->n[i]++] = (struct ci_burst){t, bytes, dir};
}

static int cmp_burst(const void *x, const void *y)
{
    const struct ci_burst *a = x, *b = y;
    return (a->ts_us > b->ts_us) - (a->ts_us < b->ts_us);
}

static void build(struct fixture *f, int k, int msgs, uint64_t seed)
{
    memset(f, 0, sizeof *f);
    uint64_t r = seed;
    for (int m = 0; m < msgs; m++) {
        int64_t t = T0 + 10 * S + (int64_t)m * 40 * S + (int64_t)(lcg(&r) % (20 * S));
        uint64_t size = 200 + lcg(&r) % 600;
        int from = (int)(lcg(&r) % 2);
        add(f, from, t, size, CI_SEND);
        add(f, 1 - from, t + 300000 + (int64_t)(lcg(&r) % 500000), size + 50, CI_RECV);
    }
    for (int i = 2; i < k; i++)
        for (int m = 0; m < msgs; m++)
            add(f, i, T0 + (int64_t)(lcg(&r) % (890 * S)), 200 + lcg(&r) % 600,
                (uint8_t)(1 + lcg(&r) % 3));
    for (int i = 0; i < k; i++) {
        qsort(f->b[i], f->n[i], sizeof f->b[i][0], cmp_burst);
        snprintf(f->ids[i], sizeof f->ids[i], "s%d", i);
        f->s[i] = (struct ci_subject){f->ids[i], "WhatsApp", f->b[i], f->n[i]};
    }
}

struct got {
    struct ci_result r[64];
    size_t n;
};

static int collect(const struct ci_result *r, void *user)
{
    struct got *g = user;
    if (g->n < 64)
        g->r[g->n++] = *r;
    return 0;
}

TEST(correlate_finds_the_pair_only)
{
    static struct fixture f;
    build(&f, 6, 20, 7);
    struct ci_params p = params();
    struct got g = {.n = 0};
    struct ci_stats st = {0};
    struct err e = {""};
    CHECK_EQ_INT(ci_correlate(f.s, 6, &p, false, collect, &g, &st, &e), 0);
    CHECK_EQ_INT(g.n, 1);
    if (g.n == 1) {
        CHECK_EQ_INT(g.r[0].a, 0);
        CHECK_EQ_INT(g.r[0].b, 1);
        CHECK(g.r[0].matched >= 18);
        CHECK(g.r[0].p <= 0.001);
        CHECK(g.r[0].reported);
        CHECK_EQ_INT(g.r[0].w0_us, T0);
        CHECK_EQ_INT(g.r[0].w1_us, T0 + 900 * S);
        CHECK(g.r[0].score > 0.8 && g.r[0].score <= 1.0);
    }
    /* The index proposes fewer pairs than the 15 there are. */
    CHECK(st.candidates < 15);
    CHECK_EQ_INT(st.reported, 1);
    /* Deterministic, and the input order does not matter. */
    struct ci_subject rev[6];
    for (int i = 0; i < 6; i++)
        rev[i] = f.s[5 - i];
    struct got g2 = {.n = 0};
    CHECK_EQ_INT(ci_correlate(rev, 6, &p, false, collect, &g2, NULL, &e), 0);
    CHECK_EQ_INT(g2.n, 1);
    if (g2.n == 1 && g.n == 1) {
        CHECK_EQ_INT(g2.r[0].a, 5); /* s0 sits at index 5 of rev */
        CHECK_EQ_INT(g2.r[0].b, 4);
        CHECK(g2.r[0].p == g.r[0].p);
        CHECK_EQ_INT(g2.r[0].matched, g.r[0].matched);
    }
}

TEST(correlate_independent_subjects_report_nothing)
{
    static struct fixture f;
    int reported = 0;
    for (uint64_t seed = 1; seed <= 10; seed++) {
        build(&f, 8, 20, seed);
        /* Keep only the unrelated subjects 2..7. */
        struct got g = {.n = 0};
        struct err e = {""};
        struct ci_params p = params();
        CHECK_EQ_INT(ci_correlate(f.s + 2, 6, &p, false, collect, &g, NULL, &e), 0);
        reported += (int)g.n;
    }
    CHECK_EQ_INT(reported, 0);
}

TEST(correlate_services_and_windows_apart)
{
    static struct fixture f;
    build(&f, 2, 20, 3);
    /* The same bursts under two services never pair across services. */
    f.s[1].service = "Signal";
    struct got g = {.n = 0};
    struct err e = {""};
    struct ci_params p = params();
    CHECK_EQ_INT(ci_correlate(f.s, 2, &p, false, collect, &g, NULL, &e), 0);
    CHECK_EQ_INT(g.n, 0);
    /* all = true reports every tested pair with its p-value. */
    f.s[1].service = "WhatsApp";
    p.window_us = 300 * S;
    g.n = 0;
    CHECK_EQ_INT(ci_correlate(f.s, 2, &p, true, collect, &g, NULL, &e), 0);
    CHECK(g.n >= 3); /* the conversation spans three 300 s windows */
    for (size_t i = 0; i < g.n; i++)
        CHECK_EQ_INT(g.r[i].w1_us - g.r[i].w0_us, 300 * S);
}

TEST(correlate_bad_parameters)
{
    struct ci_params p = params();
    struct err e = {""};
    p.window_us = 60 * S; /* not more than 2 x 30 s of shift room */
    CHECK_EQ_INT(ci_correlate(NULL, 0, &p, false, collect, NULL, NULL, &e), RC_CONFIG);
    p = params();
    p.shifts = 0;
    CHECK_EQ_INT(ci_correlate(NULL, 0, &p, false, collect, NULL, NULL, &e), RC_CONFIG);
    p = params();
    CHECK_EQ_INT(ci_correlate(NULL, 0, &p, false, collect, NULL, NULL, &e), 0);
    char txt[256];
    ci_params_text(&p, txt, sizeof txt);
    CHECK(strstr(txt, "delta=3.000s") != NULL);
    CHECK(strstr(txt, "p_max=0.001") != NULL);
}

TEST(call_rules)
{
    CHECK(ci_is_call_flow("call-socket", "TLS", "WhatsApp", 60 * S));
    CHECK(ci_is_call_flow("ndpi", "STUN.WhatsApp", "WhatsApp", 60 * S));
    CHECK(ci_is_call_flow("cidr", "SRTP", "Signal", 60 * S));
    CHECK(!ci_is_call_flow("sni", "TLS.WhatsApp", "WhatsApp", 60 * S));
    CHECK(!ci_is_call_flow("call-socket", "STUN", "", 60 * S));
    CHECK(!ci_is_call_flow("call-socket", "STUN", "WhatsApp", 2 * S));
    CHECK(!ci_is_call_flow("ndpi", "STUNNEL", "WhatsApp", 60 * S));
    CHECK(ci_is_call_flow("ndpi", "WhatsAppCall", "WhatsApp", 60 * S));
    CHECK(ci_is_call_flow("ndpi", "TLS.SkypeCall", "Skype", 60 * S));
    CHECK(!ci_is_call_flow("ndpi", "Call", "WhatsApp", 60 * S));
    CHECK(!ci_is_call_flow("ndpi", "TLS.WhatsApp", "WhatsApp", 60 * S));

    struct ci_call a = {"10.0.0.1", "WhatsApp", "157.240.0.1:3478/udp", "157.240.0.1",
                        T0, T0 + 120 * S, 1000000, 900000};
    struct ci_call b = {"10.0.0.2", "WhatsApp", "157.240.0.1:3478/udp", "157.240.0.1",
                        T0 + 2 * S, T0 + 121 * S, 950000, 980000};
    double score = 0;
    CHECK(ci_call_pair(&a, &b, &score));
    CHECK(score > 0.9 && score <= 1.0);
    struct ci_call c = b;
    c.start_us = T0 + 6 * S;
    CHECK(!ci_call_pair(&a, &c, NULL));
    c = b;
    c.end_us = T0 + 126 * S;
    CHECK(!ci_call_pair(&a, &c, NULL));
    c = b;
    c.down = 500000; /* a sent 1 MB, c received half */
    CHECK(!ci_call_pair(&a, &c, NULL));
    c = b;
    c.relay = "157.240.0.9:3478/udp";
    CHECK(!ci_call_pair(&a, &c, NULL));
    c.peer = "10.0.0.1"; /* P2P: c's flow goes to a's address */
    CHECK(ci_call_pair(&a, &c, NULL));
    c = b;
    c.subject = a.subject;
    CHECK(!ci_call_pair(&a, &c, NULL));
    c = b;
    c.service = "Signal";
    CHECK(!ci_call_pair(&a, &c, NULL));
}

static int count_calls(const struct ci_call *a, const struct ci_call *b, double score, void *user)
{
    (void)score;
    int *n = user;
    if (strcmp(a->subject, b->subject) < 0)
        (*n)++;
    else
        *n += 1000; /* wrong order */
    return 0;
}

TEST(call_pairs_index)
{
    struct ci_call c[] = {
        {"10.0.0.2", "WhatsApp", "r:1/udp", "r", T0 + 1 * S, T0 + 100 * S, 500, 600},
        {"10.0.0.9", "WhatsApp", "r:1/udp", "r", T0 + 500 * S, T0 + 600 * S, 500, 600},
        {"10.0.0.1", "WhatsApp", "r:1/udp", "r", T0, T0 + 99 * S, 600, 500},
        {"10.0.0.3", "WhatsApp", "r:1/udp", "r", T0 + 400 * S, T0 + 450 * S, 600, 500},
    };
    int n = 0;
    struct err e = {""};
    CHECK_EQ_INT(ci_call_pairs(c, 4, count_calls, &n, &e), 0);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(ci_call_pairs(c, 0, count_calls, &n, &e), 0);
}

TEST(scope_seam)
{
    CHECK(infer_allowed(NULL));
    struct ci_scope research = {.present = false, .inferred_contact = false};
    CHECK(infer_allowed(&research));
    struct ci_scope denied = {.present = true, .inferred_contact = false};
    CHECK(!infer_allowed(&denied));
    struct ci_scope allowed = {.present = true, .inferred_contact = true};
    CHECK(infer_allowed(&allowed));
}

static int64_t count_rows(struct store *s, const char *sql)
{
    sqlite3_stmt *st;
    int64_t v = -1;
    if (sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL) != SQLITE_OK)
        return -2;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* A database with two talking subjects (flows 1, 2) and one idle (3). */
static struct store *talking_db(const char *path, int64_t *run)
{
    struct err e = {""};
    unlink(path);
    struct store *s = store_open(path, false, &e);
    if (!s)
        return NULL;
    struct store_run_info ri = {.started_us = 1, .mode = "analyze", .tool_version = "test", .command_line = "test", .signature_sha256 = "", .ndpi_version = "", .probe = "p"};
    if (store_run_begin(s, &ri, run, &e))
        return s;
    static struct fixture f;
    build(&f, 3, 20, 11);
    char sql[1024];
    for (int i = 0; i < 3; i++) {
        snprintf(sql, sizeof sql,
                 "INSERT INTO flows (run_id, id, proto, src_ip, src_port, dst_ip, dst_port,"
                 " first_ts_us, last_ts_us, pkts_c2s, bytes_c2s, pkts_s2c, bytes_s2c, vlan,"
                 " ndpi_proto, service, class, method, confidence, server_name,"
                 " server_name_cut, tunnel_teid, tunnel_teid_s2c, end_reason) VALUES (%lld, %d, 6, '10.0.0.%d', 5000, '157.240.0.53', 443,"
                 " %lld, %lld, 1, 1, 1, 1, 0, 'TLS', 'WhatsApp', 'ott-messaging', 'sni', 90, '',"
                 " 0, NULL, NULL, 'shutdown')",
                 (long long)*run, i + 1, i + 1, (long long)T0, (long long)(T0 + 900 * S));
        store_exec(s, sql, &e);
        for (size_t k = 0; k < f.n[i]; k++) {
            const struct ci_burst *b = &f.b[i][k];
            snprintf(sql, sizeof sql,
                     "INSERT INTO ott_events (run_id, flow_id, ts_us, end_ts_us, direction,"
                     " packets, bytes) VALUES (%lld, %d, %lld, %lld, '%s', 2, %llu)",
                     (long long)*run, i + 1, (long long)b->ts_us, (long long)b->ts_us,
                     b->dir == CI_SEND ? "c2s" : b->dir == CI_RECV ? "s2c" : "both",
                     (unsigned long long)b->bytes);
            store_exec(s, sql, &e);
        }
    }
    store_commit(s, &e);
    return s;
}

TEST(store_writes_only_when_allowed)
{
    char path[] = "/tmp/trapline-infer-test.db";
    int64_t run = 0;
    struct store *s = talking_db(path, &run);
    CHECK(s != NULL);
    if (!s)
        return;
    CHECK_EQ_INT(count_rows(s, "SELECT COUNT(*) FROM ott_events"), 40 + 20);
    struct ci_params p = params();
    struct infer_stats st;
    struct err e = {""};
    /* A scope without inferred-contact: nothing is written. */
    struct ci_scope denied = {.present = true, .inferred_contact = false};
    CHECK_EQ_INT(infer_store_run(s, run, &denied, &p, 1, &st, &e), 0);
    store_commit(s, &e);
    CHECK_EQ_INT(count_rows(s, "SELECT COUNT(*) FROM inferred_contacts"), 0);
    CHECK_EQ_INT(st.message_pairs, 0);
    /* Allowed by the scope: the pair is written, labelled. */
    struct ci_scope allowed = {.present = true, .inferred_contact = true};
    CHECK_EQ_INT(infer_store_run(s, run, &allowed, &p, 1, &st, &e), 0);
    store_commit(s, &e);
    CHECK_EQ_INT(st.message_pairs, 1);
    CHECK_EQ_INT(count_rows(s, "SELECT COUNT(*) FROM inferred_contacts WHERE subject_a ="
                               " '10.0.0.1' AND subject_b = '10.0.0.2' AND method ="
                               " 'message-correlation' AND label = 'inferred-contact'"
                               " AND p_value <= 0.001"),
                 1);
    /* Research mode (no scope): written too. */
    CHECK_EQ_INT(infer_store_run(s, run, NULL, &p, 1, &st, &e), 0);
    CHECK_EQ_INT(st.message_pairs, 1);
    CHECK_EQ_INT(st.ci.pair_windows, 3); /* three subjects active in one window */
    /* The pair is reported in one window only: --min-windows 2 drops it. */
    CHECK_EQ_INT(infer_store_run(s, run, NULL, &p, 2, &st, &e), 0);
    CHECK_EQ_INT(st.message_pairs, 0);
    store_close(s);
    unlink(path);
}

/* The subject infer_store_run gives each flow (temp.infer_subject, read
 * back in the same connection) is the flow_subscribers view's: TEID on the
 * node the packets went to, else the UE IPv4 address or IPv6 /64 of either
 * end, the least IMSI; the client address without a subscriber. */
TEST(store_subject_is_the_views)
{
    char path[] = "/tmp/trapline-infer-subject.db";
    int64_t run = 0;
    struct store *s = talking_db(path, &run);
    CHECK(s != NULL);
    if (!s)
        return;
    struct err e = {""};
    char sql[4096];
    /* sessions: 1 TEID 5 on any node; 2 TEID 6 on node .7 (IMSI lower than
     * 3's: a TEID on another node must not win); 3 by IPv4 10.0.0.9;
     * 4 by IPv6 /64 42; 5 TEID 8 on node .7 but closed before the flows */
    snprintf(sql, sizeof sql,
             "INSERT INTO subscriber_sessions (run_id, binding_id, source, flow_id,"
             " evidence_ts_us, start_us, end_us, open_ended, mid_session, last_evidence_us,"
             " imsi, ue_ipv4, ue_v6_64, conflict) VALUES"
             " (%1$lld, 1, 'gtpv2', 0, 1, 1, NULL, 1, 0, 1, '001010000000005', '', NULL, 0),"
             " (%1$lld, 2, 'gtpv2', 0, 1, 1, NULL, 1, 0, 1, '001010000000001', '', NULL, 0),"
             " (%1$lld, 3, 'gtpv2', 0, 1, 1, NULL, 1, 0, 1, '001010000000003', '10.0.0.9',"
             "  NULL, 0),"
             " (%1$lld, 4, 'gtpv2', 0, 1, 1, NULL, 1, 0, 1, '001010000000004', '', 42, 0),"
             " (%1$lld, 5, 'gtpv2', 0, 1, 1, 2, 0, 0, 1, '001010000000000', '', NULL, 0);"
             "INSERT INTO subscriber_teids (run_id, binding_id, teid, control, node) VALUES"
             " (%1$lld, 1, 5, 0, ''), (%1$lld, 2, 6, 0, '192.0.2.7'),"
             " (%1$lld, 2, 6, 1, ''), (%1$lld, 5, 8, 0, '192.0.2.7');",
             (long long)run);
    CHECK_EQ_INT(store_exec(s, sql, &e), 0);
    /* flows 11-19: TEID 5 (c2s, s2c), TEID 6 on .7 / on .9 / node unknown,
     * TEID 6 on .9 with the IPv4 address, IPv6 /64 42 at either end, the
     * closed session's TEID, nothing */
    static const char *const f[] = {
        "5, NULL, '192.0.2.9', NULL, NULL, NULL, '10.0.0.11'",
        "NULL, 5, NULL, NULL, NULL, NULL, '10.0.0.12'",
        "6, NULL, '192.0.2.7', NULL, NULL, NULL, '10.0.0.13'",
        "6, NULL, '192.0.2.9', NULL, NULL, NULL, '10.0.0.14'",
        "6, NULL, NULL, NULL, NULL, NULL, '10.0.0.15'",
        "6, NULL, '192.0.2.9', NULL, NULL, NULL, '10.0.0.9'",
        "NULL, NULL, NULL, NULL, 42, NULL, '10.0.0.17'",
        "NULL, NULL, NULL, NULL, NULL, 42, '10.0.0.18'",
        "8, NULL, '192.0.2.7', NULL, NULL, NULL, '10.0.0.19'",
    };
    for (int i = 0; i < 9; i++) {
        snprintf(sql, sizeof sql,
                 "INSERT INTO flows (run_id, id, proto, src_port, dst_ip, dst_port,"
                 " first_ts_us, last_ts_us, pkts_c2s, bytes_c2s, pkts_s2c, bytes_s2c, vlan,"
                 " ndpi_proto, service, class, method, confidence, server_name,"
                 " server_name_cut, end_reason, tunnel_teid, tunnel_teid_s2c, tunnel_node,"
                 " tunnel_node_s2c, src_v6_64, dst_v6_64, src_ip) VALUES (%lld, %d, 6, 5000,"
                 " '157.240.0.53', 443, 100, 200, 1, 1, 1, 1, 0, 'TLS', 'WhatsApp',"
                 " 'ott-messaging', 'sni', 90, '', 0, 'shutdown', %s)",
                 (long long)run, 11 + i, f[i]);
        CHECK_EQ_INT(store_exec(s, sql, &e), 0);
    }
    store_commit(s, &e);
    struct ci_params p = params();
    struct infer_stats st;
    CHECK_EQ_INT(infer_store_run(s, run, NULL, &p, 1, &st, &e), 0);
    static const char subj[] =
        "COALESCE((SELECT x.imsi FROM temp.infer_subject x WHERE x.run_id = f.run_id"
        " AND x.flow_id = f.id), f.src_ip)";
    static const char view[] =
        "COALESCE((SELECT MIN(NULLIF(v.imsi, '')) FROM flow_subscribers v"
        " WHERE v.run_id = f.run_id AND v.flow_id = f.id), f.src_ip)";
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM flows f WHERE %s IS NOT %s", subj, view);
    CHECK_EQ_INT(count_rows(s, sql), 0);
    static const char *const want[] = {
        "001010000000005", "001010000000005", "001010000000001", "10.0.0.14",
        "001010000000001", "001010000000003", "001010000000004", "001010000000004",
        "10.0.0.19",
    };
    for (int i = 0; i < 9; i++) {
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM flows f WHERE f.id = %d AND %s = '%s'",
                 11 + i, subj, want[i]);
        CHECK_EQ_INT(count_rows(s, sql), 1);
    }
    store_close(s);
    unlink(path);
}

int main(void)
{
    RUN(match_basic);
    RUN(match_each_event_once);
    RUN(correlate_finds_the_pair_only);
    RUN(correlate_independent_subjects_report_nothing);
    RUN(correlate_services_and_windows_apart);
    RUN(correlate_bad_parameters);
    RUN(call_rules);
    RUN(call_pairs_index);
    RUN(scope_seam);
    RUN(store_writes_only_when_allowed);
    RUN(store_subject_is_the_views);
    return harness_done();
}
