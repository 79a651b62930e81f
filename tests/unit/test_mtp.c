/* test_mtp.c - SS7 link types (capture/mtp.c): MTP2 with and without the
 * pseudo-header and MTP3, decoded into the pseudo network layer the flow
 * table keys (issue 19).
 *
 * Fixtures are frames of the generated captures (pcaps/gen/sms_ss7.c,
 * sms_gen_mtp); every prefix of each is decoded from an exactly sized heap
 * copy, so ASan sees any overread. */
#include <stdlib.h>
#include <string.h>

#include "capture/decode.h"
#include "capture/flow_table.h"
#include "capture/mtp.h"
#include "report/record.h"
#include "report/tshark_filter.h"
#include "tests/harness.h"

/* pcaps/sms_mtp3.pcap frame 2: MTP3 (SI 3, OPC 100, DPC 200, SLS 5) / SCCP
 * UDT / TCAP END (returnResultLast of the mo-forwardSM). */
static const uint8_t fx_mtp3[] = {
    0x83, 0xc8, 0x00, 0x19, 0x50, 0x09, 0x80, 0x03, 0x0e, 0x19, 0x0b, 0x12,
    0x08, 0x00, 0x11, 0x04, 0x51, 0x55, 0x00, 0x00, 0x00, 0xf2, 0x0b, 0x12,
    0x08, 0x00, 0x11, 0x04, 0x51, 0x55, 0x00, 0x00, 0x00, 0xf1, 0x0f, 0x64,
    0x0d, 0x49, 0x04, 0x00, 0x00, 0x09, 0x01, 0x6c, 0x05, 0xa2, 0x03, 0x02,
    0x01, 0x01};

/* pcaps/sms_mtp2_phdr.pcap frame 4: pseudo-header (received, no Annex A,
 * link 3), MTP2 (BSN 2, FSN 1, LI 50), then the message above. */
static const uint8_t fx_phdr[] = {
    0x00, 0x00, 0x00, 0x03, 0x82, 0x81, 0x32, 0x83, 0xc8, 0x00, 0x19, 0x50,
    0x09, 0x80, 0x03, 0x0e, 0x19, 0x0b, 0x12, 0x08, 0x00, 0x11, 0x04, 0x51,
    0x55, 0x00, 0x00, 0x00, 0xf2, 0x0b, 0x12, 0x08, 0x00, 0x11, 0x04, 0x51,
    0x55, 0x00, 0x00, 0x00, 0xf1, 0x0f, 0x64, 0x0d, 0x49, 0x04, 0x00, 0x00,
    0x09, 0x01, 0x6c, 0x05, 0xa2, 0x03, 0x02, 0x01, 0x01};

/* pcaps/sms_mtp2.pcap frames 1 and 2: a link status signal unit (LI 1,
 * SIOS) and a fill-in signal unit (LI 0). */
static const uint8_t fx_lssu[] = {0x81, 0x81, 0x01, 0x03};
static const uint8_t fx_fisu[] = {0x81, 0x81, 0x00};

/* Synthetic: the frame of fx_phdr with annex_a_used = 1 and the 6-byte
 * extended MTP2 header (Q.703 Annex A: BSN, FSN, LI 50 little-endian). */
static uint8_t fx_annex_a[sizeof fx_mtp3 + 10];

struct decoded {
    enum parse_rc rc;
    struct pkt_view v;
    uint8_t *buf;
};

static struct decoded decode_copy(int lt, const uint8_t *b, size_t n)
{
    struct decoded d;
    d.buf = malloc(n ? n : 1);
    if (!d.buf)
        exit(2);
    if (n)
        memcpy(d.buf, b, n);
    d.rc = decode_packet(lt, d.buf, (uint32_t)n, (uint32_t)n, 1700000000000000u, &d.v);
    return d;
}

static uint32_t pc_of(const struct ip_addr *a)
{
    return (uint32_t)a->a[0] << 24 | (uint32_t)a->a[1] << 16 | (uint32_t)a->a[2] << 8 | a->a[3];
}

