/*
 * test_gposeidon.c -- the Poseidon gadget (lib/gadgets/poseidon) against
 * the native zk_poseidon and circomlib's circuit:
 *
 *  - for every width (1..6 inputs): the in-circuit value equals
 *    zk_poseidon on random inputs, SHAPE = WITNESS (zk_cs_check_modes),
 *    the witness satisfies the system, and the constraint count equals
 *    circomlib's Poseidon(n) compiled by circom --O2 (numbers below);
 *  - every intermediate variable (x2, x4, x5, and the partial rounds' u)
 *    tampered in turn is caught at the constraint that defines it, with
 *    its scope path; a tampered output and a tampered input are caught;
 *  - PoseidonEx (several outputs, non-constant initial state), constant
 *    and multi-term inputs (the constant S-box path), zk_g_poseidon_assert
 *    (right and wrong expected values, one constraint fewer than hash +
 *    equality), WITNESS_ONLY mode, per-scope counts, arena discipline;
 *  - argument errors and allocation failures are sticky and clean;
 *  - the exported .r1cs/.wtns pair passes `snarkjs wtns check` (when node
 *    and tests/interop are there).
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "field/fr.h"
#include "gadgets/poseidon.h"
#include "hash/poseidon.h"
#include "r1cs/cs.h"
#include "tap.h"
#include "testfile.h"

#define NMAX ZK_POSEIDON_MAX_INPUTS

/*
 * circomlib 2.0.5's Poseidon(n) compiled by circom 2.2.3 (the pinned
 * tests/interop/node_modules/circom2 WASM build) with --O2: for each n,
 *     pragma circom 2.0.0; include "poseidon.circom";
 *     component main = Poseidon(n);
 * compiled with `node circom2/cli.js p.circom --r1cs --O2`, which printed
 * "non-linear constraints: N, linear constraints: 0" with these N (and
 * wires 215, 243, 265, 302, 327, 361, which the gadget's circuit below
 * also has: ONE + n inputs + one variable per constraint).
 */
static const size_t CIRCOM_O2[NMAX + 1] = {0, 213, 240, 261, 297, 321, 354};
static const size_t CIRCOM_WIRES[NMAX + 1] = {0, 215, 243, 265, 302, 327, 361};

