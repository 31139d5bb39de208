/*
 * aggregate.c -- SnarkPack prover and verifier (aggregate.h).
 *
 * Conventions: G_T is written multiplicatively; every vector that the
 * GIPA halves lives in one malloc'ed array and is folded in place (the
 * left half keeps the result).
 */
#include "aggregate/aggregate.h"

#include <stdlib.h>
#include <string.h>

#include "aggregate/transcript.h"
#include "curve/gt.h"
#include "curve/msm.h"
#include "curve/pairing.h"

uint64_t zk_agg_padded(uint64_t n)
{
    uint64_t p = 2;
    while (p < n)
        p <<= 1;
    return p;
}

static unsigned log2u(uint64_t p)
{
    unsigned l = 0;
    while ((UINT64_C(1) << l) < p)
        l++;
    return l;
}

/* ------------------------------------------------------------ transcript */

static void absorb_statement(zk_agg_transcript *t, const zk_agg_vk *svk,
                             const zk_groth16_vk *vk, const zk_fr *publics,
                             size_t n, uint64_t np, const uint8_t *ctx,
                             size_t ctx_len)
{
    zk_agg_transcript_init(t, "zkpar-snarkpack-aggregate");
    zk_agg_transcript_absorb(t, "context", ctx, ctx_len);
    zk_agg_transcript_absorb_g1(t, "vk.alpha", &vk->alpha);
    zk_agg_transcript_absorb_g2(t, "vk.beta", &vk->beta);
    zk_agg_transcript_absorb_g2(t, "vk.gamma", &vk->gamma);
    zk_agg_transcript_absorb_g2(t, "vk.delta", &vk->delta);
    zk_agg_transcript_absorb_u64(t, "vk.n_public", vk->n_public);
    for (size_t k = 0; k <= vk->n_public; k++)
        zk_agg_transcript_absorb_g1(t, "vk.ic", &vk->ic[k]);
    zk_agg_transcript_absorb_u64(t, "srs.n_max", svk->n_max);
    zk_agg_transcript_absorb_g1(t, "srs.g", &svk->g);
    zk_agg_transcript_absorb_g2(t, "srs.h", &svk->h);
    zk_agg_transcript_absorb_g1(t, "srs.g_a", &svk->g_a);
    zk_agg_transcript_absorb_g1(t, "srs.g_b", &svk->g_b);
    zk_agg_transcript_absorb_g2(t, "srs.h_a", &svk->h_a);
    zk_agg_transcript_absorb_g2(t, "srs.h_b", &svk->h_b);
    zk_agg_transcript_absorb_u64(t, "n", n);
    zk_agg_transcript_absorb_u64(t, "n_padded", np);
    for (size_t i = 0; i < n * vk->n_public; i++)
        zk_agg_transcript_absorb_fr(t, "public", &publics[i]);
}

static void absorb_round(zk_agg_transcript *t, const zk_agg_round *r)
{
    zk_agg_transcript_absorb_gt(t, "t_l", &r->t_l);
    zk_agg_transcript_absorb_gt(t, "u_l", &r->u_l);
    zk_agg_transcript_absorb_gt(t, "t_r", &r->t_r);
    zk_agg_transcript_absorb_gt(t, "u_r", &r->u_r);
    zk_agg_transcript_absorb_gt(t, "z_l", &r->z_l);
    zk_agg_transcript_absorb_gt(t, "z_r", &r->z_r);
    zk_agg_transcript_absorb_gt(t, "tc_l", &r->tc_l);
    zk_agg_transcript_absorb_gt(t, "uc_l", &r->uc_l);
    zk_agg_transcript_absorb_gt(t, "tc_r", &r->tc_r);
    zk_agg_transcript_absorb_gt(t, "uc_r", &r->uc_r);
    zk_agg_transcript_absorb_g1(t, "zc_l", &r->zc_l);
    zk_agg_transcript_absorb_g1(t, "zc_r", &r->zc_r);
}

static void absorb_finals(zk_agg_transcript *t, const zk_agg_proof *p)
{
    zk_agg_transcript_absorb_g1(t, "a_f", &p->a_f);
    zk_agg_transcript_absorb_g2(t, "b_f", &p->b_f);
    zk_agg_transcript_absorb_g1(t, "c_f", &p->c_f);
    zk_agg_transcript_absorb_g2(t, "v1_f", &p->v_f[0]);
    zk_agg_transcript_absorb_g2(t, "v2_f", &p->v_f[1]);
    zk_agg_transcript_absorb_g1(t, "w1_f", &p->w_f[0]);
    zk_agg_transcript_absorb_g1(t, "w2_f", &p->w_f[1]);
}

/* ------------------------------------------------------------- helpers */

static void g1_mul(zk_g1 *r, const zk_g1 *p, const zk_fr *k)
{
    zk_g1j j;
    zk_g1j_from_affine(&j, p);
    zk_g1j_mul_var(&j, &j, k);
    zk_g1_from_jacobian(r, &j);
}

static void g2_mul(zk_g2 *r, const zk_g2 *p, const zk_fr *k)
{
    zk_g2j j;
    zk_g2j_from_affine(&j, p);
    zk_g2j_mul_var(&j, &j, k);
    zk_g2_from_jacobian(r, &j);
}

/* The work of the parallel helpers: n items cut into parts. */
#define PARTS_MAX 64

/* Progress (meter.h): the prover's phase "aggregate" counts its work in
 * the MSMs' unit, one G1 MSM point (about 8 us at n = 1024 on one core);
 * a Miller loop pair, a G1 and a G2 variable-base multiplication cost
 * about 20, 11 and 28 of them (measured: 155, 88 and 221 us). */
