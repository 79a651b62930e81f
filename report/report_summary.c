/* report_summary.c - summary page, provenance block and findings (see
 * report_summary.h). */
#include "report/report_summary.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const report_summary_terms[][2] = {
    {"subject", "a person or a local endpoint, never a remote party: a subscriber (IMSI with"
                " its MSISDNs and IMEIs from the mobile control plane; its SMS and its data"
                " sessions are one subject), an SMS number, or a local address (--home-net,"
                " private/CGNAT/ULA space); all its identities are listed on its line."},
    {"OTT messaging session", "one encrypted flow classified as a messaging service (e.g. "
                              "WhatsApp, Signal); its counterpart is not observable, only the "
                              "relay endpoint."},
    {"burst", "a run of closely spaced packets inside an OTT flow, inferred from packet timing"
              " (not an observed message)."},
    {"OTT messaging period", "OTT activity of one subject with no gap longer than 60 s."},
    {"missed", "OTT activity with no carrier SMS record of the same subject within 60 s: what "
               "a carrier-only pen register would not have recorded."},
    {"relay", "the server address:port/protocol an OTT flow went to (the service's server, "
              "not a person); reported per service, never as a link between subjects."},
    {"peer", "the other device of direct call media (a local address, a subscriber, or a"
             " non-service address); a peer that is a subscriber is a direct OTT contact."},
    {"calls", "call records of the subject: call media flows (STUN/TURN, RTP/SRTP, nDPI call"
              " verdicts) of a messaging service on one local call socket."},
    {NULL, NULL},
};

static const char *cs(const struct rt_table *t, size_t r, int k)
{
    if (k < 0)
        return "";
    const struct rt_cell *c = rt_at(t, r, (size_t)k);
    return c->type == RT_TEXT && c->s ? c->s : "";
}

static long long ci(const struct rt_table *t, size_t r, int k)
{
    if (k < 0)
        return 0;
    const struct rt_cell *c = rt_at(t, r, (size_t)k);
    return c->type == RT_NULL ? 0 : c->i;
}

static void finding(struct report_summary *sum, const char *fmt, const char *a,
                    long long x, long long y)
{
    if (sum->nfindings == RS_MAX_FINDINGS) {
        sum->findings_more++;
        return;
    }
    /* fmt is one of the fixed formats below. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    snprintf(sum->findings[sum->nfindings++], RS_FINDING_MAX, fmt, a, x, y);
#pragma GCC diagnostic pop
}

int report_summary_build(const struct report_model *m, struct report_summary *sum,
                         struct err *e)
{
    memset(sum, 0, sizeof *sum);
    const struct rt_table *st = &m->t[RM_SUBJECTS];
    if (st->nrows && !(sum->s = calloc(st->nrows, sizeof *sum->s)))
        return err_set(e, RC_NOMEM, "out of memory");
    sum->n = st->nrows;
    int ks = rt_col(st, "subject"), kk = rt_col(st, "kind"), kms = rt_col(st, "sms_records"),
        ko = rt_col(st, "ott_sessions"), kf = rt_col(st, "first_seen"),
        kl = rt_col(st, "last_seen"), kc = rt_col(st, "calls"), kid = rt_col(st, "identities");
    for (size_t r = 0; r < st->nrows; r++) {
        struct rs_subject *s = &sum->s[r];
        s->subject = cs(st, r, ks);
        s->kind = cs(st, r, kk);
        /* Until subjects carry identities (attribution), the subject is its
         * own and only identity; an "identities" column, when the model has
         * one, is a comma-separated list read as is. */
        if (kid < 0 || !*cs(st, r, kid))
            s->identities[s->nidentities++] = s->subject;
        else
            s->identities[s->nidentities++] = cs(st, r, kid);
        s->sms = ci(st, r, kms);
        s->ott_sessions = ci(st, r, ko);
        s->calls = ci(st, r, kc);
        s->seen = kf >= 0 && rt_at(st, r, (size_t)kf)->type != RT_NULL;
        s->first_us = ci(st, r, kf);
        s->last_us = ci(st, r, kl);
    }
    const struct rt_table *pt = &m->t[RM_OTT_PERIODS];
    int pv = rt_col(pt, "carrier_only_view");
    const struct rt_table *bt = &m->t[RM_OTT_BURSTS];
    for (size_t i = 0; i < sum->n; i++) {
        struct rt_sel sel;
        size_t r;
        rt_select(pt, sum->s[i].subject, &sel);
        while (rt_next(&sel, &r)) {
            sum->s[i].periods++;
            sum->s[i].missed += strcmp(cs(pt, r, pv), "missed") == 0;
        }
        sum->s[i].bursts = (long long)rt_count(bt, sum->s[i].subject);
    }
    /* provenance */
    const struct rt_table *rt = &m->t[RM_RUNS], *it = &m->t[RM_INPUTS];
    int krs = rt_col(rt, "status"), kib = rt_col(it, "bytes"), kip = rt_col(it, "packets"),
        kis = rt_col(it, "status");
    size_t bad_runs = 0;
    sum->runs = rt->nrows;
    for (size_t r = 0; r < rt->nrows; r++)
        bad_runs += strcmp(cs(rt, r, krs), "complete") != 0;
    sum->inputs = it->nrows;
    for (size_t r = 0; r < it->nrows; r++) {
        sum->input_bytes += ci(it, r, kib);
        sum->input_packets += ci(it, r, kip);
        sum->inputs_incomplete += strcmp(cs(it, r, kis), "complete") != 0;
    }
    if (bad_runs)
        snprintf(sum->status, sizeof sum->status, "%zu of %zu runs not complete", bad_runs,
                 sum->runs);
    else
        snprintf(sum->status, sizeof sum->status, "%s", sum->runs ? "complete" : "no runs");
    /* findings, most important first: missed periods, then calls with no
     * carrier record, then counterparts shared by subjects, then subjects
     * with no records in scope. */
    /* Missed periods, most first (ties in subject order). */
    for (long long cur = -1;;) {
        long long best = 0;
        for (size_t i = 0; i < sum->n; i++)
            if (sum->s[i].missed > best && (cur < 0 || sum->s[i].missed < cur))
                best = sum->s[i].missed;
        if (!best)
            break;
        for (size_t i = 0; i < sum->n; i++) {
            const struct rs_subject *s = &sum->s[i];
            if (s->missed == best)
                finding(sum, "%s: %lld of %lld OTT messaging periods with no carrier record "
                             "(missed)", s->subject, s->missed, s->periods);
        }
        cur = best;
    }
    for (size_t i = 0; i < sum->n; i++)
        if (sum->s[i].calls)
            finding(sum, "%s: %lld calls", sum->s[i].subject, sum->s[i].calls, 0);
    const struct rt_table *cc = &m->t[RM_COMMON_COUNTERPARTS];
    int ccp = rt_col(cc, "counterpart"), ccn = rt_col(cc, "subjects"), ccr = rt_col(cc, "records");
    for (size_t r = 0; r < cc->nrows; r++)
        finding(sum, "%s: counterpart of %lld subjects (%lld records)", cs(cc, r, ccp),
                ci(cc, r, ccn), ci(cc, r, ccr));
    for (size_t i = 0; i < sum->n; i++)
        if (!sum->s[i].seen)
            finding(sum, "%s: no records in scope", sum->s[i].subject, 0, 0);
    return 0;
}

void report_summary_free(struct report_summary *sum)
{
    if (!sum)
        return;
    free(sum->s);
    sum->s = NULL;
    sum->n = 0;
}
