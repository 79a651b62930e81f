/* report_model.c - gathers a contact-record report from the database (see
 * report_model.h).  All SQL of the report lives here; formats only render.
 *
 * Filters are bound as named parameters (:from, :to, :service, :class,
 * :subjects as a JSON array read with json_each), never pasted into SQL.
 */
#include "report/report_model.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/decode.h"
#include "report/community_id.h"
#include "report/tshark_filter.h"
#include "report/identity.h"
#include "report/localnet.h"
#include "report/report_links.h"
#include "report/schema.h"
#include "report/sqlx.h"

const char report_model_time_note[] =
    "UTC, ISO-8601 with microseconds; taken from the capture's packet timestamps (clock "
    "source and synchronisation of the capture host are not recorded).";

const char *const report_model_minimisation[] = {
    "Recorded: addressing, routing and signalling metadata only - flow endpoints, ports, "
    "times, packet and byte counts, the service label and how it was decided, host names "
    "seen in handshakes or DNS, and SMS transfer-leg addresses, times and status.",
    "Technically excluded: message text and payload of any kind - SMS TP-User-Data, SMPP "
    "short_message and message_payload, SIP MESSAGE bodies, SGd user data, bind passwords, "
    "and all encrypted application data - are never written to the database (18 U.S.C. "
    "3121(c)); no message length, language or content is inferred.",
    "Inferred, not observed: service classification (method and confidence per flow) and "
    "OTT activity bursts (packet timing inside a flow); they are labelled as such.",
    "OTT counterparts are not observable on the network: OTT rows name the relay endpoint, "
    "never a peer. Known blind spots: OTT over VPN or Tor, iMessage attachments via iCloud, "
    "carrier-grade NAT.",
    NULL,
};

const char *const report_model_inferred_caveats[] = {
    "An inference, not a contact record: two subjects' OTT activity bursts (or call flows)"
    " moved together more often than chance; nobody observed a message between them.",
    "Each pair carries its observation window, its matched events, a score (matched events /"
    " the smaller side's bursts) and an empirical p-value from circular time shifts of one"
    " side: the false-positive rate of such a score on unrelated subjects.",
    "Short observation time, background traffic (push, presence, media, other chats), group"
    " chats and app padding or traffic obfuscation all lower the chance of finding a real pair;"
    " a pair not listed is no evidence of no contact.",
    "Many pairs and windows are tested: at p <= 0.001, about one unrelated pair in a thousand"
    " tested may appear by chance.",
    NULL,
};

/* Pasted into SQL as a literal: no quote characters. */
const char report_model_inferred_caveat_short[] =
    "inferred from traffic timing, not a contact record; see the caveats in the report";

struct ctx {
    sqlite3 *db;
    const struct rm_filter *f;
    char *subjects_json; /* owned; NULL = no subject filter */
    bool sms_flow_id, sms_run_id, ott_run_id, ott_end;
    bool sms_cut;        /* sms_events has originator_cut/recipient_cut */
    bool sms_msg;        /* sms_events has message_id (issue 19) */
    bool sms_imsi, sms_id; /* sms_events has imsi / id (older or minimal tables may not) */
    bool has_sub, has_activity; /* subscriber_sessions/teids; flows.activity */
    bool has_v6;                /* flows.src_v6_64 and subscriber_sessions.ue_v6_64 */
    bool has_node;              /* flows.tunnel_node (the TEID match needs the node) */
    bool home_net;              /* a home network is known (option or runs.home_net) */
    char ott_join[160];  /* join condition ott_events e <-> flows f */
    struct err *e;
};

/* True when the table (a trusted, fixed name) holds at least one row. */
static bool table_has_rows(sqlite3 *db, const char *table)
{
    char sql[128];
    sqlite3_stmt *st;
    snprintf(sql, sizeof sql, "SELECT 1 FROM \"%s\" LIMIT 1", table);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return false;
    bool ok = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return ok;
}

/* True when a `trapline infer` run is recorded. */
static bool has_infer_run(sqlite3 *db)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM runs WHERE mode = 'infer' LIMIT 1", -1, &st,
                           NULL) != SQLITE_OK)
        return false;
    bool ok = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return ok;
}

/* JSON array of the subjects, escaped for SQLite's json_each. */
static char *subjects_json(const struct rm_filter *f)
{
    size_t n = 3;
    for (size_t i = 0; i < f->nsubjects; i++)
        n += strlen(f->subjects[i]) * 6 + 3;
    char *s = malloc(n), *p = s;
    if (!s)
        return NULL;
    *p++ = '[';
    for (size_t i = 0; i < f->nsubjects; i++) {
        if (i)
            *p++ = ',';
        *p++ = '"';
        for (const unsigned char *c = (const unsigned char *)f->subjects[i]; *c; c++) {
            if (*c == '"' || *c == '\\' || *c < 0x20)
                p += sprintf(p, "\\u%04x", *c);
            else
                *p++ = (char)*c;
        }
        *p++ = '"';
    }
    *p++ = ']';
    *p = '\0';
    return s;
}

static int prep(struct ctx *c, const char *sql, sqlite3_stmt **st)
{
    if (sqlite3_prepare_v2(c->db, sql, -1, st, NULL) != SQLITE_OK)
        return err_set(c->e, RC_SQL, "report query: %s", sqlite3_errmsg(c->db));
    int i;
    if ((i = sqlite3_bind_parameter_index(*st, ":from")))
        sqlite3_bind_int64(*st, i, c->f->from_us);
    if ((i = sqlite3_bind_parameter_index(*st, ":to")))
        sqlite3_bind_int64(*st, i, c->f->to_us ? c->f->to_us : INT64_MAX);
    if ((i = sqlite3_bind_parameter_index(*st, ":service")) && c->f->service)
        sqlite3_bind_text(*st, i, c->f->service, -1, SQLITE_STATIC);
    if ((i = sqlite3_bind_parameter_index(*st, ":class")) && c->f->klass)
        sqlite3_bind_text(*st, i, c->f->klass, -1, SQLITE_STATIC);
    if ((i = sqlite3_bind_parameter_index(*st, ":home_net")))
        sqlite3_bind_int(*st, i, c->home_net);
    if ((i = sqlite3_bind_parameter_index(*st, ":subjects")) && c->subjects_json)
        sqlite3_bind_text(*st, i, c->subjects_json, -1, SQLITE_STATIC);
    return 0;
}

/* Integer columns named *_us or *_utc hold UTC microseconds. */
static bool time_name(const char *n)
{
    size_t l = strlen(n);
    return (l > 3 && strcmp(n + l - 3, "_us") == 0) || (l > 4 && strcmp(n + l - 4, "_utc") == 0);
}

/* Runs sql and appends every row to t.  When t has no columns yet they are
 * taken from the statement (generic record export). */
static int fill(struct ctx *c, struct rt_table *t, const char *sql)
{
    sqlite3_stmt *st;
    int rc = prep(c, sql, &st);
    if (rc)
        return rc;
    int n = sqlite3_column_count(st);
    if (t->ncols == 0)
        for (int k = 0; k < n && !rc; k++)
            rc = rt_add_col(t, sqlite3_column_name(st, k),
                            time_name(sqlite3_column_name(st, k)) ? RT_TIME : RT_NULL, c->e);
    if (!rc && (size_t)n != t->ncols)
        rc = err_set(c->e, RC_SQL, "table %s: %d columns, %zu expected", t->name, n, t->ncols);
    int step = SQLITE_DONE;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        struct rt_cell *row = rt_row(t, c->e);
        if (!row) {
            if (!t->truncated)
                rc = RC_NOMEM;
            break;
        }
        for (int k = 0; k < n && !rc; k++) {
            int vt = sqlite3_column_type(st, k);
            enum rt_type want = t->coltype[k];
            if (vt == SQLITE_NULL)
                continue;
            if (want == RT_TEXT || vt != SQLITE_INTEGER) {
                rc = rt_set_text(&row[k], (const char *)sqlite3_column_text(st, k), c->e);
            } else {
                row[k].i = sqlite3_column_int64(st, k);
                row[k].type = want != RT_NULL ? want : RT_INT;
            }
        }
    }
    if (!rc && step != SQLITE_DONE && step != SQLITE_ROW)
        rc = err_set(c->e, RC_SQL, "report query (%s): %s", t->name, sqlite3_errmsg(c->db));
    sqlite3_finalize(st);
    return rc;
}

/* Common table expressions: ss = SMS contact views of the selected subjects,
 * fo = OTT flows in scope, oa = OTT activity (bursts, or whole flows without
 * bursts). */
#define SUBJ_IN(x)                                                                       \
    "(" x " IN (SELECT value FROM json_each(:subjects)) OR " x " IN (SELECT sk.ue_ipv4"      \
    " FROM subscriber_keys sk, json_each(:subjects) j WHERE trapline_identity(j.value)"      \
    " IN (sk.skey, sk.imsi, sk.msisdn_c, sk.imei)))"
/* The same for subscriber identities, compared in canonical form (identity.h),
 * so --subject +15551230001 selects sip:+15551230001@... and 15551230001 too. */
#define SUBJ_ID_IN(x)                                                                    \
    "(trapline_identity(" x ") IN (SELECT trapline_identity(value) FROM json_each(:subjects)))"

