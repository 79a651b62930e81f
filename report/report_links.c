/* report_links.c - OTT activity periods and the link chart (see
 * report_links.h). */
#include "report/report_links.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* Longest list of distinct services kept for one period. */
#define LINKS_SERVICES_MAX 256

struct period {
    const char *subject;
    long long t0, t1, activity, bytes;
    char services[LINKS_SERVICES_MAX];
};

static void add_service(struct period *p, const char *svc)
{
    if (!svc || !*svc)
        svc = "(unknown)";
    size_t l = strlen(svc);
    for (const char *s = p->services; *s;) {
        const char *comma = strchr(s, ',');
        size_t n = comma ? (size_t)(comma - s) : strlen(s);
        if (n == l && memcmp(s, svc, l) == 0)
            return;
        s += n + (comma ? 1 : 0);
    }
    size_t have = strlen(p->services);
    if (have + l + 2 < sizeof p->services)
        snprintf(p->services + have, sizeof p->services - have, "%s%s", have ? "," : "", svc);
}

static int emit(sqlite3_stmt *sms, struct rt_table *t, const struct period *p, struct err *e)
{
    long long nearby = -1;
    if (sms) {
        sqlite3_reset(sms);
        sqlite3_bind_text(sms, 1, p->subject, -1, SQLITE_STATIC);
        sqlite3_bind_int64(sms, 2, p->t0 - RM_PERIOD_GAP_US);
        sqlite3_bind_int64(sms, 3, p->t1 + RM_PERIOD_GAP_US);
        if (sqlite3_step(sms) != SQLITE_ROW)
            return err_set(e, RC_SQL, "report periods: %s",
                           sqlite3_errmsg(sqlite3_db_handle(sms)));
        nearby = sqlite3_column_int64(sms, 0);
    }
    struct rt_cell *row = rt_row(t, e);
    if (!row)
        return t->truncated ? 0 : RC_NOMEM;
    if (rt_set_text(&row[0], p->subject, e) || rt_set_text(&row[4], p->services, e))
        return RC_NOMEM;
    rt_set_time(&row[1], p->t0);
    rt_set_time(&row[2], p->t1);
    row[3].type = RT_DUR;
    row[3].i = p->t1 - p->t0;
    rt_set_int(&row[5], p->activity);
    rt_set_int(&row[6], p->bytes);
    if (nearby >= 0)
        rt_set_int(&row[7], nearby);
    return rt_set_text(&row[8], nearby > 0 ? "sms-record-nearby" : "missed", e);
}

int report_links_periods(sqlite3 *db, struct report_model *m, bool sms_flow_id,
                         bool sms_run_id, struct err *e)
{
    struct rt_table *t = &m->t[RM_OTT_PERIODS];
    int rc = rt_init(t, "ott_periods",
                     "What a carrier-only pen register would have missed", RT_SCOPE_SUBJECT,
                     "subject:s,start:t,end:t,duration_s:d,services:s,activity:i,bytes:i,"
                     "sms_records_nearby:i,carrier_only_view:s", e);
    if (rc)
        return rc;
    t->present = true;
    t->inferred = m->has_ott_events;
    sqlite3_stmt *sms = NULL;
    if (m->has_sms) {
        char sql[640];
        if (sms_flow_id)
            snprintf(sql, sizeof sql,
                     "SELECT COUNT(*) FROM sms_events s LEFT JOIN flows f ON s.flow_id = f.id%s"
                     " WHERE (s.originator = ?1 OR s.recipient = ?1 OR f.src_ip = ?1"
                     " OR f.dst_ip = ?1) AND s.ts_us BETWEEN ?2 AND ?3",
                     sms_run_id ? " AND s.run_id = f.run_id" : "");
        else
            snprintf(sql, sizeof sql,
                     "SELECT COUNT(*) FROM sms_events s WHERE (s.originator = ?1"
                     " OR s.recipient = ?1) AND s.ts_us BETWEEN ?2 AND ?3");
        if (sqlite3_prepare_v2(db, sql, -1, &sms, NULL) != SQLITE_OK)
            return err_set(e, RC_SQL, "report periods: %s", sqlite3_errmsg(db));
    }
    const struct rt_table *a = &m->t[RM_TL_OTT];
    struct period p = {0};
    bool open = false;
    for (size_t r = 0; r < a->nrows && !rc; r++) {
        const char *subj = rt_at(a, r, 0)->s ? rt_at(a, r, 0)->s : "";
        long long t0 = rt_at(a, r, 1)->i, t1 = rt_at(a, r, 2)->i;
        if (t1 < t0)
            t1 = t0;
        if (open && (strcmp(subj, p.subject) != 0 || t0 > p.t1 + RM_PERIOD_GAP_US)) {
            rc = emit(sms, t, &p, e);
            open = false;
        }
        if (!open) {
            memset(&p, 0, sizeof p);
            p.subject = subj;
            p.t0 = t0;
            p.t1 = t1;
            open = true;
        }
        if (t1 > p.t1)
            p.t1 = t1;
        p.activity++;
        p.bytes += rt_at(a, r, 4)->i;
        add_service(&p, rt_at(a, r, 3)->s);
    }
    if (open && !rc)
        rc = emit(sms, t, &p, e);
    sqlite3_finalize(sms);
    return rc;
}

