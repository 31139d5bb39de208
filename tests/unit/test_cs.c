/*
 * test_cs.c -- the constraint-system builder (lib/r1cs/cs): LC algebra
 * against a dense reference model, wire renumbering, SHAPE vs WITNESS
 * identity for small gadgets (and detection of gadgets that break the
 * rule), is_satisfied with the first failing constraint and its scope
 * path, per-scope counts, .r1cs/.wtns export and read-back, snarkjs
 * `wtns check` on the exported pair (when node and tests/interop are
 * there), sticky errors with fault injection at every allocation, and a
 * 10^5-constraint build whose timings are printed (not asserted).
 *
 * Files live in a mkdtemp directory removed at the end.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "field/fr.h"
#include "io/r1cs.h"
#include "io/wtns.h"
#include "r1cs/cs.h"
#include "tap.h"
#include "testfile.h"
#include "testnode.h"
#include "util/err.h"

/* ------------------------------------------------------------ helpers */

static uint64_t g_rng = 0x853c49e6748fea9bull;

static uint64_t rnd(void)
{
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 7;
    g_rng ^= g_rng << 17;
    return g_rng;
}

static zk_fr fr_u64(uint64_t v)
{
    zk_fr x;
    zk_fr_set_u64(&x, v);
    return x;
}

static zk_fr fr_i64(int64_t v)
{
    zk_fr x;
    zk_fr_set_u64(&x, v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v);
    if (v < 0)
        zk_fr_neg(&x, &x);
    return x;
}

/* A pointer to a temporary field element with value v (block scope). */
#define FRP(v) ((zk_fr[]){fr_u64(v)})

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static zk_cs *new_cs(zk_cs_mode mode)
{
    zk_cs *cs;
    if (zk_cs_new(&cs, mode) != ZK_OK)
        bail_out("zk_cs_new");
    return cs;
}

static int r1cs_equal(const zk_r1cs *x, const zk_r1cs *y)
{
    if (zk_r1cs_n_wires(x) != zk_r1cs_n_wires(y) ||
        zk_r1cs_n_pub_out(x) != zk_r1cs_n_pub_out(y) ||
        zk_r1cs_n_pub_in(x) != zk_r1cs_n_pub_in(y) ||
        zk_r1cs_n_prv_in(x) != zk_r1cs_n_prv_in(y) ||
        zk_r1cs_n_labels(x) != zk_r1cs_n_labels(y) ||
        zk_r1cs_n_constraints(x) != zk_r1cs_n_constraints(y) ||
        zk_r1cs_n_terms(x) != zk_r1cs_n_terms(y))
        return 0;
    size_t nlc = 3u * (size_t)zk_r1cs_n_constraints(x);
    const size_t *ox = zk_r1cs_lc_offsets(x), *oy = zk_r1cs_lc_offsets(y);
    for (size_t k = 0; k <= nlc; k++)
        if (ox[k] != oy[k])
            return 0;
    const zk_r1cs_term *tx = zk_r1cs_terms(x), *ty = zk_r1cs_terms(y);
    for (size_t i = 0; i < zk_r1cs_n_terms(x); i++)
        if (tx[i].wire != ty[i].wire || !zk_fr_eq(&tx[i].coeff, &ty[i].coeff))
            return 0;
    return 1;
}

/* --------------------------------------------------- gadgets under test */

/* The worked example of cs.h, verbatim. */
static zk_var mul_nonzero(zk_cs *cs, zk_lc x, zk_lc y)
{
    zk_cs_push(cs, "mul_nonzero");
    size_t m = zk_cs_mark(cs);
    zk_var z = zk_cs_mul(cs, x, y);
    zk_fr xv, xinv;
    zk_lc_eval(&xv, cs, x);
    if (zk_fr_inv(&xinv, &xv) != ZK_OK)
        zk_fr_zero(&xinv);
    zk_var inv = zk_cs_alloc(cs, &xinv);
    zk_cs_enforce(cs, x, zk_lc_var(cs, inv), zk_lc_const_u64(cs, 1));
    zk_cs_release(cs, m);
    zk_cs_pop(cs);
    return z;
}

static int build_example(zk_cs *cs, void *ctx)
{
    const zk_fr *in = ctx;
    zk_var out = zk_cs_alloc_pub_out(cs, NULL);
    zk_var x = zk_cs_alloc_pub_in(cs, &in[0]);
    zk_var y = zk_cs_alloc_prv_in(cs, &in[1]);
    zk_var z = mul_nonzero(cs, zk_lc_var(cs, x), zk_lc_var(cs, y));
    zk_fr zv;
    zk_cs_val(&zv, cs, z);
    zk_cs_set(cs, out, &zv);
    zk_cs_enforce_equal(cs, zk_lc_var(cs, out), zk_lc_var(cs, z));
    return zk_cs_err(cs);
}

/* x = sum bits[i] 2^i, each bit boolean: n + 1 constraints, n variables. */
static void num2bits(zk_cs *cs, zk_var *bits, zk_lc x, unsigned n)
{
    zk_cs_push(cs, "num2bits");
    size_t m = zk_cs_mark(cs);
    zk_fr xv, pow = fr_u64(1);
    uint64_t limbs[4];
    zk_lc_eval(&xv, cs, x);
    zk_fr_to_limbs(limbs, &xv);
    zk_lc sum = zk_lc_zero();
    for (unsigned i = 0; i < n; i++) {
        zk_fr b = fr_u64((limbs[i / 64] >> (i % 64)) & 1);
        bits[i] = zk_cs_alloc(cs, &b);
        zk_cs_assert_bool(cs, zk_lc_var(cs, bits[i]));
        sum = zk_lc_add_term(cs, sum, bits[i], &pow);
        zk_fr_dbl(&pow, &pow);
    }
    zk_cs_enforce_equal(cs, sum, x);
    zk_cs_release(cs, m);
    zk_cs_pop(cs);
}

/* circomlib IsZero: out = 1 - x*inv, x*out = 0.  Returns out as an LC
 * (kept above the caller's arena mark). */
static zk_lc is_zero(zk_cs *cs, zk_lc x)
{
    zk_cs_push(cs, "is_zero");
    size_t m = zk_cs_mark(cs);
    zk_fr xv, inv, outv;
    zk_lc_eval(&xv, cs, x);
    if (zk_fr_inv(&inv, &xv) != ZK_OK)
        zk_fr_zero(&inv);
    zk_fr_one(&outv);
    if (!zk_fr_is_zero(&xv))
        zk_fr_zero(&outv);       /* a value, not structure: allowed */
    zk_var vinv = zk_cs_alloc(cs, &inv);
    zk_var vout = zk_cs_alloc(cs, &outv);
    zk_lc one_minus = zk_lc_sub_var(cs, zk_lc_const_u64(cs, 1), vout);
    zk_cs_enforce(cs, x, zk_lc_var(cs, vinv), one_minus);
    zk_cs_enforce(cs, x, zk_lc_var(cs, vout), zk_lc_zero());
    zk_lc out = zk_lc_var(cs, vout);
    zk_cs_release_keep(cs, m, &out, 1);
    zk_cs_pop(cs);
    return out;
}

/* A toy Poseidon-like permutation on 3 LCs: full rounds (x^5 on every
 * element), partial rounds (x^5 on element 0 only, the others passed on
 * as LCs), an MDS-like mix by zk_lc_combine.  Returns state[0] as an LC.
 * Its native twin is toy_hash_native. */
#define TH_T 3
#define TH_RF 2
#define TH_RP 5

static zk_fr th_mds(unsigned i, unsigned j) { return fr_u64(1 + i + 2 * j + i * j); }
static zk_fr th_rc(unsigned r, unsigned i) { return fr_u64(1000 + 7 * r + i); }

static zk_lc sbox(zk_cs *cs, zk_lc x)
{
    zk_var x2 = zk_cs_mul(cs, x, x);
    zk_lc l2 = zk_lc_var(cs, x2);
    zk_var x4 = zk_cs_mul(cs, l2, l2);
    zk_var x5 = zk_cs_mul(cs, zk_lc_var(cs, x4), x);
    return zk_lc_var(cs, x5);
}

