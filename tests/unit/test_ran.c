/* test_ran.c - S1AP / EPS NAS and NGAP / 5GS NAS decoding (classify/aper.h,
 * s1ap.c, nas_eps.c, ngap.c, nas_5gs.c) and the s1ap and ngap registry rows
 * (classify/ranbind.c), on the frames of pcaps/s1ap.pcap and
 * pcaps/ngap.pcap (sms_fixtures.h) and on messages built here. */
#include "classify/s1ap.h"

#include <stdlib.h>
#include <string.h>

#include "classify/aper.h"
#include "classify/binding.h"
#include "classify/nas_5gs.h"
#include "classify/nas_eps.h"
#include "classify/ngap.h"
#include "classify/ranbind.h"
#include "classify/suci.h"
#include "tests/harness.h"
#include "tests/unit/sctp_user.h"
#include "tests/unit/sms_fixtures.h"
#include "tests/unit/sms_legs.h"

struct fx {
    const uint8_t *p;
    size_t n;
};
#define FX(a) {a, sizeof a}

/* pcaps/s1ap.pcap's S1AP frames in capture order. */
static const struct fx frames[] = {
    FX(fx_s1ap_attach),   FX(fx_s1ap_smc),       FX(fx_s1ap_smc_done), FX(fx_s1ap_ics_req),
    FX(fx_s1ap_ics_resp), FX(fx_s1ap_attach_done), FX(fx_s1ap_mo),     FX(fx_s1ap_mo_cpack),
    FX(fx_s1ap_mo_rpack), FX(fx_s1ap_mo_cpack2), FX(fx_s1ap_service),  FX(fx_s1ap_mt),
    FX(fx_s1ap_mt_cpack), FX(fx_s1ap_mt_rpack),  FX(fx_s1ap_mt_cpack2), FX(fx_s1ap_detach),
    FX(fx_s1ap_carol),    FX(fx_s1ap_carol_smc), FX(fx_s1ap_carol_c1), FX(fx_s1ap_carol_c2),
};
#define NFRAMES (sizeof frames / sizeof frames[0])

/* pcaps/ngap.pcap's NGAP frames in capture order. */
static const struct fx ng_frames[] = {
    FX(fx_ngap_register), FX(fx_ngap_smc),      FX(fx_ngap_smc_done), FX(fx_ngap_ics_req),
    FX(fx_ngap_ics_resp), FX(fx_ngap_reg_done), FX(fx_ngap_est_req),  FX(fx_ngap_pdu_req),
    FX(fx_ngap_pdu_resp), FX(fx_ngap_mo),       FX(fx_ngap_mo_cpack), FX(fx_ngap_mo_rpack),
    FX(fx_ngap_mo_cpack2), FX(fx_ngap_service), FX(fx_ngap_mt),       FX(fx_ngap_mt_cpack),
    FX(fx_ngap_mt_rpack), FX(fx_ngap_mt_cpack2), FX(fx_ngap_dereg),   FX(fx_ngap_dave),
    FX(fx_ngap_dave_smc), FX(fx_ngap_dave_c1),  FX(fx_ngap_dave_c2),
};
#define NG_FRAMES (sizeof ng_frames / sizeof ng_frames[0])

/* The first DATA chunk's user data, when its PPID is S1AP's or NGAP's. */
static struct span user(const struct fx *f)
{
    struct cursor u;
    uint32_t ppid = 0;
    if (!sctp_user(f->p, f->n, &u, &ppid) || (ppid != S1AP_PPID && ppid != NGAP_PPID))
        return (struct span){NULL, 0};
    return cur_rest(&u);
}

static enum parse_rc ng_decode(const struct fx *f, struct ran_msg *m)
{
    struct span s = user(f);
    struct cursor c = cur_init(s.p, s.n);
    return ngap_parse(&c, m);
}

static enum parse_rc nas5(struct span pdu, enum nas_cipher ci, struct nas_msg *n)
{
    struct cursor c = cur_init(pdu.p, pdu.n);
    return nas_5gs_parse(&c, ci, n);
}

static enum parse_rc decode(const struct fx *f, struct ran_msg *m)
{
    struct span s = user(f);
    struct cursor c = cur_init(s.p, s.n);
    return s1ap_parse(&c, m);
}

static enum parse_rc nas(struct span pdu, enum nas_cipher ci, struct nas_msg *n)
{
    struct cursor c = cur_init(pdu.p, pdu.n);
    return nas_eps_parse(&c, ci, n);
}

TEST(aper_bits)
{
    /* pcaps/s1ap.pcap's E-RAB item opening: ext 0, nAS-PDU present, no
     * extensions, e-RAB-ID 5; QoS octet; QCI 9; ARP; address length 32 */
    static const uint8_t b[] = {0x45, 0x00, 0x09, 0x3c, 0x0f, 0x80, 0x81, 0x05};
    struct cursor c = cur_init(b, sizeof b);
    struct aper_bits r = aper_bits_of(&c);
    CHECK_EQ_INT(aper_bits(&r, 1), 0);
    CHECK_EQ_INT(aper_bits(&r, 1), 1);
    CHECK_EQ_INT(aper_bits(&r, 1), 0);
    CHECK_EQ_INT(aper_bits(&r, 5), 5);
    CHECK_EQ_INT(aper_bits(&r, 3), 0);
    struct span o;
    CHECK(aper_octets(&r, 1, &o));
    CHECK_EQ_INT(o.p[0], 9);
    CHECK_EQ_INT(aper_bits(&r, 8), 0x3c);
    CHECK_EQ_INT(aper_bits(&r, 1), 0);
    CHECK_EQ_INT(aper_bits(&r, 8) + 1, 32);
    size_t len = 0;
    CHECK(aper_bits_len(&r, &len));
    CHECK_EQ_INT(len, 0x105);
    CHECK(!r.err);
    CHECK_EQ_INT(aper_bits(&r, 1), 0); /* past the end */
    CHECK(r.err);
    CHECK(!aper_octets(&r, 0, &o));
    static const uint8_t frag[] = {0xc1, 0x00};
    c = cur_init(frag, sizeof frag);
    r = aper_bits_of(&c);
    CHECK(!aper_bits_len(&r, &len));
    c = cur_init(b, sizeof b);
    r = aper_bits_of(&c);
    CHECK_EQ_INT(aper_bits(&r, 33), 0);
    CHECK(r.err);
}

TEST(s1ap_messages)
{
    struct ran_msg m;
    CHECK(s1ap_probe(user(&frames[0])));
    CHECK_EQ_INT(decode(&frames[0], &m), PARSE_OK);
    CHECK_EQ_INT(m.outcome, 0);
    CHECK_EQ_INT(m.proc, S1AP_PROC_INITIAL_UE_MESSAGE);
    CHECK(m.has_ran_id && !m.has_cn_id);
    CHECK_EQ_INT(m.ran_id, 7);
    CHECK_EQ_INT(m.nnas, 1);
    CHECK_EQ_INT(m.nas[0].p[0], 0x07);
    CHECK_STR(m.cell, "tai:001-01-1;ecgi:001-01-105217"); /* sent ECGI first */
    CHECK_EQ_INT(decode(&frames[3], &m), PARSE_OK);
    CHECK_EQ_INT(m.proc, S1AP_PROC_INITIAL_CONTEXT_SETUP);
    CHECK(m.has_cn_id && m.cn_id == 1 && m.ran_id == 7);
    CHECK_EQ_INT(m.ntun, 1);
    CHECK_EQ_INT(m.tun[0].teid, 0x1001);
    CHECK_EQ_INT(m.tun[0].alen, 4);
    CHECK(memcmp(m.tun[0].addr, (uint8_t[]){10, 0, 13, 3}, 4) == 0);
    CHECK_EQ_INT(m.nnas, 1); /* the Attach accept inside the E-RAB item */
    CHECK_EQ_INT(m.nas[0].p[0], 0x27);
    CHECK_EQ_INT(decode(&frames[4], &m), PARSE_OK);
    CHECK_EQ_INT(m.outcome, 1);
    CHECK_EQ_INT(m.ntun, 1);
    CHECK_EQ_INT(m.tun[0].teid, 0x2001);
    CHECK(memcmp(m.tun[0].addr, (uint8_t[]){10, 0, 13, 1}, 4) == 0);
    CHECK_EQ_INT(m.nnas, 0);
    CHECK_EQ_INT(decode(&frames[10], &m), PARSE_OK);
    CHECK(m.has_tmsi);
    CHECK_EQ_INT(m.tmsi, 0xc0ffee01u);
    CHECK_EQ_INT(m.tmsi_node, 1); /* the MME code, as in her GUTI */
    CHECK_EQ_INT(m.ran_id, 8);
    /* not a PDU: a length that does not fill the chunk, an extension
     * choice, a fourth outcome */
    struct span s = user(&frames[1]);
    uint8_t *b = malloc(s.n + 1);
    memcpy(b, s.p, s.n);
    b[s.n] = 0;
    CHECK(s1ap_probe((struct span){b, s.n}));
    CHECK(!s1ap_probe((struct span){b, s.n + 1}));
    CHECK(!s1ap_probe((struct span){b, s.n - 1}));
    b[0] = 0x80;
    CHECK(!s1ap_probe((struct span){b, s.n}));
    struct cursor c = cur_init(b, s.n);
    CHECK_EQ_INT(s1ap_parse(&c, &m), PARSE_INVALID);
    b[0] = 0x60;
    CHECK(!s1ap_probe((struct span){b, s.n}));
    free(b);
    /* an S1 Setup (procedure 17): decoded as a PDU, nothing read */
    static const uint8_t setup[] = {0x00, 0x11, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00};
    CHECK(s1ap_probe((struct span){setup, sizeof setup}));
    c = cur_init(setup, sizeof setup);
    CHECK_EQ_INT(s1ap_parse(&c, &m), PARSE_OK);
    CHECK_EQ_INT(m.proc, 17);
    CHECK(!m.has_ran_id && m.nnas == 0);
}

