/* test_community_id.c - Community ID v1 against values computed by tshark
 * 4.0's communityid dissector (`tshark --enable-protocol communityid -T fields
 * -e communityid`) on the generated captures, seed 0. */
#include "report/community_id.h"

#include "tests/harness.h"

static const char *cid(uint8_t proto, const char *s, const char *d, uint16_t sp, uint16_t dp)
{
    static char out[COMMUNITY_ID_LEN + 1];
    if (community_id_v1(0, proto, s, d, sp, dp, out) != 0)
        return "(error)";
    return out;
}

/* pcaps/ott_tls.pcap, the three TLS flows' SYNs. */
TEST(tcp_v4)
{
    CHECK_STR(cid(6, "10.0.0.10", "17.57.144.116", 50101, 5223),
              "1:eKKPV3AvXdpS3wkLgmxjEF6KJsE=");
    CHECK_STR(cid(6, "10.0.0.10", "13.248.212.111", 50102, 443),
              "1:W0WElPrkl3UOB94aFdtrTJnrp/w=");
    CHECK_STR(cid(6, "10.0.0.10", "157.240.0.53", 50103, 443),
              "1:f7UVQPjQgBkLTojVWYHjQs4Kyfc=");
}

/* Both directions give the same id (canonical order). pcaps/background.pcap. */
TEST(direction_independent)
{
    CHECK_STR(cid(6, "93.184.216.34", "10.0.0.10", 80, 50201), "1:2u4EF4YNhLxA+XsPMXgLHTwFNuk=");
    CHECK_STR(cid(6, "10.0.0.10", "93.184.216.34", 50201, 80), "1:2u4EF4YNhLxA+XsPMXgLHTwFNuk=");
    CHECK_STR(cid(17, "10.0.0.1", "10.0.0.10", 53, 40101), "1:OYSc2yRq/AW5X6seNGvjQ6++q5o=");
    CHECK_STR(cid(17, "10.0.0.10", "10.0.0.1", 40101, 53), "1:OYSc2yRq/AW5X6seNGvjQ6++q5o=");
    /* equal ports: address order decides */
    CHECK_STR(cid(17, "162.159.200.1", "10.0.0.10", 123, 123), "1:k+Ubsi9jMpHDUCg/LbbhwWAA9ec=");
}

/* pcaps/background.pcap IPv6 flows; pcaps/sctp.pcap M3UA association. */
TEST(v6_and_sctp)
{
    CHECK_STR(cid(6, "2001:db8::10", "2001:db8::80", 50601, 443),
              "1:K4q5PCBn5+XfInLOqaueCYxJonY=");
    CHECK_STR(cid(17, "2001:db8::53", "2001:db8::10", 53, 40120),
              "1:aZ2eulkhZl/OHqxP6wjlFfPtqOA=");
    CHECK_STR(cid(132, "10.0.0.30", "10.0.0.20", 2905, 2905), "1:bOTJpr6/AOI6MWLALxf4WYliSwU=");
}

/* ICMP echo request (type 8, code 0) from pcaps/background.pcap. */
TEST(icmp)
{
    CHECK_STR(cid(1, "10.0.0.10", "93.184.216.34", 8, 0), "1:DMUAzUyrHgUsVIf1teouyTkRJNM=");
    /* the reply (type 0) maps to the same conversation */
    CHECK_STR(cid(1, "93.184.216.34", "10.0.0.10", 0, 0), "1:DMUAzUyrHgUsVIf1teouyTkRJNM=");
}

TEST(bad_input)
{
    char out[COMMUNITY_ID_LEN + 1];
    CHECK(community_id_v1(0, 6, "10.0.0.1", "2001:db8::1", 1, 2, out) != 0);
    CHECK_STR(out, "");
    CHECK(community_id_v1(0, 6, "not-an-ip", "10.0.0.1", 1, 2, out) != 0);
    CHECK(community_id_v1(0, 6, NULL, "10.0.0.1", 1, 2, out) != 0);
    /* a different seed gives a different id */
    CHECK(community_id_v1(1, 6, "10.0.0.10", "17.57.144.116", 50101, 5223, out) == 0);
    CHECK(strcmp(out, "1:eKKPV3AvXdpS3wkLgmxjEF6KJsE=") != 0);
}

int main(void)
{
    RUN(tcp_v4);
    RUN(direction_independent);
    RUN(v6_and_sctp);
    RUN(icmp);
    RUN(bad_input);
    return harness_done();
}
