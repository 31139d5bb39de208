/*
 * aggregate.h -- SnarkPack (Gailly, Maller, Nitulescu, FC 2022): n Groth16
 * proofs of one verifying key folded into one proof of size and
 * verification time O(log n), in the hardened ("v2") form described in
 * /work/shared/research/snarkpack.md and below.
 *
 * Statement: for the Groth16 key vk and public inputs a_0 .. a_{n-1}
 * (m = vk.n_public values each), every a_i has a valid proof.  The
 * aggregate is checked with the SnarkPack verifier key (aggregate/srs.h)
 * and never with the individual proofs.
 *
 * Protocol (n' = the power of two >= max(n, 2); v = (h^{a^i}, h^{b^i})
 * and w = (g^{a^{n'+i}}, g^{b^{n'+i}}) for i < n'; T = transcript.h):
 *
 *   T: domain "zkpar-snarkpack-aggregate", the caller's context bytes
 *      (zk-aggregate passes the batch id), vk (alpha, beta, gamma, delta,
 *      m, IC), the SRS verifier key, n, n', every public input of every
 *      proof -- all before any challenge.
 *   padding: proofs n .. n'-1 are copies of proof n-1 with its public
 *      inputs (see below).
 *   commitments: com_ab = (prod e(A_i, v1_i) e(w1_i, B_i), same with v2,
 *      w2), com_c = (prod e(C_i, v1_i), prod e(C_i, v2_i)); T absorbs
 *      them; r = challenge "r".
 *   Z_AB = prod e(A_i, B_i)^{r^i}, Z_C = sum r^i C_i; T absorbs them.
 *   GIPA, log2 n' rounds, one challenge x_j a round after T absorbed the
 *      round's 10 G_T and 2 G1 messages: cross commitments and products of
 *      the TIPP (A, B' = r^i B_i, keys v and w' = r^-i w_i) and MIPP (C,
 *      the scalars r^i, key v) halves; fold A, C, w' by x and B', v and
 *      the scalars by x^-1.
 *   finals: A, B', C, v, w' of length 1; T absorbs them; z = challenge
 *      "z"; KZG openings at z of the folded keys' polynomials
 *      f_v(X) = prod_j (1 + x_j^-1 X^(n'/2^(j+1))) (in a and in b: G2),
 *      f_w(X) = X^n' prod_j (1 + x_j (X/r)^(n'/2^(j+1))) (G1).
 *   verifier: recomputes every challenge, folds the G_T and G1 values,
 *      checks the final pairings, the four KZG openings, the scalar fold
 *      Z_C = f_v(r) C, and the Groth16 equation
 *        Z_AB = e(alpha, beta)^(sum r^i) e(sum r^i IC(a_i), gamma) e(Z_C, delta)
 *      all in one multi-pairing with verifier-local random weights.
 *
 * Padding (n not a power of two): the prover appends n' - n copies of the
 * last proof and the verifier appends the same copies of the last public
 * input vector itself.  Sound: every padded statement IS statement n-1,
 * which the aggregate must prove anyway, so the aggregate proves exactly
 * the n given statements and nothing else; n (not only n') is in the
 * transcript, so an aggregate of n proofs does not verify as one of
 * another count.  For chained rollup chunks this means chunk n-1's step
 * root_{n-1} -> root_n counted again, which changes no root.
 *
 * Threads: the prover's pairing products and scalar multiplications run
 * on the pool.  Everything is variable time: proofs, keys and challenges
 * are public.
 */
#ifndef ZK_AGGREGATE_AGGREGATE_H
#define ZK_AGGREGATE_AGGREGATE_H

#include <stddef.h>
#include <stdint.h>

#include "aggregate/srs.h"
#include "curve/g1.h"
#include "curve/g2.h"
#include "field/fp12.h"
#include "field/fr.h"
#include "io/json.h"
#include "util/err.h"
#include "util/pool.h"

/* The largest log2 n' (SRS sizes are limited well below it). */
#define ZK_AGG_MAX_ROUNDS 24

typedef struct {
    zk_fp12 t_l, u_l, t_r, u_r;     /* TIPP cross commitments */
    zk_fp12 z_l, z_r;               /* TIPP cross products */
    zk_fp12 tc_l, uc_l, tc_r, uc_r; /* MIPP cross commitments */
    zk_g1 zc_l, zc_r;               /* MIPP cross values */
} zk_agg_round;