TEST(nas_messages)
{
    struct ran_msg m;
    struct nas_msg n;
    decode(&frames[0], &m);
    CHECK_EQ_INT(nas(m.nas[0], NAS_CIPHER_UNKNOWN, &n), PARSE_OK);
    CHECK_EQ_INT(n.type, NAS_ATTACH_REQUEST);
    CHECK(!n.protected_);
    CHECK_STR(n.imsi, "001010000000001");
    decode(&frames[1], &m);
    CHECK_EQ_INT(nas(m.nas[0], NAS_CIPHER_UNKNOWN, &n), PARSE_OK);
    CHECK_EQ_INT(n.type, NAS_SMC);
    CHECK(n.protected_ && !n.ciphered && n.has_alg);
    CHECK_EQ_INT(n.alg, 0);
    decode(&frames[2], &m);
    CHECK_EQ_INT(nas(m.nas[0], NAS_CIPHER_NULL, &n), PARSE_OK);
    CHECK_EQ_INT(n.type, NAS_SMC_COMPLETE);
    CHECK(n.ciphered && !n.unread);
    CHECK_STR(n.imei, "3520990017614823");
    CHECK_EQ_INT(nas(m.nas[0], NAS_CIPHER_SKIP, &n), PARSE_OK);
    CHECK(n.unread && n.type == 0 && !n.imei[0]);
    decode(&frames[3], &m);
    CHECK_EQ_INT(nas(m.nas[0], NAS_CIPHER_NULL, &n), PARSE_OK);
    CHECK_EQ_INT(n.type, NAS_ATTACH_ACCEPT);
    CHECK(n.has_v4 && memcmp(n.v4, (uint8_t[]){10, 45, 13, 9}, 4) == 0);
    CHECK_STR(n.apn, "internet");
    CHECK(n.has_guti);
    CHECK_EQ_INT(n.tmsi, 0xc0ffee01u);
    CHECK_EQ_INT(n.tmsi_node, 1);
    CHECK(n.guti_given); /* the MME gives it */
    decode(&frames[6], &m);
    CHECK_EQ_INT(nas(m.nas[0], NAS_CIPHER_UNKNOWN, &n), PARSE_OK);
    CHECK_EQ_INT(n.type, NAS_UL_TRANSPORT);
    CHECK(n.has_container && (n.container.p[0] & 0x0f) == 0x09);
    decode(&frames[10], &m);
    CHECK_EQ_INT(nas(m.nas[0], NAS_CIPHER_UNKNOWN, &n), PARSE_OK);
    CHECK_EQ_INT(n.type, NAS_SERVICE_REQUEST);
    decode(&frames[15], &m);
    CHECK_EQ_INT(nas(m.nas[0], NAS_CIPHER_NULL, &n), PARSE_OK);
    CHECK_EQ_INT(n.type, NAS_DETACH_REQUEST);
    CHECK(n.has_guti && n.tmsi == 0xc0ffee01u && n.tmsi_node == 1);
    CHECK(!n.guti_given); /* the UE names itself by it */
    /* CAROL's EEA2 traffic: not read when the algorithm is known, and not
     * taken for a message when it is not */
    for (int k = 18; k < 20; k++) {
        decode(&frames[k], &m);
        CHECK_EQ_INT(nas(m.nas[0], NAS_CIPHER_SKIP, &n), PARSE_OK);
        CHECK(n.unread);
        CHECK_EQ_INT(nas(m.nas[0], NAS_CIPHER_UNKNOWN, &n), PARSE_OK);
        CHECK(n.unread && !n.imsi[0] && !n.has_v4);
    }
    /* built here (TS 24.301): Activate default EPS bearer context request
     * with PDN type IPv4v6 (interface identifier first), and IPv6 only */
    static const uint8_t v4v6[] = {0x52, 0x01, 0xc1, 0x01, 0x09, 0x04, 0x03, 'i', 'm', 's',
                                   0x0d, 0x03, 0, 0, 0, 0, 0, 0, 0, 2, 10, 46, 0, 7};
    CHECK_EQ_INT(nas((struct span){v4v6, sizeof v4v6}, NAS_CIPHER_SKIP, &n), PARSE_OK);
    CHECK_EQ_INT(n.pd, NAS_PD_ESM);
    CHECK(n.has_v4 && memcmp(n.v4, (uint8_t[]){10, 46, 0, 7}, 4) == 0);
    CHECK_STR(n.apn, "ims");
    static const uint8_t v6[] = {0x52, 0x01, 0xc1, 0x01, 0x09, 0x00, 0x09, 0x02,
                                 0, 0, 0, 0, 0, 0, 0, 2};
    CHECK_EQ_INT(nas((struct span){v6, sizeof v6}, NAS_CIPHER_SKIP, &n), PARSE_OK);
    CHECK(!n.has_v4);
    /* Identity response with an IMEI (type 2, 15 digits, odd) */
    static const uint8_t idr[] = {0x07, 0x56, 0x08, 0x3a, 0x25, 0x90, 0x10, 0x17, 0x16, 0x48, 0x32};
    CHECK_EQ_INT(nas((struct span){idr, sizeof idr}, NAS_CIPHER_SKIP, &n), PARSE_OK);
    CHECK_STR(n.imei, "352090171618423");
    CHECK(!n.imsi[0]);
    /* an IMSI with a non-decimal digit is no IMSI */
    static const uint8_t bad_imsi[] = {0x07, 0x56, 0x08, 0x09, 0x10, 0x10, 0xa0, 0, 0, 0, 0x10};
    CHECK_EQ_INT(nas((struct span){bad_imsi, sizeof bad_imsi}, NAS_CIPHER_SKIP, &n), PARSE_OK);
    CHECK(!n.imsi[0]);
    /* other protocol discriminators; a reserved header type; short ones */
    static const uint8_t pd5[] = {0x05, 0x41};
    CHECK_EQ_INT(nas((struct span){pd5, 2}, NAS_CIPHER_SKIP, &n), PARSE_INVALID);
    static const uint8_t reserved[] = {0x57, 0, 0, 0, 0, 0, 0x07, 0x41};
    CHECK_EQ_INT(nas((struct span){reserved, sizeof reserved}, NAS_CIPHER_NULL, &n), PARSE_OK);
    CHECK_EQ_INT(n.type, 0);
    CHECK_EQ_INT(nas((struct span){fx_s1ap_attach, 0}, NAS_CIPHER_NULL, &n), PARSE_TRUNCATED);
    static const uint8_t sr[] = {0xc7, 0x05, 0x12};
    CHECK_EQ_INT(nas((struct span){sr, sizeof sr}, NAS_CIPHER_NULL, &n), PARSE_TRUNCATED);
    static const uint8_t cut[] = {0x07, 0x41, 0x71, 0x08, 0x09};
    CHECK_EQ_INT(nas((struct span){cut, sizeof cut}, NAS_CIPHER_NULL, &n), PARSE_TRUNCATED);
}

TEST(ngap_messages)
{
    struct ran_msg m;
    CHECK(ngap_probe(user(&ng_frames[0])));
    CHECK_EQ_INT(ng_decode(&ng_frames[0], &m), PARSE_OK);
    CHECK(m.initial && m.proc == NGAP_PROC_INITIAL_UE_MESSAGE);
    CHECK(m.has_ran_id && !m.has_cn_id);
    CHECK_EQ_INT(m.ran_id, 7);
    CHECK_EQ_INT(m.nnas, 1);
    CHECK_EQ_INT(m.nas[0].p[0], NAS_EPD_5GMM);
    CHECK_STR(m.cell, "tai:001-01-1;ncgi:001-01-105217");
    CHECK_EQ_INT(ng_decode(&ng_frames[3], &m), PARSE_OK);
    CHECK_EQ_INT(m.proc, NGAP_PROC_INITIAL_CONTEXT_SETUP);
    CHECK(m.has_cn_id && m.cn_id == 1 && m.ran_id == 7 && !m.initial);
    CHECK_EQ_INT(m.nnas, 1);
    CHECK_EQ_INT(ng_decode(&ng_frames[7], &m), PARSE_OK);
    CHECK_EQ_INT(m.proc, NGAP_PROC_PDU_SESSION_SETUP);
    CHECK_EQ_INT(m.nnas, 1); /* the item's NAS-PDU */
    CHECK_EQ_INT(m.ntun, 1);
    CHECK_EQ_INT(m.tun[0].teid, 0x3001);
    CHECK(m.tun[0].alen == 4 && memcmp(m.tun[0].addr, (uint8_t[]){10, 0, 14, 3}, 4) == 0);
    CHECK_EQ_INT(ng_decode(&ng_frames[8], &m), PARSE_OK);
    CHECK_EQ_INT(m.outcome, 1);
    CHECK_EQ_INT(m.ntun, 1);
    CHECK_EQ_INT(m.tun[0].teid, 0x4001);
    CHECK(memcmp(m.tun[0].addr, (uint8_t[]){10, 0, 14, 1}, 4) == 0);
    CHECK_EQ_INT(ng_decode(&ng_frames[13], &m), PARSE_OK);
    CHECK(m.initial && m.has_tmsi);
    CHECK_EQ_INT(m.tmsi, 0xc0ffee02u);
    CHECK_EQ_INT(m.tmsi_node, 1 << 6); /* AMF set 1, pointer 0 */
    CHECK_EQ_INT(m.ran_id, 8);
    /* an E-UTRA user location (TS 38.413 9.3.1.16: choice 0, 28-bit cell) */
    static const uint8_t eutra[] = {0x00, 0x0f, 0x40, 0x1b, 0x00, 0x00, 0x02, 0x00, 0x55, 0x40,
                                    0x02, 0x00, 0x05, 0x00, 0x79, 0x40, 0x0e, 0x00, 0x00, 0xf1,
                                    0x10, 0x00, 0x19, 0xb0, 0x10, 0x00, 0xf1, 0x10, 0x00, 0x00,
                                    0x02};
    CHECK(ngap_probe((struct span){eutra, sizeof eutra}));
    struct cursor c = cur_init(eutra, sizeof eutra);
    CHECK_EQ_INT(ngap_parse(&c, &m), PARSE_OK);
    CHECK_STR(m.cell, "tai:001-01-2;ecgi:001-01-105217");
    CHECK_EQ_INT(m.ran_id, 5);
}

TEST(nas5_messages)
{
    struct ran_msg m;
    struct nas_msg n;
    ng_decode(&ng_frames[0], &m);
    CHECK_EQ_INT(nas5(m.nas[0], NAS_CIPHER_UNKNOWN, &n), PARSE_OK);
    CHECK_EQ_INT(n.type, NAS5_REGISTRATION_REQUEST);
    CHECK_STR(n.imsi, "001010000000001"); /* SUCI, null scheme */
    ng_decode(&ng_frames[1], &m);
    CHECK_EQ_INT(nas5(m.nas[0], NAS_CIPHER_UNKNOWN, &n), PARSE_OK);
    CHECK(n.type == NAS5_SMC && n.has_alg && n.alg == 0 && n.protected_ && !n.ciphered);
    ng_decode(&ng_frames[2], &m);
    CHECK_EQ_INT(nas5(m.nas[0], NAS_CIPHER_NULL, &n), PARSE_OK);
    CHECK_EQ_INT(n.type, NAS5_SMC_COMPLETE);
    CHECK_STR(n.imei, "3520990017614823");
    CHECK_STR(n.imsi, "001010000000001"); /* from the NAS message container */
    CHECK_EQ_INT(nas5(m.nas[0], NAS_CIPHER_SKIP, &n), PARSE_OK);
    CHECK(n.unread && !n.imei[0]);
    ng_decode(&ng_frames[3], &m);
    CHECK_EQ_INT(nas5(m.nas[0], NAS_CIPHER_NULL, &n), PARSE_OK);
    CHECK(n.type == NAS5_REGISTRATION_ACCEPT && n.has_guti && n.tmsi == 0xc0ffee02u);
    CHECK_EQ_INT(n.tmsi_node, 1 << 6);
    CHECK(n.guti_given);
    ng_decode(&ng_frames[7], &m);
    CHECK_EQ_INT(nas5(m.nas[0], NAS_CIPHER_NULL, &n), PARSE_OK);
    CHECK_EQ_INT(n.type, NAS5_DL_TRANSPORT);
    CHECK(n.has_v4 && memcmp(n.v4, (uint8_t[]){10, 46, 14, 9}, 4) == 0);
    CHECK_STR(n.apn, "internet");
    CHECK(!n.has_container);
    ng_decode(&ng_frames[9], &m);
    CHECK_EQ_INT(nas5(m.nas[0], NAS_CIPHER_NULL, &n), PARSE_OK);
    CHECK(n.has_container && n.uplink && (n.container.p[0] & 0x0f) == 0x09);
    ng_decode(&ng_frames[14], &m);
    CHECK_EQ_INT(nas5(m.nas[0], NAS_CIPHER_NULL, &n), PARSE_OK);
    CHECK(n.has_container && !n.uplink);
    ng_decode(&ng_frames[13], &m);
    CHECK_EQ_INT(nas5(m.nas[0], NAS_CIPHER_SKIP, &n), PARSE_OK); /* integrity only */
    CHECK(n.type == NAS5_SERVICE_REQUEST && n.has_guti && n.tmsi == 0xc0ffee02u);
    CHECK_EQ_INT(n.tmsi_node, 1 << 6); /* 5G-S-TMSI */
    CHECK(!n.guti_given);
    ng_decode(&ng_frames[18], &m);
    CHECK_EQ_INT(nas5(m.nas[0], NAS_CIPHER_NULL, &n), PARSE_OK);
    CHECK(n.detach && n.has_guti);
    ng_decode(&ng_frames[19], &m);
    CHECK_EQ_INT(nas5(m.nas[0], NAS_CIPHER_UNKNOWN, &n), PARSE_OK);
    CHECK(n.type == NAS5_REGISTRATION_REQUEST && !n.imsi[0]); /* concealed SUCI */
    for (int k = 21; k < 23; k++) {
        ng_decode(&ng_frames[k], &m);
        CHECK_EQ_INT(nas5(m.nas[0], NAS_CIPHER_SKIP, &n), PARSE_OK);
        CHECK(n.unread);
        CHECK_EQ_INT(nas5(m.nas[0], NAS_CIPHER_UNKNOWN, &n), PARSE_OK);
        CHECK(n.unread && !n.imsi[0] && !n.has_v4);
    }
    /* built here (TS 24.501): Identity response with an IMEI (type 3), a
     * SUCI of SUPI format NAI, a plain PDU session establishment accept
     * with an IPv4v6 PDU address, a network-originated deregistration */
    static const uint8_t imei[] = {0x7e, 0x00, 0x5c, 0x00, 0x08, 0x3b, 0x25, 0x90, 0x10,
                                   0x17, 0x16, 0x48, 0x32};
    CHECK_EQ_INT(nas5((struct span){imei, sizeof imei}, NAS_CIPHER_SKIP, &n), PARSE_OK);
    CHECK_STR(n.imei, "352090171618423");
    static const uint8_t nai[] = {0x7e, 0x00, 0x5c, 0x00, 0x0d, 0x11, 0x00, 0xf1, 0x10, 0xf0,
                                  0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10};
    CHECK_EQ_INT(nas5((struct span){nai, sizeof nai}, NAS_CIPHER_SKIP, &n), PARSE_OK);
    CHECK(!n.imsi[0]);
    static const uint8_t acc[] = {0x2e, 0x05, 0x01, 0xc2, 0x13, 0x00, 0x01, 0x00, 0x01, 0x00,
                                  0x59, 0x1a, 0x81, 0x29, 0x0d, 0x03, 0, 0, 0, 0, 0, 0, 0, 2,
                                  10, 46, 0, 7, 0x25, 0x04, 0x03, 'i', 'm', 's'};
    CHECK_EQ_INT(nas5((struct span){acc, sizeof acc}, NAS_CIPHER_SKIP, &n), PARSE_OK);
    CHECK_EQ_INT(n.pd, NAS_EPD_5GSM);
    CHECK(n.has_v4 && memcmp(n.v4, (uint8_t[]){10, 46, 0, 7}, 4) == 0);
    CHECK_STR(n.apn, "ims");
    static const uint8_t dereg_nw[] = {0x7e, 0x00, 0x47, 0x01};
    CHECK_EQ_INT(nas5((struct span){dereg_nw, sizeof dereg_nw}, NAS_CIPHER_SKIP, &n), PARSE_OK);
    CHECK(n.detach);
    static const uint8_t eps[] = {0x07, 0x41};
    CHECK_EQ_INT(nas5((struct span){eps, sizeof eps}, NAS_CIPHER_SKIP, &n), PARSE_INVALID);
    static const uint8_t reserved[] = {0x7e, 0x07, 0, 0, 0, 0, 0, 0x7e, 0x00, 0x41};
    CHECK_EQ_INT(nas5((struct span){reserved, sizeof reserved}, NAS_CIPHER_NULL, &n), PARSE_OK);
    CHECK_EQ_INT(n.type, 0);
    static const uint8_t cut[] = {0x7e, 0x00, 0x41, 0x71, 0x00, 0x0d, 0x01};
    CHECK_EQ_INT(nas5((struct span){cut, sizeof cut}, NAS_CIPHER_NULL, &n), PARSE_TRUNCATED);
}

