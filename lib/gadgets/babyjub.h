/*
 * gadgets/babyjub.h -- Baby Jubjub in-circuit, on the constraint-system
 * builder (r1cs/cs.h): point addition, doubling, negation, selection,
 * the on-curve and small-order checks, and scalar multiplication by
 * Base8 and by a variable point.  Native twins: curve/babyjub.h
 * (zk_bj_add, zk_bj_dbl, zk_bj_mul_base8, zk_bj_mul_var, ...).
 *
 * Points are affine twisted Edwards coordinates (x, y) held as two LCs of
 * the cs (zk_g_bj_pt), the curve a x^2 + y^2 = 1 + d x^2 y^2 with
 * circomlib's a = 168700, d = 168696 (curve/babyjub.h).
 *
 * -------------------------------------------------------------- counts
 *
 * Constraints (circom 2.2.3 --O2 on circomlib 2.0.5 in brackets, measured
 * with the pinned tests/interop/node_modules/circom2, see
 * tests/unit/test_gbabyjub.c):
 *
 *   zk_g_bj_assert_on_curve        3        [BabyCheck: 3]
 *   zk_g_bj_add                    6        [BabyAdd: 6]
 *     ... one operand constant     3
 *   zk_g_bj_add_assert             6        [BabyAdd + 2 equalities]
 *   zk_g_bj_dbl                    5        [BabyDbl: 6]
 *   zk_g_bj_on_curve_dbl           6        [BabyCheck + BabyDbl: 9]
 *   zk_g_bj_neg                    0
 *   zk_g_bj_select                 2        [2 x Mux1: 2]
 *   zk_g_bj_assert_not_small_order 11       [3 BabyDbl + IsZero: 20]
 *   zk_g_bj_mul_base8(n)           2 n + 2 for n <= 249 a multiple of 3;
 *                                  251 bits: 504, 253: 511, 254: 513
 *                                           [EscalarMulFix(253): 523]
 *   zk_g_bj_mul(n)                 about 7 n + 20; 254 bits: 1798
 *                                           [EscalarMulAny(254): 2310]
 *
 * ------------------------------------------------------------ contract
 *
 * As in gadgets/bits.h: cs first, then outputs, then inputs (LCs of this
 * cs); every gadget runs in a named scope (given per function); outputs
 * are LCs left in the arena above the mark current at the call (all other
 * scratch is released), and may be passed back as inputs.  Structure
 * depends only on the sizes passed and on which input LCs are constants
 * (an LC with no term on a variable other than ONE, e.g. made by
 * zk_g_bj_const): a product with a constant operand is a linear
 * combination, not a constraint, as circom --O2 substitutes it.  Never on
 * values or the mode (THE RULE of cs.h), so SHAPE and WITNESS build the
 * same system.  Hints (quotients, inverses) are computed from the inputs'
 * values in the witness modes; an input that violates a precondition
 * gives an unsatisfied system or, where said, a meaningless output --
 * never an error.  Errors (NULL pointers, n out of range) are the cs's
 * sticky ZK_EINVAL; outputs are then the empty LCs (the point (0, 0)).
 *
 * ----------------------------------------------- scalar multiplication
 *
 * Both multiplications work mostly on the birationally equivalent
 * Montgomery curve v^2 = u^3 + 168698 u^2 + u (B = 4 / (a - d) = 1),
 * u = (1 + y) / (1 - y), v = u / x, whose chord-and-tangent formulas cost
 * 3 constraints per addition where Edwards needs 6, and convert back at
 * the end.  Those formulas are incomplete: adding two points with the same
 * u (equal or opposite points) leaves the slope unconstrained or the
 * system unsatisfiable.  The constructions below make every Montgomery
 * step provably exceptional-free from the integers involved, or assert
 * the difference of the u's invertible (1 constraint) where they cannot,
 * so a prover never gets a free slope:
 *
 *  - zk_g_bj_mul_base8: 3-bit windows with constant tables (circomlib's
 *    WindowMulFix idea, 3 constraints per lookup + 3 per addition), but
 *    with symmetric offsets: window i adds [(w - 7/2) 8^i] Base8
 *    (halves taken mod l), so the accumulator before window i is
 *    [s] Base8 with |2 s| < 8^i <= |2 (w - 7/2) 8^i| and every sum or
 *    difference stays below 8^(i+1) <= 2^249 < l: no coincidence is
 *    possible for bits 0..248.  Bits 249 and up (at most 5) are added
 *    in Edwards form (complete formulas) with 2- or 3-bit lookups, the
 *    first of which also removes the chain's offset.  Cost for n bits:
 *    83 windows (495 constraints) for 249 bits, + 2 for the conversion,
 *    + 7 per 2 top bits (lookup 1 + add 6), 9 per 3, 6 for a single one;
 *    with no top bit, + 3 to remove the offset (a constant addition).
 *
 *  - zk_g_bj_mul: signed binary digits d_i = 2 k_i - 1 (+-P needs one
 *    product, bit * v, per digit, instead of a 2-constraint selection).
 *    The upper half of the digits goes least significant first onto a
 *    doubling chain D_j = [2^j] P (4 + 4 constraints per bit), starting
 *    from D_m + D_1; the result, [2 hi + 3] P with hi the upper half,
 *    then starts a most-significant-first double-and-add over the lower
 *    half that computes 2A + dP in 5 constraints (the trick of
 *    Eisenträger, Lauter and Montgomery: the intermediate A + dP needs no
 *    v) + 1 for the sign, 6 per bit.  Every intermediate is [k] P with an integer k that
 *    the bits bound: at least 3 and, except in the last 4 or 5 steps,
 *    with 2 k + 1 < l, so no two operands coincide; the steps where the
 *    bound fails assert u(P) - u(A) invertible.  Hence the system is
 *    SOUND for every input (the result is determined by the bits and P),
 *    and complete except for fewer than 2^-240 of the scalars (a set
 *    fixed by integers mod l, not by P), for which it is unsatisfiable.
 *    The final correction, subtracting D_(n+1) for the lower half's n
 *    bits (the start's + 2 doubled n times) and P unless k_0 = 1, is made
 *    in Edwards form (complete).
 *
 * Time: building costs some field inversions per constraint in the
 * witness modes (hints); zk_g_bj_mul_base8's tables (83 windows of 8
 * points) are computed once per process under pthread_once (under a
 * millisecond).  Whole gadgets: mul(254) about 5 ms, mul_base8(253) about
 * 1.7 ms to build in any mode.
 * Public values: nothing here is constant-time.  One thread per cs.
 */
