/*
 * test_meter.c -- progress meters (util/meter.h) and the routines that
 * advance them: a meter on a pool is seen outside the pool's tasks and
 * not inside them; an MSM adds exactly one unit per point, a fixed-base
 * batch one per G1 output and ZK_FIXED_BASE_G2_UNITS per G2 output, with
 * 1 and 2 threads and sizes that split into several parts; the Groth16
 * prover's phases, the dev setup and a contribution each add up to the
 * total they announced, and leave the meter with no phase.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate/srs.h"
#include "curve/msm.h"
#include "field/fr.h"
#include "groth16/contribute.h"
#include "groth16/groth16.h"
#include "groth16/ptau_dev.h"
#include "groth16/setup.h"
#include "io/ptau.h"
#include "r1cs/cs.h"
#include "tap.h"
#include "util/meter.h"
#include "util/pool.h"

/* ------------------------------------------------------------- basics */

static void test_basics(void)
{
    zk_meter *m;
    if (zk_meter_new(&m) != ZK_OK)
        bail_out("meter");
    uint64_t d = 1, t = 1, s0 = 0, s1 = 0;
    ok(zk_meter_read(m, &d, &t, &s0) == NULL && d == 0 && t == 0, "a new meter has no phase");
    zk_meter_begin(m, "alpha", 10);
    zk_meter_add(m, 3);
    zk_meter_add(m, 4);
    const char *name = zk_meter_read(m, &d, &t, &s1);
    ok(name != NULL && strcmp(name, "alpha") == 0 && d == 7 && t == 10 && s1 != s0,
       "begin and add: alpha 7/10, a new serial");
    zk_meter_add(m, 5);
    zk_meter_read(m, &d, NULL, NULL);
    is_int((long long)d, 12, "done is not clamped to the total");
    uint64_t s2;
    zk_meter_begin(m, "alpha", 5);
    zk_meter_read(m, &d, &t, &s2);
    ok(d == 0 && t == 5 && s2 != s1, "the same name again: counts reset, serial changes");
    zk_meter_add(m, 5);
    zk_meter_end(m);
    uint64_t s3;
    ok(zk_meter_read(m, &d, &t, &s3) == NULL && d == 5 && t == 5 && s3 != s2,
       "end: no phase, the ended phase's counts kept");
    zk_meter_begin(NULL, "x", 1);
    zk_meter_add(NULL, 1);
    zk_meter_end(NULL);
    ok(zk_meter_read(NULL, &d, &t, NULL) == NULL && d == 0 && t == 0,
       "a NULL meter: nothing, and reads as no phase");
    zk_meter_add(m, 9);
    zk_meter_read(m, &d, NULL, NULL);
    is_int((long long)d, 5, "no phase: adds are not counted");
    zk_meter_free(m);
    zk_meter_free(NULL);
}

/* Many threads adding at once lose nothing. */
typedef struct {
    zk_meter *m;
} adder;

static void *add_many(void *a)
{
    for (int i = 0; i < 100000; i++)
        zk_meter_add(((adder *)a)->m, 1);
    return NULL;
}

static void test_concurrent(void)
{
    zk_meter *m;
    if (zk_meter_new(&m) != ZK_OK)
        bail_out("meter");
    zk_meter_begin(m, "c", 400000);
    pthread_t th[4];
    adder a = { m };
    for (int i = 0; i < 4; i++)
        if (pthread_create(&th[i], NULL, add_many, &a) != 0)
            bail_out("thread");
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    uint64_t d;
    zk_meter_read(m, &d, NULL, NULL);
    is_int((long long)d, 400000, "4 threads x 100000 adds: all counted");
    zk_meter_free(m);
}

/* --------------------------------------------------------------- pool */

typedef struct {
    zk_pool *p;
    _Atomic int seen; /* tasks that saw a meter */
} pool_probe;

static void probe_task(void *arg, size_t i)
{
    pool_probe *pp = arg;
    (void)i;
    if (zk_pool_meter(pp->p) != NULL)
        pp->seen++;
}

