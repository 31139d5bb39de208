/*
 * groth16.h -- Groth16 proofs over BN254 on snarkjs proving keys.
 *
 * Proving (zk_groth16_prove) follows the construction that snarkjs's keys
 * are made for (src/groth16_prove.js), so any circom/snarkjs .zkey works:
 *
 *   1. matvec: a_j = sum (A_jk w_k), b_j = sum (B_jk w_k) over the key's
 *      coefficient list (only A and B are stored; rows >= #constraints are
 *      the extra rows snarkjs adds for the public wires), c_j = a_j b_j;
 *   2. ntt: the three vectors are interpolated on the domain <omega_n> and
 *      evaluated on its odd coset omega_2n <omega_n>, and there
 *      h_j = a_j b_j - c_j (the key's H points are the Lagrange basis of
 *      the doubled domain at odd indices, divided by delta, so that
 *      sum h_j H_j = h(tau) Z(tau) / delta);
 *   3. msm: sum h_j H_j (first, so that the vectors of steps 1-2 are
 *      freed early), sum w_k A_k, sum w_k B1_k, sum w_k B2_k (G2), sum
 *      over the private wires of w_k C_k;
 *   4. blind: with r, s uniform in Fr from libsodium (sodium_malloc, wiped),
 *      A = alpha + sum w A + r delta,  B = beta + sum w B2 + s delta,
 *      C = sum w C + sum h H + s A + r B1' - r s delta  (B1' the G1 twin of
 *      B), the scalar multiplications by r, s and r s constant-time;
 *   5. check: the proof is verified against the key's own verification key
 *      (one multi-pairing, ~1 ms) and B's membership in G2 is checked.
 *      A proof is returned only when it verifies, so a witness that does
 *      not satisfy the circuit, or a proving key whose B2 points are not in
 *      G2 (not checked by default when reading, see zkey.h), is reported
 *      (ZK_EVERIFY) instead of producing a proof that would be rejected.
 *
 * Verifying (zk_groth16_verify) is the check of the snarkjs verifier and of
 * Ethereum's pairing precompile: e(A, B) = e(alpha, beta) e(vk_x, gamma)
 * e(C, delta), vk_x = IC_0 + sum x_i IC_i, computed as one multi-Miller
 * loop over (-A, B), (alpha, beta), (vk_x, gamma), (C, delta) and one final
 * exponentiation.  Public inputs are zk_fr values, so < r by construction;
 * readers of public.json reject values >= r (json.h) rather than reduce.
 *
 * Threads: both run on pool (NULL: serially).  Proofs differ from run to
 * run (fresh blinding) but each one's validity does not depend on the pool.
 * Timing: the MSMs and NTTs take time that depends on the witness (as in
 * every Groth16 prover); only the blinding is constant-time.
 */
#ifndef ZK_GROTH16_H
#define ZK_GROTH16_H

#include <stddef.h>

#include "field/fr.h"
#include "io/json.h"
#include "io/zkey.h"
#include "util/err.h"
#include "util/pool.h"

/*
 * Called after each phase of zk_groth16_prove with the phase's name
 * ("matvec", "ntt", "msm_h", "msm_a", "msm_b1", "msm_b2", "msm_c",
 * "blind", "check") and its wall time in seconds.  May be NULL.
 */
typedef void (*zk_groth16_progress_fn)(void *ctx, const char *phase, double seconds);

/*
 * Prove: *proof from the full witness w[0..n) (r1cs wire order, w[0] = 1)
 * and the complete key z (not read with ZK_ZKEY_VK_ONLY).  The public
 * signals of the proof are w[1 .. z->n_public].
 *
 * Returns 0, or:
 *   ZK_EINVAL        a NULL argument, a VK_ONLY key, n != z->n_vars;
 *   ZK_EFORMAT       w[0] != 1 (not a witness of an r1cs);
 *   ZK_EUNSUPPORTED  a domain of 2^28 (the coset needs a 2^29-th root of
 *                    unity, which Fr lacks; snarkjs uses another shift);
 *   ZK_ENOTINGROUP   the computed B is not in G2: some B2 point of the key
 *                    is outside G2;
 *   ZK_EVERIFY       the proof does not verify against the key's own
 *                    verification key: the witness does not satisfy the
 *                    circuit (or the key is inconsistent);
 *   ZK_ENOMEM.
 * Progress: with a meter on the pool (pool.h), the long phases are
 * metered under the names given to `progress`: "matvec" (one unit per
 * row range), "ntt" (7 units: six transforms and the join), "msm_h",
 * "msm_a", "msm_b1", "msm_b2", "msm_c" (one unit per point, msm.h); the
 * meter has no phase when the call returns.
 * *proof is written only on success.  Memory: 3 domain-size vectors of Fr
 * (96 bytes per row) plus the MSMs' working memory (msm.h).
 */
ZK_WUR int zk_groth16_prove(zk_groth16_proof *proof, const zk_zkey *z,
                            const zk_fr *w, size_t n, zk_pool *pool,
                            zk_groth16_progress_fn progress, void *ctx);

/*
 * Verify proof against vk and the n public inputs x[0..n).
 * Returns 0 when the proof is valid, ZK_EVERIFY when it is not, or:
 *   ZK_EINVAL        a NULL argument (x may be NULL when n == 0), or
 *                    n != vk->n_public;
 *   ZK_ENOTONCURVE   a proof or key point off its curve;
 *   ZK_ENOTINGROUP   B or a G2 point of the key outside G2;
 *   ZK_ENOMEM.
 * (The JSON decoders already reject such points; these checks make the
 * function safe for points that come from anywhere.)
 */
ZK_WUR int zk_groth16_verify(const zk_groth16_vk *vk, const zk_fr *x, size_t n,
                             const zk_groth16_proof *proof);

/*
 * The verification key of z: alpha1, beta2, gamma2, delta2, IC (copied;
 * free with zk_groth16_vk_free) and alphabeta = e(alpha1, beta2), so that
 * zk_json_vk_encode writes what `snarkjs zkey export verificationkey`
 * writes.  Returns 0, ZK_EINVAL, ZK_ENOMEM (*vk zeroed on error).
 */
ZK_WUR int zk_groth16_vk_from_zkey(zk_groth16_vk *vk, const zk_zkey *z);

#endif
