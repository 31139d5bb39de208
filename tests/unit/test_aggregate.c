/*
 * test_aggregate.c -- SnarkPack aggregation (lib/aggregate) of Groth16
 * proofs of a small circuit (public x, x2; private y; y^3 + y + 5 = x,
 * 2 y = x2) with development keys and a development SRS.
 *
 *  - aggregates of 1, 2, 3, 5, 8 and 64 proofs verify (n not a power of
 *    two: padded), with 1 thread and with 2;
 *  - rejected: a proof replaced by a valid proof of another statement;
 *    two proofs swapped; a public input changed; one proof fewer or more
 *    than claimed; another context (batch id); another Groth16 key;
 *    another SRS; every field of the aggregate changed in turn (G_T
 *    elements by a factor in G_T, points by a multiple of themselves or
 *    of the generator); a G_T element outside G_T; an off-curve point;
 *  - the transcript binds every message: changing any message of the
 *    aggregate changes every challenge drawn after it (the SnarkPack v1
 *    bug -- round-0 messages absorbed by no challenge -- fails this).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate/aggregate.h"
#include "aggregate/srs.h"
#include "curve/pairing.h"
#include "groth16/groth16.h"
#include "groth16/setup.h"
#include "io/r1cs.h"
#include "io/zkey.h"
#include "r1cs/cs.h"
#include "tap.h"
#include "util/meter.h"
#include "util/pool.h"

#define M 2             /* public inputs a proof */
#define NMAX 64

static int build(zk_cs *cs, void *ctx)
{
    const zk_fr *in = ctx; /* y, or NULL (SHAPE) */
    zk_fr x, x2, y, t, five, two;
    zk_fr_set_u64(&five, 5);
    zk_fr_set_u64(&two, 2);
    if (in) {
        y = in[0];
        zk_fr_sqr(&t, &y);
        zk_fr_mul(&t, &t, &y);
        zk_fr_add(&t, &t, &y);
        zk_fr_add(&x, &t, &five);
        zk_fr_mul(&x2, &y, &two);
    } else {
        zk_fr_zero(&x);
        zk_fr_zero(&x2);
        zk_fr_zero(&y);
    }
    zk_var vx = zk_cs_alloc_pub_in(cs, &x);
    zk_var vx2 = zk_cs_alloc_pub_in(cs, &x2);
    zk_var vy = zk_cs_alloc_prv_in(cs, &y);
    zk_lc ly = zk_lc_var(cs, vy);
    zk_var y2 = zk_cs_mul(cs, ly, ly);
    zk_var y3 = zk_cs_mul(cs, zk_lc_var(cs, y2), ly);
    zk_lc lhs = zk_lc_add_const(cs, zk_lc_add(cs, zk_lc_var(cs, y3), ly), &five);
    zk_cs_enforce_equal(cs, lhs, zk_lc_var(cs, vx));
    zk_cs_enforce_equal(cs, zk_lc_scale(cs, ly, &two), zk_lc_var(cs, vx2));
    return zk_cs_err(cs);
}

static zk_zkey *g_key, *g_key2;
static zk_groth16_vk g_vk, g_vk2;
static zk_pool *g_pool;

static void make_key(zk_zkey **z, zk_groth16_vk *vk)
{
    zk_cs *cs;
    zk_r1cs *r;
    if (zk_cs_new(&cs, ZK_CS_SHAPE) != ZK_OK || build(cs, NULL) != ZK_OK ||
        zk_cs_to_r1cs(&r, cs) != ZK_OK || zk_groth16_setup_dev(z, r, g_pool) != ZK_OK ||
        zk_groth16_vk_from_zkey(vk, *z) != ZK_OK)
        bail_out("key");
    zk_r1cs_free(r);
    zk_cs_free(cs);
}

/* A proof of y (random) and its public inputs pub[0 .. M). */
static void make_proof(zk_groth16_proof *p, zk_fr pub[M], const zk_zkey *z)
{
    zk_fr y;
    zk_fr_random(&y);
    zk_cs *cs;
    zk_fr *w;
    size_t nw;
    if (zk_cs_new(&cs, ZK_CS_WITNESS_ONLY) != ZK_OK || build(cs, &y) != ZK_OK ||
        zk_cs_witness(&w, &nw, cs) != ZK_OK ||
        zk_groth16_prove(p, z, w, nw, g_pool, NULL, NULL) != ZK_OK)
        bail_out("prove");
    memcpy(pub, w + 1, M * sizeof *pub);
    free(w);
    zk_cs_free(cs);
}

