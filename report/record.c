/* record.c - flow -> flow_record (see record.h). */
#include "report/record.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "capture/str.h"
#include "classify/activity.h"

void record_format_addr(uint8_t family, const uint8_t *a, char out[RECORD_ADDR_MAX])
{
    if (family == PKT_FAMILY_MTP3) { /* an SS7 point code, in decimal as tshark shows it */
        snprintf(out, RECORD_ADDR_MAX, "pc:%lu",
                 (unsigned long)a[0] << 24 | (unsigned long)a[1] << 16 |
                     (unsigned long)a[2] << 8 | a[3]);
        return;
    }
    if (family != 6) { /* dotted quad by hand: glibc's inet_ntop formats it with sprintf */
        char *p = out;
        for (int i = 0; i < 4; i++) {
            unsigned v = a[i];
            if (v >= 100)
                *p++ = (char)('0' + v / 100);
            if (v >= 10)
                *p++ = (char)('0' + v / 10 % 10);
            *p++ = (char)('0' + v % 10);
            *p++ = i < 3 ? '.' : '\0';
        }
        return;
    }
    if (!inet_ntop(AF_INET6, a, out, RECORD_ADDR_MAX))
        snprintf(out, RECORD_ADDR_MAX, "?");
}

int64_t record_v6_64(const uint8_t a[16])
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | a[i];
    return (int64_t)v; /* two's complement: the same 64 bits, signed (C11 6.3.1.3 impl.-defined, gcc/clang wrap) */
}

void record_from_flow(const struct flow *f, const struct cls_result *r, struct flow_record *out)
{
    memset(out, 0, sizeof *out);
    out->flow_id = f->id;
    out->proto = f->key.l4proto;
    record_format_addr(f->key.family, flow_client_addr(f), out->src_ip);
    record_format_addr(f->key.family, flow_server_addr(f), out->dst_ip);
    out->src_port = flow_client_port(f);
    out->dst_port = flow_server_port(f);
    out->first_ts_us = f->first_us;
    out->last_ts_us = f->last_us;
    out->pkts_c2s = f->pkts[DIR_C2S];
    out->bytes_c2s = f->bytes[DIR_C2S];
    out->pkts_s2c = f->pkts[DIR_S2C];
    out->bytes_s2c = f->bytes[DIR_S2C];
    out->vlan = f->key.vlan;
    str_copy(out->ndpi_proto, sizeof out->ndpi_proto, r->ndpi_name);
    str_copy(out->service, sizeof out->service, r->service);
    str_copy(out->cls, sizeof out->cls, sig_class_name(r->cls));
    str_copy(out->method, sizeof out->method, classify_method_name(r->method));
    out->confidence = r->confidence;
    str_copy(out->rule, sizeof out->rule, r->rule_id);
    str_copy(out->rule_alt, sizeof out->rule_alt, r->alt_id);
    str_copy(out->server_name, sizeof out->server_name, r->server_name.s);
    out->server_name_cut = r->server_name.cut;
    out->tunnel_teid = flow_teid(f, DIR_C2S);
    out->tunnel_teid_s2c = flow_teid(f, DIR_S2C);
    const struct ip_addr *node = flow_teid_node(f, DIR_C2S);
    if (node)
        record_format_addr(node->family, node->a, out->tunnel_node);
    node = flow_teid_node(f, DIR_S2C);
    if (node)
        record_format_addr(node->family, node->a, out->tunnel_node_s2c);
    if (f->key.family == 6) {
        out->has_v6_64 = true;
        out->src_v6_64 = record_v6_64(flow_client_addr(f));
        out->dst_v6_64 = record_v6_64(flow_server_addr(f));
    }
    out->first_input = f->first_input;
    out->first_frame = f->first_frame;
    out->last_input = f->last_input;
    out->last_frame = f->last_frame;
    out->ifid = f->ifid;
    str_copy(out->activity, sizeof out->activity,
             activity_name((enum flow_activity)r->activity));
    str_copy(out->end_reason, sizeof out->end_reason, flow_end_reason_name((enum end_reason)f->end_reason));
}
