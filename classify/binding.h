/* binding.h - the subscriber bindings table: who held which address and
 * which GTP-U tunnels, and when (issue 10).
 *
 * A binding ties a subscriber (IMSI, MSISDN, IMEI, or a user name / SIP
 * identity where that is all the evidence gives) to a UE IPv4 address, an
 * IPv6 /64 prefix and GTP TEIDs, over a validity interval on packet time:
 * opened by a Create Session / Create PDP Context / Accounting-Start /
 * Access-Accept / CCR-Initial / REGISTER 200, extended by Modify / Update /
 * Interim / CCR-Update (and given its /64 by a Router Advertisement in its
 * tunnel), closed by Delete / Stop / CCR-Termination.  A
 * binding still open when the run ends is flushed as open-ended (open flag
 * set, end = time of the last evidence).
 *
 * The table is bounded (a capacity fixed at creation, BINDING_TABLE_MAX by
 * default); at capacity the binding that ended first (else the one with the
 * oldest evidence) is handed to the final callback and dropped, and counted;
 * with a keep function, the bindings it keeps (the targets of a scope) leave
 * only when no other binding can.
 * Two bindings of different subscribers whose intervals overlap on one
 * address are both kept and flagged `conflict`, never merged.
 *
 * Bindings are value types (no pointers).  Other modules forward-declare
 * struct sub_binding and include this header where they read its fields.
 */
#ifndef PR_CLASSIFY_BINDING_H
#define PR_CLASSIFY_BINDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "classify/tgpp.h"

#define BINDING_TABLE_MAX 4096 /* default capacity: open PDN sessions in one capture */
#define BINDING_TABLE_LIMIT (1u << 22) /* largest capacity an option may ask for */
#define BIND_MAX_TEIDS 12      /* S11 + S5 control and S1-U + S5-U user plane, both ends */
#define BIND_V6_PREFIX 8      /* a UE's IPv6 addresses share its /64 (TS 23.401 5.3.1.2.2) */

/* Evidence source protocol. */
enum bind_src {
    BIND_SRC_GTPV2 = 1,
    BIND_SRC_GTPV1,
    BIND_SRC_GTPV0,
    BIND_SRC_RADIUS,
    BIND_SRC_DIAMETER,
    BIND_SRC_SIP,
    BIND_SRC_S1AP,
    BIND_SRC_NGAP,
    BIND_SRC_NDP,  /* a Router Advertisement in a GTP-U tunnel (classify/ndp.h): an UPDATE
                    * that gives a /64 to the session holding the tunnel, whatever the
                    * session's source; it never opens a session */
};

/* Whose address owns a TEID when the message did not carry it: a decoder
 * that sees no addresses marks the TEID and the driver that has the packet
 * fills it in (binding_resolve). */
enum bind_owner {
    BIND_OWNER_ADDR = 0,  /* addr / alen as given (alen 0: unknown) */
    BIND_OWNER_SENDER,    /* the sender of the packet carrying the evidence */
    BIND_OWNER_RECEIVER,  /* its receiver */
};

/* A TEID and the address of the node that owns (receives on) it; alen 0
 * when the owner's address was not signalled. */
struct bind_teid {
    uint32_t teid;
    bool control;      /* a GTP-C TEID (otherwise GTP-U) */
    uint8_t owner;     /* enum bind_owner */
    uint8_t alen;      /* 0, 4 or 16 */
    uint8_t addr[16];
};

/* What one piece of evidence does to the table. */
enum bind_op {
    BIND_OPEN = 0, /* a session starts (or an identical open one is extended) */
    BIND_UPDATE,   /* extends an open session; opens one (mid_session) if none matches */
    BIND_CLOSE,    /* ends the matching open session(s) at the evidence time */
};

struct sub_binding {
    uint32_t id;                   /* assigned by the table, in creation order */
    enum bind_op op;               /* as evidence (proto_emit binding): what it does */
    enum bind_src src;
    uint64_t flow_id;              /* flow that carried the (opening) evidence; 0 = unknown */
    uint64_t evidence_us;          /* time of the latest evidence */
    uint64_t start_us, end_us;     /* end_us meaningful when !open */
    bool open;                     /* no close seen (open-ended at flush) */
    bool mid_session;              /* first seen in an update: the true start is earlier */
    bool conflict;                 /* another subscriber held the address meanwhile */
    char imsi[TGPP_IMSI_MAX], msisdn[TGPP_MSISDN_MAX], imei[TGPP_IMEI_MAX];
    char user[TGPP_USER_MAX];      /* User-Name / NAI / SIP public identity */
    char station[TGPP_USER_MAX];   /* Calling-Station-Id that is not an E.164 number (MAC) */
    bool has_v4, has_v6;
    uint8_t v4[4];
    uint8_t v6_prefix[BIND_V6_PREFIX];
    unsigned nteid;
    struct bind_teid teid[BIND_MAX_TEIDS];
    char apn[TGPP_APN_MAX];
    char cell[TGPP_CELL_MAX];
    uint64_t session_key;          /* Acct-Session-Id / Session-Id / GTPv0 TID hash; 0 = none */
};

