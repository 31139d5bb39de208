/*
 * setup.h -- Groth16 circuit-specific setup: the initial proving key of an
 * r1cs, from a prepared powers-of-tau file exactly as snarkjs makes it, or
 * from fresh local randomness for development.
 *
 * THE KEY (both functions; see snarkjs src/zkey_new.js).  Let m =
 * nConstraints, nPublic = nPubOut + nPubIn, n = nVars (wire 0 included).
 *  - Domain: the smallest power of two d = 2^k >= m + nPublic + 1, and
 *    k >= 1 (snarkjs: log2(m + nPublic) + 1 with log2 the floor).
 *  - Rows: constraint i is row i; then, for every public wire s (0 ..
 *    nPublic, wire 0 included), an extra A row m + s holding 1 * w_s, so
 *    that every public input is bound to the proof.
 *  - With L_j the Lagrange basis of <omega_d> (omega_d = 5^((r-1)/d), as
 *    fr.h and ffjavascript), the wire polynomials at tau are
 *      u_s = sum_i A_is L_i(tau) + [s <= nPublic] L_{m+s}(tau),
 *      v_s = sum_i B_is L_i(tau),  w_s = sum_i C_is L_i(tau).
 *  - Sections: A_s = u_s G1, B1_s = v_s G1, B2_s = v_s G2,
 *    IC_s = (beta u_s + alpha v_s + w_s)/gamma G1 for s <= nPublic,
 *    C_s = (beta u_s + alpha v_s + w_s)/delta G1 for the private wires,
 *    H_j = L'_{2j+1}(tau)/delta G1 for j < d, L' the Lagrange basis of the
 *    doubled domain <omega_2d> (so the prover evaluates on the odd coset,
 *    see groth16.h), alpha1 = alpha G1, beta1 = beta G1, beta2 = beta G2,
 *    gamma2 = gamma G2, delta1 = delta G1, delta2 = delta G2.
 *  - Coefficients (section 4), in snarkjs's order: for each constraint i,
 *    its A terms (matrix 0, row i) in r1cs order, then its B terms
 *    (matrix 1, row i); then the extra rows (matrix 0, row m + s, wire s,
 *    value 1) for s = 0 .. nPublic.  Zero coefficients are kept.
 *  - Circuit hash (section 10): BLAKE2b-512 (libsodium crypto_generichash,
 *    no key) of, in order, with every point in the uncompressed big-endian
 *    form x || y (G2: x.c1 x.c0 y.c1 y.c0; infinity 0...0) that zk_g1_to_eth
 *    / zk_g2_to_eth write and every count a big-endian u32:
 *      alpha1, beta1, beta2, gamma2, delta1, delta2;
 *      nPublic + 1, IC;
 *      d - 1, then T_i = tau^i (tau^d - 1) G1 for i < t, where t = d - 1
 *        for d <= 2^14 and t = d above (snarkjs hashes 2^14-point chunks
 *        and its last chunk overruns by one point);
 *      n - nPublic - 1, C;  n, A;  n, B1;  n, B2.
 *    Contributions: none.
 *
 * zk_groth16_setup (from a ptau) builds the key that `snarkjs groth16
 * setup circuit.r1cs pot.ptau circuit.zkey` (= `zkey new`) writes, bit for
 * bit: gamma = delta = 1 (the generators), alpha, beta, tau the ceremony's,
 * every point taken from the ptau's Lagrange sections as the sums above
 * (L_i(tau) X from section 12 / 13 / 14 / 15, the doubled block of section
 * 12 for H; T_i from section 2), so the key is usable only after phase-2
 * contributions have randomised delta (zkey contribute).  (When d =
 * 2^power, that doubled block is section 12's extra one, made without
 * tau^(2d-1): each H_j is off by tau^(2d-1) omega_2d^(2j+1) / 2d, a term
 * that cancels in every proof because deg(ab - c) <= 2d - 2.)  Only the points
 * it uses are read and validated (range, curve, G2 subgroup): 5d G1 and d
 * G2 points of the Lagrange sections, about 2d G1 points of section 2.
 *   Cost: one scalar multiplication per r1cs term and section (A, B1, B2
 *   and IC/C; variable-time double-and-add whose length is the bit length
 *   of min(c, r - c), so +-1 and small coefficients are cheap; wires with
 *   more than 1024 terms use a Pippenger MSM), d G2 subgroup checks, d
 *   additions for the hash; everything parallel on pool.  Memory: the
 *   key, plus at most 3d G1 and d G2 decoded points at a time and 16
 *   bytes per r1cs term.
 *   A snarkjs quirk reproduced: when d = 2^power >= 2^15, the last T_i
 *   needs point 2^(power+1) - 1 of section 2, one past its end, and
 *   snarkjs reads the 64 bytes that follow section 2 in the file instead
 *   (section 3's header and first bytes: zk_ptau_section2_overread).
 *   Those are not a point and usually not even reduced mod p; this
 *   function repeats ffjavascript's wasm arithmetic on them bit for bit
 *   (see setup.c), so the hash still equals snarkjs's.  If those bytes
 *   cannot be found it fails with ZK_EUNSUPPORTED.
 *
 * zk_groth16_setup_dev (no ceremony) draws tau, alpha, beta, gamma, delta
 * uniformly from Fr \ {0} with libsodium (tau also outside both domains)
 * and computes the same structure with gamma and delta != 1: L_j(tau) by
 * the barycentric formula L_j(tau) = (tau^d - 1)/d * omega^j/(tau -
 * omega^j) (one batch inversion), the wire values u, v, w and the IC/C
 * scalars as field elements, then every point with the constant-time
 * fixed-base multiplications of msm.h.  The circuit hash is the byte
 * sequence above for this key (T_i computed from its tau), so the format
 * is the same; it matches no ceremony.  Every secret (the five values,
 * the Lagrange and wire scalars) lives in sodium_malloc memory and is
 * wiped before returning, on success and on error.
 *   INSECURE for anything but development and tests: the toxic waste is
 *   wiped, but nobody except the machine that ran this can know that;
 *   whoever had access to its memory could forge proofs.  Use a ceremony
 *   ptau and phase-2 contributions for real keys.
 *   Cost: (4n + 2d) G1 and n G2 fixed-base multiplications, O(terms + d)
 *   field operations.
 *
 * Both reject an r1cs with custom gates (PLONK only) and a domain of 2^28
 * (the prover's coset needs a 2^29-th root of unity).  Both return
 * ZK_EINVAL for NULL arguments; on error *out = NULL.  Thread safety: the
 * inputs are only read; distinct calls are independent.  Timing: variable
 * in public data; the dev setup is constant-time in its secrets.
 */