static void test_pool(zk_pool *p, const char *what)
{
    zk_meter *m;
    if (zk_meter_new(&m) != ZK_OK)
        bail_out("meter");
    ok(zk_pool_meter(p) == NULL, "%s: no meter at first", what);
    zk_pool_set_meter(p, m);
    ok(zk_pool_meter(p) == m, "%s: the meter attached", what);
    pool_probe pp = { p, 0 };
    if (zk_pool_run(p, 64, probe_task, &pp) != ZK_OK)
        bail_out("run");
    is_int(pp.seen, 0, "%s: tasks of the pool see no meter (nested work)", what);
    zk_pool_set_meter(p, NULL);
    ok(zk_pool_meter(p) == NULL, "%s: detached", what);
    ok(zk_pool_meter(NULL) == NULL, "a NULL pool has no meter");
    zk_meter_free(m);
}

/* ---------------------------------------------------------------- msm */

/* points[i] = [i + 1] G, scalars random */
static void make_inputs(zk_g1 *p1, zk_g2 *p2, zk_fr *k, size_t n)
{
    zk_g1 g;
    zk_g2 h;
    zk_g1j a;
    zk_g2j b;
    zk_g1_generator(&g);
    zk_g2_generator(&h);
    zk_g1j_from_affine(&a, &g);
    zk_g2j_from_affine(&b, &h);
    for (size_t i = 0; i < n; i++) {
        zk_g1_from_jacobian(&p1[i], &a);
        zk_g2_from_jacobian(&p2[i], &b);
        zk_g1j_add_affine(&a, &a, &g);
        zk_g2j_add_affine(&b, &b, &h);
        zk_fr_random(&k[i]);
    }
}

/* done after f(...) with a fresh phase of total 0 on p's meter */
#define UNITS_OF(m, call)                                                                \
    ({                                                                                   \
        uint64_t d_;                                                                     \
        zk_meter_begin(m, "t", 0);                                                       \
        if ((call) != ZK_OK)                                                             \
            bail_out("%s", #call);                                                       \
        zk_meter_read(m, &d_, NULL, NULL);                                               \
        d_;                                                                              \
    })

static void test_msm(zk_pool *p, const char *what)
{
    static const size_t sizes[] = { 1, 7, 100, 5000, 20000 };
    const size_t nmax = 20000;
    zk_g1 *p1 = malloc(nmax * sizeof *p1), *o1 = malloc(nmax * sizeof *o1);
    zk_g2 *p2 = malloc(nmax * sizeof *p2), *o2 = malloc(nmax * sizeof *o2);
    zk_fr *k = malloc(nmax * sizeof *k);
    zk_meter *m;
    if (!p1 || !p2 || !k || !o1 || !o2 || zk_meter_new(&m) != ZK_OK)
        bail_out("memory");
    make_inputs(p1, p2, k, nmax);
    zk_pool_set_meter(p, m);
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        size_t n = sizes[s];
        zk_g1j r1;
        zk_g2j r2;
        is_int((long long)UNITS_OF(m, zk_msm_g1(&r1, p1, k, n, p)), (long long)n,
               "%s: zk_msm_g1 of %zu points adds %zu units", what, n, n);
        if (n <= 5000)
            is_int((long long)UNITS_OF(m, zk_msm_g2(&r2, p2, k, n, p)), (long long)n,
                   "%s: zk_msm_g2 of %zu points adds %zu units", what, n, n);
    }
    is_int((long long)UNITS_OF(m, zk_g1_fixed_base_batch(o1, p1, k, 1000, p)), 1000,
           "%s: fixed base, 1000 G1 outputs: 1000 units", what);
    is_int((long long)UNITS_OF(m, zk_g2_fixed_base_batch(o2, p2, k, 130, p)),
           130 * ZK_FIXED_BASE_G2_UNITS, "%s: fixed base, 130 G2 outputs: 130 x %u units",
           what, ZK_FIXED_BASE_G2_UNITS);
    zk_pool_set_meter(p, NULL);
    zk_meter_free(m);
    free(p1);
    free(p2);
    free(o1);
    free(o2);
    free(k);
}

/* ------------------------------------------------------------ groth16 */

#define CHAIN 3000 /* out = y^(CHAIN + 1): CHAIN multiplications */

