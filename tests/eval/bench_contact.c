/* bench_contact.c - `make bench-contact`: the scale figure of issue 16.
 * 1,000 subjects of one service with a day (86,400 s) of bursts each
 * (contact_gen.h: 300 conversation pairs talking in sessions, 200 external
 * talkers, 200 idle subjects, background on all), run through ci_correlate
 * with the command's defaults (900 s windows, 999 shifts, p <= 0.001).
 * Prints bursts, candidate pairs, tests, reported pairs and the time.
 * Usage: bench_contact [SUBJECTS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "report/contact_infer.h"
#include "tests/eval/contact_gen.h"

struct tally {
    const struct cg_trace *t;
    unsigned char *found; /* per subject: its true pair was reported */
    size_t true_rows, false_rows;
    unsigned *wins;       /* n x n: windows reported per pair (a < b) */
};

static int on_result(const struct ci_result *r, void *user)
{
    struct tally *y = user;
    size_t lo = r->a < r->b ? r->a : r->b, hi = r->a < r->b ? r->b : r->a;
    y->wins[lo * y->t->n + hi]++;
    if (y->t->partner[r->a] == r->b) {
        y->true_rows++;
        y->found[r->a] = 1;
    } else {
        y->false_rows++;
    }
    return 0;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    struct cg_settings s;
    cg_defaults(&s);
    s.subjects = argc > 1 ? (unsigned)atoi(argv[1]) : 1000;
    if (s.subjects < 10)
        s.subjects = 10;
    s.pairs = s.subjects * 3 / 10;
    s.external = s.subjects / 5;
    s.span_us = 86400LL * 1000000;
    s.session_on_frac = 0.15; /* conversations ~3.6 h of the day */
    s.session_len_s = 1200;
    char line[512];
    cg_settings_text(&s, line, sizeof line);
    printf("bench-contact: %s; span 86400 s\n", line);
    double t0 = now_s();
    struct cg_trace t;
    if (cg_generate(&s, &t))
        return 1;
    size_t bursts = 0;
    for (size_t i = 0; i < t.n; i++)
        bursts += t.nb[i];
    double t1 = now_s();
    struct ci_params p;
    ci_params_default(&p);
    struct tally y = {&t, calloc(t.n, 1), 0, 0, calloc(t.n * t.n, sizeof(unsigned))};
    struct ci_stats st = {0};
    struct err e = {""};
    if (!y.found || !y.wins || ci_correlate(t.subj, t.n, &p, false, on_result, &y, &st, &e)) {
        fprintf(stderr, "bench-contact: %s\n", e.msg);
        return 1;
    }
    double t2 = now_s();
    size_t found = 0;
    for (size_t i = 0; i < t.n; i++)
        found += y.found[i];
    char pl[256];
    ci_params_text(&p, pl, sizeof pl);
    printf("detector: %s\n", pl);
    printf("subjects %zu, bursts %zu (%.0f per subject), windows %llu\n", t.n, bursts,
           (double)bursts / (double)t.n, (unsigned long long)st.windows);
    printf("candidate pairs %llu (of %zu pairs x %llu windows), tested %llu, shifts %llu,"
           " cut %llu/%llu\n",
           (unsigned long long)st.candidates, t.n * (t.n - 1) / 2,
           (unsigned long long)(st.windows), (unsigned long long)st.tested,
           (unsigned long long)st.shifts_run, (unsigned long long)st.candidates_cut,
           (unsigned long long)st.events_cut);
    printf("reported rows %llu: true pairs %zu rows (%zu of %u pairs found in some window),"
           " other pairs %zu rows\n",
           (unsigned long long)st.reported, y.true_rows, found, s.pairs, y.false_rows);
    /* Per pair and day: reported windows (each window is a test at p_max, so
     * over 96 windows an unrelated pair may reach one by chance). */
    for (unsigned k = 1; k <= 4; k++) {
        size_t tp = 0, fp = 0;
        for (size_t a = 0; a < t.n; a++)
            for (size_t b = a + 1; b < t.n; b++)
                if (y.wins[a * t.n + b] >= k)
                    t.partner[a] == b ? tp++ : fp++;
        printf("pairs with >= %u reported windows in the day: true %zu of %u, unrelated %zu of %zu\n",
               k, tp, s.pairs, fp, t.n * (t.n - 1) / 2 - s.pairs);
    }
    printf("pair-windows implicitly tested: %llu; expected chance rows at p_max: <= %.0f\n",
           (unsigned long long)(t.n * (t.n - 1) / 2 * st.windows),
           p.p_max * (double)(t.n * (t.n - 1) / 2 * st.windows));
    printf("time: generate %.1f s, correlate %.1f s (wall, this machine)\n", t1 - t0, t2 - t1);
    free(y.found);
    free(y.wins);
    cg_free(&t);
    return 0;
}
