/*
 * ntt.h -- number-theoretic transforms over Fr (the BN254 scalar field) on
 * power-of-two domains.
 *
 * A domain of size n = 2^log_n (0 <= log_n <= 28, the 2-adicity of r) is
 * the subgroup <omega> of Fr*, omega = zk_fr_root_of_unity(log_n), the
 * same generator as ffjavascript/snarkjs.  The domain object holds
 * precomputed twiddle factors: n/2 + min(n, 2^14) elements of 32 bytes
 * (16.5 MiB for n = 2^20, 4 GiB for n = 2^28).  It is read-only after
 * zk_ntt_domain_new, so any number of threads may use one domain at once.
 *
 * Every transform works in place on a[0..n) (a holds n elements), natural
 * order in and out, and runs on `pool` (NULL: the calling thread only).
 * Each output is an exact field value, so the result is bit-identical for
 * any pool size.  Transforms allocate nothing; n = 2^20 takes about
 * 10^7 field multiplications (timings: docs/BENCHMARKS.md, bench/bench_ntt).
 * The sequence of operations depends only on n, but these functions are
 * meant for public data (_var in spirit: no secret should reach them).
 * Functions that take d require d != NULL except where stated.
 */
#ifndef ZK_NTT_H
#define ZK_NTT_H

#include <stddef.h>

#include "field/fr.h"
#include "util/err.h"
#include "util/pool.h"

/* The largest supported log_n: the 2-adicity of r. */
#define ZK_NTT_MAX_LOG 28u

typedef struct zk_ntt_domain zk_ntt_domain;

/* *out = the domain of size 2^log_n.  Time: about n/2 field
 * multiplications, single-threaded.
 * Errors (*out set to NULL): ZK_EINVAL if log_n > 28, ZK_ENOMEM. */
ZK_WUR int zk_ntt_domain_new(zk_ntt_domain **out, unsigned log_n);
/* Accepts NULL. */
void zk_ntt_domain_free(zk_ntt_domain *d);

/* n = 2^log_n. */
size_t zk_ntt_domain_size(const zk_ntt_domain *d);
/* *out = the generator used: zk_fr_root_of_unity(log_n). */
void zk_ntt_domain_omega(zk_fr *out, const zk_ntt_domain *d);

/* a[i] <- sum_j a[j] omega^(i j): evaluate the polynomial with
 * coefficients a at omega^0, ..., omega^(n-1).
 * Returns 0, or ZK_EINVAL when d or a is NULL. */
ZK_WUR int zk_ntt_forward(const zk_ntt_domain *d, zk_fr *a, zk_pool *pool);

/* The inverse of zk_ntt_forward, including the 1/n scaling:
 * a[j] <- (1/n) sum_i a[i] omega^(-i j) (interpolation).
 * Returns 0, or ZK_EINVAL when d or a is NULL. */
ZK_WUR int zk_ntt_inverse(const zk_ntt_domain *d, zk_fr *a, zk_pool *pool);

/* Evaluate on the coset g<omega>: a[i] <- sum_j a[j] (g omega^i)^j.
 * Costs about 2n multiplications more than zk_ntt_forward.
 * Returns 0, or ZK_EINVAL when d, a or g is NULL. */
ZK_WUR int zk_ntt_coset_forward(const zk_ntt_domain *d, zk_fr *a, const zk_fr *g,
                                zk_pool *pool);

/* The inverse of zk_ntt_coset_forward (interpolate from the values on
 * g<omega>): a[j] <- g^(-j) (1/n) sum_i a[i] omega^(-i j).
 * Returns 0, or ZK_EINVAL when d, a or g is NULL or g == 0 (a is then
 * untouched). */
ZK_WUR int zk_ntt_coset_inverse(const zk_ntt_domain *d, zk_fr *a, const zk_fr *g,
                                zk_pool *pool);

#endif