static zk_lc toy_hash(zk_cs *cs, zk_lc a, zk_lc b)
{
    zk_cs_push(cs, "poseidon");
    size_t m = zk_cs_mark(cs);
    zk_lc st[TH_T] = {a, b, zk_lc_zero()};
    for (unsigned r = 0; r < 2 * TH_RF + TH_RP; r++) {
        int full = r < TH_RF || r >= TH_RF + TH_RP;
        for (unsigned i = 0; i < TH_T; i++) {
            zk_fr c = th_rc(r, i);
            st[i] = zk_lc_add_const(cs, st[i], &c);
            if (full || i == 0)
                st[i] = sbox(cs, st[i]);
        }
        zk_lc ns[TH_T];
        for (unsigned i = 0; i < TH_T; i++) {
            zk_fr row[TH_T];
            for (unsigned j = 0; j < TH_T; j++)
                row[j] = th_mds(i, j);
            ns[i] = zk_lc_combine(cs, row, st, TH_T);
        }
        memcpy(st, ns, sizeof st);
    }
    zk_lc out = st[0];
    zk_cs_release_keep(cs, m, &out, 1);
    zk_cs_pop(cs);
    return out;
}

static void toy_hash_native(zk_fr *out, const zk_fr *a, const zk_fr *b)
{
    zk_fr st[TH_T] = {*a, *b, fr_u64(0)};
    for (unsigned r = 0; r < 2 * TH_RF + TH_RP; r++) {
        int full = r < TH_RF || r >= TH_RF + TH_RP;
        for (unsigned i = 0; i < TH_T; i++) {
            zk_fr c = th_rc(r, i), x2, x4;
            zk_fr_add(&st[i], &st[i], &c);
            if (full || i == 0) {
                zk_fr_sqr(&x2, &st[i]);
                zk_fr_sqr(&x4, &x2);
                zk_fr_mul(&st[i], &x4, &st[i]);
            }
        }
        zk_fr ns[TH_T];
        for (unsigned i = 0; i < TH_T; i++) {
            zk_fr_zero(&ns[i]);
            for (unsigned j = 0; j < TH_T; j++) {
                zk_fr m = th_mds(i, j), t;
                zk_fr_mul(&t, &m, &st[j]);
                zk_fr_add(&ns[i], &ns[i], &t);
            }
        }
        memcpy(st, ns, sizeof st);
    }
    *out = st[0];
}

/* A scoped circuit: chunk/tx[i]/{merkle/poseidon, range/num2bits}. */
typedef struct {
    unsigned n_tx;
    zk_fr leaf[8], sib[8][3], amount[8];
    /* filled while building */
    zk_var probe;          /* first variable of tx[probe_tx]'s 2nd hash */
    size_t probe_cons;     /* the constraint that defines it */
    unsigned probe_tx;
} chunk_ctx;

static int build_chunk(zk_cs *cs, void *vctx)
{
    chunk_ctx *c = vctx;
    zk_fr root_val;
    zk_var root_out = zk_cs_alloc_pub_out(cs, NULL);
    zk_cs_push(cs, "chunk");
    zk_lc acc = zk_lc_zero();
    size_t m0 = zk_cs_mark(cs);
    for (unsigned t = 0; t < c->n_tx; t++) {
        zk_cs_pushf(cs, "tx[%u]", t);
        size_t m = zk_cs_mark(cs);
        zk_var leaf = zk_cs_alloc_prv_in(cs, &c->leaf[t]);
        zk_lc cur = zk_lc_var(cs, leaf);
        zk_cs_push(cs, "merkle");
        for (unsigned l = 0; l < 3; l++) {
            zk_var s = zk_cs_alloc_prv_in(cs, &c->sib[t][l]);
            if (t == c->probe_tx && l == 1) {
                c->probe = (zk_var){(uint32_t)zk_cs_n_vars(cs)};
                c->probe_cons = zk_cs_n_constraints(cs);
            }
            cur = toy_hash(cs, cur, zk_lc_var(cs, s));
        }
        zk_cs_pop(cs);
        zk_cs_push(cs, "range");
        zk_var bits[16];
        zk_var amt = zk_cs_alloc_prv_in(cs, &c->amount[t]);
        num2bits(cs, bits, zk_lc_var(cs, amt), 16);
        zk_cs_pop(cs);
        zk_lc keep[2] = {zk_lc_add(cs, acc, cur), zk_lc_zero()};
        zk_cs_release_keep(cs, m, keep, 1);
        /* fold into one variable so acc stays short */
        acc = zk_lc_var(cs, zk_cs_to_var(cs, keep[0]));
        zk_cs_release_keep(cs, m0, &acc, 1);
        zk_cs_pop(cs);
    }
    zk_cs_pop(cs);
    zk_lc_eval(&root_val, cs, acc);
    zk_cs_set(cs, root_out, &root_val);
    zk_cs_enforce_equal(cs, zk_lc_var(cs, root_out), acc);
    return zk_cs_err(cs);
}

static void chunk_init(chunk_ctx *c, unsigned n_tx)
{
    memset(c, 0, sizeof *c);
    c->n_tx = n_tx;
    c->probe_tx = n_tx > 3 ? 3 : n_tx - 1;
    for (unsigned t = 0; t < n_tx; t++) {
        zk_fr_random(&c->leaf[t]);
        for (unsigned l = 0; l < 3; l++)
            zk_fr_random(&c->sib[t][l]);
        c->amount[t] = fr_u64(rnd() & 0xffff);
    }
}

/* Gadgets that break THE RULE. */
static int bad_branch(zk_cs *cs, void *ctx)
{
    const zk_fr *x = ctx;
    zk_var v = zk_cs_alloc_prv_in(cs, x);
    zk_cs_enforce(cs, zk_lc_var(cs, v), zk_lc_var(cs, v),
                  zk_lc_var(cs, zk_cs_mul(cs, zk_lc_var(cs, v),
                                          zk_lc_var(cs, v))));
    if (!zk_fr_is_zero(x) && zk_cs_has_values(cs))  /* structure from a value */
        zk_cs_assert_bool(cs, zk_lc_var(cs, v));
    zk_cs_assert_bool(cs, zk_lc_const_u64(cs, 1));
    return zk_cs_err(cs);
}

static int bad_coeff(zk_cs *cs, void *ctx)
{
    const zk_fr *x = ctx;
    zk_var v = zk_cs_alloc_prv_in(cs, x);
    zk_cs_assert_bool(cs, zk_lc_var(cs, v));
    zk_fr xv;
    zk_cs_val(&xv, cs, v);
    zk_fr_add(&xv, &xv, &xv);
    zk_lc l = zk_lc_add_const(cs, zk_lc_var(cs, v), &xv);
    zk_cs_enforce_equal(cs, l, zk_lc_var(cs, v));
    return zk_cs_err(cs);
}

static int bad_kind(zk_cs *cs, void *ctx)
{
    const zk_fr *x = ctx;
    zk_var v = zk_fr_is_odd(x) && zk_cs_has_values(cs)
                   ? zk_cs_alloc_pub_in(cs, x)
                   : zk_cs_alloc(cs, x);
    zk_cs_assert_bool(cs, zk_lc_var(cs, v));
    return zk_cs_err(cs);
}

static int bad_scope(zk_cs *cs, void *ctx)
{
    const zk_fr *x = ctx;
    zk_var v = zk_cs_alloc(cs, x);
    zk_cs_push(cs, zk_cs_has_values(cs) ? "a" : "b");
    zk_cs_assert_bool(cs, zk_lc_var(cs, v));
    zk_cs_pop(cs);
    return zk_cs_err(cs);
}

typedef struct {
    zk_fr x, y;
} two_fr;

static int build_gadgets(zk_cs *cs, void *ctx)
{
    two_fr *in = ctx;
    zk_var x = zk_cs_alloc_pub_in(cs, &in->x);
    zk_var y = zk_cs_alloc_prv_in(cs, &in->y);
    zk_var bits[64];
    zk_lc lx = zk_lc_var(cs, x), ly = zk_lc_var(cs, y);
    num2bits(cs, bits, ly, 64);
    zk_lc z = is_zero(cs, zk_lc_sub(cs, lx, ly));
    zk_lc h = toy_hash(cs, lx, ly);
    zk_cs_output(cs, zk_lc_add(cs, h, z));
    return zk_cs_err(cs);
}

/* ------------------------------------------------------------- tests */

