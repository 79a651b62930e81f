/* report_model.h - everything a contact-record report shows, read from the
 * database into typed tables (rt.h) that every format renders.
 *
 * Reads only: the caller opens the store read-only (store_open(path, true)),
 * so a report runs while a live capture writes (WAL).  Every section is
 * built from the tables that exist: sms_events and ott_events are optional,
 * and a missing table makes its sections absent, never an error.
 *
 * Subjects (DOMAIN.md §4.2, issue 10) are people or local endpoints, never
 * a remote party: a subscriber (key: its IMSI, else its canonical MSISDN)
 * whose SMS legs (by number) and flows (by TEID or UE address within the
 * binding interval, subscriber_sessions) are one subject; else a local
 * endpoint of the flow (report/localnet.h: --home-net, the runs' home_net,
 * private/CGNAT/ULA/link-local space); else, only when no home network is
 * known at all, the flow's client address (kind client-address).  The
 * remote end of a flow is a relay (service infrastructure) or, on a call,
 * a peer (local, bound to a subscriber, or not a service address); a peer
 * bound to a subscriber is a direct OTT contact (observed).  Relays are
 * reported per service, never as counterparts common to subjects.
 * --subject matches a subject or any of its identities (IMSI, MSISDN in any
 * notation, IMEI, UE address).
 */
#ifndef PR_REPORT_REPORT_MODEL_H
#define PR_REPORT_REPORT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/rc.h"
#include "report/localnet.h"
#include "report/rt.h"
#include "report/store.h"

/* OTT activity closer than this is one period (the "missed by a carrier-only
 * pen register" analysis), and an SMS record within this distance of a
 * period counts as carrier-visible activity for it. */
#define RM_PERIOD_GAP_US (60LL * 1000000)
/* Subjects accepted on the command line. */
#define RM_MAX_SUBJECTS 64
/* Nodes in the link chart (beyond it the chart is cut and says so). */
#define RM_MAX_NODES 5000

struct rm_filter {
    const char *subjects[RM_MAX_SUBJECTS]; /* borrowed */
    size_t nsubjects;                      /* 0 = every subject */
    long long from_us, to_us;              /* [from, to); to = 0: no upper bound */
    const char *service;                   /* NULL = any (case-insensitive) */
    const char *klass;                     /* NULL = ott-messaging for OTT sections */
    const char *home_net;                  /* --home-net CIDR list (borrowed), NULL none */
};

enum rm_tab {
    RM_RUNS, RM_INPUTS, RM_RUN_STATS,
    RM_SUBJECTS, RM_SMS_CONTACTS, RM_OTT_SESSIONS, RM_OTT_BURSTS, RM_ACTIVITY_HOUR,
    RM_ACTIVITY_WEEKDAY, RM_OTT_PERIODS,
    RM_COMMON_COUNTERPARTS, RM_COMMON_SERVICES,
    RM_FLOWS, RM_SMS_EVENTS, RM_OTT_EVENTS,
    RM_NODES, RM_EDGES,
    RM_TL_SMS, RM_TL_OTT,
    RM_TL_HEAT, /* hour-of-day x weekday counts per subject (the heatmap) */
    RM_INFERRED_CONTACTS,
    RM_SUBSCRIBER_IDS,  /* identities of subscriber subjects (issue 10) */
    RM_OTT_CALLS,       /* call records: call media flows of messaging services */
    RM_DIRECT_CONTACTS, /* a peer of a call or flow is itself a subscriber (observed) */
    RM_SMS_MESSAGES,    /* one row per SMS and side, its legs (issue 19) */
    RM_TAB_COUNT
};

/* Interrupted run ids listed in the warning (the rest are counted). */
#define RM_MAX_WARN_RUNS 16
/* Room for report_model_warning's text. */
#define RM_WARNING_MAX 512

struct report_model {
    long long generated_us;        /* when the report was generated (UTC) */
    char generator_version[32];    /* this build's version */
    bool has_sms, has_ott_events;  /* the optional source tables exist */
    bool has_inferred;             /* trapline infer ran on this database */
    struct rm_filter filter;       /* as given (borrowed strings) */
    long long interrupted[RM_MAX_WARN_RUNS]; /* ids of interrupted runs */
    size_t ninterrupted, interrupted_more;   /* listed, and beyond the list */
    /* Issue 11: the authority block, one line per run ('\n'-separated): the
     * scope's case, authority, targets, window and operator, or "research
     * mode: no authorisation was recorded"; the out-of-scope drop counters
     * for the minimisation section ("" when no run had a scope); the audit
     * chain head ("" when there is no audit log).  Owned, NUL-terminated. */
    char *authority;
    char *scope_dropped;
    char audit_head[160];
    struct localnet home;          /* home networks: --home-net and runs.home_net */
    struct rt_table t[RM_TAB_COUNT];
};

/* Header note printed by every format: where times come from.  The
 * authority block (DOMAIN.md §4.2 item 1 expects it up front) is built per
 * database into report_model.authority. */
extern const char report_model_time_note[];

/* Caveats printed with the inferred-contact section in every format
 * (NULL-terminated); the short form is a column of every row (CSV). */
extern const char *const report_model_inferred_caveats[];
extern const char report_model_inferred_caveat_short[];

/* The minimisation statement printed in every header. */
extern const char *const report_model_minimisation[];

/* Builds the model from s (borrowed, read-only use).  generated_us is the
 * generation time to print; version the generator's version.  Returns owned
 * or NULL with e set (RC_SQL, RC_NOMEM). */
struct report_model *report_model_build(struct store *s, const struct rm_filter *f,
                                        long long generated_us, const char *version,
                                        struct err *e);

void report_model_free(struct report_model *m);

/* The warning every format prints at its top when a run was interrupted
 * (its process died: kill, crash, full disk), "" when none; n >= 1. */
void report_model_warning(const struct report_model *m, char *out, size_t n);

/* Describes the active filter in one line ("" when none) into out. */
void report_model_filter_text(const struct report_model *m, char *out, size_t n);

#endif
