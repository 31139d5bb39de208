/*
 * test_ptau_dev.c -- development ptau files (lib/groth16/ptau_dev).
 *
 *  - The file: exact size, sections 1..7, 12..15 in snarkjs's order, the
 *    header (n8, q, power, ceremonyPower), an empty contributions
 *    section; it opens with zk_ptau_open, prepared, and every point of
 *    every section decodes and validates (G2 subgroup included).
 *  - The values, without knowing the secrets: tau^0 = the generators,
 *    tau != 1; pairings e(tau^i G1, G2) = e(G1, tau^i G2) for a few i,
 *    e(beta G1, G2) = e(G1, beta G2); every section 2..5 is a geometric
 *    sequence of ratio tau (one pairing check of random combinations:
 *    e(sum c_i X_(i+1), G2) = e(sum c_i X_i, tau G2)); and every Lagrange
 *    block of sections 12..15 is the inverse DFT of its powers section
 *    (random combinations: sum_j (sum_m c_m omega^(jm)) L_j = sum_m c_m
 *    tau^m X; section 12's last block with the last power taken as 0).
 *    The same checks fail on a file with one point replaced by a valid
 *    other point, two Lagrange points swapped, or a wrong last block.
 *  - Power 0 (the smallest file), two files differ (fresh secrets),
 *    thread count; bad arguments and unwritable paths leave no file.
 *  - Groth16: zk_groth16_setup of r1cs circuits from the dev ptau (one
 *    with a domain of 2^power, which uses section 12's last block for H),
 *    then prove / verify, and a changed public signal or proof does not
 *    verify.
 *  - With node and tests/interop/node_modules: `snarkjs powersoftau
 *    prepare phase2` of the dev file without sections 12..15 gives back
 *    the dev file byte for byte; `snarkjs groth16 setup` (zkey new) on
 *    the dev ptau writes the same bytes as zk_groth16_setup +
 *    zk_zkey_write; `snarkjs zkey verify` accepts that key; `snarkjs
 *    powersoftau verify` rejects the dev file (no contribution record,
 *    as ptau_dev.h documents).
 */
#include <limits.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "curve/g1.h"
#include "curve/g2.h"
#include "curve/msm.h"
#include "curve/pairing.h"
#include "field/constants.h"
#include "field/fr.h"
#include "groth16/groth16.h"
#include "groth16/ptau_dev.h"
#include "groth16/setup.h"
#include "io/binfile.h"
#include "io/ptau.h"
#include "io/r1cs.h"
#include "io/zkey.h"
#include "tap.h"
#include "testfile.h"
#include "testnode.h"
#include "testptau.h"
#include "util/err.h"
#include "util/pool.h"

static zk_pool *g_pool;

#define P 7u

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static buf_t load(const char *path)
{
    size_t n;
    uint8_t *b = get_file(path, &n);
    buf_t s = { b, n, n };
    return s;
}

/* ------------------------------------------------------ the relations */

static void rnd_scalars(zk_fr *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        zk_fr_random(&c[i]);
}

static int msm1(zk_g1 *r, const zk_g1 *p, const zk_fr *k, size_t n)
{
    zk_g1j j;
    if (zk_msm_g1(&j, p, k, n, g_pool) != ZK_OK)
        return 0;
    zk_g1_from_jacobian(r, &j);
    return 1;
}

static int msm2(zk_g2 *r, const zk_g2 *p, const zk_fr *k, size_t n)
{
    zk_g2j j;
    if (zk_msm_g2(&j, p, k, n, g_pool) != ZK_OK)
        return 0;
    zk_g2_from_jacobian(r, &j);
    return 1;
}

/* All points of a ptau, decoded and validated. */
typedef struct {
    unsigned power;
    uint64_t n;
    zk_g1 *s2, *s4, *s5, *s12, *s14, *s15;
    zk_g2 *s3, *s13, beta2;
} points;

static void points_free(points *pt)
{
    free(pt->s2);
    free(pt->s4);
    free(pt->s5);
    free(pt->s12);
    free(pt->s14);
    free(pt->s15);
    free(pt->s3);
    free(pt->s13);
    memset(pt, 0, sizeof *pt);
}

