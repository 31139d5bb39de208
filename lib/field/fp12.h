/*
 * fp12.h -- Fp12 = Fp6[w] / (w^2 - v), the pairing's target field.
 *
 * An element is c0 + c1 w; as a vector over Fp2 it is
 *   g0 + g1 w + g2 w^2 + g3 w^3 + g4 w^4 + g5 w^5
 * with c0 = (g0, g2, g4) and c1 = (g1, g3, g5).  This is the tower of
 * libff, go-ethereum, ffjavascript (snarkjs) and @noble/curves, so values
 * (e.g. a verification key's e(alpha, beta)) are interchangeable.
 *
 * The cyclotomic subgroup G_phi6 = { f : f^(p^4 - p^2 + 1) = 1 } holds the
 * pairing's values; the _cyclotomic functions require their input in it.
 */
#ifndef ZK_FP12_H
#define ZK_FP12_H

#include "field/fp6.h"

typedef struct { zk_fp6 c0, c1; } zk_fp12;

/* Decimal strings for the 12 Fp coefficients in the order
 * c0.c0.c0, c0.c0.c1, c0.c1.c0, ..., c1.c2.c1 (snarkjs writes them nested
 * the same way). */
#define ZK_FP12_NCOEFF 12

void zk_fp12_zero(zk_fp12 *r);
void zk_fp12_one(zk_fp12 *r);
void zk_fp12_add(zk_fp12 *r, const zk_fp12 *a, const zk_fp12 *b);
void zk_fp12_sub(zk_fp12 *r, const zk_fp12 *a, const zk_fp12 *b);
void zk_fp12_mul(zk_fp12 *r, const zk_fp12 *a, const zk_fp12 *b);
void zk_fp12_sqr(zk_fp12 *r, const zk_fp12 *a);
ZK_WUR int zk_fp12_inv(zk_fp12 *r, const zk_fp12 *a);
/* r = c0 - c1 w = a^(p^6); for elements of norm 1 this is the inverse. */
void zk_fp12_conj(zk_fp12 *r, const zk_fp12 *a);
/* r = a^(p^k), k = 1, 2, 3 */
void zk_fp12_frobenius(zk_fp12 *r, const zk_fp12 *a, unsigned k);
/* r = a * (c0 + c3 w + c4 w^3) with c0, c3, c4 in Fp2: a sparse product,
 * the shape of a Miller-loop line. */
void zk_fp12_mul_by_034(zk_fp12 *r, const zk_fp12 *a, const zk_fp2 *c0,
                        const zk_fp2 *c3, const zk_fp2 *c4);
/* Granger-Scott squaring, valid only in the cyclotomic subgroup. */
void zk_fp12_sqr_cyclotomic(zk_fp12 *r, const zk_fp12 *a);
/* r = a^e for an arbitrary-length exponent e (n little-endian limbs);
 * variable time in e (exponents are public). */
void zk_fp12_pow_var(zk_fp12 *r, const zk_fp12 *a, const uint64_t *e, size_t n);
int zk_fp12_eq(const zk_fp12 *a, const zk_fp12 *b);
int zk_fp12_is_one(const zk_fp12 *a);

/* Coefficient access in the order documented above. */
void zk_fp12_get_coeffs(zk_fp out[12], const zk_fp12 *a);
void zk_fp12_set_coeffs(zk_fp12 *r, const zk_fp in[12]);

/* 1 when a is in the order-r subgroup of Fp12* (a^r == 1 and a != 0);
 * decoders of G_T elements use it. */
int zk_fp12_in_gt(const zk_fp12 *a);

#endif
