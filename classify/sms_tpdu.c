/* sms_tpdu.c - TPDU and RP metadata decoding (see sms_tpdu.h). */
#include "classify/sms_tpdu.h"

#include <string.h>

#include "classify/sms_addr.h"

/* RP address value: TOA + at most 10 octets (TS 24.011 section 8.2.5.1). */
#define RP_ADDR_MAX_OCTETS 11
/* IEs looked at in one user-data header before giving up. */
#define TPDU_UDH_MAX_IES 16

void sms_tpdu_udh_concat(struct cursor *udh, int *ref, int *part, int *total)
{
    for (unsigned i = 0; i < TPDU_UDH_MAX_IES && cur_left(udh) >= 2; i++) {
        uint8_t iei = cur_u8(udh), len = cur_u8(udh);
        struct cursor v;
        if (!cur_sub(udh, len, &v))
            return;
        if (iei == 0x00 && len == 3) { /* 8-bit reference */
            *ref = cur_u8(&v);
            *total = cur_u8(&v);
            *part = cur_u8(&v);
        } else if (iei == 0x08 && len == 4) { /* 16-bit reference */
            *ref = cur_be16(&v);
            *total = cur_u8(&v);
            *part = cur_u8(&v);
        }
    }
}

/* TP-UDL and the start of TP-UD: only the UDH (when TP-UDHI) is read. */
static void user_data(struct cursor *c, uint8_t fo, struct tpdu_info *out)
{
    uint8_t udl = cur_u8(c);
    if (!cur_ok(c))
        return;
    out->content_present = udl > 0;
    out->shape |= udl; /* a length, not text */
    if ((fo & 0x40) && cur_left(c) >= 1) { /* TP-UDHI */
        uint8_t udhl = cur_u8(c);
        struct cursor udh;
        if (cur_sub(c, udhl, &udh))
            sms_tpdu_udh_concat(&udh, &out->concat_ref, &out->concat_part, &out->concat_total);
    }
    /* The rest is TP-UD, the message text: not read. */
}

enum parse_rc sms_tpdu_parse(struct cursor *c, bool ms_to_sc, struct tpdu_info *out)
{
    memset(out, 0, sizeof *out);
    out->mr = out->status = -1;
    out->scts = -1;
    out->shape = -1;
    out->ton = out->npi = -1;
    out->concat_ref = out->concat_part = out->concat_total = -1;
    uint8_t fo = cur_u8(c);
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    unsigned mti = fo & 0x03;
    enum parse_rc rc;
    if (mti == 3)
        return PARSE_INVALID; /* reserved */
    if (!ms_to_sc && mti == 0) {
        out->type = TPDU_DELIVER;
        if ((rc = sms_addr_tp(c, out->addr, sizeof out->addr, &out->ton, &out->npi)))
            return rc;
        uint8_t pid = cur_u8(c), dcs = cur_u8(c);
        out->shape = (int64_t)pid << 16 | (int64_t)dcs << 8;
        uint8_t scts[7]; /* TS 23.040 9.2.3.11: kept whole, it identifies the message */
        cur_copy(c, scts, sizeof scts);
        if (!cur_ok(c))
            return PARSE_TRUNCATED;
        out->scts = 0;
        for (size_t i = 0; i < sizeof scts; i++)
            out->scts = out->scts << 8 | scts[i];
        user_data(c, fo, out);
    } else if (ms_to_sc && mti == 1) {
        out->type = TPDU_SUBMIT;
        out->mr = cur_u8(c);
        if ((rc = sms_addr_tp(c, out->addr, sizeof out->addr, &out->ton, &out->npi)))
            return rc;
        static const uint8_t vp_len[4] = {0, 7, 1, 7}; /* TP-VPF: none, enhanced, rel, abs */
        uint8_t pid = cur_u8(c), dcs = cur_u8(c);
        out->shape = (int64_t)pid << 16 | (int64_t)dcs << 8;
        cur_skip(c, vp_len[(fo >> 3) & 3u]);
        if (!cur_ok(c))
            return PARSE_TRUNCATED;
        user_data(c, fo, out);
    } else if (!ms_to_sc && mti == 2) {
        out->type = TPDU_STATUS_REPORT;
        out->mr = cur_u8(c);
        if ((rc = sms_addr_tp(c, out->addr, sizeof out->addr, &out->ton, &out->npi)))
            return rc;
        cur_skip(c, 14); /* SCTS, DT */
        out->status = cur_u8(c);
        if (!cur_ok(c))
            return PARSE_TRUNCATED;
        /* optional PI/PID/DCS/UDL/UD: only the presence of text matters */
        out->content_present = cur_left(c) > 0;
    } else if (ms_to_sc && mti == 2) {
        out->type = TPDU_COMMAND;
        out->mr = cur_u8(c);
        cur_skip(c, 3); /* PID, CT, MN */
        if (!cur_ok(c))
            return PARSE_TRUNCATED;
        if ((rc = sms_addr_tp(c, out->addr, sizeof out->addr, &out->ton, &out->npi)))
            return rc;
        uint8_t cdl = cur_u8(c);
        if (!cur_ok(c))
            return PARSE_TRUNCATED;
        out->content_present = cdl > 0; /* TP-CD: not read */
    } else {
        out->type = TPDU_REPORT;
    }
    return PARSE_OK;
}