static void test_new(void)
{
    zk_cs *cs = (zk_cs *)&cs;
    is_int(zk_cs_new(&cs, (zk_cs_mode)7), ZK_EINVAL, "zk_cs_new: bad mode");
    ok(cs == NULL, "zk_cs_new clears *out on error");
    is_int(zk_cs_new(NULL, ZK_CS_SHAPE), ZK_EINVAL, "zk_cs_new(NULL)");
    zk_cs_free(NULL);
    cs = new_cs(ZK_CS_WITNESS);
    zk_fr one;
    zk_cs_val(&one, cs, ZK_CS_ONE);
    ok(zk_cs_n_vars(cs) == 1 && zk_cs_n_constraints(cs) == 0 &&
       zk_fr_is_one(&one) && zk_cs_wire(cs, ZK_CS_ONE) == 0 &&
       zk_cs_err(cs) == 0 && zk_cs_mode_of(cs) == ZK_CS_WITNESS &&
       zk_cs_has_values(cs),
       "a new system holds ONE (value 1, wire 0) and nothing else");
    zk_cs_free(cs);
}

/* The dense model of an LC over NV variables. */
#define NV 12
typedef struct {
    zk_lc lc;
    zk_fr m[NV];
} model;

static int lc_matches(const zk_cs *cs, const model *x)
{
    zk_fr seen[NV];
    for (unsigned v = 0; v < NV; v++)
        zk_fr_zero(&seen[v]);
    uint32_t last = 0;
    for (size_t i = 0; i < zk_lc_len(x->lc); i++) {
        zk_var v;
        zk_fr c;
        if (zk_lc_get(&v, &c, cs, x->lc, i) != ZK_OK)
            return 0;
        if (v.id >= NV || zk_fr_is_zero(&c) || (i > 0 && v.id <= last))
            return 0;  /* not canonical */
        last = v.id;
        seen[v.id] = c;
    }
    for (unsigned v = 0; v < NV; v++)
        if (!zk_fr_eq(&seen[v], &x->m[v]))
            return 0;
    return 1;
}

static zk_fr rnd_coef(void)
{
    switch (rnd() % 6) {
    case 0: return fr_u64(0);
    case 1: return fr_u64(1);
    case 2: return fr_i64(-1);
    case 3: return fr_u64(rnd() % 5);
    default: {
        zk_fr c;
        zk_fr_random(&c);
        return c;
    }
    }
}

static void test_lc_algebra(void)
{
    zk_cs *cs = new_cs(ZK_CS_WITNESS);
    zk_var v[NV];
    v[0] = ZK_CS_ONE;
    for (unsigned i = 1; i < NV; i++) {
        zk_fr r;
        zk_fr_random(&r);
        v[i] = zk_cs_alloc(cs, &r);
    }
    zk_fr two = fr_u64(2), three = fr_u64(3), zero = fr_u64(0);

    /* Fixed cases. */
    zk_lc x = zk_lc_var(cs, v[3]);
    zk_lc x3 = zk_lc_add_term(cs, x, v[3], &two);
    zk_var gv;
    zk_fr gc;
    ok(zk_lc_len(x3) == 1 && zk_lc_get(&gv, &gc, cs, x3, 0) == ZK_OK &&
       gv.id == v[3].id && zk_fr_eq(&gc, &three),
       "x + 2x merges into the single term 3x");
    ok(zk_lc_len(x) == 1 && zk_lc_get(&gv, &gc, cs, x, 0) == ZK_OK &&
       zk_fr_is_one(&gc), "the input x is unchanged");
    ok(zk_lc_len(zk_lc_sub(cs, x3, zk_lc_scale(cs, x, &three))) == 0,
       "3x - 3x is the empty LC (zero coefficients are dropped)");
    ok(zk_lc_len(zk_lc_term(cs, v[4], &zero)) == 0 &&
       zk_lc_len(zk_lc_scale(cs, x3, &zero)) == 0 &&
       zk_lc_len(zk_lc_add_term(cs, x, v[5], &zero)) == 1,
       "0*v, 0*lc, lc + 0*v add no terms");
    zk_lc u = zk_lc_from_terms(cs, (zk_var[]){v[7], v[2], v[7], v[0], v[2]},
                               (zk_fr[]){two, three, three, two,
                                         fr_i64(-3)}, 5);
    ok(zk_lc_len(u) == 2 && zk_lc_get(&gv, &gc, cs, u, 0) == ZK_OK &&
       gv.id == 0 && zk_fr_eq(&gc, &two) &&
       zk_lc_get(&gv, &gc, cs, u, 1) == ZK_OK && gv.id == v[7].id &&
       zk_fr_eq(&gc, FRP(5)),
       "from_terms sorts, merges duplicates, drops the cancelled v2");
    is_int(zk_lc_get(&gv, &gc, cs, u, 2), ZK_EINVAL, "lc_get out of range");
    /* Evaluation. */
    zk_fr e, w7, want;
    zk_lc_eval(&e, cs, u);
    zk_cs_val(&w7, cs, v[7]);
    zk_fr_mul(&want, &w7, FRP(5));
    zk_fr_add(&want, &want, &two);
    ok(zk_fr_eq(&e, &want), "eval(2 + 5 v7) on the witness");
    /* Append in place keeps older handles valid. */
    size_t m = zk_cs_mark(cs);
    zk_lc s1 = zk_lc_var(cs, v[1]);
    zk_lc s2 = zk_lc_add_var(cs, s1, v[2]);
    zk_lc s3 = zk_lc_add_var(cs, s2, v[3]);
    ok(s2.off == s1.off && s3.off == s1.off && zk_lc_len(s1) == 1 &&
       zk_lc_len(s2) == 2 && zk_lc_len(s3) == 3 &&
       zk_cs_mark(cs) == m + 3,
       "ascending appends grow in place: 3 terms of arena for 3 LCs");
    zk_lc s2b = zk_lc_add_var(cs, s2, v[9]);  /* s2 no longer on top */
    ok(s2b.off != s2.off && zk_lc_len(s3) == 3 && zk_lc_len(s2b) == 3 &&
       zk_lc_get(&gv, &gc, cs, s3, 2) == ZK_OK && gv.id == v[3].id,
       "appending to an older LC copies and leaves the newer one intact");
    zk_cs_release(cs, m);
    is_int(zk_cs_mark(cs), m, "release returns the arena to the mark");

    /* Random differential test against the dense model. */
    model pool[16];
    size_t np = 0;
    int good = 1, canon = 1, immut = 1;
    size_t base = zk_cs_mark(cs);
    for (int step = 0; step < 6000 && good; step++) {
        model r;
        memset(&r, 0, sizeof r);
        unsigned op = (unsigned)(rnd() % 12);
        const model *a = np ? &pool[rnd() % np] : NULL;
        const model *b = np ? &pool[rnd() % np] : NULL;
        if (!a)
            op = 0;
        zk_fr c = rnd_coef();
        unsigned vi = (unsigned)(rnd() % NV);
        switch (op) {
        case 0:
            r.lc = zk_lc_term(cs, v[vi], &c);
            r.m[vi] = c;
            break;
        case 1:
            r = *a;
            r.lc = zk_lc_add_term(cs, a->lc, v[vi], &c);
            zk_fr_add(&r.m[vi], &r.m[vi], &c);
            break;
        case 2:
        case 3: {
            r.lc = op == 2 ? zk_lc_add(cs, a->lc, b->lc)
                           : zk_lc_sub(cs, a->lc, b->lc);
            for (unsigned k = 0; k < NV; k++)
                if (op == 2)
                    zk_fr_add(&r.m[k], &a->m[k], &b->m[k]);
                else
                    zk_fr_sub(&r.m[k], &a->m[k], &b->m[k]);
            break;
        }
        case 4:
            r.lc = zk_lc_add_scaled(cs, a->lc, &c, b->lc);
            for (unsigned k = 0; k < NV; k++) {
                zk_fr t;
                zk_fr_mul(&t, &c, &b->m[k]);
                zk_fr_add(&r.m[k], &a->m[k], &t);
            }
            break;
        case 5:
            r.lc = zk_lc_scale(cs, a->lc, &c);
            for (unsigned k = 0; k < NV; k++)
                zk_fr_mul(&r.m[k], &a->m[k], &c);
            break;
        case 6:
            r.lc = zk_lc_neg(cs, a->lc);
            for (unsigned k = 0; k < NV; k++)
                zk_fr_neg(&r.m[k], &a->m[k]);
            break;
        case 7:
            r = *a;
            r.lc = zk_lc_add_const(cs, a->lc, &c);
            zk_fr_add(&r.m[0], &r.m[0], &c);
            break;
        case 8: {
            zk_lc in[3];
            zk_fr cc[3];
            for (unsigned k = 0; k < 3; k++) {
                const model *p = &pool[rnd() % np];
                in[k] = p->lc;
                cc[k] = rnd_coef();
                for (unsigned q = 0; q < NV; q++) {
                    zk_fr t;
                    zk_fr_mul(&t, &cc[k], &p->m[q]);
                    zk_fr_add(&r.m[q], &r.m[q], &t);
                }
            }
            r.lc = zk_lc_combine(cs, cc, in, 3);
            break;
        }
        case 9: {
            zk_var vv[6];
            zk_fr cc[6];
            for (unsigned k = 0; k < 6; k++) {
                unsigned q = (unsigned)(rnd() % NV);
                vv[k] = v[q];
                cc[k] = rnd_coef();
                zk_fr_add(&r.m[q], &r.m[q], &cc[k]);
            }
            r.lc = zk_lc_from_terms(cs, vv, cc, 6);
            break;
        }
        case 10:
            r = *a;
            r.lc = zk_lc_add_var(cs, a->lc, v[vi]);
            zk_fr_add(&r.m[vi], &r.m[vi], FRP(1));
            break;
        default: {
            /* release everything but two pool entries */
            size_t i = rnd() % np, j = rnd() % np;
            zk_lc keep[2] = {pool[i].lc, pool[j].lc};
            model mi = pool[i], mj = pool[j];
            zk_cs_release_keep(cs, base, keep, 2);
            mi.lc = keep[0];
            mj.lc = keep[1];
            pool[0] = mi;
            pool[1] = mj;
            np = 2;
            if (zk_cs_mark(cs) != base + zk_lc_len(keep[0]) +
                                      zk_lc_len(keep[1]))
                good = 0;
            continue;
        }
        }
        if (!lc_matches(cs, &r)) {
            canon = 0;
            good = 0;
            diag("op %u at step %d disagrees with the model", op, step);
        }
        if (np < 16)
            pool[np++] = r;
        else
            pool[rnd() % 16] = r;
        for (size_t k = 0; k < np && good; k++)
            if (!lc_matches(cs, &pool[k])) {
                immut = 0;
                good = 0;
                diag("step %d (op %u) changed an earlier LC", step, op);
            }
        zk_fr ev, mv;
        zk_lc_eval(&ev, cs, r.lc);
        zk_fr_zero(&mv);
        for (unsigned k = 0; k < NV; k++) {
            zk_fr w, t;
            zk_cs_val(&w, cs, v[k]);
            zk_fr_mul(&t, &w, &r.m[k]);
            zk_fr_add(&mv, &mv, &t);
        }
        if (!zk_fr_eq(&ev, &mv)) {
            good = 0;
            diag("eval disagrees at step %d", step);
        }
    }
    ok(canon, "6000 random LC operations: canonical results equal to the "
              "dense model");
    ok(immut, "no operation changed any earlier LC (immutability)");
    ok(good, "evaluations, release_keep tops all as expected");
    is_int(zk_cs_err(cs), 0, "no error after the random run");
    zk_cs_free(cs);
}

