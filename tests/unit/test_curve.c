/*
 * test_curve -- G1 and G2 of BN254: group law, scalar multiplication,
 * batch normalisation, encodings and their rejections.
 *
 * One body of tests serves both groups through a table of adapters (small
 * wrappers over the real functions on a union of the two point types), so
 * nothing is cast to a foreign function type.  The independent oracles:
 *  - an mpz implementation of affine addition and doubling over Fp2 (G1
 *    points sit in it with zero imaginary parts) and of the curve
 *    equations y^2 = x^3 + 3 and y^2 = x^3 + 3/(9 + u);
 *  - a naive double-and-add over the bits of the canonical scalar;
 *  - byte layouts and decimal strings computed with mpz, and the EIP-197
 *    generator published in decimal.
 *
 * Randomness comes from a fixed-seed gmp_randstate (reproducible).
 */
#include <gmp.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "curve/g1.h"
#include "curve/g2.h"
#include "tap.h"
#include "testmpz.h"

#define P_DEC "21888242871839275222246405745257275088696311157297823662689037894645226208583"
#define R_DEC "21888242871839275222246405745257275088548364400416034343698204186575808495617"
/* EIP-197 G2 generator */
#define G2X0 "10857046999023057135944570762232829481370756359578518086990519993285655852781"
#define G2X1 "11559732032986387107991004021392285783925812861821192530917403151452391805634"
#define G2Y0 "8495653923123431417604973247489272438418190587263600148770280649306958101930"
#define G2Y1 "4082367875863433681332203403145435568316851327593401208105741076214120093531"

static mpz_t PMOD, RORD;
static gmp_randstate_t RS;

/* ------------------------------------------------------------------ */
/* field helpers                                                        */

static void fp_rand_nz(zk_fp *a)
{
    mpz_t z;
    mpz_init(z);
    do
        mpz_urandomm(z, RS, PMOD);
    while (mpz_sgn(z) == 0);
    fp_of_z(a, z);
    mpz_clear(z);
}

static void fr_rand(zk_fr *k)
{
    mpz_t z;
    uint64_t v[4] = {0, 0, 0, 0};
    mpz_init(z);
    mpz_urandomm(z, RS, RORD);
    mpz_export(v, NULL, -1, 8, 0, 0, z);
    mpz_clear(z);
    if (zk_fr_from_limbs(k, v) != 0)
        bail_out("fr_rand: out of range");
}

/* 32 bytes of z, big- or little-endian (z < 2^256) */
static void z_to_be(uint8_t out[32], const mpz_t z)
{
    uint8_t le[32];
    memset(le, 0, 32);
    mpz_export(le, NULL, -1, 1, 0, 0, z);
    for (int i = 0; i < 32; i++)
        out[i] = le[31 - i];
}

static void z_to_le(uint8_t out[32], const mpz_t z)
{
    memset(out, 0, 32);
    mpz_export(out, NULL, -1, 1, 0, 0, z);
}

/* ------------------------------------------------------------------ */
/* the mpz oracle: Fp2 and affine points over it                        */

typedef struct { mpz_t c0, c1; } zfp2;

static void zf_init(zfp2 *a) { mpz_inits(a->c0, a->c1, NULL); }
static void zf_clear(zfp2 *a) { mpz_clears(a->c0, a->c1, NULL); }
static void zf_set(zfp2 *r, const zfp2 *a)
{
    mpz_set(r->c0, a->c0);
    mpz_set(r->c1, a->c1);
}
static void zf_set_ui(zfp2 *r, unsigned long v)
{
    mpz_set_ui(r->c0, v);
    mpz_set_ui(r->c1, 0);
}
static int zf_eq(const zfp2 *a, const zfp2 *b)
{
    return mpz_cmp(a->c0, b->c0) == 0 && mpz_cmp(a->c1, b->c1) == 0;
}
static int zf_is_zero(const zfp2 *a) { return mpz_sgn(a->c0) == 0 && mpz_sgn(a->c1) == 0; }

static void zf_add(zfp2 *r, const zfp2 *a, const zfp2 *b)
{
    mpz_add(r->c0, a->c0, b->c0);
    mpz_mod(r->c0, r->c0, PMOD);
    mpz_add(r->c1, a->c1, b->c1);
    mpz_mod(r->c1, r->c1, PMOD);
}

static void zf_sub(zfp2 *r, const zfp2 *a, const zfp2 *b)
{
    mpz_sub(r->c0, a->c0, b->c0);
    mpz_mod(r->c0, r->c0, PMOD);
    mpz_sub(r->c1, a->c1, b->c1);
    mpz_mod(r->c1, r->c1, PMOD);
}

static void zf_mul(zfp2 *r, const zfp2 *a, const zfp2 *b)
{
    mpz_t t0, t1, x, y;
    mpz_inits(t0, t1, x, y, NULL);
    mpz_mul(t0, a->c0, b->c0);
    mpz_mul(t1, a->c1, b->c1);
    mpz_sub(x, t0, t1);
    mpz_mul(t0, a->c0, b->c1);
    mpz_mul(t1, a->c1, b->c0);
    mpz_add(y, t0, t1);
    mpz_mod(r->c0, x, PMOD);
    mpz_mod(r->c1, y, PMOD);
    mpz_clears(t0, t1, x, y, NULL);
}

static void zf_inv(zfp2 *r, const zfp2 *a)
{
    mpz_t n, t;
    mpz_inits(n, t, NULL);
    mpz_mul(n, a->c0, a->c0);
    mpz_addmul(n, a->c1, a->c1);
    mpz_mod(n, n, PMOD);
    if (!mpz_invert(n, n, PMOD))
        bail_out("zf_inv: zero");
    mpz_mul(t, a->c0, n);
    mpz_mod(r->c0, t, PMOD);
    mpz_mul(t, a->c1, n);
    mpz_neg(t, t);
    mpz_mod(r->c1, t, PMOD);
    mpz_clears(n, t, NULL);
}

typedef struct { int inf; zfp2 x, y; } zpt;

static void zp_init(zpt *p)
{
    p->inf = 1;
    zf_init(&p->x);
    zf_init(&p->y);
}
static void zp_clear(zpt *p)
{
    zf_clear(&p->x);
    zf_clear(&p->y);
}
static void zp_set(zpt *r, const zpt *p)
{
    r->inf = p->inf;
    zf_set(&r->x, &p->x);
    zf_set(&r->y, &p->y);
}

/* y^2 == x^3 + b */
static int zp_on_curve(const zpt *p, const zfp2 *b)
{
    if (p->inf)
        return 1;
    zfp2 l, r;
    zf_init(&l);
    zf_init(&r);
    zf_mul(&l, &p->y, &p->y);
    zf_mul(&r, &p->x, &p->x);
    zf_mul(&r, &r, &p->x);
    zf_add(&r, &r, b);
    int e = zf_eq(&l, &r);
    zf_clear(&l);
    zf_clear(&r);
    return e;
}

/* r = p + q, affine chord and tangent (a = 0) */
static void zp_add(zpt *r, const zpt *p, const zpt *q)
{
    zpt out;
    zfp2 lam, t, u;
    zp_init(&out);
    zf_init(&lam);
    zf_init(&t);
    zf_init(&u);
    if (p->inf) {
        zp_set(&out, q);
    } else if (q->inf) {
        zp_set(&out, p);
    } else if (zf_eq(&p->x, &q->x)) {
        zf_add(&t, &p->y, &q->y);
        if (zf_is_zero(&t)) {
            out.inf = 1; /* q = -p */
        } else {
            /* tangent: lam = 3 x^2 / (2 y) */
            zf_mul(&t, &p->x, &p->x);
            zf_set_ui(&u, 3);
            zf_mul(&t, &t, &u);
            zf_add(&u, &p->y, &p->y);
            zf_inv(&u, &u);
            zf_mul(&lam, &t, &u);
            goto finish;
        }
    } else {
        zf_sub(&t, &q->y, &p->y);
        zf_sub(&u, &q->x, &p->x);
        zf_inv(&u, &u);
        zf_mul(&lam, &t, &u);
        goto finish;
    }
    goto done;
finish:
    /* x3 = lam^2 - x1 - x2, y3 = lam (x1 - x3) - y1 */
    out.inf = 0;
    zf_mul(&t, &lam, &lam);
    zf_sub(&t, &t, &p->x);
    zf_sub(&out.x, &t, &q->x);
    zf_sub(&t, &p->x, &out.x);
    zf_mul(&t, &lam, &t);
    zf_sub(&out.y, &t, &p->y);
done:
    zp_set(r, &out);
    zp_clear(&out);
    zf_clear(&lam);
    zf_clear(&t);
    zf_clear(&u);
}

