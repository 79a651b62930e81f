/* mcore.h - pcapgen's mobile-core scenario (issue 10): a subscriber's
 * attach on GTPv2-C, its user plane in GTP-U (Signal and WhatsApp
 * messaging, a direct call), and a second subscriber on a RADIUS-accounted
 * access network.  Described in pcaps/README.md.
 */
#ifndef PR_PCAPS_GEN_MCORE_H
#define PR_PCAPS_GEN_MCORE_H

#include <stddef.h>
#include <stdint.h>

/* Writes pcaps/mobile_core.pcap (EN10MB) starting at start_us.  GEN_OK or
 * a GEN_RC_* code with err filled. */
int mcore_gen(const char *out, uint64_t start_us, char *err, size_t errlen);

/* Writes pcaps/mobile_v6.pcap: two subscribers behind two SGWs that hand
 * out the same TEID, and IPv6 traffic from a SLAAC address of one
 * subscriber's /64 (pcaps/README.md). */
int mcore_v6_gen(const char *out, uint64_t start_us, char *err, size_t errlen);

#endif /* PR_PCAPS_GEN_MCORE_H */
