/* test_record.c - address text of flow records: the hand-written dotted
 * quad against inet_ntop for every octet value and the edges, IPv6 and SS7
 * point codes. */
#include "report/record.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "tests/harness.h"

TEST(ipv4_as_inet_ntop)
{
    char got[RECORD_ADDR_MAX], want[INET_ADDRSTRLEN];
    int bad = 0;
    for (unsigned v = 0; v < 256; v++) {
        const uint8_t addrs[][4] = {{(uint8_t)v, 0, 0, 0}, {1, (uint8_t)v, 2, 3},
                                    {10, 20, (uint8_t)v, 255}, {255, 255, 255, (uint8_t)v}};
        for (size_t i = 0; i < sizeof addrs / sizeof addrs[0]; i++) {
            record_format_addr(4, addrs[i], got);
            inet_ntop(AF_INET, addrs[i], want, sizeof want);
            bad += strcmp(got, want) != 0;
        }
    }
    CHECK_EQ_INT(bad, 0);
    const uint8_t max[4] = {255, 255, 255, 255};
    record_format_addr(4, max, got);
    CHECK_STR(got, "255.255.255.255");
}

TEST(ipv6_and_point_code)
{
    char got[RECORD_ADDR_MAX];
    uint8_t a[16] = {0x20, 0x01, 0x0d, 0xb8};
    a[15] = 1;
    record_format_addr(6, a, got);
    CHECK_STR(got, "2001:db8::1");
    const uint8_t pc[4] = {0, 0, 0x12, 0x34};
    record_format_addr(PKT_FAMILY_MTP3, pc, got);
    CHECK_STR(got, "pc:4660");
}

int main(void)
{
    RUN(ipv4_as_inet_ntop);
    RUN(ipv6_and_point_code);
    return harness_done();
}
