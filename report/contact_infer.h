/* contact_infer.h - inferred contact between monitored subjects: message
 * correlation of activity bursts and call pairing, with an error rate taken
 * from the data itself.
 *
 * Pure computation: no SQL, no I/O.  The caller (report/infer_store.c) reads
 * the bursts of each subject and service and writes what is reported.  A
 * subject is an opaque key (today an SMS number or the client address of OTT
 * flows; later a subscriber id): the detector only compares keys.
 *
 * Message correlation (Bahramali et al., NDSS 2020, the event-based
 * detector; DOMAIN.md section 2): when A sends a message to B through the
 * service's relay, A's flow carries a send burst (c2s) and, a network delay
 * later, B's flow a receive burst (s2c) of about the same size.  For a pair
 * (A, B) on one service and one observation window, an event is a burst;
 * a match is a send burst of one side and a receive burst of the other whose
 * start lags it by 0..delta and whose sizes differ by at most
 * max(gamma, gamma_pct% of the larger).  Each burst is matched at most once
 * (greedy in time order, A->B then B->A); a "both" burst may serve as a send
 * or a receive.  The statistic is the matched count; the score shown is
 * matched / min(events of A, events of B) (the largest possible count, so
 * 0..1).  The two differ only by a factor that circular shifts leave
 * unchanged, so the p-value is the same for either.
 *
 * Error rate (the null): one side's bursts are shifted circularly inside the
 * window by K deterministic shifts, each at least min_shift from 0 in both
 * directions (far beyond any network delay, so a shifted pair cannot match
 * real messages), spread by a Weyl sequence; p = (1 + #{shifted count >=
 * observed}) / (K + 1) (Davison & Hinkley 1997, the +1 makes it a valid
 * p-value).  Shifting stops as soon as p can no longer be <= p_max, so pairs
 * that cannot be reported cost a few shifts (the decision is exact; the
 * p-value printed for such a pair is a lower bound).
 *
 * Scale: candidate pairs come from an index of receive bursts by time
 * bucket (width delta) within a service and window: only pairs with at least
 * min_matched send/receive coincidences are tested.  That count bounds the
 * matched count from above, so the filter drops no pair that could be
 * reported.  Pairs of subjects are never enumerated.
 */
#ifndef PR_REPORT_CONTACT_INFER_H
#define PR_REPORT_CONTACT_INFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/rc.h"

/* Defaults (Bahramali et al. NDSS 2020 as summarised in DOMAIN.md section 2:
 * delta = 3 s, Gamma = 10 Kb = 1,250 bytes; windows 180/300/900/1800 s). */
#define CI_DEFAULT_DELTA_US 3000000LL
#define CI_DEFAULT_GAMMA_BYTES 1250u
/* Relative size tolerance for large (media) bursts, whose per-packet header
 * overhead differs between the two sides; IMProxy's code allows 25%. */
#define CI_DEFAULT_GAMMA_PCT 10u
#define CI_DEFAULT_WINDOW_US (900LL * 1000000)
#define CI_DEFAULT_SHIFTS 999u
#define CI_DEFAULT_MIN_SHIFT_US (30LL * 1000000)
#define CI_DEFAULT_P_MAX 0.001
/* Fewer matched events than this is never evidence of contact. */
#define CI_DEFAULT_MIN_MATCHED 3u

/* Call pairing tolerances (Future Internet 2026 call study, DOMAIN.md
 * section 2: start/end agreement and volume symmetry on a shared relay). */
#define CI_CALL_START_TOL_US (5LL * 1000000)
#define CI_CALL_END_TOL_US (5LL * 1000000)
#define CI_CALL_VOLUME_PCT 25u
/* Shortest flow taken as a call: signalling probes last less. */
#define CI_CALL_MIN_US (10LL * 1000000)

/* Limits: shifts per test, bursts of one subject in one window, candidate
 * pairs of one service and window (counted in ci_stats when hit). */
#define CI_MAX_SHIFTS 9999u
#define CI_MAX_WINDOW_EVENTS 100000u
#define CI_MAX_CANDIDATES (1u << 21)

enum ci_dir { CI_SEND = 1, CI_RECV = 2, CI_BOTH = 3 };

/* One burst: start time, bytes on the wire, direction seen from the subject
 * (send = c2s, receive = s2c, both). */
struct ci_burst {
    int64_t ts_us;
    uint64_t bytes;
    uint8_t dir;
};

/* A subject's bursts on one service (borrowed; b sorted by ts_us). */
struct ci_subject {
    const char *id;
    const char *service;
    const struct ci_burst *b;
    size_t n;
};

