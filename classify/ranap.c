/* ranap.c - RANAP NAS-PDU extraction (see ranap.h). */
#include "classify/ranap.h"

#include "classify/aper.h"

#define RANAP_IE_NAS_PDU 16

enum parse_rc ranap_nas_pdu(struct cursor *c, struct cursor *nas, bool *initial)
{
    *nas = cur_init(NULL, 0);
    *initial = false;
    uint8_t outcome, proc;
    struct cursor msg;
    unsigned count;
    enum parse_rc rc = aper_pdu_head(c, &outcome, &proc);
    if (rc)
        return rc; /* an extension choice is not in TS 25.413 */
    if (outcome != 0 || (proc != RANAP_PROC_INITIAL_UE && proc != RANAP_PROC_DIRECT_TRANSFER))
        return PARSE_NEED_MORE; /* outcomes, other procedures */
    if ((rc = aper_pdu_ies(c, &msg, &count)))
        return rc;
    for (unsigned i = 0; i < count && i < RANAP_MAX_IES; i++) {
        uint16_t id;
        struct cursor v;
        if ((rc = aper_ie(&msg, &id, &v)))
            return rc;
        if (id != RANAP_IE_NAS_PDU)
            continue;
        if ((rc = aper_open_type(&v, nas)))
            return rc;
        *initial = proc == RANAP_PROC_INITIAL_UE;
        return PARSE_OK;
    }
    return PARSE_NEED_MORE;
}
