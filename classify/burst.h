/* burst.h - activity bursts inside one flow: runs of payload-carrying
 * packets separated by less than an idle gap.
 *
 * An OTT messaging flow is encrypted, so what a pen register can log is
 * when it was active: each burst becomes a struct ott_event (first and
 * last packet time, packets, bytes, directions).  Bare ACKs and
 * keep-alives without payload are not activity.  Times are packet times;
 * a packet older than the last one extends nothing backwards.
 */
#ifndef PR_CLASSIFY_BURST_H
#define PR_CLASSIFY_BURST_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/flow.h"
#include "classify/events.h"

/* One flow's current burst (zero it to start: no burst). */
struct burst {
    uint64_t start_us, last_us, packets, bytes;
    uint8_t dirs; /* bit per enum dir */
};

/* True when the packet at ts_us (payload_len captured-or-claimed payload
 * bytes, wirelen bytes on the wire, direction d) starts a new burst because
 * more than gap_us passed since the current burst's last packet: the caller
 * reports b with burst_event() and calls burst_reset() first, then calls
 * burst_add() again.  Otherwise the packet is added (payload-less packets
 * are ignored) and false is returned. */
bool burst_add(struct burst *b, uint64_t gap_us, enum dir d, uint64_t ts_us, uint32_t payload_len,
               uint32_t wirelen);

/* Fills ev from a burst of flow flow_id; false when b holds no packet. */
bool burst_event(const struct burst *b, uint64_t flow_id, struct ott_event *ev);

/* Forgets the current burst. */
void burst_reset(struct burst *b);

#endif
