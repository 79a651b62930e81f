/* ss7_enc.c - SS7 / SIGTRAN fixture encoders (see ss7_enc.h). */
#include "ss7_enc.h"

#include "sms_enc.h"

#include <string.h>

void ss7_enc_sccp_party(struct build_buf *out, uint8_t ssn, const char *gt, int pc)
{
    build_u8(out, (uint8_t)(0x12 | (pc >= 0 ? 0x01 : 0))); /* GTI 4, SSN, route on GT */
    if (pc >= 0)
        build_le16(out, (uint16_t)pc);
    build_u8(out, ssn);
    build_u8(out, 0);    /* translation type */
    build_u8(out, (uint8_t)(0x10 | (strlen(gt) % 2 ? 1 : 2))); /* E.164, BCD odd/even */
    build_u8(out, 0x04); /* international */
    sms_enc_tbcd(out, gt);
}

void ss7_enc_sccp_udt(struct build_buf *out, const struct build_buf *cd,
                      const struct build_buf *cg, const struct build_buf *data)
{
    build_reset(out);
    build_u8(out, 0x09);
    build_u8(out, 0x80); /* class 0, return on error */
    build_u8(out, 3);
    build_u8(out, (uint8_t)(3 + cd->len));
    build_u8(out, (uint8_t)(3 + cd->len + cg->len));
    build_u8(out, (uint8_t)cd->len);
    build_bytes(out, cd->b, cd->len);
    build_u8(out, (uint8_t)cg->len);
    build_bytes(out, cg->b, cg->len);
    build_u8(out, (uint8_t)data->len);
    build_bytes(out, data->b, data->len);
}

void ss7_enc_sccp_xudt(struct build_buf *out, const struct build_buf *cd,
                       const struct build_buf *cg, const struct build_buf *data,
                       unsigned seg_total, unsigned seg_part, uint32_t ref)
{
    size_t var = 1 + cd->len + 1 + cg->len + 1 + data->len;
    build_reset(out);
    build_u8(out, 0x11);
    build_u8(out, 0x80);
    build_u8(out, 15); /* hop counter */
    build_u8(out, 4);  /* pointers are relative to their own octet */
    build_u8(out, (uint8_t)(3 + 1 + cd->len));
    build_u8(out, (uint8_t)(2 + 1 + cd->len + 1 + cg->len));
    build_u8(out, seg_total ? (uint8_t)(1 + var) : 0);
    build_u8(out, (uint8_t)cd->len);
    build_bytes(out, cd->b, cd->len);
    build_u8(out, (uint8_t)cg->len);
    build_bytes(out, cg->b, cg->len);
    build_u8(out, (uint8_t)data->len);
    build_bytes(out, data->b, data->len);
    if (seg_total) {
        /* Q.713 3.17: F (first), C = 1 (in sequence), remaining segments */
        build_u8(out, 0x10);
        build_u8(out, 4);
        build_u8(out, (uint8_t)((seg_part == 1 ? 0x80 : 0) | 0x40 | (seg_total - seg_part)));
        build_u8(out, (uint8_t)ref); /* local reference, least significant first */
        build_u8(out, (uint8_t)(ref >> 8));
        build_u8(out, (uint8_t)(ref >> 16));
        build_u8(out, 0); /* end of optional parameters */
    }
}

static void param(struct build_buf *out, uint16_t tag, const void *p, size_t n)
{
    build_be16(out, tag);
    build_be16(out, (uint16_t)(4 + n));
    build_bytes(out, p, n);
    build_zero(out, (4 - n % 4) % 4);
}

static void common_header(struct build_buf *out, uint8_t cls, uint8_t type,
                          const struct build_buf *body)
{
    build_reset(out);
    build_u8(out, 1);
    build_u8(out, 0);
    build_u8(out, cls);
    build_u8(out, type);
    build_be32(out, (uint32_t)(8 + body->len));
    build_bytes(out, body->b, body->len);
}

