/* pcapfile.c - pcap and pcapng records through the cursor (see pcapfile.h). */
#include "capture/pcapfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/cursor.h"

/* pcap-savefile(5) */
#define PCAP_HDR_LEN 24
#define PCAP_REC_LEN 16
#define PCAP_MAGIC_US 0xa1b2c3d4u
#define PCAP_MAGIC_NS 0xa1b23c4du
/* pcapng sections 4.1-4.4 and appendix A (obsolete Packet Block) */
#define PCAPNG_SHB 0x0a0d0d0au
#define PCAPNG_IDB 1u
#define PCAPNG_OPB 2u
#define PCAPNG_SPB 3u
#define PCAPNG_EPB 6u
#define PCAPNG_BOM 0x1a2b3c4du
#define PCAPNG_MIN_BLOCK 12
#define PCAPNG_OPT_TSRESOL 9   /* section 4.2, if_tsresol */
#define PCAPNG_OPT_TSOFFSET 14 /* section 4.2, if_tsoffset */
/* LINKTYPE_RAW (the file value) and DLT_RAW (what libpcap hands out). */
#define LT_RAW 101
#define DLT_RAW_LINUX 12
/* Upper bits of the pcap link type field carry FCS information
 * (pcap-savefile(5), LT_LINKTYPE). */
#define LT_LINKTYPE_MASK 0x03ffffffu

int pcapfile_linktype_to_dlt(uint32_t lt)
{
    lt &= LT_LINKTYPE_MASK;
    return lt == LT_RAW ? DLT_RAW_LINUX : (int)lt;
}

/* Inlined: four of these per packet record (a call each cost 1.5% of the
 * packet thread on the many-short-flows bench, issue 12). */
static inline __attribute__((always_inline)) uint32_t rd32(struct cursor *c, bool be)
{
    return be ? cur_be32(c) : cur_le32(c);
}
static uint16_t rd16(struct cursor *c, bool be) { return be ? cur_be16(c) : cur_le16(c); }

__attribute__((format(printf, 3, 4))) static int fault(struct pcapfile *pf, int rc,
                                                       const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pf->detail, sizeof pf->detail, fmt, ap);
    va_end(ap);
    return rc;
}

/* Reads the n-byte unit at the stream's front; returns PARSE_OK with *p set,
 * PARSE_NEED_MORE at a clean end (no byte left), PARSE_TRUNCATED when cut. */
static int take(struct pcapfile *pf, size_t n, const uint8_t **p, const char *what)
{
    long got = instream_fill(pf->in, n, p);
    if (got < 0)
        return fault(pf, PARSE_INVALID, "%s", instream_detail(pf->in));
    if ((size_t)got == n)
        return PARSE_OK;
    if (got == 0)
        return PARSE_NEED_MORE;
    instream_consume(pf->in, (size_t)got);
    return fault(pf, PARSE_TRUNCATED, "truncated dump file; tried to read %zu %s bytes, only got %ld",
                 n, what, got);
}

enum parse_rc pcapfile_open(struct pcapfile *pf, struct instream *in)
{
    memset(pf, 0, sizeof *pf);
    pf->in = in;
    const uint8_t *p;
    long got = instream_fill(in, 4, &p);
    if (got < 0)
        return (enum parse_rc)fault(pf, PARSE_INVALID, "%s", instream_detail(in));
    if (got < 4)
        return (enum parse_rc)fault(pf, PARSE_TRUNCATED, "file is %ld bytes: no capture header",
                                    got);
    struct cursor c = cur_init(p, 4);
    uint32_t m = cur_be32(&c);
    if (m == PCAPNG_SHB) {
        pf->ng = true;
        return PARSE_OK; /* the SHB is read as the first block */
    }
    bool be;
    if (m == PCAP_MAGIC_US || m == PCAP_MAGIC_NS)
        be = true;
    else if (__builtin_bswap32(m) == PCAP_MAGIC_US || __builtin_bswap32(m) == PCAP_MAGIC_NS)
        be = false;
    else
        return (enum parse_rc)fault(pf, PARSE_INVALID,
                                    "unknown file format (not pcap, pcapng or gzip)");
    pf->nsec = m == PCAP_MAGIC_NS || __builtin_bswap32(m) == PCAP_MAGIC_NS;
    pf->swap = be;
    int rc = take(pf, PCAP_HDR_LEN, &p, "header");
    if (rc != PARSE_OK)
        return rc == PARSE_NEED_MORE ? PARSE_TRUNCATED : (enum parse_rc)rc;
    c = cur_init(p, PCAP_HDR_LEN);
    cur_skip(&c, 4);
    uint16_t major = rd16(&c, be);
    cur_skip(&c, 2 + 4 + 4); /* minor, thiszone, sigfigs */
    uint32_t snaplen = rd32(&c, be), lt = rd32(&c, be);
    instream_consume(in, PCAP_HDR_LEN);
    if (major != 2)
        return (enum parse_rc)fault(pf, PARSE_INVALID, "pcap version %u is not 2", major);
    pf->pcap_if = (struct pcapfile_iface){
        .linktype = pcapfile_linktype_to_dlt(lt), .snaplen = snaplen, .tsres = pf->nsec ? 9 : 6};
    return PARSE_OK;
}

