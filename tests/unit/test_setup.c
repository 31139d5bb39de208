/*
 * test_setup.c -- Groth16 setup (lib/groth16/setup): the key from a
 * prepared ptau and the development key.
 *
 * The ptau is built (testptau.h) from KNOWN toxic waste (tau, alpha, beta), with
 * the Lagrange blocks computed by the O(n^2) inverse DFT, so that:
 *  - every point of zk_groth16_setup's key is checked against the key
 *    computed directly from tau, alpha, beta in the field (u_s(tau) G1,
 *    ...), and its circuit hash against the byte sequence of setup.h
 *    hashed here, with T_i = tau^i (tau^d - 1) G1 from tau;
 *  - when node and tests/interop/node_modules are there, `snarkjs zkey
 *    new` on the same r1cs and ptau files writes a key whose sections are
 *    compared byte for byte with an encoder in this file, and the whole
 *    file with zk_zkey_write's;
 *  - keys (ptau and dev) prove and verify with zk_groth16_prove /
 *    zk_groth16_verify for satisfying witnesses and reject others.
 * Circuits: hand-made (public outputs and inputs, a wire used only in B,
 * a wire in no constraint, empty A, empty B, zero and -1 coefficients),
 * random product circuits, one with a wire in > 1024 entries (the MSM
 * path) whose domain equals 2^power (the last Lagrange block of section
 * 12), and one without constraints (domain 2).  Negative: custom gates, unprepared ptau, too small a power,
 * malformed points in the used ranges (and one outside, which is fine),
 * NULL arguments.
 */
#include <errno.h>
#include <limits.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "curve/g1.h"
#include "curve/g2.h"
#include "curve/msm.h"
#include "curve/pairing.h"
#include "field/fr.h"
#include "groth16/groth16.h"
#include "groth16/setup.h"
#include "io/binfile.h"
#include "io/ptau.h"
#include "io/r1cs.h"
#include "io/zkey.h"
#include "tap.h"
#include "testfile.h"
#include "testnode.h"
#include "testptau.h"
#include "util/err.h"
#include "util/pool.h"

/* ------------------------------------------------------------ helpers */

static zk_pool *g_pool;

static void fr_u64(zk_fr *r, uint64_t v) { zk_fr_set_u64(r, v); }

static void fr_pow_u64(zk_fr *r, const zk_fr *a, uint64_t e)
{
    const uint64_t ev[4] = { e, 0, 0, 0 };
    zk_fr_pow(r, a, ev);
}

/* Deterministic test randomness (xorshift64*). */
static uint64_t g_rng = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(void)
{
    g_rng ^= g_rng >> 12;
    g_rng ^= g_rng << 25;
    g_rng ^= g_rng >> 27;
    return g_rng * 0x2545f4914f6cdd1dULL;
}

static void fr_rnd(zk_fr *r)
{
    uint8_t b[64];
    for (int i = 0; i < 8; i++) {
        uint64_t v = rnd();
        memcpy(b + 8 * i, &v, 8);
    }
    zk_fr_from_bytes_be_reduce(r, b, sizeof b);
}

/* A coefficient of the kinds circuits have: 1, -1, small, -small, big. */
static void coef_rnd(zk_fr *r)
{
    switch (rnd() % 5) {
    case 0: zk_fr_one(r); break;
    case 1: zk_fr_one(r); zk_fr_neg(r, r); break;
    case 2: fr_u64(r, 2 + rnd() % 1000); break;
    case 3: fr_u64(r, 2 + rnd() % 100000); zk_fr_neg(r, r); break;
    default: fr_rnd(r); break;
    }
}

/* ------------------------------------------------------------ circuits */

static void add(zk_r1cs *cs, const zk_r1cs_term *a, size_t na, const zk_r1cs_term *b,
                size_t nb, const zk_r1cs_term *c, size_t nc)
{
    if (zk_r1cs_add_constraint(cs, a, na, b, nb, c, nc) != ZK_OK)
        bail_out("add_constraint");
}

/* w1 out; w2, w3 public in; w4, w5, w6 private in; w7..w10 internal.
 * w5 appears only in B, w6 in no constraint; c2 has empty A (and C), c3
 * empty B (and C); a zero coefficient in c4. */
static circuit circ_small(void)
{
    circuit c = { NULL, NULL, 11 };
    if (zk_r1cs_new(&c.cs, 1, 2, 3, 11) != ZK_OK)
        bail_out("r1cs_new");
    c.w = calloc(11, sizeof *c.w);
    zk_fr *w = c.w;
    zk_fr big, t;
    fr_u64(&big, 0x123456789abcdefULL);
    zk_fr_mul(&big, &big, &big);
    zk_fr_one(&w[0]);
    fr_u64(&w[2], 3);
    fr_u64(&w[3], 5);
    fr_u64(&w[4], 7);
    fr_u64(&w[5], 11);
    fr_u64(&w[6], 13);
    /* c0: (w2 + 2 w4) * w3 = w7 */
    zk_r1cs_term a0[] = { T(2, 1), T(4, 2) }, b0[] = { T(3, 1) }, c0[] = { T(7, 1) };
    add(c.cs, a0, 2, b0, 1, c0, 1);
    fr_u64(&w[7], (3 + 14) * 5);
    /* c1: (w7 - w0) * w5 = w8 */
    zk_r1cs_term a1[] = { T(0, -1), T(7, 1) }, b1[] = { T(5, 1) }, c1[] = { T(8, 1) };
    add(c.cs, a1, 2, b1, 1, c1, 1);
    fr_u64(&w[8], 84 * 11);
    /* c2: 0 * (w2 + w3) = 0 */
    zk_r1cs_term b2[] = { T(2, 1), T(3, 1) };
    add(c.cs, NULL, 0, b2, 2, NULL, 0);
    /* c3: w8 * 0 = 0 */
    zk_r1cs_term a3[] = { T(8, 1) };
    add(c.cs, a3, 1, NULL, 0, NULL, 0);
    /* c4: (w8 + big w0) * (w0 + 0 w3) = w9 */
    zk_r1cs_term a4[] = { T(0, 1), T(8, 1) }, b4[] = { T(0, 1), T(3, 0) },
                 c4[] = { T(9, 1) };
    a4[0].coeff = big;
    add(c.cs, a4, 2, b4, 2, c4, 1);
    zk_fr_add(&w[9], &w[8], &big);
    /* c5: (-w9) * w7 = w10 */
    zk_r1cs_term a5[] = { T(9, -1) }, b5[] = { T(7, 1) }, c5[] = { T(10, 1) };
    add(c.cs, a5, 1, b5, 1, c5, 1);
    zk_fr_mul(&w[10], &w[9], &w[7]);
    zk_fr_neg(&w[10], &w[10]);
    /* c6: w10 * w2 = w1 + 3 w0 */
    zk_r1cs_term a6[] = { T(10, 1) }, b6[] = { T(2, 1) }, c6[] = { T(0, 3), T(1, 1) };
    add(c.cs, a6, 1, b6, 1, c6, 2);
    zk_fr_mul(&t, &w[10], &w[2]);
    fr_u64(&w[1], 3);
    zk_fr_sub(&w[1], &t, &w[1]);
    return c;
}

