/* scope_filter.h - decides, before anything is stored, whether a flow, an SMS
 * event, an OTT event or a subscriber binding belongs to a target of the
 * authorisation scope at its time (DOMAIN.md §1.6 item 2: records for
 * non-targets are filtered out at capture time, not at report time).
 *
 * Rules (issue 11):
 *   - SMS event: in scope when a target is its originator or recipient
 *     (pen register and trap-and-trace), or its IMSI is a target's; the
 *     counterpart's number is kept, since that is what the order asks for.
 *   - Flow: in scope when one of its endpoint addresses lies in a target
 *     IP/CIDR, or - through the binding lookup callback - is bound at the
 *     flow's start to a subscriber whose IMSI, MSISDN or IMEI is a target,
 *     or - through the tunnel lookup callback - was carried in a GTP-U
 *     tunnel that is such a subscriber's at the flow's start (the report's
 *     flow_subscribers attributes by TEID too; a session may have no
 *     address to match, such as an IPv6-only PDN connection whose /64 the
 *     control plane does not carry).
 *   - OTT event: in scope when its flow is, its time is inside the window,
 *     and the scope allows `inferred-activity`.
 *   - Binding (address <-> subscriber): only a target's is stored.
 * Time: each record is judged at one instant (flow start, event time,
 * binding time) against the window of the matching target (its own, or the
 * scope's).  Everything dropped is counted per record kind and reason.
 *
 * The filter borrows the scope; it is not thread-safe (one per pipeline).
 */
#ifndef PR_REPORT_SCOPE_FILTER_H
#define PR_REPORT_SCOPE_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/rc.h"
#include "classify/events.h"
#include "signatures/scope.h"

enum scope_verdict {
    SCOPE_KEEP = 0,
    SCOPE_DROP_NO_TARGET,
    SCOPE_DROP_BEFORE_WINDOW,
    SCOPE_DROP_AFTER_WINDOW,
    SCOPE_DROP_OUTPUT_NOT_ALLOWED,
    SCOPE_VERDICT_COUNT
};

enum scope_record_kind {
    SCOPE_REC_FLOW,
    SCOPE_REC_SMS,
    SCOPE_REC_OTT,
    SCOPE_REC_BINDING,
    SCOPE_REC_KIND_COUNT
};

/* A subscriber identity bound to a UE address (issue 10's bindings).  Empty
 * strings are unknown parts. */
struct scope_subscriber {
    char imsi[16];
    char msisdn[SMS_ADDR_MAX];  /* any notation */
    char imei[17];
};

/* Lookup callback: is the address (family 4 or 6; 4 or 16 bytes at addr,
 * borrowed) bound at time t_us to a subscriber?  Fills *out and returns true
 * when it is.  Called for both endpoints of a flow that matched no IP target;
 * it must not call back into the filter. */
typedef bool (*scope_binding_lookup_fn)(void *user, uint8_t family, const uint8_t *addr,
                                        uint64_t t_us, struct scope_subscriber *out);

/* The GTP-U tunnel a flow was carried in, per direction (enum dir): the
 * TEID (0 = none) and the node that owns it, the packets' outer destination
 * (family 4 or 6; 0 = not known). */
struct scope_tunnel {
    uint32_t teid[2];
    uint8_t node_family[2];
    const uint8_t *node[2];
};

/* Tunnel lookup callback: is user-plane TEID teid, owned by node (family
 * node_family, 4 or 16 bytes at node; family 0: not known), a subscriber's
 * at time t_us?  Fills *out and returns true when it is.  Called for each
 * TEID of a flow that matched no target by address; it must not call back
 * into the filter. */
typedef bool (*scope_tunnel_lookup_fn)(void *user, uint32_t teid, uint8_t node_family,
                                       const uint8_t *node, uint64_t t_us,
                                       struct scope_subscriber *out);

struct scope_filter_stats {
    uint64_t kept[SCOPE_REC_KIND_COUNT];
    uint64_t dropped[SCOPE_REC_KIND_COUNT][SCOPE_VERDICT_COUNT]; /* [k][SCOPE_KEEP] unused */
};

struct scope_filter;

/* Creates a filter over sc (borrowed; must outlive the filter).  Returns
 * owned or NULL (RC_NOMEM in e). */
struct scope_filter *scope_filter_new(const struct scope *sc, struct err *e);
void scope_filter_free(struct scope_filter *f);

/* Installs the binding lookup (NULL = none: flows match IP targets only). */
void scope_filter_set_lookup(struct scope_filter *f, scope_binding_lookup_fn fn, void *user);

/* Installs the tunnel lookup (NULL = none: a flow's tunnel is not asked). */
void scope_filter_set_tunnel_lookup(struct scope_filter *f, scope_tunnel_lookup_fn fn,
                                    void *user);

/* The decisions.  Each counts its verdict in the stats.  Inputs are borrowed.
 * flow: family 4/6, client and server addresses, flow start time, and the
 * GTP-U tunnel it was carried in (NULL: none). */
enum scope_verdict scope_filter_flow(struct scope_filter *f, uint8_t family,
                                     const uint8_t *client, const uint8_t *server,
                                     uint64_t first_us, const struct scope_tunnel *tun);
enum scope_verdict scope_filter_sms(struct scope_filter *f, const struct sms_event *ev);
/* OTT event ev of a flow whose own verdict is flow_verdict (from
 * scope_filter_flow_peek or an earlier scope_filter_flow). */
enum scope_verdict scope_filter_ott(struct scope_filter *f, const struct ott_event *ev,
                                    enum scope_verdict flow_verdict);
enum scope_verdict scope_filter_binding(struct scope_filter *f, const struct scope_subscriber *b,
                                        uint64_t t_us);

/* Whether some target names subscriber b (IMSI, MSISDN or IMEI), whatever
 * its window; nothing is counted.  The run's bindings table keeps such
 * subscribers' sessions longest (report/pipeline.c). */
bool scope_filter_names_subscriber(const struct scope_filter *f,
                                   const struct scope_subscriber *b);

/* The flow decision without counting it (for an OTT event of a live flow,
 * or an interim row of a live flow, decided again when it ends). */
enum scope_verdict scope_filter_flow_peek(struct scope_filter *f, uint8_t family,
                                          const uint8_t *client, const uint8_t *server,
                                          uint64_t first_us, const struct scope_tunnel *tun);

void scope_filter_get_stats(const struct scope_filter *f, struct scope_filter_stats *out);

const char *scope_verdict_name(enum scope_verdict v);     /* "no-target", ... */
const char *scope_record_kind_name(enum scope_record_kind k); /* "flows", "sms_events", ... */

/* Visits the drop counters as (name, value) with names like
 * "scope_dropped_sms_events_no_target" and "scope_kept_flows": the names
 * the pipeline writes to run_stats. */
typedef int (*scope_counter_fn)(void *user, const char *name, uint64_t value);
int scope_filter_each_counter(const struct scope_filter *f, scope_counter_fn fn, void *user);

#endif