#define UNITS_PAIR 20u
#define UNITS_G1_MUL 11u
#define UNITS_G2_MUL 28u

static size_t parts_for(size_t n, zk_pool *pool)
{
    size_t k = 4 * (size_t)zk_pool_size(pool);
    if (k > PARTS_MAX)
        k = PARTS_MAX;
    return k < n ? k : (n ? n : 1);
}

typedef struct {
    size_t n, parts;
    /* fold */
    zk_g1 *v1;
    zk_g2 *v2;
    zk_g1j *j1;
    zk_g2j *j2;
    size_t h;
    const zk_fr *k;
    /* pairing product */
    const zk_g1 *p;
    const zk_g2 *q;
    zk_fp12 *f;
    /* progress: `units` an item */
    zk_meter *meter;
    uint64_t units;
} job;

static void part_range(const job *b, size_t t, size_t *lo, size_t *hi)
{
    *lo = b->n * t / b->parts;
    *hi = b->n * (t + 1) / b->parts;
}

static void fold_g1_part(void *arg, size_t t)
{
    const job *b = arg;
    size_t lo, hi;
    part_range(b, t, &lo, &hi);
    for (size_t i = lo; i < hi; i++) {
        zk_g1j_from_affine(&b->j1[i], &b->v1[i + b->h]);
        zk_g1j_mul_var(&b->j1[i], &b->j1[i], b->k);
        zk_g1j_add_affine(&b->j1[i], &b->j1[i], &b->v1[i]);
    }
    zk_meter_add(b->meter, b->units * (hi - lo));
}

static void fold_g2_part(void *arg, size_t t)
{
    const job *b = arg;
    size_t lo, hi;
    part_range(b, t, &lo, &hi);
    for (size_t i = lo; i < hi; i++) {
        zk_g2j_from_affine(&b->j2[i], &b->v2[i + b->h]);
        zk_g2j_mul_var(&b->j2[i], &b->j2[i], b->k);
        zk_g2j_add_affine(&b->j2[i], &b->j2[i], &b->v2[i]);
    }
    zk_meter_add(b->meter, b->units * (hi - lo));
}

/* v[i] = v[i] + k v[i + h] for i < h (G1), in place. */
static int fold_g1(zk_g1 *v, size_t h, const zk_fr *k, zk_pool *pool)
{
    zk_g1j *j = malloc(h * sizeof *j);
    if (!j)
        return ZK_ENOMEM;
    job b = {.n = h, .parts = parts_for(h, pool), .v1 = v, .j1 = j, .h = h, .k = k,
             .meter = zk_pool_meter(pool), .units = UNITS_G1_MUL};
    int rc = zk_pool_run(pool, b.parts, fold_g1_part, &b);
    if (rc == ZK_OK)
        rc = zk_g1j_batch_to_affine(v, j, h);
    free(j);
    return rc;
}

static int fold_g2(zk_g2 *v, size_t h, const zk_fr *k, zk_pool *pool)
{
    zk_g2j *j = malloc(h * sizeof *j);
    if (!j)
        return ZK_ENOMEM;
    job b = {.n = h, .parts = parts_for(h, pool), .v2 = v, .j2 = j, .h = h, .k = k,
             .meter = zk_pool_meter(pool), .units = UNITS_G2_MUL};
    int rc = zk_pool_run(pool, b.parts, fold_g2_part, &b);
    if (rc == ZK_OK)
        rc = zk_g2j_batch_to_affine(v, j, h);
    free(j);
    return rc;
}

typedef struct {
    size_t n, parts;
    zk_g2 *b;
    zk_g1 *w1, *w2;
    const zk_fr *rp, *rip;  /* r^i, r^-i */
    zk_meter *meter;
} scale_job;

static void scale_part(void *arg, size_t t)
{
    const scale_job *s = arg;
    size_t lo = s->n * t / s->parts, hi = s->n * (t + 1) / s->parts;
    for (size_t i = lo; i < hi; i++) {
        if (i == 0)
            continue;
        g2_mul(&s->b[i], &s->b[i], &s->rp[i]);
        g1_mul(&s->w1[i], &s->w1[i], &s->rip[i]);
        g1_mul(&s->w2[i], &s->w2[i], &s->rip[i]);
        zk_meter_add(s->meter, UNITS_G2_MUL + 2 * UNITS_G1_MUL);
    }
}

static void miller_part(void *arg, size_t t)
{
    const job *b = arg;
    size_t lo, hi;
    part_range(b, t, &lo, &hi);
    zk_miller_loop(&b->f[t], b->p + lo, b->q + lo, hi - lo);
    zk_meter_add(b->meter, b->units * (hi - lo));
}

/* prod_i e(p1[i], q1[i]) * prod_i e(p2[i], q2[i]) (p2 may be NULL): the
 * Miller loops in parts on the pool, multiplied in a fixed order, one
 * final exponentiation. */
static int pair2(zk_fp12 *r, const zk_g1 *p1, const zk_g2 *q1,
                 const zk_g1 *p2, const zk_g2 *q2, size_t m, zk_pool *pool)
{
    size_t n = p2 ? 2 * m : m;
    zk_g1 *p = malloc(n * sizeof *p);
    zk_g2 *q = malloc(n * sizeof *q);
    zk_fp12 f[PARTS_MAX];
    if (!p || !q) {
        free(p);
        free(q);
        return ZK_ENOMEM;
    }
    memcpy(p, p1, m * sizeof *p);
    memcpy(q, q1, m * sizeof *q);
    if (p2) {
        memcpy(p + m, p2, m * sizeof *p);
        memcpy(q + m, q2, m * sizeof *q);
    }
    job b = {.n = n, .parts = parts_for(n, pool), .p = p, .q = q, .f = f,
             .meter = zk_pool_meter(pool), .units = UNITS_PAIR};
    int rc = zk_pool_run(pool, b.parts, miller_part, &b);
    if (rc == ZK_OK) {
        zk_fp12 acc = f[0];
        for (size_t t = 1; t < b.parts; t++)
            zk_fp12_mul(&acc, &acc, &f[t]);
        zk_final_exp(r, &acc);
    }
    free(p);
    free(q);
    return rc;
}