/* No constraints at all: one public input, two unused private inputs
 * (domain 2: only the extra rows of wires 0 and 1). */
static circuit circ_empty(void)
{
    circuit c = { NULL, NULL, 4 };
    if (zk_r1cs_new(&c.cs, 0, 1, 2, 4) != ZK_OK)
        bail_out("r1cs_new");
    c.w = calloc(4, sizeof *c.w);
    zk_fr_one(&c.w[0]);
    for (int i = 1; i < 4; i++)
        fr_rnd(&c.w[i]);
    return c;
}

/* m product constraints, each defining one new wire (internal wires
 * first, the outputs last); hub (a public input, 0 for none) is in every
 * A, B and C. */
static circuit circ_random(uint32_t m, uint32_t nout, uint32_t nin, uint32_t nprv,
                           int hub)
{
    const uint32_t first_internal = 1 + nout + nin + nprv;
    const uint32_t nw = first_internal + (m - nout);
    circuit c = { NULL, NULL, nw };
    if (zk_r1cs_new(&c.cs, nout, nin, nprv, nw) != ZK_OK)
        bail_out("r1cs_new");
    c.w = calloc(nw, sizeof *c.w);
    /* order of definition: 0, inputs, internals, then outputs */
    uint32_t *order = malloc(nw * sizeof *order);
    uint32_t no = 0;
    order[no++] = 0;
    for (uint32_t i = 1 + nout; i < nw; i++)
        order[no++] = i;
    for (uint32_t i = 1; i <= nout; i++)
        order[no++] = i;
    zk_fr_one(&c.w[0]);
    for (uint32_t i = 1 + nout; i < first_internal; i++)
        fr_rnd(&c.w[i]);
    const uint32_t hubw = hub ? 1 + nout : 0;
    for (uint32_t q = 0; q < m; q++) {
        /* A and B: random combinations of wires that have values */
        const uint32_t defined = first_internal - nout + q;
        const uint32_t target = order[defined];
        zk_r1cs_term a[4], b[4], cc[2];
        zk_fr va, vb, prod;
        size_t nta = 0, ntb = 0;
        for (int side = 0; side < 2; side++) {
            zk_r1cs_term *t = side ? b : a;
            size_t *nt = side ? &ntb : &nta;
            zk_fr *v = side ? &vb : &va;
            zk_fr_zero(v);
            if (hubw) {
                t[*nt].wire = hubw;
                coef_rnd(&t[*nt].coeff);
                (*nt)++;
            }
            size_t want = 1 + rnd() % 3;
            for (size_t k = 0; k < want; k++) {
                uint32_t wire = order[rnd() % defined];
                int dup = 0;
                for (size_t z = 0; z < *nt; z++)
                    dup |= t[z].wire == wire;
                if (dup)
                    continue;
                t[*nt].wire = wire;
                coef_rnd(&t[*nt].coeff);
                (*nt)++;
            }
            for (size_t z = 0; z < *nt; z++) {
                zk_fr x;
                zk_fr_mul(&x, &t[z].coeff, &c.w[t[z].wire]);
                zk_fr_add(v, v, &x);
            }
        }
        zk_fr_mul(&prod, &va, &vb);
        /* C = target + h * hub: target = prod - h hub */
        size_t nc = 0;
        cc[nc].wire = target;
        zk_fr_one(&cc[nc].coeff);
        nc++;
        c.w[target] = prod;
        if (hubw) {
            zk_fr x;
            cc[nc].wire = hubw;
            coef_rnd(&cc[nc].coeff);
            zk_fr_mul(&x, &cc[nc].coeff, &c.w[hubw]);
            zk_fr_sub(&c.w[target], &c.w[target], &x);
            nc++;
        }
        add(c.cs, a, nta, b, ntb, cc, nc);
    }
    free(order);
    return c;
}

/* ------------------------------------------------------ the direct key */

/* The key computed in the field from known waste (gamma = delta = 1),
 * with H from the ptau's convention: the doubled block, whose last power
 * is 0 when the domain is 2^power. */