static void test_wires(void)
{
    zk_cs *cs = new_cs(ZK_CS_WITNESS);
    /* Allocation order: internal, private, public in, internal, output,
     * private, public in, output. */
    zk_var i1 = zk_cs_alloc(cs, FRP(11));
    zk_var p1 = zk_cs_alloc_prv_in(cs, FRP(21));
    zk_var n1 = zk_cs_alloc_pub_in(cs, FRP(31));
    zk_var i2 = zk_cs_alloc(cs, FRP(12));
    zk_var o1 = zk_cs_alloc_pub_out(cs, FRP(41));
    zk_var p2 = zk_cs_alloc_prv_in(cs, FRP(22));
    zk_var n2 = zk_cs_alloc_pub_in(cs, FRP(32));
    ok(zk_cs_wire(cs, o1) == 1 && zk_cs_wire(cs, n1) == 2 &&
       zk_cs_wire(cs, n2) == 3 && zk_cs_wire(cs, p1) == 4 &&
       zk_cs_wire(cs, p2) == 5 && zk_cs_wire(cs, i1) == 6 &&
       zk_cs_wire(cs, i2) == 7,
       "wires: ONE, outputs, public inputs, private inputs, internals");
    zk_var o2 = zk_cs_alloc_pub_out(cs, FRP(42));  /* output last */
    ok(zk_cs_wire(cs, o1) == 1 && zk_cs_wire(cs, o2) == 2 &&
       zk_cs_wire(cs, n1) == 3 && zk_cs_wire(cs, i2) == 8 &&
       zk_cs_wire(cs, (zk_var){99}) == UINT32_MAX,
       "an output allocated last still gets wire 2; the rest shift");
    ok(zk_cs_n_pub_out(cs) == 2 && zk_cs_n_pub_in(cs) == 2 &&
       zk_cs_n_prv_in(cs) == 2 && zk_cs_n_public(cs) == 4 &&
       zk_cs_n_vars(cs) == 9, "counts by kind");
    /* c: 2*i1 + o2 - 3 n2 = p1 * ONE (values: 22+42-96 != 21: unsat on
     * purpose; we look at the wires). */
    zk_lc a = zk_lc_from_terms(cs, (zk_var[]){i1, o2, n2},
                               (zk_fr[]){fr_u64(2), fr_u64(1), fr_i64(-3)},
                               3);
    zk_cs_enforce(cs, a, zk_lc_const_u64(cs, 1), zk_lc_var(cs, p1));
    zk_r1cs *r = NULL;
    is_int(zk_cs_to_r1cs(&r, cs), ZK_OK, "to_r1cs");
    size_t n;
    const zk_r1cs_term *t = r ? zk_r1cs_lc(r, 0, 0, &n) : NULL;
    zk_fr m3 = fr_i64(-3), two = fr_u64(2);
    ok(r && zk_r1cs_n_pub_out(r) == 2 && zk_r1cs_n_pub_in(r) == 2 &&
       zk_r1cs_n_prv_in(r) == 2 && zk_r1cs_n_wires(r) == 9 && n == 3 &&
       t[0].wire == 2 && zk_fr_is_one(&t[0].coeff) && t[1].wire == 4 &&
       zk_fr_eq(&t[1].coeff, &m3) && t[2].wire == 7 &&
       zk_fr_eq(&t[2].coeff, &two),
       "r1cs: header counts, A renumbered to wires 2, 4, 7 and sorted");
    t = r ? zk_r1cs_lc(r, 0, 2, &n) : NULL;
    ok(t && n == 1 && t[0].wire == 5 && zk_fr_is_one(&t[0].coeff),
       "r1cs: C = p1 at wire 5");
    t = r ? zk_r1cs_lc(r, 0, 1, &n) : NULL;
    ok(t && n == 1 && t[0].wire == 0 && zk_fr_is_one(&t[0].coeff),
       "r1cs: B = ONE at wire 0");
    zk_fr *w = NULL;
    is_int(zk_cs_witness(&w, &n, cs), ZK_OK, "witness");
    static const uint64_t want[9] = {1, 41, 42, 31, 32, 21, 22, 11, 12};
    int same = w && n == 9;
    for (size_t k = 0; same && k < 9; k++) {
        zk_fr x = fr_u64(want[k]);
        same = zk_fr_eq(&w[k], &x);
    }
    ok(same, "witness in wire order: 1, outputs, inputs, private, internal");
    free(w);
    zk_r1cs_free(r);
    zk_cs_free(cs);
}

static void test_example(void)
{
    zk_fr in[2] = {fr_u64(3), fr_u64(4)};
    size_t diff = 99;
    is_int(zk_cs_check_modes(build_example, in, &diff), ZK_OK,
           "worked example: SHAPE and WITNESS systems identical");
    zk_cs *cs = new_cs(ZK_CS_WITNESS);
    is_int(build_example(cs, in), ZK_OK, "worked example builds");
    size_t bad = 99;
    char path[64];
    is_int(zk_cs_is_satisfied(cs, &bad, path, sizeof path), ZK_OK,
           "x = 3, y = 4 satisfies");
    zk_fr *w;
    size_t n;
    if (zk_cs_witness(&w, &n, cs) != ZK_OK)
        bail_out("witness");
    zk_fr twelve = fr_u64(12);
    ok(zk_cs_n_constraints(cs) == 3 && n == 6 && zk_fr_eq(&w[1], &twelve) &&
       zk_fr_eq(&w[2], &in[0]) && zk_fr_eq(&w[3], &in[1]),
       "3 constraints; public signals: out = 12 (wire 1), x = 3 (wire 2)");
    free(w);
    zk_cs_free(cs);

    in[0] = fr_u64(0);
    is_int(zk_cs_check_modes(build_example, in, &diff), ZK_OK,
           "x = 0: the same structure (no valid witness, same system)");
    cs = new_cs(ZK_CS_WITNESS);
    is_int(build_example(cs, in), ZK_OK, "x = 0 builds");
    is_int(zk_cs_is_satisfied(cs, &bad, path, sizeof path), ZK_EVERIFY,
           "x = 0 is rejected");
    ok(bad == 1 && strcmp(path, "mul_nonzero") == 0,
       "first bad: constraint 1 (x * inv = 1) in \"mul_nonzero\" (got %zu "
       "in \"%s\")", bad, path);
    zk_cs_free(cs);
}

