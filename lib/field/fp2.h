/*
 * fp2.h -- Fp2 = Fp[u] / (u^2 + 1), the field of G2's coordinates.
 *
 * An element is c0 + c1 u.  Same conventions as fp.h: values, aliasing
 * allowed, constant time unless _var.
 */
#ifndef ZK_FP2_H
#define ZK_FP2_H

#include "field/fp.h"

typedef struct { zk_fp c0, c1; } zk_fp2;

void zk_fp2_zero(zk_fp2 *r);
void zk_fp2_one(zk_fp2 *r);
void zk_fp2_add(zk_fp2 *r, const zk_fp2 *a, const zk_fp2 *b);
void zk_fp2_sub(zk_fp2 *r, const zk_fp2 *a, const zk_fp2 *b);
void zk_fp2_neg(zk_fp2 *r, const zk_fp2 *a);
void zk_fp2_mul(zk_fp2 *r, const zk_fp2 *a, const zk_fp2 *b);
void zk_fp2_sqr(zk_fp2 *r, const zk_fp2 *a);
/* r = a * (9 + u), the non-residue xi that builds Fp6. */
void zk_fp2_mul_by_xi(zk_fp2 *r, const zk_fp2 *a);
/* r = conjugate of a = a^p (the Frobenius map). */
void zk_fp2_conj(zk_fp2 *r, const zk_fp2 *a);
/* ZK_EZERO when a == 0. */
ZK_WUR int zk_fp2_inv(zk_fp2 *r, const zk_fp2 *a);
/* r = a^e for a 256-bit exponent (little-endian limbs). */
void zk_fp2_pow(zk_fp2 *r, const zk_fp2 *a, const uint64_t e[4]);
/* Square root (Adj and Rodriguez-Henriquez, Alg. 9, p = 3 mod 4);
 * ZK_ENOTSQUARE when there is none. Variable time. */
ZK_WUR int zk_fp2_sqrt_var(zk_fp2 *r, const zk_fp2 *a);
int zk_fp2_eq(const zk_fp2 *a, const zk_fp2 *b);
int zk_fp2_is_zero(const zk_fp2 *a);
void zk_fp2_random(zk_fp2 *r);

#endif