/* ---- the row ----------------------------------------------------------- */

#define MAX_EV 16

struct sink {
    unsigned nb, claims;
    struct sub_binding b[MAX_EV];
    struct legs legs;
};

static void on_binding(void *ctx, const struct sub_binding *b)
{
    struct sink *k = ctx;
    if (k->nb < MAX_EV)
        k->b[k->nb++] = *b;
}

static void on_claim(void *ctx) { ((struct sink *)ctx)->claims++; }

static void on_sms(const struct sms_leg *leg, void *ctx) { legs_fn(leg, &((struct sink *)ctx)->legs); }

static enum parse_rc feed_row(const struct proto_ops *row, void *state, const struct fx *f,
                              uint64_t ts, struct proto_emit *em)
{
    struct span s = user(f);
    struct cursor c = cur_init(s.p, s.n);
    return row->parse(state, DIR_C2S, &c, ts, em);
}

static enum parse_rc feed(void *state, const struct fx *f, uint64_t ts, struct proto_emit *em)
{
    return feed_row(&s1ap_proto, state, f, ts, em);
}

TEST(row_attach_sms_detach)
{
    static struct sink k;
    memset(&k, 0, sizeof k);
    uint64_t counters[PROTO_MAX_COUNTERS] = {0};
    struct proto_emit em = {.sms = on_sms, .binding = on_binding, .claim = on_claim, .ctx = &k,
                            .counters = counters};
    struct proto_probe pp = {.transport = PROTO_T_SCTP, .sport = 36412, .dport = 36412,
                             .ppid = S1AP_PPID, .bytes = user(&frames[0])};
    CHECK_EQ_INT(s1ap_proto.probe(&pp), PROTO_MATCH);
    pp.ppid = 0;
    pp.sport = pp.dport = 2905;
    CHECK_EQ_INT(s1ap_proto.probe(&pp), PROTO_EXCLUDE); /* neither the PPID nor the port */
    void *st = s1ap_proto.state_new(PROTO_T_SCTP);
    for (size_t i = 0; i < NFRAMES; i++)
        CHECK_EQ_INT(feed(st, &frames[i], 1000 + i, &em), PARSE_OK);
    s1ap_proto.state_free(st);
    CHECK_EQ_INT(k.claims, NFRAMES);
    /* OPEN at the Initial Context Setup Request, UPDATE with the eNodeB's
     * tunnel, UPDATE when she comes back by S-TMSI, CLOSE at the detach */
    CHECK_EQ_INT(k.nb, 4);
    CHECK_EQ_INT(k.b[0].op, BIND_OPEN);
    CHECK_EQ_INT(k.b[0].src, BIND_SRC_S1AP);
    CHECK_EQ_INT(k.b[0].evidence_us, 1003);
    CHECK_STR(k.b[0].imsi, "001010000000001");
    CHECK_STR(k.b[0].imei, "3520990017614823");
    CHECK_STR(k.b[0].apn, "internet");
    CHECK_STR(k.b[0].cell, "tai:001-01-1;ecgi:001-01-105217");
    CHECK(k.b[0].has_v4 && memcmp(k.b[0].v4, (uint8_t[]){10, 45, 13, 9}, 4) == 0);
    CHECK_EQ_INT(k.b[0].nteid, 1);
    CHECK_EQ_INT(k.b[0].teid[0].teid, 0x1001);
    CHECK(!k.b[0].teid[0].control);
    CHECK_EQ_INT(k.b[1].op, BIND_UPDATE);
    CHECK_EQ_INT(k.b[1].nteid, 2);
    CHECK_EQ_INT(k.b[1].teid[1].teid, 0x2001);
    CHECK_EQ_INT(k.b[2].op, BIND_UPDATE);
    CHECK_EQ_INT(k.b[2].evidence_us, 1010);
    CHECK_STR(k.b[2].imsi, "001010000000001");
    CHECK_EQ_INT(k.b[3].op, BIND_CLOSE);
    CHECK_EQ_INT(k.b[3].evidence_us, 1015);
    CHECK_STR(k.b[3].imsi, "001010000000001"); /* every session of hers */
    CHECK(!k.b[3].has_v4 && k.b[3].nteid == 0);
    /* the MO SMS and its answer; the MT one named through the M-TMSI */
    CHECK_EQ_INT(k.legs.n, 4);
    CHECK_STR(k.legs.v[0].ev.protocol, "s1ap");
    CHECK_STR(k.legs.v[0].ev.operation, "submit");
    CHECK_STR(k.legs.v[0].ev.imsi, "001010000000001");
    CHECK_STR(k.legs.v[0].ev.recipient, "15551230002");
    CHECK_STR(k.legs.v[0].ev.detail, "uplink-nas-transport");
    CHECK_STR(k.legs.v[2].ev.operation, "deliver");
    CHECK_STR(k.legs.v[2].ev.imsi, "001010000000001");
    CHECK_STR(k.legs.v[2].ev.detail, "downlink-nas-transport");
    CHECK_EQ_INT(counters[5], 2); /* s1ap_nas_unread: CAROL's two */
    CHECK_EQ_INT(counters[3], 4); /* cp_bindings */
    CHECK_EQ_INT(counters[PROTO_CNT_INVALID], 0);
}

TEST(row_registration_sms_deregistration)
{
    static struct sink k;
    memset(&k, 0, sizeof k);
    uint64_t counters[PROTO_MAX_COUNTERS] = {0};
    struct proto_emit em = {.sms = on_sms, .binding = on_binding, .claim = on_claim, .ctx = &k,
                            .counters = counters};
    struct proto_probe pp = {.transport = PROTO_T_SCTP, .sport = 38412, .dport = 38412,
                             .ppid = NGAP_PPID, .bytes = user(&ng_frames[0])};
    CHECK_EQ_INT(ngap_proto.probe(&pp), PROTO_MATCH);
    pp.ppid = 0;
    pp.sport = pp.dport = 36412;
    CHECK_EQ_INT(ngap_proto.probe(&pp), PROTO_EXCLUDE);
    void *st = ngap_proto.state_new(PROTO_T_SCTP);
    for (size_t i = 0; i < NG_FRAMES; i++)
        CHECK_EQ_INT(feed_row(&ngap_proto, st, &ng_frames[i], 1000 + i, &em), PARSE_OK);
    ngap_proto.state_free(st);
    CHECK_EQ_INT(k.claims, NG_FRAMES);
    /* OPEN at the PDU Session Resource Setup Request, UPDATE with the gNB's
     * tunnel, UPDATE back from idle by 5G-S-TMSI, CLOSE at deregistration */
    CHECK_EQ_INT(k.nb, 4);
    CHECK_EQ_INT(k.b[0].op, BIND_OPEN);
    CHECK_EQ_INT(k.b[0].src, BIND_SRC_NGAP);
    CHECK_EQ_INT(k.b[0].evidence_us, 1007);
    CHECK_STR(k.b[0].imsi, "001010000000001");
    CHECK_STR(k.b[0].imei, "3520990017614823");
    CHECK_STR(k.b[0].apn, "internet");
    CHECK_STR(k.b[0].cell, "tai:001-01-1;ncgi:001-01-105217");
    CHECK(k.b[0].has_v4 && memcmp(k.b[0].v4, (uint8_t[]){10, 46, 14, 9}, 4) == 0);
    CHECK_EQ_INT(k.b[0].nteid, 1);
    CHECK_EQ_INT(k.b[0].teid[0].teid, 0x3001);
    CHECK_EQ_INT(k.b[1].op, BIND_UPDATE);
    CHECK_EQ_INT(k.b[1].nteid, 2);
    CHECK_EQ_INT(k.b[1].teid[1].teid, 0x4001);
    CHECK_EQ_INT(k.b[2].op, BIND_UPDATE);
    CHECK_EQ_INT(k.b[2].evidence_us, 1013);
    CHECK_EQ_INT(k.b[3].op, BIND_CLOSE);
    CHECK_EQ_INT(k.b[3].evidence_us, 1018);
    CHECK_EQ_INT(k.legs.n, 4);
    CHECK_STR(k.legs.v[0].ev.protocol, "ngap");
    CHECK_STR(k.legs.v[0].ev.operation, "submit");
    CHECK_STR(k.legs.v[0].ev.imsi, "001010000000001");
    CHECK_STR(k.legs.v[2].ev.operation, "deliver");
    CHECK_STR(k.legs.v[2].ev.imsi, "001010000000001");
    CHECK_EQ_INT(counters[5], 2); /* ngap_nas_unread: DAVE's two */
    CHECK_EQ_INT(counters[3], 4);
    CHECK_EQ_INT(counters[PROTO_CNT_INVALID], 0);
}

/* The frames of a capture split over two associations of one row: frames
 * before `at` on the first (one base station), the rest on the second
 * (another one, where the UE comes back from idle by its S-TMSI), with the
 * row's UE directory when dir is set.  Evidence to k (emptied first). */
static void two_associations(const struct proto_ops *row, const struct fx *fr, size_t n,
                             size_t at, bool dir, struct sink *k,
                             uint64_t counters[PROTO_MAX_COUNTERS])
{
    memset(k, 0, sizeof *k);
    memset(counters, 0, PROTO_MAX_COUNTERS * sizeof counters[0]);
    void *shared = dir ? row->shared_new() : NULL;
    CHECK(!dir || shared);
    struct proto_emit em = {.sms = on_sms, .binding = on_binding, .claim = on_claim, .ctx = k,
                            .counters = counters, .shared = shared};
    void *a = row->state_new(PROTO_T_SCTP), *b = row->state_new(PROTO_T_SCTP);
    for (size_t i = 0; i < n; i++)
        CHECK_EQ_INT(feed_row(row, i < at ? a : b, &fr[i], 1000 + i, &em), PARSE_OK);
    row->state_free(a);
    row->state_free(b);
    if (shared)
        row->shared_free(shared);
}

/* ALICE attaches and sends her MO SMS through one eNodeB; five seconds
 * later she comes back from idle through another (its own association:
 * TS 23.401 5.3.4.1), naming herself by her S-TMSI only, gets an MT SMS and
 * detaches.  With the row's UE directory the second association's context
 * is hers (ran_dir.h): the same evidence as on one association, and the
 * MT SMS carries her IMSI.  Without it (as before the directory) that
 * context named nobody: no UPDATE, no CLOSE (her session stayed open to the
 * end of the run) and an MT SMS without IMSI. */
TEST(row_ue_comes_back_through_another_enb)
{
    static struct sink k;
    uint64_t counters[PROTO_MAX_COUNTERS];
    two_associations(&s1ap_proto, frames, NFRAMES, 10, true, &k, counters);
    CHECK_EQ_INT(k.nb, 4);
    CHECK_EQ_INT(k.b[0].op, BIND_OPEN);
    CHECK_EQ_INT(k.b[2].op, BIND_UPDATE);
    CHECK_EQ_INT(k.b[2].evidence_us, 1010);
    CHECK_STR(k.b[2].imsi, "001010000000001");
    CHECK(k.b[2].has_v4 && memcmp(k.b[2].v4, (uint8_t[]){10, 45, 13, 9}, 4) == 0);
    CHECK_STR(k.b[2].apn, "internet"); /* the card's APN, an index in the row's ran_apns */
    CHECK_EQ_INT(k.b[3].op, BIND_CLOSE);
    CHECK_EQ_INT(k.b[3].evidence_us, 1015);
    CHECK_STR(k.b[3].imsi, "001010000000001");
    CHECK_EQ_INT(k.legs.n, 4);
    CHECK_STR(k.legs.v[2].ev.operation, "deliver");
    CHECK_STR(k.legs.v[2].ev.imsi, "001010000000001");
    CHECK_EQ_INT(counters[7], 1); /* s1ap_ues_moved */
    CHECK_EQ_INT(counters[8], 0);
    CHECK_EQ_INT(counters[5], 2); /* CAROL's two, on the second association */
    two_associations(&s1ap_proto, frames, NFRAMES, 10, false, &k, counters);
    CHECK_EQ_INT(k.nb, 2); /* the OPEN and the eNodeB's tunnel only */
    CHECK_EQ_INT(k.legs.n, 4);
    CHECK_STR(k.legs.v[2].ev.imsi, "");
    CHECK_EQ_INT(counters[7], 0);
}

