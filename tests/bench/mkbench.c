/*
 * mkbench.c: build one large Ethernet pcap for `make bench` by repeating a capture set.
 *
 * Usage: mkbench -o OUT.pcap -n MIN_BYTES [-p MIN_PACKETS] [-m [-s STAGGER_MS]] DIR_OR_FILE...
 *
 * Reads every capture (*.pcap, *.pcapng, *.cap) under the given directories, recursively and
 * sorted by path, plus any file named directly, with libpcap. Writes one classic pcap file
 * (linktype EN10MB, microsecond timestamps) that repeats the whole set until the output holds
 * at least MIN_BYTES. Within one iteration the files are merged in timestamp order (a k-way
 * merge over a binary heap, ties broken by path order). Across iterations:
 *
 *   - Addresses of the OUTERMOST IPv4/IPv6 header are XORed with the 16-bit iteration number,
 *     so flows of different iterations never share a 5-tuple. IPv4 (RFC 791 §3.1): address
 *     bytes 2..3 (0-based; the first octet, and for iterations < 256 the first three octets,
 *     stay as they were, so 17.0.0.0/8 stays Apple and /24 lists keep matching). IPv6
 *     (RFC 8200 §3): address bytes 12..13, inside the interface identifier.
 *     Checksums are NOT fixed: the analysers under test (trapline, ndpiReader) never verify
 *     IP, TCP or UDP checksums, and the bench only measures their speed.
 *   - Timestamps are shifted so that iterations never overlap in time:
 *     ts = MKBENCH_EPOCH_S + i * (span + MKBENCH_ITER_GAP_US) + t, where t and span come from
 *     a compressed timeline (see below).
 *
 * Many-short-flows mode (-m; issue 12): iterations OVERLAP instead. One iteration is built in
 * memory once (gaps clamped to MKBENCH_SHORT_GAP_MAX_US, so an iteration lasts minutes, not
 * days), and iteration i starts STAGGER ms after iteration i-1 (default
 * MKBENCH_SHORT_STAGGER_MS); the iterations are merged in timestamp order (a heap over the
 * iterations, ties to the lower number), each with its own address XOR. Many copies of the same
 * traffic are then live at once: many flows, each short, and a large live flow table, the case
 * that stresses per-flow state, nDPI and the sink. -p asks for at least MIN_PACKETS packets
 * as well as MIN_BYTES bytes (whichever needs more iterations).
 *
 * Timeline compression (a deliberate deviation from "offset = i * (raw span + 3600 s)"): the
 * public capture set spans 1970..2024 (ndpi__discord.pcap starts at 42 s), so raw offsets
 * would overflow the 32-bit seconds field of classic pcap after two iterations. The merged
 * sequence is therefore replayed on a timeline in which every gap between consecutive merged
 * packets is clamped to +/- MKBENCH_GAP_MAX_US. Gaps up to an hour are kept exactly, so flow
 * timing and idle timeouts inside a burst of traffic are unchanged; longer silences become an
 * hour, which still expires every flow that the original silence expired in any analyser
 * whose idle timeout is at most an hour.
 *
 * Non-Ethernet link types get a synthetic Ethernet header. The ethertype comes from the SLL
 * protocol field, or from the IP version nibble for RAW and NULL/LOOP:
 *
 *   Ethernet (IEEE 802.3 §3.2)      Linux cooked v1, LINKTYPE_LINUX_SLL (113)
 *   +--------+--------+------+      +------+--------+--------+------------+----------+
 *   | dst 6  | src 6  | type |      | pkt  | ARPHRD | addr   | address 8  | protocol |
 *   +--------+--------+------+      | type | type 2 | len 2  |            | 2        |
 *    0        6        12   14      +------+--------+--------+------------+----------+
 *                                    0      2        4        6            14        16
 *   Linux cooked v2, LINKTYPE_LINUX_SLL2 (276)
 *   +----------+----------+---------+--------+------+------+-----------+
 *   | protocol | reserved | ifindex | ARPHRD | pkt  | addr | address 8 |
 *   | 2        | 2        | 4       | 2      | type | len  |           |
 *   +----------+----------+---------+--------+------+------+-----------+
 *    0          2          4         8        10     11     12          20
 *   NULL / LOOP (0 / 108): 4-byte address family (host / network order), then the IP packet.
 *   RAW (DLT 12 or 14, LINKTYPE 101): the IP packet itself.
 *
 * Output record (classic pcap, draft-ietf-opsawg-pcap §5), written by pcap_dump():
 *   +-----------+------------+----------------+-------------+-------------+
 *   | ts_sec 4  | ts_usec 4  | captured len 4 | wire len 4  | data ...    |
 *   +-----------+------------+----------------+-------------+-------------+
 *
 * One file (about 1100 lines, over the 800-line review mark) because bench.sh builds it with a
 * single cc command and nothing else links it. It is a standalone tool with no public API, so
 * it has no header. It reads packet bytes through its own small bounds-checked reader
 * (struct rd) instead of capture/cursor.h, so that it builds before, and independently of,
 * the main program.
 */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pcap/pcap.h>

