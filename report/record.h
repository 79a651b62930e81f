/* record.h - the flow record: a value type with no pointers into packets or
 * flows, and no field that could hold payload bytes (STYLE.md principle 3).
 */
#ifndef PR_REPORT_RECORD_H
#define PR_REPORT_RECORD_H

#include <stdint.h>

#include "capture/flow.h"
#include "classify/classify.h"

/* Text forms: an IPv6 address is at most 45 characters (RFC 4291 mixed form). */
#define RECORD_ADDR_MAX 46
#define RECORD_CLASS_MAX 24

struct flow_record {
    uint64_t flow_id;
    uint8_t proto;                     /* IP protocol number */
    char src_ip[RECORD_ADDR_MAX];      /* client (initiator) */
    uint16_t src_port;
    char dst_ip[RECORD_ADDR_MAX];      /* server */
    uint16_t dst_port;
    uint64_t first_ts_us, last_ts_us;
    uint64_t pkts_c2s, bytes_c2s, pkts_s2c, bytes_s2c;
    uint32_t vlan;                     /* outer << 12 | inner, 0 = none */
    char ndpi_proto[CLASSIFY_NDPI_NAME_MAX];
    char service[CLASSIFY_SERVICE_MAX];
    char cls[RECORD_CLASS_MAX];
    char method[16];
    uint8_t confidence;
    char rule[SIG_RULE_ID_MAX];        /* catalog rule that decided ("" none) */
    char rule_alt[SIG_RULE_ID_MAX];    /* a rule/method naming another service ("" none) */
    char server_name[META_NAME_MAX + 1];
    uint8_t server_name_cut;
    uint32_t tunnel_teid;              /* client-to-server GTP-U TEID, 0 = none */
    uint32_t tunnel_teid_s2c;
    /* The GTP-U node that owns each TEID (the outer destination; "" none). */
    char tunnel_node[RECORD_ADDR_MAX], tunnel_node_s2c[RECORD_ADDR_MAX];
    /* IPv6 flows: the /64 of each end as a signed 64-bit integer (the first
     * 8 bytes, network order), the key that subscriber_sessions.ue_v6_64
     * joins on; has_v6_64 false for IPv4 flows (stored as NULL). */
    bool has_v6_64;
    int64_t src_v6_64, dst_v6_64;
    char end_reason[16];
    char activity[8];                  /* "call", "message", "push", "" (classify/activity.h) */
    /* provenance: input seq and frame number of the first and last packet */
    uint32_t first_input, last_input, ifid;
    uint64_t first_frame, last_frame;
};

/* Builds the record of flow f (borrowed) with classification r. */
void record_from_flow(const struct flow *f, const struct cls_result *r, struct flow_record *out);

/* The /64 of an IPv6 address as the signed 64-bit key of flows.src_v6_64,
 * flows.dst_v6_64 and subscriber_sessions.ue_v6_64. */
int64_t record_v6_64(const uint8_t a[16]);

/* Formats a 4- or 16-byte address (family 4 or 6) as text; a point code
 * (family PKT_FAMILY_MTP3, an SS7 link capture) as "pc:<decimal>". */
void record_format_addr(uint8_t family, const uint8_t *a, char out[RECORD_ADDR_MAX]);

#endif
