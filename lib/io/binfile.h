/*
 * binfile.h -- the iden3 binary container shared by .r1cs, .wtns, .zkey and
 * .ptau files (iden3/binfileutils; docs/research formats.md 2.1).
 *
 * Layout, every integer little-endian:
 *
 *   magic[4]  u32 version  u32 nSections
 *   nSections times:  u32 type  u64 size  size bytes of payload
 *
 * Reader: the whole file is mapped read-only (mmap for regular files; other
 * files, such as pipes or character devices, are read() into memory) and the
 * section table is validated once on open, so zk_binfile_section() hands out
 * pointers straight into the file.  As with any mmap reader, a file that
 * another process truncates while it is open can raise SIGBUS; zkpar's own
 * writers never modify a file in place (they rename a new one over it).
 * "-" is an ordinary file name here: a
 * tool that wants stdin opens "/dev/stdin".
 *
 * Writer: a file is built under a temporary name in the destination's
 * directory ("<path>.tmp.XXXXXX", created with mkstemp) and renamed over
 * <path> only by zk_binwriter_commit() after fsync, so a process killed at
 * any point never leaves a partial file under the final name (at worst a
 * stray "<path>.tmp.*").  Committed files get mode 0644.
 *
 * Both objects are single-threaded; distinct objects are independent.  A
 * zk_binfile may be read from several threads at once (every accessor is
 * const).  Nothing here handles secrets; timing is not constant.
 */
#ifndef ZK_IO_BINFILE_H
#define ZK_IO_BINFILE_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* ---------------------------------------------------------------- reading */

typedef struct zk_binfile zk_binfile;

/*
 * Open and validate path.  magic is the 4-byte file type ("wtns", "r1cs",
 * "zkey", "ptau"; not NUL-terminated), max_version the newest version the
 * caller understands.
 *
 * Returns 0 and *out on success, else *out = NULL and:
 *   ZK_EIO        the file cannot be opened, stat'ed, mapped or read
 *                 (errno is kept);
 *   ZK_EENCODING  shorter than the 12-byte header, a section header or
 *                 payload running past the end of the file, or bytes after
 *                 the last section (trailing garbage);
 *   ZK_EFORMAT    wrong magic, version 0 or version > max_version;
 *   ZK_ENOMEM     allocation failed;
 *   ZK_EINVAL     a NULL argument.
 * The magic and version are checked before the section table, so a file of
 * another type is reported as ZK_EFORMAT even if it is also truncated.
 */
ZK_WUR int zk_binfile_open(zk_binfile **out, const char *path,
                           const char magic[4], uint32_t max_version);

/*
 * The same validation over a caller's buffer (fuzzing, in-memory files).
 * The buffer is borrowed, not copied: it must outlive *out and stay
 * unchanged.  Errors as zk_binfile_open() minus ZK_EIO.
 */
ZK_WUR int zk_binfile_open_mem(zk_binfile **out, const uint8_t *data,
                               size_t len, const char magic[4],
                               uint32_t max_version);

/* Unmap/free everything; f may be NULL.  Section pointers die with f. */
void zk_binfile_close(zk_binfile *f);

/* The file's version (1 <= version <= max_version). */
uint32_t zk_binfile_version(const zk_binfile *f);

/*
 * The payload of the section of type `type`: *data points into the file
 * (valid until zk_binfile_close; not aligned beyond 1 byte; NULL when
 * *size is 0 is possible only for an empty payload) and *size is its
 * length.  ZK_EFORMAT when no section has that type or when two or more
 * do (iden3 files hold one of each; snarkjs refuses duplicates too).
 * Unknown section types are allowed in the file and simply never asked for.
 * On error *data = NULL and *size = 0.
 */
ZK_WUR int zk_binfile_section(const zk_binfile *f, uint32_t type,
                              const uint8_t **data, uint64_t *size);

/* The number of sections, and section i (0 <= i < that number) in file
 * order: its type, payload and size, as zk_binfile_section gives them.
 * ZK_EINVAL for i out of range (outputs zeroed).  For writers that copy a
 * file section by section, unknown types included. */
uint32_t zk_binfile_nsections(const zk_binfile *f);
ZK_WUR int zk_binfile_section_at(const zk_binfile *f, uint32_t i, uint32_t *type,
                                 const uint8_t **data, uint64_t *size);

/* Little-endian loads by byte assembly (any alignment). */
uint32_t zk_load_u32_le(const uint8_t *p);
uint64_t zk_load_u64_le(const uint8_t *p);

/* ---------------------------------------------------------------- writing */

typedef struct zk_binwriter zk_binwriter;

/*
 * Start writing a file of type magic/version with exactly nsections
 * sections to a temporary file beside path.  Returns 0 and *out, or
 * ZK_EIO (errno kept; e.g. the directory does not exist or is read-only),
 * ZK_ENOMEM or ZK_EINVAL (NULL argument); then *out = NULL and no file is
 * left behind.
 */
ZK_WUR int zk_binwriter_begin(zk_binwriter **out, const char *path,
                              const char magic[4], uint32_t version,
                              uint32_t nsections);

/*
 * Sections: section_begin writes the type and a placeholder size,
 * section_write appends payload bytes (len 0 is fine), section_end patches
 * the size.  Calls out of order (begin while a section is open, end or
 * write with none open, more sections than announced) give ZK_EINVAL.
 * Errors are sticky: after the first failure every later call, including
 * commit, returns that error.
 */
ZK_WUR int zk_binwriter_section_begin(zk_binwriter *w, uint32_t type);
ZK_WUR int zk_binwriter_section_write(zk_binwriter *w, const void *data,
                                      size_t len);
ZK_WUR int zk_binwriter_section_end(zk_binwriter *w);
/* Convenience: append a little-endian u32 / u64 to the open section. */
ZK_WUR int zk_binwriter_u32(zk_binwriter *w, uint32_t v);
ZK_WUR int zk_binwriter_u64(zk_binwriter *w, uint64_t v);

/*
 * Finish: checks that exactly nsections sections were written and none is
 * open (else ZK_EINVAL), flushes, fsyncs, renames the temporary file over
 * path and fsyncs the directory.  Always frees w.  On any error the
 * temporary file is removed and path is untouched (an existing file there
 * keeps its old contents).
 */
ZK_WUR int zk_binwriter_commit(zk_binwriter *w);

/* Discard: close and unlink the temporary file, free w.  w may be NULL. */
void zk_binwriter_abort(zk_binwriter *w);

/* The field prefix that starts the header section of .wtns, .r1cs and
 * .zkey files: u32 n8 = 32, then BN254's r in 32 little-endian bytes.
 * zk_binfile_check_fr_prefix checks a header h of hsize bytes that must be
 * exactly size bytes long: ZK_EENCODING for another length, ZK_EFORMAT for
 * another n8 or prime (a file for another field).  The writer writes the
 * 36 bytes into the current section. */
ZK_WUR int zk_binfile_check_fr_prefix(const uint8_t *h, uint64_t hsize, uint64_t size);
ZK_WUR int zk_binwriter_fr_prefix(zk_binwriter *w);
#define ZK_BINFILE_FR_PREFIX 36u

#endif
