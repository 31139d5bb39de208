/*
 * setup.c -- Groth16 setup from a prepared ptau (snarkjs `zkey new`) and
 * the development setup (see setup.h).
 *
 * The reference is snarkjs src/zkey_new.js (0.7.x): processConstraints
 * (which Lagrange section each term of A, B, C feeds, the extra A rows of
 * the public wires, the coefficient list), composeAndWritePoints (one
 * multi-exponentiation per wire), writeHs (the odd points of the doubled
 * Lagrange block) and hashHPoints (the tau^i (tau^d - 1) points of the
 * circuit hash, from section 2).
 */
#include "groth16/setup.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "curve/msm.h"
#include "field/constants.h"
#include "io/binfile.h"

/* The kinds of an entry of the per-wire index. */
enum { K_A = 0, K_B = 1, K_C = 2, K_X = 3 /* extra A row, coefficient 1 */ };

/* One occurrence of a wire in the system: row, kind, coefficient (NULL
 * means 1). */
typedef struct {
    uint32_t row;
    uint32_t kind;
    const zk_fr *coef;
} wentry;

/* The system transposed: the entries of wire w are e[off[w] .. off[w+1]),
 * by row, then kind. */
typedef struct {
    size_t *off;
    wentry *e;
} windex;

/* Wires per pool task, and the entry count above which a wire's sums are
 * computed by Pippenger MSMs instead of one multiplication per term. */
#define WIRES_PER_TASK 64u
#define HEAVY_WIRE 1024u
/* Points per task when computing the hashed T_i. */
#define T_TASK 256u
#define T_CHUNK 65536u
/* snarkjs hashHPoints' chunk. */
#define SNARKJS_HASH_CHUNK 16384u

static _Thread_local char where_buf[160];

static void set_where(const char **where, const char *w)
{
    if (where)
        *where = w;
}

static const char *ptau_section_name(unsigned s)
{
    switch (s) {
    case 2: return "section 2 (tauG1)";
    case 12: return "section 12 (tauG1, Lagrange basis)";
    case 13: return "section 13 (tauG2, Lagrange basis)";
    case 14: return "section 14 (alphaTauG1, Lagrange basis)";
    case 15: return "section 15 (betaTauG1, Lagrange basis)";
    default: return "section";
    }
}

static void set_where_point(const char **where, unsigned section, int64_t idx)
{
    if (!where)
        return;
    snprintf(where_buf, sizeof where_buf, "ptau %s point %lld",
             ptau_section_name(section), (long long)idx);
    *where = where_buf;
}

/* ------------------------------------------------------ shared structure */

int zk_groth16_setup_log_domain(uint32_t *log_domain, const zk_r1cs *cs)
{
    if (!log_domain || !cs)
        return ZK_EINVAL;
    uint64_t rows = (uint64_t)zk_r1cs_n_constraints(cs) + zk_r1cs_n_pub_out(cs) +
                    zk_r1cs_n_pub_in(cs) + 1;
    uint32_t k = 1;
    while (k <= ZK_ZKEY_MAX_LOG_DOMAIN && ((uint64_t)1 << k) < rows)
        k++;
    if (k > ZK_ZKEY_MAX_LOG_DOMAIN)
        return ZK_EUNSUPPORTED;
    *log_domain = k;
    return ZK_OK;
}

static void windex_free(windex *ix)
{
    free(ix->off);
    free(ix->e);
    ix->off = NULL;
    ix->e = NULL;
}

static int windex_build(windex *ix, const zk_r1cs *cs, uint32_t n_public)
{
    const uint32_t n = zk_r1cs_n_wires(cs), m = zk_r1cs_n_constraints(cs);
    const size_t total = zk_r1cs_n_terms(cs) + (size_t)n_public + 1;
    ix->off = calloc((size_t)n + 1, sizeof *ix->off);
    ix->e = malloc(total * sizeof *ix->e);
    size_t *pos = malloc(((size_t)n + 1) * sizeof *pos);
    if (!ix->off || !ix->e || !pos) {
        free(pos);
        windex_free(ix);
        return ZK_ENOMEM;
    }
    for (uint32_t i = 0; i < m; i++)
        for (unsigned j = 0; j < 3; j++) {
            size_t nt;
            const zk_r1cs_term *t = zk_r1cs_lc(cs, i, j, &nt);
            for (size_t k = 0; k < nt; k++)
                ix->off[t[k].wire + 1]++;
        }
    for (uint32_t s = 0; s <= n_public; s++)
        ix->off[s + 1]++;
    for (uint32_t w = 0; w < n; w++)
        ix->off[w + 1] += ix->off[w];
    memcpy(pos, ix->off, ((size_t)n + 1) * sizeof *pos);
    for (uint32_t i = 0; i < m; i++)
        for (unsigned j = 0; j < 3; j++) {
            size_t nt;
            const zk_r1cs_term *t = zk_r1cs_lc(cs, i, j, &nt);
            for (size_t k = 0; k < nt; k++)
                ix->e[pos[t[k].wire]++] = (wentry){ i, j, &t[k].coeff };
        }
    for (uint32_t s = 0; s <= n_public; s++)
        ix->e[pos[s]++] = (wentry){ m + s, K_X, NULL };
    free(pos);
    return ZK_OK;
}

/* Everything of the key that does not depend on tau: sizes and the
 * coefficient list in snarkjs's order. */
