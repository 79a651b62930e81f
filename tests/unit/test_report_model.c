/* test_report_model.c - the report model on small hand-built databases:
 * sections present only with their tables, subject selection, time
 * filters, OTT period merging and the carrier-visible check, hostile
 * subject strings.  Origin of the rows: hand-written here. */
#include "report/report_model.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/harness.h"

#define DB "build/test-out/test_report_model.db"
#define T0 1709287200000000LL /* 2024-03-01T10:00:00Z */
#define S(x) ((long long)(x) * 1000000LL)

static void exec(const char *sql)
{
    sqlite3 *db;
    CHECK(sqlite3_open(DB, &db) == SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fprintf(stderr, "sql: %s\n", msg ? msg : "?");
    CHECK(rc == SQLITE_OK);
    sqlite3_free(msg);
    sqlite3_close(db);
}

static void fresh(void)
{
    mkdir("build", 0700);
    mkdir("build/test-out", 0700);
    unlink(DB);
    unlink(DB "-wal");
    unlink(DB "-shm");
    struct err e = {""};
    struct store *s = store_open(DB, false, &e);
    CHECK(s != NULL);
    store_close(s);
    char sql[2048];
    snprintf(sql, sizeof sql,
             "INSERT INTO runs (id, mode, started_utc, finished_utc, tool_version, command_line,"
             " signature_sha256, ndpi_version, status)"
             " VALUES (1, 'analyze', 0, 1, '0.1.0', 'x', 'ab', '4.2.0', 'complete');"
             "INSERT INTO flows (run_id, id, proto, src_ip, src_port, dst_ip, dst_port,"
             " first_ts_us, last_ts_us, pkts_c2s, bytes_c2s, pkts_s2c, bytes_s2c, vlan,"
             " ndpi_proto, service, class, method, confidence, server_name, server_name_cut,"
             " end_reason) VALUES"
             " (1, 1, 6, '10.0.0.1', 50000, '13.248.212.111', 443, %lld, %lld, 5, 500, 5, 900,"
             "  0, 'TLS.Signal', 'Signal', 'ott-messaging', 'ndpi', 90, 'chat.signal.org', 0,"
             "  'fin'),"
             " (1, 2, 6, '10.0.0.2', 50001, '13.248.212.111', 443, %lld, %lld, 5, 400, 5, 800,"
             "  0, 'TLS.Signal', 'Signal', 'ott-messaging', 'ndpi', 90, 'chat.signal.org', 0,"
             "  'fin'),"
             " (1, 3, 17, '10.0.0.2', 5060, '10.9.9.9', 5060, %lld, %lld, 1, 300, 1, 200,"
             "  0, 'SIP', 'sip', 'carrier-sms', 'carrier', 100, '', 0, 'idle');",
             T0, T0 + S(600), T0 + S(3600), T0 + S(3700), T0 + S(3650), T0 + S(3651));
    exec(sql);
}

static struct report_model *build(const struct rm_filter *f)
{
    struct err e = {""};
    struct store *s = store_open(DB, true, &e);
    CHECK(s != NULL);
    if (!s)
        return NULL;
    struct report_model *m = report_model_build(s, f, 0, "test", &e);
    if (!m)
        fprintf(stderr, "model: %s\n", e.msg);
    store_close(s);
    return m;
}

static const char *cell_s(const struct report_model *m, enum rm_tab t, size_t r, const char *col)
{
    int k = rt_col(&m->t[t], col);
    return k >= 0 && r < m->t[t].nrows && rt_at(&m->t[t], r, (size_t)k)->s
               ? rt_at(&m->t[t], r, (size_t)k)->s : "";
}

static long long cell_i(const struct report_model *m, enum rm_tab t, size_t r, const char *col)
{
    int k = rt_col(&m->t[t], col);
    return k >= 0 && r < m->t[t].nrows ? rt_at(&m->t[t], r, (size_t)k)->i : -999;
}

TEST(flows_only)
{
    fresh();
    /* A database from before the event tables existed (schema migrations
     * now always create them; an empty table means "decoded, none seen"). */
    exec("DROP TABLE sms_events; DROP TABLE ott_events;");
    struct rm_filter f = {0};
    struct report_model *m = build(&f);
    CHECK(m != NULL);
    if (!m)
        return;
    CHECK(!m->has_sms);
    CHECK(!m->has_ott_events);
    CHECK(!m->t[RM_SMS_CONTACTS].present);
    CHECK(!m->t[RM_OTT_BURSTS].present);
    CHECK_EQ_INT(m->t[RM_SUBJECTS].nrows, 2);
    CHECK_EQ_INT(m->t[RM_OTT_SESSIONS].nrows, 2);
    /* whole flows are the activity: one period each, no SMS table = missed */
    CHECK_EQ_INT(m->t[RM_OTT_PERIODS].nrows, 2);
    CHECK_STR(cell_s(m, RM_OTT_PERIODS, 0, "carrier_only_view"), "missed");
    CHECK_EQ_INT(rt_at(&m->t[RM_OTT_PERIODS], 0, 7)->type, RT_NULL);
    /* the Signal relay both use is service infrastructure, not a link between
     * the two subjects (issue 10): reported per service only */
    CHECK_EQ_INT(m->t[RM_COMMON_COUNTERPARTS].nrows, 0);
    CHECK_STR(cell_s(m, RM_OTT_SESSIONS, 0, "relay"), "13.248.212.111:443/tcp");
    CHECK_STR(cell_s(m, RM_COMMON_SERVICES, 0, "service"), "Signal");
    CHECK_STR(cell_s(m, RM_SUBJECTS, 0, "kind"), "local-endpoint");
    CHECK_EQ_INT(m->t[RM_FLOWS].nrows, 3);
    /* two subjects, each with its own node of the shared Signal relay */
    CHECK_EQ_INT(m->t[RM_NODES].nrows, 4);
    CHECK_EQ_INT(m->t[RM_EDGES].nrows, 2);
    report_model_free(m);
}

static void add_events(bool full_ott)
{
    /* These tests exercise the column variants the model accepts, so they
     * replace whatever event tables the current schema migrations created. */
    exec("DROP TABLE IF EXISTS sms_events; DROP TABLE IF EXISTS ott_events;");
    exec("CREATE TABLE sms_events (id INTEGER PRIMARY KEY, run_id INTEGER, flow_id INTEGER,"
         " ts_us INTEGER, protocol TEXT, operation TEXT, direction TEXT, originator TEXT,"
         " recipient TEXT, status TEXT, content_present INTEGER);");
    exec(full_ott ? "CREATE TABLE ott_events (run_id INTEGER, flow_id INTEGER, ts_us INTEGER,"
                    " end_ts_us INTEGER, direction TEXT, packets INTEGER, bytes INTEGER);"
                  : "CREATE TABLE ott_events (flow_id INTEGER, ts_us INTEGER, direction TEXT,"
                    " packets INTEGER, bytes INTEGER);");
    char sql[2048];
    /* +1 sends to +9 and +2 receives from +9; the SIP leg on flow 3 comes
     * from 10.0.0.2 at T0+3650 s, inside 10.0.0.2's OTT activity. */
    snprintf(sql, sizeof sql,
             "INSERT INTO sms_events (run_id, flow_id, ts_us, protocol, direction, originator,"
             " recipient) VALUES (1, NULL, %lld, 'smpp', 'mo', '+1', '+9'),"
             " (1, NULL, %lld, 'smpp', 'mt', '+9', '+2'),"
             " (1, 3, %lld, 'sip', 'mo', 'sip:+3@ims', 'tel:+9');"
             "INSERT INTO ott_events (flow_id, ts_us, direction, packets, bytes) VALUES"
             " (1, %lld, 'c2s', 2, 100), (1, %lld, 'c2s', 2, 100), (1, %lld, 'both', 4, 300),"
             " (2, %lld, 's2c', 3, 200);",
             T0 + S(10), T0 + S(20), T0 + S(3650), T0 + S(5), T0 + S(35), T0 + S(400),
             T0 + S(3610));
    exec(sql);
}

TEST(with_events)
{
    fresh();
    add_events(false);
    struct rm_filter f = {0};
    struct report_model *m = build(&f);
    CHECK(m != NULL);
    if (!m)
        return;
    CHECK(m->has_sms);
    CHECK(m->has_ott_events);
    /* default subjects: MO originators, MT recipients, OTT client addresses */
    CHECK_EQ_INT(m->t[RM_SUBJECTS].nrows, 5);
    /* numbers are shown in canonical form (report/identity.h) */
    CHECK_STR(cell_s(m, RM_SUBJECTS, 0, "subject"), "1");
    CHECK_STR(cell_s(m, RM_SUBJECTS, 1, "subject"), "2");
    CHECK_EQ_INT(m->t[RM_SMS_CONTACTS].nrows, 3);
    CHECK_STR(cell_s(m, RM_SMS_CONTACTS, 1, "direction"), "received");
    /* +9 (also written tel:+9) is common to +1, +2 and sip:+3@ims */
    bool found9 = false;
    for (size_t r = 0; r < m->t[RM_COMMON_COUNTERPARTS].nrows; r++)
        if (strcmp(cell_s(m, RM_COMMON_COUNTERPARTS, r, "counterpart"), "9") == 0) {
            found9 = true;
            CHECK_EQ_INT(cell_i(m, RM_COMMON_COUNTERPARTS, r, "subjects"), 3);
        }
    CHECK(found9);
    /* 10.0.0.1: bursts at 5 s and 35 s merge (gap < 60 s); 400 s is apart */
    CHECK_EQ_INT(m->t[RM_OTT_PERIODS].nrows, 3);
    CHECK_STR(cell_s(m, RM_OTT_PERIODS, 0, "subject"), "10.0.0.1");
    CHECK_EQ_INT(cell_i(m, RM_OTT_PERIODS, 0, "activity"), 2);
    CHECK_EQ_INT(cell_i(m, RM_OTT_PERIODS, 0, "sms_records_nearby"), 0);
    CHECK_STR(cell_s(m, RM_OTT_PERIODS, 0, "carrier_only_view"), "missed");
    /* 10.0.0.2's period has the SIP leg carried by its own flow nearby */
    CHECK_STR(cell_s(m, RM_OTT_PERIODS, 2, "subject"), "10.0.0.2");
    CHECK_EQ_INT(cell_i(m, RM_OTT_PERIODS, 2, "sms_records_nearby"), 1);
    CHECK_STR(cell_s(m, RM_OTT_PERIODS, 2, "carrier_only_view"), "sms-record-nearby");
    CHECK_EQ_INT(cell_i(m, RM_OTT_SESSIONS, 0, "bursts"), 3);
    CHECK_EQ_INT(m->t[RM_OTT_BURSTS].nrows, 4);
    CHECK(m->t[RM_OTT_BURSTS].inferred);
    /* hour of day: +1's SMS at 10:00 UTC */
    CHECK_EQ_INT(cell_i(m, RM_ACTIVITY_HOUR, 0, "h10"), 1);
    CHECK_EQ_INT(cell_i(m, RM_ACTIVITY_WEEKDAY, 0, "fri"), 1); /* 2024-03-01 is a Friday */
    report_model_free(m);
}

TEST(filters)
{
    fresh();
    add_events(true);
    exec("INSERT INTO ott_events VALUES (1, 1, 1709287205000000, 1709287206000000, 'c2s', 1, 9)");
    struct rm_filter f = {0};
    f.subjects[f.nsubjects++] = "+9";
    f.subjects[f.nsubjects++] = "nobody\"'); DROP TABLE flows; --";
    struct report_model *m = build(&f);
    CHECK(m != NULL);
    if (!m)
        return;
    CHECK_EQ_INT(m->t[RM_SUBJECTS].nrows, 2);
    CHECK_STR(cell_s(m, RM_SUBJECTS, 0, "subject"), "9");
    /* +9 and tel:+9 are one subscriber: from +1, to +2, from sip:+3@ims */
    CHECK_EQ_INT(cell_i(m, RM_SUBJECTS, 0, "sms_records"), 3);
    CHECK_STR(cell_s(m, RM_SUBJECTS, 1, "kind"), "no-records");
    CHECK_EQ_INT(m->t[RM_SMS_CONTACTS].nrows, 3);
    CHECK_EQ_INT(m->t[RM_OTT_SESSIONS].nrows, 0);
    report_model_free(m);

    struct rm_filter g = {0};
    g.from_us = T0 + S(3000);
    g.to_us = T0 + S(4000);
    g.service = "signal";
    m = build(&g);
    CHECK(m != NULL);
    if (!m)
        return;
    CHECK_EQ_INT(m->t[RM_OTT_SESSIONS].nrows, 1); /* only 10.0.0.2's flow is in range */
    CHECK_STR(cell_s(m, RM_OTT_SESSIONS, 0, "subject"), "10.0.0.2");
    CHECK_EQ_INT(m->t[RM_SMS_CONTACTS].nrows, 0); /* service filter: no 'signal' SMS */
    CHECK_EQ_INT(m->t[RM_FLOWS].nrows, 1);
    /* 36 stored columns (migration 5 added 5, rule 1, activity 1, 16 four, 17 one) +
     * community_id + tshark_filter */
    CHECK_EQ_INT(m->t[RM_FLOWS].ncols, 38);
    CHECK_STR(cell_s(m, RM_FLOWS, 0, "community_id")[0] == '1' ? "1" : "?", "1");
    char txt[256];
    report_model_filter_text(m, txt, sizeof txt);
    CHECK_STR(txt, "from 2024-03-01T10:50:00.000000Z; to 2024-03-01T11:06:40.000000Z"
                   " (exclusive); service signal");
    report_model_free(m);
}

/* fresh() plus one open subscriber session (binding 1, from T0, imsi),
 * after the statements in pre; then the model of the whole database. */
static struct report_model *with_session(const char *pre, const char *imsi, const char *post)
{
    fresh();
    char sql[4096];
    snprintf(sql, sizeof sql,
             "%sINSERT INTO subscriber_sessions (run_id, binding_id, source, flow_id,"
             " evidence_ts_us, start_us, open_ended, mid_session, last_evidence_us, imsi,"
             " conflict) VALUES (1, 1, 'gtpv2', 0, %lld, %lld, 1, 0, %lld, '%s', 0);%s",
             pre, T0, T0, T0, imsi, post);
    exec(sql);
    struct rm_filter f = {0};
    return build(&f);
}

/* A flow inside GTP-U belongs to the session that holds its user-plane TEID
 * on the node its packets went to (the flow_subscribers_teid view): the
 * same TEID handed out by another node is another subscriber's (TS 29.281
 * 5.1).  Flow 1 carries TEID 6 to node .9, flow 2 to node .7, where the
 * session holds it. */
TEST(teid_on_its_node)
{
    struct report_model *m = with_session(
        "", "001010000000077",
        "INSERT INTO subscriber_teids (run_id, binding_id, teid, control, node) VALUES"
        " (1, 1, 6, 0, '192.0.2.7'), (1, 1, 6, 1, '');"
        "UPDATE flows SET tunnel_teid = 6, tunnel_node = '192.0.2.9' WHERE id = 1;"
        "UPDATE flows SET tunnel_teid = 6, tunnel_node = '192.0.2.7' WHERE id = 2;");
    CHECK(m != NULL);
    if (!m)
        return;
    const struct rt_table *t = &m->t[RM_SUBJECTS];
    CHECK_EQ_INT(t->nrows, 2);
    CHECK_EQ_INT(rt_count(t, "10.0.0.1"), 1);
    CHECK_EQ_INT(rt_count(t, "001010000000077"), 1);
    CHECK_EQ_INT(rt_count(t, "10.0.0.2"), 0);
    long r = rt_find(t, "001010000000077");
    CHECK_STR(cell_s(m, RM_SUBJECTS, r < 0 ? 0 : (size_t)r, "kind"), "subscriber");
    report_model_free(m);
}

/* A database from before migration 16 (no flows.tunnel_node; the view as
 * migration 8 created it, report/schema.c): a flow is its session's by
 * either of its TEIDs.  Flow 1 carries the session's TEID only in its
 * server-to-client direction. */
TEST(teid_either_way_before_nodes)
{
    struct report_model *m = with_session(
        "DROP VIEW flow_subscribers; DROP VIEW flow_subscribers_teid;"
        "ALTER TABLE flows DROP COLUMN tunnel_node;"
        "ALTER TABLE flows DROP COLUMN tunnel_node_s2c;"
        "CREATE VIEW flow_subscribers_teid AS"
        " SELECT f.run_id, f.id AS flow_id, s.binding_id, 'teid' AS matched_by,"
        " s.imsi, s.msisdn, s.imei, s.user_name, s.conflict"
        " FROM flows f JOIN subscriber_teids t ON t.run_id = f.run_id AND t.control = 0"
        " AND (t.teid = f.tunnel_teid OR t.teid = f.tunnel_teid_s2c)"
        " JOIN subscriber_sessions s ON s.run_id = t.run_id AND s.binding_id = t.binding_id"
        " WHERE f.last_ts_us >= s.start_us"
        " AND f.first_ts_us <= coalesce(s.end_us, 9223372036854775807);",
        "001010000000066",
        "INSERT INTO subscriber_teids (run_id, binding_id, teid, control, node) VALUES"
        " (1, 1, 9, 0, '');"
        "UPDATE flows SET tunnel_teid = 4, tunnel_teid_s2c = 9 WHERE id = 1;");
    CHECK(m != NULL);
    if (!m)
        return;
    const struct rt_table *t = &m->t[RM_SUBJECTS];
    CHECK_EQ_INT(rt_count(t, "001010000000066"), 1);
    CHECK_EQ_INT(rt_count(t, "10.0.0.1"), 0);
    CHECK_EQ_INT(rt_count(t, "10.0.0.2"), 1);
    report_model_free(m);
}

int main(void)
{
    RUN(flows_only);
    RUN(with_events);
    RUN(filters);
    RUN(teid_on_its_node);
    RUN(teid_either_way_before_nodes);
    return harness_done();
}
