/* sms_enc.c - SMS fixture encoders (see sms_enc.h). */
#include "sms_enc.h"

#include <string.h>

/* GSM 7-bit default alphabet code of an ASCII character that has one
 * (TS 23.038 section 6.2.1): letters, digits, space and most punctuation
 * map to themselves; '@' is 0x00, '$' 0x02, '_' 0x11. */
static uint8_t gsm7_code(char ch)
{
    if (ch == '@')
        return 0x00;
    if (ch == '$')
        return 0x02;
    if (ch == '_')
        return 0x11;
    return (uint8_t)ch & 0x7f;
}

static void gsm7_pack(struct build_buf *out, const char *text, unsigned fill_bits)
{
    uint32_t acc = 0;
    unsigned bits = fill_bits;
    for (const char *p = text; *p; p++) {
        acc |= (uint32_t)gsm7_code(*p) << bits;
        bits += 7;
        while (bits >= 8) {
            build_u8(out, (uint8_t)acc);
            acc >>= 8;
            bits -= 8;
        }
    }
    if (bits)
        build_u8(out, (uint8_t)acc);
}

void sms_enc_text(struct build_buf *out, const char *text, enum sms_enc_dcs dcs,
                  unsigned fill_bits)
{
    if (dcs == SMS_ENC_GSM7) {
        gsm7_pack(out, text, fill_bits);
    } else if (dcs == SMS_ENC_UCS2) {
        for (const char *p = text; *p; p++)
            build_be16(out, (uint8_t)*p);
    } else {
        build_str(out, text);
    }
}

void sms_enc_tbcd(struct build_buf *out, const char *d)
{
    size_t n = strlen(d);
    for (size_t i = 0; i < n; i += 2) {
        uint8_t lo = (uint8_t)(d[i] - '0');
        uint8_t hi = i + 1 < n ? (uint8_t)(d[i + 1] - '0') : 0x0f;
        build_u8(out, (uint8_t)(hi << 4 | lo));
    }
}

void sms_enc_toa_digits(struct build_buf *out, uint8_t toa, const char *digits)
{
    build_u8(out, toa);
    sms_enc_tbcd(out, digits);
}

void sms_enc_tp_addr(struct build_buf *out, const char *addr, unsigned ton, unsigned npi)
{
    uint8_t toa = (uint8_t)(0x80 | ton << 4 | npi);
    if (ton == 5) {
        size_t chars = strlen(addr);
        build_u8(out, (uint8_t)((chars * 7 + 3) / 4)); /* useful semi-octets */
        build_u8(out, toa);
        gsm7_pack(out, addr, 0);
    } else {
        build_u8(out, (uint8_t)strlen(addr));
        build_u8(out, toa);
        sms_enc_tbcd(out, addr);
    }
}

/* TP-UDL and TP-UD, with a concatenation UDH when cc->total > 0. */
static void user_data(struct build_buf *out, enum sms_enc_dcs dcs, const char *text,
                      const struct sms_enc_concat *cc)
{
    size_t n = strlen(text);
    bool udh = cc && cc->total;
    size_t udh_len = udh ? 6 : 0; /* UDHL + IEI 00, len 3, ref, total, part */
    if (dcs == SMS_ENC_GSM7) {
        size_t fill = udh ? (7 - (udh_len * 8) % 7) % 7 : 0;
        build_u8(out, (uint8_t)((udh_len * 8 + fill) / 7 + n)); /* septets */
        if (udh) {
            uint8_t h[6] = {5, 0x00, 3, cc->ref, cc->total, cc->part};
            build_bytes(out, h, sizeof h);
        }
        sms_enc_text(out, text, dcs, (unsigned)fill);
        return;
    }
    build_u8(out, (uint8_t)(udh_len + (dcs == SMS_ENC_UCS2 ? 2 * n : n)));
    if (udh) {
        uint8_t h[6] = {5, 0x00, 3, cc->ref, cc->total, cc->part};
        build_bytes(out, h, sizeof h);
    }
    sms_enc_text(out, text, dcs, 0);
}

void sms_enc_submit(struct build_buf *out, uint8_t mr, const char *da, unsigned ton,
                    unsigned npi, enum sms_enc_dcs dcs, const char *text,
                    const struct sms_enc_concat *cc)
{
    /* MTI 01, VPF 10 (relative), SRR, UDHI when concatenated */
    build_u8(out, (uint8_t)(0x01 | 0x10 | 0x20 | (cc && cc->total ? 0x40 : 0)));
    build_u8(out, mr);
    sms_enc_tp_addr(out, da, ton, npi);
    build_u8(out, 0x00); /* PID */
    build_u8(out, (uint8_t)dcs);
    build_u8(out, 0xa7); /* VP: 24 hours */
    user_data(out, dcs, text, cc);
}

/* 24-03-01 10:<minute>:00 +00, semi-octets swapped (TS 23.040 9.2.3.11). */
static void scts_at(struct build_buf *out, unsigned minute)
{
    uint8_t t[7] = {0x42, 0x30, 0x10, 0x01, 0x00, 0x00, 0x00};
    t[4] = (uint8_t)((minute % 10) << 4 | (minute / 10 % 10));
    build_bytes(out, t, sizeof t);
}