static enum parse_rc rp_addr(struct cursor *c, char *out, size_t out_size)
{
    uint8_t len = cur_u8(c);
    struct span v;
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    if (len > RP_ADDR_MAX_OCTETS)
        return PARSE_INVALID;
    if (!cur_span(c, len, &v))
        return PARSE_TRUNCATED;
    sms_addr_toa_digits(v, out, out_size, NULL, NULL);
    return PARSE_OK;
}

enum parse_rc sms_tpdu_rp_parse(struct cursor *c, struct rp_info *out)
{
    memset(out, 0, sizeof *out);
    out->cause = -1;
    out->mti = cur_u8(c) & 0x07;
    out->mr = cur_u8(c);
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    enum parse_rc rc;
    switch (out->mti) {
    case RP_DATA_MS_N:
    case RP_DATA_N_MS: {
        if ((rc = rp_addr(c, out->oa, sizeof out->oa)) || (rc = rp_addr(c, out->da, sizeof out->da)))
            return rc;
        uint8_t len = cur_u8(c);
        struct cursor tp;
        if (!cur_ok(c))
            return PARSE_TRUNCATED;
        bool cut = false;
        tp = cur_sub_clamped(c, len, &cut);
        rc = sms_tpdu_parse(&tp, out->mti == RP_DATA_MS_N, &out->tp);
        if (rc)
            return cut && rc == PARSE_TRUNCATED ? PARSE_TRUNCATED : rc;
        out->has_tpdu = true;
        return PARSE_OK;
    }
    case RP_ERROR_MS_N:
    case RP_ERROR_N_MS: {
        uint8_t len = cur_u8(c);
        uint8_t cause = cur_u8(c);
        if (!cur_ok(c))
            return PARSE_TRUNCATED;
        if (len < 1)
            return PARSE_INVALID;
        out->cause = cause & 0x7f;
        return PARSE_OK;
    }
    case RP_ACK_MS_N:
    case RP_ACK_N_MS:
    case RP_SMMA_MS_N:
        return PARSE_OK;
    default:
        return PARSE_INVALID;
    }
}

void sms_tpdu_to_event(const struct tpdu_info *tp, struct sms_event *ev)
{
    if (tp->type == TPDU_DELIVER) {
        memcpy(ev->originator, tp->addr, sizeof ev->originator);
        ev->originator_ton = tp->ton;
        ev->originator_npi = tp->npi;
    } else if (tp->type != TPDU_REPORT) {
        memcpy(ev->recipient, tp->addr, sizeof ev->recipient);
        ev->recipient_ton = tp->ton;
        ev->recipient_npi = tp->npi;
    }
    ev->msg_ref = tp->mr;
    ev->tp_scts = tp->scts;
    ev->tp_shape = tp->shape;
    ev->concat_ref = tp->concat_ref;
    ev->concat_part = tp->concat_part;
    ev->concat_total = tp->concat_total;
    ev->content_present = ev->content_present || tp->content_present;
}
