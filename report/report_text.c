/* report_text.c - text summary report (see report_text.h). */
#include "report/report_text.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

void report_text_escape(FILE *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
        if (*p >= 0x20 && *p < 0x7f && *p != '\\')
            fputc(*p, out);
        else
            fprintf(out, "\\x%02x", *p);
    }
}

void report_format_time(unsigned long long us, char out[32])
{
    time_t sec = (time_t)(us / 1000000u);
    struct tm tm;
    if (!gmtime_r(&sec, &tm)) {
        snprintf(out, 32, "?");
        return;
    }
    char base[24];
    strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, 32, "%s.%06lluZ", base, us % 1000000u);
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

static int query(sqlite3 *db, const char *sql, sqlite3_stmt **st, struct err *e)
{
    if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
        return err_set(e, RC_SQL, "report query: %s", sqlite3_errmsg(db));
    return 0;
}

static int finish(sqlite3 *db, sqlite3_stmt *st, int rc, struct err *e)
{
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return err_set(e, RC_SQL, "report query: %s", sqlite3_errmsg(db));
    return 0;
}

static void human_bytes(unsigned long long b, char out[32])
{
    static const char *const unit[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = (double)b;
    int u = 0;
    while (v >= 1024.0 && u < 4) {
        v /= 1024.0;
        u++;
    }
    if (u == 0)
        snprintf(out, 32, "%llu B", b);
    else
        snprintf(out, 32, "%.1f %s", v, unit[u]);
}

static int section_runs(sqlite3 *db, FILE *out, struct err *e)
{
    sqlite3_stmt *st, *in;
    if (query(db,
              "SELECT id, mode, started_utc, finished_utc, tool_version, signature_sha256,"
              " ndpi_version, status, command_line FROM runs ORDER BY id",
              &st, e))
        return RC_SQL;
    if (query(db,
              "SELECT path, sha256, bytes, link_type, packets, first_ts_us, last_ts_us, status,"
              " detail FROM inputs WHERE run_id = ? ORDER BY seq",
              &in, e)) {
        sqlite3_finalize(st);
        return RC_SQL;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char t0[32], t1[32];
        report_format_time((unsigned long long)sqlite3_column_int64(st, 2), t0);
        if (sqlite3_column_type(st, 3) == SQLITE_NULL)
            snprintf(t1, sizeof t1, "(not finished)");
        else
            report_format_time((unsigned long long)sqlite3_column_int64(st, 3), t1);
        fprintf(out, "Run %lld (%s): %s\n", (long long)sqlite3_column_int64(st, 0),
                col_text(st, 1), col_text(st, 7));
        fprintf(out, "  started %s, finished %s\n", t0, t1);
        fprintf(out, "  trapline %s, nDPI %s, signatures sha256 %s\n", col_text(st, 4),
                col_text(st, 6), col_text(st, 5));
        fprintf(out, "  command: ");
        report_text_escape(out, col_text(st, 8));
        fprintf(out, "\n");
        sqlite3_bind_int64(in, 1, sqlite3_column_int64(st, 0));
        int r2;
        while ((r2 = sqlite3_step(in)) == SQLITE_ROW) {
            char f0[32] = "-", f1[32] = "-", sz[32];
            if (sqlite3_column_type(in, 5) != SQLITE_NULL) {
                report_format_time((unsigned long long)sqlite3_column_int64(in, 5), f0);
                report_format_time((unsigned long long)sqlite3_column_int64(in, 6), f1);
            }
            human_bytes((unsigned long long)sqlite3_column_int64(in, 2), sz);
            fprintf(out, "  input ");
            report_text_escape(out, col_text(in, 0));
            fprintf(out, "\n    %s, %s, %lld packets, %s, %s .. %s\n", col_text(in, 7), sz,
                    (long long)sqlite3_column_int64(in, 4), col_text(in, 3), f0, f1);
            fprintf(out, "    sha256 %s\n",
                    sqlite3_column_type(in, 1) == SQLITE_NULL ? "(not computed)"
                                                              : col_text(in, 1));
            if (sqlite3_column_type(in, 8) != SQLITE_NULL) {
                fprintf(out, "    note: ");
                report_text_escape(out, col_text(in, 8));
                fprintf(out, "\n");
            }
        }
        sqlite3_reset(in);
        if (r2 != SQLITE_DONE) {
            sqlite3_finalize(in);
            return finish(db, st, r2, e);
        }
    }
    sqlite3_finalize(in);
    return finish(db, st, rc, e);
}

static int section_classes(sqlite3 *db, FILE *out, struct err *e)
{
    sqlite3_stmt *st;
    if (query(db,
              "SELECT class, service, COUNT(*), SUM(bytes_c2s), SUM(bytes_s2c),"
              " COUNT(DISTINCT src_ip), MIN(first_ts_us), MAX(last_ts_us) FROM flows"
              " GROUP BY class, service"
              " ORDER BY CASE class WHEN 'carrier-sms' THEN 0 WHEN 'ott-messaging' THEN 1"
              " WHEN 'push' THEN 2 ELSE 3 END, COUNT(*) DESC, service",
              &st, e))
        return RC_SQL;
    fprintf(out, "\nFlows by class and service\n");
    fprintf(out, "  %-14s %-24s %7s %12s %12s %8s  %-27s\n", "class", "service", "flows",
            "bytes c2s", "bytes s2c", "clients", "first seen (UTC)");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char b1[32], b2[32], t0[32];
        human_bytes((unsigned long long)sqlite3_column_int64(st, 3), b1);
        human_bytes((unsigned long long)sqlite3_column_int64(st, 4), b2);
        report_format_time((unsigned long long)sqlite3_column_int64(st, 6), t0);
        const char *svc = col_text(st, 1);
        fprintf(out, "  %-14s ", col_text(st, 0));
        report_text_escape(out, *svc ? svc : "(unknown)");
        int pad = 24 - (int)strlen(*svc ? svc : "(unknown)");
        fprintf(out, "%*s %7lld %12s %12s %8lld  %s\n", pad > 0 ? pad : 0, "",
                (long long)sqlite3_column_int64(st, 2), b1, b2,
                (long long)sqlite3_column_int64(st, 5), t0);
    }
    return finish(db, st, rc, e);
}