static int key_skeleton(zk_zkey **out, const zk_r1cs *cs, uint32_t log_domain)
{
    const uint32_t n = zk_r1cs_n_wires(cs), m = zk_r1cs_n_constraints(cs);
    const uint32_t n_public = zk_r1cs_n_pub_out(cs) + zk_r1cs_n_pub_in(cs);
    size_t n_coefs = (size_t)n_public + 1;
    for (uint32_t i = 0; i < m; i++)
        for (unsigned j = 0; j < 2; j++) {
            size_t nt;
            (void)zk_r1cs_lc(cs, i, j, &nt);
            n_coefs += nt;
        }
    zk_zkey *z;
    int rc = zk_zkey_alloc(&z, n, n_public, log_domain, n_coefs, 0);
    if (rc != ZK_OK)
        return rc;
    z->n_vars = n;
    z->n_public = n_public;
    z->log_domain = log_domain;
    z->domain_size = UINT32_C(1) << log_domain;
    z->n_coefs = n_coefs;
    z->n_contributions = 0;
    size_t k = 0;
    for (uint32_t i = 0; i < m; i++)
        for (unsigned j = 0; j < 2; j++) {
            size_t nt;
            const zk_r1cs_term *t = zk_r1cs_lc(cs, i, j, &nt);
            for (size_t q = 0; q < nt; q++)
                z->coefs[k++] = (zk_zkey_coef){ j, i, t[q].wire, t[q].coeff };
        }
    for (uint32_t s = 0; s <= n_public; s++) {
        z->coefs[k] = (zk_zkey_coef){ 0, m + s, s, { { 0 } } };
        zk_fr_one(&z->coefs[k].value);
        k++;
    }
    *out = z;
    return ZK_OK;
}

/* ------------------------------------------------------------ circuit hash */

static void hash_u32(crypto_generichash_state *st, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8),
                     (uint8_t)v };
    crypto_generichash_update(st, b, sizeof b);
}

static void hash_g1s(crypto_generichash_state *st, const zk_g1 *p, size_t n)
{
    uint8_t buf[64 * 64];
    for (size_t i = 0; i < n;) {
        size_t k = 0;
        for (; k < 64 && i < n; k++, i++)
            zk_g1_to_eth(buf + 64 * k, &p[i]);
        crypto_generichash_update(st, buf, 64 * k);
    }
}

static void hash_g2s(crypto_generichash_state *st, const zk_g2 *p, size_t n)
{
    uint8_t buf[128 * 32];
    for (size_t i = 0; i < n;) {
        size_t k = 0;
        for (; k < 32 && i < n; k++, i++)
            zk_g2_to_eth(buf + 128 * k, &p[i]);
        crypto_generichash_update(st, buf, 128 * k);
    }
}

/* The number of T_i points snarkjs hashes (see setup.h). */
static size_t hash_t_count(size_t d)
{
    size_t t = d - 1;
    if (t <= SNARKJS_HASH_CHUNK)
        return t;
    return (t + SNARKJS_HASH_CHUNK - 1) / SNARKJS_HASH_CHUNK * SNARKJS_HASH_CHUNK;
}

static void hash_head(crypto_generichash_state *st, const zk_zkey *z)
{
    crypto_generichash_init(st, NULL, 0, 64);
    hash_g1s(st, &z->alpha1, 1);
    hash_g1s(st, &z->beta1, 1);
    hash_g2s(st, &z->beta2, 1);
    hash_g2s(st, &z->gamma2, 1);
    hash_g1s(st, &z->delta1, 1);
    hash_g2s(st, &z->delta2, 1);
    hash_u32(st, z->n_public + 1);
    hash_g1s(st, z->ic, (size_t)z->n_public + 1);
    hash_u32(st, z->domain_size - 1);
}

static void hash_tail(crypto_generichash_state *st, zk_zkey *z)
{
    const size_t n = z->n_vars, npriv = n - z->n_public - 1;
    hash_u32(st, (uint32_t)npriv);
    hash_g1s(st, z->c, npriv);
    hash_u32(st, (uint32_t)n);
    hash_g1s(st, z->a, n);
    hash_u32(st, (uint32_t)n);
    hash_g1s(st, z->b1, n);
    hash_u32(st, (uint32_t)n);
    hash_g2s(st, z->b2, n);
    crypto_generichash_final(st, z->cs_hash, sizeof z->cs_hash);
}

/* ------------------------------------------------ ptau setup: wire sums */

/* A scalar c as +-mag with mag = min(c, r - c): double-and-add over
 * bits(mag) bits. */
typedef struct {
    uint64_t mag[4];
    unsigned bits;
    int neg;
} small_sc;

static unsigned bitlen4(const uint64_t v[4])
{
    for (int i = 3; i >= 0; i--)
        if (v[i])
            return (unsigned)(64 * i + 64 - __builtin_clzll(v[i]));
    return 0;
}

static void sc_prepare(small_sc *s, const zk_fr *c)
{
    if (!c) {
        memset(s, 0, sizeof *s);
        s->mag[0] = 1;
        s->bits = 1;
        return;
    }
    uint64_t a[4], b[4];
    zk_fr n;
    zk_fr_to_limbs(a, c);
    zk_fr_neg(&n, c);
    zk_fr_to_limbs(b, &n);
    unsigned la = bitlen4(a), lb = bitlen4(b);
    s->neg = lb < la;
    memcpy(s->mag, s->neg ? b : a, sizeof s->mag);
    s->bits = s->neg ? lb : la;
}

