/* sockbind.h - services learned per client UDP socket (calls).
 *
 * A messaging client places a call from one local UDP socket: the same
 * (client address, client port) talks to the provider's STUN/TURN relays and
 * to third-party STUN servers (WebRTC ICE, RFC 8445 section 5.1.1).  When one
 * of those flows is identified with payload evidence (a STUN REALM, a call
 * dissector), the others from the same socket within SOCKBIND_WINDOW_US
 * belong to the same call.  Bounded (open addressing, probe window; the
 * oldest entry in a full window is replaced) and keyed by packet time.
 */
#ifndef PR_CLASSIFY_SOCKBIND_H
#define PR_CLASSIFY_SOCKBIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/rc.h"

#define SOCKBIND_DEFAULT_CAPACITY 4096
#define SOCKBIND_PROBE 8
/* A call's candidate flows start within a few seconds of each other; two
 * minutes also covers ICE restarts, and is short against the minutes-long
 * reuse interval of ephemeral ports (RFC 6056 section 3). */
#define SOCKBIND_WINDOW_US (120ull * 1000000ull)

struct sockbind_stats {
    uint64_t learned, replaced;
};

struct sockbind;

struct sockbind *sockbind_new(size_t capacity, struct err *e);
void sockbind_free(struct sockbind *t);

/* Records that the socket (family 4/6, addr 4/16 bytes borrowed, port) was
 * in a flow of service svc active until ts_us. */
void sockbind_learn(struct sockbind *t, uint8_t family, const uint8_t *addr, uint16_t port,
                    int svc, uint64_t ts_us);

/* Service learned for the socket within SOCKBIND_WINDOW_US of ts_us, or -1.
 * Does not modify the table. */
int sockbind_find(const struct sockbind *t, uint8_t family, const uint8_t *addr, uint16_t port,
                  uint64_t ts_us);

void sockbind_get_stats(const struct sockbind *t, struct sockbind_stats *out);

#endif
