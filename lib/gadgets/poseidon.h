/*
 * gadgets/poseidon.h -- Poseidon in-circuit, on the constraint-system
 * builder (r1cs/cs.h): the same function as zk_poseidon / zk_poseidon_ex
 * (hash/poseidon.h, circomlib's parameters), with exactly the constraints
 * of circomlib's poseidon.circom compiled by circom --O2.
 *
 * Structure (circomlib's optimized circuit, the schedule documented at
 * zk_poseidon_params in hash/poseidon.h): every S-box x^5 is three
 * constraints in circomlib's order,
 *
 *     x * x = x2,   x2 * x2 = x4,   x4 * x = x5,
 *
 * and everything else -- round constants, the full-round MDS mixes, the
 * sparse partial-round mixes -- is linear, so it is carried in linear
 * combinations and costs no constraint (circom --O2 substitutes those
 * signals away; this builder never creates them).  An S-box whose input
 * LC is a constant (no term, or a term on ONE only) is evaluated at build
 * time and costs nothing, as circom does with constant signals; the
 * decision depends on the LC's structure (its coefficients), never on
 * witness values, so it is the same in every mode.  With init = 0 (plain
 * Poseidon) the first S-box of state[0] is such a constant, hence
 *
 *     constraints(n inputs) = 3 (8 t + R_P) - 3,   t = n + 1,
 *
 *     n            1    2    3    4    5    6
 *     constraints  213  240  261  297  321  354
 *
 * equal to circom 2.2.3 --O2 on circomlib 2.0.5's Poseidon(n) (measured:
 * see tests/unit/test_gposeidon.c).
 *
 * Variables: one per constraint.  In the partial rounds (all but the
 * last) the variable after x2 and x4 is the NEXT round's S-box input u
 * rather than x5, and x4 * x = x5 is written as (S0 x4) * x = u - S0 c -
 * rest (x5 eliminated through the linear relation u = S0 (x5 + c) + rest
 * of the sparse mix): the same solution set and counts, but each
 * partial S-box reads one variable, and the combination of all earlier
 * S-box outputs (up to t + R_P terms) is written once per round instead
 * of three times.  circom --O2 reaches the same shape by substitution.
 * Stored terms per hash (A + B + C), this gadget vs circom's .r1cs:
 *
 *     n            1     2     3     4     5     6
 *     here         2712  3192  3560  4393  4938  5819
 *     circom --O2  2574  3040  3398  7566  8088  9293
 *
 * No LC is cut into a variable: that would add a linear constraint
 * circomlib does not have.
 *
 * Output: LCs, not variables.  out[i] is the last mix, a combination of
 * the t final S-box outputs (t terms); it lives in the cs's arena like any
 * LC: valid until the caller releases a mark taken before the call (the
 * gadget releases its own scratch and moves out[] down to where the arena
 * stood on entry).  zk_cs_to_var or zk_cs_output makes a variable of it
 * for one linear constraint when one is needed.
 *
 * Scopes: the gadget pushes "poseidon" with children "full" (the 8 full
 * rounds) and "partial", so zk_cs_is_satisfied reports paths such as
 * "merkle/level[3]/poseidon/partial".
 *
 * Errors: the builder's sticky model.  Bad arguments (n or n_out out of
 * range, NULL pointers) record ZK_EINVAL in cs (sticky) and return it;
 * otherwise the functions return zk_cs_err(cs) after building (0 on
 * success), so gadget code may ignore the result and check the cs once at
 * the end.  On any error out[] holds empty LCs.
 *
 * Time: building is dominated by the LC algebra of the partial rounds,
 * O(t (t + R_P)) field multiplications per round: about 0.2-0.3 ms per
 * Poseidon(2) in every mode (native zk_poseidon: about 12 us).  Public
 * values only, nothing here is constant-time.  One thread per cs (see
 * cs.h); different cs objects may be built concurrently (the one shared
 * table, 1 / S0 per partial round, is made once under pthread_once).
 */
#ifndef ZK_GADGETS_POSEIDON_H
#define ZK_GADGETS_POSEIDON_H

#include <stddef.h>

#include "hash/poseidon.h"
#include "r1cs/cs.h"

/*
 * *out = Poseidon(in[0..n)) for 1 <= n <= ZK_POSEIDON_MAX_INPUTS (t = n + 1),
 * as circomlib's Poseidon(n).  in: any LCs of cs.  *out: an LC of t terms.
 * Returns 0 or an error as described above.
 */
int zk_g_poseidon(zk_cs *cs, zk_lc *out, const zk_lc *in, size_t n);

/*
 * circomlib's PoseidonEx(n, n_out): state = (init, in[0..n)), permute,
 * out[i] = state[i] for i < n_out, 1 <= n_out <= n + 1.  init NULL means
 * the constant 0 (then out[0] is zk_g_poseidon's value and the count is
 * the same); a non-constant init costs 3 more constraints (its first
 * S-box).  out may alias in or init (they are read first).
 */
int zk_g_poseidon_ex(zk_cs *cs, zk_lc *out, size_t n_out, const zk_lc *in,
                     size_t n, const zk_lc *init);

/*
 * The constraint Poseidon(in[0..n)) == expect, for the same
 * zk_g_poseidon_constraints(n) constraints as the hash alone: the output
 * equation is folded into the last S-box of state[0] (its x5 is
 * eliminated, as circom --O2 substitutes `expect === Poseidon(..).out`),
 * so it costs one constraint and one variable less than zk_g_poseidon
 * followed by zk_cs_enforce_equal.  Arguments and errors as
 * zk_g_poseidon.
 */
int zk_g_poseidon_assert(zk_cs *cs, zk_lc expect, const zk_lc *in, size_t n);

/* The constraint count of zk_g_poseidon_ex with a constant init and
 * non-constant inputs (the formula above; n_out does not matter); 0 when
 * n is out of range. */
size_t zk_g_poseidon_constraints(size_t n);

#endif