static int msm1(zk_g1 *r, const zk_g1 *pts, const zk_fr *k, size_t n,
                zk_pool *pool)
{
    zk_g1j j;
    int rc = zk_msm_g1(&j, pts, k, n, pool);
    if (rc == ZK_OK)
        zk_g1_from_jacobian(r, &j);
    return rc;
}

static int msm2(zk_g2 *r, const zk_g2 *pts, const zk_fr *k, size_t n,
                zk_pool *pool)
{
    zk_g2j j;
    int rc = zk_msm_g2(&j, pts, k, n, pool);
    if (rc == ZK_OK)
        zk_g2_from_jacobian(r, &j);
    return rc;
}

/* Coefficients of prod_{j < rounds} (1 + c[j] Y^(2^(rounds-1-j))): 2^rounds
 * of them, built from the last round (exponent 1) up. */
static void product_coeffs(zk_fr *out, const zk_fr *c, unsigned rounds)
{
    size_t len = 1;
    zk_fr_one(&out[0]);
    for (unsigned j = rounds; j-- > 0;) {
        for (size_t i = 0; i < len; i++)
            zk_fr_mul(&out[len + i], &out[i], &c[j]);
        len *= 2;
    }
}

/* prod_{j < rounds} (1 + c[j] y^(2^(rounds-1-j))). */
static void product_eval(zk_fr *out, const zk_fr *c, unsigned rounds,
                         const zk_fr *y)
{
    zk_fr pw = *y, one, t;
    zk_fr_one(&one);
    zk_fr_one(out);
    for (unsigned j = rounds; j-- > 0;) {
        zk_fr_mul(&t, &c[j], &pw);
        zk_fr_add(&t, &t, &one);
        zk_fr_mul(out, out, &t);
        zk_fr_sqr(&pw, &pw);
    }
}

/* q = (f - f(z)) / (X - z) for f of degree < n (n coefficients); q has
 * n - 1 coefficients. */
static void divide_linear(zk_fr *q, const zk_fr *f, size_t n, const zk_fr *z)
{
    zk_fr acc;
    zk_fr_zero(&acc);
    for (size_t i = n; i-- > 1;) {
        zk_fr t;
        zk_fr_mul(&t, &acc, z);
        zk_fr_add(&acc, &t, &f[i]);
        q[i - 1] = acc;
    }
}

/* ------------------------------------------------------------- prover */

