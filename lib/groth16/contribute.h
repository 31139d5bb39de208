/*
 * contribute.h -- phase-2 ceremony of a Groth16 key: one more contribution
 * to a snarkjs .zkey, and the checks of a key's contribution chain, in the
 * format and with the transcript of snarkjs 0.7 (src/zkey_contribute.js,
 * zkey_verify_frominit.js, keypair.js), so that `snarkjs zkey verify`
 * accepts a key with our contributions among snarkjs's ones, and keys that
 * snarkjs built verify here.
 *
 * A contribution with secret x (uniform non-zero in Fr) turns the key into
 *   delta1' = [x] delta1,  delta2' = [x] delta2,
 *   C'_i = [1/x] C_i (private wires),  H'_i = [1/x] H_i,
 * everything else unchanged, and appends to section 10 the public key
 *   deltaAfter = delta1',  g1_s (a random point of G1),  g1_sx = [x] g1_s,
 *   transcript = BLAKE2b-512(csHash || pk_0 || ... || pk_{n-1}
 *                            || U(g1_s) || U(g1_sx)),
 *   g2_spx = [x] g2_sp  with  g2_sp = zk_groth16_hash_to_g2(transcript),
 * where pk_j = U(deltaAfter) || U(g1_s) || U(g1_sx) || U(g2_spx) ||
 * transcript of contribution j and U() is the uncompressed big-endian
 * encoding (that of EIP-196/197: zk_g1_to_eth, zk_g2_to_eth).
 *
 * A chain is valid when, for every contribution j, from prev = the G1
 * generator (a fresh key has delta = 1):
 *   transcript_j is the hash above over the contributions before j,
 *   e(g1_s, g2_spx) = e(g1_sx, g2_sp)      (the same x in G1 and in G2),
 *   e(prev, g2_spx) = e(deltaAfter, g2_sp) (deltaAfter = [x] prev),
 *   a beacon (type 1) has the g1_s, g1_sx its beacon hash determines,
 * and finally delta1 = the last deltaAfter and e(delta1, G2) = e(G1, delta2).
 *
 * Secrets: x and 1/x live in sodium_malloc memory and are wiped; every
 * multiplication by them is constant time (zk_g1j_mul / zk_g2j_mul:
 * complete formulas, masked table scans), one per point, spread over the
 * pool; results are normalized with constant-time inversions.  The
 * verifiers see public data only and are variable time.
 */
#ifndef ZK_GROTH16_CONTRIBUTE_H
#define ZK_GROTH16_CONTRIBUTE_H

#include <stdint.h>

#include "curve/g2.h"
#include "io/zkey.h"
#include "util/err.h"
#include "util/pool.h"

/* The longest name stored with a contribution, in bytes (one length byte
 * in the file; snarkjs keeps the first 64 characters). */
#define ZK_CONTRIBUTION_NAME_MAX 64u

/*
 * *out = a new key: in with one more contribution (see the top of this
 * file).  name may be NULL or "" (no name stored, as snarkjs does for an
 * empty one); a longer name is cut to its first 64 bytes, at a UTF-8
 * character boundary.  in must be a complete key (not ZK_ZKEY_VK_ONLY),
 * and is not modified; it need not have been checked beyond zk_zkey_read.
 * Runs on pool (NULL: serially); the result does not depend on the thread
 * count, only on the random x and g1_s.
 *
 * Returns 0, or (*out = NULL):
 *   ZK_EINVAL   a NULL out or in, a VK_ONLY key (a proving array NULL),
 *               counts that do not agree (nPublic >= nVars, domainSize
 *               != 2^log_domain), a key that already has UINT32_MAX
 *               contributions;
 *   ZK_ENOMEM   (also when libsodium cannot be initialized), or an error
 *               of zk_pool_run.
 * Time: one constant-time scalar multiplication per C and H point
 * (nVars - nPublic - 1 + domainSize of them), about 0.1 ms a point on
 * one core; memory: a second key (zk_zkey_alloc).  Progress: with a
 * meter on the pool (pool.h), phase "contribute", one unit per point.
 */
ZK_WUR int zk_groth16_contribute(zk_zkey **out, const zk_zkey *in,
                                 const char *name, zk_pool *pool);

/*
 * r = the point of G2 that snarkjs derives from a 64-byte transcript
 * (keypair.js hashToG2): ffjavascript's ChaCha20 generator seeded with the
 * first 32 bytes read as 8 big-endian words, then G2.fromRng: x = c0 + c1 u,
 * each coordinate from four 64-bit draws (two words each, the first one
 * high) taken as the little-endian limbs of its Montgomery form, cut to
 * 254 bits and redrawn while >= p; the low bit of one more word picks the
 * sign of y (ffjavascript's isNegative: c1, or c0 when c1 = 0, above
 * (p - 1) / 2); all redrawn until x^3 + b' is a square; then the point
 * times the twist's cofactor 2p - r.  Deterministic, variable time (public
 * input).
 */
void zk_groth16_hash_to_g2(zk_g2 *r, const uint8_t transcript[64]);

/*
 * out = BLAKE2b-512 of the contribution's public key (pk_j above): the
 * "Contribution Hash" that snarkjs prints after contributing and when
 * verifying.
 */
void zk_groth16_contribution_hash(uint8_t out[64], const zk_zkey_contribution *c);

/*
 * Check z's contribution chain and its delta (see the top of this file):
 * what can be checked without the key it started from.  Points of the
 * contributions are checked to be on their curves and in their groups.
 * A beacon of 2^e hash iterations costs 2^e SHA-256 evaluations; e > 40
 * is refused (ZK_EUNSUPPORTED).
 *
 * Returns 0 when the chain is valid, ZK_EVERIFY when it is not, with
 * *why (if not NULL) a static string naming the failed check and *index
 * (if not NULL) the index of the contribution at fault, or -1 when the
 * fault is the key's delta; ZK_EINVAL for a NULL z; ZK_EUNSUPPORTED.
 */
ZK_WUR int zk_groth16_contributions_verify(const zk_zkey *z, const char **why,
                                           int64_t *index);

/*
 * Check that z descends from init (the key `snarkjs groth16 setup` or
 * zk-setup makes from the circuit and the ptau, delta = 1) by a valid
 * chain of contributions: what `snarkjs zkey verify` checks once it has
 * rebuilt init.  The same sizes, alpha1, beta1, beta2, gamma2 and circuit
 * hash; sections IC, coefficients, A, B1, B2 identical; the chain
 * (zk_groth16_contributions_verify); and the C and H points of z those of
 * init (C0, H0, delta2_0 = G2) times one common factor 1/delta:
 * e(sum rho_i C0_i, delta2_0) = e(sum rho_i C_i, delta2) for random
 * 128-bit rho_i from libsodium
 * (one MSM per key and section; a wrong point passes with probability
 * about 2^-128), the same for H.  Both keys complete (not VK_ONLY).
 * The C and H check is relative to delta: it holds between any two keys
 * of one chain, which is why init must be an initial key.
 *
 * Returns 0, ZK_EVERIFY (why / index as above; index -1 for every fault
 * outside the chain, C and H included), ZK_EINVAL (a NULL or VK_ONLY key,
 * or an init that is not an initial key: contributions, or delta1 / delta2
 * other than the generators), ZK_EUNSUPPORTED, ZK_ENOMEM, or an error of
 * zk_pool_run.
 */
ZK_WUR int zk_groth16_verify_from_init(const zk_zkey *init, const zk_zkey *z,
                                       zk_pool *pool, const char **why,
                                       int64_t *index);

#endif
