/* infer_store.c - loads bursts and call flows, runs the contact inference and
 * writes inferred_contacts (see infer_store.h). */
#include "report/infer_store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "report/schema.h"
#include "report/sqlx.h"

/* x's session was open while flow f lasted */
#define DURING SCHEMA_SESSION_DURING("x")

/* Bursts loaded in one run: a day of 1,000 busy subjects is ~10^6. */
#define INFER_MAX_BURSTS 20000000u
/* Call flows loaded in one run. */
#define INFER_MAX_CALLS 1000000u

struct loaded {
    struct ci_burst *b;
    size_t nb, capb;
    struct ci_subject *subj;
    size_t ns, caps;
    struct ci_call *calls;
    size_t nc, capc;
    char **strs; /* every owned string */
    size_t nstr, capstr;
};

static char *keep(struct loaded *l, const char *s)
{
    if (l->nstr == l->capstr) {
        size_t cap = l->capstr ? l->capstr * 2 : 256;
        char **n = realloc(l->strs, cap * sizeof *n);
        if (!n)
            return NULL;
        l->strs = n;
        l->capstr = cap;
    }
    char *d = strdup(s ? s : "");
    if (d)
        l->strs[l->nstr++] = d;
    return d;
}

static void loaded_free(struct loaded *l)
{
    for (size_t i = 0; i < l->nstr; i++)
        free(l->strs[i]);
    free(l->strs);
    free(l->b);
    free(l->subj);
    free(l->calls);
}

static bool grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t c = *cap ? *cap * 2 : 1024;
    while (c < need)
        c *= 2;
    void *n = realloc(*p, c * size);
    if (!n)
        return false;
    *p = n;
    *cap = c;
    return true;
}

static const char *col(sqlite3_stmt *st, int k)
{
    const unsigned char *t = sqlite3_column_text(st, k);
    return t ? (const char *)t : "";
}

/* temp.infer_subject: per flow the inference reads (OTT messaging flows and
 * flows with a service), the least non-empty IMSI of the sessions the
 * database's flow_subscribers view attributes it to: those holding one of
 * its user-plane TEIDs on the node its packets went to (when both are
 * known) while it lasted; without such a session, those whose UE IPv4
 * address or IPv6 /64 is one of its ends.  The view asked per burst row
 * scanned every TEID and every session of the run for each row (its ORs
 * defeat the indexes), which made `trapline infer` quadratic: 739 s on the
 * bench capture's database.  Here the TEIDs and addresses are copied once
 * with the interval and IMSI of their session and looked up by index, each
 * TEID and each end on its own (test_contact_infer compares the two). */
#define TEID_AT(teid, node)                                                                \
    " FROM infer_teid x WHERE x.run_id = f.run_id AND x.teid = f." teid                     \
    " AND " SCHEMA_TEID_ON_NODE("x", node) " AND " DURING
#define ADDR_AT(key, end) " FROM infer_addr x WHERE x.run_id = f.run_id AND x." key " = f." end \
    " AND " DURING

static int subject_table(sqlite3 *db, struct err *e)
{
    static const char sql[] =
        "DROP TABLE IF EXISTS temp.infer_subject; DROP TABLE IF EXISTS temp.infer_teid;"
        "DROP TABLE IF EXISTS temp.infer_addr;"
        "CREATE TEMP TABLE infer_teid AS SELECT t.run_id, t.teid, t.node, s.imsi, s.start_us,"
        " s.end_us FROM subscriber_teids t JOIN subscriber_sessions s ON s.run_id = t.run_id"
        " AND s.binding_id = t.binding_id WHERE t.control = 0;"
        "CREATE INDEX temp.infer_teid_k ON infer_teid(run_id, teid);"
        "CREATE TEMP TABLE infer_addr AS SELECT run_id, NULLIF(ue_ipv4, '') AS ue_ipv4, ue_v6_64,"
        " imsi, start_us, end_us FROM subscriber_sessions"
        " WHERE ue_ipv4 <> '' OR ue_v6_64 IS NOT NULL;"
        "CREATE INDEX temp.infer_addr_v4 ON infer_addr(run_id, ue_ipv4);"
        "CREATE INDEX temp.infer_addr_v6 ON infer_addr(run_id, ue_v6_64);"
        "CREATE TEMP TABLE infer_subject (run_id INTEGER NOT NULL, flow_id INTEGER NOT NULL,"
        " imsi TEXT, PRIMARY KEY (run_id, flow_id));"
        "WITH m AS (SELECT f.run_id, f.id,"
        " EXISTS (SELECT 1" TEID_AT("tunnel_teid", "tunnel_node") ")"
        " OR EXISTS (SELECT 1" TEID_AT("tunnel_teid_s2c", "tunnel_node_s2c") ") AS by_teid,"
        " (SELECT MIN(v) FROM (SELECT NULLIF(x.imsi, '') AS v" TEID_AT("tunnel_teid", "tunnel_node")
        " UNION ALL SELECT NULLIF(x.imsi, '')" TEID_AT("tunnel_teid_s2c", "tunnel_node_s2c")
        ")) AS teid_imsi,"
        " (SELECT MIN(v) FROM (SELECT NULLIF(x.imsi, '') AS v" ADDR_AT("ue_ipv4", "src_ip")
        " UNION ALL SELECT NULLIF(x.imsi, '')" ADDR_AT("ue_ipv4", "dst_ip")
        " UNION ALL SELECT NULLIF(x.imsi, '')" ADDR_AT("ue_v6_64", "src_v6_64")
        " UNION ALL SELECT NULLIF(x.imsi, '')" ADDR_AT("ue_v6_64", "dst_v6_64")
        ")) AS addr_imsi FROM flows f WHERE f.class = 'ott-messaging' OR f.service <> '')"
        " INSERT INTO infer_subject SELECT run_id, id, CASE WHEN by_teid THEN teid_imsi"
        " ELSE addr_imsi END FROM m;";
    return sqlx_exec(db, "infer: subjects", sql, e);
}