static zk_zkey *direct_key(const circuit *c, const toxic *tx, unsigned power)
{
    uint32_t k;
    if (zk_groth16_setup_log_domain(&k, c->cs) != ZK_OK)
        bail_out("log domain");
    const size_t d = (size_t)1 << k, nw = c->n;
    const uint32_t m = zk_r1cs_n_constraints(c->cs);
    const uint32_t npub = zk_r1cs_n_pub_out(c->cs) + zk_r1cs_n_pub_in(c->cs);
    zk_fr one;
    zk_fr_one(&one);
    zk_fr *L = malloc(2 * d * sizeof *L), *u = calloc(nw, sizeof *u),
          *v = calloc(nw, sizeof *v), *ww = calloc(nw, sizeof *ww),
          *kk = malloc(nw * sizeof *kk);
    lagrange_dft(L, k, &tx->tau, d, &one);
    for (uint32_t i = 0; i < m; i++)
        for (unsigned j = 0; j < 3; j++) {
            size_t nt;
            const zk_r1cs_term *t = zk_r1cs_lc(c->cs, i, j, &nt);
            zk_fr *dst = j == 0 ? u : j == 1 ? v : ww;
            for (size_t q = 0; q < nt; q++) {
                zk_fr x;
                zk_fr_mul(&x, &t[q].coeff, &L[i]);
                zk_fr_add(&dst[t[q].wire], &dst[t[q].wire], &x);
            }
        }
    for (uint32_t s = 0; s <= npub; s++)
        zk_fr_add(&u[s], &u[s], &L[m + s]);
    for (size_t s = 0; s < nw; s++) {
        zk_fr x;
        zk_fr_mul(&kk[s], &tx->beta, &u[s]);
        zk_fr_mul(&x, &tx->alpha, &v[s]);
        zk_fr_add(&kk[s], &kk[s], &x);
        zk_fr_add(&kk[s], &kk[s], &ww[s]);
    }
    zk_zkey *z;
    if (zk_zkey_alloc(&z, (uint32_t)nw, npub, k, 0, 0) != ZK_OK)
        bail_out("zkey_alloc");
    zk_g1 g1;
    zk_g2 g2;
    zk_g1_generator(&g1);
    zk_g2_generator(&g2);
    if (zk_g1_fixed_base_batch(z->a, &g1, u, nw, g_pool) != ZK_OK ||
        zk_g1_fixed_base_batch(z->b1, &g1, v, nw, g_pool) != ZK_OK ||
        zk_g2_fixed_base_batch(z->b2, &g2, v, nw, g_pool) != ZK_OK ||
        zk_g1_fixed_base_batch(z->ic, &g1, kk, npub + 1, g_pool) != ZK_OK ||
        zk_g1_fixed_base_batch(z->c, &g1, kk + npub + 1, nw - npub - 1, g_pool) != ZK_OK)
        bail_out("fixed base");
    lagrange_dft(L, k + 1, &tx->tau, k == power ? 2 * d - 1 : 2 * d, &one);
    for (size_t j = 0; j < d; j++)
        L[j] = L[2 * j + 1];
    if (zk_g1_fixed_base_batch(z->h, &g1, L, d, g_pool) != ZK_OK)
        bail_out("fixed base h");
    zk_g1j j1;
    zk_g2j j2;
    zk_g1j_from_affine(&j1, &g1);
    zk_g1j_mul_var(&j1, &j1, &tx->alpha);
    zk_g1_from_jacobian(&z->alpha1, &j1);
    zk_g1j_from_affine(&j1, &g1);
    zk_g1j_mul_var(&j1, &j1, &tx->beta);
    zk_g1_from_jacobian(&z->beta1, &j1);
    zk_g2j_from_affine(&j2, &g2);
    zk_g2j_mul_var(&j2, &j2, &tx->beta);
    zk_g2_from_jacobian(&z->beta2, &j2);
    z->gamma2 = g2;
    z->delta1 = g1;
    z->delta2 = g2;

    /* the circuit hash, written out independently of setup.c */
    crypto_generichash_state st;
    uint8_t b[128];
    crypto_generichash_init(&st, NULL, 0, 64);
#define H1(P) (zk_g1_to_eth(b, (P)), crypto_generichash_update(&st, b, 64))
#define H2(P) (zk_g2_to_eth(b, (P)), crypto_generichash_update(&st, b, 128))
#define HU(V) (b[0] = (uint8_t)((V) >> 24), b[1] = (uint8_t)((V) >> 16), \
               b[2] = (uint8_t)((V) >> 8), b[3] = (uint8_t)(V),          \
               crypto_generichash_update(&st, b, 4))
    H1(&z->alpha1);
    H1(&z->beta1);
    H2(&z->beta2);
    H2(&g2);
    H1(&g1);
    H2(&g2);
    HU(npub + 1);
    for (size_t i = 0; i <= npub; i++)
        H1(&z->ic[i]);
    HU((uint32_t)(d - 1));
    {
        size_t t = d - 1 <= 16384 ? d - 1 : d;
        zk_fr f, x;
        fr_pow_u64(&f, &tx->tau, d);
        zk_fr_sub(&f, &f, &one);
        zk_fr *sc = malloc((t ? t : 1) * sizeof *sc);
        zk_g1 *pt = malloc((t ? t : 1) * sizeof *pt);
        zk_fr_one(&x);
        for (size_t i = 0; i < t; i++) {
            zk_fr_mul(&sc[i], &x, &f);
            zk_fr_mul(&x, &x, &tx->tau);
        }
        if (zk_g1_fixed_base_batch(pt, &g1, sc, t, g_pool) != ZK_OK)
            bail_out("fixed base t");
        for (size_t i = 0; i < t; i++)
            H1(&pt[i]);
        free(sc);
        free(pt);
    }
    HU((uint32_t)(nw - npub - 1));
    for (size_t i = 0; i < nw - npub - 1; i++)
        H1(&z->c[i]);
    HU((uint32_t)nw);
    for (size_t i = 0; i < nw; i++)
        H1(&z->a[i]);
    HU((uint32_t)nw);
    for (size_t i = 0; i < nw; i++)
        H1(&z->b1[i]);
    HU((uint32_t)nw);
    for (size_t i = 0; i < nw; i++)
        H2(&z->b2[i]);
    crypto_generichash_final(&st, z->cs_hash, 64);
#undef H1
#undef H2
#undef HU
    free(L);
    free(u);
    free(v);
    free(ww);
    free(kk);
    return z;
}

/* ------------------------------------------------------ comparisons */