/* The same in 5G: registration, PDU session and MO SMS through one gNB,
 * back from idle by 5G-S-TMSI through another (TS 23.502 4.2.3.2). */
TEST(row_ue_comes_back_through_another_gnb)
{
    static struct sink k;
    uint64_t counters[PROTO_MAX_COUNTERS];
    two_associations(&ngap_proto, ng_frames, NG_FRAMES, 13, true, &k, counters);
    CHECK_EQ_INT(k.nb, 4);
    CHECK_EQ_INT(k.b[2].op, BIND_UPDATE);
    CHECK_EQ_INT(k.b[2].evidence_us, 1013);
    CHECK_STR(k.b[2].imsi, "001010000000001");
    CHECK_STR(k.b[2].apn, "internet");
    CHECK_EQ_INT(k.b[3].op, BIND_CLOSE);
    CHECK_EQ_INT(k.b[3].evidence_us, 1018);
    CHECK_EQ_INT(k.legs.n, 4);
    CHECK_STR(k.legs.v[2].ev.imsi, "001010000000001");
    CHECK_EQ_INT(counters[7], 1); /* ngap_ues_moved */
    two_associations(&ngap_proto, ng_frames, NG_FRAMES, 13, false, &k, counters);
    CHECK_EQ_INT(k.nb, 2);
    CHECK_STR(k.legs.v[2].ev.imsi, "");
}

/* A TMSI is the UE's only within the core node that gave it: the same
 * M-TMSI under another MME code names nobody (TS 23.003 2.4). */
TEST(row_same_tmsi_other_mme)
{
    static struct sink k;
    uint64_t counters[PROTO_MAX_COUNTERS];
    /* frames[10]'s S-TMSI with MME code 2 instead of 1 (mMEC: bits 2-9) */
    static uint8_t other[sizeof fx_s1ap_service];
    memcpy(other, fx_s1ap_service, sizeof other);
    size_t at = 0;
    for (size_t i = 0; i + 6 <= sizeof other; i++)
        if (other[i] == 0x00 && other[i + 1] == 0x40 && other[i + 2] == 0xc0 &&
            other[i + 3] == 0xff && other[i + 4] == 0xee && other[i + 5] == 0x01)
            at = i + 1;
    CHECK(at > 0);
    other[at] = 0x80; /* 0b10 000000: mMEC 2 */
    struct fx fr[NFRAMES];
    memcpy(fr, frames, sizeof fr);
    fr[10] = (struct fx){other, sizeof other};
    two_associations(&s1ap_proto, fr, 11, 10, true, &k, counters);
    CHECK_EQ_INT(k.nb, 2);
    CHECK_EQ_INT(counters[7], 0);
}

/* pcaps/s1ap_handover.pcap's S1AP frames (sms_fixtures.h): whether the
 * eNodeB sent each (else the MME), and on which association (0 the source
 * eNodeB's, 1 the target's). */
static const struct {
    struct fx f;
    bool from_enb;
    int assoc;
} ho_frames[] = {
    {FX(fx_ho_1), true, 0},   {FX(fx_ho_2), false, 0},  {FX(fx_ho_3), true, 0},
    {FX(fx_ho_4), false, 0},  {FX(fx_ho_5), true, 0},   {FX(fx_ho_6), true, 0},
    {FX(fx_ho_9), true, 0},   {FX(fx_ho_10), false, 0}, {FX(fx_ho_11), false, 0},
    {FX(fx_ho_12), true, 0},  {FX(fx_ho_13), true, 1},  {FX(fx_ho_14), false, 1},
    {FX(fx_ho_17), false, 1}, {FX(fx_ho_18), true, 1},  {FX(fx_ho_19), true, 1},
    {FX(fx_ho_20), false, 1}, {FX(fx_ho_21), true, 1},
};
#define HO_FRAMES (sizeof ho_frames / sizeof ho_frames[0])
#define HO_SWITCH 10 /* the Path Switch Request */

static const uint8_t ho_enb[2][4] = {{10, 0, 17, 1}, {10, 0, 17, 4}};
static const uint8_t ho_mme[4] = {10, 0, 17, 2};

/* A Downlink NAS Transport from the MME to the source eNodeB for another
 * UE (eNB UE id 52) to which the MME gave GINA's old MME UE id, 61: an
 * Identity request, which names nobody. */
static const uint8_t ho_reused_id[] = {
    0x00, 0x0b, 0x40, 0x17, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x02, 0x00, 0x3d, 0x00,
    0x08, 0x00, 0x02, 0x00, 0x34, 0x00, 0x1a, 0x00, 0x04, 0x03, 0x07, 0x55, 0x01,
};

/* GINA's X2 handover, fed to two associations of the s1ap row sharing its
 * directory, each message with its addresses (addrs; the target
 * association's MME at mme2), and, before the Path Switch Request when
 * reused is set, ho_reused_id on the source association.  no_accept: the
 * source's messages from the Initial Context Setup Request (the Attach
 * accept, her GUTI) to the Path Switch Request are left out. */
static void handover(bool addrs, const uint8_t mme2[4], bool reused, bool no_accept,
                     struct sink *k, uint64_t counters[PROTO_MAX_COUNTERS])
{
    memset(k, 0, sizeof *k);
    memset(counters, 0, PROTO_MAX_COUNTERS * sizeof counters[0]);
    void *shared = s1ap_proto.shared_new();
    CHECK(shared != NULL);
    struct proto_emit em = {.sms = on_sms, .binding = on_binding, .claim = on_claim, .ctx = k,
                            .counters = counters, .shared = shared};
    void *st[2] = {s1ap_proto.state_new(PROTO_T_SCTP), s1ap_proto.state_new(PROTO_T_SCTP)};
    for (size_t i = 0; i < HO_FRAMES; i++) {
        if (no_accept && i >= 3 && i < HO_SWITCH)
            continue;
        int a = ho_frames[i].assoc;
        const uint8_t *mme = a ? mme2 : ho_mme;
        if (reused && i == HO_SWITCH) {
            em.src_addr = addrs ? ho_mme : NULL;
            em.dst_addr = addrs ? ho_enb[0] : NULL;
            em.addr_len = 4;
            struct cursor c = cur_init(ho_reused_id, sizeof ho_reused_id);
            CHECK_EQ_INT(s1ap_proto.parse(st[0], DIR_S2C, &c, 1999, &em), PARSE_OK);
        }
        em.src_addr = !addrs ? NULL : ho_frames[i].from_enb ? ho_enb[a] : mme;
        em.dst_addr = !addrs ? NULL : ho_frames[i].from_enb ? mme : ho_enb[a];
        em.addr_len = addrs ? 4 : 0;
        CHECK_EQ_INT(feed_row(&s1ap_proto, st[a], &ho_frames[i].f, 2000 + i, &em), PARSE_OK);
    }
    s1ap_proto.state_free(st[0]);
    s1ap_proto.state_free(st[1]);
    s1ap_proto.shared_free(shared);
}

/* GINA attaches and sends an MO SMS through one eNodeB, then is handed over
 * to another over X2: the target's association names her only by the MME
 * UE id the Path Switch Request gives as SourceMME-UE-S1AP-ID (TS 36.413
 * 8.4.4).  Its context takes her UE from the directory entry the source's
 * context filed under (MME address, MME UE id): the session is updated with
 * the target's downlink tunnel end, and her MT SMS there carries her IMSI.
 * Without the messages' addresses, at another MME, or once the MME gave the
 * id to another UE, the target's context names nobody: the MT SMS has no
 * IMSI (the detach still closes her session, by its GUTI). */
TEST(row_x2_handover)
{
    static struct sink k;
    uint64_t counters[PROTO_MAX_COUNTERS];
    handover(true, ho_mme, false, false, &k, counters);
    CHECK_EQ_INT(k.nb, 4);
    CHECK_EQ_INT(k.b[0].op, BIND_OPEN);
    CHECK_EQ_INT(k.b[1].op, BIND_UPDATE);
    CHECK_EQ_INT(k.b[2].op, BIND_UPDATE);
    CHECK_EQ_INT(k.b[2].evidence_us, 2000 + HO_SWITCH);
    CHECK_STR(k.b[2].imsi, "001010000000007");
    CHECK(k.b[2].has_v4 && memcmp(k.b[2].v4, (uint8_t[]){10, 45, 17, 9}, 4) == 0);
    CHECK_EQ_INT(k.b[2].nteid, 1);
    CHECK_EQ_INT(k.b[2].teid[0].teid, 0xa002);
    CHECK(memcmp(k.b[2].teid[0].addr, ho_enb[1], 4) == 0);
    CHECK_EQ_INT(k.b[3].op, BIND_CLOSE);
    CHECK_STR(k.b[3].imsi, "001010000000007");
    CHECK_EQ_INT(k.legs.n, 4);
    CHECK_STR(k.legs.v[2].ev.operation, "deliver");
    CHECK_STR(k.legs.v[2].ev.imsi, "001010000000007");
    CHECK_EQ_INT(counters[9], 1); /* s1ap_ues_handed_over */
    CHECK_EQ_INT(counters[7], 0); /* not by a TMSI */
    CHECK_EQ_INT(counters[PROTO_CNT_INVALID], 0);

    static const uint8_t other_mme[4] = {10, 0, 17, 9};
    for (int c = 0; c < 3; c++) {
        handover(c != 0, c == 1 ? other_mme : ho_mme, c == 2, false, &k, counters);
        CHECK_EQ_INT(k.nb, 3); /* OPEN, the source's tunnel, CLOSE by the GUTI */
        CHECK_EQ_INT(k.b[2].op, BIND_CLOSE);
        CHECK_EQ_INT(k.legs.n, 4);
        CHECK_STR(k.legs.v[2].ev.operation, "deliver");
        CHECK_STR(k.legs.v[2].ev.imsi, "");
        CHECK_EQ_INT(counters[9], 0);
    }
    /* without the Attach accept the core gave her no GUTI the row saw: her
     * card is filed under the MME's id of her itself; no address, so no
     * session, but the MT SMS on the target names her */
    handover(true, ho_mme, false, true, &k, counters);
    CHECK_EQ_INT(k.nb, 0);
    CHECK_EQ_INT(k.legs.n, 2);
    CHECK_STR(k.legs.v[0].ev.operation, "deliver");
    CHECK_STR(k.legs.v[0].ev.imsi, "001010000000007");
    CHECK_EQ_INT(counters[9], 1);
    handover(true, ho_mme, true, true, &k, counters); /* and the id reused: nobody */
    CHECK_STR(k.legs.v[0].ev.imsi, "");
    CHECK_EQ_INT(counters[9], 0);
}

/* pcaps/s1ap_handover.pcap's S1AP frames of HANS, handed over by S1: as
 * ho_frames. */
static const struct {
    struct fx f;
    bool from_enb;
    int assoc;
} s1ho_frames[] = {
    {FX(fx_ho_22), true, 0},  {FX(fx_ho_23), false, 0}, {FX(fx_ho_24), true, 0},
    {FX(fx_ho_25), false, 0}, {FX(fx_ho_26), true, 0},  {FX(fx_ho_27), true, 0},
    {FX(fx_ho_30), true, 0},  {FX(fx_ho_31), false, 0}, {FX(fx_ho_32), false, 0},
    {FX(fx_ho_33), true, 0},  {FX(fx_ho_34), false, 1}, {FX(fx_ho_35), true, 1},
    {FX(fx_ho_36), true, 1},  {FX(fx_ho_39), false, 1}, {FX(fx_ho_40), true, 1},
    {FX(fx_ho_41), true, 1},  {FX(fx_ho_42), false, 1}, {FX(fx_ho_43), true, 1},
};
#define S1HO_FRAMES (sizeof s1ho_frames / sizeof s1ho_frames[0])
#define S1HO_REQUEST 10 /* the Handover Request */

/* An NGAP Path Switch Request (TS 38.413 9.2.3.8) from a target gNB
 * 10.0.14.4: RAN UE id 20, PDUSessionResourceToBeSwitchedDLList (session 1,
 * its PathSwitchRequestTransfer: the target's tunnel 10.0.14.4 TEID 0xa002,
 * QoS flow 1), Source AMF UE NGAP ID 1.  tshark 4.0 decodes it so. */
static const uint8_t ng_path_switch[] = {
    0x00, 0x19, 0x00, 0x23, 0x00, 0x00, 0x03, 0x00, 0x55, 0x00, 0x02, 0x00, 0x14,
    0x00, 0x4c, 0x00, 0x10, 0x00, 0x00, 0x01, 0x0c, 0x00, 0x1f, 0x0a, 0x00, 0x0e,
    0x04, 0x00, 0x00, 0xa0, 0x02, 0x00, 0x02, 0x00, 0x64, 0x00, 0x02, 0x00, 0x01,
};

