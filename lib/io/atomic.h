/*
 * atomic.h -- files that appear whole or not at all.
 *
 * zk_atomic_open creates "<path>.tmp.XXXXXX" (mkstemp, mode 0644, close-
 * on-exec) in the destination's directory and hands out a stdio stream on
 * it; zk_atomic_commit flushes, fsyncs, renames it over path and fsyncs
 * the directory.  A process killed at any point leaves either the old
 * file (or none) under path, never a partial one; at worst a stray
 * "<path>.tmp.*".  zk_atomic_abort removes the temporary file.
 *
 * Special files: when path exists and is neither a regular file nor a
 * directory (by stat(2), so after symbolic links: a character or block
 * device, a FIFO, a socket; /dev/null, /dev/full, /dev/stdout on a pipe),
 * it is written in place: opened for writing as it is (no temporary file,
 * no rename, no fsync of the directory), never replaced, so that
 * `-o /dev/null` works for any user and root does not turn /dev/null into a
 * regular file.  Where it cannot seek (a FIFO, a pipe, a terminal), the
 * stream is an unnamed spool (mode 0600, in $TMPDIR or /tmp, removed when
 * closed), copied to it by zk_atomic_commit, because writers such as
 * binfile.h's go back to patch sizes; the reader sees nothing before the
 * commit.  A device that can seek (/dev/null, a disk) is written
 * directly.  Opening a FIFO waits for its reader, as the shell's `>` does.
 * Whole-or-nothing does not hold there: an error or an abort after some
 * bytes went to a seekable device leaves them written.
 *
 * Symbolic links: a path that is a link to a file (or to where one may
 * be) has the file it points to replaced -- the temporary file is made
 * next to the target and renamed over it -- so the link stays a link.
 * This is also what happens to /dev/stdout when the shell sent standard
 * output to a file: that file is replaced, /dev/stdout is left alone.
 * The links of a chain are followed one by one, and a dangling one gets
 * the file it names created (its directory must exist).  A link to a
 * directory fails as a directory does (EISDIR).  As the kernel's
 * fs.protected_symlinks, a link in a sticky, world-writable directory
 * (/tmp) that belongs neither to us nor to the directory's owner is not
 * followed; such a link, or one that cannot be resolved (a loop, a
 * missing directory), is replaced itself.
 *
 * Every output file of zkpar is written this way (binfile.h's writer, the
 * JSON outputs of the tools).  An object is single-threaded.
 */
#ifndef ZK_IO_ATOMIC_H
#define ZK_IO_ATOMIC_H

#include <stddef.h>
#include <stdio.h>

#include "util/err.h"

typedef struct zk_atomic_file zk_atomic_file;

/* Start writing path.  ZK_EIO (errno kept; e.g. no such directory, no
 * permission, for a special file also what open(2) says: ENXIO for a
 * socket, EACCES; or the spool's error), ZK_ENOMEM, ZK_EINVAL (NULL or
 * empty path); *out = NULL on error and nothing is created. */
ZK_WUR int zk_atomic_open(zk_atomic_file **out, const char *path);

/* The same, the final file getting mode (e.g. 0600 for a file of
 * secrets) instead of 0644: the temporary file is created 0600 by mkstemp
 * and given mode before anything is written.  A special file keeps its
 * own mode. */
ZK_WUR int zk_atomic_open_mode(zk_atomic_file **out, const char *path, unsigned mode);

/* The stream to write to (owned by f: do not fclose it). */
FILE *zk_atomic_stream(zk_atomic_file *f);

/* The final path given to zk_atomic_open. */
const char *zk_atomic_path(const zk_atomic_file *f);

/* Flush, fsync, rename over the final path, fsync its directory, free f.
 * On error (ZK_EIO, errno kept, e.g. a full disk) the temporary file is
 * removed, the final path is untouched and f is freed all the same.
 * A special file: flush (the spool: copy it to the file), fsync (a block
 * device only) and close; ZK_EIO with errno on error (ENOSPC for
 * /dev/full), f freed all the same.  ZK_EINVAL for NULL. */
ZK_WUR int zk_atomic_commit(zk_atomic_file *f);

/* Remove the temporary file and free f; NULL is fine.  A special file is
 * closed (a spool is dropped unwritten; bytes already written to a
 * seekable device stay, and what stdio still buffers goes with the
 * close). */
void zk_atomic_abort(zk_atomic_file *f);

/* Convenience: write len bytes to path atomically. */
ZK_WUR int zk_atomic_write_file(const char *path, const void *data, size_t len);

#endif
