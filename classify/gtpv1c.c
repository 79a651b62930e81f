/* gtpv1c.c - GTPv0/v1-C PDP context decoding (see gtpv1c.h). */
#include "classify/gtpv1c.h"

#include <string.h>

#define V1_HDR_LEN 8
#define V1_OPT_LEN 4
#define V0_HDR_LEN 20
#define FLAG_PT 0x10u
#define FLAG_E 0x04u
#define FLAGS_OPT 0x07u /* E | S | PN */
#define TLV_MIN 128     /* types >= 128 carry a length (section 7.7) */
#define EXT_UNIT 4      /* extension header length unit (section 6.1) */
#define MAX_EXT 8       /* extension headers followed before giving up */

/* IE types (TS 29.060 section 7.7). */
enum { IE_CAUSE = 1, IE_IMSI = 2, IE_TEID_DATA = 16, IE_TEID_CTL = 17, IE_NSAPI = 20,
       IE_EUA = 128, IE_APN = 131, IE_GSN = 133, IE_MSISDN = 134, IE_RAT = 151, IE_ULI = 152,
       IE_IMEI = 154 };

/* GTPv0 (GSM 09.60 section 7.9) TV IEs whose number or length differs:
 * 6 QoS profile (3), 16 flow label data I (2), 17 flow label signalling
 * (2), 18 flow label data II (3), 19 MS not reachable reason (1). */
enum { V0_FLOW_DATA = 16, V0_FLOW_SIG = 17 };

/* TS 29.060 table 37: value length of every TV type in use (0 = unknown). */
static const uint8_t tv_v1[TLV_MIN] = {
    [1] = 1,   /* Cause */
    [2] = 8,   /* IMSI */
    [3] = 6,   /* Routeing Area Identity */
    [4] = 4,   /* TLLI */
    [5] = 4,   /* P-TMSI */
    [8] = 1,   /* Reordering Required */
    [9] = 28,  /* Authentication Triplet */
    [11] = 1,  /* MAP Cause */
    [12] = 3,  /* P-TMSI Signature */
    [13] = 1,  /* MS Validated */
    [14] = 1,  /* Recovery */
    [15] = 1,  /* Selection Mode */
    [16] = 4,  /* TEID Data I */
    [17] = 4,  /* TEID Control Plane */
    [18] = 5,  /* TEID Data II (NSAPI + TEID) */
    [19] = 1,  /* Teardown Ind */
    [20] = 1,  /* NSAPI */
    [21] = 1,  /* RANAP Cause */
    [22] = 9,  /* RAB Context */
    [23] = 1,  /* Radio Priority SMS */
    [24] = 1,  /* Radio Priority */
    [25] = 2,  /* Packet Flow Id */
    [26] = 2,  /* Charging Characteristics */
    [27] = 2,  /* Trace Reference */
    [28] = 2,  /* Trace Type */
    [29] = 1,  /* MS Not Reachable Reason */
    [127] = 4, /* Charging ID */
};

static const uint8_t tv_v0[TLV_MIN] = {
    [1] = 1, [2] = 8, [3] = 6, [4] = 4, [5] = 4, [6] = 3, [8] = 1, [9] = 28, [11] = 1,
    [12] = 3, [13] = 1, [14] = 1, [15] = 1, [16] = 2, [17] = 2, [18] = 3, [19] = 1,
    [127] = 4,
};

unsigned gtpv1c_tv_len(uint8_t version, uint8_t t)
{
    if (t >= TLV_MIN)
        return 0;
    return version == 0 ? tv_v0[t] : tv_v1[t];
}

bool gtpv1c_probe(struct span s)
{
    struct cursor c = cur_init(s.p, s.n);
    uint8_t flags = cur_u8(&c), type = cur_u8(&c);
    uint16_t len = cur_be16(&c);
    unsigned ver = flags >> 5;
    if (!cur_ok(&c) || !(flags & FLAG_PT) || ver > 1 || type == 0)
        return false;
    size_t hdr = ver == 0 ? V0_HDR_LEN : V1_HDR_LEN;
    return s.n >= hdr && len <= s.n - hdr;
}

static void eua(struct cursor v, struct gtpv1c_msg *m)
{
    cur_skip(&v, 1); /* spare + PDP type organisation */
    m->pdp_type = cur_u8(&v);
    if (!cur_ok(&v))
        return;
    m->has_eua = true;
    size_t left = cur_left(&v);
    if (left == 4 || left == 20) {
        cur_copy(&v, m->v4, 4);
        m->has_v4 = true;
    }
    if (left == 16 || left == 20) {
        cur_copy(&v, m->v6, 16);
        m->has_v6 = true;
    }
}

