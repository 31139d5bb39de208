/*
 * test_groth16.c -- Groth16 prove/verify on random circuits with development
 * keys: valid proofs verify for any thread count, and every tampering
 * (of A, B, C, the public inputs, the key, the witness) is rejected.
 * Proving with snarkjs keys and verifying snarkjs proofs is tested in
 * tests/interop/groth16.test.mjs.
 */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "testfile.h"

#include "curve/g1.h"
#include "curve/g2.h"
#include "curve/pairing.h"
#include "field/fr.h"
#include "groth16/groth16.h"
#include "groth16/setup.h"
#include "io/r1cs.h"
#include "io/zkey.h"
#include "util/pool.h"

/* A random satisfiable circuit and a witness for it. */
typedef struct {
    zk_r1cs *cs;
    zk_fr *w;
    size_t n;
} circuit;

/*
 * Wires: 0 = 1, 1..n_out outputs, then n_in public inputs, n_prv private
 * inputs, then one internal wire per product constraint.  Each product
 * constraint multiplies two random sparse combinations of earlier wires
 * into its own wire; each output is then bound to an internal wire by
 * out * 1 = t.  One wire is left out of every constraint on purpose.
 */
static void circuit_make(circuit *c, uint32_t n_out, uint32_t n_in, uint32_t n_prv,
                         uint32_t n_mul)
{
    uint32_t first_t = 1 + n_out + n_in + n_prv;
    uint32_t n_wires = first_t + n_mul;
    if (zk_r1cs_new(&c->cs, n_out, n_in, n_prv, n_wires) != 0)
        bail_out("zk_r1cs_new");
    c->n = n_wires;
    c->w = calloc(n_wires, sizeof *c->w);
    if (c->w == NULL)
        bail_out("calloc");
    zk_fr_one(&c->w[0]);
    for (uint32_t i = 1 + n_out; i < first_t; i++)
        zk_fr_random(&c->w[i]);
    for (uint32_t k = 0; k < n_mul; k++) {
        uint32_t t = first_t + k;
        zk_r1cs_term a[3], b[3], cc[1];
        size_t na = 0, nb = 0;
        zk_fr va, vb;
        zk_fr_zero(&va);
        zk_fr_zero(&vb);
        /* up to three distinct earlier wires (not the outputs, not wire
         * first_t - 1, which stays unused) */
        for (uint32_t j = 0; j < 3; j++) {
            uint32_t pool_n = t - n_out - 1; /* wires 0, n_out+1 .. t-1 minus one */
            uint32_t r = (uint32_t)rand() % pool_n;
            uint32_t wire = r == 0 ? 0 : r + n_out;
            if (wire == first_t - 1)
                continue;
            int dup = 0;
            for (size_t q = 0; q < na; q++)
                dup |= a[q].wire == wire;
            if (dup)
                continue;
            a[na].wire = wire;
            zk_fr_random(&a[na].coeff);
            zk_fr p;
            zk_fr_mul(&p, &a[na].coeff, &c->w[wire]);
            zk_fr_add(&va, &va, &p);
            na++;
        }
        for (uint32_t j = 0; j < 2; j++) {
            uint32_t r = (uint32_t)rand() % (t - n_out - 1);
            uint32_t wire = r == 0 ? 0 : r + n_out;
            if (wire == first_t - 1 || (nb == 1 && b[0].wire == wire))
                continue;
            b[nb].wire = wire;
            zk_fr_set_u64(&b[nb].coeff, (uint64_t)rand() % 1000 + 1);
            zk_fr p;
            zk_fr_mul(&p, &b[nb].coeff, &c->w[wire]);
            zk_fr_add(&vb, &vb, &p);
            nb++;
        }
        zk_fr_mul(&c->w[t], &va, &vb);
        cc[0].wire = t;
        zk_fr_one(&cc[0].coeff);
        if (zk_r1cs_add_constraint(c->cs, a, na, b, nb, cc, 1) != 0)
            bail_out("add_constraint");
    }
    for (uint32_t o = 0; o < n_out; o++) {
        uint32_t t = first_t + (n_mul - 1 - o % n_mul);
        zk_r1cs_term a = { 1 + o, { { 0 } } }, b = { 0, { { 0 } } }, cc = { t, { { 0 } } };
        zk_fr_one(&a.coeff);
        zk_fr_one(&b.coeff);
        zk_fr_one(&cc.coeff);
        c->w[1 + o] = c->w[t];
        if (zk_r1cs_add_constraint(c->cs, &a, 1, &b, 1, &cc, 1) != 0)
            bail_out("add_constraint");
    }
    if (zk_r1cs_is_satisfied(c->cs, c->w, c->n, NULL) != 0)
        bail_out("the random circuit is not satisfied");
}