/* One capture file per merge input, all open at once: stay under the usual 1024 fd limit. */
#define MKBENCH_MAX_FILES 1000
/* Directory nesting limit for the capture walk (symlinked directories are not followed). */
#define MKBENCH_MAX_DEPTH 32
/* libpcap's MAXIMUM_SNAPLEN; longer records are clipped and counted. */
#define MKBENCH_SNAPLEN 262144u
/* The iteration number is XORed into 16 address bits, so more would make tuples collide. */
#define MKBENCH_MAX_ITER 65536u
/* Output buffer size requested by the bench spec (fewer write(2) calls). */
#define MKBENCH_OUT_BUF (1u << 20)
/* Gap between iterations, and the largest gap kept between two merged packets. */
#define MKBENCH_ITER_GAP_US INT64_C(3600000000)
#define MKBENCH_GAP_MAX_US INT64_C(3600000000)
/* Many-short-flows mode (-m): the largest gap kept inside an iteration, and the default start
 * offset between consecutive iterations. */
#define MKBENCH_SHORT_GAP_MAX_US INT64_C(500000)
#define MKBENCH_SHORT_STAGGER_MS 250u
#define MKBENCH_SHORT_STAGGER_MAX_MS 3600000u
/* The first output packet is stamped 2020-01-01T00:00:00Z. */
#define MKBENCH_EPOCH_S INT64_C(1577836800)
/* pcap_dump() stores seconds as a signed 32-bit value (struct pcap_timeval) and libpcap
 * sign-extends it on reading, so stay below 2038 rather than the format's 2106. */
#define MKBENCH_TS_SEC_MAX INT64_C(2147483647)
#define MKBENCH_US_PER_S INT64_C(1000000)
/* VLAN tags + MPLS labels + PPPoE walked before giving up on finding the outer IP header. */
#define MKBENCH_MAX_ENCAP_DEPTH 8

/* Link types accepted. DLT_RAW is 12 on Linux and 14 on BSD/OS; LINKTYPE_RAW is 101. */
#define MKBENCH_DLT_NULL 0
#define MKBENCH_DLT_EN10MB 1
#define MKBENCH_DLT_RAW_12 12
#define MKBENCH_DLT_RAW_14 14
#define MKBENCH_LINKTYPE_RAW 101
#define MKBENCH_DLT_LOOP 108
#define MKBENCH_DLT_LINUX_SLL 113
#define MKBENCH_DLT_LINUX_SLL2 276

/* Header lengths and field offsets (see the diagrams above). */
#define ETH_HDR_LEN 14u
#define ETH_TYPE_OFF 12u
#define SLL_HDR_LEN 16u
#define SLL_PROTO_OFF 14u
#define SLL2_HDR_LEN 20u
#define SLL2_PROTO_OFF 0u
#define NULL_HDR_LEN 4u
#define PCAP_FILE_HDR_LEN 24u   /* classic pcap file header, draft-ietf-opsawg-pcap §4 */
#define PCAP_REC_HDR_LEN 16u    /* classic pcap record header, §5 */
#define IPV4_MIN_HDR 20u  /* RFC 791 §3.1 */
#define IPV4_SRC_OFF 12u
#define IPV4_DST_OFF 16u
#define IPV6_HDR_LEN 40u  /* RFC 8200 §3 */
#define IPV6_SRC_OFF 8u
#define IPV6_DST_OFF 24u
#define IPV4_XOR_OFF 2u   /* bytes 2..3 of an IPv4 address */
#define IPV6_XOR_OFF 12u  /* bytes 12..13 of an IPv6 address */

/* Ethertypes (IEEE 802 numbers, RFC 7042 appendix B). Values below 0x0600 are lengths. */
#define ETHERTYPE_MIN 0x0600u
#define ETHERTYPE_IPV4 0x0800u
#define ETHERTYPE_IPV6 0x86DDu
#define ETHERTYPE_VLAN 0x8100u
#define ETHERTYPE_QINQ 0x88A8u
#define ETHERTYPE_VLAN_9100 0x9100u
#define ETHERTYPE_MPLS_UC 0x8847u
#define ETHERTYPE_MPLS_MC 0x8848u
#define ETHERTYPE_PPPOE_SESS 0x8864u
#define PPPOE_HDR_LEN 6u        /* RFC 2516 §4 */
#define PPP_PROTO_IPV4 0x0021u  /* RFC 1332 */
#define PPP_PROTO_IPV6 0x0057u  /* RFC 5072 */
#define MPLS_BOTTOM_OF_STACK 0x100u /* RFC 3032 §2.1, the S bit */

/* ---- bounds-checked reader (compare lengths, sticky error) ---- */

struct rd {
    const uint8_t *base;
    size_t len, off;
    bool err;
};

static bool rd_need(struct rd *r, size_t n)
{
    if (r->err || n > r->len - r->off) {
        r->err = true;
        return false;
    }
    return true;
}

static bool rd_skip(struct rd *r, size_t n)
{
    if (!rd_need(r, n))
        return false;
    r->off += n;
    return true;
}

static uint8_t rd_peek_u8(struct rd *r)
{
    return rd_need(r, 1) ? r->base[r->off] : 0;
}

static uint16_t rd_be16(struct rd *r)
{
    uint16_t v;

    if (!rd_need(r, 2))
        return 0;
    v = (uint16_t)((r->base[r->off] << 8) | r->base[r->off + 1]);
    r->off += 2;
    return v;
}

static uint32_t rd_be32(struct rd *r)
{
    uint32_t hi = rd_be16(r);

    return (hi << 16) | rd_be16(r);
}

/* ---- capture file discovery ---- */

struct path_list {
    char **v;
    size_t n, cap;
};

