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
 * permission), ZK_ENOMEM, ZK_EINVAL (NULL or empty path); *out = NULL on
 * error and nothing is created. */
ZK_WUR int zk_atomic_open(zk_atomic_file **out, const char *path);

/* The stream to write to (owned by f: do not fclose it). */
FILE *zk_atomic_stream(zk_atomic_file *f);

/* The final path given to zk_atomic_open. */
const char *zk_atomic_path(const zk_atomic_file *f);

/* Flush, fsync, rename over the final path, fsync its directory, free f.
 * On error (ZK_EIO, errno kept, e.g. a full disk) the temporary file is
 * removed, the final path is untouched and f is freed all the same.
 * ZK_EINVAL for NULL. */
ZK_WUR int zk_atomic_commit(zk_atomic_file *f);

/* Remove the temporary file and free f; NULL is fine. */
void zk_atomic_abort(zk_atomic_file *f);

/* Convenience: write len bytes to path atomically. */
ZK_WUR int zk_atomic_write_file(const char *path, const void *data, size_t len);

#endif
