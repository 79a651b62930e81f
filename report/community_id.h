/* community_id.h - Community ID flow hashing, version 1.
 *
 * Spec: https://github.com/corelight/community-id-spec (as used by Zeek's
 * community-id-logging.zeek and Suricata's EVE `community_id`):
 *
 *   sha1( seed:be16 | saddr | daddr | proto:u8 | 0:u8 | sport:be16 | dport:be16 )
 *
 * with the endpoints in canonical order (the numerically smaller address
 * first; on equal addresses the smaller port first), then "1:" + base64 of
 * the 20-byte digest.  Addresses are 4 (IPv4) or 16 (IPv6) bytes in network
 * order.  TCP (6), UDP (17) and SCTP (132) hash their ports; ICMP (1) and
 * ICMPv6 (58) map type/code to ports per the spec's ICMP tables; any other
 * protocol hashes without ports.
 */
#ifndef PR_REPORT_COMMUNITY_ID_H
#define PR_REPORT_COMMUNITY_ID_H

#include <stdint.h>

/* "1:" + 28 base64 characters + NUL. */
#define COMMUNITY_ID_LEN 31

/* Computes the id of a flow given as text addresses (trusted: from our own
 * database).  For ICMP/ICMPv6, sport is the type and dport the code.
 * Returns 0 and fills out, or RC_CONFIG when an address does not parse or
 * the families differ (out is then ""). */
int community_id_v1(uint16_t seed, uint8_t proto, const char *saddr, const char *daddr,
                     uint16_t sport, uint16_t dport, char out[COMMUNITY_ID_LEN + 1]);

#endif
