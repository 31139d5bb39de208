/*
 * cs.c -- the constraint-system builder (see cs.h).
 *
 * Storage.  Variables: one u32 per variable (kind << 29 | rank within the
 * kind) and, in the witness modes, one zk_fr value.  LCs: an arena of
 * (variable, coefficient) terms addressed by 32-bit offsets, so growing
 * the arena (realloc) never invalidates a handle.  Constraints: terms as
 * (variable, coefficient id) pairs, coefficients interned in an open-
 * addressing hash table (1 is id 0; circuits reuse few distinct constants,
 * so this cuts a term from 40 to 8 bytes), one end offset per LC and one
 * scope id per constraint.  Scopes: a tree of nodes (parent before child),
 * found by (parent, name) in a second hash table.
 *
 * Every array grows by doubling through cs_regrow(), the only place that
 * allocates after zk_cs_new, which also hosts the fault injection hook.
 */
#include "r1cs/cs.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field/field_inline.h"
#include "io/wtns.h"

#define KIND_ONE 0u
#define KIND_OUT 1u
#define KIND_IN 2u
#define KIND_PRV 3u
#define KIND_INT 4u
#define KIND_SHIFT 29
#define RANK_MASK ((1u << KIND_SHIFT) - 1u)
#define NONE UINT32_MAX

typedef struct {
    uint32_t var;
    zk_fr c;
} lterm;

typedef struct {
    uint32_t var, coef;
} cterm;

typedef struct {
    uint32_t parent, name_off, name_len, depth;
    uint32_t first_child, last_child, next_sibling;
    uint64_t n_cons, n_vars;
} scope_node;

struct zk_cs {
    zk_cs_mode mode;
    int err;
    uint64_t fail_after;
    void *tmp_; /* CS_RESERVE's result */
    zk_fr one, mone;

    /* variables */
    size_t n_vars, cap_info, cap_val;
    uint32_t *info;
    zk_fr *val; /* NULL in SHAPE mode */
    size_t n_kind[5];

    /* LC arena */
    lterm *ar;
    size_t ar_top, ar_cap;

    /* constraints */
    size_t n_cons, cap_ends, cap_cscope;
    size_t *ends; /* 3 * n_cons + 1 */
    uint32_t *cscope;
    cterm *ct;
    size_t n_ct, cap_ct;

    /* interned coefficients */
    zk_fr *coef;
    size_t n_coef, cap_coef;
    uint32_t *chash;
    size_t chash_cap; /* power of 2 */

    /* scopes */
    scope_node *sc;
    size_t n_sc, cap_sc;
    char *names;
    size_t names_len, cap_names;
    uint32_t *shash;
    size_t shash_cap; /* power of 2 */
    uint32_t *stack;
    size_t depth, cap_stack; /* stack[0..depth], stack[0] = root */
};

/* ------------------------------------------------------------ plumbing */

static void cs_fail(zk_cs *cs, int code)
{
    if (cs->err == 0)
        cs->err = code;
}

/* The one allocation point: a block of n elements of size elem (realloc of
 * p).  NULL with the sticky ZK_ENOMEM on failure (p still valid). */
static void *cs_realloc(zk_cs *cs, void *p, size_t n, size_t elem)
{
    if (n > SIZE_MAX / elem) {
        cs_fail(cs, ZK_ENOMEM);
        return NULL;
    }
    if (cs->fail_after != UINT64_MAX) {
        if (cs->fail_after == 0) {
            cs_fail(cs, ZK_ENOMEM);
            return NULL;
        }
        cs->fail_after--;
    }
    void *q = realloc(p, n * elem);
    if (!q)
        cs_fail(cs, ZK_ENOMEM);
    return q;
}

/* Grow p to hold at least need elements (capacity doubling). */
static void *cs_regrow(zk_cs *cs, void *p, size_t *cap, size_t need,
                       size_t elem)
{
    size_t nc = *cap ? *cap : 16;
    while (nc < need) {
        if (nc > SIZE_MAX / 2) {
            cs_fail(cs, ZK_ENOMEM);
            return NULL;
        }
        nc *= 2;
    }
    void *q = cs_realloc(cs, p, nc, elem);
    if (q)
        *cap = nc;
    return q;
}

/* 1 when field f (capacity capf) holds at least need elements. */
#define CS_RESERVE(cs, f, capf, need)                                        \
    ((size_t)(need) <= (cs)->capf ||                                         \
     (((cs)->tmp_ = cs_regrow((cs), (cs)->f, &(cs)->capf, (size_t)(need),    \
                              sizeof *(cs)->f)) != NULL &&                   \
      ((cs)->f = (cs)->tmp_, 1)))

/* fr_eq, fr_add, fr_sub, fr_neg, fr_mul: field_inline.h (the exported
 * zk_fr_* are thin wrappers around these). */

static inline int fr_zero(const zk_fr *a)
{
    return (a->l[0] | a->l[1] | a->l[2] | a->l[3]) == 0;
}

static uint64_t fr_hash(const zk_fr *c)
{
    uint64_t x = c->l[0] ^ (c->l[1] * 0x9e3779b97f4a7c15ull) ^
                 (c->l[2] * 0xc2b2ae3d27d4eb4full) ^ c->l[3];
    x ^= x >> 31;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 29;
    return x;
}

/* r += c * x, skipping the multiplication for c = 1 and c = -1 (the
 * results are the same field elements: every operation returns the
 * canonical representative). */
static inline void fr_addmul(zk_fr *r, const zk_cs *cs, const zk_fr *c,
                             const zk_fr *x)
{
    if (fr_eq(c, &cs->one)) {
        fr_add(r, r, x);
    } else if (fr_eq(c, &cs->mone)) {
        fr_sub(r, r, x);
    } else {
        zk_fr t;
        fr_mul(&t, c, x);
        fr_add(r, r, &t);
    }
}

/* r = x * c for c != 1; c = -1 (c_is_mone) as a negation, the same
 * element as the product. */
static inline void coef_mul(zk_fr *r, const zk_fr *x, const zk_fr *c,
                            int c_is_mone)
{
    if (c_is_mone)
        fr_neg(r, x);
    else
        fr_mul(r, x, c);
}

static inline int var_ok(const zk_cs *cs, zk_var v)
{
    return v.id < cs->n_vars;
}

static inline int lc_ok(const zk_cs *cs, zk_lc a)
{
    return a.n == 0 || (uint64_t)a.off + a.n <= cs->ar_top;
}

/* Room for n more terms at the arena's top; NULL on failure (sticky). */
static lterm *ar_reserve(zk_cs *cs, size_t n)
{
    if (n > (size_t)UINT32_MAX - cs->ar_top) {
        cs_fail(cs, ZK_ENOMEM);
        return NULL;
    }
    if (!CS_RESERVE(cs, ar, ar_cap, cs->ar_top + n))
        return NULL;
    return cs->ar + cs->ar_top;
}