/* A local end l of a flow with remote end r is a subject unless r is local
 * too and only r is an anchor (a local end of some flow with a remote end
 * that is not local): in a flow between two private addresses the one the
 * capture watches is the subject, the other its peer.  With no anchor at
 * all (a LAN-only capture) both are. */
#define LOCAL_END(l, r)                                                                  \
    "(trapline_local(" l ") AND (NOT trapline_local(" r ") OR " l " IN (SELECT a FROM anchor)" \
    " OR " r " NOT IN (SELECT a FROM anchor)))"

/* The subject of an SMS address: the subscriber whose bound MSISDN it is,
 * else its canonical form. */
#define SMS_SUBJ(x)                                                                      \
    "COALESCE((SELECT MIN(sk.skey) FROM subscriber_keys sk WHERE sk.msisdn_c <> ''"       \
    " AND sk.msisdn_c = trapline_identity(" x ")), trapline_identity(" x "))"

/* Appends to out (n bytes, k used) like snprintf, but never lets k pass n:
 * once a piece does not fit, k stays at n and every later append is a no-op,
 * so n - k can never wrap.  The caller tests k < n at the end. */
__attribute__((format(printf, 4, 5))) static void appendf(char *out, size_t n, size_t *k,
                                                          const char *fmt, ...)
{
    if (*k >= n)
        return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(out + *k, n - *k, fmt, ap);
    va_end(ap);
    *k = w < 0 || (size_t)w >= n - *k ? n : *k + (size_t)w;
}

#define SQL_MAX 8192

/* The message key of an SMS leg whose columns are named with prefix pfx:
 * legs with one message_id (issue 19: sms_events.message_id,
 * classify/sms_msg.h) share it; a leg without one is a message of its own,
 * keyed by (run_id, id).  sms_events may be a view here (report/scope.c),
 * which has no rowid. */
static void mkey_expr(const struct ctx *c, const char *pfx, char *out, size_t n)
{
    const char *id = c->sms_id ? "id" : "rowid";
    char run[48] = "";
    if (c->sms_run_id)
        snprintf(run, sizeof run, "%srun_id || ':' || ", pfx);
    if (!c->sms_msg)
        snprintf(out, n, "'e' || %s%s%s", run, pfx, id);
    else
        snprintf(out, n, "CASE WHEN %smessage_id > 0 THEN %s'm' || %smessage_id"
                 " ELSE 'e' || %s%s%s END", pfx, run, pfx, run, pfx, id);
}

/* TEMP TABLE report_sm: one row per SMS leg, with the message it belongs to
 * (mkey) and the message's parties: a leg that names a party only by IMSI
 * (the radio leg) takes the number another leg of the same message showed,
 * so that all legs of one SMS are one contact.  path: the message's legs in
 * time order.  It depends on no filter, so it is made once per report.
 * Each message's first parties and path are found once (report_msg, from
 * the legs keyed by message in report_smx) and each leg looks its message
 * up: a search of the message's legs from every leg was quadratic in the
 * legs of a message. */
static int sms_legs(struct ctx *c)
{
    const char *id = c->sms_id ? "id" : "rowid";
    char mk[320], emk[320];
    mkey_expr(c, "", mk, sizeof mk);
    mkey_expr(c, "e.", emk, sizeof emk);
    char *sql = malloc(SQL_MAX);
    if (!sql)
        return err_set(c->e, RC_NOMEM, "out of memory");
    size_t n = SQL_MAX, k = 0;
    appendf(sql, n, &k,
            "DROP TABLE IF EXISTS temp.report_sm; DROP TABLE IF EXISTS temp.report_msg;"
            "DROP TABLE IF EXISTS temp.report_smx;"
            "CREATE TEMP TABLE report_smx AS SELECT %s AS mkey, ts_us, %s AS xid, originator,"
            " recipient, %s AS imsi, %s AS originator_cut, %s AS recipient_cut, protocol"
            " FROM sms_events;",
            mk, id, c->sms_imsi ? "imsi" : "NULL", c->sms_cut ? "originator_cut" : "0",
            c->sms_cut ? "recipient_cut" : "0");
    /* a party named by the leg's own IMSI is an IMSI, not a number; a cut
     * one (sms_events.*_cut) is taken only when no leg has it whole */
    static const char first[] =
        " LEFT JOIN (SELECT mkey, %s AS v FROM (SELECT mkey, %s, row_number() OVER"
        " (PARTITION BY mkey ORDER BY ts_us, xid) AS rn FROM temp.report_smx"
        " WHERE %s <> ''%s%s) WHERE rn = 1) %c ON %c.mkey = p.mkey";
    appendf(sql, n, &k,
            "CREATE TEMP TABLE report_msg AS SELECT p.mkey, o.v AS originator,"
            " r.v AS recipient, p.path FROM (SELECT DISTINCT mkey, group_concat(protocol, ' > ')"
            " OVER (PARTITION BY mkey ORDER BY ts_us, xid ROWS BETWEEN UNBOUNDED PRECEDING"
            " AND UNBOUNDED FOLLOWING) AS path FROM temp.report_smx) p");
    appendf(sql, n, &k, first, "originator", "originator", "originator",
            c->sms_imsi ? " AND originator <> imsi" : "",
            c->sms_cut ? " AND NOT originator_cut" : "", 'o', 'o');
    appendf(sql, n, &k, first, "recipient", "recipient", "recipient",
            c->sms_imsi ? " AND recipient <> imsi" : "",
            c->sms_cut ? " AND NOT recipient_cut" : "", 'r', 'r');
    appendf(sql, n, &k, ";CREATE UNIQUE INDEX temp.report_msg_key ON report_msg(mkey);");
    /* the leg's message: its parties and path */
    char go[440], gr[440], gp[440];
    static const char msg[] = "(SELECT g.%s FROM temp.report_msg g WHERE g.mkey = %s)";
    snprintf(go, sizeof go, msg, "originator", emk);
    snprintf(gr, sizeof gr, msg, "recipient", emk);
    snprintf(gp, sizeof gp, msg, "path", emk);
    appendf(sql, n, &k,
            "CREATE TEMP TABLE report_sm AS SELECT ts_us, protocol, direction, %s AS flow_id,"
            " %s AS mkey, COUNT(*) OVER (PARTITION BY %s) AS nlegs,"
            " COALESCE(%s, originator) AS originator, COALESCE(%s, recipient) AS recipient,",
            c->sms_flow_id ? "flow_id" : "NULL", mk, mk, go, gr);
    if (c->sms_cut)
        appendf(sql, n, &k,
                " CASE WHEN %s IS NOT NULL THEN 0 ELSE originator_cut END AS originator_cut,"
                " CASE WHEN %s IS NOT NULL THEN 0 ELSE recipient_cut END AS recipient_cut,",
                go, gr);
    else
        appendf(sql, n, &k, " 0 AS originator_cut, 0 AS recipient_cut,");
    appendf(sql, n, &k, " %s AS path FROM sms_events e;", gp);
    int rc = k < n ? sqlx_exec(c->db, "report: SMS legs", sql, c->e)
                   : err_set(c->e, RC_LIMIT, "report query longer than %d bytes", SQL_MAX);
    free(sql);
    return rc;
}

#define SUB_AT_MAX 1024

/* sk's session was open while flow f lasted */
static const char during[] = SCHEMA_SESSION_DURING("sk");

/* The subscriber of a flow inside GTP-U: the least key of the sessions
 * that held one of its user-plane TEIDs while the flow lasted, on the GTP-U
 * node the flow's packets went to when both are known: the conditions of
 * the database's flow_subscribers_teid view (schema 8; the node since
 * migration 16, flows.tunnel_node), with each TEID looked up in
 * report_teids by index (the view's OR of the two TEIDs scanned every TEID
 * of the run for every flow). */
static void sub_by_teid(const struct ctx *c, char out[SUB_AT_MAX])
{
    static const char one[] = "SELECT sk.skey FROM temp.report_teids sk WHERE sk.run_id = f.run_id"
                              " AND sk.teid = f.%s%s AND %s";
    size_t k = 0;
    appendf(out, SUB_AT_MAX, &k, "(SELECT MIN(skey) FROM (");
    appendf(out, SUB_AT_MAX, &k, one, "tunnel_teid",
            c->has_node ? " AND " SCHEMA_TEID_ON_NODE("sk", "tunnel_node") : "", during);
    appendf(out, SUB_AT_MAX, &k, " UNION ALL ");
    appendf(out, SUB_AT_MAX, &k, one, "tunnel_teid_s2c",
            c->has_node ? " AND " SCHEMA_TEID_ON_NODE("sk", "tunnel_node_s2c") : "", during);
    appendf(out, SUB_AT_MAX, &k, "))");
}

/* The subscriber bound to a flow end (src or dst): the least key of the
 * sessions that held its address (IPv4, or the IPv6 /64) while the flow
 * lasted, each address looked up by its own index (an OR of the two made
 * SQLite scan every session for every flow). */
