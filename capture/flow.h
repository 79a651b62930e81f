/* flow.h - the flow record kept by the flow table (one per bidirectional session).
 *
 * The key is canonical: endpoint "a" is the lower (address, port) pair, so both
 * directions of a session find the same entry.  The client is the initiator:
 * the sender of a first SYN or the receiver of a first SYN-ACK; for a TCP flow
 * picked up mid-session, the side on the ephemeral port facing a service port,
 * else the side talking to a server learnt from an earlier handshake, else
 * the sender of the first packet.  Index
 * 0 of the per-direction arrays is client-to-server, 1 server-to-client.
 */
#ifndef PR_CAPTURE_FLOW_H
#define PR_CAPTURE_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/decode.h"

enum end_reason {
    END_NONE = 0,
    END_FIN,      /* TCP closed by FIN from both sides */
    END_RST,      /* TCP reset */
    END_IDLE,     /* idle timeout (packet time) */
    END_EVICTED,  /* table full: oldest idle flow removed */
    END_REUSED,   /* TCP SYN on a closed tuple started a new session */
    END_SHUTDOWN, /* end of input or stop requested */
};

enum dir { DIR_C2S = 0, DIR_S2C = 1 };

/* An SS7 link capture (capture/mtp.h) has no IP: its flows are keyed by
 * family PKT_FAMILY_MTP3, the OPC and DPC as addresses, the service
 * indicator as both ports, l4proto L4_MTP3 and the MTP2 link number in
 * `tunnel`, so the table, the classifier rows and the records need no
 * second kind of flow (issue 19). */
struct flow_key {
    uint8_t family;   /* 4, 6 or PKT_FAMILY_MTP3 */
    uint8_t l4proto;
    uint16_t port_a, port_b;
    uint32_t vlan;    /* outer << 12 | inner VLAN id */
    uint32_t tunnel;  /* 0 = not tunnelled; else a discriminator of the GTP-U outer
                         endpoints and of the VXLAN/GENEVE network (pkt_view.vnet)
                         (PKT_FAMILY_MTP3: the MTP2 link number) */
    uint8_t a[16], b[16];
};

enum tcp_state {
    TCP_NONE = 0,
    TCP_SYN_SEEN,
    TCP_ESTABLISHED,
    TCP_CLOSING,  /* one FIN seen */
    TCP_CLOSED,   /* FIN both ways or RST: lingers briefly for trailing packets */
};

/* The GTP-U tunnel of a flow (only tunnelled flows have one, flow.tun). */
struct flow_tunnel {
    uint32_t teid[2]; /* TEID seen per direction, 0 = none */
    /* The outer destination of the packet that gave teid[d]: the GTP-U node
     * that allocated that TEID (TS 29.281 section 5.1: a TEID is chosen by
     * the receiving end), since a TEID is unique only per node. */
    struct ip_addr node[2];
};

/* Fields are ordered to leave no padding: a slot (flow + the classifier's
 * area) fits six cache lines (issue 12: memory per live flow). */
struct flow {
    /* flow_table internal, first so that a hash-chain step (hnext, hash)
     * and the key compare touch one cache line (slots are 64-byte aligned) */
    struct flow *hnext;
    uint32_t hash;
    struct flow_key key;
    bool client_is_a;         /* the client is endpoint a of the key */
    uint8_t tcp_state;
    uint8_t fin_seen;         /* bit per direction */
    uint8_t tclass;           /* timeout class (flow_table internal) */
    uint64_t id;              /* 1, 2, ... in creation order: deterministic; 0 = free slot */
    uint64_t first_us, last_us;
    uint64_t pkts[2], bytes[2];   /* bytes are on-wire frame lengths */
    uint64_t payload_bytes[2];    /* L4 payload bytes claimed by headers */
    struct flow_tunnel *tun;  /* GTP-U TEIDs and nodes; NULL = not tunnelled */
    uint8_t end_reason;       /* enum end_reason, set when the flow ends */
    bool saw_syn;             /* the table saw the opening SYN */
    uint8_t close_reason;     /* END_FIN / END_RST once TCP closed */
    uint16_t vlan_outer, vlan_inner;
    uint32_t client_isn;      /* sequence number of the client's SYN */
    /* Where the flow's packets are (pkt_view provenance): the input and frame
     * of its first and last packet, and the interface of the first. */
    uint32_t first_input, last_input, ifid;
    uint64_t first_frame, last_frame;

    /* flow_table internal */
    uint64_t seen_us;             /* table clock at the last packet: idle time and LRU order */
    struct flow *lprev, *lnext;   /* timeout-class list, oldest activity first */
    /* followed by ext_size bytes of upper-layer state (flow_ext) */
};

/* The GTP-U TEID seen in direction d (0 = none) and the node that owns it
 * (NULL = none). */
static inline uint32_t flow_teid(const struct flow *f, int d)
{
    return f->tun ? f->tun->teid[d] : 0;
}
static inline const struct ip_addr *flow_teid_node(const struct flow *f, int d)
{
    return f->tun && f->tun->teid[d] && f->tun->node[d].family ? &f->tun->node[d] : NULL;
}

/* The upper layers' per-flow area (classifier state), ext_size bytes,
 * zeroed when the flow is created. */
static inline void *flow_ext(struct flow *f) { return (void *)(f + 1); }

/* Client and server endpoints of a flow. */
static inline const uint8_t *flow_client_addr(const struct flow *f)
{
    return f->client_is_a ? f->key.a : f->key.b;
}
static inline const uint8_t *flow_server_addr(const struct flow *f)
{
    return f->client_is_a ? f->key.b : f->key.a;
}
static inline uint16_t flow_client_port(const struct flow *f)
{
    return f->client_is_a ? f->key.port_a : f->key.port_b;
}
static inline uint16_t flow_server_port(const struct flow *f)
{
    return f->client_is_a ? f->key.port_b : f->key.port_a;
}

const char *flow_end_reason_name(enum end_reason r);

#endif