static int term_cmp(const void *x, const void *y)
{
    uint32_t a = ((const lterm *)x)->var, b = ((const lterm *)y)->var;
    return (a > b) - (a < b);
}

/* Sort t[0..n) by variable, merge duplicates, drop zeros; the new count. */
static size_t canonicalize(lterm *t, size_t n)
{
    size_t i;
    for (i = 1; i < n; i++)
        if (t[i - 1].var >= t[i].var)
            break;
    if (i < n) {
        if (n <= 24) {
            for (i = 1; i < n; i++) {
                lterm x = t[i];
                size_t j = i;
                for (; j > 0 && t[j - 1].var > x.var; j--)
                    t[j] = t[j - 1];
                t[j] = x;
            }
        } else {
            qsort(t, n, sizeof *t, term_cmp);
        }
    }
    size_t k = 0;
    for (i = 0; i < n;) {
        lterm x = t[i++];
        while (i < n && t[i].var == x.var)
            fr_add(&x.c, &x.c, &t[i++].c);
        if (!fr_zero(&x.c))
            t[k++] = x;
    }
    return k;
}

/* Close the slice [top, top + k) as a new LC. */
static zk_lc ar_close(zk_cs *cs, size_t k)
{
    if (k == 0)
        return zk_lc_zero();
    zk_lc r = {(uint32_t)cs->ar_top, (uint32_t)k};
    cs->ar_top += k;
    return r;
}

/* d = x + cy*y for sorted term lists (cy NULL means 1), zero terms
 * dropped; returns the count (<= nx + ny).  d must not overlap x or y.
 * cy_mone: cy is -1 (negate instead of multiplying). */
static size_t merge_raw(lterm *d, const lterm *x, size_t nx, const lterm *y,
                        size_t ny, const zk_fr *cy, int cy_mone)
{
    size_t i = 0, j = 0, k = 0;
    while (i < nx && j < ny) {
        uint32_t vx = x[i].var, vy = y[j].var;
        lterm *t = &d[k];
        if (vx < vy) {
            *t = x[i++];
            k++; /* x's terms are non-zero */
        } else if (vy < vx) {
            t->var = vy;
            if (cy)
                coef_mul(&t->c, &y[j].c, cy, cy_mone);
            else
                t->c = y[j].c;
            j++;
            k++; /* non-zero times non-zero */
        } else {
            t->var = vx;
            if (cy) {
                zk_fr v;
                coef_mul(&v, &y[j].c, cy, cy_mone);
                fr_add(&t->c, &x[i].c, &v);
            } else {
                fr_add(&t->c, &x[i].c, &y[j].c);
            }
            i++;
            j++;
            k += !fr_zero(&t->c);
        }
    }
    if (i < nx) {
        memcpy(d + k, x + i, (nx - i) * sizeof *d);
        k += nx - i;
    }
    if (cy) {
        for (; j < ny; j++, k++) {
            d[k].var = y[j].var;
            coef_mul(&d[k].c, &y[j].c, cy, cy_mone);
        }
    } else if (j < ny) {
        memcpy(d + k, y + j, (ny - j) * sizeof *d);
        k += ny - j;
    }
    return k;
}

/* A fresh copy of a + cb*B, B the arena slice b or, when ext is not NULL,
 * ext[0..b.n).  cb NULL means 1. */
static zk_lc lc_merge(zk_cs *cs, zk_lc a, const lterm *ext, zk_lc b,
                      const zk_fr *cb)
{
    lterm *d = ar_reserve(cs, (size_t)a.n + b.n);
    if (!d)
        return zk_lc_zero();
    const lterm *tb = ext ? ext : cs->ar + b.off;
    return ar_close(cs, merge_raw(d, cs->ar + a.off, a.n, tb, b.n, cb,
                                  cb && fr_eq(cb, &cs->mone)));
}

/* ------------------------------------------------------------ lifetime */

int zk_cs_new(zk_cs **out, zk_cs_mode mode)
{
    if (out)
        *out = NULL;
    if (!out || (mode != ZK_CS_SHAPE && mode != ZK_CS_WITNESS &&
                 mode != ZK_CS_WITNESS_ONLY))
        return ZK_EINVAL;
    zk_cs *cs = calloc(1, sizeof *cs);
    if (!cs)
        return ZK_ENOMEM;
    cs->mode = mode;
    cs->fail_after = UINT64_MAX;
    zk_fr_one(&cs->one);
    zk_fr_neg(&cs->mone, &cs->one);

    cs->cap_info = 64;
    cs->info = malloc(cs->cap_info * sizeof *cs->info);
    if (mode != ZK_CS_SHAPE) {
        cs->cap_val = 64;
        cs->val = malloc(cs->cap_val * sizeof *cs->val);
    }
    cs->ar_cap = 256;
    cs->ar = malloc(cs->ar_cap * sizeof *cs->ar);
    cs->cap_ends = 64;
    cs->ends = malloc(cs->cap_ends * sizeof *cs->ends);
    cs->cap_coef = 16;
    cs->coef = malloc(cs->cap_coef * sizeof *cs->coef);
    cs->chash_cap = 64;
    cs->chash = malloc(cs->chash_cap * sizeof *cs->chash);
    cs->cap_sc = 16;
    cs->sc = malloc(cs->cap_sc * sizeof *cs->sc);
    cs->shash_cap = 64;
    cs->shash = malloc(cs->shash_cap * sizeof *cs->shash);
    cs->cap_stack = 16;
    cs->stack = malloc(cs->cap_stack * sizeof *cs->stack);
    if (!cs->info || (mode != ZK_CS_SHAPE && !cs->val) || !cs->ar ||
        !cs->ends || !cs->coef || !cs->chash || !cs->sc || !cs->shash ||
        !cs->stack) {
        zk_cs_free(cs);
        return ZK_ENOMEM;
    }
    memset(cs->chash, 0xff, cs->chash_cap * sizeof *cs->chash);
    memset(cs->shash, 0xff, cs->shash_cap * sizeof *cs->shash);
    /* Coefficient 1 is id 0 (intern's fast path). */
    cs->coef[0] = cs->one;
    cs->chash[(size_t)fr_hash(&cs->one) & (cs->chash_cap - 1)] = 0;
    cs->n_coef = 1;

    /* ONE: variable 0, kind ONE, value 1, charged to the root. */
    cs->info[0] = KIND_ONE << KIND_SHIFT;
    cs->n_kind[KIND_ONE] = 1;
    if (cs->val)
        cs->val[0] = cs->one;
    cs->n_vars = 1;
    cs->ends[0] = 0;
    cs->sc[0] = (scope_node){NONE, 0, 0, 0, NONE, NONE, NONE, 0, 1};
    cs->n_sc = 1;
    cs->stack[0] = 0;
    cs->depth = 0;
    *out = cs;
    return ZK_OK;
}