static int path_list_add(struct path_list *pl, const char *path)
{
    char *copy;

    if (pl->n >= MKBENCH_MAX_FILES) {
        fprintf(stderr, "mkbench: more than %d capture files (MKBENCH_MAX_FILES)\n",
                MKBENCH_MAX_FILES);
        return -1;
    }
    if (pl->n == pl->cap) {
        size_t ncap = pl->cap ? pl->cap * 2 : 64;
        char **nv = realloc(pl->v, ncap * sizeof(*nv));

        if (!nv)
            goto nomem;
        pl->v = nv;
        pl->cap = ncap;
    }
    copy = strdup(path);
    if (!copy)
        goto nomem;
    pl->v[pl->n++] = copy;
    return 0;
nomem:
    fprintf(stderr, "mkbench: out of memory\n");
    return -1;
}

static void path_list_free(struct path_list *pl)
{
    for (size_t i = 0; i < pl->n; i++)
        free(pl->v[i]);
    free(pl->v);
    pl->v = NULL;
    pl->n = pl->cap = 0;
}

static int path_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_capture_ext(const char *name)
{
    static const char *const exts[] = { ".pcap", ".pcapng", ".cap" };
    size_t n = strlen(name);

    for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
        size_t e = strlen(exts[i]);

        if (n > e && strcasecmp(name + n - e, exts[i]) == 0)
            return true;
    }
    return false;
}