/* An NGAP Handover Request (TS 38.413 9.2.3.4) from the AMF to a target gNB
 * for the UE it now knows as AMF UE id 5 (HandoverType intra5gs, Cause, a
 * PDUSessionResourceSetupListHOReq: session 1, S-NSSAI SST 1, its request
 * transfer with the UPF's uplink end 10.0.14.3 TEID 0x3001, ALICE's) and the
 * target's acknowledge (RAN UE id 21, session 1 admitted with its downlink
 * end 10.0.14.4 TEID 0xa005, QoS flow 1).  The other mandatory IEs are left
 * out; tshark 4.0 decodes both so. */
static const uint8_t ng_ho_request[] = {
    0x00, 0x0d, 0x00, 0x34, 0x00, 0x00, 0x04, 0x00, 0x0a, 0x00, 0x02, 0x00, 0x05, 0x00,
    0x1d, 0x00, 0x01, 0x00, 0x00, 0x0f, 0x40, 0x02, 0x00, 0x00, 0x00, 0x49, 0x00, 0x1c,
    0x00, 0x00, 0x01, 0x00, 0x20, 0x16, 0x00, 0x00, 0x02, 0x00, 0x8b, 0x00, 0x0a, 0x01,
    0xf0, 0x0a, 0x00, 0x0e, 0x03, 0x00, 0x00, 0x30, 0x01, 0x00, 0x86, 0x00, 0x01, 0x00,
};
static const uint8_t ng_ho_ack[] = {
    0x20, 0x0d, 0x00, 0x24, 0x00, 0x00, 0x03, 0x00, 0x0a, 0x40, 0x02, 0x00, 0x05, 0x00,
    0x55, 0x40, 0x02, 0x00, 0x15, 0x00, 0x35, 0x40, 0x11, 0x00, 0x00, 0x01, 0x0d, 0x00,
    0x07, 0xc0, 0x0a, 0x00, 0x0e, 0x04, 0x00, 0x00, 0xa0, 0x05, 0x00, 0x01,
};

/* One message of a target gNB's association: an NGAP PDU, sent by the gNB
 * or by the AMF. */
struct ng_msg {
    const uint8_t *p;
    size_t n;
    bool from_gnb;
};

/* ngap.pcap's MT SMS (a Downlink NAS Transport) with RAN UE id 8 made
 * ran_id, its NGAP PDU in buf (sizeof fx_ngap_mt octets). */
static struct ng_msg ng_mt_as(uint8_t ran_id, uint8_t *buf)
{
    memcpy(buf, fx_ngap_mt, sizeof fx_ngap_mt);
    size_t at = 0;
    for (size_t i = 0; i + 6 <= sizeof fx_ngap_mt; i++)
        if (buf[i] == 0x00 && buf[i + 1] == 0x55 && buf[i + 2] == 0x00 && buf[i + 3] == 0x02 &&
            buf[i + 4] == 0x00 && buf[i + 5] == 0x08)
            at = i + 5;
    CHECK(at > 0);
    buf[at] = ran_id;
    struct span pdu = user(&(struct fx){buf, sizeof fx_ngap_mt});
    return (struct ng_msg){pdu.p, pdu.n, false};
}

/* ALICE registers, opens a PDU session and sends an MO SMS through one gNB
 * (ngap.pcap's first 13 frames, RAN UE id 7, AMF UE id 1), then the target
 * gNB's association carries tgt (at 2000, 2001, ...): two associations of
 * the ngap row sharing its directory, each message with its addresses when
 * addrs is set.  Evidence to k (emptied first). */
static void ng_handover(const struct ng_msg *tgt, size_t n, bool addrs, struct sink *k,
                        uint64_t counters[PROTO_MAX_COUNTERS])
{
    static const bool from_gnb[13] = {true, false, true,  false, true,  true, true,
                                      false, true, true, false, false, true};
    static const uint8_t gnb[2][4] = {{10, 0, 14, 1}, {10, 0, 14, 4}}, amf[4] = {10, 0, 14, 2};
    memset(k, 0, sizeof *k);
    memset(counters, 0, PROTO_MAX_COUNTERS * sizeof counters[0]);
    void *shared = ngap_proto.shared_new();
    struct proto_emit em = {.sms = on_sms, .binding = on_binding, .claim = on_claim, .ctx = k,
                            .counters = counters, .shared = shared, .addr_len = 4};
    void *a = ngap_proto.state_new(PROTO_T_SCTP), *b = ngap_proto.state_new(PROTO_T_SCTP);
    for (size_t i = 0; i < 13; i++) {
        em.src_addr = addrs ? (from_gnb[i] ? gnb[0] : amf) : NULL;
        em.dst_addr = addrs ? (from_gnb[i] ? amf : gnb[0]) : NULL;
        CHECK_EQ_INT(feed_row(&ngap_proto, a, &ng_frames[i], 1000 + i, &em), PARSE_OK);
    }
    for (size_t j = 0; j < n; j++) {
        em.src_addr = addrs ? (tgt[j].from_gnb ? gnb[1] : amf) : NULL;
        em.dst_addr = addrs ? (tgt[j].from_gnb ? amf : gnb[1]) : NULL;
        struct cursor c = cur_init(tgt[j].p, tgt[j].n);
        CHECK_EQ_INT(ngap_proto.parse(b, DIR_C2S, &c, 2000 + j, &em), PARSE_OK);
    }
    ngap_proto.state_free(a);
    ngap_proto.state_free(b);
    ngap_proto.shared_free(shared);
}

/* The same in 5G (Xn handover): the target gNB's Path Switch Request names
 * ALICE by Source AMF UE NGAP ID 1, and the MT SMS on the target's
 * association (RAN UE id 20) carries her IMSI. */
TEST(row_xn_handover)
{
    struct ran_msg m;
    struct cursor c = cur_init(ng_path_switch, sizeof ng_path_switch);
    CHECK_EQ_INT(ngap_parse(&c, &m), PARSE_OK);
    CHECK_EQ_INT(m.proc, NGAP_PROC_PATH_SWITCH);
    CHECK(m.initial && m.from_ran && m.has_ran_id && !m.has_cn_id);
    CHECK_EQ_INT(m.ran_id, 20);
    CHECK(m.has_src_cn_id);
    CHECK_EQ_INT(m.src_cn_id, 1);
    CHECK_EQ_INT(m.ntun, 1);
    CHECK_EQ_INT(m.tun[0].teid, 0xa002);
    CHECK(memcmp(m.tun[0].addr, (uint8_t[]){10, 0, 14, 4}, 4) == 0);
    static uint8_t mt[sizeof fx_ngap_mt];
    const struct ng_msg tgt[2] = {{ng_path_switch, sizeof ng_path_switch, true},
                                  ng_mt_as(20, mt)};
    for (int addrs = 1; addrs >= 0; addrs--) {
        static struct sink k;
        uint64_t counters[PROTO_MAX_COUNTERS];
        ng_handover(tgt, 2, addrs, &k, counters);
        CHECK_EQ_INT(k.legs.n, 3); /* the MO SMS, its answer, the MT SMS */
        CHECK_STR(k.legs.v[2].ev.operation, "deliver");
        CHECK_STR(k.legs.v[2].ev.imsi, addrs ? "001010000000001" : "");
        CHECK_EQ_INT(counters[9], addrs ? 1 : 0); /* ngap_ues_handed_over */
        /* OPEN, the gNB's tunnel, and with the handover the target's tunnel */
        CHECK_EQ_INT(k.nb, addrs ? 3 : 2);
        if (addrs) {
            CHECK_EQ_INT(k.b[2].op, BIND_UPDATE);
            CHECK_EQ_INT(k.b[2].evidence_us, 2000);
            CHECK_EQ_INT(k.b[2].teid[0].teid, 0xa002);
        }
    }
}

/* ALICE as in row_xn_handover, handed over by N2 instead (TS 38.413 8.4.2):
 * the AMF's Handover Request names her by a new AMF UE id and the UPF's
 * uplink end of her PDU session; the acknowledge gives the target's RAN
 * UE id (21); the MT SMS there carries her IMSI, and her session gains the
 * target's tunnel end. */
TEST(row_n2_handover)
{
    struct ran_msg m;
    struct cursor c = cur_init(ng_ho_request, sizeof ng_ho_request);
    CHECK_EQ_INT(ngap_parse(&c, &m), PARSE_OK);
    CHECK_EQ_INT(m.proc, NGAP_PROC_HANDOVER_RESOURCE_ALLOCATION);
    CHECK(m.opens_by_core && !m.from_ran && !m.has_ran_id && m.has_cn_id);
    CHECK_EQ_INT(m.cn_id, 5);
    CHECK_EQ_INT(m.ntun, 1);
    CHECK(m.tun[0].core);
    CHECK_EQ_INT(m.tun[0].teid, 0x3001);
    c = cur_init(ng_ho_ack, sizeof ng_ho_ack);
    CHECK_EQ_INT(ngap_parse(&c, &m), PARSE_OK);
    CHECK(!m.opens_by_core && m.from_ran && m.has_ran_id && m.has_cn_id);
    CHECK_EQ_INT(m.ran_id, 21);
    CHECK_EQ_INT(m.ntun, 1);
    CHECK(!m.tun[0].core);
    CHECK_EQ_INT(m.tun[0].teid, 0xa005);
    static uint8_t mt[sizeof fx_ngap_mt];
    const struct ng_msg tgt[3] = {{ng_ho_request, sizeof ng_ho_request, false},
                                  {ng_ho_ack, sizeof ng_ho_ack, true}, ng_mt_as(21, mt)};
    for (int addrs = 1; addrs >= 0; addrs--) {
        static struct sink k;
        uint64_t counters[PROTO_MAX_COUNTERS];
        ng_handover(tgt, 3, addrs, &k, counters);
        CHECK_EQ_INT(k.legs.n, 3);
        CHECK_STR(k.legs.v[2].ev.operation, "deliver");
        CHECK_STR(k.legs.v[2].ev.imsi, addrs ? "001010000000001" : "");
        CHECK_EQ_INT(counters[9], addrs ? 1 : 0); /* ngap_ues_handed_over */
        /* OPEN, the gNB's tunnel; with the handover the UPF's end again
         * (the Handover Request) and the target's (the acknowledge) */
        CHECK_EQ_INT(k.nb, addrs ? 4 : 2);
        if (addrs) {
            CHECK_EQ_INT(k.b[3].op, BIND_UPDATE);
            CHECK_EQ_INT(k.b[3].evidence_us, 2001);
            CHECK_EQ_INT(k.b[3].teid[1].teid, 0xa005);
        }
    }
}

/* PDN / PDU address values (TS 24.301 9.9.4.9): IPv6 is an interface
 * identifier only, which says the session has an IPv6 part and no more. */
TEST(pdn_address_types)
{
    static const uint8_t v4[] = {0x01, 10, 45, 18, 9};
    static const uint8_t v6[] = {0x02, 0, 0, 0, 0, 0, 0, 0, 9};
    static const uint8_t v4v6[] = {0x03, 0, 0, 0, 0, 0, 0, 0, 9, 10, 45, 18, 9};
    static const uint8_t v6_cut[] = {0x02, 0, 0, 0};
    const struct { const uint8_t *p; size_t n; bool ok, has_v4, has_v6; } c[] = {
        {v4, sizeof v4, true, true, false}, {v6, sizeof v6, true, false, true},
        {v4v6, sizeof v4v6, true, true, true}, {v6_cut, sizeof v6_cut, true, false, false},
        {v4v6, 9, false, false, true}};
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        struct nas_msg m;
        memset(&m, 0, sizeof m);
        CHECK_EQ_INT(ran_pdn_address(cur_init(c[i].p, c[i].n), &m), c[i].ok);
        CHECK_EQ_INT(m.has_v4, c[i].has_v4);
        CHECK_EQ_INT(m.has_v6, c[i].has_v6);
    }
}

/* IRIS attaches with an IPv6-only PDN connection (pcaps/s1ap_v6.pcap): the
 * row cannot name her /64 (it comes in a Router Advertisement) but opens
 * her session with her identity and both tunnel ends, so that her GTP-U
 * flows are hers by TEID, and her detach closes it.  Before, no session
 * was opened without an IPv4 address. */
