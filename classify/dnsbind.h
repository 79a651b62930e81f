/* dnsbind.h - DNS-learned server names: (client, address) -> name until TTL.
 *
 * When a DNS answer for client C says name N has address A with TTL T, a
 * later flow from C to A is labelled with N even when it carries no server
 * name itself (TLS ECH, resumed sessions, QUIC 0-RTT, plain MTProto).  The
 * table is bounded (open addressing, a fixed probe window); time is packet
 * time, so an entry expires when a packet later than its expiry looks it up.
 * A full window evicts the entry that expires first, and every outcome is
 * counted.  Bucket placement uses a fixed key so runs are reproducible.
 */
#ifndef PR_CLASSIFY_DNSBIND_H
#define PR_CLASSIFY_DNSBIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/rc.h"
#include "classify/meta.h"

#define DNSBIND_DEFAULT_CAPACITY 8192 /* entries; ~300 bytes each */
#define DNSBIND_PROBE 8               /* slots examined per operation */
/* A client may connect right after an answer with TTL 0 (RFC 1035 section
 * 3.2.1: "zero values are interpreted to mean that the RR can only be used
 * for the transaction in progress"); the flow that follows is that use. */
#define DNSBIND_MIN_TTL_S 5
#define DNSBIND_MAX_TTL_S 86400 /* cap: one day, as many resolvers do */

struct dnsbind_stats {
    uint64_t added, refreshed, hits, misses, expired, evicted;
};

struct dnsbind;

/* capacity is rounded up to a power of two.  Returns owned or NULL. */
struct dnsbind *dnsbind_new(size_t capacity, struct err *e);
void dnsbind_free(struct dnsbind *t);

/* Binds (client, addr) to name (bounded copy) for ttl_s seconds from now_us
 * (clamped to [DNSBIND_MIN_TTL_S, DNSBIND_MAX_TTL_S]).  Each address is 4
 * or 16 bytes (borrowed) as its family (4 or 6) says; an IPv4 client may
 * learn IPv6 addresses and the reverse. */
void dnsbind_add(struct dnsbind *t, uint8_t cfamily, const uint8_t *client, uint8_t afamily,
                 const uint8_t *addr, const char *name, uint32_t ttl_s, uint64_t now_us);

/* The same with an already bounded name (borrowed), whose cut flag is kept:
 * a flow that learns a cut name reports server_name_cut. */
void dnsbind_add_name(struct dnsbind *t, uint8_t cfamily, const uint8_t *client, uint8_t afamily,
                      const uint8_t *addr, const struct meta_name *name, uint32_t ttl_s,
                      uint64_t now_us);

/* Copies the live binding of (client, addr) into *out and returns true;
 * false (out unchanged) when absent or expired (expired entries are freed). */
bool dnsbind_lookup(struct dnsbind *t, uint8_t cfamily, const uint8_t *client, uint8_t afamily,
                    const uint8_t *addr, uint64_t now_us, struct meta_name *out);

void dnsbind_get_stats(const struct dnsbind *t, struct dnsbind_stats *out);

#endif