int zk_agg_prove(zk_agg_proof *out, const zk_agg_srs *srs,
                 const zk_groth16_vk *vk, const zk_groth16_proof *proofs,
                 const zk_fr *publics, size_t n, const uint8_t *ctx,
                 size_t ctx_len, zk_pool *pool)
{
    if (!out || !srs || !vk || !proofs || (!publics && vk->n_public) ||
        n == 0 || (!ctx && ctx_len))
        return ZK_EINVAL;
    const uint64_t np = zk_agg_padded(n);
    const unsigned rounds = log2u(np);
    if (np > srs->n_max || rounds > ZK_AGG_MAX_ROUNDS)
        return ZK_EINVAL;
    memset(out, 0, sizeof *out);
    out->n = n;
    out->rounds = rounds;

    int rc = ZK_ENOMEM;
    zk_g1 *A = malloc(np * sizeof *A), *C = malloc(np * sizeof *C);
    zk_g2 *B = malloc(np * sizeof *B);
    zk_g2 *v1 = malloc(np * sizeof *v1), *v2 = malloc(np * sizeof *v2);
    zk_g1 *w1 = malloc(np * sizeof *w1), *w2 = malloc(np * sizeof *w2);
    zk_fr *rs = malloc(np * sizeof *rs);
    zk_fr *fv = malloc(np * sizeof *fv), *fw = malloc(2 * np * sizeof *fw);
    zk_fr *q = malloc(2 * np * sizeof *q);
    if (!A || !C || !B || !v1 || !v2 || !w1 || !w2 || !rs || !fv || !fw || !q)
        goto done;
    for (uint64_t i = 0; i < np; i++) {
        const zk_groth16_proof *pr = &proofs[i < n ? i : n - 1];
        A[i] = pr->a;
        B[i] = pr->b;
        C[i] = pr->c;
    }
    memcpy(v1, srs->h_a, np * sizeof *v1);
    memcpy(v2, srs->h_b, np * sizeof *v2);
    memcpy(w1, srs->g_a + np, np * sizeof *w1);
    memcpy(w2, srs->g_b + np, np * sizeof *w2);

    zk_agg_vk svk;
    zk_agg_srs_vk(&svk, srs);
    zk_agg_transcript t;
    absorb_statement(&t, &svk, vk, publics, n, np, ctx, ctx_len);

    /* progress: the pairs (commitments 6 np, Z_AB np, the rounds 14 h
     * each: 14 (np - 1) in all), the multiplications (scaling np - 1 G2
     * and 2 (np - 1) G1, the folds 3 h G2 and 4 h G1 a round), the MSM
     * points (Z_C np, 2 h a round, the openings 2 (np - 1) and
     * 2 (2 np - 1)) */
    const uint64_t m1 = np - 1;
    zk_meter_begin(zk_pool_meter(pool), "aggregate",
                   UNITS_PAIR * (7 * np + 14 * m1) + UNITS_G1_MUL * (6 * m1) +
                       UNITS_G2_MUL * (4 * m1) + np + 2 * m1 + 2 * m1 + 2 * (2 * np - 1));

    /* commitments, then r */
    if ((rc = pair2(&out->com_ab[0], A, v1, w1, B, np, pool)) != ZK_OK ||
        (rc = pair2(&out->com_ab[1], A, v2, w2, B, np, pool)) != ZK_OK ||
        (rc = pair2(&out->com_c[0], C, v1, NULL, NULL, np, pool)) != ZK_OK ||
        (rc = pair2(&out->com_c[1], C, v2, NULL, NULL, np, pool)) != ZK_OK)
        goto done;
    zk_agg_transcript_absorb_gt(&t, "com_ab.t", &out->com_ab[0]);
    zk_agg_transcript_absorb_gt(&t, "com_ab.u", &out->com_ab[1]);
    zk_agg_transcript_absorb_gt(&t, "com_c.t", &out->com_c[0]);
    zk_agg_transcript_absorb_gt(&t, "com_c.u", &out->com_c[1]);
    zk_fr r, rinv;
    zk_agg_transcript_challenge(&r, &t, "r");
    if ((rc = zk_fr_inv(&rinv, &r)) != ZK_OK)
        goto done;

    /* B' = r^i B_i, w' = r^-i w_i, the scalars r^i; Z_AB, Z_C */
    zk_fr ri, rii;
    zk_fr_one(&ri);
    zk_fr_one(&rii);
    for (uint64_t i = 0; i < np; i++) { /* fv holds r^-i for now */
        rs[i] = ri;
        fv[i] = rii;
        zk_fr_mul(&ri, &ri, &r);
        zk_fr_mul(&rii, &rii, &rinv);
    }
    scale_job sj = {np, parts_for(np, pool), B, w1, w2, rs, fv, zk_pool_meter(pool)};
    if ((rc = zk_pool_run(pool, sj.parts, scale_part, &sj)) != ZK_OK)
        goto done;
    if ((rc = pair2(&out->z_ab, A, B, NULL, NULL, np, pool)) != ZK_OK ||
        (rc = msm1(&out->z_c, C, rs, np, pool)) != ZK_OK)
        goto done;
    zk_agg_transcript_absorb_gt(&t, "z_ab", &out->z_ab);
    zk_agg_transcript_absorb_g1(&t, "z_c", &out->z_c);

    /* GIPA */
    zk_fr x[ZK_AGG_MAX_ROUNDS], xi[ZK_AGG_MAX_ROUNDS];
    for (unsigned j = 0; j < rounds; j++) {
        const size_t h = (size_t)(np >> j) / 2;
        zk_agg_round *rd = &out->round[j];
        if ((rc = pair2(&rd->t_l, A + h, v1, w1 + h, B, h, pool)) != ZK_OK ||
            (rc = pair2(&rd->u_l, A + h, v2, w2 + h, B, h, pool)) != ZK_OK ||
            (rc = pair2(&rd->t_r, A, v1 + h, w1, B + h, h, pool)) != ZK_OK ||
            (rc = pair2(&rd->u_r, A, v2 + h, w2, B + h, h, pool)) != ZK_OK ||
            (rc = pair2(&rd->z_l, A + h, B, NULL, NULL, h, pool)) != ZK_OK ||
            (rc = pair2(&rd->z_r, A, B + h, NULL, NULL, h, pool)) != ZK_OK ||
            (rc = pair2(&rd->tc_l, C + h, v1, NULL, NULL, h, pool)) != ZK_OK ||
            (rc = pair2(&rd->uc_l, C + h, v2, NULL, NULL, h, pool)) != ZK_OK ||
            (rc = pair2(&rd->tc_r, C, v1 + h, NULL, NULL, h, pool)) != ZK_OK ||
            (rc = pair2(&rd->uc_r, C, v2 + h, NULL, NULL, h, pool)) != ZK_OK ||
            (rc = msm1(&rd->zc_l, C + h, rs, h, pool)) != ZK_OK ||
            (rc = msm1(&rd->zc_r, C, rs + h, h, pool)) != ZK_OK)
            goto done;
        absorb_round(&t, rd);
        zk_agg_transcript_challenge(&x[j], &t, "x");
        if ((rc = zk_fr_inv(&xi[j], &x[j])) != ZK_OK)
            goto done;
        if ((rc = fold_g1(A, h, &x[j], pool)) != ZK_OK ||
            (rc = fold_g2(B, h, &xi[j], pool)) != ZK_OK ||
            (rc = fold_g1(C, h, &x[j], pool)) != ZK_OK ||
            (rc = fold_g2(v1, h, &xi[j], pool)) != ZK_OK ||
            (rc = fold_g2(v2, h, &xi[j], pool)) != ZK_OK ||
            (rc = fold_g1(w1, h, &x[j], pool)) != ZK_OK ||
            (rc = fold_g1(w2, h, &x[j], pool)) != ZK_OK)
            goto done;
        for (size_t i = 0; i < h; i++) {
            zk_fr s;
            zk_fr_mul(&s, &rs[i + h], &xi[j]);
            zk_fr_add(&rs[i], &rs[i], &s);
        }
    }
    out->a_f = A[0];
    out->b_f = B[0];
    out->c_f = C[0];
    out->v_f[0] = v1[0];
    out->v_f[1] = v2[0];
    out->w_f[0] = w1[0];
    out->w_f[1] = w2[0];
    absorb_finals(&t, out);
    zk_fr z;
    zk_agg_transcript_challenge(&z, &t, "z");

    /* KZG: f_v (np coefficients) in a and b over the G2 powers */
    product_coeffs(fv, xi, rounds);
    divide_linear(q, fv, np, &z);
    if ((rc = msm2(&out->pi_v[0], srs->h_a, q, np - 1, pool)) != ZK_OK ||
        (rc = msm2(&out->pi_v[1], srs->h_b, q, np - 1, pool)) != ZK_OK)
        goto done;
    /* f_w = X^np sum_i P[i] r^-i X^i (2 np coefficients) over the G1 powers */
    product_coeffs(fw + np, x, rounds);
    zk_fr_one(&rii);
    for (uint64_t i = 0; i < np; i++) {
        zk_fr_zero(&fw[i]);
        zk_fr_mul(&fw[np + i], &fw[np + i], &rii);
        zk_fr_mul(&rii, &rii, &rinv);
    }
    divide_linear(q, fw, 2 * np, &z);
    if ((rc = msm1(&out->pi_w[0], srs->g_a, q, 2 * np - 1, pool)) != ZK_OK ||
        (rc = msm1(&out->pi_w[1], srs->g_b, q, 2 * np - 1, pool)) != ZK_OK)
        goto done;
    rc = ZK_OK;
done:
    zk_meter_end(zk_pool_meter(pool));
    free(A);
    free(B);
    free(C);
    free(v1);
    free(v2);
    free(w1);
    free(w2);
    free(rs);
    free(fv);
    free(fw);
    free(q);
    if (rc != ZK_OK)
        memset(out, 0, sizeof *out);
    return rc;
}

