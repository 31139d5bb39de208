/*
 * ptau_dev.c -- development .ptau files (see ptau_dev.h).
 *
 * Layout sources: snarkjs src/powersoftau_new.js (sections 1 to 7, the
 * empty contributions section), powersoftau_utils.js (writePTauHeader:
 * ceremonyPower = power when not given, as prepare phase2 writes it) and
 * powersoftau_preparephase2.js (sections 12 to 15 written in the order
 * 12, 13, 14, 15 after 1 to 7; blocks k = 0 .. power, and for section 12
 * block power + 1 from section 2's 2^(power+1) - 1 points and a zero
 * point, each block the inverse FFT of the points, ffjavascript's
 * G.lagrangeEvaluations / G.ifft in natural order).
 *
 * The inverse DFT of (tau^0, ..., tau^(m-1)) X over <omega> is
 * L_j(tau) X, and by the barycentric form of the Lagrange basis of
 * the roots of X^m - 1,
 *   L_j(tau) = omega^j (tau^m - 1) / (m (tau - omega^j)).
 * Dropping the last power (section 12's block power + 1) subtracts
 * tau^(m-1) omega^(-(m-1)j) / m = tau^(m-1) omega^j / m.
 */
#include "groth16/ptau_dev.h"

#include <errno.h>
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "curve/g1.h"
#include "curve/g2.h"
#include "curve/msm.h"
#include "field/constants.h"
#include "field/fr.h"
#include "io/binfile.h"
#include "io/ptau.h"

/* Scalars and points per fixed-base batch (a test build may set it small
 * to cross chunk boundaries at small powers). */
#ifndef ZK_PTAU_DEV_CHUNK
#define ZK_PTAU_DEV_CHUNK 16384u
#endif
#define CHUNK ((size_t)ZK_PTAU_DEV_CHUNK)
#define G1_BYTES 64u
#define G2_BYTES 128u

/* The toxic waste and every value derived from it (sodium_malloc). */
typedef struct {
    zk_fr tau, alpha, beta;
    zk_fr cm; /* per block: f (tau^m - 1) / m */
    zk_fr cx; /* per block: f tau^(m-1) / m for section 12's last, else 0 */
    zk_fr t;  /* scratch */
} secrets;

typedef struct {
    zk_binwriter *w;
    zk_pool *pool;
    secrets *s;
    zk_fr *k;       /* CHUNK scalars (secret, sodium_malloc) */
    zk_fr *den;     /* CHUNK denominators (secret, sodium_malloc) */
    zk_g1 *p1;      /* CHUNK points (public) */
    zk_g2 *p2;
    uint8_t *bytes; /* CHUNK encoded points */
    zk_g1 g1;
    zk_g2 g2;
} dev;

/* Multiply the generator of group g (1 or 2) by k[0..n) and append the
 * points to the open section. */
static int emit(dev *d, unsigned g, size_t n)
{
    int rc;
    if (g == 1) {
        if ((rc = zk_g1_fixed_base_batch(d->p1, &d->g1, d->k, n, d->pool)) != ZK_OK)
            return rc;
        for (size_t i = 0; i < n; i++)
            zk_g1_to_iden3(d->bytes + i * G1_BYTES, &d->p1[i]);
        return zk_binwriter_section_write(d->w, d->bytes, n * G1_BYTES);
    }
    if ((rc = zk_g2_fixed_base_batch(d->p2, &d->g2, d->k, n, d->pool)) != ZK_OK)
        return rc;
    for (size_t i = 0; i < n; i++)
        zk_g2_to_iden3(d->bytes + i * G2_BYTES, &d->p2[i]);
    return zk_binwriter_section_write(d->w, d->bytes, n * G2_BYTES);
}

/* f tau^i X for i < count (f secret or 1). */
static int put_powers(dev *d, unsigned g, uint64_t count, const zk_fr *f)
{
    int rc = ZK_OK;
    for (uint64_t i0 = 0; i0 < count && rc == ZK_OK; i0 += CHUNK) {
        const size_t n = count - i0 < CHUNK ? (size_t)(count - i0) : CHUNK;
        const uint64_t e[4] = { i0, 0, 0, 0 };
        zk_fr_pow(&d->s->t, &d->s->tau, e);
        zk_fr_mul(&d->k[0], &d->s->t, f);
        for (size_t j = 1; j < n; j++)
            zk_fr_mul(&d->k[j], &d->k[j - 1], &d->s->tau);
        rc = emit(d, g, n);
    }
    return rc;
}

