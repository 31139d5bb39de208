/*
 * msm.h -- multi-scalar multiplication (Pippenger) and fixed-base batch
 * multiplication on G1 and G2 of BN254.
 *
 * zk_msm_g1 / zk_msm_g2 compute r = sum_i [k_i] P_i.  They are for PUBLIC
 * data (proving-key points, witness-derived scalars that end up behind a
 * commitment): the running time and the memory access pattern depend on
 * the scalars and the points.  Each scalar is split with an endomorphism
 * into two halves below 2^127 (GLV on G1; on G2 psi, untwist-Frobenius-
 * twist, which acts on G2 as [p mod r] = [6z^2]), then a signed-digit
 * bucket method runs window by window, adding into affine buckets in
 * batches that share one field inversion (Montgomery's trick).
 *
 * zk_g1_fixed_base_batch / zk_g2_fixed_base_batch compute out[i] = [k_i]
 * base for many SECRET scalars (setup: powers of the toxic waste).  Each
 * scalar is recoded into fixed-width odd signed digits, each digit's
 * multiple of base is read from a precomputed table by scanning the whole
 * table with masks, and the multiples are summed with complete (exception-
 * free) projective addition formulas: the sequence of operations and of
 * memory accesses is the same for every scalar, 0 and r - 1 included.
 *
 * Common rules:
 *  - pool: the thread pool to run on; NULL runs everything in the calling
 *    thread.  The outputs are bit-identical for every pool and thread
 *    count: the MSM result is returned normalized (Z = 1, or exactly
 *    (1, 1, 0) for infinity), fixed-base outputs are affine.
 *  - Each call allocates its working memory with one malloc and frees it
 *    before returning; ZK_ENOMEM when that fails (outputs untouched).
 *  - Inputs are read only; outputs must not overlap inputs.
 *  - Thread safety: no global state; concurrent calls are fine (calls on
 *    one pool are serialised by zk_pool_run; a call made from inside a
 *    task of its own pool runs serially).
 */
#ifndef ZK_MSM_H
#define ZK_MSM_H

#include <stddef.h>

#include "curve/g1.h"
#include "curve/g2.h"
#include "field/fr.h"
#include "util/err.h"
#include "util/pool.h"

/*
 * r = sum_{i < n} [scalars[i]] points[i].
 *
 * points: n affine points; the point at infinity (0, 0) is allowed and
 * contributes nothing.  G1: any point of E(Fp) (cofactor 1).  G2: the
 * points must lie in G2, the order-r subgroup, as every decoder of g2.h
 * guarantees (psi is [6z^2] only there); for other points of the twist the
 * result is unspecified.  scalars: n elements of Fr, any values (zero
 * included).  n may be 0 (r = infinity), and the arrays may then be NULL.
 *
 * Progress: when the pool carries a meter (pool.h), the call advances it
 * by exactly n units (one per point) as the window sums are computed; it
 * does not start a phase: the caller does (zk_meter_begin).
 *
 * Returns 0, ZK_EINVAL (r NULL, or points / scalars NULL with n > 0),
 * ZK_ENOMEM (r untouched), or an error of zk_pool_run.
 * Memory: 48 bytes per point plus one endomorphism image per point (64
 * bytes on G1, 128 on G2), plus the buckets of each thread, a few MiB
 * (window of c bits: 2^(c-1) affine buckets; c = 16 at n = 2^20).
 * Time: about 2n ceil(128 / c) batched affine additions.  Variable time:
 * public inputs only.
 */
ZK_WUR int zk_msm_g1(zk_g1j *r, const zk_g1 *points, const zk_fr *scalars, size_t n,
                     zk_pool *pool);
ZK_WUR int zk_msm_g2(zk_g2j *r, const zk_g2 *points, const zk_fr *scalars, size_t n,
                     zk_pool *pool);

/*
 * out[i] = [k[i]] base, affine (infinity as (0, 0)), for i < n.
 *
 * base: public, any point of G1 / of G2 (at infinity, every output is
 * infinity).  k: SECRET scalars, any elements of Fr.  Constant time in k:
 * 43 odd signed 6-bit digits per scalar, the table of base (43 x 32
 * points: 88 KiB on G1, 176 KiB on G2) read by full masked scans,
 * complete addition formulas, normalization by constant-time inversion
 * (one per 64 outputs); the time depends on n and on whether base is
 * infinity only.  The buffers that held secrets are wiped before
 * returning.
 *
 * Progress: with a meter on the pool (pool.h), the call advances it by n
 * units on G1 and by ZK_FIXED_BASE_G2_UNITS * n on G2 (a G2 output costs
 * about three G1 outputs, so a phase that mixes both advances evenly in
 * time); it does not start a phase.
 *
 * Returns 0 (also for n = 0, whatever the pointers), ZK_EINVAL (a NULL
 * pointer with n > 0), ZK_ENOMEM, or an error of zk_pool_run.  out must
 * not overlap base or k.
 */
#define ZK_FIXED_BASE_G2_UNITS 3u
ZK_WUR int zk_g1_fixed_base_batch(zk_g1 *out, const zk_g1 *base, const zk_fr *k, size_t n,
                                  zk_pool *pool);
ZK_WUR int zk_g2_fixed_base_batch(zk_g2 *out, const zk_g2 *base, const zk_fr *k, size_t n,
                                  zk_pool *pool);

#endif