static int load_bursts(sqlite3 *db, struct loaded *l, struct infer_stats *st, struct err *e)
{
    static const char sql[] =
        "SELECT " INFER_SUBJECT_SQL ", f.service, e.ts_us, e.bytes, e.direction"
        " FROM ott_events e JOIN flows f ON e.flow_id = f.id AND e.run_id = f.run_id"
        " WHERE f.class = 'ott-messaging'"
        " ORDER BY f.service, " INFER_SUBJECT_SQL ", e.ts_us, e.bytes, e.direction";
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
        return err_set(e, RC_SQL, "infer: %s", sqlite3_errmsg(db));
    int rc = 0, step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        if (l->nb >= INFER_MAX_BURSTS) {
            rc = err_set(e, RC_LIMIT, "infer: more than %u bursts", INFER_MAX_BURSTS);
            break;
        }
        const char *subj = col(q, 0), *svc = col(q, 1), *dir = col(q, 4);
        struct ci_subject *cur = l->ns ? &l->subj[l->ns - 1] : NULL;
        if (!cur || strcmp(cur->id, subj) != 0 || strcmp(cur->service, svc) != 0) {
            if (!grow((void **)&l->subj, &l->caps, l->ns + 1, sizeof *l->subj)) {
                rc = err_set(e, RC_NOMEM, "infer: out of memory");
                break;
            }
            cur = &l->subj[l->ns++];
            cur->id = keep(l, subj);
            cur->service = keep(l, svc);
            cur->b = NULL;
            cur->n = l->nb; /* start index until fixed up below */
            if (!cur->id || !cur->service) {
                rc = err_set(e, RC_NOMEM, "infer: out of memory");
                break;
            }
        }
        if (!grow((void **)&l->b, &l->capb, l->nb + 1, sizeof *l->b)) {
            rc = err_set(e, RC_NOMEM, "infer: out of memory");
            break;
        }
        struct ci_burst *b = &l->b[l->nb++];
        b->ts_us = sqlite3_column_int64(q, 2);
        b->bytes = (uint64_t)sqlite3_column_int64(q, 3);
        b->dir = strcmp(dir, "c2s") == 0 ? CI_SEND : strcmp(dir, "s2c") == 0 ? CI_RECV : CI_BOTH;
    }
    if (!rc && step != SQLITE_DONE)
        rc = err_set(e, RC_SQL, "infer: %s", sqlite3_errmsg(db));
    sqlite3_finalize(q);
    /* Start indices to pointers (the burst array no longer moves). */
    for (size_t i = 0; i < l->ns; i++) {
        size_t start = l->subj[i].n, end = i + 1 < l->ns ? l->subj[i + 1].n : l->nb;
        l->subj[i].b = l->b + start;
        l->subj[i].n = end - start;
    }
    st->subjects = l->ns;
    st->bursts = l->nb;
    return rc;
}