static int section_endpoints(sqlite3 *db, FILE *out, struct err *e)
{
    sqlite3_stmt *st;
    if (query(db,
              "SELECT dst_ip, dst_port, proto, service, MAX(server_name), COUNT(*),"
              " SUM(bytes_c2s + bytes_s2c) AS b FROM flows"
              " WHERE class IN ('ott-messaging', 'carrier-sms', 'push')"
              " GROUP BY dst_ip, dst_port, proto, service ORDER BY b DESC, dst_ip, dst_port"
              " LIMIT " "10",
              &st, e))
        return RC_SQL;
    fprintf(out, "\nTop messaging endpoints (by bytes)\n");
    int rc, n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char b[32];
        human_bytes((unsigned long long)sqlite3_column_int64(st, 6), b);
        fprintf(out, "  %s:%d/%s  ", col_text(st, 0), sqlite3_column_int(st, 1),
                sqlite3_column_int(st, 2) == 6    ? "tcp"
                : sqlite3_column_int(st, 2) == 17 ? "udp"
                : sqlite3_column_int(st, 2) == 132 ? "sctp"
                                                   : "ip");
        report_text_escape(out, col_text(st, 3));
        fprintf(out, "  ");
        report_text_escape(out, *col_text(st, 4) ? col_text(st, 4) : "-");
        fprintf(out, "  %lld flows, %s\n", (long long)sqlite3_column_int64(st, 5), b);
        n++;
    }
    if (rc == SQLITE_DONE && n == 0)
        fprintf(out, "  (none)\n");
    return finish(db, st, rc, e);
}

/* "SMS contact records": one line per originator -> recipient pair of the
 * carrier SMS legs (binds excluded).  Printed only when sms_events exists
 * and has rows, so reports of databases without SMS are unchanged. */
static int section_sms(sqlite3 *db, FILE *out, struct err *e)
{
    sqlite3_stmt *st;
    if (query(db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'sms_events'",
              &st, e))
        return RC_SQL;
    int rc = sqlite3_step(st);
    bool have = rc == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
    sqlite3_finalize(st);
    if (!have)
        return 0;
    if (query(db,
              "SELECT e.originator, e.recipient, COUNT(*), MIN(e.ts_us), MAX(e.ts_us),"
              " (SELECT group_concat(p, ',') FROM (SELECT DISTINCT protocol AS p FROM sms_events"
              "   x WHERE x.originator = e.originator AND x.recipient = e.recipient"
              "   AND x.operation NOT LIKE 'bind%' ORDER BY p))"
              " FROM sms_events e WHERE e.operation NOT LIKE 'bind%'"
              " GROUP BY e.originator, e.recipient ORDER BY MIN(e.ts_us), e.originator, e.recipient",
              &st, e))
        return RC_SQL;
    int n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n++ == 0) {
            fprintf(out, "\nSMS contact records\n");
            fprintf(out, "  %-24s    %-24s %6s  %-27s  %-27s  %s\n", "originator", "recipient",
                    "count", "first (UTC)", "last (UTC)", "protocols");
        }
        char t0[32], t1[32];
        report_format_time((unsigned long long)sqlite3_column_int64(st, 3), t0);
        report_format_time((unsigned long long)sqlite3_column_int64(st, 4), t1);
        const char *o = *col_text(st, 0) ? col_text(st, 0) : "?";
        const char *r = *col_text(st, 1) ? col_text(st, 1) : "?";
        fprintf(out, "  ");
        report_text_escape(out, o);
        int pad = 24 - (int)strlen(o);
        fprintf(out, "%*s -> ", pad > 0 ? pad : 0, "");
        report_text_escape(out, r);
        pad = 24 - (int)strlen(r);
        fprintf(out, "%*s %6lld  %s  %s  ", pad > 0 ? pad : 0, "",
                (long long)sqlite3_column_int64(st, 2), t0, t1);
        report_text_escape(out, col_text(st, 5));
        fprintf(out, "\n");
    }
    return finish(db, st, rc, e);
}

int report_text(struct store *s, FILE *out, struct err *e)
{
    sqlite3 *db = store_db(s);
    int rc = section_runs(db, out, e);
    if (!rc)
        rc = section_classes(db, out, e);
    if (!rc)
        rc = section_endpoints(db, out, e);
    if (!rc)
        rc = section_sms(db, out, e);
    if (!rc && (fflush(out) != 0 || ferror(out)))
        rc = err_set(e, RC_IO, "writing the report failed");
    return rc;
}
