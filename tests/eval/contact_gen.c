/* contact_gen.c - synthetic burst traces (see contact_gen.h). */
#include "tests/eval/contact_gen.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify/classify.h"

#define US 1000000.0

void cg_defaults(struct cg_settings *s)
{
    memset(s, 0, sizeof *s);
    s->subjects = 200;
    s->pairs = 60;
    s->external = 40;
    s->start_us = 1767225600LL * 1000000; /* 2026-01-01T00:00:00Z */
    s->span_us = 900LL * 1000000;
    s->msg_mean_s = 60.0;
    s->session_on_frac = 1.0;
    s->session_len_s = 900.0;
    s->media_prob = 0.10;
    s->latency_s = 0.30;
    s->jitter_b_s = 0.20;
    s->late_prob = 0.05;
    s->keepalive_s = 120.0;
    s->push_s = 180.0;
    s->media_bg_s = 900.0;
    s->seed = 1;
}

void cg_settings_text(const struct cg_settings *s, char *out, size_t cap)
{
    snprintf(out, cap,
             "M=%u pairs=%u external=%u idle=%u; messages exp(mean %.0f s)%s, media %.0f%%;"
             " latency %.2f s + Laplace(b=%.2f s), late %.0f%% (+3..30 s); background:"
             " keep-alive mean %.0f s, push mean %.0f s, media mean %.0f s",
             s->subjects, s->pairs, s->external, s->subjects - 2 * s->pairs - s->external,
             s->msg_mean_s, s->session_on_frac < 1 ? " in sessions" : " all window",
             s->media_prob * 100, s->latency_s, s->jitter_b_s, s->late_prob * 100,
             s->keepalive_s, s->push_s, s->media_bg_s);
}

/* splitmix64 (Steele et al. 2014): deterministic on every platform. */
struct rng {
    uint64_t s;
};

static uint64_t next64(struct rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double unif(struct rng *r) { return ((double)(next64(r) >> 11) + 0.5) / 9007199254740992.0; }
static double expo(struct rng *r, double mean) { return -mean * log(unif(r)); }
static double normal(struct rng *r)
{
    return sqrt(-2.0 * log(unif(r))) * cos(6.283185307179586 * unif(r));
}
static double lognormal(struct rng *r, double median, double sigma)
{
    return median * exp(sigma * normal(r));
}
static double laplace(struct rng *r, double b)
{
    double u = unif(r) - 0.5;
    return u < 0 ? b * log(1 + 2 * u) : -b * log(1 - 2 * u);
}

struct raw {
    int64_t t, end;
    uint64_t bytes;
    uint8_t dir;
};

struct list {
    struct raw *r;
    size_t n, cap;
};

static int push(struct list *l, int64_t t, uint64_t bytes, uint8_t dir)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        struct raw *n = realloc(l->r, cap * sizeof *n);
        if (!n)
            return -1;
        l->r = n;
        l->cap = cap;
    }
    /* A burst lasts about its size at 1 MB/s (short for text, long for media). */
    l->r[l->n++] = (struct raw){t, t + (int64_t)((double)bytes), bytes, dir};
    return 0;
}

static uint64_t msg_size(struct rng *r, const struct cg_settings *s, int *media)
{
    *media = unif(r) < s->media_prob;
    double v = *media ? lognormal(r, 150000, 0.8) : lognormal(r, 300, 0.6);
    return v < 60 ? 60 : (uint64_t)v;
}

/* One message from subject a (list la) to b (lb, NULL = unmonitored). */
static int message(struct rng *r, const struct cg_settings *s, int64_t t, struct list *la,
                   struct list *lb)
{
    int media;
    uint64_t size = msg_size(r, s, &media);
    bool ack = unif(r) < 0.3;
    if (push(la, t, size + (ack ? 80 : 0), ack ? CI_BOTH : CI_SEND))
        return -1;
    double lag = s->latency_s + laplace(r, s->jitter_b_s);
    if (lag < 0.02)
        lag = 0.02;
    if (unif(r) < s->late_prob)
        lag += 3 + 27 * unif(r);
    double rs = (double)size + (-100 + 400 * unif(r));
    if (media)
        rs *= 1 + 0.04 * (unif(r) - 0.5);
    bool receipt = unif(r) < 0.3;
    if (!lb)
        return 0;
    return push(lb, t + (int64_t)(lag * US), (uint64_t)(rs < 60 ? 60 : rs) + (receipt ? 80 : 0),
                receipt ? CI_BOTH : CI_RECV);
}

/* Message times of one conversation: Poisson in on-periods. */
static int conversation(struct rng *r, const struct cg_settings *s, struct list *la,
                        struct list *lb, bool b_monitored)
{
    int64_t t = s->start_us, end = s->start_us + s->span_us;
    bool on = true;
    int64_t period_end = end;
    if (s->session_on_frac < 1) {
        on = unif(r) < s->session_on_frac;
        double mean = on ? s->session_len_s : s->session_len_s * (1 - s->session_on_frac) /
                                                  s->session_on_frac;
        period_end = t + (int64_t)(expo(r, mean) * US);
    }
    while (t < end) {
        if (!on) {
            t = period_end;
            on = true;
            period_end = t + (int64_t)(expo(r, s->session_len_s) * US);
            continue;
        }
        t += (int64_t)(expo(r, s->msg_mean_s) * US);
        if (t >= period_end) {
            if (s->session_on_frac >= 1)
                break;
            t = period_end;
            on = false;
            period_end = t + (int64_t)(expo(r, s->session_len_s * (1 - s->session_on_frac) /
                                                   s->session_on_frac) * US);
            continue;
        }
        if (t >= end)
            break;
        bool from_a = unif(r) < 0.5;
        int rc = from_a ? message(r, s, t, la, b_monitored ? lb : NULL)
                        : message(r, s, t, b_monitored ? lb : la, b_monitored ? la : NULL);
        if (!b_monitored && !from_a) {
            /* The unmonitored partner sent: only a's receive burst exists. */
            la->n--; /* drop the send burst just pushed on a ... */
            int media;
            uint64_t size = msg_size(r, s, &media);
            rc = push(la, t + (int64_t)(s->latency_s * US), size, CI_RECV);
        }
        if (rc)
            return -1;
    }
    return 0;
}