/* ------------------------------------------------------------------ */
/* the group table                                                      */

typedef union { zk_g1 g1; zk_g2 g2; } apt;
typedef union { zk_g1j g1; zk_g2j g2; } jpt;

typedef struct {
    const char *name;
    size_t enc_len;       /* bytes of the eth / iden3 encodings */
    int ncoord;           /* Fp coordinates of an affine point */
    int ndec;             /* decimal strings */
    size_t asize, jsize;  /* sizeof the real point types */
    int eth_slot[4];      /* eth: which coordinate sits in 32-byte slot i */
    const char *inf_dec[6];
    zfp2 b;               /* the curve constant, for the oracle */
    void (*gen)(apt *);
    void (*set_inf)(apt *);
    int (*is_inf)(const apt *);
    int (*on_curve)(const apt *);
    int (*in_subgroup)(const apt *);
    int (*eq)(const apt *, const apt *);
    void (*neg)(apt *, const apt *);
    void (*jset_inf)(jpt *);
    int (*jis_inf)(const jpt *);
    void (*from_affine)(jpt *, const apt *);
    void (*to_affine)(apt *, const jpt *);
    int (*batch)(apt *, const jpt *, size_t);
    void (*add)(jpt *, const jpt *, const jpt *);
    void (*add_affine)(jpt *, const jpt *, const apt *);
    void (*dbl)(jpt *, const jpt *);
    void (*jneg)(jpt *, const jpt *);
    int (*jeq)(const jpt *, const jpt *);
    void (*mul)(jpt *, const jpt *, const zk_fr *);
    void (*mul_var)(jpt *, const jpt *, const zk_fr *);
    void (*to_eth)(uint8_t *, const apt *);
    int (*from_eth)(apt *, const uint8_t *, size_t);
    void (*to_iden3)(uint8_t *, const apt *);
    int (*from_iden3)(apt *, const uint8_t *, size_t);
    void (*to_dec)(char (*)[ZK_FP_DEC_MAX], const apt *);
    int (*from_dec)(apt *, const char *const *);
    /* group-specific helpers */
    void (*coords)(zk_fp *, const apt *);     /* x.c0 [x.c1] y.c0 [y.c1] */
    void (*set_coords)(apt *, const zk_fp *); /* raw, no check */
    void (*scale)(jpt *, const jpt *);        /* (X l^2, Y l^3, Z l), random l */
    void (*jgarbage_inf)(jpt *);              /* Z = 0 with random X, Y */
} grp;

#define ADAPT(G)                                                                            \
    static void G##_gen(apt *r) { zk_##G##_generator(&r->G); }                              \
    static void G##_set_inf(apt *r) { zk_##G##_set_inf(&r->G); }                            \
    static int G##_is_inf(const apt *p) { return zk_##G##_is_inf(&p->G); }                  \
    static int G##_on_curve(const apt *p) { return zk_##G##_is_on_curve(&p->G); }           \
    static int G##_in_subgroup(const apt *p) { return zk_##G##_in_subgroup(&p->G); }        \
    static int G##_eq(const apt *a, const apt *b) { return zk_##G##_eq(&a->G, &b->G); }     \
    static void G##_neg(apt *r, const apt *p) { zk_##G##_neg(&r->G, &p->G); }               \
    static void G##_jset_inf(jpt *r) { zk_##G##j_set_inf(&r->G); }                          \
    static int G##_jis_inf(const jpt *p) { return zk_##G##j_is_inf(&p->G); }                \
    static void G##_from_affine(jpt *r, const apt *a) { zk_##G##j_from_affine(&r->G, &a->G); } \
    static void G##_to_affine(apt *r, const jpt *p) { zk_##G##_from_jacobian(&r->G, &p->G); } \
    static void G##_add(jpt *r, const jpt *p, const jpt *q)                                 \
    {                                                                                       \
        zk_##G##j_add(&r->G, &p->G, &q->G);                                                 \
    }                                                                                       \
    static void G##_add_affine(jpt *r, const jpt *p, const apt *q)                          \
    {                                                                                       \
        zk_##G##j_add_affine(&r->G, &p->G, &q->G);                                          \
    }                                                                                       \
    static void G##_dbl(jpt *r, const jpt *p) { zk_##G##j_dbl(&r->G, &p->G); }              \
    static void G##_jneg(jpt *r, const jpt *p) { zk_##G##j_neg(&r->G, &p->G); }             \
    static int G##_jeq(const jpt *p, const jpt *q) { return zk_##G##j_eq(&p->G, &q->G); }   \
    static void G##_mul(jpt *r, const jpt *p, const zk_fr *k) { zk_##G##j_mul(&r->G, &p->G, k); } \
    static void G##_mul_var(jpt *r, const jpt *p, const zk_fr *k)                           \
    {                                                                                       \
        zk_##G##j_mul_var(&r->G, &p->G, k);                                                 \
    }                                                                                       \
    static void G##_to_eth(uint8_t *o, const apt *p) { zk_##G##_to_eth(o, &p->G); }         \
    static int G##_from_eth(apt *r, const uint8_t *in, size_t n)                            \
    {                                                                                       \
        return zk_##G##_from_eth(&r->G, in, n);                                             \
    }                                                                                       \
    static void G##_to_iden3(uint8_t *o, const apt *p) { zk_##G##_to_iden3(o, &p->G); }     \
    static int G##_from_iden3(apt *r, const uint8_t *in, size_t n)                          \
    {                                                                                       \
        return zk_##G##_from_iden3(&r->G, in, n);                                           \
    }                                                                                       \
    static void G##_to_dec(char (*o)[ZK_FP_DEC_MAX], const apt *p) { zk_##G##_to_dec(o, &p->G); } \
    static int G##_from_dec(apt *r, const char *const *in) { return zk_##G##_from_dec(&r->G, in); } \
    static int G##_batch(apt *out, const jpt *in, size_t n)                                 \
    {                                                                                       \
        /* the real function takes arrays of the real types */                             \
        zk_##G##j *ji = calloc(n ? n : 1, sizeof *ji);                                           \
        zk_##G *ao = calloc(n ? n : 1, sizeof *ao);                                              \
        if (!ji || !ao)                                                                     \
            bail_out("malloc");                                                             \
        for (size_t i = 0; i < n; i++) {                                                    \
            ji[i] = in[i].G;                                                                \
            ao[i] = out[i].G; /* keep the caller's sentinel */                              \
        }                                                                                   \
        int rc = zk_##G##j_batch_to_affine(ao, ji, n);                                      \
        for (size_t i = 0; i < n; i++)                                                      \
            out[i].G = ao[i];                                                               \
        free(ji);                                                                           \
        free(ao);                                                                           \
        return rc;                                                                          \
    }

ADAPT(g1)
ADAPT(g2)

static void g1_coords(zk_fp *c, const apt *p)
{
    c[0] = p->g1.x;
    c[1] = p->g1.y;
}
static void g1_set_coords(apt *p, const zk_fp *c)
{
    p->g1.x = c[0];
    p->g1.y = c[1];
}
static void g2_coords(zk_fp *c, const apt *p)
{
    c[0] = p->g2.x.c0;
    c[1] = p->g2.x.c1;
    c[2] = p->g2.y.c0;
    c[3] = p->g2.y.c1;
}
static void g2_set_coords(apt *p, const zk_fp *c)
{
    p->g2.x.c0 = c[0];
    p->g2.x.c1 = c[1];
    p->g2.y.c0 = c[2];
    p->g2.y.c1 = c[3];
}