static int load_calls(sqlite3 *db, struct loaded *l, struct infer_stats *st, struct err *e)
{
    static const char sql[] =
        "SELECT " INFER_SUBJECT_SQL ", f.service, f.dst_ip, f.dst_port, f.proto,"
        " f.first_ts_us, f.last_ts_us, f.bytes_c2s, f.bytes_s2c, f.method, f.ndpi_proto"
        " FROM flows f WHERE f.service <> ''"
        " ORDER BY f.first_ts_us, f.run_id, f.id";
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
        return err_set(e, RC_SQL, "infer: %s", sqlite3_errmsg(db));
    int rc = 0, step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t t0 = sqlite3_column_int64(q, 5), t1 = sqlite3_column_int64(q, 6);
        if (!ci_is_call_flow(col(q, 9), col(q, 10), col(q, 1), t1 - t0))
            continue;
        if (l->nc >= INFER_MAX_CALLS) {
            rc = err_set(e, RC_LIMIT, "infer: more than %u call flows", INFER_MAX_CALLS);
            break;
        }
        if (!grow((void **)&l->calls, &l->capc, l->nc + 1, sizeof *l->calls)) {
            rc = err_set(e, RC_NOMEM, "infer: out of memory");
            break;
        }
        char relay[128];
        int proto = sqlite3_column_int(q, 4);
        snprintf(relay, sizeof relay, "%s:%d/%s", col(q, 2), sqlite3_column_int(q, 3),
                 proto == 6 ? "tcp" : proto == 17 ? "udp" : "other");
        struct ci_call *c = &l->calls[l->nc++];
        c->subject = keep(l, col(q, 0));
        c->service = keep(l, col(q, 1));
        c->relay = keep(l, relay);
        c->peer = keep(l, col(q, 2));
        c->start_us = t0;
        c->end_us = t1;
        c->up = (uint64_t)sqlite3_column_int64(q, 7);
        c->down = (uint64_t)sqlite3_column_int64(q, 8);
        if (!c->subject || !c->service || !c->relay || !c->peer) {
            rc = err_set(e, RC_NOMEM, "infer: out of memory");
            break;
        }
    }
    if (!rc && step != SQLITE_DONE)
        rc = err_set(e, RC_SQL, "infer: %s", sqlite3_errmsg(db));
    sqlite3_finalize(q);
    st->calls = l->nc;
    return rc;
}

/* Reported windows kept until every window is known (--min-windows). */
#define INFER_MAX_ROWS 10000000u

struct writer {
    struct ci_result *rows;
    size_t nrows, caprows;
    struct store *s;
    sqlite3_stmt *ins;
    int64_t run_id;
    const struct loaded *l;
    char params[256], call_params[128];
    struct infer_stats *st;
    struct err *e;
};

static int insert(struct writer *w, const char *a, const char *b, const char *svc, int64_t w0,
                  int64_t w1, long long na, long long nb, long long matched, double stat,
                  const double *p, const char *method, const char *params)
{
    if (store_row_begin(w->s, w->e))
        return RC_SQL;
    sqlite3_stmt *q = w->ins;
    sqlite3_bind_int64(q, 1, w->run_id);
    sqlite3_bind_text(q, 2, a, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, b, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, svc, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 5, w0);
    sqlite3_bind_int64(q, 6, w1);
    sqlite3_bind_int64(q, 7, na);
    sqlite3_bind_int64(q, 8, nb);
    sqlite3_bind_int64(q, 9, matched);
    sqlite3_bind_double(q, 10, stat);
    if (p)
        sqlite3_bind_double(q, 11, *p);
    else
        sqlite3_bind_null(q, 11);
    sqlite3_bind_text(q, 12, method, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 13, params, -1, SQLITE_STATIC);
    return store_row_end(w->s, q, w->e, "insert inferred contact");
}

static int on_pair(const struct ci_result *r, void *user)
{
    struct writer *w = user;
    if (w->nrows >= INFER_MAX_ROWS)
        return err_set(w->e, RC_LIMIT, "infer: more than %u reported windows", INFER_MAX_ROWS);
    if (!grow((void **)&w->rows, &w->caprows, w->nrows + 1, sizeof *w->rows))
        return err_set(w->e, RC_NOMEM, "infer: out of memory");
    w->rows[w->nrows++] = *r;
    return 0;
}

/* A row's pair and position, sorted to count windows per pair (qsort has
 * no context argument, so the keys are copied). */
struct pair_pos {
    size_t a, b, i;
};

static int cmp_pair(const void *x, const void *y)
{
    const struct pair_pos *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    if (p->b != q->b)
        return p->b < q->b ? -1 : 1;
    return (p->i > q->i) - (p->i < q->i);
}

/* Writes the rows of pairs reported in at least min_windows windows, in the
 * detector's order. */