/* Recursion here is over the file system (bounded by MKBENCH_MAX_DEPTH), not packet data. */
static int walk_dir(const char *dir, unsigned depth, struct path_list *pl)
{
    DIR *d;
    struct dirent *de;
    int rc = 0;

    if (depth > MKBENCH_MAX_DEPTH) {
        fprintf(stderr, "mkbench: %s: nested deeper than %d, not read\n", dir,
                MKBENCH_MAX_DEPTH);
        return 0;
    }
    d = opendir(dir);
    if (!d) {
        fprintf(stderr, "mkbench: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    while (rc == 0 && (de = readdir(d)) != NULL) {
        char path[4096];
        struct stat st;
        int n;

        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        n = snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        if (n < 0 || (size_t)n >= sizeof(path)) {
            fprintf(stderr, "mkbench: %s/%s: path too long\n", dir, de->d_name);
            rc = -1;
            break;
        }
        if (lstat(path, &st) != 0) {
            fprintf(stderr, "mkbench: %s: %s\n", path, strerror(errno));
            rc = -1;
            break;
        }
        if (S_ISDIR(st.st_mode)) {
            rc = walk_dir(path, depth + 1, pl);
            continue;
        }
        /* A symlink counts if it points at a regular file; symlinked dirs could loop. */
        if (S_ISLNK(st.st_mode) && stat(path, &st) != 0)
            continue;
        if (S_ISREG(st.st_mode) && has_capture_ext(de->d_name))
            rc = path_list_add(pl, path);
    }
    closedir(d);
    return rc;
}

/* Sorted, de-duplicated list of capture paths from the command line operands. */
static int collect_paths(char **args, int nargs, struct path_list *pl)
{
    size_t w = 0;

    for (int i = 0; i < nargs; i++) {
        struct stat st;

        if (stat(args[i], &st) != 0) {
            fprintf(stderr, "mkbench: %s: %s\n", args[i], strerror(errno));
            return -1;
        }
        if (S_ISDIR(st.st_mode) ? walk_dir(args[i], 0, pl) : path_list_add(pl, args[i]))
            return -1;
    }
    if (pl->n)
        qsort(pl->v, pl->n, sizeof(pl->v[0]), path_cmp);
    for (size_t r = 0; r < pl->n; r++) {
        if (w > 0 && strcmp(pl->v[w - 1], pl->v[r]) == 0) {
            free(pl->v[r]);
            continue;
        }
        pl->v[w++] = pl->v[r];
    }
    pl->n = w;
    return 0;
}

static bool dlt_supported(int dlt)
{
    switch (dlt) {
    case MKBENCH_DLT_NULL:
    case MKBENCH_DLT_EN10MB:
    case MKBENCH_DLT_RAW_12:
    case MKBENCH_DLT_RAW_14:
    case MKBENCH_LINKTYPE_RAW:
    case MKBENCH_DLT_LOOP:
    case MKBENCH_DLT_LINUX_SLL:
    case MKBENCH_DLT_LINUX_SLL2:
        return true;
    default:
        return false;
    }
}

/* ---- packet conversion ---- */

/* Ethertype for an IP version nibble, or 0 when it is neither IPv4 nor IPv6. */
static uint16_t ethertype_for_version(uint8_t first_byte)
{
    switch (first_byte >> 4) {
    case 4:
        return ETHERTYPE_IPV4;
    case 6:
        return ETHERTYPE_IPV6;
    default:
        return 0;
    }
}

struct frame {
    size_t caplen;  /* bytes in the output buffer */
    size_t wirelen; /* wire length after adding/removing link headers */
};

/*
 * Builds an Ethernet frame in out[0, cap) from one captured packet (untrusted, borrowed).
 * Returns false, leaving *f unchanged, when no ethertype can be derived for it.
 */
static bool frame_build(int dlt, const uint8_t *pkt, size_t caplen, size_t wirelen,
                        uint8_t *out, size_t cap, struct frame *f)
{
    /* Locally administered unicast MACs (IEEE 802 §8.2: the U/L bit of the first octet). */
    static const uint8_t macs[12] = { 0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01 };
    struct rd r = { pkt, caplen, 0, false };
    size_t strip;
    uint16_t type;

    switch (dlt) {
    case MKBENCH_DLT_EN10MB: {
        size_t n = caplen < cap ? caplen : cap;

        memcpy(out, pkt, n);
        f->caplen = n;
        f->wirelen = wirelen > n ? wirelen : n;
        return true;
    }
    case MKBENCH_DLT_LINUX_SLL:
        strip = SLL_HDR_LEN;
        rd_skip(&r, SLL_PROTO_OFF);
        type = rd_be16(&r);
        break;
    case MKBENCH_DLT_LINUX_SLL2:
        strip = SLL2_HDR_LEN;
        rd_skip(&r, SLL2_PROTO_OFF);
        type = rd_be16(&r);
        rd_skip(&r, SLL2_HDR_LEN - SLL2_PROTO_OFF - 2);
        break;
    case MKBENCH_DLT_NULL:
    case MKBENCH_DLT_LOOP:
        /* The AF value is host order of the capturing machine and AF_INET6 differs per OS. */
        strip = NULL_HDR_LEN;
        rd_skip(&r, NULL_HDR_LEN);
        type = ethertype_for_version(rd_peek_u8(&r));
        break;
    default: /* RAW */
        strip = 0;
        type = ethertype_for_version(rd_peek_u8(&r));
        break;
    }
    /* SLL protocol values below 0x0600 are not ethertypes (802.2 LLC, CAN, netlink ...). */
    if (r.err || type < ETHERTYPE_MIN || caplen < strip)
        return false;

    memcpy(out, macs, sizeof(macs));
    out[ETH_TYPE_OFF] = (uint8_t)(type >> 8);
    out[ETH_TYPE_OFF + 1] = (uint8_t)type;
    {
        size_t body = caplen - strip;

        if (body > cap - ETH_HDR_LEN)
            body = cap - ETH_HDR_LEN;
        memcpy(out + ETH_HDR_LEN, pkt + strip, body);
        f->caplen = ETH_HDR_LEN + body;
    }
    f->wirelen = wirelen >= strip ? wirelen - strip + ETH_HDR_LEN : 0;
    if (f->wirelen < f->caplen)
        f->wirelen = f->caplen;
    return true;
}

/* Offset of the outermost IP header in an Ethernet frame; false if none is complete. */
static bool ip_locate(const uint8_t *frame, size_t len, size_t *ip_off, unsigned *version)
{
    struct rd r = { frame, len, 0, false };
    uint16_t type;

    rd_skip(&r, ETH_TYPE_OFF);
    type = rd_be16(&r);
    for (unsigned depth = 0; depth <= MKBENCH_MAX_ENCAP_DEPTH && !r.err; depth++) {
        switch (type) {
        case ETHERTYPE_VLAN:
        case ETHERTYPE_QINQ:
        case ETHERTYPE_VLAN_9100:
            rd_skip(&r, 2); /* TCI, IEEE 802.1Q §9.6 */
            type = rd_be16(&r);
            break;
        case ETHERTYPE_PPPOE_SESS: {
            uint16_t ppp;

            rd_skip(&r, PPPOE_HDR_LEN);
            ppp = rd_be16(&r);
            type = ppp == PPP_PROTO_IPV4 ? ETHERTYPE_IPV4
                 : ppp == PPP_PROTO_IPV6 ? ETHERTYPE_IPV6 : 0;
            break;
        }
        case ETHERTYPE_MPLS_UC:
        case ETHERTYPE_MPLS_MC:
            if (rd_be32(&r) & MPLS_BOTTOM_OF_STACK)
                type = ethertype_for_version(rd_peek_u8(&r));
            break;
        case ETHERTYPE_IPV4:
        case ETHERTYPE_IPV6: {
            bool v4 = type == ETHERTYPE_IPV4;

            if (!rd_need(&r, v4 ? IPV4_MIN_HDR : IPV6_HDR_LEN))
                return false;
            if ((r.base[r.off] >> 4) != (v4 ? 4u : 6u))
                return false;
            *ip_off = r.off;
            *version = v4 ? 4 : 6;
            return true;
        }
        default:
            return false;
        }
    }
    return false;
}

static void xor16(uint8_t *p, uint16_t v)
{
    p[0] ^= (uint8_t)(v >> 8);
    p[1] ^= (uint8_t)v;
}

/* XORs the iteration number into both addresses of the outermost IP header. */
static bool ip_rewrite(uint8_t *frame, size_t len, uint16_t iter)
{
    size_t off;
    unsigned version;

    if (!ip_locate(frame, len, &off, &version))
        return false;
    if (version == 4) {
        xor16(frame + off + IPV4_SRC_OFF + IPV4_XOR_OFF, iter);
        xor16(frame + off + IPV4_DST_OFF + IPV4_XOR_OFF, iter);
    } else {
        xor16(frame + off + IPV6_SRC_OFF + IPV6_XOR_OFF, iter);
        xor16(frame + off + IPV6_DST_OFF + IPV6_XOR_OFF, iter);
    }
    return true;
}

/* ---- k-way merge ---- */

struct input {
    const char *path; /* borrowed from the path list */
    int dlt;
    pcap_t *p;
    struct pcap_pkthdr *hdr; /* owned by libpcap, valid until the next read on p */
    const u_char *data;
    int64_t ts_us;
};

struct counts {
    uint64_t packets, bytes; /* output packets, output bytes incl. record headers */
    uint64_t dropped;        /* packets with no derivable ethertype */
    uint64_t not_rewritten;  /* output packets with no complete outer IP header */
    uint64_t clipped;        /* records clipped to MKBENCH_SNAPLEN */
};

struct gen {
    struct input *in;
    size_t nin;
    size_t *heap; /* indexes into in[], min-heap on (ts_us, index) */
    size_t nheap;
    uint8_t *frame; /* MKBENCH_SNAPLEN bytes, reused for every packet */
    pcap_dumper_t *dump; /* NULL during the sizing pass */
    /* Compressed timeline (see the file header), restarted for every iteration. */
    int64_t prev_raw_us, comp_us, comp_min_us, comp_max_us;
    bool tl_started;
    int64_t base_us; /* output time of comp_min_us in the current iteration */
    uint16_t iter;
    bool sizing;
    struct counts c;
    int64_t gap_max_us; /* MKBENCH_GAP_MAX_US, or MKBENCH_SHORT_GAP_MAX_US with -m */
    /* -m: the sizing pass keeps one iteration's output frames (after ip_rewrite with 0). */
    bool keep, nomem;
    struct mpkt *pk;
    size_t npk, cappk;
    uint8_t *arena;
    size_t narena, caparena;
};

/* One kept frame of the in-memory iteration (-m). */
struct mpkt {
    int64_t t_us; /* compressed time */
    uint32_t caplen, wirelen;
    size_t off;   /* into gen.arena */
};

/* Appends the frame to the in-memory iteration; false when out of memory. */
static bool keep_frame(struct gen *g, int64_t t_us, const struct frame *f)
{
    if (g->npk == g->cappk) {
        size_t ncap = g->cappk ? g->cappk * 2 : 4096;
        struct mpkt *nv = realloc(g->pk, ncap * sizeof(*nv));

        if (!nv)
            return false;
        g->pk = nv;
        g->cappk = ncap;
    }
    if (f->caplen > g->caparena - g->narena) {
        size_t ncap = g->caparena ? g->caparena : (size_t)1 << 20;
        uint8_t *na;

        while (f->caplen > ncap - g->narena)
            ncap *= 2;
        na = realloc(g->arena, ncap);
        if (!na)
            return false;
        g->arena = na;
        g->caparena = ncap;
    }
    memcpy(g->arena + g->narena, g->frame, f->caplen);
    g->pk[g->npk].t_us = t_us;
    g->pk[g->npk].caplen = (uint32_t)f->caplen;
    g->pk[g->npk].wirelen = f->wirelen > UINT32_MAX ? UINT32_MAX : (uint32_t)f->wirelen;
    g->pk[g->npk].off = g->narena;
    g->npk++;
    g->narena += f->caplen;
    return true;
}

static bool heap_less(const struct gen *g, size_t a, size_t b)
{
    const struct input *x = &g->in[a], *y = &g->in[b];

    return x->ts_us < y->ts_us || (x->ts_us == y->ts_us && a < b);
}

static void heap_sift_down(struct gen *g, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, m = i;

        if (l < g->nheap && heap_less(g, g->heap[l], g->heap[m]))
            m = l;
        if (l + 1 < g->nheap && heap_less(g, g->heap[l + 1], g->heap[m]))
            m = l + 1;
        if (m == i)
            return;
        size_t t = g->heap[i];
        g->heap[i] = g->heap[m];
        g->heap[m] = t;
        i = m;
    }
}

