/*
 * r1cs.h -- rank-1 constraint systems and circom's .r1cs files (version 1),
 * as written by circom and read by snarkjs (iden3/r1csfile).
 *
 * Container: iden3 binary file (binfile.h), magic "r1cs", version 1.
 *   section 1 (header):      u32 n8 = 32, the prime r in n8 bytes LE,
 *                            u32 nWires, u32 nPubOut, u32 nPubIn,
 *                            u32 nPrvIn, u64 nLabels, u32 nConstraints
 *   section 2 (constraints): nConstraints times the linear combinations
 *                            A, B, C, each u32 nTerms then nTerms times
 *                            (u32 wire id, n8-byte coefficient LE in
 *                            STANDARD form, not Montgomery)
 *   section 3 (wire map):    nWires u64 label ids
 * Sections may appear in any order (circom writes section 2 before 1).
 * Sections 4 and 5 (custom gates, PLONK only) and any other type are
 * ignored; zk_r1cs_uses_custom_gates() says whether section 4 was there.
 *
 * Wire order: wire 0 is the constant 1, then the nPubOut public outputs,
 * the nPubIn public inputs, the nPrvIn private inputs, the internal wires.
 * A constraint holds when <A,w> * <B,w> == <C,w>.
 *
 * In memory the terms of every linear combination are kept in one flat
 * array, sorted by wire id with no wire twice in one combination (what
 * circom writes); combination k = 3*i + j (constraint i, j = 0 A, 1 B,
 * 2 C) is terms[off[k] .. off[k+1]).  A file whose combinations are not
 * sorted is accepted and sorted on reading (the meaning is unchanged), so
 * writing it back may reorder terms; a repeated wire id in one combination
 * is rejected (snarkjs would silently keep only the last one).
 *
 * Values are public to this module (no constant-time claims).  A zk_r1cs
 * may be read from several threads at once; the builder functions modify
 * it and need exclusive access.
 */
#ifndef ZK_IO_R1CS_H
#define ZK_IO_R1CS_H

#include <stddef.h>
#include <stdint.h>

#include "field/fr.h"
#include "io/binfile.h"
#include "util/err.h"

#define ZK_R1CS_VERSION 1u

typedef struct zk_r1cs zk_r1cs;

/* One term of a linear combination: coeff * w[wire]. */
typedef struct {
    uint32_t wire;
    zk_fr coeff;
} zk_r1cs_term;

/*
 * Read the .r1cs file at path.  On success *out is a new system (free it
 * with zk_r1cs_free).  On error *out = NULL and:
 *   ZK_EIO        cannot open/read path (errno kept);
 *   ZK_EFORMAT    not "r1cs", version other than 1, n8 != 32, a prime
 *                 other than BN254's r, section 1, 2 or 3 missing or
 *                 duplicated;
 *   ZK_EENCODING  truncated file or section, a header section whose size
 *                 is not 64 bytes, nWires < 1 + nPubOut + nPubIn + nPrvIn,
 *                 a constraints section that does not hold exactly
 *                 nConstraints constraints, a wire id >= nWires, a wire id
 *                 twice in one combination, a map section whose size is
 *                 not nWires * 8, trailing bytes;
 *   ZK_ERANGE     a coefficient >= r;
 *   ZK_ENOMEM, ZK_EINVAL (NULL argument).
 * Counts are checked against the section sizes before anything is
 * allocated, so a hostile header cannot cause a huge allocation.
 */
ZK_WUR int zk_r1cs_read(zk_r1cs **out, const char *path);

/* The same, from an already opened container (e.g. zk_binfile_open_mem()
 * for fuzzing); f must have been opened with magic "r1cs".  *out does not
 * borrow from f. */
ZK_WUR int zk_r1cs_decode(zk_r1cs **out, const zk_binfile *f);

