/*
 * testptau.h -- helpers shared by the tests of .ptau files and Groth16
 * setup (test_ptau, test_ptau_dev, test_setup):
 *
 *   toxic, ptau_shape, ptau_good_shape(), ptau_build()
 *                       a .ptau image, in the order snarkjs writes it,
 *                       from KNOWN toxic waste (tau, alpha, beta), with the
 *                       Lagrange sections by the O(n^2) inverse DFT, and
 *                       header faults for negative tests
 *   lagrange_dft()      f L_j(tau) for a power-of-two domain
 *   g1_muls(), g2_muls()  k_i G by double-and-add
 *   put_g1s(), put_g2s()  k_i G appended in iden3 encoding
 *   sec_begin(), sec_end()  a section of a hand-built iden3 container
 *   sec_off()           where a section's payload starts in an image
 *   q_le()              the base field modulus q, 32 bytes little-endian
 *   pair_eq()           e(a, b) == e(c, d)
 *   circuit, circuit_free(), T()  an r1cs with a satisfying witness
 *
 * Header-only, everything static inline; failures bail out through tap.h.
 * Include after testfile.h.
 */
#ifndef ZK_TESTS_UNIT_TESTPTAU_H
#define ZK_TESTS_UNIT_TESTPTAU_H

#include <stdint.h>
#include <stdlib.h>

#include "curve/g1.h"
#include "curve/g2.h"
#include "curve/msm.h"
#include "curve/pairing.h"
#include "field/fp.h"
#include "field/fr.h"
#include "io/binfile.h"
#include "io/r1cs.h"
#include "tap.h"
#include "testfile.h"
#include "util/err.h"
#include "util/pool.h"

/* ------------------------------------------------------------ field, curve */

/* The toxic waste a test ptau is built from. */
typedef struct {
    zk_fr tau, alpha, beta;
} toxic;

/* out[j] = f L_j(tau), j < 2^k, L_j the Lagrange basis of <omega_(2^k)>,
 * by the inverse DFT of the first m powers of tau: L_j = 1/n sum_(i<m)
 * tau^i omega^(-ij).  m = 2^k normally; 2^k - 1 for the extra block of
 * section 12 (the last power taken as 0). */
static inline void lagrange_dft(zk_fr *out, unsigned k, const zk_fr *tau, size_t m,
                                const zk_fr *f)
{
    const size_t n = (size_t)1 << k;
    zk_fr om, omi, ninv, wj, x, t;
    if (zk_fr_root_of_unity(&om, k) != ZK_OK || zk_fr_inv(&omi, &om) != ZK_OK)
        bail_out("root of unity");
    zk_fr_set_u64(&ninv, n);
    if (zk_fr_inv(&ninv, &ninv) != ZK_OK)
        bail_out("inv");
    zk_fr_one(&wj); /* omega^-j */
    for (size_t j = 0; j < n; j++) {
        zk_fr acc, p;
        zk_fr_zero(&acc);
        zk_fr_one(&p); /* tau^i */
        zk_fr_one(&x); /* omega^-ij */
        for (size_t i = 0; i < m; i++) {
            zk_fr_mul(&t, &p, &x);
            zk_fr_add(&acc, &acc, &t);
            zk_fr_mul(&p, &p, tau);
            zk_fr_mul(&x, &x, &wj);
        }
        zk_fr_mul(&acc, &acc, &ninv);
        zk_fr_mul(&out[j], &acc, f);
        zk_fr_mul(&wj, &wj, &omi);
    }
}

/* out[i] = k[i] G1 by double-and-add, independently of the fixed-base
 * code. */
static inline void g1_muls(zk_g1 *out, const zk_fr *k, size_t n)
{
    zk_g1 g;
    zk_g1j j;
    zk_g1_generator(&g);
    for (size_t i = 0; i < n; i++) {
        zk_g1j_from_affine(&j, &g);
        zk_g1j_mul_var(&j, &j, &k[i]);
        zk_g1_from_jacobian(&out[i], &j);
    }
}

static inline void g2_muls(zk_g2 *out, const zk_fr *k, size_t n)
{
    zk_g2 g;
    zk_g2j j;
    zk_g2_generator(&g);
    for (size_t i = 0; i < n; i++) {
        zk_g2j_from_affine(&j, &g);
        zk_g2j_mul_var(&j, &j, &k[i]);
        zk_g2_from_jacobian(&out[i], &j);
    }
}

