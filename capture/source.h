/* source.h - packet sources: pcap/pcapng files merged in time order (and live
 * interfaces, see live.h).
 *
 * Offline input is any number of files and directories (walked recursively,
 * entries sorted by name).  All files are read as one stream merged by packet
 * timestamp (ties: the order the inputs were given).  A file is opened only
 * when the merge reaches its first packet, so files that follow each other in
 * time are never open at once, and an open file holds one descriptor.  Each
 * file is read once (instream.h): its SHA-256, of the file as given (the
 * compressed bytes of a .gz), is computed over the same bytes the reader
 * decodes; after a fault or a stop the rest of the file is read only to
 * complete the hash.  "-" is standard input (recorded as "stdin").
 *
 * pcap and pcapng are read by pcapfile.h (multi-interface pcapng included);
 * gzip-compressed captures are recognised by their magic bytes.  An optional
 * BPF filter (source_set_filter) is compiled per link type and applied to
 * every packet; packets it rejects keep their frame numbers.
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

#define SOURCE_MAX_INPUTS 100000
#define SOURCE_MAX_DIR_DEPTH 16
#define SOURCE_PATH_MAX 4096
#define SOURCE_DETAIL_MAX 512
/* Inputs holding a descriptor at once: at most SOURCE_MAX_OPEN, and never
 * more than RLIMIT_NOFILE less SOURCE_FD_RESERVE (database, WAL, stdio),
 * but at least SOURCE_MIN_OPEN.  Beyond it, open inputs are parked (their
 * descriptor closed, their state kept) and reopened when read again. */
#define SOURCE_MAX_OPEN 4096
#define SOURCE_FD_RESERVE 32
#define SOURCE_MIN_OPEN 4
/* Link types one filter is compiled for (one program each). */
#define SOURCE_MAX_FILTER_LT 16
/* Packets before this time (1990-01-01T00:00:00Z) are counted as suspect. */
#define SOURCE_TS_SUSPECT_BEFORE_US 631152000000000ull
/* The name an input read from standard input is recorded under. */
#define SOURCE_STDIN_NAME "stdin"

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
    bool is_stdin;          /* read from standard input ("-") */
    const char *compression;/* "gzip" or NULL */
    uint64_t frames;        /* records read (frame numbers run 1..frames) */
    uint64_t filtered;      /* frames the BPF filter rejected */
    uint64_t other_link;    /* frames on an interface whose link type has no decoder */
    uint64_t ts_pre1990;    /* frames timestamped before 1990 */
    uint64_t ts_backwards;  /* frames earlier than the frame before them in this file */
    uint32_t interfaces;    /* pcapng interfaces described (1 for pcap) */
};

struct source_packet {
    uint64_t ts_us;
    uint32_t caplen, wirelen;
    const uint8_t *data;    /* borrowed until the next source_next() */
    int linktype;
    size_t input;           /* index into the inputs */
    uint64_t frame;         /* 1-based record number in that input (tshark frame.number) */
    uint32_t ifid;          /* pcapng interface id (0 for pcap) */
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

/* The same with a BPF filter (pcap-filter(7); NULL = none) applied to every
 * packet; filter is copied.  It is compiled per link type when that link
 * type is first met; a link type it does not compile for drops those packets
 * (counted as filtered) and says so in the input's detail.  Fails with
 * RC_USAGE when filter does not compile for Ethernet, before anything is read. */
struct source *source_open_files_filtered(const char *const *paths, size_t npaths,
                                          const char *filter, source_warn_fn warn, void *user,
                                          struct err *e);

struct hasher;

/* Hashes the inputs' bytes on h's helper thread from now on (capture/
 * hasher.h; NULL = in the reading thread, the default).  h must outlive s. */
void source_set_hasher(struct source *s, struct hasher *h);

/* Checks that expr compiles (for Ethernet); RC_USAGE with e set if not. */
int source_filter_check(const char *expr, struct err *e);

/* Re-runs: completes the SHA-256 of pending input i now, by reading the file
 * once before the analysis does (only when the caller has a reason to think
 * it was analysed before).  False for standard input and on I/O errors. */
bool source_prehash(struct source *s, size_t i);

/* Marks pending input i as not to be read: status duplicate, detail why. */
void source_skip(struct source *s, size_t i, const char *why);

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
