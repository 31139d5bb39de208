/* g1.c -- G1 of BN254 (see g1.h). */
#include <stdlib.h>

#include "curve/curve_inline.h"

static const zk_g1 G1_GEN = {{ZK_G1_GEN_X}, {ZK_G1_GEN_Y}};

void zk_g1_generator(zk_g1 *r) { *r = G1_GEN; }
void zk_g1_set_inf(zk_g1 *r) { memset(r, 0, sizeof *r); }
int zk_g1_is_inf(const zk_g1 *p) { return g1_a_is_inf(p); }
int zk_g1_is_on_curve(const zk_g1 *p) { return g1_a_is_inf(p) || g1_a_on_curve(p); }
int zk_g1_in_subgroup(const zk_g1 *p) { return zk_g1_is_on_curve(p); }

int zk_g1_eq(const zk_g1 *a, const zk_g1 *b)
{
    return fp_eq(&a->x, &b->x) && fp_eq(&a->y, &b->y);
}

void zk_g1_neg(zk_g1 *r, const zk_g1 *p)
{
    r->x = p->x;
    fp_neg(&r->y, &p->y); /* (0, 0) stays (0, 0) */
}

void zk_g1j_set_inf(zk_g1j *r) { g1_j_set_inf(r); }
int zk_g1j_is_inf(const zk_g1j *p) { return g1_j_is_inf(p); }
void zk_g1j_from_affine(zk_g1j *r, const zk_g1 *a) { g1_j_from_a(r, a); }
void zk_g1_from_jacobian(zk_g1 *r, const zk_g1j *p) { g1_j_to_a(r, p); }
void zk_g1j_add(zk_g1j *r, const zk_g1j *p, const zk_g1j *q) { g1_j_add(r, p, q); }
void zk_g1j_add_affine(zk_g1j *r, const zk_g1j *p, const zk_g1 *q) { g1_j_add_a(r, p, q); }
void zk_g1j_dbl(zk_g1j *r, const zk_g1j *p) { g1_j_dbl(r, p); }
void zk_g1j_neg(zk_g1j *r, const zk_g1j *p) { g1_j_neg(r, p); }
int zk_g1j_eq(const zk_g1j *p, const zk_g1j *q) { return g1_j_eq(p, q); }

int zk_g1j_batch_to_affine(zk_g1 *out, const zk_g1j *in, size_t n)
{
    zk_fp *scratch = malloc((n ? n : 1) * sizeof *scratch);
    if (!scratch)
        return ZK_ENOMEM;
    g1_j_batch_to_a(out, in, n, scratch);
    free(scratch);
    return ZK_OK;
}

void zk_g1j_mul(zk_g1j *r, const zk_g1j *p, const zk_fr *k)
{
    uint64_t e[4];
    fr_to_int(e, k);
    g1_j_mul_ct(r, p, e);
    memset(e, 0, sizeof e);
}

void zk_g1j_mul_var(zk_g1j *r, const zk_g1j *p, const zk_fr *k)
{
    uint64_t e[4];
    fr_to_int(e, k);
    g1_j_mul_limbs_var(r, p, e, 4);
}

void zk_g1_to_eth(uint8_t out[64], const zk_g1 *p)
{
    zk_fp_to_bytes_be(out, &p->x);
    zk_fp_to_bytes_be(out + 32, &p->y);
}

/* Shared tail of every decoder: (0, 0) is infinity, else on the curve. */
static int g1_check(const zk_g1 *p)
{
    if (g1_a_is_inf(p))
        return ZK_OK;
    return g1_a_on_curve(p) ? ZK_OK : ZK_ENOTONCURVE;
}

int zk_g1_from_eth(zk_g1 *r, const uint8_t *in, size_t len)
{
    zk_g1 p;
    int rc;
    if (len != 64)
        return ZK_EENCODING;
    if ((rc = zk_fp_from_bytes_be(&p.x, in)) != 0 ||
        (rc = zk_fp_from_bytes_be(&p.y, in + 32)) != 0 || (rc = g1_check(&p)) != 0)
        return rc;
    *r = p;
    return ZK_OK;
}

void zk_g1_to_iden3(uint8_t out[64], const zk_g1 *p)
{
    zk_fp_to_mont_le(out, &p->x);
    zk_fp_to_mont_le(out + 32, &p->y);
}

int zk_g1_from_iden3(zk_g1 *r, const uint8_t *in, size_t len)
{
    zk_g1 p;
    int rc;
    if (len != 64)
        return ZK_EENCODING;
    if ((rc = zk_fp_from_mont_le(&p.x, in)) != 0 ||
        (rc = zk_fp_from_mont_le(&p.y, in + 32)) != 0 || (rc = g1_check(&p)) != 0)
        return rc;
    *r = p;
    return ZK_OK;
}

void zk_g1_to_dec(char out[3][ZK_FP_DEC_MAX], const zk_g1 *p)
{
    if (g1_a_is_inf(p)) {
        strcpy(out[0], "0");
        strcpy(out[1], "1");
        strcpy(out[2], "0");
        return;
    }
    zk_fp_to_dec(out[0], &p->x);
    zk_fp_to_dec(out[1], &p->y);
    strcpy(out[2], "1");
}

int zk_g1_from_dec(zk_g1 *r, const char *const in[3])
{
    zk_g1j j;
    zk_fp z;
    int rc;
    if ((rc = zk_fp_from_dec(&j.x, in[0])) != 0 || (rc = zk_fp_from_dec(&j.y, in[1])) != 0 ||
        (rc = zk_fp_from_dec(&z, in[2])) != 0)
        return rc;
    if (fp_is_zero(&z)) {
        zk_g1_set_inf(r); /* snarkjs writes infinity as [0, 1, 0] */
        return ZK_OK;
    }
    if (!fp_is_one(&z))
        return ZK_EENCODING;
    zk_g1 p = {j.x, j.y};
    if ((rc = g1_check(&p)) != 0)
        return rc;
    *r = p;
    return ZK_OK;
}