static int background(struct rng *r, const struct cg_settings *s, struct list *l)
{
    int64_t end = s->start_us + s->span_us;
    for (int64_t t = s->start_us + (int64_t)(expo(r, s->keepalive_s) * US); t < end;
         t += (int64_t)(expo(r, s->keepalive_s) * US)) {
        static const uint8_t dirs[] = {CI_SEND, CI_RECV, CI_BOTH};
        if (push(l, t, 100 + (uint64_t)(150 * unif(r)), dirs[next64(r) % 3]))
            return -1;
    }
    for (int64_t t = s->start_us + (int64_t)(expo(r, s->push_s) * US); t < end;
         t += (int64_t)(expo(r, s->push_s) * US))
        if (push(l, t, (uint64_t)(lognormal(r, 300, 0.6) + 60), CI_RECV))
            return -1;
    for (int64_t t = s->start_us + (int64_t)(expo(r, s->media_bg_s) * US); t < end;
         t += (int64_t)(expo(r, s->media_bg_s) * US))
        if (push(l, t, (uint64_t)lognormal(r, 150000, 0.8) + 60, CI_RECV))
            return -1;
    return 0;
}

static int cmp_raw(const void *x, const void *y)
{
    const struct raw *a = x, *b = y;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    return (a->bytes > b->bytes) - (a->bytes < b->bytes);
}

/* Sorted, clipped to the trace, merged like classify/burst.c. */
static struct ci_burst *finish(struct list *l, const struct cg_settings *s, size_t *n)
{
    if (l->n)
        qsort(l->r, l->n, sizeof *l->r, cmp_raw);
    struct ci_burst *b = calloc(l->n + 1, sizeof *b);
    if (!b)
        return NULL;
    size_t k = 0;
    int64_t end = s->start_us + s->span_us, cur_end = 0;
    for (size_t i = 0; i < l->n; i++) {
        const struct raw *r = &l->r[i];
        if (r->t < s->start_us || r->t >= end)
            continue;
        if (k && r->t - cur_end <= (int64_t)CLASSIFY_DEFAULT_BURST_GAP_US) {
            b[k - 1].bytes += r->bytes;
            b[k - 1].dir |= r->dir;
            if (r->end > cur_end)
                cur_end = r->end;
            continue;
        }
        b[k++] = (struct ci_burst){r->t, r->bytes, r->dir};
        cur_end = r->end;
    }
    *n = k;
    return b;
}

int cg_generate(const struct cg_settings *s, struct cg_trace *t)
{
    memset(t, 0, sizeof *t);
    size_t n = s->subjects;
    struct list *l = calloc(n, sizeof *l);
    t->n = n;
    t->subj = calloc(n, sizeof *t->subj);
    t->b = calloc(n, sizeof *t->b);
    t->nb = calloc(n, sizeof *t->nb);
    t->partner = calloc(n, sizeof *t->partner);
    t->ids = calloc(n, sizeof *t->ids);
    int rc = -1;
    if (!l || !t->subj || !t->b || !t->nb || !t->partner || !t->ids)
        goto out;
    struct rng r = {s->seed * 0x2545F4914F6CDD1DULL + 12345};
    /* Subjects are shuffled so that pair members are not neighbours. */
    unsigned *perm = calloc(n, sizeof *perm);
    if (!perm)
        goto out;
    for (size_t i = 0; i < n; i++)
        perm[i] = (unsigned)i;
    for (size_t i = n - 1; i > 0; i--) {
        size_t j = next64(&r) % (i + 1);
        unsigned x = perm[i];
        perm[i] = perm[j];
        perm[j] = x;
    }
    for (size_t i = 0; i < n; i++)
        t->partner[i] = (unsigned)-1;
    rc = 0;
    for (unsigned p = 0; p < s->pairs && !rc; p++) {
        unsigned a = perm[2 * p], b = perm[2 * p + 1];
        t->partner[a] = b;
        t->partner[b] = a;
        rc = conversation(&r, s, &l[a], &l[b], true);
    }
    for (unsigned x = 0; x < s->external && !rc; x++)
        rc = conversation(&r, s, &l[perm[2 * s->pairs + x]], NULL, false);
    for (size_t i = 0; i < n && !rc; i++)
        rc = background(&r, s, &l[i]);
    free(perm);
    for (size_t i = 0; i < n && !rc; i++) {
        snprintf(t->ids[i], sizeof t->ids[i], "s%05zu", i);
        t->b[i] = finish(&l[i], s, &t->nb[i]);
        if (!t->b[i]) {
            rc = -1;
            break;
        }
        t->subj[i] = (struct ci_subject){t->ids[i], "svc", t->b[i], t->nb[i]};
    }
out:
    if (l)
        for (size_t i = 0; i < n; i++)
            free(l[i].r);
    free(l);
    if (rc)
        cg_free(t);
    return rc;
}

void cg_free(struct cg_trace *t)
{
    if (t->b)
        for (size_t i = 0; i < t->n; i++)
            free(t->b[i]);
    free(t->b);
    free(t->subj);
    free(t->nb);
    free(t->partner);
    free(t->ids);
    memset(t, 0, sizeof *t);
}
