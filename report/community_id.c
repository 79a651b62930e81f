/* community_id.c - Community ID v1 (see community_id.h). */
#include "report/community_id.h"

#include <arpa/inet.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <stdbool.h>
#include <string.h>

#include "capture/rc.h"

#define PROTO_ICMP 1
#define PROTO_TCP 6
#define PROTO_UDP 17
#define PROTO_ICMP6 58
#define PROTO_SCTP 132

/* ICMP type pairs that form a two-way "conversation" (community-id-spec,
 * "ICMP/ICMPv6"): request type -> reply type.  RFC 792, RFC 4443, RFC 4861. */
static int icmp4_peer(int t)
{
    switch (t) {
    case 8: return 0;   case 0: return 8;    /* echo */
    case 13: return 14; case 14: return 13;  /* timestamp */
    case 15: return 16; case 16: return 15;  /* information */
    case 10: return 9;  case 9: return 10;   /* router solicitation / advertisement */
    case 17: return 18; case 18: return 17;  /* address mask */
    default: return -1;
    }
}

static int icmp6_peer(int t)
{
    switch (t) {
    case 128: return 129; case 129: return 128; /* echo */
    case 133: return 134; case 134: return 133; /* router */
    case 135: return 136; case 136: return 135; /* neighbour */
    case 130: return 131; case 131: return 130; /* multicast listener */
    case 144: return 145; case 145: return 144; /* home agent address discovery */
    default: return -1;
    }
}

static bool parse(const char *s, uint8_t out[16], size_t *len)
{
    if (inet_pton(AF_INET, s, out) == 1) {
        *len = 4;
        return true;
    }
    if (inet_pton(AF_INET6, s, out) == 1) {
        *len = 16;
        return true;
    }
    return false;
}

int community_id_v1(uint16_t seed, uint8_t proto, const char *saddr, const char *daddr,
                    uint16_t sport, uint16_t dport, char out[COMMUNITY_ID_LEN + 1])
{
    uint8_t a[16], b[16];
    size_t la, lb;
    out[0] = '\0';
    if (!saddr || !daddr || !parse(saddr, a, &la) || !parse(daddr, b, &lb) || la != lb)
        return RC_CONFIG;
    bool ports = proto == PROTO_TCP || proto == PROTO_UDP || proto == PROTO_SCTP ||
                 proto == PROTO_ICMP || proto == PROTO_ICMP6;
    bool one_way = false;
    if (proto == PROTO_ICMP || proto == PROTO_ICMP6) {
        /* sport = type, dport = code; the code is replaced by the peer type,
         * and one-way messages are never reordered. */
        int peer = proto == PROTO_ICMP ? icmp4_peer(sport) : icmp6_peer(sport);
        if (peer < 0)
            one_way = true;
        else
            dport = (uint16_t)peer;
    }
    int c = memcmp(a, b, la);
    if (!one_way && (c > 0 || (c == 0 && sport > dport))) {
        uint8_t t[16];
        memcpy(t, a, la);
        memcpy(a, b, la);
        memcpy(b, t, la);
        uint16_t p = sport;
        sport = dport;
        dport = p;
    }
    uint8_t buf[2 + 16 + 16 + 2 + 4];
    size_t n = 0;
    buf[n++] = (uint8_t)(seed >> 8);
    buf[n++] = (uint8_t)seed;
    memcpy(buf + n, a, la);
    n += la;
    memcpy(buf + n, b, la);
    n += la;
    buf[n++] = proto;
    buf[n++] = 0;
    if (ports) {
        buf[n++] = (uint8_t)(sport >> 8);
        buf[n++] = (uint8_t)sport;
        buf[n++] = (uint8_t)(dport >> 8);
        buf[n++] = (uint8_t)dport;
    }
    uint8_t md[SHA_DIGEST_LENGTH];
    SHA1(buf, n, md);
    memcpy(out, "1:", 2);
    /* EVP_EncodeBlock: 20 bytes -> 28 characters plus NUL. */
    EVP_EncodeBlock((unsigned char *)out + 2, md, SHA_DIGEST_LENGTH);
    return 0;
}