int pcapfile_first_linktype(const struct pcapfile *pf)
{
    if (!pf->ng)
        return pf->pcap_if.linktype;
    return pf->nifs ? pf->ifs[0].linktype : -1;
}

/* Units of 10^-res or 2^-res seconds (plus offset seconds) -> microseconds. */
static uint64_t to_us(const struct pcapfile_iface *ifc, uint64_t t)
{
    unsigned __int128 us;
    if (ifc->tsres_pow2) {
        us = ((unsigned __int128)t * 1000000u) >> ifc->tsres;
    } else if (ifc->tsres <= 6) {
        uint64_t mul = 1;
        for (unsigned i = ifc->tsres; i < 6; i++)
            mul *= 10;
        us = (unsigned __int128)t * mul;
    } else {
        uint64_t div = 1;
        for (unsigned i = 6; i < ifc->tsres; i++)
            div *= 10;
        us = t / div;
    }
    __int128 v = (__int128)us + (__int128)ifc->tsoffset_s * 1000000;
    if (v < 0)
        return 0;
    if (v > (__int128)UINT64_MAX)
        return UINT64_MAX;
    return (uint64_t)v;
}

static int next_pcap(struct pcapfile *pf, struct pcapfile_pkt *out)
{
    const uint8_t *p;
    int rc = take(pf, PCAP_REC_LEN, &p, "header");
    if (rc == PARSE_NEED_MORE)
        return 0;
    if (rc != PARSE_OK)
        return rc;
    struct cursor c = cur_init(p, PCAP_REC_LEN);
    bool be = pf->swap;
    uint32_t sec = rd32(&c, be), frac = rd32(&c, be), caplen = rd32(&c, be),
             wirelen = rd32(&c, be);
    if (caplen > PCAPFILE_MAX_BLOCK)
        return fault(pf, PARSE_INVALID,
                     "invalid packet capture length %u, bigger than maximum of %u", caplen,
                     PCAPFILE_MAX_BLOCK);
    instream_consume(pf->in, PCAP_REC_LEN);
    rc = take(pf, caplen, &p, "captured");
    if (rc == PARSE_NEED_MORE)
        rc = fault(pf, PARSE_TRUNCATED,
                   "truncated dump file; tried to read %u captured bytes, only got 0", caplen);
    if (rc != PARSE_OK)
        return rc;
    instream_consume(pf->in, caplen);
    out->ts_us = (uint64_t)sec * 1000000u + (pf->nsec ? frac / 1000u : frac);
    out->caplen = caplen;
    out->wirelen = wirelen;
    out->data = p;
    out->linktype = pf->pcap_if.linktype;
    out->ifid = 0;
    return 1;
}