static void sub_at(const struct ctx *c, const char *end, char out[SUB_AT_MAX])
{
    size_t k = 0;
    appendf(out, SUB_AT_MAX, &k,
            "(SELECT MIN(skey) FROM (SELECT sk.skey FROM subscriber_keys sk"
            " WHERE sk.run_id = f.run_id AND sk.ue_ipv4 = f.%s_ip AND %s", end, during);
    if (c->has_v6)
        appendf(out, SUB_AT_MAX, &k,
                " UNION ALL SELECT sk.skey FROM subscriber_keys sk WHERE sk.run_id = f.run_id"
                " AND sk.ue_v6_64 = f.%s_v6_64 AND %s", end, during);
    appendf(out, SUB_AT_MAX, &k, "))");
}

/* The report's common table expressions, in two stages.  CTE_FO: what
 * report_fo is made of (sel, anchor, fx, fy, fo).  CTE_QUERY: the prefix of
 * every section's query (sel, the SMS views sm, sv, sl, ss, then fo read
 * from report_fo and oa).  Returns 0, or RC_LIMIT when the statement does
 * not fit in n bytes. */
enum cte_stage { CTE_FO, CTE_QUERY };

static int cte(const struct ctx *c, enum cte_stage stage, bool has_sms, bool has_ott, char *out,
               size_t n)
{
    size_t k = 0;
    appendf(out, n, &k,
        "WITH sel AS (SELECT trapline_identity(value) AS v FROM json_each(:subjects)"
        " UNION SELECT sk.skey FROM subscriber_keys sk, json_each(:subjects) j"
        " WHERE trapline_identity(j.value) IN (sk.imsi, sk.msisdn_c, sk.imei, sk.ue_ipv4)),");
    if (stage == CTE_QUERY && has_sms) {
        appendf(out, n, &k, "sm AS (SELECT * FROM temp.report_sm),");
        appendf(out, n, &k,
            "sv AS (SELECT " SMS_SUBJ("originator") " AS subject,"
            " %s AS counterpart, 'sent' AS dir,"
            " ts_us, protocol, flow_id, CASE WHEN direction = 'mt' THEN 0 ELSE 1 END AS home,"
            " mkey, nlegs, path"
            " FROM sm WHERE originator <> '' AND %s AND %s"
            " UNION ALL SELECT " SMS_SUBJ("recipient") ", %s,"
            " 'received', ts_us, protocol, flow_id,"
            " CASE WHEN direction = 'mt' THEN 1 ELSE 0 END, mkey, nlegs, path FROM sm"
            " WHERE recipient <> '' AND %s AND %s),"
            /* sl: the legs in scope; ss: one row per message and side (the
             * legs folded): counts, timelines and links count messages */
            " sl AS (SELECT * FROM sv WHERE CASE WHEN :subjects IS NULL THEN home = 1"
            " ELSE subject IN (SELECT v FROM sel) END),"
            " ss AS (SELECT subject, counterpart, dir, MIN(ts_us) AS ts_us,"
            " group_concat(DISTINCT protocol) AS protocol, MIN(flow_id) AS flow_id,"
            " MAX(nlegs) AS legs, MAX(path) AS path"
            " FROM sl GROUP BY subject, counterpart, dir, mkey),",
            /* A cut address (sms_events.*_cut) is never a subject and is
             * shown as stored, marked, never canonicalized: it may have lost
             * digits, so grouping it would invent an identity. */
            c->sms_cut ? "CASE WHEN recipient_cut THEN recipient || ' [cut]'"
                         " ELSE trapline_identity(recipient) END"
                       : "trapline_identity(recipient)",
            "ts_us >= :from AND ts_us < :to AND (:service IS NULL OR protocol = :service"
            " COLLATE NOCASE) AND (:class IS NULL OR :class = 'carrier-sms')",
            c->sms_cut ? "NOT originator_cut" : "1",
            c->sms_cut ? "CASE WHEN originator_cut THEN originator || ' [cut]'"
                         " ELSE trapline_identity(originator) END"
                       : "trapline_identity(originator)",
            "ts_us >= :from AND ts_us < :to AND (:service IS NULL OR protocol = :service"
            " COLLATE NOCASE) AND (:class IS NULL OR :class = 'carrier-sms')",
            c->sms_cut ? "NOT recipient_cut" : "1");
    }
    else if (stage == CTE_QUERY)
        appendf(out, n, &k,
            "ss AS (SELECT '' AS subject, '' AS counterpart, '' AS dir, 0 AS ts_us,"
            " '' AS protocol, NULL AS flow_id, 0 AS legs, '' AS path WHERE 0),"
            " sl AS (SELECT * FROM ss),");
    /* fx: OTT flows in scope with the subscriber bound to each end (the
     * UE address within the binding interval; a TEID binding names the
     * client end unless the server end is the bound UE address).
     * fy: one row per end that is a subject (subscriber or local endpoint;
     * the client as a last resort when no home network is known), with
     * the other end as the remote (an end facing a subscriber is a subject
     * only when it is a subscriber itself).  fo: subject, relay/peer role, bytes
     * from the subject's side. */
    char sub_src[SUB_AT_MAX] = "", sub_dst[SUB_AT_MAX] = "", sub_teid[SUB_AT_MAX] = "";
    if (stage == CTE_FO) {
        sub_at(c, "src", sub_src);
        sub_at(c, "dst", sub_dst);
        sub_by_teid(c, sub_teid);
    }
    if (stage == CTE_QUERY)
        appendf(out, n, &k, " fo AS (SELECT * FROM temp.report_fo),");
    else
        appendf(out, n, &k,
        " anchor AS (SELECT src_ip AS a FROM flows WHERE trapline_local(src_ip)"
        " AND NOT trapline_local(dst_ip) UNION SELECT dst_ip FROM flows"
        " WHERE trapline_local(dst_ip) AND NOT trapline_local(src_ip)),"
        " fx AS (SELECT f.*, %s AS act, %s AS sub_src, %s AS sub_dst, %s AS sub_teid"
        " FROM flows f WHERE f.class = COALESCE(:class, 'ott-messaging')"
        " AND f.last_ts_us >= :from AND f.first_ts_us < :to"
        " AND (:service IS NULL OR f.service = :service COLLATE NOCASE)),"
        " fy AS (SELECT fx.*, COALESCE(sub_src, CASE WHEN sub_dst IS NULL THEN sub_teid END)"
        " AS skey, src_ip AS l_ip, dst_ip AS r_ip, dst_port AS r_port, proto AS r_proto,"
        " sub_dst AS r_sub,"
        " 1 AS up_c2s FROM fx WHERE sub_src IS NOT NULL"
        " OR (sub_dst IS NULL AND sub_teid IS NOT NULL)"
        " OR (sub_dst IS NULL AND sub_teid IS NULL AND " LOCAL_END("src_ip", "dst_ip") ")"
        " OR (:home_net = 0 AND sub_dst IS NULL AND sub_teid IS NULL"
        " AND NOT trapline_local(dst_ip))"
        " UNION ALL SELECT fx.*, sub_dst, dst_ip, src_ip, src_port, proto,"
        " COALESCE(sub_src, sub_teid), 0 FROM fx WHERE sub_dst IS NOT NULL"
        " OR (sub_src IS NULL AND sub_teid IS NULL AND " LOCAL_END("dst_ip", "src_ip") ")),"
        " fo AS (SELECT * FROM (SELECT fy.*, COALESCE(skey, l_ip) AS subject,"
        " CASE WHEN skey IS NOT NULL THEN 'subscriber' WHEN trapline_local(l_ip)"
        " THEN 'local-endpoint' ELSE 'client-address' END AS subject_kind,"
        " CASE WHEN instr(r_ip, ':') THEN '[' || r_ip || ']' ELSE r_ip END"
        " || ':' || r_port || '/' || CASE r_proto WHEN 6 THEN 'tcp' WHEN 17 THEN 'udp'"
        " WHEN 132 THEN 'sctp' ELSE r_proto END AS relay,"
        " CASE WHEN act = 'call' AND (trapline_local(r_ip) OR r_sub IS NOT NULL"
        " OR (method IN ('ndpi', 'call-socket', 'port', 'none', 'preamble')"
        " AND r_port >= 1024 AND r_port NOT IN (3478, 3479, 5349, 19302, 19305)"
        " AND r_ip NOT IN (SELECT dst_ip FROM flows WHERE dst_port IN"
        " (443, 5222, 5223, 3478, 3479, 5349, 19302, 19305)))) THEN 'peer'"
        " ELSE 'relay' END AS role,"
        " CASE WHEN up_c2s THEN bytes_c2s ELSE bytes_s2c END AS b_up,"
        " CASE WHEN up_c2s THEN bytes_s2c ELSE bytes_c2s END AS b_down FROM fy)"
        " WHERE :subjects IS NULL OR subject IN (SELECT v FROM sel))",
        c->has_activity ? "f.activity" : "''", sub_src, sub_dst,
        c->has_sub ? sub_teid : "NULL");
    if (stage == CTE_QUERY && has_ott)
        appendf(out, n, &k,
            " oa AS (SELECT f.subject, f.service, f.id AS flow_id, f.act,"
            " COALESCE(e.ts_us, f.first_ts_us) AS t0, COALESCE(%s, f.last_ts_us) AS t1,"
            " COALESCE(e.bytes, f.bytes_c2s + f.bytes_s2c) AS bytes,"
            " e.ts_us IS NOT NULL AS burst FROM fo f LEFT JOIN ott_events e ON %s"
            " WHERE COALESCE(e.ts_us, f.first_ts_us) >= :from"
            " AND COALESCE(e.ts_us, f.first_ts_us) < :to) ",
            c->ott_end ? "e.end_ts_us, e.ts_us" : "e.ts_us", c->ott_join);
    else if (stage == CTE_QUERY)
        appendf(out, n, &k,
            " oa AS (SELECT subject, service, id AS flow_id, act, first_ts_us AS t0,"
            " last_ts_us AS t1, bytes_c2s + bytes_s2c AS bytes, 0 AS burst FROM fo) ");
    return k < n ? 0 : RC_LIMIT;
}