static int g1s_eq(const zk_g1 *a, const zk_g1 *b, size_t n, size_t *bad)
{
    for (size_t i = 0; i < n; i++)
        if (!zk_g1_eq(&a[i], &b[i])) {
            *bad = i;
            return 0;
        }
    return 1;
}

static int g2s_eq(const zk_g2 *a, const zk_g2 *b, size_t n, size_t *bad)
{
    for (size_t i = 0; i < n; i++)
        if (!zk_g2_eq(&a[i], &b[i])) {
            *bad = i;
            return 0;
        }
    return 1;
}

/* Points, header and hash of two keys (not the coefficients). */
static void keys_same_points(const zk_zkey *got, const zk_zkey *want, const char *what)
{
    size_t bad = 0;
    ok(got->n_vars == want->n_vars && got->n_public == want->n_public &&
       got->domain_size == want->domain_size && got->log_domain == want->log_domain,
       "%s: sizes (nVars %u, nPublic %u, domain %u)", what, got->n_vars, got->n_public,
       got->domain_size);
    ok(zk_g1_eq(&got->alpha1, &want->alpha1) && zk_g1_eq(&got->beta1, &want->beta1) &&
       zk_g2_eq(&got->beta2, &want->beta2) && zk_g2_eq(&got->gamma2, &want->gamma2) &&
       zk_g1_eq(&got->delta1, &want->delta1) && zk_g2_eq(&got->delta2, &want->delta2),
       "%s: alpha, beta, gamma = delta = generators", what);
    ok(g1s_eq(got->ic, want->ic, got->n_public + 1u, &bad), "%s: IC (bad %zu)", what, bad);
    ok(g1s_eq(got->a, want->a, got->n_vars, &bad), "%s: A (bad %zu)", what, bad);
    ok(g1s_eq(got->b1, want->b1, got->n_vars, &bad), "%s: B1 (bad %zu)", what, bad);
    ok(g2s_eq(got->b2, want->b2, got->n_vars, &bad), "%s: B2 (bad %zu)", what, bad);
    ok(g1s_eq(got->c, want->c, got->n_vars - got->n_public - 1u, &bad), "%s: C (bad %zu)",
       what, bad);
    ok(g1s_eq(got->h, want->h, got->domain_size, &bad), "%s: H (bad %zu)", what, bad);
    ok(memcmp(got->cs_hash, want->cs_hash, 64) == 0, "%s: circuit hash", what);
}

/* The coefficient list in snarkjs's order, rebuilt from the r1cs. */
static void check_coefs(const zk_zkey *z, const circuit *c, const char *what)
{
    const uint32_t m = zk_r1cs_n_constraints(c->cs);
    size_t k = 0;
    int good = 1;
    for (uint32_t i = 0; i < m && good; i++)
        for (unsigned j = 0; j < 2 && good; j++) {
            size_t nt;
            const zk_r1cs_term *t = zk_r1cs_lc(c->cs, i, j, &nt);
            for (size_t q = 0; q < nt && good; q++, k++)
                good = k < z->n_coefs && z->coefs[k].matrix == j && z->coefs[k].row == i &&
                       z->coefs[k].wire == t[q].wire &&
                       zk_fr_eq(&z->coefs[k].value, &t[q].coeff);
        }
    for (uint32_t s = 0; s <= z->n_public && good; s++, k++)
        good = k < z->n_coefs && z->coefs[k].matrix == 0 && z->coefs[k].row == m + s &&
               z->coefs[k].wire == s && zk_fr_is_one(&z->coefs[k].value);
    ok(good && k == z->n_coefs, "%s: %zu coefficients in snarkjs's order (stopped at %zu)",
       what, z->n_coefs, k);
}

/* ----------------------------------------------- the zkey as snarkjs writes */

static void enc_g1s(buf_t *s, const zk_g1 *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t b[64];
        zk_g1_to_iden3(b, &p[i]);
        bput(s, b, 64);
    }
}

static void enc_g2s(buf_t *s, const zk_g2 *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t b[128];
        zk_g2_to_iden3(b, &p[i]);
        bput(s, b, 128);
    }
}

/* The payload of section sec of z, encoded here (formats.md 2.4). */
static buf_t enc_section(const zk_zkey *z, unsigned sec)
{
    buf_t s = { 0 };
    uint8_t b[32];
    switch (sec) {
    case 1:
        bput32(&s, 1);
        break;
    case 2: {
        zk_fp m1;
        zk_fr r1;
        zk_fp_one(&m1);
        zk_fp_neg(&m1, &m1);
        zk_fp_to_bytes_le(b, &m1);
        b[0]++;
        bput32(&s, 32);
        bput(&s, b, 32);
        zk_fr_one(&r1);
        zk_fr_neg(&r1, &r1);
        zk_fr_to_bytes_le(b, &r1);
        b[0]++;
        bput32(&s, 32);
        bput(&s, b, 32);
        bput32(&s, z->n_vars);
        bput32(&s, z->n_public);
        bput32(&s, z->domain_size);
        enc_g1s(&s, &z->alpha1, 1);
        enc_g1s(&s, &z->beta1, 1);
        enc_g2s(&s, &z->beta2, 1);
        enc_g2s(&s, &z->gamma2, 1);
        enc_g1s(&s, &z->delta1, 1);
        enc_g2s(&s, &z->delta2, 1);
        break;
    }
    case 3: enc_g1s(&s, z->ic, z->n_public + 1u); break;
    case 4: {
        /* c * R^2 mod r: the Montgomery image of c * R */
        zk_fr R, one;
        zk_fr_one(&one);
        zk_fr_to_mont_le(b, &one); /* R mod r */
        if (zk_fr_from_bytes_le(&R, b) != ZK_OK)
            bail_out("R");
        bput32(&s, (uint32_t)z->n_coefs);
        for (size_t i = 0; i < z->n_coefs; i++) {
            zk_fr x;
            bput32(&s, z->coefs[i].matrix);
            bput32(&s, z->coefs[i].row);
            bput32(&s, z->coefs[i].wire);
            zk_fr_mul(&x, &z->coefs[i].value, &R);
            zk_fr_to_mont_le(b, &x);
            bput(&s, b, 32);
        }
        break;
    }
    case 5: enc_g1s(&s, z->a, z->n_vars); break;
    case 6: enc_g1s(&s, z->b1, z->n_vars); break;
    case 7: enc_g2s(&s, z->b2, z->n_vars); break;
    case 8: enc_g1s(&s, z->c, z->n_vars - z->n_public - 1u); break;
    case 9: enc_g1s(&s, z->h, z->domain_size); break;
    case 10:
        bput(&s, z->cs_hash, 64);
        bput32(&s, 0);
        break;
    }
    return s;
}

