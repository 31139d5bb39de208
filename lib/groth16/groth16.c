/*
 * groth16.c -- Groth16 prover and verifier on snarkjs keys (groth16.h).
 */
#include "groth16/groth16.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "curve/msm.h"
#include "curve/pairing.h"
#include "io/binfile.h"
#include "poly/ntt.h"

/* ------------------------------------------------------------ helpers */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Phase timer: reports the time since the previous mark under `phase`. */
typedef struct {
    zk_groth16_progress_fn fn;
    void *ctx;
    double t;
    zk_meter *meter; /* the pool's (pool.h), or NULL */
} phase_clock;

/* Start metering phase `name` of `total` units. */
static void phase_begin(phase_clock *pc, const char *name, uint64_t total)
{
    zk_meter_begin(pc->meter, name, total);
}

/* Report the phase that ends (its meter still shows it, all done), then
 * end it on the meter. */
static void phase_done(phase_clock *pc, const char *phase)
{
    double t = now_s();
    if (pc->fn != NULL)
        pc->fn(pc->ctx, phase, t - pc->t);
    zk_meter_end(pc->meter);
    pc->t = t;
}

/* Row range [lo, hi) of task t out of ntasks over n rows. */
static void task_rows(size_t n, size_t t, size_t ntasks, size_t *lo, size_t *hi)
{
    *lo = (size_t)(((uint64_t)n * t) / ntasks);
    *hi = (size_t)(((uint64_t)n * (t + 1)) / ntasks);
}

/* ------------------------------------------------------------- matvec */

/*
 * a_j = sum_k A_jk w_k, b_j = sum_k B_jk w_k, c_j = a_j b_j.  The
 * coefficient list may be in any order, so the rows are split into one
 * range per task and every task scans the whole list for its rows (the
 * scan is cheap next to the multiplications it skips): each row is summed
 * in list order by one task, the same for any thread count.
 */
typedef struct {
    const zk_zkey *z;
    const zk_fr *w;      /* the witness (Montgomery form) */
    const zk_fr *w_std;  /* the witness in standard form, for coefs_raw */
    zk_fr *abc[3];
    size_t ntasks;
    zk_meter *meter; /* one unit per task */
} matvec_job;

static void matvec_task(void *arg, size_t t)
{
    const matvec_job *j = arg;
    size_t lo, hi;
    task_rows(j->z->domain_size, t, j->ntasks, &lo, &hi);
    const size_t nc = j->z->n_coefs;
    zk_fr p;
    if (j->z->coefs != NULL) {
        const zk_zkey_coef *c = j->z->coefs;
        for (size_t i = 0; i < nc; i++) {
            if (c[i].row < lo || c[i].row >= hi)
                continue;
            zk_fr_mul(&p, &c[i].value, &j->w[c[i].wire]);
            zk_fr *dst = &j->abc[c[i].matrix][c[i].row];
            zk_fr_add(dst, dst, &p);
        }
    } else {
        /* The file's records: c R^2 as raw limbs, and the Montgomery
         * product (c R^2)(w) R^-1 = c w R is c w in Montgomery form. */
        const uint8_t *b = j->z->coefs_raw;
        for (size_t i = 0; i < nc; i++, b += ZK_ZKEY_COEF_BYTES) {
            uint32_t row = zk_load_u32_le(b + 4);
            if (row < lo || row >= hi)
                continue;
            zk_fr v;
            for (unsigned k = 0; k < 4; k++)
                v.l[k] = zk_load_u64_le(b + 12 + 8 * k);
            zk_fr_mul(&p, &v, &j->w_std[zk_load_u32_le(b + 8)]);
            zk_fr *dst = &j->abc[zk_load_u32_le(b)][row];
            zk_fr_add(dst, dst, &p);
        }
    }
    for (size_t r = lo; r < hi; r++)
        zk_fr_mul(&j->abc[2][r], &j->abc[0][r], &j->abc[1][r]);
    zk_meter_add(j->meter, 1);
}

/* h_j = a_j b_j - c_j, into a. */
typedef struct {
    zk_fr *a;
    const zk_fr *b, *c;
    size_t n, ntasks;
} join_job;