static zk_cs *new_cs(zk_cs_mode mode)
{
    zk_cs *cs;
    if (zk_cs_new(&cs, mode) != ZK_OK)
        bail_out("zk_cs_new");
    return cs;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* --------------------------------------------------- the basic circuit */

typedef struct {
    size_t n;
    zk_fr in[NMAX];
} hctx;

/* Private inputs in[0..n), the gadget, and a public output bound to the
 * hash (one more constraint, the last one). */
static int build_hash(zk_cs *cs, void *vctx)
{
    hctx *c = vctx;
    zk_lc in[NMAX], h;
    for (size_t i = 0; i < c->n; i++)
        in[i] = zk_lc_var(cs, zk_cs_alloc_prv_in(cs, &c->in[i]));
    (void)zk_g_poseidon(cs, &h, in, c->n);
    (void)zk_cs_output(cs, h);
    return zk_cs_err(cs);
}

static void random_ctx(hctx *c, size_t n)
{
    c->n = n;
    for (size_t i = 0; i < n; i++)
        zk_fr_random(&c->in[i]);
}

static int satisfied(const zk_cs *cs, size_t *bad, char *path, size_t len)
{
    return zk_cs_is_satisfied(cs, bad, path, len) == ZK_OK;
}

/* The scope path that constraint i of a plain Poseidon(n) must carry. */
static const char *expected_path(size_t n, size_t i)
{
    const zk_poseidon_params *p = zk_poseidon_params_get(n + 1);
    size_t first = 3 * (4 * p->t - 1), partial = 3 * (size_t)p->rounds_p;
    if (i < first)
        return "poseidon/full";
    if (i < first + partial)
        return "poseidon/partial";
    return "poseidon/full";
}

static void test_widths(void)
{
    for (size_t n = 1; n <= NMAX; n++) {
        hctx c;
        random_ctx(&c, n);
        size_t diff = 0;
        is_int(zk_cs_check_modes(build_hash, &c, &diff), ZK_OK,
               "Poseidon(%zu): SHAPE = WITNESS", n);

        zk_cs *cs = new_cs(ZK_CS_WITNESS);
        if (build_hash(cs, &c) != ZK_OK)
            bail_out("build");
        zk_fr mine, ref;
        zk_cs_val(&mine, cs, (zk_var){(uint32_t)zk_cs_n_vars(cs) - 1});
        if (zk_poseidon(&ref, c.in, n) != ZK_OK)
            bail_out("zk_poseidon");
        ok(zk_fr_eq(&mine, &ref), "Poseidon(%zu): circuit value = zk_poseidon", n);
        ok(satisfied(cs, NULL, NULL, 0), "Poseidon(%zu): witness satisfies", n);
        size_t k = zk_cs_n_constraints(cs) - 1; /* minus the output binding */
        is_int((long long)k, (long long)CIRCOM_O2[n],
               "Poseidon(%zu): %zu constraints = circom --O2 on circomlib", n, k);
        ok(zk_g_poseidon_constraints(n) == CIRCOM_O2[n],
           "zk_g_poseidon_constraints(%zu) = %zu", n, CIRCOM_O2[n]);
        /* ONE + n inputs + k gadget variables, and the public output */
        ok(zk_cs_n_vars(cs) - 1 == CIRCOM_WIRES[n],
           "Poseidon(%zu): %zu wires = circom's", n, zk_cs_n_vars(cs) - 1);
        diag("Poseidon(%zu): %zu constraints, %zu stored terms", n, k,
             zk_cs_n_terms(cs));

        /* Per-scope counts. */
        zk_cs_scope_stat *st;
        size_t ns;
        if (zk_cs_scope_report(&st, &ns, cs) != ZK_OK)
            bail_out("scope report");
        const zk_poseidon_params *p = zk_poseidon_params_get(n + 1);
        size_t want_full = 3 * (8 * (size_t)p->t - 1),
               want_part = 3 * (size_t)p->rounds_p;
        int seen = 0, good = 1;
        for (size_t i = 0; i < ns; i++) {
            if (!strcmp(st[i].path, "poseidon")) {
                seen++;
                good &= st[i].n_constraints_total == CIRCOM_O2[n] &&
                        st[i].n_vars_total == CIRCOM_O2[n] &&
                        st[i].n_constraints == 0;
            } else if (!strcmp(st[i].path, "poseidon/full")) {
                seen++;
                good &= st[i].n_constraints_total == want_full;
            } else if (!strcmp(st[i].path, "poseidon/partial")) {
                seen++;
                good &= st[i].n_constraints_total == want_part;
            }
        }
        ok(seen == 3 && good,
           "Poseidon(%zu): scopes poseidon = %zu, /full = %zu, /partial = %zu",
           n, CIRCOM_O2[n], want_full, want_part);
        free(st);
        zk_cs_free(cs);
    }
}

/* Every gadget variable tampered in turn fails first at the constraint
 * that defines it (one variable per constraint, in order), under the
 * right scope; restoring it restores satisfaction.  Then the output. */
static void test_tamper(void)
{
    for (size_t n = 1; n <= NMAX; n++) {
        hctx c;
        random_ctx(&c, n);
        zk_cs *cs = new_cs(ZK_CS_WITNESS);
        if (build_hash(cs, &c) != ZK_OK)
            bail_out("build");
        size_t k = zk_cs_n_constraints(cs) - 1, bad_at = SIZE_MAX;
        int all = 1;
        char path[256], why[300] = "";
        zk_fr one;
        zk_fr_one(&one);
        for (size_t i = 0; i < k && all; i++) {
            zk_var v = {(uint32_t)(1 + n + i)};
            zk_fr old, t;
            zk_cs_val(&old, cs, v);
            zk_fr_add(&t, &old, &one);
            zk_cs_set(cs, v, &t);
            size_t bad = SIZE_MAX;
            int rc = zk_cs_is_satisfied(cs, &bad, path, sizeof path);
            if (rc != ZK_EVERIFY || bad != i ||
                strcmp(path, expected_path(n, i)) != 0) {
                all = 0;
                bad_at = i;
                snprintf(why, sizeof why, "rc %d bad %zu path %s", rc, bad, path);
            }
            zk_cs_set(cs, v, &old);
        }
        ok(all, "Poseidon(%zu): each of the %zu variables tampered is caught "
                "at its own constraint and scope%s%s",
           n, k, all ? "" : ": failed at ", all ? "" : why);
        if (!all)
            diag("first miss at variable %zu", bad_at);
        ok(satisfied(cs, NULL, NULL, 0), "Poseidon(%zu): restored witness satisfies", n);

        /* The public output. */
        zk_var out = {(uint32_t)zk_cs_n_vars(cs) - 1};
        zk_fr ov, t;
        zk_cs_val(&ov, cs, out);
        zk_fr_add(&t, &ov, &one);
        zk_cs_set(cs, out, &t);
        size_t bad = 0;
        path[0] = 'x';
        int rc = zk_cs_is_satisfied(cs, &bad, path, sizeof path);
        ok(rc == ZK_EVERIFY && bad == k && path[0] == '\0',
           "Poseidon(%zu): a tampered output fails at the output binding "
           "(constraint %zu, root scope)", n, bad);
        zk_cs_set(cs, out, &ov);

        /* An input: caught at the first S-box reading it. */
        zk_var in0 = {1};
        zk_fr iv;
        zk_cs_val(&iv, cs, in0);
        zk_fr_add(&t, &iv, &one);
        zk_cs_set(cs, in0, &t);
        rc = zk_cs_is_satisfied(cs, &bad, path, sizeof path);
        ok(rc == ZK_EVERIFY && bad == 0 && !strcmp(path, "poseidon/full"),
           "Poseidon(%zu): a tampered input fails at the first S-box (%zu, %s)",
           n, bad, path);
        zk_cs_free(cs);
    }
}

/* ------------------------------------------- PoseidonEx and LC inputs */

typedef struct {
    size_t n, n_out;
    int with_init;
    zk_fr in[NMAX], init;
} exctx;

static int build_ex(zk_cs *cs, void *vctx)
{
    exctx *c = vctx;
    zk_lc in[NMAX], init, out[NMAX + 1];
    for (size_t i = 0; i < c->n; i++)
        in[i] = zk_lc_var(cs, zk_cs_alloc_prv_in(cs, &c->in[i]));
    init = zk_lc_var(cs, zk_cs_alloc_prv_in(cs, &c->init));
    (void)zk_g_poseidon_ex(cs, out, c->n_out, in, c->n,
                           c->with_init ? &init : NULL);
    for (size_t i = 0; i < c->n_out; i++)
        (void)zk_cs_output(cs, out[i]);
    return zk_cs_err(cs);
}

static void test_ex(void)
{
    for (size_t n = 1; n <= NMAX; n++) {
        for (int wi = 0; wi < 2; wi++) {
            exctx c = {.n = n, .n_out = n + 1, .with_init = wi};
            for (size_t i = 0; i < n; i++)
                zk_fr_random(&c.in[i]);
            zk_fr_random(&c.init);
            size_t diff;
            int modes = zk_cs_check_modes(build_ex, &c, &diff);
            zk_cs *cs = new_cs(ZK_CS_WITNESS);
            if (build_ex(cs, &c) != ZK_OK)
                bail_out("build ex");
            zk_fr ref[NMAX + 1];
            if (zk_poseidon_ex(ref, n + 1, c.in, n, wi ? &c.init : NULL) != ZK_OK)
                bail_out("zk_poseidon_ex");
            int eq = 1;
            size_t nv = zk_cs_n_vars(cs);
            for (size_t i = 0; i < n + 1; i++) {
                zk_fr v;
                /* outputs are the last n + 1 variables */
                zk_cs_val(&v, cs, (zk_var){(uint32_t)(nv - (n + 1) + i)});
                eq &= zk_fr_eq(&v, &ref[i]);
            }
            size_t k = zk_cs_n_constraints(cs) - (n + 1);
            size_t want = CIRCOM_O2[n] + (wi ? 3 : 0);
            ok(modes == ZK_OK && eq && satisfied(cs, NULL, NULL, 0) && k == want,
               "PoseidonEx(%zu, %zu)%s: all %zu outputs = zk_poseidon_ex, "
               "modes agree, satisfied, %zu constraints (want %zu)",
               n, n + 1, wi ? " with a variable initial state" : "", n + 1, k, want);
            zk_cs_free(cs);
        }
    }
}

/* Constant inputs take the build-time S-box path: all-constant inputs
 * make no constraint at all and still give the right value; each
 * constant input saves its first-round S-box (3 constraints); inputs
 * that are sums of several terms work. */
static void test_lc_inputs(void)
{
    for (size_t n = 1; n <= NMAX; n++) {
        zk_fr v[NMAX], ref, got;
        for (size_t i = 0; i < n; i++)
            zk_fr_random(&v[i]);
        if (zk_poseidon(&ref, v, n) != ZK_OK)
            bail_out("zk_poseidon");
        for (int mode = 0; mode < 2; mode++) {
            zk_cs *cs = new_cs(mode ? ZK_CS_WITNESS : ZK_CS_SHAPE);
            zk_lc in[NMAX], h;
            for (size_t i = 0; i < n; i++)
                in[i] = zk_lc_const(cs, &v[i]);
            int rc = zk_g_poseidon(cs, &h, in, n);
            zk_fr cst;
            zk_var t0;
            int is_const = zk_lc_len(h) == 1 &&
                           zk_lc_get(&t0, &cst, cs, h, 0) == ZK_OK && t0.id == 0;
            ok(rc == ZK_OK && zk_cs_n_constraints(cs) == 0 &&
                   zk_cs_n_vars(cs) == 1 && is_const && zk_fr_eq(&cst, &ref),
               "Poseidon(%zu) of constants (%s): no constraint, the constant "
               "output is zk_poseidon's",
               n, mode ? "WITNESS" : "SHAPE");
            zk_cs_free(cs);
        }

        /* Mixed: input 0 constant, the others 3 a + b + 7 of two
         * variables (a, b chosen so the sum is v[i]). */
        zk_cs *cs = new_cs(ZK_CS_WITNESS);
        zk_lc in[NMAX], h;
        zk_fr three, seven;
        zk_fr_set_u64(&three, 3);
        zk_fr_set_u64(&seven, 7);
        in[0] = zk_lc_const(cs, &v[0]);
        for (size_t i = 1; i < n; i++) {
            zk_fr a, b;
            zk_fr_random(&a);
            zk_fr_mul(&b, &a, &three);
            zk_fr_sub(&b, &v[i], &b);
            zk_fr_sub(&b, &b, &seven); /* b = v - 3a - 7 */
            zk_var va = zk_cs_alloc_prv_in(cs, &a);
            zk_var vb = zk_cs_alloc_prv_in(cs, &b);
            in[i] = zk_lc_add_const(cs, zk_lc_add_var(cs, zk_lc_term(cs, va, &three), vb),
                                    &seven);
        }
        (void)zk_g_poseidon(cs, &h, in, n);
        zk_lc_eval(&got, cs, h);
        size_t want = n == 1 ? 0 : CIRCOM_O2[n] - 3;
        if (n == 1) {
            /* everything is constant: no constraints */
            ok(zk_fr_eq(&got, &ref) && zk_cs_n_constraints(cs) == 0,
               "Poseidon(1) of a constant: value, 0 constraints");
        } else {
            ok(zk_fr_eq(&got, &ref) && satisfied(cs, NULL, NULL, 0) &&
                   zk_cs_n_constraints(cs) == want,
               "Poseidon(%zu), input 0 constant, others 3a+b+7: value = "
               "zk_poseidon, satisfied, %zu constraints (want %zu)",
               n, zk_cs_n_constraints(cs), want);
        }
        zk_cs_free(cs);
    }
}

/* ------------------------------------------------- zk_g_poseidon_assert */

typedef struct {
    size_t n;
    zk_fr in[NMAX], expect;
} actx;

static int build_assert(zk_cs *cs, void *vctx)
{
    actx *c = vctx;
    zk_var e = zk_cs_alloc_pub_in(cs, &c->expect);
    zk_lc in[NMAX];
    for (size_t i = 0; i < c->n; i++)
        in[i] = zk_lc_var(cs, zk_cs_alloc_prv_in(cs, &c->in[i]));
    (void)zk_g_poseidon_assert(cs, zk_lc_var(cs, e), in, c->n);
    return zk_cs_err(cs);
}

static void test_assert(void)
{
    for (size_t n = 1; n <= NMAX; n++) {
        actx c = {.n = n};
        for (size_t i = 0; i < n; i++)
            zk_fr_random(&c.in[i]);
        if (zk_poseidon(&c.expect, c.in, n) != ZK_OK)
            bail_out("zk_poseidon");
        size_t diff;
        int modes = zk_cs_check_modes(build_assert, &c, &diff);
        zk_cs *cs = new_cs(ZK_CS_WITNESS);
        if (build_assert(cs, &c) != ZK_OK)
            bail_out("build assert");
        ok(modes == ZK_OK && satisfied(cs, NULL, NULL, 0) &&
               zk_cs_n_constraints(cs) == CIRCOM_O2[n] &&
               zk_cs_n_vars(cs) == 1 + 1 + n + CIRCOM_O2[n] - 1,
           "assert Poseidon(%zu) == expected: satisfied, modes agree, %zu "
           "constraints (the hash's), one variable fewer than the hash",
           n, zk_cs_n_constraints(cs));
        /* a wrong expected value fails at the last constraint */
        zk_fr one, t;
        zk_fr_one(&one);
        zk_fr_add(&t, &c.expect, &one);
        zk_cs_set(cs, (zk_var){1}, &t);
        size_t bad = 0;
        char path[128];
        int rc = zk_cs_is_satisfied(cs, &bad, path, sizeof path);
        ok(rc == ZK_EVERIFY && bad == CIRCOM_O2[n] - 1 &&
               !strcmp(path, "poseidon/full"),
           "assert Poseidon(%zu): expected + 1 fails at the folded S-box "
           "(%zu, %s)", n, bad, path);
        zk_cs_free(cs);

        /* the same with a wrong value from the start */
        zk_fr_add(&c.expect, &c.expect, &one);
        cs = new_cs(ZK_CS_WITNESS);
        if (build_assert(cs, &c) != ZK_OK)
            bail_out("build assert");
        ok(zk_cs_is_satisfied(cs, NULL, NULL, 0) == ZK_EVERIFY,
           "assert Poseidon(%zu) == wrong value: not satisfied", n);
        zk_cs_free(cs);
    }
    /* a constant expected value works too */
    zk_fr v[2], h;
    zk_fr_random(&v[0]);
    zk_fr_random(&v[1]);
    if (zk_poseidon(&h, v, 2) != ZK_OK)
        bail_out("zk_poseidon");
    zk_cs *cs = new_cs(ZK_CS_WITNESS);
    zk_lc in[2] = {zk_lc_var(cs, zk_cs_alloc_prv_in(cs, &v[0])),
                   zk_lc_var(cs, zk_cs_alloc_prv_in(cs, &v[1]))};
    ok(zk_g_poseidon_assert(cs, zk_lc_const(cs, &h), in, 2) == ZK_OK &&
           satisfied(cs, NULL, NULL, 0) && zk_cs_n_constraints(cs) == 240,
       "assert Poseidon(2) == a constant: satisfied, 240 constraints");
    zk_cs_free(cs);
}

/* ---------------------------------------------- modes, arena, errors */

static void test_modes_arena(void)
{
    hctx c;
    random_ctx(&c, 2);
    zk_cs *w = new_cs(ZK_CS_WITNESS), *o = new_cs(ZK_CS_WITNESS_ONLY);
    if (build_hash(w, &c) != ZK_OK || build_hash(o, &c) != ZK_OK)
        bail_out("build");
    zk_fr *ww, *ow;
    size_t nw, no;
    if (zk_cs_witness(&ww, &nw, w) != ZK_OK || zk_cs_witness(&ow, &no, o) != ZK_OK)
        bail_out("witness");
    ok(nw == no && !memcmp(ww, ow, nw * sizeof *ww) &&
           zk_cs_n_constraints(o) == zk_cs_n_constraints(w),
       "WITNESS_ONLY: the same witness and constraint count as WITNESS");
    free(ww);
    free(ow);
    zk_cs_free(w);
    zk_cs_free(o);

    /* The gadget leaves exactly its output above the caller's mark. */
    zk_cs *cs = new_cs(ZK_CS_WITNESS);
    zk_lc in[2] = {zk_lc_var(cs, zk_cs_alloc_prv_in(cs, &c.in[0])),
                   zk_lc_var(cs, zk_cs_alloc_prv_in(cs, &c.in[1]))};
    size_t m = zk_cs_mark(cs);
    zk_lc h;
    (void)zk_g_poseidon(cs, &h, in, 2);
    ok(zk_cs_mark(cs) == m + zk_lc_len(h) && h.off == m && zk_lc_len(h) == 3,
       "arena: only the 3-term output is left above the mark");
    /* and a chain of 50 hashes keeps it bounded */
    size_t mem0 = zk_cs_mem_bytes(cs);
    zk_lc cur = h;
    for (int i = 0; i < 50; i++) {
        zk_lc pair[2] = {cur, in[1]};
        (void)zk_g_poseidon(cs, &cur, pair, 2);
        zk_cs_release_keep(cs, m, &cur, 1); /* the previous output too */
    }
    zk_fr got, ref = c.in[0], pair[2];
    zk_lc_eval(&got, cs, cur);
    pair[0] = c.in[0];
    pair[1] = c.in[1];
    if (zk_poseidon(&ref, pair, 2) != ZK_OK)
        bail_out("zk_poseidon");
    for (int i = 0; i < 50; i++) {
        pair[0] = ref;
        pair[1] = c.in[1];
        if (zk_poseidon(&ref, pair, 2) != ZK_OK)
            bail_out("zk_poseidon");
    }
    ok(zk_fr_eq(&got, &ref) && satisfied(cs, NULL, NULL, 0) &&
           zk_cs_mark(cs) == m + 3,
       "a chain of 51 hashes (outputs as inputs): value, satisfied, arena "
       "back to one output");
    diag("51 hashes: %zu constraints, %zu terms, memory %zu -> %zu bytes",
         zk_cs_n_constraints(cs), zk_cs_n_terms(cs), mem0, zk_cs_mem_bytes(cs));
    zk_cs_free(cs);
}

static void test_errors(void)
{
    zk_lc in[NMAX + 1] = {0}, out[NMAX + 2];
    static const size_t bad_n[] = {0, NMAX + 1, 100};
    for (size_t i = 0; i < sizeof bad_n / sizeof *bad_n; i++) {
        zk_cs *cs = new_cs(ZK_CS_WITNESS);
        out[0] = (zk_lc){1, 1};
        int rc = zk_g_poseidon(cs, &out[0], in, bad_n[i]);
        ok(rc == ZK_EINVAL && zk_cs_err(cs) == ZK_EINVAL &&
               zk_cs_n_constraints(cs) == 0 && zk_lc_len(out[0]) == 0,
           "n = %zu: ZK_EINVAL, sticky, empty output, nothing built", bad_n[i]);
        zk_cs_free(cs);
    }
    zk_cs *cs = new_cs(ZK_CS_WITNESS);
    ok(zk_g_poseidon(cs, NULL, in, 2) == ZK_EINVAL && zk_cs_err(cs) == ZK_EINVAL,
       "out NULL: ZK_EINVAL (sticky)");
    zk_cs_free(cs);
    cs = new_cs(ZK_CS_WITNESS);
    ok(zk_g_poseidon(cs, out, NULL, 2) == ZK_EINVAL && zk_cs_err(cs) == ZK_EINVAL,
       "in NULL: ZK_EINVAL (sticky)");
    zk_cs_free(cs);
    cs = new_cs(ZK_CS_WITNESS);
    ok(zk_g_poseidon_ex(cs, out, 0, in, 2, NULL) == ZK_EINVAL &&
           zk_cs_err(cs) == ZK_EINVAL,
       "PoseidonEx n_out = 0: ZK_EINVAL");
    zk_cs_free(cs);
    cs = new_cs(ZK_CS_WITNESS);
    ok(zk_g_poseidon_ex(cs, out, 4, in, 2, NULL) == ZK_EINVAL &&
           zk_cs_err(cs) == ZK_EINVAL,
       "PoseidonEx n_out = t + 1: ZK_EINVAL");
    zk_cs_free(cs);
    cs = new_cs(ZK_CS_WITNESS);
    ok(zk_g_poseidon_assert(cs, zk_lc_zero(), in, 0) == ZK_EINVAL &&
           zk_cs_err(cs) == ZK_EINVAL,
       "assert with n = 0: ZK_EINVAL");
    zk_cs_free(cs);
    ok(zk_g_poseidon(NULL, out, in, 2) == ZK_EINVAL, "cs NULL: ZK_EINVAL");
    ok(zk_g_poseidon_constraints(0) == 0 && zk_g_poseidon_constraints(NMAX + 1) == 0,
       "zk_g_poseidon_constraints: 0 out of range");

    /* A stale input LC (beyond the arena) is the builder's ZK_EINVAL. */
    cs = new_cs(ZK_CS_WITNESS);
    zk_lc stale[2] = {{1000, 3}, {0, 0}};
    ok(zk_g_poseidon(cs, out, stale, 2) == ZK_EINVAL && zk_lc_len(out[0]) == 0,
       "a stale input LC: ZK_EINVAL, empty output");
    zk_cs_free(cs);

    /* A cs already in error: no-op, the error returned. */
    cs = new_cs(ZK_CS_WITNESS);
    zk_cs_pop(cs); /* pop at the root: ZK_EINVAL */
    zk_fr v;
    zk_fr_random(&v);
    zk_lc x = zk_lc_zero();
    ok(zk_g_poseidon(cs, out, &x, 1) == ZK_EINVAL && zk_cs_n_constraints(cs) == 0,
       "a cs in error: the sticky error, nothing built");
    zk_cs_free(cs);

    /* Allocation failure at many points: the error surfaces, no crash,
     * nothing leaks (under ASan). */
    hctx c;
    random_ctx(&c, 3);
    int clean = 1;
    uint64_t k;
    for (k = 0; k < 4000; k += 7) {
        cs = new_cs(ZK_CS_WITNESS);
        zk_cs_test_fail_alloc(cs, k);
        int rc = build_hash(cs, &c);
        if (rc == ZK_OK) {
            zk_cs_free(cs);
            break;
        }
        clean &= rc == ZK_ENOMEM && zk_cs_err(cs) == ZK_ENOMEM;
        zk_cs_free(cs);
    }
    ok(clean && k > 0, "allocation failures (every 7th of the first %llu): "
                       "ZK_ENOMEM, sticky", (unsigned long long)k);
}

/* --------------------------------------------------------- snarkjs */

static const char *interop_dir(void)
{
    static char dir[4096];
    const char *top = getenv("top_srcdir");
    snprintf(dir, sizeof dir, "%s/tests/interop/node_modules", top ? top : ".");
    char probe[4352];
    snprintf(probe, sizeof probe, "%s/snarkjs/cli.js", dir);
    if (!exists(probe) || system("node --version >/dev/null 2>&1") != 0)
        return NULL;
    static char abs[PATH_MAX];
    return realpath(dir, abs);
}

static void test_snarkjs(void)
{
    const char *nm = interop_dir();
    if (!nm) {
        skip(1, "node or tests/interop/node_modules/snarkjs not available");
        return;
    }
    hctx c;
    random_ctx(&c, 2);
    zk_cs *cs = new_cs(ZK_CS_WITNESS);
    if (build_hash(cs, &c) != ZK_OK)
        bail_out("build");
    if (zk_cs_write_r1cs(tpath("p.r1cs"), cs) != ZK_OK ||
        zk_cs_write_wtns(tpath("p.wtns"), cs) != ZK_OK)
        bail_out("export");
    char cmd[16384];
    snprintf(cmd, sizeof cmd,
             "node '%s/snarkjs/cli.js' wtns check '%s' '%s' > '%s' 2>&1", nm,
             tpath("p.r1cs"), tpath("p.wtns"), tpath("check.log"));
    int st = system(cmd);
    char *t = read_text(tpath("check.log"));
    ok(st == 0 && strstr(t, "WITNESS IS CORRECT"),
       "snarkjs wtns check accepts the exported Poseidon(2) pair");
    free(t);
    zk_cs_free(cs);
}

static void test_timing(void)
{
    hctx c;
    random_ctx(&c, 2);
    static const char *names[] = {"SHAPE", "WITNESS", "WITNESS_ONLY"};
    for (int mode = 0; mode < 3; mode++) {
        zk_cs *cs = new_cs((zk_cs_mode)mode);
        zk_lc in[2] = {zk_lc_var(cs, zk_cs_alloc_prv_in(cs, &c.in[0])),
                       zk_lc_var(cs, zk_cs_alloc_prv_in(cs, &c.in[1]))};
        const int N = 40;
        double t0 = now();
        for (int i = 0; i < N; i++) {
            size_t m = zk_cs_mark(cs);
            zk_lc h;
            (void)zk_g_poseidon(cs, &h, in, 2);
            zk_cs_release(cs, m);
        }
        diag("Poseidon(2) gadget, %s: %.0f us per hash", names[mode],
             (now() - t0) / N * 1e6);
        zk_cs_free(cs);
    }
}

int main(void)
{
    testdir_make("zkpar-gposeidon");
    test_widths();
    test_tamper();
    test_ex();
    test_lc_inputs();
    test_assert();
    test_modes_arena();
    test_errors();
    test_snarkjs();
    test_timing();
    dir_clear();
    testdir_remove();
    return done_testing();
}
