/* contact_infer.c - message correlation and call pairing between subjects
 * (see contact_infer.h for the method and its sources).
 */
#include "report/contact_infer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void ci_params_default(struct ci_params *p)
{
    p->delta_us = CI_DEFAULT_DELTA_US;
    p->gamma_bytes = CI_DEFAULT_GAMMA_BYTES;
    p->gamma_pct = CI_DEFAULT_GAMMA_PCT;
    p->window_us = CI_DEFAULT_WINDOW_US;
    p->shifts = CI_DEFAULT_SHIFTS;
    p->min_shift_us = CI_DEFAULT_MIN_SHIFT_US;
    p->p_max = CI_DEFAULT_P_MAX;
    p->min_matched = CI_DEFAULT_MIN_MATCHED;
}

void ci_params_text(const struct ci_params *p, char *out, size_t cap)
{
    if (cap == 0)
        return;
    snprintf(out, cap,
             "event-based; delta=%.3fs gamma=%lluB/%u%% window=%llds shifts=%u min_shift=%.0fs"
             " p_max=%g min_matched=%u",
             (double)p->delta_us / 1e6, (unsigned long long)p->gamma_bytes, p->gamma_pct,
             (long long)(p->window_us / 1000000), p->shifts, (double)p->min_shift_us / 1e6,
             p->p_max, p->min_matched);
}

static bool size_ok(uint64_t x, uint64_t y, const struct ci_params *p)
{
    uint64_t d = x > y ? x - y : y - x, big = x > y ? x : y;
    uint64_t tol = big / 100 * p->gamma_pct;
    if (tol < p->gamma_bytes)
        tol = p->gamma_bytes;
    return d <= tol;
}

/* One direction of the greedy matching: sends of s against receives of r,
 * skipping bursts already used (us, ur). */
static unsigned match_pass(const struct ci_burst *s, size_t ns, uint8_t *us,
                           const struct ci_burst *r, size_t nr, uint8_t *ur,
                           const struct ci_params *p)
{
    unsigned count = 0;
    size_t lo = 0;
    for (size_t i = 0; i < ns; i++) {
        if (!(s[i].dir & CI_SEND) || us[i])
            continue;
        while (lo < nr && r[lo].ts_us < s[i].ts_us)
            lo++;
        for (size_t j = lo; j < nr && r[j].ts_us - s[i].ts_us <= p->delta_us; j++) {
            if ((r[j].dir & CI_RECV) && !ur[j] && size_ok(s[i].bytes, r[j].bytes, p)) {
                us[i] = ur[j] = 1;
                count++;
                break;
            }
        }
    }
    return count;
}

/* ua, ub: scratch of na and nb bytes. */
static unsigned match_scratch(const struct ci_burst *a, size_t na, const struct ci_burst *b,
                              size_t nb, const struct ci_params *p, uint8_t *ua, uint8_t *ub)
{
    memset(ua, 0, na);
    memset(ub, 0, nb);
    unsigned m = match_pass(a, na, ua, b, nb, ub, p);
    return m + match_pass(b, nb, ub, a, na, ua, p);
}

unsigned ci_match_count(const struct ci_burst *a, size_t na, const struct ci_burst *b, size_t nb,
                        const struct ci_params *p)
{
    uint8_t *ua = calloc(na + 1, 1), *ub = calloc(nb + 1, 1);
    unsigned m = ua && ub ? match_scratch(a, na, b, nb, p, ua, ub) : 0;
    free(ua);
    free(ub);
    return m;
}

/* ---- candidate index ---------------------------------------------------- */

/* Open-addressing map (pair key -> coincidence count), bounded by
 * CI_MAX_CANDIDATES keys. */
struct pairmap {
    uint64_t *key; /* 0 = empty; key = (a + 1) << 32 | (b + 1) */
    uint32_t *val;
    size_t cap, used;
};

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    return x ^ (x >> 33);
}