static int points_load(points *pt, const zk_ptau *p)
{
    memset(pt, 0, sizeof *pt);
    pt->power = zk_ptau_power(p);
    pt->n = (uint64_t)1 << pt->power;
    zk_g1 **g1[] = { &pt->s2, &pt->s4, &pt->s5, &pt->s12, &pt->s14, &pt->s15 };
    const unsigned s1[] = { 2, 4, 5, 12, 14, 15 };
    int64_t bad;
    for (int i = 0; i < 6; i++) {
        uint64_t c = zk_ptau_section_points(p, s1[i]);
        *g1[i] = malloc(c * sizeof **g1[i]);
        if (zk_ptau_g1_range(*g1[i], p, s1[i], 0, c, g_pool, &bad) != ZK_OK) {
            diag("section %u point %lld", s1[i], (long long)bad);
            return 0;
        }
    }
    uint64_t c3 = zk_ptau_section_points(p, 3), c13 = zk_ptau_section_points(p, 13);
    pt->s3 = malloc(c3 * sizeof *pt->s3);
    pt->s13 = malloc(c13 * sizeof *pt->s13);
    if (zk_ptau_g2_range(pt->s3, p, 3, 0, c3, g_pool, &bad) != ZK_OK ||
        zk_ptau_g2_range(pt->s13, p, 13, 0, c13, g_pool, &bad) != ZK_OK ||
        zk_ptau_g2_range(&pt->beta2, p, 6, 0, 1, NULL, &bad) != ZK_OK) {
        diag("G2 point %lld", (long long)bad);
        return 0;
    }
    return 1;
}

/* X_0 .. X_(cnt-1) of a G1 section is geometric with ratio tau (tau2 =
 * tau G2): e(sum c_i X_(i+1), G2) = e(sum c_i X_i, tau G2). */
static int geometric_g1(const zk_g1 *x, size_t cnt, const zk_g2 *tau2)
{
    if (cnt < 2)
        return 1;
    zk_fr *c = malloc((cnt - 1) * sizeof *c);
    rnd_scalars(c, cnt - 1);
    zk_g1 a, b;
    zk_g2 g2;
    zk_g2_generator(&g2);
    int good = msm1(&a, x + 1, c, cnt - 1) && msm1(&b, x, c, cnt - 1) &&
               pair_eq(&a, &g2, &b, tau2);
    free(c);
    return good;
}

/* The same for a G2 section: e(tau G1, sum c_i Y_i) = e(G1, sum c_i Y_(i+1)). */
static int geometric_g2(const zk_g2 *y, size_t cnt, const zk_g1 *tau1)
{
    if (cnt < 2)
        return 1;
    zk_fr *c = malloc((cnt - 1) * sizeof *c);
    rnd_scalars(c, cnt - 1);
    zk_g2 a, b;
    zk_g1 g1;
    zk_g1_generator(&g1);
    int good = msm2(&a, y, c, cnt - 1) && msm2(&b, y + 1, c, cnt - 1) &&
               pair_eq(tau1, &a, &g1, &b);
    free(c);
    return good;
}

/* The block of level k of a Lagrange section (l1 or l2, at offset 2^k -
 * 1) against its powers section (w1 or w2): with random c_m for m <
 * mcount, sum_j s_j L_j = sum_m c_m X_m, s_j = sum_m c_m omega^(jm). */
static int block_ok(const zk_g1 *l1, const zk_g2 *l2, const zk_g1 *w1, const zk_g2 *w2,
                    unsigned k, size_t mcount)
{
    const size_t n = (size_t)1 << k;
    const size_t off = (size_t)zk_ptau_lagrange_offset(k);
    zk_fr *c = malloc(n * sizeof *c), *s = malloc(n * sizeof *s), om, wj, x;
    rnd_scalars(c, mcount);
    if (zk_fr_root_of_unity(&om, k) != ZK_OK)
        bail_out("root");
    zk_fr_one(&wj);
    for (size_t j = 0; j < n; j++) {
        zk_fr t;
        zk_fr_zero(&s[j]);
        zk_fr_one(&x);
        for (size_t m = 0; m < mcount; m++) {
            zk_fr_mul(&t, &c[m], &x);
            zk_fr_add(&s[j], &s[j], &t);
            zk_fr_mul(&x, &x, &wj);
        }
        zk_fr_mul(&wj, &wj, &om);
    }
    int good;
    if (l1) {
        zk_g1 a, b;
        good = msm1(&a, l1 + off, s, n) && msm1(&b, w1, c, mcount) && zk_g1_eq(&a, &b);
    } else {
        zk_g2 a, b;
        good = msm2(&a, l2 + off, s, n) && msm2(&b, w2, c, mcount) && zk_g2_eq(&a, &b);
    }
    free(c);
    free(s);
    return good;
}