/* ------------------------------------------------------------ verifier */

/* acc = l^x * acc * r^xi (all in G_T: checked before) */
static void gt_fold(zk_fp12 *acc, const zk_fp12 *l, const zk_fp12 *r,
                    const zk_fr *x, const zk_fr *xi)
{
    zk_fp12 t;
    zk_gt_pow_var(&t, l, x);
    zk_gt_mul(acc, acc, &t);
    zk_gt_pow_var(&t, r, xi);
    zk_gt_mul(acc, acc, &t);
}

/* Every element of p in its group. */
static int proof_groups(const zk_agg_proof *p)
{
    const zk_fp12 *gt[5] = {&p->com_ab[0], &p->com_ab[1], &p->com_c[0],
                            &p->com_c[1], &p->z_ab};
    for (int i = 0; i < 5; i++)
        if (!zk_gt_in_group_var(gt[i]))
            return ZK_ENOTINGROUP;
    for (unsigned j = 0; j < p->rounds; j++) {
        const zk_agg_round *r = &p->round[j];
        const zk_fp12 *g[10] = {&r->t_l, &r->u_l, &r->t_r,  &r->u_r,  &r->z_l,
                                &r->z_r, &r->tc_l, &r->uc_l, &r->tc_r, &r->uc_r};
        for (int i = 0; i < 10; i++)
            if (!zk_gt_in_group_var(g[i]))
                return ZK_ENOTINGROUP;
        if (!zk_g1_is_on_curve(&r->zc_l) || !zk_g1_is_on_curve(&r->zc_r))
            return ZK_ENOTONCURVE;
    }
    const zk_g1 *g1[7] = {&p->z_c, &p->a_f, &p->c_f, &p->w_f[0], &p->w_f[1],
                          &p->pi_w[0], &p->pi_w[1]};
    for (int i = 0; i < 7; i++)
        if (!zk_g1_is_on_curve(g1[i]))
            return ZK_ENOTONCURVE;
    const zk_g2 *g2[5] = {&p->b_f, &p->v_f[0], &p->v_f[1], &p->pi_v[0],
                          &p->pi_v[1]};
    for (int i = 0; i < 5; i++) {
        if (!zk_g2_is_on_curve(g2[i]))
            return ZK_ENOTONCURVE;
        if (!zk_g2_in_subgroup(g2[i]))
            return ZK_ENOTINGROUP;
    }
    return ZK_OK;
}

static void g1_lin(zk_g1 *r, const zk_g1 *a, const zk_fr *ka, const zk_g1 *b,
                   const zk_fr *kb)
{
    zk_g1j ja, jb;
    zk_g1j_from_affine(&ja, a);
    zk_g1j_mul_var(&ja, &ja, ka);
    zk_g1j_from_affine(&jb, b);
    zk_g1j_mul_var(&jb, &jb, kb);
    zk_g1j_add(&ja, &ja, &jb);
    zk_g1_from_jacobian(r, &ja);
}

static void g2_lin(zk_g2 *r, const zk_g2 *a, const zk_fr *ka, const zk_g2 *b,
                   const zk_fr *kb)
{
    zk_g2j ja, jb;
    zk_g2j_from_affine(&ja, a);
    zk_g2j_mul_var(&ja, &ja, ka);
    zk_g2j_from_affine(&jb, b);
    zk_g2j_mul_var(&jb, &jb, kb);
    zk_g2j_add(&ja, &ja, &jb);
    zk_g2_from_jacobian(r, &ja);
}

