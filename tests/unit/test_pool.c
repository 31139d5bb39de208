/*
 * test_pool -- zk_pool: every index runs exactly once, results match the
 * serial answer for any thread count, many runs on one pool, NULL pools.
 */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "util/pool.h"

/* out[i] = f(i), so the sum is independent of which thread ran i. */
typedef struct {
    uint64_t *out;
} sum_job;

static uint64_t f(size_t i)
{
    uint64_t x = (uint64_t)i * UINT64_C(0x9e3779b97f4a7c15) + 1;
    x ^= x >> 29;
    return x * UINT64_C(0xbf58476d1ce4e5b9);
}

static void sum_fn(void *arg, size_t i)
{
    sum_job *j = arg;
    j->out[i] = f(i);
}

/* Count how many times each index runs. */
typedef struct {
    atomic_uint *count;
} count_job;

static void count_fn(void *arg, size_t i)
{
    count_job *j = arg;
    atomic_fetch_add_explicit(&j->count[i], 1, memory_order_relaxed);
}

/* Nested run from inside fn: must complete (serially) instead of hanging. */
typedef struct {
    zk_pool *pool;
    atomic_uint *count;
    size_t inner;
    int rc_bad;
} nest_job;

static void nest_fn(void *arg, size_t i)
{
    nest_job *j = arg;
    count_job c = {j->count + i * j->inner};
    if (zk_pool_run(j->pool, j->inner, count_fn, &c) != ZK_OK)
        j->rc_bad = 1;
}

static int check_once(atomic_uint *count, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (atomic_load(&count[i]) != 1)
            return 0;
    return 1;
}

int main(void)
{
    static const size_t sizes[] = {0, 1, 7, 1000000};
    static const unsigned threads[] = {0 /* NULL pool */, 1, 2, 3, 8};
    const size_t nsizes = sizeof sizes / sizeof sizes[0];
    const size_t nthr = sizeof threads / sizeof threads[0];
    uint64_t *out = malloc(1000000 * sizeof *out);
    atomic_uint *count = malloc(1000000 * sizeof *count);
    if (out == NULL || count == NULL)
        bail_out("out of memory");

    /* zk_pool_size and the NULL pool */
    ok(zk_pool_size(NULL) == 1, "zk_pool_size(NULL) == 1");
    zk_pool_free(NULL);
    ok(1, "zk_pool_free(NULL) returns");
    ok(zk_threads_default() >= 1, "zk_threads_default() = %u >= 1", zk_threads_default());

    for (size_t t = 0; t < nthr; t++) {
        zk_pool *pool = NULL;
        if (threads[t] > 0) {
            int rc = zk_pool_new(&pool, threads[t]);
            if (rc != ZK_OK)
                bail_out("zk_pool_new(%u): %s", threads[t], zk_strerror(rc));
            ok(zk_pool_size(pool) == threads[t], "pool of %u has size %u", threads[t],
               zk_pool_size(pool));
        }
        for (size_t s = 0; s < nsizes; s++) {
            size_t n = sizes[s];
            uint64_t want = 0, got = 0;
            for (size_t i = 0; i < n; i++) {
                want += f(i);
                out[i] = 0;
            }
            sum_job sj = {out};
            int rc = zk_pool_run(pool, n, sum_fn, &sj);
            for (size_t i = 0; i < n; i++)
                got += out[i];
            ok(rc == ZK_OK && got == want, "sum over n=%zu, %u threads%s", n,
               zk_pool_size(pool), pool ? "" : " (NULL pool)");

            for (size_t i = 0; i < n; i++)
                atomic_init(&count[i], 0);
            count_job cj = {count};
            rc = zk_pool_run(pool, n, count_fn, &cj);
            ok(rc == ZK_OK && check_once(count, n), "each index once, n=%zu, %u threads%s",
               n, zk_pool_size(pool), pool ? "" : " (NULL pool)");
        }
        zk_pool_free(pool);
    }

    /* Many consecutive runs on one pool, of varying sizes. */
    {
        zk_pool *pool = NULL;
        if (zk_pool_new(&pool, 3) != ZK_OK)
            bail_out("zk_pool_new(3) failed");
        int good = 1;
        for (unsigned r = 0; r < 3000 && good; r++) {
            size_t n = (r * 37u) % 500;
            for (size_t i = 0; i < n; i++)
                atomic_init(&count[i], 0);
            count_job cj = {count};
            good = zk_pool_run(pool, n, count_fn, &cj) == ZK_OK && check_once(count, n);
        }
        ok(good, "3000 consecutive runs on one 3-thread pool, each index once");

        /* nested run from inside fn (runs serially, must not deadlock) */
        for (size_t i = 0; i < 64 * 50; i++)
            atomic_init(&count[i], 0);
        nest_job nj = {pool, count, 50, 0};
        int rc = zk_pool_run(pool, 64, nest_fn, &nj);
        ok(rc == ZK_OK && !nj.rc_bad && check_once(count, 64 * 50),
           "nested zk_pool_run from inside fn completes, each index once");
        zk_pool_free(pool);
    }

    /* Bad arguments. */
    {
        zk_pool *pool = (zk_pool *)&out; /* must be overwritten */
        ok(zk_pool_new(&pool, ZK_POOL_MAX_THREADS + 1) == ZK_EINVAL && pool == NULL,
           "zk_pool_new above ZK_POOL_MAX_THREADS: ZK_EINVAL, *out = NULL");
        ok(zk_pool_run(NULL, 5, NULL, NULL) == ZK_EINVAL, "zk_pool_run(fn = NULL): ZK_EINVAL");
        count_job cj = {count};
        ok(zk_pool_run(NULL, SIZE_MAX, count_fn, &cj) == ZK_EINVAL,
           "zk_pool_run(n = SIZE_MAX): ZK_EINVAL, nothing run");
    }

    /* Default size: ZKPAR_THREADS is honoured when a positive integer. */
    {
        char *saved = getenv("ZKPAR_THREADS");
        char *copy = saved ? strdup(saved) : NULL;
        setenv("ZKPAR_THREADS", "5", 1);
        ok(zk_threads_default() == 5, "ZKPAR_THREADS=5 gives 5");
        zk_pool *pool = NULL;
        int rc = zk_pool_new(&pool, 0);
        ok(rc == ZK_OK && zk_pool_size(pool) == 5, "zk_pool_new(0) with ZKPAR_THREADS=5 has 5 threads");
        zk_pool_free(pool);
        setenv("ZKPAR_THREADS", "0", 1);
        unsigned d0 = zk_threads_default();
        setenv("ZKPAR_THREADS", "-3", 1);
        unsigned d1 = zk_threads_default();
        setenv("ZKPAR_THREADS", "4x", 1);
        unsigned d2 = zk_threads_default();
        unsetenv("ZKPAR_THREADS");
        unsigned d3 = zk_threads_default();
        ok(d3 >= 1 && d0 == d3 && d1 == d3 && d2 == d3,
           "ZKPAR_THREADS of 0, -3, 4x is ignored (CPU count %u)", d3);
        setenv("ZKPAR_THREADS", "999999999999999999999", 1);
        ok(zk_threads_default() == ZK_POOL_MAX_THREADS, "huge ZKPAR_THREADS is clamped");
        if (copy) {
            setenv("ZKPAR_THREADS", copy, 1);
            free(copy);
        } else {
            unsetenv("ZKPAR_THREADS");
        }
    }

    free(out);
    free(count);
    return done_testing();
}
