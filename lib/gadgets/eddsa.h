/*
 * gadgets/eddsa.h -- EdDSA-Poseidon signature verification in-circuit:
 * circomlib's EdDSAPoseidonVerifier (eddsaposeidon.circom), stricter, in
 * 20% fewer constraints (3375 against 4217).  Native twin:
 * zk_g_eddsa_verify_native below, i.e. zk_eddsa_verify (sig/eddsa.h) plus
 * the `enabled` switch.
 *
 * ------------------------------------------------------------ semantics
 *
 * Inputs: enabled, the public key A = (Ax, Ay), the signature (R8, S)
 * with S a field element, and the message M.  With enabled = 1 the
 * system is satisfiable exactly when
 *
 *   S < l                        (the integer S, canonical: S + l, S = l
 *                                 and every S >= l are rejected)
 *   A and R8 on the curve        (circomlib checks neither)
 *   [8] A != identity            (A not of small order, as circomlib)
 *   [S] Base8 == R8 + [8 hm] A,  hm = Poseidon(R8x, R8y, Ax, Ay, M)
 *
 * which is zk_eddsa_verify's acceptance (circomlibjs verifyPoseidon's
 * equation, cofactored on A), with hm's bits taken canonically (strict
 * decomposition, as circomlib's Num2Bits_strict).  One exception, by
 * construction negligible: for fewer than 2^-240 of the values of hm (a
 * set fixed by integers mod l alone, independent of the key; see
 * gadgets/babyjub.h, zk_g_bj_mul) the system is unsatisfiable although
 * the signature is valid (circomlib's segmented multiplication has no
 * such set; the cheaper double-and-add here does).  hm is a Poseidon
 * output, so neither signer nor prover can aim at that set.  Every
 * intermediate variable is determined by the inputs: a prover who
 * recomputes them all still cannot satisfy the system for an invalid
 * signature.
 *
 * With enabled = 0 the system is satisfiable for ANY inputs (a rollup
 * skips the check of deposits and no-op transactions this way): the
 * inputs are replaced by a fixed valid signature (zk_g_eddsa_placeholder)
 * before anything is checked, 6 constraints of the form
 * x' = c + enabled (x - c).  enabled must be 0 or 1: it is asserted
 * boolean (circomlib's ForceEqualIfEnabled treats any nonzero value as
 * "on"; here any other value is unsatisfiable).  enabled given as the
 * constant 1 (always on) or 0 costs none of these 7 constraints.
 *
 * --------------------------------------------------------------- counts
 *
 * Constraints, enabled a variable, by scope; circomlib's
 * EdDSAPoseidonVerifier() compiled by circom 2.2.3 --O2 (measured in
 * tests/unit/test_geddsa.c) in brackets, by template:
 *
 *   enabled          7   boolean + 6 substitutions
 *   a                6   A on the curve + [2] A (shared squares)
 *   r8               3   R8 on the curve
 *   small_order      6   [4] A, x([4] A) != 0        [3 BabyDbl: 18]
 *   s_range        364   S < l                       [Num2Bits(253) +
 *                                                     CompConstant: 515]
 *   poseidon       321   Poseidon(5)                 [321]
 *   h_bits         353   hm's canonical bits         [Num2Bits_strict: 515]
 *   mul_a         1805   [2 hm] ([4] A)              [EscalarMulAny: 2310]
 *   mul_b8         504   [S] Base8                   [EscalarMulFix: 523]
 *   equation         6   R8 + [8 hm] A == [S] Base8  [BabyAdd: 6]
 *                                                    [IsZero and the
 *                                                     `enabled` gates: ~9]
 *   total         3375                               [4217]
 *   (3368 with enabled the constant 1)
 *
 * s_range decomposes S into 251 bits and bounds them by l - 1 in the same
 * pass (the bits <= constant check folded into the boolean constraints at
 * the 0 bits of l - 1, as zk_g_num2bits_strict does for r - 1), where
 * circomlib takes Num2Bits(253) and CompConstant.
 *
 * ------------------------------------------------------------- contract
 *
 * As the other gadgets (gadgets/bits.h): cs first, inputs are LCs of cs,
 * structure independent of values and mode.  Scope "eddsa" with children
 * "enabled", "a", "r8", "small_order", "s_range", "poseidon", "h_bits",
 * "mul_a", "mul_b8", "equation" (zk_cs_is_satisfied names the check that
 * failed, e.g. "eddsa/r8/bj_on_curve" for R8 off the curve,
 * "eddsa/equation/bj_add" for a wrong S or message).  Returns 0 or the
 * sticky error (ZK_EINVAL for a constant enabled other than 0 or 1).
 * Public values; not constant-time; one thread per cs.
 */
#ifndef ZK_GADGETS_EDDSA_H
#define ZK_GADGETS_EDDSA_H

#include "curve/babyjub.h"
#include "field/fr.h"
#include "gadgets/babyjub.h"
#include "r1cs/cs.h"

/* The constraint count of zk_g_eddsa_verify with a variable `enabled`
 * and non-constant inputs (7 fewer for a constant enabled). */
#define ZK_G_EDDSA_CONSTRAINTS 3375

/*
 * The verifier described above.  enabled, s, msg and the coordinates of
 * a and r8: LCs of cs.  Returns zk_cs_err(cs) after building (0 on
 * success).
 */
int zk_g_eddsa_verify(zk_cs *cs, zk_lc enabled, zk_g_bj_pt a, zk_lc s,
                      zk_g_bj_pt r8, zk_lc msg);

/*
 * What zk_g_eddsa_verify accepts, out of circuit: 0 when enabled = 0, or
 * enabled = 1 and (a, msg, r8, s) pass zk_eddsa_verify (s as the
 * canonical integer of the field element); ZK_EVERIFY otherwise (enabled
 * not 0 or 1 included); ZK_EINVAL for a NULL pointer.  (The circuit also
 * rejects the ~2^-240 values of hm described above; this function does
 * not model them.)
 */
int zk_g_eddsa_verify_native(const zk_fr *enabled, const zk_bj *a,
                             const zk_fr *s, const zk_bj *r8,
                             const zk_fr *msg);

/*
 * The fixed signature substituted when enabled = 0: the key of the
 * all-zero 32-byte secret key (zk_eddsa_pubkey) and its signature of
 * msg = 0 (zk_eddsa_sign); a valid signature, so the disabled circuit is
 * satisfiable.  Any pointer may be NULL.
 */
void zk_g_eddsa_placeholder(zk_bj *a, zk_fr *s, zk_bj *r8, zk_fr *msg);

#endif
