/* fr.c -- the scalar field Fr of BN254: the field template, roots of
 * unity and Tonelli-Shanks square roots (r - 1 = 2^28 t). */
#include "field/field_inline.h"

#define F_T zk_fr
#define F(name) zk_fr_##name
#define FI(name) fr_##name
#define F_MOD FR_MOD
#define F_ONE FR_ONE
#define F_R2 FR_R2
#define F_NINV ZK_FR_NINV
#define F_INV_EXP ZK_FR_INV_EXP
#define F_HALF ZK_FR_HALF
#define F_R3 ZK_FR_R3
#include "field/field_impl.h"

static const zk_fr FR_ROOT28 = {ZK_FR_ROOT_OF_UNITY};

int zk_fr_root_of_unity(zk_fr *r, unsigned k)
{
    if (k > ZK_FR_TWO_ADICITY)
        return ZK_EINVAL;
    zk_fr t = FR_ROOT28;
    for (unsigned i = k; i < ZK_FR_TWO_ADICITY; i++)
        fr_sqr(&t, &t);
    *r = t;
    return ZK_OK;
}

int zk_fr_sqrt(zk_fr *r, const zk_fr *a)
{
    /* Tonelli-Shanks with the fixed non-residue 5: z = 5^t generates the
     * 2-Sylow subgroup.  Variable time (public inputs only in practice). */
    static const uint64_t half[4] = ZK_FR_ODD_HALF;
    zk_fr x, b, z, t, w;
    unsigned m = ZK_FR_TWO_ADICITY;
    if (fr_is_zero(a)) {
        fr_set_zero(r);
        return ZK_OK;
    }
    if (zk_fr_legendre(a) != 1)
        return ZK_ENOTSQUARE;
    mont_pow(w.l, a->l, half, FR_ONE, FR_MOD, ZK_FR_NINV); /* a^((t-1)/2) */
    fr_mul(&x, &w, a);                                      /* a^((t+1)/2) */
    fr_mul(&b, &x, &w);                                     /* a^t */
    z = FR_ROOT28;
    while (!fr_is_one(&b)) {
        unsigned i = 0;
        t = b;
        while (!fr_is_one(&t)) {
            fr_sqr(&t, &t);
            i++;
        }
        /* w = z^(2^(m-i-1)) */
        w = z;
        for (unsigned j = 0; j + i + 1 < m; j++)
            fr_sqr(&w, &w);
        fr_sqr(&z, &w);
        fr_mul(&x, &x, &w);
        fr_mul(&b, &b, &z);
        m = i;
    }
    *r = x;
    return ZK_OK;
}

void zk_fr_from_bytes_be_reduce(zk_fr *r, const uint8_t *in, size_t n)
{
    /* Horner over 8-byte words, most significant first:
     * acc = acc * 2^64 + word, all in Montgomery form. */
    zk_fr acc, shift, w;
    uint64_t two64[4] = {0, 1, 0, 0};
    fr_set_zero(&acc);
    fr_from_int(&shift, two64);
    size_t lead = n % 8;
    size_t pos = 0;
    if (lead) {
        uint64_t v = 0;
        for (; pos < lead; pos++)
            v = (v << 8) | in[pos];
        zk_fr_set_u64(&acc, v);
    }
    for (; pos < n; pos += 8) {
        uint64_t v = 0;
        for (int j = 0; j < 8; j++)
            v = (v << 8) | in[pos + (size_t)j];
        zk_fr_set_u64(&w, v);
        fr_mul(&acc, &acc, &shift);
        fr_add(&acc, &acc, &w);
    }
    *r = acc;
}