static void tv(uint8_t t, struct cursor v, struct gtpv1c_msg *m)
{
    struct span s = cur_rest(&v);
    switch (t) {
    case IE_CAUSE:
        m->cause = cur_u8(&v);
        break;
    case IE_IMSI:
        tgpp_tbcd(s, TGPP_IMSI_MAX - 1, m->imsi, sizeof m->imsi);
        break;
    case IE_TEID_DATA: /* v0: flow label data I (2 octets), not a TEID */
        if (m->version == 1) {
            m->teid_data = cur_be32(&v);
            m->has_teid_data = true;
        }
        break;
    case IE_TEID_CTL:
        if (m->version == 1) {
            m->teid_ctl = cur_be32(&v);
            m->has_teid_ctl = true;
        }
        break;
    case IE_NSAPI:
        m->nsapi = cur_u8(&v) & 0x0f;
        break;
    default:
        break;
    }
}

static void tlv(uint8_t t, struct cursor v, struct gtpv1c_msg *m)
{
    struct span s = cur_rest(&v);
    switch (t) {
    case IE_EUA:
        eua(v, m);
        break;
    case IE_APN:
        tgpp_apn(s, m->apn, sizeof m->apn, &m->apn_cut);
        break;
    case IE_GSN:
        if ((s.n == 4 || s.n == 16) && m->ngsn < GTPV1C_MAX_GSN) {
            cur_copy(&v, m->gsn[m->ngsn], s.n);
            m->gsn_len[m->ngsn++] = (uint8_t)s.n;
        }
        break;
    case IE_MSISDN: /* nature/plan octet (0x91), then TBCD (section 7.7.33) */
        if (s.n > 1)
            tgpp_tbcd((struct span){s.p + 1, s.n - 1}, TGPP_MSISDN_MAX - 1, m->msisdn,
                      sizeof m->msisdn);
        break;
    case IE_RAT:
        if (s.n >= 1)
            m->rat = cur_u8(&v);
        break;
    case IE_ULI:
        tgpp_uli_typed(s, m->cell, sizeof m->cell);
        break;
    case IE_IMEI:
        tgpp_tbcd(s, TGPP_IMEI_MAX - 1, m->imei, sizeof m->imei);
        break;
    default:
        break;
    }
}

static enum parse_rc walk(struct cursor c, struct gtpv1c_msg *m)
{
    for (unsigned i = 0; cur_left(&c) > 0; i++) {
        uint8_t t = cur_u8(&c);
        struct cursor v;
        if (t < TLV_MIN) {
            unsigned n = gtpv1c_tv_len(m->version, t);
            if (n == 0) {
                m->stopped = true; /* unknown length: nothing after it can be read */
                return PARSE_OK;
            }
            if (!cur_sub(&c, n, &v))
                return PARSE_INVALID;
            if (i < GTPV1C_MAX_IES)
                tv(t, v, m);
        } else {
            uint16_t n = cur_be16(&c);
            if (!cur_ok(&c) || !cur_sub(&c, n, &v))
                return PARSE_INVALID;
            if (i < GTPV1C_MAX_IES)
                tlv(t, v, m);
        }
        if (i >= GTPV1C_MAX_IES)
            m->ies_over_limit++;
    }
    return PARSE_OK;
}

enum parse_rc gtpv1c_parse(struct cursor *c, struct gtpv1c_msg *out)
{
    memset(out, 0, sizeof *out);
    out->rat = out->cause = out->nsapi = -1;
    uint8_t flags = cur_u8(c);
    out->type = cur_u8(c);
    uint16_t len = cur_be16(c);
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    out->version = (uint8_t)(flags >> 5);
    if (out->version > 1 || !(flags & FLAG_PT))
        return PARSE_INVALID;
    struct cursor body;
    if (out->version == 0) {
        out->seq = cur_be16(c);
        out->has_seq = true;
        cur_skip(c, 2 + 1 + 3); /* flow label, SNDCP N-PDU number, spare */
        struct span tid;
        cur_span(c, 8, &tid);
        if (!cur_ok(c))
            return PARSE_TRUNCATED;
        for (size_t i = 0; i < 8; i++)
            out->tid = out->tid << 8 | span_at(tid, i);
        /* TID: 15 IMSI digits in TBCD, then the NSAPI in the last high nibble */
        tgpp_tbcd(tid, TGPP_IMSI_MAX - 1, out->imsi, sizeof out->imsi);
        out->nsapi = span_at(tid, 7) >> 4;
        if (!cur_sub(c, len, &body))
            return PARSE_TRUNCATED;
        return walk(body, out);
    }
    out->teid = cur_be32(c);
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    if (!cur_sub(c, len, &body))
        return PARSE_TRUNCATED;
    if (flags & FLAGS_OPT) {
        out->seq = cur_be16(&body);
        out->has_seq = true;
        cur_skip(&body, 1);
        uint8_t next = cur_u8(&body);
        if (!cur_ok(&body))
            return PARSE_INVALID; /* length below the optional fields */
        if (!(flags & FLAG_E))
            next = 0;
        for (unsigned n = 0; next != 0; n++) {
            uint8_t units = cur_u8(&body);
            if (n >= MAX_EXT || units == 0 ||
                !cur_skip(&body, (size_t)units * EXT_UNIT - 2))
                return PARSE_INVALID;
            next = cur_u8(&body);
            if (!cur_ok(&body))
                return PARSE_INVALID;
        }
    }
    return walk(body, out);
}
