/* s1ap.c - S1AP PDU decoding (see s1ap.h). */
#include "classify/s1ap.h"

#include <stdio.h>
#include <string.h>

#include "capture/str.h"

#include "classify/aper.h"

enum {
    IE_MME_UE_ID = 0,
    IE_ENB_UE_ID = 8,
    IE_ERAB_SU_REQ_LIST = 16, /* E-RABToBeSetupListBearerSUReq */
    IE_ERAB_SU_REQ_ITEM = 17,
    IE_ERAB_ADMITTED_LIST = 18, /* E-RABAdmittedList (Handover Request Acknowledge) */
    IE_ERAB_ADMITTED_ITEM = 20,
    IE_ERAB_SW_DL_LIST = 22, /* E-RABToBeSwitchedDLList (Path Switch Request) */
    IE_ERAB_SW_DL_ITEM = 23,
    IE_ERAB_CTX_REQ_LIST = 24, /* E-RABToBeSetupListCtxtSUReq */
    IE_NAS_PDU = 26,
    IE_ERAB_HO_REQ_ITEM = 27,
    IE_ERAB_SU_RES_LIST = 28, /* E-RABSetupListBearerSURes */
    IE_ERAB_SW_UL_LIST = 33, /* E-RABToBeSwitchedULList (its acknowledge) */
    IE_ERAB_SW_UL_ITEM = 34,
    IE_ERAB_SU_RES_ITEM = 39,
    IE_ERAB_CTX_RES_ITEM = 50,
    IE_ERAB_CTX_RES_LIST = 51, /* E-RABSetupListCtxtSURes */
    IE_ERAB_CTX_REQ_ITEM = 52,
    IE_ERAB_HO_REQ_LIST = 53, /* E-RABToBeSetupListHOReq (Handover Request) */
    IE_TAI = 67,
    IE_SOURCE_MME_UE_ID = 88,
    IE_S_TMSI = 96,
    IE_EUTRAN_CGI = 100,
};

/* Root procedures (TS 36.413 section 9.3.7 assigns 0..63 in Release 15). */
#define S1AP_MAX_PROC 63
/* ProtocolExtensionFields skipped per container, E-RAB items per list. */
#define S1AP_MAX_EXT 16
#define S1AP_MAX_LIST 256

bool s1ap_probe(struct span s)
{
    return aper_pdu_shape(s, S1AP_MAX_PROC);
}

/* TAI (ext/opt octet, PLMN, TAC of 2 octets) or EUTRAN-CGI (ext/opt octet,
 * PLMN, cell identity: BIT STRING (SIZE (28)), the top 28 bits of 4
 * octets). */
static void location(struct cursor v, bool cgi, char *out, size_t out_size)
{
    uint8_t plmn[3];
    out[0] = '\0';
    cur_skip(&v, 1); /* extension and iE-Extensions bits */
    cur_copy(&v, plmn, 3);
    uint64_t value = cgi ? cur_be32(&v) >> 4 : cur_be16(&v);
    if (cur_ok(&v))
        ran_location(plmn, value, cgi ? TGPP_LOC_ECGI : TGPP_LOC_TAI, out, out_size);
}

/* BitRate ::= INTEGER (0..10000000000): 3 bits of octet count less one,
 * then the octets. */
static void skip_bitrate(struct aper_bits *b)
{
    struct span v;
    aper_octets(b, aper_bits(b, 3) + 1u, &v);
}

/* E-RABLevelQoSParameters (qCI, allocationRetentionPriority,
 * gbrQosInformation OPTIONAL, iE-Extensions OPTIONAL, ...). */
static void skip_qos(struct aper_bits *b)
{
    aper_bits(b, 1); /* extension bit */
    bool gbr = aper_bits(b, 1), ext = aper_bits(b, 1);
    struct span qci;
    aper_octets(b, 1, &qci);
    aper_bits(b, 1); /* ARP: extension bit */
    bool arp_ext = aper_bits(b, 1);
    aper_bits(b, 6); /* priority level (4), pre-emption capability and vulnerability */
    if (arp_ext)
        aper_skip_extensions(b, S1AP_MAX_EXT);
    if (gbr) {
        aper_bits(b, 1);
        bool gbr_ext = aper_bits(b, 1);
        for (int i = 0; i < 4; i++)
            skip_bitrate(b);
        if (gbr_ext)
            aper_skip_extensions(b, S1AP_MAX_EXT);
    }
    if (ext)
        aper_skip_extensions(b, S1AP_MAX_EXT);
}

/* One E-RAB item (the value of a ProtocolIE-SingleContainer) of kind id.
 * The response items and the E-RABToBeSwitchedDL / UL items have one shape:
 * e-RAB-ID, transportLayerAddress, gTP-TEID, iE-Extensions OPTIONAL; an
 * E-RABToBeSetupItemHOReq the same, its QoS after the tunnel; an
 * E-RABAdmittedItem four optional forwarding tunnels more, after it. */
