/* test_store_binding.c - subscriber_sessions / subscriber_teids rows and the
 * report-time attribution views flow_subscribers and sms_subscribers (schema
 * migrations 5, 6):
 * TEID first, then the UE address; a binding written after the flow still
 * applies; intervals bound it. */
#include "report/store_binding.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/str.h"
#include "classify/sms_addr.h"
#include "report/store_sms.h"
#include "tests/harness.h"

static int64_t count_path(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    int64_t v = -3;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return v;
}

static void flow(struct flow_record *r, uint64_t id, const char *src, uint32_t teid,
                 uint64_t first, uint64_t last)
{
    memset(r, 0, sizeof *r);
    r->flow_id = id;
    r->proto = 17;
    str_copy(r->src_ip, sizeof r->src_ip, src);
    str_copy(r->dst_ip, sizeof r->dst_ip, "8.8.8.8");
    r->src_port = 1000;
    r->dst_port = 53;
    r->first_ts_us = first;
    r->last_ts_us = last;
    r->tunnel_teid = teid;
    str_copy(r->end_reason, sizeof r->end_reason, "idle");
}

static struct sub_binding binding(uint32_t id, const char *imsi, uint8_t last, uint32_t teid,
                                  uint64_t start, uint64_t end, bool open)
{
    struct sub_binding b;
    memset(&b, 0, sizeof b);
    b.id = id;
    b.src = BIND_SRC_GTPV2;
    str_copy(b.imsi, sizeof b.imsi, imsi);
    b.has_v4 = true;
    b.v4[0] = 10;
    b.v4[1] = 45;
    b.v4[3] = last;
    b.start_us = b.evidence_us = start;
    b.end_us = end;
    b.open = open;
    const uint8_t node[4] = {127, 0, 0, 7};
    if (teid)
        binding_add_teid(&b, teid, false, node, 4, NULL);
    binding_add_teid(&b, 99, true, node, 4, NULL);
    return b;
}

