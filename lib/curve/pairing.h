/*
 * pairing.h -- the optimal ate pairing e: G1 x G2 -> G_T of BN254.
 *
 * e(P, Q) = (f_{6z+2,Q}(P) * l_{[6z+2]Q, pi(Q)}(P) * l_{.., -pi^2(Q)}(P))^E
 * with E = 2z(6z^2 + 3z + 1) (p^12 - 1) / r: the textbook exponent times
 * m = 2z(6z^2 + 3z + 1), which is prime to r, so e is still a non-degenerate
 * bilinear pairing (pairing checks are unaffected) and its values equal
 * those of snarkjs/ffjavascript, @noble/curves and gnark; e.g. a Groth16
 * key's vk_alphabeta_12 is e(alpha, beta).
 *
 * Points at infinity contribute 1.  Inputs must be valid group elements
 * (decoders check that); the functions do not re-check.  Variable time
 * (inputs are public).  Thread-safe.
 */
#ifndef ZK_PAIRING_H
#define ZK_PAIRING_H

#include <stddef.h>

#include "curve/g1.h"
#include "curve/g2.h"
#include "field/fp12.h"

/* f = prod_i f_i: one shared Miller loop over n pairs (no final
 * exponentiation). */
void zk_miller_loop(zk_fp12 *f, const zk_g1 *p, const zk_g2 *q, size_t n);
/* r = f^E (see above).  f must be non-zero. */
void zk_final_exp(zk_fp12 *r, const zk_fp12 *f);
void zk_pairing(zk_fp12 *r, const zk_g1 *p, const zk_g2 *q);
/* r = prod_i e(p_i, q_i) with one final exponentiation. */
void zk_multi_pairing(zk_fp12 *r, const zk_g1 *p, const zk_g2 *q, size_t n);
/* 1 when prod_i e(p_i, q_i) == 1, else 0 (n = 0 gives 1). */
int zk_pairing_check(const zk_g1 *p, const zk_g2 *q, size_t n);

#endif