static void test_shape_witness(void)
{
    two_fr in;
    size_t diff;
    int all = 1;
    for (int i = 0; i < 6; i++) {
        zk_fr_random(&in.x);
        in.y = i % 2 ? in.x : fr_u64(rnd());
        if (i == 5)
            in.x = in.y = fr_u64(0);
        diff = 99;
        int rc = zk_cs_check_modes(build_gadgets, &in, &diff);
        if (rc != ZK_OK) {
            all = 0;
            diag("input %d: rc %d, first diff %zu", i, rc, diff);
        }
    }
    ok(all, "num2bits(64) + is_zero + toy hash + output: SHAPE == WITNESS "
            "on 6 inputs (equal, unequal, zero)");

    /* Values: the toy hash LC equals its native twin; is_zero works. */
    zk_cs *cs = new_cs(ZK_CS_WITNESS);
    zk_fr_random(&in.x);
    zk_fr_random(&in.y);
    zk_var x = zk_cs_alloc_pub_in(cs, &in.x), y = zk_cs_alloc(cs, &in.y);
    zk_lc h = toy_hash(cs, zk_lc_var(cs, x), zk_lc_var(cs, y));
    zk_lc z1 = is_zero(cs, zk_lc_sub(cs, zk_lc_var(cs, x), zk_lc_var(cs, y)));
    zk_lc z2 = is_zero(cs, zk_lc_sub(cs, zk_lc_var(cs, x), zk_lc_var(cs, x)));
    zk_fr hv, nv, z1v, z2v;
    zk_lc_eval(&hv, cs, h);
    toy_hash_native(&nv, &in.x, &in.y);
    zk_lc_eval(&z1v, cs, z1);
    zk_lc_eval(&z2v, cs, z2);
    ok(zk_fr_eq(&hv, &nv), "toy hash in circuit (LCs through partial "
                           "rounds) equals its native twin");
    ok(zk_fr_is_zero(&z1v) && zk_fr_is_one(&z2v),
       "is_zero(x - y) = 0, is_zero(x - x) = 1");
    is_int(zk_cs_n_constraints(cs), 3 * (2 * TH_RF * TH_T + TH_RP) + 4,
           "toy hash: 3 per S-box (%d S-boxes), is_zero: 2 each",
           2 * TH_RF * TH_T + TH_RP);
    is_int(zk_cs_is_satisfied(cs, NULL, NULL, 0), ZK_OK, "satisfied");
    zk_cs_free(cs);

    /* Gadgets that break the rule are caught. */
    zk_fr five = fr_u64(5);
    diff = 99;
    is_int(zk_cs_check_modes(bad_branch, &five, &diff), ZK_EVERIFY,
           "a constraint added only for x != 0 is detected");
    is_int(diff, 2, "... at the first differing constraint (2)");
    diff = 99;
    is_int(zk_cs_check_modes(bad_coeff, &five, &diff), ZK_EVERIFY,
           "a coefficient computed from a value is detected");
    is_int(diff, 1, "... at constraint 1");
    diff = 99;
    is_int(zk_cs_check_modes(bad_kind, &five, &diff), ZK_EVERIFY,
           "a variable kind chosen from a value is detected");
    is_int(diff, 1, "... after the (equal) constraints: index 1");
    diff = 99;
    is_int(zk_cs_check_modes(bad_scope, &five, &diff), ZK_EVERIFY,
           "a scope name chosen from the mode is detected");
    is_int(diff, 0, "... at constraint 0");
    zk_fr two = fr_u64(2);
    is_int(zk_cs_check_modes(bad_kind, &two, &diff), ZK_OK,
           "(bad_kind happens to agree for an even input)");
    is_int(zk_cs_check_modes(NULL, NULL, &diff), ZK_EINVAL,
           "check_modes(NULL)");

    zk_cs *a = new_cs(ZK_CS_SHAPE), *b = new_cs(ZK_CS_WITNESS_ONLY);
    is_int(zk_cs_compare(a, b, &diff), ZK_EINVAL,
           "compare refuses WITNESS_ONLY (no constraints stored)");
    zk_cs_free(a);
    zk_cs_free(b);
}

static void test_satisfied_scopes(void)
{
    chunk_ctx c;
    chunk_init(&c, 5);
    size_t diff = 99;
    is_int(zk_cs_check_modes(build_chunk, &c, &diff), ZK_OK,
           "scoped chunk circuit: SHAPE == WITNESS");
    zk_cs *cs = new_cs(ZK_CS_WITNESS);
    is_int(build_chunk(cs, &c), ZK_OK, "chunk circuit builds");
    size_t bad = 99;
    char path[128];
    is_int(zk_cs_is_satisfied(cs, &bad, path, sizeof path), ZK_OK,
           "valid witness satisfies (%zu constraints)",
           zk_cs_n_constraints(cs));
    ok(strcmp(path, "") == 0, "no path when satisfied");

    /* Tamper with the first S-box output of tx[3]'s second hash. */
    zk_fr orig, x;
    zk_cs_val(&orig, cs, c.probe);
    zk_fr_add(&x, &orig, FRP(1));
    zk_cs_set(cs, c.probe, &x);
    is_int(zk_cs_is_satisfied(cs, &bad, path, sizeof path), ZK_EVERIFY,
           "tampered variable is caught");
    ok(bad == c.probe_cons, "first bad constraint is the one defining it "
                            "(%zu, expected %zu)", bad, c.probe_cons);
    is_str(path, "chunk/tx[3]/merkle/poseidon", "its scope path");
    char small[10];
    size_t full = zk_cs_constraint_path(small, sizeof small, cs, bad);
    ok(full == strlen("chunk/tx[3]/merkle/poseidon") &&
       strcmp(small, "chunk/tx[") == 0,
       "constraint_path truncates like snprintf (\"%s\", %zu)", small, full);
    ok(zk_cs_constraint_path(NULL, 0, cs, 0) ==
           strlen("chunk/tx[0]/merkle/poseidon") &&
       zk_cs_constraint_path(small, sizeof small, cs, 1u << 30) == 0 &&
       small[0] == '\0',
       "constraint_path: length only; out of range gives \"\"");
    zk_cs_set(cs, c.probe, &orig);
    is_int(zk_cs_is_satisfied(cs, NULL, NULL, 0), ZK_OK, "restored");

    /* The output: tamper the public output (wire 1). */
    zk_fr v1;
    zk_cs_val(&v1, cs, (zk_var){1});
    zk_fr_add(&x, &v1, FRP(1));
    zk_cs_set(cs, (zk_var){1}, &x);
    is_int(zk_cs_is_satisfied(cs, &bad, path, sizeof path), ZK_EVERIFY,
           "tampered public output is caught");
    ok(bad == zk_cs_n_constraints(cs) - 1 && strcmp(path, "") == 0,
       "... at the last constraint, in the root scope (%zu, \"%s\")", bad,
       path);
    zk_cs_set(cs, (zk_var){1}, &v1);

    zk_cs_free(cs);

    /* Scope report. */
    cs = new_cs(ZK_CS_SHAPE);
    if (build_chunk(cs, &c) != ZK_OK)
        bail_out("chunk in shape mode");
    zk_cs_scope_stat *st = NULL;
    size_t n = 0;
    is_int(zk_cs_scope_report(&st, &n, cs), ZK_OK, "scope report");
    /* root, chunk, 5 x (tx, merkle, poseidon, range, num2bits) */
    is_int(n, 2 + 5 * 5, "27 scopes (same name under one parent reused)");
    int tree = n > 0 && st[0].depth == 0 && st[0].parent == SIZE_MAX &&
               st[0].path[0] == '\0';
    uint64_t sum_c = 0, sum_v = 0;
    for (size_t i = 0; i < n && tree; i++) {
        sum_c += st[i].n_constraints;
        sum_v += st[i].n_vars;
        uint64_t kc = st[i].n_constraints, kv = st[i].n_vars;
        for (size_t j = i + 1; j < n; j++)
            if (st[j].parent == i) {
                kc += st[j].n_constraints_total;
                kv += st[j].n_vars_total;
            }
        if (kc != st[i].n_constraints_total || kv != st[i].n_vars_total)
            tree = 0;
        if (i > 0) {
            size_t p = st[i].parent;
            size_t pl = strlen(st[p].path);
            if (p >= i || st[i].depth != st[p].depth + 1 ||
                strncmp(st[i].path, st[p].path, pl) != 0 ||
                (pl > 0 && st[i].path[pl] != '/'))
                tree = 0;
        }
    }
    ok(tree, "pre-order, parents first, paths extend the parent's, every "
             "total = own + children's totals");
    ok(n > 0 && st[0].n_constraints_total == zk_cs_n_constraints(cs) &&
       sum_c == zk_cs_n_constraints(cs) &&
       st[0].n_vars_total == zk_cs_n_vars(cs) && sum_v == zk_cs_n_vars(cs),
       "root totals = system counts = sum over scopes (%llu constraints, "
       "%llu variables)", n ? (unsigned long long)st[0].n_constraints_total : 0,
       n ? (unsigned long long)st[0].n_vars_total : 0);
    int found = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(st[i].path, "chunk/tx[2]/range/num2bits") == 0)
            found |= (st[i].n_constraints == 17 && st[i].n_vars == 16) ? 1 : 0;
        if (strcmp(st[i].path, "chunk/tx[2]/merkle/poseidon") == 0)
            found |= (st[i].n_constraints ==
                          3u * 3 * (2 * TH_RF * TH_T + TH_RP) &&
                      st[i].n_vars == 3u * 3 * (2 * TH_RF * TH_T + TH_RP))
                         ? 2 : 0;
        if (strcmp(st[i].path, "chunk/tx[2]") == 0)
            found |= (st[i].n_constraints == 1 && st[i].n_vars == 2 &&
                      st[i].n_vars_total == 2 + 3 + 1 + 16 +
                          3u * 3 * (2 * TH_RF * TH_T + TH_RP)) ? 4 : 0;
    }
    is_int(found, 7, "num2bits(16): 17 constraints, 16 vars; 3 hashes: "
                     "3 * 3 * 17 each; tx[2] totals add up");
    free(st);
    zk_cs_free(cs);
}

