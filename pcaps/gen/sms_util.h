/* sms_util.h - session helpers shared by the SMS fixture generators
 * (sms.c: SMPP and SIP; sms_core.c: MAP and Diameter).  Trusted input. */
#ifndef PR_PCAPS_GEN_SMS_UTIL_H
#define PR_PCAPS_GEN_SMS_UTIL_H

#include "build.h"
#include "sess.h"

#include <stddef.h>
#include <stdint.h>

#define MSEC(x) ((uint64_t)(x) * 1000u)

/* Opens out (classic pcap, Ethernet) and starts a session at start. */
int sms_util_open(const char *out, uint64_t start, struct sess *s, char *err, size_t errlen);
/* TCP three-way handshake / FIN close of connection c. */
void sms_util_tcp_open(struct sess *s, struct build_tcp_conn *c, const char *cli, uint16_t cport,
                       const char *srv, uint16_t sport, uint32_t isn);
void sms_util_tcp_close(struct sess *s, struct build_tcp_conn *c);
/* One PSH/ACK data segment, then 2 ms. */
void sms_util_send(struct sess *s, struct build_tcp_conn *c, int dir, const struct build_buf *m);
/* out = in[off, off + n). */
void sms_util_slice(struct build_buf *out, const struct build_buf *in, size_t off, size_t n);

struct sctp_link {
    struct build_addr a, b;
    uint16_t port;
    uint32_t tsn[2], vtag[2];
    uint16_t ssn[2];
};

/* Appends one DATA chunk (PPID ppid) from a (dir 0) or b to ch. */
void sms_util_sctp_chunk(struct sctp_link *l, int dir, uint32_t ppid, const struct build_buf *m,
                         struct build_buf *ch);
/* Sends the chunks in ch as one SCTP packet in direction dir; empties ch. */
void sms_util_sctp_flush(struct sess *s, struct sctp_link *l, int dir, struct build_buf *ch);

#endif