static int build(zk_cs *cs, void *ctx)
{
    const zk_fr *y = ctx;
    zk_fr zero;
    zk_fr_zero(&zero);
    zk_var out = zk_cs_alloc_pub_out(cs, NULL);
    zk_var vy = zk_cs_alloc_prv_in(cs, y != NULL ? y : &zero);
    zk_lc acc = zk_lc_var(cs, vy);
    zk_var last = vy;
    for (int i = 0; i < CHAIN; i++) {
        last = zk_cs_mul(cs, acc, zk_lc_var(cs, vy));
        acc = zk_lc_var(cs, last);
    }
    zk_fr v;
    zk_cs_val(&v, cs, last);
    zk_cs_set(cs, out, &v);
    zk_cs_enforce_equal(cs, acc, zk_lc_var(cs, out));
    return zk_cs_err(cs);
}

static const char *const METERED[] = { "matvec", "ntt", "msm_h", "msm_a",
                                       "msm_b1", "msm_b2", "msm_c" };

typedef struct {
    zk_meter *m;
    int metered, right, unmetered, unmetered_right;
} phase_probe;

/* At each phase's end: a metered phase is still on the meter, complete. */
static void on_phase(void *ctx, const char *phase, double seconds)
{
    phase_probe *pp = ctx;
    (void)seconds;
    uint64_t d, t;
    const char *name = zk_meter_read(pp->m, &d, &t, NULL);
    int metered = 0;
    for (size_t i = 0; i < sizeof METERED / sizeof *METERED; i++)
        metered |= strcmp(phase, METERED[i]) == 0;
    if (metered) {
        pp->metered++;
        if (name != NULL && strcmp(name, phase) == 0 && d == t && t > 0)
            pp->right++;
        else
            diag("phase %s: meter %s %llu/%llu", phase, name ? name : "(none)",
                 (unsigned long long)d, (unsigned long long)t);
    } else {
        pp->unmetered++;
        pp->unmetered_right += name == NULL;
    }
}

static void test_groth16(zk_pool *p)
{
    zk_cs *cs;
    zk_r1cs *r;
    zk_zkey *z, *z2;
    zk_meter *m;
    if (zk_meter_new(&m) != ZK_OK)
        bail_out("meter");
    zk_pool_set_meter(p, m);
    if (zk_cs_new(&cs, ZK_CS_SHAPE) != ZK_OK || build(cs, NULL) != ZK_OK ||
        zk_cs_to_r1cs(&r, cs) != ZK_OK || zk_groth16_setup_dev(&z, r, p) != ZK_OK)
        bail_out("key");
    zk_cs_free(cs);
    zk_r1cs_free(r);
    uint64_t d, t;
    const char *name = zk_meter_read(m, &d, &t, NULL);
    ok(name == NULL && d == t && t > 3 * (uint64_t)z->n_vars,
       "dev setup: phase ended, %llu of %llu units", (unsigned long long)d,
       (unsigned long long)t);

    /* setup from a ptau: the wire y has 3000 terms, so its sums are MSMs
     * (which count their points themselves) */
    {
        static const char pp[] = "test_meter.ptau.tmp";
        zk_ptau *pt;
        zk_zkey *zp;
        if (zk_ptau_dev_write(pp, 13, p) != ZK_OK || zk_ptau_open(&pt, pp, NULL) != ZK_OK)
            bail_out("ptau");
        if (zk_cs_new(&cs, ZK_CS_SHAPE) != ZK_OK || build(cs, NULL) != ZK_OK ||
            zk_cs_to_r1cs(&r, cs) != ZK_OK)
            bail_out("circuit");
        is_int(zk_groth16_setup(&zp, r, pt, p, NULL), ZK_OK, "setup from a ptau");
        const char *nm = zk_meter_read(m, &d, &t, NULL);
        ok(nm == NULL && d == t && t > 0,
           "setup from a ptau: phase ended, %llu of %llu units (light terms and MSM points)",
           (unsigned long long)d, (unsigned long long)t);
        zk_zkey_free(zp);
        zk_ptau_free(pt);
        zk_cs_free(cs);
        zk_r1cs_free(r);
        remove(pp);
    }

    if (zk_groth16_contribute(&z2, z, "meter", p) != ZK_OK)
        bail_out("contribute");
    name = zk_meter_read(m, &d, &t, NULL);
    ok(name == NULL && d == t && t == (uint64_t)z->n_vars - z->n_public - 1 + z->domain_size,
       "contribution: phase ended, %llu of %llu units (one per C and H point)",
       (unsigned long long)d, (unsigned long long)t);

    zk_fr y;
    zk_fr *w;
    size_t nw;
    zk_fr_random(&y);
    if (zk_cs_new(&cs, ZK_CS_WITNESS_ONLY) != ZK_OK || build(cs, &y) != ZK_OK ||
        zk_cs_witness(&w, &nw, cs) != ZK_OK)
        bail_out("witness");
    zk_cs_free(cs);
    phase_probe pp = { m, 0, 0, 0, 0 };
    zk_groth16_proof pr;
    is_int(zk_groth16_prove(&pr, z2, w, nw, p, on_phase, &pp), ZK_OK, "prove");
    is_int(pp.right, 7, "every metered phase of the prover adds up to its total");
    ok(pp.metered == 7 && pp.unmetered == 2 && pp.unmetered_right == 2,
       "blind and check are not metered");
    ok(zk_meter_read(m, NULL, NULL, NULL) == NULL, "no phase after the prover returns");

    /* an error path ends the phase too: a witness that does not satisfy */
    zk_fr_add(&w[nw - 1], &w[nw - 1], &w[0]);
    pp = (phase_probe){ m, 0, 0, 0, 0 };
    is_int(zk_groth16_prove(&pr, z2, w, nw, p, NULL, NULL), ZK_EVERIFY,
           "a bad witness: ZK_EVERIFY");
    ok(zk_meter_read(m, NULL, NULL, NULL) == NULL, "no phase after a failed proof");
    free(w);
    zk_zkey_free(z);
    zk_zkey_free(z2);
    zk_pool_set_meter(p, NULL);
    zk_meter_free(m);
}