TEST(row_ipv6_only_pdn)
{
    static const struct fx fr[] = {FX(fx_v6_1), FX(fx_v6_2), FX(fx_v6_3), FX(fx_v6_4),
                                   FX(fx_v6_5), FX(fx_v6_6), FX(fx_v6_17)};
    static struct sink k;
    memset(&k, 0, sizeof k);
    uint64_t counters[PROTO_MAX_COUNTERS] = {0};
    struct proto_emit em = {.sms = on_sms, .binding = on_binding, .claim = on_claim, .ctx = &k,
                            .counters = counters};
    void *st = s1ap_proto.state_new(PROTO_T_SCTP);
    for (size_t i = 0; i < sizeof fr / sizeof fr[0]; i++)
        CHECK_EQ_INT(feed(st, &fr[i], 4000 + i, &em), PARSE_OK);
    s1ap_proto.state_free(st);
    CHECK_EQ_INT(k.nb, 3);
    CHECK_EQ_INT(k.b[0].op, BIND_OPEN);
    CHECK_EQ_INT(k.b[0].evidence_us, 4003);
    CHECK_STR(k.b[0].imsi, "001010000000009");
    CHECK(!k.b[0].has_v4 && !k.b[0].has_v6);
    CHECK_EQ_INT(k.b[0].nteid, 1);
    CHECK_EQ_INT(k.b[0].teid[0].teid, 0xb001);
    CHECK_EQ_INT(k.b[1].op, BIND_UPDATE);
    CHECK_EQ_INT(k.b[1].teid[1].teid, 0xc001);
    CHECK_EQ_INT(k.b[2].op, BIND_CLOSE);
    CHECK_EQ_INT(k.b[2].evidence_us, 4006);
}

/* An E-RAB Setup Request (TS 36.413 9.1.3.1) for a second PDN connection
 * of ALICE's context (eNB UE id 7): item 17 (E-RABToBeSetupItemBearerSUReq,
 * its NAS-PDU mandatory): E-RAB 6, QCI 5, gateway 10.0.13.3 TEID 0x1006,
 * and an Activate default EPS bearer context request (APN ims, PDN address
 * 10.45.99.9) behind a security header.  tshark 4.0 decodes it so. */
static const uint8_t erab_setup[] = {
    0x00, 0x05, 0x00, 0x3d, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01, 0x00,
    0x08, 0x00, 0x02, 0x00, 0x07, 0x00, 0x10, 0x00, 0x2a, 0x00, 0x00, 0x11, 0x00, 0x25,
    0x0c, 0x00, 0x05, 0x3c, 0x0f, 0x80, 0x0a, 0x00, 0x0d, 0x03, 0x00, 0x00, 0x10, 0x06,
    0x16, 0x27, 0x11, 0x22, 0x33, 0x44, 0x05, 0x62, 0x02, 0xc1, 0x01, 0x05, 0x04, 0x03,
    0x69, 0x6d, 0x73, 0x05, 0x01, 0x0a, 0x2d, 0x63, 0x09};

/* HANS attaches and sends an MO SMS through one eNodeB, then is handed
 * over by S1 (TS 36.413 8.4.2): the MME's Handover Request opens his
 * context on the target eNodeB's association with a new MME UE id (64)
 * and no eNodeB id, naming only the gateway's uplink tunnel end (10.0.17.3
 * TEID 0x9003), which the gateway keeps; the acknowledge gives the
 * target's id (72) and downlink end, the Notify his cell.  The context
 * takes his UE by that tunnel end: his MT SMS there carries his IMSI, his
 * session gains the target's tunnel end.  Without the messages' addresses
 * the target's context names nobody; nor when the gateway gave that TEID
 * to another UE in between (an E-RAB Setup Request for a UE whose identity
 * the row does not know, on the source association). */
TEST(row_s1_handover)
{
    static uint8_t reused[sizeof erab_setup];
    memcpy(reused, erab_setup, sizeof reused);
    reused[18] = 53;                                     /* eNB UE id 7 -> 53 */
    reused[12] = 65;                                     /* MME UE id 1 -> 65 */
    memcpy(reused + 34, (uint8_t[]){10, 0, 17, 3}, 4);   /* the gateway */
    memcpy(reused + 38, (uint8_t[]){0, 0, 0x90, 0x03}, 4); /* HANS's TEID */
    for (int c = 0; c < 3; c++) {
        static struct sink k;
        memset(&k, 0, sizeof k);
        uint64_t counters[PROTO_MAX_COUNTERS] = {0};
        bool addrs = c != 1;
        void *shared = s1ap_proto.shared_new();
        struct proto_emit em = {.sms = on_sms, .binding = on_binding, .claim = on_claim,
                                .ctx = &k, .counters = counters, .shared = shared,
                                .addr_len = 4};
        void *st[2] = {s1ap_proto.state_new(PROTO_T_SCTP), s1ap_proto.state_new(PROTO_T_SCTP)};
        for (size_t i = 0; i < S1HO_FRAMES; i++) {
            int a = s1ho_frames[i].assoc;
            if (c == 2 && i == S1HO_REQUEST) {
                em.src_addr = ho_mme;
                em.dst_addr = ho_enb[0];
                struct cursor m = cur_init(reused, sizeof reused);
                CHECK_EQ_INT(s1ap_proto.parse(st[0], DIR_S2C, &m, 2999, &em), PARSE_OK);
            }
            em.src_addr = !addrs ? NULL : s1ho_frames[i].from_enb ? ho_enb[a] : ho_mme;
            em.dst_addr = !addrs ? NULL : s1ho_frames[i].from_enb ? ho_mme : ho_enb[a];
            CHECK_EQ_INT(feed_row(&s1ap_proto, st[a], &s1ho_frames[i].f, 3000 + i, &em),
                         PARSE_OK);
        }
        s1ap_proto.state_free(st[0]);
        s1ap_proto.state_free(st[1]);
        s1ap_proto.shared_free(shared);
        CHECK_EQ_INT(k.legs.n, 4);
        CHECK_STR(k.legs.v[2].ev.operation, "deliver");
        CHECK_STR(k.legs.v[2].ev.imsi, c == 0 ? "001010000000008" : "");
        CHECK_EQ_INT(counters[9], c == 0 ? 1 : 0); /* s1ap_ues_handed_over */
        CHECK_EQ_INT(counters[PROTO_CNT_INVALID], 0);
        if (c == 0) {
            /* OPEN, the source's tunnel, the Handover Request (the
             * gateway's end), the acknowledge (the target's), the Notify
             * (the cell), CLOSE */
            CHECK_EQ_INT(k.nb, 6);
            CHECK_EQ_INT(k.b[2].op, BIND_UPDATE);
            CHECK_EQ_INT(k.b[2].evidence_us, 3000 + S1HO_REQUEST);
            CHECK_STR(k.b[2].imsi, "001010000000008");
            CHECK_EQ_INT(k.b[3].op, BIND_UPDATE);
            CHECK_EQ_INT(k.b[3].nteid, 2);
            CHECK_EQ_INT(k.b[3].teid[1].teid, 0xa004);
            CHECK(memcmp(k.b[3].teid[1].addr, ho_enb[1], 4) == 0);
            CHECK_EQ_INT(k.b[4].op, BIND_UPDATE);
            CHECK_EQ_INT(k.b[4].evidence_us, 3000 + S1HO_REQUEST + 2);
            CHECK_STR(k.b[4].cell, "tai:001-01-1;ecgi:001-01-105217");
            CHECK_EQ_INT(k.b[5].op, BIND_CLOSE);
        } else {
            CHECK_EQ_INT(k.nb, 3); /* OPEN, the source's tunnel, CLOSE by the GUTI */
        }
    }
}

/* A row state after ALICE's attach (frames 0-5, PDN 10.45.13.9 on EPS
 * bearer 5) and the E-RAB Setup Request of her second PDN (10.45.99.9,
 * bearer 6) at 2000; evidence to k (emptied first) through em. */
static void *two_pdns(struct sink *k, uint64_t counters[PROTO_MAX_COUNTERS],
                      struct proto_emit *em)
{
    memset(k, 0, sizeof *k);
    *em = (struct proto_emit){.binding = on_binding, .ctx = k, .counters = counters};
    void *st = s1ap_proto.state_new(PROTO_T_SCTP);
    for (size_t i = 0; i < 6; i++)
        feed(st, &frames[i], 1000 + i, em);
    struct cursor c = cur_init(erab_setup, sizeof erab_setup);
    CHECK_EQ_INT(s1ap_proto.parse(st, DIR_S2C, &c, 2000, em), PARSE_OK);
    return st;
}

TEST(erab_setup_second_pdn)
{
    struct ran_msg m;
    CHECK(s1ap_probe((struct span){erab_setup, sizeof erab_setup}));
    struct cursor c = cur_init(erab_setup, sizeof erab_setup);
    CHECK_EQ_INT(s1ap_parse(&c, &m), PARSE_OK);
    CHECK_EQ_INT(m.proc, S1AP_PROC_E_RAB_SETUP);
    CHECK(m.ran_id == 7 && m.cn_id == 1);
    CHECK_EQ_INT(m.ntun, 1);
    CHECK_EQ_INT(m.tun[0].teid, 0x1006);
    CHECK_EQ_INT(m.nnas, 1);
    struct nas_msg n;
    CHECK_EQ_INT(nas(m.nas[0], NAS_CIPHER_NULL, &n), PARSE_OK);
    CHECK_EQ_INT(n.pd, NAS_PD_ESM);
    CHECK(n.has_v4 && memcmp(n.v4, (uint8_t[]){10, 45, 99, 9}, 4) == 0);
    CHECK_STR(n.apn, "ims");
    /* after ALICE's attach: a binding of its own for the second address,
     * with only its own tunnel */
    static struct sink k;
    uint64_t counters[PROTO_MAX_COUNTERS] = {0};
    struct proto_emit em;
    void *st = two_pdns(&k, counters, &em);
    s1ap_proto.state_free(st);
    CHECK_EQ_INT(k.nb, 3);
    CHECK_EQ_INT(k.b[2].op, BIND_OPEN);
    CHECK_STR(k.b[2].imsi, "001010000000001");
    CHECK(k.b[2].has_v4 && memcmp(k.b[2].v4, (uint8_t[]){10, 45, 99, 9}, 4) == 0);
    CHECK_STR(k.b[2].apn, "ims");
    CHECK_EQ_INT(k.b[2].nteid, 1);
    CHECK_EQ_INT(k.b[2].teid[0].teid, 0x1006);
}

/* ALICE attaches (PDN 10.45.13.9), opens a second PDN connection (10.45.99.9,
 * the E-RAB Setup above), then detaches from eNB UE id 8 naming her GUTI:
 * in a binding table both sessions end at the detach, not only the newest
 * (before, the first stayed open to the end of the run). */
TEST(detach_closes_every_pdn)
{
    static struct sink k;
    uint64_t counters[PROTO_MAX_COUNTERS] = {0};
    struct proto_emit em;
    void *st = two_pdns(&k, counters, &em);
    CHECK_EQ_INT(feed(st, &frames[15], 3000, &em), PARSE_OK); /* Detach request (GUTI) */
    s1ap_proto.state_free(st);
    struct binding_table *t = binding_table_new(64, NULL, NULL);
    CHECK(t != NULL);
    for (unsigned i = 0; i < k.nb; i++)
        binding_table_apply(t, k.b[i].op, &k.b[i]);
    const struct binding_stats *bs = binding_table_stats(t);
    CHECK_EQ_INT(bs->opened, 2);
    CHECK_EQ_INT(bs->closed, 2);
    CHECK_EQ_INT(bs->close_unmatched, 0);
    CHECK_EQ_INT(binding_table_count(t), 2);
    for (size_t i = 0; i < binding_table_count(t); i++) {
        const struct sub_binding *b = binding_table_at(t, i);
        CHECK(!b->open);
        CHECK_EQ_INT(b->end_us, 3000);
    }
    binding_table_free(t);
}

/* Built here, tshark 4.0 decodes them so: an E-RAB Release Command (TS
 * 36.413 9.1.3.5) for ALICE's E-RAB 6 carrying a Deactivate EPS bearer
 * context request (TS 24.301 8.3.12) for EPS bearer 6, regular
 * deactivation; a PDU Session Resource Release Command (TS 38.413 9.2.1.5)
 * carrying a DL NAS transport with a PDU session release command (TS 24.501
 * 8.3.14) for PDU session 1. */
static const uint8_t erab_release[] = {
    0x00, 0x07, 0x00, 0x2a, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01, 0x00,
    0x08, 0x00, 0x02, 0x00, 0x07, 0x00, 0x21, 0x40, 0x08, 0x00, 0x00, 0x23, 0x40, 0x03,
    0x0c, 0x00, 0x00, 0x00, 0x1a, 0x40, 0x0b, 0x0a, 0x27, 0x5a, 0x17, 0xc0, 0xde, 0x05,
    0x62, 0x00, 0xcd, 0x24};
static const uint8_t pdu_release[] = {
    0x00, 0x1c, 0x00, 0x26, 0x00, 0x00, 0x03, 0x00, 0x0a, 0x00, 0x02, 0x00, 0x01, 0x00,
    0x55, 0x00, 0x02, 0x00, 0x07, 0x00, 0x26, 0x40, 0x13, 0x12, 0x7e, 0x02, 0x5a, 0x17,
    0xc0, 0xde, 0x09, 0x7e, 0x00, 0x68, 0x01, 0x00, 0x05, 0x2e, 0x01, 0x01, 0xd3, 0x24};

static void apply_all(struct binding_table *t, const struct sink *k)
{
    for (unsigned i = 0; i < k->nb; i++)
        binding_table_apply(t, k->b[i].op, &k->b[i]);
}