static const uint8_t CTX[] = "batch 0123456789abcdef";

/* p += the generator (a valid point, another value). */
static void g1_add_gen(zk_g1 *p)
{
    zk_g1 g;
    zk_g1j j;
    zk_g1_generator(&g);
    zk_g1j_from_affine(&j, p);
    zk_g1j_add_affine(&j, &j, &g);
    zk_g1_from_jacobian(p, &j);
}

static void g2_add_gen(zk_g2 *p)
{
    zk_g2 h;
    zk_g2j j;
    zk_g2_generator(&h);
    zk_g2j_from_affine(&j, p);
    zk_g2j_add_affine(&j, &j, &h);
    zk_g2_from_jacobian(p, &j);
}

int main(void)
{
    plan(2 + 2 * 6 + 1 + 9 + 1 + 2 + 4 + 5 + 2);
    if (zk_pool_new(&g_pool, 2) != ZK_OK)
        bail_out("pool");
    make_key(&g_key, &g_vk);
    make_key(&g_key2, &g_vk2);
    zk_agg_srs *srs, *srs2;
    if (zk_agg_srs_dev(&srs, NMAX, g_pool) != ZK_OK ||
        zk_agg_srs_dev(&srs2, NMAX, g_pool) != ZK_OK)
        bail_out("srs");
    zk_agg_vk svk, svk2;
    zk_agg_srs_vk(&svk, srs);
    zk_agg_srs_vk(&svk2, srs2);

    enum { NP = 64 };
    zk_groth16_proof pr[NP];
    zk_fr pub[NP * M];
    for (size_t i = 0; i < NP; i++)
        make_proof(&pr[i], &pub[i * M], g_key);

    /* ------------------------------------------------------- progress */
    {
        zk_meter *m;
        uint64_t d, t;
        if (zk_meter_new(&m) != ZK_OK)
            bail_out("meter");
        zk_pool_set_meter(g_pool, m);
        for (size_t n = 5; n <= 8; n += 3) {
            zk_agg_proof *mp = malloc(sizeof *mp);
            if (!mp || zk_agg_prove(mp, srs, &g_vk, pr, pub, n, CTX, sizeof CTX, g_pool) != ZK_OK)
                bail_out("prove");
            const char *name = zk_meter_read(m, &d, &t, NULL);
            ok(name == NULL && d == t && t > 0,
               "n = %zu: the prover's phase ended, %llu of %llu units", n,
               (unsigned long long)d, (unsigned long long)t);
            free(mp);
        }
        zk_pool_set_meter(g_pool, NULL);
        zk_meter_free(m);
    }

    /* ------------------------------------------------ valid aggregates */
    static const size_t sizes[6] = {1, 2, 3, 5, 8, 64};
    zk_agg_proof *ap = malloc(sizeof *ap);
    if (!ap)
        bail_out("malloc");
    for (size_t s = 0; s < 6; s++) {
        size_t n = sizes[s];
        for (int th = 0; th < 2; th++) {
            int rc = zk_agg_prove(ap, srs, &g_vk, pr, pub, n, CTX, sizeof CTX,
                                  th ? g_pool : NULL);
            int vr = rc == ZK_OK ? zk_agg_verify(&svk, &g_vk, pub, n, CTX,
                                                 sizeof CTX, ap)
                                 : rc;
            ok(vr == ZK_OK, "n = %zu, %d thread(s): the aggregate verifies (rc %d)",
               n, th ? 2 : 1, vr);
        }
    }

    /* n = 5 as the base of the rejections */
    const size_t n = 5;
    zk_agg_proof good;
    if (zk_agg_prove(&good, srs, &g_vk, pr, pub, n, CTX, sizeof CTX, g_pool) != ZK_OK)
        bail_out("prove 5");
    ok(zk_agg_verify(&svk, &g_vk, pub, n, CTX, sizeof CTX, &good) == ZK_OK,
       "n = 5 base aggregate verifies");

    /* ------------------------------------------------ statements */
    {
        zk_groth16_proof q[5];
        zk_fr qp[5 * M];
        memcpy(q, pr, sizeof q);
        memcpy(qp, pub, sizeof qp);
        q[2] = pr[10]; /* a valid proof of another statement */
        if (zk_agg_prove(ap, srs, &g_vk, q, qp, n, CTX, sizeof CTX, g_pool) != ZK_OK)
            bail_out("prove");
        ok(zk_agg_verify(&svk, &g_vk, qp, n, CTX, sizeof CTX, ap) == ZK_EVERIFY,
           "a proof replaced by a valid proof of another statement: rejected");
        memcpy(q, pr, sizeof q);
        q[1] = pr[3];
        q[3] = pr[1]; /* swapped proofs, statements in place */
        if (zk_agg_prove(ap, srs, &g_vk, q, qp, n, CTX, sizeof CTX, g_pool) != ZK_OK)
            bail_out("prove");
        ok(zk_agg_verify(&svk, &g_vk, qp, n, CTX, sizeof CTX, ap) == ZK_EVERIFY,
           "two proofs swapped: rejected");
        zk_fr one;
        zk_fr_one(&one);
        zk_fr_add(&qp[2 * M + 1], &qp[2 * M + 1], &one);
        ok(zk_agg_verify(&svk, &g_vk, qp, n, CTX, sizeof CTX, &good) == ZK_EVERIFY,
           "a public input changed: rejected");
        ok(zk_agg_verify(&svk, &g_vk, pub, n - 1, CTX, sizeof CTX, &good) == ZK_EINVAL &&
               zk_agg_verify(&svk, &g_vk, pub, n + 1, CTX, sizeof CTX, &good) ==
                   ZK_EINVAL,
           "one proof fewer or more than aggregated: rejected");
        /* an aggregate of 5 claimed as 6 with the 6th = the 5th's copy */
        zk_agg_proof six = good;
        six.n = 6;
        zk_fr p6[6 * M];
        memcpy(p6, pub, 5 * M * sizeof *p6);
        memcpy(p6 + 5 * M, pub + 4 * M, M * sizeof *p6);
        ok(zk_agg_verify(&svk, &g_vk, p6, 6, CTX, sizeof CTX, &six) == ZK_EVERIFY,
           "n is bound: 5 proofs do not pass as 6 (the padding copy made real)");
        uint8_t ctx2[sizeof CTX];
        memcpy(ctx2, CTX, sizeof CTX);
        ctx2[0] ^= 1;
        ok(zk_agg_verify(&svk, &g_vk, pub, n, ctx2, sizeof ctx2, &good) == ZK_EVERIFY,
           "another context (batch id): rejected");
        ok(zk_agg_verify(&svk, &g_vk2, pub, n, CTX, sizeof CTX, &good) == ZK_EVERIFY,
           "another Groth16 key: rejected");
        ok(zk_agg_verify(&svk2, &g_vk, pub, n, CTX, sizeof CTX, &good) == ZK_EVERIFY,
           "another SRS: rejected");
        /* the proofs of another key, aggregated under that key, do not
         * verify under this one */
        zk_groth16_proof o[5];
        zk_fr op[5 * M];
        for (size_t i = 0; i < 5; i++)
            make_proof(&o[i], &op[i * M], g_key2);
        if (zk_agg_prove(ap, srs, &g_vk2, o, op, n, CTX, sizeof CTX, g_pool) != ZK_OK)
            bail_out("prove");
        ok(zk_agg_verify(&svk, &g_vk2, op, n, CTX, sizeof CTX, ap) == ZK_OK &&
               zk_agg_verify(&svk, &g_vk, op, n, CTX, sizeof CTX, ap) == ZK_EVERIFY,
           "proofs of another key verify under it and not under this one");
    }

    /* ------------------------------------------------ every field */
    {
        zk_fp12 e, gt;
        zk_g1 g;
        zk_g2 h;
        zk_g1_generator(&g);
        zk_g2_generator(&h);
        zk_pairing(&gt, &g, &h); /* an element of G_T */
        int all = 1, n_fields = 0;
        /* each G_T element times e(g, h) */
#define TAMPER(field, change)                                                 \
    do {                                                                      \
        zk_agg_proof b = good;                                                \
        change;                                                               \
        int rc_ = zk_agg_verify(&svk, &g_vk, pub, n, CTX, sizeof CTX, &b);    \
        if (rc_ != ZK_EVERIFY) {                                              \
            all = 0;                                                          \
            diag("not rejected: %s (rc %d)", #field, rc_);                    \
        }                                                                     \
        n_fields++;                                                           \
    } while (0)
#define TAMPER_GT(field) TAMPER(field, zk_fp12_mul(&b.field, &b.field, &gt))
#define TAMPER_G1(field) TAMPER(field, g1_add_gen(&b.field))
#define TAMPER_G2(field) TAMPER(field, g2_add_gen(&b.field))
        TAMPER_GT(com_ab[0]);
        TAMPER_GT(com_ab[1]);
        TAMPER_GT(com_c[0]);
        TAMPER_GT(com_c[1]);
        TAMPER_GT(z_ab);
        TAMPER_G1(z_c);
        for (unsigned j = 0; j < good.rounds; j++) {
            TAMPER_GT(round[j].t_l);
            TAMPER_GT(round[j].u_l);
            TAMPER_GT(round[j].t_r);
            TAMPER_GT(round[j].u_r);
            TAMPER_GT(round[j].z_l);
            TAMPER_GT(round[j].z_r);
            TAMPER_GT(round[j].tc_l);
            TAMPER_GT(round[j].uc_l);
            TAMPER_GT(round[j].tc_r);
            TAMPER_GT(round[j].uc_r);
            TAMPER_G1(round[j].zc_l);
            TAMPER_G1(round[j].zc_r);
        }
        TAMPER_G1(a_f);
        TAMPER_G1(c_f);
        TAMPER_G2(b_f);
        TAMPER_G2(v_f[0]);
        TAMPER_G2(v_f[1]);
        TAMPER_G1(w_f[0]);
        TAMPER_G1(w_f[1]);
        TAMPER_G2(pi_v[0]);
        TAMPER_G2(pi_v[1]);
        TAMPER_G1(pi_w[0]);
        TAMPER_G1(pi_w[1]);
        ok(all, "each of the %d fields of the aggregate changed: rejected", n_fields);

        /* group membership: an Fp12 element outside G_T; a point off curve */
        zk_agg_proof b = good;
        zk_fp12_one(&e);
        zk_fp c[12];
        zk_fp12_get_coeffs(c, &e);
        zk_fp_set_u64(&c[1], 7);
        zk_fp12_set_coeffs(&b.round[0].z_l, c);
        ok(zk_agg_verify(&svk, &g_vk, pub, n, CTX, sizeof CTX, &b) == ZK_ENOTINGROUP,
           "a G_T element outside G_T: ZK_ENOTINGROUP");
        b = good;
        zk_fp one;
        zk_fp_one(&one);
        zk_fp_add(&b.a_f.y, &b.a_f.y, &one);
        ok(zk_agg_verify(&svk, &g_vk, pub, n, CTX, sizeof CTX, &b) == ZK_ENOTONCURVE,
           "a point off the curve: ZK_ENOTONCURVE");
    }

    /* ------------------------------------------------ transcript */
    {
        /* change each message (by the same rules as above) and compare
         * the challenges drawn after it: all of them must change */
        zk_fr r0, x0[ZK_AGG_MAX_ROUNDS], z0;
        if (zk_agg_challenges(&r0, x0, &z0, &svk, &g_vk, pub, n, CTX, sizeof CTX,
                              &good) != ZK_OK)
            bail_out("challenges");
        zk_fp12 gt;
        zk_g1 g;
        zk_g2 h;
        zk_g1_generator(&g);
        zk_g2_generator(&h);
        zk_pairing(&gt, &g, &h);
        int bound = 1;
        for (unsigned j = 0; j < good.rounds; j++) {
            zk_fp12 *msgs[10];
            for (int k = 0; k < 10; k++) {
                zk_agg_proof b = good;
                zk_agg_round *rd = &b.round[j];
                zk_fp12 *m[10] = {&rd->t_l, &rd->u_l, &rd->t_r,  &rd->u_r,  &rd->z_l,
                                  &rd->z_r, &rd->tc_l, &rd->uc_l, &rd->tc_r, &rd->uc_r};
                memcpy(msgs, m, sizeof m);
                zk_fp12_mul(msgs[k], msgs[k], &gt);
                zk_fr r1, x1[ZK_AGG_MAX_ROUNDS], z1;
                if (zk_agg_challenges(&r1, x1, &z1, &svk, &g_vk, pub, n, CTX,
                                      sizeof CTX, &b) != ZK_OK)
                    bail_out("challenges");
                int same_before = zk_fr_eq(&r1, &r0);
                for (unsigned i = 0; i < j; i++)
                    same_before &= zk_fr_eq(&x1[i], &x0[i]);
                int all_after = !zk_fr_eq(&z1, &z0);
                for (unsigned i = j; i < good.rounds; i++)
                    all_after &= !zk_fr_eq(&x1[i], &x0[i]);
                if (!same_before || !all_after) {
                    bound = 0;
                    diag("round %u message %d: challenges not as expected", j, k);
                }
            }
        }
        ok(bound, "every round message changes its round's challenge and all later ones");
        zk_agg_proof b = good;
        zk_fp12_mul(&b.com_ab[0], &b.com_ab[0], &gt);
        zk_fr r1, x1[ZK_AGG_MAX_ROUNDS], z1;
        if (zk_agg_challenges(&r1, x1, &z1, &svk, &g_vk, pub, n, CTX, sizeof CTX, &b) !=
            ZK_OK)
            bail_out("challenges");
        int changed = !zk_fr_eq(&r1, &r0) && !zk_fr_eq(&z1, &z0);
        for (unsigned i = 0; i < good.rounds; i++)
            changed &= !zk_fr_eq(&x1[i], &x0[i]);
        ok(changed, "the commitments change r and every later challenge");
        b = good;
        b.a_f = good.c_f;
        if (zk_agg_challenges(&r1, x1, &z1, &svk, &g_vk, pub, n, CTX, sizeof CTX, &b) !=
            ZK_OK)
            bail_out("challenges");
        ok(zk_fr_eq(&r1, &r0) && !zk_fr_eq(&z1, &z0),
           "the final A changes z (and nothing before it)");
        zk_fr pub2[5 * M];
        memcpy(pub2, pub, sizeof pub2);
        zk_fr_add(&pub2[0], &pub2[0], &pub2[1]);
        if (zk_agg_challenges(&r1, x1, &z1, &svk, &g_vk, pub2, n, CTX, sizeof CTX,
                              &good) != ZK_OK)
            bail_out("challenges");
        ok(!zk_fr_eq(&r1, &r0), "the public inputs change r (absorbed before it)");
    }

    /* ------------------------------------------------ encoding */
    {
        size_t len = zk_agg_proof_size(good.rounds);
        uint8_t *buf = malloc(len + 1);
        if (!buf || zk_agg_proof_encode(buf, &good) != ZK_OK)
            bail_out("encode");
        zk_agg_proof d;
        ok(zk_agg_proof_decode(&d, buf, len) == ZK_OK &&
               zk_agg_verify(&svk, &g_vk, pub, n, CTX, sizeof CTX, &d) == ZK_OK,
           "encode/decode round trip (%zu bytes for n = 5) verifies", len);
        ok(zk_agg_proof_decode(&d, buf, len - 1) == ZK_EENCODING &&
               zk_agg_proof_decode(&d, buf, 10) == ZK_EENCODING,
           "truncated encodings: ZK_EENCODING");
        buf[0] ^= 1;
        int r1 = zk_agg_proof_decode(&d, buf, len);
        buf[0] ^= 1;
        buf[5] ^= 1; /* rounds */
        int r2 = zk_agg_proof_decode(&d, buf, len);
        buf[5] ^= 1;
        ok(r1 == ZK_EENCODING && r2 == ZK_EENCODING, "bad magic, bad round count: refused");
        /* every byte position flipped in turn (a stride through the file):
         * refused by the decoder or by the verifier, never accepted */
        int never = 1;
        for (size_t i = ZK_AGG_HEADER_BYTES; i < len; i += 97) {
            buf[i] ^= 0x10;
            int rc = zk_agg_proof_decode(&d, buf, len);
            if (rc == ZK_OK)
                rc = zk_agg_verify(&svk, &g_vk, pub, n, CTX, sizeof CTX, &d);
            if (rc == ZK_OK) {
                never = 0;
                diag("byte %zu flipped: accepted", i);
            }
            buf[i] ^= 0x10;
        }
        ok(never, "a flipped bit anywhere in the encoding: never accepted");
        ok(zk_agg_proof_size(10) == 22542, "the encoding at n = 1024 is 22,542 bytes");
        free(buf);
    }

    /* ------------------------------------------------ sizes */
    ok(zk_agg_padded(1) == 2 && zk_agg_padded(2) == 2 && zk_agg_padded(3) == 4 &&
           zk_agg_padded(1024) == 1024 && zk_agg_padded(1025) == 2048,
       "padded sizes");
    ok(zk_agg_prove(ap, srs, &g_vk, pr, pub, 0, CTX, sizeof CTX, NULL) == ZK_EINVAL,
       "n = 0 is refused");

    free(ap);
    zk_agg_srs_free(srs);
    zk_agg_srs_free(srs2);
    zk_groth16_vk_free(&g_vk);
    zk_groth16_vk_free(&g_vk2);
    zk_zkey_free(g_key);
    zk_zkey_free(g_key2);
    zk_pool_free(g_pool);
    return done_testing();
}
