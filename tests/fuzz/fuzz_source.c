/* fuzz_source.c - the offline source (capture/source.c) on real file
 * descriptors: the input becomes one or two memfd files, opened by path
 * (/proc/self/fd/N) through source_open_files and read to the end with
 * source_next, as `analyze` does (prescan, hashing thread, time-ordered merge).
 *
 * Input: byte 0 selects the layout: bit 0 set = two files, split at the
 * offset in bytes 1-2 (little-endian, modulo the rest's length); the rest
 * is the file contents (pcap or pcapng).
 */
#define _GNU_SOURCE /* memfd_create */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "capture/source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_PACKETS 20000

static int memfile(const uint8_t *p, size_t n, char path[64])
{
    int fd = memfd_create("fuzz_source", MFD_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t off = 0;
    while (off < n) {
        ssize_t w = write(fd, p + off, n - off);
        if (w <= 0) {
            close(fd);
            return -1;
        }
        off += (size_t)w;
    }
    snprintf(path, 64, "/proc/self/fd/%d", fd);
    return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    bool two = data[0] & 1;
    size_t rest = size - 3;
    const uint8_t *body = data + 3;
    size_t cut = rest ? ((size_t)data[1] | (size_t)data[2] << 8) % (rest + 1) : 0;
    char p1[64], p2[64];
    int fd1 = memfile(body, two ? cut : rest, p1);
    int fd2 = two ? memfile(body + cut, rest - cut, p2) : -1;
    if (fd1 < 0 || (two && fd2 < 0))
        goto out;
    const char *paths[2] = {p1, p2};
    struct err e;
    struct source *s = source_open_files(paths, two ? 2 : 1, NULL, NULL, &e);
    if (!s)
        goto out;
    struct source_packet pkt;
    int rc;
    for (int i = 0; i < FUZZ_MAX_PACKETS && (rc = source_next(s, &pkt, &e)) == 1; i++) {
        /* Invariants: the packet is inside its caplen, the input exists. */
        if (pkt.caplen > 0 && pkt.data == NULL)
            abort();
        volatile uint8_t sink = 0;
        for (uint32_t k = 0; k < pkt.caplen; k += 64)
            sink ^= pkt.data[k];
        if (pkt.caplen)
            sink ^= pkt.data[pkt.caplen - 1];
        (void)sink;
    }
    for (size_t i = 0; i < source_input_count(s); i++) {
        const struct source_input *in = source_input_get(s, i);
        if (memchr(in->detail, 0, sizeof in->detail) == NULL)
            abort();
    }
    source_free(s);
out:
    if (fd1 >= 0)
        close(fd1);
    if (fd2 >= 0)
        close(fd2);
    return 0;
}
