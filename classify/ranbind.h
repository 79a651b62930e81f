/* ranbind.h - the radio network control-plane registry rows, S1AP (LTE,
 * eNodeB <-> MME, S1-MME) and NGAP (5G, gNB <-> AMF, N2): who is behind a
 * UE address, and the SMS a UE sends and receives over NAS (SMS over SGs'
 * radio leg in LTE, SMS over NAS in 5G).
 *
 * A probe on S1-MME or N2 sees neither S11 / N4 nor Gx / N7, yet every
 * attach (registration) passes it: the Attach / Registration request names
 * the subscriber (IMSI, a SUCI with the null protection scheme, or a GUTI
 * the core gave it before), Security mode complete may carry the IMEISV,
 * the Attach accept (in the Initial Context Setup Request) or the PDU
 * Session Establishment Accept (in the PDU Session Resource Setup Request)
 * gives the UE's IPv4 address, and the E-RAB / PDU session items give the
 * user-plane tunnels (the gateway's TEID in the request, the base
 * station's in the response).
 *
 * Per association (flow), a table of UE contexts keyed by the base
 * station's UE id (eNB-UE-S1AP-ID, TS 36.413 section 9.2.3.4;
 * RAN-UE-NGAP-ID, TS 38.413 section 9.3.3.2; unique within the node): each
 * Initial UE Message starts a new context (ids are reused), and a context
 * that names its UE only by (5G-)S-TMSI or GUTI takes the identity, address
 * and session of the context that was given that (5G-)M-TMSI, and the
 * context a Path Switch Request opens (an X2 / Xn handover) those of the
 * context the core node knew by the request's source UE id, and the
 * context a Handover Request opens (an S1 / N2 handover; pending until the
 * base station's acknowledge gives its id) those of the UE whose uplink
 * tunnel end at the gateway it names, on any association of the row
 * (classify/ran_dir.h).  An earlier
 * context of the same UE id is kept only while it holds an M-TMSI that
 * another context may name, and not once its M-TMSI was taken over or its
 * subscriber attached again.  Contexts are kept RANBIND_MAX_UES per flow
 * (grown on demand, within the classifier's slot budget); the least
 * recently used one makes room.
 *
 * Evidence (src 's1ap' / 'ngap'): a context with an IPv4 address and an
 * IMSI or IMEI opens a binding (IMSI, IMEI, IPv4, APN / DNN, cell, tunnel
 * ends); later tunnels, cells and identities update it; a Detach /
 * Deregistration request closes it.  The CP messages of NAS transports go
 * to classify/dtap_sms (protocol 's1ap' / 'ngap', the context's IMSI).
 *
 * Ciphered NAS is read only when the context's Security mode command chose
 * the null algorithm (EEA0 / NEA0), or no command was seen and the bytes
 * decode as a plain message (nas_eps.h, nas_5gs.h); otherwise it is counted
 * (s1ap_nas_unread / ngap_nas_unread) and nothing is taken from it.
 */
#ifndef PR_CLASSIFY_RANBIND_H
#define PR_CLASSIFY_RANBIND_H

#include "classify/proto.h"

#define RANBIND_MAX_UES 4096 /* UE contexts per S1-MME / N2 association */

extern const struct proto_ops s1ap_proto;
extern const struct proto_ops ngap_proto;

#endif