struct node {
    char *id;
    const char *label, *type;
    bool subject;
    long long records;
};

struct graph {
    struct node *n;
    size_t count;
    bool cut;
};

static struct node *node(struct graph *g, const char *type, const char *label, bool subject,
                         long long records, struct err *e)
{
    char *id = malloc(strlen(type) + strlen(label) + 2);
    if (!id) {
        err_set(e, RC_NOMEM, "out of memory");
        return NULL;
    }
    sprintf(id, "%s:%s", type, label);
    for (size_t i = 0; i < g->count; i++)
        if (strcmp(g->n[i].id, id) == 0) {
            free(id);
            g->n[i].subject |= subject;
            g->n[i].records += records;
            return &g->n[i];
        }
    if (g->count >= RM_MAX_NODES) {
        free(id);
        g->cut = true;
        return NULL;
    }
    struct node *nn = &g->n[g->count++];
    *nn = (struct node){id, label, type, subject, records};
    return nn;
}

static int edge(struct rt_table *t, const struct node *a, const struct node *b, const char *kind,
                const struct rt_cell *label, const struct rt_cell *count,
                const struct rt_cell *first, const struct rt_cell *last,
                const struct rt_cell *up, const struct rt_cell *down, struct err *e)
{
    struct rt_cell *row = rt_row(t, e);
    if (!row)
        return t->truncated ? 0 : RC_NOMEM;
    if (rt_set_text(&row[0], a->id, e) || rt_set_text(&row[1], b->id, e) ||
        rt_set_text(&row[2], kind, e) || rt_set_text(&row[3], label->s, e))
        return RC_NOMEM;
    row[4] = (struct rt_cell){count->type, count->i, NULL};
    row[5] = (struct rt_cell){first->type, first->i, NULL};
    row[6] = (struct rt_cell){last->type, last->i, NULL};
    if (up)
        row[7] = (struct rt_cell){up->type, up->i, NULL};
    if (down)
        row[8] = (struct rt_cell){down->type, down->i, NULL};
    return 0;
}

int report_links_graph(struct report_model *m, struct err *e)
{
    struct rt_table *nt = &m->t[RM_NODES], *et = &m->t[RM_EDGES];
    int rc = rt_init(nt, "nodes", "Link chart: nodes", RT_SCOPE_LINK,
                     "id:s,label:s,type:s,is_subject:i,records:i", e);
    if (!rc)
        rc = rt_init(et, "edges", "Link chart: edges", RT_SCOPE_LINK,
                     "source:s,target:s,kind:s,label:s,count:i,first:t,last:t,bytes_up:i,"
                     "bytes_down:i", e);
    if (rc)
        return rc;
    nt->present = et->present = true;
    struct graph g = {calloc(RM_MAX_NODES, sizeof(struct node)), 0, false};
    if (!g.n)
        return err_set(e, RC_NOMEM, "out of memory");
    const struct rt_table *sc = &m->t[RM_SMS_CONTACTS], *os = &m->t[RM_OTT_SESSIONS];
    for (size_t r = 0; r < sc->nrows && !rc; r++) {
        const struct rt_cell *c = rt_at(sc, r, 0);
        long long n = c[3].i;
        struct node *s = node(&g, "number", c[0].s ? c[0].s : "", true, n, e);
        struct node *p = s ? node(&g, "number", c[1].s ? c[1].s : "", false, n, e) : NULL;
        if (!s || !p) {
            rc = g.cut ? 0 : RC_NOMEM;
            continue;
        }
        bool sent = c[2].s && strcmp(c[2].s, "sent") == 0;
        rc = edge(et, sent ? s : p, sent ? p : s, "sms", &c[6], &c[3], &c[4], &c[5], NULL, NULL,
                  e);
    }
    for (size_t r = 0; r < os->nrows && !rc; r++) {
        const struct rt_cell *c = rt_at(os, r, 0);
        long long n = c[4].i;
        struct node *s = node(&g, "address", c[0].s ? c[0].s : "", true, n, e);
        struct node *p = s ? node(&g, "relay", c[2].s ? c[2].s : "", false, n, e) : NULL;
        if (!s || !p) {
            rc = g.cut ? 0 : RC_NOMEM;
            continue;
        }
        rc = edge(et, s, p, "ott", &c[1], &c[4], &c[5], &c[6], &c[8], &c[9], e);
    }
    for (size_t i = 0; i < g.count && !rc; i++) {
        struct rt_cell *row = rt_row(nt, e);
        if (!row) {
            rc = nt->truncated ? 0 : RC_NOMEM;
            break;
        }
        if (rt_set_text(&row[0], g.n[i].id, e) || rt_set_text(&row[1], g.n[i].label, e) ||
            rt_set_text(&row[2], g.n[i].type, e))
            rc = RC_NOMEM;
        rt_set_int(&row[3], g.n[i].subject);
        rt_set_int(&row[4], g.n[i].records);
    }
    nt->truncated |= g.cut;
    for (size_t i = 0; i < g.count; i++)
        free(g.n[i].id);
    free(g.n);
    return rc;
}
