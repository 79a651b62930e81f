/* ngap.c - NGAP PDU decoding (see ngap.h). */
#include "classify/ngap.h"

#include <string.h>

#include "classify/aper.h"

enum {
    IE_AMF_UE_ID = 10,
    IE_FIVEG_S_TMSI = 26,
    IE_NAS_PDU = 38,
    IE_PDU_ADMITTED_LIST = 53, /* PDUSessionResourceAdmittedList (Handover Request Ack) */
    IE_PDU_CTX_REQ_LIST = 71, /* PDUSessionResourceSetupListCxtReq */
    IE_PDU_CTX_RES_LIST = 72, /* PDUSessionResourceSetupListCxtRes */
    IE_PDU_HO_REQ_LIST = 73,  /* PDUSessionResourceSetupListHOReq (Handover Request) */
    IE_PDU_SU_REQ_LIST = 74,  /* PDUSessionResourceSetupListSUReq */
    IE_PDU_SU_RES_LIST = 75,  /* PDUSessionResourceSetupListSURes */
    IE_PDU_SW_DL_LIST = 76,   /* PDUSessionResourceToBeSwitchedDLList (Path Switch Request) */
    IE_RAN_UE_ID = 85,
    IE_SOURCE_AMF_UE_ID = 100,
    IE_USER_LOCATION = 121,
    IE_UL_NGU_UP_TNL = 139, /* in PDUSessionResourceSetupRequestTransfer */
};

/* Procedures TS 38.413 section 9.4.7 assigns (0..80 in Release 17). */
#define NGAP_MAX_PROC 127
/* PDU sessions per list (maxnoofPDUSessions), extension fields skipped. */
#define NGAP_MAX_LIST 256
#define NGAP_MAX_EXT 16

bool ngap_probe(struct span s)
{
    return aper_pdu_shape(s, NGAP_MAX_PROC);
}

/* UserLocationInformation: CHOICE (2 bits) of EUTRA / NR / N3IWF / an
 * extension; EUTRA and NR: SEQUENCE (ext, timeStamp and iE-Extensions
 * present) of a CGI (ext, iE-Extensions present, PLMN, cell identity: 36
 * bits NR, 28 E-UTRA) and a TAI (ext, iE-Extensions present, PLMN, TAC of
 * 3 octets). */
static void user_location(struct cursor v, struct ran_msg *m)
{
    struct aper_bits b = aper_bits_of(&v);
    unsigned alt = aper_bits(&b, 2);
    if (alt > 1)
        return;           /* N3IWF (an IP address, no cell) or an extension */
    aper_bits(&b, 1 + 2); /* extension bit, timeStamp and iE-Extensions present */
    aper_bits(&b, 1);
    bool cgi_ext = aper_bits(&b, 1);
    struct span plmn, tac, plmn2;
    if (!aper_octets(&b, 3, &plmn))
        return;
    uint64_t cell; /* NR cell identity: 36 bits; E-UTRA: 28 */
    if (alt == 1) {
        uint64_t hi = aper_bits(&b, 4);
        cell = hi << 32 | aper_bits(&b, 32);
    } else {
        cell = aper_bits(&b, 28);
    }
    if (cgi_ext)
        aper_skip_extensions(&b, NGAP_MAX_EXT);
    aper_bits(&b, 1);
    aper_bits(&b, 1); /* TAI's iE-Extensions, after the fields read here */
    if (!aper_octets(&b, 3, &plmn2) || !aper_octets(&b, 3, &tac) || b.err)
        return;
    char tai[TGPP_CELL_MAX], cgi[TGPP_CELL_MAX];
    uint64_t tac_value = (uint64_t)tac.p[0] << 16 | (uint64_t)tac.p[1] << 8 | tac.p[2];
    ran_location(plmn2.p, tac_value, TGPP_LOC_5GS_TAI, tai, sizeof tai); /* 5GS TAC: 3 octets */
    ran_location(plmn.p, cell, alt == 1 ? TGPP_LOC_NCGI : TGPP_LOC_ECGI, cgi, sizeof cgi);
    ran_cell(m, tai, cgi);
}

/* UPTransportLayerInformation: CHOICE (1 bit) of a GTPTunnel (ext,
 * iE-Extensions present, address, TEID) or an extension (core: the UPF's
 * end). */
static void up_tunnel(struct aper_bits *b, struct ran_msg *m, bool core)
{
    if (aper_bits(b, 1))
        return; /* choice-Extensions */
    aper_bits(b, 2);
    ran_add_tunnel(b, m, core);
}

