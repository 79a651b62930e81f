/* hostile.h - pcaps/hostile_names.pcap: names from the wire built to break
 * report output (markup, quotes, control bytes, invalid UTF-8, spreadsheet
 * formulas).  See hostile.c for the packet sequence.
 */
#ifndef PR_PCAPS_GEN_HOSTILE_H
#define PR_PCAPS_GEN_HOSTILE_H

#include <stddef.h>
#include <stdint.h>

#include "build.h"

/* Writes the capture to out, starting at start_us on Ethernet link l.
 * Returns GEN_OK or a GEN_RC_* code with a message in err. */
int hostile_generate(const char *out, const struct build_link *l, uint64_t start_us, char *err,
                     size_t errlen);

#endif /* PR_PCAPS_GEN_HOSTILE_H */