/* Every check on the values; *what names the first that failed. */
static int relations(const points *pt, const zk_ptau *p, const char **what)
{
    const size_t n = (size_t)pt->n;
    zk_g1 g1;
    zk_g2 g2;
    zk_g1_generator(&g1);
    zk_g2_generator(&g2);
#define CHECK(cond, name)       \
    do {                        \
        if (!(cond)) {          \
            *what = name;       \
            return 0;           \
        }                       \
    } while (0)
    CHECK(zk_g1_eq(&pt->s2[0], &g1) && zk_g2_eq(&pt->s3[0], &g2), "tau^0 = the generators");
    CHECK(n == 1 || (!zk_g1_eq(&pt->s2[1], &g1) && !zk_g1_is_inf(&pt->s2[1])),
          "tau not 0 or 1");
    CHECK(zk_g1_eq(&pt->s4[0], zk_ptau_alpha_g1(p)) && zk_g1_eq(&pt->s5[0], zk_ptau_beta_g1(p)) &&
              !zk_g1_is_inf(&pt->s4[0]) && !zk_g1_is_inf(&pt->s5[0]) &&
              !zk_g1_eq(&pt->s4[0], &pt->s5[0]),
          "alpha G1, beta G1: point 0 of sections 4, 5, non-trivial");
    CHECK(pair_eq(&pt->s5[0], &g2, &g1, &pt->beta2), "e(beta G1, G2) = e(G1, beta G2)");
    size_t idx[] = { 1, 2, n / 2, n - 1 };
    for (size_t i = 0; i < 4; i++)
        CHECK(idx[i] >= n || pair_eq(&pt->s2[idx[i]], &g2, &g1, &pt->s3[idx[i]]),
              "e(tau^i G1, G2) = e(G1, tau^i G2)");
    /* (a power-0 file holds no tau at all: only tau^0) */
    if (n > 1) {
        CHECK(geometric_g1(pt->s2, 2 * n - 1, &pt->s3[1]), "section 2: ratio tau");
        CHECK(geometric_g2(pt->s3, n, &pt->s2[1]), "section 3: ratio tau");
        CHECK(geometric_g1(pt->s4, n, &pt->s3[1]), "section 4: ratio tau");
        CHECK(geometric_g1(pt->s5, n, &pt->s3[1]), "section 5: ratio tau");
    }
    for (unsigned k = 0; k <= pt->power + 1; k++) {
        const size_t m = (size_t)1 << k;
        const size_t mc = k == pt->power + 1 ? m - 1 : m;
        CHECK(block_ok(pt->s12, NULL, pt->s2, NULL, k, mc),
              "section 12: blocks = inverse DFT of section 2");
        if (k > pt->power)
            break;
        CHECK(block_ok(NULL, pt->s13, NULL, pt->s3, k, m),
              "section 13: blocks = inverse DFT of section 3");
        CHECK(block_ok(pt->s14, NULL, pt->s4, NULL, k, m),
              "section 14: blocks = inverse DFT of section 4");
        CHECK(block_ok(pt->s15, NULL, pt->s5, NULL, k, m),
              "section 15: blocks = inverse DFT of section 5");
    }
#undef CHECK
    *what = NULL;
    return 1;
}