/* The end time of the binding of address a (0 while it is open). */
static uint64_t ended(const struct binding_table *t, const uint8_t a[4])
{
    for (size_t i = 0; i < binding_table_count(t); i++) {
        const struct sub_binding *b = binding_table_at(t, i);
        if (b->has_v4 && memcmp(b->v4, a, 4) == 0)
            return b->open ? 0 : b->end_us;
    }
    return UINT64_MAX;
}

/* ALICE's second PDN (ims, bearer 6) ends at its bearer's deactivation;
 * her first (internet, bearer 5) goes on to her detach.  A dedicated
 * bearer's deactivation (bearer 7) ends none. */
TEST(bearer_release_closes_its_pdn)
{
    static const uint8_t internet[4] = {10, 45, 13, 9}, ims[4] = {10, 45, 99, 9};
    struct ran_msg m;
    struct cursor c = cur_init(erab_release, sizeof erab_release);
    CHECK_EQ_INT(s1ap_parse(&c, &m), PARSE_OK);
    CHECK_EQ_INT(m.proc, S1AP_PROC_E_RAB_RELEASE);
    CHECK_EQ_INT(m.nnas, 1);
    struct nas_msg n;
    CHECK_EQ_INT(nas(m.nas[0], NAS_CIPHER_NULL, &n), PARSE_OK);
    CHECK(n.release && n.bearer == 6 && n.type == NAS_ESM_DEACT_REQ);
    static struct sink k;
    uint64_t counters[PROTO_MAX_COUNTERS] = {0};
    struct proto_emit em;
    void *st = two_pdns(&k, counters, &em);
    uint8_t dedicated[sizeof erab_release];
    memcpy(dedicated, erab_release, sizeof dedicated);
    dedicated[sizeof dedicated - 4] = 0x72; /* EPS bearer 7 */
    unsigned before = k.nb;
    c = cur_init(dedicated, sizeof dedicated);
    CHECK_EQ_INT(s1ap_proto.parse(st, DIR_S2C, &c, 2400, &em), PARSE_OK);
    CHECK_EQ_INT(k.nb, before);
    c = cur_init(erab_release, sizeof erab_release);
    CHECK_EQ_INT(s1ap_proto.parse(st, DIR_S2C, &c, 2500, &em), PARSE_OK);
    CHECK_EQ_INT(k.nb, before + 1);
    CHECK_EQ_INT(k.b[before].op, BIND_CLOSE);
    CHECK(k.b[before].has_v4 && memcmp(k.b[before].v4, ims, 4) == 0);
    CHECK_EQ_INT(feed(st, &frames[15], 3000, &em), PARSE_OK); /* Detach request (GUTI) */
    s1ap_proto.state_free(st);
    struct binding_table *t = binding_table_new(64, NULL, NULL);
    CHECK(t != NULL);
    apply_all(t, &k);
    CHECK_EQ_INT(binding_table_stats(t)->opened, 2);
    CHECK_EQ_INT(binding_table_stats(t)->closed, 2);
    CHECK_EQ_INT(ended(t, ims), 2500);
    CHECK_EQ_INT(ended(t, internet), 3000);
    binding_table_free(t);
}

/* ALICE's second PDN connection IPv6-only: erab_setup with its PDN address
 * made type IPv6, interface identifier ::63 (4 octets longer, the lengths
 * around it too).  Its session opens without an address, with its tunnel
 * end; the bindings table, which tells an address-less session of a UE
 * from her others by nothing, records it as part of her open session (its
 * tunnel added).  Its release (erab_release, bearer 6) closes nothing
 * while that session is open: named by no address, a CLOSE would end it;
 * her detach ends it.  Released when it is her only session, it ends. */
TEST(ipv6_only_pdn_release)
{
    static const uint8_t internet[4] = {10, 45, 13, 9};
    uint8_t v6[sizeof erab_setup + 4];
    memcpy(v6, erab_setup, sizeof erab_setup - 6);
    static const uint8_t pdn[10] = {0x09, 0x02, 0, 0, 0, 0, 0, 0, 0, 0x63};
    memcpy(v6 + sizeof erab_setup - 6, pdn, sizeof pdn);
    v6[3] += 4;  /* the PDU's value */
    v6[22] += 4; /* E-RABToBeSetupListBearerSUReq */
    v6[27] += 4; /* its item */
    v6[42] += 4; /* the NAS-PDU */
    struct ran_msg m;
    struct cursor c = cur_init(v6, sizeof v6);
    CHECK_EQ_INT(s1ap_parse(&c, &m), PARSE_OK);
    CHECK_EQ_INT(m.nnas, 1);
    struct nas_msg n;
    CHECK_EQ_INT(nas(m.nas[0], NAS_CIPHER_NULL, &n), PARSE_OK);
    CHECK(n.has_v6 && !n.has_v4 && n.bearer == 6);
    for (int only = 0; only < 2; only++) {
        static struct sink k;
        memset(&k, 0, sizeof k);
        uint64_t counters[PROTO_MAX_COUNTERS] = {0};
        struct proto_emit em = {.binding = on_binding, .ctx = &k, .counters = counters};
        void *st = s1ap_proto.state_new(PROTO_T_SCTP);
        for (size_t i = 0; i < 6; i++)
            if (!only || i != 3) /* only: no Attach accept, so no first session */
                feed(st, &frames[i], 1000 + i, &em);
        c = cur_init(v6, sizeof v6);
        CHECK_EQ_INT(s1ap_proto.parse(st, DIR_S2C, &c, 2000, &em), PARSE_OK);
        unsigned opened = k.nb;
        CHECK(opened > 0 && k.b[opened - 1].op == BIND_OPEN);
        CHECK(!k.b[opened - 1].has_v4);
        bool tunnel = false;
        for (unsigned j = 0; j < k.b[opened - 1].nteid; j++)
            tunnel = tunnel || k.b[opened - 1].teid[j].teid == 0x1006;
        CHECK(tunnel);
        c = cur_init(erab_release, sizeof erab_release);
        CHECK_EQ_INT(s1ap_proto.parse(st, DIR_S2C, &c, 2500, &em), PARSE_OK);
        CHECK_EQ_INT(k.nb, only ? opened + 1 : opened);
        if (only) {
            CHECK_EQ_INT(k.b[opened].op, BIND_CLOSE);
            CHECK(!k.b[opened].has_v4);
        }
        CHECK_EQ_INT(feed(st, &frames[15], 3000, &em), PARSE_OK); /* Detach request (GUTI) */
        s1ap_proto.state_free(st);
        struct binding_table *t = binding_table_new(64, NULL, NULL);
        CHECK(t != NULL);
        apply_all(t, &k);
        CHECK_EQ_INT(binding_table_stats(t)->opened, 1);
        CHECK_EQ_INT(binding_table_stats(t)->closed, 1);
        if (!only)
            CHECK_EQ_INT(ended(t, internet), 3000); /* not at the release, 2500 */
        binding_table_free(t);
    }
}

/* ALICE's PDU session 1 ends at its release command, before she
 * deregisters; one for session 5 (not hers) ends nothing. */
TEST(pdu_session_release_closes_it)
{
    static const uint8_t addr[4] = {10, 46, 14, 9};
    struct ran_msg m;
    struct cursor c = cur_init(pdu_release, sizeof pdu_release);
    CHECK_EQ_INT(ngap_parse(&c, &m), PARSE_OK);
    CHECK_EQ_INT(m.proc, NGAP_PROC_PDU_SESSION_RELEASE);
    CHECK_EQ_INT(m.nnas, 1);
    struct nas_msg n;
    CHECK_EQ_INT(nas5(m.nas[0], NAS_CIPHER_NULL, &n), PARSE_OK);
    CHECK(n.release && n.bearer == 1);
    static struct sink k;
    memset(&k, 0, sizeof k);
    uint64_t counters[PROTO_MAX_COUNTERS] = {0};
    struct proto_emit em = {.binding = on_binding, .ctx = &k, .counters = counters};
    void *st = ngap_proto.state_new(PROTO_T_SCTP);
    for (size_t i = 0; i < 9; i++)
        feed_row(&ngap_proto, st, &ng_frames[i], 1000 + i, &em);
    uint8_t other[sizeof pdu_release];
    memcpy(other, pdu_release, sizeof other);
    other[sizeof other - 4] = 0x05; /* PDU session 5 */
    unsigned before = k.nb;
    c = cur_init(other, sizeof other);
    CHECK_EQ_INT(ngap_proto.parse(st, DIR_S2C, &c, 1900, &em), PARSE_OK);
    CHECK_EQ_INT(k.nb, before);
    c = cur_init(pdu_release, sizeof pdu_release);
    CHECK_EQ_INT(ngap_proto.parse(st, DIR_S2C, &c, 2000, &em), PARSE_OK);
    ngap_proto.state_free(st);
    struct binding_table *t = binding_table_new(64, NULL, NULL);
    apply_all(t, &k);
    CHECK_EQ_INT(binding_table_stats(t)->opened, 1);
    CHECK_EQ_INT(binding_table_stats(t)->closed, 1);
    CHECK_EQ_INT(ended(t, addr), 2000);
    binding_table_free(t);
}

/* Built here, tshark 4.0 decodes it so: a Downlink NAS transport to
 * ALICE's context (RAN UE id 7) with a Configuration update command (TS
 * 24.501 8.2.19, NEA0) reallocating her 5G-GUTI: 5G-TMSI 0xc0ffee99. */
static const uint8_t config_update[] = {
    0x00, 0x04, 0x00, 0x2d, 0x00, 0x00, 0x03, 0x00, 0x0a, 0x00, 0x02, 0x00, 0x01, 0x00,
    0x55, 0x00, 0x02, 0x00, 0x07, 0x00, 0x26, 0x00, 0x1a, 0x19, 0x7e, 0x02, 0x5a, 0x17,
    0xc0, 0xde, 0x0a, 0x7e, 0x00, 0x54, 0xd1, 0x77, 0x00, 0x0b, 0xf2, 0x00, 0xf1, 0x10,
    0x01, 0x00, 0x40, 0xc0, 0xff, 0xee, 0x99};

/* After the reallocation ALICE comes back from idle naming the new
 * 5G-S-TMSI: the MT SMS on that context carries her IMSI (before, the new
 * 5G-TMSI named nobody). */
TEST(configuration_update_new_guti)
{
    struct ran_msg m;
    struct cursor c = cur_init(config_update, sizeof config_update);
    CHECK_EQ_INT(ngap_parse(&c, &m), PARSE_OK);
    CHECK_EQ_INT(m.nnas, 1);
    struct nas_msg n;
    CHECK_EQ_INT(nas5(m.nas[0], NAS_CIPHER_NULL, &n), PARSE_OK);
    CHECK_EQ_INT(n.type, NAS5_CONFIG_UPDATE_CMD);
    CHECK(n.has_guti && n.tmsi == 0xc0ffee99u);
    static struct sink k;
    memset(&k, 0, sizeof k);
    uint64_t counters[PROTO_MAX_COUNTERS] = {0};
    struct proto_emit em = {.sms = on_sms, .binding = on_binding, .ctx = &k,
                            .counters = counters};
    void *st = ngap_proto.state_new(PROTO_T_SCTP);
    for (size_t i = 0; i < 13; i++) /* registration, PDU session, the MO SMS */
        feed_row(&ngap_proto, st, &ng_frames[i], 1000 + i, &em);
    c = cur_init(config_update, sizeof config_update);
    CHECK_EQ_INT(ngap_proto.parse(st, DIR_S2C, &c, 2000, &em), PARSE_OK);
    /* the Service request (RAN UE id 8) with the new 5G-S-TMSI, in its NGAP
     * IE and in the NAS message */
    uint8_t svc[sizeof fx_ngap_service];
    memcpy(svc, fx_ngap_service, sizeof svc);
    unsigned patched = 0;
    for (size_t i = 0; i + 4 <= sizeof svc; i++)
        if (svc[i] == 0xc0 && svc[i + 1] == 0xff && svc[i + 2] == 0xee && svc[i + 3] == 0x02) {
            svc[i + 3] = 0x99;
            patched++;
        }
    CHECK_EQ_INT(patched, 2);
    const struct fx service = {svc, sizeof svc};
    unsigned legs = k.legs.n;
    CHECK_EQ_INT(feed_row(&ngap_proto, st, &service, 3000, &em), PARSE_OK);
    CHECK_EQ_INT(feed_row(&ngap_proto, st, &ng_frames[14], 3001, &em), PARSE_OK); /* MT SMS */
    ngap_proto.state_free(st);
    CHECK_EQ_INT(k.legs.n, legs + 1);
    CHECK_STR(k.legs.v[legs].ev.operation, "deliver");
    CHECK_STR(k.legs.v[legs].ev.imsi, "001010000000001");
}

