/* source.h - packet sources: pcap/pcapng files merged in time order (and live
 * interfaces, see live.h).
 *
 * Offline input is any number of files and directories (walked recursively,
 * entries sorted by name).  All files are read as one stream merged by packet
 * timestamp (ties: the order the inputs were given).  A file is opened only
 * when the merge reaches its first packet, so files that follow each other in
 * time are never open at once.  Each file is read through a large stdio buffer;
 * its SHA-256 (of the whole file, whatever the decoder made of it) is computed
 * on a helper thread while it is read.
 *
 * A file that cannot be opened, is not a capture, or has a link type with no
 * decoder is refused with a reason and the others are still read; a file that
 * ends in a truncated or corrupt record keeps every packet read before the
 * fault and is marked partial, with the byte offset of the fault.
 */
#ifndef PR_CAPTURE_SOURCE_H
#define PR_CAPTURE_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/rc.h"

/* Large reads: libpcap's default 4 KiB stdio buffer costs 25-38% here. */
#define SOURCE_READ_BUF (1u << 20)
#define SOURCE_MAX_INPUTS 100000
#define SOURCE_MAX_DIR_DEPTH 16
#define SOURCE_PATH_MAX 4096
#define SOURCE_DETAIL_MAX 512

enum input_status {
    INPUT_PENDING = 0, /* not yet read */
    INPUT_OK,          /* read to the end */
    INPUT_PARTIAL,     /* a fault stopped reading; packets before it were used */
    INPUT_REFUSED,     /* unsupported link type */
    INPUT_UNREADABLE,  /* cannot open, or not a pcap/pcapng file */
    INPUT_DUPLICATE,   /* the same file (device and inode) was given earlier: read once */
};

struct source_input {
    char *path;
    uint64_t size;          /* file size in bytes */
    int linktype;           /* -1 when unknown */
    uint64_t packets;
    uint64_t first_ts_us, last_ts_us; /* 0 when no packet */
    enum input_status status;
    char detail[SOURCE_DETAIL_MAX]; /* reason for a non-OK status */
    uint8_t sha256[32];
    bool sha_done;
};

struct source_packet {
    uint64_t ts_us;
    uint32_t caplen, wirelen;
    const uint8_t *data;    /* borrowed until the next source_next() */
    int linktype;
    size_t input;           /* index into the inputs */
};

struct source;

/* Called once for every input that is refused, unreadable or partial, as it
 * happens (the CLI prints it). */
typedef void (*source_warn_fn)(const struct source_input *in, void *user);

/* Expands paths (files and directories) into inputs and prepares the merge.
 * Returns owned source or NULL with e set (no input at all, or out of memory).
 * Unreadable paths do not fail here: they become INPUT_UNREADABLE inputs. */
struct source *source_open_files(const char *const *paths, size_t npaths, source_warn_fn warn,
                                 void *user, struct err *e);

/* Next packet in time order: 1 = packet in *out, 0 = no more packets,
 * negative enum rc on an internal failure (e set). */
int source_next(struct source *s, struct source_packet *out, struct err *e);

size_t source_input_count(const struct source *s);
const struct source_input *source_input_get(const struct source *s, size_t i);

/* Progress: bytes read so far and bytes in all inputs. */
void source_progress(const struct source *s, uint64_t *done, uint64_t *total);

/* Ends reading early (a stop was requested): every input not yet finished is
 * closed (its hash completed) and marked partial with the reason why.  After
 * this, source_next returns 0. */
void source_stop(struct source *s, const char *why);

/* True when every input was read completely (duplicates count as read). */
bool source_all_ok(const struct source *s);

const char *source_status_name(enum input_status st);

/* Closes every file (finishing their hashes) and frees.  NULL is a no-op. */
void source_free(struct source *s);

#endif