static void g1_scale(jpt *r, const jpt *p)
{
    zk_fp l, l2, l3;
    fp_rand_nz(&l);
    zk_fp_sqr(&l2, &l);
    zk_fp_mul(&l3, &l2, &l);
    zk_fp_mul(&r->g1.x, &p->g1.x, &l2);
    zk_fp_mul(&r->g1.y, &p->g1.y, &l3);
    zk_fp_mul(&r->g1.z, &p->g1.z, &l);
}
static void g2_scale(jpt *r, const jpt *p)
{
    zk_fp2 l, l2, l3;
    fp_rand_nz(&l.c0);
    fp_rand_nz(&l.c1);
    zk_fp2_sqr(&l2, &l);
    zk_fp2_mul(&l3, &l2, &l);
    zk_fp2_mul(&r->g2.x, &p->g2.x, &l2);
    zk_fp2_mul(&r->g2.y, &p->g2.y, &l3);
    zk_fp2_mul(&r->g2.z, &p->g2.z, &l);
}
static void g1_jgarbage_inf(jpt *r)
{
    fp_rand_nz(&r->g1.x);
    fp_rand_nz(&r->g1.y);
    zk_fp_zero(&r->g1.z);
}
static void g2_jgarbage_inf(jpt *r)
{
    fp_rand_nz(&r->g2.x.c0);
    fp_rand_nz(&r->g2.x.c1);
    fp_rand_nz(&r->g2.y.c0);
    fp_rand_nz(&r->g2.y.c1);
    zk_fp2_zero(&r->g2.z);
}

