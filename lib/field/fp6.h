/*
 * fp6.h -- Fp6 = Fp2[v] / (v^3 - xi), xi = 9 + u.
 *
 * An element is c0 + c1 v + c2 v^2.  Used by fp12 and the pairing.
 * Conventions as in fp.h; none of these are constant time guarantees
 * beyond those of the Fp operations they are built from (no branches).
 */
#ifndef ZK_FP6_H
#define ZK_FP6_H

#include "field/fp2.h"

typedef struct { zk_fp2 c0, c1, c2; } zk_fp6;

void zk_fp6_zero(zk_fp6 *r);
void zk_fp6_one(zk_fp6 *r);
void zk_fp6_add(zk_fp6 *r, const zk_fp6 *a, const zk_fp6 *b);
void zk_fp6_sub(zk_fp6 *r, const zk_fp6 *a, const zk_fp6 *b);
void zk_fp6_neg(zk_fp6 *r, const zk_fp6 *a);
void zk_fp6_mul(zk_fp6 *r, const zk_fp6 *a, const zk_fp6 *b);
void zk_fp6_sqr(zk_fp6 *r, const zk_fp6 *a);
/* r = a * v */
void zk_fp6_mul_by_v(zk_fp6 *r, const zk_fp6 *a);
/* r = a * (b0 + b1 v) (sparse; the Miller loop's lines) */
void zk_fp6_mul_by_01(zk_fp6 *r, const zk_fp6 *a, const zk_fp2 *b0, const zk_fp2 *b1);
ZK_WUR int zk_fp6_inv(zk_fp6 *r, const zk_fp6 *a);
/* r = a^(p^k) for k = 1, 2, 3 */
void zk_fp6_frobenius(zk_fp6 *r, const zk_fp6 *a, unsigned k);
int zk_fp6_eq(const zk_fp6 *a, const zk_fp6 *b);
int zk_fp6_is_zero(const zk_fp6 *a);

#endif