static const char *const SEC_NAME[11] = { "", "header", "groth16 header", "IC",
                                          "coefficients", "A", "B1", "B2", "C", "H",
                                          "contributions (circuit hash)" };

/* Section by section against snarkjs's file, then the whole file
 * against zk_zkey_write's. */
static void compare_with_snarkjs(const zk_zkey *z, const char *snark_path, const char *what)
{
    zk_binfile *f;
    if (zk_binfile_open(&f, snark_path, "zkey", 1) != ZK_OK) {
        ok(0, "%s: snarkjs wrote a readable %s", what, snark_path);
        return;
    }
    int all = 1;
    for (unsigned sec = 1; sec <= 10; sec++) {
        const uint8_t *d;
        uint64_t sz;
        buf_t mine = enc_section(z, sec);
        int same = zk_binfile_section(f, sec, &d, &sz) == ZK_OK && sz == mine.n &&
                   memcmp(d, mine.b, mine.n) == 0;
        if (!same) {
            all = 0;
            diag("%s: section %u (%s) differs (snarkjs %llu bytes, ours %zu)", what, sec,
                 SEC_NAME[sec], (unsigned long long)sz, mine.n);
        }
        bfree(&mine);
    }
    zk_binfile_close(f);
    ok(all, "%s: sections 1 to 10 byte-identical to snarkjs zkey new", what);

    char mine_path[4400];
    snprintf(mine_path, sizeof mine_path, "%s.ours", snark_path);
    int rc = zk_zkey_write(mine_path, z);
    size_t n1 = 0, n2 = 0;
    uint8_t *b1 = rc == ZK_OK ? get_file(mine_path, &n1) : NULL;
    uint8_t *b2 = get_file(snark_path, &n2);
    ok(rc == ZK_OK && n1 == n2 && memcmp(b1, b2, n1) == 0,
       "%s: zk_zkey_write's file equals snarkjs's (rc %d, %zu vs %zu bytes)", what, rc, n1,
       n2);
    free(b1);
    free(b2);
    remove(mine_path);
}

/* -------------------------------------------------------- proving */

static void prove_verify(const zk_zkey *z, const circuit *c, const char *what)
{
    zk_groth16_proof pr;
    zk_groth16_vk vk;
    int rc = zk_groth16_prove(&pr, z, c->w, c->n, g_pool, NULL, NULL);
    is_int(rc, ZK_OK, "%s: a satisfying witness proves (the prover checks the proof)", what);
    if (zk_groth16_vk_from_zkey(&vk, z) != ZK_OK)
        bail_out("vk");
    rc = rc == ZK_OK ? zk_groth16_verify(&vk, c->w + 1, z->n_public, &pr) : -100;
    is_int(rc, ZK_OK, "%s: the proof verifies with the public signals", what);
    zk_fr x[64];
    if (z->n_public > 0 && z->n_public <= 64) {
        memcpy(x, c->w + 1, z->n_public * sizeof *x);
        zk_fr_add(&x[z->n_public - 1], &x[z->n_public - 1], &c->w[0]);
        rc = zk_groth16_verify(&vk, x, z->n_public, &pr);
        is_int(rc, ZK_EVERIFY, "%s: ... and not with a changed public signal", what);
    } else {
        skip(1, "no public signals");
    }
    zk_groth16_vk_free(&vk);
    /* a witness that breaks one constraint */
    if (zk_r1cs_n_constraints(c->cs) == 0) {
        skip(1, "no constraint to break");
        return;
    }
    zk_fr *w = malloc(c->n * sizeof *w);
    memcpy(w, c->w, c->n * sizeof *w);
    zk_fr_add(&w[c->n - 1], &w[c->n - 1], &w[0]);
    size_t first;
    int sat = zk_r1cs_is_satisfied(c->cs, w, c->n, &first);
    rc = zk_groth16_prove(&pr, z, w, c->n, g_pool, NULL, NULL);
    ok(sat == ZK_EVERIFY && rc == ZK_EVERIFY,
       "%s: a witness that breaks a constraint gives ZK_EVERIFY (%d)", what, rc);
    free(w);
}

/* ------------------------------------------------------------ interop */

/* snarkjs zkey new for circuits 0..n-1 (r<i>.r1cs -> s<i>.zkey) in one
 * node process. */
static int run_snarkjs(const char *nm, unsigned n)
{
    return node_mjs("zkeynew", "",
                    "import * as s from \"%s/snarkjs/main.js\";\n"
                    "for (let i = 0; i < %u; i++) {\n"
                    "  const h = await s.zKey.newZKey(\"r\" + i + \".r1cs\", \"pot.ptau\",\n"
                    "    \"s\" + i + \".zkey\");\n"
                    "  if (!(h instanceof Uint8Array)) process.exit(3);\n"
                    "}\n"
                    "process.exit(0);\n",
                    nm, n);
}

/* ------------------------------------------------------------ tests */

#define POWER 9u

static toxic g_tx;
static zk_ptau *g_ptau;

/* A well-formed ptau of power p from g_tx, prepared (sections 12..15) or
 * not; points by the fixed-base code on g_pool. */
