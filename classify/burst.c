/* burst.c - activity bursts (see burst.h). */
#include "classify/burst.h"

#include <string.h>

#include "capture/str.h"

bool burst_add(struct burst *b, uint64_t gap_us, enum dir d, uint64_t ts_us, uint32_t payload_len,
               uint32_t wirelen)
{
    if (payload_len == 0)
        return false;
    if (b->packets && ts_us > b->last_us && ts_us - b->last_us > gap_us)
        return true;
    if (!b->packets)
        b->start_us = ts_us;
    b->last_us = ts_us > b->last_us ? ts_us : b->last_us;
    b->packets++;
    b->bytes += wirelen;
    b->dirs |= (uint8_t)(1u << d);
    return false;
}

bool burst_event(const struct burst *b, uint64_t flow_id, struct ott_event *ev)
{
    if (!b->packets)
        return false;
    memset(ev, 0, sizeof *ev);
    ev->flow_id = flow_id;
    ev->ts_us = b->start_us;
    ev->end_ts_us = b->last_us;
    ev->packets = b->packets;
    ev->bytes = b->bytes;
    unsigned both = (1u << DIR_C2S) | (1u << DIR_S2C);
    str_copy(ev->direction, sizeof ev->direction,
             b->dirs == both ? "both" : b->dirs == (1u << DIR_C2S) ? "c2s" : "s2c");
    return true;
}

void burst_reset(struct burst *b) { memset(b, 0, sizeof *b); }
