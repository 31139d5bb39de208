/*
 * bench_msm -- multi-scalar multiplication on G1 and G2: one JSON object
 * per line,
 *   {"bench":"msm_g1","n":N,"threads":T,"ms":X}
 *   {"bench":"msm_g2","n":N,"threads":T,"ms":X}
 * for G1 at n = 2^16 and 2^20 and G2 at n = 2^16, each on 1 and 2
 * threads; X is the best of several runs (at least 2, more while the total
 * stays under about a second).  Random inputs: uniform scalars, points that
 * are sums of a few random multiples of the generator (cheap to make).
 *
 * Optional arguments replace the default list: g1:LOG or g2:LOG (e.g.
 * "g1:18 g2:14"), and -t T1,T2,... for the thread counts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "curve/g1.h"
#include "curve/g2.h"
#include "curve/msm.h"
#include "field/fr.h"
#include "util/pool.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

/* points[i] = seed[a] + points[i - 1 - b] for random a, b: one addition
 * per point, then one batch normalization. */
static int make_g1(zk_g1 *out, size_t n)
{
    zk_g1 g;
    zk_g1j seed[16], *j = malloc(n * sizeof *j);
    zk_fr k;
    if (j == NULL)
        return ZK_ENOMEM;
    zk_g1_generator(&g);
    for (int s = 0; s < 16; s++) {
        zk_fr_random(&k);
        zk_g1j_from_affine(&seed[s], &g);
        zk_g1j_mul_var(&seed[s], &seed[s], &k);
    }
    for (size_t i = 0; i < n; i++) {
        if (i < 16)
            j[i] = seed[i];
        else
            zk_g1j_add(&j[i], &j[i - 1 - randombytes_uniform(16)], &seed[randombytes_uniform(16)]);
    }
    int rc = zk_g1j_batch_to_affine(out, j, n);
    free(j);
    return rc;
}

static int make_g2(zk_g2 *out, size_t n)
{
    zk_g2 g;
    zk_g2j seed[16], *j = malloc(n * sizeof *j);
    zk_fr k;
    if (j == NULL)
        return ZK_ENOMEM;
    zk_g2_generator(&g);
    for (int s = 0; s < 16; s++) {
        zk_fr_random(&k);
        zk_g2j_from_affine(&seed[s], &g);
        zk_g2j_mul_var(&seed[s], &seed[s], &k);
    }
    for (size_t i = 0; i < n; i++) {
        if (i < 16)
            j[i] = seed[i];
        else
            zk_g2j_add(&j[i], &j[i - 1 - randombytes_uniform(16)], &seed[randombytes_uniform(16)]);
    }
    int rc = zk_g2j_batch_to_affine(out, j, n);
    free(j);
    return rc;
}

static int bench_one(int g2, unsigned log_n, const unsigned *threads, size_t nthreads)
{
    size_t n = (size_t)1 << log_n;
    void *pts = malloc(n * (g2 ? sizeof(zk_g2) : sizeof(zk_g1)));
    zk_fr *k = malloc(n * sizeof *k);
    int rc = ZK_OK;
    if (pts == NULL || k == NULL) {
        rc = ZK_ENOMEM;
        goto out;
    }
    rc = g2 ? make_g2(pts, n) : make_g1(pts, n);
    if (rc != ZK_OK)
        goto out;
    for (size_t i = 0; i < n; i++)
        zk_fr_random(&k[i]);
    for (size_t t = 0; t < nthreads; t++) {
        zk_pool *pool = NULL;
        if ((rc = zk_pool_new(&pool, threads[t])) != ZK_OK)
            goto out;
        double best = 1e300, start = now_ms();
        for (int run = 0; run < 2 || (now_ms() - start < 1000.0 && run < 20); run++) {
            zk_g1j r1;
            zk_g2j r2;
            double t0 = now_ms();
            rc = g2 ? zk_msm_g2(&r2, pts, k, n, pool) : zk_msm_g1(&r1, pts, k, n, pool);
            double ms = now_ms() - t0;
            if (rc != ZK_OK)
                break;
            if (ms < best)
                best = ms;
        }
        zk_pool_free(pool);
        if (rc != ZK_OK)
            goto out;
        printf("{\"bench\":\"%s\",\"n\":%zu,\"threads\":%u,\"ms\":%.1f}\n", g2 ? "msm_g2" : "msm_g1",
               n, threads[t], best);
        fflush(stdout);
    }
out:
    if (rc != ZK_OK)
        fprintf(stderr, "bench_msm: %s n=2^%u: %s\n", g2 ? "g2" : "g1", log_n, zk_strerror(rc));
    free(pts);
    free(k);
    return rc == ZK_OK ? 0 : 1;
}

static int usage(void)
{
    fprintf(stderr, "usage: bench_msm [-t T1,T2,...] [g1:LOG | g2:LOG ...], LOG in 0..26\n");
    return 2;
}

int main(int argc, char **argv)
{
    static const char *defaults[] = {"g1:16", "g1:20", "g2:16"};
    unsigned threads[16] = {1, 2};
    size_t nthreads = 2;
    const char **jobs = defaults;
    size_t njobs = 3;
    int status = 0, a = 1;

    if (sodium_init() < 0)
        return 1;
    if (a + 1 < argc && strcmp(argv[a], "-t") == 0) {
        char *s = argv[a + 1], *end;
        nthreads = 0;
        for (;;) {
            unsigned long v = strtoul(s, &end, 10);
            if (end == s || v == 0 || v > ZK_POOL_MAX_THREADS || nthreads == 16)
                return usage();
            threads[nthreads++] = (unsigned)v;
            if (*end == '\0')
                break;
            if (*end != ',')
                return usage();
            s = end + 1;
        }
        a += 2;
    }
    if (a < argc) {
        jobs = (const char **)(argv + a);
        njobs = (size_t)(argc - a);
    }
    for (size_t j = 0; j < njobs; j++) {
        char *end;
        int g2;
        if (strncmp(jobs[j], "g1:", 3) == 0)
            g2 = 0;
        else if (strncmp(jobs[j], "g2:", 3) == 0)
            g2 = 1;
        else
            return usage();
        unsigned long v = strtoul(jobs[j] + 3, &end, 10);
        if (*end != '\0' || end == jobs[j] + 3 || v > 26)
            return usage();
        status |= bench_one(g2, (unsigned)v, threads, nthreads);
    }
    return status;
}