void zk_cs_free(zk_cs *cs)
{
    if (!cs)
        return;
    free(cs->info);
    free(cs->val);
    free(cs->ar);
    free(cs->ends);
    free(cs->cscope);
    free(cs->ct);
    free(cs->coef);
    free(cs->chash);
    free(cs->sc);
    free(cs->names);
    free(cs->shash);
    free(cs->stack);
    free(cs);
}

void zk_cs_fail(zk_cs *cs, int code)
{
    if (cs != NULL && code < 0)
        cs_fail(cs, code);
}

int zk_cs_err(const zk_cs *cs)
{
    return cs ? cs->err : ZK_EINVAL;
}

zk_cs_mode zk_cs_mode_of(const zk_cs *cs)
{
    return cs->mode;
}

int zk_cs_has_values(const zk_cs *cs)
{
    return cs && cs->val != NULL;
}

void zk_cs_test_fail_alloc(zk_cs *cs, uint64_t n)
{
    if (cs)
        cs->fail_after = n;
}

/* ----------------------------------------------------------- variables */

static zk_var alloc_kind(zk_cs *cs, unsigned kind, const zk_fr *value)
{
    if (cs->err)
        return ZK_CS_ONE;
    if (cs->n_kind[kind] > RANK_MASK || cs->n_vars >= UINT32_MAX) {
        cs_fail(cs, ZK_EINVAL);
        return ZK_CS_ONE;
    }
    size_t n = cs->n_vars;
    if (!CS_RESERVE(cs, info, cap_info, n + 1))
        return ZK_CS_ONE;
    if (cs->val) {
        if (!CS_RESERVE(cs, val, cap_val, n + 1))
            return ZK_CS_ONE;
        if (value)
            cs->val[n] = *value;
        else
            zk_fr_zero(&cs->val[n]);
    }
    cs->info[n] = (uint32_t)kind << KIND_SHIFT | (uint32_t)cs->n_kind[kind];
    cs->n_kind[kind]++;
    cs->n_vars = n + 1;
    cs->sc[cs->stack[cs->depth]].n_vars++;
    return (zk_var){(uint32_t)n};
}

zk_var zk_cs_alloc(zk_cs *cs, const zk_fr *value)
{
    return alloc_kind(cs, KIND_INT, value);
}

zk_var zk_cs_alloc_pub_out(zk_cs *cs, const zk_fr *value)
{
    return alloc_kind(cs, KIND_OUT, value);
}

zk_var zk_cs_alloc_pub_in(zk_cs *cs, const zk_fr *value)
{
    return alloc_kind(cs, KIND_IN, value);
}

zk_var zk_cs_alloc_prv_in(zk_cs *cs, const zk_fr *value)
{
    return alloc_kind(cs, KIND_PRV, value);
}

void zk_cs_val(zk_fr *out, const zk_cs *cs, zk_var v)
{
    if (cs && cs->val && var_ok(cs, v))
        *out = cs->val[v.id];
    else
        zk_fr_zero(out);
}

void zk_cs_set(zk_cs *cs, zk_var v, const zk_fr *value)
{
    if (cs->err)
        return;
    if (!var_ok(cs, v) || v.id == 0 || !value) {
        cs_fail(cs, ZK_EINVAL);
        return;
    }
    if (cs->val)
        cs->val[v.id] = *value;
}

/* First wire of each kind given the current counts. */
static void wire_bases(uint64_t base[5], const zk_cs *cs)
{
    base[KIND_ONE] = 0;
    base[KIND_OUT] = 1;
    base[KIND_IN] = base[KIND_OUT] + cs->n_kind[KIND_OUT];
    base[KIND_PRV] = base[KIND_IN] + cs->n_kind[KIND_IN];
    base[KIND_INT] = base[KIND_PRV] + cs->n_kind[KIND_PRV];
}

static inline uint32_t wire_of(const uint64_t base[5], uint32_t info)
{
    return (uint32_t)(base[info >> KIND_SHIFT] + (info & RANK_MASK));
}

uint32_t zk_cs_wire(const zk_cs *cs, zk_var v)
{
    if (!cs || !var_ok(cs, v))
        return UINT32_MAX;
    uint64_t base[5];
    wire_bases(base, cs);
    return wire_of(base, cs->info[v.id]);
}

/* -------------------------------------------------- linear combinations */

/* Common entry checks: 0 to go on, -1 to return the empty LC. */
static int lc_enter(zk_cs *cs, zk_lc a, zk_lc b)
{
    if (cs->err)
        return -1;
    if (!lc_ok(cs, a) || !lc_ok(cs, b)) {
        cs_fail(cs, ZK_EINVAL);
        return -1;
    }
    return 0;
}

zk_lc zk_lc_term(zk_cs *cs, zk_var v, const zk_fr *c)
{
    if (cs->err)
        return zk_lc_zero();
    if (!var_ok(cs, v)) {
        cs_fail(cs, ZK_EINVAL);
        return zk_lc_zero();
    }
    if (fr_zero(c))
        return zk_lc_zero();
    lterm *d = ar_reserve(cs, 1);
    if (!d)
        return zk_lc_zero();
    d->var = v.id;
    d->c = *c;
    return ar_close(cs, 1);
}

zk_lc zk_lc_var(zk_cs *cs, zk_var v)
{
    return zk_lc_term(cs, v, &cs->one);
}

zk_lc zk_lc_const(zk_cs *cs, const zk_fr *c)
{
    return zk_lc_term(cs, ZK_CS_ONE, c);
}

zk_lc zk_lc_const_u64(zk_cs *cs, uint64_t c)
{
    zk_fr x;
    zk_fr_set_u64(&x, c);
    return zk_lc_term(cs, ZK_CS_ONE, &x);
}

zk_lc zk_lc_add_term(zk_cs *cs, zk_lc a, zk_var v, const zk_fr *c)
{
    if (lc_enter(cs, a, a) != 0)
        return zk_lc_zero();
    if (!var_ok(cs, v)) {
        cs_fail(cs, ZK_EINVAL);
        return zk_lc_zero();
    }
    if (fr_zero(c))
        return a;
    if (a.n == 0)
        return zk_lc_term(cs, v, c);
    if ((size_t)a.off + a.n == cs->ar_top &&
        v.id > cs->ar[a.off + a.n - 1].var) {
        /* Append in place: the slice a itself is unchanged. */
        lterm *d = ar_reserve(cs, 1);
        if (!d)
            return zk_lc_zero();
        d->var = v.id;
        d->c = *c;
        cs->ar_top++;
        return (zk_lc){a.off, a.n + 1};
    }
    lterm t = {v.id, *c};
    return lc_merge(cs, a, &t, (zk_lc){0, 1}, NULL);
}

