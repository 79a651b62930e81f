/* sess.h - timed packet emission for pcapgen: link framing, optional GTP-U
 * tunnel, a deterministic clock, and DNS / TLS conversation helpers.
 *
 * A session borrows a writer. Every emitted packet is stamped with the
 * session clock, which then advances by SESS_STEP_US; callers add explicit
 * gaps (round trips, idle periods) with sess_wait(). Nothing reads the wall
 * clock. Specs are those of build.h and payload.h.
 */
#ifndef PR_PCAPS_GEN_SESS_H
#define PR_PCAPS_GEN_SESS_H

#include "build.h"
#include "writer.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Spacing between two packets sent back to back by the same host. */
#define SESS_STEP_US 120u
/* GTP-U QoS flow identifier used in PDU Session Containers (5QI 9 flow). */
#define SESS_GTP_QFI 9

struct sess {
    struct writer *w;          /* borrowed */
    struct build_link link;    /* may be changed between flows */
    const struct build_gtp *gtp; /* borrowed; NULL = no tunnel */
    unsigned gtp_ext_left;     /* how many next packets carry a PDU Session Container */
    const struct build_overlay *ovl; /* borrowed; NULL = no overlay tunnel */
    uint32_t ovl_seq;          /* next GRE sequence number of the overlay */
    uint16_t outer_mtu;        /* 0, or: an outer IPv4 packet longer than this is sent
                                * as fragments (RFC 791 section 3.2), as a router on a
                                * smaller MTU would */
    uint64_t ts_us;            /* stamp of the next packet */
    uint16_t ip_id;            /* next IPv4 identification */
    struct xorshift rng;       /* payload bytes of the current flow */
    int rc;                    /* first error, sticky (GEN_RC_*) */
};

void sess_init(struct sess *s, struct writer *w, const struct build_link *link, uint64_t start_us);

void sess_wait(struct sess *s, uint64_t us);

/* Frames (and tunnels) the IP packet in `ip` and writes it. */
void sess_emit_ip(struct sess *s, bool from_client, const struct build_buf *ip);

/* Sends one UDP datagram; `payload` may be NULL for an empty one. */
void sess_udp(struct sess *s, bool from_client, const struct build_addr *src,
              const struct build_addr *dst, uint16_t sport, uint16_t dport,
              const struct build_buf *payload);

/* One ICMPv6 message (hop limit 255, as Neighbor Discovery requires,
 * RFC 4861 6.1). */
void sess_icmpv6(struct sess *s, bool from_client, const struct build_addr *src,
                 const struct build_addr *dst, uint8_t type, const uint8_t *body, size_t len);

/* A DNS query from cli:sport to resolver:53 and, rtt_us later, its answer. */
void sess_dns(struct sess *s, const char *cli, const char *resolver, uint16_t sport, uint16_t id,
              const char *name, uint16_t qtype, const char *answer, uint32_t rtt_us);

/* One TCP segment of connection c; `payload` may be NULL. */
void sess_tcp(struct sess *s, struct build_tcp_conn *c, int dir, uint8_t flags,
              const struct build_buf *payload);

/* Upper bound on sess_tls.exchanges: one gap entry per exchange. */
#define SESS_TLS_MAX_EXCHANGES 8

/* A TLS conversation: handshake, exchanges, FIN close. Same spec (and
 * seed), same bytes. */
struct sess_tls {
    const char *sni;
    const char *alpn; /* NULL: no ALPN extension */
    const char *cli, *srv;
    uint16_t cport, sport;
    uint32_t rtt_us;
    uint32_t seed;
    unsigned exchanges;                       /* <= SESS_TLS_MAX_EXCHANGES */
    uint32_t gaps_us[SESS_TLS_MAX_EXCHANGES]; /* idle time before each exchange */
};

/* Seeds s->rng from t->seed, then: SYN, SYN/ACK, ACK, ClientHello, server
 * flight (ServerHello + CCS + encrypted handshake), client Finished. */
void sess_tls_open(struct sess *s, struct build_tcp_conn *c, const struct sess_tls *t);

/* Client application-data record (clen), server record (slen) one rtt
 * later, client ACK. */
void sess_tls_exchange(struct sess *s, struct build_tcp_conn *c, uint32_t rtt_us, size_t clen,
                       size_t slen);

/* Client FIN/ACK, server FIN/ACK, client ACK. */
void sess_tls_close(struct sess *s, struct build_tcp_conn *c, uint32_t rtt_us);

/* Open, t->exchanges exchanges after their gaps, close. */
void sess_tls_flow(struct sess *s, const struct sess_tls *t);

/* Closes the session's writer and reports: prints "<file> N packets" on
 * success, or fills err (naming out) when a packet could not be built or
 * written.  Returns GEN_OK or the first error. */
int sess_finish(struct sess *s, const char *out, char *err, size_t errlen);

#endif /* PR_PCAPS_GEN_SESS_H */
