/* tcp_reasm.h - a small, bounded, in-order TCP byte-stream buffer for one
 * direction of a flow (RFC 9293 section 3.4 sequence numbers).
 *
 * Segments are appended when they continue the stream.  A retransmission
 * (data before the expected sequence number) is dropped, and only its new
 * tail is kept when it overlaps.  A segment after a hole (lost or
 * reordered data) is a gap: the buffered bytes are discarded, the stream
 * restarts at the new segment and the gap flag tells the consumer to
 * resynchronise.  Bytes never enter the buffer twice, so a consumer never
 * sees a PDU twice.  Nothing is reordered; nothing is invented.
 */
#ifndef PR_CLASSIFY_TCP_REASM_H
#define PR_CLASSIFY_TCP_REASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "capture/rc.h"

/* Largest PDU prefix we must see whole: an SMPP submit_sm without its text
 * is below 600 bytes, a SIP MESSAGE with its headers below 4 KiB. */
#define TCP_REASM_BUF 8192

struct tcp_reasm {
    bool init;
    uint32_t next_seq;     /* sequence number of the byte after buf[len-1] */
    size_t len;
    uint64_t skip;         /* bytes still to drop (a PDU longer than the buffer) */
    bool gap;              /* data was lost since the last tcp_reasm_take_gap() */
    uint64_t retrans, gaps, overflows; /* counters */
    uint8_t *buf;          /* grown on demand up to TCP_REASM_BUF (most PDUs are */
    size_t cap;            /* small: a full buffer per direction was 8 KiB)      */
};

/* A zeroed stream, or NULL when out of memory; tcp_reasm_free releases it
 * and its buffer (NULL is a no-op). */
struct tcp_reasm *tcp_reasm_new(void);
void tcp_reasm_free(struct tcp_reasm *r);

/* Appends one segment (seq = its first sequence number; p borrowed, n
 * captured bytes; claimed = bytes the headers claim, > n when the capture
 * cut the segment).  syn: the segment has SYN (its sequence number is one
 * before the data). */
void tcp_reasm_push(struct tcp_reasm *r, uint32_t seq, bool syn, const uint8_t *p, size_t n,
                    size_t claimed);

/* The buffered bytes (borrowed until the next push/consume). */
struct cursor tcp_reasm_data(const struct tcp_reasm *r);

/* Drops n bytes from the front; when n exceeds what is buffered, the rest
 * is dropped from later segments (a PDU larger than the buffer). */
void tcp_reasm_consume(struct tcp_reasm *r, uint64_t n);

/* Returns and clears the gap flag. */
bool tcp_reasm_take_gap(struct tcp_reasm *r);

/* Framing of a PDU stream for tcp_reasm_msgs(): the generic TCP adapter
 * every stream parser uses (classify/proto.h, row field `tcp`).
 *   length-prefixed (pdu_len set: SMPP, Diameter): a PDU starts with
 *     hdr_len bytes that header_ok accepts and that give its total length;
 *   self-delimited (pdu_len NULL: SIP): the message parser finds the end
 *     itself; header_ok then only marks where a message may start, and
 *     after a gap the stream resumes at the first line start it accepts. */
struct tcp_reasm_framer {
    size_t hdr_len;                    /* bytes needed to judge (and size) a PDU */
    bool (*header_ok)(struct span s);  /* plausible PDU start (s.n >= hdr_len when sized) */
    size_t (*pdu_len)(struct span s);  /* total PDU length from its header; NULL: self-delimited */
};

/* Receives one message (borrowed).  Length-prefixed: c covers exactly one
 * PDU; return PARSE_OK when it was valid.  Self-delimited: c covers every
 * buffered byte; advance c over one whole message and return PARSE_OK, or
 * return PARSE_NEED_MORE (wait for more bytes), PARSE_TRUNCATED or
 * PARSE_INVALID (one byte is dropped and the stream resynchronised). */
typedef enum parse_rc (*tcp_reasm_msg_fn)(struct cursor *c, void *user);

struct tcp_reasm_pdu_stats {
    uint64_t resyncs, invalid, oversize;
};

/* Hands every complete message buffered in r to fn and consumes it.  After
 * a gap or an implausible header (*resync), bytes are dropped up to the
 * next offset that passes header_ok.  Length-prefixed PDUs longer than the
 * buffer are skipped whole.  Adds to *st; returns the number of messages
 * fn accepted. */
unsigned tcp_reasm_msgs(struct tcp_reasm *r, bool *resync, const struct tcp_reasm_framer *f,
                        tcp_reasm_msg_fn fn, void *user, struct tcp_reasm_pdu_stats *st);

#endif
