/* ott.h - pcapgen's OTT signature fixtures: ECH / no-SNI flows that only a
 * DNS-learned name can label, and decoys that must not be labelled.
 * Both files are described in pcaps/README.md.
 */
#ifndef PR_PCAPS_GEN_OTT_H
#define PR_PCAPS_GEN_OTT_H

#include <stddef.h>
#include <stdint.h>

/* Writes pcaps/ott_ech.pcap (EN10MB) starting at start_us.  GEN_OK or a
 * GEN_RC_* code with err filled. */
int ott_gen_ech(const char *out, uint64_t start_us, char *err, size_t errlen);

/* Writes pcaps/decoys.pcap (EN10MB) starting at start_us. */
int ott_gen_decoys(const char *out, uint64_t start_us, char *err, size_t errlen);

/* Writes pcaps/vendors.pcap (EN10MB) starting at start_us (issue 18). */
int ott_gen_vendors(const char *out, uint64_t start_us, char *err, size_t errlen);

#endif /* PR_PCAPS_GEN_OTT_H */