/* Append k[i] G1, i < n, 64 bytes each (iden3 encoding).  pool NULL:
 * double-and-add (g1_muls); otherwise zk_g1_fixed_base_batch on pool,
 * much faster for large n. */
static inline void put_g1s(buf_t *s, const zk_fr *k, size_t n, zk_pool *pool)
{
    zk_g1 g, *p = malloc((n ? n : 1) * sizeof *p);
    if (!p)
        bail_out("out of memory");
    zk_g1_generator(&g);
    if (!pool)
        g1_muls(p, k, n);
    else if (zk_g1_fixed_base_batch(p, &g, k, n, pool) != ZK_OK)
        bail_out("fixed base g1");
    for (size_t i = 0; i < n; i++) {
        uint8_t b[64];
        zk_g1_to_iden3(b, &p[i]);
        bput(s, b, 64);
    }
    free(p);
}

/* The same in G2, 128 bytes each. */
static inline void put_g2s(buf_t *s, const zk_fr *k, size_t n, zk_pool *pool)
{
    zk_g2 g, *p = malloc((n ? n : 1) * sizeof *p);
    if (!p)
        bail_out("out of memory");
    zk_g2_generator(&g);
    if (!pool)
        g2_muls(p, k, n);
    else if (zk_g2_fixed_base_batch(p, &g, k, n, pool) != ZK_OK)
        bail_out("fixed base g2");
    for (size_t i = 0; i < n; i++) {
        uint8_t b[128];
        zk_g2_to_iden3(b, &p[i]);
        bput(s, b, 128);
    }
    free(p);
}

/* e(a, b) == e(c, d) */
static inline int pair_eq(const zk_g1 *a, const zk_g2 *b, const zk_g1 *c, const zk_g2 *d)
{
    zk_g1 p[2];
    zk_g2 q[2] = { *b, *d };
    zk_g1_neg(&p[0], a);
    p[1] = *c;
    return zk_pairing_check(p, q, 2);
}

/* q, the base field modulus, as 32 little-endian bytes. */
static inline void q_le(uint8_t q[32])
{
    zk_fp m1;
    zk_fp_one(&m1);
    zk_fp_neg(&m1, &m1);
    zk_fp_to_bytes_le(q, &m1);
    q[0]++; /* q - 1 ends in 0x46: no carry */
}

/* ------------------------------------------------------------ containers */

/* Start section `type` of a hand-built iden3 container; *at remembers
 * where its size goes. */
static inline void sec_begin(buf_t *s, uint32_t type, size_t *at)
{
    bput32(s, type);
    *at = s->n;
    bput64(s, 0);
}

/* End the section begun at `at`: write its size. */
static inline void sec_end(buf_t *s, size_t at)
{
    uint64_t size = s->n - at - 8;
    for (int i = 0; i < 8; i++)
        s->b[at + (size_t)i] = (uint8_t)(size >> (8 * i));
}

/* The payload offset of the first section `type` in a container image,
 * or 0 when there is none. */
static inline size_t sec_off(const buf_t *s, uint32_t type)
{
    size_t off = 12;
    while (off + 12 <= s->n) {
        if (zk_load_u32_le(s->b + off) == type)
            return off + 12;
        off += 12 + (size_t)zk_load_u64_le(s->b + off + 4);
    }
    return 0;
}

/* ------------------------------------------------------------ the ptau */

/* What ptau_build writes: the header fields and the faults that the
 * negative tests put in. */
typedef struct {
    const char *magic; /* 4 bytes */
    uint32_t version, n8, power, ceremony;
    int q_is_r;    /* write r instead of q */
    int extra_hdr; /* 4 more header bytes */
    int prepared;  /* 0, 1 (sections 12..15), or 2 = sections 12..14 only */
    int skip6;     /* leave section 6 out */
    int short3;    /* one point fewer in section 3 */
} ptau_shape;

/* A well-formed prepared ptau of power p (ceremony power p). */
static inline ptau_shape ptau_good_shape(unsigned p)
{
    ptau_shape sh = { "ptau", 1, 32, p, p, 0, 0, 1, 0, 0 };
    return sh;
}

/* A .ptau image of power p for tx, sections 1..7 (and 12..15 when
 * prepared) in the order snarkjs writes them, shaped by sh.  The points
 * are computed as put_g1s() says for pool.  bfree() the result. */
