/* ran.h - what the radio network's control-plane decoders give the RAN
 * registry rows (classify/ranbind.h): S1AP (classify/s1ap.h) and NGAP
 * (classify/ngap.h) messages, EPS NAS (classify/nas_eps.h) and 5GS NAS
 * (classify/nas_5gs.h) messages, in one form.  Value types; spans borrow
 * the message for the duration of one parse. */
#ifndef PR_CLASSIFY_RAN_H
#define PR_CLASSIFY_RAN_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "capture/rc.h"
#include "classify/tgpp.h"

/* NAS-PDUs and user-plane tunnels kept per message. */
#define RAN_MAX_NAS 8
#define RAN_MAX_TUNNELS 8

/* One user-plane tunnel end: the node that receives on teid at addr (the
 * core's gateway in a setup request, the base station in its response). */
struct ran_tunnel {
    uint32_t teid;
    uint8_t alen; /* 4 or 16 */
    bool core;    /* the core's gateway (S-GW / UPF): the UE's uplink */
    uint8_t addr[16];
};

/* One UE-associated S1AP / NGAP message.  tmsi_node (here and in struct
 * nas_msg) is the core node an M-TMSI / 5G-TMSI is unique within, as the
 * S-TMSI carries it next to the TMSI: the MME code (TS 23.003 2.8.1: 8
 * bits) or the AMF Set ID and AMF Pointer (TS 23.003 2.10.1: 10 + 6 bits,
 * set first).  The GUTI also names the MME group / AMF region, which the
 * S-TMSI a UE shows when it comes back does not. */
struct ran_msg {
    uint8_t outcome; /* 0 initiating, 1 successful, 2 unsuccessful */
    uint8_t proc;
    bool initial; /* Initial UE Message: a new UE context on the base station */
    bool has_ran_id, has_cn_id;
    uint32_t ran_id; /* eNB-UE-S1AP-ID / RAN-UE-NGAP-ID */
    uint64_t cn_id;  /* MME-UE-S1AP-ID / AMF-UE-NGAP-ID */
    unsigned nnas;
    struct span nas[RAN_MAX_NAS];
    unsigned ntun;
    struct ran_tunnel tun[RAN_MAX_TUNNELS];
    char cell[TGPP_CELL_MAX]; /* "tai:...;ecgi:..." or "tai:...;ncgi:..." */
    bool has_tmsi;            /* S-TMSI / 5G-S-TMSI: the (5G-)M-TMSI */
    uint32_t tmsi;
    uint16_t tmsi_node;       /* ... and the core node that gave it (see struct ran_msg) */
    bool from_ran;            /* sent by the base station (else by the core node) */
    /* Handover Request (an S1 / N2 handover, TS 36.413 8.4.2, TS 38.413
     * 8.4.2): the core node opens the UE's context on the target base
     * station, which has no id for it yet (its acknowledge gives one) */
    bool opens_by_core;
    /* Path Switch Request (an X2 / Xn handover, TS 36.413 8.4.4, TS 38.413
     * 8.4.4): the id the core node gave the UE on the source base
     * station's association (SourceMME-UE-S1AP-ID / Source AMF UE NGAP
     * ID), unique within that core node */
    bool has_src_cn_id;
    uint64_t src_cn_id;
};

struct aper_bits;

/* Adds a NAS-PDU to m (up to RAN_MAX_NAS; empty ones are not kept). */
void ran_add_nas(struct ran_msg *m, struct span s);

/* Reads a TransportLayerAddress (BIT STRING (SIZE (1..160, ...)): IPv4,
 * IPv6, or both with IPv4 first, TS 36.413 9.2.2.1 / TS 38.413 9.3.2.4)
 * and a GTP-TEID (OCTET STRING (SIZE (4))) from b and adds the tunnel end
 * to m (core: the core's gateway's end, else the base station's). */
void ran_add_tunnel(struct aper_bits *b, struct ran_msg *m, bool core);

/* "<kind>:<plmn>-<value>" into out (replacing it), as tgpp_loc_append
 * writes a location of kind: value is a TAC or a cell identity, taken in
 * the octets that kind has (TAI 2, 5GS TAI 3, ECGI 4, NCGI 5). */
void ran_location(const uint8_t *plmn, uint64_t value, enum tgpp_loc kind, char *out,
                  size_t out_size);

/* Writes "tai:<plmn>-<tac>" and ";<kind>:<plmn>-<cell>" (kind "ecgi" or
 * "ncgi") into m->cell from the parts the decoder found ("" = absent). */
void ran_cell(struct ran_msg *m, const char *tai, const char *cgi);

/* A protocol's procedure codes that ran_open reads roles from (TS 36.413
 * 9.3.7, TS 38.413 9.4.7), the largest it accepts, and whether the decoder
 * reads a procedure's messages. */
struct ran_procs {
    uint8_t max_proc;
    uint8_t initial_ue, ul_nas, path_switch, ho_alloc, ho_notify;
    bool (*reads)(uint8_t proc);
};