TEST(row_without_attach)
{
    /* a capture that starts after the attach: the MT SMS of a context never
     * named (no IMSI, no M-TMSI) is still an event, and no binding */
    static struct sink k;
    memset(&k, 0, sizeof k);
    uint64_t counters[PROTO_MAX_COUNTERS] = {0};
    struct proto_emit em = {.sms = on_sms, .binding = on_binding, .ctx = &k, .counters = counters};
    void *st = s1ap_proto.state_new(PROTO_T_SCTP);
    CHECK_EQ_INT(feed(st, &frames[11], 1, &em), PARSE_OK);
    CHECK_EQ_INT(feed(st, &frames[13], 2, &em), PARSE_OK);
    s1ap_proto.state_free(st);
    CHECK_EQ_INT(k.nb, 0);
    CHECK_EQ_INT(k.legs.n, 2);
    CHECK_STR(k.legs.v[0].ev.imsi, "");
}

/* An Initial UE Message of eNB UE id `id` (two octets) with an Attach
 * request naming IMSI 00101000000xxxx. */
static size_t initial_ue(uint8_t *b, uint16_t id)
{
    static const uint8_t attach[] = {0x07, 0x41, 0x71, 0x08, 0x09, 0x10, 0x10, 0x00,
                                     0x00, 0x00, 0x00, 0x00};
    size_t n = 0;
    b[n++] = 0x00;
    b[n++] = S1AP_PROC_INITIAL_UE_MESSAGE;
    b[n++] = 0x40;
    size_t len_at = n++;
    b[n++] = 0x00;
    b[n++] = 0x00;
    b[n++] = 2; /* IEs */
    b[n++] = 0x00, b[n++] = 8, b[n++] = 0x00, b[n++] = 3, b[n++] = 0x40;
    b[n++] = (uint8_t)(id >> 8), b[n++] = (uint8_t)id;
    b[n++] = 0x00, b[n++] = 26, b[n++] = 0x00, b[n++] = (uint8_t)(1 + sizeof attach);
    b[n++] = (uint8_t)sizeof attach;
    memcpy(b + n, attach, sizeof attach);
    b[n + 9] = (uint8_t)((id % 10) << 4 | (id / 10 % 10));
    n += sizeof attach;
    b[len_at] = (uint8_t)(n - len_at - 1);
    return n;
}

TEST(row_bounded)
{
    /* more UEs than RANBIND_MAX_UES on one association: the least recently
     * used contexts give way, counted; none is lost for want of memory */
    uint64_t counters[PROTO_MAX_COUNTERS] = {0};
    struct proto_emit em = {.counters = counters};
    void *st = s1ap_proto.state_new(PROTO_T_SCTP);
    uint8_t b[64];
    unsigned extra = 100;
    for (unsigned i = 0; i < RANBIND_MAX_UES + extra; i++) {
        size_t n = initial_ue(b, (uint16_t)(i + 1));
        CHECK(s1ap_probe((struct span){b, n}));
        struct cursor c = cur_init(b, n);
        enum parse_rc rc = s1ap_proto.parse(st, DIR_C2S, &c, 1000 + i, &em);
        if (rc != PARSE_OK) {
            CHECK_EQ_INT(rc, PARSE_OK);
            break;
        }
    }
    s1ap_proto.state_free(st);
    CHECK_EQ_INT(counters[4], extra); /* s1ap_ues_evicted */
    CHECK_EQ_INT(counters[6], 0);     /* s1ap_ue_nomem */
}

TEST(row_reuses_retired)
{
    /* an eNodeB that reuses one UE id for connection after connection, none
     * given an M-TMSI: each retired context is unreachable and its slot is
     * reused, so none is evicted (all 5,000 were kept, 904 evicted, before) */
    uint64_t counters[PROTO_MAX_COUNTERS] = {0};
    struct proto_emit em = {.counters = counters};
    void *st = s1ap_proto.state_new(PROTO_T_SCTP);
    uint8_t b[64];
    for (unsigned i = 0; i < 5000; i++) {
        size_t n = initial_ue(b, 300);
        struct cursor c = cur_init(b, n);
        if (s1ap_proto.parse(st, DIR_C2S, &c, 1000 + i, &em) != PARSE_OK)
            break;
    }
    s1ap_proto.state_free(st);
    CHECK_EQ_INT(counters[4], 0);
    CHECK_EQ_INT(counters[6], 0);
}

TEST(every_prefix)
{
    /* every prefix of every frame, in an exact-size heap copy (so a read
     * past the end is caught by the sanitizer build), through the decoders
     * and the row */
    uint64_t counters[PROTO_MAX_COUNTERS] = {0};
    static struct sink k;
    memset(&k, 0, sizeof k);
    struct proto_emit em = {.sms = on_sms, .binding = on_binding, .ctx = &k, .counters = counters};
    /* and the PDUs built here (no SCTP around them) */
    static const struct {
        struct span s;
        bool ng;
    } built[] = {{{erab_setup, sizeof erab_setup}, false},
                 {{erab_release, sizeof erab_release}, false},
                 {{pdu_release, sizeof pdu_release}, true},
                 {{config_update, sizeof config_update}, true}};
    const size_t nbuilt = sizeof built / sizeof built[0];
    unsigned ok = 0;
    for (size_t i = 0; i < NFRAMES + NG_FRAMES + nbuilt; i++) {
        size_t b0 = NFRAMES + NG_FRAMES;
        bool ng = i >= b0 ? built[i - b0].ng : i >= NFRAMES;
        const struct proto_ops *row = ng ? &ngap_proto : &s1ap_proto;
        struct span s = i >= b0 ? built[i - b0].s
                                : user(ng ? &ng_frames[i - NFRAMES] : &frames[i]);
        CHECK(s.n > 0);
        for (size_t len = 0; len <= s.n; len++) {
            uint8_t *b = malloc(len ? len : 1);
            memcpy(b, s.p, len);
            struct cursor c = cur_init(b, len);
            struct ran_msg m;
            if ((ng ? ngap_parse(&c, &m) : s1ap_parse(&c, &m)) == PARSE_OK) {
                ok++;
                for (unsigned j = 0; j < m.nnas; j++) {
                    struct nas_msg n;
                    for (size_t l2 = 0; l2 <= m.nas[j].n; l2++) {
                        uint8_t *q = malloc(l2 ? l2 : 1);
                        memcpy(q, m.nas[j].p, l2);
                        struct span ps = {q, l2};
                        if (ng)
                            nas5(ps, NAS_CIPHER_UNKNOWN, &n);
                        else
                            nas(ps, NAS_CIPHER_UNKNOWN, &n);
                        free(q);
                    }
                }
            }
            void *st = row->state_new(PROTO_T_SCTP);
            c = cur_init(b, len);
            row->parse(st, DIR_C2S, &c, 1, &em);
            row->state_free(st);
            free(b);
        }
    }
    /* each whole frame decodes, and no cut one */
    CHECK_EQ_INT(ok, NFRAMES + NG_FRAMES + nbuilt);
}

/* FIONA's registration with the SUCI of TS 33.501 Annex C.4.3.1 (Profile
 * A) and her PDU session and deregistration (pcaps/ngap.pcap frames 26-34,
 * 37), fed to the NGAP row with the keys given: the row's counters and
 * bindings. */
static const struct fx fiona_frames[] = {
    FX(fx_ngap_fiona),        FX(fx_ngap_fiona_smc),     FX(fx_ngap_fiona_smc_done),
    FX(fx_ngap_fiona_ics_req), FX(fx_ngap_fiona_ics_resp), FX(fx_ngap_fiona_reg_done),
    FX(fx_ngap_fiona_est_req), FX(fx_ngap_fiona_pdu_req), FX(fx_ngap_fiona_pdu_resp),
    FX(fx_ngap_fiona_dereg),
};

static void run_fiona(const struct suci_keys *keys, struct sink *k, uint64_t *counters)
{
    memset(k, 0, sizeof *k);
    memset(counters, 0, PROTO_MAX_COUNTERS * sizeof *counters);
    struct proto_emit em = {.sms = on_sms, .binding = on_binding, .claim = on_claim, .ctx = k,
                            .counters = counters, .suci_keys = keys};
    void *st = ngap_proto.state_new(PROTO_T_SCTP);
    for (size_t i = 0; i < sizeof fiona_frames / sizeof fiona_frames[0]; i++)
        CHECK_EQ_INT(feed_row(&ngap_proto, st, &fiona_frames[i], 5000 + i, &em), PARSE_OK);
    ngap_proto.state_free(st);
}

TEST(row_concealed_suci)
{
    /* the counters' slots, by name (ranbind.c keeps its enum private) */
    size_t opened = 0, test_key = 0, closed = 0;
    for (size_t i = 0; i < ngap_proto.ncounters; i++) {
        const char *n = ngap_proto.counter_names[i];
        if (!n)
            continue;
        if (!strcmp(n, "ngap_suci_deconcealed"))
            opened = i;
        else if (!strcmp(n, "ngap_suci_deconcealed_test_key"))
            test_key = i;
        else if (!strcmp(n, "ngap_suci_concealed"))
            closed = i;
    }
    CHECK(opened && test_key && closed);
    static struct sink k;
    uint64_t c[PROTO_MAX_COUNTERS];
    /* the test keys open it: her session is hers, and said to be so by a
     * test key; the Deregistration request naming her by the same SUCI is
     * not opened again */
    struct suci_keys keys;
    suci_keys_init(&keys);
    run_fiona(&keys, &k, c);
    CHECK_EQ_INT(c[test_key], 1);
    CHECK_EQ_INT(c[opened] + c[closed], 0);
    CHECK(k.nb >= 2);
    CHECK(k.nb >= 1 && k.b[0].op == BIND_OPEN && !strcmp(k.b[0].imsi, "274012001002086"));
    CHECK(k.nb >= 1 && k.b[k.nb - 1].op == BIND_CLOSE &&
          !strcmp(k.b[k.nb - 1].imsi, "274012001002086"));
    /* a configured key under her key id 27: counted as such */
    static const char file[] =
        "27 A c53c22208b61860b06c62e5406a7b330c2b577aa5558981510d128247d38bd1d\n";
    struct err e;
    CHECK_EQ_INT(suci_keys_parse(&keys, "k", file, strlen(file), &e), 0);
    run_fiona(&keys, &k, c);
    CHECK_EQ_INT(c[opened], 1);
    CHECK_EQ_INT(c[test_key] + c[closed], 0);
    /* the right key under another id opens nothing, nor do no keys: her
     * session names nobody, and the SUCI is counted as still concealed
     * (once, at the registration) */
    keys.k[0].id = 26;
    keys.n = 1;
    run_fiona(&keys, &k, c);
    CHECK_EQ_INT(c[opened] + c[test_key], 0);
    CHECK_EQ_INT(c[closed], 2);
    for (unsigned i = 0; i < k.nb; i++)
        CHECK(!k.b[i].imsi[0]);
    run_fiona(NULL, &k, c);
    CHECK_EQ_INT(c[opened] + c[test_key], 0);
    CHECK_EQ_INT(c[closed], 2);
    for (unsigned i = 0; i < k.nb; i++)
        CHECK(!k.b[i].imsi[0]);
    /* the NAS decoder keeps what the row needs, and the Profile B SUCI */
    struct ran_msg m;
    struct nas_msg n;
    ng_decode(&(struct fx)FX(fx_ngap_gus), &m);
    CHECK_EQ_INT(nas5(m.nas[0], NAS_CIPHER_UNKNOWN, &n), PARSE_OK);
    CHECK(!n.imsi[0] && n.suci_scheme == SUCI_PROFILE_B && n.suci_key_id == 27);
    CHECK_STR(n.suci_plmn, "274012");
    CHECK_EQ_INT(n.suci_out.n, 33 + 5 + 8);
    char msin[16];
    bool test = false;
    suci_keys_init(&keys);
    CHECK_EQ_INT(suci_open_msin(&keys, n.suci_scheme, n.suci_key_id, n.suci_out, msin,
                                sizeof msin, &test),
                 SUCI_OPENED);
    CHECK_STR(msin, "001002086");
}

int main(void)
{
    RUN(aper_bits);
    RUN(s1ap_messages);
    RUN(nas_messages);
    RUN(ngap_messages);
    RUN(row_concealed_suci);
    RUN(nas5_messages);
    RUN(row_attach_sms_detach);
    RUN(row_registration_sms_deregistration);
    RUN(row_ue_comes_back_through_another_enb);
    RUN(row_ue_comes_back_through_another_gnb);
    RUN(row_same_tmsi_other_mme);
    RUN(row_x2_handover);
    RUN(row_xn_handover);
    RUN(row_s1_handover);
    RUN(row_n2_handover);
    RUN(pdn_address_types);
    RUN(row_ipv6_only_pdn);
    RUN(erab_setup_second_pdn);
    RUN(detach_closes_every_pdn);
    RUN(bearer_release_closes_its_pdn);
    RUN(ipv6_only_pdn_release);
    RUN(pdu_session_release_closes_it);
    RUN(configuration_update_new_guti);
    RUN(row_without_attach);
    RUN(row_bounded);
    RUN(row_reuses_retired);
    RUN(every_prefix);
    return harness_done();
}
