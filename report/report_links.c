/* report_links.c - OTT activity periods and the link chart (see
 * report_links.h). */
#include "report/report_links.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* SMS index entries held in memory for the carrier-visible check (16 bytes
 * each plus the distinct addresses); beyond it the slower per-period query
 * is used, with the same result. */
#define LINKS_SMS_INDEX_MAX 4000000u
/* Longest list of distinct services kept for one period. */
#define LINKS_SERVICES_MAX 256

struct period {
    const char *subject;
    const char *kind; /* "call" or "messaging" (borrowed from the timeline) */
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

/* SMS times per address, for the carrier-visible check: one sorted query
 * instead of one scan of sms_events per period. */
struct sms_idx {
    char **keys;    /* distinct addresses, in SQLite BINARY (memcmp) order */
    size_t *start;  /* entries of keys[j]: ts[start[j] .. start[j + 1]) */
    long long *ts;  /* ascending within a key */
    size_t nkeys, n, cap;
    bool too_big;   /* LINKS_SMS_INDEX_MAX reached: fall back to per-period queries */
};

static void idx_free(struct sms_idx *x)
{
    for (size_t j = 0; j < x->nkeys; j++)
        free(x->keys[j]);
    free(x->keys);
    free(x->start);
    free(x->ts);
}

static int idx_push(struct sms_idx *x, const char *k, long long ts, struct err *e)
{
    if (x->n == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 256;
        long long *t = realloc(x->ts, cap * sizeof *t);
        char **kk = t ? realloc(x->keys, cap * sizeof *kk) : NULL;
        size_t *st = kk ? realloc(x->start, (cap + 1) * sizeof *st) : NULL;
        if (t)
            x->ts = t;
        if (kk)
            x->keys = kk;
        if (st)
            x->start = st;
        if (!st)
            return err_set(e, RC_NOMEM, "out of memory");
        x->cap = cap;
    }
    if (x->nkeys == 0 || strcmp(x->keys[x->nkeys - 1], k) != 0) {
        if (!(x->keys[x->nkeys] = strdup(k)))
            return err_set(e, RC_NOMEM, "out of memory");
        x->start[x->nkeys++] = x->n;
    }
    x->ts[x->n++] = ts;
    x->start[x->nkeys] = x->n;
    return 0;
}

static int idx_build(sqlite3 *db, struct sms_idx *x, bool flow_id, bool run_id, struct err *e)
{
    char join[96], sql[1536];
    snprintf(join, sizeof join, "JOIN flows f ON s.flow_id = f.id%s",
             run_id ? " AND s.run_id = f.run_id" : "");
    /* Keys are restricted to flow client addresses: only they have OTT periods. */
    snprintf(sql, sizeof sql,
             "SELECT DISTINCT k, sid, ts FROM (SELECT originator AS k, rowid AS sid,"
             " ts_us AS ts FROM sms_events UNION ALL SELECT recipient, rowid, ts_us"
             " FROM sms_events UNION ALL SELECT sk.skey, s.rowid, s.ts_us FROM sms_events s"
             " JOIN subscriber_keys sk ON sk.msisdn_c <> '' AND (sk.msisdn_c ="
             " trapline_identity(s.originator) OR sk.msisdn_c = trapline_identity(s.recipient))"
             "%s%s%s%s%s) WHERE k IN (SELECT src_ip FROM flows UNION ALL SELECT dst_ip FROM flows"
             " UNION ALL SELECT skey FROM subscriber_keys)"
             " ORDER BY k, ts, sid",
             flow_id ? " UNION ALL SELECT f.src_ip, s.rowid, s.ts_us FROM sms_events s " : "",
             flow_id ? join : "",
             flow_id ? " UNION ALL SELECT f.dst_ip, s.rowid, s.ts_us FROM sms_events s " : "",
             flow_id ? join : "", "");
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return err_set(e, RC_SQL, "report periods: %s", sqlite3_errmsg(db));
    int rc = 0, step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (x->n >= LINKS_SMS_INDEX_MAX) {
            x->too_big = true;
            break;
        }
        const unsigned char *k = sqlite3_column_text(st, 0);
        if (k && (rc = idx_push(x, (const char *)k, sqlite3_column_int64(st, 2), e)))
            break;
    }
    if (!rc && !x->too_big && step != SQLITE_DONE)
        rc = err_set(e, RC_SQL, "report periods: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc;
}

/* First index in ts[lo, hi) whose value is >= v. */
static size_t lower(const long long *ts, size_t lo, size_t hi, long long v)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ts[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* SMS entries of key within [t0, t1]. */
static long long idx_count(const struct sms_idx *x, const char *key, long long t0, long long t1)
{
    size_t lo = 0, hi = x->nkeys;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(x->keys[mid], key);
        if (c == 0) {
            size_t a = lower(x->ts, x->start[mid], x->start[mid + 1], t0);
            size_t b = lower(x->ts, a, x->start[mid + 1], t1 + 1);
            return (long long)(b - a);
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static int emit(sqlite3_stmt *sms, const struct sms_idx *idx, struct rt_table *t,
                const struct period *p, struct err *e)
{
    long long nearby = -1;
    if (idx) {
        nearby = idx_count(idx, p->subject, p->t0 - RM_PERIOD_GAP_US, p->t1 + RM_PERIOD_GAP_US);
    } else if (sms) {
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
    if (p->kind && rt_set_text(&row[9], p->kind, e))
        return RC_NOMEM;
    return rt_set_text(&row[8], nearby > 0 ? "sms-record-nearby" : "missed", e);
}

int report_links_periods(sqlite3 *db, struct report_model *m, bool sms_flow_id,
                         bool sms_run_id, struct err *e)
{
    struct rt_table *t = &m->t[RM_OTT_PERIODS];
    int rc = rt_init(t, "ott_periods",
                     "What a carrier-only pen register would have missed", RT_SCOPE_SUBJECT,
                     "subject:s,start:t,end:t,duration_s:d,services:s,activity:i,bytes:i,"
                     "sms_records_nearby:i,carrier_only_view:s,kind:s", e);
    if (rc)
        return rc;
    t->present = true;
    t->inferred = m->has_ott_events;
    sqlite3_stmt *sms = NULL;
    struct sms_idx idx = {0};
    if (m->has_sms && (rc = idx_build(db, &idx, sms_flow_id, sms_run_id, e))) {
        idx_free(&idx);
        return rc;
    }
    const struct sms_idx *use = m->has_sms && !idx.too_big ? &idx : NULL;
    if (m->has_sms && !use) {
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
        /* calls and messaging are separate periods (rows come ordered so) */
        const char *kind = a->ncols > 6 && rt_at(a, r, 6)->s ? rt_at(a, r, 6)->s : "messaging";
        long long t0 = rt_at(a, r, 1)->i, t1 = rt_at(a, r, 2)->i;
        if (t1 < t0)
            t1 = t0;
        if (open && (strcmp(subj, p.subject) != 0 || strcmp(kind, p.kind) != 0 ||
                     t0 > p.t1 + RM_PERIOD_GAP_US)) {
            rc = emit(sms, use, t, &p, e);
            open = false;
        }
        if (!open) {
            memset(&p, 0, sizeof p);
            p.subject = subj;
            p.kind = kind;
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
        rc = emit(sms, use, t, &p, e);
    sqlite3_finalize(sms);
    idx_free(&idx);
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

/* The node "type:label", or "type:scope|label" when scope is given (a relay
 * is drawn once per subject, so that it never joins two subjects). */
static struct node *node_in(struct graph *g, const char *type, const char *scope,
                            const char *label, bool subject, long long records, struct err *e)
{
    size_t sl = scope ? strlen(scope) + 1 : 0;
    char *id = malloc(strlen(type) + sl + strlen(label) + 2);
    if (!id) {
        err_set(e, RC_NOMEM, "out of memory");
        return NULL;
    }
    sprintf(id, "%s:%s%s%s", type, scope ? scope : "", scope ? "|" : "", label);
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

static struct node *node(struct graph *g, const char *type, const char *label, bool subject,
                         long long records, struct err *e)
{
    return node_in(g, type, NULL, label, subject, records, e);
}

/* "subscriber" when the subjects table says key is one (its SMS by number
 * and its OTT sessions by address then meet in one node), else dflt. */
static const char *subject_type(const struct report_model *m, const char *key, const char *dflt)
{
    const struct rt_table *st = &m->t[RM_SUBJECTS];
    for (size_t r = 0; r < st->nrows; r++) {
        const struct rt_cell *c = rt_at(st, r, 0);
        if (c[0].s && strcmp(c[0].s, key) == 0)
            return c[1].s && strcmp(c[1].s, "subscriber") == 0 ? "subscriber" : dflt;
    }
    return dflt;
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
        const char *key = c[0].s ? c[0].s : "";
        struct node *s = node(&g, subject_type(m, key, "number"), key, true, n, e);
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
        const char *key = c[0].s ? c[0].s : "";
        struct node *s = node(&g, subject_type(m, key, "address"), key, true, n, e);
        struct node *p = s ? node_in(&g, "relay", key, c[2].s ? c[2].s : "", false, n, e) : NULL;
        if (!s || !p) {
            rc = g.cut ? 0 : RC_NOMEM;
            continue;
        }
        rc = edge(et, s, p, "ott", &c[1], &c[4], &c[5], &c[6], &c[8], &c[9], e);
    }
    /* Direct OTT contacts between two subscribers (observed media between
     * them): one edge per pair, service and activity, drawn once. */
    const struct rt_table *dc = &m->t[RM_DIRECT_CONTACTS];
    for (size_t r = 0; dc->present && r < dc->nrows && !rc; r++) {
        const struct rt_cell *c = rt_at(dc, r, 0);
        if (!c[0].s || !c[1].s || strcmp(c[0].s, c[1].s) >= 0)
            continue;
        struct node *a = node(&g, subject_type(m, c[0].s, "address"), c[0].s, true, 0, e);
        struct node *b = a ? node(&g, subject_type(m, c[1].s, "address"), c[1].s, true, 0, e)
                           : NULL;
        if (!a || !b) {
            rc = g.cut ? 0 : RC_NOMEM;
            continue;
        }
        rc = edge(et, a, b, "ott-direct", &c[2], &c[6], &c[4], &c[5], &c[7], &c[8], e);
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