static buf_t setup_ptau(unsigned p, int prepared)
{
    ptau_shape sh = ptau_good_shape(p);
    sh.prepared = prepared;
    return ptau_build(p, &g_tx, &sh, g_pool);
}

static void test_log_domain(void)
{
    /* rows = m + nPublic + 1 -> k */
    static const struct { uint32_t m, out, in, k; } v[] = {
        { 0, 0, 0, 1 }, { 1, 0, 0, 1 }, { 2, 0, 0, 2 }, { 3, 0, 0, 2 }, { 4, 0, 0, 3 },
        { 5, 1, 1, 3 }, { 6, 1, 1, 4 }, { 7, 3, 5, 4 }, { 8, 3, 5, 5 },
    };
    int good = 1;
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        zk_r1cs *cs;
        if (zk_r1cs_new(&cs, v[i].out, v[i].in, 0, 1 + v[i].out + v[i].in) != ZK_OK)
            bail_out("r1cs_new");
        for (uint32_t q = 0; q < v[i].m; q++)
            add(cs, NULL, 0, NULL, 0, NULL, 0);
        uint32_t k = 99;
        if (zk_groth16_setup_log_domain(&k, cs) != ZK_OK || k != v[i].k) {
            diag("m %u nPublic %u: k %u, want %u", v[i].m, v[i].out + v[i].in, k, v[i].k);
            good = 0;
        }
        zk_r1cs_free(cs);
    }
    ok(good, "log domain: smallest 2^k >= nConstraints + nPublic + 1, k >= 1");
    is_int(zk_groth16_setup_log_domain(NULL, NULL), ZK_EINVAL, "log_domain(NULL)");
}

static void test_ptau_setup(const char *nm)
{
    enum { NC = 5 };
    circuit cs[NC];
    const char *names[NC] = { "small", "random 60", "random 150 (1 output)",
                              "hub 400 (MSM path, domain 2^power)", "no constraints" };
    cs[0] = circ_small();
    cs[1] = circ_random(60, 2, 3, 5, 0);
    cs[2] = circ_random(150, 1, 0, 4, 0);
    cs[3] = circ_random(400, 2, 2, 3, 1);
    cs[4] = circ_empty();
    for (unsigned i = 0; i < NC; i++) {
        size_t bad;
        ok(zk_r1cs_is_satisfied(cs[i].cs, cs[i].w, cs[i].n, &bad) == ZK_OK,
           "%s: the witness satisfies the circuit", names[i]);
        char p[64];
        snprintf(p, sizeof p, "r%u.r1cs", i);
        if (zk_r1cs_write(tpath(p), cs[i].cs) != ZK_OK)
            bail_out("r1cs write");
    }
    int sn = nm ? run_snarkjs(nm, NC) : -1;
    if (nm && sn != 0) {
        diag("snarkjs zkey new failed (exit %d)", sn);
        diag_file("zkeynew.err", 2000);
    }

    for (unsigned i = 0; i < NC; i++) {
        zk_zkey *z = NULL, *z2 = NULL;
        const char *where = "unset";
        int rc = zk_groth16_setup(&z, cs[i].cs, g_ptau, g_pool, &where);
        is_int(rc, ZK_OK, "%s: zk_groth16_setup (where %s)", names[i], where ? where : "-");
        if (rc != ZK_OK) {
            circuit_free(&cs[i]);
            continue;
        }
        zk_zkey *want = direct_key(&cs[i], &g_tx, POWER);
        keys_same_points(z, want, names[i]);
        check_coefs(z, &cs[i], names[i]);
        zk_zkey_free(want);

        /* deterministic: serially, the same key */
        rc = zk_groth16_setup(&z2, cs[i].cs, g_ptau, NULL, NULL);
        is_int(rc, ZK_OK, "%s: again without threads", names[i]);
        if (rc == ZK_OK)
            keys_same_points(z2, z, names[i]);
        zk_zkey_free(z2);

        if (nm && sn == 0) {
            char p[64];
            snprintf(p, sizeof p, "s%u.zkey", i);
            compare_with_snarkjs(z, tpath(p), names[i]);
        } else {
            skip(2, "node, snarkjs or its run not available");
        }
        prove_verify(z, &cs[i], names[i]);
        zk_zkey_free(z);
        circuit_free(&cs[i]);
    }
}

