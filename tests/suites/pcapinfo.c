/* pcapinfo.c - test helper for tests/suites/live.sh: what of a capture can be
 * replayed onto a veth.
 *
 * Usage: pcapinfo MAX_FRAME FILE...   prints per file:
 *   FILE <TAB> linktype <TAB> packets <TAB> truncated <TAB> unsendable
 * truncated:  frames with caplen < len (tcpreplay sends caplen bytes, so the
 *             live byte count differs from the file's on-wire length);
 * unsendable: frames shorter than an Ethernet header (14 bytes, IEEE 802.3
 *             §3.2) or longer than MAX_FRAME (the veth MTU plus 14).
 * A file libpcap cannot read prints linktype -1.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>

#define PCAPINFO_ETH_HDR 14

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: pcapinfo MAX_FRAME FILE...\n");
        return 2;
    }
    unsigned long max_frame = strtoul(argv[1], NULL, 10);
    for (int i = 2; i < argc; i++) {
        char ebuf[PCAP_ERRBUF_SIZE];
        pcap_t *p = pcap_open_offline(argv[i], ebuf);
        if (!p) {
            printf("%s\t-1\t0\t0\t0\n", argv[i]);
            continue;
        }
        struct pcap_pkthdr *h;
        const u_char *d;
        unsigned long n = 0, trunc = 0, bad = 0;
        int rc;
        while ((rc = pcap_next_ex(p, &h, &d)) == 1) {
            n++;
            if (h->caplen < h->len)
                trunc++;
            if (h->caplen < PCAPINFO_ETH_HDR || h->caplen > max_frame)
                bad++;
        }
        /* A file that ends in a corrupt record cannot be replayed whole. */
        if (rc == PCAP_ERROR)
            bad++;
        printf("%s\t%d\t%lu\t%lu\t%lu\n", argv[i], pcap_datalink(p), n, trunc, bad);
        pcap_close(p);
    }
    return 0;
}