/* The verifier's transcript of p. */
static int challenges(zk_fr *r, zk_fr *x, zk_fr *z, const zk_agg_vk *svk,
                      const zk_groth16_vk *vk, const zk_fr *publics, size_t n,
                      uint64_t np, const uint8_t *ctx, size_t ctx_len,
                      const zk_agg_proof *p)
{
    zk_agg_transcript t;
    absorb_statement(&t, svk, vk, publics, n, np, ctx, ctx_len);
    zk_agg_transcript_absorb_gt(&t, "com_ab.t", &p->com_ab[0]);
    zk_agg_transcript_absorb_gt(&t, "com_ab.u", &p->com_ab[1]);
    zk_agg_transcript_absorb_gt(&t, "com_c.t", &p->com_c[0]);
    zk_agg_transcript_absorb_gt(&t, "com_c.u", &p->com_c[1]);
    zk_agg_transcript_challenge(r, &t, "r");
    zk_agg_transcript_absorb_gt(&t, "z_ab", &p->z_ab);
    zk_agg_transcript_absorb_g1(&t, "z_c", &p->z_c);
    for (unsigned j = 0; j < p->rounds; j++) {
        absorb_round(&t, &p->round[j]);
        zk_agg_transcript_challenge(&x[j], &t, "x");
    }
    absorb_finals(&t, p);
    zk_agg_transcript_challenge(z, &t, "z");
    return ZK_OK;
}

/* The argument checks shared by verify and challenges. */
static int statement_ok(const zk_agg_vk *svk, const zk_groth16_vk *vk,
                        const zk_fr *publics, size_t n, const uint8_t *ctx,
                        size_t ctx_len, const zk_agg_proof *p)
{
    if (!svk || !vk || !p || (!publics && vk->n_public) || n == 0 ||
        (!ctx && ctx_len))
        return ZK_EINVAL;
    const uint64_t np = zk_agg_padded(n);
    if (p->n != n || p->rounds != log2u(np) || np > svk->n_max ||
        p->rounds > ZK_AGG_MAX_ROUNDS)
        return ZK_EINVAL;
    return ZK_OK;
}

int zk_agg_challenges(zk_fr *r, zk_fr x[ZK_AGG_MAX_ROUNDS], zk_fr *z,
                      const zk_agg_vk *svk, const zk_groth16_vk *vk,
                      const zk_fr *publics, size_t n, const uint8_t *ctx,
                      size_t ctx_len, const zk_agg_proof *p)
{
    int rc = statement_ok(svk, vk, publics, n, ctx, ctx_len, p);
    if (rc != ZK_OK || !r || !x || !z)
        return rc != ZK_OK ? rc : ZK_EINVAL;
    return challenges(r, x, z, svk, vk, publics, n, zk_agg_padded(n), ctx,
                      ctx_len, p);
}

