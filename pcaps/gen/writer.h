/* writer.h - byte-exact classic pcap and pcapng file writers for pcapgen.
 *
 * Files are written by hand (no libpcap) so that the same calls give the
 * same bytes on every machine: little-endian throughout, no wall-clock
 * fields, no host name or OS string in the pcapng section header.
 * Specs: tcpdump.org pcap-savefile(5) / draft-ietf-opsawg-pcap §4-§5;
 * draft-ietf-opsawg-pcapng §4.1 (SHB), §4.2 (IDB), §4.3 (EPB).
 */
#ifndef PR_PCAPS_GEN_WRITER_H
#define PR_PCAPS_GEN_WRITER_H

#include <stddef.h>
#include <stdint.h>

enum writer_fmt {
    WRITER_PCAP,  /* classic pcap, magic a1b2c3d4, microsecond stamps */
    WRITER_PCAPNG /* one SHB, one IDB (default if_tsresol = 10^-6), EPBs */
};

/* Link types from the tcpdump.org LINKTYPE registry. */
enum {
    WRITER_LINK_NULL = 0,
    WRITER_LINK_EN10MB = 1,
    WRITER_LINK_PPP = 9,
    WRITER_LINK_RAW = 101,
    WRITER_LINK_C_HDLC = 104,
    WRITER_LINK_LINUX_SLL = 113,
    WRITER_LINK_IEEE802_11_RADIOTAP = 127,
    WRITER_LINK_BLUETOOTH_HCI_H4 = 187,
    WRITER_LINK_ERF = 197,
    WRITER_LINK_NFLOG = 239,
    WRITER_LINK_LINUX_SLL2 = 276,
    WRITER_LINK_PKTAP = 258
};

/* Snapshot length written to the file header / IDB. */
#define WRITER_SNAPLEN 262144u

struct writer;

/* Creates (truncating) `path` and writes the file header. Borrows path.
 * Returns owned (release with writer_close) or NULL with a message in err. */
struct writer *writer_open(const char *path, enum writer_fmt fmt, uint32_t linktype, char *err,
                           size_t errlen);

/* Appends one packet record stamped ts_us (microseconds since the epoch).
 * Borrows data. caplen bytes are written; wire_len is the original length.
 * Returns 0 or GEN_RC_IO; after an error every later call fails too. */
int writer_packet(struct writer *w, uint64_t ts_us, const uint8_t *data, size_t caplen,
                  size_t wire_len);

/* Interfaces one pcapng file may describe (writer_add_iface). */
#define WRITER_MAX_IFACES 8

/* pcapng only: describes another interface (an IDB with its own link type,
 * snapshot length and if_tsresol = 10^-tsresol s) and returns its id, or -1
 * (classic pcap, or WRITER_MAX_IFACES reached).  Packets go to interface 0
 * until writer_use_iface picks another. */
int writer_add_iface(struct writer *w, uint32_t linktype, uint32_t snaplen, uint8_t tsresol);

/* Writes the following packets on interface id (cut to its snapshot length,
 * stamped in its resolution).  Returns 0 or GEN_RC_IO for an unknown id. */
int writer_use_iface(struct writer *w, int id);

/* Byte offset where the next record will start (for truncated fixtures). */
uint64_t writer_offset(const struct writer *w);

/* Number of records written so far. */
unsigned writer_count(const struct writer *w);

/* Flushes and closes; frees w. Returns 0, or GEN_RC_IO if any write or the
 * close failed (message in err). writer_close(NULL, ...) is a no-op. */
int writer_close(struct writer *w, char *err, size_t errlen);

#endif /* PR_PCAPS_GEN_WRITER_H */