zk_lc zk_lc_add_var(zk_cs *cs, zk_lc a, zk_var v)
{
    return zk_lc_add_term(cs, a, v, &cs->one);
}

zk_lc zk_lc_sub_var(zk_cs *cs, zk_lc a, zk_var v)
{
    return zk_lc_add_term(cs, a, v, &cs->mone);
}

zk_lc zk_lc_add_const(zk_cs *cs, zk_lc a, const zk_fr *c)
{
    return zk_lc_add_term(cs, a, ZK_CS_ONE, c);
}

zk_lc zk_lc_scale(zk_cs *cs, zk_lc a, const zk_fr *c)
{
    if (lc_enter(cs, a, a) != 0)
        return zk_lc_zero();
    if (fr_zero(c) || a.n == 0)
        return zk_lc_zero();
    if (fr_eq(c, &cs->one))
        return a;
    lterm *d = ar_reserve(cs, a.n);
    if (!d)
        return zk_lc_zero();
    const lterm *s = cs->ar + a.off;
    int mone = fr_eq(c, &cs->mone);
    for (uint32_t i = 0; i < a.n; i++) {
        d[i].var = s[i].var;
        coef_mul(&d[i].c, &s[i].c, c, mone);  /* non-zero: a field */
    }
    return ar_close(cs, a.n);
}

zk_lc zk_lc_neg(zk_cs *cs, zk_lc a)
{
    return zk_lc_scale(cs, a, &cs->mone);
}

zk_lc zk_lc_add_scaled(zk_cs *cs, zk_lc a, const zk_fr *c, zk_lc b)
{
    if (lc_enter(cs, a, b) != 0)
        return zk_lc_zero();
    if (fr_zero(c) || b.n == 0)
        return a;
    if (a.n == 0)
        return zk_lc_scale(cs, b, c);
    if ((size_t)a.off + a.n == cs->ar_top &&
        cs->ar[b.off].var > cs->ar[a.off + a.n - 1].var) {
        /* Every variable of b comes after a's: append in place (b lies
         * below a, so it is not overwritten). */
        lterm *d = ar_reserve(cs, b.n);
        if (!d)
            return zk_lc_zero();
        const lterm *s = cs->ar + b.off;
        if (fr_eq(c, &cs->one)) {
            memcpy(d, s, b.n * sizeof *d);
        } else {
            int mone = fr_eq(c, &cs->mone);
            for (uint32_t i = 0; i < b.n; i++) {
                d[i].var = s[i].var;
                coef_mul(&d[i].c, &s[i].c, c, mone);
            }
        }
        cs->ar_top += b.n;
        return (zk_lc){a.off, a.n + b.n};
    }
    return lc_merge(cs, a, NULL, b, fr_eq(c, &cs->one) ? NULL : c);
}

zk_lc zk_lc_add(zk_cs *cs, zk_lc a, zk_lc b)
{
    return zk_lc_add_scaled(cs, a, &cs->one, b);
}

zk_lc zk_lc_sub(zk_cs *cs, zk_lc a, zk_lc b)
{
    return zk_lc_add_scaled(cs, a, &cs->mone, b);
}

zk_lc zk_lc_combine(zk_cs *cs, const zk_fr *c, const zk_lc *a, size_t n)
{
    if (cs->err)
        return zk_lc_zero();
    if (n > 0 && !a) {
        cs_fail(cs, ZK_EINVAL);
        return zk_lc_zero();
    }
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        if (!lc_ok(cs, a[i])) {
            cs_fail(cs, ZK_EINVAL);
            return zk_lc_zero();
        }
        total += a[i].n;
        if (total > UINT32_MAX) {
            cs_fail(cs, ZK_ENOMEM);
            return zk_lc_zero();
        }
    }
    if (n == 1)
        return c ? zk_lc_scale(cs, a[0], &c[0]) : a[0];
    /* Merge one input at a time, ping-ponging between two buffers above
     * the top: O(total * n), no sorting. */
    if (!ar_reserve(cs, 2 * total))
        return zk_lc_zero();
    size_t p = cs->ar_top, q = cs->ar_top + total, len = 0;
    for (size_t i = 0; i < n; i++) {
        if (a[i].n == 0 || (c && fr_zero(&c[i])))
            continue;
        const zk_fr *ci = !c || fr_eq(&c[i], &cs->one) ? NULL : &c[i];
        len = merge_raw(cs->ar + q, cs->ar + p, len, cs->ar + a[i].off,
                        a[i].n, ci, ci && fr_eq(ci, &cs->mone));
        size_t t = p;
        p = q;
        q = t;
    }
    if (p != cs->ar_top && len > 0)
        memcpy(cs->ar + cs->ar_top, cs->ar + p, len * sizeof *cs->ar);
    return ar_close(cs, len);
}

zk_lc zk_lc_from_terms(zk_cs *cs, const zk_var *v, const zk_fr *c, size_t n)
{
    if (cs->err)
        return zk_lc_zero();
    if (n > 0 && !v) {
        cs_fail(cs, ZK_EINVAL);
        return zk_lc_zero();
    }
    for (size_t i = 0; i < n; i++)
        if (!var_ok(cs, v[i])) {
            cs_fail(cs, ZK_EINVAL);
            return zk_lc_zero();
        }
    lterm *d = ar_reserve(cs, n);
    if (!d)
        return zk_lc_zero();
    for (size_t i = 0; i < n; i++) {
        d[i].var = v[i].id;
        d[i].c = c ? c[i] : cs->one;
    }
    return ar_close(cs, canonicalize(d, n));
}

void zk_lc_eval(zk_fr *out, const zk_cs *cs, zk_lc a)
{
    zk_fr_zero(out);
    if (!cs || !cs->val || !lc_ok(cs, a))
        return;
    const lterm *t = cs->ar + a.off;
    for (uint32_t i = 0; i < a.n; i++)
        fr_addmul(out, cs, &t[i].c, &cs->val[t[i].var]);
}

int zk_lc_get(zk_var *v, zk_fr *c, const zk_cs *cs, zk_lc a, size_t i)
{
    if (!v || !c || !cs || !lc_ok(cs, a) || i >= a.n)
        return ZK_EINVAL;
    v->id = cs->ar[a.off + i].var;
    *c = cs->ar[a.off + i].c;
    return ZK_OK;
}

size_t zk_cs_mark(const zk_cs *cs)
{
    return cs->ar_top;
}

void zk_cs_release(zk_cs *cs, size_t mark)
{
    zk_cs_release_keep(cs, mark, NULL, 0);
}