static void erab_item(uint16_t id, struct cursor v, struct ran_msg *m)
{
    struct aper_bits b = aper_bits_of(&v);
    aper_bits(&b, 1); /* extension bit */
    bool request = id == IE_ERAB_CTX_REQ_ITEM || id == IE_ERAB_SU_REQ_ITEM;
    /* optional fields: CtxtSUReq nAS-PDU and iE-Extensions; the others
     * iE-Extensions only (BearerSUReq's nAS-PDU is mandatory) */
    bool has_nas = id == IE_ERAB_SU_REQ_ITEM;
    if (id == IE_ERAB_CTX_REQ_ITEM)
        has_nas = aper_bits(&b, 1);
    aper_bits(&b, id == IE_ERAB_ADMITTED_ITEM ? 5 : 1); /* the optional fields present */
    aper_bits(&b, 1 + 4); /* e-RAB-ID (0..15, ...) */
    if (request)
        skip_qos(&b);
    /* the gateway's end in a request (and the uplink one switched), the
     * eNodeB's in a response */
    ran_add_tunnel(&b, m, request || id == IE_ERAB_HO_REQ_ITEM || id == IE_ERAB_SW_UL_ITEM);
    size_t len;
    struct span nas;
    if (request && has_nas && aper_bits_len(&b, &len) && aper_octets(&b, len, &nas))
        ran_add_nas(m, nas);
}

/* SEQUENCE (SIZE (1..256)) OF ProtocolIE-SingleContainer: count less one in
 * one octet, then fields as the container's. */
static enum parse_rc erab_list(struct cursor v, struct ran_msg *m)
{
    unsigned n = (unsigned)cur_u8(&v) + 1;
    if (!cur_ok(&v))
        return PARSE_TRUNCATED;
    for (unsigned i = 0; i < n && i < S1AP_MAX_LIST; i++) {
        uint16_t id;
        struct cursor item;
        enum parse_rc rc = aper_ie(&v, &id, &item);
        if (rc)
            return rc;
        if (id == IE_ERAB_CTX_REQ_ITEM || id == IE_ERAB_SU_REQ_ITEM || id == IE_ERAB_CTX_RES_ITEM ||
            id == IE_ERAB_SU_RES_ITEM || id == IE_ERAB_SW_DL_ITEM || id == IE_ERAB_SW_UL_ITEM ||
            id == IE_ERAB_HO_REQ_ITEM || id == IE_ERAB_ADMITTED_ITEM)
            erab_item(id, item, m);
    }
    return PARSE_OK;
}

static bool read_proc(uint8_t proc)
{
    return proc == S1AP_PROC_E_RAB_SETUP || proc == S1AP_PROC_E_RAB_RELEASE ||
           proc == S1AP_PROC_INITIAL_CONTEXT_SETUP ||
           proc == S1AP_PROC_DL_NAS_TRANSPORT || proc == S1AP_PROC_INITIAL_UE_MESSAGE ||
           proc == S1AP_PROC_UL_NAS_TRANSPORT || proc == S1AP_PROC_PATH_SWITCH ||
           proc == S1AP_PROC_HANDOVER_RESOURCE_ALLOCATION || proc == S1AP_PROC_HANDOVER_NOTIFY;
}

static const struct ran_procs procs = {
    .max_proc = S1AP_MAX_PROC,
    .initial_ue = S1AP_PROC_INITIAL_UE_MESSAGE,
    .ul_nas = S1AP_PROC_UL_NAS_TRANSPORT,
    .path_switch = S1AP_PROC_PATH_SWITCH,
    .ho_alloc = S1AP_PROC_HANDOVER_RESOURCE_ALLOCATION,
    .ho_notify = S1AP_PROC_HANDOVER_NOTIFY,
    .reads = read_proc,
};

enum parse_rc s1ap_parse(struct cursor *c, struct ran_msg *m)
{
    struct cursor ies;
    unsigned count;
    bool go;
    enum parse_rc rc = ran_open(c, m, &procs, &ies, &count, &go);
    if (rc || !go)
        return rc;
    char tai[TGPP_CELL_MAX] = "", ecgi[TGPP_CELL_MAX] = "";
    for (unsigned i = 0; i < count && i < S1AP_MAX_IES; i++) {
        uint16_t id;
        struct cursor v, nas;
        if ((rc = aper_ie(&ies, &id, &v)))
            return rc;
        switch (id) {
        case IE_MME_UE_ID:
            m->has_cn_id = aper_uint(v, 2, &m->cn_id); /* INTEGER (0..2^32-1) */
            break;
        case IE_SOURCE_MME_UE_ID: /* an MME-UE-S1AP-ID */
            m->has_src_cn_id = aper_uint(v, 2, &m->src_cn_id);
            break;
        case IE_ENB_UE_ID: { /* INTEGER (0..2^24-1) */
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
        case IE_TAI:
            location(v, false, tai, sizeof tai);
            break;
        case IE_EUTRAN_CGI:
            location(v, true, ecgi, sizeof ecgi);
            break;
        case IE_S_TMSI: { /* ext, iE-Extensions, mMEC (8, unaligned), m-TMSI */
            struct aper_bits b = aper_bits_of(&v);
            aper_bits(&b, 2);
            uint16_t mmec = (uint16_t)aper_bits(&b, 8);
            struct span t;
            if (aper_octets(&b, 4, &t)) {
                m->has_tmsi = true;
                m->tmsi = (uint32_t)t.p[0] << 24 | (uint32_t)t.p[1] << 16 | (uint32_t)t.p[2] << 8 |
                          t.p[3];
                m->tmsi_node = mmec;
            }
            break;
        }
        case IE_ERAB_CTX_REQ_LIST:
        case IE_ERAB_SU_REQ_LIST:
        case IE_ERAB_CTX_RES_LIST:
        case IE_ERAB_SU_RES_LIST:
        case IE_ERAB_SW_DL_LIST:
        case IE_ERAB_SW_UL_LIST:
        case IE_ERAB_HO_REQ_LIST:
        case IE_ERAB_ADMITTED_LIST:
            if ((rc = erab_list(v, m)))
                return rc;
            break;
        default:
            break;
        }
    }
    ran_cell(m, tai, ecgi); /* the TAI first, as the other sources write a location */
    return PARSE_OK;
}