/* Open an image and run every check; returns the failing check or NULL. */
static const char *check_image(const buf_t *s)
{
    zk_ptau *p;
    if (zk_ptau_open_mem(&p, s->b, s->n, NULL) != ZK_OK)
        return "open";
    points pt;
    const char *what = "decode";
    if (points_load(&pt, p))
        relations(&pt, p, &what);
    points_free(&pt);
    zk_ptau_free(p);
    return what;
}

/* ------------------------------------------------------------ the file */

static uint64_t expected_size(unsigned power)
{
    const uint64_t n = (uint64_t)1 << power;
    return 12 + 11 * 12 + 44 + (2 * n - 1) * 64 + n * 128 + 2 * n * 64 + 128 + 4 +
           (4 * n - 1) * 64 + (2 * n - 1) * (128 + 64 + 64);
}

static void test_file(void)
{
    double t0 = now();
    int rc = zk_ptau_dev_write(tpath("dev.ptau"), P, g_pool);
    double dt = now() - t0;
    is_int(rc, ZK_OK, "zk_ptau_dev_write power %u (%.2f s)", P, dt);
    if (rc != ZK_OK)
        bail_out("cannot continue");
    buf_t s = load(tpath("dev.ptau"));
    ok(s.n == expected_size(P), "file size %zu = the layout's %llu", s.n,
       (unsigned long long)expected_size(P));

    /* the container, section by section */
    static const uint32_t order[] = { 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15 };
    int good = s.n >= 12 && memcmp(s.b, "ptau", 4) == 0 && zk_load_u32_le(s.b + 4) == 1 &&
               zk_load_u32_le(s.b + 8) == 11;
    size_t off = 12;
    for (size_t i = 0; good && i < 11; i++) {
        good = off + 12 <= s.n && zk_load_u32_le(s.b + off) == order[i];
        if (good)
            off += 12 + (size_t)zk_load_u64_le(s.b + off + 4);
    }
    ok(good && off == s.n, "magic, version 1, sections 1..7 and 12..15 in snarkjs's order");
    size_t h = sec_off(&s, 1);
    uint8_t q[32];
    static const uint64_t ql[4] = ZK_FP_MODULUS;
    for (unsigned i = 0; i < 32; i++)
        q[i] = (uint8_t)(ql[i / 8] >> (8 * (i % 8)));
    ok(h && zk_load_u64_le(s.b + h - 8) == 44 && zk_load_u32_le(s.b + h) == 32 &&
           memcmp(s.b + h + 4, q, 32) == 0 && zk_load_u32_le(s.b + h + 36) == P &&
           zk_load_u32_le(s.b + h + 40) == P,
       "header: n8 32, q, power %u, ceremonyPower %u", P, P);
    size_t c7 = sec_off(&s, 7);
    ok(c7 && zk_load_u64_le(s.b + c7 - 8) == 4 && zk_load_u32_le(s.b + c7) == 0,
       "section 7: zero contributions");

    /* the reader */
    zk_ptau *p = NULL;
    const char *where = NULL;
    rc = zk_ptau_open(&p, tpath("dev.ptau"), &where);
    ok(rc == ZK_OK && zk_ptau_power(p) == P && zk_ptau_ceremony_power(p) == P &&
           zk_ptau_is_prepared(p),
       "zk_ptau_open: power %u, prepared (rc %d %s)", P, rc, where ? where : "");
    if (rc != ZK_OK)
        bail_out("cannot continue");
    points pt;
    ok(points_load(&pt, p), "every point of sections 2..6, 12..15 decodes and validates");
    const char *what = "not run";
    int rel = relations(&pt, p, &what);
    ok(rel, "every relation holds (%s)", what ? what : "all");
    points_free(&pt);

    /* zk_ptau_write gives the same bytes */
    ok(zk_ptau_write(tpath("rt.ptau"), p) == ZK_OK && files_equal(tpath("rt.ptau"), tpath("dev.ptau")),
       "zk_ptau_write of the dev file: byte-identical");
    remove(tpath("rt.ptau"));
    zk_ptau_free(p);

    /* the checks have teeth: tampered copies */
    {
        const size_t o2 = sec_off(&s, 2), o4 = sec_off(&s, 4), o12 = sec_off(&s, 12),
                     o13 = sec_off(&s, 13), o14 = sec_off(&s, 14), o15 = sec_off(&s, 15);
        const size_t n = (size_t)1 << P;
        struct {
            const char *name;
            size_t at, size, with; /* copy point `with` over point `at` */
        } cs[] = {
            { "section 2, tau^5 G1 := tau^6 G1", o2 + 5 * 64, 64, o2 + 6 * 64 },
            { "section 4, point n-1 := point n-2", o4 + (n - 1) * 64, 64, o4 + (n - 2) * 64 },
            { "section 12, level 3, L_2 := L_5", o12 + (7 + 2) * 64, 64, o12 + (7 + 5) * 64 },
            { "section 12, last block, L_0 := level P's L_0", o12 + (2 * n - 1) * 64, 64,
              o12 + (n - 1) * 64 },
            { "section 13, level P, L_9 := L_10", o13 + (n - 1 + 9) * 128, 128,
              o13 + (n - 1 + 10) * 128 },
            { "section 14, level 0 := section 15 level 0", o14, 64, o15 },
            { "section 15, level 1, L_1 := L_0", o15 + 2 * 64, 64, o15 + 1 * 64 },
        };
        for (size_t i = 0; i < sizeof cs / sizeof *cs; i++) {
            buf_t m = { 0 };
            bput(&m, s.b, s.n);
            memcpy(m.b + cs[i].at, s.b + cs[i].with, cs[i].size);
            const char *w = check_image(&m);
            ok(w != NULL && strcmp(w, "open") != 0 && strcmp(w, "decode") != 0,
               "tampered (%s): a check fails (%s)", cs[i].name, w ? w : "none");
            bfree(&m);
        }
        /* beta G2 := tau G2 (section 6 against section 5) */
        buf_t m = { 0 };
        bput(&m, s.b, s.n);
        memcpy(m.b + sec_off(&m, 6), s.b + sec_off(&s, 3) + 128, 128);
        const char *w = check_image(&m);
        ok(w && strstr(w, "beta"), "tampered (beta G2 := tau G2): %s", w ? w : "none");
        bfree(&m);
    }

    /* a second file: other secrets */
    rc = zk_ptau_dev_write(tpath("dev2.ptau"), P, NULL);
    buf_t s2 = load(tpath("dev2.ptau"));
    size_t o2 = sec_off(&s, 2);
    ok(rc == ZK_OK && s2.n == s.n && memcmp(s.b, s2.b, o2 + 64) == 0 &&
           memcmp(s.b + o2 + 64, s2.b + o2 + 64, 64) != 0 &&
           memcmp(s.b + sec_off(&s, 4), s2.b + sec_off(&s2, 4), 64) != 0,
       "a second file (no pool): same header and tau^0, other tau and alpha");
    ok(check_image(&s2) == NULL, "... and every relation holds there too");
    bfree(&s2);
    remove(tpath("dev2.ptau"));
    bfree(&s);
}