typedef struct {
    uint64_t n;                     /* proofs aggregated */
    unsigned rounds;                /* log2 n' */
    zk_fp12 com_ab[2], com_c[2];    /* (T, U) */
    zk_fp12 z_ab;
    zk_g1 z_c;
    zk_agg_round round[ZK_AGG_MAX_ROUNDS];
    zk_g1 a_f, c_f;
    zk_g2 b_f;
    zk_g2 v_f[2];                   /* folded v1, v2 */
    zk_g1 w_f[2];                   /* folded w1', w2' */
    zk_g2 pi_v[2];                  /* KZG openings of f_v in a, b */
    zk_g1 pi_w[2];                  /* KZG openings of f_w in a, b */
} zk_agg_proof;

/* n' for n proofs: the power of two >= max(n, 2). */
uint64_t zk_agg_padded(uint64_t n);

/*
 * *out = the aggregate of proofs[0 .. n) with public inputs publics[i m
 * .. (i + 1) m) (m = vk->n_public), bound to ctx[0 .. ctx_len) (may be
 * NULL when ctx_len is 0).  The proofs are NOT checked here: an invalid
 * one gives an aggregate that does not verify (zk-aggregate --check
 * checks them first).  Returns 0; ZK_EINVAL (NULL, n == 0, n' > the
 * SRS's n_max); ZK_ENOMEM; a pool error.  Progress: with a meter on the
 * pool (pool.h), phase "aggregate", in units of one G1 MSM point (the
 * pairs and multiplications weighted by their measured cost).
 */
ZK_WUR int zk_agg_prove(zk_agg_proof *out, const zk_agg_srs *srs,
                        const zk_groth16_vk *vk, const zk_groth16_proof *proofs,
                        const zk_fr *publics, size_t n, const uint8_t *ctx,
                        size_t ctx_len, zk_pool *pool);

/*
 * Verify an aggregate: 0 valid; ZK_EVERIFY not; ZK_EINVAL (NULL, n == 0,
 * p->n != n, a round count that is not log2 n', n' > svk->n_max);
 * ZK_ENOTINGROUP / ZK_ENOTONCURVE when a point or G_T element of p is
 * not in its group (checked before anything else); ZK_ENOMEM.
 */
ZK_WUR int zk_agg_verify(const zk_agg_vk *svk, const zk_groth16_vk *vk,
                         const zk_fr *publics, size_t n, const uint8_t *ctx,
                         size_t ctx_len, const zk_agg_proof *p);

/*
 * The binary encoding of an aggregate (zkpar-formats(5)):
 *   "zkag" || version 1 (u8) || rounds (u8) || n (u64 little-endian) ||
 *   com_ab.T, com_ab.U, com_c.T, com_c.U, Z_AB   (G_T compressed)
 *   Z_C                                           (G1)
 *   rounds x (t_l u_l t_r u_r z_l z_r tc_l uc_l tc_r uc_r (G_T
 *             compressed), zc_l zc_r (G1))
 *   a_f (G1) b_f (G2) c_f (G1) v1_f v2_f (G2) w1_f w2_f (G1)
 *   pi_v1 pi_v2 (G2) pi_w1 pi_w2 (G1)
 * G_T compressed as curve/gt.h (192 bytes), G1 and G2 in the Ethereum
 * encodings (64 and 128 bytes, curve/g1.h, g2.h).  Size: 14 + 192 (10 l
 * + 5) + 64 (2 l + 7) + 128 * 5 bytes for l rounds: 22,542 bytes at
 * n = 1024.
 */
#define ZK_AGG_HEADER_BYTES 14
size_t zk_agg_proof_size(unsigned rounds);

/* out[0 .. zk_agg_proof_size(p->rounds)) = the encoding of p.  ZK_EINVAL
 * (NULL, rounds > ZK_AGG_MAX_ROUNDS). */
ZK_WUR int zk_agg_proof_encode(uint8_t *out, const zk_agg_proof *p);

/* *p = the aggregate encoded in in[0 .. len): ZK_EENCODING (magic,
 * version, length, flags), ZK_ERANGE (a coordinate >= p),
 * ZK_ENOTONCURVE, ZK_ENOTINGROUP (a G2 point outside G2, a G_T element
 * outside G_T); *p untouched on error.  A decoded aggregate still needs
 * zk_agg_verify (which checks the groups again: cheap). */
ZK_WUR int zk_agg_proof_decode(zk_agg_proof *p, const uint8_t *in, size_t len);

/*
 * The Fiat-Shamir challenges of p for this statement, as the verifier
 * derives them: *r, x[0 .. p->rounds), *z.  For tests and diagnostics
 * (every message of p must change every later challenge).  Same errors
 * as zk_agg_verify's argument checks.
 */
ZK_WUR int zk_agg_challenges(zk_fr *r, zk_fr x[ZK_AGG_MAX_ROUNDS], zk_fr *z,
                             const zk_agg_vk *svk, const zk_groth16_vk *vk,
                             const zk_fr *publics, size_t n,
                             const uint8_t *ctx, size_t ctx_len,
                             const zk_agg_proof *p);

#endif
