/*
 * ptau_dev.h -- development powers-of-tau files: a prepared .ptau made in
 * seconds from local randomness, for tests and benchmarks.
 *
 * INSECURE: FOR TESTS AND BENCHMARKS ONLY.  The toxic waste (tau, alpha,
 * beta) is drawn on this machine and wiped afterwards, but nobody except
 * this machine can know that it was: whoever could read its memory while
 * the file was made can forge proofs for every key set up from the file.
 * A dev ptau proves nothing about its toxic waste.  Real keys need a
 * ceremony file (e.g. the Hermez/Polygon ptau) and phase-2 contributions.
 *
 * The file is laid out exactly as `snarkjs powersoftau new`, one
 * `powersoftau contribute` whose secrets are tau, alpha, beta, and
 * `powersoftau prepare phase2` would write it (see io/ptau.h for the
 * sections; p = power, n = 2^p):
 *   1  header: n8 = 32, q, power = p, ceremonyPower = p
 *   2  tau^i G1, i < 2n - 1        3  tau^i G2, i < n
 *   4  alpha tau^i G1, i < n       5  beta tau^i G1, i < n
 *   6  beta G2
 *   7  contributions: the count 0 and no record (see below)
 *  12  for k = 0 .. p+1: L_j(tau) G1, j < 2^k (block p+1 as snarkjs
 *      makes it: the inverse DFT of tau^0 .. tau^(2n-2) and a 0)
 *  13  for k = 0 .. p: L_j(tau) G2       14  alpha L_j(tau) G1
 *  15  beta L_j(tau) G1
 * with L_j the Lagrange basis of the domain <omega_2^k> (fr.h's roots).
 * So `snarkjs groth16 setup` / `zkey new` and zk_groth16_setup accept it
 * and give the same key, and `snarkjs zkey verify` accepts that key
 * (it checks the key against sections 2 to 6 and 12 to 15, never 7).
 *
 * Section 7 holds no contribution record (what `powersoftau new` writes),
 * since a record would only describe a contribution nobody can audit.
 * `snarkjs powersoftau verify` therefore REJECTS a dev file ("This file
 * has no contribution! It cannot be used in production"), as it should.
 *
 * How: tau (outside <omega_2^(p+1)>), alpha, beta are uniform non-zero
 * elements of Fr from libsodium, kept with every scalar derived from them
 * in sodium_malloc memory and wiped on every return path.  The scalars
 * are tau^i and alpha / beta times them, and per level k the Lagrange
 * values by the barycentric formula
 *   L_j(tau) = (tau^m - 1)/m * omega^j / (tau - omega^j),   m = 2^k,
 * (minus tau^(m-1) omega^j / m for section 12's block p+1), one batch
 * inversion per chunk of values; every point is a constant-time
 * fixed-base multiplication of the generator (msm.h).  Points are
 * computed and written in chunks, so memory stays at a few MiB whatever
 * the power.  Cost: 6 * 2^(p+1) G1 and 3 * 2^p G2 fixed-base
 * multiplications (power 17: about 1.6 million G1 and 0.4 million G2,
 * some 42 CPU-seconds, so about 21 s on two idle cores, for a 151 MB
 * file; `snarkjs powersoftau` takes many minutes for the same file).
 */
#ifndef ZK_GROTH16_PTAU_DEV_H
#define ZK_GROTH16_PTAU_DEV_H

#include "util/err.h"
#include "util/pool.h"

/* The largest power zk_ptau_dev_write makes: section 12's block p+1 needs
 * a 2^(p+1)-th root of unity, and Fr's 2-adicity is 28. */
#define ZK_PTAU_DEV_MAX_POWER 27u

/*
 * Write a development ptau of 2^power powers to path (see above:
 * INSECURE).  Written through binfile.h's writer: the file appears whole
 * under path, or path is left as it was.  The points are computed on pool
 * (NULL: in the calling thread); the file is different on every call
 * (fresh secrets).
 * Returns 0, or:
 *   ZK_EINVAL   NULL path, power > ZK_PTAU_DEV_MAX_POWER;
 *   ZK_EIO      the file cannot be written (errno kept), or libsodium
 *               cannot be initialised;
 *   ZK_ENOMEM, or an error of zk_pool_run.
 * Thread safety: distinct calls are independent.  Constant time in the
 * secrets.  Progress: with a meter on the pool (pool.h), phase "ptau", in
 * the units of the fixed-base multiplications (msm.h).
 */
ZK_WUR int zk_ptau_dev_write(const char *path, unsigned power, zk_pool *pool);

#endif
