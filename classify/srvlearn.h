/* srvlearn.h - servers learnt in this run: (server address, transport,
 * port) -> the messaging service a decided flow found there.
 *
 * A long-lived messaging connection whose handshake happened before the
 * capture started carries no server name, no preamble and nothing nDPI can
 * name.  When another flow of the same run reached the same server address
 * and port and was decided by payload evidence (an SNI such as
 * g.whatsapp.net, a preamble, nDPI's inspection), the address serves that
 * service (signatures/README.md, method `learnt-server`).  Shared front ends
 * (CDNs, cloud load balancers) serve many names: an address that a decided
 * flow shows serving anything else (another service, or a server name no
 * rule knows) is marked conflicting and never answers again.
 *
 * Bounded (open addressing, SRVLEARN_PROBE slots per key; a full window
 * replaces the entry learnt longest ago, counted), fixed-key placement, and
 * packet time only: an entry answers for flows whose time is within
 * SRVLEARN_TTL_US of the last time it was learnt.
 */
#ifndef PR_CLASSIFY_SRVLEARN_H
#define PR_CLASSIFY_SRVLEARN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/rc.h"

#define SRVLEARN_DEFAULT_CAPACITY 4096
#define SRVLEARN_PROBE 8
/* An hour: front-end addresses of the messaging services stay in DNS
 * answers for minutes (WhatsApp's TTLs are 60-300 s) but a chat connection
 * to one lives for hours; an hour bounds how stale an inference may be. */
#define SRVLEARN_TTL_US (3600ull * 1000000ull)
/* svc value meaning "served something that is not a catalog service". */
#define SRVLEARN_OTHER (-2)

struct srvlearn_stats {
    uint64_t learned;   /* new entries */
    uint64_t refreshed; /* same service seen again */
    uint64_t conflicts; /* entries that saw a second service (or an unknown name) */
    uint64_t replaced;  /* live entries pushed out by a full probe window */
    uint64_t hits;      /* flows answered */
};

struct srvlearn;

/* capacity is rounded up to a power of two.  Returns owned or NULL (e set). */
struct srvlearn *srvlearn_new(size_t capacity, struct err *e);
void srvlearn_free(struct srvlearn *t);

/* Records that the server (family 4/6, addr 4/16 bytes borrowed, l4proto,
 * port) served catalog service svc (>= 0) or SRVLEARN_OTHER at ts_us. */
void srvlearn_learn(struct srvlearn *t, uint8_t family, const uint8_t *addr, uint8_t l4proto,
                    uint16_t port, int svc, uint64_t ts_us);

/* The service the server served within SRVLEARN_TTL_US of ts_us, or -1
 * (unknown, conflicting, or too far in time).  Counts hits only. */
int srvlearn_find(struct srvlearn *t, uint8_t family, const uint8_t *addr, uint8_t l4proto,
                  uint16_t port, uint64_t ts_us);

void srvlearn_get_stats(const struct srvlearn *t, struct srvlearn_stats *out);

#endif