/* Reads the options of an IDB (section 4.2) that change timestamps. */
static int idb_options(struct pcapfile *pf, struct cursor *c, bool be, struct pcapfile_iface *ifc)
{
    /* Every iteration consumes at least the 4-byte option header. */
    while (cur_left(c) >= 4) {
        uint16_t code = rd16(c, be), len = rd16(c, be);
        size_t padded = ((size_t)len + 3u) & ~(size_t)3u;
        struct cursor v;
        if (code == 0)
            break; /* opt_endofopt */
        if (!cur_sub(c, len, &v) || !cur_skip(c, padded - len))
            return fault(pf, PARSE_INVALID, "interface option %u overruns its block", code);
        if (code == PCAPNG_OPT_TSRESOL && len == 1) {
            uint8_t r = cur_u8(&v);
            ifc->tsres_pow2 = (r & 0x80) != 0;
            ifc->tsres = r & 0x7f;
            /* 10^-19 s is the finest u64-safe decimal unit; 2^-63 the finest binary. */
            if ((!ifc->tsres_pow2 && ifc->tsres > 19) || (ifc->tsres_pow2 && ifc->tsres > 63))
                return fault(pf, PARSE_INVALID, "if_tsresol %u is out of range", r);
        } else if (code == PCAPNG_OPT_TSOFFSET && len == 8) {
            uint64_t hi = rd32(&v, be), lo = rd32(&v, be);
            uint64_t off = be ? (hi << 32 | lo) : (lo << 32 | hi);
            ifc->tsoffset_s = (int64_t)off;
        }
    }
    return PARSE_OK;
}

static const struct pcapfile_iface *iface(struct pcapfile *pf, uint32_t id)
{
    return id < pf->nifs ? &pf->ifs[id] : NULL;
}

/* Parses one whole block in c (type and length already read); returns 1 with
 * a packet, 0 for a block without one, or a negative parse_rc. */
static int ng_block(struct pcapfile *pf, uint32_t type, struct cursor *c, bool be,
                    struct pcapfile_pkt *out)
{
    switch (type) {
    case PCAPNG_SHB: {
        cur_skip(c, 4); /* byte-order magic, checked by the caller */
        uint16_t major = rd16(c, be);
        if (!cur_ok(c) || major != 1)
            return fault(pf, PARSE_INVALID, "pcapng section version %u is not 1", major);
        pf->nifs = 0; /* interface ids start again in every section */
        return 0;
    }
    case PCAPNG_IDB: {
        if (pf->nifs >= PCAPFILE_MAX_IFACES)
            return fault(pf, PARSE_INVALID, "more than %d interfaces in a section",
                         PCAPFILE_MAX_IFACES);
        struct pcapfile_iface ifc = {.tsres = 6};
        uint16_t lt = rd16(c, be);
        cur_skip(c, 2);
        ifc.snaplen = rd32(c, be);
        if (!cur_ok(c))
            return fault(pf, PARSE_INVALID, "interface block too short");
        ifc.linktype = pcapfile_linktype_to_dlt(lt);
        int rc = idb_options(pf, c, be, &ifc);
        if (rc)
            return rc;
        if (!pf->ifs) {
            pf->ifs = calloc(PCAPFILE_MAX_IFACES, sizeof *pf->ifs);
            if (!pf->ifs)
                return fault(pf, PARSE_INVALID, "out of memory for interfaces");
        }
        pf->ifs[pf->nifs++] = ifc;
        return 0;
    }
    case PCAPNG_EPB:
    case PCAPNG_OPB: {
        uint32_t id;
        if (type == PCAPNG_EPB) {
            id = rd32(c, be);
        } else {
            id = rd16(c, be);
            cur_skip(c, 2); /* drops count */
        }
        uint32_t hi = rd32(c, be), lo = rd32(c, be), caplen = rd32(c, be), wirelen = rd32(c, be);
        struct span data;
        if (!cur_ok(c) || !cur_span(c, caplen, &data))
            return fault(pf, PARSE_INVALID, "packet block: captured length %u overruns the block",
                         caplen);
        const struct pcapfile_iface *ifc = iface(pf, id);
        if (!ifc)
            return fault(pf, PARSE_INVALID, "packet on interface %u, which was not described",
                         id);
        out->ts_us = to_us(ifc, (uint64_t)hi << 32 | lo);
        out->caplen = caplen;
        out->wirelen = wirelen;
        out->data = data.p;
        out->linktype = ifc->linktype;
        out->ifid = id;
        return 1;
    }
    case PCAPNG_SPB: {
        const struct pcapfile_iface *ifc = iface(pf, 0);
        if (!ifc)
            return fault(pf, PARSE_INVALID, "simple packet block before any interface");
        uint32_t wirelen = rd32(c, be);
        size_t n = cur_left(c);
        if (n > wirelen)
            n = wirelen;
        if (ifc->snaplen && n > ifc->snaplen)
            n = ifc->snaplen;
        struct span data;
        if (!cur_ok(c) || !cur_span(c, n, &data))
            return fault(pf, PARSE_INVALID, "simple packet block too short");
        out->ts_us = 0; /* section 4.4: an SPB has no timestamp */
        out->caplen = (uint32_t)n;
        out->wirelen = wirelen;
        out->data = data.p;
        out->linktype = ifc->linktype;
        out->ifid = 0;
        return 1;
    }
    default:
        pf->blocks_skipped++;
        return 0;
    }
}

