/* sigtran.h - the SS7-over-IP stacks that carry SMS signalling, from one
 * SCTP DATA user message (or one MTP3 message from an SS7 link) down to
 * the MAP / NAS decoders:
 *
 *   PPID 3  M3UA  --------------------> SCCP -> [reassembly] -> TCAP/MAP
 *                                      SCCP CO -> RANAP / BSSAP -> DTAP CP/RP
 *   PPID 5  M2PA  -> MTP3 (ITU/ANSI) -> SCCP -> ...
 *   PPID 2  M2UA  -> MTP3 ------------> SCCP -> ...
 *   PPID 4  SUA   ---------------------------------------------> TCAP/MAP
 *   PPID 0, port 29118  SGsAP -> NAS container -> CP -> RP -> TPDU
 *
 * Specs: see m3ua.h, m2pa.h, m2ua.h, sua.h, mtp3.h, sccp.h,
 * sccp_reasm.h, tcap_map.h, sgsap.h.  The handle owns the SCCP
 * reassembly table and the per-layer counters; nothing else persists
 * between calls.
 */
#ifndef PR_CLASSIFY_SIGTRAN_H
#define PR_CLASSIFY_SIGTRAN_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "capture/rc.h"
#include "classify/sccp_conn.h"
#include "classify/sccp_reasm.h"
#include "classify/sms_addr.h"
#include "classify/tcap_map.h"

struct sigtran_stats {
    uint64_t m3ua, m2pa, m2ua, sua, sgsap, mtp3; /* messages decoded per layer */
    uint64_t nomem;                              /* a table could not be made */
    uint64_t mtp3_ansi;                          /* MTP3 labels read as ANSI */
    uint64_t invalid;                            /* messages refused by a decoder */
    struct sccp_reasm_stats reasm;
    struct sccp_conn_stats conn;
    struct tcap_stats tcap;
};

struct sigtran;

/* The layer directly above SCTP. */
enum sigtran_layer { SIGTRAN_M3UA = 0, SIGTRAN_M2PA, SIGTRAN_M2UA, SIGTRAN_SUA, SIGTRAN_SGSAP };

/* Returns an owned handle or NULL (out of memory).  One per SCTP
 * association: SCCP segments and connections belong to one.  The
 * reassembly and connection tables are made when first needed. */
struct sigtran *sigtran_new(void);
/* NULL is a no-op. */
void sigtran_free(struct sigtran *s);

/* Does this SCTP DATA user message (u, untrusted) start like one of the
 * layers above?  ppid and the ports choose the candidate layer. */
bool sigtran_probe(uint32_t ppid, uint16_t sport, uint16_t dport, struct span u);

/* Decodes one SCTP DATA user message (user untrusted, borrowed) of flow
 * direction dir (0/1) at ts_us, emitting legs through fn.  Returns what
 * the message was recognised as: "map" (TCAP over SCCP or SUA), "sgsap",
 * or the adaptation layer ("m3ua", "m2pa", "m2ua", "sua") for a valid
 * message that carries no TCAP (management, link status, ISUP, ...);
 * NULL when no layer accepted it. */
const char *sigtran_data(struct sigtran *s, uint32_t ppid, uint16_t sport, uint16_t dport,
                         struct cursor *user, int dir, uint64_t ts_us, sms_leg_fn fn,
                         void *user_arg);

/* As sigtran_data for a message already known to be of layer l (the
 * registry rows below know theirs). */
const char *sigtran_layer(struct sigtran *s, enum sigtran_layer l, struct cursor *user, int dir,
                          uint64_t ts_us, sms_leg_fn fn, void *user_arg);

/* Decodes one MTP3 message (SIO first) from an SS7 link capture. */
const char *sigtran_mtp3(struct sigtran *s, struct cursor *c, int dir, uint64_t ts_us,
                         sms_leg_fn fn, void *user_arg);

void sigtran_get_stats(const struct sigtran *s, struct sigtran_stats *out);

/* Registry rows (classify/proto.h), one per layer above SCTP; each binds a
 * per-association struct sigtran as its flow state and claims the flow on
 * any message it recognises (the carrier driver then classes the flow
 * carrier-signalling until an SMS is decoded on it).  map_proto is M3UA
 * (its name, "map", predates the other transports). */
struct proto_ops;
extern const struct proto_ops map_proto, m2pa_proto, m2ua_proto, sua_proto, sgsap_proto;
/* The MTP3 row: SS7 link captures (PROTO_T_MTP3), one MTP3 message per
 * packet through sigtran_mtp3; claims every message with a routing label
 * (service "mtp3" for ISUP and other user parts, "map", "sccp", "ranap",
 * "bssap" for what it decoded). */
extern const struct proto_ops mtp3_proto;

#endif