static void heap_push(struct gen *g, size_t idx)
{
    size_t i = g->nheap++;

    g->heap[i] = idx;
    while (i > 0 && heap_less(g, g->heap[i], g->heap[(i - 1) / 2])) {
        size_t parent = (i - 1) / 2, t = g->heap[i];

        g->heap[i] = g->heap[parent];
        g->heap[parent] = t;
        i = parent;
    }
}

/* Reads the next packet of one input; false at end of file or on a read error. */
static bool input_advance(struct gen *g, struct input *in)
{
    int rc = pcap_next_ex(in->p, &in->hdr, &in->data);

    if (rc == 1) {
        in->ts_us = (int64_t)in->hdr->ts.tv_sec * MKBENCH_US_PER_S + in->hdr->ts.tv_usec;
        return true;
    }
    if (rc != PCAP_ERROR_BREAK) {
        /* A truncated file fails the same way every iteration: report it once. */
        if (g->sizing) {
            fprintf(stderr, "mkbench: %s: read error, using the packets before it: %s\n",
                    in->path, pcap_geterr(in->p));
        }
    }
    return false;
}

static void inputs_close(struct gen *g)
{
    for (size_t i = 0; i < g->nin; i++) {
        if (g->in[i].p)
            pcap_close(g->in[i].p);
        g->in[i].p = NULL;
    }
    g->nheap = 0;
}

static int inputs_open(struct gen *g)
{
    char errbuf[PCAP_ERRBUF_SIZE];

    g->nheap = 0;
    for (size_t i = 0; i < g->nin; i++) {
        struct input *in = &g->in[i];

        /* pcap_open_offline delivers microsecond timestamps for nanosecond files too. */
        in->p = pcap_open_offline(in->path, errbuf);
        if (!in->p) {
            fprintf(stderr, "mkbench: %s: %s\n", in->path, errbuf);
            inputs_close(g);
            return -1;
        }
        if (input_advance(g, in))
            heap_push(g, i);
    }
    return 0;
}