static void scts(struct build_buf *out) { scts_at(out, 0); }

void sms_enc_deliver_at(struct build_buf *out, const char *oa, unsigned ton, unsigned npi,
                        enum sms_enc_dcs dcs, const char *text, const struct sms_enc_concat *cc,
                        unsigned minute)
{
    build_u8(out, (uint8_t)(0x00 | 0x04 | (cc && cc->total ? 0x40 : 0))); /* MMS: no more */
    sms_enc_tp_addr(out, oa, ton, npi);
    build_u8(out, 0x00);
    build_u8(out, (uint8_t)dcs);
    scts_at(out, minute);
    user_data(out, dcs, text, cc);
}

void sms_enc_deliver(struct build_buf *out, const char *oa, unsigned ton, unsigned npi,
                     enum sms_enc_dcs dcs, const char *text, const struct sms_enc_concat *cc)
{
    sms_enc_deliver_at(out, oa, ton, npi, dcs, text, cc, 0);
}

void sms_enc_status_report(struct build_buf *out, uint8_t mr, const char *ra)
{
    build_u8(out, 0x02);
    build_u8(out, mr);
    sms_enc_tp_addr(out, ra, 1, 1);
    scts(out);
    scts(out);
    build_u8(out, 0x00); /* TP-ST: received by the SME */
}

void sms_enc_rp_data(struct build_buf *out, uint8_t mti, uint8_t mr, const char *smsc,
                     const struct build_buf *tpdu)
{
    struct build_buf a;
    build_reset(&a);
    sms_enc_toa_digits(&a, 0x91, smsc);
    build_u8(out, mti);
    build_u8(out, mr);
    if (mti == 0) {
        build_u8(out, 0);
        build_u8(out, (uint8_t)a.len);
        build_bytes(out, a.b, a.len);
    } else {
        build_u8(out, (uint8_t)a.len);
        build_bytes(out, a.b, a.len);
        build_u8(out, 0);
    }
    build_u8(out, (uint8_t)tpdu->len);
    build_bytes(out, tpdu->b, tpdu->len);
}

void sms_enc_rp_ack(struct build_buf *out, uint8_t mti, uint8_t mr)
{
    build_u8(out, mti);
    build_u8(out, mr);
}

void sms_enc_ber_raw(struct build_buf *out, uint8_t tag, const void *p, size_t n)
{
    build_u8(out, tag);
    if (n < 0x80) {
        build_u8(out, (uint8_t)n);
    } else if (n < 0x100) {
        build_u8(out, 0x81);
        build_u8(out, (uint8_t)n);
    } else {
        build_u8(out, 0x82);
        build_be16(out, (uint16_t)n);
    }
    build_bytes(out, p, n);
}

void sms_enc_ber(struct build_buf *out, uint8_t tag, const struct build_buf *content)
{
    sms_enc_ber_raw(out, tag, content->b, content->len);
    if (content->overflow)
        out->overflow = true;
}

size_t sms_enc_smpp_begin(struct build_buf *out, uint32_t id, uint32_t status, uint32_t seq)
{
    size_t start = out->len;
    build_be32(out, 0);
    build_be32(out, id);
    build_be32(out, status);
    build_be32(out, seq);
    return start;
}

void sms_enc_smpp_end(struct build_buf *out, size_t start)
{
    build_patch_be16(out, start + 2, (uint16_t)(out->len - start));
}

void sms_enc_cstr(struct build_buf *out, const char *s)
{
    build_str(out, s);
    build_u8(out, 0);
}

size_t sms_enc_diam_begin(struct build_buf *out, bool request, uint32_t code, uint32_t app,
                          uint32_t hbh, uint32_t e2e)
{
    size_t start = out->len;
    build_u8(out, 1);
    build_be24(out, 0);
    build_u8(out, request ? 0xc0 : 0x40); /* R, P */
    build_be24(out, code);
    build_be32(out, app);
    build_be32(out, hbh);
    build_be32(out, e2e);
    return start;
}

void sms_enc_diam_end(struct build_buf *out, size_t start)
{
    build_patch_be24(out, start + 1, (uint32_t)(out->len - start));
}

void sms_enc_avp(struct build_buf *out, uint32_t code, uint32_t vendor, const void *p, size_t n)
{
    build_be32(out, code);
    build_u8(out, vendor ? 0xc0 : 0x40); /* V?, M */
    build_be24(out, (uint32_t)((vendor ? 12 : 8) + n));
    if (vendor)
        build_be32(out, vendor);
    build_bytes(out, p, n);
    build_zero(out, (4 - n % 4) % 4);
}

void sms_enc_avp_u32(struct build_buf *out, uint32_t code, uint32_t vendor, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    sms_enc_avp(out, code, vendor, b, 4);
}

void sms_enc_avp_str(struct build_buf *out, uint32_t code, uint32_t vendor, const char *s)
{
    sms_enc_avp(out, code, vendor, s, strlen(s));
}
