/* contact_gen.h - synthetic burst traces of M subjects of one messaging
 * service behind a shared relay, with known conversation pairs (issue 16's
 * evaluation harness; used by eval_contact.c and bench_contact.c).
 *
 * Bursts are generated directly (not packets): each subject's list is what
 * classify/burst.c would emit for its flow, including the merge of events
 * closer than the burst gap (CLASSIFY_DEFAULT_BURST_GAP_US).  The model and
 * its sources (DOMAIN.md section 2):
 *   - messages of a conversation: inter-message delays exponential
 *     (Bahramali et al. NDSS 2020 fit Telegram traffic so), mean
 *     msg_mean_s; the sender is either side with probability 1/2;
 *   - message size: log-normal text (median 300 B on the wire, sigma 0.6),
 *     with probability media_prob a photo/media message (log-normal, median
 *     150 kB, sigma 0.8);
 *   - delivery: the receive burst starts base latency + Laplace jitter
 *     (Bahramali et al.: network latency ~ Laplace) after the send burst;
 *     with probability late_prob the receiver is asleep and gets it 3..30 s
 *     later (push wake-up); the receive burst differs in size by the relay's
 *     own framing (-100..+300 B, and +-2% for media);
 *   - acknowledgements: with probability 0.3 the sender's burst also holds
 *     the server's ack (direction both, +80 B), and the receiver's its
 *     delivery receipt;
 *   - background on every subject: presence/keep-alive bursts (Poisson,
 *     mean keepalive_s, 100-250 B, any direction), push notifications from
 *     groups and channels (receive, Poisson mean push_s, text sizes), media
 *     downloads (receive, Poisson mean media_bg_s, media sizes);
 *   - subjects: conversation pairs, "external" talkers whose partner is not
 *     monitored (their messages appear on one side only), and idle subjects
 *     (background only).
 */
#ifndef PR_TESTS_EVAL_CONTACT_GEN_H
#define PR_TESTS_EVAL_CONTACT_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "report/contact_infer.h"

struct cg_settings {
    unsigned subjects;        /* M */
    unsigned pairs;           /* conversation pairs (2 x pairs subjects) */
    unsigned external;        /* subjects talking to unmonitored partners */
    int64_t start_us, span_us;
    double msg_mean_s;        /* mean inter-message delay in a conversation */
    double session_on_frac;   /* 1 = the conversation spans the whole trace; else sessions */
    double session_len_s;     /* mean session length when on_frac < 1 */
    double media_prob;
    double latency_s, jitter_b_s; /* base latency, Laplace scale */
    double late_prob;
    double keepalive_s, push_s, media_bg_s;
    uint64_t seed;
};

void cg_defaults(struct cg_settings *s);

/* Writes the settings as one line into out. */
void cg_settings_text(const struct cg_settings *s, char *out, size_t cap);

struct cg_trace {
    size_t n;                   /* subjects */
    struct ci_subject *subj;    /* ids "s0001"..., service "svc" */
    struct ci_burst **b;        /* per subject, owned */
    size_t *nb;
    unsigned *partner;          /* partner index, or (unsigned)-1 */
    char (*ids)[16];
};

/* Generates a trace; returns 0 or -1 (out of memory). */
int cg_generate(const struct cg_settings *s, struct cg_trace *t);
void cg_free(struct cg_trace *t);

#endif
