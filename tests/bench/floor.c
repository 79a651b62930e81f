/*
 * floor.c: the bare libpcap floor for `make bench`, i.e. the cost of reading a capture file.
 *
 * Usage: floor FILE
 *
 * Opens FILE with pcap_open_offline() and runs the pcap_next_ex() loop that every analyser
 * needs, counting packets and captured bytes (the sum of caplen; no packet byte is inspected).
 * Prints "packets N" and "bytes N" on two lines. Exit status: 0 on success, 1 on a pcap error,
 * 2 on a usage error. Any analyser that reads the same file cannot be faster than this, so the
 * bench reports every tool as a ratio to it.
 *
 * A standalone program with no public API, so it has no header.
 */

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

#include <pcap/pcap.h>

int main(int argc, char **argv)
{
    char errbuf[PCAP_ERRBUF_SIZE];
    struct pcap_pkthdr *hdr;
    const u_char *data;
    uint64_t packets = 0, bytes = 0;
    pcap_t *p;
    int rc;

    if (argc != 2) {
        fprintf(stderr, "usage: floor FILE\n");
        return 2;
    }
    p = pcap_open_offline(argv[1], errbuf);
    if (!p) {
        fprintf(stderr, "floor: %s: %s\n", argv[1], errbuf);
        return 1;
    }
    /* Offline reads never time out: 1 = packet, PCAP_ERROR_BREAK = end of file. */
    while ((rc = pcap_next_ex(p, &hdr, &data)) == 1) {
        packets++;
        bytes += hdr->caplen;
    }
    if (rc != PCAP_ERROR_BREAK) {
        fprintf(stderr, "floor: %s: %s\n", argv[1], pcap_geterr(p));
        pcap_close(p);
        return 1;
    }
    pcap_close(p);
    printf("packets %" PRIu64 "\nbytes %" PRIu64 "\n", packets, bytes);
    return 0;
}