static void circuit_free(circuit *c)
{
    zk_r1cs_free(c->cs);
    free(c->w);
}

/* Phase names seen by the progress callback, in order. */
static char phases[256];

static void on_phase(void *ctx, const char *phase, double s)
{
    (void)ctx;
    (void)s;
    if (strlen(phases) + strlen(phase) + 2 < sizeof phases) {
        strcat(phases, phase);
        strcat(phases, " ");
    }
}

static int verify(const zk_groth16_vk *vk, const circuit *c, const zk_groth16_proof *p)
{
    return zk_groth16_verify(vk, c->w + 1, vk->n_public, p);
}

static void test_circuit(zk_pool *pool2, uint32_t n_out, uint32_t n_in, uint32_t n_prv,
                         uint32_t n_mul)
{
    circuit c;
    circuit_make(&c, n_out, n_in, n_prv, n_mul);
    diag("circuit: %u outputs, %u public inputs, %u private inputs, %u products",
         n_out, n_in, n_prv, n_mul);

    zk_zkey *z = NULL, *z2 = NULL;
    if (zk_groth16_setup_dev(&z, c.cs, pool2) != 0 ||
        zk_groth16_setup_dev(&z2, c.cs, pool2) != 0)
        bail_out("zk_groth16_setup_dev");
    zk_groth16_vk vk, vk2;
    is_int(zk_groth16_vk_from_zkey(&vk, z), 0, "vk_from_zkey");
    is_int(zk_groth16_vk_from_zkey(&vk2, z2), 0, "vk_from_zkey (second key)");
    zk_fp12 ab;
    zk_pairing(&ab, &z->alpha1, &z->beta2);
    ok(vk.has_alphabeta && zk_fp12_eq(&ab, &vk.alphabeta), "vk alphabeta = e(alpha, beta)");
    is_int((int)vk.n_public, (int)(n_out + n_in), "vk n_public = outputs + inputs");

    /* prove serially and with 2 threads; both verify; blinding differs */
    zk_groth16_proof p1, p2;
    phases[0] = '\0';
    is_int(zk_groth16_prove(&p1, z, c.w, c.n, NULL, on_phase, NULL), 0, "prove, 1 thread");
    is_str(phases, "matvec ntt msm_h msm_a msm_b1 msm_b2 msm_c blind check ",
           "progress reports every phase in order");
    is_int(zk_groth16_prove(&p2, z, c.w, c.n, pool2, NULL, NULL), 0, "prove, 2 threads");
    is_int(verify(&vk, &c, &p1), 0, "proof (1 thread) verifies");
    is_int(verify(&vk, &c, &p2), 0, "proof (2 threads) verifies");
    ok(!zk_g1_eq(&p1.a, &p2.a) && !zk_g2_eq(&p1.b, &p2.b) && !zk_g1_eq(&p1.c, &p2.c),
       "two proofs of one witness differ (fresh r, s)");

    /* tampered proofs: another valid point in A, B, C, or parts swapped */
    zk_groth16_proof t = p1;
    zk_g1 g1;
    zk_g2 g2;
    zk_g1_generator(&g1);
    zk_g2_generator(&g2);
    t.a = g1;
    is_int(verify(&vk, &c, &t), ZK_EVERIFY, "A replaced: invalid");
    t = p1;
    t.b = g2;
    is_int(verify(&vk, &c, &t), ZK_EVERIFY, "B replaced: invalid");
    t = p1;
    t.c = g1;
    is_int(verify(&vk, &c, &t), ZK_EVERIFY, "C replaced: invalid");
    t = p1;
    t.a = p2.a;
    is_int(verify(&vk, &c, &t), ZK_EVERIFY, "A from another proof: invalid");
    t = p1;
    t.c = p2.c;
    is_int(verify(&vk, &c, &t), ZK_EVERIFY, "C from another proof: invalid");
    t = p1;
    zk_g1_neg(&t.a, &p1.a);
    zk_g2_neg(&t.b, &p1.b);
    is_int(verify(&vk, &c, &t), 0, "(-A, -B, C) verifies too (e(-A,-B) = e(A,B))");
    t = p1;
    zk_g1_set_inf(&t.a);
    is_int(verify(&vk, &c, &t), ZK_EVERIFY, "A at infinity: invalid");
    t = p1;
    zk_fp_add(&t.a.y, &t.a.y, &t.a.x);
    is_int(verify(&vk, &c, &t), ZK_ENOTONCURVE, "A off the curve: ZK_ENOTONCURVE");
    t = p1;
    zk_g2_twist_point_from_seed(&t.b, 7);
    is_int(verify(&vk, &c, &t), ZK_ENOTINGROUP, "B on the twist, outside G2: ZK_ENOTINGROUP");

    /* wrong public inputs, wrong key, wrong count */
    zk_fr *x = malloc(vk.n_public * sizeof *x);
    if (x == NULL)
        bail_out("malloc");
    for (size_t i = 0; i < vk.n_public; i++) {
        memcpy(x, c.w + 1, vk.n_public * sizeof *x);
        zk_fr one;
        zk_fr_one(&one);
        zk_fr_add(&x[i], &x[i], &one);
        is_int(zk_groth16_verify(&vk, x, vk.n_public, &p1), ZK_EVERIFY,
               "public signal %zu + 1: invalid", i);
    }
    free(x);
    is_int(verify(&vk2, &c, &p1), ZK_EVERIFY, "proof under another key's vk: invalid");
    is_int(zk_groth16_verify(&vk, c.w + 1, vk.n_public + 1, &p1), ZK_EINVAL,
           "one public signal too many: ZK_EINVAL");
    if (vk.n_public > 0)
        is_int(zk_groth16_verify(&vk, c.w + 1, vk.n_public - 1, &p1), ZK_EINVAL,
               "one public signal too few: ZK_EINVAL");
    else
        skip(1, "no public signals");

    /* the prover refuses what it cannot prove */
    zk_groth16_proof q;
    memset(&q, 0x5a, sizeof q);
    zk_groth16_proof q0 = q;
    zk_fr keep = c.w[c.n - 1];
    zk_fr_add(&c.w[c.n - 1], &c.w[c.n - 1], &c.w[0]);
    is_int(zk_groth16_prove(&q, z, c.w, c.n, pool2, NULL, NULL), ZK_EVERIFY,
           "unsatisfied witness: ZK_EVERIFY");
    ok(memcmp(&q, &q0, sizeof q) == 0, "no proof written for it");
    c.w[c.n - 1] = keep;
    if (n_in > 0) {
        keep = c.w[1 + n_out]; /* first public input: the proof must bind it */
        zk_fr_add(&c.w[1 + n_out], &c.w[1 + n_out], &c.w[0]);
        is_int(zk_groth16_prove(&q, z, c.w, c.n, NULL, NULL, NULL), ZK_EVERIFY,
               "witness with a changed public input: ZK_EVERIFY");
        c.w[1 + n_out] = keep;
    } else {
        skip(1, "no public input to change");
    }
    zk_fr_set_u64(&c.w[0], 2);
    is_int(zk_groth16_prove(&q, z, c.w, c.n, NULL, NULL, NULL), ZK_EFORMAT,
           "w[0] != 1: ZK_EFORMAT");
    zk_fr_one(&c.w[0]);
    is_int(zk_groth16_prove(&q, z, c.w, c.n - 1, NULL, NULL, NULL), ZK_EINVAL,
           "short witness: ZK_EINVAL");
    is_int(zk_groth16_prove(&q, z2, c.w, c.n, NULL, NULL, NULL), 0,
           "the same witness proves under the second key");
    is_int(verify(&vk2, &c, &q), 0, "... and verifies under its vk");
    is_int(verify(&vk, &c, &q), ZK_EVERIFY, "... but not under the first key's");

    /* a key with a B2 point outside G2: caught by the proof's B check */
    zk_zkey *bad = NULL;
    if (zk_zkey_clone(&bad, z) != 0)
        bail_out("zk_zkey_clone");
    zk_g2_twist_point_from_seed(&bad->b2[0], 11); /* w[0] = 1 */
    is_int(zk_groth16_prove(&q, bad, c.w, c.n, NULL, NULL, NULL), ZK_ENOTINGROUP,
           "key with a B2 point outside G2: ZK_ENOTINGROUP");
    zk_zkey_free(bad);

    /* the key from a file, coefficients left in the mapping (what
     * zk-prove does), every section released after use */
    is_int(zk_zkey_write(tpath("k.zkey"), z), 0, "write the key");
    zk_zkey *zr = NULL, *zp = NULL, *zc = NULL;
    const char *where;
    int64_t index;
    is_int(zk_zkey_read(&zr, tpath("k.zkey"), ZK_ZKEY_RAW_COEFS, pool2, &where, &index), 0,
           "read it with ZK_ZKEY_RAW_COEFS");
    is_int(zk_zkey_read(&zp, tpath("k.zkey"), 0, pool2, &where, &index), 0,
           "read it with converted coefficients");
    ok(zr->coefs == NULL && zr->coefs_raw != NULL && zr->n_coefs == z->n_coefs,
       "raw: coefs NULL, coefs_raw set, same count");
    is_int(zk_zkey_clone(&zc, zr), 0, "clone of a raw key converts");
    int same = zc != NULL && zc->coefs != NULL;
    for (size_t i = 0; same && i < z->n_coefs; i++) /* field by field: padding */
        same = zc->coefs[i].matrix == zp->coefs[i].matrix &&
               zc->coefs[i].row == zp->coefs[i].row &&
               zc->coefs[i].wire == zp->coefs[i].wire &&
               zk_fr_eq(&zc->coefs[i].value, &zp->coefs[i].value);
    ok(same, "... to the coefficients of a normal read");
    for (int k = 0; k < 2; k++) {
        is_int(zk_groth16_prove(&q, zr, c.w, c.n, k ? pool2 : NULL, NULL, NULL), 0,
               "prove from the raw key (%d threads)", k + 1);
        is_int(verify(&vk, &c, &q), 0, "... verifies");
    }
    for (unsigned sec = ZK_ZKEY_SEC_COEFS; sec <= ZK_ZKEY_SEC_H; sec++)
        zk_zkey_release(zr, sec);
    ok(memcmp(zr->a, zp->a, c.n * sizeof *zp->a) == 0 &&
           memcmp(zr->b2, zp->b2, c.n * sizeof *zp->b2) == 0 &&
           memcmp(zr->h, zp->h, z->domain_size * sizeof *zp->h) == 0,
       "released sections read back unchanged");
    is_int(zk_zkey_write(tpath("k2.zkey"), zr), 0, "write the raw key back");
    size_t l1, l2;
    uint8_t *f1 = get_file(tpath("k.zkey"), &l1), *f2 = get_file(tpath("k2.zkey"), &l2);
    ok(l1 == l2 && memcmp(f1, f2, l1) == 0, "byte-identical to the file it came from");
    free(f1);
    free(f2);
    zk_zkey_free(zr);
    zk_zkey_free(zp);
    zk_zkey_free(zc);

    zk_groth16_vk_free(&vk);
    zk_groth16_vk_free(&vk2);
    zk_zkey_free(z);
    zk_zkey_free(z2);
    circuit_free(&c);
}

int main(void)
{
    zk_pool *pool2;
    srand(20261124);
    testdir_make("test_groth16");
    if (zk_pool_new(&pool2, 2) != 0)
        bail_out("zk_pool_new");
    test_circuit(pool2, 1, 2, 3, 8);
    test_circuit(pool2, 2, 0, 1, 30);
    test_circuit(pool2, 1, 5, 20, 300);
    zk_pool_free(pool2);
    testdir_remove();
    return done_testing();
}