void zk_cs_release_keep(zk_cs *cs, size_t mark, zk_lc *keep, size_t n)
{
    if (cs->err)
        return;
    if (mark > cs->ar_top || (n > 0 && !keep)) {
        cs_fail(cs, ZK_EINVAL);
        return;
    }
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        if (!lc_ok(cs, keep[i])) {
            cs_fail(cs, ZK_EINVAL);
            return;
        }
        if ((size_t)keep[i].off + keep[i].n > mark)
            total += keep[i].n;
    }
    if (total == 0) {
        cs->ar_top = mark;
        return;
    }
    if (n == 1 && keep[0].off == mark) {
        cs->ar_top = mark + keep[0].n;
        return;
    }
    /* Copy the LCs to move above the top (free space, overlapping
     * nothing), then slide that block down to the mark in one memmove. */
    lterm *d = ar_reserve(cs, total);
    if (!d)
        return;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if ((size_t)keep[i].off + keep[i].n <= mark || keep[i].n == 0)
            continue;
        memcpy(d + k, cs->ar + keep[i].off, keep[i].n * sizeof *d);
        keep[i].off = (uint32_t)(mark + k);
        k += keep[i].n;
    }
    memmove(cs->ar + mark, d, total * sizeof *d);
    cs->ar_top = mark + total;
}

/* --------------------------------------------------------- constraints */

static int chash_grow(zk_cs *cs)
{
    size_t nc = cs->chash_cap * 2;
    uint32_t *h = cs_realloc(cs, NULL, nc, sizeof *h);
    if (!h)
        return -1;
    memset(h, 0xff, nc * sizeof *h);
    for (size_t i = 0; i < cs->n_coef; i++) {
        size_t s = (size_t)fr_hash(&cs->coef[i]) & (nc - 1);
        while (h[s] != NONE)
            s = (s + 1) & (nc - 1);
        h[s] = (uint32_t)i;
    }
    free(cs->chash);
    cs->chash = h;
    cs->chash_cap = nc;
    return 0;
}

/* The id of coefficient c; NONE on failure (sticky). */
static uint32_t intern(zk_cs *cs, const zk_fr *c)
{
    if (cs->n_coef > 0 && fr_eq(c, &cs->coef[0]))
        return 0;
    if (2 * (cs->n_coef + 1) > cs->chash_cap && chash_grow(cs) != 0)
        return NONE;
    size_t mask = cs->chash_cap - 1, s = (size_t)fr_hash(c) & mask;
    while (cs->chash[s] != NONE) {
        if (fr_eq(&cs->coef[cs->chash[s]], c))
            return cs->chash[s];
        s = (s + 1) & mask;
    }
    if (cs->n_coef >= UINT32_MAX - 1) {
        cs_fail(cs, ZK_ENOMEM);
        return NONE;
    }
    if (!CS_RESERVE(cs, coef, cap_coef, cs->n_coef + 1))
        return NONE;
    cs->coef[cs->n_coef] = *c;
    cs->chash[s] = (uint32_t)cs->n_coef;
    return (uint32_t)cs->n_coef++;
}

/* Append the constraint A * B = C (canonical term lists). */
static void record(zk_cs *cs, const lterm *a, size_t na, const lterm *b,
                   size_t nb, const lterm *c, size_t nc)
{
    if (cs->err)
        return;
    if (cs->mode != ZK_CS_WITNESS_ONLY) {
        size_t i = cs->n_cons, need = cs->n_ct + na + nb + nc;
        if (!CS_RESERVE(cs, ends, cap_ends, 3 * i + 4) ||
            !CS_RESERVE(cs, cscope, cap_cscope, i + 1) ||
            !CS_RESERVE(cs, ct, cap_ct, need))
            return;
        const lterm *src[3] = {a, b, c};
        size_t cnt[3] = {na, nb, nc}, t = cs->n_ct;
        for (int j = 0; j < 3; j++) {
            for (size_t k = 0; k < cnt[j]; k++) {
                uint32_t id = intern(cs, &src[j][k].c);
                if (id == NONE)
                    return;
                cs->ct[t].var = src[j][k].var;
                cs->ct[t].coef = id;
                t++;
            }
            cs->ends[3 * i + 1 + (size_t)j] = t;
        }
        cs->n_ct = t;
        cs->cscope[i] = cs->stack[cs->depth];
    }
    cs->n_cons++;
    cs->sc[cs->stack[cs->depth]].n_cons++;
}

#define LC_PTR(cs, x) ((cs)->ar + (x).off)

void zk_cs_enforce(zk_cs *cs, zk_lc a, zk_lc b, zk_lc c)
{
    if (lc_enter(cs, a, b) != 0 || lc_enter(cs, c, c) != 0)
        return;
    record(cs, LC_PTR(cs, a), a.n, LC_PTR(cs, b), b.n, LC_PTR(cs, c), c.n);
}

void zk_cs_enforce_equal(zk_cs *cs, zk_lc a, zk_lc b)
{
    if (lc_enter(cs, a, b) != 0)
        return;
    size_t m = cs->ar_top;
    zk_lc d = zk_lc_sub(cs, a, b);
    record(cs, NULL, 0, NULL, 0, LC_PTR(cs, d), d.n);
    if (!cs->err)
        cs->ar_top = m;
}

void zk_cs_assert_bool(zk_cs *cs, zk_lc a)
{
    if (lc_enter(cs, a, a) != 0)
        return;
    size_t m = cs->ar_top;
    zk_lc am1 = zk_lc_add_const(cs, a, &cs->mone);
    record(cs, LC_PTR(cs, a), a.n, LC_PTR(cs, am1), am1.n, NULL, 0);
    if (!cs->err)
        cs->ar_top = m;
}

zk_var zk_cs_mul(zk_cs *cs, zk_lc a, zk_lc b)
{
    if (lc_enter(cs, a, b) != 0)
        return ZK_CS_ONE;
    zk_fr z;
    zk_fr_zero(&z);
    if (cs->val) {
        zk_fr va, vb;
        zk_lc_eval(&va, cs, a);
        if (a.off == b.off && a.n == b.n)
            vb = va;
        else
            zk_lc_eval(&vb, cs, b);
        fr_mul(&z, &va, &vb);
    }
    zk_var v = alloc_kind(cs, KIND_INT, &z);
    lterm t = {v.id, cs->one};
    record(cs, LC_PTR(cs, a), a.n, LC_PTR(cs, b), b.n, &t, 1);
    return cs->err ? ZK_CS_ONE : v;
}

/* A new variable z of the given kind equal to a: 0 * 0 = a - z. */
static zk_var bind_lc(zk_cs *cs, unsigned kind, zk_lc a)
{
    zk_fr z;
    zk_lc_eval(&z, cs, a);
    zk_var v = alloc_kind(cs, kind, &z);
    if (cs->err)
        return ZK_CS_ONE;
    /* z is the newest variable, so a - z is a's terms then (z, -1). */
    lterm *d = ar_reserve(cs, (size_t)a.n + 1);
    if (!d)
        return ZK_CS_ONE;
    if (a.n)
        memcpy(d, cs->ar + a.off, a.n * sizeof *d);
    d[a.n].var = v.id;
    d[a.n].c = cs->mone;
    record(cs, NULL, 0, NULL, 0, d, (size_t)a.n + 1);
    return cs->err ? ZK_CS_ONE : v;
}

