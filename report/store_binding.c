/* store_binding.c - subscriber_sessions rows (see store_binding.h). */
#include "report/store_binding.h"

#include <arpa/inet.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "report/record.h"

static const char insert_sql[] =
    "INSERT INTO subscriber_sessions (run_id, binding_id, source, flow_id, evidence_ts_us,"
    " start_us, end_us, open_ended, mid_session, last_evidence_us, imsi, msisdn, imei,"
    " user_name, station, ue_ipv4, ue_ipv6_prefix, teids, apn, cell, conflict, ue_v6_64)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

static const char teid_sql[] =
    "INSERT OR IGNORE INTO subscriber_teids (run_id, binding_id, teid, control, node)"
    " VALUES (?,?,?,?,?)";

void store_binding_teids(const struct sub_binding *b, char *out, size_t n)
{
    size_t k = 0;
    if (n == 0)
        return;
    out[0] = '\0';
    for (unsigned i = 0; i < b->nteid && k + 1 < n; i++) {
        const struct bind_teid *t = &b->teid[i];
        char addr[INET6_ADDRSTRLEN + 1] = "";
        if (t->alen == 4 || t->alen == 16) {
            addr[0] = '@';
            inet_ntop(t->alen == 4 ? AF_INET : AF_INET6, t->addr, addr + 1, sizeof addr - 1);
        }
        int w = snprintf(out + k, n - k, "%s%c:0x%08x%s", k ? ";" : "", t->control ? 'c' : 'u',
                         (unsigned)t->teid, addr);
        if (w < 0 || (size_t)w >= n - k) {
            out[k] = '\0'; /* cut at a whole entry */
            break;
        }
        k += (size_t)w;
    }
}

void store_binding_addrs(const struct sub_binding *b, char v4[16], char v6[STORE_BINDING_V6_MAX])
{
    v4[0] = v6[0] = '\0';
    if (b->has_v4)
        inet_ntop(AF_INET, b->v4, v4, 16);
    if (b->has_v6) {
        uint8_t a[16] = {0};
        memcpy(a, b->v6_prefix, BIND_V6_PREFIX);
        inet_ntop(AF_INET6, a, v6, INET6_ADDRSTRLEN);
        strcat(v6, "/64");
    }
}

bool store_binding_v6_64(const struct sub_binding *b, int64_t *out)
{
    if (!b->has_v6)
        return false;
    uint8_t a[16] = {0};
    memcpy(a, b->v6_prefix, BIND_V6_PREFIX);
    *out = record_v6_64(a);
    return true;
}

int store_binding(struct store *s, int64_t run_id, const struct sub_binding *b, struct err *e)
{
    if (store_row_begin(s, e))
        return RC_SQL;
    sqlite3_stmt *st = store_slot_stmt(s, STORE_SLOT_BINDING, insert_sql, e);
    if (!st)
        return RC_SQL;
    char v4[16], v6[STORE_BINDING_V6_MAX];
    char teids[STORE_BINDING_TEIDS_MAX];
    store_binding_addrs(b, v4, v6);
    store_binding_teids(b, teids, sizeof teids);
    int i = 1;
    sqlite3_bind_int64(st, i++, run_id);
    sqlite3_bind_int64(st, i++, b->id);
    sqlite3_bind_text(st, i++, binding_src_name(b->src), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, i++, (sqlite3_int64)b->flow_id);
    sqlite3_bind_int64(st, i++, (sqlite3_int64)b->evidence_us);
    sqlite3_bind_int64(st, i++, (sqlite3_int64)b->start_us);
    if (b->open)
        sqlite3_bind_null(st, i++);
    else
        sqlite3_bind_int64(st, i++, (sqlite3_int64)b->end_us);
    sqlite3_bind_int(st, i++, b->open ? 1 : 0);
    sqlite3_bind_int(st, i++, b->mid_session ? 1 : 0);
    sqlite3_bind_int64(st, i++, (sqlite3_int64)b->evidence_us);
    sqlite3_bind_text(st, i++, b->imsi, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, i++, b->msisdn, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, i++, b->imei, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, i++, b->user, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, i++, b->station, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, i++, v4, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, i++, v6, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, i++, teids, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, i++, b->apn, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, i++, b->cell, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, i++, b->conflict ? 1 : 0);
    int64_t v6_64;
    if (store_binding_v6_64(b, &v6_64)) /* else NULL */
        sqlite3_bind_int64(st, i, v6_64);
    i++;
    if (store_row_end(s, st, e, "insert subscriber session"))
        return RC_SQL;
    for (unsigned k = 0; k < b->nteid; k++) {
        const struct bind_teid *t = &b->teid[k];
        char node[INET6_ADDRSTRLEN] = "";
        if (t->alen == 4 || t->alen == 16)
            inet_ntop(t->alen == 4 ? AF_INET : AF_INET6, t->addr, node, sizeof node);
        if (store_row_begin(s, e))
            return RC_SQL;
        sqlite3_stmt *ts = store_slot_stmt(s, STORE_SLOT_BINDING_TEID, teid_sql, e);
        if (!ts)
            return RC_SQL;
        sqlite3_bind_int64(ts, 1, run_id);
        sqlite3_bind_int64(ts, 2, b->id);
        sqlite3_bind_int64(ts, 3, t->teid);
        sqlite3_bind_int(ts, 4, t->control ? 1 : 0);
        sqlite3_bind_text(ts, 5, node, -1, SQLITE_TRANSIENT);
        if (store_row_end(s, ts, e, "insert subscriber teid"))
            return RC_SQL;
    }
    return 0;
}
