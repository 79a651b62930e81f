/* s1bind.h - the S1AP registry row: who is behind a UE address, from the
 * LTE radio network's control plane (eNodeB <-> MME, S1-MME), and the SMS
 * a UE sends and receives over NAS (SMS over SGs: the radio leg).
 *
 * A probe on S1-MME sees neither S11 (GTPv2-C) nor Gx, yet every attach
 * passes it: the Attach request names the subscriber (IMSI, or a GUTI the
 * MME gave it before), Security mode complete may carry the IMEISV, the
 * Attach accept (in the Initial Context Setup Request) gives the UE's PDN
 * address, and the E-RAB items give the S1-U tunnels (the serving
 * gateway's TEID in the request, the eNodeB's in the response).
 *
 * Per association (flow), a table of UE contexts keyed by the eNodeB's
 * UE S1AP ID (TS 36.413 section 9.2.3.4; unique within the eNodeB): each
 * Initial UE Message starts a new context (the eNodeB reuses ids), and a
 * context that names its UE only by S-TMSI or GUTI takes the identity and
 * address of the context that was given that M-TMSI.  Contexts are kept
 * S1BIND_MAX_UES per flow (grown on demand, within the classifier's slot
 * budget); the least recently used one makes room.
 *
 * Evidence (src 's1ap'): a context with a PDN address and an IMSI or IMEI
 * opens a binding (IMSI, IMEI, IPv4, APN, cell, S1-U TEIDs); later
 * tunnels, cells and identities update it; a Detach request closes it.
 * Uplink / Downlink NAS transport's CP messages go to classify/dtap_sms
 * (protocol 's1ap', the context's IMSI).
 *
 * Ciphered NAS (header types 2, 4) is read only when the context's
 * Security mode command chose EEA0, or no command was seen and the bytes
 * decode as a plain message (nas_eps.h); otherwise it is counted as
 * s1ap_nas_unread.
 */
#ifndef PR_CLASSIFY_S1BIND_H
#define PR_CLASSIFY_S1BIND_H

#include "classify/proto.h"

#define S1BIND_MAX_UES 4096 /* UE contexts per S1-MME association */

extern const struct proto_ops s1ap_proto;

#endif