#ifndef ZK_GADGETS_BABYJUB_H
#define ZK_GADGETS_BABYJUB_H

#include <stddef.h>

#include "curve/babyjub.h"
#include "field/fr.h"
#include "r1cs/cs.h"

/* An affine Edwards point in-circuit. */
typedef struct {
    zk_lc x, y;
} zk_g_bj_pt;

/* The largest bit counts of the scalar multiplications. */
#define ZK_G_BJ_MUL_BASE8_MAX 254
#define ZK_G_BJ_MUL_MAX 255

/* ------------------------------------------------------------ helpers */

/* *out = the constant point p (two constant LCs: no variable, no
 * constraint). */
void zk_g_bj_const(zk_cs *cs, zk_g_bj_pt *out, const zk_bj *p);

/* *out = p's current value (0, 0 in SHAPE mode). */
void zk_g_bj_eval(zk_bj *out, const zk_cs *cs, zk_g_bj_pt p);

/* ---------------------------------------------------------- point ops */

/*
 * Assert a x^2 + y^2 = 1 + d x^2 y^2 (circomlib's BabyCheck): x^2 and y^2
 * as variables, then (d x^2) y^2 = a x^2 + y^2 - 1.  Scope
 * "bj_on_curve", 3 constraints.
 */
void zk_g_bj_assert_on_curve(zk_cs *cs, zk_g_bj_pt p);

/*
 * *out = p + q, circomlib's BabyAdd: beta = x1 y2, gamma = y1 x2, delta =
 * (-a x1 + y1)(x2 + y2), tau = beta gamma, x3 (1 + d tau) = beta + gamma,
 * y3 (1 - d tau) = delta + a beta - gamma.  For points on the curve the
 * law is complete (a square, d not: no exceptional case) and equals
 * zk_bj_add.  Scope "bj_add", 6 constraints; 3 when p or q is a constant
 * point (beta, gamma, delta are then linear).
 */
void zk_g_bj_add(zk_cs *cs, zk_g_bj_pt *out, zk_g_bj_pt p, zk_g_bj_pt q);

/*
 * Assert p + q = r: zk_g_bj_add with r in place of the two output
 * variables (r's coordinates appear in the last two constraints), so the
 * equality costs nothing.  Scope "bj_add", 6 constraints (3 when p or q
 * is constant).
 */
