/*
 * test_ntt -- NTTs over Fr against naive references: the O(n^2) DFT,
 * Horner evaluation on the coset, round trips, known answers, and
 * bit-identical output for 1, 2 and 3 threads.
 *
 * The references use only the exported zk_fr_* functions and
 * zk_fr_root_of_unity, never the NTT's own tables.
 */
#include <stdlib.h>
#include <string.h>

#include "field/fr.h"
#include "poly/ntt.h"
#include "tap.h"
#include "util/pool.h"

static zk_fr *alloc_fr(size_t n)
{
    zk_fr *p = malloc((n ? n : 1) * sizeof *p);
    if (p == NULL)
        bail_out("out of memory");
    return p;
}

static void random_vec(zk_fr *a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        zk_fr_random(&a[i]);
}

static int vec_eq(const zk_fr *a, const zk_fr *b, size_t n)
{
    return memcmp(a, b, n * sizeof *a) == 0;
}

static zk_ntt_domain *domain(unsigned log_n)
{
    zk_ntt_domain *d = NULL;
    int rc = zk_ntt_domain_new(&d, log_n);
    if (rc != ZK_OK)
        bail_out("zk_ntt_domain_new(%u): %s", log_n, zk_strerror(rc));
    return d;
}

static zk_fr root(unsigned log_n)
{
    zk_fr w;
    if (zk_fr_root_of_unity(&w, log_n) != ZK_OK)
        bail_out("zk_fr_root_of_unity(%u) failed", log_n);
    return w;
}

/* p(x) = sum_j c[j] x^j by Horner's rule. */
static void horner(zk_fr *out, const zk_fr *c, size_t n, const zk_fr *x)
{
    zk_fr acc;
    zk_fr_zero(&acc);
    for (size_t j = n; j-- > 0;) {
        zk_fr_mul(&acc, &acc, x);
        zk_fr_add(&acc, &acc, &c[j]);
    }
    *out = acc;
}

/* out[i] = sum_j a[j] w^(i j), O(n^2). */
static void naive_dft(zk_fr *out, const zk_fr *a, size_t n, const zk_fr *w)
{
    zk_fr wi;
    zk_fr_one(&wi);
    for (size_t i = 0; i < n; i++) {
        horner(&out[i], a, n, &wi);
        zk_fr_mul(&wi, &wi, w);
    }
}

/* One transform by kind, for the loops below. */
enum { FWD, INV, CFWD, CINV };
static const char *const kind_name[] = {"forward", "inverse", "coset forward", "coset inverse"};

static int run(int kind, const zk_ntt_domain *d, zk_fr *a, const zk_fr *g, zk_pool *pool)
{
    switch (kind) {
    case FWD: return zk_ntt_forward(d, a, pool);
    case INV: return zk_ntt_inverse(d, a, pool);
    case CFWD: return zk_ntt_coset_forward(d, a, g, pool);
    default: return zk_ntt_coset_inverse(d, a, g, pool);
    }
}