/* The opening S1AP and NGAP messages share (aper.h): the PDU head, the
 * bounds on its outcome (3) and procedure code (p->max_proc), and whether
 * it is one the decoder reads (p->reads(proc), and not an unsuccessful
 * outcome).  Fills m's outcome and proc, and, for a message read, its
 * roles: initial (an Initial UE Message or Path Switch Request: a new UE
 * context on the base station), opens_by_core (a Handover Request) and
 * from_ran (the initiating messages of the procedures the base station
 * starts, p's initial_ue, ul_nas, path_switch and ho_notify, and the
 * answers to the others).  Returns PARSE_OK with *ies / *count set and *go
 * true when the caller reads its IEs; PARSE_OK with *go false when it does
 * not. */
enum parse_rc ran_open(struct cursor *c, struct ran_msg *m, const struct ran_procs *p,
                       struct cursor *ies, unsigned *count, bool *go);

/* Identities the NAS decoders accept (TS 23.003 2.2, 6.2): an IMSI has at
 * least MCC, MNC and one MSIN digit; an IMEI 14 digits and a check digit,
 * an IMEISV 16 (the check digit may be left out). */
#define RAN_IMSI_MIN_DIGITS 6
#define RAN_IMEI_MIN_DIGITS 14

/* Is s made of decimal digits only, at least min of them? */
bool ran_digits(const char *s, size_t min);

/* How to treat a ciphered NAS message. */
enum nas_cipher {
    NAS_CIPHER_SKIP = 0, /* the algorithm is known not to be the null one: not read */
    NAS_CIPHER_NULL,     /* known EEA0 / NEA0: read */
    NAS_CIPHER_UNKNOWN,  /* not known: read when it decodes as a plain message */
};

/* One NAS message (EPS or 5GS) as far as attribution and SMS need it. */
struct nas_msg {
    uint8_t pd;      /* protocol discriminator of the (inner) message */
    uint8_t type;    /* its message type; 0 when not read */
    bool protected_; /* security protected */
    bool ciphered;
    bool unread; /* ciphered and not read (or not plausible as plain) */
    char imsi[TGPP_IMSI_MAX];
    char imei[TGPP_IMEI_MAX]; /* IMEI or IMEISV digits */
    bool has_guti;            /* an old or new (5G-)GUTI or S-TMSI: its (5G-)M-TMSI */
    uint32_t tmsi;
    uint16_t tmsi_node;       /* ... and the core node that gave it (see struct ran_msg) */
    bool guti_given;          /* ... in a message that gives the UE its GUTI (an Attach,
                                 TAU or Registration accept, a GUTI reallocation or
                                 Configuration update command), not one naming the UE */
    bool has_alg; /* Security mode command: the ciphering it chose */
    uint8_t alg;  /* EEA / NEA number (0: null ciphering) */
    bool has_v4;
    uint8_t v4[4];
    bool has_v6;            /* the address has an IPv6 part: only its interface identifier
                               (the /64 comes later, in a Router Advertisement) */
    char apn[TGPP_APN_MAX]; /* APN / DNN */
    /* ESM / 5GSM: the message's EPS bearer identity / PDU session ID;
     * release: it is a Deactivate EPS bearer context request / PDU session
     * release command, which ends that bearer / session */
    uint8_t bearer;
    bool release;
    bool detach;            /* Detach / Deregistration request */
    /* A SUCI of SUPI format IMSI under protection scheme 1 or 2 (ECIES
     * Profile A / B): its PLMN's digits, home network key id and scheme
     * output (borrowed from the message), for the row to de-conceal with the
     * home network's keys (classify/suci.h); suci_scheme 0: none */
    uint8_t suci_scheme, suci_key_id;
    char suci_plmn[7];
    struct span suci_out;
    bool has_container;     /* NAS transport carrying a CP message (SMS) */
    bool uplink;            /* ... from the UE */
    struct span container;  /* borrowed from the message */
};

/* A PDN address (TS 24.301 9.9.4.9) or PDU address (TS 24.501 9.11.4.10)
 * value v: type in the low 3 bits of octet 1 (1 IPv4, 2 IPv6, 3 IPv4v6),
 * then the IPv4 address, the IPv6 interface identifier (8 octets) or both
 * (identifier first).  Sets m's IPv4 address when it is not 0.0.0.0, and
 * has_v6 when the interface identifier is there.  False when v is shorter
 * than its type says (an IPv6 identifier cut short only clears has_v6). */
bool ran_pdn_address(struct cursor v, struct nas_msg *m);

/* The plain message inside a security-protected EPS or 5GS NAS message
 * (c after its header, MAC and sequence number), read with plain: under
 * NAS_CIPHER_SKIP a ciphered one (header type 2 or 4) is only marked
 * unread; one that does not decode as a plain message is marked unread
 * when ciphered (it may really be), an error otherwise.  m: the outer
 * message's fields so far (pd, protected_). */
enum parse_rc ran_nas_inner(struct cursor *c, uint8_t sec, enum nas_cipher cipher,
                            struct nas_msg *m,
                            enum parse_rc (*plain)(struct cursor *c, struct nas_msg *m));

#endif