/* The SRS: made (phase "srs") and read back (phase "read_srs"). */
static void test_srs(zk_pool *p)
{
    static const char path[] = "test_meter.srs.tmp";
    zk_meter *m;
    zk_agg_srs *s, *s2;
    uint64_t d, t;
    if (zk_meter_new(&m) != ZK_OK)
        bail_out("meter");
    zk_pool_set_meter(p, m);
    if (zk_agg_srs_dev(&s, 16, p) != ZK_OK || zk_agg_srs_write(path, s) != ZK_OK)
        bail_out("srs");
    const char *name = zk_meter_read(m, &d, &t, NULL);
    ok(name == NULL && d == t && t == 2 * (2 * 16 + ZK_FIXED_BASE_G2_UNITS * 16),
       "srs (n = 16): phase ended, %llu of %llu units", (unsigned long long)d,
       (unsigned long long)t);
    zk_meter_begin(m, "before", 1);
    is_int(zk_agg_srs_read(&s2, path, p, NULL), ZK_OK, "srs read back");
    name = zk_meter_read(m, &d, &t, NULL);
    ok(name == NULL && d == t && t == 4 * 16 + 2 * 16 * 64,
       "read_srs: phase ended, %llu of %llu units (G1 1, G2 64)", (unsigned long long)d,
       (unsigned long long)t);
    remove(path);
    is_int(zk_ptau_dev_write(path, 5, p), ZK_OK, "dev ptau of power 5");
    name = zk_meter_read(m, &d, &t, NULL);
    ok(name == NULL && d == t && t > 0, "ptau: phase ended, %llu of %llu units",
       (unsigned long long)d, (unsigned long long)t);
    remove(path);
    zk_agg_srs_free(s);
    zk_agg_srs_free(s2);
    zk_pool_set_meter(p, NULL);
    zk_meter_free(m);
}

int main(void)
{
    plan(7 + 1 + 2 * 5 + 2 * (5 + 4 + 2) + 8 + 5 + 2);
    zk_pool *p1, *p2;
    if (zk_pool_new(&p1, 1) != ZK_OK || zk_pool_new(&p2, 2) != ZK_OK)
        bail_out("pool");
    test_basics();
    test_concurrent();
    test_pool(p1, "1 thread");
    test_pool(p2, "2 threads");
    test_msm(p1, "1 thread");
    test_msm(p2, "2 threads");
    test_groth16(p2);
    test_srs(p2);
    zk_pool_free(p1);
    zk_pool_free(p2);
    return done_testing();
}