#ifndef ZK_GROTH16_SETUP_H
#define ZK_GROTH16_SETUP_H

#include <stdint.h>

#include "io/ptau.h"
#include "io/r1cs.h"
#include "io/zkey.h"
#include "util/err.h"
#include "util/pool.h"

/*
 * *log_domain = k for the domain 2^k of cs (the rule above).  ZK_EINVAL
 * for NULL arguments; ZK_EUNSUPPORTED when k > ZK_ZKEY_MAX_LOG_DOMAIN.
 */
ZK_WUR int zk_groth16_setup_log_domain(uint32_t *log_domain, const zk_r1cs *cs);

/*
 * The key of `snarkjs groth16 setup` for cs and ptau (see above).
 * Returns 0 and *out (free with zk_zkey_free), or:
 *   ZK_EUNSUPPORTED  cs has custom gates; the domain is 2^28 or more; the
 *                    bytes after section 2 that snarkjs would hash cannot
 *                    be found (see above);
 *   ZK_EFORMAT       ptau is not prepared (no sections 12 to 15);
 *   ZK_ERANGE        ptau's power is smaller than the circuit's log domain;
 *   ZK_ERANGE, ZK_ENOTONCURVE, ZK_ENOTINGROUP  a ptau point it uses is
 *                    malformed;
 *   ZK_EINVAL, ZK_ENOMEM, or an error of zk_pool_run.
 * If where is not NULL it receives a description of what failed, e.g.
 * "r1cs: custom gates", "ptau: not prepared for phase 2", "ptau: power too
 * small for the circuit", "ptau section 13 (tauG2, Lagrange basis) point
 * 70"; indexed texts live in a thread-local buffer that the next failing
 * call on the thread overwrites.  NULL on success.
 * Progress: with a meter on the pool (pool.h), the wire sums (most of the
 * time) are metered as phase "setup", one unit per term of the system (the
 * points of their MSMs for the wires with many terms).
 */
ZK_WUR int zk_groth16_setup(zk_zkey **out, const zk_r1cs *cs, const zk_ptau *ptau,
                            zk_pool *pool, const char **where);

/*
 * A development key for cs from local randomness (see above: INSECURE).
 * Returns 0 and *out, or ZK_EUNSUPPORTED (custom gates, domain >= 2^28),
 * ZK_EINVAL, ZK_ENOMEM, ZK_EIO (libsodium could not be initialised), or
 * an error of zk_pool_run.
 * Progress: with a meter on the pool (pool.h), phase "setup", in the
 * units of the fixed-base multiplications (msm.h) of every key point.
 */
ZK_WUR int zk_groth16_setup_dev(zk_zkey **out, const zk_r1cs *cs, zk_pool *pool);

#endif
