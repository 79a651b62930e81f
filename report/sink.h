/* sink.h - where a run's records go: one ops table, one opaque handle.
 *
 * The write side of trapline in the style of Suricata's output modules: the
 * pipeline and the command line hand finished records to a sink and never
 * see how or where they are kept.  A backend (report/sink_sqlite.c today; a
 * PostgreSQL or a test sink tomorrow) fills a static struct sink_ops and
 * wraps its state with sink_new(); everything else calls the sink_*()
 * functions below.  Nothing here names a database type or holds SQL text.
 *
 * Contract every backend keeps:
 *   - rows of one run are written in call order and become visible to
 *     readers no later than the next sink_commit() or sink_run_end();
 *   - run_begin and run_end are visible at once (a report can say a run is
 *     going on, or how it ended);
 *   - the content written for the same calls is the same on every run
 *     (deterministic: no wall-clock field other than those passed in).
 *
 * Errors are sticky (Redis rio): after the first failed write every later
 * write returns the same error without reaching the backend, so a caller
 * may check once at the end.  e may be NULL everywhere.
 *
 * A NULL op means the backend does not store that kind of row: the call
 * returns 0 and writes nothing (so an older backend keeps working when a
 * kind is added).
 */
#ifndef PR_REPORT_SINK_H
#define PR_REPORT_SINK_H

#include <stddef.h>
#include <stdint.h>

#include "capture/rc.h"
#include "capture/source.h"
#include "classify/events.h"
#include "report/record.h"

struct sink;
struct sub_binding; /* a subscriber identity bound to an address (classify/binding.h) */
struct audit_row;   /* one row of the hash-chained audit log (report/audit.h) */

/* The start of a run.  Strings are borrowed for the call. */
struct sink_run_info {
    uint64_t started_us;       /* wall clock, UTC microseconds (only runs carry wall time) */
    const char *mode;          /* "analyze" or "live" */
    const char *tool_version;
    const char *command_line;
    const char *signature_sha256;
    const char *ndpi_version;
    const char *probe;         /* capture point name (--probe; runs.probe) */
    const char *home_net;      /* --home-net CIDR list ("" or NULL none) */
};

/* One pcap_stats sample of a live capture: cumulative totals since the
 * capture started, taken at wall-clock time ts_us (UTC microseconds). */
struct sink_capture_stats {
    uint64_t ts_us;
    uint64_t received;         /* passed the kernel filter */
    uint64_t dropped;          /* dropped for lack of buffer space */
    uint64_t if_dropped;       /* dropped by the interface */
};

/* A backend.  Every op gets the handle (its state via sink_impl()) and a
 * caller-supplied e; it returns 0 or a negative enum rc with e set.  Record
 * arguments are borrowed for the call. */
