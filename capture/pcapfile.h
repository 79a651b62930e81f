/* pcapfile.h - pcap and pcapng capture files, read record by record.
 *
 * Formats: classic pcap (https://www.tcpdump.org/manpages/pcap-savefile.5.html;
 * microsecond a1b2c3d4 and nanosecond a1b23c4d magics, either byte order) and
 * pcapng (draft-ietf-opsawg-pcapng, section numbers below), as Wireshark and
 * dumpcap write it: several sections, several interfaces per section with
 * their own link types, snapshot lengths and if_tsresol/if_tsoffset.
 *
 *   pcapng block (section 3.1):
 *    0                   1                   2                   3
 *   +---------------------------------------------------------------+
 *   |                          Block Type                           |
 *   +---------------------------------------------------------------+
 *   |                      Block Total Length                       |
 *   +---------------------------------------------------------------+
 *   /                          Block Body                           /
 *   +---------------------------------------------------------------+
 *   |                      Block Total Length                       |
 *   +---------------------------------------------------------------+
 *
 * Blocks read: SHB (0x0A0D0D0A, byte-order magic 0x1A2B3C4D, 4.1), IDB (1,
 * 4.2), EPB (6, 4.3), SPB (3, 4.4), the obsolete Packet Block (2, appendix);
 * every other block is skipped by its length.  A block longer than
 * PCAPFILE_MAX_BLOCK, shorter than 12 bytes, not a multiple of 4 or whose two
 * length fields differ is a fault, as is a packet naming an interface that was
 * not described.  libpcap 1.10 refuses a second interface whose link type or
 * snapshot length differs from the first, which is why this reader exists.
 *
 * Every byte comes from the file and is untrusted: each block is read whole
 * (bounded) and parsed through the byte cursor.
 */
#ifndef PR_CAPTURE_PCAPFILE_H
#define PR_CAPTURE_PCAPFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/instream.h"
#include "capture/rc.h"

/* Largest block or record accepted: dumpcap's default snapshot length is
 * 262144, so 512 KiB leaves room for headers and options; must not exceed
 * INSTREAM_BUF. */
#define PCAPFILE_MAX_BLOCK (512u * 1024u)
/* Interfaces described in one section. */
#define PCAPFILE_MAX_IFACES 1024
#define PCAPFILE_DETAIL_MAX 200

struct pcapfile_iface {
    int linktype;        /* DLT_ value (LINKTYPE_RAW 101 becomes DLT_RAW 12) */
    uint32_t snaplen;
    bool tsres_pow2;     /* if_tsresol: units are 2^-tsres (else 10^-tsres) s */
    uint8_t tsres;
    int64_t tsoffset_s;  /* if_tsoffset, seconds */
};

struct pcapfile_pkt {
    uint64_t ts_us;
    uint32_t caplen, wirelen;
    const uint8_t *data; /* borrowed until the next pcapfile_next */
    int linktype;
    uint32_t ifid;       /* pcapng interface id; 0 for pcap */
};

struct pcapfile {
    struct instream *in; /* borrowed */
    bool ng;
    bool swap;           /* pcap: file byte order differs; pcapng: section is big-endian */
    bool nsec;           /* pcap nanosecond magic */
    struct pcapfile_iface pcap_if;  /* classic pcap's one interface */
    struct pcapfile_iface *ifs;     /* pcapng: this section's interfaces (owned) */
    uint32_t nifs;
    uint64_t blocks_skipped;        /* unknown / unused pcapng blocks */
    char detail[PCAPFILE_DETAIL_MAX];
};

/* Reads the file header from in (borrowed for the life of pf).  Returns
 * PARSE_OK, or PARSE_INVALID / PARSE_TRUNCATED with pf->detail set (not a
 * capture, or cut inside the header).  pf is initialised either way; call
 * pcapfile_close. */
enum parse_rc pcapfile_open(struct pcapfile *pf, struct instream *in);

/* The link type of the first interface (pcap: the file's), -1 when a pcapng
 * file has described none yet. */
int pcapfile_first_linktype(const struct pcapfile *pf);

/* Reads the next packet: 1 = packet in *out, 0 = clean end of file,
 * PARSE_TRUNCATED (the file is cut inside a record) or PARSE_INVALID (a
 * corrupt block), with pf->detail naming it.  Not to be called again after a
 * fault. */
int pcapfile_next(struct pcapfile *pf, struct pcapfile_pkt *out);

void pcapfile_close(struct pcapfile *pf);

/* The classic pcap / pcapng link type number as libpcap's DLT_ value. */
int pcapfile_linktype_to_dlt(uint32_t lt);

#endif
