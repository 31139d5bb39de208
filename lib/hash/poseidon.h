/*
 * poseidon.h -- the Poseidon hash over BN254's scalar field Fr with
 * circomlib's parameters, bit for bit the function of circomlibjs's
 * buildPoseidon() and circomlib's Poseidon / PoseidonEx templates.
 *
 * Parameters: S-box x^5, width t = inputs + 1 (2 <= t <= ZK_POSEIDON_T_MAX),
 * 8 full rounds, circomlib's partial-round counts (56, 57, 56, 60, 60, 63
 * for t = 2..7).  Round constants and MDS matrices come from the Poseidon
 * authors' Grain LFSR procedure, derived in the tree by
 * lib/hash/gen_poseidon.c (see there for the derivation and for the
 * optimized form).
 *
 * Hash: state = (init, in[0], .., in[n-1]) with init = 0 for zk_poseidon,
 * permute, output state[0] (zk_poseidon_ex: state[0..n_out)).
 *
 * Time: every function here runs a fixed sequence of field operations
 * that depends only on n (and n_out), never on the values: constant-time
 * in the inputs, so secret inputs are fine.  Thread-safe (the constant
 * tables are read-only).  Poseidon(2) (t = 3) takes a few microseconds.
 */
#ifndef ZK_HASH_POSEIDON_H
#define ZK_HASH_POSEIDON_H

#include <stddef.h>

#include "field/fr.h"
#include "util/err.h"

/* Widest state supported (t), and so the most inputs per call (t - 1). */
#define ZK_POSEIDON_WIDTH_MAX 7
#define ZK_POSEIDON_MAX_INPUTS (ZK_POSEIDON_WIDTH_MAX - 1)

/*
 * out = Poseidon(in[0..n)), 1 <= n <= ZK_POSEIDON_MAX_INPUTS; in must be
 * valid zk_fr values.  out may alias an element of in.
 * ZK_EINVAL: n out of range or a NULL pointer (out untouched).
 */
ZK_WUR int zk_poseidon(zk_fr *out, const zk_fr *in, size_t n);

/*
 * circomlib's PoseidonEx(n, n_out) / circomlibjs's poseidon(in, init, n_out):
 * state[0] = *init (0 when init is NULL), state[1..n] = in, permute,
 * out[i] = state[i] for 0 <= i < n_out, with 1 <= n_out <= n + 1.  out may
 * alias in or init.  ZK_EINVAL: n or n_out out of range, out or in NULL.
 */
ZK_WUR int zk_poseidon_ex(zk_fr *out, size_t n_out, const zk_fr *in, size_t n,
                          const zk_fr *init);

/* The Poseidon permutation of state[0..t) in place, 2 <= t <=
 * ZK_POSEIDON_WIDTH_MAX.  ZK_EINVAL: t out of range or state NULL. */
ZK_WUR int zk_poseidon_permute(zk_fr *state, size_t t);

/*
 * The constants of width t, for in-circuit gadgets and tests.  All arrays
 * are zk_fr (Montgomery form), read-only, valid for the program's life.
 *
 * Plain form (the reference permutation): for round r = 0 .. rounds_f +
 * rounds_p - 1, add c[r t + i] to state[i]; apply x^5 to every element in
 * full rounds (r < rounds_f / 2 or r >= rounds_f / 2 + rounds_p), to
 * state[0] only in partial rounds; then state'[i] = sum_j m[i t + j] state[j].
 *
 * Optimized form (circomlib's poseidon_constants.circom POSEIDON_C, S, M,
 * P, in that file's order; what zk_poseidon evaluates), with
 * mix_X(s)[i] = sum_j X[j t + i] s[j]:
 *   s += opt_c[0..t);
 *   3 times (k = 1..3):   s = x^5(s); s += opt_c[k t ..]; s = mix_M(s);
 *   once:                 s = x^5(s); s += opt_c[4 t ..]; s = mix_P(s);
 *   rounds_p times (r):   s0 = x^5(s0) + opt_c[5 t + r];
 *                         S = opt_s + r (2t - 1);
 *                         s0' = sum_j S[j] s[j];  s[k] += s0 S[t + k - 1]
 *                         for k >= 1 (with the old s0);  s[0] = s0';
 *   3 times (k = 0..2):   s = x^5(s); s += opt_c[5 t + rounds_p + k t ..];
 *                         s = mix_M(s);
 *   once:                 s = x^5(s); s = mix_M(s).
 * opt_m is m transposed.  Array lengths: c (rounds_f + rounds_p) t, m,
 * opt_m, opt_p t t, opt_c rounds_f t + rounds_p, opt_s rounds_p (2t - 1).
 */
typedef struct zk_poseidon_params {
    unsigned t, rounds_f, rounds_p;
    const zk_fr *c, *m;
    const zk_fr *opt_c, *opt_s, *opt_m, *opt_p;
} zk_poseidon_params;

/* NULL when t is outside 2..ZK_POSEIDON_WIDTH_MAX. */
const zk_poseidon_params *zk_poseidon_params_get(size_t t);

#endif