void ss7_enc_m3ua(struct build_buf *out, uint32_t opc, uint32_t dpc, uint8_t si,
                  const struct build_buf *payload)
{
    struct build_buf pd, body;
    build_reset(&pd);
    build_be32(&pd, opc);
    build_be32(&pd, dpc);
    build_u8(&pd, si);
    build_u8(&pd, 2); /* NI: national */
    build_u8(&pd, 0);
    build_u8(&pd, 0);
    build_bytes(&pd, payload->b, payload->len);
    build_reset(&body);
    param(&body, 0x0210, pd.b, pd.len);
    common_header(out, 1, 1, &body);
}

void ss7_enc_mtp3(struct build_buf *out, uint8_t si, uint16_t opc, uint16_t dpc, uint8_t sls,
                  const struct build_buf *sif)
{
    build_reset(out);
    build_u8(out, (uint8_t)(0x80 | si)); /* NI 2 (national), priority 0 */
    build_le32(out, (uint32_t)(dpc & 0x3fff) | (uint32_t)(opc & 0x3fff) << 14 |
                        (uint32_t)(sls & 0x0f) << 28);
    build_bytes(out, sif->b, sif->len);
}

void ss7_enc_m2pa(struct build_buf *out, uint32_t bsn, uint32_t fsn, const struct build_buf *mtp3)
{
    build_reset(out);
    build_u8(out, 1);
    build_u8(out, 0);
    build_u8(out, 11); /* M2PA */
    build_u8(out, 1);  /* User Data */
    build_be32(out, (uint32_t)(16 + 1 + mtp3->len));
    build_be32(out, bsn & 0xffffff);
    build_be32(out, fsn & 0xffffff);
    build_u8(out, 0); /* priority */
    build_bytes(out, mtp3->b, mtp3->len);
}

void ss7_enc_m2ua(struct build_buf *out, uint32_t iid, const struct build_buf *mtp3)
{
    struct build_buf body;
    uint8_t v[4] = {(uint8_t)(iid >> 24), (uint8_t)(iid >> 16), (uint8_t)(iid >> 8), (uint8_t)iid};
    build_reset(&body);
    param(&body, 0x0001, v, 4);
    param(&body, 0x0300, mtp3->b, mtp3->len);
    common_header(out, 6, 1, &body);
}

void ss7_enc_sua_addr(struct build_buf *out, uint8_t ssn, const char *gt)
{
    struct build_buf g;
    build_reset(out);
    build_be16(out, 1);      /* routing indicator: route on GT */
    build_be16(out, 0x0005); /* address indicator: GT and SSN included */
    build_reset(&g);
    build_zero(&g, 3);
    build_u8(&g, 4); /* GTI 4 */
    build_u8(&g, (uint8_t)strlen(gt));
    build_u8(&g, 0); /* TT */
    build_u8(&g, 1); /* E.164 */
    build_u8(&g, 4); /* international */
    sms_enc_tbcd(&g, gt);
    if (strlen(gt) % 2) /* RFC 3868 3.10.2.3: an odd digit count pads with 0 */
        g.b[g.len - 1] &= 0x0f;
    param(out, 0x8001, g.b, g.len);
    param(out, 0x8003, (uint8_t[]){0, 0, 0, ssn}, 4);
}

void ss7_enc_sua_cldt(struct build_buf *out, const struct build_buf *src,
                      const struct build_buf *dst, const struct build_buf *data)
{
    struct build_buf body;
    build_reset(&body);
    param(&body, 0x0115, (uint8_t[]){0, 0, 0, 0}, 4); /* protocol class 0 */
    param(&body, 0x0102, src->b, src->len);
    param(&body, 0x0103, dst->b, dst->len);
    param(&body, 0x0116, (uint8_t[]){0, 0, 0, 0}, 4); /* sequence control */
    param(&body, 0x010b, data->b, data->len);
    common_header(out, 7, 1, &body);
}