struct sink_ops {
    const char *name; /* "sqlite" */
    /* Records the start of a run and returns its id in *run_id. */
    int (*run_begin)(struct sink *s, const struct sink_run_info *ri, int64_t *run_id,
                     struct err *e);
    /* Input number seq (0-based, in open order) of the run: a file or an interface. */
    int (*input)(struct sink *s, int64_t run_id, size_t seq, const struct source_input *in,
                 struct err *e);
    /* A contact record; a record with the same (run_id, flow_id) replaces the
     * earlier one (live interim rows, end_reason "active"). */
    int (*flow)(struct sink *s, int64_t run_id, const struct flow_record *r, struct err *e);
    int (*sms_event)(struct sink *s, int64_t run_id, const struct sms_event *ev, struct err *e);
    int (*ott_event)(struct sink *s, int64_t run_id, const struct ott_event *ev, struct err *e);
    /* A named run counter; a second value for the same name replaces the first. */
    int (*run_stat)(struct sink *s, int64_t run_id, const char *name, uint64_t value,
                    struct err *e);
    int (*capture_stats)(struct sink *s, int64_t run_id, const struct sink_capture_stats *cs,
                         struct err *e);
    /* A subscriber identity bound to an address (issue 10). */
    int (*binding)(struct sink *s, int64_t run_id, const struct sub_binding *b, struct err *e);
    /* Appends an audit row (issue 11): the caller sets r->ts_utc,
     * operator_name, action ("run-start", "input", "report", ...), run_id (0
     * when the action belongs to no run) and the canonical detail; the
     * backend chains it to the previous row (report/audit.h), fills r->seq,
     * r->prev_hash and r->hash, and makes it visible at once. */
    int (*audit)(struct sink *s, struct audit_row *r, struct err *e);
    /* Looks up an input of an earlier run that was read completely, with
     * this size and (sha256_hex non-NULL) this SHA-256: 1 with *run_id set,
     * 0 when there is none, or a negative enum rc (re-run skipping). */
    int (*find_input)(struct sink *s, uint64_t bytes, const char *sha256_hex, int64_t *run_id,
                      struct err *e);
    /* Makes every row written so far visible to readers. */
    int (*commit)(struct sink *s, struct err *e);
    /* Records how the run ended (status "complete", "partial", "failed") at
     * wall-clock finished_us, marks its inputs still "reading" as
     * "interrupted", and commits.  A run that never gets here (its process
     * died) is found by the backend's own liveness check when the database
     * is next opened for writing and marked "interrupted" (issue 17). */
    int (*run_end)(struct sink *s, int64_t run_id, uint64_t finished_us, const char *status,
                   struct err *e);
    /* Commits what is pending (unless an error is sticky) and frees the state. */
    void (*close)(struct sink *s);
};

/* For backends: wraps impl (taken: released by ops->close) in a new handle.
 * ops is borrowed for the handle's lifetime (a static table).  Returns owned
 * or NULL (RC_NOMEM in e; impl is then not released). */
struct sink *sink_new(const struct sink_ops *ops, void *impl, struct err *e);

/* For backends: the state given to sink_new. */
void *sink_impl(const struct sink *s);

/* The backend's name ("sqlite"). */
const char *sink_name(const struct sink *s);

/* The sticky error: 0, or the first failure returned by any write. */
int sink_error(const struct sink *s);

/* The write calls: dispatch to the op, or return 0 when it is NULL; return
 * the sticky error once one is set. */
int sink_run_begin(struct sink *s, const struct sink_run_info *ri, int64_t *run_id,
                   struct err *e);
int sink_input(struct sink *s, int64_t run_id, size_t seq, const struct source_input *in,
               struct err *e);
int sink_flow(struct sink *s, int64_t run_id, const struct flow_record *r, struct err *e);
int sink_sms_event(struct sink *s, int64_t run_id, const struct sms_event *ev, struct err *e);
int sink_ott_event(struct sink *s, int64_t run_id, const struct ott_event *ev, struct err *e);
int sink_run_stat(struct sink *s, int64_t run_id, const char *name, uint64_t value,
                  struct err *e);
int sink_capture_stats(struct sink *s, int64_t run_id, const struct sink_capture_stats *cs,
                       struct err *e);
int sink_binding(struct sink *s, int64_t run_id, const struct sub_binding *b, struct err *e);
int sink_audit(struct sink *s, struct audit_row *r, struct err *e);
int sink_commit(struct sink *s, struct err *e);

/* A read: see sink_ops.find_input; 0 when the backend cannot look inputs up.
 * A failure does not make the sink's error sticky. */
int sink_find_input(struct sink *s, uint64_t bytes, const char *sha256_hex, int64_t *run_id,
                    struct err *e);

/* Records the end of the run.  Unlike the other writes it is attempted even
 * when an error is sticky (a failed run must still say "failed" when the
 * backend can); it then returns the sticky error. */
int sink_run_end(struct sink *s, int64_t run_id, uint64_t finished_us, const char *status,
                 struct err *e);

/* Closes the backend and frees the handle.  NULL is a no-op. */
void sink_close(struct sink *s);

#endif