static int write_rows(struct writer *w, unsigned min_windows)
{
    size_t n = w->nrows;
    struct pair_pos *idx = calloc(n + 1, sizeof *idx);
    unsigned char *keep = calloc(n + 1, 1);
    int rc = 0;
    if (!idx || !keep) {
        rc = err_set(w->e, RC_NOMEM, "infer: out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        idx[i] = (struct pair_pos){w->rows[i].a, w->rows[i].b, i};
    qsort(idx, n, sizeof *idx, cmp_pair);
    for (size_t s = 0; s < n;) {
        size_t t = s + 1;
        while (t < n && idx[t].a == idx[s].a && idx[t].b == idx[s].b)
            t++;
        for (size_t k = s; k < t; k++)
            keep[idx[k].i] = t - s >= min_windows;
        s = t;
    }
    for (size_t i = 0; i < n && !rc; i++) {
        const struct ci_result *r = &w->rows[i];
        if (!keep[i])
            continue;
        const struct ci_subject *a = &w->l->subj[r->a], *b = &w->l->subj[r->b];
        w->st->message_pairs++;
        rc = insert(w, a->id, b->id, a->service, r->w0_us, r->w1_us, r->na, r->nb, r->matched,
                    r->score, &r->p, "message-correlation", w->params);
    }
out:
    free(idx);
    free(keep);
    return rc;
}

static int on_call(const struct ci_call *a, const struct ci_call *b, double score, void *user)
{
    struct writer *w = user;
    w->st->call_pairs++;
    int64_t w0 = a->start_us < b->start_us ? a->start_us : b->start_us;
    int64_t w1 = a->end_us > b->end_us ? a->end_us : b->end_us;
    return insert(w, a->subject, b->subject, a->service, w0, w1, 1, 1, 1, score, NULL,
                  "call-pairing", w->call_params);
}

static int count_of(sqlite3 *db, const char *sql, long long *n)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        *n = sqlite3_column_int64(st, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

int infer_store_scope(struct store *s, struct ci_scope *out, struct err *e)
{
    sqlite3 *db = store_db(s);
    long long scoped = 0, denied = 0;
    /* Fail closed: an unreadable authorisation never allows inference. */
    out->present = true;
    out->inferred_contact = false;
    if (count_of(db, "SELECT count(*) FROM runs WHERE basis = 'scope'", &scoped) != SQLITE_OK ||
        count_of(db,
                 "SELECT count(*) FROM runs r LEFT JOIN scope_snapshots s ON s.run_id = r.id"
                 " WHERE r.basis = 'scope' AND (s.outputs IS NULL"
                 " OR instr(s.outputs, 'inferred-contact') = 0)",
                 &denied) != SQLITE_OK)
        return err_set(e, RC_SQL, "reading the runs' scopes: %s", sqlite3_errmsg(db));
    out->present = scoped > 0;
    out->inferred_contact = scoped > 0 && denied == 0;
    return 0;
}

int infer_store_run(struct store *s, int64_t run_id, const struct ci_scope *scope,
                    const struct ci_params *p, unsigned min_windows, struct infer_stats *st,
                    struct err *e)
{
    memset(st, 0, sizeof *st);
    if (!infer_allowed(scope))
        return 0; /* the scope does not allow inferred-contact: nothing is read or written */
    sqlite3 *db = store_db(s);
    struct loaded l = {0};
    struct writer w = {.s = s, .run_id = run_id, .l = &l, .st = st, .e = e};
    ci_params_text(p, w.params, sizeof w.params);
    snprintf(w.call_params, sizeof w.call_params,
             "call-pairing; start_tol=%llds end_tol=%llds volume=%u%% min_duration=%llds",
             (long long)(CI_CALL_START_TOL_US / 1000000), (long long)(CI_CALL_END_TOL_US / 1000000),
             CI_CALL_VOLUME_PCT, (long long)(CI_CALL_MIN_US / 1000000));
    int rc = subject_table(db, e);
    if (!rc)
        rc = load_bursts(db, &l, st, e);
    if (!rc)
        rc = load_calls(db, &l, st, e);
    if (!rc && sqlite3_prepare_v2(db,
                                  "INSERT INTO inferred_contacts (run_id, subject_a, subject_b,"
                                  " service, window_start_us, window_end_us, events_a, events_b,"
                                  " matched, statistic, p_value, method, parameters)"
                                  " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                                  -1, &w.ins, NULL) != SQLITE_OK)
        rc = err_set(e, RC_SQL, "infer: %s", sqlite3_errmsg(db));
    if (!rc)
        rc = ci_correlate(l.subj, l.ns, p, false, on_pair, &w, &st->ci, e);
    if (!rc)
        rc = write_rows(&w, min_windows ? min_windows : 1);
    if (!rc)
        rc = ci_call_pairs(l.calls, l.nc, on_call, &w, e);
    sqlite3_finalize(w.ins);
    free(w.rows);
    loaded_free(&l);
    return rc;
}
