/* pool.c -- a persistent pthread pool with dynamic chunking.
 *
 * One job at a time: zk_pool_run publishes (fn, arg, n, chunk) under the
 * mutex, bumps a generation number and wakes the workers; everyone (the
 * caller too) then takes chunks of indices from an atomic counter until it
 * passes n.  Each worker reports back by decrementing `active` under the
 * mutex; the caller returns once it reaches 0.  A new job cannot be
 * published before every worker has reported on the previous one, so no
 * worker can miss a generation or see a half-published job.  All data
 * written by fn is published to the caller through that mutex; the counter
 * itself only needs relaxed atomics. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "util/pool.h"

struct zk_pool {
    pthread_mutex_t run_mu; /* serialises zk_pool_run callers */
    pthread_mutex_t mu;     /* protects everything below except next */
    pthread_cond_t work_cv; /* workers: a new generation or shutdown */
    pthread_cond_t done_cv; /* caller: active reached 0 */
    pthread_t *threads;
    unsigned nworkers;
    unsigned long generation;
    int shutdown;
    unsigned active;
    void (*fn)(void *, size_t);
    void *arg;
    size_t n;
    size_t chunk;
    atomic_size_t next;
    zk_meter *meter;        /* zk_pool_set_meter; NULL: none */
};

/* The pool whose job the current thread is running, to turn nested calls
 * into serial loops instead of deadlocks. */
static _Thread_local const zk_pool *tl_running;

static void serial(size_t n, void (*fn)(void *, size_t), void *arg)
{
    for (size_t i = 0; i < n; i++)
        fn(arg, i);
}

static void take_chunks(zk_pool *p, void (*fn)(void *, size_t), void *arg,
                        size_t n, size_t chunk)
{
    const zk_pool *saved = tl_running;
    tl_running = p;
    for (;;) {
        size_t lo = atomic_fetch_add_explicit(&p->next, chunk, memory_order_relaxed);
        if (lo >= n)
            break;
        size_t hi = n - lo < chunk ? n : lo + chunk;
        for (size_t i = lo; i < hi; i++)
            fn(arg, i);
    }
    tl_running = saved;
}

static void *worker_main(void *vp)
{
    zk_pool *p = vp;
    unsigned long seen = 0;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->shutdown && p->generation == seen)
            pthread_cond_wait(&p->work_cv, &p->mu);
        if (p->shutdown)
            break;
        seen = p->generation;
        void (*fn)(void *, size_t) = p->fn;
        void *arg = p->arg;
        size_t n = p->n, chunk = p->chunk;
        pthread_mutex_unlock(&p->mu);

        take_chunks(p, fn, arg, n, chunk);

        pthread_mutex_lock(&p->mu);
        if (--p->active == 0)
            pthread_cond_signal(&p->done_cv);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

unsigned zk_threads_default(void)
{
    const char *env = getenv("ZKPAR_THREADS");
    if (env != NULL && *env >= '0' && *env <= '9') {
        char *end;
        errno = 0;
        unsigned long v = strtoul(env, &end, 10);
        if (*end == '\0' && v > 0) {
            if (errno == ERANGE || v > ZK_POOL_MAX_THREADS)
                return ZK_POOL_MAX_THREADS;
            return (unsigned)v;
        }
    }
    long c = sysconf(_SC_NPROCESSORS_ONLN);
    if (c < 1)
        return 1;
    return c > (long)ZK_POOL_MAX_THREADS ? ZK_POOL_MAX_THREADS : (unsigned)c;
}

/* Stop the first `started` workers and release everything. */
static void pool_destroy(zk_pool *p, unsigned started)
{
    pthread_mutex_lock(&p->mu);
    p->shutdown = 1;
    pthread_cond_broadcast(&p->work_cv);
    pthread_mutex_unlock(&p->mu);
    for (unsigned i = 0; i < started; i++)
        pthread_join(p->threads[i], NULL);
    pthread_cond_destroy(&p->done_cv);
    pthread_cond_destroy(&p->work_cv);
    pthread_mutex_destroy(&p->mu);
    pthread_mutex_destroy(&p->run_mu);
    free(p->threads);
    free(p);
}