static void emit(struct gen *g, const struct input *in)
{
    struct frame f;
    struct pcap_pkthdr oh;
    int64_t ts;

    /* The timeline advances for every packet read, so it is the same in every iteration. */
    if (!g->tl_started) {
        g->tl_started = true;
        g->comp_us = 0;
        if (g->sizing)
            g->comp_min_us = g->comp_max_us = 0;
    } else {
        int64_t delta = in->ts_us - g->prev_raw_us;

        if (delta > g->gap_max_us)
            delta = g->gap_max_us;
        if (delta < -g->gap_max_us)
            delta = -g->gap_max_us;
        g->comp_us += delta;
    }
    g->prev_raw_us = in->ts_us;
    if (g->sizing) {
        if (g->comp_us < g->comp_min_us)
            g->comp_min_us = g->comp_us;
        if (g->comp_us > g->comp_max_us)
            g->comp_max_us = g->comp_us;
    }

    if (!frame_build(in->dlt, in->data, in->hdr->caplen, in->hdr->len, g->frame,
                     MKBENCH_SNAPLEN, &f)) {
        g->c.dropped++;
        return;
    }
    if (in->hdr->caplen > f.caplen && f.caplen == MKBENCH_SNAPLEN)
        g->c.clipped++;
    if (!ip_rewrite(g->frame, f.caplen, g->iter))
        g->c.not_rewritten++;
    if (g->keep && !keep_frame(g, g->comp_us, &f)) {
        g->nomem = true;
        return;
    }
    g->c.packets++;
    g->c.bytes += PCAP_REC_HDR_LEN + f.caplen;
    if (g->sizing)
        return;

    ts = g->base_us + (g->comp_us - g->comp_min_us);
    oh.ts.tv_sec = (time_t)(ts / MKBENCH_US_PER_S);
    oh.ts.tv_usec = (suseconds_t)(ts % MKBENCH_US_PER_S);
    oh.caplen = (bpf_u_int32)f.caplen;
    oh.len = f.wirelen > UINT32_MAX ? UINT32_MAX : (bpf_u_int32)f.wirelen;
    pcap_dump((u_char *)g->dump, &oh, g->frame);
}

/* Runs one iteration: opens every input, merges, emits, closes. */
static int run_iteration(struct gen *g)
{
    g->tl_started = false;
    if (inputs_open(g))
        return -1;
    while (g->nheap > 0) {
        size_t idx = g->heap[0];
        struct input *in = &g->in[idx];

        emit(g, in);
        if (input_advance(g, in)) {
            heap_sift_down(g, 0);
        } else {
            g->heap[0] = g->heap[--g->nheap];
            heap_sift_down(g, 0);
        }
    }
    inputs_close(g);
    if (g->nomem) {
        fprintf(stderr, "mkbench: out of memory for the in-memory iteration\n");
        return -1;
    }
    return 0;
}

/* -m: a cursor over the in-memory iteration for each output iteration, merged on time. */
struct icur {
    size_t next;     /* index into g->pk */
    int64_t base_us; /* output time of comp_min_us in this iteration */
};

static int64_t icur_ts(const struct gen *g, const struct icur *c)
{
    return c->base_us + (g->pk[c->next].t_us - g->comp_min_us);
}

static bool iheap_less(const struct gen *g, const struct icur *cur, uint32_t a, uint32_t b)
{
    int64_t x = icur_ts(g, &cur[a]), y = icur_ts(g, &cur[b]);

    return x < y || (x == y && a < b);
}

