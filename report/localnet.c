/* localnet.c - local endpoints: home networks and private space (see
 * localnet.h). */
#include "report/localnet.h"

#include <arpa/inet.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest CIDR text: an IPv6 address (45) plus "/128". */
#define LOCALNET_CIDR_MAX 64

static bool parse_addr(const char *s, uint8_t *family, uint8_t out[16])
{
    memset(out, 0, 16);
    if (inet_pton(AF_INET, s, out) == 1) {
        *family = 4;
        return true;
    }
    if (inet_pton(AF_INET6, s, out) == 1) {
        *family = 6;
        return true;
    }
    return false;
}

static bool prefix_match(const uint8_t *a, const uint8_t *net, unsigned bits)
{
    unsigned whole = bits / 8, rest = bits % 8;
    if (memcmp(a, net, whole) != 0)
        return false;
    if (!rest)
        return true;
    uint8_t mask = (uint8_t)(0xff << (8 - rest));
    return (a[whole] & mask) == (net[whole] & mask);
}

int localnet_add(struct localnet *ln, const char *list, struct err *e)
{
    const char *p = list ? list : "";
    while (*p) {
        size_t n = strcspn(p, ", ");
        if (n == 0) {
            p++;
            continue;
        }
        char cidr[LOCALNET_CIDR_MAX];
        if (n >= sizeof cidr)
            return err_set(e, RC_USAGE, "--home-net: '%.*s' is too long", (int)n, p);
        memcpy(cidr, p, n);
        cidr[n] = '\0';
        p += n;
        struct localnet_net net = {0};
        char *slash = strchr(cidr, '/');
        long bits = -1;
        if (slash) {
            *slash = '\0';
            char *end;
            bits = strtol(slash + 1, &end, 10);
            if (end == slash + 1 || *end || bits < 0 || slash[1] == '-' || slash[1] == '+')
                bits = -2;
        }
        if (!parse_addr(cidr, &net.family, net.addr) || bits == -2 ||
            bits > (net.family == 4 ? 32 : 128))
            return err_set(e, RC_USAGE, "--home-net: '%s%s%s' is not an address or CIDR", cidr,
                           slash ? "/" : "", slash ? slash + 1 : "");
        net.bits = (uint8_t)(bits < 0 ? (net.family == 4 ? 32 : 128) : bits);
        if (ln->n == LOCALNET_MAX) {
            ln->dropped++;
            continue;
        }
        ln->net[ln->n++] = net;
    }
    return 0;
}

bool localnet_in_home(const struct localnet *ln, const char *addr)
{
    uint8_t fam, a[16];
    if (!ln || !addr || !parse_addr(addr, &fam, a))
        return false;
    for (size_t i = 0; i < ln->n; i++)
        if (ln->net[i].family == fam && prefix_match(a, ln->net[i].addr, ln->net[i].bits))
            return true;
    return false;
}

bool localnet_is_local(const struct localnet *ln, const char *addr)
{
    static const struct { uint8_t family, bits, addr[16]; } priv[] = {
        {4, 8, {10}},           {4, 12, {172, 16}},  {4, 16, {192, 168}},
        {4, 10, {100, 64}},     {4, 16, {169, 254}}, {4, 8, {127}},
        {6, 7, {0xfc}},         {6, 10, {0xfe, 0x80}},
        {6, 128, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}},
    };
    uint8_t fam, a[16];
    if (!addr || !parse_addr(addr, &fam, a))
        return false;
    for (size_t i = 0; i < sizeof priv / sizeof priv[0]; i++)
        if (priv[i].family == fam && prefix_match(a, priv[i].addr, priv[i].bits))
            return true;
    return localnet_in_home(ln, addr);
}

static void sql_local(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const unsigned char *s = sqlite3_value_text(argv[0]);
    sqlite3_result_int(cx, s && localnet_is_local(sqlite3_user_data(cx), (const char *)s));
}

int localnet_register(struct sqlite3 *db, const struct localnet *ln)
{
    return sqlite3_create_function(db, "trapline_local", 1,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC, (void *)ln, sql_local,
                                   NULL, NULL) == SQLITE_OK
               ? 0
               : RC_SQL;
}
