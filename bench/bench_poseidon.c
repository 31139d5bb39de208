/*
 * bench_poseidon -- native Poseidon (circomlib's parameters), one JSON
 * object per line:
 *   {"bench":"poseidon","inputs":N,"t":T,"threads":1,"ns_per_hash":X,"kernel":K}
 * for N = 1 .. ZK_POSEIDON_MAX_INPUTS, and the same for the bare
 * permutation ("poseidon_permute").  Each figure is the best of 7 timed
 * batches; hashes are chained (the output feeds the next input), so the
 * figure is latency, as a Merkle path sees it.
 */
#include <stdio.h>
#include <time.h>

#include "field/fr.h"
#include "field/kernel.h"
#include "hash/poseidon.h"

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

#define BATCHES 7

int main(void)
{
    const char *kernel = zk_field_kernel_name(zk_field_get_kernel());
    zk_fr in[ZK_POSEIDON_MAX_INPUTS], st[ZK_POSEIDON_WIDTH_MAX];
    for (size_t i = 0; i < ZK_POSEIDON_MAX_INPUTS; i++)
        zk_fr_random(&in[i]);
    for (size_t i = 0; i < ZK_POSEIDON_WIDTH_MAX; i++)
        zk_fr_random(&st[i]);
    for (size_t n = 1; n <= ZK_POSEIDON_MAX_INPUTS; n++) {
        const long iters = 20000;
        double best = 1e300;
        for (int b = 0; b < BATCHES; b++) {
            double t0 = now_ns();
            for (long i = 0; i < iters; i++)
                if (zk_poseidon(&in[0], in, n) != 0)
                    return 1;
            double t = (now_ns() - t0) / (double)iters;
            if (t < best)
                best = t;
        }
        printf("{\"bench\":\"poseidon\",\"inputs\":%zu,\"t\":%zu,\"threads\":1,"
               "\"ns_per_hash\":%.0f,\"kernel\":\"%s\"}\n",
               n, n + 1, best, kernel);
    }
    for (size_t t = 2; t <= ZK_POSEIDON_WIDTH_MAX; t++) {
        const long iters = 20000;
        double best = 1e300;
        for (int b = 0; b < BATCHES; b++) {
            double t0 = now_ns();
            for (long i = 0; i < iters; i++)
                if (zk_poseidon_permute(st, t) != 0)
                    return 1;
            double tt = (now_ns() - t0) / (double)iters;
            if (tt < best)
                best = tt;
        }
        printf("{\"bench\":\"poseidon_permute\",\"t\":%zu,\"threads\":1,"
               "\"ns_per_op\":%.0f,\"kernel\":\"%s\"}\n", t, best, kernel);
    }
    return 0;
}
