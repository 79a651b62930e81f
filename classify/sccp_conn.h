/* sccp_conn.h - SCCP connection table: what a connection's first message
 * said (its SSN, the subscriber identity), for the data messages (DT1)
 * that follow, which carry only the receiver's local reference.
 *
 * Spec: ITU-T Q.714 section 3 (connection-oriented procedures: CR names
 * the originator's local reference, CC the responder's; DT1 carries the
 * destination reference; RLSD / RLC release).
 *
 * Bounded: SCCP_CONN_SLOTS connections; opening one more evicts the least
 * recently used; a connection idle for SCCP_CONN_IDLE_US is forgotten.
 * Keys include the point-code pair, so references of different links do
 * not mix.
 */
#ifndef PR_CLASSIFY_SCCP_CONN_H
#define PR_CLASSIFY_SCCP_CONN_H

#include <stdbool.h>
#include <stdint.h>

/* Connections tracked at once (an MSC sees thousands; SMS rides a few, and
 * each lives seconds). */
#define SCCP_CONN_SLOTS 256
/* A connection unheard of for this long is gone (Q.714 inactivity timers
 * T(ias)/T(iar) are minutes; SMS transactions take seconds). */
#define SCCP_CONN_IDLE_US (300ull * 1000000u)
#define SCCP_CONN_ID_MAX 20

struct sccp_conn_entry {
    bool used, has_b;
    uint64_t pcs;            /* point-code pair, order-independent */
    uint32_t ref_a, ref_b;   /* CR source, CC source */
    int ssn;                 /* called SSN of the CR, -1 */
    int id_type;             /* 1 IMSI, 4 TMSI, -1 unknown */
    char id[SCCP_CONN_ID_MAX];
    uint64_t last_us, key;   /* key: stable per connection (pairs SMS answers) */
};

struct sccp_conn_stats {
    uint64_t opened, closed, evicted, expired, unknown_ref;
};

struct sccp_conn;

/* Returns an owned, empty table or NULL (out of memory). NULL-safe free. */
struct sccp_conn *sccp_conn_new(void);
void sccp_conn_free(struct sccp_conn *t);

/* The order-independent key of two point codes. */
uint64_t sccp_conn_pcs(int64_t opc, int64_t dpc);

/* Opens a connection (CR).  Never fails: evicts when full. */
struct sccp_conn_entry *sccp_conn_open(struct sccp_conn *t, uint64_t pcs, uint32_t src_ref,
                                       int ssn, uint64_t ts_us);

/* The connection whose reference (either side) is ref, or NULL (counted). */
struct sccp_conn_entry *sccp_conn_find(struct sccp_conn *t, uint64_t pcs, uint32_t ref,
                                       uint64_t ts_us);

void sccp_conn_close(struct sccp_conn *t, struct sccp_conn_entry *e);

void sccp_conn_get_stats(const struct sccp_conn *t, struct sccp_conn_stats *out);

#endif