static int next_ng(struct pcapfile *pf, struct pcapfile_pkt *out)
{
    /* Every iteration consumes one whole block (at least 12 bytes) or returns. */
    for (;;) {
        const uint8_t *p;
        long got = instream_fill(pf->in, PCAPNG_MIN_BLOCK, &p);
        if (got < 0)
            return fault(pf, PARSE_INVALID, "%s", instream_detail(pf->in));
        if (got == 0)
            return 0;
        if (got < PCAPNG_MIN_BLOCK) {
            instream_consume(pf->in, (size_t)got);
            return fault(pf, PARSE_TRUNCATED, "file cut inside a block header (%ld bytes)", got);
        }
        struct cursor h = cur_init(p, PCAPNG_MIN_BLOCK);
        uint32_t type_be = cur_be32(&h);
        bool be = pf->swap;
        if (type_be == PCAPNG_SHB) {
            cur_skip(&h, 4);
            uint32_t bom = cur_be32(&h);
            if (bom == PCAPNG_BOM)
                be = true;
            else if (__builtin_bswap32(bom) == PCAPNG_BOM)
                be = false;
            else
                return fault(pf, PARSE_INVALID, "section header with a bad byte-order magic");
            pf->swap = be;
        }
        h = cur_init(p, PCAPNG_MIN_BLOCK);
        uint32_t type = rd32(&h, be), len = rd32(&h, be);
        if (len < PCAPNG_MIN_BLOCK || len % 4 != 0 || len > PCAPFILE_MAX_BLOCK)
            return fault(pf, PARSE_INVALID,
                         "block type 0x%x at byte %llu has a bad length %u (12..%u, multiple of 4)",
                         type, (unsigned long long)instream_offset(pf->in), len,
                         PCAPFILE_MAX_BLOCK);
        got = instream_fill(pf->in, len, &p);
        if (got < 0)
            return fault(pf, PARSE_INVALID, "%s", instream_detail(pf->in));
        if ((size_t)got < len) {
            instream_consume(pf->in, (size_t)got);
            return fault(pf, PARSE_TRUNCATED,
                         "truncated dump file; tried to read %u block bytes, only got %ld", len,
                         got);
        }
        struct cursor b = cur_init(p, len), body;
        cur_skip(&b, 8);
        cur_sub(&b, len - PCAPNG_MIN_BLOCK, &body);
        uint32_t trail = rd32(&b, be);
        if (trail != len)
            return fault(pf, PARSE_INVALID, "block type 0x%x: trailing length %u != %u", type,
                         trail, len);
        int rc = ng_block(pf, type, &body, be, out);
        /* The packet's bytes stay valid: consuming moves no data until the
         * next fill compacts the window. */
        instream_consume(pf->in, len);
        if (rc != 0)
            return rc;
    }
}

int pcapfile_next(struct pcapfile *pf, struct pcapfile_pkt *out)
{
    return pf->ng ? next_ng(pf, out) : next_pcap(pf, out);
}

void pcapfile_close(struct pcapfile *pf)
{
    free(pf->ifs);
    pf->ifs = NULL;
    pf->nifs = 0;
}