static void test_small_and_errors(void)
{
    /* power 0: one power, blocks of sizes 1 (and 2 in section 12) */
    int rc = zk_ptau_dev_write(tpath("p0.ptau"), 0, g_pool);
    buf_t s = { 0 };
    if (rc == ZK_OK)
        s = load(tpath("p0.ptau"));
    ok(rc == ZK_OK && s.n == expected_size(0), "power 0: written, %zu bytes", s.n);
    const char *w = rc == ZK_OK ? check_image(&s) : "not written";
    ok(w == NULL, "power 0: opens and every relation holds (%s)", w ? w : "all");
    if (rc == ZK_OK) {
        /* section 12's last block is (1/2 G1, 1/2 G1): the inverse DFT of (G1, 0) */
        zk_fr half;
        zk_fr_set_u64(&half, 2);
        if (zk_fr_inv(&half, &half) != ZK_OK)
            bail_out("inv");
        zk_g1 g, hg;
        zk_g1j j;
        zk_g1_generator(&g);
        zk_g1j_from_affine(&j, &g);
        zk_g1j_mul_var(&j, &j, &half);
        zk_g1_from_jacobian(&hg, &j);
        uint8_t e[64];
        zk_g1_to_iden3(e, &hg);
        size_t o12 = sec_off(&s, 12);
        ok(memcmp(s.b + o12 + 64, e, 64) == 0 && memcmp(s.b + o12 + 128, e, 64) == 0,
           "power 0: section 12's last block is (G1/2, G1/2)");
    } else {
        skip(1, "no file");
    }
    bfree(&s);
    remove(tpath("p0.ptau"));

    /* errors */
    int before = dir_entries();
    is_int(zk_ptau_dev_write(NULL, 3, NULL), ZK_EINVAL, "NULL path: ZK_EINVAL");
    is_int(zk_ptau_dev_write(tpath("big.ptau"), ZK_PTAU_DEV_MAX_POWER + 1, NULL), ZK_EINVAL,
           "power %u: ZK_EINVAL", ZK_PTAU_DEV_MAX_POWER + 1);
    is_int(zk_ptau_dev_write(tpath("big.ptau"), UINT_MAX, NULL), ZK_EINVAL,
           "power UINT_MAX: ZK_EINVAL");
    is_int(zk_ptau_dev_write(tpath("no/such/dir.ptau"), 2, NULL), ZK_EIO,
           "a missing directory: ZK_EIO");
    if (mkdir(tpath("adir"), 0755) != 0)
        bail_out("mkdir");
    is_int(zk_ptau_dev_write(tpath("adir"), 2, NULL), ZK_EIO, "a directory in the way: ZK_EIO");
    rmdir(tpath("adir"));
    ok(dir_entries() == before, "no file and no temporary file left behind");
    /* an existing file is replaced whole */
    put_file(tpath("old.ptau"), (const uint8_t *)"old", 3);
    rc = zk_ptau_dev_write(tpath("old.ptau"), 1, NULL);
    buf_t o = load(tpath("old.ptau"));
    ok(rc == ZK_OK && o.n == expected_size(1) && check_image(&o) == NULL,
       "an existing file is replaced by a complete power-1 file");
    bfree(&o);
    remove(tpath("old.ptau"));
}

