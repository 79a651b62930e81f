/* cpbind.h - mobile-core control plane to subscriber bindings.
 *
 * Runs the control-plane decoders (gtpv2c, gtpv1c, radius, diameter_gx,
 * sip_reg) on one message, pairs requests with their responses, and turns
 * the outcome into binding evidence for a struct binding_table:
 *
 *   GTPv2-C  Create Session Req + accepted Resp  -> OPEN  (IMSI, MSISDN, MEI, APN,
 *            ULI, PAA, control and bearer F-TEIDs)
 *            Modify Bearer Req + accepted Resp   -> UPDATE (new F-TEIDs, ULI)
 *            Delete Session / Delete Bearer (LBI) Req + accepted Resp -> CLOSE
 *   GTPv1-C  Create / Update / Delete PDP Context Req + accepted Resp (same)
 *   GTPv0    the same, keyed by the TID
 *   RADIUS   Access-Request + Access-Accept -> OPEN; Accounting Start / Interim /
 *            Stop -> OPEN / UPDATE / CLOSE (keyed by Acct-Session-Id)
 *   Diameter CCR + successful CCA, CC-Request-Type Initial / Update / Termination
 *            -> OPEN / UPDATE / CLOSE (keyed by Session-Id)
 *   SIP      REGISTER + 2xx -> OPEN (expires 0: CLOSE)
 *
 * Pairing: a bounded table (CPBIND_PAIR_MAX) keyed by protocol, sequence /
 * identifier and the two peers; a request waits at most
 * CPBIND_PAIR_TIMEOUT_US of packet time.  A response whose request was not
 * seen is counted and, unless it carries identities itself, dropped.
 */
#ifndef PR_CLASSIFY_CPBIND_H
#define PR_CLASSIFY_CPBIND_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "classify/binding.h"

#define CPBIND_PAIR_MAX 256                 /* requests awaiting an answer */
#define CPBIND_PAIR_TIMEOUT_US 30000000ull  /* GTP N3 x T3 and RADIUS retries stay below */

/* One control-plane message and where it was seen (borrowed). */
struct cp_packet {
    uint64_t ts_us, flow_id;
    uint8_t alen;                 /* 4 or 16 */
    uint8_t src[16], dst[16];
    uint16_t sport, dport;
    struct span payload;          /* UDP payload, or one whole Diameter / SIP message */
};

enum cp_proto { CP_NONE = 0, CP_GTPV2, CP_GTPV1, CP_RADIUS, CP_DIAMETER, CP_SIP };

struct cpbind_stats {
    uint64_t messages[CP_SIP + 1];  /* decoded, per protocol */
    uint64_t invalid, truncated;
    uint64_t paired, unpaired_resp, rejected, pair_timeouts, pair_evicted;
    uint64_t applied;               /* evidence that changed the bindings table */
};

struct cpbind;

/* Creates the pairing state feeding t (borrowed; must outlive the handle).
 * Returns NULL on allocation failure. */
struct cpbind *cpbind_new(struct binding_table *t);

/* Frees cb (pending requests are dropped); NULL is a no-op. */
void cpbind_free(struct cpbind *cb);

/* Which decoder a UDP payload is for: the structure of its first bytes
 * decides, the ports (2123 GTP-C, 3386 GTPv0,
 * 1812/1813 RADIUS, 5060 SIP) only order the
 * tries.  CP_NONE when nothing fits. */
enum cp_proto cpbind_probe_udp(const struct cp_packet *p);

/* Decodes p as protocol `proto` (CP_GTPV2 / CP_GTPV1 / CP_RADIUS / CP_SIP
 * for a UDP payload, CP_DIAMETER for one whole Diameter message) and
 * applies what it proves.  Returns true when it decoded as that protocol. */
bool cpbind_feed(struct cpbind *cb, enum cp_proto proto, const struct cp_packet *p);

const struct cpbind_stats *cpbind_stats(const struct cpbind *cb);

#endif