int zk_agg_verify(const zk_agg_vk *svk, const zk_groth16_vk *vk,
                  const zk_fr *publics, size_t n, const uint8_t *ctx,
                  size_t ctx_len, const zk_agg_proof *p)
{
    int rc = statement_ok(svk, vk, publics, n, ctx, ctx_len, p);
    if (rc != ZK_OK)
        return rc;
    const uint64_t np = zk_agg_padded(n);
    const unsigned rounds = p->rounds;
    rc = proof_groups(p);
    if (rc != ZK_OK)
        return rc;

    /* the challenges */
    zk_fr r, rinv, z, x[ZK_AGG_MAX_ROUNDS], xi[ZK_AGG_MAX_ROUNDS];
    if ((rc = challenges(&r, x, &z, svk, vk, publics, n, np, ctx, ctx_len, p)) != ZK_OK ||
        (rc = zk_fr_inv(&rinv, &r)) != ZK_OK)
        return rc;
    for (unsigned j = 0; j < rounds; j++)
        if ((rc = zk_fr_inv(&xi[j], &x[j])) != ZK_OK)
            return rc;

    /* fold the statement values */
    zk_fp12 tab = p->com_ab[0], uab = p->com_ab[1], zab = p->z_ab;
    zk_fp12 tc = p->com_c[0], uc = p->com_c[1];
    zk_g1j zc;
    zk_g1j_from_affine(&zc, &p->z_c);
    for (unsigned j = 0; j < rounds; j++) {
        const zk_agg_round *rd = &p->round[j];
        gt_fold(&tab, &rd->t_l, &rd->t_r, &x[j], &xi[j]);
        gt_fold(&uab, &rd->u_l, &rd->u_r, &x[j], &xi[j]);
        gt_fold(&zab, &rd->z_l, &rd->z_r, &x[j], &xi[j]);
        gt_fold(&tc, &rd->tc_l, &rd->tc_r, &x[j], &xi[j]);
        gt_fold(&uc, &rd->uc_l, &rd->uc_r, &x[j], &xi[j]);
        zk_g1j a, b;
        zk_g1j_from_affine(&a, &rd->zc_l);
        zk_g1j_mul_var(&a, &a, &x[j]);
        zk_g1j_from_affine(&b, &rd->zc_r);
        zk_g1j_mul_var(&b, &b, &xi[j]);
        zk_g1j_add(&zc, &zc, &a);
        zk_g1j_add(&zc, &zc, &b);
    }

    /* the folded keys' polynomials at r and z */
    zk_fr fv_r, fv_z, fw_z, zr, zn;
    product_eval(&fv_r, xi, rounds, &r);
    product_eval(&fv_z, xi, rounds, &z);
    zk_fr_mul(&zr, &z, &rinv);
    product_eval(&fw_z, x, rounds, &zr);
    zk_fr_one(&zn);
    for (uint64_t i = 0; i < np; i++) /* z^np: np is small */
        zk_fr_mul(&zn, &zn, &z);
    zk_fr_mul(&fw_z, &fw_z, &zn);

    /* the scalar fold of Z_C (G1 only) */
    zk_g1 zc_a, fc;
    zk_g1_from_jacobian(&zc_a, &zc);
    g1_mul(&fc, &p->c_f, &fv_r);
    int ok = zk_g1_eq(&zc_a, &fc);

    /* The public-input term of the Groth16 equation: PI = rsum IC_0 +
     * sum_k (sum_i r^i a_{i,k}) IC_k, with the padded copies of the last
     * statement */
    const size_t m = vk->n_public;
    zk_fr *col = calloc(m + 1, sizeof *col);
    if (!col)
        return ZK_ENOMEM;
    zk_fr ri;
    zk_fr_one(&ri);
    for (uint64_t i = 0; i < np; i++) {
        const zk_fr *a = publics + (i < n ? i : n - 1) * m;
        zk_fr_add(&col[0], &col[0], &ri);
        for (size_t k = 0; k < m; k++) {
            zk_fr s;
            zk_fr_mul(&s, &a[k], &ri);
            zk_fr_add(&col[k + 1], &col[k + 1], &s);
        }
        zk_fr_mul(&ri, &ri, &r);
    }
    zk_g1 pi;
    rc = msm1(&pi, vk->ic, col, m + 1, NULL);
    zk_fr rsum = col[0];
    free(col);
    if (rc != ZK_OK)
        return rc;

    /*
     * Ten pairing equations, prod_j e(P_kj, Q_kj) = T_k, checked at once:
     * equation k is weighted by rho_k, drawn here from libsodium (the
     * verifier's own randomness, unknown to the prover), and the check is
     * prod_k prod_j e(rho_k P_kj, Q_kj) == prod_k T_k^rho_k -- one
     * multi-Miller loop, one final exponentiation.  If any equation fails,
     * the two sides differ except with probability about 1/r.
     *   0  Groth16: e(rsum alpha, beta) e(PI, gamma) e(Z_C, delta) = Z_AB
     *      (rho_0 = 1)
     *   1  e(A_f, B_f) = folded Z_AB
     *   2, 3  e(A_f, v_f) e(w_f, B_f) = folded T_AB, U_AB
     *   4, 5  e(C_f, v_f) = folded T_C, U_C
     *   6, 7  KZG of v in a, b: e(g, v_f - fv(z) h) e(z g - g_s, pi_v) = 1
     *   8, 9  KZG of w in a, b: e(w_f - fw(z) g, h) e(-pi_w, h_s - z h) = 1
     */
    zk_g1 P[18];
    zk_g2 Q[18];
    zk_fp12 T[6];
    zk_fr W[6], rho;
    size_t npair = 0, nt = 0;
#define PAIR(p_, q_)                                                          \
    do {                                                                      \
        g1_mul(&P[npair], (p_), &rho);                                        \
        Q[npair++] = *(q_);                                                   \
    } while (0)
#define TARGET(t_)                                                            \
    do {                                                                      \
        T[nt] = *(t_);                                                        \
        W[nt++] = rho;                                                        \
    } while (0)
    zk_fr_one(&rho);
    zk_g1 ra;
    g1_mul(&ra, &vk->alpha, &rsum);
    PAIR(&ra, &vk->beta);
    PAIR(&pi, &vk->gamma);
    PAIR(&p->z_c, &vk->delta);
    TARGET(&p->z_ab);
    zk_fr_random(&rho);
    PAIR(&p->a_f, &p->b_f);
    TARGET(&zab);
    const zk_fp12 *tu[2] = {&tab, &uab}, *tcu[2] = {&tc, &uc};
    for (int s = 0; s < 2; s++) {
        zk_fr_random(&rho);
        PAIR(&p->a_f, &p->v_f[s]);
        PAIR(&p->w_f[s], &p->b_f);
        TARGET(tu[s]);
        zk_fr_random(&rho);
        PAIR(&p->c_f, &p->v_f[s]);
        TARGET(tcu[s]);
    }
    zk_fr one, mone, mz, mfv, mfw;
    zk_fr_one(&one);
    zk_fr_neg(&mone, &one);
    zk_fr_neg(&mz, &z);
    zk_fr_neg(&mfv, &fv_z);
    zk_fr_neg(&mfw, &fw_z);
    const zk_g1 *gs[2] = {&svk->g_a, &svk->g_b};
    const zk_g2 *hs[2] = {&svk->h_a, &svk->h_b};
    for (int s = 0; s < 2; s++) {
        zk_g1 a1, a2;
        zk_g2 b1;
        zk_fr_random(&rho);
        g2_lin(&b1, &p->v_f[s], &one, &svk->h, &mfv);
        g1_lin(&a2, &svk->g, &z, gs[s], &mone);
        PAIR(&svk->g, &b1);
        PAIR(&a2, &p->pi_v[s]);
        zk_fr_random(&rho);
        g1_lin(&a1, &p->w_f[s], &one, &svk->g, &mfw);
        zk_g1_neg(&a2, &p->pi_w[s]);
        g2_lin(&b1, hs[s], &one, &svk->h, &mz);
        PAIR(&a1, &svk->h);
        PAIR(&a2, &b1);
    }
#undef PAIR
#undef TARGET
    zk_fp12 lhs, rhs;
    zk_multi_pairing(&lhs, P, Q, npair);
    if ((rc = zk_gt_multi_pow_var(&rhs, T, W, nt)) != ZK_OK)
        return rc;
    ok &= zk_fp12_eq(&lhs, &rhs);
    return ok ? ZK_OK : ZK_EVERIFY;
}

/* ------------------------------------------------------------- encoding */