/* A decoded MSU of fx_mtp3 behind hdr bytes of link header. */
static void check_msu(const struct decoded *d, size_t hdr, uint16_t link)
{
    CHECK_EQ_INT(d->rc, PARSE_OK);
    CHECK_EQ_INT(d->v.ip_version, PKT_FAMILY_MTP3);
    CHECK_EQ_INT(d->v.src.family, PKT_FAMILY_MTP3);
    CHECK_EQ_INT(pc_of(&d->v.src), 100);
    CHECK_EQ_INT(pc_of(&d->v.dst), 200);
    CHECK_EQ_INT(d->v.l4proto, L4_MTP3);
    CHECK(d->v.has_ports);
    CHECK_EQ_INT(d->v.sport, 3);
    CHECK_EQ_INT(d->v.dport, 3);
    CHECK_EQ_INT(d->v.mtp_link, link);
    CHECK(d->v.payload.p == d->buf + hdr);
    CHECK_EQ_INT(d->v.payload.n, sizeof fx_mtp3);
    CHECK_EQ_INT(d->v.payload_len, sizeof fx_mtp3);
    CHECK_EQ_INT(d->v.l3.n, 0); /* no IP: nDPI never sees it */
}

TEST(mtp3_link)
{
    struct decoded d = decode_copy(LINK_MTP3, fx_mtp3, sizeof fx_mtp3);
    check_msu(&d, 0, 0);
    free(d.buf);
}

TEST(mtp2_phdr_link)
{
    struct decoded d = decode_copy(LINK_MTP2_WITH_PHDR, fx_phdr, sizeof fx_phdr);
    check_msu(&d, 7, 3);
    free(d.buf);
    d = decode_copy(LINK_MTP2, fx_phdr + 4, sizeof fx_phdr - 4);
    check_msu(&d, 3, 0);
    free(d.buf);
}

TEST(annex_a)
{
    memcpy(fx_annex_a, fx_phdr, 4);
    fx_annex_a[1] = 1; /* annex_a_used */
    static const uint8_t ext[6] = {0x02, 0x80, 0x01, 0x80, 50, 0x00};
    memcpy(fx_annex_a + 4, ext, sizeof ext);
    memcpy(fx_annex_a + 10, fx_mtp3, sizeof fx_mtp3);
    struct decoded d = decode_copy(LINK_MTP2_WITH_PHDR, fx_annex_a, sizeof fx_annex_a);
    check_msu(&d, 10, 3);
    free(d.buf);
    /* extended LI 0 / 2: fill-in, link status */
    fx_annex_a[8] = 2;
    d = decode_copy(LINK_MTP2_WITH_PHDR, fx_annex_a, sizeof fx_annex_a);
    CHECK_EQ_INT(d.rc, PARSE_INVALID);
    free(d.buf);
}

TEST(no_mtp3_in_fisu_lssu)
{
    struct decoded d = decode_copy(LINK_MTP2, fx_lssu, sizeof fx_lssu);
    CHECK_EQ_INT(d.rc, PARSE_INVALID);
    CHECK(d.v.anomalies & ANOM_UNKNOWN_L3);
    CHECK_EQ_INT(d.v.ip_version, 0);
    free(d.buf);
    d = decode_copy(LINK_MTP2, fx_fisu, sizeof fx_fisu);
    CHECK_EQ_INT(d.rc, PARSE_INVALID);
    CHECK_EQ_INT(d.v.ip_version, 0);
    free(d.buf);
    /* LI 2 with data behind it is still a link status unit */
    static const uint8_t lssu2[] = {0x81, 0x81, 0x02, 0x03, 0x00, 0x83, 0xc8, 0x00, 0x19, 0x50};
    d = decode_copy(LINK_MTP2, lssu2, sizeof lssu2);
    CHECK_EQ_INT(d.rc, PARSE_INVALID);
    free(d.buf);
}

/* Every prefix: TRUNCATED until the routing label is complete (then OK),
 * INVALID for a FISU/LSSU once its LI is read, never a view with an
 * address and never a span outside the copy. */
static void prefixes(int lt, const uint8_t *b, size_t n, size_t ok_from, enum parse_rc full)
{
    for (size_t k = 0; k <= n; k++) {
        struct decoded d = decode_copy(lt, b, k);
        enum parse_rc want = k >= ok_from ? full : PARSE_TRUNCATED;
        bool ok = d.rc == want;
        if (d.rc == PARSE_TRUNCATED)
            ok &= d.v.ip_version == 0 && (d.v.anomalies & ANOM_TRUNCATED);
        if (d.rc == PARSE_OK)
            ok &= d.v.payload.p >= d.buf && d.v.payload.n <= k &&
                  (size_t)(d.v.payload.p - d.buf) + d.v.payload.n == k;
        if (!ok)
            fprintf(stderr, "prefix lt %d k=%zu: rc %d\n", lt, k, d.rc);
        CHECK(ok);
        free(d.buf);
    }
}

