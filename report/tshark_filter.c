/* tshark_filter.c - display filter for one flow (see tshark_filter.h). */
#include "report/tshark_filter.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static bool plain_addr(const char *a)
{
    if (!*a)
        return false;
    for (; *a; a++)
        if (!strchr("0123456789abcdefABCDEF.:", *a))
            return false;
    return true;
}

static void iso(uint64_t us, char out[32])
{
    time_t t = (time_t)(us / 1000000u);
    struct tm tm;
    gmtime_r(&t, &tm);
    size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 32 - n, ".%06uZ", (unsigned)(us % 1000000u));
}

int tshark_filter_flow(uint8_t proto, const char *src, uint16_t sport, const char *dst,
                       uint16_t dport, uint64_t first_us, uint64_t last_us,
                       char out[TSHARK_FILTER_MAX])
{
    out[0] = '\0';
    unsigned opc, dpc;
    char end;
    if (proto == 255 && sscanf(src, "pc:%u%c", &opc, &end) == 1 &&
        sscanf(dst, "pc:%u%c", &dpc, &end) == 1) {
        /* an SS7 link flow (capture/mtp.h): point codes and the service
         * indicator (the flow's "ports") of the MTP3 routing label */
        char t0[32], t1[32];
        iso(first_us, t0);
        iso(last_us, t1);
        int n = snprintf(out, TSHARK_FILTER_MAX,
                         "((mtp3.opc==%u && mtp3.dpc==%u) || (mtp3.opc==%u && mtp3.dpc==%u)) && "
                         "mtp3.service_indicator==%u && "
                         "frame.time >= \"%s\" && frame.time <= \"%s\"",
                         opc, dpc, dpc, opc, sport, t0, t1);
        (void)dport;
        if (n < 0 || n >= TSHARK_FILTER_MAX) {
            out[0] = '\0';
            return -1;
        }
        return 0;
    }
    if (!plain_addr(src) || !plain_addr(dst))
        return -1;
    const char *ip = strchr(src, ':') ? "ipv6" : "ip";
    const char *l4 = proto == 6 ? "tcp" : proto == 17 ? "udp" : proto == 132 ? "sctp" : NULL;
    char t0[32], t1[32];
    iso(first_us, t0);
    iso(last_us, t1);
    int n;
    if (l4)
        n = snprintf(out, TSHARK_FILTER_MAX,
                     "((%s.src==%s && %s.srcport==%u && %s.dst==%s && %s.dstport==%u) || "
                     "(%s.src==%s && %s.srcport==%u && %s.dst==%s && %s.dstport==%u)) && "
                     "frame.time >= \"%s\" && frame.time <= \"%s\"",
                     ip, src, l4, sport, ip, dst, l4, dport, ip, dst, l4, dport, ip, src, l4,
                     sport, t0, t1);
    else
        n = snprintf(out, TSHARK_FILTER_MAX,
                     "((%s.src==%s && %s.dst==%s) || (%s.src==%s && %s.dst==%s)) && %s==%u && "
                     "frame.time >= \"%s\" && frame.time <= \"%s\"",
                     ip, src, ip, dst, ip, dst, ip, src,
                     strcmp(ip, "ipv6") == 0 ? "ipv6.nxt" : "ip.proto", proto, t0, t1);
    if (n < 0 || n >= TSHARK_FILTER_MAX) {
        out[0] = '\0';
        return -1;
    }
    return 0;
}
