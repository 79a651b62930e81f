/* test_tgpp.c - 3GPP value encodings: TBCD, PLMN, ULI, APN. */
#include "classify/tgpp.h"

#include "tests/harness.h"

#define SPAN(a) ((struct span){a, sizeof a})

TEST(tbcd_and_digits)
{
    char out[TGPP_IMSI_MAX];
    /* IMSI 001010123456781 (TS 29.274 section 8.3: low nibble first, F fill) */
    const uint8_t imsi[] = {0x00, 0x01, 0x01, 0x21, 0x43, 0x65, 0x87, 0xf1};
    CHECK(tgpp_tbcd(SPAN(imsi), TGPP_IMSI_MAX - 1, out, sizeof out));
    CHECK_STR(out, "001010123456781");
    const uint8_t nine[] = {0x21, 0x43, 0x65, 0x87, 0x09, 0x21, 0x43, 0x65, 0x87, 0x09};
    CHECK(!tgpp_tbcd(SPAN(nine), TGPP_IMSI_MAX - 1, out, sizeof out)); /* cut at 15 */
    CHECK_STR(out, "123456789012345");
    const uint8_t bad[] = {0x21, 0xa3};
    tgpp_tbcd(SPAN(bad), 15, out, sizeof out);
    CHECK_STR(out, "123"); /* a non-decimal nibble ends the value */
    CHECK(!tgpp_tbcd((struct span){NULL, 0}, 15, out, sizeof out));
    CHECK(tgpp_digits((struct span){(const uint8_t *)"0012", 4}, out, sizeof out));
    CHECK_STR(out, "0012");
    CHECK(!tgpp_digits((struct span){(const uint8_t *)"00a2", 4}, out, sizeof out));
    CHECK_STR(out, "");
    CHECK(!tgpp_digits((struct span){(const uint8_t *)"12345678901234567890", 20}, out,
                       sizeof out));
}

TEST(uli)
{
    char out[TGPP_CELL_MAX];
    /* TAI and ECGI (flags 0x18) with a three-digit MNC: MCC 310, MNC 260,
     * TAC 0x1234; ECGI with the spare nibble set, ECI 0x2345678 */
    const uint8_t v2[] = {0x18, 0x13, 0x00, 0x62, 0x12, 0x34, 0x13, 0x00, 0x62, 0xf2, 0x34,
                          0x56, 0x78, 0x8f};
    CHECK(tgpp_uli_v2((struct span){v2, 13}, out, sizeof out));
    CHECK_STR(out, "tai:310-260-4660;ecgi:310-260-36984440");
    CHECK(!tgpp_uli_v2((struct span){v2, 9}, out, sizeof out)); /* ECGI cut */
    /* two-digit MNC (filler F), CGI; RAI with the 0xFF octet */
    const uint8_t cgi[] = {0, 0x00, 0xf1, 0x10, 0x00, 0x05, 0x00, 0x07};
    CHECK(tgpp_uli_typed(SPAN(cgi), out, sizeof out));
    CHECK_STR(out, "cgi:001-01-5-7");
    const uint8_t rai[] = {2, 0x00, 0xf1, 0x10, 0x00, 0x05, 0x09, 0xff};
    CHECK(tgpp_uli_typed(SPAN(rai), out, sizeof out));
    CHECK_STR(out, "rai:001-01-5-9");
    const uint8_t unk[] = {77, 1, 2, 3};
    CHECK(!tgpp_uli_typed(SPAN(unk), out, sizeof out));
    CHECK_STR(out, "");
    const uint8_t shortv[] = {129, 0x00, 0xf1};
    CHECK(!tgpp_uli_typed(SPAN(shortv), out, sizeof out));
    /* LAI; a tiny output buffer stays terminated */
    const uint8_t lai[] = {0x20, 0x00, 0xf1, 0x10, 0x00, 0x05};
    CHECK(tgpp_uli_v2(SPAN(lai), out, sizeof out));
    CHECK_STR(out, "lai:001-01-5");
    char tiny[4];
    tgpp_uli_v2(SPAN(lai), tiny, sizeof tiny);
    CHECK(strlen(tiny) < sizeof tiny);
}

TEST(apn)
{
    char out[TGPP_APN_MAX];
    bool cut;
    const uint8_t a[] = {8, 'i', 'n', 't', 'e', 'r', 'n', 'e', 't', 3, 'm', 'n', 'c'};
    tgpp_apn(SPAN(a), out, sizeof out, &cut);
    CHECK_STR(out, "internet.mnc");
    CHECK(!cut);
    char small[6];
    tgpp_apn(SPAN(a), small, sizeof small, &cut);
    CHECK(cut);
    CHECK_STR(small, "inter");
    const uint8_t zero[] = {0, 0, 0};
    tgpp_apn(SPAN(zero), out, sizeof out, &cut);
    CHECK(strlen(out) < 4);
}

int main(void)
{
    RUN(tbcd_and_digits);
    RUN(uli);
    RUN(apn);
    return harness_done();
}
