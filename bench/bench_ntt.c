/*
 * bench_ntt -- forward NTT over Fr: one JSON object per line,
 *   {"bench":"ntt","n":N,"threads":T,"ms":X}
 * for n = 2^16 and 2^20 on 1 and 2 threads, X the best of several runs.
 * Optional arguments: log2 sizes to run instead of 16 and 20.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "field/fr.h"
#include "poly/ntt.h"
#include "util/pool.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static int bench_one(unsigned log_n, unsigned threads)
{
    zk_ntt_domain *d = NULL;
    zk_pool *pool = NULL;
    zk_fr *a = NULL;
    int rc = zk_ntt_domain_new(&d, log_n);
    if (rc == ZK_OK)
        rc = zk_pool_new(&pool, threads);
    size_t n = (size_t)1 << log_n;
    if (rc == ZK_OK && (a = malloc(n * sizeof *a)) == NULL)
        rc = ZK_ENOMEM;
    if (rc != ZK_OK) {
        fprintf(stderr, "bench_ntt: n=2^%u: %s\n", log_n, zk_strerror(rc));
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        zk_fr_random(&a[i]);
    /* Repeat for at least 5 runs and about a second; report the best. */
    double best = 1e300, start = now_ms();
    for (int run = 0; run < 5 || (now_ms() - start < 1000.0 && run < 100); run++) {
        double t0 = now_ms();
        rc = zk_ntt_forward(d, a, pool);
        double t = now_ms() - t0;
        if (rc != ZK_OK) {
            fprintf(stderr, "bench_ntt: forward: %s\n", zk_strerror(rc));
            goto out;
        }
        if (t < best)
            best = t;
    }
    printf("{\"bench\":\"ntt\",\"n\":%zu,\"threads\":%u,\"ms\":%.2f}\n", n, threads, best);
    fflush(stdout);
out:
    free(a);
    zk_pool_free(pool);
    zk_ntt_domain_free(d);
    return rc == ZK_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
    static const unsigned defaults[] = {16, 20};
    static const unsigned threads[] = {1, 2};
    int status = 0;
    size_t nsizes = argc > 1 ? (size_t)(argc - 1) : 2;
    for (size_t s = 0; s < nsizes; s++) {
        unsigned log_n = defaults[s < 2 ? s : 0];
        if (argc > 1) {
            char *end;
            unsigned long v = strtoul(argv[s + 1], &end, 10);
            if (*end != '\0' || v > ZK_NTT_MAX_LOG) {
                fprintf(stderr, "usage: bench_ntt [log2(n) ...], each 0..%u\n", ZK_NTT_MAX_LOG);
                return 2;
            }
            log_n = (unsigned)v;
        }
        for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++)
            status |= bench_one(log_n, threads[t]);
    }
    return status;
}