static int pm_grow(struct pairmap *m, size_t cap)
{
    uint64_t *k = calloc(cap, sizeof *k);
    uint32_t *v = calloc(cap, sizeof *v);
    if (!k || !v) {
        free(k);
        free(v);
        return RC_NOMEM;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->key[i])
            continue;
        size_t h = mix64(m->key[i]) & (cap - 1);
        while (k[h])
            h = (h + 1) & (cap - 1);
        k[h] = m->key[i];
        v[h] = m->val[i];
    }
    free(m->key);
    free(m->val);
    m->key = k;
    m->val = v;
    m->cap = cap;
    return 0;
}

static void pm_clear(struct pairmap *m)
{
    if (m->key && m->used) {
        memset(m->key, 0, m->cap * sizeof *m->key);
        memset(m->val, 0, m->cap * sizeof *m->val);
    }
    m->used = 0;
}

/* Adds 1 to the pair's count; *cut is set when the map is full. */
static int pm_inc(struct pairmap *m, uint32_t a, uint32_t b, bool *cut)
{
    uint64_t key = ((uint64_t)a + 1) << 32 | ((uint64_t)b + 1);
    if (m->used * 2 >= m->cap) {
        if (m->used >= CI_MAX_CANDIDATES) {
            /* full: existing keys still count, new ones are cut */
        } else if (pm_grow(m, m->cap ? m->cap * 2 : 4096)) {
            return RC_NOMEM;
        }
    }
    size_t h = mix64(key) & (m->cap - 1);
    while (m->key[h] && m->key[h] != key)
        h = (h + 1) & (m->cap - 1);
    if (!m->key[h]) {
        if (m->used >= CI_MAX_CANDIDATES || m->used * 2 + 2 > m->cap) {
            *cut = true;
            return 0;
        }
        m->key[h] = key;
        m->used++;
    }
    m->val[h]++;
    return 0;
}

/* ---- correlation -------------------------------------------------------- */

struct rx {
    uint32_t s; /* local subject index */
    int64_t ts_us;
    uint64_t bytes;
};

struct work {
    const struct ci_subject *subj;
    const struct ci_params *p;
    size_t *ord;             /* subjects sorted by (service, id) */
    size_t *cur, *lo, *hi;   /* per subject of the group: cursor and window slice */
    struct rx *rx;           /* receive bursts of the window, by bucket */
    size_t rx_cap;
    size_t *bstart;          /* bucket starts (nbuckets + 1) */
    size_t nbuckets;
    struct pairmap pm;
    uint64_t *cand;
    size_t cand_cap;
    struct ci_burst *shifted;
    uint8_t *ua, *ub;
    size_t scratch_cap;
};

static int cmp_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

/* qsort has no context argument: sort an array of (subject pointer, index). */
struct ord_ent {
    const struct ci_subject *s;
    size_t i;
};

