/*
 * wtns.h -- witness files (.wtns, version 2), as written by circom's
 * witness calculators and snarkjs (src/wtns_utils.js).
 *
 * Container: iden3 binary file (binfile.h), magic "wtns", version 2.
 *   section 1 (header):  u32 n8 = 32, the prime r in n8 bytes LE,
 *                        u32 nWitness
 *   section 2 (values):  nWitness field elements, n8 bytes LE each, in
 *                        STANDARD form (not Montgomery), in r1cs wire order
 *                        (the constant 1, public outputs, public inputs,
 *                        private inputs, the rest).
 * Other section types are ignored; sections 1 and 2 must appear once each.
 *
 * Values are public to this module (no constant-time claims).  Functions
 * are thread-safe (no shared state).
 */
#ifndef ZK_IO_WTNS_H
#define ZK_IO_WTNS_H

#include <stddef.h>

#include "field/fr.h"
#include "io/binfile.h"
#include "util/err.h"

#define ZK_WTNS_VERSION 2u

/*
 * Read the witness at path.  On success *values is a malloc'ed array of *n
 * elements (NULL when *n == 0) that the caller frees with free().  On error
 * *values = NULL, *n = 0 and:
 *   ZK_EIO        cannot open/read path (errno kept);
 *   ZK_EFORMAT    not "wtns", version other than 2, n8 != 32, a prime other
 *                 than BN254's r, section 1 or 2 missing or duplicated;
 *   ZK_EENCODING  truncated file or section, a header section whose size is
 *                 not 4 + n8 + 4, a values section whose size is not
 *                 nWitness * n8, trailing bytes;
 *   ZK_ERANGE     a value >= r;
 *   ZK_ENOMEM, ZK_EINVAL (NULL argument).
 */
ZK_WUR int zk_wtns_read(zk_fr **values, size_t *n, const char *path);

/* The same, from an already opened container (e.g. zk_binfile_open_mem()
 * for fuzzing); f must have been opened with magic "wtns". */
ZK_WUR int zk_wtns_decode(zk_fr **values, size_t *n, const zk_binfile *f);

/*
 * Write values[0..n) to path atomically (temporary file + rename, see
 * zk_binwriter_commit).  n may be 0 (values may then be NULL); n must fit
 * in a u32, else ZK_ERANGE.  ZK_EIO on any OS error (path untouched, no
 * temporary left), ZK_ENOMEM, ZK_EINVAL.
 */
ZK_WUR int zk_wtns_write(const char *path, const zk_fr *values, size_t n);

#endif
