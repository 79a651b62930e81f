/* instream.h - one input file (or standard input) read once, hashed as read.
 *
 * The stream reads its descriptor with plain read(2) into a window buffer.
 * Every byte read from the descriptor goes through SHA-256, so the digest is
 * that of the file as given (the compressed bytes of a .gz file), computed on
 * the reader's own pass: one descriptor per input, no second open.  With a
 * hasher (capture/hasher.h) the compression function runs on a helper thread
 * over the window itself, which is not rewritten until its last read is
 * hashed.
 *
 * Compression is detected by magic bytes, not by name: gzip (RFC 1952
 * section 2.3.1: 1f 8b) is inflated with zlib (several members are read one
 * after the other, as gzip(1) does); zstd (RFC 8878 section 3.1.1: 28 b5 2f fd)
 * is recognised and refused with a reason (this build has no libzstd).
 *
 * The bytes are untrusted: the stream only moves them, it never interprets
 * them (pcapfile.c does, through the cursor).
 */
#ifndef PR_CAPTURE_INSTREAM_H
#define PR_CAPTURE_INSTREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/rc.h"

/* Window of decoded bytes; also the largest span instream_fill can provide. */
#define INSTREAM_BUF (1u << 20)
/* Compressed bytes read per read(2) call. */
#define INSTREAM_RAW_BUF (1u << 16)
#define INSTREAM_DETAIL_MAX 160

enum instream_comp { INSTREAM_PLAIN = 0, INSTREAM_GZIP, INSTREAM_ZSTD };

struct instream;

struct hasher;

/* Opens path ("-" = standard input, which is read but never closed).  h, when
 * not NULL, hashes the bytes read on its helper thread (capture/hasher.h);
 * it must outlive the stream.  Returns owned or NULL with e set (errno-style
 * reason: cannot open). */
struct instream *instream_open(const char *path, struct hasher *h, struct err *e);

/* Makes at least n (<= INSTREAM_BUF) decoded bytes contiguous in the window,
 * reading and decompressing as needed.  Returns the number of bytes available
 * (less than n only at the end of the data), or -1 on a read or decompression
 * error (instream_detail says which).  *p (borrowed until the next fill or
 * consume) points at them. */
long instream_fill(struct instream *s, size_t n, const uint8_t **p);

/* Drops n bytes from the front of the window (n <= what the last fill gave). */
void instream_consume(struct instream *s, size_t n);

/* Decoded bytes consumed so far (the offset a parser reports faults at). */
uint64_t instream_offset(const struct instream *s);

/* Bytes read from the descriptor so far (progress). */
uint64_t instream_raw_bytes(const struct instream *s);

enum instream_comp instream_compression(const struct instream *s);

/* Reason for the last -1 from instream_fill. */
const char *instream_detail(const struct instream *s);

/* Completes the digest: reads whatever the parser did not (the rest of a
 * cut-short or interrupted file) without decoding it, then finalises.
 * drain = false finalises without reading on (standard input after a stop,
 * which may never end): the digest is then that of the bytes read, and false
 * is returned.  Returns true with out set when the whole file was hashed. */
bool instream_finish_hash(struct instream *s, bool drain, uint8_t out[32]);

/* Descriptor budget: closes the descriptor of a file stream while keeping
 * its state (window, digest, inflate state, file offset); the next read
 * reopens the file and seeks back, after checking that it is the same file
 * (device and inode).  Returns false (nothing done) for standard input or a
 * stream already parked or at its end. */
bool instream_park(struct instream *s);

/* True while the stream holds an open descriptor. */
bool instream_is_open(const struct instream *s);

/* Closes the descriptor (not standard input) and frees.  NULL is a no-op. */
void instream_close(struct instream *s);

#endif