struct ci_params {
    int64_t delta_us;     /* largest send->receive lag */
    uint64_t gamma_bytes; /* absolute size tolerance */
    unsigned gamma_pct;   /* relative size tolerance (percent of the larger) */
    int64_t window_us;    /* observation window; windows are aligned to the epoch */
    unsigned shifts;      /* K, 1..CI_MAX_SHIFTS */
    int64_t min_shift_us; /* smallest circular shift, both ways */
    double p_max;         /* report when p <= p_max */
    unsigned min_matched; /* report only with at least this many matches */
};

/* Fills p with the defaults above. */
void ci_params_default(struct ci_params *p);

/* Writes the parameters as one line ("delta=3s gamma=1250B/10% ...") into
 * out (cap bytes, always terminated). */
void ci_params_text(const struct ci_params *p, char *out, size_t cap);

/* One tested pair in one window.  a and b index the subject array given to
 * ci_correlate (a's id sorts before b's). */
struct ci_result {
    size_t a, b;
    int64_t w0_us, w1_us;   /* [w0, w1) */
    unsigned na, nb;        /* bursts of a and b in the window */
    unsigned matched;       /* observed matched events */
    double score;           /* matched / min(na, nb) */
    double p;               /* (1 + exceed) / (1 + K); a lower bound when stopped early */
    unsigned shifts_done;
    bool reported;          /* p <= p_max and matched >= min_matched */
};

typedef int (*ci_result_fn)(const struct ci_result *r, void *user);

struct ci_stats {
    uint64_t windows, candidates, tested, reported, shifts_run;
    /* Pairs of subjects both active in a window, summed over windows: the
     * number of tests made implicitly (a pair the index does not propose is
     * a test that failed).  p_max x pair_windows bounds the expected number
     * of rows of unrelated pairs. */
    uint64_t pair_windows;
    uint64_t candidates_cut;  /* CI_MAX_CANDIDATES reached (pairs not tested) */
    uint64_t events_cut;      /* CI_MAX_WINDOW_EVENTS reached (bursts ignored) */
};

/* Counts matched events between a and b (sorted, borrowed) under p.  Exposed
 * for tests and the evaluation. */
unsigned ci_match_count(const struct ci_burst *a, size_t na, const struct ci_burst *b, size_t nb,
                        const struct ci_params *p);

/* Tests every candidate pair of subj (n subjects, borrowed, any order; the
 * same id may appear under several services) per service and window.  For
 * each candidate pair tested, calls fn (when all is false, only for reported
 * pairs) in a deterministic order (service, window, a, b); a non-zero return
 * from fn stops and is returned.  st (may be NULL) accumulates counters.
 * Returns 0, fn's value, RC_NOMEM or RC_CONFIG (bad parameters) with e set. */
int ci_correlate(const struct ci_subject *subj, size_t n, const struct ci_params *p, bool all,
                 ci_result_fn fn, void *user, struct ci_stats *st, struct err *e);

/* A call-ish flow of a subject: relay is the server endpoint as text, peer
 * the server address alone (a P2P flow names the other subject there). */
struct ci_call {
    const char *subject, *service, *relay, *peer;
    int64_t start_us, end_us;
    uint64_t up, down; /* bytes sent / received by the subject */
};

/* The one rule for "this flow is a call": the call-socket method, or an
 * nDPI verdict naming a real-time media protocol (STUN, RTP, SRTP, DTLS,
 * RTCP) or an app's call protocol (a name part ending in "Call":
 * WhatsAppCall, SkypeCall), on a flow whose service is known and that lasts
 * CI_CALL_MIN_US. */
bool ci_is_call_flow(const char *method, const char *ndpi_proto, const char *service,
                     int64_t duration_us);

/* True when calls a and b are the two legs of one call: different subjects,
 * same service, same relay or a P2P flow between them, start and end within
 * tolerances, and each side's upload within CI_CALL_VOLUME_PCT of the other's
 * download.  *score (may be NULL) = 1 - largest relative volume difference. */
bool ci_call_pair(const struct ci_call *a, const struct ci_call *b, double *score);

typedef int (*ci_call_fn)(const struct ci_call *a, const struct ci_call *b, double score,
                          void *user);

/* Finds every paired call among c (n, borrowed) through an index by start
 * time bucket, calling fn(a, b) with a's subject sorting first, in a
 * deterministic order.  Returns 0, fn's value or RC_NOMEM. */
int ci_call_pairs(const struct ci_call *c, size_t n, ci_call_fn fn, void *user, struct err *e);

/* The authorisation seam.  A scope (issue 11) lists allowed outputs; in
 * research mode there is none.  present = a scope is in force;
 * inferred_contact = it allows the output "inferred-contact". */
struct ci_scope {
    bool present;
    bool inferred_contact;
};

/* True when inferred contacts may be written: with a scope, only when it
 * allows inferred-contact; without one (research mode) always, and every
 * output labels them [inferred].  scope NULL = research mode. */
bool infer_allowed(const struct ci_scope *scope);

#endif