static int q(struct ctx *c, struct rt_table *t, const char *pre, const char *body)
{
    char *sql = malloc(SQL_MAX);
    if (!sql)
        return err_set(c->e, RC_NOMEM, "out of memory");
    snprintf(sql, SQL_MAX, "%s%s", pre, body);
    int rc = fill(c, t, sql);
    free(sql);
    return rc;
}

/* TEMP TABLE report_fo: the OTT flows in scope, one row per end that is a
 * subject, with its subscriber, role and bytes (cte's fo).  The filter is
 * the same for every section, so the flows are attributed once per report,
 * not once per section, and the table is indexed by subject for the
 * sections that look a subject's flows up. */
static int ott_flows(struct ctx *c)
{
    char *sql = malloc(SQL_MAX);
    if (!sql)
        return err_set(c->e, RC_NOMEM, "out of memory");
    static const char head[] = "CREATE TEMP TABLE report_fo AS ";
    int rc = sqlx_exec(c->db, "report: OTT flows", "DROP TABLE IF EXISTS temp.report_fo", c->e);
    /* the SMS views and oa belong to CTE_QUERY only */
    if (!rc && cte(c, CTE_FO, false, false, sql + strlen(head),
                   SQL_MAX - strlen(head) - 32))
        rc = err_set(c->e, RC_LIMIT, "report query longer than %d bytes", SQL_MAX);
    if (!rc) {
        memcpy(sql, head, strlen(head));
        strcat(sql, " SELECT * FROM fo");
        sqlite3_stmt *st = NULL;
        rc = prep(c, sql, &st);
        if (!rc && sqlite3_step(st) != SQLITE_DONE)
            rc = err_set(c->e, RC_SQL, "report: OTT flows: %s", sqlite3_errmsg(c->db));
        sqlite3_finalize(st);
    }
    if (!rc)
        rc = sqlx_exec(c->db, "report: OTT flows",
                       "CREATE INDEX temp.report_fo_subject ON report_fo(subject)", c->e);
    free(sql);
    return rc;
}

/* TEMP TABLE subscriber_keys: every subscriber session with its subject key
 * (the IMSI; for a session without one, the IMSI of another session with
 * the same MSISDN, else the canonical MSISDN, user name or IMEI), and the
 * home networks (the option and every run's home_net) for trapline_local.
 * It is made once per report, with the indexes its readers look up by (the
 * key, the canonical MSISDN, the UE address per run): a view would compute
 * every key again in every lookup, which made a report quadratic in the
 * sessions and the flows.  Temp objects live in the read-only connection
 * (as report/scope.c's). */
static int subscriber_keys(struct ctx *c, struct report_model *m)
{
    if (localnet_add(&m->home, c->f->home_net, c->e))
        return RC_USAGE;
    if (sqlx_has_column(c->db, "runs", "home_net")) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(c->db, "SELECT DISTINCT home_net FROM runs WHERE home_net <> ''",
                               -1, &st, NULL) != SQLITE_OK)
            return err_set(c->e, RC_SQL, "report: %s", sqlite3_errmsg(c->db));
        int rc = 0;
        while (!rc && sqlite3_step(st) == SQLITE_ROW)
            rc = localnet_add(&m->home, (const char *)sqlite3_column_text(st, 0), c->e);
        sqlite3_finalize(st);
        if (rc)
            return rc;
    }
    c->home_net = m->home.n > 0;
    if (localnet_register(c->db, &m->home))
        return err_set(c->e, RC_SQL, "report: cannot register trapline_local: %s",
                       sqlite3_errmsg(c->db));
    /* msisdn_imsi: per canonical MSISDN, the least IMSI bound with it */
    static const char with_sub[] =
              "DROP TABLE IF EXISTS temp.subscriber_keys;"
              "DROP TABLE IF EXISTS temp.msisdn_imsi;"
              "CREATE TEMP TABLE msisdn_imsi AS SELECT trapline_identity(msisdn) AS msisdn_c,"
              " MIN(imsi) AS imsi FROM subscriber_sessions WHERE imsi <> '' GROUP BY 1;"
              "CREATE INDEX temp.msisdn_imsi_c ON msisdn_imsi(msisdn_c);"
              "CREATE TEMP TABLE subscriber_keys AS SELECT s.run_id, s.binding_id, s.start_us,"
              " s.end_us, s.ue_ipv4, %s AS ue_v6_64, s.imsi, s.imei, s.apn, s.cell, s.source,"
              " trapline_identity(s.msisdn) AS msisdn_c,"
              " COALESCE(NULLIF(s.imsi, ''), CASE WHEN s.msisdn <> '' THEN (SELECT m.imsi"
              " FROM temp.msisdn_imsi m WHERE m.msisdn_c = trapline_identity(s.msisdn)) END,"
              " NULLIF(trapline_identity(s.msisdn), ''), NULLIF(s.user_name, ''),"
              " NULLIF(s.imei, ''), 'binding-' || s.binding_id) AS skey"
              " FROM subscriber_sessions s;"
              "CREATE INDEX temp.subscriber_keys_skey ON subscriber_keys(skey);"
              "CREATE INDEX temp.subscriber_keys_msisdn ON subscriber_keys(msisdn_c);"
              "CREATE INDEX temp.subscriber_keys_v4 ON subscriber_keys(run_id, ue_ipv4);"
              "CREATE INDEX temp.subscriber_keys_v6 ON subscriber_keys(run_id, ue_v6_64);"
              "CREATE INDEX temp.subscriber_keys_binding ON subscriber_keys(run_id, binding_id);"
              /* report_teids: the user-plane TEIDs of each session, with
               * its key and interval, by TEID */
              "DROP TABLE IF EXISTS temp.report_teids;"
              "CREATE TEMP TABLE report_teids AS SELECT t.run_id, t.teid, t.node, sk.skey,"
              " sk.start_us, sk.end_us FROM subscriber_teids t JOIN subscriber_keys sk ON sk.run_id = t.run_id"
              " AND sk.binding_id = t.binding_id WHERE t.control = 0;"
              "CREATE INDEX temp.report_teids_teid ON report_teids(run_id, teid);";
    char sql_sub[sizeof with_sub + 16];
    snprintf(sql_sub, sizeof sql_sub, with_sub, c->has_v6 ? "s.ue_v6_64" : "NULL");
    const char *sql =
        c->has_sub
            ? sql_sub
            : "DROP TABLE IF EXISTS temp.subscriber_keys;"
              "CREATE TEMP TABLE subscriber_keys (run_id, binding_id, start_us, end_us,"
              " ue_ipv4, ue_v6_64, imsi, imei, apn, cell, source, msisdn_c, skey);";
    return sqlx_exec(c->db, "report: subscriber keys", sql, c->e);
}

static int build_header(struct ctx *c, struct report_model *m)
{
    struct rt_table *t = m->t;
    int rc = rt_init(&t[RM_RUNS], "runs", "Runs", RT_SCOPE_HEADER, "", c->e);
    if (!rc)
        rc = fill(c, &t[RM_RUNS], "SELECT * FROM runs ORDER BY id");
    if (!rc)
        rc = rt_init(&t[RM_INPUTS], "inputs", "Inputs (provenance)", RT_SCOPE_HEADER, "", c->e);
    if (!rc)
        rc = fill(c, &t[RM_INPUTS], "SELECT * FROM inputs ORDER BY run_id, seq");
    if (!rc)
        rc = rt_init(&t[RM_RUN_STATS], "run_stats", "Run counters", RT_SCOPE_HEADER, "", c->e);
    if (!rc)
        rc = fill(c, &t[RM_RUN_STATS], "SELECT * FROM run_stats ORDER BY run_id, name");
    t[RM_RUNS].present = t[RM_INPUTS].present = t[RM_RUN_STATS].present = true;
    return rc;
}

/* Runs recorded 'running' whose process is gone (store_run_alive) are shown
 * as 'interrupted' (a read-only report cannot mark them; the next writer
 * does), and every interrupted run is counted for the warning. */
static int mark_interrupted(struct store *s, struct report_model *m, struct err *e)
{
    struct rt_table *t = &m->t[RM_RUNS];
    int ks = rt_col(t, "status"), ki = rt_col(t, "id");
    if (ks < 0 || ki < 0)
        return 0;
    for (size_t r = 0; r < t->nrows; r++) {
        struct rt_cell *c = t->cells + r * t->ncols + ks;
        long long id = rt_at(t, r, (size_t)ki)->i;
        if (!c->s)
            continue;
        if (strcmp(c->s, "running") == 0 && !store_run_alive(s, id)) {
            char *v = strdup("interrupted");
            if (!v)
                return err_set(e, RC_NOMEM, "out of memory");
            free(c->s);
            c->s = v;
        }
        if (strcmp(c->s, "interrupted") == 0 && m->ninterrupted < RM_MAX_WARN_RUNS)
            m->interrupted[m->ninterrupted++] = id;
        else if (strcmp(c->s, "interrupted") == 0)
            m->interrupted_more++;
    }
    return 0;
}