zk_var zk_cs_to_var(zk_cs *cs, zk_lc a)
{
    if (lc_enter(cs, a, a) != 0)
        return ZK_CS_ONE;
    if (a.n == 1 && cs->ar[a.off].var != 0 && fr_eq(&cs->ar[a.off].c, &cs->one))
        return (zk_var){cs->ar[a.off].var};
    return bind_lc(cs, KIND_INT, a);
}

zk_var zk_cs_output(zk_cs *cs, zk_lc a)
{
    if (lc_enter(cs, a, a) != 0)
        return ZK_CS_ONE;
    return bind_lc(cs, KIND_OUT, a);
}

/* -------------------------------------------------------------- scopes */

static uint64_t scope_hash(uint32_t parent, const char *name, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ull ^ ((uint64_t)parent * 0x9e3779b97f4a7c15ull);
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)name[i];
        h *= 0x100000001b3ull;
    }
    h ^= h >> 32;
    return h;
}

static int shash_grow(zk_cs *cs)
{
    size_t nc = cs->shash_cap * 2;
    uint32_t *h = cs_realloc(cs, NULL, nc, sizeof *h);
    if (!h)
        return -1;
    memset(h, 0xff, nc * sizeof *h);
    for (size_t i = 1; i < cs->n_sc; i++) {
        const scope_node *s = &cs->sc[i];
        size_t p = (size_t)scope_hash(s->parent, cs->names + s->name_off,
                                      s->name_len) & (nc - 1);
        while (h[p] != NONE)
            p = (p + 1) & (nc - 1);
        h[p] = (uint32_t)i;
    }
    free(cs->shash);
    cs->shash = h;
    cs->shash_cap = nc;
    return 0;
}

static void push_name(zk_cs *cs, const char *name, size_t len)
{
    if (cs->err)
        return;
    if (memchr(name, '/', len) || len > UINT32_MAX) {
        cs_fail(cs, ZK_EINVAL);
        return;
    }
    if (!CS_RESERVE(cs, stack, cap_stack, cs->depth + 2))
        return;
    uint32_t parent = cs->stack[cs->depth];
    size_t mask = cs->shash_cap - 1;
    size_t p = (size_t)scope_hash(parent, name, len) & mask;
    while (cs->shash[p] != NONE) {
        const scope_node *s = &cs->sc[cs->shash[p]];
        if (s->parent == parent && s->name_len == len &&
            memcmp(cs->names + s->name_off, name, len) == 0) {
            cs->stack[++cs->depth] = cs->shash[p];
            return;
        }
        p = (p + 1) & mask;
    }
    /* A new scope. */
    if (cs->n_sc >= UINT32_MAX - 1 || cs->names_len > UINT32_MAX - len) {
        cs_fail(cs, ZK_ENOMEM);
        return;
    }
    if (!CS_RESERVE(cs, sc, cap_sc, cs->n_sc + 1) ||
        !CS_RESERVE(cs, names, cap_names, cs->names_len + len + 1))
        return;
    if (2 * (cs->n_sc + 1) > cs->shash_cap) {
        if (shash_grow(cs) != 0)
            return;
        mask = cs->shash_cap - 1;
        p = (size_t)scope_hash(parent, name, len) & mask;
        while (cs->shash[p] != NONE)
            p = (p + 1) & mask;
    }
    uint32_t id = (uint32_t)cs->n_sc++;
    memcpy(cs->names + cs->names_len, name, len);
    cs->names[cs->names_len + len] = '\0';
    cs->sc[id] = (scope_node){parent, (uint32_t)cs->names_len, (uint32_t)len,
                              cs->sc[parent].depth + 1, NONE, NONE, NONE, 0,
                              0};
    cs->names_len += len + 1;
    if (cs->sc[parent].last_child == NONE)
        cs->sc[parent].first_child = id;
    else
        cs->sc[cs->sc[parent].last_child].next_sibling = id;
    cs->sc[parent].last_child = id;
    cs->shash[p] = id;
    cs->stack[++cs->depth] = id;
}

void zk_cs_push(zk_cs *cs, const char *name)
{
    if (!name) {
        cs_fail(cs, ZK_EINVAL);
        return;
    }
    push_name(cs, name, strlen(name));
}

void zk_cs_pushf(zk_cs *cs, const char *fmt, ...)
{
    if (cs->err)
        return;
    char buf[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0) {
        cs_fail(cs, ZK_EINVAL);
        return;
    }
    if ((size_t)n < sizeof buf) {
        push_name(cs, buf, (size_t)n);
        return;
    }
    char *big = cs_realloc(cs, NULL, (size_t)n + 1, 1);
    if (!big)
        return;
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    push_name(cs, big, (size_t)n);
    free(big);
}

void zk_cs_pop(zk_cs *cs)
{
    if (cs->err)
        return;
    if (cs->depth == 0) {
        cs_fail(cs, ZK_EINVAL);
        return;
    }
    cs->depth--;
}

/* Length of the path of scope id ("" for the root). */
static size_t scope_path_len(const zk_cs *cs, uint32_t id)
{
    size_t len = 0;
    for (uint32_t s = id; s != 0; s = cs->sc[s].parent)
        len += cs->sc[s].name_len + (cs->sc[s].parent != 0);
    return len;
}

/* Write the path of id into out[0..len] (len = scope_path_len), NUL
 * included, from the end backwards. */
static void scope_path_write(char *out, size_t len, const zk_cs *cs,
                             uint32_t id)
{
    out[len] = '\0';
    size_t pos = len;
    for (uint32_t s = id; s != 0; s = cs->sc[s].parent) {
        pos -= cs->sc[s].name_len;
        memcpy(out + pos, cs->names + cs->sc[s].name_off, cs->sc[s].name_len);
        if (cs->sc[s].parent != 0)
            out[--pos] = '/';
    }
}

static size_t scope_path(char *buf, size_t len, const zk_cs *cs, uint32_t id)
{
    size_t total = scope_path_len(cs, id);
    if (len == 0 || !buf)
        return total;
    if (total < len) {
        scope_path_write(buf, total, cs, id);
        return total;
    }
    char *tmp = malloc(total + 1);
    if (!tmp) {
        buf[0] = '\0';
        return total;
    }
    scope_path_write(tmp, total, cs, id);
    memcpy(buf, tmp, len - 1);
    buf[len - 1] = '\0';
    free(tmp);
    return total;
}

