/* report_fixture.h - the report fixture database for the renderer unit
 * tests (test_report_<format>.c): a fresh store with one run, one input and
 * the OTT messaging flows that tests/report/fixture.sql and hostile.sql
 * expect (the addresses and servers of pcaps/ott_tls.pcap, gtpu.pcap and
 * hostile_names.pcap), then those two files applied as they are in
 * tests/suites/report.sh.  Origin of the flow rows: hand-written here with
 * the endpoints of those captures.  Each test binary includes it once. */
#ifndef PR_TESTS_UNIT_REPORT_FIXTURE_H
#define PR_TESTS_UNIT_REPORT_FIXTURE_H

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/report_model.h"
#include "report/store.h"
#include "tests/harness.h"

#define FX_T0 1709287200000000LL /* 2024-03-01T10:00:00Z */

static inline void fx_exec(const char *db, const char *sql)
{
    sqlite3 *h;
    CHECK(sqlite3_open(db, &h) == SQLITE_OK);
    sqlite3_busy_timeout(h, 5000); /* a model built just before may still close */
    char *msg = NULL;
    int rc = sqlite3_exec(h, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fprintf(stderr, "fixture sql: %s\n", msg ? msg : "?");
    CHECK(rc == SQLITE_OK);
    sqlite3_free(msg);
    sqlite3_close(h);
}

static inline void fx_exec_file(const char *db, const char *path)
{
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL);
    if (!f)
        return;
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    fx_exec(db, buf);
}

/* Builds db (a path under build/test-out); hostile adds hostile.sql. */
static inline void fx_build(const char *db, bool hostile)
{
    mkdir("build", 0700);
    mkdir("build/test-out", 0700);
    char p[512];
    unlink(db);
    snprintf(p, sizeof p, "%s-wal", db);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", db);
    unlink(p);
    struct err e = {""};
    struct store *s = store_open(db, false, &e);
    CHECK(s != NULL);
    store_close(s);
    char sql[4096];
    snprintf(sql, sizeof sql,
             "INSERT INTO runs (id, mode, started_utc, finished_utc, tool_version, command_line,"
             " signature_sha256, ndpi_version, status) VALUES (1, 'analyze', 0, 1, '0.1.0', 'x', 'ab', '4.2.0',"
             " 'complete');"
             "INSERT INTO inputs (run_id, seq, path, sha256, bytes, link_type, packets,"
             " first_ts_us, last_ts_us, status, detail) VALUES (1, 0, 'pcaps/ott_tls.pcap', 'e3', 19482, 'EN10MB', 69,"
             " %lld, %lld, 'complete', NULL);"
             "INSERT INTO flows (run_id, id, proto, src_ip, src_port, dst_ip, dst_port,"
             " first_ts_us, last_ts_us, pkts_c2s, bytes_c2s, pkts_s2c, bytes_s2c, vlan,"
             " ndpi_proto, service, class, method, confidence, server_name, server_name_cut,"
             " end_reason) VALUES"
             " (1, 5, 6, '10.0.0.10', 50000, '17.57.144.116', 5223, %lld, %lld, 5, 1830, 5,"
             "  2543, 0, 'TLS', 'ApplePush', 'ott-messaging', 'sni', 85,"
             "  'courier.push.apple.com', 0, 'fin'),"
             " (1, 17, 6, '10.0.0.10', 50001, '13.248.212.111', 443, %lld, %lld, 5, 2156, 5,"
             "  3817, 0, 'TLS', 'Signal', 'ott-messaging', 'sni', 85, 'chat.signal.org', 0,"
             "  'fin'),"
             " (1, 19, 6, '10.0.0.10', 50002, '157.240.0.53', 443, %lld, %lld, 5, 2252, 5,"
             "  5242, 0, 'TLS', 'WhatsApp', 'ott-messaging', 'sni', 85, 'web.whatsapp.com', 0,"
             "  'fin'),"
             " (1, 6, 6, '10.45.0.2', 50003, '13.248.212.111', 443, %lld, %lld, 5, 2660, 5,"
             "  4069, 0, 'TLS', 'Signal', 'ott-messaging', 'sni', 85, 'chat.signal.org', 0,"
             "  'fin'),"
             " (1, 30, 6, '10.66.0.66', 50004, '13.248.212.111', 443, %lld, %lld, 3, 300, 3,"
             "  400, 0, 'TLS', 'TLS', 'unknown', 'ndpi', 50, '<script>x</script>', 0, 'fin'),"
             " (1, 31, 6, '10.66.0.66', 50005, '157.240.0.53', 443, %lld, %lld, 3, 300, 3,"
             "  400, 0, 'TLS', 'TLS', 'unknown', 'ndpi', 50, 'evil.example', 0, 'fin');",
             FX_T0, FX_T0 + 16943560LL, FX_T0 + 11240, FX_T0 + 5216680, FX_T0 + 5728040,
             FX_T0 + 10210240, FX_T0 + 10721600, FX_T0 + 16943560, FX_T0 + 11240,
             FX_T0 + 4493440, FX_T0 + 1000000, FX_T0 + 2000000, FX_T0 + 1000000,
             FX_T0 + 2000000);
    fx_exec(db, sql);
    fx_exec_file(db, "tests/report/fixture.sql");
    if (hostile)
        fx_exec_file(db, "tests/report/hostile.sql");
}

static inline struct report_model *fx_model(const char *db)
{
    struct err e = {""};
    struct store *s = store_open(db, true, &e);
    CHECK(s != NULL);
    if (!s)
        return NULL;
    struct rm_filter f = {0};
    struct report_model *m = report_model_build(s, &f, 1709290000000000LL, "test", &e);
    if (!m)
        fprintf(stderr, "model: %s\n", e.msg);
    CHECK(m != NULL);
    store_close(s);
    return m;
}

/* Renders with fn into a new string (owned). */
#define FX_RENDER(call, outp)                                                          \
    do {                                                                               \
        size_t n_ = 0;                                                                 \
        FILE *out = open_memstream((outp), &n_);                                       \
        CHECK(out != NULL);                                                            \
        call;                                                                          \
        fclose(out);                                                                   \
    } while (0)

static inline size_t fx_count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* True when s has a byte < 0x20 other than \n (and \r when crlf). */
static inline bool fx_has_control(const char *s, bool crlf)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 && *p != '\n' && !(crlf && *p == '\r'))
            return true;
    return false;
}

#endif
