/* ipfrag.h - IPv4 and IPv6 fragment reassembly in bounded memory.
 *
 * Specs: RFC 791 section 3.2 (IPv4 fragmentation and reassembly), RFC 8200
 * section 4.5 (IPv6 Fragment header; fragments other than the last must be
 * a multiple of 8 octets; offset + length must not pass 65,535), RFC 5722
 * (overlapping IPv6 fragments: the whole datagram is discarded), RFC 1858
 * and RFC 3128 (overlapping IPv4 fragments used to slip past filters).
 *
 * capture/decode.c hands every fragment it meets to ipfrag_add.  The table
 * holds the fragments of a datagram until the last hole is filled; the
 * packet that fills it carries the whole datagram on, with the header of the
 * first fragment, at its own time and frame.  Overlapping fragments are not
 * resolved by any operating system's policy: a pen register never chooses
 * between two versions of the bytes, so the datagram is given up (an exact
 * repeat of a fragment is only a duplicate and is dropped).
 *
 * A datagram that does not complete (timed out, evicted to stay in bounds,
 * given up, or still open at the end) passes its first fragment on alone,
 * at that fragment's own time, decoded exactly as without reassembly: a
 * capture filtered on a port (where only first fragments match) keeps
 * every flow it had.  ipfrag_next_release hands such frames out, oldest
 * first.
 *
 * Bounds: at most max_datagrams open datagrams and max_bytes bytes (entries,
 * data and held frames) at once; the oldest datagram is evicted to make
 * room.  First fragments given up wait outside the budget until they are
 * handed out, which the caller does after every packet.
 * Fragments per datagram: IPFRAG_MAX_PIECES.  Time is the latest packet time
 * seen (time going back is not time passing).  Output never depends on the
 * hash key.
 */
#ifndef PR_CAPTURE_IPFRAG_H
#define PR_CAPTURE_IPFRAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/ip.h"
#include "capture/pkt_view.h"
#include "capture/source.h"

#define IPFRAG_DEFAULT_DATAGRAMS 4096
#define IPFRAG_DEFAULT_BYTES (8u << 20)
/* Linux's ipfrag_time (30 s); RFC 8200 section 4.5: 60 s for IPv6. */
#define IPFRAG_DEFAULT_TIMEOUT_V4_US (30ull * 1000000u)
#define IPFRAG_DEFAULT_TIMEOUT_V6_US (60ull * 1000000u)
/* Fragments of one datagram: a 65,535-octet datagram cut at the IPv6 minimum
 * MTU of 1,280 octets is 52 fragments. */
#define IPFRAG_MAX_PIECES 64

struct ipfrag_config {
    uint32_t max_datagrams; /* 0 = IPFRAG_DEFAULT_DATAGRAMS */
    uint64_t max_bytes;     /* 0 = IPFRAG_DEFAULT_BYTES */
    uint64_t timeout_v4_us; /* 0 = IPFRAG_DEFAULT_TIMEOUT_V4_US */
    uint64_t timeout_v6_us; /* 0 = IPFRAG_DEFAULT_TIMEOUT_V6_US */
    bool keep_frames;       /* keep every fragment's frame (trapline extract), not only
                             * the first's */
    uint8_t hash_key[16];   /* bucket placement only */
};

struct ipfrag_stats {
    uint64_t fragments;   /* fragments taken in (held, or completing a datagram) */
    uint64_t reassembled; /* datagrams completed */
    uint64_t incomplete;  /* datagrams that never completed (all causes below) */
    uint64_t timed_out;
    uint64_t at_end;      /* still open at the end of the input */
    uint64_t evicted;     /* to stay within max_datagrams / max_bytes */
    uint64_t overlaps;    /* given up: two fragments overlap (RFC 5722) */
    uint64_t conflicts;   /* given up: contradictory ends, too many fragments, too long */
    uint64_t first_alone; /* first fragments passed on alone */
    uint64_t duplicates;  /* exact repeats of a held fragment, dropped */
    uint64_t refused;     /* fragments not taken (not a multiple of 8, empty ...): decoded as
                           * without reassembly */
    uint64_t nomem;       /* fragments not taken for want of memory: likewise */
    uint64_t absorbed;    /* frames that went into a datagram and so are no packet of
                           * their own: fragments - reassembled - first_alone */
    uint64_t peak_datagrams;
    uint64_t peak_charged; /* bytes charged to max_bytes at once (not in run_stats: it
                            * depends on struct sizes) */
    uint64_t peak_bytes;  /* captured bytes held at once (fragment data and kept frames;
                           * the budget also counts the table's own structures) */
};

/* What the packet that completed a datagram carries on (valid until the next
 * call into the table). */
struct ipfrag_done {
    const uint8_t *dgram;  /* the datagram: the first fragment's IP header (IPv6: the
                            * fixed header only), then the data */
    uint32_t captured;     /* bytes of it captured without a hole */
    uint32_t claimed;      /* its length */
    uint32_t fragments;    /* frames it was carried in */
    uint64_t caplen, wirelen; /* summed over those frames */
    const struct source_packet *earlier; /* keep_frames: the other frames, in arrival order */
    size_t nearlier;
};

enum ipfrag_rc {
    IPFRAG_HELD,    /* the packet stops here: the table holds it */
    IPFRAG_DONE,    /* the datagram is complete: *done describes it */
    IPFRAG_REFUSED, /* not taken: decode it as without reassembly */
};

struct ipfrag;

/* Returns owned, or NULL when out of memory. */
struct ipfrag *ipfrag_new(const struct ipfrag_config *cfg);
void ipfrag_free(struct ipfrag *t);

/* Takes the fragment v (decoded by ip_decode, v->frag set; n its ip_next) met
 * at encapsulation level `level` of the frame raw (kept for a first
 * fragment, or for every fragment with keep_frames).  Times out older
 * datagrams first. */
enum ipfrag_rc ipfrag_add(struct ipfrag *t, const struct pkt_view *v, const struct ip_next *n,
                          uint8_t level, const struct source_packet *raw,
                          struct ipfrag_done *done);

/* Times out datagrams at packet time now_us. */
void ipfrag_expire(struct ipfrag *t, uint64_t now_us);

/* Gives up every open datagram (end of input). */
void ipfrag_flush(struct ipfrag *t);

/* The next first fragment passed on alone, oldest first: true with *out (its
 * data valid until the next call into the table), false when there is none. */
bool ipfrag_next_release(struct ipfrag *t, struct source_packet *out);

/* keep_frames: the frames, other than the completing one, of the datagram
 * the last ipfrag_add completed (arrival order); 0 when it completed none.
 * Valid until the next call into the table. */
size_t ipfrag_done_frames(const struct ipfrag *t, const struct source_packet **out);

void ipfrag_get_stats(const struct ipfrag *t, struct ipfrag_stats *out);

#endif
