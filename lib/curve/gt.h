/*
 * gt.h -- G_T of BN254: the order-r subgroup of Fp12^*, the pairing's
 * target group, written multiplicatively.  Elements are plain zk_fp12
 * values (fp12.h's tower and coefficient order).
 *
 * SnarkPack's verifier raises prover-supplied G_T elements to public
 * challenges and decodes them from bytes, so everything here is variable
 * time (_var, or public inputs only) and decoders check subgroup
 * membership.  All functions are thread-safe; r may alias any input.
 *
 * Exponentiation (zk_gt_pow_var, zk_gt_multi_pow_var) uses the Frobenius
 * endomorphism: on G_T, x^p = x^lambda with lambda = p mod r = 6z^2 (since
 * p - r = 6z^2 for BN curves), and lambda^4 - lambda^2 + 1 = 0 mod r.  A
 * scalar k is split as k = k0 + k1 lambda + k2 lambda^2 + k3 lambda^3
 * (mod r) with |ki| < 2^64 (Babai rounding in a reduced basis of the
 * lattice of such relations, Galbraith-Scott style; see gt.c), and the four
 * 64-bit exponents share their squarings (cyclotomic squarings,
 * interleaved signed windows, inverses by conjugation).
 *
 * Encodings (the bytes are canonical: each element has exactly one):
 *
 *  - uncompressed, ZK_GT_BYTES = 384 bytes: the 12 Fp coefficients in
 *    fp12.h's order (c0.c0.c0, c0.c0.c1, c0.c1.c0, ..., c1.c2.c1), each
 *    32 bytes big-endian.  No flags: the identity is the encoding of 1.
 *
 *  - compressed, ZK_GT_COMPRESSED_BYTES = 192 bytes (the torus T2(Fp6)):
 *    an element a = c0 + c1 w of G_T with c1 != 0 is sent as
 *    b = (1 + c0) / c1 in Fp6, and recovered as a = (b + w) / (b - w)
 *    (valid because a has norm c0^2 - v c1^2 = 1 over Fp6).  The bytes
 *    are b's 6 Fp coefficients b.c0.c0, b.c0.c1, b.c1.c0, b.c1.c1, b.c2.c0,
 *    b.c2.c1, each 32 bytes big-endian.  Since p < 2^254 the two top bits
 *    of byte 0 are free and carry the flags:
 *       00  a torus value b follows;
 *       01  the identity 1 (the only element of G_T with c1 = 0; -1 also
 *           has c1 = 0 but has even order, so it is not in G_T): the
 *           other 6 bits of byte 0 and bytes 1..191 must all be zero;
 *       10, 11  reserved, rejected.
 *    With flags 00 every b in Fp6 is a valid torus value; b = 0 stands
 *    for -1 and is rejected like any other element outside G_T.
 *
 * Decoders (zk_gt_decompress, zk_gt_from_bytes) take the input length and
 * return, checked in this order:
 *    ZK_EENCODING    length not exactly 192 (384); reserved flag bits;
 *                    an identity encoding with non-zero bits after the flag;
 *    ZK_ERANGE       a coefficient >= p;
 *    ZK_ENOTINGROUP  the element is not in the order-r subgroup (this
 *                    includes 0, -1 and cyclotomic elements of other order).
 * On error *r is left unchanged.
 */
#ifndef ZK_GT_H
#define ZK_GT_H

#include <stddef.h>
#include <stdint.h>

#include "field/fp12.h"
#include "field/fr.h"
#include "util/err.h"

#define ZK_GT_BYTES 384
#define ZK_GT_COMPRESSED_BYTES 192

/* Flag bits of byte 0 of a compressed encoding (see above). */
#define ZK_GT_FLAG_MASK 0xc0
#define ZK_GT_FLAG_IDENTITY 0x40

void zk_gt_one(zk_fp12 *r);
int zk_gt_is_one(const zk_fp12 *a);
int zk_gt_eq(const zk_fp12 *a, const zk_fp12 *b);
void zk_gt_mul(zk_fp12 *r, const zk_fp12 *a, const zk_fp12 *b);
/* r = a^-1, computed as the conjugate (valid for a in G_T, where the
 * norm over Fp6 is 1). */
void zk_gt_inv(zk_fp12 *r, const zk_fp12 *a);

/* 1 when a is in G_T, else 0; the same answer as zk_fp12_in_gt (a^r == 1),
 * several times faster: it checks a != 0, a^(p^4) a == a^(p^2) (a is in
 * the cyclotomic subgroup, of order p^4 - p^2 + 1 = r h), then
 * a^(2z+1) (a^(2z))^(p^2) a^(p^3) == 1, an exponent whose gcd with
 * p^4 - p^2 + 1 is exactly r (one 63-bit exponentiation with cyclotomic
 * squarings; see gt.c).  Variable time. */
int zk_gt_in_group_var(const zk_fp12 *a);

/* r = a^k.  a must be in G_T (the result is unspecified otherwise: the
 * method relies on cyclotomic squaring and a^p = a^lambda).  Variable
 * time in k and a. */
void zk_gt_pow_var(zk_fp12 *r, const zk_fp12 *a, const zk_fr *k);

/* r = prod_i a[i]^k[i] for n elements of G_T (n = 0 gives 1), with one
 * shared chain of 64 squarings (Straus / interleaved wNAF over the 4n
 * split exponents).  Allocates one scratch block per call (about 12 KiB
 * per element).  Returns 0, or ZK_ENOMEM (r unchanged).  Variable time. */
ZK_WUR int zk_gt_multi_pow_var(zk_fp12 *r, const zk_fp12 *a, const zk_fr *k,
                               size_t n);

/* The scalar split used by the exponentiations, exposed for tests:
 * k = sum_i (-1)^neg[i] mag[i] lambda^i (mod r), lambda = 6z^2, with
 * mag[i] <= (7z + 3)/2 < 2^64.  Variable time. */
void zk_gt_split_var(uint64_t mag[4], int neg[4], const zk_fr *k);

/* 384-byte encoding (see above).  from_bytes checks subgroup membership. */
void zk_gt_to_bytes(uint8_t out[ZK_GT_BYTES], const zk_fp12 *a);
ZK_WUR int zk_gt_from_bytes(zk_fp12 *r, const uint8_t *in, size_t len);

/* 192-byte torus encoding (see above).  a must be in G_T; compress costs
 * one Fp6 inversion.  decompress costs one Fp6 inversion plus the subgroup
 * check (zk_gt_in_group_var), which dominates. */
void zk_gt_compress(uint8_t out[ZK_GT_COMPRESSED_BYTES], const zk_fp12 *a);
ZK_WUR int zk_gt_decompress(zk_fp12 *r, const uint8_t *in, size_t len);

#endif
