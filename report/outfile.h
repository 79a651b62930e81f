/* outfile.h - report output files written whole or not at all.
 *
 * A report or export goes to a temporary file created with mkstemp (mode
 * 0600, O_EXCL) in the destination's directory and is renamed over the
 * destination only after every byte was written, flushed and synced.  So:
 *   - a symlink at the destination is replaced, never written through;
 *   - an existing file of any mode is replaced by a 0600 one;
 *   - a full disk or any write error leaves the previous file (or none),
 *     never a cut one: the temporary file is removed.
 */
#ifndef PR_REPORT_OUTFILE_H
#define PR_REPORT_OUTFILE_H

#include <stdio.h>

#include "capture/rc.h"

/* Longest destination path accepted. */
#define OUTFILE_PATH_MAX 4096

struct outfile;

/* Opens a temporary file next to path (borrowed; copied).  Returns owned or
 * NULL with e set (the message names the file).  outfile_fp gives the stream
 * to write to (owned by the outfile). */
struct outfile *outfile_open(const char *path, struct err *e);
FILE *outfile_fp(struct outfile *o);

/* Flushes, syncs and renames the temporary file over the destination, then
 * frees o.  On failure the temporary file is removed, the destination is
 * unchanged, and e names the file.  Returns 0 or RC_IO. */
int outfile_commit(struct outfile *o, struct err *e);

/* Removes the temporary file and frees o (a failed render).  NULL is a no-op. */
void outfile_abort(struct outfile *o);

#endif
