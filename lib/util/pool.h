/*
 * pool.h -- the thread pool that every parallel routine of libzkpar runs on.
 *
 * A pool is a fixed set of worker threads (pthreads) created once and kept
 * until zk_pool_free; idle workers sleep on a condition variable (no busy
 * waiting).  zk_pool_run(p, n, fn, arg) calls fn(arg, i) once for every i
 * in [0, n): the indices are handed out in chunks from an atomic counter to
 * the workers and to the calling thread, which works too, and the call
 * returns when all n calls have returned.
 *
 * Determinism: which thread runs which index is unspecified and changes
 * from run to run.  Callers make every fn(arg, i) write only results that
 * depend on i and on data no other index writes; that is how the parallel
 * routines of zkpar give bit-identical results for any thread count.
 *
 * Thread safety: zk_pool_run may be called from several threads at once on
 * one pool; the runs are serialised.  A call made from inside fn (nested
 * parallelism) runs serially in the calling thread instead of deadlocking.
 * fn must not call zk_pool_free on its own pool.
 *
 * Every function here that takes a pool accepts NULL, meaning "no threads":
 * work runs serially in the caller.
 */
#ifndef ZK_POOL_H
#define ZK_POOL_H

#include <stddef.h>

#include "util/err.h"
#include "util/meter.h"

typedef struct zk_pool zk_pool;

/* The largest thread count a pool accepts. */
#define ZK_POOL_MAX_THREADS 4096u

/* The default thread count: the ZKPAR_THREADS environment variable when it
 * is a positive decimal integer (values above ZK_POOL_MAX_THREADS are
 * clamped to it), else the number of online CPUs (at least 1). */
unsigned zk_threads_default(void);

/* *out = a pool of nthreads threads in all, counting the thread that calls
 * zk_pool_run (so nthreads - 1 workers are started; 1 starts none).
 * nthreads == 0 means zk_threads_default().
 * Errors (*out set to NULL): ZK_EINVAL if nthreads > ZK_POOL_MAX_THREADS,
 * ZK_ENOMEM, ZK_ETHREAD if a thread could not be started. */
ZK_WUR int zk_pool_new(zk_pool **out, unsigned nthreads);

/* Stop and join the workers and free the pool.  Accepts NULL.  Must not be
 * called while a zk_pool_run on p is in progress. */
void zk_pool_free(zk_pool *p);

/* The number of threads that run work, caller included; 1 for NULL. */
unsigned zk_pool_size(const zk_pool *p);

/* Call fn(arg, i) for every i in [0, n), spread over the pool's threads
 * (the calling thread works too), and return when all have returned.
 * p == NULL runs them serially, in order, in the caller.  n == 0 calls
 * nothing.  Returns 0, or ZK_EINVAL when fn is NULL or n > SIZE_MAX / 2
 * (nothing is called). */
int zk_pool_run(zk_pool *p, size_t n, void (*fn)(void *arg, size_t i), void *arg);

/*
 * Progress: a pool may carry a meter (meter.h), which the long routines
 * that run on it (MSMs, the Groth16 and SnarkPack provers, setup) advance.
 * zk_pool_set_meter(p, m) attaches m (NULL detaches; m must outlive the
 * attachment); not while a zk_pool_run on p is in progress.
 * zk_pool_meter(p) is the meter to advance: NULL for a NULL pool, for one
 * without a meter, and when called from inside a task of p -- work nested
 * in a task belongs to the phase of the routine that started the task,
 * which does the counting.
 */
void zk_pool_set_meter(zk_pool *p, zk_meter *m);
zk_meter *zk_pool_meter(const zk_pool *p);

#endif
