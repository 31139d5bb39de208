/*
 * bench_gt -- G_T operations (lib/curve/gt.h), one JSON object per line:
 *   {"bench":NAME,"threads":1,"ns_per_op":X}   gt_pow_var, gt_compress,
 *       gt_decompress, gt_from_bytes, gt_in_group_var, and the references
 *       fp12_pow_var_fr (square-and-multiply) and fp12_in_gt (a^r == 1)
 *   {"bench":"gt_multi_pow","n":N,"threads":1,"ms":X}   N = 10, 100
 * Each figure is the best of 7 timed batches.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "curve/g1.h"
#include "curve/g2.h"
#include "curve/gt.h"
#include "curve/pairing.h"

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

#define BEST_NS(iters, body)                                                  \
    ({                                                                        \
        double best_ = 1e300;                                                 \
        for (int b_ = 0; b_ < 7; b_++) {                                      \
            double t0_ = now_ns();                                            \
            for (long i_ = 0; i_ < (iters); i_++) {                           \
                body;                                                         \
            }                                                                 \
            double t_ = (now_ns() - t0_) / (double)(iters);                   \
            if (t_ < best_)                                                   \
                best_ = t_;                                                   \
        }                                                                     \
        best_;                                                                \
    })

static void op(const char *name, double ns)
{
    printf("{\"bench\":\"%s\",\"threads\":1,\"ns_per_op\":%.1f}\n", name, ns);
    fflush(stdout);
}

int main(void)
{
    if (sodium_init() < 0)
        return 2;
    zk_g1 g1;
    zk_g2 g2;
    zk_fp12 a, x;
    zk_fr k;
    zk_g1_generator(&g1);
    zk_g2_generator(&g2);
    zk_pairing(&a, &g1, &g2);
    zk_fr_random(&k);
    zk_gt_pow_var(&a, &a, &k);
    volatile int sink = 0;

    op("gt_pow_var", BEST_NS(200, zk_gt_pow_var(&x, &a, &k)));
    {
        uint64_t e[4];
        zk_fr_to_limbs(e, &k);
        op("fp12_pow_var_fr", BEST_NS(50, zk_fp12_pow_var(&x, &a, e, 4)));
    }

    uint8_t c[ZK_GT_COMPRESSED_BYTES], u[ZK_GT_BYTES];
    zk_gt_compress(c, &a);
    zk_gt_to_bytes(u, &a);
    op("gt_compress", BEST_NS(2000, zk_gt_compress(c, &a)));
    op("gt_decompress", BEST_NS(200, sink += zk_gt_decompress(&x, c, sizeof c)));
    op("gt_from_bytes", BEST_NS(200, sink += zk_gt_from_bytes(&x, u, sizeof u)));
    op("gt_in_group_var", BEST_NS(200, sink += zk_gt_in_group_var(&a)));
    op("fp12_in_gt", BEST_NS(50, sink += zk_fp12_in_gt(&a)));

    static const size_t ns[] = {10, 100};
    for (size_t t = 0; t < 2; t++) {
        size_t n = ns[t];
        zk_fp12 *as = malloc(n * sizeof *as);
        zk_fr *ks = malloc(n * sizeof *ks);
        if (!as || !ks)
            return 2;
        for (size_t i = 0; i < n; i++) {
            zk_fr_random(&ks[i]);
            zk_gt_pow_var(&as[i], &a, &ks[i]);
            zk_fr_random(&ks[i]);
        }
        double ns_ = BEST_NS(n == 10 ? 20 : 3, sink += zk_gt_multi_pow_var(&x, as, ks, n));
        printf("{\"bench\":\"gt_multi_pow\",\"n\":%zu,\"threads\":1,\"ms\":%.3f}\n", n, ns_ / 1e6);
        fflush(stdout);
        free(as);
        free(ks);
    }
    return sink == 12345678 ? 1 : 0;
}