static int cmp_ord(const void *x, const void *y)
{
    const struct ord_ent *a = x, *b = y;
    int c = cmp_str(a->s->service, b->s->service);
    if (!c)
        c = cmp_str(a->s->id, b->s->id);
    return c ? c : (a->i > b->i) - (a->i < b->i);
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* The k-th shift (k >= 1): a Weyl sequence on the golden ratio spreads the
 * shifts evenly over [min_shift, W - min_shift] whatever K is, so an early
 * stop has still looked across the whole range. */
static int64_t shift_k(const struct ci_params *p, unsigned k)
{
    uint64_t range = (uint64_t)(p->window_us - 2 * p->min_shift_us);
    uint64_t f32 = ((uint64_t)k * 0x9E3779B97F4A7C15ULL) >> 32;
    return p->min_shift_us + (int64_t)((f32 * range) >> 32);
}

/* b (nb bursts in [w0, w0 + W)) rotated by s into out, still sorted. */
static void rotate(const struct ci_burst *b, size_t nb, int64_t w0, int64_t W, int64_t s,
                   struct ci_burst *out)
{
    size_t j = 0;
    while (j < nb && b[j].ts_us - w0 < W - s)
        j++;
    size_t k = 0;
    for (size_t i = j; i < nb; i++) {
        out[k] = b[i];
        out[k++].ts_us = b[i].ts_us + s - W;
    }
    for (size_t i = 0; i < j; i++) {
        out[k] = b[i];
        out[k++].ts_us = b[i].ts_us + s;
    }
}

static int ensure_scratch(struct work *w, size_t n, struct err *e)
{
    if (n <= w->scratch_cap)
        return 0;
    size_t cap = n * 2;
    struct ci_burst *sh = realloc(w->shifted, cap * sizeof *sh);
    if (sh)
        w->shifted = sh;
    uint8_t *ua = realloc(w->ua, cap), *ub = ua ? realloc(w->ub, cap) : NULL;
    if (ua)
        w->ua = ua;
    if (ub)
        w->ub = ub;
    if (!sh || !ua || !ub)
        return err_set(e, RC_NOMEM, "contact inference: out of memory");
    w->scratch_cap = cap;
    return 0;
}

/* Tests one candidate pair (group-local indices la < lb) in window w0. */
static int test_pair(struct work *w, const size_t *g, size_t la, size_t lb, int64_t w0, bool all,
                     ci_result_fn fn, void *user, struct ci_stats *st, struct err *e)
{
    const struct ci_params *p = w->p;
    const struct ci_subject *A = &w->subj[g[la]], *B = &w->subj[g[lb]];
    const struct ci_burst *ab = A->b + w->lo[la], *bb = B->b + w->lo[lb];
    size_t na = w->hi[la] - w->lo[la], nb = w->hi[lb] - w->lo[lb];
    size_t big = na > nb ? na : nb;
    if (ensure_scratch(w, big + 1, e))
        return RC_NOMEM;
    unsigned m0 = match_scratch(ab, na, bb, nb, p, w->ua, w->ub);
    if (m0 < p->min_matched)
        return 0;
    st->tested++;
    unsigned exceed = 0, k;
    for (k = 1; k <= p->shifts; k++) {
        rotate(bb, nb, w0, p->window_us, shift_k(p, k), w->shifted);
        if (match_scratch(ab, na, w->shifted, nb, p, w->ua, w->ub) >= m0)
            exceed++;
        /* Stop once p can no longer reach p_max (the decision is final). */
        if ((double)(1 + exceed) / (double)(p->shifts + 1) > p->p_max)
            break;
    }
    st->shifts_run += k > p->shifts ? p->shifts : k;
    struct ci_result r = {
        .a = g[la],
        .b = g[lb],
        .w0_us = w0,
        .w1_us = w0 + p->window_us,
        .na = (unsigned)na,
        .nb = (unsigned)nb,
        .matched = m0,
        .score = (double)m0 / (double)(na < nb ? na : nb),
        .p = (double)(1 + exceed) / (double)(p->shifts + 1),
        .shifts_done = k > p->shifts ? p->shifts : k,
    };
    r.reported = r.p <= p->p_max && m0 >= p->min_matched;
    if (r.reported)
        st->reported++;
    if (r.reported || all)
        return fn(&r, user);
    return 0;
}

/* One service (group g of ng subjects) in window [w0, w0 + W). */
static int window(struct work *w, const size_t *g, size_t ng, int64_t w0, bool all,
                  ci_result_fn fn, void *user, struct ci_stats *st, struct err *e)
{
    const struct ci_params *p = w->p;
    int64_t W = p->window_us;
    size_t nrx = 0, active = 0;
    memset(w->bstart, 0, (w->nbuckets + 1) * sizeof *w->bstart);
    for (size_t i = 0; i < ng; i++) {
        const struct ci_subject *s = &w->subj[g[i]];
        size_t c = w->cur[i];
        while (c < s->n && s->b[c].ts_us < w0)
            c++;
        w->lo[i] = c;
        while (c < s->n && s->b[c].ts_us < w0 + W) {
            if (c - w->lo[i] >= CI_MAX_WINDOW_EVENTS) {
                st->events_cut++;
                break;
            }
            if (s->b[c].dir & CI_RECV) {
                w->bstart[(size_t)((s->b[c].ts_us - w0) / p->delta_us) + 1]++;
                nrx++;
            }
            c++;
        }
        w->hi[i] = c;
        active += c > w->lo[i];
        while (c < s->n && s->b[c].ts_us < w0 + W)
            c++; /* skip what was cut */
        w->cur[i] = c;
    }
    st->pair_windows += (uint64_t)active * (active > 0 ? active - 1 : 0) / 2;
    for (size_t b = 0; b < w->nbuckets; b++)
        w->bstart[b + 1] += w->bstart[b];
    if (nrx > w->rx_cap) {
        struct rx *r = realloc(w->rx, nrx * 2 * sizeof *r);
        if (!r)
            return err_set(e, RC_NOMEM, "contact inference: out of memory");
        w->rx = r;
        w->rx_cap = nrx * 2;
    }
    /* Fill buckets (bstart[b] is the next free slot; restored below). */
    for (size_t i = 0; i < ng; i++) {
        const struct ci_subject *s = &w->subj[g[i]];
        for (size_t c = w->lo[i]; c < w->hi[i]; c++) {
            if (!(s->b[c].dir & CI_RECV))
                continue;
            size_t b = (size_t)((s->b[c].ts_us - w0) / p->delta_us);
            w->rx[w->bstart[b]++] = (struct rx){(uint32_t)i, s->b[c].ts_us, s->b[c].bytes};
        }
    }
    for (size_t b = w->nbuckets; b > 0; b--)
        w->bstart[b] = w->bstart[b - 1];
    w->bstart[0] = 0;
    /* Coincidences: a send of i, a receive of j within 0..delta and size. */
    pm_clear(&w->pm);
    bool cut = false;
    for (size_t i = 0; i < ng; i++) {
        const struct ci_subject *s = &w->subj[g[i]];
        for (size_t c = w->lo[i]; c < w->hi[i]; c++) {
            if (!(s->b[c].dir & CI_SEND))
                continue;
            size_t b0 = (size_t)((s->b[c].ts_us - w0) / p->delta_us);
            for (size_t b = b0; b <= b0 + 1 && b < w->nbuckets; b++) {
                for (size_t k = w->bstart[b]; k < w->bstart[b + 1]; k++) {
                    const struct rx *r = &w->rx[k];
                    int64_t lag = r->ts_us - s->b[c].ts_us;
                    if (r->s == i || lag < 0 || lag > p->delta_us ||
                        !size_ok(s->b[c].bytes, r->bytes, p))
                        continue;
                    uint32_t a = (uint32_t)(i < r->s ? i : r->s);
                    uint32_t bb = (uint32_t)(i < r->s ? r->s : i);
                    if (pm_inc(&w->pm, a, bb, &cut))
                        return err_set(e, RC_NOMEM, "contact inference: out of memory");
                }
            }
        }
    }
    if (cut)
        st->candidates_cut++;
    if (w->pm.used > w->cand_cap) {
        uint64_t *c = realloc(w->cand, w->pm.used * sizeof *c);
        if (!c)
            return err_set(e, RC_NOMEM, "contact inference: out of memory");
        w->cand = c;
        w->cand_cap = w->pm.used;
    }
    size_t nc = 0;
    for (size_t k = 0; k < w->pm.cap; k++)
        if (w->pm.key[k] && w->pm.val[k] >= p->min_matched)
            w->cand[nc++] = w->pm.key[k];
    if (nc)
        qsort(w->cand, nc, sizeof *w->cand, cmp_u64);
    st->candidates += nc;
    st->windows++;
    for (size_t k = 0; k < nc; k++) {
        size_t la = (size_t)(w->cand[k] >> 32) - 1, lb = (size_t)(w->cand[k] & 0xffffffffu) - 1;
        int rc = test_pair(w, g, la, lb, w0, all, fn, user, st, e);
        if (rc)
            return rc;
    }
    return 0;
}

static int service_group(struct work *w, const size_t *g, size_t ng, bool all, ci_result_fn fn,
                         void *user, struct ci_stats *st, struct err *e)
{
    const int64_t W = w->p->window_us;
    for (size_t i = 0; i < ng; i++)
        w->cur[i] = 0;
    for (;;) {
        /* Next window holding any burst of the group. */
        bool any = false;
        int64_t next = 0;
        for (size_t i = 0; i < ng; i++) {
            const struct ci_subject *s = &w->subj[g[i]];
            if (w->cur[i] >= s->n)
                continue;
            int64_t wi = floor_div(s->b[w->cur[i]].ts_us, W);
            if (!any || wi < next)
                next = wi;
            any = true;
        }
        if (!any)
            return 0;
        int rc = window(w, g, ng, next * W, all, fn, user, st, e);
        if (rc)
            return rc;
    }
}

int ci_correlate(const struct ci_subject *subj, size_t n, const struct ci_params *p, bool all,
                 ci_result_fn fn, void *user, struct ci_stats *st, struct err *e)
{
    struct ci_stats dummy = {0};
    if (!st)
        st = &dummy;
    if (p->delta_us <= 0 || p->window_us <= 2 * p->min_shift_us || p->min_shift_us < p->delta_us ||
        p->shifts < 1 || p->shifts > CI_MAX_SHIFTS || p->min_matched < 1 || p->p_max <= 0)
        return err_set(e, RC_CONFIG,
                       "contact inference: need 0 < delta <= min_shift, window > 2 x min_shift,"
                       " 1 <= shifts <= %u, min_matched >= 1, p_max > 0", CI_MAX_SHIFTS);
    if (n == 0)
        return 0;
    struct work w = {.subj = subj, .p = p};
    struct ord_ent *oe = calloc(n, sizeof *oe);
    w.ord = calloc(n, sizeof *w.ord);
    w.cur = calloc(n, sizeof *w.cur);
    w.lo = calloc(n, sizeof *w.lo);
    w.hi = calloc(n, sizeof *w.hi);
    w.nbuckets = (size_t)(p->window_us / p->delta_us) + 2;
    w.bstart = calloc(w.nbuckets + 1, sizeof *w.bstart);
    int rc = 0;
    if (!oe || !w.ord || !w.cur || !w.lo || !w.hi || !w.bstart) {
        rc = err_set(e, RC_NOMEM, "contact inference: out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        oe[i] = (struct ord_ent){&subj[i], i};
    qsort(oe, n, sizeof *oe, cmp_ord);
    for (size_t i = 0; i < n; i++)
        w.ord[i] = oe[i].i;
    for (size_t s = 0; s < n && !rc;) {
        size_t t = s + 1;
        while (t < n && cmp_str(subj[w.ord[t]].service, subj[w.ord[s]].service) == 0)
            t++;
        rc = service_group(&w, w.ord + s, t - s, all, fn, user, st, e);
        s = t;
    }
out:
    free(oe);
    free(w.ord);
    free(w.cur);
    free(w.lo);
    free(w.hi);
    free(w.bstart);
    free(w.cand);
    free(w.rx);
    free(w.pm.key);
    free(w.pm.val);
    free(w.shifted);
    free(w.ua);
    free(w.ub);
    return rc;
}

/* ---- call pairing ------------------------------------------------------- */

bool ci_is_call_flow(const char *method, const char *ndpi_proto, const char *service,
                     int64_t duration_us)
{
    static const char *const media[] = {"STUN", "RTP", "SRTP", "RTCP", "DTLS"};
    if (!service || !*service || duration_us < CI_CALL_MIN_US)
        return false;
    if (method && strcmp(method, "call-socket") == 0)
        return true;
    if (!ndpi_proto)
        return false;
    /* nDPI names are "Master.App" ("STUN.WhatsApp"): the master is the part
     * before the dot. */
    size_t len = strcspn(ndpi_proto, ".");
    for (size_t i = 0; i < sizeof media / sizeof media[0]; i++)
        if (strlen(media[i]) == len && strncasecmp(ndpi_proto, media[i], len) == 0)
            return true;
    /* nDPI 4.2's call protocols of messaging apps: WhatsAppCall, SkypeCall,
     * SnapchatCall (as master or app part). */
    for (const char *part = ndpi_proto; *part;) {
        size_t n = strcspn(part, ".");
        if (n > 4 && strncmp(part + n - 4, "Call", 4) == 0)
            return true;
        part += n;
        if (*part == '.')
            part++;
    }
    return false;
}

static bool volume_close(uint64_t x, uint64_t y, double *worst)
{
    uint64_t big = x > y ? x : y, d = x > y ? x - y : y - x;
    double rel = big ? (double)d / (double)big : 0.0;
    if (rel > *worst)
        *worst = rel;
    return d * 100 <= big * CI_CALL_VOLUME_PCT;
}

bool ci_call_pair(const struct ci_call *a, const struct ci_call *b, double *score)
{
    if (cmp_str(a->subject, b->subject) == 0 || cmp_str(a->service, b->service) != 0)
        return false;
    bool relay = cmp_str(a->relay, b->relay) == 0;
    bool p2p = cmp_str(a->peer, b->subject) == 0 || cmp_str(b->peer, a->subject) == 0;
    if (!relay && !p2p)
        return false;
    int64_t ds = a->start_us - b->start_us, de = a->end_us - b->end_us;
    if (ds < -CI_CALL_START_TOL_US || ds > CI_CALL_START_TOL_US || de < -CI_CALL_END_TOL_US ||
        de > CI_CALL_END_TOL_US)
        return false;
    double worst = 0;
    bool ok = volume_close(a->up, b->down, &worst);
    ok = volume_close(a->down, b->up, &worst) && ok;
    if (ok && score)
        *score = 1.0 - worst;
    return ok;
}

static int cmp_call(const void *x, const void *y)
{
    const struct ci_call *a = *(const struct ci_call *const *)x, *b = *(const struct ci_call *const *)y;
    int c = cmp_str(a->service, b->service);
    if (!c)
        c = (a->start_us > b->start_us) - (a->start_us < b->start_us);
    if (!c)
        c = cmp_str(a->subject, b->subject);
    if (!c)
        c = cmp_str(a->relay, b->relay);
    if (!c)
        c = (a->end_us > b->end_us) - (a->end_us < b->end_us);
    return c;
}

int ci_call_pairs(const struct ci_call *c, size_t n, ci_call_fn fn, void *user, struct err *e)
{
    /* The index: calls sorted by (service, start); a call's partners are the
     * calls after it whose start lies within the start tolerance. */
    const struct ci_call **s = calloc(n + 1, sizeof *s);
    if (!s)
        return err_set(e, RC_NOMEM, "call pairing: out of memory");
    for (size_t i = 0; i < n; i++)
        s[i] = &c[i];
    qsort(s, n, sizeof *s, cmp_call);
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        for (size_t j = i + 1; j < n && !rc; j++) {
            if (cmp_str(s[j]->service, s[i]->service) != 0 ||
                s[j]->start_us - s[i]->start_us > CI_CALL_START_TOL_US)
                break;
            double score;
            if (!ci_call_pair(s[i], s[j], &score))
                continue;
            bool first = cmp_str(s[i]->subject, s[j]->subject) < 0;
            rc = first ? fn(s[i], s[j], score, user) : fn(s[j], s[i], score, user);
        }
    }
    free(s);
    return rc;
}

bool infer_allowed(const struct ci_scope *scope)
{
    if (!scope || !scope->present)
        return true; /* research mode: written, and always labelled [inferred] */
    return scope->inferred_contact;
}
