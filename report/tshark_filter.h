/* tshark_filter.h - the Wireshark/tshark display filter that selects one
 * flow's packets, so an analyst can go from a record back to the capture:
 *
 *   ((ip.src==C && tcp.srcport==CP && ip.dst==S && tcp.dstport==SP) ||
 *    (ip.src==S && tcp.srcport==SP && ip.dst==C && tcp.dstport==CP)) &&
 *   frame.time >= "2024-03-01T10:00:00.000000Z" &&
 *   frame.time <= "2024-03-01T10:00:16.943560Z"
 *
 * Field names are Wireshark's (ip/ipv6, tcp/udp/sctp ports, ip.proto /
 * ipv6.nxt otherwise); the times are UTC ISO 8601, which Wireshark 4.0 reads
 * as absolute times (frame.time in plain form would be local time).
 */
#ifndef PR_REPORT_TSHARK_FILTER_H
#define PR_REPORT_TSHARK_FILTER_H

#include <stddef.h>
#include <stdint.h>

/* Longest filter: two IPv6 addresses twice, ports, times. */
#define TSHARK_FILTER_MAX 512

/* Writes the filter of a flow (addresses as text from our own database:
 * trusted, but checked to be plain address characters) into out.  Returns 0,
 * or -1 when an address holds anything but hex digits, '.' and ':' (out is
 * then ""). */
int tshark_filter_flow(uint8_t proto, const char *src, uint16_t sport, const char *dst,
                       uint16_t dport, uint64_t first_us, uint64_t last_us,
                       char out[TSHARK_FILTER_MAX]);

#endif