size_t zk_cs_constraint_path(char *buf, size_t len, const zk_cs *cs,
                             size_t i)
{
    if (buf && len > 0)
        buf[0] = '\0';
    if (!cs || cs->mode == ZK_CS_WITNESS_ONLY || i >= cs->n_cons)
        return 0;
    return scope_path(buf, len, cs, cs->cscope[i]);
}

int zk_cs_scope_report(zk_cs_scope_stat **out, size_t *n, const zk_cs *cs)
{
    if (out)
        *out = NULL;
    if (n)
        *n = 0;
    if (!out || !n || !cs)
        return ZK_EINVAL;
    if (cs->err)
        return cs->err;
    size_t ns = cs->n_sc;
    /* plen, idx, totals per node. */
    size_t *plen = malloc(ns * 2 * sizeof *plen);
    uint64_t *tot = malloc(ns * 2 * sizeof *tot);
    if (!plen || !tot) {
        free(plen);
        free(tot);
        return ZK_ENOMEM;
    }
    size_t *idx = plen + ns;
    size_t strbytes = 0;
    for (size_t i = 0; i < ns; i++) {
        const scope_node *s = &cs->sc[i];
        plen[i] = i == 0 ? 0
                         : (s->parent == 0 ? s->name_len
                                           : plen[s->parent] + 1 + s->name_len);
        strbytes += plen[i] + 1;
        tot[2 * i] = s->n_cons;
        tot[2 * i + 1] = s->n_vars;
    }
    for (size_t i = ns; i-- > 1;) {
        uint32_t p = cs->sc[i].parent;
        tot[2 * p] += tot[2 * i];
        tot[2 * p + 1] += tot[2 * i + 1];
    }
    zk_cs_scope_stat *st = malloc(ns * sizeof *st + strbytes);
    if (!st) {
        free(plen);
        free(tot);
        return ZK_ENOMEM;
    }
    char *str = (char *)(st + ns);
    size_t pos = 0;
    uint32_t id = 0;
    for (;;) {
        const scope_node *s = &cs->sc[id];
        zk_cs_scope_stat *e = &st[pos];
        idx[id] = pos;
        e->path = str;
        if (id == 0) {
            str[0] = '\0';
        } else if (s->parent == 0) {
            memcpy(str, cs->names + s->name_off, s->name_len);
            str[s->name_len] = '\0';
        } else {
            const char *pp = st[idx[s->parent]].path;
            size_t pl = plen[s->parent];
            memcpy(str, pp, pl);
            str[pl] = '/';
            memcpy(str + pl + 1, cs->names + s->name_off, s->name_len);
            str[pl + 1 + s->name_len] = '\0';
        }
        str += plen[id] + 1;
        e->depth = s->depth;
        e->parent = id == 0 ? SIZE_MAX : idx[s->parent];
        e->n_constraints = s->n_cons;
        e->n_vars = s->n_vars;
        e->n_constraints_total = tot[2 * id];
        e->n_vars_total = tot[2 * id + 1];
        pos++;
        /* Next in pre-order. */
        if (s->first_child != NONE) {
            id = s->first_child;
            continue;
        }
        while (id != 0 && cs->sc[id].next_sibling == NONE)
            id = cs->sc[id].parent;
        if (id == 0)
            break;
        id = cs->sc[id].next_sibling;
    }
    free(plen);
    free(tot);
    *out = st;
    *n = ns;
    return ZK_OK;
}

/* -------------------------------------------------------------- counts */

size_t zk_cs_n_constraints(const zk_cs *cs) { return cs->n_cons; }
size_t zk_cs_n_vars(const zk_cs *cs) { return cs->n_vars; }
size_t zk_cs_n_pub_out(const zk_cs *cs) { return cs->n_kind[KIND_OUT]; }
size_t zk_cs_n_pub_in(const zk_cs *cs) { return cs->n_kind[KIND_IN]; }
size_t zk_cs_n_prv_in(const zk_cs *cs) { return cs->n_kind[KIND_PRV]; }
size_t zk_cs_n_terms(const zk_cs *cs) { return cs->n_ct; }

size_t zk_cs_n_public(const zk_cs *cs)
{
    return cs->n_kind[KIND_OUT] + cs->n_kind[KIND_IN];
}

size_t zk_cs_mem_bytes(const zk_cs *cs)
{
    return sizeof *cs + cs->cap_info * sizeof *cs->info +
           cs->cap_val * sizeof *cs->val + cs->ar_cap * sizeof *cs->ar +
           cs->cap_ends * sizeof *cs->ends +
           cs->cap_cscope * sizeof *cs->cscope +
           cs->cap_ct * sizeof *cs->ct + cs->cap_coef * sizeof *cs->coef +
           cs->chash_cap * sizeof *cs->chash + cs->cap_sc * sizeof *cs->sc +
           cs->cap_names + cs->shash_cap * sizeof *cs->shash +
           cs->cap_stack * sizeof *cs->stack;
}

/* -------------------------------------------------------------- checks */

static void ct_eval(zk_fr *out, const zk_cs *cs, size_t k)
{
    zk_fr_zero(out);
    for (size_t t = cs->ends[k]; t < cs->ends[k + 1]; t++)
        fr_addmul(out, cs, &cs->coef[cs->ct[t].coef], &cs->val[cs->ct[t].var]);
}

int zk_cs_is_satisfied(const zk_cs *cs, size_t *first_bad, char *path,
                       size_t path_len)
{
    if (path && path_len > 0)
        path[0] = '\0';
    if (!cs)
        return ZK_EINVAL;
    if (cs->err)
        return cs->err;
    if (cs->mode != ZK_CS_WITNESS)
        return ZK_EINVAL;
    for (size_t i = 0; i < cs->n_cons; i++) {
        zk_fr a, b, c;
        ct_eval(&a, cs, 3 * i);
        ct_eval(&b, cs, 3 * i + 1);
        ct_eval(&c, cs, 3 * i + 2);
        zk_fr_mul(&a, &a, &b);
        if (!fr_eq(&a, &c)) {
            if (first_bad)
                *first_bad = i;
            if (path && path_len > 0)
                scope_path(path, path_len, cs, cs->cscope[i]);
            return ZK_EVERIFY;
        }
    }
    return ZK_OK;
}

static int scope_same(const zk_cs *a, uint32_t sa, const zk_cs *b,
                      uint32_t sb)
{
    while (sa != 0 && sb != 0) {
        const scope_node *x = &a->sc[sa], *y = &b->sc[sb];
        if (x->name_len != y->name_len ||
            memcmp(a->names + x->name_off, b->names + y->name_off,
                   x->name_len) != 0)
            return 0;
        sa = x->parent;
        sb = y->parent;
    }
    return sa == 0 && sb == 0;
}

