/* writer.c - classic pcap and pcapng writers (little-endian, deterministic).
 *
 * Classic pcap (pcap-savefile(5)):
 *   file header: magic a1b2c3d4 | major 2 | minor 4 | thiszone 0 |
 *                sigfigs 0 | snaplen | linktype             (24 bytes)
 *   record:      ts_sec | ts_usec | incl_len | orig_len | data (16 + n)
 *
 * pcapng (draft-ietf-opsawg-pcapng §3.1 block layout):
 *   +---------------------------------------------------------------+
 *   |                          Block Type                           |
 *   |                      Block Total Length                       |
 *   /                          Block Body  (padded to 32 bits)      /
 *   |                      Block Total Length                       |
 *   +---------------------------------------------------------------+
 *   SHB 0x0A0D0D0A: byte-order magic 1A2B3C4D, version 1.0, section
 *       length -1 (unknown), option shb_userappl, opt_endofopt.
 *   IDB 0x00000001: linktype(2) reserved(2) snaplen(4), no options, so
 *       if_tsresol keeps its default of microseconds (§4.2).
 *   EPB 0x00000006: interface 0, timestamp high/low (µs), captured
 *       length, original length, data padded to 4, no options.
 */
#include "writer.h"

#include "build.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCAP_MAGIC_USEC 0xA1B2C3D4u
#define PCAP_VERSION_MAJOR 2
#define PCAP_VERSION_MINOR 4
#define PCAPNG_SHB 0x0A0D0D0Au
#define PCAPNG_IDB 0x00000001u
#define PCAPNG_EPB 0x00000006u
#define PCAPNG_BOM 0x1A2B3C4Du
#define PCAPNG_OPT_END 0
#define PCAPNG_SHB_USERAPPL 4
#define PCAPNG_APPL "trapline pcapgen"
#define USEC_PER_SEC 1000000u

struct writer_iface {
    uint32_t snaplen;
    uint8_t tsresol; /* decimal: 10^-tsresol s */
};

struct writer {
    FILE *fp;
    enum writer_fmt fmt;
    struct writer_iface ifs[WRITER_MAX_IFACES];
    int nifs, cur;
    uint64_t off;
    unsigned count;
    bool failed;
};

static size_t pad4(size_t n)
{
    return (4 - (n & 3)) & 3;
}

/* All file bytes go through here so the offset and error stay exact. */
static void emit(struct writer *w, const void *p, size_t n)
{
    if (w->failed || n == 0)
        return;
    if (fwrite(p, 1, n, w->fp) != n) {
        w->failed = true;
        return;
    }
    w->off += n;
}

static void emit_le16(struct writer *w, uint16_t v)
{
    uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
    emit(w, b, sizeof(b));
}

static void emit_le32(struct writer *w, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
    emit(w, b, sizeof(b));
}

static void emit_zero(struct writer *w, size_t n)
{
    static const uint8_t zero[4];

    if (n <= sizeof(zero))
        emit(w, zero, n);
}

static void write_headers(struct writer *w, uint32_t linktype)
{
    if (w->fmt == WRITER_PCAP) {
        emit_le32(w, PCAP_MAGIC_USEC);
        emit_le16(w, PCAP_VERSION_MAJOR);
        emit_le16(w, PCAP_VERSION_MINOR);
        emit_le32(w, 0); /* thiszone: UTC */
        emit_le32(w, 0); /* sigfigs */
        emit_le32(w, WRITER_SNAPLEN);
        emit_le32(w, linktype);
        return;
    }
    {
        size_t appl = sizeof(PCAPNG_APPL) - 1;
        uint32_t shb_len = (uint32_t)(28 + 4 + appl + pad4(appl) + 4);

        emit_le32(w, PCAPNG_SHB);
        emit_le32(w, shb_len);
        emit_le32(w, PCAPNG_BOM);
        emit_le16(w, 1); /* major */
        emit_le16(w, 0); /* minor */
        emit_le32(w, 0xFFFFFFFFu); /* section length -1: not computed */
        emit_le32(w, 0xFFFFFFFFu);
        emit_le16(w, PCAPNG_SHB_USERAPPL);
        emit_le16(w, (uint16_t)appl);
        emit(w, PCAPNG_APPL, appl);
        emit_zero(w, pad4(appl));
        emit_le16(w, PCAPNG_OPT_END);
        emit_le16(w, 0);
        emit_le32(w, shb_len);
    }
    emit_le32(w, PCAPNG_IDB);
    emit_le32(w, 20);
    emit_le16(w, (uint16_t)linktype);
    emit_le16(w, 0);
    emit_le32(w, WRITER_SNAPLEN);
    emit_le32(w, 20);
}

