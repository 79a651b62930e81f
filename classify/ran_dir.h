/* ran_dir.h - the RAN rows' UE directory: what the UE contexts of one
 * association learned about a UE (its identity, address, session,
 * ciphering), filed under the temporary identity the core gave it, for the
 * contexts of the other associations of that row.
 *
 * A UE that moves while idle comes back through another base station, on
 * another SCTP association, naming itself by its S-TMSI alone (TS 23.401
 * 5.3.4.1, TS 23.502 4.2.3.2); after an X2 / Xn handover the target base
 * station's association carries its later messages, its Path Switch
 * Request naming the UE by the id the core node gave it.  The keys are the
 * caller's 64-bit values: ranbind.c files a UE under the core node and the
 * M-TMSI / 5G-TMSI (ran.h, struct ran_msg: a TMSI is unique within the node
 * that allocated it, TS 23.003 2.4, 2.10), under a hash of the core
 * node's address and its UE id, and under a hash of the gateway's end of
 * the UE's uplink tunnel (ranbind.c: struct row_dir).
 *
 * Bounded: at most RAN_DIR_MAX entries; when full, the entry filed longest
 * ago gives way (counted by the caller).  Lookups and stores are by hash.
 */
#ifndef PR_CLASSIFY_RAN_DIR_H
#define PR_CLASSIFY_RAN_DIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "classify/tgpp.h"

#define RAN_DIR_MAX 8192u /* UEs filed per row */

/* The APNs / DNNs a row's filed UEs name, each once: a filed UE holds an
 * index, not the 101-byte name (a network has a handful of APNs; the
 * UE's card was 184 bytes with it, 88 without). */
#define RAN_DIR_APNS 64
struct ran_apns {
    unsigned n;
    char s[RAN_DIR_APNS][TGPP_APN_MAX];
};

/* apn's index + 1 in a, added when new; 0 for none (a NULL, "" apn) and
 * when a is full (then *full is set). */
uint8_t ran_apns_id(struct ran_apns *a, const char *apn, bool *full);

/* The APN of index id (""for 0 or an index a does not hold). */
const char *ran_apns_name(const struct ran_apns *a, uint8_t id);

struct ran_dir;

/* A directory of values of value_size bytes; NULL when out of memory. */
struct ran_dir *ran_dir_new(size_t value_size);

void ran_dir_free(struct ran_dir *d);

/* The value filed under key (borrowed until the next put), or NULL. */
const void *ran_dir_get(const struct ran_dir *d, uint64_t key);

/* Files a copy of value under key, replacing what was filed under it.
 * Returns false (nothing filed) when out of memory; *evicted is
 * incremented when the oldest entry gave way. */
bool ran_dir_put(struct ran_dir *d, uint64_t key, const void *value, uint64_t *evicted);

/* Entries filed. */
size_t ran_dir_count(const struct ran_dir *d);

#endif