static void iheap_sift_down(const struct gen *g, const struct icur *cur, uint32_t *h, size_t n,
                            size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, m = i;

        if (l < n && iheap_less(g, cur, h[l], h[m]))
            m = l;
        if (l + 1 < n && iheap_less(g, cur, h[l + 1], h[m]))
            m = l + 1;
        if (m == i)
            return;
        uint32_t t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

/* -m: writes iters overlapping copies of the in-memory iteration, iteration i starting
 * i * stagger_us after the first, each with its own address XOR. */
static int write_overlapped(struct gen *g, uint64_t iters, int64_t stagger_us)
{
    struct icur *cur = calloc(iters, sizeof(*cur));
    uint32_t *h = calloc(iters, sizeof(*h));
    size_t n = 0;

    if (!cur || !h) {
        free(cur);
        free(h);
        fprintf(stderr, "mkbench: out of memory\n");
        return -1;
    }
    for (uint64_t i = 0; i < iters; i++) {
        cur[i].base_us = MKBENCH_EPOCH_S * MKBENCH_US_PER_S + (int64_t)i * stagger_us;
        h[n++] = (uint32_t)i;
    }
    /* Every cursor starts at packet 0, so heapify by base time = by index: already a heap. */
    while (n > 0) {
        uint32_t i = h[0];
        const struct mpkt *p = &g->pk[cur[i].next];
        struct pcap_pkthdr oh;
        int64_t ts = icur_ts(g, &cur[i]);

        memcpy(g->frame, g->arena + p->off, p->caplen);
        ip_rewrite(g->frame, p->caplen, (uint16_t)i);
        oh.ts.tv_sec = (time_t)(ts / MKBENCH_US_PER_S);
        oh.ts.tv_usec = (suseconds_t)(ts % MKBENCH_US_PER_S);
        oh.caplen = p->caplen;
        oh.len = p->wirelen;
        pcap_dump((u_char *)g->dump, &oh, g->frame);
        g->c.packets++;
        g->c.bytes += PCAP_REC_HDR_LEN + p->caplen;
        if (++cur[i].next == g->npk)
            h[0] = h[--n];
        iheap_sift_down(g, cur, h, n, 0);
    }
    free(cur);
    free(h);
    return 0;
}

/*
 * Opens each path once to check its link type; fills g->in with the usable ones. A previous
 * output file among the inputs (same device and inode as out_path) is skipped: it is about
 * to be truncated.
 */
static void select_inputs(struct gen *g, const struct path_list *pl, const char *out_path,
                          size_t *skipped)
{
    char errbuf[PCAP_ERRBUF_SIZE];
    struct stat out_st, st;
    bool have_out = stat(out_path, &out_st) == 0;

    *skipped = 0;
    for (size_t i = 0; i < pl->n; i++) {
        pcap_t *p;
        int dlt;

        if (have_out && stat(pl->v[i], &st) == 0 && st.st_dev == out_st.st_dev &&
            st.st_ino == out_st.st_ino) {
            fprintf(stderr, "mkbench: skipping %s: it is the output file\n", pl->v[i]);
            (*skipped)++;
            continue;
        }
        p = pcap_open_offline(pl->v[i], errbuf);
        if (!p) {
            fprintf(stderr, "mkbench: skipping %s: %s\n", pl->v[i], errbuf);
            (*skipped)++;
            continue;
        }
        dlt = pcap_datalink(p);
        pcap_close(p);
        if (!dlt_supported(dlt)) {
            const char *name = pcap_datalink_val_to_name(dlt);

            fprintf(stderr, "mkbench: skipping %s: link type %s (%d) not supported\n",
                    pl->v[i], name ? name : "unknown", dlt);
            (*skipped)++;
            continue;
        }
        g->in[g->nin].path = pl->v[i];
        g->in[g->nin].dlt = dlt;
        g->in[g->nin].p = NULL;
        g->nin++;
    }
}

static void usage(void)
{
    fprintf(stderr, "usage: mkbench -o OUT.pcap -n MIN_BYTES [-p MIN_PACKETS] [-m [-s STAGGER_MS]]"
            " DIR_OR_FILE...\n");
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v;

    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || end == s || *end != '\0' || s[0] == '-')
        return -1;
    *out = v;
    return 0;
}

/* Writes the output file; on failure the partial file is removed. */
static int write_output(struct gen *g, const char *out_path, uint64_t iters, int64_t period_us,
                        int64_t stagger_us)
{
    pcap_t *dead = NULL;
    FILE *fp = NULL;
    int rc = -1;
    uint64_t want_packets = g->c.packets * iters, want_bytes = g->c.bytes * iters;

    dead = pcap_open_dead(DLT_EN10MB, (int)MKBENCH_SNAPLEN);
    fp = fopen(out_path, "wb");
    if (!dead || !fp) {
        fprintf(stderr, "mkbench: %s: %s\n", out_path, fp ? "pcap_open_dead failed"
                                                           : strerror(errno));
        goto out;
    }
    if (setvbuf(fp, NULL, _IOFBF, MKBENCH_OUT_BUF) != 0) {
        fprintf(stderr, "mkbench: setvbuf failed\n");
        goto out;
    }
    g->dump = pcap_dump_fopen(dead, fp);
    if (!g->dump) {
        fprintf(stderr, "mkbench: %s: %s\n", out_path, pcap_geterr(dead));
        goto out;
    }
    fp = NULL; /* owned by the dumper now */
    g->sizing = false;
    memset(&g->c, 0, sizeof(g->c));
    if (g->keep) {
        if (write_overlapped(g, iters, stagger_us))
            goto out;
    }
    for (uint64_t i = 0; !g->keep && i < iters; i++) {
        g->iter = (uint16_t)i;
        g->base_us = MKBENCH_EPOCH_S * MKBENCH_US_PER_S + (int64_t)i * period_us;
        if (run_iteration(g))
            goto out;
    }
    /* pcap_dump() reports nothing; a failed buffered write shows up here. */
    if (pcap_dump_flush(g->dump) != 0 || ferror(pcap_dump_file(g->dump))) {
        fprintf(stderr, "mkbench: %s: write failed: %s\n", out_path, strerror(errno));
        goto out;
    }
    if (g->c.packets != want_packets || g->c.bytes != want_bytes) {
        fprintf(stderr, "mkbench: inputs changed while writing (%" PRIu64 " packets, expected %"
                PRIu64 ")\n", g->c.packets, want_packets);
        goto out;
    }
    rc = 0;
out:
    if (g->dump) {
        /* Everything was flushed and checked above; the fclose() inside cannot lose data. */
        pcap_dump_close(g->dump);
        g->dump = NULL;
    }
    if (fp)
        fclose(fp);
    if (dead)
        pcap_close(dead);
    if (rc != 0)
        unlink(out_path);
    return rc;
}

