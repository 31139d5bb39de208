/*
 * bench_gadgets -- constraint and variable counts of the circuit gadgets,
 * and the time to build each one with its witness (one JSON object per
 * line).  The counts are what docs/BENCHMARKS.md compares with circomlib's
 * (tests/interop/gadgets-circomlib.mjs measures those with circom2 --O2).
 *
 *   {"bench":"gadget","name":N,"constraints":C,"vars":V,"build_us":T}
 *
 * vars counts the variables the gadget allocates (its inputs excluded);
 * build_us is the best of several WITNESS-mode builds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "field/fr.h"
#include "gadgets/bits.h"
#include "gadgets/merkle.h"
#include "gadgets/poseidon.h"
#include "r1cs/cs.h"

typedef void (*build_fn)(zk_cs *cs, const zk_lc *in, size_t arg);

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return 1e6 * (double)ts.tv_sec + 1e-3 * (double)ts.tv_nsec;
}

static void b_num2bits(zk_cs *cs, const zk_lc *in, size_t n)
{
    zk_lc bits[ZK_G_FR_BITS];
    if (n == ZK_G_FR_BITS)
        zk_g_num2bits_strict(cs, bits, in[0]);
    else
        zk_g_num2bits(cs, bits, n, in[0]);
}

static void b_less_than(zk_cs *cs, const zk_lc *in, size_t n)
{
    (void)zk_g_cmp(cs, ZK_G_LT, in[0], in[1], n);
}

static void b_is_zero(zk_cs *cs, const zk_lc *in, size_t n)
{
    (void)n;
    (void)zk_g_is_zero(cs, in[0]);
}

static void b_poseidon(zk_cs *cs, const zk_lc *in, size_t n)
{
    zk_lc out;
    (void)zk_g_poseidon(cs, &out, in, n);
}

static void b_merkle_verify(zk_cs *cs, const zk_lc *in, size_t d)
{
    /* in: leaf, root, d siblings, d bits */
    (void)zk_g_merkle_verify(cs, in[1], in[0], in + 2, in + 2 + d, d);
}

static void b_merkle_update(zk_cs *cs, const zk_lc *in, size_t d)
{
    /* in: old leaf, new leaf, old root, d siblings, d bits */
    zk_lc root;
    (void)zk_g_merkle_update(cs, &root, in[2], in[0], in[1], in + 3, in + 3 + d, d);
}

/* Count one gadget: inputs are private inputs (random; bits for the
 * Merkle index are 0/1), built once in SHAPE mode for the counts and a few
 * times in WITNESS mode for the time. */
static void run(const char *name, build_fn fn, size_t arg, size_t n_in, size_t n_bits)
{
    zk_lc in[80];
    double best = 1e30;
    size_t cons = 0, vars = 0;
    for (int rep = 0; rep < 6; rep++) {
        zk_cs *cs;
        if (zk_cs_new(&cs, rep == 0 ? ZK_CS_SHAPE : ZK_CS_WITNESS) != 0)
            exit(1);
        for (size_t i = 0; i < n_in; i++) {
            zk_fr v;
            if (i >= n_in - n_bits)
                zk_fr_set_u64(&v, (uint64_t)rand() & 1);
            else if (fn == b_less_than || fn == b_num2bits)
                zk_fr_set_u64(&v, (uint64_t)rand());
            else
                zk_fr_random(&v);
            in[i] = zk_lc_var(cs, zk_cs_alloc_prv_in(cs, &v));
        }
        size_t v0 = zk_cs_n_vars(cs);
        double t = now_us();
        fn(cs, in, arg);
        t = now_us() - t;
        if (zk_cs_err(cs) != 0) {
            fprintf(stderr, "bench_gadgets: %s: %s\n", name, zk_strerror(zk_cs_err(cs)));
            exit(1);
        }
        if (rep == 0) {
            cons = zk_cs_n_constraints(cs);
            vars = zk_cs_n_vars(cs) - v0;
        } else if (t < best) {
            best = t;
        }
        zk_cs_free(cs);
    }
    printf("{\"bench\":\"gadget\",\"name\":\"%s\",\"constraints\":%zu,\"vars\":%zu,"
           "\"build_us\":%.1f}\n",
           name, cons, vars, best);
}

int main(void)
{
    char name[64];
    srand(1);
    run("num2bits(64)", b_num2bits, 64, 1, 0);
    run("num2bits(253)", b_num2bits, 253, 1, 0);
    run("num2bits_strict(254)", b_num2bits, ZK_G_FR_BITS, 1, 0);
    run("less_than(64)", b_less_than, 64, 2, 0);
    run("less_than(252)", b_less_than, 252, 2, 0);
    run("is_zero", b_is_zero, 0, 1, 0);
    for (size_t n = 1; n <= 6; n++) {
        snprintf(name, sizeof name, "poseidon(%zu)", n);
        run(name, b_poseidon, n, n, 0);
    }
    static const size_t depths[] = { 4, 20, 32 };
    for (size_t k = 0; k < 3; k++) {
        size_t d = depths[k];
        snprintf(name, sizeof name, "merkle_verify(%zu)", d);
        run(name, b_merkle_verify, d, 2 + 2 * d, d);
        snprintf(name, sizeof name, "merkle_update(%zu)", d);
        run(name, b_merkle_update, d, 3 + 2 * d, d);
    }
    return 0;
}