static void test_ptau_setup_errors(const buf_t *good)
{
    circuit c = circ_small();
    zk_zkey *z = (zk_zkey *)1;
    const char *where = NULL;

    is_int(zk_groth16_setup(&z, NULL, g_ptau, NULL, NULL), ZK_EINVAL, "setup(NULL r1cs)");
    ok(z == NULL, "... *out set to NULL");
    is_int(zk_groth16_setup(&z, c.cs, NULL, NULL, NULL), ZK_EINVAL, "setup(NULL ptau)");
    is_int(zk_groth16_setup(NULL, c.cs, g_ptau, NULL, NULL), ZK_EINVAL, "setup(NULL out)");

    /* custom gates: an r1cs file with a section 4 */
    if (zk_r1cs_write(tpath("cg.r1cs"), c.cs) != ZK_OK)
        bail_out("write");
    size_t n;
    uint8_t *b = get_file(tpath("cg.r1cs"), &n);
    buf_t s = { 0 };
    bput(&s, b, n);
    free(b);
    s.b[8]++; /* nSections */
    bput32(&s, 4);
    bput64(&s, 4);
    bput32(&s, 0);
    put_file(tpath("cg.r1cs"), s.b, s.n);
    bfree(&s);
    zk_r1cs *cg;
    if (zk_r1cs_read(&cg, tpath("cg.r1cs")) != ZK_OK || !zk_r1cs_uses_custom_gates(cg))
        bail_out("custom gates r1cs");
    int rc = zk_groth16_setup(&z, cg, g_ptau, NULL, &where);
    ok(rc == ZK_EUNSUPPORTED && where && strstr(where, "custom gates"),
       "custom gates: ZK_EUNSUPPORTED (%d, %s)", rc, where ? where : "-");
    is_int(zk_groth16_setup_dev(&z, cg, NULL), ZK_EUNSUPPORTED,
           "custom gates: the dev setup refuses too");
    zk_r1cs_free(cg);
    remove(tpath("cg.r1cs"));

    /* an unprepared ptau */
    zk_ptau *up;
    buf_t ub = setup_ptau(3, 0);
    if (zk_ptau_open_mem(&up, ub.b, ub.n, NULL) != ZK_OK)
        bail_out("unprepared ptau");
    rc = zk_groth16_setup(&z, c.cs, up, NULL, &where);
    ok(rc == ZK_EFORMAT && where && strstr(where, "not prepared"),
       "unprepared ptau: ZK_EFORMAT (%d, %s)", rc, where ? where : "-");
    zk_ptau_free(up);
    bfree(&ub);

    /* power too small: circ_small needs 2^4 */
    buf_t sb = setup_ptau(3, 1);
    if (zk_ptau_open_mem(&up, sb.b, sb.n, NULL) != ZK_OK)
        bail_out("small ptau");
    rc = zk_groth16_setup(&z, c.cs, up, NULL, &where);
    ok(rc == ZK_ERANGE && where && strstr(where, "power too small"),
       "ptau of power 3 for a domain of 2^4: ZK_ERANGE (%d, %s)", rc, where ? where : "-");
    zk_ptau_free(up);
    bfree(&sb);

    /* malformed points: the domain is 16, so section 12 uses points
     * [15, 31) and [31, 63), 13..15 use [15, 31); section 2 [0, 31) */
    struct {
        unsigned sec, idx, g2;
        int kind; /* 0 coordinate >= p, 1 off curve, 2 outside G2 */
        int want;
    } bad[] = {
        { 12, 15, 0, 0, ZK_ERANGE },      { 12, 30, 0, 1, ZK_ENOTONCURVE },
        { 12, 33, 0, 1, ZK_ENOTONCURVE }, { 14, 20, 0, 1, ZK_ENOTONCURVE },
        { 15, 29, 0, 0, ZK_ERANGE },      { 13, 17, 1, 2, ZK_ENOTINGROUP },
        { 13, 16, 1, 1, ZK_ENOTONCURVE }, { 2, 20, 0, 1, ZK_ENOTONCURVE },
        { 12, 3, 0, 1, ZK_OK },           { 13, 40, 1, 2, ZK_OK },
        { 2, 60, 0, 1, ZK_OK },
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        buf_t m = { 0 };
        bput(&m, good->b, good->n);
        /* find the section's payload */
        size_t off = 12;
        for (;;) {
            uint32_t type = zk_load_u32_le(m.b + off);
            uint64_t size = zk_load_u64_le(m.b + off + 4);
            if (type == bad[i].sec)
                break;
            off += 12 + size;
        }
        uint8_t *pt = m.b + off + 12 + (size_t)bad[i].idx * (bad[i].g2 ? 128 : 64);
        if (bad[i].kind == 0) {
            memset(pt, 0xff, 32); /* x = 2^256 - 1 >= p */
        } else if (bad[i].kind == 1) {
            pt[40] ^= 1;
        } else {
            zk_g2 tw;
            zk_g2_twist_point_from_seed(&tw, 1000 + i);
            zk_g2_to_iden3(pt, &tw);
        }
        zk_ptau *pp;
        rc = zk_ptau_open_mem(&pp, m.b, m.n, NULL);
        if (rc != ZK_OK)
            bail_out("open corrupted ptau (%d)", rc);
        where = NULL;
        z = NULL;
        rc = zk_groth16_setup(&z, c.cs, pp, g_pool, &where);
        char want_where[128];
        snprintf(want_where, sizeof want_where, "section %u (", bad[i].sec);
        char want_point[64];
        snprintf(want_point, sizeof want_point, "point %u", bad[i].idx);
        if (bad[i].want == ZK_OK)
            is_int(rc, ZK_OK, "a bad point outside the used range (section %u point %u) "
                              "is not read", bad[i].sec, bad[i].idx);
        else
            ok(rc == bad[i].want && where && strstr(where, want_where) &&
                   strlen(where) >= strlen(want_point) &&
                   strcmp(where + strlen(where) - strlen(want_point), want_point) == 0,
               "section %u point %u: %s, where \"%s\"", bad[i].sec, bad[i].idx,
               zk_strerror(rc), where ? where : "-");
        zk_zkey_free(z);
        zk_ptau_free(pp);
        bfree(&m);
    }
    circuit_free(&c);
}

/* ------------------------------------------------------------ dev */