/* ------------------------------------------------------------ Groth16 */

/* out = x^3 + x + 5 (+ y^2 on a private wire): wires 0 one, 1 out, 2 x
 * (public), 3 y (private), 4 x^2, 5 x^3, 6 y^2.  Domain 8. */
static circuit circ_cubic(void)
{
    circuit c = { NULL, calloc(7, sizeof(zk_fr)), 7 };
    if (zk_r1cs_new(&c.cs, 1, 1, 1, 7) != ZK_OK)
        bail_out("r1cs_new");
    zk_fr *w = c.w;
    zk_fr_one(&w[0]);
    zk_fr_set_u64(&w[2], 3);
    zk_fr_set_u64(&w[3], 1234567);
    zk_fr_mul(&w[4], &w[2], &w[2]);
    zk_fr_mul(&w[5], &w[4], &w[2]);
    zk_fr_mul(&w[6], &w[3], &w[3]);
    zk_fr_set_u64(&w[1], 27 + 3 + 5);
    zk_r1cs_term x[] = { T(2, 1) }, x2[] = { T(4, 1) }, x3[] = { T(5, 1) }, y[] = { T(3, 1) },
                 y2[] = { T(6, 1) }, one[] = { T(0, 1) }, out[] = { T(1, 1) },
                 sum[] = { T(0, 5), T(2, 1), T(5, 1) };
    if (zk_r1cs_add_constraint(c.cs, x, 1, x, 1, x2, 1) != ZK_OK ||
        zk_r1cs_add_constraint(c.cs, x2, 1, x, 1, x3, 1) != ZK_OK ||
        zk_r1cs_add_constraint(c.cs, sum, 3, one, 1, out, 1) != ZK_OK ||
        zk_r1cs_add_constraint(c.cs, y, 1, y, 1, y2, 1) != ZK_OK)
        bail_out("add_constraint");
    return c;
}

/* A chain of m constraints w_(i+1) = (w_i + i) * w_(i-1) with 2 public
 * inputs: m + 3 rows, so m = 2^(P-1) - 2 gives a domain of 2^P. */