/* The block of level k: f L_j(tau) X for j < 2^k; when last, the values
 * of section 12's block power + 1 (tau^(2^k - 1) dropped). */
static int put_block(dev *d, unsigned g, unsigned k, const zk_fr *f, int last)
{
    const uint64_t m = (uint64_t)1 << k;
    secrets *s = d->s;
    zk_fr om, x, minv;
    int rc;
    if ((rc = zk_fr_root_of_unity(&om, k)) != ZK_OK)
        return rc;
    zk_fr_set_u64(&minv, m);
    if ((rc = zk_fr_inv(&minv, &minv)) != ZK_OK)
        return rc;
    /* cm = f (tau^m - 1) / m; cx = f tau^(m-1) / m or 0 */
    const uint64_t em[4] = { m, 0, 0, 0 }, em1[4] = { m - 1, 0, 0, 0 };
    zk_fr_pow(&s->cm, &s->tau, em);
    zk_fr_one(&s->t);
    zk_fr_sub(&s->cm, &s->cm, &s->t);
    zk_fr_mul(&s->cm, &s->cm, &minv);
    zk_fr_mul(&s->cm, &s->cm, f);
    zk_fr_pow(&s->cx, &s->tau, em1);
    zk_fr_mul(&s->cx, &s->cx, &minv);
    zk_fr_mul(&s->cx, &s->cx, f);
    if (!last)
        zk_fr_zero(&s->cx);

    for (uint64_t j0 = 0; j0 < m && rc == ZK_OK; j0 += CHUNK) {
        const size_t n = m - j0 < CHUNK ? (size_t)(m - j0) : CHUNK;
        const uint64_t ej[4] = { j0, 0, 0, 0 };
        zk_fr x0;
        zk_fr_pow(&x0, &om, ej); /* public */
        x = x0;
        for (size_t j = 0; j < n; j++) {
            zk_fr_sub(&d->den[j], &s->tau, &x);
            zk_fr_mul(&x, &x, &om);
        }
        /* tau is outside <omega_2^(power+1)>: no denominator is 0 */
        zk_fr_batch_inv(d->k, d->den, n);
        x = x0;
        for (size_t j = 0; j < n; j++) {
            zk_fr_mul(&s->t, &s->cm, &d->k[j]);
            zk_fr_sub(&s->t, &s->t, &s->cx);
            zk_fr_mul(&d->k[j], &s->t, &x);
            zk_fr_mul(&x, &x, &om);
        }
        rc = emit(d, g, n);
    }
    return rc;
}

static void random_nonzero(zk_fr *r)
{
    do
        zk_fr_random(r);
    while (zk_fr_is_zero(r));
}

