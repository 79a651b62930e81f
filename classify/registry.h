/* registry.h - the metadata parsers the classifier runs, as one table.
 *
 * STYLE.md section 7: each parser registers through a static const
 * struct proto_ops (Suricata's app-layer form) with nDPI's three outcomes.
 * The classifier walks the table for a flow's payload packets; a port hint
 * only selects which parsers are worth trying, it never decides a service.
 * Parsers fill a struct proto_meta; they never see the flow or the rules.
 */
#ifndef PR_CLASSIFY_REGISTRY_H
#define PR_CLASSIFY_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "classify/dns.h"
#include "classify/meta.h"
#include "classify/tls.h"

enum proto_outcome {
    PROTO_MATCH = 0, /* the packet was this protocol; meta is filled */
    PROTO_EXCLUDE,   /* not this protocol (or unusable) */
    PROTO_NEED_MORE, /* plausibly this protocol but cut short; meta may be partial */
};

enum proto_kind { PROTO_TLS = 0, PROTO_HTTP, PROTO_DNS };

/* What a parser found (value type; bounded copies only). */
struct proto_meta {
    enum proto_kind kind;
    bool has_name;
    struct meta_name name;     /* TLS SNI or HTTP Host */
    bool ech;                  /* TLS encrypted_client_hello offered */
    unsigned nalpn;
    char alpn[TLS_MAX_ALPN][TLS_ALPN_MAX + 1];
    struct dns_msg dns;        /* PROTO_DNS */
};

typedef enum proto_outcome (*proto_parse_fn)(const uint8_t *p, size_t n,
                                             struct proto_meta *out);

struct proto_ops {
    const char *name;
    uint8_t l4proto;           /* 6 TCP, 17 UDP */
    uint16_t server_port;      /* selection hint; 0 = any port */
    uint8_t dirs;              /* bit per direction (1 = c2s, 2 = s2c) */
    bool every_packet;         /* false: only the first payload packet of a direction */
    proto_parse_fn parse;
};

/* The parser table (static, immutable); *n receives its length. */
const struct proto_ops *registry_parsers(size_t *n);

#endif