static void test_scope_api(void)
{
    zk_cs *cs = new_cs(ZK_CS_WITNESS);
    char longname[300];
    memset(longname, 'n', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    zk_cs_pushf(cs, "%s[%d]", longname, 7);
    zk_cs_assert_bool(cs, zk_lc_const_u64(cs, 1));
    zk_cs_pop(cs);
    char path[400];
    size_t len = zk_cs_constraint_path(path, sizeof path, cs, 0);
    ok(len == 302 && strncmp(path, longname, 299) == 0 &&
       strcmp(path + 299, "[7]") == 0,
       "pushf with a 302-character name");
    zk_cs_push(cs, "a");
    zk_cs_push(cs, "b");
    zk_cs_assert_bool(cs, zk_lc_zero());
    zk_cs_pop(cs);
    zk_cs_pop(cs);
    zk_cs_push(cs, "a");
    zk_cs_push(cs, "b");
    zk_cs_assert_bool(cs, zk_lc_zero());
    zk_cs_pop(cs);
    zk_cs_pop(cs);
    zk_cs_scope_stat *st;
    size_t n;
    if (zk_cs_scope_report(&st, &n, cs) != ZK_OK)
        bail_out("report");
    ok(n == 4 && strcmp(st[3].path, "a/b") == 0 &&
       st[3].n_constraints == 2 && st[2].n_constraints_total == 2,
       "re-entering a/b charges the same scope");
    free(st);
    is_int(zk_cs_err(cs), 0, "no error so far");
    /* Many scopes (hash table growth). */
    for (unsigned i = 0; i < 3000; i++) {
        zk_cs_pushf(cs, "s%u", i % 1500);
        zk_cs_pushf(cs, "t%u", i);
        zk_cs_assert_bool(cs, zk_lc_zero());
        zk_cs_pop(cs);
        zk_cs_pop(cs);
    }
    if (zk_cs_scope_report(&st, &n, cs) != ZK_OK)
        bail_out("report");
    ok(n == 4 + 1500 + 3000 && st[0].n_constraints_total == 3003,
       "4500 more scopes (%zu)", n);
    int okp = 1;
    for (size_t i = 0; i < n; i++)
        if (strcmp(st[i].path, "s7") == 0)
            okp = st[i].n_constraints_total == 2 &&
                  strcmp(st[i + 1].path, "s7/t7") == 0 &&
                  strcmp(st[i + 2].path, "s7/t1507") == 0;
    ok(okp, "s7 holds t7 and t1507 in pre-order");
    free(st);

    zk_cs_push(cs, "x/y");
    is_int(zk_cs_err(cs), ZK_EINVAL, "'/' in a scope name is ZK_EINVAL");
    zk_cs_free(cs);
    cs = new_cs(ZK_CS_WITNESS);
    zk_cs_pop(cs);
    is_int(zk_cs_err(cs), ZK_EINVAL, "pop at the root is ZK_EINVAL");
    zk_cs_free(cs);
}

static void test_modes(void)
{
    chunk_ctx c;
    chunk_init(&c, 2);
    zk_cs *s = new_cs(ZK_CS_SHAPE), *w = new_cs(ZK_CS_WITNESS),
          *o = new_cs(ZK_CS_WITNESS_ONLY);
    if (build_chunk(s, &c) || build_chunk(w, &c) || build_chunk(o, &c))
        bail_out("build");
    zk_fr v, x = fr_u64(5);
    zk_cs_val(&v, s, (zk_var){3});
    zk_cs_set(s, (zk_var){3}, &x);
    zk_fr v0;
    zk_cs_val(&v0, s, ZK_CS_ONE);
    zk_fr *wv;
    size_t n;
    ok(zk_fr_is_zero(&v) && zk_fr_is_zero(&v0) && !zk_cs_has_values(s) &&
       zk_cs_err(s) == 0,
       "SHAPE: values read as 0 (ONE too); set is a no-op");
    is_int(zk_cs_witness(&wv, &n, s), ZK_EINVAL, "SHAPE: no witness");
    is_int(zk_cs_is_satisfied(s, NULL, NULL, 0), ZK_EINVAL,
           "SHAPE: no is_satisfied");
    ok(zk_cs_n_constraints(o) == zk_cs_n_constraints(w) &&
       zk_cs_n_vars(o) == zk_cs_n_vars(w) && zk_cs_n_terms(o) == 0 &&
       zk_cs_n_terms(w) > 0,
       "WITNESS_ONLY: counts equal, no terms stored");
    ok(zk_cs_mem_bytes(o) < zk_cs_mem_bytes(w) &&
       zk_cs_mem_bytes(s) < zk_cs_mem_bytes(w),
       "memory: witness-only %zu, shape %zu < witness %zu bytes",
       zk_cs_mem_bytes(o), zk_cs_mem_bytes(s), zk_cs_mem_bytes(w));
    zk_r1cs *r = (zk_r1cs *)&r;
    is_int(zk_cs_to_r1cs(&r, o), ZK_EINVAL, "WITNESS_ONLY: no r1cs");
    ok(r == NULL, "to_r1cs clears *out on error");
    is_int(zk_cs_is_satisfied(o, NULL, NULL, 0), ZK_EINVAL,
           "WITNESS_ONLY: no is_satisfied");
    zk_fr *w1, *w2;
    size_t n1, n2;
    int rc1 = zk_cs_witness(&w1, &n1, w), rc2 = zk_cs_witness(&w2, &n2, o);
    ok(rc1 == ZK_OK && rc2 == ZK_OK && n1 == n2 &&
       memcmp(w1, w2, n1 * sizeof *w1) == 0,
       "WITNESS_ONLY witness equals the WITNESS one");
    if (rc1 == ZK_OK)
        free(w1);
    if (rc2 == ZK_OK)
        free(w2);
    zk_cs_scope_stat *st;
    size_t ns;
    ok(zk_cs_scope_report(&st, &ns, o) == ZK_OK &&
       st[0].n_constraints_total == zk_cs_n_constraints(w),
       "WITNESS_ONLY still counts per scope");
    free(st);
    zk_cs_free(s);
    zk_cs_free(w);
    zk_cs_free(o);
}

/* ------------------------------------------------------- export, node */

/* Exit status of `snarkjs wtns check r1cs wtns`, output in check.log. */
static int wtns_check(const char *nm, const char *r1cs, const char *wtns)
{
    return sh_run("check.log", "node '%s/snarkjs/cli.js' wtns check '%s' '%s'", nm, r1cs,
                  wtns);
}

static int log_has(const char *s)
{
    char *t = read_text(tpath("check.log"));
    int r = strstr(t, s) != NULL;
    free(t);
    return r;
}

static void test_export(void)
{
    chunk_ctx c;
    chunk_init(&c, 2);
    zk_cs *w = new_cs(ZK_CS_WITNESS), *s = new_cs(ZK_CS_SHAPE),
          *o = new_cs(ZK_CS_WITNESS_ONLY);
    if (build_chunk(w, &c) || build_chunk(s, &c) || build_chunk(o, &c))
        bail_out("build");
    is_int(zk_cs_write_r1cs(tpath("w.r1cs"), w), ZK_OK, "write r1cs");
    is_int(zk_cs_write_wtns(tpath("w.wtns"), w), ZK_OK, "write wtns");
    is_int(zk_cs_write_r1cs(tpath("s.r1cs"), s), ZK_OK,
           "write r1cs (SHAPE)");
    is_int(zk_cs_write_wtns(tpath("o.wtns"), o), ZK_OK,
           "write wtns (WITNESS_ONLY)");
    ok(files_equal(tpath("w.r1cs"), tpath("s.r1cs")),
       "SHAPE and WITNESS .r1cs files are byte-identical");
    ok(files_equal(tpath("w.wtns"), tpath("o.wtns")),
       "WITNESS_ONLY and WITNESS .wtns files are byte-identical");
    is_int(zk_cs_write_wtns(tpath("s.wtns"), s), ZK_EINVAL,
           "no .wtns from SHAPE");
    is_int(zk_cs_write_r1cs(tpath("o.r1cs"), o), ZK_EINVAL,
           "no .r1cs from WITNESS_ONLY");
    ok(!exists(tpath("s.wtns")) && !exists(tpath("o.r1cs")),
       "no file left for a refused export");
    is_int(zk_cs_write_r1cs(NULL, w), ZK_EINVAL, "write_r1cs(NULL)");
    is_int(zk_cs_write_wtns(tpath("nodir/x.wtns"), w), ZK_EIO,
           "write into a missing directory");

    zk_r1cs *mem = NULL, *back = NULL;
    zk_fr *wv = NULL, *wback = NULL;
    size_t n = 0, nback = 0;
    int rc = zk_cs_to_r1cs(&mem, w);
    int rc2 = zk_r1cs_read(&back, tpath("w.r1cs"));
    ok(rc == ZK_OK && rc2 == ZK_OK && r1cs_equal(mem, back),
       "r1cs read back equals the in-memory export");
    ok(back && zk_r1cs_n_constraints(back) == zk_cs_n_constraints(w) &&
       zk_r1cs_n_wires(back) == zk_cs_n_vars(w) &&
       zk_r1cs_n_pub_out(back) == 1 && zk_r1cs_n_pub_in(back) == 0 &&
       zk_r1cs_n_prv_in(back) == 2 * 5 &&
       zk_r1cs_n_terms(back) == zk_cs_n_terms(w),
       "read-back counts: %zu constraints, %zu wires, 1 output, 10 private",
       zk_cs_n_constraints(w), zk_cs_n_vars(w));
    rc = zk_cs_witness(&wv, &n, w);
    rc2 = zk_wtns_read(&wback, &nback, tpath("w.wtns"));
    ok(rc == ZK_OK && rc2 == ZK_OK && n == nback &&
       memcmp(wv, wback, n * sizeof *wv) == 0,
       "wtns read back equals zk_cs_witness");
    size_t bad = 99;
    ok(back && wback && zk_r1cs_is_satisfied(back, wback, nback, &bad) ==
                            ZK_OK,
       "zk_r1cs_is_satisfied accepts the exported pair");
    /* Tamper with one private input in both views. */
    zk_var leaf = {2};  /* output 1 first, then tx[0]'s leaf */
    uint32_t wire = zk_cs_wire(w, leaf);
    zk_fr t;
    zk_cs_val(&t, w, leaf);
    zk_fr_add(&t, &t, FRP(1));
    zk_cs_set(w, leaf, &t);
    size_t bad_cs = 98;
    char path[128];
    rc = zk_cs_is_satisfied(w, &bad_cs, path, sizeof path);
    if (wback)
        wback[wire] = t;
    rc2 = wback ? zk_r1cs_is_satisfied(back, wback, nback, &bad) : -100;
    ok(rc == ZK_EVERIFY && rc2 == ZK_EVERIFY && bad == bad_cs &&
       wire == 1 + 1 + 0 && strcmp(path, "chunk/tx[0]/merkle/poseidon") == 0,
       "tampered leaf (wire %u): both checks fail at constraint %zu (\"%s\")",
       wire, bad, path);
    is_int(zk_cs_write_wtns(tpath("bad.wtns"), w), ZK_OK,
           "write the tampered wtns");

    const char *nm = interop_dir("snarkjs/cli.js");
    if (!nm) {
        skip(3, "%s", interop_why());
    } else {
        int st = wtns_check(nm, tpath("w.r1cs"), tpath("w.wtns"));
        ok(st == 0 && log_has("WITNESS IS CORRECT"),
           "snarkjs wtns check accepts our .r1cs/.wtns (exit %d)", st);
        st = wtns_check(nm, tpath("s.r1cs"), tpath("o.wtns"));
        ok(st == 0 && log_has("WITNESS IS CORRECT"),
           "snarkjs accepts the SHAPE .r1cs with the WITNESS_ONLY .wtns");
        st = wtns_check(nm, tpath("w.r1cs"), tpath("bad.wtns"));
        ok(st != 0 && log_has("WITNESS IS NOT CORRECT"),
           "snarkjs rejects the tampered .wtns (exit %d)", st);
    }
    free(wv);
    free(wback);
    zk_r1cs_free(mem);
    zk_r1cs_free(back);
    zk_cs_free(w);
    zk_cs_free(s);
    zk_cs_free(o);
    dir_clear();
}

/* ------------------------------------------------------------- errors */

static void test_sticky(void)
{
    /* Misuse: a foreign variable handle. */
    zk_cs *cs = new_cs(ZK_CS_WITNESS);
    zk_var x = zk_cs_alloc(cs, FRP(3));
    zk_cs_assert_bool(cs, zk_lc_var(cs, x));
    size_t nc = zk_cs_n_constraints(cs), nv = zk_cs_n_vars(cs);
    zk_lc bad = zk_lc_var(cs, (zk_var){1000});
    is_int(zk_cs_err(cs), ZK_EINVAL, "an invalid variable sets ZK_EINVAL");
    ok(zk_lc_len(bad) == 0, "... and gives the empty LC");
    zk_var y = zk_cs_alloc(cs, FRP(4));
    zk_var z = zk_cs_mul(cs, zk_lc_var(cs, x), zk_lc_var(cs, x));
    zk_cs_enforce_equal(cs, zk_lc_var(cs, x), zk_lc_const_u64(cs, 2));
    zk_cs_push(cs, "after");
    ok(y.id == 0 && z.id == 0 && zk_cs_n_constraints(cs) == nc &&
       zk_cs_n_vars(cs) == nv && zk_cs_err(cs) == ZK_EINVAL,
       "later calls are no-ops returning ONE; the first error is kept");
    zk_r1cs *r;
    zk_fr *w;
    size_t n;
    zk_cs_scope_stat *st;
    ok(zk_cs_to_r1cs(&r, cs) == ZK_EINVAL &&
       zk_cs_witness(&w, &n, cs) == ZK_EINVAL &&
       zk_cs_is_satisfied(cs, NULL, NULL, 0) == ZK_EINVAL &&
       zk_cs_scope_report(&st, &n, cs) == ZK_EINVAL &&
       zk_cs_write_r1cs(tpath("e.r1cs"), cs) == ZK_EINVAL &&
       !exists(tpath("e.r1cs")),
       "every export and check returns the sticky error");
    zk_cs_free(cs);

    /* Other misuse. */
    cs = new_cs(ZK_CS_WITNESS);
    zk_cs_release(cs, zk_cs_mark(cs) + 1);
    is_int(zk_cs_err(cs), ZK_EINVAL, "release above the top is ZK_EINVAL");
    zk_cs_free(cs);
    cs = new_cs(ZK_CS_WITNESS);
    zk_cs_enforce(cs, (zk_lc){5, 3}, zk_lc_zero(), zk_lc_zero());
    is_int(zk_cs_err(cs), ZK_EINVAL, "an LC beyond the arena is ZK_EINVAL");
    zk_cs_free(cs);
    cs = new_cs(ZK_CS_WITNESS);
    zk_cs_set(cs, ZK_CS_ONE, FRP(2));
    is_int(zk_cs_err(cs), ZK_EINVAL, "setting ONE is ZK_EINVAL");
    zk_cs_free(cs);

    /* Allocation failure at every allocation point of a full build. */
    chunk_ctx c;
    chunk_init(&c, 3);
    zk_cs *ref = new_cs(ZK_CS_WITNESS);
    if (build_chunk(ref, &c) != ZK_OK)
        bail_out("reference build");
    int fails = 0, clean = 1, done = 0;
    uint64_t k;
    for (k = 0; k < 100000 && !done; k++) {
        cs = new_cs(ZK_CS_WITNESS);
        zk_cs_test_fail_alloc(cs, k);
        int rc = build_chunk(cs, &c);
        int e1 = zk_cs_err(cs);
        /* also the long-name pushf path */
        char big[200];
        memset(big, 'q', sizeof big - 1);
        big[sizeof big - 1] = '\0';
        zk_cs_pushf(cs, "%s", big);
        zk_cs_pop(cs);
        if (zk_cs_err(cs) == 0) {
            done = 1;
            zk_cs_push(cs, big);  /* balance */
            zk_cs_pop(cs);
            size_t diff;
            if (rc != ZK_OK || zk_cs_compare(cs, ref, &diff) != ZK_OK ||
                zk_cs_is_satisfied(cs, NULL, NULL, 0) != ZK_OK) {
                clean = 0;
                diag("k = %llu: success differs from the reference",
                     (unsigned long long)k);
            }
        } else {
            fails++;
            size_t before = zk_cs_n_constraints(cs);
            zk_cs_assert_bool(cs, zk_lc_const_u64(cs, 1));
            zk_r1cs *rr = (zk_r1cs *)&rr;
            if (rc != e1 || (e1 != 0 && e1 != ZK_ENOMEM) ||
                zk_cs_err(cs) != ZK_ENOMEM ||
                zk_cs_n_constraints(cs) != before ||
                zk_cs_to_r1cs(&rr, cs) != ZK_ENOMEM || rr != NULL ||
                zk_cs_witness(&w, &n, cs) != ZK_ENOMEM ||
                zk_cs_is_satisfied(cs, NULL, NULL, 0) != ZK_ENOMEM) {
                clean = 0;
                diag("k = %llu: rc %d, err %d", (unsigned long long)k, rc,
                     zk_cs_err(cs));
            }
        }
        zk_cs_free(cs);
    }
    ok(done && fails > 20,
       "fault injection: %d failing allocation points, then success", fails);
    ok(clean, "every failure is sticky ZK_ENOMEM with refused exports; the "
              "successful build equals the reference");
    zk_cs_free(ref);
    dir_clear();
}

/* -------------------------------------------------- memory and timing */

static void test_arena_bounded(void)
{
    zk_cs *cs = new_cs(ZK_CS_WITNESS);
    zk_var x = zk_cs_alloc_prv_in(cs, FRP(7));
    zk_var y = zk_cs_alloc_prv_in(cs, FRP(9));
    size_t m0 = zk_cs_mark(cs);
    zk_lc acc = zk_lc_zero();
    size_t peak = 0, bytes_after_first = 0;
    for (int i = 0; i < 2000; i++) {
        size_t m = zk_cs_mark(cs);
        zk_lc h = toy_hash(cs, zk_lc_var(cs, x), zk_lc_var(cs, y));
        zk_lc keep = zk_lc_add(cs, acc, h);
        zk_cs_release_keep(cs, m, &keep, 1);
        acc = zk_lc_var(cs, zk_cs_to_var(cs, keep));
        zk_cs_release_keep(cs, m0, &acc, 1);
        if (zk_cs_mark(cs) - m0 > peak)
            peak = zk_cs_mark(cs) - m0;
        if (i == 0)
            bytes_after_first = zk_cs_mark(cs);
    }
    ok(peak == 1 && zk_cs_mark(cs) == bytes_after_first,
       "2000 hashes with mark/release: the arena holds 1 live term");
    is_int(zk_cs_is_satisfied(cs, NULL, NULL, 0), ZK_OK, "and satisfies");
    zk_cs_free(cs);
}

static int build_big(zk_cs *cs, void *ctx)
{
    unsigned n = *(unsigned *)ctx;
    zk_fr xv = fr_u64(3), yv;
    zk_fr_random(&yv);
    zk_var x = zk_cs_alloc_pub_in(cs, &xv);
    zk_var y = zk_cs_alloc_prv_in(cs, &yv);
    zk_lc acc = zk_lc_var(cs, y);
    size_t m0 = zk_cs_mark(cs);
    zk_cs_push(cs, "big");
    for (unsigned i = 0; i < n; i++) {
        zk_cs_pushf(cs, "round[%u]", i % 64);
        size_t m = zk_cs_mark(cs);
        /* 4 multiplications + num2bits(3) (4 constraints) = 8. */
        zk_lc t = zk_lc_add(cs, acc, zk_lc_var(cs, x));
        for (int j = 0; j < 4; j++)
            t = zk_lc_add_var(cs, zk_lc_const_u64(cs, (uint64_t)j),
                              zk_cs_mul(cs, t, zk_lc_var(cs, y)));
        zk_var bits[3];
        zk_fr small = fr_u64(i & 7);
        zk_var s = zk_cs_alloc(cs, &small);
        num2bits(cs, bits, zk_lc_var(cs, s), 3);
        zk_cs_release_keep(cs, m, &t, 1);
        acc = t;
        zk_cs_release_keep(cs, m0, &acc, 1);
        zk_cs_pop(cs);
    }
    zk_cs_pop(cs);
    zk_cs_output(cs, acc);
    return zk_cs_err(cs);
}

static void test_timing(void)
{
    unsigned n = 12500;  /* 8 constraints each: 10^5 (+1) */
    double t0 = now();
    zk_cs *w = new_cs(ZK_CS_WITNESS);
    int rc = build_big(w, &n);
    double t1 = now();
    is_int(rc, ZK_OK, "10^5-constraint build");
    is_int(zk_cs_n_constraints(w), 8u * n + 1, "constraint count");
    size_t bad = 0;
    double t2 = now();
    is_int(zk_cs_is_satisfied(w, &bad, NULL, 0), ZK_OK, "satisfied");
    double t3 = now();
    zk_r1cs *r = NULL;
    rc = zk_cs_to_r1cs(&r, w);
    double t4 = now();
    is_int(rc, ZK_OK, "exported");
    zk_cs *o = new_cs(ZK_CS_WITNESS_ONLY), *s = new_cs(ZK_CS_SHAPE);
    double t5 = now();
    rc = build_big(o, &n);
    double t6 = now();
    int rc2 = build_big(s, &n);
    double t7 = now();
    ok(rc == ZK_OK && rc2 == ZK_OK, "witness-only and shape builds");
    diag("10^5 constraints (%zu vars, %zu terms, %zu bytes):",
         zk_cs_n_vars(w), zk_cs_n_terms(w), zk_cs_mem_bytes(w));
    diag("  WITNESS build %.3f s, is_satisfied %.3f s, to_r1cs %.3f s",
         t1 - t0, t3 - t2, t4 - t3);
    diag("  WITNESS_ONLY build %.3f s (%zu bytes), SHAPE build %.3f s "
         "(%zu bytes)", t6 - t5, zk_cs_mem_bytes(o), t7 - t6,
         zk_cs_mem_bytes(s));
    zk_r1cs_free(r);
    zk_cs_free(w);
    zk_cs_free(o);
    zk_cs_free(s);
}

int main(void)
{
    testdir_make("zkpar-cs");

    test_new();
    test_lc_algebra();
    test_wires();
    test_example();
    test_shape_witness();
    test_satisfied_scopes();
    test_scope_api();
    test_modes();
    test_export();
    test_sticky();
    test_arena_bounded();
    test_timing();

    dir_clear();
    testdir_remove();
    return done_testing();
}