struct writer *writer_open(const char *path, enum writer_fmt fmt, uint32_t linktype, char *err,
                           size_t errlen)
{
    struct writer *w = calloc(1, sizeof(*w));

    if (w == NULL) {
        snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    w->fmt = fmt;
    w->fp = fopen(path, "wb");
    if (w->fp == NULL) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        free(w);
        return NULL;
    }
    write_headers(w, linktype);
    w->ifs[0] = (struct writer_iface){ WRITER_SNAPLEN, 6 };
    w->nifs = 1;
    return w;
}

int writer_packet(struct writer *w, uint64_t ts_us, const uint8_t *data, size_t caplen,
                  size_t wire_len)
{
    if (w->failed || caplen > WRITER_SNAPLEN) {
        w->failed = true;
        return GEN_RC_IO;
    }
    if (w->fmt == WRITER_PCAP) {
        emit_le32(w, (uint32_t)(ts_us / USEC_PER_SEC));
        emit_le32(w, (uint32_t)(ts_us % USEC_PER_SEC));
        emit_le32(w, (uint32_t)caplen);
        emit_le32(w, (uint32_t)wire_len);
        emit(w, data, caplen);
    } else {
        const struct writer_iface *ifc = &w->ifs[w->cur];
        uint64_t ts = ts_us;

        if (caplen > ifc->snaplen)
            caplen = ifc->snaplen;
        for (unsigned i = 6; i < ifc->tsresol; i++)
            ts *= 10;
        uint32_t blen = (uint32_t)(32 + caplen + pad4(caplen));

        emit_le32(w, PCAPNG_EPB);
        emit_le32(w, blen);
        emit_le32(w, (uint32_t)w->cur); /* interface id */
        emit_le32(w, (uint32_t)(ts >> 32));
        emit_le32(w, (uint32_t)ts);
        emit_le32(w, (uint32_t)caplen);
        emit_le32(w, (uint32_t)wire_len);
        emit(w, data, caplen);
        emit_zero(w, pad4(caplen));
        emit_le32(w, blen);
    }
    w->count++;
    return w->failed ? GEN_RC_IO : GEN_OK;
}

int writer_add_iface(struct writer *w, uint32_t linktype, uint32_t snaplen, uint8_t tsresol)
{
    if (w->fmt != WRITER_PCAPNG || w->nifs >= WRITER_MAX_IFACES)
        return -1;
    /* IDB (§4.2) with if_tsresol (code 9, one byte, padded) and opt_endofopt. */
    emit_le32(w, PCAPNG_IDB);
    emit_le32(w, 32);
    emit_le16(w, (uint16_t)linktype);
    emit_le16(w, 0);
    emit_le32(w, snaplen);
    emit_le16(w, 9);
    emit_le16(w, 1);
    emit(w, &tsresol, 1);
    emit_zero(w, 3);
    emit_le16(w, PCAPNG_OPT_END);
    emit_le16(w, 0);
    emit_le32(w, 32);
    w->ifs[w->nifs] = (struct writer_iface){ snaplen, tsresol };
    return w->nifs++;
}

int writer_use_iface(struct writer *w, int id)
{
    if (id < 0 || id >= w->nifs) {
        w->failed = true;
        return GEN_RC_IO;
    }
    w->cur = id;
    return GEN_OK;
}

uint64_t writer_offset(const struct writer *w)
{
    return w->off;
}

unsigned writer_count(const struct writer *w)
{
    return w->count;
}

int writer_close(struct writer *w, char *err, size_t errlen)
{
    int rc = GEN_OK;

    if (w == NULL)
        return GEN_OK;
    if (fclose(w->fp) != 0 || w->failed) {
        snprintf(err, errlen, "write failed: %s", strerror(errno));
        rc = GEN_RC_IO;
    }
    free(w);
    return rc;
}