void report_model_warning(const struct report_model *m, char *out, size_t n)
{
    out[0] = '\0';
    if (!m->ninterrupted)
        return;
    size_t k = (size_t)snprintf(out, n, "WARNING: %zu run%s interrupted (", 
                                m->ninterrupted + m->interrupted_more,
                                m->ninterrupted + m->interrupted_more == 1 ? "" : "s");
    for (size_t i = 0; i < m->ninterrupted && k < n; i++)
        k += (size_t)snprintf(out + k, n - k, "%s%lld", i ? ", " : "run ", m->interrupted[i]);
    if (k < n)
        snprintf(out + k, n - k,
                 "%s): the process ended without finishing, so its records stop at the last"
                 " commit and inputs marked 'interrupted' were not read to their end",
                 m->interrupted_more ? ", ..." : "");
}

/* Growing text buffer for the authority block (bounded: RM_AUTH_MAX). */
#define RM_AUTH_MAX (256u * 1024u)

struct sbuf {
    char *p;
    size_t n, cap;
    bool oom;
};

__attribute__((format(printf, 2, 3))) static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
    va_list ap;
    for (int tries = 0; tries < 2 && !b->oom; tries++) {
        va_start(ap, fmt);
        int w = vsnprintf(b->p ? b->p + b->n : NULL, b->p ? b->cap - b->n : 0, fmt, ap);
        va_end(ap);
        if (w < 0)
            return;
        if (b->p && (size_t)w < b->cap - b->n) {
            b->n += (size_t)w;
            return;
        }
        size_t nc = b->cap + (size_t)w + 256;
        if (nc > RM_AUTH_MAX) {
            b->oom = true; /* cut: the block is already far too long to read */
            return;
        }
        char *q = realloc(b->p, nc);
        if (!q) {
            b->oom = true;
            return;
        }
        b->p = q;
        b->cap = nc;
        if (b->n == 0)
            b->p[0] = '\0';
    }
}

static const char *col_s(sqlite3_stmt *st, int k)
{
    const unsigned char *v = sqlite3_column_text(st, k);
    return v ? (const char *)v : "";
}