/* PDUSessionResourceSetupRequestTransfer: an IE container; IE 139 is the
 * UPF's uplink tunnel. */
static void request_transfer(struct span t, struct ran_msg *m)
{
    struct cursor c = cur_init(t.p, t.n);
    cur_skip(&c, 1); /* extension bit */
    unsigned count = cur_be16(&c);
    for (unsigned i = 0; i < count && i < NGAP_MAX_IES && cur_ok(&c); i++) {
        uint16_t id;
        struct cursor v;
        if (aper_ie(&c, &id, &v) != PARSE_OK)
            return;
        if (id == IE_UL_NGU_UP_TNL) {
            struct aper_bits b = aper_bits_of(&v);
            up_tunnel(&b, m, true);
            return;
        }
    }
}

/* PDUSessionResourceSetupResponseTransfer: ext and 4 optional bits, then
 * dLQosFlowPerTNLInformation (ext, iE-Extensions present) whose first
 * field is the gNB's downlink tunnel. */
static void response_transfer(struct span t, struct ran_msg *m)
{
    struct cursor c = cur_init(t.p, t.n);
    struct aper_bits b = aper_bits_of(&c);
    aper_bits(&b, 1 + 4);
    aper_bits(&b, 1 + 1);
    up_tunnel(&b, m, false);
}

/* PathSwitchRequestTransfer: ext and 3 optional bits, then the gNB's
 * downlink tunnel (dL-NGU-UP-TNLInformation). */
static void switch_transfer(struct span t, struct ran_msg *m)
{
    struct cursor c = cur_init(t.p, t.n);
    struct aper_bits b = aper_bits_of(&c);
    aper_bits(&b, 1 + 3);
    up_tunnel(&b, m, false);
}

/* HandoverRequestAcknowledgeTransfer: ext and 5 optional bits, then the
 * target gNB's downlink tunnel (dL-NGU-UP-TNLInformation). */
static void admitted_transfer(struct span t, struct ran_msg *m)
{
    struct cursor c = cur_init(t.p, t.n);
    struct aper_bits b = aper_bits_of(&c);
    aper_bits(&b, 1 + 5);
    up_tunnel(&b, m, false);
}

enum session_item { ITEM_REQUEST, ITEM_RESPONSE, ITEM_SWITCH, ITEM_HO_REQUEST, ITEM_ADMITTED };

/* A PDU session list (SEQUENCE (SIZE (1..256)) OF items): setup request
 * items (PDU session ID, NAS-PDU if present, S-NSSAI, request transfer),
 * handover request items (the same without the NAS-PDU), setup response
 * items (PDU session ID, response transfer), to be switched items (PDU
 * session ID, path switch request transfer) or admitted items (PDU session
 * ID, handover request acknowledge transfer). */
static enum parse_rc session_list(struct cursor v, enum session_item kind, struct ran_msg *m)
{
    bool request = kind == ITEM_REQUEST || kind == ITEM_HO_REQUEST;
    struct aper_bits b = aper_bits_of(&v);
    unsigned n = aper_bits(&b, 8) + 1u;
    for (unsigned i = 0; i < n && i < NGAP_MAX_LIST && !b.err; i++) {
        aper_bits(&b, 1); /* extension bit */
        bool nas = kind == ITEM_REQUEST && aper_bits(&b, 1);
        bool ext = aper_bits(&b, 1);
        struct span id, pdu, sd, transfer;
        size_t len;
        aper_octets(&b, 1, &id); /* PDU session ID (0..255) */
        if (nas && aper_bits_len(&b, &len) && aper_octets(&b, len, &pdu))
            ran_add_nas(m, pdu);
        if (request) { /* S-NSSAI: ext, sD and iE-Extensions present, SST, SD */
            aper_bits(&b, 1);
            bool has_sd = aper_bits(&b, 1), sext = aper_bits(&b, 1);
            aper_bits(&b, 8); /* SST: 1 octet, not aligned */
            if (has_sd)
                aper_octets(&b, 3, &sd);
            if (sext)
                aper_skip_extensions(&b, NGAP_MAX_EXT);
        }
        if (!aper_bits_len(&b, &len) || !aper_octets(&b, len, &transfer))
            break;
        if (request)
            request_transfer(transfer, m);
        else if (kind == ITEM_RESPONSE)
            response_transfer(transfer, m);
        else if (kind == ITEM_SWITCH)
            switch_transfer(transfer, m);
        else
            admitted_transfer(transfer, m);
        if (ext)
            aper_skip_extensions(&b, NGAP_MAX_EXT);
    }
    return b.err ? PARSE_TRUNCATED : PARSE_OK;
}