int main(int argc, char **argv)
{
    const char *out_path = NULL;
    uint64_t min_bytes = 0, min_packets = 0, stagger_ms = MKBENCH_SHORT_STAGGER_MS, iters,
             per_iter_bytes;
    bool overlap = false;
    bool have_n = false;
    struct path_list pl = { NULL, 0, 0 };
    struct gen g;
    size_t skipped = 0;
    int64_t span_us, period_us, last_us;
    int opt, rc = 1;

    memset(&g, 0, sizeof(g));
    g.gap_max_us = MKBENCH_GAP_MAX_US;
    while ((opt = getopt(argc, argv, "o:n:p:ms:h")) != -1) {
        switch (opt) {
        case 'o':
            out_path = optarg;
            break;
        case 'n':
            if (parse_u64(optarg, &min_bytes)) {
                fprintf(stderr, "mkbench: -n wants a byte count, got '%s'\n", optarg);
                return 2;
            }
            have_n = true;
            break;
        case 'p':
            if (parse_u64(optarg, &min_packets)) {
                fprintf(stderr, "mkbench: -p wants a packet count, got '%s'\n", optarg);
                return 2;
            }
            break;
        case 'm':
            overlap = true;
            break;
        case 's':
            if (parse_u64(optarg, &stagger_ms) || stagger_ms > MKBENCH_SHORT_STAGGER_MAX_MS) {
                fprintf(stderr, "mkbench: -s wants milliseconds up to %u, got '%s'\n",
                        MKBENCH_SHORT_STAGGER_MAX_MS, optarg);
                return 2;
            }
            break;
        default:
            usage();
            return 2;
        }
    }
    if (!out_path || !have_n || optind >= argc) {
        usage();
        return 2;
    }

    if (collect_paths(argv + optind, argc - optind, &pl))
        goto out;
    g.in = calloc(pl.n ? pl.n : 1, sizeof(*g.in));
    g.heap = calloc(pl.n ? pl.n : 1, sizeof(*g.heap));
    g.frame = malloc(MKBENCH_SNAPLEN);
    if (!g.in || !g.heap || !g.frame) {
        fprintf(stderr, "mkbench: out of memory\n");
        goto out;
    }
    select_inputs(&g, &pl, out_path, &skipped);
    if (g.nin == 0) {
        fprintf(stderr, "mkbench: no usable capture files\n");
        goto out;
    }

    /* Sizing pass: one iteration without output gives bytes per iteration and the span
     * (with -m it also keeps that iteration in memory). */
    if (overlap) {
        g.gap_max_us = MKBENCH_SHORT_GAP_MAX_US;
        g.keep = true;
    }
    g.sizing = true;
    g.iter = 0;
    if (run_iteration(&g))
        goto out;
    if (g.c.packets == 0) {
        fprintf(stderr, "mkbench: the capture files hold no usable packets\n");
        goto out;
    }
    per_iter_bytes = g.c.bytes;
    /* The file header counts towards MIN_BYTES too. */
    iters = min_bytes > PCAP_FILE_HDR_LEN
          ? (min_bytes - PCAP_FILE_HDR_LEN + per_iter_bytes - 1) / per_iter_bytes : 1;
    if (min_packets > 0 && (min_packets + g.c.packets - 1) / g.c.packets > iters)
        iters = (min_packets + g.c.packets - 1) / g.c.packets;
    if (iters > MKBENCH_MAX_ITER) {
        fprintf(stderr, "mkbench: %" PRIu64 " iterations needed, at most %u keep flows apart\n",
                iters, MKBENCH_MAX_ITER);
        goto out;
    }
    span_us = g.comp_max_us - g.comp_min_us;
    period_us = overlap ? (int64_t)stagger_ms * 1000 : span_us + MKBENCH_ITER_GAP_US;
    /* Last timestamp written, checked against the 32-bit seconds field without overflow. */
    if (period_us > (MKBENCH_TS_SEC_MAX * MKBENCH_US_PER_S) / (int64_t)iters) {
        fprintf(stderr, "mkbench: %" PRIu64 " iterations of %" PRId64
                " s overflow pcap time (lower -n)\n", iters, period_us / MKBENCH_US_PER_S);
        goto out;
    }
    last_us = MKBENCH_EPOCH_S * MKBENCH_US_PER_S + (int64_t)(iters - 1) * period_us + span_us;
    if (last_us / MKBENCH_US_PER_S > MKBENCH_TS_SEC_MAX) {
        fprintf(stderr, "mkbench: %" PRIu64 " iterations overflow pcap time (lower -n)\n", iters);
        goto out;
    }
    if (g.c.dropped)
        fprintf(stderr, "mkbench: %" PRIu64 " packets per iteration have no IPv4/IPv6/"
                "ethertype and are left out\n", g.c.dropped);

    {
        struct counts one = g.c;

        if (write_output(&g, out_path, iters, period_us, period_us))
            goto out;
        printf("mkbench: %zu files used, %zu skipped; %" PRIu64 " iteration(s) of %" PRIu64
               " packets (span %" PRId64 " s compressed)%s\n",
               g.nin, skipped, iters, one.packets, span_us / MKBENCH_US_PER_S,
               overlap ? ", overlapping (-m)" : "");
        printf("mkbench: wrote %s: %" PRIu64 " packets, %" PRIu64 " bytes; per iteration %"
               PRIu64 " without an outer IP header (addresses not rewritten), %" PRIu64
               " clipped\n", out_path, g.c.packets, g.c.bytes + PCAP_FILE_HDR_LEN,
               one.not_rewritten, one.clipped);
    }
    rc = 0;
out:
    free(g.frame);
    free(g.pk);
    free(g.arena);
    free(g.heap);
    free(g.in);
    path_list_free(&pl);
    return rc;
}
