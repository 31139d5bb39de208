/*
 * bench_aggregate -- SnarkPack aggregation (lib/aggregate), one JSON object
 * per line:
 *   {"bench":"snarkpack","n":N,"threads":T,"aggregate_s":S,
 *    "aggregate_ms_per_proof":X,"verify_ms":V,"bytes":B}
 * for N = 8, 16, ... up to MAX (argument; default 256): N Groth16 proofs
 * of a small circuit (2 public inputs, development key) aggregated with
 * a development SRS on all threads (best of 2), verified on one thread
 * (best of 3); bytes is the binary encoding's size.  The proofs' own cost
 * is not counted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aggregate/aggregate.h"
#include "aggregate/srs.h"
#include "groth16/groth16.h"
#include "groth16/setup.h"
#include "io/r1cs.h"
#include "io/zkey.h"
#include "r1cs/cs.h"
#include "util/pool.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* public x = y^3 + y + 5, x2 = 2 y; private y */
static int build(zk_cs *cs, void *ctx)
{
    const zk_fr *in = ctx;
    zk_fr x, x2, y, t, five, two;
    zk_fr_set_u64(&five, 5);
    zk_fr_set_u64(&two, 2);
    zk_fr_zero(&x);
    zk_fr_zero(&x2);
    zk_fr_zero(&y);
    if (in) {
        y = in[0];
        zk_fr_sqr(&t, &y);
        zk_fr_mul(&t, &t, &y);
        zk_fr_add(&t, &t, &y);
        zk_fr_add(&x, &t, &five);
        zk_fr_mul(&x2, &y, &two);
    }
    zk_var vx = zk_cs_alloc_pub_in(cs, &x);
    zk_var vx2 = zk_cs_alloc_pub_in(cs, &x2);
    zk_lc ly = zk_lc_var(cs, zk_cs_alloc_prv_in(cs, &y));
    zk_var y2 = zk_cs_mul(cs, ly, ly);
    zk_var y3 = zk_cs_mul(cs, zk_lc_var(cs, y2), ly);
    zk_cs_enforce_equal(cs, zk_lc_add_const(cs, zk_lc_add(cs, zk_lc_var(cs, y3), ly), &five),
                        zk_lc_var(cs, vx));
    zk_cs_enforce_equal(cs, zk_lc_scale(cs, ly, &two), zk_lc_var(cs, vx2));
    return zk_cs_err(cs);
}

int main(int argc, char **argv)
{
    size_t max = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 256;
    if (max < 8)
        max = 8;
    zk_pool *pool;
    zk_cs *cs;
    zk_r1cs *r;
    zk_zkey *z;
    zk_groth16_vk vk;
    zk_agg_srs *srs;
    if (zk_pool_new(&pool, 0) != ZK_OK || zk_cs_new(&cs, ZK_CS_SHAPE) != ZK_OK ||
        build(cs, NULL) != ZK_OK || zk_cs_to_r1cs(&r, cs) != ZK_OK ||
        zk_groth16_setup_dev(&z, r, pool) != ZK_OK || zk_groth16_vk_from_zkey(&vk, z) != ZK_OK ||
        zk_agg_srs_dev(&srs, zk_agg_padded(max), pool) != ZK_OK) {
        fprintf(stderr, "bench_aggregate: setup failed\n");
        return 1;
    }
    zk_cs_free(cs);
    zk_agg_vk svk;
    zk_agg_srs_vk(&svk, srs);

    zk_groth16_proof *pr = malloc(max * sizeof *pr);
    zk_fr *pub = malloc(2 * max * sizeof *pub);
    zk_agg_proof *ap = malloc(sizeof *ap);
    uint8_t *buf = malloc(zk_agg_proof_size(ZK_AGG_MAX_ROUNDS));
    if (!pr || !pub || !ap || !buf)
        return 1;
    for (size_t i = 0; i < max; i++) {
        zk_fr y, *w;
        size_t nw;
        zk_fr_random(&y);
        if (zk_cs_new(&cs, ZK_CS_WITNESS_ONLY) != ZK_OK || build(cs, &y) != ZK_OK ||
            zk_cs_witness(&w, &nw, cs) != ZK_OK ||
            zk_groth16_prove(&pr[i], z, w, nw, pool, NULL, NULL) != ZK_OK)
            return 1;
        memcpy(&pub[2 * i], w + 1, 2 * sizeof *pub);
        free(w);
        zk_cs_free(cs);
    }
    static const uint8_t ctx[] = "bench";
    for (size_t n = 8; n <= max; n *= 2) {
        double best = 1e300, vbest = 1e300;
        for (int k = 0; k < 2; k++) {
            double t0 = now();
            if (zk_agg_prove(ap, srs, &vk, pr, pub, n, ctx, sizeof ctx, pool) != ZK_OK)
                return 1;
            double t = now() - t0;
            if (t < best)
                best = t;
        }
        for (int k = 0; k < 3; k++) {
            double t0 = now();
            if (zk_agg_verify(&svk, &vk, pub, n, ctx, sizeof ctx, ap) != ZK_OK) {
                fprintf(stderr, "bench_aggregate: n = %zu does not verify\n", n);
                return 1;
            }
            double t = now() - t0;
            if (t < vbest)
                vbest = t;
        }
        if (zk_agg_proof_encode(buf, ap) != ZK_OK)
            return 1;
        printf("{\"bench\":\"snarkpack\",\"n\":%zu,\"threads\":%u,\"aggregate_s\":%.3f,"
               "\"aggregate_ms_per_proof\":%.2f,\"verify_ms\":%.2f,\"bytes\":%zu}\n",
               n, zk_pool_size(pool), best, 1e3 * best / (double)n, 1e3 * vbest,
               zk_agg_proof_size(ap->rounds));
        fflush(stdout);
    }
    free(buf);
    free(ap);
    free(pr);
    free(pub);
    zk_agg_srs_free(srs);
    zk_groth16_vk_free(&vk);
    zk_zkey_free(z);
    zk_r1cs_free(r);
    zk_pool_free(pool);
    return 0;
}