int zk_pool_new(zk_pool **out, unsigned nthreads)
{
    *out = NULL;
    if (nthreads == 0)
        nthreads = zk_threads_default();
    if (nthreads > ZK_POOL_MAX_THREADS)
        return ZK_EINVAL;

    zk_pool *p = calloc(1, sizeof *p);
    if (p == NULL)
        return ZK_ENOMEM;
    p->nworkers = nthreads - 1;
    if (p->nworkers > 0) {
        p->threads = calloc(p->nworkers, sizeof *p->threads);
        if (p->threads == NULL) {
            free(p);
            return ZK_ENOMEM;
        }
    }
    atomic_init(&p->next, 0);
    if (pthread_mutex_init(&p->run_mu, NULL) != 0) {
        free(p->threads);
        free(p);
        return ZK_ENOMEM;
    }
    if (pthread_mutex_init(&p->mu, NULL) != 0) {
        pthread_mutex_destroy(&p->run_mu);
        free(p->threads);
        free(p);
        return ZK_ENOMEM;
    }
    if (pthread_cond_init(&p->work_cv, NULL) != 0) {
        pthread_mutex_destroy(&p->mu);
        pthread_mutex_destroy(&p->run_mu);
        free(p->threads);
        free(p);
        return ZK_ENOMEM;
    }
    if (pthread_cond_init(&p->done_cv, NULL) != 0) {
        pthread_cond_destroy(&p->work_cv);
        pthread_mutex_destroy(&p->mu);
        pthread_mutex_destroy(&p->run_mu);
        free(p->threads);
        free(p);
        return ZK_ENOMEM;
    }

    /* Workers block every signal, so asynchronous signals keep going to
     * the application's own threads. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    unsigned started = 0;
    while (started < p->nworkers &&
           pthread_create(&p->threads[started], NULL, worker_main, p) == 0)
        started++;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (started < p->nworkers) {
        pool_destroy(p, started);
        return ZK_ETHREAD;
    }
    *out = p;
    return ZK_OK;
}

void zk_pool_free(zk_pool *p)
{
    if (p != NULL)
        pool_destroy(p, p->nworkers);
}

void zk_pool_set_meter(zk_pool *p, zk_meter *m)
{
    if (p != NULL)
        p->meter = m;
}

zk_meter *zk_pool_meter(const zk_pool *p)
{
    return p == NULL || tl_running == p ? NULL : p->meter;
}

unsigned zk_pool_size(const zk_pool *p)
{
    return p == NULL ? 1 : p->nworkers + 1;
}

int zk_pool_run(zk_pool *p, size_t n, void (*fn)(void *arg, size_t i), void *arg)
{
    if (fn == NULL || n > SIZE_MAX / 2)
        return ZK_EINVAL;
    if (p == NULL || p->nworkers == 0 || n <= 1 || tl_running == p) {
        /* the tasks run in this thread, but still as tasks of p */
        const zk_pool *saved = tl_running;
        if (p != NULL)
            tl_running = p;
        serial(n, fn, arg);
        tl_running = saved;
        return ZK_OK;
    }

    /* About 8 chunks per thread: small enough to balance uneven work,
     * large enough that the counter is not contended.  Every thread stops
     * after its first fetch at or past n, so the counter ends below
     * n + (nthreads + 1) * chunk <= 2n + ZK_POOL_MAX_THREADS + 1: with
     * n <= SIZE_MAX / 2 it cannot wrap. */
    size_t nthreads = (size_t)p->nworkers + 1;
    size_t chunk = n / (8 * nthreads);
    if (chunk == 0)
        chunk = 1;

    pthread_mutex_lock(&p->run_mu);
    pthread_mutex_lock(&p->mu);
    p->fn = fn;
    p->arg = arg;
    p->n = n;
    p->chunk = chunk;
    atomic_store_explicit(&p->next, 0, memory_order_relaxed);
    p->active = p->nworkers;
    p->generation++;
    pthread_cond_broadcast(&p->work_cv);
    pthread_mutex_unlock(&p->mu);

    take_chunks(p, fn, arg, n, chunk);

    pthread_mutex_lock(&p->mu);
    while (p->active > 0)
        pthread_cond_wait(&p->done_cv, &p->mu);
    pthread_mutex_unlock(&p->mu);
    pthread_mutex_unlock(&p->run_mu);
    return ZK_OK;
}
