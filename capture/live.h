/* live.h - a live libpcap capture (a tap or SPAN port) as a packet source.
 *
 * The handle is opened the way pcap(3PCAP) recommends: pcap_create(), then
 * the options (snaplen, kernel buffer size, read timeout, promiscuous mode),
 * then pcap_activate().  A positive activate result is a warning (for example
 * PCAP_WARNING_PROMISC_NOTSUP): the capture runs and the warning is handed
 * back for the caller to log.  The link type must have a decoder
 * (decode_linktype_supported); others are refused.  A BPF filter is compiled
 * and installed before the first packet is read, so a filter that does not
 * compile is an error before capture starts.
 *
 * The handle is non-blocking; when no packet is ready live_next() waits in
 * poll() for at most LIVE_TIMEOUT_MS and returns 0, so the caller can run
 * housekeeping (idle sweep, commits, statistics) even on a quiet link.  The
 * same value is the kernel's block timeout, the longest a packet waits in a
 * partly filled ring block.  Immediate mode is not used: it would wake up
 * for every packet and cost throughput on a busy tap.
 *
 * pcap_stats() counters are 32-bit (u_int) and wrap on a long-running probe;
 * live_stats() extends them to 64 bits by accumulating deltas modulo 2^32,
 * which is exact as long as it is called at least once per 2^32 packets.
 */
#ifndef PR_CAPTURE_LIVE_H
#define PR_CAPTURE_LIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/rc.h"
#include "capture/source.h"

/* Read timeout: the longest a quiet link delays housekeeping (ms). */
#define LIVE_TIMEOUT_MS 250
/* Defaults: 256 KiB snaplen keeps every frame whole (libpcap's own default),
 * and 32 MiB of kernel ring absorbs bursts while SQLite commits. */
#define LIVE_DEFAULT_SNAPLEN 262144
#define LIVE_DEFAULT_BUFFER_MB 32
#define LIVE_MAX_BUFFER_MB 4096
#define LIVE_WARN_MAX 256

/* live_next() result when the loop was broken (pcap_breakloop, stop signal). */
#define LIVE_BREAK 2

struct live_config {
    const char *iface;      /* borrowed during live_open */
    const char *bpf;        /* NULL or "" = no filter */
    int snaplen;            /* 0 = LIVE_DEFAULT_SNAPLEN */
    int buffer_mb;          /* 0 = LIVE_DEFAULT_BUFFER_MB */
    bool no_promisc;        /* a tap delivers everything anyway; SPAN needs promisc */
};

struct live_stats {
    uint64_t received;      /* ps_recv: packets the kernel filter passed */
    uint64_t dropped;       /* ps_drop: dropped for lack of ring/buffer space */
    uint64_t if_dropped;    /* ps_ifdrop: dropped by the interface or driver */
};

struct live;
struct pcap;

/* Opens and activates the capture on cfg->iface.  On success returns an
 * owned handle; warn (LIVE_WARN_MAX bytes) holds a warning from
 * pcap_activate or "" when there was none.  Returns NULL with e set when the
 * interface cannot be opened or activated, the link type has no decoder, or
 * the filter does not compile or cannot be installed. */
struct live *live_open(const struct live_config *cfg, char warn[LIVE_WARN_MAX], struct err *e);

/* Reads the next packet: 1 = packet in *out (borrowed until the next call),
 * 0 = read timeout with no packet, LIVE_BREAK = pcap_breakloop was called,
 * RC_PCAP with e set = capture error (pcap_geterr). */
int live_next(struct live *l, struct source_packet *out, struct err *e);

/* Samples pcap_stats into *out (64-bit running totals).  Returns 0 or RC_PCAP. */
int live_stats(struct live *l, struct live_stats *out, struct err *e);

/* The libpcap handle (borrowed), for stop_set_pcap(). */
struct pcap *live_handle(struct live *l);

/* The data link type of the capture (DLT_*). */
int live_linktype(const struct live *l);

/* Closes the capture.  NULL is a no-op. */
void live_free(struct live *l);

#endif