static void join_task(void *arg, size_t t)
{
    const join_job *j = arg;
    size_t lo, hi;
    task_rows(j->n, t, j->ntasks, &lo, &hi);
    for (size_t i = lo; i < hi; i++) {
        zk_fr_mul(&j->a[i], &j->a[i], &j->b[i]);
        zk_fr_sub(&j->a[i], &j->a[i], &j->c[i]);
    }
}

/* ------------------------------------------------------------- verify */

/* The pairing check of a proof, every point checked first. */
static int verify_core(const zk_g1 *alpha, const zk_g2 *beta, const zk_g2 *gamma,
                       const zk_g2 *delta, const zk_g1 *ic, size_t n_public,
                       const zk_fr *x, const zk_groth16_proof *proof)
{
    if (!zk_g1_is_on_curve(&proof->a) || !zk_g1_is_on_curve(&proof->c) ||
        !zk_g2_is_on_curve(&proof->b) || !zk_g1_is_on_curve(alpha) ||
        !zk_g2_is_on_curve(beta) || !zk_g2_is_on_curve(gamma) ||
        !zk_g2_is_on_curve(delta))
        return ZK_ENOTONCURVE;
    for (size_t i = 0; i <= n_public; i++)
        if (!zk_g1_is_on_curve(&ic[i]))
            return ZK_ENOTONCURVE;
    if (!zk_g2_in_subgroup(&proof->b) || !zk_g2_in_subgroup(beta) ||
        !zk_g2_in_subgroup(gamma) || !zk_g2_in_subgroup(delta))
        return ZK_ENOTINGROUP;

    /* vk_x = IC_0 + sum x_i IC_(i+1) */
    zk_g1j acc, ic0;
    int rc = zk_msm_g1(&acc, ic + 1, x, n_public, NULL);
    if (rc != 0)
        return rc;
    zk_g1j_from_affine(&ic0, &ic[0]);
    zk_g1j_add(&acc, &acc, &ic0);

    zk_g1 p[4];
    zk_g2 q[4];
    zk_g1_neg(&p[0], &proof->a);
    q[0] = proof->b;
    p[1] = *alpha;
    q[1] = *beta;
    zk_g1_from_jacobian(&p[2], &acc);
    q[2] = *gamma;
    p[3] = proof->c;
    q[3] = *delta;
    return zk_pairing_check(p, q, 4) ? 0 : ZK_EVERIFY;
}

int zk_groth16_verify(const zk_groth16_vk *vk, const zk_fr *x, size_t n,
                      const zk_groth16_proof *proof)
{
    if (vk == NULL || proof == NULL || vk->ic == NULL || (x == NULL && n > 0))
        return ZK_EINVAL;
    if (n != vk->n_public)
        return ZK_EINVAL;
    return verify_core(&vk->alpha, &vk->beta, &vk->gamma, &vk->delta, vk->ic, n,
                       x, proof);
}

int zk_groth16_vk_from_zkey(zk_groth16_vk *vk, const zk_zkey *z)
{
    if (vk == NULL)
        return ZK_EINVAL;
    memset(vk, 0, sizeof *vk);
    if (z == NULL || z->ic == NULL)
        return ZK_EINVAL;
    vk->ic = malloc(((size_t)z->n_public + 1) * sizeof *vk->ic);
    if (vk->ic == NULL)
        return ZK_ENOMEM;
    memcpy(vk->ic, z->ic, ((size_t)z->n_public + 1) * sizeof *vk->ic);
    vk->n_public = z->n_public;
    vk->alpha = z->alpha1;
    vk->beta = z->beta2;
    vk->gamma = z->gamma2;
    vk->delta = z->delta2;
    zk_pairing(&vk->alphabeta, &z->alpha1, &z->beta2);
    vk->has_alphabeta = 1;
    return 0;
}

/* ---------------------------------------------------------------- prove */

/* The blinding factors, in sodium_malloc memory. */
typedef struct {
    zk_fr r, s, neg_rs;
    zk_g1j t1;
    zk_g2j t2;
} blind_secrets;