static circuit circ_chain(uint32_t m)
{
    const uint32_t nw = 3 + m; /* 0 one, 1 a, 2 b, 3.. the chain */
    circuit c = { NULL, calloc(nw, sizeof(zk_fr)), nw };
    if (zk_r1cs_new(&c.cs, 0, 2, 0, nw) != ZK_OK)
        bail_out("r1cs_new");
    zk_fr *w = c.w;
    zk_fr_one(&w[0]);
    zk_fr_set_u64(&w[1], 7);
    zk_fr_set_u64(&w[2], 11);
    for (uint32_t i = 0; i < m; i++) {
        const uint32_t a = i + 2, b = i + 1, o = i + 3;
        zk_r1cs_term A[] = { T(0, i), T(a, 1) }, B[] = { T(b, 1) }, C[] = { T(o, 1) };
        if (zk_r1cs_add_constraint(c.cs, A, 2, B, 1, C, 1) != ZK_OK)
            bail_out("add_constraint");
        zk_fr t, ii;
        zk_fr_set_u64(&ii, i);
        zk_fr_add(&t, &w[a], &ii);
        zk_fr_mul(&w[o], &t, &w[b]);
    }
    return c;
}

static void prove_verify(const zk_zkey *z, const circuit *c, const char *what)
{
    zk_groth16_proof pr;
    zk_groth16_vk vk;
    int rc = zk_groth16_prove(&pr, z, c->w, c->n, g_pool, NULL, NULL);
    is_int(rc, ZK_OK, "%s: proves", what);
    if (zk_groth16_vk_from_zkey(&vk, z) != ZK_OK)
        bail_out("vk");
    is_int(rc == ZK_OK ? zk_groth16_verify(&vk, c->w + 1, z->n_public, &pr) : -100, ZK_OK,
           "%s: the proof verifies", what);
    zk_fr x[2] = { c->w[1], c->w[2] };
    zk_fr_add(&x[0], &x[0], &c->w[0]);
    is_int(zk_groth16_verify(&vk, x, z->n_public, &pr), ZK_EVERIFY,
           "%s: not with a changed public signal", what);
    zk_groth16_proof bad = pr;
    zk_g1j j;
    zk_g1j_from_affine(&j, &bad.a);
    zk_g1j_dbl(&j, &j);
    zk_g1_from_jacobian(&bad.a, &j);
    is_int(zk_groth16_verify(&vk, c->w + 1, z->n_public, &bad), ZK_EVERIFY,
           "%s: not with A doubled", what);
    zk_groth16_vk_free(&vk);
}

/* ------------------------------------------------------------ snarkjs */

/* The dev file without sections 12..15: what `powersoftau contribute`
 * would have written. */
static buf_t unprepared(const buf_t *s)
{
    buf_t m = { 0 };
    bput(&m, s->b, 8);
    bput32(&m, 7);
    size_t end = sec_off(s, 12) - 12;
    bput(&m, s->b + 12, end - 12);
    return m;
}