void zk_g_bj_add_assert(zk_cs *cs, zk_g_bj_pt p, zk_g_bj_pt q, zk_g_bj_pt r);

/*
 * *out = 2 p: the addition law with p = q, beta and gamma being the same
 * product x y (circomlib's BabyDbl is BabyAdd(p, p): the same function,
 * one constraint fewer).  Scope "bj_dbl", 5 constraints.
 */
void zk_g_bj_dbl(zk_cs *cs, zk_g_bj_pt *out, zk_g_bj_pt p);

/*
 * Assert p on the curve and *out = 2 p, sharing the squares: BabyCheck's
 * x^2, y^2, then the doubling formulas simplified by the curve equation,
 * x3 (a x^2 + y^2) = 2 x y, y3 (2 - a x^2 - y^2) = y^2 - a x^2.  Scope
 * "bj_on_curve_dbl", 6 constraints.
 */
void zk_g_bj_on_curve_dbl(zk_cs *cs, zk_g_bj_pt *out, zk_g_bj_pt p);

/* *out = -p = (-x, y).  No constraint, no scope. */
void zk_g_bj_neg(zk_cs *cs, zk_g_bj_pt *out, zk_g_bj_pt p);

/*
 * *out = c ? a : b for a boolean c (precondition, as zk_g_select): one
 * Mux1 per coordinate.  Scope "bj_select", 2 constraints (none for a
 * coordinate where a - b is constant, none at all for a constant c).
 */
void zk_g_bj_select(zk_cs *cs, zk_g_bj_pt *out, zk_lc c, zk_g_bj_pt a,
                    zk_g_bj_pt b);

/*
 * Assert [8] p != identity for p on the curve (precondition): two
 * doublings and x([4] p) != 0, since the points of the curve with x = 0
 * are exactly the identity (0, 1) and the point of order 2 (0, -1), so
 * [4] p has x = 0 exactly when [8] p is the identity.  (circomlib's
 * EdDSAPoseidonVerifier makes the same test with three BabyDbl and an
 * IsZero of the third's input.)  Scope "bj_not_small_order", 11
 * constraints.
 */
void zk_g_bj_assert_not_small_order(zk_cs *cs, zk_g_bj_pt p);

/* ------------------------------------------------- scalar multiplication */

/*
 * *out = [k] Base8, k = sum 2^i bits[i] for i < n, 1 <= n <=
 * ZK_G_BJ_MUL_BASE8_MAX (k is not reduced: [k] Base8 = [k mod l] Base8).
 * PRECONDITION: every bits[i] boolean (e.g. from zk_g_num2bits); other
 * values give a meaningless point.  Construction and counts above (2 per
 * bit, n = 251: 504, n = 253: 511).  Scope "bj_mul_base8".  ZK_EINVAL for
 * n out of range or bits NULL.
 */
void zk_g_bj_mul_base8(zk_cs *cs, zk_g_bj_pt *out, const zk_lc *bits,
                       size_t n);

/*
 * *out = [k] p, k = sum 2^i bits[i] for i < n, 1 <= n <= ZK_G_BJ_MUL_MAX
 * (not reduced: p may have any order).  PRECONDITIONS: every bits[i]
 * boolean; p on the curve (zk_g_bj_assert_on_curve).  The gadget asserts
 * x(p) != 0 (1 constraint, the condition of its conversion to Montgomery
 * form), which rejects the identity and the point of order 2; points of
 * order 4 and 8 make the system unsatisfiable too for n >= 5 (the
 * doubling chain reaches (0, 0) and cannot double it).  Otherwise the
 * output is determined (sound) for every scalar, and the system is
 * satisfiable except for fewer than 2^-240 of the scalars (see above).
 * A bit given as a constant LC costs its products nothing (EdDSA passes
 * the scalar 2 hm, the bits of hm above a constant 0, with p = [4] A),
 * and a constant p makes the doubling chain free (1025 constraints for
 * 254 bits; zk_g_bj_mul_base8 is still cheaper for Base8).  Scope
 * "bj_mul" with children "chain", "horner", "final".  ZK_EINVAL for n out
 * of range or bits NULL.
 */
void zk_g_bj_mul(zk_cs *cs, zk_g_bj_pt *out, const zk_lc *bits, size_t n,
                 zk_g_bj_pt p);

#endif