static int prove(zk_groth16_proof *proof, const zk_zkey *z, const zk_fr *w, size_t n,
                 zk_pool *pool, phase_clock *pcp)
{
    if (proof == NULL || z == NULL || w == NULL)
        return ZK_EINVAL;
    if (z->a == NULL || z->b1 == NULL || z->b2 == NULL || z->h == NULL ||
        z->ic == NULL || (z->c == NULL && z->n_vars > z->n_public + 1))
        return ZK_EINVAL;
    if (n != z->n_vars || z->n_public >= z->n_vars)
        return ZK_EINVAL;
    if (!zk_fr_is_one(&w[0]))
        return ZK_EFORMAT;
    if (z->log_domain < 1 || z->log_domain >= ZK_ZKEY_MAX_LOG_DOMAIN ||
        z->domain_size != (UINT32_C(1) << z->log_domain))
        return z->log_domain == ZK_ZKEY_MAX_LOG_DOMAIN ? ZK_EUNSUPPORTED : ZK_EINVAL;

    phase_clock pc = *pcp;
    pc.t = now_s();
    const size_t N = z->domain_size;
    const size_t ntasks = zk_pool_size(pool) * 4;
    int rc;

    /* matvec: a, b, c on the domain */
    zk_fr *abc = calloc(3 * N, sizeof *abc);
    if (abc == NULL)
        return ZK_ENOMEM;
    zk_fr *a = abc, *b = abc + N, *c = abc + 2 * N;
    zk_fr *w_std = NULL;
    if (z->coefs != NULL) {
        for (size_t i = 0; i < z->n_coefs; i++) {
            /* a key from zkey.c is validated; this guards hand-built ones */
            if (z->coefs[i].matrix > 1 || z->coefs[i].row >= N ||
                z->coefs[i].wire >= z->n_vars) {
                free(abc);
                return ZK_EINVAL;
            }
        }
    } else if (z->n_coefs > 0) {
        /* coefs_raw comes only from zk_zkey_read, which validated it */
        if (z->coefs_raw == NULL) {
            free(abc);
            return ZK_EINVAL;
        }
        w_std = malloc(n * sizeof *w_std);
        if (w_std == NULL) {
            free(abc);
            return ZK_ENOMEM;
        }
        for (size_t i = 0; i < n; i++)
            zk_fr_to_limbs(w_std[i].l, &w[i]);
    }
    matvec_job mj = { z, w, w_std, { a, b, c }, zk_pool_size(pool), pc.meter };
    phase_begin(&pc, "matvec", mj.ntasks);
    rc = zk_pool_run(pool, mj.ntasks, matvec_task, &mj);
    if (w_std != NULL) {
        sodium_memzero(w_std, n * sizeof *w_std);
        free(w_std);
    }
    zk_zkey_release(z, ZK_ZKEY_SEC_COEFS);
    if (rc != 0)
        goto out_abc;
    phase_done(&pc, "matvec");

    /* ntt: evaluate on the odd coset omega_2n <omega_n> */
    zk_ntt_domain *dom = NULL;
    zk_fr g;
    rc = zk_ntt_domain_new(&dom, z->log_domain);
    if (rc != 0)
        goto out_abc;
    rc = zk_fr_root_of_unity(&g, z->log_domain + 1);
    phase_begin(&pc, "ntt", 7); /* six transforms and the join */
    for (int k = 0; k < 3 && rc == 0; k++) {
        rc = zk_ntt_inverse(dom, abc + (size_t)k * N, pool);
        zk_meter_add(pc.meter, 1);
        if (rc == 0)
            rc = zk_ntt_coset_forward(dom, abc + (size_t)k * N, &g, pool);
        zk_meter_add(pc.meter, 1);
    }
    zk_ntt_domain_free(dom);
    if (rc != 0)
        goto out_abc;
    join_job jj = { a, b, c, N, ntasks };
    rc = zk_pool_run(pool, ntasks, join_task, &jj);
    zk_meter_add(pc.meter, 1);
    if (rc != 0)
        goto out_abc;
    phase_done(&pc, "ntt");

    /* msm: H first, so the three vectors are freed before the others */
    const size_t n_priv = z->n_vars - z->n_public - 1;
    zk_g1j sa, sb1, sc, sh;
    zk_g2j sb2;
    /* each section's pages are given back once used (zk_zkey_release) */
    phase_begin(&pc, "msm_h", N);
    rc = zk_msm_g1(&sh, z->h, a, N, pool);
    free(abc);
    abc = NULL;
    zk_zkey_release(z, ZK_ZKEY_SEC_H);
    if (rc != 0)
        return rc;
    phase_done(&pc, "msm_h");
    phase_begin(&pc, "msm_a", n);
    if ((rc = zk_msm_g1(&sa, z->a, w, n, pool)) != 0)
        return rc;
    zk_zkey_release(z, ZK_ZKEY_SEC_A);
    phase_done(&pc, "msm_a");
    phase_begin(&pc, "msm_b1", n);
    if ((rc = zk_msm_g1(&sb1, z->b1, w, n, pool)) != 0)
        return rc;
    zk_zkey_release(z, ZK_ZKEY_SEC_B1);
    phase_done(&pc, "msm_b1");
    phase_begin(&pc, "msm_b2", n);
    if ((rc = zk_msm_g2(&sb2, z->b2, w, n, pool)) != 0)
        return rc;
    zk_zkey_release(z, ZK_ZKEY_SEC_B2);
    phase_done(&pc, "msm_b2");
    phase_begin(&pc, "msm_c", n_priv);
    if ((rc = zk_msm_g1(&sc, z->c, w + z->n_public + 1, n_priv, pool)) != 0)
        return rc;
    zk_zkey_release(z, ZK_ZKEY_SEC_C);
    phase_done(&pc, "msm_c");

    /* blind (sodium_init is idempotent and thread-safe; sodium_malloc
     * needs it) */
    if (sodium_init() < 0)
        return ZK_ENOMEM;
    blind_secrets *sec = sodium_malloc(sizeof *sec);
    if (sec == NULL)
        return ZK_ENOMEM;
    zk_fr_random(&sec->r);
    zk_fr_random(&sec->s);
    zk_fr_mul(&sec->neg_rs, &sec->r, &sec->s);
    zk_fr_neg(&sec->neg_rs, &sec->neg_rs);

    zk_g1j A, B1, C, d1;
    zk_g2j B, d2;
    zk_g1j_from_affine(&d1, &z->delta1);
    zk_g2j_from_affine(&d2, &z->delta2);
    /* A = alpha + sum w A + r delta */
    zk_g1j_mul(&sec->t1, &d1, &sec->r);
    zk_g1j_add_affine(&A, &sa, &z->alpha1);
    zk_g1j_add(&A, &A, &sec->t1);
    /* B = beta + sum w B2 + s delta; B1 its G1 twin */
    zk_g2j_mul(&sec->t2, &d2, &sec->s);
    zk_g2j_add_affine(&B, &sb2, &z->beta2);
    zk_g2j_add(&B, &B, &sec->t2);
    zk_g1j_mul(&sec->t1, &d1, &sec->s);
    zk_g1j_add_affine(&B1, &sb1, &z->beta1);
    zk_g1j_add(&B1, &B1, &sec->t1);
    /* C = sum w C + sum h H + s A + r B1 - r s delta */
    zk_g1j_add(&C, &sc, &sh);
    zk_g1j_mul(&sec->t1, &A, &sec->s);
    zk_g1j_add(&C, &C, &sec->t1);
    zk_g1j_mul(&sec->t1, &B1, &sec->r);
    zk_g1j_add(&C, &C, &sec->t1);
    zk_g1j_mul(&sec->t1, &d1, &sec->neg_rs);
    zk_g1j_add(&C, &C, &sec->t1);
    sodium_free(sec); /* wipes */

    zk_groth16_proof p;
    zk_g1_from_jacobian(&p.a, &A);
    zk_g2_from_jacobian(&p.b, &B);
    zk_g1_from_jacobian(&p.c, &C);
    phase_done(&pc, "blind");

    /* check: B in G2 (B2 is not checked on reading), then the proof */
    if (!zk_g2_in_subgroup(&p.b))
        return ZK_ENOTINGROUP;
    rc = verify_core(&z->alpha1, &z->beta2, &z->gamma2, &z->delta2, z->ic,
                     z->n_public, w + 1, &p);
    if (rc != 0)
        return rc;
    phase_done(&pc, "check");
    *proof = p;
    return 0;

out_abc:
    free(abc);
    return rc;
}

int zk_groth16_prove(zk_groth16_proof *proof, const zk_zkey *z, const zk_fr *w,
                     size_t n, zk_pool *pool, zk_groth16_progress_fn progress,
                     void *ctx)
{
    phase_clock pc = { progress, ctx, 0, zk_pool_meter(pool) };
    int rc = prove(proof, z, w, n, pool, &pc);
    zk_meter_end(pc.meter); /* also after an error */
    return rc;
}