size_t zk_agg_proof_size(unsigned rounds)
{
    return ZK_AGG_HEADER_BYTES + (size_t)ZK_GT_COMPRESSED_BYTES * (10 * rounds + 5) +
           64 * (2 * (size_t)rounds + 7) + 128 * 5;
}

typedef struct {
    uint8_t *w;         /* encoder */
    const uint8_t *r;   /* decoder */
    int rc;
} cursor;

static void put_gt(cursor *c, const zk_fp12 *x)
{
    zk_gt_compress(c->w, x);
    c->w += ZK_GT_COMPRESSED_BYTES;
}

static void put_g1(cursor *c, const zk_g1 *x)
{
    zk_g1_to_eth(c->w, x);
    c->w += 64;
}

static void put_g2(cursor *c, const zk_g2 *x)
{
    zk_g2_to_eth(c->w, x);
    c->w += 128;
}

static void get_gt(cursor *c, zk_fp12 *x)
{
    if (c->rc == ZK_OK)
        c->rc = zk_gt_decompress(x, c->r, ZK_GT_COMPRESSED_BYTES);
    c->r += ZK_GT_COMPRESSED_BYTES;
}

static void get_g1(cursor *c, zk_g1 *x)
{
    if (c->rc == ZK_OK)
        c->rc = zk_g1_from_eth(x, c->r, 64);
    c->r += 64;
}

static void get_g2(cursor *c, zk_g2 *x)
{
    if (c->rc == ZK_OK) {
        c->rc = zk_g2_from_eth(x, c->r, 128);
        if (c->rc == ZK_OK && !zk_g2_in_subgroup(x))
            c->rc = ZK_ENOTINGROUP;
    }
    c->r += 128;
}

/* The fields in encoding order, for both directions. */
#define AGG_FIELDS(GT, G1, G2, p)                                            \
    do {                                                                     \
        GT(&(p)->com_ab[0]);                                                 \
        GT(&(p)->com_ab[1]);                                                 \
        GT(&(p)->com_c[0]);                                                  \
        GT(&(p)->com_c[1]);                                                  \
        GT(&(p)->z_ab);                                                      \
        G1(&(p)->z_c);                                                       \
        for (unsigned j_ = 0; j_ < (p)->rounds; j_++) {                      \
            zk_agg_round *rd_ = (zk_agg_round *)&(p)->round[j_];             \
            GT(&rd_->t_l);                                                   \
            GT(&rd_->u_l);                                                   \
            GT(&rd_->t_r);                                                   \
            GT(&rd_->u_r);                                                   \
            GT(&rd_->z_l);                                                   \
            GT(&rd_->z_r);                                                   \
            GT(&rd_->tc_l);                                                  \
            GT(&rd_->uc_l);                                                  \
            GT(&rd_->tc_r);                                                  \
            GT(&rd_->uc_r);                                                  \
            G1(&rd_->zc_l);                                                  \
            G1(&rd_->zc_r);                                                  \
        }                                                                    \
        G1(&(p)->a_f);                                                       \
        G2(&(p)->b_f);                                                       \
        G1(&(p)->c_f);                                                       \
        G2(&(p)->v_f[0]);                                                    \
        G2(&(p)->v_f[1]);                                                    \
        G1(&(p)->w_f[0]);                                                    \
        G1(&(p)->w_f[1]);                                                    \
        G2(&(p)->pi_v[0]);                                                   \
        G2(&(p)->pi_v[1]);                                                   \
        G1(&(p)->pi_w[0]);                                                   \
        G1(&(p)->pi_w[1]);                                                   \
    } while (0)

int zk_agg_proof_encode(uint8_t *out, const zk_agg_proof *p)
{
    if (!out || !p || p->rounds > ZK_AGG_MAX_ROUNDS)
        return ZK_EINVAL;
    memcpy(out, "zkag", 4);
    out[4] = 1;
    out[5] = (uint8_t)p->rounds;
    for (int i = 0; i < 8; i++)
        out[6 + i] = (uint8_t)(p->n >> (8 * i));
    cursor c = {out + ZK_AGG_HEADER_BYTES, NULL, ZK_OK};
#define PUT_GT(x) put_gt(&c, x)
#define PUT_G1(x) put_g1(&c, x)
#define PUT_G2(x) put_g2(&c, x)
    AGG_FIELDS(PUT_GT, PUT_G1, PUT_G2, p);
    return ZK_OK;
}

int zk_agg_proof_decode(zk_agg_proof *p, const uint8_t *in, size_t len)
{
    if (!p || (!in && len))
        return ZK_EINVAL;
    if (len < ZK_AGG_HEADER_BYTES || memcmp(in, "zkag", 4) != 0 || in[4] != 1 ||
        in[5] > ZK_AGG_MAX_ROUNDS || len != zk_agg_proof_size(in[5]))
        return ZK_EENCODING;
    zk_agg_proof *q = calloc(1, sizeof *q);
    if (!q)
        return ZK_ENOMEM;
    q->rounds = in[5];
    for (int i = 7; i >= 0; i--)
        q->n = (q->n << 8) | in[6 + i];
    cursor c = {NULL, in + ZK_AGG_HEADER_BYTES, ZK_OK};
#define GET_GT(x) get_gt(&c, x)
#define GET_G1(x) get_g1(&c, x)
#define GET_G2(x) get_g2(&c, x)
    AGG_FIELDS(GET_GT, GET_G1, GET_G2, q);
    int rc = c.rc;
    if (rc == ZK_OK && (q->n == 0 || zk_agg_padded(q->n) != (UINT64_C(1) << q->rounds)))
        rc = ZK_EENCODING;
    if (rc == ZK_OK)
        *p = *q;
    free(q);
    return rc;
}