/* Authority lines per run, drop counters and audit head (issue 11). */
static int build_authority(struct ctx *c, struct report_model *m)
{
    struct sbuf a = {0}, d = {0};
    bool scoped = sqlx_has_table(c->db, "scope_snapshots", true) &&
                  sqlx_has_column(c->db, "runs", "basis");
    const char *sql =
        scoped ? "SELECT r.id, r.basis, s.liid, s.authority_kind, s.reference, s.issued_by,"
                 " s.issued, s.targets, s.window_from_us, s.window_to_us, s.outputs,"
                 " s.operator, s.file, s.sha256"
                 " FROM runs r LEFT JOIN scope_snapshots s ON s.run_id = r.id ORDER BY r.id"
               : "SELECT id, 'research' FROM runs ORDER BY id";
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
        return err_set(c->e, RC_SQL, "report query: %s", sqlite3_errmsg(c->db));
    while (sqlite3_step(st) == SQLITE_ROW) {
        long long run = sqlite3_column_int64(st, 0);
        if (!scoped || sqlite3_column_type(st, 2) == SQLITE_NULL) {
            sb_printf(&a, "%sRun %lld: RESEARCH MODE - no authorisation was recorded (run without"
                          " --scope): not bound to any order, targets or validity window.",
                      a.n ? "\n" : "", run);
            continue;
        }
        char f[48], t[48];
        rt_format_time(sqlite3_column_int64(st, 8), f);
        rt_format_time(sqlite3_column_int64(st, 9), t);
        sb_printf(&a,
                  "%sRun %lld: case (LIID) %s; authority %s, reference %s, issued by %s on %s;"
                  " targets: %s; validity window [%s, %s); outputs allowed: %s; operator: %s;"
                  " scope file %s, SHA-256 %s.",
                  a.n ? "\n" : "", run, col_s(st, 2), col_s(st, 3), col_s(st, 4), col_s(st, 5),
                  col_s(st, 6), col_s(st, 7), f, t, col_s(st, 10), col_s(st, 11), col_s(st, 12),
                  col_s(st, 13));
    }
    sqlite3_finalize(st);
    if (!a.n)
        sb_printf(&a, "No runs in this database: no authorisation was recorded.");
    /* Drop counters: run_stats rows scope_dropped_<kind>_<reason>. */
    if (sqlite3_prepare_v2(c->db,
                           "SELECT run_id, substr(name, 15), value FROM run_stats"
                           " WHERE name LIKE 'scope\\_dropped\\_%' ESCAPE '\\'"
                           " ORDER BY run_id, name",
                           -1, &st, NULL) != SQLITE_OK) {
        free(a.p);
        return err_set(c->e, RC_SQL, "report query: %s", sqlite3_errmsg(c->db));
    }
    long long last = -1;
    bool any = true; /* the current run has a non-zero counter printed */
    while (sqlite3_step(st) == SQLITE_ROW) {
        long long run = sqlite3_column_int64(st, 0), v = sqlite3_column_int64(st, 2);
        if (run != last) {
            sb_printf(&d, "%s%sOut of scope, dropped before storage (run %lld):",
                      any ? "" : " none", d.n ? ".\n" : "", run);
            any = false;
            last = run;
        }
        if (v) /* zero counters stay in run_stats; the statement names what happened */
            sb_printf(&d, "%s %s %lld", any ? "," : "", col_s(st, 1), v);
        any = any || v;
    }
    sqlite3_finalize(st);
    if (d.n)
        sb_printf(&d, "%s.", any ? "" : " none");
    if (sqlx_has_table(c->db, "audit_log", true) &&
        sqlite3_prepare_v2(c->db, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
                           -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            snprintf(m->audit_head, sizeof m->audit_head, "seq %lld, SHA-256 %s",
                     (long long)sqlite3_column_int64(st, 0), col_s(st, 1));
        sqlite3_finalize(st);
    }
    if (a.oom || d.oom || !a.p) {
        free(a.p);
        free(d.p);
        return err_set(c->e, RC_NOMEM, "out of memory (authority block)");
    }
    m->authority = a.p;
    m->scope_dropped = d.p ? d.p : calloc(1, 1);
    return m->scope_dropped ? 0 : err_set(c->e, RC_NOMEM, "out of memory");
}

static int build_records(struct ctx *c, struct report_model *m)
{
    struct rt_table *t = m->t;
    int rc = rt_init(&t[RM_FLOWS], "flows", "Flow records", RT_SCOPE_RECORD, "", c->e);
    if (!rc)
        rc = fill(c, &t[RM_FLOWS],
                  "SELECT * FROM flows WHERE last_ts_us >= :from AND first_ts_us < :to"
                  " AND (:class IS NULL OR class = :class)"
                  " AND (:service IS NULL OR service = :service COLLATE NOCASE)"
                  " AND (:subjects IS NULL OR " SUBJ_IN("src_ip") " OR " SUBJ_IN("dst_ip") ")"
                  " ORDER BY run_id, id");
    t[RM_FLOWS].present = true;
    /* community_id per flow (Zeek/Suricata join key), computed here. */
    struct rt_table *fl = &t[RM_FLOWS];
    int kp = rt_col(fl, "proto"), ks = rt_col(fl, "src_ip"), kd = rt_col(fl, "dst_ip");
    int ksp = rt_col(fl, "src_port"), kdp = rt_col(fl, "dst_port");
    if (!rc && kp >= 0 && ks >= 0 && kd >= 0 && ksp >= 0 && kdp >= 0) {
        /* Add the columns by widening every row (columns are fixed once rows
         * exist): community_id, and the tshark display filter of the flow. */
        size_t old = fl->ncols, w = old + 2;
        int kf = rt_col(fl, "first_ts_us"), kl = rt_col(fl, "last_ts_us");
        struct rt_cell *cells = calloc(fl->nrows ? fl->nrows : 1, w * sizeof *cells);
        char *name = strdup("community_id"), *fname = strdup("tshark_filter");
        if (!cells || !name || !fname || w > RT_MAX_COLS) {
            free(cells);
            free(name);
            free(fname);
            return err_set(c->e, RC_NOMEM, "out of memory");
        }
        for (size_t r = 0; r < fl->nrows; r++) {
            memcpy(cells + r * w, fl->cells + r * old, old * sizeof *cells);
            const struct rt_cell *row = fl->cells + r * old;
            long long proto = row[kp].i;
            char id[COMMUNITY_ID_LEN + 1];
            /* ICMP ids need type/code, which the flows table does not keep. */
            if (proto != L4_ICMP && proto != L4_ICMPV6 && row[ks].type == RT_TEXT &&
                row[kd].type == RT_TEXT &&
                community_id_v1(0, (uint8_t)proto, row[ks].s, row[kd].s,
                                (uint16_t)row[ksp].i, (uint16_t)row[kdp].i, id) == 0 &&
                rt_set_text(&cells[r * w + old], id, c->e))
                rc = RC_NOMEM;
            char filt[TSHARK_FILTER_MAX];
            if (kf >= 0 && kl >= 0 && row[ks].type == RT_TEXT && row[kd].type == RT_TEXT &&
                tshark_filter_flow((uint8_t)proto, row[ks].s, (uint16_t)row[ksp].i, row[kd].s,
                                   (uint16_t)row[kdp].i, (uint64_t)row[kf].i,
                                   (uint64_t)row[kl].i, filt) == 0 &&
                rt_set_text(&cells[r * w + old + 1], filt, c->e))
                rc = RC_NOMEM;
        }
        free(fl->cells);
        fl->cells = cells;
        fl->cap = fl->nrows ? fl->nrows : 1;
        fl->cols[old] = name;
        fl->coltype[old] = RT_TEXT;
        fl->cols[old + 1] = fname;
        fl->coltype[old + 1] = RT_TEXT;
        fl->ncols = w;
    }
    if (!rc)
        rc = rt_init(&t[RM_SMS_EVENTS], "sms_events", "SMS records", RT_SCOPE_RECORD, "", c->e);
    if (!rc && m->has_sms) {
        t[RM_SMS_EVENTS].present = true;
        rc = fill(c, &t[RM_SMS_EVENTS],
                  "SELECT * FROM sms_events WHERE ts_us >= :from AND ts_us < :to"
                  " AND (:class IS NULL OR :class = 'carrier-sms')"
                  " AND (:service IS NULL OR protocol = :service COLLATE NOCASE)"
                  " AND (:subjects IS NULL OR " SUBJ_ID_IN("originator") " OR "
                  SUBJ_ID_IN("recipient") ") ORDER BY ts_us, rowid");
    }
    if (!rc)
        rc = rt_init(&t[RM_OTT_EVENTS], "ott_events", "OTT activity bursts (inferred)",
                     RT_SCOPE_RECORD, "", c->e);
    if (!rc && m->has_ott_events) {
        char sql[1024];
        snprintf(sql, sizeof sql,
                 "SELECT e.* FROM ott_events e JOIN flows f ON %s"
                 " WHERE e.ts_us >= :from AND e.ts_us < :to"
                 " AND (:class IS NULL OR f.class = :class)"
                 " AND (:service IS NULL OR f.service = :service COLLATE NOCASE)"
                 " AND (:subjects IS NULL OR " SUBJ_IN("f.src_ip") ")"
                 " ORDER BY e.ts_us, e.flow_id, e.rowid", c->ott_join);
        t[RM_OTT_EVENTS].present = t[RM_OTT_EVENTS].inferred = true;
        rc = fill(c, &t[RM_OTT_EVENTS], sql);
    }
    return rc;
}

static int build_subjects(struct ctx *c, struct report_model *m, const char *pre)
{
    struct rt_table *t = m->t;
    char hours[2048], days[1024];
    size_t k = 0;
    for (int h = 0; h < 24; h++)
        appendf(hours, sizeof hours, &k, ", SUM(h = %d)", h);
    static const char *const dn[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    k = 0;
    for (int d = 0; d < 7; d++)
        appendf(days, sizeof days, &k, ", SUM(w = %d)", (d + 1) % 7);
    char cols_h[512] = "subject,kind:s", cols_d[256] = "subject,kind:s";
    for (int h = 0; h < 24; h++)
        snprintf(cols_h + strlen(cols_h), sizeof cols_h - strlen(cols_h), ",h%02d:i", h);
    for (int d = 0; d < 7; d++)
        snprintf(cols_d + strlen(cols_d), sizeof cols_d - strlen(cols_d), ",%s:i", dn[d]);

    int rc = rt_init(&t[RM_SUBJECTS], "subjects", "Subjects", RT_SCOPE_SUBJECT,
                     "subject:s,kind:s,identities:s,sms_records:i,ott_sessions:i,calls:i,"
                     "first_seen:t,last_seen:t", c->e);
    if (!rc)
        rc = q(c, &t[RM_SUBJECTS], pre,
               "SELECT subject, CASE WHEN EXISTS (SELECT 1 FROM subscriber_keys sk"
               " WHERE sk.skey = subject) THEN 'subscriber'"
               " WHEN SUM(sms) > 0 THEN 'subscriber-number'"
               " WHEN MAX(kind) <> '' THEN MAX(kind) ELSE 'no-records' END,"
               " (SELECT group_concat(v) FROM (SELECT DISTINCT v FROM (SELECT sk.imsi AS v"
               " FROM subscriber_keys sk WHERE sk.skey = subject UNION ALL SELECT sk.msisdn_c"
               " FROM subscriber_keys sk WHERE sk.skey = subject UNION ALL SELECT sk.imei"
               " FROM subscriber_keys sk WHERE sk.skey = subject) WHERE v <> '' ORDER BY v)),"
               " SUM(sms), SUM(ott), (SELECT COUNT(DISTINCT x.service || '/' || CASE WHEN"
               " x.up_c2s THEN x.src_port ELSE x.dst_port END) FROM temp.report_fo x"
               " WHERE x.subject = u.subject AND x.act = 'call'), MIN(t0), MAX(t1) FROM ("
               " SELECT subject, 1 AS sms, 0 AS ott, 0 AS call, '' AS kind, ts_us AS t0,"
               " ts_us AS t1 FROM ss"
               " UNION ALL SELECT subject, 0, act <> 'call', act = 'call', subject_kind,"
               " first_ts_us, last_ts_us FROM fo"
               " UNION ALL SELECT trapline_identity(j.value), 0, 0, 0, '', NULL, NULL"
               " FROM json_each(:subjects) j WHERE NOT EXISTS (SELECT 1 FROM subscriber_keys sk"
               " WHERE trapline_identity(j.value) IN (sk.imsi, sk.msisdn_c, sk.imei, sk.ue_ipv4))"
               " UNION ALL SELECT v, 0, 0, 0, '', NULL, NULL FROM sel"
               " WHERE v IN (SELECT skey FROM subscriber_keys)) u"
               " GROUP BY subject ORDER BY SUM(sms) = 0, subject");
    if (!rc)
        rc = rt_init(&t[RM_SMS_CONTACTS], "sms_contacts", "SMS contact records",
                     RT_SCOPE_SUBJECT,
                     "subject:s,counterpart:s,direction:s,count:i,first:t,last:t,protocols:s,"
                     "legs:i",
                     c->e);
    /* count: messages (issue 19: the legs of one SMS are one message);
     * legs: the sms_events rows behind them */
    if (!rc)
        rc = q(c, &t[RM_SMS_CONTACTS], pre,
               "SELECT subject, counterpart, dir, COUNT(*), MIN(ts_us), MAX(ts_us),"
               " (SELECT group_concat(DISTINCT l.protocol) FROM sl l WHERE l.subject = ss.subject"
               " AND l.counterpart = ss.counterpart AND l.dir = ss.dir), SUM(legs) FROM ss"
               " GROUP BY subject, counterpart, dir"
               " ORDER BY subject, COUNT(*) DESC, counterpart, dir");
    if (!rc)
        rc = rt_init(&t[RM_SMS_MESSAGES], "sms_messages", "SMS messages and their legs",
                     RT_SCOPE_SUBJECT,
                     "subject:s,counterpart:s,direction:s,first:t,legs:i,path:s", c->e);
    if (!rc)
        rc = q(c, &t[RM_SMS_MESSAGES], pre,
               "SELECT subject, counterpart, dir, ts_us, legs, path FROM ss"
               " ORDER BY subject, ts_us, counterpart, dir");
    if (!rc)
        rc = rt_init(&t[RM_OTT_SESSIONS], "ott_sessions", "OTT messaging sessions",
                     RT_SCOPE_SUBJECT,
                     "subject:s,service:s,relay:s,server_name:s,sessions:i,first:t,last:t,"
                     "total_duration_s:d,bytes_up:i,bytes_down:i,bursts:i,method:s,"
                     "min_confidence:i", c->e);
    if (!rc) {
        char body[1024];
        snprintf(body, sizeof body,
                 "SELECT f.subject, f.service, f.relay, MAX(f.server_name), COUNT(*),"
                 " MIN(f.first_ts_us), MAX(f.last_ts_us), SUM(f.last_ts_us - f.first_ts_us),"
                 " SUM(f.b_up), SUM(f.b_down), %s, group_concat(DISTINCT f.method),"
                 " MIN(f.confidence) FROM fo f %s WHERE f.act <> 'call'"
                 " GROUP BY f.subject, f.service, f.relay"
                 " ORDER BY f.subject, SUM(f.b_up + f.b_down) DESC, f.service, f.relay",
                 m->has_ott_events ? "SUM(COALESCE(b.n, 0))" : "NULL",
                 m->has_ott_events ? "LEFT JOIN (SELECT flow_id, COUNT(*) AS n FROM oa"
                                     " WHERE burst GROUP BY flow_id) b ON b.flow_id = f.id"
                                   : "");
        rc = q(c, &t[RM_OTT_SESSIONS], pre, body);
    }
    if (!rc)
        rc = rt_init(&t[RM_OTT_BURSTS], "ott_bursts", "Inferred OTT activity bursts",
                     RT_SCOPE_SUBJECT,
                     "subject:s,service:s,flow_id:i,start:t,end:t,bytes:i", c->e);
    t[RM_OTT_BURSTS].inferred = true;
    if (!rc && m->has_ott_events)
        rc = q(c, &t[RM_OTT_BURSTS], pre,
               "SELECT subject, service, flow_id, t0, t1, bytes FROM oa WHERE burst"
               " ORDER BY subject, t0, flow_id");
    if (!rc)
        rc = rt_init(&t[RM_ACTIVITY_HOUR], "activity_hour", "Activity by hour of day (UTC)",
                     RT_SCOPE_SUBJECT, cols_h, c->e);
    char *body = malloc(SQL_MAX);
    if (!body)
        return err_set(c->e, RC_NOMEM, "out of memory");
    if (!rc) {
        snprintf(body, SQL_MAX,
                 "SELECT subject, kind%s FROM (SELECT subject, 'sms' AS kind,"
                 " CAST(strftime('%%H', ts_us / 1000000, 'unixepoch') AS INTEGER) AS h FROM ss"
                 " UNION ALL SELECT subject, 'ott', CAST(strftime('%%H', t0 / 1000000,"
                 " 'unixepoch') AS INTEGER) FROM oa) GROUP BY subject, kind"
                 " ORDER BY subject, kind", hours);
        rc = q(c, &t[RM_ACTIVITY_HOUR], pre, body);
    }
    if (!rc)
        rc = rt_init(&t[RM_ACTIVITY_WEEKDAY], "activity_weekday",
                     "Activity by day of week (UTC)", RT_SCOPE_SUBJECT, cols_d, c->e);
    if (!rc) {
        snprintf(body, SQL_MAX,
                 "SELECT subject, kind%s FROM (SELECT subject, 'sms' AS kind,"
                 " CAST(strftime('%%w', ts_us / 1000000, 'unixepoch') AS INTEGER) AS w FROM ss"
                 " UNION ALL SELECT subject, 'ott', CAST(strftime('%%w', t0 / 1000000,"
                 " 'unixepoch') AS INTEGER) FROM oa) GROUP BY subject, kind"
                 " ORDER BY subject, kind", days);
        rc = q(c, &t[RM_ACTIVITY_WEEKDAY], pre, body);
    }
    free(body);
    if (!rc)
        rc = rt_init(&t[RM_COMMON_COUNTERPARTS], "common_counterparts",
                     "Counterparts common to several subjects", RT_SCOPE_CROSS,
                     "kind:s,counterpart:s,subjects:i,subject_list:s,records:i", c->e);
    if (!rc)
        rc = q(c, &t[RM_COMMON_COUNTERPARTS], pre,
               "SELECT 'sms-address', counterpart, COUNT(DISTINCT subject),"
               " group_concat(DISTINCT subject), COUNT(*) FROM ss GROUP BY counterpart"
               " HAVING COUNT(DISTINCT subject) > 1"
               /* relays are service infrastructure: reported per service
                * (OTT sessions, calls), never as a link between subjects */
               " UNION ALL SELECT 'ott-peer', r_ip, COUNT(DISTINCT subject),"
               " group_concat(DISTINCT subject), COUNT(*) FROM fo WHERE role = 'peer'"
               " GROUP BY r_ip HAVING COUNT(DISTINCT subject) > 1 ORDER BY 3 DESC, 1, 2");
    if (!rc)
        rc = rt_init(&t[RM_COMMON_SERVICES], "common_services",
                     "Services common to several subjects", RT_SCOPE_CROSS,
                     "kind:s,service:s,subjects:i,subject_list:s,records:i", c->e);
    if (!rc)
        rc = q(c, &t[RM_COMMON_SERVICES], pre,
               "SELECT 'carrier-sms', protocol, COUNT(DISTINCT subject),"
               " group_concat(DISTINCT subject), COUNT(*) FROM sl GROUP BY protocol"
               " HAVING COUNT(DISTINCT subject) > 1"
               " UNION ALL SELECT 'ott', service, COUNT(DISTINCT subject),"
               " group_concat(DISTINCT subject), COUNT(*) FROM fo GROUP BY service"
               " HAVING COUNT(DISTINCT subject) > 1 ORDER BY 3 DESC, 1, 2");
    if (!rc)
        rc = rt_init(&t[RM_TL_SMS], "timeline_sms", "", RT_SCOPE_INTERNAL,
                     "subject:s,ts:t,direction:s,counterpart:s", c->e);
    if (!rc)
        rc = q(c, &t[RM_TL_SMS], pre,
               "SELECT subject, ts_us, dir, counterpart FROM ss ORDER BY subject, ts_us");
    if (!rc)
        rc = rt_init(&t[RM_TL_OTT], "timeline_ott", "", RT_SCOPE_INTERNAL,
                     "subject:s,start:t,end:t,service:s,bytes:i,burst:i,activity:s", c->e);
    /* calls and messaging apart (the missed periods list them separately) */
    if (!rc)
        rc = q(c, &t[RM_TL_OTT], pre,
               "SELECT subject, t0, t1, service, bytes, burst,"
               " CASE WHEN act = 'call' THEN 'call' ELSE 'messaging' END FROM oa"
               " ORDER BY subject, act = 'call', t0, flow_id");
    /* Call records: the flows of one call socket of the subject (its local
     * port) with one service form one call. */
    if (!rc)
        rc = rt_init(&t[RM_OTT_CALLS], "ott_calls", "OTT calls", RT_SCOPE_SUBJECT,
                     "subject:s,service:s,start:t,end:t,duration_s:d,bytes_up:i,bytes_down:i,"
                     "via:s,remotes:s,flows:i", c->e);
    if (!rc)
        rc = q(c, &t[RM_OTT_CALLS], pre,
               "SELECT subject, service, MIN(first_ts_us), MAX(last_ts_us),"
               " MAX(last_ts_us) - MIN(first_ts_us), SUM(b_up), SUM(b_down),"
               " CASE WHEN SUM(role = 'peer') > 0 THEN 'peer' ELSE 'relay' END,"
               " group_concat(DISTINCT role || ' ' || relay), COUNT(*) FROM fo"
               " WHERE act = 'call' GROUP BY subject, service,"
               " CASE WHEN up_c2s THEN src_port ELSE dst_port END"
               " ORDER BY subject, MIN(first_ts_us), service");
    if (!rc)
        rc = rt_init(&t[RM_DIRECT_CONTACTS], "direct_contacts",
                     "Direct OTT contacts between subscribers (observed)", RT_SCOPE_SUBJECT,
                     "subject:s,contact:s,service:s,activity:s,first:t,last:t,flows:i,"
                     "bytes_up:i,bytes_down:i", c->e);
    if (!rc)
        rc = q(c, &t[RM_DIRECT_CONTACTS], pre,
               "SELECT subject, r_sub, service, group_concat(DISTINCT act), MIN(first_ts_us),"
               " MAX(last_ts_us), COUNT(*), SUM(b_up), SUM(b_down) FROM fo"
               " WHERE role = 'peer' AND r_sub IS NOT NULL AND r_sub <> subject"
               " GROUP BY subject, r_sub, service ORDER BY subject, r_sub, service");
    if (!rc)
        rc = rt_init(&t[RM_SUBSCRIBER_IDS], "subscriber_identities",
                     "Subscriber identities (control plane)", RT_SCOPE_SUBJECT,
                     "subject:s,imsi:s,msisdn:s,imei:s,apn:s,address:s,start:t,end:t,cell:s,"
                     "source:s", c->e);
    if (!rc)
        rc = q(c, &t[RM_SUBSCRIBER_IDS], pre,
               "SELECT skey, imsi, msisdn_c, imei, apn, ue_ipv4, start_us, end_us, cell, source"
               " FROM subscriber_keys WHERE start_us < :to"
               " AND COALESCE(end_us, 9223372036854775807) >= :from"
               " AND (skey IN (SELECT subject FROM fo) OR skey IN (SELECT subject FROM ss)"
               " OR skey IN (SELECT v FROM sel))"
               " ORDER BY skey, start_us, ue_ipv4");
    t[RM_OTT_CALLS].present = t[RM_DIRECT_CONTACTS].present = true;
    t[RM_SUBSCRIBER_IDS].present = c->has_sub;
    /* Hour-of-day x weekday (0 = Monday) per subject, for the heatmap. */
    if (!rc)
        rc = rt_init(&t[RM_TL_HEAT], "activity_heat", "", RT_SCOPE_INTERNAL,
                     "subject:s,weekday:i,hour:i,sms:i,ott:i", c->e);
    if (!rc)
        rc = q(c, &t[RM_TL_HEAT], pre,
               "SELECT subject, (w + 6) % 7, h, SUM(kind = 'sms'), SUM(kind = 'ott') FROM"
               " (SELECT subject, 'sms' AS kind,"
               " CAST(strftime('%w', ts_us / 1000000, 'unixepoch') AS INTEGER) AS w,"
               " CAST(strftime('%H', ts_us / 1000000, 'unixepoch') AS INTEGER) AS h FROM ss"
               " UNION ALL SELECT subject, 'ott',"
               " CAST(strftime('%w', t0 / 1000000, 'unixepoch') AS INTEGER),"
               " CAST(strftime('%H', t0 / 1000000, 'unixepoch') AS INTEGER) FROM oa)"
               " GROUP BY subject, w, h ORDER BY subject, 2, 3");
    t[RM_TL_HEAT].present = true;
    t[RM_SUBJECTS].present = t[RM_OTT_SESSIONS].present = true;
    t[RM_ACTIVITY_HOUR].present = t[RM_ACTIVITY_WEEKDAY].present = true;
    t[RM_COMMON_COUNTERPARTS].present = t[RM_COMMON_SERVICES].present = true;
    t[RM_TL_SMS].present = t[RM_TL_OTT].present = true;
    t[RM_SMS_CONTACTS].present = m->has_sms;
    t[RM_SMS_MESSAGES].present = m->has_sms;
    t[RM_OTT_BURSTS].present = m->has_ott_events;
    return rc;
}

/* Inferred contacts of the latest infer run (schema migration 5). */
static int build_inferred(struct ctx *c, struct report_model *m)
{
    struct rt_table *t = &m->t[RM_INFERRED_CONTACTS];
    int rc = rt_init(t, "inferred_contacts", "Inferred contact between subjects",
                     RT_SCOPE_CROSS,
                     "subject_a:s,subject_b:s,service:s,method:s,window_start:t,window_end:t,"
                     "events_a:i,events_b:i,matched:i,score:s,p_value:s,parameters:s,label:s,"
                     "caveat:s", c->e);
    t->inferred = true;
    t->present = m->has_inferred;
    if (rc || !m->has_inferred)
        return rc;
    char sql[1536];
    snprintf(sql, sizeof sql,
             "SELECT subject_a, subject_b, service, method, window_start_us, window_end_us,"
             " events_a, events_b, matched, printf('%%.3f', statistic),"
             " CASE WHEN p_value IS NULL THEN NULL ELSE printf('%%.4g', p_value) END,"
             " parameters, label, '%s' FROM inferred_contacts"
             " WHERE run_id = (SELECT MAX(id) FROM runs WHERE mode = 'infer')"
             " AND window_end_us > :from AND window_start_us < :to"
             " AND (:service IS NULL OR service = :service COLLATE NOCASE)"
             " AND (:subjects IS NULL OR " SUBJ_IN("subject_a") " OR " SUBJ_IN("subject_b") ")"
             " ORDER BY subject_a, subject_b, service, window_start_us, method",
             report_model_inferred_caveat_short);
    return fill(c, t, sql);
}

struct report_model *report_model_build(struct store *s, const struct rm_filter *f,
                                        long long generated_us, const char *version,
                                        struct err *e)
{
    struct report_model *m = calloc(1, sizeof *m);
    if (!m) {
        err_set(e, RC_NOMEM, "out of memory");
        return NULL;
    }
    m->generated_us = generated_us;
    snprintf(m->generator_version, sizeof m->generator_version, "%s", version ? version : "");
    m->filter = *f;
    struct ctx c = {.db = store_db(s), .f = f, .e = e};
    if (identity_register(c.db)) {
        err_set(e, RC_SQL, "report: cannot register trapline_identity: %s",
                sqlite3_errmsg(c.db));
        report_model_free(m);
        return NULL;
    }
    int rc = 0;
    if (f->nsubjects && !(c.subjects_json = subjects_json(f)))
        rc = err_set(e, RC_NOMEM, "out of memory");
    m->has_sms = sqlx_has_table(c.db, "sms_events", true) &&
                 sqlx_has_column(c.db, "sms_events", "ts_us") &&
                 sqlx_has_column(c.db, "sms_events", "originator") &&
                 sqlx_has_column(c.db, "sms_events", "recipient") &&
                 sqlx_has_column(c.db, "sms_events", "protocol") &&
                 sqlx_has_column(c.db, "sms_events", "direction");
    /* A section appears when its data does: an empty table (the schema
     * always has one) is the same as none. */
    m->has_ott_events = sqlx_has_table(c.db, "ott_events", true) &&
                        table_has_rows(c.db, "ott_events") &&
                        sqlx_has_column(c.db, "ott_events", "flow_id") &&
                        sqlx_has_column(c.db, "ott_events", "ts_us");
    m->has_inferred = sqlx_has_table(c.db, "inferred_contacts", true) &&
                      sqlx_has_column(c.db, "runs", "mode") &&
                      (table_has_rows(c.db, "inferred_contacts") || has_infer_run(c.db));
    c.has_sub = sqlx_has_table(c.db, "subscriber_sessions", true) &&
                sqlx_has_table(c.db, "subscriber_teids", true) &&
                sqlx_has_table(c.db, "flow_subscribers_teid", true);
    c.has_activity = sqlx_has_column(c.db, "flows", "activity");
    c.has_node = c.has_sub && sqlx_has_column(c.db, "flows", "tunnel_node") &&
                 sqlx_has_column(c.db, "flows", "tunnel_node_s2c");
    c.has_v6 = c.has_sub && sqlx_has_column(c.db, "flows", "src_v6_64") &&
               sqlx_has_column(c.db, "subscriber_sessions", "ue_v6_64");
    if (!rc)
        rc = subscriber_keys(&c, m);
    c.sms_flow_id = m->has_sms && sqlx_has_column(c.db, "sms_events", "flow_id");
    c.sms_run_id = m->has_sms && sqlx_has_column(c.db, "sms_events", "run_id");
    c.sms_msg = m->has_sms && sqlx_has_column(c.db, "sms_events", "message_id");
    c.sms_imsi = m->has_sms && sqlx_has_column(c.db, "sms_events", "imsi");
    c.sms_id = m->has_sms && sqlx_has_column(c.db, "sms_events", "id");
    c.sms_cut = m->has_sms && sqlx_has_column(c.db, "sms_events", "originator_cut") &&
                sqlx_has_column(c.db, "sms_events", "recipient_cut");
    c.ott_run_id = m->has_ott_events && sqlx_has_column(c.db, "ott_events", "run_id");
    c.ott_end = m->has_ott_events && sqlx_has_column(c.db, "ott_events", "end_ts_us");
    bool ott_bytes = m->has_ott_events && sqlx_has_column(c.db, "ott_events", "bytes");
    if (m->has_ott_events && !ott_bytes)
        m->has_ott_events = false;
    snprintf(c.ott_join, sizeof c.ott_join, "e.flow_id = f.id%s",
             c.ott_run_id ? " AND e.run_id = f.run_id" : "");
    char *pre = malloc(SQL_MAX);
    if (!pre && !rc)
        rc = err_set(e, RC_NOMEM, "out of memory");
    if (!rc) {
        rc = cte(&c, CTE_QUERY, m->has_sms, m->has_ott_events, pre, SQL_MAX)
                 ? err_set(e, RC_LIMIT, "report query longer than %d bytes", SQL_MAX)
                 : build_header(&c, m);
    }
    if (!rc && m->has_sms)
        rc = sms_legs(&c);
    if (!rc)
        rc = ott_flows(&c);
    if (!rc)
        rc = mark_interrupted(s, m, e);
    if (!rc)
        rc = build_authority(&c, m);
    if (!rc)
        rc = build_subjects(&c, m, pre);
    if (!rc)
        rc = build_records(&c, m);
    if (!rc)
        rc = report_links_periods(c.db, m, c.sms_flow_id, c.sms_run_id, e);
    if (!rc)
        rc = report_links_graph(m, e);
    if (!rc)
        rc = build_inferred(&c, m);
    /* the renderers visit the tables subject by subject */
    for (int i = 0; i < RM_TAB_COUNT && !rc; i++)
        if (m->t[i].ncols && strcmp(m->t[i].cols[0], "subject") == 0)
            rc = rt_index_subjects(&m->t[i], e);
    free(pre);
    free(c.subjects_json);
    if (rc) {
        report_model_free(m);
        return NULL;
    }
    return m;
}

void report_model_free(struct report_model *m)
{
    if (!m)
        return;
    for (int i = 0; i < RM_TAB_COUNT; i++)
        rt_free(&m->t[i]);
    free(m->authority);
    free(m->scope_dropped);
    free(m);
}

void report_model_filter_text(const struct report_model *m, char *out, size_t n)
{
    const struct rm_filter *f = &m->filter;
    size_t k = 0;
    out[0] = '\0';
    char t0[48], t1[48];
    if (f->from_us) {
        rt_format_time(f->from_us, t0);
        appendf(out, n, &k, "from %s; ", t0);
    }
    if (f->to_us) {
        rt_format_time(f->to_us, t1);
        appendf(out, n, &k, "to %s (exclusive); ", t1);
    }
    if (f->service)
        appendf(out, n, &k, "service %s; ", f->service);
    if (f->klass)
        appendf(out, n, &k, "class %s; ", f->klass);
    for (size_t i = 0; i < f->nsubjects; i++)
        appendf(out, n, &k, "%s%s%s", i ? ", " : "subjects ", f->subjects[i],
                i + 1 == f->nsubjects ? "; " : "");
    if (k >= 2 && k < n)
        out[k - 2] = '\0';
}