static void test_groth16(const char *nm)
{
    enum { NC = 2 };
    circuit cs[NC] = { circ_cubic(), circ_chain((1u << (P - 1)) - 2) };
    const char *names[NC] = { "cubic (domain 8)", "chain (domain 2^P: section 12's last block)" };
    zk_ptau *p;
    if (zk_ptau_open(&p, tpath("dev.ptau"), NULL) != ZK_OK)
        bail_out("open dev.ptau");
    zk_zkey *keys[NC] = { NULL, NULL };
    for (unsigned i = 0; i < NC; i++) {
        size_t badc;
        if (zk_r1cs_is_satisfied(cs[i].cs, cs[i].w, cs[i].n, &badc) != ZK_OK)
            bail_out("%s: witness", names[i]);
        char f[64];
        snprintf(f, sizeof f, "c%u.r1cs", i);
        if (zk_r1cs_write(tpath(f), cs[i].cs) != ZK_OK)
            bail_out("r1cs write");
        uint32_t k = 0;
        if (zk_groth16_setup_log_domain(&k, cs[i].cs) != ZK_OK)
            bail_out("log domain");
        const char *where = NULL;
        int rc = zk_groth16_setup(&keys[i], cs[i].cs, p, g_pool, &where);
        ok(rc == ZK_OK && keys[i]->domain_size == (1u << k) && (i == 0 || k == P),
           "%s: zk_groth16_setup from the dev ptau, domain 2^%u (rc %d %s)", names[i], k, rc,
           where ? where : "");
        if (rc != ZK_OK) {
            skip(4, "no key");
            continue;
        }
        prove_verify(keys[i], &cs[i], names[i]);
        snprintf(f, sizeof f, "z%u.zkey", i);
        if (zk_zkey_write(tpath(f), keys[i]) != ZK_OK)
            bail_out("zkey write");
    }
    zk_ptau_free(p);

    if (!nm) {
        skip(3 + 2 * NC, "%s", interop_why());
        goto done;
    }
    {
        buf_t s = load(tpath("dev.ptau"));
        buf_t u = unprepared(&s);
        put_file(tpath("unprep.ptau"), u.b, u.n);
        bfree(&u);
        bfree(&s);
    }
    double t0 = now();
    int st = node_mjs(
        "snarkjs", "",
        "import * as s from \"%s/snarkjs/main.js\";\n"
        "import {writeFileSync} from \"fs\";\n"
        "const r = {};\n"
        "await s.powersOfTau.preparePhase2(\"unprep.ptau\", \"prep.ptau\");\n"
        "for (let i = 0; i < %d; i++) {\n"
        "  await s.zKey.newZKey(\"c\" + i + \".r1cs\", \"dev.ptau\", \"s\" + i + \".zkey\");\n"
        "  r[\"verify\" + i] = await s.zKey.verifyFromR1cs(\"c\" + i + \".r1cs\", \"dev.ptau\",\n"
        "    \"z\" + i + \".zkey\");\n"
        "}\n"
        "r.ptauverify = await s.powersOfTau.verify(\"dev.ptau\");\n"
        "writeFileSync(\"result.json\", JSON.stringify(r));\n"
        "process.exit(0);\n",
        nm, NC);
    diag("snarkjs: %.1f s", now() - t0);
    if (st != 0) {
        diag("snarkjs failed (exit %d)", st);
        diag_file("snarkjs.err", 2000);
        ok(0, "snarkjs ran");
        skip(2 + 2 * NC, "snarkjs failed");
        goto done;
    }
    ok(1, "snarkjs ran");
    buf_t r = load(tpath("result.json"));
    bput(&r, "", 1);
    const char *res = (const char *)r.b;
    diag("snarkjs results: %s", res);
    ok(files_equal(tpath("prep.ptau"), tpath("dev.ptau")),
       "snarkjs prepare phase2 of the dev file's sections 1..7 = the dev file, byte for byte");
    for (unsigned i = 0; i < NC; i++) {
        char a[64], b[64], key[32];
        snprintf(a, sizeof a, "s%u.zkey", i);
        snprintf(b, sizeof b, "z%u.zkey", i);
        ok(files_equal(tpath(a), tpath(b)),
           "%s: snarkjs groth16 setup on the dev ptau = zk_groth16_setup + zk_zkey_write",
           names[i]);
        snprintf(key, sizeof key, "\"verify%u\":true", i);
        ok(strstr(res, key) != NULL, "%s: snarkjs zkey verify accepts the key", names[i]);
    }
    ok(strstr(res, "\"ptauverify\":false") != NULL,
       "snarkjs powersoftau verify rejects the dev file (no contribution record)");
    bfree(&r);
done:
    for (unsigned i = 0; i < NC; i++) {
        zk_zkey_free(keys[i]);
        circuit_free(&cs[i]);
    }
}

int main(void)
{
    if (sodium_init() < 0)
        bail_out("sodium_init");
    testdir_make("zkpar-ptau-dev");
    if (zk_pool_new(&g_pool, 2) != ZK_OK)
        bail_out("pool");

    test_file();
    test_small_and_errors();
    test_groth16(interop_dir("snarkjs/src/powersoftau_preparephase2.js"));

    zk_pool_free(g_pool);
    dir_clear();
    testdir_remove();
    return done_testing();
}