int zk_cs_compare(const zk_cs *a, const zk_cs *b, size_t *first_diff)
{
    if (!a || !b)
        return ZK_EINVAL;
    if (a->err)
        return a->err;
    if (b->err)
        return b->err;
    if (a->mode == ZK_CS_WITNESS_ONLY || b->mode == ZK_CS_WITNESS_ONLY)
        return ZK_EINVAL;
    size_t n = a->n_cons < b->n_cons ? a->n_cons : b->n_cons;
    for (size_t i = 0; i < n; i++) {
        int same = scope_same(a, a->cscope[i], b, b->cscope[i]);
        for (size_t k = 3 * i; same && k < 3 * i + 3; k++) {
            size_t sa = a->ends[k], la = a->ends[k + 1] - sa;
            size_t sb = b->ends[k], lb = b->ends[k + 1] - sb;
            if (la != lb) {
                same = 0;
                break;
            }
            for (size_t t = 0; t < la; t++) {
                const cterm *x = &a->ct[sa + t], *y = &b->ct[sb + t];
                if (x->var != y->var ||
                    !fr_eq(&a->coef[x->coef], &b->coef[y->coef])) {
                    same = 0;
                    break;
                }
            }
        }
        if (!same) {
            if (first_diff)
                *first_diff = i;
            return ZK_EVERIFY;
        }
    }
    if (a->n_cons != b->n_cons) {
        if (first_diff)
            *first_diff = n;
        return ZK_EVERIFY;
    }
    if (a->n_vars != b->n_vars ||
        memcmp(a->info, b->info, a->n_vars * sizeof *a->info) != 0) {
        if (first_diff)
            *first_diff = n;
        return ZK_EVERIFY;
    }
    return ZK_OK;
}

int zk_cs_check_modes(zk_cs_build_fn build, void *ctx, size_t *first_diff)
{
    if (!build)
        return ZK_EINVAL;
    zk_cs *s = NULL, *w = NULL;
    int rc = zk_cs_new(&s, ZK_CS_SHAPE);
    if (rc == ZK_OK)
        rc = zk_cs_new(&w, ZK_CS_WITNESS);
    if (rc == ZK_OK)
        rc = build(s, ctx);
    if (rc == ZK_OK)
        rc = build(w, ctx);
    if (rc == ZK_OK)
        rc = zk_cs_compare(s, w, first_diff);
    zk_cs_free(s);
    zk_cs_free(w);
    return rc;
}

/* -------------------------------------------------------------- export */

/* Append the terms of builder LC [s, e) to out in wire order: the builder
 * order is by variable id and wire numbers grow with the id within each
 * kind, so taking the kinds in wire order (a stable partition) sorts. */
static size_t lc_to_wires(zk_r1cs_term *out, const zk_cs *cs,
                          const uint64_t base[5], size_t s, size_t e)
{
    static const unsigned order[5] = {KIND_ONE, KIND_OUT, KIND_IN, KIND_PRV,
                                      KIND_INT};
    size_t k = 0;
    for (unsigned o = 0; o < 5 && k < e - s; o++)
        for (size_t t = s; t < e; t++) {
            uint32_t info = cs->info[cs->ct[t].var];
            if (info >> KIND_SHIFT != order[o])
                continue;
            out[k].wire = wire_of(base, info);
            out[k].coeff = cs->coef[cs->ct[t].coef];
            k++;
        }
    return k;
}

int zk_cs_to_r1cs(zk_r1cs **out, const zk_cs *cs)
{
    if (out)
        *out = NULL;
    if (!out || !cs)
        return ZK_EINVAL;
    if (cs->err)
        return cs->err;
    if (cs->mode == ZK_CS_WITNESS_ONLY)
        return ZK_EINVAL;
    if (cs->n_vars > UINT32_MAX || cs->n_cons >= UINT32_MAX)
        return ZK_ERANGE;
    zk_r1cs *r;
    int rc = zk_r1cs_new(&r, (uint32_t)cs->n_kind[KIND_OUT],
                         (uint32_t)cs->n_kind[KIND_IN],
                         (uint32_t)cs->n_kind[KIND_PRV],
                         (uint32_t)cs->n_vars);
    if (rc != ZK_OK)
        return rc;
    uint64_t base[5];
    wire_bases(base, cs);
    zk_r1cs_term *buf = NULL;
    size_t cap = 0;
    for (size_t i = 0; i < cs->n_cons && rc == ZK_OK; i++) {
        size_t s = cs->ends[3 * i], len = cs->ends[3 * i + 3] - s;
        if (len > cap) {
            size_t ncap = cap ? cap : 64;
            while (ncap < len)
                ncap *= 2;
            zk_r1cs_term *nbuf = realloc(buf, ncap * sizeof *nbuf);
            if (!nbuf) {
                rc = ZK_ENOMEM;
                break;
            }
            buf = nbuf;
            cap = ncap;
        }
        const size_t *en = cs->ends + 3 * i;
        size_t na = lc_to_wires(buf, cs, base, en[0], en[1]);
        size_t nb = lc_to_wires(buf + na, cs, base, en[1], en[2]);
        size_t nc = lc_to_wires(buf + na + nb, cs, base, en[2], en[3]);
        rc = zk_r1cs_add_constraint(r, buf, na, buf + na, nb, buf + na + nb,
                                    nc);
    }
    free(buf);
    if (rc != ZK_OK) {
        zk_r1cs_free(r);
        return rc;
    }
    *out = r;
    return ZK_OK;
}

int zk_cs_witness(zk_fr **values, size_t *n, const zk_cs *cs)
{
    if (values)
        *values = NULL;
    if (n)
        *n = 0;
    if (!values || !n || !cs)
        return ZK_EINVAL;
    if (cs->err)
        return cs->err;
    if (!cs->val)
        return ZK_EINVAL;
    zk_fr *w = malloc(cs->n_vars * sizeof *w);
    if (!w)
        return ZK_ENOMEM;
    uint64_t base[5];
    wire_bases(base, cs);
    for (size_t v = 0; v < cs->n_vars; v++)
        w[wire_of(base, cs->info[v])] = cs->val[v];
    *values = w;
    *n = cs->n_vars;
    return ZK_OK;
}

int zk_cs_write_r1cs(const char *path, const zk_cs *cs)
{
    if (!path)
        return ZK_EINVAL;
    zk_r1cs *r;
    int rc = zk_cs_to_r1cs(&r, cs);
    if (rc != ZK_OK)
        return rc;
    rc = zk_r1cs_write(path, r);
    zk_r1cs_free(r);
    return rc;
}

int zk_cs_write_wtns(const char *path, const zk_cs *cs)
{
    if (!path)
        return ZK_EINVAL;
    zk_fr *w;
    size_t n;
    int rc = zk_cs_witness(&w, &n, cs);
    if (rc != ZK_OK)
        return rc;
    rc = zk_wtns_write(path, w, n);
    free(w);
    return rc;
}
