/* sctp_chunks.h - SCTP chunk walk and DATA chunk decoding.
 *
 * Spec: RFC 9260 section 3.2 (chunk format, padding to 4 bytes) and 3.3.1
 * (DATA: U/B/E flags, TSN, stream id, stream sequence, PPID, user data).
 *
 *   chunk: | type | flags | length (incl. 4-byte header) | value | pad |
 *   DATA:  | TSN 32 | stream 16 | ssn 16 | PPID 32 | user data ... |
 *
 * The walk starts after the 12-byte common header (pkt_view.payload).
 */
#ifndef PR_CLASSIFY_SCTP_CHUNKS_H
#define PR_CLASSIFY_SCTP_CHUNKS_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "capture/rc.h"

/* Chunks examined per packet.  A chunk is at least 4 bytes, so an IP
 * packet (at most 65,535 bytes) holds fewer than this: the bound is the
 * packet's own.  It was 32, and a bundle of more small chunks (RFC 9260
 * section 6.10: a host's capture of loopback or offloaded traffic has
 * packets far over the MTU) lost the rest unseen. */
#define SCTP_MAX_CHUNKS 16384

#define SCTP_CHUNK_DATA 0
#define SCTP_FLAG_E 0x01 /* last fragment */
#define SCTP_FLAG_B 0x02 /* first fragment */
#define SCTP_FLAG_U 0x04 /* unordered */

struct sctp_chunk {
    uint8_t type, flags;
    struct cursor val;
};

struct sctp_data {
    uint32_t tsn, ppid;
    uint16_t stream, ssn;
    uint8_t flags;        /* SCTP_FLAG_* */
    bool whole;           /* B and E set: not a fragment */
    struct cursor user;
};

/* Next chunk of c.  Returns PARSE_OK, PARSE_NEED_MORE at the end of c,
 * PARSE_TRUNCATED or PARSE_INVALID (length below 4). */
enum parse_rc sctp_chunks_next(struct cursor *c, struct sctp_chunk *out);

/* Decodes a DATA chunk's value.  PARSE_OK, PARSE_TRUNCATED. */
enum parse_rc sctp_chunks_data(const struct sctp_chunk *ch, struct sctp_data *out);

/* Receives one DATA chunk (borrowed for the call); returns true to stop
 * the walk. */
typedef bool (*sctp_data_fn)(const struct sctp_data *d, void *user);

/* The one chunk walk: hands every DATA chunk of an SCTP packet's chunk
 * area (payload: untrusted, borrowed; after the common header) to fn, in
 * order, at most SCTP_MAX_CHUNKS chunks examined; stops at the first chunk
 * that is cut short or malformed.  Returns the number of DATA chunks seen. */
unsigned sctp_chunks_walk(struct span payload, sctp_data_fn fn, void *user);

#endif