static void tid(struct build_buf *out, uint8_t tag, uint32_t v)
{
    uint8_t t[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    sms_enc_ber_raw(out, tag, t, 4);
}

void ss7_enc_tcap(struct build_buf *out, uint8_t type, uint32_t otid, uint32_t dtid, uint8_t ac,
                  uint8_t version, const struct build_buf *comps)
{
    struct build_buf body, t;
    build_reset(&body);
    if (otid)
        tid(&body, 0x48, otid);
    if (dtid)
        tid(&body, 0x49, dtid);
    if (ac) {
        /* Q.773 dialogue portion: EXTERNAL { dialogue-as-id, AARQ { version, AC } } */
        static const uint8_t as_id[] = {0x00, 0x11, 0x86, 0x05, 0x01, 0x01, 0x01};
        uint8_t acn[] = {0x04, 0x00, 0x00, 0x01, 0x00, ac, version};
        struct build_buf oid, aarq, a0, ext;
        build_reset(&oid);
        sms_enc_ber_raw(&oid, 0x06, acn, sizeof acn);
        build_reset(&aarq);
        sms_enc_ber_raw(&aarq, 0x80, (uint8_t[]){0x07, 0x80}, 2);
        sms_enc_ber(&aarq, 0xa1, &oid);
        build_reset(&a0);
        sms_enc_ber(&a0, type == 0x62 ? 0x60 : 0x61, &aarq);
        build_reset(&ext);
        sms_enc_ber_raw(&ext, 0x06, as_id, sizeof as_id);
        sms_enc_ber(&ext, 0xa0, &a0);
        build_reset(&t);
        sms_enc_ber(&t, 0x28, &ext);
        sms_enc_ber(&body, 0x6b, &t);
    }
    if (comps)
        sms_enc_ber(&body, 0x6c, comps);
    build_reset(out);
    sms_enc_ber(out, type, &body);
}

void ss7_enc_invoke(struct build_buf *comps, uint8_t id, uint8_t op, const struct build_buf *arg)
{
    struct build_buf c;
    build_reset(&c);
    sms_enc_ber_raw(&c, 0x02, &id, 1);
    sms_enc_ber_raw(&c, 0x02, &op, 1);
    sms_enc_ber(&c, 0x30, arg);
    sms_enc_ber(comps, 0xa1, &c);
}

void ss7_enc_result(struct build_buf *comps, uint8_t id, uint8_t op, const struct build_buf *res)
{
    struct build_buf c, seq;
    build_reset(&c);
    sms_enc_ber_raw(&c, 0x02, &id, 1);
    if (res) {
        build_reset(&seq);
        sms_enc_ber_raw(&seq, 0x02, &op, 1);
        sms_enc_ber(&seq, 0x30, res);
        sms_enc_ber(&c, 0x30, &seq);
    }
    sms_enc_ber(comps, 0xa2, &c);
}

void ss7_enc_addr_tlv(struct build_buf *out, uint8_t tag, const char *digits)
{
    struct build_buf a;
    build_reset(&a);
    sms_enc_toa_digits(&a, 0x91, digits);
    sms_enc_ber(out, tag, &a);
}

void ss7_enc_tbcd_tlv(struct build_buf *out, uint8_t tag, const char *digits)
{
    struct build_buf a;
    build_reset(&a);
    sms_enc_tbcd(&a, digits);
    sms_enc_ber(out, tag, &a);
}

void ss7_enc_imsi_mi(struct build_buf *out, const char *imsi)
{
    size_t n = strlen(imsi);
    build_u8(out, (uint8_t)((imsi[0] - '0') << 4 | (n % 2 ? 0x08 : 0) | 0x01));
    if (n > 1)
        sms_enc_tbcd(out, imsi + 1);
}

void ss7_enc_cp_data(struct build_buf *out, uint8_t ti, bool from_ti_originator_peer,
                     const struct build_buf *rpdu)
{
    build_u8(out, (uint8_t)((from_ti_originator_peer ? 0x80 : 0) | (ti & 0x07) << 4 | 0x09));
    build_u8(out, 0x01);
    build_u8(out, (uint8_t)rpdu->len);
    build_bytes(out, rpdu->b, rpdu->len);
}

void ss7_enc_cp_ack(struct build_buf *out, uint8_t ti, bool from_ti_originator_peer)
{
    build_reset(out);
    build_u8(out, (uint8_t)((from_ti_originator_peer ? 0x80 : 0) | (ti & 0x07) << 4 | 0x09));
    build_u8(out, 0x04);
}

void ss7_enc_sgsap_unitdata(struct build_buf *out, uint8_t type, const char *imsi,
                            const struct build_buf *nas)
{
    struct build_buf mi;
    build_reset(&mi);
    ss7_enc_imsi_mi(&mi, imsi);
    build_reset(out);
    build_u8(out, type);
    build_u8(out, 0x01);
    build_u8(out, (uint8_t)mi.len);
    build_bytes(out, mi.b, mi.len);
    build_u8(out, 0x16);
    build_u8(out, (uint8_t)nas->len);
    build_bytes(out, nas->b, nas->len);
}

static void ref24(struct build_buf *out, uint32_t r)
{
    build_u8(out, (uint8_t)r);
    build_u8(out, (uint8_t)(r >> 8));
    build_u8(out, (uint8_t)(r >> 16));
}

void ss7_enc_sccp_cr(struct build_buf *out, uint32_t src, const struct build_buf *cd,
                     const struct build_buf *data)
{
    build_reset(out);
    build_u8(out, 0x01);
    ref24(out, src);
    build_u8(out, 0x02); /* protocol class 2 */
    build_u8(out, 2);    /* called party follows the two pointers */
    build_u8(out, (uint8_t)(1 + 1 + cd->len));
    build_u8(out, (uint8_t)cd->len);
    build_bytes(out, cd->b, cd->len);
    build_u8(out, 0x0f); /* data */
    build_u8(out, (uint8_t)data->len);
    build_bytes(out, data->b, data->len);
    build_u8(out, 0x00);
}

void ss7_enc_sccp_cc(struct build_buf *out, uint32_t dst, uint32_t src)
{
    build_reset(out);
    build_u8(out, 0x02);
    ref24(out, dst);
    ref24(out, src);
    build_u8(out, 0x02);
    build_u8(out, 0); /* no optional part */
}

void ss7_enc_sccp_dt1(struct build_buf *out, uint32_t dst, const struct build_buf *data)
{
    build_reset(out);
    build_u8(out, 0x06);
    ref24(out, dst);
    build_u8(out, 0x00); /* no more data */
    build_u8(out, 1);
    build_u8(out, (uint8_t)data->len);
    build_bytes(out, data->b, data->len);
}

void ss7_enc_sccp_rlsd(struct build_buf *out, uint32_t dst, uint32_t src)
{
    build_reset(out);
    build_u8(out, 0x04);
    ref24(out, dst);
    ref24(out, src);
    build_u8(out, 0x00); /* end user originated */
    build_u8(out, 0);
}

static void mobile_identity_lv(struct build_buf *out, const char *imsi, uint32_t tmsi)
{
    struct build_buf mi;
    build_reset(&mi);
    if (imsi) {
        ss7_enc_imsi_mi(&mi, imsi);
    } else {
        build_u8(&mi, 0xf4);
        build_be32(&mi, tmsi);
    }
    build_u8(out, (uint8_t)mi.len);
    build_bytes(out, mi.b, mi.len);
}

static const uint8_t classmark2[] = {0x03, 0x57, 0x58, 0xa6};

void ss7_enc_l3_cm_service_request(struct build_buf *out, const char *imsi, uint32_t tmsi)
{
    build_u8(out, 0x05);     /* MM */
    build_u8(out, 0x24);     /* CM Service Request */
    build_u8(out, 0x04);     /* CKSN 0, service type 4: short message service */
    build_bytes(out, classmark2, sizeof classmark2);
    mobile_identity_lv(out, imsi, tmsi);
}

void ss7_enc_l3_paging_response(struct build_buf *out, const char *imsi, uint32_t tmsi)
{
    build_u8(out, 0x06); /* RR */
    build_u8(out, 0x27); /* Paging Response */
    build_u8(out, 0x00); /* CKSN 0 */
    build_bytes(out, classmark2, sizeof classmark2);
    mobile_identity_lv(out, imsi, tmsi);
}

void ss7_enc_bssap_dtap(struct build_buf *out, const struct build_buf *l3)
{
    build_reset(out);
    build_u8(out, 0x01);
    build_u8(out, 0x00); /* DLCI: FACCH or SDCCH, SAPI 0 */
    build_u8(out, (uint8_t)l3->len);
    build_bytes(out, l3->b, l3->len);
}

void ss7_enc_bssmap_complete_l3(struct build_buf *out, const struct build_buf *l3)
{
    struct build_buf m;
    build_reset(&m);
    build_u8(&m, 0x57);
    /* Cell Identifier: discriminator 1 (LAC + CI) */
    static const uint8_t cell[] = {0x05, 0x05, 0x01, 0x00, 0x01, 0x00, 0x02};
    build_bytes(&m, cell, sizeof cell);
    build_u8(&m, 0x17);
    build_u8(&m, (uint8_t)l3->len);
    build_bytes(&m, l3->b, l3->len);
    build_reset(out);
    build_u8(out, 0x00);
    build_u8(out, (uint8_t)m.len);
    build_bytes(out, m.b, m.len);
}

/* An aligned-PER length determinant (X.691 10.9.3.6-7: below 128 one
 * octet, below 16384 two). */
static void aper_len(struct build_buf *out, size_t n)
{
    if (n < 128)
        build_u8(out, (uint8_t)n);
    else
        build_be16(out, (uint16_t)(0x8000u | n));
}

void ss7_enc_aper_ie(struct build_buf *out, uint16_t id, uint8_t crit, const void *v, size_t n)
{
    build_be16(out, id);
    build_u8(out, crit);
    aper_len(out, n);
    build_bytes(out, v, n);
}

void ss7_enc_aper_pdu(struct build_buf *out, uint8_t outcome, uint8_t proc, uint8_t crit,
                      unsigned count, const struct build_buf *ies)
{
    build_reset(out);
    build_u8(out, (uint8_t)(outcome << 5));
    build_u8(out, proc);
    build_u8(out, crit);
    aper_len(out, 3 + ies->len);
    build_u8(out, 0x00);      /* no extensions, no protocolExtensions */
    build_be16(out, (uint16_t)count);
    build_bytes(out, ies->b, ies->len);
}

void ss7_enc_aper_octets(struct build_buf *out, const struct build_buf *v)
{
    aper_len(out, v->len);
    build_bytes(out, v->b, v->len);
}

void ss7_enc_aper_octets_ie(struct build_buf *ies, uint16_t id, uint8_t crit,
                            const struct build_buf *v)
{
    struct build_buf o;
    build_reset(&o);
    ss7_enc_aper_octets(&o, v);
    ss7_enc_aper_ie(ies, id, crit, o.b, o.len);
}

static void nas_pdu(struct build_buf *ies, const struct build_buf *nas)
{
    ss7_enc_aper_octets_ie(ies, 16, 0x00, nas); /* id-NAS-PDU, reject */
}

void ss7_enc_ranap_initial_ue(struct build_buf *out, const struct build_buf *nas)
{
    struct build_buf ies;
    build_reset(&ies);
    ss7_enc_aper_ie(&ies, 3, 0x00, (uint8_t[]){0x00}, 1); /* CN-DomainIndicator: cs-domain */
    /* LAI: PLMN 001/01, LAC 1, no extension */
    ss7_enc_aper_ie(&ies, 15, 0x00, (uint8_t[]){0x00, 0x00, 0xf1, 0x10, 0x00, 0x01}, 6);
    /* SAI: PLMN, LAC 1, SAC 2 */
    ss7_enc_aper_ie(&ies, 58, 0x00, (uint8_t[]){0x00, 0x00, 0xf1, 0x10, 0x00, 0x01, 0x00, 0x02}, 8);
    nas_pdu(&ies, nas);
    ss7_enc_aper_ie(&ies, 79, 0x40, (uint8_t[]){0x00, 0x00, 0x01}, 3);        /* IuSigConId */
    ss7_enc_aper_ie(&ies, 86, 0x40, (uint8_t[]){0x00, 0xf1, 0x10, 0x00, 0x01}, 5); /* GlobalRNC-ID: no preamble */
    ss7_enc_aper_pdu(out, 0, 19, 0x40 /* ignore */, 6, &ies);
}

void ss7_enc_ranap_direct_transfer(struct build_buf *out, const struct build_buf *nas)
{
    struct build_buf ies;
    build_reset(&ies);
    nas_pdu(&ies, nas);
    ss7_enc_aper_ie(&ies, 59, 0x40, (uint8_t[]){0x00}, 1); /* SAPI 0 */
    ss7_enc_aper_pdu(out, 0, 20, 0x40 /* ignore */, 2, &ies);
}