static int write_all(dev *d, unsigned power)
{
    const uint64_t n = (uint64_t)1 << power;
    zk_binwriter *w = d->w;
    secrets *s = d->s;
    zk_fr one;
    int rc;
    zk_fr_one(&one);

    /* 1: header */
    static const uint64_t q[4] = ZK_FP_MODULUS;
    uint8_t qb[32];
    for (unsigned i = 0; i < 32; i++)
        qb[i] = (uint8_t)(q[i / 8] >> (8 * (i % 8)));
    if ((rc = zk_binwriter_section_begin(w, 1)) != ZK_OK ||
        (rc = zk_binwriter_u32(w, 32)) != ZK_OK ||
        (rc = zk_binwriter_section_write(w, qb, sizeof qb)) != ZK_OK ||
        (rc = zk_binwriter_u32(w, power)) != ZK_OK ||
        (rc = zk_binwriter_u32(w, power)) != ZK_OK ||
        (rc = zk_binwriter_section_end(w)) != ZK_OK)
        return rc;

    /* 2 to 6: the powers */
    static const struct { unsigned sec, g, which; } pw[] = {
        { 2, 1, 0 }, { 3, 2, 0 }, { 4, 1, 1 }, { 5, 1, 2 },
    };
    const zk_fr *factor[3] = { &one, &s->alpha, &s->beta };
    for (size_t i = 0; i < sizeof pw / sizeof *pw; i++) {
        const uint64_t count = pw[i].sec == 2 ? 2 * n - 1 : n;
        if ((rc = zk_binwriter_section_begin(w, pw[i].sec)) != ZK_OK ||
            (rc = put_powers(d, pw[i].g, count, factor[pw[i].which])) != ZK_OK ||
            (rc = zk_binwriter_section_end(w)) != ZK_OK)
            return rc;
    }
    d->k[0] = s->beta;
    if ((rc = zk_binwriter_section_begin(w, 6)) != ZK_OK || (rc = emit(d, 2, 1)) != ZK_OK ||
        (rc = zk_binwriter_section_end(w)) != ZK_OK)
        return rc;

    /* 7: no contribution record */
    if ((rc = zk_binwriter_section_begin(w, 7)) != ZK_OK ||
        (rc = zk_binwriter_u32(w, 0)) != ZK_OK || (rc = zk_binwriter_section_end(w)) != ZK_OK)
        return rc;

    /* 12 to 15: the Lagrange blocks */
    static const struct { unsigned sec, g, which; } lg[] = {
        { 12, 1, 0 }, { 13, 2, 0 }, { 14, 1, 1 }, { 15, 1, 2 },
    };
    for (size_t i = 0; i < sizeof lg / sizeof *lg; i++) {
        const unsigned top = lg[i].sec == 12 ? power + 1 : power;
        if ((rc = zk_binwriter_section_begin(w, lg[i].sec)) != ZK_OK)
            return rc;
        for (unsigned k = 0; k <= top; k++)
            if ((rc = put_block(d, lg[i].g, k, factor[lg[i].which], k == power + 1)) != ZK_OK)
                return rc;
        if ((rc = zk_binwriter_section_end(w)) != ZK_OK)
            return rc;
    }
    return ZK_OK;
}

int zk_ptau_dev_write(const char *path, unsigned power, zk_pool *pool)
{
    if (!path || power > ZK_PTAU_DEV_MAX_POWER)
        return ZK_EINVAL;
    if (sodium_init() < 0)
        return ZK_EIO;
    /* the longest run: section 12's last block, 2^(power+1) points */
    const size_t chunk = (size_t)2 << power < CHUNK ? (size_t)2 << power : CHUNK;
    dev d = { .pool = pool };
    zk_g1_generator(&d.g1);
    zk_g2_generator(&d.g2);
    d.s = sodium_malloc(sizeof *d.s);
    d.k = sodium_allocarray(chunk, sizeof *d.k);
    d.den = sodium_allocarray(chunk, sizeof *d.den);
    d.p1 = malloc(chunk * sizeof *d.p1);
    d.p2 = malloc(chunk * sizeof *d.p2);
    d.bytes = malloc(chunk * G2_BYTES);
    int rc = ZK_ENOMEM;
    if (!d.s || !d.k || !d.den || !d.p1 || !d.p2 || !d.bytes)
        goto out;

    /* tau outside <omega_2^(power+1)>, which holds every domain used */
    const uint64_t e[4] = { (uint64_t)2 << power, 0, 0, 0 };
    do {
        random_nonzero(&d.s->tau);
        zk_fr_pow(&d.s->t, &d.s->tau, e);
    } while (zk_fr_is_one(&d.s->t));
    random_nonzero(&d.s->alpha);
    random_nonzero(&d.s->beta);

    if ((rc = zk_binwriter_begin(&d.w, path, "ptau", ZK_PTAU_VERSION, 11)) != ZK_OK)
        goto out;
    /* metered by the points: on G1 sections 2, 4, 5 (2n - 1, n, n) and
     * the Lagrange blocks 12, 14, 15 (4n - 1, 2n - 1, 2n - 1); on G2
     * sections 3, 6 (n, 1) and block 13 (2n - 1) */
    const uint64_t n = (uint64_t)1 << power;
    zk_meter_begin(zk_pool_meter(pool), "ptau",
                   (12 * n - 4) + ZK_FIXED_BASE_G2_UNITS * (3 * n));
    rc = write_all(&d, power);
    zk_meter_end(zk_pool_meter(pool));
    if (rc == ZK_OK) {
        rc = zk_binwriter_commit(d.w);
    } else {
        int saved = errno;
        zk_binwriter_abort(d.w);
        errno = saved;
    }

out:;
    int saved = errno;
    /* sodium_free wipes */
    sodium_free(d.s);
    sodium_free(d.k);
    sodium_free(d.den);
    free(d.p1);
    free(d.p2);
    free(d.bytes);
    errno = saved;
    return rc;
}