struct binding_stats {
    uint64_t opened, merged, updated, closed, close_unmatched, conflicts, evicted, dropped_teids;
    uint64_t addr_nomem; /* addresses not indexed: no memory (retried at the next merge) */
};

struct binding_table;

/* Receives a binding leaving the table (eviction or flush), borrowed for the
 * call. */
typedef void (*binding_final_fn)(const struct sub_binding *b, void *user);

/* Creates a table for at most `capacity` bindings (0 = BINDING_TABLE_MAX).
 * fn may be NULL.  Returns NULL on allocation failure. */
struct binding_table *binding_table_new(size_t capacity, binding_final_fn fn, void *user);

/* Says which bindings are to stay longest (keep returns true): at capacity
 * every other binding leaves first.  Asked when a binding is inserted and
 * whenever evidence merges into it; fn NULL keeps none.  fn must not change
 * t. */
typedef bool (*binding_keep_fn)(const struct sub_binding *b, void *user);
void binding_table_set_keep(struct binding_table *t, binding_keep_fn fn, void *user);

/* Frees t and every binding in it without calling the final callback;
 * NULL is a no-op. */
void binding_table_free(struct binding_table *t);

/* Applies one piece of evidence `e` (borrowed; its evidence_us is the packet
 * time, its identities / addresses / TEIDs / APN / cell are what the
 * message gave).  Matching an open binding of the same source (NDP
 * evidence: of any source), in order: the same session_key (non-zero), a
 * shared TEID with the same owner address, or the same subscriber on the
 * same address.  OPEN merges into
 * such a match or inserts; UPDATE merges (adding TEIDs, replacing cell)
 * or inserts marked mid_session when e carries an identity; CLOSE sets
 * end_us and clears open on every match (counted as close_unmatched when
 * none).  Returns the id of the binding touched, or 0 when nothing changed. */
uint32_t binding_table_apply(struct binding_table *t, enum bind_op op,
                             const struct sub_binding *e);

/* Lookups at packet time ts: fill out[] with up to max bindings valid at ts
 * (start <= ts and (open or ts <= end)), in id order; return how many
 * matched in all (which may exceed max).  by_teid matches the owner address
 * when both the query (alen > 0) and the binding carry one; with an owner
 * address and the TEID index on it opens only the bindings holding that
 * TEID, otherwise it reads the whole table.  by_ipv6 compares the /64.  The pointers are
 * borrowed until the next call that changes t. */
size_t binding_table_by_teid(const struct binding_table *t, uint32_t teid, const uint8_t *addr,
                             size_t alen, uint64_t ts, const struct sub_binding **out,
                             size_t max);
size_t binding_table_by_ipv4(const struct binding_table *t, const uint8_t v4[4], uint64_t ts,
                             const struct sub_binding **out, size_t max);
size_t binding_table_by_ipv6(const struct binding_table *t, const uint8_t v6[16], uint64_t ts,
                             const struct sub_binding **out, size_t max);
size_t binding_table_by_imsi(const struct binding_table *t, const char *imsi, uint64_t ts,
                             const struct sub_binding **out, size_t max);
size_t binding_table_by_msisdn(const struct binding_table *t, const char *msisdn, uint64_t ts,
                               const struct sub_binding **out, size_t max);

/* Keeps an index of the user-plane TEIDs from now on (those of the bindings
 * held included), for binding_table_by_teid with an owner address: about
 * 24 bytes per TEID held.  Idempotent. */
void binding_table_index_teids(struct binding_table *t);

/* How many binding records the address lookups (by_ipv4, by_ipv6) and the
 * TEID lookup with an owner address have opened so far: those on the
 * address or TEID asked for, whatever their interval, not every binding of
 * the table (a diagnostic for tests). */
uint64_t binding_table_records_read(const struct binding_table *t);

/* The i-th binding in id order (i < binding_table_count()), whatever its
 * interval (for reports and tests); NULL past the end.  Borrowed until t
 * changes. */
const struct sub_binding *binding_table_at(const struct binding_table *t, size_t i);
size_t binding_table_count(const struct binding_table *t);

/* Hands every binding to the final callback in id order (open ones keep
 * open = true and get end_us = their last evidence time) and empties t. */
void binding_table_flush(struct binding_table *t);

const struct binding_stats *binding_table_stats(const struct binding_table *t);

/* Adds a TEID to b unless present (counted in *dropped when b is full). */
void binding_add_teid(struct sub_binding *b, uint32_t teid, bool control, const uint8_t *addr,
                      size_t alen, uint64_t *dropped);

/* Adds TEID teid owned by the sender or receiver (enum bind_owner) of the
 * packet that will carry b; resolved by binding_resolve(). */
void binding_add_teid_owner(struct sub_binding *b, uint32_t teid, bool control,
                            enum bind_owner owner);

/* Fills the owner address of every TEID marked BIND_OWNER_SENDER /
 * RECEIVER from the packet's src / dst (alen 4 or 16). */
void binding_resolve(struct sub_binding *b, const uint8_t *src, const uint8_t *dst, size_t alen);

/* Short lower-case name of a source ("gtpv2", "radius", ...). */
const char *binding_src_name(enum bind_src s);

#endif