static void test_dev(void)
{
    circuit cs[2];
    cs[0] = circ_small();
    cs[1] = circ_random(120, 3, 2, 6, 1);
    const char *names[2] = { "dev small", "dev random 120" };
    for (unsigned i = 0; i < 2; i++) {
        zk_zkey *z = NULL, *z2 = NULL;
        int rc = zk_groth16_setup_dev(&z, cs[i].cs, g_pool);
        is_int(rc, ZK_OK, "%s: zk_groth16_setup_dev", names[i]);
        if (rc != ZK_OK)
            continue;
        zk_g1 g1;
        zk_g2 g2;
        zk_g1_generator(&g1);
        zk_g2_generator(&g2);
        uint32_t k;
        if (zk_groth16_setup_log_domain(&k, cs[i].cs) != ZK_OK)
            bail_out("log domain");
        ok(z->n_vars == cs[i].n && z->log_domain == k && z->domain_size == 1u << k &&
               z->n_public == zk_r1cs_n_pub_out(cs[i].cs) + zk_r1cs_n_pub_in(cs[i].cs) &&
               z->n_contributions == 0,
           "%s: sizes", names[i]);
        ok(!zk_g2_eq(&z->gamma2, &g2) && !zk_g2_eq(&z->delta2, &g2) &&
               !zk_g1_eq(&z->delta1, &g1) && !zk_g2_eq(&z->gamma2, &z->delta2) &&
               !zk_g1_is_inf(&z->alpha1) && !zk_g2_is_inf(&z->beta2),
           "%s: gamma, delta are not the generators (nor each other)", names[i]);
        /* the header pairs: e(beta1, G2) = e(G1, beta2), e(delta1, G2) = e(G1, delta2) */
        zk_g1 p[2];
        zk_g2 q[2];
        zk_g1_neg(&p[0], &z->beta1);
        q[0] = g2;
        p[1] = g1;
        q[1] = z->beta2;
        int good = zk_pairing_check(p, q, 2);
        zk_g1_neg(&p[0], &z->delta1);
        q[1] = z->delta2;
        good &= zk_pairing_check(p, q, 2);
        ok(good, "%s: beta1 ~ beta2 and delta1 ~ delta2", names[i]);
        /* e(B1_s, G2) = e(G1, B2_s) for every wire, one multi-pairing with
         * random weights: e(sum r_s B1_s, G2) = e(G1, sum r_s B2_s) */
        {
            zk_fr *r = malloc(z->n_vars * sizeof *r);
            for (size_t s = 0; s < z->n_vars; s++)
                fr_rnd(&r[s]);
            zk_g1j s1;
            zk_g2j s2;
            if (zk_msm_g1(&s1, z->b1, r, z->n_vars, g_pool) != ZK_OK ||
                zk_msm_g2(&s2, z->b2, r, z->n_vars, g_pool) != ZK_OK)
                bail_out("msm");
            zk_g1_from_jacobian(&p[0], &s1);
            zk_g1_neg(&p[0], &p[0]);
            q[0] = g2;
            p[1] = g1;
            zk_g2_from_jacobian(&q[1], &s2);
            ok(zk_pairing_check(p, q, 2), "%s: B1_s and B2_s encode the same v_s(tau)",
               names[i]);
            free(r);
        }
        check_coefs(z, &cs[i], names[i]);
        prove_verify(z, &cs[i], names[i]);

        rc = zk_groth16_setup_dev(&z2, cs[i].cs, NULL);
        ok(rc == ZK_OK && !zk_g1_eq(&z2->alpha1, &z->alpha1) &&
               !zk_g1_eq(&z2->a[1], &z->a[1]) && memcmp(z2->cs_hash, z->cs_hash, 64) != 0,
           "%s: a second run draws other waste (other key, other hash)", names[i]);
        if (rc == ZK_OK)
            prove_verify(z2, &cs[i], "dev, second key, no threads");
        /* a proof of one key does not verify under the other */
        if (rc == ZK_OK) {
            zk_groth16_proof pr;
            zk_groth16_vk vk;
            if (zk_groth16_prove(&pr, z, cs[i].w, cs[i].n, g_pool, NULL, NULL) != ZK_OK ||
                zk_groth16_vk_from_zkey(&vk, z2) != ZK_OK)
                bail_out("prove");
            is_int(zk_groth16_verify(&vk, cs[i].w + 1, z->n_public, &pr), ZK_EVERIFY,
                   "%s: a proof for one dev key fails under the other", names[i]);
            zk_groth16_vk_free(&vk);
        }
        zk_zkey_free(z2);

        /* a written dev key reads back with every check (G2 included) */
        rc = zk_zkey_write(tpath("dev.zkey"), z);
        zk_zkey *back = NULL;
        if (rc == ZK_OK)
            rc = zk_zkey_read(&back, tpath("dev.zkey"), ZK_ZKEY_CHECK_G2, g_pool, NULL, NULL);
        is_int(rc, ZK_OK, "%s: written and read back with ZK_ZKEY_CHECK_G2", names[i]);
        if (back)
            ok(memcmp(back->cs_hash, z->cs_hash, 64) == 0 && zk_g2_eq(&back->delta2, &z->delta2),
               "%s: ... same hash and delta", names[i]);
        else
            skip(1, "no key");
        zk_zkey_free(back);
        remove(tpath("dev.zkey"));
        zk_zkey_free(z);
    }
    is_int(zk_groth16_setup_dev(NULL, cs[0].cs, NULL), ZK_EINVAL, "setup_dev(NULL out)");
    zk_zkey *z = (zk_zkey *)1;
    is_int(zk_groth16_setup_dev(&z, NULL, NULL), ZK_EINVAL, "setup_dev(NULL r1cs)");
    ok(z == NULL, "... *out = NULL");
    for (unsigned i = 0; i < 2; i++)
        circuit_free(&cs[i]);
}

int main(void)
{
    if (sodium_init() < 0)
        bail_out("sodium_init");
    testdir_make("zkpar-setup");
    if (zk_pool_new(&g_pool, 2) != ZK_OK)
        bail_out("pool");

    fr_u64(&g_tx.tau, 0x1234567);
    zk_fr_mul(&g_tx.tau, &g_tx.tau, &g_tx.tau);
    zk_fr_mul(&g_tx.tau, &g_tx.tau, &g_tx.tau); /* a full-size value */
    fr_u64(&g_tx.alpha, 0xa1fa);
    fr_rnd(&g_tx.beta);
    buf_t pb = setup_ptau(POWER, 1);
    put_file(tpath("pot.ptau"), pb.b, pb.n);
    const char *where = NULL;
    if (zk_ptau_open(&g_ptau, tpath("pot.ptau"), &where) != ZK_OK)
        bail_out("open the test ptau: %s", where ? where : "-");

    const char *nm = interop_dir("snarkjs/src/zkey_new.js");
    if (!nm)
        diag("%s: no snarkjs comparison", interop_why());

    test_log_domain();
    test_ptau_setup(nm);
    buf_t small = setup_ptau(5, 1);
    test_ptau_setup_errors(&small);
    bfree(&small);
    test_dev();

    zk_ptau_free(g_ptau);
    bfree(&pb);
    zk_pool_free(g_pool);
    dir_clear();
    testdir_remove();
    return done_testing();
}
