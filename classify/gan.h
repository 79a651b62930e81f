/* gan.h - GAN / UMA (Generic Access Network, the Up interface between the
 * phone and the GAN controller over TCP) URR messages: the direct
 * transfers carry the same L3 messages as DTAP, including SMS CP-DATA.
 *
 * Spec: 3GPP TS 44.318 section 11.1 (message format: length indicator (2,
 * octets that follow), skip indicator (high nibble) | protocol
 * discriminator (low nibble: 1 = GA-RC/GA-CSR "URR"), message type (1),
 * IEs: IEI (1), length (1 octet, or 2 when bit 8 of the first is set: 15
 * bits), value); message types 16 REGISTER REQUEST, 112 UPLINK DIRECT
 * TRANSFER, 114 DOWNLINK DIRECT TRANSFER (UMA Stage 3, as Wireshark's
 * packet-uma.c numbers them); IEI 1 Mobile Identity, 26 L3 Message.
 * TCP port 14001.
 *
 *   | len 16 | skip | PD=1 | type | IEI | len | value | ... |
 */
#ifndef PR_CLASSIFY_GAN_H
#define PR_CLASSIFY_GAN_H

#include <stdbool.h>

#include "capture/cursor.h"
#include "capture/rc.h"
#include "classify/sms_addr.h"

#define GAN_PORT 14001
#define GAN_PD_URR 1
#define GAN_REGISTER_REQUEST 16
#define GAN_UL_DIRECT_TRANSFER 112
#define GAN_DL_DIRECT_TRANSFER 114
/* IEs examined per message. */
#define GAN_MAX_IES 32

/* Per-connection state: the subscriber the registration named. */
struct gan_state {
    char imsi[SMS_ADDR_MAX];
};

/* Is s the start of a URR message (length, PD 1, a known type)? */
bool gan_probe(struct span s);

/* Decodes one URR message (c untrusted, exactly one message including its
 * length indicator).  REGISTER REQUEST sets st->imsi; direct transfers
 * carrying SMS CP-DATA emit legs (protocol "gan").  Returns PARSE_OK,
 * PARSE_TRUNCATED or PARSE_INVALID. */
enum parse_rc gan_parse(struct gan_state *st, struct cursor *c, uint64_t ts_us, sms_leg_fn fn,
                        void *user);

/* The registry row (classify/proto.h): TCP, framed by the length indicator. */
struct proto_ops;
extern const struct proto_ops gan_proto;

#endif