#define TABLE(G, elen, nc, nd, slots, ...)                                                  \
    {                                                                                       \
        .name = #G, .enc_len = elen, .ncoord = nc, .ndec = nd, .asize = sizeof(zk_##G),      \
        .jsize = sizeof(zk_##G##j), .eth_slot = slots, .inf_dec = {__VA_ARGS__},             \
        .gen = G##_gen, .set_inf = G##_set_inf, .is_inf = G##_is_inf,                        \
        .on_curve = G##_on_curve, .in_subgroup = G##_in_subgroup, .eq = G##_eq,              \
        .neg = G##_neg, .jset_inf = G##_jset_inf, .jis_inf = G##_jis_inf,                    \
        .from_affine = G##_from_affine, .to_affine = G##_to_affine, .batch = G##_batch,      \
        .add = G##_add, .add_affine = G##_add_affine, .dbl = G##_dbl, .jneg = G##_jneg,      \
        .jeq = G##_jeq, .mul = G##_mul, .mul_var = G##_mul_var, .to_eth = G##_to_eth,        \
        .from_eth = G##_from_eth, .to_iden3 = G##_to_iden3, .from_iden3 = G##_from_iden3,    \
        .to_dec = G##_to_dec, .from_dec = G##_from_dec, .coords = G##_coords,                \
        .set_coords = G##_set_coords, .scale = G##_scale, .jgarbage_inf = G##_jgarbage_inf   \
    }

#define SLOTS1 {0, 1, 0, 0}
#define SLOTS2 {1, 0, 3, 2} /* x.c1 || x.c0 || y.c1 || y.c0 */

static grp GROUPS[2] = {
    TABLE(g1, 64, 2, 3, SLOTS1, "0", "1", "0", NULL, NULL, NULL),
    TABLE(g2, 128, 4, 6, SLOTS2, "0", "0", "1", "0", "0", "0"),
};

/* ------------------------------------------------------------------ */
/* generic helpers                                                      */

static void zpt_of(const grp *g, zpt *z, const apt *p)
{
    zk_fp c[4];
    if (g->is_inf(p)) {
        z->inf = 1;
        return;
    }
    z->inf = 0;
    g->coords(c, p);
    if (g->ncoord == 2) {
        z_of_fp(z->x.c0, &c[0]);
        mpz_set_ui(z->x.c1, 0);
        z_of_fp(z->y.c0, &c[1]);
        mpz_set_ui(z->y.c1, 0);
    } else {
        z_of_fp(z->x.c0, &c[0]);
        z_of_fp(z->x.c1, &c[1]);
        z_of_fp(z->y.c0, &c[2]);
        z_of_fp(z->y.c1, &c[3]);
    }
}

/* does the library's affine point equal the oracle's? */
static int same_as_z(const grp *g, const apt *p, const zpt *z)
{
    zpt t;
    zp_init(&t);
    zpt_of(g, &t, p);
    int e = t.inf == z->inf && (z->inf || (zf_eq(&t.x, &z->x) && zf_eq(&t.y, &z->y)));
    zp_clear(&t);
    return e;
}

static void rand_point(const grp *g, apt *a, jpt *j)
{
    apt G;
    jpt GJ, t;
    zk_fr k;
    g->gen(&G);
    g->from_affine(&GJ, &G);
    fr_rand(&k);
    g->mul_var(&t, &GJ, &k);
    g->to_affine(a, &t);
    if (j)
        g->scale(j, &t); /* a Jacobian form with a random Z */
}

static void fr_of_z(zk_fr *k, const mpz_t z)
{
    uint64_t v[4] = {0, 0, 0, 0};
    mpz_t t;
    mpz_init(t);
    mpz_mod(t, z, RORD);
    mpz_export(v, NULL, -1, 8, 0, 0, t);
    mpz_clear(t);
    if (zk_fr_from_limbs(k, v) != 0)
        bail_out("fr_of_z");
}

/* naive double-and-add over the bits of an integer of n limbs */
static void naive_mul_limbs(const grp *g, jpt *r, const jpt *p, const uint64_t *e, size_t n)
{
    jpt acc;
    g->jset_inf(&acc);
    for (size_t i = 64 * n; i-- > 0;) {
        g->dbl(&acc, &acc);
        if ((e[i / 64] >> (i % 64)) & 1)
            g->add(&acc, &acc, p);
    }
    *r = acc;
}

/* r = [z] p for a non-negative mpz z < 2^512 */
static void naive_mul_z(const grp *g, jpt *r, const jpt *p, const mpz_t z)
{
    uint64_t e[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    if (mpz_sizeinbase(z, 2) > 512)
        bail_out("naive_mul_z: scalar too large");
    mpz_export(e, NULL, -1, 8, 0, 0, z);
    naive_mul_limbs(g, r, p, e, 8);
}

static void naive_mul(const grp *g, jpt *r, const jpt *p, const zk_fr *k)
{
    uint64_t e[4];
    zk_fr_to_limbs(e, k);
    naive_mul_limbs(g, r, p, e, 4);
}

static void fill(void *p, size_t n) { memset(p, 0xA5, n); }

/* ------------------------------------------------------------------ */
/* tests                                                                */

static void test_generator(const grp *g)
{
    apt G, I, N, t;
    jpt GJ, r1, r2, s;
    zpt z;
    zp_init(&z);
    g->gen(&G);
    zpt_of(g, &z, &G);
    ok(g->on_curve(&G) && !g->is_inf(&G), "%s generator is on the curve", g->name);
    ok(zp_on_curve(&z, &g->b), "%s generator satisfies the curve equation (mpz)", g->name);
    ok(g->in_subgroup(&G), "%s generator is in the subgroup", g->name);
    g->set_inf(&I);
    ok(g->is_inf(&I) && g->on_curve(&I) && g->in_subgroup(&I),
       "%s infinity is infinity, counts as on the curve and in the group", g->name);
    /* a perturbed generator is off the curve */
    {
        zk_fp c[4], one;
        g->coords(c, &G);
        zk_fp_one(&one);
        zk_fp_add(&c[g->ncoord / 2], &c[g->ncoord / 2], &one);
        g->set_coords(&t, c);
        zpt_of(g, &z, &t);
        ok(!g->on_curve(&t) && !zp_on_curve(&z, &g->b), "%s (x, y + 1) is off the curve",
           g->name);
    }
    /* [r - 1] G = -G and [r - 1] G + G = infinity */
    zk_fr rm1, one;
    zk_fr_one(&one);
    zk_fr_neg(&rm1, &one);
    g->from_affine(&GJ, &G);
    g->neg(&N, &G);
    g->mul(&r1, &GJ, &rm1);
    g->mul_var(&r2, &GJ, &rm1);
    g->to_affine(&t, &r1);
    ok(g->eq(&t, &N), "%s [r-1]G == -G (mul)", g->name);
    g->to_affine(&t, &r2);
    ok(g->eq(&t, &N), "%s [r-1]G == -G (mul_var)", g->name);
    g->add(&s, &r1, &GJ);
    ok(g->jis_inf(&s), "%s [r-1]G + G == infinity (order of G is r)", g->name);
    g->add_affine(&s, &r2, &G);
    ok(g->jis_inf(&s), "%s [r-1]G + G == infinity (mixed add)", g->name);
    /* and G itself is not of small order: [2]G, [3]G are not infinity,
     * -G != G */
    g->dbl(&s, &GJ);
    ok(!g->jis_inf(&s) && !g->eq(&N, &G), "%s [2]G != infinity, -G != G", g->name);
    zp_clear(&z);
}

#define NPTS 24

static void test_group_laws(const grp *g)
{
    apt A[NPTS];
    jpt J[NPTS];
    for (int i = 0; i < NPTS; i++)
        rand_point(g, &A[i], &J[i]);
    zpt zp, zq, zr;
    zp_init(&zp);
    zp_init(&zq);
    zp_init(&zr);
    long oracle = 0, comm = 0, assoc = 0, idf = 0, invf = 0, dblf = 0, mixf = 0, negf = 0,
         repf = 0, alias = 0, onc = 0, distinct = 0, mixdbl = 0;
    jpt inf, ginf;
    g->jset_inf(&inf);
    g->jgarbage_inf(&ginf);
    apt ainf;
    g->set_inf(&ainf);
    for (int i = 0; i < NPTS; i++) {
        int j = (i + 1) % NPTS, k = (i + 5) % NPTS;
        const jpt *P = &J[i], *Q = &J[j], *R = &J[k];
        jpt s, t, u, v;
        apt a, b;
        /* P + Q against the mpz chord-and-tangent oracle */
        g->add(&s, P, Q);
        g->to_affine(&a, &s);
        zpt_of(g, &zp, &A[i]);
        zpt_of(g, &zq, &A[j]);
        zp_add(&zr, &zp, &zq);
        oracle += !same_as_z(g, &a, &zr);
        onc += !g->on_curve(&a) || !zp_on_curve(&zr, &g->b);
        /* dbl against the oracle */
        g->dbl(&u, P);
        g->to_affine(&b, &u);
        zp_add(&zr, &zp, &zp);
        oracle += !same_as_z(g, &b, &zr);
        /* commutativity, associativity */
        g->add(&t, Q, P);
        comm += !g->jeq(&s, &t);
        g->add(&t, &s, R);
        g->add(&u, Q, R);
        g->add(&u, P, &u);
        assoc += !g->jeq(&t, &u);
        /* identity (canonical and non-canonical infinity, both sides) */
        g->add(&t, P, &inf);
        idf += !g->jeq(&t, P);
        g->add(&t, &inf, P);
        idf += !g->jeq(&t, P);
        g->add(&t, P, &ginf);
        idf += !g->jeq(&t, P);
        g->add(&t, &ginf, P);
        idf += !g->jeq(&t, P);
        g->add(&t, &inf, &ginf);
        idf += !g->jis_inf(&t);
        /* inverse */
        g->jneg(&t, P);
        g->add(&u, P, &t);
        invf += !g->jis_inf(&u);
        g->scale(&v, &t); /* -P in another representation */
        g->add(&u, &v, P);
        invf += !g->jis_inf(&u);
        g->neg(&a, &A[i]);
        g->add_affine(&u, P, &a);
        invf += !g->jis_inf(&u);
        /* doubling detected inside add: same point, other representation */
        g->dbl(&u, P);
        g->scale(&v, P);
        g->add(&t, P, &v);
        dblf += !g->jeq(&t, &u);
        g->add(&t, P, P);
        dblf += !g->jeq(&t, &u);
        g->add_affine(&t, P, &A[i]);
        mixdbl += !g->jeq(&t, &u);
        /* mixed add == Jacobian add */
        g->add_affine(&t, P, &A[j]);
        mixf += !g->jeq(&t, &s);
        g->add_affine(&t, &inf, &A[j]);
        g->from_affine(&v, &A[j]);
        mixf += !g->jeq(&t, &v);
        g->add_affine(&t, P, &ainf);
        mixf += !g->jeq(&t, P);
        /* negation twice */
        g->jneg(&t, P);
        g->jneg(&t, &t);
        negf += !g->jeq(&t, P) || memcmp(&t, P, g->jsize) != 0;
        g->neg(&a, &A[i]);
        g->neg(&a, &a);
        negf += !g->eq(&a, &A[i]);
        g->neg(&a, &A[i]);
        negf += g->eq(&a, &A[i]);
        /* representation independence of jeq and of to_affine */
        g->scale(&t, P);
        repf += !g->jeq(&t, P) || !g->jeq(P, &t);
        g->to_affine(&a, &t);
        repf += !g->eq(&a, &A[i]);
        g->from_affine(&v, &A[i]);
        repf += !g->jeq(&v, P);
        /* jeq can say no */
        g->jneg(&t, P);
        distinct += g->jeq(&t, P);
        g->dbl(&t, P);
        distinct += g->jeq(&t, P);
        distinct += g->jeq(P, &inf) || g->jeq(&inf, P);
        distinct += g->jeq(P, Q);
        distinct += !g->jeq(&inf, &ginf);
        /* aliasing: r = p, r = q, r = p = q */
        t = *P;
        g->add(&t, &t, Q);
        alias += !g->jeq(&t, &s);
        t = *Q;
        g->add(&t, P, &t);
        alias += !g->jeq(&t, &s);
        g->dbl(&u, P);
        t = *P;
        g->add(&t, &t, &t);
        alias += !g->jeq(&t, &u);
        t = *P;
        g->dbl(&t, &t);
        alias += !g->jeq(&t, &u);
        t = *P;
        g->add_affine(&t, &t, &A[j]);
        alias += !g->jeq(&t, &s);
        t = *P;
        g->add_affine(&t, &t, &A[i]); /* r = p and the doubling case */
        alias += !g->jeq(&t, &u);
        g->jneg(&v, P);
        t = *P;
        g->jneg(&t, &t);
        alias += !g->jeq(&t, &v);
        g->neg(&a, &A[i]);
        b = A[i];
        g->neg(&b, &b);
        alias += !g->eq(&a, &b);
    }
    ok(oracle == 0, "%s add and dbl match the mpz affine oracle on %d points", g->name, NPTS);
    ok(onc == 0, "%s sums are on the curve", g->name);
    ok(comm == 0, "%s P + Q == Q + P", g->name);
    ok(assoc == 0, "%s (P + Q) + R == P + (Q + R)", g->name);
    ok(idf == 0, "%s P + inf == inf + P == P (also for inf with Z = 0, X, Y random)", g->name);
    ok(invf == 0, "%s P + (-P) == inf (Jacobian, rescaled, mixed)", g->name);
    ok(dblf == 0, "%s add(P, P') == dbl(P) for P' = P in another representation", g->name);
    ok(mixdbl == 0, "%s add_affine(P, affine(P)) == dbl(P)", g->name);
    ok(mixf == 0, "%s mixed add == Jacobian add (also with inf on either side)", g->name);
    ok(negf == 0, "%s neg(neg(P)) == P (Jacobian and affine), -P != P", g->name);
    ok(repf == 0, "%s jeq and from_jacobian ignore the representation (X l^2, Y l^3, Z l)",
       g->name);
    ok(distinct == 0, "%s jeq rejects -P, 2P, Q, inf; all infinities are equal", g->name);
    ok(alias == 0, "%s add/add_affine/dbl/neg with r aliasing the inputs", g->name);

    /* special cases */
    {
        jpt t, i2;
        g->dbl(&t, &inf);
        g->dbl(&i2, &ginf);
        ok(g->jis_inf(&t) && g->jis_inf(&i2), "%s dbl(inf) == inf", g->name);
        g->jneg(&t, &inf);
        ok(g->jis_inf(&t), "%s neg(inf) == inf", g->name);
        apt a, na;
        g->set_inf(&a);
        g->neg(&na, &a);
        ok(g->is_inf(&na), "%s affine neg keeps (0, 0) as infinity", g->name);
        g->from_affine(&t, &a);
        ok(g->jis_inf(&t), "%s from_affine(inf) is infinity", g->name);
        fill(&a, sizeof a);
        g->to_affine(&a, &ginf);
        ok(g->is_inf(&a), "%s from_jacobian(Z = 0) is (0, 0)", g->name);
    }
    zp_clear(&zp);
    zp_clear(&zq);
    zp_clear(&zr);
}

static void test_scalar_mul(const grp *g)
{
    apt G;
    jpt GJ, P;
    g->gen(&G);
    g->from_affine(&GJ, &G);
    {
        apt a;
        rand_point(g, &a, &P); /* a base point with Z != 1 */
    }
    /* scalar list: 0, 1, 2, 3, 15, 16, 17, r-1, r-2, (r-1)/2, then random */
    static const long small[] = {0, 1, 2, 3, 15, 16, 17, -1, -2};
    enum { NS = 9 + 1 + 40 };
    zk_fr ks[NS];
    mpz_t z;
    mpz_init(z);
    for (int i = 0; i < 9; i++) {
        mpz_set_si(z, small[i]);
        mpz_mod(z, z, RORD);
        fr_of_z(&ks[i], z);
    }
    mpz_sub_ui(z, RORD, 1);
    mpz_divexact_ui(z, z, 2);
    fr_of_z(&ks[9], z);
    for (int i = 10; i < NS; i++)
        fr_rand(&ks[i]);
    long fct = 0, fvar = 0, fali = 0, foracle = 0, finf = 0;
    zpt zg, zacc, zw;
    zp_init(&zg);
    zp_init(&zacc);
    zp_init(&zw);
    for (int i = 0; i < NS; i++) {
        const jpt *base = (i % 2) ? &P : &GJ;
        jpt want, a, b, t;
        naive_mul(g, &want, base, &ks[i]);
        g->mul(&a, base, &ks[i]);
        g->mul_var(&b, base, &ks[i]);
        fct += !g->jeq(&a, &want);
        fvar += !g->jeq(&b, &want);
        t = *base;
        g->mul(&t, &t, &ks[i]);
        fali += !g->jeq(&t, &want);
        t = *base;
        g->mul_var(&t, &t, &ks[i]);
        fali += !g->jeq(&t, &want);
        g->jset_inf(&t);
        g->mul(&a, &t, &ks[i]);
        g->mul_var(&b, &t, &ks[i]);
        finf += !g->jis_inf(&a) || !g->jis_inf(&b);
    }
    /* small multiples against the mpz oracle: [k]G = G + ... + G */
    {
        apt a;
        zpt_of(g, &zg, &G);
        zacc.inf = 1;
        for (int k = 0; k <= 20; k++) {
            jpt t;
            zk_fr kk;
            zk_fr_set_u64(&kk, (uint64_t)k);
            g->mul(&t, &GJ, &kk);
            g->to_affine(&a, &t);
            foracle += !same_as_z(g, &a, &zacc);
            g->mul_var(&t, &GJ, &kk);
            g->to_affine(&a, &t);
            foracle += !same_as_z(g, &a, &zacc);
            zp_add(&zacc, &zacc, &zg);
        }
    }
    ok(fct == 0, "%s mul (constant-time) == naive double-and-add on %d scalars", g->name, NS);
    ok(fvar == 0, "%s mul_var == naive double-and-add on %d scalars", g->name, NS);
    ok(fali == 0, "%s mul and mul_var with r = p", g->name);
    ok(finf == 0, "%s [k] inf == inf", g->name);
    ok(foracle == 0, "%s [k]G for k = 0..20 matches repeated mpz addition", g->name);
    {
        jpt a, b;
        g->mul(&a, &GJ, &ks[0]);
        g->mul_var(&b, &GJ, &ks[0]);
        ok(g->jis_inf(&a) && g->jis_inf(&b), "%s [0]G == inf", g->name);
        g->mul(&a, &P, &ks[1]);
        ok(g->jeq(&a, &P), "%s [1]P == P", g->name);
        g->mul(&a, &P, &ks[2]);
        g->dbl(&b, &P);
        ok(g->jeq(&a, &b), "%s [2]P == dbl(P)", g->name);
        g->mul(&a, &P, &ks[7]);
        g->jneg(&b, &P);
        ok(g->jeq(&a, &b), "%s [r-1]P == -P", g->name);
    }
    /* homomorphism */
    long fab = 0, fsum = 0;
    for (int i = 0; i < 12; i++) {
        zk_fr a, b, ab, apb;
        jpt x, y, w;
        fr_rand(&a);
        fr_rand(&b);
        if (i == 0)
            zk_fr_neg(&b, &a); /* a + b == 0 */
        zk_fr_mul(&ab, &a, &b);
        zk_fr_add(&apb, &a, &b);
        g->mul(&x, &P, &b);
        g->mul(&x, &x, &a);
        g->mul_var(&w, &P, &ab);
        fab += !g->jeq(&x, &w);
        g->mul_var(&x, &P, &a);
        g->mul(&y, &P, &b);
        g->add(&x, &x, &y);
        g->mul(&w, &P, &apb);
        fsum += !g->jeq(&x, &w);
    }
    ok(fab == 0, "%s [a]([b]P) == [ab]P", g->name);
    ok(fsum == 0, "%s [a]P + [b]P == [a+b]P (including a + b = 0 mod r)", g->name);
    mpz_clear(z);
    zp_clear(&zg);
    zp_clear(&zacc);
    zp_clear(&zw);
}

static void test_batch(const grp *g)
{
    static const size_t sizes[] = {0, 1, 5, 100};
    long fails = 0, rcf = 0;
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        size_t n = sizes[s];
        jpt *in = malloc((n + 1) * sizeof *in);
        apt *out = malloc((n + 1) * sizeof *out);
        for (size_t i = 0; i < n; i++) {
            apt a;
            if (i % 3 == 1)
                g->jset_inf(&in[i]);
            else if (i % 7 == 4)
                g->jgarbage_inf(&in[i]);
            else
                rand_point(g, &a, &in[i]);
        }
        fill(out, (n + 1) * sizeof *out);
        rcf += g->batch(out, in, n) != 0;
        for (size_t i = 0; i < n; i++) {
            apt want;
            g->to_affine(&want, &in[i]);
            fails += !g->eq(&out[i], &want) || memcmp(&out[i], &want, g->asize) != 0;
        }
        free(in);
        free(out);
    }
    ok(rcf == 0 && fails == 0,
       "%s batch_to_affine == from_jacobian for n = 0, 1, 5, 100 with infinities mixed in",
       g->name);
    /* all infinities */
    {
        jpt in[4];
        apt out[4];
        int good = 1;
        for (int i = 0; i < 4; i++)
            g->jset_inf(&in[i]);
        fill(out, sizeof out);
        good &= g->batch(out, in, 4) == 0;
        for (int i = 0; i < 4; i++)
            good &= g->is_inf(&out[i]);
        ok(good, "%s batch_to_affine of only infinities", g->name);
    }
}

/* expected encodings from mpz */
static void expect_eth(const grp *g, uint8_t *out, const apt *p)
{
    zk_fp c[4];
    mpz_t z;
    mpz_init(z);
    g->coords(c, p);
    for (int s = 0; s < g->ncoord; s++) {
        z_of_fp(z, &c[g->eth_slot[s]]);
        z_to_be(out + 32 * s, z);
    }
    mpz_clear(z);
}

static void expect_iden3(const grp *g, uint8_t *out, const apt *p)
{
    zk_fp c[4];
    mpz_t z;
    mpz_init(z);
    g->coords(c, p);
    for (int s = 0; s < g->ncoord; s++) {
        z_of_fp(z, &c[s]);
        mpz_mul_2exp(z, z, 256);
        mpz_mod(z, z, PMOD);
        z_to_le(out + 32 * s, z);
    }
    mpz_clear(z);
}

static void test_encodings(const grp *g)
{
    long eth = 0, iden3 = 0, dec = 0, layout_eth = 0, layout_iden3 = 0, layout_dec = 0;
    mpz_t z;
    mpz_init(z);
    for (int i = 0; i < 21; i++) {
        apt a, b;
        uint8_t buf[128], want[128];
        char ds[6][ZK_FP_DEC_MAX];
        if (i == 0)
            g->set_inf(&a);
        else if (i == 1)
            g->gen(&a);
        else
            rand_point(g, &a, NULL);
        /* eth */
        g->to_eth(buf, &a);
        fill(&b, sizeof b);
        eth += g->from_eth(&b, buf, g->enc_len) != 0 || !g->eq(&a, &b);
        expect_eth(g, want, &a);
        layout_eth += memcmp(buf, want, g->enc_len) != 0;
        /* iden3 */
        g->to_iden3(buf, &a);
        fill(&b, sizeof b);
        iden3 += g->from_iden3(&b, buf, g->enc_len) != 0 || !g->eq(&a, &b);
        expect_iden3(g, want, &a);
        layout_iden3 += memcmp(buf, want, g->enc_len) != 0;
        /* decimal */
        g->to_dec(ds, &a);
        const char *dp[6];
        for (int k = 0; k < g->ndec; k++)
            dp[k] = ds[k];
        fill(&b, sizeof b);
        dec += g->from_dec(&b, dp) != 0 || !g->eq(&a, &b);
        if (g->is_inf(&a)) {
            for (int k = 0; k < g->ndec; k++)
                layout_dec += strcmp(ds[k], g->inf_dec[k]) != 0;
        } else {
            zk_fp c[4];
            g->coords(c, &a);
            for (int k = 0; k < g->ncoord; k++) {
                z_of_fp(z, &c[k]);
                char *s = mpz_get_str(NULL, 10, z);
                layout_dec += strcmp(ds[k], s) != 0;
                free(s);
            }
            layout_dec += strcmp(ds[g->ncoord], "1") != 0;
            if (g->ndec == 6)
                layout_dec += strcmp(ds[5], "0") != 0;
        }
    }
    ok(eth == 0, "%s eth encoding round-trips (random points, generator, infinity)", g->name);
    ok(layout_eth == 0, "%s eth bytes are the big-endian coordinates in EIP order", g->name);
    ok(iden3 == 0, "%s iden3 encoding round-trips", g->name);
    ok(layout_iden3 == 0, "%s iden3 bytes are little-endian x * 2^256 mod p", g->name);
    ok(dec == 0, "%s decimal encoding round-trips", g->name);
    ok(layout_dec == 0, "%s decimal strings are the canonical coordinates (+ z)", g->name);

    /* infinity decodes to infinity */
    {
        uint8_t zeros[128];
        apt b;
        memset(zeros, 0, sizeof zeros);
        fill(&b, sizeof b);
        ok(g->from_eth(&b, zeros, g->enc_len) == 0 && g->is_inf(&b),
           "%s eth all-zero bytes decode to infinity", g->name);
        fill(&b, sizeof b);
        ok(g->from_iden3(&b, zeros, g->enc_len) == 0 && g->is_inf(&b),
           "%s iden3 all-zero bytes decode to infinity", g->name);
        fill(&b, sizeof b);
        ok(g->from_dec(&b, g->inf_dec) == 0 && g->is_inf(&b),
           "%s snarkjs infinity strings decode to infinity", g->name);
    }
    mpz_clear(z);
}

static void test_known_answers(void)
{
    const grp *g1 = &GROUPS[0], *g2 = &GROUPS[1];
    apt G;
    uint8_t buf[128], want[128];
    char ds[6][ZK_FP_DEC_MAX];
    /* G1: (1, 2) */
    g1->gen(&G);
    g1->to_eth(buf, &G);
    memset(want, 0, 64);
    want[31] = 1;
    want[63] = 2;
    ok(memcmp(buf, want, 64) == 0, "g1 eth(generator) == 0x..01 || 0x..02");
    g1->to_dec(ds, &G);
    ok(!strcmp(ds[0], "1") && !strcmp(ds[1], "2") && !strcmp(ds[2], "1"),
       "g1 dec(generator) == [\"1\", \"2\", \"1\"]");
    /* G2: EIP-197 */
    mpz_t z;
    mpz_init(z);
    static const char *eip[4] = {G2X1, G2X0, G2Y1, G2Y0}; /* eth slot order */
    for (int s = 0; s < 4; s++) {
        mpz_set_str(z, eip[s], 10);
        z_to_be(want + 32 * s, z);
    }
    g2->gen(&G);
    g2->to_eth(buf, &G);
    ok(memcmp(buf, want, 128) == 0,
       "g2 eth(generator) == x.c1 || x.c0 || y.c1 || y.c0 of the EIP-197 generator");
    g2->to_dec(ds, &G);
    ok(!strcmp(ds[0], G2X0) && !strcmp(ds[1], G2X1) && !strcmp(ds[2], G2Y0) &&
           !strcmp(ds[3], G2Y1) && !strcmp(ds[4], "1") && !strcmp(ds[5], "0"),
       "g2 dec(generator) == [[x.c0, x.c1], [y.c0, y.c1], [1, 0]] (EIP-197 values)");
    apt b;
    fill(&b, sizeof b);
    ok(g2->from_eth(&b, want, 128) == 0 && g2->eq(&b, &G),
       "g2 from_eth(EIP-197 generator bytes) == generator");
    /* iden3 of the G1 generator: x = 1 -> 2^256 mod p, y = 2 -> 2^257 mod p */
    g1->gen(&G);
    g1->to_iden3(buf, &G);
    mpz_set_ui(z, 0);
    mpz_setbit(z, 256);
    mpz_mod(z, z, PMOD);
    z_to_le(want, z);
    mpz_set_ui(z, 0);
    mpz_setbit(z, 257);
    mpz_mod(z, z, PMOD);
    z_to_le(want + 32, z);
    ok(memcmp(buf, want, 64) == 0, "g1 iden3(generator) == LE(2^256 mod p) || LE(2^257 mod p)");
    mpz_clear(z);
}

/* Put value v (mpz, raw) into coordinate slot s of an encoding. */
static void poke_be(uint8_t *buf, int s, const mpz_t v) { z_to_be(buf + 32 * s, v); }
static void poke_le(uint8_t *buf, int s, const mpz_t v) { z_to_le(buf + 32 * s, v); }

static void test_rejections(const grp *g)
{
    apt a, b, sent;
    uint8_t good_eth[130], good_iden3[130], buf[130];
    char ds[6][ZK_FP_DEC_MAX];
    mpz_t bad[2];
    const char *badname[2] = {"p", "2^256-1"};
    mpz_init_set(bad[0], PMOD);
    mpz_init(bad[1]);
    mpz_setbit(bad[1], 256);
    mpz_sub_ui(bad[1], bad[1], 1);
    fill(&sent, sizeof sent);

    rand_point(g, &a, NULL);
    g->to_eth(good_eth, &a);
    g->to_iden3(good_iden3, &a);
    g->to_dec(ds, &a);

    /* ZK_ERANGE in every coordinate slot of every encoding */
    for (int v = 0; v < 2; v++) {
        long fe = 0, fi = 0, fd = 0, touched = 0;
        char *s = mpz_get_str(NULL, 10, bad[v]);
        for (int slot = 0; slot < g->ncoord; slot++) {
            memcpy(buf, good_eth, g->enc_len);
            poke_be(buf, slot, bad[v]);
            b = sent;
            fe += g->from_eth(&b, buf, g->enc_len) != ZK_ERANGE;
            touched += memcmp(&b, &sent, sizeof b) != 0;
            memcpy(buf, good_iden3, g->enc_len);
            poke_le(buf, slot, bad[v]);
            b = sent;
            fi += g->from_iden3(&b, buf, g->enc_len) != ZK_ERANGE;
            touched += memcmp(&b, &sent, sizeof b) != 0;
        }
        for (int slot = 0; slot < g->ndec; slot++) { /* z too */
            const char *dp[6];
            for (int k = 0; k < g->ndec; k++)
                dp[k] = ds[k];
            dp[slot] = s;
            b = sent;
            fd += g->from_dec(&b, dp) != ZK_ERANGE;
            touched += memcmp(&b, &sent, sizeof b) != 0;
        }
        is_int(fe, 0, "%s eth: a coordinate = %s in each of %d slots gives ZK_ERANGE", g->name,
               badname[v], g->ncoord);
        is_int(fi, 0, "%s iden3: a coordinate = %s in each of %d slots gives ZK_ERANGE",
               g->name, badname[v], g->ncoord);
        is_int(fd, 0, "%s dec: a string = %s in each of %d positions gives ZK_ERANGE", g->name,
               badname[v], g->ndec);
        is_int(touched, 0, "%s: output untouched on every ZK_ERANGE (%s)", g->name,
               badname[v]);
        free(s);
    }
    /* the last valid value is accepted where the curve allows it: p - 1 in
     * a coordinate gives ZK_ENOTONCURVE (not ZK_ERANGE) */
    {
        mpz_t pm1;
        mpz_init(pm1);
        mpz_sub_ui(pm1, PMOD, 1);
        memcpy(buf, good_eth, g->enc_len);
        poke_be(buf, 0, pm1);
        b = sent;
        is_int(g->from_eth(&b, buf, g->enc_len), ZK_ENOTONCURVE,
               "%s eth: p - 1 in slot 0 is in range (off the curve)", g->name);
        mpz_clear(pm1);
    }

    /* off the curve: (1, 3) */
    {
        zk_fp c[4], one, three;
        zk_fp_one(&one);
        zk_fp_set_u64(&three, 3);
        memset(c, 0, sizeof c);
        c[0] = one;
        c[g->ncoord / 2] = three;
        apt q;
        g->set_coords(&q, c);
        uint8_t e[128], n3[128];
        char qd[6][ZK_FP_DEC_MAX];
        const char *dp[6];
        /* build the encodings from mpz so the encoders are not involved */
        expect_eth(g, e, &q);
        expect_iden3(g, n3, &q);
        for (int k = 0; k < g->ndec; k++) {
            strcpy(qd[k], "0");
            dp[k] = qd[k];
        }
        strcpy(qd[0], "1");
        strcpy(qd[g->ncoord / 2], "3");
        strcpy(qd[g->ncoord], "1");
        long touched = 0;
        b = sent;
        is_int(g->from_eth(&b, e, g->enc_len), ZK_ENOTONCURVE, "%s eth (1, 3) -> ZK_ENOTONCURVE",
               g->name);
        touched += memcmp(&b, &sent, sizeof b) != 0;
        b = sent;
        is_int(g->from_iden3(&b, n3, g->enc_len), ZK_ENOTONCURVE,
               "%s iden3 (1, 3) -> ZK_ENOTONCURVE", g->name);
        touched += memcmp(&b, &sent, sizeof b) != 0;
        b = sent;
        is_int(g->from_dec(&b, dp), ZK_ENOTONCURVE, "%s dec (1, 3) -> ZK_ENOTONCURVE", g->name);
        touched += memcmp(&b, &sent, sizeof b) != 0;
        ok(!g->on_curve(&q), "%s is_on_curve(1, 3) is false", g->name);
        /* a valid point with y + 1 */
        g->coords(c, &a);
        zk_fp_add(&c[g->ncoord / 2], &c[g->ncoord / 2], &one);
        g->set_coords(&q, c);
        g->to_eth(e, &q);
        b = sent;
        is_int(g->from_eth(&b, e, g->enc_len), ZK_ENOTONCURVE,
               "%s eth (x, y + 1) -> ZK_ENOTONCURVE", g->name);
        touched += memcmp(&b, &sent, sizeof b) != 0;
        is_int(touched, 0, "%s: output untouched on ZK_ENOTONCURVE", g->name);
    }

    /* wrong lengths */
    {
        size_t lens[3] = {g->enc_len - 1, g->enc_len + 1, 0};
        long fe = 0, touched = 0;
        memcpy(buf, good_eth, g->enc_len);
        buf[g->enc_len] = 0;
        uint8_t ib[130];
        memcpy(ib, good_iden3, g->enc_len);
        ib[g->enc_len] = 0;
        for (int i = 0; i < 3; i++) {
            b = sent;
            fe += g->from_eth(&b, buf, lens[i]) != ZK_EENCODING;
            touched += memcmp(&b, &sent, sizeof b) != 0;
            b = sent;
            fe += g->from_iden3(&b, ib, lens[i]) != ZK_EENCODING;
            touched += memcmp(&b, &sent, sizeof b) != 0;
        }
        is_int(fe, 0, "%s eth and iden3 of length %zu, %zu, 0 give ZK_EENCODING", g->name,
               lens[0], lens[1]);
        is_int(touched, 0, "%s: output untouched on wrong length", g->name);
    }

    /* decimal syntax and z */
    {
        const char *dp[6];
        long fz = 0, fs = 0, touched = 0;
        for (int k = 0; k < g->ndec; k++)
            dp[k] = ds[k];
        /* z other than 0 / 1 */
        if (g->ndec == 3) {
            static const char *zs[] = {"2", "3", "21888242871839275222246405745257275088696311157297823662689037894645226208582"};
            for (size_t i = 0; i < sizeof zs / sizeof *zs; i++) {
                dp[2] = zs[i];
                b = sent;
                fz += g->from_dec(&b, dp) != ZK_EENCODING;
                touched += memcmp(&b, &sent, sizeof b) != 0;
            }
            dp[2] = ds[2];
        } else {
            static const char *zs[][2] = {{"2", "0"}, {"1", "1"}, {"0", "1"}, {"2", "5"}};
            for (size_t i = 0; i < sizeof zs / sizeof *zs; i++) {
                dp[4] = zs[i][0];
                dp[5] = zs[i][1];
                b = sent;
                fz += g->from_dec(&b, dp) != ZK_EENCODING;
                touched += memcmp(&b, &sent, sizeof b) != 0;
            }
            dp[4] = ds[4];
            dp[5] = ds[5];
        }
        is_int(fz, 0, "%s dec: z other than 0 / 1 gives ZK_EENCODING", g->name);
        /* bad decimal in every position */
        static const char *bads[] = {"12x", "", "-1", " 1", "0x10"};
        for (int k = 0; k < g->ndec; k++) {
            for (size_t i = 0; i < sizeof bads / sizeof *bads; i++) {
                const char *save = dp[k];
                dp[k] = bads[i];
                b = sent;
                fs += g->from_dec(&b, dp) != ZK_EENCODING;
                touched += memcmp(&b, &sent, sizeof b) != 0;
                dp[k] = save;
            }
        }
        is_int(fs, 0, "%s dec: \"12x\", \"\", \"-1\", \" 1\", \"0x10\" in each position give "
                      "ZK_EENCODING", g->name);
        is_int(touched, 0, "%s: output untouched on bad decimal input", g->name);
        /* the original strings still decode (the negatives are not vacuous) */
        b = sent;
        ok(g->from_dec(&b, dp) == 0 && g->eq(&b, &a), "%s dec: the unmodified strings decode",
           g->name);
    }
    mpz_clears(bad[0], bad[1], NULL);
}

/* the cofactor of E'(Fp2): #E' = r * c, c = 2p - r, and its factors */
static const char *const COFACTOR_FACTORS[4] = {
    "10069", "5864401", "1875725156269",
    "197620364512881247228717050342013327560683201906968909"};

/* G2 decoders reject p with ZK_ENOTINGROUP (eth, iden3, dec), leaving the
 * output alone; returns the number of failures */
static long rejects_notingroup(const grp *g, const apt *t)
{
    apt b, sent;
    uint8_t e[128];
    char ds[6][ZK_FP_DEC_MAX];
    const char *dp[6];
    long f = 0;
    fill(&sent, sizeof sent);
    g->to_eth(e, t);
    b = sent;
    f += g->from_eth(&b, e, 128) != ZK_ENOTINGROUP || memcmp(&b, &sent, sizeof b) != 0;
    g->to_iden3(e, t);
    b = sent;
    f += g->from_iden3(&b, e, 128) != ZK_ENOTINGROUP || memcmp(&b, &sent, sizeof b) != 0;
    g->to_dec(ds, t);
    for (int k = 0; k < 6; k++)
        dp[k] = ds[k];
    b = sent;
    f += g->from_dec(&b, dp) != ZK_ENOTINGROUP || memcmp(&b, &sent, sizeof b) != 0;
    return f;
}

/* G2 only: points of the twist outside G2 */
static void test_twist(void)
{
    const grp *g = &GROUPS[1];
    static const uint64_t seeds[] = {1, 2, 3, 42, 1000, 0xdeadbeef, 0};
    long notin = 0, onc = 0, enc = 0, cleared = 0, agree = 0, nagree = 0;
    mpz_t c, t, rc;
    mpz_inits(c, t, rc, NULL);
    mpz_mul_ui(c, PMOD, 2);
    mpz_sub(c, c, RORD);
    mpz_set_ui(t, 1);
    for (int i = 0; i < 4; i++) {
        mpz_t f;
        mpz_init_set_str(f, COFACTOR_FACTORS[i], 10);
        mpz_mul(t, t, f);
        mpz_clear(f);
    }
    if (mpz_cmp(t, c) != 0)
        bail_out("cofactor factors do not multiply to 2p - r");
    mpz_mul(rc, RORD, c); /* #E'(Fp2) */
    zpt zt;
    zp_init(&zt);
    int n = 0;
    for (size_t i = 0; i < sizeof seeds / sizeof *seeds; i++, n++) {
        apt tp, b, ca;
        uint8_t e[128];
        jpt tj, cj, oj;
        zk_g2_twist_point_from_seed(&tp.g2, seeds[i]);
        zpt_of(g, &zt, &tp);
        onc += !g->on_curve(&tp) || !zp_on_curve(&zt, &g->b) || g->is_inf(&tp);
        notin += g->in_subgroup(&tp) != 0;
        agree += zk_g2_in_subgroup(&tp.g2) != zk_g2_in_subgroup_slow(&tp.g2);
        nagree++;
        enc += rejects_notingroup(g, &tp);
        g->from_affine(&tj, &tp);
        /* the order of T divides #E' */
        naive_mul_z(g, &oj, &tj, rc);
        onc += !g->jis_inf(&oj);
        /* [c] T is in G2: accepted everywhere, in_subgroup true */
        naive_mul_z(g, &cj, &tj, c);
        g->to_affine(&ca, &cj);
        cleared += g->is_inf(&ca) || !g->in_subgroup(&ca) || !zk_g2_in_subgroup_slow(&ca.g2);
        g->to_eth(e, &ca);
        cleared += g->from_eth(&b, e, 128) != 0 || !g->eq(&b, &ca);
    }
    is_int(onc, 0, "g2 twist_point_from_seed gives points on the twist, of order dividing r c "
                   "(%d seeds)", n);
    is_int(notin, 0, "g2 in_subgroup is false for the twist points");
    is_int(enc, 0, "g2 eth, iden3, dec decoders give ZK_ENOTINGROUP for the twist points, "
                   "output untouched");
    is_int(cleared, 0, "g2 [2p - r] T is in G2 and decodes (the subgroup check can say yes)");

    /* points whose order is a small factor l of the cofactor, or r l:
     * adversarial inputs for the psi(Q) == [6z^2] Q test */
    long small_in = 0, small_enc = 0, mixed_in = 0, order_bad = 0;
    int nsmall = 0;
    for (size_t si = 0; si < 3; si++) {
        apt tp, q, m, G;
        jpt tj, qj, mj, oj, gj;
        zk_g2_twist_point_from_seed(&tp.g2, seeds[si]);
        g->from_affine(&tj, &tp);
        g->gen(&G);
        g->from_affine(&gj, &G);
        for (int fi = 0; fi < 4; fi++) {
            mpz_t l, e;
            mpz_init_set_str(l, COFACTOR_FACTORS[fi], 10);
            mpz_init(e);
            /* Q = [r c / l] T has order l (or is infinity if l does not
             * divide the order of T) */
            mpz_divexact(e, rc, l);
            naive_mul_z(g, &qj, &tj, e);
            if (g->jis_inf(&qj)) {
                mpz_clears(l, e, NULL);
                continue;
            }
            nsmall++;
            naive_mul_z(g, &oj, &qj, l);
            order_bad += !g->jis_inf(&oj);
            g->to_affine(&q, &qj);
            order_bad += !g->on_curve(&q);
            small_in += g->in_subgroup(&q) != 0;
            agree += zk_g2_in_subgroup(&q.g2) != zk_g2_in_subgroup_slow(&q.g2);
            nagree++;
            small_enc += rejects_notingroup(g, &q);
            /* Q + G has order r l */
            g->add(&mj, &qj, &gj);
            g->to_affine(&m, &mj);
            mixed_in += g->in_subgroup(&m) != 0;
            agree += zk_g2_in_subgroup(&m.g2) != zk_g2_in_subgroup_slow(&m.g2);
            nagree++;
            small_enc += rejects_notingroup(g, &m);
            /* [c / l] T: order r l' for the other factors */
            mpz_divexact(e, c, l);
            naive_mul_z(g, &mj, &tj, e);
            g->to_affine(&m, &mj);
            if (!g->is_inf(&m)) {
                mixed_in += g->in_subgroup(&m) != 0;
                agree += zk_g2_in_subgroup(&m.g2) != zk_g2_in_subgroup_slow(&m.g2);
                nagree++;
            }
            mpz_clears(l, e, NULL);
        }
    }
    ok(nsmall >= 6, "g2: found %d points of small order l | c (l = 10069, 5864401, ...)", nsmall);
    is_int(order_bad, 0, "g2: those points are on the twist and have order l");
    is_int(small_in, 0, "g2 in_subgroup is false for points of order l | c");
    is_int(mixed_in, 0, "g2 in_subgroup is false for points of order r l (Q + G, [c/l] T)");
    is_int(small_enc, 0, "g2 decoders give ZK_ENOTINGROUP for points of order l and r l");

    /* fast and slow membership agree; also on G2 points */
    for (int i = 0; i < 10; i++) {
        apt a;
        rand_point(g, &a, NULL);
        agree += zk_g2_in_subgroup(&a.g2) != 1 || zk_g2_in_subgroup_slow(&a.g2) != 1;
        nagree++;
    }
    {
        apt inf;
        g->set_inf(&inf);
        agree += zk_g2_in_subgroup(&inf.g2) != 1 || zk_g2_in_subgroup_slow(&inf.g2) != 1;
        nagree++;
    }
    is_int(agree, 0, "g2 in_subgroup == in_subgroup_slow on %ld points (G2, twist, order l, r l, inf)",
           nagree);
    mpz_clears(c, t, rc, NULL);
    zp_clear(&zt);
}

/* (beta x, y) with beta^3 = 1, beta != 1 is on the curve with the same y:
 * jeq must compare x as well as y */
static void test_endomorphism(const grp *g)
{
    mpz_t beta, e, gg;
    mpz_inits(beta, e, gg, NULL);
    mpz_sub_ui(e, PMOD, 1);
    mpz_divexact_ui(e, e, 3);
    for (unsigned long base = 2;; base++) {
        mpz_set_ui(gg, base);
        mpz_powm(beta, gg, e, PMOD);
        if (mpz_cmp_ui(beta, 1) != 0)
            break;
    }
    zk_fp b;
    fp_of_z(&b, beta);
    long f = 0;
    for (int i = 0; i < 8; i++) {
        apt a, q;
        jpt aj, qj;
        zk_fp c[4];
        rand_point(g, &a, &aj);
        g->coords(c, &a);
        for (int k = 0; k < g->ncoord / 2; k++)
            zk_fp_mul(&c[k], &c[k], &b);
        g->set_coords(&q, c);
        f += !g->on_curve(&q);
        f += g->eq(&q, &a);
        g->from_affine(&qj, &q);
        f += g->jeq(&qj, &aj) || g->jeq(&aj, &qj);
        g->scale(&qj, &qj);
        f += g->jeq(&qj, &aj) || g->jeq(&aj, &qj);
    }
    is_int(f, 0, "%s (beta x, y) is on the curve and jeq / eq tell it from (x, y)", g->name);
    mpz_clears(beta, e, gg, NULL);
}

int main(void)
{
    if (sodium_init() < 0)
        bail_out("sodium_init failed");
    gmp_randinit_default(RS);
    gmp_randseed_ui(RS, 20261125);
    mpz_init_set_str(PMOD, P_DEC, 10);
    mpz_init_set_str(RORD, R_DEC, 10);
    /* curve constants for the oracle: 3 and 3 / (9 + u) */
    for (int i = 0; i < 2; i++)
        zf_init(&GROUPS[i].b);
    zf_set_ui(&GROUPS[0].b, 3);
    {
        zfp2 xi, three;
        zf_init(&xi);
        zf_init(&three);
        mpz_set_ui(xi.c0, 9);
        mpz_set_ui(xi.c1, 1);
        zf_set_ui(&three, 3);
        zf_inv(&xi, &xi);
        zf_mul(&GROUPS[1].b, &three, &xi);
        zf_clear(&xi);
        zf_clear(&three);
    }
    for (int i = 0; i < 2; i++) {
        const grp *g = &GROUPS[i];
        test_generator(g);
        test_group_laws(g);
        test_scalar_mul(g);
        test_batch(g);
        test_encodings(g);
        test_rejections(g);
        test_endomorphism(g);
    }
    test_known_answers();
    test_twist();
    for (int i = 0; i < 2; i++)
        zf_clear(&GROUPS[i].b);
    mpz_clears(PMOD, RORD, NULL);
    gmp_randclear(RS);
    return done_testing();
}
