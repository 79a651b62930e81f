/* fuzz_pcapfile.c - the capture file reader (capture/pcapfile.c) on a real
 * descriptor: the input is written to an unlinked temp file and read through
 * instream (hash, gzip detection) as an analysis reads a file, to the end or
 * the first fault, then the rest is hashed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/instream.h"
#include "capture/pcapfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Packets read per input at most (a fuzz input is small; this bounds time). */
#define FUZZ_PCAPFILE_MAX_PACKETS 100000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = tmpfile();
    if (!f)
        return 0;
    if (size && fwrite(data, 1, size, f) != size) {
        fclose(f);
        return 0;
    }
    fflush(f);
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fileno(f));
    struct instream *in = instream_open(path, NULL, NULL);
    if (in) {
        struct pcapfile pf;
        if (pcapfile_open(&pf, in) == PARSE_OK) {
            struct pcapfile_pkt p;
            volatile uint8_t sink = 0;
            for (int n = 0; n < FUZZ_PCAPFILE_MAX_PACKETS && pcapfile_next(&pf, &p) == 1; n++)
                if (p.caplen)
                    sink ^= p.data[p.caplen - 1]; /* touch the last byte claimed */
            (void)sink;
        }
        pcapfile_close(&pf);
        uint8_t sha[32];
        instream_finish_hash(in, true, sha);
        instream_close(in);
    }
    fclose(f);
    return 0;
}