/* acc += c p, variable time (public data). */
#define DEFINE_MULADD(G, A, J)                                                  \
    static void G##_muladd(J *acc, const A *p, const small_sc *s)               \
    {                                                                           \
        if (s->bits == 0 || zk_##G##_is_inf(p))                                 \
            return;                                                             \
        if (s->bits == 1) {                                                     \
            if (s->neg) {                                                       \
                A q;                                                            \
                zk_##G##_neg(&q, p);                                            \
                zk_##G##j_add_affine(acc, acc, &q);                             \
            } else {                                                            \
                zk_##G##j_add_affine(acc, acc, p);                              \
            }                                                                   \
            return;                                                             \
        }                                                                       \
        J t;                                                                    \
        zk_##G##j_from_affine(&t, p);                                           \
        for (unsigned i = s->bits - 1; i-- > 0;) {                              \
            zk_##G##j_dbl(&t, &t);                                              \
            if ((s->mag[i / 64] >> (i % 64)) & 1)                               \
                zk_##G##j_add_affine(&t, &t, p);                                \
        }                                                                       \
        if (s->neg)                                                             \
            zk_##G##j_neg(&t, &t);                                              \
        zk_##G##j_add(acc, acc, &t);                                            \
    }

DEFINE_MULADD(g1, zk_g1, zk_g1j)
DEFINE_MULADD(g2, zk_g2, zk_g2j)

typedef struct {
    const windex *ix;
    zk_zkey *z;
    const zk_g1 *L, *aL, *bL; /* Lagrange blocks of sections 12, 14, 15 */
    const zk_g2 *L2;          /* of section 13 */
    int err;
    zk_meter *meter;          /* one unit per (wire, row) term */
} wire_job;

/* The private-or-public destination of wire w's IC/C point. */
static zk_g1 *k_slot(zk_zkey *z, size_t w)
{
    return w <= z->n_public ? &z->ic[w] : &z->c[w - z->n_public - 1];
}

static void wire_task(void *arg, size_t c)
{
    wire_job *j = arg;
    zk_zkey *z = j->z;
    const size_t w0 = c * WIRES_PER_TASK;
    const size_t nb = w0 + WIRES_PER_TASK <= z->n_vars ? WIRES_PER_TASK : z->n_vars - w0;
    zk_g1j ja[WIRES_PER_TASK], jb1[WIRES_PER_TASK], jk[WIRES_PER_TASK];
    zk_g2j jb2[WIRES_PER_TASK];
    zk_g1 tk[WIRES_PER_TASK];

    for (size_t q = 0; q < nb; q++) {
        const size_t w = w0 + q;
        zk_g1j_set_inf(&ja[q]);
        zk_g1j_set_inf(&jb1[q]);
        zk_g1j_set_inf(&jk[q]);
        zk_g2j_set_inf(&jb2[q]);
        if (j->ix->off[w + 1] - j->ix->off[w] > HEAVY_WIRE)
            continue; /* done by heavy_wire() */
        zk_meter_add(j->meter, j->ix->off[w + 1] - j->ix->off[w]);
        for (size_t e = j->ix->off[w]; e < j->ix->off[w + 1]; e++) {
            const wentry *en = &j->ix->e[e];
            small_sc s;
            sc_prepare(&s, en->coef);
            switch (en->kind) {
            case K_A:
            case K_X:
                g1_muladd(&ja[q], &j->L[en->row], &s);
                g1_muladd(&jk[q], &j->bL[en->row], &s);
                break;
            case K_B:
                g1_muladd(&jb1[q], &j->L[en->row], &s);
                g2_muladd(&jb2[q], &j->L2[en->row], &s);
                g1_muladd(&jk[q], &j->aL[en->row], &s);
                break;
            default:
                g1_muladd(&jk[q], &j->L[en->row], &s);
                break;
            }
        }
    }
    int rc = zk_g1j_batch_to_affine(z->a + w0, ja, nb);
    if (rc == ZK_OK)
        rc = zk_g1j_batch_to_affine(z->b1 + w0, jb1, nb);
    if (rc == ZK_OK)
        rc = zk_g2j_batch_to_affine(z->b2 + w0, jb2, nb);
    if (rc == ZK_OK)
        rc = zk_g1j_batch_to_affine(tk, jk, nb);
    if (rc != ZK_OK) {
        __atomic_store_n(&j->err, rc, __ATOMIC_RELAXED);
        return;
    }
    for (size_t q = 0; q < nb; q++)
        *k_slot(z, w0 + q) = tk[q];
}

/* The sums of one wire with many terms, each an MSM on the pool. */
static int heavy_wire(wire_job *j, size_t w, zk_g1 *p1, zk_g2 *p2, zk_fr *sc,
                      zk_pool *pool)
{
    const wentry *e = j->ix->e + j->ix->off[w];
    const size_t n = j->ix->off[w + 1] - j->ix->off[w];
    zk_g1j r1;
    zk_g2j r2;
    size_t k;
    int rc;

#define GATHER(COND, DST, SRC)                                  \
    do {                                                        \
        k = 0;                                                  \
        for (size_t i = 0; i < n; i++) {                        \
            if (!(COND))                                        \
                continue;                                       \
            DST[k] = SRC[e[i].row];                             \
            if (e[i].coef)                                      \
                sc[k] = *e[i].coef;                             \
            else                                                \
                zk_fr_one(&sc[k]);                              \
            k++;                                                \
        }                                                       \
    } while (0)

    /* A */
    GATHER(e[i].kind == K_A || e[i].kind == K_X, p1, j->L);
    if ((rc = zk_msm_g1(&r1, p1, sc, k, pool)) != ZK_OK)
        return rc;
    zk_g1_from_jacobian(&j->z->a[w], &r1);
    /* B1, B2 */
    GATHER(e[i].kind == K_B, p1, j->L);
    if ((rc = zk_msm_g1(&r1, p1, sc, k, pool)) != ZK_OK)
        return rc;
    zk_g1_from_jacobian(&j->z->b1[w], &r1);
    GATHER(e[i].kind == K_B, p2, j->L2);
    if ((rc = zk_msm_g2(&r2, p2, sc, k, pool)) != ZK_OK)
        return rc;
    zk_g2_from_jacobian(&j->z->b2[w], &r2);
    /* IC or C: beta L for A, alpha L for B, L for C */
    k = 0;
    for (size_t i = 0; i < n; i++) {
        const zk_g1 *src = e[i].kind == K_B ? j->aL : e[i].kind == K_C ? j->L : j->bL;
        p1[k] = src[e[i].row];
        if (e[i].coef)
            sc[k] = *e[i].coef;
        else
            zk_fr_one(&sc[k]);
        k++;
    }
    if ((rc = zk_msm_g1(&r1, p1, sc, k, pool)) != ZK_OK)
        return rc;
    zk_g1_from_jacobian(k_slot(j->z, w), &r1);
#undef GATHER
    return ZK_OK;
}

/* The meter's units of wire w: a light wire's terms (wire_task counts
 * them), or the points of a heavy wire's four MSMs (which count
 * themselves): its A and X terms, twice its B terms (G1 and G2), and all
 * its terms for IC/C. */
static uint64_t wire_units(const windex *ix, size_t w)
{
    const size_t m = ix->off[w + 1] - ix->off[w];
    if (m <= HEAVY_WIRE)
        return m;
    uint64_t u = m;
    for (size_t e = ix->off[w]; e < ix->off[w + 1]; e++)
        u += ix->e[e].kind == K_B ? 2 : ix->e[e].kind == K_C ? 0 : 1;
    return u;
}

static int wire_sums(wire_job *j, zk_pool *pool)
{
    const size_t n = j->z->n_vars;
    uint64_t units = 0;
    for (size_t w = 0; w < n; w++)
        units += wire_units(j->ix, w);
    j->meter = zk_pool_meter(pool);
    zk_meter_begin(j->meter, "setup", units);
    int rc = zk_pool_run(pool, (n + WIRES_PER_TASK - 1) / WIRES_PER_TASK, wire_task, j);
    if (rc == ZK_OK)
        rc = j->err;
    if (rc != ZK_OK)
        return rc;
    size_t maxn = 0;
    for (size_t w = 0; w < n; w++) {
        size_t c = j->ix->off[w + 1] - j->ix->off[w];
        if (c > HEAVY_WIRE && c > maxn)
            maxn = c;
    }
    if (maxn == 0)
        return ZK_OK;
    zk_g1 *p1 = malloc(maxn * sizeof *p1);
    zk_g2 *p2 = malloc(maxn * sizeof *p2);
    zk_fr *sc = malloc(maxn * sizeof *sc);
    rc = p1 && p2 && sc ? ZK_OK : ZK_ENOMEM;
    for (size_t w = 0; w < n && rc == ZK_OK; w++)
        if (j->ix->off[w + 1] - j->ix->off[w] > HEAVY_WIRE)
            rc = heavy_wire(j, w, p1, p2, sc, pool); /* its MSMs count */
    free(p1);
    free(p2);
    free(sc);
    return rc;
}

/* ------------------------------------------------- ptau setup: the hash */

typedef struct {
    const zk_g1 *lo, *hi; /* T_i = hi[i] - lo[i] */
    size_t n;
    uint8_t *out;         /* n eth encodings */
    int err;
} tdiff_job;

static void tdiff_task(void *arg, size_t c)
{
    tdiff_job *j = arg;
    const size_t i0 = c * T_TASK;
    const size_t nb = i0 + T_TASK <= j->n ? T_TASK : j->n - i0;
    zk_g1j t[T_TASK];
    zk_g1 a[T_TASK];
    memset(t, 0, nb * sizeof *t); /* (quiets -Wmaybe-uninitialized) */
    for (size_t q = 0; q < nb; q++) {
        zk_g1 neg;
        zk_g1_neg(&neg, &j->lo[i0 + q]);
        zk_g1j_from_affine(&t[q], &j->hi[i0 + q]);
        zk_g1j_add_affine(&t[q], &t[q], &neg);
    }
    int rc = zk_g1j_batch_to_affine(a, t, nb);
    if (rc != ZK_OK) {
        __atomic_store_n(&j->err, rc, __ATOMIC_RELAXED);
        return;
    }
    for (size_t q = 0; q < nb; q++)
        zk_g1_to_eth(j->out + 64 * (i0 + q), &a[q]);
}

/*
 * The point snarkjs reads past the end of section 2 is 64 arbitrary bytes
 * taken as Montgomery x || y, and its coordinates are usually >= p.  The
 * wasm field code of ffjavascript (wasmcurves build_f1m.js) works on such
 * raw 256-bit values without reducing them first, and its add and sub
 * then lose or gain 2^256: the result is not the one of field arithmetic
 * on x mod p.  So the few operations involved are emulated here on raw
 * values, exactly as wasmcurves defines them:
 *   add(a, b): s = a + b; if s >= 2^256: s - p (mod 2^256), elif s >= p:
 *              s - p;
 *   sub(a, b): a - b; if a < b: a - b + p (mod 2^256);
 *   mul(a, b): S = (a b + m p) / 2^256 (Montgomery reduction, S < 2^256 +
 *              p); if S >= 2^256 or S >= p: S - p;
 * and the sequence is g1m_subAffine = negAffine then addAffine (madd-2007-
 * bl with the zero and equal-x tests), g1m_batchToAffine and
 * g1m_batchLEMtoU.  From the Jacobian result on, every step is a
 * multiplication or a reduction, which agree with field arithmetic, so
 * the tail uses zk_fp.
 */
typedef struct {
    uint64_t l[4];
} raw256;

static const uint64_t RAW_P[4] = ZK_FP_MODULUS;

static int raw_ge(const raw256 *a, const uint64_t b[4])
{
    for (int i = 3; i >= 0; i--)
        if (a->l[i] != b[i])
            return a->l[i] > b[i];
    return 1;
}

/* r = a - b mod 2^256; returns the borrow. */
static unsigned raw_sub_int(raw256 *r, const raw256 *a, const uint64_t b[4])
{
    unsigned __int128 borrow = 0;
    for (int i = 0; i < 4; i++) {
        unsigned __int128 t = (unsigned __int128)a->l[i] - b[i] - borrow;
        r->l[i] = (uint64_t)t;
        borrow = (t >> 64) & 1;
    }
    return (unsigned)borrow;
}

/* r = a + b mod 2^256; returns the carry. */
static unsigned raw_add_int(raw256 *r, const raw256 *a, const uint64_t b[4])
{
    unsigned __int128 carry = 0;
    for (int i = 0; i < 4; i++) {
        unsigned __int128 t = (unsigned __int128)a->l[i] + b[i] + carry;
        r->l[i] = (uint64_t)t;
        carry = t >> 64;
    }
    return (unsigned)carry;
}

static void w_add(raw256 *r, const raw256 *a, const raw256 *b)
{
    if (raw_add_int(r, a, b->l) || raw_ge(r, RAW_P))
        (void)raw_sub_int(r, r, RAW_P);
}

static void w_sub(raw256 *r, const raw256 *a, const raw256 *b)
{
    if (raw_sub_int(r, a, b->l))
        (void)raw_add_int(r, r, RAW_P);
}

static void w_mul(raw256 *r, const raw256 *a, const raw256 *b)
{
    uint64_t t[9] = { 0 };
    for (int i = 0; i < 4; i++) {
        unsigned __int128 c = 0;
        for (int j = 0; j < 4; j++) {
            c += (unsigned __int128)a->l[i] * b->l[j] + t[i + j];
            t[i + j] = (uint64_t)c;
            c >>= 64;
        }
        t[i + 4] = (uint64_t)c;
    }
    for (int i = 0; i < 4; i++) {
        uint64_t m = t[i] * ZK_FP_NINV;
        unsigned __int128 c = 0;
        for (int j = 0; j < 4; j++) {
            c += (unsigned __int128)m * RAW_P[j] + t[i + j];
            t[i + j] = (uint64_t)c;
            c >>= 64;
        }
        for (int k = i + 4; k < 9 && c; k++) {
            c += t[k];
            t[k] = (uint64_t)c;
            c >>= 64;
        }
    }
    memcpy(r->l, t + 4, sizeof r->l);
    if (t[8] || raw_ge(r, RAW_P))
        (void)raw_sub_int(r, r, RAW_P);
}

static int raw_eq(const raw256 *a, const raw256 *b)
{
    return memcmp(a->l, b->l, sizeof a->l) == 0;
}

static int raw_is_zero(const raw256 *a)
{
    return (a->l[0] | a->l[1] | a->l[2] | a->l[3]) == 0;
}

/* The zk_fp whose Montgomery representation is a mod p. */
static zk_fp raw_to_fp(raw256 a)
{
    while (raw_ge(&a, RAW_P))
        (void)raw_sub_int(&a, &a, RAW_P);
    zk_fp f;
    memcpy(f.l, a.l, sizeof f.l); /* zk_fp holds the Montgomery form */
    return f;
}

static raw256 fp_to_raw(const zk_fp *f)
{
    raw256 a;
    memcpy(a.l, f->l, sizeof a.l);
    return a;
}

/* out = eth(affine(g1m_subAffine(raw, p))), as snarkjs computes it. */
static void overread_diff(uint8_t out[64], const uint8_t rawbytes[64], const zk_g1 *p)
{
    raw256 x1, y1, x2, y2, zero = { { 0 } };
    for (int i = 0; i < 4; i++) {
        x1.l[i] = zk_load_u64_le(rawbytes + 8 * i);
        y1.l[i] = zk_load_u64_le(rawbytes + 32 + 8 * i);
    }
    /* negAffine(p) */
    x2 = fp_to_raw(&p->x);
    y2 = fp_to_raw(&p->y);
    w_sub(&y2, &zero, &y2);

    zk_g1 r;
    zk_fp X, Y, Z;
    if (raw_is_zero(&x1) && raw_is_zero(&y1)) { /* isZeroAffine(p1): -p */
        r.x = raw_to_fp(x2);
        r.y = raw_to_fp(y2);
        zk_g1_to_eth(out, &r);
        return;
    }
    if (raw_is_zero(&x2) && raw_is_zero(&y2)) { /* isZeroAffine(p2): p1 */
        r.x = raw_to_fp(x1);
        r.y = raw_to_fp(y1);
        zk_g1_to_eth(out, &r);
        return;
    }
    if (raw_eq(&x1, &x2) && raw_eq(&y1, &y2)) {
        /* doubleAffine(p2): p2 is -p, a curve point */
        zk_g1j j;
        zk_g1 q;
        zk_g1_neg(&q, p);
        zk_g1j_from_affine(&j, &q);
        zk_g1j_dbl(&j, &j);
        zk_g1_from_jacobian(&r, &j);
        zk_g1_to_eth(out, &r);
        return;
    }
    raw256 H, yd, HH, I, J, rr, V, r2, V2, x3, y3, y1J2, z3;
    w_sub(&H, &x2, &x1);
    w_sub(&yd, &y2, &y1);
    w_mul(&HH, &H, &H);
    w_add(&I, &HH, &HH);
    w_add(&I, &I, &I);
    w_mul(&J, &H, &I);
    w_add(&rr, &yd, &yd);
    w_mul(&V, &x1, &I);
    w_mul(&r2, &rr, &rr);
    w_add(&V2, &V, &V);
    w_sub(&x3, &r2, &J);
    w_sub(&x3, &x3, &V2);
    w_mul(&y1J2, &y1, &J);
    w_add(&y1J2, &y1J2, &y1J2);
    w_sub(&y3, &V, &x3);
    w_mul(&y3, &y3, &rr);
    w_sub(&y3, &y3, &y1J2);
    w_add(&z3, &H, &H);
    if (raw_is_zero(&z3)) { /* batchToAffine of Z = 0 */
        memset(out, 0, 64);
        return;
    }
    /* batchToAffine and LEMtoU: multiplications, an inversion of Z mod p
     * and reductions, all congruent: field arithmetic from here */
    X = raw_to_fp(x3);
    Y = raw_to_fp(y3);
    Z = raw_to_fp(z3);
    zk_fp zi, zi2;
    if (zk_fp_inv_var(&zi, &Z) != ZK_OK) { /* Z = p exactly: reduces to 0 */
        memset(out, 0, 64);
        return;
    }
    zk_fp_sqr(&zi2, &zi);
    zk_fp_mul(&r.x, &X, &zi2);
    zk_fp_mul(&zi2, &zi2, &zi);
    zk_fp_mul(&r.y, &Y, &zi2);
    if (zk_g1_is_inf(&r)) { /* LEMtoU: (0, 0) stays zeros */
        memset(out, 0, 64);
        return;
    }
    zk_g1_to_eth(out, &r);
}

/* Hash d - 1 and the T_i = tau^(i+d) G1 - tau^i G1 of section 2. */
static int hash_t_ptau(crypto_generichash_state *st, const zk_ptau *ptau, size_t d,
                       zk_pool *pool, const char **where)
{
    const size_t t = hash_t_count(d);
    const uint64_t n2 = zk_ptau_section_points(ptau, 2);
    uint8_t raw[64];
    int overread = d + t > n2; /* only for t = d = 2^power */
    int rc;
    if (overread && (rc = zk_ptau_section2_overread(raw, ptau)) != ZK_OK) {
        set_where(where, "ptau: the bytes after section 2 (hashed by snarkjs)");
        return rc;
    }
    const size_t chunk = t < T_CHUNK ? t : T_CHUNK;
    zk_g1 *lo = malloc((chunk ? chunk : 1) * sizeof *lo);
    zk_g1 *hi = malloc((chunk ? chunk : 1) * sizeof *hi);
    uint8_t *enc = malloc((chunk ? chunk : 1) * 64);
    if (!lo || !hi || !enc) {
        rc = ZK_ENOMEM;
        goto out;
    }
    rc = ZK_OK;
    for (size_t i0 = 0; i0 < t; i0 += chunk) {
        const size_t n = t - i0 < chunk ? t - i0 : chunk;
        const size_t nhi = d + i0 + n > n2 ? (size_t)(n2 - d - i0) : n;
        int64_t bad;
        if ((rc = zk_ptau_g1_range(lo, ptau, 2, i0, n, pool, &bad)) != ZK_OK ||
            (rc = zk_ptau_g1_range(hi, ptau, 2, d + i0, nhi, pool, &bad)) != ZK_OK) {
            set_where_point(where, 2, bad);
            goto out;
        }
        tdiff_job j = { lo, hi, nhi, enc, ZK_OK };
        if ((rc = zk_pool_run(pool, (nhi + T_TASK - 1) / T_TASK, tdiff_task, &j)) != ZK_OK ||
            (rc = j.err) != ZK_OK)
            goto out;
        if (nhi < n) /* the one point past the section */
            overread_diff(enc + 64 * nhi, raw, &lo[nhi]);
        crypto_generichash_update(st, enc, 64 * n);
    }
out:
    free(lo);
    free(hi);
    free(enc);
    return rc;
}

/* ------------------------------------------------------- ptau setup */

static int load_g1(zk_g1 **out, const zk_ptau *ptau, unsigned s, uint64_t first,
                   size_t n, zk_pool *pool, const char **where)
{
    int64_t bad;
    *out = malloc(n * sizeof **out);
    if (!*out)
        return ZK_ENOMEM;
    int rc = zk_ptau_g1_range(*out, ptau, s, first, n, pool, &bad);
    if (rc != ZK_OK) {
        set_where_point(where, s, bad);
        free(*out);
        *out = NULL;
    }
    return rc;
}

static int check_input(const zk_r1cs *cs, uint32_t *log_domain, const char **where)
{
    if (zk_r1cs_uses_custom_gates(cs)) {
        set_where(where, "r1cs: custom gates (PLONK only)");
        return ZK_EUNSUPPORTED;
    }
    int rc = zk_groth16_setup_log_domain(log_domain, cs);
    if (rc == ZK_OK && *log_domain >= ZK_ZKEY_MAX_LOG_DOMAIN)
        rc = ZK_EUNSUPPORTED;
    if (rc != ZK_OK)
        set_where(where, "r1cs: domain of 2^28 rows or more");
    return rc;
}

int zk_groth16_setup(zk_zkey **out, const zk_r1cs *cs, const zk_ptau *ptau,
                     zk_pool *pool, const char **where)
{
    set_where(where, NULL);
    if (out)
        *out = NULL;
    if (!out || !cs || !ptau)
        return ZK_EINVAL;
    uint32_t k;
    int rc = check_input(cs, &k, where);
    if (rc != ZK_OK)
        return rc;
    if (!zk_ptau_is_prepared(ptau)) {
        set_where(where, "ptau: not prepared for phase 2");
        return ZK_EFORMAT;
    }
    if (zk_ptau_power(ptau) < k) {
        set_where(where, "ptau: power too small for the circuit");
        return ZK_ERANGE;
    }
    const size_t d = (size_t)1 << k;
    const uint64_t off = zk_ptau_lagrange_offset(k);

    zk_zkey *z = NULL;
    windex ix = { NULL, NULL };
    zk_g1 *L = NULL, *aL = NULL, *bL = NULL, *H2 = NULL;
    zk_g2 *L2 = NULL;
    if ((rc = key_skeleton(&z, cs, k)) != ZK_OK ||
        (rc = windex_build(&ix, cs, z->n_public)) != ZK_OK)
        goto fail;
    z->alpha1 = *zk_ptau_alpha_g1(ptau);
    z->beta1 = *zk_ptau_beta_g1(ptau);
    z->beta2 = *zk_ptau_beta_g2(ptau);
    zk_g2_generator(&z->gamma2);
    zk_g1_generator(&z->delta1);
    zk_g2_generator(&z->delta2);

    /* A, B1, B2, IC, C */
    if ((rc = load_g1(&L, ptau, 12, off, d, pool, where)) != ZK_OK ||
        (rc = load_g1(&aL, ptau, 14, off, d, pool, where)) != ZK_OK ||
        (rc = load_g1(&bL, ptau, 15, off, d, pool, where)) != ZK_OK)
        goto fail;
    L2 = malloc(d * sizeof *L2);
    if (!L2) {
        rc = ZK_ENOMEM;
        goto fail;
    }
    int64_t bad;
    if ((rc = zk_ptau_g2_range(L2, ptau, 13, off, d, pool, &bad)) != ZK_OK) {
        set_where_point(where, 13, bad);
        goto fail;
    }
    wire_job wj = { &ix, z, L, aL, bL, L2, ZK_OK, NULL };
    if ((rc = wire_sums(&wj, pool)) != ZK_OK)
        goto fail;
    free(L);
    free(aL);
    free(bL);
    free(L2);
    L = aL = bL = NULL;
    L2 = NULL;
    windex_free(&ix);

    /* H: the odd points of the doubled block */
    if ((rc = load_g1(&H2, ptau, 12, zk_ptau_lagrange_offset(k + 1), 2 * d, pool,
                      where)) != ZK_OK)
        goto fail;
    for (size_t i = 0; i < d; i++)
        z->h[i] = H2[2 * i + 1];
    free(H2);
    H2 = NULL;

    crypto_generichash_state st;
    hash_head(&st, z);
    if ((rc = hash_t_ptau(&st, ptau, d, pool, where)) != ZK_OK)
        goto fail;
    hash_tail(&st, z);
    zk_meter_end(zk_pool_meter(pool));
    *out = z;
    return ZK_OK;

fail:
    zk_meter_end(zk_pool_meter(pool));
    free(L);
    free(aL);
    free(bL);
    free(L2);
    free(H2);
    windex_free(&ix);
    zk_zkey_free(z);
    return rc;
}

/* ------------------------------------------------------------ dev setup */

/* The toxic waste and the values derived from it (sodium_malloc). */
typedef struct {
    zk_fr tau, alpha, beta, gamma, delta;
    zk_fr gamma_inv, delta_inv, t, f;
    zk_fr hdr[3];
} dev_secrets;

static void random_nonzero(zk_fr *r)
{
    do
        zk_fr_random(r);
    while (zk_fr_is_zero(r));
}

typedef struct {
    const windex *ix;
    const zk_fr *L;          /* L_j(tau), j < d */
    zk_fr *u, *v, *k;        /* per wire */
    const dev_secrets *sec;
    uint32_t n_vars, n_public;
} dev_wire_job;

/* u, v and the IC/C scalar (beta u + alpha v + w)/(gamma or delta) of
 * WIRES_PER_TASK wires; constant time in the secrets. */
static void dev_wire_task(void *arg, size_t c)
{
    dev_wire_job *j = arg;
    const size_t w0 = c * WIRES_PER_TASK;
    const size_t w1 = w0 + WIRES_PER_TASK <= j->n_vars ? w0 + WIRES_PER_TASK : j->n_vars;
    zk_fr acc[3], t;
    for (size_t w = w0; w < w1; w++) {
        zk_fr_zero(&acc[0]);
        zk_fr_zero(&acc[1]);
        zk_fr_zero(&acc[2]);
        for (size_t e = j->ix->off[w]; e < j->ix->off[w + 1]; e++) {
            const wentry *en = &j->ix->e[e];
            const unsigned slot = en->kind == K_X ? K_A : en->kind;
            if (en->coef)
                zk_fr_mul(&t, en->coef, &j->L[en->row]);
            else
                t = j->L[en->row];
            zk_fr_add(&acc[slot], &acc[slot], &t);
        }
        j->u[w] = acc[0];
        j->v[w] = acc[1];
        zk_fr_mul(&t, &j->sec->beta, &acc[0]);
        zk_fr_add(&acc[2], &acc[2], &t);
        zk_fr_mul(&t, &j->sec->alpha, &acc[1]);
        zk_fr_add(&acc[2], &acc[2], &t);
        zk_fr_mul(&j->k[w], &acc[2],
                  w <= j->n_public ? &j->sec->gamma_inv : &j->sec->delta_inv);
    }
    sodium_memzero(acc, sizeof acc);
    sodium_memzero(&t, sizeof t);
}

/* out[j] = f * x_j / (tau - x_j) for x_j = g0 * g^j, j < n: the
 * barycentric Lagrange values times f.  den is scratch of n elements. */
static void lagrange_values(zk_fr *out, zk_fr *den, size_t n, const zk_fr *tau,
                            const zk_fr *g0, const zk_fr *g, const zk_fr *f)
{
    zk_fr x = *g0;
    for (size_t j = 0; j < n; j++) {
        zk_fr_sub(&den[j], tau, &x);
        zk_fr_mul(&x, &x, g);
    }
    zk_fr_batch_inv(out, den, n);
    x = *g0;
    for (size_t j = 0; j < n; j++) {
        zk_fr_mul(&out[j], &out[j], &x);
        zk_fr_mul(&out[j], &out[j], f);
        zk_fr_mul(&x, &x, g);
    }
    sodium_memzero(den, n * sizeof *den);
}

/* Secret scalar arrays in sodium_malloc memory (wiped by sodium_free). */
static zk_fr *secret_array(size_t n)
{
    return sodium_allocarray(n ? n : 1, sizeof(zk_fr));
}

int zk_groth16_setup_dev(zk_zkey **out, const zk_r1cs *cs, zk_pool *pool)
{
    if (out)
        *out = NULL;
    if (!out || !cs)
        return ZK_EINVAL;
    if (sodium_init() < 0)
        return ZK_EIO;
    uint32_t k;
    int rc = check_input(cs, &k, NULL);
    if (rc != ZK_OK)
        return rc;
    const size_t d = (size_t)1 << k;
    const size_t tcount = hash_t_count(d);

    zk_zkey *z = NULL;
    windex ix = { NULL, NULL };
    dev_secrets *sec = sodium_malloc(sizeof *sec);
    zk_fr *L = NULL, *den = NULL, *u = NULL, *v = NULL, *kk = NULL;
    zk_g1 *tp = NULL;
    if (!sec) {
        rc = ZK_ENOMEM;
        goto out;
    }
    if ((rc = key_skeleton(&z, cs, k)) != ZK_OK ||
        (rc = windex_build(&ix, cs, z->n_public)) != ZK_OK)
        goto out;
    const size_t n = z->n_vars, npub = z->n_public;
    /* metered by the fixed-base outputs: A, B1, IC and C, H, the header
     * and the hash points on G1, B2 and the header on G2 */
    const uint64_t g2u = ZK_FIXED_BASE_G2_UNITS;
    zk_meter_begin(zk_pool_meter(pool), "setup",
                   3 * (uint64_t)n + d + 3 + tcount + g2u * (n + 3));

    /* the toxic waste: tau outside <omega_2d> (so neither domain's
     * barycentric formula divides by zero) */
    const uint64_t e_d[4] = { d, 0, 0, 0 }, e_2d[4] = { 2 * d, 0, 0, 0 };
    do {
        random_nonzero(&sec->tau);
        zk_fr_pow(&sec->t, &sec->tau, e_2d);
    } while (zk_fr_is_one(&sec->t));
    random_nonzero(&sec->alpha);
    random_nonzero(&sec->beta);
    random_nonzero(&sec->gamma);
    random_nonzero(&sec->delta);
    if ((rc = zk_fr_inv(&sec->gamma_inv, &sec->gamma)) != ZK_OK ||
        (rc = zk_fr_inv(&sec->delta_inv, &sec->delta)) != ZK_OK)
        goto out;

    L = secret_array(d);
    den = secret_array(d);
    u = secret_array(n);
    v = secret_array(n);
    kk = secret_array(n);
    if (!L || !den || !u || !v || !kk) {
        rc = ZK_ENOMEM;
        goto out;
    }

    /* L_j(tau) = (tau^d - 1)/d * omega^j / (tau - omega^j) */
    zk_fr omega, one, dinv;
    zk_fr_one(&one);
    if ((rc = zk_fr_root_of_unity(&omega, k)) != ZK_OK)
        goto out;
    zk_fr_set_u64(&dinv, d);
    if ((rc = zk_fr_inv(&dinv, &dinv)) != ZK_OK)
        goto out;
    zk_fr_pow(&sec->f, &sec->tau, e_d);
    zk_fr_sub(&sec->f, &sec->f, &one);
    zk_fr_mul(&sec->f, &sec->f, &dinv);
    lagrange_values(L, den, d, &sec->tau, &one, &omega, &sec->f);

    /* u, v, IC/C scalars per wire */
    dev_wire_job wj = { &ix, L, u, v, kk, sec, (uint32_t)n, (uint32_t)npub };
    if ((rc = zk_pool_run(pool, (n + WIRES_PER_TASK - 1) / WIRES_PER_TASK, dev_wire_task,
                          &wj)) != ZK_OK)
        goto out;
    windex_free(&ix);

    zk_g1 g1;
    zk_g2 g2;
    zk_g1_generator(&g1);
    zk_g2_generator(&g2);
    if ((rc = zk_g1_fixed_base_batch(z->a, &g1, u, n, pool)) != ZK_OK ||
        (rc = zk_g1_fixed_base_batch(z->b1, &g1, v, n, pool)) != ZK_OK ||
        (rc = zk_g2_fixed_base_batch(z->b2, &g2, v, n, pool)) != ZK_OK ||
        (rc = zk_g1_fixed_base_batch(z->ic, &g1, kk, npub + 1, pool)) != ZK_OK ||
        (rc = zk_g1_fixed_base_batch(z->c, &g1, kk + npub + 1, n - npub - 1, pool)) != ZK_OK)
        goto out;
    sodium_free(u);
    sodium_free(v);
    sodium_free(kk);
    u = v = kk = NULL;

    /* H_j = L'_{2j+1}(tau) / delta, L' on <omega_2d>: points
     * omega_2d * omega_d^j, factor (tau^2d - 1)/(2d delta) */
    zk_fr w2, w2sq;
    if ((rc = zk_fr_root_of_unity(&w2, k + 1)) != ZK_OK)
        goto out;
    zk_fr_sqr(&w2sq, &w2); /* = omega_d */
    zk_fr_set_u64(&dinv, 2 * d);
    if ((rc = zk_fr_inv(&dinv, &dinv)) != ZK_OK)
        goto out;
    zk_fr_pow(&sec->f, &sec->tau, e_2d);
    zk_fr_sub(&sec->f, &sec->f, &one);
    zk_fr_mul(&sec->f, &sec->f, &dinv);
    zk_fr_mul(&sec->f, &sec->f, &sec->delta_inv);
    lagrange_values(L, den, d, &sec->tau, &w2, &w2sq, &sec->f);
    if ((rc = zk_g1_fixed_base_batch(z->h, &g1, L, d, pool)) != ZK_OK)
        goto out;

    /* header */
    zk_g1 h1[3];
    zk_g2 h2[3];
    sec->hdr[0] = sec->alpha;
    sec->hdr[1] = sec->beta;
    sec->hdr[2] = sec->delta;
    if ((rc = zk_g1_fixed_base_batch(h1, &g1, sec->hdr, 3, pool)) != ZK_OK)
        goto out;
    sec->hdr[0] = sec->beta;
    sec->hdr[1] = sec->gamma;
    sec->hdr[2] = sec->delta;
    if ((rc = zk_g2_fixed_base_batch(h2, &g2, sec->hdr, 3, pool)) != ZK_OK)
        goto out;
    z->alpha1 = h1[0];
    z->beta1 = h1[1];
    z->delta1 = h1[2];
    z->beta2 = h2[0];
    z->gamma2 = h2[1];
    z->delta2 = h2[2];

    /* the circuit hash, with T_i = tau^i (tau^d - 1) G1 */
    zk_fr_pow(&sec->f, &sec->tau, e_d);
    zk_fr_sub(&sec->f, &sec->f, &one);
    sodium_free(L);
    L = secret_array(tcount);
    tp = malloc((tcount ? tcount : 1) * sizeof *tp);
    if (!L || !tp) {
        rc = ZK_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < tcount; i++) {
        L[i] = sec->f;
        zk_fr_mul(&sec->f, &sec->f, &sec->tau);
    }
    if ((rc = zk_g1_fixed_base_batch(tp, &g1, L, tcount, pool)) != ZK_OK)
        goto out;
    crypto_generichash_state st;
    hash_head(&st, z);
    hash_g1s(&st, tp, tcount);
    hash_tail(&st, z);
    rc = ZK_OK;

out:
    sodium_free(sec);
    sodium_free(L);
    sodium_free(den);
    sodium_free(u);
    sodium_free(v);
    sodium_free(kk);
    free(tp);
    windex_free(&ix);
    zk_meter_end(zk_pool_meter(pool));
    if (rc == ZK_OK) {
        *out = z;
    } else {
        zk_zkey_free(z);
    }
    return rc;
}
