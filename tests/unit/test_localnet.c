/* test_localnet.c - local endpoints: home networks and private space
 * (report/localnet.h), and the trapline_local SQL function. */
#include "report/localnet.h"

#include <sqlite3.h>
#include <string.h>

#include "tests/harness.h"

TEST(private_space)
{
    struct localnet ln = {0};
    static const char *const local[] = {"10.1.2.3", "172.16.0.1", "172.31.255.255",
                                        "192.168.2.12", "100.64.0.1", "100.127.255.255",
                                        "169.254.1.1", "127.0.0.1", "fd00::1", "fc12::1",
                                        "fe80::1", "::1"};
    static const char *const remote[] = {"91.252.56.51", "31.13.86.48", "172.32.0.1",
                                         "172.15.255.255", "100.128.0.1", "100.63.255.255",
                                         "2001:db8::10", "2a03:2880::1", "fec0::1", "",
                                         "not-an-ip", "10.0.0.1/8"};
    for (size_t i = 0; i < sizeof local / sizeof local[0]; i++)
        CHECK(localnet_is_local(&ln, local[i]));
    for (size_t i = 0; i < sizeof remote / sizeof remote[0]; i++)
        CHECK(!localnet_is_local(&ln, remote[i]));
    CHECK(!localnet_is_local(&ln, NULL));
}

TEST(home_nets)
{
    struct localnet ln = {0};
    struct err e = {""};
    CHECK_EQ_INT(localnet_add(&ln, "203.0.113.0/24, 2001:db8::/33,198.51.100.7", &e), 0);
    CHECK_EQ_INT(ln.n, 3);
    CHECK(localnet_in_home(&ln, "203.0.113.200"));
    CHECK(!localnet_in_home(&ln, "203.0.114.1"));
    CHECK(localnet_in_home(&ln, "2001:db8:7fff::1"));
    CHECK(!localnet_in_home(&ln, "2001:db8:8000::1"));
    CHECK(localnet_in_home(&ln, "198.51.100.7"));
    CHECK(!localnet_in_home(&ln, "198.51.100.8"));
    CHECK(localnet_is_local(&ln, "203.0.113.1"));
    CHECK(!localnet_in_home(&ln, "10.0.0.1")); /* private, but not a home network */
    /* /0 covers its family only */
    struct localnet all = {0};
    CHECK_EQ_INT(localnet_add(&all, "0.0.0.0/0", &e), 0);
    CHECK(localnet_in_home(&all, "8.8.8.8"));
    CHECK(!localnet_in_home(&all, "2001:4860::8888"));
}

TEST(malformed)
{
    static const char *const bad[] = {"10.0.0.0/33", "::/129", "10.0.0/8", "10.0.0.0/",
                                      "10.0.0.0/8x", "example.com", "10.0.0.0/-1",
                                      "1111111111111111111111111111111111111111111111111111111111111111/8"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct localnet ln = {0};
        struct err e = {""};
        CHECK_EQ_INT(localnet_add(&ln, bad[i], &e), RC_USAGE);
        CHECK(strstr(e.msg, "--home-net") != NULL);
    }
    struct localnet ln = {0};
    struct err e = {""};
    CHECK_EQ_INT(localnet_add(&ln, NULL, &e), 0);
    CHECK_EQ_INT(localnet_add(&ln, " , ,", &e), 0);
    CHECK_EQ_INT(ln.n, 0);
}

TEST(limit)
{
    struct localnet ln = {0};
    struct err e = {""};
    for (int i = 0; i < LOCALNET_MAX + 3; i++)
        CHECK_EQ_INT(localnet_add(&ln, "198.18.0.0/15", &e), 0);
    CHECK_EQ_INT(ln.n, LOCALNET_MAX);
    CHECK_EQ_INT(ln.dropped, 3);
}

TEST(sql)
{
    struct localnet ln = {0};
    struct err e = {""};
    CHECK_EQ_INT(localnet_add(&ln, "203.0.113.0/24", &e), 0);
    sqlite3 *db;
    CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
    CHECK_EQ_INT(localnet_register(db, &ln), 0);
    sqlite3_stmt *st;
    CHECK(sqlite3_prepare_v2(db, "SELECT trapline_local('203.0.113.9'), trapline_local('8.8.8.8'),"
                                 " trapline_local('192.168.1.1'), trapline_local(NULL)",
                             -1, &st, NULL) == SQLITE_OK);
    CHECK(sqlite3_step(st) == SQLITE_ROW);
    CHECK_EQ_INT(sqlite3_column_int(st, 0), 1);
    CHECK_EQ_INT(sqlite3_column_int(st, 1), 0);
    CHECK_EQ_INT(sqlite3_column_int(st, 2), 1);
    CHECK_EQ_INT(sqlite3_column_int(st, 3), 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

int main(void)
{
    RUN(private_space);
    RUN(home_nets);
    RUN(malformed);
    RUN(limit);
    RUN(sql);
    return harness_done();
}