static inline buf_t ptau_build(unsigned p, const toxic *tx, const ptau_shape *sh,
                               zk_pool *pool)
{
    buf_t s = { 0 };
    const size_t n = (size_t)1 << p;
    zk_fr *pw = malloc(2 * n * sizeof *pw), *k = malloc(4 * n * sizeof *k);
    if (!pw || !k)
        bail_out("out of memory");
    zk_fr_one(&pw[0]);
    for (size_t i = 1; i < 2 * n; i++)
        zk_fr_mul(&pw[i], &pw[i - 1], &tx->tau);
    size_t at;
    uint32_t nsec = 7 - (sh->skip6 ? 1 : 0) +
                    (sh->prepared == 1 ? 4 : sh->prepared == 2 ? 3 : 0);
    bput(&s, sh->magic, 4);
    bput32(&s, sh->version);
    bput32(&s, nsec);
    sec_begin(&s, 1, &at);
    {
        uint8_t q[32];
        if (sh->q_is_r) {
            zk_fr m1;
            zk_fr_one(&m1);
            zk_fr_neg(&m1, &m1);
            zk_fr_to_bytes_le(q, &m1);
            q[0]++;
        } else {
            q_le(q);
        }
        bput32(&s, sh->n8);
        bput(&s, q, 32);
        bput32(&s, sh->power);
        bput32(&s, sh->ceremony);
        if (sh->extra_hdr)
            bput32(&s, 0);
    }
    sec_end(&s, at);
    sec_begin(&s, 2, &at);
    put_g1s(&s, pw, 2 * n - 1, pool);
    sec_end(&s, at);
    sec_begin(&s, 3, &at);
    put_g2s(&s, pw, sh->short3 ? n - 1 : n, pool);
    sec_end(&s, at);
    sec_begin(&s, 4, &at);
    for (size_t i = 0; i < n; i++)
        zk_fr_mul(&k[i], &pw[i], &tx->alpha);
    put_g1s(&s, k, n, pool);
    sec_end(&s, at);
    sec_begin(&s, 5, &at);
    for (size_t i = 0; i < n; i++)
        zk_fr_mul(&k[i], &pw[i], &tx->beta);
    put_g1s(&s, k, n, pool);
    sec_end(&s, at);
    if (!sh->skip6) {
        sec_begin(&s, 6, &at);
        put_g2s(&s, &tx->beta, 1, pool);
        sec_end(&s, at);
    }
    sec_begin(&s, 7, &at);
    bput32(&s, 0);
    sec_end(&s, at);
    if (sh->prepared) {
        zk_fr one;
        zk_fr_one(&one);
        const zk_fr *mult[4] = { &one, &one, &tx->alpha, &tx->beta };
        unsigned last = sh->prepared == 1 ? 15 : 14;
        for (unsigned sec = 12; sec <= last; sec++) {
            sec_begin(&s, sec, &at);
            unsigned top = sec == 12 ? p + 1 : p;
            for (unsigned kk = 0; kk <= top; kk++) {
                size_t nk = (size_t)1 << kk;
                lagrange_dft(k, kk, &tx->tau, kk == p + 1 ? nk - 1 : nk, mult[sec - 12]);
                if (sec == 13)
                    put_g2s(&s, k, nk, pool);
                else
                    put_g1s(&s, k, nk, pool);
            }
            sec_end(&s, at);
        }
    }
    free(pw);
    free(k);
    return s;
}

/* ------------------------------------------------------------ circuits */

/* An r1cs and a satisfying witness w[0..n-1] (w[0] = 1). */
typedef struct {
    zk_r1cs *cs;
    zk_fr *w;
    size_t n;
} circuit;

static inline void circuit_free(circuit *c)
{
    zk_r1cs_free(c->cs);
    free(c->w);
    c->cs = NULL;
    c->w = NULL;
}

/* The term c w_wire. */
static inline zk_r1cs_term T(uint32_t wire, int64_t c)
{
    zk_r1cs_term t;
    t.wire = wire;
    zk_fr_set_u64(&t.coeff, c < 0 ? (uint64_t)0 - (uint64_t)c : (uint64_t)c);
    if (c < 0)
        zk_fr_neg(&t.coeff, &t.coeff);
    return t;
}

#endif /* ZK_TESTS_UNIT_TESTPTAU_H */