int main(void)
{
    zk_pool *pool2 = NULL, *pool3 = NULL;
    if (zk_pool_new(&pool2, 2) != ZK_OK || zk_pool_new(&pool3, 3) != ZK_OK)
        bail_out("cannot start thread pools");
    zk_fr g;
    zk_fr_set_u64(&g, 7); /* a fixed coset shift; a random one is used below too */

    /* Domain object basics. */
    {
        zk_ntt_domain *d = (zk_ntt_domain *)&g; /* must be overwritten */
        ok(zk_ntt_domain_new(&d, 29) == ZK_EINVAL && d == NULL,
           "domain_new(29): ZK_EINVAL, *out = NULL");
        zk_ntt_domain_free(NULL);
        ok(1, "domain_free(NULL) returns");
        int good = 1;
        for (unsigned k = 0; k <= 12; k++) {
            d = domain(k);
            zk_fr w, want = root(k);
            zk_ntt_domain_omega(&w, d);
            good &= zk_ntt_domain_size(d) == ((size_t)1 << k) && zk_fr_eq(&w, &want);
            zk_ntt_domain_free(d);
        }
        ok(good, "domain size is 2^k and omega is zk_fr_root_of_unity(k), k = 0..12");
    }

    /* Forward against the O(n^2) DFT; 2^11 and 2^12 on three threads, where
     * the sweeps over the whole array (one, then two layers) run too. */
    for (unsigned k = 0; k <= 12; k++) {
        size_t n = (size_t)1 << k;
        zk_ntt_domain *d = domain(k);
        zk_fr w = root(k), *a = alloc_fr(n), *want = alloc_fr(n);
        random_vec(a, n);
        naive_dft(want, a, n, &w);
        int rc = zk_ntt_forward(d, a, k > 10 ? pool3 : NULL);
        ok(rc == ZK_OK && vec_eq(a, want, n), "forward = naive DFT, n = 2^%u%s", k,
           k > 10 ? ", 3 threads" : "");
        free(a);
        free(want);
        zk_ntt_domain_free(d);
    }

    /* Inverse against the O(n^2) inverse DFT: (1/n) sum a[i] w^(-i j). */
    for (unsigned k = 0; k <= 8; k++) {
        size_t n = (size_t)1 << k;
        zk_ntt_domain *d = domain(k);
        zk_fr w = root(k), wi, ninv, nn, *a = alloc_fr(n), *want = alloc_fr(n);
        if (zk_fr_inv(&wi, &w) != ZK_OK)
            bail_out("inverse of omega");
        zk_fr_set_u64(&nn, n);
        if (zk_fr_inv(&ninv, &nn) != ZK_OK)
            bail_out("inverse of n");
        random_vec(a, n);
        naive_dft(want, a, n, &wi);
        for (size_t i = 0; i < n; i++)
            zk_fr_mul(&want[i], &want[i], &ninv);
        int rc = zk_ntt_inverse(d, a, pool2);
        ok(rc == ZK_OK && vec_eq(a, want, n), "inverse = naive inverse DFT, n = 2^%u", k);
        free(a);
        free(want);
        zk_ntt_domain_free(d);
    }

    /* Known answer: the polynomial x evaluates to the powers of omega. */
    {
        static const unsigned ks[] = {1, 4, 12, 16, 18};
        for (size_t t = 0; t < sizeof ks / sizeof ks[0]; t++) {
            unsigned k = ks[t];
            size_t n = (size_t)1 << k;
            zk_ntt_domain *d = domain(k);
            zk_fr w = root(k), p, *a = alloc_fr(n);
            memset(a, 0, n * sizeof *a);
            zk_fr_one(&a[1]);
            int rc = zk_ntt_forward(d, a, pool2);
            int good = rc == ZK_OK;
            zk_fr_one(&p);
            for (size_t i = 0; i < n && good; i++) {
                good = zk_fr_eq(&a[i], &p);
                zk_fr_mul(&p, &p, &w);
            }
            ok(good, "forward([0, 1, 0, ...]) = powers of omega, n = 2^%u", k);
            free(a);
            zk_ntt_domain_free(d);
        }
    }

    /* Large sizes: spot-check outputs of a random forward by Horner. */
    {
        static const unsigned ks[] = {16, 18};
        for (size_t t = 0; t < sizeof ks / sizeof ks[0]; t++) {
            unsigned k = ks[t];
            size_t n = (size_t)1 << k;
            zk_ntt_domain *d = domain(k);
            zk_fr w = root(k), *c = alloc_fr(n), *a = alloc_fr(n);
            random_vec(c, n);
            memcpy(a, c, n * sizeof *a);
            int rc = zk_ntt_forward(d, a, pool2);
            int good = rc == ZK_OK;
            /* indices 0, 1, n-1 and a spread of others */
            size_t idx[] = {0, 1, 2, n / 2, n / 2 + 1, n / 4 + 3, n - 1, 12345 % n};
            for (size_t s = 0; s < sizeof idx / sizeof idx[0] && good; s++) {
                zk_fr x, v;
                uint64_t e[4] = {idx[s], 0, 0, 0};
                zk_fr_pow(&x, &w, e);
                horner(&v, c, n, &x);
                good = zk_fr_eq(&v, &a[idx[s]]);
            }
            ok(good, "forward spot-checked against Horner at 8 points, n = 2^%u", k);
            free(a);
            free(c);
            zk_ntt_domain_free(d);
        }
    }

    /* Round trips up to 2^16: inverse(forward(x)) = x = forward(inverse(x)). */
    for (unsigned k = 0; k <= 16; k++) {
        size_t n = (size_t)1 << k;
        zk_ntt_domain *d = domain(k);
        zk_fr *x = alloc_fr(n), *a = alloc_fr(n);
        random_vec(x, n);
        memcpy(a, x, n * sizeof *a);
        int rc1 = zk_ntt_forward(d, a, pool2);
        int changed = n == 1 || !vec_eq(a, x, n);
        int rc2 = zk_ntt_inverse(d, a, pool2);
        int rt1 = vec_eq(a, x, n);
        int rc3 = zk_ntt_inverse(d, a, k & 1 ? pool3 : NULL);
        int rc4 = zk_ntt_forward(d, a, k & 1 ? pool3 : NULL);
        ok(rc1 == ZK_OK && rc2 == ZK_OK && rc3 == ZK_OK && rc4 == ZK_OK && changed && rt1 &&
               vec_eq(a, x, n),
           "inverse(forward(x)) = x = forward(inverse(x)), n = 2^%u", k);
        free(a);
        free(x);
        zk_ntt_domain_free(d);
    }

    /* Coset forward against Horner at g omega^i. */
    static const unsigned coset_ks[] = {0, 1, 3, 6};
    for (size_t t = 0; t < sizeof coset_ks / sizeof coset_ks[0]; t++) {
        unsigned k = coset_ks[t];
        size_t n = (size_t)1 << k;
        zk_ntt_domain *d = domain(k);
        zk_fr w = root(k), x = g, *c = alloc_fr(n), *a = alloc_fr(n), *want = alloc_fr(n);
        random_vec(c, n);
        for (size_t i = 0; i < n; i++) {
            horner(&want[i], c, n, &x);
            zk_fr_mul(&x, &x, &w);
        }
        memcpy(a, c, n * sizeof *a);
        int rc = zk_ntt_coset_forward(d, a, &g, pool3);
        ok(rc == ZK_OK && vec_eq(a, want, n), "coset forward = evaluation at g omega^i, n = 2^%u",
           k);
        free(a);
        free(c);
        free(want);
        zk_ntt_domain_free(d);
    }

    /* Coset forward at 2^16 (many parallel tasks): spot checks by Horner. */
    {
        unsigned k = 16;
        size_t n = (size_t)1 << k;
        zk_ntt_domain *d = domain(k);
        zk_fr w = root(k), gr, *c = alloc_fr(n), *a = alloc_fr(n);
        zk_fr_random(&gr);
        random_vec(c, n);
        memcpy(a, c, n * sizeof *a);
        int good = zk_ntt_coset_forward(d, a, &gr, pool2) == ZK_OK;
        size_t idx[] = {0, 1, 4097, n / 2 + 5, n - 1};
        for (size_t s = 0; s < sizeof idx / sizeof idx[0] && good; s++) {
            zk_fr x, v;
            uint64_t e[4] = {idx[s], 0, 0, 0};
            zk_fr_pow(&x, &w, e);
            zk_fr_mul(&x, &x, &gr);
            horner(&v, c, n, &x);
            good = zk_fr_eq(&v, &a[idx[s]]);
        }
        ok(good, "coset forward spot-checked against Horner at 5 points, n = 2^16");
        free(a);
        free(c);
        zk_ntt_domain_free(d);
    }

    /* Coset round trips, with g = 7 and a random g. */
    for (unsigned k = 0; k <= 16; k += 4) {
        size_t n = (size_t)1 << k;
        zk_ntt_domain *d = domain(k);
        zk_fr gr, *x = alloc_fr(n), *a = alloc_fr(n);
        zk_fr_random(&gr);
        int good = 1;
        for (int r = 0; r < 2; r++) {
            const zk_fr *gg = r ? &gr : &g;
            random_vec(x, n);
            memcpy(a, x, n * sizeof *a);
            good &= zk_ntt_coset_forward(d, a, gg, pool2) == ZK_OK;
            good &= zk_ntt_coset_inverse(d, a, gg, pool2) == ZK_OK;
            good &= vec_eq(a, x, n);
        }
        ok(good, "coset_inverse(coset_forward(x)) = x, n = 2^%u, two shifts", k);
        free(a);
        free(x);
        zk_ntt_domain_free(d);
    }

    /* 1, 2 and 3 threads (and no pool) give bit-identical output at 2^16. */
    {
        unsigned k = 16;
        size_t n = (size_t)1 << k;
        zk_ntt_domain *d = domain(k);
        zk_pool *pool1 = NULL;
        if (zk_pool_new(&pool1, 1) != ZK_OK)
            bail_out("cannot start a pool");
        zk_pool *pools[] = {pool1, pool2, pool3};
        zk_fr *x = alloc_fr(n), *ref = alloc_fr(n), *a = alloc_fr(n);
        random_vec(x, n);
        for (int kind = FWD; kind <= CINV; kind++) {
            memcpy(ref, x, n * sizeof *ref);
            int good = run(kind, d, ref, &g, NULL) == ZK_OK;
            for (int p = 0; p < 3; p++) {
                memcpy(a, x, n * sizeof *a);
                good &= run(kind, d, a, &g, pools[p]) == ZK_OK && vec_eq(a, ref, n);
            }
            ok(good, "%s at 2^16: 1, 2, 3 threads and no pool agree bit for bit",
               kind_name[kind]);
        }
        free(a);
        free(ref);
        free(x);
        zk_pool_free(pool1);
        zk_ntt_domain_free(d);
    }

    /* Bad arguments. */
    {
        zk_ntt_domain *d = domain(3);
        zk_fr a[8], b[8], zero;
        zk_fr_zero(&zero);
        random_vec(a, 8);
        memcpy(b, a, sizeof a);
        ok(zk_ntt_forward(NULL, a, NULL) == ZK_EINVAL && zk_ntt_forward(d, NULL, NULL) == ZK_EINVAL &&
               zk_ntt_inverse(NULL, a, NULL) == ZK_EINVAL &&
               zk_ntt_inverse(d, NULL, NULL) == ZK_EINVAL &&
               zk_ntt_coset_forward(d, a, NULL, NULL) == ZK_EINVAL &&
               zk_ntt_coset_inverse(d, a, NULL, NULL) == ZK_EINVAL && vec_eq(a, b, 8),
           "NULL domain, vector or shift: ZK_EINVAL, nothing written");
        ok(zk_ntt_coset_inverse(d, a, &zero, pool2) == ZK_EINVAL && vec_eq(a, b, 8),
           "coset_inverse with g = 0: ZK_EINVAL, a untouched");
        zk_ntt_domain_free(d);
    }

    zk_pool_free(pool3);
    zk_pool_free(pool2);
    return done_testing();
}