TEST(view)
{
    char dir[] = "/tmp/trapline-binding-XXXXXX", path[256];
    if (!mkdtemp(dir)) {
        CHECK(!"mkdtemp");
        return;
    }
    snprintf(path, sizeof path, "%s/t.db", dir);
    struct err e;
    struct store *s = store_open(path, false, &e);
    CHECK(s != NULL);
    if (!s)
        return;
    const struct store_run_info ri = {.started_us = 1, .mode = "analyze", .tool_version = "t",
                                      .command_line = "t", .signature_sha256 = "00",
                                      .ndpi_version = "4.2"};
    int64_t run = 0;
    CHECK_EQ_INT(store_run_begin(s, &ri, &run, &e), 0);
    struct flow_record r;
    /* 1: GTP-U TEID 7 inner 10.45.0.9 (another address: the TEID decides);
     * 2: plain flow from 10.45.0.2; 3: from 10.45.0.2 after the session closed;
     * 4: GTP-U TEID 99 (a control TEID: never a user-plane match) */
    flow(&r, 1, "10.45.0.9", 7, 100, 200);
    CHECK_EQ_INT(store_flow(s, run, &r, &e), 0);
    flow(&r, 2, "10.45.0.2", 0, 100, 200);
    CHECK_EQ_INT(store_flow(s, run, &r, &e), 0);
    flow(&r, 3, "10.45.0.2", 0, 600, 700);
    CHECK_EQ_INT(store_flow(s, run, &r, &e), 0);
    flow(&r, 4, "192.0.2.1", 99, 100, 200);
    CHECK_EQ_INT(store_flow(s, run, &r, &e), 0);
    /* the binding is proved after the flows started (control plane late) */
    struct sub_binding b = binding(1, "001010000000001", 2, 7, 150, 500, false);
    CHECK_EQ_INT(store_binding(s, run, &b, &e), 0);
    /* an open-ended session of another subscriber from 1000 */
    struct sub_binding o = binding(2, "001010000000002", 2, 0, 1000, 0, true);
    CHECK_EQ_INT(store_binding(s, run, &o, &e), 0);
    flow(&r, 5, "10.45.0.2", 0, 5000, 6000);
    CHECK_EQ_INT(store_flow(s, run, &r, &e), 0);
    /* SMS legs: by IMSI; by an originator equal to a bound MSISDN (+ ignored);
     * an unknown number matches nothing */
    struct sub_binding m = binding(3, "001010000000003", 3, 0, 10, 20, false);
    str_copy(m.msisdn, sizeof m.msisdn, "15551230003");
    CHECK_EQ_INT(store_binding(s, run, &m, &e), 0);
    struct sms_event ev;
    sms_addr_event_init(&ev, "smpp", 30);
    str_copy(ev.operation, sizeof ev.operation, "submit");
    str_copy(ev.imsi, sizeof ev.imsi, "001010000000001");
    CHECK_EQ_INT(store_sms_event(s, run, &ev, &e), 0);
    sms_addr_event_init(&ev, "smpp", 40);
    str_copy(ev.operation, sizeof ev.operation, "submit");
    str_copy(ev.originator, sizeof ev.originator, "+15551230003");
    CHECK_EQ_INT(store_sms_event(s, run, &ev, &e), 0);
    sms_addr_event_init(&ev, "smpp", 50);
    str_copy(ev.operation, sizeof ev.operation, "submit");
    str_copy(ev.recipient, sizeof ev.recipient, "15550000000");
    CHECK_EQ_INT(store_sms_event(s, run, &ev, &e), 0);
    CHECK_EQ_INT(store_commit(s, &e), 0);
    CHECK_EQ_INT(count_path(path, "SELECT count(*) FROM subscriber_teids"), 4);
    CHECK_EQ_INT(count_path(path, "SELECT count(*) FROM flow_subscribers WHERE flow_id = 1"
                                  " AND matched_by = 'teid' AND imsi = '001010000000001'"), 1);
    CHECK_EQ_INT(count_path(path, "SELECT count(*) FROM flow_subscribers WHERE flow_id = 2"
                                  " AND matched_by = 'ipv4' AND imsi = '001010000000001'"), 1);
    CHECK_EQ_INT(count_path(path, "SELECT count(*) FROM flow_subscribers WHERE flow_id = 3"), 0);
    CHECK_EQ_INT(count_path(path, "SELECT count(*) FROM flow_subscribers WHERE flow_id = 4"), 0);
    CHECK_EQ_INT(count_path(path, "SELECT count(*) FROM flow_subscribers WHERE flow_id = 5"
                                  " AND imsi = '001010000000002'"), 1);
    CHECK_EQ_INT(count_path(path, "SELECT count(*) FROM sms_subscribers WHERE sms_id = 1"
                                  " AND matched_by = 'imsi' AND imsi = '001010000000001'"), 1);
    CHECK_EQ_INT(count_path(path, "SELECT count(*) FROM sms_subscribers WHERE sms_id = 2"
                                  " AND matched_by = 'originator' AND msisdn = '15551230003'"), 1);
    CHECK_EQ_INT(count_path(path, "SELECT count(*) FROM sms_subscribers WHERE sms_id = 3"), 0);
    CHECK_EQ_INT(count_path(path, "SELECT count(*) FROM subscriber_sessions WHERE binding_id = 2"
                                  " AND end_us IS NULL AND open_ended = 1"), 1);
    store_close(s);
    unlink(path);
    char wal[300];
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    unlink(wal);
    rmdir(dir);
}

TEST(teids_text)
{
    struct sub_binding b = binding(1, "001010000000001", 2, 7, 1, 2, false);
    binding_add_teid(&b, 5, false, NULL, 0, NULL);
    char out[STORE_BINDING_TEIDS_MAX];
    store_binding_teids(&b, out, sizeof out);
    CHECK_STR(out, "u:0x00000007@127.0.0.7;c:0x00000063@127.0.0.7;u:0x00000005");
    char small[30];
    store_binding_teids(&b, small, sizeof small);
    CHECK_STR(small, "u:0x00000007@127.0.0.7"); /* cut at a whole entry */
}

int main(void)
{
    RUN(view);
    RUN(teids_text);
    return harness_done();
}