/*
 * Write cs to path atomically (temporary file + rename, see
 * zk_binwriter_commit): sections 1, 2, 3 in that order.  ZK_EIO on any OS
 * error (path untouched, no temporary left), ZK_ENOMEM, ZK_EINVAL.
 */
ZK_WUR int zk_r1cs_write(const char *path, const zk_r1cs *cs);

/* Free cs; NULL is fine. */
void zk_r1cs_free(zk_r1cs *cs);

/* ------------------------------------------------------------- builder */

/*
 * A new system with no constraints.  n_wires counts wire 0 and must be at
 * least 1 + n_pub_out + n_pub_in + n_prv_in (else ZK_EINVAL).  The label
 * map is the identity (label of wire i is i) and nLabels = n_wires.
 * ZK_ENOMEM, ZK_EINVAL (out NULL).
 */
ZK_WUR int zk_r1cs_new(zk_r1cs **out, uint32_t n_pub_out, uint32_t n_pub_in,
                       uint32_t n_prv_in, uint32_t n_wires);

/*
 * Append the constraint <a,w> * <b,w> == <c,w>.  Each array may be NULL
 * when its count is 0.  Terms are copied and sorted by wire id; zero
 * coefficients are kept.  ZK_EINVAL (cs unchanged) for a wire id >=
 * nWires, a wire id twice in one combination, a NULL array with a
 * non-zero count, or when the system already has UINT32_MAX constraints;
 * ZK_ENOMEM.
 */
ZK_WUR int zk_r1cs_add_constraint(zk_r1cs *cs,
                                  const zk_r1cs_term *a, size_t na,
                                  const zk_r1cs_term *b, size_t nb,
                                  const zk_r1cs_term *c, size_t nc);

/* ----------------------------------------------------------- accessors */

uint32_t zk_r1cs_n_wires(const zk_r1cs *cs);
uint32_t zk_r1cs_n_pub_out(const zk_r1cs *cs);
uint32_t zk_r1cs_n_pub_in(const zk_r1cs *cs);
uint32_t zk_r1cs_n_prv_in(const zk_r1cs *cs);
uint64_t zk_r1cs_n_labels(const zk_r1cs *cs);
uint32_t zk_r1cs_n_constraints(const zk_r1cs *cs);
/* Total number of terms over all 3 * nConstraints combinations. */
size_t zk_r1cs_n_terms(const zk_r1cs *cs);
/* 1 when the file had a custom-gates section (4); such circuits are
 * PLONK-only, snarkjs refuses them for Groth16. */
int zk_r1cs_uses_custom_gates(const zk_r1cs *cs);

/* The flat arrays: zk_r1cs_n_terms() terms, 3 * nConstraints + 1 offsets
 * (offsets[0] = 0, last = n_terms), nWires labels.  Valid until the next
 * builder call or zk_r1cs_free; never NULL. */
const zk_r1cs_term *zk_r1cs_terms(const zk_r1cs *cs);
const size_t *zk_r1cs_lc_offsets(const zk_r1cs *cs);
const uint64_t *zk_r1cs_labels(const zk_r1cs *cs);

/* Combination `which` (0 A, 1 B, 2 C) of constraint i: its terms and, in
 * *n, their count.  NULL with *n = 0 when i or which is out of range. */
const zk_r1cs_term *zk_r1cs_lc(const zk_r1cs *cs, uint32_t i,
                               unsigned which, size_t *n);

/*
 * Check a full witness w[0..n) (r1cs wire order).  Returns 0 when every
 * constraint holds; ZK_EVERIFY when one does not, with the index of the
 * first failing constraint in *first_bad (first_bad may be NULL);
 * ZK_EINVAL when n != nWires, when w[0] != 1 (not a witness at all), or a
 * NULL cs / witness (witness may be NULL only if n == 0, which nWires >= 1
 * excludes).  Not constant-time.
 */
ZK_WUR int zk_r1cs_is_satisfied(const zk_r1cs *cs, const zk_fr *witness,
                                size_t n, size_t *first_bad);

#endif