TEST(every_prefix)
{
    prefixes(LINK_MTP3, fx_mtp3, sizeof fx_mtp3, 5, PARSE_OK);
    prefixes(LINK_MTP2_WITH_PHDR, fx_phdr, sizeof fx_phdr, 12, PARSE_OK);
    prefixes(LINK_MTP2, fx_phdr + 4, sizeof fx_phdr - 4, 8, PARSE_OK);
    prefixes(LINK_MTP2, fx_lssu, sizeof fx_lssu, 3, PARSE_INVALID);
    prefixes(LINK_MTP2, fx_fisu, sizeof fx_fisu, 3, PARSE_INVALID);
    memcpy(fx_annex_a, fx_phdr, 4);
    fx_annex_a[1] = 1;
    static const uint8_t ext[6] = {0x02, 0x80, 0x01, 0x80, 50, 0x00};
    memcpy(fx_annex_a + 4, ext, sizeof ext);
    memcpy(fx_annex_a + 10, fx_mtp3, sizeof fx_mtp3);
    prefixes(LINK_MTP2_WITH_PHDR, fx_annex_a, sizeof fx_annex_a, 15, PARSE_OK);
}

/* Both directions of a point-code pair are one flow; another link number
 * or service indicator is another flow; the record shows point codes. */
TEST(flow_key_and_record)
{
    uint8_t rev[sizeof fx_phdr];
    memcpy(rev, fx_phdr, sizeof rev);
    /* swap OPC and DPC in the label: DPC 100, OPC 200 (SLS 5) */
    uint32_t rl = 100u | 200u << 14 | 5u << 28;
    for (int i = 0; i < 4; i++)
        rev[8 + i] = (uint8_t)(rl >> (8 * i));
    struct decoded a = decode_copy(LINK_MTP2_WITH_PHDR, fx_phdr, sizeof fx_phdr);
    struct decoded b = decode_copy(LINK_MTP2_WITH_PHDR, rev, sizeof rev);
    CHECK_EQ_INT(pc_of(&b.v.src), 200);
    struct flow_key ka, kb;
    bool sa, sb;
    CHECK(flow_table_key(&a.v, &ka, &sa));
    CHECK(flow_table_key(&b.v, &kb, &sb));
    CHECK(memcmp(&ka, &kb, sizeof ka) == 0);
    CHECK(sa != sb);
    CHECK_EQ_INT(ka.family, PKT_FAMILY_MTP3);
    CHECK_EQ_INT(ka.tunnel, 3);
    rev[3] = 4; /* another link */
    free(b.buf);
    b = decode_copy(LINK_MTP2_WITH_PHDR, rev, sizeof rev);
    CHECK(flow_table_key(&b.v, &kb, &sb));
    CHECK(memcmp(&ka, &kb, sizeof ka) != 0);
    char s[RECORD_ADDR_MAX];
    record_format_addr(ka.family, ka.a, s);
    CHECK_STR(s, "pc:100");
    record_format_addr(ka.family, ka.b, s);
    CHECK_STR(s, "pc:200");
    /* the flow's tshark filter names the point codes and the SI (tshark
     * selects the 4 MSUs of pcaps/sms_mtp2_phdr.pcap with it) */
    char flt[TSHARK_FILTER_MAX];
    CHECK_EQ_INT(tshark_filter_flow(L4_MTP3, "pc:200", 3, "pc:100", 3, 1709290800000240u,
                                    1709290800200600u, flt),
                 0);
    CHECK_STR(flt, "((mtp3.opc==200 && mtp3.dpc==100) || (mtp3.opc==100 && mtp3.dpc==200)) && "
                   "mtp3.service_indicator==3 && frame.time >= \"2024-03-01T11:00:00.000240Z\" "
                   "&& frame.time <= \"2024-03-01T11:00:00.200600Z\"");
    CHECK(tshark_filter_flow(L4_MTP3, "pc:2x", 3, "pc:100", 3, 0, 0, flt) < 0);
    free(a.buf);
    free(b.buf);
}

TEST(names)
{
    CHECK(decode_linktype_supported(LINK_MTP2_WITH_PHDR));
    CHECK(decode_linktype_supported(LINK_MTP2));
    CHECK(decode_linktype_supported(LINK_MTP3));
    CHECK_STR(decode_linktype_name(LINK_MTP2_WITH_PHDR), "MTP2_WITH_PHDR");
    CHECK_STR(decode_linktype_name(LINK_MTP2), "MTP2");
    CHECK_STR(decode_linktype_name(LINK_MTP3), "MTP3");
}

int main(void)
{
    RUN(mtp3_link);
    RUN(mtp2_phdr_link);
    RUN(annex_a);
    RUN(no_mtp3_in_fisu_lssu);
    RUN(every_prefix);
    RUN(flow_key_and_record);
    RUN(names);
    return harness_done();
}
