/* ss7_enc.h - SS7 / SIGTRAN message encoders for the SMS fixture captures
 * (trusted generator input; writes are bounded by struct build_buf).
 *
 * Specs: ITU-T Q.713 (SCCP party address 3.4, UDT 4.10, XUDT 4.18,
 * segmentation 3.17), Q.704 section 2.2 (MTP3 routing label), Q.773
 * (TCAP), RFC 4666 (M3UA DATA), RFC 4165 (M2PA User Data), RFC 3331 (M2UA
 * DATA), RFC 3868 (SUA CLDT), 3GPP TS 29.118 (SGsAP), TS 24.011 (CP-DATA),
 * TS 24.008 section 10.5.1.4 (Mobile Identity).
 */
#ifndef PR_PCAPS_GEN_SS7_ENC_H
#define PR_PCAPS_GEN_SS7_ENC_H

#include "build.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* SCCP party address: GTI 4 (TT 0, E.164, international), SSN, route on
 * GT; with pc >= 0 also the ITU point code. */
void ss7_enc_sccp_party(struct build_buf *out, uint8_t ssn, const char *gt, int pc);

/* SCCP UDT (class 0, return on error) carrying data. */
void ss7_enc_sccp_udt(struct build_buf *out, const struct build_buf *cd,
                      const struct build_buf *cg, const struct build_buf *data);

/* SCCP XUDT (class 0, hop counter 15) with a Segmentation parameter when
 * seg_total > 0 (segment part 1..seg_total of local reference ref). */
void ss7_enc_sccp_xudt(struct build_buf *out, const struct build_buf *cd,
                       const struct build_buf *cg, const struct build_buf *data,
                       unsigned seg_total, unsigned seg_part, uint32_t ref);

/* M3UA DATA { Protocol Data { OPC, DPC, SI, NI 2, payload } }. */
void ss7_enc_m3ua(struct build_buf *out, uint32_t opc, uint32_t dpc, uint8_t si,
                  const struct build_buf *payload);

/* MTP3 message: SIO (national, si), ITU routing label, SIF. */
void ss7_enc_mtp3(struct build_buf *out, uint8_t si, uint16_t opc, uint16_t dpc, uint8_t sls,
                  const struct build_buf *sif);

/* M2PA User Data (BSN, FSN) carrying an MTP3 message. */
void ss7_enc_m2pa(struct build_buf *out, uint32_t bsn, uint32_t fsn, const struct build_buf *mtp3);

/* M2UA DATA (integer interface id, Protocol Data 1). */
void ss7_enc_m2ua(struct build_buf *out, uint32_t iid, const struct build_buf *mtp3);

/* SUA address parameter value: route on GT, GT (GTI 4) + SSN. */
void ss7_enc_sua_addr(struct build_buf *out, uint8_t ssn, const char *gt);
/* SUA CLDT: protocol class 0, source / destination addresses, data. */
void ss7_enc_sua_cldt(struct build_buf *out, const struct build_buf *src,
                      const struct build_buf *dst, const struct build_buf *data);

/* TCAP message: tag 0x62/0x64/0x65, OTID/DTID (0 = absent), dialogue for
 * application context ac (0 = none, else 0.4.0.0.1.0.ac.version), and the
 * component portion (NULL = none). */
void ss7_enc_tcap(struct build_buf *out, uint8_t type, uint32_t otid, uint32_t dtid, uint8_t ac,
                  uint8_t version, const struct build_buf *comps);
/* Invoke { id, local opcode, SEQUENCE arg }. */
void ss7_enc_invoke(struct build_buf *comps, uint8_t id, uint8_t op, const struct build_buf *arg);
/* ReturnResultLast { id, [ SEQUENCE { op, SEQUENCE res } ] }. */
void ss7_enc_result(struct build_buf *comps, uint8_t id, uint8_t op, const struct build_buf *res);
/* BER tag + (TOA 0x91 + TBCD digits) / TBCD digits only. */
void ss7_enc_addr_tlv(struct build_buf *out, uint8_t tag, const char *digits);
void ss7_enc_tbcd_tlv(struct build_buf *out, uint8_t tag, const char *digits);

/* 24.008 Mobile Identity value of an IMSI. */
void ss7_enc_imsi_mi(struct build_buf *out, const char *imsi);
/* CP-DATA (TI, direction flag) carrying an RPDU. */
void ss7_enc_cp_data(struct build_buf *out, uint8_t ti, bool from_ti_originator_peer,
                     const struct build_buf *rpdu);
/* SGsAP message type with IMSI and NAS message container IEs. */
void ss7_enc_sgsap_unitdata(struct build_buf *out, uint8_t type, const char *imsi,
                            const struct build_buf *nas);

/* SCCP connection-oriented messages (Q.713 4.2-4.6; local references
 * least significant octet first).  CR: called party cd, optional data;
 * CC and RLSD: no optional part; DT1: data. */
void ss7_enc_sccp_cr(struct build_buf *out, uint32_t src, const struct build_buf *cd,
                     const struct build_buf *data);
void ss7_enc_sccp_cc(struct build_buf *out, uint32_t dst, uint32_t src);
void ss7_enc_sccp_dt1(struct build_buf *out, uint32_t dst, const struct build_buf *data);
void ss7_enc_sccp_rlsd(struct build_buf *out, uint32_t dst, uint32_t src);

/* L3: CM Service Request (service type 4 = SMS) and Paging Response with
 * an IMSI (imsi) or a TMSI (imsi NULL, tmsi). */
void ss7_enc_l3_cm_service_request(struct build_buf *out, const char *imsi, uint32_t tmsi);
void ss7_enc_l3_paging_response(struct build_buf *out, const char *imsi, uint32_t tmsi);

/* BSSAP: DTAP (DLCI 0) and BSSMAP Complete Layer 3 Information. */
void ss7_enc_bssap_dtap(struct build_buf *out, const struct build_buf *l3);
void ss7_enc_bssmap_complete_l3(struct build_buf *out, const struct build_buf *l3);

/* Aligned PER (X.691) pieces of the 3GPP application protocols (RANAP,
 * S1AP): a ProtocolIE-Field (id, criticality octet, open type), a PDU
 * (CHOICE outcome 0 initiating / 1 successful, procedure code,
 * criticality octet, then the value: extension octet, IE count, IEs), and
 * an OCTET STRING (length determinant, octets). */
void ss7_enc_aper_ie(struct build_buf *out, uint16_t id, uint8_t crit, const void *v, size_t n);
void ss7_enc_aper_pdu(struct build_buf *out, uint8_t outcome, uint8_t proc, uint8_t crit,
                      unsigned count, const struct build_buf *ies);
void ss7_enc_aper_octets(struct build_buf *out, const struct build_buf *v);
/* A ProtocolIE-Field whose value is an OCTET STRING (a NAS-PDU). */
void ss7_enc_aper_octets_ie(struct build_buf *ies, uint16_t id, uint8_t crit,
                            const struct build_buf *v);
/* CP-ACK (TS 24.011 section 7.2.2) of transaction ti. */
void ss7_enc_cp_ack(struct build_buf *out, uint8_t ti, bool from_ti_originator_peer);

/* RANAP (aligned PER): InitialUE-Message (CN domain CS, LAI, SAI, NAS-PDU,
 * IuSigConId, GlobalRNC-ID) and DirectTransfer (NAS-PDU, SAPI 0). */
void ss7_enc_ranap_initial_ue(struct build_buf *out, const struct build_buf *nas);
void ss7_enc_ranap_direct_transfer(struct build_buf *out, const struct build_buf *nas);

#endif
