/* sink.c - dispatch and the sticky error shared by every sink (see sink.h). */
#include "report/sink.h"

#include <stdlib.h>

struct sink {
    const struct sink_ops *ops; /* borrowed: a backend's static table */
    void *impl;                 /* owned through ops->close */
    int sticky;                 /* first error of any write; later writes return it */
    char sticky_msg[ERR_MSG_MAX];
};

struct sink *sink_new(const struct sink_ops *ops, void *impl, struct err *e)
{
    struct sink *s = calloc(1, sizeof *s);
    if (!s) {
        err_set(e, RC_NOMEM, "out of memory for the sink");
        return NULL;
    }
    s->ops = ops;
    s->impl = impl;
    return s;
}

void *sink_impl(const struct sink *s) { return s->impl; }

const char *sink_name(const struct sink *s) { return s->ops->name; }

int sink_error(const struct sink *s) { return s->sticky; }

/* Keeps the first failure (rc != 0, message in e or a generic one). */
static int track(struct sink *s, int rc, const struct err *e)
{
    if (rc && !s->sticky) {
        s->sticky = rc;
        snprintf(s->sticky_msg, sizeof s->sticky_msg, "%s",
                 e && e->msg[0] ? e->msg : "sink: write failed");
    }
    return rc;
}

static int refuse(const struct sink *s, struct err *e)
{
    return err_set(e, s->sticky, "%s", s->sticky_msg);
}

/* Every write: the sticky error first, then the op when the backend has it.
 * A macro because the ops differ in their arguments; a local err stands in
 * for a NULL e so the sticky copy still gets the message.  Backends set e on
 * every failure (sink.h), so e is not cleared on the (hot) success path. */
#define SINK_CALL(s, e, op, ...)                                                       \
    do {                                                                               \
        if ((s)->sticky)                                                               \
            return refuse((s), (e));                                                   \
        if (!(s)->ops->op)                                                             \
            return 0;                                                                  \
        struct err local_;                                                             \
        struct err *ep_ = (e) ? (e) : &local_;                                         \
        local_.msg[0] = '\0';                                                          \
        return track((s), (s)->ops->op((s), __VA_ARGS__, ep_), ep_);                   \
    } while (0)

int sink_run_begin(struct sink *s, const struct sink_run_info *ri, int64_t *run_id,
                   struct err *e)
{
    SINK_CALL(s, e, run_begin, ri, run_id);
}

int sink_input(struct sink *s, int64_t run_id, size_t seq, const struct source_input *in,
               struct err *e)
{
    SINK_CALL(s, e, input, run_id, seq, in);
}

int sink_flow(struct sink *s, int64_t run_id, const struct flow_record *r, struct err *e)
{
    SINK_CALL(s, e, flow, run_id, r);
}

int sink_sms_event(struct sink *s, int64_t run_id, const struct sms_event *ev, struct err *e)
{
    SINK_CALL(s, e, sms_event, run_id, ev);
}

int sink_ott_event(struct sink *s, int64_t run_id, const struct ott_event *ev, struct err *e)
{
    SINK_CALL(s, e, ott_event, run_id, ev);
}

int sink_run_stat(struct sink *s, int64_t run_id, const char *name, uint64_t value,
                  struct err *e)
{
    SINK_CALL(s, e, run_stat, run_id, name, value);
}

int sink_capture_stats(struct sink *s, int64_t run_id, const struct sink_capture_stats *cs,
                       struct err *e)
{
    SINK_CALL(s, e, capture_stats, run_id, cs);
}

int sink_binding(struct sink *s, int64_t run_id, const struct sub_binding *b, struct err *e)
{
    SINK_CALL(s, e, binding, run_id, b);
}

int sink_audit(struct sink *s, struct audit_row *r, struct err *e)
{
    SINK_CALL(s, e, audit, r);
}

int sink_find_input(struct sink *s, uint64_t bytes, const char *sha256_hex, int64_t *run_id,
                    struct err *e)
{
    if (s->sticky)
        return refuse(s, e);
    if (!s->ops->find_input)
        return 0;
    return s->ops->find_input(s, bytes, sha256_hex, run_id, e);
}

int sink_commit(struct sink *s, struct err *e)
{
    if (s->sticky)
        return refuse(s, e);
    if (!s->ops->commit)
        return 0;
    struct err local = {""};
    struct err *ep = e ? e : &local;
    return track(s, s->ops->commit(s, ep), ep);
}

int sink_run_end(struct sink *s, int64_t run_id, uint64_t finished_us, const char *status,
                 struct err *e)
{
    struct err local = {""};
    struct err *ep = e ? e : &local;
    int rc = s->ops->run_end ? s->ops->run_end(s, run_id, finished_us, status, ep) : 0;
    if (s->sticky)
        return refuse(s, e);
    return track(s, rc, ep);
}

void sink_close(struct sink *s)
{
    if (!s)
        return;
    if (s->ops->close)
        s->ops->close(s);
    free(s);
}