static bool read_proc(uint8_t proc)
{
    return proc == NGAP_PROC_DL_NAS_TRANSPORT || proc == NGAP_PROC_INITIAL_CONTEXT_SETUP ||
           proc == NGAP_PROC_INITIAL_UE_MESSAGE || proc == NGAP_PROC_PDU_SESSION_SETUP ||
           proc == NGAP_PROC_PDU_SESSION_RELEASE ||
           proc == NGAP_PROC_UL_NAS_TRANSPORT || proc == NGAP_PROC_PATH_SWITCH ||
           proc == NGAP_PROC_HANDOVER_RESOURCE_ALLOCATION || proc == NGAP_PROC_HANDOVER_NOTIFY;
}

static const struct ran_procs procs = {
    .max_proc = NGAP_MAX_PROC,
    .initial_ue = NGAP_PROC_INITIAL_UE_MESSAGE,
    .ul_nas = NGAP_PROC_UL_NAS_TRANSPORT,
    .path_switch = NGAP_PROC_PATH_SWITCH,
    .ho_alloc = NGAP_PROC_HANDOVER_RESOURCE_ALLOCATION,
    .ho_notify = NGAP_PROC_HANDOVER_NOTIFY,
    .reads = read_proc,
};

enum parse_rc ngap_parse(struct cursor *c, struct ran_msg *m)
{
    struct cursor ies;
    unsigned count;
    bool go;
    enum parse_rc rc = ran_open(c, m, &procs, &ies, &count, &go);
    if (rc || !go)
        return rc;
    for (unsigned i = 0; i < count && i < NGAP_MAX_IES; i++) {
        uint16_t id;
        struct cursor v, nas;
        if ((rc = aper_ie(&ies, &id, &v)))
            return rc;
        switch (id) {
        case IE_AMF_UE_ID: /* INTEGER (0..2^40-1) */
            m->has_cn_id = aper_uint(v, 3, &m->cn_id);
            break;
        case IE_SOURCE_AMF_UE_ID: /* an AMF-UE-NGAP-ID */
            m->has_src_cn_id = aper_uint(v, 3, &m->src_cn_id);
            break;
        case IE_RAN_UE_ID: { /* INTEGER (0..2^32-1) */
            uint64_t x = 0;
            m->has_ran_id = aper_uint(v, 2, &x);
            m->ran_id = (uint32_t)x;
            break;
        }
        case IE_NAS_PDU:
            if ((rc = aper_open_type(&v, &nas)))
                return rc;
            ran_add_nas(m, cur_rest(&nas));
            break;
        case IE_USER_LOCATION:
            user_location(v, m);
            break;
        case IE_FIVEG_S_TMSI: { /* ext, iE-Extensions, AMF set (10), pointer (6), 5G-TMSI */
            struct aper_bits b = aper_bits_of(&v);
            aper_bits(&b, 2);
            uint16_t node = (uint16_t)aper_bits(&b, 16);
            struct span t;
            if (aper_octets(&b, 4, &t)) {
                m->has_tmsi = true;
                m->tmsi_node = node;
                m->tmsi = (uint32_t)t.p[0] << 24 | (uint32_t)t.p[1] << 16 | (uint32_t)t.p[2] << 8 |
                          t.p[3];
            }
            break;
        }
        case IE_PDU_CTX_REQ_LIST:
        case IE_PDU_SU_REQ_LIST:
        case IE_PDU_CTX_RES_LIST:
        case IE_PDU_SU_RES_LIST:
            if ((rc = session_list(v,
                                   id == IE_PDU_CTX_REQ_LIST || id == IE_PDU_SU_REQ_LIST
                                       ? ITEM_REQUEST
                                       : ITEM_RESPONSE,
                                   m)))
                return rc;
            break;
        case IE_PDU_SW_DL_LIST:
            if ((rc = session_list(v, ITEM_SWITCH, m)))
                return rc;
            break;
        case IE_PDU_HO_REQ_LIST:
            if ((rc = session_list(v, ITEM_HO_REQUEST, m)))
                return rc;
            break;
        case IE_PDU_ADMITTED_LIST:
            if ((rc = session_list(v, ITEM_ADMITTED, m)))
                return rc;
            break;
        default:
            break;
        }
    }
    return PARSE_OK;
}
